//! Every key dockpit handles, as data. `update` looks keys up here, and the help overlay,
//! the footer and the README's key table are all generated from the same table.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Pane;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    ToggleAll,
    Help,
    Retry,
    Pull,
    Run,
    Remove,
    Tag,
    Start,
    Stop,
    Restart,
    Kill,
    PauseToggle,
    Commit,
    Mark,
    Prune,
    CommandLog,
    Transfers,
    // Inside dialogs and views.
    Confirm,
    Cancel,
    NextField,
    PrevField,
    Toggle,
    CancelTransfer,
    Attach,
    Exec,
    FocusTerminal,
    LeaveTerminal,
    Zoom,
    NextSession,
    PrevSession,
    CloseSession,
    ScrollBack,
    ScrollForward,
    Logs,
    ToggleTimestamps,
    ToggleWrap,
    ToggleFilter,
    Search,
    NextMatch,
    PrevMatch,
    SaveLogs,
    Events,
    CycleKind,
    Inspect,
    Stats,
    Structure,
    CopyDigest,
    ExploreTyped,
    ToggleUsage,
}

impl Action {
    /// Whether it would change anything on the Docker host (refused in read-only mode).
    pub fn changes_state(self) -> bool {
        use Action::*;
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
        )
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Pane(Pane),
    /// Forms, confirmations and pickers (text fields take every other key).
    Dialog,
    /// The transfers view.
    Transfers,
    /// The terminal pane: every other key goes to the container.
    Terminal,
    /// The logs view.
    Logs,
    /// The daemon's events.
    Events,
    /// The inspect view.
    Inspect,
    /// The stats view.
    Stats,
    /// The image structure view.
    Tree,
}

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

    const fn plain(code: KeyCode) -> Self {
        Self {
            code,
            ctrl: false,
            shift: false,
        }
    }
    const fn ch(c: char) -> Self {
        Self::plain(KeyCode::Char(c))
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
    pub help: &'static str,
    /// Shown in the footer (the most useful keys only; `?` lists them all).
    pub footer: bool,
}

