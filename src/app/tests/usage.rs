use super::*;
use crate::docker::ContainerState;
use crate::docker::stats::Reading;

#[test]
fn the_running_rows_in_view_are_watched_and_cpu_comes_from_two_readings() {
    let mut app = new_app(0, (160, 45));
    // Off by default (they cost the daemon CPU); `--usage` or U turns them on.
    assert!(!app.usage.on);
    app.usage.on = true;
    app.send(Event::Docker(DockerEvent::Connected(super::engine_info())));
    let row = container;
    let commands = app.send(Event::Docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![
            row("a", ContainerState::Running),
            row("b", ContainerState::Exited),
        ],
    }));
    let watched: Vec<&Command> = commands
        .iter()
        .filter(|c| matches!(c, Command::WatchUsage(_)))
        .collect();
    assert_eq!(watched, [&Command::WatchUsage(vec!["id-a".into()])]);
    // Nothing changed: nothing asked again.
    assert!(app.send(Event::Tick(1)).is_empty());
    let reading = |cpu, system| Reading {
        cpu_total: cpu,
        system_total: system,
        cpus: 2,
        memory: 1_000_000,
        ..Reading::default()
    };
    app.send(Event::Docker(DockerEvent::Usage(vec![(
        "id-a".into(),
        reading(0, 0),
    )])));
    assert_eq!(
        app.usage.shown["id-a"],
        (None, 1_000_000),
        "one reading: no CPU yet"
    );
    app.send(Event::Docker(DockerEvent::Usage(vec![(
        "id-a".into(),
        reading(500, 1_000),
    )])));
    assert_eq!(app.usage.shown["id-a"], (Some(100.0), 1_000_000));
    // U switches the columns off: nothing is read any more.
    app.focus = Pane::Containers;
    let commands = app.send(Event::Key(KeyEvent::from(KeyCode::Char('U'))));
    assert_eq!(commands, vec![Command::WatchUsage(vec![])]);
}
