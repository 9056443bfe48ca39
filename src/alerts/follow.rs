//! `dockpit alerts --follow`: every watched host's events through the alert rules, each
//! change a JSON line on stdout (and `--hook` run), without a screen. On connect each host
//! is asked what happened since the last run, dockpit's or this one's (the same
//! [`crate::away::Times`] and state file as the dashboard): what that raises is printed
//! first as lines with `"backlog": true` (no hook: it is past), with a `backlog-short` line
//! when the daemon could not reach back that far. The times are kept as the dashboard keeps
//! them: every few seconds at most, and at the end. A Swarm manager's tasks are looked at
//! as the dashboard looks at them ([`super::TaskLooks`], [`Watch::task_look`]).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedReceiver;

use super::{Change, Rules, TaskLooks, Watch};
use crate::away::{Backlog, Times};
use crate::docker::fleet::Fleet;
use crate::docker::swarm::Membership;
use crate::docker::{Command, DockerEvent, HostId};

/// What `--follow` was told.
pub struct Options {
    /// `--hook`'s words, run for each live alert.
    pub hook: Option<Vec<String>>,
    pub hook_timeout: Duration,
    /// The kept times' file ([`crate::away::path`]).
    pub state: PathBuf,
}

/// What an event makes the follower do.
#[derive(Debug, Default, PartialEq)]
pub struct Output {
    /// JSON lines to print, in order.
    pub lines: Vec<Value>,
    /// Live changes whose hook runs.
    pub hooks: Vec<Change>,
    /// A question for the host (its events since the last run).
    pub ask: Option<Command>,
}

/// The follower's state, pure: events in, lines out.
pub struct Follower {
    /// Host names by [`HostId`].
    names: Vec<String>,
    watch: Watch,
    pub times: Times,
    /// Per host: the newest container's creation (Unix seconds), for a backlog that comes
    /// back empty.
    created: HashMap<HostId, i64>,
    /// The hosts that answer, and their part in a Swarm.
    up: HashMap<HostId, Option<Membership>>,
    task_looks: TaskLooks,
}

impl Follower {
    pub fn new(names: Vec<String>, rules: Rules, times: Times) -> Self {
        Self {
            names,
            watch: Watch::with_rules(rules),
            times,
            created: HashMap::new(),
            up: HashMap::new(),
            task_looks: TaskLooks::default(),
        }
    }

    /// Each second: the Swarm managers' tasks, when due.
    pub fn tick(&mut self, now: i64) -> Vec<(HostId, Command)> {
        if !self.watch.looks_at_tasks() {
            return Vec::new();
        }
        let managers: Vec<HostId> = (self.up.iter())
            .filter(|(_, m)| m.as_ref().is_some_and(|m| m.manager))
            .map(|(h, _)| *h)
            .collect();
        (self.task_looks.due(&managers, now).into_iter())
            .map(|host| (host, Command::SwarmTasks { host }))
            .collect()
    }

    fn name(&self, host: HostId) -> String {
        (self.names.get(usize::from(host.0))).map_or_else(|| "?".into(), String::clone)
    }

    /// `host`'s event at `now` (Unix seconds).
    pub fn on(&mut self, host: HostId, event: DockerEvent, now: i64) -> Output {
        let name = self.name(host);
        let mut out = Output::default();
        let changes = match event {
            DockerEvent::Engine(e) => {
                self.times.see(&name, e.time);
                self.watch.event(&name, &e)
            }
            DockerEvent::Connected(_) => {
                self.up.entry(host).or_default();
                let since = self.times.ask(&name, now);
                out.ask = since.map(|since| Command::PastEvents { host, since });
                self.watch.host_up(&name, now)
            }
            DockerEvent::Disconnected(e, _) => {
                self.up.remove(&host);
                self.watch.host_down(&name, &e.to_string(), now)
            }
            DockerEvent::Swarm(membership) => {
                if let Some(m) = self.up.get_mut(&host) {
                    *m = membership;
                }
                Vec::new()
            }
            DockerEvent::SwarmTasks(Ok(tasks)) => {
                // The nodes watched report their tasks' exits themselves.
                let watched: HashSet<String> = (self.up.values().flatten())
                    .map(|m| m.node_id.clone())
                    .collect();
                self.watch.task_look(&name, &tasks, &watched, now)
            }
            DockerEvent::SwarmTasks(Err(e)) => {
                tracing::warn!(host = %name, "the Swarm's tasks could not be read: {e}");
                Vec::new()
            }
            DockerEvent::PastEvents { since, result } => {
                let created = self.created.get(&host).copied().unwrap_or(0);
                let created_since = || created.saturating_mul(1_000_000_000) > since;
                let rules = &self.watch.rules;
                if let Some(b) = self
                    .times
                    .answer(&name, since, result, rules, created_since)
                {
                    out.lines = backlog_lines(&name, b, now);
                }
                Vec::new()
            }
            DockerEvent::FirstRows(rows)
            | DockerEvent::Snapshot {
                containers: rows, ..
            }
            | DockerEvent::ContainersChanged { changed: rows, .. } => {
                let newest = rows.iter().map(|c| c.created).max().unwrap_or(0);
                let known = self.created.entry(host).or_default();
                *known = newest.max(*known);
                Vec::new()
            }
            _ => Vec::new(),
        };
        for change in changes {
            let mut line = change.json();
            line["backlog"] = json!(false);
            out.lines.push(line);
            out.hooks.push(change);
        }
        out
    }
}

