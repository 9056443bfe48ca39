//! The frame the views of the rest of the host share: their table over the whole view area,
//! the daemon's words under it when the last request failed, and the dialog or inspect view
//! open over it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Wrap};

use super::table::{self, Column, ListTable};
use super::{theme, view_area};
use crate::app::room::{Overlay, Room};
use crate::app::{App, Pane, lists};

/// Draws `rows` in a table titled `what` ("Volumes"), then what is over it. `what` may be
/// a (title, rows' noun) pair when the title says more than what the rows are.
#[allow(clippy::too_many_arguments)]
pub fn render<'a, T, const N: usize>(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    room: &Room,
    what: impl Into<Titled>,
    columns: [Column; N],
    rows: &[T],
    row: impl Fn(&T) -> [Cell<'a>; N],
) {
    let rect = view_area(frame, area);
    let error = room
        .error
        .as_ref()
        .map(|e| super::error_lines(e, &app.keymap));
    let [list, below] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(if error.is_some() { 3 } else { 0 }),
    ])
    .areas(rect);
    let counts = match rows.len() {
        0 => "0".to_string(),
        n => format!("{}/{n}", (room.cursor.index + 1).min(n)),
    };
    let loading = if room.loading && !room.quiet {
        " — reading…"
    } else {
        ""
    };
    let Titled(what, noun) = what.into();
    let title = format!(" {what} ({counts}){loading} ");
    let empty = match (room.loading, &room.error) {
        (true, _) => "reading…".to_string(),
        (false, Some(_)) => "the daemon did not answer (below)".to_string(),
        (false, None) => format!("no {noun}"),
    };
    let pane = ListTable {
        title: Line::from(Span::styled(title, theme::title())),
        columns,
        focused: true,
        empty,
        sort: lists::Sort::default_for(Pane::Containers),
    };
    table::render(frame, list, pane, rows, &room.cursor, row);
    if let Some(lines) = error {
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), below);
    }
    match &room.overlay {
        Some(Overlay::Dialog(d)) => super::dialog::render(frame, frame.area(), d, &app.keymap),
        Some(Overlay::Inspect(v)) => super::inspect::render(frame, area, v, &app.keymap),
        None => {}
    }
}

/// A list's title and the noun for its rows ("no volumes").
pub struct Titled(pub String, pub String);

impl From<&str> for Titled {
    fn from(what: &str) -> Self {
        Titled(what.to_string(), what.to_lowercase())
    }
}

/// A column as wide as its widest value (capped).
pub fn sized<'b>(
    header: &'static str,
    values: impl Iterator<Item = &'b str>,
    cap: usize,
    priority: u8,
) -> Column {
    table::column(header, table::widest(header, values, cap), priority)
}
