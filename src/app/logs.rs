//! The logs view (`l`): a container's output followed live, kept in a ring buffer, with
//! timestamps, wrapping, search and filter.

use std::path::Path;

use crossterm::event::KeyEvent;

use super::App;
use super::effects::Local;
use super::effects::Routed;
use super::keymap::{DialogAction, LogsAction, Nav};
use super::ring::Ring;
use super::search::{Search, Typed};
use super::text_input::TextInput;
use super::view::{Ctx, Outcome, View};
use crate::docker::logs::{LogLine, LogStreamId};
use crate::docker::{Command, ContainerId, ContainerRow, HostId, Target};

/// Lines fetched when the view opens (`--tail`), as `docker logs --tail 1000` would.
pub const TAIL: usize = 1_000;
/// Lines kept per view; older ones drop off.
pub const CAPACITY: usize = 10_000;
/// Bytes kept per view (`--log-bytes`): the oldest lines drop off first. Long lines arrive
/// cut to [`MAX_LINE`](crate::docker::logs::MAX_LINE), so 16 MiB is at least ~1,000 lines.
pub const BYTE_BUDGET: usize = 16 * 1024 * 1024;

/// One container a logs view follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub stream: LogStreamId,
    /// The host its stream is on (its stop and a restart's stream go there too).
    pub host: HostId,
    pub name: String,
    /// Why its stream ended, once it has.
    pub ended: Option<String>,
    /// The container it follows (not a Swarm task): followed again when it restarts.
    pub container: Option<ContainerId>,
    /// The daemon's time of its newest line: a restart's stream starts after it.
    pub last_time: Option<String>,
    /// It started again (unix nanoseconds) before its stream had ended: followed again
    /// once it has.
    pub restarted: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct LogView {
    /// What the view is of: a container's name, a project's, "3 containers".
    pub container: String,
    /// The containers followed; more than one, or a project's: merged, each line marked
    /// with its source and kept in time order.
    pub sources: Vec<Source>,
    pub merged: bool,
    /// What its sources are, in words ("containers", or a Swarm service's "tasks").
    pub sources_are: &'static str,
    /// Only this source's lines are shown.
    pub only: Option<u16>,
    pub lines: Ring<LogLine>,
    pub timestamps: bool,
    pub wrap: bool,
    /// Visible lines scrolled up from the newest; 0 follows new output.
    pub offset: usize,
    pub search: Search,
    /// Show only the lines that match the search.
    pub filter: bool,
    /// Where to save, being typed (pre-filled under the data folder).
    pub save_to: Option<TextInput>,
    pub ended: Option<String>,
}

impl LogView {
    pub fn new(id: LogStreamId, host: HostId, container: String, capacity: usize) -> Self {
        Self::merged(container, vec![(id, host, String::new())], capacity, false)
    }

    /// A view of several containers' logs (`sources`: each one's stream, host and name).
    pub fn merged(
        title: String,
        sources: Vec<(LogStreamId, HostId, String)>,
        capacity: usize,
        merged: bool,
    ) -> Self {
        let sources: Vec<Source> = sources
            .into_iter()
            .map(|(stream, host, name)| Source {
                stream,
                host,
                name,
                ended: None,
                container: None,
                last_time: None,
                restarted: None,
            })
            .collect();
        Self {
            container: title,
            sources,
            merged,
            sources_are: "containers",
            only: None,
            lines: Ring::with_budget(capacity, BYTE_BUDGET, cost),
            timestamps: false,
            wrap: false,
            offset: 0,
            search: Search::default(),
            filter: false,
            save_to: None,
            ended: None,
        }
    }

    /// The index of the source whose stream this is.
    pub fn source_of(&self, stream: LogStreamId) -> Option<u16> {
        let at = self.sources.iter().position(|s| s.stream == stream)?;
        u16::try_from(at).ok()
    }

    /// A source's name, for the line's prefix ("" for an unknown one).
    pub fn source_name(&self, source: u16) -> &str {
        self.sources
            .get(usize::from(source))
            .map_or("", |s| s.name.as_str())
    }

