//! One frame of work at scale: a full snapshot through `update`, then `render` at 160×45.
//! Prints figures; `cargo bench --bench frame`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use dockpit::app::{App, Event};
use dockpit::docker::compose::Compose;
use dockpit::docker::{ContainerRow, ContainerState, DockerEvent, ImageRow};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

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
            })
            .collect(),
        containers: (0..containers)
            .map(|i| ContainerRow {
                host: Default::default(),
                id: format!("{i:064}").into(),
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
                        project,
                        service: format!("service-{i}"),
                    })
                }),
            })
            .collect(),
    }
}

fn measure(label: &str, containers: usize, images: usize, projects: usize) {
    let mut app = App::new(dockpit::app::Settings {
        endpoint: "unix:///var/run/docker.sock".into(),
        now: 1_700_000_000,
        size: (160, 45),
        ..Default::default()
    });
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
    let event = snapshot(containers, images, projects);
    let mut times = Vec::new();
    for i in 0..200 {
        let event = event.clone();
        let start = Instant::now();
        app.update(Event::Docker(event));
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
    measure("5,000 containers, 100 images", 5_000, 100, 0);
    measure("5,000 containers in 500 projects", 5_000, 100, 500);
    measure("1,000 containers, 1,000 images", 1_000, 1_000, 0);
    measure("300 containers, 50 images", 300, 50, 0);
}
