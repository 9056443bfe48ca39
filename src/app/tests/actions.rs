use std::time::Duration;

use super::*;
use crate::app::dialog::Dialog;
use crate::docker::{ContainerRow, ContainerState, ImageRow, OpError, Progress};

fn row(name: &str, state: ContainerState, image_id: &str) -> ContainerRow {
    ContainerRow {
        host: Default::default(),
        id: format!("id-{name}").into(),
        name: name.into(),
        image: "busybox:1".into(),
        image_id: image_id.into(),
        state,
        status: "Up 1 second".into(),
        ports: String::new(),
        created: 0,
        aging: None,
        compose: None,
    }
}

fn app() -> App {
    let mut app = new_app(0, (120, 40));
    let image = |tag: &str, id: &str, created| ImageRow {
        host: Default::default(),
        key: format!("{id}|busybox:{tag}"),
        id: id.into(),
        repository: Some("busybox".into()),
        tag: Some(tag.into()),
        size: 1_000_000,
        created,
        registry_copy: false,
    };
    app.send(docker(DockerEvent::Snapshot {
        images: vec![image("1", "sha256:aaa", 1), image("2", "sha256:bbb", 2)],
        containers: vec![
            row("db", ContainerState::Exited, "sha256:aaa"),
            row("web", ContainerState::Running, "sha256:aaa"),
        ],
    }));
    // Most tests here act on an image: the images pane has the keys.
    app.focus = Pane::Images;
    app
}

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(code)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn ops(commands: &[Command]) -> Vec<&Op> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Op { op, .. } => Some(op),
            _ => None,
        })
        .collect()
}

#[test]
fn stop_shows_stopping_then_the_outcome() {
    let mut app = app();
    app.focus = Pane::Containers;
    press(&mut app, KeyCode::Char('j'));
    let commands = press(&mut app, KeyCode::Char('x'));
    let [Command::Op { id, op }] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    assert_eq!(op.cli(), "docker container stop --time 10 web");
    assert_eq!(app.activity.busy("id-web"), Some("stopping…"));
    let waiting = app.activity.status.clone().expect("status").text;
    assert_eq!(waiting, "Stopping web: SIGTERM sent, SIGKILL in 10 s");
    app.send(docker(DockerEvent::OpDone {
        id: *id,
        result: Ok("Stopped web".into()),
        elapsed: Duration::from_millis(400),
    }));
    assert_eq!(app.activity.busy("id-web"), None);
    let status = app.activity.status.clone().expect("status");
    assert_eq!(status.text, "Stopped web in 0.4 s");
    assert!(!status.error);
}

/// An outcome fades from the status line after a while (the command log keeps it); a
/// running action's word stays while it runs; an error stays until the next outcome.
#[test]
fn outcomes_fade_and_errors_stay() {
    use crate::app::activity::FADE_AFTER;
    let mut app = app();
    app.focus = Pane::Containers;
    let commands = press(&mut app, KeyCode::Char('s'));
    let [Command::Op { id, .. }] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    app.send(Event::Tick(FADE_AFTER + 5));
    assert!(
        app.activity.status.is_some(),
        "it still runs: its word stays"
    );
    app.send(docker(DockerEvent::OpDone {
        id: *id,
        result: Ok("Started db".into()),
        elapsed: Duration::from_millis(400),
    }));
    app.send(Event::Tick(2 * FADE_AFTER + 4));
    assert_eq!(status(&app), "Started db in 0.4 s");
    app.send(Event::Tick(2 * FADE_AFTER + 5));
    assert_eq!(app.activity.status, None, "faded");
    let kept = app.activity.get(*id).map(|e| e.outcome.clone());
    assert!(
        matches!(kept, Some(crate::app::activity::EntryState::Done { result: Ok(ref t), .. }) if t == "Started db"),
        "the command log keeps it: {kept:?}"
    );
    app.activity.refuse("no such thing");
    app.send(Event::Tick(10 * FADE_AFTER));
    assert_eq!(status(&app), "✗ no such thing", "an error stays");
}

