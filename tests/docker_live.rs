//! The Docker task against the real test engine: listing, and the events path.

mod common;

use std::time::{Duration, Instant};

use bollard::query_parameters::{ListContainersOptions, StopContainerOptions};
use dockpit::docker::endpoint::{self, ProcessEnv};
use dockpit::docker::listing;
use dockpit::docker::worker;
use dockpit::docker::{
    Command, ConnectErrorKind, ContainerRow, ContainerState, DockerEvent, Endpoint, EndpointSource,
    StreamId,
};
use tokio::sync::mpsc;

#[tokio::test]
async fn listing_shows_a_container_the_test_created() {
    let test = "listing";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let id = common::create(&docker, test, &name, &["sleep", "60"]).await;

    let DockerEvent::Snapshot { images, containers } =
        worker::list(&docker, 0).await.expect("list")
    else {
        panic!("list answers a snapshot");
    };
    let row = containers
        .iter()
        .find(|c| c.id.as_str() == id)
        .expect("the new container is listed");
    assert_eq!(row.name, name);
    assert_eq!(row.state, ContainerState::Created);
    assert_eq!(row.image, common::IMAGE);
    assert!(
        images
            .iter()
            .any(|i| i.name().as_deref() == Some("dockpit-test/busybox:1")),
        "the seeded image is listed"
    );
    common::cleanup(&docker, test).await;
}

/// The full listing is read as it comes, a row at a time: every container once, newest
/// first, as the daemon lists them (checked against bollard's whole-answer listing of ours).
#[tokio::test]
async fn a_streamed_listing_has_every_container_once_newest_first() {
    let test = "streamed";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let mut ours = Vec::new();
    for i in 0..5 {
        let name = format!("{}-{i}", common::unique(test));
        ours.push(common::create(&docker, test, &name, &["sleep", "60"]).await);
    }
    let all = ListContainersOptions {
        all: true,
        ..Default::default()
    };
    let rows = listing::rows(&docker, &all, 0)
        .await
        .expect("a streamed listing");
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no container listed twice");
    let listed: Vec<&ContainerRow> = rows
        .iter()
        .filter(|r| ours.iter().any(|o| o == r.id.as_str()))
        .collect();
    let newest_first: Vec<&str> = ours.iter().rev().map(String::as_str).collect();
    let listed_ids: Vec<&str> = listed.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(listed_ids, newest_first, "ours, each once, newest first");
    let filters = [("label".to_string(), vec![common::label_filter(test)])].into();
    let whole = docker
        .list_containers(Some(ListContainersOptions {
            filters: Some(filters),
            ..all
        }))
        .await
        .expect("bollard's listing");
    assert_eq!(whole.len(), ours.len(), "bollard lists ours");
    for summary in whole {
        let row = listed
            .iter()
            .find(|r| Some(r.id.as_str()) == summary.id.as_deref())
            .expect("each of ours streamed");
        let name = summary.names.unwrap_or_default().concat();
        assert_eq!(format!("/{}", row.name), name);
        assert_eq!(Some(&row.image), summary.image.as_ref());
        assert_eq!(row.state, ContainerState::Created);
    }
    common::cleanup(&docker, test).await;
}

