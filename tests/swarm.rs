//! A real two-node Swarm, end to end: the built binary in a pty watching the manager and the
//! worker (`tests/engine.sh up swarm`) as two hosts, every step typed as a person would.
//! Run by tests/run.sh in a stage of its own.

mod common;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::models::{NodeSpecAvailabilityEnum, TaskState};
use bollard::query_parameters::{ListServicesOptions, ListTasksOptions, UpdateNodeOptions};
use common::screen::App;
use common::swarm::{node, socket};

const TEST: &str = "swarm";

/// The services this test made, by label, removed (an earlier run's too).
async fn cleanup(manager: &Docker) {
    common::swarm::remove_services(manager, TEST).await;
    // What a stack of an earlier, failed run used.
    let label = HashMap::from([("label".to_string(), vec![common::label_filter(TEST)])]);
    let networks = bollard::query_parameters::ListNetworksOptions {
        filters: Some(label.clone()),
    };
    for n in manager
        .list_networks(Some(networks))
        .await
        .expect("networks")
    {
        if let Some(id) = n.id {
            let _ = manager.remove_network(&id).await;
        }
    }
    let secrets = bollard::query_parameters::ListSecretsOptions {
        filters: Some(label.clone()),
    };
    for s in manager.list_secrets(Some(secrets)).await.expect("secrets") {
        if let Some(id) = s.id {
            let _ = manager.delete_secret(&id).await;
        }
    }
    let configs = bollard::query_parameters::ListConfigsOptions {
        filters: Some(label),
    };
    for c in manager.list_configs(Some(configs)).await.expect("configs") {
        if let Some(id) = c.id {
            let _ = manager.delete_config(&id).await;
        }
    }
}

/// Every node active again (the test drains the worker).
async fn undrain(manager: &Docker) {
    for n in manager.list_nodes(None).await.expect("list nodes") {
        let (Some(id), Some(version), Some(mut spec)) = (n.id, n.version, n.spec) else {
            continue;
        };
        if spec.availability != Some(NodeSpecAvailabilityEnum::ACTIVE) {
            spec.availability = Some(NodeSpecAvailabilityEnum::ACTIVE);
            let options = UpdateNodeOptions {
                version: version.index.unwrap_or(0) as i64,
            };
            manager
                .update_node(&id, spec, options)
                .await
                .expect("make the node active");
        }
    }
}

/// (task id, node id) of a service's tasks running now.
async fn running_tasks(manager: &Docker, service: &str) -> Vec<(String, String)> {
    let filters = HashMap::from([
        ("service".to_string(), vec![service.to_string()]),
        ("desired-state".to_string(), vec!["running".to_string()]),
    ]);
    let tasks = manager
        .list_tasks(Some(ListTasksOptions {
            filters: Some(filters),
        }))
        .await
        .expect("list tasks");
    tasks
        .into_iter()
        .filter(|t| t.status.as_ref().and_then(|s| s.state) == Some(TaskState::RUNNING))
        .filter_map(|t| Some((t.id?, t.node_id?)))
        .collect()
}

