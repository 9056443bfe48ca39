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
        } => {
            let request = VolumeCreateRequest {
                name: some(name),
                driver: some(driver),
                labels: labels(pairs),
                ..Default::default()
            };
            let made = docker.create_volume(request).await?;
            Ok(format!("Created volume {} ({})", made.name, made.driver))
        }
        Op::RemoveVolume { name } => {
            docker
                .remove_volume(name, None::<RemoveVolumeOptions>)
                .await?;
            Ok(format!("Removed volume {name}"))
        }
        Op::PruneVolumes { label, all } => {
            let mut filters = label_filter(label).unwrap_or_default();
            if *all {
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
        Op::CreateNetwork {
            name,
            driver,
            subnet,
            labels: pairs,
        } => {
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
        Op::PruneNetworks { label } => {
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
