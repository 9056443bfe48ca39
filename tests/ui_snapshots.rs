//! Snapshots of every pane and overlay, drawn on ratatui's TestBackend at 80×24 and 160×45.

use crossterm::event::{KeyCode, KeyEvent};
use dockpit::app::{App, Event, Settings};
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
        host: Default::default(),
        key: format!("{id}|{repo}:{tag}"),
        id: format!("sha256:{id}0000000000000000"),
        // As `docker image ls` prints an untagged image.
        repository: (repo != "<none>").then(|| repo.into()),
        tag: (tag != "<none>").then(|| tag.into()),
        size,
        created: NOW - age,
        registry_copy: false,
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
        host: Default::default(),
        id: format!("{name:0<12}deadbeef").into(),
        name: name.into(),
        image: "busybox:1".into(),
        image_id: "sha256:047b1cacbee60000000000000000".into(),
        state,
        status: status.into(),
        ports: ports.into(),
        created: NOW - 600,
        aging: None,
        compose: None,
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

/// The first (or only) host's event, as the Docker task sends it.
fn docker(event: DockerEvent) -> Event {
    Event::Host(Default::default(), event)
}

/// Ports drawn as plain text: a link's escapes would hide it in a snapshot (they are
/// checked by `published_ports_are_links` and in a pty by `e2e_ports`).
fn plain() -> Settings {
    let mut settings = Settings::default();
    settings.prefs.hyperlinks = false;
    settings
}

fn new_app(size: (u16, u16)) -> App {
    App::new(Settings {
        endpoint: endpoint().label(),
        now: NOW,
        size,
        ..plain()
    })
}

fn connected(size: (u16, u16)) -> App {
    let mut app = new_app(size);
    app.update(docker(DockerEvent::Connected(EngineInfo {
        endpoint: endpoint(),
        version: "20.10.24".into(),
        api_version: "1.41".into(),
        os_arch: "linux/amd64".into(),
    })));
    app.update(docker(DockerEvent::Snapshot {
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

/// The first line of `screen` that holds `text` (none: empty, and the assertion after it
/// says what the screen was).
fn line_with<'a>(screen: &'a str, text: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_default()
}

fn key(app: &mut App, code: KeyCode) {
    app.update(Event::Key(KeyEvent::from(code)));
}

#[test]
fn dashboard() {
    for size in SIZES {
        let mut app = connected(size);
        insta::assert_snapshot!(format!("dashboard_{}x{}", size.0, size.1), draw(&app));
        // Cursor moved, stopped containers hidden (the containers pane has the keys at start).
        key(&mut app, KeyCode::Char('j'));
        key(&mut app, KeyCode::Char('A'));
        insta::assert_snapshot!(format!("running_only_{}x{}", size.0, size.1), draw(&app));
    }
}

/// With `hyperlinks` on, each cell of a published port carries its own OSC 8 link to the
/// port (the rest of the screen none); off, none does.
#[test]
fn published_ports_are_links() {
    let linked = |app: &App| -> Vec<(String, String)> {
        let mut terminal = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
        terminal
            .draw(|frame| dockpit::ui::render(frame, app))
            .expect("draw");
        let buffer = terminal.backend().buffer();
        let cells = buffer.content().iter().map(|c| c.symbol());
        cells
            .filter(|s| s.contains('\x1b'))
            .map(|s| {
                let rest = s
                    .strip_prefix("\x1b]8;id=dockpit;")
                    .expect("a dockpit link");
                let (url, rest) = rest.split_once("\x1b\\").expect("its URL");
                let text = rest.strip_suffix("\x1b]8;;\x1b\\").expect("closed");
                (url.to_string(), text.to_string())
            })
            .collect()
    };
    let mut app = connected((160, 45));
    assert!(linked(&app).is_empty());
    app.prefs.hyperlinks = true;
    let links = linked(&app);
    let text: String = links.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(text, "0.0.0.0:8080->80/tcp");
    assert!(links.iter().all(|(url, _)| url == "http://localhost:8080"));
}

/// The panes' cells longer than their columns end in `…` (the PORTS and IMAGE of a
/// container, an image's repository), never cut silently; a port cut is no link.
#[test]
fn the_panes_cut_long_cells_with_a_sign() {
    let ports = "0.0.0.0:18080->80/tcp, [::]:18080->80/tcp, 0.0.0.0:18443->443/tcp";
    let image = "registry.example.com/a-team/a-rather-long-image-name:with-a-long-tag-too";
    let mut rows = containers();
    rows[0].ports = ports.into();
    rows[0].image = image.into();
    let web = |width| {
        let mut app = connected((width, 45));
        app.update(docker(DockerEvent::Snapshot {
            images: images(),
            containers: rows.clone(),
        }));
        let drawn = draw(&app);
        let web = line_with(&drawn, "│web ");
        (app, web.to_string())
    };
    let (mut app, narrow) = web(160);
    assert!(
        narrow.contains("0.0.0.0:18080->80/tcp, [::]:18080->80/tcp, 0.0.0.…"),
        "{narrow}"
    );
    assert!(
        narrow.contains("registry.example.com/a-team/a-rather-lo…"),
        "{narrow}"
    );
    // With room to spare the ports show whole; the image stays within its cap.
    let (_, wide) = web(220);
    assert!(wide.contains(&format!(" {ports} ")), "{wide}");
    assert!(
        wide.contains("registry.example.com/a-team/a-rather-lo…"),
        "{wide}"
    );
    app.prefs.hyperlinks = true;
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
    terminal
        .draw(|frame| dockpit::ui::render(frame, &app))
        .expect("draw");
    let linked: String = (terminal.backend().buffer().content().iter())
        .filter_map(|c| c.symbol().split_once("\x1b\\").map(|(_, t)| t.to_string()))
        .map(|t| t.trim_end_matches("\x1b]8;;\x1b\\").to_string())
        .collect();
    assert_eq!(
        linked, "0.0.0.0:18080->80/tcp[::]:18080->80/tcp",
        "the whole ports are links, the cut one is none"
    );
}

/// CPU % and MEM, once turned on with U, show before IMAGE when not all fit, at any width:
/// before, at some widths IMAGE and CPU % showed and MEM did not.
#[test]
fn usage_turned_on_shows_before_image() {
    let mut rows = containers();
    for r in &mut rows {
        r.image = "registry.example.com/team/app:1".into();
        r.ports = String::new();
    }
    let mut checked = 0;
    for width in 60..=160 {
        let mut app = connected((width, 30));
        app.update(docker(DockerEvent::Snapshot {
            images: images(),
            containers: rows.clone(),
        }));
        assert_eq!(app.focus, dockpit::app::Pane::Containers);
        key(&mut app, KeyCode::Char('U'));
        let drawn = draw(&app);
        let header = line_with(&drawn, "│NAME");
        if header.contains("IMAGE") {
            assert!(
                header.contains("CPU %") && header.contains("MEM"),
                "at {width}: {header}"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "IMAGE showed at no width");
}

/// At 80 columns a long repository gives way so that CREATED (priority 1) shows, cut with
/// a sign, rather than leaving only REPOSITORY and TAG.
#[test]
fn a_long_repository_gives_way_to_created() {
    let mut rows = images();
    rows[0].repository = Some("registry.example.com/a-team/some-group/a-long-image-name".into());
    let mut app = connected((80, 24));
    app.update(docker(DockerEvent::Snapshot {
        images: rows,
        containers: containers(),
    }));
    let drawn = draw(&app);
    let header = line_with(&drawn, "REPOSITORY");
    assert!(header.contains("CREATED"), "{drawn}");
    assert!(drawn.contains("registry.example.com/a-team/"), "{drawn}");
    assert!(
        drawn.contains("…"),
        "the repository cut with a sign: {drawn}"
    );
}

/// A sort by a column not drawn at this width (IMAGE at 80 columns, `>` from NAME) is said
/// in the title, where the header cannot show it.
#[test]
fn a_sort_by_a_column_not_drawn_is_in_the_title() {
    let mut app = connected((80, 24));
    let title = |app: &App| {
        let drawn = draw(app);
        let line = line_with(&drawn, "┌ Containers");
        line.to_string()
    };
    assert!(!title(&app).contains(" by "), "{}", title(&app));
    press(&mut app, '>');
    let drawn = draw(&app);
    let header = line_with(&drawn, "NAME");
    assert!(
        !header.contains("IMAGE"),
        "not drawn at 80 columns: {header}"
    );
    assert!(title(&app).contains(") by IMAGE ▲ "), "{}", title(&app));
    press(&mut app, '<');
    assert!(title(&app).contains(") by IMAGE ▼ "), "{}", title(&app));
}

/// `containers()` and two Compose projects, one of them partly running.
fn with_projects() -> Vec<ContainerRow> {
    let service = |project: &str, name: &str, state, status: &str| {
        let compose = dockpit::docker::compose::Compose {
            project: project.into(),
            service: name.into(),
            working_dir: format!("/home/ana/src/{project}"),
            config_files: format!("/home/ana/src/{project}/compose.yml"),
            config_hash: String::new(),
        };
        ContainerRow {
            host: Default::default(),
            id: format!("{project}-{name:0<12}cafe").into(),
            name: format!("{project}-{name}-1"),
            image: format!("{project}-{name}:latest"),
            image_id: "sha256:1111".into(),
            state,
            status: status.into(),
            ports: String::new(),
            created: NOW - 900,
            aging: None,
            compose: Some(std::sync::Arc::new(compose)),
        }
    };
    let mut rows = containers();
    rows.extend([
        service("shop", "db", ContainerState::Running, "Up 15 minutes"),
        service(
            "shop",
            "web",
            ContainerState::Exited,
            "Exited (0) 1 minute ago",
        ),
        service("blog", "app", ContainerState::Running, "Up 15 minutes"),
    ]);
    rows
}

#[test]
fn compose_projects() {
    for size in SIZES {
        let mut app = connected(size);
        app.update(docker(DockerEvent::Snapshot {
            images: images(),
            containers: with_projects(),
        }));
        let screen = draw(&app);
        // The title counts containers as the header does: project rows are none.
        assert!(screen.contains("Containers 3 running / 8 all"), "{screen}");
        assert!(screen.contains("Containers — all (1/8)"), "{screen}");
        // A project's row spans the columns after STATE: what it is, its files, its folder.
        let shop = screen.lines().find(|l| l.contains("▾ shop")).expect("shop");
        assert!(
            shop.contains("1/2 up      compose project · compose.yml · /home/ana/src/shop"),
            "{shop}"
        );
        insta::assert_snapshot!(format!("compose_projects_{}x{}", size.0, size.1), screen);
        // The first project (blog) folded; shop's first container marked, shop's row selected.
        key(&mut app, KeyCode::Char('j'));
        key(&mut app, KeyCode::Char('j'));
        key(&mut app, KeyCode::Enter);
        for _ in 0..5 {
            key(&mut app, KeyCode::Char('j'));
        }
        key(&mut app, KeyCode::Char(' '));
        key(&mut app, KeyCode::Char('k'));
        key(&mut app, KeyCode::Char('k'));
        insta::assert_snapshot!(format!("compose_folded_{}x{}", size.0, size.1), draw(&app));
    }
}

#[test]
fn merged_logs() {
    use dockpit::docker::logs::LogLine;
    let mut app = connected((100, 24));
    app.update(docker(DockerEvent::Snapshot {
        images: images(),
        containers: with_projects(),
    }));
    // The "shop" project's row: after batch, blog's two rows, cache, flaky and fresh.
    for _ in 0..6 {
        key(&mut app, KeyCode::Char('j'));
    }
    let streams: Vec<_> = app
        .update(Event::Key(KeyEvent::from(KeyCode::Char('l'))))
        .commands()
        .into_iter()
        .filter_map(|c| match c {
            dockpit::docker::Command::FollowLogs { id, .. } => Some(id),
            _ => None,
        })
        .collect();
    assert_eq!(streams.len(), 2, "shop has two containers");
    for (n, id) in streams.iter().enumerate() {
        let lines = (0..6)
            .map(|i| LogLine {
                err: i == 5 && n == 1,
                time: format!("2026-11-28T14:00:{:02}.000000000Z", i * 2 + n),
                text: format!("line {i} of service {n}"),
                source: 0,
            })
            .collect();
        app.update(docker(DockerEvent::LogLines { id: *id, lines }));
    }
    insta::assert_snapshot!("merged_logs_100x24", draw(&app));
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    insta::assert_snapshot!("merged_logs_one_source_100x24", draw(&app));
}

#[test]
fn help_overlay() {
    for size in SIZES {
        let mut app = connected(size);
        key(&mut app, KeyCode::Char('?'));
        insta::assert_snapshot!(format!("help_{}x{}", size.0, size.1), draw(&app));
    }
}

/// The volumes view open at 160×45, listed with no volume.
fn empty_volumes_view() -> App {
    let mut app = connected((160, 45));
    let id = host_request(&press(&mut app, 'V'));
    app.update(docker(DockerEvent::Host {
        id,
        result: Ok(dockpit::docker::host::HostAnswer::Volumes(
            vec![],
            Some(Default::default()),
        )),
    }));
    app
}

/// Help over a list: drawn over that view, listing the keys that work there (its own, every
/// list's, moving and help), not the panes' nor other views'.
#[test]
fn help_over_the_volumes_view() {
    let mut app = empty_volumes_view();
    key(&mut app, KeyCode::Char('?'));
    let drawn = draw(&app);
    insta::assert_snapshot!("help_over_volumes_160x45", drawn);
    assert!(drawn.contains("┌ Volumes"), "{drawn}");
    for listed in [
        "Volumes view",
        "Lists (",
        "move down",
        "?               help",
    ] {
        assert!(drawn.contains(listed), "{listed}: {drawn}");
    }
    for not_listed in ["Images pane", "Networks view", "command log", "pull"] {
        assert!(!drawn.contains(not_listed), "{not_listed}: {drawn}");
    }
}

/// With a filter kept in a list, the footer says that Esc clears it (not "close").
#[test]
fn a_lists_footer_says_esc_clears_a_kept_filter() {
    let mut app = empty_volumes_view();
    let footer = |app: &App| draw(app).lines().last().unwrap_or_default().to_string();
    assert!(footer(&app).contains("Esc close"), "{}", footer(&app));
    for c in "/redis".chars() {
        press(&mut app, c);
    }
    key(&mut app, KeyCode::Enter);
    assert!(
        footer(&app).contains("Esc clear the filter"),
        "{}",
        footer(&app)
    );
    key(&mut app, KeyCode::Esc);
    assert!(footer(&app).contains("Esc close"), "{}", footer(&app));
}

#[test]
fn no_daemon() {
    for size in SIZES {
        let mut app = new_app(size);
        let error = ConnectError::new(
            ConnectErrorKind::PermissionDenied,
            &endpoint(),
            "connect(/var/run/docker.sock): Permission denied (os error 13)",
        );
        app.update(docker(DockerEvent::Disconnected(
            error.clone(),
            std::time::Duration::from_secs(1),
        )));
        insta::assert_snapshot!(format!("no_daemon_{}x{}", size.0, size.1), draw(&app));

        // Lost after data arrived: the data stays, marked by a banner.
        let mut app = connected(size);
        app.update(docker(DockerEvent::Disconnected(
            error,
            std::time::Duration::from_secs(1),
        )));
        insta::assert_snapshot!(format!("lost_{}x{}", size.0, size.1), draw(&app));
    }
}

#[test]
fn loading_and_empty() {
    let app = new_app((80, 24));
    insta::assert_snapshot!("connecting_80x24", draw(&app));
    let mut app = connected((80, 24));
    app.update(docker(DockerEvent::Snapshot {
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

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn op_id(commands: &[dockpit::docker::Command]) -> dockpit::docker::OpId {
    match commands.first() {
        Some(dockpit::docker::Command::Op { id, .. }) => *id,
        other => panic!("expected an action, got {other:?}"),
    }
}

#[test]
fn pull_dialog_valid_and_invalid() {
    let mut app = connected((80, 24));
    key(&mut app, KeyCode::Char('p'));
    insta::assert_snapshot!("pull_dialog_80x24", draw(&app));
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        crossterm::event::KeyModifiers::CONTROL,
    )));
    typed(&mut app, "Busybox:1");
    insta::assert_snapshot!("pull_dialog_invalid_80x24", draw(&app));
}

#[test]
fn run_form() {
    for size in SIZES {
        let mut app = connected(size);
        key(&mut app, KeyCode::Char('r'));
        key(&mut app, KeyCode::Tab);
        typed(&mut app, "web");
        for _ in 0..6 {
            key(&mut app, KeyCode::Tab);
        }
        typed(&mut app, "8080:80,bad");
        insta::assert_snapshot!(format!("run_form_{}x{}", size.0, size.1), draw(&app));
    }
}

/// "Edit and recreate" (`u`, `e`, Enter): the run form filled from the container's inspect,
/// titled for it, with what it keeps and the CLI lines under it; one env changed.
#[test]
fn edit_and_recreate_form() {
    let mut app = connected((100, 42));
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Char('u'));
    key(&mut app, KeyCode::Char('e'));
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Enter)));
    let Some((_, dockpit::docker::Command::Inspect { id, .. })) = effects.docker.first() else {
        panic!("the inspect is asked for: {:?}", effects.docker);
    };
    let json = serde_json::json!({
        "Name": "/web",
        "Config": {
            "Image": "nginx:1.25", "Cmd": ["nginx", "-g", "daemon off;"],
            "Env": ["PATH=/usr/bin", "MODE=prod"], "Labels": {"team": "web"},
            "User": "101", "WorkingDir": "/srv"
        },
        "HostConfig": {
            "Binds": ["/srv/www:/usr/share/nginx/html:ro"],
            "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]},
            "RestartPolicy": {"Name": "unless-stopped"}, "NetworkMode": "default",
            "Memory": 268435456
        }
    });
    app.update(docker(DockerEvent::Inspected {
        id: *id,
        result: Ok(dockpit::docker::inspect::Inspection {
            summary: Vec::new(),
            json: json.to_string(),
            top: None,
            changes: None,
        }),
    }));
    for _ in 0..5 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::End);
    for _ in 0.."prod".len() {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "test");
    insta::assert_snapshot!("edit_and_recreate_form_100x42", draw(&app));
}

#[test]
fn confirm_dialogs() {
    let mut app = connected((100, 30));
    // Sorted by name: batch, cache, flaky, fresh, web. "web" is running.
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Char('d'));
    insta::assert_snapshot!("remove_container_100x30", draw(&app));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('K'));
    key(&mut app, KeyCode::Down);
    insta::assert_snapshot!("kill_picker_100x30", draw(&app));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('X'));
    insta::assert_snapshot!("prune_containers_100x30", draw(&app));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('d'));
    insta::assert_snapshot!("remove_image_100x30", draw(&app));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('t'));
    typed(&mut app, "me/busybox:v2");
    insta::assert_snapshot!("tag_dialog_100x30", draw(&app));
}

