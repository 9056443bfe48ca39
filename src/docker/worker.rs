//! The Docker task: connects (and reconnects), lists images and containers on an interval,
//! and follows the daemon's events stream so changes show without waiting for the poll.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use bollard::Docker;
use bollard::query_parameters::{EventsOptions, ListContainersOptions, ListImagesOptions};
use futures::StreamExt;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::task::AbortHandle;
use tokio::time::{Instant, MissedTickBehavior, sleep, sleep_until};

use super::actions::{self, OpError, OpId};
use super::attach::{self, Control};
use super::{
    Command, ConnectError, ConnectErrorKind, ContainerRow, DockerEvent, Endpoint, EventKind,
    ImageRow, StreamId, connect, convert,
};

/// How long to gather a burst of daemon events into one refresh.
const COALESCE: Duration = Duration::from_millis(15);
/// How often the CPU and MEM columns are read (one-shot stats for the rows in view).
const USAGE_EVERY: Duration = Duration::from_secs(5);
/// When to list once more after the last event of a burst.
const SETTLE: Duration = Duration::from_millis(250);
/// A listing may take at most this share (1/N) of the time between polls: a daemon that lists
/// slowly is polled less often, and events keep the screen live. Engine 26 with the
/// containerd image store asks containerd about each listed container's image (~1.7 ms a
/// container on the CI machine: 0.5 s for 300); Engine 20.10 lists 1,000 in well under 0.1 s.
const LISTING_SHARE: u32 = 20;
/// How long to wait before trying an unreachable daemon again.
pub const RETRY: Duration = Duration::from_secs(1);

pub struct Worker {
    pub endpoint: Endpoint,
    pub interval: Duration,
    pub events: UnboundedSender<DockerEvent>,
    pub commands: UnboundedReceiver<Command>,
}

/// Background work the worker keeps handles to.
#[derive(Default)]
struct Tasks {
    /// Actions in flight, so a pull can be cancelled.
    running: HashMap<OpId, AbortHandle>,
    sessions: attach::Sessions,
    /// Followed streams (logs, stats), so closing a view stops its stream.
    streams: HashMap<StreamId, AbortHandle>,
    /// The containers whose usage the list shows, and the reading in flight if any.
    usage: Vec<super::ContainerId>,
    reading: Option<AbortHandle>,
}

/// Why a connected session ended.
enum End {
    Lost(ConnectError),
    /// The app is gone: stop quietly.
    Shutdown,
}

impl Worker {
    pub async fn run(mut self) {
        let mut tasks = Tasks::default();
        // The same failure every second while the daemon is down is logged once (and at
        // the 10th, 100th… time), not once a second.
        let mut unavailable = crate::logging::Repeats::default();
        loop {
            if self
                .events
                .send(DockerEvent::Connecting(self.endpoint.clone()))
                .is_err()
            {
                return;
            }
            let error = match connect::connect(&self.endpoint).await {
                Ok((docker, info)) => {
                    let failed = unavailable.clear();
                    tracing::info!(version = %info.version, api = %info.api_version, failed, "connected");
                    if self.events.send(DockerEvent::Connected(info)).is_err() {
                        return;
                    }
                    match self.session(&docker, &mut tasks).await {
                        End::Lost(e) => e,
                        End::Shutdown => return,
                    }
                }
                Err(e) => e,
            };
            if let Some(line) = unavailable.note(&error.to_string()) {
                tracing::warn!("docker unavailable: {line}");
            }
            if self.events.send(DockerEvent::Disconnected(error)).is_err() {
                return;
            }
            // Wait to retry; a refresh (the user pressing "retry") retries at once.
            let retry = sleep(RETRY);
            tokio::pin!(retry);
            loop {
                tokio::select! {
                    _ = &mut retry => break,
                    cmd = self.commands.recv() => match cmd {
                        None => return,
                        Some(Command::Refresh) => break,
                        Some(cmd) => self.refuse(cmd, &mut tasks),
                    },
                }
            }
        }
    }

