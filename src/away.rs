//! The last event time seen per host, kept in the state folder between runs
//! (`$XDG_STATE_HOME/dockpit/last-events.json`: host name → time and whether an event said
//! it), so that the next start can ask each daemon what happened while dockpit was closed.
//! Read once at start; written every few seconds at most and at quit (by the dashboard's
//! event loop as a local effect, by `dockpit alerts --follow` itself). [`Times`] is what
//! both do with them: the newest time seen per host, the question each host is asked once
//! on connect, and its answer through the alert rules as a [`Backlog`].

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::alerts::{Alert, Change, Rules, Watch};
use crate::docker::EngineEvent;

/// When a host was last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Kept {
    /// Unix nanoseconds.
    pub time: i64,
    /// An event's time, in the daemon's own clock (the daemon returns that event again when
    /// asked since it); false: this machine's clock when the host answered with no event
    /// seen since (a quiet host still has a time to ask from).
    pub event: bool,
}

/// A file larger than this is not ours to read (a few bytes per host).
const MAX_FILE: u64 = 1024 * 1024;

pub fn path() -> PathBuf {
    crate::paths::state_dir().join("last-events.json")
}

/// The times kept at `path`; none when the file is missing, too large or not what dockpit
/// writes (a first start, or a damaged file, asks for nothing).
pub fn load(path: &Path) -> HashMap<String, Kept> {
    let read = || -> Option<HashMap<String, Kept>> {
        let file = std::fs::File::open(path).ok()?;
        let mut text = String::new();
        file.take(MAX_FILE).read_to_string(&mut text).ok()?;
        serde_json::from_str(&text).ok()
    };
    read().unwrap_or_default()
}

/// Keeps `seen` at `path`: written to a new private file beside it, then renamed over it, so
/// a reader (or a crash) never sees half a file and a symlink at `path` is replaced, never
/// followed.
pub fn keep(path: &Path, seen: &[(String, Kept)]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    crate::paths::private_dir(dir)?;
    let map: HashMap<&str, Kept> = seen.iter().map(|(h, t)| (h.as_str(), *t)).collect();
    let text = serde_json::to_string(&map).map_err(io::Error::other)?;
    let temp = dir.join(format!(".last-events-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    let mut file = crate::paths::create_new(&temp)?;
    // No fsync: this runs on the event loop, and a flush can stall a busy disk for a
    // frame or more; a file lost to a crash only means nothing is asked next start.
    file.write_all(text.as_bytes())?;
    std::fs::rename(&temp, path)
}

/// The times are kept at most this often (seconds), and at quit.
pub const KEEP_EVERY: i64 = 5;

/// The times of every host: those seen this run, those the last run kept (each asked about
/// once, when its host answers), and when they were last written.
#[derive(Debug, Default)]
pub struct Times {
    /// Per host name: the newest event time seen.
    seen: HashMap<String, Kept>,
    /// Per host name: the time kept by the last run, until its host answers for it.
    ask: HashMap<String, Kept>,
    /// Seen changed since last kept; when it was last kept (Unix seconds).
    unsaved: bool,
    kept_at: i64,
}

/// What a host's events since the last run raise, and whether its daemon could say it all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlog {
    /// One per container and kind, as last seen, oldest first.
    pub alerts: Vec<Alert>,
    pub short: Option<Short>,
    /// The time asked from (Unix nanoseconds).
    pub since: i64,
}

/// Why a backlog may miss something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Short {
    /// The events could not be read: the daemon's words.
    Failed(String),
    /// The oldest event the daemon kept (Unix nanoseconds) is newer than the time asked
    /// from: older ones were dropped.
    ReachedOnly(i64),
    /// It kept no event at all, yet containers were created since (it restarted).
    NoneKept,
}

