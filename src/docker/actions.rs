//! The seed's commands as Engine API calls: pull, run, start, stop, restart, kill, pause,
//! remove, tag, commit, prune. Each runs in its own task and reports progress and outcome.

use std::collections::HashMap;

use bollard::Docker;
use bollard::errors::Error as BollardError;
use bollard::models::{
    ContainerConfig, ContainerCreateBody, HostConfig, PortBinding, RestartPolicy as ApiRestart,
    RestartPolicyNameEnum,
};
use bollard::query_parameters::{
    CommitContainerOptions, CreateContainerOptions, CreateImageOptions, KillContainerOptions,
    PruneContainersOptions, PruneImagesOptions, RemoveContainerOptions, RemoveImageOptions,
    RestartContainerOptions, StopContainerOptions, TagImageOptions,
};
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use super::DockerEvent;
use super::auth::{self, Credentials};
use crate::format::{human_size, short_id};
use crate::reference::Reference;
use crate::run_spec::{RestartPolicy, RunSpec, shell_quote};

pub type OpId = u64;

/// A container an action applies to: the id to call with, the name to speak of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Pull(Reference),
    Run(Box<RunSpec>),
    Start(Target),
    Stop {
        target: Target,
        timeout: u32,
    },
    Restart(Target),
    Kill {
        target: Target,
        signal: String,
    },
    Pause(Target),
    Unpause(Target),
    RemoveContainer {
        target: Target,
        force: bool,
        volumes: bool,
    },
    /// By `repo:tag`, or by id for an untagged image.
    RemoveImage {
        name: String,
        force: bool,
    },
    Tag {
        source: String,
        target: Reference,
    },
    Commit {
        container: Target,
        image: Reference,
        message: String,
        author: String,
    },
    /// `label`: only objects with this `key=value` (what the CLI's `--filter label=` does).
    PruneContainers {
        label: Option<String>,
    },
    PruneImages {
        label: Option<String>,
    },
}

impl Op {
    /// The docker CLI command that does the same: shown in the command log.
    pub fn cli(&self) -> String {
        let q = |s: &str| shell_quote(s);
        match self {
            Op::Pull(r) => format!("docker image pull {}", r),
            Op::Run(spec) => spec.cli(),
            Op::Start(t) => format!("docker container start {}", q(&t.name)),
            Op::Stop { target, timeout } => {
                format!("docker container stop --time {timeout} {}", q(&target.name))
            }
            Op::Restart(t) => format!("docker container restart {}", q(&t.name)),
            Op::Kill { target, signal } => {
                format!(
                    "docker container kill --signal {signal} {}",
                    q(&target.name)
                )
            }
            Op::Pause(t) => format!("docker container pause {}", q(&t.name)),
            Op::Unpause(t) => format!("docker container unpause {}", q(&t.name)),
            Op::RemoveContainer {
                target,
                force,
                volumes,
            } => {
                let mut flags = String::new();
                if *force {
                    flags.push_str("--force ");
                }
                if *volumes {
                    flags.push_str("--volumes ");
                }
                format!("docker container rm {flags}{}", q(&target.name))
            }
            Op::RemoveImage { name, force } => {
                let flag = if *force { "--force " } else { "" };
                format!("docker image rm {flag}{}", q(name))
            }
            Op::Tag { source, target } => {
                format!("docker image tag {} {}", q(source), target.normalized())
            }
            Op::Commit {
                container,
                image,
                message,
                author,
            } => {
                let mut line = String::from("docker container commit ");
                if !message.is_empty() {
                    line.push_str(&format!("--message {} ", q(message)));
                }
                if !author.is_empty() {
                    line.push_str(&format!("--author {} ", q(author)));
                }
                format!("{line}{} {}", q(&container.name), image.normalized())
            }
            Op::PruneContainers { label } => prune_cli("container", label),
            Op::PruneImages { label } => prune_cli("image", label),
        }
    }

    /// The container it acts on, if any (for "stopping…" on its row).
    pub fn container(&self) -> Option<&Target> {
        match self {
            Op::Start(t) | Op::Restart(t) | Op::Pause(t) | Op::Unpause(t) => Some(t),
            Op::Stop { target, .. }
            | Op::Kill { target, .. }
            | Op::RemoveContainer { target, .. } => Some(target),
            Op::Commit { container, .. } => Some(container),
            _ => None,
        }
    }

