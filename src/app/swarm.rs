//! The Swarm view (`W`, `:swarm`): a manager's services, stacks and nodes (a tab each), and
//! the tasks of a service or a node, live from the manager's events (and task containers'
//! events from any watched node) plus a listing every [`EVERY`] seconds while open, since
//! task states change without events. Each tab and level is a kind of the generic list
//! (`swarm_lists`): `Tab` replaces the tab, `Enter` pushes a level, `Esc` pops it. A task's
//! container is reached on the live host that is its node.

use super::App;
use super::dialog::{Confirm, ConfirmKind, Dialog, Form, Picker};
use super::keymap::PaneAction;
use super::room::{Overlay, Room};
use super::swarm_lists::{Nodes, Services, Stacks, SwarmTasks, is_swarm, level, swarm_mut, tab_of};
use super::view::{Ctx, Outcome, Then, View};
use crate::docker::actions::swarm::{Availability, Named, SwarmOp};
use crate::docker::inspect::InspectTarget;
use crate::docker::swarm::{Membership, NodeRow, ServiceRow, SwarmListing, TaskRow, Tasks};
use crate::docker::{ContainerId, HostId, Op};

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

    pub fn next(self) -> Tab {
        let at = Tab::ALL.iter().position(|t| *t == self).unwrap_or(0);
        Tab::ALL[(at + 1) % Tab::ALL.len()]
    }

    /// The tab bar, this tab in brackets: "[Services] Stacks Nodes".
    pub fn bar(self) -> String {
        let tabs: Vec<String> = (Tab::ALL.iter())
            .map(|t| match *t == self {
                true => format!("[{}]", t.title()),
                false => t.title().to_string(),
            })
            .collect();
        tabs.join(" ")
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

/// What a Swarm list's key asks the app to do.
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
    /// `Tab`: this tab, at its top level, in place of the Swarm's levels open.
    Tab(Tab),
    /// `Tab` in a list: the tab after the one the levels open were opened from, in their
    /// place.
    NextTab,
    /// `Enter`: this level pushed over the list.
    Drill(Drill),
}

/// What every Swarm list holds beside its rows: the manager's last listing, which its verbs
/// and the next level read.
#[derive(Debug, Clone, Default)]
pub struct Swarm {
    pub listing: SwarmListing,
    /// The tasks `listing` holds (`None` before the first answer).
    pub listing_tasks: Option<Tasks>,
    /// Each watched node's host name by node id ("" for the only host), as of the last tick.
    pub engines: Vec<(String, String)>,
    /// Unix seconds as of the last tick ("3 minutes ago").
    pub now: i64,
    /// Unix seconds of the last listing asked for.
    pub asked: i64,
    /// The manager's host name ("" with one host).
    pub manager: String,
}

impl Swarm {
    /// "Swarm on NAME: PLACE", and the services still converging ("web 3/5").
    pub fn title(&self, place: &str) -> String {
        let mut title = match self.manager.as_str() {
            "" => format!("Swarm: {place}"),
            name => format!("Swarm on {}: {place}", crate::format::inert(name)),
        };
        let converging: Vec<String> = (self.listing.services.iter())
            .filter(|s| s.converging())
            .map(|s| format!("{} {}/{}", s.name, s.running, s.desired))
            .collect();
        if !converging.is_empty() {
            title.push_str(&format!(" · converging: {}", converging.join(", ")));
        }
        title
    }

