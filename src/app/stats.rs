//! The stats view (`S`): one container's CPU, memory, network, block I/O and PIDs, live,
//! with a chart of the last two minutes.

use crossterm::event::KeyEvent;

use super::App;
use super::effects::Routed;
use super::keymap::StatsAction;
use super::ring::Ring;
use super::view::{Ctx, Outcome, View};
use crate::docker::stats::Sample;
use crate::docker::{Command, HostId, StreamId};

/// Samples kept for the chart (one a second).
pub const HISTORY: usize = 120;

#[derive(Debug, Clone)]
pub struct StatsView {
    pub id: StreamId,
    /// Its container's host (its stop goes there too).
    pub host: HostId,
    pub container: String,
    pub samples: Ring<Sample>,
    pub ended: Option<String>,
}

impl App {
    pub(super) fn open_stats(&mut self) -> Vec<Routed> {
        let Some(c) = self.container_or_refuse() else {
            return Vec::new();
        };
        let id = self.view_id();
        let (container, host) = (c.id, c.host);
        self.view = Some(View::Stats(Box::new(StatsView {
            id,
            host,
            container: c.name,
            samples: Ring::new(HISTORY),
            ended: None,
        })));
        vec![(host, Command::FollowStats { id, container })]
    }

    pub(super) fn stats_sample(&mut self, id: StreamId, sample: Sample) {
        if let Some(View::Stats(view)) = &mut self.view
            && view.id == id
        {
            view.samples.push(sample);
        }
    }

    /// A followed stream ended: the view that follows it says why.
    pub(super) fn stream_ended(&mut self, id: StreamId, reason: String) -> Vec<Routed> {
        match &mut self.view {
            Some(View::Stats(view)) if view.id == id => view.ended = Some(reason),
            Some(View::Logs(_)) => return self.log_stream_ended(id, reason),
            _ => {}
        }
        Vec::new()
    }
}

impl StatsView {
    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        match cx.keymap.get(key) {
            Some(StatsAction::Close) => {
                Outcome::close().to(self.host, Command::StopStream(self.id))
            }
            None => Outcome::stay(),
        }
    }
}
