//! The layers view (`v` on an image, `:layers IMAGE`, `v` on a platform in the structure
//! view): left, the layers (a kind of the generic list); right, the file tree as of the
//! selected layer, its changes marked; below, the waste and dive's score. The layers are
//! named at once; each fills in as the export (or the registry's blob) is read on a worker;
//! `Esc` closes and stops the reading.

mod files;
mod kind;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

use crossterm::event::KeyEvent;

pub use files::{Files, Node, Row, Shape};
pub use kind::{LayerRow, Layers};

use super::App;
use super::effects::Routed;
use super::keymap::{LayersAction, ListAction};
use super::list::{Hosted, List, ListView};
use super::room::Room;
use super::view::{Ctx, Outcome, View};
use crate::docker::layers::analysis::{self, Analysis};
use crate::docker::layers::feed::{Answer, Source};
use crate::docker::layers::read::{LayerTar, SavedLayer};
use crate::docker::{Command, HostId, OpError, StreamId};

/// Lines the waste part takes below the two sides (its borders and header included).
pub const WASTE_LINES: u16 = 7;

/// Rows a page key moves in either side, in a view area of `view_page` rows a page (the
/// summary line and the waste part are above and below them).
pub fn page(view_page: usize) -> usize {
    view_page
        .saturating_sub(1 + usize::from(WASTE_LINES))
        .max(1)
}

/// The side the keys move in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Side {
    #[default]
    Layers,
    Files,
}

#[derive(Debug, Clone)]
pub struct LayersView {
    pub id: StreamId,
    /// The image as the user named it (a reference for a remote one).
    pub title: String,
    pub remote: bool,
    pub list: List<Layers>,
    /// Bottom first: as named, each tar filled in as it is read.
    pub layers: Vec<SavedLayer>,
    pub read: Vec<bool>,
    /// Sizes the daemon or the manifest gave before the layers are read.
    sizes: Vec<Option<u64>>,
    pub analysis: Option<Box<Analysis>>,
    pub error: Option<OpError>,
    pub focus: Side,
    /// The tree's cursor and filter (each row keyed by its path).
    pub files: Room,
    pub folded: HashSet<String>,
    pub shape: Shape,
    /// The tree of the layer shown, and what it was built for.
    pub tree: Option<Files>,
    built: Option<(usize, Shape)>,
    /// The rows of the tree drawn (folds and the filter applied).
    pub rows: Vec<Row>,
}

impl LayersView {
    pub fn new(id: StreamId, host: HostId, title: String, remote: bool) -> Self {
        // The tree is built here, not read: the reading shows on the layers' side.
        let mut files = Room::new(id, host);
        files.loading = false;
        Self {
            id,
            title,
            remote,
            list: List::new(Layers, Room::new(id, host)),
            layers: Vec::new(),
            read: Vec::new(),
            sizes: Vec::new(),
            analysis: None,
            error: None,
            focus: Side::Layers,
            files,
            folded: HashSet::new(),
            shape: Shape::default(),
            tree: None,
            built: None,
            rows: Vec::new(),
        }
    }

    /// The selected layer's index.
    pub fn selected(&self) -> Option<usize> {
        self.list.selected().map(|r| r.row.index)
    }

    /// The reading is under way.
    pub fn reading(&self) -> bool {
        self.analysis.is_none() && self.error.is_none()
    }

    /// What the reading heard.
    pub fn answer(&mut self, answer: Answer, page: usize) {
        match answer {
            Answer::Heads(heads) => {
                self.sizes = heads.iter().map(|h| h.size).collect();
                self.read = vec![false; heads.len()];
                self.layers = (heads.into_iter())
                    .map(|h| SavedLayer {
                        id: h.id,
                        created_by: h.created_by,
                        tar: LayerTar::default(),
                    })
                    .collect();
            }
            Answer::Layer { at, tar } => {
                for i in at {
                    if let (Some(layer), Some(read)) =
                        (self.layers.get_mut(i), self.read.get_mut(i))
                    {
                        layer.tar = tar.clone();
                        *read = true;
                    }
                    // A layer the tree shown stacks: build it again.
                    if self.built.is_some_and(|(shown, _)| i <= shown) {
                        self.built = None;
                    }
                }
            }
            Answer::Done { layers, analysis } => {
                self.read = vec![true; layers.len()];
                // Same layers: the tree shown stays; the instructions are the config's.
                if layers.len() != self.layers.len() {
                    self.built = None;
                }
                self.layers = layers;
                self.analysis = Some(analysis);
                self.list.room.loading = false;
            }
            Answer::Failed(e) => {
                self.list.room.loading = false;
                self.list.room.error = Some(e.clone());
                self.error = Some(e);
            }
        }
        self.refresh(page);
    }

