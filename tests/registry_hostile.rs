//! A hostile registry, served by this test on 127.0.0.1, against dockpit's registry client:
//! its token service must not get the user's credentials unless it is the registry itself,
//! its bodies must not reach the screen, its tokens are checked before they are forwarded,
//! and its redirects obey the same rules. Nothing here leaves 127.0.0.1.

mod common;

use std::sync::{Arc, Mutex};

use dockpit::docker::registry::{Registry, RegistryError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One answer: status line, extra headers, body.
type Answer = (&'static str, Vec<String>, Vec<u8>);

/// A tiny HTTP/1.1 server: records every request head and answers with `route(head)`.
struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Server {
    async fn start(route: impl Fn(&str) -> Answer + Send + Sync + 'static) -> Self {
        Self::start_slow(std::time::Duration::ZERO, route).await
    }

    /// Answers each request after `delay`.
    async fn start_slow(
        delay: std::time::Duration,
        route: impl Fn(&str) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let route = Arc::new(route);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (log, route) = (log.clone(), route.clone());
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
                        match stream.read(&mut byte).await {
                            Ok(1) => head.push(byte[0]),
                            _ => return,
                        }
                    }
                    let head = String::from_utf8_lossy(&head).to_string();
                    log.lock().expect("log").push(head.clone());
                    tokio::time::sleep(delay).await;
                    let (status, headers, body) = route(&head);
                    let mut out = format!(
                        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
                        body.len()
                    );
                    for h in headers {
                        out.push_str(&h);
                        out.push_str("\r\n");
                    }
                    out.push_str("\r\n");
                    let _ = stream.write_all(out.as_bytes()).await;
                    let _ = stream.write_all(&body).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Self { port, seen }
    }

    fn requests(&self) -> Vec<String> {
        self.seen.lock().expect("log").clone()
    }
}

fn challenge(realm: &str) -> Answer {
    (
        "401 Unauthorized",
        vec![format!(
            r#"WWW-Authenticate: Bearer realm="{realm}",service="reg",scope="repository:x:pull""#
        )],
        b"{}".to_vec(),
    )
}

fn credentials() -> Option<(String, String)> {
    Some(("alice".into(), "hunter2".into()))
}

/// "alice:hunter2" in basic auth.
const BASIC: &str = "Basic YWxpY2U6aHVudGVyMg==";

fn has_auth(head: &str) -> bool {
    head.lines()
        .any(|l| l.to_ascii_lowercase().starts_with("authorization:"))
}

#[tokio::test]
async fn an_internal_token_service_gets_no_credentials_and_its_body_is_not_shown() {
    // The "internal service" the hostile registry names as its realm.
    let internal = Server::start(|_| {
        (
            "403 Forbidden",
            vec![],
            b"INTERNAL-SECRET \x1b]0;pwned\x07".to_vec(),
        )
    })
    .await;
    let realm = format!("http://127.0.0.1:{}/admin/keys", internal.port);
    let registry = Server::start(move |_| challenge(&realm)).await;
    let mut client = Registry::new(
        Some(&format!("127.0.0.1:{}", registry.port)),
        "x",
        credentials(),
    )
    .expect("client");
    let err = client.manifest("latest").await.err().expect("refused");
    let text = err.to_string();
    let seen = internal.requests();
    assert_eq!(seen.len(), 1, "the token service was asked once");
    assert!(
        !has_auth(&seen[0]),
        "credentials went to another origin over http: {}",
        seen[0]
    );
    assert!(!text.contains("INTERNAL-SECRET"), "{text}");
    assert!(!text.contains('\x1b'), "{text}");
    assert!(text.contains("token service"), "{text}");
}

#[tokio::test]
async fn a_link_local_realm_or_redirect_is_refused_before_any_request() {
    let registry =
        Server::start(|_| challenge("http://169.254.169.254/latest/meta-data/iam")).await;
    let mut client = Registry::new(
        Some(&format!("127.0.0.1:{}", registry.port)),
        "x",
        credentials(),
    )
    .expect("client");
    let started = std::time::Instant::now();
    let err = client.manifest("latest").await.err().expect("refused");
    assert!(matches!(err, RegistryError::Refused(_)), "{err}");
    assert!(err.to_string().contains("link-local"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));

    let redirecting = Server::start(|_| {
        (
            "302 Found",
            vec!["Location: http://169.254.169.254/latest/meta-data/".into()],
            Vec::new(),
        )
    })
    .await;
    let mut client = Registry::new(
        Some(&format!("127.0.0.1:{}", redirecting.port)),
        "x",
        credentials(),
    )
    .expect("client");
    let err = client.manifest("latest").await.err().expect("refused");
    assert!(err.to_string().contains("link-local"), "{err}");
}

#[tokio::test]
async fn an_unusable_token_is_not_forwarded() {
    let service = Server::start(|_| {
        let token = "a".repeat(100_000);
        (
            "200 OK",
            vec![],
            format!(r#"{{"token":"{token}"}}"#).into_bytes(),
        )
    })
    .await;
    let realm = format!("http://127.0.0.1:{}/token", service.port);
    let registry = Server::start(move |_| challenge(&realm)).await;
    let mut client = Registry::new(
        Some(&format!("127.0.0.1:{}", registry.port)),
        "x",
        credentials(),
    )
    .expect("client");
    let err = client.manifest("latest").await.err().expect("refused");
    assert!(err.to_string().contains("not forwarded"), "{err}");
    let asked = registry.requests();
    assert!(
        asked.iter().all(|h| !h.contains("Bearer aaaa")),
        "the token reached the registry"
    );
}

#[tokio::test]
async fn the_registrys_own_error_is_shown_cut_and_inert() {
    let registry = Server::start(|_| {
        let mut body = b"denied \x1b]52;c;ZXZpbA==\x07 \xe2\x80\xae".to_vec();
        body.extend(std::iter::repeat_n(b'x', 5000));
        ("404 Not Found", vec![], body)
    })
    .await;
    let mut client =
        Registry::new(Some(&format!("127.0.0.1:{}", registry.port)), "x", None).expect("client");
    let text = client
        .manifest("latest")
        .await
        .err()
        .expect("404")
        .to_string();
    assert!(text.contains("denied"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(!text.contains('\u{202e}'), "{text:?}");
    assert!(text.chars().count() < 400, "{} chars", text.chars().count());
}

#[tokio::test]
async fn the_registrys_own_token_service_gets_the_credentials() {
    let manifest = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}"#;
    let own = Server::start(move |head| {
        let first = head.lines().next().unwrap_or_default();
        let host = head
            .lines()
            .find_map(|l| {
                l.strip_prefix("host: ")
                    .or_else(|| l.strip_prefix("Host: "))
            })
            .unwrap_or_default()
            .trim()
            .to_string();
        if first.starts_with("GET /token") {
            if head.contains(BASIC) {
                ("200 OK", vec![], br#"{"token":"good.token"}"#.to_vec())
            } else {
                ("401 Unauthorized", vec![], Vec::new())
            }
        } else if head.contains("Bearer good.token") {
            (
                "200 OK",
                vec!["Content-Type: application/vnd.oci.image.manifest.v1+json".into()],
                manifest.to_vec(),
            )
        } else {
            // The realm is this server itself.
            challenge(&format!("http://{host}/token"))
        }
    })
    .await;
    let mut client = Registry::new(Some(&format!("127.0.0.1:{}", own.port)), "x", credentials())
        .expect("client");
    let fetched = client.manifest("latest").await.expect("manifest");
    assert_eq!(fetched.size, manifest.len());
    assert!(
        own.requests()
            .iter()
            .any(|h| h.starts_with("GET /token") && h.contains(BASIC))
    );
}

/// A 5,000-entry index whose manifests answer slowly: the structure view reads at most
/// `MAX_PLATFORMS` of them, and closing it (StopStream) stops the requests at once.
#[tokio::test]
async fn a_huge_index_is_bounded_and_closing_the_view_stops_its_requests() {
    use dockpit::docker::explore::MAX_PLATFORMS;
    use dockpit::docker::worker::Worker;
    use dockpit::docker::{Command, DockerEvent, Endpoint, EndpointSource};
    let entries: Vec<String> = (0..5_000)
        .map(|i| {
            format!(
                r#"{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{i:064x}","size":100,"platform":{{"os":"linux","architecture":"arch{i}"}}}}"#
            )
        })
        .collect();
    let index = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{}]}}"#,
        entries.join(",")
    );
    let registry = Server::start_slow(std::time::Duration::from_millis(40), move |head| {
        if head.starts_with("GET /v2/huge/manifests/1 ") {
            (
                "200 OK",
                vec!["Content-Type: application/vnd.oci.image.index.v1+json".into()],
                index.clone().into_bytes(),
            )
        } else {
            ("404 Not Found", vec![], b"{}".to_vec())
        }
    })
    .await;
    // dockpit's requests (the daemon's distribution inspect asks too, as docker/…).
    let manifests = |s: &Server| {
        s.requests()
            .iter()
            .filter(|h| h.starts_with("GET /v2/huge/manifests/sha256:"))
            .filter(|h| !h.to_ascii_lowercase().contains("user-agent: docker/"))
            .count()
    };

    // The worker needs a daemon for the local part; the registry part is what is counted.
    let (event_tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let (commands, command_rx) = tokio::sync::mpsc::unbounded_channel();
    // The test engine must answer (tests/run.sh starts it; this test runs per engine).
    common::docker().await;
    let host = std::env::var("DOCKER_HOST").expect("DOCKER_HOST: run with tests/run.sh");
    tokio::spawn(
        Worker {
            endpoint: Endpoint {
                host,
                source: EndpointSource::Env,
                tls: None,
            },
            interval: std::time::Duration::from_secs(2),
            events: event_tx,
            commands: command_rx,
        }
        .run(),
    );
    let reference =
        dockpit::reference::parse(&format!("127.0.0.1:{}/huge:1", registry.port)).expect("ref");
    // Read to the end: bounded.
    commands
        .send(Command::Explore {
            id: dockpit::docker::StreamId(1),
            reference: reference.clone(),
        })
        .expect("worker");
    let tree = loop {
        match tokio::time::timeout(std::time::Duration::from_secs(30), events.recv()).await {
            Ok(Some(DockerEvent::Explored {
                id: dockpit::docker::StreamId(1),
                result,
            })) => break result.expect("tree"),
            Ok(Some(_)) => {}
            other => panic!("no tree: {other:?}"),
        }
    };
    assert_eq!(tree.root.children.len(), MAX_PLATFORMS);
    assert!(tree.root.details.iter().any(|d| d.contains("5000 entries")));
    assert_eq!(manifests(&registry), MAX_PLATFORMS);

    // Closed early: no request after the close.
    let before = registry.requests().len();
    commands
        .send(Command::Explore {
            id: dockpit::docker::StreamId(2),
            reference,
        })
        .expect("worker");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    commands
        .send(Command::StopStream(dockpit::docker::StreamId(2)))
        .expect("worker");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let at_close = registry.requests().len();
    assert!(at_close > before, "the second view had started");
    tokio::time::sleep(std::time::Duration::from_millis(1_000)).await;
    assert!(
        registry.requests().len() <= at_close + 1,
        "requests went on after the view closed: {} then {}",
        at_close,
        registry.requests().len()
    );
}

/// A registry serving one image whose single layer is `blob`, while its manifest declares
/// `declared_size` and `declared_digest` for it.
async fn image_registry(blob: Vec<u8>, declared_size: usize, declared_digest: String) -> Server {
    use sha2::{Digest, Sha256};
    let config = serde_json::json!({
        "rootfs": {"type": "layers", "diff_ids": ["sha256:00"]},
        "history": [{"created_by": "ADD x"}],
    })
    .to_string()
    .into_bytes();
    let config_digest = format!("sha256:{:x}", Sha256::digest(&config));
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": declared_digest, "size": declared_size}],
    })
    .to_string()
    .into_bytes();
    Server::start(move |head| {
        let body = if head.contains("/manifests/") {
            manifest.clone()
        } else if head.contains(&config_digest) {
            config.clone()
        } else {
            blob.clone()
        };
        (
            "200 OK",
            vec!["Content-Type: application/vnd.oci.image.manifest.v1+json".into()],
            body,
        )
    })
    .await
}

