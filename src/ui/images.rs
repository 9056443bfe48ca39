//! The images pane: `docker image ls`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::Row;

use super::{table, theme};
use crate::app::{App, Pane};
use crate::docker::ImageRow;
use crate::format::{ago, human_size, inert, short_id};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let title = Line::styled(format!(" Images ({}) ", app.images.len()), theme::title());
    let pane = table::Pane {
        title,
        headers: &["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"],
        widths: &[
            Constraint::Fill(3),
            Constraint::Fill(1),
            Constraint::Length(12),
            Constraint::Length(15),
            Constraint::Length(9),
        ],
        focused: app.focus == Pane::Images,
        empty: if app.loaded {
            "no images"
        } else {
            "loading…"
        },
    };
    let now = app.now;
    table::render(
        frame,
        area,
        pane,
        &app.images,
        &app.image_cursor,
        |i: &ImageRow| {
            Row::new([
                inert(&i.repository),
                inert(&i.tag),
                short_id(&i.id).to_string(),
                ago(i.created, now),
                human_size(i.size),
            ])
        },
    );
}
