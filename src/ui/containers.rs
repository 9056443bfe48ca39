//! The containers pane: `docker container ls [-a]`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::table::{self, column};
use super::{stale, theme};
use crate::app::{App, Pane};
use crate::docker::ContainerRow;
use crate::format::{human_size, inert, short_id};

/// "Containers — all (12)", or "— running (3 of 12)".
fn title(app: &App, shown: usize) -> String {
    if app.show_all {
        format!(" Containers — all ({shown}){} ", stale(app))
    } else {
        let all = app.containers.len();
        format!(" Containers — running ({shown} of {all}){} ", stale(app))
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let rows = app.visible_containers();
    let title = title(app, rows.len());
    // Names and images get the room their longest value needs (capped): truncated names
    // are what users complain about most in peers.
    let widest = |f: fn(&ContainerRow) -> &str, cap: usize| {
        let w = rows
            .iter()
            // +2 for the mark a row may carry.
            .map(|c| Span::raw(f(c)).width() + 2)
            .max()
            .unwrap_or(0);
        Constraint::Length(w.clamp(4, cap) as u16)
    };
    // Off: the columns never fit.
    let usage_width = if app.usage.on { 110 } else { u16::MAX };
    let pane = table::ListTable {
        title: Line::from(Span::styled(title, theme::title())),
        // Name, state and status always show; the rest as the width allows.
        columns: [
            column("NAME", widest(|c| &c.name, 32), 0),
            column("IMAGE", widest(|c| &c.image, 30), 80),
            column("STATE", Constraint::Length(10), 0),
            column("STATUS", Constraint::Fill(3), 0),
            column("CPU %", Constraint::Length(6), usage_width),
            column("MEM", Constraint::Length(8), usage_width),
            column("PORTS", Constraint::Fill(2), 70),
            column("CONTAINER ID", Constraint::Length(12), 80),
        ],
        focused: app.focus == Pane::Containers,
        empty: app.keymap.fill(match (app.loaded, app.show_all) {
            (false, _) => "loading…",
            (true, true) => "no containers",
            (true, false) => "no running containers ({all} shows all)",
        }),
    };
    table::render(
        frame,
        area,
        pane,
        &rows,
        &app.container_cursor,
        |c: &&ContainerRow| {
            let mark = if app.marked.contains(&c.id) {
                "● "
            } else {
                ""
            };
            let (cpu, mem) = match app.usage.shown.get(&c.id) {
                Some((cpu, mem)) => (
                    cpu.map_or("…".to_string(), |p| format!("{p:.1}")),
                    human_size(*mem as i64),
                ),
                None => (String::new(), String::new()),
            };
            // While an action runs on it, the row says so ("stopping…").
            let status = match app.activity.busy(&c.id) {
                Some(busy) => Span::styled(busy, theme::dim()),
                None => Span::raw(inert(&c.status)),
            };
            [
                Cell::from(format!("{mark}{}", inert(&c.name))),
                Cell::from(inert(&c.image)),
                Cell::from(Span::styled(c.state.as_str(), theme::state(c.state))),
                Cell::from(status),
                Cell::from(cpu),
                Cell::from(mem),
                Cell::from(inert(&c.ports)),
                Cell::from(short_id(&c.id).to_string()),
            ]
        },
    );
}
