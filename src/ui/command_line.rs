//! The `:` prompt, over the top of the lists, as in k9s.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{clear, theme};
use crate::app::command_line::CommandLineView;
use crate::format::inert;

pub fn render(frame: &mut Frame, body: Rect, view: &CommandLineView) {
    let rect = Rect::new(body.x, body.y, body.width, 3.min(body.height));
    clear(frame, rect);
    let block = Block::bordered()
        .title(Line::styled(" command ", theme::title()))
        .border_style(theme::border(true));
    let line = Line::from(vec![
        Span::styled(":", theme::key()),
        Span::raw(inert(&view.input.value)),
        Span::styled(" ", theme::cursor()),
    ]);
    frame.render_widget(Paragraph::new(line).block(block), rect);
}
