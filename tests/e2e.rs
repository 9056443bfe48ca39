//! End to end: the built binary in a real pty against the test engine, typed at as a person
//! would, its screen read through a vt100 parser.

mod common;

use std::time::Duration;

use bollard::query_parameters::StopContainerOptions;
use common::screen::App;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shows_live_containers_and_quits_cleanly() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-live";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let id = common::start(&docker, test, &name, &["sleep", "600"]).await;

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

    // `A` in the containers pane (focused at start) hides stopped containers.
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

/// At start the containers pane has the keys, its title drawn reversed, the cursor on its
/// first row; Tab gives the keys (and the reversed title) to the images pane.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_containers_pane_has_the_keys_at_start() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-start-focus";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    common::start(&docker, test, &name, &["sleep", "60"]).await;
    let mut app = App::start(100, 30, &["--interval", "60"]);
    // Its container makes sure there is a row; other tests' may sort before it, off screen.
    app.wait_for("the first row selected", Duration::from_secs(20), |s| {
        s.contains("Containers — all (1/")
    });
    assert!(app.is_reversed("Containers — all"), "{}", app.screen());
    assert!(!app.is_reversed("Images ("));
    app.keys("\t");
    // Both titles in one wait: a frame is read as it arrives, and the images pane's title
    // (higher up) can be read redrawn before the containers pane's is.
    app.wait_for("the images pane focused", Duration::from_secs(5), |_| {
        app.is_reversed("Images (") && !app.is_reversed("Containers — all")
    });
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_lists_the_keymap_and_closes() {
    let _exclusive = common::screen::exclusive().await;
    let _docker = common::docker().await;
    let mut app = App::start(100, 30, &[]);
    app.wait_for_text("Images (");
    app.keys("?");
    app.wait_for_text("Everywhere");
    // Taller than the screen: it scrolls, a page a key, down to the containers pane's keys.
    let wanted = "show all / running containers";
    for _ in 0..8 {
        if app.screen().contains(wanted) {
            break;
        }
        let before = app.screen();
        app.keys("\x1b[6~");
        app.wait_for("a page down", Duration::from_secs(5), |s| s != before);
    }
    app.wait_for_text(wanted);
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
    let _exclusive = common::screen::exclusive_blocking();
    let mut app = App::start(100, 30, &["--host", "unix:///nonexistent/docker.sock"]);
    app.wait_for_text("Cannot connect to Docker at unix:///nonexistent/docker.sock");
    app.wait_for_text("Is Docker running?");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    assert!(app.restored_screen());
}

