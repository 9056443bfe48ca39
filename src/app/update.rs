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
                        Some(Field::Toggle { on, .. }) if action == Some(Action::Toggle) => {
                            *on = !*on
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
        if self.read_only && action.changes_state() {
            self.activity.refuse(
                "read-only mode: dockpit was started with --read-only, so it changes nothing",
            );
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
                    Pane::Images => self.image_name().filter(|n| !n.starts_with("sha256")),
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
            Action::Tag => match (self.selected_image(), self.image_name()) {
                (Some(image), Some(name)) => {
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
            Action::Commit => match self.selected_container() {
                Some(c) => {
                    let target = Target {
                        id: c.id.clone(),
                        name: c.name.clone(),
                    };
                    self.open(Dialog::Form(Form::commit(target)));
                }
                None => self.activity.refuse("no container selected"),
            },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docker::{
        ConnectError, ConnectErrorKind, ContainerRow, ContainerState, Endpoint, EndpointSource,
        ImageRow,
    };

    fn container(name: &str, state: ContainerState) -> ContainerRow {
        ContainerRow {
            id: format!("id-{name}"),
            name: name.into(),
            image: "busybox".into(),
            image_id: "sha256:busybox".into(),
            state,
            status: String::new(),
            ports: String::new(),
            created: 0,
        }
    }

    fn image(repo: &str, created: i64) -> ImageRow {
        ImageRow {
            key: format!("k-{repo}"),
            id: format!("sha256:{repo}"),
            repository: repo.into(),
            tag: "latest".into(),
            size: 1,
            created,
        }
    }

    fn snapshot(images: Vec<ImageRow>, containers: Vec<ContainerRow>) -> Event {
        Event::Docker(DockerEvent::Snapshot { images, containers })
    }

    fn key(c: char) -> Event {
        Event::Key(KeyEvent::from(KeyCode::Char(c)))
    }

    fn app() -> App {
        App::new("unix:///test.sock".into(), 0, (120, 40))
    }

    #[test]
    fn snapshots_sort_images_newest_first_and_containers_by_name() {
        let mut app = app();
        let cmds = app.update(snapshot(
            vec![image("old", 1), image("new", 9)],
            vec![
                container("web", ContainerState::Running),
                container("db", ContainerState::Exited),
            ],
        ));
        assert!(cmds.is_empty());
        assert!(app.loaded);
        assert_eq!(app.images[0].repository, "new");
        assert_eq!(app.containers[0].name, "db");
        assert_eq!(
            app.selected_image().map(|i| i.repository.as_str()),
            Some("new")
        );
    }

    #[test]
    fn selection_follows_its_container_through_updates() {
        let mut app = app();
        let rows = vec![
            container("a", ContainerState::Running),
            container("c", ContainerState::Running),
        ];
        app.update(snapshot(vec![], rows.clone()));
        app.update(Event::Key(KeyEvent::from(KeyCode::Tab)));
        app.update(key('j'));
        assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("c"));
        // A new container sorts in above it; the cursor stays on "c".
        let mut more = rows.clone();
        more.push(container("b", ContainerState::Created));
        app.update(snapshot(vec![], more));
        assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("c"));
        assert_eq!(app.container_cursor.index, 2);
        // "c" is removed: the cursor lands on the nearest row.
        app.update(snapshot(vec![], rows[..1].to_vec()));
        assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("a"));
    }

    #[test]
    fn toggle_all_hides_stopped_containers() {
        let mut app = app();
        app.update(snapshot(
            vec![],
            vec![
                container("a", ContainerState::Exited),
                container("b", ContainerState::Running),
            ],
        ));
        app.focus = Pane::Containers;
        assert_eq!(app.visible_containers().len(), 2);
        app.update(key('A'));
        assert!(!app.show_all);
        let names: Vec<_> = app
            .visible_containers()
            .iter()
            .map(|c| c.name.clone())
            .collect();
        assert_eq!(names, ["b"]);
        assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("b"));
        // `A` means nothing in the images pane.
        app.focus = Pane::Images;
        app.update(key('A'));
        assert!(!app.show_all);
    }

    #[test]
    fn paging_and_jumps_stay_in_bounds() {
        let mut app = app();
        let images: Vec<_> = (0..50)
            .map(|i| image(&format!("img{i:02}"), 100 - i))
            .collect();
        app.update(snapshot(images, vec![]));
        app.update(Event::Key(KeyEvent::from(KeyCode::PageDown)));
        let page = app.image_cursor.index;
        assert!(page > 1, "a page moves more than a row");
        app.update(key('G'));
        assert_eq!(app.image_cursor.index, 49);
        app.update(Event::Key(KeyEvent::from(KeyCode::PageDown)));
        assert_eq!(app.image_cursor.index, 49);
        app.update(key('g'));
        assert_eq!((app.image_cursor.index, app.image_cursor.offset), (0, 0));
        app.update(key('k'));
        assert_eq!(app.image_cursor.index, 0);
    }

    #[test]
    fn help_opens_and_any_key_closes_it_without_acting() {
        let mut app = app();
        app.update(key('?'));
        assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
        app.update(Event::Key(KeyEvent::from(KeyCode::Char('j'))));
        assert!(
            matches!(app.overlay, Some(Overlay::Help { scroll: 1 })),
            "j scrolls"
        );
        app.update(key('q'));
        assert!(app.overlay.is_none());
        assert!(
            !app.should_quit,
            "the key that closes help does nothing else"
        );
        app.update(key('q'));
        assert!(app.should_quit);
    }

    #[test]
    fn ctrl_c_quits_even_over_help() {
        let mut app = app();
        app.update(key('?'));
        app.update(Event::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        )));
        assert!(app.should_quit);
    }

    #[test]
    fn connection_states_and_retry() {
        let mut app = app();
        let endpoint = Endpoint {
            host: "unix:///gone.sock".into(),
            source: EndpointSource::Default,
            tls: None,
        };
        let error = ConnectError::new(ConnectErrorKind::SocketMissing, &endpoint, "no socket");
        app.update(Event::Docker(DockerEvent::Disconnected(error.clone())));
        // A new attempt does not blank the error while it is under way.
        app.update(Event::Docker(DockerEvent::Connecting(endpoint)));
        assert_eq!(app.connection, Connection::Down(error));
        let cmds = app.update(Event::Key(KeyEvent::new(
            KeyCode::Char('r'),
            KeyModifiers::CONTROL,
        )));
        assert_eq!(cmds, vec![Command::Refresh]);
    }

    #[test]
    fn resize_keeps_the_selection_visible() {
        let mut app = app();
        let images: Vec<_> = (0..50)
            .map(|i| image(&format!("img{i:02}"), 100 - i))
            .collect();
        app.update(snapshot(images, vec![]));
        app.update(key('G'));
        app.update(Event::Resize(80, 24));
        let rows = layout::table_rows(
            layout::areas(ratatui::layout::Rect::new(0, 0, 80, 24), false, false).images,
        );
        let c = &app.image_cursor;
        assert!(c.index >= c.offset && c.index < c.offset + rows);
    }
}

