//! The one place state changes: an event in, state updated, commands out. No I/O.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use super::dialog::Dialog;
use super::effects::Effects;
use super::view::{Ctx, Outcome, Then, TransfersView, View};
use super::{App, Connection, Pane, PaneAction};
use crate::docker::build::BuildProgress;
use crate::docker::{DockerEvent, Op, Progress};
use crate::layout;

/// The daemon events the events view keeps.
pub const EVENTS_KEPT: usize = 1_000;

#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Resize(u16, u16),
    /// From a Docker host (`HostId(0)`: the first, or only, one).
    Host(crate::docker::HostId, DockerEvent),
    /// Wall clock, in unix seconds.
    Tick(i64),
    /// Text pasted into the terminal (bracketed paste from the outer terminal).
    Paste(String),
    /// A click or the wheel (when the mouse is on).
    Mouse(crossterm::event::MouseEvent),
    /// A file dockpit was asked to write (saved logs), written or not.
    Saved {
        path: PathBuf,
        result: Result<(), String>,
    },
    /// A copy made inside tmux, and how it went.
    Copied(super::effects::Copied),
    /// An alert's hook ended: its exit status, or why it did not run or was killed.
    HookDone {
        id: crate::docker::OpId,
        result: Result<String, String>,
        elapsed: std::time::Duration,
    },
    /// A typed path completed: what was typed, the completed path, the names that matched.
    Completed {
        typed: String,
        path: String,
        names: Vec<String>,
    },
    /// Compose files read again (the projects view).
    ComposeScanned(crate::docker::compose_file::Scan),
    /// A local forward to an ssh host's port is up, or ended.
    Forward(super::forwards::ForwardEvent),
}

/// Whether an event may move the layout or the rows in view. Streamed data (terminal
/// output, log lines, samples; not usage readings, which a sort by CPU % or MEM orders rows
/// by) and the clock never do: the follow-ups are skipped for them, which keeps a flood of
/// terminal output cheap.
fn may_move(event: &Event) -> bool {
    !matches!(
        event,
        Event::Tick(_)
            | Event::Copied(_)
            | Event::Host(
                _,
                DockerEvent::SessionOutput { .. }
                    | DockerEvent::LogLines { .. }
                    | DockerEvent::Stats { .. }
                    | DockerEvent::TopReadings { .. }
                    | DockerEvent::OpProgress { .. }
                    | DockerEvent::Engine(_)
            )
    )
}

/// Whether an event is a host's news of its containers or images (not streamed data).
fn listed(event: &Event) -> bool {
    match event {
        Event::Host(_, e) => !matches!(
            e,
            DockerEvent::SessionOutput { .. }
                | DockerEvent::LogLines { .. }
                | DockerEvent::Stats { .. }
                | DockerEvent::Usage(_)
                | DockerEvent::TopReadings { .. }
                | DockerEvent::OpProgress { .. }
        ),
        _ => false,
    }
}

impl App {
    pub fn update(&mut self, event: Event) -> Effects {
        let (may_move, listed) = (may_move(&event), listed(&event));
        let mut effects = self.on_event(event);
        // The projects view's files, looked at while it is open.
        effects.local.extend(self.compose_scan_due());
        // A project's containers or images changed: the projects view follows at once, not
        // at the next look at its files (streamed data, a run's output in its tab, does not).
        if listed {
            self.refresh_compose_views();
        }
        // An event that raised alerts runs their hooks.
        effects.extend(self.alert_hooks());
        // The newest event times seen, kept every few seconds at most, and at quit.
        effects.local.extend(self.away_keep());
        if !may_move {
            return effects;
        }
        // Whatever changed the layout (resize, zoom, the first or last tab), ttys follow.
        if !self.terminals.sessions.is_empty() {
            effects.extend(self.sync_terminal_size());
        }
        // Whatever changed the rows in view, the CPU and MEM columns follow, and the
        // RESTARTS column asks about rows new in view.
        if matches!(self.connection, Connection::Up(_)) {
            effects.extend(self.watch_usage());
            effects.extend(self.ask_restarts());
        }
        effects
    }

