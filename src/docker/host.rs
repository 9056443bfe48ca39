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
    /// Its cores and memory (`/info`).
    Info,
    /// Asked of a manager.
    Swarm(super::swarm::Tasks),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostAnswer {
    /// The disk usage, when sizes were asked for.
    Volumes(Vec<VolumeRow>, Option<DiskUsage>),
    Networks(Vec<super::networks::NetworkRow>),
    DiskUsage(DiskUsage),
    Info(HostInfo),
    /// The tasks asked for, and the listing.
    Swarm(super::swarm::Tasks, super::swarm::SwarmListing),
}

/// A host's cores and memory, as `/info` gives them (0: not said).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HostInfo {
    pub cpus: u32,
    pub memory: u64,
}

pub async fn query(docker: &Docker, query: HostQuery) -> Result<HostAnswer, OpError> {
    Ok(match query {
        HostQuery::Volumes { sizes } => {
            let (rows, usage) = super::volumes::list(docker, sizes).await?;
            HostAnswer::Volumes(rows, usage)
        }
        HostQuery::Networks => HostAnswer::Networks(super::networks::list(docker).await?),
        HostQuery::DiskUsage => HostAnswer::DiskUsage(super::disk::disk_usage(docker).await?),
        HostQuery::Info => {
            let info = docker.info().await.map_err(OpError::from)?;
            HostAnswer::Info(HostInfo {
                cpus: info.ncpu.and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
                memory: info
                    .mem_total
                    .and_then(|n| u64::try_from(n).ok())
                    .unwrap_or(0),
            })
        }
        HostQuery::Swarm(tasks) => {
            let listing = super::swarm::list(docker, &tasks).await?;
            HostAnswer::Swarm(tasks, listing)
        }
    })
}
