//! The Swarm view (`W`, `:swarm`): a manager's services, stacks and nodes, and the tasks of
//! a service or a node, live from the manager's events (and task containers' events from
//! any watched node) plus a listing every [`EVERY`] seconds while open, since task states
//! change without events. A task's container is reached on the live host that is its node.

use crossterm::event::KeyEvent;

use super::dialog::{Confirm, ConfirmKind, Dialog, Form, Picker};
use super::keymap::{Action, PaneAction, SwarmAction};
use super::room::{Overlay, Room};
use super::view::{Ctx, Outcome, Then, View};
use super::{App, Cursor};
use crate::docker::actions::swarm::{Availability, Named, SwarmOp};
use crate::docker::host::HostQuery;
use crate::docker::inspect::InspectTarget;
use crate::docker::swarm::{Membership, NodeRow, ServiceRow, SwarmListing, TaskRow, Tasks};
use crate::docker::{Command, ContainerId, HostId, Op, StreamId};

/// Seconds between listings while the view is open.
pub const EVERY: i64 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Services,
    Stacks,
    Nodes,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Services, Tab::Stacks, Tab::Nodes];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Services => "Services",
            Tab::Stacks => "Stacks",
            Tab::Nodes => "Nodes",
        }
    }
}

/// Rows below a tab's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drill {
    /// The services of a stack.
    Stack(String),
    /// The tasks of a service, history too (`docker service ps`).
    ServiceTasks(Named),
    /// The tasks of a node (`docker node ps`).
    NodeTasks(Named),
}

/// A stack: the services `docker stack deploy` labelled with its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackRow {
    pub name: String,
    pub services: usize,
    pub running: u64,
    pub desired: u64,
}

/// What a view's key asks the app to do with a task's container or logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwarmThen {
    /// Follow these tasks' logs (id, name) in one view, merged when several.
    Logs { title: String, tasks: Vec<Named> },
    /// A container key on a task's row: done on the host that is its node.
    Container {
        action: PaneAction,
        task: Box<TaskRow>,
        /// The node's hostname and address, to say which to add when it is not watched.
        node: Option<(String, String)>,
    },
}

#[derive(Debug, Clone)]
pub struct SwarmView {
    /// `room.host` is the manager it asks.
    pub room: Room,
    pub tab: Tab,
    pub drill: Option<Drill>,
    /// The levels above, each with its cursor: back out returns to its row.
    pub parents: Vec<(Option<Drill>, Cursor)>,
    pub listing: SwarmListing,
    /// The tasks `listing` holds.
    pub listing_tasks: Tasks,
    /// Unix seconds of the last listing asked for.
    pub asked: i64,
}

impl SwarmView {
    pub fn new(id: StreamId, manager: HostId) -> Self {
        Self {
            room: Room::new(id, manager),
            tab: Tab::Services,
            drill: None,
            parents: Vec::new(),
            listing: SwarmListing::default(),
            listing_tasks: Tasks::Running,
            asked: 0,
        }
    }

    /// The tasks this level lists.
    pub fn tasks(&self) -> Tasks {
        match &self.drill {
            Some(Drill::ServiceTasks(s)) => Tasks::Service(s.id.clone()),
            Some(Drill::NodeTasks(n)) => Tasks::Node(n.id.clone()),
            _ => Tasks::Running,
        }
    }

    pub fn query(&self) -> Command {
        Command::Host {
            id: self.room.id,
            host: self.room.host,
            query: HostQuery::Swarm(self.tasks()),
        }
    }

    /// Tasks are what the rows are (a service's or a node's).
    pub fn showing_tasks(&self) -> bool {
        matches!(
            self.drill,
            Some(Drill::ServiceTasks(_) | Drill::NodeTasks(_))
        )
    }

    /// Whether a row with these texts passes the filter.
    fn shows(&self, texts: &[&str]) -> bool {
        (self.room.filter.matcher(&[]))(HostId::default(), texts)
    }

