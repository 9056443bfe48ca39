//! The images pane as a kind of the generic list ([`super::list`]): its rows, cursor,
//! filter and sort are a `List<Images>` on [`App`], moved by the same code as every list.
//! The pane keeps its own drawing (`ui/images.rs`: the UPDATE column, ages) and its keys
//! (the `[keys.images]` scope), which call into the list.

use std::cmp::Ordering;

use super::keymap::ListAction;
use super::list::{Column, Kind, List, Width};
use super::lists::{SortBy, natural_cmp};
use super::view::{Ctx, Outcome};
use super::{App, Pane};
use crate::docker::{HostId, ImageRow};
use crate::format::short_id;

/// What `docker image ls` shows for a missing repository or tag.
pub const NONE: &str = "<none>";

/// The images pane's kind: `docker image ls` on every host.
#[derive(Debug, Clone, Copy, Default)]
pub struct Images;

/// Its columns, in the order the pane draws them (a click on a header sorts by it).
pub const HOST: usize = 0;
pub const REPOSITORY: usize = 1;
pub const TAG: usize = 2;
pub const UPDATE: usize = 3;
pub const CREATED: usize = 5;
const SIZE: usize = 6;

/// Names in natural order, a missing one (`<none>`) after every present one, as `docker
/// image ls` lists them.
fn named_last(a: &Option<String>, b: &Option<String>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => natural_cmp(a, b),
        (a, b) => a.is_none().cmp(&b.is_none()),
    }
}

fn by_name(a: &ImageRow, b: &ImageRow) -> Ordering {
    named_last(&a.repository, &b.repository).then_with(|| named_last(&a.tag, &b.tag))
}

impl Kind for Images {
    type Row = ImageRow;
    type Action = ListAction;
    const TITLE: &'static str = "Images";
    /// `>` steps through CREATED, REPOSITORY and SIZE, as the pane always did; HOST sorts on
    /// a click only.
    const CYCLE: Option<&'static [usize]> = Some(&[CREATED, REPOSITORY, SIZE]);
    const SORTED_ON_CHANGE: bool = true;

    fn columns(&self) -> Vec<Column<ImageRow>> {
        vec![
            Column::new("HOST", Width::Content(20), 0)
                .sorts(|a: &ImageRow, b: &ImageRow| a.host.cmp(&b.host)),
            Column::new("REPOSITORY", Width::Fit(60), 0).sorts(by_name),
            Column::new("TAG", Width::Content(40), 0),
            Column::new("UPDATE", Width::Fixed(6), 1),
            Column::new("IMAGE ID", Width::Fixed(12), 3),
            Column::new("CREATED", Width::Content(20), 1)
                .sorts(|a: &ImageRow, b: &ImageRow| a.created.cmp(&b.created))
                .down(),
            Column::new("SIZE", Width::Fixed(9), 2)
                .sorts(|a: &ImageRow, b: &ImageRow| a.size.cmp(&b.size))
                .down(),
        ]
    }

    fn id(row: &ImageRow) -> &str {
        &row.key
    }

    fn name(row: &ImageRow) -> &str {
        row.repository.as_deref().unwrap_or(&row.id)
    }

    fn id_noun() -> &'static str {
        "image id"
    }

    /// Its image id (its key is the row's: an image has a row per tag and host).
    fn copied(row: &ImageRow) -> &str {
        &row.id
    }

    /// `repo:tag`, else its id.
    fn copied_name(row: &ImageRow) -> std::borrow::Cow<'_, str> {
        row.name()
            .map_or(std::borrow::Cow::Borrowed(&row.id), Into::into)
    }

    /// What the filter looks in: the repository, tag and short id, as drawn (the pane
    /// draws the other cells itself, from the clock and the update checks).
    fn cells(&self, row: &ImageRow) -> Vec<String> {
        let text = |s: &Option<String>| s.as_deref().unwrap_or(NONE).to_string();
        vec![
            String::new(),
            text(&row.repository),
            text(&row.tag),
            String::new(),
            short_id(&row.id).to_string(),
            String::new(),
            String::new(),
        ]
    }

    fn verb(list: &mut List<Self>, action: ListAction, cx: &mut Ctx) -> Outcome {
        list.common(action, cx)
    }

    /// An image's tags by name, whichever way the column sorts.
    fn tie(a: &ImageRow, b: &ImageRow) -> Ordering {
        by_name(a, b)
    }
}

impl Images {
    /// The pane's list, sorted and filtered as the settings say.
    pub fn list(sort: super::lists::Sort, filter: &str) -> List<Self> {
        List::pane(Images, (Self::column(sort.by), sort.descending), filter)
    }

    /// The column a sort named in the config or by a header sorts by.
    pub fn column(by: SortBy) -> usize {
        match by {
            SortBy::Host => HOST,
            SortBy::Name | SortBy::Image => REPOSITORY,
            SortBy::Size => SIZE,
            SortBy::Created | SortBy::State | SortBy::Cpu | SortBy::Mem => CREATED,
        }
    }
}

impl App {
    /// The images the pane shows: filtered, then sorted.
    pub fn visible_images(&self) -> Vec<&ImageRow> {
        let shown = self.images.shown(&self.host_names);
        shown.into_iter().map(|r| &r.row).collect()
    }

    /// The selected image: the row the cursor names, else (a row gone since the last sync)
    /// the row drawn selected at its index, so what a key acts on is what the screen shows.
    pub fn selected_image(&self) -> Option<&ImageRow> {
        (self.images.selected().map(|r| &r.row)).or_else(|| {
            self.visible_images()
                .get(self.images.room.cursor.index)
                .copied()
        })
    }

    /// The images pane's rows once listed (counted up to what the pane can ever show).
    pub fn image_rows(&self) -> Option<usize> {
        let count = || self.images.shown_count(&self.host_names);
        (self.loaded).then(|| count().min(usize::from(self.size.1)))
    }

    /// A host's images, listed whole (the other hosts' stay).
    pub(super) fn replace_images(&mut self, host: HostId, images: Vec<ImageRow>) {
        let height = self.rows_in_view(Pane::Images);
        self.images.answer(host, images, height, &self.host_names);
    }

    /// The pane's cursor follows its row after its rows, filter or sort changed.
    pub(super) fn sync_images(&mut self) {
        let height = self.rows_in_view(Pane::Images);
        self.images.resync(height, &self.host_names);
    }
}
