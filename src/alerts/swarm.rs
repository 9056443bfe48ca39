//! Swarm alerts, from the manager's service events: a service whose rolling update stops
//! converging (paused by its failure action, or failed and rolling back) raises
//! `not-converging` until an update completes or starts again, or the service is removed.
//! The daemon says so in the `updatestate.new` attribute of a service `update` event
//! (swarmkit's state names: `PAUSED`, `ROLLBACK_STARTED`, `ROLLBACK_PAUSED`, `COMPLETED`…).
//! A task that fails is its container's `die` on a watched node: `task-failed` instead of
//! `exited`, named by the task's labels. The manager sends no task events, so a task that
//! fails on a node dockpit does not watch is found by looking at the manager's tasks now and
//! then ([`Watch::task_look`]): one listed failed or rejected that the last look did not
//! list raises `task-failed`, once; its service converging (every task meant to run
//! running, or the service gone) clears its task alerts on that host.

use std::collections::{HashMap, HashSet};

use super::{Alert, AlertKind, Change, Watch, attribute};
use crate::docker::swarm_tasks::TaskLook;
use crate::docker::{EngineEvent, HostId};

/// A Swarm manager's tasks are asked for this often (seconds), while it is one.
pub const TASKS_EVERY: i64 = 10;

/// When each Swarm manager's tasks were last asked for (the dashboard's and `alerts
/// --follow`'s pace).
#[derive(Debug, Default)]
pub struct TaskLooks {
    asked: HashMap<HostId, i64>,
}

impl TaskLooks {
    /// Which of `managers` (the live hosts that are Swarm managers now) are due a look at
    /// `now` (Unix seconds); those are marked asked.
    pub fn due(&mut self, managers: &[HostId], now: i64) -> Vec<HostId> {
        self.asked.retain(|h, _| managers.contains(h));
        let due: Vec<HostId> = (managers.iter().copied())
            .filter(|h| (self.asked.get(h)).is_none_or(|at| now - at >= TASKS_EVERY))
            .collect();
        for host in &due {
            self.asked.insert(*host, now);
        }
        due
    }
}

/// What an update state means for the service: `Some(why)` stuck, `None` converging again.
fn stuck(state: &str) -> Option<Option<&'static str>> {
    match state.to_ascii_lowercase().as_str() {
        "paused" => Some(Some("its update is paused")),
        "rollback_started" => Some(Some("its update failed and is rolled back")),
        "rollback_paused" => Some(Some("its rollback is paused")),
        "completed" | "updating" | "rollback_completed" => Some(None),
        _ => None,
    }
}

/// A task's container that exited non-zero by itself: which task of which service.
pub(super) fn task_failed(e: &EngineEvent, code: i64) -> Option<AlertKind> {
    let service = attribute(e, "com.docker.swarm.service.name");
    let task = attribute(e, "com.docker.swarm.task.name");
    (!service.is_empty()).then(|| AlertKind::TaskFailed {
        code,
        // "web.1.k3j…": the slot is what a person reads; the task id is in the container's.
        task: task
            .rsplit_once('.')
            .map_or(task, |(slot, _)| slot)
            .to_string(),
        service: service.to_string(),
        error: String::new(),
    })
}

fn failed(t: &TaskLook) -> bool {
    matches!(t.row.state.as_str(), "failed" | "rejected")
}

/// A task running this long (seconds) is steady: a crash loop's tasks run for less between
/// failures, and a look that caught one of them running is no convergence.
const STEADY: i64 = 5;

/// Whether `service`'s tasks say it converged at `now`: every task meant to run is running,
/// steadily, or it has none left at all (removed).
fn converged(tasks: &[TaskLook], service: &str, now: i64) -> bool {
    let mut meant = tasks
        .iter()
        .filter(|t| t.service == service && t.row.desired == "running")
        .peekable();
    match meant.peek() {
        Some(_) => meant.all(|t| t.row.state == "running" && now - t.row.since >= STEADY),
        None => !tasks.iter().any(|t| t.service == service),
    }
}

impl Watch {
    /// A service event of the Swarm manager `host`.
    pub(super) fn service_event(&mut self, host: &str, e: &EngineEvent) -> Vec<Change> {
        let now = e.time / 1_000_000_000;
        let clear = |watch: &mut Self| watch.clear(host, &e.actor_id, "not-converging", now);
        let change = match e.action.as_str() {
            "remove" => clear(self),
            "update" => match stuck(attribute(e, "updatestate.new")) {
                Some(Some(why)) => {
                    let kind = AlertKind::NotConverging { why: why.into() };
                    self.raise(Alert::seen(kind, host, e, "image.new"), &[])
                }
                Some(None) => clear(self),
                None => None,
            },
            _ => None,
        };
        change.into_iter().collect()
    }
}