#[test]
fn commit_dialog() {
    let mut app = connected((100, 30));
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, "me/snapshot:1");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "before the upgrade");
    insta::assert_snapshot!("commit_dialog_100x30", draw(&app));
}

#[test]
fn an_image_without_a_date_shows_a_blank_created_as_docker_images_does() {
    let mut app = connected((100, 24));
    let mut undated = images();
    // What the daemon answers for an image config with no `created`: Go's zero time.
    undated[0].created = -62_135_596_800;
    app.update(docker(DockerEvent::Images(undated)));
    let screen = draw(&app);
    assert!(!screen.contains("years ago"), "{screen}");
    assert!(screen.contains("3 days ago"), "{screen}");
}

#[test]
fn a_structure_note_wider_than_the_view_wraps_whole() {
    use dockpit::docker::explore::{Node, NodeKind, Tree};
    let mut app = connected((80, 24));
    key(&mut app, KeyCode::Tab);
    let id = match app
        .update(Event::Key(KeyEvent::from(KeyCode::Enter)))
        .commands()
        .first()
    {
        Some(dockpit::docker::Command::Explore { id, .. }) => *id,
        other => panic!("{other:?}"),
    };
    let note = "The registry part is missing: dns error: failed to lookup address information: \
                Name or service not known. Showing what the daemon has locally.";
    let tree = Tree {
        reference: "busybox:1".into(),
        root: Node {
            kind: NodeKind::Config,
            label: "local image".into(),
            digest: None,
            size: None,
            details: Vec::new(),
            children: Vec::new(),
        },
        notes: vec![note.into()],
    };
    app.update(docker(DockerEvent::Explored {
        id,
        result: Ok(tree),
    }));
    let screen = draw(&app);
    // The note's end is on screen, on a line of its own under its start.
    assert!(screen.contains("daemon has locally."), "{screen}");
    assert!(screen.contains("local image"), "{screen}");
    insta::assert_snapshot!("structure_note_wraps_80x24", screen);
}

#[test]
fn a_push_digest_wider_than_the_pulls_view_wraps_whole() {
    use dockpit::docker::Progress;
    let mut app = connected((80, 24));
    key(&mut app, KeyCode::Char('p'));
    typed(&mut app, "127.0.0.1:5000/layered:1");
    let id = op_id(
        &app.update(Event::Key(KeyEvent::from(KeyCode::Enter)))
            .commands(),
    );
    let digest = "sha256:e7448942ca4a91eb5a8cd88f2afa48dca665ccf0f234aed48773a0d215eb9d5d";
    app.update(docker(DockerEvent::OpProgress {
        id,
        progress: Progress::Line(format!("1: digest: {digest} size: 527")),
    }));
    let screen = draw(&app);
    // The digest's end and the size after it are on screen, on the line under its start.
    assert!(screen.contains("5eb9d5d size: 527"), "{screen}");
    insta::assert_snapshot!("push_digest_wraps_80x24", screen);
}

