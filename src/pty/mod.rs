//! The terminal pane: a container's tty drawn through a vt100 emulator, and the encoding of
//! keys into the bytes a terminal sends. Container output only ever reaches the user's
//! terminal as cells of this emulator, so its escape sequences cannot touch the host
//! terminal's title, clipboard, palette or modes.

pub mod keys;

use std::fmt;

pub use crate::docker::attach::{SessionId, SessionKind};

/// Lines of history each session keeps for scrolling back; bounds its memory.
pub const SCROLLBACK: usize = 10_000;

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
            parser: vt100::Parser::new(rows.max(1), cols.max(1), SCROLLBACK),
            interactive: None,
            ended: None,
            scroll: 0,
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
        self.parser.process(bytes);
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

#[cfg(test)]
mod tests {
    use super::*;

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