    /// Without a daemon an action cannot run: say so rather than queue it.
    fn refuse(&self, cmd: Command, tasks: &mut Tasks) {
        let why = format!("not connected to Docker at {}", self.endpoint.label());
        let answer = match cmd {
            Command::Refresh
            | Command::ImageCommand(_)
            | Command::ListNetworks
            | Command::RestartCounts(_) => return,
            Command::FollowLogs { id, .. } | Command::FollowStats { id, .. } => {
                DockerEvent::StreamEnded { id, reason: why }
            }
            Command::OpenSession(request) => DockerEvent::SessionEnded {
                id: request.id,
                reason: why,
            },
            Command::Explore { id, .. } => DockerEvent::Explored {
                id,
                result: Err(OpError::new(why)),
            },
            Command::Host { id, .. } => DockerEvent::Host {
                id,
                result: Err(OpError::new(why)),
            },
            Command::Inspect { id, .. } => DockerEvent::Inspected {
                id,
                result: Err(OpError::new(why)),
            },
            Command::Op { id, .. } => DockerEvent::OpDone {
                id,
                result: Err(OpError {
                    message: why,
                    hint: Some(
                        "dockpit reconnects by itself; try again when the header shows the engine.",
                    ),
                }),
                elapsed: Duration::ZERO,
            },
            // Commands that only tidy up what runs here still apply.
            control => return self.control(control, tasks),
        };
        let _ = self.events.send(answer);
    }

    /// Commands about what already runs here: they need no daemon.
    fn control(&self, cmd: Command, tasks: &mut Tasks) {
        match cmd {
            Command::Cancel(id) => {
                // A finished action keeps its outcome; only a running one is cancelled.
                if let Some(handle) = tasks.running.remove(&id)
                    && !handle.is_finished()
                {
                    handle.abort();
                    let _ = self.events.send(DockerEvent::OpDone {
                        id,
                        result: Err(OpError::new("cancelled")),
                        elapsed: Duration::ZERO,
                    });
                }
            }
            Command::CloseSession(id) => {
                tasks.sessions.remove(&id);
            }
            Command::StopStream(id) => {
                if let Some(handle) = tasks.streams.remove(&id) {
                    handle.abort();
                }
            }
            Command::WatchUsage(ids) => tasks.usage = ids,
            Command::SessionInput { id, bytes } => {
                if let Some(session) = tasks.sessions.get(&id) {
                    let _ = session.send(Control::Input(bytes));
                }
            }
            Command::SessionResize { id, rows, cols } => {
                if let Some(session) = tasks.sessions.get(&id) {
                    let _ = session.send(Control::Resize { rows, cols });
                }
            }
            _ => {}
        }
    }

