//! The volumes view (`V`, `:volumes`): every volume with its driver, scope, size (from the
//! daemon's disk usage, read on open and on refresh only) and the containers using it;
//! create, remove, prune and inspect. Volume events (and containers created or removed)
//! list the volumes again, without sizes.

use crossterm::event::KeyEvent;

use super::dialog::{Confirm, ConfirmKind, Dialog, Form};
use super::keymap::VolumesAction;
use super::room::Room;
use super::view::{Ctx, Outcome, View};
use super::{App, Connection};
use crate::docker::host::HostQuery;
use crate::docker::inspect::InspectTarget;
use crate::docker::volumes::VolumeRow;
use crate::docker::{Command, Op};
use crate::format::human_size;

#[derive(Debug, Clone)]
pub struct VolumesView {
    pub room: Room,
    pub rows: Vec<VolumeRow>,
    /// The daemon prunes named volumes only when asked to (API 1.42 and later).
    pub prune_all: bool,
}

impl VolumesView {
    pub fn query(&self, sizes: bool) -> Command {
        Command::Host {
            id: self.room.id,
            query: HostQuery::Volumes { sizes },
        }
    }

    pub fn selected(&self) -> Option<&VolumeRow> {
        let name = self.room.cursor.selected.as_deref()?;
        self.rows.iter().find(|r| r.name == name)
    }

    /// New rows; a listing without sizes keeps the sizes known.
    pub fn answer(&mut self, mut rows: Vec<VolumeRow>, sized: bool, height: usize) {
        if !sized {
            for row in &mut rows {
                row.size = self
                    .rows
                    .iter()
                    .find(|old| old.name == row.name)
                    .and_then(|old| old.size);
            }
        }
        self.rows = rows;
        self.room
            .sync(self.rows.iter().map(|r| r.name.as_str()), height);
    }

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        if let Some(outcome) = self.room.overlay_key(key, cx) {
            return outcome;
        }
        match cx.keymap.get(key) {
            Some(VolumesAction::Close) => Outcome::close(),
            Some(VolumesAction::NextHost) => match self.room.next_host(cx) {
                Some(api) => {
                    self.prune_all = api_at_least(api, 42);
                    self.rows.clear();
                    Outcome::stay().docker(self.query(true))
                }
                None => Outcome::stay(),
            },
            Some(VolumesAction::Refresh) => {
                self.room.loading = true;
                Outcome::stay().docker(self.query(true))
            }
            Some(VolumesAction::Create) => self.room.ask(Dialog::Form(Form::create_volume()), cx),
            Some(VolumesAction::Remove) => match self.selected().map(remove) {
                Some(confirm) => self.room.ask(Dialog::Confirm(confirm), cx),
                None => nothing(cx),
            },
            Some(VolumesAction::Prune) => {
                let confirm = prune(&self.rows, self.prune_all);
                self.room.ask(Dialog::Confirm(confirm), cx)
            }
            Some(VolumesAction::Inspect) => match self.selected() {
                Some(row) => {
                    let name = row.name.clone();
                    self.room
                        .inspect(format!("volume {name}"), InspectTarget::Volume(name))
                }
                None => nothing(cx),
            },
            None => {
                let keys: Vec<String> = self.rows.iter().map(|r| r.name.clone()).collect();
                self.room.nav(key, cx, keys.iter().map(String::as_str));
                Outcome::stay()
            }
        }
    }
}

fn nothing(cx: &mut Ctx) -> Outcome {
    cx.activity.refuse("no volume selected");
    Outcome::stay()
}

/// "Used by web, db": who holds a volume.
pub fn users(row: &VolumeRow) -> String {
    match row.users.as_slice() {
        [] => "no container".into(),
        names => names.join(", "),
    }
}

fn size(row: &VolumeRow) -> String {
    row.size.map_or("size not known".into(), human_size)
}

/// Asks before removing; names the containers that use it (the daemon will refuse).
fn remove(row: &VolumeRow) -> Confirm {
    let mut lines = vec![format!(
        "Removes volume {} and its data ({}).",
        row.name,
        size(row)
    )];
    if !row.users.is_empty() {
        lines.push(format!(
            "Used by {}: the daemon refuses while a container uses it, running or not.",
            users(row)
        ));
    }
    Confirm {
        title: format!(" Remove volume {}? ", row.name),
        kind: ConfirmKind::Actions(vec![Op::RemoveVolume {
            name: row.name.clone(),
        }]),
        lines,
        choices: vec![],
    }
}

/// Asks before pruning, saying which volumes go and what that frees (as far as known).
fn prune(rows: &[VolumeRow], all: bool) -> Confirm {
    let unused: Vec<&VolumeRow> = rows.iter().filter(|r| r.users.is_empty()).collect();
    let names: Vec<&str> = unused.iter().map(|r| r.name.as_str()).collect();
    const SHOWN: usize = 5;
    let mut list = names[..names.len().min(SHOWN)].join(", ");
    if names.len() > SHOWN {
        list.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    let freed: i64 = unused.iter().filter_map(|r| r.size).sum();
    let unknown = unused.iter().any(|r| r.size.is_none());
    let mut lines = vec![match unused.len() {
        0 => "No volume is unused now: nothing to free.".to_string(),
        n => format!(
            "Removes {} no container uses ({list}), freeing {}.",
            crate::format::plural(n, "volume", "volumes"),
            match (freed, unknown) {
                (0, true) => "what the daemon has not measured yet".to_string(),
                (_, true) => format!("{} or more", human_size(freed)),
                _ => human_size(freed),
            }
        ),
    }];
    if !all {
        lines.push("This engine prunes every unused volume, named or anonymous.".into());
    }
    Confirm {
        title: " Prune unused volumes? ".into(),
        kind: ConfirmKind::Actions(vec![Op::PruneVolumes { label: None, all }]),
        lines,
        choices: vec![],
    }
}

/// Whether an API version ("1.45") is at least 1.`minor`.
pub(super) fn api_at_least(version: &str, minor: u32) -> bool {
    let mut parts = version.split('.');
    let major: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    let at: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    major > 1 || (major == 1 && at >= minor)
}

impl App {
    /// Whether a volume prune on `host` must ask for named volumes too (API 1.42 and later).
    pub(super) fn prune_all_volumes(&self, host: crate::docker::HostId) -> bool {
        match self.host(host).map(|h| &h.connection) {
            Some(Connection::Up(info)) => api_at_least(&info.api_version, 42),
            _ => false,
        }
    }

    pub(super) fn open_volumes(&mut self) -> Vec<Command> {
        let host = self.active_host();
        let view = VolumesView {
            room: Room::new(self.view_id(), host),
            rows: Vec::new(),
            prune_all: self.prune_all_volumes(host),
        };
        let query = view.query(true);
        self.view = Some(View::Volumes(Box::new(view)));
        vec![query]
    }
}
