//! The generic list, one table of tests for every kind on it: filter, sort, mark and `Esc`
//! work; every key help lists there does something, and every other key only says it does
//! nothing.

use super::*;
use crate::app::keymap::{Key, Scope};
use crate::docker::compose_file::{ProjectFile, Scan, ServiceSpec, Source, Stamp, Tool};
use crate::docker::disk::{DiskUsage, Usage};
use crate::docker::host::HostAnswer;
use crate::docker::networks::NetworkRow;
use crate::docker::volumes::VolumeRow;

/// A list kind under test: the key that opens it, an answer with rows "alpha-2",
/// "beta-10", "gamma-1" (or the disk usage's four kinds), and what its columns do. A new
/// kind gets every test below by adding one entry to [`CASES`].
struct Case {
    open: KeyCode,
    scope: Scope,
    /// Its rows in a host's answer; `None`: the app's own (the hosts view lists the docker
    /// contexts "alpha-2", "beta-10" and "gamma-1" after the live host).
    answer: Option<fn() -> HostAnswer>,
    /// A filter that keeps exactly one row, and that row's first cell.
    only: (&'static str, &'static str),
    /// A header that sorts, the first cells sorted by it (ascending), a header that does not.
    sorts: (&'static str, &'static [&'static str], &'static str),
    /// A verb that acts on the marked rows (and asks first), if the kind has one.
    on_marks: Option<char>,
    /// What the app has before the list opens (the builds view lists the app's builds).
    before: fn(&mut App),
}

/// A project read from its file `/src/NAME/compose.yml`, its services named.
fn project_file(name: &str, services: &[&str]) -> (Source, Stamp, Result<ProjectFile, String>) {
    let dir = std::path::PathBuf::from(format!("/src/{name}"));
    let file = ProjectFile {
        name: name.into(),
        json: "{}".into(),
        files: vec![dir.join("compose.yml")],
        dir: dir.clone(),
        services: (services.iter())
            .map(|s| ServiceSpec {
                name: (*s).into(),
                image: "busybox:1".into(),
                replicas: 1,
                ..Default::default()
            })
            .collect(),
    };
    (Source::Dir(dir), Stamp::default(), Ok(file))
}

/// The files read, as a scan on the event loop's blocking pool answers.
fn scanned(app: &mut App, reads: Vec<(Source, Stamp, Result<ProjectFile, String>)>) {
    let tool = Tool {
        program: "/usr/libexec/docker/cli-plugins/docker-compose".into(),
        version: "2.40.3".into(),
        plugin: true,
    };
    app.send(Event::ComposeScanned(Scan {
        tool: Ok(tool),
        reads,
    }));
}

/// Three Compose projects read from their files (all down): beta-10, alpha-2, gamma-1.
fn three_projects(app: &mut App) {
    let reads = ["beta-10", "alpha-2", "gamma-1"]
        .into_iter()
        .map(|name| project_file(name, &["web"]))
        .collect();
    scanned(app, reads);
}

/// A project of three services (beta-10, alpha-2, gamma-1), its services view to open with
/// `Enter` over the projects view.
fn three_services(app: &mut App) {
    scanned(
        app,
        vec![project_file("shop", &["beta-10", "alpha-2", "gamma-1"])],
    );
    press(app, KeyCode::Char('J'));
}

fn nothing(_: &mut App) {}

/// A container selected in the containers pane (the files view opens on it).
fn a_container(app: &mut App) {
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![container("web", crate::docker::ContainerState::Exited)],
    }));
    app.focus = Pane::Containers;
}

