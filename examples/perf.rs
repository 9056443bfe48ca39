//! Measures dockpit against many containers on the test engine and prints figures. Run
//! through `tests/perf.sh`, which starts the engine, builds the release binary and runs this
//! at 300, 1,000 and 5,000 containers.
//!
//! Figures: the first frame with rows and with all of them, dockpit's idle CPU and RSS, how
//! long a `docker stop` and a key take to reach the screen, and dockerd+containerd's CPU
//! over an idle window without and with dockpit (the difference is what dockpit costs).
//!
//! `PERF_CONTAINERS` (300), `PERF_RUNNING` (all up to 1,000; beyond, 5 running and the rest
//! created, as a host that keeps thousands of stopped ones), `PERF_IDLE_SECS` (60),
//! `PERF_USAGE=1` (the CPU/MEM columns on), `PERF_LAUNCHES` (1: launches timed to the first
//! frame and to the whole list, median given; the last one stays for the other figures),
//! `PERF_KEEP=1` (the containers are labelled `perf@keep`, made only where missing and left
//! in place, so a private engine measured again and again makes its 5,000 once).

#[path = "../tests/common/mod.rs"]
mod common;

use common::{procfs, screen};

use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::query_parameters::{ListContainersOptions, StopContainerOptions};
use futures::future::join_all;

/// The label value of what this creates (`dockpit.test=perf`).
const TEST: &str = "perf";
/// The label value of the containers `PERF_KEEP` leaves (no run's: no cleanup takes them).
const KEPT: &str = "perf@keep";

fn arg(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn name(i: usize) -> String {
    format!("perf-{i:05}")
}

#[tokio::main]
async fn main() {
    let count = arg("PERF_CONTAINERS", 300) as usize;
    let running = arg("PERF_RUNNING", if count > 1_000 { 5 } else { count as u64 }) as usize;
    let idle = Duration::from_secs(arg("PERF_IDLE_SECS", 60));
    let launches = arg("PERF_LAUNCHES", 1).max(1);
    let keep = std::env::var_os("PERF_KEEP").is_some();
    let docker = common::docker().await;
    let kept = match keep {
        true => kept(&docker).await,
        false => {
            common::cleanup(&docker, TEST).await;
            Default::default()
        }
    };

    println!("== {count} containers, {running} of them running ==");
    let made = Instant::now();
    let missing: Vec<usize> = (0..count).filter(|i| !kept.contains(&name(*i))).collect();
    for chunk in missing.chunks(20) {
        join_all(chunk.iter().map(|i| make(&docker, *i, *i < running, keep))).await;
    }
    println!("made in {:.0} s", made.elapsed().as_secs_f64());
    let total = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            ..Default::default()
        }))
        .await
        .expect("list")
        .len();

    let daemon = daemon_pids();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let base = procfs::cpu_seconds(&daemon);
    tokio::time::sleep(idle).await;
    let daemon_idle = (procfs::cpu_seconds(&daemon) - base) / idle.as_secs_f64() * 100.0;

    let started = Instant::now();
    let usage = std::env::var_os("PERF_USAGE").is_some();
    let args: Vec<&str> = if usage { vec!["--usage"] } else { vec![] };
    println!(
        "dockpit, CPU/MEM columns {}",
        if usage { "on" } else { "off (default)" }
    );
    let (mut firsts, mut wholes) = (Vec::new(), Vec::new());
    let mut app = launch(&args, total.min(count), &mut firsts, &mut wholes);
    for _ in 1..launches {
        app.keys("q");
        app.wait_exit(Duration::from_secs(5));
        app = launch(&args, total.min(count), &mut firsts, &mut wholes);
    }
    if launches > 1 {
        println!(
            "first frame with rows, {launches} launches: {}",
            spread(&mut firsts)
        );
        println!(
            "all {total} listed, {launches} launches:  {}",
            spread(&mut wholes)
        );
    }
    let pid = app.pid();
    // Only this run's rows, first to last by name (the containers pane has the focus at
    // start; a Tab first filtered the images pane and left the keys below no row to find).
    app.keys("/perf-\r");

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
        "dockerd+containerd CPU over {:.0} s idle: {daemon_idle:.2} % alone, {daemon_busy:.2} % with dockpit ({:+.2})",
        idle.as_secs_f64(),
        daemon_busy - daemon_idle
    );

    // Keys: G jumps to the last container; time until its row is on screen.
    let mut keys = Vec::new();
    let last = name(count - 1);
    for _ in 0..5 {
        app.keys("g");
        app.wait_for("the first row", Duration::from_secs(5), |s| {
            s.contains(&name(0))
        });
        let at = Instant::now();
        app.keys("G");
        app.wait_for("the last row", Duration::from_secs(5), |s| {
            s.contains(&last)
        });
        keys.push(ms(at.elapsed()));
    }
    println!("key (G) → frame with the last row: {}", spread(&mut keys));
    app.keys("g");

    let mut delays = Vec::new();
    for i in 0..running.min(5) {
        let name = name(i);
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
    println!("docker stop → on screen:       {}", spread(&mut delays));
    println!("total run: {:.0} s", started.elapsed().as_secs_f64());
    app.keys("q");
    app.wait_exit(Duration::from_secs(5));
    if !keep {
        common::cleanup(&docker, TEST).await;
    }
}

