use super::*;
use crate::docker::ContainerState;

fn app() -> App {
    let mut app = new_app(0, (120, 40));
    app.prefs.read_only = true;
    app.send(docker(DockerEvent::Snapshot {
        images: vec![super::image_row("busybox", "1", "sha256:b")],
        containers: vec![
            container("a", ContainerState::Exited),
            container("b", ContainerState::Running),
        ],
    }));
    app
}

#[test]
fn every_action_that_changes_state_is_refused() {
    let cases = [
        (Pane::Images, 'p'),
        (Pane::Images, 'r'),
        (Pane::Images, 'd'),
        (Pane::Images, 't'),
        (Pane::Images, 'X'),
        (Pane::Containers, 's'),
        (Pane::Containers, 'x'),
        (Pane::Containers, 'R'),
        (Pane::Containers, 'K'),
        (Pane::Containers, 'P'),
        (Pane::Containers, 'd'),
        (Pane::Containers, 'c'),
        (Pane::Containers, 'X'),
        (Pane::Containers, 'e'),
        // `a` on the stopped container would start it.
        (Pane::Containers, 'a'),
    ];
    for (pane, c) in cases {
        let mut app = app();
        app.focus = pane;
        let commands = app.send(Event::Key(KeyEvent::from(KeyCode::Char(c))));
        assert!(commands.is_empty(), "{c}: {commands:?}");
        assert!(app.view.is_none(), "{c} opened a dialog");
        let status = app.activity.status.clone().expect("a message");
        assert!(
            status.error && status.text.contains("read-only"),
            "{c}: {}",
            status.text
        );
    }
}

#[test]
fn browsing_and_read_only_attach_still_work() {
    let mut app = app();
    app.focus = Pane::Containers;
    app.send(Event::Key(KeyEvent::from(KeyCode::Char('j'))));
    assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("b"));
    app.send(Event::Key(KeyEvent::from(KeyCode::Char('A'))));
    assert!(!app.containers.kind.show_all);
    // Attaching to the running container opens its output; typing sends nothing.
    let commands = app.send(Event::Key(KeyEvent::from(KeyCode::Char('a'))));
    assert!(matches!(commands.last(), Some(Command::OpenSession(_))));
    let id = app.terminals.sessions[0].id;
    app.send(docker(DockerEvent::SessionOpened {
        id,
        interactive: true,
    }));
    let typed = app.send(Event::Key(KeyEvent::from(KeyCode::Char('x'))));
    assert!(typed.is_empty());
    assert!(app.send(Event::Paste("rm -rf /".into())).is_empty());
    // Logs, stats and inspect still open.
    app.send(Event::Key(KeyEvent::new(
        KeyCode::Char(']'),
        KeyModifiers::CONTROL,
    )));
    for (c, what) in [('l', "logs"), ('S', "stats"), ('i', "inspect")] {
        app.view = None;
        let commands = app.send(Event::Key(KeyEvent::from(KeyCode::Char(c))));
        let opened = matches!(
            commands.first(),
            Some(
                Command::FollowLogs { .. } | Command::FollowStats { .. } | Command::Inspect { .. }
            )
        );
        assert!(opened, "{what}: {commands:?}");
    }
}

#[test]
fn read_only_never_resizes_a_containers_tty() {
    let mut app = app();
    app.focus = Pane::Containers;
    app.send(Event::Key(KeyEvent::from(KeyCode::Char('j'))));
    let commands = app.send(Event::Key(KeyEvent::from(KeyCode::Char('a'))));
    let Some(Command::OpenSession(request)) = commands.last() else {
        panic!("attach opens a session: {commands:?}");
    };
    assert!(!request.resize, "the tty keeps its size in read-only mode");
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::SessionResize { .. }))
    );
    let commands = app.send(Event::Resize(100, 30));
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::SessionResize { .. })),
        "{commands:?}"
    );
    // The pane's emulator still follows the pane (it crops or pads).
    let (rows, cols) = app.terminals.size;
    assert_eq!(
        app.terminals.sessions[0].parser.screen().size(),
        (rows, cols)
    );
}

/// Without a daemon, an action is refused at once with a message, never sent.
#[test]
fn actions_wait_for_the_daemon() {
    let mut app = app();
    app.prefs.read_only = false;
    app.focus = Pane::Containers;
    let endpoint = crate::docker::Endpoint {
        host: "unix:///test.sock".into(),
        source: crate::docker::EndpointSource::Default,
        tls: None,
    };
    let error = crate::docker::ConnectError::new(
        crate::docker::ConnectErrorKind::Refused,
        &endpoint,
        "connection refused",
    );
    app.send(docker(DockerEvent::Disconnected(
        error,
        std::time::Duration::from_secs(1),
    )));
    assert!(
        app.send(Event::Key(KeyEvent::from(KeyCode::Char('x'))))
            .is_empty()
    );
    let status = app.activity.status.clone().expect("status").text;
    assert!(
        status.contains("not connected to Docker at unix:///test.sock"),
        "{status}"
    );
    assert!(app.view.is_none());
}
