//! Several hosts at once, end to end: the built binary in a pty watching the test engine
//! (DOCKER_HOST) and the fleet engine (`tests/engine.sh up fleet`) over TCP with TLS. Run by
//! tests/run.sh in a stage of its own, since it stops and starts the fleet engine.

mod common;

use std::time::{Duration, Instant};

use bollard::Docker;
use common::fleet::{fleet, fleet_dir};
use common::screen::App;

const FLEET_TLS: &str = "tcp://127.0.0.1:23760";

fn engine_script(command: &str) {
    let status = std::process::Command::new("tests/engine.sh")
        .args([command, "fleet"])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run tests/engine.sh");
    assert!(status.success(), "tests/engine.sh {command} fleet failed");
}

async fn running(docker: &Docker, id: &str) -> bool {
    let inspect = docker.inspect_container(id, None).await.expect("inspect");
    inspect.state.and_then(|s| s.running) == Some(true)
}

/// The containers pane's rows, as the screen shows them.
fn row(app: &App, name: &str) -> String {
    app.line_with(name)
        .unwrap_or_else(|| panic!("no row {name}:\n{}", app.screen()))
}

/// dockpit watching the test engine and the fleet engine (over TLS), both up.
fn watch_both() -> App {
    let local_host = std::env::var("DOCKER_HOST").expect("DOCKER_HOST");
    let certs = format!("{}/tls", fleet_dir());
    let app = App::start_with_env(
        160,
        45,
        &["--interval", "60", "-H", &local_host, "-H", FLEET_TLS],
        &[("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CERT_PATH", &certs)],
    );
    app.wait_for_text("2 hosts: 2 up");
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hosts_live_at_once_each_acted_on_alone() {
    let _exclusive = common::screen::exclusive().await;
    let test = "fleet";
    let local = common::docker().await;
    let remote = fleet().await;
    common::cleanup(&local, test).await;
    common::cleanup(&remote, test).await;
    let tag = std::process::id();
    // "fl<pid>-…": a filter of its own shows these rows only.
    let name = |what: &str| format!("fl{tag}-{what}");
    let script = [
        "sh",
        "-c",
        "trap 'exit 0' TERM; while true; do sleep 0.1; done",
    ];
    let on_local = common::start(&local, test, &name("here"), &script).await;
    let spare = common::start(&local, test, &name("spare"), &script).await;
    let on_remote = common::start(&remote, test, &name("there"), &script).await;
    common::start(&remote, test, &name("shell"), &script).await;

    let mut app = watch_both();
    app.keys("/");
    app.keys(&format!("fl{tag}"));
    app.keys("\r");
    for what in ["here", "spare", "there", "shell"] {
        app.wait_for_text(&name(what));
    }
    // Each row names its host: the remote one by its address.
    assert!(
        row(&app, &name("there")).contains("127.0.0.1"),
        "{}",
        app.screen()
    );
    assert!(!row(&app, &name("here")).contains("127.0.0.1"));

    // Stopping the remote container from its row stops it there, and nothing here.
    app.select_container(&name("there"));
    app.keys("x");
    app.wait_for(
        "the remote row to show exited",
        Duration::from_secs(15),
        |s| {
            s.lines()
                .any(|l| l.contains(&name("there")) && l.contains("exited"))
        },
    );
    assert!(!running(&remote, &on_remote).await);
    assert!(running(&local, &on_local).await);
    // The command log says where, as the docker CLI would be told.
    app.keys("L");
    app.wait_for_text(&format!("docker -H {FLEET_TLS} container stop"));
    app.keys("q");
    app.wait_for("the command log to close", Duration::from_secs(5), |s| {
        !s.contains("Command log")
    });

    // A shell on each host at once.
    app.select_container(&name("here"));
    app.keys("e");
    app.wait_for_text(&format!("/{} · shell", name("here")));
    app.keys("echo here-$((40+2))\r");
    app.wait_for_text("here-42");
    app.leave_terminal();
    app.select_container(&name("shell"));
    app.keys("e");
    app.wait_for_text(&format!("127.0.0.1/{} · shell", name("shell")));
    app.keys("echo there-$((40+3))\r");
    app.wait_for_text("there-43");
    app.leave_terminal();

    // The remote daemon dies: only its banner; the local host stays live and actionable.
    engine_script("down");
    app.wait_for_text("✗ 127.0.0.1 disconnected");
    app.wait_for_text("2 hosts: 1 up, 1 down");
    app.select_container(&name("spare"));
    app.keys("x");
    app.wait_for("the local stop", Duration::from_secs(15), |s| {
        s.lines()
            .any(|l| l.contains(&name("spare")) && l.contains("exited"))
    });
    assert!(!running(&local, &spare).await);
    // Its rows are stale: state unknown, when last seen; never "running".
    app.wait_for("the remote row stale", Duration::from_secs(5), |s| {
        s.lines().any(|l| {
            l.contains(&format!("{} ", name("shell")))
                && l.contains("  ?  ")
                && l.contains("last seen")
                && !l.contains("running")
        })
    });
    // An action on the dead host's rows is refused, naming it.
    app.select_container(&name("shell"));
    app.keys("s");
    app.wait_for_text("127.0.0.1 is down");

    // Back: live again within 2 s of answering (dockpit retries every second).
    engine_script("up");
    let answered = Instant::now();
    app.wait_for("both hosts up", Duration::from_secs(10), |s| {
        s.contains("2 hosts: 2 up")
    });
    let back = answered.elapsed();
    assert!(back < Duration::from_secs(2), "live again after {back:?}");
    // Its error leaves the status line; its rows are live again.
    app.wait_for_text("127.0.0.1 is back");
    assert!(!app.screen().contains("127.0.0.1 is down"));
    // (The daemon's restart ended its containers: the row says so, as the daemon lists it.)
    app.wait_for("the remote row live again", Duration::from_secs(10), |s| {
        s.lines().any(|l| {
            l.contains(&format!("{} ", name("shell")))
                && l.contains("exited")
                && !l.contains("last seen")
        })
    });

    // The hosts view: add the fleet engine's socket as a third host and remove it, while
    // the shell on the local host keeps running.
    app.keys("H");
    app.wait_for_text("Docker hosts and contexts");
    app.keys("n");
    app.wait_for_text("Watch another Docker host");
    app.keys(&format!("unix://{}/docker.sock\r", fleet_dir()));
    app.wait_for_text("3 hosts: 3 up");
    app.wait_for_text("dockpit-engine-fleet");
    // The live hosts come first, in the order added.
    app.keys("gjj");
    // Removing a host asks first, naming it.
    app.keys("d");
    app.wait_for_text("Remove host dockpit-engine-fleet?");
    app.wait_for_text("; its rows go and its");
    app.wait_for_text("The host itself is not changed.");
    app.keys("\r");
    app.wait_for_text("removed dockpit-engine-fleet");
    app.wait_for_text("2 hosts: 2 up");
    app.keys("q");
    app.wait_for("the hosts view to close", Duration::from_secs(5), |s| {
        !s.contains("Docker hosts and contexts")
    });
    // The local shell's tab (the first), then into the pane.
    app.keys("[");
    app.keys("o");
    app.wait_for("the local shell's tab", Duration::from_secs(5), |s| {
        s.contains("here-42")
    });
    app.keys("echo still-$((40+4))\r");
    app.wait_for_text("still-44");
    // The remote host's rows are back, and no third host's are left.
    app.wait_for_text(&name("there"));
    app.leave_terminal();
    app.keys("q");
    app.wait_for_text("Quit dockpit?");
    app.keys("\r");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&local, test).await;
    common::cleanup(&fleet().await, test).await;
}

