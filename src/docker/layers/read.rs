//! Reading layers header by header: a layer tar (plain, gzip or zstd, told apart by its
//! first bytes, as registries and image stores hand out all three) and an image export
//! (`docker save`'s tar: the classic layout with `manifest.json`, or the OCI layout Engine 25+
//! writes, which has a `manifest.json` too). Only headers are kept; contents are skipped as
//! they stream by.

use std::collections::HashMap;
use std::io::{self, Read};

use serde::Deserialize;

/// What an entry of a layer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink(String),
    /// A hard link to another path of the image (its bytes are counted once, there).
    Hardlink(String),
    Other,
}

/// One entry's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Absolute, normalised: `/etc/passwd`.
    pub path: String,
    pub kind: EntryKind,
    pub size: u64,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
}

/// One item of a layer: a file put there, or a whiteout removing what lower layers had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Put(Entry),
    /// `.wh.NAME`: the path and everything under it are gone.
    Whiteout(String),
    /// `.wh..wh..opq` in a folder: lower layers' contents of that folder are gone.
    Opaque(String),
}

/// A layer as read: its items, and the bytes its tar had (uncompressed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerTar {
    pub items: Vec<Item>,
    pub tar_bytes: u64,
}

/// Why a layer or an export could not be read; names the layer.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("layer {layer}: {source}")]
    Layer { layer: String, source: io::Error },
    #[error("the export has no manifest.json (is it an image export?)")]
    NoManifest,
    #[error("the export's {what} is not valid: {detail}")]
    Malformed { what: String, detail: String },
    #[error("the export names layer {0}, which it does not hold")]
    MissingLayer(String),
    #[error("reading the export: {0}")]
    Io(#[from] io::Error),
}

const GZIP: &[u8] = &[0x1f, 0x8b];
const ZSTD: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
/// JSON files of an export (manifests, configs) are small; more is not one of them.
const MAX_JSON: u64 = 4 << 20;

/// The first bytes of a stream, read without losing them.
fn peek(mut reader: impl Read, n: usize) -> io::Result<(Vec<u8>, impl Read)> {
    let mut head = Vec::with_capacity(n);
    (&mut reader).take(n as u64).read_to_end(&mut head)?;
    Ok((head.clone(), io::Cursor::new(head).chain(reader)))
}

/// What a stream's first bytes say it is.
#[derive(Debug, PartialEq, Eq)]
enum Looks {
    Gzip,
    Zstd,
    Tar,
    Json,
    Other,
}

fn looks(head: &[u8]) -> Looks {
    if head.starts_with(GZIP) {
        Looks::Gzip
    } else if head.starts_with(ZSTD) {
        Looks::Zstd
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Looks::Tar
    } else if head.len() >= 512 && head[..512].iter().all(|&b| b == 0) {
        // An empty layer is a tar of only its end blocks.
        Looks::Tar
    } else if head
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{' || b == b'[')
    {
        Looks::Json
    } else {
        Looks::Other
    }
}

/// Reads one layer (plain, gzip or zstd tar) header by header.
pub fn read_layer(reader: impl Read) -> io::Result<LayerTar> {
    read_layer_as(reader, None).map(|(tar, _)| tar)
}

/// Reads one layer as [`read_layer`] does, and names it by its diff id (the digest of its
/// uncompressed tar, as an image config lists it): an export's file names do not say which
/// layer is which until its manifest, which comes last.
pub fn read_identified(reader: impl Read) -> io::Result<(LayerTar, String)> {
    use sha2::Digest;
    let (tar, hasher) = read_layer_as(reader, Some(sha2::Sha256::new()))?;
    let digest = hasher.map(|h| format!("sha256:{:x}", h.finalize()));
    Ok((tar, digest.unwrap_or_default()))
}

fn read_layer_as(
    reader: impl Read,
    hasher: Option<sha2::Sha256>,
) -> io::Result<(LayerTar, Option<sha2::Sha256>)> {
    let (head, reader) = peek(reader, 512)?;
    match looks(&head) {
        Looks::Gzip => read_tar(flate2::read::GzDecoder::new(reader), hasher),
        Looks::Zstd => {
            let decoder = ruzstd::decoding::StreamingDecoder::new(reader)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            read_tar(decoder, hasher)
        }
        Looks::Tar => read_tar(reader, hasher),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not a tar, a gzip or a zstd stream",
        )),
    }
}

