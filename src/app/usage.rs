//! The CPU and MEM columns: the rows in view are read cheaply (one-shot stats every few
//! seconds, for those rows only), and CPU % comes from the change between two readings.

use std::collections::HashMap;

use super::lists::{self, Sort, SortBy};
use super::{App, Pane};
use crate::docker::stats::Reading;
use crate::docker::{Command, ContainerId, ContainerRow, ContainerState};

#[derive(Debug, Clone, Default)]
pub struct Usage {
    /// Per container: CPU % (once two readings exist) and memory in use.
    pub shown: HashMap<ContainerId, (Option<f64>, u64)>,
    last: HashMap<ContainerId, Reading>,
    /// The containers the Docker task reads now.
    watched: Vec<ContainerId>,
    /// The columns are on (`U` switches them; `--usage` starts with them on). Off by
    /// default: reading costs the daemon about 1 % of a core more at 300 containers.
    pub on: bool,
}

impl App {
    pub(super) fn usage_readings(&mut self, readings: Vec<(ContainerId, Reading)>) {
        for (id, reading) in readings {
            let cpu = self
                .usage
                .last
                .get(&id)
                .and_then(|earlier| reading.cpu_percent_since(earlier));
            self.usage.shown.insert(id.clone(), (cpu, reading.memory));
            self.usage.last.insert(id, reading);
        }
        if self.sorted_by_usage() {
            self.order_by_usage();
            self.sync_cursors();
        }
    }

    /// The containers pane is sorted by CPU % or MEM.
    fn sorted_by_usage(&self) -> bool {
        matches!(self.container_sort.by, SortBy::Cpu | SortBy::Mem)
    }

    /// `U`: the columns on or off; off, a sort by them goes back to the pane's own.
    pub(super) fn toggle_usage(&mut self) {
        self.usage.on = !self.usage.on;
        if !self.usage.on && self.sorted_by_usage() {
            self.container_sort = Sort::default_for(Pane::Containers);
            self.sort_lists();
            self.sync_cursors();
        }
    }

    /// Under a sort by CPU % or MEM, the containers in the order of their last readings
    /// (name and id settle ties); those not read (stopped ones) come last either way round.
    pub(super) fn order_by_usage(&mut self) {
        let sort = self.container_sort;
        let value: fn(&(Option<f64>, u64)) -> Option<f64> = match sort.by {
            SortBy::Cpu => |(cpu, _)| *cpu,
            SortBy::Mem => |(_, mem)| Some(*mem as f64),
            _ => return,
        };
        let shown = &self.usage.shown;
        let read = |c: &ContainerRow| shown.get(&c.id).and_then(value);
        self.containers.sort_by(|a, b| {
            let by_reading = match (read(a), read(b)) {
                (Some(x), Some(y)) => sort.apply(x.total_cmp(&y)),
                (x, y) => x.is_none().cmp(&y.is_none()),
            };
            by_reading.then_with(|| lists::container_order(a, b, sort))
        });
    }

    /// Asks for the running containers in view, when that set changed; sorted by CPU % or
    /// MEM, for every running container shown (the order needs all their readings).
    pub(super) fn watch_usage(&mut self) -> Vec<super::effects::Routed> {
        let height = self.rows_in_view(Pane::Containers);
        let in_view: Vec<ContainerId> = if !self.usage.on || self.areas().containers.height == 0 {
            Vec::new()
        } else if self.sorted_by_usage() {
            let shown = lists::visible_containers(
                &self.containers,
                self.show_all,
                &self.container_filter,
                &self.host_names,
            );
            let mut ids: Vec<ContainerId> = shown
                .filter(|c| c.state == ContainerState::Running)
                .map(|c| c.id.clone())
                .collect();
            // In one order whatever the readings make of the rows': asked again only when
            // the set changes.
            ids.sort_unstable();
            ids
        } else {
            self.container_entries()
                .iter()
                .skip(self.container_cursor.offset)
                .take(height)
                .filter_map(super::compose::Entry::container)
                .filter(|c| c.state == ContainerState::Running)
                .map(|c| c.id.clone())
                .collect()
        };
        if in_view == self.usage.watched {
            return Vec::new();
        }
        // Forget what left the view, so memory stays bounded by the rows shown.
        // A set: sorted by usage, every running container shown is in view (thousands).
        let keep: std::collections::HashSet<&ContainerId> = in_view.iter().collect();
        self.usage.shown.retain(|id, _| keep.contains(id));
        self.usage.last.retain(|id, _| keep.contains(id));
        // Each host watches its own (an empty list stops a host's watch).
        let watch = self.split_by_host(&in_view, true, Command::WatchUsage);
        self.usage.watched = in_view;
        watch
    }
}