/// A Swarm of three nodes and three services (each its own stack), and three tasks of the
/// first listed (beta-10), as the manager lists them.
fn swarm_listing() -> crate::docker::swarm::SwarmListing {
    use crate::docker::swarm::{Mode, NodeRow, ServiceRow, TaskRow};
    let names = ["beta-10", "alpha-2", "gamma-1"];
    let node = |name: &str| NodeRow {
        id: format!("id-{name}"),
        hostname: name.into(),
        role: "worker".into(),
        availability: "active".into(),
        state: "ready".into(),
        manager_status: String::new(),
        engine: "26.1.5".into(),
        labels: String::new(),
        addr: "10.0.0.9".into(),
        tasks: 1,
    };
    let service = |name: &str| ServiceRow {
        id: format!("id-{name}"),
        name: name.into(),
        mode: Mode::Replicated(1),
        running: 1,
        desired: 1,
        image: "busybox:1".into(),
        ports: String::new(),
        updated: 0,
        update_state: None,
        update_message: None,
        stack: Some(name.into()),
    };
    let task = |name: &str| TaskRow {
        id: format!("task-{name}"),
        service_id: "id-beta-10".into(),
        name: name.into(),
        slot: Some(1),
        node_id: "n1".into(),
        desired: "running".into(),
        state: "running".into(),
        message: String::new(),
        error: String::new(),
        since: 0,
        container: Some(format!("c-{name}").into()),
    };
    crate::docker::swarm::SwarmListing {
        nodes: names.map(node).to_vec(),
        services: names.map(service).to_vec(),
        tasks: names.map(task).to_vec(),
    }
}

fn swarm_running() -> HostAnswer {
    HostAnswer::Swarm(crate::docker::swarm::Tasks::Running, swarm_listing())
}

fn swarm_tasks() -> HostAnswer {
    let tasks = crate::docker::swarm::Tasks::Service("id-beta-10".into());
    HostAnswer::Swarm(tasks, swarm_listing())
}

/// The live host a Swarm manager, its Swarm view open on the services, listed.
fn swarm_open(app: &mut App) {
    swarm_member(app);
    let sent = press(app, KeyCode::Char('W'));
    let id = sent.iter().find_map(|c| match c {
        Command::Host { id, .. } => Some(*id),
        _ => None,
    });
    let id = id.expect("the Swarm view asks the manager");
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(swarm_running()),
    }));
}

/// The Swarm view at its stacks tab (the nodes tab is a `Tab` away).
fn swarm_stacks(app: &mut App) {
    swarm_open(app);
    press(app, KeyCode::Tab);
}

/// The live host a Swarm manager.
fn swarm_member(app: &mut App) {
    app.send(docker(DockerEvent::Swarm(Some(
        crate::docker::swarm::Membership {
            node_id: "n1".into(),
            manager: true,
            managers: vec![],
        },
    ))));
}

/// A folder's three files, streamed in as a listing answers (the files view's rows).
fn three_files(app: &mut App, sent: &[Command]) {
    use crate::docker::files::{Answer, Entry, Kind, Request};
    let Some(id) = sent.iter().find_map(|c| match c {
        Command::Files {
            id,
            request: Request::List { .. },
        } => Some(*id),
        _ => None,
    }) else {
        return;
    };
    let file = |name: &str, size| Entry {
        name: name.into(),
        kind: Kind::File,
        size,
        mode: 0o644,
        link: None,
    };
    let rows = vec![file("beta-10", 1), file("gamma-1", 3), file("alpha-2", 2)];
    app.send(docker(DockerEvent::Files {
        id,
        answer: Answer::Rows { rows, read: 3 },
    }));
    app.send(docker(DockerEvent::Files {
        id,
        answer: Answer::Done { read: 3 },
    }));
}

/// Three containers that exited non-zero (beta-10, alpha-2, gamma-1): three alerts, three
/// moments of the timeline.
fn three_exits(app: &mut App) {
    for (i, name) in ["beta-10", "alpha-2", "gamma-1"].into_iter().enumerate() {
        app.send(docker(DockerEvent::Engine(crate::docker::EngineEvent {
            time: i64::try_from(i).unwrap_or_default() * 1_000_000_000,
            kind: crate::docker::EventKind::Container,
            action: "die".into(),
            actor_id: format!("id-{name}"),
            attributes: vec![
                ("exitCode".into(), "1".into()),
                ("name".into(), name.into()),
            ],
        })));
    }
}

/// Three builds, tagged beta-10, alpha-2 and gamma-1.
fn three_builds(app: &mut App) {
    for name in ["beta-10", "alpha-2", "gamma-1"] {
        let spec = crate::build_spec::BuildFields {
            context: ".".into(),
            tags: name.into(),
            ..Default::default()
        }
        .parse()
        .expect("a build");
        app.submit(vec![crate::docker::Op::Build(Box::new(spec))]);
    }
}

