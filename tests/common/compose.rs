//! Compose v2 and a project's containers, for the tests that run `docker compose`.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::query_parameters::ListContainersOptions;

/// Compose v2, as tests/run.sh fetches it. A run without it fails: it never passes quietly.
pub fn compose() -> String {
    let program = std::env::var("DOCKPIT_COMPOSE").unwrap_or_default();
    assert!(
        Path::new(&program).is_file(),
        "DOCKPIT_COMPOSE={program:?} is not Compose v2: run `tests/engine.sh up compose` (tests/run.sh does)"
    );
    program
}

/// The project's containers by service: (id, running).
pub async fn services(docker: &Docker, name: &str) -> HashMap<String, (String, bool)> {
    let filters: HashMap<String, Vec<String>> = [(
        "label".to_string(),
        vec![format!("com.docker.compose.project={name}")],
    )]
    .into();
    let listed = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(filters),
            ..Default::default()
        }))
        .await
        .expect("list the project's containers");
    listed
        .into_iter()
        .map(|c| {
            let labels = c.labels.unwrap_or_default();
            let service = labels
                .get("com.docker.compose.service")
                .cloned()
                .unwrap_or_default();
            let running = c.state.map(|s| s.to_string()) == Some("running".into());
            (service, (c.id.unwrap_or_default(), running))
        })
        .collect()
}

/// Polls the Engine API until `check` holds for the project's containers (Engine 26 may
/// list a container as running a moment after it stopped: never read once).
pub async fn wait_services(
    docker: &Docker,
    name: &str,
    what: &str,
    check: impl Fn(&HashMap<String, (String, bool)>) -> bool,
) -> HashMap<String, (String, bool)> {
    let start = Instant::now();
    loop {
        let now = services(docker, name).await;
        if check(&now) {
            return now;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{what}: the project's containers are {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
