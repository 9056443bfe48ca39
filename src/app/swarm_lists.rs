//! The Swarm view's tabs (services, stacks, nodes) and its levels (a stack's services, a
//! service's or a node's tasks) as kinds of the generic list: each asks the manager only,
//! takes its part of the manager's listing, and keeps the listing ([`Swarm`]) that its
//! verbs and the next level read. `Enter` pushes the next level; `Esc` pops it.

use super::dialog::{Confirm, ConfirmKind, Dialog, Form};
use super::keymap::{
    PaneAction, SwarmNodesAction, SwarmServicesAction, SwarmStacksAction, SwarmTasksAction,
};
use super::list::{Column, Kind, List, Tone, Width, by_text};
use super::swarm::{
    Drill, StackRow, Swarm, SwarmThen, Tab, named, nothing, role_confirm, service_confirm,
};
use super::view::{Ctx, Outcome, Then, View};
use crate::docker::actions::swarm::{Named, SwarmOp};
use crate::docker::host::{HostAnswer, HostQuery};
use crate::docker::inspect::InspectTarget;
use crate::docker::swarm::{Mode, NodeRow, ServiceRow, TaskRow, Tasks};
use crate::docker::{EngineEvent, EventKind, HostId, Op};
use crate::format::{ago, plural, short_id};

/// What every Swarm kind shares: the manager's listing, and the tasks it lists.
pub trait SwarmKind: Kind {
    fn swarm(&self) -> &Swarm;
    fn swarm_mut(&mut self) -> &mut Swarm;
    /// The tasks its query asks for (the running ones, but on a task level).
    fn tasks(&self) -> Tasks {
        Tasks::Running
    }
    /// Its rows in the listing it holds.
    fn made(&self) -> Vec<Self::Row>;
}

/// What every Swarm kind's `Kind` impl says alike, written once: one manager's rows, no HOST
/// column, its query, its answer taken, the events that concern it.
macro_rules! swarm_hooks {
    ($row:ty) => {
        const HOSTED: bool = false;
        const ONE_HOST: bool = true;

        fn query(&self, _full: bool) -> Option<HostQuery> {
            Some(HostQuery::Swarm(self.tasks()))
        }

        fn rows(_: &List<Self>, _: HostId, _: HostAnswer) -> Option<Vec<$row>> {
            None
        }

        fn take(
            list: &mut List<Self>,
            host: HostId,
            answer: HostAnswer,
            height: usize,
            _: &[String],
        ) {
            take(list, host, answer, height);
        }

        fn concerns(event: &EngineEvent) -> bool {
            concerns(event)
        }
    };
}

/// A Swarm kind's listing, held in its `swarm` field.
macro_rules! held {
    () => {
        fn swarm(&self) -> &Swarm {
            &self.swarm
        }
        fn swarm_mut(&mut self) -> &mut Swarm {
            &mut self.swarm
        }
    };
}

/// The manager's answer, taken by a Swarm kind: one for another level's tasks is dropped
/// (its rows never shown), else the listing is kept and its rows made from it.
fn take<K: SwarmKind>(list: &mut List<K>, host: HostId, answer: HostAnswer, height: usize) {
    let HostAnswer::Swarm(tasks, listing) = answer else {
        return;
    };
    if tasks != list.kind.tasks() {
        // Its own answer is still to come.
        list.room.loading = true;
        return;
    }
    let swarm = list.kind.swarm_mut();
    swarm.listing = listing;
    swarm.listing_tasks = Some(tasks);
    let rows = list.kind.made();
    list.answer(host, rows, height, &[]);
}

/// A daemon event that changes a Swarm list: a service or node changed, or a task's
/// container started or died on whichever node dockpit watches.
fn concerns(event: &EngineEvent) -> bool {
    matches!(event.kind, EventKind::Service | EventKind::Node)
        || (event.kind == EventKind::Container
            && (event.attributes.iter()).any(|(k, _)| k == "com.docker.swarm.task.id"))
}

