//! The list panes' common frame: a bordered table showing the rows in view, with the
//! selected row highlighted, and only the columns that fit. Rows outside the view are
//! never built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Row, Table};

use super::theme;
use crate::app::lists::{Sort, SortBy};
use crate::app::{App, Cursor, Pane};
use crate::format::inert;

pub struct Column {
    pub header: &'static str,
    /// How wide: `Length` for a column sized by its content (never cut while another
    /// column has room to give), `Fill` for one that takes what is left.
    pub width: Constraint,
    /// Columns show in order of priority (0 first) while they fit; the rest are left out
    /// whole rather than every column being cut.
    pub priority: u8,
    /// What a list sorted by this column is sorted by (a click on its header sorts so).
    pub sorts: Option<SortBy>,
}

/// The width of a column not shown at all (the usage columns while off, HOST with one
/// host).
pub const HIDDEN: Constraint = Constraint::Length(u16::MAX);

pub const fn column(header: &'static str, width: Constraint, priority: u8) -> Column {
    Column {
        header,
        width,
        priority,
        sorts: None,
    }
}

impl Column {
    pub const fn sorts(self, by: SortBy) -> Self {
        Self {
            sorts: Some(by),
            ..self
        }
    }
}

pub struct ListTable<'a> {
    pub title: Line<'a>,
    pub columns: Vec<Column>,
    pub focused: bool,
    /// Shown in the middle of an empty pane.
    pub empty: String,
    /// The column the rows are sorted by (its header is marked) and whether descending.
    pub sorted: Option<(usize, bool)>,
}

/// Which of `columns` a pane's `sort` marks.
pub fn sorted(columns: &[Column], sort: Sort) -> Option<(usize, bool)> {
    let at = columns.iter().position(|c| c.sorts == Some(sort.by))?;
    Some((at, sort.descending))
}

/// The same spacing for drawing and for finding a click.
const SPACING: u16 = 2;

/// Where each column shown is drawn in a table `area` (as ratatui's `Table` lays them out:
/// from the left, no selection symbol).
fn placed(columns: &[Column], area: Rect) -> Vec<(usize, Rect)> {
    let inner = Rect::new(area.x + 1, area.y + 1, area.width.saturating_sub(2), 1);
    let fitted = fitting(columns, inner.width);
    let rects = Layout::horizontal(fitted.iter().map(|(_, w)| *w))
        .flex(Flex::Start)
        .spacing(SPACING)
        .split(inner);
    fitted
        .iter()
        .map(|(i, _)| *i)
        .zip(rects.iter().copied())
        .collect()
}

/// Where a row's text may start to span the columns after column `index` (drawn in a
/// table in `area`), if that column shows.
pub fn x_after(columns: &[Column], area: Rect, index: usize) -> Option<u16> {
    column_rect(columns, area, index).map(|r| r.right() + SPACING)
}

/// Where column `index` is drawn in a table in `area` (its header's row), if it shows.
pub fn column_rect(columns: &[Column], area: Rect, index: usize) -> Option<Rect> {
    placed(columns, area)
        .into_iter()
        .find(|(i, _)| *i == index)
        .map(|(_, r)| r)
}

/// The column whose header is at column `x` of a table drawn in `area`.
pub fn header_at(columns: &[Column], area: Rect, x: u16) -> Option<&Column> {
    header_index(columns, area, x).map(|i| &columns[i])
}

/// The index of the column whose header is at column `x` of a table drawn in `area`.
pub fn header_index(columns: &[Column], area: Rect, x: u16) -> Option<usize> {
    placed(columns, area)
        .into_iter()
        .find(|(_, r)| x >= r.x && x < r.right())
        .map(|(i, _)| i)
}

/// The columns that fit `width`, most important first, shown in their own order.
/// A column that grows (its content wants more than is left) takes what is left instead of
/// being left out, and then no later column shows: a more important column is cut before a
/// less important one appears.
pub(super) fn fitting(columns: &[Column], width: u16) -> Vec<(usize, Constraint)> {
    const SPACING: u32 = self::SPACING as u32;
    // A column that fills takes at least a few cells.
    const FILL_MIN: u32 = 8;
    let need = |c: &Column| match c.width {
        Constraint::Length(n) | Constraint::Min(n) => u32::from(n),
        _ => FILL_MIN,
    };
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| columns[i].priority);
    let width = u32::from(width);
    let mut used = 0u32;
    let mut shown = Vec::new();
    for i in order {
        if columns[i].width == HIDDEN {
            continue;
        }
        let spacing = if shown.is_empty() { 0 } else { SPACING };
        let extra = need(&columns[i]) + spacing;
        if used + extra <= width || shown.is_empty() {
            used += extra;
            shown.push((i, columns[i].width));
            continue;
        }
        let grows = matches!(columns[i].width, Constraint::Min(_) | Constraint::Fill(_));
        if grows && used + spacing + FILL_MIN <= width {
            shown.push((i, Constraint::Fill(1)));
            break;
        }
    }
    shown.sort_unstable_by_key(|(i, _)| *i);
    shown
}