#[test]
fn pull_progress_command_log_and_status() {
    use dockpit::docker::{OpError, Progress};
    use std::time::Duration;
    let mut app = connected((120, 36));
    key(&mut app, KeyCode::Char('p'));
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        crossterm::event::KeyModifiers::CONTROL,
    )));
    typed(&mut app, "127.0.0.1:5000/layered:1");
    let id = op_id(
        &app.update(Event::Key(KeyEvent::from(KeyCode::Enter)))
            .commands(),
    );
    let layer =
        |id: &str, status: &str, current: Option<i64>, total: Option<i64>| Progress::Layer {
            id: id.into(),
            status: status.into(),
            current,
            total,
        };
    let events = [
        Progress::Line("1: Pulling from layered".into()),
        layer(
            "f9f83c3af34b",
            "Downloading",
            Some(1_500_000),
            Some(4_066_229),
        ),
        layer("0a1b2c3d4e5f", "Already exists", None, None),
    ];
    for progress in events {
        app.update(docker(dockpit::docker::DockerEvent::OpProgress {
            id,
            progress,
        }));
    }
    insta::assert_snapshot!("pull_progress_120x36", draw(&app));
    key(&mut app, KeyCode::Esc);
    insta::assert_snapshot!("pulling_status_120x36", draw(&app));
    for progress in [
        layer("f9f83c3af34b", "Pull complete", None, None),
        Progress::Line(
            "Digest: sha256:e7448942ca4a91eb5a8cd88f2afa48dca665ccf0f234aed48773a0d215eb9d5d"
                .into(),
        ),
        Progress::Line("Status: Downloaded newer image for 127.0.0.1:5000/layered:1".into()),
    ] {
        app.update(docker(dockpit::docker::DockerEvent::OpProgress {
            id,
            progress,
        }));
    }
    app.update(docker(dockpit::docker::DockerEvent::OpDone {
        id,
        result: Ok("Downloaded newer image for 127.0.0.1:5000/layered:1".into()),
        elapsed: Duration::from_millis(1200),
    }));
    key(&mut app, KeyCode::Char('G'));
    let id = op_id(
        &app.update(Event::Key(KeyEvent::from(KeyCode::Char('x'))))
            .commands(),
    );
    app.update(docker(dockpit::docker::DockerEvent::OpDone {
        id,
        result: Err(OpError::new(
            "cannot stop container: web: permission denied",
        )),
        elapsed: Duration::from_millis(30),
    }));
    insta::assert_snapshot!("action_failed_status_120x36", draw(&app));
    key(&mut app, KeyCode::Char('L'));
    insta::assert_snapshot!("command_log_120x36", draw(&app));
}

/// A session fed a recorded byte stream: colours, attributes, then the alternate screen.
#[test]
fn terminal_pane_from_recorded_output() {
    use dockpit::docker::DockerEvent as D;
    let mut app = connected((120, 30));
    key(&mut app, KeyCode::Char('G'));
    app.update(Event::Key(KeyEvent::from(KeyCode::Char('a'))));
    let id = app.terminals.sessions[0].id;
    app.update(docker(D::SessionOpened {
        id,
        interactive: true,
    }));
    let recorded: &[u8] = b"/ # ls --color\r\n\x1b[1;34mbin\x1b[0m  \x1b[1;32mrun.sh\x1b[0m  \x1b[4mREADME\x1b[0m\r\n\
        \x1b]0;evil title\x07\x1b]52;c;ZXZpbA==\x07/ # ";
    app.update(docker(D::SessionOutput {
        id,
        bytes: recorded.to_vec(),
    }));
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).expect("terminal");
    terminal
        .draw(|frame| dockpit::ui::render(frame, &app))
        .expect("draw");
    // Colours and attributes reach the cells; title and clipboard sequences do not appear.
    let buffer = terminal.backend().buffer().clone();
    let cell = buffer
        .content()
        .iter()
        .find(|c| c.symbol() == "b" && c.fg == ratatui::style::Color::Indexed(4))
        .expect("a blue, bold 'bin'");
    assert!(cell.modifier.contains(ratatui::style::Modifier::BOLD));
    insta::assert_snapshot!("terminal_pane_120x30", draw(&app));

    // A full-screen program switches to the alternate screen; leaving it restores the shell.
    app.update(docker(D::SessionOutput {
        id,
        bytes: b"\x1b[?1049h\x1b[H\x1b[2JMem: 1K used\r\n  PID USER COMMAND\r\n    1 root top"
            .to_vec(),
    }));
    insta::assert_snapshot!("terminal_pane_alternate_120x30", draw(&app));
    app.update(docker(D::SessionOutput {
        id,
        bytes: b"\x1b[?1049l".to_vec(),
    }));
    assert!(draw(&app).contains("README"));
    // Zoomed: the pane takes the whole body.
    key(&mut app, KeyCode::Char('5'));
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char(']'),
        crossterm::event::KeyModifiers::CONTROL,
    )));
    key(&mut app, KeyCode::Char('z'));
    insta::assert_snapshot!("terminal_zoomed_120x30", draw(&app));
}

#[test]
fn logs_view() {
    use dockpit::docker::logs::LogLine;
    let mut app = connected((100, 24));
    let id = match app
        .update(Event::Key(KeyEvent::from(KeyCode::Char('l'))))
        .commands()
        .first()
    {
        Some(dockpit::docker::Command::FollowLogs { id, .. }) => *id,
        other => panic!("{other:?}"),
    };
    let line = |i: usize, err: bool, text: &str| LogLine {
        err,
        time: format!("2026-11-28T14:00:{i:02}.000000000Z"),
        text: text.into(),
        source: 0,
    };
    let mut lines: Vec<LogLine> = (0..20)
        .map(|i| line(i, i % 5 == 4, &format!("request {i} served in {}ms", i * 3)))
        .collect();
    lines.push(line(
        21,
        false,
        "escape \x1b[31mred\x1b]0;title\x07 and a tab\there",
    ));
    lines.push(line(22, true, &"a long line that wraps ".repeat(6)));
    app.update(docker(DockerEvent::LogLines { id, lines }));
    insta::assert_snapshot!("logs_100x24", draw(&app));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "served in [0-9]+ms");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Char('w'));
    insta::assert_snapshot!("logs_search_timestamps_wrap_100x24", draw(&app));
}

/// A list's title too long for its border loses its middle: the view's name, the folder
/// shown (its end) and the counts stay.
#[test]
fn a_long_list_title_keeps_its_end_and_its_counts() {
    let mut app = connected((80, 24));
    press(&mut app, ':');
    typed(
        &mut app,
        "files /tmp/aaaaaaaaaa/bbbbbbbbbbbb/cccccccccccc/dddddddddd",
    );
    key(&mut app, KeyCode::Enter);
    let screen = draw(&app);
    let title = line_with(&screen, "Files ·");
    assert!(
        title.contains("…") && title.contains("/dddddddddd (0) — reading… ┐"),
        "{screen}"
    );
}

/// Inspect at 80 columns: every tab shows (Changes' label shortened), the name cut with `…`
/// when it must be.
#[test]
fn inspects_tabs_show_at_eighty_columns() {
    use dockpit::docker::inspect::Inspection;
    let mut app = connected((80, 24));
    let id = match app
        .update(Event::Key(KeyEvent::from(KeyCode::Char('i'))))
        .commands()
        .first()
    {
        Some(dockpit::docker::Command::Inspect { id, .. }) => *id,
        other => panic!("{other:?}"),
    };
    let inspection = Inspection {
        summary: vec![("State".into(), "running".into())],
        json: "{}".into(),
        top: Some((vec!["PID".into()], vec![vec!["1".into()]])),
        changes: Some(vec!["C /etc".into()]),
    };
    app.update(docker(DockerEvent::Inspected {
        id,
        result: Ok(inspection),
    }));
    let screen = draw(&app);
    let title = line_with(&screen, "Inspect ·");
    assert!(
        title.contains(" Changes ") && title.contains(" Timeline "),
        "{screen}"
    );
}

/// A logs view whose stream ended for a long reason: its title is cut ending in `…`.
#[test]
fn a_long_logs_title_ends_in_an_ellipsis() {
    let mut app = connected((80, 24));
    let id = match app
        .update(Event::Key(KeyEvent::from(KeyCode::Char('l'))))
        .commands()
        .first()
    {
        Some(dockpit::docker::Command::FollowLogs { id, .. }) => *id,
        other => panic!("{other:?}"),
    };
    app.update(docker(DockerEvent::StreamEnded {
        id,
        reason: format!("No such container: {}", "e8".repeat(32)),
    }));
    let screen = draw(&app);
    let title = line_with(&screen, "Logs ·");
    assert!(title.ends_with("…┐\""), "cut with a sign: {title}");
}

#[test]
fn events_view() {
    use dockpit::docker::EngineEvent;
    let mut app = connected((120, 20));
    let event = |i: i64, kind: &str, action: &str, name: &str| EngineEvent {
        time: (NOW + i) * 1_000_000_000 + 123_000_000,
        kind: dockpit::docker::EventKind::parse(kind),
        action: action.into(),
        actor_id: format!("{i:064}"),
        attributes: vec![
            ("image".into(), "busybox:1".into()),
            ("name".into(), name.into()),
        ],
    };
    for e in [
        event(1, "container", "create", "web"),
        event(2, "network", "connect", "bridge"),
        event(3, "container", "start", "web"),
        event(4, "image", "tag", "busybox:2"),
        event(5, "container", "die", "web\x1b]0;x\x07"),
    ] {
        app.update(docker(DockerEvent::Engine(e)));
    }
    key(&mut app, KeyCode::Char('E'));
    insta::assert_snapshot!("events_120x20", draw(&app));
    key(&mut app, KeyCode::Tab);
    insta::assert_snapshot!("events_containers_120x20", draw(&app));
}