/// A list of a Swarm kind for `room`, its rows made from the listing it holds (none when
/// that listing is of other tasks: they come with its own answer).
pub fn level<K: SwarmKind>(kind: K, room: super::room::Room, height: usize) -> View {
    let mut list = List::new(kind, room);
    let rows = list.kind.made();
    let host = list.room.host;
    list.answer(host, rows, height, &[]);
    list.room.loading = true;
    // Rows made from what was listed show at once: the listing asked updates them quietly.
    let held = list.kind.swarm().listing_tasks.as_ref();
    let tasks = list.kind.tasks();
    list.room.quiet = held.is_some_and(|held| *held == tasks || tasks == Tasks::Running);
    View::List(Box::new(list))
}

/// The Swarm data of the list `view` is, whichever Swarm kind.
pub fn swarm_mut(view: &mut View) -> Option<&mut Swarm> {
    let any = view.list_mut()?.as_any_mut();
    if any.is::<List<Services>>() {
        return any
            .downcast_mut::<List<Services>>()
            .map(|l| &mut l.kind.swarm);
    }
    if any.is::<List<Stacks>>() {
        return any
            .downcast_mut::<List<Stacks>>()
            .map(|l| &mut l.kind.swarm);
    }
    if any.is::<List<Nodes>>() {
        return any.downcast_mut::<List<Nodes>>().map(|l| &mut l.kind.swarm);
    }
    any.downcast_mut::<List<SwarmTasks>>()
        .map(|l| &mut l.kind.swarm)
}

/// Whether `view` is a Swarm list.
pub fn is_swarm(view: &View) -> bool {
    view.list().map(|l| l.as_any()).is_some_and(|any| {
        any.is::<List<Services>>()
            || any.is::<List<Stacks>>()
            || any.is::<List<Nodes>>()
            || any.is::<List<SwarmTasks>>()
    })
}

/// `Ctrl-R`: the manager's listing again.
fn refresh<K: SwarmKind>(list: &mut List<K>, cx: &Ctx) -> Outcome {
    list.kind.swarm_mut().asked = cx.now;
    list.room.quiet = false;
    list.refresh(cx)
}

/// `Tab`, on any tab or level: the next tab, at its top.
fn next_tab() -> Outcome {
    Outcome::stay().then(Then::Swarm(SwarmThen::NextTab))
}

/// The tab a Swarm list is, or is a level of where that says it (a stack's services: the
/// stacks tab); a service's tasks may be under either tab, so the app asks the list at the
/// bottom of the levels.
pub fn tab_of(view: &View) -> Option<Tab> {
    let any = view.list()?.as_any();
    if let Some(l) = any.downcast_ref::<List<Services>>() {
        return Some(match l.kind.stack {
            Some(_) => Tab::Stacks,
            None => Tab::Services,
        });
    }
    if any.is::<List<Stacks>>() {
        return Some(Tab::Stacks);
    }
    any.is::<List<Nodes>>().then_some(Tab::Nodes)
}

/// "3/5": tasks running of those asked.
fn count(running: u64, desired: u64) -> String {
    format!("{running}/{desired}")
}

/// A state word's tone ("running", "failed", "ready", "down").
fn state_tone(state: &str) -> Tone {
    match state {
        "running" | "ready" | "active" => Tone::Good,
        "failed" | "rejected" | "orphaned" | "down" | "disconnected" => Tone::Bad,
        "shutdown" | "complete" | "remove" | "unknown" | "drain" => Tone::Dim,
        _ => Tone::Changing,
    }
}

/// "3/5" drawn as running once it is what was asked, as changing until.
fn count_tone(running: u64, desired: u64, converging: bool) -> Tone {
    match !converging && running == desired {
        true => Tone::Good,
        false => Tone::Changing,
    }
}

/// The services: all (the first tab), or a stack's.
#[derive(Debug, Clone)]
pub struct Services {
    pub swarm: Swarm,
    pub stack: Option<String>,
}

impl SwarmKind for Services {
    held!();
    fn made(&self) -> Vec<ServiceRow> {
        (self.swarm.listing.services.iter())
            .filter(|s| self.stack.is_none() || s.stack == self.stack)
            .cloned()
            .collect()
    }
}

impl Kind for Services {
    type Row = ServiceRow;
    type Action = SwarmServicesAction;
    const TITLE: &'static str = "Services";

