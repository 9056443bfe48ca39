//! The Docker task: connects (and reconnects), follows the daemon's events stream and lists
//! again only what its events name (see `listing`), with a full listing as a rare resync, or
//! on an interval while the stream is down or lags.

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use futures::StreamExt;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::task::AbortHandle;
use tokio::time::{Instant, MissedTickBehavior, sleep, sleep_until};

use super::actions::{self, OpError, OpId};
use super::attach::{self, Control};
use super::daemon_cpu::DaemonCpu;
use super::listing::{self, Shown, Stale};
use super::{
    Command, ConnectError, ConnectErrorKind, DockerEvent, Endpoint, EngineInfo, StreamId, connect,
    convert,
};

/// How long to gather a burst of daemon events into one refresh.
const COALESCE: Duration = Duration::from_millis(15);
/// How often the CPU and MEM columns are read (one-shot stats for the rows in view).
const USAGE_EVERY: Duration = Duration::from_secs(5);
/// How often a full listing resyncs while the events stream keeps the rows right (or
/// `--interval`, when longer).
pub const RESYNC: Duration = Duration::from_secs(60);
/// An event this much later than the promptest one says the stream lags.
const LATE: Duration = Duration::from_secs(2);
/// A listing may take at most this share (1/N) of the time between polls: a daemon that lists
/// slowly is polled less often, and events keep the screen live. Engine 26 with the
/// containerd image store asks containerd about each listed container's image (~1.7 ms a
/// container on the CI machine: 0.5 s for 300); Engine 20.10 lists 1,000 in well under 0.1 s.
const LISTING_SHARE: u32 = 20;
/// A resync, while events keep the rows right, may take at most this share (1/N) of the
/// time between two: 0.5 % of the daemon's time at rest. 5,000 containers take 0.3–0.8 s to
/// list here (one listing; more while the machine is busy): a resync every 61–161 s.
const RESYNC_SHARE: u32 = 200;
/// The largest event read: an event carries its container's labels, cut when kept (see
/// `convert`); one that never ends is dropped here (bollard rescanned its growing buffer for
/// every chunk: 90 % of a core).
const MAX_EVENT: usize = 1024 * 1024;
/// How long to wait before trying an unreachable daemon again after `failures` failures in a
/// row (1 or more), the last one `error`: 1 s, then twice as long each time, up to a ceiling
/// by transport; a success starts over. Each try on an ssh host is an ssh login: one a
/// second with failing auth gets the user banned (fail2ban and the like), so it waits up to
/// a minute. A try that costs the far side nothing stays at 1 s, so dockpit is back within
/// ~1 s of a restarted daemon: on a local socket, or refused (nothing listens yet, no login).
pub fn retry_after(endpoint: &Endpoint, error: &ConnectError, failures: u32) -> Duration {
    let cheap = matches!(
        error.kind,
        ConnectErrorKind::Refused | ConnectErrorKind::SocketMissing
    );
    let ceiling: u64 = match endpoint.host.split_once("://").map(|(scheme, _)| scheme) {
        _ if cheap => 1,
        Some("unix" | "npipe") => 1,
        Some("ssh") => 60,
        _ => 16,
    };
    let doubled = 1u64 << failures.saturating_sub(1).min(6);
    Duration::from_secs(doubled.min(ceiling))
}

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
    /// A local daemon's processes, for what the top view's readings cost (`None` inside:
    /// not local, or not found).
    daemon_cpu: Option<Option<DaemonCpu>>,
}

/// A worker that ends (its host removed, or dockpit quitting) takes its work with it:
/// followed logs and stats, actions and readings stop, not only the sessions (whose input
/// senders drop).
impl Drop for Tasks {
    fn drop(&mut self) {
        for handle in self.running.values().chain(self.streams.values()) {
            handle.abort();
        }
        if let Some(reading) = &self.reading {
            reading.abort();
        }
    }
}

