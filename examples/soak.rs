//! Churn soak: containers created and removed continuously while dockpit runs. Prints
//! dockpit's memory over time and checks, at the end, that its container pane shows exactly
//! what `docker ps -a` lists. Run through `tests/soak.sh` (default 10 minutes).

#[path = "../tests/common/mod.rs"]
mod common;

use common::{procfs, screen};

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use bollard::query_parameters::ListContainersOptions;

/// The label value of what this creates (`dockpit.test=soak`).
const TEST: &str = "soak";
/// At most this many churn containers exist at once, so every row fits on the screen.
const LIVE: usize = 12;

#[tokio::main]
async fn main() {
    let secs: u64 = std::env::var("SOAK_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let docker = common::docker().await;
    common::cleanup(&docker, TEST).await;

    let mut app = screen::App::start(160, 45, &[]);
    app.wait_for("the dashboard", Duration::from_secs(10), |s| {
        s.contains("Containers")
    });
    let pid = app.pid();
    let start = Instant::now();
    let mut created = 0u64;
    let mut live: Vec<String> = Vec::new();
    let mut samples: Vec<(u64, u64)> = Vec::new();
    let mut next_sample = Duration::ZERO;
    while start.elapsed() < Duration::from_secs(secs) {
        // Create one (running or not), and remove the oldest once LIVE exist.
        let name = format!("soak-{created:06}");
        common::create(&docker, TEST, &name, &["sleep", "600"]).await;
        if created.is_multiple_of(2) {
            docker.start_container(&name, None).await.expect("start");
        }
        created += 1;
        live.push(name);
        if live.len() > LIVE {
            let old = live.remove(0);
            common::remove(&docker, &old).await;
        }
        if start.elapsed() >= next_sample {
            samples.push((start.elapsed().as_secs(), procfs::rss_kib(pid)));
            next_sample += Duration::from_secs(10);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Let the last events land, then compare the pane with the daemon's list.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let listed: BTreeSet<String> = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            ..Default::default()
        }))
        .await
        .expect("list")
        .iter()
        .filter_map(|c| {
            c.names
                .as_ref()?
                .first()
                .map(|n| n.trim_start_matches('/').to_string())
        })
        .collect();
    let screen = app.screen();
    let shown: BTreeSet<String> = screen
        .lines()
        .skip_while(|l| !l.contains("Containers —"))
        .skip(2)
        .take_while(|l| l.starts_with('│'))
        .filter_map(|l| l.trim_start_matches('│').split_whitespace().next())
        // Blank rows show only the right border.
        .filter(|name| *name != "│")
        .map(String::from)
        .collect();

    let after_first_minute = samples
        .iter()
        .find(|(t, _)| *t >= 60)
        .map_or(samples.first().map_or(0, |s| s.1), |s| s.1);
    let max_after = samples
        .iter()
        .filter(|(t, _)| *t >= 60)
        .map(|s| s.1)
        .max()
        .unwrap_or(0);
    let last = samples.last().map_or(0, |s| s.1);
    println!("churn: {created} containers created and removed over {secs} s");
    println!(
        "RSS: {:.1} MiB after the first minute, {:.1} MiB max after it, {:.1} MiB at the end ({:+.1} %)",
        after_first_minute as f64 / 1024.0,
        max_after as f64 / 1024.0,
        last as f64 / 1024.0,
        (max_after as f64 / after_first_minute.max(1) as f64 - 1.0) * 100.0
    );
    println!("RSS samples (s, KiB): {samples:?}");
    if shown == listed {
        println!(
            "container pane == docker ps -a: yes ({} containers)",
            listed.len()
        );
    } else {
        println!("container pane == docker ps -a: NO");
        println!(
            "  only on screen: {:?}",
            shown.difference(&listed).collect::<Vec<_>>()
        );
        println!(
            "  only in the daemon: {:?}",
            listed.difference(&shown).collect::<Vec<_>>()
        );
    }
    app.keys("q");
    app.wait_exit(Duration::from_secs(5));
    common::cleanup(&docker, TEST).await;
}