    /// The layers list's rows as now known.
    fn layer_rows(&self) -> Vec<Hosted<LayerRow>> {
        let host = self.list.room.host;
        (self.layers.iter().enumerate())
            .map(|(i, layer)| {
                let read = self.read.get(i).copied().unwrap_or(false);
                let summary = self.analysis.as_ref().and_then(|a| a.layers.get(i));
                let size = match read {
                    true => Some(layer.tar.items.iter().map(put_size).sum()),
                    false => self.sizes.get(i).copied().flatten(),
                };
                Hosted {
                    host,
                    row: LayerRow {
                        index: i,
                        key: i.to_string(),
                        digest: layer.id.clone(),
                        created_by: layer.created_by.clone(),
                        size,
                        files: read.then_some(layer.tar.items.len()),
                        changes: summary.map(|s| [s.added, s.changed, s.removed]),
                    },
                }
            })
            .collect()
    }

    /// A click on the layers' side, as on any list: on a kind column's header (`column`) it
    /// sorts by it, on the `row`-th row drawn it selects it; that side takes the keys then.
    /// `view_page`: a full view's page.
    pub fn click_layers(&mut self, column: Option<usize>, row: Option<usize>, view_page: usize) {
        let page = page(view_page);
        self.focus = Side::Layers;
        if let Some(at) = column {
            self.list.sort_column(at, page, &[]);
        }
        if let Some(row) = row {
            let at = self.list.room.cursor.offset + row;
            ListView::select_shown(&mut self.list, at, page, &[]);
        }
        self.refresh(page);
    }

    /// After anything changed: the list's rows, the tree of the selected layer (built again
    /// only when the layer or the toggles changed), and the rows drawn.
    pub fn refresh(&mut self, page: usize) {
        let rows = self.layer_rows();
        self.list.replace(rows, page, &[]);
        let Some(at) = self.selected() else {
            (self.tree, self.built) = (None, None);
            self.rows.clear();
            return;
        };
        let ready = self.read.get(..=at).is_some_and(|r| r.iter().all(|&r| r));
        if !ready {
            (self.tree, self.built) = (None, None);
        } else if self.built != Some((at, self.shape)) {
            let (tree, changes) = analysis::tree_and_changes(&self.layers, at);
            let own = &self.layers[at].tar.items;
            let entries = files::entries(&tree, &changes, own, self.shape);
            self.tree = Some(Files::build(&entries, &tree, self.shape.by_size));
            self.built = Some((at, self.shape));
        }
        self.rows = match &self.tree {
            Some(tree) => tree.rows(&self.folded, self.files.filter.text()),
            None => Vec::new(),
        };
        let keys = self.row_keys();
        self.files.sync(keys.iter().map(String::as_str), page);
    }

    fn row_keys(&self) -> Vec<String> {
        match &self.tree {
            Some(tree) => (self.rows.iter())
                .map(|r| tree.nodes[r.node].path.clone())
                .collect(),
            None => Vec::new(),
        }
    }

    /// The node under the tree's cursor.
    pub fn selected_node(&self) -> Option<&Node> {
        let tree = self.tree.as_ref()?;
        let path = self.files.cursor.selected.as_deref()?;
        self.rows
            .iter()
            .map(|r| &tree.nodes[r.node])
            .find(|n| n.path == path)
    }

