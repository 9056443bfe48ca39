//! The CPU and MEM columns: the rows in view are read cheaply (one-shot stats every few
//! seconds, for those rows only), and CPU % comes from the change between two readings.

use std::collections::HashMap;

use super::{App, Pane};
use crate::docker::stats::Reading;
use crate::docker::{Command, ContainerId, ContainerState};

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
    }

    /// Asks for the running containers in view, when that set changed.
    pub(super) fn watch_usage(&mut self) -> Option<Command> {
        let height = self.rows_in_view(Pane::Containers);
        let in_view: Vec<ContainerId> = if !self.usage.on || self.areas().containers.height == 0 {
            Vec::new()
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
            return None;
        }
        // Forget what left the view, so memory stays bounded by the rows shown.
        self.usage.shown.retain(|id, _| in_view.contains(id));
        self.usage.last.retain(|id, _| in_view.contains(id));
        self.usage.watched = in_view.clone();
        Some(Command::WatchUsage(in_view))
    }
}
