//! The timeline: the daemon's container events become its moments, each with who asked for
//! it (an action of dockpit's on that container then, else "outside dockpit"); `Enter` opens
//! the container's logs around that moment.

use std::time::Duration;

use super::*;
use crate::app::timeline::{KEPT, LOGS_AFTER, LOGS_BEFORE, OUTSIDE};
use crate::docker::{ContainerState, EngineEvent, EventKind};

const SEC: i64 = 1_000_000_000;

fn event(kind: EventKind, action: &str, name: &str, secs: i64, attrs: &[(&str, &str)]) -> Event {
    let mut attributes: Vec<(String, String)> = (attrs.iter())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    attributes.push(("image".into(), "busybox".into()));
    attributes.push(("name".into(), name.into()));
    attributes.sort();
    docker(DockerEvent::Engine(EngineEvent {
        time: secs * SEC,
        kind,
        action: action.into(),
        actor_id: format!("id-{name}"),
        attributes,
    }))
}

fn on(action: &str, name: &str, secs: i64, attrs: &[(&str, &str)]) -> Event {
    event(EventKind::Container, action, name, secs, attrs)
}

/// Connected at 100, with `web` and `db` running, the containers pane focused.
fn running() -> App {
    let mut app = new_app(100, (140, 30));
    app.send(docker(DockerEvent::Connected(engine_info())));
    let containers = ["web", "db"].map(|n| container(n, ContainerState::Running));
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: containers.to_vec(),
    }));
    app.focus = Pane::Containers;
    assert!(app.show_container(&"id-web".into()), "web selected");
    app
}

/// The open list's rows as shown: each row's cells.
fn shown(app: &App) -> Vec<Vec<String>> {
    let list = app.view.as_ref().and_then(View::list).expect("a list open");
    (list.shown_lines(&app.host_names).lines.into_iter())
        .map(|l| l.cells)
        .collect()
}

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(code)))
}

#[test]
fn state_changes_are_moments_newest_first_each_with_who_asked() {
    let mut app = running();
    // `x` on web: dockpit stops it at 100; the daemon's events follow.
    let sent = press(&mut app, KeyCode::Char('x'));
    let Some(Command::Op {
        id,
        op: Op::Stop { .. },
    }) = sent.first()
    else {
        panic!("a stop: {sent:?}");
    };
    app.send(on("kill", "web", 100, &[("signal", "15")]));
    app.send(on("die", "web", 101, &[("exitCode", "143")]));
    // The stop's answer may come before its last event: that event is still the stop's.
    app.send(docker(DockerEvent::OpDone {
        id: *id,
        result: Ok("Stopped web".into()),
        elapsed: Duration::from_millis(1_200),
    }));
    app.send(on("stop", "web", 102, &[]));
    // Not state changes: an image's event, an exec.
    app.send(event(EventKind::Image, "pull", "busybox", 103, &[]));
    app.send(on("exec_start: sh", "db", 103, &[]));
    // Later, db killed from outside, and a health change.
    app.send(on("kill", "db", 200, &[("signal", "9")]));
    app.send(on("die", "db", 200, &[("exitCode", "137")]));
    app.send(on("health_status: unhealthy", "web", 300, &[]));
    assert_eq!(app.timeline.moments.len(), 6);

    press(&mut app, KeyCode::Char('~'));
    let rows = shown(&app);
    fn cols(r: &[String]) -> [&str; 6] {
        let [name, what, exit, signal, health, _time, asked] = r else {
            panic!("{r:?}");
        };
        [name, what, exit, signal, health, asked].map(String::as_str)
    }
    let stop = "docker container stop --time 10 web";
    assert_eq!(
        rows.iter().map(|r| cols(r)).collect::<Vec<_>>(),
        [
            ["web", "health", "", "", "unhealthy", OUTSIDE],
            ["db", "die", "137", "", "", OUTSIDE],
            ["db", "kill", "", "9", "", OUTSIDE],
            ["web", "stop", "", "", "", stop],
            ["web", "die", "143", "", "", stop],
            ["web", "kill", "", "15", "", stop],
        ],
        "newest first"
    );
    // A moment that comes while it is open shows at once.
    app.send(on("start", "db", 400, &[]));
    assert_eq!(cols(&shown(&app)[0]), ["db", "start", "", "", "", OUTSIDE]);
}

