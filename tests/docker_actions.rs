//! Every action of the seed, run through the Docker task's executor against the real test
//! engine and registry, and checked through the Engine API.

mod common;

use bollard::Docker;
use bollard::query_parameters::RemoveImageOptions;
use dockpit::docker::actions::{self, Op, OpError, Progress, Target};
use dockpit::docker::{ContainerState, DockerEvent};
use dockpit::reference;
use dockpit::run_spec::RunFields;
use tokio::sync::mpsc;

use common::REGISTRY;

/// Runs one action; returns its outcome and the progress it reported.
async fn exec(docker: &Docker, op: Op) -> (Result<String, OpError>, Vec<Progress>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let result = actions::execute(docker, dockpit::docker::OpId(1), &op, &tx).await;
    drop(tx);
    let mut progress = Vec::new();
    while let Some(event) = rx.recv().await {
        if let DockerEvent::OpProgress { progress: p, .. } = event {
            progress.push(p);
        }
    }
    (result, progress)
}

async fn remove_image(docker: &Docker, name: &str) {
    let options = RemoveImageOptions {
        force: true,
        ..Default::default()
    };
    let _ = docker.remove_image(name, Some(options), None).await;
}

async fn state(docker: &Docker, id: &str) -> ContainerState {
    let inspect = docker.inspect_container(id, None).await.expect("inspect");
    let state = inspect.state.expect("state");
    match (
        state.running,
        state.paused,
        state.status.map(|s| s.to_string()),
    ) {
        (_, Some(true), _) => ContainerState::Paused,
        (Some(true), _, _) => ContainerState::Running,
        (_, _, Some(s)) if s == "created" => ContainerState::Created,
        _ => ContainerState::Exited,
    }
}

/// Each layer's last status, in the order the daemon first named the layers.
fn last_statuses(progress: &[Progress]) -> Vec<(String, String)> {
    let mut layers: Vec<(String, String)> = Vec::new();
    for p in progress {
        if let Progress::Layer { id, status, .. } = p {
            match layers.iter_mut().find(|(l, _)| l == id) {
                Some(layer) => layer.1 = status.clone(),
                None => layers.push((id.clone(), status.clone())),
            }
        }
    }
    layers
}

/// The status a store ends a layer it downloaded with: the classic store extracts each layer
/// ("Pull complete"); Engine 26's containerd store stops at "Download complete" and unpacks
/// the image afterwards.
/// A pulled layer's last status: "Pull complete", except on Engine 26's containerd image store,
/// which reports no extraction ("Download complete"); Engine 28's reports it again.
async fn downloaded(docker: &Docker) -> &'static str {
    if common::containerd_store(docker).await && common::api_version(docker).await < (1, 46) {
        "Download complete"
    } else {
        "Pull complete"
    }
}

/// The registry's layer digests of a single-platform image, short as pull progress names them.
fn registry_layers(path: &str) -> Vec<String> {
    common::registry_json(&format!("/v2/{path}"))["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|l| {
            let digest = l["digest"].as_str().expect("digest");
            digest.trim_start_matches("sha256:")[..12].to_string()
        })
        .collect()
}

fn target(id: &str, name: &str) -> Target {
    Target {
        id: id.into(),
        name: name.into(),
    }
}