    /// The services shown: all, or a stack's; those the filter matches.
    pub fn services(&self) -> Vec<&ServiceRow> {
        let all = match &self.drill {
            Some(Drill::Stack(name)) => self.stack_services(name),
            _ => self.listing.services.iter().collect(),
        };
        all.into_iter()
            .filter(|s| self.shows(&[&s.name, &s.image, &s.ports]))
            .collect()
    }

    /// The nodes shown (the filter's).
    pub fn nodes(&self) -> Vec<&NodeRow> {
        self.listing
            .nodes
            .iter()
            .filter(|n| self.shows(&[&n.hostname, &n.role, &n.availability, &n.state]))
            .collect()
    }

    /// The tasks shown (the filter's).
    pub fn shown_tasks(&self) -> Vec<&TaskRow> {
        self.listing
            .tasks
            .iter()
            .filter(|t| self.shows(&[&t.name, &t.state, &t.desired, &t.error]))
            .collect()
    }

    fn stack_services(&self, stack: &str) -> Vec<&ServiceRow> {
        self.listing
            .services
            .iter()
            .filter(|s| s.stack.as_deref() == Some(stack))
            .collect()
    }

    pub fn stacks(&self) -> Vec<StackRow> {
        let mut stacks: Vec<StackRow> = Vec::new();
        for s in &self.listing.services {
            let Some(name) = &s.stack else { continue };
            match stacks.iter_mut().find(|st| st.name == *name) {
                Some(st) => {
                    st.services += 1;
                    st.running += s.running;
                    st.desired += s.desired;
                }
                None => stacks.push(StackRow {
                    name: name.clone(),
                    services: 1,
                    running: s.running,
                    desired: s.desired,
                }),
            }
        }
        stacks.sort_by(|a, b| super::lists::natural_cmp(&a.name, &b.name));
        stacks.retain(|s| self.shows(&[&s.name]));
        stacks
    }

    /// The keys of the rows shown, in order (the cursor follows its row by them).
    pub fn keys(&self) -> Vec<String> {
        if self.showing_tasks() {
            return self.shown_tasks().iter().map(|t| t.id.clone()).collect();
        }
        match (self.tab, &self.drill) {
            (_, Some(Drill::Stack(_))) | (Tab::Services, _) => {
                self.services().iter().map(|s| s.id.clone()).collect()
            }
            (Tab::Stacks, _) => self.stacks().into_iter().map(|s| s.name).collect(),
            (Tab::Nodes, _) => self.nodes().iter().map(|n| n.id.clone()).collect(),
        }
    }

    fn selected_key(&self) -> Option<&str> {
        self.room.cursor.selected.as_deref()
    }

    /// The service selected, or whose tasks are shown.
    fn service(&self) -> Option<&ServiceRow> {
        let id = match &self.drill {
            Some(Drill::ServiceTasks(s)) => s.id.as_str(),
            _ if self.tab == Tab::Services || matches!(self.drill, Some(Drill::Stack(_))) => {
                self.selected_key()?
            }
            _ => return None,
        };
        self.listing.services.iter().find(|s| s.id == id)
    }

    fn node(&self) -> Option<&NodeRow> {
        let id = match &self.drill {
            Some(Drill::NodeTasks(n)) => n.id.as_str(),
            None if self.tab == Tab::Nodes => self.selected_key()?,
            _ => return None,
        };
        self.listing.nodes.iter().find(|n| n.id == id)
    }

    fn stack(&self) -> Option<StackRow> {
        if self.tab != Tab::Stacks || self.drill.is_some() {
            return None;
        }
        let name = self.selected_key()?;
        self.stacks().into_iter().find(|s| s.name == name)
    }

    fn task(&self) -> Option<&TaskRow> {
        if !self.showing_tasks() {
            return None;
        }
        let id = self.selected_key()?;
        self.listing.tasks.iter().find(|t| t.id == id)
    }

