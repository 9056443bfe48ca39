//! End to end, the top view (`T`) and `dockpit top --once --json` against the real daemon:
//! a container burning CPU sorts first among this test's containers within two rounds of
//! readings, one holding 50 MB shows it, and `Enter` opens the busy one's stats. Only this
//! run's labelled containers are looked at (a filter typed in the view keeps them alone).

mod common;

use std::time::{Duration, Instant};

use bollard::Docker;
use common::screen::App;

/// Two rounds of readings of every running container on a shared engine, with room for a
/// loaded machine (Engine 20.10 answers each batch at its 1 s stats collector's tick).
const ROUNDS: Duration = Duration::from_secs(20);

/// This run's three containers: busy (`while :; do :; done`), 50 MB held in a tmpfs, idle.
struct Three {
    prefix: String,
    busy: String,
    mem: String,
    idle: String,
}

async fn three(docker: &Docker, test: &str) -> Three {
    common::cleanup(docker, test).await;
    // A prefix no other container's cells hold, for the view's filter.
    let prefix = format!("{test}-x{}-", std::process::id());
    let name = |what: &str| format!("dockpit-{prefix}{what}");
    let (busy, mem, idle) = (name("busy"), name("mem"), name("idle"));
    common::start(docker, test, &busy, &["sh", "-c", "while :; do :; done"]).await;
    let fill = "head -c 52428800 /dev/zero > /dev/shm/fill && exec sleep 3600";
    common::start(docker, test, &mem, &["sh", "-c", fill]).await;
    common::start(docker, test, &idle, &["sleep", "3600"]).await;
    Three {
        prefix,
        busy,
        mem,
        idle,
    }
}

/// "52.4MB" → bytes (decimal units, as the view prints them).
fn bytes(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let scale = match unit {
        "B" => 1.0,
        "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        _ => return None,
    };
    Some(number.parse::<f64>().ok()? * scale)
}

