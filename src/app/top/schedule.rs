//! When each container of the top view is read, at a pace each daemon can bear. Pure: the
//! app's clock (unix seconds) and the costs the Docker task measured come in; which
//! containers to read go out. No I/O.
//!
//! A stats stream per container costs the daemon dearly (moby #39664: 15–20 % of a core with
//! 14 containers), so readings are one-shot requests, round-robin per host: the oldest
//! reading first, the rows in view and the top of the sort counting as older (read more
//! often). A host's readings may take `budget` of its daemon's time: from the measured cost
//! of one reading, each second earns the host `budget / cost` readings, spent as one batch
//! when the last one has answered. The Docker task reads a batch one request at a time, so
//! its time over its readings is what one costs (see `docker::stats::read_timed`).

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use crate::docker::stats::Reading;
use crate::docker::{ContainerId, HostId};

/// A host's readings take at most this share of its daemon's time (`[top] budget`).
/// 2.7 %: the pace follows the cost measured over the last ~300 readings and runs a little
/// above its budget (+3.19 % of Engine 26 at 3 %, +2.96 % at 2.7 %, with every row read
/// within 9 s: `tests/top_perf.sh`), so the default keeps a daemon under 3 %.
pub const DEFAULT_BUDGET: f64 = 0.027;
/// What one reading is taken to cost the daemon until it is measured, in milliseconds (and
/// on Engine 20.10, whose answers wait for its collector: see [`COLLECTOR_WAIT_MS`]).
/// Measured with `tests/top_perf.sh`: 1.9 ms of dockerd + containerd on Engine 20.10 here.
pub const DEFAULT_COST_MS: f64 = 2.0;
/// A batch that took longer waited for the daemon's stats collector: it says nothing about
/// the cost.
pub use crate::docker::stats::COLLECTOR_WAIT_MS;
/// At most this many readings in one batch (and credit kept for later).
pub const MAX_BATCH: usize = 128;
/// The CPU history drawn as a sparkline, in seconds.
pub const HISTORY_SECS: i64 = 60;
/// Rows in view and the top of the sort count their reading's age up to this many times
/// (so are read up to this much more often)…
const FIRST_WEIGHT: f64 = 3.0;
/// …as far as the budget still reads every row within this many seconds.
const EVERY_ROW_SECS: f64 = 10.0;
/// A batch unanswered this long is taken as lost (its host went away and came back).
const LOST_AFTER_SECS: i64 = 30;
/// A local daemon's CPU is summed over about this many recent readings.
const SPENT_WINDOW: f64 = 300.0;
/// Readings before that sum sets the cost.
const SPENT_ENOUGH: f64 = 30.0;
/// No reading is taken to cost less (a quiet spell read as no CPU at all).
const MIN_COST_MS: f64 = 0.1;
/// The weight of a new cost measure in the running estimate.
const COST_SMOOTHING: f64 = 0.3;

/// How many times its age a row read first counts: [`FIRST_WEIGHT`], less when the budget
/// then could not read every row within [`EVERY_ROW_SECS`] (at `per_second` readings a
/// second, the first rows read `w` times as often take `(w - 1)` readings each more per
/// round), and never under 1 (they are still read first).
fn first_weight(per_second: f64, running: &[ContainerId], first: &HashSet<ContainerId>) -> f64 {
    let firsts = running.iter().filter(|id| first.contains(*id)).count() as f64;
    if firsts == 0.0 {
        return 1.0;
    }
    let slack = per_second * EVERY_ROW_SECS - running.len() as f64;
    (1.0 + slack / firsts).clamp(1.0, FIRST_WEIGHT)
}

/// A container's readings: the last two (a rate needs both) and its recent CPU %.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    pub last: Reading,
    /// When the last reading arrived (the app's clock, unix seconds).
    pub at: i64,
    pub prev: Option<(Reading, i64)>,
    /// CPU % (100 = one core) at each reading of the last minute, oldest first.
    pub cpu: VecDeque<(i64, f64)>,
}

