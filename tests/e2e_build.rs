//! `b` builds an image from a folder (the classic builder, through `/build`): a two-stage
//! Dockerfile (`FROM` the seeded busybox, an `ARG`, a `RUN`, a `COPY` of a file) built from
//! keys shows its steps; built again (`R`) its steps show as cached; a `.dockerignore`
//! keeps a 20 MB file out of the context (the size the view reports, and the image's files
//! read through the API); a failing `RUN` opens with its output, exit code and Dockerfile
//! line; bad input (a file for a folder, no Dockerfile, a tag that is not a reference, a
//! build arg without `=`) is refused with its reason.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use bollard::query_parameters::{DownloadFromContainerOptions, RemoveImageOptions};
use common::screen::App;
use futures::StreamExt;

const TEST: &str = "e2e-build";
const DOWN: &str = "\x1b[B";

/// A folder of this run with these files.
fn folder(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("dockpit-{name}-{}", common::run()));
    let _ = std::fs::remove_dir_all(&root);
    for (file, bytes) in files {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("make the folder");
        std::fs::write(path, bytes).expect("write a context file");
    }
    root
}

/// The size of a tar of these files as the tar crate writes it (a 512-byte header each,
/// the data in 512-byte blocks, two empty blocks at the end).
fn tar_size(files: &[&[u8]]) -> i64 {
    let blocks = |n: usize| n.div_ceil(512) * 512;
    let data: usize = files.iter().map(|f| 512 + blocks(f.len())).sum();
    i64::try_from(data + 1024).expect("small")
}

/// A file of the image, read through a container made from it (never started).
async fn image_file(docker: &bollard::Docker, image: &str, path: &str) -> Option<Vec<u8>> {
    let body = bollard::models::ContainerCreateBody {
        image: Some(image.to_string()),
        labels: Some([common::label_pair(TEST)].into()),
        ..Default::default()
    };
    let id = common::create_named(docker, &common::unique("dockpit-build-read"), body).await;
    let options = DownloadFromContainerOptions {
        path: path.to_string(),
    };
    let mut stream = docker.download_from_container(&id, Some(options));
    let mut tar = Vec::new();
    let mut found = true;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(bytes) => tar.extend_from_slice(&bytes),
            Err(_) => {
                found = false;
                break;
            }
        }
    }
    common::remove(docker, &id).await;
    if !found {
        return None;
    }
    let mut archive = tar::Archive::new(tar.as_slice());
    let mut entry = archive.entries().ok()?.next()?.ok()?;
    let mut data = Vec::new();
    std::io::Read::read_to_end(&mut entry, &mut data).ok()?;
    Some(data)
}

/// The running containers whose command names `marker` (a build step's).
async fn step_containers(docker: &bollard::Docker, marker: &str) -> usize {
    let list = docker
        .list_containers(None::<bollard::query_parameters::ListContainersOptions>)
        .await
        .expect("list the running containers");
    list.iter()
        .filter(|c| c.command.as_deref().is_some_and(|cmd| cmd.contains(marker)))
        .count()
}

/// Types a path into the focused field in place of what it holds.
fn type_field(app: &mut App, text: &str) {
    app.keys("\x15");
    app.keys(text);
}

