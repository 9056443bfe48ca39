//! The terminal pane's part of `update`: opening sessions (attach, exec, run -it), feeding
//! their output to the emulator, sending keys, and keeping every tty the pane's size.

use crossterm::event::KeyEvent;

use super::keymap::{PaneAction, TerminalAction};
use super::{App, Pane};
use crate::docker::attach::{SessionId, SessionKind, SessionRequest};
use crate::docker::{Command, ContainerState, Target};
use crate::layout;
use crate::pty::{Session, keys};

/// `/bin/bash` where the image has it, else `/bin/sh`.
pub fn default_shell() -> Vec<String> {
    [
        "/bin/sh",
        "-c",
        "if [ -x /bin/bash ]; then exec /bin/bash; else exec /bin/sh; fi",
    ]
    .map(String::from)
    .to_vec()
}

impl App {
    fn open_session(&mut self, target: Target, kind: SessionKind) -> Vec<Command> {
        self.next_session += 1;
        let id = self.next_session;
        // The pane appears with the first session: size the tty for the new layout.
        let was_empty = self.sessions.is_empty();
        self.sessions.push(Session::new(
            id,
            target.id.clone(),
            target.name,
            kind.clone(),
            (1, 1),
        ));
        self.active_session = self.sessions.len() - 1;
        self.focus = Pane::Terminal;
        if was_empty {
            self.term_size = (0, 0);
        }
        let mut commands = self.sync_terminal_size();
        let (rows, cols) = self.term_size;
        if let Some(session) = self.sessions.last_mut() {
            session
                .parser
                .screen_mut()
                .set_size(rows.max(1), cols.max(1));
        }
        commands.push(Command::OpenSession(SessionRequest {
            id,
            container: target.id,
            kind,
            rows,
            cols,
            resize: !self.read_only,
        }));
        commands
    }

    /// `a`: attach to the selected container, starting it first if it is stopped.
    pub(super) fn attach(&mut self) -> Vec<Command> {
        let Some(c) = self.container_or_refuse() else {
            return Vec::new();
        };
        let start = match c.state {
            ContainerState::Running => false,
            ContainerState::Paused => {
                self.activity.refuse(format!(
                    "{} is paused: unpause it first ({{pause}})",
                    c.name
                ));
                return Vec::new();
            }
            _ => true,
        };
        if start && self.read_only {
            self.activity
                .refuse("read-only mode: attaching would start the container");
            return Vec::new();
        }
        self.open_session(Target::from(&c), SessionKind::Attach { start })
    }

    /// `e`: a shell in the selected running container.
    pub(super) fn exec(&mut self) -> Vec<Command> {
        let Some(c) = self.container_or_refuse() else {
            return Vec::new();
        };
        if c.state != ContainerState::Running {
            let message = format!(
                "{} is {}: a shell needs it running ({{start}} starts it)",
                c.name,
                c.state.as_str()
            );
            self.activity.refuse(message);
            return Vec::new();
        }
        let command = self.exec_command.clone();
        self.open_session(Target::from(&c), SessionKind::Exec { command })
    }

    /// A `run -it` container was created: attach, which starts it.
    pub(super) fn attach_new(&mut self, container: Target) -> Vec<Command> {
        self.open_session(container, SessionKind::Attach { start: true })
    }

    fn session_mut(&mut self, id: SessionId) -> Option<&mut Session> {
        self.sessions.iter_mut().find(|s| s.id == id)
    }

    pub(super) fn session_opened(&mut self, id: SessionId, interactive: bool) {
        if let Some(s) = self.session_mut(id) {
            s.interactive = Some(interactive);
        }
    }

    pub(super) fn session_output(&mut self, id: SessionId, bytes: &[u8]) {
        if let Some(s) = self.session_mut(id) {
            s.output(bytes);
        }
    }

    pub(super) fn session_ended(&mut self, id: SessionId, reason: String) {
        if let Some(s) = self.session_mut(id) {
            let title = s.title();
            s.ended = Some(reason.clone());
            self.activity.note(format!("{title}: {reason}"));
        }
    }

