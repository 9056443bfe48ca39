//! The terminal pane's part of `update`: opening sessions (attach, exec, run -it), feeding
//! their output to the emulator, sending keys, and keeping every tty the pane's size.

use crossterm::event::{KeyCode, KeyEvent};

use super::dialog::{Confirm, ConfirmKind, Dialog};
use super::effects::{Effects, Routed};
use super::keymap::{DialogAction, PaneAction, PrefixAction, TerminalAction};
use super::view::View;
use super::{App, Pane};
use crate::docker::attach::{SessionId, SessionKind, SessionRequest};
use std::time::Duration;

use crate::docker::{Command, ContainerRow, ContainerState, HostId, Op, OpError, Target};
use crate::format::inert;
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

/// The terminal pane: its sessions, one tab each, and what goes with them.
#[derive(Debug, Default)]
pub struct Terminals {
    pub sessions: Vec<Session>,
    /// The tab shown.
    pub active: usize,
    /// The id the last tab got.
    next: SessionId,
    /// The view a tab was opened from (a Swarm task's shell), shown again when the user
    /// leaves the tab (prefix + Esc, or the key after it ended).
    pub(super) return_views: Vec<(SessionId, View)>,
    /// Sessions whose attach starts their container: the start's entry in the command log,
    /// and when it began.
    implicit_starts: std::collections::HashMap<SessionId, (crate::docker::OpId, i64)>,
    /// The pane fills the screen (only while it has focus).
    pub zoomed: bool,
    /// The pane's prefix key was pressed: the next key is dockpit's.
    pub prefix_pending: bool,
    /// Rows and columns inside the pane; every session's tty follows it.
    pub size: (u16, u16),
}

impl App {
    /// A new tab, focused, its emulator sized to the pane (which appears with the first tab).
    /// `failed`: why it could not open (the tab says so; no session starts).
    fn add_tab(
        &mut self,
        (host, target): (HostId, &Target),
        kind: SessionKind,
        failed: Option<String>,
    ) -> (SessionId, Vec<Routed>) {
        self.terminals.next = self.terminals.next.next();
        let id = self.terminals.next;
        let was_empty = self.terminals.sessions.is_empty();
        let mut session = Session::new(id, target.id.clone(), target.name.clone(), kind, (1, 1));
        session.host = host;
        session.ended = failed;
        self.terminals.sessions.push(session);
        self.terminals.active = self.terminals.sessions.len() - 1;
        self.focus = Pane::Terminal;
        self.terminals.prefix_pending = false;
        if was_empty {
            self.terminals.size = (0, 0);
        }
        let commands = self.sync_terminal_size();
        let (rows, cols) = self.terminals.size;
        if let Some(session) = self.terminals.sessions.last_mut() {
            session.resize(rows, cols);
        }
        (id, commands)
    }

    /// A session on the container's host.
    pub(super) fn open_session(&mut self, target: Target, kind: SessionKind) -> Vec<Routed> {
        let host = self.container_host(&target.id);
        self.open_session_on(host, target, kind)
    }

    /// A session whose tab belongs to `host` (a container's, or a Compose project's).
    pub(super) fn open_session_on(
        &mut self,
        host: HostId,
        target: Target,
        kind: SessionKind,
    ) -> Vec<Routed> {
        // Its host down, or read-only and this would change it: the tab says why.
        let changes = matches!(
            kind,
            SessionKind::Exec { .. } | SessionKind::Attach { start: true }
        );
        if !matches!(kind, SessionKind::Local(_))
            && let Some(why) = self.host_refuses(host, changes)
        {
            return self.open_failed((host, target), kind, why);
        }
        // An attach that starts its container (`a` on a stopped one, `run -it`) changes the
        // host: the start goes to the command log and the status line like any other, and
        // ends when the session opens (or fails to).
        let start = (kind == SessionKind::Attach { start: true })
            .then(|| self.activity.start(Op::Start(target.clone()), self.now));
        let (id, mut commands) = self.add_tab((host, &target), kind.clone(), None);
        if let Some(op) = start {
            self.terminals.implicit_starts.insert(id, (op, self.now));
        }
        let (rows, cols) = self.terminals.size;
        let fixed = self
            .terminals
            .sessions
            .iter()
            .find(|s| s.id == id)
            .is_some_and(|s| self.session_read_only(s));
        let open = Command::OpenSession(SessionRequest {
            id,
            container: target.id,
            kind,
            rows,
            cols,
            resize: !fixed,
        });
        commands.push((host, open));
        commands
    }

