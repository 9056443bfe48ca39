//! The logs view: the newest lines at the bottom (or wherever the user scrolled), stderr
//! marked, matches highlighted, control characters shown as text.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{clear, theme};
use crate::app::logs::LogView;
use crate::docker::logs::LogLine;
use crate::format::{escape_controls, inert};

pub fn render(frame: &mut Frame, area: Rect, view: &LogView) {
    // Everything between the header and the status line.
    let rect = Rect::new(
        area.x,
        area.y + 2,
        area.width,
        area.height.saturating_sub(4),
    );
    clear(frame, rect);
    let state = match (&view.ended, view.offset) {
        (Some(reason), _) => format!("ended: {}", inert(reason)),
        (None, 0) => "following".to_string(),
        (None, n) => format!("scrolled back {n} lines (G follows)"),
    };
    let title = format!(" Logs · {} · {state} ", inert(&view.container));
    let mut bottom = vec![Span::raw(" ")];
    if let Some(input) = &view.input {
        bottom.push(Span::styled(
            format!("/{}█ ", inert(&input.value)),
            theme::key(),
        ));
    } else if let Some(re) = &view.search {
        let filter = if view.filter { " (filter on)" } else { "" };
        bottom.push(Span::styled(
            format!("/{}/{filter} ", inert(re.as_str())),
            theme::key(),
        ));
    }
    if let Some((note, error)) = &view.note {
        let style = if *error { theme::error() } else { theme::dim() };
        bottom.push(Span::styled(format!("{} ", inert(note)), style));
    }
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
    let text = escape_controls(&log.text);
    match &view.search {
        Some(re) => {
            // Matches highlighted; the text between them plain.
            let mut at = 0;
            for m in re.find_iter(&text) {
                spans.push(Span::raw(text[at..m.start()].to_string()));
                spans.push(Span::styled(
                    m.as_str().to_string(),
                    Style::new().bg(Color::Yellow).fg(Color::Black),
                ));
                at = m.end();
            }
            spans.push(Span::raw(text[at..].to_string()));
        }
        None => spans.push(Span::raw(text)),
    }
    Line::from(spans)
}
