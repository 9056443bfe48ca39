//! `update` tests: events and keys in, state and commands out, no I/O. One file per feature.

mod actions;
mod logs;
mod panes;
mod read_only;
mod terminal;
mod usage;
mod views;

// What every test file uses, so each starts with `use super::*`.
pub(super) use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub(super) use super::update::Event;
pub(super) use super::{App, Connection, Overlay, Pane};
pub(super) use crate::docker::{Command, DockerEvent, Op};
pub(super) use crate::ui::layout;

/// A container row as the Docker task would report it.
pub(super) fn container(
    name: &str,
    state: crate::docker::ContainerState,
) -> crate::docker::ContainerRow {
    crate::docker::ContainerRow {
        id: format!("id-{name}"),
        name: name.into(),
        image: "busybox".into(),
        image_id: "sha256:b".into(),
        state,
        status: String::new(),
        ports: String::new(),
        created: 0,
    }
}
