//! The seed's commands as Engine API calls: pull, run, start, stop, restart, kill, pause,
//! remove, tag, commit, prune. Each runs in its own task and reports progress and outcome.
//! The operation model (`op`), its failures (`error`) and the create-container body
//! (`create`) live apart from the I/O here.

mod create;
pub mod edit;
mod error;
mod host;
mod op;
pub mod recreate;
mod recreate_edits;
pub mod swarm;

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
use crate::format::{human_size, plural, short_id};
use crate::reference::Reference;
use crate::run_spec::RunSpec;

/// "Removed 1 stopped container, reclaimed 12kB": `what` is (one, many).
fn pruned(n: usize, what: (&str, &str), reclaimed: Option<i64>) -> String {
    format!(
        "Removed {}, reclaimed {}",
        plural(n, what.0, what.1),
        human_size(reclaimed.unwrap_or(0))
    )
}

/// The daemon's answer in words: what it untagged and what it deleted (the image and its
/// layers), with correct plurals.
fn removed(name: &str, untagged: &[String], deleted: usize) -> String {
    let mut parts = Vec::new();
    if !untagged.is_empty() {
        parts.push(format!("untagged {}", untagged.join(", ")));
    }
    match deleted {
        0 => parts.push("the image stays".into()),
        // The image itself is one of the deleted entries; the rest are layers.
        n => parts.push(format!(
            "deleted the image and {}",
            plural(n - 1, "layer", "layers")
        )),
    }
    let text = parts.join("; ");
    let mut chars = text.chars();
    let text = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    };
    format!("{text} ({name})")
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
    match op {
        Op::Pull(reference) => pull(docker, reference, &progress).await,
        Op::Push(reference) => push(docker, reference, &progress).await,
        Op::Build(spec) => super::build::build(docker, spec, &progress).await,
        // The user's own command runs here rather than in Docker, beside the actions it
        // stands with in the command log.
        Op::Custom(inv) => {
            crate::custom::run_background(inv, |line| progress(Progress::Line(line)))
                .await
                .map_err(OpError::new)
        }
        Op::Run(spec) => run(docker, id, spec, &progress, events).await,
        Op::Recreate {
            target,
            edits,
            pull,
            ..
        } => recreate::recreate(docker, target, edits.as_deref(), *pull, &progress).await,
        Op::Update { target, limits } => edit::update(docker, target, limits).await,
        Op::Rename { target, name } => edit::rename(docker, target, name).await,
        Op::RemoveImage { .. } | Op::Tag { .. } | Op::Commit { .. } => image_op(docker, op).await,
        Op::PruneContainers { label } => prune_containers(docker, label).await,
        Op::PruneImages { label } => prune_images(docker, label).await,
        Op::CreateVolume { .. }
        | Op::RemoveVolume { .. }
        | Op::PruneVolumes { .. }
        | Op::CreateNetwork { .. }
        | Op::RemoveNetwork { .. }
        | Op::ConnectNetwork { .. }
        | Op::DisconnectNetwork { .. }
        | Op::PruneNetworks { .. }
        | Op::PruneBuildCache => host::execute(docker, op).await,
        Op::Swarm(op) => swarm::execute(docker, op).await,
        Op::CopyFrom {
            container,
            path,
            dest,
            overwrite,
        } => super::files::download(docker, container, path, dest, *overwrite).await,
        Op::CopyTo {
            container,
            source,
            dir,
        } => super::files::upload(docker, container, source, dir).await,
        _ => container_op(docker, op).await,
    }
}

async fn prune_containers(docker: &Docker, label: &Option<String>) -> Result<String, OpError> {
    let options = PruneContainersOptions {
        filters: label_filter(label),
    };
    let r = docker.prune_containers(Some(options)).await?;
    let n = r.containers_deleted.map_or(0, |v| v.len());
    Ok(pruned(
        n,
        ("stopped container", "stopped containers"),
        r.space_reclaimed,
    ))
}

