//! What the action keys do on the panes: open the right dialog, or send the action for the
//! marked (or selected) containers. Still no I/O: actions leave as commands.

use super::dialog::{Choice, Confirm, ConfirmKind, Dialog, Form};
use super::effects::Routed;
use super::image_remove::ImageFacts;
use super::keymap::PaneAction;
use super::view::{TransfersView, View};
use super::{App, Pane};
use crate::docker::{Command, ContainerState, HostId, Op, Target};
use crate::format::short_id;

/// Seconds `docker stop` waits before it kills (the CLI's default; `--stop-timeout`).
pub const STOP_TIMEOUT: u32 = 10;

/// "Stop 12 containers?": the count, a few `names` (as [`App::label`] gives them), and what
/// is skipped.
fn batch_confirm(ops: Vec<Op>, names: &[String], skipped: &[String]) -> Confirm {
    const SHOWN: usize = 5;
    let mut list = names[..names.len().min(SHOWN)].join(", ");
    if names.len() > SHOWN {
        list.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    let verb = ops.first().map_or("", |op| op.verbs().0);
    // The commands themselves are listed under it, each with its host's flag in a fleet.
    let mut lines = vec![format!("Containers: {list}.")];
    if !skipped.is_empty() {
        lines.push(format!("Skipped (nothing to do): {}.", skipped.join(", ")));
    }
    let title = format!(" {verb} {} containers? ", ops.len());
    Confirm::new(title, ConfirmKind::Actions(ops), lines)
}

/// What `docker compose` calls an action on a whole project, if it has one.
fn compose_verb(action: PaneAction) -> Option<&'static str> {
    match action {
        PaneAction::Start => Some("start"),
        PaneAction::Stop => Some("stop"),
        PaneAction::Restart => Some("restart"),
        _ => None,
    }
}

/// A confirmation about a whole Compose project says so (`label`: its name, with its host
/// when there are several), and what the compose CLI would do the same with (each
/// container still goes as its own action, in the command log).
fn as_project(confirm: &mut Confirm, project: &str, label: &str, verb: Option<&str>) {
    let count = match &confirm.kind {
        ConfirmKind::Actions(ops) => ops.len(),
        ConfirmKind::RemoveContainers(targets) => targets.len(),
        _ => 0,
    };
    let what = confirm.title.trim().split(' ').next().unwrap_or("Act on");
    let plural = if count == 1 { "" } else { "s" };
    confirm.title = format!(" {what} project {label} ({count} container{plural})? ");
    if let Some(verb) = verb {
        confirm
            .lines
            .push(format!("As docker compose -p {project} {verb}."));
    }
}

impl App {
    /// Records the actions and sends them to the Docker task.
    pub(super) fn submit(&mut self, ops: Vec<Op>) -> Vec<Routed> {
        self.submit_on(None, ops)
    }

    /// The same, to `host` when it is known where they were made (a dialog's host; see
    /// [`App::op_host`]).
    pub(super) fn submit_on(&mut self, host: Option<HostId>, ops: Vec<Op>) -> Vec<Routed> {
        let hosts: Vec<_> = ops.iter().map(|op| self.op_host(op, host)).collect();
        // A host that is down or read-only takes none of them: say which, change nothing.
        let refused = ops.iter().zip(&hosts).find_map(|(op, host)| {
            let changes = !matches!(op, Op::Custom(_)) && !op.reads_only();
            self.host_refuses(*host, changes)
        });
        if let Some(why) = refused {
            self.activity.refuse(why);
            return Vec::new();
        }
        if ops.iter().any(|op| op.container().is_some()) {
            self.containers.marks.clear();
        }
        // With several hosts each message names its host too (`web@beta`).
        let names = match self.fleet() {
            true => hosts
                .iter()
                .map(|h| self.host_name(*h).to_string())
                .collect(),
            false => Vec::new(),
        };
        let started = self.activity.start_all(ops, names, self.now);
        // The command log's line says which host, as the docker CLI would be told.
        for ((id, _), &host) in started.iter().zip(&hosts) {
            let flag = self.cli_flag(host).to_string();
            self.activity.name_host(*id, host, &flag);
        }
        (hosts.into_iter().zip(started))
            .map(|(host, (id, op))| (host, Command::Op { id, op }))
            .collect()
    }

    /// Marked containers, or else the selected one (a project's row: all of its
    /// containers); says so when there is none.
    pub(super) fn targets(&mut self) -> Option<Vec<Target>> {
        let targets: Vec<Target> = if let Some((_, targets)) = self
            .project_targets()
            .filter(|_| self.containers.marks.is_empty())
        {
            targets
        } else if self.containers.marks.is_empty() {
            self.selected_container()
                .map(Target::from)
                .into_iter()
                .collect()
        } else {
            self.containers
                .rows()
                .filter(|c| self.is_marked(c))
                .map(Target::from)
                .collect()
        };
        if targets.is_empty() {
            self.activity.refuse("no container selected");
            return None;
        }
        Some(targets)
    }