#[tokio::test]
async fn a_registry_that_lies_about_a_layer_is_caught_and_the_layer_named() {
    use sha2::{Digest, Sha256};
    use std::io::Write;
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(5000);
    header.set_mode(0o644);
    tar.append_data(&mut header, "f", &[7u8; 5000][..])
        .expect("append");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar.into_inner().expect("tar")).expect("gzip");
    let blob = gz.finish().expect("gzip");
    let digest = format!("sha256:{:x}", Sha256::digest(&blob));
    let read = |server: Server| async move {
        let reference =
            dockpit::reference::parse(&format!("127.0.0.1:{}/x:1", server.port)).expect("ref");
        dockpit::docker::layers::remote(&reference, |_| {}).await
    };

    // Honest: the layer reads.
    let honest = image_registry(blob.clone(), blob.len(), digest.clone()).await;
    let image = read(honest).await.expect("an honest registry's layer");
    assert_eq!(image.layers[0].tar.items.len(), 1);

    let cases = [
        (blob.len() - 10, digest.clone(), "more than"),
        (blob.len() + 10, digest.clone(), "of the"),
        (blob.len(), format!("sha256:{}", "0".repeat(64)), "hash to"),
    ];
    for (size, declared, words) in cases {
        let server = image_registry(blob.clone(), size, declared.clone()).await;
        let e = read(server).await.expect_err("a lying registry is refused");
        let text = e.to_string();
        assert!(text.contains(&declared) && text.contains(words), "{text}");
    }
    // A cut gzip stream whose digest and size match what is sent: a read error, named.
    let cut = blob[..blob.len() / 2].to_vec();
    let cut_digest = format!("sha256:{:x}", Sha256::digest(&cut));
    let server = image_registry(cut.clone(), cut.len(), cut_digest.clone()).await;
    let text = read(server).await.expect_err("refused").to_string();
    assert!(text.contains(&cut_digest), "{text}");
}
