//! The CPU and MEM columns: the rows in view are read cheaply (one-shot stats every few
//! seconds, for those rows only), and CPU % comes from the change between two readings.

use std::collections::HashMap;

use super::container_list::Containers;
use super::lists::{Sort, SortBy};
use super::{App, Pane};
use crate::docker::stats::Reading;
use crate::docker::{Command, ContainerId, ContainerState, HostId};

#[derive(Debug, Clone, Default)]
pub struct Usage {
    /// Per container: CPU % (once two readings exist) and memory in use.
    pub shown: HashMap<ContainerId, (Option<f64>, u64)>,
    last: HashMap<ContainerId, Reading>,
    /// The containers the Docker task reads now.
    watched: Vec<(HostId, ContainerId)>,
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
        matches!(self.container_sort().by, SortBy::Cpu | SortBy::Mem)
    }

    /// `U`: the columns on or off; off, a sort by them goes back to the pane's own.
    pub(super) fn toggle_usage(&mut self) {
        self.usage.on = !self.usage.on;
        // Said, not only drawn: the columns may not fit, and it replaces an earlier word
        // about the key (pressed in the wrong pane).
        self.activity.note(match self.usage.on {
            true => "CPU % and MEM on (first readings in a second; {usage} turns them off)",
            false => "CPU % and MEM off",
        });
        if !self.usage.on && self.sorted_by_usage() {
            let by = Sort::default_for(Pane::Containers).by;
            self.containers.sort = Some((Containers::column(by), false));
            self.containers.reorder();
            self.sync_cursors();
        }
    }

    /// Under a sort by CPU % or MEM, the containers in the order of their last readings
    /// (the kind's sort: name and id settle ties, those not read come last).
    pub(super) fn order_by_usage(&mut self) {
        if self.give_readings() {
            self.containers.reorder();
        }
    }

    /// Under a sort by CPU % or MEM, the kind is given the last readings to sort by (a copy:
    /// the running containers shown); whether it is so sorted.
    pub(super) fn give_readings(&mut self) -> bool {
        let sorted = self.sorted_by_usage();
        if sorted {
            self.containers.kind.readings = self.usage.shown.clone();
        }
        sorted
    }

    /// Asks for the running containers in view, when that set changed; sorted by CPU % or
    /// MEM, for every running container shown (the order needs all their readings).
    pub(super) fn watch_usage(&mut self) -> Vec<super::effects::Routed> {
        let height = self.rows_in_view(Pane::Containers);
        let in_view: Vec<(HostId, ContainerId)> =
            if !self.usage.on || self.areas().containers.height == 0 {
                Vec::new()
            } else if self.sorted_by_usage() {
                let shown = self.visible_containers().into_iter();
                let mut ids: Vec<(HostId, ContainerId)> = shown
                    .filter(|c| c.state == ContainerState::Running)
                    .map(|c| (c.host, c.id.clone()))
                    .collect();
                // In one order whatever the readings make of the rows': asked again only when
                // the set changes.
                ids.sort_unstable();
                ids
            } else {
                self.container_entries()
                    .iter()
                    .skip(self.containers.room.cursor.offset)
                    .take(height)
                    .filter_map(super::compose::Entry::container)
                    .filter(|c| c.state == ContainerState::Running)
                    .map(|c| (c.host, c.id.clone()))
                    .collect()
            };
        if in_view == self.usage.watched {
            return Vec::new();
        }
        // Forget what left the view, so memory stays bounded by the rows shown.
        // A set: sorted by usage, every running container shown is in view (thousands).
        let keep: std::collections::HashSet<&ContainerId> =
            in_view.iter().map(|(_, id)| id).collect();
        self.usage.shown.retain(|id, _| keep.contains(id));
        self.usage.last.retain(|id, _| keep.contains(id));
        // Each host watches its own (an empty list stops a host's watch).
        let watch = self.split_by_host(&in_view, true, Command::WatchUsage);
        self.usage.watched = in_view;
        watch
    }
}