#[test]
fn inspect_view() {
    use dockpit::docker::inspect::Inspection;
    let mut app = connected((100, 22));
    key(&mut app, KeyCode::Char('G'));
    let id = match app
        .update(Event::Key(KeyEvent::from(KeyCode::Char('i'))))
        .commands()
        .first()
    {
        Some(dockpit::docker::Command::Inspect { id, .. }) => *id,
        other => panic!("{other:?}"),
    };
    insta::assert_snapshot!("inspect_loading_100x22", draw(&app));
    let summary = [
        ("Name", "web"),
        ("Image", "busybox:1"),
        ("Command", "sleep 600"),
        ("State", "running"),
        ("Env", "PATH=/usr/bin:/bin"),
        ("Env", "GREETING=hello"),
        ("Ports", "0.0.0.0:8080 -> 80/tcp"),
        ("Restart policy", "no"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let inspection = Inspection {
        summary,
        json: "{\n  \"Id\": \"abc\",\n  \"Config\": {\n    \"Env\": [\"GREETING=hello\"]\n  }\n}"
            .into(),
        top: Some((
            vec!["PID".into(), "USER".into(), "CMD".into()],
            vec![vec!["1".into(), "root".into(), "sleep 600".into()]],
        )),
        changes: Some(vec![
            "C /etc".into(),
            "A /etc/motd.d".into(),
            "D /etc/issue".into(),
        ]),
    };
    app.update(docker(DockerEvent::Inspected {
        id,
        result: Ok(inspection),
    }));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "GREET\\w+");
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("inspect_summary_100x22", draw(&app));
    key(&mut app, KeyCode::Tab);
    insta::assert_snapshot!("inspect_json_100x22", draw(&app));
    key(&mut app, KeyCode::Tab);
    insta::assert_snapshot!("inspect_processes_100x22", draw(&app));
    key(&mut app, KeyCode::Tab);
    insta::assert_snapshot!("inspect_changes_100x22", draw(&app));
}

#[test]
fn stats_view() {
    use dockpit::docker::stats::Sample;
    let mut app = connected((100, 24));
    key(&mut app, KeyCode::Char('G'));
    let id = match app
        .update(Event::Key(KeyEvent::from(KeyCode::Char('S'))))
        .commands()
        .first()
    {
        Some(dockpit::docker::Command::FollowStats { id, .. }) => *id,
        other => panic!("{other:?}"),
    };
    for i in 0..40u64 {
        let sample = Sample {
            cpu_percent: (i % 10) as f64 * 7.5,
            memory: 20_000_000 + i * 500_000,
            memory_limit: 1_000_000_000,
            net_rx: 1_500 * i,
            net_tx: 900 * i,
            block_read: 4_096_000,
            block_write: 0,
            pids: 3,
        };
        app.update(docker(DockerEvent::Stats { id, sample }));
    }
    insta::assert_snapshot!("stats_100x24", draw(&app));
}

#[test]
fn image_structure_view() {
    use dockpit::docker::explore::{Node, NodeKind, Tree};
    let node = |kind, label: &str, digest: &str, size, details: &[&str], children| Node {
        kind,
        label: label.into(),
        digest: Some(format!("sha256:{digest:0<64}")),
        size: Some(size),
        details: details.iter().map(|d| d.to_string()).collect(),
        children,
    };
    let platform = |arch: &str, d: &str| {
        node(
            NodeKind::Manifest,
            &format!("linux/{arch}"),
            d,
            527,
            &["media type: application/vnd.docker.distribution.manifest.v2+json"],
            vec![
                node(
                    NodeKind::Config,
                    "config",
                    "c0ffee",
                    902,
                    &["cmd: /bin/sh"],
                    vec![],
                ),
                node(
                    NodeKind::Layer,
                    "layer 0",
                    "3980e8e58399",
                    1_060_000,
                    &["created by: /bin/sh -c #(nop) ADD file:… in /"],
                    vec![],
                ),
            ],
        )
    };
    let tree = Tree {
        reference: "127.0.0.1:5000/multi:1".into(),
        root: node(
            NodeKind::Index,
            "index",
            "66670dc149e3",
            741,
            &["media type: application/vnd.docker.distribution.manifest.list.v2+json"],
            vec![
                platform("amd64", "4b4b03568851"),
                platform("arm64", "1357989749c9"),
            ],
        ),
        notes: vec![],
    };
    let mut app = connected((110, 24));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Char('k'));
    // 127.0.0.1:5000/multi:1 is the one above the last.
    let id = match app
        .update(Event::Key(KeyEvent::from(KeyCode::Enter)))
        .commands()
        .first()
    {
        Some(dockpit::docker::Command::Explore { id, reference }) => {
            assert_eq!(reference.normalized(), "127.0.0.1:5000/multi:1");
            *id
        }
        other => panic!("{other:?}"),
    };
    app.update(docker(DockerEvent::Explored {
        id,
        result: Ok(tree),
    }));
    // Open the amd64 config (row 4) to see its details.
    for _ in 0..4 {
        key(&mut app, KeyCode::Char('j'));
    }
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("structure_110x24", draw(&app));
    // c copies the selected digest; p pulls a platform by digest.
    let copied = app.update(Event::Key(KeyEvent::from(KeyCode::Char('c'))));
    assert_eq!(
        copied.local,
        vec![dockpit::app::Local::Clipboard(format!(
            "sha256:{:0<64}",
            "c0ffee"
        ))]
    );
    assert!(
        copied.docker.is_empty(),
        "the clipboard is not Docker's business"
    );
    key(&mut app, KeyCode::Char('k'));
    key(&mut app, KeyCode::Char('k'));
    let pulled = app
        .update(Event::Key(KeyEvent::from(KeyCode::Char('p'))))
        .commands();
    match pulled.first() {
        Some(dockpit::docker::Command::Op { op, .. }) => assert_eq!(
            op.cli(),
            format!(
                "docker image pull 127.0.0.1:5000/multi@sha256:{:0<64}",
                "4b4b03568851"
            )
        ),
        other => panic!("{other:?}"),
    }
    // The arm64 manifest is not this daemon's platform: the first p warns, the second pulls.
    for _ in 0..5 {
        key(&mut app, KeyCode::Char('j'));
    }
    let warned = app.update(Event::Key(KeyEvent::from(KeyCode::Char('p'))));
    assert!(warned.docker.is_empty(), "{warned:?}");
    let status = app.activity.status.clone().expect("status").text;
    assert!(
        status.contains("linux/arm64 is not this daemon's platform (linux/amd64)"),
        "{status}"
    );
    insta::assert_snapshot!("structure_foreign_pull_110x24", draw(&app));
    let pulled = app
        .update(Event::Key(KeyEvent::from(KeyCode::Char('p'))))
        .commands();
    assert!(
        matches!(pulled.first(), Some(dockpit::docker::Command::Op { op, .. }) if op.cli().contains("1357989749c9")),
        "{pulled:?}"
    );
}

#[test]
fn more_dialogs() {
    let mut app = connected((100, 30));
    key(&mut app, KeyCode::Char('O'));
    typed(&mut app, "127.0.0.1:5000/multi:1");
    insta::assert_snapshot!("explore_form_100x30", draw(&app));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('X'));
    insta::assert_snapshot!("prune_images_100x30", draw(&app));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "web");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "sh -c 'echo hi'");
    for _ in 0..5 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "8080:80");
    insta::assert_snapshot!("run_form_valid_100x30", draw(&app));
}

/// The title counts position, matches and marks; the filter shows while typed and after.
#[test]
fn filtered_and_marked_lists() {
    let mut app = connected((100, 24));
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "ca");
    insta::assert_snapshot!("filter_typed_100x24", draw(&app));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('>'));
    insta::assert_snapshot!("filter_kept_sorted_by_image_100x24", draw(&app));
}

/// The user's commands: under their own heading in help, and a background one's output
/// in the command log.
#[test]
fn custom_commands_in_help_and_command_log() {
    let parsed = dockpit::config::parse(
        r#"
[[commands]]
name = "processes"
key = "Z"
command = "docker top {id}"
run = "background"

[[commands]]
name = "layers"
key = "N"
scope = "images"
command = "dive {id}"
"#,
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let size = (160, 45);
    let mut app = App::new(Settings {
        endpoint: endpoint().label(),
        now: NOW,
        size,
        keymap: parsed.config.keymap,
        ..plain()
    });
    app.prefs.commands = parsed.config.commands;
    app.update(docker(DockerEvent::Snapshot {
        images: images(),
        containers: containers(),
    }));
    key(&mut app, KeyCode::Char('?'));
    // They come last.
    key(&mut app, KeyCode::End);
    insta::assert_snapshot!("help_with_custom_commands", draw(&app));
    key(&mut app, KeyCode::Esc);
    let commands = app
        .update(Event::Key(KeyEvent::new(
            KeyCode::Char('Z'),
            crossterm::event::KeyModifiers::SHIFT,
        )))
        .commands();
    let id = op_id(&commands);
    for line in ["UID   PID   CMD", "root  4242  sleep 1d"] {
        app.update(docker(DockerEvent::OpProgress {
            id,
            progress: dockpit::docker::Progress::Line(line.into()),
        }));
    }
    app.update(docker(DockerEvent::OpDone {
        id,
        result: Ok("processes: exit 0".into()),
        elapsed: std::time::Duration::from_millis(80),
    }));
    key(&mut app, KeyCode::Char('L'));
    insta::assert_snapshot!("command_log_with_custom_output", draw(&app));
}

/// The request a view sent (volumes, networks, disk usage), by id.
fn host_request(commands: &[dockpit::docker::Command]) -> dockpit::docker::StreamId {
    commands
        .iter()
        .find_map(|c| match c {
            dockpit::docker::Command::Host { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no request in {commands:?}"))
}

fn press(app: &mut App, c: char) -> Vec<dockpit::docker::Command> {
    app.update(Event::Key(KeyEvent::from(KeyCode::Char(c))))
        .commands()
}

#[test]
fn health_and_restarts_columns() {
    for size in SIZES {
        let mut app = connected(size);
        let mut rows = containers();
        rows[0].status = "Up 5 minutes (healthy)".into();
        rows[3].status = "Up 2 seconds (health: starting)".into();
        rows[3].state = ContainerState::Running;
        rows[4].status = "Up 1 second (unhealthy)".into();
        let flaky = rows[4].id.clone();
        app.update(docker(DockerEvent::Snapshot {
            images: images(),
            containers: rows,
        }));
        app.update(docker(DockerEvent::RestartCounts(vec![(flaky, 7)])));
        insta::assert_snapshot!(format!("health_restarts_{}x{}", size.0, size.1), draw(&app));
    }
}

/// With rows marked and no filter, the footer says that Esc clears the marks (not
/// "close"), as it does.
#[test]
fn a_lists_footer_says_esc_clears_the_marks() {
    use dockpit::docker::host::HostAnswer;
    use dockpit::docker::volumes::VolumeRow;
    let mut app = connected((160, 45));
    let id = host_request(&press(&mut app, 'V'));
    let rows = vec![VolumeRow {
        name: "pgdata".into(),
        driver: "local".into(),
        scope: "local".into(),
        size: None,
        users: vec![],
    }];
    app.update(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Volumes(rows, Some(Default::default()))),
    }));
    let footer = |app: &App| draw(app).lines().last().unwrap_or_default().to_string();
    assert!(footer(&app).contains("Esc close"), "{}", footer(&app));
    press(&mut app, ' ');
    assert!(
        footer(&app).contains("Esc clear the marks"),
        "{}",
        footer(&app)
    );
    key(&mut app, KeyCode::Esc);
    assert!(
        draw(&app).contains("┌ Volumes (1/1)"),
        "the marks cleared, still open"
    );
    assert!(footer(&app).contains("Esc close"), "{}", footer(&app));
}

#[test]
fn volumes_view_and_dialogs() {
    use dockpit::docker::host::HostAnswer;
    use dockpit::docker::volumes::VolumeRow;
    for size in SIZES {
        let mut app = connected(size);
        let id = host_request(&press(&mut app, 'V'));
        insta::assert_snapshot!(format!("volumes_loading_{}x{}", size.0, size.1), draw(&app));
        let volume = |name: &str, size, users: &[&str]| VolumeRow {
            name: name.into(),
            driver: "local".into(),
            scope: "local".into(),
            size,
            users: users.iter().map(|u| u.to_string()).collect(),
        };
        let rows = vec![
            volume("pgdata", Some(48_200_000), &["db"]),
            volume("shared", Some(1_200), &["web", "worker-1", "worker-2"]),
            volume(
                "3f9c0e1a2b4d6f8a0c2e4f6a8b0d2f4a6c8e0a2b4d6f8a0c2e4f6a8b0d2f4a6c",
                None,
                &[],
            ),
        ];
        app.update(docker(DockerEvent::Host {
            id,
            result: Ok(HostAnswer::Volumes(rows, Some(Default::default()))),
        }));
        key(&mut app, KeyCode::Char('j'));
        insta::assert_snapshot!(format!("volumes_{}x{}", size.0, size.1), draw(&app));
        key(&mut app, KeyCode::Char('d'));
        insta::assert_snapshot!(format!("volume_remove_{}x{}", size.0, size.1), draw(&app));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('X'));
        insta::assert_snapshot!(format!("volume_prune_{}x{}", size.0, size.1), draw(&app));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('c'));
        typed(&mut app, "x");
        insta::assert_snapshot!(format!("volume_create_{}x{}", size.0, size.1), draw(&app));
        // A marked row's sign takes room of its own: the name beside it is not cut.
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('G'));
        key(&mut app, KeyCode::Char(' '));
        let screen = draw(&app);
        // At 80 columns its first 29 and the sign that it is cut (NAME's cap is 30); at 160,
        // whole, in the room the other columns leave.
        let widest = match size.0 {
            80 => "3f9c0e1a2b4d6f8a0c2e4f6a8b0d2…",
            _ => "3f9c0e1a2b4d6f8a0c2e4f6a8b0d2f4a6c8e0a2b4d6f8a0c2e4f6a8b0d2f4a6c ",
        };
        assert!(screen.contains(&format!("● {widest}")), "{screen}");
    }
}

