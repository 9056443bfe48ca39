//! Application state. It changes only in [`App::update`] (see `update.rs`), which does no
//! I/O: Docker work goes out as [`Command`](crate::docker::Command)s.

pub mod actions;
pub mod activity;
pub mod alert_list;
pub mod alerts;
pub mod away;
pub mod builds;
pub mod columns;
pub mod command_line;
pub mod compose;
pub mod compose_files;
pub mod compose_view;
pub mod container_list;
mod cursor;
pub mod custom_commands;
pub mod dialog;
pub mod disk_usage;
pub mod edit;
pub mod edit_recreate;
pub mod effects;
mod engine_events;
pub mod files;
pub mod forwards;
mod health;
pub mod host_list;
pub mod hosts;
pub mod image_list;
mod image_remove;
pub mod inspect;
pub mod keymap;
pub mod kinds;
pub mod layers;
pub mod list;
pub mod lists;
pub mod logs;
mod mouse;
pub mod networks;
mod panes;
pub mod ports;
pub mod recreate;
pub mod ring;
pub mod room;
pub mod search;
pub mod stats;
pub mod status;
pub mod swarm;
pub mod swarm_lists;
pub mod terminal;
#[cfg(test)]
pub(crate) mod tests;
pub mod text_input;
pub mod timeline;
pub mod top;
pub mod tree;
mod update;
pub mod updates;
mod usage;
pub mod view;
pub mod volumes;

pub use cursor::Cursor;
pub use effects::{Effects, Local};
pub use keymap::{Action, Keymap, PaneAction};
pub use update::Event;
pub use view::View;

use std::path::PathBuf;

use crate::docker::{ConnectError, ContainerRow, ContainerState, EngineEvent, EngineInfo};
use crate::layout;

/// What a change refused in `--read-only` says.
pub const READ_ONLY: &str =
    "read-only mode: dockpit was started with --read-only, so it changes nothing";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Images,
    Containers,
    /// The container terminal pane (when a session is open).
    Terminal,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    Connecting(String),
    Up(EngineInfo),
    Down(ConnectError),
}

/// How dockpit was started: everything `App::new` needs, with the defaults of the CLI.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The endpoint's label, shown while connecting.
    pub endpoint: String,
    /// The Docker hosts, in the order of their ids (`HostId(0)` first); none: one host,
    /// `endpoint`.
    pub hosts: Vec<hosts::HostSpec>,
    /// Unix seconds.
    pub now: i64,
    /// Terminal size, columns × rows.
    pub size: (u16, u16),
    /// What holds for the whole session, in every view; `App` keeps it as is.
    pub prefs: Prefs,
    /// The CPU and MEM columns start on.
    pub usage: bool,
    /// `[compose] program`: Compose v2, when not found where the docker CLI looks.
    pub compose_program: Option<PathBuf>,
    /// Folders whose compose files the projects view reads: the start folder,
    /// `--compose-dir` and `[compose] dirs`.
    pub compose_dirs: Vec<PathBuf>,
    /// Seconds between update checks (`[updates] interval`); `None`: off.
    pub update_interval: Option<i64>,
    pub keymap: Keymap,
    /// Each list's sort and filter at start, and whether stopped containers show.
    pub image_sort: lists::Sort,
    pub container_sort: lists::Sort,
    pub image_filter: String,
    pub container_filter: String,
    pub show_all: bool,
    /// Containers grouped under their Compose project at start.
    pub group_projects: bool,
    /// The Docker host (`{host}` in a command), and what else a docker CLI run by a
    /// command needs to reach the same daemon.
    pub docker_host: String,
    pub docker_env: Vec<(String, String)>,
    /// The docker contexts, as read at start (the hosts view offers them).
    pub contexts: Vec<hosts::Context>,
    /// TLS files for an endpoint typed in the hosts view (`DOCKER_TLS_VERIFY`).
    pub typed_tls: Option<crate::docker::endpoint::TlsFiles>,
    /// How alerts reach the person (the config's `[alerts]`).
    pub alerts: alerts::Options,
}

