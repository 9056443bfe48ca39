//! The real two-node Swarm of `tests/engine.sh up swarm`, for the tests/swarm*.rs suites:
//! its nodes, and the labelled services they make and remove.

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::{
    ServiceSpec, ServiceSpecMode, ServiceSpecModeReplicated, TaskSpec, TaskSpecContainerSpec,
};
use bollard::query_parameters::ListServicesOptions;

/// The socket of the Swarm's `node` ("manager" or "worker").
pub fn socket(node: &str) -> String {
    let dir = std::env::var("DOCKPIT_ENGINE_SWARM_DIR")
        .unwrap_or_else(|_| "/tmp/dockpit-engine-swarm".into());
    format!("{dir}/{node}/docker.sock")
}

/// A Swarm node's engine; a test that cannot reach it fails.
pub async fn node(name: &str) -> Docker {
    let socket = socket(name);
    let docker = Docker::connect_with_unix(&socket, 30, bollard::API_DEFAULT_VERSION)
        .unwrap_or_else(|e| panic!("cannot connect to the swarm {name} at {socket}: {e}"));
    docker.ping().await.unwrap_or_else(|e| {
        panic!("the swarm {name} at {socket} does not answer ({e}): start it with tests/engine.sh up swarm")
    });
    docker
}

/// The services `test` made, by label, removed (an earlier run's too).
pub async fn remove_services(manager: &Docker, test: &str) {
    let filters = HashMap::from([("label".to_string(), vec![super::label_filter(test)])]);
    let services = manager
        .list_services(Some(ListServicesOptions {
            filters: Some(filters),
            ..Default::default()
        }))
        .await
        .expect("list services");
    for s in services {
        if let Some(id) = s.id {
            let _ = manager.delete_service(&id).await;
        }
    }
}

/// `replicas` of the seed image running `args`, labelled as `test`'s, on any node.
pub fn spec(test: &str, name: &str, replicas: i64, args: &[&str]) -> ServiceSpec {
    ServiceSpec {
        name: Some(name.into()),
        labels: Some(HashMap::from([super::label_pair(test)])),
        mode: Some(ServiceSpecMode {
            replicated: Some(ServiceSpecModeReplicated {
                replicas: Some(replicas),
            }),
            ..Default::default()
        }),
        task_template: Some(TaskSpec {
            container_spec: Some(TaskSpecContainerSpec {
                image: Some(super::IMAGE.into()),
                args: Some(args.iter().map(|a| a.to_string()).collect()),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}
