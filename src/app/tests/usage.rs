use super::*;
use crate::docker::ContainerState;
use crate::docker::stats::Reading;

#[test]
fn the_running_rows_in_view_are_watched_and_cpu_comes_from_two_readings() {
    let mut app = new_app(0, (160, 45));
    // Off by default (they cost the daemon CPU); `--usage` or U turns them on.
    assert!(!app.usage.on);
    app.usage.on = true;
    app.send(docker(DockerEvent::Connected(super::engine_info())));
    let row = container;
    let commands = app.send(docker(DockerEvent::Snapshot {
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
    app.send(docker(DockerEvent::Usage(vec![(
        "id-a".into(),
        reading(0, 0),
    )])));
    assert_eq!(
        app.usage.shown["id-a"],
        (None, 1_000_000),
        "one reading: no CPU yet"
    );
    app.send(docker(DockerEvent::Usage(vec![(
        "id-a".into(),
        reading(500, 1_000),
    )])));
    assert_eq!(app.usage.shown["id-a"], (Some(100.0), 1_000_000));
    // U switches the columns off: nothing is read any more.
    app.focus = Pane::Containers;
    let commands = app.send(Event::Key(KeyEvent::from(KeyCode::Char('U'))));
    assert_eq!(commands, vec![Command::WatchUsage(vec![])]);
    assert_eq!(app.status_line().0, " CPU % and MEM off");
}

/// U says what it did, in place of what was said before (U pressed in the images pane is
/// refused): the columns it shows may not fit, and the refusal would stay otherwise.
#[test]
fn u_says_what_it_turned_on_in_place_of_a_refusal() {
    let mut app = new_app(0, (160, 45));
    app.focus = Pane::Images;
    app.send(Event::Key(KeyEvent::from(KeyCode::Char('U'))));
    assert!(!app.usage.on);
    assert_eq!(app.status_line().0, " ✗ U works in the Containers pane");
    app.focus = Pane::Containers;
    app.send(Event::Key(KeyEvent::from(KeyCode::Char('U'))));
    assert!(app.usage.on);
    assert_eq!(
        app.status_line().0,
        " CPU % and MEM on (first readings in a second; U turns them off)"
    );
}

/// Issue 31: CPU % and MEM sort like any column (`>` reaches them while they show, a click
/// on their header sorts too), busiest first; sorted so, every running container shown is
/// read (the order needs them all), a new reading moves its row, and the rows never read
/// (stopped ones) stay last either way round.
#[test]
fn the_usage_columns_sort_by_the_readings_of_every_running_container_shown() {
    use crate::app::lists::SortBy;
    // Room for fewer rows than there are running containers.
    let mut app = new_app(0, (160, 13));
    app.usage.on = true;
    app.focus = Pane::Containers;
    app.send(docker(DockerEvent::Connected(super::engine_info())));
    let containers = ["a", "b", "c", "d", "e"]
        .map(|n| {
            let state = match n {
                "d" => ContainerState::Exited,
                _ => ContainerState::Running,
            };
            container(n, state)
        })
        .to_vec();
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers,
    }));
    assert!(
        app.rows_in_view(Pane::Containers) < 4,
        "a pane shorter than the list"
    );
    let names = |app: &App| -> Vec<String> {
        app.visible_containers()
            .iter()
            .map(|c| c.name.clone())
            .collect()
    };
    let key = |c| Event::Key(KeyEvent::from(KeyCode::Char(c)));
    // name → image → state → created → CPU %.
    let mut watched = Vec::new();
    for _ in 0..4 {
        watched = app.send(key('>'));
    }
    assert_eq!(
        (app.container_sort().by, app.container_sort().descending),
        (SortBy::Cpu, true)
    );
    let running: Vec<crate::docker::ContainerId> =
        ["id-a", "id-b", "id-c", "id-e"].map(Into::into).to_vec();
    assert_eq!(watched, [Command::WatchUsage(running)]);
    let header = app.areas().containers.y + 1;
    assert!(super::lists::drawn_at(&app, header, "CPU % ▼").is_some());
    read_cpu(&mut app, &[("id-a", 5), ("id-b", 50), ("id-c", 20)]);
    assert_eq!(
        names(&app),
        ["b", "c", "a", "d", "e"],
        "d (stopped) and e, not read yet, last"
    );
    app.send(key('j'));
    let selected = app.containers.room.cursor.selected.clone();
    read_cpu(&mut app, &[("id-a", 90), ("id-e", 1)]);
    assert_eq!(names(&app), ["a", "b", "c", "e", "d"]);
    assert_eq!(
        app.containers.room.cursor.selected, selected,
        "the cursor stays on its row"
    );
    app.send(key('<'));
    assert_eq!(
        names(&app),
        ["e", "c", "b", "a", "d"],
        "the stopped one still last"
    );
    // A click on MEM's header sorts by it (all equal here: by name).
    let mem = super::lists::drawn_at(&app, header, "MEM").expect("a MEM header");
    super::click(&mut app, mem, header);
    assert_eq!(
        (app.container_sort().by, app.container_sort().descending),
        (SortBy::Mem, true)
    );
    assert!(super::lists::drawn_at(&app, header, "MEM ▼").is_some());
    assert_eq!(names(&app), ["a", "b", "c", "e", "d"]);
    // U turns the columns off: the sort goes back to the pane's own.
    app.send(key('U'));
    assert_eq!(app.container_sort().by, SortBy::Name);
    assert_eq!(names(&app), ["a", "b", "c", "d", "e"]);
}

/// Streamed data from a host (terminal output here) moves no row: the follow-ups (the rows
/// in view read for usage, restart counts, ttys) are not worked out again for each chunk,
/// as they are after a listing or a resize.
#[test]
fn a_hosts_streamed_output_skips_the_follow_ups() {
    let mut app = new_app(0, (160, 45));
    app.usage.on = true;
    app.send(docker(DockerEvent::Connected(super::engine_info())));
    let commands = app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![container("a", ContainerState::Running)],
    }));
    assert!(commands.contains(&Command::WatchUsage(vec!["id-a".into()])));
    // Changed behind update's back: only a follow-up would notice.
    app.usage.on = false;
    let output = DockerEvent::SessionOutput {
        id: Default::default(),
        bytes: b"hello".to_vec(),
    };
    assert_eq!(app.send(docker(output)), []);
    assert_eq!(
        app.send(Event::Resize(160, 45)),
        [Command::WatchUsage(vec![])]
    );
}

/// Two readings of each container in `cpus` (a first at zero, then its CPU % of one core).
fn read_cpu(app: &mut App, cpus: &[(&str, u64)]) {
    let at = |cpu, system| Reading {
        cpu_total: cpu,
        system_total: system,
        cpus: 1,
        memory: 1_000,
        ..Reading::default()
    };
    for (cpu, system) in [(0, 0), (1, 100)] {
        let readings = (cpus.iter())
            .map(|(id, n)| ((*id).into(), at(n * cpu, system)))
            .collect();
        app.send(docker(DockerEvent::Usage(readings)));
    }
}
