//! The list panes' common frame: a bordered table showing the rows in view, with the
//! selected row highlighted, and only the columns that fit. Rows outside the view are
//! never built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Row, Table};

use super::theme;
use crate::app::Cursor;

pub struct Column {
    pub header: &'static str,
    pub width: Constraint,
    /// The column shows only when the pane is at least this wide.
    pub min_pane_width: u16,
}

pub const fn column(header: &'static str, width: Constraint, min_pane_width: u16) -> Column {
    Column {
        header,
        width,
        min_pane_width,
    }
}

pub struct ListTable<'a, const N: usize> {
    pub title: Line<'a>,
    pub columns: [Column; N],
    pub focused: bool,
    /// Shown in the middle of an empty pane.
    pub empty: String,
}

pub fn render<'a, T, const N: usize>(
    frame: &mut Frame,
    area: Rect,
    pane: ListTable<'a, N>,
    items: &[T],
    cursor: &Cursor,
    row: impl Fn(&T) -> [Cell<'a>; N],
) {
    let shown: Vec<usize> = (0..N)
        .filter(|&i| area.width >= pane.columns[i].min_pane_width)
        .collect();
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
            let r = Row::new(shown.iter().map(|&c| std::mem::take(&mut cells[c])));
            if i == cursor.index {
                r.style(theme::selected(pane.focused))
            } else {
                r
            }
        })
        .collect();
    let header =
        Row::new(shown.iter().map(|&c| pane.columns[c].header)).style(theme::table_header());
    let widths: Vec<Constraint> = shown.iter().map(|&c| pane.columns[c].width).collect();
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(2)
        .block(block);
    frame.render_widget(table, area);
    if items.is_empty() {
        let inner = Rect::new(area.x + 2, area.y + 2, area.width.saturating_sub(4), 1);
        if inner.y < area.bottom().saturating_sub(1) {
            frame.render_widget(Line::styled(pane.empty.as_str(), theme::dim()), inner);
        }
    }
}