#[test]
fn signals_and_quit_restore_the_terminal() {
    let _exclusive = common::screen::exclusive_blocking();
    for signal in ["TERM", "HUP", "quit"] {
        let mut app = App::start(100, 30, &["--host", "unix:///nonexistent/docker.sock"]);
        app.wait_for_text("Cannot connect");
        if signal == "quit" {
            app.keys("q");
        } else {
            let status = std::process::Command::new("kill")
                .arg(format!("-{signal}"))
                .arg(app.pid().to_string())
                .status()
                .expect("kill");
            assert!(status.success());
        }
        assert_eq!(app.wait_exit(Duration::from_secs(5)), 0, "{signal}");
        assert!(
            app.restored_screen(),
            "{signal}: alternate screen left, cursor shown"
        );
        assert_eq!(
            app.line_discipline(),
            (true, true),
            "{signal}: raw mode off"
        );
        let output = app.output.lock().expect("output").clone();
        let text = String::from_utf8_lossy(&output);
        let paste_off = text
            .rfind("\x1b[?2004l")
            .expect("bracketed paste turned off");
        assert!(
            paste_off > text.rfind("\x1b[?2004h").expect("it was on"),
            "{signal}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_stop_and_remove_from_the_keyboard() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-actions";
    let _layered = common::layered_image().await;
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let image = "127.0.0.1:5000/layered:1";
    let options = bollard::query_parameters::RemoveImageOptions {
        force: true,
        ..Default::default()
    };
    let _ = docker
        .remove_image(image, Some(options.clone()), None)
        .await;
    // Found by name in the pane (other suites may add rows).
    let name = format!("aaa-{}", common::unique(test));
    let script = "trap 'exit 0' TERM; while true; do sleep 0.1; done";
    let id = common::start(&docker, test, &name, &["sh", "-c", script]).await;

    let mut app = App::start(120, 40, &["--interval", "60"]);
    app.wait_for_text(&name);

    // Pull: type the reference, see the progress, then the image in its pane.
    app.keys("p");
    app.wait_for_text("Pull an image");
    app.keys("\x15"); // Ctrl-U clears the prefilled reference
    app.keys(image);
    app.wait_for_text(&format!("$ docker image pull {image}"));
    app.keys("\r");
    app.wait_for_text(&format!("Status: Downloaded newer image for {image}"));
    app.keys("\x1b");
    // Other suites' newer images can fill the pane: the pulled one is looked for by name.
    app.keys(":images /127.0.0.1:5000/layered\r");
    app.wait_for(
        "the pulled image in the images pane",
        Duration::from_secs(5),
        |s| {
            s.lines()
                .any(|l| l.contains("127.0.0.1:5000/layered") && l.contains("MB"))
        },
    );

    // Stop: the containers pane, its row, x.
    app.keys(":ps\r");
    app.select_container(&name);
    app.keys("x");
    app.wait_for("the row to show exited", Duration::from_secs(10), |s| {
        s.lines().any(|l| l.contains(&name) && l.contains("exited"))
    });
    app.wait_for_text(&format!("Stopped {name} in"));

    // Remove: d asks first; Enter confirms.
    app.keys("d");
    app.wait_for_text(&format!("Remove container {name}?"));
    app.keys("\r");
    app.wait_for("the row to go", Duration::from_secs(10), |s| {
        !s.lines().any(|l| l.starts_with('│') && l.contains(&name))
    });
    assert!(docker.inspect_container(&id, None).await.is_err());

    // The command log shows what ran, as docker CLI commands.
    app.keys("L");
    app.wait_for_text(&format!("$ docker container rm {name}"));
    app.wait_for_text(&format!("$ docker container stop --time 10 {name}"));
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    let _ = docker.remove_image(image, Some(options), None).await;
    common::cleanup(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marked_rows_stop_together() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-marks";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let script = "trap 'exit 0' TERM; while true; do sleep 0.1; done";
    let names: Vec<String> = ["aaa-m1", "aaa-m2"]
        .iter()
        .map(|n| format!("{n}-{}", common::unique(test)))
        .collect();
    for name in &names {
        common::start(&docker, test, name, &["sh", "-c", script]).await;
    }
    let mut app = App::start(120, 40, &["--interval", "60"]);
    app.wait_for_text(&names[1]);
    // Containers pane, the first of the two; Space marks and moves down; Space marks the
    // second.
    app.select_container(&names[0]);
    app.keys(" ");
    // Another suite's row may sort between the two: each is selected by name.
    app.select_container(&names[1]);
    app.keys(" x");
    // Several rows: it asks first, naming the count; then one summary.
    app.wait_for_text("Stop 2 containers?");
    app.keys("\r");
    app.wait_for_text("Stopped 2 containers in");
    app.wait_for("both rows exited", Duration::from_secs(10), |s| {
        names.iter().all(|n| {
            s.lines()
                .any(|l| l.contains(n.as_str()) && l.contains("exited"))
        })
    });
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_structure_of_a_typed_reference() {
    let _exclusive = common::screen::exclusive().await;
    let _docker = common::docker().await;
    let mut app = App::start(120, 40, &[]);
    app.wait_for_text("Images (");
    app.keys("O");
    app.wait_for_text("Explore an image's structure");
    app.keys("127.0.0.1:5000/multi:1\r");
    app.wait_for_text("▾ index  sha256:");
    app.wait_for_text("linux/amd64");
    app.wait_for_text("linux/arm64");
    app.wait_for_text("manifest.list.v2+json");
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
}

/// Labels, env, log lines and event attributes carrying control sequences, very long and
/// wide/combining text: dockpit shows them inert. At the pty level, what it writes holds no
/// OSC/DCS sequence or bell (dockpit never writes those itself) and no erase-display that a
/// container asked for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_strings_are_shown_inert() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-hostile-strings";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let evil =
        "\x1b]0;PWNED\x07\x1b]52;c;ZXZpbA==\x07\x1bP+q\x1b\\\x1b[2J\u{202e}wide 中文 e\u{301}";
    let long = "x".repeat(5_000);
    let name = format!("aaa-s{}", std::process::id());
    let body = bollard::models::ContainerCreateBody {
        image: Some(common::IMAGE.into()),
        cmd: Some(vec![
            "sh".into(),
            "-c".into(),
            "printf \"$EVIL\\n\"; sleep 60".into(),
        ]),
        env: Some(vec![format!("EVIL={evil}"), format!("LONG={long}")]),
        labels: Some(
            [
                common::label_pair(test),
                ("evil".to_string(), evil.to_string()),
            ]
            .into(),
        ),
        ..Default::default()
    };
    let options = bollard::query_parameters::CreateContainerOptions {
        name: Some(name.clone()),
        ..Default::default()
    };
    let id = docker
        .create_container(Some(options), body)
        .await
        .expect("create")
        .id;

    let mut app = App::start(140, 40, &["--interval", "60"]);
    app.wait_for_text(&name);
    // The start event's attributes carry the label.
    docker.start_container(&id, None).await.expect("start");
    app.wait_for("running", Duration::from_secs(10), |s| {
        s.lines()
            .any(|l| l.contains(&name) && l.contains("running"))
    });
    let before = app.output.lock().expect("output").len();
    app.select_container(&name);
    app.keys("i");
    app.wait_for_text("Inspect ·");
    app.wait_for_text("evil=");
    app.keys("\t"); // the raw JSON, in the API's key order: the labels are further down
    app.wait_for_text("\"Id\"");
    app.keys("/\"evil\"\r");
    app.wait_for_text("match 1 of 1");
    app.keys("q");
    app.keys("l");
    app.wait_for_text("wide 中文");
    app.keys("q");
    app.keys("E");
    app.wait_for_text("Events ·");
    app.keys("q");
    let written = app.output.lock().expect("output")[before..].to_vec();
    let foreign = common::screen::foreign_sequences(&written);
    assert!(
        foreign.is_empty(),
        "sequences dockpit did not generate: {foreign:?}"
    );
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

#[test]
fn a_panic_restores_the_terminal() {
    let _exclusive = common::screen::exclusive_blocking();
    let mut app = App::start_with_env(
        100,
        30,
        &["--host", "unix:///nonexistent/docker.sock"],
        &[("DOCKPIT_DEBUG_PANIC", "1")],
    );
    assert_ne!(
        app.wait_exit(Duration::from_secs(5)),
        0,
        "a panic is a failure"
    );
    assert!(app.restored_screen(), "alternate screen left, cursor shown");
    assert_eq!(app.line_discipline(), (true, true), "raw mode off");
    let output = app.output.lock().expect("output").clone();
    let text = String::from_utf8_lossy(&output);
    assert!(
        text.contains("panic requested by DOCKPIT_DEBUG_PANIC"),
        "the message is shown"
    );
    let off = text
        .rfind("\x1b[?2004l")
        .expect("bracketed paste turned off");
    assert!(off > text.rfind("\x1b[?2004h").expect("it was on"));
}

#[test]
fn rapid_resizes_and_a_tiny_terminal() {
    let _exclusive = common::screen::exclusive_blocking();
    let mut app = App::start(120, 40, &["--host", "unix:///nonexistent/docker.sock"]);
    app.wait_for_text("Cannot connect");
    for (cols, rows) in [
        (30, 8),
        (200, 60),
        (80, 24),
        (39, 9),
        (41, 11),
        (20, 5),
        (120, 40),
    ] {
        app.resize(cols, rows);
        std::thread::sleep(Duration::from_millis(15));
    }
    app.resize(30, 8);
    app.wait_for_text("Terminal too small");
    app.resize(100, 30);
    app.wait_for_text("Cannot connect");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(15)), 0);
    assert!(app.restored_screen());
}

#[test]
fn help_and_version_on_the_command_line() {
    let run = |arg: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dockpit"))
            .arg(arg)
            .output()
            .expect("run dockpit");
        assert!(out.status.success(), "{arg}");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let help = run("--help");
    for flag in [
        "--host",
        "--interval",
        "--read-only",
        "--stop-timeout",
        "--prefix",
    ] {
        assert!(help.contains(flag), "--help lists {flag}");
    }
    assert_eq!(
        run("--version").trim(),
        format!("dockpit {}", env!("CARGO_PKG_VERSION"))
    );
    // Completions and the man page come from the same definition.
    let run_args = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dockpit"))
            .args(args)
            .output()
            .expect("run dockpit");
        assert!(out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    for shell in ["bash", "zsh", "fish"] {
        let script = run_args(&["completions", shell]);
        assert!(script.contains("read-only"), "{shell} completes the flags");
    }
    let man = run_args(&["man"]);
    assert!(
        man.contains(".TH dockpit 1") && man.contains("read\\-only"),
        "{man}"
    );
    // A bad value is refused with a message, before the terminal is touched.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dockpit"))
        .args(["--interval", "0"])
        .output()
        .expect("run dockpit");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0.1 and 3600 seconds"));
}

/// `dockpit completions bash | head -1`: a closed pipe is said in a line, not a panic.
#[test]
fn completions_and_man_into_a_closed_pipe_say_so_without_a_panic() {
    for args in [&["completions", "bash"][..], &["man"]] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dockpit"))
            .args(args)
            .stdout(writer)
            .output()
            .expect("run dockpit");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert!(!out.status.success(), "{args:?}");
    }
}

#[test]
fn the_escape_whitelist_catches_what_it_should() {
    use common::screen::foreign_sequences;
    // What dockpit draws with passes.
    assert!(
        foreign_sequences(b"\x1b[1;1H\x1b[38;5;6mtext\x1b[0m\x1b[K\x1b[?25l\x1b[?25h").is_empty()
    );
    // So do its alert notices (OSC 9, OSC 777), and only those titled dockpit.
    let notice = dockpit::local::notice("dockpit", "web exited (3) on prod", false, true);
    assert!(
        foreign_sequences(notice.as_bytes()).is_empty(),
        "{notice:?}"
    );
    assert_eq!(foreign_sequences(b"\x1b]9;hi\x07"), ["ESC]", "BEL"]);
    let link = "\x1b]8;id=dockpit;http://localhost:80\x1b\\8\x1b]8;;\x1b\\";
    assert!(foreign_sequences(link.as_bytes()).is_empty(), "a port link");
    assert_eq!(
        foreign_sequences(b"\x1b]8;;http://x\x1b\\"),
        ["ESC]", "ESC\\"]
    );
    // Titles, clipboard, bells, mode changes and screen clears from elsewhere do not.
    let found = foreign_sequences(b"\x1b]0;t\x07\x1b[?1000h\x1b[2J\x1bP+q\x1b\\");
    assert_eq!(
        found,
        ["ESC]", "BEL", "ESC[?1000h", "ESC[2J", "ESCP", "ESC\\"]
    );
}

/// Issue 14: `:images` then `:ps /name` switches and filters; `y` emits an OSC 52 whose
/// payload decodes to the selected container's id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_filters_and_y_copies_the_id() {
    use base64::Engine;
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-command-line";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let id = common::start(&docker, test, &name, &["sleep", "60"]).await;
    let mut app = App::start(120, 40, &["--interval", "60"]);
    app.wait_for_text(&name);
    app.keys(":images\r");
    app.wait_for_text("IMAGE ID");
    app.keys(&format!(":ps /{name}\r"));
    // The title counts the one match (and the rows before the filter, when there are more).
    app.wait_for("the filtered list", Duration::from_secs(10), |s| {
        s.contains("(1/1") && s.contains(&format!("/{name} "))
    });
    let before = app.output.lock().expect("output").len();
    app.keys("y");
    app.wait_for_text("copied the container id");
    let written = app.output.lock().expect("output")[before..].to_vec();
    let text = String::from_utf8_lossy(&written);
    let start = text.find("\x1b]52;c;").expect("an OSC 52 sequence") + 7;
    let end = start + text[start..].find('\x07').expect("its end");
    let payload = base64::engine::general_purpose::STANDARD
        .decode(&text[start..end])
        .expect("base64");
    assert_eq!(String::from_utf8_lossy(&payload), id);
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

/// Issue 25.10: inside tmux, `y` also loads tmux's buffer (`tmux load-buffer -w -`, here a
/// stand-in `tmux` first in PATH) and, with tmux's set-clipboard off, says how to enable it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn y_inside_tmux_loads_tmuxs_buffer_and_says_how_to_reach_the_clipboard() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-tmux-copy";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let id = common::start(&docker, test, &name, &["sleep", "60"]).await;
    let dir = std::env::temp_dir().join(format!("dockpit-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let script = dir.join("tmux");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncase \"$1\" in\n  load-buffer) echo \"$*\" > {0}/args; cat > {0}/buffer ;;\n  show-options) echo off ;;\nesac\n",
            dir.display()
        ),
    )
    .expect("write the stand-in");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // Wide enough for the whole status on one row.
    let mut app = App::start_with_env(
        260,
        40,
        &["--interval", "60"],
        &[("PATH", &path), ("TMUX", "/tmp/tmux-test/default,1,0")],
    );
    app.wait_for_text(&name);
    app.keys(&format!(":ps /{name}\r"));
    app.wait_for("the filtered list", Duration::from_secs(10), |s| {
        s.contains("(1/1") && s.contains(&format!("/{name} "))
    });
    app.keys("y");
    app.wait_for_text("into tmux's buffer");
    app.wait_for_text("set -g set-clipboard external");
    let buffer = std::fs::read_to_string(dir.join("buffer")).expect("tmux got the copy");
    assert_eq!(buffer, id);
    let args = std::fs::read_to_string(dir.join("args")).expect("its arguments");
    assert_eq!(args.trim(), "load-buffer -w -");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    let _ = std::fs::remove_dir_all(&dir);
    common::cleanup(&docker, test).await;
}

/// Issue 25.14: the logs of a container in a restart loop go on across its restarts, with
/// a marker line at each, each run's lines once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_follow_a_container_across_restarts() {
    use bollard::models::{ContainerCreateBody, HostConfig, RestartPolicy, RestartPolicyNameEnum};
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-restart-logs";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let body = ContainerCreateBody {
        image: Some(common::IMAGE.into()),
        cmd: Some(
            [
                "sh",
                "-c",
                "echo run-$$-$(cat /proc/uptime); sleep 1; exit 3",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ),
        labels: Some([common::label_pair(test)].into()),
        host_config: Some(HostConfig {
            restart_policy: Some(RestartPolicy {
                name: Some(RestartPolicyNameEnum::ALWAYS),
                maximum_retry_count: None,
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = common::create_named(&docker, &name, body).await;
    docker.start_container(&id, None).await.expect("start");
    let mut app = App::start(160, 40, &["--interval", "60"]);
    app.wait_for_text(&name);
    app.keys(&format!(":logs {name}\r"));
    app.wait_for_text("run-1-");
    // Two restarts later: a marker before each new run, and no line twice.
    app.wait_for("three runs in the logs", Duration::from_secs(30), |s| {
        s.matches("── restarted ──").count() >= 2 && s.matches("run-1-").count() >= 3
    });
    let screen = app.screen();
    let runs: Vec<&str> = screen.lines().filter(|l| l.contains("run-1-")).collect();
    let mut unique = runs.clone();
    unique.dedup();
    assert!(runs.len() >= 3, "{screen}");
    assert_eq!(runs.len(), unique.len(), "a line twice: {screen}");
    assert!(!screen.contains("output ended"), "{screen}");
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

/// Issue 14: a click on a row (the xterm SGR mouse sequence) selects it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_selects_a_row() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-click";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let names: Vec<String> = ["aaa-c1", "aaa-c2"]
        .iter()
        .map(|n| format!("{n}-{}", common::unique(test)))
        .collect();
    for name in &names {
        common::start(&docker, test, name, &["sleep", "60"]).await;
    }
    let mut app = App::start(120, 40, &["--interval", "60"]);
    app.wait_for_text(&names[1]);
    // The screen row of the second name (1-based for the terminal), clicked at column 5;
    // again if another suite's row moved it between the read and the click.
    let clicked = (0..5).any(|_| {
        let row = app
            .screen()
            .lines()
            .position(|l| l.contains(&names[1]))
            .expect("the row on screen")
            + 1;
        app.keys(&format!("\x1b[<0;5;{row}M\x1b[<0;5;{row}m"));
        let start = std::time::Instant::now();
        while start.elapsed() < Duration::from_secs(1) {
            if app.is_selected(&names[1]) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    });
    assert!(
        clicked,
        "the click selected {}:\n{}",
        names[1],
        app.screen()
    );
    app.keys("i");
    app.wait_for_text(&format!("Inspect · {}", names[1]));
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

/// Issue 24: a click on a column's header (found as the drawing lays it out) sorts the
/// containers pane by it, a second click the other way round.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_on_a_header_sorts_by_it() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-header";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let unique = common::unique(test);
    let names: Vec<String> = ["c1", "c2"]
        .iter()
        .map(|n| format!("{n}-{unique}"))
        .collect();
    for name in &names {
        common::start(&docker, test, name, &["sleep", "60"]).await;
    }
    let mut app = App::start(120, 40, &["--interval", "60"]);
    app.wait_for_text(&names[1]);
    // Only this test's rows: other suites' come and go on the shared engine.
    app.keys(&format!("/{unique}\r"));
    app.wait_for_text(&format!("/{unique}"));
    // Each click reverses the order and the header's arrow (names sort first, ascending).
    // Other tests' alerts may show or hide the strip under the header and move the rows
    // between a look and a click: a click that found no header changed nothing, and is
    // made again where the header is now.
    for (arrow, first, second) in [("▼", &names[1], &names[0]), ("▲", &names[0], &names[1])] {
        let sorted = format!("NAME {arrow}");
        let done = |s: &str| {
            let row = |name: &str| s.lines().position(|l| l.contains(name));
            s.contains(&sorted) && row(first) < row(second) && row(first).is_some()
        };
        for _ in 0..5 {
            let screen = app.screen();
            let header = app.line_with("NAME ").expect("the containers' header");
            let at = header.find("NAME ").expect("NAME in the header");
            // 1-based, inside the word.
            let x = header[..at].chars().count() + 2;
            let y = (screen.lines())
                .position(|l| l == header)
                .expect("the header's row")
                + 1;
            app.keys(&format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m"));
            let deadline = std::time::Instant::now() + Duration::from_secs(2);
            while std::time::Instant::now() < deadline && !done(&app.screen()) {
                std::thread::sleep(Duration::from_millis(50));
            }
            if done(&app.screen()) {
                break;
            }
        }
        app.wait_for(&sorted, Duration::from_secs(5), |s| done(s));
    }
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}