#[tokio::test]
async fn pull_by_tag_and_by_digest_with_layer_progress() {
    let _layered = common::layered_image().await;
    let docker = common::docker().await;
    let name = format!("{REGISTRY}/layered:1");
    remove_image(&docker, &name).await;

    let containerd = common::containerd_store(&docker).await;
    let done = downloaded(&docker).await;
    let (result, progress) = exec(&docker, Op::Pull(reference::parse(&name).expect("ref"))).await;
    assert_eq!(
        result.expect("pull"),
        format!("Downloaded newer image for {name}")
    );
    let downloading = progress.iter().any(|p| {
        matches!(p, Progress::Layer { status, current: Some(c), total: Some(t), .. }
            if status == "Downloading" && *c > 0 && *t > 0)
    });
    // Engine 26's containerd store reports bytes on a 100 ms tick, and a 3 MB layer from a
    // registry on this machine arrives within one: there, no byte progress is no fault.
    assert!(
        downloading || containerd,
        "byte progress for a layer: {progress:?}"
    );
    // Every layer of the registry's manifest, named by its short digest, ends downloaded.
    let layers = last_statuses(&progress);
    let expected: Vec<(String, String)> = registry_layers("layered/manifests/1")
        .into_iter()
        .map(|id| (id, done.to_string()))
        .collect();
    assert_eq!(layers, expected, "{progress:?}");
    assert!(
        progress
            .iter()
            .any(|p| matches!(p, Progress::Line(l) if l.starts_with("Digest: sha256:")))
    );

    // The same image by digest.
    let inspect = docker.inspect_image(&name).await.expect("pulled image");
    let by_digest = inspect
        .repo_digests
        .unwrap_or_default()
        .into_iter()
        .find(|d| d.starts_with(&format!("{REGISTRY}/layered@")))
        .expect("a repo digest");
    remove_image(&docker, &name).await;
    let (result, progress) = exec(
        &docker,
        Op::Pull(reference::parse(&by_digest).expect("ref")),
    )
    .await;
    let outcome = result.expect("pull by digest");
    assert!(outcome.contains("Downloaded newer image"), "{outcome}");
    let layers = last_statuses(&progress);
    assert!(
        !layers.is_empty() && layers.iter().all(|(_, s)| s == done),
        "{progress:?}"
    );
    assert!(docker.inspect_image(&by_digest).await.is_ok());
    remove_image(&docker, &by_digest).await;
}

#[tokio::test]
async fn pulling_a_missing_tag_reports_the_registry_error() {
    let docker = common::docker().await;
    let op = Op::Pull(reference::parse(&format!("{REGISTRY}/busybox:nope")).expect("ref"));
    let (result, _) = exec(&docker, op).await;
    let error = result.expect_err("no such tag");
    // The registry's "manifest unknown" through the classic store; the containerd store's
    // resolver says "not found" for the reference.
    let words = if common::containerd_store(&docker).await {
        "127.0.0.1:5000/busybox:nope: not found"
    } else {
        "manifest unknown"
    };
    assert!(error.message.contains(words), "{}", error.message);
    assert_eq!(
        error.hint,
        Some("That tag or digest does not exist in the registry.")
    );
}

