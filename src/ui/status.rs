//! The status line, wrapped over the rows the layout gave it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use super::theme;
use crate::app::App;
use crate::app::status::Tone;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let (text, tone) = app.status_line();
    let style = match tone {
        Tone::Progress => theme::progress(),
        Tone::Success => theme::success(),
        Tone::Error => theme::error(),
        Tone::Quiet => theme::dim(),
    };
    let paragraph = Paragraph::new(text).style(style).wrap(Wrap { trim: false });
    frame.render_widget(paragraph, area);
}