async fn wait_until<F, Fut>(what: &str, timeout: Duration, app: &App, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        if start.elapsed() > timeout {
            panic!(
                "timed out waiting for {what}; the screen:\n{}",
                app.screen()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Moves the Swarm view's cursor to the first row containing every needle.
fn select_row(app: &mut App, needles: &[&str]) {
    let screen = app.screen();
    let rows: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.contains("Swarm on"))
        .skip(2) // the title and the header row
        .take_while(|l| l.starts_with('│'))
        .collect();
    let index = rows
        .iter()
        .position(|l| needles.iter().all(|n| l.contains(n)))
        .unwrap_or_else(|| panic!("no row with {needles:?} in the Swarm view:\n{screen}"));
    app.keys("g");
    app.keys(&"j".repeat(index));
    std::thread::sleep(Duration::from_millis(200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_made_scaled_drained_updated_and_removed_from_keys() {
    let _exclusive = common::screen::exclusive().await;
    let manager = node("manager").await;
    let worker = node("worker").await;
    cleanup(&manager).await;
    undrain(&manager).await;
    let manager_node = manager
        .info()
        .await
        .expect("info")
        .swarm
        .and_then(|s| s.node_id)
        .expect("the manager is in the Swarm");
    let worker_node = worker
        .info()
        .await
        .expect("info")
        .swarm
        .and_then(|s| s.node_id)
        .expect("the worker is in the Swarm");
    let service = format!("dps{}", std::process::id());

    let (m, w) = (
        format!("unix://{}", socket("manager")),
        format!("unix://{}", socket("worker")),
    );
    let mut app = App::start(160, 45, &["-H", &m, "-H", &w]);
    app.wait_for_text("2 hosts: 2 up");

    // The hosts view says each host's part: the worker names its manager.
    app.keys("H");
    app.wait_for_text("worker of 127.0.0.1:2377");
    app.keys("q");
    app.wait_for("the hosts view closed", Duration::from_secs(5), |s| {
        !s.contains("Docker hosts and contexts")
    });

    // The nodes: both, the manager leading.
    app.keys("W");
    app.wait_for_text("Swarm on manager: [Services]");
    app.keys("\t\t");
    app.wait_for("both nodes", Duration::from_secs(10), |s| {
        s.contains(&manager_node[..12]) && s.contains(&worker_node[..12]) && s.contains("Leader")
    });
    app.keys("\t");
    app.wait_for_text("[Services]");

    // A service from keys: the run form's fields, two replicas.
    app.keys("n");
    app.wait_for_text("Create a Swarm service");
    app.keys(common::IMAGE);
    app.keys("\t");
    app.keys(&service);
    app.keys("\t2\t");
    app.keys("sh -c \"trap 'exit 0' TERM; while true; do echo tick-$(hostname); sleep 1; done\"");
    app.keys("\t\t");
    app.keys(&common::label_filter(TEST));
    app.keys("\r");
    app.wait_for("the service converged", Duration::from_secs(30), |s| {
        s.lines().any(|l| l.contains(&service) && l.contains("2/2"))
    });

    // Scaled to 4 from keys: the form shows the count now; tasks land on both nodes.
    select_row(&mut app, &[&service]);
    app.keys("=");
    app.wait_for_text(&format!("Scale {service} (now 2)"));
    app.keys("4\r");
    wait_until(
        "4 tasks on both nodes",
        Duration::from_secs(30),
        &app,
        || {
            let manager = manager.clone();
            let service = service.clone();
            async move {
                let tasks = running_tasks(&manager, &service).await;
                let nodes: HashSet<&String> = tasks.iter().map(|(_, n)| n).collect();
                tasks.len() == 4 && nodes.len() == 2
            }
        },
    )
    .await;
    app.wait_for("4/4 on screen", Duration::from_secs(10), |s| {
        s.lines().any(|l| l.contains(&service) && l.contains("4/4"))
    });

    // The service's logs: its tasks' lines merged, from both nodes.
    app.keys("l");
    let tag = |node: &str| format!("({})", &node[..6]);
    app.wait_for(
        "lines from tasks on both nodes",
        Duration::from_secs(20),
        |s| {
            let from = |node: &str| {
                s.lines()
                    .any(|l| l.contains(&tag(node)) && l.contains("tick-"))
            };
            from(&manager_node) && from(&worker_node)
        },
    );
    app.keys("q");
    app.wait_for_text("Swarm on manager");

    // A task on the worker: its shell, in the pane, on the worker's engine.
    app.keys("\r");
    app.wait_for_text(&format!("tasks of service {service}"));
    app.wait_for("the tasks' containers", Duration::from_secs(10), |s| {
        s.lines()
            .filter(|l| l.contains("@worker") && l.contains("running"))
            .count()
            >= 1
    });
    select_row(&mut app, &["@worker", "running"]);
    app.keys("e");
    app.wait_for_text(&format!("worker/{service}."));
    app.wait_for_text("/ #");
    app.keys("echo from-the-task-$((6*7))\r");
    app.wait_for_text("from-the-task-42");
    app.leave_terminal();
    // Leaving the shell's tab returns to the tasks it was opened from; Esc goes up.
    app.wait_for_text(&format!("tasks of service {service}"));
    app.keys("\x1b");
    app.wait_for_text("Swarm on manager: [Services]");

    // The worker drained from keys, after a question naming it: its tasks move to the
    // manager.
    app.keys("\t\t");
    app.wait_for_text("[Nodes]");
    select_row(&mut app, &[&worker_node[..12]]);
    app.keys("a");
    app.wait_for_text("Availability of node");
    app.keys("jj\r");
    let short = format!("({})?", &worker_node[..6]);
    app.wait_for("the drain question", Duration::from_secs(5), |s| {
        s.lines()
            .any(|l| l.contains("Drain node ") && l.contains(&short))
    });
    app.keys("\r");
    wait_until(
        "every task on the manager",
        Duration::from_secs(40),
        &app,
        || {
            let manager = manager.clone();
            let (service, manager_node) = (service.clone(), manager_node.clone());
            async move {
                let tasks = running_tasks(&manager, &service).await;
                tasks.len() == 4 && tasks.iter().all(|(_, n)| *n == manager_node)
            }
        },
    )
    .await;
    app.wait_for(
        "the worker drained on screen",
        Duration::from_secs(10),
        |s| {
            s.lines()
                .any(|l| l.contains(&worker_node[..12]) && l.contains("drain"))
        },
    );

    // A forced rolling update replaces every task.
    let before: HashSet<String> = running_tasks(&manager, &service)
        .await
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    app.keys("\t");
    app.wait_for_text("[Services]");
    select_row(&mut app, &[&service]);
    app.keys("u");
    app.wait_for_text(&format!("Restart every task of {service} on "));
    app.keys("\r");
    wait_until("every task replaced", Duration::from_secs(60), &app, || {
        let manager = manager.clone();
        let (service, before) = (service.clone(), before.clone());
        async move {
            let tasks = running_tasks(&manager, &service).await;
            tasks.len() == 4 && tasks.iter().all(|(t, _)| !before.contains(t))
        }
    })
    .await;

    // Removed from keys, asking first (naming the manager: dockpit watches two hosts).
    app.keys("d");
    app.wait_for_text(&format!("Remove service {service} on "));
    app.keys("\r");
    wait_until("the service gone", Duration::from_secs(20), &app, || {
        let manager = manager.clone();
        let service = service.clone();
        async move {
            manager
                .inspect_service(
                    &service,
                    None::<bollard::query_parameters::InspectServiceOptions>,
                )
                .await
                .is_err()
        }
    })
    .await;
    app.wait_for("its row gone", Duration::from_secs(10), |s| {
        !s.lines()
            .any(|l| l.contains(&service) && l.contains("replicated"))
    });

    // Each step in the command log as its docker CLI line, naming the manager's host.
    app.keys("q");
    app.wait_for("the Swarm view closed", Duration::from_secs(5), |s| {
        !s.contains("Swarm on")
    });
    app.keys("L");
    for line in [
        format!("service create --name {service} --replicas 2"),
        format!("service scale {service}=4"),
        format!("node update --availability drain {worker_node}"),
        format!("service update --force {service}"),
        format!("service rm {service}"),
    ] {
        app.wait_for_text(&format!("docker -H {m} {line}"));
    }

    undrain(&manager).await;
    cleanup(&manager).await;
}

/// A service's tasks all on the worker, created through the Engine API.
async fn service_on_worker(manager: &Docker, name: &str) {
    let mut spec = common::swarm::spec(TEST, name, 1, &["sleep", "100000"]);
    if let Some(task) = spec.task_template.as_mut() {
        task.placement = Some(bollard::models::TaskSpecPlacement {
            constraints: Some(vec!["node.role==worker".into()]),
            ..Default::default()
        });
    }
    manager
        .create_service(spec, None)
        .await
        .expect("create the service");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_on_a_node_not_watched_offers_its_node_then_opens_its_shell() {
    let _exclusive = common::screen::exclusive().await;
    let manager = node("manager").await;
    node("worker").await;
    cleanup(&manager).await;
    undrain(&manager).await;
    let service = format!("dpo{}", std::process::id());
    service_on_worker(&manager, &service).await;

    // Only the manager watched.
    let m = format!("unix://{}", socket("manager"));
    let mut app = App::start(160, 45, &["-H", &m]);
    wait_until("the task running", Duration::from_secs(30), &app, || {
        let manager = manager.clone();
        let service = service.clone();
        async move { running_tasks(&manager, &service).await.len() == 1 }
    })
    .await;
    app.wait_for_text("Swarm: W");
    app.keys("W");
    app.wait_for_text("Swarm on manager: [Services]");
    app.wait_for("the service", Duration::from_secs(10), |s| {
        s.contains(&service)
    });
    select_row(&mut app, &[&service]);
    app.keys("\r");
    app.wait_for_text(&format!("tasks of service {service}"));
    app.wait_for_text("(node not watched)");
    select_row(&mut app, &["running"]);
    app.keys("e");
    // dockpit names the node and offers its endpoint, to complete.
    app.wait_for_text("whose engine dockpit does not watch");
    app.wait_for_text("Watch another Docker host");
    // No TLS configured here: the plain port, said to be plain.
    app.wait_for_text("tcp://127.0.0.1:2375");
    app.wait_for_text("plain tcp, unencrypted");
    app.keys("\x15");
    app.keys(&format!("unix://{}\r", socket("worker")));
    app.wait_for_text("2 hosts: 2 up");
    // Once the new host says which node it is, the task's container is on it.
    app.wait_for(
        "the container on the worker",
        Duration::from_secs(15),
        |s| {
            s.lines()
                .any(|l| l.contains("running") && l.contains("@worker"))
        },
    );
    app.keys("e");
    app.wait_for_text("/ #");
    app.keys("echo on-the-node-$((7*6))\r");
    app.wait_for_text("on-the-node-42");

    cleanup(&manager).await;
}

/// A labelled service (the stack's namespace when `stack`), on any node.
async fn service(manager: &Docker, name: &str, replicas: i64, stack: Option<&str>) -> String {
    let mut spec = common::swarm::spec(TEST, name, replicas, &["sleep", "100000"]);
    if let (Some(stack), Some(labels)) = (stack, spec.labels.as_mut()) {
        labels.insert("com.docker.stack.namespace".into(), stack.into());
    }
    manager
        .create_service(spec, None)
        .await
        .expect("create the service")
        .id
        .expect("its id")
}

async fn replicas(manager: &Docker, service: &str) -> Option<i64> {
    manager
        .inspect_service(
            service,
            None::<bollard::query_parameters::InspectServiceOptions>,
        )
        .await
        .expect("inspect the service")
        .spec?
        .mode?
        .replicated?
        .replicas
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_rolled_back_and_a_stack_removed_with_what_it_used_from_keys() {
    use bollard::models::{ConfigSpec, NetworkCreateRequest, SecretSpec};
    let _exclusive = common::screen::exclusive().await;
    let manager = node("manager").await;
    cleanup(&manager).await;
    let tag = std::process::id();
    // A service scaled 1 → 2 through the API: its previous spec has 1.
    let solo = format!("dpr{tag}");
    let id = service(&manager, &solo, 1, None).await;
    let version = manager
        .inspect_service(
            &id,
            None::<bollard::query_parameters::InspectServiceOptions>,
        )
        .await
        .expect("inspect")
        .version
        .and_then(|v| v.index)
        .expect("a version");
    let mut spec = manager
        .inspect_service(
            &id,
            None::<bollard::query_parameters::InspectServiceOptions>,
        )
        .await
        .expect("inspect")
        .spec
        .expect("a spec");
    spec.mode = Some(bollard::models::ServiceSpecMode {
        replicated: Some(bollard::models::ServiceSpecModeReplicated { replicas: Some(2) }),
        ..Default::default()
    });
    let options = bollard::query_parameters::UpdateServiceOptions {
        version: version as i32,
        ..Default::default()
    };
    manager
        .update_service(&id, spec, options, None)
        .await
        .expect("scale through the API");
    // A stack as `docker stack deploy` labels one: two services, a network, a secret, a config.
    let stack = format!("dps{tag}");
    let label = HashMap::from([
        ("com.docker.stack.namespace".to_string(), stack.clone()),
        common::label_pair(TEST),
    ]);
    manager
        .create_network(NetworkCreateRequest {
            name: format!("{stack}_default"),
            driver: Some("overlay".into()),
            labels: Some(label.clone()),
            ..Default::default()
        })
        .await
        .expect("the stack's network");
    manager
        .create_secret(SecretSpec {
            name: Some(format!("{stack}_token")),
            labels: Some(label.clone()),
            data: Some("c2VjcmV0".into()),
            ..Default::default()
        })
        .await
        .expect("the stack's secret");
    manager
        .create_config(ConfigSpec {
            name: Some(format!("{stack}_conf")),
            labels: Some(label.clone()),
            data: Some("Y29uZg==".into()),
            ..Default::default()
        })
        .await
        .expect("the stack's config");
    for part in ["web", "db"] {
        service(&manager, &format!("{stack}_{part}"), 1, Some(&stack)).await;
    }

    let m = format!("unix://{}", socket("manager"));
    let mut app = App::start(160, 45, &["-H", &m]);
    app.wait_for_text("Swarm: W");
    app.keys("W");
    app.wait_for_text("Swarm on manager: [Services]");
    app.wait_for("the service at 2", Duration::from_secs(20), |s| {
        s.lines().any(|l| l.contains(&solo) && l.contains("/2"))
    });
    select_row(&mut app, &[&solo]);
    app.keys("b");
    app.wait_for_text(&format!("Roll {solo} back?"));
    app.keys("\r");
    wait_until(
        "the spec rolled back to 1",
        Duration::from_secs(20),
        &app,
        || {
            let manager = manager.clone();
            let solo = solo.clone();
            async move { replicas(&manager, &solo).await == Some(1) }
        },
    )
    .await;

    app.keys("\t");
    app.wait_for_text("[Stacks]");
    select_row(&mut app, &[&stack]);
    app.keys("d");
    app.wait_for_text(&format!("Remove stack {stack}?"));
    app.keys("\r");
    // Once its tasks are gone (sleep takes its 10 s grace), what they used goes too.
    let done = format!("Removed stack {stack}");
    app.wait_for("the stack removed", Duration::from_secs(45), |s| {
        s.contains(&done)
    });
    let filters = HashMap::from([(
        "label".to_string(),
        vec![format!("com.docker.stack.namespace={stack}")],
    )]);
    let left = (
        manager
            .list_services(Some(ListServicesOptions {
                filters: Some(filters.clone()),
                ..Default::default()
            }))
            .await
            .expect("services")
            .len(),
        manager
            .list_networks(Some(bollard::query_parameters::ListNetworksOptions {
                filters: Some(filters.clone()),
            }))
            .await
            .expect("networks")
            .len(),
        manager
            .list_secrets(Some(bollard::query_parameters::ListSecretsOptions {
                filters: Some(filters.clone()),
            }))
            .await
            .expect("secrets")
            .len(),
        manager
            .list_configs(Some(bollard::query_parameters::ListConfigsOptions {
                filters: Some(filters),
            }))
            .await
            .expect("configs")
            .len(),
    );
    assert_eq!(
        left,
        (0, 0, 0, 0),
        "services, networks, secrets, configs left"
    );
    app.keys("q");
    app.wait_for("the Swarm view closed", Duration::from_secs(5), |s| {
        !s.contains("Swarm on")
    });
    app.keys("L");
    app.wait_for_text(&format!("docker service rollback {solo}"));
    app.wait_for_text(&format!("docker stack rm {stack}"));
    cleanup(&manager).await;
}
