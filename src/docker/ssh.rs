//! The `ssh://` transport. As the docker CLI does, the system `ssh` (the user's config, keys
//! and agent) runs `docker system dial-stdio` on the far host and carries the API over its
//! stdin and stdout.
//!
//! bollard's own ssh transport starts ssh with `StrictHostKeyChecking=accept-new`: a host
//! never seen before is trusted silently, on the first connection as on a spoofed one. The
//! docker CLI asks instead; a full-screen dashboard cannot ask ssh's question, so this one
//! checks strictly (`StrictHostKeyChecking=yes`): an unknown host fails, and the error says
//! how to accept its key (see `ConnectErrorKind::HostKeyUnknown`).
//!
//! bollard's also logs in once per connection, and a client opens several at once (the
//! events stream, the version, the first listing): three logins a try on a host down. Here a
//! client logs in once (one ssh master) and each connection is a channel through it; a
//! failed login is kept, so the client's other connections fail with it without trying.

use std::future::Future;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use bollard::{BollardRequest, ClientVersion, Docker};
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::sync::OnceCell;

/// A client for `ssh://[user@]host` (no I/O yet: ssh starts with the first request).
/// `config`: an ssh config file read instead of the user's and the system's (`ssh -F`); `None`
/// in dockpit, as the docker CLI (the tests point ssh at their own known_hosts and agent).
pub fn client(
    host: &str,
    timeout: u64,
    version: &ClientVersion,
    config: Option<&Path>,
) -> Result<Docker, bollard::errors::Error> {
    let connector = Connector {
        config: config.map(Arc::from),
        session: Arc::default(),
    };
    let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(connector);
    Docker::connect_with_custom_transport(
        move |request: BollardRequest| {
            let client = client.clone();
            async move {
                client
                    .request(request)
                    .await
                    .map_err(bollard::errors::Error::from)
            }
        },
        Some(host),
        timeout,
        version,
    )
}

/// Opens one connection: `docker system dial-stdio` through the client's ssh master, which
/// the first connection starts.
#[derive(Clone)]
struct Connector {
    config: Option<Arc<Path>>,
    session: Arc<OnceCell<Result<Arc<openssh::Session>, Failed>>>,
}

/// Why ssh failed (shared: a failed login answers every connection of the client).
#[derive(Debug, Clone, thiserror::Error)]
#[error(transparent)]
pub struct Failed(Arc<openssh::Error>);

impl From<openssh::Error> for Failed {
    fn from(e: openssh::Error) -> Self {
        Self(Arc::new(e))
    }
}

impl tower_service::Service<hyper::Uri> for Connector {
    type Response = Stream;
    type Error = Failed;
    type Future = Pin<Box<dyn Future<Output = Result<Stream, Failed>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: hyper::Uri) -> Self::Future {
        let config = self.config.clone();
        let session = self.session.clone();
        Box::pin(async move {
            let session = session.get_or_init(|| login(uri, config)).await.clone()?;
            let mut child = session
                .arc_command("docker")
                .args(["system", "dial-stdio"])
                .stdin(openssh::Stdio::piped())
                .stdout(openssh::Stdio::piped())
                .spawn()
                .await?;
            let pipes = child.stdin().take().zip(child.stdout().take());
            let (stdin, stdout) = pipes.ok_or_else(|| {
                openssh::Error::ChildIo(io::Error::other("ssh gave no pipes to dial-stdio"))
            })?;
            Ok(Stream {
                stdin: Some(TokioIo::new(stdin)),
                stdout: TokioIo::new(stdout),
                _child: child,
            })
        })
    }
}

/// Starts the ssh master for the address's `[user@]host`, checking its key strictly.
async fn login(
    uri: hyper::Uri,
    config: Option<Arc<Path>>,
) -> Result<Arc<openssh::Session>, Failed> {
    let destination = uri
        .authority()
        .filter(|_| uri.scheme_str() == Some("ssh"))
        .map(|a| a.as_str().to_owned())
        .ok_or_else(|| {
            openssh::Error::Connect(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("not an ssh:// address: {uri}"),
            ))
        })?;
    let mut builder = openssh::SessionBuilder::default();
    builder.known_hosts_check(openssh::KnownHosts::Strict);
    // A host that drops packets fails within this rather than the kernel's ~2 minutes, so
    // the reconnect backoff (and its "retrying in N s") goes on.
    builder.connect_timeout(std::time::Duration::from_secs(10));
    if let Some(file) = config {
        builder.config_file(&*file);
    }
    // `user@host` as typed: the endpoint's check has refused a destination starting with
    // `-` (openssh puts no `--` before it) and one with a port.
    let control = builder.launch_master(&destination).await?;
    Ok(Arc::new(openssh::Session::new_process_mux(control)))
}

/// One connection: dial-stdio's stdout read, its stdin written; the child lives as long.
struct Stream {
    stdin: Option<TokioIo<openssh::ChildStdin>>,
    stdout: TokioIo<openssh::ChildStdout>,
    _child: openssh::Child<Arc<openssh::Session>>,
}

impl Stream {
    fn stdin(&mut self) -> io::Result<Pin<&mut TokioIo<openssh::ChildStdin>>> {
        self.stdin
            .as_mut()
            .map(Pin::new)
            .ok_or_else(|| io::ErrorKind::BrokenPipe.into())
    }
}

impl hyper::rt::Read for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stdout).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().stdin()?.poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().stdin()?.poll_flush(cx)
    }

    /// A pipe's shutdown does nothing: the write half closes when stdin is dropped (a
    /// session's end of input reaches the container so).
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.stdin()?.poll_shutdown(cx))?;
        this.stdin = None;
        Poll::Ready(Ok(()))
    }
}

impl Connection for Stream {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}
