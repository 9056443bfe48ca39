//! The top view's schedule with a fake clock and fake costs.

use std::collections::{HashMap, HashSet};

use super::schedule::{COLLECTOR_WAIT_MS, MAX_BATCH, Schedule};
use crate::docker::stats::Reading;
use crate::docker::{ContainerId, HostId};

const HOST: HostId = HostId(0);

fn ids(n: usize) -> Vec<ContainerId> {
    (0..n).map(|i| ContainerId(format!("c{i:03}"))).collect()
}

/// A reading whose counters grow with `t` (the daemon's clock, seconds).
fn reading(t: i64) -> Reading {
    let t = u64::try_from(t).unwrap_or(0);
    Reading {
        cpu_total: t * 500,
        system_total: t * 2_000,
        cpus: 2,
        memory: 1_000,
        net_rx: t * 4_096,
        ..Reading::default()
    }
}

/// Runs the clock from `from` to `to` seconds: each tick's batch is answered at once, as if
/// each of its readings cost `cost_ms`. Returns how often each container was read.
fn run(
    schedule: &mut Schedule,
    running: &[ContainerId],
    first: &HashSet<ContainerId>,
    (from, to): (i64, i64),
    cost_ms: u64,
) -> HashMap<ContainerId, usize> {
    let mut count = HashMap::new();
    for now in from..to {
        if let Some(batch) = schedule.due(now, HOST, running, first) {
            for id in &batch {
                *count.entry(id.clone()).or_insert(0) += 1;
            }
            let readings = batch.iter().map(|id| (id.clone(), reading(now))).collect();
            let asked = batch.len();
            let elapsed = cost_ms * u64::try_from(asked).unwrap_or(0);
            schedule.answered(now, HOST, readings, elapsed, asked);
        }
    }
    count
}

#[test]
fn the_budget_and_the_measured_cost_set_the_pace() {
    let running = ids(300);
    // 3 % of the daemon's time at 1 ms a reading: 30 readings a second.
    let mut s = Schedule::new(0.03);
    run(&mut s, &running, &HashSet::new(), (0, 2), 1);
    assert!((s.cost_ms(HOST) - 1.0).abs() < 1e-9, "{}", s.cost_ms(HOST));
    let batch = s.due(2, HOST, &running, &HashSet::new());
    assert_eq!(batch.map(|b| b.len()), Some(30));
    // 300 containers are read in turn within 10 s: every reading at most 10 s old.
    let mut s = Schedule::new(0.03);
    let count = run(&mut s, &running, &HashSet::new(), (0, 10), 1);
    assert_eq!(count.len(), 300, "every container read once in 10 s");
    assert!(
        count.values().all(|&n| n == 1),
        "none twice before all once"
    );
    assert_eq!(s.oldest(10, HOST), Some(10));
    // Readings that cost 10 ms: a tenth of the pace.
    let mut s = Schedule::new(0.03);
    let count = run(&mut s, &running, &HashSet::new(), (0, 20), 10);
    let total: usize = count.values().sum();
    // The first second runs at the default cost (1 ms, 30), the rest at 3 a second.
    assert!(
        (55..=95).contains(&total),
        "{total} readings in 20 s at 10 ms each"
    );
}

#[test]
fn a_batch_waits_for_the_last_one_and_credit_is_capped() {
    let running = ids(500);
    let mut s = Schedule::new(0.03);
    let first = s.due(0, HOST, &running, &HashSet::new());
    assert_eq!(first.as_ref().map(Vec::len), Some(30));
    // Unanswered: nothing more is asked, however long it takes.
    for now in 1..20 {
        assert_eq!(s.due(now, HOST, &running, &HashSet::new()), None, "{now}");
    }
    s.answered(20, HOST, Vec::new(), 30, 30);
    let next = s.due(21, HOST, &running, &HashSet::new());
    assert_eq!(next.map(|b| b.len()), Some(MAX_BATCH), "credit capped");
}

