//! The UPDATE column of the images and containers panes: `↑` when the registry names a
//! newer digest for the image's tag, `?` when the check could not tell (inspect says why).

use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Cell;

use super::theme;
use crate::app::App;
use crate::app::updates::Mark;
use crate::docker::HostId;

/// The sign for an image as `host` uses it (`image_id`, `name`), if it has one.
fn sign(app: &App, host: HostId, image_id: &str, name: &str) -> Option<Span<'static>> {
    match app.updates.mark(host, image_id, name)? {
        Mark::Newer { .. } => Some(Span::styled(
            "↑",
            Style::new()
                .fg(theme::accent())
                .add_modifier(Modifier::BOLD),
        )),
        Mark::Unknown { .. } => Some(Span::styled("?", theme::dim())),
        Mark::Current | Mark::Local => None,
    }
}

pub fn cell(app: &App, host: HostId, image_id: &str, name: &str) -> Cell<'static> {
    Cell::from(sign(app, host, image_id, name).unwrap_or_else(|| Span::raw("")))
}
