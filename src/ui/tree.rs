//! The image structure view, drawn like the seed's §4.2.2 tree.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{theme, view_area};
use crate::app::Keymap;
use crate::app::tree::{Row, TreeView};
use crate::docker::explore::NodeKind;
use crate::format::{human_size, inert, short_id};

pub fn render(frame: &mut Frame, area: Rect, view: &TreeView, keymap: &Keymap) {
    let rect = view_area(frame, area);
    let mut block = Block::bordered()
        .title(Line::styled(
            format!(" Structure · {} ", inert(&view.reference.normalized())),
            theme::title(),
        ))
        .border_style(theme::border(true));
    let mut lines: Vec<Line> = Vec::new();
    match &view.result {
        None => lines.push(Line::styled("asking the registry…", theme::dim())),
        Some(Err(e)) => lines.extend(super::error_lines(e, keymap)),
        Some(Ok(tree)) => {
            // Wrapped, not cut: a note is the daemon's or the registry's words and a hint.
            let inner = usize::from(rect.width.saturating_sub(2)).max(1);
            let notes: Vec<Line> = (tree.notes.iter())
                .flat_map(|n| super::wrap(Line::styled(inert(n), theme::error()), inner))
                .collect();
            let rows = view.rows();
            let height = usize::from(rect.height.saturating_sub(2)).saturating_sub(notes.len());
            lines.extend(notes);
            let start = view.cursor.saturating_sub(height.saturating_sub(1));
            for (i, row) in rows.iter().enumerate().skip(start).take(height) {
                let selected = i == view.cursor;
                let mut line = row_line(row);
                if selected {
                    line = line.style(theme::selected(true));
                }
                lines.push(line);
            }
            // A warning, else the full digest of the selected node, to read or copy.
            if let Some(note) = &view.note {
                block =
                    block.title_bottom(Line::styled(format!(" {} ", inert(note)), theme::error()));
            } else if let Some(Row::Node { node, .. }) = rows.get(view.cursor)
                && let Some(d) = &node.digest
            {
                block = block.title_bottom(Line::styled(format!(" {} ", inert(d)), theme::key()));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// One row of the tree: a node with its marker, digest and size, or a detail line.
fn row_line<'a>(row: &Row<'a>) -> Line<'a> {
    match row {
        Row::Node { path, node, open } => {
            let marker = if node.children.is_empty() && node.details.is_empty() {
                "·"
            } else if *open {
                "▾"
            } else {
                "▸"
            };
            let style = match node.kind {
                NodeKind::Index => theme::title().fg(theme::accent()),
                NodeKind::Manifest => theme::title(),
                _ => ratatui::style::Style::new(),
            };
            let mut spans = vec![
                Span::raw("  ".repeat(path.len())),
                Span::raw(format!("{marker} ")),
                Span::styled(inert(&node.label), style),
            ];
            if let Some(d) = &node.digest {
                let (algo, _) = d.split_once(':').unwrap_or(("sha256", d));
                spans.push(Span::styled(
                    format!("  {algo}:{}", short_id(d)),
                    theme::key(),
                ));
            }
            if let Some(size) = node.size {
                spans.push(Span::styled(
                    format!("  {}", human_size(size)),
                    theme::dim(),
                ));
            }
            Line::from(spans)
        }
        Row::Detail { depth, text } => Line::from(vec![
            Span::raw("  ".repeat(*depth)),
            Span::styled(inert(text), theme::dim()),
        ]),
    }
}
