//! Every key dockpit handles, as data: one table per scope, one binding per line. Views look
//! their keys up here, and the help overlay, the footer and the README's key table are all
//! generated from the same tables.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Pane;

/// Movement, shared by every list and view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nav {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
}

impl Nav {
    /// Where this movement takes a position in `len` rows, `page` rows a page.
    pub fn apply(self, pos: usize, len: usize, page: usize) -> usize {
        let last = len.saturating_sub(1);
        match self {
            Self::Down => (pos + 1).min(last),
            Self::Up => pos.saturating_sub(1),
            Self::PageDown => (pos + page).min(last),
            Self::PageUp => pos.saturating_sub(page),
            Self::Top => 0,
            Self::Bottom => last,
        }
    }
}

/// Keys of the panes (the lists, and those that work everywhere outside a view).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneAction {
    Nav(Nav),
    Quit,
    Help,
    FocusNext,
    FocusPrev,
    Retry,
    Pull,
    Run,
    CommandLog,
    Transfers,
    Events,
    ExploreTyped,
    FocusTerminal,
    Zoom,
    NextSession,
    PrevSession,
    CloseSession,
    Remove,
    Tag,
    Prune,
    Inspect,
    Structure,
    Start,
    Stop,
    Restart,
    Kill,
    PauseToggle,
    Commit,
    Mark,
    ToggleAll,
    /// Fold or unfold the selected Compose project.
    Fold,
    /// Group containers by Compose project, or not.
    ToggleGroups,
    Attach,
    Exec,
    Logs,
    Stats,
    ToggleUsage,
    Filter,
    ClearFilter,
    NextSort,
    ReverseSort,
    CommandLine,
    CopyId,
    CopyName,
    ExecCommand,
    Volumes,
    Networks,
    DiskUsage,
    /// The selected container's files.
    Files,
    /// The user's command of this index in the config's `[[commands]]`.
    Custom(u16),
    /// The hosts view.
    Hosts,
    /// The Swarm views (a live host is a manager).
    Swarm,
    /// The top view: every running container's usage.
    Top,
}

impl PaneAction {
    /// Whether it would change anything on the Docker host (refused in read-only mode).
    pub fn changes_state(self) -> bool {
        use PaneAction::*;
        matches!(
            self,
            Pull | Run
                | Remove
                | Tag
                | Start
                | Stop
                | Restart
                | Kill
                | PauseToggle
                | Commit
                | Prune
                | Exec
                | ExecCommand
        )
    }

    /// Whether it needs a connected daemon (refused, and not advertised, without one).
    pub fn needs_docker(self) -> bool {
        use PaneAction::*;
        self.changes_state()
            || matches!(
                self,
                Inspect
                    | Structure
                    | Kill
                    | Attach
                    | Logs
                    | Stats
                    | Volumes
                    | Networks
                    | DiskUsage
                    | Swarm
                    | Files
                    | Top
            )
    }

    /// Its name in messages (`{start}` in a hint becomes the key that starts) and in the
    /// config file (`[keys.containers] start = "s"`).
    pub fn name(self) -> &'static str {
        use PaneAction::*;
        match self {
            Nav(self::Nav::Down) => "down",
            Nav(self::Nav::Up) => "up",
            Nav(self::Nav::PageDown) => "page-down",
            Nav(self::Nav::PageUp) => "page-up",
            Nav(self::Nav::Top) => "top",
            Nav(self::Nav::Bottom) => "bottom",
            Quit => "quit",
            Help => "help",
            FocusNext => "next-pane",
            FocusPrev => "previous-pane",
            Retry => "retry",
            Pull => "pull",
            Run => "run",
            CommandLog => "command-log",
            Transfers => "transfers",
            Events => "events",
            ExploreTyped => "explore",
            FocusTerminal => "focus-terminal",
            Zoom => "zoom",
            NextSession => "next-tab",
            PrevSession => "previous-tab",
            CloseSession => "close-tab",
            Remove => "remove",
            Tag => "tag",
            Prune => "prune",
            Inspect => "inspect",
            Structure => "structure",
            Start => "start",
            Stop => "stop",
            Restart => "restart",
            Kill => "kill",
            PauseToggle => "pause",
            Commit => "commit",
            Mark => "mark",
            ToggleAll => "all",
            Fold => "fold",
            ToggleGroups => "group",
            Attach => "attach",
            Exec => "shell",
            Logs => "logs",
            Stats => "stats",
            ToggleUsage => "usage",
            Filter => "filter",
            ClearFilter => "clear-filter",
            NextSort => "sort",
            ReverseSort => "reverse-sort",
            CommandLine => "command-line",
            CopyId => "copy-id",
            CopyName => "copy-name",
            ExecCommand => "run-command",
            Volumes => "volumes",
            Swarm => "swarm",
            Networks => "networks",
            DiskUsage => "disk-usage",
            Files => "files",
            // Bound in `[[commands]]`, never in `[keys]`: see `Keymap::rebind`.
            Custom(_) => "command",
            Hosts => "hosts",
            Top => "top-view",
        }
    }
}

/// The terminal pane's own keys; every other key goes to the container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TerminalAction {
    /// The next key is dockpit's (as tmux's prefix): see [`PrefixAction`].
    Prefix,
    ScrollBack,
    ScrollForward,
}

/// The key after the terminal pane's prefix. Any key not bound here leaves the pane and acts
/// on the panes, so `Ctrl-]` then a pane key does what that key does there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrefixAction {
    Zoom,
    NextTab,
    PrevTab,
    CloseTab,
    /// The prefix twice sends it to the container.
    SendPrefix,
    Leave,
}

