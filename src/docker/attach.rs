//! Interactive sessions: `docker container attach` and `docker container exec -it`, streamed
//! both ways through the Engine API and resized with the pane.

use std::collections::HashMap;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::exec::{CreateExecOptions, StartExecOptions, StartExecResults};
use bollard::query_parameters::{
    AttachContainerOptions, ResizeContainerTTYOptions, ResizeExecOptions,
};
use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

use super::DockerEvent;

/// A terminal session's id, handed out by the app in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SessionId(pub u64);

impl SessionId {
    /// The id after this one.
    pub fn next(self) -> Self {
        SessionId(self.0 + 1)
    }
}

/// The docker CLI's detach sequence, honoured by the daemon itself.
pub const DETACH_KEYS: &str = "ctrl-p,ctrl-q";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionKind {
    /// Attach to the main process; `start` first starts a stopped container (attaching
    /// before starting, as `docker start -a` does, so no output is missed).
    Attach { start: bool },
    Exec {
        command: Vec<String>,
        /// `e`'s shell (the tab says "shell"), not a command typed with `$`.
        shell: bool,
    },
    /// One of the user's `[[commands]]`, run on this machine (see `docker::local`).
    Local(crate::custom::Invocation),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRequest {
    pub id: SessionId,
    pub container: super::ContainerId,
    pub kind: SessionKind,
    pub rows: u16,
    pub cols: u16,
    /// Whether the container's tty follows the pane. Off in read-only mode: resizing sends
    /// SIGWINCH to its processes and changes the view of anyone else attached; the pane
    /// then crops or pads the container's screen instead.
    pub resize: bool,
}

/// What the app sends an open session.
#[derive(Debug)]
pub enum Control {
    Input(Vec<u8>),
    Resize { rows: u16, cols: u16 },
}

/// Open sessions, by id; dropping a sender ends its session.
pub type Sessions = HashMap<SessionId, UnboundedSender<Control>>;

type Output = std::pin::Pin<
    Box<dyn futures::Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>,
>;
type Input = std::pin::Pin<Box<dyn tokio::io::AsyncWrite + Send>>;

pub fn spawn(
    docker: &Docker,
    request: SessionRequest,
    events: &UnboundedSender<DockerEvent>,
    sessions: &mut Sessions,
) {
    let (tx, rx) = mpsc::unbounded_channel();
    sessions.retain(|_, s| !s.is_closed());
    sessions.insert(request.id, tx);
    // One table of sessions, whatever runs them: the pane sends every tab keys the same way.
    if let SessionKind::Local(inv) = &request.kind {
        let size = (request.rows, request.cols);
        return super::local::spawn(request.id, inv, size, events, rx);
    }
    let (docker, events) = (docker.clone(), events.clone());
    tokio::spawn(async move {
        let id = request.id;
        let reason = run(&docker, request, &events, rx)
            .await
            .unwrap_or_else(|e| e.to_string());
        let _ = events.send(DockerEvent::SessionEnded { id, reason });
    });
}

/// Where the bytes go: a container's tty, or an exec's.
enum Tty {
    Container(String),
    Exec(String),
}

/// Why a session could not go on, in words for the pane.
#[derive(Debug, thiserror::Error)]
enum SessionError {
    /// The daemon refused to open it: its own words.
    #[error("{0}")]
    Open(super::actions::OpError),
    #[error("the connection to Docker was lost ({})", super::connect::describe(.0))]
    Lost(bollard::errors::Error),
    #[error("cannot send keys to the container: {0}")]
    Input(std::io::Error),
}

async fn run(
    docker: &Docker,
    request: SessionRequest,
    events: &UnboundedSender<DockerEvent>,
    mut controls: UnboundedReceiver<Control>,
) -> Result<String, SessionError> {
    let id = request.id;
    let (target, tty, interactive, mut output, mut input) = open(docker, &request)
        .await
        .map_err(|e| SessionError::Open(e.into()))?;
    let _ = events.send(DockerEvent::SessionOpened { id, interactive });
    let tty = tty && request.resize;
    if tty {
        resize(docker, &target, request.rows, request.cols).await;
    }
    loop {
        tokio::select! {
            chunk = output.next() => match chunk {
                Some(Ok(chunk)) => {
                    let bytes = match chunk {
                        LogOutput::Console { message } => message.to_vec(),
                        // Without a tty, lines end in a bare LF: give the emulator CR LF.
                        LogOutput::StdOut { message } | LogOutput::StdErr { message } | LogOutput::StdIn { message } => {
                            crlf(&message)
                        }
                    };
                    if events.send(DockerEvent::SessionOutput { id, bytes }).is_err() {
                        break;
                    }
                }
                Some(Err(e)) => return Err(SessionError::Lost(e)),
                None => break,
            },
            control = controls.recv() => match control {
                Some(Control::Input(bytes)) if interactive => {
                    input.write_all(&bytes).await.map_err(SessionError::Input)?;
                    input.flush().await.map_err(SessionError::Input)?;
                }
                Some(Control::Input(_)) => {}
                Some(Control::Resize { rows, cols }) if tty => resize(docker, &target, rows, cols).await,
                Some(Control::Resize { .. }) => {}
                // The app closed the tab.
                None => return Ok("closed".into()),
            },
        }
    }
    Ok(ended(docker, &target).await)
}

async fn open(
    docker: &Docker,
    request: &SessionRequest,
) -> Result<(Tty, bool, bool, Output, Input), bollard::errors::Error> {
    match &request.kind {
        // `spawn` runs these on a local pty; they never reach here.
        SessionKind::Local(_) => Err(std::io::Error::other("not a container's session").into()),
        SessionKind::Attach { start } => {
            let inspect = docker.inspect_container(&request.container, None).await?;
            let config = inspect.config.unwrap_or_default();
            let tty = config.tty.unwrap_or(false);
            let interactive = tty && config.open_stdin.unwrap_or(false);
            let options = AttachContainerOptions {
                stdin: interactive,
                stdout: true,
                stderr: true,
                stream: true,
                logs: false,
                detach_keys: Some(DETACH_KEYS.into()),
            };
            let attached = docker
                .attach_container(&request.container, Some(options))
                .await?;
            if *start {
                docker.start_container(&request.container, None).await?;
            }
            let target = Tty::Container(request.container.to_string());
            Ok((target, tty, interactive, attached.output, attached.input))
        }
        SessionKind::Exec { command, .. } => {
            let options = CreateExecOptions {
                attach_stdin: Some(true),
                attach_stdout: Some(true),
                attach_stderr: Some(true),
                tty: Some(true),
                detach_keys: Some(DETACH_KEYS.to_string()),
                cmd: Some(command.clone()),
                env: Some(vec!["TERM=xterm-256color".to_string()]),
                ..Default::default()
            };
            let exec = docker.create_exec(&request.container, options).await?;
            let options = StartExecOptions {
                detach: false,
                tty: true,
                output_capacity: None,
            };
            match docker.start_exec(&exec.id, Some(options)).await? {
                StartExecResults::Attached { output, input } => {
                    Ok((Tty::Exec(exec.id), true, true, output, input))
                }
                StartExecResults::Detached => Err(bollard::errors::Error::DockerStreamError {
                    error: "the exec started detached".into(),
                }),
            }
        }
    }
}

async fn resize(docker: &Docker, target: &Tty, rows: u16, cols: u16) {
    let (h, w) = (i32::from(rows), i32::from(cols));
    let result = match target {
        Tty::Container(id) => {
            docker
                .resize_container_tty(id, ResizeContainerTTYOptions { h, w })
                .await
        }
        Tty::Exec(id) => docker.resize_exec(id, ResizeExecOptions { h, w }).await,
    };
    if let Err(e) = result {
        tracing::debug!(%e, "resize failed");
    }
}

/// Why the stream ended, in the pane's words.
async fn ended(docker: &Docker, target: &Tty) -> String {
    match target {
        Tty::Container(id) => match docker.inspect_container(id, None).await {
            Ok(inspect) => {
                let state = inspect.state.unwrap_or_default();
                if state.running == Some(true) {
                    "detached; the container keeps running".into()
                } else {
                    format!("exited (code {})", state.exit_code.unwrap_or_default())
                }
            }
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => "the container was removed".into(),
            Err(e) => SessionError::Lost(e).to_string(),
        },
        Tty::Exec(id) => match docker.inspect_exec(id).await {
            Ok(inspect) if inspect.running == Some(true) => "detached".into(),
            Ok(inspect) => format!("exited (code {})", inspect.exit_code.unwrap_or_default()),
            Err(e) => SessionError::Lost(e).to_string(),
        },
    }
}

fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
    let mut previous = 0u8;
    for &b in bytes {
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        previous = b;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bare_line_feeds_become_crlf() {
        assert_eq!(super::crlf(b"a\nb\r\nc"), b"a\r\nb\r\nc");
    }
}