/// The seeded two-platform index, as each store lists it: the containerd store (Engine 26)
/// under the index's digest, the classic store (Engine 20.10) under the config digest of
/// this host's platform; its size as the daemon reports it (the containerd store counts
/// content and unpacked layers).
#[tokio::test]
async fn the_two_platform_index_is_listed_as_each_store_keeps_it() {
    let docker = common::docker().await;
    let DockerEvent::Snapshot { images, .. } = worker::list(&docker, 0).await.expect("list") else {
        panic!("list answers a snapshot");
    };
    let row = images
        .iter()
        .find(|i| i.name().as_deref() == Some("127.0.0.1:5000/multi:1"))
        .expect("the seeded index is listed");
    let expected = if common::containerd_store(&docker).await {
        common::registry_digest("/v2/multi/manifests/1")
    } else {
        let index = common::registry_json("/v2/multi/manifests/1");
        let here = common::host_platform();
        let entry = index["manifests"]
            .as_array()
            .expect("manifests")
            .iter()
            .find(|m| {
                let p = &m["platform"];
                format!(
                    "{}/{}",
                    p["os"].as_str().unwrap_or_default(),
                    p["architecture"].as_str().unwrap_or_default()
                ) == here
            })
            .expect("this host's platform in the index");
        let digest = entry["digest"].as_str().expect("digest");
        let manifest = common::registry_json(&format!("/v2/multi/manifests/{digest}"));
        manifest["config"]["digest"]
            .as_str()
            .expect("config digest")
            .to_string()
    };
    assert_eq!(row.id, expected);
    let listed = docker
        .list_images(None::<bollard::query_parameters::ListImagesOptions>)
        .await
        .expect("list images");
    let summary = listed
        .iter()
        .find(|i| i.id == row.id)
        .expect("the same image");
    assert_eq!(row.size, summary.size);
    assert!(row.size > 0);
}

/// The container rows a worker's event brings (a listing, or rows listed again).
fn rows_of(event: &DockerEvent) -> &[ContainerRow] {
    match event {
        DockerEvent::Snapshot { containers, .. } => containers,
        DockerEvent::ContainersChanged { changed, .. } | DockerEvent::FirstRows(changed) => changed,
        _ => &[],
    }
}

/// Waits for a listing in which `id` has `state`.
async fn wait_for_state(
    events: &mut mpsc::UnboundedReceiver<DockerEvent>,
    id: &str,
    state: ContainerState,
) {
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = events.recv().await {
            if rows_of(&event)
                .iter()
                .any(|c| c.id == id && c.state == state)
            {
                return;
            }
        }
        panic!("the worker stopped");
    })
    .await;
    assert!(found.is_ok(), "no snapshot showed {id} as {state:?}");
}

