//! The help overlay: every binding in the keymap, grouped by where it applies. Two columns
//! when the terminal is wide enough, so it fits without scrolling.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{centered, clear, theme};
use crate::app::Keymap;
use crate::app::keymap::{Binding, Nav, PaneAction, Scope};

/// A section's lines in a column `width` cells wide: a help too long for it goes on under
/// itself, not under the keys.
fn section<'a>(
    title: &'a str,
    bindings: &'a [Cow<'a, Binding>],
    width: u16,
    lines: &mut Vec<Line<'a>>,
) {
    lines.push(Line::styled(title, theme::table_header()));
    for b in bindings {
        let keys = format!("  {:<16}", b.keys_label());
        let indent = Span::raw(keys.as_str()).width();
        let room = usize::from(width).saturating_sub(indent).max(8);
        for (i, part) in wrap_words(&b.help, room).into_iter().enumerate() {
            let lead = match i {
                0 => Span::styled(keys.clone(), theme::key()),
                _ => Span::raw(" ".repeat(indent)),
            };
            lines.push(Line::from(vec![lead, Span::raw(part)]));
        }
    }
    lines.push(Line::raw(""));
}

/// `text` in lines of at most `width` cells, broken between words (a longer word alone).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let Some(last) = lines.last_mut() else {
            break;
        };
        let used = Span::raw(last.as_str()).width();
        if used > 0 && used + 1 + Span::raw(word).width() > width {
            lines.push(word.to_string());
        } else {
            if used > 0 {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// The keys that scroll help and the command log, as bound: "j/k/PgUp/PgDn".
pub fn scroll_keys(keymap: &Keymap) -> String {
    [Nav::Down, Nav::Up, Nav::PageUp, Nav::PageDown]
        .into_iter()
        .map(|nav| keymap.key_for(PaneAction::Nav(nav).into()))
        .collect::<Vec<_>>()
        .join("/")
}

/// `scopes`: those of the view help was opened from (none over the panes): help lists
/// what works there (see [`Keymap::sections_for`]).
pub fn render(frame: &mut Frame, area: Rect, keymap: &Keymap, scroll: u16, scopes: &[Scope]) {
    let sections = keymap.sections_for(scopes);
    let total: usize = sections.iter().map(|(_, b)| b.len() + 2).sum();
    let two_columns = area.width >= 100;
    // Sections stay in order; the split point that balances the columns best wins.
    let sizes: Vec<usize> = sections.iter().map(|(_, b)| b.len() + 2).collect();
    let split = if two_columns {
        (1..sections.len())
            .min_by_key(|&i| {
                let left: usize = sizes[..i].iter().sum();
                left.max(total - left)
            })
            .unwrap_or(sections.len())
    } else {
        sections.len()
    };
    let width = if two_columns { 120 } else { 64 };
    let width = width.min(area.width);
    let column = if two_columns {
        width / 2 - 1
    } else {
        width - 2
    };
    let mut left = Vec::new();
    let mut right = Vec::new();
    for (i, (title, bindings)) in sections.iter().enumerate() {
        let lines = if i < split { &mut left } else { &mut right };
        section(title, bindings, column, lines);
    }
    left.push(Line::styled(
        format!("{} scroll; any other key closes this.", scroll_keys(keymap)),
        theme::dim(),
    ));
    // Lines wrap rather than being cut; the taller column sets the height.
    let rows = super::wrapped_rows(&left, column).max(super::wrapped_rows(&right, column));
    let popup = centered(area, width, rows as u16 + 2);
    clear(frame, popup);
    let visible = usize::from(popup.height.saturating_sub(2));
    let hidden = rows.saturating_sub(visible);
    let scroll = scroll.min(hidden as u16);
    let mut block = Block::bordered()
        .title(Line::styled(" Keys ", theme::title()))
        .border_style(theme::border(true));
    // Say that it scrolls, and how far is left.
    let below = hidden.saturating_sub(usize::from(scroll));
    if hidden > 0 {
        let more = match below {
            0 => format!(" end — {} scroll ", scroll_keys(keymap)),
            n => format!(" ↓ {n} more lines — {} scroll ", scroll_keys(keymap)),
        };
        block = block.title_bottom(Line::styled(more, theme::key()).right_aligned());
    }
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let text = |lines| {
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
    };
    if two_columns {
        let [l, r] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(inner);
        frame.render_widget(text(left), l);
        frame.render_widget(text(right), r);
    } else {
        frame.render_widget(text(left), inner);
    }
}
