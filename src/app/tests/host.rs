//! The volumes, networks and disk usage views: keys in, requests and actions out.

use super::*;
use crate::app::volumes::Volumes;
use crate::docker::disk::{DiskUsage, Usage};
use crate::docker::host::{HostAnswer, HostQuery};
use crate::docker::networks::NetworkRow;
use crate::docker::volumes::VolumeRow;
use crate::docker::{ContainerState, EngineEvent, EventKind, OpError, StreamId, Target};

fn app() -> App {
    let mut app = new_app(0, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![
            container("web", ContainerState::Running),
            container("db", ContainerState::Exited),
        ],
    }));
    app
}

fn key(app: &mut App, c: char) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(KeyCode::Char(c))))
}

fn enter(app: &mut App) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(KeyCode::Enter)))
}

/// The request a view sent, and its id.
fn query(commands: &[Command]) -> (StreamId, HostQuery) {
    commands
        .iter()
        .find_map(|c| match c {
            Command::Host { id, query, .. } => Some((*id, query.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no request in {commands:?}"))
}

fn ops(commands: &[Command]) -> Vec<Op> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Op { op, .. } => Some(op.clone()),
            _ => None,
        })
        .collect()
}

fn volume(name: &str, size: Option<i64>, users: &[&str]) -> VolumeRow {
    VolumeRow {
        name: name.into(),
        driver: "local".into(),
        scope: "local".into(),
        size,
        users: users.iter().map(|u| u.to_string()).collect(),
    }
}

fn answer(app: &mut App, id: StreamId, answer: HostAnswer) {
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(answer),
    }));
}

fn confirm_lines(app: &App) -> String {
    use crate::app::dialog::Dialog;
    use crate::app::room::Overlay;
    let room = app.view.as_ref().and_then(View::room).expect("a room open");
    match &room.overlay {
        Some(Overlay::Dialog(Dialog::Confirm(c))) => format!("{}\n{}", c.title, c.lines.join("\n")),
        other => panic!("no confirmation: {other:?}"),
    }
}

fn event(kind: EventKind, action: &str) -> Event {
    docker(DockerEvent::Engine(EngineEvent {
        time: 0,
        kind,
        action: action.into(),
        actor_id: "x".into(),
        attributes: vec![],
    }))
}

#[test]
fn volumes_open_with_sizes_and_relist_without_them_on_volume_events() {
    let mut app = app();
    let (id, q) = query(&key(&mut app, 'V'));
    assert_eq!(q, HostQuery::Volumes { sizes: true });
    answer(
        &mut app,
        id,
        HostAnswer::Volumes(
            vec![
                volume("data", Some(2_000), &["web"]),
                volume("old", Some(500), &[]),
            ],
            Some(DiskUsage::default()),
        ),
    );
    // A volume event lists again, without the disk usage (it walks every volume).
    let (again, q) = query(&app.send(event(EventKind::Volume, "create")));
    assert_eq!((again, q), (id, HostQuery::Volumes { sizes: false }));
    // An image event does not concern it.
    assert!(
        app.send(event(EventKind::Image, "pull"))
            .iter()
            .all(|c| !matches!(c, Command::Host { .. }))
    );
    answer(
        &mut app,
        id,
        HostAnswer::Volumes(
            vec![
                volume("data", None, &["web"]),
                volume("new", None, &[]),
                volume("old", None, &[]),
            ],
            None,
        ),
    );
    let Some(view) = app.view.as_ref().and_then(View::list_of::<Volumes>) else {
        panic!("the volumes view closed");
    };
    let sizes: Vec<Option<i64>> = view.rows.iter().map(|r| r.row.size).collect();
    assert_eq!(
        sizes,
        [Some(2_000), None, Some(500)],
        "known sizes are kept"
    );
    // Refresh reads the sizes again.
    let (_, q) = query(&app.send(Event::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    ))));
    assert_eq!(q, HostQuery::Volumes { sizes: true });
    // An answer for a view no longer open is dropped.
    key(&mut app, 'q');
    assert!(app.view.is_none());
    answer(&mut app, id, HostAnswer::Volumes(vec![], None));
    assert!(app.view.is_none());
}