/// What a session starts from, asked while connecting.
struct First {
    events: Events,
    rows: Result<DockerEvent, bollard::errors::Error>,
    full: Early,
}

type Listed = Result<DockerEvent, bollard::errors::Error>;

/// The first full listing, asked with the first rows, not once they or the version are in:
/// the daemon makes both at once, so the whole list (5,000 containers, a quiet machine)
/// shows one listing's time after start, 395 ms against 460 ms asked after the first rows,
/// and the first frame no later. Under load with no core to spare the first frame came
/// later (135 against 68 ms at load 3): a trade taken for the whole list.
struct Early {
    listing: Option<tokio::task::JoinHandle<(Listed, Duration)>>,
}

impl Early {
    fn ask(docker: &Docker) -> Self {
        let docker = docker.clone();
        let listing = tokio::spawn(async move {
            let started = Instant::now();
            (listing::list(&docker, 0).await, started.elapsed())
        });
        Self {
            listing: Some(listing),
        }
    }

    /// A full listing and how long it took: the early one the first time (asked again
    /// should it have failed: it went out before the version was known), a fresh one after.
    async fn list(&mut self, docker: &Docker, expected: usize) -> (Listed, Duration) {
        if let Some(early) = self.listing.take()
            && let Ok((Ok(snapshot), took)) = early.await
        {
            return (Ok(snapshot), took);
        }
        let started = Instant::now();
        (listing::list(docker, expected).await, started.elapsed())
    }
}

impl Drop for Early {
    fn drop(&mut self) {
        if let Some(early) = &self.listing {
            early.abort();
        }
    }
}

/// A connected session's state between two looks at the daemon.
struct Watch {
    events: Option<Events>,
    early: Early,
    lag: Lag,
    /// A full listing: at once, then rarely while events keep the rows right, every
    /// `interval` while they cannot.
    next_full: Instant,
    /// What the app was last sent, and what events made stale since.
    shown: Shown,
    stale: Stale,
    /// A burst of events is gathered until then (see COALESCE).
    pending: Option<Instant>,
    /// The stream dropped just now: subscribe again with the next poll, not at once, so a
    /// stream that fails as soon as it is asked for costs a listing per interval only.
    dropped: bool,
    /// When the host's Swarm membership was last read (after the first listing, then with
    /// each resync).
    membership: Option<Instant>,
}