impl Watch {
    /// Whether managers' tasks are worth asking for: the `task-failed` rule is on.
    pub fn looks_at_tasks(&self) -> bool {
        !self.rules.get("task-failed").is_some_and(|r| r.off)
    }

    /// The Swarm manager `host` listed its `tasks` at `now`. `watched`: the node ids of the
    /// hosts dockpit watches, whose tasks' exits raise from their own `die` events. The
    /// first look only learns what failed before: not news.
    pub fn task_look(
        &mut self,
        host: &str,
        tasks: &[TaskLook],
        watched: &HashSet<String>,
        now: i64,
    ) -> Vec<Change> {
        // Cleared before raising: a service found converged clears what earlier looks
        // raised, and what this one raises stays until the next says so.
        let done: Vec<(String, &'static str)> = (self.alerts.values())
            .filter_map(|a| match &a.kind {
                AlertKind::TaskFailed { service, .. }
                    if a.host == host && converged(tasks, service, now) =>
                {
                    Some((a.id.clone(), a.kind.name()))
                }
                _ => None,
            })
            .collect();
        let mut changes: Vec<Change> = (done.into_iter())
            .filter_map(|(id, kind)| self.clear(host, &id, kind, now))
            .collect();
        let failed_now: HashSet<String> = (tasks.iter().filter(|t| failed(t)))
            .map(|t| t.row.id.clone())
            .collect();
        let known = self.failed_tasks.insert(host.to_string(), failed_now);
        let Some(known) = known else {
            return changes;
        };
        for t in tasks
            .iter()
            .filter(|t| failed(t) && !known.contains(&t.row.id))
        {
            // Its container's `die` on a watched node raised it already.
            let died = t.exit.is_some_and(|c| c != 0) && t.row.container.is_some();
            if died && watched.contains(&t.row.node_id) {
                continue;
            }
            let kind = AlertKind::TaskFailed {
                code: t.exit.unwrap_or(0),
                task: t.row.name.clone(),
                service: t.service.clone(),
                error: t.row.error.clone(),
            };
            let at = match t.row.since {
                0 => now,
                since => since,
            };
            let alert = Alert {
                kind,
                host: host.to_string(),
                container: t.row.name.clone(),
                id: t.row.id.clone(),
                image: t.image.clone(),
                first: at,
                last: at,
                count: 1,
            };
            changes.extend(self.raise(alert, &t.labels));
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docker::EventKind;

    fn update(state: &str, secs: i64) -> EngineEvent {
        EngineEvent {
            time: secs * 1_000_000_000,
            kind: EventKind::Service,
            action: "update".into(),
            actor_id: "svc1".into(),
            attributes: vec![
                ("name".into(), "web".into()),
                ("updatestate.new".into(), state.into()),
                ("updatestate.old".into(), "updating".into()),
            ],
        }
    }

    #[test]
    fn a_paused_or_failed_update_is_one_alert_until_an_update_completes() {
        let mut watch = Watch::default();
        assert!(watch.event("mgr", &update("updating", 1)).is_empty());
        let raised = watch.event("mgr", &update("paused", 2));
        assert_eq!(raised.len(), 1);
        assert_eq!(raised[0].state(), "raised");
        assert_eq!(
            raised[0].alert().message(),
            "service web is not converging: its update is paused on mgr"
        );
        let again = watch.event("mgr", &update("rollback_started", 3));
        assert_eq!(again[0].state(), "repeated");
        assert_eq!(watch.len(), 1, "one service, one alert");
        let done = watch.event("mgr", &update("rollback_completed", 4));
        assert_eq!(done[0].state(), "cleared");
        assert!(watch.is_empty());
        // A replicas change (no update state) says nothing either way.
        let mut scaled = update("", 5);
        scaled
            .attributes
            .retain(|(k, _)| !k.starts_with("updatestate"));
        assert!(watch.event("mgr", &scaled).is_empty());
        // Removed while stuck: cleared.
        watch.event("mgr", &update("ROLLBACK_PAUSED", 6));
        assert_eq!(watch.len(), 1, "the daemon's upper-case names too");
        let mut removed = update("", 7);
        removed.action = "remove".into();
        assert_eq!(watch.event("mgr", &removed)[0].state(), "cleared");
    }

    #[test]
    fn the_rule_can_be_off_or_narrowed_to_a_host() {
        let mut rules = super::super::Rules::new();
        let off = super::super::Rule {
            off: true,
            ..Default::default()
        };
        rules.insert("not-converging", off);
        let mut watch = Watch::with_rules(rules);
        assert!(watch.event("mgr", &update("paused", 1)).is_empty());
    }

    #[test]
    fn a_task_container_that_fails_is_a_task_failure_not_an_exit() {
        let die = |labels: &[(&str, &str)]| {
            let mut attributes: Vec<(String, String)> = vec![
                ("exitCode".into(), "1".into()),
                ("name".into(), "web.1.k3jx9".into()),
            ];
            attributes.extend(labels.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            EngineEvent {
                time: 1_000_000_000,
                kind: EventKind::Container,
                action: "die".into(),
                actor_id: "c1".into(),
                attributes,
            }
        };
        let mut watch = Watch::default();
        let task = die(&[
            ("com.docker.swarm.service.name", "web"),
            ("com.docker.swarm.task.name", "web.1.k3jx9"),
        ]);
        let raised = watch.event("node1", &task);
        assert_eq!(raised[0].alert().kind.name(), "task-failed");
        assert_eq!(
            raised[0].alert().message(),
            "task web.1 of service web failed (exit 1) on node1"
        );
        assert_eq!(raised[0].json()["service"], "web");
        let mut plain = Watch::default();
        assert_eq!(
            plain.event("node1", &die(&[]))[0].alert().kind.name(),
            "exited"
        );
    }

    fn task(id: &str, slot: i64, node: &str, desired: &str, state: &str) -> TaskLook {
        TaskLook {
            row: crate::docker::swarm::TaskRow {
                id: id.into(),
                service_id: "s1".into(),
                name: format!("web.{slot}"),
                slot: Some(slot),
                node_id: node.into(),
                desired: desired.into(),
                state: state.into(),
                message: String::new(),
                error: match state {
                    "rejected" => "No such image: nope:1".into(),
                    "failed" => "task: non-zero exit (1)".into(),
                    _ => String::new(),
                },
                since: 50,
                container: (state != "rejected").then(|| format!("c-{id}").into()),
            },
            service: "web".into(),
            exit: (state == "failed").then_some(1),
            image: "busybox:1".into(),
            labels: vec![],
        }
    }

    fn states(changes: &[Change]) -> Vec<(&'static str, String)> {
        changes
            .iter()
            .map(|c| (c.state(), c.alert().message()))
            .collect()
    }

    #[test]
    fn a_task_that_fails_on_an_unwatched_node_is_one_alert_until_its_service_converges() {
        let mut watch = Watch::default();
        let none = HashSet::new();
        // The first look: a failure from before dockpit watched is not news.
        let old = task("t0", 1, "n2", "shutdown", "failed");
        let running = task("t1", 1, "n2", "running", "running");
        assert!(
            watch
                .task_look("mgr", &[old.clone(), running], &none, 100)
                .is_empty()
        );
        // Its replacement fails on the worker, a new one is starting: raised once.
        let failed = task("t1", 1, "n2", "shutdown", "failed");
        let starting = task("t2", 1, "n2", "running", "starting");
        let look = [old.clone(), failed.clone(), starting.clone()];
        assert_eq!(
            states(&watch.task_look("mgr", &look, &none, 110)),
            [(
                "raised",
                "task web.1 of service web failed (exit 1) on mgr".into()
            )]
        );
        assert!(watch.task_look("mgr", &look, &none, 120).is_empty(), "once");
        // A task rejected: its words, as there is no exit code.
        let rejected = task("t3", 2, "n2", "shutdown", "rejected");
        let look = [old.clone(), failed.clone(), starting, rejected.clone()];
        let raised = watch.task_look("mgr", &look, &none, 130);
        assert_eq!(
            states(&raised),
            [(
                "raised",
                "task web.2 of service web failed: No such image: nope:1 on mgr".into()
            )]
        );
        assert_eq!(raised[0].json()["error"], "No such image: nope:1");
        assert_eq!(watch.len(), 2);
        // Every task meant to run is running: converged, both clear; not while it has run
        // for a moment only (a crash loop's task seen between its start and its failure).
        let up = [
            old,
            failed,
            rejected,
            task("t4", 1, "n2", "running", "running"),
        ];
        assert!(watch.task_look("mgr", &up, &none, 52).is_empty());
        let cleared = watch.task_look("mgr", &up, &none, 140);
        assert_eq!(cleared.len(), 2);
        assert!(cleared.iter().all(|c| c.state() == "cleared"));
        assert!(watch.is_empty());
    }

    #[test]
    fn a_task_that_died_on_a_watched_node_is_left_to_its_die_event() {
        let mut watch = Watch::default();
        let watched = HashSet::from(["n1".to_string()]);
        watch.task_look("mgr", &[], &watched, 100);
        let look = [
            task("t1", 1, "n1", "shutdown", "failed"),
            task("t2", 2, "n1", "shutdown", "rejected"),
            task("t3", 3, "n1", "running", "pending"),
        ];
        // Its exit raised on n1 from the die event; a rejection has no container to die.
        assert_eq!(
            states(&watch.task_look("mgr", &look, &watched, 110)),
            [(
                "raised",
                "task web.2 of service web failed: No such image: nope:1 on mgr".into()
            )]
        );
        // Its service removed (no task left): cleared.
        assert_eq!(
            watch.task_look("mgr", &[], &watched, 120)[0].state(),
            "cleared"
        );
    }
}