#[test]
fn a_failed_action_shows_the_daemons_words_and_hint() {
    let mut app = app();
    app.focus = Pane::Containers;
    let commands = press(&mut app, KeyCode::Char('s'));
    let [Command::Op { id, .. }] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    app.send(docker(DockerEvent::OpDone {
        id: *id,
        result: Err(OpError::new("No such image: busybox:1")),
        elapsed: Duration::ZERO,
    }));
    let status = app.activity.status.clone().expect("status");
    assert!(status.error);
    // The hint names the key bound to pull, as shown.
    assert_eq!(
        app.keymap.fill(&status.text),
        "✗ No such image: busybox:1 — Pull it first (p), or check the name."
    );
}

#[test]
fn marked_rows_act_together_and_marks_clear() {
    let mut app = app();
    app.focus = Pane::Containers;
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.containers.marks.len(), 2);
    // Several rows: it asks first, naming the count and the containers.
    assert!(press(&mut app, KeyCode::Char('R')).is_empty());
    let Some(View::Dialog(Dialog::Confirm(confirm))) = &app.view else {
        panic!("asks first: {:?}", app.view);
    };
    assert_eq!(confirm.title, " Restart 2 containers? ");
    assert_eq!(confirm.lines, ["Containers: db, web."]);
    let commands = press(&mut app, KeyCode::Enter);
    let names: Vec<_> = ops(&commands).iter().map(|op| op.cli()).collect();
    assert_eq!(
        names,
        [
            "docker container restart db",
            "docker container restart web"
        ]
    );
    assert!(app.containers.marks.is_empty());
    // One summary once both end, naming what failed.
    let ids: Vec<_> = commands
        .iter()
        .filter_map(|c| match c {
            Command::Op { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    app.send(docker(DockerEvent::OpDone {
        id: ids[0],
        result: Ok("Restarted db".into()),
        elapsed: Duration::from_millis(400),
    }));
    let status = app.activity.status.clone().expect("status");
    assert_eq!(status.text, "Restarted 1/2 containers…");
    app.send(docker(DockerEvent::OpDone {
        id: ids[1],
        result: Err(OpError::new("boom")),
        elapsed: Duration::from_millis(1200),
    }));
    let status = app.activity.status.clone().expect("status");
    assert_eq!(
        status.text,
        "Restarted 1 container in 1.2 s; 1 failed: web: boom"
    );
    assert!(status.error);
}

#[test]
fn start_on_a_running_container_is_refused_here() {
    let mut app = app();
    app.focus = Pane::Containers;
    press(&mut app, KeyCode::Char('j'));
    assert!(press(&mut app, KeyCode::Char('s')).is_empty());
    let status = app.activity.status.clone().expect("status");
    assert_eq!(status.text, "✗ nothing to do: web is running");
}

#[test]
fn an_invalid_reference_never_reaches_the_daemon() {
    let mut app = app();
    press(&mut app, KeyCode::Char('p'));
    // Prefilled from the selected image.
    let Some(View::Dialog(Dialog::Form(form))) = &app.view else {
        panic!("pull form");
    };
    assert_eq!(
        form.op().map(|op| op.cli()),
        Ok("docker image pull busybox:2".into())
    );
    app.send(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    typed(&mut app, "Busybox");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    let Some(View::Dialog(Dialog::Form(form))) = &app.view else {
        panic!("the form stays open");
    };
    let message = form.error.clone().expect("error").1;
    assert!(message.contains("must be lowercase"), "{message}");
    app.send(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    typed(&mut app, "127.0.0.1:5000/busybox:1");
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        ops(&commands)[0].cli(),
        "docker image pull 127.0.0.1:5000/busybox:1"
    );
    assert!(matches!(app.view, Some(View::Transfers(_))));
}

#[test]
fn pull_progress_and_cancel() {
    let mut app = app();
    press(&mut app, KeyCode::Char('p'));
    let commands = press(&mut app, KeyCode::Enter);
    let [Command::Op { id, .. }] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    let layer = |status: &str, current| Progress::Layer {
        id: "f9f83c3af34b".into(),
        status: status.into(),
        current,
        total: Some(100),
    };
    for p in [
        layer("Downloading", Some(10)),
        layer("Downloading", Some(60)),
    ] {
        app.send(docker(DockerEvent::OpProgress {
            id: *id,
            progress: p,
        }));
    }
    let entry = app.activity.get(*id).expect("entry");
    assert_eq!(entry.layers.len(), 1, "a layer's updates replace its line");
    assert_eq!(entry.layers[0].current, Some(60));
    assert_eq!(entry.layer_summary(), "0/1 layers");
    assert_eq!(
        press(&mut app, KeyCode::Char('c')),
        vec![Command::Cancel(*id)]
    );
    assert_eq!(press(&mut app, KeyCode::Esc), vec![]);
    assert!(app.view.is_none());
}

#[test]
fn remove_a_running_container_offers_force() {
    let mut app = app();
    app.focus = Pane::Containers;
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('d'));
    let Some(View::Dialog(Dialog::Confirm(confirm))) = &app.view else {
        panic!("confirm");
    };
    assert!(confirm.lines.iter().any(|l| l.contains("Running: web")));
    press(&mut app, KeyCode::Char('v'));
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        ops(&commands)[0].cli(),
        "docker container rm --force --volumes web"
    );
    // Esc cancels without acting.
    press(&mut app, KeyCode::Char('d'));
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(app.view.is_none());
}

#[test]
fn remove_an_image_names_its_containers() {
    let mut app = app();
    // Newest first: busybox:2 (bbb) is unused; move to busybox:1 (aaa).
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Delete);
    let Some(View::Dialog(Dialog::Confirm(confirm))) = &app.view else {
        panic!("confirm");
    };
    assert_eq!(confirm.title, " Remove image busybox:1? ");
    // Its only name, used by a running and a stopped container: the daemon refuses
    // without force, and with force only untags it (the defect: it said "Deletes").
    assert_eq!(
        confirm.lines,
        [
            "The daemon will refuse: containers web, db use it; force to go ahead.",
            "With force: only untags it."
        ]
    );
    press(&mut app, KeyCode::Char('f'));
    let Some(View::Dialog(Dialog::Confirm(confirm))) = &app.view else {
        panic!("confirm");
    };
    assert_eq!(
        confirm.lines,
        ["Untags busybox:1: running container web uses it, so the image stays, untagged (<none>)."]
    );
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(ops(&commands)[0].cli(), "docker image rm --force busybox:1");
}