impl Watch {
    fn new(events: Events, early: Early) -> Self {
        Self {
            events: Some(events),
            early,
            lag: Lag::default(),
            next_full: Instant::now(),
            shown: Shown::default(),
            stale: Stale::default(),
            pending: None,
            dropped: false,
            membership: None,
        }
    }
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
        // Failures in a row, for the wait before the next try.
        let mut failures = 0;
        loop {
            if self
                .events
                .send(DockerEvent::Connecting(self.endpoint.clone()))
                .is_err()
            {
                return;
            }
            let error = match self.connect().await {
                Ok((docker, info, first)) => {
                    failures = 0;
                    let failed = unavailable.clear();
                    tracing::info!(version = %info.version, api = %info.api_version, failed, "connected");
                    if self.events.send(DockerEvent::Connected(info)).is_err() {
                        return;
                    }
                    match self.session(&docker, &mut tasks, first).await {
                        End::Lost(e) => e,
                        End::Shutdown => return,
                    }
                }
                Err(e) => e,
            };
            if let Some(line) = unavailable.note(&error.to_string()) {
                tracing::warn!("docker unavailable: {line}");
            }
            failures += 1;
            let wait = retry_after(&self.endpoint, &error, failures);
            if self
                .events
                .send(DockerEvent::Disconnected(error, wait))
                .is_err()
            {
                return;
            }
            // Wait to retry; a refresh (the user pressing "retry") retries at once.
            let retry = sleep(wait);
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
            | Command::PastEvents { .. }
            | Command::SwarmTasks { .. }
            | Command::RestartCounts(_) => return,
            Command::FollowLogs { id, .. }
            | Command::FollowTaskLogs { id, .. }
            | Command::FollowStats { id, .. } => DockerEvent::StreamEnded { id, reason: why },
            Command::OpenSession(request) => DockerEvent::SessionEnded {
                id: request.id,
                reason: why,
            },
            Command::Explore { id, .. } => DockerEvent::Explored {
                id,
                result: Err(OpError::new(why)),
            },
            Command::Layers { id, .. } => DockerEvent::Layers {
                id,
                answer: super::layers::feed::Answer::Failed(OpError::new(why)),
            },
            Command::Host { id, .. } => DockerEvent::Host {
                id,
                result: Err(OpError::new(why)),
            },
            Command::Files { id, .. } => DockerEvent::Files {
                id,
                answer: super::files::Answer::Failed(OpError::new(why)),
            },
            Command::Inspect { id, .. } => DockerEvent::Inspected {
                id,
                result: Err(OpError::new(why)),
            },
            // Each image is answered, so the app's count of those in flight comes to zero.
            Command::CheckUpdates { targets, .. } => {
                for target in targets {
                    let _ = self
                        .events
                        .send(DockerEvent::UpdateChecked(super::updates::Checked {
                            target,
                            registry: String::new(),
                            verdict: super::updates::Verdict::Unknown {
                                why: why.clone(),
                                transient: false,
                                retry_after: None,
                            },
                        }));
                }
                return;
            }
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
                let events = self.events.clone();
                let docker = docker.clone();
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
            // Off the UI path; the registries are paced inside.
            Command::CheckUpdates { targets, .. } => {
                tokio::spawn(super::updates::check(
                    docker.clone(),
                    targets,
                    self.events.clone(),
                ));
            }
            Command::FollowLogs { .. }
            | Command::FollowTaskLogs { .. }
            | Command::FollowStats { .. }
            | Command::Explore { .. }
            | Command::Layers { .. }
            | Command::Files { .. } => self.follow(docker, tasks, cmd),
            Command::Inspect { .. }
            | Command::ListNetworks
            | Command::Host { .. }
            | Command::PastEvents { .. }
            | Command::SwarmTasks { .. }
            | Command::RestartCounts(_)
            | Command::ImageCommand(_) => self.look_up(docker, cmd),
            Command::ReadTop { id, ids, .. } => self.read_top(docker, tasks, id, ids),
        }
        false
    }

    /// Starts what a view follows or waits for, tracked as a stream so that closing the
    /// view (`StopStream`), or going to another folder, stops its requests.
    fn follow(&self, docker: &Docker, tasks: &mut Tasks, cmd: Command) {
        let (docker, events) = (docker.clone(), self.events.clone());
        let (id, task): (StreamId, futures::future::BoxFuture<'static, ()>) = match cmd {
            Command::FollowLogs {
                id,
                container,
                tail,
                since,
                until,
            } => {
                let follow = super::logs::Follow {
                    container,
                    tail,
                    since,
                    until,
                };
                (
                    id,
                    Box::pin(super::logs::follow(docker, id, follow, events)),
                )
            }
            Command::FollowTaskLogs { id, task, tail } => (
                id,
                Box::pin(super::logs::follow_task(docker, id, task, tail, events)),
            ),
            Command::FollowStats { id, container } => (
                id,
                Box::pin(super::stats::follow(docker, id, container, events)),
            ),
            Command::Explore { id, reference } => (
                id,
                Box::pin(async move {
                    let result = super::explore::explore(&docker, &reference).await;
                    let _ = events.send(DockerEvent::Explored { id, result });
                }),
            ),
            // Tracked like a stream: closing the view stops the reading.
            Command::Layers { id, source, .. } => (
                id,
                Box::pin(super::layers::feed::read(docker, id, source, events)),
            ),
            Command::Files {
                id,
                request: super::files::Request::List { container, path },
            } => (
                id,
                Box::pin(super::files::list(docker, id, container, path, events)),
            ),
            // A probe answers once: not tracked.
            Command::Files {
                id,
                request: super::files::Request::Probe(op),
            } => {
                return self.answer(async move {
                    let answer = super::files::probe(&docker, op).await;
                    Some(DockerEvent::Files { id, answer })
                });
            }
            _ => return,
        };
        track(&mut tasks.streams, id, task);
    }

    /// A batch of the top view's readings, timed, with what the daemon's processes spent
    /// meanwhile when it is local (found once, again after it restarts).
    fn read_top(
        &self,
        docker: &Docker,
        tasks: &mut Tasks,
        id: StreamId,
        ids: Vec<super::ContainerId>,
    ) {
        let daemon = tasks
            .daemon_cpu
            .get_or_insert_with(|| DaemonCpu::of(&self.endpoint.host));
        if daemon.as_ref().is_some_and(|d| d.millis().is_none()) {
            *daemon = DaemonCpu::of(&self.endpoint.host);
        }
        let (daemon, docker) = (daemon.clone(), docker.clone());
        self.answer(async move {
            let before = daemon.as_ref().and_then(DaemonCpu::millis);
            let at_once = before.is_some();
            let (readings, elapsed_ms) = super::stats::read_timed(&docker, &ids, at_once).await;
            let after = daemon.as_ref().and_then(DaemonCpu::millis);
            let daemon_ms = before.zip(after).map(|(b, a)| a.saturating_sub(b));
            let asked = ids.len();
            tracing::debug!(
                asked,
                answered = readings.len(),
                elapsed_ms,
                ?daemon_ms,
                "top readings"
            );
            Some(DockerEvent::TopReadings {
                id,
                readings,
                asked,
                elapsed_ms,
                daemon_ms,
            })
        })
    }

    /// Starts a lookup whose one answer goes to the app.
    fn look_up(&self, docker: &Docker, cmd: Command) {
        let docker = docker.clone();
        match cmd {
            Command::Inspect { id, target } => self.answer(async move {
                let result = super::inspect::inspect(&docker, &target).await;
                Some(DockerEvent::Inspected { id, result })
            }),
            Command::ListNetworks => self.answer(async move {
                let options = bollard::query_parameters::ListNetworksOptions::default();
                let networks = docker.list_networks(Some(options)).await.ok()?;
                let mut names: Vec<String> = networks.into_iter().filter_map(|n| n.name).collect();
                names.sort();
                Some(DockerEvent::Networks(names))
            }),
            Command::Host { id, query, .. } => self.answer(async move {
                let result = super::host::query(&docker, query).await;
                Some(DockerEvent::Host { id, result })
            }),
            Command::PastEvents { since, .. } => self.answer(async move {
                let result = super::away::since(&docker, since).await;
                Some(DockerEvent::PastEvents { since, result })
            }),
            Command::SwarmTasks { .. } => self.answer(async move {
                let result = super::swarm_tasks::look(&docker).await;
                Some(DockerEvent::SwarmTasks(result))
            }),
            Command::RestartCounts(ids) => self.answer(async move {
                let counts = super::health::restart_counts(&docker, ids).await;
                Some(DockerEvent::RestartCounts(counts))
            }),
            Command::ImageCommand(image) => self.answer(async move {
                let inspect = docker.inspect_image(&image).await.ok()?;
                let config = inspect.config.unwrap_or_default();
                let mut command = config.entrypoint.unwrap_or_default();
                command.extend(config.cmd.unwrap_or_default());
                Some(DockerEvent::ImageCommand { image, command })
            }),
            _ => {}
        }
    }

    /// Runs `lookup` in its own task; its answer, if any, goes to the app.
    fn answer(
        &self,
        lookup: impl std::future::Future<Output = Option<DockerEvent>> + Send + 'static,
    ) {
        let events = self.events.clone();
        tokio::spawn(async move {
            if let Some(answer) = lookup.await {
                let _ = events.send(answer);
            }
        });
    }

    /// Connects, with the events stream and the first rows asked at the same time as the
    /// version: the first frame waits for one round trip, not two.
    async fn connect(&self) -> Result<(Docker, EngineInfo, First), ConnectError> {
        let docker = connect::open(&self.endpoint)?;
        // Subscribed before the first listing so nothing that happens in between is missed.
        // Every type is followed, for the events view; only some change the lists.
        let events = subscribe(&docker);
        // The newest containers first, so the first frame need not wait for thousands; the
        // full listing at the same time (see `Early`).
        let first = async {
            let full = Early::ask(&docker);
            let rows = listing::first_rows(&docker).await;
            (rows, full)
        };
        let (connected, (rows, full)) =
            tokio::join!(connect::negotiate(&self.endpoint, docker.clone()), first);
        let (docker, info) = connected?;
        Ok((docker, info, First { events, rows, full }))
    }

    async fn session(&mut self, docker: &Docker, tasks: &mut Tasks, first: First) -> End {
        let mut watch = Watch::new(first.events, first.full);
        if let Err(end) = self.send_first_rows(docker, first.rows).await {
            return end;
        }
        let mut usage = tokio::time::interval(USAGE_EVERY);
        usage.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            // A burst's containers also earn a look once it settled (see SETTLE).
            let settle = watch.stale.settles();
            let pending = watch.pending;
            let full = tokio::select! {
                _ = sleep_until(watch.next_full) => true,
                event = next_event(&mut watch.events) => match self.on_stream(docker, &mut watch, event) {
                    Ok(true) => true,
                    Ok(false) => continue,
                    Err(end) => return end,
                },
                _ = sleep_until(pending.unwrap_or_else(Instant::now)), if pending.is_some() => false,
                _ = sleep_until(settle.unwrap_or_else(Instant::now)), if settle.is_some() && pending.is_none() => false,
                cmd = self.commands.recv() => match cmd {
                    Some(cmd) => {
                        if !self.handle(docker, tasks, cmd) {
                            continue;
                        }
                        true
                    }
                    None => return End::Shutdown,
                },
                _ = usage.tick() => {
                    self.read_usage(docker, tasks);
                    continue;
                }
            };
            if let Err(end) = self.look(docker, &mut watch, full).await {
                return end;
            }
        }
    }

    /// The first rows, asked before the version was known: should that be why they failed,
    /// asked again.
    async fn send_first_rows(&self, docker: &Docker, rows: Listed) -> Result<(), End> {
        let rows = match rows {
            Ok(rows) => Ok(rows),
            Err(_) => listing::first_rows(docker).await,
        };
        match rows {
            Ok(rows) => self.send(rows),
            Err(e) => Err(End::Lost(self.lost(&e))),
        }
    }

    /// Passes an event on to the app; a gone app ends the session.
    fn send(&self, event: DockerEvent) -> Result<(), End> {
        self.events.send(event).map_err(|_| End::Shutdown)
    }

    /// What came on the events stream: an event is passed on (and earns its containers a
    /// look); a stream that dropped asks for a full listing now (`true`), which tells
    /// whether the daemon is still there, and listings on the interval until it is back.
    fn on_stream(
        &self,
        docker: &Docker,
        watch: &mut Watch,
        event: Option<Result<bollard::models::EventMessage, bollard::errors::Error>>,
    ) -> Result<bool, End> {
        let e = match event {
            Some(Ok(message)) => {
                self.on_event(docker, watch, &message)?;
                return Ok(false);
            }
            Some(Err(e)) => Some(e),
            None => None,
        };
        match e {
            // One over its cap says so.
            Some(e) if super::raw::is_too_long(&e) => {
                tracing::warn!("the events stream: {e}");
                self.send(DockerEvent::Dropped(format!("the events stream: {e}")))?;
            }
            _ => tracing::info!("the events stream ended: listing every {:?}", self.interval),
        }
        watch.events = None;
        watch.dropped = true;
        watch.lag.healthy = false;
        Ok(true)
    }

    /// A daemon event: a lagging stream makes the next full listing come now; the event's
    /// containers earn a look; it goes on to the app.
    fn on_event(
        &self,
        docker: &Docker,
        watch: &mut Watch,
        message: &bollard::models::EventMessage,
    ) -> Result<(), End> {
        let event = convert::engine_event(message);
        let late = watch.lag.late(event.time);
        if late && watch.lag.healthy {
            tracing::info!("the events stream lags: listing every {:?}", self.interval);
            watch.next_full = Instant::now();
        }
        watch.lag.healthy = !late;
        // Each event of a burst (kill, die, stop) earns a look within COALESCE: the
        // daemon's listing may show a change only by the last.
        if watch.shown.note(&event, &mut watch.stale) {
            watch
                .pending
                .get_or_insert_with(|| Instant::now() + COALESCE);
        }
        // A node joined, left, was promoted or demoted: this host's part may have changed
        // with it.
        if event.kind == super::EventKind::Node {
            read_membership(docker, &self.events);
        }
        self.send(DockerEvent::Engine(event))
    }

    /// The CPU and MEM columns' readings, unless the last batch is still out.
    fn read_usage(&self, docker: &Docker, tasks: &mut Tasks) {
        let idle = tasks.reading.as_ref().is_none_or(AbortHandle::is_finished);
        if !idle || tasks.usage.is_empty() {
            return;
        }
        let (docker, events, ids) = (docker.clone(), self.events.clone(), tasks.usage.clone());
        let task = tokio::spawn(async move {
            let readings = super::stats::read(&docker, &ids).await;
            let _ = events.send(DockerEvent::Usage(readings));
        });
        tasks.reading = Some(task.abort_handle());
    }

    /// A look at the daemon: a full listing (`full`), else the images and containers
    /// events made stale; what changed goes to the app.
    async fn look(&self, docker: &Docker, watch: &mut Watch, full: bool) -> Result<(), End> {
        watch.pending = None;
        let look = Instant::now();
        let mut sends = Vec::new();
        if full {
            sends.push(self.list_all(docker, watch).await?);
        } else if watch.stale.images {
            watch.stale.images = false;
            let images = listing::images(docker).await;
            sends.push(DockerEvent::Images(images.map_err(|e| self.lost_end(&e))?));
        }
        if !full && !watch.stale.containers.is_empty() {
            let changes = listing::relist(docker, &watch.stale.containers, &watch.shown).await;
            sends.push(changes.map_err(|e| self.lost_end(&e))?);
        }
        watch.stale.looked(look);
        for event in sends {
            match &event {
                DockerEvent::Snapshot { containers, .. } => watch.shown.replace(containers),
                DockerEvent::ContainersChanged { changed, removed } => {
                    watch.shown.update(changed, removed)
                }
                _ => {}
            }
            self.send(event)?;
        }
        Ok(())
    }

    /// A full listing (back on the events stream first, when it dropped before the last
    /// one), the Swarm membership with each resync, and when the next full listing comes.
    async fn list_all(&self, docker: &Docker, watch: &mut Watch) -> Result<DockerEvent, End> {
        // Subscribed before listing: the request goes out now.
        if watch.events.is_none() && !std::mem::take(&mut watch.dropped) {
            watch.events = Some(subscribe(docker));
            watch.lag = Lag::default();
        }
        let (listed, took) = watch.early.list(docker, watch.shown.count()).await;
        let snapshot = listed.map_err(|e| self.lost_end(&e))?;
        if watch.membership.is_none_or(|at| at.elapsed() >= RESYNC) {
            watch.membership = Some(Instant::now());
            read_membership(docker, &self.events);
        }
        let every = full_every(self.interval, watch.lag.healthy, took);
        watch.next_full = Instant::now() + every;
        watch.stale.images = false;
        Ok(snapshot)
    }

    fn lost_end(&self, e: &bollard::errors::Error) -> End {
        End::Lost(self.lost(e))
    }

    fn lost(&self, e: &bollard::errors::Error) -> ConnectError {
        let mut error = ConnectError::from_bollard(&self.endpoint, e);
        if error.kind == ConnectErrorKind::Other {
            error.kind = ConnectErrorKind::Lost;
        }
        error
    }
}