#[test]
fn a_wait_for_the_daemons_collector_is_not_counted_as_cost() {
    let running = ids(10);
    let mut s = Schedule::new(0.03);
    run(&mut s, &running, &HashSet::new(), (0, 3), 2);
    let cost = s.cost_ms(HOST);
    assert!((cost - 2.0).abs() < 1e-9, "{cost}");
    let batch = s
        .due(3, HOST, &running, &HashSet::new())
        .unwrap_or_default();
    s.answered(3, HOST, Vec::new(), COLLECTOR_WAIT_MS + 500, batch.len());
    assert!(
        (s.cost_ms(HOST) - cost).abs() < 1e-9,
        "unchanged by a 1 s wait"
    );
}

#[test]
fn rows_in_view_and_the_top_of_the_sort_are_read_first_and_more_often() {
    let running = ids(100);
    let first: HashSet<ContainerId> = running[90..].iter().cloned().collect();
    let mut s = Schedule::new(0.01);
    // 10 readings a second (1 ms each): the ten first rows are the first batch.
    let batch = s.due(0, HOST, &running, &first).unwrap_or_default();
    let batch: HashSet<ContainerId> = batch.into_iter().collect();
    assert_eq!(batch, first);
    s.answered(0, HOST, Vec::new(), 10, 10);
    let count = run(&mut s, &running, &first, (1, 61), 1);
    let of = |id: &ContainerId| count.get(id).copied().unwrap_or(0);
    let firsts: usize = running[90..].iter().map(of).sum();
    let rest: usize = running[..90].iter().map(of).sum();
    assert!(running[..90].iter().all(|id| of(id) >= 4), "no row starves");
    // Per row, a first row is read about three times as often.
    let (per_first, per_rest) = (firsts as f64 / 10.0, rest as f64 / 90.0);
    assert!(per_first > 2.0 * per_rest, "{per_first} vs {per_rest}");
}

#[test]
fn a_rate_needs_two_readings_and_each_reading_keeps_its_age() {
    let running = ids(1);
    let mut s = Schedule::new(0.03);
    let batch = s
        .due(100, HOST, &running, &HashSet::new())
        .unwrap_or_default();
    s.answered(100, HOST, vec![(batch[0].clone(), reading(100))], 1, 1);
    let track = &s.tracks[&(HOST, running[0].clone())];
    assert_eq!(track.cpu_percent(), None, "one reading: no CPU % yet");
    assert_eq!(track.rate(|r| r.net_rx), None, "one reading: no rate yet");
    assert_eq!(track.at, 100);
    let batch = s
        .due(104, HOST, &running, &HashSet::new())
        .unwrap_or_default();
    s.answered(104, HOST, vec![(batch[0].clone(), reading(104))], 1, 1);
    let track = &s.tracks[&(HOST, running[0].clone())];
    // 500 of 2,000 on 2 cpus: half a core.
    assert_eq!(track.cpu_percent(), Some(50.0));
    assert_eq!(track.rate(|r| r.net_rx), Some(4_096.0));
    assert_eq!(track.cpu.iter().map(|(t, _)| *t).collect::<Vec<_>>(), [104]);
    assert_eq!(s.oldest(107, HOST), Some(3));
    // The daemon's own timestamps win over when the readings arrived.
    let mut taken = track.clone();
    taken.prev = Some((
        Reading {
            taken_ms: 1_000,
            ..reading(100)
        },
        100,
    ));
    taken.last.taken_ms = 3_000;
    assert_eq!(taken.rate(|r| r.net_rx), Some(4.0 * 4_096.0 / 2.0));
}

#[test]
fn containers_gone_and_hosts_gone_are_forgotten() {
    let running = ids(3);
    let mut s = Schedule::new(0.03);
    run(&mut s, &running, &HashSet::new(), (0, 2), 1);
    assert_eq!(s.tracks.len(), 3);
    let still: HashSet<ContainerId> = running[..1].iter().cloned().collect();
    s.keep(HOST, &still);
    assert_eq!(s.tracks.len(), 1);
    // A host gone with a batch in flight: asked again from scratch when it is back.
    assert!(s.due(5, HOST, &running, &HashSet::new()).is_some());
    s.forget_host(HOST);
    assert!(s.tracks.is_empty());
    assert!(s.due(6, HOST, &running, &HashSet::new()).is_some());
}