    /// `e` or `a` could not open: the tab still opens and takes focus, saying why, so the
    /// keys typed next (meant for a shell) are not taken for pane actions.
    fn open_failed(
        &mut self,
        (host, target): (HostId, Target),
        kind: SessionKind,
        reason: String,
    ) -> Vec<Routed> {
        let filled = self.keymap.fill(&reason);
        self.activity.refuse(reason);
        self.add_tab((host, &target), kind, Some(filled)).1
    }

    /// `a`: attach to the selected container, starting it first if it is stopped.
    pub(super) fn attach(&mut self) -> Vec<Routed> {
        let Some(c) = self.container_or_refuse() else {
            return Vec::new();
        };
        let start = match c.state {
            ContainerState::Running => false,
            ContainerState::Paused => {
                let reason = format!("{} is paused: unpause it first ({{pause}})", c.name);
                return self.open_failed(
                    (c.host, Target::from(&c)),
                    SessionKind::Attach { start: false },
                    reason,
                );
            }
            _ => true,
        };
        if start && self.prefs.read_only {
            self.activity
                .refuse("read-only mode: attaching would start the container");
            return Vec::new();
        }
        self.open_session(Target::from(&c), SessionKind::Attach { start })
    }

    /// `e`: a shell in the selected running container.
    pub(super) fn exec(&mut self) -> Vec<Routed> {
        let Some(c) = self.container_or_refuse() else {
            return Vec::new();
        };
        let command = self.prefs.exec_command.clone();
        self.exec_session(&c, command, true)
    }

    /// A new tab running `command`: `e`'s shell, or a command typed with `$`.
    fn exec_session(&mut self, c: &ContainerRow, command: Vec<String>, shell: bool) -> Vec<Routed> {
        let what = if shell { "a shell" } else { "a command" };
        let kind = SessionKind::Exec { command, shell };
        if c.state != ContainerState::Running {
            let reason = format!(
                "{} is {}: {what} needs it running ({{start}} starts it)",
                c.name,
                c.state.as_str()
            );
            return self.open_failed((c.host, Target::from(c)), kind, reason);
        }
        self.open_session_on(c.host, Target::from(c), kind)
    }

    /// `!`: asks for a command line to run in the selected container.
    pub(super) fn ask_exec(&mut self) {
        let Some(c) = self.container_or_refuse() else {
            return;
        };
        let last = self.exec_history.get(&c.image).cloned().unwrap_or_default();
        let form = super::dialog::Form::exec(Target::from(&c), &last);
        self.open(c.host, Dialog::Form(form));
    }

    /// Runs `command` in the container in a new tab; remembered for its image.
    pub(super) fn exec_in(
        &mut self,
        host: HostId,
        container: Target,
        command: Vec<String>,
    ) -> Vec<Routed> {
        let row = (self.containers.rows())
            .find(|c| c.host == host && c.id == container.id)
            .cloned();
        match row {
            Some(row) => {
                let line = crate::run_spec::join_command(&command);
                self.exec_history.insert(row.image.clone(), line);
                self.exec_session(&row, command, false)
            }
            None => {
                self.activity.refuse(format!("{} is gone", container.name));
                Vec::new()
            }
        }
    }

    /// A `run -it` container was created: attach, which starts it.
    /// `run -it` created this container on `host`: attach (which starts it) there, even if
    /// another host's row is selected by now.
    pub(super) fn attach_new(
        &mut self,
        host: crate::docker::HostId,
        container: Target,
    ) -> Vec<Routed> {
        self.open_session_on(host, container, SessionKind::Attach { start: true })
    }

    fn session_mut(&mut self, id: SessionId) -> Option<&mut Session> {
        self.terminals.sessions.iter_mut().find(|s| s.id == id)
    }

    pub(super) fn session_opened(&mut self, id: SessionId, interactive: bool) {
        let mut name = String::new();
        if let Some(s) = self.session_mut(id) {
            s.interactive = Some(interactive);
            name = s.container_name.clone();
        }
        self.implicit_start_done(id, Ok(format!("Started {name}")));
    }