impl Track {
    /// CPU % between the last two readings (100 = one core); `None` until there are two.
    pub fn cpu_percent(&self) -> Option<f64> {
        let (prev, _) = self.prev.as_ref()?;
        self.last.cpu_percent_since(prev)
    }

    /// A counter's change per second between the last two readings (by the daemon's
    /// timestamps when both have one, else by when they arrived); `None` until there are
    /// two, or when the counter went back (a restart).
    pub fn rate(&self, counter: fn(&Reading) -> u64) -> Option<f64> {
        let (prev, prev_at) = self.prev.as_ref()?;
        let millis = match (prev.taken_ms, self.last.taken_ms) {
            (a, b) if a > 0 && b > 0 => b - a,
            _ => (self.at - prev_at) * 1_000,
        };
        let delta = counter(&self.last).checked_sub(counter(prev))?;
        (millis > 0).then(|| delta as f64 * 1_000.0 / millis as f64)
    }
}

/// A host's pace.
#[derive(Debug, Clone, Default, PartialEq)]
struct Pace {
    /// Readings earned and not spent yet.
    credit: f64,
    /// One reading's measured cost, in milliseconds of the daemon's time.
    cost_ms: Option<f64>,
    /// A local daemon's own CPU over recent batches and their readings (milliseconds,
    /// readings), forgotten as more come: the cost then comes from it, not from batch times.
    spent: (f64, f64),
    /// A batch was asked for at this time and has not answered.
    in_flight: Option<i64>,
    last_tick: Option<i64>,
}

/// Every watched host's pace and every read container's track.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// The share of each daemon's time its readings may take.
    pub budget: f64,
    paces: BTreeMap<HostId, Pace>,
    pub tracks: HashMap<(HostId, ContainerId), Track>,
}

impl Default for Schedule {
    fn default() -> Self {
        Self::new(DEFAULT_BUDGET)
    }
}

impl Schedule {
    pub fn new(budget: f64) -> Self {
        Self {
            budget,
            paces: BTreeMap::new(),
            tracks: HashMap::new(),
        }
    }

    /// One reading's cost on `host`: measured, else the default (milliseconds).
    pub fn cost_ms(&self, host: HostId) -> f64 {
        (self.paces.get(&host))
            .and_then(|p| p.cost_ms)
            .unwrap_or(DEFAULT_COST_MS)
    }

    /// Readings a second `host` may take.
    pub fn per_second(&self, host: HostId) -> f64 {
        self.budget * 1_000.0 / self.cost_ms(host)
    }

    /// The clock ticked (`now`, unix seconds): the containers of `host` to read now, if a
    /// batch is due. `running`: its running containers; `first`: those read first (in
    /// view, the top of the sort).
    pub fn due(
        &mut self,
        now: i64,
        host: HostId,
        running: &[ContainerId],
        first: &HashSet<ContainerId>,
    ) -> Option<Vec<ContainerId>> {
        let per_second = self.per_second(host);
        let pace = self.paces.entry(host).or_default();
        let elapsed = match pace.last_tick {
            // The first tick earns a second's worth: the view fills at once.
            None => 1,
            Some(then) => (now - then).max(0),
        };
        pace.last_tick = Some(now);
        pace.credit = (pace.credit + elapsed as f64 * per_second).min(MAX_BATCH as f64);
        let waiting = pace.in_flight.is_some_and(|at| now - at < LOST_AFTER_SECS);
        if waiting || pace.credit < 1.0 || running.is_empty() {
            return None;
        }
        let n = (pace.credit as usize).min(running.len());
        pace.credit -= n as f64;
        pace.in_flight = Some(now);
        let weight = first_weight(per_second, running, first);
        let mut order: Vec<(OrderKey, &ContainerId)> = running
            .iter()
            .map(|id| {
                (
                    self.order(now, host, id, first.contains(id).then_some(weight)),
                    id,
                )
            })
            .collect();
        order.sort();
        Some(
            order
                .into_iter()
                .take(n)
                .map(|(_, id)| id.clone())
                .collect(),
        )
    }