#[cfg(test)]
mod read_only_tests {
    use super::*;
    use crate::docker::{ContainerRow, ContainerState, ImageRow};

    fn app() -> App {
        let mut app = App::new("unix:///test.sock".into(), 0, (120, 40));
        app.read_only = true;
        let container = |name: &str, state| ContainerRow {
            id: format!("id-{name}"),
            name: name.into(),
            image: "busybox".into(),
            image_id: "sha256:b".into(),
            state,
            status: String::new(),
            ports: String::new(),
            created: 0,
        };
        app.update(Event::Docker(DockerEvent::Snapshot {
            images: vec![ImageRow {
                key: "k".into(),
                id: "sha256:b".into(),
                repository: "busybox".into(),
                tag: "1".into(),
                size: 1,
                created: 1,
            }],
            containers: vec![
                container("a", ContainerState::Exited),
                container("b", ContainerState::Running),
            ],
        }));
        app
    }

    #[test]
    fn every_action_that_changes_state_is_refused() {
        let cases = [
            (Pane::Images, 'p'),
            (Pane::Images, 'r'),
            (Pane::Images, 'd'),
            (Pane::Images, 't'),
            (Pane::Images, 'X'),
            (Pane::Containers, 's'),
            (Pane::Containers, 'x'),
            (Pane::Containers, 'R'),
            (Pane::Containers, 'K'),
            (Pane::Containers, 'P'),
            (Pane::Containers, 'd'),
            (Pane::Containers, 'c'),
            (Pane::Containers, 'X'),
            (Pane::Containers, 'e'),
            // `a` on the stopped container would start it.
            (Pane::Containers, 'a'),
        ];
        for (pane, c) in cases {
            let mut app = app();
            app.focus = pane;
            let commands = app.update(Event::Key(KeyEvent::from(KeyCode::Char(c))));
            assert!(commands.is_empty(), "{c}: {commands:?}");
            assert!(app.overlay.is_none(), "{c} opened a dialog");
            let status = app.activity.status.clone().expect("a message");
            assert!(
                status.error && status.text.contains("read-only"),
                "{c}: {}",
                status.text
            );
        }
    }

