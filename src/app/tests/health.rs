use super::*;
use crate::docker::{ContainerState, EngineEvent, EventKind};

fn snapshot(names: &[&str]) -> Event {
    Event::Docker(DockerEvent::Snapshot {
        images: vec![],
        containers: names
            .iter()
            .map(|n| container(n, ContainerState::Running))
            .collect(),
    })
}

fn asked(commands: &[Command]) -> Vec<String> {
    let mut ids: Vec<String> = commands
        .iter()
        .filter_map(|c| match c {
            Command::RestartCounts(ids) => Some(ids.iter().map(|i| i.to_string())),
            _ => None,
        })
        .flatten()
        .collect();
    ids.sort();
    ids
}

fn event(action: &str, id: &str) -> Event {
    Event::Docker(DockerEvent::Engine(EngineEvent {
        time: 0,
        kind: EventKind::Container,
        action: action.into(),
        actor_id: id.into(),
        attributes: vec![],
    }))
}

#[test]
fn restart_counts_are_asked_once_per_container_and_again_after_a_start() {
    let mut app = new_app(0, (160, 45));
    assert_eq!(asked(&app.send(snapshot(&["a", "b"]))), ["id-a", "id-b"]);
    // The next listing (every poll) asks about nothing it already asked about.
    assert!(asked(&app.send(snapshot(&["a", "b"]))).is_empty());
    assert_eq!(asked(&app.send(snapshot(&["a", "b", "c"]))), ["id-c"]);
    app.send(Event::Docker(DockerEvent::RestartCounts(vec![
        ("id-a".into(), 3),
        ("id-b".into(), 0),
    ])));
    assert_eq!(app.restarts_of(&"id-a".into()), Some(3));
    assert_eq!(app.restarts_of(&"id-b".into()), None, "0 shows nothing");
    // A start (a restart policy's too) may change the count; a stop does not.
    assert_eq!(asked(&app.send(event("start", "id-b"))), ["id-b"]);
    assert!(asked(&app.send(event("die", "id-b"))).is_empty());
    // A container gone is forgotten.
    app.send(snapshot(&["b", "c"]));
    assert_eq!(app.restarts_of(&"id-a".into()), None);
}
