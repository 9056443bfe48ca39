//! Pulls in progress, drawn the way `docker pull` prints them: a line per layer with a bar,
//! then the digest and the outcome.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{sized_popup, theme};
use crate::app::activity::{Entry, EntryState, Layer};
use crate::app::{App, Keymap};
use crate::docker::Op;
use crate::format::{human_size, inert};

const BAR: usize = 30;

pub fn render(frame: &mut Frame, area: Rect, app: &App, selected: usize) {
    let mut lines = Vec::new();
    for (i, entry) in app.activity.transfers().enumerate() {
        let style = if i == selected {
            theme::selected(true)
        } else {
            theme::title()
        };
        lines.push(Line::styled(format!("$ {}", inert(&entry.cli)), style));
        entry_lines(entry, &app.keymap, &mut lines);
        lines.push(Line::raw(""));
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            app.keymap
                .fill("No pulls or pushes yet: {pull} pulls an image, {push} pushes one."),
            theme::dim(),
        ));
    }
    // Wrapped, not cut: a digest is read whole (inside the popup's borders and margin).
    let inner = usize::from(area.width.saturating_sub(6)).max(1);
    let lines: Vec<Line> = (lines.into_iter())
        .flat_map(|l| super::wrap(l, inner))
        .collect();
    // Sized to what it shows; the newest is on top, older pulls fall off the bottom.
    let rect = sized_popup(frame, area, lines.len());
    let block = Block::bordered()
        .title(Line::styled(" Pulls and pushes ", theme::title()))
        .border_style(theme::border(true));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

fn entry_lines(entry: &Entry, keymap: &Keymap, lines: &mut Vec<Line<'static>>) {
    for line in entry
        .lines
        .iter()
        .filter(|l| !l.starts_with("Digest") && !l.starts_with("Status"))
    {
        lines.push(Line::raw(inert(line)));
    }
    for layer in &entry.layers {
        lines.push(layer_line(layer));
    }
    for line in entry
        .lines
        .iter()
        .filter(|l| l.starts_with("Digest") || l.starts_with("Status"))
    {
        lines.push(Line::raw(inert(line)));
    }
    match &entry.outcome {
        EntryState::Running => {}
        // A push's outcome holds the digest the registry gave it.
        EntryState::Done {
            result: Ok(done), ..
        } if matches!(entry.op, Op::Push(_)) => {
            lines.push(Line::raw(inert(done)));
        }
        EntryState::Done { result: Ok(_), .. } => {}
        EntryState::Done { result: Err(e), .. } => lines.extend(super::error_lines(e, keymap)),
    }
}

fn layer_line(layer: &Layer) -> Line<'static> {
    let id = crate::format::short_id(&layer.id).to_string();
    let mut spans = vec![Span::raw(format!(
        "{}: {:<12}",
        inert(&id),
        inert(&layer.status)
    ))];
    if let (Some(current), Some(total)) = (layer.current, layer.total)
        && total > 0
    {
        let filled = ((current.clamp(0, total) as f64 / total as f64) * BAR as f64) as usize;
        let bar = if filled >= BAR {
            "=".repeat(BAR)
        } else {
            format!("{}>{}", "=".repeat(filled), " ".repeat(BAR - filled - 1))
        };
        spans.push(Span::styled(format!(" [{bar}] "), theme::key()));
        spans.push(Span::raw(format!(
            "{}/{}",
            human_size(current),
            human_size(total)
        )));
    }
    Line::from(spans)
}