#[tokio::test]
async fn run_with_name_env_ports_and_rm_then_inspect() {
    let test = "run-options";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let port = common::free_port().to_string();
    let fields = RunFields {
        image: common::IMAGE.into(),
        name: name.clone(),
        command: "sleep 60".into(),
        auto_remove: true,
        env: "GREETING=hello world\nA=1".into(),
        labels: common::label_filter(test),
        ports: format!("127.0.0.1:{port}:80"),
        ..Default::default()
    };
    let spec = fields.parse().expect("valid form");
    let (result, _) = exec(&docker, Op::Run(Box::new(spec))).await;
    assert_eq!(result.expect("run"), format!("Started {name}"));

    let inspect = docker
        .inspect_container(&name, None)
        .await
        .expect("inspect");
    let config = inspect.config.expect("config");
    let env = config.env.unwrap_or_default();
    assert!(env.contains(&"GREETING=hello world".to_string()), "{env:?}");
    let host = inspect.host_config.expect("host config");
    assert_eq!(host.auto_remove, Some(true));
    let binding = host
        .port_bindings
        .and_then(|b| b.get("80/tcp").cloned().flatten())
        .expect("80/tcp bound");
    assert_eq!(binding[0].host_port.as_deref(), Some(port.as_str()));
    assert_eq!(binding[0].host_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(state(&docker, &name).await, ContainerState::Running);

    // A second container with the same name: the daemon's conflict, with a hint.
    let again = RunFields {
        image: common::IMAGE.into(),
        name: name.clone(),
        labels: common::label_filter(test),
        ..Default::default()
    };
    let (result, _) = exec(&docker, Op::Run(Box::new(again.parse().expect("valid")))).await;
    let error = result.expect_err("name in use");
    assert!(
        error.message.contains("is already in use"),
        "{}",
        error.message
    );
    assert!(error.hint.is_some());
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn run_of_a_missing_image_pulls_it_first() {
    let _layered = common::layered_image().await;
    let test = "run-pulls";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let image = format!("{REGISTRY}/layered:1");
    remove_image(&docker, &image).await;
    let fields = RunFields {
        image: image.clone(),
        command: "sleep 30".into(),
        labels: common::label_filter(test),
        ..Default::default()
    };
    let done = downloaded(&docker).await;
    let (result, progress) = exec(&docker, Op::Run(Box::new(fields.parse().expect("valid")))).await;
    assert!(result.expect("run").starts_with("Started "));
    assert!(
        progress
            .iter()
            .any(|p| matches!(p, Progress::Line(l) if l.contains("Unable to find image")))
    );
    let layers = last_statuses(&progress);
    assert!(
        !layers.is_empty() && layers.iter().all(|(_, s)| s == done),
        "{progress:?}"
    );
    common::cleanup(&docker, test).await;
    remove_image(&docker, &image).await;
}

#[tokio::test]
async fn lifecycle_start_stop_restart_kill_pause_remove() {
    let test = "lifecycle";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    // Exits on SIGTERM, so stop and restart need not wait out their timeout.
    let script = "trap 'exit 0' TERM; while true; do sleep 0.1; done";
    let id = common::create(&docker, test, &name, &["sh", "-c", script]).await;
    let t = target(&id, &name);

    let (r, _) = exec(&docker, Op::Start(t.clone())).await;
    assert_eq!(r.expect("start"), format!("Started {name}"));
    assert_eq!(state(&docker, &id).await, ContainerState::Running);

    let (r, _) = exec(&docker, Op::Pause(t.clone())).await;
    r.expect("pause");
    assert_eq!(state(&docker, &id).await, ContainerState::Paused);
    let (r, _) = exec(&docker, Op::Unpause(t.clone())).await;
    r.expect("unpause");
    assert_eq!(state(&docker, &id).await, ContainerState::Running);

    let (r, _) = exec(&docker, Op::Restart(t.clone())).await;
    r.expect("restart");
    assert_eq!(state(&docker, &id).await, ContainerState::Running);

    // Removing a running container without force: the daemon refuses, and nothing changes.
    let plain = Op::RemoveContainer {
        target: t.clone(),
        force: false,
        volumes: false,
    };
    let (r, _) = exec(&docker, plain).await;
    let error = r.expect_err("running");
    // Engine 20.10's words, Engine 26's (by name) and Engine 28's (by id).
    let words = match common::api_version(&docker).await {
        v if v > (1, 46) => format!("cannot remove container \"{id}\": container is running"),
        v if v > (1, 41) => format!("cannot remove container \"/{name}\": container is running"),
        _ => format!("You cannot remove a running container {id}"),
    };
    assert!(error.message.contains(&words), "{}", error.message);
    assert_eq!(error.hint, Some("It is running: stop it first, or force."));
    assert_eq!(state(&docker, &id).await, ContainerState::Running);

    let kill = Op::Kill {
        target: t.clone(),
        signal: "SIGKILL".into(),
    };
    let (r, _) = exec(&docker, kill).await;
    assert_eq!(r.expect("kill"), format!("Sent SIGKILL to {name}"));
    let inspect = docker.inspect_container(&id, None).await.expect("inspect");
    assert_eq!(inspect.state.and_then(|s| s.exit_code), Some(137));

    let (r, _) = exec(&docker, Op::Start(t.clone())).await;
    r.expect("start");
    let stop = Op::Stop {
        target: t.clone(),
        timeout: 1,
    };
    let (r, _) = exec(&docker, stop).await;
    assert_eq!(r.expect("stop"), format!("Stopped {name}"));
    assert_eq!(state(&docker, &id).await, ContainerState::Exited);

    let (r, _) = exec(&docker, Op::Start(t.clone())).await;
    r.expect("start");
    let forced = Op::RemoveContainer {
        target: t,
        force: true,
        volumes: true,
    };
    let (r, _) = exec(&docker, forced).await;
    assert_eq!(r.expect("force remove"), format!("Removed {name}"));
    assert!(docker.inspect_container(&id, None).await.is_err());
}

#[tokio::test]
async fn kill_with_sigterm_reaches_the_process() {
    let test = "kill-term";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    // The shell exits 42 on SIGTERM, so the exit code proves which signal arrived.
    let script = "trap 'exit 42' TERM; echo trapped; while true; do sleep 0.1; done";
    let id = common::start(&docker, test, &name, &["sh", "-c", script]).await;
    // As PID 1, the shell ignores a SIGTERM that comes before its trap is set.
    common::wait_for_output(&docker, &id, "trapped", 1).await;
    let kill = Op::Kill {
        target: target(&id, &name),
        signal: "SIGTERM".into(),
    };
    let (r, _) = exec(&docker, kill).await;
    r.expect("kill");
    assert_eq!(common::exit_code(&docker, &id).await, Some(42));
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn tag_commit_and_removing_a_used_image() {
    let test = "tag-commit";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let pid = std::process::id();
    let tagged = format!("dockpit-test/tagged:{pid}");
    let committed = format!("dockpit-test/committed:{pid}");

    let source = docker
        .inspect_image(common::IMAGE)
        .await
        .expect("seed image");
    let tag = Op::Tag {
        source: source.id.clone().expect("id"),
        target: reference::parse(&tagged).expect("ref"),
    };
    let (r, _) = exec(&docker, tag).await;
    assert!(r.expect("tag").ends_with(&format!("as {tagged}")));
    assert_eq!(
        docker.inspect_image(&tagged).await.expect("tagged").id,
        source.id
    );

    // Untagging a name the image has several of leaves the image.
    let untag = Op::RemoveImage {
        name: tagged.clone(),
        force: false,
    };
    let (r, _) = exec(&docker, untag).await;
    assert!(r.expect("untag").starts_with(&format!("Untagged {tagged}")));
    assert!(docker.inspect_image(common::IMAGE).await.is_ok());

    // Commit a container that wrote a file; the new image has it.
    let name = common::unique(test);
    let id = common::start(&docker, test, &name, &["sh", "-c", "echo made > /made"]).await;
    let commit = Op::Commit {
        container: target(&id, &name),
        image: reference::parse(&committed).expect("ref"),
        message: "from a test".into(),
        author: "dockpit tests".into(),
    };
    let (r, _) = exec(&docker, commit).await;
    assert!(
        r.expect("commit")
            .starts_with(&format!("Committed {name} as {committed}"))
    );
    let image = docker
        .inspect_image(&committed)
        .await
        .expect("committed image");
    assert_eq!(image.author.as_deref(), Some("dockpit tests"));
    assert_eq!(image.comment.as_deref(), Some("from a test"));

    // A container now uses the committed image: removing it without force is refused.
    let user = common::unique("uses-committed");
    let body = bollard::models::ContainerCreateBody {
        image: Some(committed.clone()),
        cmd: Some(vec!["true".into()]),
        labels: Some([common::label_pair(test)].into()),
        ..Default::default()
    };
    let options = bollard::query_parameters::CreateContainerOptions {
        name: Some(user.clone()),
        ..Default::default()
    };
    let user_id = docker
        .create_container(Some(options), body)
        .await
        .expect("create")
        .id;
    let remove = Op::RemoveImage {
        name: committed.clone(),
        force: false,
    };
    let (r, _) = exec(&docker, remove).await;
    let error = r.expect_err("in use");
    assert!(error.message.contains(&user_id[..12]), "{}", error.message);
    assert_eq!(
        error.hint,
        Some("A container uses this image: remove it first, or force.")
    );
    assert!(
        docker.inspect_image(&committed).await.is_ok(),
        "nothing changed"
    );

    common::cleanup(&docker, test).await;
    let remove = Op::RemoveImage {
        name: committed.clone(),
        force: false,
    };
    let (r, _) = exec(&docker, remove).await;
    // Its last name and no user: untagged and deleted, as the daemon answered.
    let outcome = r.expect("remove");
    assert!(
        outcome.starts_with(&format!("Untagged {committed}; deleted the image and ")),
        "{outcome}"
    );
}

/// Defect seen: forcing the removal of an image's only name while a running container uses
/// it only untags it (the image stays as <none>); the outcome says exactly that.
#[tokio::test]
async fn forcing_out_the_last_name_of_a_running_image_only_untags_it() {
    let test = "rm-running-image";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let image = format!("dockpit-test/only-name:{}", std::process::id());
    let maker = common::start(&docker, test, &common::unique(test), &["true"]).await;
    let commit = Op::Commit {
        container: target(&maker, "maker"),
        image: reference::parse(&image).expect("ref"),
        message: String::new(),
        author: String::new(),
    };
    exec(&docker, commit).await.0.expect("commit");
    let image_id = docker
        .inspect_image(&image)
        .await
        .expect("image")
        .id
        .expect("id");
    let body = bollard::models::ContainerCreateBody {
        image: Some(image.clone()),
        cmd: Some(vec!["sleep".into(), "60".into()]),
        labels: Some([common::label_pair(test)].into()),
        ..Default::default()
    };
    let user = docker
        .create_container(
            None::<bollard::query_parameters::CreateContainerOptions>,
            body,
        )
        .await
        .expect("create")
        .id;
    docker.start_container(&user, None).await.expect("start");
    let remove = Op::RemoveImage {
        name: image.clone(),
        force: true,
    };
    let outcome = exec(&docker, remove).await.0.expect("force remove");
    assert_eq!(
        outcome,
        format!("Untagged {image}; the image stays ({image})")
    );
    assert!(
        docker.inspect_image(&image_id).await.is_ok(),
        "the image stays"
    );
    common::cleanup(&docker, test).await;
    let by_id = Op::RemoveImage {
        name: image_id,
        force: true,
    };
    exec(&docker, by_id).await.0.expect("remove by id");
}

#[tokio::test]
async fn prune_removes_only_what_matches() {
    let test = "prune";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let stopped = common::create(&docker, test, &common::unique("prune-a"), &["true"]).await;
    let keep = common::start(&docker, test, &common::unique("prune-b"), &["sleep", "60"]).await;
    let prune = Op::PruneContainers {
        label: Some(common::label_filter(test)),
    };
    let (r, _) = exec(&docker, prune).await;
    let outcome = r.expect("prune");
    assert!(
        outcome.starts_with("Removed 1 stopped container, reclaimed"),
        "{outcome}"
    );
    assert!(docker.inspect_container(&stopped, None).await.is_err());
    assert!(docker.inspect_container(&keep, None).await.is_ok());
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn prune_images_removes_only_dangling_labelled_ones() {
    use bollard::query_parameters::CommitContainerOptions;
    let test = "prune-images";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    // A layer of its own: the prune's answer then lists it beside the image (classic store),
    // or the image's blobs (containerd store); one image is still one image.
    let id = common::start(
        &docker,
        test,
        &common::unique(test),
        &["sh", "-c", "echo made > /made"],
    )
    .await;
    assert_eq!(common::exit_code(&docker, &id).await, Some(0));
    // A commit without a name is a dangling image; the label lets the prune pick only it.
    let options = CommitContainerOptions {
        container: Some(id.clone()),
        changes: Some(format!("LABEL {}", common::label_filter(test))),
        ..Default::default()
    };
    let image = docker
        .commit_container(options, bollard::models::ContainerConfig::default())
        .await
        .expect("commit")
        .id;
    let prune = Op::PruneImages {
        label: Some(common::label_filter(test)),
    };
    let (r, _) = exec(&docker, prune).await;
    let outcome = r.expect("prune");
    assert!(
        outcome.starts_with("Removed 1 dangling image, reclaimed"),
        "{outcome}"
    );
    assert!(
        docker.inspect_image(&image).await.is_err(),
        "the dangling image is gone"
    );
    assert!(
        docker.inspect_image(common::IMAGE).await.is_ok(),
        "named images stay"
    );
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn a_container_that_cannot_start_is_kept_and_said_so() {
    let test = "run-no-start";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let fields = RunFields {
        image: common::IMAGE.into(),
        name: name.clone(),
        command: "/no/such/program".into(),
        labels: common::label_filter(test),
        ..Default::default()
    };
    let (r, _) = exec(&docker, Op::Run(Box::new(fields.parse().expect("valid")))).await;
    let error = r.expect_err("cannot start");
    assert!(
        error
            .message
            .starts_with(&format!("Created {name} but could not start it:")),
        "{}",
        error.message
    );
    assert!(
        docker.inspect_container(&name, None).await.is_ok(),
        "the container stays"
    );
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn pulling_from_a_registry_that_is_not_there_says_so() {
    let docker = common::docker().await;
    let op = Op::Pull(reference::parse("127.0.0.1:1/nothing:1").expect("ref"));
    let (result, _) = exec(&docker, op).await;
    let error = result.expect_err("nothing listens on port 1");
    assert!(
        error.message.contains("connection refused"),
        "{}",
        error.message
    );
    assert_eq!(
        error.hint,
        Some("The registry does not answer: check its address and that it runs.")
    );
}