#[test]
fn networks_view_and_picker() {
    use dockpit::docker::Target;
    use dockpit::docker::host::HostAnswer;
    use dockpit::docker::networks::NetworkRow;
    for size in SIZES {
        let mut app = connected(size);
        let id = host_request(&press(&mut app, 'M'));
        let network =
            |name: &str, driver: &str, subnet: &str, gateway: &str, on: &[&str]| NetworkRow {
                id: format!("{name:0<12}"),
                name: name.into(),
                driver: driver.into(),
                scope: "local".into(),
                subnets: if subnet.is_empty() {
                    vec![]
                } else {
                    vec![(subnet.into(), gateway.into())]
                },
                containers: on
                    .iter()
                    .map(|n| Target {
                        id: format!("{n:0<12}deadbeef").into(),
                        name: n.to_string(),
                    })
                    .collect(),
                stopped: vec![],
            };
        let rows = vec![
            network(
                "backend",
                "bridge",
                "172.20.0.0/16",
                "172.20.0.1",
                &["web", "cache"],
            ),
            network(
                "bridge",
                "bridge",
                "172.17.0.0/16",
                "172.17.0.1",
                &["batch"],
            ),
            network("host", "host", "", "", &[]),
            network("none", "null", "", "", &[]),
        ];
        app.update(docker(DockerEvent::Host {
            id,
            result: Ok(HostAnswer::Networks(rows)),
        }));
        insta::assert_snapshot!(format!("networks_{}x{}", size.0, size.1), draw(&app));
        key(&mut app, KeyCode::Char('C'));
        insta::assert_snapshot!(format!("network_connect_{}x{}", size.0, size.1), draw(&app));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('c'));
        typed(&mut app, "front");
        insta::assert_snapshot!(format!("network_create_{}x{}", size.0, size.1), draw(&app));
    }
}

#[test]
fn disk_usage_view_and_prune() {
    use dockpit::docker::disk::{DiskUsage, Usage};
    use dockpit::docker::host::HostAnswer;
    for size in SIZES {
        let mut app = connected(size);
        let id = host_request(&press(&mut app, 'F'));
        let usage = |total, active, size, reclaimable| Usage {
            total,
            active,
            size,
            reclaimable,
        };
        let df = DiskUsage {
            images: usage(5, 2, 1_094_000_000, 82_000_000),
            containers: usage(5, 2, 12_300, 4_100),
            volumes: usage(3, 2, 48_201_200, 0),
            build_cache: usage(0, 0, 0, 0),
            volume_sizes: Default::default(),
        };
        app.update(docker(DockerEvent::Host {
            id,
            result: Ok(HostAnswer::DiskUsage(df)),
        }));
        insta::assert_snapshot!(format!("disk_usage_{}x{}", size.0, size.1), draw(&app));
        key(&mut app, KeyCode::Char('X'));
        insta::assert_snapshot!(
            format!("disk_usage_prune_{}x{}", size.0, size.1),
            draw(&app)
        );
    }
}

/// Several hosts: the HOST column, the header's sum-up with one host down (its rows stale,
/// its name in red), a tab naming its host, and the hosts view.
#[test]
fn fleet_dashboard_and_hosts_view() {
    use dockpit::app::hosts::{Context, HostSpec};
    use dockpit::docker::HostId;
    for size in SIZES {
        let spec = |name: &str, cli: &str, label: &str, read_only| HostSpec {
            name: name.into(),
            cli: cli.into(),
            label: label.into(),
            read_only,
            ..Default::default()
        };
        let mut app = App::new(Settings {
            endpoint: endpoint().label(),
            hosts: vec![
                spec(
                    "local",
                    "-H unix:///var/run/docker.sock",
                    "unix:///var/run/docker.sock",
                    false,
                ),
                spec(
                    "build1",
                    "-H ssh://deploy@build1",
                    "ssh://deploy@build1",
                    false,
                ),
                spec(
                    "prod",
                    "--context prod",
                    "tcp://10.0.0.5:2376 (context prod)",
                    true,
                ),
            ],
            contexts: vec![Context {
                name: "staging".into(),
                endpoint: Ok(Endpoint {
                    host: "tcp://10.0.0.9:2376".into(),
                    source: EndpointSource::Context("staging".into()),
                    tls: None,
                }),
            }],
            now: NOW,
            size,
            ..plain()
        });
        for (i, version) in [(0u16, "26.1.5"), (1, "20.10.24")] {
            app.update(Event::Host(
                HostId(i),
                DockerEvent::Connected(EngineInfo {
                    endpoint: endpoint(),
                    version: version.into(),
                    api_version: "1.41".into(),
                    os_arch: "linux/amd64".into(),
                }),
            ));
        }
        for i in 0..3u16 {
            let mut rows = containers();
            for c in &mut rows {
                c.id = format!("{i}{}", &c.id.as_str()[1..]).into();
            }
            rows.truncate(2 + usize::from(i));
            app.update(Event::Host(
                HostId(i),
                DockerEvent::Snapshot {
                    images: images().into_iter().take(2).collect(),
                    containers: rows,
                },
            ));
        }
        app.update(Event::Host(
            HostId(2),
            DockerEvent::Disconnected(
                ConnectError {
                    kind: ConnectErrorKind::Refused,
                    endpoint: "tcp://10.0.0.5:2376".into(),
                    detail: "Connection refused".into(),
                },
                std::time::Duration::from_secs(8),
            ),
        ));
        // The down host's rows are stale: state unknown, when they were last seen.
        app.update(Event::Tick(NOW + 120));
        let screen = draw(&app);
        let web = screen
            .lines()
            .find(|l| l.contains("prod    web"))
            .expect("prod's web");
        assert!(web.contains("?           last seen 2 minutes ago"), "{web}");
        assert!(!web.contains("running"), "{web}");
        app.update(Event::Tick(NOW));
        insta::assert_snapshot!(format!("fleet_{}x{}", size.0, size.1), draw(&app));
        // Volumes: every live host's at once, a HOST column; a question names its host.
        let id = host_request(&press(&mut app, 'V'));
        for (i, names) in [(0u16, ["pgdata", "shared"]), (1, ["cache", "pgdata"])] {
            let rows = names
                .iter()
                .map(|name| dockpit::docker::volumes::VolumeRow {
                    name: name.to_string(),
                    driver: "local".into(),
                    scope: "local".into(),
                    size: Some(1_200 * i64::from(i + 1)),
                    users: vec![],
                })
                .collect();
            app.update(Event::Host(
                HostId(i),
                DockerEvent::Host {
                    id,
                    result: Ok(dockpit::docker::host::HostAnswer::Volumes(
                        rows,
                        Some(Default::default()),
                    )),
                },
            ));
        }
        key(&mut app, KeyCode::End);
        insta::assert_snapshot!(format!("fleet_volumes_{}x{}", size.0, size.1), draw(&app));
        press(&mut app, 'd');
        insta::assert_snapshot!(
            format!("fleet_volume_remove_{}x{}", size.0, size.1),
            draw(&app)
        );
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Esc);
        // Their parts in a Swarm: local manages it, build1 works in it.
        let member = |node: &str, manager| {
            Some(dockpit::docker::swarm::Membership {
                node_id: node.into(),
                manager,
                managers: vec!["10.0.0.1:2377".into()],
            })
        };
        app.update(Event::Host(
            HostId(0),
            DockerEvent::Swarm(member("n1", true)),
        ));
        app.update(Event::Host(
            HostId(1),
            DockerEvent::Swarm(member("n2", false)),
        ));
        // A local forward to build1's web (b on it), up: listed after the contexts.
        app.forwards.open.push(dockpit::app::forwards::Forward {
            id: 0,
            host: HostId(1),
            container: "1-web".into(),
            name: "web".into(),
            port: dockpit::app::ports::Published {
                ip: "0.0.0.0".into(),
                public: 8080,
                private: 80,
            },
            target: "127.0.0.1:8080".into(),
            local: Some(41000),
            since: NOW - 60,
        });
        key(&mut app, KeyCode::Char('H'));
        insta::assert_snapshot!(format!("hosts_view_{}x{}", size.0, size.1), draw(&app));
    }
}