    /// The word a row shows while the action runs.
    pub fn verb_ing(&self) -> &'static str {
        match self {
            Op::Pull(_) => "pulling…",
            Op::Run(_) => "starting…",
            Op::Start(_) => "starting…",
            Op::Stop { .. } => "stopping…",
            Op::Restart(_) => "restarting…",
            Op::Kill { .. } => "killing…",
            Op::Pause(_) => "pausing…",
            Op::Unpause(_) => "unpausing…",
            Op::RemoveContainer { .. } | Op::RemoveImage { .. } => "removing…",
            Op::Tag { .. } => "tagging…",
            Op::Commit { .. } => "committing…",
            Op::PruneContainers { .. } | Op::PruneImages { .. } => "pruning…",
        }
    }
}

fn pruned(n: usize, what: &str, reclaimed: Option<i64>) -> String {
    format!(
        "Removed {n} {what}, reclaimed {}",
        human_size(reclaimed.unwrap_or(0))
    )
}

fn prune_cli(kind: &str, label: &Option<String>) -> String {
    match label {
        Some(l) => format!(
            "docker {kind} prune --force --filter label={}",
            shell_quote(l)
        ),
        None => format!("docker {kind} prune --force"),
    }
}

fn label_filter(label: &Option<String>) -> Option<HashMap<String, Vec<String>>> {
    label
        .as_ref()
        .map(|l| [("label".to_string(), vec![l.clone()])].into())
}

/// A line of pull progress, as the daemon reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Per-layer status: "Downloading" with bytes, "Pull complete", "Already exists"…
    Layer {
        id: String,
        status: String,
        current: Option<i64>,
        total: Option<i64>,
    },
    /// A line about the whole pull: "Digest: sha256:…", "Status: Downloaded newer image…".
    Line(String),
}

/// An action's failure: the daemon's own words, plus what to do when we know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct OpError {
    pub message: String,
    pub hint: Option<&'static str>,
}

impl OpError {
    pub fn new(message: impl Into<String>) -> Self {
        let message = message.into();
        let hint = hint_for(&message);
        Self { message, hint }
    }
}

fn hint_for(message: &str) -> Option<&'static str> {
    let m = message.to_lowercase();
    let hints: [(&str, &str); 10] = [
        (
            "manifest unknown",
            "That tag or digest does not exist in the registry.",
        ),
        (
            "not found: manifest",
            "That tag or digest does not exist in the registry.",
        ),
        (
            "is already in use",
            "Choose another name, or remove the container that has it.",
        ),
        (
            "(must force)",
            "A container uses this image: remove it first, or force.",
        ),
        (
            // Engine 26's words for the same.
            "(must be forced)",
            "A container uses this image: remove it first, or force.",
        ),
        (
            "being used by",
            "A container uses this image: remove it first, or force.",
        ),
        (
            "stop the container before",
            "It is running: stop it first, or force.",
        ),
        (
            "unauthorized",
            "Log in to the registry (docker login); dockpit reads ~/.docker/config.json.",
        ),
        (
            "connection refused",
            "The registry does not answer: check its address and that it runs.",
        ),
        (
            "no such host",
            "The daemon cannot resolve the registry's name: check it and the daemon's DNS.",
        ),
    ];
    hints
        .iter()
        .find(|(needle, _)| m.contains(needle))
        .map(|(_, hint)| *hint)
        .or_else(|| {
            // Engine 26 with the containerd image store: "failed to resolve reference
            // \"r\": r: not found".
            (m.starts_with("failed to resolve reference") && m.ends_with(": not found"))
                .then_some("That tag or digest does not exist in the registry.")
        })
        .or_else(|| {
            m.contains("no such image")
                .then_some("Pull it first (p), or check the name.")
        })
}

/// The daemon's own words when it answered; the whole error chain when it did not.
impl From<BollardError> for OpError {
    fn from(e: BollardError) -> Self {
        match e {
            BollardError::DockerResponseServerError { message, .. } => OpError::new(message),
            BollardError::DockerStreamError { error } => OpError::new(error),
            other => OpError::new(super::connect::describe(&other)),
        }
    }
}

fn status_code(e: &BollardError) -> Option<u16> {
    match e {
        BollardError::DockerResponseServerError { status_code, .. } => Some(*status_code),
        _ => None,
    }
}

