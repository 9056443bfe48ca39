//! The seed's commands as Engine API calls: pull, run, start, stop, restart, kill, pause,
//! remove, tag, commit, prune. Each runs in its own task and reports progress and outcome.
//! The operation model (`op`), its failures (`error`) and the create-container body
//! (`create`) live apart from the I/O here.

mod create;
mod error;
mod op;

use std::collections::HashMap;

use bollard::Docker;
use bollard::errors::Error as BollardError;
use bollard::models::ContainerConfig;
use bollard::query_parameters::{
    CommitContainerOptions, CreateContainerOptions, CreateImageOptions, KillContainerOptions,
    PruneContainersOptions, PruneImagesOptions, RemoveContainerOptions, RemoveImageOptions,
    RestartContainerOptions, StopContainerOptions, TagImageOptions,
};
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

pub use create::body as create_body;
pub use error::OpError;
pub use op::{Op, OpId, Progress, Target};

use super::DockerEvent;
use super::auth::{self, Credentials};
use crate::format::{human_size, short_id};
use crate::reference::Reference;
use crate::run_spec::RunSpec;

fn pruned(n: usize, what: &str, reclaimed: Option<i64>) -> String {
    format!(
        "Removed {n} {what}, reclaimed {}",
        human_size(reclaimed.unwrap_or(0))
    )
}

fn label_filter(label: &Option<String>) -> Option<HashMap<String, Vec<String>>> {
    label
        .as_ref()
        .map(|l| [("label".to_string(), vec![l.clone()])].into())
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
                container: Some(container.id.to_string()),
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
            let options = PruneImagesOptions {
                filters: label_filter(label),
            };
            let r = docker
                .prune_images(Some(options))
                .await
                .map_err(OpError::from)?;
            let n = r
                .images_deleted
                .map_or(0, |v| v.iter().filter(|i| i.deleted.is_some()).count());
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
    let body = create::body(spec);
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
                id: created.id.clone().into(),
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
                "The container is kept: fix the cause and start it ({start}), or remove it ({remove}).",
            )),
        });
    }
    Ok(format!("Started {label}"))
}
