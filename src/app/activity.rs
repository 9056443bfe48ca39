//! What dockpit has done: each action's CLI equivalent, progress, outcome and duration
//! (the command log, `L`), the pulls' per-layer progress, and the status line.

use std::time::Duration;

use crate::docker::{Op, OpError, OpId, Progress};

/// The log keeps this many entries; older ones drop off.
const LOG_LIMIT: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
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
    pub outcome: Outcome,
    /// Pull progress, one line per layer in the order the daemon named them.
    pub layers: Vec<Layer>,
    /// Lines about the whole pull: "Digest: …", "Status: …".
    pub lines: Vec<String>,
}

impl Entry {
    pub fn running(&self) -> bool {
        self.outcome == Outcome::Running
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
}

#[derive(Debug, Clone, Default)]
pub struct Activity {
    pub entries: Vec<Entry>,
    pub status: Option<Status>,
    next_id: OpId,
}

impl Activity {
    /// Records a new action and says it started; returns its id.
    pub fn start(&mut self, op: Op, now: i64) -> OpId {
        self.next_id += 1;
        let id = self.next_id;
        let subject = op.container().map(|t| t.name.clone()).unwrap_or_default();
        self.status = Some(Status {
            text: format!("{} {subject}", capitalize(op.verb_ing()))
                .trim_end()
                .to_string(),
            error: false,
        });
        self.entries.push(Entry {
            id,
            cli: op.cli(),
            op,
            started: now,
            outcome: Outcome::Running,
            layers: Vec::new(),
            lines: Vec::new(),
        });
        if self.entries.len() > LOG_LIMIT {
            self.entries.remove(0);
        }
        id
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
            Progress::Line(line) => entry.lines.push(line),
        }
    }

    pub fn done(&mut self, id: OpId, result: Result<String, OpError>, elapsed: Duration) {
        self.status = Some(match &result {
            Ok(text) => Status {
                text: format!("{text} in {:.1} s", elapsed.as_secs_f64()),
                error: false,
            },
            Err(e) => Status {
                text: match e.hint {
                    Some(hint) => format!("✗ {} — {hint}", e.message),
                    None => format!("✗ {}", e.message),
                },
                error: true,
            },
        });
        if let Some(entry) = self.entries.iter_mut().find(|e| e.id == id) {
            entry.outcome = Outcome::Done { result, elapsed };
        }
    }

    /// An action that never reached the daemon (bad input): shown, never logged as run.
    pub fn refuse(&mut self, message: impl Into<String>) {
        self.status = Some(Status {
            text: format!("✗ {}", message.into()),
            error: true,
        });
    }

    /// Something worth a line in the status bar that is not an action's outcome.
    pub fn note(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
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

    /// Pulls (and runs that pull), newest first, for the transfers view.
    pub fn transfers(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .rev()
            .filter(|e| matches!(e.op, Op::Pull(_)) || !e.layers.is_empty())
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
