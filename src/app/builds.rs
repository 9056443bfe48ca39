//! Builds (`b` on the images pane, `:build [PATH]`): the form, each build's steps as its
//! progress comes ([`BuildLog`], kept in its command log entry), one build's view (its
//! steps, each step's output folded under it, the failing one open with the Dockerfile
//! line), and the builds view (`B`, `:builds`), a list kind whose rows the app makes from
//! this session's builds.

use std::collections::BTreeSet;
use std::time::Duration;

use super::activity::{Activity, Entry, EntryState};
use super::dialog::{Confirm, ConfirmKind, Dialog, Form};
use super::keymap::{BuildAction, BuildsAction};
use super::list::{Column, Kind, List, Tone, Width, by_text};
use super::room::Room;
use super::view::{Ctx, Outcome, Then, View};
use super::{App, Pane};
use crate::docker::build::BuildProgress;
use crate::docker::{Command, HostId, Op, OpId};
use crate::format::human_size;

/// A step's output keeps its last lines only.
const OUTPUT_LINES: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Running,
    Cached,
    Done,
    Failed,
}

impl StepState {
    pub fn word(self) -> &'static str {
        match self {
            StepState::Running => "running",
            StepState::Cached => "cached",
            StepState::Done => "done",
            StepState::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub number: usize,
    pub total: usize,
    pub instruction: String,
    /// Its line in the Dockerfile.
    pub line: Option<usize>,
    pub state: StepState,
    pub started: Duration,
    pub ended: Option<Duration>,
    pub output: Vec<String>,
    /// Output lines dropped from the front.
    pub dropped: usize,
}

impl Step {
    /// How long it took, or has taken as of `now` (time since the build started).
    pub fn took(&self, now: Duration) -> Duration {
        self.ended.unwrap_or(now).saturating_sub(self.started)
    }
}

/// A build's progress, as its view draws it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BuildLog {
    pub steps: Vec<Step>,
    /// Context bytes sent, and whether all of them.
    pub context: u64,
    pub context_done: bool,
    /// Whether the upload began: a context refused (a folder missing or unreadable, one
    /// over 1 GiB) never did, and its view says only why.
    pub sending: bool,
    pub image: Option<String>,
    /// The daemon's words and the exit code of the failing command.
    pub failure: Option<(String, Option<i64>)>,
    /// The time of the last report (since the build started).
    pub last: Duration,
}

impl BuildLog {
    pub fn apply(&mut self, progress: BuildProgress) {
        match progress {
            BuildProgress::Context { bytes, done } => {
                self.context = bytes;
                self.context_done = done;
                self.sending = true;
            }
            BuildProgress::Large { bytes } => self.context = bytes,
            BuildProgress::Step {
                number,
                total,
                instruction,
                line,
                at,
            } => {
                self.finish_running(at, StepState::Done);
                self.last = at;
                self.steps.push(Step {
                    number,
                    total,
                    instruction,
                    line,
                    state: StepState::Running,
                    started: at,
                    ended: None,
                    output: Vec::new(),
                    dropped: 0,
                });
            }
            BuildProgress::Cached => {
                if let Some(step) = self.steps.last_mut() {
                    step.state = StepState::Cached;
                }
            }
            BuildProgress::Output(line) => {
                if let Some(step) = self.steps.last_mut() {
                    if step.output.len() == OUTPUT_LINES {
                        step.output.remove(0);
                        step.dropped += 1;
                    }
                    step.output.push(line);
                }
            }
            BuildProgress::StepDone { at } => {
                self.last = at;
                if let Some(step) = self.steps.last_mut().filter(|s| s.ended.is_none()) {
                    step.ended = Some(at);
                    if step.state == StepState::Running {
                        step.state = StepState::Done;
                    }
                }
            }
            BuildProgress::Failed { message, code, at } => {
                self.finish_running(at, StepState::Failed);
                self.last = at;
                self.failure = Some((message, code));
            }
            BuildProgress::Built { id } => self.image = Some(id),
        }
    }

    /// The step still running ends (a next step began, or the build failed).
    fn finish_running(&mut self, at: Duration, state: StepState) {
        if let Some(step) = self.steps.last_mut().filter(|s| s.ended.is_none()) {
            step.ended = Some(at);
            if step.state == StepState::Running || state == StepState::Failed {
                step.state = state;
            }
        }
    }

