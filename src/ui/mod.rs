//! Drawing: a pure function of [`App`]. Nothing here changes state or talks to Docker.

mod alerts;
mod build;
mod command_line;
mod command_log;
pub mod containers;
mod dialog;
mod events;
mod footer;
mod header;
mod help;
pub mod images;
mod inspect;
mod layers;
pub mod links;
pub mod list;
mod logs;
mod no_daemon;
mod room;
mod search;
mod stats;
mod status;
pub mod table;
pub mod terminal;
pub mod theme;
mod transfers;
mod tree;
mod updates;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::app::{App, Connection, View};
use crate::layout;

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < layout::MIN_SIZE.0 || area.height < layout::MIN_SIZE.1 {
        let note = format!(
            "Terminal too small ({}×{}); dockpit needs {}×{}.",
            area.width,
            area.height,
            layout::MIN_SIZE.0,
            layout::MIN_SIZE.1
        );
        frame.render_widget(Paragraph::new(note).wrap(Default::default()), area);
        return;
    }
    let areas = layout::areas(
        area,
        !app.terminals.sessions.is_empty(),
        app.terminals.zoomed,
        app.status_rows(),
        app.image_rows(),
        app.alert_rows(),
    );
    header::render(frame, areas.header, app);
    alerts::render(frame, areas.alerts, app);
    match &app.connection {
        // Nothing to show yet but the reason: give it the whole body.
        Connection::Down(error) if !app.loaded => {
            let body = Rect::new(
                area.x,
                areas.images.y,
                area.width,
                areas.images.height + areas.containers.height,
            );
            no_daemon::render(frame, body, error, &app.retrying());
        }
        _ => {
            if areas.images.height > 0 {
                images::render(frame, areas.images, app);
                containers::render(frame, areas.containers, app);
            }
            if let Some(rect) = areas.terminal {
                terminal::render(frame, rect, app);
            }
        }
    }
    status::render(frame, areas.status, app);
    footer::render(frame, areas.footer, app);
    // A dialog or help is drawn over the view it was opened from, if any.
    if let Some(View::Dialog(_) | View::Help(_)) = &app.view
        && let Some(under) = app.stack.last()
    {
        render_view(frame, &areas, app, under);
    }
    if let Some(view) = &app.view {
        render_view(frame, &areas, app, view);
    }
}

/// One view of the stack.
fn render_view(frame: &mut Frame, areas: &crate::layout::Areas, app: &App, view: &View) {
    let area = frame.area();
    match view {
        View::Help(v) => {
            let scopes = app.stack.last().map(View::help_scopes);
            help::render(
                frame,
                area,
                &app.keymap,
                v.scroll,
                &scopes.unwrap_or_default(),
            )
        }
        View::CommandLog(v) => command_log::render(frame, area, app, v.scroll),
        View::Logs(view) => logs::render(frame, areas.view, view, &app.keymap),
        View::Inspect(view) => inspect::render(frame, areas.view, view, &app.keymap),
        View::Stats(view) => stats::render(frame, areas.view, view),
        View::Tree(view) => tree::render(frame, areas.view, view, &app.keymap),
        View::Events(v) => events::render(frame, areas.view, app, v),
        View::Transfers(v) => transfers::render(frame, area, app, v.selected),
        View::Dialog(d) => dialog::render(frame, area, d, app),
        View::CommandLine(v) => command_line::render(frame, areas.view, v),
        View::List(v) => list::render(frame, areas.view, app, &**v),
        View::Layers(v) => layers::render(frame, areas.view, app, v),
        View::Build(v) => build::render(frame, areas.view, app, v),
    }
}

/// A failure as every view shows it: the daemon's words, then the hint with its keys.
fn error_lines(error: &crate::docker::OpError, keymap: &crate::app::Keymap) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!("✗ {}", crate::format::inert(&error.message)),
        theme::error(),
    )];
    if let Some(hint) = error.hint {
        lines.push(Line::styled(keymap.fill(hint), theme::key()));
    }
    lines
}

/// A rectangle of at most `w`×`h` centred in `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn clear(frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
}

/// Marks a pane's title while the data it shows may be out of date.
fn stale(app: &App) -> &'static str {
    if matches!(app.connection, Connection::Down(_)) {
        " — stale"
    } else {
        ""
    }
}

/// The area a full view takes ([`layout::Areas::view`]), cleared.
fn view_area(frame: &mut Frame, rect: Rect) -> Rect {
    clear(frame, rect);
    rect
}

/// Splits a line into rows of at most `width` columns, keeping each character's style.
pub(crate) fn wrap(line: Line<'_>, width: usize) -> Vec<Line<'static>> {
    let mut rows = vec![Line::default()];
    let mut used = 0;
    for span in line.spans {
        for c in span.content.chars() {
            let w = Span::raw(c.to_string()).width();
            if used + w > width && used > 0 {
                rows.push(Line::default());
                used = 0;
            }
            if let Some(row) = rows.last_mut() {
                row.spans.push(Span::styled(c.to_string(), span.style));
            }
            used += w;
        }
    }
    rows
}

/// Rows `lines` take wrapped at `width` columns (character wrapping; word wrapping may take
/// a row more now and then, which the caller's margin absorbs).
fn wrapped_rows(lines: &[Line], width: u16) -> usize {
    let width = usize::from(width.max(1));
    lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum()
}

/// A popup as wide as the screen allows and as tall as its `lines` (plus borders), cleared.
fn sized_popup(frame: &mut Frame, area: Rect, lines: usize) -> Rect {
    let rect = centered(
        area,
        area.width.saturating_sub(4),
        (lines as u16 + 2).min(area.height.saturating_sub(4)),
    );
    clear(frame, rect);
    rect
}