    /// The node's hostname, and whether another node has it too (several engines on one
    /// machine report the same).
    fn hostname(&self, id: &str) -> Option<(&str, bool)> {
        let node = self.listing.nodes.iter().find(|n| n.id == id)?;
        let shared = self
            .listing
            .nodes
            .iter()
            .any(|n| n.id != id && n.hostname == node.hostname);
        Some((&node.hostname, shared))
    }

    /// A node's name as the user knows it: its hostname, with a short id when it repeats.
    pub fn node_name(&self, id: &str) -> String {
        match self.hostname(id) {
            Some((hostname, false)) => hostname.to_string(),
            Some((hostname, true)) => format!("{hostname} ({})", id.get(..6).unwrap_or(id)),
            None => crate::format::short_id(id).to_string(),
        }
    }

    /// A node in messages and questions: `hostname (shortid)`, as two nodes may share a
    /// hostname (the short id alone when the listing does not have it).
    pub fn node_label(&self, id: &str) -> String {
        let short = id.get(..6).unwrap_or(id);
        match self.hostname(id) {
            Some((hostname, _)) => format!("{hostname} ({short})"),
            None => short.to_string(),
        }
    }

    /// The availability picker for a node; drain asks first, as it moves every task.
    fn availability_picker(&self, n: &NodeRow) -> Picker {
        let node = named(&n.id, &self.node_ref(&n.id));
        let label = self.node_label(&n.id);
        let op = |availability| {
            Op::Swarm(SwarmOp::NodeAvailability {
                node: node.clone(),
                label: label.clone(),
                availability,
            })
        };
        let items: Vec<(String, Op)> = Availability::ALL
            .into_iter()
            .map(|availability| {
                let now = match availability.as_str() == n.availability {
                    true => " (now)",
                    false => "",
                };
                (
                    format!("{}{now}", availability_text(availability)),
                    op(availability),
                )
            })
            .collect();
        let asks = Availability::ALL
            .into_iter()
            .position(|a| a == Availability::Drain)
            .map(|at| {
                let tasks = crate::format::plural(n.tasks, "task", "tasks");
                let question = Confirm {
                    title: format!(" Drain node {label}? "),
                    lines: vec![format!(
                        "Its {tasks} stop here and start on other nodes; it gets no new tasks until it is made active again."
                    )],
                    kind: ConfirmKind::Actions(vec![op(Availability::Drain)]),
                    choices: vec![],
                };
                (at, question)
            })
            .into_iter()
            .collect();
        Picker {
            title: format!(" Availability of node {label} "),
            items,
            index: 0,
            asks,
        }
    }

    /// How the docker CLI names the node: its hostname, or its id when hostnames repeat.
    fn node_ref(&self, id: &str) -> String {
        match self.hostname(id) {
            Some((hostname, false)) => hostname.to_string(),
            _ => id.to_string(),
        }
    }

    /// New rows; the cursor stays on its row.
    pub fn answer(&mut self, tasks: Tasks, listing: SwarmListing, height: usize) {
        self.listing = listing;
        self.listing_tasks = tasks;
        let keys = self.keys();
        self.room.sync(keys.iter().map(String::as_str), height);
    }

    /// A listing asked for by a key (the title says "reading…" until it answers).
    fn relist(&mut self, now: i64) -> Outcome {
        self.room.loading = true;
        self.room.quiet = false;
        self.asked = now;
        Outcome::stay().docker(self.query())
    }

    /// Rows of another level: a fresh cursor, and the rows it needs.
    fn enter(&mut self, drill: Option<Drill>, cx: &Ctx) -> Outcome {
        let cursor = std::mem::take(&mut self.room.cursor);
        let from = std::mem::replace(&mut self.drill, drill);
        self.parents.push((from, cursor));
        self.level_changed(cx)
    }

    /// Back to the level above, on the row it left; `None` at the top.
    fn back(&mut self, cx: &Ctx) -> Option<Outcome> {
        let (drill, cursor) = self.parents.pop()?;
        self.drill = drill;
        self.room.cursor = cursor;
        Some(self.level_changed(cx))
    }

