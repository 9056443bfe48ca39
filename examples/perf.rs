//! Measures dockpit against many running containers on the test engine and prints figures.
//! Run through `tests/perf.sh`, which starts the engine and builds the release binary.
//!
//! Figures: first frame with rows, dockpit's idle CPU and RSS over 30 s, how long a
//! `docker stop` takes to reach the screen, and the daemon's extra CPU while dockpit idles.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{procfs, screen};

use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::query_parameters::StopContainerOptions;
use futures::future::join_all;

/// The label value of what this creates (`dockpit.test=perf`).
const TEST: &str = "perf";

fn arg(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let count = arg("PERF_CONTAINERS", 300) as usize;
    let idle = Duration::from_secs(arg("PERF_IDLE_SECS", 30));
    let docker = common::docker().await;
    common::cleanup(&docker, TEST).await;

    println!("creating and starting {count} containers…");
    for chunk in (0..count).collect::<Vec<_>>().chunks(20) {
        join_all(chunk.iter().map(|i| start_one(&docker, *i))).await;
    }

    let daemon = daemon_pids();
    let base = procfs::cpu_seconds(&daemon);
    tokio::time::sleep(idle).await;
    let daemon_idle = (procfs::cpu_seconds(&daemon) - base) / idle.as_secs_f64() * 100.0;

    let started = Instant::now();
    // PERF_USAGE=1 measures with the CPU/MEM columns on.
    let usage = std::env::var_os("PERF_USAGE").is_some();
    let args: Vec<&str> = if usage { vec!["--usage"] } else { vec![] };
    println!(
        "dockpit, CPU/MEM columns {}",
        if usage { "on" } else { "off (default)" }
    );
    let mut app = screen::App::start(160, 45, &args);
    let first = app.wait_for("rows", Duration::from_secs(10), |s| s.contains("perf-000"));
    println!("first frame with rows:         {:>8.1} ms", ms(first));
    let pid = app.pid();

    // Let it settle, then measure a quiet window.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (app_base, daemon_base) = (procfs::cpu_seconds(&[pid]), procfs::cpu_seconds(&daemon));
    let mut rss_max = 0;
    let window = Instant::now();
    while window.elapsed() < idle {
        rss_max = rss_max.max(procfs::rss_kib(pid));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let secs = window.elapsed().as_secs_f64();
    let app_cpu = (procfs::cpu_seconds(&[pid]) - app_base) / secs * 100.0;
    let daemon_busy = (procfs::cpu_seconds(&daemon) - daemon_base) / secs * 100.0;
    println!("dockpit idle CPU:              {app_cpu:>8.2} % of a core");
    println!(
        "dockpit RSS (max):             {:>8.1} MiB",
        rss_max as f64 / 1024.0
    );
    println!(
        "dockerd+containerd CPU:        {daemon_idle:>8.2} % alone, {daemon_busy:.2} % with dockpit ({:+.2})",
        daemon_busy - daemon_idle
    );

    // Keys: G jumps to the last container; time until its row is on screen.
    app.keys("\t");
    let mut keys = Vec::new();
    for _ in 0..5 {
        app.keys("g");
        app.wait_for("the first row", Duration::from_secs(5), |s| {
            s.contains("perf-000")
        });
        let at = Instant::now();
        app.keys("G");
        let last = format!("perf-{:03}", count - 1);
        app.wait_for("the last row", Duration::from_secs(5), |s| {
            s.contains(&last)
        });
        keys.push(ms(at.elapsed()));
    }
    keys.sort_by(f64::total_cmp);
    println!(
        "key (G) → frame with the last row: {:>5.1} ms median ({:.1}–{:.1})",
        keys[keys.len() / 2],
        keys[0],
        keys[keys.len() - 1]
    );
    app.keys("g");

    let mut delays = Vec::new();
    for i in 0..5 {
        let name = format!("perf-{i:03}");
        let options = StopContainerOptions {
            t: Some(0),
            ..Default::default()
        };
        docker
            .stop_container(&name, Some(options))
            .await
            .expect("stop");
        let at = Instant::now();
        app.wait_for("exited", Duration::from_secs(10), |s| {
            s.lines().any(|l| l.contains(&name) && l.contains("exited"))
        });
        delays.push(ms(at.elapsed()));
    }
    delays.sort_by(f64::total_cmp);
    println!(
        "docker stop → on screen:       {:>8.1} ms median ({:.1}–{:.1})",
        delays[delays.len() / 2],
        delays[0],
        delays[delays.len() - 1]
    );
    println!("total run: {:.0} s", started.elapsed().as_secs_f64());
    app.keys("q");
    app.wait_exit(Duration::from_secs(5));
    common::cleanup(&docker, TEST).await;
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn start_one(docker: &Docker, i: usize) {
    let name = format!("perf-{i:03}");
    common::create(docker, TEST, &name, &["sleep", "3600"]).await;
    docker.start_container(&name, None).await.expect("start");
}

/// dockerd (from the engine's pidfile) and its containerd: the one dockerd started (Engine
/// 20.10 here), or the engine's own (Engine 26, from its pidfile).
fn daemon_pids() -> Vec<u32> {
    let dir = common::engine_dir();
    let pid =
        |file: &str| -> Option<u32> { std::fs::read_to_string(file).ok()?.trim().parse().ok() };
    let dockerd = pid(&format!("{dir}/docker.pid")).expect("dockerd's pidfile");
    let mut pids = vec![dockerd];
    pids.extend(pid(&format!("{dir}/containerd/containerd.pid")));
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        let parent = procfs::stat_fields(pid).get(1).cloned().unwrap_or_default();
        if comm.trim() == "containerd" && parent == dockerd.to_string() {
            pids.push(pid);
        }
    }
    pids
}
