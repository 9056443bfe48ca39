//! The RESTARTS column's numbers: asked for each container once (after the listing first
//! shows it) and again after it starts, since only a start changes a restart count.

use std::collections::{HashMap, HashSet};

use super::App;
use crate::docker::{Command, ContainerId};

#[derive(Debug, Default)]
pub struct Restarts {
    pub counts: HashMap<ContainerId, i64>,
    /// Known or in flight: not asked for again until it starts.
    asked: HashSet<ContainerId>,
}

impl App {
    /// After a listing: the containers not yet asked about (none gone stay in the map).
    pub(super) fn ask_restarts(&mut self) -> Vec<Command> {
        let listed: HashSet<&ContainerId> = self.containers.iter().map(|c| &c.id).collect();
        let r = &mut self.restarts;
        r.counts.retain(|id, _| listed.contains(id));
        r.asked.retain(|id| listed.contains(id));
        let new: Vec<ContainerId> = listed
            .into_iter()
            .filter(|id| !r.asked.contains(*id))
            .cloned()
            .collect();
        if new.is_empty() {
            return Vec::new();
        }
        r.asked.extend(new.iter().cloned());
        vec![Command::RestartCounts(new)]
    }

    /// A container started: its count may have grown.
    pub(super) fn restart_counts_stale(&mut self, id: &str) -> Vec<Command> {
        self.restarts.asked.insert(id.into());
        vec![Command::RestartCounts(vec![id.into()])]
    }

    /// After a reconnect every count is asked for again (starts may have been missed).
    pub(super) fn forget_restarts_asked(&mut self) {
        self.restarts.asked.clear();
    }

    pub(super) fn restart_counts(&mut self, counts: Vec<(ContainerId, i64)>) {
        self.restarts.counts.extend(counts);
    }

    /// The count the RESTARTS column shows for a container, when it has restarted.
    pub fn restarts_of(&self, id: &ContainerId) -> Option<i64> {
        self.restarts.counts.get(id).copied().filter(|n| *n > 0)
    }
}
