//! End to end: the built binary in a real pty against the test engine, typed at as a person
//! would, its screen read through a vt100 parser.

mod common;

use std::time::Duration;

use bollard::query_parameters::StopContainerOptions;
use common::screen::App;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shows_live_containers_and_quits_cleanly() {
    let test = "e2e-live";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let id = common::create(&docker, test, &name, &["sleep", "600"]).await;
    docker.start_container(&id, None).await.expect("start");

    let mut app = App::start(120, 40, &["--interval", "60"]);
    let first = app.wait_for_text(&name);
    println!("first frame with the container after {first:?}");
    let row = app.line_with(&name).expect("row");
    assert!(row.contains("running"), "{row}");
    assert!(app.screen().contains("Engine "), "header names the engine");

    // Stopped through the API: the row shows it exited, long before the 60 s poll.
    let options = StopContainerOptions {
        t: Some(0),
        ..Default::default()
    };
    docker
        .stop_container(&id, Some(options))
        .await
        .expect("stop");
    let shown = app.wait_for("the row to show exited", Duration::from_secs(5), |s| {
        s.lines().any(|l| l.contains(&name) && l.contains("exited"))
    });
    println!("stop on screen {shown:?} after the API call returned");

    // `A` in the containers pane hides stopped containers.
    app.keys("\t");
    app.keys("A");
    app.wait_for("the row to disappear", Duration::from_secs(5), |s| {
        !s.contains(&name) && s.contains("Containers — running")
    });
    app.keys("A");
    app.wait_for_text(&name);

    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    assert!(
        app.restored_screen(),
        "alternate screen left and cursor shown"
    );
    assert_eq!(app.line_discipline(), (true, true), "raw mode is off");
    common::cleanup(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_lists_the_keymap_and_closes() {
    let _docker = common::docker().await;
    let mut app = App::start(100, 30, &[]);
    app.wait_for_text("Images (");
    app.keys("?");
    app.wait_for_text("show all / running containers");
    app.keys("x");
    app.wait_for("help to close", Duration::from_secs(5), |s| {
        !s.contains("Any key closes this")
    });
    app.keys("\x03");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    assert!(app.restored_screen());
}

#[test]
fn no_daemon_screen_says_where_and_what_to_do() {
    let mut app = App::start(100, 30, &["--host", "unix:///nonexistent/docker.sock"]);
    app.wait_for_text("Cannot connect to Docker at unix:///nonexistent/docker.sock");
    app.wait_for_text("Is Docker running?");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    assert!(app.restored_screen());
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut app = App::start(100, 30, &["--host", "unix:///nonexistent/docker.sock"]);
    app.wait_for_text("Cannot connect");
    let status = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(app.pid().to_string())
        .status()
        .expect("kill");
    assert!(status.success());
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    assert!(app.restored_screen());
    assert_eq!(app.line_discipline(), (true, true));
}
