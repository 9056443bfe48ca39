//! Volumes, networks and disk usage against the real engine, through dockpit's own calls:
//! prunes (only what this test labelled), refusals in the daemon's words, sizes and users.

mod common;

use bollard::Docker;
use bollard::models::{ContainerCreateBody, HostConfig, Mount, MountType};
use dockpit::docker::actions::{self, Op, OpError};
use tokio::sync::mpsc;

async fn exec(docker: &Docker, op: Op) -> Result<String, OpError> {
    let (tx, _rx) = mpsc::unbounded_channel();
    actions::execute(docker, dockpit::docker::OpId(1), &op, &tx).await
}

fn labels(test: &str) -> Vec<(String, String)> {
    vec![common::label_pair(test)]
}

/// A labelled container that mounts `volume` at /data; returns its id.
async fn user_of(docker: &Docker, test: &str, name: &str, volume: &str) -> String {
    let mount = Mount {
        target: Some("/data".into()),
        source: Some(volume.into()),
        typ: Some(MountType::VOLUME),
        ..Default::default()
    };
    let body = ContainerCreateBody {
        image: Some(common::IMAGE.into()),
        cmd: Some(vec![
            "sh".into(),
            "-c".into(),
            "head -c 300000 /dev/zero > /data/f".into(),
        ]),
        labels: Some(labels(test).into_iter().collect()),
        host_config: Some(HostConfig {
            mounts: Some(vec![mount]),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = common::create_named(docker, name, body).await;
    docker.start_container(&id, None).await.expect("start");
    common::exit_code(docker, &id).await;
    id
}

#[tokio::test]
async fn volumes_listed_with_users_and_sizes_refused_in_use_and_pruned_by_label() {
    let test = "docker-host-volumes";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let label = common::label_filter(test);
    let all = common::api_version(&docker).await >= (1, 42);
    let prune = Op::PruneVolumes {
        label: Some(label.clone()),
        all,
    };
    let _ = exec(&docker, prune.clone()).await;
    let (used, unused) = (common::unique("vol-used"), common::unique("vol-unused"));
    for name in [&used, &unused] {
        let op = Op::CreateVolume {
            name: name.clone(),
            driver: String::new(),
            labels: labels(test),
        };
        let done = exec(&docker, op).await.expect("created");
        assert_eq!(done, format!("Created volume {name} (local)"));
    }
    let user = common::unique("vol-user");
    user_of(&docker, test, &user, &used).await;

    let (rows, usage) = dockpit::docker::volumes::list(&docker, true)
        .await
        .expect("listed");
    let row = |name: &str| {
        rows.iter()
            .find(|r| r.name == name)
            .expect("listed")
            .clone()
    };
    assert_eq!(row(&used).users, std::slice::from_ref(&user));
    assert!(row(&unused).users.is_empty());
    // The disk usage measures it: 300 kB written into it.
    let size = row(&used).size.expect("a size from the disk usage");
    assert!((300_000..400_000).contains(&size), "{size}");
    let usage = usage.expect("asked for");
    assert!(usage.volumes.total >= 2 && usage.volumes.size >= size);

    // In use: the daemon's refusal, with a hint.
    let refused = exec(&docker, Op::RemoveVolume { name: used.clone() })
        .await
        .expect_err("in use");
    assert!(
        refused.message.contains("volume is in use"),
        "{}",
        refused.message
    );
    assert!(
        refused
            .hint
            .is_some_and(|h| h.contains("remove that container first"))
    );

    // Prune takes the unused one only, and only what carries the label.
    let pruned = exec(&docker, prune.clone()).await.expect("pruned");
    assert!(
        pruned.starts_with("Removed 1 unused volume, reclaimed"),
        "{pruned}"
    );
    assert!(docker.inspect_volume(&unused).await.is_err());
    docker.inspect_volume(&used).await.expect("kept: in use");
    common::cleanup(&docker, test).await;
    exec(&docker, Op::RemoveVolume { name: used.clone() })
        .await
        .expect("removed once unused");
}

#[tokio::test]
async fn networks_created_with_a_subnet_refused_when_predefined_and_pruned_by_label() {
    let test = "docker-host-networks";
    let docker = common::docker().await;
    let label = common::label_filter(test);
    let prune = Op::PruneNetworks { label: Some(label) };
    let _ = exec(&docker, prune.clone()).await;
    let name = common::unique("net");
    let subnet = format!("10.214.{}.0/24", std::process::id() % 250);
    let op = Op::CreateNetwork {
        name: name.clone(),
        driver: String::new(),
        subnet: subnet.clone(),
        labels: labels(test),
    };
    exec(&docker, op).await.expect("created");
    let rows = dockpit::docker::networks::list(&docker)
        .await
        .expect("listed");
    let row = rows.iter().find(|r| r.name == name).expect("listed");
    assert_eq!(
        row.subnets.first().map(|s| s.0.as_str()),
        Some(subnet.as_str())
    );
    assert_eq!(row.driver, "bridge");

    let refused = exec(
        &docker,
        Op::RemoveNetwork {
            name: "bridge".into(),
        },
    )
    .await
    .expect_err("predefined");
    assert!(
        refused.hint.is_some_and(|h| h.contains("daemon's own")),
        "{refused:?}"
    );

    let pruned = exec(&docker, prune).await.expect("pruned");
    assert_eq!(pruned, "Removed 1 unused network");
    let rows = dockpit::docker::networks::list(&docker)
        .await
        .expect("listed");
    assert!(rows.iter().all(|r| r.name != name));
}

/// A network's containers are those `docker network inspect` lists: a stopped one keeps its
/// attachment in the container listing but has no endpoint, and is kept apart.
#[tokio::test]
async fn a_networks_containers_are_those_with_an_endpoint() {
    let test = "docker-host-net-endpoints";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let up = common::unique("net-up");
    let down = common::unique("net-down");
    common::start(&docker, test, &up, &["sleep", "60"]).await;
    let id = common::start(&docker, test, &down, &["sleep", "60"]).await;
    docker
        .stop_container(
            &id,
            Some(bollard::query_parameters::StopContainerOptions {
                t: Some(0),
                ..Default::default()
            }),
        )
        .await
        .expect("stop");
    let has = |list: &[dockpit::docker::Target], name: &str| list.iter().any(|t| t.name == name);
    // Engine 26 may list a container as running for a moment after its stop returned: the
    // listing is read again until it says the stop happened (the check stays the same).
    let started = std::time::Instant::now();
    let bridge = loop {
        let rows = dockpit::docker::networks::list(&docker)
            .await
            .expect("listed");
        let bridge = rows
            .into_iter()
            .find(|r| r.name == "bridge")
            .expect("bridge");
        if has(&bridge.stopped, &down) || started.elapsed() > std::time::Duration::from_secs(10) {
            break bridge;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(has(&bridge.containers, &up), "{bridge:?}");
    assert!(!has(&bridge.containers, &down), "{bridge:?}");
    assert!(has(&bridge.stopped, &down), "{bridge:?}");
    common::cleanup(&docker, test).await;
}
