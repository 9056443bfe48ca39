//! The disk usage view (`F`, `:df`): images, containers, volumes and build cache with their
//! count, size and what a prune could reclaim, as `docker system df`; a prune of the
//! selected kind says first what it will free. Read off the UI path, on open and refresh.

use crossterm::event::KeyEvent;

use super::App;
use super::dialog::{Confirm, ConfirmKind, Dialog};
use super::keymap::DiskUsageAction;
use super::room::Room;
use super::view::{Ctx, Outcome, View};
use crate::docker::disk::{DiskUsage, Usage};
use crate::docker::host::HostQuery;
use crate::docker::{Command, Op};
use crate::format::human_size;

/// The kinds, in the order `docker system df` lists them (also the rows' keys).
pub const KINDS: [&str; 4] = ["Images", "Containers", "Local Volumes", "Build Cache"];

#[derive(Debug, Clone)]
pub struct DiskUsageView {
    pub room: Room,
    pub usage: Option<DiskUsage>,
    /// Volume prune takes named volumes too only when asked (API 1.42 and later).
    pub prune_all: bool,
}

impl DiskUsageView {
    pub fn query(&self) -> Command {
        Command::Host {
            id: self.room.id,
            query: HostQuery::DiskUsage,
        }
    }

    /// Each kind with its usage, once read.
    pub fn rows(&self) -> Vec<(&'static str, Usage)> {
        let Some(u) = &self.usage else {
            return Vec::new();
        };
        let usages = [u.images, u.containers, u.volumes, u.build_cache];
        KINDS.into_iter().zip(usages).collect()
    }

    pub fn answer(&mut self, usage: DiskUsage, height: usize) {
        self.usage = Some(usage);
        self.room.sync(KINDS, height);
    }

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        if let Some(outcome) = self.room.overlay_key(key, cx) {
            return outcome;
        }
        match cx.keymap.get(key) {
            Some(DiskUsageAction::Close) => Outcome::close(),
            Some(DiskUsageAction::NextHost) => match self.room.next_host(cx) {
                Some(api) => {
                    self.prune_all = super::volumes::api_at_least(api, 42);
                    self.usage = None;
                    Outcome::stay().docker(self.query())
                }
                None => Outcome::stay(),
            },
            Some(DiskUsageAction::Refresh) => {
                self.room.loading = true;
                Outcome::stay().docker(self.query())
            }
            Some(DiskUsageAction::Prune) => {
                let rows = self.rows();
                let at = self.room.cursor.index;
                match rows.get(at) {
                    Some((kind, usage)) => {
                        let confirm = prune(kind, usage, self.prune_all);
                        self.room.ask(Dialog::Confirm(confirm), cx)
                    }
                    None => {
                        cx.activity.refuse("the disk usage is not read yet");
                        Outcome::stay()
                    }
                }
            }
            None => {
                if self.usage.is_some() {
                    self.room.nav(key, cx, KINDS);
                }
                Outcome::stay()
            }
        }
    }
}

/// "Removes …, freeing 1.2GB": what the prune of a kind takes, from the usage just read.
fn prune(kind: &str, usage: &Usage, all: bool) -> Confirm {
    let (op, what) = match kind {
        "Images" => (
            Op::PruneImages { label: None },
            "dangling images (untagged, no container uses them); tagged unused images stay",
        ),
        "Containers" => (
            Op::PruneContainers { label: None },
            "every stopped container",
        ),
        "Local Volumes" => (
            Op::PruneVolumes { label: None, all },
            "every volume no container uses, and its data",
        ),
        _ => (Op::PruneBuildCache, "build cache no build uses"),
    };
    let frees = match kind {
        // Dangling images are only part of what could be reclaimed.
        "Images" => format!("at most {}", human_size(usage.reclaimable)),
        _ => human_size(usage.reclaimable),
    };
    Confirm {
        title: format!(" Prune {}? ", kind.to_lowercase()),
        lines: vec![
            format!("Removes {what}."),
            format!(
                "Frees {frees} (of {} in {} {}).",
                human_size(usage.size),
                usage.total,
                kind.to_lowercase()
            ),
        ],
        kind: ConfirmKind::Actions(vec![op]),
        choices: vec![],
    }
}

impl App {
    pub(super) fn open_disk_usage(&mut self) -> Vec<Command> {
        let host = self.active_host();
        let view = DiskUsageView {
            room: Room::new(self.view_id(), host),
            usage: None,
            prune_all: self.prune_all_volumes(host),
        };
        let query = view.query();
        self.view = Some(View::DiskUsage(Box::new(view)));
        vec![query]
    }
}
