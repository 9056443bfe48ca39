//! The user's `[[commands]]` on a key: filled for the selected row (or each marked
//! container, in the background), asked first when the config says so.

use super::dialog::{Confirm, ConfirmKind, Dialog};
use super::effects::Effects;
use super::keymap::Key;
use super::{App, Pane};
use crate::custom::{Invocation, RunIn, Subject};
use crate::docker::{HostId, Op, Target};
use crate::pty::SessionKind;

/// One of the user's `[[commands]]` on a key: its words ([`crate::custom`] fills and runs
/// them) and where it is bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomCommand {
    /// Its line in help, and the tab's title.
    pub name: String,
    pub key: Key,
    /// The list it acts on: containers or images.
    pub scope: Pane,
    /// Words, placeholders not yet filled.
    pub command: Vec<String>,
    pub run: RunIn,
    /// Ask before running.
    pub confirm: bool,
    /// It changes the host: refused in read-only mode.
    pub changes: bool,
}

impl CustomCommand {
    /// Filled for `subject` (see [`crate::custom::invocation`]).
    pub fn invocation(
        &self,
        subject: &Subject,
        docker_env: &[(String, String)],
    ) -> Result<Invocation, String> {
        crate::custom::invocation(&self.name, &self.command, subject, docker_env)
    }
}

impl App {
    pub(super) fn run_custom(&mut self, index: u16) -> Effects {
        let Some(def) = self.prefs.commands.get(usize::from(index)).cloned() else {
            return Effects::default();
        };
        if self.refused_read_only(def.changes) {
            return Effects::default();
        }
        let subjects = self.custom_subjects(def.scope, def.run == RunIn::Background);
        if subjects.is_empty() {
            let what = match def.scope {
                Pane::Images => "no image selected",
                Pane::Containers | Pane::Terminal => "no container selected",
            };
            self.activity.refuse(what);
            return Effects::default();
        }
        // Each row's own host: down, or read-only for a command that changes it, refuses.
        if let Some(why) = subjects
            .iter()
            .find_map(|(_, _, host)| self.host_refuses(*host, def.changes))
        {
            self.activity.refuse(why);
            return Effects::default();
        }
        // The first row's host is the one its question is about (each call has its own env).
        let host = subjects
            .first()
            .map(|(_, _, host)| *host)
            .unwrap_or_default();
        let calls: Result<Vec<(Target, Invocation)>, String> = subjects
            .into_iter()
            .map(|(target, subject, host)| {
                let env = self.host(host).map(|h| h.spec.docker_env.clone());
                let call = def.invocation(&subject, &env.unwrap_or_default())?;
                Ok((target, call))
            })
            .collect();
        let calls = match calls {
            Ok(calls) => calls,
            Err(why) => {
                self.activity.refuse(why);
                return Effects::default();
            }
        };
        let lines: Vec<String> = calls
            .iter()
            .map(|(_, call)| format!("$ {}", crate::run_spec::join_command(&call.argv)))
            .collect();
        let kind = match def.run {
            RunIn::Background => {
                ConfirmKind::Actions(calls.into_iter().map(|(_, c)| Op::Custom(c)).collect())
            }
            RunIn::Tab => match calls.into_iter().next() {
                Some((target, call)) => ConfirmKind::CustomTab(target, call),
                None => return Effects::default(),
            },
        };
        if def.confirm {
            let confirm = Confirm::new(format!(" Run {}? ", def.name), kind, lines);
            self.open(host, Dialog::Confirm(confirm));
            return Effects::default();
        }
        match kind {
            ConfirmKind::Actions(ops) => self.submit(ops).into(),
            ConfirmKind::CustomTab(target, call) => self.open_local_tab(target, call).into(),
            _ => Effects::default(),
        }
    }

    /// A command's tab, named after the row it is about.
    pub(super) fn open_local_tab(
        &mut self,
        target: Target,
        call: Invocation,
    ) -> Vec<super::effects::Routed> {
        self.open_session(target, SessionKind::Local(call))
    }

    /// The rows a command is about: the selected one, or (in the background, on
    /// containers) the marked ones. Each as the tab's target, the placeholders' values and
    /// its host.
    fn custom_subjects(&self, scope: Pane, marked: bool) -> Vec<(Target, Subject, HostId)> {
        let endpoint = |host: HostId| {
            self.host(host)
                .map(|h| h.spec.docker_host.clone())
                .unwrap_or_default()
        };
        match scope {
            Pane::Images => self
                .selected_image()
                .map(|i| {
                    let name = i.name().unwrap_or_else(|| i.id.clone());
                    let target = Target {
                        id: i.id.as_str().into(),
                        name: name.clone(),
                    };
                    let subject = Subject {
                        id: i.id.clone(),
                        name: name.clone(),
                        image: name,
                        host: endpoint(i.host),
                    };
                    (target, subject, i.host)
                })
                .into_iter()
                .collect(),
            Pane::Containers | Pane::Terminal => {
                let rows: Vec<_> = if marked && !self.containers.marks.is_empty() {
                    self.containers
                        .rows()
                        .filter(|c| self.is_marked(c))
                        .collect()
                } else {
                    self.selected_container().into_iter().collect()
                };
                rows.into_iter()
                    .map(|c| {
                        let subject = Subject {
                            id: c.id.to_string(),
                            name: c.name.clone(),
                            image: c.image.clone(),
                            host: endpoint(c.host),
                        };
                        (Target::from(c), subject, c.host)
                    })
                    .collect()
            }
        }
    }
}
