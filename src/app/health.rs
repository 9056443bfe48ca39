//! The RESTARTS column's numbers: asked for each container in view once (as it comes into
//! view) and again after it starts, since only a start changes a restart count. Only rows
//! in view: a host of 5,000 containers must not cost 5,000 inspects.

use std::collections::{HashMap, HashSet};

use super::App;
use crate::docker::{Command, ContainerId, HostId};

#[derive(Debug, Default)]
pub struct Restarts {
    pub counts: HashMap<ContainerId, i64>,
    /// Known or in flight: not asked for again until it starts.
    asked: HashSet<ContainerId>,
}

impl App {
    /// The containers in view not asked about yet, when there are any.
    pub(super) fn ask_restarts(&mut self) -> Vec<super::effects::Routed> {
        let height = self.rows_in_view(super::Pane::Containers);
        let offset = self.containers.room.cursor.offset;
        let new: Vec<(HostId, ContainerId)> = (self.containers)
            .shown_page(&self.host_names, offset, height)
            .into_iter()
            .filter(|c| !self.restarts.asked.contains(&c.row.id))
            .map(|c| (c.host, c.row.id.clone()))
            .collect();
        if new.is_empty() {
            return Vec::new();
        }
        self.restarts
            .asked
            .extend(new.iter().map(|(_, id)| id.clone()));
        self.split_by_host(&new, false, Command::RestartCounts)
    }

    /// After a full listing: what it no longer lists is forgotten.
    pub(super) fn forget_gone_restarts(&mut self) {
        let listed: HashSet<&ContainerId> = self.containers.rows().map(|c| &c.id).collect();
        let r = &mut self.restarts;
        r.counts.retain(|id, _| listed.contains(id));
        r.asked.retain(|id| listed.contains(id));
    }

    /// Containers an event showed removed.
    pub(super) fn forget_restarts(&mut self, removed: &[ContainerId]) {
        for id in removed {
            self.restarts.counts.remove(id);
            self.restarts.asked.remove(id);
        }
    }

    /// A container of `host`'s started (maybe not listed yet): its count may have grown.
    pub(super) fn restart_counts_stale(
        &mut self,
        host: crate::docker::HostId,
        id: &str,
    ) -> Vec<super::effects::Routed> {
        let id = ContainerId::from(id);
        self.restarts.asked.insert(id.clone());
        vec![(host, Command::RestartCounts(vec![id]))]
    }

    /// After a reconnect every count is asked for again (starts may have been missed).
    pub(super) fn forget_restarts_asked(&mut self) {
        self.restarts.asked.clear();
    }

    pub(super) fn restart_counts(&mut self, counts: Vec<(ContainerId, i64)>) {
        self.restarts.counts.extend(counts);
    }

    /// The count the RESTARTS column shows for a container, when it has restarted.
    /// Whether any container known has restarted (the RESTARTS column shows then).
    pub fn any_restarts(&self) -> bool {
        self.restarts.counts.values().any(|n| *n > 0)
    }

    pub fn restarts_of(&self, id: &ContainerId) -> Option<i64> {
        self.restarts.counts.get(id).copied().filter(|n| *n > 0)
    }
}