    #[test]
    fn browsing_and_read_only_attach_still_work() {
        let mut app = app();
        app.focus = Pane::Containers;
        app.update(Event::Key(KeyEvent::from(KeyCode::Char('j'))));
        assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("b"));
        app.update(Event::Key(KeyEvent::from(KeyCode::Char('A'))));
        assert!(!app.show_all);
        // Attaching to the running container opens its output; typing sends nothing.
        let commands = app.update(Event::Key(KeyEvent::from(KeyCode::Char('a'))));
        assert!(matches!(commands.last(), Some(Command::OpenSession(_))));
        let id = app.sessions[0].id;
        app.update(Event::Docker(DockerEvent::SessionOpened {
            id,
            interactive: true,
        }));
        let typed = app.update(Event::Key(KeyEvent::from(KeyCode::Char('x'))));
        assert!(typed.is_empty());
        assert!(app.update(Event::Paste("rm -rf /".into())).is_empty());
    }
}

#[cfg(test)]
mod terminal_tests {
    use super::*;
    use crate::docker::attach::SessionKind;
    use crate::docker::{ContainerRow, ContainerState};

    fn app_with(state: ContainerState) -> App {
        let mut app = App::new("unix:///test.sock".into(), 0, (160, 45));
        app.update(Event::Docker(DockerEvent::Snapshot {
            images: vec![],
            containers: vec![ContainerRow {
                id: "id-web".into(),
                name: "web".into(),
                image: "busybox".into(),
                image_id: "sha256:b".into(),
                state,
                status: String::new(),
                ports: String::new(),
                created: 0,
            }],
        }));
        app.focus = Pane::Containers;
        app
    }

    fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Command> {
        app.update(Event::Key(KeyEvent::new(code, mods)))
    }

    #[test]
    fn attach_opens_a_tab_sized_to_the_pane() {
        let mut app = app_with(ContainerState::Exited);
        let commands = key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
        let Some(Command::OpenSession(request)) = commands.last() else {
            panic!("{commands:?}");
        };
        // A stopped container is started by the attach.
        assert_eq!(request.kind, SessionKind::Attach { start: true });
        let pane = app.areas().terminal.expect("a terminal pane");
        assert_eq!((request.rows, request.cols), layout::inner_size(pane));
        assert_eq!(app.focus, Pane::Terminal);
        assert_eq!(
            app.sessions[0].parser.screen().size(),
            (request.rows, request.cols)
        );
    }