/// The settings that hold for the whole session and every view: each from its flag, else
/// the config file, else the default (`main.rs`'s `settings`), then only read (tests set
/// `read_only`).
#[derive(Debug, Clone)]
pub struct Prefs {
    /// `--read-only`: browse, attach and watch, but change nothing.
    pub read_only: bool,
    /// The share of each daemon's time the top view's readings may take (`[top] budget`).
    pub top_budget: f64,
    /// Seconds a stop waits for the container before it kills it.
    pub stop_timeout: u32,
    /// Lines each logs view keeps (`--log-lines`; at least one).
    pub log_lines: usize,
    /// Bytes each logs view keeps (`--log-bytes`).
    pub log_bytes: usize,
    /// Where saved logs go.
    pub save_dir: PathBuf,
    /// What `e` runs in a container.
    pub exec_command: Vec<String>,
    /// Seconds east of UTC, for local times.
    pub utc_offset: i32,
    /// Published ports drawn as OSC 8 hyperlinks (`[defaults] hyperlinks`).
    pub hyperlinks: bool,
    /// The config file's `[aliases]`: names the command line accepts.
    pub aliases: crate::config::Aliases,
    /// The config file's `[[commands]]`, bound in the keymap.
    pub commands: Vec<custom_commands::CustomCommand>,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            read_only: false,
            top_budget: top::schedule::DEFAULT_BUDGET,
            stop_timeout: actions::STOP_TIMEOUT,
            log_lines: logs::CAPACITY,
            log_bytes: logs::BYTE_BUDGET,
            save_dir: crate::paths::data_dir().join("saved"),
            exec_command: terminal::default_shell(),
            utc_offset: 0,
            hyperlinks: true,
            aliases: Default::default(),
            commands: Vec::new(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            endpoint: String::new(),
            hosts: Vec::new(),
            now: 0,
            size: (80, 24),
            prefs: Prefs::default(),
            usage: false,
            compose_program: None,
            compose_dirs: Vec::new(),
            update_interval: Some(updates::DEFAULT_INTERVAL),
            keymap: Keymap::default(),
            image_sort: lists::Sort::default_for(Pane::Images),
            container_sort: lists::Sort::default_for(Pane::Containers),
            image_filter: String::new(),
            container_filter: String::new(),
            show_all: true,
            group_projects: true,
            docker_host: String::new(),
            docker_env: Vec::new(),
            contexts: Vec::new(),
            typed_tls: None,
            alerts: Default::default(),
        }
    }
}

#[derive(Debug)]
pub struct App {
    pub connection: Connection,
    /// The images pane: its rows (every host's), cursor, filter and sort, as every list's.
    pub images: list::List<image_list::Images>,
    /// The containers pane: its rows (every host's, in the sort's order), cursor, filter,
    /// sort, marks (by host and id) and Compose groups, as every list's.
    pub containers: list::List<container_list::Containers>,
    /// Whether any listing has arrived yet (an empty list is not the same as "loading").
    pub loaded: bool,
    pub focus: Pane,
    /// The view open over the panes, which takes every key: the top of the view stack.
    pub view: Option<View>,
    /// The views under it, the nearest last (the Swarm view under a task's logs): `Esc`
    /// closes the top one and gives the next back ([`View::resume`]).
    pub stack: Vec<View>,
    pub keymap: Keymap,
    /// The settings that hold for the session: read as `self.prefs.read_only`.
    pub prefs: Prefs,
    pub contexts: Vec<hosts::Context>,
    pub typed_tls: Option<crate::docker::endpoint::TlsFiles>,
    pub activity: activity::Activity,
    /// Every host's alerts (the strip under the header, `!`).
    pub alerts: alerts::Alerts,
    /// Whether the status line has said how tmux's `set-clipboard` keeps copies in tmux
    /// (said once a session).
    tmux_hint_given: bool,
    /// The last command line run with `!`, per image.
    pub exec_history: std::collections::HashMap<String, String>,
    /// The `:` command lines typed this session, oldest first.
    pub command_history: Vec<String>,
    /// A container a detached run started: selected once a listing shows it.
    select_when_listed: Option<crate::docker::ContainerId>,
    /// The terminal pane: its sessions, one tab each, and what goes with them.
    pub terminals: terminal::Terminals,
    /// The image a build made: selected once the images pane lists it.
    select_image_when_listed: Option<String>,
    /// The daemon's recent events, oldest first.
    pub engine_events: ring::Ring<EngineEvent>,
    /// Every container's state changes on every host (`~`, `:timeline`).
    pub timeline: timeline::Timeline,
    /// CPU and memory of the running containers in view.
    pub usage: usage::Usage,
    /// Compose projects' files and runs (the projects view).
    pub compose_files: compose_files::ComposeFiles,
    /// Restart counts, for the RESTARTS column.
    pub restarts: health::Restarts,
    /// Which images have a newer digest in their registry.
    pub updates: updates::Updates,
    /// Local forwards to ports of containers on ssh hosts (`b` there).
    pub forwards: forwards::Forwards,
    /// "Edit and recreate" or the limits form asked: the inspect that pre-fills its form,
    /// the container, and which form.
    pub edit_pending: Option<(
        crate::docker::StreamId,
        crate::docker::Target,
        edit_recreate::Filling,
    )>,
    /// Unix seconds, for "3 days ago"; kept here so drawing stays a pure function of state.
    pub now: i64,
    /// Terminal size, for paging.
    pub size: (u16, u16),
    pub should_quit: bool,
    /// Every Docker host, by id; the first is `HostId(0)`.
    pub hosts: Vec<hosts::Host>,
    /// The id the next host added gets (never one given before).
    next_host: u16,
    /// Their short names by id (a removed host's is empty), for `@name` in a filter.
    pub host_names: Vec<String>,
}