#[tokio::test]
async fn events_deliver_a_stop_long_before_the_next_poll() {
    let test = "events";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let id = common::create(&docker, test, &common::unique(test), &["sleep", "600"]).await;
    docker
        .start_container(&id, None)
        .await
        .expect("start the container");

    // A poll interval far longer than the test: only the events stream can explain an update.
    let endpoint = endpoint::resolve(None, &ProcessEnv).expect("DOCKER_HOST resolves");
    let (mut events, _commands) = common::spawn_worker(endpoint, Duration::from_secs(3600));
    match events.recv().await {
        Some(DockerEvent::Connecting(_)) => {}
        other => panic!("expected Connecting first, got {other:?}"),
    }
    match events.recv().await {
        Some(DockerEvent::Connected(info)) => assert!(!info.api_version.is_empty()),
        other => panic!("expected Connected, got {other:?}"),
    }
    wait_for_state(&mut events, &id, ContainerState::Running).await;

    let options = StopContainerOptions {
        t: Some(0),
        ..Default::default()
    };
    docker
        .stop_container(&id, Some(options))
        .await
        .expect("stop the container");
    let stopped = Instant::now();
    wait_for_state(&mut events, &id, ContainerState::Exited).await;
    let elapsed = stopped.elapsed();
    println!("stop reached the worker's snapshot {elapsed:?} after the API call returned");
    assert!(
        elapsed < Duration::from_secs(2),
        "took {elapsed:?}: the events path did not deliver it"
    );
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn a_missing_socket_is_reported_with_its_endpoint() {
    let endpoint = Endpoint {
        host: "unix:///nonexistent/dockpit.sock".into(),
        source: EndpointSource::Flag,
        tls: None,
    };
    let (mut events, commands) = common::spawn_worker(endpoint, Duration::from_secs(2));
    let error = loop {
        match events.recv().await {
            Some(DockerEvent::Disconnected(error, _)) => break error,
            Some(_) => continue,
            None => panic!("the worker stopped"),
        }
    };
    assert_eq!(error.kind, ConnectErrorKind::SocketMissing);
    assert_eq!(error.endpoint, "unix:///nonexistent/dockpit.sock");
    assert!(error.detail.contains("does not exist"), "{}", error.detail);
    // Retry now: the worker tries again at once rather than after its back-off.
    commands.send(Command::Refresh).expect("worker alive");
    let retried = tokio::time::timeout(Duration::from_secs(1), events.recv()).await;
    assert!(
        matches!(retried, Ok(Some(DockerEvent::Connecting(_)))),
        "{retried:?}"
    );
}

#[tokio::test]
async fn a_closed_tcp_port_is_refused_not_missing() {
    let endpoint = Endpoint {
        // Port 9 (discard) has no listener here.
        host: "tcp://127.0.0.1:9".into(),
        source: EndpointSource::Flag,
        tls: None,
    };
    let (mut events, _commands) = common::spawn_worker(endpoint, Duration::from_secs(2));
    let error = loop {
        match events.recv().await {
            Some(DockerEvent::Disconnected(error, _)) => break error,
            Some(_) => continue,
            None => panic!("the worker stopped"),
        }
    };
    assert_eq!(error.kind, ConnectErrorKind::Refused, "{}", error.detail);
}

#[tokio::test]
async fn logs_follow_stdout_and_stderr_in_order() {
    let test = "logs";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    // Pauses between lines: the daemon keeps order within a stream, not across stdout and
    // stderr written in the same instant.
    let script = r"echo one; sleep 0.2; echo two >&2; sleep 0.2; printf 'esc \033]0;title\007 end\n'; sleep 0.2; echo three; sleep 30";
    let id = common::start(&docker, test, &common::unique(test), &["sh", "-c", script]).await;

    let (tx, mut rx) = mpsc::unbounded_channel();
    let follow = tokio::spawn(dockpit::docker::logs::follow(
        docker.clone(),
        StreamId(7),
        dockpit::docker::logs::Follow::tail(id.clone().into(), 1_000),
        tx,
    ));
    let mut lines = Vec::new();
    let got = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = rx.recv().await {
            if let DockerEvent::LogLines {
                id: StreamId(7),
                lines: batch,
            } = event
            {
                lines.extend(batch);
                if lines.iter().any(|l| l.text == "three") {
                    return;
                }
            }
        }
    })
    .await;
    assert!(got.is_ok(), "lines so far: {lines:?}");
    follow.abort();
    let texts: Vec<(&str, bool)> = lines.iter().map(|l| (l.text.as_str(), l.err)).collect();
    assert_eq!(texts[0], ("one", false));
    assert!(texts.contains(&("two", true)), "{texts:?}");
    // The escape arrives raw; the view shows it inert (format::escape_controls).
    assert!(
        texts.contains(&("esc \x1b]0;title\x07 end", false)),
        "{texts:?}"
    );
    assert_eq!(
        texts.last(),
        Some(&("three", false)),
        "followed live, in order"
    );
    assert!(
        lines.iter().all(|l| l.time.ends_with('Z')),
        "timestamps: {lines:?}"
    );
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn the_events_feed_reports_a_container_the_test_started() {
    let test = "events-feed";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let endpoint = endpoint::resolve(None, &ProcessEnv).expect("DOCKER_HOST resolves");
    let (mut events, _commands) = common::spawn_worker(endpoint, Duration::from_secs(3600));
    // Wait until the worker is subscribed (its first snapshot follows the subscription).
    while !matches!(events.recv().await, Some(DockerEvent::Snapshot { .. })) {}
    let name = common::unique(test);
    common::start(&docker, test, &name, &["sleep", "30"]).await;
    let seen = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = events.recv().await {
            if let DockerEvent::Engine(e) = event
                && e.kind == dockpit::docker::EventKind::Container
                && e.action == "start"
                && e.actor() == name
            {
                return e;
            }
        }
        panic!("the worker stopped");
    })
    .await
    .expect("a start event for the container");
    assert!(
        seen.attributes
            .iter()
            .any(|(k, v)| k == "image" && v == common::IMAGE)
    );
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn inspect_shows_env_ports_and_the_processes() {
    use bollard::models::{ContainerCreateBody, HostConfig, PortBinding};
    use dockpit::docker::inspect::{self, InspectTarget};
    let test = "inspect";
    let port = common::free_port().to_string();
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let body = ContainerCreateBody {
        image: Some(common::IMAGE.into()),
        cmd: Some(vec!["sleep".into(), "77".into()]),
        env: Some(vec!["GREETING=hello".into()]),
        labels: Some([common::label_pair(test)].into()),
        exposed_ports: Some(vec!["80/tcp".into()]),
        host_config: Some(HostConfig {
            port_bindings: Some(
                [(
                    "80/tcp".to_string(),
                    Some(vec![PortBinding {
                        host_ip: Some("127.0.0.1".into()),
                        host_port: Some(port.clone()),
                    }]),
                )]
                .into(),
            ),
            ..Default::default()
        }),
        ..Default::default()
    };
    let options = bollard::query_parameters::CreateContainerOptions {
        name: Some(common::unique(test)),
        ..Default::default()
    };
    let id = docker
        .create_container(Some(options), body)
        .await
        .expect("create")
        .id;
    docker.start_container(&id, None).await.expect("start");

    // Just started, its process may still be `runc init` (clean run 35): asked again until
    // the command runs.
    let target = InspectTarget::Container(id.clone().into());
    let mut found = inspect::inspect(&docker, &target).await.expect("inspect");
    for _ in 0..50 {
        let running = (found.top.as_ref())
            .is_some_and(|(_, rows)| rows.iter().any(|r| r.join(" ").contains("sleep 77")));
        if running {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        found = inspect::inspect(&docker, &target).await.expect("inspect");
    }
    let has = |k: &str, v: &str| found.summary.iter().any(|(a, b)| a == k && b == v);
    assert!(has("Env", "GREETING=hello"), "{:?}", found.summary);
    assert!(
        has("Ports", &format!("127.0.0.1:{port} -> 80/tcp")),
        "{:?}",
        found.summary
    );
    assert!(found.json.contains("\"GREETING=hello\""));
    // Keys in the order `docker inspect` prints them, not sorted: Id first, then Created.
    let at = |key: &str| found.json.find(&format!("\"{key}\":")).expect(key);
    assert!(at("Id") < at("Created") && at("Created") < at("Args") && at("State") < at("Image"));
    let (titles, rows) = found.top.expect("processes of a running container");
    assert!(
        titles.iter().any(|t| t == "CMD" || t == "COMMAND"),
        "{titles:?}"
    );
    assert!(
        rows.iter().any(|r| r.join(" ").contains("sleep 77")),
        "{rows:?}"
    );

    let image = inspect::inspect(&docker, &InspectTarget::Image(common::IMAGE.into()))
        .await
        .expect("inspect image");
    assert!(
        image
            .summary
            .iter()
            .any(|(k, v)| k == "Tags" && v == common::IMAGE)
    );
    assert!(image.top.is_none());
    // A container that does not exist: the daemon's words.
    let missing = inspect::inspect(
        &docker,
        &InspectTarget::Container("no-such-container".into()),
    )
    .await;
    assert!(
        missing
            .expect_err("missing")
            .message
            .contains("No such container")
    );
    common::cleanup(&docker, test).await;
}

/// `docker diff` in inspect: a stopped container's changes, as the CLI prints them.
#[tokio::test]
async fn a_stopped_containers_changes_are_what_docker_diff_says() {
    use dockpit::docker::inspect::{self, InspectTarget};
    let test = "diff";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let script = "echo hi > /added.txt && mkdir -p /opt/new";
    let id = common::start(&docker, test, &common::unique(test), &["sh", "-c", script]).await;
    assert_eq!(common::exit_code(&docker, &id).await, Some(0));
    let found = inspect::inspect(&docker, &InspectTarget::Container(id.clone().into()))
        .await
        .expect("inspect a stopped container");
    let changes = found.changes.expect("a container's changes");
    for line in ["A /added.txt", "A /opt/new"] {
        assert!(changes.iter().any(|c| c == line), "{line} in {changes:?}");
    }
    assert!(found.top.is_none(), "no processes: it is stopped");
    let image = inspect::inspect(&docker, &InspectTarget::Image(common::IMAGE.into()))
        .await
        .expect("inspect image");
    assert!(image.changes.is_none(), "an image has no changes tab");
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn stats_of_a_running_container_fill_over_time() {
    let test = "stats";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    // A little work, so CPU is not always zero.
    let script = "while true; do i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; sleep 0.1; done";
    let id = common::start(&docker, test, &common::unique(test), &["sh", "-c", script]).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let follow = tokio::spawn(dockpit::docker::stats::follow(
        docker.clone(),
        StreamId(9),
        id.clone().into(),
        tx,
    ));
    let mut samples = Vec::new();
    let filled = tokio::time::timeout(Duration::from_secs(15), async {
        while let Some(event) = rx.recv().await {
            if let DockerEvent::Stats {
                id: StreamId(9),
                sample,
            } = event
            {
                samples.push(sample);
                if samples.len() == 3 {
                    return;
                }
            }
        }
    })
    .await;
    follow.abort();
    assert!(filled.is_ok(), "samples: {samples:?}");
    let last = samples.last().expect("a sample");
    assert!(
        last.memory > 0 && last.memory_limit >= last.memory,
        "{last:?}"
    );
    assert!(last.pids >= 1, "{last:?}");
    assert!(samples.iter().any(|s| s.cpu_percent > 0.0), "{samples:?}");
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn one_shot_readings_of_the_rows_in_view() {
    use dockpit::docker::stats;
    let test = "usage";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let id = common::create(
        &docker,
        test,
        &common::unique(test),
        &["sh", "-c", "while true; do :; done"],
    )
    .await;
    docker.start_container(&id, None).await.expect("start");
    let first = stats::read(&docker, &[id.clone().into()]).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let second = stats::read(&docker, &[id.clone().into()]).await;
    let (a, b) = (first[0].1, second[0].1);
    assert!(b.memory > 0);
    let cpu = b.cpu_percent_since(&a).expect("two readings");
    // A busy loop uses about one core (100 %), far less on a loaded machine (18 % seen
    // with three suites and a release build on two cores); an idle one reads 0.
    assert!(cpu > 2.0 && cpu < 250.0, "{cpu}");
    // A container that does not exist is left out, not an error.
    assert!(
        stats::read(&docker, &["no-such-container".into()])
            .await
            .is_empty()
    );
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn a_last_line_without_a_newline_is_not_lost() {
    let test = "logs-tail";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let id = common::create(
        &docker,
        test,
        &common::unique(test),
        &["sh", "-c", "echo first; printf done"],
    )
    .await;
    docker.start_container(&id, None).await.expect("start");
    // Let it exit (and the daemon write its last partial line) before reading.
    common::exit_code(&docker, &id).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    // The container has exited: following ends by itself.
    let follow = dockpit::docker::logs::follow(
        docker.clone(),
        StreamId(3),
        dockpit::docker::logs::Follow::tail(id.clone().into(), 1_000),
        tx,
    );
    tokio::time::timeout(Duration::from_secs(10), follow)
        .await
        .expect("the stream ends when the container does");
    let mut texts = Vec::new();
    while let Ok(event) = rx.try_recv() {
        if let DockerEvent::LogLines { lines, .. } = event {
            texts.extend(lines.into_iter().map(|l| l.text));
        }
    }
    assert_eq!(texts, ["first", "done"]);
    common::cleanup(&docker, test).await;
}

#[tokio::test]
async fn a_burst_of_events_is_one_refresh() {
    let test = "burst";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let mut ids = Vec::new();
    for i in 0..8 {
        ids.push(
            common::create(
                &docker,
                test,
                &format!("{}-{i}", common::unique(test)),
                &["sleep", "60"],
            )
            .await,
        );
    }
    let endpoint = endpoint::resolve(None, &ProcessEnv).expect("DOCKER_HOST resolves");
    let (mut events, _commands) = common::spawn_worker(endpoint, Duration::from_secs(3600));
    while !matches!(events.recv().await, Some(DockerEvent::Snapshot { .. })) {}
    // Eight starts at once: many events (start, network connect…), few listings. They are
    // read as they come (a burst is told by when the worker passed each event on).
    let starts = {
        let (docker, ids) = (docker.clone(), ids.clone());
        tokio::spawn(async move {
            futures::future::join_all(ids.iter().map(|id| docker.start_container(id, None))).await
        })
    };
    let mut snapshots = 0;
    // When each daemon event arrived: events closer than the worker's coalescing window
    // (15 ms) are one burst, however a loaded daemon spaces them.
    let mut arrivals = Vec::new();
    // Until the starts' events are in and quiet for a second (a loaded daemon takes its
    // time over eight starts), at most 20 s.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let quiet = match arrivals.last() {
            Some(&at) if arrivals.len() >= 16 => {
                tokio::time::Instant::from_std(at) + Duration::from_secs(1)
            }
            _ => deadline,
        };
        tokio::select! {
            _ = tokio::time::sleep_until(quiet.min(deadline)) => break,
            event = events.recv() => match event {
                Some(DockerEvent::Snapshot { .. } | DockerEvent::ContainersChanged { .. }) => {
                    snapshots += 1
                }
                Some(DockerEvent::Engine(_)) => arrivals.push(std::time::Instant::now()),
                Some(_) => {}
                None => panic!("the worker stopped"),
            },
        }
    }
    starts.await.expect("the starts");
    let engine_events = arrivals.len();
    let bursts = 1 + arrivals
        .windows(2)
        .filter(|w| w[1] - w[0] > Duration::from_millis(15))
        .count();
    println!("{engine_events} daemon events in {bursts} bursts → {snapshots} listings");
    assert!(engine_events >= 16, "{engine_events} events");
    assert!(snapshots > 0, "the starts were never listed");
    // A burst's events share its listing, and each burst earns at most two more looks (once
    // it settled, and a last one), which later bursts share too: never a listing an event.
    assert!(
        snapshots <= 3 * bursts,
        "{snapshots} listings for {engine_events} events in {bursts} bursts"
    );
    if bursts < engine_events / 2 {
        assert!(
            snapshots < engine_events,
            "{snapshots} listings for {engine_events} events in {bursts} bursts"
        );
    }
    common::cleanup(&docker, test).await;
}

/// While the events stream keeps up, the worker lists everything only as a rare resync: a
/// short `--interval` is the fallback, not the pace. The first rows come from a listing
/// limited to a screen's worth, before the full one; a stop still shows at once.
#[tokio::test]
async fn at_rest_nothing_is_listed_and_the_first_rows_come_first() {
    let test = "rest";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let id = common::create(&docker, test, &common::unique(test), &["sleep", "600"]).await;
    docker.start_container(&id, None).await.expect("start");
    let endpoint = endpoint::resolve(None, &ProcessEnv).expect("DOCKER_HOST resolves");
    let (mut events, _commands) = common::spawn_worker(endpoint, Duration::from_secs(1));
    let first = loop {
        match events.recv().await {
            Some(DockerEvent::Connecting(_) | DockerEvent::Connected(_)) => continue,
            Some(event) => break event,
            None => panic!("the worker stopped"),
        }
    };
    let DockerEvent::FirstRows(rows) = &first else {
        panic!("the first listing is the limited one, got {first:?}");
    };
    assert!(rows.len() <= dockpit::docker::listing::FIRST_ROWS as usize);
    // Ours is among the newest unless other suites' containers, all newer, filled it.
    match rows.iter().find(|c| c.id == id.as_str()) {
        Some(row) => assert!(row.aging.is_some(), "a running container's status ages"),
        None => {
            let ours = docker.inspect_container(&id, None).await.expect("inspect");
            let created = ours.created.as_deref().and_then(|c| {
                chrono::DateTime::parse_from_rfc3339(c)
                    .ok()
                    .map(|t| t.timestamp())
            });
            assert_eq!(rows.len(), dockpit::docker::listing::FIRST_ROWS as usize);
            assert!(
                rows.iter().all(|c| Some(c.created) >= created),
                "the first rows are the newest, and ours is not in them"
            );
        }
    }
    while !matches!(events.recv().await, Some(DockerEvent::Snapshot { .. })) {}
    // Four intervals at rest: no full listing (other tests' events may list their rows).
    let rest = tokio::time::sleep(Duration::from_secs(4));
    tokio::pin!(rest);
    loop {
        tokio::select! {
            _ = &mut rest => break,
            event = events.recv() => match event {
                Some(DockerEvent::Snapshot { .. }) => panic!("a full listing at rest"),
                Some(_) => {}
                None => panic!("the worker stopped"),
            },
        }
    }
    docker
        .stop_container(
            &id,
            Some(StopContainerOptions {
                t: Some(0),
                ..Default::default()
            }),
        )
        .await
        .expect("stop");
    wait_for_state(&mut events, &id, ContainerState::Exited).await;
    common::cleanup(&docker, test).await;
}

/// Image events list the images (not the containers): a tag shows, and goes with its untag,
/// without waiting for a poll.
#[tokio::test]
async fn a_tag_and_its_removal_show_without_a_poll() {
    let docker = common::docker().await;
    let endpoint = endpoint::resolve(None, &ProcessEnv).expect("DOCKER_HOST resolves");
    let (mut events, _commands) = common::spawn_worker(endpoint, Duration::from_secs(3600));
    while !matches!(events.recv().await, Some(DockerEvent::Snapshot { .. })) {}
    let repo = format!("dockpit-test/{}", common::unique("tagged"));
    let tag = format!("{repo}:1");
    docker
        .tag_image(
            common::IMAGE,
            Some(bollard::query_parameters::TagImageOptions {
                repo: Some(repo.clone()),
                tag: Some("1".into()),
            }),
        )
        .await
        .expect("tag");
    let shown = |present: bool| {
        let tag = tag.clone();
        move |event: &DockerEvent| match event {
            DockerEvent::Images(images) => {
                images
                    .iter()
                    .any(|i| i.name().as_deref() == Some(tag.as_str()))
                    == present
            }
            _ => false,
        }
    };
    let wait = async |events: &mut mpsc::UnboundedReceiver<DockerEvent>,
                      what: &str,
                      test: &dyn Fn(&DockerEvent) -> bool| {
        let found = tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(event) = events.recv().await {
                if test(&event) {
                    return;
                }
            }
        })
        .await;
        assert!(found.is_ok(), "{what} did not show");
    };
    wait(&mut events, "the tag", &shown(true)).await;
    docker
        .remove_image(
            &tag,
            None::<bollard::query_parameters::RemoveImageOptions>,
            None,
        )
        .await
        .expect("untag");
    wait(&mut events, "the untag", &shown(false)).await;
}
