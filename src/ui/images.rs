//! The images pane: `docker image ls`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::Cell;

use super::table::{self, column};
use super::{stale, theme};
use crate::app::{App, Pane};
use crate::docker::ImageRow;
use crate::format::{ago, human_size, inert, short_id};

/// What `docker image ls` shows for a missing repository or tag.
const NONE: &str = "<none>";

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let title = Line::styled(
        format!(" Images ({}){} ", app.images.len(), stale(app)),
        theme::title(),
    );
    let pane = table::ListTable {
        title,
        columns: [
            column("REPOSITORY", Constraint::Fill(3), 0),
            column("TAG", Constraint::Fill(1), 0),
            column("IMAGE ID", Constraint::Length(12), 80),
            column("CREATED", Constraint::Length(15), 60),
            column("SIZE", Constraint::Length(9), 45),
        ],
        focused: app.focus == Pane::Images,
        empty: if app.loaded {
            "no images"
        } else {
            "loading…"
        }
        .into(),
    };
    let now = app.now;
    table::render(
        frame,
        area,
        pane,
        &app.images,
        &app.image_cursor,
        |i: &ImageRow| {
            [
                Cell::from(inert(i.repository.as_deref().unwrap_or(NONE))),
                Cell::from(inert(i.tag.as_deref().unwrap_or(NONE))),
                Cell::from(short_id(&i.id).to_string()),
                Cell::from(ago(i.created, now)),
                Cell::from(human_size(i.size)),
            ]
        },
    );
}
