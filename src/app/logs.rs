//! The logs view (`l`): a container's output followed live, kept in a ring buffer, with
//! timestamps, wrapping, search and filter.

use std::collections::VecDeque;

use crossterm::event::KeyEvent;

use super::keymap::Scope;
use super::search::{Search, Typed};
use super::{Action, App, Overlay};
use crate::docker::Command;
use crate::docker::logs::{LogLine, LogStreamId};

/// Lines fetched when the view opens (`--tail`), as `docker logs --tail 1000` would.
pub const TAIL: usize = 1_000;
/// Lines kept per view; older ones drop off.
pub const CAPACITY: usize = 10_000;
/// Bytes kept per view (`--log-bytes`): the oldest lines drop off first. Long lines arrive
/// cut to [`MAX_LINE`](crate::docker::logs::MAX_LINE), so 16 MiB is at least ~1,000 lines.
pub const BYTE_BUDGET: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct LogView {
    pub id: LogStreamId,
    pub container: String,
    pub lines: VecDeque<LogLine>,
    pub capacity: usize,
    /// The memory the lines take, and the most they may take.
    pub bytes: usize,
    pub byte_budget: usize,
    /// Lines that fell off the front of the ring.
    pub dropped: u64,
    pub timestamps: bool,
    pub wrap: bool,
    /// Visible lines scrolled up from the newest; 0 follows new output.
    pub offset: usize,
    pub search: Search,
    /// Show only the lines that match the search.
    pub filter: bool,
    pub ended: Option<String>,
}

impl LogView {
    pub fn new(id: LogStreamId, container: String, capacity: usize) -> Self {
        Self {
            id,
            container,
            lines: VecDeque::new(),
            capacity,
            bytes: 0,
            byte_budget: BYTE_BUDGET,
            dropped: 0,
            timestamps: false,
            wrap: false,
            offset: 0,
            search: Search::default(),
            filter: false,
            ended: None,
        }
    }

    pub fn with_byte_budget(mut self, bytes: usize) -> Self {
        self.byte_budget = bytes;
        self
    }

    /// Adds lines at the end, an over-long one cut with a marker; the oldest drop off while
    /// there are more than `capacity` lines or they take more than `byte_budget` bytes.
    pub fn push(&mut self, lines: Vec<LogLine>) {
        use crate::docker::logs::MAX_LINE;
        for mut line in lines {
            if line.text.len() > MAX_LINE {
                line.text = crate::format::cut(&line.text, MAX_LINE);
            }
            self.bytes += cost(&line);
            self.lines.push_back(line);
            while self.lines.len() > self.capacity.max(1)
                || (self.bytes > self.byte_budget && self.lines.len() > 1)
            {
                if let Some(old) = self.lines.pop_front() {
                    self.bytes -= cost(&old);
                    self.dropped += 1;
                }
            }
        }
    }

    pub fn matches(&self, line: &LogLine) -> bool {
        self.search.is_match(&line.text)
    }

    /// The lines the view shows: all, or only matches when filtering.
    pub fn visible(&self) -> Vec<&LogLine> {
        self.lines
            .iter()
            .filter(|l| !self.filter || self.search.regex.is_none() || self.matches(l))
            .collect()
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
            out.push_str(&line.text);
            out.push('\n');
        }
        out
    }
}

impl App {
    /// `l`: follow the selected container's logs.
    pub(super) fn open_logs(&mut self) -> Vec<Command> {
        let Some(c) = self.container_or_refuse() else {
            return Vec::new();
        };
        let id = self.view_id();
        let view = LogView::new(id, c.name, self.log_capacity).with_byte_budget(self.log_bytes);
        self.overlay = Some(Overlay::Logs(Box::new(view)));
        vec![Command::FollowLogs {
            id,
            container: c.id,
            tail: TAIL,
        }]
    }

    pub(super) fn log_lines(&mut self, id: LogStreamId, lines: Vec<LogLine>) {
        if let Some(Overlay::Logs(view)) = &mut self.overlay
            && view.id == id
        {
            // A view scrolled back keeps its lines still while new ones arrive.
            let added = if view.filter && view.search.regex.is_some() {
                lines.iter().filter(|l| view.matches(l)).count()
            } else {
                lines.len()
            };
            if view.offset > 0 {
                view.offset += added;
            }
            view.push(lines);
            // Lines dropped from the front of a full ring take the view's place with them.
            view.offset = view.offset.min(view.visible().len().saturating_sub(1));
        }
    }

    pub(super) fn saved(&mut self, path: String, result: Result<(), String>) {
        let note = match result {
            Ok(()) => (format!("saved to {path}"), false),
            Err(e) => (format!("cannot save to {path}: {e}"), true),
        };
        if let Some(Overlay::Logs(view)) = &mut self.overlay {
            view.search.note = Some(note.clone());
        }
        match note {
            (text, false) => self.activity.note(text),
            (text, true) => self.activity.refuse(text),
        }
    }

