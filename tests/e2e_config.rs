//! The built binary with a hostile `~/.docker/config.json`: a malformed file is a warning on
//! screen (as the CLI warns), and a FIFO there neither freezes the start nor the UI.

mod common;

use std::time::Duration;

use common::screen::App;

fn config_dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("dockpit-e2e-config-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

#[test]
fn a_malformed_config_is_a_warning_on_screen() {
    let dir = config_dir("malformed");
    std::fs::write(dir.join("config.json"), "{not json").expect("write");
    let mut app = App::start_with_env(
        140,
        30,
        &["--host", "unix:///nonexistent/docker.sock"],
        &[("DOCKER_CONFIG", dir.to_str().expect("utf8"))],
    );
    app.wait_for_text("WARNING: error loading the docker config");
    app.wait_for_text("is malformed");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn a_fifo_as_config_neither_freezes_the_start_nor_the_ui() {
    let dir = config_dir("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("config.json"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let mut app = App::start_with_env(
        140,
        30,
        &["--host", "unix:///nonexistent/docker.sock"],
        &[("DOCKER_CONFIG", dir.to_str().expect("utf8"))],
    );
    app.wait_for_text("not a regular file");
    app.wait_for_text("Cannot connect to Docker");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
