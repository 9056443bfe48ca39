//! Swarm alerts, from the manager's service events: a service whose rolling update stops
//! converging (paused by its failure action, or failed and rolling back) raises
//! `not-converging` until an update completes or starts again, or the service is removed.
//! The daemon says so in the `updatestate.new` attribute of a service `update` event
//! (swarmkit's state names: `PAUSED`, `ROLLBACK_STARTED`, `ROLLBACK_PAUSED`, `COMPLETED`…).
//! A task that fails is its container's `die` on a watched node (the manager sends no task
//! events): `task-failed` instead of `exited`, named by the task's labels.

use super::{Alert, AlertKind, Change, Watch, attribute};
use crate::docker::EngineEvent;

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
    })
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
}
