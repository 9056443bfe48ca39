//! End to end: a container's shell inside dockpit's terminal pane, in a real pty, against
//! the test engine, while the rest of the dashboard stays live.

mod common;

use std::time::Duration;

use common::screen::App;
use dockpit::layout;
use ratatui::layout::Rect;

const LONG: Duration = Duration::from_secs(15);

/// Lines of the screen that show `text` inside the terminal pane (after a border).
fn pane_lines(screen: &str, text: &str) -> usize {
    screen
        .lines()
        .filter(|l| l.contains(&format!("│{text}")))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shell_in_the_pane_with_the_dashboard_live_around_it() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-term";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    // Short names: the list column is narrow beside the terminal pane.
    let name = format!("aaa-t{}", std::process::id());

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text("Images (");

    // Run -it from the form: image, name, a label for cleanup, tty on.
    app.keys("r");
    app.wait_for_text("Run a container");
    app.keys("\x15");
    app.keys(common::IMAGE);
    app.keys("\t");
    app.keys(&name);
    app.keys("\t\t");
    if app.screen().contains("interactive tty (-it): [ ]") {
        app.keys(" ");
    }
    app.wait_for_text("interactive tty (-it): [x]");
    app.keys("\t\t\t");
    app.keys(&format!("{}={test}", common::LABEL));
    app.wait_for_text(&format!("labels (KEY=VALUE, …): {}={test}", common::LABEL));
    app.keys("\r");
    app.wait_for("a shell prompt in the pane", LONG, |s| s.contains("│/ # "));

    app.keys("echo $((6*7))\r");
    app.wait_for("42", LONG, |s| pane_lines(s, "42 ") == 1);
    // ↑ recalls the line.
    app.keys("\x1b[A");
    app.wait_for("the recalled line", LONG, |s| {
        s.matches("/ # echo $((6*7))").count() == 2
    });
    app.keys("\r");
    app.wait_for("42 twice", LONG, |s| pane_lines(s, "42 ") == 2);

    // The outer terminal shrinks: the container's tty follows the pane.
    app.resize(140, 40);
    // As a person would: the resize lands before the next keys.
    std::thread::sleep(Duration::from_millis(100));
    let areas = layout::areas(Rect::new(0, 0, 140, 40), true, false, 1);
    let (rows, cols) = layout::inner_size(areas.terminal.expect("terminal pane"));
    app.keys("clear; stty size\r");
    let want = format!("{rows} {cols}");
    app.wait_for(&format!("stty size = {want}"), LONG, |s| {
        pane_lines(s, &format!("{want} ")) == 1
    });

    // A full-screen program draws, and q leaves it.
    app.keys("top\r");
    app.wait_for("top", LONG, |s| s.contains("Load average"));
    app.keys("q");
    // busybox top leaves its last screen behind; the shell answering proves it ended.
    app.keys("echo done-$((1+1))\r");
    app.wait_for("the shell after top", LONG, |s| {
        pane_lines(s, "done-2") == 1
    });

    // Meanwhile a container started through the API appears in the container pane.
    let other = format!("aab-t{}", std::process::id());
    common::start(&docker, test, &other, &["sleep", "60"]).await;
    app.wait_for("the API's container in the pane", LONG, |s| {
        s.contains(&other)
    });

    // Ctrl-P Ctrl-Q detaches; the container keeps running.
    app.keys("\x10\x11");
    app.wait_for_text("detached; the container keeps running");
    let inspect = docker
        .inspect_container(&name, None)
        .await
        .expect("inspect");
    assert_eq!(inspect.state.and_then(|s| s.running), Some(true));

    // Back to the panes, select the container, and attach again.
    app.keys("\x1d");
    app.select_container(&name);
    app.keys("a");
    app.wait_for_text(&format!("2:{name} · attach"));
    app.keys("\r");
    app.wait_for("a prompt after re-attaching", LONG, |s| {
        s.matches("│/ # ").count() >= 1
    });

    // exit ends the session and the container.
    app.keys("exit\r");
    app.wait_for_text("exited (code 0)");
    app.wait_for("the row to show Exited (0)", LONG, |s| {
        s.lines()
            .any(|l| l.contains(&name) && l.contains("exited") && l.contains("Exited (0)"))
    });

    app.keys("\x1d");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    assert!(app.restored_screen());
    common::cleanup(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_a_shell_and_scroll_back() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-exec";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = format!("aaa-x{}", std::process::id());
    common::start(&docker, test, &name, &["sleep", "600"]).await;

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text(&name);
    app.keys("\t");
    app.select_container(&name);
    app.keys("e");
    app.wait_for_text(&format!("1:{name} · shell"));
    // The exec's shell is busybox sh (no bash in the image), in the container.
    app.keys("cat /proc/1/cmdline; echo\r");
    app.wait_for("the container's main process", LONG, |s| {
        pane_lines(s, "sleep600") == 1
    });
    app.keys("seq 1 200\r");
    app.wait_for("the end of seq", LONG, |s| pane_lines(s, "200 ") == 1);
    // Shift-PgUp scrolls back into the history; typing returns to the live screen.
    app.keys("\x1b[5;2~");
    app.wait_for("scrolled back", LONG, |s| {
        s.contains("scrolled back") && pane_lines(s, "200 ") == 0
    });
    app.keys("echo back\r");
    app.wait_for("the live screen", LONG, |s| pane_lines(s, "back ") == 1);

    // Killing the container from the panes ends the session, with the reason.
    app.keys("\x1d");
    app.keys("K");
    app.wait_for_text("SIGKILL");
    app.keys("\r");
    app.wait_for_text("exited (code 137)");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

/// Escape sequences printed in a container (title, clipboard, hyperlink, colour palette,
/// mode changes) must never reach the outer terminal: dockpit writes only what it draws.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_output_stays_inside_the_pane() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-hostile";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = format!("aaa-h{}", std::process::id());
    common::start(&docker, test, &name, &["sleep", "600"]).await;

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text(&name);
    app.keys("\t");
    app.select_container(&name);
    app.keys("e");
    app.wait_for("a shell", LONG, |s| s.contains("│/ # "));
    let before = app.output.lock().expect("output").len();
    // OSC 0 title, OSC 52 clipboard, OSC 8 hyperlink, OSC 4 palette, mouse and bracketed
    // paste modes, a bell; then a marker.
    app.keys(concat!(
        r"printf '\033]0;PWNED\007\033]52;c;ZXZpbA==\007\033]8;;http://x\033\\link\033]8;;\033\\",
        r"\033]4;1;rgb:ff/00/00\007\033[?1000h\033[?2004h\007done-%s\n' $((2+2))",
        "\r"
    ));
    app.wait_for("the marker", LONG, |s| s.contains("done-4"));
    let written = app.output.lock().expect("output")[before..].to_vec();
    // The typed command line itself is echoed as text; only control sequences matter.
    let foreign = common::screen::foreign_sequences(&written);
    assert!(
        foreign.is_empty(),
        "sequences dockpit did not generate: {foreign:?}"
    );
    app.keys("\x1d");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}