    fn title(&self) -> String {
        match &self.stack {
            Some(stack) => self.swarm.title(&format!("services of stack {stack}")),
            None => self.swarm.title(&Tab::Services.bar()),
        }
    }

    fn columns(&self) -> Vec<Column<ServiceRow>> {
        vec![
            Column::new("NAME", Width::Content(30), 0).sorts(|a, b| by_text(&a.name, &b.name)),
            Column::new("MODE", Width::Fixed(11), 3),
            Column::new("REPLICAS", Width::Fixed(9), 0)
                .sorts(|a, b| (a.running, a.desired).cmp(&(b.running, b.desired))),
            Column::new("IMAGE", Width::Content(36), 1).sorts(|a, b| by_text(&a.image, &b.image)),
            Column::new("PORTS", Width::Content(24), 4),
            Column::new("UPDATED", Width::Grow(16), 2).sorts(|a, b| a.updated.cmp(&b.updated)),
        ]
    }

    fn id(row: &ServiceRow) -> &str {
        &row.id
    }

    fn name(row: &ServiceRow) -> &str {
        &row.name
    }

    fn cells(&self, r: &ServiceRow) -> Vec<String> {
        let mode = match r.mode {
            Mode::Replicated(_) => "replicated",
            Mode::Global => "global",
            Mode::Other(other) => other,
        };
        let now = self.swarm.now;
        let updated = match (&r.update_state, r.updated) {
            (_, 0) => String::new(),
            (Some(state), at) if state != "completed" => format!("{state}, {}", ago(at, now)),
            (_, at) => ago(at, now),
        };
        vec![
            r.name.clone(),
            mode.into(),
            count(r.running, r.desired),
            r.image.clone(),
            r.ports.clone(),
            updated,
        ]
    }

    fn tone(&self, r: &ServiceRow) -> Option<(usize, Tone)> {
        Some((2, count_tone(r.running, r.desired, r.converging())))
    }

    swarm_hooks!(ServiceRow);

    fn verb(list: &mut List<Self>, action: SwarmServicesAction, cx: &mut Ctx) -> Outcome {
        use SwarmServicesAction::*;
        let service = list.selected().map(|r| r.row.clone());
        match (action, service) {
            (NextTab, _) => next_tab(),
            (Create, _) => list.room.ask(Dialog::Form(Form::create_service()), cx),
            (Remove, _) => remove_services(list, cx),
            (Refresh, _) => refresh(list, cx),
            (Close, _) => Outcome::close(),
            (_, None) => nothing(cx, "no service selected"),
            (Open, Some(s)) => {
                let drill = Drill::ServiceTasks(named(&s.id, &s.name));
                Outcome::stay().then(Then::Swarm(SwarmThen::Drill(drill)))
            }
            (Scale, Some(s)) if matches!(s.mode, Mode::Replicated(_)) => {
                let form = Form::scale(named(&s.id, &s.name), s.desired);
                list.room.ask(Dialog::Form(form), cx)
            }
            (Scale, Some(s)) => nothing(
                cx,
                &format!("{} runs one task per node: it has no count", s.name),
            ),
            (Update | Rollback, Some(s)) => {
                let confirm = service_confirm(&s, action == Update);
                list.room.ask(Dialog::Confirm(confirm), cx)
            }
            (Logs, Some(s)) => list.kind.swarm.logs(s.name.clone(), &[s.id], cx),
            (Inspect, Some(s)) => list
                .room
                .inspect(format!("service {}", s.name), InspectTarget::Service(s.id)),
        }
    }
}

/// `d`: the marked services (else the selected one) removed, after asking.
fn remove_services(list: &mut List<Services>, cx: &mut Ctx) -> Outcome {
    let Some(services) = list.aim(cx) else {
        return Outcome::stay();
    };
    let title = match services.as_slice() {
        [s] => format!(" Remove service {}? ", s.name),
        all => format!(" Remove {} services? ", all.len()),
    };
    let lines = services
        .iter()
        .map(|s| {
            format!(
                "{}: it and its {} ({} running on the nodes now).",
                s.name,
                plural(s.desired as usize, "task", "tasks"),
                s.running
            )
        })
        .collect();
    let ops = (services.iter())
        .map(|s| Op::Swarm(SwarmOp::RemoveService(named(&s.id, &s.name))))
        .collect();
    let confirm = Confirm::new(title, ConfirmKind::Actions(ops), lines);
    list.room.ask(Dialog::Confirm(confirm), cx)
}