#[test]
fn kill_picks_a_signal() {
    let mut app = app();
    app.focus = Pane::Containers;
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('K'));
    press(&mut app, KeyCode::Down);
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        ops(&commands)[0].cli(),
        "docker container kill --signal SIGTERM web"
    );
}

/// The daemon answers that `busybox:2` runs a shell; the run form's command line then.
fn shell_answered(app: &mut App) -> String {
    app.send(docker(DockerEvent::ImageCommand {
        image: "busybox:2".into(),
        command: vec!["/bin/sh".into()],
    }));
    let Some(View::Dialog(Dialog::Form(form))) = &app.view else {
        panic!("run form");
    };
    form.op()
        .map(|op| op.cli())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn run_form_defaults_to_a_tty_for_shell_images() {
    let mut app = app();
    let commands = press(&mut app, KeyCode::Char('r'));
    assert_eq!(
        commands,
        vec![
            Command::ListNetworks,
            Command::ImageCommand("busybox:2".into())
        ]
    );
    assert_eq!(
        shell_answered(&mut app),
        "docker container run -it busybox:2"
    );
    // Env is multi-line: Enter there adds a line rather than submitting.
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "A=1");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    typed(&mut app, "B=2");
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        ops(&commands)[0].cli(),
        "docker container run -it -e A=1 -e B=2 busybox:2"
    );
}