#[test]
fn an_action_long_over_or_of_another_kind_is_not_who_asked() {
    let mut app = running();
    let sent = press(&mut app, KeyCode::Char('x'));
    let Some(Command::Op { id, .. }) = sent.first() else {
        panic!("{sent:?}");
    };
    app.send(docker(DockerEvent::OpDone {
        id: *id,
        result: Ok("Stopped web".into()),
        elapsed: Duration::from_millis(500),
    }));
    // Twenty seconds after the stop ended; on another container at its time; a start from
    // outside just after the stop (a stop starts nothing).
    app.send(on("die", "web", 120, &[("exitCode", "0")]));
    app.send(on("die", "db", 100, &[("exitCode", "0")]));
    app.send(on("start", "web", 100, &[]));
    let asked: Vec<&str> = (app.timeline.moments.iter())
        .map(|m| m.row.asked.as_str())
        .collect();
    assert_eq!(asked, [OUTSIDE, OUTSIDE, OUTSIDE]);
}

/// A run names no container when it starts: once the create's answer names it, its create
/// and start are the run's, whether their events came before that answer or after.
#[test]
fn a_runs_own_create_and_start_are_credited_to_it_once_its_container_is_known() {
    let mut app = running();
    let fields = crate::run_spec::RunFields {
        image: "busybox:1".into(),
        name: "new".into(),
        ..Default::default()
    };
    let spec = fields.parse().expect("a run");
    let cli = spec.cli();
    let started = app
        .activity
        .start_all(vec![Op::Run(Box::new(spec))], vec![], 100);
    let [(run, _)] = started.as_slice() else {
        panic!("{started:?}")
    };
    // The create's event before the answer that names its container: outside, for now.
    app.send(on("create", "new", 100, &[]));
    assert_eq!(
        app.timeline.moments.back().map(|m| m.row.asked.as_str()),
        Some(OUTSIDE)
    );
    press(&mut app, KeyCode::Char('~'));
    let container = crate::docker::ContainerId::from("id-new".to_string());
    app.send(docker(DockerEvent::RunContainer {
        op: *run,
        container,
    }));
    // Its start after it; another container created then is still outside.
    app.send(on("start", "new", 101, &[]));
    app.send(on("create", "other", 101, &[]));
    let asked: Vec<(String, String)> = (app.timeline.moments.iter())
        .map(|m| (m.row.what.clone(), m.row.asked.clone()))
        .collect();
    let pair = |w: &str, a: &str| (w.to_string(), a.to_string());
    assert_eq!(
        asked,
        [
            pair("create", &cli),
            pair("start", &cli),
            pair("create", OUTSIDE)
        ]
    );
    // The open timeline shows the credit.
    let rows = shown(&app);
    assert!(
        rows.iter()
            .any(|r| r[0] == "new" && r[1] == "create" && r[6] == cli),
        "{rows:?}"
    );
}

