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
use std::os::unix::ffi::OsStrExt;
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
    /// What a download would overwrite here (`None`: nothing), and what it would write
    /// when that is more than [`LARGE`].
    Probed {
        op: Op,
        clash: Option<String>,
        large: Option<String>,
    },
    /// The copy cannot be done as typed (no such folder or file on this machine): why, for
    /// the form to show under its field.
    Refused {
        op: Op,
        why: String,
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

/// Where `path` links to, when the daemon found nothing at it followed (`e` a 404): the
/// link is there, its target is not, or is where the archive endpoint does not reach.
async fn link_target(
    docker: &Docker,
    container: &Target,
    path: &str,
    e: &BollardError,
) -> Option<String> {
    let BollardError::DockerResponseServerError {
        status_code: 404, ..
    } = e
    else {
        return None;
    };
    let options = ContainerArchiveInfoOptions {
        path: path.trim_end_matches('/').to_string(),
    };
    let stat = (docker
        .get_container_archive_info(&container.id, Some(options))
        .await)
        .ok()?;
    (!stat.link_target.is_empty()).then_some(stat.link_target)
}

/// A link whose target the archive endpoint cannot read (`/etc/mtab` → `/proc/mounts`).
fn unreachable_link(container: &str, path: &str, target: &str) -> OpError {
    OpError {
        message: format!("no such file or folder in {container}: {path} → {target}"),
        hint: Some(
            "It is a link whose target is not there, or is under /proc, /sys or another \
             mount, which docker cp does not read.",
        ),
    }
}

/// Reads bollard's byte stream as a `Read`, for a blocking task (made on the runtime).
pub(crate) fn bridge(
    stream: impl futures::Stream<Item = Result<bytes::Bytes, BollardError>> + Send + 'static,
) -> impl Read + Send + 'static {
    let stream = Box::pin(stream.map(|chunk| chunk.map_err(io::Error::other)));
    SyncIoBridge::new(StreamReader::new(stream))
}

/// Tells a blocking task to stop once the task that waits for it is dropped (the view
/// closed, or went elsewhere: its stream is stopped).
pub(crate) struct StopOnDrop(pub(crate) Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A reader that ends once told to stop: skipping a large file's contents to reach the next
/// header is many reads, and a listing left behind stops within one of them.
pub(crate) struct Stoppable<'a, R> {
    pub(crate) inner: R,
    pub(crate) stop: &'a AtomicBool,
}

