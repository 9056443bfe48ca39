//! The image structure against the test registry: a two-platform index, a single-platform
//! image, and an image that exists only locally. Digests and sizes are checked against what
//! the registry itself answers (fetched here with curl).

mod common;

use dockpit::docker::explore::{self, NodeKind};
use dockpit::reference;

use common::registry_json;

#[tokio::test]
async fn a_two_platform_index_shows_every_manifest_config_and_layer() {
    let docker = common::docker().await;
    let r = reference::parse("127.0.0.1:5000/multi:1").expect("reference");
    let tree = explore::explore(&docker, &r).await.expect("tree");
    assert!(tree.notes.is_empty(), "{:?}", tree.notes);
    let index = &tree.root;
    assert_eq!(index.kind, NodeKind::Index);
    assert!(
        index
            .details
            .iter()
            .any(|d| d.contains("manifest.list.v2+json"))
    );

    let list = registry_json("/v2/multi/manifests/1");
    let entries = list["manifests"].as_array().expect("manifests");
    assert_eq!(index.children.len(), entries.len());
    let platforms: Vec<&str> = index.children.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(platforms, ["linux/amd64", "linux/arm64"]);
    for (node, entry) in index.children.iter().zip(entries) {
        assert_eq!(node.kind, NodeKind::Manifest);
        let digest = entry["digest"].as_str().expect("digest");
        assert_eq!(node.digest.as_deref(), Some(digest));
        assert_eq!(node.size, entry["size"].as_i64());
        let manifest = registry_json(&format!("/v2/multi/manifests/{digest}"));
        let config = &node.children[0];
        assert_eq!(config.kind, NodeKind::Config);
        assert_eq!(
            config.digest.as_deref(),
            manifest["config"]["digest"].as_str()
        );
        assert_eq!(config.size, manifest["config"]["size"].as_i64());
        assert!(
            config.details.iter().any(|d| d == "cmd: /bin/sh"),
            "{:?}",
            config.details
        );
        let layers: Vec<_> = node.children[1..].iter().collect();
        let expected = manifest["layers"].as_array().expect("layers");
        assert_eq!(layers.len(), expected.len());
        for (layer, want) in layers.iter().zip(expected) {
            assert_eq!(layer.kind, NodeKind::Layer);
            assert_eq!(layer.digest.as_deref(), want["digest"].as_str());
            assert_eq!(layer.size, want["size"].as_i64());
        }
    }
    // The seed pulled the index: the daemon has this host's platform, in either store; the
    // containerd store keeps the whole index, under the index's digest.
    let here = common::host_platform();
    let local: Vec<&str> = index
        .children
        .iter()
        .filter(|m| {
            m.details
                .iter()
                .any(|d| d == "the platform this daemon has")
        })
        .map(|m| m.label.as_str())
        .collect();
    assert_eq!(local, [here.as_str()], "{index:#?}");
    let held = index
        .details
        .iter()
        .any(|d| d.starts_with("held locally as this index"));
    assert_eq!(
        held,
        common::containerd_store(&docker).await,
        "{:?}",
        index.details
    );
    let platform = index
        .children
        .iter()
        .find(|m| m.label == here)
        .expect("here");
    assert!(
        platform
            .children
            .iter()
            .filter(|n| n.kind == NodeKind::Layer)
            .all(|l| l
                .details
                .iter()
                .any(|d| d.starts_with("size on this host: "))),
        "{platform:#?}"
    );
}

#[tokio::test]
async fn a_single_platform_image_has_its_manifest_as_the_root() {
    let _layered = common::layered_image().await;
    let docker = common::docker().await;
    let r = reference::parse("127.0.0.1:5000/layered:1").expect("reference");
    let tree = explore::explore(&docker, &r).await.expect("tree");
    assert_eq!(tree.root.kind, NodeKind::Manifest);
    let manifest = registry_json("/v2/layered/manifests/1");
    let layer = tree
        .root
        .children
        .iter()
        .find(|n| n.kind == NodeKind::Layer)
        .expect("a layer");
    assert_eq!(
        layer.digest.as_deref(),
        manifest["layers"][0]["digest"].as_str()
    );
    assert_eq!(layer.size, manifest["layers"][0]["size"].as_i64());
    // The config's history names the step that made the layer.
    assert!(
        layer.details.iter().any(|d| d.starts_with("created by:")),
        "{:?}",
        layer.details
    );
}

#[tokio::test]
async fn a_local_only_image_says_why_the_registry_part_is_missing() {
    let docker = common::docker().await;
    let r = reference::parse(common::IMAGE).expect("reference");
    let tree = explore::explore(&docker, &r).await.expect("tree");
    assert!(
        tree.notes
            .iter()
            .any(|n| n.starts_with("The registry part is missing:")),
        "{:?}",
        tree.notes
    );
    assert!(
        tree.root.label.starts_with("local image "),
        "{}",
        tree.root.label
    );
    let layers = tree
        .root
        .children
        .iter()
        .filter(|n| n.kind == NodeKind::Layer)
        .count();
    assert_eq!(layers, 1, "one imported layer");
    // What the local id is the digest of: the config in the classic store, the manifest the
    // daemon made in the containerd store (whose config API 1.45 does not name).
    let config = &tree.root.children[0];
    assert_eq!(config.kind, NodeKind::Config);
    if common::containerd_store(&docker).await {
        assert_eq!(config.digest, None);
        assert!(
            tree.root
                .details
                .iter()
                .any(|d| d.contains("the manifest the daemon made")),
            "{:?}",
            tree.root.details
        );
    } else {
        assert_eq!(config.digest, tree.root.digest);
    }
    // A tag that exists nowhere: the daemon's own words.
    let missing = reference::parse("127.0.0.1:5000/nothing-here:1").expect("reference");
    let error = explore::explore(&docker, &missing)
        .await
        .expect_err("nowhere");
    assert!(error.message.contains("No such image"), "{}", error.message);
}
