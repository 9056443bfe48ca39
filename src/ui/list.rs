//! Any kind's list ([`crate::app::list`]): its columns sized to their cells, a HOST column
//! with several hosts, marks, the sort marked in the header, over the frame the views share.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Cell;

use super::room::{self, Table};
use super::table::{self, column};
use crate::app::App;
use crate::app::list::{ListView, Shown, ShownRow, Tone, Width};
use crate::format::inert;

/// The columns drawn, HOST first (shown with several hosts), sized to the cells shown.
fn columns(app: &App, shown: &Shown) -> Vec<table::Column> {
    let host = match shown.hosted {
        true => table::host_width(app),
        false => table::HIDDEN,
    };
    let host = column("HOST", host, 0);
    std::iter::once(host)
        .chain(shown.heads.iter().enumerate().map(|(i, head)| {
            let values = shown
                .lines
                .iter()
                .filter_map(|l| l.cells.get(i).map(String::as_str));
            // Empty on every row shown: it takes no room (issue 25.1).
            let blank = !shown.lines.is_empty()
                && (shown.lines.iter()).all(|l| l.cells.get(i).is_none_or(String::is_empty));
            // The first column carries a marked row's sign: room for it, not a cut value.
            let sign = match i == 0 && shown.lines.iter().any(|l| l.marked) {
                true => 2,
                false => 0,
            };
            let width = match head.width {
                _ if blank => table::HIDDEN,
                Width::Fixed(n) => Constraint::Length(n + sign),
                Width::Content(cap) => {
                    wider(table::widest(head.header, values, usize::from(cap)), sign)
                }
                // At least this, and whatever room the others leave.
                Width::Grow(min) => Constraint::Min(min),
                Width::Fit(cap) => table::grows(wider(
                    table::widest(head.header, values, usize::from(cap)),
                    sign,
                )),
            };
            column(head.header, width, head.priority)
        }))
        .collect()
}

/// `width` with `by` more cells, when it is a length.
fn wider(width: Constraint, by: u16) -> Constraint {
    match width {
        Constraint::Length(n) => Constraint::Length(n + by),
        other => other,
    }
}

/// The kind's column whose header is at column `x` of `list` drawn in `area` (HOST: none).
pub fn header_at(app: &App, list: &dyn ListView, area: Rect, x: u16) -> Option<usize> {
    let shown = list.shown_lines(&app.host_names);
    let at = table::header_index(&columns(app, &shown), area, x)?;
    at.checked_sub(1)
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, list: &dyn ListView) {
    let shown = list.shown_lines(&app.host_names);
    let table = Table {
        // Every host's rows, each with its HOST.
        what: room::Titled(shown.title.clone(), shown.noun.clone()),
        columns: columns(app, &shown),
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
        |l: &ShownRow| {
            let host = table::host_cell(app, l.host);
            let cells = l.cells.iter().enumerate().map(|(i, text)| {
                let mark = if i == 0 && l.marked { "● " } else { "" };
                let text = format!("{mark}{}", inert(text));
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
