//! The one place state changes: an event in, state updated, commands out. No I/O.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::dialog::{Dialog, Field, Form, KillPicker, SIGNALS, Submit};
use super::keymap::Scope;
use super::{Action, App, Connection, Overlay, Pane};
use crate::docker::{Command, DockerEvent, Op, Target};
use crate::ui::layout;

/// The daemon events the events view keeps.
pub const EVENTS_KEPT: usize = 1_000;

/// The types the events view can narrow to, in the order Tab cycles them.
const EVENT_KINDS: [&str; 4] = ["container", "image", "network", "volume"];

#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Resize(u16, u16),
    Docker(DockerEvent),
    /// Wall clock, in unix seconds.
    Tick(i64),
    /// Text pasted into the terminal (bracketed paste from the outer terminal).
    Paste(String),
}

impl App {
    pub fn update(&mut self, event: Event) -> Vec<Command> {
        // Streamed data (terminal output, log lines, samples) and the clock never move the
        // layout or the rows in view: the follow-ups below are skipped for them, which keeps a
        // flood of terminal output cheap.
        let may_move = !matches!(
            event,
            Event::Tick(_)
                | Event::Docker(
                    DockerEvent::SessionOutput { .. }
                        | DockerEvent::LogLines { .. }
                        | DockerEvent::Stats { .. }
                        | DockerEvent::Usage(_)
                        | DockerEvent::OpProgress { .. }
                        | DockerEvent::Engine(_)
                )
        );
        let mut commands = match event {
            Event::Key(key) => self.on_key(key),
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.sync_cursors();
                Vec::new()
            }
            Event::Docker(event) => self.on_docker(event),
            Event::Tick(now) => {
                self.now = now;
                Vec::new()
            }
            Event::Paste(text) => self.on_paste(&text),
        };
        if !may_move {
            return commands;
        }
        // Whatever changed the layout (resize, zoom, the first or last tab), ttys follow.
        if !self.sessions.is_empty() {
            commands.extend(self.sync_terminal_size());
        }
        // Whatever changed the rows in view, the CPU and MEM columns follow.
        if matches!(self.connection, Connection::Up(_)) {
            commands.extend(self.watch_usage());
        }
        commands
    }

    fn on_docker(&mut self, event: DockerEvent) -> Vec<Command> {
        match event {
            DockerEvent::Connecting(endpoint) => {
                // Keep showing an error until the attempt succeeds, so it does not flicker.
                if !matches!(self.connection, Connection::Down(_)) {
                    self.connection = Connection::Connecting(endpoint.label());
                }
            }
            DockerEvent::Connected(info) => self.connection = Connection::Up(info),
            DockerEvent::Disconnected(error) => self.connection = Connection::Down(error),
            DockerEvent::Snapshot {
                mut images,
                mut containers,
            } => {
                images.sort_by(|a, b| {
                    b.created
                        .cmp(&a.created)
                        .then_with(|| a.repository.cmp(&b.repository))
                        .then_with(|| a.tag.cmp(&b.tag))
                });
                containers.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
                self.images = images;
                self.containers = containers;
                self.loaded = true;
                let ids: std::collections::HashSet<&str> =
                    self.containers.iter().map(|c| c.id.as_str()).collect();
                self.marked.retain(|id| ids.contains(id.as_str()));
                self.sync_cursors();
            }
            DockerEvent::OpProgress { id, progress } => self.activity.progress(id, progress),
            DockerEvent::OpDone {
                id,
                result,
                elapsed,
            } => self.activity.done(id, result, elapsed),
            DockerEvent::RunCreated { container } => return self.attach_new(container),
            DockerEvent::SessionOpened { id, interactive } => self.session_opened(id, interactive),
            DockerEvent::SessionOutput { id, bytes } => self.session_output(id, &bytes),
            DockerEvent::SessionEnded { id, reason } => self.session_ended(id, reason),
            DockerEvent::Engine(event) => {
                if self.engine_events.len() == EVENTS_KEPT {
                    self.engine_events.pop_front();
                }
                self.engine_events.push_back(event);
            }
            DockerEvent::LogLines { id, lines } => self.log_lines(id, lines),
            DockerEvent::StreamEnded { id, reason } => self.stream_ended(id, reason),
            DockerEvent::Stats { id, sample } => self.stats_sample(id, sample),
            DockerEvent::Usage(readings) => self.usage_readings(readings),
            DockerEvent::Saved { path, result } => self.saved(path, result),
            DockerEvent::Inspected { id, result } => self.inspected(id, result),
            DockerEvent::Explored { id, result } => self.explored(id, result),
            DockerEvent::ImageCommand { image, command } => {
                if let Some(Overlay::Dialog(Dialog::Form(form))) = &mut self.overlay {
                    form.suggest_tty(&image, is_shell(&command));
                }
            }
        }
        Vec::new()
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        // In the terminal pane Ctrl-C belongs to the container, as in any terminal.
        if ctrl_c && !(self.focus == Pane::Terminal && self.overlay.is_none()) {
            self.should_quit = true;
            return Vec::new();
        }
        // An overlay takes every key; none leaks through to the panes beneath.
        match self.overlay.take() {
            None if self.focus == Pane::Terminal => self.on_terminal_key(&key),
            None => match self.keymap.lookup(&key, self.focus) {
                Some(action) => self.apply(action),
                None => Vec::new(),
            },
            // Help scrolls with the movement keys; any other key closes it.
            Some(Overlay::Help { scroll }) => {
                let scroll = match self.keymap.lookup(&key, self.focus) {
                    Some(Action::Down) => Some(scroll.saturating_add(1)),
                    Some(Action::Up) => Some(scroll.saturating_sub(1)),
                    Some(Action::PageDown) => Some(scroll.saturating_add(10)),
                    Some(Action::PageUp) => Some(scroll.saturating_sub(10)),
                    _ => None,
                };
                self.overlay = scroll.map(|scroll| Overlay::Help { scroll });
                Vec::new()
            }
            Some(Overlay::Log { scroll }) => {
                let len = self.activity.entries.len();
                self.overlay = match self.keymap.lookup(&key, self.focus) {
                    Some(Action::Up) => Some(Overlay::Log {
                        scroll: (scroll + 1).min(len.saturating_sub(1)),
                    }),
                    Some(Action::Down) => Some(Overlay::Log {
                        scroll: scroll.saturating_sub(1),
                    }),
                    _ => None,
                };
                Vec::new()
            }
            Some(Overlay::Transfers { selected }) => self.on_transfers_key(&key, selected),
            Some(Overlay::Dialog(dialog)) => self.on_dialog_key(&key, dialog),
            Some(Overlay::Logs(view)) => self.on_logs_key(&key, view),
            Some(Overlay::Stats(view)) => self.on_stats_key(&key, view),
            Some(Overlay::Tree(view)) => self.on_tree_key(&key, view),
            Some(Overlay::Inspect(view)) => {
                self.on_inspect_key(&key, view);
                Vec::new()
            }
            Some(Overlay::Events { kind, scroll }) => {
                self.on_events_key(&key, kind, scroll);
                Vec::new()
            }
        }
    }

    fn on_events_key(&mut self, key: &KeyEvent, kind: Option<&'static str>, scroll: usize) {
        let (mut kind, mut scroll) = (kind, scroll);
        match self
            .keymap
            .lookup_in(key, Scope::Events)
            .or_else(|| self.keymap.lookup(key, self.focus))
        {
            Some(Action::Cancel) => return,
            Some(Action::CycleKind) => {
                kind = match kind.and_then(|k| EVENT_KINDS.iter().position(|x| *x == k)) {
                    None => Some(EVENT_KINDS[0]),
                    Some(i) => EVENT_KINDS.get(i + 1).copied(),
                };
                scroll = 0;
            }
            Some(Action::Up) => scroll = scroll.saturating_sub(1),
            Some(Action::Down) => scroll += 1,
            Some(Action::Top) => scroll = 0,
            _ => {}
        }
        let shown = self
            .engine_events
            .iter()
            .filter(|e| kind.is_none_or(|k| e.kind == k))
            .count();
        scroll = scroll.min(shown.saturating_sub(1));
        self.overlay = Some(Overlay::Events { kind, scroll });
    }

    fn on_transfers_key(&mut self, key: &KeyEvent, selected: usize) -> Vec<Command> {
        let ids: Vec<_> = self
            .activity
            .transfers()
            .map(|e| (e.id, e.running()))
            .collect();
        let mut commands = Vec::new();
        let last = ids.len().saturating_sub(1);
        let mut selected = selected.min(last);
        match self.keymap.lookup_in(key, Scope::Transfers) {
            Some(Action::Cancel) => return commands,
            Some(Action::CancelTransfer) => {
                if let Some((id, true)) = ids.get(selected) {
                    commands.push(Command::Cancel(*id));
                }
            }
            _ => match self.keymap.lookup(key, self.focus) {
                Some(Action::Up) => selected = selected.saturating_sub(1),
                Some(Action::Down) => selected = (selected + 1).min(last),
                _ => {}
            },
        }
        self.overlay = Some(Overlay::Transfers { selected });
        commands
    }

    fn on_dialog_key(&mut self, key: &KeyEvent, mut dialog: Dialog) -> Vec<Command> {
        let action = self.keymap.lookup_in(key, Scope::Dialog);
        if action == Some(Action::Cancel) {
            return Vec::new();
        }
        let mut submit = None;
        match &mut dialog {
            Dialog::Form(form) => match action {
                Some(Action::NextField) => form.focus = (form.focus + 1) % form.fields.len(),
                Some(Action::PrevField) => {
                    form.focus = (form.focus + form.fields.len() - 1) % form.fields.len()
                }
                Some(Action::Confirm) => match form.focused_mut() {
                    Some(Field::Text {
                        input,
                        multiline: true,
                        ..
                    }) => {
                        input.insert('\n');
                        form.revalidate();
                    }
                    // Invalid input stays in the form, with its message; nothing is sent.
                    _ => submit = form.submit().ok(),
                },
                _ => {
                    match form.focused_mut() {
                        Some(Field::Toggle { .. }) if action == Some(Action::Toggle) => {
                            form.flip_focused()
                        }
                        Some(Field::Text { input, .. }) => {
                            input.handle(key);
                        }
                        _ => {}
                    }
                    form.revalidate();
                }
            },
            Dialog::Confirm(confirm) => match (action, key.code) {
                (Some(Action::Confirm), _) => {
                    let ops = confirm.ops();
                    return self.submit(ops);
                }
                (_, KeyCode::Char(c)) => {
                    for choice in confirm.choices.iter_mut().filter(|ch| ch.key == c) {
                        choice.on = !choice.on;
                    }
                }
                _ => {}
            },
            Dialog::Kill(picker) => match action.or(self.keymap.lookup(key, self.focus)) {
                Some(Action::Confirm) => {
                    let signal = SIGNALS[picker.index.min(SIGNALS.len() - 1)];
                    let ops = picker
                        .targets
                        .iter()
                        .map(|t| Op::Kill {
                            target: t.clone(),
                            signal: signal.into(),
                        })
                        .collect();
                    return self.submit(ops);
                }
                Some(Action::Up | Action::PrevField) => {
                    picker.index = picker.index.saturating_sub(1)
                }
                Some(Action::Down | Action::NextField) => {
                    picker.index = (picker.index + 1).min(SIGNALS.len() - 1)
                }
                _ => {}
            },
        }
        if let Some(Submit::Explore(reference)) = submit {
            return self.open_tree_for(reference);
        }
        if let Some(Submit::Op(op)) = submit {
            let opens_transfers = matches!(op, Op::Pull(_));
            let commands = self.submit(vec![op]);
            if opens_transfers {
                self.overlay = Some(Overlay::Transfers { selected: 0 });
            }
            return commands;
        }
        self.overlay = Some(Overlay::Dialog(dialog));
        Vec::new()
    }

    pub fn apply(&mut self, action: Action) -> Vec<Command> {
        if self.refused_read_only(action) {
            return Vec::new();
        }
        let page = self.rows_in_view(self.focus) as isize;
        match action {
            Action::Quit => self.should_quit = true,
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::FocusNext | Action::FocusPrev => {
                let mut order = vec![Pane::Images, Pane::Containers];
                if !self.sessions.is_empty() {
                    order.push(Pane::Terminal);
                }
                let at = order.iter().position(|p| *p == self.focus).unwrap_or(0);
                let step = if action == Action::FocusNext {
                    1
                } else {
                    order.len() - 1
                };
                self.focus = order[(at + step) % order.len()];
            }
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::Top => self.move_to(0),
            Action::Bottom => self.move_to(usize::MAX),
            Action::ToggleAll => {
                self.show_all = !self.show_all;
                self.sync_cursors();
            }
            Action::Retry => return vec![Command::Refresh],
            Action::CommandLog => self.overlay = Some(Overlay::Log { scroll: 0 }),
            Action::Transfers => self.overlay = Some(Overlay::Transfers { selected: 0 }),
            Action::Pull => {
                let name = match self.focus {
                    Pane::Images => self.image_name(),
                    Pane::Containers | Pane::Terminal => None,
                };
                let name = name.filter(|n| crate::reference::parse(n).is_ok());
                self.open(Dialog::Form(Form::pull(name.as_deref().unwrap_or(""))));
            }
            Action::Run => {
                let image = match self.focus {
                    Pane::Images => self.image_name().unwrap_or_default(),
                    Pane::Containers | Pane::Terminal => String::new(),
                };
                self.open(Dialog::Form(Form::run(&image)));
                if !image.is_empty() {
                    return vec![Command::ImageCommand(image)];
                }
            }
            Action::Tag => match (self.selected_image(), self.image_label_and_target()) {
                (Some(image), Some((name, _))) => {
                    let form = Form::tag(image.id.clone(), name);
                    self.open(Dialog::Form(form));
                }
                _ => self.activity.refuse("no image selected"),
            },
            Action::Remove => match self.focus {
                Pane::Images => self.remove_image_dialog(),
                Pane::Containers | Pane::Terminal => self.remove_containers_dialog(),
            },
            Action::Prune => self.prune_dialog(),
            Action::Start | Action::Stop | Action::Restart | Action::PauseToggle => {
                return self.lifecycle(action);
            }
            Action::Kill => {
                if let Some(targets) = self.targets() {
                    self.open(Dialog::Kill(KillPicker { targets, index: 0 }));
                }
            }
            Action::Commit => {
                if let Some(c) = self.container_or_refuse() {
                    self.open(Dialog::Form(Form::commit(Target::from(&c))));
                }
            }
            Action::Mark => {
                if let Some(id) = self.container_cursor.selected.clone() {
                    if !self.marked.remove(&id) {
                        self.marked.insert(id);
                    }
                    self.move_by(1);
                }
            }
            Action::Attach
            | Action::Exec
            | Action::FocusTerminal
            | Action::LeaveTerminal
            | Action::Zoom
            | Action::NextSession
            | Action::PrevSession
            | Action::CloseSession
            | Action::ScrollBack
            | Action::ScrollForward => return self.apply_session(action),
            Action::Logs => return self.open_logs(),
            Action::Events => {
                self.overlay = Some(Overlay::Events {
                    kind: None,
                    scroll: 0,
                })
            }
            Action::CycleKind => {}
            Action::Inspect => return self.open_inspect(),
            Action::Stats => return self.open_stats(),
            Action::Structure => return self.open_tree(),
            Action::ExploreTyped => self.open(Dialog::Form(Form::explore())),
            Action::ToggleUsage => self.usage.on = !self.usage.on,
            Action::CopyDigest => {}
            // Logs view keys mean nothing on the panes.
            Action::ToggleTimestamps
            | Action::ToggleWrap
            | Action::ToggleFilter
            | Action::Search
            | Action::NextMatch
            | Action::PrevMatch
            | Action::SaveLogs => {}
            // Dialog keys mean nothing on the panes.
            Action::Confirm
            | Action::Cancel
            | Action::NextField
            | Action::PrevField
            | Action::Toggle
            | Action::CancelTransfer => {}
        }
        Vec::new()
    }

    pub(super) fn rows_in_view(&self, pane: Pane) -> usize {
        let areas = self.areas();
        match pane {
            Pane::Images => layout::table_rows(areas.images),
            Pane::Containers | Pane::Terminal => layout::table_rows(areas.containers),
        }
    }

    fn move_by(&mut self, delta: isize) {
        let current = match self.focus {
            Pane::Images => self.image_cursor.index,
            Pane::Containers | Pane::Terminal => self.container_cursor.index,
        };
        self.move_to(current.saturating_add_signed(delta));
    }

    fn move_to(&mut self, index: usize) {
        let height = self.rows_in_view(self.focus);
        match self.focus {
            Pane::Images => {
                let keys = self.images.iter().map(|i| i.key.as_str());
                self.image_cursor.select(index, keys, height);
            }
            Pane::Containers | Pane::Terminal => {
                let ids = super::visible(&self.containers, self.show_all).map(|c| c.id.as_str());
                self.container_cursor.select(index, ids, height);
            }
        }
    }

    fn sync_cursors(&mut self) {
        let height = self.rows_in_view(Pane::Images);
        self.image_cursor
            .sync(self.images.iter().map(|i| i.key.as_str()), height);
        let height = self.rows_in_view(Pane::Containers);
        let ids = super::visible(&self.containers, self.show_all).map(|c| c.id.as_str());
        self.container_cursor.sync(ids, height);
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
