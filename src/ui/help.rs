//! The help overlay: every binding in the keymap, grouped by where it applies. Two columns
//! when the terminal is wide enough, so it fits without scrolling.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{centered, clear, theme};
use crate::app::Keymap;
use crate::app::keymap::{Binding, Nav, PaneAction};

fn section<'a>(title: &'a str, bindings: &[&'a Binding], lines: &mut Vec<Line<'a>>) {
    lines.push(Line::styled(title, theme::table_header()));
    for b in bindings {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<16}", b.keys_label()), theme::key()),
            Span::raw(b.help),
        ]));
    }
    lines.push(Line::raw(""));
}

/// The keys that scroll help and the command log, as bound: "j/k/PgUp/PgDn".
pub fn scroll_keys(keymap: &Keymap) -> String {
    [Nav::Down, Nav::Up, Nav::PageUp, Nav::PageDown]
        .into_iter()
        .map(|nav| keymap.key_for(PaneAction::Nav(nav).into()))
        .collect::<Vec<_>>()
        .join("/")
}

pub fn render(frame: &mut Frame, area: Rect, keymap: &Keymap, scroll: u16) {
    let sections = keymap.sections();
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
    let mut left = Vec::new();
    let mut right = Vec::new();
    for (i, (title, bindings)) in sections.iter().enumerate() {
        let column = if i < split { &mut left } else { &mut right };
        section(title, bindings, column);
    }
    left.push(Line::styled(
        format!("{} scroll; any other key closes this.", scroll_keys(keymap)),
        theme::dim(),
    ));
    let height = left.len().max(right.len()) as u16 + 2;
    let width = if two_columns { 120 } else { 64 };
    let popup = centered(area, width, height);
    clear(frame, popup);
    let block = Block::bordered()
        .title(Line::styled(" Keys ", theme::title()))
        .border_style(theme::border(true));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    if two_columns {
        let [l, r] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(inner);
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), l);
        frame.render_widget(Paragraph::new(right).scroll((scroll, 0)), r);
    } else {
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), inner);
    }
}