    #[test]
    fn keys_go_to_the_container_and_the_prefix_comes_back() {
        let mut app = app_with(ContainerState::Running);
        key(&mut app, KeyCode::Char('e'), KeyModifiers::NONE);
        let id = app.sessions[0].id;
        app.update(Event::Docker(DockerEvent::SessionOpened {
            id,
            interactive: true,
        }));
        let typed = key(&mut app, KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            typed,
            vec![Command::SessionInput {
                id,
                bytes: b"q".to_vec()
            }]
        );
        assert!(!app.should_quit, "q is typed, not quit");
        let ctrl_c = key(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(ctrl_c, vec![Command::SessionInput { id, bytes: vec![3] }]);
        assert!(!app.should_quit, "Ctrl-C goes to the container");
        // Application cursor mode changes what the arrows send.
        app.update(Event::Docker(DockerEvent::SessionOutput {
            id,
            bytes: b"[?1h".to_vec(),
        }));
        let up = key(&mut app, KeyCode::Up, KeyModifiers::NONE);
        assert_eq!(
            up,
            vec![Command::SessionInput {
                id,
                bytes: b"OA".to_vec()
            }]
        );
        // Ctrl-] (reported by terminals as Ctrl-5) returns to the panes; the session stays.
        assert!(key(&mut app, KeyCode::Char('5'), KeyModifiers::CONTROL).is_empty());
        assert_eq!(app.focus, Pane::Containers);
        assert!(app.sessions[0].live());
    }

    #[test]
    fn output_and_end_of_a_session() {
        let mut app = app_with(ContainerState::Running);
        key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
        let id = app.sessions[0].id;
        app.update(Event::Docker(DockerEvent::SessionOutput {
            id,
            bytes: b"hello [31mred[0m".to_vec(),
        }));
        assert!(
            app.sessions[0]
                .parser
                .screen()
                .contents()
                .contains("hello red")
        );
        app.update(Event::Docker(DockerEvent::SessionEnded {
            id,
            reason: "exited (code 0)".into(),
        }));
        assert_eq!(app.sessions[0].ended.as_deref(), Some("exited (code 0)"));
        // Keys to an ended session go nowhere.
        assert!(key(&mut app, KeyCode::Char('x'), KeyModifiers::NONE).is_empty());
        // w closes the tab; with none left the pane goes away.
        key(&mut app, KeyCode::Char('5'), KeyModifiers::CONTROL);
        key(&mut app, KeyCode::Char('w'), KeyModifiers::NONE);
        assert!(app.sessions.is_empty());
        assert!(app.areas().terminal.is_none());
    }

    #[test]
    fn zoom_and_resize_resize_every_tty() {
        let mut app = app_with(ContainerState::Running);
        key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
        key(&mut app, KeyCode::Char('5'), KeyModifiers::CONTROL);
        let id = app.sessions[0].id;
        let zoomed = key(&mut app, KeyCode::Char('z'), KeyModifiers::NONE);
        let full = layout::inner_size(app.areas().terminal.expect("pane"));
        assert_eq!(
            zoomed,
            vec![Command::SessionResize {
                id,
                rows: full.0,
                cols: full.1
            }]
        );
        assert_eq!(full.1, 158, "zoomed: the whole width minus borders");
        let resized = app.update(Event::Resize(100, 30));
        let (rows, cols) = layout::inner_size(app.areas().terminal.expect("pane"));
        assert_eq!(resized, vec![Command::SessionResize { id, rows, cols }]);
    }

    #[test]
    fn paste_is_bracketed_when_the_program_asks() {
        let mut app = app_with(ContainerState::Running);
        key(&mut app, KeyCode::Char('e'), KeyModifiers::NONE);
        let id = app.sessions[0].id;
        app.update(Event::Docker(DockerEvent::SessionOutput {
            id,
            bytes: b"[?2004h".to_vec(),
        }));
        let pasted = app.update(Event::Paste("ls\n".into()));
        assert_eq!(
            pasted,
            vec![Command::SessionInput {
                id,
                bytes: b"\x1b[200~ls\r\x1b[201~".to_vec()
            }]
        );
    }

    #[test]
    fn exec_needs_a_running_container() {
        let mut app = app_with(ContainerState::Exited);
        assert!(key(&mut app, KeyCode::Char('e'), KeyModifiers::NONE).is_empty());
        let status = app.activity.status.clone().expect("status");
        assert!(
            status
                .text
                .contains("web is exited: a shell needs it running"),
            "{}",
            status.text
        );
    }
}

#[cfg(test)]
mod action_tests {
    use std::time::Duration;

    use super::*;
    use crate::app::dialog::Dialog;
    use crate::docker::{ContainerRow, ContainerState, ImageRow, OpError, Progress};

    fn row(name: &str, state: ContainerState, image_id: &str) -> ContainerRow {
        ContainerRow {
            id: format!("id-{name}"),
            name: name.into(),
            image: "busybox:1".into(),
            image_id: image_id.into(),
            state,
            status: "Up 1 second".into(),
            ports: String::new(),
            created: 0,
        }
    }