fn volumes() -> HostAnswer {
    let row = |name: &str, size| VolumeRow {
        name: name.into(),
        driver: "local".into(),
        scope: "local".into(),
        size: Some(size),
        users: vec![],
    };
    let rows = vec![row("beta-10", 1), row("alpha-2", 3), row("gamma-1", 2)];
    HostAnswer::Volumes(rows, Some(DiskUsage::default()))
}

fn networks() -> HostAnswer {
    let row = |name: &str| NetworkRow {
        id: format!("id-{name}"),
        name: name.into(),
        driver: "bridge".into(),
        scope: "local".into(),
        subnets: vec![("172.18.0.0/16".into(), "172.18.0.1".into())],
        ..NetworkRow::default()
    };
    HostAnswer::Networks(vec![row("beta-10"), row("alpha-2"), row("gamma-1")])
}

fn disk() -> HostAnswer {
    let usage = |total| Usage {
        total,
        active: 0,
        size: 10,
        reclaimable: 1,
    };
    HostAnswer::DiskUsage(DiskUsage {
        images: usage(3),
        containers: usage(1),
        volumes: usage(4),
        build_cache: usage(2),
        ..DiskUsage::default()
    })
}

const CASES: [Case; 14] = [
    Case {
        open: KeyCode::Char('V'),
        scope: Scope::Volumes,
        answer: Some(volumes),
        only: ("gamma", "gamma-1"),
        sorts: ("NAME", &["alpha-2", "beta-10", "gamma-1"], "SCOPE"),
        on_marks: Some('d'),
        before: nothing,
    },
    Case {
        open: KeyCode::Char('M'),
        scope: Scope::Networks,
        answer: Some(networks),
        only: ("alpha", "alpha-2"),
        sorts: ("NAME", &["alpha-2", "beta-10", "gamma-1"], "SUBNET"),
        on_marks: Some('d'),
        before: nothing,
    },
    Case {
        open: KeyCode::Char('F'),
        scope: Scope::DiskUsage,
        answer: Some(disk),
        only: ("cache", "Build Cache"),
        sorts: (
            "TOTAL",
            &["Containers", "Build Cache", "Images", "Local Volumes"],
            "TYPE",
        ),
        on_marks: None,
        before: nothing,
    },
    Case {
        open: KeyCode::Char('H'),
        scope: Scope::Hosts,
        answer: None,
        only: ("gamma", "gamma-1 (context)"),
        sorts: (
            "NAME",
            // The live host of a test app has no name.
            &[
                "",
                "alpha-2 (context)",
                "beta-10 (context)",
                "gamma-1 (context)",
            ],
            "OS/ARCH",
        ),
        // Removing hosts asks too (`tests/views.rs`), over the view.
        on_marks: None,
        before: nothing,
    },
    Case {
        open: KeyCode::Char('B'),
        scope: Scope::Builds,
        answer: None,
        only: ("gamma", "gamma-1"),
        sorts: ("BUILD", &["alpha-2", "beta-10", "gamma-1"], "STEPS"),
        on_marks: None,
        before: three_builds,
    },
    Case {
        open: KeyCode::Char('!'),
        scope: Scope::Alerts,
        // Its rows are the app's: the exits `opened` feeds it.
        answer: None,
        only: ("gamma", "gamma-1"),
        sorts: ("CONTAINER", &["alpha-2", "beta-10", "gamma-1"], "MESSAGE"),
        // Putting alerts away changes nothing on a host: it does not ask.
        on_marks: None,
        before: three_exits,
    },
    Case {
        open: KeyCode::Char('J'),
        scope: Scope::Compose,
        // Its rows are the app's: from the files `before` reads.
        answer: None,
        only: ("gamma", "gamma-1"),
        sorts: ("PROJECT", &["alpha-2", "beta-10", "gamma-1"], "SERVICES"),
        // Several projects ask over the view, not in its room (`tests/compose_files.rs`).
        on_marks: None,
        before: three_projects,
    },
    Case {
        open: KeyCode::Enter,
        scope: Scope::ComposeServices,
        answer: None,
        only: ("gamma", "gamma-1"),
        sorts: ("SERVICE", &["alpha-2", "beta-10", "gamma-1"], "REPLICAS"),
        on_marks: None,
        before: three_services,
    },
    Case {
        open: KeyCode::Char('~'),
        scope: Scope::Timeline,
        // Its rows are the app's: the exits `opened` feeds it, one moment each.
        answer: None,
        only: ("gamma", "gamma-1"),
        sorts: ("CONTAINER", &["alpha-2", "beta-10", "gamma-1"], "ASKED BY"),
        on_marks: None,
        before: three_exits,
    },
    Case {
        open: KeyCode::Char('f'),
        scope: Scope::Files,
        // Its rows stream in as the folder is read (`opened` feeds three files).
        answer: None,
        only: ("gamma", "gamma-1"),
        sorts: ("SIZE", &["beta-10", "alpha-2", "gamma-1"], "MODE"),
        // A download takes one entry; no verb acts on marks.
        on_marks: None,
        before: a_container,
    },
    Case {
        open: KeyCode::Char('W'),
        scope: Scope::SwarmServices,
        answer: Some(swarm_running),
        only: ("gamma", "gamma-1"),
        sorts: ("NAME", &["alpha-2", "beta-10", "gamma-1"], "MODE"),
        on_marks: Some('d'),
        before: swarm_member,
    },
    Case {
        open: KeyCode::Tab,
        scope: Scope::SwarmStacks,
        answer: Some(swarm_running),
        only: ("gamma", "gamma-1"),
        sorts: ("NAME", &["alpha-2", "beta-10", "gamma-1"], "TASKS"),
        on_marks: Some('d'),
        before: swarm_open,
    },
    Case {
        open: KeyCode::Tab,
        scope: Scope::SwarmNodes,
        answer: Some(swarm_running),
        only: ("gamma", "gamma-1"),
        sorts: ("HOSTNAME", &["alpha-2", "beta-10", "gamma-1"], "ID"),
        on_marks: None,
        before: swarm_stacks,
    },
    Case {
        open: KeyCode::Enter,
        scope: Scope::SwarmTasks,
        answer: Some(swarm_tasks),
        only: ("gamma", "gamma-1"),
        sorts: ("NAME", &["alpha-2", "beta-10", "gamma-1"], "DESIRED"),
        on_marks: None,
        before: swarm_open,
    },
];