    /// "5/7 steps, 3 cached".
    pub fn summary(&self) -> String {
        let total = self.steps.last().map_or(0, |s| s.total);
        let cached = (self.steps.iter())
            .filter(|s| s.state == StepState::Cached)
            .count();
        match cached {
            0 => format!("{}/{total} steps", self.steps.len()),
            n => format!("{}/{total} steps, {n} cached", self.steps.len()),
        }
    }
}

/// The spec of the build logged as `id`.
/// Its spec, and the host it was built on.
fn spec_of(activity: &Activity, id: OpId) -> Option<(crate::build_spec::BuildSpec, HostId)> {
    let entry = activity.get(id)?;
    match &entry.op {
        Op::Build(spec) => Some(((**spec).clone(), entry.runs_on)),
        _ => None,
    }
}

/// One build, its steps: the selected step, and the steps the user folded or unfolded
/// (a running or failed step is open unless folded, the others folded unless opened).
#[derive(Debug, Clone)]
pub struct BuildView {
    pub id: OpId,
    pub selected: usize,
    pub toggled: BTreeSet<usize>,
}

impl BuildView {
    pub fn new(id: OpId) -> Self {
        Self {
            id,
            selected: 0,
            toggled: BTreeSet::new(),
        }
    }

    /// Whether step `i` shows its output.
    pub fn open(&self, step: &Step, i: usize) -> bool {
        let by_default = matches!(step.state, StepState::Running | StepState::Failed);
        by_default != self.toggled.contains(&i)
    }

    pub fn on_key(&mut self, key: &crossterm::event::KeyEvent, cx: &mut Ctx) -> Outcome {
        let steps = (cx.activity.get(self.id))
            .and_then(|e| e.build.as_ref())
            .map_or(0, |b| b.steps.len());
        match cx.keymap.get(key) {
            Some(BuildAction::Close) => return Outcome::close(),
            Some(BuildAction::Toggle) if steps > 0 => {
                let i = self.selected.min(steps - 1);
                if !self.toggled.remove(&i) {
                    self.toggled.insert(i);
                }
            }
            Some(BuildAction::Toggle) => cx.activity.refuse("no step yet"),
            Some(BuildAction::Cancel) => return cancel(self.id, cx),
            Some(BuildAction::Again) => return again(self.id, cx),
            None => match cx.keymap.nav(key) {
                Some(nav) => self.selected = nav.apply(self.selected, steps, cx.page),
                None => return super::room::unbound(key, cx, "the build view"),
            },
        }
        Outcome::stay()
    }
}

/// `c`: the build stops (its request dropped, the daemon stops it).
fn cancel(id: OpId, cx: &mut Ctx) -> Outcome {
    match cx.activity.get(id).filter(|e| e.running()) {
        Some(e) => Outcome::stay().to(e.runs_on, Command::Cancel(id)),
        _ => {
            cx.activity.refuse("that build has ended");
            Outcome::stay()
        }
    }
}

/// `R`: the same build again.
fn again(id: OpId, cx: &mut Ctx) -> Outcome {
    match spec_of(cx.activity, id) {
        Some((spec, host)) => Outcome::stay()
            .ops(vec![Op::Build(Box::new(spec))])
            .on(host),
        None => {
            cx.activity.refuse("no build selected");
            Outcome::stay()
        }
    }
}

/// The builds kind.
#[derive(Debug, Clone)]
pub struct Builds;

/// A build as the builds view lists it.
#[derive(Debug, Clone, Default)]
pub struct BuildLine {
    pub id: OpId,
    pub key: String,
    pub name: String,
    pub result: String,
    pub tone: Tone,
    pub steps: String,
    pub took: String,
    pub context: String,
    pub image: String,
    pub started: i64,
}

impl Kind for Builds {
    type Row = BuildLine;
    type Action = BuildsAction;
    const TITLE: &'static str = "Builds";
    const HOSTED: bool = false;

    fn columns(&self) -> Vec<Column<BuildLine>> {
        vec![
            Column::new("BUILD", Width::Content(40), 0).sorts(|a, b| by_text(&a.name, &b.name)),
            Column::new("RESULT", Width::Grow(12), 0).sorts(|a, b| by_text(&a.result, &b.result)),
            Column::new("STEPS", Width::Content(20), 1),
            Column::new("TIME", Width::Content(8), 1),
            Column::new("CONTEXT", Width::Content(10), 2),
            Column::new("IMAGE", Width::Content(12), 2),
            Column::new("STARTED", Width::Content(10), 3).sorts(|a, b| a.started.cmp(&b.started)),
        ]
    }

