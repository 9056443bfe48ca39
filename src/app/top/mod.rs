//! The top view (`T`, `:top`): every running container of every watched host with its CPU
//! (of one core, and of the host), memory, network and block I/O rates, PIDs and a
//! sparkline of its last minute's CPU, under a header row per host with its totals, cores
//! and memory. A kind of the generic list; the readings are one-shot stats paced by
//! [`schedule`], and the rows are made from the containers listed and those readings.

pub mod schedule;

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

use crossterm::event::KeyEvent;

use super::App;
use super::effects::Routed;
use super::keymap::{PaneAction, TopAction};
use super::list::{Column, Hosted, Kind, List, Width, by_text};
use super::room::Room;
use super::view::{Ctx, Outcome, Then, View};
use crate::docker::host::{HostAnswer, HostInfo, HostQuery};
use crate::docker::stats::Reading;
use crate::docker::{Command, ContainerId, ContainerRow, HostId, StreamId};
use crate::format::human_size;
use schedule::{HISTORY_SECS, Schedule, Track};

/// The readings of this many rows at the top of the sort come first (with those in view).
const TOP_FIRST: usize = 10;
/// The sparkline's width: a minute in steps of 3 s.
const SPARK_STEPS: i64 = 20;

/// A host's header row (`id` empty) or a running container's.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TopRow {
    pub id: String,
    pub name: String,
    /// CPU %, 100 = one core (as `docker stats`).
    pub cpu: Option<f64>,
    /// CPU % of the whole host (all its cores = 100).
    pub host_cpu: Option<f64>,
    pub memory: Option<u64>,
    pub limit: Option<u64>,
    pub memory_percent: Option<f64>,
    /// Bytes a second.
    pub net_rx: Option<f64>,
    pub net_tx: Option<f64>,
    pub block_read: Option<f64>,
    pub block_write: Option<f64>,
    pub pids: Option<u64>,
    pub spark: String,
    /// When its reading arrived (a host's row: its oldest), unix seconds.
    pub read_at: Option<i64>,
}

impl TopRow {
    fn is_host(&self) -> bool {
        self.id.is_empty()
    }
}

/// The top kind: the schedule and its readings, the hosts' cores and memory, the clock.
#[derive(Debug, Clone, Default)]
pub struct Top {
    pub schedule: Schedule,
    pub infos: BTreeMap<HostId, HostInfo>,
    /// Unix seconds (ages are counted from it).
    pub now: i64,
}

pub type TopView = List<Top>;

/// The column sorted by when the view opens: CPU, busiest first.
pub const CPU_COLUMN: usize = 1;

