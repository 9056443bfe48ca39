use super::*;
use crate::docker::ContainerState;
use crate::docker::attach::SessionKind;

fn app_with(state: ContainerState) -> App {
    let mut app = new_app(0, (160, 45));
    app.send(docker(DockerEvent::Snapshot {
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
        app.terminals.sessions[0].parser.screen().size(),
        (request.rows, request.cols)
    );
}

#[test]
fn keys_go_to_the_container_and_the_prefix_comes_back() {
    let mut app = app_with(ContainerState::Running);
    key(&mut app, KeyCode::Char('e'), KeyModifiers::NONE);
    let id = app.terminals.sessions[0].id;
    app.send(docker(DockerEvent::SessionOpened {
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
    app.send(docker(DockerEvent::SessionOutput {
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
    // Ctrl-] (reported by terminals as Ctrl-5) is a prefix: nothing is sent, and Esc after
    // it returns to the panes; the session stays.
    assert!(key(&mut app, KeyCode::Char('5'), KeyModifiers::CONTROL).is_empty());
    assert!(app.terminals.prefix_pending);
    assert_eq!(app.focus, Pane::Terminal);
    assert!(key(&mut app, KeyCode::Esc, KeyModifiers::NONE).is_empty());
    assert_eq!(app.focus, Pane::Containers);
    assert!(!app.terminals.prefix_pending);
    assert!(app.terminals.sessions[0].live());
}

fn prefix(app: &mut App) -> Vec<Command> {
    key(app, KeyCode::Char('5'), KeyModifiers::CONTROL)
}

fn open_shell(app: &mut App) -> crate::pty::SessionId {
    key(app, KeyCode::Char('e'), KeyModifiers::NONE);
    let id = app.terminals.sessions.last().expect("a tab").id;
    app.send(docker(DockerEvent::SessionOpened {
        id,
        interactive: true,
    }));
    id
}

#[test]
fn the_prefix_zooms_from_inside_without_typing_and_leaving_unzooms() {
    let mut app = app_with(ContainerState::Running);
    let id = open_shell(&mut app);
    prefix(&mut app);
    let zoomed = key(&mut app, KeyCode::Char('z'), KeyModifiers::NONE);
    assert!(app.terminals.zoomed);
    assert_eq!(app.focus, Pane::Terminal, "zoom keeps focus in the pane");
    assert!(
        zoomed
            .iter()
            .all(|c| matches!(c, Command::SessionResize { .. })),
        "no key reaches the container: {zoomed:?}"
    );
    prefix(&mut app);
    key(&mut app, KeyCode::Char('z'), KeyModifiers::NONE);
    assert!(!app.terminals.zoomed, "a second prefix z unzooms");
    assert_eq!(app.focus, Pane::Terminal);
    // The prefix twice sends it to the container.
    prefix(&mut app);
    assert_eq!(
        prefix(&mut app),
        vec![Command::SessionInput {
            id,
            bytes: vec![0x1d]
        }]
    );
    // Zoomed, then a pane key after the prefix: the panes show again and the key acts there.
    prefix(&mut app);
    key(&mut app, KeyCode::Char('z'), KeyModifiers::NONE);
    prefix(&mut app);
    key(&mut app, KeyCode::Char('K'), KeyModifiers::SHIFT);
    assert!(!app.terminals.zoomed);
    assert_eq!(app.focus, Pane::Containers);
    assert!(app.areas().containers.height > 0, "the panes are drawn");
    assert!(
        matches!(
            app.view,
            Some(View::Dialog(super::super::dialog::Dialog::Kill(_)))
        ),
        "K opened the kill picker"
    );
}

#[test]
fn the_prefix_switches_and_closes_tabs() {
    let mut app = app_with(ContainerState::Running);
    let first = open_shell(&mut app);
    prefix(&mut app);
    key(&mut app, KeyCode::Char('e'), KeyModifiers::NONE);
    open_shell_opened(&mut app);
    assert_eq!(app.terminals.sessions.len(), 2);
    assert_eq!(app.terminals.active, 1);
    assert_eq!(app.focus, Pane::Terminal);
    prefix(&mut app);
    key(&mut app, KeyCode::Char('['), KeyModifiers::NONE);
    assert_eq!(app.terminals.active, 0);
    // w on a live session asks, naming it; Enter closes it.
    prefix(&mut app);
    assert!(key(&mut app, KeyCode::Char('w'), KeyModifiers::NONE).is_empty());
    assert_eq!(
        app.terminals.sessions.len(),
        2,
        "nothing closed before the answer"
    );
    let Some(View::Dialog(super::super::dialog::Dialog::Confirm(confirm))) = &app.view else {
        panic!("a confirmation: {:?}", app.view);
    };
    assert!(
        confirm.lines.iter().any(|l| l.contains("web · shell")),
        "{confirm:?}"
    );
    let closed = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(closed.contains(&Command::CloseSession(first)), "{closed:?}");
    assert_eq!(app.terminals.sessions.len(), 1);
}

fn open_shell_opened(app: &mut App) {
    let id = app.terminals.sessions.last().expect("a tab").id;
    app.send(docker(DockerEvent::SessionOpened {
        id,
        interactive: true,
    }));
}

#[test]
fn quit_asks_while_sessions_are_live_and_names_them() {
    let mut app = app_with(ContainerState::Running);
    open_shell(&mut app);
    prefix(&mut app);
    key(&mut app, KeyCode::Char('q'), KeyModifiers::NONE);
    assert!(!app.should_quit, "q asks first");
    let Some(View::Dialog(super::super::dialog::Dialog::Confirm(confirm))) = &app.view else {
        panic!("a confirmation: {:?}", app.view);
    };
    assert!(confirm.lines.iter().any(|l| l.contains("web · shell")));
    // Esc stays.
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!app.should_quit && app.view.is_none());
    key(&mut app, KeyCode::Char('q'), KeyModifiers::NONE);
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(app.should_quit);
    // Without live sessions q quits at once.
    let mut app = app_with(ContainerState::Running);
    key(&mut app, KeyCode::Char('q'), KeyModifiers::NONE);
    assert!(app.should_quit);
}

#[test]
fn a_shell_that_cannot_open_takes_the_keys_typed_for_it() {
    let mut app = app_with(ContainerState::Exited);
    assert!(key(&mut app, KeyCode::Char('e'), KeyModifiers::NONE).is_empty());
    assert_eq!(app.focus, Pane::Terminal);
    let reason = app.terminals.sessions[0]
        .ended
        .clone()
        .expect("the failure in the tab");
    assert!(reason.contains("web is exited"), "{reason}");
    // What was typed for the shell: "seq" would have been start, shell, quit.
    for c in "seq 1 30\r".chars() {
        let code = if c == '\r' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        assert!(key(&mut app, code, KeyModifiers::NONE).is_empty());
    }
    assert!(!app.should_quit);
    assert!(app.view.is_none());
    assert_eq!(app.focus, Pane::Terminal);
    // Esc returns.
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(app.focus, Pane::Containers);
}

#[test]
fn a_session_that_ends_while_focused_returns_on_the_next_key_which_does_nothing_else() {
    let mut app = app_with(ContainerState::Running);
    let id = open_shell(&mut app);
    app.send(docker(DockerEvent::SessionEnded {
        id,
        reason: "exited (code 0)".into(),
    }));
    // x would stop the container from the panes.
    assert!(key(&mut app, KeyCode::Char('x'), KeyModifiers::NONE).is_empty());
    assert_eq!(app.focus, Pane::Containers);
    assert!(app.view.is_none());
}

#[test]
fn an_ended_tab_follows_its_container() {
    let mut app = app_with(ContainerState::Running);
    key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    let id = app.terminals.sessions[0].id;
    app.send(docker(DockerEvent::SessionEnded {
        id,
        reason: "detached; the container keeps running".into(),
    }));
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![container("web", ContainerState::Exited)],
    }));
    let ended = app.terminals.sessions[0].ended.clone().unwrap_or_default();
    assert_eq!(ended, "detached; the container is exited now");
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![],
    }));
    let ended = app.terminals.sessions[0].ended.clone().unwrap_or_default();
    assert_eq!(ended, "detached; the container was removed");
    let status = app.activity.status.clone().map(|s| s.text);
    assert_eq!(
        status.as_deref(),
        Some("web · attach: detached; the container was removed")
    );
}

#[test]
fn output_and_end_of_a_session() {
    let mut app = app_with(ContainerState::Running);
    key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    let id = app.terminals.sessions[0].id;
    open_shell_opened(&mut app);
    app.send(docker(DockerEvent::SessionOutput {
        id,
        bytes: b"hello [31mred[0m".to_vec(),
    }));
    assert!(
        app.terminals.sessions[0]
            .parser
            .screen()
            .contents()
            .contains("hello red")
    );
    app.send(docker(DockerEvent::SessionEnded {
        id,
        reason: "exited (code 0)".into(),
    }));
    assert_eq!(
        app.terminals.sessions[0].ended.as_deref(),
        Some("exited (code 0)")
    );
    // Keys to an ended session go nowhere; the first returns to the panes.
    assert!(key(&mut app, KeyCode::Char('x'), KeyModifiers::NONE).is_empty());
    assert_eq!(app.focus, Pane::Containers);
    // w closes the ended tab without asking; with none left the pane goes away.
    key(&mut app, KeyCode::Char('w'), KeyModifiers::NONE);
    assert!(app.terminals.sessions.is_empty());
    assert!(app.areas().terminal.is_none());
}

#[test]
fn zoom_and_resize_resize_every_tty() {
    let mut app = app_with(ContainerState::Running);
    key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    key(&mut app, KeyCode::Char('5'), KeyModifiers::CONTROL);
    let id = app.terminals.sessions[0].id;
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
    let id = app.terminals.sessions[0].id;
    app.send(docker(DockerEvent::SessionOutput {
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
    let commands = key(&mut app, KeyCode::Char('e'), KeyModifiers::NONE);
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::OpenSession(_))),
        "{commands:?}"
    );
    let status = app.activity.status.clone().expect("status");
    assert!(
        status
            .text
            .contains("web is exited: a shell needs it running"),
        "{}",
        status.text
    );
}

#[test]
fn a_tab_for_a_container_no_listing_showed_yet_is_not_called_removed() {
    let mut app = app_with(ContainerState::Running);
    // run -it: the container was just created; the session ends before a listing shows it.
    app.send(docker(DockerEvent::RunCreated {
        container: crate::docker::Target {
            id: "id-new".into(),
            name: "new".into(),
        },
    }));
    let id = app.terminals.sessions[0].id;
    app.send(docker(DockerEvent::SessionEnded {
        id,
        reason: "exited (code 0)".into(),
    }));
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![container("web", ContainerState::Running)],
    }));
    assert_eq!(
        app.terminals.sessions[0].ended.as_deref(),
        Some("exited (code 0)")
    );
}