/// Volumes of both hosts listed at once, a HOST column saying whose; remove asks naming the
/// row's host and removes it there only (the same name on the other host stays). The hosts
/// view's question goes over it and Esc gives the view back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn volumes_of_both_hosts_at_once_each_removed_on_its_own_host() {
    let _exclusive = common::screen::exclusive().await;
    let test = "fleet-volumes";
    let local = common::docker().await;
    let remote = fleet().await;
    let volume = common::unique("flvol");
    for docker in [&local, &remote] {
        let _ = docker
            .remove_volume(
                &volume,
                None::<bollard::query_parameters::RemoveVolumeOptions>,
            )
            .await;
        let body = bollard::models::VolumeCreateRequest {
            name: Some(volume.clone()),
            labels: Some([common::label_pair(test)].into()),
            ..Default::default()
        };
        docker.create_volume(body).await.expect("create a volume");
    }
    let mut app = watch_both();
    app.keys("V");
    app.wait_for_text("Volumes (");
    app.keys(&format!("/{volume}\r"));
    // Rows, not the title (which shows the filter).
    let rows = |s: &str| {
        s.lines()
            .filter(|l| l.starts_with('│') && l.contains(&volume))
            .count()
    };
    // Each host's listing comes on its own: wait for the row of each, by its HOST cell.
    let on = |s: &str, host: &str| {
        s.lines()
            .any(|l| l.starts_with('│') && l.contains(&volume) && l.contains(host))
    };
    app.wait_for("both hosts' rows", Duration::from_secs(15), |s| {
        on(s, "127.0.0.1") && on(s, "dockpit-engine ")
    });
    // The remote one alone (`@host`), then removed: asked about by host.
    app.keys(&format!("/{volume} @127.0.0.1\r"));
    app.wait_for("the remote row only", Duration::from_secs(5), |s| {
        rows(s) == 1 && s.contains("@127.0.0.1 ")
    });
    app.keys("d");
    app.wait_for_text(&format!("Remove volume {volume} on 127.0.0.1?"));
    app.keys("\r");
    app.wait_for("the remote row to go", Duration::from_secs(15), |s| {
        rows(s) == 0
    });
    assert!(
        remote.inspect_volume(&volume).await.is_err(),
        "removed there"
    );
    local
        .inspect_volume(&volume)
        .await
        .expect("the local one stays");
    // Esc clears the filter, then closes the view.
    app.keys("\x1b");
    app.wait_for("the filter cleared", Duration::from_secs(5), |s| {
        !s.contains("@127.0.0.1")
    });
    app.keys("\x1b");
    app.wait_for("the view to close", Duration::from_secs(5), |s| {
        !s.contains("Volumes (")
    });
    // The hosts view: its question goes over it, and Esc gives the view back.
    app.keys("H");
    app.wait_for_text("Docker hosts and contexts");
    app.keys("j");
    app.keys("d");
    app.wait_for_text("Remove host 127.0.0.1?");
    app.keys("\x1b");
    app.wait_for("the hosts view back", Duration::from_secs(5), |s| {
        s.contains("Docker hosts and contexts") && !s.contains("Remove host")
    });
    app.keys("q");
    app.wait_for("the hosts view to close", Duration::from_secs(5), |s| {
        !s.contains("Docker hosts and contexts")
    });
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    for docker in [&local, &remote] {
        let _ = docker
            .remove_volume(
                &volume,
                None::<bollard::query_parameters::RemoveVolumeOptions>,
            )
            .await;
    }
}