fn show(path: &Path) -> String {
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_stage_build_from_keys_then_cached_then_a_failure_and_bad_input() {
    let _exclusive = common::screen::exclusive().await;
    let docker = common::docker().await;
    common::cleanup(&docker, TEST).await;
    common::remove_dead_runs_tags(&docker, build_run).await;
    let run = common::run();
    // Each stage's last image carries the label (untagged ones are removed by it at the end).
    let label = common::label_filter(TEST);
    let dockerfile = format!(
        "FROM dockpit-test/busybox:1 AS base\n\
         ARG GREETING=hello\n\
         RUN echo \"$GREETING from run {run}\" > /greeting && echo built-the-greeting\n\
         LABEL {label}\n\
         \n\
         FROM dockpit-test/busybox:1\n\
         COPY --from=base /greeting /greeting\n\
         COPY app.txt /app.txt\n"
    );
    let ignore = b"# the big file stays here\nbig.bin\n";
    let app_txt = b"the app's file\n";
    let big = vec![0u8; 20_000_000];
    let context = folder(
        "build-ok",
        &[
            ("Dockerfile", dockerfile.as_bytes()),
            (".dockerignore", ignore),
            ("app.txt", app_txt),
            ("big.bin", &big),
        ],
    );
    let failing = folder(
        "build-fail",
        &[(
            "Dockerfile",
            // The label before the RUN: the classic builder keeps a failed step's
            // container, and this test's cleanup finds it by the label it inherits.
            format!(
                "FROM dockpit-test/busybox:1\nLABEL {label}\nRUN echo failing-output-{run} && exit 3\n"
            )
            .as_bytes(),
        )],
    );
    let empty = folder("build-empty", &[("notes.txt", b"no Dockerfile here")]);
    let slow = folder(
        "build-slow",
        &[(
            "Dockerfile",
            format!(
                "FROM dockpit-test/busybox:1\nLABEL {label}\nRUN sleep 60 && echo cancel-me-{run}\n"
            )
            .as_bytes(),
        )],
    );
    let tag = format!("dockpit-build-{run}:1");

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text("Images");
    app.keys("\t");
    app.keys("b");
    app.wait_for_text("Build an image");
    type_field(&mut app, &show(&context));
    // Down moves on (Tab completes the path).
    app.keys(&DOWN.repeat(2));
    // A tag that is not a reference is refused as it is typed.
    app.keys("Bad:Tag");
    app.wait_for_text("\"Bad:Tag\":");
    type_field(&mut app, &tag);
    app.keys(DOWN);
    app.keys("GREETING");
    app.wait_for_text("\"GREETING\": a build arg is KEY=VALUE");
    app.keys("=hi");
    app.keys(&DOWN.repeat(5));
    app.keys(&common::label_filter(TEST));
    app.wait_for_text(&format!(
        "$ docker build --tag {tag} --build-arg GREETING=hi"
    ));
    app.keys("\r");

    // The build view: every step done, the RUN's output, the context without big.bin.
    app.wait_for("the build to end", Duration::from_secs(120), |s| {
        s.contains(&format!("Built {tag}"))
    });
    let screen = app.screen();
    let sent = dockpit::format::human_size(tar_size(&[ignore, dockerfile.as_bytes(), app_txt]));
    assert!(
        screen.contains(&format!("context {sent} sent")),
        "the context is the three small files ({sent}):\n{screen}"
    );
    // (The ARG step may come from an earlier run's cache; these cannot.)
    for step in [
        "FROM dockpit-test/busybox:1 AS base",
        "RUN echo",
        "COPY --from=base",
        "COPY app.txt /app.txt",
    ] {
        let line = app.line_with(step).unwrap_or_default();
        assert!(line.contains("done"), "{step} done:\n{screen}");
    }
    assert!(screen.contains(" 8/8 "), "eight steps:\n{screen}");
    assert!(
        app.line_with("RUN echo")
            .is_some_and(|l| l.contains("(line 3)")),
        "the RUN with its Dockerfile line:\n{screen}"
    );

    // Through the API: the image has the greeting and app.txt, never big.bin.
    let greeting = image_file(&docker, &tag, "/greeting").await;
    assert_eq!(
        greeting.as_deref(),
        Some(format!("hi from run {run}\n").as_bytes())
    );
    let copied = image_file(&docker, &tag, "/app.txt").await;
    assert_eq!(copied.as_deref(), Some(&app_txt[..]));
    assert_eq!(image_file(&docker, &tag, "/big.bin").await, None);

    // Again: the same steps come from the cache.
    app.keys("R");
    app.wait_for("the second build to end", Duration::from_secs(120), |s| {
        s.matches(&format!("Built {tag}")).count() >= 1 && s.contains("cached")
    });
    app.wait_for(
        "every step after FROM cached",
        Duration::from_secs(30),
        |s| s.matches(" cached ").count() >= 4,
    );

    // Each build's view went over the one before: Esc twice is back to the panes.
    for _ in 0..2 {
        app.keys("\x1b");
    }
    app.wait_for("the build views closed", Duration::from_secs(5), |s| {
        !s.contains("Build ·")
    });
    // The image built is the one selected in the images pane.
    let name = format!("dockpit-build-{run}");
    app.wait_for("the new image selected", Duration::from_secs(10), |_| {
        app.is_selected(&name)
    });
    // The builds view lists both, the new image selected in the images pane under it.
    app.keys("B");
    app.wait_for("two builds listed", Duration::from_secs(10), |s| {
        s.contains("Builds") && s.matches(&tag).count() >= 2
    });
    // Enter re-opens the selected build's steps.
    app.keys("\r");
    app.wait_for_text(&format!("Build · {tag}"));
    for _ in 0..2 {
        app.keys("\x1b");
    }
    app.wait_for("the builds view closed", Duration::from_secs(5), |s| {
        !s.contains("STEPS") && !s.contains("Build ·")
    });

    // A failing RUN: its output, its exit code and its Dockerfile line show.
    app.keys(":");
    app.keys(&format!("build {}\r", show(&failing)));
    app.wait_for_text("Build an image");
    app.keys("\r");
    app.wait_for("the failure", Duration::from_secs(120), |s| {
        s.contains("exit code 3")
    });
    let screen = app.screen();
    assert!(
        screen.contains(&format!("failing-output-{run}")),
        "{screen}"
    );
    assert!(
        screen.contains("Dockerfile line 3: RUN echo failing-output"),
        "{screen}"
    );
    app.keys("\x1b");

    // `c` cancels a running build: the view says so, and the daemon stops its step's
    // container (looked for through the API by its command).
    app.keys(":");
    app.keys(&format!("build {}\r", show(&slow)));
    app.wait_for_text("Build an image");
    app.keys("\r");
    let marker = format!("cancel-me-{run}");
    app.wait_for("the slow step running", Duration::from_secs(60), |s| {
        s.lines()
            .any(|l| l.contains("running") && l.contains(&marker))
    });
    app.keys("c");
    app.wait_for("the build cancelled", Duration::from_secs(10), |s| {
        s.contains("✗ cancelled")
    });
    let start = std::time::Instant::now();
    loop {
        let running = step_containers(&docker, &marker).await;
        if running == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the daemon still runs the cancelled step ({running} containers)"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.keys("\x1b");

    // Bad input: a file for a folder, a folder without a Dockerfile, a folder that does not
    // exist. Each is refused before anything is sent: the view says why, and no upload.
    let nowhere = context.join("nowhere");
    let missing = format!("the context folder {} does not exist", show(&nowhere));
    for (path, why) in [
        (context.join("app.txt"), "is not a folder"),
        (empty.clone(), "no Dockerfile in"),
        (nowhere.clone(), missing.as_str()),
    ] {
        app.keys(":");
        app.keys(&format!("build {}\r", show(&path)));
        app.wait_for_text("Build an image");
        app.keys("\r");
        app.wait_for_text(why);
        let screen = app.screen();
        assert!(!screen.contains("sending the context"), "{screen}");
        app.keys("\x1b");
    }

    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    let _ = docker
        .remove_image(&tag, None::<RemoveImageOptions>, None)
        .await;
    common::cleanup(&docker, TEST).await;
    remove_untagged_labelled(&docker).await;
    for dir in [context, failing, empty, slow] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The untagged images this run left: its first stage's and those of the failed and
/// cancelled builds (their `LABEL` step's),
/// once the containers made from them are gone.
async fn remove_untagged_labelled(docker: &bollard::Docker) {
    let (key, value) = common::label_pair(TEST);
    let images = docker
        .list_images(None::<bollard::query_parameters::ListImagesOptions>)
        .await
        .expect("list images");
    let untagged = |tags: &[String]| tags.iter().all(|t| t == "<none>:<none>");
    for image in images {
        if image.labels.get(&key) == Some(&value) && untagged(&image.repo_tags) {
            let _ = docker
                .remove_image(&image.id, None::<RemoveImageOptions>, None)
                .await;
        }
    }
}

/// This test's tags: `dockpit-build-PID:1`.
fn build_run(tag: &str) -> Option<u32> {
    (tag.strip_prefix("dockpit-build-"))
        .and_then(|t| t.strip_suffix(":1"))
        .and_then(|pid| pid.parse().ok())
}