    /// The host watching this node's engine, by name, if any.
    pub fn engine(&self, node: &str) -> Option<&str> {
        (self.engines.iter())
            .find(|(id, _)| id == node)
            .map(|(_, name)| name.as_str())
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
    pub fn availability_picker(&self, n: &NodeRow) -> Picker {
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
                let question = Confirm::new(
                    format!(" Drain node {label}? "),
                    ConfirmKind::Actions(vec![op(Availability::Drain)]),
                    vec![format!(
                        "Its {tasks} stop here and start on other nodes; it gets no new tasks until it is made active again."
                    )],
                );
                (at, question)
            })
            .into_iter()
            .collect();
        Picker {
            asks,
            ..Picker::new(format!(" Availability of node {label} "), items)
        }
    }

    /// How the docker CLI names the node: its hostname, or its id when hostnames repeat.
    pub fn node_ref(&self, id: &str) -> String {
        match self.hostname(id) {
            Some((hostname, false)) => hostname.to_string(),
            _ => id.to_string(),
        }
    }

    pub fn stack_services(&self, stack: &str) -> Vec<&ServiceRow> {
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
        stacks
    }

    /// "web.2@vm": a task and its node, as merged logs prefix its lines.
    pub fn task_label(&self, task: &TaskRow) -> String {
        format!("{}@{}", task.name, self.node_name(&task.node_id))
    }

    /// `l` on services (a service's, a stack's): their running tasks' logs, merged.
    pub fn logs(&self, title: String, services: &[String], cx: &mut Ctx) -> Outcome {
        // The tasks meant to run now (the running tasks listed with the services).
        let tasks: Vec<Named> = (self.listing.tasks.iter())
            .filter(|t| services.contains(&t.service_id) && t.desired == "running")
            .map(|t| named(&t.id, &self.task_label(t)))
            .collect();
        if tasks.is_empty() {
            return nothing(cx, &format!("{title} has no task to read logs from"));
        }
        Outcome::stay().then(Then::Swarm(SwarmThen::Logs { title, tasks }))
    }

    /// A container key on a task: done on its node's host (a task with no container, the
    /// task itself inspected, as the manager knows it).
    pub fn container(&self, action: PaneAction, task: TaskRow, room: &mut Room) -> Outcome {
        if task.container.is_none() && action == PaneAction::Inspect {
            return room.inspect(format!("task {}", task.name), InspectTarget::Task(task.id));
        }
        let node = (self.listing.nodes.iter())
            .find(|n| n.id == task.node_id)
            .map(|n| (self.node_name(&n.id), n.addr.clone()));
        let task = Box::new(task);
        Outcome::stay().then(Then::Swarm(SwarmThen::Container { action, task, node }))
    }
}

pub(super) fn named(id: &str, name: &str) -> Named {
    Named {
        id: id.to_string(),
        name: name.to_string(),
    }
}

