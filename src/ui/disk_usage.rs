//! The disk usage view, as `docker system df` prints it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

use super::room;
use super::table::column;
use crate::app::App;
use crate::app::disk_usage::DiskUsageView;
use crate::docker::disk::Usage;
use crate::format::human_size;

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &DiskUsageView) {
    let columns = [
        column("TYPE", Constraint::Length(14), 0),
        column("TOTAL", Constraint::Length(6), 0),
        column("ACTIVE", Constraint::Length(6), 1),
        column("SIZE", Constraint::Length(9), 0),
        column("RECLAIMABLE", Constraint::Length(16), 0),
    ];
    let rows = view.rows();
    room::render(
        frame,
        area,
        app,
        &view.room,
        room::on_host("Disk usage", app, &view.room),
        columns,
        &rows,
        |(kind, u): &(&str, Usage)| {
            let percent = match u.size {
                0 => 0,
                size => u.reclaimable.saturating_mul(100) / size,
            };
            [
                Cell::from(kind.to_string()),
                Cell::from(u.total.to_string()),
                Cell::from(u.active.to_string()),
                Cell::from(human_size(u.size)),
                Cell::from(format!("{} ({percent}%)", human_size(u.reclaimable))),
            ]
        },
    );
}