    /// A source's stream ended: the view has ended when all have.
    pub fn source_ended(&mut self, stream: LogStreamId, reason: String) {
        let Some(at) = self.source_of(stream) else {
            return;
        };
        if let Some(s) = self.sources.get_mut(usize::from(at)) {
            s.ended = Some(reason.clone());
        }
        if self.sources.iter().all(|s| s.ended.is_some()) {
            self.ended = Some(match self.merged {
                true => format!("the output of all {} ended", self.sources_are),
                false => reason,
            });
        }
    }

    /// Whether a line is shown: its source, and the search while filtering.
    fn shows(&self, line: &LogLine) -> bool {
        self.only.is_none_or(|s| line.source == s)
            && (!self.filter || self.search.regex.is_none() || self.matches(line))
    }

    pub fn with_byte_budget(mut self, bytes: usize) -> Self {
        self.lines = Ring::with_budget(self.lines.capacity(), bytes, cost);
        self
    }

    /// Adds lines at the end, an over-long one cut with a marker; the oldest drop off while
    /// there are more than `capacity` lines or they take more than `byte_budget` bytes.
    /// Merged, each line goes where its time puts it (after the lines of the same time);
    /// one container's come in order already.
    pub fn push(&mut self, lines: Vec<LogLine>) {
        use crate::docker::logs::MAX_LINE;
        for mut line in lines {
            if line.text.len() > MAX_LINE {
                line.text = crate::format::cut(&line.text, MAX_LINE);
            }
            let at = match self.merged {
                true => self.lines.partition_point(|l| l.time <= line.time),
                false => self.lines.len(),
            };
            self.lines.insert(at, line);
        }
    }

    pub fn matches(&self, line: &LogLine) -> bool {
        self.search.is_match(&line.text)
    }

    /// The lines the view shows: all, or only matches when filtering.
    pub fn visible(&self) -> Vec<&LogLine> {
        self.lines.iter().filter(|l| self.shows(l)).collect()
    }

    /// Moves to the next (older, `back`) or previous match, so it is the bottom line.
    fn jump(&mut self, back: bool) {
        // Owned: finding notes on the search, which also decides what is visible.
        let owned: Vec<String> = self.visible().iter().map(|l| l.text.clone()).collect();
        let texts: Vec<&str> = owned.iter().map(String::as_str).collect();
        let bottom = texts.len().saturating_sub(1 + self.offset);
        if let Some(i) = self.search.find(&texts, bottom, back) {
            self.offset = texts.len() - 1 - i;
        }
    }

    fn scroll(&mut self, lines: isize) {
        let max = self.visible().len().saturating_sub(1);
        self.offset = self.offset.saturating_add_signed(lines).min(max);
    }

    /// The text to save: what the view shows, one line each, with times when shown.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for line in self.visible() {
            if self.timestamps && !line.time.is_empty() {
                out.push_str(&line.time);
                out.push(' ');
            }
            if self.merged {
                out.push_str(self.source_name(line.source));
                out.push_str(" | ");
            }
            out.push_str(&line.text);
            out.push('\n');
        }
        out
    }
}

/// What a logs view's stream follows.
enum Followed {
    Container(crate::docker::ContainerId),
    /// A Swarm task, by id.
    Task(String),
}

impl App {
    /// `l`: follow the selected container's logs; on a Compose project's row, or with
    /// several containers marked, theirs merged.
    pub(super) fn open_logs(&mut self) -> Vec<Routed> {
        let group = match self.project_targets() {
            Some((name, targets)) if self.containers.marks.is_empty() => Some((name, targets)),
            _ if self.containers.marks.len() > 1 => self
                .targets()
                .map(|t| (format!("{} containers", t.len()), t)),
            _ => None,
        };
        if let Some((title, targets)) = group {
            return self.open_merged_logs(title, targets);
        }
        let Some(c) = self.container_or_refuse() else {
            return Vec::new();
        };
        self.open_logs_of(c)
    }

    /// One container's logs, followed from its last lines.
    pub(super) fn open_logs_of(&mut self, c: ContainerRow) -> Vec<Routed> {
        let id = self.view_id();
        let mut view = LogView::new(id, c.host, c.name, self.prefs.log_lines)
            .with_byte_budget(self.prefs.log_bytes);
        if let Some(source) = view.sources.first_mut() {
            source.container = Some(c.id.clone());
        }
        self.view = Some(View::Logs(Box::new(view)));
        let follow = Command::FollowLogs {
            id,
            container: c.id,
            tail: TAIL,
            since: None,
            until: None,
        };
        vec![(c.host, follow)]
    }

