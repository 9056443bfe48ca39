//! Swarm, as a manager node tells it: nodes, services (with their stacks) and tasks
//! (`docker node ls`, `docker service ls`, `docker service ps`), and what any host says of
//! its own membership (`docker info`'s Swarm part).

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::{
    EndpointPortConfig, Node, NodeSpecAvailabilityEnum, NodeSpecRoleEnum, Reachability, Service,
    ServiceUpdateStatusStateEnum, Task,
};
use bollard::query_parameters::{ListNodesOptions, ListServicesOptions, ListTasksOptions};

use super::ContainerId;
use super::actions::OpError;

/// The label `docker stack deploy` puts on each service of a stack.
pub const STACK_LABEL: &str = "com.docker.stack.namespace";

/// A host's part in a Swarm, from its `/info`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub node_id: String,
    /// It can answer for the Swarm (nodes, services, tasks).
    pub manager: bool,
    /// The managers' addresses ("127.0.0.1:2377"), as a worker knows them.
    pub managers: Vec<String>,
}

/// `Ok(None)` when the host is in no Swarm (or only joining one). Only `/info`'s Swarm part
/// is read (see `raw`): bollard's model of the whole answer (plugins, runtimes, registry
/// settings, ~100 fields) cost its code and a heap of its own at every start and resync,
/// for four values.
pub async fn membership(docker: &Docker) -> Result<Option<Membership>, OpError> {
    let info: Info = super::raw::json(docker, "/info", MAX_INFO, "the host's /info").await?;
    Ok(info.swarm.and_then(SwarmInfo::membership))
}

/// The most of `/info` read: a few KB as engines answer it.
const MAX_INFO: usize = 1024 * 1024;

