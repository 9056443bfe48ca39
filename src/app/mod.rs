//! Application state. It changes only in [`App::update`] (see `update.rs`), which does no
//! I/O: Docker work goes out as [`Command`](crate::docker::Command)s.

pub mod actions;
pub mod activity;
mod cursor;
pub mod dialog;
pub mod inspect;
pub mod keymap;
pub mod logs;
pub mod search;
pub mod stats;
mod terminal;
#[cfg(test)]
mod tests;
pub mod text_input;
pub mod tree;
mod update;
mod usage;

pub use cursor::Cursor;
pub use keymap::{Action, Keymap};
pub use update::Event;

use crate::docker::{ConnectError, ContainerRow, ContainerState, EngineInfo, ImageRow};

/// Where a movement key takes a position in a view of `len` rows; `None` for other actions.
fn moved(action: Option<Action>, pos: usize, len: usize, page: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    Some(match action? {
        Action::Down => (pos + 1).min(last),
        Action::Up => pos.saturating_sub(1),
        Action::PageDown => (pos + page).min(last),
        Action::PageUp => pos.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    })
}

/// The containers a pane shows: all, or running only.
fn visible(containers: &[ContainerRow], all: bool) -> impl Iterator<Item = &ContainerRow> {
    containers
        .iter()
        .filter(move |c| all || c.state == ContainerState::Running)
}

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

#[derive(Debug, Clone)]
pub enum Overlay {
    /// The keys, scrolled down by this many lines.
    Help {
        scroll: u16,
    },
    /// The command log, scrolled up by this many entries from the newest.
    Log {
        scroll: usize,
    },
    /// Pulls and their per-layer progress; the selected entry (from the newest).
    Transfers {
        selected: usize,
    },
    Dialog(dialog::Dialog),
    Logs(Box<logs::LogView>),
    Inspect(Box<inspect::InspectView>),
    Stats(Box<stats::StatsView>),
    Tree(Box<tree::TreeView>),
    /// The daemon's events, newest first, optionally only one type.
    Events {
        kind: Option<&'static str>,
        scroll: usize,
    },
}

#[derive(Debug)]
pub struct App {
    pub connection: Connection,
    /// Newest first, as `docker image ls`.
    pub images: Vec<ImageRow>,
    /// Every container, sorted by name so rows stay put when their state changes.
    pub containers: Vec<ContainerRow>,
    /// Whether any listing has arrived yet (an empty list is not the same as "loading").
    pub loaded: bool,
    pub image_cursor: Cursor,
    pub container_cursor: Cursor,
    pub focus: Pane,
    /// `docker container ls -a` (true) or `docker container ls` (false).
    pub show_all: bool,
    pub overlay: Option<Overlay>,
    pub keymap: Keymap,
    pub activity: activity::Activity,
    /// Containers marked with Space; lifecycle actions apply to all of them.
    pub marked: std::collections::HashSet<String>,
    /// Container terminals, one tab each.
    pub sessions: Vec<crate::pty::Session>,
    pub active_session: usize,
    next_session: crate::pty::SessionId,
    /// The terminal pane fills the screen.
    pub zoomed: bool,
    /// Rows and columns inside the terminal pane; every session's tty follows it.
    pub term_size: (u16, u16),
    next_stream: crate::docker::logs::LogStreamId,
    /// The daemon's recent events, oldest first (bounded).
    pub engine_events: std::collections::VecDeque<crate::docker::EngineEvent>,
    /// Lines each logs view keeps (`--log-lines`).
    pub log_capacity: usize,
    /// Bytes each logs view keeps (`--log-bytes`).
    pub log_bytes: usize,
    /// Where saved logs go.
    pub save_dir: std::path::PathBuf,
    /// CPU and memory of the running containers in view.
    pub usage: usage::Usage,
    /// Seconds a stop waits for the container before it kills it.
    pub stop_timeout: u32,
    /// `--read-only`: browse, attach and watch, but change nothing.
    pub read_only: bool,
    /// What `e` runs in a container.
    pub exec_command: Vec<String>,
    /// Seconds east of UTC, for the command log's local times.
    pub utc_offset: i32,
    /// Unix seconds, for "3 days ago"; kept here so drawing stays a pure function of state.
    pub now: i64,
    /// Terminal size, for paging.
    pub size: (u16, u16),
    pub should_quit: bool,
}

impl App {
    pub fn new(endpoint: String, now: i64, size: (u16, u16)) -> Self {
        Self {
            connection: Connection::Connecting(endpoint),
            images: Vec::new(),
            containers: Vec::new(),
            loaded: false,
            image_cursor: Cursor::default(),
            container_cursor: Cursor::default(),
            focus: Pane::Images,
            show_all: true,
            overlay: None,
            keymap: Keymap::default(),
            activity: activity::Activity::default(),
            marked: Default::default(),
            sessions: Vec::new(),
            active_session: 0,
            next_session: 0,
            zoomed: false,
            term_size: (0, 0),
            exec_command: terminal::default_shell(),
            read_only: false,
            stop_timeout: actions::STOP_TIMEOUT,
            usage: Default::default(),
            next_stream: 0,
            engine_events: Default::default(),
            log_capacity: logs::CAPACITY,
            log_bytes: logs::BYTE_BUDGET,
            save_dir: std::env::temp_dir(),
            utc_offset: 0,
            now,
            size,
            should_quit: false,
        }
    }

    /// The containers the pane shows, honouring the all/running toggle.
    pub fn visible_containers(&self) -> Vec<&ContainerRow> {
        visible(&self.containers, self.show_all).collect()
    }

    /// Where everything goes on the current screen.
    pub fn areas(&self) -> crate::ui::layout::Areas {
        let area = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
        crate::ui::layout::areas(area, !self.sessions.is_empty(), self.zoomed)
    }

    pub fn session(&self) -> Option<&crate::pty::Session> {
        self.sessions.get(self.active_session)
    }

    pub fn running_count(&self) -> usize {
        self.containers
            .iter()
            .filter(|c| c.state == ContainerState::Running)
            .count()
    }

    pub fn selected_image(&self) -> Option<&ImageRow> {
        let key = self.image_cursor.selected.as_deref()?;
        self.images.iter().find(|i| i.key == key)
    }

    /// The selected container, or a word in the status line that there is none.
    pub(super) fn container_or_refuse(&mut self) -> Option<ContainerRow> {
        let row = self.selected_container().cloned();
        if row.is_none() {
            self.activity.refuse("no container selected");
        }
        row
    }

    /// Whether `action` is refused because dockpit runs `--read-only` (and says so).
    pub(super) fn refused_read_only(&mut self, action: Action) -> bool {
        let refused = self.read_only && action.changes_state();
        if refused {
            self.activity.refuse(
                "read-only mode: dockpit was started with --read-only, so it changes nothing",
            );
        }
        refused
    }

    /// Rows a page key moves in a full view (logs, inspect, structure).
    pub(super) fn view_page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(8)).max(1)
    }

    /// A new id for a view's request (logs, stats, inspect, structure), so its answers find it.
    pub(super) fn view_id(&mut self) -> u64 {
        self.next_stream += 1;
        self.next_stream
    }

    pub fn selected_container(&self) -> Option<&ContainerRow> {
        let id = self.container_cursor.selected.as_deref()?;
        self.containers.iter().find(|c| c.id == id)
    }
}