/// The answer about the image the form opened with comes late: once the user has typed the
/// image, it no longer sets `-it` (a run typed to be detached started attached, in a test).
#[test]
fn a_late_tty_suggestion_leaves_a_typed_image_alone() {
    let mut app = app();
    press(&mut app, KeyCode::Char('r'));
    // Typed over the image the form opened with (selected, so typing replaces it).
    typed(&mut app, "busybox:2");
    assert_eq!(
        shell_answered(&mut app),
        "docker container run -d busybox:2"
    );
}

#[test]
fn tag_and_commit_forms_build_their_commands() {
    let mut app = app();
    press(&mut app, KeyCode::Char('t'));
    typed(&mut app, "me/box:v1");
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        ops(&commands)[0].cli(),
        "docker image tag sha256:bbb me/box:v1"
    );
    app.focus = Pane::Containers;
    press(&mut app, KeyCode::Char('c'));
    typed(&mut app, "me/snap");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "saved");
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        ops(&commands)[0].cli(),
        "docker container commit --message saved db me/snap:latest"
    );
}

/// Defect: `p` pre-filled the selected image and typing appended to it, so a valid but
/// wrong reference was pulled. The suggestion is selected; typing replaces it.
#[test]
fn typing_replaces_a_prefilled_reference() {
    let mut app = app();
    press(&mut app, KeyCode::Char('p'));
    typed(&mut app, "busybox");
    let commands = press(&mut app, KeyCode::Enter);
    let pulled: Vec<String> = ops(&commands).iter().map(|op| op.cli()).collect();
    assert_eq!(pulled, ["docker image pull busybox"]);
    // Enter without typing keeps the suggestion.
    let mut fresh = self::app();
    press(&mut fresh, KeyCode::Char('p'));
    let commands = press(&mut fresh, KeyCode::Enter);
    let pulled: Vec<String> = ops(&commands).iter().map(|op| op.cli()).collect();
    assert_eq!(pulled.len(), 1);
    assert!(
        pulled[0].starts_with("docker image pull busybox:"),
        "{pulled:?}"
    );
}

/// The run form: the same defaults from either pane, no error before the user types, the
/// daemon's networks offered and checked, and the new container selected once listed.
#[test]
fn the_run_form_from_either_pane() {
    let mut app = app();
    app.focus = Pane::Containers;
    press(&mut app, KeyCode::Char('j')); // web, on busybox:1
    press(&mut app, KeyCode::Char('r'));
    let form = |app: &App| match &app.view {
        Some(View::Dialog(Dialog::Form(form))) => form.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        form(&app).op().map(|op| op.cli()).ok().as_deref(),
        Some("docker container run -d busybox:1"),
        "the selected container's image"
    );
    assert!(!form(&app).touched, "no error shown before typing");
    app.send(docker(DockerEvent::Networks(vec![
        "bridge".into(),
        "host".into(),
        "none".into(),
    ])));
    // To the network field (six back: the entrypoint, user, workdir and limits follow it),
    // and a name the daemon does not have.
    for _ in 0..6 {
        press(&mut app, KeyCode::BackTab);
    }
    typed(&mut app, "nope");
    let (_, why) = form(&app).error.expect("unknown network");
    assert!(why.contains("the daemon has bridge, host, none"), "{why}");
    for _ in 0..4 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "host");
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        ops(&commands)[0].cli(),
        "docker container run -d --network host busybox:1"
    );
    // Started detached: once listed, the new container is the selected one.
    app.send(docker(DockerEvent::RunStarted {
        container: crate::docker::Target {
            id: "id-new".into(),
            name: "new".into(),
        },
    }));
    app.send(docker(DockerEvent::Snapshot {
        images: app.images.rows().cloned().collect(),
        containers: [
            app.containers.rows().cloned().collect(),
            vec![row("new", ContainerState::Running, "sha256:aaa")],
        ]
        .concat(),
    }));
    assert_eq!(
        app.selected_container().map(|c| c.name.as_str()),
        Some("new")
    );
    assert_eq!(app.focus, Pane::Containers);
}