/// What dockpit reads of `/info`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Info {
    swarm: Option<SwarmInfo>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct SwarmInfo {
    #[serde(rename = "NodeID")]
    node_id: Option<String>,
    local_node_state: Option<String>,
    control_available: Option<bool>,
    remote_managers: Option<Vec<RemoteManager>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct RemoteManager {
    addr: Option<String>,
}

impl SwarmInfo {
    fn membership(self) -> Option<Membership> {
        let active = self.local_node_state.as_deref() == Some("active");
        let node_id = self.node_id.filter(|id| active && !id.is_empty())?;
        Some(Membership {
            node_id,
            manager: self.control_available.unwrap_or(false),
            managers: self
                .remote_managers
                .unwrap_or_default()
                .into_iter()
                .filter_map(|m| m.addr)
                .collect(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRow {
    pub id: String,
    pub hostname: String,
    /// "manager" or "worker".
    pub role: String,
    /// "active", "pause" or "drain".
    pub availability: String,
    /// "ready", "down", …
    pub state: String,
    /// "Leader", "Reachable", "Unreachable", or "" for a worker.
    pub manager_status: String,
    pub engine: String,
    /// "k=v, k=v".
    pub labels: String,
    /// The address the node is reached at (for "add it as a host").
    pub addr: String,
    /// Tasks meant to run there now.
    pub tasks: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Replicated(u64),
    Global,
    /// A job or a mode this version does not know, by the daemon's name.
    Other(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRow {
    pub id: String,
    pub name: String,
    pub mode: Mode,
    pub running: u64,
    pub desired: u64,
    /// Without the digest the daemon pins it to.
    pub image: String,
    /// "*:8080->80/tcp", as `docker service ls` writes them.
    pub ports: String,
    /// Unix seconds.
    pub updated: i64,
    /// The last update's state ("updating", "completed", "rollback_completed", …), if any.
    pub update_state: Option<String>,
    pub update_message: Option<String>,
    pub stack: Option<String>,
}

impl ServiceRow {
    /// Its tasks are not yet what was asked for.
    pub fn converging(&self) -> bool {
        self.running != self.desired
            || matches!(
                self.update_state.as_deref(),
                Some("updating" | "rollback_started")
            )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    pub id: String,
    pub service_id: String,
    /// "web.2" (a replica's slot), or "web" on a global service.
    pub name: String,
    pub slot: Option<i64>,
    pub node_id: String,
    pub desired: String,
    pub state: String,
    /// The daemon's message for the state ("started", "preparing").
    pub message: String,
    pub error: String,
    /// Unix seconds of the state.
    pub since: i64,
    /// The container it runs, once it has one.
    pub container: Option<ContainerId>,
}

/// Which tasks a listing reads: those meant to run now (for the node counts), or every
/// task of a service or of a node (their history too, as `docker service ps` shows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tasks {
    Running,
    Service(String),
    Node(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SwarmListing {
    pub nodes: Vec<NodeRow>,
    pub services: Vec<ServiceRow>,
    pub tasks: Vec<TaskRow>,
}

/// Nodes, services (with their running counts) and the tasks asked for, in one go.
pub async fn list(docker: &Docker, tasks: &Tasks) -> Result<SwarmListing, OpError> {
    let services = ListServicesOptions {
        status: Some(true),
        ..Default::default()
    };
    let filter = match tasks {
        Tasks::Running => ("desired-state", "running".to_string()),
        Tasks::Service(id) => ("service", id.clone()),
        Tasks::Node(id) => ("node", id.clone()),
    };
    let task_options = ListTasksOptions {
        filters: Some(HashMap::from([(filter.0.to_string(), vec![filter.1])])),
    };
    let (nodes, services, tasks) = tokio::try_join!(
        async {
            docker
                .list_nodes(None::<ListNodesOptions>)
                .await
                .map_err(OpError::from)
        },
        async {
            docker
                .list_services(Some(services))
                .await
                .map_err(OpError::from)
        },
        async {
            docker
                .list_tasks(Some(task_options))
                .await
                .map_err(OpError::from)
        },
    )?;
    Ok(listing(nodes, services, tasks))
}

/// The rows, from the daemon's answers: tasks named after their service, nodes counting
/// the tasks meant to run on them.
pub fn listing(nodes: Vec<Node>, services: Vec<Service>, tasks: Vec<Task>) -> SwarmListing {
    let services: Vec<ServiceRow> = services.into_iter().map(service_row).collect();
    let names: HashMap<&str, &str> = services
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    let mut tasks: Vec<TaskRow> = tasks.into_iter().map(|t| task_row(t, &names)).collect();
    let mut nodes: Vec<NodeRow> = nodes.into_iter().map(node_row).collect();
    for node in &mut nodes {
        node.tasks = tasks
            .iter()
            .filter(|t| t.node_id == node.id && t.desired == "running")
            .count();
    }
    let mut services = services;
    services.sort_by(|a, b| crate::format::natural_cmp(&a.name, &b.name));
    // Replicas by slot, the newest of a slot first (as `docker service ps` lists them).
    tasks.sort_by(|a, b| {
        crate::format::natural_cmp(&a.name, &b.name)
            .then(a.slot.cmp(&b.slot))
            .then(b.since.cmp(&a.since))
    });
    nodes.sort_by(|a, b| {
        (a.role != "manager", &a.hostname, &a.id).cmp(&(b.role != "manager", &b.hostname, &b.id))
    });
    SwarmListing {
        nodes,
        services,
        tasks,
    }
}

fn unix(date: Option<&String>) -> i64 {
    date.and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
        .map_or(0, |d| d.timestamp())
}

fn node_row(node: Node) -> NodeRow {
    let spec = node.spec.unwrap_or_default();
    let description = node.description.unwrap_or_default();
    let status = node.status.unwrap_or_default();
    let manager_status = match node.manager_status {
        Some(m) if m.leader == Some(true) => "Leader".to_string(),
        Some(m) => match m.reachability {
            Some(Reachability::REACHABLE) => "Reachable".into(),
            Some(Reachability::UNREACHABLE) => "Unreachable".into(),
            _ => "Unknown".into(),
        },
        None => String::new(),
    };
    let mut labels: Vec<String> = spec
        .labels
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    labels.sort();
    NodeRow {
        id: node.id.unwrap_or_default(),
        hostname: description.hostname.unwrap_or_default(),
        role: match spec.role {
            Some(NodeSpecRoleEnum::MANAGER) => "manager",
            _ => "worker",
        }
        .into(),
        availability: match spec.availability {
            Some(NodeSpecAvailabilityEnum::PAUSE) => "pause",
            Some(NodeSpecAvailabilityEnum::DRAIN) => "drain",
            _ => "active",
        }
        .into(),
        state: status.state.map_or("unknown".into(), |s| s.to_string()),
        manager_status,
        engine: description
            .engine
            .and_then(|e| e.engine_version)
            .unwrap_or_default(),
        labels: labels.join(", "),
        addr: status.addr.unwrap_or_default(),
        tasks: 0,
    }
}

fn service_row(service: Service) -> ServiceRow {
    let spec = service.spec.unwrap_or_default();
    let mode = spec.mode.unwrap_or_default();
    let mode = if let Some(r) = mode.replicated {
        Mode::Replicated(r.replicas.unwrap_or(1).max(0) as u64)
    } else if mode.global.is_some() {
        Mode::Global
    } else if mode.replicated_job.is_some() {
        Mode::Other("replicated job")
    } else {
        Mode::Other("global job")
    };
    let status = service.service_status.unwrap_or_default();
    let image = spec
        .task_template
        .and_then(|t| t.container_spec)
        .and_then(|c| c.image)
        .unwrap_or_default();
    let image = image.split('@').next().unwrap_or_default().to_string();
    let ports = service
        .endpoint
        .and_then(|e| e.ports)
        .unwrap_or_default()
        .iter()
        .map(port)
        .collect::<Vec<_>>()
        .join(", ");
    let update = service.update_status.unwrap_or_default();
    let labels = spec.labels.unwrap_or_default();
    ServiceRow {
        id: service.id.unwrap_or_default(),
        name: spec.name.unwrap_or_default(),
        running: status.running_tasks.unwrap_or(0),
        desired: status.desired_tasks.unwrap_or(match mode {
            Mode::Replicated(n) => n,
            _ => 0,
        }),
        mode,
        image,
        ports,
        updated: unix(service.updated_at.as_ref()),
        update_state: update
            .state
            .filter(|s| *s != ServiceUpdateStatusStateEnum::EMPTY)
            .map(|s| s.to_string()),
        update_message: update.message.filter(|m| !m.is_empty()),
        stack: labels.get(STACK_LABEL).cloned(),
    }
}

/// "*:8080->80/tcp".
fn port(p: &EndpointPortConfig) -> String {
    let protocol = p.protocol.map_or("tcp".into(), |p| p.to_string());
    match (p.published_port, p.target_port) {
        (Some(published), Some(target)) => format!("*:{published}->{target}/{protocol}"),
        (None, Some(target)) => format!("{target}/{protocol}"),
        _ => String::new(),
    }
}

pub(super) fn task_row(task: Task, services: &HashMap<&str, &str>) -> TaskRow {
    let status = task.status.unwrap_or_default();
    let service_id = task.service_id.unwrap_or_default();
    let service = services.get(service_id.as_str()).map_or_else(
        || crate::format::short_id(&service_id).to_string(),
        |s| s.to_string(),
    );
    TaskRow {
        id: task.id.unwrap_or_default(),
        name: match task.slot {
            Some(slot) => format!("{service}.{slot}"),
            None => service,
        },
        service_id,
        slot: task.slot,
        node_id: task.node_id.unwrap_or_default(),
        desired: task.desired_state.map_or(String::new(), |s| s.to_string()),
        state: status.state.map_or(String::new(), |s| s.to_string()),
        message: status.message.unwrap_or_default(),
        error: status.err.unwrap_or_default(),
        since: unix(status.timestamp.as_ref()),
        container: status
            .container_status
            .and_then(|c| c.container_id)
            .filter(|id| !id.is_empty())
            .map(ContainerId),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn membership_is_read_from_the_swarm_part_of_info_alone() {
        let member = |info: serde_json::Value| {
            serde_json::from_value::<Info>(info)
                .expect("an /info")
                .swarm
                .and_then(SwarmInfo::membership)
        };
        // A worker, among the fields of a real answer that are not read.
        let worker = serde_json::json!({
            "Containers": 3, "Plugins": {"Volume": ["local"]}, "Runtimes": {"runc": {}},
            "Swarm": {"NodeID": "n2", "LocalNodeState": "active", "ControlAvailable": false,
                      "RemoteManagers": [{"NodeID": "n1", "Addr": "127.0.0.1:2377"}],
                      "Cluster": null}
        });
        assert_eq!(
            member(worker),
            Some(Membership {
                node_id: "n2".into(),
                manager: false,
                managers: vec!["127.0.0.1:2377".into()],
            })
        );
        let manager = serde_json::json!({"Swarm": {"NodeID": "n1", "LocalNodeState": "active",
            "ControlAvailable": true, "RemoteManagers": null}});
        assert_eq!(member(manager).map(|m| m.manager), Some(true));
        for outside in [
            serde_json::json!({"Swarm": {"NodeID": "", "LocalNodeState": "inactive"}}),
            serde_json::json!({"Swarm": {"NodeID": "n3", "LocalNodeState": "pending"}}),
            serde_json::json!({"ID": "x"}),
        ] {
            assert_eq!(member(outside.clone()), None, "{outside}");
        }
    }

    fn task(id: &str, service: &str, slot: i64, node: &str, desired: &str) -> Task {
        serde_json::from_value(serde_json::json!({
            "ID": id, "ServiceID": service, "Slot": slot, "NodeID": node,
            "DesiredState": desired,
            "Status": {"State": desired, "Timestamp": "2026-11-29T01:00:00Z",
                       "ContainerStatus": {"ContainerID": format!("c-{id}")}}
        }))
        .expect("a task")
    }

    #[test]
    fn rows_name_tasks_after_their_service_and_count_them_per_node() {
        let nodes: Vec<Node> = serde_json::from_value(serde_json::json!([
            {"ID": "w", "Spec": {"Role": "worker", "Availability": "drain"},
             "Description": {"Hostname": "vm", "Engine": {"EngineVersion": "20.10"}},
             "Status": {"State": "ready", "Addr": "127.0.0.1"}},
            {"ID": "m", "Spec": {"Role": "manager", "Availability": "active", "Labels": {"zone": "a"}},
             "Description": {"Hostname": "vm"}, "Status": {"State": "ready"},
             "ManagerStatus": {"Leader": true, "Reachability": "reachable"}}
        ]))
        .expect("nodes");
        let services: Vec<Service> = serde_json::from_value(serde_json::json!([{
            "ID": "s1", "UpdatedAt": "2026-11-29T01:00:00.5Z",
            "Spec": {"Name": "web", "Labels": {"com.docker.stack.namespace": "shop"},
                     "Mode": {"Replicated": {"Replicas": 3}},
                     "TaskTemplate": {"ContainerSpec": {"Image": "busybox:1@sha256:abc"}}},
            "Endpoint": {"Ports": [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080}]},
            "ServiceStatus": {"RunningTasks": 2, "DesiredTasks": 3},
            "UpdateStatus": {"State": "updating"}
        }]))
        .expect("services");
        let tasks = vec![
            task("t2", "s1", 2, "w", "running"),
            task("t1", "s1", 1, "m", "running"),
            task("t0", "s1", 1, "w", "shutdown"),
        ];
        let l = listing(nodes, services, tasks);
        assert_eq!(l.nodes[0].id, "m", "managers first");
        assert_eq!(
            (
                l.nodes[0].manager_status.as_str(),
                l.nodes[0].labels.as_str()
            ),
            ("Leader", "zone=a")
        );
        assert_eq!(
            (l.nodes[1].availability.as_str(), l.nodes[1].tasks),
            ("drain", 1)
        );
        let web = &l.services[0];
        assert_eq!(
            (web.image.as_str(), web.ports.as_str(), web.stack.as_deref()),
            ("busybox:1", "*:8080->80/tcp", Some("shop"))
        );
        assert_eq!(
            (web.running, web.desired, &web.mode),
            (2, 3, &Mode::Replicated(3))
        );
        assert!(web.converging());
        let names: Vec<(&str, &str)> = l
            .tasks
            .iter()
            .map(|t| (t.name.as_str(), t.id.as_str()))
            .collect();
        assert_eq!(names, [("web.1", "t1"), ("web.1", "t0"), ("web.2", "t2")]);
        assert_eq!(
            l.tasks[0].container.as_ref().map(|c| c.as_str()),
            Some("c-t1")
        );
    }
}