#[test]
fn swarm_views_and_dialogs() {
    use dockpit::docker::host::HostAnswer;
    use dockpit::docker::swarm::{Membership, Mode, NodeRow, ServiceRow, SwarmListing, TaskRow};
    let node = |id: &str, role: &str, availability: &str, tasks| NodeRow {
        id: id.into(),
        hostname: if id.starts_with('a') {
            "swarm-1"
        } else {
            "swarm-2"
        }
        .into(),
        role: role.into(),
        availability: availability.into(),
        state: "ready".into(),
        manager_status: if role == "manager" { "Leader" } else { "" }.into(),
        engine: "26.1.5".into(),
        labels: if role == "manager" { "zone=a" } else { "" }.into(),
        addr: "10.0.0.2".into(),
        tasks,
    };
    let service = |id: &str, name: &str, stack: Option<&str>, mode, running, desired| ServiceRow {
        id: id.into(),
        name: name.into(),
        mode,
        running,
        desired,
        image: "registry.example/shop/web:1.4".into(),
        ports: if name == "web" { "*:8080->80/tcp" } else { "" }.into(),
        updated: NOW - 300,
        update_state: (name == "web").then(|| "updating".to_string()),
        update_message: None,
        stack: stack.map(str::to_string),
    };
    let task = |id: &str, slot, node: &str, state: &str, error: &str| TaskRow {
        id: id.into(),
        service_id: "s1".into(),
        name: format!("web.{slot}"),
        slot: Some(slot),
        node_id: node.into(),
        desired: if state == "running" {
            "running"
        } else {
            "shutdown"
        }
        .into(),
        state: state.into(),
        message: String::new(),
        error: error.into(),
        since: NOW - 90,
        container: (state == "running").then(|| format!("c0ffee{slot}{slot}aa11bb22").into()),
    };
    let listing = SwarmListing {
        nodes: vec![
            node("a1b2c3d4e5f6g7h8", "manager", "active", 2),
            node("b1b2c3d4e5f6g7h8", "worker", "drain", 0),
        ],
        services: vec![
            service("s1", "web", Some("shop"), Mode::Replicated(5), 3, 5),
            service("s2", "db", Some("shop"), Mode::Replicated(1), 1, 1),
            service("s3", "agent", None, Mode::Global, 2, 2),
        ],
        tasks: vec![
            task("t1", 1, "a1b2c3d4e5f6g7h8", "running", ""),
            task("t2", 2, "a1b2c3d4e5f6g7h8", "running", ""),
            task(
                "t0",
                2,
                "b1b2c3d4e5f6g7h8",
                "failed",
                "task: non-zero exit (1)",
            ),
            task("t3", 3, "b1b2c3d4e5f6g7h8", "running", ""),
        ],
    };
    for size in SIZES {
        let mut app = connected(size);
        app.update(docker(DockerEvent::Swarm(Some(Membership {
            node_id: "a1b2c3d4e5f6g7h8".into(),
            manager: true,
            managers: vec![],
        }))));
        press(&mut app, 'W');
        // Answers what the list open asks now (its level's tasks), under its id.
        let answer = |app: &mut App| {
            use dockpit::app::swarm_lists::{SwarmKind, SwarmTasks};
            let view = app.view.as_ref().expect("the Swarm view");
            let id = view.room().expect("a Swarm list").id;
            // As the manager would: only the tasks the level asks for.
            let tasks = match view.list_of::<SwarmTasks>() {
                Some(list) => list.kind.tasks(),
                None => dockpit::docker::swarm::Tasks::Running,
            };
            let mut shown = listing.clone();
            shown.tasks.retain(|t| match &tasks {
                dockpit::docker::swarm::Tasks::Running => t.desired == "running",
                dockpit::docker::swarm::Tasks::Service(s) => t.service_id == *s,
                dockpit::docker::swarm::Tasks::Node(n) => t.node_id == *n,
            });
            app.update(docker(DockerEvent::Host {
                id,
                result: Ok(HostAnswer::Swarm(tasks, shown)),
            }));
        };
        answer(&mut app);
        let name = |what: &str| format!("swarm_{what}_{}x{}", size.0, size.1);
        insta::assert_snapshot!(name("services"), draw(&app));
        press(&mut app, '=');
        insta::assert_snapshot!(name("scale"), draw(&app));
        key(&mut app, KeyCode::Esc);
        press(&mut app, 'u');
        insta::assert_snapshot!(name("force_update"), draw(&app));
        key(&mut app, KeyCode::Esc);
        press(&mut app, 'b');
        insta::assert_snapshot!(name("rollback"), draw(&app));
        key(&mut app, KeyCode::Esc);
        press(&mut app, 'n');
        insta::assert_snapshot!(name("create"), draw(&app));
        key(&mut app, KeyCode::Esc);
        // The service's logs: its running tasks merged, each line saying task and node.
        let streams: Vec<_> = press(&mut app, 'l')
            .into_iter()
            .filter_map(|c| match c {
                dockpit::docker::Command::FollowTaskLogs { id, .. } => Some(id),
                _ => None,
            })
            .collect();
        for (i, id) in streams.iter().enumerate() {
            app.update(docker(DockerEvent::LogLines {
                id: *id,
                lines: vec![dockpit::docker::logs::LogLine {
                    err: false,
                    time: format!("2026-11-29T01:00:0{i}.000000000Z"),
                    text: format!("GET /health 200 (replica {})", i + 1),
                    source: 0,
                }],
            }));
        }
        insta::assert_snapshot!(name("service_logs"), draw(&app));
        key(&mut app, KeyCode::Esc);
        answer(&mut app);
        key(&mut app, KeyCode::Enter);
        answer(&mut app);
        insta::assert_snapshot!(name("tasks"), draw(&app));
        // A task on a node no host is: dockpit names it and offers its endpoint.
        key(&mut app, KeyCode::End);
        press(&mut app, 'e');
        insta::assert_snapshot!(name("node_offered"), draw(&app));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Esc);
        answer(&mut app);
        key(&mut app, KeyCode::Tab);
        insta::assert_snapshot!(name("stacks"), draw(&app));
        press(&mut app, 'd');
        insta::assert_snapshot!(name("stack_remove"), draw(&app));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(name("stack_services"), draw(&app));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Tab);
        insta::assert_snapshot!(name("nodes"), draw(&app));
        press(&mut app, 'a');
        insta::assert_snapshot!(name("availability"), draw(&app));
        key(&mut app, KeyCode::Esc);
        press(&mut app, 'j');
        press(&mut app, '+');
        insta::assert_snapshot!(name("promote"), draw(&app));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Enter);
        answer(&mut app);
        insta::assert_snapshot!(name("node_tasks"), draw(&app));
    }
}

#[test]
fn files_view_reader_and_dialogs() {
    use dockpit::docker::Command;
    use dockpit::docker::files::{Answer, Entry, Kind, Request, shown_text};
    use dockpit::docker::inspect::Inspection;
    let entry = |name: &str, kind, size, mode, link: Option<&str>| Entry {
        name: name.into(),
        kind,
        size,
        mode,
        link: link.map(String::from),
    };
    for size in SIZES {
        let mut app = connected(size);
        let commands = press(&mut app, 'f');
        let id = commands
            .iter()
            .find_map(|c| match c {
                Command::Files {
                    id,
                    request: Request::List { .. },
                } => Some(*id),
                _ => None,
            })
            .expect("a listing");
        let answer = |app: &mut App, answer| {
            app.update(docker(DockerEvent::Files { id, answer }))
                .commands()
        };
        // Rows shown while the listing still streams (its count of entries read so far).
        answer(
            &mut app,
            Answer::Rows {
                rows: vec![
                    entry("bin", Kind::Folder, 0, 0o755, None),
                    entry("etc", Kind::Folder, 0, 0o755, None),
                    entry("tmp", Kind::Folder, 0, 0o1777, None),
                    entry(".dockerenv", Kind::File, 0, 0o755, None),
                ],
                read: 1_234,
            },
        );
        insta::assert_snapshot!(format!("files_streaming_{}x{}", size.0, size.1), draw(&app));
        answer(
            &mut app,
            Answer::Rows {
                rows: vec![
                    entry("app.conf", Kind::File, 2_048, 0o644, None),
                    entry("data", Kind::Link, 0, 0o777, Some("/var/lib/app/data")),
                    entry("null", Kind::Other, 0, 0o666, None),
                ],
                read: 1_301,
            },
        );
        answer(&mut app, Answer::Done { read: 1_301 });
        key(&mut app, KeyCode::Char('G'));
        key(&mut app, KeyCode::Char('k'));
        key(&mut app, KeyCode::Char('k'));
        insta::assert_snapshot!(format!("files_{}x{}", size.0, size.1), draw(&app));
        // The reader: a file cut at the bound says so first.
        let read = press(&mut app, 'l');
        let reader = read
            .iter()
            .find_map(|c| match c {
                Command::Inspect { id, .. } => Some(*id),
                _ => None,
            })
            .expect("a read");
        let text = "listen = 8080\n\tworkers = 4\nlog = \"/var/log/app.log\"\n".repeat(3);
        app.update(docker(DockerEvent::Inspected {
            id: reader,
            result: Ok(Inspection {
                summary: vec![],
                json: shown_text(text.as_bytes(), 5_000_000),
                top: None,
                changes: None,
            }),
        }));
        insta::assert_snapshot!(format!("files_reader_{}x{}", size.0, size.1), draw(&app));
        key(&mut app, KeyCode::Esc);
        // Download: where to, then the question when something is there.
        press(&mut app, 's');
        insta::assert_snapshot!(format!("files_download_{}x{}", size.0, size.1), draw(&app));
        let probe = app
            .update(Event::Key(KeyEvent::from(KeyCode::Enter)))
            .commands();
        let op = probe
            .iter()
            .find_map(|c| match c {
                Command::Files {
                    request: Request::Probe(op),
                    ..
                } => Some(op.clone()),
                _ => None,
            })
            .expect("a probe");
        let view_id = probe
            .iter()
            .find_map(|c| match c {
                Command::Files { id, .. } => Some(*id),
                _ => None,
            })
            .expect("its id");
        app.update(docker(DockerEvent::Files {
            id: view_id,
            answer: Answer::Probed {
                op,
                clash: Some("./app.conf exists: a file (it is replaced)".into()),
                large: None,
            },
        }));
        insta::assert_snapshot!(format!("files_overwrite_{}x{}", size.0, size.1), draw(&app));
        key(&mut app, KeyCode::Esc);
        press(&mut app, 'u');
        typed(&mut app, "./release");
        insta::assert_snapshot!(format!("files_upload_{}x{}", size.0, size.1), draw(&app));
        key(&mut app, KeyCode::Esc);
        // A listing the daemon refused: its words and a hint under the rows.
        let again = app
            .update(Event::Key(KeyEvent::new(
                KeyCode::Char('r'),
                crossterm::event::KeyModifiers::CONTROL,
            )))
            .commands();
        let root = again
            .iter()
            .find_map(|c| match c {
                Command::Files {
                    id,
                    request: Request::List { .. },
                } => Some(*id),
                _ => None,
            })
            .expect("a listing");
        app.update(docker(DockerEvent::Files {
            id: root,
            answer: Answer::Failed(dockpit::docker::OpError {
                message: "no such file or folder in web: /".into(),
                hint: Some(
                    "Check the path (it is case-sensitive) and that the container still exists.",
                ),
            }),
        }));
        insta::assert_snapshot!(format!("files_error_{}x{}", size.0, size.1), draw(&app));
    }
}

/// The pane with the keys is the containers pane at start, and its title is drawn reversed
/// (not only its border's colour), so focus shows without colour too; Tab moves both.
#[test]
fn the_focused_panes_title_is_reversed() {
    use ratatui::style::Modifier;
    let reversed = |app: &App, title: &str| {
        let mut terminal =
            Terminal::new(TestBackend::new(app.size.0, app.size.1)).expect("terminal");
        terminal
            .draw(|frame| dockpit::ui::render(frame, app))
            .expect("draw");
        let buffer = terminal.backend().buffer().clone();
        let width = usize::from(buffer.area.width);
        let at = buffer
            .content
            .chunks(width)
            .enumerate()
            .find_map(|(y, row)| {
                let text: String = row.iter().map(|c| c.symbol()).collect();
                text.find(title).map(|x| (text[..x].chars().count(), y))
            })
            .unwrap_or_else(|| panic!("{title} not drawn"));
        buffer.content[at.1 * width + at.0]
            .modifier
            .contains(Modifier::REVERSED)
    };
    let mut app = connected((80, 24));
    assert!(reversed(&app, "Containers —"));
    assert!(!reversed(&app, "Images ("));
    key(&mut app, KeyCode::Tab);
    assert!(reversed(&app, "Images ("));
    assert!(!reversed(&app, "Containers —"));
}

/// The images pane takes the rows its images need (up to 40 % of the lists), the
/// containers pane the rest.
#[test]
fn the_images_pane_takes_the_room_its_rows_need() {
    let app = connected((100, 40));
    let areas = app.areas();
    // Five images, a header row and two borders.
    assert_eq!(areas.images.height, 8);
    assert_eq!(areas.containers.height, 40 - 2 - 1 - 1 - 8);
}

