//! `dockpit alerts --follow` against the real engine: a container that exits 3, one the OOM
//! killer ends, one whose health check fails and one in a restart loop each raise their
//! alert, read back as JSON lines; the hook hears each alert's fields; removing a container
//! clears its alerts. Only this test's containers are looked at (others share the engine).
//! And while you were away: a container that exits 3 while no follower runs is printed by
//! the next one, first, as a backlog line. Each follower gets its own state folder.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bollard::models::{
    ContainerCreateBody, HealthConfig, HostConfig, RestartPolicy, RestartPolicyNameEnum,
};
use serde_json::Value;

/// The alerts' JSON lines, as they come, from a follower whose state folder is `state`
/// (`XDG_STATE_HOME`) and which runs `hook`, if any.
fn follow(state: &Path, hook: Option<String>) -> (Child, mpsc::Receiver<Value>) {
    let mut args = vec!["alerts".to_string(), "--follow".into()];
    args.extend(hook.map(|h| ["--hook".into(), h]).into_iter().flatten());
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockpit"))
        .args(args)
        .env("XDG_STATE_HOME", state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dockpit alerts");
    let stdout = child.stdout.take().expect("its stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let value: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
            if tx.send(value).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Waits for an alert about `container` of `kind` in `state`; returns it.
fn wait_alert(
    rx: &mpsc::Receiver<Value>,
    seen: &mut Vec<Value>,
    container: &str,
    kind: &str,
    state: &str,
) -> Value {
    let found = wait_alert_within(rx, seen, Duration::from_secs(30), |a| {
        a["container"] == container && a["kind"] == kind && a["state"] == state
    });
    found.unwrap_or_else(|| panic!("no {state} {kind} alert for {container}; saw {seen:#?}"))
}

/// Waits up to `within` for an alert `wanted` takes (among those seen so far too).
fn wait_alert_within(
    rx: &mpsc::Receiver<Value>,
    seen: &mut Vec<Value>,
    within: Duration,
    wanted: impl Fn(&Value) -> bool,
) -> Option<Value> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(found) = seen.iter().find(|a| wanted(a)) {
            return Some(found.clone());
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        if let Ok(alert) = rx.recv_timeout(left) {
            seen.push(alert);
        }
    }
}

fn body(test: &str, cmd: &[&str]) -> ContainerCreateBody {
    ContainerCreateBody {
        image: Some("dockpit-test/busybox:1".into()),
        cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
        labels: Some([common::label_pair(test)].into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn exits_ooms_health_and_restart_loops_raise_their_alerts() {
    let docker = common::docker().await;
    let test = "alerts";
    common::cleanup(&docker, test).await;
    let hook_file = std::env::temp_dir().join(format!("dockpit-alerts-hook-{}", common::run()));
    let _ = std::fs::remove_file(&hook_file);
    let hook = format!(
        "sh -c 'echo \"$DOCKPIT_ALERT $DOCKPIT_ALERT_STATE $DOCKPIT_CONTAINER $DOCKPIT_EXIT_CODE\" >> {}'",
        hook_file.display()
    );
    let state = common::screen::fresh_state_dir();
    let (mut child, rx) = follow(&state, Some(hook));
    let mut seen: Vec<Value> = Vec::new();

    let name = |what: &str| format!("{}-{what}", common::unique(test));
    let exits = name("exits");
    let id = common::create_named(&docker, &exits, body(test, &["sh", "-c", "exit 3"])).await;
    // Started again until its exit is seen: the follower may not be watching yet.
    let started = Instant::now();
    while !seen.iter().any(|a| a["container"] == exits.as_str()) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no alert at all: is the follower connected?"
        );
        docker.start_container(&id, None).await.expect("start");
        if let Ok(alert) = rx.recv_timeout(Duration::from_secs(1)) {
            seen.push(alert);
        }
    }
    let alert = wait_alert(&rx, &mut seen, &exits, "exited", "raised");
    assert_eq!(alert["exit_code"], 3);
    assert!(
        alert["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(&format!("{exits} exited (3) on "))),
        "{alert}"
    );

    // The kernel's OOM kill is told to the daemon by containerd; now and then (cgroup v2,
    // under load) the daemon hears none: no `oom` event, and inspect's OOMKilled is false.
    // Then only a signal 9 can be said, and the test tries again with a new container.
    let mut oom = String::new();
    for attempt in 0..3 {
        oom = name(&format!("oom{attempt}"));
        let mut b = body(
            test,
            &[
                "busybox",
                "dd",
                "if=/dev/zero",
                "of=/dev/null",
                "bs=64M",
                "count=1",
            ],
        );
        b.host_config = Some(HostConfig {
            memory: Some(16 << 20),
            memory_swap: Some(16 << 20),
            ..Default::default()
        });
        let id = common::create_named(&docker, &oom, b).await;
        docker.start_container(&id, None).await.expect("start");
        let this = |a: &Value, kind: &str| {
            a["container"] == oom.as_str() && a["kind"] == kind && a["state"] == "raised"
        };
        let said = wait_alert_within(&rx, &mut seen, Duration::from_secs(30), |a| {
            this(a, "oom") || this(a, "signal")
        });
        let said = said.unwrap_or_else(|| panic!("no alert for {oom}; saw {seen:#?}"));
        // An `oom` after the `die` replaces the signal within 5 s.
        if said["kind"] == "oom"
            || wait_alert_within(&rx, &mut seen, Duration::from_secs(6), |a| this(a, "oom"))
                .is_some()
        {
            break;
        }
        let inspect = docker.inspect_container(&id, None).await.expect("inspect");
        let heard = inspect.state.and_then(|s| s.oom_killed);
        assert_ne!(
            heard,
            Some(true),
            "the daemon saw {oom} killed for memory, the alert said {said}"
        );
    }
    wait_alert(&rx, &mut seen, &oom, "oom", "raised");

    let sick = name("sick");
    let mut b = body(test, &["sleep", "60"]);
    b.healthcheck = Some(HealthConfig {
        test: Some(vec!["CMD".into(), "busybox".into(), "false".into()]),
        interval: Some(500_000_000),
        retries: Some(1),
        ..Default::default()
    });
    let id = common::create_named(&docker, &sick, b).await;
    docker.start_container(&id, None).await.expect("start");
    wait_alert(&rx, &mut seen, &sick, "unhealthy", "raised");

    let looping = name("loop");
    let mut b = body(test, &["sh", "-c", "exit 1"]);
    b.host_config = Some(HostConfig {
        restart_policy: Some(RestartPolicy {
            name: Some(RestartPolicyNameEnum::ALWAYS),
            ..Default::default()
        }),
        ..Default::default()
    });
    let id = common::create_named(&docker, &looping, b).await;
    docker.start_container(&id, None).await.expect("start");
    let alert = wait_alert(&rx, &mut seen, &looping, "restart-loop", "raised");
    assert!(
        alert["message"]
            .as_str()
            .is_some_and(|m| m.contains("restart loop")),
        "{alert}"
    );

    // Removed, each clears its alert.
    common::remove(&docker, &exits).await;
    wait_alert(&rx, &mut seen, &exits, "exited", "cleared");

    // Each was raised once: repeats come as "repeated", never as a second "raised".
    for (container, kind) in [
        (&exits, "exited"),
        (&oom, "oom"),
        (&sick, "unhealthy"),
        (&looping, "restart-loop"),
    ] {
        let raised = seen
            .iter()
            .filter(|a| {
                a["container"] == container.as_str() && a["kind"] == kind && a["state"] == "raised"
            })
            .count();
        assert_eq!(raised, 1, "{container} {kind}: {seen:#?}");
    }
    // The hook heard them (it runs beside the printing: give it a moment).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let heard = std::fs::read_to_string(&hook_file).unwrap_or_default();
        if heard.contains(&format!("exited raised {exits} 3"))
            && heard.contains(&format!("oom raised {oom}"))
        {
            break;
        }
        assert!(Instant::now() < deadline, "the hook heard: {heard}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_file(&hook_file);
    let _ = std::fs::remove_dir_all(&state);
    common::cleanup(&docker, test).await;
}

/// Waits for `path` to be written, and returns what it holds.
fn written(path: &Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            return text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{} never written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Ends a follower as a service manager would (SIGTERM), and waits for it.
fn stop(mut child: Child) {
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let start = Instant::now();
    while child.try_wait().ok().flatten().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the follower did not end on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn a_container_that_exits_while_no_follower_runs_is_printed_as_backlog() {
    let docker = common::docker().await;
    let test = "alerts-backlog";
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let id = common::create(&docker, test, &name, &["sh", "-c", "exit 3"]).await;
    let state = common::screen::fresh_state_dir();
    let kept = state.join("dockpit").join("last-events.json");
    // A first follower keeps the time it saw the host up to.
    let (first, _lines) = follow(&state, None);
    let before = written(&kept);
    stop(first);
    // While none runs, the container exits 3 by itself.
    docker.start_container(&id, None).await.expect("start");
    assert_eq!(common::exit_code(&docker, &id).await, Some(3));
    // The next follower prints it first, as backlog.
    let (mut next, rx) = follow(&state, None);
    let deadline = Instant::now() + Duration::from_secs(30);
    let line = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no backlog line for {name}; kept: {before}"));
        if line["container"] == name.as_str() {
            break line;
        }
    };
    assert_eq!(line["backlog"], true, "{line}");
    assert_eq!(line["kind"], "exited", "{line}");
    assert_eq!(line["state"], "raised", "{line}");
    assert_eq!(line["exit_code"], 3, "{line}");
    // It keeps the times current: up to the exit's at least (within a few seconds).
    let died = line["time"].as_str().expect("a time");
    let died = chrono::DateTime::parse_from_rfc3339(died).expect("RFC 3339");
    let kept_time = || -> Option<i64> {
        let text = std::fs::read_to_string(&kept).ok()?;
        let times: Value = serde_json::from_str(&text).ok()?;
        times.as_object()?.values().next()?["time"].as_i64()
    };
    let start = Instant::now();
    while kept_time().is_none_or(|t| t / 1_000_000_000 < died.timestamp()) {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the kept times never reached the exit: {:?}",
            std::fs::read_to_string(&kept)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = next.kill();
    let _ = next.wait();
    let _ = std::fs::remove_dir_all(&state);
    common::cleanup(&docker, test).await;
}

/// A rule that names an unknown field: `alerts --follow` says so on stderr, with the file's
/// line (no screen to show it on), and keeps following.
#[test]
fn a_bad_rule_is_said_with_its_line() {
    let state = common::screen::fresh_state_dir();
    std::fs::create_dir_all(&state).expect("folder");
    let config = state.join("config.toml");
    std::fs::write(
        &config,
        "[alerts]\n[alerts.exited]\nmatch = \"colour:red\"\n",
    )
    .expect("config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockpit"))
        .args(["alerts", "--follow", "--config"])
        .arg(&config)
        .env("XDG_STATE_HOME", &state)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dockpit alerts");
    let stderr = child.stderr.take().expect("its stderr");
    let mut first = String::new();
    let read = BufReader::new(stderr).read_line(&mut first);
    let running = child.try_wait().ok().flatten().is_none();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&state);
    read.expect("a line on stderr");
    let said = format!("{}:3: unknown field \"colour\"", config.display());
    assert!(first.contains(&said), "{first}");
    assert!(running, "it keeps following");
}
