//! While you were away: the times kept, the events asked on start, and what they raised
//! shown once per host in the strip, with the daemon's backlog said when it fell short.

use std::collections::HashMap;

use super::*;
use crate::app::Local;
use crate::app::away::Away;
use crate::away::Kept;
use crate::docker::{ContainerState, EngineEvent, EventKind, HostId};

const SEC: i64 = 1_000_000_000;

fn event(action: &str, name: &str, code: &str, secs: i64) -> EngineEvent {
    EngineEvent {
        time: secs * SEC,
        kind: EventKind::Container,
        action: action.into(),
        actor_id: format!("id-{name}"),
        attributes: vec![
            ("exitCode".into(), code.into()),
            ("image".into(), "busybox".into()),
            ("name".into(), name.into()),
        ],
    }
}

/// An app started at `now` whose last run saw its host's events up to `since` (nanoseconds;
/// `event`: an event's time, else the clock's when it answered), connected: answers the
/// commands the connection sent.
fn restarted_from(since: i64, event: bool, now: i64) -> (App, String, Vec<Command>) {
    let mut app = new_app(now, (160, 30));
    let host = app.alert_host(HostId::default());
    let kept = Kept { time: since, event };
    app.alerts.away = Away::from_kept(HashMap::from([(host.clone(), kept)]));
    let commands = app.send(docker(DockerEvent::Connected(engine_info())));
    (app, host, commands)
}

fn restarted(since: i64, now: i64) -> (App, String, Vec<Command>) {
    restarted_from(since, true, now)
}

/// The daemon's answer to the events asked from `since`.
fn past(app: &mut App, since: i64, events: Vec<EngineEvent>) {
    app.send(docker(DockerEvent::PastEvents {
        since,
        result: Ok(events),
    }));
}

/// The one web exit (code 3) at 03:15.
fn web_exited_at_0315() -> Vec<EngineEvent> {
    vec![event("die", "web", "3", DAY + 15 * 60)]
}

/// 2026-12-05 03:00 UTC.
const DAY: i64 = 1_796_439_600;

#[test]
fn a_container_that_died_while_dockpit_was_closed_is_named_on_start() {
    let since = (DAY + 10 * 60) * SEC + 5;
    let (mut app, host, commands) = restarted(since, DAY + 20 * 60);
    let asked = Command::PastEvents {
        host: HostId::default(),
        since,
    };
    assert!(commands.contains(&asked), "{commands:?}");
    assert_eq!(app.alert_rows(), 0, "nothing to say before the answer");
    // The last event seen comes back first (`since` is inclusive), then web's exit at 03:12.
    let mut last_seen = event("start", "web", "", 0);
    last_seen.time = since;
    let events = vec![
        last_seen,
        event("die", "ok", "0", DAY + 11 * 60),
        event("die", "web", "137", DAY + 12 * 60),
    ];
    past(&mut app, since, events.clone());
    let said = format!(
        "while you were away: web was killed by signal 9, not through Docker at 03:12 on {host}"
    );
    assert_eq!(app.alerts.away.lines, [said]);
    assert_eq!(app.alert_rows(), 1, "the strip shows it");
    assert!(app.alerts.watch.is_empty(), "past: not a live alert");
    // Asked once: a second answer (or a reconnect) adds nothing.
    past(&mut app, since, events);
    assert_eq!(app.alerts.away.lines.len(), 1);
    let again = app.send(docker(DockerEvent::Connected(engine_info())));
    assert!(
        !again
            .iter()
            .any(|c| matches!(c, Command::PastEvents { .. }))
    );
}

#[test]
fn a_backlog_that_does_not_reach_back_is_said() {
    let since = (DAY + 10 * 60) * SEC;
    let (mut app, host, _) = restarted(since, DAY + 20 * 60);
    // The oldest event kept is newer than the one asked from: older ones were dropped.
    past(&mut app, since, web_exited_at_0315());
    assert_eq!(
        app.alerts.away.lines,
        [format!(
            "while you were away: web exited (3) at 03:15 on {host}; {host}'s daemon kept events back to 03:15 only, not to 03:10"
        )]
    );
    // Nothing at all, while a container was created since: the daemon restarted, say.
    let (mut app, host, _) = restarted(since, DAY + 20 * 60);
    let mut new = container("new", ContainerState::Running);
    new.created = DAY + 12 * 60;
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![new],
    }));
    past(&mut app, since, Vec::new());
    assert_eq!(
        app.alerts.away.lines,
        [format!(
            "while you were away: {host}'s daemon kept no events back to 03:10, yet containers were created since"
        )]
    );
    // From the clock's time (a quiet host): no event of that time to come back, so a newer
    // oldest event says nothing of the backlog.
    let (mut app, host, _) = restarted_from(since, false, DAY + 20 * 60);
    past(&mut app, since, web_exited_at_0315());
    assert_eq!(
        app.alerts.away.lines,
        [format!(
            "while you were away: web exited (3) at 03:15 on {host}"
        )]
    );
    // Nothing, and nothing changed: nothing to say.
    let (mut app, _, _) = restarted(since, DAY + 20 * 60);
    past(&mut app, since, Vec::new());
    assert!(app.alerts.away.lines.is_empty());
    assert_eq!(app.alert_rows(), 0);
}

#[test]
fn a_first_start_asks_nothing() {
    let mut app = new_app(DAY, (160, 30));
    let commands = app.send(docker(DockerEvent::Connected(engine_info())));
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::PastEvents { .. }))
    );
}

fn kept(effects: &crate::app::Effects) -> Option<Vec<(String, i64, bool)>> {
    effects.local.iter().find_map(|l| match l {
        Local::KeepSeen(seen) => Some(
            seen.iter()
                .map(|(h, k)| (h.clone(), k.time, k.event))
                .collect(),
        ),
        _ => None,
    })
}

#[test]
fn the_newest_event_time_is_kept_every_few_seconds_and_at_quit() {
    let mut app = new_app(DAY, (160, 30));
    let host = app.alert_host(HostId::default());
    // A host with no time yet gets the clock's when it answers: a quiet one has one too.
    let connected = app.update(docker(DockerEvent::Connected(engine_info())));
    assert_eq!(
        kept(&connected),
        Some(vec![(host.clone(), DAY * SEC, false)])
    );
    // Within the next few seconds, events are seen but not written.
    let soon = app.update(docker(DockerEvent::Engine(event(
        "die",
        "web",
        "0",
        DAY + 1,
    ))));
    assert_eq!(kept(&soon), None);
    assert_eq!(kept(&app.update(Event::Tick(DAY + 2))), None);
    // An older event (a past one) never moves the time back.
    app.update(docker(DockerEvent::Engine(event(
        "start",
        "x",
        "",
        DAY - 100,
    ))));
    let due = app.update(Event::Tick(DAY + 5));
    assert_eq!(
        kept(&due),
        Some(vec![(host.clone(), (DAY + 1) * SEC, true)])
    );
    assert_eq!(kept(&app.update(Event::Tick(DAY + 6))), None, "unchanged");
    // At quit, whatever is new, at once.
    let new = app.update(docker(DockerEvent::Engine(event(
        "start",
        "web",
        "",
        DAY + 7,
    ))));
    assert_eq!(kept(&new), None, "not due yet");
    let quit = app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.should_quit);
    assert_eq!(kept(&quit), Some(vec![(host, (DAY + 7) * SEC, true)]));
}