/// Counts the bytes read through it (the layer's uncompressed size), and hashes them when
/// asked to.
struct Counted<R> {
    inner: R,
    read: u64,
    hasher: Option<sha2::Sha256>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use sha2::Digest;
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&buf[..n]);
        }
        Ok(n)
    }
}

fn read_tar(
    reader: impl Read,
    hasher: Option<sha2::Sha256>,
) -> io::Result<(LayerTar, Option<sha2::Sha256>)> {
    let mut archive = tar::Archive::new(Counted {
        inner: reader,
        read: 0,
        hasher,
    });
    let mut items = Vec::new();
    for entry in archive.entries()? {
        let entry = entry?;
        if let Some(item) = item_of(&entry)? {
            items.push(item);
        }
    }
    // What is left after the end blocks is padding: read it, so the size is the tar's.
    let mut rest = archive.into_inner();
    io::copy(&mut rest, &mut io::sink())?;
    let tar = LayerTar {
        items,
        tar_bytes: rest.read,
    };
    Ok((tar, rest.hasher))
}

/// `./a/b/`, `a/b` and `/a/b` are all `/a/b`; `.` is `/`. A `..` is refused: a layer has
/// no business naming a path outside its root.
fn normalise(raw: &str) -> io::Result<String> {
    let mut parts = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("an entry leaves the image's root: {raw:?}"),
                ));
            }
            part => parts.push(part),
        }
    }
    Ok(format!("/{}", parts.join("/")))
}

fn item_of<R: Read>(entry: &tar::Entry<R>) -> io::Result<Option<Item>> {
    use tar::EntryType;
    let path = normalise(&String::from_utf8_lossy(&entry.path_bytes()))?;
    if path == "/" {
        return Ok(None);
    }
    let (parent, base) = path.rsplit_once('/').unwrap_or(("", &path));
    let parent = if parent.is_empty() { "/" } else { parent };
    if base == ".wh..wh..opq" {
        return Ok(Some(Item::Opaque(parent.to_string())));
    }
    if let Some(gone) = base.strip_prefix(".wh.") {
        let gone = if parent == "/" {
            format!("/{gone}")
        } else {
            format!("{parent}/{gone}")
        };
        return Ok(Some(Item::Whiteout(gone)));
    }
    let header = entry.header();
    let link = || {
        entry
            .link_name_bytes()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .unwrap_or_default()
    };
    let kind = match header.entry_type() {
        EntryType::Regular | EntryType::Continuous => EntryKind::File,
        EntryType::Directory => EntryKind::Dir,
        EntryType::Symlink => EntryKind::Symlink(link()),
        EntryType::Link => EntryKind::Hardlink(normalise(&link())?),
        _ => EntryKind::Other,
    };
    let size = if kind == EntryKind::File {
        entry.size()
    } else {
        0
    };
    Ok(Some(Item::Put(Entry {
        path,
        kind,
        size,
        mode: header.mode().unwrap_or(0) & 0o7777,
        uid: header.uid().unwrap_or(0),
        gid: header.gid().unwrap_or(0),
    })))
}

