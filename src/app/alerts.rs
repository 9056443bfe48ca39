//! Alerts in the dashboard: every watched host's events go through the pure rules of
//! [`crate::alerts::Watch`] as `update` receives them; the strip under the header reads the
//! alerts raised, the alerts list (`!`, [`super::alert_list`]) lists them, and the bell and
//! the desktop notification (OSC 9 and OSC 777) leave as one local effect a second at most,
//! so a burst of a thousand exits is one notice, not a thousand. A Swarm manager's tasks are
//! looked at every few seconds (see [`crate::alerts::Watch::task_look`]).

use std::collections::HashSet;

use crate::alerts::{Alert, Change, Watch};
use crate::docker::swarm_tasks::TaskLook;
use crate::docker::{Command, EngineEvent, HostId, OpError};

use super::{App, Effects, Local};

/// How alerts reach the person, and which are raised (the config's `[alerts]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The terminal bell with each notice (off by default: it is loud).
    pub bell: bool,
    /// A desktop notification through the terminal (OSC 9 and OSC 777).
    pub notify: bool,
    /// Each kind's rule: on or off, narrowed, its hook.
    pub rules: crate::alerts::Rules,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            bell: false,
            notify: true,
            rules: Default::default(),
        }
    }
}

/// A hook still running after this long is killed (and the command log says so).
pub const HOOK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The alerts of every host, and the notice they owe.
#[derive(Debug, Default)]
pub struct Alerts {
    pub watch: Watch,
    pub bell: bool,
    pub notify: bool,
    /// Changes whose rule has a hook, to run after this event.
    hooks_due: Vec<Change>,
    /// The alerts list shows alerts older than these (made again on the next tick).
    list_stale: bool,
    /// Alerts raised or repeated since the last notice, and the first few's words.
    pending: usize,
    pending_words: Vec<String>,
    /// What happened while dockpit was closed (see [`super::away`]).
    pub away: super::away::Away,
    /// When each Swarm manager's tasks were last asked for.
    task_looks: crate::alerts::TaskLooks,
}

/// Up to this many alerts, the alerts list follows each change at once.
const LIST_AT_ONCE: usize = 100;

/// The words of this many alerts go into one notice; the rest are counted.
const NOTICE_NAMES: usize = 3;

impl Alerts {
    pub fn new(options: Options) -> Self {
        Self {
            watch: Watch::with_rules(options.rules),
            bell: options.bell,
            notify: options.notify,
            ..Self::default()
        }
    }

    /// Changes from the rules: raised and repeated ones are owed a notice; whether any
    /// alert changed (the list shown follows).
    fn take(&mut self, changes: Vec<Change>) -> bool {
        let changed = !changes.is_empty();
        for change in changes {
            if self.watch.hook(change.alert().kind.name()).is_some() {
                self.hooks_due.push(change.clone());
            }
            if let Change::Raised(a) | Change::Repeated(a) = change {
                self.pending += 1;
                if self.pending_words.len() < NOTICE_NAMES {
                    self.pending_words.push(a.message());
                }
            }
        }
        changed
    }

    /// The notice owed, if any: one line for everything since the last one.
    fn notice(&mut self) -> Option<Local> {
        if self.pending == 0 {
            return None;
        }
        let words = std::mem::take(&mut self.pending_words).join("; ");
        let body = match std::mem::take(&mut self.pending) {
            n if n <= NOTICE_NAMES => words,
            n => format!("{n} alerts: {words}; …"),
        };
        let (bell, notify) = (self.bell, self.notify);
        (bell || notify).then_some(Local::Notify {
            title: "dockpit".into(),
            body,
            bell,
            notify,
        })
    }

    /// The strip's items, newest first: the alerts of one kind on one host fold into one
    /// item that counts the others ("web-7 exited (1) on prod, and 999 more"). With one
    /// host (`several` false) no item names it.
    pub fn strip(&self, several: bool) -> Vec<String> {
        let mut groups: Vec<(&Alert, usize)> = Vec::new();
        for alert in self.watch.active() {
            let same = |(a, _): &&mut (&Alert, usize)| {
                a.host == alert.host && a.kind.name() == alert.kind.name()
            };
            match groups.iter_mut().find(same) {
                Some((_, n)) => *n += 1,
                None => groups.push((alert, 1)),
            }
        }
        groups
            .into_iter()
            .map(|(a, n)| {
                let said = match several {
                    true => a.message(),
                    false => a.what() + &a.times(),
                };
                match n {
                    1 => said,
                    n => format!("{said}, and {} more", n - 1),
                }
            })
            .collect()
    }
}

impl App {
    /// The name alerts give a host: its own, else its endpoint (one unnamed host).
    pub(super) fn alert_host(&self, host: HostId) -> String {
        match self.host(host) {
            Some(h) if h.spec.name.is_empty() => h.spec.label.clone(),
            Some(h) => h.spec.name.clone(),
            None => String::new(),
        }
    }

    /// The live host an alert names.
    pub(super) fn alerted_host(&self, name: &str) -> Option<HostId> {
        (self.hosts.iter())
            .find(|h| self.alert_host(h.id) == name)
            .map(|h| h.id)
    }

    /// A daemon event of `host`, through the rules.
    pub(super) fn alert_on_event(&mut self, host: HostId, event: &EngineEvent) {
        let name = self.alert_host(host);
        let changes = self.alerts.watch.event(&name, event);
        self.alerts_changed(changes);
    }

