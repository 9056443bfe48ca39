//! The image structure view (`Enter` or `i` on an image): index → manifests → config and
//! layers, folded and unfolded with keys.

use std::collections::HashSet;

use crossterm::event::KeyEvent;

use super::App;
use super::effects::Routed;
use super::keymap::TreeAction;
use super::view::{Ctx, Outcome, View};
use crate::docker::explore::{Node, NodeKind, Tree};
use crate::docker::{Command, HostId, Op, OpError, StreamId};
use crate::reference::{self, Reference};

#[derive(Debug, Clone)]
pub struct TreeView {
    pub id: StreamId,
    /// The host whose task reads it (its stop goes there too).
    pub host: HostId,
    pub reference: Reference,
    pub result: Option<Result<Tree, OpError>>,
    /// Paths (child indexes from the root) of the open nodes.
    pub open: HashSet<Vec<usize>>,
    pub cursor: usize,
    /// A pull of another platform than the daemon's, asked to confirm (its digest).
    pub foreign_pull: Option<String>,
    /// A warning shown in the view until the next key.
    pub note: Option<String>,
}

/// A row of the flattened tree: a node, or a detail line of an open node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row<'a> {
    Node {
        path: Vec<usize>,
        node: &'a Node,
        open: bool,
    },
    Detail {
        depth: usize,
        text: &'a str,
    },
}

impl TreeView {
    pub fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = Vec::new();
        if let Some(Ok(tree)) = &self.result {
            self.flatten(&tree.root, Vec::new(), &mut rows);
        }
        rows
    }

    fn flatten<'a>(&self, node: &'a Node, path: Vec<usize>, rows: &mut Vec<Row<'a>>) {
        let open = self.open.contains(&path);
        rows.push(Row::Node {
            path: path.clone(),
            node,
            open,
        });
        if open {
            for text in &node.details {
                rows.push(Row::Detail {
                    depth: path.len() + 1,
                    text,
                });
            }
            for (i, child) in node.children.iter().enumerate() {
                let mut child_path = path.clone();
                child_path.push(i);
                self.flatten(child, child_path, rows);
            }
        }
    }

    /// The node under the cursor, or the node a detail line belongs to.
    fn selected_node(&self) -> Option<(Vec<usize>, &Node)> {
        let rows = self.rows();
        // Nothing to select while loading or after an error.
        let last = rows.len().checked_sub(1)?;
        rows[..=self.cursor.min(last)]
            .iter()
            .rev()
            .find_map(|r| match r {
                Row::Node { path, node, .. } => Some((path.clone(), *node)),
                Row::Detail { .. } => None,
            })
    }

    /// Opens the root and every manifest, so the structure shows at once.
    fn open_defaults(&mut self) {
        if let Some(Ok(tree)) = &self.result {
            self.open.insert(Vec::new());
            for (i, child) in tree.root.children.iter().enumerate() {
                if child.kind == NodeKind::Manifest {
                    self.open.insert(vec![i]);
                }
            }
        }
    }
}

impl App {
    /// `Enter`/`i` on an image: its structure.
    pub(super) fn open_tree(&mut self) -> Vec<Routed> {
        let Some(name) = self.image_name() else {
            let why = match self.selected_image() {
                Some(_) => {
                    "this image has no name to look up in a registry (dangling or pulled by digest); tag it first ({tag}), or {explore} and a reference"
                }
                None => "no image selected",
            };
            self.activity.refuse(why);
            return Vec::new();
        };
        let reference = match reference::parse(&name) {
            Ok(r) => r,
            Err(_) => {
                self.activity.refuse(format!(
                    "{name} has no name to look up in a registry; tag it first ({{tag}})"
                ));
                return Vec::new();
            }
        };
        self.open_tree_for(reference)
    }

