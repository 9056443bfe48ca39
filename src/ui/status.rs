//! The status line, wrapped over the rows the layout gave it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

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
    // Wrapped by character, as the layout counted its rows, so nothing is cut.
    let rows = super::wrap(Line::raw(text), usize::from(area.width));
    frame.render_widget(Paragraph::new(rows).style(style), area);
}