    /// `host` answers: its down alert clears.
    pub(super) fn alert_host_up(&mut self, host: HostId) {
        let name = self.alert_host(host);
        let changes = self.alerts.watch.host_up(&name, self.now);
        self.alerts_changed(changes);
    }

    /// `host` stopped answering (only a host that answered before: one never reached is
    /// unreachable, not down).
    pub(super) fn alert_host_down(&mut self, host: HostId, reason: &str) {
        if !self.host(host).is_some_and(|h| h.seen_up) {
            return;
        }
        let name = self.alert_host(host);
        let changes = self.alerts.watch.host_down(&name, reason, self.now);
        self.alerts_changed(changes);
    }

    /// The alerts list follows at once while it is short; a long one is made again once a
    /// second (each time is every row: a burst of a thousand exits would make it a thousand
    /// times, 1.2 s of work measured, where once is a millisecond).
    fn alerts_changed(&mut self, changes: Vec<Change>) {
        if !self.alerts.take(changes) {
            return;
        }
        if self.alerts.watch.len() <= LIST_AT_ONCE {
            self.refresh_alert_list();
        } else {
            self.alerts.list_stale = true;
        }
    }

    /// Each second: the notice owed since the last one; a long alerts list made again; the
    /// tasks of each Swarm manager, when due.
    pub(super) fn alerts_tick(&mut self) -> Effects {
        if std::mem::take(&mut self.alerts.list_stale) {
            self.refresh_alert_list();
        }
        let mut effects = self.alerts.notice().map(Effects::from).unwrap_or_default();
        effects.extend(self.ask_tasks());
        effects
    }

    /// The Swarm managers whose tasks are due a look (the rule on).
    fn ask_tasks(&mut self) -> Vec<super::effects::Routed> {
        if !self.alerts.watch.looks_at_tasks() {
            return Vec::new();
        }
        let managers: Vec<HostId> = (self.hosts.iter())
            .filter(|h| h.up())
            .filter(|h| h.swarm.as_ref().is_some_and(|m| m.manager))
            .map(|h| h.id)
            .collect();
        (self.alerts.task_looks.due(&managers, self.now).into_iter())
            .map(|host| (host, Command::SwarmTasks { host }))
            .collect()
    }

    /// Swarm manager `host`'s tasks: a task failed since the last look raises, a service
    /// converged clears.
    pub(super) fn tasks_looked(&mut self, host: HostId, result: Result<Vec<TaskLook>, OpError>) {
        let tasks = match result {
            Ok(tasks) => tasks,
            Err(e) => {
                tracing::warn!(host = host.0, "the Swarm's tasks could not be read: {e}");
                return;
            }
        };
        // The nodes watched report their tasks' exits themselves.
        let watched: HashSet<String> = (self.hosts.iter())
            .filter(|h| h.up())
            .filter_map(|h| Some(h.swarm.as_ref()?.node_id.clone()))
            .collect();
        let name = self.alert_host(host);
        let changes = (self.alerts.watch).task_look(&name, &tasks, &watched, self.now);
        self.alerts_changed(changes);
    }

    /// The hooks of the alerts just raised, repeated or cleared: each run as a background
    /// command of `[[commands]]` is (its words filled, the alert in its environment), in
    /// the command log with its exit status.
    pub(super) fn alert_hooks(&mut self) -> Effects {
        let mut effects = Effects::default();
        for change in std::mem::take(&mut self.alerts.hooks_due) {
            let a = change.alert();
            let Some(words) = self.alerts.watch.hook(a.kind.name()) else {
                continue;
            };
            let host = self.alerted_host(&a.host).and_then(|h| self.host(h));
            let subject = crate::custom::Subject {
                id: a.id.clone(),
                name: a.container.clone(),
                image: a.image.clone(),
                host: host.map(|h| h.spec.docker_host.clone()).unwrap_or_default(),
            };
            let docker_env = host.map(|h| h.spec.docker_env.clone()).unwrap_or_default();
            let name = format!("the {} hook", a.kind.name());
            match crate::custom::invocation(&name, words, &subject, &docker_env) {
                Ok(mut call) => {
                    call.env.extend(change.env());
                    let op = crate::docker::Op::Custom(call.clone());
                    let started = self.activity.start_all(vec![op], Vec::new(), self.now);
                    effects
                        .local
                        .extend(started.into_iter().map(|(id, _)| Local::Hook {
                            id,
                            call: call.clone(),
                            timeout: HOOK_TIMEOUT,
                        }));
                }
                Err(why) => self.activity.refuse(why),
            }
        }
        effects
    }

    /// A hook ended (or was killed at its timeout): the command log says how.
    pub(super) fn hook_done(
        &mut self,
        id: crate::docker::OpId,
        result: Result<String, String>,
        elapsed: std::time::Duration,
    ) {
        let result = result.map_err(crate::docker::OpError::new);
        self.activity.done(id, result, elapsed);
    }

    /// Rows the strip takes under the header: one while any alert is raised or a "while you
    /// were away" line is owed.
    pub fn alert_rows(&self) -> u16 {
        u16::from(!self.alerts.watch.is_empty() || !self.alerts.away.lines.is_empty())
    }
}
