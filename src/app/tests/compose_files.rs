//! The Compose projects view from files: when files are read (only while it is open, again
//! on change), rows and drift from files and labels, and its verbs as `docker compose`
//! lines in a terminal tab (asking first; twice for volumes; refused read-only or broken).

use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::app::Local;
use crate::app::compose_files::{ComposeFiles, Drift, project_rows};
use crate::app::compose_view::Projects;
use crate::docker::ContainerState;
use crate::docker::attach::SessionKind;
use crate::docker::compose::Compose;
use crate::docker::compose_file::{ProjectFile, Scan, ServiceSpec, Source, Stamp, Tool};

fn tool() -> Tool {
    Tool {
        program: PathBuf::from("/opt/cli-plugins/docker-compose"),
        version: "2.40.3".into(),
        plugin: true,
    }
}

fn spec(name: &str, image: &str, hash: &str) -> ServiceSpec {
    ServiceSpec {
        name: name.into(),
        image: image.into(),
        hash: hash.into(),
        replicas: 1,
        ..Default::default()
    }
}

fn shop() -> ProjectFile {
    ProjectFile {
        name: "shop".into(),
        json: "{\"name\":\"shop\"}".into(),
        dir: PathBuf::from("/src/shop"),
        files: vec![PathBuf::from("/src/shop/compose.yml")],
        services: vec![
            spec("app", "shop-app", "h-app"),
            spec("web", "busybox:1", "h-web"),
        ],
    }
}

/// A container of project `shop`'s `service`, made with config hash `hash` from `image_id`.
fn member(service: &str, hash: &str, image_id: &str) -> crate::docker::ContainerRow {
    crate::docker::ContainerRow {
        image_id: image_id.into(),
        compose: Some(Arc::new(Compose {
            project: "shop".into(),
            service: service.into(),
            working_dir: "/src/shop".into(),
            config_files: "/src/shop/compose.yml".into(),
            config_hash: hash.into(),
        })),
        ..container(&format!("shop-{service}-1"), ContainerState::Running)
    }
}

/// `name` (`repo:tag`, or `repo` for its `:latest`) as an image row.
fn image(name: &str, id: &str) -> crate::docker::ImageRow {
    let (repository, tag) = name.split_once(':').unwrap_or((name, "latest"));
    super::image_row(repository, tag, id)
}

fn key(app: &mut App, code: KeyCode) -> crate::app::effects::Effects {
    let mods = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    app.update(Event::Key(KeyEvent::new(code, mods)))
}

fn scans(effects: &crate::app::effects::Effects) -> Vec<&crate::docker::compose_file::ScanRequest> {
    (effects.local.iter())
        .filter_map(|l| match l {
            Local::ComposeScan(r) => Some(r),
            _ => None,
        })
        .collect()
}

fn stamp() -> Stamp {
    [(
        PathBuf::from("/src/shop/compose.yml"),
        Some(std::time::SystemTime::UNIX_EPOCH),
    )]
    .into()
}

/// An app watching `/src/shop`, with `containers` listed, the projects view open and the
/// file read as `read` says.
fn app_with(
    containers: Vec<crate::docker::ContainerRow>,
    read: Result<ProjectFile, String>,
    read_only: bool,
) -> App {
    let mut app = App::new(Settings {
        endpoint: "unix:///test.sock".into(),
        size: (200, 45),
        docker_host: "unix:///test.sock".into(),
        compose_dirs: vec![PathBuf::from("/src/shop")],
        prefs: crate::app::Prefs {
            read_only,
            ..Default::default()
        },
        ..Settings::default()
    });
    app.send(docker(DockerEvent::Snapshot {
        images: vec![
            image("busybox:1", "sha256:new"),
            image("shop-app", "sha256:app"),
        ],
        containers,
    }));
    key(&mut app, KeyCode::Char('J'));
    scanned(&mut app, "/src/shop", read);
    app
}

/// The local command the last effects opened a tab for: its words and environment.
fn tab(commands: &[Command]) -> (crate::docker::attach::SessionId, crate::custom::Invocation) {
    let Some(Command::OpenSession(request)) = commands.last() else {
        panic!("no tab opened: {commands:?}");
    };
    let SessionKind::Local(call) = &request.kind else {
        panic!("{request:?}");
    };
    (request.id, call.clone())
}

