//! The containers pane as a kind of the generic list ([`super::list`]): its rows (every
//! host's), kept in their sort's order as events change them one at a time, are a
//! `List<Containers>` on [`App`]. Its own parts are hooks: the sort by CPU % and MEM from
//! the last readings ([`Kind::outside`]), what a row listed again keeps of its status's
//! instant ([`Kind::carry`]), the all/running switch ([`Kind::keeps`]) and the Compose
//! project a row is grouped under ([`Kind::group`]). The pane keeps its own drawing
//! (`ui/containers.rs`) and keys (the `[keys.containers]` scope).

use std::cmp::Ordering;
use std::collections::HashMap;

use super::keymap::ListAction;
use super::list::{Column, Kind, List, Width};
use super::lists::{Sort, SortBy, natural_cmp};
use super::view::{Ctx, Outcome};
use crate::docker::{ContainerId, ContainerRow, ContainerState};
use crate::format::short_id;

/// The containers pane's kind: `docker container ls -a` on every host.
#[derive(Debug, Clone, Default)]
pub struct Containers {
    /// `docker container ls -a` (true) or `docker container ls` (false).
    pub show_all: bool,
    /// The last readings of the running containers in view, CPU % and memory: what a sort
    /// by the CPU % and MEM columns orders by (the app gives them as they come).
    pub readings: HashMap<ContainerId, (Option<f64>, u64)>,
    /// The CPU % and MEM columns show (`>` steps through them then): as the app's usage
    /// switch was when `>` was last pressed.
    pub usage: bool,
    /// Some listed container has a health check (the HEALTH column shows then).
    pub any_health: bool,
}

/// Its columns, in the order the pane draws them (a click on a header sorts by it).
pub const HOST: usize = 0;
pub const NAME: usize = 1;
pub const IMAGE: usize = 2;
pub const STATE: usize = 3;
pub const HEALTH: usize = 4;
pub const RESTARTS: usize = 5;
pub const STATUS: usize = 6;
pub const CPU: usize = 7;
pub const MEM: usize = 8;
pub const PORTS: usize = 9;
pub const UPDATE: usize = 10;

/// What `>` steps through, without and with the CPU % and MEM columns.
const CYCLE: [usize; 4] = [NAME, IMAGE, STATE, STATUS];
const USAGE_CYCLE: [usize; 6] = [NAME, IMAGE, STATE, STATUS, CPU, MEM];

fn state_rank(state: &ContainerState) -> u8 {
    match state {
        ContainerState::Running => 0,
        ContainerState::Restarting => 1,
        ContainerState::Paused => 2,
        ContainerState::Created => 3,
        ContainerState::Removing => 4,
        ContainerState::Exited => 5,
        ContainerState::Dead => 6,
        ContainerState::Unknown | ContainerState::Other(_) => 7,
    }
}

/// What the filter looks in: the name, image, state, status, ports, short id and the
/// Compose project (a project's name keeps all of its containers, and its row).
fn fields(c: &ContainerRow) -> [&str; 7] {
    [
        &c.name,
        &c.image,
        c.state.as_str(),
        &c.status,
        &c.ports,
        short_id(&c.id),
        Containers::group(c).unwrap_or(""),
    ]
}

impl Kind for Containers {
    type Row = ContainerRow;
    type Action = ListAction;
    const TITLE: &'static str = "Containers";
    const SORTED_ON_CHANGE: bool = true;

    fn columns(&self) -> Vec<Column<ContainerRow>> {
        type R = ContainerRow;
        vec![
            Column::new("HOST", Width::Content(20), 0).sorts(|a: &R, b: &R| a.host.cmp(&b.host)),
            Column::new("NAME", Width::Content(32), 0)
                .sorts(|a: &R, b: &R| natural_cmp(&a.name, &b.name)),
            Column::new("IMAGE", Width::Content(40), 3)
                .sorts(|a: &R, b: &R| natural_cmp(&a.image, &b.image)),
            Column::new("STATE", Width::Fixed(10), 0)
                .sorts(|a: &R, b: &R| state_rank(&a.state).cmp(&state_rank(&b.state))),
            Column::new("HEALTH", Width::Fixed(9), 2),
            Column::new("RESTARTS", Width::Fixed(8), 2),
            Column::new("STATUS", Width::Fit(30), 1)
                .sorts(|a: &R, b: &R| a.created.cmp(&b.created))
                .down(),
            // Shown only once asked for (U): before IMAGE and PORTS when not all fit.
            Column::new("CPU %", Width::Fixed(6), 2)
                .sorts_outside()
                .down(),
            Column::new("MEM", Width::Fixed(8), 2)
                .sorts_outside()
                .down(),
            Column::new("PORTS", Width::Content(40), 2),
            Column::new("UPDATE", Width::Fixed(6), 2),
            Column::new("CONTAINER ID", Width::Fixed(12), 5),
        ]
    }

