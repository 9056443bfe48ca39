//! The images pane: `docker image ls`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Cell;

use super::table;
use super::theme;
use crate::app::{App, Pane};
use crate::docker::ImageRow;
use crate::format::{created_ago, human_size, inert, short_id};

use crate::app::image_list::{self, NONE};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let images = app.visible_images();
    let now = app.now;
    table::render(
        frame,
        area,
        list(app, &images),
        &images,
        &app.images.room.cursor,
        |i: &&ImageRow, widths: &table::Widths| {
            let text = |at, text: &str| Cell::from(widths.fit(at, inert(text)));
            [
                table::host_cell_within(app, i.host, widths.of(image_list::HOST)),
                text(
                    image_list::REPOSITORY,
                    i.repository.as_deref().unwrap_or(NONE),
                ),
                text(image_list::TAG, i.tag.as_deref().unwrap_or(NONE)),
                super::updates::cell(app, i.host, &i.id, &i.name().unwrap_or_default()),
                Cell::from(short_id(&i.id).to_string()),
                text(image_list::CREATED, &created_ago(i.created, now)),
                Cell::from(human_size(i.size)),
            ]
        },
    );
}

/// The pane's table but its rows: title, columns (sized to `images`), sort.
fn list(app: &App, images: &[&ImageRow]) -> table::ListTable<'static> {
    let counts = table::Counts {
        at: app.images.room.cursor.index + 1,
        rows: images.len(),
        shown: images.len(),
        total: app.images.rows.len(),
        marked: 0,
    };
    let title = table::title(app, "Images", Pane::Images, counts);
    let columns = app.image_columns(images);
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
