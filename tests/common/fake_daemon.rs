//! A small fake Docker daemon on a unix socket, served from the test: minimal HTTP/1.1, one
//! request a connection (each answer ends with the connection), for the answers a real engine
//! never gives (a hostile or broken one). Routes the test does not answer get a quiet
//! daemon's: `/_ping`, `/version` (API 1.41), empty listings, an `/events` stream that stays
//! open and says nothing.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};

/// Writes a streamed answer's body.
type Writer = Box<dyn FnOnce(UnixStream) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

/// What the daemon answers to one request.
pub enum Answer {
    /// A 200 with this JSON body.
    Json(String),
    /// A 200 whose body the function writes (raw bytes, as long as it likes), then the
    /// connection closes.
    Stream(Writer),
}

impl Answer {
    pub fn stream<F, Fut>(write: F) -> Self
    where
        F: FnOnce(UnixStream) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        Answer::Stream(Box::new(move |s| Box::pin(write(s))))
    }
}

type Routes = Arc<dyn Fn(&str) -> Option<Answer> + Send + Sync>;

pub struct FakeDaemon {
    dir: PathBuf,
    pub socket: PathBuf,
    task: tokio::task::JoinHandle<()>,
}

impl FakeDaemon {
    /// Serves `routes` (the path without its `/v1.xx` prefix, query included → an answer, or
    /// `None` for the quiet daemon's) on a socket of its own.
    pub fn start(routes: impl Fn(&str) -> Option<Answer> + Send + Sync + 'static) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "dockpit-fake-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the fake daemon's folder");
        let socket = dir.join("docker.sock");
        let listener = UnixListener::bind(&socket).expect("bind the fake daemon's socket");
        let routes: Routes = Arc::new(routes);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, routes.clone()));
            }
        });
        FakeDaemon { dir, socket, task }
    }

    /// The endpoint as `-H` takes it.
    pub fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }
}

impl Drop for FakeDaemon {
    fn drop(&mut self) {
        self.task.abort();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

async fn serve(mut stream: UnixStream, routes: Routes) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let path = strip_version(&target);
    let answer = routes(path).unwrap_or_else(|| quiet(path));
    match answer {
        Answer::Json(body) => {
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Answer::Stream(write) => {
            let reply = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nApi-Version: 1.41\r\nConnection: close\r\n\r\n";
            if stream.write_all(reply.as_bytes()).await.is_ok() {
                write(stream).await;
            }
        }
    }
}

/// "/v1.41/containers/json?all=1" → "/containers/json?all=1".
fn strip_version(target: &str) -> &str {
    let Some(rest) = target.strip_prefix("/v") else {
        return target;
    };
    match rest.find('/') {
        Some(i) if rest[..i].chars().all(|c| c.is_ascii_digit() || c == '.') => &rest[i..],
        _ => target,
    }
}

/// A daemon with nothing on it.
fn quiet(path: &str) -> Answer {
    let route = path.split('?').next().unwrap_or(path);
    match route {
        "/_ping" => Answer::Json("OK".into()),
        "/version" => Answer::Json(
            r#"{"Version":"fake","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}"#.into(),
        ),
        "/info" => Answer::Json(r#"{"Name":"fake","Swarm":{"LocalNodeState":"inactive"}}"#.into()),
        "/events" => Answer::stream(|stream| async move {
            // Open and silent until the client goes.
            let _keep = stream;
            std::future::pending::<()>().await
        }),
        _ if route.ends_with("/json") => Answer::Json("[]".into()),
        _ => Answer::Json("{}".into()),
    }
}

/// A container as `/containers/json` lists it, with `extra` fields (JSON object members
/// without braces) replacing the defaults.
pub fn container(id: &str, name: &str, extra: &str) -> String {
    let mut fields = serde_json::json!({
        "Id": id,
        "Names": [format!("/{name}")],
        "Image": "busybox:1",
        "ImageID": "sha256:abc",
        "Command": "sh",
        "Created": 1_700_000_000,
        "State": "running",
        "Status": "Up 5 minutes",
        "Ports": [],
        "Labels": {},
    });
    let extra: serde_json::Value =
        serde_json::from_str(&format!("{{{extra}}}")).expect("the test's fields");
    if let (Some(fields), Some(extra)) = (fields.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            fields.insert(k.clone(), v.clone());
        }
    }
    fields.to_string()
}
