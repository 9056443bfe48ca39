//! "Update available", against a real engine and the local registry (127.0.0.1:5000): a
//! container runs `127.0.0.1:5000/<unique>:1`, a new image is pushed under that tag, and
//! one check (`Ctrl-R` in the images pane) marks the image and the container `↑`; inspect
//! says so. A registry that answers 429, or is down (a fake one on 127.0.0.1, in front of
//! the real one), leaves the image "unknown" and is not asked again before its backoff ends.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;

use bollard::Docker;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{CreateImageOptionsBuilder, RemoveImageOptions};
use common::screen::App;
use futures::StreamExt;

const CTRL_R: &str = "\x12";

async fn pull(docker: &Docker, reference: &str) {
    let options = CreateImageOptionsBuilder::new()
        .from_image(reference)
        .build();
    let mut pulled = docker.create_image(Some(options), None, None);
    while let Some(step) = pulled.next().await {
        let step = step.expect("the pull");
        assert!(step.error_detail.is_none(), "pull: {step:?}");
    }
}

async fn image_id(docker: &Docker, name: &str) -> String {
    (docker.inspect_image(name).await)
        .expect("inspect the image")
        .id
        .expect("an image id")
}

/// Runs a labelled container of `image` named `name`; returns its id.
async fn run(docker: &Docker, test: &str, name: &str, image: &str) -> String {
    let body = ContainerCreateBody {
        image: Some(image.into()),
        cmd: Some(vec!["sleep".into(), "600".into()]),
        labels: Some([common::label_pair(test)].into()),
        ..Default::default()
    };
    let id = common::create_named(docker, name, body).await;
    docker.start_container(&id, None).await.expect("start");
    id
}

/// Narrows the images pane to `name` with its filter and waits for the row of `image_id`
/// (the images are listed after the first frame, and the title shows the filter too).
fn select_image(app: &mut App, name: &str, image_id: &str) {
    let short = &image_id.trim_start_matches("sha256:")[..12];
    app.keys("/");
    app.keys(name);
    app.keys("\r");
    app.wait_for("the image listed", Duration::from_secs(10), |s| {
        s.lines().any(|l| l.contains(name) && l.contains(short))
    });
    if !app.is_selected(short) {
        reselect(app, image_id);
    }
}

/// The seed image pushed as `repo:1`.
async fn seed(docker: &Docker, repo: &str) {
    common::tag(docker, "dockpit-test/busybox:1", repo, "1").await;
    common::push(docker, repo, "1").await;
}

/// A fresh dockpit on the images pane, narrowed to `name`'s row of `image_id`, that has
/// checked it for updates (Ctrl-R).
fn check_image(name: &str, image_id: &str) -> App {
    // The check's own debug lines reach the log a timed-out wait prints (a Ctrl-R whose
    // status never showed, once, on a loaded machine).
    let log = [("DOCKPIT_LOG", "info,dockpit::app::updates=debug")];
    let mut app = App::start_with_env(200, 45, &["--interval", "60"], &log);
    app.wait_for_text("Images");
    app.keys("\t");
    select_image(&mut app, name, image_id);
    app.keys(CTRL_R);
    app
}

/// The check over with no newer image, and `repo`'s row marked unknown.
fn assert_unknown(app: &App, repo: &str) {
    app.wait_for_text("update check: 0 newer");
    let row = app.line_with(repo).expect("the image's row");
    assert!(row.contains('?'), "unknown:\n{}", app.screen());
}

/// Moves the cursor onto the row of `image_id` by keys (a listing after the check may have
/// put a newer row of the same name above it, and a key then acts on the row moved to).
fn reselect(app: &mut App, image_id: &str) {
    let short = &image_id.trim_start_matches("sha256:")[..12];
    for key in ["G", "g", "j", "k"] {
        app.keys(key);
        std::thread::sleep(Duration::from_millis(300));
        if app.is_selected(short) {
            return;
        }
    }
    panic!("the row of {short} is not selected:\n{}", app.screen());
}

