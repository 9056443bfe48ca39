//! While you were away, end to end: dockpit quits, a labelled container exits 3 while it is
//! closed, and dockpit started again with the same state folder names it in the strip.

mod common;

use std::time::Duration;

use common::screen::App;

/// The rules narrowed to this test's label: another suite's container that dies on the
/// shared engine meanwhile is not ours to read in the strip.
fn config(dir: &std::path::Path, test: &str) -> std::path::PathBuf {
    let only = format!("label:{}", common::label_filter(test));
    let rules: String = ["exited", "oom", "signal", "unhealthy", "restart-loop"]
        .iter()
        .map(|k| format!("[alerts.{k}]\nmatch = {only:?}\n"))
        .collect();
    let path = dir.join("config.toml");
    std::fs::write(&path, format!("[alerts]\nnotify = false\n{rules}")).expect("config");
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_container_that_exits_while_dockpit_is_closed_is_named_on_its_return() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-away";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let id = common::create(&docker, test, &name, &["sh", "-c", "exit 3"]).await;
    let state = common::screen::fresh_state_dir();
    std::fs::create_dir_all(&state).expect("state folder");
    let config = config(&state, test);
    let kept = state.join("dockpit").join("last-events.json");
    let env = [
        ("XDG_STATE_HOME", state.to_str().expect("utf-8")),
        ("XDG_DATA_HOME", state.to_str().expect("utf-8")),
    ];
    let args = [
        "--interval",
        "60",
        "--config",
        config.to_str().expect("utf-8"),
    ];
    // The first run sees the container's create event, and keeps its time at quit.
    let mut app = App::start_with_env(220, 40, &args, &env);
    app.wait_for_text(&name);
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    let times = std::fs::read_to_string(&kept).expect("the last event times kept at quit");
    assert!(times.contains(':'), "{times}");
    // While it is closed: the container runs and exits 3 by itself.
    docker.start_container(&id, None).await.expect("start");
    let start = std::time::Instant::now();
    loop {
        let state = (docker.inspect_container(&id, None).await)
            .ok()
            .and_then(|c| c.state);
        if state
            .as_ref()
            .is_some_and(|s| s.running != Some(true) && s.exit_code == Some(3))
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never exited: {state:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Started again with the same state folder: the strip names it, as past.
    let app = App::start_with_env(220, 40, &args, &env);
    let said = format!("while you were away: {name} exited (3) at ");
    app.wait_for("the away line", Duration::from_secs(15), |s| {
        s.lines().nth(2).is_some_and(|l| l.contains(&said))
    });
    let mut app = app;
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
    let _ = std::fs::remove_dir_all(&state);
}
