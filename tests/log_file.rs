//! The log file against the real engine: at `DOCKPIT_LOG=debug` a `run -e SECRET=…`, and an
//! inspect of that container (whose answer holds the environment), leave no secret in the
//! file; a daemon that stays down is logged once, not once a second.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use dockpit::docker::endpoint::{self, ProcessEnv};
use dockpit::docker::inspect::InspectTarget;
use dockpit::docker::{Command, DockerEvent, Endpoint, EndpointSource, Op};
use dockpit::logging::{self, CappedFile};
use dockpit::run_spec::RunFields;

const SECRET: &str = "hunter2-do-not-log";

fn log_in(name: &str) -> (PathBuf, Mutex<CappedFile>) {
    let dir = std::env::temp_dir().join(format!("dockpit-logfile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dockpit::paths::private_dir(&dir).expect("dir");
    let path = dir.join("dockpit.log");
    let file = CappedFile::open(&path, logging::MAX_LOG).expect("open");
    (path, Mutex::new(file))
}

/// Runs a container with a secret in its env and inspects it, logging with `spec`; answers
/// the log file's text.
async fn run_and_inspect(test: &str, spec: &str) -> String {
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let (path, file) = log_in(test);
    let _log = tracing::subscriber::set_default(logging::subscriber(Some(spec), file));
    logging::bridge_log();
    let endpoint = endpoint::resolve(None, &ProcessEnv).expect("endpoint");
    let (mut events, commands) = common::spawn_worker(endpoint, Duration::from_secs(2));
    let name = common::unique(test);
    let fields = RunFields {
        image: common::IMAGE.into(),
        name: name.clone(),
        command: "sleep 60".into(),
        env: format!("DB_PASSWORD={SECRET}"),
        labels: common::label_filter(test),
        ..Default::default()
    };
    let op = Op::Run(Box::new(fields.parse().expect("valid form")));
    commands
        .send(Command::Op {
            id: dockpit::docker::OpId(1),
            op,
        })
        .expect("worker");
    commands
        .send(Command::Inspect {
            id: dockpit::docker::StreamId(2),
            target: InspectTarget::Container(name.clone().into()),
        })
        .expect("worker");
    let (mut ran, mut inspected) = (false, false);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !(ran && inspected) {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the run and the inspect answer in time")
            .expect("worker alive");
        match event {
            DockerEvent::OpDone {
                id: dockpit::docker::OpId(1),
                result,
                ..
            } => {
                result.expect("run");
                ran = true;
                // Inspected only once it exists.
                commands
                    .send(Command::Inspect {
                        id: dockpit::docker::StreamId(3),
                        target: InspectTarget::Container(name.clone().into()),
                    })
                    .expect("worker");
            }
            DockerEvent::Inspected {
                id: dockpit::docker::StreamId(3),
                result,
            } => {
                let inspection = result.expect("inspect");
                assert!(
                    format!("{inspection:?}").contains(SECRET),
                    "the inspect answer holds the env (so a dump of it would leak)"
                );
                inspected = true;
            }
            _ => {}
        }
    }
    common::cleanup(&docker, test).await;
    read(&path)
}

fn read(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("log file");
    if let Some(dir) = path.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
    text
}

#[tokio::test]
async fn no_env_value_reaches_the_log_file_at_debug() {
    let text = run_and_inspect("log-secrets", "debug").await;
    assert!(
        text.contains("DB_PASSWORD=…"),
        "the action is logged:\n{text}"
    );
    assert!(!text.contains(SECRET), "a secret reached the log:\n{text}");
}

#[tokio::test]
async fn dependency_dumps_come_only_when_asked_for_by_target() {
    // Named explicitly, bollard's dump is there: the check above can see a leak.
    let text = run_and_inspect("log-secrets-asked", "debug,bollard=debug").await;
    assert!(
        text.contains(SECRET),
        "bollard=debug was asked for:\n{text}"
    );
}

#[tokio::test]
async fn a_daemon_that_stays_down_is_logged_once() {
    let (path, file) = log_in("down");
    let _log = tracing::subscriber::set_default(logging::subscriber(Some("debug"), file));
    let endpoint = Endpoint {
        host: "unix:///nonexistent/dockpit-test.sock".into(),
        source: EndpointSource::Flag,
        tls: None,
    };
    let (mut events, _commands) = common::spawn_worker(endpoint, Duration::from_secs(2));
    let mut failures = 0;
    while failures < 4 {
        if let Some(DockerEvent::Disconnected(_, _)) = events.recv().await {
            failures += 1;
        }
    }
    let text = read(&path);
    let lines = text.matches("docker unavailable").count();
    assert_eq!(lines, 1, "4 failures, one line:\n{text}");
}