#[test]
fn enter_opens_the_logs_around_the_moment_over_the_timeline() {
    let mut app = running();
    app.send(on("die", "db", 1_000, &[("exitCode", "3")]));
    press(&mut app, KeyCode::Char('~'));
    let sent = press(&mut app, KeyCode::Enter);
    let [
        Command::FollowLogs {
            id,
            container,
            since: Some(since),
            until: Some(until),
            ..
        },
    ] = sent.as_slice()
    else {
        panic!("{sent:?}");
    };
    assert_eq!(container.as_str(), "id-db");
    assert_eq!(since, &(1_000 - LOGS_BEFORE).to_string());
    assert_eq!(until, &(1_000 + LOGS_AFTER).to_string());
    let Some(View::Logs(logs)) = &app.view else {
        panic!("the logs view");
    };
    assert!(logs.container.starts_with("db at "), "{}", logs.container);
    // Its lines are that moment's, read to their end: a later start of db's is not
    // followed there.
    app.send(docker(DockerEvent::StreamEnded {
        id: *id,
        reason: "the container's output ended".into(),
    }));
    let later = app.send(on("start", "db", 1_100, &[]));
    assert!(
        !(later.iter()).any(|c| matches!(c, Command::FollowLogs { .. })),
        "{later:?}"
    );
    // Esc: the timeline is back, with the start that came meanwhile.
    press(&mut app, KeyCode::Esc);
    assert_eq!(shown(&app).len(), 2);
}

#[test]
fn enter_on_a_removed_containers_moment_says_its_logs_are_gone_and_asks_nothing() {
    let mut app = running();
    app.send(on("die", "db", 1_000, &[("exitCode", "0")]));
    app.send(on("destroy", "db", 1_001, &[]));
    press(&mut app, KeyCode::Char('~'));
    press(&mut app, KeyCode::Char('j'));
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "no logs asked for"
    );
    assert!(
        matches!(&app.view, Some(View::List(_))),
        "the timeline stays"
    );
    let said = status(&app);
    assert!(
        said.starts_with("✗ db was removed at ") && said.ends_with(": its logs went with it"),
        "{said}"
    );
}

#[test]
fn enter_on_an_empty_timeline_says_so_and_asks_nothing() {
    let mut app = running();
    press(&mut app, KeyCode::Char('~'));
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(status(&app), "✗ no moment selected");
}

#[test]
fn the_timeline_keeps_its_last_moments_and_a_long_one_follows_each_second() {
    let mut app = running();
    press(&mut app, KeyCode::Char('~'));
    for i in 0..KEPT + 10 {
        let secs = 1_000 + i64::try_from(i).unwrap_or_default();
        app.send(on("start", "web", secs, &[]));
    }
    assert_eq!(app.timeline.moments.len(), KEPT);
    assert_eq!(app.timeline.moments.dropped(), 10);
    app.send(Event::Tick(2_000));
    assert_eq!(shown(&app).len(), KEPT, "made again on the tick");
}

#[test]
fn a_containers_inspect_view_has_its_timeline_tab_which_follows_its_moments() {
    use crate::app::inspect::Tab;
    let mut app = running();
    app.send(on("die", "web", 500, &[("exitCode", "3")]));
    app.send(on("die", "db", 501, &[("exitCode", "4")]));
    let sent = press(&mut app, KeyCode::Char('i'));
    assert!(
        matches!(sent.as_slice(), [Command::Inspect { .. }]),
        "{sent:?}"
    );
    // The tab is there before the daemon answers: its moments are the app's.
    let tab_of = |app: &App| match &app.view {
        Some(View::Inspect(v)) => (v.tabs(), v.clone()),
        _ => panic!("the inspect view"),
    };
    let (tabs, _) = tab_of(&app);
    assert_eq!(tabs.last(), Some(&Tab::Timeline));
    while tab_of(&app).1.tab != Tab::Timeline {
        press(&mut app, KeyCode::Tab);
    }
    let lines = tab_of(&app).1.lines();
    assert_eq!(lines.len(), 2, "a header and web's one moment: {lines:?}");
    assert!(lines[0].starts_with("TIME") && lines[0].contains("ASKED BY"));
    assert!(lines[1].contains("die") && lines[1].contains(" 3 ") && lines[1].contains(OUTSIDE));
    // A new moment of web's shows at once, first; db's does not.
    app.send(on("start", "web", 502, &[]));
    app.send(on("start", "db", 503, &[]));
    let lines = tab_of(&app).1.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[1].contains("start"), "{lines:?}");
}