    /// Starts an action or lookup in its own task; answers true for a refresh.
    fn handle(&self, docker: &Docker, tasks: &mut Tasks, cmd: Command) -> bool {
        match cmd {
            Command::Refresh => return true,
            Command::Op { id, op } => {
                let (docker, events) = (docker.clone(), self.events.clone());
                let task = async move {
                    let started = Instant::now();
                    tracing::info!(cli = %op.log_line(), "action");
                    let result = actions::execute(&docker, id, &op, &events).await;
                    let elapsed = started.elapsed();
                    let _ = events.send(DockerEvent::OpDone {
                        id,
                        result,
                        elapsed,
                    });
                };
                track(&mut tasks.running, id, task);
            }
            Command::Cancel(_)
            | Command::CloseSession(_)
            | Command::StopStream(_)
            | Command::WatchUsage(_)
            | Command::SessionInput { .. }
            | Command::SessionResize { .. } => self.control(cmd, tasks),
            Command::OpenSession(request) => {
                attach::spawn(docker, request, &self.events, &mut tasks.sessions);
            }
            Command::FollowLogs {
                id,
                container,
                tail,
            } => {
                let task =
                    super::logs::follow(docker.clone(), id, container, tail, self.events.clone());
                track(&mut tasks.streams, id, task);
            }
            Command::FollowStats { id, container } => {
                let task = super::stats::follow(docker.clone(), id, container, self.events.clone());
                track(&mut tasks.streams, id, task);
            }
            // Tracked like a stream: closing the view (StopStream) stops its requests.
            Command::Explore { id, reference } => {
                let (docker, events) = (docker.clone(), self.events.clone());
                let task = async move {
                    let result = super::explore::explore(&docker, &reference).await;
                    let _ = events.send(DockerEvent::Explored { id, result });
                };
                track(&mut tasks.streams, id, task);
            }
            Command::Inspect { id, target } => {
                let (docker, events) = (docker.clone(), self.events.clone());
                tokio::spawn(async move {
                    let result = super::inspect::inspect(&docker, &target).await;
                    let _ = events.send(DockerEvent::Inspected { id, result });
                });
            }
            Command::ListNetworks => {
                let (docker, events) = (docker.clone(), self.events.clone());
                tokio::spawn(async move {
                    let options = bollard::query_parameters::ListNetworksOptions::default();
                    if let Ok(networks) = docker.list_networks(Some(options)).await {
                        let mut names: Vec<String> =
                            networks.into_iter().filter_map(|n| n.name).collect();
                        names.sort();
                        let _ = events.send(DockerEvent::Networks(names));
                    }
                });
            }
            Command::Host { id, query } => {
                let (docker, events) = (docker.clone(), self.events.clone());
                tokio::spawn(async move {
                    let result = super::host::query(&docker, query).await;
                    let _ = events.send(DockerEvent::Host { id, result });
                });
            }
            Command::RestartCounts(ids) => {
                let (docker, events) = (docker.clone(), self.events.clone());
                tokio::spawn(async move {
                    let counts = super::health::restart_counts(&docker, ids).await;
                    let _ = events.send(DockerEvent::RestartCounts(counts));
                });
            }
            Command::ImageCommand(image) => {
                let (docker, events) = (docker.clone(), self.events.clone());
                tokio::spawn(async move {
                    if let Ok(inspect) = docker.inspect_image(&image).await {
                        let config = inspect.config.unwrap_or_default();
                        let mut command = config.entrypoint.unwrap_or_default();
                        command.extend(config.cmd.unwrap_or_default());
                        let _ = events.send(DockerEvent::ImageCommand { image, command });
                    }
                });
            }
        }
        false
    }

