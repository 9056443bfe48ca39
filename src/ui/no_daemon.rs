//! What dockpit shows while it cannot reach the daemon: where it tried, why it failed,
//! and what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{centered, theme};
use crate::docker::ConnectError;
use crate::format::inert;

/// `retrying`: when the next try is ("retrying in 8 s").
pub fn render(frame: &mut Frame, area: Rect, error: &ConnectError, retrying: &str) {
    let lines = vec![
        Line::from(vec![
            Span::styled("Cannot connect to Docker at ", theme::error()),
            Span::styled(inert(&error.endpoint), theme::error()),
        ]),
        Line::raw(""),
        Line::raw(inert(&error.detail)),
        Line::raw(""),
        Line::styled(error.hint(), theme::key()),
        Line::raw(""),
        Line::styled(
            format!(
                "Not connected, {retrying}; dockpit comes alive by itself when the daemon answers."
            ),
            theme::dim(),
        ),
    ];
    let popup = centered(area, 76, 12);
    let block = Block::bordered()
        .title(Line::styled(" No Docker daemon ", theme::error()))
        .border_style(theme::error());
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        popup,
    );
}
