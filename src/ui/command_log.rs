//! The command log (`L`): every action as the docker CLI command that does the same, with
//! when it ran, how it ended and how long it took.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{sized_popup, theme};
use crate::app::App;
use crate::app::activity::EntryState;
use crate::format::inert;

/// Lines of a command's output shown under it.
const OUTPUT_SHOWN: usize = 8;

pub fn render(frame: &mut Frame, area: Rect, app: &App, scroll: usize) {
    let rows = usize::from(area.height.saturating_sub(6)) / 2;
    let mut lines = Vec::new();
    let entries = app
        .activity
        .entries
        .iter()
        .rev()
        .skip(scroll)
        .take(rows.max(1));
    for entry in entries {
        let time =
            chrono::DateTime::from_timestamp(entry.started + i64::from(app.prefs.utc_offset), 0)
                .map(|t| t.format("%H:%M:%S").to_string())
                .unwrap_or_default();
        let (result, style) = match &entry.outcome {
            EntryState::Running => ("running…".to_string(), theme::dim()),
            EntryState::Done {
                result: Ok(text),
                elapsed,
            } => (
                format!("✓ {text} ({:.1} s)", elapsed.as_secs_f64()),
                theme::success(),
            ),
            EntryState::Done {
                result: Err(e),
                elapsed,
            } => (
                format!("✗ {} ({:.1} s)", e.message, elapsed.as_secs_f64()),
                theme::error(),
            ),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{time}  "), theme::dim()),
            Span::raw(format!("$ {}", inert(&entry.cli))),
        ]));
        lines.push(Line::styled(format!("          {}", inert(&result)), style));
        // A command of the user's: the end of what it printed.
        if matches!(entry.op, crate::docker::Op::Custom(_)) {
            let shown = entry.lines.len().saturating_sub(OUTPUT_SHOWN);
            for line in &entry.lines[shown..] {
                lines.push(Line::styled(
                    format!("          │ {}", inert(line)),
                    theme::dim(),
                ));
            }
        }
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            "Nothing yet: actions you take appear here as docker CLI commands.",
            theme::dim(),
        ));
    }
    // Sized to what it shows.
    // Long commands and errors wrap: every entry reads whole.
    let inner = area.width.saturating_sub(6);
    let rect = sized_popup(frame, area, super::wrapped_rows(&lines, inner));
    let block = Block::bordered()
        .title(Line::styled(
            format!(
                " Command log (newest first; {} scroll, any other key closes) ",
                super::help::scroll_keys(&app.keymap)
            ),
            theme::title(),
        ))
        .border_style(theme::border(true));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        rect,
    );
}
