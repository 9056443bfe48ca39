//! A host down and back, end to end: a private dockerd started here (its own folder, socket
//! and bridge `dpk-brdown` on 172.27.0.0/16, a subnet no other engine of the suite uses; never a shared engine), watched by dockpit in a
//! pty beside the test engine. Stopped: the strip says the host is down; started again: the
//! alert clears. Run by tests/run.sh in the fleet stage (once, not per engine).

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::screen::App;

const BRIDGE: &str = "dpk-brdown";

/// The private daemon's folder; its socket's folder names the host ("dpk-down-<pid>").
struct Private {
    dir: PathBuf,
    daemon: Option<Child>,
}

impl Private {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("dpk-down-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).expect("its folder");
        let ip = |args: &[&str]| {
            let _ = Command::new("ip").args(args).stderr(Stdio::null()).status();
        };
        ip(&["link", "add", "name", BRIDGE, "type", "bridge"]);
        ip(&["addr", "add", "172.27.0.1/16", "dev", BRIDGE]);
        ip(&["link", "set", BRIDGE, "up"]);
        Self { dir, daemon: None }
    }

    fn socket(&self) -> PathBuf {
        self.dir.join("docker.sock")
    }

    /// Starts its dockerd and waits until it answers.
    fn start(&mut self) {
        let arg = |p: &str| self.dir.join(p).to_string_lossy().into_owned();
        let log = std::fs::File::create(self.dir.join("dockerd.log")).expect("its log");
        let child = Command::new("dockerd")
            .args(["--bridge", BRIDGE, "--iptables=false", "--ip-masq=false"])
            .args(["--data-root", &arg("data"), "--exec-root", &arg("exec")])
            .args(["--pidfile", &arg("docker.pid")])
            .args(["-H", &format!("unix://{}", self.socket().display())])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start a private dockerd");
        self.daemon = Some(child);
        let start = Instant::now();
        while !answers(&self.socket()) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the private dockerd never answered"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops its dockerd (SIGTERM, as `systemctl stop` does) and waits for it to end.
    fn stop(&mut self) {
        if let Some(mut child) = self.daemon.take() {
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let start = Instant::now();
            while child.try_wait().ok().flatten().is_none() {
                if start.elapsed() > Duration::from_secs(30) {
                    let _ = child.kill();
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

impl Drop for Private {
    fn drop(&mut self) {
        self.stop();
        let _ = Command::new("ip").args(["link", "del", BRIDGE]).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Whether a daemon answers `_ping` on `socket`.
fn answers(socket: &std::path::Path) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::os::unix::net::UnixStream::connect(socket) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream.write_all(b"GET /_ping HTTP/1.0\r\n\r\n").is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.ends_with("OK")
}

#[test]
fn a_host_stopped_is_down_in_the_strip_and_clears_when_it_is_back() {
    let _exclusive = common::screen::exclusive_blocking();
    let shared = std::env::var("DOCKER_HOST").expect("DOCKER_HOST: run with tests/run.sh");
    let mut private = Private::new();
    private.start();
    let name = format!("dpk-down-{}", std::process::id());
    // Only this host's alerts: the shared engine's (other suites' exits) stay out.
    let config = private.dir.join("config.toml");
    let rules: String = dockpit::alerts::ALL_KINDS
        .iter()
        .map(|k| format!("[alerts.{k}]\nmatch = \"@{name}\"\n"))
        .collect();
    std::fs::write(&config, format!("[alerts]\nnotify = false\n{rules}")).expect("config");
    let host = format!("unix://{}", private.socket().display());
    let config = config.to_string_lossy().into_owned();
    let mut app = App::start(200, 40, &["-H", &shared, "-H", &host, "--config", &config]);
    // The private daemon is empty: no row names it, the header counts it.
    app.wait_for_text("2 hosts: 2 up");
    let down = "the host is down";
    let strip = |s: &str| s.lines().nth(2).map(str::to_string).unwrap_or_default();
    // Up: no alert of it.
    std::thread::sleep(Duration::from_secs(2));
    assert!(!app.screen().contains(down), "{}", app.screen());
    private.stop();
    app.wait_for("the host down in the strip", Duration::from_secs(20), |s| {
        strip(s).contains(down) && strip(s).contains(&name)
    });
    private.start();
    app.wait_for("the alert cleared", Duration::from_secs(20), |s| {
        !s.contains(down)
    });
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
}