    fn id(row: &BuildLine) -> &str {
        &row.key
    }

    fn name(row: &BuildLine) -> &str {
        &row.name
    }

    fn cells(&self, r: &BuildLine) -> Vec<String> {
        let started = chrono::DateTime::from_timestamp(r.started, 0)
            .map(|t| t.format("%H:%M:%S").to_string())
            .unwrap_or_default();
        vec![
            r.name.clone(),
            r.result.clone(),
            r.steps.clone(),
            r.took.clone(),
            r.context.clone(),
            r.image.clone(),
            started,
        ]
    }

    fn tone(&self, row: &BuildLine) -> Option<(usize, Tone)> {
        Some((1, row.tone))
    }

    // The app knows its builds: no daemon is asked.

    fn verb(list: &mut List<Self>, action: BuildsAction, cx: &mut Ctx) -> Outcome {
        if action == BuildsAction::Close {
            return Outcome::close();
        }
        let Some(id) = list.selected().map(|r| r.row.id) else {
            cx.activity.refuse("no build selected");
            return Outcome::stay();
        };
        match action {
            BuildsAction::Open => Outcome::stay().then(Then::Build(id)),
            BuildsAction::Again => again(id, cx),
            BuildsAction::Cancel => cancel(id, cx),
            BuildsAction::Close => Outcome::close(),
        }
    }
}

/// A build's row.
fn line(entry: &Entry) -> Option<BuildLine> {
    let Op::Build(spec) = &entry.op else {
        return None;
    };
    let log = entry.build.as_deref().cloned().unwrap_or_default();
    let (result, tone, took) = match &entry.outcome {
        EntryState::Running => ("building…".to_string(), Tone::Dim, log.last),
        EntryState::Done {
            result: Ok(_),
            elapsed,
        } => ("built".into(), Tone::Good, *elapsed),
        EntryState::Done {
            result: Err(e),
            elapsed,
        } => (format!("failed: {}", e.message), Tone::Bad, *elapsed),
    };
    Some(BuildLine {
        id: entry.id,
        key: entry.id.0.to_string(),
        name: spec.title(),
        result,
        tone,
        steps: log.summary(),
        took: format!("{:.1} s", took.as_secs_f64()),
        context: human_size(i64::try_from(log.context).unwrap_or(i64::MAX)),
        image: log
            .image
            .as_deref()
            .map(|i| crate::format::short_id(i).to_string())
            .unwrap_or_default(),
        started: entry.started,
    })
}

impl App {
    /// `b`, `:build [PATH]`: the form, its context the path given (else this folder).
    pub(super) fn open_build_form(&mut self, path: Option<&str>) {
        // Typed with no row: the host the user is looking at.
        let form = Form::build(path.unwrap_or("."));
        self.open(self.active_host(), Dialog::Form(form));
    }

    pub(super) fn open_builds(&mut self) {
        let mut list = List::new(Builds, Room::new(self.view_id(), self.active_host()));
        list.room.loading = false;
        self.view = Some(View::List(Box::new(list)));
        self.refresh_builds_view();
    }

    /// The builds view, open or under the view open, shows the builds as they are now.
    pub(super) fn refresh_builds_view(&mut self) {
        let mut views = self.view.iter().chain(self.stack.iter());
        if !views.any(|v| v.list_of::<Builds>().is_some()) {
            return;
        }
        let lines: Vec<BuildLine> = self
            .activity
            .entries
            .iter()
            .rev()
            .filter_map(line)
            .collect();
        let page = crate::layout::view_page(&self.areas());
        let views = self.view.iter_mut().chain(self.stack.iter_mut());
        if let Some(list) = views.filter_map(View::list_of_mut::<Builds>).next() {
            list.answer(HostId::default(), lines, page, &self.host_names);
        }
    }

    /// A build just started opens its view (over the form's place, or the builds view).
    pub(super) fn show_started_build(&mut self, commands: &[super::effects::Routed]) {
        let started = commands.iter().find_map(|(_, c)| match c {
            Command::Op {
                id,
                op: Op::Build(_),
            } => Some(*id),
            _ => None,
        });
        if let Some(id) = started {
            self.push_view(View::Build(Box::new(BuildView::new(id))));
            self.refresh_builds_view();
        }
    }