    fn app() -> App {
        let mut app = App::new("unix:///test.sock".into(), 0, (120, 40));
        let image = |tag: &str, id: &str, created| ImageRow {
            key: format!("{id}|busybox:{tag}"),
            id: id.into(),
            repository: "busybox".into(),
            tag: tag.into(),
            size: 1_000_000,
            created,
        };
        app.update(Event::Docker(DockerEvent::Snapshot {
            images: vec![image("1", "sha256:aaa", 1), image("2", "sha256:bbb", 2)],
            containers: vec![
                row("db", ContainerState::Exited, "sha256:aaa"),
                row("web", ContainerState::Running, "sha256:aaa"),
            ],
        }));
        app
    }

    fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
        app.update(Event::Key(KeyEvent::from(code)))
    }

    fn typed(app: &mut App, text: &str) {
        for c in text.chars() {
            press(app, KeyCode::Char(c));
        }
    }

    fn ops(commands: &[Command]) -> Vec<&Op> {
        commands
            .iter()
            .filter_map(|c| match c {
                Command::Op { op, .. } => Some(op),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn stop_shows_stopping_then_the_outcome() {
        let mut app = app();
        app.focus = Pane::Containers;
        press(&mut app, KeyCode::Char('j'));
        let commands = press(&mut app, KeyCode::Char('x'));
        let [Command::Op { id, op }] = commands.as_slice() else {
            panic!("{commands:?}");
        };
        assert_eq!(op.cli(), "docker container stop --time 10 web");
        assert_eq!(app.activity.busy("id-web"), Some("stopping…"));
        app.update(Event::Docker(DockerEvent::OpDone {
            id: *id,
            result: Ok("Stopped web".into()),
            elapsed: Duration::from_millis(400),
        }));
        assert_eq!(app.activity.busy("id-web"), None);
        let status = app.activity.status.clone().expect("status");
        assert_eq!(status.text, "Stopped web in 0.4 s");
        assert!(!status.error);
    }

    #[test]
    fn a_failed_action_shows_the_daemons_words_and_hint() {
        let mut app = app();
        app.focus = Pane::Containers;
        let commands = press(&mut app, KeyCode::Char('s'));
        let [Command::Op { id, .. }] = commands.as_slice() else {
            panic!("{commands:?}");
        };
        app.update(Event::Docker(DockerEvent::OpDone {
            id: *id,
            result: Err(OpError::new("No such image: busybox:1")),
            elapsed: Duration::ZERO,
        }));
        let status = app.activity.status.clone().expect("status");
        assert!(status.error);
        assert_eq!(
            status.text,
            "✗ No such image: busybox:1 — Pull it first (p), or check the name."
        );
    }

    #[test]
    fn marked_rows_act_together_and_marks_clear() {
        let mut app = app();
        app.focus = Pane::Containers;
        press(&mut app, KeyCode::Char(' '));
        press(&mut app, KeyCode::Char(' '));
        assert_eq!(app.marked.len(), 2);
        let commands = press(&mut app, KeyCode::Char('R'));
        let names: Vec<_> = ops(&commands).iter().map(|op| op.cli()).collect();
        assert_eq!(
            names,
            [
                "docker container restart db",
                "docker container restart web"
            ]
        );
        assert!(app.marked.is_empty());
    }

    #[test]
    fn start_on_a_running_container_is_refused_here() {
        let mut app = app();
        app.focus = Pane::Containers;
        press(&mut app, KeyCode::Char('j'));
        assert!(press(&mut app, KeyCode::Char('s')).is_empty());
        let status = app.activity.status.clone().expect("status");
        assert_eq!(status.text, "✗ nothing to do: web is running");
    }

    #[test]
    fn an_invalid_reference_never_reaches_the_daemon() {
        let mut app = app();
        press(&mut app, KeyCode::Char('p'));
        // Prefilled from the selected image.
        let Some(Overlay::Dialog(Dialog::Form(form))) = &app.overlay else {
            panic!("pull form");
        };
        assert_eq!(
            form.op().map(|op| op.cli()),
            Ok("docker image pull busybox:2".into())
        );
        app.update(Event::Key(KeyEvent::new(
            KeyCode::Char('u'),
            KeyModifiers::CONTROL,
        )));
        typed(&mut app, "Busybox");
        assert!(press(&mut app, KeyCode::Enter).is_empty());
        let Some(Overlay::Dialog(Dialog::Form(form))) = &app.overlay else {
            panic!("the form stays open");
        };
        let message = form.error.clone().expect("error").1;
        assert!(message.contains("must be lowercase"), "{message}");
        app.update(Event::Key(KeyEvent::new(
            KeyCode::Char('u'),
            KeyModifiers::CONTROL,
        )));
        typed(&mut app, "127.0.0.1:5000/busybox:1");
        let commands = press(&mut app, KeyCode::Enter);
        assert_eq!(
            ops(&commands)[0].cli(),
            "docker image pull 127.0.0.1:5000/busybox:1"
        );
        assert!(matches!(app.overlay, Some(Overlay::Transfers { .. })));
    }

    #[test]
    fn pull_progress_and_cancel() {
        let mut app = app();
        press(&mut app, KeyCode::Char('p'));
        let commands = press(&mut app, KeyCode::Enter);
        let [Command::Op { id, .. }] = commands.as_slice() else {
            panic!("{commands:?}");
        };
        let layer = |status: &str, current| Progress::Layer {
            id: "f9f83c3af34b".into(),
            status: status.into(),
            current,
            total: Some(100),
        };
        for p in [
            layer("Downloading", Some(10)),
            layer("Downloading", Some(60)),
        ] {
            app.update(Event::Docker(DockerEvent::OpProgress {
                id: *id,
                progress: p,
            }));
        }
        let entry = app.activity.get(*id).expect("entry");
        assert_eq!(entry.layers.len(), 1, "a layer's updates replace its line");
        assert_eq!(entry.layers[0].current, Some(60));
        assert_eq!(entry.layer_summary(), "0/1 layers");
        assert_eq!(
            press(&mut app, KeyCode::Char('c')),
            vec![Command::Cancel(*id)]
        );
        assert_eq!(press(&mut app, KeyCode::Esc), vec![]);
        assert!(app.overlay.is_none());
    }

    #[test]
    fn remove_a_running_container_offers_force() {
        let mut app = app();
        app.focus = Pane::Containers;
        press(&mut app, KeyCode::Char('j'));
        press(&mut app, KeyCode::Char('d'));
        let Some(Overlay::Dialog(Dialog::Confirm(confirm))) = &app.overlay else {
            panic!("confirm");
        };
        assert!(confirm.lines.iter().any(|l| l.contains("Running: web")));
        press(&mut app, KeyCode::Char('v'));
        let commands = press(&mut app, KeyCode::Enter);
        assert_eq!(
            ops(&commands)[0].cli(),
            "docker container rm --force --volumes web"
        );
        // Esc cancels without acting.
        press(&mut app, KeyCode::Char('d'));
        assert!(press(&mut app, KeyCode::Esc).is_empty());
        assert!(app.overlay.is_none());
    }

    #[test]
    fn remove_an_image_names_its_containers() {
        let mut app = app();
        // Newest first: busybox:2 (bbb) is unused; move to busybox:1 (aaa).
        press(&mut app, KeyCode::Char('j'));
        press(&mut app, KeyCode::Delete);
        let Some(Overlay::Dialog(Dialog::Confirm(confirm))) = &app.overlay else {
            panic!("confirm");
        };
        assert_eq!(confirm.title, " Remove image busybox:1? ");
        assert!(
            confirm
                .lines
                .iter()
                .any(|l| l.contains("Used by containers: db, web")),
            "{:?}",
            confirm.lines
        );
        let commands = press(&mut app, KeyCode::Enter);
        assert_eq!(ops(&commands)[0].cli(), "docker image rm busybox:1");
    }

    #[test]
    fn kill_picks_a_signal() {
        let mut app = app();
        app.focus = Pane::Containers;
        press(&mut app, KeyCode::Char('j'));
        press(&mut app, KeyCode::Char('K'));
        press(&mut app, KeyCode::Down);
        let commands = press(&mut app, KeyCode::Enter);
        assert_eq!(
            ops(&commands)[0].cli(),
            "docker container kill --signal SIGTERM web"
        );
    }

    #[test]
    fn run_form_defaults_to_a_tty_for_shell_images() {
        let mut app = app();
        let commands = press(&mut app, KeyCode::Char('r'));
        assert_eq!(commands, vec![Command::ImageCommand("busybox:2".into())]);
        app.update(Event::Docker(DockerEvent::ImageCommand {
            image: "busybox:2".into(),
            command: vec!["/bin/sh".into()],
        }));
        let Some(Overlay::Dialog(Dialog::Form(form))) = &app.overlay else {
            panic!("run form");
        };
        assert_eq!(
            form.op().map(|op| op.cli()),
            Ok("docker container run -it busybox:2".into())
        );
        // Env is multi-line: Enter there adds a line rather than submitting.
        for _ in 0..5 {
            press(&mut app, KeyCode::Tab);
        }
        typed(&mut app, "A=1");
        assert!(press(&mut app, KeyCode::Enter).is_empty());
        typed(&mut app, "B=2");
        press(&mut app, KeyCode::Tab);
        let commands = press(&mut app, KeyCode::Enter);
        assert_eq!(
            ops(&commands)[0].cli(),
            "docker container run -it -e A=1 -e B=2 busybox:2"
        );
    }

    #[test]
    fn tag_and_commit_forms_build_their_commands() {
        let mut app = app();
        press(&mut app, KeyCode::Char('t'));
        typed(&mut app, "me/box:v1");
        let commands = press(&mut app, KeyCode::Enter);
        assert_eq!(
            ops(&commands)[0].cli(),
            "docker image tag sha256:bbb me/box:v1"
        );
        app.focus = Pane::Containers;
        press(&mut app, KeyCode::Char('c'));
        typed(&mut app, "me/snap");
        press(&mut app, KeyCode::Tab);
        typed(&mut app, "saved");
        let commands = press(&mut app, KeyCode::Enter);
        assert_eq!(
            ops(&commands)[0].cli(),
            "docker container commit --message saved db me/snap:latest"
        );
    }
}

#[cfg(test)]
mod logs_tests {
    use super::*;
    use crate::docker::logs::LogLine;
    use crate::docker::{ContainerRow, ContainerState};

    fn app() -> App {
        let mut app = App::new("unix:///test.sock".into(), 1_764_000_000, (120, 40));
        app.update(Event::Docker(DockerEvent::Snapshot {
            images: vec![],
            containers: vec![ContainerRow {
                id: "id-web".into(),
                name: "web".into(),
                image: "busybox".into(),
                image_id: "sha256:b".into(),
                state: ContainerState::Running,
                status: String::new(),
                ports: String::new(),
                created: 0,
            }],
        }));
        app.focus = Pane::Containers;
        app
    }

    fn key(app: &mut App, c: char) -> Vec<Command> {
        app.update(Event::Key(KeyEvent::from(KeyCode::Char(c))))
    }

    fn view(app: &App) -> &crate::app::logs::LogView {
        match &app.overlay {
            Some(Overlay::Logs(view)) => view,
            other => panic!("logs view expected, got {other:?}"),
        }
    }

    #[test]
    fn logs_follow_search_save_and_close() {
        let mut app = app();
        let commands = key(&mut app, 'l');
        let [
            Command::FollowLogs {
                id,
                container,
                tail,
            },
        ] = commands.as_slice()
        else {
            panic!("{commands:?}");
        };
        assert_eq!((container.as_str(), *tail), ("id-web", 1_000));
        let line = |text: &str, err| LogLine {
            err,
            time: "2026-11-28T14:00:00Z".into(),
            text: text.into(),
        };
        app.update(Event::Docker(DockerEvent::LogLines {
            id: *id,
            lines: vec![
                line("starting", false),
                line("boom", true),
                line("ready", false),
            ],
        }));
        assert_eq!(view(&app).lines.len(), 3);

        // An invalid regex says so and keeps the pattern for fixing.
        key(&mut app, '/');
        for c in "(oops".chars() {
            key(&mut app, c);
        }
        app.update(Event::Key(KeyEvent::from(KeyCode::Enter)));
        let note = view(&app).search.note.clone().expect("a message");
        assert!(note.1 && note.0.starts_with("invalid regex"), "{note:?}");
        assert!(view(&app).search.input.is_some());
        app.update(Event::Key(KeyEvent::new(
            KeyCode::Char('u'),
            KeyModifiers::CONTROL,
        )));
        for c in "bo+m".chars() {
            key(&mut app, c);
        }
        app.update(Event::Key(KeyEvent::from(KeyCode::Enter)));
        assert_eq!(view(&app).offset, 1, "the match is the bottom line");
        key(&mut app, 'f');
        assert_eq!(view(&app).visible().len(), 1);

        let commands = key(&mut app, 's');
        let [Command::Save { path, text }] = commands.as_slice() else {
            panic!("{commands:?}");
        };
        assert!(path.ends_with("web-20251124-160000.log"), "{path}");
        assert_eq!(text, "boom\n");
        app.update(Event::Docker(DockerEvent::Saved {
            path: path.clone(),
            result: Ok(()),
        }));
        assert!(
            view(&app)
                .search
                .note
                .as_ref()
                .is_some_and(|n| n.0.starts_with("saved to "))
        );

        assert_eq!(key(&mut app, 'q'), vec![Command::StopStream(*id)]);
        assert!(app.overlay.is_none());
        assert!(!app.should_quit, "q closes the view, not dockpit");
    }

    #[test]
    fn new_lines_do_not_move_a_scrolled_view() {
        let mut app = app();
        let commands = key(&mut app, 'l');
        let Some(Command::FollowLogs { id, .. }) = commands.first() else {
            panic!()
        };
        let id = *id;
        let lines = |n: usize| {
            (0..n)
                .map(|i| LogLine {
                    err: false,
                    time: String::new(),
                    text: format!("line {i}"),
                })
                .collect()
        };
        app.update(Event::Docker(DockerEvent::LogLines {
            id,
            lines: lines(50),
        }));
        key(&mut app, 'k');
        key(&mut app, 'k');
        assert_eq!(view(&app).offset, 2);
        app.update(Event::Docker(DockerEvent::LogLines {
            id,
            lines: lines(5),
        }));
        assert_eq!(view(&app).offset, 7, "still on the same line");
        key(&mut app, 'G');
        assert_eq!(view(&app).offset, 0, "G follows again");
    }
}

#[cfg(test)]
mod usage_tests {
    use super::*;
    use crate::docker::stats::Reading;
    use crate::docker::{ContainerRow, ContainerState, Endpoint, EndpointSource, EngineInfo};

    #[test]
    fn the_running_rows_in_view_are_watched_and_cpu_comes_from_two_readings() {
        let mut app = App::new("unix:///test.sock".into(), 0, (160, 45));
        app.update(Event::Docker(DockerEvent::Connected(EngineInfo {
            endpoint: Endpoint {
                host: "unix:///test.sock".into(),
                source: EndpointSource::Default,
                tls: None,
            },
            version: "20.10".into(),
            api_version: "1.41".into(),
            os_arch: "linux/amd64".into(),
        })));
        let row = |name: &str, state| ContainerRow {
            id: format!("id-{name}"),
            name: name.into(),
            image: "busybox".into(),
            image_id: "sha256:b".into(),
            state,
            status: String::new(),
            ports: String::new(),
            created: 0,
        };
        let commands = app.update(Event::Docker(DockerEvent::Snapshot {
            images: vec![],
            containers: vec![
                row("a", ContainerState::Running),
                row("b", ContainerState::Exited),
            ],
        }));
        assert_eq!(commands, vec![Command::WatchUsage(vec!["id-a".into()])]);
        // Nothing changed: nothing asked again.
        assert!(app.update(Event::Tick(1)).is_empty());
        let reading = |cpu, system| Reading {
            cpu_total: cpu,
            system_total: system,
            cpus: 2,
            memory: 1_000_000,
        };
        app.update(Event::Docker(DockerEvent::Usage(vec![(
            "id-a".into(),
            reading(0, 0),
        )])));
        assert_eq!(
            app.usage.shown["id-a"],
            (None, 1_000_000),
            "one reading: no CPU yet"
        );
        app.update(Event::Docker(DockerEvent::Usage(vec![(
            "id-a".into(),
            reading(500, 1_000),
        )])));
        assert_eq!(app.usage.shown["id-a"], (Some(100.0), 1_000_000));
        // U switches the columns off: nothing is read any more.
        app.focus = Pane::Containers;
        let commands = app.update(Event::Key(KeyEvent::from(KeyCode::Char('U'))));
        assert_eq!(commands, vec![Command::WatchUsage(vec![])]);
    }
}
