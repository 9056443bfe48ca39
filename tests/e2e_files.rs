//! End to end, a container's files: browsed (a stopped container too), read, downloaded and
//! uploaded from keys, its changes shown; the docker CLI checks what arrived.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use bollard::Docker;
use common::screen::App;

const WAIT: Duration = Duration::from_secs(15);

/// The docker CLI, on the test engine (DOCKER_HOST is inherited).
fn docker_cli(args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new("docker")
        .args(args)
        .output()
        .expect("run the docker CLI");
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A fresh scratch folder of this test's own.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{}-local", common::unique(test)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// A stopped container with a tree at `/aaa` (first among the root's folders) that wrote
/// `/changed` while it ran.
async fn stopped_with_a_tree(docker: &Docker, test: &str, name: &str) -> String {
    let id = common::create(docker, test, name, &["sh", "-c", "echo changed > /changed"]).await;
    upload_tree(docker, &id).await;
    docker.start_container(&id, None).await.expect("start");
    common::exit_code(docker, &id).await;
    id
}

/// Puts `/aaa/greeting`, `/aaa/sub/deep.txt`, `/aaa/link → greeting` and `/aaa/zdir → sub`
/// into a container
/// (through bollard: the test's own setup, not the feature under test).
async fn upload_tree(docker: &Docker, id: &str) {
    let mut tar = tar::Builder::new(Vec::new());
    let mut add = |name: &str, kind: tar::EntryType, body: &[u8], link: Option<&str>| {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(kind);
        header.set_mode(if kind.is_dir() { 0o755 } else { 0o644 });
        header.set_size(body.len() as u64);
        header.set_mtime(1_700_000_000);
        if let Some(link) = link {
            header.set_link_name(link).expect("link");
        }
        header.set_path(name).expect("path");
        header.set_cksum();
        tar.append(&header, body).expect("append");
    };
    add("aaa/", tar::EntryType::Directory, b"", None);
    add(
        "aaa/greeting",
        tar::EntryType::Regular,
        b"hello from the container\n",
        None,
    );
    add("aaa/sub/", tar::EntryType::Directory, b"", None);
    add("aaa/sub/deep.txt", tar::EntryType::Regular, b"deep\n", None);
    add("aaa/link", tar::EntryType::Symlink, b"", Some("greeting"));
    add("aaa/zdir", tar::EntryType::Symlink, b"", Some("sub"));
    let bytes = tar.into_inner().expect("tar");
    let options = bollard::query_parameters::UploadToContainerOptions {
        path: "/".into(),
        ..Default::default()
    };
    docker
        .upload_to_container(id, Some(options), bollard::body_full(bytes.into()))
        .await
        .expect("set up the tree");
}