/// `dir` read at `stamp()` as `read` says, Compose found.
fn scanned(app: &mut App, dir: &str, read: Result<ProjectFile, String>) {
    app.send(Event::ComposeScanned(Scan {
        tool: Ok(tool()),
        reads: vec![(Source::Dir(dir.into()), stamp(), read)],
    }));
}

/// Web and app of `shop` running, made from the files as they are.
fn both_running() -> Vec<crate::docker::ContainerRow> {
    vec![
        member("web", "h-web", "sha256:new"),
        member("app", "h-app", "sha256:app"),
    ]
}

/// The projects view's title, if it is the view on top.
fn projects_title(app: &App) -> Option<String> {
    use crate::app::list::Kind;
    let list = app.view.as_ref().and_then(|v| v.list_of::<Projects>());
    list.map(|l| l.kind.title())
}

/// Whether a list (no dialog) is the view on top.
fn on_list(app: &App) -> bool {
    app.view.as_ref().is_some_and(|v| v.list().is_some())
}

/// The question on top.
fn asked(app: &App) -> &crate::app::dialog::Confirm {
    let Some(View::Dialog(crate::app::dialog::Dialog::Confirm(confirm))) = &app.view else {
        panic!("no question: {:?}", app.view.as_ref().map(View::scope));
    };
    confirm
}

/// The tab `id` ended as `reason` says; what that asked of Docker.
fn ended(app: &mut App, id: crate::docker::attach::SessionId, reason: &str) -> Vec<Command> {
    app.send(docker(DockerEvent::SessionEnded {
        id,
        reason: reason.into(),
    }))
}

#[test]
fn files_are_read_only_while_the_view_is_open_and_again_when_they_change() {
    let mut app = new_app(100, (200, 45));
    app.compose_files = ComposeFiles::new(None, vec![PathBuf::from("/src/shop")]);
    assert!(
        scans(&app.update(Event::Tick(101))).is_empty(),
        "read at rest"
    );
    let open = key(&mut app, KeyCode::Char('J'));
    let asked = scans(&open);
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].sources, [(Source::Dir("/src/shop".into()), None)]);
    // One look at a time.
    assert!(scans(&app.update(Event::Tick(102))).is_empty());
    scanned(&mut app, "/src/shop", Ok(shop()));
    assert!(scans(&app.update(Event::Tick(103))).is_empty(), "too soon");
    let again = app.update(Event::Tick(106));
    let again = scans(&again);
    assert_eq!(again.len(), 1, "the mtimes looked at again");
    // What was read is not read again unless its stamp changed; the tool is not looked for.
    assert_eq!(again[0].sources[0].1, Some(stamp()));
    assert_eq!(again[0].tool, Some(tool()));
    app.send(Event::ComposeScanned(Scan {
        tool: Ok(tool()),
        reads: vec![],
    }));
    key(&mut app, KeyCode::Char('q'));
    assert!(
        scans(&app.update(Event::Tick(200))).is_empty(),
        "read with the view closed"
    );
}

#[test]
fn rows_come_from_files_and_labels_with_each_services_drift() {
    let containers = [
        // web: made from another config and an older image.
        member("web", "h-web-old", "sha256:old"),
        member("app", "h-app", "sha256:app"),
        member("worker", "h-worker", "sha256:w"),
    ];
    let images = [
        image("busybox:1", "sha256:new"),
        image("shop-app", "sha256:app"),
    ];
    let mut files = ComposeFiles::new(None, vec![]);
    let mut down = shop();
    down.name = "other".into();
    files.reads.insert(
        Source::Dir("/src/shop".into()),
        (stamp(), Ok(Arc::new(shop()))),
    );
    files.reads.insert(
        Source::Dir("/src/other".into()),
        (Stamp::new(), Ok(Arc::new(down))),
    );
    let images: Vec<&crate::docker::ImageRow> = images.iter().collect();
    let rows = project_rows(containers.iter(), &images, &files, Default::default());
    let names: Vec<&str> = rows.iter().map(|r| r.row.name.as_str()).collect();
    assert_eq!(names, ["other", "shop"]);
    let (other, shop) = (&rows[0].row, &rows[1].row);
    assert_eq!(other.state().0, "down");
    assert_eq!(
        other.out_of_date(),
        0,
        "nothing of a project down is out of date"
    );
    assert_eq!(shop.state().0, "3/3 running");
    let drift = |name: &str| {
        (shop.services.iter().find(|s| s.name == name))
            .map(|s| s.drift.clone())
            .unwrap_or_default()
    };
    assert_eq!(drift("web"), [Drift::Config, Drift::Image]);
    assert_eq!(drift("app"), []);
    assert_eq!(drift("worker"), [Drift::NoService]);
    assert_eq!(shop.out_of_date(), 2);
    let up: Vec<&str> = shop.drifted().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        up,
        ["web"],
        "a container without a service is not brought up"
    );
}

