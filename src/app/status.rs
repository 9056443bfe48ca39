//! The status line's text: pulls in flight, else the last outcome in the daemon's words
//! (with its hint and the keys it names), else the marked count. Computed here, not while
//! drawing, because its length decides how many rows the layout gives it.

use super::{App, PaneAction};
use crate::format::inert;

/// How the status line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Progress,
    Success,
    Error,
    Quiet,
}

/// The most rows a status may take; longer texts lead with their root cause.
pub const MAX_ROWS: usize = 3;

impl App {
    /// The status line's text and tone, inert and whole.
    pub fn status_line(&self) -> (String, Tone) {
        let pulling: Vec<String> = self
            .activity
            .transfers()
            .filter(|e| e.running())
            .map(|e| {
                let reference = e.cli.trim_start_matches("docker image pull ");
                format!("{reference} ({})", e.layer_summary())
            })
            .collect();
        let (text, tone) = if !pulling.is_empty() {
            let key = self.keymap.key_for(PaneAction::Transfers.into());
            let text = format!("⇣ pulling {} — {key} shows progress", pulling.join(", "));
            (text, Tone::Progress)
        } else if let Some(status) = &self.activity.status {
            let tone = if status.error {
                Tone::Error
            } else {
                Tone::Success
            };
            (self.keymap.fill(&status.text), tone)
        } else if !self.containers.marks.is_empty() {
            (
                format!("{} marked", self.containers.marks.len()),
                Tone::Quiet,
            )
        } else {
            (String::new(), Tone::Quiet)
        };
        let text = format!(" {}", inert(&text));
        let room = usize::from(self.size.0.max(1)) * MAX_ROWS;
        if width(&text) <= room {
            return (text, tone);
        }
        match tone {
            // Pulls in flight: the first ones named are enough.
            Tone::Progress => return (crate::format::cut(&text, room), tone),
            // A note (a session's end, say) ends with its cause: keep the end.
            Tone::Success | Tone::Quiet => {
                let keep: String = text.chars().rev().take(room.saturating_sub(2)).collect();
                return (
                    format!(" …{}", keep.chars().rev().collect::<String>()),
                    tone,
                );
            }
            Tone::Error => {}
        }
        // An error too long even wrapped: the root cause (the daemon's last clause) and the
        // hint come first; the command log keeps the whole message.
        let log = self.keymap.key_for(PaneAction::CommandLog.into());
        let (message, hint) = text.split_once(" — ").unwrap_or((&text, ""));
        let cause = message.rsplit(": ").next().unwrap_or(message).trim();
        let hint = if hint.is_empty() {
            String::new()
        } else {
            format!(" — {hint}")
        };
        let text = format!(" ✗ …{cause}{hint} ({log}: all of it)");
        (crate::format::cut(&text, room), tone)
    }

    /// Rows the status line needs at this width, wrapped by character as it is drawn, 1 to
    /// [`MAX_ROWS`].
    pub fn status_rows(&self) -> u16 {
        let (text, _) = self.status_line();
        let columns = usize::from(self.size.0.max(1));
        width(&text).div_ceil(columns).clamp(1, MAX_ROWS) as u16
    }
}

/// Columns `text` takes on screen (wide characters take two).
fn width(text: &str) -> usize {
    ratatui::text::Span::raw(text).width()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Settings;
    use crate::docker::OpError;

    fn app(width: u16) -> App {
        App::new(Settings {
            size: (width, 24),
            ..Settings::default()
        })
    }

    /// Defect seen: the status line cut long daemon errors at the screen's width, so the root
    /// cause and the hint were never seen.
    #[test]
    fn long_errors_wrap_and_lead_with_their_cause() {
        let mut app = app(120);
        let error = OpError {
            message: "failed to create endpoint web on network bridge: failed to add the host \
                      (veth1) <=> sandbox (veth2) pair interfaces: could not find bridge docker0: \
                      route ip+net: no such network interface"
                .into(),
            hint: Some("Restart the daemon so it makes its bridge again."),
        };
        app.activity.status = None;
        let id = app
            .activity
            .start(crate::docker::Op::PruneImages { label: None }, 0);
        app.activity
            .done(id, Err(error.clone()), std::time::Duration::ZERO);
        let (text, tone) = app.status_line();
        assert_eq!(tone, Tone::Error);
        assert!(text.ends_with("— Restart the daemon so it makes its bridge again."));
        assert_eq!(app.status_rows(), 3, "{text}");
        // Narrower than three rows can hold: the root cause and the hint lead.
        let mut narrow = self::app(40);
        narrow.activity = app.activity.clone();
        let (text, _) = narrow.status_line();
        assert_eq!(
            text,
            " ✗ …no such network interface — Restart the daemon so it makes its bridge again. (L: all of it)"
        );
        assert_eq!(narrow.status_rows(), 3);
        // A long note keeps its end, where its cause is.
        let mut note = self::app(40);
        note.activity.note(format!(
            "web · attach: {}: address already in use",
            "x".repeat(200)
        ));
        let (text, tone) = note.status_line();
        assert_eq!(tone, Tone::Success);
        assert!(
            text.ends_with(": address already in use") && text.starts_with(" …"),
            "{text}"
        );
        assert_eq!(note.status_rows(), 3);
        // Short ones keep one row.
        let mut short = self::app(80);
        short.activity.note("Stopped web in 0.4 s");
        assert_eq!(short.status_rows(), 1);
    }
}