#[test]
fn removing_a_volume_asks_naming_its_users_and_the_list_stays_open() {
    let mut app = app();
    let (id, _) = query(&key(&mut app, 'V'));
    answer(
        &mut app,
        id,
        HostAnswer::Volumes(vec![volume("data", Some(2_000), &["web", "db"])], None),
    );
    assert!(key(&mut app, 'd').is_empty(), "asks first");
    let text = confirm_lines(&app);
    assert!(text.contains("Remove volume data?"), "{text}");
    assert!(text.contains("Used by web, db"), "{text}");
    assert_eq!(
        ops(&enter(&mut app)),
        [Op::RemoveVolume {
            name: "data".into()
        }]
    );
    assert!(
        app.view
            .as_ref()
            .and_then(View::list_of::<Volumes>)
            .is_some(),
        "back to the list"
    );
    // Prune says what goes and what it frees; cancelled, nothing is sent.
    answer(
        &mut app,
        id,
        HostAnswer::Volumes(
            vec![
                volume("a", Some(1_000), &[]),
                volume("b", Some(2_000), &[]),
                volume("c", None, &["web"]),
            ],
            Some(DiskUsage::default()),
        ),
    );
    key(&mut app, 'X');
    let text = confirm_lines(&app);
    assert!(
        text.contains("Removes 2 volumes no container uses (a, b), freeing 3kB"),
        "{text}"
    );
    assert!(
        app.send(Event::Key(KeyEvent::from(KeyCode::Esc)))
            .is_empty()
    );
    assert!(
        app.view
            .as_ref()
            .and_then(View::list_of::<Volumes>)
            .is_some()
    );
}

#[test]
fn a_volume_form_makes_its_op_and_bad_input_stays_in_the_form() {
    let mut app = app();
    key(&mut app, 'V');
    key(&mut app, 'c');
    for c in "-bad".chars() {
        key(&mut app, c);
    }
    assert!(enter(&mut app).is_empty(), "an invalid name sends nothing");
    app.send(Event::Key(KeyEvent::from(KeyCode::Home)));
    app.send(Event::Key(KeyEvent::from(KeyCode::Delete)));
    app.send(Event::Key(KeyEvent::from(KeyCode::Tab)));
    app.send(Event::Key(KeyEvent::from(KeyCode::Tab)));
    for c in "team=web".chars() {
        key(&mut app, c);
    }
    assert_eq!(
        ops(&enter(&mut app)),
        [Op::CreateVolume {
            name: "bad".into(),
            driver: String::new(),
            labels: vec![("team".into(), "web".into())],
        }]
    );
}

#[test]
fn read_only_refuses_before_asking() {
    let mut app = App::new(Settings {
        prefs: crate::app::Prefs {
            read_only: true,
            ..Default::default()
        },
        size: (120, 40),
        ..Settings::default()
    });
    let (id, _) = query(&key(&mut app, 'V'));
    answer(
        &mut app,
        id,
        HostAnswer::Volumes(vec![volume("data", None, &[])], None),
    );
    for k in ['d', 'X', 'c'] {
        assert!(key(&mut app, k).is_empty());
        let room = app.view.as_ref().and_then(View::room).expect("open");
        assert!(
            room.overlay.is_none(),
            "{k} opened a dialog in read-only mode"
        );
    }
    assert!(status(&app).contains("read-only"));
}

fn network(name: &str, attached: &[&str]) -> NetworkRow {
    NetworkRow {
        id: format!("net-{name}"),
        name: name.into(),
        driver: "bridge".into(),
        scope: "local".into(),
        subnets: vec![("10.1.0.0/24".into(), "10.1.0.1".into())],
        containers: attached
            .iter()
            .map(|n| Target {
                id: format!("id-{n}").into(),
                name: n.to_string(),
            })
            .collect(),
        stopped: Vec::new(),
    }
}

