//! A container's files, through the Engine API's archive endpoints (what `docker cp` uses):
//! a folder listed from the headers of its tar as they stream in, a file read up to a
//! bound, a file or folder copied out to this machine or in from it. All of it works on
//! stopped containers too.
//!
//! The daemon speaks tar. The `tar` crate reads and writes it synchronously, so each transfer
//! runs in a blocking task over tokio-util's `SyncIoBridge` of bollard's byte stream: nothing
//! is held beyond the entry at hand, and the contents a listing passes over are read and
//! dropped (a stream cannot seek past them), never kept.

use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::errors::Error as BollardError;
use bollard::query_parameters::{
    ContainerArchiveInfoOptions, DownloadFromContainerOptions, UploadToContainerOptions,
};
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::io::{ReaderStream, StreamReader, SyncIoBridge};

use super::actions::{Op, OpError, Target};
use super::inspect::Inspection;
use super::{ContainerId, DockerEvent, StreamId};
use crate::format::human_size;

/// Rows go to the view in batches of this many, or after this long, whichever comes first.
const BATCH: usize = 256;
const FLUSH: Duration = Duration::from_millis(50);
/// The most of a file the reader shows.
pub const READ_LIMIT: u64 = 1024 * 1024;
/// Links followed to reach a file, at most (a loop of links ends here).
const MAX_HOPS: usize = 8;
/// Go's `os.ModeDir` and `os.ModeSymlink`, as the daemon's path stat gives them.
const GO_DIR: u32 = 1 << 31;
const GO_SYMLINK: u32 = 1 << 27;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Folder,
    File,
    Link,
    /// A device, a fifo, a socket.
    Other,
}

/// One entry of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub kind: Kind,
    pub size: u64,
    /// Permission bits (with setuid, setgid, sticky).
    pub mode: u32,
    /// Where a link points, as the link says it (a hard link: the entry it shares data with).
    pub link: Option<String>,
}

/// What the files view asks for (answers [`DockerEvent::Files`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// A folder's direct children, streamed as they are read.
    List { container: Target, path: String },
    /// What a download would overwrite on this machine, before it starts.
    Probe(Op),
}

impl Request {
    /// The container it is about, for the host it goes to.
    pub fn container(&self) -> Option<&ContainerId> {
        match self {
            Request::List { container, .. } => Some(&container.id),
            Request::Probe(op) => op.container().map(|t| &t.id),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// More of the folder's children; `read`: entries of its tree read so far.
    Rows {
        rows: Vec<Entry>,
        read: usize,
    },
    /// The listing is complete.
    Done {
        read: usize,
    },
    /// The path is a file, or a link to one: it is read, not listed.
    NotFolder(String),
    Failed(OpError),
    /// What a download would overwrite here (`None`: nothing).
    Probed {
        op: Op,
        clash: Option<String>,
    },
}

/// `path` as the archive endpoint takes a folder: with a trailing slash, so the daemon
/// follows a link to a folder rather than answering the link.
fn folder_arg(path: &str) -> String {
    format!("{}/", path.trim_end_matches('/'))
}

/// The daemon's words for a path that is not there, with what to do.
fn not_found(container: &str, path: &str) -> OpError {
    OpError {
        message: format!("no such file or folder in {container}: {path}"),
        hint: Some("Check the path (it is case-sensitive) and that the container still exists."),
    }
}

fn failure(e: BollardError, container: &str, path: &str) -> OpError {
    match e {
        BollardError::DockerResponseServerError {
            status_code: 404, ..
        } => not_found(container, path),
        other => OpError::from(other),
    }
}

/// Reads bollard's byte stream as a `Read`, for a blocking task (made on the runtime).
fn bridge(
    stream: impl futures::Stream<Item = Result<bytes::Bytes, BollardError>> + Send + 'static,
) -> impl Read + Send + 'static {
    let stream = Box::pin(stream.map(|chunk| chunk.map_err(io::Error::other)));
    SyncIoBridge::new(StreamReader::new(stream))
}

/// Tells a blocking task to stop once the task that waits for it is dropped (the view
/// closed, or went elsewhere: its stream is stopped).
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A reader that ends once told to stop: skipping a large file's contents to reach the next
/// header is many reads, and a listing left behind stops within one of them.
struct Stoppable<'a, R> {
    inner: R,
    stop: &'a AtomicBool,
}

impl<R: Read> Read for Stoppable<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(io::Error::other("the listing was stopped"));
        }
        self.inner.read(buf)
    }
}