    /// Another level's rows: tasks of another filter are not shown until listed (a key on
    /// a row of the old level's must not act on the new one's).
    fn level_changed(&mut self, cx: &Ctx) -> Outcome {
        // The filter was for the other level's rows.
        self.room.filter = Default::default();
        let relist = self.listing_tasks != self.tasks();
        if relist {
            self.listing.tasks.clear();
        }
        let keys = self.keys();
        self.room.sync(keys.iter().map(String::as_str), cx.page);
        match relist {
            true => self.relist(cx.now),
            false => Outcome::stay(),
        }
    }

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        if let Some(outcome) = self.room.overlay_key(key, cx) {
            return outcome;
        }
        if self.room.filter_key(key, cx.keymap) {
            let keys = self.keys();
            self.room.sync(keys.iter().map(String::as_str), cx.page);
            return Outcome::stay();
        }
        let Some(action) = cx.keymap.get(key) else {
            let keys = self.keys();
            return self
                .room
                .nav(key, cx, keys.iter().map(String::as_str), "the Swarm view");
        };
        use SwarmAction::*;
        match action {
            Filter => {
                self.room.start_filter();
                Outcome::stay()
            }
            Close if self.room.clear_filter() => {
                let keys = self.keys();
                self.room.sync(keys.iter().map(String::as_str), cx.page);
                Outcome::stay()
            }
            Close => self.back(cx).unwrap_or_else(Outcome::close),
            NextTab => self.next_tab(cx),
            Open => self.open(cx),
            Refresh => self.relist(cx.now),
            Create => self.room.ask(Dialog::Form(Form::create_service()), cx),
            Scale => self.scale(cx),
            Update | Rollback => match self.service() {
                Some(s) => {
                    let confirm = service_confirm(s, action == Update);
                    self.room.ask(Dialog::Confirm(confirm), cx)
                }
                None => nothing(cx, "no service selected"),
            },
            Remove => self.remove(cx),
            Availability => match self.node() {
                Some(n) => {
                    let picker = self.availability_picker(n);
                    self.room.ask(Dialog::Pick(picker), cx)
                }
                None => nothing(cx, "no node selected (Tab to the nodes)"),
            },
            Promote | Demote => match self.node() {
                Some(n) => {
                    let manager = action == Promote;
                    let node = named(&n.id, &self.node_ref(&n.id));
                    let confirm = role_confirm(node, self.node_label(&n.id), n, manager);
                    self.room.ask(Dialog::Confirm(confirm), cx)
                }
                None => nothing(cx, "no node selected (Tab to the nodes)"),
            },
            Logs => self.logs(cx),
            Shell | Stats => {
                let action = match action {
                    Shell => PaneAction::Exec,
                    _ => PaneAction::Stats,
                };
                self.container(action, cx)
            }
            Inspect => self.inspect(cx),
        }
    }

    /// `Tab`: the next tab, at its top level.
    fn next_tab(&mut self, cx: &mut Ctx) -> Outcome {
        let at = Tab::ALL.iter().position(|t| *t == self.tab).unwrap_or(0);
        self.parents.clear();
        self.drill = None;
        self.tab = Tab::ALL[(at + 1) % Tab::ALL.len()];
        self.room.cursor = Cursor::default();
        self.level_changed(cx)
    }

    /// A replicated service's new count, asked for.
    fn scale(&mut self, cx: &mut Ctx) -> Outcome {
        match self.service() {
            Some(s) if matches!(s.mode, crate::docker::swarm::Mode::Replicated(_)) => {
                let form = Form::scale(named(&s.id, &s.name), s.desired);
                self.room.ask(Dialog::Form(form), cx)
            }
            Some(s) => nothing(
                cx,
                &format!("{} runs one task per node: it has no count", s.name),
            ),
            None => nothing(cx, "no service selected"),
        }
    }

    /// `i`: the selected node or service (a task: its container).
    fn inspect(&mut self, cx: &mut Ctx) -> Outcome {
        if self.showing_tasks() {
            return self.container(PaneAction::Inspect, cx);
        }
        let target = match self.tab {
            _ if self.stack().is_some() => None,
            Tab::Nodes => self.node().map(|n| {
                (
                    format!("node {}", self.node_name(&n.id)),
                    InspectTarget::Node(n.id.clone()),
                )
            }),
            _ => self.service().map(|s| {
                (
                    format!("service {}", s.name),
                    InspectTarget::Service(s.id.clone()),
                )
            }),
        };
        match target {
            Some((title, target)) => self.room.inspect(title, target),
            None if self.stack().is_some() => {
                nothing(cx, "a stack is its services: Enter lists them to inspect")
            }
            None => nothing(cx, "select a service or node to inspect"),
        }
    }

    /// Whether a key does something on this tab and level (the footer shows only those).
    pub fn offers(&self, action: Action) -> bool {
        use SwarmAction::*;
        let Action::Swarm(action) = action else {
            return false;
        };
        let everywhere = matches!(action, Open | Close | Filter | Refresh | NextTab);
        let here: &[SwarmAction] = if self.showing_tasks() {
            &[Shell, Logs, Stats, Inspect]
        } else if self.tab == Tab::Stacks && self.drill.is_none() {
            &[Logs, Remove]
        } else if self.tab == Tab::Nodes {
            &[Availability, Promote, Demote, Inspect]
        } else {
            &[Create, Scale, Update, Rollback, Remove, Logs, Inspect]
        };
        everywhere || here.contains(&action)
    }

    fn open(&mut self, cx: &mut Ctx) -> Outcome {
        if self.showing_tasks() {
            return self.container(PaneAction::Inspect, cx);
        }
        if let Some(stack) = self.stack() {
            return self.enter(Some(Drill::Stack(stack.name)), cx);
        }
        if self.tab == Tab::Stacks && self.drill.is_none() {
            return nothing(cx, "no stack selected");
        }
        if self.tab == Tab::Nodes {
            return match self.node() {
                Some(n) => {
                    let node = named(&n.id, &self.node_name(&n.id));
                    self.enter(Some(Drill::NodeTasks(node)), cx)
                }
                None => nothing(cx, "no node selected"),
            };
        }
        match self.service() {
            Some(s) => {
                let service = named(&s.id, &s.name);
                self.enter(Some(Drill::ServiceTasks(service)), cx)
            }
            None => nothing(cx, "no service selected"),
        }
    }

    fn remove(&mut self, cx: &mut Ctx) -> Outcome {
        if self.showing_tasks() {
            return nothing(
                cx,
                "a task goes with its service (scale it down, or remove the service from its row)",
            );
        }
        if let Some(stack) = self.stack() {
            let services: Vec<Named> = self
                .stack_services(&stack.name)
                .into_iter()
                .map(|s| named(&s.id, &s.name))
                .collect();
            let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
            let confirm = Confirm {
                title: format!(" Remove stack {}? ", stack.name),
                lines: vec![
                    format!(
                        "Removes its {} ({}) and their tasks, then its networks, secrets and configs.",
                        crate::format::plural(services.len(), "service", "services"),
                        names.join(", ")
                    ),
                    "Volumes stay.".into(),
                ],
                kind: ConfirmKind::Actions(vec![Op::Swarm(SwarmOp::RemoveStack {
                    stack: stack.name,
                    services,
                })]),
                choices: vec![],
            };
            return self.room.ask(Dialog::Confirm(confirm), cx);
        }
        match self.service() {
            Some(s) => {
                let confirm = Confirm {
                    title: format!(" Remove service {}? ", s.name),
                    lines: vec![format!(
                        "Removes it and its {} ({} running on the nodes now).",
                        crate::format::plural(s.desired as usize, "task", "tasks"),
                        s.running
                    )],
                    kind: ConfirmKind::Actions(vec![Op::Swarm(SwarmOp::RemoveService(named(
                        &s.id, &s.name,
                    )))]),
                    choices: vec![],
                };
                self.room.ask(Dialog::Confirm(confirm), cx)
            }
            None => nothing(cx, "select a service or a stack to remove"),
        }
    }

    /// `l`: a task's logs; a service's or a stack's tasks, merged.
    fn logs(&mut self, cx: &mut Ctx) -> Outcome {
        if let Some(task) = self.task() {
            let tasks = vec![named(&task.id, &self.task_label(task))];
            let title = task.name.clone();
            return Outcome::stay().then(Then::Swarm(SwarmThen::Logs { title, tasks }));
        }
        let (title, services): (String, Vec<String>) = if let Some(stack) = self.stack() {
            let ids = self
                .stack_services(&stack.name)
                .into_iter()
                .map(|s| s.id.clone())
                .collect();
            (format!("stack {}", stack.name), ids)
        } else if let Some(s) = self.service() {
            (s.name.clone(), vec![s.id.clone()])
        } else {
            return nothing(cx, "select a service, stack or task for its logs");
        };
        // The tasks meant to run now (the view's listing outside a service's own rows).
        let tasks: Vec<Named> = self
            .listing
            .tasks
            .iter()
            .filter(|t| services.contains(&t.service_id) && t.desired == "running")
            .map(|t| named(&t.id, &self.task_label(t)))
            .collect();
        if tasks.is_empty() {
            return nothing(cx, &format!("{title} has no task to read logs from"));
        }
        Outcome::stay().then(Then::Swarm(SwarmThen::Logs { title, tasks }))
    }

    /// "web.2@vm": a task and its node, as merged logs prefix its lines.
    fn task_label(&self, task: &TaskRow) -> String {
        format!("{}@{}", task.name, self.node_name(&task.node_id))
    }

    fn container(&mut self, action: PaneAction, cx: &mut Ctx) -> Outcome {
        let Some(task) = self.task().cloned() else {
            return nothing(cx, "select a task (Enter on a service or node lists them)");
        };
        // No container (pending, rejected): the task itself, as the manager knows it.
        if task.container.is_none() && action == PaneAction::Inspect {
            return self
                .room
                .inspect(format!("task {}", task.name), InspectTarget::Task(task.id));
        }
        let node = self
            .listing
            .nodes
            .iter()
            .find(|n| n.id == task.node_id)
            .map(|n| (self.node_name(&n.id), n.addr.clone()));
        let task = Box::new(task);
        Outcome::stay().then(Then::Swarm(SwarmThen::Container { action, task, node }))
    }
}