/// When the next full listing comes after one that took `listing`: a rare resync while the
/// events stream keeps the rows right (`healthy`), the configured interval while it cannot.
fn full_every(interval: Duration, healthy: bool, listing: Duration) -> Duration {
    match healthy {
        true => spaced(RESYNC.max(interval), listing, RESYNC_SHARE),
        false => poll_every(interval, listing),
    }
}

/// The poll interval after a listing that took `listing`: the configured one, or longer
/// when listing is slow.
fn poll_every(configured: Duration, listing: Duration) -> Duration {
    spaced(configured, listing, LISTING_SHARE)
}

/// `configured`, or longer so a listing that took `listing` is at most 1/`share` of the
/// time (rounded to whole seconds, so it does not change with every listing).
fn spaced(configured: Duration, listing: Duration, share: u32) -> Duration {
    let needed = listing * share;
    if needed <= configured {
        configured
    } else {
        Duration::from_secs(needed.as_secs() + 1)
    }
}

/// Asks the host its part in a Swarm, off the loop. A host that cannot say (its `/info`
/// failed) counts as in none, so the Swarm key says so rather than waiting for ever.
fn read_membership(docker: &Docker, events: &UnboundedSender<DockerEvent>) {
    let (docker, events) = (docker.clone(), events.clone());
    tokio::spawn(async move {
        let member = match super::swarm::membership(&docker).await {
            Ok(member) => member,
            Err(e) => {
                tracing::warn!("cannot read the Swarm membership: {e}");
                None
            }
        };
        let _ = events.send(DockerEvent::Swarm(member));
    });
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

/// The daemon's events from now on. The request goes out at once (a task reads the stream
/// into a channel), so what happens during the listing that follows is not missed: a stream
/// only polled after the listing subscribed after it, and a container created meanwhile
/// stayed unseen until the next resync (the soak caught it on Engine 26, whose listing is
/// slow). No `since`: a remote daemon's clock may be behind ours.
fn subscribe(docker: &Docker) -> Events {
    let mut stream = Box::pin(super::raw::json_lines(
        super::raw::get(docker, "/events"),
        MAX_EVENT,
        "an event",
    ));
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        while let Some(item) = stream.next().await {
            if tx.send(item).is_err() {
                break;
            }
        }
    });
    Events {
        rx,
        task: task.abort_handle(),
    }
}

