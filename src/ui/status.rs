//! The status line, wrapped over the rows the layout gave it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
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
    let mut rows: Vec<Line> = vec![Line::default()];
    let mut used = 0;
    for c in text.chars() {
        let w = Span::raw(c.to_string()).width();
        if used + w > usize::from(area.width) && used > 0 {
            rows.push(Line::default());
            used = 0;
        }
        if let Some(row) = rows.last_mut() {
            row.spans.push(Span::raw(c.to_string()));
        }
        used += w;
    }
    frame.render_widget(Paragraph::new(rows).style(style), area);
}