    /// The host a question about [`App::targets`] is asked for: the first marked row's, else
    /// the selected row's (marked rows on other hosts still go each to its own:
    /// [`App::op_host`]).
    pub(super) fn targets_host(&self) -> HostId {
        (self.containers.rows())
            .find(|c| self.is_marked(c))
            .map_or_else(|| self.active_host(), |c| c.host)
    }

    /// How a question or summary names a container: `name@host` with several hosts.
    pub(super) fn label(&self, target: &Target) -> String {
        match self.containers.rows().find(|c| c.id == target.id) {
            Some(c) => self.at_host(&target.name, c.host),
            None => target.name.clone(),
        }
    }

    /// The selected Compose project's name for the compose CLI, and as questions name it.
    fn project_label(&self) -> Option<(String, String)> {
        let (host, name) = self.selected_project()?;
        let label = self.at_host(&name, host);
        Some((name, label))
    }

    fn state_of(&self, id: &str) -> ContainerState {
        self.containers
            .rows()
            .find(|c| c.id == id)
            .map_or(ContainerState::Unknown, |c| c.state)
    }

    pub(super) fn lifecycle(&mut self, action: PaneAction) -> Vec<Routed> {
        let Some(targets) = self.targets() else {
            return Vec::new();
        };
        let mut skipped = Vec::new();
        let mut ops = Vec::new();
        for t in targets {
            let state = self.state_of(&t.id);
            let running = matches!(
                state,
                ContainerState::Running | ContainerState::Restarting | ContainerState::Paused
            );
            // Nothing to do for this one: say so instead of asking the daemon.
            let op = match action {
                PaneAction::Start if state == ContainerState::Running => None,
                PaneAction::Start => Some(Op::Start(t.clone())),
                PaneAction::Stop if !running => None,
                PaneAction::Stop => Some(Op::Stop {
                    target: t.clone(),
                    timeout: self.prefs.stop_timeout,
                }),
                PaneAction::Restart => Some(Op::Restart(t.clone())),
                _ if state == ContainerState::Paused => Some(Op::Unpause(t.clone())),
                _ if state == ContainerState::Running => Some(Op::Pause(t.clone())),
                _ => None,
            };
            match op {
                Some(op) => ops.push(op),
                None => skipped.push(format!("{} is {}", self.label(&t), state.as_str())),
            }
        }
        if ops.is_empty() {
            if !skipped.is_empty() {
                self.activity
                    .refuse(format!("nothing to do: {}", skipped.join(", ")));
            }
            return Vec::new();
        }
        let project = self
            .project_label()
            .filter(|_| self.containers.marks.is_empty());
        if ops.len() == 1 && project.is_none() {
            return self.submit(ops);
        }
        // Several marked rows, or a whole project: say which, and ask first.
        let targets: Vec<Target> = ops
            .iter()
            .filter_map(|op| op.container())
            .cloned()
            .collect();
        let names: Vec<String> = targets.iter().map(|t| self.label(t)).collect();
        let host = self.targets_host();
        let mut confirm = batch_confirm(ops, &names, &skipped);
        if let Some((name, label)) = project {
            as_project(&mut confirm, &name, &label, compose_verb(action));
        }
        self.open(host, Dialog::Confirm(confirm));
        Vec::new()
    }

    /// The selected image's `repo:tag`; `None` for a row without one (dangling, or pulled
    /// by digest only), where a bare repository would mean `:latest`, another image.
    pub(super) fn image_name(&self) -> Option<String> {
        let image = self.selected_image()?;
        image.name()
    }

    /// How to speak of the selected image, and how to address it: its name, or its id.
    pub(super) fn image_label_and_target(&self) -> Option<(String, String)> {
        let image = self.selected_image()?;
        Some(match self.image_name() {
            Some(name) => (name.clone(), name),
            None => (short_id(&image.id).to_string(), image.id.clone()),
        })
    }

