//! The hosts view (`H`, `:hosts`): every live Docker host with its state, engine and counts,
//! then the docker contexts not watched now.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Row, Table, TableState};

use super::table::column;
use super::{sized_popup, theme};
use crate::app::hosts::{HostsRow, HostsView};
use crate::app::{App, Connection};
use crate::format::inert;

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &HostsView) {
    let shown = view.shown(&app.host_names);
    let rect = sized_popup(frame, area, shown.len() + 1);
    // The columns that fit, most telling first (a narrow terminal keeps name and state).
    let columns = [
        column("NAME", Constraint::Length(18), 0),
        column("STATE", Constraint::Min(14), 0),
        column("ENGINE", Constraint::Length(28), 2),
        column("OS/ARCH", Constraint::Length(12), 4),
        column("CONTAINERS", Constraint::Length(10), 1),
        column("IMAGES", Constraint::Length(6), 3),
        column("SWARM", Constraint::Length(24), 2),
        column("ENDPOINT", Constraint::Min(20), 2),
    ];
    let fitted = super::table::fitting(&columns, rect.width.saturating_sub(2));
    let pick = |cells: Vec<Cell<'static>>| -> Row<'static> {
        let mut cells: Vec<Option<Cell>> = cells.into_iter().map(Some).collect();
        Row::new(
            fitted
                .iter()
                .filter_map(|(i, _)| cells.get_mut(*i).and_then(Option::take))
                .collect::<Vec<_>>(),
        )
    };
    let rows: Vec<Row> = shown.iter().map(|row| pick(cells(app, row))).collect();
    let widths: Vec<Constraint> = fitted.iter().map(|(_, w)| *w).collect();
    let header =
        Row::new(fitted.iter().map(|(i, _)| columns[*i].header)).style(theme::table_header());
    let filter = match (view.filter.editing, view.filter.text()) {
        (true, _) => format!(" /{}▏", inert(&view.filter.input.value)),
        (false, "") => String::new(),
        (false, text) => format!(" /{}", inert(text)),
    };
    let title = format!(" Docker hosts and contexts{filter} ");
    let block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .border_style(theme::border(true));
    // The table scrolls so the selected row always shows (a machine may know many contexts).
    let mut state = TableState::default().with_selected(Some(view.selected));
    frame.render_stateful_widget(
        Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .row_highlight_style(theme::selected(true))
            .block(block),
        rect,
        &mut state,
    );
}

fn cells(app: &App, row: &HostsRow) -> Vec<Cell<'static>> {
    match row {
        HostsRow::Live(id) => {
            let Some(host) = app.host(*id) else {
                return Vec::new();
            };
            let mut name = inert(&host.spec.name);
            if host.spec.read_only {
                name.push_str(" (ro)");
            }
            let (state, style, engine, os) = match &host.connection {
                Connection::Up(info) => (
                    "up".to_string(),
                    theme::success(),
                    format!("{} · API {}", inert(&info.version), info.api_version),
                    inert(&info.os_arch),
                ),
                Connection::Connecting(_) => (
                    "connecting…".into(),
                    theme::dim(),
                    String::new(),
                    String::new(),
                ),
                Connection::Down(e) => (
                    format!("down, {}: {}", host.retrying(app.now), inert(&e.detail)),
                    theme::error(),
                    String::new(),
                    String::new(),
                ),
            };
            let containers = app.containers.iter().filter(|c| c.host == *id);
            let running = containers
                .clone()
                .filter(|c| c.state == crate::docker::ContainerState::Running)
                .count();
            let images = app.images.iter().filter(|i| i.host == *id).count();
            // A worker names its manager: the host to add for the Swarm views.
            let swarm = match (&host.swarm, host.swarm_read) {
                (Some(m), _) if m.manager => "manager".to_string(),
                (Some(m), _) => format!("worker of {}", m.managers.join(", ")),
                (None, true) => "—".into(),
                (None, false) => String::new(),
            };
            vec![
                Cell::from(name),
                Cell::from(ratatui::text::Span::styled(state, style)),
                Cell::from(engine),
                Cell::from(os),
                Cell::from(format!("{running}/{}", containers.count())),
                Cell::from(images.to_string()),
                Cell::from(inert(&swarm)),
                Cell::from(inert(&host.spec.label)),
            ]
        }
        HostsRow::Context(c) => {
            let (state, endpoint) = match &c.endpoint {
                Ok(e) => ("not watched".to_string(), inert(&e.host)),
                Err(e) => (format!("unusable: {}", inert(e)), String::new()),
            };
            vec![
                Cell::from(format!("{} (context)", inert(&c.name))),
                Cell::from(ratatui::text::Span::styled(state, theme::dim())),
                Cell::from(""),
                Cell::from(""),
                Cell::from(""),
                Cell::from(""),
                Cell::from(""),
                Cell::from(endpoint),
            ]
        }
    }
}
