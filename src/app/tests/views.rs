use super::*;
use crate::app::host_list::Hosts;
use crate::docker::explore::{Node, NodeKind, Tree};
use crate::docker::inspect::Inspection;
use crate::docker::{ContainerState, ImageRow, OpError};

fn app() -> App {
    let mut app = new_app(0, (120, 40));
    let image = |repo: &str, tag: &str, id: &str| ImageRow {
        host: Default::default(),
        key: format!("{id}|{repo}:{tag}"),
        id: id.into(),
        repository: Some(repo.into()),
        // As `docker image ls` prints an untagged one.
        tag: (tag != "<none>").then(|| tag.into()),
        size: 1,
        created: 1,
        registry_copy: false,
    };
    app.send(docker(DockerEvent::Snapshot {
        images: vec![
            image("busybox", "1", "sha256:aaa"),
            image("busybox", "<none>", "sha256:bbb"),
        ],
        containers: vec![container("web", ContainerState::Running)],
    }));
    // Most tests here act on an image: the images pane has the keys.
    app.focus = Pane::Images;
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(code)))
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
    app.send(docker(DockerEvent::Explored {
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
    app.send(docker(DockerEvent::Explored {
        id: *id,
        result: Ok(Tree {
            reference: "busybox:1".into(),
            root,
            notes: vec![],
        }),
    }));
    let rows = |app: &App| match &app.view {
        Some(View::Tree(view)) => view.rows().len(),
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
    assert_eq!(key(&mut app, KeyCode::Char('r')), [Command::ListNetworks]);
    match &app.view {
        Some(View::Dialog(crate::app::dialog::Dialog::Form(form))) => {
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
    app.send(docker(DockerEvent::Inspected {
        id: *id,
        result: Ok(Inspection {
            summary,
            json: String::new(),
            top: None,
            changes: None,
        }),
    }));
    key(&mut app, KeyCode::Char('/'));
    for c in "match".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let scroll = |app: &App| match &app.view {
        Some(View::Inspect(view)) => view.scroll,
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

/// Every view keeps itself open on keys that are not its own close key (no key path can
/// drop a view by accident), closes on that key, and shows its own scope in the footer.
#[test]
fn views_stay_open_until_their_close_key() {
    use crate::app::keymap::Scope;
    // Key, the view it opens (in the containers pane), its scope, and its close key.
    type Case = (char, fn(&View) -> bool, Option<Scope>, KeyCode);
    let views: [Case; 7] = [
        (
            'L',
            |v| matches!(v, View::CommandLog(_)),
            Some(Scope::CommandLog),
            KeyCode::Esc,
        ),
        (
            'D',
            |v| matches!(v, View::Transfers(_)),
            Some(Scope::Transfers),
            KeyCode::Esc,
        ),
        (
            'E',
            |v| matches!(v, View::Events(_)),
            Some(Scope::Events),
            KeyCode::Esc,
        ),
        (
            'l',
            |v| matches!(v, View::Logs(_)),
            Some(Scope::Logs),
            KeyCode::Esc,
        ),
        (
            'i',
            |v| matches!(v, View::Inspect(_)),
            Some(Scope::Inspect),
            KeyCode::Esc,
        ),
        (
            'S',
            |v| matches!(v, View::Stats(_)),
            Some(Scope::Stats),
            KeyCode::Esc,
        ),
        (
            'r',
            |v| matches!(v, View::Dialog(_)),
            Some(Scope::Dialog),
            KeyCode::Esc,
        ),
    ];
    for (open, is_it, scope, close) in views {
        let mut app = app();
        app.focus = Pane::Containers;
        key(&mut app, KeyCode::Char(open));
        let view = app.view.as_ref().expect("opened");
        assert!(is_it(view), "{open} opens {view:?}");
        assert_eq!(view.scope(), scope, "{open}");
        // Movement leaves it open, and so do keys it has no use for, but for the command
        // log (no scope of its own), which any other key closes.
        let unused = (scope != Some(Scope::CommandLog)).then_some(KeyCode::F(5));
        for code in [KeyCode::Down, KeyCode::Up, KeyCode::PageDown]
            .into_iter()
            .chain(unused)
        {
            key(&mut app, code);
            assert!(app.view.as_ref().is_some_and(is_it), "{open} then {code:?}");
        }
        key(&mut app, close);
        assert!(app.view.is_none(), "{open} closes with {close:?}");
        assert!(!app.should_quit);
    }
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
    assert!(app.view.is_none());
}

/// "linux/arm64" is not "linux/arm": an arm64 platform on a 32-bit ARM daemon warns too.
#[test]
fn platforms_compare_whole() {
    use crate::app::tree::foreign;
    assert!(foreign("linux/arm64", "linux/arm"));
    assert!(!foreign("linux/arm/v7", "linux/arm"));
    assert!(!foreign("linux/arm", "linux/arm"));
    assert!(!foreign("manifest (single platform)", "linux/amd64"));
}

/// What is open, for messages: the view and how many are under it.
fn open_views(app: &App) -> String {
    let top = app.view.as_ref().map(|v| format!("{:?}", v.scope()));
    format!("{top:?} over {}", app.stack.len())
}

#[test]
fn esc_pops_one_level_in_every_view() {
    // Each view a pane key opens: Esc closes it to the panes (a filter or a dialog first).
    for c in [
        '?', 'L', 'D', 'E', 'H', 'V', 'M', 'F', 'l', 'i', 'S', 'f', 'p', ':',
    ] {
        let mut app = app();
        app.focus = Pane::Containers;
        key(&mut app, KeyCode::Char(c));
        assert!(app.view.is_some(), "{c}: a view opens");
        key(&mut app, KeyCode::Esc);
        assert!(app.view.is_none(), "{c}: {}", open_views(&app));
    }
}

#[test]
fn a_view_opened_over_another_gives_it_back_on_esc() {
    let mut app = app();
    key(&mut app, KeyCode::Char('H'));
    // The endpoint form (n) and the question asked before a host is removed (d) open over
    // the hosts view, which Esc gives back.
    for opens in ['n', 'd'] {
        key(&mut app, KeyCode::Char(opens));
        assert!(
            matches!(app.view, Some(View::Dialog(_))) && app.stack.len() == 1,
            "{opens}: {}",
            open_views(&app)
        );
        key(&mut app, KeyCode::Esc);
        assert!(
            app.view.as_ref().and_then(View::list_of::<Hosts>).is_some(),
            "{opens}: {}",
            open_views(&app)
        );
    }
    // A typed endpoint: the hosts view is back, with the new host among its rows.
    key(&mut app, KeyCode::Char('n'));
    for c in "unix:///tmp/other.sock".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let Some(hosts) = app.view.as_ref().and_then(View::list_of::<Hosts>) else {
        panic!("{}", open_views(&app));
    };
    assert_eq!(hosts.rows.len(), 2, "{:?}", hosts.rows);
    assert!(app.stack.is_empty());
    key(&mut app, KeyCode::Esc);
    assert!(app.view.is_none(), "{}", open_views(&app));
}
