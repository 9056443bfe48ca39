//! Helpers shared by the tests that run against the real engine started by tests/engine.sh.
#![allow(dead_code)] // each test binary uses its own subset

pub mod compose;
pub mod fake_daemon;
pub mod fleet;
pub mod layers;
pub mod procfs;
pub mod screen;
pub mod soak;
pub mod swarm;

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{
    CreateContainerOptions, ListContainersOptions, RemoveContainerOptions,
};

/// The busybox image tests/engine.sh seeds.
pub const IMAGE: &str = "dockpit-test/busybox:1";
/// Every object a test creates carries this label, its value the test's name and the run's
/// ([`label`]): suites that share an engine each see and remove only their own.
pub const LABEL: &str = "dockpit.test";

/// `image` tagged `repo:tag`.
pub async fn tag(docker: &Docker, image: &str, repo: &str, tag: &str) {
    let options = bollard::query_parameters::TagImageOptionsBuilder::new()
        .repo(repo)
        .tag(tag)
        .build();
    docker
        .tag_image(image, Some(options))
        .await
        .expect("tag the image");
}

/// `repo:tag` pushed to its registry (the local one takes no credentials); a step that
/// fails fails the test.
pub async fn push(docker: &Docker, repo: &str, tag: &str) {
    use futures::StreamExt;
    let options = bollard::query_parameters::PushImageOptionsBuilder::new()
        .tag(tag)
        .build();
    let credentials = Some(bollard::auth::DockerCredentials::default());
    let mut pushed = docker.push_image(repo, Some(options), credentials);
    while let Some(step) = pushed.next().await {
        let step = step.expect("the push");
        assert!(step.error_detail.is_none(), "push: {step:?}");
    }
}

/// A new image under `repo:1` in the registry, made from `container` with `change`; the
/// local tag back on `old`. Returns the new image's id.
pub async fn push_newer(
    docker: &Docker,
    container: &str,
    repo: &str,
    change: &str,
    old: &str,
) -> String {
    let commit = bollard::query_parameters::CommitContainerOptions {
        container: Some(container.into()),
        repo: Some(repo.into()),
        tag: Some("1".into()),
        changes: Some(change.into()),
        ..Default::default()
    };
    let config = bollard::models::ContainerConfig::default();
    let new = (docker.commit_container(commit, config).await)
        .expect("commit")
        .id;
    push(docker, repo, "1").await;
    tag(docker, old, repo, "1").await;
    new
}

/// This run of a test binary: its process id, which no concurrent run shares.
pub fn run() -> u32 {
    std::process::id()
}

/// The value of [`LABEL`] for `test` in this run: `test@run`.
pub fn label(test: &str) -> String {
    format!("{test}@{}", run())
}

/// `LABEL=value`, as filters, prunes and the forms' label fields take it.
pub fn label_filter(test: &str) -> String {
    format!("{LABEL}={}", label(test))
}

/// The label as a (key, value) pair, for a create body's labels.
pub fn label_pair(test: &str) -> (String, String) {
    (LABEL.to_string(), label(test))
}

