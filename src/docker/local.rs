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

/// A pty of `rows`×`cols` (at least 1×1).
fn size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows: rows.max(1),
        cols: cols.max(1),
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn start(
    id: SessionId,
    inv: &Invocation,
    (rows, cols): (u16, u16),
    events: &UnboundedSender<DockerEvent>,
    controls: UnboundedReceiver<Control>,
) -> Result<(), String> {
    let pair = native_pty_system()
        .openpty(size(rows, cols))
        .map_err(|e| format!("cannot open a terminal: {e}"))?;
    let (program, command) = command(inv)?;
    let child = pair
        .slave
        .spawn_command(command)
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    // Only the child holds the pty's other end, so its exit ends the reads.
    drop(pair.slave);
    let reader = pair
        .master
        .try_clone_reader()
        .map_err(|e| format!("cannot read the terminal: {e}"))?;
    let writer = pair
        .master
        .take_writer()
        .map_err(|e| format!("cannot write to the terminal: {e}"))?;
    let killer = child.clone_killer();
    let _ = events.send(DockerEvent::SessionOpened {
        id,
        interactive: true,
    });
    // The pty's reads and writes block: each side has a thread of its own.
    let out = events.clone();
    std::thread::spawn(move || read_output(id, reader, child, &out));
    std::thread::spawn(move || write_input(writer, pair.master, controls, killer));
    Ok(())
}

/// The command line as a command in this folder, with the invocation's environment and
/// what the pane's emulator understands as `TERM`; and its program's name.
fn command(inv: &Invocation) -> Result<(&str, CommandBuilder), String> {
    let Some((program, args)) = inv.argv.split_first() else {
        return Err("the command line is empty".into());
    };
    let mut command = CommandBuilder::new(program);
    command.args(args);
    for (k, v) in &inv.env {
        command.env(k, v);
    }
    command.env("TERM", "xterm-256color");
    if let Ok(dir) = std::env::current_dir() {
        command.cwd(dir);
    }
    Ok((program, command))
}

/// The pty's output to the app until the command ends, then how it ended.
fn read_output(
    id: SessionId,
    mut reader: Box<dyn Read + Send>,
    mut child: Box<dyn portable_pty::Child + Send + Sync>,
    out: &UnboundedSender<DockerEvent>,
) {
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
}

/// Keys and resizes from the pane to the pty, until the tab is closed (or the command's
/// input is gone): then the command is ended.
fn write_input(
    mut writer: Box<dyn Write + Send>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    mut controls: UnboundedReceiver<Control>,
    mut killer: Box<dyn portable_pty::ChildKiller + Send + Sync>,
) {
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
    let _ = killer.kill();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A command runs on a pty of its own: opened, its output and its input's echo come
    /// back as a session's, and its exit ends the session with its code.
    #[test]
    fn a_local_command_runs_in_a_pty_and_says_how_it_ended() {
        let (events, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let (controls, control_rx) = tokio::sync::mpsc::unbounded_channel();
        let inv = Invocation {
            name: "t".into(),
            argv: ["sh", "-c", "read line; echo \"got $line $WHO\"; exit 3"]
                .map(String::from)
                .to_vec(),
            env: vec![("WHO".into(), "me".into())],
        };
        let id = SessionId::default();
        spawn(id, &inv, (24, 80), &events, control_rx);
        let _ = controls.send(Control::Input(b"hi\n".to_vec()));
        let mut output = Vec::new();
        let mut ended = None;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while ended.is_none() && std::time::Instant::now() < deadline {
            match rx.try_recv() {
                Ok(DockerEvent::SessionOutput { bytes, .. }) => output.extend(bytes),
                Ok(DockerEvent::SessionEnded { reason, .. }) => ended = Some(reason),
                Ok(_) => {}
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
            }
        }
        let output = String::from_utf8_lossy(&output);
        assert!(output.contains("got hi me"), "{output:?}");
        assert_eq!(ended.as_deref(), Some("exited (code 3)"));
        drop(controls);
    }
}
