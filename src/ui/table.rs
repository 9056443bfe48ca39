//! The list panes' common frame: a bordered table showing the rows in view, with the
//! selected row highlighted, and only the columns that fit (`crate::layout::table` says
//! which and where). Rows outside the view are never built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Row, Table};

use super::theme;
use crate::app::{App, Cursor, Pane};
use crate::format::inert;
use crate::layout::table::{SPACING, drawn_widths, fitting};
// Other views build their columns with these.
pub use crate::layout::table::{Column, column, column_rect, grows, widest, x_after};

/// A list's frame: its title, its columns and what it says while empty.
pub struct ListTable<'a> {
    pub title: Line<'a>,
    pub columns: Vec<Column>,
    pub focused: bool,
    /// Shown in the middle of an empty pane.
    pub empty: String,
    /// The column the rows are sorted by (its header is marked) and whether descending.
    pub sorted: Option<(usize, bool)>,
}

pub fn render<'a, T, const N: usize>(
    frame: &mut Frame,
    area: Rect,
    pane: ListTable<'a>,
    items: &[T],
    cursor: &Cursor,
    row: impl Fn(&T, &Widths) -> [Cell<'a>; N],
) {
    render_rows(frame, area, pane, items, cursor, |item, widths| {
        Vec::from(row(item, widths))
    });
}

/// The width each column is drawn at: a row's text longer than its column is cut with a
/// sign ([`ellipsis`]), never silently.
pub struct Widths(Vec<usize>);

impl Widths {
    /// Column `at`'s width (0 when it is not drawn).
    pub fn of(&self, at: usize) -> usize {
        self.0.get(at).copied().unwrap_or(0)
    }

    /// `text` within column `at`: cut, it ends in `…`.
    pub fn fit(&self, at: usize, text: String) -> String {
        within(text, self.of(at))
    }
}

/// [`render`] for cells made as a `Vec` (a generic list's, whose columns are data).
pub fn render_rows<'a, T>(
    frame: &mut Frame,
    area: Rect,
    pane: ListTable<'a>,
    items: &[T],
    cursor: &Cursor,
    row: impl Fn(&T, &Widths) -> Vec<Cell<'a>>,
) {
    let fitted = fitting(&pane.columns, area.width.saturating_sub(2));
    let widths = Widths(drawn_widths(&pane.columns, area));
    let shown: Vec<usize> = fitted.iter().map(|(i, _)| *i).collect();
    let block = Block::bordered()
        .title(sorted_off_screen(
            pane.title,
            &pane.columns,
            &shown,
            pane.sorted,
        ))
        .border_style(theme::border(pane.focused));
    let height = super::layout::table_rows(area);
    let rows: Vec<Row> = items
        .iter()
        .enumerate()
        .skip(cursor.offset)
        .take(height)
        .map(|(i, item)| {
            let mut cells = row(item, &widths);
            let r = Row::new(
                shown
                    .iter()
                    .map(|&c| cells.get_mut(c).map(std::mem::take).unwrap_or_default()),
            );
            if i == cursor.index {
                r.style(theme::selected(pane.focused))
            } else {
                r
            }
        })
        .collect();
    let header = Row::new(shown.iter().map(|&c| {
        let column = &pane.columns[c];
        match pane.sorted {
            Some((at, descending)) if at == c => {
                let arrow = if descending { "▼" } else { "▲" };
                format!("{} {arrow}", column.header)
            }
            _ => column.header.to_string(),
        }
    }))
    .style(theme::table_header());
    let widths: Vec<Constraint> = fitted.iter().map(|(_, width)| *width).collect();
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(SPACING)
        .flex(Flex::Start)
        .block(block);
    frame.render_widget(table, area);
    if items.is_empty() {
        let inner = Rect::new(area.x + 2, area.y + 2, area.width.saturating_sub(4), 1);
        if inner.y < area.bottom().saturating_sub(1) {
            frame.render_widget(Line::styled(pane.empty.as_str(), theme::dim()), inner);
        }
    }
}

/// `title`, and the sort when its column is not drawn at this width ("by MEM ▼ "): a sort
/// `>` stepped to, or kept from a wider screen, is never a silent order.
fn sorted_off_screen<'a>(
    mut title: Line<'a>,
    columns: &[Column],
    shown: &[usize],
    sorted: Option<(usize, bool)>,
) -> Line<'a> {
    let Some((at, descending)) = sorted.filter(|(at, _)| !shown.contains(at)) else {
        return title;
    };
    let Some(column) = columns.get(at) else {
        return title;
    };
    let arrow = if descending { "▼" } else { "▲" };
    let style = title.spans.last().map(|s| s.style).unwrap_or_default();
    title.push_span(ratatui::text::Span::styled(
        format!("by {} {arrow} ", column.header),
        style,
    ));
    title
}

/// How many rows a list shows: the cursor at `at` (from 1) of `rows`, `shown` of the
/// `total` items after the filter, `marked`.
pub struct Counts {
    pub at: usize,
    pub rows: usize,
    pub shown: usize,
    pub total: usize,
    pub marked: usize,
}

/// A list's title: "Containers — all (12/73, 3 marked)", with the count before the filter
/// ("3/12 of 73") and the filter itself ("/web", with a cursor while it is typed).
pub fn title(app: &App, what: &str, pane: Pane, counts: Counts) -> String {
    let Counts {
        at,
        rows,
        shown,
        total,
        marked,
    } = counts;
    let mut counts = match rows {
        0 => "0".to_string(),
        _ => format!("{}/{rows}", at.clamp(1, rows)),
    };
    if shown != total {
        counts.push_str(&format!(" of {total}"));
    }
    if marked > 0 {
        counts.push_str(&format!(", {marked} marked"));
    }
    let filter = app.filter(pane);
    let filter = match (filter.editing, filter.text()) {
        (true, _) => format!(" /{}▏", inert(&filter.input.value)),
        (false, "") => String::new(),
        (false, text) => format!(" /{}", inert(text)),
    };
    format!(" {what} ({counts}){filter}{} ", super::stale(app))
}

/// A row's host: its name, in the error colour while that host is down (its rows are
/// what it last listed).
pub fn host_cell<'a>(app: &App, host: crate::docker::HostId) -> Cell<'a> {
    host_cell_within(app, host, usize::MAX)
}

/// [`host_cell`] in a HOST column `width` cells wide: a cut name ends in `…`.
pub fn host_cell_within<'a>(app: &App, host: crate::docker::HostId, width: usize) -> Cell<'a> {
    let style = match app.host(host) {
        Some(h) if !h.up() => theme::error(),
        _ => theme::dim(),
    };
    Cell::from(ratatui::text::Span::styled(
        within(inert(app.host_name(host)), width),
        style,
    ))
}

/// Whether `text` is drawn within `width` cells. No character is drawn wider than its
/// bytes: most cells fit without measuring.
fn fits(text: &str, width: usize) -> bool {
    text.len() <= width || ratatui::text::Span::raw(text).width() <= width
}

/// [`ellipsis`] of a text already made: kept as it is when it fits (each cell of a frame).
pub fn within(text: String, width: usize) -> String {
    match fits(&text, width) {
        true => text,
        false => ellipsis(&text, width),
    }
}

/// `text` within `width` cells: cut, it ends in `…` (two long names with one prefix must
/// not look the same).
fn ellipsis(text: &str, width: usize) -> String {
    use ratatui::text::Span;
    if fits(text, width) {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let w = Span::raw(&*c.encode_utf8(&mut buf)).width();
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}
