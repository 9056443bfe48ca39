//! The layers view: a summary line, the layers (the generic list) beside the file tree as
//! of the selected layer, and the waste below, worst first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph};

use super::room::{self, sized};
use super::table::{column, grows, within};
use super::theme;
use crate::app::App;
use crate::app::layers::{LayersView, Node, Row, Side, WASTE_LINES};
use crate::docker::files::Kind;
use crate::docker::layers::analysis::Change;
use crate::docker::layers::read::EntryKind;
use crate::format::{human_size, inert};

fn size(bytes: u64) -> String {
    human_size(i64::try_from(bytes).unwrap_or(i64::MAX))
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &LayersView) {
    let rect = super::view_area(frame, area);
    // Where the mouse finds them too.
    let [summary, left, right, waste] = crate::layout::layers_view(rect, WASTE_LINES);
    let width = usize::from(summary.width);
    frame.render_widget(Paragraph::new(summary_line(view, width)), summary);
    super::list::render(frame, left, app, &view.list);
    files(frame, right, app, view);
    waste_part(frame, waste, view);
}

/// " Layers · IMAGE · 3 layers, 10.5 MB, efficiency 50.00 %, wasted 10.5 MB ", within
/// `width` (cut, it ends in `…`).
fn summary_line(view: &LayersView, width: usize) -> Line<'static> {
    let from = if view.remote { " (registry)" } else { "" };
    let head = within(format!(" Layers · {}{from}", inert(&view.title)), width);
    let left = width.saturating_sub(Span::raw(head.as_str()).width());
    let mut spans = vec![Span::styled(head, theme::title())];
    let read = view.read.iter().filter(|&&r| r).count();
    let text = match (&view.analysis, &view.error) {
        (Some(a), _) => format!(
            " · {} layer{}, {}, efficiency {:.2} %, wasted {}",
            a.layers.len(),
            if a.layers.len() == 1 { "" } else { "s" },
            size(a.total_size),
            a.efficiency * 100.0,
            size(a.wasted)
        ),
        (None, Some(_)) => " · could not be read (below)".to_string(),
        (None, None) if view.layers.is_empty() => " · asking…".to_string(),
        (None, None) => format!(" · reading: {read} of {} layers", view.layers.len()),
    };
    spans.push(Span::styled(within(text, left), theme::dim()));
    Line::from(spans)
}

/// The tree's kind as the files view names kinds (for the mode's first letter).
fn kind(entry: &EntryKind) -> Kind {
    match entry {
        EntryKind::Dir => Kind::Folder,
        EntryKind::Symlink(_) => Kind::Link,
        EntryKind::File | EntryKind::Hardlink(_) => Kind::File,
        EntryKind::Other => Kind::Other,
    }
}

fn change_style(change: Option<Change>) -> Style {
    match change {
        Some(Change::Added) => theme::success(),
        Some(Change::Changed) => theme::key(),
        Some(Change::Removed) => theme::error(),
        Some(Change::Opaque) => theme::title(),
        None => Style::new(),
    }
}

/// `  ▾ + etc/`: indented, folded or not, its change marked.
fn name_cell(node: &Node, row: &Row) -> String {
    let marker = match (node.folder(), row.open) {
        (false, _) => " ",
        (true, true) => "▾",
        (true, false) => "▸",
    };
    let mark = node.change.map_or(' ', Change::mark);
    let slash = if node.folder() { "/" } else { "" };
    format!(
        "{}{marker} {mark} {}{slash}",
        "  ".repeat(row.depth),
        inert(&node.name)
    )
}

