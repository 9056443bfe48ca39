//! One frame of work at scale: a full snapshot (or only a key) through `update`, then
//! `render` at 160×45; and one event's rows applied through `update`.
//! Prints figures; `cargo bench --bench frame`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use dockpit::app::{App, Event};
use dockpit::docker::compose::Compose;
use dockpit::docker::{ContainerRow, ContainerState, DockerEvent, HostId, ImageRow};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Whether the case `label` runs: all of them, or those whose label holds `BENCH_FILTER`
/// (one case under a profiler).
fn wanted(label: &str) -> bool {
    std::env::var("BENCH_FILTER").map_or(true, |f| label.contains(&f))
}

/// The first (or only) host's event, as the Docker task sends it.
fn docker(event: DockerEvent) -> Event {
    Event::Host(HostId::default(), event)
}

/// `projects`: the containers fall into this many Compose projects (0: none).
fn snapshot(containers: usize, images: usize, projects: usize) -> DockerEvent {
    DockerEvent::Snapshot {
        images: (0..images)
            .map(|i| ImageRow {
                host: Default::default(),
                key: format!("{i}"),
                id: format!("sha256:{i:064}"),
                repository: Some(format!("registry.example.com/team/app{i}")),
                tag: Some("latest".into()),
                size: 123_456_789,
                created: 1_700_000_000 - i as i64,
                registry_copy: false,
            })
            .collect(),
        containers: (0..containers)
            .map(|i| ContainerRow {
                host: Default::default(),
                // Ids as the daemon makes them (random hex): rows compare by id, and
                // zero-padded counters would share 60 leading bytes.
                id: format!(
                    "{:032x}{:032x}",
                    (i as u128 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835),
                    i
                )
                .into(),
                name: format!("service-{i:05}"),
                image: "registry.example.com/team/app:latest".into(),
                image_id: format!("sha256:{:064}", i % 100),
                state: if i % 3 == 0 {
                    ContainerState::Exited
                } else {
                    ContainerState::Running
                },
                status: "Up 5 minutes".into(),
                ports: "0.0.0.0:8080->80/tcp".into(),
                created: 1_700_000_000,
                aging: None,
                compose: (projects > 0).then(|| {
                    let project = format!("project-{:03}", i % projects);
                    std::sync::Arc::new(Compose {
                        working_dir: format!("/srv/{project}"),
                        config_files: format!("/srv/{project}/compose.yml"),
                        config_hash: String::new(),
                        project,
                        service: format!("service-{i}"),
                    })
                }),
            })
            .collect(),
    }
}

/// `hosts` hosts of `containers` containers each (several: the HOST column shows, and each
/// host lists on its own). `listing`: each frame also takes a full listing of one host (as
/// after its resync); else only a key (the steady state: events change a row or two
/// between frames).
/// `projects`: Compose projects the containers fall into (0: none).
fn measure(
    label: &str,
    hosts: u16,
    containers: usize,
    images: usize,
    projects: usize,
    listing: bool,
) {
    if !wanted(label) {
        return;
    }
    let specs = (0..hosts)
        .map(|h| dockpit::app::hosts::HostSpec {
            name: format!("build{h}"),
            cli: format!("-H ssh://deploy@build{h}"),
            label: format!("ssh://deploy@build{h}"),
            ..Default::default()
        })
        .collect();
    let mut app = App::new(dockpit::app::Settings {
        endpoint: "unix:///var/run/docker.sock".into(),
        hosts: if hosts > 1 { specs } else { Vec::new() },
        now: 1_700_000_000,
        size: (160, 45),
        ..Default::default()
    });
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
    // Each host its own rows (the same names: a fleet runs the same services).
    let listings: Vec<(HostId, DockerEvent)> = (0..hosts)
        .map(|h| {
            let mut event = snapshot(containers, images, projects);
            if let DockerEvent::Snapshot { containers, .. } = &mut event {
                for c in containers {
                    c.id = format!("{h:04}{}", &c.id.as_str()[4..]).into();
                }
            }
            (HostId(h), event)
        })
        .collect();
    for (host, event) in &listings {
        app.update(Event::Host(*host, event.clone()));
    }
    let mut times = Vec::new();
    for i in 0..200 {
        let (host, event) = listings[i % listings.len()].clone();
        let start = Instant::now();
        if listing {
            app.update(Event::Host(host, event));
        }
        // Alternate a key so the cursor path is measured too.
        let code = if i % 2 == 0 {
            KeyCode::Tab
        } else {
            KeyCode::Char('j')
        };
        app.update(Event::Key(KeyEvent::from(code)));
        terminal
            .draw(|f| dockpit::ui::render(f, black_box(&app)))
            .expect("draw");
        times.push(start.elapsed());
    }
    report(label, times);
}