    /// The start an attach made ended: opened, or not.
    fn implicit_start_done(&mut self, id: SessionId, result: Result<String, OpError>) {
        if let Some((op, started)) = self.terminals.implicit_starts.remove(&id) {
            let elapsed = Duration::from_secs(self.now.saturating_sub(started).unsigned_abs());
            self.activity.done(op, result, elapsed);
        }
    }

    pub(super) fn session_output(&mut self, id: SessionId, bytes: &[u8]) {
        if let Some(s) = self.session_mut(id) {
            s.output(bytes);
        }
    }

    /// A session as questions and the status line name it: `web · shell`, and
    /// `web@build1 · shell` while several hosts are watched.
    pub(super) fn session_title(&self, s: &Session) -> String {
        format!("{} · {}", self.at_host(&s.container_name, s.host), s.what())
    }

    /// A session ended; what is asked of Docker after (a Compose run's host listed again).
    pub(super) fn session_ended(&mut self, id: SessionId, reason: String) -> Vec<Routed> {
        self.implicit_start_done(id, Err(OpError::new(reason.clone())));
        let title = (self.terminals.sessions.iter())
            .find(|s| s.id == id)
            .map(|s| self.session_title(s));
        if let (Some(s), Some(title)) = (self.session_mut(id), title) {
            s.ended = Some(reason.clone());
            self.activity.note(format!("{title}: {reason}"));
        }
        self.compose_run_ended(id, &reason)
    }

    /// Tabs whose session ended say what became of their container since (a new listing
    /// arrived): a tab must not claim "the container keeps running" once it was killed.
    pub(super) fn follow_containers(&mut self) {
        if !self.loaded {
            return;
        }
        let titles: Vec<String> = (self.terminals.sessions.iter())
            .map(|s| self.session_title(s))
            .collect();
        for (session, title) in self.terminals.sessions.iter_mut().zip(titles) {
            let row = self
                .containers
                .rows()
                .find(|c| c.id == session.container_id);
            // A container missing from a listing that never showed it (one `run -it` just
            // created) is not known to be removed.
            session.listed |= row.is_some();
            // A command of the user's ran here, not in the container.
            let local = matches!(session.kind, SessionKind::Local(_));
            if local || session.live() || (row.is_none() && !session.listed) {
                continue;
            }
            let before = session.ended.clone().unwrap_or_default();
            session.follow_container(row.map(|c| &c.state));
            let after = session.ended.as_deref().unwrap_or_default();
            // The status line still showing the old words follows too.
            let showing = self.activity.status.as_ref().map(|s| s.text.as_str());
            if after != before && showing == Some(format!("{title}: {before}").as_str()) {
                self.activity.note(format!("{title}: {after}"));
            }
        }
    }

    /// Keys while the terminal pane has focus: the prefix and scrolling, else to the
    /// container.
    pub(super) fn on_terminal_key(&mut self, key: &KeyEvent) -> Effects {
        if std::mem::take(&mut self.terminals.prefix_pending) {
            return self.after_prefix(key);
        }
        let lines = match self.keymap.get(key) {
            Some(TerminalAction::Prefix) => {
                self.terminals.prefix_pending = true;
                return Effects::default();
            }
            Some(TerminalAction::ScrollBack) => 1,
            Some(TerminalAction::ScrollForward) => -1,
            None => return self.send_key(key).into(),
        };
        let page = self.terminals.size.0.max(2) as isize - 1;
        if let Some(s) = self.terminals.sessions.get_mut(self.terminals.active) {
            s.scroll_by(lines * page);
        }
        Effects::default()
    }

    /// The key after the prefix: the pane's own actions, else back to the panes, where the
    /// key acts.
    fn after_prefix(&mut self, key: &KeyEvent) -> Effects {
        let Some(action) = self.keymap.get(key) else {
            self.leave_terminal();
            return self.on_pane_key(key);
        };
        let count = self.terminals.sessions.len().max(1);
        match action {
            PrefixAction::Zoom => self.terminals.zoomed = !self.terminals.zoomed,
            PrefixAction::NextTab => self.terminals.active = (self.terminals.active + 1) % count,
            PrefixAction::PrevTab => {
                self.terminals.active = (self.terminals.active + count - 1) % count
            }
            PrefixAction::CloseTab => return self.request_close_tab().into(),
            PrefixAction::SendPrefix => return self.send_key(key).into(),
            PrefixAction::Leave => {
                self.leave_terminal();
                self.return_to_view();
            }
        }
        Effects::default()
    }