impl<R: Read> Read for Stoppable<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(io::Error::other("the reading was stopped"));
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
        Err(e) => {
            let error = match link_target(&docker, &container, &path, &e).await {
                Some(target) => unreachable_link(&container.name, &path, &target),
                None => failure(e, &container.name, &path),
            };
            return send(Answer::Failed(error));
        }
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
pub(crate) fn list_tar(
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
pub(crate) fn first_file(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
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
/// that is a folder, else at `dest` itself. A link at `dest` is not followed (even to a
/// folder): the download lands on the link, which is replaced once the user agrees.
pub fn landing(dest: &Path, name: &str) -> PathBuf {
    let folder = std::fs::symlink_metadata(dest).is_ok_and(|m| m.is_dir());
    if folder && name != "/" {
        dest.join(name)
    } else {
        dest.to_path_buf()
    }
}

/// What is at `path` already, if anything, in words.
fn clash(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let what = if meta.file_type().is_symlink() {
        "a link (the link is replaced, never what it points to)"
    } else if meta.is_dir() {
        "a folder (files of the same names are replaced)"
    } else {
        "a file (it is replaced)"
    };
    Some(format!("{} exists: {what}", path.display()))
}

/// A download larger than this is asked about first (a sparse file of 2 GiB is 2 GiB
/// written here).
pub const LARGE: u64 = 1 << 30;

/// Answers what a download would overwrite, and whether it is larger than [`LARGE`] (a
/// file's size is known before; a folder's is not, and an unconfirmed download stops there).
pub async fn probe(docker: &Docker, op: Op) -> Answer {
    if let Some(why) = refusal(&op) {
        return Answer::Refused { op, why };
    }
    let Op::CopyFrom {
        container,
        path,
        dest,
        ..
    } = &op
    else {
        return Answer::Probed {
            op,
            clash: None,
            large: None,
        };
    };
    let clash = clash(&landing(dest, base_name(path)));
    let options = ContainerArchiveInfoOptions { path: path.clone() };
    let size = match docker
        .get_container_archive_info(&container.id, Some(options))
        .await
    {
        Ok(stat) if stat.file_mode & GO_DIR == 0 => u64::try_from(stat.size).unwrap_or(0),
        // A folder, or a path the download will report on.
        _ => 0,
    };
    let large = (size > LARGE).then(|| {
        format!(
            "{path} is {}: that much is written here",
            human_size(i64::try_from(size).unwrap_or(i64::MAX))
        )
    });
    Answer::Probed { op, clash, large }
}

/// Why a copy cannot be done as typed, found on this machine before it starts: a download
/// into a folder that is not there, an upload of a path that is not there.
fn refusal(op: &Op) -> Option<String> {
    match op {
        Op::CopyFrom { path, dest, .. } => {
            let landing = landing(dest, base_name(path));
            let parent = landing.parent().filter(|p| !p.as_os_str().is_empty())?;
            (!parent.is_dir()).then(|| {
                format!(
                    "no folder {} on this machine: create it first, or save somewhere else",
                    parent.display()
                )
            })
        }
        Op::CopyTo { source, .. } => std::fs::symlink_metadata(source)
            .is_err()
            .then(|| format!("no file or folder {} on this machine", source.display())),
        _ => None,
    }
}

/// Copies a file or folder out of a container to `dest`, as `docker cp CONTAINER:PATH DEST`
/// does; refuses to overwrite unless told to (the user was asked). Unconfirmed, it stops
/// past [`LARGE`] bytes (what was written stays).
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
    let limit = if overwrite { u64::MAX } else { LARGE };
    let (files, bytes) = tokio::task::spawn_blocking(move || unpack(reader, &to, limit))
        .await
        .map_err(|e| OpError::new(e.to_string()))?
        .map_err(|e| match e.kind() {
            io::ErrorKind::FileTooLarge => OpError {
                message: format!("{}: {e}", landing.display()),
                hint: Some("Download again and confirm to copy the rest (it asks, as what was written is there now)."),
            },
            _ => OpError::new(format!("writing {} failed: {e}", landing.display())),
        })?;
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

/// `to` joined with `rel`, refused unless `to` and every folder on the way is a real folder
/// (a link the archive made, or one that was here, would take the write outside the copy).
fn inside(to: &Path, rel: &str) -> io::Result<PathBuf> {
    let rel = safe(rel)?;
    // `to` (the empty ancestor), then each folder between it and the entry, top down.
    let folders: Vec<&Path> = rel.ancestors().skip(1).collect();
    for folder in folders.into_iter().rev() {
        // Never `to.join("")`: its trailing slash would follow a link at `to`.
        let at = match folder.as_os_str().is_empty() {
            true => to.to_path_buf(),
            false => to.join(folder),
        };
        let meta = std::fs::symlink_metadata(&at)?;
        if meta.file_type().is_symlink() || !meta.is_dir() {
            return Err(io::Error::other(format!(
                "{}: a path through a link or a file",
                rel.display()
            )));
        }
    }
    Ok(to.join(rel))
}

/// Makes way for an entry at `target`: a link or a file there is removed (the link itself,
/// never what it points to; the user confirmed the overwrite, as docker cp replaces it); a
/// folder stays, and answers `true`.
fn make_way(target: &Path) -> io::Result<bool> {
    match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => Ok(true),
        Ok(_) => std::fs::remove_file(target).map(|()| false),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Permission bits only: never setuid, setgid or sticky on a download.
fn plain_mode(mode: u32) -> u32 {
    mode & 0o777
}

/// A new file at `target` (never through a link: it must not exist), `0600` while written,
/// then given its `mode` and modification time (seconds), as docker cp keeps them.
fn write_new(entry: &mut impl Read, target: &Path, mode: u32, mtime: u64) -> io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(target)?;
    io::copy(entry, &mut file)?;
    file.set_modified(std::time::UNIX_EPOCH + Duration::from_secs(mtime))?;
    file.set_permissions(std::fs::Permissions::from_mode(plain_mode(mode)))
}

/// Gives a folder this download created its mode, through a handle opened without following
/// a link.
fn set_folder_mode(folder: &Path, mode: u32) -> io::Result<()> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(
        folder,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    rustix::fs::fchmod(&fd, Mode::from_raw_mode(plain_mode(mode)))?;
    Ok(())
}

/// Unpacks a tar whose first entry is the file or folder copied, renamed to `to`; answers
/// the entries and bytes written, and stops past `limit` bytes. Nothing is created, replaced
/// or chmodded through a link: every folder on the way is checked, an entry's own path is
/// never followed, a root that is not a folder takes no entries under it, and modes (without
/// setuid, setgid or sticky) go on what was created only. Folders get their modes last, so a
/// read-only folder still takes its files.
pub(crate) fn unpack(reader: impl Read, to: &Path, limit: u64) -> io::Result<(usize, u64)> {
    let mut archive = tar::Archive::new(reader);
    let mut root: Option<(String, bool)> = None;
    let mut created = Vec::new();
    let (mut files, mut bytes) = (0, 0u64);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let raw = entry.path_bytes();
        let name = normalize(&String::from_utf8_lossy(&raw)).to_string();
        let kind = entry.header().entry_type();
        let Some(rel) = under_root(&mut root, name, kind.is_dir())? else {
            continue;
        };
        let target = if rel.is_empty() {
            to.to_path_buf()
        } else {
            inside(to, &rel)?
        };
        bytes = bytes.saturating_add(entry.size());
        if bytes > limit {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!(
                    "stopped past {} without a confirmation",
                    human_size(i64::try_from(limit).unwrap_or(i64::MAX))
                ),
            ));
        }
        let root = root.as_ref().map_or("", |(r, _)| r.as_str());
        if place(&mut entry, &target, (to, root), &mut created)? {
            files += 1;
        }
    }
    for (folder, mode) in created.into_iter().rev() {
        set_folder_mode(&folder, mode)?;
    }
    Ok((files, bytes))
}

