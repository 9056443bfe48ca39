//! Alerts in the dashboard, end to end: the built binary in a real pty against the test
//! engine. Other suites' containers on the shared engine raise alerts too: these tests look
//! for their own container's name only.

mod common;

use std::time::Duration;

use common::screen::App;

/// A labelled container that exits 3: the strip under the header says so, the alerts list
/// (`!`, filtered to it) lists it once, and the terminal receives the desktop notification
/// as OSC 9 and OSC 777 bytes (read raw: the vt100 screen never shows them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_container_that_exits_3_shows_in_the_strip_and_is_notified() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-alert-exit";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let id = common::create(&docker, test, &name, &["sh", "-c", "sleep 1; exit 3"]).await;
    let mut app = App::start(200, 40, &["--interval", "60"]);
    app.wait_for_text(&name);
    let before = app.output.lock().expect("output").len();
    docker.start_container(&id, None).await.expect("start");
    let said = format!("{name} exited (3)");
    // The strip's row, as soon as the exit arrives (newest first: it leads the strip).
    app.wait_for("the strip", Duration::from_secs(15), |s| {
        s.lines().nth(2).is_some_and(|l| l.contains(&said))
    });
    // The notice leaves on the next second's tick.
    let notified = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        let osc9 = text
            .split("\x1b]9;dockpit: ")
            .skip(1)
            .any(|s| s.split('\x07').next().is_some_and(|n| n.contains(&said)));
        let osc777 = text
            .split("\x1b]777;notify;dockpit;")
            .skip(1)
            .any(|s| s.split('\x07').next().is_some_and(|n| n.contains(&said)));
        osc9 && osc777
    };
    let start = std::time::Instant::now();
    while !notified(&app.output.lock().expect("output")[before..]) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no OSC 9 and OSC 777 notice of {said}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The alerts list, filtered to it: one row, counted once.
    app.keys("!");
    app.wait_for_text("Alerts (");
    app.keys(&format!("/{name}\r"));
    app.wait_for("its row", Duration::from_secs(5), |s| {
        (s.lines())
            .filter(|l| l.starts_with('│') && l.contains(&said))
            .count()
            == 1
    });
    let screen = app.screen();
    let row = (screen.lines())
        .find(|l| l.starts_with('│') && l.contains(&said))
        .expect("its row");
    assert!(row.contains(" 1 "), "counted once: {row}");
    // Enter: its container selected in the containers pane.
    app.keys("\r");
    app.wait_for("its container selected", Duration::from_secs(5), |_| {
        app.is_selected(&name)
    });
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}
