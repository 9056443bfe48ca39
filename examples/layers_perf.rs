//! Times the dashboard's layers view on a large image (`tests/layers_perf.sh` writes and
//! loads one, then runs this with `DOCKPIT_BIN` and `PERF_IMAGE`): `:layers IMAGE` typed,
//! then when the first layer list is on screen, how long a key takes while the export still
//! streams, when the whole image (its waste) is on screen, and dockpit's peak RSS meanwhile;
//! then the view opened again and closed at once, and dockpit's CPU over the next seconds
//! (the reading stops with the view).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{procfs, screen};

/// Waits until `check` holds, sampling dockpit's RSS meanwhile: the time, the peak (KiB).
fn watch(app: &screen::App, what: &str, check: impl Fn(&str) -> bool) -> (Duration, u64) {
    let (start, mut peak) = (Instant::now(), 0);
    loop {
        peak = peak.max(procfs::rss_kib(app.pid()));
        if check(&app.screen()) {
            return (start.elapsed(), peak);
        }
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "no {what} in 10 minutes; the screen:\n{}",
            app.screen()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn main() {
    let image = std::env::var("PERF_IMAGE").unwrap_or_else(|_| "dockpit-test/layers-perf:1".into());
    let mut app = screen::App::start(160, 45, &[]);
    app.wait_for("the engine", Duration::from_secs(30), |s| {
        s.contains("Engine")
    });
    let idle = procfs::rss_kib(app.pid());
    let opened = Instant::now();
    app.keys(&format!(":layers {image}\r"));
    let (first, mut peak) = watch(&app, "layer list", |s| s.contains("RUN write layer 0"));
    // A key while the export streams: the second layer selected, its tree awaited.
    let streaming = !app.screen().contains("Waste: ");
    let pressed = Instant::now();
    app.keys("j");
    let (key, rss) = watch(&app, "the key's answer", |s| {
        s.contains("Files as of layer 1") || s.contains("up to 1…")
    });
    peak = peak.max(rss);
    let key_streaming = streaming && !app.screen().contains("Waste: ");
    let (_, rss) = watch(&app, "the waste", |s| {
        s.contains("Waste: ") && s.contains(" paths")
    });
    peak = peak.max(rss);
    let whole = opened.elapsed();
    println!("first layer list on screen: {:.3} s", first.as_secs_f64());
    println!(
        "a key while streaming ({}): answered in {:.3} s (pressed at {:.3} s)",
        if key_streaming {
            "the export still streamed"
        } else {
            "the export had ended"
        },
        key.as_secs_f64(),
        (pressed - opened).as_secs_f64()
    );
    println!(
        "the whole image (its waste) on screen: {:.3} s",
        whole.as_secs_f64()
    );
    println!(
        "dockpit RSS: {} MiB before, peak {} MiB while reading",
        idle / 1024,
        peak / 1024
    );
    // Closed as soon as it shows: the reading stops (dockpit's CPU falls back to idle).
    app.keys("\x1b");
    app.wait_for("the view closed", Duration::from_secs(10), |s| {
        !s.contains("Layers ·")
    });
    app.keys(&format!(":layers {image}\r"));
    watch(&app, "layer list", |s| s.contains("RUN write layer 0"));
    app.keys("\x1b");
    app.wait_for("the view closed", Duration::from_secs(10), |s| {
        !s.contains("Layers ·")
    });
    let pid = app.pid();
    let before = procfs::cpu_seconds(&[pid]);
    std::thread::sleep(Duration::from_secs(5));
    let after = procfs::cpu_seconds(&[pid]);
    println!(
        "closed while reading: dockpit used {:.2} s of CPU in the next 5 s",
        after - before
    );
    app.keys("q");
}
