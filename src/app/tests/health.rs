use super::*;
use crate::docker::{ContainerState, EngineEvent, EventKind};

fn snapshot(names: &[&str]) -> Event {
    docker(DockerEvent::Snapshot {
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
    docker(DockerEvent::Engine(EngineEvent {
        time: 0,
        kind: EventKind::Container,
        action: action.into(),
        actor_id: id.into(),
        attributes: vec![],
    }))
}

/// Connected: only then does the app ask the daemon about rows in view.
fn connected_app(size: (u16, u16)) -> App {
    let mut app = new_app(0, size);
    app.send(docker(DockerEvent::Connected(crate::docker::EngineInfo {
        endpoint: crate::docker::Endpoint {
            host: "unix:///test.sock".into(),
            source: crate::docker::EndpointSource::Default,
            tls: None,
        },
        version: "26.1".into(),
        api_version: "1.45".into(),
        os_arch: "linux/amd64".into(),
    })));
    app
}

#[test]
fn restart_counts_are_asked_once_per_container_and_again_after_a_start() {
    let mut app = connected_app((160, 45));
    assert_eq!(asked(&app.send(snapshot(&["a", "b"]))), ["id-a", "id-b"]);
    // The next listing (every poll) asks about nothing it already asked about.
    assert!(asked(&app.send(snapshot(&["a", "b"]))).is_empty());
    assert_eq!(asked(&app.send(snapshot(&["a", "b", "c"]))), ["id-c"]);
    app.send(docker(DockerEvent::RestartCounts(vec![
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

/// Only the rows in view are asked about: a host of thousands costs a screenful of
/// inspects, and scrolling asks about the rows that come into view.
#[test]
fn restart_counts_are_asked_for_the_rows_in_view_only() {
    let mut app = connected_app((160, 30));
    let names: Vec<String> = (0..500).map(|i| format!("c{i:03}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let first = asked(&app.send(snapshot(&refs)));
    let height = app.rows_in_view(Pane::Containers);
    assert_eq!(first.len(), height, "{first:?}");
    assert!(first.contains(&"id-c000".to_string()));
    app.focus = Pane::Containers;
    let paged = asked(&app.send(Event::Key(KeyEvent::from(KeyCode::PageDown))));
    assert!(
        !paged.is_empty() && paged.iter().all(|id| !first.contains(id)),
        "{paged:?}"
    );
}
