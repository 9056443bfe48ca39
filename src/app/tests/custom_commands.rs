use super::*;
use crate::config;
use crate::docker::ContainerState;
use crate::docker::attach::SessionKind;

/// An app with the config's `[[commands]]`, two containers listed and the containers pane
/// focused.
fn app_with(commands: &str) -> App {
    let parsed = config::parse(commands);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let mut app = App::new(Settings {
        endpoint: "unix:///test.sock".into(),
        size: (160, 45),
        keymap: parsed.config.keymap,
        prefs: crate::app::Prefs {
            commands: parsed.config.commands,
            ..Default::default()
        },
        docker_host: "unix:///test.sock".into(),
        ..Settings::default()
    });
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![
            container("api", ContainerState::Running),
            container("web", ContainerState::Exited),
        ],
    }));
    app.focus = Pane::Containers;
    app
}

fn press(app: &mut App, c: char) -> Vec<Command> {
    let mods = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    app.send(Event::Key(KeyEvent::new(KeyCode::Char(c), mods)))
}

const TAB: &str =
    "[[commands]]\nname = \"greet\"\nkey = \"Z\"\ncommand = \"echo {name} {image}\"\n";
const BACKGROUND: &str =
    "[[commands]]\nname = \"note\"\nkey = \"N\"\ncommand = \"logger {id}\"\nrun = \"background\"\n";

#[test]
fn a_tab_command_opens_a_local_tab_filled_for_the_selected_row() {
    let mut app = app_with(TAB);
    let commands = press(&mut app, 'Z');
    let Some(Command::OpenSession(request)) = commands.last() else {
        panic!("{commands:?}");
    };
    let SessionKind::Local(call) = &request.kind else {
        panic!("{request:?}");
    };
    assert_eq!(call.argv, ["echo", "api", "busybox"]);
    assert!(call.env.contains(&("DOCKPIT_ID".into(), "id-api".into())));
    assert!(
        call.env
            .contains(&("DOCKER_HOST".into(), "unix:///test.sock".into()))
    );
    assert_eq!(app.focus, Pane::Terminal);
    assert_eq!(app.terminals.sessions[0].title(), "api · greet");
    // Its tab is not the container's: the container's removal says nothing about it.
    app.send(docker(DockerEvent::SessionEnded {
        id: request.id,
        reason: "exited (code 0)".into(),
    }));
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![],
    }));
    assert_eq!(
        app.terminals.sessions[0].ended.as_deref(),
        Some("exited (code 0)")
    );
}

#[test]
fn a_background_command_runs_on_each_marked_row_into_the_command_log() {
    let mut app = app_with(BACKGROUND);
    press(&mut app, ' ');
    press(&mut app, ' ');
    let commands = press(&mut app, 'N');
    let lines: Vec<String> = commands
        .iter()
        .map(|c| match c {
            Command::Op { op, .. } => op.cli(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(lines, ["logger id-api", "logger id-web"]);
    let Some(Command::Op { id, .. }) = commands.first() else {
        panic!("{commands:?}");
    };
    app.send(docker(DockerEvent::OpProgress {
        id: *id,
        progress: crate::docker::Progress::Line("logged".into()),
    }));
    let entry = app.activity.get(*id).expect("in the command log");
    assert_eq!(
        (entry.cli.as_str(), entry.lines.as_slice()),
        ("logger id-api", &["logged".to_string()][..])
    );
}

#[test]
fn a_command_that_asks_first_runs_only_once_confirmed() {
    let mut app = app_with(&TAB.replace("command =", "confirm = true\ncommand ="));
    assert!(press(&mut app, 'Z').is_empty());
    let Some(View::Dialog(crate::app::dialog::Dialog::Confirm(confirm))) = &app.view else {
        panic!("a confirm dialog");
    };
    assert_eq!(confirm.lines, ["$ echo api busybox"]);
    let esc = app.send(Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert!(esc.is_empty() && app.terminals.sessions.is_empty());
    press(&mut app, 'Z');
    let commands = app.send(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    assert!(
        matches!(commands.last(), Some(Command::OpenSession(r)) if matches!(r.kind, SessionKind::Local(_))),
        "{commands:?}"
    );
}

#[test]
fn read_only_refuses_a_command_that_changes_the_host_and_not_one_that_looks() {
    let mut app = app_with(&format!(
        "{TAB}\n{}",
        BACKGROUND.replace("run =", "changes = true\nrun =")
    ));
    app.prefs.read_only = true;
    assert!(press(&mut app, 'N').is_empty());
    let status = app.activity.status.clone().expect("a word why");
    assert!(
        status.error && status.text.starts_with("✗ read-only mode"),
        "{status:?}"
    );
    assert!(matches!(
        press(&mut app, 'Z').last(),
        Some(Command::OpenSession(_))
    ));
}

#[test]
fn with_no_row_a_command_says_so() {
    let mut app = app_with(TAB);
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![],
    }));
    assert!(press(&mut app, 'Z').is_empty());
    assert_eq!(
        app.activity.status.as_ref().map(|s| s.text.as_str()),
        Some("✗ no container selected")
    );
}

#[test]
fn a_name_from_the_daemon_with_shell_syntax_or_a_dash_runs_nothing() {
    for name in ["web$(touch${IFS}/tmp/x)", "-rf", "web;id", "a`id`", "x\ny"] {
        let mut app = app_with(TAB);
        app.send(docker(DockerEvent::Snapshot {
            images: vec![],
            containers: vec![container(name, ContainerState::Running)],
        }));
        let commands = press(&mut app, 'Z');
        assert!(
            !commands
                .iter()
                .any(|c| matches!(c, Command::OpenSession(_) | Command::Op { .. })),
            "{name}: {commands:?}"
        );
        assert!(app.terminals.sessions.is_empty(), "{name}");
        let status = app.activity.status.as_ref().map(|s| s.text.clone());
        assert!(
            status.as_deref().is_some_and(|s| s.contains("not run")),
            "{name}: {status:?}"
        );
    }
    // A plain name still runs.
    let mut app = app_with(TAB);
    assert!(
        press(&mut app, 'Z')
            .iter()
            .any(|c| matches!(c, Command::OpenSession(_)))
    );
}
