//! Swarm's actions, asked of a manager: scale, force an update, roll back, remove a service
//! or a stack, create a service, change a node's availability or role. Each is its
//! `docker service …` / `docker node …` line in the command log.

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::{
    EndpointPortConfig, EndpointPortConfigProtocolEnum, EndpointSpec, NodeSpecAvailabilityEnum,
    NodeSpecRoleEnum, ServiceSpec, ServiceSpecMode, ServiceSpecModeReplicated, TaskSpec,
    TaskSpecContainerSpec, TaskSpecPlacement,
};
use bollard::query_parameters::{
    InspectServiceOptions, ListNetworksOptions, ListServicesOptions, UpdateNodeOptions,
    UpdateServiceOptions,
};

use super::OpError;
use crate::docker::swarm::STACK_LABEL;
use crate::run_spec::{RunSpec, shell_quote};

/// A service or node: the id to call with, the name to speak of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Active,
    Pause,
    Drain,
}

impl Availability {
    pub const ALL: [Availability; 3] = [Self::Active, Self::Pause, Self::Drain];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Pause => "pause",
            Self::Drain => "drain",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwarmOp {
    Scale {
        service: Named,
        replicas: u64,
    },
    /// Replace every task, even with nothing changed (`--force`).
    ForceUpdate(Named),
    Rollback(Named),
    RemoveService(Named),
    /// Every service of the stack, then its networks.
    RemoveStack {
        stack: String,
        services: Vec<Named>,
    },
    /// The run form's fields; `replicas` `None` is a global service.
    CreateService {
        spec: Box<RunSpec>,
        replicas: Option<u64>,
        constraints: Vec<String>,
    },
    /// `node.name` is how the docker CLI names it; `label` how messages do:
    /// `hostname (shortid)`, as two nodes may share a hostname.
    NodeAvailability {
        node: Named,
        label: String,
        availability: Availability,
    },
    /// Promote to manager (`true`) or demote to worker.
    NodeRole {
        node: Named,
        label: String,
        manager: bool,
    },
}

impl SwarmOp {
    /// The docker CLI command that does the same: shown in the command log.
    pub fn cli(&self) -> String {
        self.line(false)
    }

    /// [`SwarmOp::cli`] for the log file: `--env KEY=…`, the values left out.
    pub fn log_line(&self) -> String {
        self.line(true)
    }

    fn line(&self, redact: bool) -> String {
        let q = |s: &str| shell_quote(s);
        match self {
            SwarmOp::Scale { service, replicas } => {
                format!("docker service scale {}={replicas}", q(&service.name))
            }
            SwarmOp::ForceUpdate(s) => format!("docker service update --force {}", q(&s.name)),
            SwarmOp::Rollback(s) => format!("docker service rollback {}", q(&s.name)),
            SwarmOp::RemoveService(s) => format!("docker service rm {}", q(&s.name)),
            SwarmOp::RemoveStack { stack, .. } => format!("docker stack rm {}", q(stack)),
            SwarmOp::CreateService {
                spec,
                replicas,
                constraints,
            } => {
                let mut line = String::from("docker service create ");
                if let Some(name) = &spec.name {
                    line.push_str(&format!("--name {} ", q(name)));
                }
                match replicas {
                    Some(n) => line.push_str(&format!("--replicas {n} ")),
                    None => line.push_str("--mode global "),
                }
                for e in &spec.env {
                    let e = if redact {
                        crate::run_spec::redacted_env(e)
                    } else {
                        e.clone()
                    };
                    line.push_str(&format!("--env {} ", q(&e)));
                }
                for (k, v) in &spec.labels {
                    line.push_str(&format!("--label {} ", q(&format!("{k}={v}"))));
                }
                for p in &spec.ports {
                    let published = p.host_port.map_or(String::new(), |h| format!("{h}:"));
                    line.push_str(&format!(
                        "--publish {published}{}/{} ",
                        p.container_port, p.protocol
                    ));
                }
                for c in constraints {
                    line.push_str(&format!("--constraint {} ", q(c)));
                }
                line.push_str(&q(&spec.image.to_string()));
                for word in &spec.command {
                    line.push(' ');
                    line.push_str(&q(word));
                }
                line
            }
            SwarmOp::NodeAvailability {
                node, availability, ..
            } => format!(
                "docker node update --availability {} {}",
                availability.as_str(),
                q(&node.name)
            ),
            SwarmOp::NodeRole { node, manager, .. } => format!(
                "docker node {} {}",
                if *manager { "promote" } else { "demote" },
                q(&node.name)
            ),
        }
    }

