//! The Swarm view: services, stacks or nodes (a tab each), or the tasks of a service or a
//! node; the title names the manager asked and what is converging ("web 3/5").

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::Cell;

use super::room::{self, Titled, sized};
use super::table::{column, grows};
use super::theme;
use crate::app::App;
use crate::app::swarm::{Drill, StackRow, SwarmView, Tab};
use crate::docker::swarm::{Mode, NodeRow, ServiceRow, TaskRow};
use crate::format::{ago, inert, short_id};

/// "3/5", coloured by whether it is what was asked.
fn count(running: u64, desired: u64, converging: bool) -> Cell<'static> {
    let text = format!("{running}/{desired}");
    Cell::from(Span::styled(
        text,
        theme::converged(!converging && running == desired),
    ))
}

/// What the title says: the manager, the tabs (the open one in brackets) or the level
/// drilled into, and the services still converging.
fn title(view: &SwarmView) -> Titled {
    let place = match &view.drill {
        Some(Drill::Stack(name)) => format!("services of stack {name}"),
        Some(Drill::ServiceTasks(s)) => format!("tasks of service {}", s.name),
        Some(Drill::NodeTasks(n)) => format!("tasks on node {}", n.name),
        None => Tab::ALL
            .iter()
            .map(|t| match *t == view.tab {
                true => format!("[{}]", t.title()),
                false => t.title().to_string(),
            })
            .collect::<Vec<_>>()
            .join(" "),
    };
    let converging: Vec<String> = view
        .listing
        .services
        .iter()
        .filter(|s| s.converging())
        .map(|s| format!("{} {}/{}", s.name, s.running, s.desired))
        .collect();
    // With one host there is no other to tell it from.
    let mut title = match view.manager_name.as_str() {
        "" => format!("Swarm: {place}"),
        name => format!("Swarm on {}: {place}", inert(name)),
    };
    if !converging.is_empty() {
        title.push_str(&format!(" · converging: {}", converging.join(", ")));
    }
    let noun = match (&view.drill, view.tab) {
        (Some(Drill::ServiceTasks(_) | Drill::NodeTasks(_)), _) => "tasks",
        (Some(Drill::Stack(_)), _) | (None, Tab::Services) => "services",
        (None, Tab::Stacks) => "stacks (services deployed with docker stack deploy)",
        (None, Tab::Nodes) => "nodes",
    };
    Titled(title, noun.to_string())
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &SwarmView) {
    let titled = title(view);
    if view.showing_tasks() {
        return tasks(frame, area, app, view, titled);
    }
    match (view.tab, &view.drill) {
        (_, Some(Drill::Stack(_))) | (Tab::Services, _) => services(frame, area, app, view, titled),
        (Tab::Stacks, _) => stacks(frame, area, app, view, titled),
        (Tab::Nodes, _) => nodes(frame, area, app, view, titled),
    }
}

fn services(frame: &mut Frame, area: Rect, app: &App, view: &SwarmView, titled: Titled) {
    let rows: Vec<ServiceRow> = view.services().into_iter().cloned().collect();
    let columns = [
        sized("NAME", rows.iter().map(|r| r.name.as_str()), 30, 0),
        column("MODE", Constraint::Length(11), 3),
        column("REPLICAS", Constraint::Length(9), 0),
        sized("IMAGE", rows.iter().map(|r| r.image.as_str()), 36, 1),
        sized("PORTS", rows.iter().map(|r| r.ports.as_str()), 24, 4),
        column("UPDATED", grows(Constraint::Length(16)), 2),
    ];
    let now = app.now;
    room::render(frame, area, app, &view.room, titled, columns, &rows, |r| {
        let mode = match r.mode {
            Mode::Replicated(_) => "replicated",
            Mode::Global => "global",
            Mode::Other(other) => other,
        };
        let updated = match (&r.update_state, r.updated) {
            (_, 0) => String::new(),
            (Some(state), at) if state != "completed" => format!("{state}, {}", ago(at, now)),
            (_, at) => ago(at, now),
        };
        [
            Cell::from(inert(&r.name)),
            Cell::from(mode),
            count(r.running, r.desired, r.converging()),
            Cell::from(inert(&r.image)),
            Cell::from(inert(&r.ports)),
            Cell::from(inert(&updated)),
        ]
    });
}

