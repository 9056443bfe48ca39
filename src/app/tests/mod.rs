//! `update` tests: events and keys in, state and commands out, no I/O. One file per feature.

mod actions;
mod alerts;
mod away;
mod builds;
mod clipboard;
mod compose;
mod compose_files;
mod custom_commands;
mod edit_recreate;
mod files;
mod forwards;
mod health;
mod host;
mod hosts;
mod list;
mod lists;
mod logs;
mod panes;
mod read_only;
mod swarm;
mod terminal;
mod timeline;
mod updates;
mod usage;
mod views;

// What every test file uses, so each starts with `use super::*`.
pub(super) use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub(super) use super::update::Event;
pub(super) use super::view::View;
pub(super) use super::{App, Connection, Pane, Settings};
pub(super) use crate::docker::{Command, DockerEvent, Op};
pub(super) use crate::layout;

/// An app as `dockpit` would start it, at `now` on a terminal of `size`.
pub(super) fn new_app(now: i64, size: (u16, u16)) -> App {
    App::new(Settings {
        endpoint: "unix:///test.sock".into(),
        now,
        size,
        ..Settings::default()
    })
}

/// A container's `die` event with its exit code, at `secs` (unix seconds).
pub(crate) fn die_event(name: &str, code: &str, secs: i64) -> crate::docker::EngineEvent {
    crate::docker::EngineEvent {
        time: secs * 1_000_000_000,
        kind: crate::docker::EventKind::Container,
        action: "die".into(),
        actor_id: format!("id-{name}"),
        attributes: vec![
            ("exitCode".into(), code.into()),
            ("image".into(), "busybox".into()),
            ("name".into(), name.into()),
        ],
    }
}

/// The test daemon's version answer: Engine 20.10 on the test socket.
pub(crate) fn engine_info() -> crate::docker::EngineInfo {
    crate::docker::EngineInfo {
        endpoint: crate::docker::Endpoint {
            host: "unix:///test.sock".into(),
            source: crate::docker::endpoint::EndpointSource::Default,
            tls: None,
        },
        version: "20.10".into(),
        api_version: "1.41".into(),
        os_arch: "linux/amd64".into(),
    }
}

impl App {
    /// `update`, for tests about Docker commands only (local effects are tested apart).
    pub(super) fn send(&mut self, event: Event) -> Vec<Command> {
        self.update(event).commands()
    }
}

/// An image row as a listing gives it: `repo:tag` with id `id` on the first host, no
/// registry copy, made at 1.
pub(crate) fn image_row(repo: &str, tag: &str, id: &str) -> crate::docker::ImageRow {
    crate::docker::ImageRow {
        host: Default::default(),
        key: format!("{id}|{repo}:{tag}"),
        id: id.into(),
        repository: Some(repo.into()),
        tag: Some(tag.into()),
        size: 1,
        created: 1,
        registry_copy: false,
    }
}

/// A left click at `column`, `row`, as the terminal reports it.
pub(crate) fn click(app: &mut App, column: u16, row: u16) {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    app.update(Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

/// The first (or only) host's event, as the Docker task sends it.
pub(crate) fn docker(event: DockerEvent) -> Event {
    Event::Host(crate::docker::HostId::default(), event)
}

/// A container row as the Docker task would report it.
pub(super) fn container(
    name: &str,
    state: crate::docker::ContainerState,
) -> crate::docker::ContainerRow {
    crate::docker::ContainerRow {
        host: Default::default(),
        id: format!("id-{name}").into(),
        name: name.into(),
        image: "busybox".into(),
        image_id: "sha256:b".into(),
        state,
        status: String::new(),
        ports: String::new(),
        created: 0,
        aging: None,
        compose: None,
    }
}

/// The status line's text, or nothing.
fn status(app: &App) -> String {
    app.activity
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}