/// Runs one action; progress goes out as events, the outcome is returned.
pub async fn execute(
    docker: &Docker,
    id: OpId,
    op: &Op,
    events: &UnboundedSender<DockerEvent>,
) -> Result<String, OpError> {
    let progress = |p: Progress| {
        let _ = events.send(DockerEvent::OpProgress { id, progress: p });
    };
    let lifecycle = |result: Result<(), BollardError>, done: String| {
        result.map(|()| done).map_err(OpError::from)
    };
    match op {
        Op::Pull(reference) => pull(docker, reference, &progress).await,
        Op::Run(spec) => run(docker, spec, &progress, events).await,
        Op::Start(t) => lifecycle(
            docker.start_container(&t.id, None).await,
            format!("Started {}", t.name),
        ),
        Op::Stop { target, timeout } => {
            let options = StopContainerOptions {
                t: Some(i32::try_from(*timeout).unwrap_or(i32::MAX)),
                ..Default::default()
            };
            lifecycle(
                docker.stop_container(&target.id, Some(options)).await,
                format!("Stopped {}", target.name),
            )
        }
        Op::Restart(t) => lifecycle(
            docker
                .restart_container(&t.id, Some(RestartContainerOptions::default()))
                .await,
            format!("Restarted {}", t.name),
        ),
        Op::Kill { target, signal } => {
            let options = KillContainerOptions {
                signal: signal.clone(),
            };
            lifecycle(
                docker.kill_container(&target.id, Some(options)).await,
                format!("Sent {signal} to {}", target.name),
            )
        }
        Op::Pause(t) => lifecycle(
            docker.pause_container(&t.id).await,
            format!("Paused {}", t.name),
        ),
        Op::Unpause(t) => lifecycle(
            docker.unpause_container(&t.id).await,
            format!("Unpaused {}", t.name),
        ),
        Op::RemoveContainer {
            target,
            force,
            volumes,
        } => {
            let options = RemoveContainerOptions {
                force: *force,
                v: *volumes,
                link: false,
            };
            docker
                .remove_container(&target.id, Some(options))
                .await
                .map_err(OpError::from)?;
            Ok(format!("Removed {}", target.name))
        }
        Op::RemoveImage { name, force } => {
            let options = RemoveImageOptions {
                force: *force,
                ..Default::default()
            };
            let items = docker
                .remove_image(name, Some(options), None)
                .await
                .map_err(OpError::from)?;
            let deleted = items.iter().filter(|i| i.deleted.is_some()).count();
            let untagged = items.iter().filter(|i| i.untagged.is_some()).count();
            Ok(if deleted > 0 {
                format!("Removed {name} ({deleted} layers deleted)")
            } else {
                format!(
                    "Untagged {name} ({untagged} name removed; the image stays under its other tags)"
                )
            })
        }
        Op::Tag { source, target } => {
            let options = TagImageOptions {
                repo: Some(target.name()),
                tag: Some(target.tag_or_latest().to_string()),
            };
            docker
                .tag_image(source, Some(options))
                .await
                .map_err(OpError::from)?;
            Ok(format!(
                "Tagged {} as {}",
                short_id(source),
                target.normalized()
            ))
        }
        Op::Commit {
            container,
            image,
            message,
            author,
        } => {
            let options = CommitContainerOptions {
                container: Some(container.id.clone()),
                repo: Some(image.name()),
                tag: Some(image.tag_or_latest().to_string()),
                comment: (!message.is_empty()).then(|| message.clone()),
                author: (!author.is_empty()).then(|| author.clone()),
                pause: true,
                changes: None,
            };
            let made = docker
                .commit_container(options, ContainerConfig::default())
                .await
                .map_err(OpError::from)?;
            Ok(format!(
                "Committed {} as {} ({})",
                container.name,
                image.normalized(),
                short_id(&made.id)
            ))
        }
        Op::PruneContainers { label } => {
            let options = PruneContainersOptions {
                filters: label_filter(label),
            };
            let r = docker
                .prune_containers(Some(options))
                .await
                .map_err(OpError::from)?;
            let n = r.containers_deleted.map_or(0, |v| v.len());
            Ok(pruned(n, "stopped containers", r.space_reclaimed))
        }
        Op::PruneImages { label } => {
            // What the prune will take, to count images rather than every deleted record
            // (layers on the classic store, content blobs on the containerd store).
            let mut filters = label_filter(label).unwrap_or_default();
            filters.insert("dangling".into(), vec!["true".into()]);
            let list = bollard::query_parameters::ListImagesOptions {
                filters: Some(filters),
                ..Default::default()
            };
            let dangling: Vec<String> = docker
                .list_images(Some(list))
                .await
                .map_err(OpError::from)?
                .into_iter()
                .map(|i| i.id)
                .collect();
            let options = PruneImagesOptions {
                filters: label_filter(label),
            };
            let r = docker
                .prune_images(Some(options))
                .await
                .map_err(OpError::from)?;
            let n = super::convert::pruned_images(&dangling, &r.images_deleted.unwrap_or_default());
            Ok(pruned(n, "dangling images", r.space_reclaimed))
        }
    }
}