/// Defect seen: `a` on an exited container started it without a trace. The start goes to
/// the command log and the status line, and ends when the session opens (or fails).
#[test]
fn an_attach_that_starts_its_container_says_so() {
    let mut app = app_with(ContainerState::Exited);
    key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    let logged: Vec<&str> = app
        .activity
        .entries
        .iter()
        .map(|e| e.cli.as_str())
        .collect();
    assert_eq!(logged, ["docker container start web"]);
    let status = app.activity.status.clone().expect("status").text;
    assert_eq!(status, "Starting web…");
    let id = app.terminals.sessions[0].id;
    app.send(docker(DockerEvent::SessionOpened {
        id,
        interactive: true,
    }));
    let status = app.activity.status.clone().expect("status").text;
    assert!(status.starts_with("Started web in"), "{status}");
    assert!(!app.activity.entries.iter().any(|e| e.running()));
    // One that cannot start says why, in the log too.
    let mut app = app_with(ContainerState::Exited);
    key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    let id = app.terminals.sessions[0].id;
    app.send(docker(DockerEvent::SessionEnded {
        id,
        reason: "cannot start: no such file".into(),
    }));
    let entry = app.activity.entries.back().expect("entry");
    assert!(matches!(
        &entry.outcome,
        crate::app::activity::EntryState::Done { result: Err(e), .. } if e.message.contains("cannot start")
    ));
}