    /// One stream per container (each goes to its container's host), into one view.
    fn open_merged_logs(&mut self, title: String, targets: Vec<Target>) -> Vec<Routed> {
        let sources = targets
            .into_iter()
            .map(|t| {
                (
                    t.name,
                    self.container_host(&t.id),
                    Followed::Container(t.id),
                )
            })
            .collect();
        self.open_log_streams(title, true, sources)
    }

    /// Swarm tasks' logs, through their `manager`: merged when several (a service's).
    pub(super) fn open_task_logs(
        &mut self,
        title: String,
        manager: HostId,
        tasks: Vec<crate::docker::actions::swarm::Named>,
    ) -> Vec<Routed> {
        let merged = tasks.len() > 1;
        let sources = tasks
            .into_iter()
            .map(|t| (t.name, manager, Followed::Task(t.id)))
            .collect();
        self.open_log_streams(title, merged, sources)
    }

    /// One view of several streams, each line marked with its source when `merged`.
    fn open_log_streams(
        &mut self,
        title: String,
        merged: bool,
        sources: Vec<(String, HostId, Followed)>,
    ) -> Vec<Routed> {
        let streams: Vec<(LogStreamId, HostId, String, Followed)> = sources
            .into_iter()
            .map(|(name, host, followed)| (self.view_id(), host, name, followed))
            .collect();
        let names = streams
            .iter()
            .map(|(id, host, name, _)| (*id, *host, name.clone()))
            .collect();
        let mut view = LogView::merged(title, names, self.prefs.log_lines, merged)
            .with_byte_budget(self.prefs.log_bytes);
        if streams
            .first()
            .is_some_and(|(_, _, _, f)| matches!(f, Followed::Task(_)))
        {
            view.sources_are = "tasks";
        }
        for (source, (_, _, _, followed)) in view.sources.iter_mut().zip(&streams) {
            if let Followed::Container(id) = followed {
                source.container = Some(id.clone());
            }
        }
        self.view = Some(View::Logs(Box::new(view)));
        streams
            .into_iter()
            .map(|(id, host, _, followed)| match followed {
                Followed::Container(container) => {
                    let (since, until, tail) = (None, None, TAIL);
                    let follow = Command::FollowLogs {
                        id,
                        container,
                        tail,
                        since,
                        until,
                    };
                    (host, follow)
                }
                Followed::Task(task) => (
                    host,
                    Command::FollowTaskLogs {
                        id,
                        task,
                        tail: TAIL,
                    },
                ),
            })
            .collect()
    }

    pub(super) fn log_lines(&mut self, id: LogStreamId, mut lines: Vec<LogLine>) {
        if let Some(View::Logs(view)) = &mut self.view
            && let Some(source) = view.source_of(id)
        {
            for line in &mut lines {
                line.source = source;
            }
            if let (Some(s), Some(last)) = (view.sources.get_mut(usize::from(source)), lines.last())
            {
                s.last_time = Some(last.time.clone());
            }
            view.append(lines);
        }
    }

    /// A container started (its restart policy, or a start): the open logs view that
    /// follows it goes on with the new run, after a marker line; if its stream has not
    /// ended yet, once it has.
    pub(super) fn logs_restarted(&mut self, container: &str, time: i64) -> Vec<Routed> {
        let Some(View::Logs(view)) = &mut self.view else {
            return Vec::new();
        };
        let Some(at) = view.sources.iter().position(|s| {
            s.container
                .as_ref()
                .is_some_and(|c| c.as_str() == container)
        }) else {
            return Vec::new();
        };
        if view.sources[at].ended.is_none() {
            view.sources[at].restarted = Some(time);
            return Vec::new();
        }
        self.follow_again(at, time)
    }

    /// A source's stream ended: a logs view's source (followed again if its container
    /// started meanwhile), or a stats view's stream.
    pub(super) fn log_stream_ended(&mut self, id: LogStreamId, reason: String) -> Vec<Routed> {
        let Some(View::Logs(view)) = &mut self.view else {
            return Vec::new();
        };
        view.source_ended(id, reason);
        let restarted = view
            .source_of(id)
            .and_then(|at| Some((at, view.sources.get(usize::from(at))?.restarted?)));
        match restarted {
            Some((at, time)) => self.follow_again(usize::from(at), time),
            None => Vec::new(),
        }
    }