type EventItem = Result<bollard::models::EventMessage, bollard::errors::Error>;

/// A subscription: its events as they come; dropping it ends the request.
struct Events {
    rx: tokio::sync::mpsc::UnboundedReceiver<EventItem>,
    task: AbortHandle,
}

impl Events {
    async fn next(&mut self) -> Option<EventItem> {
        self.rx.recv().await
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The next event, or never while there is no stream.
async fn next_event(
    events: &mut Option<Events>,
) -> Option<Result<bollard::models::EventMessage, bollard::errors::Error>> {
    match events {
        Some(events) => events.next().await,
        None => std::future::pending().await,
    }
}

/// Whether the events stream keeps up: an event that arrives much later after it happened
/// than the promptest one did (the daemon's clock may differ from ours by a constant) says
/// the stream lags, and the daemon may drop events for a subscriber that lags.
#[derive(Debug)]
struct Lag {
    /// The smallest (arrival − event time) seen, in nanoseconds.
    promptest: Option<i64>,
    /// Subscribed and keeping up: the rows follow events, a full listing is a rare resync.
    healthy: bool,
}

impl Default for Lag {
    fn default() -> Self {
        Self {
            promptest: None,
            healthy: true,
        }
    }
}

impl Lag {
    fn late(&mut self, time: i64) -> bool {
        let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX);
        self.late_at(time, now)
    }

    fn late_at(&mut self, time: i64, now: i64) -> bool {
        let delay = now.saturating_sub(time);
        let promptest = *self.promptest.get_or_insert(delay);
        self.promptest = Some(promptest.min(delay));
        delay.saturating_sub(promptest) > LATE.as_nanos() as i64
    }
}

/// Lists images and all containers at once (see [`listing::list`]).
pub use listing::list;

#[cfg(test)]
mod poll_tests {
    use super::*;

