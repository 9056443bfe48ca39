//! The terminal pane: a container's tty drawn through a vt100 emulator, and the encoding of
//! keys into the bytes a terminal sends. Container output only ever reaches the user's
//! terminal as cells of this emulator, so its escape sequences cannot touch the host
//! terminal's title, clipboard, palette or modes.

pub mod keys;

use std::fmt;

pub use crate::docker::attach::{SessionId, SessionKind};

/// Lines of history each session keeps for scrolling back; bounds its memory.
pub const SCROLLBACK: usize = 10_000;

thread_local! {
    /// Set while the emulator runs under [`guarded`]: the panic hook stays quiet then (it
    /// would restore the terminal and leave dockpit drawing on a normal screen).
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a panic now is one [`guarded`] catches (for the process's panic hook).
pub fn in_guarded_section() -> bool {
    GUARDED.with(|g| g.get())
}

/// Runs `f`, answering false if it panicked.
fn guarded(f: impl FnOnce()) -> bool {
    GUARDED.with(|g| g.set(true));
    let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_ok();
    GUARDED.with(|g| g.set(false));
    ok
}
/// The smallest emulator screen, in rows and columns (see [`Session::output`]).
const MIN_SIZE: u16 = 2;

pub struct Session {
    pub id: SessionId,
    /// The Docker host its container is on.
    pub host: crate::docker::HostId,
    pub container_id: crate::docker::ContainerId,
    pub container_name: String,
    pub kind: SessionKind,
    pub parser: vt100::Parser,
    /// `None` while connecting; then whether keys reach the container (tty + open stdin).
    pub interactive: Option<bool>,
    /// Why it ended ("exited (code 0)", "detached", the daemon's error).
    pub ended: Option<String>,
    /// Lines scrolled back from the live screen (0 = live).
    pub scroll: usize,
    /// The start of a character split between two reads (see [`drop_invisible`]).
    carry: Vec<u8>,
    /// A container listing has shown its container (so its absence means it was removed).
    pub listed: bool,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("container", &self.container_name)
            .field("kind", &self.kind)
            .field("interactive", &self.interactive)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub fn new(
        id: SessionId,
        container_id: crate::docker::ContainerId,
        container_name: String,
        kind: SessionKind,
        (rows, cols): (u16, u16),
    ) -> Self {
        Self {
            id,
            host: Default::default(),
            container_id,
            container_name,
            kind,
            parser: vt100::Parser::new(rows.max(MIN_SIZE), cols.max(MIN_SIZE), SCROLLBACK),
            interactive: None,
            ended: None,
            scroll: 0,
            carry: Vec::new(),
            listed: false,
        }
    }

    /// "web · sh" for the tab.
    pub fn title(&self) -> String {
        format!("{} · {}", self.container_name, self.what())
    }

    /// "attach", "shell", or the command's name (its program's: `top` for `/bin/top -b`).
    pub fn what(&self) -> &str {
        match &self.kind {
            SessionKind::Attach { .. } => "attach",
            SessionKind::Exec { shell: true, .. } => "shell",
            SessionKind::Exec { command, .. } => (command.first())
                .and_then(|program| program.rsplit('/').next())
                .unwrap_or("command"),
            SessionKind::Local(inv) => &inv.name,
        }
    }

    pub fn live(&self) -> bool {
        self.ended.is_none()
    }

    pub fn output(&mut self, bytes: &[u8]) {
        // vt100 0.16 panics on some output (wide characters, wrapping) when the screen has a
        // single row or column; a pane that small shows a crop of a 2×2 screen instead.
        let (rows, cols) = self.parser.screen().size();
        if rows < MIN_SIZE || cols < MIN_SIZE {
            self.parser
                .screen_mut()
                .set_size(rows.max(MIN_SIZE), cols.max(MIN_SIZE));
        }
        let bytes = drop_invisible(&mut self.carry, bytes);
        if !guarded(|| self.parser.process(&bytes)) {
            // The emulator (vt100 0.16) panicked on this output: start it over, same size,
            // rather than let a container's output take dockpit down.
            let (rows, cols) = self.parser.screen().size();
            self.parser = vt100::Parser::new(rows, cols, SCROLLBACK);
            self.parser.process(
                b"[dockpit: the terminal emulator failed on this output; screen reset]\r\n",
            );
        }
        // The emulator keeps a scrolled-back view on the same lines as output arrives (its
        // offset grows); follow its count.
        if self.scroll > 0 {
            self.scroll = self.parser.screen().scrollback();
        }
    }

    /// The emulator follows the pane's new size, keeping its output as xterm does: when the
    /// pane shrinks the cursor's line stays on screen and the rows above it go into the
    /// scrollback; when it grows they come back from the scrollback. A full-screen program
    /// (alternate screen) redraws itself, so it is only resized.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        let (rows, cols) = (rows.max(MIN_SIZE), cols.max(MIN_SIZE));
        // The emulator can panic on a resize too (vt100 0.16, wide characters): then a
        // fresh screen of the new size.
        if !guarded(|| self.resize_keeping_output(rows, cols)) {
            self.parser = vt100::Parser::new(rows, cols, SCROLLBACK);
            self.scroll = 0;
        }
    }

    fn resize_keeping_output(&mut self, rows: u16, cols: u16) {
        let screen = self.parser.screen();
        let (old_rows, old_cols) = screen.size();
        if (rows, cols) == (old_rows, old_cols) {
            return;
        }
        self.scroll = 0;
        self.parser.screen_mut().set_scrollback(0);
        if !self.parser.screen().alternate_screen() {
            if rows < old_rows {
                self.push_rows_above_cursor(rows);
            } else if rows > old_rows {
                self.pull_rows_from_scrollback(rows);
            }
        }
        self.parser.screen_mut().set_size(rows, cols);
    }

    /// Scrolls the screen up so that the cursor's row fits in `rows`; the rows it scrolls
    /// away go to the scrollback (the emulator's `set_size` would cut the bottom instead).
    fn push_rows_above_cursor(&mut self, rows: u16) {
        let (old_rows, _) = self.parser.screen().size();
        let (row, col) = self.parser.screen().cursor_position();
        let push = (row + 1).saturating_sub(rows);
        if push == 0 {
            return;
        }
        // The whole screen as scroll region (so scrolled rows reach the scrollback), a line
        // feed per row at the bottom, and the cursor back on its (moved) row.
        let mut bytes = format!("\x1b[r\x1b[{old_rows};1H").into_bytes();
        bytes.extend(std::iter::repeat_n(b'\n', usize::from(push)));
        bytes.extend(format!("\x1b[{};{}H", row - push + 1, col + 1).into_bytes());
        self.parser.process(&bytes);
    }

    /// Brings back as many rows from the scrollback as the screen grows by, moving the
    /// screen's rows and the cursor down, as xterm does. The emulator cannot take rows out
    /// of its scrollback, so a new one is filled with the old one's scrollback and screen,
    /// formatted; this costs time in proportion to the scrollback (bounded by
    /// [`SCROLLBACK`]) and happens only when there is something to bring back.
    fn pull_rows_from_scrollback(&mut self, rows: u16) {
        let history = {
            let screen = self.parser.screen_mut();
            screen.set_scrollback(usize::MAX);
            let history = screen.scrollback();
            screen.set_scrollback(0);
            history
        };
        let (old_rows, old_cols) = self.parser.screen().size();
        let pull = usize::from(rows - old_rows).min(history);
        if pull == 0 {
            return;
        }
        let (row, col) = self.parser.screen().cursor_position();
        let mut fresh = vt100::Parser::new(rows, old_cols, SCROLLBACK);
        let mut bytes = Vec::with_capacity((history + usize::from(old_rows)) * 16);
        let mut first = true;
        let mut line = |row: Vec<u8>, bytes: &mut Vec<u8>| {
            if !first {
                bytes.extend_from_slice(b"\r\n");
            }
            first = false;
            // Each row is formatted from default attributes, in relative moves only (a
            // width other than the screen's keeps the emulator from joining wrapped rows
            // with absolute moves).
            bytes.extend_from_slice(b"\x1b[m");
            bytes.extend_from_slice(&row);
        };
        let width = old_cols.saturating_add(1);
        let mut offset = history;
        while offset > 0 {
            let screen = self.parser.screen_mut();
            screen.set_scrollback(offset);
            let take = offset.min(usize::from(old_rows));
            for row in screen.rows_formatted(0, width).take(take) {
                line(row, &mut bytes);
            }
            offset -= take;
        }
        let screen = self.parser.screen_mut();
        screen.set_scrollback(0);
        for row in screen.rows_formatted(0, width) {
            line(row, &mut bytes);
        }
        // The cursor, its attributes and the input modes as they were.
        let row = usize::from(row) + pull;
        bytes.extend(format!("\x1b[{};{}H", row + 1, col + 1).into_bytes());
        bytes.extend(screen.attributes_formatted());
        bytes.extend(screen.input_mode_formatted());
        if screen.hide_cursor() {
            bytes.extend_from_slice(b"\x1b[?25l");
        }
        fresh.process(&bytes);
        self.parser = fresh;
    }

    /// A tab whose session ended says what became of its container since: not "the
    /// container keeps running" once it was stopped or removed. `None`: it is gone.
    pub fn follow_container(&mut self, state: Option<&crate::docker::ContainerState>) {
        let Some(reason) = &self.ended else {
            return;
        };
        let head = reason.split(';').next().unwrap_or(reason);
        let now = match state {
            None if reason.ends_with("the container was removed") => return,
            None => format!("{head}; the container was removed"),
            Some(crate::docker::ContainerState::Running) => return,
            Some(state) if head.starts_with("detached") => {
                format!("{head}; the container is {} now", state.as_str())
            }
            Some(_) => return,
        };
        if self.ended.as_ref() != Some(&now) {
            self.ended = Some(now);
        }
    }

    /// Scrolls back (positive) or forward (negative) through the history.
    pub fn scroll_by(&mut self, lines: isize) {
        let target = self.scroll.saturating_add_signed(lines);
        self.parser.screen_mut().set_scrollback(target);
        // The emulator clamps to the history it has.
        self.scroll = self.parser.screen().scrollback();
    }
}

/// Removes the invisible formatting characters of [`crate::format::is_invisible_format`]
/// (bidi overrides, isolates and marks, zero-width characters, word joiners, the BOM) from a
/// container's output before the emulator sees it, so no cell holds one and none reaches the
/// outer terminal. Removing one can join the bytes around it into another
/// (`E2 80 [E2 80 AE] AE`), so each byte is checked as it lands at the end of the output.
/// Output comes in arbitrary pieces: a trailing start of a character waits in `carry` for
/// the next piece.
pub fn drop_invisible(carry: &mut Vec<u8>, input: &[u8]) -> Vec<u8> {
    let mut out = std::mem::take(carry);
    out.reserve(input.len());
    for &b in input {
        out.push(b);
        let invisible = invisible_tail(&out);
        out.truncate(out.len() - invisible);
    }
    let held = incomplete_tail(&out);
    *carry = out.split_off(out.len() - held);
    out
}

/// How many bytes at the end of `out` are one invisible character (0 if they are not).
fn invisible_tail(out: &[u8]) -> usize {
    // The characters removed are two or three bytes long.
    for n in [2, 3] {
        let Some(tail) = out.len().checked_sub(n).and_then(|at| out.get(at..)) else {
            continue;
        };
        if let Ok(text) = std::str::from_utf8(tail) {
            let mut chars = text.chars();
            if let (Some(c), None) = (chars.next(), chars.next())
                && crate::format::is_invisible_format(c)
            {
                return n;
            }
        }
    }
    0
}

/// How many bytes at the end of `out` start a character that has not ended yet.
fn incomplete_tail(out: &[u8]) -> usize {
    for back in 1..=3.min(out.len()) {
        let b = out[out.len() - back];
        if b & 0xc0 == 0x80 {
            continue; // a continuation byte: look further back for its start
        }
        let len = match b {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => 1,
        };
        return if len > back { back } else { 0 };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// vt100 0.16 panics on this output after a resize (found by a fuzzer): dockpit's
    /// session survives it, resets its screen and says so.
    #[test]
    fn an_emulator_panic_resets_the_screen_instead_of_ending_dockpit() {
        let first = "L\u{8}Xa2\tP\u{1b}[?7h中é".as_bytes();
        let caught = std::panic::catch_unwind(|| {
            let mut p = vt100::Parser::new(2, 12, 10);
            p.process(first);
            p.screen_mut().set_size(2, 10);
            p.process("é".as_bytes());
        });
        assert!(
            caught.is_err(),
            "vt100 still panics here: the guard is needed"
        );
        let mut s = Session::new(
            SessionId(1),
            "id".into(),
            "web".into(),
            SessionKind::Attach { start: false },
            (2, 12),
        );
        s.output(first);
        s.parser.screen_mut().set_size(2, 10);
        s.output("é".as_bytes());
        assert!(!in_guarded_section());
        // A fresh screen of the same size, which goes on working.
        assert_eq!(s.parser.screen().size(), (2, 10));
        assert!(!s.parser.screen().contents().contains('中'));
        s.output(b"\x1b[2J\x1b[Hok");
        assert_eq!(s.parser.screen().contents().trim(), "ok");
    }

    #[test]
    fn bidi_and_zero_width_characters_never_reach_a_cell() {
        let mut s = Session::new(
            SessionId(1),
            "id".into(),
            "web".into(),
            SessionKind::Attach { start: false },
            (3, 40),
        );
        let text = "a\u{202e}b\u{2066}c\u{200b}d\u{feff}e\u{200f}f ✓é";
        // Byte by byte too: a character split across reads is still caught.
        for chunk in text.as_bytes().chunks(1) {
            s.output(chunk);
        }
        s.output(b"\r\n");
        s.output(text.as_bytes());
        let contents = s.parser.screen().contents();
        assert_eq!(
            contents.lines().collect::<Vec<_>>(),
            ["abcdef ✓é", "abcdef ✓é"]
        );
        for c in ['\u{202e}', '\u{2066}', '\u{200b}', '\u{feff}', '\u{200f}'] {
            assert!(!contents.contains(c));
        }
    }

    #[test]
    fn a_one_row_or_one_column_pane_survives_wide_characters() {
        // vt100 0.16 alone panics on this at 1×N and N×1 (found by examples/fuzz).
        for size in [(1, 1), (1, 2), (1, 44), (5, 1)] {
            let mut s = Session::new(
                SessionId(1),
                "id".into(),
                "web".into(),
                SessionKind::Attach { start: false },
                size,
            );
            s.parser.screen_mut().set_size(size.0, size.1);
            s.output("中".repeat(20).as_bytes());
            assert!(s.parser.screen().contents().contains('中'), "{size:?}");
            s.output("\\31mmm]\\é中é中\\2026-11-28T14:00:00.1Z m?1049h".as_bytes());
            assert!(s.parser.screen().contents().ends_with("9h"), "{size:?}");
        }
    }

    #[test]
    fn removing_one_cannot_join_its_neighbours_into_another() {
        // E2 80 [E2 80 [E2 80 AE] AE] AE: each removal exposes a new U+202E.
        let nested = b"a\xe2\x80\xe2\x80\xe2\x80\xae\xae\xaeb";
        let mut carry = Vec::new();
        assert_eq!(drop_invisible(&mut carry, nested), b"ab");
        // Across pieces: the start waits for the rest.
        let mut carry = Vec::new();
        let mut out = drop_invisible(&mut carry, b"x\xe2\x80\xe2\x80\xae");
        out.extend(drop_invisible(&mut carry, b"\xaey"));
        assert_eq!(out, b"xy");
    }

    /// The two-byte Arabic letter mark and the word joiner go too, whole or in pieces.
    #[test]
    fn the_arabic_letter_mark_and_word_joiner_are_dropped() {
        let mut carry = Vec::new();
        assert_eq!(
            drop_invisible(&mut carry, "a\u{61c}b\u{2060}c".as_bytes()),
            b"abc"
        );
        let mut out = drop_invisible(&mut carry, b"a\xd8");
        out.extend(drop_invisible(&mut carry, b"\x9cb\xc3"));
        out.extend(drop_invisible(&mut carry, b"\xbc"));
        assert_eq!(out, "abü".as_bytes());
    }

    #[test]
    fn a_scrolled_back_view_stays_on_its_lines_while_output_arrives() {
        let mut s = Session::new(
            SessionId(1),
            "id".into(),
            "web".into(),
            SessionKind::Attach { start: false },
            (5, 20),
        );
        for i in 0..50 {
            s.output(format!("line {i}\r\n").as_bytes());
        }
        s.scroll_by(10);
        let before = s.parser.screen().contents();
        for i in 50..60 {
            s.output(format!("line {i}\r\n").as_bytes());
        }
        assert_eq!(
            s.parser.screen().contents(),
            before,
            "the same lines stay in view"
        );
        assert_eq!(s.scroll, 20);
    }

    fn shell(rows: u16, cols: u16) -> Session {
        Session::new(
            SessionId(1),
            "id".into(),
            "web".into(),
            SessionKind::Exec {
                command: vec![],
                shell: true,
            },
            (rows, cols),
        )
    }

    fn screen_lines(s: &Session) -> Vec<String> {
        s.parser
            .screen()
            .contents()
            .lines()
            .map(String::from)
            .collect()
    }

    #[test]
    fn shrinking_keeps_the_cursor_line_and_growing_brings_rows_back() {
        let mut s = shell(40, 30);
        s.output(b"/ # seq 1 30\r\n");
        for i in 1..=30 {
            s.output(format!("{i}\r\n").as_bytes());
        }
        s.output(b"\x1b[1;31m/ # \x1b[0mtyped");
        s.resize(18, 30);
        let lines = screen_lines(&s);
        assert_eq!(
            lines.last().map(String::as_str),
            Some("/ # typed"),
            "{lines:?}"
        );
        assert_eq!(lines.first().map(String::as_str), Some("14"), "{lines:?}");
        assert_eq!(s.parser.screen().cursor_position(), (17, 9));
        // What went up is in the scrollback.
        s.scroll_by(100);
        let back = s.parser.screen().contents();
        assert!(back.starts_with("/ # seq 1 30\n1\n2\n"), "{back}");
        s.scroll_by(-100);
        // Growing brings the rows back, with their colours, the cursor moving down with them.
        s.resize(40, 30);
        let lines = screen_lines(&s);
        assert_eq!(
            lines.first().map(String::as_str),
            Some("/ # seq 1 30"),
            "{lines:?}"
        );
        assert_eq!(lines.get(30).map(String::as_str), Some("30"));
        assert_eq!(lines.get(31).map(String::as_str), Some("/ # typed"));
        assert_eq!(s.parser.screen().cursor_position(), (31, 9));
        let red = s.parser.screen().cell(31, 0).map(|c| c.fgcolor());
        assert_eq!(red, Some(vt100::Color::Idx(1)));
        // Output goes on where it was.
        s.output(b"!");
        assert_eq!(screen_lines(&s)[31], "/ # typed!");
    }

    #[test]
    fn growing_keeps_older_history_and_modes() {
        let mut s = shell(10, 20);
        for i in 0..100 {
            s.output(format!("line {i}\r\n").as_bytes());
        }
        s.output(b"\x1b[?1h\x1b[?2004h");
        s.resize(20, 20);
        assert_eq!(
            screen_lines(&s).first().map(String::as_str),
            Some("line 81")
        );
        assert!(s.parser.screen().application_cursor());
        assert!(s.parser.screen().bracketed_paste());
        s.scroll_by(1000);
        assert_eq!(s.scroll, 81, "the rest of the history is still there");
        assert!(s.parser.screen().contents().starts_with("line 0\n"));
    }

    #[test]
    fn a_full_screen_program_is_only_resized() {
        let mut s = shell(10, 20);
        s.output(b"\x1b[?1049h\x1b[10;1Hbottom");
        s.resize(5, 20);
        assert!(s.parser.screen().alternate_screen());
        assert_eq!(s.parser.screen().size(), (5, 20));
    }
}
