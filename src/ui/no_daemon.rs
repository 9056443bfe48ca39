//! What dockpit shows while it cannot reach the daemon: where it tried, why it failed,
//! and what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{centered, theme};
use crate::docker::ConnectError;
use crate::docker::worker::RETRY;
use crate::format::inert;

pub fn render(frame: &mut Frame, area: Rect, error: &ConnectError) {
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
                "Retrying every {} s; dockpit comes alive by itself when the daemon answers.",
                RETRY.as_secs()
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