fn named(id: &str, name: &str) -> Named {
    Named {
        id: id.to_string(),
        name: name.to_string(),
    }
}

fn nothing(cx: &mut Ctx, why: &str) -> Outcome {
    cx.activity.refuse(why.to_string());
    Outcome::stay()
}

fn availability_text(a: Availability) -> &'static str {
    match a {
        Availability::Active => "active: takes new tasks",
        Availability::Pause => "pause: keeps its tasks, takes no new ones",
        Availability::Drain => "drain: its tasks move to other nodes",
    }
}

fn service_confirm(s: &ServiceRow, update: bool) -> Confirm {
    let service = named(&s.id, &s.name);
    let (title, line, op) = match update {
        true => (
            format!(" Restart every task of {}? ", s.name),
            format!(
                "A rolling update replaces each of its {} with a new one, even with nothing changed.",
                crate::format::plural(s.desired as usize, "task", "tasks")
            ),
            SwarmOp::ForceUpdate(service),
        ),
        false => (
            format!(" Roll {} back? ", s.name),
            "Puts back the spec it had before its last update; its tasks are replaced.".into(),
            SwarmOp::Rollback(service),
        ),
    };
    Confirm {
        title,
        lines: vec![line],
        kind: ConfirmKind::Actions(vec![Op::Swarm(op)]),
        choices: vec![],
    }
}

