//! Colours and styles, in one place. The colours come from a [`Theme`]: a built-in one
//! (`dark`, today's; `light`; `high-contrast`), changed role by role by the config file,
//! or none at all with `NO_COLOR`. It is installed once at startup, before the first frame,
//! so drawing stays a pure function of the app's state.

use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};

use crate::docker::ContainerState;

/// Every colour dockpit draws with, by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// The focused pane's border, the title, keys in hints.
    pub accent: Color,
    /// Borders of panes without focus.
    pub border: Color,
    pub table_header: Color,
    pub selected_bg: Color,
    pub selected_fg: Color,
    /// Secondary text.
    pub dim: Color,
    pub error: Color,
    pub running: Color,
    /// Exited with code 0, and created: nothing wrong.
    pub stopped: Color,
    /// Exited with another code, or dead.
    pub failed: Color,
    /// Paused, restarting, being removed.
    pub changing: Color,
    pub success: Color,
    pub progress: Color,
    pub match_bg: Color,
    pub match_fg: Color,
    pub stderr: Color,
    pub chart_cpu: Color,
    pub chart_memory: Color,
    /// Each container's name in merged logs, in turn (`source-1` … `source-6`).
    pub sources: [Color; 6],
    /// No colours at all (`NO_COLOR`): selection and matches are drawn with reverse video
    /// and underline instead.
    pub monochrome: bool,
}

/// The built-in themes, by the name the config file gives them.
pub const PRESETS: [&str; 3] = ["dark", "light", "high-contrast"];

/// The roles, by their names in the config file's `[theme]`.
pub const ROLES: [&str; 24] = [
    "accent",
    "border",
    "table-header",
    "selected-bg",
    "selected-fg",
    "dim",
    "error",
    "running",
    "stopped",
    "failed",
    "changing",
    "success",
    "progress",
    "match-bg",
    "match-fg",
    "stderr",
    "chart-cpu",
    "chart-memory",
    "source-1",
    "source-2",
    "source-3",
    "source-4",
    "source-5",
    "source-6",
];

impl Default for Theme {
    fn default() -> Self {
        Self::dark()
    }
}

impl Theme {
    /// For dark terminal backgrounds: dockpit's colours from the start.
    pub const fn dark() -> Self {
        Self {
            accent: Color::Cyan,
            border: Color::DarkGray,
            table_header: Color::Yellow,
            selected_bg: Color::Blue,
            selected_fg: Color::White,
            dim: Color::DarkGray,
            error: Color::Red,
            running: Color::Green,
            stopped: Color::Gray,
            failed: Color::Red,
            changing: Color::Yellow,
            success: Color::Green,
            progress: Color::Yellow,
            match_bg: Color::Yellow,
            match_fg: Color::Black,
            stderr: Color::Red,
            chart_cpu: Color::Cyan,
            chart_memory: Color::Magenta,
            sources: [
                Color::Cyan,
                Color::Magenta,
                Color::Green,
                Color::Yellow,
                Color::LightBlue,
                Color::LightMagenta,
            ],
            monochrome: false,
        }
    }

    /// For light backgrounds: no yellow or light grey text, which vanish on white.
    pub const fn light() -> Self {
        Self {
            accent: Color::Blue,
            border: Color::Gray,
            table_header: Color::Magenta,
            selected_bg: Color::Blue,
            selected_fg: Color::White,
            dim: Color::DarkGray,
            error: Color::Red,
            running: Color::Green,
            stopped: Color::DarkGray,
            failed: Color::Red,
            changing: Color::Magenta,
            success: Color::Green,
            progress: Color::Magenta,
            match_bg: Color::Yellow,
            match_fg: Color::Black,
            stderr: Color::Red,
            chart_cpu: Color::Blue,
            chart_memory: Color::Magenta,
            sources: [
                Color::Blue,
                Color::Magenta,
                Color::Green,
                Color::Cyan,
                Color::Red,
                Color::Black,
            ],
            monochrome: false,
        }
    }

