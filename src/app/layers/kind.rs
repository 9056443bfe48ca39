//! The left side of the layers view as a kind of the generic list: one row a layer, bottom
//! first, its instruction, size, files and changes (filled in as its layer is read, the
//! changes once every layer is).

use super::super::keymap::ListAction;
use super::super::list::{Column, Kind, List, Tone, Width, by_text};
use super::super::view::{Ctx, Outcome};
use crate::format::human_size;

/// The layers kind.
#[derive(Debug, Clone)]
pub struct Layers;

/// A layer as the list shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerRow {
    /// Bottom first, from 0; also its key.
    pub index: usize,
    pub key: String,
    /// Its diff id (`sha256:…` of its tar, as `docker image inspect` lists it): what `y`
    /// copies.
    pub digest: String,
    pub created_by: String,
    /// Its files' bytes once read; before, the daemon's or the manifest's figure.
    pub size: Option<u64>,
    /// Entries read (`None`: not read yet).
    pub files: Option<usize>,
    /// Added, changed, removed (once every layer is read).
    pub changes: Option<[usize; 3]>,
}

/// Its columns, in the order drawn.
const INDEX: usize = 0;
const SIZE: usize = 1;
const FILES: usize = 2;
const ADD: usize = 3;
const CHG: usize = 4;
const DEL: usize = 5;
const CREATED_BY: usize = 6;

/// Its added, changed or removed paths (`i`: 0, 1, 2), once known.
fn changes(row: &LayerRow, i: usize) -> Option<usize> {
    row.changes.map(|c| c[i])
}

fn count(n: Option<usize>) -> String {
    n.map_or("…".into(), |n| n.to_string())
}

impl Kind for Layers {
    type Row = LayerRow;
    /// The view takes its own keys ([`super::LayersView::on_key`]); the list, every list's.
    type Action = ListAction;
    const TITLE: &'static str = "Layers";
    const HOSTED: bool = false;
    /// `>` steps from the size on (the rows come as `#` sorts them), then back to `#`.
    const CYCLE: Option<&'static [usize]> = Some(&[SIZE, FILES, ADD, CHG, DEL, CREATED_BY, INDEX]);

    fn columns(&self) -> Vec<Column<LayerRow>> {
        type R = LayerRow;
        vec![
            Column::new("#", Width::Content(4), 0).sorts(|a, b| a.index.cmp(&b.index)),
            // Sizes and counts biggest first.
            Column::new("SIZE", Width::Content(9), 0)
                .sorts(|a: &R, b: &R| a.size.cmp(&b.size))
                .down(),
            Column::new("FILES", Width::Content(7), 2)
                .sorts(|a: &R, b: &R| a.files.cmp(&b.files))
                .down(),
            Column::new("ADD", Width::Content(6), 1)
                .sorts(|a: &R, b: &R| changes(a, 0).cmp(&changes(b, 0)))
                .down(),
            Column::new("CHG", Width::Content(6), 1)
                .sorts(|a: &R, b: &R| changes(a, 1).cmp(&changes(b, 1)))
                .down(),
            Column::new("DEL", Width::Content(6), 1)
                .sorts(|a: &R, b: &R| changes(a, 2).cmp(&changes(b, 2)))
                .down(),
            Column::new("CREATED BY", Width::Grow(10), 0)
                .sorts(|a, b| by_text(&a.created_by, &b.created_by)),
        ]
    }

    fn id(row: &LayerRow) -> &str {
        &row.key
    }

    fn name(row: &LayerRow) -> &str {
        &row.created_by
    }

    fn id_noun() -> &'static str {
        "diff id"
    }

    fn copied(row: &LayerRow) -> &str {
        &row.digest
    }

    fn name_noun() -> &'static str {
        "instruction"
    }

    fn cells(&self, row: &LayerRow) -> Vec<String> {
        let size = row.size.map_or("…".into(), |b| {
            human_size(i64::try_from(b).unwrap_or(i64::MAX))
        });
        vec![
            row.index.to_string(),
            size,
            count(row.files),
            count(changes(row, 0)),
            count(changes(row, 1)),
            count(changes(row, 2)),
            // One line: a RUN's `&& \` continuations run together.
            row.created_by
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ]
    }

    /// A layer not read yet is drawn dim.
    fn tone(&self, row: &LayerRow) -> Option<(usize, Tone)> {
        row.files.is_none().then_some((0, Tone::Dim))
    }

    // No query: its rows come from the view's reading, not from a host's answer.

    fn verb(list: &mut List<Self>, action: ListAction, cx: &mut Ctx) -> Outcome {
        list.common(action, cx)
    }
}
