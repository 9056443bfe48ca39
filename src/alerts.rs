//! Alerts: what in the daemons' events needs a person, across every watched host. Pure:
//! events in, alert changes out (raised, repeated, cleared); the headless `dockpit alerts
//! --follow` prints them and runs a hook. Repeats fold into one alert with a count, and an
//! alert clears itself when its condition ends (healthy again, the host back).
//!
//! From the events stream alone, which dockpit reads anyway, so watching costs the daemons
//! nothing more: `die` with its `exitCode`, `oom`, `kill` (a signal someone asked for),
//! `health_status: …`, `start` (a restart loop is starts close together), `destroy`.

use std::collections::{HashMap, VecDeque};

use serde_json::{Value, json};

use crate::docker::{EngineEvent, EventKind};

pub mod follow;
mod swarm;

pub use swarm::{TASKS_EVERY, TaskLooks};

/// A restart loop: this many starts of one container…
pub const LOOP_STARTS: usize = 3;
/// …within this many seconds.
pub const LOOP_WINDOW: i64 = 300;
/// A kill event this recent means the signal that ended a container was asked for.
const ASKED_WITHIN: i64 = 60;
/// An `oom` event this soon after its container's `die` was that death (the daemon sends the
/// two as they come from containerd, in either order under load).
const OOM_AFTER_DIE: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertKind {
    /// Exited by itself with a non-zero code.
    Exited {
        code: i64,
    },
    /// The kernel's OOM killer ended it.
    OomKilled,
    /// Ended by a signal no one asked Docker for (`kill -9` outside Docker, the kernel).
    Signal {
        signal: i64,
    },
    Unhealthy,
    RestartLoop {
        starts: usize,
    },
    HostDown {
        reason: String,
    },
    /// A Swarm service's rolling update stopped converging (see `swarm`).
    NotConverging {
        why: String,
    },
    /// A Swarm task failed: its container exited non-zero by itself on a watched node, or
    /// the manager lists it failed or rejected (on any node).
    TaskFailed {
        code: i64,
        task: String,
        service: String,
        /// The manager's words when there is no exit code to say (a rejected task's).
        error: String,
    },
}

impl AlertKind {
    /// Its name in JSON and in `$DOCKPIT_ALERT`.
    pub fn name(&self) -> &'static str {
        match self {
            AlertKind::Exited { .. } => "exited",
            AlertKind::OomKilled => "oom",
            AlertKind::Signal { .. } => "signal",
            AlertKind::Unhealthy => "unhealthy",
            AlertKind::RestartLoop { .. } => "restart-loop",
            AlertKind::HostDown { .. } => "host-down",
            AlertKind::NotConverging { .. } => "not-converging",
            AlertKind::TaskFailed { .. } => "task-failed",
        }
    }
}

/// One alert, folded over its repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub kind: AlertKind,
    pub host: String,
    /// The container's name, id and image; empty for a host's alert.
    pub container: String,
    pub id: String,
    pub image: String,
    /// Unix seconds: first raised, last seen.
    pub first: i64,
    pub last: i64,
    pub count: u32,
}

impl Alert {
    /// `kind` first seen in daemon event `e` of `host`: the actor's name and id, its image
    /// from the attribute `image` (a container's `image`, a service's `image.new`).
    fn seen(kind: AlertKind, host: &str, e: &EngineEvent, image: &str) -> Self {
        let now = e.time / 1_000_000_000;
        Alert {
            kind,
            host: host.to_string(),
            container: attribute(e, "name").to_string(),
            id: e.actor_id.clone(),
            image: attribute(e, image).to_string(),
            first: now,
            last: now,
            count: 1,
        }
    }

    /// What it says, in a line: "web exited (3) on prod".
    pub fn message(&self) -> String {
        format!("{} on {}{}", self.what(), self.host, self.times())
    }