#[test]
fn networks_refuse_the_predefined_and_connect_a_container_picked_from_a_list() {
    let mut app = app();
    let (id, q) = query(&key(&mut app, 'M'));
    assert_eq!(q, HostQuery::Networks);
    answer(
        &mut app,
        id,
        HostAnswer::Networks(vec![network("back", &["web"]), network("bridge", &[])]),
    );
    // Connect offers only the containers not attached yet.
    key(&mut app, 'C');
    assert_eq!(
        ops(&enter(&mut app)),
        [Op::ConnectNetwork {
            network: "back".into(),
            container: Target {
                id: "id-db".into(),
                name: "db".into()
            },
        }]
    );
    key(&mut app, 'D');
    assert!(matches!(
        ops(&enter(&mut app)).as_slice(),
        [Op::DisconnectNetwork { container, .. }] if container.name == "web"
    ));
    // The predefined bridge cannot go: said at once, nothing asked.
    key(&mut app, 'j');
    assert!(key(&mut app, 'd').is_empty());
    assert!(status(&app).contains("predefined"), "{}", status(&app));
    let room = app.view.as_ref().and_then(View::room).expect("open");
    assert!(room.overlay.is_none());
    // A network event lists them again.
    let (again, _) = query(&app.send(event(EventKind::Network, "connect")));
    assert_eq!(again, id);
}

#[test]
fn disk_usage_prune_says_what_it_frees_first() {
    let mut app = app();
    app.send(Event::Key(KeyEvent::from(KeyCode::Char(':'))));
    for c in "df".chars() {
        key(&mut app, c);
    }
    let (id, q) = query(&enter(&mut app));
    assert_eq!(q, HostQuery::DiskUsage);
    let usage = |total, size, reclaimable| Usage {
        total,
        active: 1,
        size,
        reclaimable,
    };
    answer(
        &mut app,
        id,
        HostAnswer::DiskUsage(DiskUsage {
            images: usage(3, 9_000_000, 4_000_000),
            containers: usage(2, 3_000, 1_000),
            volumes: usage(4, 5_000_000, 2_500_000),
            build_cache: usage(0, 0, 0),
            volume_sizes: Default::default(),
        }),
    );
    key(&mut app, 'j');
    key(&mut app, 'j');
    key(&mut app, 'X');
    let text = confirm_lines(&app);
    assert!(
        text.contains("Frees 2.5MB (of 5MB in 4 local volumes)"),
        "{text}"
    );
    assert_eq!(
        ops(&enter(&mut app)),
        [Op::PruneVolumes {
            label: None,
            all: false
        }]
    );
    // A failed read shows the daemon's words and keeps the view.
    app.send(docker(DockerEvent::Host {
        id,
        result: Err(OpError::new("Error response from daemon: boom")),
    }));
    let room = app.view.as_ref().and_then(View::room).expect("open");
    assert!(room.error.is_some());
}

/// `X` prunes the marked kinds (not the one under the cursor), in one question.
#[test]
fn disk_usage_prune_acts_on_the_marked_kinds() {
    let mut app = app();
    let (id, _) = query(&key(&mut app, 'F'));
    answer(&mut app, id, HostAnswer::DiskUsage(DiskUsage::default()));
    // Images and containers marked; the cursor moves on to the volumes.
    key(&mut app, ' ');
    key(&mut app, ' ');
    key(&mut app, 'X');
    let text = confirm_lines(&app);
    assert!(text.contains("every stopped container"), "{text}");
    assert!(!text.contains("every volume"), "{text}");
    assert_eq!(
        ops(&enter(&mut app)),
        [
            Op::PruneImages { label: None },
            Op::PruneContainers { label: None }
        ]
    );
}

#[test]
fn a_burst_of_events_is_one_listing_more() {
    let mut app = app();
    let (id, _) = query(&key(&mut app, 'M'));
    let relists = |commands: Vec<Command>| {
        commands
            .iter()
            .filter(|c| matches!(c, Command::Host { .. }))
            .count()
    };
    // Still reading: 300 containers created ask for nothing yet…
    for _ in 0..300 {
        assert_eq!(relists(app.send(event(EventKind::Container, "create"))), 0);
    }
    // …and the answer asks once more.
    let after = app.send(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Networks(vec![])),
    }));
    assert_eq!(relists(after), 1);
    let idle = app.send(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Networks(vec![])),
    }));
    assert_eq!(relists(idle), 0, "nothing came meanwhile");
    // The events also earned one later look (a listing may lag its event), once.
    assert_eq!(relists(app.send(Event::Tick(1))), 1);
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Networks(vec![])),
    }));
    assert_eq!(relists(app.send(Event::Tick(2))), 0);
}