fn rfc3339(secs: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(secs, 0).map(|t| t.to_rfc3339())
}

/// A host's backlog as JSON lines: each alert as raised, then whether the daemon's backlog
/// fell short.
fn backlog_lines(host: &str, backlog: Backlog, now: i64) -> Vec<Value> {
    let mut lines: Vec<Value> = (backlog.alerts.into_iter())
        .map(|a| {
            let mut line = Change::Raised(a).json();
            line["backlog"] = json!(true);
            line
        })
        .collect();
    if let Some(short) = backlog.short {
        let secs = |nanos: i64| nanos.div_euclid(1_000_000_000);
        let clock = |nanos: i64| rfc3339(secs(nanos)).unwrap_or_else(|| "?".into());
        let mut line = json!({
            "time": rfc3339(now),
            "state": "note",
            "kind": "backlog-short",
            "host": host,
            "message": short.said(host, backlog.since, clock),
            "since": rfc3339(secs(backlog.since)),
            "backlog": true,
        });
        if let crate::away::Short::ReachedOnly(oldest) = short {
            line["reached"] = json!(rfc3339(secs(oldest)));
        }
        lines.push(line);
    }
    lines
}

/// Follows `events` until `stop` resolves, stdout closes or every host's worker ends.
pub async fn follow(
    fleet: Fleet,
    mut events: UnboundedReceiver<(HostId, DockerEvent)>,
    mut follower: Follower,
    options: Options,
    stop: impl std::future::Future<Output = ()>,
) {
    let mut stop = std::pin::pin!(stop);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        let (host, event) = tokio::select! {
            Some(got) = events.recv() => got,
            _ = tick.tick() => {
                keep(&mut follower, &options, false);
                for (host, ask) in follower.tick(chrono::Utc::now().timestamp()) {
                    fleet.send(host, ask);
                }
                continue;
            }
            () = &mut stop => break,
            else => break,
        };
        let out = follower.on(host, event, chrono::Utc::now().timestamp());
        if let Some(ask) = out.ask {
            fleet.send(host, ask);
        }
        if print(&out.lines).is_err() {
            // Whoever read the lines is gone.
            break;
        }
        for change in out.hooks {
            if let Some(words) = &options.hook {
                tokio::spawn(run_hook(words.clone(), change.env(), options.hook_timeout));
            }
        }
    }
    keep(&mut follower, &options, true);
}

