//! `dockpit alerts --follow` against the real engine: a container that exits 3, one the OOM
//! killer ends, one whose health check fails and one in a restart loop each raise their
//! alert, read back as JSON lines; the hook hears each alert's fields; removing a container
//! clears its alerts. Only this test's containers are looked at (others share the engine).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bollard::models::{
    ContainerCreateBody, HealthConfig, HostConfig, RestartPolicy, RestartPolicyNameEnum,
};
use serde_json::Value;

/// The alerts' JSON lines, as they come.
fn follow(hook_file: &std::path::Path) -> (Child, mpsc::Receiver<Value>) {
    let hook = format!(
        "sh -c 'echo \"$DOCKPIT_ALERT $DOCKPIT_ALERT_STATE $DOCKPIT_CONTAINER $DOCKPIT_EXIT_CODE\" >> {}'",
        hook_file.display()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockpit"))
        .args(["alerts", "--follow", "--hook", &hook])
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
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(found) = seen
            .iter()
            .find(|a| a["container"] == container && a["kind"] == kind && a["state"] == state)
        {
            return found.clone();
        }
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "no {state} {kind} alert for {container}; saw {seen:#?}"
        );
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
    let (mut child, rx) = follow(&hook_file);
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

    let oom = name("oom");
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
    common::cleanup(&docker, test).await;
}