    /// What it says without its host or count: "web exited (3)" (where the host is known
    /// from elsewhere: one host watched, or a HOST column).
    pub fn what(&self) -> String {
        match &self.kind {
            AlertKind::Exited { code } => format!("{} exited ({code})", self.container),
            AlertKind::OomKilled => format!("{} was killed: out of memory", self.container),
            AlertKind::Signal { signal } => format!(
                "{} was killed by signal {signal}, not through Docker",
                self.container
            ),
            AlertKind::Unhealthy => format!("{} is unhealthy", self.container),
            AlertKind::RestartLoop { starts } => format!(
                "{} is in a restart loop ({starts} starts in {} min)",
                self.container,
                LOOP_WINDOW / 60
            ),
            AlertKind::HostDown { reason } => format!("the host is down: {reason}"),
            AlertKind::NotConverging { why } => {
                format!("service {} is not converging: {why}", self.container)
            }
            AlertKind::TaskFailed {
                code,
                task,
                service,
                error,
            } => match code {
                0 => format!("task {task} of service {service} failed: {error}"),
                code => format!("task {task} of service {service} failed (exit {code})"),
            },
        }
    }

    /// " ×3" for a repeated alert, else nothing.
    pub fn times(&self) -> String {
        match self.count {
            0 | 1 => String::new(),
            n => format!(" ×{n}"),
        }
    }
}

/// What happened to an alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Raised(Alert),
    Repeated(Alert),
    Cleared(Alert),
}

impl Change {
    pub fn alert(&self) -> &Alert {
        match self {
            Change::Raised(a) | Change::Repeated(a) | Change::Cleared(a) => a,
        }
    }

    pub fn state(&self) -> &'static str {
        match self {
            Change::Raised(_) => "raised",
            Change::Repeated(_) => "repeated",
            Change::Cleared(_) => "cleared",
        }
    }

    /// One JSON line of `dockpit alerts --follow`.
    pub fn json(&self) -> Value {
        let a = self.alert();
        let mut line = json!({
            "time": chrono::DateTime::from_timestamp(a.last, 0).map(|t| t.to_rfc3339()),
            "state": self.state(),
            "kind": a.kind.name(),
            "host": a.host,
            "message": a.message(),
            "count": a.count,
            "first": chrono::DateTime::from_timestamp(a.first, 0).map(|t| t.to_rfc3339()),
        });
        if !a.id.is_empty() {
            line["container"] = json!(a.container);
            line["id"] = json!(a.id);
            line["image"] = json!(a.image);
        }
        match &a.kind {
            AlertKind::Exited { code } => line["exit_code"] = json!(code),
            AlertKind::Signal { signal } => line["signal"] = json!(signal),
            AlertKind::RestartLoop { starts } => line["starts"] = json!(starts),
            AlertKind::HostDown { reason } => line["reason"] = json!(reason),
            AlertKind::NotConverging { why } => line["reason"] = json!(why),
            AlertKind::TaskFailed {
                code,
                task,
                service,
                error,
            } => {
                line["exit_code"] = json!(code);
                line["task"] = json!(task);
                line["service"] = json!(service);
                if !error.is_empty() {
                    line["error"] = json!(error);
                }
            }
            AlertKind::OomKilled | AlertKind::Unhealthy => {}
        }
        line
    }

    /// The hook's environment: `$DOCKPIT_ALERT` and the rest.
    pub fn env(&self) -> Vec<(String, String)> {
        let a = self.alert();
        let mut env = vec![
            ("DOCKPIT_ALERT".into(), a.kind.name().into()),
            ("DOCKPIT_ALERT_STATE".into(), self.state().into()),
            ("DOCKPIT_ALERT_MESSAGE".into(), a.message()),
            ("DOCKPIT_ALERT_COUNT".into(), a.count.to_string()),
            ("DOCKPIT_HOST".into(), a.host.clone()),
            ("DOCKPIT_CONTAINER".into(), a.container.clone()),
            ("DOCKPIT_CONTAINER_ID".into(), a.id.clone()),
            ("DOCKPIT_IMAGE".into(), a.image.clone()),
        ];
        if let AlertKind::Exited { code } | AlertKind::TaskFailed { code, .. } = a.kind {
            env.push(("DOCKPIT_EXIT_CODE".into(), code.to_string()));
        }
        env
    }
}

/// Every alert kind's name.
pub const ALL_KINDS: [&str; 8] = [
    "exited",
    "oom",
    "signal",
    "unhealthy",
    "restart-loop",
    "host-down",
    "not-converging",
    "task-failed",
];

/// A word of a rule's `match`: what it looks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// Plain text: the name, the image or a label.
    Any,
    Name,
    Image,
    /// `label:tier=web` (or `label:tier`, a label of that name).
    Label,
}