    /// Never read first, then read once (a rate needs two), then the oldest reading, a
    /// reading of one read first (`first`: its weight) counting as older.
    fn order(&self, now: i64, host: HostId, id: &ContainerId, first: Option<f64>) -> OrderKey {
        let is_first = first.is_some();
        // Milliseconds of age, weighted: whole seconds times a fractional weight.
        let aged = |at: i64| -((now - at) as f64 * first.unwrap_or(1.0) * 1_000.0) as i64;
        match self.tracks.get(&(host, id.clone())) {
            None => (0, !is_first, 0),
            Some(t) if t.prev.is_none() => (1, !is_first, -(now - t.at)),
            Some(t) => (2, false, aged(t.at)),
        }
    }

    /// A batch answered at `now`: its readings (those that failed are missing), the
    /// milliseconds it took and how many were asked for (sent at once).
    pub fn answered(
        &mut self,
        now: i64,
        host: HostId,
        readings: Vec<(ContainerId, Reading)>,
        elapsed_ms: u64,
        asked: usize,
    ) {
        let pace = self.paces.entry(host).or_default();
        pace.in_flight = None;
        if asked > 0 && elapsed_ms < COLLECTOR_WAIT_MS && pace.spent.1 == 0.0 {
            let measured = elapsed_ms.max(1) as f64 / asked as f64;
            pace.cost_ms = Some(match pace.cost_ms {
                None => measured,
                Some(cost) => cost + COST_SMOOTHING * (measured - cost),
            });
        }
        for (id, reading) in readings {
            self.read(now, host, id, reading);
        }
    }

    /// What a local daemon's processes spent over a batch of `asked` readings (read from
    /// /proc, in whole clock ticks: summed over recent batches, whose count makes the ticks'
    /// 10 ms steps small). Everything the daemon did meanwhile counts, so the cost errs high.
    pub fn spent(&mut self, host: HostId, cpu_ms: u64, asked: usize) {
        let pace = self.paces.entry(host).or_default();
        let (mut ms, mut readings) = pace.spent;
        ms += cpu_ms as f64;
        readings += asked as f64;
        if readings > SPENT_WINDOW {
            ms *= SPENT_WINDOW / readings;
            readings = SPENT_WINDOW;
        }
        pace.spent = (ms, readings);
        if readings >= SPENT_ENOUGH {
            pace.cost_ms = Some((ms / readings).max(MIN_COST_MS));
        }
    }

    fn read(&mut self, now: i64, host: HostId, id: ContainerId, reading: Reading) {
        let track = self.tracks.entry((host, id)).or_insert_with(|| Track {
            last: reading,
            at: now,
            prev: None,
            cpu: VecDeque::new(),
        });
        if track.at == now && track.last == reading {
            return;
        }
        track.prev = Some((track.last, track.at));
        track.last = reading;
        track.at = now;
        if let Some(cpu) = track.cpu_percent() {
            track.cpu.push_back((now, cpu));
        }
        while track
            .cpu
            .front()
            .is_some_and(|(t, _)| now - t > HISTORY_SECS)
        {
            track.cpu.pop_front();
        }
    }

    /// Forgets the tracks of `host`'s containers that no longer run, and a host gone.
    pub fn keep(&mut self, host: HostId, running: &HashSet<ContainerId>) {
        self.tracks
            .retain(|(h, id), _| *h != host || running.contains(id));
    }

    /// The hosts it paces.
    pub fn hosts(&self) -> Vec<HostId> {
        self.paces.keys().copied().collect()
    }

    /// Forgets a host (removed or down): a batch in flight will not answer.
    pub fn forget_host(&mut self, host: HostId) {
        self.paces.remove(&host);
        self.tracks.retain(|(h, _), _| *h != host);
    }

    /// The oldest reading's age among `host`'s tracks, in seconds.
    pub fn oldest(&self, now: i64, host: HostId) -> Option<i64> {
        (self.tracks.iter())
            .filter(|((h, _), _)| *h == host)
            .map(|(_, t)| now - t.at)
            .max()
    }
}

/// (never read / read once / read twice or more, not read first, minus the weighted age).
type OrderKey = (u8, bool, i64);
