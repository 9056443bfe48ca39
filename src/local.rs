//! Local effects: what `update` asks of this machine rather than of Docker (the clipboard,
//! files). The event loop carries them out; results come back as app events.

use std::path::Path;

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Event, Local};

/// Carries out one effect; a saved file answers with [`Event::Saved`] on `results`.
pub fn carry_out(effect: Local, results: &UnboundedSender<Event>) {
    match effect {
        Local::Clipboard(text) => copy(&text),
        Local::Save { path, text } => {
            let results = results.clone();
            tokio::task::spawn_blocking(move || {
                let result = write_file(&path, &text).map_err(|e| e.to_string());
                let _ = results.send(Event::Saved { path, result });
            });
        }
    }
}

/// OSC 52: the terminal puts `text` on the clipboard (dockpit's own sequence, never a
/// container's).
fn copy(text: &str) {
    use base64::Engine;
    use std::io::Write;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{encoded}\x07");
    let _ = out.flush();
}

fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}
