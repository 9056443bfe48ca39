//! Everything that talks to the Docker Engine API. It runs in tokio tasks and reports to the
//! app only through [`DockerEvent`]s; the app asks for work only through [`Command`]s.

pub mod actions;
pub mod attach;
pub mod auth;
pub mod away;
pub mod build;
pub mod compose;
pub mod compose_file;
pub mod connect;
pub mod convert;
pub mod daemon_cpu;
pub mod disk;
pub mod endpoint;
pub mod explore;
pub mod files;
pub mod fleet;
pub mod health;
pub mod host;
pub mod inspect;
pub mod layers;
pub mod listing;
pub mod local;
pub mod logs;
pub mod networks;
pub mod raw;
pub mod registry;
pub mod ssh;
pub mod stats;
pub mod status;
pub mod swarm;
pub mod swarm_tasks;
pub mod updates;
pub mod volumes;
pub mod worker;

pub use actions::{Op, OpError, OpId, Progress, Target};
pub use connect::{ConnectError, ConnectErrorKind};
pub use endpoint::{Endpoint, EndpointSource};

/// Which of the live Docker hosts something is on: an index into the app's hosts, fixed
/// for the life of the host (a removed host's number is not given again).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostId(pub u16);

/// One row of `docker image ls`: an image under one of its names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRow {
    /// Stamped by the app as the host's rows arrive.
    pub host: HostId,
    /// Unique per row (an image with two tags has two rows): `id` + name.
    pub key: String,
    pub id: String,
    /// `None` for an untagged image (`<none>` on screen).
    pub repository: Option<String>,
    /// `None` when untagged, or pulled by digest only.
    pub tag: Option<String>,
    pub size: i64,
    /// Unix seconds.
    pub created: i64,
    /// Its repository has a digest among the image's `RepoDigests`: a copy of it is in a
    /// registry (it was pulled or pushed under that name). `false`: built or tagged here.
    pub registry_copy: bool,
}

