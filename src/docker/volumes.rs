//! `docker volume ls`, with what `docker volume ls` leaves out: each volume's size (from the
//! daemon's disk usage, only when asked: it walks every volume) and the containers using it.

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::VolumeScopeEnum;
use bollard::query_parameters::{ListContainersOptions, ListVolumesOptions};

use super::actions::OpError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeRow {
    pub name: String,
    pub driver: String,
    pub scope: String,
    /// `None` until the disk usage is read, or when the daemon cannot tell.
    pub size: Option<i64>,
    /// Names of the containers that mount it, running or not.
    pub users: Vec<String>,
}

/// Names of the containers mounting each volume, from one listing of all containers.
pub async fn volume_users(docker: &Docker) -> Result<HashMap<String, Vec<String>>, OpError> {
    let options = ListContainersOptions {
        all: true,
        ..Default::default()
    };
    let mut users: HashMap<String, Vec<String>> = HashMap::new();
    super::listing::each_container(docker, &options, |c, at| {
        let row = super::convert::container_row(&c, at);
        for m in c.mounts {
            if m.typ == "volume" && !m.name.is_empty() {
                users.entry(m.name).or_default().push(row.name.clone());
            }
        }
    })
    .await?;
    for names in users.values_mut() {
        names.sort_by(|a, b| crate::format::natural_cmp(a, b));
    }
    Ok(users)
}

/// Every volume, by name; sizes (and the disk usage they come from) only when `sizes`.
pub async fn list(
    docker: &Docker,
    sizes: bool,
) -> Result<(Vec<VolumeRow>, Option<super::disk::DiskUsage>), OpError> {
    let volumes = docker.list_volumes(None::<ListVolumesOptions>);
    let (volumes, mut users) = tokio::try_join!(
        async { volumes.await.map_err(OpError::from) },
        volume_users(docker)
    )?;
    let usage = match sizes {
        true => Some(super::disk::disk_usage(docker).await?),
        false => None,
    };
    let mut rows: Vec<VolumeRow> = volumes
        .volumes
        .unwrap_or_default()
        .into_iter()
        .map(|v| VolumeRow {
            size: usage
                .as_ref()
                .and_then(|u| u.volume_sizes.get(&v.name).copied().flatten()),
            users: users.remove(&v.name).unwrap_or_default(),
            scope: match v.scope {
                Some(VolumeScopeEnum::GLOBAL) => "global",
                _ => "local",
            }
            .into(),
            driver: v.driver,
            name: v.name,
        })
        .collect();
    rows.sort_by(|a, b| crate::format::natural_cmp(&a.name, &b.name));
    Ok((rows, usage))
}