    /// Focus back to the panes; a zoomed pane shows them again (as tmux unzooms).
    fn leave_terminal(&mut self) {
        self.focus = Pane::Containers;
        self.terminals.zoomed = false;
        self.terminals.prefix_pending = false;
    }

    /// Back from the active tab to the view it was opened from (a Swarm task's shell
    /// returns to the tasks), if it was.
    fn return_to_view(&mut self) {
        let Some(id) = self.session().map(|s| s.id) else {
            return;
        };
        if let Some(at) = self
            .terminals
            .return_views
            .iter()
            .position(|(s, _)| *s == id)
        {
            let (_, mut view) = self.terminals.return_views.remove(at);
            view.resume(self.now);
            self.push_view(view);
        }
    }

    /// A key typed for the container, encoded as a terminal would.
    fn send_key(&mut self, key: &KeyEvent) -> Vec<Routed> {
        let read_only = self
            .terminals
            .sessions
            .get(self.terminals.active)
            .is_some_and(|s| self.session_read_only(s));
        let Some(session) = self.terminals.sessions.get_mut(self.terminals.active) else {
            self.leave_terminal();
            return Vec::new();
        };
        if !session.live() {
            // A session that never opened swallows keys until Esc (they were meant for a
            // shell); one that ended after opening returns on the next key, which does
            // nothing else.
            let ctrl_c = key.code == KeyCode::Char('c')
                && key
                    .modifiers
                    .contains(crossterm::event::KeyModifiers::CONTROL);
            // Esc, or Ctrl-C (which would have gone to the shell), returns too.
            if session.interactive.is_some() || key.code == KeyCode::Esc || ctrl_c {
                self.leave_terminal();
                self.return_to_view();
            }
            return Vec::new();
        }
        // Keys typed while connecting are sent once it is open (the session queues them).
        if session.interactive == Some(false) {
            return Vec::new();
        }
        if read_only {
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
            Some(bytes) => vec![(
                session.host,
                Command::SessionInput {
                    id: session.id,
                    bytes,
                },
            )],
            None => Vec::new(),
        }
    }

    pub(super) fn on_paste(&mut self, text: &str) -> Vec<Routed> {
        match self.terminals.sessions.get(self.terminals.active) {
            Some(s) if self.session_read_only(s) => Vec::new(),
            Some(s) if self.focus == Pane::Terminal && s.live() && s.interactive != Some(false) => {
                let bracketed = s.parser.screen().bracketed_paste();
                let bytes = keys::paste(text, bracketed);
                vec![(s.host, Command::SessionInput { id: s.id, bytes })]
            }
            _ => Vec::new(),
        }
    }

    /// Session actions from the panes.
    pub(super) fn apply_session(&mut self, action: PaneAction) -> Vec<Routed> {
        let count = self.terminals.sessions.len();
        match action {
            PaneAction::Attach => return self.attach(),
            PaneAction::Exec => return self.exec(),
            PaneAction::FocusTerminal if count > 0 => self.focus = Pane::Terminal,
            // From the panes zoom focuses the pane; it unzooms from inside (prefix, then z).
            PaneAction::Zoom if count > 0 => {
                self.terminals.zoomed = true;
                self.focus = Pane::Terminal;
                return self.sync_terminal_size();
            }
            PaneAction::NextSession if count > 0 => {
                self.terminals.active = (self.terminals.active + 1) % count
            }
            PaneAction::PrevSession if count > 0 => {
                self.terminals.active = (self.terminals.active + count - 1) % count
            }
            PaneAction::CloseSession if count > 0 => return self.request_close_tab(),
            _ => {}
        }
        Vec::new()
    }

    /// Closes the active tab, asking first when its session is live.
    fn request_close_tab(&mut self) -> Vec<Routed> {
        let Some(session) = self.terminals.sessions.get(self.terminals.active) else {
            return Vec::new();
        };
        let id = session.id;
        if !session.live() {
            return self.close_session(id);
        }
        let name = self.session_title(session);
        let lines = vec![
            format!("{name} is live: closing its tab ends the session."),
            String::new(),
            self.confirm_keys("closes it"),
        ];
        let title = format!(" Close {name}? ");
        let host = session.host;
        self.open(
            host,
            Dialog::Confirm(Confirm::new(title, ConfirmKind::CloseTab(id), lines)),
        );
        Vec::new()
    }