    /// Follows source `at` again from after its last line shown, after a marker line at
    /// `time` (the start's, unix nanoseconds).
    fn follow_again(&mut self, at: usize, time: i64) -> Vec<Routed> {
        let stream = self.view_id();
        let Some(View::Logs(view)) = &mut self.view else {
            return Vec::new();
        };
        let Some(source) = view.sources.get_mut(at) else {
            return Vec::new();
        };
        let Some(container) = source.container.clone() else {
            return Vec::new();
        };
        let host = source.host;
        source.stream = stream;
        source.ended = None;
        source.restarted = None;
        // From just after the newest line shown (none: from a second before the start).
        let since = source
            .last_time
            .as_deref()
            .and_then(unix_nanos)
            .map_or(time - 1_000_000_000, |t| t + 1);
        let name = source.name.clone();
        view.ended = None;
        let text = match name.is_empty() {
            true => "── restarted ──".to_string(),
            false => format!("── {name} restarted ──"),
        };
        view.append(vec![LogLine {
            err: false,
            time: rfc3339(time),
            text,
            source: u16::try_from(at).unwrap_or(0),
        }]);
        let follow = Command::FollowLogs {
            id: stream,
            container,
            tail: TAIL,
            since: Some(format!(
                "{}.{:09}",
                since.div_euclid(1_000_000_000),
                since.rem_euclid(1_000_000_000)
            )),
            until: None,
        };
        vec![(host, follow)]
    }

    pub(super) fn saved(&mut self, path: &Path, result: Result<(), String>) {
        let path = path.display();
        let note = match result {
            Ok(()) => (format!("saved to {path}"), false),
            Err(e) => (format!("cannot save to {path}: {e}"), true),
        };
        if let Some(View::Logs(view)) = &mut self.view {
            view.search.note = Some(note.clone());
        }
        match note {
            (text, false) => self.activity.note(text),
            (text, true) => self.activity.refuse(text),
        }
    }
}

/// The daemon's log time (RFC 3339 with nanoseconds) as unix nanoseconds.
fn unix_nanos(time: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(time)
        .ok()?
        .timestamp_nanos_opt()
}

/// Unix nanoseconds as the daemon writes a log line's time (fixed width, so it sorts).
fn rfc3339(nanos: i64) -> String {
    let secs = nanos.div_euclid(1_000_000_000);
    let sub = u32::try_from(nanos.rem_euclid(1_000_000_000)).unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, sub)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string())
        .unwrap_or_default()
}

impl LogView {
    /// New lines from the stream. A view scrolled back keeps its lines still meanwhile.
    fn append(&mut self, lines: Vec<LogLine>) {
        // Lines that land below the bottom line in view (merged ones may land above it):
        // only a view scrolled back counts them.
        let bottom = match self.merged && self.offset > 0 {
            true => {
                let visible = self.visible();
                visible
                    .len()
                    .checked_sub(1 + self.offset)
                    .and_then(|i| visible.get(i))
                    .map(|l| l.time.clone())
            }
            false => None,
        };
        let added = lines
            .iter()
            .filter(|l| self.shows(l))
            .filter(|l| !self.merged || bottom.as_ref().is_none_or(|t| l.time >= *t))
            .count();
        if self.offset > 0 {
            self.offset += added;
        }
        self.push(lines);
        // Lines dropped from the front of a full ring take the view's place with them.
        self.offset = self.offset.min(self.visible().len().saturating_sub(1));
    }

    /// A search was typed: show the newest match, or say there is none.
    fn show_newest_match(&mut self) {
        let owned: Vec<String> = self.visible().iter().map(|l| l.text.clone()).collect();
        let texts: Vec<&str> = owned.iter().map(String::as_str).collect();
        let len = texts.len();
        match texts.iter().rposition(|t| self.search.is_match(t)) {
            Some(i) => {
                self.offset = len - 1 - i;
                self.search.mark(&texts, i);
            }
            None => {
                self.offset = 0;
                self.search.note = Some(("no match".into(), true));
            }
        }
    }