/// `ssh://`: dockpit runs the system ssh (here with the key the engine script's agent
/// holds), which runs `docker system dial-stdio` on the far side; a shell opens through it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ssh_host_is_listed_and_a_shell_opens_through_it() {
    let _exclusive = common::screen::exclusive().await;
    let test = "fleet-ssh";
    let remote = fleet().await;
    common::cleanup(&remote, test).await;
    let name = format!("ssh{}", std::process::id());
    common::start(&remote, test, &name, &["sleep", "600"]).await;
    let agent = format!("{}/ssh/agent.sock", fleet_dir());
    assert!(
        std::path::Path::new(&agent).exists(),
        "no ssh agent at {agent}: tests/engine.sh up fleet starts it"
    );
    let mut app = App::start_with_env(
        140,
        40,
        &["--interval", "60", "-H", "ssh://root@127.0.0.1"],
        &[("SSH_AUTH_SOCK", &agent)],
    );
    app.wait_for_text(&name);
    app.select_container(&name);
    app.keys("e");
    app.wait_for_text(&format!("{name} · shell"));
    app.keys("echo via-ssh-$((6*7))\r");
    app.wait_for_text("via-ssh-42");
    app.leave_terminal();
    app.keys("q");
    app.wait_for_text("Quit dockpit?");
    app.keys("\r");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&remote, test).await;
}

/// An ssh host whose key is not known is refused (bollard's own transport would have added
/// it silently), with how to accept it; once its key is known, the same host answers. ssh
/// is pointed at a config of the test's own (`ssh -F`): its known_hosts and the agent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_ssh_host_key_is_refused_and_a_known_one_connects() {
    use dockpit::docker::{ConnectError, ConnectErrorKind, Endpoint, EndpointSource};
    let ssh = format!("{}/ssh", fleet_dir());
    let host_key = std::fs::read_to_string(format!("{ssh}/host_key.pub"))
        .expect("tests/engine.sh up fleet makes the sshd's host key");
    let key: Vec<&str> = host_key.split_whitespace().take(2).collect();
    let dir = std::env::temp_dir().join(format!("dockpit-known-hosts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = |known: &str| {
        let known_hosts = dir.join(known);
        let file = dir.join(format!("{known}.config"));
        let text = format!(
            "UserKnownHostsFile {}\nGlobalKnownHostsFile /dev/null\nIdentityAgent {ssh}/agent.sock\n",
            known_hosts.display()
        );
        std::fs::write(&file, text).expect("write the ssh config");
        file
    };
    std::fs::write(dir.join("empty"), "").expect("write known_hosts");
    std::fs::write(dir.join("known"), format!("127.0.0.1 {}\n", key.join(" ")))
        .expect("write known_hosts");
    let host = "ssh://root@127.0.0.1";
    let endpoint = Endpoint {
        host: host.into(),
        source: EndpointSource::Flag,
        tls: None,
    };
    let version = bollard::API_DEFAULT_VERSION;

    let stranger =
        dockpit::docker::ssh::client(host, 30, version, Some(&config("empty"))).expect("a client");
    let refused = stranger
        .version()
        .await
        .expect_err("an unknown host key is refused");
    let error = ConnectError::from_bollard(&endpoint, &refused);
    assert_eq!(error.kind, ConnectErrorKind::HostKeyUnknown, "{error}");
    assert!(error.hint().contains("ssh-keyscan"), "{}", error.hint());
    assert!(
        std::fs::read_to_string(dir.join("empty"))
            .expect("read")
            .is_empty(),
        "the key was added to known_hosts"
    );

    let known =
        dockpit::docker::ssh::client(host, 30, version, Some(&config("known"))).expect("a client");
    let answer = known.version().await;
    let _ = std::fs::remove_dir_all(&dir);
    assert!(answer.is_ok(), "a known host key: {answer:?}");
}