impl ImageRow {
    /// `repository:tag`, when the row has both; a bare repository would mean `:latest`,
    /// another image.
    pub fn name(&self) -> Option<String> {
        Some(format!(
            "{}:{}",
            self.repository.as_ref()?,
            self.tag.as_ref()?
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContainerState {
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
    /// The daemon named none.
    Unknown,
    /// One this version does not know (a newer engine's, Podman's), shown as it came.
    Other(StateName),
}

/// A container state as the daemon named it, kept inline (cut at 23 bytes) so a state stays
/// `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StateName {
    len: u8,
    bytes: [u8; 23],
}

impl StateName {
    pub fn new(name: &str) -> Self {
        let mut len = name.len().min(23);
        while !name.is_char_boundary(len) {
            len -= 1;
        }
        let mut bytes = [0; 23];
        bytes[..len].copy_from_slice(&name.as_bytes()[..len]);
        Self {
            len: len as u8,
            bytes,
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl ContainerState {
    /// Running as the daemon's conflict checks count it: paused and restarting too.
    pub fn is_running(self) -> bool {
        matches!(self, Self::Running | Self::Paused | Self::Restarting)
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Created => "created",
            Self::Running => "running",
            Self::Paused => "paused",
            Self::Restarting => "restarting",
            Self::Removing => "removing",
            Self::Exited => "exited",
            Self::Dead => "dead",
            Self::Unknown => "unknown",
            Self::Other(name) => name.as_str(),
        }
    }
}

/// A container's full id, as the daemon gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ContainerId(pub String);

impl ContainerId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ContainerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Calls that take an id as text (the Engine API's) take a `&ContainerId` as it is.
impl std::ops::Deref for ContainerId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<&str> for ContainerId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl std::borrow::Borrow<str> for ContainerId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ContainerId {
    fn from(id: &str) -> Self {
        Self(id.to_string())
    }
}

impl From<String> for ContainerId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

/// One row of `docker container ls -a`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerRow {
    /// Stamped by the app as the host's rows arrive.
    pub host: HostId,
    pub id: ContainerId,
    pub name: String,
    pub image: String,
    pub image_id: String,
    pub state: ContainerState,
    /// As the daemon wrote it, or as it would now (see `aging`).
    pub status: String,
    pub ports: String,
    pub created: i64,
    /// How `status` grows older between listings; `None` when it does not ("Created").
    pub aging: Option<status::Aging>,
    /// Its Compose project, from its labels.
    pub compose: Option<std::sync::Arc<compose::Compose>>,
}

impl ContainerRow {
    /// The status at `now` (unix seconds): whether it changed.
    pub fn age(&mut self, now: i64) -> bool {
        let Some(text) = self.aging.as_ref().map(|a| a.text(now)) else {
            return false;
        };
        let changed = text != self.status;
        if changed {
            self.status = text;
        }
        changed
    }

    /// A fresh listing of the same container keeps what an earlier one knew of its status's
    /// instant.
    pub fn keep_anchor(&mut self, earlier: &ContainerRow) {
        if let (Some(fresh), Some(old)) = (self.aging.as_mut(), earlier.aging.as_ref()) {
            fresh.narrow(old);
        }
    }
}

impl From<&ContainerRow> for Target {
    fn from(c: &ContainerRow) -> Self {
        Target {
            id: c.id.clone(),
            name: c.name.clone(),
        }
    }
}

/// What the daemon told us about itself, for the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineInfo {
    pub endpoint: Endpoint,
    pub version: String,
    pub api_version: String,
    pub os_arch: String,
}

/// One message of the daemon's events stream (`docker system events`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineEvent {
    /// Unix nanoseconds.
    pub time: i64,
    pub kind: EventKind,
    pub action: String,
    pub actor_id: String,
    /// The actor's attributes (name, image, exit code, …), sorted by key.
    pub attributes: Vec<(String, String)>,
}

/// What an event is about, as the daemon's `Type` names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventKind {
    Container,
    Image,
    Network,
    Volume,
    Daemon,
    Plugin,
    Service,
    Node,
    Secret,
    Config,
    /// A type this version of dockpit does not know, as the daemon wrote it.
    Other(String),
}

impl EventKind {
    pub fn parse(text: &str) -> Self {
        match text {
            "container" => Self::Container,
            "image" => Self::Image,
            "network" => Self::Network,
            "volume" => Self::Volume,
            "daemon" => Self::Daemon,
            "plugin" => Self::Plugin,
            "service" => Self::Service,
            "node" => Self::Node,
            "secret" => Self::Secret,
            "config" => Self::Config,
            other => Self::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Container => "container",
            Self::Image => "image",
            Self::Network => "network",
            Self::Volume => "volume",
            Self::Daemon => "daemon",
            Self::Plugin => "plugin",
            Self::Service => "service",
            Self::Node => "node",
            Self::Secret => "secret",
            Self::Config => "config",
            Self::Other(other) => other,
        }
    }
}

impl EngineEvent {
    /// An attribute's value ("" when the daemon did not send it).
    pub fn attribute(&self, name: &str) -> &str {
        (self.attributes.iter())
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The actor's name when it has one, else its short id.
    pub fn actor(&self) -> &str {
        self.attributes
            .iter()
            .find(|(k, _)| k == "name")
            .map_or_else(
                || crate::format::short_id(&self.actor_id),
                |(_, v)| v.as_str(),
            )
    }
}

/// Ties a view's request (logs, stats, inspect, structure) to the answers that follow, so
/// answers for a closed view are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct StreamId(pub u64);

impl StreamId {
    /// An id never handed out before in this process: a view's request, or an inspect
    /// opened over a list, each has its own (no id is made from another's bits).
    pub fn fresh() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        StreamId(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl std::fmt::Display for StreamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "stream {}", self.0)
    }
}

/// Reports from the Docker tasks to the app.
#[derive(Debug, Clone, PartialEq)]
pub enum DockerEvent {
    Connecting(Endpoint),
    Connected(EngineInfo),
    /// The daemon could not be reached, or the connection was lost; the worker tries again
    /// after the wait given (see `worker::retry_after`).
    Disconnected(ConnectError, std::time::Duration),
    /// A full, fresh listing of images and containers.
    Snapshot {
        images: Vec<ImageRow>,
        containers: Vec<ContainerRow>,
    },
    /// The newest containers, listed first at start so the first frame need not wait for
    /// thousands: rows to add, never a reason to drop one (the full listing follows).
    FirstRows(Vec<ContainerRow>),
    /// The containers events named, listed again: their rows, and those removed.
    ContainersChanged {
        changed: Vec<ContainerRow>,
        removed: Vec<ContainerId>,
    },
    /// A fresh listing of the images alone (after image events).
    Images(Vec<ImageRow>),
    Engine(EngineEvent),
    OpProgress {
        id: OpId,
        progress: Progress,
    },
    OpDone {
        id: OpId,
        result: Result<String, OpError>,
        elapsed: std::time::Duration,
    },
    /// A `run -it` container was created; the app attaches to it, which starts it.
    RunCreated {
        container: Target,
    },
    SessionOpened {
        id: attach::SessionId,
        interactive: bool,
    },
    SessionOutput {
        id: attach::SessionId,
        bytes: Vec<u8>,
    },
    SessionEnded {
        id: attach::SessionId,
        reason: String,
    },
    LogLines {
        id: StreamId,
        lines: Vec<logs::LogLine>,
    },
    /// A followed stream (logs, stats) ended.
    StreamEnded {
        id: StreamId,
        reason: String,
    },
    Stats {
        id: StreamId,
        sample: stats::Sample,
    },
    /// Readings of the containers in view, for the CPU and MEM columns.
    Usage(Vec<(ContainerId, stats::Reading)>),
    /// A batch of the top view's readings (answers [`Command::ReadTop`]): those that
    /// answered, how many were asked for, how long the batch took and, for a local daemon,
    /// the CPU its processes spent meanwhile (milliseconds).
    TopReadings {
        id: StreamId,
        readings: Vec<(ContainerId, stats::Reading)>,
        asked: usize,
        elapsed_ms: u64,
        daemon_ms: Option<u64>,
    },
    Explored {
        id: StreamId,
        result: Result<explore::Tree, OpError>,
    },
    Inspected {
        id: StreamId,
        result: Result<inspect::Inspection, OpError>,
    },
    /// An image's default command, for the run form's `-it` default.
    /// The daemon's networks, by name.
    Networks(Vec<String>),
    /// A detached run started this container (the app selects it).
    RunStarted {
        container: Target,
    },
    ImageCommand {
        image: String,
        command: Vec<String>,
    },
    /// What a volumes, networks or disk usage view asked for.
    Host {
        id: StreamId,
        result: Result<host::HostAnswer, OpError>,
    },
    /// Containers' `RestartCount`s (answers [`Command::RestartCounts`]).
    RestartCounts(Vec<(ContainerId, i64)>),
    /// A stream of the host's went over a cap (a broken or hostile daemon) and was dropped:
    /// what, and why.
    Dropped(String),
    /// The host's part in a Swarm (`None`: in none), read after connecting and with each
    /// resync.
    Swarm(Option<swarm::Membership>),
    /// What the files view asked for (answers [`Command::Files`]).
    Files {
        id: StreamId,
        answer: files::Answer,
    },
    /// What the layers view hears (answers [`Command::Layers`]).
    Layers {
        id: StreamId,
        answer: layers::feed::Answer,
    },
    /// One image's update check (answers [`Command::CheckUpdates`], one event per image).
    UpdateChecked(updates::Checked),
    /// The events asked by [`Command::PastEvents`], oldest first, or why not.
    PastEvents {
        since: i64,
        result: Result<Vec<EngineEvent>, String>,
    },
    /// Run `op` created `container` (before starting it): the app credits the container's
    /// create and start to the run.
    RunContainer {
        op: OpId,
        container: ContainerId,
    },
    /// A Swarm manager's tasks (answers [`Command::SwarmTasks`]), or why not.
    SwarmTasks(Result<Vec<swarm_tasks::TaskLook>, OpError>),
}

/// Requests from the app to the Docker tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// List again now (after the user asks, or after a reconnect).
    Refresh,
    /// Run an action in the background; its id ties progress and outcome back to it.
    Op {
        id: OpId,
        op: Op,
    },
    /// Stop a running action (a pull) by dropping its request.
    Cancel(OpId),
    /// Look up an image's default command (answers [`DockerEvent::ImageCommand`]).
    ImageCommand(String),
    /// List the daemon's networks, for the run form (answers [`DockerEvent::Networks`]).
    ListNetworks,
    OpenSession(attach::SessionRequest),
    SessionInput {
        id: attach::SessionId,
        bytes: Vec<u8>,
    },
    SessionResize {
        id: attach::SessionId,
        rows: u16,
        cols: u16,
    },
    CloseSession(attach::SessionId),
    FollowLogs {
        id: StreamId,
        container: ContainerId,
        tail: usize,
        /// Only output from this instant on (unix seconds, with nanoseconds: `docker logs
        /// --since`): a restarted container's next run, without the lines already shown.
        since: Option<String>,
        /// Up to this instant (as `since`): read once, not followed (a timeline's moment).
        until: Option<String>,
    },
    /// A Swarm task's logs, through a manager (the task may run on any node).
    FollowTaskLogs {
        id: StreamId,
        task: String,
        tail: usize,
    },
    FollowStats {
        id: StreamId,
        container: ContainerId,
    },
    /// The running containers in view, whose CPU and memory the list shows.
    WatchUsage(Vec<ContainerId>),
    /// One-shot readings of these containers of `host`, sent at once (the top view's
    /// schedule paces them; answers [`DockerEvent::TopReadings`]).
    ReadTop {
        id: StreamId,
        host: HostId,
        ids: Vec<ContainerId>,
    },
    /// The events of `host` since `since` (Unix nanoseconds) until now, read once (answers
    /// [`DockerEvent::PastEvents`]).
    PastEvents {
        host: HostId,
        since: i64,
    },
    /// The Swarm manager `host`'s tasks, for the alerts (answers [`DockerEvent::SwarmTasks`]).
    SwarmTasks {
        host: HostId,
    },
    /// Stop a followed stream (logs, stats).
    StopStream(StreamId),
    Inspect {
        id: StreamId,
        target: inspect::InspectTarget,
    },
    /// Read volumes, networks or disk usage for a view (answers [`DockerEvent::Host`]), of
    /// the host it names (a list of every host asks each).
    Host {
        id: StreamId,
        host: HostId,
        query: host::HostQuery,
    },
    /// Read these containers' restart counts (answers [`DockerEvent::RestartCounts`]).
    RestartCounts(Vec<ContainerId>),
    /// A container's folder listed, or a download's destination looked at (answers
    /// [`DockerEvent::Files`]); a listing stops with [`Command::StopStream`].
    Files {
        id: StreamId,
        request: files::Request,
    },
    /// Build an image's index → manifests → config/layers tree.
    Explore {
        id: StreamId,
        reference: crate::reference::Reference,
    },
    /// Read an image's layers for the layers view (answers [`DockerEvent::Layers`]), on the
    /// host it names; stopped with [`Command::StopStream`].
    Layers {
        id: StreamId,
        host: HostId,
        source: layers::feed::Source,
    },
    /// Ask the registries whether these images of `host` have a newer digest (answers
    /// [`DockerEvent::UpdateChecked`] for each).
    CheckUpdates {
        host: HostId,
        targets: Vec<updates::Target>,
    },
}
