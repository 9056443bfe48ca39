//! Any kind's list ([`crate::app::list`]): its columns sized to their cells, a HOST column
//! with several hosts, marks, the sort marked in the header, over the frame the views share.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

use super::room::{self, Table};
use super::table::{self, column};
use crate::app::App;
use crate::app::list::{Hosted, Kind, List, Width};
use crate::format::inert;

/// The columns drawn for `list`, HOST first (shown with several hosts), sized to `cells`.
fn columns<K: Kind>(app: &App, list: &List<K>, cells: &[Vec<String>]) -> Vec<table::Column> {
    let specs = list.kind.columns();
    let host = column("HOST", table::host_width(app), 0);
    std::iter::once(host)
        .chain(specs.iter().enumerate().map(|(i, spec)| {
            let values = cells.iter().filter_map(|c| c.get(i).map(String::as_str));
            let width = match spec.width {
                Width::Fixed(n) => Constraint::Length(n),
                Width::Content(cap) => table::widest(spec.header, values, usize::from(cap)),
                // At least this, and whatever room the others leave.
                Width::Grow(min) => Constraint::Min(min),
            };
            column(spec.header, width, spec.priority)
        }))
        .collect()
}

/// The kind's column whose header is at column `x` of `list` drawn in `area` (HOST: none).
pub fn header_at<K: Kind>(app: &App, list: &List<K>, area: Rect, x: u16) -> Option<usize> {
    let cells: Vec<Vec<String>> = (list.shown(&app.host_names).iter())
        .map(|r| list.kind.cells(&r.row))
        .collect();
    let at = table::header_index(&columns(app, list, &cells), area, x)?;
    at.checked_sub(1)
}

pub fn render<K: Kind>(frame: &mut Frame, area: Rect, app: &App, list: &List<K>) {
    let shown = list.shown(&app.host_names);
    let cells: Vec<Vec<String>> = shown.iter().map(|r| list.kind.cells(&r.row)).collect();
    let columns = columns(app, list, &cells);
    let rows: Vec<(&Hosted<K::Row>, &Vec<String>)> = shown.iter().copied().zip(&cells).collect();
    let table = Table {
        // Every host's rows, each with its HOST.
        what: K::TITLE.into(),
        columns,
        // The HOST column comes first.
        sorted: list.sort.map(|(at, descending)| (at + 1, descending)),
        total: list.rows.len(),
        marked: list.marks.len(),
    };
    room::render_table(frame, area, app, &list.room, table, &rows, |(r, cells)| {
        let marked = list.marks.contains(&r.key::<K>());
        let host = table::host_cell(app, r.host);
        let cells = cells.iter().enumerate().map(|(i, text)| {
            let mark = if i == 0 && marked { "● " } else { "" };
            Cell::from(format!("{mark}{}", inert(text)))
        });
        std::iter::once(host).chain(cells).collect()
    });
}
