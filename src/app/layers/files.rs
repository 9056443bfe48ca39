//! The right side of the layers view: the file tree as of the selected layer (or that
//! layer's own entries), its changes marked, folders with the bytes under them, folded and
//! filtered. Pure: built from headers, flattened into the rows drawn.

use std::collections::{HashMap, HashSet};

use crate::docker::layers::analysis::{Change, Changed, Tree};
use crate::docker::layers::read::{Entry, EntryKind, Item};

/// What the tree shows: the toggles of the view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    /// Only the paths the selected layer changed (and the folders they are in).
    pub only_changes: bool,
    /// The selected layer's own entries (and what it removed), not the tree as of it.
    pub only_layer: bool,
    /// Biggest first, in each folder; else by name.
    pub by_size: bool,
}

/// A path of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub path: String,
    pub name: String,
    /// `None`: a folder only implied by the paths under it.
    pub entry: Option<Entry>,
    pub change: Option<Change>,
    /// A file's bytes; a folder's: the files under it (not those removed).
    pub size: u64,
    pub children: Vec<usize>,
}

impl Node {
    pub fn folder(&self) -> bool {
        self.entry.as_ref().is_none_or(|e| e.kind == EntryKind::Dir) || !self.children.is_empty()
    }
}

/// The tree, its root at 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    pub nodes: Vec<Node>,
}

/// A row drawn: a node, how deep, and whether it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub node: usize,
    pub depth: usize,
    pub open: bool,
}

/// The entries shown for the selected layer: the tree as of it (or its own entries), each
/// with the change that layer made, and what it removed.
pub fn entries<'a>(
    tree: &'a Tree,
    changes: &'a [Changed],
    own: &'a [Item],
    shape: Shape,
) -> Vec<(&'a Entry, Option<Change>)> {
    let marks: HashMap<&str, Change> = changes
        .iter()
        .map(|c| (c.entry.path.as_str(), c.change))
        .collect();
    let mark = |e: &'a Entry| (e, marks.get(e.path.as_str()).copied());
    let mut out: Vec<(&Entry, Option<Change>)> = match shape.only_layer {
        true => own
            .iter()
            .filter_map(|i| match i {
                Item::Put(e) => Some(mark(e)),
                _ => None,
            })
            .collect(),
        false => tree.values().map(|(e, _)| mark(e)).collect(),
    };
    // What it removed is no longer in the tree: shown beside it, marked.
    out.extend(
        (changes.iter())
            .filter(|c| c.change == Change::Removed)
            .map(|c| (&c.entry, Some(Change::Removed))),
    );
    if shape.only_changes {
        out.retain(|(_, change)| change.is_some());
    }
    out
}

impl Files {
    /// The tree of `entries` (any order), children by name or by size; a folder `entries`
    /// leave out but hold paths in is as `tree` has it.
    pub fn build(entries: &[(&Entry, Option<Change>)], tree: &Tree, by_size: bool) -> Self {
        let mut files = Files {
            nodes: vec![Node {
                path: "/".into(),
                name: "/".into(),
                entry: None,
                change: None,
                size: 0,
                children: Vec::new(),
            }],
        };
        let mut at: HashMap<String, usize> = HashMap::from([("/".to_string(), 0)]);
        for (entry, change) in entries {
            let node = files.node(&mut at, &entry.path, tree);
            let n = &mut files.nodes[node];
            n.entry = Some((*entry).clone());
            n.change = *change;
        }
        files.total(0);
        files.sort(by_size);
        files
    }

    /// The node of `path`, made (with its folders) when missing.
    fn node(&mut self, at: &mut HashMap<String, usize>, path: &str, tree: &Tree) -> usize {
        if let Some(&i) = at.get(path) {
            return i;
        }
        let (up, name) = path.rsplit_once('/').unwrap_or(("", path));
        let parent = self.node(at, if up.is_empty() { "/" } else { up }, tree);
        let i = self.nodes.len();
        self.nodes.push(Node {
            path: path.to_string(),
            name: name.to_string(),
            entry: tree.get(path).map(|(e, _)| e.clone()),
            change: None,
            size: 0,
            children: Vec::new(),
        });
        self.nodes[parent].children.push(i);
        at.insert(path.to_string(), i);
        i
    }

    /// Sums the sizes under each folder; answers the node's.
    fn total(&mut self, i: usize) -> u64 {
        let own = match &self.nodes[i].entry {
            Some(e) if e.kind != EntryKind::Dir => e.size,
            _ => 0,
        };
        let children = self.nodes[i].children.clone();
        let under: u64 = children.into_iter().map(|c| self.total(c)).sum();
        let n = &mut self.nodes[i];
        n.size = own + under;
        // A removed path's bytes are not in the tree any more.
        match n.change {
            Some(Change::Removed) => 0,
            _ => n.size,
        }
    }

    fn sort(&mut self, by_size: bool) {
        for i in 0..self.nodes.len() {
            let mut children = std::mem::take(&mut self.nodes[i].children);
            let nodes = &self.nodes;
            children.sort_by(|&a, &b| {
                let (a, b) = (&nodes[a], &nodes[b]);
                match by_size {
                    true => b.size.cmp(&a.size).then_with(|| a.name.cmp(&b.name)),
                    false => a.name.cmp(&b.name),
                }
            });
            self.nodes[i].children = children;
        }
    }

    /// The rows drawn: depth first, under open folders only; with a filter, the paths it
    /// matches (in any folder, folded or not) and the folders they are in.
    pub fn rows(&self, folded: &HashSet<String>, filter: &str) -> Vec<Row> {
        let filter = filter.to_lowercase();
        let mut keep = vec![filter.is_empty(); self.nodes.len()];
        if !filter.is_empty() {
            self.matching(0, &filter, &mut keep);
        }
        let mut rows = Vec::new();
        let searching = !filter.is_empty();
        let mut stack: Vec<(usize, usize)> = (self.nodes[0].children.iter().rev())
            .map(|&c| (c, 0))
            .collect();
        while let Some((node, depth)) = stack.pop() {
            if !keep[node] {
                continue;
            }
            let n = &self.nodes[node];
            let open = n.folder() && (searching || !folded.contains(&n.path));
            rows.push(Row { node, depth, open });
            if open {
                stack.extend(n.children.iter().rev().map(|&c| (c, depth + 1)));
            }
        }
        rows
    }

    /// Marks the nodes `filter` matches and their folders; answers whether any under `i` did.
    fn matching(&self, i: usize, filter: &str, keep: &mut [bool]) -> bool {
        let mut any = self.nodes[i].path.to_lowercase().contains(filter);
        for &c in &self.nodes[i].children {
            any |= self.matching(c, filter, keep);
        }
        keep[i] = any;
        any
    }
}
