//! The disk usage view (`F`, `:df`): images, containers, volumes and build cache with their
//! count, size and what a prune could reclaim, as `docker system df`; a prune of the
//! selected kind says first what it will free. Read off the UI path, on open and refresh.

use super::dialog::{Confirm, ConfirmKind, Dialog};
use super::keymap::DiskUsageAction;
use super::list::{Column, Kind, List, Width};
use super::view::{Ctx, Outcome};
use crate::docker::disk::Usage;
use crate::docker::host::{HostAnswer, HostQuery};
use crate::docker::{HostId, Op};
use crate::format::human_size;

/// The kinds, in the order `docker system df` lists them (also the rows' keys).
pub const KINDS: [&str; 4] = ["Images", "Containers", "Local Volumes", "Build Cache"];

/// One kind's line of `docker system df`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskRow {
    pub kind: &'static str,
    pub usage: Usage,
}

/// The disk usage kind.
#[derive(Debug, Clone)]
pub struct Disk;

impl Kind for Disk {
    type Row = DiskRow;
    type Action = DiskUsageAction;
    const TITLE: &'static str = "Disk usage";

    fn columns(&self) -> Vec<Column<DiskRow>> {
        vec![
            Column::new("TYPE", Width::Fixed(14), 0),
            // Room for the sort arrow ("ACTIVE ▲").
            Column::new("TOTAL", Width::Fixed(8), 0)
                .sorts(|a, b| a.usage.total.cmp(&b.usage.total)),
            Column::new("ACTIVE", Width::Fixed(8), 1)
                .sorts(|a, b| a.usage.active.cmp(&b.usage.active)),
            Column::new("SIZE", Width::Fixed(9), 0).sorts(|a, b| a.usage.size.cmp(&b.usage.size)),
            Column::new("RECLAIMABLE", Width::Fixed(16), 0)
                .sorts(|a, b| a.usage.reclaimable.cmp(&b.usage.reclaimable)),
        ]
    }

    fn id(row: &DiskRow) -> &str {
        row.kind
    }

    fn name(row: &DiskRow) -> &str {
        row.kind
    }

    fn cells(&self, r: &DiskRow) -> Vec<String> {
        let u = r.usage;
        let percent = match u.size {
            0 => 0,
            size => u.reclaimable.saturating_mul(100) / size,
        };
        vec![
            r.kind.to_string(),
            u.total.to_string(),
            u.active.to_string(),
            human_size(u.size),
            format!("{} ({percent}%)", human_size(u.reclaimable)),
        ]
    }

    fn query(&self, _full: bool) -> Option<HostQuery> {
        Some(HostQuery::DiskUsage)
    }

    /// A host's kinds with their usage, in the order `docker system df` lists them.
    fn rows(_: &List<Self>, _: HostId, answer: HostAnswer) -> Option<Vec<DiskRow>> {
        let HostAnswer::DiskUsage(u) = answer else {
            return None;
        };
        let usages = [u.images, u.containers, u.volumes, u.build_cache];
        let rows = KINDS.into_iter().zip(usages);
        Some(rows.map(|(kind, usage)| DiskRow { kind, usage }).collect())
    }

    fn verb(list: &mut List<Self>, action: DiskUsageAction, cx: &mut Ctx) -> Outcome {
        match action {
            DiskUsageAction::Close => Outcome::close(),
            DiskUsageAction::Refresh => list.refresh(cx),
            // The marked kinds, else the selected one: one question for them all.
            DiskUsageAction::Prune => match list.aim(cx) {
                Some(rows) => {
                    let all = super::volumes::prune_all(cx, list.room.host);
                    list.room.ask(Dialog::Confirm(prune(&rows, all)), cx)
                }
                None => Outcome::stay(),
            },
        }
    }
}

/// One question for the prune of every kind in `rows`, each saying what it frees.
fn prune(rows: &[DiskRow], all: bool) -> Confirm {
    let mut ops = Vec::new();
    let mut lines = Vec::new();
    for row in rows {
        let (op, said) = prune_one(row.kind, &row.usage, all);
        ops.push(op);
        lines.extend(said);
    }
    let kinds: Vec<String> = rows.iter().map(|r| r.kind.to_lowercase()).collect();
    Confirm::new(
        format!(" Prune {}? ", kinds.join(", ")),
        ConfirmKind::Actions(ops),
        lines,
    )
}

/// "Removes …, freeing 1.2GB": what the prune of a kind takes, from the usage just read.
fn prune_one(kind: &str, usage: &Usage, all: bool) -> (Op, [String; 2]) {
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
    let lines = [
        format!("Removes {what}."),
        format!(
            "Frees {frees} (of {} in {} {}).",
            human_size(usage.size),
            usage.total,
            kind.to_lowercase()
        ),
    ];
    (op, lines)
}