#[test]
fn up_asks_with_its_choices_then_runs_in_a_tab_and_the_list_is_back_when_it_ends() {
    let mut app = app_with(vec![], Ok(shop()), false);
    let title = projects_title(&app);
    assert_eq!(title.as_deref(), Some("Compose projects — Compose 2.40.3"));
    key(&mut app, KeyCode::Char('u'));
    assert!(matches!(app.view, Some(View::Dialog(_))), "up asks first");
    key(&mut app, KeyCode::Char('b'));
    let commands = key(&mut app, KeyCode::Enter).commands();
    let (id, call) = tab(&commands);
    assert_eq!(
        call.argv,
        [
            "/opt/cli-plugins/docker-compose",
            "-p",
            "shop",
            "-f",
            "/src/shop/compose.yml",
            "up",
            "-d",
            "--build"
        ]
    );
    assert!(
        call.env
            .contains(&("DOCKER_HOST".into(), "unix:///test.sock".into()))
    );
    let logged = app.activity.entries.back().map(|e| e.cli.clone());
    assert_eq!(
        logged.as_deref(),
        Some("docker compose -p shop -f /src/shop/compose.yml up -d --build")
    );
    assert_eq!(app.focus, Pane::Terminal);
    assert!(app.view.is_none(), "the tab has the keys");
    ended(&mut app, id, "exited (code 1)");
    assert!(projects_title(&app).is_some());
    assert_ne!(app.focus, Pane::Terminal);
    assert!(
        status(&app).contains("up -d --build: exited (code 1)"),
        "{}",
        status(&app)
    );
}

#[test]
fn down_with_volumes_asks_twice() {
    let mut app = app_with(
        vec![member("web", "h-web", "sha256:new")],
        Ok(shop()),
        false,
    );
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('v'));
    let first = key(&mut app, KeyCode::Enter).commands();
    assert!(first.is_empty(), "ran after one answer: {first:?}");
    assert!(matches!(app.view, Some(View::Dialog(_))), "asked again");
    let (_, call) = tab(&key(&mut app, KeyCode::Enter).commands());
    assert_eq!(call.argv[5..], ["down", "--volumes"]);
    // Without volumes, once is enough.
    let mut app = app_with(
        vec![member("web", "h-web", "sha256:new")],
        Ok(shop()),
        false,
    );
    key(&mut app, KeyCode::Char('d'));
    let (_, call) = tab(&key(&mut app, KeyCode::Enter).commands());
    assert_eq!(call.argv[5..], ["down"]);
}

#[test]
fn up_of_what_drifted_brings_up_those_services_alone() {
    let containers = vec![
        member("web", "h-web-old", "sha256:new"),
        member("app", "h-app", "sha256:app"),
    ];
    let mut app = app_with(containers, Ok(shop()), false);
    let title = projects_title(&app);
    assert!(title.is_some_and(|t| t.ends_with("1 service out of date")));
    key(&mut app, KeyCode::Char('U'));
    let (_, call) = tab(&key(&mut app, KeyCode::Enter).commands());
    assert_eq!(call.argv[5..], ["up", "-d", "--no-deps", "web"]);
}

#[test]
fn read_only_and_a_broken_file_run_nothing_and_ask_nothing() {
    let mut app = app_with(vec![], Ok(shop()), true);
    for c in ['u', 'd', 'P', 'b', 's', 'x', 'R'] {
        let effects = key(&mut app, KeyCode::Char(c));
        assert!(effects.docker.is_empty(), "{c}");
        assert!(on_list(&app), "{c} asked");
        assert!(status(&app).contains("read-only"), "{c}: {}", status(&app));
    }
    let broken = Err("validating compose.yml: services.web.ports must be a array".to_string());
    let mut app = app_with(vec![], broken, false);
    let rows = app.compose_rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].row.state().0, "broken file");
    key(&mut app, KeyCode::Char('u'));
    assert!(on_list(&app), "asked");
    assert!(status(&app).contains("nothing run") && status(&app).contains("ports must be a array"));
}

