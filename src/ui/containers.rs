//! The containers pane: `docker container ls [-a]`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::table;
use super::theme;
use crate::app::compose::{Entry, Project};
use crate::app::container_list::{Containers, HEALTH, HOST, IMAGE, NAME, PORTS, STATE, STATUS};
use crate::app::{App, Pane};
use crate::docker::health::Health;
use crate::docker::{ContainerRow, ContainerState};
use crate::format::{human_size, inert, short_id};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let rows = app.container_entries();
    let list = list(app, &rows);
    let span_x = table::x_after(&list.columns, area, STATE);
    let ports = table::column_rect(&list.columns, area, PORTS).filter(|_| app.prefs.hyperlinks);
    table::render(
        frame,
        area,
        list,
        &rows,
        &app.containers.room.cursor,
        |e: &Entry, widths| match e {
            Entry::Project(p) => project_row(app, p, widths),
            Entry::Container { row: c, grouped } => row(app, c, *grouped, widths),
        },
    );
    if let Some(x) = span_x {
        span_projects(frame, area, app, &rows, x);
    }
    if let Some(column) = ports {
        link_ports(frame, area, app, &rows, column);
    }
}

/// Each published port shown whole in the PORTS column (`column`) is a link to it, as the
/// host names it (none on an ssh host: its ports are that machine's; none on a host that is
/// down: what it last listed may be long gone).
fn link_ports(frame: &mut Frame, area: Rect, app: &App, entries: &[Entry], column: Rect) {
    let height = crate::layout::table_rows(area);
    let offset = app.containers.room.cursor.offset;
    for (i, entry) in entries.iter().enumerate().skip(offset).take(height) {
        let Entry::Container { row: c, .. } = entry else {
            continue;
        };
        let Some(host) = app.host(c.host).filter(|h| h.stale_since().is_none()) else {
            continue;
        };
        let Some(host) = crate::app::ports::reach(&host.spec.docker_host) else {
            continue;
        };
        let y = area.y + 2 + u16::try_from(i - offset).unwrap_or(u16::MAX);
        // Cut, the ports end in `…`: the last cell holds no port.
        let whole = match Span::raw(c.ports.as_str()).width() > usize::from(column.width) {
            true => column.width.saturating_sub(1),
            false => column.width,
        };
        for (at, len, url) in crate::app::ports::links(&c.ports, &host) {
            let (Ok(at), Ok(len)) = (u16::try_from(at), u16::try_from(len)) else {
                continue;
            };
            if at.saturating_add(len) <= whole {
                let rect = Rect::new(column.x + at, y, len, 1);
                super::links::link(frame.buffer_mut(), rect, &url);
            }
        }
    }
}

/// A project's row spans the columns after STATE with what it is and where its files are
/// ("compose project · compose.yml · /srv/shop"), rather than cutting them into cells.
fn span_projects(frame: &mut Frame, area: Rect, app: &App, entries: &[Entry], x: u16) {
    let height = crate::layout::table_rows(area);
    let offset = app.containers.room.cursor.offset;
    let right = area.right().saturating_sub(1);
    for (i, entry) in entries.iter().enumerate().skip(offset).take(height) {
        let Entry::Project(p) = entry else {
            continue;
        };
        let Some(width) = right.checked_sub(x).filter(|w| *w > 0) else {
            return;
        };
        let y = area.y + 2 + u16::try_from(i - offset).unwrap_or(u16::MAX);
        let files = where_files(p);
        let text = match files.is_empty() {
            true => "compose project".to_string(),
            false => format!("compose project · {}", inert(&files)),
        };
        let text = table::within(text, usize::from(width));
        let rect = Rect::new(x, y, width, 1);
        frame.render_widget(Span::styled(text, theme::dim()), rect);
    }
}

/// The pane's table but its rows: title, columns (sized to the containers in `entries`),
/// sort.
fn list(app: &App, entries: &[Entry]) -> table::ListTable<'static> {
    let what = if app.containers.kind.show_all {
        "Containers — all"
    } else {
        "Containers — running"
    };
    let rows = entries.iter().filter(|e| e.container().is_some()).count();
    let projects = entries.iter().filter_map(|e| match e {
        Entry::Project(p) => Some(p),
        Entry::Container { .. } => None,
    });
    // Containers are counted, as the header and `docker ps` count them: a project's row is
    // none, and a folded project's containers still count as shown.
    let hidden: usize = projects.clone().filter(|p| p.folded).map(|p| p.shown).sum();
    let counts = table::Counts {
        at: position(entries, app.containers.room.cursor.index),
        rows: rows + hidden,
        shown: rows + hidden,
        total: app.containers.rows.len(),
        marked: app.containers.marks.len(),
    };
    let title = table::title(app, what, Pane::Containers, counts);
    let columns = app.container_columns(entries);
    let sort = app.container_sort();
    let sorted = Some((Containers::column(sort.by), sort.descending));
    table::ListTable {
        title: Line::from(Span::styled(
            title,
            theme::pane_title(app.focus == Pane::Containers),
        )),
        // Name, state and status first; then ports, the image, usage and the id.
        columns,
        sorted,
        focused: app.focus == Pane::Containers,
        empty: app
            .keymap
            .fill(match (app.loaded, app.containers.kind.show_all) {
                (false, _) => "loading…",
                (true, true) => "no containers",
                (true, false) => "no running containers ({all} shows all)",
            }),
    }
}