fn by_f64(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

impl Kind for Top {
    type Row = TopRow;
    type Action = TopAction;
    const TITLE: &'static str = "Top";
    const GROUPED: bool = true;

    /// Every reading sorts busiest first, as the view opens on CPU.
    fn columns(&self) -> Vec<Column<TopRow>> {
        vec![
            Column::new("NAME", Width::Content(32), 0).sorts(|a, b| by_text(&a.name, &b.name)),
            Column::new("CPU %", Width::Fixed(8), 0)
                .down()
                .sorts(|a, b| by_f64(a.cpu, b.cpu)),
            Column::new("HOST %", Width::Fixed(8), 2)
                .down()
                .sorts(|a, b| by_f64(a.host_cpu, b.host_cpu)),
            Column::new("MEM", Width::Fixed(9), 0)
                .down()
                .sorts(|a, b| a.memory.cmp(&b.memory)),
            Column::new("LIMIT", Width::Fixed(8), 4)
                .down()
                .sorts(|a, b| a.limit.cmp(&b.limit)),
            Column::new("MEM %", Width::Fixed(7), 1)
                .down()
                .sorts(|a, b| by_f64(a.memory_percent, b.memory_percent)),
            Column::new("NET RX", Width::Fixed(9), 2)
                .down()
                .sorts(|a, b| by_f64(a.net_rx, b.net_rx)),
            Column::new("NET TX", Width::Fixed(9), 2)
                .down()
                .sorts(|a, b| by_f64(a.net_tx, b.net_tx)),
            Column::new("BLK R", Width::Fixed(9), 3)
                .down()
                .sorts(|a, b| by_f64(a.block_read, b.block_read)),
            Column::new("BLK W", Width::Fixed(9), 3)
                .down()
                .sorts(|a, b| by_f64(a.block_write, b.block_write)),
            Column::new("PIDS", Width::Fixed(6), 2)
                .down()
                .sorts(|a, b| a.pids.cmp(&b.pids)),
            Column::new("CPU, LAST MINUTE", Width::Fixed(20), 2),
            // The newest reading first when ascending.
            Column::new("AGE", Width::Fixed(5), 1).sorts(|a, b| b.read_at.cmp(&a.read_at)),
        ]
    }

    fn id(row: &TopRow) -> &str {
        &row.id
    }

    fn name(row: &TopRow) -> &str {
        &row.name
    }

    fn cells(&self, r: &TopRow) -> Vec<String> {
        let wait = || "…".to_string();
        let percent = |v: Option<f64>| v.map_or_else(wait, |v| format!("{v:.1}%"));
        let size = |v: Option<u64>| v.map_or_else(wait, |v| human_size(saturating_i64(v)));
        let rate = |v: Option<f64>| v.map_or_else(wait, |v| format!("{}/s", human_size(v as i64)));
        vec![
            r.name.clone(),
            percent(r.cpu),
            percent(r.host_cpu),
            size(r.memory),
            size(r.limit),
            percent(r.memory_percent),
            rate(r.net_rx),
            rate(r.net_tx),
            rate(r.block_read),
            rate(r.block_write),
            r.pids.map_or_else(wait, |p| p.to_string()),
            r.spark.clone(),
            r.read_at
                .map_or_else(wait, |at| format!("{}s", (self.now - at).max(0))),
        ]
    }

    /// Each host's cores and memory; the rows are made from the containers listed.
    fn query(&self, _full: bool) -> Option<HostQuery> {
        Some(HostQuery::Info)
    }

    fn take(list: &mut List<Self>, host: HostId, answer: HostAnswer, _: usize, _: &[String]) {
        if let HostAnswer::Info(info) = answer {
            list.kind.infos.insert(host, info);
        }
    }

    fn verb(list: &mut List<Self>, action: TopAction, cx: &mut Ctx) -> Outcome {
        match action {
            TopAction::Stats => container(list, PaneAction::Stats, cx),
            TopAction::Refresh => list.refresh(cx),
            TopAction::Close => Outcome::close(),
        }
    }

    /// The containers pane's keys that act on a container act on the selected row's.
    fn other_key(list: &mut List<Self>, key: &KeyEvent, cx: &mut Ctx) -> Option<Outcome> {
        let action = cx.keymap.container(key)?;
        action
            .acts_on_container()
            .then(|| container(list, action, cx))
    }

    fn pinned(row: &TopRow) -> bool {
        row.is_host()
    }
}

/// A container key on the selected row: done as in the containers pane.
fn container(list: &mut TopView, action: PaneAction, cx: &mut Ctx) -> Outcome {
    let Some(selected) = list.selected() else {
        cx.activity.refuse("no container selected");
        return Outcome::stay();
    };
    if selected.row.is_host() {
        cx.activity
            .refuse("this is the host's row: select one of its containers");
        return Outcome::stay();
    }
    let then = Then::Container {
        action,
        host: selected.host,
        id: ContainerId(selected.row.id.clone()),
        name: selected.row.name.clone(),
    };
    Outcome::stay().then(then)
}

fn saturating_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// A container's row from its latest readings (`cpus`: the host's, from `/info`).
fn container_row(c: &ContainerRow, track: Option<&Track>, cpus: u32, now: i64) -> TopRow {
    let mut row = TopRow {
        id: c.id.0.clone(),
        name: c.name.clone(),
        ..TopRow::default()
    };
    let Some(t) = track else {
        return row;
    };
    let last = &t.last;
    let cpus = if cpus > 0 { cpus } else { last.cpus };
    row.cpu = t.cpu_percent();
    row.host_cpu = row.cpu.map(|c| c / f64::from(cpus.max(1)));
    row.memory = Some(last.memory);
    // A container between two runs (restarting) has no cgroup: no limit, not a 0 B one.
    row.limit = (last.memory_limit > 0).then_some(last.memory_limit);
    row.memory_percent =
        (last.memory_limit > 0).then(|| last.memory as f64 * 100.0 / last.memory_limit as f64);
    row.net_rx = t.rate(|r: &Reading| r.net_rx);
    row.net_tx = t.rate(|r: &Reading| r.net_tx);
    row.block_read = t.rate(|r: &Reading| r.block_read);
    row.block_write = t.rate(|r: &Reading| r.block_write);
    row.pids = Some(last.pids);
    row.spark = sparkline(t, now);
    row.read_at = Some(t.at);
    row
}

/// The last minute's CPU, a block a 3 s step (the busiest reading in it; a step with none
/// keeps the one before), full at one core or at the busiest reading, whichever is more.
fn sparkline(t: &Track, now: i64) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let step = HISTORY_SECS / SPARK_STEPS;
    let mut steps = [None::<f64>; SPARK_STEPS as usize];
    for &(at, cpu) in &t.cpu {
        let back = (now - at).max(0) / step;
        if let Some(slot) = usize::try_from(SPARK_STEPS - 1 - back)
            .ok()
            .and_then(|i| steps.get_mut(i))
        {
            *slot = Some(slot.map_or(cpu, |s: f64| s.max(cpu)));
        }
    }
    let top = steps.iter().flatten().fold(100.0_f64, |a, &b| a.max(b));
    let mut before = None;
    steps
        .iter()
        .map(|s| {
            before = s.or(before);
            before
        })
        .map(|s| match s {
            None => ' ',
            Some(v) => {
                let at = (v / top * (BLOCKS.len() - 1) as f64).round() as usize;
                BLOCKS[at.min(BLOCKS.len() - 1)]
            }
        })
        .collect()
}