/// A rule's `match`, in the lists' filter syntax: `@prod` keeps a host's alerts (its name
/// starts so), plain words are looked for in the container's name, image and labels
/// (`key=value`); `name:`, `image:` and `label:` look in one of them. Every word must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pattern {
    hosts: Vec<String>,
    words: Vec<(Field, String)>,
}

impl Pattern {
    /// `Err`: what is wrong with it, for the config's problem line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut pattern = Self::default();
        for word in text.to_lowercase().split_whitespace() {
            if let Some(host) = word.strip_prefix('@') {
                if host.is_empty() {
                    return Err("a lone @: write the host's name after it (@prod)".into());
                }
                pattern.hosts.push(host.to_string());
                continue;
            }
            let (field, value) = match word.split_once(':') {
                None => (Field::Any, word),
                Some(("name", v)) => (Field::Name, v),
                Some(("image", v)) => (Field::Image, v),
                Some(("label", v)) => (Field::Label, v),
                Some((other, _)) => {
                    return Err(format!(
                        "unknown field {other:?} in {word:?}; the fields are name:, image: and label: (and @host)"
                    ));
                }
            };
            if value.is_empty() {
                return Err(format!(
                    "{word:?} looks for nothing: write what after the colon"
                ));
            }
            pattern.words.push((field, value.to_string()));
        }
        Ok(pattern)
    }

    /// Whether an alert of `host` about a container (`name`, `image`, `labels`; all empty
    /// for a host's own alert) is one this pattern keeps.
    fn matches(&self, host: &str, name: &str, image: &str, labels: &[(String, String)]) -> bool {
        let host = host.to_lowercase();
        let label = |l: &(String, String)| format!("{}={}", l.0, l.1).to_lowercase();
        let in_labels = |v: &str| labels.iter().any(|l| label(l).contains(v));
        (self.hosts.is_empty() || self.hosts.iter().any(|h| host.starts_with(h.as_str())))
            && self.words.iter().all(|(field, v)| match field {
                Field::Name => name.to_lowercase().contains(v.as_str()),
                Field::Image => image.to_lowercase().contains(v.as_str()),
                Field::Label => in_labels(v),
                Field::Any => {
                    name.to_lowercase().contains(v.as_str())
                        || image.to_lowercase().contains(v.as_str())
                        || in_labels(v)
                }
            })
    }
}

/// One rule's settings (the config's `[alerts.exited]`, …): off, narrowed, a hook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    /// `on = false`: never raised.
    pub off: bool,
    pub pattern: Pattern,
    /// The hook's words (placeholders not filled yet); empty: none.
    pub hook: Vec<String>,
}

/// Every rule's settings, by kind name ([`ALL_KINDS`]); a kind not named keeps the default
/// (on, every container, no hook).
pub type Rules = HashMap<&'static str, Rule>;

/// Which alert an event adds to: one per host, container and kind.
type Key = (String, String, &'static str);

/// The alerts of every host, and what the rules remember between events.
#[derive(Debug, Default)]
pub struct Watch {
    /// The config's rules.
    pub rules: Rules,
    alerts: HashMap<Key, Alert>,
    /// Per (host, container): when a kill was last asked for, an OOM last seen.
    killed: HashMap<(String, String), i64>,
    oom: HashMap<(String, String), i64>,
    starts: HashMap<(String, String), VecDeque<i64>>,
    /// Per Swarm manager: the failed tasks its last look listed (see `swarm`).
    failed_tasks: HashMap<String, std::collections::HashSet<String>>,
}

fn attribute<'a>(e: &'a EngineEvent, name: &str) -> &'a str {
    e.attributes
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

impl Watch {
    /// The alerts raised and not cleared, newest first.
    pub fn active(&self) -> Vec<&Alert> {
        let mut active: Vec<&Alert> = self.alerts.values().collect();
        active.sort_by_key(|a| std::cmp::Reverse(a.last));
        active
    }

    /// How many alerts are raised and not cleared (cheap: the strip's height asks it often).
    pub fn len(&self) -> usize {
        self.alerts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.alerts.is_empty()
    }

    /// A person saw it and put it away (the alerts list's `d`): gone until raised again.
    pub fn dismiss(&mut self, host: &str, id: &str, kind: &str, now: i64) -> Option<Change> {
        let kind = ALL_KINDS.into_iter().find(|k| *k == kind)?;
        self.clear(host, id, kind, now)
    }

    pub fn with_rules(rules: Rules) -> Self {
        Self {
            rules,
            ..Self::default()
        }
    }