    async fn session(&mut self, docker: &Docker, tasks: &mut Tasks) -> End {
        // Subscribe before the first listing so nothing that happens in between is missed.
        // Every type is followed, for the events view; only some change the lists.
        let mut events = docker.events(Some(EventsOptions::default()));
        let mut poll = tokio::time::interval(self.interval);
        poll.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut every = self.interval;
        // The last full listing; after container events only the containers they name are
        // listed again (filtered by id), and merged in. A full listing comes with the poll,
        // a refresh asked for, and image events.
        let mut listed: Option<Listed> = None;
        let mut named: HashSet<String> = HashSet::new();
        let mut whole = true;
        let mut usage = tokio::time::interval(USAGE_EVERY);
        usage.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut pending: Option<Instant> = None;
        // The daemon can emit an event (a container's "die") a moment before its listing
        // shows the change, so a burst of events also earns one later look.
        let mut settle: Option<Instant> = None;
        loop {
            let refresh = tokio::select! {
                _ = poll.tick() => {
                    whole = true;
                    true
                }
                event = events.next() => match event {
                    Some(Ok(message)) => {
                        let event = convert::engine_event(&message);
                        if matches!(event.kind, EventKind::Container | EventKind::Image) {
                            pending.get_or_insert_with(|| Instant::now() + COALESCE);
                            settle = Some(Instant::now() + SETTLE);
                            // A commit makes an image: that is a whole listing.
                            if event.kind == EventKind::Container
                                && event.action != "commit"
                                && !event.actor_id.is_empty()
                            {
                                named.insert(event.actor_id.clone());
                            } else {
                                whole = true;
                            }
                        }
                        if self.events.send(DockerEvent::Engine(event)).is_err() {
                            return End::Shutdown;
                        }
                        false
                    }
                    Some(Err(e)) => return End::Lost(self.lost(&e)),
                    None => return End::Lost(ConnectError::new(
                        ConnectErrorKind::Lost, &self.endpoint, "the events stream ended")),
                },
                _ = sleep_until(pending.unwrap_or_else(Instant::now)), if pending.is_some() => true,
                _ = sleep_until(settle.unwrap_or_else(Instant::now)), if settle.is_some() && pending.is_none() => {
                    settle = None;
                    true
                }
                cmd = self.commands.recv() => match cmd {
                    Some(cmd) => {
                        let refresh = self.handle(docker, tasks, cmd);
                        whole |= refresh;
                        refresh
                    }
                    None => return End::Shutdown,
                },
                _ = usage.tick() => {
                    let idle = tasks.reading.as_ref().is_none_or(AbortHandle::is_finished);
                    if idle && !tasks.usage.is_empty() {
                        let (docker, events, ids) =
                            (docker.clone(), self.events.clone(), tasks.usage.clone());
                        let task = tokio::spawn(async move {
                            let readings = super::stats::read(&docker, &ids).await;
                            let _ = events.send(DockerEvent::Usage(readings));
                        });
                        tasks.reading = Some(task.abort_handle());
                    }
                    false
                }
            };
            if refresh {
                // The settle look is the burst's last: the containers it named are done with.
                let last_look = pending.is_none() && settle.is_none();
                pending = None;
                if let (Some(listed), false) = (listed.as_mut(), whole || named.is_empty()) {
                    match relist(docker, listed, &named).await {
                        Ok(snapshot) => {
                            if self.events.send(snapshot).is_err() {
                                return End::Shutdown;
                            }
                        }
                        Err(e) => return End::Lost(self.lost(&e)),
                    }
                    if last_look {
                        named.clear();
                    }
                    continue;
                }
                whole = false;
                if last_look {
                    named.clear();
                }
                let started = Instant::now();
                match list(docker).await {
                    Ok(snapshot) => {
                        if let DockerEvent::Snapshot { images, containers } = &snapshot {
                            listed = Some(Listed {
                                images: images.clone(),
                                containers: containers.clone(),
                            });
                        }
                        if self.events.send(snapshot).is_err() {
                            return End::Shutdown;
                        }
                    }
                    Err(e) => return End::Lost(self.lost(&e)),
                }
                // Restart the poll clock (a refresh just happened), at a pace the daemon's
                // listing allows.
                let next = poll_every(self.interval, started.elapsed());
                if next != every {
                    every = next;
                    tracing::debug!(?every, "poll interval");
                    poll = tokio::time::interval_at(Instant::now() + every, every);
                    poll.set_missed_tick_behavior(MissedTickBehavior::Delay);
                } else {
                    poll.reset();
                }
            }
        }
    }

    fn lost(&self, e: &bollard::errors::Error) -> ConnectError {
        let mut error = ConnectError::from_bollard(&self.endpoint, e);
        if error.kind == ConnectErrorKind::Other {
            error.kind = ConnectErrorKind::Lost;
        }
        error
    }
}

/// The poll interval after a listing that took `listing`: the configured one, or longer
/// when listing is slow (rounded to whole seconds, so it does not change with every poll).
fn poll_every(configured: Duration, listing: Duration) -> Duration {
    let needed = listing * LISTING_SHARE;
    if needed <= configured {
        configured
    } else {
        Duration::from_secs(needed.as_secs() + 1)
    }
}

/// Runs `task` and keeps its handle under `id` (dropping the handles of finished ones), so it
/// can be stopped.
fn track<K: std::hash::Hash + Eq>(
    handles: &mut HashMap<K, AbortHandle>,
    id: K,
    task: impl std::future::Future<Output = ()> + Send + 'static,
) {
    handles.retain(|_, handle| !handle.is_finished());
    handles.insert(id, tokio::spawn(task).abort_handle());
}

