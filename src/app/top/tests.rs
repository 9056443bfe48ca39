//! The top view's schedule with a fake clock and fake costs.

use std::collections::{HashMap, HashSet};

use super::schedule::{COLLECTOR_WAIT_MS, DEFAULT_COST_MS, MAX_BATCH, Schedule};
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
    // 300 containers are read in turn within 10 s: every reading at most 10 s old (once one
    // reading's cost is known: 1 ms).
    let mut s = Schedule::new(0.03);
    s.answered(-1, HOST, Vec::new(), 1, 1);
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
    // The first second runs at the default cost, the rest at 3 a second.
    assert!(
        (55..=95).contains(&total),
        "{total} readings in 20 s at 10 ms each"
    );
}

/// Ten hosts of 300 containers each: every host is paced as it would be alone (its own
/// budget, its own measured cost), so a daemon bears the same load whatever else is watched.
#[test]
fn ten_hosts_are_each_paced_as_one_host_alone() {
    let running = ids(300);
    let none = HashSet::new();
    let alone = run(&mut Schedule::new(0.03), &running, &none, (0, 30), 2);
    let alone: usize = alone.values().sum();
    let mut s = Schedule::new(0.03);
    let mut per_host = [0usize; 10];
    for now in 0..30 {
        for (h, count) in per_host.iter_mut().enumerate() {
            let host = HostId(h as u16);
            // Host 9 is ten times as costly a daemon: only its own pace slows.
            let cost = if h == 9 { 20 } else { 2 };
            if let Some(batch) = s.due(now, host, &running, &none) {
                *count += batch.len();
                let readings = batch.iter().map(|id| (id.clone(), reading(now))).collect();
                let asked = batch.len();
                s.answered(now, host, readings, cost * asked as u64, asked);
            }
        }
    }
    assert!(
        per_host[..9].iter().all(|&n| n == alone),
        "{per_host:?} vs {alone} alone"
    );
    assert!(per_host[9] * 5 < alone, "the costly host: {}", per_host[9]);
}

#[test]
fn a_batch_waits_for_the_last_one_and_credit_is_capped() {
    let running = ids(500);
    let mut s = Schedule::new(0.03);
    let first = s.due(0, HOST, &running, &HashSet::new());
    // The first second at the default cost.
    let earned = (0.03 * 1_000.0 / DEFAULT_COST_MS) as usize;
    assert_eq!(first.as_ref().map(Vec::len), Some(earned));
    // Unanswered: nothing more is asked, however long it takes.
    for now in 1..20 {
        assert_eq!(s.due(now, HOST, &running, &HashSet::new()), None, "{now}");
    }
    s.answered(20, HOST, Vec::new(), 30, earned);
    let next = s.due(21, HOST, &running, &HashSet::new());
    assert_eq!(next.map(|b| b.len()), Some(MAX_BATCH), "credit capped");
}

