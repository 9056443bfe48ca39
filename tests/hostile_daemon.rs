//! A hostile or broken daemon (a fake one on a unix socket, served by the test: see
//! `common::fake_daemon`) cannot take a host down over one odd row, nor take memory or CPU
//! without bound, nor get a command run through a name.

mod common;

use std::time::Duration;

use common::fake_daemon::{Answer, FakeDaemon, container};
use dockpit::docker::worker::Worker;
use dockpit::docker::{Command, ContainerRow, DockerEvent, Endpoint, EndpointSource};
use tokio::sync::mpsc;

/// Starts the worker on the fake daemon and returns its channels.
fn watch(
    daemon: &FakeDaemon,
) -> (
    mpsc::UnboundedReceiver<DockerEvent>,
    mpsc::UnboundedSender<Command>,
) {
    let (event_tx, event_rx) = mpsc::unbounded_channel();
    let (command_tx, command_rx) = mpsc::unbounded_channel();
    let endpoint = Endpoint {
        host: daemon.host(),
        source: EndpointSource::Flag,
        tls: None,
    };
    tokio::spawn(
        Worker {
            endpoint,
            interval: Duration::from_secs(2),
            events: event_tx,
            commands: command_rx,
        }
        .run(),
    );
    (event_rx, command_tx)
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
        DockerEvent::Disconnected(e) => panic!("the host went down: {e}"),
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