    /// The hook of `kind`'s rule, if it has one.
    pub fn hook(&self, kind: &str) -> Option<&[String]> {
        let rule = self.rules.get(kind)?;
        (!rule.hook.is_empty()).then_some(rule.hook.as_slice())
    }

    /// `None` when its rule is off or does not match it (`labels`: the container's, as the
    /// event carries them).
    fn raise(&mut self, alert: Alert, labels: &[(String, String)]) -> Option<Change> {
        if let Some(rule) = self.rules.get(alert.kind.name())
            && (rule.off
                || !(rule.pattern).matches(&alert.host, &alert.container, &alert.image, labels))
        {
            return None;
        }
        let key = (alert.host.clone(), alert.id.clone(), alert.kind.name());
        Some(match self.alerts.get_mut(&key) {
            Some(known) => {
                known.count += 1;
                known.last = alert.last;
                known.kind = alert.kind;
                Change::Repeated(known.clone())
            }
            None => {
                self.alerts.insert(key, alert.clone());
                Change::Raised(alert)
            }
        })
    }

    fn clear(&mut self, host: &str, id: &str, kind: &'static str, now: i64) -> Option<Change> {
        let mut alert = self
            .alerts
            .remove(&(host.to_string(), id.to_string(), kind))?;
        alert.last = now;
        Some(Change::Cleared(alert))
    }

    /// A daemon event of `host`.
    pub fn event(&mut self, host: &str, e: &EngineEvent) -> Vec<Change> {
        if e.kind == EventKind::Service {
            return self.service_event(host, e);
        }
        if e.kind != EventKind::Container {
            return Vec::new();
        }
        let now = e.time / 1_000_000_000;
        match e.action.as_str() {
            "kill" => {
                self.killed
                    .insert((host.to_string(), e.actor_id.clone()), now);
                Vec::new()
            }
            "oom" => self.oom_event(host, e, now),
            "die" => self.die_event(host, e, now).into_iter().collect(),
            "start" => self.start_event(host, e, now).into_iter().collect(),
            "destroy" => self.destroy_event(host, e, now),
            action => match action.strip_prefix("health_status: ") {
                Some("unhealthy") => {
                    let alert = Alert::seen(AlertKind::Unhealthy, host, e, "image");
                    self.raise(alert, &e.attributes).into_iter().collect()
                }
                Some("healthy") => (self.clear(host, &e.actor_id, "unhealthy", now))
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            },
        }
    }

    /// An out-of-memory kill: said by the `die` that follows, or, when the `die` came first
    /// (the two come in either order under load) and was said as a signal, in its place.
    fn oom_event(&mut self, host: &str, e: &EngineEvent, now: i64) -> Vec<Change> {
        let signal = (host.to_string(), e.actor_id.clone(), "signal");
        let late = (self.alerts.get(&signal)).is_some_and(|a| now - a.last <= OOM_AFTER_DIE);
        if !late {
            self.oom.insert((host.to_string(), e.actor_id.clone()), now);
            return Vec::new();
        }
        let mut changes = Vec::new();
        changes.extend(self.clear(host, &e.actor_id, "signal", now));
        let alert = Alert::seen(AlertKind::OomKilled, host, e, "image");
        changes.extend(self.raise(alert, &e.attributes));
        changes
    }

    /// A container ended: out of memory, by a signal or with a code not 0, unless a stop
    /// or kill asked for it.
    fn die_event(&mut self, host: &str, e: &EngineEvent, now: i64) -> Option<Change> {
        let who = (host.to_string(), e.actor_id.clone());
        let code: i64 = attribute(e, "exitCode").parse().unwrap_or(0);
        let asked = self
            .killed
            .get(&who)
            .is_some_and(|t| now - t <= ASKED_WITHIN);
        let oom = self.oom.remove(&who).is_some();
        let kind = if oom {
            AlertKind::OomKilled
        } else if (129..=159).contains(&code) && !asked {
            AlertKind::Signal { signal: code - 128 }
        } else if code != 0 && !asked {
            swarm::task_failed(e, code).unwrap_or(AlertKind::Exited { code })
        } else {
            return None;
        };
        self.raise(Alert::seen(kind, host, e, "image"), &e.attributes)
    }