/// Lists a folder, sending its children as they are read.
pub async fn list(
    docker: Docker,
    id: StreamId,
    container: Target,
    path: String,
    events: UnboundedSender<DockerEvent>,
) {
    let send = |answer| {
        let _ = events.send(DockerEvent::Files { id, answer });
    };
    // A path that is not there or not a folder says so at once, before any tar streams.
    let options = ContainerArchiveInfoOptions {
        path: folder_arg(&path),
    };
    match docker
        .get_container_archive_info(&container.id, Some(options))
        .await
    {
        Ok(stat) if stat.file_mode & GO_DIR == 0 => return send(Answer::NotFolder(path)),
        Ok(_) => {}
        // A trailing slash after a file: "not a directory" (a 500 on Engine 20.10 and 26).
        Err(BollardError::DockerResponseServerError {
            status_code: 500, ..
        }) => return send(Answer::NotFolder(path)),
        Err(e) => return send(Answer::Failed(failure(e, &container.name, &path))),
    }
    let options = DownloadFromContainerOptions {
        path: folder_arg(&path),
    };
    let reader = bridge(docker.download_from_container(&container.id, Some(options)));
    let stop = Arc::new(AtomicBool::new(false));
    let _stop_on_drop = StopOnDrop(stop.clone());
    let sender = events.clone();
    let task = tokio::task::spawn_blocking(move || {
        list_tar(reader, &stop, |answer| {
            let _ = sender.send(DockerEvent::Files { id, answer });
        })
    });
    match task.await {
        Ok(Ok(read)) => send(Answer::Done { read }),
        Ok(Err(e)) => send(Answer::Failed(OpError::new(format!(
            "reading {path} in {} failed: {e}",
            container.name
        )))),
        Err(e) => send(Answer::Failed(OpError::new(e.to_string()))),
    }
}

/// An archive name as a relative path: no leading `./` or `/`, no trailing `/`.
fn normalize(name: &str) -> &str {
    let name = name.strip_prefix("./").unwrap_or(name);
    let name = name.trim_start_matches('/').trim_end_matches('/');
    if name == "." { "" } else { name }
}

/// The name of `name`'s entry when it is a direct child of `root` (the archive's first entry).
fn child_of<'a>(root: &str, name: &'a str) -> Option<&'a str> {
    let rest = if root.is_empty() {
        name
    } else {
        name.strip_prefix(root)?.strip_prefix('/')?
    };
    (!rest.is_empty() && !rest.contains('/')).then_some(rest)
}

fn entry_of<R: Read>(name: &str, entry: &tar::Entry<R>) -> Entry {
    use tar::EntryType;
    let header = entry.header();
    let link = entry
        .link_name_bytes()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let kind = match header.entry_type() {
        EntryType::Directory => Kind::Folder,
        EntryType::Symlink => Kind::Link,
        EntryType::Regular | EntryType::Continuous | EntryType::GNUSparse | EntryType::Link => {
            Kind::File
        }
        _ => Kind::Other,
    };
    Entry {
        name: name.to_string(),
        kind,
        size: entry.size(),
        mode: header.mode().unwrap_or(0) & 0o7777,
        link,
    }
}

/// Reads a folder's tar (its first entry the folder itself) and hands on its direct children
/// in batches; answers how many entries of its tree were read.
fn list_tar(
    reader: impl Read,
    stop: &AtomicBool,
    mut emit: impl FnMut(Answer),
) -> io::Result<usize> {
    let mut archive = tar::Archive::new(Stoppable {
        inner: reader,
        stop,
    });
    let mut root: Option<String> = None;
    let mut batch = Vec::new();
    let mut flushed = Instant::now();
    let mut read = 0;
    for entry in archive.entries()? {
        let entry = match entry {
            Ok(entry) => entry,
            // Stopped: what was sent stands, and no one waits for the rest.
            Err(_) if stop.load(Ordering::Relaxed) => break,
            Err(e) => return Err(e),
        };
        read += 1;
        let bytes = entry.path_bytes();
        let name = String::from_utf8_lossy(&bytes);
        let name = normalize(&name);
        let Some(root) = &root else {
            root = Some(name.to_string());
            continue;
        };
        if let Some(child) = child_of(root, name) {
            batch.push(entry_of(child, &entry));
        }
        if batch.len() >= BATCH || (flushed.elapsed() >= FLUSH && !batch.is_empty()) {
            emit(Answer::Rows {
                rows: std::mem::take(&mut batch),
                read,
            });
            flushed = Instant::now();
        }
    }
    if !batch.is_empty() {
        emit(Answer::Rows { rows: batch, read });
    }
    Ok(read)
}

