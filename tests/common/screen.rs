#![allow(dead_code)] // the perf example uses only part of this harness

//! The built dockpit binary in a real pty, its screen read through a vt100 parser.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub struct App {
    /// dockpit's log file, kept only when the test fails.
    log: std::path::PathBuf,
    /// The state folder made for this start (removed when it ends; one a test passes in
    /// `env` is the test's).
    state: std::path::PathBuf,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte dockpit wrote, for checks the parsed screen cannot answer.
    pub output: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

/// Whether the output so far ends inside a synchronized update (a frame begun, not ended),
/// its marks found even when a read splits one.
#[derive(Default)]
struct FrameMarks {
    inside: bool,
    tail: Vec<u8>,
}

impl FrameMarks {
    const BEGIN: &[u8] = b"\x1b[?2026h";
    const END: &[u8] = b"\x1b[?2026l";

    fn inside_after(&mut self, bytes: &[u8]) -> bool {
        let mut seen = std::mem::take(&mut self.tail);
        seen.extend_from_slice(bytes);
        let last = |mark: &[u8]| seen.windows(mark.len()).rposition(|w| w == mark);
        match (last(Self::BEGIN), last(Self::END)) {
            (Some(b), Some(e)) => self.inside = b > e,
            (Some(_), None) => self.inside = true,
            (None, Some(_)) => self.inside = false,
            (None, None) => {}
        }
        // A mark cut by the read's end is found with the next read's bytes.
        self.tail = seen[seen.len().saturating_sub(Self::BEGIN.len() - 1)..].to_vec();
        self.inside
    }
}

/// A new, empty folder under the temp folder for one start's state.
pub fn fresh_state_dir() -> std::path::PathBuf {
    static STARTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("dockpit-e2e-state-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

static EXCLUSIVE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Screen tests share one engine: each holds this for its whole run, so no test's
/// containers appear on another's screen mid-test.
pub async fn exclusive() -> tokio::sync::MutexGuard<'static, ()> {
    EXCLUSIVE.lock().await
}

/// The same, for tests that are not async.
pub fn exclusive_blocking() -> tokio::sync::MutexGuard<'static, ()> {
    EXCLUSIVE.blocking_lock()
}

impl App {
    /// Starts dockpit at `cols`×`rows` against the test engine, with `args`.
    pub fn start(cols: u16, rows: u16, args: &[&str]) -> Self {
        Self::start_with_env(cols, rows, args, &[])
    }

