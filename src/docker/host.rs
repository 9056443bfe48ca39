//! What the views of the rest of the host read: volumes, networks, disk usage, a Swarm's
//! nodes, services and tasks. One request, one answer, tied to the view that asked by its
//! id.

use bollard::Docker;

use super::actions::OpError;
use super::disk::DiskUsage;
use super::volumes::VolumeRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostQuery {
    /// Sizes too (the daemon's disk usage: on open and refresh, never on events).
    Volumes {
        sizes: bool,
    },
    Networks,
    DiskUsage,
    /// Asked of a manager.
    Swarm(super::swarm::Tasks),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostAnswer {
    /// The disk usage, when sizes were asked for.
    Volumes(Vec<VolumeRow>, Option<DiskUsage>),
    Networks(Vec<super::networks::NetworkRow>),
    DiskUsage(DiskUsage),
    Swarm(super::swarm::SwarmListing),
}

pub async fn query(docker: &Docker, query: HostQuery) -> Result<HostAnswer, OpError> {
    Ok(match query {
        HostQuery::Volumes { sizes } => {
            let (rows, usage) = super::volumes::list(docker, sizes).await?;
            HostAnswer::Volumes(rows, usage)
        }
        HostQuery::Networks => HostAnswer::Networks(super::networks::list(docker).await?),
        HostQuery::DiskUsage => HostAnswer::DiskUsage(super::disk::disk_usage(docker).await?),
        HostQuery::Swarm(tasks) => HostAnswer::Swarm(super::swarm::list(docker, &tasks).await?),
    })
}