impl Short {
    /// What it says of `host`'s daemon, asked from `since`; `clock` writes a time (Unix
    /// nanoseconds) as the reader reads it.
    pub fn said(&self, host: &str, since: i64, clock: impl Fn(i64) -> String) -> String {
        match self {
            Short::Failed(why) => format!("{host}'s events could not be read: {why}"),
            Short::ReachedOnly(oldest) => format!(
                "{host}'s daemon kept events back to {} only, not to {}",
                clock(*oldest),
                clock(since)
            ),
            Short::NoneKept => format!(
                "{host}'s daemon kept no events back to {}, yet containers were created since",
                clock(since)
            ),
        }
    }
}

impl Times {
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
    pub fn see(&mut self, host: &str, time: i64) {
        let seen = Kept { time, event: true };
        let newest = self.seen.entry(host.to_string()).or_insert(seen);
        if !newest.event || time >= newest.time {
            *newest = seen;
            self.unsaved = true;
        }
    }

    /// `host` answered at `now` (Unix seconds): the time to ask its events from, the first
    /// time only. A host with no time yet gets this machine's clock's, so a host quiet all
    /// session still has a time to ask from next start.
    pub fn ask(&mut self, host: &str, now: i64) -> Option<i64> {
        if !self.seen.contains_key(host) {
            let time = now.saturating_mul(1_000_000_000);
            self.seen.insert(host.into(), Kept { time, event: false });
            self.unsaved = true;
        }
        Some(self.ask.get(host)?.time)
    }

    /// The times to keep, if due (`quitting`: whatever changed, now).
    pub fn keep(&mut self, now: i64, quitting: bool) -> Option<Vec<(String, Kept)>> {
        if !self.unsaved || (!quitting && now - self.kept_at < KEEP_EVERY) {
            return None;
        }
        self.unsaved = false;
        self.kept_at = now;
        let mut seen: Vec<(String, Kept)> = self.seen.clone().into_iter().collect();
        seen.sort_by(|a, b| a.0.cmp(&b.0));
        Some(seen)
    }

    /// `host`'s events since `since`, as its daemon answered: what they raise under
    /// `rules` (past: no notice, no hook), and how far back it could see. The daemon keeps
    /// a bounded backlog: when the oldest event it returns is newer than the one asked from
    /// (that event is returned too, `since` being inclusive), or it returns nothing while
    /// containers were created since (`created_since`, asked only then), it says so. `None`:
    /// not asked (or answered already).
    pub fn answer(
        &mut self,
        host: &str,
        since: i64,
        result: Result<Vec<EngineEvent>, String>,
        rules: &Rules,
        created_since: impl FnOnce() -> bool,
    ) -> Option<Backlog> {
        let asked = self.ask.remove(host)?;
        let events = match result {
            Ok(events) => events,
            Err(why) => {
                let short = Some(Short::Failed(why));
                return Some(Backlog {
                    alerts: Vec::new(),
                    short,
                    since,
                });
            }
        };
        if let Some(newest) = events.iter().map(|e| e.time).max() {
            self.see(host, newest);
        }
        let short = match events.first() {
            // Only an event's time comes back with what follows it.
            Some(oldest) if asked.event && oldest.time > since => {
                Some(Short::ReachedOnly(oldest.time))
            }
            None if created_since() => Some(Short::NoneKept),
            _ => None,
        };
        Some(Backlog {
            alerts: past_alerts(rules, host, &events),
            short,
            since,
        })
    }
}

/// The alerts `events` raise under `rules`, one per container and kind, as last seen.
fn past_alerts(rules: &Rules, host: &str, events: &[EngineEvent]) -> Vec<Alert> {
    let mut past = Watch::with_rules(rules.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_times_read_back_and_a_damaged_file_reads_as_none() {
        let dir = std::env::temp_dir().join(format!("dockpit-away-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("state").join("last-events.json");
        assert!(load(&path).is_empty(), "no file: nothing kept");
        let at = |time| Kept { time, event: true };
        keep(&path, &[("prod".into(), at(1_700_000_000_123_456_789))]).expect("kept");
        keep(&path, &[("prod".into(), at(1_700_000_001_000_000_000))]).expect("kept again");
        assert_eq!(
            load(&path).get("prod"),
            Some(&at(1_700_000_001_000_000_000))
        );
        std::fs::write(&path, "{not json").expect("write");
        assert!(load(&path).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
