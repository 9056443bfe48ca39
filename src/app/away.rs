//! While you were away: the newest event time seen per host is kept in the state folder (a
//! local effect, every few seconds at most and at quit); on the next start each host is
//! asked for its events since then, which go through the same alert rules as live ones, on
//! their own (past: no notice, no hook), and what they raise is one strip item per host:
//! "while you were away: web exited (137) at 03:12 on prod". The daemon keeps a bounded
//! backlog: when the oldest event it returns is newer than the one asked from (that event is
//! returned too, `since` being inclusive), or it returns nothing while containers were
//! created since, the item says how far back it could see.

use std::collections::HashMap;

use crate::alerts::{Alert, Change, Watch};
use crate::away::Kept;
use crate::docker::{Command, EngineEvent, HostId};

use super::{App, Local};

/// The times are kept at most this often (seconds), and at quit.
pub const KEEP_EVERY: i64 = 5;

#[derive(Debug, Default)]
pub struct Away {
    /// Per host name: the newest event time seen.
    seen: HashMap<String, Kept>,
    /// Per host name: the time kept by the last run, until its host answers for it.
    ask: HashMap<String, Kept>,
    /// Seen changed since last kept; when it was last kept (Unix seconds).
    unsaved: bool,
    kept_at: i64,
    /// The strip's items, one per host that had something while dockpit was closed.
    pub lines: Vec<String>,
}

impl Away {
    /// From the times the last run kept.
    pub fn from_kept(kept: HashMap<String, Kept>) -> Self {
        Self {
            seen: kept.clone(),
            ask: kept,
            ..Self::default()
        }
    }

    /// An event's time (the daemon's clock): the newest wins, and any wins over this
    /// machine's clock.
    fn see(&mut self, host: &str, time: i64) {
        let seen = Kept { time, event: true };
        let newest = self.seen.entry(host.to_string()).or_insert(seen);
        if !newest.event || time >= newest.time {
            *newest = seen;
            self.unsaved = true;
        }
    }

    /// A host answered: one with no time yet gets this machine's clock's, so a host
    /// quiet all session still has a time to ask from next start.
    fn answered(&mut self, host: &str, now: i64) {
        if !self.seen.contains_key(host) {
            let time = now.saturating_mul(1_000_000_000);
            self.seen.insert(host.into(), Kept { time, event: false });
            self.unsaved = true;
        }
    }

    /// The times to keep, if due (`quitting`: whatever changed, now).
    fn keep(&mut self, now: i64, quitting: bool) -> Option<Local> {
        if !self.unsaved || (!quitting && now - self.kept_at < KEEP_EVERY) {
            return None;
        }
        self.unsaved = false;
        self.kept_at = now;
        let mut seen: Vec<(String, Kept)> = self.seen.clone().into_iter().collect();
        seen.sort_by(|a, b| a.0.cmp(&b.0));
        Some(Local::KeepSeen(seen))
    }
}

/// The alerts `events` raise under `watch`'s rules, one per container and kind, as last seen.
fn past_alerts(watch: &Watch, host: &str, events: &[EngineEvent]) -> Vec<Alert> {
    let mut past = Watch::with_rules(watch.rules.clone());
    let mut raised: Vec<Alert> = Vec::new();
    for change in events.iter().flat_map(|e| past.event(host, e)) {
        if let Change::Raised(a) | Change::Repeated(a) = change {
            let same = |r: &&mut Alert| r.id == a.id && r.kind.name() == a.kind.name();
            match raised.iter_mut().find(same) {
                Some(known) => *known = a,
                None => raised.push(a),
            }
        }
    }
    raised
}

impl App {
    /// A daemon event of `host`: its time is the newest seen.
    pub(super) fn away_seen(&mut self, host: HostId, event: &EngineEvent) {
        let name = self.alert_host(host);
        self.alerts.away.see(&name, event.time);
    }

    /// `host` answers: ask it for what happened since the last run saw it, once.
    pub(super) fn away_ask(&mut self, host: HostId) -> Option<Command> {
        let name = self.alert_host(host);
        self.alerts.away.answered(&name, self.now);
        let since = self.alerts.away.ask.get(&name)?.time;
        Some(Command::PastEvents { host, since })
    }

    /// `host`'s events since `since`: what they raise, and how far back the daemon could see.
    pub(super) fn away_answer(
        &mut self,
        host: HostId,
        since: i64,
        result: Result<Vec<EngineEvent>, String>,
    ) {
        let name = self.alert_host(host);
        let Some(asked) = self.alerts.away.ask.remove(&name) else {
            return;
        };
        let events = match result {
            Ok(events) => events,
            Err(why) => {
                let line = format!("while you were away: {name}'s events could not be read: {why}");
                self.away_line(line);
                return;
            }
        };
        if let Some(newest) = events.iter().map(|e| e.time).max() {
            self.alerts.away.see(&name, newest);
        }
        let mut said: Vec<String> = past_alerts(&self.alerts.watch, &name, &events)
            .iter()
            .rev()
            .map(|a| {
                format!(
                    "{}{} at {} on {name}",
                    a.what(),
                    a.times(),
                    self.clock(a.last)
                )
            })
            .collect();
        let clock = |nanos: i64| self.clock(nanos / 1_000_000_000);
        let created_since = |c: &&crate::docker::ContainerRow| {
            c.host == host && c.created.saturating_mul(1_000_000_000) > since
        };
        let short = match events.first() {
            // Only an event's time comes back with what follows it.
            Some(oldest) if asked.event && oldest.time > since => Some(format!(
                "{name}'s daemon kept events back to {} only, not to {}",
                clock(oldest.time),
                clock(since)
            )),
            None if self.containers.iter().any(|c| created_since(&c)) => Some(format!(
                "{name}'s daemon kept no events back to {}, yet containers were created since",
                clock(since)
            )),
            _ => None,
        };
        said.extend(short);
        if !said.is_empty() {
            self.away_line(format!("while you were away: {}", said.join("; ")));
        }
    }

    fn away_line(&mut self, line: String) {
        self.activity.note(line.clone());
        self.alerts.away.lines.push(line);
    }

    /// "03:12" in the user's time zone (the day too when it is not today's).
    fn clock(&self, secs: i64) -> String {
        let local = |s: i64| chrono::DateTime::from_timestamp(s + i64::from(self.utc_offset), 0);
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
        self.alerts.away.keep(self.now, self.should_quit)
    }
}
