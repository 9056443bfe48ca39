//! What each layer adds, changes and removes, the tree as of any layer, and the waste: bytes
//! a layer ships that a later one removes or overwrites. The efficiency score is dive's
//! (`image/efficiency.go`): over every path of every layer, the smallest size a path was
//! seen with, summed, over all sizes it was seen with, summed; a removal counts the size it
//! removed. So users can compare the two tools' scores.

use std::collections::{BTreeMap, HashMap};

use super::read::{Entry, EntryKind, Item, SavedLayer};

/// What a layer did to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    Added,
    Changed,
    /// A whiteout, or the opaque folder of a later layer hid it.
    Removed,
    /// The folder was made opaque: lower layers' contents of it are gone.
    Opaque,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Changed => "changed",
            Change::Removed => "removed",
            Change::Opaque => "opaque",
        }
    }

    /// One character for it, as the report and the layers view mark a path.
    pub fn mark(self) -> char {
        match self {
            Change::Added => '+',
            Change::Changed => '~',
            Change::Removed => '-',
            Change::Opaque => 'o',
        }
    }
}

/// One change of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub change: Change,
    /// For a removal: what was removed.
    pub entry: Entry,
}

/// A layer and what it did.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerSummary {
    pub id: String,
    pub created_by: String,
    /// Its files' bytes.
    pub size: u64,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    /// Its changes in path order (folders it only passes through are not changes).
    pub changes: Vec<Changed>,
}

/// A path whose bytes are shipped more than once, or shipped and then removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waste {
    pub path: String,
    /// How many layers wrote or removed it.
    pub times: usize,
    /// Bytes shipped that the final image does not hold.
    pub wasted: u64,
}

/// An image's layers looked at together.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub layers: Vec<LayerSummary>,
    /// Every layer's files' bytes.
    pub total_size: u64,
    /// What the final tree holds.
    pub final_size: u64,
    pub wasted: u64,
    /// dive's score, 0..=1.
    pub efficiency: f64,
    /// Wasted bytes over the bytes above the first layer (dive's "user wasted percent").
    pub user_wasted_ratio: f64,
    /// Worst first.
    pub waste: Vec<Waste>,
}

/// A tree as of some layer: every path it holds, with the layer that last wrote it.
pub type Tree = BTreeMap<String, (Entry, usize)>;

/// Removes `path` (or, for `children_only`, what is under it) and returns what went.
fn cut(tree: &mut Tree, path: &str, children_only: bool) -> Vec<(Entry, usize)> {
    // Children share the prefix `path/`, so they are one range of the sorted keys.
    let prefix = format!("{}/", path.trim_end_matches('/'));
    let mut keys: Vec<String> = tree
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(k, _)| k.clone())
        .collect();
    if !children_only && tree.contains_key(path) {
        keys.insert(0, path.to_string());
    }
    keys.iter().filter_map(|k| tree.remove(k)).collect()
}

/// Applies one layer to the tree below it; answers its changes. Whiteouts and opaque
/// folders act on the lower layers only, so they go first, as the image stores apply them.
fn apply(tree: &mut Tree, index: usize, items: &[Item]) -> Vec<Changed> {
    let mut changes = Vec::new();
    for item in items {
        match item {
            Item::Whiteout(path) => {
                for (entry, _) in cut(tree, path, false) {
                    changes.push(Changed {
                        change: Change::Removed,
                        entry,
                    });
                }
            }
            Item::Opaque(folder) => {
                let gone = cut(tree, folder, true);
                if let Some((entry, _)) = tree.get(folder) {
                    changes.push(Changed {
                        change: Change::Opaque,
                        entry: entry.clone(),
                    });
                }
                changes.extend(gone.into_iter().map(|(entry, _)| Changed {
                    change: Change::Removed,
                    entry,
                }));
            }
            Item::Put(_) => {}
        }
    }
    for item in items {
        let Item::Put(entry) = item else { continue };
        let change = match tree.get(&entry.path) {
            None => Some(Change::Added),
            // A folder written again over a folder changes nothing but its metadata.
            Some((old, _)) if old.kind == EntryKind::Dir && entry.kind == EntryKind::Dir => {
                (old.mode != entry.mode || old.uid != entry.uid || old.gid != entry.gid)
                    .then_some(Change::Changed)
            }
            Some(_) => Some(Change::Changed),
        };
        if entry.kind != EntryKind::Dir {
            // A file over a folder replaces the folder's contents too.
            cut(tree, &entry.path, true);
        }
        tree.insert(entry.path.clone(), (entry.clone(), index));
        if let Some(change) = change {
            changes.push(Changed {
                change,
                entry: entry.clone(),
            });
        }
    }
    changes.sort_by(|a, b| a.entry.path.cmp(&b.entry.path));
    changes
}

