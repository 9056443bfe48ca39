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
        // The event loop starts and ends hosts' tasks and forwards itself.
        Local::AddHost(..) | Local::RemoveHost(_) | Local::Forward(_) | Local::CloseForward(_) => {}
        // A few bytes, every few seconds at most: written here, so that the last one, at
        // quit, is on disk before dockpit exits.
        Local::KeepSeen(seen) => {
            if let Err(e) = crate::away::keep(&crate::away::path(), &seen) {
                tracing::warn!("the last event times could not be kept: {e}");
            }
        }
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
        Local::ComposeScan(request) => {
            let results = results.clone();
            tokio::task::spawn_blocking(move || {
                let scan = crate::docker::compose_file::scan(request);
                let _ = results.send(Event::ComposeScanned(scan));
            });
        }
        Local::Notify {
            title,
            body,
            bell,
            notify,
        } => write_notice(&notice(&title, &body, bell, notify)),
        Local::Hook { id, call, timeout } => {
            let results = results.clone();
            tokio::spawn(async move {
                let started = std::time::Instant::now();
                let result = crate::custom::run_hook(&call, timeout).await;
                let elapsed = started.elapsed();
                let _ = results.send(Event::HookDone {
                    id,
                    result,
                    elapsed,
                });
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

/// An alert's notice as the terminal gets it: the bell (BEL), then a desktop notification
/// as OSC 9 (iTerm2, WezTerm, kitty, Windows Terminal) and OSC 777 (foot, rxvt, WezTerm,
/// kitty): terminals that know one ignore the other. The words are made inert and lose
/// `;` (OSC 777 separates its fields with it), and the body starts with the title, so it is
/// never read as one of OSC 9's numbered forms (`9;4;…` is a progress bar).
pub fn notice(title: &str, body: &str, bell: bool, notify: bool) -> String {
    let clean = |s: &str| crate::format::inert(s).replace(';', ",");
    let (title, body) = (clean(title), clean(body));
    let mut out = String::new();
    if bell {
        out.push('\x07');
    }
    if notify {
        out.push_str(&format!("\x1b]9;{title}: {body}\x07"));
        out.push_str(&format!("\x1b]777;notify;{title};{body}\x07"));
    }
    out
}

fn write_notice(bytes: &str) {
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = out.write_all(bytes.as_bytes());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_is_the_bell_and_osc_9_and_777_with_inert_words() {
        let n = notice("dockpit", "web;\x1b]0;x\x07 exited", true, true);
        assert!(n.starts_with('\x07'), "{n:?}");
        assert!(
            n.contains("\x1b]9;dockpit: web,\u{fffd}]0,x\u{fffd} exited\x07"),
            "{n:?}"
        );
        assert!(
            n.contains("\x1b]777;notify;dockpit;web,\u{fffd}]0,x\u{fffd} exited\x07"),
            "{n:?}"
        );
        assert_eq!(notice("dockpit", "x", false, false), "");
    }

    /// A hook that hangs is killed at its timeout, and the app hears so.
    #[tokio::test]
    async fn a_hook_over_its_time_is_killed_and_said_so() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let call = crate::custom::Invocation {
            name: "the exited hook".into(),
            argv: vec!["sleep".into(), "30".into()],
            env: vec![],
        };
        let id = crate::docker::OpId::default();
        let timeout = std::time::Duration::from_millis(200);
        carry_out(Local::Hook { id, call, timeout }, &tx);
        let answer = tokio::time::timeout(std::time::Duration::from_secs(5), rx.recv()).await;
        let Ok(Some(Event::HookDone { result, .. })) = answer else {
            panic!("no answer: {answer:?}");
        };
        assert_eq!(
            result,
            Err("the exited hook ran over 200 ms and was killed".into())
        );
    }
}
