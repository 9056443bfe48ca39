//! Measures the top view's cost on an engine of its own (`tests/top_perf.sh` starts one,
//! runs this, and stops it): what one one-shot reading costs the daemon, then with
//! `PERF_CONTAINERS` (300) running containers and the top view open, the oldest reading's
//! age, the CPU dockerd + containerd (and the containers' shims) add, and dockpit's own CPU
//! and RSS. `PERF_IDLE_SECS` (30): each window; `PERF_TOP_BUDGET` (0.03): the view's
//! `[top] budget`; `PERF_DTOP`: dtop's binary, measured the same way after dockpit;
//! `PERF_ALERTS`: also the dashboard at rest with every alert rule on, then off.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{procfs, screen};

use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::query_parameters::StatsOptions;
use futures::StreamExt;
use futures::future::join_all;

const TEST: &str = "top-perf";

fn arg(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let count = arg("PERF_CONTAINERS", 300) as usize;
    let window = Duration::from_secs(arg("PERF_IDLE_SECS", 30));
    let docker = common::docker().await;
    common::cleanup(&docker, TEST).await;
    let made = Instant::now();
    let ids: Vec<usize> = (0..count).collect();
    for chunk in ids.chunks(20) {
        join_all(chunk.iter().map(|i| {
            let name = format!("top-perf-{i:04}");
            let docker = &docker;
            async move { common::start(docker, TEST, &name, &["sleep", "3600"]).await }
        }))
        .await;
    }
    println!(
        "== {count} running containers, made in {:.0} s ==",
        made.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (daemon, shims) = (daemon_pids(), shim_pids());

    let alone = busy(&daemon, &shims, window, || async {}).await;
    println!(
        "at rest, alone over {:.0} s: dockerd+containerd {:.2} %, shims {:.2} % of a core",
        window.as_secs_f64(),
        alone.0,
        alone.1
    );
    reading_cost(&docker, &daemon, &shims, alone).await;
    if std::env::var_os("PERF_ALERTS").is_some() {
        alerts_at_rest(&daemon, &shims, window).await;
    }

    let budget = std::env::var("PERF_TOP_BUDGET").unwrap_or_else(|_| "0.03".into());
    let config = std::env::temp_dir().join(format!("dockpit-top-perf-{}.toml", std::process::id()));
    std::fs::write(&config, format!("[top]\nbudget = {budget}\n")).expect("a config file");
    println!("[top] budget = {budget}");
    let mut app = screen::App::start(160, 45, &["--config", &config.to_string_lossy()]);
    app.wait_for("rows", Duration::from_secs(30), |s| s.contains("top-perf-"));
    app.keys("T");
    app.wait_for("the top view", Duration::from_secs(10), |s| {
        s.contains("CPU, LAST MINUTE")
    });
    // The first rounds (every row read once, then twice) before the window.
    tokio::time::sleep(Duration::from_secs(15)).await;
    let pid = app.pid();
    let (app_base, started) = (procfs::cpu_seconds(&[pid]), Instant::now());
    let (mut rss, mut oldest) = (0, 0);
    let with = busy(&daemon, &shims, window, || {
        rss = rss.max(procfs::rss_kib(pid));
        oldest = oldest.max(host_age(&app.screen()).unwrap_or(0));
        async {}
    })
    .await;
    let app_cpu = (procfs::cpu_seconds(&[pid]) - app_base) / started.elapsed().as_secs_f64();
    println!(
        "top view open over {:.0} s: dockerd+containerd {:.2} % ({:+.2}), shims {:.2} % ({:+.2})",
        window.as_secs_f64(),
        with.0,
        with.0 - alone.0,
        with.1,
        with.1 - alone.1
    );
    println!("oldest reading seen (the host row's AGE, sampled every 0.5 s): {oldest} s");
    println!(
        "dockpit: {:.2} % of a core, RSS max {:.1} MiB",
        app_cpu * 100.0,
        rss as f64 / 1024.0
    );
    // Esc closes the view; a key right after it would read as Alt-key.
    app.keys("\x1b");
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.keys("q");
    app.wait_exit(Duration::from_secs(5));
    let _ = std::fs::remove_file(&config);
    if let Ok(dtop) = std::env::var("PERF_DTOP") {
        beside(&dtop, &daemon, &shims, window, alone).await;
    }
    common::cleanup(&docker, TEST).await;
}

/// The dashboard at rest over the same containers, with every alert rule on (the default)
/// and then with each switched off: what watching for alerts adds to the daemon (the
/// events stream is read either way).
async fn alerts_at_rest(daemon: &[u32], shims: &[u32], window: Duration) {
    let off: String = (dockpit::alerts::ALL_KINDS.iter())
        .map(|kind| format!("[alerts.{kind}]\non = false\n"))
        .collect();
    for (label, text) in [("on", String::new()), ("off", off)] {
        let config = std::env::temp_dir().join(format!(
            "dockpit-alerts-perf-{label}-{}.toml",
            std::process::id()
        ));
        std::fs::write(&config, text).expect("a config file");
        let mut app = screen::App::start(160, 45, &["--config", &config.to_string_lossy()]);
        app.wait_for("rows", Duration::from_secs(30), |s| s.contains("top-perf-"));
        // Its first listings and readings before the window.
        tokio::time::sleep(Duration::from_secs(10)).await;
        let (cpu, rss) = (
            procfs::cpu_seconds(&[app.pid()]),
            procfs::rss_kib(app.pid()),
        );
        let at = Instant::now();
        let with = busy(daemon, shims, window, || async {}).await;
        let own = (procfs::cpu_seconds(&[app.pid()]) - cpu) / at.elapsed().as_secs_f64();
        println!(
            "dashboard at rest, alerts {label}, over {:.0} s: dockerd+containerd {:.2} %, shims {:.2} %; dockpit {:.2} % of a core, RSS {:.1} MiB",
            window.as_secs_f64(),
            with.0,
            with.1,
            own * 100.0,
            rss.max(procfs::rss_kib(app.pid())) as f64 / 1024.0
        );
        app.keys("q");
        app.wait_exit(Duration::from_secs(5));
        let _ = std::fs::remove_file(&config);
    }
}

/// The same window with another top-like tool showing the same containers (`PERF_DTOP`:
/// dtop's binary), in a tmux pane of the same size: what it adds to the daemon, and its own
/// CPU and RSS, measured as dockpit's are.
async fn beside(program: &str, daemon: &[u32], shims: &[u32], window: Duration, alone: (f64, f64)) {
    let host = std::env::var("DOCKER_HOST").expect("DOCKER_HOST");
    let session = format!("dpk-top-perf-{}", std::process::id());
    let started = std::process::Command::new("tmux")
        .args(["new-session", "-d", "-s", &session, "-x", "160", "-y", "45"])
        .arg(format!("{program} -H {host}"))
        .status()
        .is_ok_and(|s| s.success());
    assert!(started, "tmux could not start {program}");
    let pane_pid = std::process::Command::new("tmux")
        .args(["list-panes", "-t", &session, "-F", "#{pane_pid}"])
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse::<u32>()
                .ok()
        })
        .expect("the tool's pid");
    // Its first readings before the window, as dockpit's.
    tokio::time::sleep(Duration::from_secs(15)).await;
    let (base, at) = (procfs::cpu_seconds(&[pane_pid]), Instant::now());
    let mut rss = 0;
    let with = busy(daemon, shims, window, || {
        rss = rss.max(procfs::rss_kib(pane_pid));
        async {}
    })
    .await;
    let cpu = (procfs::cpu_seconds(&[pane_pid]) - base) / at.elapsed().as_secs_f64();
    let _ = std::process::Command::new("tmux")
        .args(["kill-session", "-t", &session])
        .status();
    println!(
        "{program} open over {:.0} s: dockerd+containerd {:.2} % ({:+.2}), shims {:.2} % ({:+.2}); itself {:.2} % of a core, RSS max {:.1} MiB",
        window.as_secs_f64(),
        with.0,
        with.0 - alone.0,
        with.1,
        with.1 - alone.1,
        cpu * 100.0,
        rss as f64 / 1024.0
    );
}

