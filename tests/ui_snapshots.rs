//! Snapshots of every pane and overlay, drawn on ratatui's TestBackend at 80×24 and 160×45.

use crossterm::event::{KeyCode, KeyEvent};
use dockpit::app::{App, Event};
use dockpit::docker::{
    ConnectError, ConnectErrorKind, ContainerRow, ContainerState, DockerEvent, Endpoint,
    EndpointSource, EngineInfo, ImageRow,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const NOW: i64 = 1_764_000_000;
const SIZES: [(u16, u16); 2] = [(80, 24), (160, 45)];

fn endpoint() -> Endpoint {
    Endpoint {
        host: "unix:///var/run/docker.sock".into(),
        source: EndpointSource::Context("desktop".into()),
        tls: None,
    }
}

fn images() -> Vec<ImageRow> {
    let row = |id: &str, repo: &str, tag: &str, size: i64, age: i64| ImageRow {
        key: format!("{id}|{repo}:{tag}"),
        id: format!("sha256:{id}0000000000000000"),
        repository: repo.into(),
        tag: tag.into(),
        size,
        created: NOW - age,
    };
    vec![
        row("047b1cacbee6", "busybox", "1", 1_980_000, 300),
        row("047b1cacbee6", "busybox", "latest", 1_980_000, 300),
        row(
            "9c7a54a9a43c",
            "python",
            "3.11.6",
            1_010_000_000,
            3 * 86_400,
        ),
        row(
            "a1b2c3d4e5f6",
            "127.0.0.1:5000/multi",
            "1",
            4_200_000,
            40 * 86_400,
        ),
        row("ffeeddccbbaa", "<none>", "<none>", 77_800_000, 400 * 86_400),
    ]
}

fn containers() -> Vec<ContainerRow> {
    let row = |name: &str, state, status: &str, ports: &str| ContainerRow {
        id: format!("{name:0<12}deadbeef"),
        name: name.into(),
        image: "busybox:1".into(),
        image_id: "sha256:047b1cacbee60000000000000000".into(),
        state,
        status: status.into(),
        ports: ports.into(),
        created: NOW - 600,
    };
    vec![
        row(
            "web",
            ContainerState::Running,
            "Up 5 minutes",
            "0.0.0.0:8080->80/tcp",
        ),
        row(
            "batch",
            ContainerState::Exited,
            "Exited (137) 2 hours ago",
            "",
        ),
        row(
            "cache",
            ContainerState::Paused,
            "Up 3 days (Paused)",
            "6379/tcp",
        ),
        row("fresh", ContainerState::Created, "Created", ""),
        row(
            "flaky",
            ContainerState::Restarting,
            "Restarting (1) 4 seconds ago",
            "",
        ),
    ]
}

fn connected(size: (u16, u16)) -> App {
    let mut app = App::new(endpoint().label(), NOW, size);
    app.update(Event::Docker(DockerEvent::Connected(EngineInfo {
        endpoint: endpoint(),
        version: "20.10.24".into(),
        api_version: "1.41".into(),
        os_arch: "linux/amd64".into(),
    })));
    app.update(Event::Docker(DockerEvent::Snapshot {
        images: images(),
        containers: containers(),
    }));
    app
}

fn draw(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).expect("terminal");
    terminal
        .draw(|frame| dockpit::ui::render(frame, app))
        .expect("draw");
    format!("{}", terminal.backend())
}

fn key(app: &mut App, code: KeyCode) {
    app.update(Event::Key(KeyEvent::from(code)));
}

#[test]
fn dashboard() {
    for size in SIZES {
        let mut app = connected(size);
        insta::assert_snapshot!(format!("dashboard_{}x{}", size.0, size.1), draw(&app));
        // Containers focused, cursor moved, stopped containers hidden.
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Char('j'));
        key(&mut app, KeyCode::Char('A'));
        insta::assert_snapshot!(format!("running_only_{}x{}", size.0, size.1), draw(&app));
    }
}

#[test]
fn help_overlay() {
    for size in SIZES {
        let mut app = connected(size);
        key(&mut app, KeyCode::Char('?'));
        insta::assert_snapshot!(format!("help_{}x{}", size.0, size.1), draw(&app));
    }
}

#[test]
fn no_daemon() {
    for size in SIZES {
        let mut app = App::new(endpoint().label(), NOW, size);
        let error = ConnectError::new(
            ConnectErrorKind::PermissionDenied,
            &endpoint(),
            "connect(/var/run/docker.sock): Permission denied (os error 13)",
        );
        app.update(Event::Docker(DockerEvent::Disconnected(error.clone())));
        insta::assert_snapshot!(format!("no_daemon_{}x{}", size.0, size.1), draw(&app));

        // Lost after data arrived: the data stays, marked by a banner.
        let mut app = connected(size);
        app.update(Event::Docker(DockerEvent::Disconnected(error)));
        insta::assert_snapshot!(format!("lost_{}x{}", size.0, size.1), draw(&app));
    }
}

#[test]
fn loading_and_empty() {
    let app = App::new(endpoint().label(), NOW, (80, 24));
    insta::assert_snapshot!("connecting_80x24", draw(&app));
    let mut app = connected((80, 24));
    app.update(Event::Docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![],
    }));
    insta::assert_snapshot!("empty_80x24", draw(&app));
}

#[test]
fn too_small() {
    let app = connected((30, 8));
    insta::assert_snapshot!("too_small", draw(&app));
}