/// Starts dockpit's Docker task on `endpoint` (a full listing every `interval` when events
/// lag) and returns its events and the sender of its commands.
pub fn spawn_worker(
    endpoint: dockpit::docker::Endpoint,
    interval: std::time::Duration,
) -> (
    tokio::sync::mpsc::UnboundedReceiver<dockpit::docker::DockerEvent>,
    tokio::sync::mpsc::UnboundedSender<dockpit::docker::Command>,
) {
    let (event_tx, event_rx) = tokio::sync::mpsc::unbounded_channel();
    let (command_tx, command_rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(
        dockpit::docker::worker::Worker {
            endpoint,
            interval,
            events: event_tx,
            commands: command_rx,
        }
        .run(),
    );
    (event_rx, command_tx)
}

/// The test engine. A test that cannot reach it fails: it never passes quietly.
pub async fn docker() -> Docker {
    let host = std::env::var("DOCKER_HOST").unwrap_or_default();
    assert!(
        host.starts_with("unix://") || host.starts_with("tcp://"),
        "DOCKER_HOST is not set: run the suite with tests/run.sh, which starts the test engine"
    );
    let docker = Docker::connect_with_defaults()
        .unwrap_or_else(|e| panic!("cannot connect to the test engine at {host}: {e}"));
    let docker = docker
        .negotiate_version()
        .await
        .unwrap_or_else(|e| panic!("the test engine at {host} does not answer: {e}"));
    docker.ping().await.expect("ping the test engine");
    docker
}

/// The folder of the engine at DOCKER_HOST (its socket's folder, where tests/engine.sh keeps
/// its pidfile): what a test that stops the daemon stops is the daemon it talks to.
pub fn engine_dir() -> String {
    let host = std::env::var("DOCKER_HOST").unwrap_or_default();
    let socket = host
        .strip_prefix("unix://")
        .unwrap_or_else(|| panic!("DOCKER_HOST={host:?} is not a tests/engine.sh socket"));
    let dir = std::path::Path::new(socket)
        .parent()
        .unwrap_or_else(|| panic!("{socket} has no folder"));
    dir.to_string_lossy().into_owned()
}

/// Whether the engine keeps images in containerd (Engine 26 here; new installs) rather than
/// in the classic store (Engine 20.10 here): image ids are then manifest or index digests,
/// pulls report other per-layer statuses, and the daemon's messages differ.
pub async fn containerd_store(docker: &Docker) -> bool {
    let info = docker.info().await.expect("the engine's info");
    info.driver_status.unwrap_or_default().iter().any(|pair| {
        pair.len() == 2
            && pair[0] == "driver-type"
            && pair[1].starts_with("io.containerd.snapshotter")
    })
}

/// What tests/engine.sh seeds in the registry, and what its manifests are accepted as.
pub const REGISTRY: &str = "127.0.0.1:5000";
const ACCEPT: &str = "application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json";

/// A document from the test registry, fetched with curl (not dockpit's registry client).
pub fn registry_json(path: &str) -> serde_json::Value {
    let out = std::process::Command::new("curl")
        .args([
            "-sf",
            "-H",
            &format!("Accept: {ACCEPT}"),
            &format!("http://{REGISTRY}{path}"),
        ])
        .output()
        .expect("curl");
    assert!(out.status.success(), "GET {path} failed");
    serde_json::from_slice(&out.stdout).expect("JSON from the registry")
}

/// The digest the test registry answers for a manifest or index (Docker-Content-Digest).
pub fn registry_digest(path: &str) -> String {
    let out = std::process::Command::new("curl")
        .args([
            "-sfI",
            "-H",
            &format!("Accept: {ACCEPT}"),
            &format!("http://{REGISTRY}{path}"),
        ])
        .output()
        .expect("curl");
    assert!(out.status.success(), "HEAD {path} failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("docker-content-digest")
                .then(|| value.trim().to_string())
        })
        .unwrap_or_else(|| panic!("HEAD {path}: no Docker-Content-Digest"))
}

/// This machine's platform as image indexes name it ("linux/amd64").
pub fn host_platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("linux/{arch}")
}

/// The Engine API version the daemon speaks, as (major, minor): 1.41 for Engine 20.10, 1.45
/// for Engine 26.1.
pub async fn api_version(docker: &Docker) -> (u32, u32) {
    let version = docker.version().await.expect("the engine's version");
    let api = version.api_version.unwrap_or_default();
    let (major, minor) = api.split_once('.').unwrap_or(("0", "0"));
    (major.parse().unwrap_or(0), minor.parse().unwrap_or(0))
}

/// Removes every container this run labelled for `test`, and any container a run that has
/// ended left (a failed run's); never one of a run still going.
pub async fn cleanup(docker: &Docker, test: &str) {
    let ours = labelled(docker, &label_filter(test)).await;
    let stale = labelled(docker, LABEL).await.into_iter().filter(|c| {
        let value = c.labels.as_ref().and_then(|l| l.get(LABEL));
        value
            .and_then(|v| v.rsplit_once('@'))
            .and_then(|(_, pid)| pid.parse::<u32>().ok())
            .is_some_and(|pid| {
                pid != run() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
            })
    });
    let list: Vec<_> = ours.into_iter().chain(stale).collect();
    // A few at a time: the perf example leaves a thousand.
    for chunk in list.chunks(20) {
        futures::future::join_all(
            chunk
                .iter()
                .map(|c| remove(docker, c.id.as_deref().unwrap_or_default())),
        )
        .await;
    }
}

/// The containers (all states) `test` made and labelled.
pub async fn ours(docker: &Docker, test: &str) -> Vec<bollard::models::ContainerSummary> {
    labelled(docker, &label_filter(test)).await
}

/// The containers (all states) whose labels match `filter` (`KEY` or `KEY=VALUE`).
async fn labelled(docker: &Docker, filter: &str) -> Vec<bollard::models::ContainerSummary> {
    let filters: HashMap<String, Vec<String>> =
        [("label".to_string(), vec![filter.to_string()])].into();
    docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(filters),
            ..Default::default()
        }))
        .await
        .expect("list labelled containers")
}

/// Removes a container by id or name, running or not; one already gone is fine.
pub async fn remove(docker: &Docker, container: &str) {
    let options = RemoveContainerOptions {
        force: true,
        ..Default::default()
    };
    let _ = docker.remove_container(container, Some(options)).await;
}

/// Creates a container named `name` from `body`; returns its id.
pub async fn create_named(docker: &Docker, name: &str, body: ContainerCreateBody) -> String {
    let options = CreateContainerOptions {
        name: Some(name.into()),
        ..Default::default()
    };
    docker
        .create_container(Some(options), body)
        .await
        .expect("create a test container")
        .id
}