/// CPU % of a core of the daemon (dockerd + containerd) and of the shims over `window`,
/// calling `tick` every half second.
async fn busy<F: std::future::Future<Output = ()>>(
    daemon: &[u32],
    shims: &[u32],
    window: Duration,
    mut tick: impl FnMut() -> F,
) -> (f64, f64) {
    let (d0, s0, at) = (
        procfs::cpu_seconds(daemon),
        procfs::cpu_seconds(shims),
        Instant::now(),
    );
    while at.elapsed() < window {
        tick().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let secs = at.elapsed().as_secs_f64();
    (
        (procfs::cpu_seconds(daemon) - d0) / secs * 100.0,
        (procfs::cpu_seconds(shims) - s0) / secs * 100.0,
    )
}

/// One-shot readings of every container, 20 at a time as dockpit sends them, twice over:
/// the daemon's and shims' CPU per reading, beyond their rest.
async fn reading_cost(docker: &Docker, daemon: &[u32], shims: &[u32], rest: (f64, f64)) {
    let names: Vec<String> = (0..arg("PERF_CONTAINERS", 300))
        .map(|i| format!("top-perf-{i:04}"))
        .collect();
    let (d0, s0, at) = (
        procfs::cpu_seconds(daemon),
        procfs::cpu_seconds(shims),
        Instant::now(),
    );
    let mut read = 0;
    for _ in 0..2 {
        for chunk in names.chunks(20) {
            let answers = join_all(chunk.iter().map(|name| async move {
                let options = StatsOptions {
                    stream: false,
                    one_shot: true,
                };
                docker.stats(name, Some(options)).next().await
            }))
            .await;
            read += answers.iter().filter(|a| matches!(a, Some(Ok(_)))).count();
        }
    }
    let secs = at.elapsed().as_secs_f64();
    let per = |used: f64, rest: f64| (used - rest / 100.0 * secs) / read.max(1) as f64 * 1000.0;
    println!(
        "one reading: dockerd+containerd {:.2} ms, shims {:.2} ms of CPU ({read} readings in {secs:.1} s, 20 at a time)",
        per(procfs::cpu_seconds(daemon) - d0, rest.0),
        per(procfs::cpu_seconds(shims) - s0, rest.1),
    );
}

/// The AGE of the host's row ("▾ [2 CPUs …] … 7s"): its oldest reading.
fn host_age(screen: &str) -> Option<u64> {
    let line = screen.lines().find(|l| l.contains('▾'))?;
    let last = line
        .trim_end_matches(['│', ' '])
        .split_whitespace()
        .last()?;
    last.strip_suffix('s')?.parse().ok()
}

/// The engine's dockerd (its pidfile) and its containerd (started by it, or beside it).
fn daemon_pids() -> Vec<u32> {
    let dir = common::engine_dir();
    let dockerd: u32 = std::fs::read_to_string(format!("{dir}/docker.pid"))
        .ok()
        .and_then(|p| p.trim().parse().ok())
        .expect("dockerd's pidfile");
    let mut pids = vec![dockerd];
    // Engine 20.10 starts its containerd; tests/engine.sh starts 26's and 28's beside it,
    // its config under the engine's folder.
    pids.extend(processes(|pid, comm| {
        comm == "containerd"
            && (procfs::stat_fields(pid).get(1) == Some(&dockerd.to_string())
                || std::fs::read(format!("/proc/{pid}/cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&dir)))
    }));
    pids
}

/// The engine's containers' shims (their command line names its folder).
fn shim_pids() -> Vec<u32> {
    let dir = common::engine_dir();
    processes(|pid, comm| {
        comm.starts_with("containerd-shim")
            && std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&dir))
    })
}

fn processes(keep: impl Fn(u32, &str) -> bool) -> Vec<u32> {
    let entries = std::fs::read_dir("/proc").expect("/proc");
    (entries.flatten())
        .filter_map(|e| e.file_name().to_string_lossy().parse::<u32>().ok())
        .filter(|&pid| {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            keep(pid, comm.trim())
        })
        .collect()
}
