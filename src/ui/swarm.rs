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
fn title(app: &App, view: &SwarmView) -> Titled {
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
    let mut title = match app.host_name(view.room.host) {
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
    let titled = title(app, view);
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
    let rows = view.services();
    let columns = [
        sized("NAME", rows.iter().map(|r| r.name.as_str()), 30, 0),
        column("MODE", Constraint::Length(11), 3),
        column("REPLICAS", Constraint::Length(9), 0),
        sized("IMAGE", rows.iter().map(|r| r.image.as_str()), 36, 1),
        sized("PORTS", rows.iter().map(|r| r.ports.as_str()), 24, 4),
        column("UPDATED", grows(Constraint::Length(16)), 2),
    ];
    let now = app.now;
    room::render(
        frame,
        area,
        app,
        &view.room,
        titled,
        columns,
        &rows,
        |r: &&ServiceRow| {
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
        },
    );
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
    // Each node with its name and the live host that is its engine ("this host" when
    // dockpit watches one), worked out once.
    let rows: Vec<(&NodeRow, String, &str)> = view
        .nodes()
        .into_iter()
        .map(|n| {
            let host = match app.node_host(&n.id).map(|h| h.spec.name.as_str()) {
                Some("") => "this host",
                Some(name) => name,
                None => "—",
            };
            (n, view.node_name(&n.id), host)
        })
        .collect();
    let columns = [
        sized(
            "HOSTNAME",
            rows.iter().map(|(_, name, _)| name.as_str()),
            30,
            0,
        ),
        column("ID", Constraint::Length(13), 6),
        column("ROLE", Constraint::Length(8), 1),
        column("AVAILABILITY", Constraint::Length(13), 0),
        column("STATUS", Constraint::Length(8), 2),
        column("MANAGER", Constraint::Length(12), 3),
        sized(
            "ENGINE",
            rows.iter().map(|(n, _, _)| n.engine.as_str()),
            16,
            5,
        ),
        column("TASKS", Constraint::Length(6), 2),
        sized("HOST", rows.iter().map(|(_, _, host)| *host), 16, 4),
        column("LABELS", grows(Constraint::Length(8)), 7),
    ];
    room::render(
        frame,
        area,
        app,
        &view.room,
        titled,
        columns,
        &rows,
        |(n, name, host): &(&NodeRow, String, &str)| {
            [
                Cell::from(inert(name)),
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
                Cell::from(inert(host)),
                Cell::from(inert(&n.labels)),
            ]
        },
    );
}

fn tasks(frame: &mut Frame, area: Rect, app: &App, view: &SwarmView, titled: Titled) {
    // Each task with its node's name and its container (where dockpit reaches it: the live
    // host that is its node), worked out once.
    let rows: Vec<(&TaskRow, String, String)> = view
        .shown_tasks()
        .into_iter()
        .map(|t| {
            let host = app.node_host(&t.node_id).map(|h| h.spec.name.as_str());
            let container = match (&t.container, host) {
                (Some(id), Some("")) => short_id(id).to_string(),
                (Some(id), Some(host)) => format!("{}@{host}", short_id(id)),
                (Some(id), None) => format!("{} (node not watched)", short_id(id)),
                (None, _) => "—".into(),
            };
            (t, view.node_name(&t.node_id), container)
        })
        .collect();
    let columns = [
        sized("NAME", rows.iter().map(|(t, _, _)| t.name.as_str()), 30, 0),
        sized("NODE", rows.iter().map(|(_, node, _)| node.as_str()), 24, 1),
        column("DESIRED", Constraint::Length(9), 3),
        column("CURRENT", Constraint::Length(26), 0),
        sized("CONTAINER", rows.iter().map(|(_, _, c)| c.as_str()), 32, 2),
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
        &rows,
        |(t, node, container): &(&TaskRow, String, String)| {
            let current = match t.since {
                0 => t.state.clone(),
                at => format!("{} {}", t.state, ago(at, now)),
            };
            [
                Cell::from(inert(&t.name)),
                Cell::from(inert(node)),
                Cell::from(t.desired.clone()),
                Cell::from(Span::styled(inert(&current), theme::swarm_state(&t.state))),
                Cell::from(inert(container)),
                Cell::from(Span::styled(inert(&t.error), theme::error())),
            ]
        },
    );
}