/// The file a path names, following links (each hop as the daemon resolves it): its path
/// and size, or why it cannot be read.
async fn resolve(
    docker: &Docker,
    container: &Target,
    path: &str,
) -> Result<(String, u64), OpError> {
    let mut at = path.to_string();
    for _ in 0..MAX_HOPS {
        let options = ContainerArchiveInfoOptions { path: at.clone() };
        let stat = docker
            .get_container_archive_info(&container.id, Some(options))
            .await
            .map_err(|e| failure(e, &container.name, &at))?;
        if stat.file_mode & GO_DIR != 0 {
            return Err(OpError {
                message: format!("{at} is a folder"),
                hint: Some("Open it as a folder to list it; the reader reads files."),
            });
        }
        if stat.file_mode & GO_SYMLINK == 0 {
            return Ok((at, u64::try_from(stat.size).unwrap_or(0)));
        }
        // The daemon gives a link's target resolved in the container's filesystem.
        at = stat.link_target;
    }
    Err(OpError::new(format!(
        "{path}: more than {MAX_HOPS} links in a row"
    )))
}

/// A file's text for the reader, at most [`READ_LIMIT`] of it; a binary file is named, not
/// shown. The download stops once that much is read.
pub async fn read(docker: &Docker, container: &Target, path: &str) -> Result<Inspection, OpError> {
    let (file, size) = resolve(docker, container, path).await?;
    let options = DownloadFromContainerOptions { path: file.clone() };
    let reader = bridge(docker.download_from_container(&container.id, Some(options)));
    let head = tokio::task::spawn_blocking(move || first_file(reader, READ_LIMIT))
        .await
        .map_err(|e| OpError::new(e.to_string()))?
        .map_err(|e| OpError::new(format!("reading {file} failed: {e}")))?;
    let mut summary = vec![("Path".to_string(), path.to_string())];
    if file != path {
        summary.push(("Link to".into(), file.clone()));
    }
    summary.push((
        "Size".into(),
        human_size(i64::try_from(size).unwrap_or(i64::MAX)),
    ));
    Ok(Inspection {
        summary,
        json: shown_text(&head, size),
        top: None,
        changes: None,
    })
}

/// The first entry's first `limit` bytes.
fn first_file(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut archive = tar::Archive::new(reader);
    let mut head = Vec::new();
    if let Some(entry) = archive.entries()?.next() {
        entry?.take(limit).read_to_end(&mut head)?;
    }
    Ok(head)
}

/// What the reader shows of a file whose first bytes are `head` (of `size`): its text, tabs
/// expanded, with a first line saying what was cut; or only that it is binary.
pub fn shown_text(head: &[u8], size: u64) -> String {
    let total = human_size(i64::try_from(size).unwrap_or(i64::MAX));
    let cut = (head.len() as u64) < size;
    let text = match std::str::from_utf8(head) {
        Ok(text) => Some(text),
        // Cut inside a character: the whole ones before it.
        Err(e) if cut && e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    };
    let sniff = &head[..head.len().min(8192)];
    match text {
        Some(text) if !sniff.contains(&0) => {
            let mut out = String::new();
            if cut {
                out.push_str(&format!(
                    "[the first {} of {total} shown: download the file for the rest]\n",
                    human_size(i64::try_from(head.len()).unwrap_or(0))
                ));
            }
            for line in text.lines() {
                out.push_str(&expand_tabs(line));
                out.push('\n');
            }
            out
        }
        _ => format!("[a binary file of {total}: not shown as text; download it to look inside]"),
    }
}

/// Tabs as spaces to the next stop of 8, as a terminal shows them.
fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_string();
    }
    let mut out = String::new();
    for c in line.chars() {
        if c == '\t' {
            let pad = 8 - out.chars().count() % 8;
            out.extend(std::iter::repeat_n(' ', pad));
        } else {
            out.push(c);
        }
    }
    out
}

/// The last part of a container path (what `docker cp` names the copy after).
pub fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rsplit('/').next() {
        Some("") | None => "/",
        Some(name) => name,
    }
}

/// Where a download of `name` to `dest` lands, as `docker cp` does it: inside `dest` when
/// that is a folder, else at `dest` itself.
pub fn landing(dest: &Path, name: &str) -> PathBuf {
    if dest.is_dir() && name != "/" {
        dest.join(name)
    } else {
        dest.to_path_buf()
    }
}

