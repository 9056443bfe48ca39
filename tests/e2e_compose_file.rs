//! End to end, Compose projects from their files (issue 26), with the real Compose v2
//! (`tests/engine.sh up compose`, DOCKPIT_COMPOSE) against the test engine: a two-service
//! project (a volume, a network, a port on 127.0.0.1, a `build:` from a local Dockerfile
//! `FROM` the seeded busybox) listed "down" from its file, brought up from keys, its
//! services shown, one service's file changed → drift → `U` recreates just it, and down from
//! keys (with its volumes: asked twice) removes it all, each checked through the Engine API.
//! A service's build from its row (`b`, its Dockerfile changed) offers to recreate it: its
//! container runs the new image, the other's is untouched, and the images pane lists the
//! image at once.
//! Then a broken file, a missing tool and a read-only dockpit, each running nothing.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::query_parameters::{ListNetworksOptions, ListVolumesOptions};
use common::screen::App;

use common::compose::{compose, services, wait_services};

const WAIT: Duration = Duration::from_secs(60);

/// A project name of this run (Compose's names: lower case, digits, `-`).
fn project(test: &str) -> String {
    format!("dpk-{test}-{}", common::run())
}

/// A fresh folder for a project's files.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dockpit-e2e-compose/{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("make the project's folder");
    dir
}

/// The two-service project's file; `rev` is web's environment (a change of it is drift).
fn compose_file(name: &str, label: &str, rev: u32) -> String {
    let image = common::IMAGE;
    format!(
        r#"name: {name}
services:
  web:
    image: {image}
    command: ["sleep", "100000"]
    # sleep ignores SIGTERM: a recreate would wait 10 s for nothing.
    stop_signal: SIGKILL
    ports: ["127.0.0.1::80"]
    volumes: ["data:/data"]
    networks: [back]
    environment: {{REV: "{rev}"}}
    labels: {{dockpit.test: "{label}"}}
  app:
    build: {{context: .}}
    command: ["sleep", "100000"]
    stop_signal: SIGKILL
    networks: [back]
    labels: {{dockpit.test: "{label}"}}
volumes:
  data: {{labels: {{dockpit.test: "{label}"}}}}
networks:
  back: {{labels: {{dockpit.test: "{label}"}}}}
"#
    )
}

/// A config file naming the tool (so the test needs nothing installed system-wide).
fn config(dir: &Path, program: &str) -> PathBuf {
    let path = dir.join("dockpit.toml");
    std::fs::write(&path, format!("[compose]\nprogram = {program:?}\n")).expect("write the config");
    path
}

/// Takes the project down with the tool itself (volumes, images, orphans), whatever the
/// test left; then the labelled containers a failed run left.
async fn teardown(docker: &Docker, test: &str, name: &str, dir: &Path) {
    let _ = std::process::Command::new(compose())
        .args([
            "-p",
            name,
            "down",
            "--volumes",
            "--rmi",
            "local",
            "--remove-orphans",
        ])
        .current_dir(dir)
        .output();
    common::cleanup(docker, test).await;
}