#[test]
fn a_local_daemons_own_cpu_sets_the_cost_not_the_batchs_time() {
    let mut s = Schedule::new(0.03);
    // Batches that take 4 ms a reading (a slow client) while the daemon spends 1 ms a
    // reading, told in 10 ms clock ticks: 0, 10 or 20 ms a batch of ten.
    for (i, spent) in [10, 0, 20, 10, 10, 0, 10, 20].into_iter().enumerate() {
        s.spent(HOST, spent, 10);
        s.answered(i as i64, HOST, Vec::new(), 40, 10);
    }
    let cost = s.cost_ms(HOST);
    assert!((cost - 1.0).abs() < 1e-9, "{cost}");
    // Fewer readings than enough: the cost is not set from them yet.
    let mut early = Schedule::new(0.03);
    early.spent(HOST, 0, 10);
    assert!((early.cost_ms(HOST) - DEFAULT_COST_MS).abs() < 1e-9);
    // A quiet spell read as no CPU at all is not free.
    for _ in 0..5 {
        early.spent(HOST, 0, 10);
    }
    assert!(early.cost_ms(HOST) >= 0.1, "{}", early.cost_ms(HOST));
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
    // 10 readings a second at the default cost: the ten first rows are the first batch.
    let mut s = Schedule::new(0.01 * DEFAULT_COST_MS);
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
fn a_tight_budget_reads_every_row_within_ten_seconds_before_reading_some_more_often() {
    // 300 rows, 30 readings a second (1 ms each, a 3 % budget): just every row in 10 s.
    let running = ids(300);
    let first: HashSet<ContainerId> = running[..40].iter().cloned().collect();
    let mut s = Schedule::new(0.03);
    let mut last_read: HashMap<ContainerId, i64> = HashMap::new();
    let mut oldest = 0;
    for now in 0..120 {
        if let Some(batch) = s.due(now, HOST, &running, &first) {
            let readings = batch.iter().map(|id| (id.clone(), reading(now))).collect();
            let asked = batch.len();
            for id in batch {
                last_read.insert(id, now);
            }
            s.answered(
                now,
                HOST,
                readings,
                u64::try_from(asked).unwrap_or(0),
                asked,
            );
        }
        if now >= 30 {
            let age = running
                .iter()
                .map(|id| now - last_read.get(id).copied().unwrap_or(0));
            oldest = oldest.max(age.max().unwrap_or(0));
        }
    }
    assert!(oldest <= 11, "the oldest reading was {oldest} s old");
    // With room to spare, the first rows are read more often again.
    let mut ample = Schedule::new(0.06);
    let count = run(&mut ample, &running, &first, (0, 60), 1);
    let of = |id: &ContainerId| count.get(id).copied().unwrap_or(0) as f64;
    let per_first = running[..40].iter().map(of).sum::<f64>() / 40.0;
    let per_rest = running[40..].iter().map(of).sum::<f64>() / 260.0;
    assert!(per_first > 1.5 * per_rest, "{per_first} vs {per_rest}");
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

mod view {
    //! The top view through `update`: keys and Docker events in, rows and commands out.

    use crate::app::list::Kind;
    use crate::app::tests::{container, docker, new_app};
    use crate::app::top::{Top, TopView};
    use crate::app::update::Event;
    use crate::app::view::View;
    use crate::app::{App, Pane};
    use crate::docker::host::{HostAnswer, HostInfo, HostQuery};
    use crate::docker::stats::Reading;
    use crate::docker::{Command, ContainerState, DockerEvent, Op, StreamId};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
        let mods = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        app.update(Event::Key(KeyEvent::new(code, mods))).commands()
    }

    fn top(app: &App) -> &TopView {
        match app.views().find_map(View::list_of::<Top>) {
            Some(v) => v,
            None => panic!("no top view"),
        }
    }

    /// The rows shown, each as its cells (NAME, CPU %, …).
    fn shown(app: &App) -> Vec<Vec<String>> {
        let view = top(app);
        (view.shown(&app.host_names).iter())
            .map(|r| view.kind.cells(&r.row))
            .collect()
    }

    /// `web` busy (a core and a half of 4), `db` idle, `old` exited.
    fn reading(busy: bool, t: u64) -> Reading {
        Reading {
            cpu_total: if busy { t * 1_500 } else { t * 10 },
            system_total: t * 4_000,
            cpus: 4,
            memory: if busy { 50_000_000 } else { 1_000_000 },
            memory_limit: 1_000_000_000,
            net_rx: t * 1_000,
            pids: 3,
            ..Reading::default()
        }
    }

    /// The two running containers' readings at `t` answer a batch: what is sent next.
    fn answer(app: &mut App, id: StreamId, t: u64) -> Vec<Command> {
        let readings = vec![
            ("id-web".into(), reading(true, t)),
            ("id-db".into(), reading(false, t)),
        ];
        app.update(docker(DockerEvent::TopReadings {
            id,
            readings,
            asked: 2,
            elapsed_ms: 2,
            daemon_ms: None,
        }))
        .commands()
    }

    fn opened() -> (App, StreamId) {
        let mut app = new_app(100, (160, 45));
        app.update(docker(DockerEvent::Snapshot {
            images: vec![],
            containers: vec![
                container("db", ContainerState::Running),
                container("old", ContainerState::Exited),
                container("web", ContainerState::Running),
            ],
        }));
        app.focus = Pane::Containers;
        let commands = press(&mut app, KeyCode::Char('T'));
        let id = top(&app).room.id;
        assert!(commands.contains(&Command::Host {
            id,
            host: Default::default(),
            query: HostQuery::Info
        }));
        let read: Vec<&Command> = commands
            .iter()
            .filter(|c| matches!(c, Command::ReadTop { .. }))
            .collect();
        let [Command::ReadTop { ids, .. }] = read.as_slice() else {
            panic!("one batch: {commands:?}");
        };
        assert_eq!(
            ids.len(),
            2,
            "the running containers, read at once: {ids:?}"
        );
        (app, id)
    }

    #[test]
    fn running_containers_sort_by_cpu_under_their_hosts_row() {
        let (mut app, id) = opened();
        app.update(docker(DockerEvent::Host {
            id,
            result: Ok(HostAnswer::Info(HostInfo {
                cpus: 4,
                memory: 8_000_000_000,
            })),
        }));
        answer(&mut app, id, 100);
        app.update(Event::Tick(101));
        let rows = shown(&app);
        assert_eq!(
            rows.len(),
            3,
            "the host's row and its two running: {rows:?}"
        );
        assert_eq!(rows[0][0], "▾ unix:///test.sock [4 CPUs 8GB]");
        // One reading: memory shows, CPU and rates wait for the second.
        let web = rows
            .iter()
            .find(|r| r[0] == "web")
            .cloned()
            .unwrap_or_default();
        assert_eq!((&web[1][..], &web[3][..], &web[6][..]), ("…", "50MB", "…"));
        // The second reading, 2 s later.
        app.update(Event::Tick(102));
        answer(&mut app, id, 102);
        app.update(Event::Tick(103));
        let rows = shown(&app);
        let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(&names[1..], ["web", "db"], "busiest first");
        // 1,500 of 4,000 on 4 cpus: 150 % of a core, 37.5 % of the host.
        assert_eq!((&rows[1][1][..], &rows[1][2][..]), ("150.0%", "37.5%"));
        assert_eq!(rows[1][6], "1kB/s");
        assert_eq!(rows[1][12], "1s", "the reading's age");
        // The host's row totals its containers.
        assert_eq!(rows[0][3], "51MB");
        // `<` reverses: the idle one first, the host's row still on top.
        press(&mut app, KeyCode::Char('<'));
        let names: Vec<String> = shown(&app).into_iter().map(|r| r[0].clone()).collect();
        assert_eq!(&names[1..], ["db", "web"]);
        // `>` steps on to HOST %, then MEM: each busiest first, as CPU % opened.
        for header in ["HOST %", "MEM"] {
            press(&mut app, KeyCode::Char('>'));
            let view = top(&app);
            let at = view.sort.map(|(at, _)| at);
            let columns = view.kind.columns();
            assert_eq!(
                at.and_then(|at| columns.get(at)).map(|c| c.header),
                Some(header)
            );
            let names: Vec<String> = shown(&app).into_iter().map(|r| r[0].clone()).collect();
            assert_eq!(&names[1..], ["web", "db"], "by {header}: busiest first");
        }
    }

    #[test]
    fn enter_opens_stats_and_container_keys_act_on_the_row() {
        let (mut app, id) = opened();
        answer(&mut app, id, 100);
        app.update(Event::Tick(101));
        // On the host's row nothing happens but a word why.
        press(&mut app, KeyCode::Enter);
        assert!(app.view.as_ref().and_then(View::list_of::<Top>).is_some());
        let said = app.activity.status.as_ref().map(|s| s.text.clone());
        assert!(said.unwrap_or_default().contains("host's row"));
        // Down to a container: Enter opens its stats over the top view.
        press(&mut app, KeyCode::Char('j'));
        let selected = top(&app).selected().map(|r| r.row.name.clone());
        let commands = press(&mut app, KeyCode::Enter);
        let Some(View::Stats(stats)) = &app.view else {
            panic!("no stats view");
        };
        assert_eq!(Some(&stats.container), selected.as_ref());
        assert!(
            commands
                .iter()
                .any(|c| matches!(c, Command::FollowStats { .. }))
        );
        // Esc: the top view is back.
        press(&mut app, KeyCode::Esc);
        assert!(app.view.as_ref().and_then(View::list_of::<Top>).is_some());
        // `x` stops the selected container and the view stays.
        let commands = press(&mut app, KeyCode::Char('x'));
        let stopped: Vec<String> = (commands.iter())
            .filter_map(|c| match c {
                Command::Op {
                    op: Op::Stop { target, .. },
                    ..
                } => Some(target.name.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(stopped, [selected.unwrap_or_default()]);
        assert!(app.view.as_ref().and_then(View::list_of::<Top>).is_some());
    }

    #[test]
    fn readings_wait_while_a_view_is_over_it_and_the_budget_paces_them() {
        let (mut app, id) = opened();
        // The batch has not answered: no other is asked.
        let asked = |commands: &[Command]| {
            commands
                .iter()
                .any(|c| matches!(c, Command::ReadTop { .. }))
        };
        assert!(!asked(&app.send_tick(101)));
        // Answered: the next batch at once, from what the second in flight earned.
        assert!(asked(&answer(&mut app, id, 101)));
        assert!(!asked(&app.send_tick(102)), "in flight");
        answer(&mut app, id, 102);
        // A view over it: nothing read meanwhile.
        press(&mut app, KeyCode::Char('j'));
        press(&mut app, KeyCode::Enter);
        assert!(matches!(app.view, Some(View::Stats(_))));
        assert!(!asked(&app.send_tick(103)));
    }

    impl App {
        fn send_tick(&mut self, now: i64) -> Vec<Command> {
            self.update(Event::Tick(now)).commands()
        }
    }
}

/// Help over top lists the containers pane's keys that act on its rows, not the others
/// (`A`, `C`, `U` say "does nothing" there).
#[test]
fn help_over_top_lists_only_the_container_keys_it_takes() {
    use crate::app::keymap::{Keymap, Scope};
    use crate::app::{Pane, PaneAction};
    let keymap = Keymap::default();
    let help = keymap.sections_for(&[Scope::List, Scope::Top, Scope::Pane(Pane::Containers)]);
    let listed: Vec<_> = help.iter().flat_map(|(_, b)| b).map(|b| b.action).collect();
    let pane = |a| crate::app::Action::Pane(a);
    assert!(listed.contains(&pane(PaneAction::Logs)));
    assert!(listed.contains(&pane(PaneAction::Stop)));
    for not in [
        PaneAction::ToggleAll,
        PaneAction::ToggleGroups,
        PaneAction::Pull,
    ] {
        assert!(!listed.contains(&pane(not)), "{not:?} listed: {listed:?}");
    }
}

/// A reading of a container between two runs (a restart policy's loop) has no memory
/// limit: LIMIT waits (`…`) rather than saying 0 B.
#[test]
fn a_reading_with_no_limit_shows_none() {
    let c = crate::app::tests::container("loop", crate::docker::ContainerState::Restarting);
    let track = super::schedule::Track {
        last: Reading::default(),
        at: 100,
        prev: None,
        cpu: Default::default(),
    };
    let row = super::container_row(&c, Some(&track), 2, 100);
    assert_eq!((row.limit, row.memory_percent), (None, None));
}