    /// `Enter` in the builds view.
    pub(super) fn open_build(&mut self, id: OpId) {
        self.push_view(View::Build(Box::new(BuildView::new(id))));
    }

    /// A build's progress or end: its rows; a context over 1 GiB asks before it goes; a
    /// build done selects its image once listed.
    pub(super) fn build_event(&mut self, id: OpId, large: Option<u64>) {
        let Some(entry) = self.activity.get(id) else {
            return;
        };
        let Op::Build(spec) = &entry.op else {
            return;
        };
        let built = (entry.build.as_ref())
            .and_then(|b| b.image.clone())
            .filter(|_| !entry.running());
        if let Some(bytes) = large {
            let mut spec = (**spec).clone();
            spec.large_ok = true;
            let size = human_size(i64::try_from(bytes).unwrap_or(i64::MAX));
            let confirm = Confirm::new(
                " Send a large context? ",
                ConfirmKind::Actions(vec![Op::Build(Box::new(spec))]),
                vec![format!(
                    "The context is {size}, over 1 GiB: a .dockerignore in it may leave out what the build does not need."
                )],
            );
            // Sent again to the host the build went to.
            let dialog = Dialog::Confirm(confirm).on(entry.runs_on);
            self.push_view(View::Dialog(dialog));
        }
        if let Some(image) = built {
            self.select_image_when_listed = Some(image);
            self.built_image_listed();
        }
        self.refresh_builds_view();
    }

    /// The image a build made, once the images pane lists it: selected there.
    pub(super) fn built_image_listed(&mut self) {
        let Some(id) = self.select_image_when_listed.clone() else {
            return;
        };
        let short = crate::format::short_id(&id).to_string();
        let row = (self.images.rows.iter()).find(|i| crate::format::short_id(&i.row.id) == short);
        if let Some(key) = row.map(|r| r.key::<super::image_list::Images>().text()) {
            self.select_image_when_listed = None;
            self.images.room.cursor.follow(key);
            if self.focus != Pane::Terminal {
                self.focus = Pane::Images;
            }
            self.sync_cursors();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    fn step(number: usize, instruction: &str, ms: u64) -> BuildProgress {
        BuildProgress::Step {
            number,
            total: 3,
            instruction: instruction.into(),
            line: Some(number),
            at: at(ms),
        }
    }

    #[test]
    fn steps_take_their_states_times_and_output() {
        let mut log = BuildLog::default();
        for p in [
            BuildProgress::Context {
                bytes: 2048,
                done: true,
            },
            step(1, "FROM busybox", 10),
            BuildProgress::StepDone { at: at(20) },
            step(2, "RUN echo hi", 30),
            BuildProgress::Cached,
            BuildProgress::StepDone { at: at(35) },
            step(3, "RUN exit 3", 40),
            BuildProgress::Output("oops".into()),
            BuildProgress::Failed {
                message: "The command '/bin/sh -c exit 3' returned a non-zero code: 3".into(),
                code: Some(3),
                at: at(900),
            },
        ] {
            log.apply(p);
        }
        let states: Vec<StepState> = log.steps.iter().map(|s| s.state).collect();
        assert_eq!(
            states,
            [StepState::Done, StepState::Cached, StepState::Failed]
        );
        assert_eq!(log.steps[2].output, ["oops"]);
        assert_eq!(log.steps[2].took(at(5000)), at(860));
        assert_eq!(log.failure.as_ref().and_then(|f| f.1), Some(3));
        assert_eq!(log.summary(), "3/3 steps, 1 cached");
        assert_eq!(log.context, 2048);
        // The failing step opens by itself; the others stay folded until asked.
        let view = BuildView::new(OpId(1));
        assert!(view.open(&log.steps[2], 2));
        assert!(!view.open(&log.steps[0], 0));
    }

    #[test]
    fn a_long_output_keeps_its_last_lines() {
        let mut log = BuildLog::default();
        log.apply(step(1, "RUN seq 600", 0));
        for i in 0..600 {
            log.apply(BuildProgress::Output(i.to_string()));
        }
        let step = &log.steps[0];
        assert_eq!(step.output.len(), OUTPUT_LINES);
        assert_eq!(step.dropped, 100);
        assert_eq!(step.output.first().map(String::as_str), Some("100"));
    }
}