async fn prune_images(docker: &Docker, label: &Option<String>) -> Result<String, OpError> {
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
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let options = PruneImagesOptions {
        filters: label_filter(label),
    };
    let r = docker.prune_images(Some(options)).await?;
    let deleted = r.images_deleted.unwrap_or_default();
    let n = super::convert::pruned_images(&dangling, &deleted);
    Ok(pruned(
        n,
        ("dangling image", "dangling images"),
        r.space_reclaimed,
    ))
}

/// The lifecycle of a container: start, stop, restart, kill, pause, unpause, remove.
async fn container_op(docker: &Docker, op: &Op) -> Result<String, OpError> {
    let Some(t) = op.container() else {
        return Err(OpError::new(format!(
            "{} is not about a container",
            op.cli()
        )));
    };
    let (id, name) = (t.id.as_str(), &t.name);
    match op {
        Op::Start(_) => docker.start_container(id, None).await?,
        Op::Stop { timeout, .. } => {
            let options = StopContainerOptions {
                t: Some(i32::try_from(*timeout).unwrap_or(i32::MAX)),
                ..Default::default()
            };
            docker.stop_container(id, Some(options)).await?
        }
        Op::Restart(_) => {
            let options = RestartContainerOptions::default();
            docker.restart_container(id, Some(options)).await?
        }
        Op::Kill { signal, .. } => {
            let options = KillContainerOptions {
                signal: signal.clone(),
            };
            docker.kill_container(id, Some(options)).await?
        }
        Op::Pause(_) => docker.pause_container(id).await?,
        Op::Unpause(_) => docker.unpause_container(id).await?,
        Op::RemoveContainer { force, volumes, .. } => {
            let options = RemoveContainerOptions {
                force: *force,
                v: *volumes,
                link: false,
            };
            docker.remove_container(id, Some(options)).await?
        }
        _ => {
            return Err(OpError::new(format!(
                "{} is not a lifecycle action",
                op.cli()
            )));
        }
    }
    Ok(match op {
        Op::Start(_) => format!("Started {name}"),
        Op::Stop { .. } => format!("Stopped {name}"),
        Op::Restart(_) => format!("Restarted {name}"),
        Op::Kill { signal, .. } => format!("Sent {signal} to {name}"),
        Op::Pause(_) => format!("Paused {name}"),
        Op::Unpause(_) => format!("Unpaused {name}"),
        _ => format!("Removed {name}"),
    })
}

/// Images: remove, tag, and commit a container to one.
async fn image_op(docker: &Docker, op: &Op) -> Result<String, OpError> {
    match op {
        Op::RemoveImage { name, force } => {
            let options = RemoveImageOptions {
                force: *force,
                ..Default::default()
            };
            let items = docker.remove_image(name, Some(options), None).await?;
            let deleted = items.iter().filter(|i| i.deleted.is_some()).count();
            let untagged: Vec<String> = items.iter().filter_map(|i| i.untagged.clone()).collect();
            Ok(removed(name, &untagged, deleted))
        }
        Op::Tag { source, target } => {
            let options = TagImageOptions {
                repo: Some(target.name()),
                tag: Some(target.tag_or_latest().to_string()),
            };
            docker.tag_image(source, Some(options)).await?;
            let (source, target) = (short_id(source), target.normalized());
            Ok(format!("Tagged {source} as {target}"))
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
                .await?;
            let (name, image) = (&container.name, image.normalized());
            Ok(format!(
                "Committed {name} as {image} ({})",
                short_id(&made.id)
            ))
        }
        _ => Err(OpError::new(format!("{} is not an image action", op.cli()))),
    }
}

/// A progress line as long as a screen needs (the registry's words come through the daemon).
fn cut(line: &str) -> String {
    crate::format::cut(line, 1024)
}

/// The stored credentials for a reference's registry; a note when they cannot be read.
async fn credentials_for(
    reference: &Reference,
    progress: &impl Fn(Progress),
) -> Option<bollard::auth::DockerCredentials> {
    match auth::lookup(reference.domain.as_deref()).await {
        Credentials::Found(c) => Some(c),
        Credentials::Helper(note) | Credentials::Unreadable(note) => {
            progress(Progress::Line(note));
            None
        }
        Credentials::None => None,
    }
}