    /// `q`: quits at once, or asks first when live sessions would end, naming them.
    pub(super) fn request_quit(&mut self) {
        let asked = matches!(
            &self.view,
            Some(View::Dialog(Dialog::Confirm(Confirm {
                kind: ConfirmKind::Quit,
                ..
            })))
        );
        let live: Vec<String> = self
            .terminals
            .sessions
            .iter()
            .filter(|s| s.live())
            .map(|s| format!("  {}", self.session_title(s)))
            .collect();
        if live.is_empty() || asked {
            self.should_quit = true;
            return;
        }
        let mut lines = vec![match live.len() {
            1 => "This session is live and ends when dockpit quits:".to_string(),
            n => format!("These {n} sessions are live and end when dockpit quits:"),
        }];
        lines.extend(live);
        lines.push(String::new());
        lines.push(self.confirm_keys("quits"));
        let confirm = Confirm::new(" Quit dockpit? ", ConfirmKind::Quit, lines);
        self.open(self.active_host(), Dialog::Confirm(confirm));
    }

    /// "Enter quits, Esc cancels", with the keys really bound.
    fn confirm_keys(&self, what: &str) -> String {
        let confirm = self.keymap.key_for(DialogAction::Confirm.into());
        let cancel = self.keymap.key_for(DialogAction::Cancel.into());
        format!("{confirm} {what}, {cancel} cancels.")
    }

    /// Closes a tab (ending its session if live); with none left the pane goes away.
    pub(super) fn close_session(&mut self, id: SessionId) -> Vec<Routed> {
        let Some(index) = self.terminals.sessions.iter().position(|s| s.id == id) else {
            return Vec::new();
        };
        let session = self.terminals.sessions.remove(index);
        self.terminals.return_views.retain(|(s, _)| *s != id);
        if index < self.terminals.active {
            self.terminals.active -= 1;
        }
        self.terminals.active = self
            .terminals
            .active
            .min(self.terminals.sessions.len().saturating_sub(1));
        let mut commands = Vec::new();
        if session.live() {
            commands.push((session.host, Command::CloseSession(session.id)));
        }
        if self.terminals.sessions.is_empty() {
            self.leave_terminal();
        }
        commands.extend(self.sync_terminal_size());
        commands
    }

    /// Resizes every session's emulator, and the ttys of live ones, when the pane changed
    /// size. Emulators keep their output: rows that no longer fit go to the scrollback and
    /// come back when the pane grows, as in xterm.
    pub(super) fn sync_terminal_size(&mut self) -> Vec<Routed> {
        let size = self.areas().terminal.map_or((0, 0), layout::inner_size);
        if size == self.terminals.size || size.0 == 0 || size.1 == 0 {
            return Vec::new();
        }
        self.terminals.size = size;
        let (rows, cols) = size;
        // Read-only: the emulator follows the pane, the container's tty never does.
        let fixed: Vec<bool> = self
            .terminals
            .sessions
            .iter()
            .map(|s| self.session_read_only(s))
            .collect();
        let mut commands = Vec::new();
        for (s, fixed) in self.terminals.sessions.iter_mut().zip(fixed) {
            s.resize(rows, cols);
            if s.live() && !fixed {
                let id = s.id;
                commands.push((s.host, Command::SessionResize { id, rows, cols }));
            }
        }
        commands
    }
}

impl App {
    /// The terminal pane's tabs in a pane `width` wide: what its border shows, where both
    /// drawing and the mouse find them.
    pub fn tab_strip(&self, width: u16) -> Vec<layout::tabs::Piece> {
        let sessions = &self.terminals.sessions;
        let label = |i: usize, name| self.tab_label(i, &sessions[i], name);
        layout::tabs::strip(sessions.len(), self.terminals.active, width.into(), label)
    }

    /// " 2:web · shell ", its container name cut to `name` characters; with several hosts,
    /// " 2:build1/web · shell ".
    fn tab_label(&self, i: usize, s: &Session, name: usize) -> String {
        let host = match self.fleet() {
            true => format!("{}/", inert(self.host_name(s.host))),
            false => String::new(),
        };
        let container = inert(&cut(&s.container_name, name));
        format!(" {}:{host}{container} · {} ", i + 1, s.what())
    }
}

/// `s`, cut to `max` characters with an ellipsis.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