/// Creates a labelled container running `cmd` on the test image; returns its id.
pub async fn create(docker: &Docker, test: &str, name: &str, cmd: &[&str]) -> String {
    let body = ContainerCreateBody {
        image: Some(IMAGE.into()),
        cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
        labels: Some([label_pair(test)].into()),
        ..Default::default()
    };
    create_named(docker, name, body).await
}

static LAYERED: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Held while a test pulls or removes `127.0.0.1:5000/layered:1`.
pub struct LayeredGuard {
    _here: tokio::sync::MutexGuard<'static, ()>,
    _machine: std::fs::File,
}

/// Tests that pull or remove `127.0.0.1:5000/layered:1` hold this, so one does not remove
/// the image another just pulled: in this binary, and in any other suite on this machine
/// (a file lock; the engines are shared).
pub async fn layered_image() -> LayeredGuard {
    let here = LAYERED.lock().await;
    let machine = tokio::task::spawn_blocking(|| {
        let file = std::fs::File::create(std::env::temp_dir().join("dockpit-test-layered.lock"))
            .expect("the layered image's lock file");
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
            .expect("lock the layered image");
        file
    })
    .await
    .expect("the lock's task");
    LayeredGuard {
        _here: here,
        _machine: machine,
    }
}

/// Creates and starts a labelled container running `cmd`; returns its id.
pub async fn start(docker: &Docker, test: &str, name: &str, cmd: &[&str]) -> String {
    let id = create(docker, test, name, cmd).await;
    docker.start_container(&id, None).await.expect("start");
    id
}

/// Waits (up to 5 s) for a container to stop running; returns its exit code.
pub async fn exit_code(docker: &Docker, id: &str) -> Option<i64> {
    for _ in 0..100 {
        let inspect = docker.inspect_container(id, None).await.expect("inspect");
        let state = inspect.state.unwrap_or_default();
        if state.running != Some(true) {
            return state.exit_code;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    None
}

/// A port on 127.0.0.1 nothing listens on now, for a test that publishes one: the engines
/// share this machine's ports, so a fixed one fails when two suites run at once.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

/// Waits, at most 20 s, until the container has printed `text` `times` times (a script's
/// traps are set; a restarted one runs again).
pub async fn wait_for_output(docker: &Docker, id: &str, text: &str, times: usize) {
    use futures::StreamExt;
    let options = bollard::query_parameters::LogsOptions {
        stdout: true,
        stderr: true,
        ..Default::default()
    };
    for _ in 0..200 {
        let mut out = String::new();
        let mut logs = docker.logs(id, Some(options.clone()));
        while let Some(Ok(chunk)) = logs.next().await {
            out.push_str(&chunk.to_string());
        }
        if out.matches(text).count() >= times {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{id} did not print {text:?} {times} times within 20 s");
}

/// Creates and starts a labelled container running `cmd` with its port 80 published on a
/// free port of 127.0.0.1; returns its id.
pub async fn start_publishing_80(
    docker: &Docker,
    test: &str,
    name: &str,
    cmd: Vec<String>,
) -> String {
    let binding = bollard::models::PortBinding {
        host_ip: Some("127.0.0.1".into()),
        host_port: Some(String::new()),
    };
    let body = ContainerCreateBody {
        image: Some(IMAGE.into()),
        cmd: Some(cmd),
        labels: Some([label_pair(test)].into()),
        exposed_ports: Some(vec!["80/tcp".into()]),
        host_config: Some(bollard::models::HostConfig {
            port_bindings: Some(HashMap::from([("80/tcp".into(), Some(vec![binding]))])),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = create_named(docker, name, body).await;
    docker.start_container(&id, None).await.expect("start");
    id
}

/// A name no other test (or earlier run) uses.
pub fn unique(name: &str) -> String {
    format!("dockpit-{name}-{}", std::process::id())
}

/// Creates and starts a labelled container with a tty and open stdin (as `docker run -dit`),
/// running `cmd`; returns its id.
pub async fn start_tty(docker: &Docker, test: &str, name: &str, cmd: &[&str]) -> String {
    let body = ContainerCreateBody {
        image: Some(IMAGE.into()),
        cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
        labels: Some([label_pair(test)].into()),
        tty: Some(true),
        open_stdin: Some(true),
        ..Default::default()
    };
    let id = create_named(docker, name, body).await;
    docker.start_container(&id, None).await.expect("start");
    id
}

/// Removes the image tags earlier runs left (they failed before removing their own): `pid`
/// reads a run's process id from a tag of its; a run whose process is gone is dead.
pub async fn remove_dead_runs_tags(docker: &Docker, pid: impl Fn(&str) -> Option<u32>) {
    let images = docker
        .list_images(None::<bollard::query_parameters::ListImagesOptions>)
        .await
        .expect("list images");
    for tag in images.iter().flat_map(|i| i.repo_tags.iter()) {
        if let Some(pid) = pid(tag)
            && pid != run()
            && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = docker
                .remove_image(
                    tag,
                    None::<bollard::query_parameters::RemoveImageOptions>,
                    None,
                )
                .await;
        }
    }
}