    pub(super) fn on_logs_key(&mut self, key: &KeyEvent, mut view: Box<LogView>) -> Vec<Command> {
        let page = self.view_page() as isize;
        // Typing a search: the field takes the keys.
        if let Some(typed) = view.search.key(key) {
            if typed == Typed::Applied && view.search.regex.is_some() {
                // Show the newest match; say so when there is none.
                let len = view.visible().len();
                view.offset = 0;
                let texts: Vec<&str> = view.visible().iter().map(|l| l.text.as_str()).collect();
                let found = texts.iter().rposition(|t| view.search.is_match(t));
                match found {
                    Some(i) => view.offset = len - 1 - i,
                    None => view.search.note = Some(("no match".into(), true)),
                }
            }
            self.overlay = Some(Overlay::Logs(view));
            return Vec::new();
        }
        let action = self
            .keymap
            .lookup_in(key, Scope::Logs)
            .or_else(|| self.keymap.lookup(key, self.focus));
        let mut commands = Vec::new();
        match action {
            Some(Action::Cancel) => return vec![Command::StopStream(view.id)],
            Some(Action::ToggleTimestamps) => view.timestamps = !view.timestamps,
            Some(Action::ToggleWrap) => view.wrap = !view.wrap,
            Some(Action::ToggleFilter) => {
                view.filter = !view.filter;
                view.offset = 0;
                if view.search.regex.is_none() {
                    view.search.note = Some(("filter needs a search: / starts one".into(), true));
                }
            }
            Some(Action::Search) => view.search.start(),
            Some(Action::NextMatch) => view.jump(true),
            Some(Action::PrevMatch) => view.jump(false),
            Some(Action::Up) => view.scroll(1),
            Some(Action::Down) => view.scroll(-1),
            Some(Action::PageUp) => view.scroll(page),
            Some(Action::PageDown) => view.scroll(-page),
            Some(Action::Top) => view.scroll(isize::MAX),
            Some(Action::Bottom) => view.offset = 0,
            Some(Action::SaveLogs) => {
                let stamp = chrono::DateTime::from_timestamp(self.now, 0)
                    .map(|t| t.format("%Y%m%d-%H%M%S").to_string())
                    .unwrap_or_default();
                let file = format!("{}-{stamp}.log", sanitize(&view.container));
                let path = self.save_dir.join(file).display().to_string();
                commands.push(Command::Save {
                    path,
                    text: view.text(),
                });
            }
            Some(Action::Quit) => {
                self.should_quit = true;
                return vec![Command::StopStream(view.id)];
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Logs(view));
        commands
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
        }
    }

    #[test]
    fn the_ring_keeps_only_the_newest() {
        let mut view = LogView::new(1, "web".into(), 3);
        view.push((0..5).map(|i| line(&i.to_string())).collect());
        let texts: Vec<_> = view.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["2", "3", "4"]);
        assert_eq!(view.dropped, 2);
    }

    #[test]
    fn the_ring_is_bounded_in_bytes_too() {
        // 2,000 lines of 60 kB (the review's case) in a 1 MiB budget.
        let mut view = LogView::new(1, "web".into(), CAPACITY).with_byte_budget(1 << 20);
        for _ in 0..2_000 {
            view.push(vec![line(&"x".repeat(60_000))]);
        }
        let held: usize = view.lines.iter().map(cost).sum();
        assert_eq!(held, view.bytes);
        assert!(view.bytes <= 1 << 20, "{} bytes held", view.bytes);
        assert!(view.lines.len() > 10, "cut lines, not few whole ones");
        assert_eq!(view.dropped as usize + view.lines.len(), 2_000);
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
        let mut tiny = LogView::new(1, "web".into(), 10).with_byte_budget(10);
        tiny.push(vec![line("hello"), line("world")]);
        assert_eq!(tiny.lines.len(), 1);
    }

    #[test]
    fn search_filter_and_jumps() {
        let mut view = LogView::new(1, "web".into(), 100);
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
        let mut app = App::new("x".into(), 0, (100, 30));
        app.log_capacity = 10;
        let view = LogView::new(1, "web".into(), 10);
        app.overlay = Some(Overlay::Logs(Box::new(view)));
        let lines = |n: usize| {
            (0..n)
                .map(|i| LogLine {
                    err: false,
                    time: String::new(),
                    text: format!("{i}"),
                })
                .collect::<Vec<_>>()
        };
        app.log_lines(1, lines(10));
        if let Some(Overlay::Logs(view)) = &mut app.overlay {
            view.offset = 5;
        }
        app.log_lines(1, lines(30));
        match &app.overlay {
            Some(Overlay::Logs(view)) => assert!(view.offset < view.visible().len()),
            _ => panic!("logs view"),
        }
    }
}
