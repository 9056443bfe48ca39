//! The volumes view: name, driver, scope, size, and the containers using each.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

use super::room::{self, sized};
use super::table::{column, grows};
use crate::app::App;
use crate::app::volumes::{VolumesView, users};
use crate::docker::volumes::VolumeRow;
use crate::format::{human_size, inert};

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &VolumesView) {
    let rows = &view.rows;
    let names = rows.iter().map(|r| r.name.as_str());
    let drivers = rows.iter().map(|r| r.driver.as_str());
    let columns = [
        sized("NAME", names, 30, 0),
        sized("DRIVER", drivers, 16, 2),
        column("SCOPE", Constraint::Length(6), 3),
        column("SIZE", Constraint::Length(9), 1),
        column("USED BY", grows(Constraint::Length(12)), 0),
    ];
    room::render(
        frame,
        area,
        app,
        &view.room,
        room::on_host("Volumes", app, &view.room),
        columns,
        rows,
        |r: &VolumeRow| {
            let used = match r.users.len() {
                0 => "—".to_string(),
                n => format!("{n}: {}", users(r)),
            };
            [
                Cell::from(inert(&r.name)),
                Cell::from(inert(&r.driver)),
                Cell::from(r.scope.clone()),
                Cell::from(r.size.map_or("?".into(), human_size)),
                Cell::from(inert(&used)),
            ]
        },
    );
}
