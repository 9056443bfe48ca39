//! The terminal pane: a container's tty drawn through a vt100 emulator, and the encoding of
//! keys into the bytes a terminal sends. Container output only ever reaches the user's
//! terminal as cells of this emulator, so its escape sequences cannot touch the host
//! terminal's title, clipboard, palette or modes.

pub mod keys;

use std::fmt;

pub use crate::docker::attach::{SessionId, SessionKind};

/// Lines of history each session keeps for scrolling back; bounds its memory.
pub const SCROLLBACK: usize = 10_000;
/// The smallest emulator screen, in rows and columns (see [`Session::output`]).
const MIN_SIZE: u16 = 2;

pub struct Session {
    pub id: SessionId,
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
            container_id,
            container_name,
            kind,
            parser: vt100::Parser::new(rows.max(MIN_SIZE), cols.max(MIN_SIZE), SCROLLBACK),
            interactive: None,
            ended: None,
            scroll: 0,
            carry: Vec::new(),
        }
    }

    /// "web · sh" for the tab.
    pub fn title(&self) -> String {
        let what = match &self.kind {
            SessionKind::Attach { .. } => "attach",
            SessionKind::Exec { .. } => "shell",
        };
        format!("{} · {what}", self.container_name)
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
        self.parser.process(&bytes);
        // The emulator keeps a scrolled-back view on the same lines as output arrives (its
        // offset grows); follow its count.
        if self.scroll > 0 {
            self.scroll = self.parser.screen().scrollback();
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

/// Removes the bidi overrides and isolates, zero-width characters and marks and the BOM
/// (U+202A–202E, U+2066–2069, U+200B–200F, U+FEFF) from a container's output before the
/// emulator sees it, so no cell holds one and none reaches the outer terminal. Removing one
/// can join the bytes around it into another (`E2 80 [E2 80 AE] AE`), so each byte is
/// checked as it lands at the end of the output. Output comes in arbitrary pieces: a
/// trailing start of such a character waits in `carry` for the next piece.
pub fn drop_invisible(carry: &mut Vec<u8>, input: &[u8]) -> Vec<u8> {
    let mut out = std::mem::take(carry);
    out.reserve(input.len());
    for &b in input {
        out.push(b);
        if out.len() >= 3 && is_invisible(&out[out.len() - 3..]) {
            out.truncate(out.len() - 3);
        }
    }
    let held = match out.as_slice() {
        [.., 0xe2, 0x80 | 0x81] | [.., 0xef, 0xbb] => 2,
        [.., 0xe2 | 0xef] => 1,
        _ => 0,
    };
    *carry = out.split_off(out.len() - held);
    out
}

/// The UTF-8 of the characters [`drop_invisible`] removes.
fn is_invisible(c: &[u8]) -> bool {
    matches!(
        c,
        [0xe2, 0x80, 0x8b..=0x8f]
            | [0xe2, 0x80, 0xaa..=0xae]
            | [0xe2, 0x81, 0xa6..=0xa9]
            | [0xef, 0xbb, 0xbf]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_and_zero_width_characters_never_reach_a_cell() {
        let mut s = Session::new(
            1,
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
                1,
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

    #[test]
    fn a_scrolled_back_view_stays_on_its_lines_while_output_arrives() {
        let mut s = Session::new(
            1,
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
}
