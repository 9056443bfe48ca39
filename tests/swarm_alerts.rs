//! Swarm alerts against the real two-node Swarm (`tests/engine.sh up swarm`): dockpit in a
//! pty watching the manager and the worker; a service whose rolling update fails with
//! `failure_action: pause` raises "not converging" in the strip, its failed task (on
//! whichever node it ran) "task-failed", and an update that converges clears the first.
//! And with only the manager watched, a task that fails on the worker (no event reaches
//! the manager) is found in the manager's tasks: "task-failed", cleared once it converges.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::{
    ServiceSpec, ServiceSpecUpdateConfig, ServiceSpecUpdateConfigFailureActionEnum,
};
use bollard::query_parameters::{InspectServiceOptions, UpdateServiceOptions};
use common::screen::App;
use common::swarm::{node, socket};

const TEST: &str = "swarm-alerts";

/// One replica of `args`, paused when an update's task fails within 2 s.
fn spec(name: &str, args: &[&str]) -> ServiceSpec {
    ServiceSpec {
        update_config: Some(ServiceSpecUpdateConfig {
            parallelism: Some(1),
            failure_action: Some(ServiceSpecUpdateConfigFailureActionEnum::PAUSE),
            monitor: Some(2_000_000_000),
            max_failure_ratio: Some(0.0),
            ..Default::default()
        }),
        ..common::swarm::spec(TEST, name, 1, args)
    }
}

async fn update(manager: &Docker, id: &str, spec: ServiceSpec) {
    let version = manager
        .inspect_service(id, None::<InspectServiceOptions>)
        .await
        .expect("inspect")
        .version
        .and_then(|v| v.index)
        .expect("a version");
    let options = UpdateServiceOptions {
        version: version as i32,
        ..Default::default()
    };
    manager
        .update_service(id, spec, options, None)
        .await
        .expect("update the service");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_update_is_an_alert_until_the_service_converges() {
    let _exclusive = common::screen::exclusive().await;
    let manager = node("manager").await;
    common::swarm::remove_services(&manager, TEST).await;
    let name = common::unique("dpk-conv");
    // Every rule narrowed to this service: other suites' alerts stay out of the strip.
    let dir = common::screen::fresh_state_dir();
    std::fs::create_dir_all(&dir).expect("folder");
    let config = dir.join("config.toml");
    let rules: String = dockpit::alerts::ALL_KINDS
        .iter()
        .map(|k| format!("[alerts.{k}]\nmatch = \"name:{name}\"\n"))
        .collect();
    std::fs::write(&config, format!("[alerts]\nnotify = false\n{rules}")).expect("config");
    let host = format!("unix://{}", socket("manager"));
    let worker = format!("unix://{}", socket("worker"));
    let config = config.to_str().expect("utf-8");
    let args = ["-H", &host, "-H", &worker, "--config", config];
    let mut app = App::start(250, 40, &args);
    app.wait_for_text("Swarm");
    let id = manager
        .create_service(spec(&name, &["sleep", "100000"]), None)
        .await
        .expect("create the service")
        .id
        .expect("its id");
    // Converged first (its task running), so the update is one that fails.
    let start = std::time::Instant::now();
    while !running(&manager, &id).await {
        assert!(start.elapsed() < Duration::from_secs(60), "never running");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    update(&manager, &id, spec(&name, &["sh", "-c", "exit 1"])).await;
    let said = format!("service {name} is not converging: its update is paused");
    let on_strip = |s: &str| s.lines().nth(2).is_some_and(|l| l.contains(&said));
    app.wait_for(
        "the paused update in the strip",
        Duration::from_secs(60),
        on_strip,
    );
    let failed = format!("of service {name} failed (exit 1)");
    app.wait_for("its task failed", Duration::from_secs(30), |s| {
        s.lines().nth(2).is_some_and(|l| l.contains(&failed))
    });
    // An update that converges clears it.
    update(&manager, &id, spec(&name, &["sleep", "100001"])).await;
    app.wait_for("the alert cleared", Duration::from_secs(30), |s| {
        !s.contains(&said)
    });
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::swarm::remove_services(&manager, TEST).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A config whose every rule is narrowed to `name` (other suites' alerts stay out of the
/// strip), in `dir`.
fn narrowed(dir: &std::path::Path, name: &str) -> String {
    std::fs::create_dir_all(dir).expect("folder");
    let config = dir.join("config.toml");
    let rules: String = dockpit::alerts::ALL_KINDS
        .iter()
        .map(|k| format!("[alerts.{k}]\nmatch = \"name:{name}\"\n"))
        .collect();
    std::fs::write(&config, format!("[alerts]\nnotify = false\n{rules}")).expect("config");
    config.to_str().expect("utf-8").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_failing_on_an_unwatched_worker_is_found_in_the_managers_tasks() {
    let _exclusive = common::screen::exclusive().await;
    let manager = node("manager").await;
    let test = "swarm-alerts-unwatched";
    common::swarm::remove_services(&manager, test).await;
    let name = common::unique("dpk-unw");
    let dir = common::screen::fresh_state_dir();
    let config = narrowed(&dir, &name);
    let host = format!("unix://{}", socket("manager"));
    let mut app = App::start(250, 40, &["-H", &host, "--config", &config]);
    app.wait_for_text("Swarm");
    // On the worker only, failing at once (restarted by the default policy, failing again).
    let mut failing = common::swarm::spec(test, &name, 1, &["sh", "-c", "exit 1"]);
    if let Some(template) = failing.task_template.as_mut() {
        template.placement = Some(bollard::models::TaskSpecPlacement {
            constraints: Some(vec!["node.role==worker".into()]),
            ..Default::default()
        });
    }
    let id = manager
        .create_service(failing.clone(), None)
        .await
        .expect("create the service")
        .id
        .expect("its id");
    let failed = format!("task {name}.1 of service {name} failed (exit 1)");
    app.wait_for("the worker's task failed", Duration::from_secs(60), |s| {
        s.lines().nth(2).is_some_and(|l| l.contains(&failed))
    });
    // Running at last: the service converged, the alert clears.
    let mut fixed = failing;
    if let Some(c) = (fixed.task_template.as_mut()).and_then(|t| t.container_spec.as_mut()) {
        c.args = Some(vec!["sleep".into(), "100000".into()]);
    }
    update(&manager, &id, fixed).await;
    app.wait_for("the alert cleared", Duration::from_secs(60), |s| {
        !s.contains(&failed)
    });
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::swarm::remove_services(&manager, test).await;
    let _ = std::fs::remove_dir_all(&dir);
}

async fn running(manager: &Docker, service: &str) -> bool {
    let filters = HashMap::from([
        ("service".to_string(), vec![service.to_string()]),
        ("desired-state".to_string(), vec!["running".to_string()]),
    ]);
    let options = bollard::query_parameters::ListTasksOptions {
        filters: Some(filters),
    };
    let tasks = manager.list_tasks(Some(options)).await.unwrap_or_default();
    tasks.iter().any(|t| {
        t.status.as_ref().and_then(|s| s.state) == Some(bollard::models::TaskState::RUNNING)
    })
}
