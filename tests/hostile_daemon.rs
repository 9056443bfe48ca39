//! A hostile or broken daemon (a fake one on a unix socket, served by the test: see
//! `common::fake_daemon`) cannot take a host down over one odd row, nor take memory or CPU
//! without bound, nor get a command run through a name.

mod common;

use std::time::Duration;

use common::fake_daemon::{Answer, FakeDaemon, container};
use dockpit::docker::{Command, ContainerRow, DockerEvent, Endpoint, EndpointSource};
use tokio::sync::mpsc;

/// Starts the worker on the fake daemon and returns its channels.
fn watch(
    daemon: &FakeDaemon,
) -> (
    mpsc::UnboundedReceiver<DockerEvent>,
    mpsc::UnboundedSender<Command>,
) {
    let endpoint = Endpoint {
        host: daemon.host(),
        source: EndpointSource::Flag,
        tls: None,
    };
    common::spawn_worker(endpoint, Duration::from_secs(2))
}

/// The worker's events until `done` says enough (or 10 s pass: a failure), each given to it.
async fn until(
    events: &mut mpsc::UnboundedReceiver<DockerEvent>,
    mut done: impl FnMut(&DockerEvent) -> bool,
) {
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = events.recv().await {
            if done(&event) {
                return;
            }
        }
        panic!("the worker stopped");
    })
    .await;
    assert!(found.is_ok(), "timed out");
}

/// The rows of the first full listing, failing on a disconnection before it.
async fn first_listing(events: &mut mpsc::UnboundedReceiver<DockerEvent>) -> Vec<ContainerRow> {
    let mut rows = Vec::new();
    until(events, |event| match event {
        DockerEvent::Disconnected(e, _) => panic!("the host went down: {e}"),
        DockerEvent::Snapshot { containers, .. } => {
            rows = containers.clone();
            true
        }
        _ => false,
    })
    .await;
    rows
}

#[tokio::test]
async fn one_odd_row_is_shown_as_it_came_and_the_host_stays_up() {
    let listing = format!(
        "[{},{},{},{}]",
        container("a1", "web", r#""State":"configured","Status":"Configured""#),
        container(
            "b2",
            "big-port",
            r#""Ports":[{"PrivatePort":70000,"PublicPort":8080,"IP":"0.0.0.0","Type":"tcp"}]"#
        ),
        container(
            "c3",
            "odd-proto",
            r#""Ports":[{"PrivatePort":80,"Type":"quic"}]"#
        ),
        container(
            "d4",
            "plain",
            r#""Ports":[{"PrivatePort":80,"Type":"tcp"}]"#
        ),
    );
    let daemon = FakeDaemon::start(move |path| {
        path.starts_with("/containers/json")
            .then(|| Answer::Json(listing.clone()))
    });
    let (mut events, _commands) = watch(&daemon);
    let rows = first_listing(&mut events).await;
    let row = |name: &str| {
        rows.iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("{name} is not listed: {rows:?}"))
    };
    assert_eq!(row("web").state.as_str(), "configured");
    assert_eq!(row("web").status, "Configured");
    assert_eq!(row("big-port").ports, "0.0.0.0:8080->70000/tcp");
    assert_eq!(row("odd-proto").ports, "80/quic");
    assert_eq!(row("plain").ports, "80/tcp");
    assert_eq!(row("plain").state.as_str(), "running");
}

