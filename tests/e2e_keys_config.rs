//! The config file end to end: the built binary in a pty with a config that remaps stop,
//! one with a mistake (named in the status line, the rest applied), and NO_COLOR.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::screen::App;

fn config_file(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "dockpit-e2e-keys-{}-{name}.toml",
        std::process::id()
    ));
    std::fs::write(&path, text).expect("write the config");
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remapped_stop_key_stops_and_help_shows_it() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-keys-config";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    // "aaa" sorts first, so the container is easy to select.
    let name = format!("aaa-{}", common::unique(test));
    let script = "trap 'exit 0' TERM; while true; do sleep 0.1; done";
    let id = common::start(&docker, test, &name, &["sh", "-c", script]).await;
    let config = config_file("stop", "[keys.containers]\nstop = \"Z\"\n");
    let path = config.to_str().expect("utf8");

    let mut app = App::start(120, 40, &["--interval", "60", "--config", path]);
    app.wait_for_text(&name);
    app.select_container(&name);
    // The footer advertises the user's key.
    app.wait_for_text("Z stop");

    // The old key no longer stops.
    app.keys("x");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let state = docker
        .inspect_container(&id, None)
        .await
        .expect("inspect")
        .state
        .and_then(|s| s.running);
    assert_eq!(state, Some(true), "x must not stop it any more");
    let row = app.line_with(&name).expect("row");
    assert!(row.contains("running"), "{row}");

    // The new one does.
    app.keys("Z");
    app.wait_for("the row to show exited", Duration::from_secs(10), |s| {
        s.lines().any(|l| l.contains(&name) && l.contains("exited"))
    });
    app.wait_for_text(&format!("Stopped {name} in"));

    // Help lists Z for stop, and x for nothing in the containers pane.
    app.keys("?");
    app.wait_for_text("Everywhere");
    let stop_line = format!("{:<16}stop", "Z");
    let old_line = format!("{:<16}stop", "x");
    for _ in 0..6 {
        if app.screen().contains(&stop_line) {
            break;
        }
        app.keys("\x1b[6~");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.wait_for("help to show Z for stop", Duration::from_secs(5), |s| {
        s.contains(&stop_line)
    });
    assert!(!app.screen().contains(&old_line), "{}", app.screen());
    app.keys("q");
    app.wait_for("help to close", Duration::from_secs(5), |s| {
        !s.contains("Any key closes this")
    });
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    std::fs::remove_file(&config).expect("cleanup");
    common::cleanup(&docker, test).await;
}

/// The user's own commands: one in a tab reads what is typed there and prints the
/// container's name; one in the background puts its output in the command log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_commands_run_in_a_tab_and_in_the_background() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-custom-commands";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    // Short: the whole name shows in its column.
    let name = format!("aaa-{}", common::unique("cc"));
    let id = common::start(&docker, test, &name, &["sleep", "600"]).await;
    let config = config_file(
        "commands",
        r#"
[[commands]]
name = "greet"
key = "Z"
# A value reaches a script as an argument, never inside it.
command = "sh -c 'read word; echo \"$word from $1\"; sleep 30' sh {name}"

[[commands]]
name = "note"
key = "N"
command = "sh -c 'echo noted-$DOCKPIT_ID'"
run = "background"
"#,
    );
    let path = config.to_str().expect("utf8");
    let mut app = App::start(140, 40, &["--interval", "60", "--config", path]);
    app.wait_for_text(&name);
    app.select_container(&name);

    app.keys("Z");
    app.wait_for_text(&format!("{name} · greet"));
    // Keys reach the command in the tab, as they reach a shell.
    app.keys("hello\r");
    app.wait_for_text(&format!("hello from {name}"));

    // Back to the panes; the background command's output goes to the command log.
    app.leave_terminal();
    app.keys("N");
    app.wait_for_text("note: exit 0");
    app.keys("L");
    app.wait_for_text(&format!("noted-{id}"));
    app.wait_for_text("$ sh -c 'echo noted-$DOCKPIT_ID'");
    app.keys("\x1b");
    // Apart, or the terminal sends Esc q as Alt-q.
    app.wait_for("the command log to close", Duration::from_secs(5), |s| {
        !s.contains("Command log")
    });
    app.keys("q");
    // The tab's command is still running: quitting asks first, naming it.
    app.wait_for_text("Quit dockpit?");
    app.wait_for_text(&format!("  {name} · greet"));
    app.keys("\r");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    std::fs::remove_file(&config).expect("cleanup");
    common::cleanup(&docker, test).await;
}

#[test]
fn a_config_mistake_is_named_in_the_status_line_and_the_rest_applies() {
    let config = config_file(
        "mistake",
        "[defaults]\nusage = true\n\n[keys.containers]\nstpo = \"Z\"\n",
    );
    let path = config.to_str().expect("utf8");
    let mut app = App::start(
        160,
        30,
        &[
            "--host",
            "unix:///nonexistent/docker.sock",
            "--config",
            path,
        ],
    );
    app.wait_for_text(&format!("config {path}:5: unknown action \"stpo\""));
    app.wait_for_text("that binding is left out");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);

    // A file named with --config must be there.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dockpit"))
        .args(["--config", "/nonexistent/dockpit.toml"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("/nonexistent/dockpit.toml: no such file")
    );
    std::fs::remove_file(&config).expect("cleanup");
}

/// Whether the bytes dockpit wrote set any colour (SGR 30–37, 40–47, 90–97, 100–107, 38;…,
/// 48;…).
fn sets_a_colour(output: &[u8]) -> bool {
    let text = String::from_utf8_lossy(output);
    text.split("\x1b[").skip(1).any(|seq| {
        let params = seq.split('m').next().unwrap_or("");
        params
            .split(';')
            .next()
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|n| matches!(n, 30..=37 | 38 | 40..=47 | 48 | 90..=97 | 100..=107))
            && seq.contains('m')
            && params.chars().all(|c| c.is_ascii_digit() || c == ';')
    })
}

#[test]
fn no_color_turns_every_colour_off() {
    let args = ["--host", "unix:///nonexistent/docker.sock"];
    let mut coloured = App::start(120, 30, &args);
    coloured.wait_for_text("Cannot connect to Docker");
    coloured.keys("q");
    assert_eq!(coloured.wait_exit(Duration::from_secs(5)), 0);
    assert!(
        sets_a_colour(&coloured.output.lock().expect("output")),
        "the default theme has colours"
    );

    let mut plain = App::start_with_env(120, 30, &args, &[("NO_COLOR", "1")]);
    plain.wait_for_text("Cannot connect to Docker");
    plain.keys("q");
    assert_eq!(plain.wait_exit(Duration::from_secs(5)), 0);
    assert!(!sets_a_colour(&plain.output.lock().expect("output")));
}
