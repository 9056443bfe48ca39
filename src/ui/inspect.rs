//! The inspect view: tabs for the summary, the raw JSON and the processes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{search, theme, view_area};
use crate::app::Keymap;
use crate::app::inspect::{InspectView, Tab};
use crate::format::{escape_controls, inert};

pub fn render(frame: &mut Frame, area: Rect, view: &InspectView, keymap: &Keymap) {
    let rect = view_area(frame, area);
    // A file in the files view's reader is the view's only tab: no tabs to show.
    let file = view.tab == Tab::File;
    let what = if file { "File" } else { "Inspect" };
    let mut title = vec![Span::styled(
        format!(" {what} · {} ", inert(&view.title)),
        theme::title(),
    )];
    for tab in view.tabs().into_iter().filter(|_| !file) {
        let label = match tab {
            Tab::Summary => " Summary ",
            Tab::Json => " JSON ",
            Tab::Processes => " Processes ",
            Tab::Changes => " Changes (docker diff) ",
            Tab::File => " File ",
            Tab::Timeline => " Timeline ",
        };
        let style = if tab == view.tab {
            theme::active_tab()
        } else {
            Style::new()
        };
        title.push(Span::styled(label, style));
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
}
