//! `P` on an image pushes it to its registry (the local one on 127.0.0.1:5000): its layers'
//! progress shows as a pull's, and the digest dockpit reports is the one the registry
//! serves for the tag. An image with no registry name opens the tag form instead.

mod common;

use std::time::Duration;

use bollard::query_parameters::{RemoveImageOptions, TagImageOptionsBuilder};
use common::screen::App;

async fn tag(docker: &bollard::Docker, repo: &str, tag: &str) {
    docker
        .tag_image(
            "dockpit-test/busybox:1",
            Some(TagImageOptionsBuilder::new().repo(repo).tag(tag).build()),
        )
        .await
        .expect("tag the seeded busybox");
}

/// Narrows the images pane to `name` with its filter, so its row is the selected one.
fn select_image(app: &mut App, name: &str) {
    app.keys("/");
    app.keys(name);
    app.keys("\r");
    let start = std::time::Instant::now();
    while !app.is_selected(name) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the image {name} is not selected:\n{}",
            app.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_is_pushed_from_a_key_and_its_digest_is_the_registrys() {
    let _exclusive = common::screen::exclusive().await;
    let docker = common::docker().await;
    common::remove_dead_runs_tags(&docker, push_run).await;
    // A tag no other run has, found by the filter (it matches one cell at a time).
    let run = format!("p{}", common::run());
    let repo = "127.0.0.1:5000/dockpit-test/push";
    tag(&docker, repo, &run).await;
    let bare = format!("dockpit-push-{}", common::run());
    tag(&docker, &bare, "1").await;

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text("Images");
    // The images pane has the keys (the containers pane has them at start).
    app.keys("\t");
    select_image(&mut app, &run);
    app.keys("P");
    let reference = format!("{repo}:{run}");
    let pushed = format!("Pushed {reference}: ");
    let digest = |screen: &str| {
        screen
            .split(&pushed)
            .nth(1)
            .and_then(|rest| rest.get(..71))
            .filter(|d| d.starts_with("sha256:") && d[7..].bytes().all(|b| b.is_ascii_hexdigit()))
            .map(str::to_string)
    };
    // A frame can reach the pty in several writes: the digest whole, not half drawn.
    app.wait_for("the pushed digest", Duration::from_secs(30), |s| {
        digest(s).is_some()
    });
    let screen = app.screen();
    let shown = digest(&screen).expect("the digest after the reference");
    let served = common::registry_digest(&format!("/v2/dockpit-test/push/manifests/{run}"));
    assert_eq!(shown, served, "the pushed digest is the registry's");
    // The transfers view shows it with its layer's line, as a pull's.
    assert!(screen.contains("Pulls and pushes"), "{screen}");
    assert!(
        screen.contains(": Pushed") || screen.contains(": Layer already exists"),
        "{screen}"
    );
    // Each Esc waits for its effect: an Esc and the next key read at once are one Alt key.
    app.keys("\x1b");
    app.wait_for("the transfers view closed", Duration::from_secs(5), |s| {
        !s.contains("Pulls and pushes")
    });

    // No registry name: the tag form opens, and says why.
    app.keys("\x1b");
    app.wait_for("the filter cleared", Duration::from_secs(5), |s| {
        !s.contains(&format!("/{run}"))
    });
    select_image(&mut app, &bare);
    app.keys("P");
    app.wait_for_text("has no registry name");
    app.wait_for_text(&format!("Tag {bare}:1"));
    app.keys("\x1b");
    app.wait_for("the tag form closed", Duration::from_secs(5), |s| {
        !s.contains(&format!("Tag {bare}:1"))
    });

    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    for name in [reference, format!("{bare}:1")] {
        docker
            .remove_image(&name, None::<RemoveImageOptions>, None)
            .await
            .expect("remove the test's tag");
    }
}

/// This test's tags: `127.0.0.1:5000/dockpit-test/push:pPID` and `dockpit-push-PID:1`.
fn push_run(tag: &str) -> Option<u32> {
    tag.strip_prefix("127.0.0.1:5000/dockpit-test/push:p")
        .or_else(|| {
            tag.strip_prefix("dockpit-push-")
                .and_then(|t| t.strip_suffix(":1"))
        })
        .and_then(|pid| pid.parse().ok())
}