    pub fn verbs(&self) -> (&'static str, &'static str) {
        match self {
            SwarmOp::Scale { .. } => ("Scale", "Scaled"),
            SwarmOp::ForceUpdate(_) => ("Update", "Updated"),
            SwarmOp::Rollback(_) => ("Roll back", "Rolled back"),
            SwarmOp::RemoveService(_) | SwarmOp::RemoveStack { .. } => ("Remove", "Removed"),
            SwarmOp::CreateService { .. } => ("Create", "Created"),
            SwarmOp::NodeAvailability { .. } => ("Update", "Updated"),
            SwarmOp::NodeRole { manager: true, .. } => ("Promote", "Promoted"),
            SwarmOp::NodeRole { .. } => ("Demote", "Demoted"),
        }
    }

    pub fn verb_ing(&self) -> &'static str {
        match self {
            SwarmOp::Scale { .. } => "scaling…",
            SwarmOp::ForceUpdate(_) | SwarmOp::NodeAvailability { .. } => "updating…",
            SwarmOp::Rollback(_) => "rolling back…",
            SwarmOp::RemoveService(_) | SwarmOp::RemoveStack { .. } => "removing…",
            SwarmOp::CreateService { .. } => "creating…",
            SwarmOp::NodeRole { manager: true, .. } => "promoting…",
            SwarmOp::NodeRole { .. } => "demoting…",
        }
    }
}

pub async fn execute(docker: &Docker, op: &SwarmOp) -> Result<String, OpError> {
    match op {
        SwarmOp::Scale { service, replicas } => scale(docker, service, *replicas).await,
        SwarmOp::ForceUpdate(service) => {
            update(docker, &service.id, None, |spec| {
                let template = spec.task_template.get_or_insert_with(Default::default);
                template.force_update = Some(template.force_update.unwrap_or(0) + 1);
                Ok(())
            })
            .await?;
            // The daemon only accepted it: the tasks are replaced afterwards, one by one.
            Ok(format!("Rolling update of {} started", service.name))
        }
        SwarmOp::Rollback(service) => {
            update(docker, &service.id, Some("previous"), |_| Ok(())).await?;
            Ok(format!("Rollback of {} started", service.name))
        }
        SwarmOp::RemoveService(service) => {
            docker.delete_service(&service.id).await?;
            Ok(format!("Removed service {}", service.name))
        }
        SwarmOp::RemoveStack { stack, .. } => remove_stack(docker, stack).await,
        SwarmOp::CreateService {
            spec,
            replicas,
            constraints,
        } => create_service(docker, spec, *replicas, constraints).await,
        SwarmOp::NodeAvailability {
            node,
            label,
            availability,
        } => set_availability(docker, node, label, *availability).await,
        SwarmOp::NodeRole {
            node,
            label,
            manager,
        } => set_role(docker, node, label, *manager).await,
    }
}

/// A replicated service's count of tasks; a global one has none to set.
async fn scale(docker: &Docker, service: &Named, replicas: u64) -> Result<String, OpError> {
    update(docker, &service.id, None, |spec| {
        let mode = spec.mode.get_or_insert_with(Default::default);
        if mode.replicated.is_none() {
            return Err(OpError::with_hint(
                format!("{} is not a replicated service", service.name),
                "a global service runs one task on each node; it has no count to scale",
            ));
        }
        mode.replicated = Some(ServiceSpecModeReplicated {
            replicas: Some(i64::try_from(replicas).unwrap_or(i64::MAX)),
        });
        Ok(())
    })
    .await?;
    Ok(format!("Scaled {} to {replicas}", service.name))
}

async fn create_service(
    docker: &Docker,
    spec: &RunSpec,
    replicas: Option<u64>,
    constraints: &[String],
) -> Result<String, OpError> {
    let made = docker
        .create_service(service_spec(spec, replicas, constraints)?, None)
        .await?;
    let id = made.id.unwrap_or_default();
    let name = spec
        .name
        .clone()
        .unwrap_or_else(|| crate::format::short_id(&id).to_string());
    Ok(format!("Created service {name}"))
}