fn print(lines: &[Value]) -> std::io::Result<()> {
    use std::io::Write;
    if lines.is_empty() {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    for line in lines {
        writeln!(out, "{line}")?;
    }
    out.flush()
}

/// The times seen, written when due (`end`: now, whatever changed).
fn keep(follower: &mut Follower, options: &Options, end: bool) {
    let Some(seen) = follower.times.keep(chrono::Utc::now().timestamp(), end) else {
        return;
    };
    if let Err(e) = crate::away::keep(&options.state, &seen) {
        eprintln!(
            "dockpit: cannot keep the last event times in {}: {e}",
            options.state.display()
        );
    }
}

/// One alert's hook: `words` with the alert in its environment; how it failed (its exit
/// status, or its timeout, after which it is killed) on stderr. Its output is dropped: the
/// JSON lines alone are on stdout.
async fn run_hook(words: Vec<String>, env: Vec<(String, String)>, timeout: Duration) {
    let call = crate::custom::Invocation {
        name: format!("the hook {}", words.first().map_or("", String::as_str)),
        argv: words,
        env,
    };
    if let Err(why) = crate::custom::run_hook(&call, timeout).await {
        eprintln!("dockpit: {why}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::away::Kept;

    const SEC: i64 = 1_000_000_000;
    /// 2026-12-05 03:00 UTC.
    const DAY: i64 = 1_796_439_600;

    use crate::app::tests::die_event as die;

    fn connected() -> DockerEvent {
        DockerEvent::Connected(crate::app::tests::engine_info())
    }

    /// A follower whose last run saw "prod" up to `since` (an event's time).
    fn restarted(since: i64) -> Follower {
        let kept = Kept {
            time: since,
            event: true,
        };
        let times = Times::from_kept(HashMap::from([("prod".to_string(), kept)]));
        Follower::new(vec!["prod".into()], Rules::default(), times)
    }

    #[test]
    fn what_happened_since_the_last_run_is_printed_first_as_backlog() {
        let since = (DAY + 10 * 60) * SEC;
        let mut f = restarted(since);
        let host = HostId(0);
        let out = f.on(host, connected(), DAY + 20 * 60);
        assert_eq!(out.ask, Some(Command::PastEvents { host, since }));
        let mut last_seen = die("old", "0", 0);
        last_seen.time = since;
        let answer = DockerEvent::PastEvents {
            since,
            result: Ok(vec![last_seen, die("web", "3", DAY + 15 * 60)]),
        };
        let out = f.on(host, answer, DAY + 20 * 60);
        assert!(out.hooks.is_empty(), "past: no hook");
        let [line] = out.lines.as_slice() else {
            panic!("one line: {:?}", out.lines)
        };
        assert_eq!(line["backlog"], true);
        assert_eq!(line["kind"], "exited");
        assert_eq!(line["exit_code"], 3);
        assert_eq!(line["container"], "web");
        assert_eq!(line["time"], "2026-12-05T03:15:00+00:00");
        // Asked once: a reconnect asks nothing more.
        assert_eq!(f.on(host, connected(), DAY + 21 * 60).ask, None);
        // Live alerts after it are not backlog, and run the hook.
        let out = f.on(host, DockerEvent::Engine(die("api", "1", DAY + 22 * 60)), 0);
        assert_eq!(out.lines[0]["backlog"], false);
        assert_eq!(out.hooks.len(), 1);
        // The newest time is kept, at once at the end.
        let kept = f.times.keep(DAY + 22 * 60, true).expect("due");
        assert_eq!(kept[0].1.time, (DAY + 22 * 60) * SEC);
    }

    #[test]
    fn a_backlog_that_does_not_reach_back_says_so() {
        let since = (DAY + 10 * 60) * SEC;
        let mut f = restarted(since);
        let host = HostId(0);
        f.on(host, connected(), DAY + 20 * 60);
        let answer = DockerEvent::PastEvents {
            since,
            result: Ok(vec![die("web", "3", DAY + 15 * 60)]),
        };
        let out = f.on(host, answer, DAY + 20 * 60);
        assert_eq!(out.lines.len(), 2, "{:?}", out.lines);
        let short = &out.lines[1];
        assert_eq!(short["kind"], "backlog-short");
        assert_eq!(short["backlog"], true);
        assert_eq!(short["reached"], "2026-12-05T03:15:00+00:00");
        assert_eq!(
            short["message"],
            "prod's daemon kept events back to 2026-12-05T03:15:00+00:00 only, not to 2026-12-05T03:10:00+00:00"
        );
        // Unreadable: said, with the daemon's words.
        let mut f = restarted(since);
        f.on(host, connected(), DAY + 20 * 60);
        let failed = DockerEvent::PastEvents {
            since,
            result: Err("500 Internal Server Error".into()),
        };
        let out = f.on(host, failed, DAY + 20 * 60);
        assert_eq!(
            out.lines[0]["message"],
            "prod's events could not be read: 500 Internal Server Error"
        );
    }

    fn failed_task(state: &str) -> crate::docker::swarm_tasks::TaskLook {
        crate::docker::swarm_tasks::TaskLook {
            row: crate::docker::swarm::TaskRow {
                id: "t1".into(),
                service_id: "s1".into(),
                name: "web.1".into(),
                slot: Some(1),
                node_id: "worker".into(),
                desired: "shutdown".into(),
                state: state.into(),
                message: String::new(),
                error: "task: non-zero exit (1)".into(),
                since: DAY,
                container: Some("c1".to_string().into()),
            },
            service: "web".into(),
            exit: Some(1),
            image: "busybox:1".into(),
            labels: vec![],
        }
    }

    #[test]
    fn a_managers_tasks_are_looked_at_as_the_dashboard_does() {
        let mut f = restarted(0);
        let host = HostId(0);
        f.on(host, connected(), DAY);
        assert!(f.tick(DAY).is_empty(), "not a manager (yet)");
        let manager = Membership {
            node_id: "mgr".into(),
            manager: true,
            managers: vec![],
        };
        f.on(host, DockerEvent::Swarm(Some(manager)), DAY);
        assert_eq!(f.tick(DAY + 1), [(host, Command::SwarmTasks { host })]);
        assert!(f.tick(DAY + 2).is_empty(), "every 10 s");
        let look = |f: &mut Follower, tasks| f.on(host, DockerEvent::SwarmTasks(Ok(tasks)), DAY);
        look(&mut f, vec![failed_task("running")]);
        let out = look(&mut f, vec![failed_task("failed")]);
        assert_eq!(out.lines.len(), 1, "{:?}", out.lines);
        assert_eq!(out.lines[0]["kind"], "task-failed");
        assert_eq!(out.lines[0]["backlog"], false);
        assert_eq!(out.hooks.len(), 1);
    }
}