    /// The bright colours only, and black on white for the selection.
    pub const fn high_contrast() -> Self {
        Self {
            accent: Color::LightCyan,
            border: Color::White,
            table_header: Color::LightYellow,
            selected_bg: Color::White,
            selected_fg: Color::Black,
            dim: Color::Gray,
            error: Color::LightRed,
            running: Color::LightGreen,
            stopped: Color::White,
            failed: Color::LightRed,
            changing: Color::LightYellow,
            success: Color::LightGreen,
            progress: Color::LightYellow,
            match_bg: Color::LightYellow,
            match_fg: Color::Black,
            stderr: Color::LightRed,
            chart_cpu: Color::LightCyan,
            chart_memory: Color::LightMagenta,
            sources: [
                Color::LightCyan,
                Color::LightMagenta,
                Color::LightGreen,
                Color::LightYellow,
                Color::LightBlue,
                Color::White,
            ],
            monochrome: false,
        }
    }

    /// `NO_COLOR` (<https://no-color.org>): the terminal's own colours, with bold, reverse
    /// video and underline where colour told things apart.
    pub const fn no_color() -> Self {
        let r = Color::Reset;
        Self {
            accent: r,
            border: r,
            table_header: r,
            selected_bg: r,
            selected_fg: r,
            dim: r,
            error: r,
            running: r,
            stopped: r,
            failed: r,
            changing: r,
            success: r,
            progress: r,
            match_bg: r,
            match_fg: r,
            stderr: r,
            chart_cpu: r,
            chart_memory: r,
            sources: [r; 6],
            monochrome: true,
        }
    }

    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "dark" => Some(Self::dark()),
            "light" => Some(Self::light()),
            "high-contrast" => Some(Self::high_contrast()),
            _ => None,
        }
    }

    /// The colour of a role named as in [`ROLES`], to change it.
    pub fn role_mut(&mut self, name: &str) -> Option<&mut Color> {
        Some(match name {
            "accent" => &mut self.accent,
            "border" => &mut self.border,
            "table-header" => &mut self.table_header,
            "selected-bg" => &mut self.selected_bg,
            "selected-fg" => &mut self.selected_fg,
            "dim" => &mut self.dim,
            "error" => &mut self.error,
            "running" => &mut self.running,
            "stopped" => &mut self.stopped,
            "failed" => &mut self.failed,
            "changing" => &mut self.changing,
            "success" => &mut self.success,
            "progress" => &mut self.progress,
            "match-bg" => &mut self.match_bg,
            "match-fg" => &mut self.match_fg,
            "stderr" => &mut self.stderr,
            "chart-cpu" => &mut self.chart_cpu,
            "chart-memory" => &mut self.chart_memory,
            other => {
                let n: usize = other.strip_prefix("source-")?.parse().ok()?;
                self.sources.get_mut(n.checked_sub(1)?)?
            }
        })
    }
}

/// The styles that differ without colour.
impl Theme {
    pub fn border_style(&self, focused: bool) -> Style {
        match (focused, self.monochrome) {
            (true, true) => Style::new().add_modifier(Modifier::BOLD),
            (true, false) => fg(self.accent),
            (false, _) => fg(self.border),
        }
    }

