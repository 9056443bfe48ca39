//! Colours and styles, in one place.

use ratatui::style::{Color, Modifier, Style};

use crate::docker::ContainerState;

pub const ACCENT: Color = Color::Cyan;

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(ACCENT)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

pub fn table_header() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub fn selected(focused: bool) -> Style {
    if focused {
        Style::new()
            .bg(Color::Blue)
            .fg(Color::White)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}

pub fn key() -> Style {
    Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

/// A container's state; `status` tells a clean exit ("Exited (0) …", not a failure) from a
/// failed one.
pub fn state(state: ContainerState, status: &str) -> Style {
    let color = match state {
        ContainerState::Running => Color::Green,
        ContainerState::Exited if crate::docker::convert::exit_code(status) == Some(0) => {
            Color::Gray
        }
        ContainerState::Exited | ContainerState::Dead => Color::Red,
        ContainerState::Paused | ContainerState::Restarting | ContainerState::Removing => {
            Color::Yellow
        }
        ContainerState::Created | ContainerState::Unknown => Color::Gray,
    };
    Style::new().fg(color)
}

/// A finished action, in the status line and the command log.
pub fn success() -> Style {
    Style::new().fg(Color::Green)
}

/// Work under way (pulls in the status line).
pub fn progress() -> Style {
    Style::new().fg(Color::Yellow)
}

/// A search match in logs and inspect.
pub fn search_match() -> Style {
    Style::new().bg(Color::Yellow).fg(Color::Black)
}

/// The line of the match shown now (`n`/`N` move it).
pub fn current_match() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// The mark of a line a container wrote to stderr.
pub fn stderr() -> Style {
    Style::new().fg(Color::Red)
}

/// The stats charts' two series.
pub fn chart_cpu() -> Style {
    Style::new().fg(Color::Cyan)
}

pub fn chart_memory() -> Style {
    Style::new().fg(Color::Magenta)
}

/// The active tab (terminal sessions, inspect tabs).
pub fn active_tab() -> Style {
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

/// The text cursor, and the focused option, in a form.
pub fn cursor() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