    /// The structure of any reference, typed or selected, read by the host the user is
    /// looking at (the selected image's).
    pub(super) fn open_tree_for(&mut self, reference: Reference) -> Vec<Routed> {
        let (id, host) = (self.view_id(), self.active_host());
        self.view = Some(View::Tree(Box::new(TreeView {
            id,
            host,
            reference: reference.clone(),
            result: None,
            open: HashSet::new(),
            cursor: 0,
            foreign_pull: None,
            note: None,
        })));
        vec![(host, Command::Explore { id, reference })]
    }

    pub(super) fn explored(&mut self, id: StreamId, result: Result<Tree, OpError>) {
        if let Some(View::Tree(view)) = &mut self.view
            && view.id == id
        {
            view.result = Some(result);
            view.open_defaults();
        }
    }
}

/// Whether a manifest's platform ("linux/arm64") is not the daemon's ("linux/arm"): the
/// same os/arch, or it with a variant ("linux/arm/v7"), is the daemon's.
pub fn foreign(platform: &str, own: &str) -> bool {
    platform.contains('/') && platform != own && !platform.starts_with(&format!("{own}/"))
}

impl TreeView {
    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        self.note = None;
        match cx.keymap.get(key) {
            // Closing stops the registry requests still running for it.
            Some(TreeAction::Close) => {
                return Outcome::close().to(self.host, Command::StopStream(self.id));
            }
            Some(TreeAction::Toggle) => {
                if let Some((path, node)) = self.selected_node()
                    && (!node.children.is_empty() || !node.details.is_empty())
                    && !self.open.remove(&path)
                {
                    self.open.insert(path);
                }
            }
            Some(TreeAction::Copy) => {
                match self.selected_node().and_then(|(_, n)| n.digest.clone()) {
                    Some(digest) => {
                        return super::effects::copy(cx.activity, "the digest", &digest);
                    }
                    None => cx.activity.refuse("this row has no digest"),
                }
            }
            Some(TreeAction::Pull) => {
                let manifest = self.selected_node().and_then(|(_, n)| {
                    let digest = (n.kind == NodeKind::Manifest).then(|| n.digest.clone())?;
                    Some((digest?, n.label.clone()))
                });
                let foreign =
                    |platform: &str| cx.platform.is_some_and(|own| foreign(platform, own));
                match manifest {
                    // Another platform than the daemon's: say so, and pull on a second press.
                    Some((digest, platform))
                        if foreign(&platform)
                            && self.foreign_pull.as_deref() != Some(digest.as_str()) =>
                    {
                        let key = cx.keymap.key_for(TreeAction::Pull.into());
                        let own = cx.platform.unwrap_or_default();
                        let warning = format!(
                            "{platform} is not this daemon's platform ({own}): it would not run here; {key} again pulls it anyway"
                        );
                        cx.activity.refuse(warning.clone());
                        self.note = Some(warning);
                        self.foreign_pull = Some(digest);
                        return Outcome::stay();
                    }
                    Some((digest, _)) => {
                        self.foreign_pull = None;
                        let mut r = self.reference.clone();
                        r.tag = None;
                        r.digest = Some(digest);
                        return Outcome::stay().ops(vec![Op::Pull(r)]).on(self.host);
                    }
                    None => cx
                        .activity
                        .refuse("select a platform's manifest to pull it by digest"),
                }
            }
            // A platform's manifest: that image; elsewhere, the reference (this machine's
            // platform of an index).
            Some(TreeAction::Layers) => {
                let mut reference = self.reference.clone();
                if let Some((_, node)) = self.selected_node()
                    && node.kind == NodeKind::Manifest
                    && let Some(digest) = &node.digest
                {
                    reference.tag = None;
                    reference.digest = Some(digest.clone());
                }
                return Outcome::stay().then(super::view::Then::Layers(reference, self.host));
            }
            None => {
                if let Some(nav) = cx.keymap.nav(key) {
                    self.cursor = nav.apply(self.cursor, self.rows().len(), cx.page);
                }
            }
        }
        Outcome::stay()
    }
}
