//! The list panes' common frame: a bordered table showing the rows in view, with the
//! selected row highlighted. Rows outside the view are never built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Row, Table};

use super::theme;
use crate::app::Cursor;

pub struct Pane<'a> {
    pub title: Line<'a>,
    pub headers: &'a [&'a str],
    pub widths: &'a [Constraint],
    pub focused: bool,
    /// Shown in the middle of an empty pane.
    pub empty: &'a str,
}

pub fn render<'a, T>(
    frame: &mut Frame,
    area: Rect,
    pane: Pane<'a>,
    items: &[T],
    cursor: &Cursor,
    row: impl Fn(&T) -> Row<'a>,
) {
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
            let r = row(item);
            if i == cursor.index {
                r.style(theme::selected(pane.focused))
            } else {
                r
            }
        })
        .collect();
    let header = Row::new(pane.headers.iter().copied()).style(theme::table_header());
    let table = Table::new(rows, pane.widths.iter().copied())
        .header(header)
        .column_spacing(2)
        .block(block);
    frame.render_widget(table, area);
    if items.is_empty() {
        let inner = Rect::new(area.x + 2, area.y + 2, area.width.saturating_sub(4), 1);
        if inner.y < area.bottom().saturating_sub(1) {
            frame.render_widget(Line::styled(pane.empty, theme::dim()), inner);
        }
    }
}
