//! End to end, the layers view: the image `tests/image_layers.rs` writes (loaded, labelled
//! with the run) opened with `v` in the images pane; the first layer list on screen at once,
//! the 10 MiB waste and the whiteout that removed it shown; `Esc` closes it.

mod common;

use std::time::{Duration, Instant};

use bollard::query_parameters::RemoveImageOptions;
use common::screen::App;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_layers_view_shows_the_waste_and_the_whiteout() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-layers-view";
    let docker = common::docker().await;
    let repo = format!("dockpit-test/layers-view-{}", common::run());
    let tag = format!("{repo}:1");
    let written = common::layers::written();
    let tar = common::layers::image_tar(&tag, &common::label(test), &written);
    common::layers::load(&docker, tar).await;

    let mut app = App::start(160, 45, &[]);
    app.wait_for_text("Engine");
    // Only this run's image in the images pane, then `v` on it.
    app.keys(&format!(":images /{repo}\r"));
    app.wait_for("our image alone", WAIT, |s| {
        s.contains(&repo) && s.contains("Images (1/1 of")
    });
    let opened = Instant::now();
    app.keys("v");
    app.wait_for_text("RUN head -c 10M > /big");
    let first = opened.elapsed();
    app.wait_for_text("Waste: 10.5MB in 3 paths");
    let whole = opened.elapsed();
    eprintln!("first layer list after {first:?}, the whole image after {whole:?}");
    let screen = app.screen();
    // The 10 MiB layer, and the waste worst first.
    assert!(
        screen
            .lines()
            .any(|l| l.contains("10.5MB") && l.contains("×2") && l.contains("/big")),
        "{screen}"
    );
    // The top layer: its whiteout, opaque folder and overwrite marked in the tree.
    app.keys("G");
    app.wait_for("the whiteout of /big", WAIT, |s| {
        s.contains("Files as of layer 2")
            && s.lines()
                .any(|l| l.contains("- big") && l.contains("10.5MB"))
    });
    let screen = app.screen();
    for mark in ["o data/", "+ new", "- old", "~ conf"] {
        assert!(screen.contains(mark), "{mark} missing:\n{screen}");
    }
    // Only the changes, then Esc closes the view (the reading stopped with it).
    app.keys("c");
    app.wait_for("only the changes", WAIT, |s| {
        s.contains("only changes") && !s.contains("busybox ")
    });
    app.keys("\x1b");
    app.wait_for("the view closed", WAIT, |s| !s.contains("Layers ·"));
    drop(app);
    docker
        .remove_image(&tag, None::<RemoveImageOptions>, None)
        .await
        .expect("remove the test's image");
}

/// An image not pulled, read from the registry (the seeded busybox): its one layer and its
/// tree, nothing wasted. Creates nothing, so nothing to label.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_image_is_read_from_its_registry() {
    let _exclusive = common::screen::exclusive().await;
    let reference = format!("{}/busybox:1", common::REGISTRY);
    let mut app = App::start(160, 45, &[]);
    app.wait_for_text("Engine");
    app.keys(&format!(":layers --remote {reference}\r"));
    app.wait_for_text(&format!("Layers · {reference} (registry)"));
    app.wait_for("the whole image", WAIT, |s| {
        s.contains("1 layer,") && s.contains("efficiency 100.00 %")
    });
    let screen = app.screen();
    assert!(screen.contains("+ bin/"), "{screen}");
    assert!(
        screen.contains("nothing shipped is removed or overwritten later"),
        "{screen}"
    );
    app.keys("\x1b");
    app.wait_for("the view closed", WAIT, |s| !s.contains("Layers ·"));
}