/// One event applied: a container listed again after an event (stopped, under the name
/// sort it keeps its place), through `update`, without drawing.
fn event_applied(label: &str, containers: usize) {
    if !wanted(label) {
        return;
    }
    let mut app = App::new(dockpit::app::Settings {
        endpoint: "unix:///var/run/docker.sock".into(),
        now: 1_700_000_000,
        size: (160, 45),
        ..Default::default()
    });
    let DockerEvent::Snapshot { images, containers } = snapshot(containers, 100, 0) else {
        unreachable!("snapshot() makes a snapshot")
    };
    let rows = containers.clone();
    app.update(docker(DockerEvent::Snapshot { images, containers }));
    let mut times = Vec::new();
    for i in 0..2_000 {
        let mut row = rows[(i * 7919) % rows.len()].clone();
        row.state = if i % 2 == 0 {
            ContainerState::Exited
        } else {
            ContainerState::Running
        };
        row.status = "Exited (137) Less than a second ago".into();
        let event = docker(DockerEvent::ContainersChanged {
            changed: vec![row],
            removed: Vec::new(),
        });
        let start = Instant::now();
        app.update(black_box(event));
        times.push(start.elapsed());
    }
    report(label, times);
}

/// The Swarm view on `services` services of `tasks` tasks in all (over 10 nodes): each
/// frame a fresh listing (as every 2 s while it is open) and a key, drawn; on the services
/// tab, or on one service's tasks when `drilled` (all `tasks` are that service's).
fn swarm(label: &str, services: usize, tasks: usize, drilled: bool) {
    if !wanted(label) {
        return;
    }
    use dockpit::docker::host::HostAnswer;
    use dockpit::docker::swarm::{Membership, Mode, NodeRow, ServiceRow, SwarmListing, TaskRow};
    let mut app = App::new(dockpit::app::Settings {
        endpoint: "unix:///var/run/docker.sock".into(),
        now: 1_700_000_000,
        size: (160, 45),
        ..Default::default()
    });
    let endpoint = dockpit::docker::Endpoint {
        host: "unix:///var/run/docker.sock".into(),
        source: dockpit::docker::EndpointSource::Default,
        tls: None,
    };
    app.update(docker(DockerEvent::Connected(
        dockpit::docker::EngineInfo {
            endpoint,
            version: "26.1.5".into(),
            api_version: "1.45".into(),
            os_arch: "linux/amd64".into(),
        },
    )));
    app.update(docker(DockerEvent::Swarm(Some(Membership {
        node_id: "node-0".into(),
        manager: true,
        managers: Vec::new(),
    }))));
    let nodes: Vec<NodeRow> = (0..10)
        .map(|n| NodeRow {
            id: format!("node-{n}"),
            hostname: format!("swarm-{n}"),
            role: if n < 3 { "manager" } else { "worker" }.into(),
            availability: "active".into(),
            state: "ready".into(),
            manager_status: String::new(),
            engine: "26.1.5".into(),
            labels: "zone=a".into(),
            addr: format!("10.0.0.{n}"),
            tasks: tasks / 10,
        })
        .collect();
    let listing = SwarmListing {
        nodes,
        services: (0..services)
            .map(|i| ServiceRow {
                id: format!("service-{i:04}"),
                name: format!("app-{i:04}"),
                mode: Mode::Replicated((tasks / services) as u64),
                running: (tasks / services) as u64,
                desired: (tasks / services) as u64,
                image: "registry.example.com/team/app:1".into(),
                ports: String::new(),
                updated: 1_699_999_000,
                update_state: Some("completed".into()),
                update_message: None,
                stack: Some(format!("stack-{}", i % 10)),
            })
            .collect(),
        tasks: (0..tasks)
            .map(|t| TaskRow {
                id: format!("task-{t:05}"),
                service_id: if drilled {
                    "service-0000".into()
                } else {
                    format!("service-{:04}", t % services)
                },
                name: format!("app-{:04}.{}", t % services, t / services + 1),
                slot: Some((t / services + 1) as i64),
                node_id: format!("node-{}", t % 10),
                desired: "running".into(),
                state: "running".into(),
                message: String::new(),
                error: String::new(),
                since: 1_699_999_500,
                container: Some(format!("{t:064x}").into()),
            })
            .collect(),
    };
    app.update(Event::Key(KeyEvent::from(KeyCode::Char('W'))));
    // Answers what the list open asks now (its level's tasks), under its id.
    let answer = |app: &App| {
        use dockpit::app::swarm_lists::{SwarmKind, SwarmTasks};
        let view = app.view.as_ref().expect("the Swarm view");
        let id = view.room().expect("a Swarm list").id;
        let tasks = match view.list_of::<SwarmTasks>() {
            Some(list) => list.kind.tasks(),
            None => dockpit::docker::swarm::Tasks::Running,
        };
        docker(DockerEvent::Host {
            id,
            result: Ok(HostAnswer::Swarm(tasks, listing.clone())),
        })
    };
    app.update(answer(&app));
    if drilled {
        app.update(Event::Key(KeyEvent::from(KeyCode::Enter)));
        app.update(answer(&app));
    }
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
    let mut times = Vec::new();
    for i in 0..200 {
        let event = answer(&app);
        let start = Instant::now();
        app.update(event);
        let code = if i % 2 == 0 { 'j' } else { 'k' };
        app.update(Event::Key(KeyEvent::from(KeyCode::Char(code))));
        terminal
            .draw(|f| dockpit::ui::render(f, black_box(&app)))
            .expect("draw");
        times.push(start.elapsed());
    }
    report(label, times);
}

