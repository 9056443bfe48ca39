//! `b` on a container of an ssh host (issue 28.4): dockpit starts `ssh -N -L` to the port
//! the container publishes on the far machine and opens the local end with `$BROWSER`. Here
//! the far machine is the fleet engine reached through the sshd tests/engine.sh starts on
//! 127.0.0.1:22; the page is fetched through the forward; the hosts view lists it, `d` there
//! closes it (its port is free again), and quitting leaves no ssh behind. Run in
//! tests/run.sh's fleet stage.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use common::fleet::{fleet, fleet_dir};
use common::screen::App;

/// A `$BROWSER` that writes each URL it is given as a line of `log`.
fn fake_browser(dir: &Path, log: &Path) -> String {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("browser");
    let text = format!("#!/bin/sh\necho \"$1\" >> '{}'\n", log.display());
    std::fs::write(&script, text).expect("write the fake browser");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
        .expect("make it runnable");
    script.to_string_lossy().into_owned()
}

/// The `n`th URL the fake browser was given, once it is (up to 30 s: ssh logs in first).
fn nth_url(log: &Path, n: usize, app: &App) -> String {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        let urls = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(url) = urls.lines().nth(n) {
            return url.to_string();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("no URL {n} opened; the screen:\n{}", app.screen());
}

/// `http://127.0.0.1:PORT[/]`'s port: the test talks to this machine's loopback only.
fn local_port(url: &str) -> u16 {
    let rest = url
        .strip_prefix("http://127.0.0.1:")
        .expect("a loopback URL");
    rest.trim_end_matches('/').parse().expect("a port")
}

/// The body `GET /` answers on the local port.
fn fetch(port: u16) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the forward");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    stream
        .write_all(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("ask for the page");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

fn accepts(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// Waits (up to 5 s) until nothing listens on `port` any more.
fn wait_closed(port: u16) {
    let start = Instant::now();
    while accepts(port) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "127.0.0.1:{port} still accepts"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The ssh forwards dockpit runs now: its children whose command line asks for one.
fn ssh_children(dockpit: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let parent = common::procfs::stat_fields(*pid).get(1).cloned();
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            parent == Some(dockpit.to_string())
                && String::from_utf8_lossy(&cmdline).contains("ExitOnForwardFailure=yes")
        })
        .collect()
}

/// busybox httpd on the fleet engine, serving `page` on port 80 published on 127.0.0.1.
async fn web(docker: &bollard::Docker, test: &str, name: &str, page: &str) {
    let script =
        format!("mkdir -p /www && echo {page} > /www/index.html && exec httpd -f -p 80 -h /www");
    common::start_publishing_80(docker, test, name, vec!["sh".into(), "-c".into(), script]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_on_an_ssh_hosts_container_forwards_its_port_until_closed_or_quit() {
    let _exclusive = common::screen::exclusive().await;
    let test = "fleet-forward";
    let remote = fleet().await;
    common::cleanup(&remote, test).await;
    let name = common::unique(test);
    let page = format!("forwarded-page-{}", std::process::id());
    web(&remote, test, &name, &page).await;
    let agent = format!("{}/ssh/agent.sock", fleet_dir());
    assert!(
        Path::new(&agent).exists(),
        "no ssh agent at {agent}: tests/engine.sh up fleet starts it"
    );
    let dir = std::env::temp_dir().join(format!("dockpit-{test}-{}", common::run()));
    std::fs::create_dir_all(&dir).expect("the test's folder");
    let log = dir.join("urls");
    let _ = std::fs::remove_file(&log);
    let browser = fake_browser(&dir, &log);

    let mut app = App::start_with_env(
        160,
        40,
        &["--interval", "60", "-H", "ssh://root@127.0.0.1"],
        &[("SSH_AUTH_SOCK", &agent), ("BROWSER", &browser)],
    );
    app.wait_for_text(&name);
    app.wait_for("its published port", Duration::from_secs(10), |s| {
        s.contains("->80/tcp")
    });
    app.select_container(&name);
    let pressed = Instant::now();
    app.keys("b");
    let url = nth_url(&log, 0, &app);
    // A figure for the README: ssh's login and the first accept (printed with --nocapture).
    eprintln!("b to the forward's URL opened: {:?}", pressed.elapsed());
    let port = local_port(&url);
    let answer = fetch(port);
    assert!(answer.contains(&page), "the page through {url}: {answer}");

    // A second `b` opens the same forward.
    app.keys("b");
    assert_eq!(nth_url(&log, 1, &app), url, "the forward reused");
    assert_eq!(ssh_children(app.pid()).len(), 1, "one ssh for one forward");

    // The hosts view lists it; `d` closes it, at once, and its port is free.
    app.keys("H");
    let listed = format!("→ 127.0.0.1:{port}");
    app.wait_for(
        "the forward in the hosts view",
        Duration::from_secs(5),
        |s| s.contains("forward since") && s.contains(&listed),
    );
    app.keys("G");
    app.wait_for("the forward selected", Duration::from_secs(5), |_| {
        app.is_selected("forward since")
    });
    app.keys("d");
    app.wait_for("the forward to go", Duration::from_secs(5), |s| {
        !s.contains(&listed)
    });
    wait_closed(port);
    let start = Instant::now();
    while !ssh_children(app.pid()).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "its ssh is waited for"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // Another one, open when dockpit quits: its ssh goes with dockpit.
    app.keys("\x1b");
    app.wait_for("the hosts view to close", Duration::from_secs(5), |s| {
        !s.contains("Docker hosts and contexts")
    });
    app.keys("b");
    let again = local_port(&nth_url(&log, 2, &app));
    assert!(fetch(again).contains(&page));
    let ssh = ssh_children(app.pid());
    assert_eq!(ssh.len(), 1, "{ssh:?}");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(10)), 0);
    assert!(
        !Path::new(&format!("/proc/{}", ssh[0])).exists(),
        "ssh {} outlived dockpit",
        ssh[0]
    );
    wait_closed(again);
    let _ = std::fs::remove_dir_all(&dir);
    common::cleanup(&remote, test).await;
}
