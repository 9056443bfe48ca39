//! Every key dockpit handles, as data: one table per scope, one binding per line. Views look
//! their keys up here, and the help overlay, the footer and the README's key table are all
//! generated from the same tables.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Pane;

/// Declares a scope's actions once: the enum, and each action's name in the config file
/// (`[keys.logs] search = "/"`), unique within its scope.
macro_rules! actions {
    ($(#[$meta:meta])* pub enum $enum:ident {
        $($(#[$vmeta:meta])* $variant:ident = $name:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $enum {
            $($(#[$vmeta])* $variant,)*
        }

        impl $enum {
            /// Its name in the config file.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }
        }
    };
}

/// Declares every scope of its own once, each on one line: its variant of [`Scope`] and
/// [`Action`], its action type, its name in the config file (`[keys.volumes]`), its title in
/// help, and its table. Help lists them in this order, after the panes.
macro_rules! scopes {
    ($($(#[$meta:meta])* $variant:ident($ty:ident), $name:literal, $title:literal, $table:ident;)*) => {
        /// What a binding does, in the scope it belongs to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            Pane(PaneAction),
            $($variant($ty),)*
        }

        impl Action {
            /// Its name in the config file, unique within its scope.
            pub fn name(self) -> &'static str {
                match self {
                    Action::Pane(a) => a.name(),
                    $(Action::$variant(a) => a.name(),)*
                }
            }
        }

        /// Where a binding applies.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Scope {
            Global,
            Pane(Pane),
            $($(#[$meta])* $variant,)*
        }

        impl Scope {
            /// Every scope, in the order help lists them.
            pub const ALL: [Scope; 3 + [$($name),*].len()] = [
                Scope::Global,
                Scope::Pane(Pane::Images),
                Scope::Pane(Pane::Containers),
                $(Scope::$variant,)*
            ];

            /// Its name in the config file (`[keys.containers]`).
            pub fn name(self) -> &'static str {
                match self {
                    Scope::Global => "global",
                    Scope::Pane(Pane::Images) => "images",
                    Scope::Pane(Pane::Containers) => "containers",
                    Scope::Pane(Pane::Terminal) => "terminal",
                    $(Scope::$variant => $name,)*
                }
            }

            /// Its title in help.
            fn title(self) -> &'static str {
                match self {
                    Scope::Global => "Everywhere",
                    Scope::Pane(Pane::Images) => "Images pane",
                    Scope::Pane(Pane::Containers) => "Containers pane",
                    Scope::Pane(Pane::Terminal) => "Terminal pane",
                    $(Scope::$variant => $title,)*
                }
            }
        }

        $(
            impl Scoped for $ty {
                const SCOPE: Scope = Scope::$variant;
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
        )*

        /// The bindings of every scope of its own.
        fn scoped_bindings() -> Vec<Binding> {
            [$(rows(Scope::$variant, $table, Scoped::wrap),)*].into_iter().flatten().collect()
        }

        /// Every key of every table, as written.
        #[cfg(test)]
        fn table_keys() -> Vec<&'static str> {
            let panes = [GLOBAL, IMAGES, CONTAINERS].into_iter().flatten().map(|r| r.0);
            let scoped = [$($table.iter().map(|r| r.0).collect::<Vec<_>>(),)*];
            panes.chain(scoped.into_iter().flatten()).collect()
        }
    };
}

#[rustfmt::skip]
scopes! {
    Dialog(DialogAction),           "dialog",       "Dialogs",                          DIALOG;
    Transfers(TransfersAction),     "pulls",        "Pulls view",                       TRANSFERS;
    Terminal(TerminalAction),       "terminal",     "Terminal pane",                    TERMINAL;
    /// The terminal pane after its prefix key.
    Prefix(PrefixAction),           "prefix",       "Terminal pane, after the prefix",  PREFIX;
    Logs(LogsAction),               "logs",         "Logs view",                        LOGS;
    Events(EventsAction),           "events",       "Events view",                      EVENTS;
    Inspect(InspectAction),         "inspect",      "Inspect view",                     INSPECT;
    Stats(StatsAction),             "stats",        "Stats view",                       STATS;
    Tree(TreeAction),               "structure",    "Image structure view",             TREE;
    CommandLog(CommandLogAction),   "command-log",  "Command log",                      COMMAND_LOG;
    CommandLine(CommandLineAction), "command-line", "Command line",                     COMMAND_LINE;
    Hosts(HostsAction),             "hosts",        "Hosts view",                       HOSTS;
    Volumes(VolumesAction),         "volumes",      "Volumes view",                     VOLUMES;
    Networks(NetworksAction),       "networks",     "Networks view",                    NETWORKS;
    DiskUsage(DiskUsageAction),     "disk-usage",   "Disk usage view",                  DISK_USAGE;
    SwarmServices(SwarmServicesAction), "swarm-services", "Swarm services (and a stack's)", SWARM_SERVICES;
    SwarmStacks(SwarmStacksAction), "swarm-stacks", "Swarm stacks",                     SWARM_STACKS;
    SwarmNodes(SwarmNodesAction),   "swarm-nodes",  "Swarm nodes",                      SWARM_NODES;
    SwarmTasks(SwarmTasksAction),   "swarm-tasks",  "Swarm tasks (a service's or a node's)", SWARM_TASKS;
    Files(FilesAction),             "files",        "Files view",                       FILES;
    /// The containers pane's keys act on its rows too (`top::Top::other_key`).
    Top(TopAction),                 "top",          "Top view (and the containers pane's keys, on a row)", TOP;
    Compose(ComposeAction),         "compose",      "Compose projects view",            COMPOSE;
    ComposeServices(ComposeServicesAction), "compose-services", "Compose services view", COMPOSE_SERVICES;
    Layers(LayersAction),           "layers",       "Layers view",                      LAYERS;
    Builds(BuildsAction),           "builds",       "Builds view",                      BUILDS;
    Build(BuildAction),             "build",        "Build view",                       BUILD;
    Alerts(AlertsAction),           "alerts",       "Alerts view",                      ALERTS;
    Timeline(TimelineAction),       "timeline",     "Timeline view",                    TIMELINE;
    /// Every generic list, whatever its kind.
    List(ListAction),               "list",         "Lists (volumes, networks, disk usage, hosts, top, builds)", LIST;
}

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
    Push,
    /// The build form (`docker build`).
    Build,
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
    /// A list kind, by the name it is registered under in [`super::kinds`].
    List(&'static str),
    /// The selected container's files.
    Files,
    /// The user's command of this index in the config's `[[commands]]`.
    Custom(u16),
    /// The Swarm views (a live host is a manager).
    Swarm,
    /// The selected image's layers.
    Layers,
    /// Recreate the container with the latest image of its name.
    Recreate,
    /// Its limits and restart policy (`docker update`).
    Limits,
    Rename,
    /// Open its first HTTP-looking published port in the browser.
    OpenPort,
}

impl PaneAction {
    /// Whether it acts on the one container selected, so a view whose rows are containers
    /// (top) takes it for its selected row (and help over that view lists it).
    pub fn acts_on_container(self) -> bool {
        use PaneAction::*;
        matches!(
            self,
            Start
                | Stop
                | Restart
                | Kill
                | PauseToggle
                | Remove
                | Commit
                | Attach
                | Exec
                | ExecCommand
                | Logs
                | Inspect
                | Stats
                | Files
                | Custom(_)
        )
    }

    /// Whether it would change anything on the Docker host (refused in read-only mode).
    pub fn changes_state(self) -> bool {
        use PaneAction::*;
        matches!(
            self,
            Pull | Run
                | Remove
                | Tag
                | Push
                | Build
                | Start
                | Stop
                | Restart
                | Kill
                | PauseToggle
                | Commit
                | Prune
                | Exec
                | ExecCommand
                | Recreate
                | Limits
                | Rename
        )
    }

    /// Whether it needs a connected daemon (refused, and not advertised, without one).
    pub fn needs_docker(self) -> bool {
        use PaneAction::*;
        match self {
            List(kind) => super::kinds::needs_docker(kind),
            _ => {
                self.changes_state()
                    || matches!(
                        self,
                        Inspect | Structure | Kill | Attach | Logs | Stats | Swarm | Files | Layers
                    )
            }
        }
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
            Push => "push",
            Build => "build",
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
            List(name) => name,
            Swarm => "swarm",
            Files => "files",
            Layers => "layers",
            Recreate => "recreate",
            Limits => "limits",
            Rename => "rename",
            OpenPort => "open-port",
            // Bound in `[[commands]]`, never in `[keys]`: see `Keymap::rebind`.
            Custom(_) => "command",
        }
    }
}

actions! {
    /// The terminal pane's own keys; every other key goes to the container.
    pub enum TerminalAction {
        /// The next key is dockpit's (as tmux's prefix): see [`PrefixAction`].
        Prefix = "prefix",
        ScrollBack = "scroll-back",
        ScrollForward = "scroll-forward",
    }
}

actions! {
    /// The key after the terminal pane's prefix. Any key not bound here leaves the pane and acts
    /// on the panes, so `Ctrl-]` then a pane key does what that key does there.
    pub enum PrefixAction {
        Zoom = "zoom",
        NextTab = "next-tab",
        PrevTab = "previous-tab",
        CloseTab = "close-tab",
        /// The prefix twice sends it to the container.
        SendPrefix = "send-prefix",
        Leave = "leave",
    }
}

actions! {
    /// Forms, confirmations and pickers (text fields take every other key).
    pub enum DialogAction {
        Confirm = "confirm",
        Cancel = "cancel",
        NextField = "next-field",
        PrevField = "previous-field",
        Toggle = "toggle",
        ClearField = "clear-field",
        DeleteWord = "delete-word",
    }
}

actions! {
    pub enum TransfersAction {
        CancelPull = "cancel-pull",
        /// The selected push's digest.
        Copy = "copy",
        Close = "close",
    }
}

actions! {
    /// The builds view's keys (a list kind).
    pub enum BuildsAction {
        /// The build's steps.
        Open = "open",
        Again = "again",
        Cancel = "cancel",
        Close = "close",
    }
}

actions! {
    /// One build's steps.
    pub enum BuildAction {
        /// Fold or unfold the selected step's output.
        Toggle = "toggle",
        Again = "again",
        Cancel = "cancel",
        Close = "close",
    }
}

actions! {
    pub enum LogsAction {
        Close = "close",
        Search = "search",
        NextMatch = "next-match",
        PrevMatch = "previous-match",
        Filter = "filter",
        Timestamps = "timestamps",
        Wrap = "wrap",
        Save = "save",
        Copy = "copy",
        /// Merged logs: every source, or one.
        NextSource = "next-source",
    }
}

actions! {
    pub enum EventsAction {
        NextKind = "next-kind",
        Close = "close",
    }
}

actions! {
    pub enum InspectAction {
        NextTab = "next-tab",
        Search = "search",
        NextMatch = "next-match",
        PrevMatch = "previous-match",
        Copy = "copy",
        Close = "close",
    }
}

actions! {
    pub enum StatsAction {
        Close = "close",
    }
}

actions! {
    /// The command log's own keys (movement scrolls; any other key closes it).
    pub enum CommandLogAction {
        Copy = "copy",
    }
}

actions! {
    /// The `:` command line.
    pub enum CommandLineAction {
        Run = "run",
        Close = "close",
        Complete = "complete",
        Older = "older",
        Newer = "newer",
    }
}

actions! {
    /// The hosts view's keys.
    pub enum HostsAction {
        /// Add the selected context to the live hosts.
        Add = "add",
        Remove = "remove",
        /// Keep only the selected host.
        Only = "only",
        ReadOnly = "read-only",
        /// Type an endpoint to add.
        New = "new",
        Close = "close",
    }
}

actions! {
    pub enum TreeAction {
        Toggle = "toggle",
        Copy = "copy",
        Pull = "pull",
        /// The selected platform's layers, read from the registry.
        Layers = "layers",
        Close = "close",
    }
}

actions! {
    pub enum VolumesAction {
        Create = "create",
        Remove = "remove",
        Prune = "prune",
        Inspect = "inspect",
        Refresh = "refresh",
        Close = "close",
    }
}

actions! {
    pub enum NetworksAction {
        Create = "create",
        Remove = "remove",
        Connect = "connect",
        Disconnect = "disconnect",
        Prune = "prune",
        Inspect = "inspect",
        Refresh = "refresh",
        Close = "close",
    }
}

actions! {
    /// The Swarm's services (all, or a stack's).
    pub enum SwarmServicesAction {
        NextTab = "next-tab",
        /// A service's tasks.
        Open = "open",
        Create = "create",
        Scale = "scale",
        Update = "update",
        Rollback = "rollback",
        Remove = "remove",
        Logs = "logs",
        Inspect = "inspect",
        Refresh = "refresh",
        /// Back up a level (a stack's services); else close.
        Close = "close",
    }
}

actions! {
    pub enum SwarmStacksAction {
        NextTab = "next-tab",
        /// A stack's services.
        Open = "open",
        Remove = "remove",
        Logs = "logs",
        Refresh = "refresh",
        Close = "close",
    }
}

actions! {
    pub enum SwarmNodesAction {
        NextTab = "next-tab",
        /// A node's tasks.
        Open = "open",
        Availability = "availability",
        Promote = "promote",
        Demote = "demote",
        Inspect = "inspect",
        Refresh = "refresh",
        Close = "close",
    }
}

actions! {
    /// A service's or a node's tasks: a task's container is reached on its node, a live host.
    pub enum SwarmTasksAction {
        NextTab = "next-tab",
        Logs = "logs",
        Shell = "shell",
        Stats = "stats",
        Inspect = "inspect",
        Refresh = "refresh",
        /// Back up to the level it was opened from.
        Close = "close",
    }
}

actions! {
    pub enum DiskUsageAction {
        Prune = "prune",
        Refresh = "refresh",
        Close = "close",
    }
}

actions! {
    /// The files view's keys (a container's filesystem).
    pub enum FilesAction {
        /// Into a folder (or a link to one); a file opens in the reader.
        Open = "open",
        /// To the parent folder.
        Up = "up",
        Download = "download",
        Upload = "upload",
        /// The container's changes (`docker diff`).
        Changes = "changes",
        Refresh = "refresh",
        Close = "close",
    }
}

actions! {
    /// The layers view's keys (the layers list takes every list's keys too).
    pub enum LayersAction {
        /// Between the layers and the files.
        Focus = "focus",
        /// Fold or unfold a folder (on the layers: to the files).
        Fold = "fold",
        OnlyChanges = "only-changes",
        OnlyLayer = "only-layer",
        SortSize = "sort-size",
        /// `/`: filter the side in focus.
        Filter = "filter",
        /// Clear the filter; else close (the reading stops).
        Close = "close",
    }
}

actions! {
    /// The top view's own keys (the containers pane's keys act on the selected row too).
    pub enum TopAction {
        /// The container's stats view.
        Stats = "stats",
        Refresh = "refresh",
        Close = "close",
    }
}

actions! {
    /// The Compose projects view's keys (each verb runs `docker compose` in a terminal tab).
    pub enum ComposeAction {
        Services = "services",
        Up = "up",
        Down = "down",
        Pull = "pull",
        Build = "build",
        Restart = "restart",
        Stop = "stop",
        Start = "start",
        Config = "config",
        /// `up` of the services out of date alone.
        UpDrifted = "up-drifted",
        Refresh = "refresh",
        Close = "close",
    }
}

actions! {
    /// A Compose project's services view: the verbs on one service.
    pub enum ComposeServicesAction {
        Up = "up",
        Recreate = "recreate",
        Pull = "pull",
        Build = "build",
        Restart = "restart",
        Stop = "stop",
        Start = "start",
        Close = "close",
    }
}

actions! {
    /// The alerts list's own keys.
    pub enum AlertsAction {
        /// The alert's container, selected in the containers pane.
        Open = "open",
        /// Put the alert away (until it is raised again).
        Dismiss = "dismiss",
        Close = "close",
    }
}

actions! {
    /// The timeline's own keys.
    pub enum TimelineAction {
        /// The container's logs around the moment.
        Logs = "logs",
        Close = "close",
    }
}

actions! {
    /// The keys every generic list has (volumes, networks, disk usage): written once in
    /// [`super::list`], listed once in help.
    pub enum ListAction {
        /// `/`: type a filter (`@host` keeps a host's rows).
        Filter = "filter",
        /// Clear the filter (when there is one; else the view's own key acts).
        ClearFilter = "clear-filter",
        SortNext = "sort",
        SortReverse = "reverse-sort",
        Mark = "mark",
        CopyKey = "copy-id",
        CopyName = "copy-name",
    }
}

impl Scope {
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

/// A table row: keys (space-separated, as [`Key::parse`] reads them), action, help text,
/// and where the footer shows it.
type Row<A> = (&'static str, A, &'static str, u8);

/// Footer ranks: the most used keys come first, so a narrow footer cuts the others.
const FIRST: u8 = 2;
const FOOT: u8 = 1;
const HELP: u8 = 0;

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
        ("Ctrl-R",          Retry,                    "reconnect / refresh (+ image updates)", HELP),
        ("?",               Help,                     "help",                            FOOT),
        ("q Ctrl-C",        Quit,                     "quit",                            FIRST),
        ("E",               Events,                   "the daemon's events",             HELP),
        ("O",               ExploreTyped,             "structure of a typed reference",  HELP),
        ("/",               Filter,                   "filter the list as you type",     FOOT),
        ("Esc",             ClearFilter,              "clear the filter, then the marks", HELP),
        (">",               NextSort,                 "sort by the next column",         HELP),
        ("<",               ReverseSort,              "reverse the sort",                HELP),
        (":",               CommandLine,              "command line (:ps /web, :images, :q …)", HELP),
        ("H",               List("hosts"),            "Docker hosts and contexts",       HELP),
        ("V",               List("volumes"),          "volumes",                         HELP),
        ("M",               List("networks"),         "networks",                        HELP),
        ("F",               List("disk-usage"),       "disk usage (docker system df)",   HELP),
        ("W",               Swarm,                    "Swarm: services, stacks, nodes, tasks", HELP),
        ("T",               List("top-view"),         "top: every running container's usage", HELP),
        ("J",               List("compose"),          "Compose projects (files and labels)", HELP),
        ("B",               List("builds"),           "builds (this session's)",         HELP),
        ("!",               List("alerts"),           "alerts on every host",            HELP),
        ("~",               List("timeline"),         "timeline: every container's state changes", HELP),
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
        ("P",               Push,                     "push to its registry",            HELP),
        ("b",               Build,                    "build an image (docker build)",   HELP),
        ("X",               Prune,                    "prune dangling images",           HELP),
        ("I",               Inspect,                  "inspect (summary, JSON)",         HELP),
        ("Enter i",         Structure,                "image structure",                 FIRST),
        ("v",               Layers,                   "layers: what each adds, changes, wastes", HELP),
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
        ("e",               Exec,                     "shell",                           FIRST),
        ("$",               ExecCommand,              "run a command in it (a new tab)", HELP),
        ("l",               Logs,                     "logs",                            FIRST),
        ("i",               Inspect,                  "inspect (summary, JSON, processes, changes, timeline)", FOOT),
        ("S",               Stats,                    "stats (CPU, memory, I/O), live",  FOOT),
        ("f",               Files,                    "files (browse, read, copy in and out)", HELP),
        ("U",               ToggleUsage,              "CPU and MEM columns on / off",    HELP),
        ("u",               Recreate,                 "recreate: latest image (e: edit first)", HELP),
        ("m",               Limits,                   "limits, restart policy (docker update)", HELP),
        ("n",               Rename,                   "rename",                          HELP),
        ("b",               OpenPort,                 "open its web port in the browser", HELP),
        ("y",               CopyId,                   "copy the container id",           HELP),
        ("Y",               CopyName,                 "copy the container name",         HELP),
    ]
};

#[rustfmt::skip]
const DIALOG: &[Row<DialogAction>] = {
    use DialogAction::*;
    &[
        ("Enter",           Confirm,                  "confirm / submit",                FIRST),
        ("Esc",             Cancel,                   "cancel",                          FIRST),
        ("Tab ↓",           NextField,                "next field",                      FOOT),
        ("Shift-Tab ↑",     PrevField,                "previous field",                  HELP),
        ("Space",           Toggle,                   "switch a [x] option",             HELP),
        ("Ctrl-U",          ClearField,               "clear",                           FIRST),
        ("Ctrl-W",          DeleteWord,               "delete a word",                   FIRST),
    ]
};

#[rustfmt::skip]
const TRANSFERS: &[Row<TransfersAction>] = {
    use TransfersAction::*;
    &[
        ("c",               CancelPull,               "cancel the selected pull",        FOOT),
        ("y",               Copy,                     "copy the pushed digest",          FOOT),
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const BUILDS: &[Row<BuildsAction>] = {
    use BuildsAction::*;
    &[
        ("Enter",           Open,                     "the build's steps",               FIRST),
        ("R",               Again,                    "build again",                     FOOT),
        ("c",               Cancel,                   "cancel the build",                FOOT),
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const BUILD: &[Row<BuildAction>] = {
    use BuildAction::*;
    &[
        ("Enter Space",     Toggle,                   "fold / unfold a step's output",   FIRST),
        ("R",               Again,                    "build again",                     FOOT),
        ("c",               Cancel,                   "cancel the build",                FOOT),
        ("Esc q",           Close,                    "close",                           FIRST),
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
        ("Esc q",           Close,                    "close",                           FIRST),
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
        ("Esc q",           Close,                    "close",                           FIRST),
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
        ("Esc q",           Close,                    "close",                           FIRST),
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
        ("d",               Remove,                   "remove a host (asks), close a forward", FOOT),
        ("O",               Only,                     "watch only this host (asks)",     FOOT),
        ("R",               ReadOnly,                 "read-only on / off",              FOOT),
        ("n",               New,                      "add a host by its endpoint",      FOOT),
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const TREE: &[Row<TreeAction>] = {
    use TreeAction::*;
    &[
        ("Enter Space",     Toggle,                   "open / close",                    FOOT),
        ("c",               Copy,                     "copy the digest",                 FOOT),
        ("p",               Pull,                     "pull this platform by digest",    FOOT),
        ("v",               Layers,                   "its layers, from the registry",   FOOT),
        ("Esc q",           Close,                    "close",                           FIRST),
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
        ("Esc q",           Close,                    "close",                           FIRST),
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
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const DISK_USAGE: &[Row<DiskUsageAction>] = {
    use DiskUsageAction::*;
    &[
        ("X",               Prune,                    "prune the selected kind (asks)",  FOOT),
        ("Ctrl-R",          Refresh,                  "refresh",                         FOOT),
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const SWARM_SERVICES: &[Row<SwarmServicesAction>] = {
    use SwarmServicesAction::*;
    &[
        ("Tab",             NextTab,                  "services / stacks / nodes",       FOOT),
        ("Enter",           Open,                     "its tasks",                       FIRST),
        ("n",               Create,                   "create a service",                FOOT),
        ("=",               Scale,                    "scale a service",                 FOOT),
        ("u",               Update,                   "restart every task (asks)",       FOOT),
        ("b",               Rollback,                 "roll a service back (asks)",      FOOT),
        ("d Delete",        Remove,                   "remove (marked ones too; asks)",  FOOT),
        ("l",               Logs,                     "logs (its tasks' merged)",        FOOT),
        ("i",               Inspect,                  "inspect",                         HELP),
        ("Ctrl-R",          Refresh,                  "refresh",                         HELP),
        ("Esc q",           Close,                    "back / close",                    FIRST),
    ]
};

#[rustfmt::skip]
const SWARM_STACKS: &[Row<SwarmStacksAction>] = {
    use SwarmStacksAction::*;
    &[
        ("Tab",             NextTab,                  "services / stacks / nodes",       FOOT),
        ("Enter",           Open,                     "its services",                    FIRST),
        ("d Delete",        Remove,                   "remove (marked ones too; asks)",  FOOT),
        ("l",               Logs,                     "logs (its tasks' merged)",        FOOT),
        ("Ctrl-R",          Refresh,                  "refresh",                         HELP),
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const SWARM_NODES: &[Row<SwarmNodesAction>] = {
    use SwarmNodesAction::*;
    &[
        ("Tab",             NextTab,                  "services / stacks / nodes",       FOOT),
        ("Enter",           Open,                     "its tasks",                       FIRST),
        ("a",               Availability,             "availability (active, pause, drain)", FOOT),
        ("+",               Promote,                  "promote to manager (asks)",       FOOT),
        ("-",               Demote,                   "demote to worker (asks)",         FOOT),
        ("i",               Inspect,                  "inspect",                         HELP),
        ("Ctrl-R",          Refresh,                  "refresh",                         HELP),
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const SWARM_TASKS: &[Row<SwarmTasksAction>] = {
    use SwarmTasksAction::*;
    &[
        ("l",               Logs,                     "logs",                            FOOT),
        ("e",               Shell,                    "shell in its container",          FOOT),
        ("S",               Stats,                    "stats of its container",          FOOT),
        ("i Enter",         Inspect,                  "inspect (its container)",         FOOT),
        ("Tab",             NextTab,                  "services / stacks / nodes",       FOOT),
        ("Ctrl-R",          Refresh,                  "refresh",                         HELP),
        ("Esc q",           Close,                    "back",                            FIRST),
    ]
};

#[rustfmt::skip]
const FILES: &[Row<FilesAction>] = {
    use FilesAction::*;
    &[
        ("Enter → l",       Open,                     "open (a folder; a file in the reader)", FIRST),
        ("Backspace ← h",   Up,                       "up a folder",                     FIRST),
        ("s",               Download,                 "download to this machine (docker cp)", FOOT),
        ("u",               Upload,                   "upload into this folder (docker cp)", FOOT),
        ("c",               Changes,                  "changes since start (docker diff)", FOOT),
        ("Ctrl-R",          Refresh,                  "list again",                      HELP),
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const LAYERS: &[Row<LayersAction>] = {
    use LayersAction::*;
    &[
        ("Tab",             Focus,                    "layers / files",                  FIRST),
        ("Enter Space",     Fold,                     "fold / unfold a folder",          FOOT),
        ("c",               OnlyChanges,              "only this layer's changes",       FOOT),
        ("t",               OnlyLayer,                "this layer's own files / the tree as of it", FOOT),
        ("s",               SortSize,                 "sort by size / by name",          FOOT),
        ("/",               Filter,                   "filter the side in focus",        FOOT),
        ("Esc q",           Close,                    "clear the filter / close",        FIRST),
    ]
};

#[rustfmt::skip]
const TOP: &[Row<TopAction>] = {
    use TopAction::*;
    &[
        ("Enter",           Stats,                    "the container's stats, live",     FOOT),
        ("Ctrl-R",          Refresh,                  "the hosts' cores and memory again", HELP),
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const COMPOSE: &[Row<ComposeAction>] = {
    use ComposeAction::*;
    &[
        ("Enter",           Services,                 "its services",                    FIRST),
        ("u",               Up,                       "up -d (asks: --build, --pull, --force-recreate)", FOOT),
        ("d",               Down,                     "down (asks; volumes ask twice)",  FOOT),
        ("U",               UpDrifted,                "up the services out of date (asks)", FOOT),
        ("P",               Pull,                     "pull",                            HELP),
        ("b",               Build,                    "build",                           HELP),
        ("R",               Restart,                  "restart (asks)",                  HELP),
        ("x",               Stop,                     "stop (asks)",                     HELP),
        ("s",               Start,                    "start",                           HELP),
        ("c",               Config,                   "the rendered file (config)",      HELP),
        ("Ctrl-R",          Refresh,                  "read the files again",            HELP),
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const ALERTS: &[Row<AlertsAction>] = {
    use AlertsAction::*;
    &[
        ("Enter",           Open,                     "go to the container",             FIRST),
        ("d Delete",        Dismiss,                  "put the alert away",              FOOT),
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const TIMELINE: &[Row<TimelineAction>] = {
    use TimelineAction::*;
    &[
        ("Enter l",         Logs,                     "the logs around that moment",     FIRST),
        ("Esc q",           Close,                    "close",                           FIRST),
    ]
};

#[rustfmt::skip]
const COMPOSE_SERVICES: &[Row<ComposeServicesAction>] = {
    use ComposeServicesAction::*;
    &[
        ("u",               Up,                       "up -d this service (asks)",       FOOT),
        ("C",               Recreate,                 "recreate it (asks)",              FOOT),
        ("P",               Pull,                     "pull",                            HELP),
        ("b",               Build,                    "build, then offer to recreate it", HELP),
        ("R",               Restart,                  "restart (asks)",                  HELP),
        ("x",               Stop,                     "stop (asks)",                     HELP),
        ("s",               Start,                    "start",                           HELP),
        ("Esc q",           Close,                    "back to the projects",            FIRST),
    ]
};

#[rustfmt::skip]
const LIST: &[Row<ListAction>] = {
    use ListAction::*;
    &[
        ("/",               Filter,                   "filter (@host too)",            FOOT),
        ("Esc",             ClearFilter,              "clear the filter, marks, then close", HELP),
        (">",               SortNext,                 "sort by the next column",         HELP),
        ("<",               SortReverse,              "reverse the sort",                HELP),
        ("Space",           Mark,                     "mark and move down (verbs act on marked rows)", HELP),
        ("y",               CopyKey,                  "copy the id",                     HELP),
        ("Y",               CopyName,                 "copy the name",                   HELP),
    ]
};

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

    /// `Ctrl-C` quits from anywhere but the terminal pane, over any view too (the app takes
    /// it before the view; in the terminal pane it belongs to the container).
    pub const QUIT_OVER_ANYTHING: Key = Key::ctrl('c');

    /// Whether this key, bound to the global `action`, still works while a view is open:
    /// moving (every view moves with them), help (opened over a view that has no use for
    /// its key) and [`Key::QUIT_OVER_ANYTHING`]. The others (`q`, `:`, `p`, …) are the
    /// panes'; over a view they do the view's thing or nothing.
    pub fn works_over_a_view(&self, action: PaneAction) -> bool {
        match action {
            PaneAction::Nav(_) | PaneAction::Help => true,
            PaneAction::Quit => *self == Self::QUIT_OVER_ANYTHING,
            _ => false,
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
    pub fn matches(&self, event: &KeyEvent) -> bool {
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
    /// Where the footer shows it: [`FIRST`], [`FOOT`] (after those), [`HELP`] (only in
    /// help; `?` lists them all).
    pub footer: u8,
}

impl Binding {
    /// In the footer: the first key and the help up to any parenthesis or colon ("kill",
    /// not "kill (pick a signal)"); help shows them whole.
    fn hint(&self) -> (String, &str) {
        let help = self
            .help
            .split([':', '('])
            .next()
            .unwrap_or(&self.help)
            .trim_end();
        (self.first_key_label(), help)
    }

    /// The global binding with only its keys that still work while a view is open (see
    /// [`Key::works_over_a_view`]); `None` when none does.
    fn over_a_view(&self) -> Option<Binding> {
        let Action::Pane(action) = self.action else {
            return None;
        };
        let keys: Vec<Key> = (self.keys.iter())
            .filter(|k| k.works_over_a_view(action))
            .cloned()
            .collect();
        (!keys.is_empty()).then(|| Binding {
            keys,
            ..self.clone()
        })
    }

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
            scoped_bindings(),
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
            None => {
                let names = self.action_names(scope);
                // A typo names its action alone: the whole list wraps a status line.
                let near: Vec<&str> = (names.iter().copied())
                    .filter(|n| super::command_line::edit_distance(n, name) <= 1)
                    .collect();
                Err(match near.as_slice() {
                    [one] => format!(
                        "unknown action {name:?} in [keys.{}]; did you mean {one}?",
                        scope.name()
                    ),
                    _ => format!(
                        "unknown action {name:?} in [keys.{}]; its actions are {}",
                        scope.name(),
                        names.join(", ")
                    ),
                })
            }
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

    /// Whether a key does something in `scope`.
    pub fn binds(&self, scope: Scope, event: &KeyEvent) -> bool {
        self.find(event, scope).is_some()
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

    /// The footer's hints for a scope of its own (a dialog or view), the most used first:
    /// each as its first key and its help up to any parenthesis.
    pub fn hints(&self, scope: Scope) -> Vec<(String, &str)> {
        let mut shown: Vec<&Binding> = self
            .bindings
            .iter()
            .filter(|b| b.footer > HELP && b.scope == scope && !b.keys.is_empty())
            .collect();
        shown.sort_by_key(|b| std::cmp::Reverse(b.footer));
        shown.into_iter().map(Binding::hint).collect()
    }

    /// The pane where a key does something, when it does nothing in the focused one.
    pub fn elsewhere(&self, event: &KeyEvent, focus: Pane) -> Option<Pane> {
        [Pane::Images, Pane::Containers]
            .into_iter()
            .filter(|p| *p != focus)
            .find(|p| self.find(event, Scope::Pane(*p)).is_some())
    }

    /// The footer's hints for the focused pane: the most used keys first (the pane's, then
    /// global ones), then the others; help is not among them (the footer ends with it);
    /// actions `refused` now are not advertised.
    pub fn footer(&self, focus: Pane, refused: impl Fn(PaneAction) -> bool) -> Vec<(String, &str)> {
        let shown = |b: &&Binding| {
            !b.keys.is_empty()
                && b.footer > HELP
                && match b.action {
                    Action::Pane(PaneAction::Help) => false,
                    Action::Pane(a) => !refused(a),
                    _ => true,
                }
        };
        let mut bindings: Vec<&Binding> = self
            .bindings
            .iter()
            .filter(|b| b.scope == Scope::Pane(focus))
            .chain(self.bindings.iter().filter(|b| b.scope == Scope::Global))
            .filter(shown)
            .collect();
        bindings.sort_by_key(|b| std::cmp::Reverse(b.footer));
        bindings.into_iter().map(Binding::hint).collect()
    }

    /// Bindings grouped by where they apply, for the help overlay and README.
    /// The user's commands come last, under their own headings.
    pub fn sections(&self) -> Vec<(&'static str, Vec<&Binding>)> {
        let ours = Scope::ALL
            .into_iter()
            .map(|scope| (scope.title(), scope, false));
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

    /// Help over a view whose keys are those of `scopes`: their sections, then the keys of
    /// "Everywhere" that still work over a view ([`Key::works_over_a_view`]: moving, help,
    /// `Ctrl-C`, but not `q`, which views take for closing); the panes' and the other
    /// views' keys do nothing there, so they are not listed. No scopes: every section. Top
    /// takes some of the containers pane's keys ([`PaneAction::acts_on_container`]): only
    /// those.
    pub fn sections_for(&self, scopes: &[Scope]) -> Vec<(&'static str, Vec<Cow<'_, Binding>>)> {
        let mut sections: Vec<(&'static str, Vec<Cow<Binding>>)> = (self.sections().into_iter())
            .map(|(title, rows)| (title, rows.into_iter().map(Cow::Borrowed).collect()))
            .collect();
        if scopes.is_empty() {
            return sections;
        }
        let on_top_row = |b: &Cow<Binding>| match b.action {
            Action::Pane(a) => a.acts_on_container(),
            _ => false,
        };
        for (_, rows) in &mut sections {
            match rows.first().map(|b| b.scope) {
                Some(Scope::Global) => {
                    *rows = (rows.iter())
                        .filter_map(|b| b.over_a_view().map(Cow::Owned))
                        .collect();
                }
                Some(Scope::Pane(Pane::Containers)) if scopes.contains(&Scope::Top) => {
                    rows.retain(on_top_row)
                }
                _ => {}
            }
        }
        sections.retain(|(_, rows)| {
            rows.first()
                .is_some_and(|b| b.scope == Scope::Global || scopes.contains(&b.scope))
        });
        // A key is listed once, with what it does there: the binding of the scope that
        // takes it first (`scopes`' order). In a list, Esc is every list's (the filter, the
        // marks, then close); in the layers view, Space and Esc are the view's.
        let taken_at = |rows: &[Cow<Binding>]| {
            rows.first()
                .and_then(|b| scopes.iter().position(|s| *s == b.scope))
                .unwrap_or(scopes.len())
        };
        sections.sort_by_key(|(_, rows)| taken_at(rows));
        let mut seen: Vec<Key> = Vec::new();
        for (_, rows) in &mut sections {
            rows.retain_mut(|b| {
                let keys: Vec<Key> = (b.keys.iter().copied())
                    .filter(|k| !seen.contains(k))
                    .collect();
                seen.extend(&keys);
                match keys.len() {
                    0 => false,
                    n if n < b.keys.len() => {
                        b.to_mut().keys = keys;
                        true
                    }
                    _ => true,
                }
            });
        }
        sections.retain(|(_, rows)| !rows.is_empty());
        // Shown: the view's own first, then every list's, then the rest and "Everywhere".
        let own = scopes.iter().find(|s| **s != Scope::List);
        sections.sort_by_key(|(_, rows)| match rows.first().map(|b| b.scope) {
            Some(s) if Some(&s) == own => 0,
            Some(Scope::List) => 1,
            _ => 2 + taken_at(rows),
        });
        sections
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
            footer: HELP,
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
        let tables = table_keys();
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