/// Filters the projects view to `name` (its row then is the one selected).
fn select_project(app: &mut App, name: &str) {
    app.keys("/");
    app.keys(name);
    app.keys("\r");
    app.wait_for("the project's row alone", Duration::from_secs(20), |s| {
        // "(1/1) /name", or "(1/1 of 3) /name" beside other runs' projects.
        let title = s.lines().find(|l| l.contains("Compose projects"));
        title.is_some_and(|t| t.contains(&format!(" /{name}")) && t.contains("(1/1"))
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn a_project_from_its_file_comes_up_drifts_and_goes_down_from_keys() {
    let _guard = common::screen::exclusive().await;
    let test = "compose_file_loop";
    let docker = common::docker().await;
    let program = compose();
    let name = project("loop");
    let dir = folder(&name);
    let label = common::label(test);
    std::fs::write(dir.join("compose.yml"), compose_file(&name, &label, 1))
        .expect("write the file");
    std::fs::write(
        dir.join("Dockerfile"),
        format!("FROM {}\nRUN echo built > /built\n", common::IMAGE),
    )
    .expect("write the Dockerfile");
    let config = config(&dir, &program);
    teardown(&docker, test, &name, &dir).await;

    let dir_arg = dir.display().to_string();
    let config_arg = config.display().to_string();
    let mut app = App::start(
        200,
        40,
        &["--config", &config_arg, "--compose-dir", &dir_arg],
    );
    app.wait_for_text("Containers");
    app.keys("J");
    // Down, listed from its file alone; the tool's version in the title.
    app.wait_for("the project listed down from its file", WAIT, |s| {
        s.lines().any(|l| l.contains(&name) && l.contains("down")) && s.contains("Compose 2.")
    });
    select_project(&mut app, &name);

    // Up from keys: the question shows the exact line; the tab runs it; the list is back.
    app.keys("u");
    app.wait_for_text(&format!("docker compose -p {name} -f"));
    app.keys("\r");
    let up = wait_services(&docker, &name, "up", |s| {
        s.len() == 2 && s.values().all(|(_, running)| *running)
    })
    .await;
    app.wait_for("the list back, the project running", WAIT, |s| {
        s.lines()
            .any(|l| l.contains(&name) && l.contains("2/2 running"))
            && s.contains("up -d: exited (code 0)")
    });

    // Its services.
    app.keys("\r");
    app.wait_for("its services", Duration::from_secs(20), |s| {
        s.contains(&format!("Compose services of {name}"))
            && s.lines()
                .any(|l| l.contains("web") && l.contains("127.0.0.1:") && l.contains("1/1"))
            && s.lines()
                .any(|l| l.contains("app") && l.contains(&format!("{name}-app")))
    });
    app.keys("\x1b");
    app.wait_for_text("Compose projects");

    // web's file changes: drift, and U brings up web alone.
    std::fs::write(dir.join("compose.yml"), compose_file(&name, &label, 2))
        .expect("change the file");
    app.wait_for("the drift", Duration::from_secs(20), |s| {
        s.contains("1 service out of date")
    });
    app.keys("U");
    app.wait_for_text(&format!("Bring up web of {name}?"));
    let asked = Instant::now();
    app.keys("\r");
    let after = wait_services(&docker, &name, "web recreated", |s| {
        s.get("web")
            .is_some_and(|(id, running)| *running && *id != up["web"].0)
    })
    .await;
    let took = asked.elapsed();
    println!("U → web running again: {:.2} s", took.as_secs_f64());
    assert_eq!(after["app"].0, up["app"].0, "app was not to be recreated");
    app.wait_for("no drift left", WAIT, |s| {
        // (The footer's `U` says "out of date" too: the title is what counts.)
        let title = s
            .lines()
            .find(|l| l.contains("Compose projects"))
            .unwrap_or_default();
        !title.contains("out of date")
            && s.lines()
                .any(|l| l.contains(&name) && l.contains("2/2 running"))
    });

    // Down with volumes: asked twice; then nothing of it is left.
    app.keys("d");
    app.wait_for_text("--volumes");
    app.keys("v");
    app.keys("\r");
    app.wait_for_text("Really remove");
    app.keys("\r");
    wait_services(&docker, &name, "down", |s| s.is_empty()).await;
    // Compose removes the volume and the network after the containers: the run's end first.
    app.wait_for("the down's end", WAIT, |s| {
        s.contains("down --volumes: exited (code 0)")
    });
    let volume = format!("{name}_data");
    let volumes = docker
        .list_volumes(None::<ListVolumesOptions>)
        .await
        .expect("list volumes")
        .volumes
        .unwrap_or_default();
    assert!(
        !volumes.iter().any(|v| v.name == volume),
        "its volume is left"
    );
    let network = format!("{name}_back");
    let networks = docker
        .list_networks(None::<ListNetworksOptions>)
        .await
        .expect("list networks");
    assert!(
        !networks
            .iter()
            .any(|n| n.name.as_deref() == Some(network.as_str())),
        "its network is left"
    );
    app.wait_for("down again, from its file", WAIT, |s| {
        s.lines().any(|l| l.contains(&name) && l.contains("down"))
    });
    teardown(&docker, test, &name, &dir).await;
}

/// Runs the tool itself in `dir` (a test's setup, not what is tested).
fn compose_by_hand(dir: &Path, name: &str, args: &[&str]) {
    let out = std::process::Command::new(compose())
        .args(["-p", name])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run Compose");
    assert!(
        out.status.success(),
        "compose {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_services_build_offers_to_recreate_it() {
    let _guard = common::screen::exclusive().await;
    let test = "compose_file_build";
    let docker = common::docker().await;
    let program = compose();
    let name = project("build");
    let dir = folder(&name);
    let label = common::label(test);
    std::fs::write(dir.join("compose.yml"), compose_file(&name, &label, 1))
        .expect("write the file");
    let dockerfile = |rev: u32| format!("FROM {}\nRUN echo {rev} > /built\n", common::IMAGE);
    std::fs::write(dir.join("Dockerfile"), dockerfile(1)).expect("write the Dockerfile");
    let config = config(&dir, &program);
    teardown(&docker, test, &name, &dir).await;
    compose_by_hand(&dir, &name, &["up", "-d"]);
    let up = wait_services(&docker, &name, "up", |s| {
        s.len() == 2 && s.values().all(|(_, running)| *running)
    })
    .await;

    let mut app = open(&dir, &config, &[]);
    app.wait_for("the project running", WAIT, |s| {
        s.lines()
            .any(|l| l.contains(&name) && l.contains("2/2 running"))
    });
    select_project(&mut app, &name);
    app.keys("\r");
    app.wait_for_text(&format!("Compose services of {name}"));
    // app alone (web's row says nothing of "app").
    app.keys("/app\r");
    // Its file read (labels alone list the project first): app wants 1 replica, not 0.
    app.wait_for("app's row alone, from its file", WAIT, |s| {
        let title = s.lines().find(|l| l.contains("Compose services of"));
        title.is_some_and(|t| t.contains(" /app") && t.contains("(1/1"))
            && s.lines()
                .any(|l| l.contains(&format!("{name}-app")) && l.contains(" 1/1 "))
    });

    // The Dockerfile changes; b builds app, then offers to recreate it.
    std::fs::write(dir.join("Dockerfile"), dockerfile(2)).expect("change the Dockerfile");
    app.keys("b");
    app.wait_for("the offer", WAIT, |s| {
        s.contains(&format!("Built app of {name}: recreate it with the new image?"))
            // (The line wraps in the question: its words, not the whole.)
            && s.contains("up -d --no-deps")
    });
    app.keys("\r");
    let after = wait_services(&docker, &name, "app recreated", |s| {
        s.get("app")
            .is_some_and(|(id, running)| *running && *id != up["app"].0)
    })
    .await;
    assert_eq!(after["web"].0, up["web"].0, "web was not to be recreated");
    // The new container runs the image just built.
    let inspect = docker
        .inspect_container(&after["app"].0, None)
        .await
        .expect("inspect app");
    let image = inspect.image.unwrap_or_default();
    let built = docker
        .inspect_image(&format!("{name}-app"))
        .await
        .expect("inspect the built image");
    assert_eq!(Some(image), built.id, "app does not run the new image");
    app.wait_for("the recreate's end", WAIT, |s| {
        s.contains("up -d --no-deps app: exited (code 0)")
    });
    // The image Compose built is in the images pane at once: BuildKit's build on Engine
    // 20.10 sends no event, and the next resync is a minute or more away.
    let id = built.id.unwrap_or_default();
    let short: String = id.trim_start_matches("sha256:").chars().take(12).collect();
    assert_eq!(short.len(), 12, "the built image's id: {id:?}");
    // Back to the panes: the filter, the services view, the projects view (as many Escs as
    // there are levels open then: on Engines 26 and 28 three left the projects view open).
    for _ in 0..6 {
        if app.screen().contains("┌ Images (") {
            break;
        }
        app.keys("\x1b");
        std::thread::sleep(Duration::from_millis(300));
    }
    app.wait_for_text("┌ Images (");
    app.keys(&format!(":images /{name}-app\r"));
    app.wait_for("the built image in the images pane", SOON, |s| {
        s.lines()
            .any(|l| l.contains(&format!("{name}-app")) && l.contains(&short))
    });
    teardown(&docker, test, &name, &dir).await;
}

/// Sooner than a resync of the listings (a minute or more).
const SOON: Duration = Duration::from_secs(15);

/// A project folder that runs nothing in the checks below (each would make containers).
fn quiet_project(test: &str, contents: &str) -> (String, PathBuf) {
    let name = project(test);
    let dir = folder(&name);
    std::fs::write(dir.join("compose.yml"), contents.replace("NAME", &name))
        .expect("write the file");
    (name, dir)
}

const SIMPLE: &str = "name: NAME\nservices:\n  web:\n    image: dockpit-test/busybox:1\n    command: [\"sleep\", \"100000\"]\n";

/// Opens the projects view on `dir` with `config`, extra arguments too.
fn open(dir: &Path, config: &Path, extra: &[&str]) -> App {
    let dir_arg = dir.display().to_string();
    let config_arg = config.display().to_string();
    let mut args = vec!["--config", &config_arg, "--compose-dir", &dir_arg];
    args.extend_from_slice(extra);
    let mut app = App::start(200, 40, &args);
    app.wait_for_text("Containers");
    app.keys("J");
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_file_shows_its_error_and_runs_nothing() {
    let docker = common::docker().await;
    let (name, dir) = quiet_project(
        "broken",
        "name: NAME\nservices:\n  web:\n    image: dockpit-test/busybox:1\n    ports: \"nope\"\n",
    );
    let config = config(&dir, &compose());
    let mut app = open(&dir, &config, &[]);
    let dirname = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    app.wait_for("the broken file with its error", WAIT, |s| {
        s.lines()
            .any(|l| l.contains(&dirname) && l.contains("broken file"))
    });
    select_project(&mut app, &dirname);
    app.keys("u");
    // The tool's own words, whole in the status line.
    app.wait_for_text("nothing run, its file is broken");
    app.wait_for_text("services.web.ports must be a array");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(services(&docker, &name).await.is_empty(), "something ran");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_tool_says_what_to_install() {
    let docker = common::docker().await;
    let (name, dir) = quiet_project("notool", SIMPLE);
    let config = config(&dir, "/nonexistent/docker-compose");
    let mut app = open(&dir, &config, &[]);
    app.wait_for("the tool's absence", WAIT, |s| {
        s.contains("no usable Compose v2") && s.contains("Compose not found at /nonexistent")
    });
    let dirname = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    select_project(&mut app, &dirname);
    app.keys("u");
    app.wait_for_text("nothing run");
    app.wait_for_text("install Compose v2");
    assert!(services(&docker, &name).await.is_empty(), "something ran");
}

/// Every verb refused, before anything is asked, with `words` in the status line.
async fn refuses_every_verb(test: &str, extra: &[&str], words: &str) {
    let docker = common::docker().await;
    let (name, dir) = quiet_project(test, SIMPLE);
    let config = config(&dir, &compose());
    let mut app = open(&dir, &config, extra);
    app.wait_for("the project, down", WAIT, |s| {
        s.lines().any(|l| l.contains(&name) && l.contains("down")) && s.contains("Compose 2.")
    });
    select_project(&mut app, &name);
    // (The same refusal each time: what each key proves is that nothing is asked or run.)
    for key in ["u", "d", "P", "b", "s", "x"] {
        app.keys(key);
        app.wait_for_text(words);
        // Refused before anything is asked.
        let screen = app.screen();
        assert!(
            !screen.contains("Bring up") && !screen.contains("Take down"),
            "{key} asked on a read-only host:\n{screen}"
        );
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(services(&docker, &name).await.is_empty(), "something ran");
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_refuses_every_verb() {
    refuses_every_verb("ro", &["--read-only"], "read-only mode").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_host_refuses_every_verb() {
    let host = format!("{},ro", std::env::var("DOCKER_HOST").unwrap_or_default());
    refuses_every_verb("rohost", &["-H", &host], "is read-only").await;
}