/// Starts dockpit and times its first frame with rows and the one that counts all `total`
/// containers (the complete list), adding both to the figures.
fn launch(
    args: &[&str],
    total: usize,
    firsts: &mut Vec<f64>,
    wholes: &mut Vec<f64>,
) -> screen::App {
    let app = screen::App::start(160, 45, args);
    let first = app.wait_for("rows", Duration::from_secs(30), |s| s.contains("perf-"));
    // The title counts every container once the full listing is in ("(1/5000)"; other
    // tests may add or remove theirs meanwhile).
    let all = app.wait_for("every row", Duration::from_secs(30), |s| {
        listed(s).is_some_and(|n| n >= total)
    });
    println!(
        "first frame with rows:         {:>8.1} ms (all {total} listed: {:.1} ms)",
        ms(first),
        ms(first + all)
    );
    firsts.push(ms(first));
    wholes.push(ms(first + all));
    app
}

/// The names of the containers an earlier `PERF_KEEP` run left.
async fn kept(docker: &Docker) -> std::collections::HashSet<String> {
    let filters = [(
        "label".to_string(),
        vec![format!("{}={KEPT}", common::LABEL)],
    )]
    .into();
    let options = ListContainersOptions {
        all: true,
        filters: Some(filters),
        ..Default::default()
    };
    let listed = docker.list_containers(Some(options)).await.expect("list");
    listed
        .into_iter()
        .flat_map(|c| c.names.unwrap_or_default())
        .map(|n| n.trim_start_matches('/').to_string())
        .collect()
}

/// How many containers the containers pane's title counts: "Containers — all (1/5000)".
fn listed(screen: &str) -> Option<usize> {
    let title = screen.split("Containers — all (").nth(1)?;
    let (_, rest) = title.split_once('/')?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// "20.1 ms median (10.2–30.5)".
fn spread(times: &mut [f64]) -> String {
    if times.is_empty() {
        return "-".into();
    }
    times.sort_by(f64::total_cmp);
    format!(
        "{:>5.1} ms median ({:.1}–{:.1})",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn make(docker: &Docker, i: usize, start: bool, keep: bool) {
    let name = name(i);
    if keep {
        let body = bollard::models::ContainerCreateBody {
            image: Some(common::IMAGE.into()),
            cmd: Some(vec!["sleep".into(), "3600".into()]),
            labels: Some([(common::LABEL.to_string(), KEPT.to_string())].into()),
            ..Default::default()
        };
        common::create_named(docker, &name, body).await;
    } else {
        common::create(docker, TEST, &name, &["sleep", "3600"]).await;
    }
    if start {
        docker.start_container(&name, None).await.expect("start");
    }
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