    /// The event itself, before the follow-ups every event gets.
    fn on_event(&mut self, event: Event) -> Effects {
        match event {
            Event::Key(key) => self.on_key(key),
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.sync_cursors();
                Effects::default()
            }
            Event::Host(host, event) => {
                let effects = self.on_host_event(host, event);
                self.refresh_hosts_view();
                effects
            }
            Event::Tick(now) => self.tick(now),
            Event::Paste(text) => self.on_paste(&text).into(),
            Event::Mouse(mouse) => self.on_mouse(mouse),
            Event::Saved { path, result } => {
                self.saved(&path, result);
                Effects::default()
            }
            Event::Copied(copied) => {
                self.copied_in_tmux(copied);
                Effects::default()
            }
            Event::HookDone {
                id,
                result,
                elapsed,
            } => {
                self.hook_done(id, result, elapsed);
                Effects::default()
            }
            Event::Completed { typed, path, names } => {
                self.path_completed(&typed, path, &names);
                Effects::default()
            }
            Event::ComposeScanned(scan) => {
                self.compose_scanned(scan);
                Effects::default()
            }
            Event::Forward(event) => self.forward_event(event),
        }
    }

    /// The clock: what ages, fades, counts down or is due.
    fn tick(&mut self, now: i64) -> Effects {
        self.now = now;
        self.activity.tick(now);
        // Statuses age between listings ("Up 5 minutes" becomes "Up 6 minutes").
        for row in &mut self.containers.rows {
            row.row.age(now);
        }
        let mut effects = Effects::from(self.settle_room());
        effects.extend(self.swarm_tick());
        effects.extend(self.top_tick());
        effects.extend(self.updates_tick());
        // "retrying in 8 s" counts down.
        self.refresh_hosts_view();
        effects.extend(self.alerts_tick());
        self.timeline_tick();
        effects
    }

    /// `host`'s event (its connection's are handled by `on_host_event`).
    pub(super) fn on_docker(&mut self, host: crate::docker::HostId, event: DockerEvent) -> Effects {
        match event {
            DockerEvent::Connecting(_)
            | DockerEvent::Connected(_)
            | DockerEvent::Disconnected(..) => {}
            DockerEvent::Snapshot { images, containers } => {
                self.snapshot(host, images, containers);
            }
            DockerEvent::ContainersChanged { changed, removed } => {
                self.forget_restarts(&removed);
                self.change_containers(host, changed, &removed);
                self.listed();
            }
            // Rows to show before the full listing: until it comes, none is known removed.
            DockerEvent::FirstRows(rows) => {
                self.change_containers(host, rows, &[]);
                self.sync_cursors();
            }
            DockerEvent::Images(images) => {
                self.replace_images(host, images);
                self.sync_cursors();
                self.built_image_listed();
            }
            DockerEvent::OpProgress { id, progress } => self.op_progress(id, progress),
            DockerEvent::OpDone {
                id,
                result,
                elapsed,
            } => {
                self.activity.done(id, result, elapsed);
                self.build_event(id, None);
                return self.files_copied(id).into();
            }
            DockerEvent::RunCreated { container } => {
                return self.attach_new(host, container).into();
            }
            DockerEvent::SessionOpened { id, interactive } => self.session_opened(id, interactive),
            DockerEvent::SessionOutput { id, bytes } => self.session_output(id, &bytes),
            DockerEvent::SessionEnded { id, reason } => {
                return self.session_ended(id, reason).into();
            }
            DockerEvent::Engine(event) => return self.engine_event(host, event),
            DockerEvent::RestartCounts(counts) => self.restart_counts(counts),
            DockerEvent::UpdateChecked(checked) => self.update_checked(host, checked),
            DockerEvent::PastEvents { since, result } => self.away_answer(host, since, result),
            DockerEvent::RunContainer { op, container } => self.timeline_run(host, op, &container),
            DockerEvent::SwarmTasks(result) => self.tasks_looked(host, result),
            DockerEvent::Swarm(membership) => self.swarm_membership(host, membership),
            DockerEvent::Dropped(what) => {
                let name = self.host_name(host).to_string();
                self.activity.refuse(format!("{name}: {what}"));
            }
            DockerEvent::Files { id, answer } => return self.files_answer(id, answer),
            DockerEvent::Layers { id, answer } => self.layers_answer(id, answer),
            DockerEvent::Host { id, result } => return self.host_answer(host, id, result).into(),
            DockerEvent::LogLines { id, lines } => self.log_lines(id, lines),
            DockerEvent::StreamEnded { id, reason } => return self.stream_ended(id, reason).into(),
            DockerEvent::Stats { id, sample } => self.stats_sample(id, sample),
            DockerEvent::Usage(readings) => self.usage_readings(readings),
            DockerEvent::TopReadings {
                id,
                readings,
                asked,
                elapsed_ms,
                daemon_ms,
            } => {
                let took = (asked, elapsed_ms, daemon_ms);
                return self.top_readings(host, id, readings, took).into();
            }
            DockerEvent::Inspected { id, result } => {
                return self.inspected(host, id, result).into();
            }
            DockerEvent::Explored { id, result } => self.explored(id, result),
            DockerEvent::Networks(names) => {
                if let Some(form) = self.open_form() {
                    form.set_networks(names);
                }
            }
            DockerEvent::RunStarted { container } => self.select_when_listed = Some(container.id),
            DockerEvent::ImageCommand { image, command } => {
                if let Some(form) = self.open_form() {
                    form.suggest_tty(&image, is_shell(&command));
                }
            }
        }
        Effects::default()
    }

    /// A host's full listing of its images and containers.
    fn snapshot(
        &mut self,
        host: crate::docker::HostId,
        images: Vec<crate::docker::ImageRow>,
        containers: Vec<crate::docker::ContainerRow>,
    ) {
        self.replace_images(host, images);
        // Until the first full listing the cursor is a place, not an item: the newest
        // containers shown first may sort far down among all of them, and following one
        // there would scroll the top of the list away.
        if !self.loaded {
            self.containers.room.cursor.selected = None;
        }
        self.replace_containers(host, containers);
        self.listed();
        self.forget_gone_restarts();
    }

    fn op_progress(&mut self, id: crate::docker::OpId, progress: Progress) {
        let large = match &progress {
            Progress::Build(BuildProgress::Large { bytes }) => Some(*bytes),
            _ => None,
        };
        let build = matches!(progress, Progress::Build(_));
        self.activity.progress(id, progress);
        if build {
            self.build_event(id, large);
        }
    }

    /// One of the daemon's events: alerts, "while you were away", the timeline and the
    /// rows it concerns, then the events view's ring.
    fn engine_event(
        &mut self,
        host: crate::docker::HostId,
        event: crate::docker::EngineEvent,
    ) -> Effects {
        self.alert_on_event(host, &event);
        self.away_seen(host, &event);
        self.timeline_event(host, &event);
        let effects = self.on_engine_event(host, &event);
        self.engine_events.push(event);
        effects
    }

    /// The run form, when it is the view open (answers it asked for fill it in).
    fn open_form(&mut self) -> Option<&mut super::dialog::Form> {
        match &mut self.view {
            Some(View::Dialog(Dialog::Form(form))) => Some(form),
            _ => None,
        }
    }

    pub(super) fn on_key(&mut self, key: KeyEvent) -> Effects {
        let ctrl_c = super::keymap::Key::QUIT_OVER_ANYTHING.matches(&key);
        // In the terminal pane Ctrl-C belongs to the container, as in any terminal.
        if ctrl_c && !(self.focus == Pane::Terminal && self.view.is_none()) {
            self.request_quit();
            return Effects::default();
        }
        // A view takes every key; none leaks through to the panes beneath.
        let page = layout::view_page(&self.areas());
        let refuses = self.view_refuses();
        let hosts = self
            .hosts
            .iter()
            .filter_map(|h| match &h.connection {
                Connection::Up(info) => Some((h.id, info.api_version.clone())),
                _ => None,
            })
            .collect();
        let Some(view) = &mut self.view else {
            return match self.focus {
                Pane::Terminal => self.on_terminal_key(&key),
                Pane::Images | Pane::Containers => self.on_pane_key(&key),
            };
        };
        // Help over any view that types no text and has no use for the key itself (the
        // footer ends with it); closing help returns to the view.
        let help = self.keymap.pane(&key, Pane::Containers) == Some(PaneAction::Help);
        let own = view
            .scope()
            .is_some_and(|scope| self.keymap.binds(scope, &key));
        if help && !own && !view.takes_text() {
            self.push_view(View::Help(Default::default()));
            return Effects::default();
        }
        let mut cx = Ctx {
            keymap: &self.keymap,
            page,
            activity: &mut self.activity,
            events: &self.engine_events,
            now: self.now,
            save_dir: &self.prefs.save_dir,
            platform: match &self.connection {
                Connection::Up(info) => Some(info.os_arch.as_str()),
                _ => None,
            },
            containers: &self.containers.rows,
            refuses,
            hosts,
            host_names: &self.host_names,
        };
        let outcome = view.on_key(&key, &mut cx);
        self.finish(outcome)
    }

    /// Why the open view's host takes no change now, if it does not.
    fn view_refuses(&self) -> Option<String> {
        if self.prefs.read_only {
            return Some(super::READ_ONLY.into());
        }
        let host = self.view.as_ref()?.room()?.host;
        self.host_refuses(host, true)
    }

    /// Carries out what a view asked for after a key.
    fn finish(&mut self, outcome: Outcome) -> Effects {
        let Outcome {
            close,
            mut effects,
            ops,
            then,
            host,
        } = outcome;
        if close {
            self.pop_view();
        }
        // A download only reads the host: read-only mode lets it run.
        let changes = ops.iter().any(|op| !op.reads_only());
        if !ops.is_empty() && !self.refused_read_only(changes) {
            // A pull submitted from its dialog shows its progress.
            let shows_progress = close && ops.iter().any(|op| matches!(op, Op::Pull(_)));
            let commands = self.submit_on(host, ops);
            self.show_started_build(&commands);
            effects.extend(commands);
            if shows_progress {
                self.view = Some(View::Transfers(TransfersView::default()));
            }
        }
        match then {
            Some(Then::Quit) => self.should_quit = true,
            Some(Then::Explore(reference)) => effects.extend(self.open_tree_for(reference)),
            Some(Then::Layers(reference, host)) => {
                let title = reference.normalized();
                let source = crate::docker::layers::feed::Source::Remote(reference);
                effects.extend(self.open_layers_of(title, source, host));
            }
            Some(Then::CloseTab(id)) => effects.extend(self.close_session(id)),
            Some(Then::Command(line)) => effects.extend(self.run_command_line(&line)),
            Some(Then::Exec {
                host,
                container,
                command,
            }) => effects.extend(self.exec_in(host, container, command)),
            Some(Then::LocalTab(target, call)) => effects.extend(self.open_local_tab(target, call)),
            Some(Then::EditRecreate(target)) => effects.extend(self.ask_edit_recreate(target)),
            Some(Then::Hosts(change)) => effects.extend(self.change_hosts(change)),
            Some(Then::Swarm(then)) => effects.extend(self.swarm_then(then)),
            Some(Then::Ask(dialog)) => self.push_view(View::Dialog(dialog)),
            Some(Then::Compose(then)) => effects.extend(self.compose_then(then)),
            Some(Then::Build(id)) => self.open_build(id),
            Some(Then::ShowContainer { host, id, name }) => self.show_alerted(host, id, &name),
            Some(Then::DismissAlerts(lines)) => self.dismiss_alerts(&lines),
            Some(Then::LogsAround {
                host,
                id,
                name,
                time,
            }) => {
                effects.extend(self.open_logs_around(host, id, &name, time));
            }
            Some(Then::Container {
                action,
                host,
                id,
                name,
            }) => effects.extend(self.container_then(action, host, id, &name)),
            None => {}
        }
        effects
    }

    pub(super) fn rows_in_view(&self, pane: Pane) -> usize {
        let areas = self.areas();
        match pane {
            Pane::Images => layout::table_rows(areas.images),
            Pane::Containers | Pane::Terminal => layout::table_rows(areas.containers),
        }
    }

    pub(super) fn move_to(&mut self, index: usize) {
        let height = self.rows_in_view(self.focus);
        match self.focus {
            Pane::Images => self.images.select(index, height, &self.host_names),
            Pane::Containers | Pane::Terminal => {
                (self.containers).select(index, height, &self.host_names);
            }
        }
    }

    /// After a listing: the rows are known (a container just run gets selected; sessions
    /// follow their containers).
    fn listed(&mut self) {
        // Kept here, not found by each frame: a frame a second over thousands of rows.
        let any_health = (self.containers.rows())
            .any(|c| crate::docker::health::Health::parse(&c.status).is_some());
        self.containers.kind.any_health = any_health;
        // A container just run: once listed, it is the one selected.
        if let Some(id) = self
            .select_when_listed
            .take_if(|id| self.containers.rows().any(|c| c.id == *id))
        {
            self.containers.room.cursor.follow(id.to_string());
            if self.focus != Pane::Terminal {
                self.focus = Pane::Containers;
            }
        }
        self.loaded = true;
        self.sync_cursors();
        self.follow_containers();
    }

    pub(super) fn sync_cursors(&mut self) {
        self.sync_images();
        self.sync_containers();
    }

    /// The containers pane's cursor follows its row after its rows, filter or sort changed.
    fn sync_containers(&mut self) {
        let height = self.rows_in_view(Pane::Containers);
        self.containers.resync(height, &self.host_names);
    }
}

/// Whether an image's default command is an interactive shell (then `-it` is the default).
fn is_shell(command: &[String]) -> bool {
    let shells = ["sh", "bash", "ash", "zsh", "fish", "dash"];
    match command {
        [only] => shells.contains(&only.rsplit('/').next().unwrap_or(only)),
        _ => false,
    }
}