fn role_confirm(node: Named, label: String, row: &NodeRow, manager: bool) -> Confirm {
    let line = match (manager, row.role == "manager") {
        (true, true) | (false, false) => format!("{label} is a {} already.", row.role),
        (true, false) => format!(
            "{label} joins the managers: it takes part in the Raft consensus and can answer for the Swarm."
        ),
        (false, true) => format!(
            "{label} leaves the managers. A Swarm needs a majority of its managers: do not demote the last one."
        ),
    };
    let verb = if manager { "Promote" } else { "Demote" };
    Confirm {
        title: format!(" {verb} node {label}? "),
        lines: vec![line],
        kind: ConfirmKind::Actions(vec![Op::Swarm(SwarmOp::NodeRole {
            node,
            label,
            manager,
        })]),
        choices: vec![],
    }
}

impl App {
    /// The manager the Swarm views ask: the open view's, else the first live manager.
    pub fn swarm_host(&self) -> Option<HostId> {
        if let Some(View::Swarm(v)) = self.views().find(|v| matches!(v, View::Swarm(_))) {
            return Some(v.room.host);
        }
        let manager = |id: &HostId| {
            self.host(*id)
                .is_some_and(|h| h.up() && h.swarm.as_ref().is_some_and(|m| m.manager))
        };
        // The active host when it is a manager (several Swarms: the one the user is on).
        Some(self.active_host())
            .filter(manager)
            .or_else(|| self.hosts.iter().map(|h| h.id).find(manager))
    }