/// What the last full listing showed.
struct Listed {
    images: Vec<ImageRow>,
    containers: Vec<ContainerRow>,
}

/// After container events: only the containers they name, listed with an id filter (the
/// daemon's cost is per container listed: Engine 26 with the containerd store takes ~1.7 ms
/// a container here), merged into the last full listing. One that is not listed any more
/// was removed.
async fn relist(
    docker: &Docker,
    listed: &mut Listed,
    named: &HashSet<String>,
) -> Result<DockerEvent, bollard::errors::Error> {
    let filters: HashMap<String, Vec<String>> =
        [("id".to_string(), named.iter().cloned().collect())].into();
    let fresh = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(filters),
            ..Default::default()
        }))
        .await?;
    merge(&mut listed.containers, named, &fresh);
    Ok(DockerEvent::Snapshot {
        images: listed.images.clone(),
        containers: listed.containers.clone(),
    })
}

/// The rows of the `named` containers replaced by what a listing of them answered (the id
/// filter matches prefixes too: only the named are taken).
fn merge(
    rows: &mut Vec<ContainerRow>,
    named: &HashSet<String>,
    fresh: &[bollard::models::ContainerSummary],
) {
    rows.retain(|c| !named.contains(c.id.as_str()));
    rows.extend(
        fresh
            .iter()
            .map(convert::container_row)
            .filter(|c| named.contains(c.id.as_str())),
    );
}

/// Lists images and all containers at once; the app filters running ones itself so the
/// all/running toggle needs no round trip.
pub async fn list(docker: &Docker) -> Result<DockerEvent, bollard::errors::Error> {
    let (images, containers) = tokio::try_join!(
        docker.list_images(Some(ListImagesOptions::default())),
        docker.list_containers(Some(ListContainersOptions {
            all: true,
            ..Default::default()
        })),
    )?;
    Ok(DockerEvent::Snapshot {
        images: images.iter().flat_map(convert::image_rows).collect(),
        containers: containers.iter().map(convert::container_row).collect(),
    })
}

#[cfg(test)]
mod poll_tests {
    use super::*;

    #[test]
    fn a_listing_of_named_containers_replaces_only_their_rows() {
        let summary = |id: &str, name: &str| bollard::models::ContainerSummary {
            id: Some(id.into()),
            names: Some(vec![format!("/{name}")]),
            ..Default::default()
        };
        let mut rows: Vec<ContainerRow> = [("a1", "web"), ("b2", "db"), ("c3", "gone")]
            .iter()
            .map(|(id, name)| convert::container_row(&summary(id, name)))
            .collect();
        let named: HashSet<String> = ["b2", "c3", "d4"].iter().map(|s| s.to_string()).collect();
        // b2 renamed, c3 removed (not listed), d4 new; e5 matched a prefix but was not named.
        let fresh = [
            summary("b2", "db2"),
            summary("d4", "new"),
            summary("e5", "other"),
        ];
        merge(&mut rows, &named, &fresh);
        let mut names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["db2", "new", "web"]);
    }

    #[test]
    fn a_slow_listing_is_polled_less_often() {
        let two = Duration::from_secs(2);
        // Engine 20.10, 300 containers: ~10 ms a listing; the configured interval stands.
        assert_eq!(poll_every(two, Duration::from_millis(10)), two);
        assert_eq!(poll_every(two, Duration::from_millis(100)), two);
        // Engine 26 with the containerd store, 300 containers: ~0.5 s a listing.
        assert_eq!(
            poll_every(two, Duration::from_millis(500)),
            Duration::from_secs(11)
        );
        // Whole seconds: small changes in the listing's time keep the interval.
        assert_eq!(
            poll_every(two, Duration::from_millis(520)),
            poll_every(two, Duration::from_millis(540))
        );
        // A longer configured interval is kept.
        let minute = Duration::from_secs(60);
        assert_eq!(poll_every(minute, Duration::from_millis(500)), minute);
    }
}