/// What is at `path` already, if anything, in words.
fn clash(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let what = if meta.is_dir() {
        "a folder (files of the same names are replaced)"
    } else {
        "a file (it is replaced)"
    };
    Some(format!("{} exists: {what}", path.display()))
}

/// Answers what a download would overwrite.
pub fn probe(op: Op) -> Answer {
    let clash = match &op {
        Op::CopyFrom { path, dest, .. } => clash(&landing(dest, base_name(path))),
        _ => None,
    };
    Answer::Probed { op, clash }
}

/// Copies a file or folder out of a container to `dest`, as `docker cp CONTAINER:PATH DEST`
/// does; refuses to overwrite unless told to (the user was asked).
pub async fn download(
    docker: &Docker,
    container: &Target,
    path: &str,
    dest: &Path,
    overwrite: bool,
) -> Result<String, OpError> {
    let landing = landing(dest, base_name(path));
    if !overwrite && let Some(clash) = clash(&landing) {
        return Err(OpError {
            message: clash,
            hint: Some("Nothing was written: download again and confirm the overwrite."),
        });
    }
    let parent = landing.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(parent) = parent
        && !parent.is_dir()
    {
        return Err(OpError {
            message: format!("no folder {} on this machine", parent.display()),
            hint: Some("Create the folder first, or save somewhere else."),
        });
    }
    // Fails at once on a path that is not there (the GET's error comes only as a broken tar).
    let options = ContainerArchiveInfoOptions {
        path: path.to_string(),
    };
    docker
        .get_container_archive_info(&container.id, Some(options))
        .await
        .map_err(|e| failure(e, &container.name, path))?;
    let options = DownloadFromContainerOptions {
        path: path.to_string(),
    };
    let reader = bridge(docker.download_from_container(&container.id, Some(options)));
    let to = landing.clone();
    let (files, bytes) = tokio::task::spawn_blocking(move || unpack(reader, &to))
        .await
        .map_err(|e| OpError::new(e.to_string()))?
        .map_err(|e| OpError::new(format!("writing {} failed: {e}", landing.display())))?;
    Ok(format!(
        "Copied {} ({}) to {}",
        crate::format::plural(files, "entry", "entries"),
        human_size(i64::try_from(bytes).unwrap_or(i64::MAX)),
        landing.display()
    ))
}

/// A relative archive path, refused if it would climb out of where it is unpacked.
fn safe(rel: &str) -> io::Result<&Path> {
    let path = Path::new(rel);
    match path.components().all(|c| matches!(c, Component::Normal(_))) {
        true => Ok(path),
        false => Err(io::Error::other(format!(
            "{rel:?}: a path outside the copy"
        ))),
    }
}

/// `to` joined with `rel`, refused if a folder on the way is a link (an archive that made a
/// link and then wrote through it would write outside the copy).
fn inside(to: &Path, rel: &str) -> io::Result<PathBuf> {
    let rel = safe(rel)?;
    let mut at = to.to_path_buf();
    if let Some(parent) = rel.parent() {
        for part in parent.components() {
            at.push(part);
            if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(io::Error::other(format!(
                    "{}: a path through a link",
                    rel.display()
                )));
            }
        }
    }
    Ok(to.join(rel))
}

