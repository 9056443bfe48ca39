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
    /// Containers with an endpoint on it (running ones), as `docker network inspect` lists
    /// them: what the CONTAINERS column counts and what keeps the network in use.
    pub containers: Vec<Target>,
    /// Stopped containers that keep their attachment (no endpoint): still disconnectable.
    pub stopped: Vec<Target>,
}

pub async fn list(docker: &Docker) -> Result<Vec<NetworkRow>, OpError> {
    let containers = ListContainersOptions {
        all: true,
        ..Default::default()
    };
    let mut attached = Attached::new();
    let containers = super::listing::each_container(docker, &containers, |c, at| {
        attach(&mut attached, &c, at);
    });
    let (networks, ()) = tokio::try_join!(
        docker.list_networks(None::<ListNetworksOptions>),
        containers
    )?;
    let mut rows: Vec<NetworkRow> = networks
        .into_iter()
        .map(|n| {
            let name = n.name.unwrap_or_default();
            let (mut containers, mut stopped) = attached.remove(&name).unwrap_or_default();
            containers.sort_by(|a, b| crate::format::natural_cmp(&a.name, &b.name));
            stopped.sort_by(|a, b| crate::format::natural_cmp(&a.name, &b.name));
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
                stopped,
                name,
            }
        })
        .collect();
    rows.sort_by(|a, b| crate::format::natural_cmp(&a.name, &b.name));
    Ok(rows)
}

/// Per network's name: the containers with an endpoint on it, and the stopped ones that
/// keep their attachment without one.
type Attached = HashMap<String, (Vec<Target>, Vec<Target>)>;

/// One listed container into each of its networks' lists (as the listing streams by).
fn attach(attached: &mut Attached, c: &super::convert::Listed, at: super::status::ListedAt) {
    let row = super::convert::container_row(c, at);
    for (name, endpoint) in &c.network_settings.networks {
        let (live, stopped) = attached.entry(name.clone()).or_default();
        // A container just stopped may still be listed with its endpoint for a moment
        // (Engine 26): one that does not run has none, whatever the listing says.
        match endpoint.endpoint_id.is_empty() || !row.state.is_running() {
            true => stopped.push(Target::from(&row)),
            false => live.push(Target::from(&row)),
        }
    }
}

#[cfg(test)]
fn attached(containers: &[super::convert::Listed], at: super::status::ListedAt) -> Attached {
    let mut attached = Attached::new();
    for c in containers {
        attach(&mut attached, c, at);
    }
    attached
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As `docker network inspect` lists them: a stopped container keeps its attachment in
    /// the listing, with no endpoint, and is not counted.
    #[test]
    fn only_containers_with_an_endpoint_count_as_attached() {
        let listed: Vec<super::super::convert::Listed> =
            serde_json::from_value(serde_json::json!([
                {"Id": "a", "Names": ["/up"], "State": "running",
                 "NetworkSettings": {"Networks": {"bridge": {"EndpointID": "e1"}}}},
                {"Id": "b", "Names": ["/down"], "State": "exited",
                 "NetworkSettings": {"Networks": {"bridge": {"EndpointID": ""}}}},
                // Just stopped, its endpoint not yet gone from the listing (Engine 26).
                {"Id": "c", "Names": ["/just-down"], "State": "exited",
                 "NetworkSettings": {"Networks": {"bridge": {"EndpointID": "e3"}}}}
            ]))
            .expect("a listing");
        let at = super::super::status::ListedAt {
            sent: 0,
            received: 0,
        };
        let (live, stopped) = &attached(&listed, at)["bridge"];
        let names = |t: &[Target]| t.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(live), ["up"]);
        assert_eq!(names(stopped), ["down", "just-down"]);
    }
}
