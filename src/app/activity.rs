//! What dockpit has done: each action's CLI equivalent, progress, outcome and duration
//! (the command log, `L`), the pulls' per-layer progress, and the status line.

use std::time::Duration;

use super::ring::Ring;
use crate::docker::{Op, OpError, OpId, Progress};

/// The log keeps this many entries; older ones drop off.
const LOG_LIMIT: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryState {
    Running,
    Done {
        result: Result<String, OpError>,
        elapsed: Duration,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    pub id: String,
    pub status: String,
    pub current: Option<i64>,
    pub total: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: OpId,
    pub op: Op,
    pub cli: String,
    /// Unix seconds when it started.
    pub started: i64,
    pub outcome: EntryState,
    /// Pull progress, one line per layer in the order the daemon named them.
    pub layers: Vec<Layer>,
    /// Lines about the whole pull: "Digest: …", "Status: …".
    pub lines: Vec<String>,
    /// The host's name while several are watched (empty with one).
    pub host: String,
    /// The host it runs on (its cancel goes there).
    pub runs_on: crate::docker::HostId,
    /// A build's steps.
    pub build: Option<Box<super::builds::BuildLog>>,
}

impl Entry {
    /// What it acts on as messages name it: `web`, or `web@beta` with several hosts.
    pub fn subject(&self) -> String {
        let name = self.op.container().map_or("", |t| t.name.as_str());
        match (name, self.host.as_str()) {
            ("", _) | (_, "") => name.to_string(),
            (name, host) => format!("{name}@{host}"),
        }
    }

    pub fn running(&self) -> bool {
        self.outcome == EntryState::Running
    }

    /// The digest a push ended with ("Pushed x: sha256:…").
    pub fn pushed_digest(&self) -> Option<String> {
        match (&self.op, &self.outcome) {
            (
                Op::Push(_),
                EntryState::Done {
                    result: Ok(text), ..
                },
            ) => text
                .split_whitespace()
                .find(|w| w.starts_with("sha256:"))
                .map(str::to_string),
            _ => None,
        }
    }

    /// "3/5 layers" while a pull runs: the layers the daemon has the bytes of.
    pub fn layer_summary(&self) -> String {
        let done = self
            .layers
            .iter()
            .filter(|l| crate::docker::convert::layer_fetched(&l.status))
            .count();
        format!("{done}/{} layers", self.layers.len())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
    /// When it was shown (unix seconds): an outcome fades [`FADE_AFTER`] later.
    pub at: i64,
}

/// How long an outcome that is not an error stays in the status line; the command log
/// keeps it. An error stays until the next outcome replaces it.
pub const FADE_AFTER: i64 = 10;

/// Actions started together (on marked rows): one summary when the last one ends.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Batch {
    /// "Stopped", "Removed", …
    done_verb: &'static str,
    pending: Vec<OpId>,
    total: usize,
    failed: Vec<(String, String)>,
    /// The longest of its actions (they run at once).
    elapsed: Duration,
}

#[derive(Debug, Clone)]
pub struct Activity {
    pub entries: Ring<Entry>,
    pub status: Option<Status>,
    /// The clock (unix seconds) as of the last tick, to stamp statuses with.
    pub now: i64,
    next_id: OpId,
    batches: Vec<Batch>,
}

impl Default for Activity {
    fn default() -> Self {
        Self {
            entries: Ring::new(LOG_LIMIT),
            status: None,
            now: 0,
            next_id: OpId::default(),
            batches: Vec::new(),
        }
    }
}

impl Activity {
    /// An empty activity whose clock reads `now`.
    pub fn at(now: i64) -> Self {
        Self {
            now,
            ..Self::default()
        }
    }

    /// Records a new action and says it started; returns its id.
    pub fn start(&mut self, op: Op, now: i64) -> OpId {
        self.start_on(op, now, String::new())
    }

    /// [`start`](Self::start) on the host named `host` (empty with one host).
    fn start_on(&mut self, op: Op, now: i64, host: String) -> OpId {
        self.next_id = self.next_id.next();
        let id = self.next_id;
        let entry = Entry {
            id,
            cli: op.cli(),
            op,
            started: now,
            outcome: EntryState::Running,
            layers: Vec::new(),
            lines: Vec::new(),
            host,
            runs_on: Default::default(),
            build: None,
        };
        let (op, subject) = (&entry.op, entry.subject());
        // "Starting web…": the row's word, with what it applies to before the ellipsis.
        let verb = capitalize(op.verb_ing().trim_end_matches('…'));
        let mut text = format!("{verb} {subject}").trim_end().to_string() + "…";
        // What a stop waits for, as the daemon does it.
        if let Op::Stop { timeout, .. } = op {
            text = format!("Stopping {subject}: SIGTERM sent, SIGKILL in {timeout} s");
        }
        self.show(text, false);
        self.entries.push(entry);
        id
    }

    /// Records actions started together; more than one gets a single summary at the end.
    /// Writes a host's flag into an entry's docker line (`docker --context build1 …`).
    pub fn name_host(&mut self, id: OpId, host: crate::docker::HostId, flag: &str) {
        let Some(entry) = self.entries.iter_mut().find(|e| e.id == id) else {
            return;
        };
        entry.runs_on = host;
        entry.cli = on_host(&entry.cli, flag);
    }

    /// `hosts`: each op's host name while several are watched (else none).
    pub fn start_all(&mut self, ops: Vec<Op>, hosts: Vec<String>, now: i64) -> Vec<(OpId, Op)> {
        let mut hosts = hosts.into_iter();
        let started: Vec<(OpId, Op)> = ops
            .into_iter()
            .map(|op| {
                let host = hosts.next().unwrap_or_default();
                (self.start_on(op.clone(), now, host), op)
            })
            .collect();
        if let [(_, first), _, ..] = started.as_slice() {
            let total = started.len();
            self.show(
                format!(
                    "{} {total} containers…",
                    capitalize(first.verb_ing().trim_end_matches('…'))
                ),
                false,
            );
            self.batches.push(Batch {
                done_verb: first.verbs().1,
                pending: started.iter().map(|(id, _)| *id).collect(),
                total,
                failed: Vec::new(),
                elapsed: Duration::ZERO,
            });
        }
        started
    }

    /// An action of a batch ended: the status line counts, then sums up.
    fn batch_done(
        &mut self,
        id: OpId,
        result: &Result<String, OpError>,
        elapsed: Duration,
    ) -> bool {
        let subject = self.get(id).map(Entry::subject).unwrap_or_default();
        let Some(at) = self.batches.iter().position(|b| b.pending.contains(&id)) else {
            return false;
        };
        let batch = &mut self.batches[at];
        batch.pending.retain(|p| *p != id);
        batch.elapsed = batch.elapsed.max(elapsed);
        if let Err(e) = result {
            batch.failed.push((subject, e.message.clone()));
        }
        let done = batch.total - batch.pending.len();
        if !batch.pending.is_empty() {
            let text = format!("{} {done}/{} containers…", batch.done_verb, batch.total);
            self.show(text, false);
            return true;
        }
        let batch = self.batches.remove(at);
        let ok = batch.total - batch.failed.len();
        let mut text = format!(
            "{} {} in {:.1} s",
            batch.done_verb,
            crate::format::plural(ok, "container", "containers"),
            batch.elapsed.as_secs_f64()
        );
        if let Some((name, why)) = batch.failed.first() {
            text.push_str(&format!("; {} failed: {name}: {why}", batch.failed.len()));
        }
        self.show(text, !batch.failed.is_empty());
        true
    }

    pub fn get(&self, id: OpId) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    pub fn progress(&mut self, id: OpId, progress: Progress) {
        let Some(entry) = self.entries.iter_mut().find(|e| e.id == id) else {
            return;
        };
        match progress {
            Progress::Layer {
                id,
                status,
                current,
                total,
            } => match entry.layers.iter_mut().find(|l| l.id == id) {
                Some(layer) => {
                    layer.status = status;
                    layer.current = current;
                    layer.total = total;
                }
                None => entry.layers.push(Layer {
                    id,
                    status,
                    current,
                    total,
                }),
            },
            Progress::Build(p) => entry.build.get_or_insert_default().apply(p),
            Progress::Line(line) => {
                // A chatty command keeps its last lines (a pull has a handful).
                if entry.lines.len() == crate::custom::OUTPUT_LINES {
                    entry.lines.remove(0);
                }
                entry.lines.push(line);
            }
        }
    }

    pub fn done(&mut self, id: OpId, result: Result<String, OpError>, elapsed: Duration) {
        if self.batch_done(id, &result, elapsed) {
            if let Some(entry) = self.entries.iter_mut().find(|e| e.id == id) {
                entry.outcome = EntryState::Done { result, elapsed };
            }
            return;
        }
        // The daemon's outcome names the container; with several hosts, where it is too.
        let entry = self.get(id);
        let named = entry.and_then(|e| e.op.container().map(|t| (t.name.clone(), e.subject())));
        match &result {
            Ok(text) => {
                let text = match named {
                    Some((name, subject)) => text.replacen(&name, &subject, 1),
                    None => text.clone(),
                };
                self.show(format!("{text} in {:.1} s", elapsed.as_secs_f64()), false);
            }
            Err(e) => self.show(
                match e.hint {
                    Some(hint) => format!("✗ {} — {hint}", e.message),
                    None => format!("✗ {}", e.message),
                },
                true,
            ),
        }
        if let Some(entry) = self.entries.iter_mut().find(|e| e.id == id) {
            entry.outcome = EntryState::Done { result, elapsed };
        }
    }

    /// An action that never reached the daemon (bad input), or a failure that is no action's
    /// (a stream dropped): shown, never logged as run.
    pub fn refuse(&mut self, message: impl Into<String>) {
        self.show(format!("✗ {}", message.into()), true);
    }

    /// Something worth a line in the status bar that is not an action's outcome.
    pub fn note(&mut self, text: impl Into<String>) {
        self.show(text.into(), false);
    }

    /// The note `text` leaves the status line, if nothing has replaced it: what it said
    /// was coming has come ("reading its settings…" once the form they fill is open).
    pub fn settled(&mut self, text: &str) {
        if self.status.as_ref().is_some_and(|s| s.text == text) {
            self.status = None;
        }
    }

    fn show(&mut self, text: String, error: bool) {
        self.status = Some(Status {
            text,
            error,
            at: self.now,
        });
    }

    /// The clock ticked: an outcome that is not an error leaves the status line once it is
    /// [`FADE_AFTER`] old and nothing runs (a running action's word stays until its end).
    pub fn tick(&mut self, now: i64) {
        self.now = now;
        let faded = self
            .status
            .as_ref()
            .is_some_and(|s| !s.error && now - s.at >= FADE_AFTER);
        if faded && !self.entries.iter().any(Entry::running) {
            self.status = None;
        }
    }

    /// The running action on a container, if any, for its row's "stopping…".
    pub fn busy(&self, container_id: &str) -> Option<&'static str> {
        self.entries
            .iter()
            .rev()
            .filter(|e| e.running())
            .find(|e| e.op.container().is_some_and(|t| t.id == container_id))
            .map(|e| e.op.verb_ing())
    }

    /// Pulls, pushes (and runs that pull), newest first, for the transfers view.
    pub fn transfers(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .rev()
            .filter(|e| matches!(e.op, Op::Pull(_) | Op::Push(_)) || !e.layers.is_empty())
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A docker CLI line told its host by `flag` (`--context build1`, `-H ssh://…`; empty: the
/// line as it is), as the command log and the dialogs' previews write it.
pub fn on_host(cli: &str, flag: &str) -> String {
    match cli.strip_prefix("docker ") {
        Some(rest) if !flag.is_empty() => format!("docker {flag} {rest}"),
        _ => cli.to_string(),
    }
}
