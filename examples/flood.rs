//! A 20 MB flood in the terminal pane (`yes | head -c 20000000`), measured from outside as
//! a user would feel it: how fast the prefix key is handled during the flood, how many
//! bytes and frames dockpit writes for it, and its memory. Run through `tests/perf.sh`.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{procfs, screen};

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bollard::models::ContainerCreateBody;
use bollard::query_parameters::CreateContainerOptions;

const NAME: &str = "aaa-flood";

#[tokio::main]
async fn main() {
    let docker = common::docker().await;
    common::remove(&docker, NAME).await;
    let body = ContainerCreateBody {
        image: Some("dockpit-test/busybox:1".into()),
        tty: Some(true),
        open_stdin: Some(true),
        labels: Some(HashMap::from([("dockpit.test".into(), "flood".into())])),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(NAME.into()),
        ..Default::default()
    };
    docker
        .create_container(Some(options), body)
        .await
        .expect("create");
    docker.start_container(NAME, None).await.expect("start");

    let mut app = screen::App::start(160, 45, &[]);
    app.wait_for("the container", Duration::from_secs(10), |s| {
        s.contains(NAME)
    });
    app.keys("\t");
    app.select_container(NAME);
    app.keys("a");
    app.wait_for("attached", Duration::from_secs(10), |s| {
        s.contains("· attach")
    });
    app.keys("\r");
    app.wait_for("a prompt", Duration::from_secs(10), |s| s.contains("│/ # "));
    let pid = app.pid();
    let rss_before = procfs::rss_kib(pid);
    let written_before = app.output.lock().expect("output").len();
    let cpu_before = procfs::cpu_seconds(&[pid]);

    app.keys("yes | head -c 20000000; echo FLOOD-$((40+2))\r");
    let start = Instant::now();
    std::thread::sleep(Duration::from_millis(300));
    // During the flood: the prefix key, then a pane key (g), must bring the panes back
    // promptly.
    app.keys("\x1dg");
    let prefix = app.wait_for("the panes' footer", Duration::from_secs(10), |s| {
        s.lines().last().is_some_and(|l| l.contains("s start"))
    });
    let mut rss_max = 0;
    while !app.screen().contains("FLOOD-42") {
        rss_max = rss_max.max(procfs::rss_kib(pid));
        if start.elapsed() > Duration::from_secs(120) {
            panic!("the flood did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let flood = start.elapsed();
    let cpu = procfs::cpu_seconds(&[pid]) - cpu_before;
    let written = app.output.lock().expect("output").len() - written_before;
    let frames = count(
        &app.output.lock().expect("output")[written_before..],
        b"\x1b[?25",
    );
    println!(
        "20 MB flood through the pane:  {:>8.2} s ({:.1} MB/s end to end)",
        flood.as_secs_f64(),
        20.0 / flood.as_secs_f64()
    );
    println!(
        "prefix key handled during it:  {:>8.1} ms",
        prefix.as_secs_f64() * 1e3
    );
    println!(
        "bytes dockpit wrote for it:    {:>8.1} kB ({} cursor updates ≈ frames)",
        written as f64 / 1e3,
        frames
    );
    println!(
        "dockpit CPU during the flood:  {:>8.2} s ({:.0} % of one core)",
        cpu,
        cpu / flood.as_secs_f64() * 100.0
    );
    println!(
        "RSS before / max during:       {:>8.1} / {:.1} MiB",
        rss_before as f64 / 1024.0,
        rss_max as f64 / 1024.0
    );
    // The attached shell is live: quitting asks first.
    app.keys("q");
    app.wait_for_text("Quit dockpit?");
    app.keys("\r");
    app.wait_exit(Duration::from_secs(5));
    common::remove(&docker, NAME).await;
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}
