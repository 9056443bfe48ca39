//! The frame the views of the rest of the host share: their table over the whole view area,
//! the daemon's words under it when the last request failed, and the dialog or inspect view
//! open over it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Wrap};

use super::table::{self, Column, ListTable};
use super::{theme, view_area};
use crate::app::App;
use crate::app::room::{Overlay, Room};
use crate::format::inert;

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
    row: impl Fn(&T, &table::Widths) -> [Cell<'a>; N],
) {
    let table = Table {
        what: what.into(),
        columns: Vec::from(columns),
        sorted: None,
        total: rows.len(),
        marked: 0,
    };
    render_table(frame, area, app, room, table, rows, |r, widths| {
        Vec::from(row(r, widths))
    });
}

/// What a view's table shows beside its rows.
pub struct Table {
    pub what: Titled,
    pub columns: Vec<Column>,
    /// The column sorted by, and whether descending.
    pub sorted: Option<(usize, bool)>,
    /// Rows before the filter.
    pub total: usize,
    pub marked: usize,
}

/// [`render`] for cells made as a `Vec` (the generic list's).
pub fn render_table<'a, T>(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    room: &Room,
    table: Table,
    rows: &[T],
    row: impl Fn(&T, &table::Widths) -> Vec<Cell<'a>>,
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
    let Titled(what, noun) = table.what;
    let counts = (rows.len(), table.total, table.marked);
    let title = title(
        room,
        &what,
        counts,
        usize::from(rect.width.saturating_sub(2)),
    );
    let empty = match (room.loading, &room.error) {
        (true, _) => "reading…".to_string(),
        (false, Some(_)) => "the daemon did not answer (below)".to_string(),
        (false, None) if table.total > 0 => format!("no {noun} match the filter"),
        (false, None) => format!("no {noun}"),
    };
    let pane = ListTable {
        title: Line::from(Span::styled(title, theme::title())),
        columns: table.columns,
        focused: true,
        empty,
        sorted: table.sorted,
    };
    table::render_rows(frame, list, pane, rows, &room.cursor, row);
    if let Some(lines) = error {
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), below);
    }
    match &room.overlay {
        Some(Overlay::Dialog(d)) => super::dialog::render(frame, frame.area(), d, app),
        Some(Overlay::Inspect(v)) => super::inspect::render(frame, area, v, &app.keymap),
        None => {}
    }
}

/// " Volumes (3/12 of 40, 2 marked) /web — reading… ": the position, the matches, the
/// marks and the filter (with a cursor while it is typed).
fn title(
    room: &Room,
    what: &str,
    (shown, total, marked): (usize, usize, usize),
    width: usize,
) -> String {
    let mut counts = match shown {
        0 => "0".to_string(),
        n => format!("{}/{n}", (room.cursor.index + 1).min(n)),
    };
    if shown != total {
        counts.push_str(&format!(" of {total}"));
    }
    if marked > 0 {
        counts.push_str(&format!(", {marked} marked"));
    }
    let filter = match (room.filter.editing, room.filter.text()) {
        (true, _) => format!(" /{}▏", inert(&room.filter.input.value)),
        (false, "") => String::new(),
        (false, text) => format!(" /{}", inert(text)),
    };
    let loading = if room.loading && !room.quiet {
        " — reading…"
    } else {
        ""
    };
    let rest = format!(" ({counts}){filter}{loading} ");
    // Too long for its border: the middle goes, so the view's name and the end (a folder,
    // what is out of date) stay, as do the counts and the filter.
    let room = width.saturating_sub(1 + Line::from(rest.as_str()).width());
    format!(" {}{rest}", within_middle(what, room))
}

/// `text` within `width` cells, its middle left out as `…` when it does not fit.
fn within_middle(text: &str, width: usize) -> String {
    let cells = |c: char| Line::from(c.to_string()).width();
    if Line::from(text).width() <= width {
        return text.to_string();
    }
    let room = width.saturating_sub(1);
    let (mut head, mut used) = (String::new(), 0);
    for c in text.chars() {
        if used + cells(c) > room / 2 {
            break;
        }
        used += cells(c);
        head.push(c);
    }
    let mut tail: Vec<char> = Vec::new();
    for c in text.chars().rev() {
        if used + cells(c) > room {
            break;
        }
        used += cells(c);
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}…{tail}")
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
