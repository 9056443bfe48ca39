//! The local forwards' ssh children (the event loop's, as `Local::Forward` asks): one
//! `ssh -N -L 127.0.0.1:<free port>:<target>` each, with the checks the `ssh://` transport
//! makes (the system ssh, the user's config and agent, host keys checked strictly, no
//! prompt). Each is watched by a task of its own, which says when its local port accepts
//! and, if ssh exits, why (its stderr). None outlives dockpit: [`Forwards::close_all`] kills
//! and waits for every one as the event loop ends, and a child dropped is killed.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};
use tokio::sync::{mpsc::UnboundedSender, oneshot};
use tokio::task::JoinHandle;

use crate::app::Event;
use crate::app::forwards::{ForwardEvent, ForwardId, ForwardRequest};

/// How long ssh has to log in and listen (its own connect timeout is 10 s).
const UP_WITHIN: Duration = Duration::from_secs(20);
/// How often the local port is tried until it accepts.
const POLL: Duration = Duration::from_millis(100);
/// How long a killed ssh is waited for at quit.
const WAIT_AT_QUIT: Duration = Duration::from_secs(3);

/// The forwards running, by id.
#[derive(Default)]
pub struct Forwards {
    running: HashMap<ForwardId, Running>,
}

struct Running {
    close: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Forwards {
    /// Starts `request`'s ssh; how it goes comes back as [`Event::Forward`].
    pub fn start(&mut self, request: ForwardRequest, results: &UnboundedSender<Event>) {
        let (close, closed) = oneshot::channel();
        let id = request.id;
        let results = results.clone();
        let task = tokio::spawn(async move {
            if let Err(why) = watch(&request, closed, &results).await {
                let _ = results.send(Event::Forward(ForwardEvent::Ended { id, why }));
            }
        });
        self.running.insert(id, Running { close, task });
        // Those that ended by themselves are forgotten as others start.
        self.running.retain(|_, r| !r.task.is_finished());
    }

    /// Ends one: its ssh is killed and waited for by its task.
    pub fn close(&mut self, id: ForwardId) {
        if let Some(running) = self.running.remove(&id) {
            let _ = running.close.send(());
        }
    }

    /// Ends every one and waits (a few seconds at most) until each ssh is gone.
    pub async fn close_all(&mut self) {
        let running: Vec<Running> = self.running.drain().map(|(_, r)| r).collect();
        let mut tasks = Vec::new();
        for r in running {
            let _ = r.close.send(());
            tasks.push(r.task);
        }
        let _ = tokio::time::timeout(WAIT_AT_QUIT, futures::future::join_all(tasks)).await;
    }
}

/// Runs one forward until it is closed (`Ok`) or ssh ends (`Err`: why, in its words).
async fn watch(
    request: &ForwardRequest,
    mut closed: oneshot::Receiver<()>,
    results: &UnboundedSender<Event>,
) -> Result<(), String> {
    let local = free_port().map_err(|e| format!("no free local port: {e}"))?;
    let mut child = command(request, local)
        .spawn()
        .map_err(|e| format!("ssh could not start: {e}"))?;
    let stderr = child.stderr.take().map(|mut pipe| {
        tokio::spawn(async move {
            let mut said = Vec::new();
            let _ = pipe.read_to_end(&mut said).await;
            said
        })
    });
    let started = tokio::time::Instant::now();
    let mut up = false;
    loop {
        tokio::select! {
            _ = &mut closed => return end(&mut child).await,
            status = child.wait() => {
                let said = match stderr {
                    Some(task) => task.await.unwrap_or_default(),
                    None => Vec::new(),
                };
                return Err(why(status, &said));
            }
            () = tokio::time::sleep(POLL), if !up => {
                if accepts(local).await {
                    up = true;
                    let _ = results.send(Event::Forward(ForwardEvent::Up { id: request.id, local }));
                } else if started.elapsed() > UP_WITHIN {
                    end(&mut child).await?;
                    return Err(format!("ssh made no forward within {} s", UP_WITHIN.as_secs()));
                }
            }
        }
    }
}

/// `ssh -N -L`, as the `ssh://` transport's ssh is started (see `docker::ssh`): host keys
/// checked strictly, no question asked on a terminal dockpit draws on, a dead host given
/// up within 10 s. A connection of its own (not a multiplexed one), so killing it frees the
/// port; a port taken meanwhile fails it rather than leaving it up without a forward.
fn command(request: &ForwardRequest, local: u16) -> Command {
    let mut ssh = Command::new("ssh");
    ssh.arg("-N");
    for option in [
        "ExitOnForwardFailure=yes",
        "BatchMode=yes",
        "StrictHostKeyChecking=yes",
        "ConnectTimeout=10",
        "ControlMaster=no",
        "ControlPath=none",
        "LogLevel=ERROR",
    ] {
        ssh.args(["-o", option]);
    }
    ssh.arg("-L")
        .arg(format!("127.0.0.1:{local}:{}", request.target))
        .arg("--")
        .arg(&request.destination)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    ssh
}

/// Kills ssh and waits for it (no zombie, the port free when this returns).
async fn end(child: &mut Child) -> Result<(), String> {
    child
        .kill()
        .await
        .map_err(|e| format!("ssh could not be stopped: {e}"))
}

/// A local port free now (the kernel's choice; ssh binds it a moment later).
fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// Whether the forward's local end accepts a connection yet.
async fn accepts(port: u16) -> bool {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    tokio::task::spawn_blocking(move || {
        TcpStream::connect_timeout(&address, Duration::from_millis(500)).is_ok()
    })
    .await
    .unwrap_or(false)
}

/// Why ssh ended: its last words (a few lines), else its exit status.
fn why(status: std::io::Result<std::process::ExitStatus>, said: &[u8]) -> String {
    let said = String::from_utf8_lossy(said);
    let lines: Vec<&str> = said
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let last = &lines[lines.len().saturating_sub(3)..];
    match (last, status) {
        ([], Ok(status)) => format!("ssh exited ({status})"),
        ([], Err(e)) => format!("ssh could not be waited for: {e}"),
        (last, _) => last.join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(destination: &str) -> ForwardRequest {
        ForwardRequest {
            id: 7,
            destination: destination.into(),
            target: "127.0.0.1:8080".into(),
        }
    }

    #[test]
    fn ssh_is_asked_for_one_local_forward_checked_strictly() {
        let ssh = command(&request("deploy@build1"), 41000);
        let args: Vec<String> = (ssh.as_std().get_args())
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let line = args.join(" ");
        assert_eq!(ssh.as_std().get_program(), "ssh");
        assert!(line.starts_with("-N -o ExitOnForwardFailure=yes"), "{line}");
        assert!(line.contains("-o StrictHostKeyChecking=yes"), "{line}");
        assert!(line.contains("-o BatchMode=yes"), "{line}");
        assert!(
            line.ends_with("-L 127.0.0.1:41000:127.0.0.1:8080 -- deploy@build1"),
            "{line}"
        );
    }

    #[test]
    fn sshs_last_words_say_why_it_ended() {
        let said = b"\nWarning: x\nbind [127.0.0.1]:41000: Address already in use\nchannel_setup_fwd_listener_tcpip: cannot listen to port: 41000\nCould not request local forwarding.\n";
        assert_eq!(
            why(Ok(std::process::ExitStatus::default()), said),
            "bind [127.0.0.1]:41000: Address already in use; channel_setup_fwd_listener_tcpip: cannot listen to port: 41000; Could not request local forwarding."
        );
        assert_eq!(
            why(Ok(std::process::ExitStatus::default()), b""),
            "ssh exited (exit status: 0)"
        );
    }

    /// An ssh that cannot log in ends the forward with its words; one closed is killed.
    #[tokio::test]
    async fn a_failed_ssh_says_why_and_a_closed_one_is_gone() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut forwards = Forwards::default();
        // No such host: ssh fails at once (a name that cannot resolve).
        forwards.start(request("nobody@dockpit-no-such-host.invalid"), &tx);
        let answer = tokio::time::timeout(Duration::from_secs(15), rx.recv()).await;
        let Ok(Some(Event::Forward(ForwardEvent::Ended { id: 7, why }))) = answer else {
            panic!("no end: {answer:?}");
        };
        assert!(why.contains("dockpit-no-such-host.invalid"), "{why}");
        forwards.close_all().await;
        assert!(forwards.running.is_empty());
    }
}