async fn pull(
    docker: &Docker,
    reference: &Reference,
    progress: &impl Fn(Progress),
) -> Result<String, OpError> {
    let (from_image, tag) = match &reference.digest {
        Some(digest) => (format!("{}@{digest}", reference.name()), None),
        None => (
            reference.name(),
            Some(reference.tag_or_latest().to_string()),
        ),
    };
    let options = CreateImageOptions {
        from_image: Some(from_image),
        tag,
        ..Default::default()
    };
    let credentials = match auth::lookup(reference.domain.as_deref()) {
        Credentials::Found(c) => Some(c),
        Credentials::Helper(note) => {
            progress(Progress::Line(note));
            None
        }
        Credentials::None => None,
    };
    let mut stream = docker.create_image(Some(options), None, credentials);
    let mut last_status = String::new();
    while let Some(item) = stream.next().await {
        let info = item?;
        if let Some(detail) = info.error_detail.and_then(|d| d.message) {
            return Err(OpError::new(detail));
        }
        let status = info.status.unwrap_or_default();
        match info.id {
            // A line per layer; "latest: Pulling from x" also has an id (the tag): a line.
            Some(id) if !status.starts_with("Pulling from") => {
                let detail = info.progress_detail.unwrap_or_default();
                progress(Progress::Layer {
                    id,
                    status,
                    current: detail.current,
                    total: detail.total,
                });
            }
            Some(id) => progress(Progress::Line(format!("{id}: {status}"))),
            None => {
                progress(Progress::Line(status.clone()));
                last_status = status;
            }
        }
    }
    // "Status: Downloaded newer image for x" or "Status: Image is up to date for x".
    Ok(last_status.strip_prefix("Status: ").map_or_else(
        || format!("Pulled {}", reference.normalized()),
        str::to_string,
    ))
}