/// What runs of these tests that ended without cleaning up left (their process is gone;
/// containers go by their label): their tags are removed, never an image by id unless it
/// has no other name (the tagged images are the shared seed image under another name).
async fn remove_dead_runs(docker: &Docker) {
    let images = (docker.list_images(None::<bollard::query_parameters::ListImagesOptions>))
        .await
        .expect("list images");
    let dead = |name: &String| {
        let Some(rest) = name.split("/dockpit-test/dockpit-updates-").nth(1) else {
            return false;
        };
        let pid = rest.split(['-', ':', '@']).nth(1);
        pid.and_then(|p| p.parse::<u32>().ok()).is_some_and(|pid| {
            pid != common::run() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        })
    };
    for image in images {
        for tag in image.repo_tags.iter().filter(|t| dead(t)) {
            let _ = (docker.remove_image(tag, None::<RemoveImageOptions>, None)).await;
        }
        // A dead run's commit: untagged, known only by its repo digest.
        let only_dead = image.repo_tags.iter().all(|t| t == "<none>:<none>")
            && !image.repo_digests.is_empty()
            && image.repo_digests.iter().all(dead);
        if only_dead {
            let _ = (docker.remove_image(&image.id, None::<RemoveImageOptions>, None)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_image_in_the_registry_marks_the_image_and_its_container() {
    let _exclusive = common::screen::exclusive().await;
    let test = "updates-newer";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    remove_dead_runs(&docker).await;
    let name = common::unique(test);
    let repo = format!("127.0.0.1:5000/dockpit-test/{name}");
    let reference = format!("{repo}:1");
    seed(&docker, &repo).await;
    let old = image_id(&docker, &reference).await;
    let container = run(&docker, test, &name, &reference).await;
    // A new image under the same tag in the registry; here the tag goes back to the old.
    let change = format!("LABEL {}", common::label_filter(test));
    let new = common::push_newer(&docker, &container, &repo, &change, &old).await;

    let mut app = check_image(&name, &old);
    // The filter shows this test's image alone: the check is of it (and the containers on
    // it). Its row with the tag (the commit left a `<none>` one) is marked.
    app.wait_for_text("update check: 1 newer");
    app.wait_for("the image marked", Duration::from_secs(5), |s| {
        s.lines()
            .any(|l| l.contains(&name) && l.contains(" 1 ") && l.contains('↑'))
    });
    assert!(app.screen().contains("UPDATE"), "{}", app.screen());
    reselect(&mut app, &old);
    app.keys("I");
    app.wait_for_text("newer digest");
    app.keys("\x1b");
    app.wait_for("inspect closed", Duration::from_secs(5), |s| {
        !s.contains("newer digest")
    });
    // The container on it, in the containers pane.
    app.keys("\x1b");
    app.keys("\t");
    app.select_container(&name);
    let row = app.line_with(&name).expect("the container's row");
    assert!(
        row.contains('↑'),
        "the container is marked:\n{}",
        app.screen()
    );
    app.keys("i");
    app.wait_for_text("newer digest");

    app.keys("\x1b");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
    // The tag only (the old image is the shared seed image), then this test's commit.
    for image in [reference.as_str(), new.as_str()] {
        let _ = (docker.remove_image(image, None::<RemoveImageOptions>, None)).await;
    }
}

/// A registry in front of the real one, byte for byte, until told to answer 429 to
/// everything (mode 1) or to refuse connections (mode 2: its listener closed); it counts
/// the requests it answered with 429.
struct FakeRegistry {
    port: u16,
    mode: Arc<AtomicU8>,
    limited: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeRegistry {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake registry");
        let port = listener.local_addr().expect("its address").port();
        let mode = Arc::new(AtomicU8::new(0));
        let limited = Arc::new(AtomicUsize::new(0));
        let (m, l) = (mode.clone(), limited.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let (m, l) = (m.clone(), l.clone());
                tokio::spawn(async move {
                    if m.load(Ordering::SeqCst) == 0 {
                        if let Ok(mut real) = tokio::net::TcpStream::connect("127.0.0.1:5000").await
                        {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut real).await;
                        }
                        return;
                    }
                    answer_429(&mut client, &l).await;
                });
            }
        });
        Self {
            port,
            mode,
            limited,
            task,
        }
    }

    fn down(&self) {
        self.mode.store(2, Ordering::SeqCst);
        self.task.abort();
    }
}

/// Reads each request's head and answers 429 with a `Retry-After`, counting them.
async fn answer_429(client: &mut tokio::net::TcpStream, count: &AtomicUsize) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match client.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            buf.drain(..end + 4);
            count.fetch_add(1, Ordering::SeqCst);
            let answer =
                "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 120\r\nContent-Length: 0\r\n\r\n";
            if client.write_all(answer.as_bytes()).await.is_err() {
                return;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_or_down_registry_is_unknown_and_not_asked_again_before_its_backoff() {
    let _exclusive = common::screen::exclusive().await;
    let test = "updates-limited";
    let docker = common::docker().await;
    remove_dead_runs(&docker).await;
    let fake = FakeRegistry::start().await;
    let name = common::unique(test);
    // In the real registry, then pulled through the fake: the image's repo digest names
    // the fake registry.
    let real = format!("127.0.0.1:5000/dockpit-test/{name}");
    seed(&docker, &real).await;
    let repo = format!("127.0.0.1:{}/dockpit-test/{name}", fake.port);
    let reference = format!("{repo}:1");
    pull(&docker, &reference).await;
    let pulled = image_id(&docker, &reference).await;
    fake.mode.store(1, Ordering::SeqCst);
    // The filter keeps the fake registry's name of the image alone.
    let only = format!("{}/dockpit-test/{name}", fake.port);

    let mut app = check_image(&only, &pulled);
    assert_unknown(&app, &repo);
    assert_eq!(
        fake.limited.load(Ordering::SeqCst),
        1,
        "one HEAD, answered 429"
    );
    app.keys("I");
    app.wait_for_text("429 Too Many Requests (retry after 120 s)");
    app.wait_for_text("not asked again for 2 minutes");
    app.keys("\x1b");
    app.wait_for("inspect closed", Duration::from_secs(5), |s| {
        !s.contains("not asked again")
    });
    // Asked again and again within the backoff: the registry hears nothing more, and the
    // screen answers each key at once (the check never holds the UI).
    for _ in 0..3 {
        app.keys(CTRL_R);
        // Its image, and any other test's whose registry backs off as well.
        app.wait_for_text(" held back while their registry backs off");
        std::thread::sleep(Duration::from_millis(500));
    }
    assert_eq!(
        fake.limited.load(Ordering::SeqCst),
        1,
        "nothing within the backoff"
    );

    // Down: a fresh dockpit (no backoff yet) asks once, gets no connection, says unknown.
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    fake.down();
    let mut app = check_image(&only, &pulled);
    assert_unknown(&app, &repo);
    app.keys("I");
    app.wait_for_text("not asked again for about a minute");
    app.keys("\x1b");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    for image in [format!("{real}:1"), reference] {
        let _ = docker
            .remove_image(&image, None::<RemoveImageOptions>, None)
            .await;
    }
}
