//! The help overlay: every binding in the keymap, grouped by where it applies.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{centered, clear, theme};
use crate::app::Keymap;

pub fn render(frame: &mut Frame, area: Rect, keymap: &Keymap) {
    let mut lines = Vec::new();
    for (title, bindings) in keymap.sections() {
        lines.push(Line::styled(title, theme::table_header()));
        for b in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<24}", b.keys_label()), theme::key()),
                Span::raw(b.help),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("Any key closes this.", theme::dim()));
    let height = lines.len() as u16 + 2;
    let popup = centered(area, 64, height);
    clear(frame, popup);
    let block = Block::bordered()
        .title(Line::styled(" Keys ", theme::title()))
        .border_style(theme::border(true));
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
