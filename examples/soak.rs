//! Churn soak: containers created, started, stopped, killed, paused, renamed and removed at
//! random while dockpit runs (`SOAK_SECS`, 10 minutes by default). Prints dockpit's memory
//! over time and whether every row it showed matched `docker ps -a` at each checkpoint
//! (every 30 s). Run through `tests/soak.sh`; the suite runs it short (`tests/soak.rs`).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Duration;

#[tokio::main]
async fn main() {
    let secs: u64 = std::env::var("SOAK_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let outcome = common::soak::run("soak", secs, Duration::from_secs(30)).await;
    let samples = &outcome.samples;
    let after_first_minute = samples
        .iter()
        .find(|(t, _)| *t >= 60)
        .map_or(samples.first().map_or(0, |s| s.1), |s| s.1);
    let max_after = samples
        .iter()
        .filter(|(t, _)| *t >= 60)
        .map(|s| s.1)
        .max()
        .unwrap_or(0);
    let last = samples.last().map_or(0, |s| s.1);
    println!(
        "churn: {} of {} random operations done over {secs} s (seed {})",
        outcome.done, outcome.tried, outcome.seed
    );
    println!(
        "RSS: {:.1} MiB after the first minute, {:.1} MiB max after it, {:.1} MiB at the end ({:+.1} %)",
        after_first_minute as f64 / 1024.0,
        max_after as f64 / 1024.0,
        last as f64 / 1024.0,
        (max_after as f64 / after_first_minute.max(1) as f64 - 1.0) * 100.0
    );
    println!("RSS samples (s, KiB): {samples:?}");
    if outcome.mismatches.is_empty() {
        println!(
            "every field of every row == docker ps -a: yes, at {} checkpoints",
            outcome.checks
        );
    } else {
        println!("every field of every row == docker ps -a: NO");
        for line in &outcome.mismatches {
            println!("  {line}");
        }
        std::process::exit(1);
    }
}
