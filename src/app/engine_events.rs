//! What the daemon's events mean beyond the lists: a started container's restart count and
//! its logs followed again, and the open volumes, networks or disk usage view, refreshed
//! when what it shows changed.

use super::App;
use crate::docker::{Command, EngineEvent, EventKind};

impl App {
    pub(super) fn on_engine_event(&mut self, event: &EngineEvent) -> Vec<Command> {
        let mut commands = Vec::new();
        if event.kind == EventKind::Container && event.action == "start" {
            commands.extend(self.restart_counts_stale(&event.actor_id));
            commands.extend(self.logs_restarted(&event.actor_id, event.time));
        }
        commands.extend(self.relist_on(event));
        commands
    }
}