#[test]
fn config_shows_the_rendered_file_and_a_service_is_recreated_alone() {
    let mut app = app_with(both_running(), Ok(shop()), false);
    key(&mut app, KeyCode::Char('c'));
    let Some(View::Inspect(inspect)) = &app.view else {
        panic!("no inspect view: {:?}", app.view.as_ref().map(View::scope));
    };
    assert_eq!(inspect.lines(), ["{\"name\":\"shop\"}"]);
    key(&mut app, KeyCode::Esc);
    // Its services: app, web; web is the second.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('C'));
    assert!(
        matches!(app.view, Some(View::Dialog(_))),
        "recreate asks first"
    );
    let (_, call) = tab(&key(&mut app, KeyCode::Enter).commands());
    assert_eq!(
        call.argv[5..],
        ["up", "-d", "--force-recreate", "--no-deps", "web"]
    );
}

#[test]
fn a_listing_moves_the_rows_at_once_without_reading_the_files() {
    let mut app = app_with(vec![], Ok(shop()), false);
    let state = |app: &App| {
        let list = app.view.as_ref().and_then(|v| v.list_of::<Projects>());
        list.and_then(|l| l.rows.first()).map(|r| r.row.state().0)
    };
    assert_eq!(state(&app).as_deref(), Some("down"));
    let effects = app.update(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: both_running(),
    }));
    assert_eq!(state(&app).as_deref(), Some("2/2 running"));
    assert!(scans(&effects).is_empty(), "the files were read again");
}

#[test]
fn a_run_that_ends_lists_its_host_again_for_the_images_it_made_without_an_event() {
    let mut app = app_with(both_running(), Ok(shop()), false);
    key(&mut app, KeyCode::Enter);
    let (id, _) = tab(&key(&mut app, KeyCode::Char('b')).commands());
    let commands = ended(&mut app, id, "exited (code 0)");
    assert!(
        commands.iter().any(|c| matches!(c, Command::Refresh)),
        "{commands:?}"
    );
    // A tab that is not a Compose run asks nothing of it.
    assert!(ended(&mut app, id, "exited (code 0)").is_empty());
}

#[test]
fn a_services_build_offers_to_recreate_it_once_it_succeeds() {
    let mut app = app_with(both_running(), Ok(shop()), false);
    // Its services: app first.
    key(&mut app, KeyCode::Enter);
    let (id, call) = tab(&key(&mut app, KeyCode::Char('b')).commands());
    assert_eq!(call.argv[5..], ["build", "app"], "a build asks nothing");
    ended(&mut app, id, "exited (code 0)");
    let Some(View::Dialog(_)) = &app.view else {
        panic!("no offer: {:?}", app.view.as_ref().map(View::scope));
    };
    let (_, call) = tab(&key(&mut app, KeyCode::Enter).commands());
    assert_eq!(call.argv[5..], ["up", "-d", "--no-deps", "app"]);
    // A failed build offers nothing; a project's build (every service) neither.
    let mut app = app_with(
        vec![member("app", "h-app", "sha256:app")],
        Ok(shop()),
        false,
    );
    key(&mut app, KeyCode::Enter);
    let (id, _) = tab(&key(&mut app, KeyCode::Char('b')).commands());
    ended(&mut app, id, "exited (code 1)");
    assert!(on_list(&app));
    key(&mut app, KeyCode::Esc);
    let (id, call) = tab(&key(&mut app, KeyCode::Char('b')).commands());
    assert_eq!(call.argv[5..], ["build"]);
    ended(&mut app, id, "exited (code 0)");
    assert!(projects_title(&app).is_some());
}

/// `shop` beside `blog` (another folder), both read.
fn shop_and_blog() -> App {
    let mut app = app_with(vec![], Ok(shop()), false);
    let blog = ProjectFile {
        name: "blog".into(),
        json: "{\"name\":\"blog\"}".into(),
        dir: PathBuf::from("/src/blog"),
        files: vec![PathBuf::from("/src/blog/compose.yml")],
        services: vec![spec("web", "busybox:1", "h-blog")],
    };
    scanned(&mut app, "/src/blog", Ok(blog));
    app
}

