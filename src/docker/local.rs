//! A local command in a terminal tab (the user's `[[commands]]` with `run = "tab"`): a pty of
//! this machine, fed and read like a container's session, so the pane treats both alike.

use std::io::{Read, Write};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::custom::Invocation;
use crate::docker::DockerEvent;
use crate::docker::attach::{Control, SessionId};

/// Starts `inv` on a new pty of `rows`×`cols`; its output, start and end come back as the
/// session events a container's would. Dropping the control sender ends the command.
pub fn spawn(
    id: SessionId,
    inv: &Invocation,
    (rows, cols): (u16, u16),
    events: &UnboundedSender<DockerEvent>,
    controls: UnboundedReceiver<Control>,
) {
    if let Err(reason) = start(id, inv, (rows, cols), events, controls) {
        let _ = events.send(DockerEvent::SessionEnded { id, reason });
    }
}

fn start(
    id: SessionId,
    inv: &Invocation,
    (rows, cols): (u16, u16),
    events: &UnboundedSender<DockerEvent>,
    mut controls: UnboundedReceiver<Control>,
) -> Result<(), String> {
    let size = |rows: u16, cols: u16| PtySize {
        rows: rows.max(1),
        cols: cols.max(1),
        pixel_width: 0,
        pixel_height: 0,
    };
    let pair = native_pty_system()
        .openpty(size(rows, cols))
        .map_err(|e| format!("cannot open a terminal: {e}"))?;
    let Some((program, args)) = inv.argv.split_first() else {
        return Err("the command line is empty".into());
    };
    let mut command = CommandBuilder::new(program);
    command.args(args);
    for (k, v) in &inv.env {
        command.env(k, v);
    }
    // What the pane's emulator understands.
    command.env("TERM", "xterm-256color");
    if let Ok(dir) = std::env::current_dir() {
        command.cwd(dir);
    }
    let mut child = pair
        .slave
        .spawn_command(command)
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    // Only the child holds the pty's other end, so its exit ends the reads.
    drop(pair.slave);
    let mut reader = pair
        .master
        .try_clone_reader()
        .map_err(|e| format!("cannot read the terminal: {e}"))?;
    let mut writer = pair
        .master
        .take_writer()
        .map_err(|e| format!("cannot write to the terminal: {e}"))?;
    let mut killer = child.clone_killer();
    let _ = events.send(DockerEvent::SessionOpened {
        id,
        interactive: true,
    });

    // The pty's reads and writes block: each side has a thread of its own.
    let out = events.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let bytes = buf[..n].to_vec();
                    if out.send(DockerEvent::SessionOutput { id, bytes }).is_err() {
                        break;
                    }
                }
            }
        }
        let reason = match child.wait() {
            Ok(status) if status.signal().is_some() => {
                format!("ended by {}", status.signal().unwrap_or("a signal"))
            }
            Ok(status) => format!("exited (code {})", status.exit_code()),
            Err(e) => format!("ended: {e}"),
        };
        let _ = out.send(DockerEvent::SessionEnded { id, reason });
    });
    std::thread::spawn(move || {
        let master = pair.master;
        while let Some(control) = controls.blocking_recv() {
            match control {
                Control::Input(bytes) => {
                    if writer
                        .write_all(&bytes)
                        .and_then(|()| writer.flush())
                        .is_err()
                    {
                        break;
                    }
                }
                Control::Resize { rows, cols } => {
                    let _ = master.resize(size(rows, cols));
                }
            }
        }
        // The tab was closed (or the command's input is gone): end the command.
        let _ = killer.kill();
    });
    Ok(())
}
