//! What `update` asks for, by kind: work for the Docker tasks, and local effects the event
//! loop carries out itself (the clipboard, files).

use std::path::PathBuf;

use crate::docker::{Command, HostId};

/// Something done on this machine, never by the Docker tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Local {
    /// Put text on the user's clipboard (OSC 52 to the terminal dockpit runs in; inside
    /// tmux also into tmux's buffer, answering [`Event::Copied`](super::Event::Copied)).
    Clipboard(String),
    /// Write `text` to a new file at `path` (answers [`Event::Saved`](super::Event::Saved)).
    Save { path: PathBuf, text: String },
    /// Start a Docker host's task (a host added in the hosts view).
    AddHost(crate::docker::HostId, crate::docker::Endpoint),
    /// End a Docker host's task, its streams and sessions.
    RemoveHost(crate::docker::HostId),
    /// Complete a typed path of this machine (Tab in a path field; answers
    /// [`Event::Completed`](super::Event::Completed)).
    CompletePath(String),
    /// Look at Compose files and read those changed (answers
    /// [`Event::ComposeScanned`](super::Event::ComposeScanned)).
    ComposeScan(crate::docker::compose_file::ScanRequest),
    /// An alert's notice: the terminal bell, and a desktop notification through the terminal
    /// (OSC 9 and OSC 777), as the options ask.
    Notify {
        title: String,
        body: String,
        bell: bool,
        notify: bool,
    },
    /// Run an alert's hook in the background, killed after `timeout` (answers
    /// [`Event::HookDone`](super::Event::HookDone)).
    Hook {
        id: crate::docker::OpId,
        call: crate::custom::Invocation,
        timeout: std::time::Duration,
    },
    /// Keep the newest event time seen per host in the state folder, for the next start's
    /// "while you were away".
    KeepSeen(Vec<(String, crate::away::Kept)>),
    /// Open a URL in the user's browser (`$BROWSER`, else `xdg-open` / `open`).
    Open(String),
    /// Start a local forward to a port on an ssh host (answers
    /// [`Event::Forward`](super::Event::Forward)).
    Forward(super::forwards::ForwardRequest),
    /// End a forward: its ssh is killed and waited for.
    CloseForward(super::forwards::ForwardId),
}

/// Puts `text` on the clipboard, inert (see [`crate::format::clipboard_text`]), saying
/// what was copied in the status line, and how many characters were left out. Every copy
/// goes through here.
pub fn copy(
    activity: &mut super::activity::Activity,
    what: &str,
    text: &str,
) -> super::view::Outcome {
    let (text, left_out) = crate::format::clipboard_text(text);
    let shown: String = text.chars().take(60).collect();
    let more = if text.chars().count() > 60 { "…" } else { "" };
    let dropped = match left_out {
        0 => String::new(),
        n => format!(
            " ({} left out)",
            crate::format::plural(
                n,
                "control or invisible character",
                "control or invisible characters"
            )
        ),
    };
    activity.note(format!("copied {what}: {shown}{more}{dropped}"));
    super::view::Outcome::stay().local(Local::Clipboard(text))
}

/// How a copy went inside tmux, whose `set-clipboard` decides whether it passes a copy on
/// to the terminal's clipboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Copied {
    /// In tmux's buffer (`tmux load-buffer -w -`), with tmux's `set-clipboard` setting.
    Tmux { set_clipboard: String },
    /// `tmux load-buffer` failed, in tmux's words; OSC 52 was sent all the same.
    TmuxFailed(String),
}

/// A command and the host whose task it goes to.
pub type Routed = (HostId, Command);

/// Commands for the Docker tasks, each with the host it goes to, and local effects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    /// Each command with its host, named where the command is made: the row's, the view's,
    /// the session's, the stream's (never worked out afterwards).
    pub docker: Vec<Routed>,
    pub local: Vec<Local>,
}

impl Effects {
    pub fn is_empty(&self) -> bool {
        self.docker.is_empty() && self.local.is_empty()
    }

    pub fn extend(&mut self, other: impl Into<Effects>) {
        let other = other.into();
        self.docker.extend(other.docker);
        self.local.extend(other.local);
    }

    /// `command` for `host`'s task.
    pub fn to(&mut self, host: HostId, command: Command) {
        self.docker.push((host, command));
    }

    /// The commands, without their hosts (tests that look only at what is asked).
    pub fn commands(&self) -> Vec<Command> {
        self.docker.iter().map(|(_, c)| c.clone()).collect()
    }
}

impl From<Vec<Routed>> for Effects {
    fn from(docker: Vec<Routed>) -> Self {
        Self {
            docker,
            local: Vec::new(),
        }
    }
}

impl From<Routed> for Effects {
    fn from(routed: Routed) -> Self {
        Self::from(vec![routed])
    }
}

impl From<Option<Routed>> for Effects {
    fn from(routed: Option<Routed>) -> Self {
        Self::from(Vec::from_iter(routed))
    }
}

impl From<Local> for Effects {
    fn from(local: Local) -> Self {
        Self {
            docker: Vec::new(),
            local: vec![local],
        }
    }
}

impl super::App {
    /// A copy inside tmux went into tmux's buffer (or did not): the status line says where
    /// it is, and once, when tmux's `set-clipboard` keeps it from the terminal's clipboard,
    /// how to change that.
    pub(super) fn copied_in_tmux(&mut self, copied: Copied) {
        // "opening URL (copied)" (`b`) keeps its words: where the copy went is said inside
        // its parentheses.
        let (said, close) = match &self.activity.status {
            Some(s) if s.text.starts_with("copied ") => (s.text.clone(), ""),
            Some(s) if s.text.ends_with(" (copied)") => {
                let told = s.text.trim_end_matches(" (copied)");
                (format!("{told} (copied"), ")")
            }
            _ => ("copied".to_string(), ""),
        };
        match copied {
            Copied::Tmux { set_clipboard } => {
                let mut text = format!("{said}, into tmux's buffer (prefix ] pastes it){close}");
                if set_clipboard.trim() == "off" && !self.tmux_hint_given {
                    self.tmux_hint_given = true;
                    text.push_str(
                        "; tmux's set-clipboard is off, so not onto your clipboard: `set -g set-clipboard external` in ~/.tmux.conf",
                    );
                }
                self.activity.note(text);
            }
            Copied::TmuxFailed(why) => self.activity.refuse(format!(
                "{said} through the terminal only: tmux load-buffer failed: {why}{close}"
            )),
        }
    }
}

impl super::App {
    /// Tab's completion of a path: into the open form (on top, or over a view) if it still
    /// holds what was typed; several matches are named in the status line.
    pub(super) fn path_completed(&mut self, typed: &str, path: String, names: &[String]) {
        use super::dialog::Dialog;
        use super::room::Overlay;
        let applied = match &mut self.view {
            Some(super::View::Dialog(Dialog::Form(form))) => form.completed(typed, path),
            // The logs view's save path.
            Some(super::View::Logs(v)) => v.save_completed(typed, path),
            Some(view) => match view.room_mut().and_then(|r| r.overlay.as_mut()) {
                Some(Overlay::Dialog(Dialog::Form(form))) => form.completed(typed, path),
                _ => false,
            },
            None => false,
        };
        if !applied {
            return;
        }
        match names {
            [] => self
                .activity
                .refuse(format!("nothing here starts with {typed}")),
            [_] => {}
            many => {
                let shown: Vec<&str> = many.iter().take(8).map(String::as_str).collect();
                let more = match many.len() - shown.len() {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                self.activity.note(format!("{}{more}", shown.join("  ")));
            }
        }
    }
}