    /// `P`: the selected image's name to its registry, its progress shown as a pull's. A
    /// name with no registry or namespace (`busybox`: Docker Hub's official images) opens
    /// the tag form first.
    pub(super) fn push_image(&mut self) -> Vec<Routed> {
        let Some((image, (name, _))) = self
            .selected_image()
            .cloned()
            .zip(self.image_label_and_target())
        else {
            self.activity.refuse("no image selected");
            return Vec::new();
        };
        match crate::reference::parse(&name) {
            Ok(r) if r.domain.is_some() || r.path.contains('/') => {
                let commands = self.submit_on(Some(image.host), vec![Op::Push(r)]);
                if !commands.is_empty() {
                    self.push_view(View::Transfers(TransfersView::default()));
                }
                commands
            }
            _ => {
                let form = Form::tag(image.id.clone(), name.clone());
                self.open(image.host, Dialog::Form(form));
                self.activity.refuse(format!(
                    "{name} has no registry name: tag it as REGISTRY/NAME:TAG, then push"
                ));
                Vec::new()
            }
        }
    }

    pub(super) fn remove_image_dialog(&mut self) {
        let (Some(image), Some((name, target))) = (
            self.selected_image().cloned(),
            self.image_label_and_target(),
        ) else {
            self.activity.refuse("no image selected");
            return;
        };
        let names = self.images.rows().filter(|i| i.id == image.id).count();
        let users = |running: bool| -> Vec<String> {
            self.containers
                .rows()
                .filter(|c| c.image_id == image.id && c.state.is_running() == running)
                .map(|c| c.name.clone())
                .collect()
        };
        let facts = ImageFacts {
            id: image.id.clone(),
            name: image.name(),
            size: image.size,
            other_names: names.saturating_sub(1),
            running_users: users(true),
            stopped_users: users(false),
        };
        let mut confirm = Confirm {
            kind: ConfirmKind::RemoveImage {
                target,
                facts: Box::new(facts),
            },
            title: format!(" Remove image {}? ", self.at_host(&name, image.host)),
            lines: Vec::new(),
            choices: vec![Choice {
                key: 'f',
                label: "force (--force)",
                on: false,
            }],
            host: image.host,
        };
        confirm.refresh();
        self.open(image.host, Dialog::Confirm(confirm));
    }

    pub(super) fn remove_containers_dialog(&mut self) {
        let Some(targets) = self.targets() else {
            return;
        };
        let running: Vec<String> = targets
            .iter()
            .filter(|t| self.state_of(&t.id).is_running())
            .map(|t| self.label(t))
            .collect();
        let names: Vec<String> = targets.iter().map(|t| self.label(t)).collect();
        let mut lines = vec![format!("Removes {} and its filesystem.", names.join(", "))];
        if !running.is_empty() {
            lines.push(format!(
                "Running: {}. Force kills first; without force the daemon refuses.",
                running.join(", ")
            ));
        }
        let title = match names.as_slice() {
            [one] => format!(" Remove container {one}? "),
            many => format!(" Remove {} containers? ", many.len()),
        };
        let force = !running.is_empty();
        let host = self.targets_host();
        let mut confirm = Confirm {
            kind: ConfirmKind::RemoveContainers(targets),
            title,
            lines,
            choices: vec![
                Choice {
                    key: 'f',
                    label: "force (--force)",
                    on: force,
                },
                Choice {
                    key: 'v',
                    label: "remove anonymous volumes (--volumes)",
                    on: false,
                },
            ],
            host,
        };
        if let Some((name, label)) = self
            .project_label()
            .filter(|_| self.containers.marks.is_empty())
        {
            as_project(&mut confirm, &name, &label, Some("rm --stop"));
        }
        self.open(host, Dialog::Confirm(confirm));
    }

    pub(super) fn prune_dialog(&mut self) {
        // A prune goes to the selected row's host: its rows alone are counted.
        let host = self.active_host();
        let (kind, title, line) = match self.focus {
            Pane::Containers | Pane::Terminal => {
                let stopped = self
                    .containers
                    .rows()
                    .filter(|c| c.host == host)
                    .filter(|c| {
                        matches!(
                            c.state,
                            ContainerState::Exited | ContainerState::Dead | ContainerState::Created
                        )
                    })
                    .count();
                (
                    ConfirmKind::PruneContainers,
                    " Prune stopped containers? ",
                    format!("Removes every stopped container ({stopped} now)."),
                )
            }
            Pane::Images => {
                let dangling = self
                    .images
                    .rows()
                    .filter(|i| i.host == host && i.repository.is_none())
                    .count();
                (
                    ConfirmKind::PruneImages,
                    " Prune dangling images? ",
                    format!(
                        "Removes every untagged image no container uses ({dangling} untagged now)."
                    ),
                )
            }
        };
        // With several hosts the question names it.
        let title = match self.fleet() {
            true => format!(
                "{} on {}? ",
                title.trim_end_matches("? "),
                self.host_name(host)
            ),
            false => title.to_string(),
        };
        self.open(host, Dialog::Confirm(Confirm::new(title, kind, vec![line])));
    }
}