impl App {
    pub fn new(settings: Settings) -> Self {
        let mut usage = usage::Usage::default();
        usage.on = settings.usage;
        let specs = if settings.hosts.is_empty() {
            vec![hosts::HostSpec {
                label: settings.endpoint.clone(),
                read_only: settings.prefs.read_only,
                docker_host: settings.docker_host.clone(),
                docker_env: settings.docker_env.clone(),
                ..Default::default()
            }]
        } else {
            settings.hosts
        };
        let hosts: Vec<hosts::Host> = (0u16..)
            .zip(specs)
            .map(|(i, spec)| hosts::Host::new(crate::docker::HostId(i), spec))
            .collect();
        let host_names = hosts::names(&hosts);
        Self {
            compose_files: compose_files::ComposeFiles::new(
                settings.compose_program.clone(),
                settings.compose_dirs.clone(),
            ),
            updates: updates::Updates::new(settings.update_interval),
            edit_pending: None,
            forwards: Default::default(),
            next_host: u16::try_from(hosts.len()).unwrap_or(u16::MAX),
            hosts,
            host_names,
            connection: Connection::Connecting(settings.endpoint),
            images: image_list::Images::list(settings.image_sort, &settings.image_filter),
            containers: container_list::Containers::list(
                settings.container_sort,
                &settings.container_filter,
                settings.show_all,
                settings.group_projects,
            ),
            loaded: false,
            focus: Pane::Containers,
            view: None,
            stack: Vec::new(),
            keymap: settings.keymap,
            prefs: Prefs {
                log_lines: settings.prefs.log_lines.max(1),
                ..settings.prefs
            },
            contexts: settings.contexts,
            typed_tls: settings.typed_tls,
            activity: activity::Activity::at(settings.now),
            alerts: alerts::Alerts::new(settings.alerts),
            tmux_hint_given: false,
            select_when_listed: None,
            select_image_when_listed: None,
            command_history: Vec::new(),
            exec_history: Default::default(),
            terminals: Default::default(),
            usage,
            restarts: Default::default(),
            engine_events: ring::Ring::new(update::EVENTS_KEPT),
            timeline: Default::default(),
            now: settings.now,
            size: settings.size,
            should_quit: false,
        }
    }

    /// Where everything goes on the current screen.
    pub fn areas(&self) -> layout::Areas {
        let screen = layout::screen(self.size);
        layout::areas(
            screen,
            !self.terminals.sessions.is_empty(),
            self.terminals.zoomed,
            self.status_rows(),
            self.image_rows(),
            self.alert_rows(),
        )
    }

    pub fn session(&self) -> Option<&crate::pty::Session> {
        self.terminals.sessions.get(self.terminals.active)
    }

    pub fn running_count(&self) -> usize {
        self.containers
            .rows()
            .filter(|c| c.state == ContainerState::Running)
            .count()
    }

    /// The selected container, or a word in the status line that there is none.
    pub(super) fn container_or_refuse(&mut self) -> Option<ContainerRow> {
        let row = self.selected_container().cloned();
        if row.is_none() {
            let why = match self.selected_project() {
                Some((host, name)) => {
                    // Unfolded, its containers are the rows under it.
                    let fold = self.keymap.key_for(PaneAction::Fold.into());
                    let reach = match self
                        .containers
                        .groups
                        .folded
                        .contains(&(host, name.clone()))
                    {
                        true => format!("{fold} unfolds it"),
                        false => "they are the rows under it".to_string(),
                    };
                    format!(
                        "{name} is a Compose project: this works on one of its containers ({reach})"
                    )
                }
                None => "no container selected".to_string(),
            };
            self.activity.refuse(why);
        }
        row
    }

    /// Whether a pane action would be refused now (read-only, or no daemon).
    pub fn refuses(&self, action: PaneAction) -> bool {
        (self.prefs.read_only && action.changes_state())
            || (action.needs_docker() && !matches!(self.connection, Connection::Up(_)))
    }

    /// Whether a change to the host is refused because dockpit runs `--read-only` (and
    /// says so).
    pub(super) fn refused_read_only(&mut self, changes_state: bool) -> bool {
        let refused = self.prefs.read_only && changes_state;
        if refused {
            self.activity.refuse(READ_ONLY);
        }
        refused
    }

    /// A new id for a view's request (logs, stats, inspect, structure), so its answers find it.
    pub(super) fn view_id(&mut self) -> crate::docker::StreamId {
        crate::docker::StreamId::fresh()
    }

    pub fn selected_container(&self) -> Option<&ContainerRow> {
        let key = self.containers.room.cursor.selected.as_deref()?;
        (self.containers.rows()).find(|c| compose::names_container(key, c))
    }

    /// Whether a container is marked (on its own host: the same id on another is not).
    pub fn is_marked(&self, c: &ContainerRow) -> bool {
        let marks = &self.containers.marks;
        !marks.is_empty() && marks.contains(&list::RowKey::new(c.host, c.id.as_str()))
    }
}