fn stacks(frame: &mut Frame, area: Rect, app: &App, view: &SwarmView, titled: Titled) {
    let rows = view.stacks();
    let columns = [
        sized("NAME", rows.iter().map(|r| r.name.as_str()), 30, 0),
        column("SERVICES", Constraint::Length(9), 1),
        column("TASKS", grows(Constraint::Length(9)), 0),
    ];
    room::render(
        frame,
        area,
        app,
        &view.room,
        titled,
        columns,
        &rows,
        |r: &StackRow| {
            [
                Cell::from(inert(&r.name)),
                Cell::from(r.services.to_string()),
                count(r.running, r.desired, false),
            ]
        },
    );
}

fn nodes(frame: &mut Frame, area: Rect, app: &App, view: &SwarmView, titled: Titled) {
    let rows = &view.listing.nodes;
    let names: Vec<String> = rows.iter().map(|n| view.node_name(&n.id)).collect();
    // The live host that is each node's engine ("this host" when dockpit watches one).
    let host = |id: &str| match view.node_host(id) {
        Some("") => "this host",
        Some(name) => name,
        None => "—",
    };
    let hosts: Vec<String> = rows.iter().map(|n| host(&n.id).to_string()).collect();
    let columns = [
        sized("HOSTNAME", names.iter().map(String::as_str), 30, 0),
        column("ID", Constraint::Length(13), 6),
        column("ROLE", Constraint::Length(8), 1),
        column("AVAILABILITY", Constraint::Length(13), 0),
        column("STATUS", Constraint::Length(8), 2),
        column("MANAGER", Constraint::Length(12), 3),
        sized("ENGINE", rows.iter().map(|r| r.engine.as_str()), 16, 5),
        column("TASKS", Constraint::Length(6), 2),
        sized("HOST", hosts.iter().map(String::as_str), 16, 4),
        column("LABELS", grows(Constraint::Length(8)), 7),
    ];
    room::render(
        frame,
        area,
        app,
        &view.room,
        titled,
        columns,
        rows,
        |n: &NodeRow| {
            [
                Cell::from(inert(&view.node_name(&n.id))),
                Cell::from(short_id(&n.id).to_string()),
                Cell::from(n.role.clone()),
                Cell::from(Span::styled(
                    n.availability.clone(),
                    theme::swarm_state(&n.availability),
                )),
                Cell::from(Span::styled(n.state.clone(), theme::swarm_state(&n.state))),
                Cell::from(n.manager_status.clone()),
                Cell::from(inert(&n.engine)),
                Cell::from(n.tasks.to_string()),
                Cell::from(inert(host(&n.id))),
                Cell::from(inert(&n.labels)),
            ]
        },
    );
}

fn tasks(frame: &mut Frame, area: Rect, app: &App, view: &SwarmView, titled: Titled) {
    let rows = &view.listing.tasks;
    let nodes: Vec<String> = rows.iter().map(|t| view.node_name(&t.node_id)).collect();
    // Its container, and where dockpit reaches it (the live host that is its node).
    let container = |t: &TaskRow| match (&t.container, view.node_host(&t.node_id)) {
        (Some(id), Some("")) => short_id(id).to_string(),
        (Some(id), Some(host)) => format!("{}@{host}", short_id(id)),
        (Some(id), None) => format!("{} (node not watched)", short_id(id)),
        (None, _) => "—".into(),
    };
    let containers: Vec<String> = rows.iter().map(container).collect();
    let columns = [
        sized("NAME", rows.iter().map(|r| r.name.as_str()), 30, 0),
        sized("NODE", nodes.iter().map(String::as_str), 24, 1),
        column("DESIRED", Constraint::Length(9), 3),
        column("CURRENT", Constraint::Length(26), 0),
        sized("CONTAINER", containers.iter().map(String::as_str), 32, 2),
        column("ERROR", grows(Constraint::Length(8)), 4),
    ];
    let now = app.now;
    room::render(
        frame,
        area,
        app,
        &view.room,
        titled,
        columns,
        rows,
        |t: &TaskRow| {
            let current = match t.since {
                0 => t.state.clone(),
                at => format!("{} {}", t.state, ago(at, now)),
            };
            [
                Cell::from(inert(&t.name)),
                Cell::from(inert(&view.node_name(&t.node_id))),
                Cell::from(t.desired.clone()),
                Cell::from(Span::styled(inert(&current), theme::swarm_state(&t.state))),
                Cell::from(inert(&container(t))),
                Cell::from(Span::styled(inert(&t.error), theme::error())),
            ]
        },
    );
}
