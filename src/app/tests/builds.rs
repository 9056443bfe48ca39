//! Builds: the form from `b` (its docker build line, bad input refused as typed), the
//! build view opened with its steps, `c` cancels, `R` builds again, a context over 1 GiB
//! asks first, the image built selected once listed.

use super::*;
use crate::docker::OpId;
use crate::docker::build::BuildProgress;

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(code)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn connected() -> App {
    let mut app = new_app(1_000, (120, 40));
    app.send(docker(DockerEvent::Connected(engine_info())));
    app.focus = Pane::Images;
    app
}

/// The form's field at fault and why, if any.
fn fault(app: &App) -> Option<String> {
    app.view.as_ref()?.form()?.error.clone().map(|(_, why)| why)
}

/// `b`, a tag and a build arg typed, Enter: the build's id and its commands.
fn started(app: &mut App) -> (OpId, Vec<Command>) {
    key(app, KeyCode::Char('b'));
    key(app, KeyCode::Down);
    key(app, KeyCode::Down);
    typed(app, "app:1");
    key(app, KeyCode::Down);
    typed(app, "V=2");
    let sent = key(app, KeyCode::Enter);
    let id = sent
        .iter()
        .find_map(|c| match c {
            Command::Op {
                id,
                op: Op::Build(_),
            } => Some(*id),
            _ => None,
        })
        .expect("a build sent");
    (id, sent)
}

fn progress(app: &mut App, id: OpId, p: BuildProgress) {
    app.send(docker(DockerEvent::OpProgress {
        id,
        progress: crate::docker::Progress::Build(p),
    }));
}

#[test]
fn the_form_refuses_bad_input_as_typed_and_sends_the_build() {
    let mut app = connected();
    key(&mut app, KeyCode::Char('b'));
    let form = app.view.as_ref().and_then(View::form).expect("the form");
    assert_eq!(form.title(), " Build an image ");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    typed(&mut app, "Bad:Tag");
    assert!(fault(&app).is_some_and(|w| w.starts_with("\"Bad:Tag\":")));
    key(&mut app, KeyCode::Enter);
    assert!(
        app.view.as_ref().and_then(View::form).is_some(),
        "kept open"
    );
    assert!(app.activity.entries.is_empty(), "nothing sent");
    key(&mut app, KeyCode::Esc);

    let (id, _) = started(&mut app);
    let entry = app.activity.get(id).expect("logged");
    assert_eq!(entry.cli, "docker build --tag app:1 --build-arg V=2 .");
    assert!(matches!(&app.view, Some(View::Build(v)) if v.id == id));
}

#[test]
fn the_build_view_follows_steps_cancels_and_builds_again() {
    let mut app = connected();
    let (id, _) = started(&mut app);
    progress(
        &mut app,
        id,
        BuildProgress::Step {
            number: 1,
            total: 1,
            instruction: "RUN make".into(),
            line: Some(2),
            at: std::time::Duration::ZERO,
        },
    );
    progress(&mut app, id, BuildProgress::Output("compiling".into()));
    let log = app.activity.get(id).and_then(|e| e.build.clone());
    assert_eq!(
        log.map(|l| l.steps[0].output.clone()),
        Some(vec!["compiling".to_string()])
    );
    assert_eq!(key(&mut app, KeyCode::Char('c')), [Command::Cancel(id)]);
    // Again: the same spec, a new build, its own view over this one.
    let sent = key(&mut app, KeyCode::Char('R'));
    let again = sent.iter().find_map(|c| match c {
        Command::Op {
            id,
            op: Op::Build(spec),
        } => Some((*id, spec.tags[0].to_string())),
        _ => None,
    });
    let (again, tag) = again.expect("built again");
    assert_ne!(again, id);
    assert_eq!(tag, "app:1");
    assert!(matches!(&app.view, Some(View::Build(v)) if v.id == again));
    key(&mut app, KeyCode::Esc);
    assert!(matches!(&app.view, Some(View::Build(v)) if v.id == id));
}

#[test]
fn a_large_context_asks_and_the_image_built_is_selected() {
    let mut app = connected();
    let (id, _) = started(&mut app);
    progress(&mut app, id, BuildProgress::Large { bytes: 2 << 30 });
    let Some(View::Dialog(crate::app::dialog::Dialog::Confirm(ask))) = &app.view else {
        panic!("a question");
    };
    assert!(ask.lines[0].contains("2.15GB"), "{:?}", ask.lines);
    let ops = ask.ops();
    assert!(matches!(&ops[..], [Op::Build(spec)] if spec.large_ok));
    // The question went over the build's view: Esc, then Esc again to the panes.
    key(&mut app, KeyCode::Esc);
    assert!(matches!(&app.view, Some(View::Build(_))));
    key(&mut app, KeyCode::Esc);

    let (id, _) = started(&mut app);
    progress(
        &mut app,
        id,
        BuildProgress::Built {
            id: "sha256:abcdef012345".into(),
        },
    );
    app.send(docker(DockerEvent::OpDone {
        id,
        result: Ok("Built app:1 (abcdef012345)".into()),
        elapsed: std::time::Duration::from_secs(1),
    }));
    app.focus = Pane::Containers;
    let image = super::image_row("app", "1", "sha256:abcdef012345");
    app.send(docker(DockerEvent::Images(vec![image])));
    assert_eq!(app.focus, Pane::Images);
    assert_eq!(
        app.selected_image().map(|i| i.id.as_str()),
        Some("sha256:abcdef012345")
    );
}

#[test]
fn y_in_the_transfers_view_copies_a_pushed_digest() {
    let mut app = connected();
    let reference = crate::reference::parse("127.0.0.1:5000/app:1").expect("a reference");
    let sent = app.submit(vec![Op::Push(reference)]);
    let Some((_, Command::Op { id, .. })) = sent.first() else {
        panic!("a push sent");
    };
    app.send(docker(DockerEvent::OpDone {
        id: *id,
        result: Ok("Pushed 127.0.0.1:5000/app:1: sha256:0123abcd".into()),
        elapsed: std::time::Duration::from_secs(1),
    }));
    key(&mut app, KeyCode::Char('D'));
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Char('y'))));
    assert!(!effects.local.is_empty(), "a copy");
    assert!(status(&app).contains("sha256:0123abcd"), "{}", status(&app));
}
