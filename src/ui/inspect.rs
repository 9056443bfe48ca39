//! The inspect view: tabs for the summary, the raw JSON and the processes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::table::within;
use super::{search, theme, view_area};
use crate::app::Keymap;
use crate::app::inspect::{InspectView, Tab};
use crate::format::{escape_controls, inert};

pub fn render(frame: &mut Frame, area: Rect, view: &InspectView, keymap: &Keymap) {
    let rect = view_area(frame, area);
    // A file in the files view's reader is the view's only tab: no tabs to show.
    let file = view.tab == Tab::File;
    let what = if file { "File" } else { "Inspect" };
    let tabs: Vec<Tab> = view.tabs().into_iter().filter(|_| !file).collect();
    let room = usize::from(rect.width.saturating_sub(2));
    // The tabs must show (the active one says where you are): when they do not fit with
    // the name, Changes' label is shortened and the name cut, ending in `…`.
    let name = inert(&view.title);
    // " {what} · " and the space after the name.
    let fixed = what.len() + 5;
    let short = fixed + Line::from(name.as_str()).width() + labels(&tabs, false) > room;
    let name_room = room.saturating_sub(fixed + labels(&tabs, short));
    let mut title = vec![Span::styled(
        format!(" {what} · {} ", within(name, name_room.max(1))),
        theme::title(),
    )];
    for &tab in &tabs {
        let style = if tab == view.tab {
            theme::active_tab()
        } else {
            Style::new()
        };
        title.push(Span::styled(label(tab, short), style));
        title.push(Span::raw(" "));
    }
    let block = Block::bordered()
        .title(Line::from(title))
        .title_bottom(Line::from(search::status(&view.search, "")))
        .border_style(theme::border(true));
    let body: Vec<Line> = match &view.result {
        None => vec![Line::styled("loading…", theme::dim())],
        Some(Err(e)) => super::error_lines(e, keymap),
        Some(Ok(_)) => view
            .lines()
            .into_iter()
            .skip(view.scroll)
            .take(usize::from(rect.height))
            .map(|l| Line::from(search::highlight(escape_controls(&l), &view.search)))
            .collect(),
    };
    frame.render_widget(Paragraph::new(body).block(block), rect);
    if let (Tab::Summary, Some(host), Some(Ok(_))) = (view.tab, &view.links, &view.result) {
        link_ports(frame, rect, view, host);
    }
}

/// The summary's published ports as links, each shown whole (the lines are drawn from the
/// block's inner corner, one a row, cut at its edge).
fn link_ports(frame: &mut Frame, rect: Rect, view: &InspectView, host: &str) {
    let inner = rect.inner(ratatui::layout::Margin::new(1, 1));
    let lines = view.lines().into_iter().skip(view.scroll);
    for (row, line) in lines.take(usize::from(inner.height)).enumerate() {
        let Some(value) = line.strip_prefix("Ports ") else {
            continue;
        };
        let value = value.trim_start();
        let start = line.len() - value.len();
        for (at, len, url) in crate::app::ports::inspect_links(value, host) {
            let (Ok(x), Ok(len), Ok(y)) = (
                u16::try_from(start + at),
                u16::try_from(len),
                u16::try_from(row),
            ) else {
                continue;
            };
            if x.saturating_add(len) <= inner.width {
                let area = Rect::new(inner.x + x, inner.y + y, len, 1);
                super::links::link(frame.buffer_mut(), area, &url);
            }
        }
    }
}

/// A tab's label; `short`, Changes' without what it runs.
fn label(tab: Tab, short: bool) -> &'static str {
    match tab {
        Tab::Summary => " Summary ",
        Tab::Json => " JSON ",
        Tab::Processes => " Processes ",
        Tab::Changes if short => " Changes ",
        Tab::Changes => " Changes (docker diff) ",
        Tab::File => " File ",
        Tab::Timeline => " Timeline ",
    }
}

/// The cells `tabs`' labels take, each with the space after it.
fn labels(tabs: &[Tab], short: bool) -> usize {
    tabs.iter()
        .map(|&t| label(t, short).chars().count() + 1)
        .sum()
}