/// One line of a push's progress, read whole: bollard's model drops the layer ids and the
/// pushed digest, which are what the progress view and the outcome show.
#[derive(Debug, Default, serde::Deserialize)]
struct PushLine {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default, rename = "progressDetail")]
    detail: Option<bollard::models::ProgressDetail>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default, rename = "errorDetail")]
    error_detail: Option<bollard::models::ErrorDetail>,
    #[serde(default)]
    aux: Option<serde_json::Value>,
}

/// Pushes a tag, each layer's progress as pull shows it ("Pushing", "Pushed", "Layer
/// already exists", "Mounted from …"); answers with the digest the registry gave it.
async fn push(
    docker: &Docker,
    reference: &Reference,
    progress: &impl Fn(Progress),
) -> Result<String, OpError> {
    use base64::Engine;
    if reference.digest.is_some() {
        return Err(OpError::with_hint(
            format!("{reference} names a digest; a push needs a tag"),
            "Push one of the image's tags, or tag it first ({tag}).",
        ));
    }
    let credentials = credentials_for(reference, progress)
        .await
        .unwrap_or_default();
    let auth = serde_json::to_vec(&credentials).map_err(|e| OpError::new(e.to_string()))?;
    let auth = base64::engine::general_purpose::URL_SAFE.encode(auth);
    // As bollard and the docker CLI send it: the name as is (a reference has no character a
    // path must escape), the tag as a query value.
    let path = format!(
        "/images/{}/push?tag={}",
        reference.name(),
        crate::docker::raw::percent_encoded(reference.tag_or_latest())
    );
    let body = crate::docker::raw::request(
        docker,
        hyper::Method::POST,
        &path,
        vec![("X-Registry-Auth", auth)],
    );
    let mut lines = std::pin::pin!(crate::docker::raw::json_lines::<PushLine>(
        body,
        64 * 1024,
        "a push progress line"
    ));
    let mut digest = None;
    while let Some(line) = lines.next().await {
        let line = line?;
        if let Some(message) = line.error_detail.and_then(|d| d.message).or(line.error) {
            return Err(OpError::new(message));
        }
        if let Some(d) = line.aux.as_ref().and_then(|a| a["Digest"].as_str()) {
            digest = Some(d.to_string());
        }
        let status = line.status.unwrap_or_default();
        // The containerd image store sends no aux, only "TAG: digest: sha256:… size: N".
        if let Some(d) = status
            .split_once(": digest: ")
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .filter(|d| d.starts_with("sha256:"))
        {
            digest.get_or_insert_with(|| d.to_string());
        }
        match line.id {
            // "The push refers to repository […]" has no id: a line.
            Some(id) if !status.is_empty() => {
                let detail = line.detail.unwrap_or_default();
                progress(Progress::Layer {
                    id,
                    status,
                    current: detail.current,
                    total: detail.total,
                });
            }
            _ if !status.is_empty() => progress(Progress::Line(cut(&status))),
            _ => {}
        }
    }
    match digest {
        Some(digest) => Ok(format!("Pushed {}: {digest}", reference.normalized())),
        None => Ok(format!("Pushed {}", reference.normalized())),
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
    let credentials = credentials_for(reference, progress).await;
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
            Some(id) => progress(Progress::Line(cut(&format!("{id}: {status}")))),
            None => {
                progress(Progress::Line(cut(&status)));
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
    id: OpId,
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
    let _ = events.send(DockerEvent::RunContainer {
        op: id,
        container: created.id.clone().into(),
    });
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
    let _ = events.send(DockerEvent::RunStarted {
        container: Target {
            id: created.id.clone().into(),
            name: label.clone(),
        },
    });
    Ok(format!("Started {label}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_answer_with_plurals() {
        let untagged = vec!["busybox:1".to_string()];
        assert_eq!(
            removed("busybox:1", &untagged, 0),
            "Untagged busybox:1; the image stays (busybox:1)"
        );
        assert_eq!(
            removed("busybox:1", &untagged, 2),
            "Untagged busybox:1; deleted the image and 1 layer (busybox:1)"
        );
        assert_eq!(
            removed("abc", &[], 4),
            "Deleted the image and 3 layers (abc)"
        );
    }
}