fn files(frame: &mut Frame, area: Rect, app: &App, view: &LayersView) {
    let Some(tree) = &view.tree else {
        let why = match (view.selected(), &view.error) {
            (_, Some(_)) => "the layers could not be read".to_string(),
            (Some(at), None) => format!("reading the layers up to {at}…"),
            (None, None) => "reading…".to_string(),
        };
        let block = Block::bordered()
            .title(Line::styled(" Files ", theme::title()))
            .border_style(theme::border(view.focus == Side::Files));
        frame.render_widget(
            Paragraph::new(Line::styled(why, theme::dim())).block(block),
            area,
        );
        return;
    };
    let shown: Vec<(&Node, &Row)> = (view.rows.iter())
        .map(|r| (&tree.nodes[r.node], r))
        .collect();
    let names: Vec<String> = shown.iter().map(|(n, r)| name_cell(n, r)).collect();
    let columns = [
        sized("NAME", names.iter().map(String::as_str), 60, 0),
        column("SIZE", Constraint::Length(9), 0),
        column("MODE", Constraint::Length(10), 1),
        column("OWNER", Constraint::Length(9), 2),
        column("LINK", grows(Constraint::Length(8)), 1),
    ];
    let mut title = format!("Files as of layer {}", view.selected().unwrap_or(0));
    let shape = view.shape;
    for (on, word) in [
        (shape.only_layer, "its own files"),
        (shape.only_changes, "only changes"),
        (shape.by_size, "by size"),
    ] {
        if on {
            title.push_str(&format!(" · {word}"));
        }
    }
    if view.focus == Side::Files {
        title.insert_str(0, "▶ ");
    }
    let rows: Vec<(usize, &(&Node, &Row))> = shown.iter().enumerate().collect();
    room::render(
        frame,
        area,
        app,
        &view.files,
        room::Titled(title, "files".into()),
        columns,
        &rows,
        |(i, (node, _)), widths| {
            let entry = node.entry.as_ref();
            let (mode, owner, link) = match entry {
                Some(e) => (
                    crate::app::files::mode_text(kind(&e.kind), e.mode),
                    format!("{}:{}", e.uid, e.gid),
                    match &e.kind {
                        EntryKind::Symlink(to) => format!("→ {}", inert(to)),
                        EntryKind::Hardlink(to) => format!("⇒ {}", inert(to)),
                        _ => String::new(),
                    },
                ),
                None => ("d?????????".into(), String::new(), String::new()),
            };
            let style = change_style(node.change);
            [
                Cell::from(Span::styled(widths.fit(0, names[*i].clone()), style)),
                Cell::from(size(node.size)),
                Cell::from(mode),
                Cell::from(widths.fit(3, owner)),
                Cell::from(widths.fit(4, link)),
            ]
        },
    );
}

/// The waste: the total, the score, and the worst paths first.
fn waste_part(frame: &mut Frame, area: Rect, view: &LayersView) {
    let Some(a) = &view.analysis else {
        let block = Block::bordered().title(Line::styled(" Waste ", theme::title()));
        let text = "once every layer is read";
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme::dim())).block(block),
            area,
        );
        return;
    };
    let title = format!(
        " Waste: {} in {} paths · efficiency {:.2} % · {:.1} % of what the layers above the first add ",
        size(a.wasted),
        a.waste.len(),
        a.efficiency * 100.0,
        a.user_wasted_ratio * 100.0
    );
    // Within the borders: cut, it ends in `…`.
    let title = within(title, usize::from(area.width.saturating_sub(2)));
    let block = Block::bordered().title(Line::styled(title, theme::title()));
    let room = usize::from(area.height.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    if a.waste.is_empty() {
        lines.push(Line::styled(
            "nothing shipped is removed or overwritten later",
            theme::dim(),
        ));
    }
    let more = a.waste.len().saturating_sub(room);
    let take = if more > 0 {
        room.saturating_sub(1)
    } else {
        room
    };
    for w in a.waste.iter().take(take) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>10}", size(w.wasted)), theme::error()),
            Span::raw(format!("  ×{:<3} {}", w.times, inert(&w.path))),
        ]));
    }
    if more > 0 {
        let more = a.waste.len() - take;
        lines.push(Line::styled(
            format!("… and {more} more paths"),
            theme::dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
