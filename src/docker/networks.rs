//! `docker network ls`, with each network's subnet and gateway and the containers attached
//! (from one listing of all containers: the list of networks leaves them out).

use std::collections::HashMap;

use bollard::Docker;
use bollard::query_parameters::{ListContainersOptions, ListNetworksOptions};

use super::Target;
use super::actions::OpError;

/// The networks every engine has; the daemon refuses to remove them.
pub const PREDEFINED: [&str; 3] = ["bridge", "host", "none"];

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkRow {
    pub id: String,
    pub name: String,
    pub driver: String,
    pub scope: String,
    /// Each IPAM config's subnet and gateway (an IPv4 and an IPv6 one, say).
    pub subnets: Vec<(String, String)>,
    /// Attached containers, running or not (a stopped one keeps its attachment).
    pub containers: Vec<Target>,
}

pub async fn list(docker: &Docker) -> Result<Vec<NetworkRow>, OpError> {
    let containers = ListContainersOptions {
        all: true,
        ..Default::default()
    };
    let mut attached: HashMap<String, Vec<Target>> = HashMap::new();
    let containers = super::listing::each_container(docker, &containers, |c, at| {
        let row = super::convert::container_row(&c, at);
        for name in c.network_settings.networks.into_keys() {
            attached.entry(name).or_default().push(Target::from(&row));
        }
    });
    let (networks, ()) = tokio::try_join!(
        docker.list_networks(None::<ListNetworksOptions>),
        containers
    )?;
    let mut rows: Vec<NetworkRow> = networks
        .into_iter()
        .map(|n| {
            let name = n.name.unwrap_or_default();
            let mut containers = attached.remove(&name).unwrap_or_default();
            containers.sort_by(|a, b| crate::format::natural_cmp(&a.name, &b.name));
            NetworkRow {
                id: n.id.unwrap_or_default(),
                driver: n.driver.unwrap_or_default(),
                scope: n.scope.unwrap_or_default(),
                subnets: n
                    .ipam
                    .and_then(|i| i.config)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| (c.subnet.unwrap_or_default(), c.gateway.unwrap_or_default()))
                    .collect(),
                containers,
                name,
            }
        })
        .collect();
    rows.sort_by(|a, b| crate::format::natural_cmp(&a.name, &b.name));
    Ok(rows)
}