    /// A completion of the save path arrived: applied if the field still holds what was
    /// typed.
    pub fn save_completed(&mut self, typed: &str, path: String) -> bool {
        match &mut self.save_to {
            Some(input) if input.value == typed => {
                *input = TextInput::new(path);
                true
            }
            _ => false,
        }
    }

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        // Typing where to save: the field takes the keys.
        if let Some(input) = &mut self.save_to {
            // Tab completes the path, as a shell does (and as the download form does).
            if key.code == crossterm::event::KeyCode::Tab {
                input.selected = false;
                return Outcome::stay().local(Local::CompletePath(input.value.clone()));
            }
            match cx.keymap.get(key) {
                Some(DialogAction::Confirm) => {
                    let path = std::path::PathBuf::from(input.value.trim());
                    self.save_to = None;
                    let text = self.text();
                    return Outcome::stay().local(Local::Save { path, text });
                }
                Some(DialogAction::Cancel) => self.save_to = None,
                _ => {
                    input.handle(key);
                }
            }
            return Outcome::stay();
        }
        // Typing a search: the field takes the keys.
        if let Some(typed) = self.search.key(key) {
            if typed == Typed::Applied && self.search.regex.is_some() {
                self.show_newest_match();
            }
            return Outcome::stay();
        }
        let page = cx.page as isize;
        match cx.keymap.get(key) {
            Some(LogsAction::Close) => {
                let mut outcome = Outcome::close();
                for s in &self.sources {
                    outcome = outcome.to(s.host, Command::StopStream(s.stream));
                }
                return outcome;
            }
            Some(LogsAction::NextSource) => self.next_source(),
            Some(LogsAction::Timestamps) => self.timestamps = !self.timestamps,
            Some(LogsAction::Wrap) => self.wrap = !self.wrap,
            Some(LogsAction::Filter) => {
                self.filter = !self.filter;
                self.offset = 0;
                if self.search.regex.is_none() {
                    let search = cx.keymap.key_for(LogsAction::Search.into());
                    self.search.note =
                        Some((format!("filter needs a search: {search} starts one"), true));
                }
            }
            Some(LogsAction::Search) => self.search.start(),
            Some(LogsAction::NextMatch) => self.jump(true),
            Some(LogsAction::PrevMatch) => self.jump(false),
            Some(LogsAction::Copy) => {
                let visible = self.visible();
                let bottom = visible.len().checked_sub(1 + self.offset);
                return match bottom.and_then(|i| visible.get(i)) {
                    Some(line) => super::effects::copy(cx.activity, "the line", &line.text),
                    None => {
                        cx.activity.refuse("no line to copy");
                        Outcome::stay()
                    }
                };
            }
            Some(LogsAction::Save) => {
                let path = self.save_path(cx.now, cx.save_dir);
                self.save_to = Some(TextInput::suggested(path.display().to_string()));
            }
            None => match cx.keymap.nav(key) {
                Some(Nav::Up) => self.scroll(1),
                Some(Nav::Down) => self.scroll(-1),
                Some(Nav::PageUp) => self.scroll(page),
                Some(Nav::PageDown) => self.scroll(-page),
                Some(Nav::Top) => self.scroll(isize::MAX),
                Some(Nav::Bottom) => self.offset = 0,
                None => {}
            },
        }
        Outcome::stay()
    }

    /// Tab: all sources, then each alone, then all again.
    fn next_source(&mut self) {
        if !self.merged {
            self.search.note = Some(("one container: nothing to narrow to".into(), true));
            return;
        }
        let count = u16::try_from(self.sources.len()).unwrap_or(u16::MAX);
        self.only = match self.only {
            None => Some(0),
            Some(s) if s + 1 < count => Some(s + 1),
            Some(_) => None,
        };
        self.offset = 0;
    }

    /// Where saving suggests: a new file named after the container and the time.
    fn save_path(&self, now: i64, dir: &Path) -> std::path::PathBuf {
        let stamp = chrono::DateTime::from_timestamp(now, 0)
            .map(|t| t.format("%Y%m%d-%H%M%S").to_string())
            .unwrap_or_default();
        dir.join(format!("{}-{stamp}.log", sanitize(&self.container)))
    }
}

/// The memory a line takes: its text, its time and the line itself.
fn cost(line: &LogLine) -> usize {
    line.text.capacity() + line.time.capacity() + std::mem::size_of::<LogLine>()
}