/// The stacks: the services `docker stack deploy` labelled with a stack's name.
#[derive(Debug, Clone)]
pub struct Stacks {
    pub swarm: Swarm,
}

impl SwarmKind for Stacks {
    held!();
    fn made(&self) -> Vec<StackRow> {
        self.swarm.stacks()
    }
}

impl Kind for Stacks {
    type Row = StackRow;
    type Action = SwarmStacksAction;
    const TITLE: &'static str = "Stacks";

    // A service run alone is no stack: none listed says where stacks come from.
    fn empty_noun() -> String {
        "stacks (services deployed with docker stack deploy)".into()
    }

    fn title(&self) -> String {
        self.swarm.title(&Tab::Stacks.bar())
    }

    fn columns(&self) -> Vec<Column<StackRow>> {
        vec![
            Column::new("NAME", Width::Content(30), 0).sorts(|a, b| by_text(&a.name, &b.name)),
            Column::new("SERVICES", Width::Fixed(9), 1).sorts(|a, b| a.services.cmp(&b.services)),
            Column::new("TASKS", Width::Grow(9), 0),
        ]
    }

    fn id(row: &StackRow) -> &str {
        &row.name
    }

    fn name(row: &StackRow) -> &str {
        &row.name
    }

    fn cells(&self, r: &StackRow) -> Vec<String> {
        vec![
            r.name.clone(),
            r.services.to_string(),
            count(r.running, r.desired),
        ]
    }

    fn tone(&self, r: &StackRow) -> Option<(usize, Tone)> {
        Some((2, count_tone(r.running, r.desired, false)))
    }

    swarm_hooks!(StackRow);

    fn verb(list: &mut List<Self>, action: SwarmStacksAction, cx: &mut Ctx) -> Outcome {
        use SwarmStacksAction::*;
        let stack = list.selected().map(|r| r.row.name.clone());
        match (action, stack) {
            (NextTab, _) => next_tab(),
            (Remove, _) => remove_stacks(list, cx),
            (Refresh, _) => refresh(list, cx),
            (Close, _) => Outcome::close(),
            (_, None) => nothing(cx, "no stack selected"),
            (Open, Some(name)) => {
                Outcome::stay().then(Then::Swarm(SwarmThen::Drill(Drill::Stack(name))))
            }
            (Logs, Some(name)) => {
                let ids: Vec<String> = (list.kind.swarm.stack_services(&name).into_iter())
                    .map(|s| s.id.clone())
                    .collect();
                list.kind.swarm.logs(format!("stack {name}"), &ids, cx)
            }
        }
    }
}

/// `d`: the marked stacks (else the selected one) removed whole, after asking.
fn remove_stacks(list: &mut List<Stacks>, cx: &mut Ctx) -> Outcome {
    let Some(stacks) = list.aim(cx) else {
        return Outcome::stay();
    };
    let mut lines = Vec::new();
    let mut ops = Vec::new();
    for stack in &stacks {
        let services: Vec<Named> = (list.kind.swarm.stack_services(&stack.name).into_iter())
            .map(|s| named(&s.id, &s.name))
            .collect();
        let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
        lines.push(format!(
            "{}: its {} ({}) and their tasks, then its networks, secrets and configs.",
            stack.name,
            plural(services.len(), "service", "services"),
            names.join(", ")
        ));
        ops.push(Op::Swarm(SwarmOp::RemoveStack {
            stack: stack.name.clone(),
            services,
        }));
    }
    lines.push("Volumes stay.".into());
    let title = match stacks.as_slice() {
        [s] => format!(" Remove stack {}? ", s.name),
        all => format!(" Remove {} stacks? ", all.len()),
    };
    let confirm = Confirm::new(title, ConfirmKind::Actions(ops), lines);
    list.room.ask(Dialog::Confirm(confirm), cx)
}

