//! While you were away, in the dashboard: the times are [`crate::away::Times`] (kept as a
//! local effect, every few seconds at most and at quit); on the next start each host is
//! asked for its events since then, and what they raise (see [`crate::away::Times::answer`])
//! is one strip item per host: "while you were away: web exited (137) at 03:12 on prod",
//! saying when the daemon's backlog could not reach back that far.

use std::collections::HashMap;

use crate::away::{Kept, Times};
use crate::docker::{Command, EngineEvent, HostId};

use super::{App, Local};

#[derive(Debug, Default)]
pub struct Away {
    pub times: Times,
    /// The strip's items, one per host that had something while dockpit was closed.
    pub lines: Vec<String>,
}

impl Away {
    /// From the times the last run kept.
    pub fn from_kept(kept: HashMap<String, Kept>) -> Self {
        Self {
            times: Times::from_kept(kept),
            lines: Vec::new(),
        }
    }
}

impl App {
    /// A daemon event of `host`: its time is the newest seen.
    pub(super) fn away_seen(&mut self, host: HostId, event: &EngineEvent) {
        let name = self.alert_host(host);
        self.alerts.away.times.see(&name, event.time);
    }

    /// `host` answers: ask it for what happened since the last run saw it, once.
    pub(super) fn away_ask(&mut self, host: HostId) -> Option<super::effects::Routed> {
        let name = self.alert_host(host);
        let since = self.alerts.away.times.ask(&name, self.now)?;
        Some((host, Command::PastEvents { host, since }))
    }

    /// `host`'s events since `since`: what they raise, and how far back the daemon could see.
    pub(super) fn away_answer(
        &mut self,
        host: HostId,
        since: i64,
        result: Result<Vec<EngineEvent>, String>,
    ) {
        let name = self.alert_host(host);
        let created_since = || {
            (self.containers.rows())
                .any(|c| c.host == host && c.created.saturating_mul(1_000_000_000) > since)
        };
        let rules = &self.alerts.watch.rules;
        let Some(backlog) =
            self.alerts
                .away
                .times
                .answer(&name, since, result, rules, created_since)
        else {
            return;
        };
        let mut said: Vec<String> = (backlog.alerts.iter().rev())
            .map(|a| {
                format!(
                    "{}{} at {} on {name}",
                    a.what(),
                    a.times(),
                    self.clock(a.last)
                )
            })
            .collect();
        let clock = |nanos: i64| self.clock(nanos.div_euclid(1_000_000_000));
        said.extend(backlog.short.map(|s| s.said(&name, since, clock)));
        if !said.is_empty() {
            let line = format!("while you were away: {}", said.join("; "));
            self.activity.note(line.clone());
            self.alerts.away.lines.push(line);
        }
    }

    /// "03:12" in the user's time zone (the day too when it is not today's).
    fn clock(&self, secs: i64) -> String {
        let local =
            |s: i64| chrono::DateTime::from_timestamp(s + i64::from(self.prefs.utc_offset), 0);
        match (local(secs), local(self.now)) {
            (Some(t), Some(now)) if t.date_naive() == now.date_naive() => {
                t.format("%H:%M").to_string()
            }
            (Some(t), _) => t.format("%Y-%m-%d %H:%M").to_string(),
            (None, _) => "?".into(),
        }
    }

    /// Each second, and at quit: the times seen, kept when due.
    pub(super) fn away_keep(&mut self) -> Option<Local> {
        let quitting = self.should_quit;
        (self.alerts.away.times.keep(self.now, quitting)).map(Local::KeepSeen)
    }
}