/// Unpacks a tar whose first entry is the file or folder copied, renamed to `to`; answers
/// the entries and bytes written. Folders get their modes last, so a read-only folder still
/// takes its files.
fn unpack(reader: impl Read, to: &Path) -> io::Result<(usize, u64)> {
    let mut archive = tar::Archive::new(reader);
    let mut root: Option<String> = None;
    let mut folders = Vec::new();
    let (mut files, mut bytes) = (0, 0);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let raw = entry.path_bytes();
        let name = normalize(&String::from_utf8_lossy(&raw)).to_string();
        let rel = match &root {
            None => {
                root = Some(name);
                String::new()
            }
            Some(root) if root.is_empty() => name,
            Some(root) => match name
                .strip_prefix(root.as_str())
                .and_then(|r| r.strip_prefix('/'))
            {
                Some(rel) => rel.to_string(),
                None => continue,
            },
        };
        let target = if rel.is_empty() {
            to.to_path_buf()
        } else {
            inside(to, &rel)?
        };
        files += 1;
        bytes += entry.size();
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            std::fs::create_dir_all(&target)?;
            folders.push((target, entry.header().mode().unwrap_or(0o755)));
            continue;
        }
        // What was there is replaced (the user confirmed it), as docker cp replaces it.
        if let Ok(meta) = std::fs::symlink_metadata(&target) {
            if meta.is_dir() {
                return Err(io::Error::other(format!(
                    "{} is a folder: a file cannot replace it",
                    target.display()
                )));
            }
            std::fs::remove_file(&target)?;
        }
        if kind.is_hard_link() {
            // A hard link names another entry of the same archive.
            let link = entry.link_name_bytes().unwrap_or_default();
            let link = normalize(&String::from_utf8_lossy(&link)).to_string();
            let rel = root
                .as_deref()
                .and_then(|r| link.strip_prefix(r))
                .map(|l| l.trim_start_matches('/'))
                .unwrap_or(&link);
            std::fs::hard_link(inside(to, rel)?, &target)?;
            continue;
        }
        entry.unpack(&target)?;
    }
    for (folder, mode) in folders.into_iter().rev() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(mode & 0o7777))?;
    }
    Ok((files, bytes))
}