/// An answer that writes `first`, then `chunk` again and again up to `most` bytes in all,
/// counting into `written` what the client took before it closed the connection (or the
/// whole `most`, read to the end).
fn endless(
    first: Vec<u8>,
    chunk: Vec<u8>,
    most: usize,
    written: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> Answer {
    use tokio::io::AsyncWriteExt;
    Answer::stream(move |mut stream| async move {
        let mut total = 0;
        if stream.write_all(&first).await.is_ok() {
            total += first.len();
            while total < most && stream.write_all(&chunk).await.is_ok() {
                total += chunk.len();
            }
        }
        written.store(total, std::sync::atomic::Ordering::SeqCst);
    })
}

/// Waits for `written` to be set (the hostile answer ended), and returns it.
async fn bytes_taken(written: &std::sync::atomic::AtomicUsize) -> usize {
    for _ in 0..200 {
        let n = written.load(std::sync::atomic::Ordering::SeqCst);
        if n > 0 {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the hostile answer never ended");
}

const MIB: usize = 1024 * 1024;

#[tokio::test]
async fn an_event_that_never_ends_is_dropped_at_its_cap() {
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let w = written.clone();
    let once = std::sync::Mutex::new(Some(()));
    let daemon = FakeDaemon::start(move |path| {
        // The first subscription is the hostile one; later ones stay quiet.
        let first = path.starts_with("/events") && once.lock().ok()?.take().is_some();
        first.then(|| {
            endless(
                br#"{"Type":"container","Action":"start","x":""#.to_vec(),
                vec![b'a'; 64 * 1024],
                64 * MIB,
                w.clone(),
            )
        })
    });
    let (mut events, _commands) = watch(&daemon);
    let mut dropped = String::new();
    until(&mut events, |event| match event {
        DockerEvent::Disconnected(e, _) => panic!("the host went down: {e}"),
        DockerEvent::Dropped(what) => {
            dropped = what.clone();
            true
        }
        _ => false,
    })
    .await;
    assert!(
        dropped.contains("event") && dropped.contains("1 MiB"),
        "{dropped}"
    );
    let taken = bytes_taken(&written).await;
    assert!(
        taken < 4 * MIB,
        "{taken} bytes read of an event that never ends"
    );
}

#[tokio::test]
async fn a_logs_frame_declaring_3_gib_is_refused_before_it_is_read() {
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let w = written.clone();
    let daemon = FakeDaemon::start(move |path| {
        path.starts_with("/containers/a1/logs").then(|| {
            let mut first = vec![1, 0, 0, 0, 0xC0, 0, 0, 0];
            first.extend_from_slice(b"2026-11-28T14:00:00Z ");
            endless(first, vec![b'a'; 64 * 1024], 64 * MIB, w.clone())
        })
    });
    let (mut events, commands) = watch(&daemon);
    first_listing(&mut events).await;
    let id = dockpit::docker::StreamId(7);
    commands
        .send(Command::FollowLogs {
            id,
            container: "a1".into(),
            tail: 100,
            since: None,
            until: None,
        })
        .expect("the worker runs");
    let mut reason = String::new();
    until(&mut events, |event| match event {
        DockerEvent::StreamEnded {
            id: ended,
            reason: why,
        } if *ended == id => {
            reason = why.clone();
            true
        }
        _ => false,
    })
    .await;
    assert!(
        reason.contains("frame") && reason.contains("1 MiB"),
        "{reason}"
    );
    let taken = bytes_taken(&written).await;
    assert!(taken < 4 * MIB, "{taken} bytes read of a 3 GiB frame");
}

#[tokio::test]
async fn an_answer_over_its_cap_is_dropped_while_it_comes() {
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let w = written.clone();
    let daemon = FakeDaemon::start(move |path| {
        path.starts_with("/containers/json")
            .then(|| endless(b"[".to_vec(), vec![b' '; 64 * 1024], 64 * MIB, w.clone()))
    });
    let docker =
        bollard::Docker::connect_with_unix(&daemon.host(), 10, bollard::API_DEFAULT_VERSION)
            .expect("a client of the fake daemon");
    let answer = dockpit::docker::raw::json::<serde_json::Value>(
        &docker,
        "/containers/json?all=true",
        MIB,
        "the container listing",
    )
    .await;
    let error = answer.expect_err("an answer over its cap");
    assert!(dockpit::docker::raw::is_too_long(&error), "{error}");
    assert!(
        error
            .to_string()
            .contains("the container listing is over 1 MiB")
    );
    let taken = bytes_taken(&written).await;
    assert!(taken < 4 * MIB, "{taken} bytes read");
}
