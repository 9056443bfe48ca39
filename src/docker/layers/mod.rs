//! An image's layers: what each adds, changes and wastes (`read` streams the headers,
//! `analysis` stacks them). A local image is read from the Engine API's export
//! (`/images/{name}/get`), the same bytes on the classic and the containerd image stores.

pub mod analysis;
pub mod feed;
pub mod read;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use bollard::Docker;

use crate::docker::files::{StopOnDrop, Stoppable};
use read::{LayerRead, ReadError, SavedImage};

/// A layer as named before it is read: from the image config's history (the registry's
/// config, or the daemon's history of a local image).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// Its diff id (`sha256:…` of its uncompressed tar).
    pub id: String,
    /// The instruction that made it ("" when the history does not say which it is).
    pub created_by: String,
    /// Its size as the daemon gives it, before it is read.
    pub size: Option<u64>,
}

/// What a reading hears as it goes, for a view that shows it as it comes.
pub enum Heard<'a> {
    /// The layers, bottom first, before any is read (a registry's config says them).
    Heads(Vec<Head>),
    Layer(LayerRead<'a>),
}

/// Why an image's layers could not be had.
#[derive(Debug, thiserror::Error)]
pub enum LayersError {
    #[error("{0}")]
    Daemon(#[from] crate::docker::actions::OpError),
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("the registry: {0}")]
    Registry(#[from] crate::docker::registry::RegistryError),
    #[error("the reading task stopped: {0}")]
    Task(String),
}

/// Reads a local image's layers through its export, headers only; `on` hears each layer as
/// it is read (named by its diff id with `identify`). Dropped (the view closed), the read
/// stops within one read of the export.
pub async fn export(
    docker: &Docker,
    image: &str,
    identify: bool,
    mut on: impl FnMut(Heard<'_>) + Send + 'static,
) -> Result<SavedImage, LayersError> {
    // The daemon's own words for a name it does not know, before any bytes flow.
    docker
        .inspect_image(image)
        .await
        .map_err(|e| LayersError::Daemon(e.into()))?;
    let reader = crate::docker::files::bridge(docker.export_image(image));
    let stop = Arc::new(AtomicBool::new(false));
    let _stop_on_drop = StopOnDrop(stop.clone());
    tokio::task::spawn_blocking(move || {
        let reader = Stoppable {
            inner: reader,
            stop: &stop,
        };
        read::read_export(reader, identify, |layer| on(Heard::Layer(layer)))
    })
    .await
    .map_err(|e| LayersError::Task(e.to_string()))?
    .map_err(LayersError::from)
}

/// Checks a blob against its digest and the size its manifest declares as it passes: a
/// registry that sends more, less or other bytes is caught at the byte it lies.
pub struct Verified<R> {
    inner: R,
    hasher: sha2::Sha256,
    read: u64,
    size: u64,
    digest: String,
}

impl<R> Verified<R> {
    pub fn new(inner: R, digest: &str, size: u64) -> Self {
        use sha2::Digest;
        Self {
            inner,
            hasher: sha2::Sha256::new(),
            read: 0,
            size,
            digest: digest.to_string(),
        }
    }
}

impl<R: std::io::Read> std::io::Read for Verified<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let bad = |why: String| std::io::Error::new(std::io::ErrorKind::InvalidData, why);
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.size {
            return Err(bad(format!(
                "the registry sent more than the {} bytes the manifest declares",
                self.size
            )));
        }
        self.hasher.update(&buf[..n]);
        if n == 0 && !buf.is_empty() {
            if self.read < self.size {
                return Err(bad(format!(
                    "the registry sent {} of the {} bytes the manifest declares",
                    self.read, self.size
                )));
            }
            let actual = format!("sha256:{:x}", self.hasher.clone().finalize());
            if actual != self.digest {
                return Err(bad(format!("its bytes hash to {actual}")));
            }
        }
        Ok(n)
    }
}

/// The platform a registry's index is read for: this machine's, as `docker pull` picks.
fn this_platform() -> (&'static str, &'static str) {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        other => other,
    };
    ("linux", arch)
}