/// The cursor's place among the containers shown (from 1): a project's row is where its
/// first container is.
fn position(entries: &[Entry], index: usize) -> usize {
    let before: usize = entries
        .iter()
        .take(index)
        .map(|e| match e {
            Entry::Container { .. } => 1,
            Entry::Project(p) if p.folded => p.shown,
            Entry::Project(_) => 0,
        })
        .sum();
    before + 1
}

/// Where a project's files are: "compose.yml · /src/shop" (the files first: short, and a
/// narrow column cuts the folder's end rather than them).
fn where_files(p: &Project) -> String {
    p.first.compose.as_ref().map_or(String::new(), |c| {
        let files = c.files();
        match (c.working_dir.is_empty(), files.is_empty()) {
            (true, _) => files,
            (false, true) => c.working_dir.clone(),
            (false, false) => format!("{files} · {}", c.working_dir),
        }
    })
}

/// A Compose project: its name (folded or not), how many of its containers run (what it
/// is and where its files are span the columns after, drawn by `span_projects`).
fn project_row<'a>(app: &App, p: &Project, widths: &table::Widths) -> [Cell<'a>; 12] {
    let sign = if p.folded { "▸" } else { "▾" };
    let state = if p.running == p.total {
        ContainerState::Running
    } else if p.running == 0 {
        // All stopped is not a failure: drawn as created ones are.
        ContainerState::Created
    } else {
        ContainerState::Restarting
    };
    // Empty cells hold an empty line: a cell of no lines at all shifts the next ones left.
    let mut cells: [Cell<'a>; 12] = std::array::from_fn(|_| Cell::from(""));
    cells[HOST] = table::host_cell_within(app, p.host, widths.of(HOST));
    cells[NAME] = Cell::from(Span::styled(
        widths.fit(NAME, format!("{sign} {}", inert(p.name))),
        theme::project(),
    ));
    cells[STATE] = match app.host(p.host).and_then(|h| h.stale_since()) {
        Some(_) => Cell::from(Span::styled("?", theme::dim())),
        None => Cell::from(Span::styled(
            format!("{}/{} up", p.running, p.total),
            theme::state(state, ""),
        )),
    };
    cells
}

/// A container's cells, each within its column's width (a cut one ends in `…`).
fn row<'a>(app: &App, c: &ContainerRow, grouped: bool, widths: &table::Widths) -> [Cell<'a>; 12] {
    let mark = match (app.is_marked(c), grouped) {
        (true, true) => "  ● ",
        (true, false) => "● ",
        (false, true) => "  ",
        (false, false) => "",
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
        Some(busy) => Span::styled(widths.fit(STATUS, busy.to_string()), theme::dim()),
        None => Span::raw(widths.fit(STATUS, inert(&c.status))),
    };
    let cells = [
        table::host_cell_within(app, c.host, widths.of(HOST)),
        Cell::from(widths.fit(NAME, format!("{mark}{}", inert(&c.name)))),
        Cell::from(widths.fit(IMAGE, inert(&c.image))),
        Cell::from(Span::styled(
            inert(c.state.as_str()),
            theme::state(c.state, &c.status),
        )),
        Cell::from(Health::parse(&c.status).map_or(Span::raw(""), |h| {
            Span::styled(h.as_str(), theme::health(h))
        })),
        Cell::from(
            app.restarts_of(&c.id)
                .map_or(String::new(), |n| n.to_string()),
        ),
        Cell::from(status),
        Cell::from(cpu),
        Cell::from(mem),
        Cell::from(widths.fit(PORTS, inert(&c.ports))),
        super::updates::cell(app, c.host, &c.image_id, &c.image),
        Cell::from(short_id(&c.id).to_string()),
    ];
    match app.stale_status(c) {
        Some(status) => stale(cells, widths.fit(STATUS, status)),
        None => cells,
    }
}

/// A row of a host that is down: what it last listed, dimmed, its state unknown (`?`) and
/// its status when it was last seen, so dead containers never look alive.
fn stale<'a>(cells: [Cell<'a>; 12], status: String) -> [Cell<'a>; 12] {
    let mut cells = cells.map(|cell| cell.style(theme::dim()));
    cells[STATE] = Cell::from(Span::styled("?", theme::dim()));
    cells[HEALTH] = Cell::from("");
    cells[STATUS] = Cell::from(Span::styled(status, theme::dim()));
    cells
}
