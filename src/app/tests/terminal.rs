use super::*;
use crate::docker::ContainerState;
use crate::docker::attach::SessionKind;

fn app_with(state: ContainerState) -> App {
    let mut app = new_app(0, (160, 45));
    app.send(Event::Docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![container("web", state)],
    }));
    app.focus = Pane::Containers;
    app
}

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::new(code, mods)))
}

#[test]
fn attach_opens_a_tab_sized_to_the_pane() {
    let mut app = app_with(ContainerState::Exited);
    let commands = key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    let Some(Command::OpenSession(request)) = commands.last() else {
        panic!("{commands:?}");
    };
    // A stopped container is started by the attach.
    assert_eq!(request.kind, SessionKind::Attach { start: true });
    let pane = app.areas().terminal.expect("a terminal pane");
    assert_eq!((request.rows, request.cols), layout::inner_size(pane));
    assert_eq!(app.focus, Pane::Terminal);
    assert_eq!(
        app.sessions[0].parser.screen().size(),
        (request.rows, request.cols)
    );
}

#[test]
fn keys_go_to_the_container_and_the_prefix_comes_back() {
    let mut app = app_with(ContainerState::Running);
    key(&mut app, KeyCode::Char('e'), KeyModifiers::NONE);
    let id = app.sessions[0].id;
    app.send(Event::Docker(DockerEvent::SessionOpened {
        id,
        interactive: true,
    }));
    let typed = key(&mut app, KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(
        typed,
        vec![Command::SessionInput {
            id,
            bytes: b"q".to_vec()
        }]
    );
    assert!(!app.should_quit, "q is typed, not quit");
    let ctrl_c = key(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(ctrl_c, vec![Command::SessionInput { id, bytes: vec![3] }]);
    assert!(!app.should_quit, "Ctrl-C goes to the container");
    // Application cursor mode changes what the arrows send.
    app.send(Event::Docker(DockerEvent::SessionOutput {
        id,
        bytes: b"[?1h".to_vec(),
    }));
    let up = key(&mut app, KeyCode::Up, KeyModifiers::NONE);
    assert_eq!(
        up,
        vec![Command::SessionInput {
            id,
            bytes: b"OA".to_vec()
        }]
    );
    // Ctrl-] (reported by terminals as Ctrl-5) returns to the panes; the session stays.
    assert!(key(&mut app, KeyCode::Char('5'), KeyModifiers::CONTROL).is_empty());
    assert_eq!(app.focus, Pane::Containers);
    assert!(app.sessions[0].live());
}

#[test]
fn output_and_end_of_a_session() {
    let mut app = app_with(ContainerState::Running);
    key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    let id = app.sessions[0].id;
    app.send(Event::Docker(DockerEvent::SessionOutput {
        id,
        bytes: b"hello [31mred[0m".to_vec(),
    }));
    assert!(
        app.sessions[0]
            .parser
            .screen()
            .contents()
            .contains("hello red")
    );
    app.send(Event::Docker(DockerEvent::SessionEnded {
        id,
        reason: "exited (code 0)".into(),
    }));
    assert_eq!(app.sessions[0].ended.as_deref(), Some("exited (code 0)"));
    // Keys to an ended session go nowhere.
    assert!(key(&mut app, KeyCode::Char('x'), KeyModifiers::NONE).is_empty());
    // w closes the tab; with none left the pane goes away.
    key(&mut app, KeyCode::Char('5'), KeyModifiers::CONTROL);
    key(&mut app, KeyCode::Char('w'), KeyModifiers::NONE);
    assert!(app.sessions.is_empty());
    assert!(app.areas().terminal.is_none());
}

#[test]
fn zoom_and_resize_resize_every_tty() {
    let mut app = app_with(ContainerState::Running);
    key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    key(&mut app, KeyCode::Char('5'), KeyModifiers::CONTROL);
    let id = app.sessions[0].id;
    let zoomed = key(&mut app, KeyCode::Char('z'), KeyModifiers::NONE);
    let full = layout::inner_size(app.areas().terminal.expect("pane"));
    assert_eq!(
        zoomed,
        vec![Command::SessionResize {
            id,
            rows: full.0,
            cols: full.1
        }]
    );
    assert_eq!(full.1, 158, "zoomed: the whole width minus borders");
    let resized = app.send(Event::Resize(100, 30));
    let (rows, cols) = layout::inner_size(app.areas().terminal.expect("pane"));
    assert_eq!(resized, vec![Command::SessionResize { id, rows, cols }]);
}

#[test]
fn paste_is_bracketed_when_the_program_asks() {
    let mut app = app_with(ContainerState::Running);
    key(&mut app, KeyCode::Char('e'), KeyModifiers::NONE);
    let id = app.sessions[0].id;
    app.send(Event::Docker(DockerEvent::SessionOutput {
        id,
        bytes: b"[?2004h".to_vec(),
    }));
    let pasted = app.send(Event::Paste("ls\n".into()));
    assert_eq!(
        pasted,
        vec![Command::SessionInput {
            id,
            bytes: b"\x1b[200~ls\r\x1b[201~".to_vec()
        }]
    );
}

#[test]
fn exec_needs_a_running_container() {
    let mut app = app_with(ContainerState::Exited);
    assert!(key(&mut app, KeyCode::Char('e'), KeyModifiers::NONE).is_empty());
    let status = app.activity.status.clone().expect("status");
    assert!(
        status
            .text
            .contains("web is exited: a shell needs it running"),
        "{}",
        status.text
    );
}
