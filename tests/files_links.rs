//! Downloads on the real engine never create, replace or chmod anything through a link:
//! what a container turns into a link between two downloads, or a link an earlier download
//! left here, stays a link to the user's own folder, which keeps its files and its mode.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use bollard::Docker;
use dockpit::docker::Target;
use dockpit::docker::files::download;

/// A fresh scratch folder of this test's own, with the user's folder `precious` (0755,
/// one file) in it.
fn scratch(test: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("{}-local", common::unique(test)));
    let _ = std::fs::remove_dir_all(&dir);
    let precious = dir.join("precious");
    std::fs::create_dir_all(&precious).expect("scratch folder");
    std::fs::write(precious.join("keep"), "mine").expect("keep");
    std::fs::set_permissions(&precious, std::fs::Permissions::from_mode(0o755)).expect("mode");
    (dir, precious)
}

/// Runs a shell script in the container (the test's own setup, through the docker CLI).
fn sh(id: &str, script: &str) {
    let out = std::process::Command::new("docker")
        .args(["exec", id, "sh", "-c", script])
        .output()
        .expect("run the docker CLI");
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn running(docker: &Docker, test: &str) -> Target {
    common::cleanup(docker, test).await;
    let name = common::unique(test);
    let id = common::start(docker, test, &name, &["sleep", "300"]).await;
    Target {
        id: id.into(),
        name,
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .expect("stat")
        .permissions()
        .mode()
        & 0o7777
}

fn untouched(precious: &Path) {
    assert_eq!(mode(precious), 0o755, "the user's folder was chmodded");
    let names: Vec<_> = std::fs::read_dir(precious)
        .expect("read")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert_eq!(
        names,
        ["keep"],
        "something was written into the user's folder"
    );
}

/// `/d2/cfg` is a link to the user's folder; downloaded; the container makes it an empty
/// folder of mode 4777 (as in the issue); downloaded again, the overwrite confirmed. The link here is
/// replaced by a folder (without setuid): the user's folder keeps its mode and files.
#[tokio::test]
async fn a_second_download_never_chmods_through_the_link_the_first_made() {
    let test = "links-chmod";
    let docker = common::docker().await;
    let target = running(&docker, test).await;
    let (dir, precious) = scratch(test);
    sh(
        &target.id,
        &format!("mkdir /d2 && ln -s {} /d2/cfg", precious.display()),
    );
    // Into the scratch folder both times: each lands at `d2` in it, as docker cp puts it.
    let dest = dir.join("d2");
    download(&docker, &target, "/d2", &dir, false)
        .await
        .expect("first download");
    assert!(std::fs::symlink_metadata(dest.join("cfg")).is_ok_and(|m| m.file_type().is_symlink()));
    sh(
        &target.id,
        "rm /d2/cfg && mkdir /d2/cfg && chmod 4777 /d2/cfg",
    );
    let second = download(&docker, &target, "/d2", &dir, true).await;
    common::cleanup(&docker, test).await;
    let cfg = std::fs::symlink_metadata(dest.join("cfg")).map(|m| m.is_dir());
    let cfg_mode = mode(&dest.join("cfg"));
    untouched(&precious);
    let _ = std::fs::remove_dir_all(&dir);
    second.expect("second download");
    assert!(
        matches!(cfg, Ok(true)),
        "the link is replaced by a folder: {cfg:?}"
    );
    assert_eq!(
        cfg_mode & 0o7000,
        0,
        "no setuid, setgid or sticky bit: {cfg_mode:o}"
    );
}

/// An earlier download left `l`, a link to the user's folder; a file downloaded to `l` is
/// not written into that folder: `l` is what is there, and the download asks first.
#[tokio::test]
async fn a_download_to_a_link_never_lands_in_its_target() {
    let test = "links-landing";
    let docker = common::docker().await;
    let target = running(&docker, test).await;
    let (dir, precious) = scratch(test);
    sh(
        &target.id,
        &format!("ln -s {} /l && echo evil > /f", precious.display()),
    );
    download(&docker, &target, "/l", &dir, false)
        .await
        .expect("the link downloaded");
    let link = dir.join("l");
    assert!(std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()));
    let refused = download(&docker, &target, "/f", &link, false).await;
    untouched(&precious);
    let err = refused.expect_err("asks before replacing the link");
    assert!(err.message.contains("a link"), "{}", err.message);
    // Confirmed, the link itself is replaced by the file.
    let replaced = download(&docker, &target, "/f", &link, true).await;
    common::cleanup(&docker, test).await;
    untouched(&precious);
    let text = std::fs::read_to_string(&link);
    let is_link = std::fs::symlink_metadata(&link).map(|m| m.file_type().is_symlink());
    let _ = std::fs::remove_dir_all(&dir);
    replaced.expect("replaced");
    assert_eq!(text.expect("the file").trim(), "evil");
    assert!(is_link.is_ok_and(|l| !l), "the link itself was replaced");
}

/// Opening a link whose target the archive endpoint cannot read (busybox's `/etc/mtab` →
/// `/proc/mounts`) says so, naming the target: not "no such file" about a link listed there.
#[tokio::test]
async fn a_link_to_what_docker_cp_cannot_read_names_its_target() {
    use dockpit::docker::files::{Answer, list};
    use dockpit::docker::{DockerEvent, StreamId};
    let test = "links-unreachable";
    let docker = common::docker().await;
    let target = running(&docker, test).await;
    let (events, mut answers) = tokio::sync::mpsc::unbounded_channel();
    list(
        docker.clone(),
        StreamId(1),
        target,
        "/etc/mtab".into(),
        events,
    )
    .await;
    common::cleanup(&docker, test).await;
    let Some(DockerEvent::Files {
        answer: Answer::Failed(e),
        ..
    }) = answers.recv().await
    else {
        panic!("a failure");
    };
    assert!(
        e.message.ends_with("/etc/mtab → /proc/mounts"),
        "{}",
        e.message
    );
    assert!(e.hint.is_some_and(|h| h.contains("/proc")), "{:?}", e.hint);
}
