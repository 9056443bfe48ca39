//! Alerts in the dashboard: the daemon's events raise them, the strip under the header
//! shows them, `!` lists them, and a notice (bell, OSC 9/777) leaves once a second at most.

use super::*;
use crate::app::Local;
use crate::app::alert_list::AlertList;
use crate::docker::ContainerState;

fn died(name: &str, code: &str, secs: i64) -> Event {
    docker(DockerEvent::Engine(die_event(name, code, secs)))
}

/// Connected, with `names` listed (all exited).
fn listed(names: &[&str]) -> App {
    let mut app = new_app(100, (120, 30));
    app.send(docker(DockerEvent::Connected(engine_info())));
    let containers = (names.iter())
        .map(|n| container(n, ContainerState::Exited))
        .collect();
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers,
    }));
    app
}

/// The strip's row on screen, as drawn.
fn strip(app: &App) -> Option<u16> {
    let y = app.areas().alerts.y;
    (app.areas().alerts.height > 0).then_some(())?;
    super::lists::drawn_at(app, y, "alert")
}

fn notices(effects: &crate::app::Effects) -> Vec<&Local> {
    (effects.local.iter())
        .filter(|l| matches!(l, Local::Notify { .. }))
        .collect()
}

#[test]
fn an_exit_non_zero_shows_in_the_strip_and_a_clean_one_does_not() {
    let mut app = listed(&["web", "ok"]);
    let header_bottom = app.areas().images.y;
    assert_eq!(app.alert_rows(), 0, "no alert: no strip");
    app.send(died("ok", "0", 101));
    assert_eq!(app.alert_rows(), 0);
    app.send(died("web", "3", 102));
    assert_eq!(app.alert_rows(), 1);
    assert!(strip(&app).is_some(), "the strip is drawn");
    let y = app.areas().alerts.y;
    assert!(super::lists::drawn_at(&app, y, "1 alert: web exited (3)").is_some());
    assert_eq!(
        app.areas().images.y,
        header_bottom + 1,
        "the panes move down a row"
    );
    // A repeat folds into the same line, counted.
    app.send(died("web", "3", 103));
    assert_eq!(app.alerts.strip(false), ["web exited (3) ×2"]);
    // With several hosts each item names its host.
    assert_eq!(
        app.alerts.strip(true),
        ["web exited (3) on unix:///test.sock ×2"]
    );
}

#[test]
fn a_notice_leaves_once_a_second_with_the_bell_only_when_asked() {
    let mut app = listed(&["web"]);
    app.send(died("web", "3", 102));
    let effects = app.update(Event::Tick(103));
    let [
        Local::Notify {
            body, bell, notify, ..
        },
    ] = notices(&effects)[..]
    else {
        panic!("one notice: {effects:?}");
    };
    assert_eq!(body, "web exited (3) on unix:///test.sock");
    assert!(!bell, "the bell is off by default");
    assert!(notify);
    assert!(
        notices(&app.update(Event::Tick(104))).is_empty(),
        "said once"
    );
    // Both off: no notice at all; the strip still shows it.
    (app.alerts.bell, app.alerts.notify) = (false, false);
    app.send(died("web", "3", 105));
    assert!(notices(&app.update(Event::Tick(106))).is_empty());
    assert_eq!(app.alert_rows(), 1);
}

#[test]
fn a_burst_of_a_thousand_exits_is_one_folded_line_and_one_notice() {
    let mut app = listed(&[]);
    for i in 0..1_000 {
        app.send(died(&format!("job-{i}"), "1", 200));
    }
    assert_eq!(app.alerts.watch.len(), 1_000);
    let items = app.alerts.strip(false);
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].ends_with(", and 999 more"), "{items:?}");
    assert!(strip(&app).is_some());
    let effects = app.update(Event::Tick(201));
    let [Local::Notify { body, .. }] = notices(&effects)[..] else {
        panic!("one notice: {effects:?}");
    };
    assert!(body.starts_with("1000 alerts: job-"), "{body}");
}

/// A long alerts list is made again once a second, not at each of a burst's alerts.
#[test]
fn a_long_alerts_list_follows_a_burst_on_the_next_second() {
    let mut app = listed(&[]);
    app.send(Event::Key(KeyEvent::from(KeyCode::Char('!'))));
    let rows = |app: &App| {
        (app.view.as_ref())
            .and_then(View::list_of::<AlertList>)
            .map(|l| l.rows.len())
    };
    for i in 0..150 {
        app.send(died(&format!("job-{i}"), "1", 200));
    }
    assert_eq!(rows(&app), Some(100), "at once up to 100");
    app.update(Event::Tick(201));
    assert_eq!(rows(&app), Some(150), "the rest on the tick");
}

