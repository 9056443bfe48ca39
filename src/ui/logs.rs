//! The logs view: the newest lines at the bottom (or wherever the user scrolled), stderr
//! marked, matches highlighted, control characters shown as text.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::table::within;
use super::{search, theme, view_area};
use crate::app::Keymap;
use crate::app::keymap::{Nav, PaneAction};
use crate::app::logs::LogView;
use crate::docker::logs::LogLine;
use crate::format::{escape_controls, inert};

pub fn render(frame: &mut Frame, area: Rect, view: &LogView, keymap: &Keymap) {
    // Everything between the header and the status line.
    let rect = view_area(frame, area);
    // Between the corners; a long reason ends in `…`, never cut silently.
    let room = usize::from(rect.width.saturating_sub(2));
    let block = Block::bordered()
        .title(Line::styled(
            within(title(view, keymap), room),
            theme::title(),
        ))
        .title_bottom(Line::from(bottom(view)))
        .border_style(theme::border(true));
    let inner = block.inner(rect);
    let rows = rows(
        view,
        usize::from(inner.height),
        usize::from(inner.width).max(1),
    );
    let paragraph = Paragraph::new(rows).block(block);
    frame.render_widget(paragraph, rect);
}

/// "Logs · web · following", with the merged sources and where the view is.
fn title(view: &LogView, keymap: &Keymap) -> String {
    let state = match (&view.ended, view.offset) {
        (Some(reason), _) => format!("ended: {}", inert(reason)),
        (None, 0) => "following".to_string(),
        (None, n) => {
            let follow = keymap.key_for(PaneAction::Nav(Nav::Bottom).into());
            format!("scrolled back {n} lines ({follow} follows)")
        }
    };
    let sources = match (view.merged, view.only) {
        (false, _) => String::new(),
        (true, None) => format!(" · {} {} merged", view.sources.len(), view.sources_are),
        (true, Some(s)) => format!(" · only {}", inert(view.source_name(s))),
    };
    format!(" Logs · {}{sources} · {state} ", inert(&view.container))
}

/// The bottom border: the search (or the save path being typed), and the lines dropped.
fn bottom(view: &LogView) -> Vec<Span<'static>> {
    let filter = if view.filter { " (filter on)" } else { "" };
    let mut bottom = search::status(&view.search, filter);
    if let Some(input) = &view.save_to {
        bottom = vec![Span::styled(
            format!(" save to: {}█ ", inert(&input.value)),
            theme::key(),
        )];
    }
    if view.lines.dropped() > 0 {
        bottom.push(Span::styled(
            format!(
                "({} older lines dropped; keeps {}) ",
                view.lines.dropped(),
                view.lines.capacity()
            ),
            theme::dim(),
        ));
    }
    bottom
}

/// The screen rows of `height` × `width`: from the newest line in view upwards, as many
/// as fit. Wrapping is done here, by character, so the count is exact and the newest line
/// is never cut off.
fn rows(view: &LogView, height: usize, width: usize) -> Vec<Line<'_>> {
    let visible = view.visible();
    let end = visible.len().saturating_sub(view.offset);
    let mut rows: Vec<Line> = Vec::new();
    if visible.is_empty() {
        let empty = match (&view.ended, view.lines.is_empty()) {
            (_, false) => "no line matches the filter",
            (Some(_), true) => "the container wrote no output",
            (None, true) => "no output yet: lines appear as the container writes them",
        };
        rows.push(Line::styled(empty, theme::dim()));
    }
    // Merged: every name as wide as the widest, so the lines start in one column.
    let names = match view.merged {
        true => (view.sources.iter())
            .map(|s| shown_width(&s.name))
            .max()
            .unwrap_or(0),
        false => 0,
    };
    for (at, log) in visible[..end].iter().enumerate().rev() {
        let mut line = line(view, log, names);
        // The current match stands apart from the other matches.
        if view.search.current == Some(at) {
            line = line.style(theme::current_match());
        }
        let mut wrapped = if view.wrap {
            super::wrap(line, width)
        } else {
            vec![line]
        };
        while let Some(row) = wrapped.pop() {
            rows.push(row);
        }
        if rows.len() >= height {
            break;
        }
    }
    rows.truncate(height);
    rows.reverse();
    rows
}

fn shown_width(text: &str) -> usize {
    Span::raw(inert(text)).width()
}

fn line<'a>(view: &LogView, log: &'a LogLine, names: usize) -> Line<'a> {
    let mut spans = Vec::new();
    if view.timestamps && !log.time.is_empty() {
        spans.push(Span::styled(format!("{} ", log.time), theme::dim()));
    }
    if view.merged {
        let name = inert(view.source_name(log.source));
        let pad = names.saturating_sub(shown_width(&name));
        spans.push(Span::styled(
            format!("{name}{} │ ", " ".repeat(pad)),
            theme::source(log.source),
        ));
    }
    if log.err {
        spans.push(Span::styled("E ", theme::stderr()));
    } else {
        spans.push(Span::raw("  "));
    }
    spans.extend(search::highlight(escape_controls(&log.text), &view.search));
    Line::from(spans)
}