/// An export's `manifest.json` entry (both layouts write it).
#[derive(Debug, Deserialize)]
struct SavedManifest {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

/// The parts of an image config the layers view shows.
#[derive(Debug, Default, Deserialize)]
pub struct ImageConfig {
    #[serde(default)]
    pub history: Vec<History>,
    #[serde(default)]
    pub rootfs: RootFs,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct History {
    #[serde(default)]
    pub created_by: String,
    #[serde(default)]
    pub empty_layer: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct RootFs {
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

/// An image as its export holds it: the layers bottom first, with what made each.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SavedImage {
    pub tags: Vec<String>,
    pub layers: Vec<SavedLayer>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SavedLayer {
    /// The layer's uncompressed digest (`sha256:…`), or its path in the export.
    pub id: String,
    /// The instruction that made it, from the config's history.
    pub created_by: String,
    pub tar: LayerTar,
}

/// A layer just read, as a reading hears it.
pub struct LayerRead<'a> {
    /// Its path in the export, or its blob's digest.
    pub name: &'a str,
    /// Its diff id, when the reading names it (see [`read_identified`]).
    pub diff_id: Option<String>,
    pub tar: &'a LayerTar,
}

/// Reads a whole export, keeping only headers and the small JSON files; `on_layer` hears
/// each layer as it is read (named by its diff id with `identify`).
pub fn read_export(
    reader: impl Read,
    identify: bool,
    mut on_layer: impl FnMut(LayerRead<'_>),
) -> Result<SavedImage, ReadError> {
    let mut archive = tar::Archive::new(reader);
    let mut jsons: HashMap<String, Vec<u8>> = HashMap::new();
    let mut layers: HashMap<String, LayerTar> = HashMap::new();
    for entry in archive.entries()? {
        let entry = entry?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let size = entry.size();
        let (head, mut reader) = peek(entry, 512)?;
        match looks(&head) {
            Looks::Gzip | Looks::Zstd | Looks::Tar => {
                let read = match identify {
                    true => read_identified(reader).map(|(tar, id)| (tar, Some(id))),
                    false => read_layer(reader).map(|tar| (tar, None)),
                };
                let (layer, diff_id) = read.map_err(|source| ReadError::Layer {
                    layer: name.clone(),
                    source,
                })?;
                on_layer(LayerRead {
                    name: &name,
                    diff_id,
                    tar: &layer,
                });
                layers.insert(name, layer);
            }
            Looks::Json if size <= MAX_JSON => {
                let mut text = Vec::new();
                reader.read_to_end(&mut text)?;
                jsons.insert(name, text);
            }
            _ => {}
        }
    }
    assemble(&jsons, layers)
}

fn malformed(what: &str, e: impl std::fmt::Display) -> ReadError {
    ReadError::Malformed {
        what: what.to_string(),
        detail: e.to_string(),
    }
}

/// Puts the layers in the manifest's order and names each by its diff id and instruction.
fn assemble(
    jsons: &HashMap<String, Vec<u8>>,
    mut layers: HashMap<String, LayerTar>,
) -> Result<SavedImage, ReadError> {
    let manifest = jsons.get("manifest.json").ok_or(ReadError::NoManifest)?;
    let manifests: Vec<SavedManifest> =
        serde_json::from_slice(manifest).map_err(|e| malformed("manifest.json", e))?;
    let Some(manifest) = manifests.into_iter().next() else {
        return Err(malformed("manifest.json", "it lists no image"));
    };
    let config = jsons
        .get(&manifest.config)
        .ok_or_else(|| malformed("config", format!("{} is missing", manifest.config)))?;
    let config: ImageConfig =
        serde_json::from_slice(config).map_err(|e| malformed(&manifest.config, e))?;
    let mut made_by = config
        .history
        .iter()
        .filter(|h| !h.empty_layer)
        .map(|h| h.created_by.clone());
    let mut saved = Vec::with_capacity(manifest.layers.len());
    for (i, path) in manifest.layers.iter().enumerate() {
        // One blob may stand for two equal layers: the second gets a copy.
        let tar = match layers.get(path) {
            Some(tar) if manifest.layers[i + 1..].contains(path) => tar.clone(),
            Some(_) => layers.remove(path).unwrap_or_default(),
            None => return Err(ReadError::MissingLayer(path.clone())),
        };
        saved.push(SavedLayer {
            id: config
                .rootfs
                .diff_ids
                .get(i)
                .cloned()
                .unwrap_or_else(|| path.clone()),
            created_by: made_by.next().unwrap_or_default(),
            tar,
        });
    }
    Ok(SavedImage {
        tags: manifest.repo_tags.unwrap_or_default(),
        layers: saved,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A layer tar: `(path, kind, size or link)`; kinds: f file, d dir, l symlink, h hard link.
    pub(crate) fn layer(entries: &[(&str, char, &str)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for &(path, kind, arg) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_mode(if kind == 'd' { 0o755 } else { 0o644 });
            header.set_uid(0);
            header.set_gid(0);
            let mut data: Vec<u8> = Vec::new();
            match kind {
                'd' => header.set_entry_type(tar::EntryType::Directory),
                'l' | 'h' => {
                    header.set_entry_type(if kind == 'l' {
                        tar::EntryType::Symlink
                    } else {
                        tar::EntryType::Link
                    });
                    header.set_link_name(arg).expect("link name");
                }
                _ => {
                    header.set_entry_type(tar::EntryType::Regular);
                    data = vec![b'x'; arg.parse().unwrap_or(0)];
                }
            }
            header.set_size(data.len() as u64);
            builder
                .append_data(&mut header, path, data.as_slice())
                .expect("append");
        }
        builder.into_inner().expect("tar")
    }

    #[test]
    fn whiteouts_and_links_are_read_as_such() {
        let tar = layer(&[
            ("etc/", 'd', ""),
            ("etc/a", 'f', "5"),
            ("etc/.wh.b", 'f', "0"),
            ("var/.wh..wh..opq", 'f', "0"),
            ("./bin/sh", 'l', "busybox"),
            ("bin/ash", 'h', "bin/busybox"),
        ]);
        let read = read_layer(tar.as_slice()).expect("read");
        assert_eq!(read.tar_bytes, tar.len() as u64);
        let file = |path: &str, kind, size| {
            Item::Put(Entry {
                path: path.into(),
                kind,
                size,
                mode: if path == "/etc" { 0o755 } else { 0o644 },
                uid: 0,
                gid: 0,
            })
        };
        assert_eq!(
            read.items,
            vec![
                file("/etc", EntryKind::Dir, 0),
                file("/etc/a", EntryKind::File, 5),
                Item::Whiteout("/etc/b".into()),
                Item::Opaque("/var".into()),
                file("/bin/sh", EntryKind::Symlink("busybox".into()), 0),
                file("/bin/ash", EntryKind::Hardlink("/bin/busybox".into()), 0),
            ]
        );
    }

    #[test]
    fn gzip_and_zstd_layers_read_the_same() {
        use std::io::Write;
        let tar = layer(&[("a", 'f', "3000"), ("b/", 'd', "")]);
        let plain = read_layer(tar.as_slice()).expect("plain");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tar).expect("gzip");
        let gz = gz.finish().expect("gzip");
        assert_eq!(read_layer(gz.as_slice()).expect("gzip"), plain);
        let zst = ruzstd::encoding::compress_to_vec(
            tar.as_slice(),
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        assert_eq!(read_layer(zst.as_slice()).expect("zstd"), plain);
    }

    #[test]
    fn broken_layers_are_errors_not_panics() {
        let tar = layer(&[("a", 'f', "3000")]);
        // Cut inside the file's contents.
        assert!(read_layer(&tar[..1500]).is_err());
        assert!(read_layer(&b"hello, not a layer"[..]).is_err());
        let escape = {
            let mut builder = tar::Builder::new(Vec::new());
            let mut header = tar::Header::new_gnu();
            header.set_size(0);
            header.set_entry_type(tar::EntryType::Regular);
            // `append_data` refuses `..`; write the name into the header directly.
            header.as_old_mut().name[..8].copy_from_slice(b"../x\0\0\0\0");
            header.set_cksum();
            builder.append(&header, &[][..]).expect("append");
            builder.into_inner().expect("tar")
        };
        let e = read_layer(escape.as_slice()).expect_err("refused");
        assert!(e.to_string().contains("leaves the image's root"), "{e}");
    }
}
