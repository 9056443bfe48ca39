//! The log file: private (`0600` in a `0700` folder, never through a symlink), capped in
//! size, and free of secrets. `DOCKPIT_LOG=debug` raises dockpit's own level only: the
//! dependency crates (bollard, hyper, reqwest…) stay at `warn`, because at `debug` they dump
//! whole API responses (containers' environments, auth headers). They log more only when
//! named by target (`DOCKPIT_LOG=debug,bollard=debug`).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::fmt::MakeWriter;

use crate::paths;

/// The log file is renamed to `dockpit.log.1` (replacing the older one) when it reaches
/// this, so the two never take more than twice it.
pub const MAX_LOG: u64 = 4 * 1024 * 1024;

const LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];

/// The filter for a `DOCKPIT_LOG` value: a bare level applies to dockpit only; directives
/// naming a target pass as they are; everything else logs warnings and errors.
pub fn directives(spec: Option<&str>) -> String {
    let spec = spec.map(str::trim).filter(|s| !s.is_empty());
    let Some(spec) = spec else {
        return "warn,dockpit=info".into();
    };
    let mut out = vec!["warn".to_string()];
    for directive in spec.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        if LEVELS.contains(&directive.to_ascii_lowercase().as_str()) {
            out.push(format!("dockpit={directive}"));
        } else {
            out.push(directive.to_string());
        }
    }
    out.join(",")
}

/// The subscriber dockpit logs through, writing to `writer` with `DOCKPIT_LOG`'s `spec`.
pub fn subscriber<W>(spec: Option<&str>, writer: W) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = tracing_subscriber::EnvFilter::try_new(directives(spec))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(directives(None)));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(writer)
        .finish()
}

/// Opens the log at `path` and makes it the process's log. `own_folder`: the folder is
/// dockpit's own (the default location), so it is made private; a folder the user named
/// (`--log-file`) is created `0700` if missing but otherwise left as it is.
pub fn init(path: &Path, own_folder: bool) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if own_folder {
            paths::private_dir(dir)?;
        } else if !dir.exists() {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
    }
    let file = CappedFile::open(path, MAX_LOG)?;
    let spec = std::env::var("DOCKPIT_LOG").ok();
    tracing::subscriber::set_global_default(subscriber(spec.as_deref(), Mutex::new(file)))
        .map_err(io::Error::other)?;
    bridge_log();
    Ok(())
}

/// Routes the `log` records of dependency crates (bollard logs through `log`) into tracing,
/// so the same filter governs them. Once per process; later calls do nothing.
pub fn bridge_log() {
    let _ = tracing_log::LogTracer::init();
}

/// An append-only log file that starts over (keeping one previous file) at `cap` bytes.
pub struct CappedFile {
    path: PathBuf,
    file: Option<File>,
    written: u64,
    cap: u64,
}

impl CappedFile {
    pub fn open(path: &Path, cap: u64) -> io::Result<Self> {
        let file = paths::open_log(path)?;
        let written = file.metadata()?.len();
        Ok(Self {
            path: path.to_path_buf(),
            file: Some(file),
            written,
            cap,
        })
    }

    /// `dockpit.log` → `dockpit.log.1`, and a new, empty `dockpit.log`.
    fn rotate(&mut self) {
        self.file = None;
        let mut old = self.path.clone().into_os_string();
        old.push(".1");
        if std::fs::rename(&self.path, &old).is_ok() {
            self.file = paths::open_log(&self.path).ok();
            self.written = 0;
        }
    }
}

