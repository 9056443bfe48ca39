use super::*;
use crate::docker::ContainerState;
use crate::docker::logs::LogLine;

fn app() -> App {
    let mut app = new_app(1_764_000_000, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
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
            since: None,
            until: None,
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
        source: 0,
    };
    app.send(docker(DockerEvent::LogLines {
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
    // Tab completes the path on this machine; the answer fills the field.
    let typed = view(&app)
        .save_to
        .as_ref()
        .map(|p| p.value.clone())
        .unwrap_or_default();
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Tab)));
    assert_eq!(
        effects.local,
        [crate::app::Local::CompletePath(typed.clone())]
    );
    app.update(Event::Completed {
        typed: typed.clone(),
        path: typed.clone(),
        names: vec![],
    });
    assert_eq!(
        view(&app).save_to.as_ref().map(|p| p.value.clone()),
        Some(typed)
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
                source: 0,
            })
            .collect()
    };
    app.send(docker(DockerEvent::LogLines {
        id,
        lines: lines(50),
    }));
    key(&mut app, 'k');
    key(&mut app, 'k');
    assert_eq!(view(&app).offset, 2);
    app.send(docker(DockerEvent::LogLines {
        id,
        lines: lines(5),
    }));
    assert_eq!(view(&app).offset, 7, "still on the same line");
    key(&mut app, 'G');
    assert_eq!(view(&app).offset, 0, "G follows again");
}

/// A running container of Compose project "shop".
fn service(name: &str) -> crate::docker::ContainerRow {
    crate::docker::ContainerRow {
        compose: Some(std::sync::Arc::new(crate::docker::compose::Compose {
            project: "shop".into(),
            service: name.into(),
            working_dir: String::new(),
            config_files: String::new(),
            config_hash: String::new(),
        })),
        ..container(name, ContainerState::Running)
    }
}

/// A line written at second `s`.
fn at(s: u32, text: &str) -> LogLine {
    LogLine {
        err: false,
        time: format!("2026-11-28T14:00:{s:02}.000000000Z"),
        text: text.into(),
        source: 0,
    }
}

#[test]
fn a_projects_logs_merge_in_time_order_each_line_with_its_source() {
    let mut app = new_app(1_764_000_000, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![service("shop-db"), service("shop-web")],
    }));
    app.focus = Pane::Containers;
    // The project's row is the first: `l` follows each of its containers.
    let commands = key(&mut app, 'l');
    let streams: Vec<_> = commands
        .iter()
        .filter_map(|c| match c {
            Command::FollowLogs { id, container, .. } => Some((*id, container.to_string())),
            _ => None,
        })
        .collect();
    let [(db, db_id), (web, web_id)] = streams.as_slice() else {
        panic!("{commands:?}");
    };
    assert_eq!(
        (db_id.as_str(), web_id.as_str()),
        ("id-shop-db", "id-shop-web")
    );
    // Each stream's backlog arrives whole, one after the other: the view interleaves them.
    for (id, lines) in [
        (*web, vec![at(1, "web up"), at(4, "GET /")]),
        (
            *db,
            vec![at(0, "db up"), at(3, "ready"), at(5, "checkpoint")],
        ),
    ] {
        app.send(docker(DockerEvent::LogLines { id, lines }));
    }
    let shown = |app: &App| -> Vec<String> {
        let v = view(app);
        v.visible()
            .iter()
            .map(|l| format!("{}: {}", v.source_name(l.source), l.text))
            .collect()
    };
    assert_eq!(
        shown(&app),
        [
            "shop-db: db up",
            "shop-web: web up",
            "shop-db: ready",
            "shop-web: GET /",
            "shop-db: checkpoint"
        ]
    );
    // Tab narrows to one source, then the next, then all again.
    app.send(Event::Key(KeyEvent::from(KeyCode::Tab)));
    assert_eq!(
        shown(&app),
        ["shop-db: db up", "shop-db: ready", "shop-db: checkpoint"]
    );
    app.send(Event::Key(KeyEvent::from(KeyCode::Tab)));
    assert_eq!(shown(&app), ["shop-web: web up", "shop-web: GET /"]);
    app.send(Event::Key(KeyEvent::from(KeyCode::Tab)));
    assert_eq!(shown(&app).len(), 5);
    // A saved file keeps the sources.
    key(&mut app, 's');
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Enter)));
    let [crate::app::Local::Save { text, .. }] = effects.local.as_slice() else {
        panic!("{effects:?}");
    };
    assert!(
        text.starts_with("shop-db | db up\nshop-web | web up\n"),
        "{text}"
    );
    // Scrolled back, an older line landing above the view does not move it.
    key(&mut app, 'k');
    assert_eq!(view(&app).offset, 1);
    app.send(docker(DockerEvent::LogLines {
        id: *web,
        lines: vec![at(2, "late but older")],
    }));
    assert_eq!(view(&app).offset, 1);
    assert_eq!(shown(&app)[2], "shop-web: late but older");
    // Ended only when both streams have.
    app.send(docker(DockerEvent::StreamEnded {
        id: *db,
        reason: "gone".into(),
    }));
    assert!(view(&app).ended.is_none());
    app.send(docker(DockerEvent::StreamEnded {
        id: *web,
        reason: "gone".into(),
    }));
    assert!(view(&app).ended.is_some());
    // Closing stops every stream.
    assert_eq!(
        key(&mut app, 'q'),
        [Command::StopStream(*db), Command::StopStream(*web)]
    );
}