/// A host's header row: its name, cores and memory, and its containers' totals.
fn host_row(name: &str, info: Option<&HostInfo>, rows: &[TopRow], cpus: u32) -> TopRow {
    let sum = |f: fn(&TopRow) -> Option<f64>| {
        let known: Vec<f64> = rows.iter().filter_map(f).collect();
        (!known.is_empty()).then(|| known.iter().sum())
    };
    let memory: Option<u64> = rows.iter().filter_map(|r| r.memory).reduce(|a, b| a + b);
    let host_memory = info.map(|i| i.memory).filter(|m| *m > 0);
    let about = match (info, host_memory) {
        (Some(i), Some(m)) => format!("{} CPUs {}", i.cpus, human_size(saturating_i64(m))),
        _ => "reading /info…".to_string(),
    };
    let cpu = sum(|r| r.cpu);
    TopRow {
        id: String::new(),
        // The name first: a narrow NAME column cuts the sizes, not which host it is.
        name: format!("▾ {name} [{about}]"),
        cpu,
        host_cpu: cpu.map(|c| c / f64::from(cpus.max(1))),
        memory,
        limit: host_memory,
        memory_percent: memory
            .zip(host_memory)
            .map(|(m, h)| m as f64 * 100.0 / h as f64),
        net_rx: sum(|r| r.net_rx),
        net_tx: sum(|r| r.net_tx),
        block_read: sum(|r| r.block_read),
        block_write: sum(|r| r.block_write),
        pids: rows.iter().filter_map(|r| r.pids).reduce(|a, b| a + b),
        spark: String::new(),
        read_at: rows.iter().filter_map(|r| r.read_at).min(),
    }
}

impl Top {
    /// `host`'s rows: its header, then each of its running containers.
    pub fn rows<'a>(
        &self,
        host: HostId,
        name: &str,
        running: impl Iterator<Item = &'a ContainerRow>,
    ) -> Vec<TopRow> {
        let info = self.infos.get(&host);
        let cpus = info.map_or(0, |i| i.cpus);
        let mut rows: Vec<TopRow> = running
            .map(|c| {
                let track = self.schedule.tracks.get(&(host, c.id.clone()));
                container_row(c, track, cpus, self.now)
            })
            .collect();
        let header = host_row(name, info, &rows, cpus);
        rows.insert(0, header);
        rows
    }
}