/// The Swarm's nodes.
#[derive(Debug, Clone)]
pub struct Nodes {
    pub swarm: Swarm,
}

impl SwarmKind for Nodes {
    held!();
    fn made(&self) -> Vec<NodeRow> {
        self.swarm.listing.nodes.clone()
    }
}

impl Kind for Nodes {
    type Row = NodeRow;
    type Action = SwarmNodesAction;
    const TITLE: &'static str = "Nodes";

    fn title(&self) -> String {
        self.swarm.title(&Tab::Nodes.bar())
    }

    fn columns(&self) -> Vec<Column<NodeRow>> {
        vec![
            Column::new("HOSTNAME", Width::Content(30), 0)
                .sorts(|a, b| by_text(&a.hostname, &b.hostname)),
            Column::new("ID", Width::Fixed(13), 6),
            Column::new("ROLE", Width::Fixed(8), 1).sorts(|a, b| by_text(&a.role, &b.role)),
            Column::new("AVAILABILITY", Width::Fixed(13), 0)
                .sorts(|a, b| by_text(&a.availability, &b.availability)),
            Column::new("STATUS", Width::Fixed(8), 2).sorts(|a, b| by_text(&a.state, &b.state)),
            Column::new("MANAGER", Width::Fixed(12), 3),
            Column::new("ENGINE", Width::Content(16), 5)
                .sorts(|a, b| by_text(&a.engine, &b.engine)),
            Column::new("TASKS", Width::Fixed(6), 2).sorts(|a, b| a.tasks.cmp(&b.tasks)),
            Column::new("HOST", Width::Content(16), 4),
            Column::new("LABELS", Width::Grow(8), 7),
        ]
    }

    fn id(row: &NodeRow) -> &str {
        &row.id
    }

    fn name(row: &NodeRow) -> &str {
        &row.hostname
    }

    fn cells(&self, n: &NodeRow) -> Vec<String> {
        let host = match self.swarm.engine(&n.id) {
            Some("") => "this host",
            Some(name) => name,
            None => "—",
        };
        vec![
            self.swarm.node_name(&n.id),
            short_id(&n.id).to_string(),
            n.role.clone(),
            n.availability.clone(),
            n.state.clone(),
            n.manager_status.clone(),
            n.engine.clone(),
            n.tasks.to_string(),
            host.to_string(),
            n.labels.clone(),
        ]
    }

    // AVAILABILITY too: a drained or paused node takes no new tasks.
    fn tones(&self, n: &NodeRow) -> Vec<(usize, Tone)> {
        vec![(3, state_tone(&n.availability)), (4, state_tone(&n.state))]
    }

    swarm_hooks!(NodeRow);

    fn verb(list: &mut List<Self>, action: SwarmNodesAction, cx: &mut Ctx) -> Outcome {
        use SwarmNodesAction::*;
        let node = list.selected().map(|r| r.row.clone());
        let swarm = &list.kind.swarm;
        match (action, node) {
            (NextTab, _) => next_tab(),
            (Refresh, _) => refresh(list, cx),
            (Close, _) => Outcome::close(),
            (_, None) => nothing(cx, "no node selected"),
            (Open, Some(n)) => {
                let drill = Drill::NodeTasks(named(&n.id, &swarm.node_name(&n.id)));
                Outcome::stay().then(Then::Swarm(SwarmThen::Drill(drill)))
            }
            (Availability, Some(n)) => {
                let picker = swarm.availability_picker(&n);
                list.room.ask(Dialog::Pick(picker), cx)
            }
            (Promote | Demote, Some(n)) => {
                let node = named(&n.id, &swarm.node_ref(&n.id));
                let confirm = role_confirm(node, swarm.node_label(&n.id), &n, action == Promote);
                list.room.ask(Dialog::Confirm(confirm), cx)
            }
            (Inspect, Some(n)) => {
                let title = format!("node {}", swarm.node_name(&n.id));
                list.room.inspect(title, InspectTarget::Node(n.id))
            }
        }
    }
}