    /// `W`: the Swarm view of the first live manager, or why there is none.
    pub(super) fn open_swarm(&mut self) -> Vec<Command> {
        let Some(manager) = self.swarm_host() else {
            if self.hosts.iter().any(|h| h.up() && !h.swarm_read) {
                self.activity.refuse(
                    "still asking the hosts whether one is a Swarm manager: try again in a moment",
                );
                return Vec::new();
            }
            let worker = self.hosts.iter().find_map(|h| {
                let m: &Membership = h.swarm.as_ref()?;
                Some((h.spec.name.clone(), m.managers.join(", ")))
            });
            let why = match worker {
                Some((host, managers)) if !self.fleet() || !host.is_empty() => format!(
                    "{} is a Swarm worker: only a manager lists the Swarm (at {managers}); add a manager as a host (H)",
                    if host.is_empty() { "this engine".to_string() } else { host }
                ),
                _ => "no live host is a Swarm manager: the Swarm views need one (docker swarm init, or add a manager as a host with H)".to_string(),
            };
            self.activity.refuse(why);
            return Vec::new();
        };
        let mut view = SwarmView::new(self.view_id(), manager);
        view.asked = self.now;
        let query = view.query();
        self.view = Some(View::Swarm(Box::new(view)));
        vec![query]
    }

    /// The live host whose engine is this Swarm node, if any.
    pub fn node_host(&self, node: &str) -> Option<&super::hosts::Host> {
        self.hosts
            .iter()
            .find(|h| h.up() && h.swarm.as_ref().is_some_and(|m| m.node_id == node))
    }

    /// A host told its part in a Swarm.
    pub(super) fn swarm_membership(&mut self, host: HostId, membership: Option<Membership>) {
        if let Some(h) = self.hosts.iter_mut().find(|h| h.id == host) {
            h.swarm = membership;
            h.swarm_read = true;
        }
    }

    /// The clock ticked: an open Swarm view lists again every [`EVERY`] seconds (tasks
    /// change state without an event).
    pub(super) fn swarm_tick(&mut self) -> Vec<Command> {
        let now = self.now;
        match &mut self.view {
            Some(View::Swarm(v)) if !v.room.loading && now - v.asked >= EVERY => {
                let commands = v.relist(now).effects.docker;
                v.room.quiet = true;
                commands
            }
            _ => Vec::new(),
        }
    }

    /// What a Swarm view's key asked of the app.
    pub(super) fn swarm_then(&mut self, then: SwarmThen) -> super::Effects {
        match then {
            SwarmThen::Logs { title, tasks } => {
                self.keep_under();
                self.open_task_logs(title, tasks).into()
            }
            SwarmThen::Container { action, task, node } => self.task_container(action, task, node),
        }
    }