/// At 80 columns with a HOST column, STATUS is never cut while a lower-priority column
/// shows, and an empty column (HEALTH, PORTS here) takes no room; a cut name ends in `…`;
/// on a wide screen long names show whole.
#[test]
fn status_is_never_cut_for_emptier_columns_and_names_end_in_an_ellipsis() {
    let long = |n| format!("web-frontend-of-the-shop-service-{n}-replica");
    let row = |name: &str, host: u16, status: &str| ContainerRow {
        host: dockpit::docker::HostId(host),
        id: format!("{name:0<12}deadbeef").into(),
        name: name.into(),
        image: "busybox:1".into(),
        image_id: "sha256:047b".into(),
        state: ContainerState::Exited,
        status: status.into(),
        ports: String::new(),
        created: NOW - 600,
        aging: None,
        compose: None,
    };
    let fleet_of = |size, hosts: [&str; 2], status: &str| {
        let spec = |name: &str| dockpit::app::hosts::HostSpec {
            name: name.into(),
            label: format!("unix:///{name}.sock"),
            ..Default::default()
        };
        let mut app = App::new(Settings {
            now: NOW,
            size,
            hosts: hosts.map(spec).to_vec(),
            ..plain()
        });
        for host in [0, 1] {
            app.update(Event::Host(
                dockpit::docker::HostId(host),
                DockerEvent::Snapshot {
                    images: vec![],
                    containers: vec![
                        row(&long(host), host, status),
                        // A health check far down, out of view at 80×24.
                        row(&format!("z{host}"), host, "Up 2 hours (healthy)"),
                    ],
                },
            ));
        }
        app
    };
    let fleet = |size| fleet_of(size, ["alpha", "beta-build"], "Exited (137) 2 hours ago");
    let app = fleet((80, 24));
    let screen = draw(&app);
    let line = screen
        .lines()
        .find(|l| l.contains("web-frontend"))
        .expect("a row");
    assert!(line.contains("Exited (137)"), "{screen}");
    assert!(line.contains('…'), "a cut name says so: {screen}");
    // Long host names give way too, with a sign, before STATUS loses its tail.
    let status = "Exited (0) About an hour ago";
    let app = fleet_of(
        (80, 24),
        ["dockpit-engine-fleet", "dockpit-engine-26"],
        status,
    );
    let screen = draw(&app);
    let line = screen
        .lines()
        .find(|l| l.contains("web-frontend"))
        .expect("a row");
    assert!(line.contains(status), "STATUS whole:\n{screen}");
    assert!(
        line.contains("dockpit-engine-fl…"),
        "a cut host says so:\n{screen}"
    );
    let app = fleet((200, 30));
    let screen = draw(&app);
    assert!(
        screen.contains(&long(1)),
        "room to spare: whole names\n{screen}"
    );
}

/// The top view: a host's row with its cores, memory and totals, its running containers
/// busiest first, a sparkline of each one's last minute, and "…" where a rate waits for a
/// second reading.
#[test]
fn top_view() {
    use dockpit::docker::host::{HostAnswer, HostInfo};
    use dockpit::docker::stats::Reading;
    for size in SIZES {
        let mut app = connected(size);
        let mut rows = containers();
        for (name, state) in [
            ("api", ContainerState::Running),
            ("queue", ContainerState::Running),
        ] {
            let mut row = rows[0].clone();
            row.id = format!("{name:0<12}deadbeef").into();
            row.name = name.into();
            row.state = state;
            rows.push(row);
        }
        app.update(docker(DockerEvent::Snapshot {
            images: images(),
            containers: rows.clone(),
        }));
        let id = host_request(&press(&mut app, 'T'));
        app.update(docker(DockerEvent::Host {
            id,
            result: Ok(HostAnswer::Info(HostInfo {
                cpus: 4,
                memory: 8_200_000_000,
            })),
        }));
        // Every 5 s for 40 s: web busy and growing busier, api light, queue read once.
        for step in 0..9u64 {
            let t = NOW + i64::try_from(step * 5).unwrap_or(0);
            app.update(Event::Tick(t));
            let reading = |cpu: u64, memory: u64, net: u64| Reading {
                cpu_total: cpu,
                system_total: step * 20_000,
                cpus: 4,
                memory,
                memory_limit: 8_200_000_000,
                net_rx: step * net,
                net_tx: step * 25_000,
                block_read: 0,
                block_write: step * 1_000_000,
                pids: 7,
                taken_ms: 0,
            };
            let mut readings = vec![
                (
                    rows[0].id.clone(),
                    reading(step * step * 400, 182_000_000, 600_000),
                ),
                (rows[5].id.clone(), reading(step * 150, 24_500_000, 40_000)),
            ];
            if step == 8 {
                readings.push((rows[6].id.clone(), reading(0, 3_100_000, 0)));
            }
            let asked = readings.len();
            app.update(docker(DockerEvent::TopReadings {
                id,
                readings,
                asked,
                elapsed_ms: 2,
                daemon_ms: None,
            }));
        }
        app.update(Event::Tick(NOW + 42));
        insta::assert_snapshot!(format!("top_{}x{}", size.0, size.1), draw(&app));
    }
}

/// The Compose projects view from files and labels: a project running (one service
/// without a container: drift), one down (its file alone), a broken file; then a
/// project's services.
#[test]
fn compose_projects_view_from_files() {
    use dockpit::docker::compose_file::{ProjectFile, Scan, ServiceSpec, Source, Tool};
    use std::path::PathBuf;
    let mut app = connected((120, 30));
    app.update(docker(DockerEvent::Snapshot {
        images: images(),
        containers: with_projects(),
    }));
    key(&mut app, KeyCode::Char('J'));
    let spec = |name: &str, image: &str| ServiceSpec {
        name: name.into(),
        image: image.into(),
        replicas: 1,
        ..Default::default()
    };
    let project = |name: &str, services: Vec<ServiceSpec>| ProjectFile {
        name: name.into(),
        json: format!("{{\"name\":\"{name}\"}}"),
        dir: PathBuf::from(format!("/home/ana/src/{name}")),
        files: vec![PathBuf::from(format!("/home/ana/src/{name}/compose.yml"))],
        services,
    };
    let stamp = |name: &str| {
        [(
            PathBuf::from(format!("/home/ana/src/{name}/compose.yml")),
            Some(std::time::SystemTime::UNIX_EPOCH),
        )]
        .into()
    };
    let shop = project(
        "shop",
        vec![
            spec("cache", "redis:7"),
            spec("db", "shop-db"),
            spec("web", "shop-web"),
        ],
    );
    let wiki = project("wiki", vec![spec("app", "wiki-app")]);
    let dir = |name: &str| Source::Dir(PathBuf::from(format!("/home/ana/src/{name}")));
    app.update(Event::ComposeScanned(Scan {
        tool: Ok(Tool {
            program: PathBuf::from("/usr/libexec/docker/cli-plugins/docker-compose"),
            version: "2.40.3".into(),
            plugin: true,
        }),
        reads: vec![
            (dir("shop"), stamp("shop"), Ok(shop)),
            (dir("wiki"), stamp("wiki"), Ok(wiki)),
            (
                dir("notes"),
                stamp("notes"),
                Err("validating /home/ana/src/notes/compose.yml: services.web.ports must be a array".into()),
            ),
        ],
    }));
    let screen = draw(&app);
    assert!(screen.contains("1 service out of date"), "{screen}");
    insta::assert_snapshot!("compose_projects_view", screen);
    // shop, the second row.
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("compose_services_view", draw(&app));
}

/// The layers view as the reading fills it in (layers named, one read), then whole: the
/// tree of the top layer with its whiteout, opaque folder and overwrite marked, and the
/// waste below; then only the changes, biggest first, with the files side in focus.
#[test]
fn layers_view_streaming_and_read() {
    use dockpit::docker::Command;
    use dockpit::docker::layers::Head;
    use dockpit::docker::layers::analysis::analyse;
    use dockpit::docker::layers::feed::Answer;
    use dockpit::docker::layers::read::{Entry, EntryKind, Item, LayerTar, SavedLayer};
    let put = |path: &str, kind: EntryKind, size: u64| {
        let mode = if kind == EntryKind::Dir { 0o755 } else { 0o644 };
        Item::Put(Entry {
            path: path.into(),
            kind,
            size,
            mode,
            uid: 0,
            gid: 0,
        })
    };
    let big = 10 << 20;
    let tars = [
        vec![
            put("/bin", EntryKind::Dir, 0),
            put("/bin/busybox", EntryKind::File, 4000),
            put("/bin/sh", EntryKind::Symlink("busybox".into()), 0),
            put("/bin/ash", EntryKind::Hardlink("/bin/busybox".into()), 0),
            put("/etc", EntryKind::Dir, 0),
            put("/etc/conf", EntryKind::File, 300),
            put("/data", EntryKind::Dir, 0),
            put("/data/old", EntryKind::File, 50),
        ],
        vec![put("/big", EntryKind::File, big)],
        vec![
            Item::Whiteout("/big".into()),
            put("/data", EntryKind::Dir, 0),
            Item::Opaque("/data".into()),
            put("/data/new", EntryKind::File, 7),
            put("/etc/conf", EntryKind::File, 400),
        ],
    ];
    let steps = [
        "ADD base /",
        "RUN head -c 10M > /big",
        "RUN rm /big && rebuild /data && edit conf",
    ];
    let layers: Vec<SavedLayer> = (tars.into_iter().zip(steps).enumerate())
        .map(|(i, (items, step))| SavedLayer {
            id: format!("sha256:{i}"),
            created_by: step.into(),
            tar: LayerTar {
                items,
                tar_bytes: 0,
            },
        })
        .collect();
    for size in SIZES {
        let mut app = connected(size);
        key(&mut app, KeyCode::BackTab);
        let commands = press(&mut app, 'v');
        let Some(Command::Layers { id, .. }) = commands.first() else {
            panic!("no reading: {commands:?}");
        };
        let id = *id;
        let hear = |app: &mut App, answer| {
            app.update(docker(DockerEvent::Layers { id, answer }));
        };
        let heads = (layers.iter())
            .map(|l| Head {
                id: l.id.clone(),
                created_by: l.created_by.clone(),
                size: Some(1000),
            })
            .collect();
        hear(&mut app, Answer::Heads(heads));
        let first = layers[0].tar.clone();
        hear(
            &mut app,
            Answer::Layer {
                at: vec![0],
                tar: first,
            },
        );
        let name = format!("layers_view_streaming_{}x{}", size.0, size.1);
        insta::assert_snapshot!(name, draw(&app));
        for (i, l) in layers.iter().enumerate().skip(1) {
            let tar = l.tar.clone();
            hear(&mut app, Answer::Layer { at: vec![i], tar });
        }
        let analysis = Box::new(analyse(&layers));
        let done = Answer::Done {
            layers: layers.clone(),
            analysis,
        };
        hear(&mut app, done);
        key(&mut app, KeyCode::End);
        let name = format!("layers_view_read_{}x{}", size.0, size.1);
        let screen = draw(&app);
        // The waste's title, wider than 80 columns, is cut with a sign.
        assert_eq!(screen.contains("…┐"), size.0 == 80, "{screen}");
        insta::assert_snapshot!(name, screen);
        press(&mut app, 'c');
        press(&mut app, 's');
        key(&mut app, KeyCode::Tab);
        let name = format!("layers_view_only_changes_{}x{}", size.0, size.1);
        insta::assert_snapshot!(name, draw(&app));
    }
}

/// At 80 columns a build's long `docker build` line and a step's output wrap, and a long
/// instruction ends in `…` before its Dockerfile line (they were cut without a sign).
#[test]
fn a_build_wider_than_the_view_wraps_or_cuts_with_a_sign() {
    use dockpit::docker::Progress;
    use dockpit::docker::build::BuildProgress;
    use std::time::Duration;
    let mut app = connected((80, 24));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('b'));
    typed(&mut app, "/src/a/context/folder/deep/enough");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    typed(&mut app, "registry.local:5000/team/app:dev");
    let id = op_id(
        &app.update(Event::Key(KeyEvent::from(KeyCode::Enter)))
            .commands(),
    );
    let events = [
        BuildProgress::Step {
            number: 1,
            total: 1,
            instruction: "RUN echo a rather long instruction that goes past the edge".into(),
            line: Some(7),
            at: Duration::from_millis(10),
        },
        BuildProgress::Output(format!("{} the end", "output ".repeat(12))),
    ];
    for p in events {
        app.update(docker(DockerEvent::OpProgress {
            id,
            progress: Progress::Build(p),
        }));
    }
    let screen = draw(&app);
    for whole in ["ep/enough", "(line 7)", "the end"] {
        assert!(screen.contains(whole), "{whole}: {screen}");
    }
    assert!(screen.contains("… (line 7)"), "{screen}");
    insta::assert_snapshot!("build_view_narrow_80x24", screen);
}