#[test]
fn marked_containers_logs_merge_and_one_container_has_nothing_to_narrow() {
    let mut app = new_app(1_764_000_000, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![
            container("a", ContainerState::Running),
            container("b", ContainerState::Running),
            container("c", ContainerState::Running),
        ],
    }));
    app.focus = Pane::Containers;
    key(&mut app, ' ');
    key(&mut app, ' ');
    let commands = key(&mut app, 'l');
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(view(&app).merged);
    assert_eq!(view(&app).container, "2 containers");
    key(&mut app, 'q');
    app.containers.marks.clear();
    key(&mut app, 'l');
    assert!(!view(&app).merged);
    app.send(Event::Key(KeyEvent::from(KeyCode::Tab)));
    assert!(view(&app).search.note.as_ref().is_some_and(|n| n.1));
}

/// A container in a restart loop: its logs go on with each new run, after a marker line,
/// from just after the last line shown; whether its start comes before or after the end
/// of the old run's stream.
#[test]
fn logs_follow_a_container_across_restarts_with_a_marker() {
    use crate::docker::{EngineEvent, EventKind};
    let mut app = app();
    let commands = key(&mut app, 'l');
    let Some(Command::FollowLogs { id, .. }) = commands.first() else {
        panic!("{commands:?}");
    };
    let line = |time: &str| LogLine {
        err: false,
        time: time.into(),
        text: "run".into(),
        source: 0,
    };
    app.send(docker(DockerEvent::LogLines {
        id: *id,
        lines: vec![line("2026-11-28T14:00:00.000000005Z")],
    }));
    // The logs commands a start event leads to (it asks for restart counts too).
    let start = |app: &mut App, seconds: i64| -> Vec<Command> {
        app.send(docker(DockerEvent::Engine(EngineEvent {
            time: seconds * 1_000_000_000,
            kind: EventKind::Container,
            action: "start".into(),
            actor_id: "id-web".into(),
            attributes: vec![],
        })))
        .into_iter()
        .filter(|c| matches!(c, Command::FollowLogs { .. }))
        .collect()
    };
    app.send(docker(DockerEvent::StreamEnded {
        id: *id,
        reason: "the container's output ended".into(),
    }));
    assert!(view(&app).ended.is_some());
    let again = start(&mut app, 1_795_874_401);
    let [
        Command::FollowLogs {
            id: next,
            container,
            since: Some(since),
            ..
        },
    ] = again.as_slice()
    else {
        panic!("followed again: {again:?}");
    };
    assert_eq!(container.as_str(), "id-web");
    // 2026-11-28T14:00:00Z is 1795874400: one nanosecond after the last line.
    assert_eq!(since, "1795874400.000000006");
    assert_ne!(next, id, "a new stream");
    assert_eq!(view(&app).ended, None, "following again");
    let texts: Vec<&str> = view(&app).lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["run", "── restarted ──"]);

    // The start before the old stream ended: followed again once it has.
    assert!(start(&mut app, 1_795_874_402).is_empty());
    let again = app.send(docker(DockerEvent::StreamEnded {
        id: *next,
        reason: "the container's output ended".into(),
    }));
    assert!(
        matches!(
            again.as_slice(),
            [Command::FollowLogs { since: Some(_), .. }]
        ),
        "{again:?}"
    );
    assert_eq!(view(&app).lines.len(), 3, "a second marker");
}
