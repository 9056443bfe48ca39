//! Where a table's columns go: which show at a width (left out whole by priority), each
//! one's x range, and a content-sized column's width. Drawing (`ui::table`) lays its
//! columns out with this and the mouse finds the header under a click with it.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Span;

pub struct Column {
    pub header: &'static str,
    /// How wide: `Length` for a column sized by its content (never cut while another
    /// column has room to give), `Fill` for one that takes what is left.
    pub width: Constraint,
    /// Columns show in order of priority (0 first) while they fit; the rest are left out
    /// whole rather than every column being cut.
    pub priority: u8,
}

/// The width of a column not shown at all (the usage columns while off, HOST with one
/// host).
pub const HIDDEN: Constraint = Constraint::Length(u16::MAX);

/// Cells between two columns.
pub const SPACING: u16 = 2;

pub const fn column(header: &'static str, width: Constraint, priority: u8) -> Column {
    Column {
        header,
        width,
        priority,
    }
}

/// Where each column shown is drawn in a bordered table `area` (as ratatui's `Table` lays
/// them out: from the left, no selection symbol).
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

/// Each column's width as drawn in a bordered table `area` (0 for one not drawn): what a
/// cell there holds before it is cut.
pub fn drawn_widths(columns: &[Column], area: Rect) -> Vec<usize> {
    let mut widths = vec![0; columns.len()];
    for (i, rect) in placed(columns, area) {
        widths[i] = usize::from(rect.width);
    }
    widths
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
pub fn fitting(columns: &[Column], width: u16) -> Vec<(usize, Constraint)> {
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

/// A content-sized column that also takes the room left over.
pub fn grows(width: Constraint) -> Constraint {
    match width {
        Constraint::Length(n) => Constraint::Min(n),
        other => other,
    }
}

/// `width` with `by` more cells, when it is a length.
pub fn wider(width: Constraint, by: u16) -> Constraint {
    match width {
        Constraint::Length(n) => Constraint::Length(n + by),
        other => other,
    }
}

/// A column's width: the widest of `values` (and its header), within `cap`. A value's width
/// is measured only when its length in bytes (never less than its width: a double-width
/// character takes three bytes or more) could beat the widest so far, and not at all once
/// `cap` is reached: with 10,000 rows this is most of a frame's work otherwise.
pub fn widest<'a>(header: &str, values: impl Iterator<Item = &'a str>, cap: usize) -> Constraint {
    let [width] = widest_of([header], [cap], values, |v| [v]);
    Constraint::Length(width)
}

/// [`widest`] for several columns in one pass over `rows`, `cells` giving each row's texts
/// (in the order of `headers` and `caps`): each row is read once, not once per column, and
/// the pass stops when every column has reached its cap.
pub fn widest_of<'a, R, const N: usize>(
    headers: [&str; N],
    caps: [usize; N],
    rows: impl Iterator<Item = R>,
    cells: impl Fn(R) -> [&'a str; N],
) -> [u16; N] {
    let mut widths = headers.map(|h| h.chars().count() + 2);
    let capped = |widths: &[usize; N]| widths.iter().zip(&caps).all(|(w, cap)| w >= cap);
    for row in rows {
        if capped(&widths) {
            break;
        }
        for ((width, cap), value) in widths.iter_mut().zip(caps).zip(cells(row)) {
            if *width < cap && value.len() > *width {
                *width = (*width).max(Span::raw(value).width());
            }
        }
    }
    std::array::from_fn(|i| u16::try_from(widths[i].min(caps[i])).unwrap_or(u16::MAX))
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

    #[test]
    fn a_header_is_found_where_its_column_is_laid_out() {
        let columns = [
            column("NAME", Constraint::Length(6), 0),
            column("GONE", HIDDEN, 0),
            column("STATE", Constraint::Length(5), 0),
        ];
        // Border at x = 10; NAME at 11..17, two cells apart, STATE at 19..24.
        let area = Rect::new(10, 0, 40, 5);
        assert_eq!(header_index(&columns, area, 11), Some(0));
        assert_eq!(header_index(&columns, area, 16), Some(0));
        assert_eq!(header_index(&columns, area, 17), None, "the spacing");
        assert_eq!(header_index(&columns, area, 19), Some(2));
        assert_eq!(header_index(&columns, area, 24), None);
        assert_eq!(x_after(&columns, area, 0), Some(19));
        assert_eq!(column_rect(&columns, area, 1), None, "hidden");
    }
}
