//! Local effects: what `update` asks of this machine rather than of Docker (the clipboard,
//! files). The event loop carries them out; results come back as app events.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc::UnboundedSender;

use crate::app::effects::Copied;
use crate::app::{Event, Local};

/// Carries out one effect; a saved file answers with [`Event::Saved`] on `results`.
pub fn carry_out(effect: Local, results: &UnboundedSender<Event>) {
    match effect {
        Local::Clipboard(text) => {
            copy(&text);
            // Inside tmux, tmux's own buffer too: with its default `set-clipboard external`
            // tmux passes on no program's OSC 52, but sets the clipboard for what it copies.
            if std::env::var_os("TMUX").is_some_and(|v| !v.is_empty()) {
                let results = results.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = results.send(Event::Copied(copy_into_tmux(&text)));
                });
            }
        }
        // The event loop starts and ends hosts' tasks itself.
        Local::AddHost(..) | Local::RemoveHost(_) => {}
        Local::Open(url) => {
            tokio::task::spawn_blocking(move || open_url(&url));
        }
        Local::CompletePath(typed) => {
            let results = results.clone();
            tokio::task::spawn_blocking(move || {
                let (path, names) = crate::paths::complete(&typed, crate::paths::folder_names);
                let _ = results.send(Event::Completed { typed, path, names });
            });
        }
        Local::Save { path, text } => {
            let results = results.clone();
            tokio::task::spawn_blocking(move || {
                let (path, result) = match write_file(&path, &text) {
                    Ok(written) => (written, Ok(())),
                    Err(e) => (path, Err(e.to_string())),
                };
                let _ = results.send(Event::Saved { path, result });
            });
        }
    }
}

/// OSC 52: the terminal puts `text` on the clipboard (dockpit's own sequence, never a
/// container's). `update` made it inert already; made so again here, where it leaves.
fn copy(text: &str) {
    use base64::Engine;
    use std::io::Write;
    let (text, _) = crate::format::clipboard_text(text);
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{encoded}\x07");
    let _ = out.flush();
}

/// `tmux load-buffer -w -` (`-w`: tmux 3.2+ also sets the terminal's clipboard, as its
/// `set-clipboard` allows; an older tmux without `-w` gets the buffer alone), then tmux's
/// `set-clipboard`, to say where the copy went.
fn copy_into_tmux(text: &str) -> Copied {
    let (text, _) = crate::format::clipboard_text(text);
    let loaded = tmux(&["load-buffer", "-w", "-"], Some(&text))
        .or_else(|_| tmux(&["load-buffer", "-"], Some(&text)));
    match loaded {
        Ok(_) => Copied::Tmux {
            set_clipboard: tmux(&["show-options", "-gv", "set-clipboard"], None)
                .unwrap_or_default(),
        },
        Err(e) => Copied::TmuxFailed(e),
    }
}

/// Runs the user's tmux with `args` (and `input` on its stdin): its output, or its words.
fn tmux(args: &[&str], input: Option<&str>) -> Result<String, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("tmux")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.unwrap_or_default().as_bytes())
            .map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        let said = String::from_utf8_lossy(&out.stderr).trim().to_string();
        Err(if said.is_empty() {
            out.status.to_string()
        } else {
            said
        })
    }
}

/// Saves as a new `0600` file where `path` says (never through a symlink, never over an
/// existing file: `name-2.log` if `name.log` exists). dockpit's own folder is kept private;
/// a folder the user typed keeps its permissions. Answers the path written.
fn write_file(path: &Path, text: &str) -> std::io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("logs");
    let ext = path.extension().and_then(|s| s.to_str()).unwrap_or("log");
    if dir == crate::paths::data_dir().join("saved") {
        crate::paths::save_new(dir, stem, ext, text)
    } else {
        crate::paths::save_new_in(dir, stem, ext, text)
    }
}

/// Starts the user's browser on `url`, detached from the terminal dockpit draws on:
/// `$BROWSER` (its first program, as the variable may list several), else the desktop's
/// opener. The browser's words never reach the screen.
fn open_url(url: &str) {
    let browser = std::env::var("BROWSER").ok();
    let program = browser
        .as_deref()
        .and_then(|b| b.split(':').find(|p| !p.trim().is_empty()))
        .map(str::to_string)
        .unwrap_or_else(|| {
            if cfg!(target_os = "macos") {
                "open".into()
            } else {
                "xdg-open".into()
            }
        });
    let started = std::process::Command::new(program.trim())
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match started {
        Ok(mut child) => {
            let _ = child.wait();
        }
        Err(e) => tracing::warn!(%program, error = %e, "could not start the browser"),
    }
}