/// A burst of `exits` containers exiting non-zero within a second (issue 29): every `die`
/// event through `update` (the alert rules), then one frame, the strip folded to one line.
/// `frames`: only the frame after the burst is timed, else the burst and its frame. `open`:
/// the key of a list open during it (`!` the alerts, `~` the timeline).
fn alert_burst(label: &str, exits: usize, open: Option<char>, frames: bool) {
    if !wanted(label) {
        return;
    }
    use dockpit::docker::{EngineEvent, EventKind};
    let DockerEvent::Snapshot { images, containers } = snapshot(exits, 100, 0) else {
        unreachable!("snapshot() makes a snapshot")
    };
    let events: Vec<Event> = (containers.iter())
        .map(|c| {
            docker(DockerEvent::Engine(EngineEvent {
                time: 1_700_000_000_000_000_000,
                kind: EventKind::Container,
                action: "die".into(),
                actor_id: c.id.to_string(),
                attributes: vec![
                    ("exitCode".into(), "1".into()),
                    ("image".into(), c.image.clone()),
                    ("name".into(), c.name.clone()),
                ],
            }))
        })
        .collect();
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
    let mut times = Vec::new();
    for _ in 0..20 {
        let mut app = App::new(dockpit::app::Settings {
            endpoint: "unix:///var/run/docker.sock".into(),
            now: 1_700_000_000,
            size: (160, 45),
            ..Default::default()
        });
        app.update(docker(DockerEvent::Snapshot {
            images: images.clone(),
            containers: containers.clone(),
        }));
        if let Some(key) = open {
            app.update(Event::Key(KeyEvent::from(KeyCode::Char(key))));
        }
        let start = Instant::now();
        for event in &events {
            app.update(black_box(event.clone()));
        }
        // The second's tick: the notice, and a long alerts list made again.
        app.update(Event::Tick(1_700_000_001));
        let drawn = Instant::now();
        terminal
            .draw(|f| dockpit::ui::render(f, black_box(&app)))
            .expect("draw");
        assert_eq!(app.alerts.strip(false).len(), 1, "one folded line");
        times.push(if frames {
            drawn.elapsed()
        } else {
            start.elapsed()
        });
    }
    report(label, times);
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let mean: Duration = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "{label:<36} mean {:>6.3} ms   p50 {:>6.3} ms   p99 {:>6.3} ms",
        mean.as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() * 99 / 100].as_secs_f64() * 1e3,
    );
}

fn main() {
    // 10,000 rows on one host.
    measure("10,000 containers, 100 images", 1, 10_000, 100, 0, true);
    measure("5,000 containers, 100 images", 1, 5_000, 100, 0, true);
    measure("5,000 containers in 500 projects", 1, 5_000, 100, 500, true);
    measure("1,000 containers, 1,000 images", 1, 1_000, 1_000, 0, true);
    measure("300 containers, 50 images", 1, 300, 50, 0, true);
    measure(
        "10,000 containers, a key, no listing",
        1,
        10_000,
        100,
        0,
        false,
    );
    measure(
        "5,000 containers, a key, no listing",
        1,
        5_000,
        100,
        0,
        false,
    );
    // A fleet: each frame one host's resync, or only a key.
    measure("10 hosts × 300, a host's listing", 10, 300, 50, 0, true);
    measure("10 hosts × 300, a key, no listing", 10, 300, 50, 0, false);
    measure("10 hosts × 1,000, a host's listing", 10, 1_000, 50, 0, true);
    measure(
        "10 hosts × 1,000, a key, no listing",
        10,
        1_000,
        50,
        0,
        false,
    );
    swarm("Swarm: 100 services, 1,000 tasks", 100, 1_000, false);
    swarm("Swarm: a service's 1,000 tasks", 100, 1_000, true);
    event_applied("one event applied, 10,000 containers", 10_000);
    event_applied("one event applied, 1,000 containers", 1_000);
    alert_burst("1,000 exits: update each + frame", 1_000, None, false);
    alert_burst("1,000 exits: the frame after", 1_000, None, true);
    alert_burst("1,000 exits, alerts list open", 1_000, Some('!'), false);
    alert_burst("1,000 exits, list open: the frame", 1_000, Some('!'), true);
    alert_burst("5,000 exits, timeline open", 5_000, Some('~'), false);
    alert_burst("5,000 exits, timeline open: frame", 5_000, Some('~'), true);
}