    pub fn start_with_env(cols: u16, rows: u16, args: &[&str], env: &[(&str, &str)]) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        // Tests get the binary cargo built for them; the perf example is told by its script.
        let bin = std::env::var("DOCKPIT_BIN")
            .ok()
            .or(option_env!("CARGO_BIN_EXE_dockpit").map(String::from))
            .expect("DOCKPIT_BIN or a cargo test build");
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        // The user's own config file (remapped keys, a theme) never reaches a test.
        cmd.env("XDG_CONFIG_HOME", "/nonexistent/dockpit-test-config");
        // A state folder of its own each start (the last event times seen): another test's
        // run never makes a "while you were away" line here. A test that restarts dockpit
        // passes the same folder in `env`.
        let state = fresh_state_dir();
        cmd.env("XDG_STATE_HOME", &state);
        cmd.env_remove("NO_COLOR");
        // Not the tmux a test may run in: a copy would land in its buffer.
        cmd.env_remove("TMUX");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let log = std::env::temp_dir().join(format!("dockpit-e2e-{}.log", std::process::id()));
        cmd.arg("--log-file");
        cmd.arg(&log);
        let child = pair.slave.spawn_command(cmd).expect("spawn dockpit");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let output = Arc::new(Mutex::new(Vec::new()));
        let (p, o) = (parser.clone(), output.clone());
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // dockpit draws each frame between synchronized-update marks: the parser stays
            // locked from a frame's begin mark to its end, so no test reads half a frame
            // (a frame reaches the pty in several writes).
            let mut held = None;
            let mut frame = FrameMarks::default();
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut parser = match held.take() {
                    Some(parser) => parser,
                    None => p.lock().expect("parser"),
                };
                parser.process(&buf[..n]);
                o.lock().expect("output").extend_from_slice(&buf[..n]);
                if frame.inside_after(&buf[..n]) {
                    held = Some(parser);
                }
            }
        });
        Self {
            log,
            state,
            master: pair.master,
            writer,
            child,
            parser,
            output,
            reader: Some(reader),
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// The first screen line that contains `needle`, once it holds still: a frame reaches
    /// the pty in several writes, and a line read between two of them is half drawn (its
    /// name there, its state not yet). Not the alerts strip: any suite's container that
    /// exits non-zero on the shared engine may be named there ("web exited (3)").
    pub fn line_with(&self, needle: &str) -> Option<String> {
        let read = || {
            (self.screen().lines().enumerate())
                .find(|(i, l)| l.contains(needle) && !is_alerts_strip(*i, l))
                .map(|(_, l)| l.to_string())
        };
        let mut line = read();
        for _ in 0..40 {
            std::thread::sleep(Duration::from_millis(25));
            let again = read();
            if again == line {
                break;
            }
            line = again;
        }
        line
    }

    /// Waits until `check` holds for the screen; fails the test with the screen if it never does.
    pub fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        check: impl Fn(&str) -> bool,
    ) -> Duration {
        let start = Instant::now();
        loop {
            if check(&self.screen()) {
                return start.elapsed();
            }
            if start.elapsed() > timeout {
                panic!(
                    "timed out waiting for {what}; the screen:\n{}\ndockpit's log, last lines:\n{}",
                    self.screen(),
                    self.log_tail(40)
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The last `lines` of dockpit's log (every dockpit of this test process writes there):
    /// a timed-out wait shows what dockpit did meanwhile, for a failure seen once under load.
    fn log_tail(&self, lines: usize) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    pub fn wait_for_text(&self, text: &str) -> Duration {
        self.wait_for(&format!("{text:?}"), Duration::from_secs(20), |s| {
            s.contains(text)
        })
    }

    pub fn keys(&mut self, bytes: &str) {
        self.writer
            .write_all(bytes.as_bytes())
            .expect("type into the pty");
        self.writer.flush().expect("flush the pty");
        // An Esc read together with the next key is that key with Alt (`\x1bq` is Alt-q, as
        // terminals send it): a person's Esc stands alone, so the tests' does too. Seen as
        // a quit typed into a form and an `s` that started nothing, in three suites.
        if bytes.ends_with('\x1b') {
            std::thread::sleep(std::time::Duration::from_millis(60));
        }
    }

    /// Leaves the terminal pane for the panes (the prefix, then Esc) and waits until the
    /// panes have the keys: a key typed at once after Esc would read as Alt-key.
    pub fn leave_terminal(&mut self) {
        self.keys("\x1d\x1b");
        self.wait_for("the panes to have the keys", Duration::from_secs(5), |s| {
            !s.contains("prefix: the next key")
        });
    }

    /// Moves the containers pane's cursor to the row named `name` (the pane has focus), and
    /// waits until that row is the one drawn selected: rows of other tests or suites may come
    /// and go between reading the screen and the keys, so it moves again until it holds.
    pub fn select_container(&mut self, name: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            let screen = self.screen();
            let index = screen
                .lines()
                .skip_while(|l| !l.contains("Containers —"))
                .skip(2) // the title and the header row
                .take_while(|l| l.starts_with('│'))
                .position(|l| l.contains(name));
            if let Some(index) = index {
                self.keys("g");
                self.keys(&"j".repeat(index));
                let moved = Instant::now();
                while moved.elapsed() < Duration::from_secs(1) {
                    if self.is_selected(name) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            } else {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!(
            "could not select the row {name} in the containers pane:\n{}",
            self.screen()
        );
    }

    /// Whether the line that shows `name` is drawn as the selection (a background colour or
    /// reversed, as the themes draw it).
    pub fn is_selected(&self, name: &str) -> bool {
        let parser = self.parser.lock().expect("parser");
        let screen = parser.screen();
        let (_, cols) = screen.size();
        screen.rows(0, cols).enumerate().any(|(row, text)| {
            // A focused pane's title is reversed too, and names what its filter looks for:
            // "selected" before the row is even listed.
            if text.starts_with('┌') {
                return false;
            }
            let Some(at) = text.find(name) else {
                return false;
            };
            let col = text[..at].chars().count() as u16;
            screen
                .cell(row as u16, col)
                .is_some_and(|cell| cell.bgcolor() != vt100::Color::Default || cell.inverse())
        })
    }

    /// Whether the first cell of the first `text` on screen is drawn reversed.
    pub fn is_reversed(&self, text: &str) -> bool {
        let parser = self.parser.lock().expect("parser");
        let screen = parser.screen();
        let (_, cols) = screen.size();
        screen.rows(0, cols).enumerate().any(|(row, line)| {
            let Some(at) = line.find(text) else {
                return false;
            };
            let col = line[..at].chars().count() as u16;
            screen
                .cell(row as u16, col)
                .is_some_and(|cell| cell.inverse())
        })
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
        self.parser
            .lock()
            .expect("parser")
            .screen_mut()
            .set_size(rows, cols);
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("dockpit's pid")
    }

    /// Waits for dockpit to exit and returns its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("poll the child") {
                // Everything it wrote before exiting must reach the parser first.
                if let Some(reader) = self.reader.take() {
                    reader.join().expect("the reader thread");
                }
                return status.exit_code();
            }
            if start.elapsed() > timeout {
                let _ = self.child.kill();
                panic!("dockpit did not exit; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The pty's line discipline after exit: `(canonical, echo)`, both true when dockpit
    /// gave the terminal back out of raw mode.
    pub fn line_discipline(&self) -> (bool, bool) {
        let tty = self.master.tty_name().expect("the pty's name");
        let out = std::process::Command::new("stty")
            .arg("-a")
            .arg("-F")
            .arg(&tty)
            .output()
            .expect("run stty");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let has = |flag: &str| text.split_whitespace().any(|w| w == flag);
        (has("icanon"), has("echo"))
    }

    /// Whether the terminal was handed back: alternate screen left, cursor shown.
    pub fn restored_screen(&self) -> bool {
        let parser = self.parser.lock().expect("parser");
        !parser.screen().alternate_screen() && !parser.screen().hide_cursor()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Thousands of starts a run: none leaves its folder behind.
        let _ = std::fs::remove_dir_all(&self.state);
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

/// The alerts strip: the row under the two of the header, while any alert is raised.
pub fn is_alerts_strip(row: usize, line: &str) -> bool {
    row == 2 && (line.contains(" alert: ") || line.contains(" alerts: "))
}

/// The escape sequences in `bytes` that are not among the few dockpit draws with (cursor
/// position, colours and attributes, erase line, cursor show/hide, its own alert notices,
/// OSC 9 and OSC 777 titled "dockpit", whose words are made inert, and its port links, OSC 8
/// with `id=dockpit`, and their ends): anything else reached the terminal from somewhere else.
pub fn foreign_sequences(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x1b if [&b"\x1b]8;id=dockpit;"[..], b"\x1b]8;;\x1b\\"]
                .iter()
                .any(|link| bytes[i..].starts_with(link)) =>
            {
                // Up to and with its string terminator (ESC \\).
                let end = bytes[i + 2..].windows(2).position(|w| w == b"\x1b\\");
                i = end.map_or(bytes.len(), |p| i + 2 + p + 2);
            }
            0x1b if [&b"\x1b]9;dockpit: "[..], b"\x1b]777;notify;dockpit;"]
                .iter()
                .any(|notice| bytes[i..].starts_with(notice)) =>
            {
                // Up to and with its BEL.
                i = (bytes[i..].iter().position(|&b| b == 0x07)).map_or(bytes.len(), |p| i + p + 1);
            }
            0x1b => {
                i += 1;
                if bytes.get(i) != Some(&b'[') {
                    let next = bytes
                        .get(i)
                        .map_or(String::new(), |b| (*b as char).to_string());
                    found.push(format!("ESC{next}"));
                    continue;
                }
                i += 1;
                let params_start = i;
                while i < bytes.len() && (0x30..=0x3f).contains(&bytes[i]) {
                    i += 1;
                }
                let params = String::from_utf8_lossy(&bytes[params_start..i]).to_string();
                let end = bytes.get(i).copied().unwrap_or(0);
                i += 1;
                let allowed = match end {
                    b'm' | b'H' | b'K' => !params.starts_with('?'),
                    // The cursor shown or hidden; a frame's synchronized-update marks.
                    b'h' | b'l' => params == "?25" || params == "?2026",
                    _ => false,
                };
                if !allowed {
                    found.push(format!("ESC[{params}{}", end as char));
                }
            }
            // A bell, or a C1 control (as UTF-8) that some terminals act on.
            0x07 => {
                found.push("BEL".into());
                i += 1;
            }
            _ => i += 1,
        }
    }
    found
}