async fn run(
    docker: &Docker,
    spec: &RunSpec,
    progress: &impl Fn(Progress),
    events: &UnboundedSender<DockerEvent>,
) -> Result<String, OpError> {
    let image = spec.image.normalized();
    // §4.1.1: the daemon fetches what the host lacks. Check first, so the pull shows.
    if let Err(e) = docker.inspect_image(&image).await {
        if status_code(&e) != Some(404) {
            return Err(e.into());
        }
        progress(Progress::Line(format!(
            "Unable to find image '{image}' locally"
        )));
        pull(docker, &spec.image, progress).await?;
    }
    let mut bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
    for p in &spec.ports {
        bindings
            .entry(format!("{}/{}", p.container_port, p.protocol))
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(PortBinding {
                host_ip: p.host_ip.clone(),
                host_port: p.host_port.map(|n| n.to_string()),
            });
    }
    let exposed: Vec<String> = bindings.keys().cloned().collect();
    let restart = match spec.restart {
        RestartPolicy::No => None,
        policy => Some(ApiRestart {
            name: Some(match policy {
                RestartPolicy::Always => RestartPolicyNameEnum::ALWAYS,
                RestartPolicy::UnlessStopped => RestartPolicyNameEnum::UNLESS_STOPPED,
                _ => RestartPolicyNameEnum::ON_FAILURE,
            }),
            maximum_retry_count: match policy {
                RestartPolicy::OnFailure(n) => Some(i64::from(n)),
                _ => None,
            },
        }),
    };
    let binds: Vec<String> = spec
        .volumes
        .iter()
        .map(|v| {
            let ro = if v.read_only { ":ro" } else { "" };
            format!("{}:{}{ro}", v.source, v.target)
        })
        .collect();
    let body = ContainerCreateBody {
        image: Some(image.clone()),
        cmd: (!spec.command.is_empty()).then(|| spec.command.clone()),
        env: (!spec.env.is_empty()).then(|| spec.env.clone()),
        labels: (!spec.labels.is_empty()).then(|| spec.labels.iter().cloned().collect()),
        tty: Some(spec.tty),
        open_stdin: Some(spec.tty),
        attach_stdin: Some(spec.tty),
        exposed_ports: (!exposed.is_empty()).then_some(exposed),
        host_config: Some(HostConfig {
            port_bindings: (!bindings.is_empty()).then_some(bindings),
            binds: (!binds.is_empty()).then_some(binds),
            auto_remove: Some(spec.auto_remove),
            restart_policy: restart,
            ..Default::default()
        }),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: spec.name.clone(),
        ..Default::default()
    };
    let created = docker
        .create_container(Some(options), body)
        .await
        .map_err(OpError::from)?;
    let label = spec
        .name
        .clone()
        .unwrap_or_else(|| short_id(&created.id).to_string());
    if spec.tty {
        // Like `docker run -it`: attach first, then start, so the first prompt is seen.
        // The app's attach session does both.
        let _ = events.send(DockerEvent::RunCreated {
            container: Target {
                id: created.id.clone(),
                name: label.clone(),
            },
        });
        return Ok(format!("Created {label}; attaching"));
    }
    // A failed start does not undo the create: the container stays, and we say so.
    if let Err(e) = docker.start_container(&created.id, None).await {
        let e = OpError::from(e);
        return Err(OpError {
            message: format!("Created {label} but could not start it: {}", e.message),
            hint: e.hint.or(Some(
                "The container is kept: fix the cause and start it (s), or remove it (d).",
            )),
        });
    }
    Ok(format!("Started {label}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web() -> Target {
        Target {
            id: "abc".into(),
            name: "web".into(),
        }
    }

    #[test]
    fn cli_lines_match_the_docker_cli() {
        let cases = [
            (
                Op::Kill {
                    target: web(),
                    signal: "SIGKILL".into(),
                },
                "docker container kill --signal SIGKILL web",
            ),
            (
                Op::Stop {
                    target: web(),
                    timeout: 10,
                },
                "docker container stop --time 10 web",
            ),
            (
                Op::RemoveContainer {
                    target: web(),
                    force: true,
                    volumes: true,
                },
                "docker container rm --force --volumes web",
            ),
            (
                Op::Pull(crate::reference::parse("busybox").expect("ref")),
                "docker image pull busybox",
            ),
            (
                Op::Tag {
                    source: "sha256:047b1cacbee6aa".into(),
                    target: crate::reference::parse("me/box").expect("ref"),
                },
                "docker image tag sha256:047b1cacbee6aa me/box:latest",
            ),
            (
                Op::PruneImages { label: None },
                "docker image prune --force",
            ),
            (
                Op::PruneContainers {
                    label: Some("dockpit.test=x".into()),
                },
                "docker container prune --force --filter label=dockpit.test=x",
            ),
        ];
        for (op, want) in cases {
            assert_eq!(op.cli(), want);
        }
    }

    #[test]
    fn daemon_errors_get_hints() {
        let e = OpError::new(
            "manifest for 127.0.0.1:5000/busybox:nope not found: manifest unknown: manifest unknown",
        );
        assert_eq!(
            e.hint,
            Some("That tag or digest does not exist in the registry.")
        );
        let e = OpError::new(
            "conflict: unable to remove repository reference \"x\" (must force) - container 123 is using its referenced image 456",
        );
        assert_eq!(
            e.hint,
            Some("A container uses this image: remove it first, or force.")
        );
        assert_eq!(
            OpError::new(
                "Conflict. The container name \"/web\" is already in use by container \"1\""
            )
            .hint,
            Some("Choose another name, or remove the container that has it.")
        );
    }

    /// Engine 26 (API 1.45, containerd image store) words the same failures differently.
    #[test]
    fn engine_26_errors_get_the_same_hints() {
        let e = OpError::new(
            "failed to resolve reference \"127.0.0.1:5000/busybox:nope\": 127.0.0.1:5000/busybox:nope: not found",
        );
        assert_eq!(
            e.hint,
            Some("That tag or digest does not exist in the registry.")
        );
        let e = OpError::new(
            "conflict: unable to delete 127.0.0.1:5000/layered:1 (must be forced) - container 87ebc11a98ee is using its referenced image 57ffaf2d9c44",
        );
        assert_eq!(
            e.hint,
            Some("A container uses this image: remove it first, or force.")
        );
        let e = OpError::new(
            "cannot remove container \"/web\": container is running: stop the container before removing or force remove",
        );
        assert_eq!(e.hint, Some("It is running: stop it first, or force."));
        // A registry that is not there stays a registry that is not there.
        let e = OpError::new(
            "failed to resolve reference \"127.0.0.1:1/nothing:1\": failed to do request: Head \"http://127.0.0.1:1/v2/nothing/manifests/1\": dial tcp 127.0.0.1:1: connect: connection refused",
        );
        assert_eq!(
            e.hint,
            Some("The registry does not answer: check its address and that it runs.")
        );
    }
}