    /// A start: too many within the window is a restart loop.
    fn start_event(&mut self, host: &str, e: &EngineEvent, now: i64) -> Option<Change> {
        let who = (host.to_string(), e.actor_id.clone());
        let starts = self.starts.entry(who).or_default();
        starts.push_back(now);
        while starts.front().is_some_and(|t| now - t > LOOP_WINDOW) {
            starts.pop_front();
        }
        if starts.len() < LOOP_STARTS {
            return None;
        }
        let kind = AlertKind::RestartLoop {
            starts: starts.len(),
        };
        self.raise(Alert::seen(kind, host, e, "image"), &e.attributes)
    }

    /// A container removed: its alerts clear and what was kept of it goes.
    fn destroy_event(&mut self, host: &str, e: &EngineEvent, now: i64) -> Vec<Change> {
        let mut changes = Vec::new();
        for kind in [
            "exited",
            "oom",
            "signal",
            "unhealthy",
            "restart-loop",
            "task-failed",
        ] {
            changes.extend(self.clear(host, &e.actor_id, kind, now));
        }
        let who = (host.to_string(), e.actor_id.clone());
        self.killed.remove(&who);
        self.oom.remove(&who);
        self.starts.remove(&who);
        changes
    }

    /// `host` answers (again): its down alert clears.
    pub fn host_up(&mut self, host: &str, now: i64) -> Vec<Change> {
        self.clear(host, "", "host-down", now).into_iter().collect()
    }

    /// `host` stopped answering. Its reconnect's retries (every second on a local socket)
    /// are one alert, raised once: a retry that fails again is not news, and would be a
    /// notice (and a hook) a second.
    pub fn host_down(&mut self, host: &str, reason: &str, now: i64) -> Vec<Change> {
        let key = (host.to_string(), String::new(), "host-down");
        if let Some(known) = self.alerts.get_mut(&key) {
            known.last = now;
            known.kind = AlertKind::HostDown {
                reason: reason.to_string(),
            };
            return Vec::new();
        }
        let alert = Alert {
            kind: AlertKind::HostDown {
                reason: reason.to_string(),
            },
            host: host.to_string(),
            container: String::new(),
            id: String::new(),
            image: String::new(),
            first: now,
            last: now,
            count: 1,
        };
        self.raise(alert, &[]).into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str, id: &str, secs: i64, attrs: &[(&str, &str)]) -> EngineEvent {
        let mut attributes: Vec<(String, String)> = attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        attributes.push(("name".into(), format!("c-{id}")));
        attributes.push(("image".into(), "busybox".into()));
        attributes.sort();
        EngineEvent {
            time: secs * 1_000_000_000,
            kind: EventKind::Container,
            action: action.into(),
            actor_id: id.into(),
            attributes,
        }
    }

    fn kinds(changes: &[Change]) -> Vec<(&'static str, &'static str, u32)> {
        changes
            .iter()
            .map(|c| (c.state(), c.alert().kind.name(), c.alert().count))
            .collect()
    }

    #[test]
    fn an_exit_non_zero_is_an_alert_and_a_clean_or_asked_one_is_not() {
        let mut w = Watch::default();
        assert_eq!(
            kinds(&w.event("prod", &event("die", "a", 10, &[("exitCode", "3")]))),
            [("raised", "exited", 1)]
        );
        let again = w.event("prod", &event("die", "a", 20, &[("exitCode", "3")]));
        assert_eq!(kinds(&again), [("repeated", "exited", 2)]);
        assert_eq!(again[0].alert().message(), "c-a exited (3) on prod ×2");
        assert!(
            w.event("prod", &event("die", "b", 10, &[("exitCode", "0")]))
                .is_empty()
        );
        // `docker stop`: a kill asked for, then 143.
        w.event("prod", &event("kill", "c", 10, &[("signal", "15")]));
        assert!(
            w.event("prod", &event("die", "c", 11, &[("exitCode", "143")]))
                .is_empty()
        );
        // The same code with no one asking: a signal from outside Docker.
        assert_eq!(
            kinds(&w.event("prod", &event("die", "d", 11, &[("exitCode", "137")]))),
            [("raised", "signal", 1)]
        );
        // Removed: its alerts clear.
        assert_eq!(
            kinds(&w.event("prod", &event("destroy", "a", 30, &[]))),
            [("cleared", "exited", 2)]
        );
    }