/// What the open list shows: its first cells, its marks, whether a filter is set.
fn state(app: &App) -> Option<(Vec<String>, usize, String)> {
    let list = app.view.as_ref()?.list()?;
    let shown = list.shown_lines(&app.host_names);
    let rows = (shown.lines.into_iter())
        .map(|mut l| l.cells.swap_remove(0))
        .collect();
    let filter = list.room().filter.text().to_string();
    Some((rows, shown.marked, filter))
}

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(code)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// An app with the case's list open and answered.
fn opened(case: &Case) -> App {
    let context = |name: &str| crate::app::hosts::Context {
        name: name.into(),
        endpoint: Ok(crate::docker::Endpoint {
            host: format!("unix:///{name}.sock"),
            source: crate::docker::EndpointSource::Context(name.into()),
            tls: None,
        }),
    };
    let mut app = App::new(crate::app::Settings {
        endpoint: "unix:///test.sock".into(),
        size: (120, 40),
        contexts: ["beta-10", "alpha-2", "gamma-1"].map(context).to_vec(),
        ..crate::app::Settings::default()
    });
    // The live host answered (its engine and OS/ARCH show).
    app.send(docker(DockerEvent::Connected(crate::docker::EngineInfo {
        endpoint: crate::docker::Endpoint {
            host: "unix:///test.sock".into(),
            source: crate::docker::EndpointSource::Flag,
            tls: None,
        },
        version: "26.1".into(),
        api_version: "1.45".into(),
        os_arch: "linux/amd64".into(),
    })));
    (case.before)(&mut app);
    let sent = press(&mut app, case.open);
    three_files(&mut app, &sent);
    let Some(answer) = case.answer else {
        return app;
    };
    let id = sent
        .iter()
        .find_map(|c| match c {
            Command::Host { id, .. } => Some(*id),
            _ => None,
        })
        .expect("the list asks for its rows");
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(answer()),
    }));
    app
}