#[test]
fn verbs_act_on_the_marked_projects_asking_first_and_naming_them() {
    let mut app = shop_and_blog();
    // blog, shop (by name): both marked.
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char(' '));
    // Pull asks nothing for one project; for several it asks, naming them.
    let effects = key(&mut app, KeyCode::Char('P'));
    assert!(effects.docker.is_empty(), "ran before asking");
    let confirm = asked(&app);
    assert_eq!(confirm.title, " Pull 2 projects: blog, shop? ");
    assert_eq!(confirm.lines.len(), 2, "{:?}", confirm.lines);
    let commands = key(&mut app, KeyCode::Enter).commands();
    let tabs: Vec<Vec<String>> = (commands.iter())
        .filter_map(|c| match c {
            Command::OpenSession(r) => match &r.kind {
                SessionKind::Local(call) => Some(call.argv[1..].to_vec()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(
        tabs,
        [
            ["-p", "blog", "-f", "/src/blog/compose.yml", "pull"],
            ["-p", "shop", "-f", "/src/shop/compose.yml", "pull"],
        ]
    );
}

#[test]
fn a_marked_project_that_cannot_run_the_verb_stops_them_all() {
    let mut app = shop_and_blog();
    scanned(&mut app, "/src/blog", Err("blog: broken".into()));
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char(' '));
    let effects = key(&mut app, KeyCode::Char('u'));
    assert!(effects.docker.is_empty());
    assert!(on_list(&app), "asked");
    assert!(status(&app).contains("nothing run"), "{}", status(&app));
}

#[test]
fn marked_services_go_in_one_run_asked_first_and_their_build_offers_to_recreate_them() {
    let mut app = app_with(both_running(), Ok(shop()), false);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char(' '));
    // A build of one service asks nothing; of two, it asks, naming them.
    let effects = key(&mut app, KeyCode::Char('b'));
    assert!(effects.docker.is_empty(), "ran before asking");
    let confirm = asked(&app);
    assert_eq!(confirm.title, " Build app, web of shop? ");
    let (id, call) = tab(&key(&mut app, KeyCode::Enter).commands());
    assert_eq!(call.argv[5..], ["build", "app", "web"]);
    ended(&mut app, id, "exited (code 0)");
    let offer = asked(&app);
    assert_eq!(
        offer.title,
        " Built app, web of shop: recreate them with the new image? "
    );
    let (_, call) = tab(&key(&mut app, KeyCode::Enter).commands());
    assert_eq!(call.argv[5..], ["up", "-d", "--no-deps", "app", "web"]);
}

/// A project listed from its labels before the files they name are read says so when a verb
/// needs them; once the read found none there, they are not on this machine.
#[test]
fn a_project_whose_files_are_still_read_says_so_then_not_on_this_machine() {
    let away = crate::docker::ContainerRow {
        compose: Some(Arc::new(Compose {
            project: "away".into(),
            service: "web".into(),
            working_dir: "/elsewhere".into(),
            config_files: "/elsewhere/compose.yml".into(),
            config_hash: "h".into(),
        })),
        ..container("away-web-1", ContainerState::Running)
    };
    let mut app = app_with(vec![away], Ok(shop()), false);
    // away, shop (by name): away selected.
    for (code, said) in [(KeyCode::Char('u'), "up"), (KeyCode::Char('c'), "config")] {
        let effects = key(&mut app, code);
        assert!(effects.docker.is_empty(), "{said}: ran");
        assert!(on_list(&app), "{said}: asked");
        assert!(
            status(&app).ends_with("still reading away's files: try again in a moment"),
            "{said}: {}",
            status(&app)
        );
    }
    // The read: no file there.
    let gone: Stamp = [(PathBuf::from("/elsewhere/compose.yml"), None)].into();
    app.send(Event::ComposeScanned(Scan {
        tool: Ok(tool()),
        reads: vec![(
            Source::Files(vec!["/elsewhere/compose.yml".into()]),
            gone,
            Err("no such file".into()),
        )],
    }));
    key(&mut app, KeyCode::Char('u'));
    assert!(
        status(&app).contains("away: its files are not on this machine (labels name compose.yml)"),
        "{}",
        status(&app)
    );
    key(&mut app, KeyCode::Char('c'));
    assert!(
        status(&app).ends_with("away's files are not on this machine"),
        "{}",
        status(&app)
    );
}