impl TopView {
    /// The containers read first (with their hosts): those in view and the top of the sort.
    fn first(&self, page: usize, hosts: &[String]) -> HashSet<(HostId, ContainerId)> {
        let shown = self.shown(hosts);
        let offset = self.room.cursor.offset;
        let in_view = offset..offset + page;
        (shown.iter().enumerate())
            .filter(|(i, r)| (*i < TOP_FIRST || in_view.contains(i)) && !r.row.is_host())
            .map(|(_, r)| (r.host, ContainerId(r.row.id.clone())))
            .collect()
    }
}

impl App {
    pub(super) fn open_top(&mut self) -> Vec<Routed> {
        let top = Top {
            now: self.now,
            schedule: Schedule::new(self.prefs.top_budget),
            ..Top::default()
        };
        let mut view = List::new(top, Room::new(self.view_id(), self.active_host()));
        view.sort = Some((CPU_COLUMN, true));
        let mut commands = view.queries(true, &self.live_hosts());
        self.view = Some(View::List(Box::new(view)));
        commands.extend(self.top_tick());
        commands
    }

    /// The clock ticked (or the view opened): the rows made again from the listing and the
    /// readings, and each host's batch of readings that is due.
    pub(super) fn top_tick(&mut self) -> Vec<Routed> {
        let hosts = self.live_hosts();
        // A host's name, else (one host, unnamed) its endpoint.
        let names: Vec<String> = (hosts.iter())
            .map(|&h| match self.host(h) {
                Some(h) if h.spec.name.is_empty() => h.spec.label.clone(),
                Some(h) => h.spec.name.clone(),
                None => String::new(),
            })
            .collect();
        let page = crate::layout::view_page(&self.areas());
        let Some(view) = self.view.as_mut().and_then(View::list_of_mut::<Top>) else {
            return Vec::new();
        };
        view.kind.now = self.now;
        // Hosts gone: their readings go (their rows are not made again).
        let known = view.kind.schedule.hosts();
        for gone in known.iter().filter(|h| !hosts.contains(h)) {
            view.kind.schedule.forget_host(*gone);
            view.kind.infos.remove(gone);
        }
        let mut running_of = Vec::with_capacity(hosts.len());
        let mut rows = Vec::with_capacity(view.rows.len());
        for (&host, name) in hosts.iter().zip(&names) {
            let running: Vec<&ContainerRow> = (self.containers.rows())
                .filter(|c| c.host == host && c.state.is_running())
                .collect();
            let ids: Vec<ContainerId> = running.iter().map(|c| c.id.clone()).collect();
            let set: HashSet<ContainerId> = ids.iter().cloned().collect();
            view.kind.schedule.keep(host, &set);
            let made = view.kind.rows(host, name, running.into_iter());
            rows.extend(made.into_iter().map(|row| Hosted { host, row }));
            running_of.push((host, ids));
        }
        view.replace(rows, page, &self.host_names);
        let first = view.first(page, &self.host_names);
        let mut commands = Vec::new();
        for (host, ids) in running_of {
            let first: HashSet<ContainerId> = (first.iter())
                .filter(|(h, _)| *h == host)
                .map(|(_, id)| id.clone())
                .collect();
            if let Some(ids) = view.kind.schedule.due(self.now, host, &ids, &first) {
                let id = view.room.id;
                commands.push((host, Command::ReadTop { id, host, ids }));
            }
        }
        commands
    }

    /// A batch of readings answered: kept, the rows made again, and the next batch sent at
    /// once with what the host earned meanwhile (a batch may take seconds: Engine 20.10
    /// answers at its stats collector's tick).
    pub(super) fn top_readings(
        &mut self,
        host: HostId,
        id: StreamId,
        readings: Vec<(ContainerId, Reading)>,
        (asked, elapsed_ms, daemon_ms): (usize, u64, Option<u64>),
    ) -> Vec<Routed> {
        let now = self.now;
        // Over it a view opened from it (stats, logs) may be open: kept all the same.
        let view = (self.view.iter_mut().chain(self.stack.iter_mut()))
            .filter_map(View::list_of_mut::<Top>)
            .find(|top| top.room.id == id);
        let Some(view) = view else {
            return Vec::new();
        };
        let schedule = &mut view.kind.schedule;
        if let Some(spent) = daemon_ms {
            schedule.spent(host, spent, asked);
        }
        schedule.answered(now, host, readings, elapsed_ms, asked);
        self.top_tick()
    }
}

#[cfg(test)]
mod tests;