#[test]
fn every_list_filters_sorts_marks_and_esc_clears_then_closes() {
    for case in &CASES {
        let mut app = opened(case);
        let (all, _, _) = state(&app).expect("a list open");
        assert!(all.len() >= 3, "{:?}: {all:?}", case.scope);
        // `/` takes the letters (none of them acts as a key), Enter keeps the filter.
        press(&mut app, KeyCode::Char('/'));
        typed(&mut app, case.only.0);
        assert!(app.view.as_ref().is_some_and(View::filtering));
        press(&mut app, KeyCode::Enter);
        let (rows, _, filter) = state(&app).expect("still open");
        assert_eq!(rows, [case.only.1], "{:?}", case.scope);
        assert_eq!(filter, case.only.0);
        // Esc clears the filter and nothing else; the view stays.
        press(&mut app, KeyCode::Esc);
        assert_eq!(state(&app).expect("still open").0, all, "{:?}", case.scope);
        // `>` sorts by the first sortable column, `<` reverses it.
        press(&mut app, KeyCode::Char('>'));
        let sorted = state(&app).expect("open").0;
        press(&mut app, KeyCode::Char('<'));
        let reversed = state(&app).expect("open").0;
        let mut back = reversed.clone();
        back.reverse();
        assert_eq!(back, sorted, "{:?}", case.scope);
        assert_ne!(sorted, reversed, "{:?}", case.scope);
        // Space marks and moves down; twice marks two.
        press(&mut app, KeyCode::Char('g'));
        press(&mut app, KeyCode::Char(' '));
        press(&mut app, KeyCode::Char(' '));
        assert_eq!(state(&app).expect("open").1, 2, "{:?}", case.scope);
        // The title counts them.
        let title = app.areas().view.y;
        let counted = super::lists::drawn_at(&app, title, ", 2 marked)");
        assert!(
            counted.is_some(),
            "{:?}: the title counts the marks",
            case.scope
        );
        // Esc clears the filter first, then the marks, then closes the view.
        press(&mut app, KeyCode::Char('/'));
        typed(&mut app, case.only.0);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Esc);
        let (rows, marked, filter) = state(&app).expect("still open");
        assert_eq!((rows, marked, filter.as_str()), (reversed.clone(), 2, ""));
        press(&mut app, KeyCode::Esc);
        assert_eq!(state(&app).expect("still open").1, 0, "{:?}", case.scope);
        assert_eq!(super::status(&app), "Cleared 2 marks");
        press(&mut app, KeyCode::Esc);
        // (Closed: the view under it is back, if any; a services view's is its projects.)
        let top = app.view.as_ref().and_then(View::scope);
        assert_ne!(top, Some(case.scope), "{:?} closes", case.scope);
    }
}

#[test]
fn marked_rows_are_what_remove_asks_about() {
    for case in &CASES {
        let Some(verb) = case.on_marks else {
            continue;
        };
        let mut app = opened(case);
        press(&mut app, KeyCode::Char('g'));
        press(&mut app, KeyCode::Char(' '));
        press(&mut app, KeyCode::Char(' '));
        press(&mut app, KeyCode::Char(verb));
        let room = app.view.as_ref().and_then(View::room).expect("open");
        let Some(crate::app::room::Overlay::Dialog(crate::app::dialog::Dialog::Confirm(c))) =
            &room.overlay
        else {
            panic!("{:?}: remove asks first", case.scope);
        };
        assert!(c.title.contains(" 2 "), "{:?}: {}", case.scope, c.title);
        assert_eq!(c.ops().len(), 2, "{:?}", case.scope);
        // Esc answers no: nothing runs.
        let sent = press(&mut app, KeyCode::Esc);
        assert!(
            sent.iter().all(|c| !matches!(c, Command::Op { .. })),
            "{sent:?}"
        );
    }
}

/// The printable keys, a few named ones, and the global keys with Ctrl (`Ctrl-C` quits over
/// a view; `Ctrl-R`, the panes' reconnect, does not).
fn every_key() -> Vec<KeyEvent> {
    let printable = ('!'..='~').map(KeyCode::Char);
    let named = [
        KeyCode::Enter,
        KeyCode::Tab,
        KeyCode::Backspace,
        KeyCode::F(5),
    ];
    let ctrl = ['c', 'r'].map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    printable
        .chain(named)
        .map(KeyEvent::from)
        .chain(ctrl)
        .collect()
}