pub(super) fn nothing(cx: &mut Ctx, why: &str) -> Outcome {
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

pub(super) fn service_confirm(s: &ServiceRow, update: bool) -> Confirm {
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
    Confirm::new(title, ConfirmKind::Actions(vec![Op::Swarm(op)]), vec![line])
}

pub(super) fn role_confirm(node: Named, label: String, row: &NodeRow, manager: bool) -> Confirm {
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
    let op = Op::Swarm(SwarmOp::NodeRole {
        node,
        label: label.clone(),
        manager,
    });
    Confirm::new(
        format!(" {verb} node {label}? "),
        ConfirmKind::Actions(vec![op]),
        vec![line],
    )
}

impl App {
    /// The manager the Swarm views ask: the open view's, else the first live manager.
    pub fn swarm_host(&self) -> Option<HostId> {
        if let Some(room) = self.views().find(|v| is_swarm(v)).and_then(View::room) {
            return Some(room.host);
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
    pub(super) fn open_swarm(&mut self) -> Vec<super::effects::Routed> {
        let Some(manager) = self.swarm_host() else {
            self.no_manager();
            return Vec::new();
        };
        let swarm = Swarm {
            now: self.now,
            asked: self.now,
            engines: self.engines(),
            manager: self.host_name(manager).to_string(),
            ..Swarm::default()
        };
        let view = self.swarm_level(SwarmThen::Tab(Tab::Services), swarm, manager);
        let queries = view
            .list()
            .map(|l| l.queries(true, &[]))
            .unwrap_or_default();
        self.view = Some(view);
        queries
    }

    /// Says why no Swarm view opens.
    fn no_manager(&mut self) {
        if self.hosts.iter().any(|h| h.up() && !h.swarm_read) {
            self.activity.refuse(
                "still asking the hosts whether one is a Swarm manager: try again in a moment",
            );
            return;
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
    }

    /// A Swarm list: a tab (`SwarmThen::Tab`) or a level (`SwarmThen::Drill`), on `manager`.
    fn swarm_level(&mut self, what: SwarmThen, swarm: Swarm, manager: HostId) -> View {
        let room = Room::new(self.view_id(), manager);
        let height = crate::layout::view_page(&self.areas());
        match what {
            SwarmThen::Tab(Tab::Stacks) => level(Stacks { swarm }, room, height),
            SwarmThen::Tab(Tab::Nodes) => level(Nodes { swarm }, room, height),
            SwarmThen::Drill(Drill::Stack(stack)) => {
                let stack = Some(stack);
                level(Services { swarm, stack }, room, height)
            }
            SwarmThen::Drill(of) => level(SwarmTasks { swarm, of }, room, height),
            _ => level(Services { swarm, stack: None }, room, height),
        }
    }

    /// `Tab` or `Enter` in a Swarm list: the tab in place of the Swarm's levels, or the
    /// level pushed over the list, with what the list holds; its listing asked for.
    fn swarm_go(&mut self, mut what: SwarmThen) -> Vec<super::effects::Routed> {
        if matches!(what, SwarmThen::Tab(_) | SwarmThen::NextTab) {
            // The levels drilled into go: a tab opens at its top.
            while self.view.as_ref().is_some_and(is_swarm)
                && self.stack.last().is_some_and(is_swarm)
            {
                self.view = self.stack.pop();
            }
        }
        if what == SwarmThen::NextTab {
            let tab = self.view.as_ref().and_then(tab_of).unwrap_or(Tab::Services);
            what = SwarmThen::Tab(tab.next());
        }
        let manager = self.view.as_ref().and_then(View::room).map(|r| r.host);
        let swarm = self.view.as_mut().and_then(swarm_mut).map(|s| s.clone());
        let (Some(manager), Some(mut swarm)) = (manager, swarm) else {
            return Vec::new();
        };
        swarm.asked = self.now;
        let tab = matches!(what, SwarmThen::Tab(_));
        let view = self.swarm_level(what, swarm, manager);
        let queries = view
            .list()
            .map(|l| l.queries(true, &[]))
            .unwrap_or_default();
        match tab {
            true => self.view = Some(view),
            false => self.push_view(view),
        }
        queries
    }

    /// Each watched node's host name by node id.
    fn engines(&self) -> Vec<(String, String)> {
        (self.hosts.iter())
            .filter(|h| h.up())
            .filter_map(|h| Some((h.swarm.as_ref()?.node_id.clone(), h.spec.name.clone())))
            .collect()
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

    /// The clock ticked: an open Swarm list lists again every [`EVERY`] seconds (tasks
    /// change state without an event); its clock and its nodes' hosts are brought up to date.
    pub(super) fn swarm_tick(&mut self) -> Vec<super::effects::Routed> {
        let (now, engines) = (self.now, self.engines());
        let Some(view) = self.view.as_mut() else {
            return Vec::new();
        };
        let Some(swarm) = swarm_mut(view) else {
            return Vec::new();
        };
        swarm.now = now;
        swarm.engines = engines;
        if now - swarm.asked < EVERY || view.room().is_none_or(|r| r.loading) {
            return Vec::new();
        }
        if let Some(swarm) = swarm_mut(view) {
            swarm.asked = now;
        }
        if let Some(room) = view.room_mut() {
            room.loading = true;
            room.quiet = true;
        }
        view.list()
            .map(|l| l.queries(false, &[]))
            .unwrap_or_default()
    }

    pub(super) fn swarm_then(&mut self, then: SwarmThen) -> super::Effects {
        match then {
            SwarmThen::Logs { title, tasks } => {
                // Through the manager of the Swarm list they were asked from.
                let Some(manager) = self.view.as_ref().and_then(View::room).map(|r| r.host) else {
                    return super::Effects::default();
                };
                self.keep_under();
                self.open_task_logs(title, manager, tasks).into()
            }
            SwarmThen::Container { action, task, node } => self.task_container(action, task, node),
            what => self.swarm_go(what).into(),
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
            if let Some(room) = self.view.as_mut().and_then(View::room_mut)
                && !self.prefs.read_only
            {
                let guess = format!("tcp://{}:{port}", addr.split(':').next().unwrap_or(""));
                room.overlay = Some(Overlay::Dialog(Dialog::Form(Form::add_host_at(&guess))));
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
            .rows()
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
        if !self.containers.kind.show_all
            && self
                .containers
                .rows()
                .any(|c| c.id == *id && !c.state.is_running())
        {
            self.containers.kind.show_all = true;
        }
        let selected = |app: &mut App| {
            app.containers.room.cursor.follow(id.to_string());
            app.sync_cursors();
            app.selected_container().is_some_and(|c| c.id == *id)
        };
        if selected(self) {
            return true;
        }
        // A filter hides it (only the filter: the marks stay).
        let page = self.rows_in_view(super::Pane::Containers);
        self.containers.clear_filter(page, &self.host_names);
        selected(self)
    }
}

/// A Swarm list is the top of the stack again: its answers went unheard meanwhile, so it
/// lists at the next tick.
pub fn resume(view: &mut View, now: i64) {
    let Some(swarm) = swarm_mut(view) else {
        return;
    };
    swarm.asked = now - EVERY;
    if let Some(room) = view.room_mut() {
        room.loading = false;
        room.again = false;
    }
}
