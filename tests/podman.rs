//! Podman's Docker API (`podman system service`, `tests/engine.sh up podman`): the main paths
//! typed as a person would — lists, pause, stop, start, logs, inspect, a shell in the pane,
//! kill, remove, a pull from the local registry and the events — against the real service.
//! tests/run.sh runs this file against Podman only; the other Docker-facing files run against
//! the Docker engines, whose words and states Podman does not always share (see README).

mod common;

use std::time::Duration;

use bollard::query_parameters::RemoveImageOptions;
use common::screen::App;

const LONG: Duration = Duration::from_secs(15);

/// The containers pane's row for `name` (its cells only: the terminal pane beside it shares
/// the screen line), once on screen.
fn row(screen: &str, name: &str) -> Option<String> {
    screen.lines().find_map(|l| {
        let cells = l.strip_prefix('│')?.strip_prefix(name)?;
        Some(cells.split('│').next().unwrap_or_default().to_string())
    })
}

/// Whether the row of `name` holds every one of `words`.
fn row_has(screen: &str, name: &str, words: &[&str]) -> bool {
    row(screen, name).is_some_and(|r| words.iter().all(|w| r.contains(w)))
}

/// Fails unless DOCKER_HOST is Podman: this file's checks are Podman's.
async fn podman() -> bollard::Docker {
    let docker = common::docker().await;
    let version = docker.version().await.expect("version");
    let components = version.components.unwrap_or_default();
    assert!(
        components.iter().any(|c| c.name == "Podman Engine"),
        "DOCKER_HOST is not Podman: run with `tests/engine.sh up podman`'s DOCKER_HOST"
    );
    docker
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_containers_life_from_the_keyboard() {
    let _exclusive = common::screen::exclusive().await;
    let test = "podman-life";
    let docker = podman().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let script = "echo hello-from-podman; trap 'exit 0' TERM; while true; do sleep 0.1; done";
    let id = common::start(&docker, test, &name, &["sh", "-c", script]).await;

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for("the row running", LONG, |s| row_has(s, &name, &["running"]));
    assert!(app.screen().contains("(Podman)"), "the header names Podman");

    // Pause and unpause.
    app.select_container(&name);
    app.keys("P");
    app.wait_for("the row paused", LONG, |s| row_has(s, &name, &["paused"]));
    app.keys("P");
    app.wait_for("the row running again", LONG, |s| {
        row_has(s, &name, &["running"]) && !row_has(s, &name, &["paused"])
    });

    // Logs.
    app.keys("l");
    app.wait_for_text("hello-from-podman");
    app.keys("q");
    app.wait_for("the logs to close", LONG, |s| !s.contains("Logs ·"));

    // Inspect.
    app.select_container(&name);
    app.keys("i");
    app.wait_for_text(&format!("Inspect · {name}"));
    app.wait_for_text(&id[..12]);
    app.keys("q");
    app.wait_for("the inspect view to close", LONG, |s| {
        !s.contains("Inspect ·")
    });

    // A shell in the pane.
    app.select_container(&name);
    app.keys("e");
    app.wait_for_text(&format!("1:{name} · shell"));
    app.keys("echo sum=$((6*7))\r");
    app.wait_for_text("sum=42");
    app.leave_terminal();

    // Stop, then start.
    app.select_container(&name);
    app.keys("x");
    app.wait_for("the row exited", LONG, |s| row_has(s, &name, &["exited"]));
    app.select_container(&name);
    app.keys("s");
    app.wait_for("the row running after start", LONG, |s| {
        row_has(s, &name, &["running"])
    });

    // Kill (SIGKILL, the picker's first choice), then remove, which asks first.
    app.select_container(&name);
    app.keys("K");
    app.wait_for_text("SIGKILL");
    app.keys("\r");
    app.wait_for("the row killed", LONG, |s| {
        row_has(s, &name, &["exited", "137"])
    });
    app.select_container(&name);
    app.keys("d");
    app.wait_for_text(&format!("Remove container {name}?"));
    app.keys("\r");
    app.wait_for("the row to go", LONG, |s| row(s, &name).is_none());
    assert!(docker.inspect_container(&id, None).await.is_err());

    // The daemon's events view saw it all.
    app.keys("E");
    app.wait_for("the container's events", LONG, |s| {
        s.lines().any(|l| l.contains(&name) && l.contains("remove"))
    });
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    assert!(app.restored_screen());
    common::cleanup(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_from_the_local_registry() {
    let _exclusive = common::screen::exclusive().await;
    let _layered = common::layered_image().await;
    let docker = podman().await;
    let image = "127.0.0.1:5000/layered:1";
    let options = RemoveImageOptions {
        force: true,
        ..Default::default()
    };
    let _ = docker
        .remove_image(image, Some(options.clone()), None)
        .await;

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text("Images");
    app.keys("p");
    app.wait_for_text("Pull an image");
    app.keys("\x15"); // Ctrl-U clears the prefilled reference
    app.keys(image);
    app.keys("\r");
    app.wait_for("the pulled image in the images pane", LONG, |s| {
        s.lines()
            .any(|l| l.contains("127.0.0.1:5000/layered") && l.contains("MB"))
    });
    assert!(docker.inspect_image(image).await.is_ok(), "pulled");
    // Podman ends a pull in its own words ("Pulled …", not "Downloaded newer image").
    app.wait_for_text(&format!("Pulled {image}"));
    // The pulls view closes with q, then q quits.
    app.keys("q");
    app.wait_for("the pulls view to close", LONG, |s| {
        !s.contains("cancel the selected pull")
    });
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    let _ = docker.remove_image(image, Some(options), None).await;
}