    #[test]
    fn oom_health_and_restart_loops() {
        let mut w = Watch::default();
        w.event("h", &event("oom", "m", 5, &[]));
        assert_eq!(
            kinds(&w.event("h", &event("die", "m", 5, &[("exitCode", "137")]))),
            [("raised", "oom", 1)]
        );
        // The die first (seen on a loaded Engine 20.10): its signal alert becomes the OOM.
        w.event("h", &event("die", "n", 7, &[("exitCode", "137")]));
        assert_eq!(
            kinds(&w.event("h", &event("oom", "n", 8, &[]))),
            [("cleared", "signal", 1), ("raised", "oom", 1)]
        );
        assert_eq!(
            kinds(&w.event("h", &event("health_status: unhealthy", "u", 5, &[]))),
            [("raised", "unhealthy", 1)]
        );
        assert_eq!(
            kinds(&w.event("h", &event("health_status: healthy", "u", 9, &[]))),
            [("cleared", "unhealthy", 1)]
        );
        // Starts far apart are no loop; three within five minutes are, folded after.
        assert!(w.event("h", &event("start", "r", 0, &[])).is_empty());
        assert!(w.event("h", &event("start", "r", 400, &[])).is_empty());
        assert!(w.event("h", &event("start", "r", 410, &[])).is_empty());
        assert_eq!(
            kinds(&w.event("h", &event("start", "r", 420, &[]))),
            [("raised", "restart-loop", 1)]
        );
        assert_eq!(
            kinds(&w.event("h", &event("start", "r", 430, &[]))),
            [("repeated", "restart-loop", 2)]
        );
        assert_eq!(w.active().len(), 3, "the two OOMs and the loop");
    }

    #[test]
    fn rules_switch_kinds_off_and_narrow_them_by_host_name_image_and_label() {
        let rule = |off, pattern: &str| Rule {
            off,
            pattern: Pattern::parse(pattern).expect("a pattern"),
            hook: vec![],
        };
        let rules: Rules = [
            ("signal", rule(true, "")),
            ("exited", rule(false, "@prod label:tier=web")),
        ]
        .into();
        let mut w = Watch::with_rules(rules);
        let web = [("exitCode", "3"), ("tier", "web")];
        assert!(
            w.event("prod", &event("die", "s", 1, &[("exitCode", "137")]))
                .is_empty()
        );
        assert!(
            w.event("staging", &event("die", "a", 1, &web)).is_empty(),
            "@prod"
        );
        assert!(
            w.event("prod", &event("die", "b", 1, &[("exitCode", "3")]))
                .is_empty()
        );
        assert_eq!(
            kinds(&w.event("prod-2", &event("die", "c", 1, &web))),
            [("raised", "exited", 1)]
        );
        // Kinds without a rule keep the default.
        assert_eq!(
            kinds(&w.event("x", &event("health_status: unhealthy", "u", 1, &[]))),
            [("raised", "unhealthy", 1)]
        );
        // Plain words look in the name, image and labels; fields narrow.
        let p = Pattern::parse("busy name:c-").expect("a pattern");
        assert!(p.matches("h", "c-web", "busybox", &[]));
        assert!(!p.matches("h", "web", "busybox", &[]));
        assert!(
            Pattern::parse("colour:red")
                .expect_err("an unknown field")
                .contains("unknown field \"colour\"")
        );
        assert!(Pattern::parse("@").is_err());
        assert!(Pattern::parse("image:").is_err());
    }

    #[test]
    fn a_host_down_is_one_alert_until_it_is_back() {
        let mut w = Watch::default();
        assert_eq!(
            kinds(&w.host_down("prod", "connection refused", 1)),
            [("raised", "host-down", 1)]
        );
        assert!(
            w.host_down("prod", "connection refused", 2).is_empty(),
            "a retry that fails is no news"
        );
        let back = w.host_up("prod", 3);
        assert_eq!(kinds(&back), [("cleared", "host-down", 1)]);
        assert_eq!(back[0].json()["reason"], "connection refused");
        assert!(w.host_up("prod", 4).is_empty(), "nothing to clear");
        // A hook hears the alert's fields.
        let change = &w.event("prod", &event("die", "x", 5, &[("exitCode", "3")]))[0];
        let env = change.env();
        assert!(env.contains(&("DOCKPIT_ALERT".into(), "exited".into())));
        assert!(env.contains(&("DOCKPIT_EXIT_CODE".into(), "3".into())));
        assert!(env.contains(&("DOCKPIT_CONTAINER".into(), "c-x".into())));
    }
}
