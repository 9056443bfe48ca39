//! What the daemon's events mean beyond the lists: a started container's restart count and
//! its logs followed again, and the open volumes, networks or disk usage view, refreshed
//! when what it shows changed.

use super::App;
use super::Effects;
use crate::docker::{EngineEvent, EventKind, HostId};

impl App {
    /// `host`'s event.
    pub(super) fn on_engine_event(&mut self, host: HostId, event: &EngineEvent) -> Effects {
        let mut effects = Effects::default();
        if event.kind == EventKind::Container && event.action == "start" {
            effects.extend(self.restart_counts_stale(host, &event.actor_id));
            effects.extend(self.logs_restarted(&event.actor_id, event.time));
        }
        effects.extend(self.relist_on(event));
        effects
    }
}
