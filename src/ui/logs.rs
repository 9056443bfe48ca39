//! The logs view: the newest lines at the bottom (or wherever the user scrolled), stderr
//! marked, matches highlighted, control characters shown as text.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{search, theme, view_area};
use crate::app::logs::LogView;
use crate::docker::logs::LogLine;
use crate::format::{escape_controls, inert};

pub fn render(frame: &mut Frame, area: Rect, view: &LogView) {
    // Everything between the header and the status line.
    let rect = view_area(frame, area);
    let state = match (&view.ended, view.offset) {
        (Some(reason), _) => format!("ended: {}", inert(reason)),
        (None, 0) => "following".to_string(),
        (None, n) => format!("scrolled back {n} lines (G follows)"),
    };
    let title = format!(" Logs · {} · {state} ", inert(&view.container));
    let filter = if view.filter { " (filter on)" } else { "" };
    let mut bottom = search::status(&view.search, filter);
    if view.dropped > 0 {
        bottom.push(Span::styled(
            format!(
                "({} older lines dropped; keeps {}) ",
                view.dropped, view.capacity
            ),
            theme::dim(),
        ));
    }
    let block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .title_bottom(Line::from(bottom))
        .border_style(theme::border(true));
    let inner = block.inner(rect);
    let height = usize::from(inner.height);
    let width = usize::from(inner.width).max(1);
    let visible = view.visible();
    let end = visible.len().saturating_sub(view.offset);
    // From the bottom line up, as many lines as fit (more rows each when wrapping).
    let mut rows = 0;
    let mut start = end;
    while start > 0 && rows < height {
        let line = line(view, visible[start - 1]);
        rows += if view.wrap {
            line.width().div_ceil(width).max(1)
        } else {
            1
        };
        start -= 1;
    }
    let lines: Vec<Line> = visible[start..end].iter().map(|l| line(view, l)).collect();
    let mut paragraph = Paragraph::new(lines).block(block);
    if view.wrap {
        // The top line may only partly fit: skip its first rows.
        let skip = rows.saturating_sub(height) as u16;
        paragraph = paragraph.wrap(Wrap { trim: false }).scroll((skip, 0));
    }
    frame.render_widget(paragraph, rect);
}

fn line<'a>(view: &LogView, log: &'a LogLine) -> Line<'a> {
    let mut spans = Vec::new();
    if view.timestamps && !log.time.is_empty() {
        spans.push(Span::styled(format!("{} ", log.time), theme::dim()));
    }
    if log.err {
        spans.push(Span::styled("E ", Style::new().fg(Color::Red)));
    } else {
        spans.push(Span::raw("  "));
    }
    spans.extend(search::highlight(escape_controls(&log.text), &view.search));
    Line::from(spans)
}
