//! The containers pane: `docker container ls [-a]`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::table::{self, column};
use super::theme;
use crate::app::compose::{Entry, Project};
use crate::app::container_list::Containers;
use crate::app::lists::SortBy;
use crate::app::{App, Pane};
use crate::docker::health::Health;
use crate::docker::{ContainerRow, ContainerState};
use crate::format::{human_size, inert, short_id};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let rows = app.container_entries();
    let list = list(app, &rows);
    let span_x = table::x_after(&list.columns, area, STATE);
    let ports = table::column_rect(&list.columns, area, PORTS).filter(|_| app.prefs.hyperlinks);
    // A name (or a host's) longer than its column is cut with a sign, not silently.
    let within = |column: usize| match list.columns[column].width {
        Constraint::Length(n) => usize::from(n),
        _ => usize::MAX,
    };
    let widths = (within(HOST), within(NAME));
    table::render(
        frame,
        area,
        list,
        &rows,
        &app.containers.room.cursor,
        |e: &Entry| match e {
            Entry::Project(p) => project_row(app, p),
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
        for (at, len, url) in crate::app::ports::links(&c.ports, &host) {
            let (Ok(at), Ok(len)) = (u16::try_from(at), u16::try_from(len)) else {
                continue;
            };
            if at.saturating_add(len) <= column.width {
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
        let text = table::ellipsis(&text, usize::from(width));
        let rect = Rect::new(x, y, width, 1);
        frame.render_widget(Span::styled(text, theme::dim()), rect);
    }
}

/// The HOST, NAME and STATE columns' indexes.
const HOST: usize = 0;
const NAME: usize = 1;
const STATE: usize = 3;
const PORTS: usize = 9;
/// Names are cut at this many cells, unless the pane has room to spare.
const NAME_CAP: usize = 32;

/// NAME gives way (down to a floor), then HOST (down to its own), so that STATE and STATUS
/// show whole (an exit code cut to `Exited (1` reads wrong), and NAME takes the room every
/// column leaves on a wide screen (long names show whole rather than at the cap).
fn fit_names(columns: &mut [table::Column], app: &App, width_within: impl Fn(usize) -> Constraint) {
    const NAME_FLOOR: u16 = 16;
    const HOST_FLOOR: u16 = 8;
    let inner = app.areas().containers.width.saturating_sub(2);
    let need = |columns: &[table::Column], priority: u8| -> u16 {
        let widths = columns.iter().filter(|c| c.priority <= priority);
        let widths = widths.filter_map(|c| match c.width {
            w if w == table::HIDDEN => None,
            Constraint::Length(n) | Constraint::Min(n) => Some(n + 2),
            _ => Some(2),
        });
        widths.sum::<u16>().saturating_sub(2)
    };
    let Constraint::Length(name) = columns[NAME].width else {
        return;
    };
    // Host, name, state and status: priority 1 and above.
    let core = need(columns, 1);
    if core > inner {
        let over = core - inner;
        let cut = name.saturating_sub(over).max(NAME_FLOOR.min(name));
        columns[NAME].width = Constraint::Length(cut);
        let still = over - (name - cut);
        if let Constraint::Length(host) = columns[HOST].width
            && still > 0
            && columns[HOST].width != table::HIDDEN
        {
            let host_cut = host.saturating_sub(still).max(HOST_FLOOR.min(host));
            columns[HOST].width = Constraint::Length(host_cut);
        }
        return;
    }
    let free = usize::from(inner.saturating_sub(need(columns, u8::MAX)));
    if free > 0 {
        columns[NAME].width = width_within(NAME_CAP + free);
    }
}

/// The rows in view (the columns empty on all of them take no room).
fn in_view<'a>(app: &App, entries: &'a [Entry]) -> impl Iterator<Item = &'a ContainerRow> {
    let height = crate::layout::table_rows(app.areas().containers);
    entries
        .iter()
        .skip(app.containers.room.cursor.offset)
        .take(height)
        .filter_map(Entry::container)
}

/// The pane's table but its rows: title, columns (sized to the containers in `entries`),
/// sort. Drawing and the mouse both read it.
pub fn list(app: &App, entries: &[Entry]) -> table::ListTable<'static> {
    let what = if app.containers.kind.show_all {
        "Containers — all"
    } else {
        "Containers — running"
    };
    let rows: Vec<&ContainerRow> = entries.iter().filter_map(Entry::container).collect();
    let projects = entries.iter().filter_map(|e| match e {
        Entry::Project(p) => Some(p),
        Entry::Container { .. } => None,
    });
    // Containers are counted, as the header and `docker ps` count them: a project's row is
    // none, and a folded project's containers still count as shown.
    let hidden: usize = projects.clone().filter(|p| p.folded).map(|p| p.shown).sum();
    let counts = table::Counts {
        at: position(entries, app.containers.room.cursor.index),
        rows: rows.len() + hidden,
        shown: rows.len() + hidden,
        total: app.containers.rows.len(),
        marked: app.containers.marks.len(),
    };
    let title = table::title(app, what, Pane::Containers, counts);
    let columns = columns(app, entries, &rows);
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

/// The pane's columns, sized to the containers in `entries` (`rows`).
/// The columns shown only when some row in view has a value for them.
struct Optional {
    health: bool,
    restarts: bool,
    any_ports: bool,
    update: Constraint,
}

/// HEALTH, RESTARTS, PORTS and UPDATE only when some row in view has one (most have none):
/// an empty column would take the room STATUS needs.
fn optional(app: &App, entries: &[Entry]) -> Optional {
    Optional {
        health: app.containers.kind.any_health
            && in_view(app, entries).any(|c| Health::parse(&c.status).is_some()),
        restarts: app.any_restarts()
            && in_view(app, entries).any(|c| app.restarts_of(&c.id).is_some()),
        any_ports: in_view(app, entries).any(|c| !c.ports.is_empty()),
        update: super::updates::width(
            app,
            in_view(app, entries).map(|c| (c.host, c.image_id.as_str(), c.image.as_str())),
        ),
    }
}

