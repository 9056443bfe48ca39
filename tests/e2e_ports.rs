//! Published ports as links, against a real engine: the containers pane writes each cell
//! of a published port inside an OSC 8 hyperlink to it (read from the raw bytes dockpit
//! wrote to the pty), and so does inspect's summary; `[defaults] hyperlinks = false` writes
//! none.

mod common;

use std::time::Duration;

use common::screen::App;

/// `text` as dockpit writes it linked to `url`: each character in a link of its own.
fn linked(url: &str, text: &str) -> String {
    text.chars()
        .map(|c| format!("\x1b]8;id=dockpit;{url}\x1b\\{c}\x1b]8;;\x1b\\"))
        .collect()
}

/// Starts dockpit with `args`, filtered to `name`, and waits for its port's text; answers
/// where its output stood once started (the terminal's modes set).
fn start_on(name: &str, port_text: &str, args: &[&str]) -> (App, usize) {
    let mut app = App::start(200, 40, args);
    app.wait_for_text("Containers");
    let started = app.output.lock().expect("output").len();
    app.keys("/");
    app.keys(name);
    app.keys("\r");
    app.wait_for(port_text, Duration::from_secs(10), |s| {
        s.contains(port_text)
    });
    (app, started)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_ports_are_osc8_links_unless_switched_off() {
    let _exclusive = common::screen::exclusive().await;
    let test = "port-links";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let sleep = vec!["sleep".into(), "600".into()];
    let id = common::start_publishing_80(&docker, test, &name, sleep).await;
    let inspect = docker.inspect_container(&id, None).await.expect("inspect");
    let port = (inspect.network_settings.and_then(|n| n.ports))
        .and_then(|p| p.get("80/tcp").cloned().flatten())
        .and_then(|b| b.first().and_then(|b| b.host_port.clone()))
        .expect("the published port");
    let text = format!("127.0.0.1:{port}->80/tcp");
    let url = format!("http://127.0.0.1:{port}");

    let (mut app, started) = start_on(&name, &text, &["--interval", "60"]);
    let bytes = app.output.lock().expect("output").clone();
    let written = String::from_utf8_lossy(&bytes);
    assert!(
        written.contains(&linked(&url, &text)),
        "every cell of {text} linked to {url}"
    );
    let foreign = common::screen::foreign_sequences(&bytes[started..]);
    assert!(
        foreign.is_empty(),
        "only dockpit's own sequences: {foreign:?}"
    );
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);

    let config = std::env::temp_dir().join(format!("dockpit-{test}-{}.toml", common::run()));
    std::fs::write(&config, "[defaults]\nhyperlinks = false\n").expect("the config");
    let path = config.to_string_lossy().to_string();
    let (mut app, _) = start_on(&name, &text, &["--interval", "60", "--config", &path]);
    let bytes = app.output.lock().expect("output").clone();
    assert!(
        !String::from_utf8_lossy(&bytes).contains("\x1b]8;"),
        "no link with hyperlinks = false"
    );
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    let _ = std::fs::remove_file(&config);
    common::cleanup(&docker, test).await;
}