    pub fn selected_style(&self, focused: bool) -> Style {
        if focused && !self.monochrome {
            Style::new()
                .bg(self.selected_bg)
                .fg(self.selected_fg)
                .add_modifier(Modifier::BOLD)
        } else if focused {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn match_style(&self) -> Style {
        if self.monochrome {
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
        } else {
            Style::new().bg(self.match_bg).fg(self.match_fg)
        }
    }
}

/// `NO_COLOR` set to anything but the empty string, as no-color.org asks.
pub fn no_color_requested(value: Option<std::ffi::OsString>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

static THEME: OnceLock<Theme> = OnceLock::new();

/// Sets the theme for the whole process; only the first call counts (startup).
pub fn install(theme: Theme) {
    let _ = THEME.set(theme);
}

/// The theme in use (dark until one is installed).
pub fn current() -> &'static Theme {
    static DARK: Theme = Theme::dark();
    THEME.get().unwrap_or(&DARK)
}

fn fg(color: Color) -> Style {
    Style::new().fg(color)
}

pub fn accent() -> Color {
    current().accent
}

/// A Compose project's row: it stands for its containers, so it reads as a heading.
pub fn project() -> Style {
    fg(current().accent).add_modifier(Modifier::BOLD)
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// A pane's title: reversed while the pane has the keys, so focus shows without colour too.
pub fn pane_title(focused: bool) -> Style {
    if focused {
        title().add_modifier(Modifier::REVERSED)
    } else {
        title()
    }
}

pub fn border(focused: bool) -> Style {
    current().border_style(focused)
}

pub fn table_header() -> Style {
    fg(current().table_header).add_modifier(Modifier::BOLD)
}

pub fn selected(focused: bool) -> Style {
    current().selected_style(focused)
}

pub fn key() -> Style {
    fg(current().accent).add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    fg(current().dim)
}

pub fn error() -> Style {
    fg(current().error).add_modifier(Modifier::BOLD)
}

/// A container's state; `status` tells a clean exit ("Exited (0) …", not a failure) from a
/// failed one.
pub fn state(state: ContainerState, status: &str) -> Style {
    let t = current();
    let color = match state {
        ContainerState::Running => t.running,
        ContainerState::Exited if crate::docker::convert::exit_code(status) == Some(0) => t.stopped,
        ContainerState::Exited | ContainerState::Dead => t.failed,
        ContainerState::Paused | ContainerState::Restarting | ContainerState::Removing => {
            t.changing
        }
        ContainerState::Created | ContainerState::Unknown | ContainerState::Other(_) => t.stopped,
    };
    fg(color)
}

/// A health check's verdict: healthy as running, unhealthy as failed, starting as changing.
pub fn health(health: crate::docker::health::Health) -> Style {
    use crate::docker::health::Health;
    let t = current();
    fg(match health {
        Health::Healthy => t.running,
        Health::Unhealthy => t.failed,
        Health::Starting => t.changing,
    })
}

/// A finished action, in the status line and the command log.
pub fn success() -> Style {
    fg(current().success)
}

/// Work under way (pulls in the status line).
pub fn progress() -> Style {
    fg(current().progress)
}

/// A search match in logs and inspect.
pub fn search_match() -> Style {
    current().match_style()
}

/// The line of the match shown now (`n`/`N` move it).
pub fn current_match() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// The mark of a line a container wrote to stderr.
pub fn stderr() -> Style {
    fg(current().stderr)
}

/// The stats charts' two series.
pub fn chart_cpu() -> Style {
    fg(current().chart_cpu)
}

/// The colour of a merged log's `n`th source (they take turns).
pub fn source(n: u16) -> Style {
    let sources = &current().sources;
    fg(sources[usize::from(n) % sources.len()])
}

pub fn chart_memory() -> Style {
    fg(current().chart_memory)
}

/// The active tab (terminal sessions, inspect tabs).
pub fn active_tab() -> Style {
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

/// The text cursor, and the focused option, in a form.
pub fn cursor() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// Something on its way to what was asked (a Swarm service converging, a task starting).
pub fn changing() -> Style {
    fg(current().changing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_is_named_and_presets_differ() {
        let mut t = Theme::dark();
        for role in ROLES {
            let color = t.role_mut(role).unwrap_or_else(|| panic!("{role}"));
            *color = Color::Indexed(7);
        }
        assert_eq!(t.accent, Color::Indexed(7));
        assert_eq!(t.chart_memory, Color::Indexed(7));
        assert_eq!(t.sources, [Color::Indexed(7); 6]);
        assert!(t.role_mut("nope").is_none());
        assert!(t.role_mut("source-0").is_none() && t.role_mut("source-7").is_none());
        for name in PRESETS {
            assert!(Theme::preset(name).is_some(), "{name}");
        }
        assert_ne!(Theme::light(), Theme::dark());
        assert_ne!(Theme::high_contrast(), Theme::dark());
    }

    #[test]
    fn without_colour_focus_selection_and_matches_still_show() {
        let mut t = Theme::no_color();
        for role in ROLES {
            assert_eq!(t.role_mut(role).map(|c| *c), Some(Color::Reset), "{role}");
        }
        let t = Theme::no_color();
        for style in [
            t.border_style(true),
            t.selected_style(true),
            t.match_style(),
        ] {
            assert_eq!((style.fg, style.bg), (None, None), "{style:?}");
            assert!(!style.add_modifier.is_empty(), "{style:?}");
        }
        assert_ne!(t.border_style(true), t.border_style(false));
        let dark = Theme::dark();
        assert_eq!(dark.selected_style(true).bg, Some(Color::Blue));
        assert_eq!(dark.match_style().bg, Some(Color::Yellow));
    }

    #[test]
    fn no_color_is_any_non_empty_value() {
        assert!(!no_color_requested(None));
        assert!(!no_color_requested(Some("".into())));
        assert!(no_color_requested(Some("1".into())));
        assert!(no_color_requested(Some("0".into())));
    }
}
