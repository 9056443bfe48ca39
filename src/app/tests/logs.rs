use super::*;
use crate::docker::ContainerState;
use crate::docker::logs::LogLine;

fn app() -> App {
    let mut app = new_app(1_764_000_000, (120, 40));
    app.send(Event::Docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![container("web", ContainerState::Running)],
    }));
    app.focus = Pane::Containers;
    app
}

fn key(app: &mut App, c: char) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(KeyCode::Char(c))))
}

fn view(app: &App) -> &crate::app::logs::LogView {
    match &app.view {
        Some(View::Logs(view)) => view,
        other => panic!("logs view expected, got {other:?}"),
    }
}

#[test]
fn logs_follow_search_save_and_close() {
    let mut app = app();
    let commands = key(&mut app, 'l');
    let [
        Command::FollowLogs {
            id,
            container,
            tail,
        },
    ] = commands.as_slice()
    else {
        panic!("{commands:?}");
    };
    assert_eq!((container.as_str(), *tail), ("id-web", 1_000));
    let line = |text: &str, err| LogLine {
        err,
        time: "2026-11-28T14:00:00Z".into(),
        text: text.into(),
    };
    app.send(Event::Docker(DockerEvent::LogLines {
        id: *id,
        lines: vec![
            line("starting", false),
            line("boom", true),
            line("ready", false),
        ],
    }));
    assert_eq!(view(&app).lines.len(), 3);

    // An invalid regex says so and keeps the pattern for fixing.
    key(&mut app, '/');
    for c in "(oops".chars() {
        key(&mut app, c);
    }
    app.send(Event::Key(KeyEvent::from(KeyCode::Enter)));
    let note = view(&app).search.note.clone().expect("a message");
    assert!(note.1 && note.0.starts_with("invalid regex"), "{note:?}");
    assert!(view(&app).search.input.is_some());
    app.send(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    for c in "bo+m".chars() {
        key(&mut app, c);
    }
    app.send(Event::Key(KeyEvent::from(KeyCode::Enter)));
    assert_eq!(view(&app).offset, 1, "the match is the bottom line");
    key(&mut app, 'f');
    assert_eq!(view(&app).visible().len(), 1);

    // Saving asks where (pre-filled under the data folder), then is a local effect, never
    // a Docker command.
    key(&mut app, 's');
    assert!(
        view(&app)
            .save_to
            .as_ref()
            .is_some_and(|p| p.value.ends_with(".log"))
    );
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(effects.docker.is_empty());
    let [crate::app::Local::Save { path, text }] = effects.local.as_slice() else {
        panic!("{effects:?}");
    };
    assert!(path.ends_with("web-20251124-160000.log"), "{path:?}");
    assert_eq!(text, "boom\n");
    app.update(Event::Saved {
        path: path.clone(),
        result: Ok(()),
    });
    assert!(
        view(&app)
            .search
            .note
            .as_ref()
            .is_some_and(|n| n.0.starts_with("saved to "))
    );

    assert_eq!(key(&mut app, 'q'), vec![Command::StopStream(*id)]);
    assert!(app.view.is_none());
    assert!(!app.should_quit, "q closes the view, not dockpit");
}

#[test]
fn new_lines_do_not_move_a_scrolled_view() {
    let mut app = app();
    let commands = key(&mut app, 'l');
    let Some(Command::FollowLogs { id, .. }) = commands.first() else {
        panic!()
    };
    let id = *id;
    let lines = |n: usize| {
        (0..n)
            .map(|i| LogLine {
                err: false,
                time: String::new(),
                text: format!("line {i}"),
            })
            .collect()
    };
    app.send(Event::Docker(DockerEvent::LogLines {
        id,
        lines: lines(50),
    }));
    key(&mut app, 'k');
    key(&mut app, 'k');
    assert_eq!(view(&app).offset, 2);
    app.send(Event::Docker(DockerEvent::LogLines {
        id,
        lines: lines(5),
    }));
    assert_eq!(view(&app).offset, 7, "still on the same line");
    key(&mut app, 'G');
    assert_eq!(view(&app).offset, 0, "G follows again");
}