impl Binding {
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

impl Default for Keymap {
    fn default() -> Self {
        use Action::*;
        use KeyCode as K;
        let global = Scope::Global;
        let images = Scope::Pane(Pane::Images);
        let containers = Scope::Pane(Pane::Containers);
        let dialog = Scope::Dialog;
        let del = || vec![Key::ch('d'), Key::plain(K::Delete)];
        let b = |keys: Vec<Key>, action, scope, help, footer| Binding {
            keys,
            action,
            scope,
            help,
            footer,
        };
        Self {
            bindings: vec![
                b(
                    vec![Key::ch('j'), Key::plain(K::Down)],
                    Down,
                    global,
                    "move down",
                    false,
                ),
                b(
                    vec![Key::ch('k'), Key::plain(K::Up)],
                    Up,
                    global,
                    "move up",
                    false,
                ),
                b(
                    vec![Key::plain(K::PageDown)],
                    PageDown,
                    global,
                    "page down",
                    false,
                ),
                b(
                    vec![Key::plain(K::PageUp)],
                    PageUp,
                    global,
                    "page up",
                    false,
                ),
                b(
                    vec![Key::ch('g'), Key::plain(K::Home)],
                    Top,
                    global,
                    "first row",
                    false,
                ),
                b(
                    vec![Key::ch('G'), Key::plain(K::End)],
                    Bottom,
                    global,
                    "last row",
                    false,
                ),
                b(
                    vec![Key::plain(K::Tab), Key::plain(K::Right)],
                    FocusNext,
                    global,
                    "next pane",
                    false,
                ),
                // In the containers pane `l` opens logs, so only here does it move right.
                b(vec![Key::ch('l')], FocusNext, images, "next pane", false),
                b(
                    vec![Key::plain(K::BackTab), Key::ch('h'), Key::plain(K::Left)],
                    FocusPrev,
                    global,
                    "previous pane",
                    false,
                ),
                b(vec![Key::ch('p')], Pull, global, "pull", true),
                b(vec![Key::ch('r')], Run, global, "run", true),
                b(vec![Key::ch('L')], CommandLog, global, "command log", false),
                b(
                    vec![Key::ch('D')],
                    Transfers,
                    global,
                    "pulls in progress",
                    false,
                ),
                b(del(), Remove, images, "remove", true),
                b(vec![Key::ch('t')], Tag, images, "tag", true),
                b(
                    vec![Key::ch('X')],
                    Prune,
                    images,
                    "prune dangling images",
                    false,
                ),
                b(vec![Key::ch('s')], Start, containers, "start", true),
                b(vec![Key::ch('x')], Stop, containers, "stop", true),
                b(vec![Key::ch('R')], Restart, containers, "restart", false),
                b(
                    vec![Key::ch('K')],
                    Kill,
                    containers,
                    "kill (pick a signal)",
                    false,
                ),
                b(
                    vec![Key::ch('P')],
                    PauseToggle,
                    containers,
                    "pause / unpause",
                    false,
                ),
                b(del(), Remove, containers, "remove", true),
                b(
                    vec![Key::ch('c')],
                    Commit,
                    containers,
                    "commit to an image",
                    false,
                ),
                b(
                    vec![Key::ch(' ')],
                    Mark,
                    containers,
                    "mark row (actions apply to marked rows)",
                    false,
                ),
                b(
                    vec![Key::ch('X')],
                    Prune,
                    containers,
                    "prune stopped containers",
                    false,
                ),
                b(
                    vec![Key::ch('A')],
                    ToggleAll,
                    containers,
                    "show all / running containers",
                    false,
                ),
                b(
                    vec![Key::plain(K::Enter)],
                    Confirm,
                    dialog,
                    "confirm / submit",
                    true,
                ),
                b(vec![Key::plain(K::Esc)], Cancel, dialog, "cancel", true),
                b(
                    vec![Key::plain(K::Tab), Key::plain(K::Down)],
                    NextField,
                    dialog,
                    "next field",
                    true,
                ),
                b(
                    vec![Key::plain(K::BackTab), Key::plain(K::Up)],
                    PrevField,
                    dialog,
                    "previous field",
                    false,
                ),
                b(
                    vec![Key::ch(' ')],
                    Toggle,
                    dialog,
                    "switch a [x] option",
                    false,
                ),
                b(
                    vec![Key::ch('c')],
                    CancelTransfer,
                    Scope::Transfers,
                    "cancel the selected pull",
                    true,
                ),
                b(
                    vec![Key::plain(K::Esc), Key::ch('q')],
                    Cancel,
                    Scope::Transfers,
                    "close",
                    true,
                ),
                b(vec![Key::ch('a')], Attach, containers, "attach", true),
                b(vec![Key::ch('e')], Exec, containers, "shell", true),
                b(
                    vec![Key::ch('o')],
                    FocusTerminal,
                    global,
                    "focus the terminal pane",
                    false,
                ),
                b(
                    vec![Key::ch('z')],
                    Zoom,
                    global,
                    "zoom the terminal pane",
                    false,
                ),
                b(
                    vec![Key::ch(']')],
                    NextSession,
                    global,
                    "next terminal tab",
                    false,
                ),
                b(
                    vec![Key::ch('[')],
                    PrevSession,
                    global,
                    "previous terminal tab",
                    false,
                ),
                b(
                    vec![Key::ch('w')],
                    CloseSession,
                    global,
                    "close the terminal tab",
                    false,
                ),
                b(
                    vec![Key::ctrl(']')],
                    LeaveTerminal,
                    Scope::Terminal,
                    "back to the panes (the session keeps running)",
                    true,
                ),
                b(
                    vec![Key::shift(K::PageUp)],
                    ScrollBack,
                    Scope::Terminal,
                    "scroll back",
                    true,
                ),
                b(
                    vec![Key::shift(K::PageDown)],
                    ScrollForward,
                    Scope::Terminal,
                    "scroll forward",
                    false,
                ),
                b(
                    vec![Key::ctrl('r')],
                    Retry,
                    global,
                    "reconnect / refresh now",
                    false,
                ),
                b(vec![Key::ch('?')], Help, global, "help", true),
                b(
                    vec![Key::ch('q'), Key::ctrl('c')],
                    Quit,
                    global,
                    "quit",
                    true,
                ),
                b(vec![Key::ch('l')], Logs, containers, "logs", true),
                b(
                    vec![Key::plain(K::Esc), Key::ch('q')],
                    Cancel,
                    Scope::Logs,
                    "close",
                    true,
                ),
                b(
                    vec![Key::ch('/')],
                    Search,
                    Scope::Logs,
                    "search (regex)",
                    true,
                ),
                b(
                    vec![Key::ch('n')],
                    NextMatch,
                    Scope::Logs,
                    "next (older) match",
                    true,
                ),
                b(
                    vec![Key::ch('N')],
                    PrevMatch,
                    Scope::Logs,
                    "previous (newer) match",
                    false,
                ),
                b(
                    vec![Key::ch('f')],
                    ToggleFilter,
                    Scope::Logs,
                    "only matching lines",
                    true,
                ),
                b(
                    vec![Key::ch('t')],
                    ToggleTimestamps,
                    Scope::Logs,
                    "timestamps",
                    true,
                ),
                b(
                    vec![Key::ch('w')],
                    ToggleWrap,
                    Scope::Logs,
                    "wrap long lines",
                    true,
                ),
                b(
                    vec![Key::ch('s')],
                    SaveLogs,
                    Scope::Logs,
                    "save to a file",
                    true,
                ),
                b(
                    vec![Key::ch('E')],
                    Events,
                    global,
                    "the daemon's events",
                    false,
                ),
                b(
                    vec![Key::plain(K::Tab)],
                    CycleKind,
                    Scope::Events,
                    "all / container / image / network / volume",
                    true,
                ),
                b(
                    vec![Key::plain(K::Esc), Key::ch('q')],
                    Cancel,
                    Scope::Events,
                    "close",
                    true,
                ),
                b(
                    vec![Key::ch('i')],
                    Inspect,
                    containers,
                    "inspect (summary, JSON, processes)",
                    false,
                ),
                b(
                    vec![Key::ch('I')],
                    Inspect,
                    images,
                    "inspect (summary, JSON)",
                    false,
                ),
                b(
                    vec![Key::plain(K::Tab)],
                    CycleKind,
                    Scope::Inspect,
                    "next tab",
                    true,
                ),
                b(
                    vec![Key::ch('/')],
                    Search,
                    Scope::Inspect,
                    "search (regex)",
                    true,
                ),
                b(
                    vec![Key::ch('n')],
                    NextMatch,
                    Scope::Inspect,
                    "next match",
                    true,
                ),
                b(
                    vec![Key::ch('N')],
                    PrevMatch,
                    Scope::Inspect,
                    "previous match",
                    false,
                ),
                b(
                    vec![Key::plain(K::Esc), Key::ch('q')],
                    Cancel,
                    Scope::Inspect,
                    "close",
                    true,
                ),
                b(
                    vec![Key::ch('S')],
                    Stats,
                    containers,
                    "stats (CPU, memory, I/O), live",
                    false,
                ),
                b(
                    vec![Key::plain(K::Esc), Key::ch('q')],
                    Cancel,
                    Scope::Stats,
                    "close",
                    true,
                ),
                b(
                    vec![Key::plain(K::Enter), Key::ch('i')],
                    Structure,
                    images,
                    "image structure",
                    true,
                ),
                b(
                    vec![Key::plain(K::Enter), Key::ch(' ')],
                    Toggle,
                    Scope::Tree,
                    "open / close",
                    true,
                ),
                b(
                    vec![Key::ch('c')],
                    CopyDigest,
                    Scope::Tree,
                    "copy the digest",
                    true,
                ),
                b(
                    vec![Key::ch('p')],
                    Pull,
                    Scope::Tree,
                    "pull this platform by digest",
                    true,
                ),
                b(
                    vec![Key::plain(K::Esc), Key::ch('q')],
                    Cancel,
                    Scope::Tree,
                    "close",
                    true,
                ),
                b(
                    vec![Key::ch('O')],
                    ExploreTyped,
                    global,
                    "structure of a typed reference",
                    false,
                ),
                b(
                    vec![Key::ch('U')],
                    ToggleUsage,
                    containers,
                    "CPU and MEM columns on / off",
                    false,
                ),
            ],
        }
    }
}

impl Keymap {
    /// Rebinds the terminal pane's prefix key (the one that returns to the panes).
    pub fn set_prefix(&mut self, key: Key) {
        for b in &mut self.bindings {
            if b.action == Action::LeaveTerminal {
                b.keys = vec![key];
            }
        }
    }