/// The screen line of the row named `name`, and its cells split on runs of spaces (NAME,
/// CPU %, HOST %, MEM, …).
fn cells(screen: &str, name: &str) -> Option<Vec<String>> {
    let line = screen.lines().find(|l| l.contains(name))?;
    let inner = line.trim_matches(|c| c == '│' || c == ' ');
    Some(inner.split_whitespace().map(str::to_string).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_container_sorts_first_and_fifty_megabytes_show() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-top-view";
    let docker = common::docker().await;
    let ours = three(&docker, test).await;

    let mut app = App::start(200, 50, &[]);
    app.wait_for_text(&ours.busy);
    app.keys("T");
    app.wait_for_text("CPU, LAST MINUTE");
    // Only this run's rows: their names' prefix as the filter.
    app.keys(&format!("/{}\r", ours.prefix));
    let started = Instant::now();
    let elapsed = app.wait_for("the busy one first, with a CPU %", ROUNDS, |s| {
        let names: Vec<&str> = (s.lines())
            .filter(|l| l.contains(&ours.prefix) && !l.contains(" Top "))
            .collect();
        let first_is_busy = names.first().is_some_and(|l| l.contains(&ours.busy));
        let busy_cpu = cells(s, &ours.busy).and_then(|c| {
            c.get(1)
                .and_then(|p| p.trim_end_matches('%').parse::<f64>().ok())
        });
        names.len() == 3 && first_is_busy && busy_cpu.is_some_and(|p| p > 5.0)
    });
    eprintln!("the busy container sorted first {elapsed:?} after the filter");
    // The one holding 50 MB shows at least that much.
    app.wait_for("50 MB in use", ROUNDS, |s| {
        let mem = cells(s, &ours.mem).and_then(|c| c.get(3).and_then(|m| bytes(m)));
        mem.is_some_and(|m| m >= 50e6)
    });
    let idle = cells(&app.screen(), &ours.idle).unwrap_or_default();
    assert!(
        idle.get(1).is_some_and(|p| p == "…" || p.starts_with("0.")),
        "idle: {idle:?}"
    );
    // Enter opens the busy one's stats: filtered to it alone, as the order of three
    // containers' readings on a loaded machine may change between a look and a key.
    app.keys(&format!("/{}\r", ours.busy));
    app.wait_for("the busy one alone", ROUNDS, |s| {
        s.contains(&ours.busy) && !s.contains(&ours.idle) && !s.contains(&ours.mem)
    });
    app.keys("g\r");
    app.wait_for("the busy one's stats", ROUNDS, |s| {
        s.contains("Stats") && s.contains(&ours.busy)
    });
    eprintln!("done in {:?}", started.elapsed());
    app.keys("\x1b");
    app.wait_for_text("CPU, LAST MINUTE");
    common::cleanup(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn top_once_json_lists_every_running_container_busiest_first() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-top-once";
    let docker = common::docker().await;
    let ours = three(&docker, test).await;
    // The busy one has burnt a while before the two readings.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let bin = env!("CARGO_BIN_EXE_dockpit");
    let out = std::process::Command::new(bin)
        .args(["top", "--once", "--json"])
        .env("XDG_CONFIG_HOME", "/nonexistent/dockpit-test-config")
        .output()
        .expect("run dockpit top --once --json");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let host = &json["hosts"][0];
    assert!(host["cpus"].as_u64().is_some_and(|n| n > 0), "{host}");
    assert!(
        host["memory_bytes"].as_u64().is_some_and(|n| n > 0),
        "{host}"
    );
    let containers = host["containers"].as_array().cloned().unwrap_or_default();
    let mine: Vec<&serde_json::Value> = (containers.iter())
        .filter(|c| c["name"].as_str().is_some_and(|n| n.contains(&ours.prefix)))
        .collect();
    let names: Vec<&str> = mine.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[0], ours.busy, "busiest first: {names:?}");
    let cpu = |c: &serde_json::Value| c["cpu_percent"].as_f64().unwrap_or(-1.0);
    assert!(cpu(mine[0]) > 5.0, "{}", mine[0]);
    // Sorted by CPU, busiest first, over every host's containers listed.
    let all: Vec<f64> = containers.iter().map(cpu).collect();
    assert!(all.windows(2).all(|w| w[0] >= w[1]), "{all:?}");
    let mem = mine.iter().find(|c| c["name"] == ours.mem.as_str());
    let held = mem.and_then(|c| c["memory_bytes"].as_f64()).unwrap_or(0.0);
    assert!(held >= 50e6, "{mem:?}");
    assert!(
        mine.iter()
            .all(|c| c["pids"].as_u64().is_some_and(|p| p >= 1))
    );
    assert!(names.contains(&ours.idle.as_str()));
    common::cleanup(&docker, test).await;
}

/// Network bytes into one of this test's containers show as a rate: the test sends zeros to
/// its port published on 127.0.0.1 (the docker proxy carries them over the bridge; two
/// containers on the engines' own bridges may not reach each other here: the host's
/// firewall drops what is forwarded between them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_bytes_into_a_container_show_as_a_rate() {
    use bollard::models::{ContainerCreateBody, HostConfig, PortBinding};
    use std::io::Write;
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-top-net";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let sink = format!("dockpit-{test}-x{}-sink", std::process::id());
    let listen = "while :; do nc -l -p 5000 > /dev/null; done";
    let binding = PortBinding {
        host_ip: Some("127.0.0.1".into()),
        host_port: Some(String::new()),
    };
    let body = ContainerCreateBody {
        image: Some(common::IMAGE.into()),
        cmd: Some(vec!["sh".into(), "-c".into(), listen.into()]),
        labels: Some([common::label_pair(test)].into()),
        exposed_ports: Some(vec!["5000/tcp".into()]),
        host_config: Some(HostConfig {
            port_bindings: Some([("5000/tcp".to_string(), Some(vec![binding]))].into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = common::create_named(&docker, &sink, body).await;
    docker.start_container(&id, None).await.expect("start");
    let inspect = docker.inspect_container(&id, None).await.expect("inspect");
    let port = (inspect.network_settings.and_then(|n| n.ports))
        .and_then(|p| p.get("5000/tcp").cloned().flatten())
        .and_then(|b| b.into_iter().find_map(|b| b.host_port))
        .expect("the published port");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sending = stop.clone();
    let sender = std::thread::spawn(move || {
        let zeros = vec![0u8; 64 * 1024];
        while !sending.load(std::sync::atomic::Ordering::Relaxed) {
            if let Ok(mut s) = std::net::TcpStream::connect(format!("127.0.0.1:{port}")) {
                while !sending.load(std::sync::atomic::Ordering::Relaxed)
                    && s.write_all(&zeros).is_ok()
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let rate = |c: &serde_json::Value| c["net_rx_bytes_per_second"].as_f64().unwrap_or(0.0);
    // The first connection may take a moment: a few tries.
    let mut seen = serde_json::Value::Null;
    for _ in 0..5 {
        seen = once_rates(&sink, &sink).0;
        if rate(&seen) > 100e3 {
            break;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = sender.join();
    assert!(rate(&seen) > 100e3, "{seen}");
    common::cleanup(&docker, test).await;
}

/// `dockpit top --once --json`'s entries for two containers.
fn once_rates(a: &str, b: &str) -> (serde_json::Value, serde_json::Value) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dockpit"))
        .args(["top", "--once", "--json"])
        .env("XDG_CONFIG_HOME", "/nonexistent/dockpit-test-config")
        .output()
        .expect("run dockpit top --once --json");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let containers = json["hosts"][0]["containers"].as_array().cloned();
    let find = |name: &str| {
        (containers.iter().flatten())
            .find(|c| c["name"] == name)
            .cloned()
            .unwrap_or_default()
    };
    (find(a), find(b))
}

/// Issue 31: the containers pane's CPU % column sorts like any other (`--usage`, `>` up to
/// it): busiest first, and `<` the other way round puts the busy one last (by name it is
/// first of this run's three, so only readings put it there).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_containers_panes_cpu_column_sorts_by_the_readings() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-pane-cpu";
    let docker = common::docker().await;
    let ours = three(&docker, test).await;
    let mut app = App::start(200, 50, &["--usage", "--interval", "60"]);
    app.wait_for_text(&ours.busy);
    app.keys(&format!("/{}\r", ours.prefix));
    // Name → image → state → created → CPU %.
    app.keys(">>>>");
    app.wait_for_text("CPU % ▼");
    let rows = |s: &str| -> Vec<String> {
        (s.lines())
            .filter(|l| l.contains(&ours.prefix) && !l.contains("Containers —"))
            .map(str::to_string)
            .collect()
    };
    app.wait_for("the busy one first", ROUNDS, |s| {
        let rows = rows(s);
        rows.len() == 3 && rows[0].contains(&ours.busy)
    });
    app.keys("<");
    app.wait_for_text("CPU % ▲");
    app.wait_for("the busy one last, the others read", ROUNDS, |s| {
        let rows = rows(s);
        rows.len() == 3 && rows[2].contains(&ours.busy)
    });
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}