async fn set_availability(
    docker: &Docker,
    node: &Named,
    label: &str,
    availability: Availability,
) -> Result<String, OpError> {
    update_node(docker, &node.id, |spec| {
        spec.availability = Some(match availability {
            Availability::Active => NodeSpecAvailabilityEnum::ACTIVE,
            Availability::Pause => NodeSpecAvailabilityEnum::PAUSE,
            Availability::Drain => NodeSpecAvailabilityEnum::DRAIN,
        });
    })
    .await?;
    Ok(format!(
        "Node {label}: availability {}",
        availability.as_str()
    ))
}

/// Promote to manager (`true`) or demote to worker.
async fn set_role(
    docker: &Docker,
    node: &Named,
    label: &str,
    manager: bool,
) -> Result<String, OpError> {
    update_node(docker, &node.id, |spec| {
        spec.role = Some(match manager {
            true => NodeSpecRoleEnum::MANAGER,
            false => NodeSpecRoleEnum::WORKER,
        });
    })
    .await?;
    Ok(format!(
        "Node {label} is now a {}",
        if manager { "manager" } else { "worker" }
    ))
}

/// How often an update read at one version is tried again when the object changed
/// meanwhile (a rolling update moves a service's version on by itself).
const ATTEMPTS: usize = 3;

fn out_of_sequence(e: &bollard::errors::Error) -> bool {
    e.to_string().contains("update out of sequence")
}

/// A node's current spec, changed by `change`, sent back at the version it was read at.
async fn update_node(
    docker: &Docker,
    id: &str,
    change: impl Fn(&mut bollard::models::NodeSpec),
) -> Result<(), OpError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let node = docker.inspect_node(id).await?;
        let version = version(node.version.and_then(|v| v.index))?;
        let mut spec = node.spec.unwrap_or_default();
        change(&mut spec);
        match docker
            .update_node(id, spec, UpdateNodeOptions { version })
            .await
        {
            Err(e) if out_of_sequence(&e) && attempt < ATTEMPTS => continue,
            other => return Ok(other?),
        }
    }
}

fn version(index: Option<u64>) -> Result<i64, OpError> {
    index
        .and_then(|i| i64::try_from(i).ok())
        .ok_or_else(|| OpError::new("the daemon gave no version for the object to update"))
}

/// A service's current spec, changed by `change`, sent back at the version it was read at
/// (the daemon refuses it if the service changed meanwhile: read again and retry).
async fn update(
    docker: &Docker,
    id: &str,
    rollback: Option<&str>,
    change: impl Fn(&mut ServiceSpec) -> Result<(), OpError>,
) -> Result<(), OpError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let service = docker
            .inspect_service(id, None::<InspectServiceOptions>)
            .await?;
        let version = version(service.version.and_then(|v| v.index))?;
        let Ok(version) = i32::try_from(version) else {
            return Err(OpError::new(format!(
                "the service's version ({version}) is beyond what bollard can send back"
            )));
        };
        let mut spec = service.spec.unwrap_or_default();
        change(&mut spec)?;
        let options = UpdateServiceOptions {
            version,
            rollback: rollback.map(str::to_string),
            ..Default::default()
        };
        match docker.update_service(id, spec, options, None).await {
            Err(e) if out_of_sequence(&e) && attempt < ATTEMPTS => continue,
            other => return other.map(|_| ()).map_err(OpError::from),
        }
    }
}

/// How long `stack rm` waits for the stack's tasks to stop before removing its networks
/// (a network is refused while a task's container is attached).
const TASKS_GONE: std::time::Duration = std::time::Duration::from_secs(30);

