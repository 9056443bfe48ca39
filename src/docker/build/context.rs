//! A build's context: the folder checked, its `.dockerignore` read, its size counted, and
//! its tar written by a blocking thread into a pipe the request's body reads, a chunk at a
//! time (never the whole context in memory).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use tokio::sync::mpsc;

use super::ignore::Ignore;

/// The pipe's chunks and how many may wait: at most 1 MiB of the tar is held at once.
const CHUNK: usize = 256 * 1024;
const CHUNKS_IN_FLIGHT: usize = 4;
/// A Dockerfile or `.dockerignore` larger than this is not one.
const MAX_SMALL_FILE: u64 = 1 << 20;

/// A context ready to send.
#[derive(Debug, Clone)]
pub struct Context {
    pub root: PathBuf,
    pub ignore: Ignore,
    /// The Dockerfile's text (for the line of each step).
    pub dockerfile: String,
}

/// What the pipe has sent, and why it stopped when it failed (a file it could not read:
/// the request then fails with words of its own).
#[derive(Debug, Default)]
pub struct Sent {
    pub bytes: AtomicU64,
    pub failed: std::sync::OnceLock<String>,
}

/// `path: error`, so a failure names the file.
fn at(path: &Path) -> impl Fn(io::Error) -> io::Error + '_ {
    move |e| io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Why a context cannot be sent, in words for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// Checks the folder and the Dockerfile and reads `.dockerignore` (blocking).
pub fn open(root: &Path, dockerfile: &str) -> Result<Context, Refused> {
    let shown = root.display();
    // A folder that cannot be listed is refused here, not halfway through the upload.
    match std::fs::metadata(root).and_then(|m| Ok((m, std::fs::read_dir(root)?))) {
        Ok((m, _)) if m.is_dir() => {}
        Ok(_) => {
            return Err(Refused(format!(
                "{shown} is not a folder: the context is one"
            )));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Refused(format!(
                "the context folder {shown} does not exist"
            )));
        }
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
            return Err(Refused(format!(
                "{shown} is not a folder: the context is one"
            )));
        }
        Err(e) => {
            return Err(Refused(format!(
                "the context folder {shown} cannot be read: {}",
                words(&e)
            )));
        }
    }
    let path = root.join(dockerfile);
    let text = match read_small(&path) {
        Ok(Some(text)) => text,
        Ok(None) => {
            return Err(Refused(format!(
                "no {dockerfile} in {shown}: the Dockerfile must be in the context"
            )));
        }
        Err(e) => return Err(Refused(format!("{}: {e}", path.display()))),
    };
    let ignore = match read_small(&root.join(".dockerignore")) {
        Ok(Some(patterns)) => Ignore::parse(&patterns, &[dockerfile, ".dockerignore"])
            .map_err(|e| Refused(format!(".dockerignore in {shown}: {e}")))?,
        Ok(None) => Ignore::default(),
        Err(e) => return Err(Refused(format!(".dockerignore in {shown}: {e}"))),
    };
    Ok(Context {
        root: root.to_path_buf(),
        ignore,
        dockerfile: text,
    })
}

/// An I/O error's words without the OS's number ("permission denied", not "Permission
/// denied (os error 13)").
fn words(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// A regular file's text, `None` when there is none; refused when it is too large.
fn read_small(path: &Path) -> io::Result<Option<String>> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() <= MAX_SMALL_FILE => Ok(Some(
            String::from_utf8_lossy(&std::fs::read(path)?).into_owned(),
        )),
        Ok(m) if m.is_file() => Err(io::Error::other("over 1 MiB")),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

impl Context {
    /// What the context weighs: the bytes of the files it sends (blocking).
    pub fn size(&self) -> io::Result<u64> {
        let mut total = 0;
        self.walk(&mut |_, _, meta| {
            if meta.is_file() {
                total += meta.len();
            }
            Ok(())
        })?;
        Ok(total)
    }

    /// Every path sent, in the order `docker build` sends them (names sorted, a folder
    /// before what it holds): `f(path, relative name, metadata)`. A folder left out is
    /// still walked when an exception may let one of its files back in, as moby does.
    fn walk(
        &self,
        f: &mut dyn FnMut(&Path, &str, &std::fs::Metadata) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut stack = vec![(self.root.clone(), String::new())];
        while let Some((dir, prefix)) = stack.pop() {
            let mut names: Vec<_> = std::fs::read_dir(&dir)
                .map_err(at(&dir))?
                .map(|e| e.map(|e| e.file_name()))
                .collect::<io::Result<_>>()
                .map_err(at(&dir))?;
            names.sort();
            let mut folders = Vec::new();
            for name in names {
                let path = dir.join(&name);
                let rel = format!("{prefix}{}", name.to_string_lossy());
                let meta = std::fs::symlink_metadata(&path).map_err(at(&path))?;
                let excluded = self.ignore.excludes(&rel);
                if meta.is_dir() {
                    if !excluded {
                        f(&path, &rel, &meta)?;
                    }
                    if !excluded || self.ignore.has_exceptions() {
                        folders.push((path, format!("{rel}/")));
                    }
                } else if !excluded {
                    f(&path, &rel, &meta)?;
                }
            }
            // Depth first, in name order: the last pushed is walked first.
            stack.extend(folders.into_iter().rev());
        }
        Ok(())
    }

    /// Writes the tar into a pipe from a blocking thread; the stream is the pipe's other
    /// end. `sent` counts the bytes as they go. Dropping the stream stops the thread.
    pub fn stream(
        self,
        sent: Arc<Sent>,
    ) -> impl futures::Stream<Item = Result<Bytes, io::Error>> + Send + 'static {
        let (tx, rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
        let pipe_failed = sent.clone();
        tokio::task::spawn_blocking(move || {
            let pipe = Pipe {
                buf: Vec::with_capacity(CHUNK),
                tx: tx.clone(),
                sent,
            };
            if let Err(e) = self.write_tar(pipe) {
                // The request then fails (unless it is the request that went first).
                if e.kind() != io::ErrorKind::BrokenPipe {
                    let _ = pipe_failed.failed.set(format!("sending the context: {e}"));
                }
                let _ = tx.blocking_send(Err(e));
            }
        });
        futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) })
    }

    fn write_tar(&self, pipe: Pipe) -> io::Result<()> {
        let mut tar = tar::Builder::new(pipe);
        tar.follow_symlinks(false);
        self.walk(&mut |path, rel, meta| {
            // Sockets and the like have no place in a tar: the CLI leaves them out too.
            if meta.is_dir() || meta.is_file() || meta.file_type().is_symlink() {
                tar.append_path_with_name(path, rel).map_err(at(path))?;
            }
            Ok(())
        })?;
        tar.into_inner()?.flush()
    }
}