/// Starts dockpit with the container `name` alone in the list, selected.
fn app_on(name: &str, args: &[&str]) -> App {
    let mut all = vec!["--interval", "60"];
    all.extend_from_slice(args);
    let mut app = App::start(160, 45, &all);
    app.wait_for_text(name);
    app.keys(&format!(":ps /{name}\r"));
    app.wait_for("the one row", WAIT, |s| s.contains("(1/1"));
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_container_is_browsed_read_and_its_changes_shown() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-files-browse";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    stopped_with_a_tree(&docker, test, &name).await;

    let mut app = app_on(&name, &[]);
    app.keys("f");
    app.wait_for_text(&format!("Files · {name}:/ "));
    // Folders first: /aaa is the top row; bin's links show their targets.
    app.wait_for("the root's rows", WAIT, |s| {
        s.contains("aaa/") && s.contains("bin/") && s.contains("changed")
    });
    // Into /aaa, then /aaa/sub, and back up to /aaa with sub selected.
    app.keys("\r");
    app.wait_for_text(&format!("Files · {name}:/aaa "));
    app.wait_for("aaa's rows", WAIT, |s| {
        s.contains("sub/") && s.contains("greeting") && s.contains("→ greeting")
    });
    let line = app.line_with("greeting  ").unwrap_or_default();
    assert!(
        line.contains("-rw-r--r--") && line.contains("25B"),
        "{line}"
    );
    app.keys("\r");
    app.wait_for_text(&format!("Files · {name}:/aaa/sub "));
    app.wait_for_text("deep.txt");
    app.keys("\x7f");
    app.wait_for_text(&format!("Files · {name}:/aaa "));
    app.wait_for("sub selected again", WAIT, |s| {
        s.contains("(1/4)") && s.contains("zdir")
    });
    // A link to a folder opens it.
    app.keys("G");
    app.wait_for("zdir selected", WAIT, |s| s.contains("(4/4)"));
    app.keys("\r");
    app.wait_for_text(&format!("Files · {name}:/aaa/zdir "));
    app.wait_for_text("deep.txt");
    app.keys("\x7f");
    app.wait_for("back in aaa", WAIT, |s| s.contains("(4/4)"));
    // The reader: the file (via its link too).
    app.keys("k");
    app.wait_for("link selected", WAIT, |s| s.contains("(3/4)"));
    app.keys("\r");
    app.wait_for_text("File · ");
    app.wait_for_text("hello from the container");
    app.keys("\x1b");
    app.wait_for("the reader to close", WAIT, |s| !s.contains("File · "));
    // The changes since start (docker diff): the file the container wrote.
    app.keys("c");
    app.wait_for_text("Changes (docker diff)");
    app.wait_for_text("A /changed");
    app.keys("q");
    app.wait_for("the changes to close", WAIT, |s| {
        !s.contains("Changes (docker diff)")
    });
    // A binary file is named, not printed (busybox is /bin's first row).
    app.keys("q");
    app.wait_for("the view to close", WAIT, |s| !s.contains("Files · "));
    app.keys(":files /bin\r");
    app.wait_for("bin's rows", WAIT, |s| {
        s.contains(&format!("Files · {name}:/bin (1/")) && s.contains("→ busybox")
    });
    app.keys("\r");
    app.wait_for_text("[a binary file of 1.98MB: not shown as text");
    app.keys("q");
    app.keys("q");
    app.wait_for("the view to close", WAIT, |s| !s.contains("Files · "));
    // A path that is not there: the daemon's answer, and a hint.
    app.keys(":files /nope\r");
    app.wait_for_text(&format!("no such file or folder in {name}: /nope"));
    app.wait_for_text("that the container still exists");
    app.keys("q");
    app.wait_for("the view to close", WAIT, |s| !s.contains("Files · "));
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

/// Every file under `dir`, relative, with its bytes (and each link's target).
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).expect("read_dir") {
            let path = entry.expect("entry").path();
            let rel = path.strip_prefix(dir).expect("under").display().to_string();
            let meta = std::fs::symlink_metadata(&path).expect("meta");
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).expect("link");
                out.push((rel, target.display().to_string().into_bytes()));
            } else if meta.is_dir() {
                out.push((rel, b"<dir>".to_vec()));
                stack.push(path);
            } else {
                out.push((rel, std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_downloads_as_docker_cp_copies_it_and_asks_before_overwriting() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-files-download";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    stopped_with_a_tree(&docker, test, &name).await;
    let local = scratch(test);
    let ours = local.join("ours");
    let theirs = local.join("theirs");

    // Read-only: a download only reads, so it is allowed.
    let mut app = app_on(&name, &["--read-only"]);
    app.keys("f");
    app.wait_for("the root's rows", WAIT, |s| s.contains("aaa/"));
    app.keys("s");
    app.wait_for_text(&format!("Download {name}:/aaa"));
    app.wait_for_text("./aaa");
    // The pre-filled path is selected: typing replaces it; Tab completes a path here.
    std::fs::create_dir_all(local.join("tab-completed")).expect("mkdir");
    app.keys(&format!("{}/tab-c", local.display()));
    app.keys("\t");
    app.wait_for_text(&format!("{}/tab-completed/", local.display()));
    assert!(
        !app.screen().contains("./aaa"),
        "replaced: {}",
        app.screen()
    );
    app.keys("\x15");
    app.keys(&ours.display().to_string());
    app.keys("\r");
    app.wait_for_text("Copied 6 entries");
    docker_cli(&["cp", &format!("{name}:/aaa"), &theirs.display().to_string()]);
    assert_eq!(tree(&ours), tree(&theirs));
    assert!(
        tree(&ours)
            .iter()
            .any(|(p, b)| p == "link" && b == b"greeting")
    );

    // Into a folder that exists, as docker cp does: it lands inside it, asking nothing.
    app.keys("s");
    app.wait_for_text(&format!("Download {name}:/aaa"));
    app.keys("\x15");
    app.keys(&local.display().to_string());
    app.keys("\r");
    app.wait_for("the copy inside", WAIT, |_| {
        local.join("aaa/sub/deep.txt").exists()
    });
    // Again: it would replace files there, so it asks first; Esc keeps them.
    std::fs::write(local.join("aaa/greeting"), "mine").expect("write");
    app.keys("s");
    app.wait_for_text(&format!("Download {name}:/aaa"));
    app.keys("\x15");
    app.keys(&local.display().to_string());
    app.keys("\r");
    app.wait_for_text("Overwrite?");
    app.wait_for_text("exists: a folder");
    app.keys("\x1b");
    app.wait_for("the question to close", WAIT, |s| !s.contains("Overwrite?"));
    assert_eq!(
        std::fs::read_to_string(local.join("aaa/greeting")).expect("kept"),
        "mine"
    );
    // One file over one of the same name, confirmed: replaced.
    app.keys("\r");
    app.wait_for_text(&format!("Files · {name}:/aaa "));
    app.wait_for("aaa's rows", WAIT, |s| s.contains("(1/4)"));
    app.keys("j");
    app.wait_for("greeting selected", WAIT, |s| s.contains("(2/4)"));
    app.keys("s");
    app.wait_for_text(&format!("Download {name}:/aaa/greeting"));
    app.keys("\x15");
    let file = local.join("aaa/greeting");
    app.keys(&file.display().to_string());
    app.keys("\r");
    app.wait_for_text("(it is replaced)");
    app.keys("\r");
    app.wait_for("the file replaced", WAIT, |_| {
        std::fs::read_to_string(&file).is_ok_and(|t| t.starts_with("hello"))
    });
    // Both downloads in the command log as the docker cp lines.
    app.keys("q");
    app.keys("L");
    app.wait_for_text(&format!("docker cp {name}:/aaa {}", ours.display()));
    app.wait_for_text(&format!(
        "docker cp {name}:/aaa/greeting {}",
        file.display()
    ));
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    let _ = std::fs::remove_dir_all(&local);
    common::cleanup(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_and_a_folder_upload_from_keys_and_exec_reads_them_back() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-files-upload";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    common::start(&docker, test, &name, &["sleep", "300"]).await;
    let local = scratch(test);
    let note = local.join("note.txt");
    std::fs::write(&note, "uploaded by dockpit\n").expect("note");
    let folder = local.join("bundle");
    std::fs::create_dir_all(folder.join("inner")).expect("bundle");
    std::fs::write(folder.join("inner/a.txt"), "a\n").expect("a");

    // Read-only refuses the upload, naming why.
    let mut app = app_on(&name, &["--read-only"]);
    app.keys(":files /tmp\r");
    app.wait_for_text(&format!("Files · {name}:/tmp "));
    app.keys("u");
    app.wait_for_text("read-only");
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);

    let mut app = app_on(&name, &[]);
    app.keys(":files /tmp\r");
    app.wait_for_text(&format!("Files · {name}:/tmp "));
    app.keys("u");
    app.wait_for_text(&format!("Upload into {name}:/tmp"));
    app.keys(&note.display().to_string());
    app.keys("\r");
    // The folder is listed again once the copy is in.
    app.wait_for_text("note.txt");
    let out = docker_cli(&["exec", &name, "cat", "/tmp/note.txt"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "uploaded by dockpit\n"
    );
    app.keys("u");
    app.wait_for_text(&format!("Upload into {name}:/tmp"));
    app.keys(&folder.display().to_string());
    app.keys("\r");
    app.wait_for_text("bundle/");
    let out = docker_cli(&["exec", &name, "cat", "/tmp/bundle/inner/a.txt"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a\n");
    // A source that is not there: the form stays open with the reason under the field,
    // and nothing is sent.
    app.keys("u");
    app.wait_for_text(&format!("Upload into {name}:/tmp"));
    app.keys("/nonexistent/dockpit-upload");
    app.keys("\r");
    app.wait_for_text("no file or folder /nonexistent/dockpit-upload on this machine");
    assert!(
        app.screen().contains(&format!("Upload into {name}:/tmp")),
        "the form stays open: {}",
        app.screen()
    );
    app.keys("\x1b");
    app.wait_for("the form closed", Duration::from_secs(5), |s| {
        !s.contains("Upload into")
    });
    app.keys("q");
    app.keys("L");
    app.wait_for_text(&format!("docker cp {} {name}:/tmp", note.display()));
    app.wait_for_text(&format!("docker cp {} {name}:/tmp", folder.display()));
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    let _ = std::fs::remove_dir_all(&local);
    common::cleanup(&docker, test).await;
}

/// Not a timed assertion: prints how long 10,000 files in one folder take to show their first
/// rows and all of them, and whether a key answered while the listing still streamed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_files_stream_in_and_keys_answer_meanwhile() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-files-many";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let id = common::create(&docker, test, &name, &["true"]).await;
    // 10,000 files of 4 KiB (40 MiB of tar the listing reads past) in /many.
    let mut tar = tar::Builder::new(Vec::new());
    let body = vec![b'x'; 4096];
    for i in 0..10_000 {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        header.set_size(body.len() as u64);
        header.set_cksum();
        tar.append_data(&mut header, format!("many/f{i:05}"), &body[..])
            .expect("append");
    }
    let bytes = tar.into_inner().expect("tar");
    let options = bollard::query_parameters::UploadToContainerOptions {
        path: "/".into(),
        ..Default::default()
    };
    docker
        .upload_to_container(&id, Some(options), bollard::body_full(bytes.into()))
        .await
        .expect("10,000 files");

    let mut app = app_on(&name, &[]);
    app.keys(":files /many\r");
    let first = app.wait_for("the first rows", WAIT, |s| s.contains("f00000"));
    // A key while it streams (once there is a row to move to): the cursor moves at once.
    app.wait_for("a screenful", WAIT, |s| s.contains("f00030"));
    app.keys("j");
    let moved = app.wait_for("the cursor to move", WAIT, |s| s.contains("(2/"));
    let streaming = app.screen().contains("entries read");
    let all = app.wait_for("every row", Duration::from_secs(60), |s| {
        s.contains("(2/10000)") && !s.contains("entries read")
    });
    println!(
        "10,000 files: first rows after {:.0} ms, a key answered in {:.0} ms (listing still streaming: {streaming}), all rows after {:.0} ms",
        first.as_secs_f64() * 1000.0,
        moved.as_secs_f64() * 1000.0,
        (first + moved + all).as_secs_f64() * 1000.0,
    );
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}
