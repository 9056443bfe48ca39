//! The volumes view (`V`, `:volumes`): every volume with its driver, scope, size (from the
//! daemon's disk usage, read on open and on refresh only) and the containers using it;
//! create, remove, prune and inspect. Volume events (and containers created or removed)
//! list the volumes again, without sizes.

use super::dialog::{Confirm, ConfirmKind, Dialog, Form};
use super::keymap::VolumesAction;
use super::list::{Column, Kind, List, Width, by_text};
use super::view::{Ctx, Outcome};
use crate::docker::host::{HostAnswer, HostQuery};
use crate::docker::inspect::InspectTarget;
use crate::docker::volumes::VolumeRow;
use crate::docker::{EngineEvent, EventKind, HostId, Op};
use crate::format::human_size;

/// The volumes kind.
#[derive(Debug, Clone)]
pub struct Volumes;

impl Kind for Volumes {
    type Row = VolumeRow;
    type Action = VolumesAction;
    const TITLE: &'static str = "Volumes";

    fn columns(&self) -> Vec<Column<VolumeRow>> {
        vec![
            Column::new("NAME", Width::Content(30), 0).sorts(|a, b| by_text(&a.name, &b.name)),
            Column::new("DRIVER", Width::Content(16), 2)
                .sorts(|a, b| by_text(&a.driver, &b.driver)),
            Column::new("SCOPE", Width::Fixed(6), 3),
            Column::new("SIZE", Width::Fixed(9), 1).sorts(|a, b| a.size.cmp(&b.size)),
            Column::new("USED BY", Width::Grow(12), 0)
                .sorts(|a, b| a.users.len().cmp(&b.users.len())),
        ]
    }

    fn id(row: &VolumeRow) -> &str {
        &row.name
    }

    fn name(row: &VolumeRow) -> &str {
        &row.name
    }

    fn cells(&self, r: &VolumeRow) -> Vec<String> {
        let used = match r.users.len() {
            0 => "—".to_string(),
            n => format!("{n}: {}", users(r)),
        };
        vec![
            r.name.clone(),
            r.driver.clone(),
            r.scope.clone(),
            r.size.map_or("?".into(), human_size),
            used,
        ]
    }

    fn query(&self, full: bool) -> Option<HostQuery> {
        Some(HostQuery::Volumes { sizes: full })
    }

    /// A listing without sizes keeps the sizes known.
    fn rows(list: &List<Self>, host: HostId, answer: HostAnswer) -> Option<Vec<VolumeRow>> {
        let HostAnswer::Volumes(mut rows, usage) = answer else {
            return None;
        };
        if usage.is_none() {
            for row in &mut rows {
                row.size = (list.rows.iter())
                    .find(|old| old.host == host && old.row.name == row.name)
                    .and_then(|old| old.row.size);
            }
        }
        Some(rows)
    }

    fn concerns(event: &EngineEvent) -> bool {
        event.kind == EventKind::Volume || super::list::container_came_or_went(event)
    }

    fn verb(list: &mut List<Self>, action: VolumesAction, cx: &mut Ctx) -> Outcome {
        match action {
            VolumesAction::Close => Outcome::close(),
            VolumesAction::Refresh => list.refresh(cx),
            VolumesAction::Create => list.create(Form::create_volume(), cx),
            VolumesAction::Remove => match list.aim(cx) {
                Some(rows) => {
                    let rows: Vec<&VolumeRow> = rows.iter().collect();
                    match remove(&rows) {
                        Some(confirm) => list.room.ask(Dialog::Confirm(confirm), cx),
                        None => Outcome::stay(),
                    }
                }
                None => Outcome::stay(),
            },
            VolumesAction::Prune => {
                let host = list.aim_host();
                let rows: Vec<VolumeRow> = list.host_rows().cloned().collect();
                let confirm = prune(&rows, prune_all(cx, host));
                list.room.ask(Dialog::Confirm(confirm), cx)
            }
            VolumesAction::Inspect => match list.aim(cx) {
                Some(rows) => {
                    let name = rows.into_iter().next().map(|r| r.name).unwrap_or_default();
                    list.room
                        .inspect(format!("volume {name}"), InspectTarget::Volume(name))
                }
                None => Outcome::stay(),
            },
        }
    }
}

/// Whether a volume prune on `host` must ask for named volumes too (API 1.42 and later).
pub(super) fn prune_all(cx: &Ctx, host: HostId) -> bool {
    cx.hosts
        .iter()
        .any(|(id, api)| *id == host && api_at_least(api, 42))
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

/// Asks before removing (the marked volumes, or the selected one); names the containers
/// that use each (the daemon will refuse). `None` with nothing to remove.
fn remove(rows: &[&VolumeRow]) -> Option<Confirm> {
    let mut lines = Vec::new();
    for row in rows {
        lines.push(format!(
            "Removes volume {} and its data ({}).",
            row.name,
            size(row)
        ));
        if !row.users.is_empty() {
            lines.push(format!(
                "Used by {}: the daemon refuses while a container uses it, running or not.",
                users(row)
            ));
        }
    }
    let title = match rows {
        [] => return None,
        [one] => format!(" Remove volume {}? ", one.name),
        many => format!(" Remove {} volumes? ", many.len()),
    };
    let ops = rows
        .iter()
        .map(|r| Op::RemoveVolume {
            name: r.name.clone(),
        })
        .collect();
    Some(Confirm::new(title, ConfirmKind::Actions(ops), lines))
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
    Confirm::new(
        " Prune unused volumes? ",
        ConfirmKind::Actions(vec![Op::PruneVolumes { label: None, all }]),
        lines,
    )
}

/// Whether an API version ("1.45") is at least 1.`minor`.
pub(super) fn api_at_least(version: &str, minor: u32) -> bool {
    let mut parts = version.split('.');
    let major: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    let at: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    major > 1 || (major == 1 && at >= minor)
}