#[test]
fn bang_lists_the_alerts_enter_goes_to_the_container_and_d_puts_one_away() {
    let mut app = listed(&["api", "db", "web"]);
    app.send(died("db", "2", 101));
    app.send(died("web", "3", 102));
    app.send(Event::Key(KeyEvent::from(KeyCode::Char('!'))));
    let list = (app.view.as_ref())
        .and_then(View::list_of::<AlertList>)
        .expect("the alerts list");
    let shown = crate::app::list::ListView::shown_lines(list, &app.host_names);
    let first: Vec<&str> = shown.lines.iter().map(|l| l.cells[0].as_str()).collect();
    assert_eq!(first, ["web", "db"], "newest first");
    // A new alert while it is open shows at once.
    app.send(died("api", "1", 103));
    let list = (app.view.as_ref()).and_then(View::list_of::<AlertList>);
    assert_eq!(list.map(|l| l.rows.len()), Some(3));
    // `d` puts the selected (newest: api) away; the strip counts two.
    app.send(Event::Key(KeyEvent::from(KeyCode::Char('d'))));
    assert_eq!(app.alerts.watch.len(), 2);
    assert_eq!(status(&app), "Put away 1 alert");
    // Enter: the selected alert's container in the containers pane, the list closed.
    app.send(Event::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(app.view.is_none());
    assert_eq!(app.focus, Pane::Containers);
    assert_eq!(
        app.selected_container().map(|c| c.name.as_str()),
        Some("web")
    );
}

#[test]
fn a_host_that_goes_down_raises_an_alert_that_clears_when_it_is_back() {
    let mut app = listed(&["web"]);
    let endpoint = crate::docker::Endpoint {
        host: "unix:///test.sock".into(),
        source: crate::docker::EndpointSource::Default,
        tls: None,
    };
    let down = || {
        let error = crate::docker::ConnectError::new(
            crate::docker::ConnectErrorKind::Refused,
            &endpoint,
            "connection refused",
        );
        docker(DockerEvent::Disconnected(
            error,
            std::time::Duration::from_secs(1),
        ))
    };
    app.send(down());
    app.send(down());
    let active = app.alerts.watch.active();
    assert_eq!(active.len(), 1, "retries fold");
    assert_eq!(active[0].kind.name(), "host-down");
    assert_eq!(active[0].count, 1, "a retry is no news");
    assert_eq!(notices(&app.update(Event::Tick(101))).len(), 1);
    assert!(
        notices(&app.update(Event::Tick(102))).is_empty(),
        "said once"
    );
    app.send(docker(DockerEvent::Connected(engine_info())));
    assert!(app.alerts.watch.is_empty(), "back: cleared");
    assert_eq!(app.alert_rows(), 0);
}

#[test]
fn a_host_never_reached_is_no_alert() {
    let mut app = new_app(100, (120, 30));
    let endpoint = crate::docker::Endpoint {
        host: "unix:///test.sock".into(),
        source: crate::docker::EndpointSource::Default,
        tls: None,
    };
    let error = crate::docker::ConnectError::new(
        crate::docker::ConnectErrorKind::SocketMissing,
        &endpoint,
        "no socket",
    );
    app.send(docker(DockerEvent::Disconnected(
        error,
        std::time::Duration::from_secs(1),
    )));
    assert!(app.alerts.watch.is_empty());
}

#[test]
fn a_rules_hook_runs_as_a_background_command_and_its_end_is_logged() {
    use crate::alerts::{Pattern, Rule};
    let mut app = App::new(Settings {
        endpoint: "unix:///test.sock".into(),
        now: 100,
        size: (120, 30),
        alerts: crate::app::alerts::Options {
            rules: [(
                "exited",
                Rule {
                    off: false,
                    pattern: Pattern::parse("name:web").expect("a pattern"),
                    hook: vec!["notify".into(), "{name}".into(), "{image}".into()],
                },
            )]
            .into(),
            ..Default::default()
        },
        ..Settings::default()
    });
    app.send(docker(DockerEvent::Connected(engine_info())));
    // Not matched: no alert, no hook.
    let effects = app.update(died("db", "3", 101));
    assert!(effects.local.is_empty(), "{effects:?}");
    assert!(app.alerts.watch.is_empty());
    let effects = app.update(died("web", "3", 102));
    let [Local::Hook { id, call, timeout }] = &effects.local[..] else {
        panic!("one hook: {effects:?}");
    };
    assert_eq!(call.argv, ["notify", "web", "busybox"]);
    assert!(
        call.env
            .contains(&("DOCKPIT_ALERT".into(), "exited".into()))
    );
    assert!(
        call.env
            .contains(&("DOCKPIT_ALERT_STATE".into(), "raised".into()))
    );
    assert!(call.env.contains(&("DOCKPIT_EXIT_CODE".into(), "3".into())));
    assert_eq!(*timeout, crate::app::alerts::HOOK_TIMEOUT);
    // Its end, as the runner reports it, is in the command log.
    app.update(Event::HookDone {
        id: *id,
        result: Err("the exited hook ran over 10 s and was killed".into()),
        elapsed: std::time::Duration::from_secs(10),
    });
    let entry = (app.activity.entries.iter())
        .find(|e| e.id == *id)
        .expect("in the command log");
    assert_eq!(entry.cli, "notify web busybox");
    assert!(matches!(
        &entry.outcome,
        crate::app::activity::EntryState::Done { result: Err(e), .. } if e.message.contains("killed")
    ));
}

/// A task the manager lists failed or rejected, for the look at its tasks.
fn task(id: &str, node: &str, desired: &str, state: &str) -> crate::docker::swarm_tasks::TaskLook {
    crate::docker::swarm_tasks::TaskLook {
        row: crate::docker::swarm::TaskRow {
            id: id.into(),
            service_id: "s1".into(),
            name: "web.1".into(),
            slot: Some(1),
            node_id: node.into(),
            desired: desired.into(),
            state: state.into(),
            message: String::new(),
            error: "task: non-zero exit (1)".into(),
            since: 100,
            container: Some(format!("c-{id}").into()),
        },
        service: "web".into(),
        exit: (state == "failed").then_some(1),
        image: "busybox:1".into(),
        labels: vec![],
    }
}

fn swarm_tasks(commands: &[Command]) -> usize {
    (commands.iter())
        .filter(|c| matches!(c, Command::SwarmTasks { .. }))
        .count()
}

/// The manager sends no task events: while a manager is watched its tasks are asked for
/// every ten seconds; a task failed on a node not watched is one alert, cleared when its
/// service converges.
#[test]
fn a_managers_tasks_are_looked_at_every_ten_seconds_and_a_failed_one_raises() {
    let mut app = listed(&[]);
    assert_eq!(swarm_tasks(&app.send(Event::Tick(100))), 0, "no Swarm");
    let manager = crate::docker::swarm::Membership {
        node_id: "n1".into(),
        manager: true,
        managers: vec![],
    };
    app.send(docker(DockerEvent::Swarm(Some(manager))));
    assert_eq!(swarm_tasks(&app.send(Event::Tick(101))), 1);
    assert_eq!(swarm_tasks(&app.send(Event::Tick(105))), 0, "not yet");
    assert_eq!(swarm_tasks(&app.send(Event::Tick(111))), 1);
    let look = |app: &mut App, tasks| app.send(docker(DockerEvent::SwarmTasks(Ok(tasks))));
    look(&mut app, vec![task("t1", "n2", "running", "running")]);
    assert_eq!(app.alert_rows(), 0);
    // It failed on n2 (not watched), its replacement starting: one alert.
    let failed = vec![
        task("t1", "n2", "shutdown", "failed"),
        task("t2", "n2", "running", "starting"),
    ];
    look(&mut app, failed.clone());
    look(&mut app, failed);
    assert_eq!(app.alerts.watch.len(), 1);
    assert_eq!(
        app.alerts.strip(false),
        ["task web.1 of service web failed (exit 1)"]
    );
    // Converged: cleared.
    look(
        &mut app,
        vec![
            task("t1", "n2", "shutdown", "failed"),
            task("t2", "n2", "running", "running"),
        ],
    );
    assert_eq!(app.alert_rows(), 0);
    // Demoted to a worker: nothing asked.
    let worker = crate::docker::swarm::Membership {
        node_id: "n1".into(),
        manager: false,
        managers: vec![],
    };
    app.send(docker(DockerEvent::Swarm(Some(worker))));
    assert_eq!(swarm_tasks(&app.send(Event::Tick(200))), 0);
}