/// The writing end of the pipe: chunks of [`CHUNK`] bytes.
struct Pipe {
    buf: Vec<u8>,
    tx: mpsc::Sender<Result<Bytes, io::Error>>,
    sent: Arc<Sent>,
}

impl Pipe {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        let len = chunk.len() as u64;
        self.tx
            .blocking_send(Ok(Bytes::from(chunk)))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the build request ended"))?;
        self.sent.bytes.fetch_add(len, Ordering::Relaxed);
        Ok(())
    }
}

impl Write for Pipe {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = CHUNK - self.buf.len();
        let n = data.len().min(room);
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() == CHUNK {
            self.send()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    fn folder(test: &str, files: &[(&str, &str)]) -> PathBuf {
        let root = std::env::temp_dir().join(format!("dockpit-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (name, text) in files {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        root
    }

    #[tokio::test]
    async fn the_tar_holds_what_dockerignore_lets_through() {
        let patterns = "big\nlogs\n!logs/keep.log\n*.tmp\n";
        let root = folder(
            "context-tar",
            &[
                ("Dockerfile", "FROM busybox\n"),
                (".dockerignore", patterns),
                ("big", "0123456789"),
                ("app/main.sh", "echo hi"),
                ("app/x.tmp", "x"),
                ("logs/a.log", "a"),
                ("logs/keep.log", "keep"),
            ],
        );
        let context = open(&root, "Dockerfile").expect("open");
        assert_eq!(
            context.size().expect("size"),
            // `*.tmp` is the root's only: app/x.tmp goes (gitignore's rules would drop it).
            ("FROM busybox\n".len() + patterns.len() + "echo hi".len() + "x".len() + "keep".len())
                as u64
        );
        let sent = Arc::new(Sent::default());
        let chunks: Vec<Bytes> = context
            .stream(sent.clone())
            .map(|c| c.expect("chunk"))
            .collect()
            .await;
        let bytes: Vec<u8> = chunks.concat();
        assert_eq!(sent.bytes.load(Ordering::Relaxed), bytes.len() as u64);
        let mut archive = tar::Archive::new(bytes.as_slice());
        let names: Vec<String> = archive
            .entries()
            .expect("entries")
            .map(|e| {
                e.expect("entry")
                    .path()
                    .expect("path")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(
            names,
            [
                ".dockerignore",
                "Dockerfile",
                "app",
                "app/main.sh",
                "app/x.tmp",
                "logs/keep.log"
            ]
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_file_or_a_missing_dockerfile_is_refused() {
        let root = folder("context-refused", &[("only.txt", "x")]);
        let e = open(&root.join("only.txt"), "Dockerfile").expect_err("a file");
        assert!(e.0.contains("is not a folder"), "{}", e.0);
        let e = open(&root, "Dockerfile").expect_err("no Dockerfile");
        assert!(e.0.starts_with("no Dockerfile in "), "{}", e.0);
        let nowhere = root.join("nowhere");
        let e = open(&nowhere, "Dockerfile").expect_err("missing");
        let said = format!("the context folder {} does not exist", nowhere.display());
        assert_eq!(e.0, said, "the path and why, nothing else");
        let _ = std::fs::remove_dir_all(&root);
    }
}