/// As `docker stack rm`: the stack's services, then (once their tasks are gone) its
/// networks, secrets and configs. What stays says why, in the daemon's words.
async fn remove_stack(docker: &Docker, stack: &str) -> Result<String, OpError> {
    let label = HashMap::from([("label".to_string(), vec![format!("{STACK_LABEL}={stack}")])]);
    let services = docker
        .list_services(Some(ListServicesOptions {
            filters: Some(label.clone()),
            ..Default::default()
        }))
        .await?;
    if services.is_empty() {
        return Err(OpError::new(format!("nothing found in stack: {stack}")));
    }
    let ids: Vec<String> = services.into_iter().filter_map(|s| s.id).collect();
    for id in &ids {
        docker.delete_service(id).await?;
    }
    let started = std::time::Instant::now();
    while started.elapsed() < TASKS_GONE && tasks_left(docker, &ids).await? {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let mut failed = Vec::new();
    let networks = docker
        .list_networks(Some(ListNetworksOptions {
            filters: Some(label.clone()),
        }))
        .await?
        .into_iter()
        .filter_map(|n| Some((n.id?, n.name?)));
    remove_each("network", networks, &mut failed, |id| async move {
        docker.remove_network(&id).await
    })
    .await;
    let list = bollard::query_parameters::ListSecretsOptions {
        filters: Some(label.clone()),
    };
    let secrets = docker
        .list_secrets(Some(list))
        .await?
        .into_iter()
        .filter_map(|s| Some((s.id?, s.spec?.name?)));
    remove_each("secret", secrets, &mut failed, |id| async move {
        docker.delete_secret(&id).await
    })
    .await;
    let list = bollard::query_parameters::ListConfigsOptions {
        filters: Some(label),
    };
    let configs = docker
        .list_configs(Some(list))
        .await?
        .into_iter()
        .filter_map(|c| Some((c.id?, c.spec?.name?)));
    remove_each("config", configs, &mut failed, |id| async move {
        docker.delete_config(&id).await
    })
    .await;
    let services = crate::format::plural(ids.len(), "service", "services");
    match failed.is_empty() {
        true => Ok(format!(
            "Removed stack {stack} ({services} and what they used)"
        )),
        false => Err(OpError::new(format!(
            "Removed the {services} of stack {stack}, but not: {}",
            failed.join("; ")
        ))),
    }
}

/// Removes each (id, name) of a kind; what the daemon refuses is noted in its words.
async fn remove_each<F, Fut>(
    kind: &str,
    items: impl Iterator<Item = (String, String)>,
    failed: &mut Vec<String>,
    remove: F,
) where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<(), bollard::errors::Error>>,
{
    for (id, name) in items {
        if let Err(e) = remove(id).await {
            failed.push(format!("{kind} {name}: {}", OpError::from(e).message));
        }
    }
}

/// Whether any task of these (removed) services still has a container. Every task is
/// listed: a filter naming a removed service is an error to the daemon.
async fn tasks_left(docker: &Docker, services: &[String]) -> Result<bool, OpError> {
    let tasks = docker
        .list_tasks(None::<bollard::query_parameters::ListTasksOptions>)
        .await?;
    Ok(tasks
        .iter()
        .any(|t| t.service_id.as_ref().is_some_and(|s| services.contains(s)) && task_running(t)))
}

/// A task whose container may still be attached to a network.
fn task_running(t: &bollard::models::Task) -> bool {
    use bollard::models::TaskState::*;
    let status = t.status.as_ref();
    let container = status
        .and_then(|s| s.container_status.as_ref())
        .and_then(|c| c.container_id.as_ref())
        .is_some_and(|id| !id.is_empty());
    let over = status.and_then(|s| s.state).is_some_and(|s| {
        matches!(
            s,
            SHUTDOWN | COMPLETE | FAILED | REJECTED | ORPHANED | REMOVE
        )
    });
    container && !over
}

/// Whether a service to create can be: what [`service_spec`] would refuse, in words.
pub fn service_spec_check(op: &SwarmOp) -> Result<(), String> {
    match op {
        SwarmOp::CreateService {
            spec,
            replicas,
            constraints,
        } => service_spec(spec, *replicas, constraints)
            .map(|_| ())
            .map_err(|e| e.message),
        _ => Ok(()),
    }
}

/// The body of `docker service create`, from the run form's spec.
pub fn service_spec(
    spec: &RunSpec,
    replicas: Option<u64>,
    constraints: &[String],
) -> Result<ServiceSpec, OpError> {
    let mut ports = Vec::new();
    for p in &spec.ports {
        if p.host_ip.is_some() {
            return Err(OpError::with_hint(
                "a service publishes on every node: it takes no IP address",
                "write the port as HOST:CONTAINER, or CONTAINER alone",
            ));
        }
        ports.push(EndpointPortConfig {
            protocol: Some(match p.protocol {
                "udp" => EndpointPortConfigProtocolEnum::UDP,
                "sctp" => EndpointPortConfigProtocolEnum::SCTP,
                _ => EndpointPortConfigProtocolEnum::TCP,
            }),
            target_port: Some(i64::from(p.container_port)),
            published_port: p.host_port.map(i64::from),
            ..Default::default()
        });
    }
    let mode = match replicas {
        Some(n) => ServiceSpecMode {
            replicated: Some(ServiceSpecModeReplicated {
                replicas: Some(i64::try_from(n).unwrap_or(i64::MAX)),
            }),
            ..Default::default()
        },
        None => ServiceSpecMode {
            global: Some(HashMap::new()),
            ..Default::default()
        },
    };
    let labels: HashMap<String, String> = spec.labels.iter().cloned().collect();
    Ok(ServiceSpec {
        name: spec.name.clone(),
        labels: (!labels.is_empty()).then_some(labels),
        mode: Some(mode),
        task_template: Some(TaskSpec {
            container_spec: Some(TaskSpecContainerSpec {
                image: Some(spec.image.to_string()),
                // As the CLI: the words replace the image's command (its CMD), not its
                // entrypoint.
                args: (!spec.command.is_empty()).then(|| spec.command.clone()),
                env: (!spec.env.is_empty()).then(|| spec.env.clone()),
                tty: Some(spec.tty),
                ..Default::default()
            }),
            placement: (!constraints.is_empty()).then(|| TaskSpecPlacement {
                constraints: Some(constraints.to_vec()),
                ..Default::default()
            }),
            ..Default::default()
        }),
        endpoint_spec: (!ports.is_empty()).then(|| EndpointSpec {
            ports: Some(ports),
            ..Default::default()
        }),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run_spec::RunFields;

    fn spec(fields: RunFields) -> RunSpec {
        fields.parse().expect("valid fields")
    }

    #[test]
    fn cli_lines_match_the_docker_cli() {
        let web = Named {
            id: "s1".into(),
            name: "web".into(),
        };
        let node = Named {
            id: "n1".into(),
            name: "vm".into(),
        };
        let lines: Vec<String> = [
            SwarmOp::Scale {
                service: web.clone(),
                replicas: 4,
            },
            SwarmOp::ForceUpdate(web.clone()),
            SwarmOp::Rollback(web.clone()),
            SwarmOp::RemoveService(web.clone()),
            SwarmOp::RemoveStack {
                stack: "shop".into(),
                services: vec![web.clone()],
            },
            SwarmOp::NodeAvailability {
                node: node.clone(),
                label: "vm (3s35uu)".into(),
                availability: Availability::Drain,
            },
            SwarmOp::NodeRole {
                node,
                label: "vm (3s35uu)".into(),
                manager: true,
            },
            SwarmOp::CreateService {
                spec: Box::new(spec(RunFields {
                    image: "busybox:1".into(),
                    name: "web".into(),
                    command: "sleep 100".into(),
                    env: "A=1 2".into(),
                    ports: "8080:80".into(),
                    ..Default::default()
                })),
                replicas: Some(2),
                constraints: vec!["node.role==worker".into()],
            },
        ]
        .iter()
        .map(SwarmOp::cli)
        .collect();
        assert_eq!(
            lines,
            [
                "docker service scale web=4",
                "docker service update --force web",
                "docker service rollback web",
                "docker service rm web",
                "docker stack rm shop",
                "docker node update --availability drain vm",
                "docker node promote vm",
                "docker service create --name web --replicas 2 --env 'A=1 2' --publish 8080:80/tcp \
                 --constraint node.role==worker busybox:1 sleep 100",
            ]
        );
    }

    #[test]
    fn a_service_spec_is_the_run_forms_fields() {
        let run = spec(RunFields {
            image: "busybox:1".into(),
            command: "sleep 9".into(),
            ports: "80, 53/udp".into(),
            labels: "team=a".into(),
            ..Default::default()
        });
        let body = service_spec(&run, None, &[]).expect("a spec");
        assert!(body.mode.as_ref().is_some_and(|m| m.global.is_some()));
        let container = body
            .task_template
            .and_then(|t| t.container_spec)
            .expect("container spec");
        assert_eq!(container.args, Some(vec!["sleep".into(), "9".into()]));
        let ports = body.endpoint_spec.and_then(|e| e.ports).expect("ports");
        assert_eq!(
            ports
                .iter()
                .map(|p| (p.target_port, p.published_port, p.protocol))
                .collect::<Vec<_>>(),
            [
                (Some(80), None, Some(EndpointPortConfigProtocolEnum::TCP)),
                (Some(53), None, Some(EndpointPortConfigProtocolEnum::UDP))
            ]
        );
        // An address is the one thing a service's port cannot take.
        let bound = spec(RunFields {
            image: "busybox:1".into(),
            ports: "127.0.0.1:8080:80".into(),
            ..Default::default()
        });
        let e = service_spec(&bound, Some(1), &[]).expect_err("refused");
        assert!(e.message.contains("no IP address"), "{}", e.message);
    }
}