/// Reads an image's layers from its registry without pulling it: the manifest (this
/// platform's, from an index), the config, then each layer blob streamed, checked and
/// decompressed, headers kept. Nothing is written to disk.
pub async fn remote(
    reference: &crate::reference::Reference,
    mut on: impl FnMut(Heard<'_>) + Send + 'static,
) -> Result<SavedImage, LayersError> {
    use super::registry::Registry;
    let credentials = super::auth::lookup(reference.domain.as_deref()).await;
    let mut registry = Registry::new(
        reference.domain.as_deref(),
        &reference.path,
        credentials.user_password(),
    )?;
    let manifest = platform_manifest(&mut registry, reference).await?;
    let config_digest = manifest["config"]["digest"].as_str().unwrap_or_default();
    let config: read::ImageConfig =
        serde_json::from_value(registry.blob(config_digest).await?.json).map_err(|e| {
            read::ReadError::Malformed {
                what: "config".into(),
                detail: e.to_string(),
            }
        })?;
    let blobs: Vec<(String, u64)> = (manifest["layers"].as_array().into_iter().flatten())
        .map(|b| {
            let digest = b["digest"].as_str().unwrap_or_default().to_string();
            (digest, b["size"].as_u64().unwrap_or(0))
        })
        .collect();
    let heads = remote_heads(&config, &blobs);
    on(Heard::Heads(heads.clone()));
    let mut layers = Vec::new();
    for ((digest, size), head) in blobs.into_iter().zip(heads) {
        let tar = read_blob(&mut registry, &digest, size).await?;
        on(Heard::Layer(LayerRead {
            name: &digest,
            diff_id: Some(head.id.clone()),
            tar: &tar,
        }));
        layers.push(read::SavedLayer {
            id: head.id,
            created_by: head.created_by,
            tar,
        });
    }
    Ok(SavedImage {
        tags: vec![reference.normalized()],
        layers,
    })
}

/// The image's manifest: the one named, or this platform's from an index.
async fn platform_manifest(
    registry: &mut super::registry::Registry,
    reference: &crate::reference::Reference,
) -> Result<serde_json::Value, LayersError> {
    let wanted = reference
        .digest
        .clone()
        .unwrap_or_else(|| reference.tag_or_latest().to_string());
    let manifest = registry.manifest(&wanted).await?.json;
    let Some(entries) = manifest["manifests"].as_array() else {
        return Ok(manifest);
    };
    let (os, arch) = this_platform();
    let chosen = entries
        .iter()
        .find(|m| m["platform"]["os"] == os && m["platform"]["architecture"] == arch)
        .and_then(|m| m["digest"].as_str())
        .ok_or_else(|| read::ReadError::Malformed {
            what: "index".into(),
            detail: format!("it has no {os}/{arch} image"),
        })?
        .to_string();
    Ok(registry.manifest(&chosen).await?.json)
}

/// The layers named before they are read: each blob's diff id and the history's
/// instruction that made it (empty layers have none).
fn remote_heads(config: &read::ImageConfig, blobs: &[(String, u64)]) -> Vec<Head> {
    let mut made_by = config
        .history
        .iter()
        .filter(|h| !h.empty_layer)
        .map(|h| h.created_by.clone());
    (blobs.iter().enumerate())
        .map(|(i, (digest, size))| Head {
            id: config
                .rootfs
                .diff_ids
                .get(i)
                .cloned()
                .unwrap_or(digest.clone()),
            created_by: made_by.next().unwrap_or_default(),
            size: Some(*size),
        })
        .collect()
}

/// One layer blob streamed from the registry, checked against its digest and size, and
/// read header by header on a blocking thread (stopped if this future is dropped).
async fn read_blob(
    registry: &mut super::registry::Registry,
    digest: &str,
    size: u64,
) -> Result<read::LayerTar, LayersError> {
    let stream = registry.blob_stream(digest).await?;
    let reader =
        tokio_util::io::SyncIoBridge::new(tokio_util::io::StreamReader::new(Box::pin(stream)));
    let layer = digest.to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let _stop_on_drop = StopOnDrop(stop.clone());
    let tar = tokio::task::spawn_blocking(move || {
        let reader = Stoppable {
            inner: reader,
            stop: &stop,
        };
        let mut verified = Verified::new(reader, &layer, size);
        let tar = read::read_layer(&mut verified)?;
        // The rest (a compressed stream's trailer), so the digest covers every byte.
        std::io::copy(&mut verified, &mut std::io::sink())?;
        Ok::<_, std::io::Error>(tar)
    })
    .await
    .map_err(|e| LayersError::Task(e.to_string()))?
    .map_err(|source| read::ReadError::Layer {
        layer: digest.to_string(),
        source,
    })?;
    Ok(tar)
}