/// Forms, confirmations and pickers (text fields take every other key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DialogAction {
    Confirm,
    Cancel,
    NextField,
    PrevField,
    Toggle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransfersAction {
    CancelPull,
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogsAction {
    Close,
    Search,
    NextMatch,
    PrevMatch,
    Filter,
    Timestamps,
    Wrap,
    Save,
    Copy,
    /// Merged logs: every source, or one.
    NextSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventsAction {
    NextKind,
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InspectAction {
    NextTab,
    Search,
    NextMatch,
    PrevMatch,
    Copy,
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatsAction {
    Close,
}

/// The command log's own keys (movement scrolls; any other key closes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandLogAction {
    Copy,
}

/// The `:` command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandLineAction {
    Run,
    Close,
    Complete,
    Older,
    Newer,
}

/// The hosts view's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostsAction {
    /// Add the selected context to the live hosts.
    Add,
    Remove,
    /// Keep only the selected host.
    Only,
    ReadOnly,
    /// Type an endpoint to add.
    New,
    Close,
    /// `/`: type a filter over the names.
    Filter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TreeAction {
    Toggle,
    Copy,
    Pull,
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VolumesAction {
    Create,
    Remove,
    Prune,
    Inspect,
    Refresh,
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetworksAction {
    Create,
    Remove,
    Connect,
    Disconnect,
    Prune,
    Inspect,
    Refresh,
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SwarmAction {
    NextTab,
    /// A service's or node's tasks; a stack's services.
    Open,
    Create,
    Scale,
    Update,
    Rollback,
    Remove,
    Availability,
    Promote,
    Demote,
    Logs,
    /// A task's container: its shell, stats, inspect (on its node, a live host).
    Shell,
    Stats,
    Inspect,
    Refresh,
    /// Back out of a service's, node's or stack's rows; else close.
    Close,
    /// `/`: type a filter over the rows shown.
    Filter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiskUsageAction {
    Prune,
    Refresh,
    Close,
}

/// The files view's keys (a container's filesystem).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilesAction {
    /// Into a folder (or a link to one); a file opens in the reader.
    Open,
    /// To the parent folder.
    Up,
    Download,
    Upload,
    /// The container's changes (`docker diff`).
    Changes,
    CopyPath,
    Refresh,
    Close,
    /// `/`: type a filter over the entries shown.
    Filter,
}

/// The top view's own keys (the containers pane's keys act on the selected row too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TopAction {
    /// The container's stats view.
    Stats,
    Refresh,
    Close,
}

/// The keys every generic list has (volumes, networks, disk usage): written once in
/// [`super::list`], listed once in help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListAction {
    /// `/`: type a filter (`@host` keeps a host's rows).
    Filter,
    /// Clear the filter (when there is one; else the view's own key acts).
    ClearFilter,
    SortNext,
    SortReverse,
    Mark,
    CopyKey,
    CopyName,
}

/// What a binding does, in the scope it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Pane(PaneAction),
    Terminal(TerminalAction),
    Prefix(PrefixAction),
    Dialog(DialogAction),
    Transfers(TransfersAction),
    Logs(LogsAction),
    Events(EventsAction),
    Inspect(InspectAction),
    Stats(StatsAction),
    Tree(TreeAction),
    CommandLog(CommandLogAction),
    CommandLine(CommandLineAction),
    Hosts(HostsAction),
    Volumes(VolumesAction),
    Networks(NetworksAction),
    DiskUsage(DiskUsageAction),
    Swarm(SwarmAction),
    Files(FilesAction),
    Top(TopAction),
    List(ListAction),
}

impl Action {
    /// Its name in the config file, unique within its scope.
    pub fn name(self) -> &'static str {
        match self {
            Action::Pane(a) => a.name(),
            Action::Terminal(a) => match a {
                TerminalAction::Prefix => "prefix",
                TerminalAction::ScrollBack => "scroll-back",
                TerminalAction::ScrollForward => "scroll-forward",
            },
            Action::Prefix(a) => match a {
                PrefixAction::Zoom => "zoom",
                PrefixAction::NextTab => "next-tab",
                PrefixAction::PrevTab => "previous-tab",
                PrefixAction::CloseTab => "close-tab",
                PrefixAction::SendPrefix => "send-prefix",
                PrefixAction::Leave => "leave",
            },
            Action::Dialog(a) => match a {
                DialogAction::Confirm => "confirm",
                DialogAction::Cancel => "cancel",
                DialogAction::NextField => "next-field",
                DialogAction::PrevField => "previous-field",
                DialogAction::Toggle => "toggle",
            },
            Action::Transfers(a) => match a {
                TransfersAction::CancelPull => "cancel-pull",
                TransfersAction::Close => "close",
            },
            Action::Logs(a) => match a {
                LogsAction::Close => "close",
                LogsAction::Search => "search",
                LogsAction::NextMatch => "next-match",
                LogsAction::PrevMatch => "previous-match",
                LogsAction::Filter => "filter",
                LogsAction::Timestamps => "timestamps",
                LogsAction::Wrap => "wrap",
                LogsAction::Save => "save",
                LogsAction::Copy => "copy",
                LogsAction::NextSource => "next-source",
            },
            Action::Events(a) => match a {
                EventsAction::NextKind => "next-kind",
                EventsAction::Close => "close",
            },
            Action::Inspect(a) => match a {
                InspectAction::NextTab => "next-tab",
                InspectAction::Search => "search",
                InspectAction::NextMatch => "next-match",
                InspectAction::PrevMatch => "previous-match",
                InspectAction::Copy => "copy",
                InspectAction::Close => "close",
            },
            Action::Stats(StatsAction::Close) => "close",
            Action::Tree(a) => match a {
                TreeAction::Toggle => "toggle",
                TreeAction::Copy => "copy",
                TreeAction::Pull => "pull",
                TreeAction::Close => "close",
            },
            Action::CommandLog(CommandLogAction::Copy) => "copy",
            Action::CommandLine(a) => match a {
                CommandLineAction::Run => "run",
                CommandLineAction::Close => "close",
                CommandLineAction::Complete => "complete",
                CommandLineAction::Older => "older",
                CommandLineAction::Newer => "newer",
            },
            Action::Hosts(a) => match a {
                HostsAction::Add => "add",
                HostsAction::Remove => "remove",
                HostsAction::Only => "only",
                HostsAction::ReadOnly => "read-only",
                HostsAction::New => "new",
                HostsAction::Close => "close",
                HostsAction::Filter => "filter",
            },
            Action::Volumes(a) => match a {
                VolumesAction::Create => "create",
                VolumesAction::Remove => "remove",
                VolumesAction::Prune => "prune",
                VolumesAction::Inspect => "inspect",
                VolumesAction::Refresh => "refresh",
                VolumesAction::Close => "close",
            },
            Action::Networks(a) => match a {
                NetworksAction::Create => "create",
                NetworksAction::Remove => "remove",
                NetworksAction::Connect => "connect",
                NetworksAction::Disconnect => "disconnect",
                NetworksAction::Prune => "prune",
                NetworksAction::Inspect => "inspect",
                NetworksAction::Refresh => "refresh",
                NetworksAction::Close => "close",
            },
            Action::DiskUsage(a) => match a {
                DiskUsageAction::Prune => "prune",
                DiskUsageAction::Refresh => "refresh",
                DiskUsageAction::Close => "close",
            },
            Action::Swarm(a) => match a {
                SwarmAction::NextTab => "next-tab",
                SwarmAction::Open => "open",
                SwarmAction::Create => "create",
                SwarmAction::Scale => "scale",
                SwarmAction::Update => "update",
                SwarmAction::Rollback => "rollback",
                SwarmAction::Remove => "remove",
                SwarmAction::Availability => "availability",
                SwarmAction::Promote => "promote",
                SwarmAction::Demote => "demote",
                SwarmAction::Logs => "logs",
                SwarmAction::Shell => "shell",
                SwarmAction::Stats => "stats",
                SwarmAction::Inspect => "inspect",
                SwarmAction::Refresh => "refresh",
                SwarmAction::Close => "close",
                SwarmAction::Filter => "filter",
            },
            Action::Files(a) => match a {
                FilesAction::Open => "open",
                FilesAction::Up => "up",
                FilesAction::Download => "download",
                FilesAction::Upload => "upload",
                FilesAction::Changes => "changes",
                FilesAction::CopyPath => "copy-path",
                FilesAction::Refresh => "refresh",
                FilesAction::Close => "close",
                FilesAction::Filter => "filter",
            },
            Action::Top(a) => match a {
                TopAction::Stats => "stats",
                TopAction::Refresh => "refresh",
                TopAction::Close => "close",
            },
            Action::List(a) => match a {
                ListAction::Filter => "filter",
                ListAction::ClearFilter => "clear-filter",
                ListAction::SortNext => "sort",
                ListAction::SortReverse => "reverse-sort",
                ListAction::Mark => "mark",
                ListAction::CopyKey => "copy-id",
                ListAction::CopyName => "copy-name",
            },
        }
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Pane(Pane),
    Dialog,
    Transfers,
    Terminal,
    /// The terminal pane after its prefix key.
    Prefix,
    Logs,
    Events,
    Inspect,
    Stats,
    Tree,
    CommandLog,
    CommandLine,
    Hosts,
    Volumes,
    Networks,
    DiskUsage,
    Swarm,
    Files,
    Top,
    /// Every generic list, whatever its kind.
    List,
}

impl Scope {
    /// Every scope, in the order help lists them.
    pub const ALL: [Scope; 22] = [
        Scope::Global,
        Scope::Pane(Pane::Images),
        Scope::Pane(Pane::Containers),
        Scope::Dialog,
        Scope::Transfers,
        Scope::Terminal,
        Scope::Prefix,
        Scope::Logs,
        Scope::Events,
        Scope::Inspect,
        Scope::Stats,
        Scope::Tree,
        Scope::CommandLog,
        Scope::CommandLine,
        Scope::Hosts,
        Scope::Volumes,
        Scope::Networks,
        Scope::DiskUsage,
        Scope::Swarm,
        Scope::Files,
        Scope::Top,
        Scope::List,
    ];

    /// Its name in the config file (`[keys.containers]`).
    pub fn name(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::Pane(Pane::Images) => "images",
            Scope::Pane(Pane::Containers) => "containers",
            Scope::Pane(Pane::Terminal) | Scope::Terminal => "terminal",
            Scope::Dialog => "dialog",
            Scope::Transfers => "pulls",
            Scope::Prefix => "prefix",
            Scope::Logs => "logs",
            Scope::Events => "events",
            Scope::Inspect => "inspect",
            Scope::Stats => "stats",
            Scope::Tree => "structure",
            Scope::CommandLog => "command-log",
            Scope::CommandLine => "command-line",
            Scope::Hosts => "hosts",
            Scope::Volumes => "volumes",
            Scope::Networks => "networks",
            Scope::DiskUsage => "disk-usage",
            Scope::Swarm => "swarm",
            Scope::Files => "files",
            Scope::Top => "top",
            Scope::List => "list",
        }
    }

    pub fn from_name(name: &str) -> Option<Scope> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl From<PaneAction> for Action {
    fn from(a: PaneAction) -> Action {
        Action::Pane(a)
    }
}

/// An action type that belongs to one view's scope, so a view asks for its own keys only.
pub trait Scoped: Sized + Copy {
    const SCOPE: Scope;
    fn wrap(self) -> Action;
    fn unwrap(action: Action) -> Option<Self>;
}

macro_rules! scoped {
    ($($ty:ident => $variant:ident, $scope:expr;)*) => {$(
        impl Scoped for $ty {
            const SCOPE: Scope = $scope;
            fn wrap(self) -> Action {
                Action::$variant(self)
            }
            fn unwrap(action: Action) -> Option<Self> {
                match action {
                    Action::$variant(a) => Some(a),
                    _ => None,
                }
            }
        }
        impl From<$ty> for Action {
            fn from(a: $ty) -> Action {
                Action::$variant(a)
            }
        }
    )*};
}

scoped! {
    TerminalAction => Terminal, Scope::Terminal;
    PrefixAction => Prefix, Scope::Prefix;
    DialogAction => Dialog, Scope::Dialog;
    TransfersAction => Transfers, Scope::Transfers;
    LogsAction => Logs, Scope::Logs;
    EventsAction => Events, Scope::Events;
    InspectAction => Inspect, Scope::Inspect;
    StatsAction => Stats, Scope::Stats;
    TreeAction => Tree, Scope::Tree;
    CommandLogAction => CommandLog, Scope::CommandLog;
    CommandLineAction => CommandLine, Scope::CommandLine;
    HostsAction => Hosts, Scope::Hosts;
    VolumesAction => Volumes, Scope::Volumes;
    NetworksAction => Networks, Scope::Networks;
    DiskUsageAction => DiskUsage, Scope::DiskUsage;
    SwarmAction => Swarm, Scope::Swarm;
    FilesAction => Files, Scope::Files;
    TopAction => Top, Scope::Top;
    ListAction => List, Scope::List;
}

/// A table row: keys (space-separated, as [`Key::parse`] reads them), action, help text,
/// and whether the footer shows it.
type Row<A> = (&'static str, A, &'static str, bool);

const FOOT: bool = true;
const HELP: bool = false;

#[rustfmt::skip]
const GLOBAL: &[Row<PaneAction>] = {
    use PaneAction::*;
    &[
        ("j ↓",             Nav(self::Nav::Down),     "move down",                       HELP),
        ("k ↑",             Nav(self::Nav::Up),       "move up",                         HELP),
        ("PgDn",            Nav(self::Nav::PageDown), "page down",                       HELP),
        ("PgUp",            Nav(self::Nav::PageUp),   "page up",                         HELP),
        ("g Home",          Nav(self::Nav::Top),      "first row",                       HELP),
        ("G End",           Nav(self::Nav::Bottom),   "last row",                        HELP),
        ("Tab →",           FocusNext,                "next pane",                       HELP),
        ("Shift-Tab h ←",   FocusPrev,                "previous pane",                   HELP),
        ("p",               Pull,                     "pull",                            FOOT),
        ("r",               Run,                      "run",                             FOOT),
        ("L",               CommandLog,               "command log",                     HELP),
        ("D",               Transfers,                "pulls in progress",               HELP),
        ("o",               FocusTerminal,            "focus the terminal pane",         HELP),
        ("z",               Zoom,                     "zoom the terminal pane",          HELP),
        ("]",               NextSession,              "next terminal tab",               HELP),
        ("[",               PrevSession,              "previous terminal tab",           HELP),
        ("w",               CloseSession,             "close the terminal tab",          HELP),
        ("Ctrl-R",          Retry,                    "reconnect / refresh now",         HELP),
        ("?",               Help,                     "help",                            FOOT),
        ("q Ctrl-C",        Quit,                     "quit",                            FOOT),
        ("E",               Events,                   "the daemon's events",             HELP),
        ("O",               ExploreTyped,             "structure of a typed reference",  HELP),
        ("/",               Filter,                   "filter the list as you type",     FOOT),
        ("Esc",             ClearFilter,              "clear the filter",                HELP),
        (">",               NextSort,                 "sort by the next column",         HELP),
        ("<",               ReverseSort,              "reverse the sort",                HELP),
        (":",               CommandLine,              "command line (:ps /web, :images, :q …)", HELP),
        ("H",               Hosts,                    "Docker hosts and contexts",       HELP),
        ("V",               Volumes,                  "volumes",                         HELP),
        ("M",               Networks,                 "networks",                        HELP),
        ("F",               DiskUsage,                "disk usage (docker system df)",   HELP),
        ("W",               Swarm,                    "Swarm: services, stacks, nodes, tasks", HELP),
        ("T",               Top,                      "top: every running container's usage", HELP),
    ]
};

#[rustfmt::skip]
const IMAGES: &[Row<PaneAction>] = {
    use PaneAction::*;
    &[
        // In the containers pane `l` opens logs, so only here does it move right.
        ("l",               FocusNext,                "next pane",                       HELP),
        ("d Delete",        Remove,                   "remove",                          FOOT),
        ("t",               Tag,                      "tag",                             FOOT),
        ("X",               Prune,                    "prune dangling images",           HELP),
        ("I",               Inspect,                  "inspect (summary, JSON)",         HELP),
        ("Enter i",         Structure,                "image structure",                 FOOT),
        ("y",               CopyId,                   "copy the image id",               HELP),
        ("Y",               CopyName,                 "copy the image name",             HELP),
    ]
};

#[rustfmt::skip]
const CONTAINERS: &[Row<PaneAction>] = {
    use PaneAction::*;
    &[
        ("s",               Start,                    "start",                           FOOT),
        ("x",               Stop,                     "stop",                            FOOT),
        ("R",               Restart,                  "restart",                         HELP),
        ("K",               Kill,                     "kill (pick a signal)",            FOOT),
        ("P",               PauseToggle,              "pause / unpause",                 HELP),
        ("d Delete",        Remove,                   "remove",                          FOOT),
        ("c",               Commit,                   "commit to an image",              HELP),
        ("Space",           Mark,                     "mark and move down (acts on marked rows)", FOOT),
        ("X",               Prune,                    "prune stopped containers",        HELP),
        ("A",               ToggleAll,                "show all / running containers",   HELP),
        ("Enter",           Fold,                     "fold / unfold a Compose project",  HELP),
        ("C",               ToggleGroups,             "group by Compose project on / off", HELP),
        ("a",               Attach,                   "attach",                          HELP),
        ("e",               Exec,                     "shell",                           FOOT),
        ("!",               ExecCommand,              "run a command in it (a new tab)", HELP),
        ("l",               Logs,                     "logs",                            FOOT),
        ("i",               Inspect,                  "inspect (summary, JSON, processes, changes)", FOOT),
        ("S",               Stats,                    "stats (CPU, memory, I/O), live",  FOOT),
        ("f",               Files,                    "files (browse, read, copy in and out)", HELP),
        ("U",               ToggleUsage,              "CPU and MEM columns on / off",    HELP),
        ("y",               CopyId,                   "copy the container id",           HELP),
        ("Y",               CopyName,                 "copy the container name",         HELP),
    ]
};

#[rustfmt::skip]
const DIALOG: &[Row<DialogAction>] = {
    use DialogAction::*;
    &[
        ("Enter",           Confirm,                  "confirm / submit",                FOOT),
        ("Esc",             Cancel,                   "cancel",                          FOOT),
        ("Tab ↓",           NextField,                "next field",                      FOOT),
        ("Shift-Tab ↑",     PrevField,                "previous field",                  HELP),
        ("Space",           Toggle,                   "switch a [x] option",             HELP),
    ]
};

#[rustfmt::skip]
const TRANSFERS: &[Row<TransfersAction>] = {
    use TransfersAction::*;
    &[
        ("c",               CancelPull,               "cancel the selected pull",        FOOT),
        ("Esc q",           Close,                    "close",                           FOOT),
    ]
};

#[rustfmt::skip]
const TERMINAL: &[Row<TerminalAction>] = {
    use TerminalAction::*;
    &[
        ("Ctrl-]",          Prefix,                   "prefix: the next key is dockpit's", FOOT),
        ("Shift-PgUp",      ScrollBack,               "scroll back",                     FOOT),
        ("Shift-PgDn",      ScrollForward,            "scroll forward",                  HELP),
    ]
};

#[rustfmt::skip]
const PREFIX: &[Row<PrefixAction>] = {
    use PrefixAction::*;
    &[
        ("z",               Zoom,                     "zoom / unzoom (focus stays here)", FOOT),
        ("]",               NextTab,                  "next tab",                        FOOT),
        ("[",               PrevTab,                  "previous tab",                    FOOT),
        ("w",               CloseTab,                 "close the tab (asks if live)", FOOT),
        ("Ctrl-]",          SendPrefix,               "send the prefix key itself", HELP),
        ("Esc",             Leave,                    "back to the panes (so does any pane key)", FOOT),
    ]
};

#[rustfmt::skip]
const LOGS: &[Row<LogsAction>] = {
    use LogsAction::*;
    &[
        ("Esc q",           Close,                    "close",                           FOOT),
        ("/",               Search,                   "search (regex)",                  FOOT),
        ("n",               NextMatch,                "next (older) match",              FOOT),
        ("N",               PrevMatch,                "previous (newer) match",          HELP),
        ("f",               Filter,                   "only matching lines",             FOOT),
        ("t",               Timestamps,               "timestamps",                      FOOT),
        ("w",               Wrap,                     "wrap long lines",                 FOOT),
        ("s",               Save,                     "save to a file",                  FOOT),
        ("y",               Copy,                     "copy the bottom line",            HELP),
        ("Tab",             NextSource,               "all containers / one (merged logs)", HELP),
    ]
};

#[rustfmt::skip]
const EVENTS: &[Row<EventsAction>] = {
    use EventsAction::*;
    &[
        ("Tab",             NextKind,                 "all / container / image / network / volume", FOOT),
        ("Esc q",           Close,                    "close",                           FOOT),
    ]
};

#[rustfmt::skip]
const INSPECT: &[Row<InspectAction>] = {
    use InspectAction::*;
    &[
        ("Tab",             NextTab,                  "next tab",                        FOOT),
        ("/",               Search,                   "search (regex)",                  FOOT),
        ("n",               NextMatch,                "next match",                      FOOT),
        ("N",               PrevMatch,                "previous match",                  HELP),
        ("y",               Copy,                     "copy the top line",               HELP),
        ("Esc q",           Close,                    "close",                           FOOT),
    ]
};

#[rustfmt::skip]
const COMMAND_LOG: &[Row<CommandLogAction>] = &[
        ("y",               CommandLogAction::Copy,   "copy the newest command shown",   FOOT),
];

#[rustfmt::skip]
const COMMAND_LINE: &[Row<CommandLineAction>] = {
    use CommandLineAction::*;
    &[
        ("Enter",           Run,                      "run it",                          FOOT),
        ("Esc",             Close,                    "close",                           FOOT),
        ("Tab",             Complete,                 "complete the name",               FOOT),
        ("↑",               Older,                    "older command",                   FOOT),
        ("↓",               Newer,                    "newer command",                   HELP),
    ]
};

#[rustfmt::skip]
const STATS: &[Row<StatsAction>] = &[
        ("Esc q",           StatsAction::Close,       "close",                           FOOT),
];

#[rustfmt::skip]
const HOSTS: &[Row<HostsAction>] = {
    use HostsAction::*;
    &[
        ("Enter a",         Add,                      "add the context to the live hosts", FOOT),
        ("d",               Remove,                   "remove from the live hosts (asks)", FOOT),
        ("O",               Only,                     "watch only this host (asks)",     FOOT),
        ("R",               ReadOnly,                 "read-only on / off",              FOOT),
        ("n",               New,                      "add a host by its endpoint",      FOOT),
        ("/",               Filter,                   "filter the names as you type",    HELP),
        ("Esc q",           Close,                    "clear the filter / close",        FOOT),
    ]
};

#[rustfmt::skip]
const TREE: &[Row<TreeAction>] = {
    use TreeAction::*;
    &[
        ("Enter Space",     Toggle,                   "open / close",                    FOOT),
        ("c",               Copy,                     "copy the digest",                 FOOT),
        ("p",               Pull,                     "pull this platform by digest",    FOOT),
        ("Esc q",           Close,                    "close",                           FOOT),
    ]
};

#[rustfmt::skip]
const VOLUMES: &[Row<VolumesAction>] = {
    use VolumesAction::*;
    &[
        ("c",               Create,                   "create",                          FOOT),
        ("d Delete",        Remove,                   "remove (asks)",                   FOOT),
        ("X",               Prune,                    "prune unused volumes (asks)",     FOOT),
        ("i Enter",         Inspect,                  "inspect",                         FOOT),
        ("Ctrl-R",          Refresh,                  "refresh (sizes too)",             HELP),
        ("Esc q",           Close,                    "close",                           FOOT),
    ]
};

#[rustfmt::skip]
const NETWORKS: &[Row<NetworksAction>] = {
    use NetworksAction::*;
    &[
        ("c",               Create,                   "create",                          FOOT),
        ("d Delete",        Remove,                   "remove (asks)",                   FOOT),
        ("C",               Connect,                  "connect a container",             FOOT),
        ("D",               Disconnect,               "disconnect a container",          FOOT),
        ("X",               Prune,                    "prune unused networks (asks)",    HELP),
        ("i Enter",         Inspect,                  "inspect",                         FOOT),
        ("Ctrl-R",          Refresh,                  "refresh",                         HELP),
        ("Esc q",           Close,                    "close",                           FOOT),
    ]
};

#[rustfmt::skip]
const DISK_USAGE: &[Row<DiskUsageAction>] = {
    use DiskUsageAction::*;
    &[
        ("X",               Prune,                    "prune the selected kind (asks)",  FOOT),
        ("Ctrl-R",          Refresh,                  "refresh",                         FOOT),
        ("Esc q",           Close,                    "close",                           FOOT),
    ]
};

#[rustfmt::skip]
const SWARM: &[Row<SwarmAction>] = {
    use SwarmAction::*;
    &[
        ("Tab",             NextTab,                  "services / stacks / nodes",       FOOT),
        ("Enter",           Open,                     "open: tasks, a stack's services", FOOT),
        ("n",               Create,                   "create a service",                FOOT),
        ("=",               Scale,                    "scale a service",                 FOOT),
        ("u",               Update,                   "restart every task (asks)",       FOOT),
        ("b",               Rollback,                 "roll a service back (asks)",      HELP),
        ("d Delete",        Remove,                   "remove (asks)",                   FOOT),
        ("a",               Availability,             "node availability: active, pause, drain", HELP),
        ("+",               Promote,                  "promote a node to manager (asks)", HELP),
        ("-",               Demote,                   "demote a node to worker (asks)",  HELP),
        ("l",               Logs,                     "logs (a service's merged)",       FOOT),
        ("e",               Shell,                    "shell in a task",                 FOOT),
        ("S",               Stats,                    "stats of a task's container",     HELP),
        ("i",               Inspect,                  "inspect",                         HELP),
        ("Ctrl-R",          Refresh,                  "refresh",                         HELP),
        ("/",               Filter,                   "filter the rows as you type",     FOOT),
        ("Esc q",           Close,                    "clear the filter / back / close", FOOT),
    ]
};

#[rustfmt::skip]
const FILES: &[Row<FilesAction>] = {
    use FilesAction::*;
    &[
        ("Enter → l",       Open,                     "open the folder / read the file", FOOT),
        ("Backspace ← h",   Up,                       "up to the parent folder",         FOOT),
        ("s",               Download,                 "download to this machine (docker cp)", FOOT),
        ("u",               Upload,                   "upload into this folder (docker cp)", FOOT),
        ("c",               Changes,                  "changes since start (docker diff)", FOOT),
        ("y",               CopyPath,                 "copy the path",                   HELP),
        ("Ctrl-R",          Refresh,                  "list again",                      HELP),
        ("/",               Filter,                   "filter the entries as you type",  FOOT),
        ("Esc q",           Close,                    "clear the filter / close",        FOOT),
    ]
};

#[rustfmt::skip]
const TOP: &[Row<TopAction>] = {
    use TopAction::*;
    &[
        ("Enter",           Stats,                    "the container's stats, live",     FOOT),
        ("Ctrl-R",          Refresh,                  "the hosts' cores and memory again", HELP),
        ("Esc q",           Close,                    "close",                           FOOT),
    ]
};

#[rustfmt::skip]
const LIST: &[Row<ListAction>] = {
    use ListAction::*;
    &[
        ("/",               Filter,                   "filter (@host too)",            FOOT),
        ("Esc",             ClearFilter,              "clear the filter (then: close)",  HELP),
        (">",               SortNext,                 "sort by the next column",         HELP),
        ("<",               SortReverse,              "reverse the sort",                HELP),
        ("Space",           Mark,                     "mark and move down (verbs act on marked rows)", HELP),
        ("y",               CopyKey,                  "copy the id",                     HELP),
        ("Y",               CopyName,                 "copy the name",                   HELP),
    ]
};

/// Help sections, in the order help and the README list them.
const SECTIONS: [(&str, Scope); Scope::ALL.len()] = [
    ("Everywhere", Scope::Global),
    ("Images pane", Scope::Pane(Pane::Images)),
    ("Containers pane", Scope::Pane(Pane::Containers)),
    ("Dialogs", Scope::Dialog),
    ("Pulls view", Scope::Transfers),
    ("Terminal pane", Scope::Terminal),
    ("Terminal pane, after the prefix", Scope::Prefix),
    ("Logs view", Scope::Logs),
    ("Events view", Scope::Events),
    ("Inspect view", Scope::Inspect),
    ("Stats view", Scope::Stats),
    ("Image structure view", Scope::Tree),
    ("Command log", Scope::CommandLog),
    ("Command line", Scope::CommandLine),
    ("Hosts view", Scope::Hosts),
    ("Volumes view", Scope::Volumes),
    ("Networks view", Scope::Networks),
    ("Disk usage view", Scope::DiskUsage),
    ("Swarm view", Scope::Swarm),
    ("Files view", Scope::Files),
    ("Top view", Scope::Top),
    ("Lists (volumes, networks, disk usage, top)", Scope::List),
];

/// Where help lists the user's own commands.
const CUSTOM_SECTIONS: [(&str, Scope); 2] = [
    ("Your commands: images pane", Scope::Pane(Pane::Images)),
    (
        "Your commands: containers pane",
        Scope::Pane(Pane::Containers),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    /// Only for non-character keys: characters carry Shift in themselves.
    pub shift: bool,
}

impl Key {
    /// `ctrl-]`, `ctrl-a`, `ctrl-b` …: the forms a prefix key is given in.
    pub fn parse_ctrl(text: &str) -> Result<Self, String> {
        let lower = text.trim().to_ascii_lowercase();
        let c = lower
            .strip_prefix("ctrl-")
            .or_else(|| lower.strip_prefix("c-"))
            .filter(|rest| rest.chars().count() == 1)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_ascii_lowercase() || "]\\^_".contains(*c));
        match c {
            // Ctrl-C, Ctrl-D and friends belong to the programs in the container.
            Some(c) if !"cdz".contains(c) => Ok(Self::ctrl(c)),
            Some(c) => Err(format!(
                "ctrl-{c} is needed by programs in containers; choose another key"
            )),
            None => Err(format!("{text:?} is not a key like ctrl-] or ctrl-a")),
        }
    }

    /// A key event as help writes keys ("A", "Ctrl-R", "PgDn").
    pub fn describe(event: &KeyEvent) -> String {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let shift = event.modifiers.contains(KeyModifiers::SHIFT);
        let key = match event.code {
            KeyCode::Char(c) if ctrl => Self::ctrl(c.to_ascii_lowercase()),
            KeyCode::Char(c) => Self::plain(KeyCode::Char(c)),
            code if shift && code != KeyCode::BackTab => Self::shift(code),
            code => Self::plain(code),
        };
        key.label()
    }

    /// A key as a config file gives it: what [`Key::parse`] reads, with modifiers and key
    /// names in any case (`ctrl-r`, `C-r`, `pgdn`, `PageDown`, `escape`, `shift-tab`).
    pub fn from_config(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        if let Some(rest) = ["ctrl-", "c-"]
            .iter()
            .find_map(|p| lower.strip_prefix(p).map(|_| &text[p.len()..]))
            .filter(|rest| !rest.is_empty())
        {
            return Self::parse(&format!("Ctrl-{rest}"));
        }
        if let Some(rest) = lower.strip_prefix("shift-").map(|_| &text[6..]) {
            return Self::parse(&format!("Shift-{}", Self::from_config(rest)?.label()));
        }
        let named = match lower.as_str() {
            "space" => "Space",
            "tab" => "Tab",
            "backtab" => "Shift-Tab",
            "up" => "↑",
            "down" => "↓",
            "left" => "←",
            "right" => "→",
            "pgup" | "pageup" => "PgUp",
            "pgdn" | "pagedown" => "PgDn",
            "home" => "Home",
            "end" => "End",
            "enter" | "return" => "Enter",
            "esc" | "escape" => "Esc",
            "delete" | "del" => "Delete",
            "backspace" => "Backspace",
            _ => text,
        };
        Self::parse(named).map_err(|_| {
            format!(
                "{text:?} is not a key: write one character (x, X, ?), Ctrl-x, or a name \
                 (Enter, Esc, Tab, Shift-Tab, Space, Up, Down, Left, Right, PgUp, PgDn, Home, \
                 End, Delete, Backspace)"
            )
        })
    }

    /// One key as [`Key::label`] writes it: `j`, `↓`, `PgDn`, `Shift-Tab`, `Ctrl-R`, `Space`.
    pub fn parse(text: &str) -> Result<Self, String> {
        if let Some(rest) = text.strip_prefix("Ctrl-") {
            let mut chars = rest.chars();
            return match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(Self::ctrl(c.to_ascii_lowercase())),
                _ => Err(format!("{text:?}: Ctrl- takes one character")),
            };
        }
        if let Some(rest) = text.strip_prefix("Shift-") {
            return match Self::parse(rest)?.code {
                KeyCode::Tab => Ok(Self::plain(KeyCode::BackTab)),
                KeyCode::Char(_) => Err(format!("{text:?}: write the shifted character itself")),
                code => Ok(Self::shift(code)),
            };
        }
        let code = match text {
            "Space" => KeyCode::Char(' '),
            "Tab" => KeyCode::Tab,
            "↑" | "Up" => KeyCode::Up,
            "↓" | "Down" => KeyCode::Down,
            "←" | "Left" => KeyCode::Left,
            "→" | "Right" => KeyCode::Right,
            "PgUp" => KeyCode::PageUp,
            "PgDn" => KeyCode::PageDown,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "Delete" => KeyCode::Delete,
            "Backspace" => KeyCode::Backspace,
            _ => {
                let mut chars = text.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => KeyCode::Char(c),
                    _ => return Err(format!("{text:?} is not a key")),
                }
            }
        };
        Ok(Self::plain(code))
    }

    const fn plain(code: KeyCode) -> Self {
        Self {
            code,
            ctrl: false,
            shift: false,
        }
    }
    const fn ctrl(c: char) -> Self {
        Self {
            code: KeyCode::Char(c),
            ctrl: true,
            shift: false,
        }
    }
    const fn shift(code: KeyCode) -> Self {
        Self {
            code,
            ctrl: false,
            shift: true,
        }
    }

    /// Terminals report Shift with the shifted character itself ('A'), so only Ctrl counts
    /// for characters; for other keys Shift is part of the binding (Shift-PgUp).
    fn matches(&self, event: &KeyEvent) -> bool {
        // No binding uses Alt: Alt-g (or Esc then g, typed fast) is not g.
        if event.modifiers.contains(KeyModifiers::ALT) {
            return false;
        }
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let code = match event.code {
            // Ctrl-\ ] ^ _ arrive as Ctrl-4..7 (the bytes 0x1c..0x1f).
            KeyCode::Char(c @ '4'..='7') if ctrl => {
                KeyCode::Char(['\\', ']', '^', '_'][c as usize - '4' as usize])
            }
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            code => code,
        };
        // BackTab implies Shift; for characters Shift is in the character.
        let shift_matters = !matches!(code, KeyCode::Char(_) | KeyCode::BackTab);
        let shift = event.modifiers.contains(KeyModifiers::SHIFT);
        self.code == code && self.ctrl == ctrl && (!shift_matters || self.shift == shift)
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Delete => "Delete".into(),
            KeyCode::Backspace => "Backspace".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else if self.shift {
            format!("Shift-{base}")
        } else {
            base
        }
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub scope: Scope,
    /// Ours are fixed; a custom command's is its name from the config.
    pub help: Cow<'static, str>,
    /// Shown in the footer (the most useful keys only; `?` lists them all).
    pub footer: bool,
}

impl Binding {
    /// One of the user's `[[commands]]`.
    pub fn is_custom(&self) -> bool {
        matches!(self.action, Action::Pane(PaneAction::Custom(_)))
    }

    /// The footer has room for one key per action.
    pub fn first_key_label(&self) -> String {
        self.keys.first().map(Key::label).unwrap_or_default()
    }

    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

/// The bindings of one table.
fn rows<A: Copy>(scope: Scope, table: &[Row<A>], wrap: fn(A) -> Action) -> Vec<Binding> {
    table
        .iter()
        .map(|&(keys, action, help, footer)| Binding {
            // The tables are ours and a test parses every one of them.
            keys: keys.split(' ').filter_map(|k| Key::parse(k).ok()).collect(),
            action: wrap(action),
            scope,
            help: Cow::Borrowed(help),
            footer,
        })
        .collect()
}

impl Default for Keymap {
    fn default() -> Self {
        let pane = Action::Pane;
        let bindings = [
            rows(Scope::Global, GLOBAL, pane),
            rows(Scope::Pane(Pane::Images), IMAGES, pane),
            rows(Scope::Pane(Pane::Containers), CONTAINERS, pane),
            rows(Scope::Dialog, DIALOG, Scoped::wrap),
            rows(Scope::Transfers, TRANSFERS, Scoped::wrap),
            rows(Scope::Terminal, TERMINAL, Scoped::wrap),
            rows(Scope::Prefix, PREFIX, Scoped::wrap),
            rows(Scope::Logs, LOGS, Scoped::wrap),
            rows(Scope::Events, EVENTS, Scoped::wrap),
            rows(Scope::Inspect, INSPECT, Scoped::wrap),
            rows(Scope::Stats, STATS, Scoped::wrap),
            rows(Scope::Tree, TREE, Scoped::wrap),
            rows(Scope::CommandLog, COMMAND_LOG, Scoped::wrap),
            rows(Scope::CommandLine, COMMAND_LINE, Scoped::wrap),
            rows(Scope::Hosts, HOSTS, Scoped::wrap),
            rows(Scope::Volumes, VOLUMES, Scoped::wrap),
            rows(Scope::Networks, NETWORKS, Scoped::wrap),
            rows(Scope::DiskUsage, DISK_USAGE, Scoped::wrap),
            rows(Scope::Swarm, SWARM, Scoped::wrap),
            rows(Scope::Files, FILES, Scoped::wrap),
            rows(Scope::Top, TOP, Scoped::wrap),
            rows(Scope::List, LIST, Scoped::wrap),
        ];
        Self {
            bindings: bindings.into_iter().flatten().collect(),
        }
    }
}

impl Keymap {
    /// Rebinds the terminal pane's prefix key (and the prefix twice, which sends it).
    pub fn set_prefix(&mut self, key: Key) {
        for b in &mut self.bindings {
            if matches!(
                b.action,
                Action::Terminal(TerminalAction::Prefix) | Action::Prefix(PrefixAction::SendPrefix)
            ) {
                b.keys = vec![key];
            }
        }
    }

    /// Binds `keys` to the action called `name` in `scope`, in place of its keys (none
    /// unbinds it).
    pub fn rebind(&mut self, scope: Scope, name: &str, keys: Vec<Key>) -> Result<(), String> {
        match self
            .bindings
            .iter_mut()
            .find(|b| b.scope == scope && !b.is_custom() && b.action.name() == name)
        {
            Some(binding) => {
                binding.keys = keys;
                Ok(())
            }
            None => Err(format!(
                "unknown action {name:?} in [keys.{}]; its actions are {}",
                scope.name(),
                self.action_names(scope).join(", ")
            )),
        }
    }

    /// The actions a scope binds, by name.
    pub fn action_names(&self, scope: Scope) -> Vec<&'static str> {
        self.bindings
            .iter()
            .filter(|b| b.scope == scope && !b.is_custom())
            .map(|b| b.action.name())
            .collect()
    }

    /// Keys one lookup would find twice: two actions of one scope, or of a pane and of
    /// everywhere (the pane's would silently win). Each as (scope, key, the two actions).
    pub fn conflicts(&self) -> Vec<(Scope, Key, &Binding, &Binding)> {
        let mut out = Vec::new();
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                let together = a.scope == b.scope
                    || (matches!(a.scope, Scope::Pane(_)) && b.scope == Scope::Global)
                    || (a.scope == Scope::Global && matches!(b.scope, Scope::Pane(_)));
                if !together {
                    continue;
                }
                if let Some(key) = a.keys.iter().find(|k| b.keys.contains(k)) {
                    out.push((a.scope, *key, a, b));
                }
            }
        }
        out
    }

    /// The one lookup: the action a key has in a scope.
    fn find(&self, event: &KeyEvent, scope: Scope) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.scope == scope && b.keys.iter().any(|k| k.matches(event)))
            .map(|b| b.action)
    }

    /// The containers pane's own action for a key (not a global one).
    pub fn container(&self, event: &KeyEvent) -> Option<PaneAction> {
        match self.find(event, Scope::Pane(Pane::Containers))? {
            Action::Pane(a) => Some(a),
            _ => None,
        }
    }

    /// A view's own action for a key.
    pub fn get<A: Scoped>(&self, event: &KeyEvent) -> Option<A> {
        self.find(event, A::SCOPE).and_then(A::unwrap)
    }

    /// The action for a key in a pane; the pane's bindings win over global ones.
    pub fn pane(&self, event: &KeyEvent, focus: Pane) -> Option<PaneAction> {
        let action = self
            .find(event, Scope::Pane(focus))
            .or_else(|| self.find(event, Scope::Global))?;
        match action {
            Action::Pane(a) => Some(a),
            _ => None,
        }
    }

    /// A movement key (they work in every list and view).
    pub fn nav(&self, event: &KeyEvent) -> Option<Nav> {
        match self.find(event, Scope::Global)? {
            Action::Pane(PaneAction::Nav(nav)) => Some(nav),
            _ => None,
        }
    }

    /// A key press of the first key bound to an action (the mouse wheel presses the keys
    /// that move, as bound), if any.
    pub fn event_for(&self, action: Action) -> Option<KeyEvent> {
        let key = self
            .bindings
            .iter()
            .find(|b| b.action == action)?
            .keys
            .first()?;
        let mut modifiers = KeyModifiers::NONE;
        if key.ctrl {
            modifiers |= KeyModifiers::CONTROL;
        }
        if key.shift {
            modifiers |= KeyModifiers::SHIFT;
        }
        Some(KeyEvent::new(key.code, modifiers))
    }

    /// The first key bound to an action, as help writes it ("?" if it is unbound).
    pub fn key_for(&self, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.action == action && !b.keys.is_empty())
            .map_or_else(|| "?".into(), Binding::first_key_label)
    }

    /// A message with `{start}`, `{pull}`, … replaced by the keys really bound to them, so
    /// a remapped key never makes a message lie. Unknown names stay as written.
    pub fn fill(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name = after.find('}').map(|close| &after[..close]);
            let action = name.and_then(|name| {
                GLOBAL
                    .iter()
                    .chain(IMAGES)
                    .chain(CONTAINERS)
                    .map(|row| row.1)
                    .find(|a| a.name() == name)
            });
            match (name, action) {
                (Some(name), Some(action)) => {
                    out.push_str(&self.key_for(Action::Pane(action)));
                    rest = &after[name.len() + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The footer's hints for a scope of its own (a dialog or view).
    pub fn hints(&self, scope: Scope) -> Vec<(String, &str)> {
        self.bindings
            .iter()
            .filter(|b| b.footer && b.scope == scope && !b.keys.is_empty())
            .map(|b| (b.keys_label(), b.help.as_ref()))
            .collect()
    }

    /// The pane where a key does something, when it does nothing in the focused one.
    pub fn elsewhere(&self, event: &KeyEvent, focus: Pane) -> Option<Pane> {
        [Pane::Images, Pane::Containers]
            .into_iter()
            .filter(|p| *p != focus)
            .find(|p| self.find(event, Scope::Pane(*p)).is_some())
    }

    /// The footer's hints for the focused pane: its own keys first, then global ones;
    /// actions `refused` now are not advertised.
    pub fn footer(&self, focus: Pane, refused: impl Fn(PaneAction) -> bool) -> Vec<(String, &str)> {
        let shown = |b: &&Binding| {
            !b.keys.is_empty()
                && match b.action {
                    Action::Pane(a) => b.footer && !refused(a),
                    _ => b.footer,
                }
        };
        let pane = self
            .bindings
            .iter()
            .filter(|b| b.scope == Scope::Pane(focus))
            .filter(shown);
        let global = self
            .bindings
            .iter()
            .filter(|b| b.scope == Scope::Global)
            .filter(shown);
        // Help first: when the footer is cut short, `?` still shows.
        let (help, global): (Vec<_>, Vec<_>) =
            global.partition(|b| b.action == Action::Pane(PaneAction::Help));
        help.into_iter()
            .chain(pane)
            .chain(global)
            .map(|b| (b.first_key_label(), b.help.as_ref()))
            .collect()
    }

    /// Bindings grouped by where they apply, for the help overlay and README.
    /// The user's commands come last, under their own headings.
    pub fn sections(&self) -> Vec<(&'static str, Vec<&Binding>)> {
        let ours = SECTIONS
            .into_iter()
            .map(|(title, scope)| (title, scope, false));
        let theirs = CUSTOM_SECTIONS
            .into_iter()
            .map(|(title, scope)| (title, scope, true));
        ours.chain(theirs)
            .map(|(title, scope, custom)| {
                let rows = self
                    .bindings
                    .iter()
                    .filter(|b| b.scope == scope && !b.keys.is_empty())
                    .filter(|b| b.is_custom() == custom)
                    .collect();
                (title, rows)
            })
            .filter(|(_, rows): &(_, Vec<_>)| !rows.is_empty())
            .collect()
    }

    /// Binds the user's command number `index` (see [`PaneAction::Custom`]) to `key` in its
    /// pane. Refused when the key already does something there.
    pub fn add_custom(
        &mut self,
        index: u16,
        pane: Pane,
        key: Key,
        name: &str,
    ) -> Result<(), String> {
        let scope = Scope::Pane(pane);
        let taken = self
            .bindings
            .iter()
            .find(|b| (b.scope == scope || b.scope == Scope::Global) && b.keys.contains(&key));
        if let Some(b) = taken {
            return Err(format!(
                "{} is already [keys.{}] {}{}",
                key.label(),
                b.scope.name(),
                b.action.name(),
                if b.is_custom() {
                    format!(" ({:?})", b.help)
                } else {
                    String::new()
                }
            ));
        }
        self.bindings.push(Binding {
            keys: vec![key],
            action: Action::Pane(PaneAction::Custom(index)),
            scope,
            help: Cow::Owned(name.to_string()),
            footer: false,
        });
        Ok(())
    }

    /// The README's key table.
    pub fn markdown(&self) -> String {
        let mut out = String::from("| where | keys | action |\n|---|---|---|\n");
        for (title, rows) in self.sections() {
            for b in rows {
                out.push_str(&format!(
                    "| {title} | `{}` | {} |\n",
                    b.keys_label(),
                    b.help
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn shifted_letters_and_ctrl_are_told_apart() {
        let km = Keymap::default();
        let shift_a = key(KeyCode::Char('A'), KeyModifiers::SHIFT);
        assert_eq!(
            km.pane(&shift_a, Pane::Containers),
            Some(PaneAction::ToggleAll)
        );
        assert_eq!(km.pane(&shift_a, Pane::Images), None);
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(km.pane(&ctrl_c, Pane::Images), Some(PaneAction::Quit));
        let plain_c = key(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(km.pane(&plain_c, Pane::Images), None);
        let alt_q = key(KeyCode::Char('q'), KeyModifiers::ALT);
        assert_eq!(km.pane(&alt_q, Pane::Images), None, "Alt-q is not q");
    }

    #[test]
    fn the_prefix_key_can_be_rebound() {
        let mut km = Keymap::default();
        km.set_prefix(Key::parse_ctrl("ctrl-a").expect("valid"));
        let ctrl_a = key(KeyCode::Char('a'), KeyModifiers::CONTROL);
        assert_eq!(km.get(&ctrl_a), Some(TerminalAction::Prefix));
        assert_eq!(km.get(&ctrl_a), Some(PrefixAction::SendPrefix));
        assert_eq!(km.hints(Scope::Terminal)[0].0, "Ctrl-A");
        assert!(
            Key::parse_ctrl("ctrl-c")
                .expect_err("taken")
                .contains("needed by programs")
        );
        assert!(Key::parse_ctrl("alt-x").is_err());
        assert!(Key::parse_ctrl("ctrl-]").is_ok());
    }

    #[test]
    fn every_table_key_parses_and_labels_back() {
        let tables: Vec<&str> = [GLOBAL, IMAGES, CONTAINERS]
            .iter()
            .flat_map(|t| t.iter().map(|r| r.0))
            .chain(DIALOG.iter().map(|r| r.0))
            .chain(TRANSFERS.iter().map(|r| r.0))
            .chain(TERMINAL.iter().map(|r| r.0))
            .chain(PREFIX.iter().map(|r| r.0))
            .chain(LOGS.iter().map(|r| r.0))
            .chain(EVENTS.iter().map(|r| r.0))
            .chain(INSPECT.iter().map(|r| r.0))
            .chain(STATS.iter().map(|r| r.0))
            .chain(TREE.iter().map(|r| r.0))
            .chain(COMMAND_LOG.iter().map(|r| r.0))
            .chain(COMMAND_LINE.iter().map(|r| r.0))
            .chain(VOLUMES.iter().map(|r| r.0))
            .chain(NETWORKS.iter().map(|r| r.0))
            .chain(DISK_USAGE.iter().map(|r| r.0))
            .collect();
        for keys in tables {
            for text in keys.split(' ') {
                let key = Key::parse(text).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(key.label(), text, "{text} labels back");
            }
        }
        assert!(Key::parse("Shift-a").is_err());
        assert!(Key::parse("Ctrl-ab").is_err());
        assert!(Key::parse("nope").is_err());
    }

    #[test]
    fn messages_name_the_keys_really_bound() {
        let mut km = Keymap::default();
        assert_eq!(
            km.fill("start it ({start}), or {x}"),
            "start it (s), or {x}"
        );
        for b in &mut km.bindings {
            if b.action == Action::Pane(PaneAction::Start) {
                b.keys = vec![Key::parse("S").expect("valid")];
            }
        }
        assert_eq!(km.fill("start it ({start})"), "start it (S)");
        assert_eq!(km.fill("{unclosed"), "{unclosed");
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        let km = Keymap::default();
        for (i, a) in km.bindings.iter().enumerate() {
            for b in &km.bindings[i + 1..] {
                let overlap = a.scope == b.scope && a.keys.iter().any(|k| b.keys.contains(k));
                assert!(!overlap, "{:?} and {:?} share a key", a.action, b.action);
            }
        }
    }

    #[test]
    fn every_action_has_one_name_in_its_scope() {
        let km = Keymap::default();
        for scope in Scope::ALL {
            assert_eq!(Scope::from_name(scope.name()), Some(scope));
            let mut names = km.action_names(scope);
            assert!(!names.is_empty(), "{scope:?}");
            let count = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), count, "a name twice in {scope:?}");
        }
        assert!(
            km.conflicts().is_empty(),
            "{:?}",
            km.conflicts().first().map(|c| c.1)
        );
    }

    #[test]
    fn readme_key_table_is_the_keymap() {
        let readme = include_str!("../../README.md");
        let table = Keymap::default().markdown();
        assert!(
            readme.contains(&table),
            "README's key table is out of date; replace it with:\n{table}"
        );
    }
}
