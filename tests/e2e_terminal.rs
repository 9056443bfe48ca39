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
    // Read once the cursor is on the field (a frame half drawn says neither).
    app.wait_for("the tty field selected", Duration::from_secs(10), |s| {
        s.contains("▸ interactive tty (-it): [")
    });
    if app.screen().contains("▸ interactive tty (-it): [ ]") {
        app.keys(" ");
    }
    app.wait_for_text("interactive tty (-it): [x]");
    app.keys("\t\t\t");
    app.keys(&common::label_filter(test));
    app.wait_for_text(&format!(
        "labels (KEY=VALUE, …): {}",
        common::label_filter(test)
    ));
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
    // With or without the alerts strip: another suite's container on the shared engine that
    // exits non-zero raises an alert, and the strip takes a row.
    let want: Vec<String> = [0, 1]
        .map(|strip| {
            let areas = layout::areas(Rect::new(0, 0, 140, 40), true, false, 1, None, strip);
            let (rows, cols) = layout::inner_size(areas.terminal.expect("terminal pane"));
            format!("{rows} {cols} ")
        })
        .into();
    app.keys("clear; stty size\r");
    app.wait_for(&format!("stty size = {want:?}"), LONG, |s| {
        want.iter().any(|w| pane_lines(s, w) == 1)
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
    // The shell is live: quitting asks first.
    app.wait_for_text("Quit dockpit?");
    app.keys("\r");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

/// The footer's line (the screen's last).
fn footer(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

/// Starts dockpit at `cols`×`rows` with a shell open in `name` (running), focused.
fn shell_in(name: &str, cols: u16, rows: u16) -> App {
    let mut app = App::start(cols, rows, &["--interval", "60"]);
    app.wait_for_text(name);
    app.select_container(name);
    app.keys("e");
    app.wait_for("a shell prompt", LONG, |s| s.contains("│/ # "));
    app
}

/// Issue 10, defect 9: zoom toggles from inside the pane through the prefix without typing
/// into the container, and leaving a zoomed pane shows the panes again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_prefix_zooms_from_inside_and_leaving_shows_the_panes() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-zoom";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = format!("aaa-z{}", std::process::id());
    common::start(&docker, test, &name, &["sleep", "600"]).await;
    let mut app = shell_in(&name, 160, 45);

    // The prefix waits for its key, and says so.
    app.keys("\x1d");
    app.wait_for("the pending prefix", LONG, |s| {
        s.contains("Ctrl-] … z zoom") && footer(s).contains("zoom")
    });
    app.keys("z");
    app.wait_for("the pane zoomed", LONG, |s| {
        !s.contains("Containers —") && !s.contains("Ctrl-] …")
    });
    // Focus stayed in the pane, and no z reached the shell.
    app.keys("echo zoom-$((3+4))\r");
    app.wait_for("the shell's answer", LONG, |s| pane_lines(s, "zoom-7") == 1);
    assert!(!app.screen().contains("zecho"), "{}", app.screen());
    // The prefix and z again: unzoomed, still typing into the shell.
    app.keys("\x1dz");
    app.wait_for("the panes again", LONG, |s| s.contains("Containers —"));
    app.keys("echo unzoomed-$((1+1))\r");
    app.wait_for("the shell's answer", LONG, |s| {
        pane_lines(s, "unzoomed-2") == 1
    });
    // Zoomed, a pane key after the prefix leaves: the panes show, and the footer is theirs.
    app.keys("\x1dz");
    app.wait_for("zoomed", LONG, |s| !s.contains("Containers —"));
    app.keys("\x1dj");
    app.wait_for("the panes and their footer", LONG, |s| {
        s.contains("Containers —") && footer(s).contains("s start")
    });
    app.keys("q");
    app.wait_for_text("Quit dockpit?");
    app.keys("\r");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

/// Issue 10, defect 2: keys typed for a shell that could not open, or after a session ended,
/// never act on containers; q and w ask before live sessions end, naming them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_typed_for_a_shell_never_act_on_containers() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-stray";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let exited = format!("aaa-s{}", std::process::id());
    let running = format!("aab-s{}", std::process::id());
    common::create(&docker, test, &exited, &["sleep", "600"]).await;
    common::start(&docker, test, &running, &["sleep", "600"]).await;

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text(&running);
    app.select_container(&exited);
    app.keys("e");
    app.wait_for("the failure in the tab", LONG, |s| {
        s.contains("a shell needs it running") && s.contains(&format!("1:{exited} · shell"))
    });
    // Typed for the shell: s would start the container, e open a shell, q quit.
    app.keys("seq 1 30\r");
    std::thread::sleep(Duration::from_millis(500));
    let inspect = docker
        .inspect_container(&exited, None)
        .await
        .expect("inspect");
    let state = inspect.state.unwrap_or_default();
    assert_ne!(state.running, Some(true), "a typed s started it");
    let screen = app.screen();
    assert!(!screen.contains("Quit dockpit?"), "{screen}");
    assert!(!screen.contains("2:"), "a typed e opened a tab:\n{screen}");
    // Esc returns to the panes.
    app.keys("\x1b");
    app.wait_for("the panes' footer", LONG, |s| footer(s).contains("s start"));

    // A live shell: q asks, naming it; Esc stays.
    app.select_container(&running);
    app.keys("e");
    app.wait_for("a shell prompt", LONG, |s| s.contains("│/ # "));
    app.keys("\x1dq");
    app.wait_for("the question", LONG, |s| {
        s.contains("Quit dockpit?") && s.contains(&format!("{running} · shell"))
    });
    app.keys("\x1b");
    app.wait_for("no question", LONG, |s| !s.contains("Quit dockpit?"));
    // w on the live tab asks too; Esc keeps it.
    app.keys("w");
    app.wait_for_text(&format!("Close {running} · shell?"));
    app.keys("\x1b");
    app.wait_for("no question", LONG, |s| !s.contains("Close "));

    // The session ends while focused: the next key returns to the panes and does nothing
    // else (x would stop the selected container).
    app.keys("o");
    app.keys("exit\r");
    app.wait_for_text("exited (code 0)");
    app.wait_for_text("any key: back to the panes");
    app.keys("x");
    app.wait_for("the panes' footer", LONG, |s| footer(s).contains("s start"));
    std::thread::sleep(Duration::from_millis(500));
    let inspect = docker
        .inspect_container(&running, None)
        .await
        .expect("inspect");
    assert_eq!(inspect.state.and_then(|s| s.running), Some(true));
    assert!(!app.screen().contains("Stopping"), "{}", app.screen());

    // No live session: q quits at once.
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

/// Issue 10, defect 7: the active tab is always in view (the strip scrolls), whole at 80
/// columns, and an ended tab follows its container.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tabs_keep_the_active_one_in_view_and_follow_their_container() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-tabs";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = format!("aaa-tabs-{}", std::process::id());
    let tty = format!("aab-tty-{}", std::process::id());
    common::start(&docker, test, &name, &["sleep", "600"]).await;
    common::start_tty(&docker, test, &tty, &["sh"]).await;

    let mut app = shell_in(&name, 140, 45);
    for i in 2..=5 {
        // The prefix, then e: back to the panes, where e opens another shell.
        app.keys("\x1de");
        app.wait_for_text(&format!("{i}:{name} · shell"));
    }
    app.keys("\x1d[");
    app.wait_for("tab 4, whole", LONG, |s| {
        s.contains(&format!("4:{name} · shell"))
    });
    app.keys("\x1d]");
    app.wait_for("tab 5, whole", LONG, |s| {
        s.contains(&format!("5:{name} · shell"))
    });
    app.resize(80, 24);
    app.wait_for("tab 5, whole at 80 columns", LONG, |s| {
        s.contains(&format!("5:{name} · shell"))
    });
    app.keys("\x1d]");
    app.wait_for("tab 1, whole at 80 columns", LONG, |s| {
        s.contains(&format!("1:{name} · shell"))
    });
    app.resize(140, 45);
    // As a person would: the resize lands before the next keys.
    std::thread::sleep(Duration::from_millis(100));
    app.wait_for("the wide layout", LONG, |s| {
        s.lines().count() == 45 && s.contains(&format!("1:{name} · shell   2:"))
    });

    // An attached tab, detached: then the container is killed and removed.
    app.keys("\x1dg");
    app.wait_for("the panes", LONG, |s| footer(s).contains("s start"));
    app.select_container(&tty);
    app.keys("a");
    app.wait_for_text(&format!("6:{tty} · attach"));
    app.keys("\r");
    app.wait_for("a prompt", LONG, |s| s.contains("│/ # "));
    app.keys("\x10\x11");
    app.wait_for_text("detached; the container keeps running");
    common::remove(&docker, &tty).await;
    app.wait_for(
        "the tab and the status line to follow the container",
        LONG,
        |s| s.contains("the container was removed") && !s.contains("keeps running"),
    );
    // Any key leaves the ended tab (and does nothing else).
    app.keys("\x1b");
    app.wait_for("the panes", LONG, |s| footer(s).contains("s start"));
    app.keys("q");
    app.wait_for_text("Quit dockpit?");
    app.keys("\r");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

/// Issue 10, defect 1: a shrinking pane keeps the cursor's line and moves the rows above into
/// the scrollback; growing (the outer terminal, or zoom) brings them back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shrinking_the_pane_keeps_output_and_growing_brings_it_back() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-shrink";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = format!("aaa-r{}", std::process::id());
    common::start(&docker, test, &name, &["sleep", "600"]).await;
    let mut app = shell_in(&name, 140, 45);

    app.keys("clear; seq 1 30\r");
    app.wait_for("all of seq", LONG, |s| {
        pane_lines(s, "1 ") == 1 && pane_lines(s, "30 ") == 1
    });
    app.resize(140, 24);
    app.wait_for(
        "the end of seq and the prompt, the start gone up",
        LONG,
        |s| pane_lines(s, "30 ") == 1 && pane_lines(s, "1 ") == 0 && pane_lines(s, "/ # ") >= 1,
    );
    // The rows that went up are in the scrollback.
    app.keys("\x1b[5;2~");
    app.wait_for("the start of seq, scrolled back", LONG, |s| {
        s.contains("scrolled back") && pane_lines(s, "1 ") == 1
    });
    app.keys("\x1b[6;2~");
    app.wait_for("the live screen", LONG, |s| !s.contains("scrolled back"));
    // Growing brings them back.
    app.resize(140, 45);
    app.wait_for("all of seq again", LONG, |s| {
        pane_lines(s, "1 ") == 1 && pane_lines(s, "30 ") == 1
    });

    // Narrower: lists above the pane; zoom grows the pane, unzoom shrinks it.
    app.resize(100, 30);
    app.wait_for("the end of seq", LONG, |s| {
        pane_lines(s, "30 ") == 1 && pane_lines(s, "8 ") == 0
    });
    app.keys("\x1dz");
    app.wait_for("zoomed: more of seq", LONG, |s| {
        pane_lines(s, "30 ") == 1 && pane_lines(s, "8 ") == 1
    });
    app.keys("\x1dz");
    app.wait_for("unzoomed: the end of seq", LONG, |s| {
        pane_lines(s, "30 ") == 1 && pane_lines(s, "8 ") == 0
    });
    app.keys("\x1dz");
    app.wait_for("zoomed again: the same rows back", LONG, |s| {
        pane_lines(s, "30 ") == 1 && pane_lines(s, "8 ") == 1
    });
    app.keys("\x1dq");
    app.wait_for_text("Quit dockpit?");
    app.keys("\r");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}