pub fn render<'a, T, const N: usize>(
    frame: &mut Frame,
    area: Rect,
    pane: ListTable<'a>,
    items: &[T],
    cursor: &Cursor,
    row: impl Fn(&T) -> [Cell<'a>; N],
) {
    render_rows(frame, area, pane, items, cursor, |item| {
        Vec::from(row(item))
    });
}

/// [`render`] for cells made as a `Vec` (a generic list's, whose columns are data).
pub fn render_rows<'a, T>(
    frame: &mut Frame,
    area: Rect,
    pane: ListTable<'a>,
    items: &[T],
    cursor: &Cursor,
    row: impl Fn(&T) -> Vec<Cell<'a>>,
) {
    let fitted = fitting(&pane.columns, area.width.saturating_sub(2));
    let shown: Vec<usize> = fitted.iter().map(|(i, _)| *i).collect();
    let block = Block::bordered()
        .title(pane.title)
        .border_style(theme::border(pane.focused));
    let height = super::layout::table_rows(area);
    let rows: Vec<Row> = items
        .iter()
        .enumerate()
        .skip(cursor.offset)
        .take(height)
        .map(|(i, item)| {
            let mut cells = row(item);
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

/// The HOST column's width: its longest name with several hosts; with one it never shows.
pub fn host_width(app: &App) -> Constraint {
    if !app.fleet() {
        return HIDDEN;
    }
    widest("HOST", app.hosts.iter().map(|h| h.spec.name.as_str()), 20)
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
        ellipsis(&inert(app.host_name(host)), width),
        style,
    ))
}

/// `text` within `width` cells: cut, it ends in `…` (two long names with one prefix must
/// not look the same).
pub fn ellipsis(text: &str, width: usize) -> String {
    use ratatui::text::Span;
    if Span::raw(text).width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = Span::raw(c.to_string()).width();
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// A content-sized column that also takes the room left over.
pub fn grows(width: Constraint) -> Constraint {
    match width {
        Constraint::Length(n) => Constraint::Min(n),
        other => other,
    }
}

/// A column's width: the widest of `values` (and its header), within `cap`. A value's width
/// is measured only when its length in bytes (never less than its width: a double-width
/// character takes three bytes or more) could beat the widest so far, and not at all once
/// `cap` is reached: with 10,000 rows this is most of a frame's work otherwise.
pub fn widest<'a>(header: &str, values: impl Iterator<Item = &'a str>, cap: usize) -> Constraint {
    let mut width = header.chars().count() + 2;
    for value in values {
        if width >= cap {
            break;
        }
        if value.len() > width {
            width = width.max(ratatui::text::Span::raw(value).width());
        }
    }
    Constraint::Length(width.min(cap) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widest_value_sets_a_columns_width_within_its_cap() {
        let widest = |values: &[&str], cap| widest("NAME", values.iter().copied(), cap);
        assert_eq!(
            widest(&["ab", "abcdefgh", "abc"], 32),
            Constraint::Length(8)
        );
        assert_eq!(
            widest(&["a"], 32),
            Constraint::Length(6),
            "the header and its margin"
        );
        // Width, not bytes: "日本語日本語" is 18 bytes, 12 cells; "é" ×9 is 18 bytes, 9 cells.
        assert_eq!(
            widest(&["日本語日本語", "ééééééééé"], 32),
            Constraint::Length(12)
        );
        assert_eq!(widest(&["ééééééééé", "日本語"], 32), Constraint::Length(9));
        assert_eq!(
            widest(&["x".repeat(50).as_str(), "y"], 32),
            Constraint::Length(32)
        );
    }

    #[test]
    fn columns_that_do_not_fit_are_left_out_whole_by_priority() {
        let columns = [
            column("NAME", Constraint::Length(10), 0),
            column("IMAGE", Constraint::Length(20), 3),
            column("STATE", Constraint::Length(8), 0),
            column("STATUS", Constraint::Fill(1), 1),
            column("PORTS", Constraint::Length(15), 2),
        ];
        let shown = |width| -> Vec<usize> {
            fitting(&columns, width)
                .into_iter()
                .map(|(i, _)| i)
                .collect()
        };
        assert_eq!(shown(200), [0, 1, 2, 3, 4]);
        // 10 + 2 + 8 + 2 + 8 (status) + 2 + 15 (ports) = 47: image goes first.
        assert_eq!(shown(50), [0, 2, 3, 4]);
        assert_eq!(shown(30), [0, 2, 3]);
        assert_eq!(shown(5), [0], "the first column always shows");
        // A growing column too wide for what is left is cut, and nothing after it shows.
        let wide = [
            column("NAME", Constraint::Length(30), 0),
            column("STATUS", Constraint::Min(30), 1),
            column("PORTS", Constraint::Length(7), 2),
        ];
        assert_eq!(
            fitting(&wide, 50),
            [(0, Constraint::Length(30)), (1, Constraint::Fill(1))]
        );
    }
}
