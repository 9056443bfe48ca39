use super::*;
use crate::docker::explore::{Node, NodeKind, Tree};
use crate::docker::inspect::Inspection;
use crate::docker::{ContainerState, ImageRow, OpError};

fn app() -> App {
    let mut app = App::new("unix:///test.sock".into(), 0, (120, 40));
    let image = |repo: &str, tag: &str, id: &str| ImageRow {
        key: format!("{id}|{repo}:{tag}"),
        id: id.into(),
        repository: repo.into(),
        tag: tag.into(),
        size: 1,
        created: 1,
    };
    app.update(Event::Docker(DockerEvent::Snapshot {
        images: vec![
            image("busybox", "1", "sha256:aaa"),
            image("busybox", "<none>", "sha256:bbb"),
        ],
        containers: vec![container("web", ContainerState::Running)],
    }));
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.update(Event::Key(KeyEvent::from(code)))
}

#[test]
fn the_structure_view_takes_keys_while_loading_and_after_an_error() {
    let mut app = app();
    let commands = key(&mut app, KeyCode::Enter);
    let Some(Command::Explore { id, .. }) = commands.first() else {
        panic!("{commands:?}");
    };
    let id = *id;
    // Still loading: nothing to open, copy or pull; no panic.
    for code in [
        KeyCode::Enter,
        KeyCode::Char('c'),
        KeyCode::Char('p'),
        KeyCode::Char('j'),
    ] {
        assert!(key(&mut app, code).is_empty());
    }
    app.update(Event::Docker(DockerEvent::Explored {
        id,
        result: Err(OpError::new("no such host")),
    }));
    assert!(key(&mut app, KeyCode::Char('c')).is_empty());
    assert!(
        app.activity
            .status
            .clone()
            .is_some_and(|s| s.text.contains("no digest"))
    );
    // A loaded tree: Enter folds the root away and back.
    key(&mut app, KeyCode::Esc);
    let commands = key(&mut app, KeyCode::Enter);
    let Some(Command::Explore { id, .. }) = commands.first() else {
        panic!("{commands:?}");
    };
    let leaf = Node {
        kind: NodeKind::Layer,
        label: "layer 0".into(),
        digest: None,
        size: Some(1),
        details: vec![],
        children: vec![],
    };
    let root = Node {
        kind: NodeKind::Manifest,
        label: "manifest".into(),
        digest: Some(format!("sha256:{}", "a".repeat(64))),
        size: Some(2),
        details: vec![],
        children: vec![leaf],
    };
    app.update(Event::Docker(DockerEvent::Explored {
        id: *id,
        result: Ok(Tree {
            reference: "busybox:1".into(),
            root,
            notes: vec![],
        }),
    }));
    let rows = |app: &App| match &app.overlay {
        Some(Overlay::Tree(view)) => view.rows().len(),
        _ => 0,
    };
    assert_eq!(rows(&app), 2);
    key(&mut app, KeyCode::Enter);
    assert_eq!(rows(&app), 1);
}

#[test]
fn images_without_a_name_are_addressed_by_id() {
    let mut app = app();
    key(&mut app, KeyCode::Char('j')); // busybox <none>
    key(&mut app, KeyCode::Char('d'));
    let commands = key(&mut app, KeyCode::Enter);
    match commands.first() {
        Some(Command::Op { op, .. }) => assert_eq!(op.cli(), "docker image rm sha256:bbb"),
        other => panic!("{other:?}"),
    }
    // Run opens with no image rather than a name that means another one.
    assert!(key(&mut app, KeyCode::Char('r')).is_empty());
    match &app.overlay {
        Some(Overlay::Dialog(crate::app::dialog::Dialog::Form(form))) => {
            assert_eq!(
                form.op().map(|op| op.cli()).ok(),
                None,
                "the image field is empty"
            )
        }
        other => panic!("{other:?}"),
    }
    key(&mut app, KeyCode::Esc);
    // No structure to look up by name.
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(
        app.activity
            .status
            .clone()
            .is_some_and(|s| s.text.contains("no name"))
    );
}

#[test]
fn inspect_n_goes_down_the_page() {
    let mut app = app();
    app.focus = Pane::Containers;
    let commands = key(&mut app, KeyCode::Char('i'));
    let Some(Command::Inspect { id, .. }) = commands.first() else {
        panic!("{commands:?}");
    };
    let summary = (0..10)
        .map(|i| {
            (
                "Env".to_string(),
                format!("V{i}={}", if i % 3 == 0 { "match" } else { "x" }),
            )
        })
        .collect();
    app.update(Event::Docker(DockerEvent::Inspected {
        id: *id,
        result: Ok(Inspection {
            summary,
            json: String::new(),
            top: None,
        }),
    }));
    key(&mut app, KeyCode::Char('/'));
    for c in "match".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let scroll = |app: &App| match &app.overlay {
        Some(Overlay::Inspect(view)) => view.scroll,
        _ => usize::MAX,
    };
    assert_eq!(scroll(&app), 0);
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(scroll(&app), 3);
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(scroll(&app), 6);
    key(&mut app, KeyCode::Char('N'));
    assert_eq!(scroll(&app), 3);
}

#[test]
fn closing_the_structure_view_stops_its_registry_requests() {
    let mut app = app();
    let commands = key(&mut app, KeyCode::Enter);
    let Some(Command::Explore { id, .. }) = commands.first() else {
        panic!("{commands:?}");
    };
    let id = *id;
    let closed = key(&mut app, KeyCode::Esc);
    assert!(
        matches!(closed.as_slice(), [Command::StopStream(stopped)] if *stopped == id),
        "{closed:?}"
    );
    assert!(app.overlay.is_none());
}
