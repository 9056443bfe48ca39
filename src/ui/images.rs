//! The images pane: `docker image ls`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::Cell;

use super::table::{self, column};
use super::theme;
use crate::app::{App, Pane};
use crate::docker::ImageRow;
use crate::format::{ago, human_size, inert, short_id};

use crate::app::image_list::NONE;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let images = app.visible_images();
    let now = app.now;
    table::render(
        frame,
        area,
        list(app, &images),
        &images,
        &app.images.room.cursor,
        |i: &&ImageRow| {
            [
                table::host_cell(app, i.host),
                Cell::from(inert(i.repository.as_deref().unwrap_or(NONE))),
                Cell::from(inert(i.tag.as_deref().unwrap_or(NONE))),
                super::updates::cell(app, i.host, &i.id, &i.name().unwrap_or_default()),
                Cell::from(short_id(&i.id).to_string()),
                Cell::from(ago(i.created, now)),
                Cell::from(human_size(i.size)),
            ]
        },
    );
}

/// The pane's table but its rows: title, columns (sized to `images`), sort.
pub fn list(app: &App, images: &[&ImageRow]) -> table::ListTable<'static> {
    let counts = table::Counts {
        at: app.images.room.cursor.index + 1,
        rows: images.len(),
        shown: images.len(),
        total: app.images.rows.len(),
        marked: 0,
    };
    let title = table::title(app, "Images", Pane::Images, counts);
    let now = app.now;
    let tags = images.iter().map(|i| i.tag.as_deref().unwrap_or(NONE));
    let repos = images
        .iter()
        .map(|i| i.repository.as_deref().unwrap_or(NONE));
    let created: Vec<String> = images.iter().map(|i| ago(i.created, now)).collect();
    let names: Vec<String> = (images.iter())
        .map(|i| i.name().unwrap_or_default())
        .collect();
    let update = super::updates::width(
        app,
        (images.iter().zip(&names)).map(|(i, n)| (i.host, i.id.as_str(), n.as_str())),
    );
    let columns = vec![
        column("HOST", table::host_width(app), 0),
        column(
            "REPOSITORY",
            table::grows(table::widest("REPOSITORY", repos, 60)),
            0,
        ),
        column("TAG", table::widest("TAG", tags, 40), 0),
        column(super::updates::HEADER, update, 1),
        column("IMAGE ID", Constraint::Length(12), 3),
        column(
            "CREATED",
            table::widest("CREATED", created.iter().map(String::as_str), 20),
            1,
        ),
        column("SIZE", Constraint::Length(9), 2),
    ];
    table::ListTable {
        title: Line::styled(title, theme::pane_title(app.focus == Pane::Images)),
        // Repository and tag always; the rest as the width allows, never cut.
        columns,
        focused: app.focus == Pane::Images,
        empty: if app.loaded {
            "no images"
        } else {
            "loading…"
        }
        .into(),
        // The kind's columns are the pane's, in order.
        sorted: app.images.sort,
    }
}