/// The tree as of layer `upto` (0-based, inclusive).
pub fn tree_at(layers: &[SavedLayer], upto: usize) -> Tree {
    tree_and_changes(layers, upto).0
}

/// The tree as of layer `upto`, and that layer's changes.
pub fn tree_and_changes(layers: &[SavedLayer], upto: usize) -> (Tree, Vec<Changed>) {
    let mut tree = Tree::new();
    let mut changes = Vec::new();
    for (i, layer) in layers.iter().enumerate().take(upto + 1) {
        changes = apply(&mut tree, i, &layer.tar.items);
    }
    (tree, changes)
}

/// Per path: every size it was seen with (dive's efficiency data), and our waste.
#[derive(Default)]
struct PathSeen {
    times: usize,
    min: u64,
    cumulative: u64,
}

pub fn analyse(layers: &[SavedLayer]) -> Analysis {
    let mut tree = Tree::new();
    let mut seen: HashMap<String, PathSeen> = HashMap::new();
    let mut summaries = Vec::with_capacity(layers.len());
    let mut total_size = 0;
    let mut first_size = 0;
    for (i, layer) in layers.iter().enumerate() {
        let changes = apply(&mut tree, i, &layer.tar.items);
        let size: u64 = layer
            .tar
            .items
            .iter()
            .map(|item| match item {
                Item::Put(e) => e.size,
                _ => 0,
            })
            .sum();
        for c in &changes {
            // Folders weigh nothing; their contents are counted path by path.
            if c.entry.kind == EntryKind::Dir {
                continue;
            }
            let size = c.entry.size;
            let s = seen.entry(c.entry.path.clone()).or_default();
            s.min = if s.times == 0 { size } else { s.min.min(size) };
            s.cumulative += size;
            s.times += 1;
        }
        total_size += size;
        if i == 0 {
            first_size = size;
        }
        let count = |want: Change| changes.iter().filter(|c| c.change == want).count();
        summaries.push(LayerSummary {
            id: layer.id.clone(),
            created_by: layer.created_by.clone(),
            size,
            added: count(Change::Added),
            changed: count(Change::Changed),
            removed: count(Change::Removed),
            changes,
        });
    }
    let final_size: u64 = tree.values().map(|(e, _)| e.size).sum();
    let (mut min_sum, mut cumulative_sum) = (0u64, 0u64);
    for s in seen.values() {
        min_sum += s.min;
        cumulative_sum += s.cumulative;
    }
    let efficiency = if cumulative_sum == 0 {
        1.0
    } else {
        min_sum as f64 / cumulative_sum as f64
    };
    let waste = waste_of(layers, &tree);
    let wasted = waste.iter().map(|w| w.wasted).sum();
    let user_size = total_size.saturating_sub(first_size);
    Analysis {
        layers: summaries,
        total_size,
        final_size,
        wasted,
        efficiency,
        user_wasted_ratio: if user_size == 0 {
            0.0
        } else {
            wasted as f64 / user_size as f64
        },
        waste,
    }
}

/// Every file version a layer shipped that is not the one the final tree holds.
fn waste_of(layers: &[SavedLayer], last: &Tree) -> Vec<Waste> {
    let mut by_path: HashMap<&str, Waste> = HashMap::new();
    for (i, layer) in layers.iter().enumerate() {
        for item in &layer.tar.items {
            let (path, shipped) = match item {
                Item::Put(e) if e.kind != EntryKind::Dir => {
                    // The version the final tree holds is not waste.
                    let kept = last.get(&e.path).is_some_and(|(_, at)| *at == i);
                    (e.path.as_str(), if kept { 0 } else { e.size })
                }
                Item::Whiteout(path) => (path.as_str(), 0),
                _ => continue,
            };
            let w = by_path.entry(path).or_insert_with(|| Waste {
                path: path.to_string(),
                times: 0,
                wasted: 0,
            });
            w.times += 1;
            w.wasted += shipped;
        }
    }
    let mut waste: Vec<Waste> = by_path.into_values().filter(|w| w.wasted > 0).collect();
    waste.sort_by(|a, b| b.wasted.cmp(&a.wasted).then_with(|| a.path.cmp(&b.path)));
    waste
}

#[cfg(test)]
mod tests {
    use super::super::read::{LayerTar, read_layer, tests::layer};
    use super::*;

