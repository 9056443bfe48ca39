//! Volumes, networks and the build cache: create, remove, connect, disconnect, prune.

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::{
    Ipam, IpamConfig, NetworkConnectRequest, NetworkCreateRequest, NetworkDisconnectRequest,
    VolumeCreateRequest,
};
use bollard::query_parameters::{
    PruneBuildOptions, PruneNetworksOptions, PruneVolumesOptions, RemoveVolumeOptions,
};

use super::{Op, OpError, label_filter, pruned};
use crate::format::{plural, short_id};

fn labels(pairs: &[(String, String)]) -> Option<HashMap<String, String>> {
    (!pairs.is_empty()).then(|| pairs.iter().cloned().collect())
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

pub async fn execute(docker: &Docker, op: &Op) -> Result<String, OpError> {
    match op {
        Op::CreateVolume {
            name,
            driver,
            labels: pairs,
        } => create_volume(docker, name, driver, pairs).await,
        Op::RemoveVolume { name } => {
            docker
                .remove_volume(name, None::<RemoveVolumeOptions>)
                .await?;
            Ok(format!("Removed volume {name}"))
        }
        Op::PruneVolumes { label, all } => prune_volumes(docker, label, *all).await,
        Op::CreateNetwork {
            name,
            driver,
            subnet,
            labels: pairs,
        } => create_network(docker, name, driver, subnet, pairs).await,
        Op::RemoveNetwork { name } => {
            docker.remove_network(name).await?;
            Ok(format!("Removed network {name}"))
        }
        Op::ConnectNetwork { network, container } => {
            let request = NetworkConnectRequest {
                container: container.id.to_string(),
                ..Default::default()
            };
            docker.connect_network(network, request).await?;
            Ok(format!("Connected {} to {network}", container.name))
        }
        Op::DisconnectNetwork { network, container } => {
            let request = NetworkDisconnectRequest {
                container: container.id.to_string(),
                force: None,
            };
            docker.disconnect_network(network, request).await?;
            Ok(format!("Disconnected {} from {network}", container.name))
        }
        Op::PruneNetworks { label } => prune_networks(docker, label).await,
        Op::PruneBuildCache => {
            let r = docker.prune_build(None::<PruneBuildOptions>).await?;
            let n = r.caches_deleted.map_or(0, |v| v.len());
            Ok(pruned(
                n,
                ("build cache record", "build cache records"),
                r.space_reclaimed,
            ))
        }
        _ => Err(OpError::new(format!(
            "{} is not about volumes or networks",
            op.cli()
        ))),
    }
}

async fn create_volume(
    docker: &Docker,
    name: &str,
    driver: &str,
    pairs: &[(String, String)],
) -> Result<String, OpError> {
    let request = VolumeCreateRequest {
        name: some(name),
        driver: some(driver),
        labels: labels(pairs),
        ..Default::default()
    };
    let made = docker.create_volume(request).await?;
    Ok(format!("Created volume {} ({})", made.name, made.driver))
}

/// Unused volumes with the label, if any; anonymous ones only unless `all`.
async fn prune_volumes(
    docker: &Docker,
    label: &Option<String>,
    all: bool,
) -> Result<String, OpError> {
    let mut filters = label_filter(label).unwrap_or_default();
    if all {
        filters.insert("all".into(), vec!["true".into()]);
    }
    let options = PruneVolumesOptions {
        filters: Some(filters),
    };
    let r = docker.prune_volumes(Some(options)).await?;
    let n = r.volumes_deleted.map_or(0, |v| v.len());
    Ok(pruned(
        n,
        ("unused volume", "unused volumes"),
        r.space_reclaimed,
    ))
}

/// A network with the driver, subnet and labels typed (blank ones: the daemon's default).
async fn create_network(
    docker: &Docker,
    name: &str,
    driver: &str,
    subnet: &str,
    pairs: &[(String, String)],
) -> Result<String, OpError> {
    let ipam = some(subnet).map(|subnet| Ipam {
        config: Some(vec![IpamConfig {
            subnet: Some(subnet),
            ..Default::default()
        }]),
        ..Default::default()
    });
    let request = NetworkCreateRequest {
        name: name.trim().to_string(),
        driver: some(driver),
        ipam,
        labels: labels(pairs),
        ..Default::default()
    };
    let made = docker.create_network(request).await?;
    Ok(format!("Created network {name} ({})", short_id(&made.id)))
}

async fn prune_networks(docker: &Docker, label: &Option<String>) -> Result<String, OpError> {
    let options = PruneNetworksOptions {
        filters: label_filter(label),
    };
    let r = docker.prune_networks(Some(options)).await?;
    let n = r.networks_deleted.map_or(0, |v| v.len());
    Ok(format!(
        "Removed {}",
        plural(n, "unused network", "unused networks")
    ))
}