/// A context folder that does not exist is refused before anything is sent: the view says
/// the path and why, with no "sending the context" beside it.
#[test]
fn a_build_whose_context_folder_is_missing_says_only_why() {
    use dockpit::docker::OpError;
    use dockpit::docker::build::{HINT, context};
    use std::time::Duration;
    let mut app = connected((100, 20));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('b'));
    typed(&mut app, "/dockpit-nowhere/app");
    let id = op_id(
        &app.update(Event::Key(KeyEvent::from(KeyCode::Enter)))
            .commands(),
    );
    // The Docker side's own refusal, as the build answers it.
    let path = std::path::Path::new("/dockpit-nowhere/app");
    let refused = context::open(path, "Dockerfile").expect_err("no such folder");
    app.update(docker(DockerEvent::OpDone {
        id,
        result: Err(OpError::with_hint(refused.0, HINT)),
        elapsed: Duration::from_millis(1),
    }));
    let screen = draw(&app);
    assert!(
        screen.contains("│✗ the context folder /dockpit-nowhere/app does not exist "),
        "{screen}"
    );
    assert!(!screen.contains("sending the context"), "{screen}");
    insta::assert_snapshot!("build_view_context_missing_100x20", screen);
}

#[test]
fn build_form_view_and_builds() {
    use dockpit::docker::build::BuildProgress;
    use dockpit::docker::{OpError, Progress};
    use std::time::Duration;
    let mut app = connected((120, 36));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('b'));
    typed(&mut app, "/src/app");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    typed(&mut app, "app:1 registry.local:5000/app:dev");
    key(&mut app, KeyCode::Down);
    typed(&mut app, "VERSION");
    insta::assert_snapshot!("build_form_bad_arg_120x36", draw(&app));
    typed(&mut app, "=2");
    insta::assert_snapshot!("build_form_120x36", draw(&app));
    let id = op_id(
        &app.update(Event::Key(KeyEvent::from(KeyCode::Enter)))
            .commands(),
    );
    let ms = Duration::from_millis;
    let step = |number, instruction: &str, line, at| BuildProgress::Step {
        number,
        total: 4,
        instruction: instruction.into(),
        line: Some(line),
        at: ms(at),
    };
    let events = [
        BuildProgress::Context {
            bytes: 4096,
            done: true,
        },
        step(1, "FROM busybox AS base", 1, 10),
        BuildProgress::StepDone { at: ms(20) },
        step(2, "ARG VERSION=1", 2, 30),
        BuildProgress::Cached,
        BuildProgress::StepDone { at: ms(40) },
        step(3, "RUN make && ./check", 3, 50),
        BuildProgress::Output("compiling app v2".into()),
        BuildProgress::Output("check: 2 tests failed".into()),
        BuildProgress::Failed {
            message: "The command '/bin/sh -c make && ./check' returned a non-zero code: 2".into(),
            code: Some(2),
            at: ms(2350),
        },
    ];
    for p in events {
        app.update(docker(DockerEvent::OpProgress {
            id,
            progress: Progress::Build(p),
        }));
    }
    app.update(docker(DockerEvent::OpDone {
        id,
        result: Err(OpError::new(
            "The command '/bin/sh -c make && ./check' returned a non-zero code: 2",
        )),
        elapsed: Duration::from_millis(2400),
    }));
    insta::assert_snapshot!("build_view_failed_120x36", draw(&app));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('B'));
    insta::assert_snapshot!("builds_view_120x36", draw(&app));
}
/// The alerts strip under the header (newest first; three exits of one host folded into
/// one item with a count, a repeat counted), and the alerts list over the panes.
#[test]
fn alerts_strip_and_list() {
    use dockpit::docker::{EngineEvent, EventKind};
    let died = |name: &str, code: &str, secs: i64| {
        docker(DockerEvent::Engine(EngineEvent {
            time: secs * 1_000_000_000,
            kind: EventKind::Container,
            action: "die".into(),
            actor_id: format!("{name:0<12}deadbeef"),
            attributes: vec![
                ("exitCode".into(), code.into()),
                ("image".into(), "busybox:1".into()),
                ("name".into(), name.into()),
            ],
        }))
    };
    for size in SIZES {
        let mut app = connected(size);
        app.update(died("batch", "2", NOW - 30));
        app.update(died("batch", "2", NOW - 20));
        app.update(died("fresh", "1", NOW - 10));
        app.update(docker(DockerEvent::Engine(EngineEvent {
            time: NOW * 1_000_000_000,
            kind: EventKind::Container,
            action: "health_status: unhealthy".into(),
            actor_id: format!("{:0<12}deadbeef", "web"),
            attributes: vec![("name".into(), "web".into())],
        })));
        insta::assert_snapshot!(format!("alerts_strip_{}x{}", size.0, size.1), draw(&app));
        key(&mut app, KeyCode::Char('!'));
        insta::assert_snapshot!(format!("alerts_list_{}x{}", size.0, size.1), draw(&app));
    }
}

/// A strip longer than the screen is cut at its edge ending in `…`, never silently.
#[test]
fn a_long_alerts_strip_ends_in_an_ellipsis() {
    use dockpit::docker::{EngineEvent, EventKind};
    let mut app = connected((80, 24));
    for (name, action) in [
        ("a-container-with-a-rather-long-name", "die"),
        (
            "another-one-whose-health-check-fails",
            "health_status: unhealthy",
        ),
    ] {
        app.update(docker(DockerEvent::Engine(EngineEvent {
            time: NOW * 1_000_000_000,
            kind: EventKind::Container,
            action: action.into(),
            actor_id: format!("{name:0<12}deadbeef"),
            attributes: vec![
                ("exitCode".into(), "1".into()),
                ("name".into(), name.into()),
            ],
        })));
    }
    let screen = draw(&app);
    let strip = screen.lines().nth(2).unwrap_or_default();
    assert!(strip.starts_with("\" ! 2 alerts: "), "{screen}");
    assert!(strip.ends_with("…\""), "cut with a sign: {strip}");
}

/// What happened while dockpit was closed, at the end of the strip: alone (no count), and
/// after a live alert.
#[test]
fn while_you_were_away_in_the_strip() {
    use dockpit::docker::{EngineEvent, EventKind};
    let size = (120, 36);
    let mut app = connected(size);
    app.alerts.away.lines.push(
        "while you were away: web exited (137) at 03:12 on prod; prod's daemon kept events back to 03:05 only, not to 02:58"
            .into(),
    );
    insta::assert_snapshot!("away_strip_alone_120x36", draw(&app));
    app.update(docker(DockerEvent::Engine(EngineEvent {
        time: NOW * 1_000_000_000,
        kind: EventKind::Container,
        action: "die".into(),
        actor_id: format!("{:0<12}deadbeef", "fresh"),
        attributes: vec![
            ("exitCode".into(), "1".into()),
            ("name".into(), "fresh".into()),
        ],
    })));
    insta::assert_snapshot!("away_strip_after_alerts_120x36", draw(&app));
}

/// The timeline over the panes: a container's state changes, newest first, with exit code,
/// signal, health and who asked (all from outside dockpit here).
#[test]
fn timeline_list() {
    use dockpit::docker::{EngineEvent, EventKind};
    let on = |name: &str, action: &str, secs: i64, attrs: &[(&str, &str)]| {
        let mut attributes: Vec<(String, String)> = (attrs.iter())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        attributes.push(("image".into(), "busybox:1".into()));
        attributes.push(("name".into(), name.into()));
        attributes.sort();
        docker(DockerEvent::Engine(EngineEvent {
            time: secs * 1_000_000_000,
            kind: EventKind::Container,
            action: action.into(),
            actor_id: format!("{name:0<12}deadbeef"),
            attributes,
        }))
    };
    for size in SIZES {
        let mut app = connected(size);
        app.update(on("fresh", "create", NOW - 60, &[]));
        app.update(on("fresh", "start", NOW - 59, &[]));
        app.update(on("batch", "kill", NOW - 30, &[("signal", "9")]));
        app.update(on("batch", "die", NOW - 30, &[("exitCode", "137")]));
        app.update(on("web", "health_status: unhealthy", NOW - 10, &[]));
        app.update(on("cache", "pause", NOW, &[]));
        key(&mut app, KeyCode::Char('~'));
        insta::assert_snapshot!(format!("timeline_list_{}x{}", size.0, size.1), draw(&app));
    }
}

/// In a fleet a question's `$ docker …` line names its host as the command log will (here
/// beta's, asked on beta's row); with one host the lines stay as they were (the other
/// snapshots).
#[test]
fn fleet_confirmation_names_its_host() {
    use dockpit::app::hosts::HostSpec;
    use dockpit::docker::HostId;
    let spec = |name: &str, cli: &str| HostSpec {
        name: name.into(),
        cli: cli.into(),
        label: format!("unix:///{name}.sock"),
        ..Default::default()
    };
    for size in SIZES {
        let mut app = App::new(Settings {
            now: NOW,
            size,
            hosts: vec![
                spec("alpha", "--context alpha"),
                spec("beta", "-H ssh://deploy@beta"),
            ],
            ..plain()
        });
        for host in [0, 1] {
            let info = EngineInfo {
                endpoint: endpoint(),
                version: "26.1.5".into(),
                api_version: "1.45".into(),
                os_arch: "linux/amd64".into(),
            };
            app.update(Event::Host(HostId(host), DockerEvent::Connected(info)));
            let mut rows = containers();
            rows.truncate(1);
            rows[0].id = format!("{host}-web").into();
            let snapshot = DockerEvent::Snapshot {
                images: vec![],
                containers: rows,
            };
            app.update(Event::Host(HostId(host), snapshot));
        }
        // alpha's web first, then beta's.
        key(&mut app, KeyCode::Down);
        press(&mut app, 'd');
        let screen = draw(&app);
        assert!(
            screen.contains("$ docker -H ssh://deploy@beta container rm --force web"),
            "{screen}"
        );
        insta::assert_snapshot!(
            format!("fleet_confirmation_{}x{}", size.0, size.1),
            draw(&app)
        );
        // Marked rows on both hosts: each line names its own row's host.
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('g'));
        press(&mut app, ' ');
        press(&mut app, ' ');
        press(&mut app, 'x');
        let screen = draw(&app);
        for flag in ["--context alpha", "-H ssh://deploy@beta"] {
            let line = format!("$ docker {flag} container stop --time 10 web");
            assert!(screen.contains(&line), "{line}:\n{screen}");
        }
    }
}

/// A question taller than the terminal (twelve marked containers' commands at 80×24) is
/// cut at the bottom, and its border says more is below.
#[test]
fn a_question_taller_than_the_terminal_says_more_is_below() {
    let mut app = connected((80, 24));
    let rows: Vec<ContainerRow> = (0..12)
        .map(|i| {
            let mut row = containers()[0].clone();
            row.id = format!("{i:0>12}deadbeef").into();
            row.name = format!("a-rather-long-container-name-{i}");
            row
        })
        .collect();
    app.update(docker(DockerEvent::Snapshot {
        images: images(),
        containers: rows,
    }));
    key(&mut app, KeyCode::Char('g'));
    for _ in 0..12 {
        press(&mut app, ' ');
    }
    press(&mut app, 'd');
    let screen = draw(&app);
    assert!(screen.contains("Remove 12 containers?"), "{screen}");
    assert!(screen.contains("… more below"), "{screen}");
}
