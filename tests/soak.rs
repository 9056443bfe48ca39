//! The churn soak, short: create/start/stop/kill/pause/rename/remove at random for
//! `SOAK_SECS` (20 by default) while dockpit runs, comparing every field of every row it
//! shows with the Engine API's listing at checkpoints. `tests/soak.sh` runs it for 10 minutes.

mod common;

use std::time::Duration;

use common::soak::{self, Rows};

#[tokio::test]
async fn every_row_shown_matches_docker_ps_through_churn() {
    let secs = std::env::var("SOAK_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let outcome = soak::run("soak-short", secs, Duration::from_secs(7)).await;
    println!(
        "seed {}: {} of {} operations done, {} checkpoints",
        outcome.seed, outcome.done, outcome.tried, outcome.checks
    );
    assert!(outcome.checks >= 2, "{} checkpoints", outcome.checks);
    assert!(outcome.done >= 20, "only {} operations", outcome.done);
    assert!(
        outcome.mismatches.is_empty(),
        "rows differ from docker ps -a (SOAK_SEED={} repeats the run):\n{}",
        outcome.seed,
        outcome.mismatches.join("\n")
    );
}

/// The comparison can fail: a wrong field, a row missing or extra, a status that aged
/// wrongly, each is caught; a duration a second apart is not a difference.
#[test]
fn the_comparison_catches_a_wrong_row() {
    let row = |state: &str, status: &str| {
        [
            "dockpit-test/busybox:1".to_string(),
            state.to_string(),
            status.to_string(),
            String::new(),
            "0123456789ab".to_string(),
        ]
    };
    let rows = |list: &[(&str, [String; 5])]| -> Rows {
        list.iter()
            .map(|(n, r)| (n.to_string(), r.clone()))
            .collect()
    };
    let listed = rows(&[
        ("a", row("running", "Up 5 seconds")),
        ("b", row("exited", "Exited (3) 2 minutes ago")),
        ("c", row("paused", "Up 10 seconds (Paused)")),
    ]);
    assert!(soak::compare(&listed, &listed).is_empty());
    let close = rows(&[
        ("a", row("running", "Up 6 seconds")),
        ("b", row("exited", "Exited (3) 2 minutes ago")),
        ("c", row("paused", "Up 9 seconds (Paused)")),
    ]);
    assert_eq!(soak::compare(&close, &listed), Vec::<String>::new());
    let wrong = [
        ("a", row("exited", "Up 5 seconds")),
        ("a", row("running", "Up 45 seconds")),
        ("a", row("running", "Up About a minute")),
        ("b", row("exited", "Exited (0) 2 minutes ago")),
        ("b", row("exited", "Exited (3) 4 minutes ago")),
        ("c", row("paused", "Up 10 seconds")),
        ("c", row("paused", "Up 10 seconds (healthy)")),
    ];
    for (name, fields) in wrong {
        let mut shown = listed.clone();
        shown.insert(name.to_string(), fields.clone());
        assert_eq!(
            soak::compare(&shown, &listed).len(),
            1,
            "{name} shown as {fields:?}"
        );
    }
    let mut missing = listed.clone();
    missing.remove("b");
    assert_eq!(soak::compare(&missing, &listed).len(), 1);
    assert_eq!(
        soak::compare(&listed, &missing).len(),
        1,
        "a row shown after removal"
    );
}
