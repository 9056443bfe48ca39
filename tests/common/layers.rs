//! The image the layers tests write layer by layer and load with `/images/load` (so every
//! engine and image store holds the same bytes): a 10 MiB file added then removed by a
//! whiteout, an opaque folder, a file overwritten, a symlink and a hard link.

use bollard::query_parameters::ImportImageOptions;
use futures::StreamExt;
use serde_json::json;
use sha2::{Digest, Sha256};

#[path = "layered.rs"]
mod layered;

pub const MIB: u64 = 1 << 20;

/// A layer tar of `(path, kind, size or link target)`: f file, d folder, l symlink, h hard link.
pub fn layer(entries: &[(&str, char, &str)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for &(path, kind, arg) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_mode(if kind == 'd' { 0o755 } else { 0o644 });
        let mut data = Vec::new();
        match kind {
            'd' => header.set_entry_type(tar::EntryType::Directory),
            'l' => header.set_entry_type(tar::EntryType::Symlink),
            'h' => header.set_entry_type(tar::EntryType::Link),
            _ => {
                header.set_entry_type(tar::EntryType::Regular);
                data = vec![b'z'; arg.parse().expect("a size")];
            }
        }
        if matches!(kind, 'l' | 'h') {
            header.set_link_name(arg).expect("link");
        }
        header.set_size(data.len() as u64);
        builder
            .append_data(&mut header, path, data.as_slice())
            .expect("append");
    }
    builder.into_inner().expect("tar")
}

/// `docker save`'s classic layout: the layers, a config naming their digests and steps, and
/// manifest.json.
pub fn image_tar(tag: &str, label: &str, layers: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let diff_ids: Vec<String> = layers
        .iter()
        .map(|(_, tar)| format!("sha256:{:x}", Sha256::digest(tar)))
        .collect();
    let config = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {"Labels": {super::LABEL: label}, "Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": layers.iter().map(|(step, _)| json!({"created_by": step})).collect::<Vec<_>>(),
    })
    .to_string();
    let config_name = format!("{:x}.json", Sha256::digest(config.as_bytes()));
    let paths: Vec<String> = (0..layers.len())
        .map(|i| format!("l{i}/layer.tar"))
        .collect();
    let manifest = json!([{"Config": config_name, "RepoTags": [tag], "Layers": paths}]).to_string();
    let mut builder = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        header.set_size(data.len() as u64);
        builder
            .append_data(&mut header, name, data)
            .expect("append");
    };
    for (path, (_, tar)) in paths.iter().zip(layers) {
        add(path, tar);
    }
    add(&config_name, config.as_bytes());
    add("manifest.json", manifest.as_bytes());
    builder.into_inner().expect("tar")
}

pub async fn load(docker: &bollard::Docker, tar: Vec<u8>) {
    let mut answers = docker.import_image(
        ImportImageOptions::default(),
        bollard::body_full(tar.into()),
        None,
    );
    while let Some(answer) = answers.next().await {
        let answer = answer.expect("the engine loads the image");
        assert!(answer.error_detail.is_none(), "load: {answer:?}");
    }
}

/// The test image's layers, bottom first, each with the step that made it.
pub fn written() -> Vec<(&'static str, Vec<u8>)> {
    (layered::LAYERS.iter())
        .map(|&(step, entries)| (step, layer(entries)))
        .collect()
}
