//! Compose projects on a second host (issue 26): a project brought up on the fleet engine
//! (over TLS), listed on its host in the projects view, stopped and started from keys: each
//! `docker compose` run reaches that host alone (the test engine gets nothing of it). Run in
//! tests/run.sh's fleet stage, with Compose v2 (DOCKPIT_COMPOSE).

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use bollard::Docker;
use common::compose::{compose, services, wait_services};
use common::fleet::{fleet, fleet_dir};
use common::screen::App;

const FLEET_TLS: &str = "tcp://127.0.0.1:23760";

/// Polls until the project on `docker` has containers, each running as `want` says.
async fn wait_states(docker: &Docker, name: &str, what: &str, want: bool) {
    let all = |s: &HashMap<String, (String, bool)>| {
        !s.is_empty() && s.values().all(|(_, running)| *running == want)
    };
    wait_services(docker, name, what, all).await;
}

/// Runs the tool against the fleet engine's socket.
fn tool_on_fleet(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(compose())
        .args(args)
        .current_dir(dir)
        .env("DOCKER_HOST", format!("unix://{}/docker.sock", fleet_dir()))
        .output()
        .expect("run Compose")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_on_a_second_host_is_acted_on_there_only() {
    let _exclusive = common::screen::exclusive().await;
    let test = "fleet_compose";
    let local = common::docker().await;
    let remote = fleet().await;
    let name = format!("dpk-fleet-{}", common::run());
    let dir = std::env::temp_dir().join(format!("dockpit-e2e-compose/{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("make the project's folder");
    let label = common::label(test);
    std::fs::write(
        dir.join("compose.yml"),
        format!(
            "name: {name}\nservices:\n  web:\n    image: {}\n    command: [\"sleep\", \"100000\"]\n    stop_signal: SIGKILL\n    labels: {{dockpit.test: \"{label}\"}}\n",
            common::IMAGE
        ),
    )
    .expect("write the file");
    let config = dir.join("dockpit.toml");
    std::fs::write(&config, format!("[compose]\nprogram = {:?}\n", compose())).expect("config");
    let up = tool_on_fleet(&dir, &["up", "-d"]);
    assert!(
        up.status.success(),
        "{}",
        String::from_utf8_lossy(&up.stderr)
    );
    wait_states(&remote, &name, "up on the fleet engine", true).await;

    let local_host = std::env::var("DOCKER_HOST").expect("DOCKER_HOST");
    let certs = format!("{}/tls", fleet_dir());
    let (config_arg, dir_arg) = (config.display().to_string(), dir.display().to_string());
    let mut app = App::start_with_env(
        200,
        45,
        &[
            "--config",
            &config_arg,
            "--compose-dir",
            &dir_arg,
            "-H",
            &local_host,
            "-H",
            FLEET_TLS,
        ],
        &[("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CERT_PATH", &certs)],
    );
    app.wait_for_text("2 hosts: 2 up");
    app.keys("J");
    app.keys("/");
    app.keys(&name);
    app.keys("\r");
    // Listed once, on the fleet host (named by its address), running.
    app.wait_for(
        "the project on the fleet host",
        Duration::from_secs(30),
        |s| {
            // Its file read too (the tool found: its version in the title).
            s.contains(&format!(" /{name}"))
                && s.contains("Compose 2.")
                && s.lines().any(|l| {
                    l.contains(&name) && l.contains("127.0.0.1") && l.contains("1/1 running")
                })
        },
    );

    app.keys("x");
    app.wait_for_text(&format!("docker compose -p {name}"));
    app.keys("\r");
    app.wait_for("the stop's end", Duration::from_secs(30), |s| {
        s.contains("stop: exited (code 0)")
    });
    wait_states(&remote, &name, "stopped on the fleet engine", false).await;
    app.keys("s");
    wait_states(&remote, &name, "started on the fleet engine", true).await;
    assert!(
        services(&local, &name).await.is_empty(),
        "the test engine got some of it"
    );
    let down = tool_on_fleet(&dir, &["-p", &name, "down", "--volumes"]);
    assert!(
        down.status.success(),
        "{}",
        String::from_utf8_lossy(&down.stderr)
    );
    common::cleanup(&remote, test).await;
}