fn columns(app: &App, entries: &[Entry], rows: &[&ContainerRow]) -> Vec<table::Column> {
    let projects = entries.iter().filter_map(|e| match e {
        Entry::Project(p) => Some(p),
        Entry::Container { .. } => None,
    });
    // Columns take the room their longest value needs (capped): cut names and ports are
    // what users complain about most in peers. +2 on names for the mark a row may carry
    // (or a project's sign), +2 more for the indent under a project.
    let indent = if projects.clone().next().is_some() {
        4
    } else {
        2
    };
    // Made again for each cap rather than collected: with 10,000 rows `widest` stops early.
    let names = || {
        let projects = projects.clone().map(|p| p.name);
        rows.iter().map(|c| c.name.as_str()).chain(projects)
    };
    let name_width = |cap| match table::widest("NAME", names(), cap) {
        Constraint::Length(n) => Constraint::Length(n + indent),
        other => other,
    };
    let name = name_width(NAME_CAP);
    // A project's row spans the columns after STATE: it sizes none of them. A down host's
    // rows say when they were last seen instead.
    let stale: Vec<String> = match app.hosts.iter().any(|h| h.stale_since().is_some()) {
        true => rows.iter().filter_map(|c| stale_status(app, c)).collect(),
        false => Vec::new(),
    };
    let statuses = rows
        .iter()
        .map(|c| c.status.as_str())
        .chain(stale.iter().map(String::as_str));
    let ports = rows.iter().map(|c| c.ports.as_str());
    let images = rows.iter().map(|c| c.image.as_str());
    let hidden_unless = |shown: bool, width| {
        if shown {
            Constraint::Length(width)
        } else {
            table::HIDDEN
        }
    };
    // Sorted by one, room for the sort's arrow ("CPU % ▼").
    let sorted = app.container_sort().by;
    let usage = |width: u16, by| hidden_unless(app.usage.on, width + u16::from(sorted == by));
    let when = hidden_unless;
    let Optional {
        health,
        restarts,
        any_ports,
        update,
    } = optional(app, entries);
    let mut columns = vec![
        column("HOST", table::host_width(app), 0),
        column("NAME", name, 0),
        column("IMAGE", table::widest("IMAGE", images, 40), 3),
        column("STATE", Constraint::Length(10), 0),
        column("HEALTH", when(health, 9), 2),
        column("RESTARTS", when(restarts, 8), 2),
        column(
            "STATUS",
            table::grows(table::widest("STATUS", statuses, 30)),
            1,
        ),
        column("CPU %", usage(6, SortBy::Cpu), 4),
        column("MEM", usage(8, SortBy::Mem), 4),
        column(
            "PORTS",
            match any_ports {
                true => table::widest("PORTS", ports, 40),
                false => table::HIDDEN,
            },
            2,
        ),
        column(super::updates::HEADER, update, 2),
        column("CONTAINER ID", Constraint::Length(12), 5),
    ];
    fit_names(&mut columns, app, name_width);
    columns
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
fn project_row<'a>(app: &App, p: &Project) -> [Cell<'a>; 12] {
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
    cells[0] = table::host_cell(app, p.host);
    cells[1] = Cell::from(Span::styled(
        format!("{sign} {}", inert(p.name)),
        theme::project(),
    ));
    cells[3] = match app.host(p.host).and_then(|h| h.stale_since()) {
        Some(_) => Cell::from(Span::styled("?", theme::dim())),
        None => Cell::from(Span::styled(
            format!("{}/{} up", p.running, p.total),
            theme::state(state, ""),
        )),
    };
    cells
}

/// A container's cells; `widths`: the HOST and NAME columns' (a cut one ends in `…`).
fn row<'a>(
    app: &App,
    c: &ContainerRow,
    grouped: bool,
    (host_width, width): (usize, usize),
) -> [Cell<'a>; 12] {
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
        Some(busy) => Span::styled(busy, theme::dim()),
        None => Span::raw(inert(&c.status)),
    };
    let cells = [
        table::host_cell_within(app, c.host, host_width),
        Cell::from(table::ellipsis(&format!("{mark}{}", inert(&c.name)), width)),
        Cell::from(inert(&c.image)),
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
        Cell::from(inert(&c.ports)),
        super::updates::cell(app, c.host, &c.image_id, &c.image),
        Cell::from(short_id(&c.id).to_string()),
    ];
    match stale_status(app, c) {
        Some(status) => stale(cells, status),
        None => cells,
    }
}

/// The status of a row whose host is down: when it was last seen ("last seen 2 minutes
/// ago"), as what it last listed may be long over.
fn stale_status(app: &App, c: &ContainerRow) -> Option<String> {
    let since = app.host(c.host)?.stale_since()?;
    Some(match app.now - since {
        ..1 => "last seen just now".to_string(),
        _ => format!("last seen {}", crate::format::ago(since, app.now)),
    })
}

/// A row of a host that is down: what it last listed, dimmed, its state unknown (`?`) and
/// its status when it was last seen, so dead containers never look alive.
fn stale<'a>(cells: [Cell<'a>; 12], status: String) -> [Cell<'a>; 12] {
    let mut cells = cells.map(|cell| cell.style(theme::dim()));
    cells[3] = Cell::from(Span::styled("?", theme::dim()));
    cells[4] = Cell::from("");
    cells[6] = Cell::from(Span::styled(status, theme::dim()));
    cells
}
