//! End to end, Compose projects: containers carrying Compose's labels (made here through
//! bollard, as Compose would make them) grouped under their project's row, stopped, started
//! and removed from that row's keys, and their logs merged in the daemon's time order.

mod common;

use std::time::Duration;

use bollard::Docker;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{CreateContainerOptions, LogsOptions};
use common::screen::App;
use futures::StreamExt;

const WAIT: Duration = Duration::from_secs(15);

/// Creates a labelled container of Compose project `project`, service `service`, running
/// `script`; returns its name (as Compose names them) and id.
async fn service(
    docker: &Docker,
    test: &str,
    project: &str,
    service: &str,
    script: &str,
) -> (String, String) {
    let name = format!("{project}-{service}-1");
    let labels = [
        (common::LABEL, common::label(test)),
        ("com.docker.compose.project", project.to_string()),
        ("com.docker.compose.service", service.to_string()),
        (
            "com.docker.compose.project.working_dir",
            format!("/srv/{project}"),
        ),
        (
            "com.docker.compose.project.config_files",
            format!("/srv/{project}/compose.yml"),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let body = ContainerCreateBody {
        image: Some(common::IMAGE.into()),
        cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
        labels: Some(labels),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(name.clone()),
        ..Default::default()
    };
    let id = docker
        .create_container(Some(options), body)
        .await
        .expect("create a Compose-labelled container")
        .id;
    docker.start_container(&id, None).await.expect("start");
    (name, id)
}

/// Whether each container is running, as the daemon says.
async fn running(docker: &Docker, ids: &[&str]) -> Vec<bool> {
    let mut out = Vec::new();
    for id in ids {
        let inspect = docker.inspect_container(id, None).await.expect("inspect");
        out.push(inspect.state.and_then(|s| s.running) == Some(true));
    }
    out
}

/// The containers pane shows only `project` (filtered), its row selected (at 1 of its 2
/// containers: the title counts containers, not the project's row). Filtered first:
/// other tests' rows may fill the screen.
fn show_only(app: &mut App, project: &str) {
    app.wait_for("the dashboard", WAIT, |s| s.contains("Containers —"));
    app.keys(&format!("/{project}\r"));
    app.wait_for("the project's row, selected", WAIT, |s| {
        s.contains(&format!("▾ {project}")) && s.contains("(1/2")
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_is_stopped_started_and_removed_from_its_row() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-compose";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    // Short: names longer than the NAME column are cut.
    let project = format!("cmp{}", std::process::id());
    let script = "trap 'exit 0' TERM; while true; do sleep 0.1; done";
    let (web, web_id) = service(&docker, test, &project, "web", script).await;
    let (db, db_id) = service(&docker, test, &project, "db", script).await;
    let mut app = App::start(140, 40, &["--interval", "60"]);
    show_only(&mut app, &project);
    let row = app.line_with(&format!("▾ {project}")).expect("the row");
    assert!(
        row.contains("2/2 up") && row.contains(&format!("compose.yml · /srv/{project}")),
        "{row}"
    );
    // Its containers under it, indented.
    assert!(
        app.line_with(&format!("│  {db}")).is_some(),
        "{}",
        app.screen()
    );

    // Stop: it asks first, naming the project and what compose would be told.
    app.keys("x");
    app.wait_for_text(&format!("Stop project {project} (2 containers)?"));
    assert!(
        app.screen()
            .contains(&format!("docker compose -p {project} stop"))
    );
    app.keys("\r");
    app.wait_for("the project stopped", WAIT, |s| s.contains("0/2 up"));
    assert_eq!(running(&docker, &[&web_id, &db_id]).await, [false, false]);
    // Each container went as its own action: the command log has both lines.
    app.keys("L");
    app.wait_for("both stops in the command log", WAIT, |s| {
        s.contains(&format!("docker container stop --time 10 {db}"))
            && s.contains(&format!("docker container stop --time 10 {web}"))
    });
    app.keys("\x1b");
    app.wait_for("the command log to close", WAIT, |s| s.contains("▾ "));

    app.keys("s");
    app.wait_for_text(&format!("Start project {project} (2 containers)?"));
    app.keys("\r");
    app.wait_for("the project running", WAIT, |s| s.contains("2/2 up"));
    assert_eq!(running(&docker, &[&web_id, &db_id]).await, [true, true]);

    // Enter folds it: its containers' rows go, the row stays.
    app.keys("\r");
    app.wait_for("the project folded", WAIT, |s| {
        s.contains(&format!("▸ {project}")) && !s.contains(&format!("│  {db}"))
    });

    // Remove: asks (force on, as they run), then both are gone from the daemon too.
    app.keys("d");
    app.wait_for_text(&format!("Remove project {project} (2 containers)?"));
    app.keys("\r");
    app.wait_for("the project gone", WAIT, |s| {
        !s.contains(&format!("▸ {project}"))
    });
    for id in [&web_id, &db_id] {
        assert!(
            docker.inspect_container(id, None).await.is_err(),
            "{id} still exists"
        );
    }
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

/// A line with its runs of spaces made one (names are padded to one width on screen).
fn words(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every line a container wrote, with the daemon's timestamp, as `docker logs -t` gives.
async fn stamped(docker: &Docker, id: &str, name: &str) -> Vec<(String, String)> {
    let options = LogsOptions {
        stdout: true,
        stderr: true,
        timestamps: true,
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut stream = docker.logs(id, Some(options));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("a log chunk");
        for line in String::from_utf8_lossy(&chunk.into_bytes()).lines() {
            if let Some((time, text)) = line.split_once(' ') {
                out.push((time.to_string(), words(&format!("{name} │ {text}"))));
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_projects_logs_merge_in_the_daemons_time_order() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-compose-logs";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let project = format!("log{}", std::process::id());
    // Two services writing in turns, half a second apart; both done before dockpit opens,
    // so each stream's backlog arrives whole and the view must interleave them.
    let script = |who: &str, first: &str| {
        format!("sleep {first}; for i in 1 2 3 4; do echo {who}-line-$i; sleep 0.5; done")
    };
    let (api, api_id) = service(&docker, test, &project, "api", &script("api", "0")).await;
    let (worker, worker_id) =
        service(&docker, test, &project, "worker", &script("worker", "0.25")).await;
    for id in [&api_id, &worker_id] {
        common::exit_code(&docker, id).await;
    }
    let mut expected = stamped(&docker, &api_id, &api).await;
    expected.extend(stamped(&docker, &worker_id, &worker).await);
    expected.sort();
    assert_eq!(expected.len(), 8, "{expected:?}");
    let sources: Vec<bool> = expected.iter().map(|(_, l)| l.starts_with(&api)).collect();
    assert!(
        sources.windows(2).any(|w| w[0] != w[1]) && sources[0] != sources[7],
        "the services' lines interleave in time: {expected:?}"
    );

    let mut app = App::start(140, 40, &["--interval", "60"]);
    show_only(&mut app, &project);
    app.keys("l");
    app.wait_for("every line, and both streams ended", WAIT, |s| {
        s.contains("the output of all containers ended") && s.contains("worker-line-4")
    });
    let screen = app.screen();
    let shown: Vec<String> = screen
        .lines()
        .filter(|l| l.contains("-line-"))
        .map(|l| words(l.trim_start_matches('│').trim_end().trim_end_matches('│')))
        .collect();
    let wanted: Vec<String> = expected.into_iter().map(|(_, l)| l).collect();
    assert_eq!(shown, wanted, "\n{screen}");

    // Tab: one source alone, the first (api sorts before worker).
    app.keys("\t");
    app.wait_for_text(&format!("only {api}"));
    assert!(!app.screen().contains("worker-line-1"));
    app.keys("q");
    app.wait_for("the logs view to close", WAIT, |s| s.contains("▾ "));
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}