/// `line` with every URL's password left out: `https://user:…@host`.
pub fn redact_url_passwords(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| matches!(c, '/' | '?' | '#' | '\'' | '"') || c.is_whitespace())
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        let user = authority
            .rsplit_once('@')
            .and_then(|(info, host)| Some((info.split_once(':')?.0, host)));
        match user {
            Some((user, host)) => out.push_str(&format!("{user}:…@{host}")),
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// What is written to the log, with everything a terminal would act on shown as text
/// (`^[`, `\u{202e}`: [`crate::format::escape_controls`]) except the newlines that end
/// lines, and URL passwords left out whatever logged them (an error naming a URL). Names,
/// errors and answers from a daemon or a container reach the log in many fields; escaping
/// here covers each of them, so `tail -f dockpit.log` is safe.
fn escaped(buf: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    use std::borrow::Cow;
    let text = String::from_utf8_lossy(buf);
    let inert = text
        .chars()
        .all(|c| c == '\n' || !crate::format::is_unsafe(c));
    match text {
        Cow::Borrowed(text) if inert && !text.contains("://") => Cow::Borrowed(buf),
        text => {
            let lines: Vec<String> = text
                .split('\n')
                .map(|line| crate::format::escape_controls(&redact_url_passwords(line)))
                .collect();
            Cow::Owned(lines.join("\n").into_bytes())
        }
    }
}

impl Write for CappedFile {
    fn write(&mut self, raw: &[u8]) -> io::Result<usize> {
        let buf = escaped(raw);
        if self.written + buf.len() as u64 > self.cap {
            self.rotate();
        }
        // A line that cannot be written (the file could not start over) is dropped rather
        // than let the file grow past its cap.
        if let Some(file) = &mut self.file
            && self.written + buf.len() as u64 <= self.cap
        {
            file.write_all(&buf)?;
            self.written += buf.len() as u64;
        }
        Ok(raw.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

/// Coalesces a message repeated over and over (the daemon is down; retried every second):
/// the first time it is logged, then only at the 10th, 100th, 1,000th… repeat.
#[derive(Debug, Default)]
pub struct Repeats {
    last: Option<String>,
    count: u64,
}

impl Repeats {
    /// The line to log for `message` now, if any.
    pub fn note(&mut self, message: &str) -> Option<String> {
        if self.last.as_deref() == Some(message) {
            self.count += 1;
            let mut n = self.count;
            while n >= 10 && n.is_multiple_of(10) {
                n /= 10;
            }
            let power_of_ten = self.count >= 10 && n == 1;
            return power_of_ten.then(|| format!("{message} (×{})", self.count));
        }
        self.last = Some(message.to_string());
        self.count = 1;
        Some(message.to_string())
    }

    /// Starts over; answers how many times the last message came, if any did.
    pub fn clear(&mut self) -> u64 {
        self.last = None;
        std::mem::take(&mut self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_level_is_dockpits_only() {
        assert_eq!(directives(None), "warn,dockpit=info");
        assert_eq!(directives(Some("")), "warn,dockpit=info");
        assert_eq!(directives(Some("debug")), "warn,dockpit=debug");
        assert_eq!(directives(Some("TRACE")), "warn,dockpit=TRACE");
        assert_eq!(
            directives(Some("debug,bollard=debug")),
            "warn,dockpit=debug,bollard=debug"
        );
    }

    #[test]
    fn repeated_messages_are_coalesced() {
        let mut r = Repeats::default();
        let logged: Vec<String> = (0..1_000).filter_map(|_| r.note("down")).collect();
        assert_eq!(
            logged,
            ["down", "down (×10)", "down (×100)", "down (×1000)"]
        );
        assert_eq!(r.note("other"), Some("other".into()));
        assert_eq!(r.clear(), 1);
        assert_eq!(r.note("down"), Some("down".into()));
    }

    #[test]
    fn the_log_file_starts_over_at_its_cap() {
        let dir = std::env::temp_dir().join(format!("dockpit-cap-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        paths::private_dir(&dir).expect("dir");
        let path = dir.join("dockpit.log");
        let mut log = CappedFile::open(&path, 1_000).expect("open");
        for i in 0..500 {
            writeln!(log, "line {i:05}").expect("write");
        }
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        assert!(size(&path) <= 1_000, "{}", size(&path));
        assert!(size(&dir.join("dockpit.log.1")) <= 1_000);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.ends_with("line 00499\n"), "the newest lines are kept");
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    /// A file name with an OSC sequence and a daemon error with a bidi override reach the
    /// file escaped: `tail -f dockpit.log` never acts on the terminal.
    #[test]
    fn outside_text_is_logged_escaped() {
        let dir = std::env::temp_dir().join(format!("dockpit-escaped-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        paths::private_dir(&dir).expect("dir");
        let path = dir.join("dockpit.log");
        let file = CappedFile::open(&path, MAX_LOG).expect("open");
        let subscriber = subscriber(Some("info"), Mutex::new(file));
        tracing::subscriber::with_default(subscriber, || {
            let name = "/srv/a\x1b]0;owned\x07\x1b[2J";
            tracing::info!(cli = %format!("docker cp web:{name} ."), "action");
            tracing::warn!("docker unavailable: no such image: evil\u{202e}gpj.exe\u{9b}31m");
            tracing::warn!(error = "cannot reach https://me:hunter2@registry.example/v2/");
        });
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::remove_dir_all(&dir).expect("cleanup");
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(
            !text.contains("hunter2") && text.contains("me:…@registry.example"),
            "{text}"
        );
        for c in text.chars() {
            assert!(
                c == '\n' || !(c.is_control() || crate::format::is_invisible_format(c)),
                "{:x} in {text:?}",
                c as u32
            );
        }
        assert!(text.contains("^[]0;owned^G^[[2J"), "{text}");
        assert!(text.contains("evil\\u{202e}gpj.exe"), "{text}");
    }

    #[test]
    fn url_passwords_are_left_out() {
        assert_eq!(
            redact_url_passwords("git clone https://u:pw@h/x and ssh://me@h and http://h/a:b@c"),
            "git clone https://u:…@h/x and ssh://me@h and http://h/a:b@c"
        );
        assert_eq!(
            redact_url_passwords("'tcp://a:b@h:2376'"),
            "'tcp://a:…@h:2376'"
        );
    }
}
