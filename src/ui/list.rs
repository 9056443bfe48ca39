//! Any kind's list ([`crate::app::list`]): its columns (sized to their cells by
//! `App::list_columns`, a HOST column with several hosts), marks, the sort marked in the
//! header, over the frame the views share.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Cell;

use super::room::{self, Table};
use super::table;
use crate::app::App;
use crate::app::list::{ListView, ShownRow, Tone};
use crate::format::inert;

pub fn render(frame: &mut Frame, area: Rect, app: &App, list: &dyn ListView) {
    let shown = list.shown_lines(&app.host_names);
    let table = Table {
        // Every host's rows, each with its HOST.
        what: room::Titled(shown.title.clone(), shown.noun.clone()),
        columns: app.list_columns(&shown),
        // The HOST column comes first.
        sorted: shown.sort.map(|(at, descending)| (at + 1, descending)),
        total: shown.total,
        marked: shown.marked,
    };
    room::render_table(
        frame,
        area,
        app,
        list.room(),
        table,
        &shown.lines,
        |l: &ShownRow, widths: &table::Widths| {
            let host = table::host_cell_within(app, l.host, widths.of(0));
            let cells = l.cells.iter().enumerate().map(|(i, text)| {
                let mark = if i == 0 && l.marked { "● " } else { "" };
                // The HOST column comes first.
                let text = widths.fit(i + 1, format!("{mark}{}", inert(text)));
                match l.tones.iter().find(|(at, _)| *at == i) {
                    Some((_, tone)) => Cell::from(Span::styled(text, style(*tone))),
                    None => Cell::from(text),
                }
            });
            std::iter::once(host).chain(cells).collect()
        },
    );
}

/// A cell's tone in the theme's colours.
fn style(tone: Tone) -> Style {
    match tone {
        Tone::Plain => Style::new(),
        Tone::Good => super::theme::success(),
        Tone::Dim => super::theme::dim(),
        Tone::Bad => super::theme::error(),
        Tone::Changing => super::theme::changing(),
    }
}
