//! The daemon goes away while dockpit runs, and comes back. This binary stops and restarts
//! the test engine's dockerd, so it holds the only test in it.

mod common;

use std::time::{Duration, Instant};

use common::screen::App;

/// The engine tests/engine.sh restarts (DOCKPIT_ENGINE: 20.10 or 26, as tests/run.sh sets
/// it), checked to be the one at DOCKER_HOST before anything is stopped.
fn engine_script(command: &str) -> std::process::Command {
    let mut script = std::process::Command::new("tests/engine.sh");
    script.arg(command);
    script
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_the_daemon_stopping_and_comes_back_by_itself() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-faults";
    let docker = common::docker().await;
    // Stop only the daemon this test talks to, and only if the script would restart that one.
    let env = engine_script("env").output().expect("tests/engine.sh env");
    let host = std::env::var("DOCKER_HOST").unwrap_or_default();
    assert_eq!(
        String::from_utf8_lossy(&env.stdout).trim(),
        format!("DOCKER_HOST={host}"),
        "tests/engine.sh would restart another engine: set DOCKPIT_ENGINE to the one at DOCKER_HOST"
    );
    common::cleanup(&docker, test).await;
    let name = format!("aaa-f{}", std::process::id());
    // Exits at once on SIGTERM, so the daemon's shutdown does not wait for it.
    let script = "trap 'exit 0' TERM; while true; do echo tick; sleep 0.2; done";
    let id = common::start(&docker, test, &name, &["sh", "-c", script]).await;

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text(&name);
    app.select_container(&name);
    app.keys("a");
    app.wait_for(
        "its output in the pane (read-only)",
        Duration::from_secs(10),
        |s| s.contains("│tick") && s.contains("read-only"),
    );
    app.keys("\x1d");

    // Stop the engine's dockerd, by its pidfile.
    let pid = std::fs::read_to_string(format!("{}/docker.pid", common::engine_dir()))
        .expect("dockerd's pidfile")
        .trim()
        .to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let stopped = Instant::now();
    let noticed = app.wait_for("the lost-connection banner", Duration::from_secs(10), |s| {
        s.contains("disconnected, retrying") && s.contains("— stale")
    });
    println!("connection loss shown after {:?}", stopped.elapsed());
    assert!(noticed < Duration::from_secs(1), "took {noticed:?}");
    // The last known rows stay; the session ends with a clear message.
    assert!(app.screen().contains(&name));
    app.wait_for_text("the connection to Docker was lost");
    // Actions are refused with a message while the daemon is gone.
    app.keys("x");
    app.wait_for_text("not connected to Docker at");

    // Bring it back once the old daemon has fully exited (while it shuts down it still
    // answers pings, and the script would take it for a running engine); dockpit comes
    // alive by itself.
    let gone = Instant::now();
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        assert!(
            gone.elapsed() < Duration::from_secs(30),
            "dockerd did not exit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let up = engine_script("up")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("tests/engine.sh up");
    assert!(up.success());
    let back = Instant::now();
    app.wait_for("live again", Duration::from_secs(10), |s| {
        s.contains("Engine ") && !s.contains("disconnected")
    });
    let alive = back.elapsed();
    println!("live again {alive:?} after the daemon answered");
    assert!(alive < Duration::from_secs(2), "took {alive:?}");
    // Lists are fresh (the daemon's shutdown stopped the container) and events flow again.
    app.wait_for("the row to show exited", Duration::from_secs(5), |s| {
        s.lines().any(|l| l.contains(&name) && l.contains("exited"))
    });
    let docker = common::docker().await;
    docker
        .start_container(&id, None)
        .await
        .expect("start again");
    app.wait_for(
        "an event after the reconnect",
        Duration::from_secs(5),
        |s| {
            s.lines()
                .any(|l| l.contains(&name) && l.contains("running"))
        },
    );
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}