/// A service's or a node's tasks (`docker service ps`, `docker node ps`), history too.
#[derive(Debug, Clone)]
pub struct SwarmTasks {
    pub swarm: Swarm,
    /// `Drill::ServiceTasks` or `Drill::NodeTasks`.
    pub of: Drill,
}

impl SwarmKind for SwarmTasks {
    held!();
    fn tasks(&self) -> Tasks {
        match &self.of {
            Drill::NodeTasks(n) => Tasks::Node(n.id.clone()),
            Drill::ServiceTasks(s) => Tasks::Service(s.id.clone()),
            Drill::Stack(_) => Tasks::Running,
        }
    }
    fn made(&self) -> Vec<TaskRow> {
        match self.swarm.listing_tasks.as_ref() == Some(&self.tasks()) {
            true => self.swarm.listing.tasks.clone(),
            false => Vec::new(),
        }
    }
}

impl Kind for SwarmTasks {
    type Row = TaskRow;
    type Action = SwarmTasksAction;
    const TITLE: &'static str = "Tasks";

    fn title(&self) -> String {
        let place = match &self.of {
            Drill::NodeTasks(n) => format!("tasks on node {}", n.name),
            Drill::ServiceTasks(s) => format!("tasks of service {}", s.name),
            Drill::Stack(s) => format!("tasks of stack {s}"),
        };
        self.swarm.title(&place)
    }

    fn columns(&self) -> Vec<Column<TaskRow>> {
        vec![
            Column::new("NAME", Width::Content(30), 0).sorts(|a, b| by_text(&a.name, &b.name)),
            Column::new("NODE", Width::Content(24), 1),
            Column::new("DESIRED", Width::Fixed(9), 3).sorts(|a, b| a.desired.cmp(&b.desired)),
            Column::new("CURRENT", Width::Fixed(26), 0)
                .sorts(|a, b| (&a.state, a.since).cmp(&(&b.state, b.since))),
            Column::new("CONTAINER", Width::Content(32), 2),
            Column::new("ERROR", Width::Grow(8), 4),
        ]
    }

    fn id(row: &TaskRow) -> &str {
        &row.id
    }

    fn name(row: &TaskRow) -> &str {
        &row.name
    }

    fn cells(&self, t: &TaskRow) -> Vec<String> {
        let container = match (&t.container, self.swarm.engine(&t.node_id)) {
            (Some(id), Some("")) => short_id(id).to_string(),
            (Some(id), Some(host)) => format!("{}@{host}", short_id(id)),
            (Some(id), None) => format!("{} (node not watched)", short_id(id)),
            (None, _) => "—".into(),
        };
        let current = match t.since {
            0 => t.state.clone(),
            at => format!("{} {}", t.state, ago(at, self.swarm.now)),
        };
        vec![
            t.name.clone(),
            self.swarm.node_name(&t.node_id),
            t.desired.clone(),
            current,
            container,
            t.error.clone(),
        ]
    }

    fn tone(&self, t: &TaskRow) -> Option<(usize, Tone)> {
        Some((3, state_tone(&t.state)))
    }

    swarm_hooks!(TaskRow);

    fn verb(list: &mut List<Self>, action: SwarmTasksAction, cx: &mut Ctx) -> Outcome {
        use SwarmTasksAction::*;
        let task = list.selected().map(|r| r.row.clone());
        match (action, task) {
            (NextTab, _) => next_tab(),
            (Refresh, _) => refresh(list, cx),
            (Close, _) => Outcome::close(),
            (_, None) => nothing(cx, "no task selected"),
            (Logs, Some(task)) => {
                let tasks = vec![named(&task.id, &list.kind.swarm.task_label(&task))];
                let title = task.name;
                Outcome::stay().then(Then::Swarm(SwarmThen::Logs { title, tasks }))
            }
            (Shell, Some(task)) => {
                list.kind
                    .swarm
                    .container(PaneAction::Exec, task, &mut list.room)
            }
            (Stats, Some(task)) => {
                list.kind
                    .swarm
                    .container(PaneAction::Stats, task, &mut list.room)
            }
            (Inspect, Some(task)) => {
                list.kind
                    .swarm
                    .container(PaneAction::Inspect, task, &mut list.room)
            }
        }
    }
}