#[test]
fn help_lists_exactly_the_keys_that_work_in_every_list() {
    let keymap = crate::app::keymap::Keymap::default();
    for case in &CASES {
        // What help over this list shows (as `ui::help` draws it).
        let scopes = opened(case).view.as_ref().map(View::help_scopes);
        let help = keymap.sections_for(&scopes.unwrap_or_default());
        let listed = |key: &KeyEvent| {
            help.iter()
                .flat_map(|(_, bindings)| bindings)
                .any(|b| b.keys.iter().any(|k| Key::describe(key) == k.label()))
        };
        for key in every_key() {
            let mut app = opened(case);
            app.activity.status = None;
            app.send(Event::Key(key));
            let said = status(&app);
            let nothing = said.contains("does nothing in");
            assert_eq!(
                !listed(&key),
                nothing,
                "{:?}: {} (help {}): {said:?}",
                case.scope,
                Key::describe(&key),
                if listed(&key) {
                    "lists it"
                } else {
                    "does not list it"
                }
            );
        }
    }
}

/// A click on a sortable header sorts by it, a second click reverses it; a header that does
/// not sort changes nothing.
#[test]
fn a_click_on_a_lists_header_sorts_by_its_column() {
    use super::click;
    use super::lists::drawn_at;
    for case in &CASES {
        let (header, order, unsorted) = case.sorts;
        let mut app = opened(case);
        let y = app.areas().view.y + 1;
        let before = state(&app).expect("open").0;
        let x = drawn_at(&app, y, unsorted).expect("a header that does not sort");
        click(&mut app, x + 1, y);
        assert_eq!(state(&app).expect("open").0, before, "{:?}", case.scope);
        let x = drawn_at(&app, y, header).expect("a sortable header");
        click(&mut app, x + 1, y);
        assert_eq!(state(&app).expect("open").0, order, "{:?}", case.scope);
        assert!(
            drawn_at(&app, y, &format!("{header} ▲")).is_some(),
            "{:?}",
            case.scope
        );
        click(&mut app, x + 1, y);
        let mut reversed = order.to_vec();
        reversed.reverse();
        assert_eq!(state(&app).expect("open").0, reversed, "{:?}", case.scope);
    }
}

/// The first cell of the row drawn selected (the title says its position).
fn selected(app: &App) -> usize {
    let room = app.view.as_ref().and_then(View::room).expect("open");
    room.cursor.index
}

/// A click on a row selects it (below the last row: nothing changes), the wheel moves the
/// selection, and with a question open over the list a click changes nothing under it.
#[test]
fn a_click_selects_a_lists_row_and_the_wheel_moves() {
    use crossterm::event::{MouseEvent, MouseEventKind};
    for case in &CASES {
        let mut app = opened(case);
        let view = app.areas().view;
        let rows = state(&app).expect("open").0;
        // Border and header come first.
        super::click(&mut app, view.x + 3, view.y + 4);
        assert_eq!(selected(&app), 2, "{:?}", case.scope);
        let title = format!("(3/{})", rows.len());
        assert!(
            super::lists::drawn_at(&app, view.y, &title).is_some(),
            "{:?}: the title says {title}",
            case.scope
        );
        super::click(&mut app, view.x + 3, view.y + 30);
        assert_eq!(selected(&app), 2, "{:?}: below the rows", case.scope);
        let wheel = |kind| {
            Event::Mouse(MouseEvent {
                kind,
                column: view.x + 3,
                row: view.y + 3,
                modifiers: KeyModifiers::NONE,
            })
        };
        app.send(wheel(MouseEventKind::ScrollUp));
        assert_eq!(selected(&app), 1, "{:?}: wheel up", case.scope);
        app.send(wheel(MouseEventKind::ScrollDown));
        assert_eq!(selected(&app), 2, "{:?}: wheel down", case.scope);
        press(&mut app, KeyCode::Char('g'));
        if let Some(verb) = case.on_marks {
            press(&mut app, KeyCode::Char(verb));
            super::click(&mut app, view.x + 3, view.y + 4);
            assert_eq!(selected(&app), 0, "{:?}: under a question", case.scope);
        }
    }
}