/// An entry's path under the copy's root (the first entry, which it becomes: `""`); `None`
/// for one outside it. Anything under a root that is not a folder (a link?) is refused.
fn under_root(
    root: &mut Option<(String, bool)>,
    name: String,
    is_dir: bool,
) -> io::Result<Option<String>> {
    let Some((root, folder)) = root else {
        *root = Some((name, is_dir));
        return Ok(Some(String::new()));
    };
    let rel = match root.as_str() {
        "" => Some(name.as_str()),
        root => name.strip_prefix(root).and_then(|r| r.strip_prefix('/')),
    };
    match rel {
        Some(rel) if !*folder => Err(io::Error::other(format!(
            "{rel:?} under a copy that is not a folder (a link?): refused"
        ))),
        Some(rel) => Ok(Some(rel.to_string())),
        None => Ok(None),
    }
}

/// Creates an entry at `target` (`to` and `root`: where the copy lands and its root's
/// name in the archive, for hard links); answers whether it was copied (devices, FIFOs,
/// sockets and extension headers are not). A folder created goes into `created`, for its
/// mode at the end.
fn place(
    entry: &mut tar::Entry<impl Read>,
    target: &Path,
    (to, root): (&Path, &str),
    created: &mut Vec<(std::path::PathBuf, u32)>,
) -> io::Result<bool> {
    use tar::EntryType;
    let kind = entry.header().entry_type();
    let known = matches!(
        kind,
        EntryType::Directory
            | EntryType::Symlink
            | EntryType::Link
            | EntryType::Regular
            | EntryType::Continuous
            | EntryType::GNUSparse
    );
    if !known {
        return Ok(false);
    }
    let mode = entry.header().mode().unwrap_or(0o644);
    let mtime = entry.header().mtime().unwrap_or(0);
    let folder_there = make_way(target)?;
    match kind {
        EntryType::Directory => {
            if !folder_there {
                std::fs::create_dir(target)?;
                created.push((target.to_path_buf(), mode));
            }
        }
        _ if folder_there => {
            return Err(io::Error::other(format!(
                "{} is a folder: a file cannot replace it",
                target.display()
            )));
        }
        EntryType::Symlink => {
            let link = entry.link_name_bytes().unwrap_or_default();
            let link = std::ffi::OsStr::from_bytes(&link);
            std::os::unix::fs::symlink(link, target)?;
        }
        EntryType::Link => {
            // A hard link names another entry of the same archive (the link itself is
            // linked, never followed: linkat without AT_SYMLINK_FOLLOW).
            let link = entry.link_name_bytes().unwrap_or_default();
            let link = normalize(&String::from_utf8_lossy(&link)).to_string();
            let rel = link
                .strip_prefix(root)
                .map(|l| l.trim_start_matches('/'))
                .unwrap_or(&link);
            std::fs::hard_link(inside(to, rel)?, target)?;
        }
        _ => write_new(entry, target, mode, mtime)?,
    }
    Ok(true)
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
        let (files, bytes) = unpack(&tar[..], &dir.join("copy"), u64::MAX).expect("unpack");
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
        let refused = unpack(&bad[..], &dir.join("bad"), u64::MAX).expect_err("refused");
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
        let refused = unpack(&hop[..], &dir.join("hop"), u64::MAX).expect_err("refused");
        assert!(refused.to_string().contains("through a link"), "{refused}");
        assert!(!dir.join("planted").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn probe_is_clear(path: &Path) -> bool {
        clash(path).is_none()
    }

    /// One entry: name, type, mode, body, link target.
    type RawEntry<'a> = (&'a str, tar::EntryType, u32, &'a [u8], Option<&'a Path>);

    /// A tar of entries as a hostile daemon may send them.
    fn raw_tar(entries: &[RawEntry]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, kind, mode, body, link) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(*kind);
            header.set_mode(*mode);
            header.set_size(body.len() as u64);
            header.set_cksum();
            match link {
                Some(link) => builder.append_link(&mut header, name, link),
                None => builder.append_data(&mut header, name, *body),
            }
            .expect("append");
        }
        builder.into_inner().expect("tar")
    }

    /// A scratch folder with the user's own folder `precious` (0755, one file) in it.
    fn scratch(test: &str) -> (PathBuf, PathBuf) {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("dockpit-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let precious = dir.join("precious");
        std::fs::create_dir_all(&precious).expect("dir");
        std::fs::write(precious.join("keep"), "mine").expect("keep");
        std::fs::set_permissions(&precious, std::fs::Permissions::from_mode(0o755)).expect("mode");
        (dir, precious)
    }

    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::symlink_metadata(path)
            .expect("stat")
            .permissions()
            .mode()
            & 0o7777
    }

    fn untouched(precious: &Path) {
        assert_eq!(mode(precious), 0o755);
        let names: Vec<_> = std::fs::read_dir(precious)
            .expect("read")
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        assert_eq!(names, ["keep"]);
    }

    /// A hostile daemon's root entry is a link to another folder, then entries under it:
    /// refused before anything is written there.
    #[test]
    fn a_linked_root_with_entries_under_it_is_refused() {
        use tar::EntryType::{Directory, Regular, Symlink};
        let (dir, precious) = scratch("linked-root");
        let tar = raw_tar(&[
            ("d", Symlink, 0o777, b"", Some(&precious)),
            ("d/keep", Regular, 0o644, b"replaced", None),
            ("d/planted", Regular, 0o644, b"x", None),
            ("d/sub/", Directory, 0o4777, b"", None),
        ]);
        let refused = unpack(&tar[..], &dir.join("copy"), u64::MAX).expect_err("refused");
        assert!(refused.to_string().contains("not a folder"), "{refused}");
        untouched(&precious);
        assert_eq!(
            std::fs::read_to_string(precious.join("keep")).expect("keep"),
            "mine"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A folder entry where a link is (left by an earlier download) replaces the link; the
    /// folder it pointed to keeps its mode and files. No setuid, setgid or sticky bit is set;
    /// a folder that was here keeps its own mode.
    #[test]
    fn a_folder_replaces_a_link_and_nothing_is_chmodded_through_it() {
        use std::os::unix::fs::PermissionsExt;
        use tar::EntryType::{Directory, Regular};
        let (dir, precious) = scratch("replace-link");
        let copy = dir.join("copy");
        std::fs::create_dir(&copy).expect("copy");
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o700)).expect("mode");
        std::os::unix::fs::symlink(&precious, copy.join("cfg")).expect("link");
        std::os::unix::fs::symlink(precious.join("keep"), copy.join("f")).expect("link");
        let tar = raw_tar(&[
            ("d2/", Directory, 0o2777, b"", None),
            ("d2/cfg/", Directory, 0o4777, b"", None),
            ("d2/cfg/x", Regular, 0o6755, b"x", None),
            ("d2/f", Regular, 0o644, b"new", None),
        ]);
        unpack(&tar[..], &copy, u64::MAX).expect("unpack");
        untouched(&precious);
        assert_eq!(
            std::fs::read_to_string(precious.join("keep")).expect("keep"),
            "mine"
        );
        assert_eq!(mode(&copy), 0o700, "a folder that was here keeps its mode");
        assert_eq!(mode(&copy.join("cfg")), 0o777);
        assert_eq!(mode(&copy.join("cfg/x")), 0o755);
        assert!(
            !std::fs::symlink_metadata(copy.join("f"))
                .expect("f")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(copy.join("f")).expect("f"), "new");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A link at the destination is what is there: not followed, even to a folder.
    #[test]
    fn a_download_lands_on_a_link_never_in_its_target() {
        let (dir, precious) = scratch("landing-link");
        let link = dir.join("l");
        std::os::unix::fs::symlink(&precious, &link).expect("link");
        assert_eq!(landing(&link, "f"), link);
        assert!(clash(&link).is_some_and(|c| c.contains("a link")));
        let tar = raw_tar(&[("f", tar::EntryType::Regular, 0o644, b"evil", None)]);
        unpack(&tar[..], &link, u64::MAX).expect("the link replaced");
        untouched(&precious);
        assert_eq!(std::fs::read_to_string(&link).expect("file"), "evil");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Unconfirmed, a download stops once it passes its bound (a folder's size is not known
    /// before it streams).
    #[test]
    fn an_unconfirmed_download_stops_past_its_bound() {
        use tar::EntryType::{Directory, Regular};
        let (dir, _) = scratch("bound");
        let tar = raw_tar(&[
            ("d/", Directory, 0o755, b"", None),
            ("d/a", Regular, 0o644, &[1; 10], None),
            ("d/b", Regular, 0o644, &[2; 10], None),
        ]);
        let stopped = unpack(&tar[..], &dir.join("copy"), 15).expect_err("stopped");
        assert_eq!(stopped.kind(), io::ErrorKind::FileTooLarge);
        assert!(dir.join("copy/a").exists() && !dir.join("copy/b").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
