//! The timeline, end to end: the built binary in a real pty against the test engine. Other
//! suites' containers change state on the shared engine too: the test filters the timeline
//! to its own container's name and reads only those rows.

mod common;

use std::time::Duration;

use common::screen::App;

/// The timeline's rows (inside the list's frame) that name `name`.
fn rows_of(screen: &str, name: &str) -> Vec<String> {
    (screen.lines())
        .filter(|l| l.starts_with('│') && l.contains(name))
        .map(str::to_string)
        .collect()
}

/// A labelled container stopped from the keys, started again and killed from outside
/// through the API: the timeline shows the stop's events asked by dockpit (its docker
/// line), and the outside start and kill (signal 9, exit 137) as "outside dockpit"; `Enter`
/// on the kill shows both runs' first lines (within a minute before it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timeline_says_who_asked_a_stop_from_the_keys_and_an_outside_kill() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-timeline";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let script = "echo up-$(date +%s); trap 'exit 0' TERM; while true; do sleep 0.1; done";
    let id = common::start(&docker, test, &name, &["sh", "-c", script]).await;

    let mut app = App::start(200, 40, &["--interval", "60"]);
    app.wait_for_text(&name);
    app.select_container(&name);
    app.keys("x");
    app.wait_for_text(&format!("Stopped {name} in"));
    // Past the stop's window: what follows is not the stop's.
    tokio::time::sleep(Duration::from_secs(3)).await;
    docker.start_container(&id, None).await.expect("start");
    // Its second run has said so (a kill at once could come before the echo).
    common::wait_for_output(&docker, &id, "up-", 2).await;
    let options = bollard::query_parameters::KillContainerOptions {
        signal: "SIGKILL".into(),
    };
    docker
        .kill_container(&id, Some(options))
        .await
        .expect("kill");

    app.keys("~");
    app.wait_for_text("Timeline (");
    app.keys(&format!("/{name}\r"));
    let stop = format!("docker container stop --time 10 {name}");
    let has = |rows: &[String], event: &str, words: &[&str]| {
        rows.iter().any(|r| {
            r.split_whitespace().nth(1) == Some(event) && words.iter().all(|w| r.contains(w))
        })
    };
    app.wait_for(
        "the stop and the outside kill",
        Duration::from_secs(15),
        |s| {
            let rows = rows_of(s, &name);
            has(&rows, "stop", &[&stop])
                && has(&rows, "kill", &[" 15 ", &stop])
                && has(&rows, "die", &[" 0 ", &stop])
                && has(&rows, "start", &["outside dockpit"])
                && has(&rows, "kill", &[" 9 ", "outside dockpit"])
                && has(&rows, "die", &[" 137 ", "outside dockpit"])
        },
    );
    // Newest first: the outside kill's death leads.
    let rows = rows_of(&app.screen(), &name);
    let first = rows.first().expect("its rows");
    assert!(
        first.contains(" die ") && first.contains("137") && first.contains("outside dockpit"),
        "{rows:#?}"
    );
    // Enter: its logs around that moment, read once (the daemon's `until`), over the list.
    app.keys("\r");
    app.wait_for("the logs of that moment", Duration::from_secs(10), |s| {
        s.contains(&format!("{name} at ")) && s.matches("up-").count() == 2
    });
    app.keys("q");
    app.wait_for_text("Timeline (");
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

/// A run from the form names no container when it starts: once the create answers, the
/// new container's `create` and `start` are credited to the run's docker line, not to
/// "outside dockpit".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_runs_own_create_and_start_are_credited_to_it() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-timeline-run";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let mut app = App::start(220, 40, &["--interval", "60"]);
    app.wait_for_text("Images (");
    // The form: image, name, then on to the labels (a label for cleanup), detached.
    app.keys("r");
    app.wait_for_text("Run a container");
    app.keys("\x15");
    app.keys(common::IMAGE);
    app.keys("\t");
    app.keys(&name);
    app.keys("\t\t\t\t\t");
    app.keys(&common::label_filter(test));
    app.wait_for_text(&format!(
        "labels (KEY=VALUE, …): {}",
        common::label_filter(test)
    ));
    // The form suggests -it from the image first shown when its command is a shell, if
    // that answer came before the image was typed over (clean run 33): this run is detached.
    if app.screen().contains("[x] interactive tty") {
        app.keys("\x1b[Z\x1b[Z\x1b[Z ");
        app.wait_for_text("[ ] interactive tty");
    }
    app.keys("\r");
    app.wait_for_text(&format!("Started {name}"));
    app.keys("~");
    app.wait_for_text("Timeline (");
    app.keys(&format!("/{name}\r"));
    let run = "docker container run -d --name";
    let by_run = |rows: &[String], event: &str| {
        rows.iter()
            .any(|r| r.split_whitespace().nth(1) == Some(event) && r.contains(run))
    };
    app.wait_for(
        "its create and start, the run's",
        Duration::from_secs(15),
        |s| {
            let rows = rows_of(s, &name);
            by_run(&rows, "create") && by_run(&rows, "start")
        },
    );
    assert!(
        !rows_of(&app.screen(), &name)
            .iter()
            .any(|r| r.contains("outside dockpit") && !r.contains(" die ")),
        "{:#?}",
        rows_of(&app.screen(), &name)
    );
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}
