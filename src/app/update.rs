//! The one place state changes: an event in, state updated, commands out. No I/O.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Action, App, Connection, Overlay, Pane};
use crate::docker::{Command, DockerEvent};
use crate::ui::layout;

#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Resize(u16, u16),
    Docker(DockerEvent),
    /// Wall clock, in unix seconds.
    Tick(i64),
}

impl App {
    pub fn update(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Key(key) => return self.on_key(key),
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.sync_cursors();
            }
            Event::Docker(event) => self.on_docker(event),
            Event::Tick(now) => self.now = now,
        }
        Vec::new()
    }

    fn on_docker(&mut self, event: DockerEvent) {
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
                self.sync_cursors();
            }
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if self.overlay.is_some() && !ctrl_c {
            // Any key closes an overlay; it never leaks through to the panes beneath.
            self.overlay = None;
            return Vec::new();
        }
        let Some(action) = self.keymap.lookup(&key, self.focus) else {
            return Vec::new();
        };
        self.apply(action)
    }

    pub fn apply(&mut self, action: Action) -> Vec<Command> {
        let page = self.rows_in_view(self.focus) as isize;
        match action {
            Action::Quit => self.should_quit = true,
            Action::Help => self.overlay = Some(Overlay::Help),
            Action::FocusNext | Action::FocusPrev => {
                self.focus = match self.focus {
                    Pane::Images => Pane::Containers,
                    Pane::Containers => Pane::Images,
                }
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
        }
        Vec::new()
    }

    fn rows_in_view(&self, pane: Pane) -> usize {
        let areas = layout::areas(ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1));
        match pane {
            Pane::Images => layout::table_rows(areas.images),
            Pane::Containers => layout::table_rows(areas.containers),
        }
    }

    fn move_by(&mut self, delta: isize) {
        let current = match self.focus {
            Pane::Images => self.image_cursor.index,
            Pane::Containers => self.container_cursor.index,
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
            Pane::Containers => {
                let rows: Vec<_> = self
                    .visible_containers()
                    .iter()
                    .map(|c| c.id.clone())
                    .collect();
                self.container_cursor
                    .select(index, rows.iter().map(String::as_str), height);
            }
        }
    }

    fn sync_cursors(&mut self) {
        let height = self.rows_in_view(Pane::Images);
        self.image_cursor
            .sync(self.images.iter().map(|i| i.key.as_str()), height);
        let height = self.rows_in_view(Pane::Containers);
        let ids: Vec<_> = self
            .visible_containers()
            .iter()
            .map(|c| c.id.clone())
            .collect();
        self.container_cursor
            .sync(ids.iter().map(String::as_str), height);
    }
}