    /// The action a key has in one scope only (dialogs and views).
    pub fn lookup_in(&self, event: &KeyEvent, scope: Scope) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.scope == scope && b.keys.iter().any(|k| k.matches(event)))
            .map(|b| b.action)
    }

    /// The footer's hints for a scope of its own (a dialog or view).
    pub fn hints(&self, scope: Scope) -> Vec<(String, &'static str)> {
        self.bindings
            .iter()
            .filter(|b| b.footer && b.scope == scope)
            .map(|b| (b.keys_label(), b.help))
            .collect()
    }

    /// The action for a key in the focused pane; pane bindings win over global ones.
    pub fn lookup(&self, event: &KeyEvent, focus: Pane) -> Option<Action> {
        let find = |scope: Scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == scope && b.keys.iter().any(|k| k.matches(event)))
                .map(|b| b.action)
        };
        find(Scope::Pane(focus)).or_else(|| find(Scope::Global))
    }

    /// The footer's hints for the focused pane: its own keys first, then global ones.
    pub fn footer(&self, focus: Pane) -> Vec<(String, &'static str)> {
        let pane = self
            .bindings
            .iter()
            .filter(|b| b.footer && b.scope == Scope::Pane(focus));
        let global = self
            .bindings
            .iter()
            .filter(|b| b.footer && b.scope == Scope::Global);
        // Help first: when the footer is cut short, `?` still shows.
        let (help, global): (Vec<_>, Vec<_>) = global.partition(|b| b.action == Action::Help);
        help.into_iter()
            .chain(pane)
            .chain(global)
            .map(|b| (b.first_key_label(), b.help))
            .collect()
    }

    /// Bindings grouped by where they apply, for the help overlay and README.
    pub fn sections(&self) -> Vec<(&'static str, Vec<&Binding>)> {
        let scopes = [
            ("Everywhere", Scope::Global),
            ("Images pane", Scope::Pane(Pane::Images)),
            ("Containers pane", Scope::Pane(Pane::Containers)),
            ("Dialogs", Scope::Dialog),
            ("Pulls view", Scope::Transfers),
            ("Terminal pane", Scope::Terminal),
            ("Logs view", Scope::Logs),
            ("Events view", Scope::Events),
            ("Inspect view", Scope::Inspect),
            ("Stats view", Scope::Stats),
            ("Image structure view", Scope::Tree),
        ];
        scopes
            .into_iter()
            .map(|(title, scope)| {
                let rows = self.bindings.iter().filter(|b| b.scope == scope).collect();
                (title, rows)
            })
            .filter(|(_, rows): &(_, Vec<_>)| !rows.is_empty())
            .collect()
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
            km.lookup(&shift_a, Pane::Containers),
            Some(Action::ToggleAll)
        );
        assert_eq!(km.lookup(&shift_a, Pane::Images), None);
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(km.lookup(&ctrl_c, Pane::Images), Some(Action::Quit));
        let plain_c = key(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(km.lookup(&plain_c, Pane::Images), None);
    }

    #[test]
    fn the_prefix_key_can_be_rebound() {
        let mut km = Keymap::default();
        km.set_prefix(Key::parse_ctrl("ctrl-a").expect("valid"));
        let ctrl_a = key(KeyCode::Char('a'), KeyModifiers::CONTROL);
        assert_eq!(
            km.lookup_in(&ctrl_a, Scope::Terminal),
            Some(Action::LeaveTerminal)
        );
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
    fn readme_key_table_is_the_keymap() {
        let readme = include_str!("../../README.md");
        let table = Keymap::default().markdown();
        assert!(
            readme.contains(&table),
            "README's key table is out of date; replace it with:\n{table}"
        );
    }
}
