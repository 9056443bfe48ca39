//! The networks view: name, driver, scope, subnet and gateway, attached containers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

use super::room::{self, sized};
use super::table::{column, grows};
use crate::app::App;
use crate::app::networks::NetworksView;
use crate::docker::networks::NetworkRow;
use crate::format::inert;

/// "172.18.0.0/16 via 172.18.0.1", each IPAM config's.
fn subnets(r: &NetworkRow) -> String {
    let parts: Vec<String> = r
        .subnets
        .iter()
        .map(|(subnet, gateway)| match gateway.as_str() {
            "" => subnet.clone(),
            g => format!("{subnet} via {g}"),
        })
        .collect();
    parts.join(", ")
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &NetworksView) {
    let rows = &view.rows;
    let names = rows.iter().map(|r| r.name.as_str());
    let drivers = rows.iter().map(|r| r.driver.as_str());
    let nets: Vec<String> = rows.iter().map(subnets).collect();
    let columns = [
        sized("NAME", names, 40, 0),
        sized("DRIVER", drivers, 12, 2),
        column("SCOPE", Constraint::Length(6), 3),
        sized("SUBNET / GATEWAY", nets.iter().map(String::as_str), 40, 1),
        column("CONTAINERS", grows(Constraint::Length(12)), 0),
    ];
    room::render(
        frame,
        area,
        app,
        &view.room,
        room::on_host("Networks", app, &view.room),
        columns,
        rows,
        |r: &NetworkRow| {
            let attached = match r.containers.len() {
                0 => "—".to_string(),
                n => format!("{n}: {}", r.attached()),
            };
            [
                Cell::from(inert(&r.name)),
                Cell::from(inert(&r.driver)),
                Cell::from(inert(&r.scope)),
                Cell::from(inert(&subnets(r))),
                Cell::from(inert(&attached)),
            ]
        },
    );
}