/// `$` asks for a command line, runs it in a new tab, and remembers it for the image.
#[test]
fn any_command_runs_in_a_tab_and_is_remembered() {
    let mut app = app_with(ContainerState::Running);
    key(&mut app, KeyCode::Char('$'), KeyModifiers::NONE);
    for c in "echo 'hi there'".chars() {
        key(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
    }
    let commands = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    let Some(Command::OpenSession(request)) = commands.last() else {
        panic!("{commands:?}");
    };
    assert_eq!(
        request.kind,
        SessionKind::Exec {
            command: vec!["echo".into(), "hi there".into()],
            shell: false,
        }
    );
    // Its tab names the command, not "shell".
    let tab = app.terminals.sessions.last().map(|s| s.title());
    assert_eq!(tab.as_deref(), Some("web · echo"));
    assert_eq!(app.focus, Pane::Terminal);
    // Back on the panes, `$` offers the same line again.
    app.focus = Pane::Containers;
    key(&mut app, KeyCode::Char('$'), KeyModifiers::NONE);
    match &app.view {
        Some(View::Dialog(crate::app::dialog::Dialog::Form(form))) => {
            let crate::app::dialog::Field::Text { input, .. } = &form.fields[0] else {
                panic!("a text field");
            };
            assert_eq!(input.value, "echo 'hi there'");
        }
        other => panic!("{other:?}"),
    }
    // Read-only: refused.
    let mut app = app_with(ContainerState::Running);
    app.prefs.read_only = true;
    key(&mut app, KeyCode::Char('$'), KeyModifiers::NONE);
    assert!(app.view.is_none());
}

/// A program in the pane that asked for mouse reporting gets clicks, encoded as xterm does;
/// otherwise the wheel scrolls the pane back.
#[test]
fn the_mouse_goes_to_a_program_that_asked_for_it() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app_with(ContainerState::Running);
    key(&mut app, KeyCode::Char('e'), KeyModifiers::NONE);
    let id = app.terminals.sessions[0].id;
    app.send(docker(DockerEvent::SessionOpened {
        id,
        interactive: true,
    }));
    let pane = app.areas().terminal.expect("pane");
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: pane.x + 3,
        row: pane.y + 2,
        modifiers: KeyModifiers::NONE,
    };
    assert!(
        app.send(Event::Mouse(click)).is_empty(),
        "no program asked yet"
    );
    app.send(docker(DockerEvent::SessionOutput {
        id,
        bytes: b"\x1b[?1000h\x1b[?1006h".to_vec(),
    }));
    let commands = app.send(Event::Mouse(click));
    assert_eq!(
        commands,
        [Command::SessionInput {
            id,
            bytes: b"\x1b[<0;3;2M".to_vec()
        }]
    );
}