    fn saved(tars: &[Vec<u8>]) -> Vec<SavedLayer> {
        tars.iter()
            .enumerate()
            .map(|(i, tar)| SavedLayer {
                id: format!("l{i}"),
                created_by: format!("step {i}"),
                tar: read_layer(tar.as_slice()).unwrap_or_else(|e| panic!("layer {i}: {e}")),
            })
            .collect()
    }

    fn changes(a: &Analysis, layer: usize) -> Vec<(Change, String)> {
        a.layers[layer]
            .changes
            .iter()
            .map(|c| (c.change, c.entry.path.clone()))
            .collect()
    }

    const MB: u64 = 1 << 20;

    #[test]
    fn a_file_added_then_removed_is_waste_and_shown_removed() {
        let big = (10 * MB).to_string();
        let layers = saved(&[
            layer(&[("bin/", 'd', ""), ("bin/sh", 'f', "1000")]),
            layer(&[("big", 'f', &big)]),
            layer(&[(".wh.big", 'f', "0")]),
        ]);
        let a = analyse(&layers);
        assert_eq!(changes(&a, 1), vec![(Change::Added, "/big".into())]);
        assert_eq!(changes(&a, 2), vec![(Change::Removed, "/big".into())]);
        assert_eq!((a.layers[2].removed, a.layers[2].added), (1, 0));
        assert_eq!(a.wasted, 10 * MB);
        assert_eq!(
            a.waste,
            vec![Waste {
                path: "/big".into(),
                times: 2,
                wasted: 10 * MB
            }]
        );
        assert_eq!(a.total_size, 10 * MB + 1000);
        assert_eq!(a.final_size, 1000);
        // dive: /bin/sh 1000 of 1000, /big min 10 MB (the removal counts what it removed)
        // of 20 MB.
        let want = (1000 + 10 * MB) as f64 / (1000 + 20 * MB) as f64;
        assert!((a.efficiency - want).abs() < 1e-9, "{}", a.efficiency);
        assert!((a.user_wasted_ratio - 1.0).abs() < 1e-9);
        assert!(!tree_at(&layers, 2).contains_key("/big"));
        assert!(tree_at(&layers, 1).contains_key("/big"));
    }

    #[test]
    fn overwrites_opaque_folders_and_links() {
        let layers = saved(&[
            layer(&[
                ("etc/", 'd', ""),
                ("etc/conf", 'f', "300"),
                ("data/", 'd', ""),
                ("data/a", 'f', "50"),
                ("data/sub/", 'd', ""),
                ("data/sub/b", 'f', "70"),
            ]),
            layer(&[
                ("etc/conf", 'f', "400"),
                ("data/", 'd', ""),
                ("data/.wh..wh..opq", 'f', "0"),
                ("data/c", 'f', "9"),
                ("link", 'l', "etc/conf"),
                ("hard", 'h', "etc/conf"),
            ]),
        ]);
        let a = analyse(&layers);
        assert_eq!(
            changes(&a, 1),
            vec![
                (Change::Opaque, "/data".into()),
                (Change::Removed, "/data/a".into()),
                (Change::Added, "/data/c".into()),
                (Change::Removed, "/data/sub".into()),
                (Change::Removed, "/data/sub/b".into()),
                (Change::Changed, "/etc/conf".into()),
                (Change::Added, "/hard".into()),
                (Change::Added, "/link".into()),
            ]
        );
        let tree = tree_at(&layers, 1);
        let paths: Vec<&str> = tree.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            ["/data", "/data/c", "/etc", "/etc/conf", "/hard", "/link"]
        );
        assert_eq!(tree["/etc/conf"].0.size, 400);
        assert_eq!(tree["/etc/conf"].1, 1, "last written by layer 1");
        assert_eq!(
            tree["/hard"].0.kind,
            EntryKind::Hardlink("/etc/conf".into())
        );
        // The old conf (300) and the hidden data (50 + 70) are shipped for nothing.
        assert_eq!(a.wasted, 300 + 50 + 70);
        assert_eq!(a.waste[0].path, "/etc/conf");
        assert_eq!(a.final_size, 400 + 9);
    }

    #[test]
    fn an_image_without_waste_scores_one() {
        let layers = saved(&[layer(&[("a", 'f', "10")]), layer(&[("b", 'f', "20")])]);
        let a = analyse(&layers);
        assert_eq!(a.wasted, 0);
        assert!((a.efficiency - 1.0).abs() < 1e-12);
        let empty = analyse(&[SavedLayer {
            id: "e".into(),
            created_by: String::new(),
            tar: LayerTar::default(),
        }]);
        assert!((empty.efficiency - 1.0).abs() < 1e-12);
        assert_eq!(empty.user_wasted_ratio, 0.0);
    }
}