    /// A container key on a task's row: the container selected in the containers pane (on
    /// its node's host), and the key done there as if pressed there.
    fn task_container(
        &mut self,
        action: PaneAction,
        task: Box<TaskRow>,
        node: Option<(String, String)>,
    ) -> super::Effects {
        let Some(container) = task.container.clone() else {
            self.activity.refuse(format!(
                "{} has no container ({}{})",
                task.name,
                task.state,
                if task.error.is_empty() {
                    String::new()
                } else {
                    format!(": {}", task.error)
                }
            ));
            return super::Effects::default();
        };
        let host = self.node_host(&task.node_id).map(|h| h.id);
        let Some(host) = host else {
            let (name, addr) = node.unwrap_or_default();
            // A typed tcp:// endpoint speaks TLS when DOCKER_TLS_VERIFY and DOCKER_CERT_PATH
            // say so (`typed_tls`): then the TLS port is offered; else the plain one, said to
            // be plain (never plain http to the TLS port unsaid).
            let (port, how) = match self.typed_tls {
                Some(_) => (2376, "with TLS (DOCKER_CERT_PATH's certificates)"),
                None => (
                    2375,
                    "plain tcp, unencrypted (TLS on 2376 needs DOCKER_TLS_VERIFY and DOCKER_CERT_PATH)",
                ),
            };
            self.activity.refuse(format!(
                "{} runs on node {name} ({addr}), whose engine dockpit does not watch: add it as a host to reach its container; {how}",
                task.name
            ));
            // Offered at once: the endpoint form, with the node's address to complete.
            if let Some(View::Swarm(v)) = &mut self.view
                && !self.read_only
            {
                let guess = format!("tcp://{}:{port}", addr.split(':').next().unwrap_or(""));
                v.room.overlay = Some(Overlay::Dialog(Dialog::Form(Form::add_host_at(&guess))));
            }
            return super::Effects::default();
        };
        self.container_then(
            action,
            host,
            container,
            &format!("{}'s container", task.name),
        )
    }

    /// A container key on a row of a view (a Swarm task, the top view): the container
    /// selected in the containers pane and the key done there as if pressed there (`what`
    /// names it in a refusal).
    pub(super) fn container_then(
        &mut self,
        action: PaneAction,
        host: crate::docker::HostId,
        container: ContainerId,
        what: &str,
    ) -> super::Effects {
        if !self
            .containers
            .iter()
            .any(|c| c.host == host && c.id == container)
        {
            self.activity.refuse(format!(
                "{what} is not listed on {} yet: try again in a moment",
                self.host_name(host)
            ));
            return super::Effects::default();
        }
        if !self.show_container(&container) {
            self.activity.refuse(format!(
                "{what} is hidden in the containers pane (a folded project?)"
            ));
            return super::Effects::default();
        }
        let view = self.view.take();
        let tabs = self.terminals.sessions.len();
        let effects = self.apply(action);
        // Views opened from here (logs, stats, inspect) close back to this view; a shell
        // goes to the terminal pane, and leaving its tab returns to this view; an action
        // (stop, start) leaves it open.
        if self.view.is_some() {
            self.stack.extend(view);
        } else if let Some(session) = self.terminals.sessions.get(tabs) {
            self.terminals
                .return_views
                .extend(view.map(|v| (session.id, v)));
        } else if self.focus != super::Pane::Terminal {
            self.view = view;
        }
        effects
    }

    /// Selects a container in the containers pane (showing stopped ones, clearing a filter
    /// that hides it): whether it is the one selected now.
    pub(super) fn show_container(&mut self, id: &ContainerId) -> bool {
        self.focus = super::Pane::Containers;
        if !self.show_all
            && self
                .containers
                .iter()
                .any(|c| c.id == *id && !c.state.is_running())
        {
            self.show_all = true;
        }
        let selected = |app: &mut App| {
            app.container_cursor.follow(id.to_string());
            app.sync_cursors();
            app.selected_container().is_some_and(|c| c.id == *id)
        };
        if selected(self) {
            return true;
        }
        self.clear_filter();
        selected(self)
    }
}