    fn cycle(&self) -> Option<&'static [usize]> {
        Some(if self.usage { &USAGE_CYCLE } else { &CYCLE })
    }

    fn id(row: &ContainerRow) -> &str {
        row.id.as_str()
    }

    fn name(row: &ContainerRow) -> &str {
        &row.name
    }

    fn id_noun() -> &'static str {
        "container id"
    }

    /// What the filter looks in (the pane draws its cells itself).
    fn cells(&self, c: &ContainerRow) -> Vec<String> {
        fields(c).into_iter().map(str::to_string).collect()
    }

    fn find(&self, c: &ContainerRow, matches: &dyn Fn(&[&str]) -> bool) -> bool {
        matches(&fields(c))
    }

    fn verb(list: &mut List<Self>, action: ListAction, cx: &mut Ctx) -> Outcome {
        list.common(action, cx)
    }

    /// Names in natural order, the id settling the rest, whichever way the column sorts.
    fn tie(a: &ContainerRow, b: &ContainerRow) -> Ordering {
        natural_cmp(&a.name, &b.name).then_with(|| a.id.cmp(&b.id))
    }

    fn carry(old: &ContainerRow, new: &mut ContainerRow) {
        new.keep_anchor(old);
    }

    /// The last reading's CPU % or memory; those not read (stopped ones) last either way.
    fn outside(&self, at: usize, descending: bool, a: &ContainerRow, b: &ContainerRow) -> Ordering {
        let value = |c: &ContainerRow| {
            let (cpu, mem) = self.readings.get(&c.id)?;
            if at == CPU { *cpu } else { Some(*mem as f64) }
        };
        match (value(a), value(b)) {
            (Some(x), Some(y)) if descending => y.total_cmp(&x),
            (Some(x), Some(y)) => x.total_cmp(&y),
            (x, y) => x.is_none().cmp(&y.is_none()),
        }
    }

    fn keeps(&self, c: &ContainerRow) -> bool {
        self.show_all || c.state == ContainerState::Running
    }

    fn group(c: &ContainerRow) -> Option<&str> {
        c.compose.as_ref().map(|p| p.project.as_str())
    }
}

impl Containers {
    /// The pane's list, sorted and filtered as the settings say.
    pub fn list(sort: Sort, filter: &str, show_all: bool, grouped: bool) -> List<Self> {
        let kind = Containers {
            show_all,
            ..Default::default()
        };
        let mut list = List::pane(kind, (Self::column(sort.by), sort.descending), filter);
        list.groups.on = grouped;
        list
    }

    /// The column a sort named in the config or by a header sorts by.
    pub fn column(by: SortBy) -> usize {
        match by {
            SortBy::Host => HOST,
            SortBy::Name | SortBy::Size => NAME,
            SortBy::Image => IMAGE,
            SortBy::State => STATE,
            SortBy::Created => STATUS,
            SortBy::Cpu => CPU,
            SortBy::Mem => MEM,
        }
    }

    /// The sort a column's stands for (what the pane draws an arrow on).
    pub fn sort_of(sort: Option<(usize, bool)>) -> Sort {
        let (at, descending) = sort.unwrap_or((NAME, false));
        let by = match at {
            HOST => SortBy::Host,
            IMAGE => SortBy::Image,
            STATE => SortBy::State,
            STATUS => SortBy::Created,
            CPU => SortBy::Cpu,
            MEM => SortBy::Mem,
            _ => SortBy::Name,
        };
        Sort { by, descending }
    }
}