/// Copies a local file or folder into a container's folder `dir`, as `docker cp SOURCE
/// CONTAINER:DIR` does. The tar is made as it is sent (a blocking task writes it into a pipe
/// the request body reads), so a large folder is never held in memory.
pub async fn upload(
    docker: &Docker,
    container: &Target,
    source: &Path,
    dir: &str,
) -> Result<String, OpError> {
    let meta = std::fs::symlink_metadata(source).map_err(|e| OpError {
        message: format!("{}: {e}", source.display()),
        hint: Some("Give a file or folder on this machine (relative to where dockpit started)."),
    })?;
    let name = source
        .file_name()
        .map(PathBuf::from)
        .ok_or_else(|| OpError::new(format!("{}: name a file or folder", source.display())))?;
    let (writer, reader) = tokio::io::duplex(64 * 1024);
    let mut writer = SyncIoBridge::new(writer);
    let from = source.to_path_buf();
    let build = tokio::task::spawn_blocking(move || -> io::Result<()> {
        let mut tar = tar::Builder::new(&mut writer);
        // Links stay links, as docker cp copies them without -L.
        tar.follow_symlinks(false);
        if meta.is_dir() {
            tar.append_dir_all(&name, &from)?;
        } else {
            tar.append_path_with_name(&from, &name)?;
        }
        tar.into_inner()?;
        writer.flush()?;
        writer.shutdown()
    });
    let options = UploadToContainerOptions {
        path: dir.to_string(),
        ..Default::default()
    };
    let body = bollard::body_try_stream(ReaderStream::new(reader));
    let sent = docker
        .upload_to_container(&container.id, Some(options), body)
        .await;
    let built = build.await.map_err(|e| OpError::new(e.to_string()))?;
    // The daemon's refusal says more than the pipe it closed.
    sent.map_err(|e| failure(e, &container.name, dir))?;
    built.map_err(|e| OpError::new(format!("reading {} failed: {e}", source.display())))?;
    Ok(format!(
        "Copied {} into {}:{dir}",
        source.display(),
        container.name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tar of `entries` (name, body; a name ending in `/` is a folder).
    fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, body) in entries {
            let mut header = tar::Header::new_gnu();
            if name.ends_with('/') {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(0o755);
                header.set_size(0);
            } else {
                header.set_mode(0o644);
                header.set_size(body.len() as u64);
            }
            header.set_cksum();
            builder
                .append_data(&mut header, name, *body)
                .expect("append");
        }
        builder.into_inner().expect("tar")
    }

    #[test]
    fn only_direct_children_are_listed() {
        let tar = tar_of(&[
            ("etc/", b""),
            ("etc/hosts", b"127.0.0.1 localhost\n"),
            ("etc/ssl/", b""),
            ("etc/ssl/cert.pem", b"x"),
            ("etc/zz", b""),
        ]);
        let mut rows = Vec::new();
        let read = list_tar(&tar[..], &AtomicBool::new(false), |a| {
            if let Answer::Rows { rows: r, .. } = a {
                rows.extend(r);
            }
        })
        .expect("list");
        assert_eq!(read, 5);
        let names: Vec<(&str, Kind, u64)> = rows
            .iter()
            .map(|e| (e.name.as_str(), e.kind, e.size))
            .collect();
        assert_eq!(
            names,
            [
                ("hosts", Kind::File, 20),
                ("ssl", Kind::Folder, 0),
                ("zz", Kind::File, 0)
            ]
        );
    }

    #[test]
    fn a_stopped_listing_reads_no_further() {
        let tar = tar_of(&[("etc/", b""), ("etc/hosts", b"x")]);
        let mut rows = 0;
        let read = list_tar(&tar[..], &AtomicBool::new(true), |_| rows += 1).expect("stopped");
        assert_eq!((read, rows), (0, 0));
    }

    #[test]
    fn the_root_folder_lists_its_top_level() {
        assert_eq!(normalize("/"), "");
        assert_eq!(normalize("./"), "");
        assert_eq!(child_of("", normalize("/bin/")), Some("bin"));
        assert_eq!(child_of("", normalize("/bin/busybox")), None);
        assert_eq!(child_of("bin", normalize("bin/busybox")), Some("busybox"));
        assert_eq!(child_of("bin", normalize("binx/a")), None);
    }

    #[test]
    fn binary_and_cut_files_say_so() {
        let binary = shown_text(b"\x7fELF\0\0\x01", 2_000_000);
        assert!(
            binary.starts_with("[a binary file of 2MB: not shown"),
            "{binary}"
        );
        let cut = shown_text(b"one\ntwo\tx\n", 100);
        assert!(cut.starts_with("[the first 10B of 100B shown"), "{cut}");
        assert!(cut.ends_with("one\ntwo     x\n"), "{cut}");
        // Cut inside a character: the text before it.
        assert_eq!(
            shown_text("é".as_bytes().get(..1).unwrap_or_default(), 3)
                .lines()
                .count(),
            1
        );
        assert_eq!(shown_text(b"a\n", 2), "a\n");
    }

    #[test]
    fn a_download_lands_as_docker_cp_puts_it() {
        let dir = std::env::temp_dir().join(format!("dockpit-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        assert_eq!(landing(&dir, "etc"), dir.join("etc"));
        assert_eq!(landing(&dir.join("new"), "etc"), dir.join("new"));
        let tar = tar_of(&[
            ("etc/", b""),
            ("etc/a", b"1"),
            ("etc/sub/", b""),
            ("etc/sub/b", b"22"),
        ]);
        let (files, bytes) = unpack(&tar[..], &dir.join("copy")).expect("unpack");
        assert_eq!((files, bytes), (4, 3));
        assert_eq!(std::fs::read(dir.join("copy/sub/b")).expect("b"), b"22");
        assert!(clash(&dir.join("copy")).is_some_and(|c| c.contains("a folder")));
        assert!(probe_is_clear(&dir.join("other")));
        // A name climbing out of the copy (the tar crate will not write one: set by hand).
        let mut bad = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Directory);
        header.set_path("x/").expect("path");
        header.set_size(0);
        header.set_mode(0o755);
        header.set_cksum();
        bad.append(&header, &b""[..]).expect("x/");
        let mut header = tar::Header::new_gnu();
        header.as_mut_bytes()[..12].copy_from_slice(b"x/../../evil");
        header.set_size(1);
        header.set_mode(0o644);
        header.set_cksum();
        bad.append(&header, &b"1"[..]).expect("evil");
        let bad = bad.into_inner().expect("tar");
        let refused = unpack(&bad[..], &dir.join("bad")).expect_err("refused");
        assert!(
            refused.to_string().contains("outside the copy"),
            "{refused}"
        );
        assert!(!dir.join("evil").exists() && !std::env::temp_dir().join("evil").exists());
        // Nor through a link the archive made first.
        let mut hop = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Directory);
        header.set_size(0);
        header.set_mode(0o755);
        header.set_cksum();
        hop.append_data(&mut header, "y/", &b""[..]).expect("y/");
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        header.set_mode(0o777);
        header.set_cksum();
        hop.append_link(&mut header, "y/out", &dir).expect("link");
        let mut header = tar::Header::new_gnu();
        header.set_size(1);
        header.set_mode(0o644);
        header.set_cksum();
        hop.append_data(&mut header, "y/out/planted", &b"1"[..])
            .expect("through");
        let hop = hop.into_inner().expect("tar");
        let refused = unpack(&hop[..], &dir.join("hop")).expect_err("refused");
        assert!(refused.to_string().contains("through a link"), "{refused}");
        assert!(!dir.join("planted").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn probe_is_clear(path: &Path) -> bool {
        clash(path).is_none()
    }
}