    fn room_mut(&mut self) -> &mut Room {
        match self.focus {
            Side::Layers => &mut self.list.room,
            Side::Files => &mut self.files,
        }
    }

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        // Either side is shorter than a full view: a page is what it shows.
        let full = cx.page;
        cx.page = page(full);
        let outcome = self.key(key, cx);
        self.refresh(cx.page);
        cx.page = full;
        outcome
    }

    fn key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        // A filter being typed takes the keys.
        if self.list.room.filter.editing {
            return self.list.on_key(key, cx);
        }
        if self.files.filter_key(key, cx.keymap) {
            return Outcome::stay();
        }
        // On the layers, every list's keys are the list's before the view's own, but `Esc`
        // (it closes) and `Space`: no verb acts on marked layers, so it opens the layer's
        // files as `Enter` does.
        let common = cx.keymap.get::<ListAction>(key);
        let views = |a| matches!(a, ListAction::ClearFilter | ListAction::Mark);
        if self.focus == Side::Layers && common.is_some_and(|a| !views(a)) {
            return self.list.on_key(key, cx);
        }
        let toggle = |on: &mut bool| {
            *on = !*on;
            *on
        };
        match cx.keymap.get::<LayersAction>(key) {
            Some(LayersAction::Close) => {
                if self.room_mut().clear_filter() {
                    return Outcome::stay();
                }
                // Closing stops the reading.
                return Outcome::close().to(self.list.room.host, Command::StopStream(self.id));
            }
            Some(LayersAction::Focus) => {
                self.focus = match self.focus {
                    Side::Layers => Side::Files,
                    Side::Files => Side::Layers,
                };
            }
            Some(LayersAction::Fold) => self.fold(cx),
            Some(LayersAction::OnlyChanges) => {
                let on = toggle(&mut self.shape.only_changes);
                cx.activity.note(match on {
                    true => "only the selected layer's changes",
                    false => "every path",
                });
            }
            Some(LayersAction::OnlyLayer) => {
                let on = toggle(&mut self.shape.only_layer);
                cx.activity.note(match on {
                    true => "the selected layer's own files",
                    false => "the tree as of the selected layer",
                });
            }
            Some(LayersAction::SortSize) => {
                let on = toggle(&mut self.shape.by_size);
                cx.activity.note(match on {
                    true => "biggest first",
                    false => "by name",
                });
            }
            Some(LayersAction::Filter) => self.room_mut().start_filter(),
            None => match self.focus {
                Side::Layers => return self.list.on_key(key, cx),
                Side::Files => {
                    let keys = self.row_keys();
                    let keys = keys.iter().map(String::as_str);
                    // The layers' keys (`y`, `Y`, `>`…) work on the other side: the refusal says
                    // which side it is.
                    return self.files.nav(key, cx, keys, "the layers view's files");
                }
            },
        }
        Outcome::stay()
    }

    /// `Enter`: on the layers, to the files; on a folder, folds or unfolds it.
    fn fold(&mut self, cx: &mut Ctx) {
        if self.focus == Side::Layers {
            self.focus = Side::Files;
            return;
        }
        match self.selected_node() {
            Some(node) if node.folder() => {
                let path = node.path.clone();
                if !self.folded.remove(&path) {
                    self.folded.insert(path);
                }
            }
            Some(_) => cx.activity.refuse("not a folder"),
            None if self.tree.is_none() => cx.activity.refuse("this layer is not read yet"),
            None => cx.activity.refuse("no file selected"),
        }
    }
}

fn put_size(item: &crate::docker::layers::read::Item) -> u64 {
    match item {
        crate::docker::layers::read::Item::Put(e) => e.size,
        _ => 0,
    }
}

impl App {
    /// `v` on an image: its layers, from the daemon's export.
    pub(super) fn open_layers(&mut self) -> Vec<Routed> {
        let (Some((label, target)), Some(host)) = (
            self.image_label_and_target(),
            self.selected_image().map(|i| i.host),
        ) else {
            self.activity.refuse("no image selected");
            return Vec::new();
        };
        self.open_layers_of(label, Source::Local(target), host)
    }

    /// A layers view over the view open now (`Esc` gives it back), reading `source` on `host`.
    pub(super) fn open_layers_of(
        &mut self,
        title: String,
        source: Source,
        host: HostId,
    ) -> Vec<Routed> {
        let id = self.view_id();
        let remote = matches!(source, Source::Remote(_));
        self.push_view(View::Layers(Box::new(LayersView::new(
            id, host, title, remote,
        ))));
        vec![(host, Command::Layers { id, host, source })]
    }

    /// What a layers view's reading heard, to that view (open, or under another).
    pub(super) fn layers_answer(&mut self, id: StreamId, answer: Answer) {
        let page = page(crate::layout::view_page(&self.areas()));
        let views = self.view.iter_mut().chain(self.stack.iter_mut());
        for view in views {
            if let View::Layers(v) = view
                && v.id == id
            {
                v.answer(answer, page);
                return;
            }
        }
    }
}
