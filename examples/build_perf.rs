//! Sends a build context from keys and measures it (`tests/build_perf.sh` makes the context
//! and runs this beside `docker build`): the time from Enter to the daemon's first answer,
//! which the classic builder gives only once it holds the whole context (the view then
//! says "context … sent"), and dockpit's largest RSS meanwhile. `PERF_CONTEXT`: the folder;
//! `DOCKPIT_BIN`: the dockpit measured (a release build).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use bollard::query_parameters::RemoveImageOptions;
use common::{procfs, screen};

#[tokio::main]
async fn main() {
    let context = std::env::var("PERF_CONTEXT").expect("PERF_CONTEXT: the context folder");
    let docker = common::docker().await;
    let tag = format!("dockpit-build-perf:{}", common::run());
    let mut app = screen::App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text("Images");
    app.keys("\t");
    app.keys("b");
    app.wait_for_text("Build an image");
    app.keys("\x15");
    app.keys(&context);
    app.keys("\x1b[B\x1b[B");
    app.keys(&tag);
    let pid = app.pid();
    let start = Instant::now();
    app.keys("\r");
    let mut rss = 0;
    let mut sent = None;
    loop {
        rss = rss.max(procfs::rss_kib(pid));
        let screen = app.screen();
        if sent.is_none()
            && let Some(line) = screen.lines().find(|l| l.contains(" sent"))
        {
            sent = Some((start.elapsed(), line.trim_matches(['│', ' ']).to_string()));
        }
        if screen.contains(&format!("Built {tag}")) || screen.contains("failed after") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "no end:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let (took, line) = sent.expect("the context sent");
    println!(
        "dockpit: Enter to the daemon holding the context: {:.2} s; max RSS {:.1} MiB ({line})",
        took.as_secs_f64(),
        rss as f64 / 1024.0
    );
    app.keys("\x1b");
    app.keys("q");
    app.wait_exit(Duration::from_secs(5));
    let _ = docker
        .remove_image(&tag, None::<RemoveImageOptions>, None)
        .await;
}