    #[test]
    fn retries_back_off_per_host_and_stay_prompt_where_a_try_costs_nothing() {
        let at = |host: &str| Endpoint {
            host: host.into(),
            source: super::super::EndpointSource::Flag,
            tls: None,
        };
        let failing = |kind| ConnectError {
            kind,
            endpoint: String::new(),
            detail: String::new(),
        };
        let denied = failing(ConnectErrorKind::Other);
        let waits = |host: &str, error: &ConnectError| -> Vec<u64> {
            (1..=9)
                .map(|failures| retry_after(&at(host), error, failures).as_secs())
                .collect()
        };
        let ssh = "ssh://deploy@build1";
        assert_eq!(waits(ssh, &denied), [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        let hostkey = failing(ConnectErrorKind::HostKeyUnknown);
        assert_eq!(waits(ssh, &hostkey), [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        let tls = failing(ConnectErrorKind::Tls);
        assert_eq!(
            waits("tcp://10.0.0.5:2376", &tls),
            [1, 2, 4, 8, 16, 16, 16, 16, 16]
        );
        assert_eq!(waits("unix:///var/run/docker.sock", &denied), [1; 9]);
        assert_eq!(retry_after(&at(ssh), &denied, u32::MAX).as_secs(), 60);
        // Nothing listening: no login was made, and the daemon may be back any moment.
        let refused = failing(ConnectErrorKind::Refused);
        assert_eq!(waits(ssh, &refused), [1; 9]);
        assert_eq!(waits("tcp://10.0.0.5:2376", &refused), [1; 9]);
    }

    #[test]
    fn an_event_much_later_than_the_promptest_says_the_stream_lags() {
        let mut lag = Lag::default();
        let second = 1_000_000_000;
        // The daemon's clock 30 s behind ours: a constant offset is not lag.
        assert!(!lag.late_at(100 * second, 130 * second));
        assert!(!lag.late_at(101 * second, 131 * second + second / 2));
        assert!(!lag.late_at(102 * second, 133 * second));
        // Delivered 3 s later than the promptest was.
        assert!(lag.late_at(103 * second, 136 * second));
        assert!(!lag.late_at(110 * second, 140 * second));
    }

    #[test]
    fn full_listings_are_a_rare_resync_while_events_keep_up() {
        let (two, ms) = (Duration::from_secs(2), Duration::from_millis(10));
        assert_eq!(full_every(two, true, ms), RESYNC);
        // The stream dropped or lags: the configured interval, at once.
        assert_eq!(full_every(two, false, ms), two);
        // A longer --interval is longer than the resync too.
        let hour = Duration::from_secs(3600);
        assert_eq!(full_every(hour, true, ms), hour);
        // A slow daemon (5,000 containers on Engine 26) is polled less often either way; a
        // resync at rest costs it at most 0.5 % of its time.
        let slow = Duration::from_secs(4);
        assert_eq!(full_every(two, false, slow), Duration::from_secs(81));
        assert_eq!(full_every(two, true, slow), Duration::from_secs(801));
        // 5,000 containers on Engine 20.10 on a busy machine (~0.8 s): every 161 s, not 60.
        let paged = Duration::from_millis(800);
        assert_eq!(full_every(two, true, paged), Duration::from_secs(161));
        // 300 containers (~15 ms): the 60 s resync stands.
        assert_eq!(full_every(two, true, Duration::from_millis(15)), RESYNC);
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