/// A container name as a file name: anything odd becomes '_'.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> LogLine {
        LogLine {
            err: false,
            time: "2026-11-28T14:00:00Z".into(),
            text: text.into(),
            source: 0,
        }
    }

    #[test]
    fn the_ring_keeps_only_the_newest() {
        let mut view = LogView::new(LogStreamId(1), HostId::default(), "web".into(), 3);
        view.push((0..5).map(|i| line(&i.to_string())).collect());
        let texts: Vec<_> = view.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["2", "3", "4"]);
        assert_eq!(view.lines.dropped(), 2);
    }

    #[test]
    fn the_ring_is_bounded_in_bytes_too() {
        // 2,000 lines of 60 kB (the review's case) in a 1 MiB budget.
        let mut view = LogView::new(LogStreamId(1), HostId::default(), "web".into(), CAPACITY)
            .with_byte_budget(1 << 20);
        for _ in 0..2_000 {
            view.push(vec![line(&"x".repeat(60_000))]);
        }
        let held: usize = view.lines.iter().map(cost).sum();
        assert_eq!(held, view.lines.used());
        assert!(held <= 1 << 20, "{held} bytes held");
        assert!(view.lines.len() > 10, "cut lines, not few whole ones");
        assert_eq!(view.lines.dropped() as usize + view.lines.len(), 2_000);
        let newest = view
            .lines
            .back()
            .map(|l| l.text.as_str())
            .unwrap_or_default();
        assert!(
            newest.ends_with("bytes cut]"),
            "an over-long line is cut with a marker"
        );
        // A single line larger than the budget is still shown (cut), never an empty view.
        let mut tiny =
            LogView::new(LogStreamId(1), HostId::default(), "web".into(), 10).with_byte_budget(10);
        tiny.push(vec![line("hello"), line("world")]);
        assert_eq!(tiny.lines.len(), 1);
    }

    #[test]
    fn search_filter_and_jumps() {
        let mut view = LogView::new(LogStreamId(1), HostId::default(), "web".into(), 100);
        view.push(
            ["ok 1", "error: a", "ok 2", "error: b", "ok 3"]
                .map(line)
                .to_vec(),
        );
        view.search.regex = Some(regex::Regex::new("^error").expect("regex"));
        view.jump(true);
        assert_eq!(view.offset, 1, "the newest match is at the bottom");
        view.jump(true);
        assert_eq!(view.offset, 3);
        view.jump(true);
        assert_eq!(
            view.search.note.as_ref().map(|n| n.0.as_str()),
            Some("no more matches")
        );
        view.jump(false);
        assert_eq!(view.offset, 1);
        view.filter = true;
        let shown: Vec<_> = view.visible().iter().map(|l| l.text.clone()).collect();
        assert_eq!(shown, ["error: a", "error: b"]);
        view.timestamps = true;
        assert_eq!(
            view.text(),
            "2026-11-28T14:00:00Z error: a\n2026-11-28T14:00:00Z error: b\n"
        );
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(sanitize("web/../x y"), "web_.._x_y");
    }
}

#[cfg(test)]
mod ring_tests {
    use super::*;
    use crate::app::App;

    #[test]
    fn a_scrolled_view_never_points_past_a_full_ring() {
        let mut app = App::new(crate::app::Settings {
            size: (100, 30),
            prefs: crate::app::Prefs {
                log_lines: 10,
                ..Default::default()
            },
            ..Default::default()
        });
        let view = LogView::new(LogStreamId(1), HostId::default(), "web".into(), 10);
        app.view = Some(View::Logs(Box::new(view)));
        let lines = |n: usize| {
            (0..n)
                .map(|i| LogLine {
                    err: false,
                    time: String::new(),
                    text: format!("{i}"),
                    source: 0,
                })
                .collect::<Vec<_>>()
        };
        app.log_lines(LogStreamId(1), lines(10));
        if let Some(View::Logs(view)) = &mut app.view {
            view.offset = 5;
        }
        app.log_lines(LogStreamId(1), lines(30));
        match &app.view {
            Some(View::Logs(view)) => assert!(view.offset < view.visible().len()),
            _ => panic!("logs view"),
        }
    }
}
