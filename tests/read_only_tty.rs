//! Read-only attach against the real engine: the container's tty keeps its size (its
//! processes get no SIGWINCH), while a normal attach sizes it to the pane.

mod common;

use std::time::Duration;

use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{CreateContainerOptions, ResizeContainerTTYOptions};
use dockpit::docker::attach::{SessionKind, SessionRequest};
use dockpit::docker::endpoint::{self, ProcessEnv};
use dockpit::docker::{Command, DockerEvent};

/// Runs a tty container printing its terminal size, attaches with `resize`, and answers
/// what it printed for about 1.5 s after the attach.
async fn attach_and_watch(test: &str, resize: bool) -> String {
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let body = ContainerCreateBody {
        image: Some(common::IMAGE.into()),
        cmd: Some(vec![
            "sh".into(),
            "-c".into(),
            "while true; do stty size; sleep 0.1; done".into(),
        ]),
        tty: Some(true),
        open_stdin: Some(true),
        labels: Some([common::label_pair(test)].into()),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(name.clone()),
        ..Default::default()
    };
    let id = docker
        .create_container(Some(options), body)
        .await
        .expect("create")
        .id;
    docker.start_container(&id, None).await.expect("start");
    // The size someone else gave it.
    docker
        .resize_container_tty(&id, ResizeContainerTTYOptions { h: 11, w: 29 })
        .await
        .expect("resize");

    let endpoint = endpoint::resolve(None, &ProcessEnv).expect("endpoint");
    let (mut events, commands) = common::spawn_worker(endpoint, Duration::from_secs(2));
    commands
        .send(Command::OpenSession(SessionRequest {
            id: dockpit::pty::SessionId(1),
            container: id.clone().into(),
            kind: SessionKind::Attach { start: false },
            rows: 17,
            cols: 53,
            resize,
        }))
        .expect("worker");
    let mut output = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(1500);
    while let Ok(Some(event)) = tokio::time::timeout_at(deadline, events.recv()).await {
        if let DockerEvent::SessionOutput {
            id: dockpit::pty::SessionId(1),
            bytes,
        } = event
        {
            output.extend(bytes);
        }
    }
    // A resize after opening is also refused in read-only.
    commands
        .send(Command::SessionResize {
            id: dockpit::pty::SessionId(1),
            rows: 19,
            cols: 61,
        })
        .expect("worker");
    let deadline = tokio::time::Instant::now() + Duration::from_millis(800);
    while let Ok(Some(event)) = tokio::time::timeout_at(deadline, events.recv()).await {
        if let DockerEvent::SessionOutput {
            id: dockpit::pty::SessionId(1),
            bytes,
        } = event
        {
            output.extend(bytes);
        }
    }
    common::cleanup(&docker, test).await;
    String::from_utf8_lossy(&output).to_string()
}

#[tokio::test]
async fn a_read_only_attach_never_resizes_the_tty() {
    let seen = attach_and_watch("ro-tty", false).await;
    let last = seen.lines().rev().find(|l| !l.trim().is_empty());
    assert_eq!(last.map(str::trim), Some("11 29"), "{seen:?}");
    assert!(!seen.contains("17 53"), "the tty was resized: {seen:?}");
    assert!(!seen.contains("19 61"), "the tty was resized: {seen:?}");
}

#[tokio::test]
async fn a_normal_attach_sizes_the_tty_to_the_pane() {
    let seen = attach_and_watch("rw-tty", true).await;
    assert!(seen.contains("17 53"), "{seen:?}");
}
