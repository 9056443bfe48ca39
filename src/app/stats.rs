//! The stats view (`S`): one container's CPU, memory, network, block I/O and PIDs, live,
//! with a chart of the last two minutes.

use std::collections::VecDeque;

use crossterm::event::KeyEvent;

use super::keymap::Scope;
use super::{Action, App, Overlay};
use crate::docker::Command;
use crate::docker::stats::Sample;

/// Samples kept for the chart (one a second).
pub const HISTORY: usize = 120;

#[derive(Debug, Clone)]
pub struct StatsView {
    pub id: u64,
    pub container: String,
    pub samples: VecDeque<Sample>,
    pub ended: Option<String>,
}

impl App {
    pub(super) fn open_stats(&mut self) -> Vec<Command> {
        let Some(c) = self.container_or_refuse() else {
            return Vec::new();
        };
        let id = self.view_id();
        let container = c.id;
        self.overlay = Some(Overlay::Stats(Box::new(StatsView {
            id,
            container: c.name,
            samples: VecDeque::new(),
            ended: None,
        })));
        vec![Command::FollowStats { id, container }]
    }

    pub(super) fn stats_sample(&mut self, id: u64, sample: Sample) {
        if let Some(Overlay::Stats(view)) = &mut self.overlay
            && view.id == id
        {
            if view.samples.len() == HISTORY {
                view.samples.pop_front();
            }
            view.samples.push_back(sample);
        }
    }

    /// A followed stream ended: the view that follows it says why.
    pub(super) fn stream_ended(&mut self, id: u64, reason: String) {
        match &mut self.overlay {
            Some(Overlay::Stats(view)) if view.id == id => view.ended = Some(reason),
            Some(Overlay::Logs(view)) if view.id == id => view.ended = Some(reason),
            _ => {}
        }
    }

    pub(super) fn on_stats_key(&mut self, key: &KeyEvent, view: Box<StatsView>) -> Vec<Command> {
        match self.keymap.lookup_in(key, Scope::Stats) {
            Some(Action::Cancel) => vec![Command::StopStream(view.id)],
            _ => {
                self.overlay = Some(Overlay::Stats(view));
                Vec::new()
            }
        }
    }
}