    /// Keys while the terminal pane has focus: its own few bindings, else to the container.
    pub(super) fn on_terminal_key(&mut self, key: &KeyEvent) -> Vec<Command> {
        if let Some(action) = self.keymap.get(key) {
            return self.terminal_action(action);
        }
        let Some(session) = self.sessions.get_mut(self.active_session) else {
            self.focus = Pane::Containers;
            return Vec::new();
        };
        // Keys typed while connecting are kept by the session and sent once it is open.
        if !session.live() || session.interactive == Some(false) {
            return Vec::new();
        }
        if self.read_only {
            self.activity
                .refuse("read-only mode: keys are not sent to the container");
            return Vec::new();
        }
        // Typing returns a scrolled-back view to the live screen, as terminals do.
        if session.scroll > 0 {
            session.scroll_by(-(session.scroll as isize));
        }
        let app_cursor = session.parser.screen().application_cursor();
        match keys::encode(key, app_cursor) {
            Some(bytes) => vec![Command::SessionInput {
                id: session.id,
                bytes,
            }],
            None => Vec::new(),
        }
    }

    pub(super) fn on_paste(&mut self, text: &str) -> Vec<Command> {
        if self.read_only {
            return Vec::new();
        }
        match self.sessions.get(self.active_session) {
            Some(s) if self.focus == Pane::Terminal && s.live() && s.interactive != Some(false) => {
                let bracketed = s.parser.screen().bracketed_paste();
                vec![Command::SessionInput {
                    id: s.id,
                    bytes: keys::paste(text, bracketed),
                }]
            }
            _ => Vec::new(),
        }
    }

    /// The terminal pane's own keys.
    fn terminal_action(&mut self, action: TerminalAction) -> Vec<Command> {
        let lines = match action {
            TerminalAction::Leave => {
                self.focus = Pane::Containers;
                return Vec::new();
            }
            TerminalAction::ScrollBack => 1,
            TerminalAction::ScrollForward => -1,
        };
        let page = self.term_size.0.max(2) as isize - 1;
        if let Some(s) = self.sessions.get_mut(self.active_session) {
            s.scroll_by(lines * page);
        }
        Vec::new()
    }

    /// Session actions from the panes.
    pub(super) fn apply_session(&mut self, action: PaneAction) -> Vec<Command> {
        let count = self.sessions.len();
        match action {
            PaneAction::Attach => return self.attach(),
            PaneAction::Exec => return self.exec(),
            PaneAction::FocusTerminal if count > 0 => self.focus = Pane::Terminal,
            PaneAction::Zoom if count > 0 => {
                self.zoomed = !self.zoomed;
                self.focus = Pane::Terminal;
                return self.sync_terminal_size();
            }
            PaneAction::NextSession if count > 0 => {
                self.active_session = (self.active_session + 1) % count
            }
            PaneAction::PrevSession if count > 0 => {
                self.active_session = (self.active_session + count - 1) % count
            }
            PaneAction::CloseSession if count > 0 => {
                let session = self.sessions.remove(self.active_session.min(count - 1));
                self.active_session = self
                    .active_session
                    .min(self.sessions.len().saturating_sub(1));
                let mut commands = Vec::new();
                if session.live() {
                    commands.push(Command::CloseSession(session.id));
                }
                if self.sessions.is_empty() {
                    self.zoomed = false;
                    self.focus = Pane::Containers;
                }
                commands.extend(self.sync_terminal_size());
                return commands;
            }
            _ => {}
        }
        Vec::new()
    }

    /// Resizes every session's emulator and tty when the pane changed size.
    pub(super) fn sync_terminal_size(&mut self) -> Vec<Command> {
        let size = self.areas().terminal.map_or((0, 0), layout::inner_size);
        if size == self.term_size || size.0 == 0 || size.1 == 0 {
            return Vec::new();
        }
        self.term_size = size;
        let (rows, cols) = size;
        // Read-only: the emulator follows the pane, the container's tty never does.
        let resize_ttys = !self.read_only;
        self.sessions
            .iter_mut()
            .filter(|s| s.live())
            .filter_map(|s| {
                s.parser.screen_mut().set_size(rows, cols);
                resize_ttys.then_some(Command::SessionResize {
                    id: s.id,
                    rows,
                    cols,
                })
            })
            .collect()
    }
}
