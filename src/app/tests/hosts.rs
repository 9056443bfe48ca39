//! Several hosts: rows kept apart, commands routed to their host, one host down leaving the
//! others live.

use super::*;
use crate::app::hosts::HostSpec;
use crate::app::networks::Networks;
use crate::app::volumes::Volumes;
use crate::docker::{ConnectError, ConnectErrorKind, ContainerState, EngineInfo, HostId};
use crate::docker::{Endpoint, EndpointSource};
use std::time::Duration;

const A: HostId = HostId(0);
const B: HostId = HostId(1);

pub(super) fn spec(name: &str, read_only: bool) -> HostSpec {
    HostSpec {
        name: name.into(),
        cli: format!("-H unix:///{name}.sock"),
        label: format!("unix:///{name}.sock"),
        read_only,
        docker_host: format!("unix:///{name}.sock"),
        docker_env: Vec::new(),
    }
}

pub(super) fn up(app: &mut App, host: HostId) {
    let endpoint = Endpoint {
        host: format!("unix:///{}.sock", app.host_name(host)),
        source: EndpointSource::Flag,
        tls: None,
    };
    app.send(Event::Host(
        host,
        DockerEvent::Connected(EngineInfo {
            endpoint,
            version: "26.1".into(),
            api_version: "1.45".into(),
            os_arch: "linux/amd64".into(),
        }),
    ));
}

fn row(name: &str, id: &str) -> crate::docker::ContainerRow {
    crate::docker::ContainerRow {
        id: id.into(),
        ..container(name, ContainerState::Running)
    }
}

/// Two hosts, "alpha" and "beta" (read-only if asked), each with a container called web.
fn fleet(beta_read_only: bool) -> App {
    let mut app = App::new(Settings {
        size: (160, 45),
        hosts: vec![spec("alpha", false), spec("beta", beta_read_only)],
        ..Settings::default()
    });
    for (host, id) in [(A, "a-web"), (B, "b-web")] {
        up(&mut app, host);
        app.send(Event::Host(
            host,
            DockerEvent::Snapshot {
                images: vec![],
                containers: vec![row("web", id)],
            },
        ));
    }
    app.focus = Pane::Containers;
    app
}

fn select(app: &mut App, id: &str) {
    app.containers.room.cursor.follow(id.into());
}

fn key(app: &mut App, c: char) -> Vec<(HostId, Command)> {
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Char(c))));
    effects.docker
}

#[test]
fn each_host_lists_its_own_rows() {
    let mut app = fleet(false);
    let hosts: Vec<_> = app
        .containers
        .rows()
        .map(|c| (c.host, c.id.as_str()))
        .collect();
    assert_eq!(hosts, [(A, "a-web"), (B, "b-web")]);
    // beta lists again: alpha's row stays.
    app.send(Event::Host(
        B,
        DockerEvent::Snapshot {
            images: vec![],
            containers: vec![row("api", "b-api")],
        },
    ));
    let ids: Vec<_> = app.containers.rows().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["b-api", "a-web"]);
    assert!(app.fleet());
}

/// At start the cursor is on the first row and stays there as each host's rows and full
/// listings arrive (rows sort in above it), until the user moves it.
#[test]
fn the_cursors_stay_on_the_first_row_as_hosts_list_until_moved() {
    let mut app = App::new(Settings {
        size: (160, 45),
        hosts: vec![spec("alpha", false), spec("beta", false)],
        ..Settings::default()
    });
    let image = |name: &str, created| crate::docker::ImageRow {
        host: Default::default(),
        key: format!("{name}|{name}:1"),
        id: format!("sha256:{name}"),
        repository: Some(name.into()),
        tag: Some("1".into()),
        size: 1,
        created,
        registry_copy: false,
    };
    let listing = |images, names: &[&str]| DockerEvent::Snapshot {
        images,
        containers: names.iter().map(|n| row(n, &format!("{n}-id"))).collect(),
    };
    up(&mut app, A);
    app.send(Event::Host(
        A,
        DockerEvent::FirstRows(vec![row("m", "m-id")]),
    ));
    app.send(Event::Host(A, listing(vec![image("old", 1)], &["m", "k"])));
    up(&mut app, B);
    app.send(Event::Host(B, listing(vec![image("new", 9)], &["b", "c"])));
    let first = |app: &App| {
        (
            app.containers.room.cursor.index,
            app.selected_container().map(|c| c.name.clone()),
            app.images.room.cursor.index,
        )
    };
    assert_eq!(first(&app), (0, Some("b".into()), 0));
    // Moved: the cursor follows its row from then on.
    app.send(Event::Key(KeyEvent::from(KeyCode::Char('j'))));
    app.send(Event::Host(B, listing(vec![], &["a", "b", "c"])));
    assert_eq!(first(&app), (2, Some("c".into()), 0));
}

#[test]
fn an_action_goes_to_its_rows_host_and_the_log_names_it() {
    let mut app = fleet(false);
    select(&mut app, "b-web");
    let routed = key(&mut app, 'x');
    let [(host, Command::Op { id, .. })] = routed.as_slice() else {
        panic!("{routed:?}");
    };
    assert_eq!(*host, B);
    let entry = app.activity.get(*id).expect("logged");
    assert_eq!(
        entry.cli,
        "docker -H unix:///beta.sock container stop --time 10 web"
    );
    assert_eq!(entry.runs_on, B, "its cancel goes there");
}

/// The row says the host, whatever host the user looks at: a marked row of beta's is
/// stopped on beta with alpha's row selected.
#[test]
fn an_action_on_a_row_of_beta_goes_to_beta_with_alpha_active() {
    let mut app = fleet(false);
    select(&mut app, "b-web");
    key(&mut app, ' ');
    select(&mut app, "a-web");
    assert_eq!(app.active_host(), A);
    let routed = key(&mut app, 'x');
    let [(host, Command::Op { op, .. })] = routed.as_slice() else {
        panic!("{routed:?}");
    };
    assert_eq!(
        (*host, op.container().map(|t| t.id.as_str())),
        (B, Some("b-web"))
    );
}

/// A pull started while beta was looked at is cancelled on beta, alpha looked at by then.
#[test]
fn a_pull_is_cancelled_on_the_host_it_runs_on() {
    let mut app = fleet(false);
    select(&mut app, "b-web");
    let reference = crate::reference::parse("busybox:1").expect("a reference");
    let sent = app.submit(vec![crate::docker::Op::Pull(reference)]);
    let [(B, Command::Op { id, .. })] = sent.as_slice() else {
        panic!("on beta: {sent:?}");
    };
    let id = *id;
    select(&mut app, "a-web");
    assert_eq!(app.active_host(), A);
    key(&mut app, 'D');
    assert_eq!(key(&mut app, 'c'), [(B, Command::Cancel(id))]);
}

#[test]
fn sessions_and_streams_stay_on_their_host() {
    let mut app = fleet(false);
    select(&mut app, "b-web");
    let routed = key(&mut app, 'e');
    let Some((host, Command::OpenSession(request))) = routed.last() else {
        panic!("{routed:?}");
    };
    assert_eq!(*host, B);
    let id = request.id;
    assert_eq!(app.terminals.sessions[0].host, B);
    app.send(Event::Host(
        B,
        DockerEvent::SessionOpened {
            id,
            interactive: true,
        },
    ));
    // `q` names the session with its host (alpha has a web too).
    app.focus = Pane::Containers;
    key(&mut app, 'q');
    let asked = match &app.view {
        Some(View::Dialog(crate::app::dialog::Dialog::Confirm(c))) => c.lines.join("\n"),
        other => panic!("{other:?}"),
    };
    assert!(asked.contains("  web@beta · shell"), "{asked}");
    app.view = None;
    app.focus = Pane::Terminal;
    // Typed into the tab: to beta.
    let input = key(&mut app, 'l');
    assert!(
        matches!(input.as_slice(), [(B, Command::SessionInput { id: i, .. })] if *i == id),
        "{input:?}"
    );
    // Each host watches the usage of its own rows; a refresh goes to every host.
    let ids = [(A, "a-web".into()), (B, "b-web".into())];
    assert_eq!(
        app.split_by_host(&ids, true, Command::WatchUsage),
        [
            (A, Command::WatchUsage(vec!["a-web".into()])),
            (B, Command::WatchUsage(vec!["b-web".into()]))
        ]
    );
    assert_eq!(
        app.split_by_host(&[(B, "b-web".into())], false, Command::RestartCounts),
        [(B, Command::RestartCounts(vec!["b-web".into()]))]
    );
    app.focus = Pane::Containers;
    let refresh = app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(
        refresh.docker,
        [(A, Command::Refresh), (B, Command::Refresh)]
    );
}

/// A container beta started, not listed yet: its restart count is asked of beta, the host
/// whose event it was, not of alpha, looked at.
#[test]
fn a_start_is_answered_by_the_host_whose_event_it_was() {
    let mut app = fleet(false);
    select(&mut app, "a-web");
    let start = crate::docker::EngineEvent {
        time: 0,
        kind: crate::docker::EventKind::Container,
        action: "start".into(),
        actor_id: "b-new".into(),
        attributes: vec![],
    };
    let sent = app
        .update(Event::Host(B, DockerEvent::Engine(start)))
        .docker;
    assert!(
        sent.contains(&(B, Command::RestartCounts(vec!["b-new".into()]))),
        "{sent:?}"
    );
    assert!(sent.iter().all(|(host, _)| *host == B), "{sent:?}");
}

/// A stream opened on beta is stopped on beta, though the host looked at is alpha by then:
/// the view that opened it kept its host.
#[test]
fn a_stream_opened_on_beta_is_stopped_on_beta_with_alpha_active() {
    for open in ['l', 'S'] {
        let mut app = fleet(false);
        select(&mut app, "b-web");
        let routed = key(&mut app, open);
        let stream = routed.iter().find_map(|(host, c)| match c {
            Command::FollowLogs { id, .. } | Command::FollowStats { id, .. } => Some((*host, *id)),
            _ => None,
        });
        let Some((B, id)) = stream else {
            panic!("{open}: followed on beta: {routed:?}");
        };
        select(&mut app, "a-web");
        assert_eq!(app.active_host(), A);
        let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Esc)));
        assert_eq!(effects.docker, [(B, Command::StopStream(id))], "{open}");
    }
}

/// beta refuses the connection (tried again in 1 s).
fn beta_refused(app: &mut App) {
    app.send(Event::Host(
        B,
        DockerEvent::Disconnected(
            ConnectError {
                kind: ConnectErrorKind::Refused,
                endpoint: "unix:///beta.sock".into(),
                detail: "connection refused".into(),
            },
            Duration::from_secs(1),
        ),
    ));
}

#[test]
fn a_host_down_keeps_its_rows_refuses_their_actions_and_leaves_the_rest_live() {
    let mut app = fleet(false);
    beta_refused(&mut app);
    assert_eq!(app.containers.rows.len(), 2, "beta's rows stay, stale");
    assert!(matches!(app.connection, Connection::Up(_)), "alpha is up");
    select(&mut app, "b-web");
    assert!(key(&mut app, 'x').is_empty());
    let status = app.activity.status.clone().expect("why").text;
    assert!(
        status.contains("beta is down (connection refused)"),
        "{status}"
    );
    // So is a shell there (no tab opens for it).
    assert!(key(&mut app, 'e').is_empty());
    assert!(app.terminals.sessions.is_empty());
    let status = app.activity.status.clone().expect("why").text;
    assert!(status.contains("beta is down"), "{status}");
    select(&mut app, "a-web");
    let routed = key(&mut app, 'x');
    assert!(
        matches!(routed.as_slice(), [(A, Command::Op { .. })]),
        "{routed:?}"
    );
    // Back up: its rows act again.
    up(&mut app, B);
    select(&mut app, "b-web");
    assert!(matches!(
        key(&mut app, 'x').as_slice(),
        [(B, Command::Op { .. })]
    ));
}

#[test]
fn a_read_only_host_refuses_changes_and_still_shows_logs() {
    let mut app = fleet(true);
    select(&mut app, "b-web");
    assert!(key(&mut app, 'x').is_empty());
    let status = app.activity.status.clone().expect("why").text;
    assert!(status.contains("beta is read-only"), "{status}");
    assert!(matches!(
        key(&mut app, 'l').last(),
        Some((B, Command::FollowLogs { .. }))
    ));
    app.view = None;
    select(&mut app, "a-web");
    assert!(matches!(
        key(&mut app, 'x').as_slice(),
        [(A, Command::Op { .. })]
    ));
}

#[test]
fn at_name_in_a_filter_keeps_one_hosts_rows() {
    let mut app = fleet(false);
    app.set_filter(Pane::Containers, "@bet");
    let ids: Vec<_> = app
        .visible_containers()
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    assert_eq!(ids, ["b-web"]);
    app.set_filter(Pane::Containers, "@alpha web");
    let ids: Vec<_> = app
        .visible_containers()
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    assert_eq!(ids, ["a-web"]);
    // A whole name is that host, not every host whose name starts so.
    app.hosts[1].spec.name = "alpha-2".into();
    app.host_names = crate::app::hosts::names(&app.hosts);
    app.set_filter(Pane::Containers, "@alpha");
    let ids: Vec<_> = app
        .visible_containers()
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    assert_eq!(ids, ["a-web"]);
    app.set_filter(Pane::Containers, "@alph");
    assert_eq!(app.visible_containers().len(), 2);
    app.set_filter(Pane::Containers, "@nowhere");
    assert!(app.visible_containers().is_empty());
}

#[test]
fn the_same_image_on_two_hosts_is_two_rows() {
    let mut app = fleet(false);
    let image = super::image_row("busybox", "1", "sha256:1");
    for host in [A, B] {
        app.send(Event::Host(host, DockerEvent::Images(vec![image.clone()])));
    }
    let keys: Vec<_> = app
        .images
        .rows()
        .map(|i| (i.host, i.key.as_str()))
        .collect();
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0].1, keys[1].1);
    // beta's images again: alpha's stays.
    app.send(Event::Host(B, DockerEvent::Images(vec![])));
    assert_eq!(app.visible_images().len(), 1);
    assert_eq!(app.visible_images()[0].host, A);
}

#[test]
fn a_pull_says_which_host_it_goes_to() {
    let mut app = fleet(false);
    select(&mut app, "b-web");
    key(&mut app, 'p');
    let Some(View::Dialog(crate::app::dialog::Dialog::Form(form))) = &app.view else {
        panic!("a pull form");
    };
    assert_eq!(form.title(), " Pull an image on beta ");
}

#[test]
fn a_read_only_hosts_sessions_take_no_keys_and_keep_their_size() {
    let mut app = fleet(true);
    select(&mut app, "b-web");
    let routed = key(&mut app, 'a');
    let Some((B, Command::OpenSession(request))) = routed.last() else {
        panic!("{routed:?}");
    };
    assert!(!request.resize, "the container's tty is left alone");
    let id = request.id;
    app.send(Event::Host(
        B,
        DockerEvent::SessionOpened {
            id,
            interactive: true,
        },
    ));
    assert!(
        key(&mut app, 'x').is_empty(),
        "no key reaches the container"
    );
    assert!(
        app.update(Event::Paste("rm -rf /".into()))
            .docker
            .is_empty()
    );
}

#[test]
fn a_custom_command_reaches_its_rows_host() {
    let parsed = crate::config::parse(
        "[[commands]]\nname = \"top\"\nkey = \"Z\"\ncommand = \"docker -H {host} top {id}\"\nrun = \"background\"\n\n[[commands]]\nname = \"kill-it\"\nkey = \"Q\"\ncommand = \"docker kill {id}\"\nrun = \"background\"\nchanges = true\n",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let mut app = fleet(true);
    app.keymap = parsed.config.keymap;
    app.prefs.commands = parsed.config.commands;
    select(&mut app, "b-web");
    let routed = key(&mut app, 'Z');
    let Some((
        _,
        Command::Op {
            op: Op::Custom(call),
            ..
        },
    )) = routed.last()
    else {
        panic!("{routed:?}");
    };
    assert_eq!(
        call.argv,
        ["docker", "-H", "unix:///beta.sock", "top", "b-web"]
    );
    assert!(
        call.env
            .contains(&("DOCKER_HOST".into(), "unix:///beta.sock".into()))
    );
    // beta is read-only: a command that changes the host is refused there, not on alpha.
    assert!(key(&mut app, 'Q').is_empty());
    assert!(
        app.activity
            .status
            .clone()
            .expect("why")
            .text
            .contains("beta is read-only")
    );
    select(&mut app, "a-web");
    assert!(matches!(
        key(&mut app, 'Q').last(),
        Some((_, Command::Op { .. }))
    ));
}

#[test]
fn run_it_attaches_on_the_host_that_created_the_container() {
    let mut app = fleet(false);
    select(&mut app, "a-web");
    let target = crate::docker::Target {
        id: "b-new".into(),
        name: "new".into(),
    };
    let effects = app.update(Event::Host(
        B,
        DockerEvent::RunCreated { container: target },
    ));
    let routed = effects.docker;
    assert!(
        matches!(routed.last(), Some((B, Command::OpenSession(_)))),
        "{routed:?}"
    );
    assert_eq!(app.terminals.sessions[0].host, B);
}

#[test]
fn a_removed_hosts_late_answers_are_dropped_and_its_id_is_not_given_again() {
    let mut app = fleet(false);
    app.open_hosts();
    app.change_hosts(crate::app::hosts::HostChange::Remove(vec![B]));
    assert!(app.containers.rows().all(|c| c.host == A));
    // Its worker was mid-listing.
    app.send(Event::Host(
        B,
        DockerEvent::Snapshot {
            images: vec![],
            containers: vec![row("late", "b-late")],
        },
    ));
    assert!(app.containers.rows().all(|c| c.host == A), "no orphan rows");
    let endpoint = Endpoint {
        host: "unix:///gamma.sock".into(),
        source: EndpointSource::Flag,
        tls: None,
    };
    let effects = app.change_hosts(crate::app::hosts::HostChange::Add(
        crate::app::hosts::Context {
            name: "gamma".into(),
            endpoint: Ok(endpoint),
        },
    ));
    let Some(crate::app::Local::AddHost(id, _)) = effects.local.first() else {
        panic!("{effects:?}");
    };
    assert_eq!(*id, HostId(2), "a fresh id, not the removed host's");
}

#[test]
fn merged_logs_of_marked_rows_on_two_hosts_follow_each_on_its_host_and_close_on_both() {
    let mut app = fleet(false);
    let mark = |host, id: &str| crate::app::list::RowKey::new(host, id);
    app.containers
        .marks
        .extend([mark(A, "a-web"), mark(B, "b-web")]);
    let routed = key(&mut app, 'l');
    let hosts: Vec<HostId> = routed
        .iter()
        .filter(|(_, c)| matches!(c, Command::FollowLogs { .. }))
        .map(|(h, _)| *h)
        .collect();
    assert_eq!(hosts, [A, B]);
    let stops: Vec<HostId> = key(&mut app, 'q').iter().map(|(h, _)| *h).collect();
    assert_eq!(stops, [A, B], "each stream stopped where it runs");
}

#[test]
fn a_project_on_two_hosts_is_two_groups_each_acting_on_its_host() {
    use crate::app::compose::Entry;
    let mut app = fleet(false);
    let compose = std::sync::Arc::new(crate::docker::compose::Compose {
        project: "shop".into(),
        service: "web".into(),
        working_dir: String::new(),
        config_files: String::new(),
        config_hash: String::new(),
    });
    for row in app.containers.rows.iter_mut().map(|r| &mut r.row) {
        row.compose = Some(compose.clone());
    }
    let projects: Vec<HostId> = app
        .container_entries()
        .iter()
        .filter_map(|e| match e {
            Entry::Project(p) => Some(p.host),
            Entry::Container { .. } => None,
        })
        .collect();
    assert_eq!(projects.len(), 2);
    assert!(projects.contains(&A) && projects.contains(&B));
    app.containers.room.cursor.selected = Some(crate::app::compose::project_key(B, "shop"));
    assert!(key(&mut app, 'x').is_empty(), "it asks first");
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Enter)));
    let routed = effects.docker;
    assert!(
        matches!(routed.as_slice(), [(B, Command::Op { op, .. })]
            if op.container().map(|t| t.id.as_str()) == Some("b-web")),
        "only beta's container, on beta: {routed:?}"
    );
}

#[test]
fn a_list_view_shows_every_host_and_each_verb_goes_to_its_rows_host() {
    use crate::app::room::Overlay;
    use crate::docker::host::{HostAnswer, HostQuery};
    let mut app = fleet(false);
    select(&mut app, "a-web");
    // Every live host's networks, each asked of its host.
    let sent = key(&mut app, 'M');
    let asked: Vec<HostId> = sent
        .iter()
        .filter_map(|(host, c)| match c {
            Command::Host {
                host: named,
                query: HostQuery::Networks,
                ..
            } if named == host => Some(*host),
            _ => None,
        })
        .collect();
    assert_eq!(asked, [A, B], "{sent:?}");
    let Some((_, Command::Host { id, .. })) = sent.first() else {
        panic!("{sent:?}");
    };
    let id = *id;
    for (host, name) in [(A, "frontend"), (B, "backend")] {
        let net = crate::docker::networks::NetworkRow {
            id: format!("{name}-id"),
            name: name.into(),
            ..Default::default()
        };
        app.send(Event::Host(
            host,
            DockerEvent::Host {
                id,
                result: Ok(HostAnswer::Networks(vec![net])),
            },
        ));
    }
    let Some(view) = app.view.as_mut().and_then(View::list_of_mut::<Networks>) else {
        panic!("the networks view");
    };
    assert_eq!(view.rows.len(), 2, "both hosts' rows at once");
    // Tab moves to no other host: it does nothing but say so.
    app.update(Event::Key(KeyEvent::from(KeyCode::Tab)));
    assert!(
        app.activity
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("does nothing")),
        "{:?}",
        app.activity.status
    );
    // Beta's row: connect offers beta's containers only, and the action goes to beta.
    let Some(view) = app.view.as_mut().and_then(View::list_of_mut::<Networks>) else {
        panic!("the networks view");
    };
    view.room.cursor.selected = Some(crate::app::list::RowKey::new(B, "backend-id").text());
    key(&mut app, 'C');
    let Some(view) = app.view.as_ref().and_then(View::list_of::<Networks>) else {
        panic!("the networks view");
    };
    let Some(Overlay::Dialog(crate::app::dialog::Dialog::Pick(picker))) = &view.room.overlay else {
        panic!("the picker: {:?}", view.room.overlay);
    };
    let offered: Vec<_> = picker
        .items
        .iter()
        .map(|(_, op)| op.container().map(|t| t.id.to_string()))
        .collect();
    assert_eq!(picker.items.len(), 1, "{offered:?}");
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Enter)));
    let sent = effects.docker;
    assert!(
        matches!(&sent[..], [(B, Command::Op { op: Op::ConnectNetwork { container, .. }, .. })] if container.id.as_str() == "b-web"),
        "{sent:?}"
    );
    // Remove asks, naming beta, and goes to beta.
    key(&mut app, 'd');
    let Some(view) = app.view.as_ref().and_then(View::list_of::<Networks>) else {
        panic!("the networks view");
    };
    let Some(Overlay::Dialog(crate::app::dialog::Dialog::Confirm(c))) = &view.room.overlay else {
        panic!("remove asks: {:?}", view.room.overlay);
    };
    assert!(c.title.contains("backend on beta"), "{}", c.title);
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Enter)));
    let sent = effects.docker;
    assert!(
        matches!(&sent[..], [(B, Command::Op { op: Op::RemoveNetwork { name }, .. })] if name == "backend"),
        "{sent:?}"
    );
}

#[test]
fn marked_rows_on_several_hosts_are_refused_not_guessed() {
    use crate::docker::host::HostAnswer;
    let mut app = fleet(false);
    let sent = key(&mut app, 'V');
    let Some((_, Command::Host { id, .. })) = sent.first() else {
        panic!("{sent:?}");
    };
    let id = *id;
    for host in [A, B] {
        let vol = crate::docker::volumes::VolumeRow {
            name: "data".into(),
            driver: "local".into(),
            scope: "local".into(),
            size: None,
            users: vec![],
        };
        app.send(Event::Host(
            host,
            DockerEvent::Host {
                id,
                result: Ok(HostAnswer::Volumes(vec![vol], None)),
            },
        ));
    }
    app.update(Event::Key(KeyEvent::from(KeyCode::Char(' '))));
    app.update(Event::Key(KeyEvent::from(KeyCode::Char(' '))));
    let sent = key(&mut app, 'd');
    assert!(sent.is_empty(), "{sent:?}");
    let Some(view) = app.view.as_ref().and_then(View::list_of::<Volumes>) else {
        panic!("the volumes view");
    };
    assert_eq!(view.marks.len(), 2);
    assert!(view.room.overlay.is_none(), "it asks nothing");
    assert!(
        app.activity
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("several hosts")),
        "{:?}",
        app.activity.status
    );
}

#[test]
fn a_host_that_connects_while_a_list_is_open_is_listed_too() {
    let mut app = fleet(false);
    key(&mut app, 'F');
    let effects = app.update(Event::Host(
        B,
        DockerEvent::Connected(EngineInfo {
            endpoint: Endpoint {
                host: "unix:///beta.sock".into(),
                source: EndpointSource::Flag,
                tls: None,
            },
            version: "26.1".into(),
            api_version: "1.45".into(),
            os_arch: "linux/amd64".into(),
        }),
    ));
    let sent = effects.docker;
    assert!(
        sent.iter().any(|(host, c)| *host == B
            && matches!(
                c,
                Command::Host {
                    query: crate::docker::host::HostQuery::DiskUsage,
                    ..
                }
            )),
        "{sent:?}"
    );
}

/// A host down says when its worker tries again, counts down with the clock, and forgets it
/// once back.
#[test]
fn a_host_down_says_when_it_is_tried_again() {
    let mut app = fleet(false);
    app.update(Event::Tick(1_000));
    let refused = ConnectError {
        kind: ConnectErrorKind::Refused,
        endpoint: "unix:///beta.sock".into(),
        detail: "connection refused".into(),
    };
    app.send(Event::Host(
        B,
        DockerEvent::Disconnected(refused, Duration::from_secs(8)),
    ));
    let beta = |app: &App| app.host(B).expect("beta").retrying(app.now);
    assert_eq!(beta(&app), "retrying in 8 s");
    let banner = |app: &App| {
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 45))
            .expect("a test terminal");
        terminal
            .draw(|frame| crate::ui::render(frame, app))
            .expect("draw");
        format!("{}", terminal.backend())
    };
    assert!(
        banner(&app).contains("beta disconnected, retrying in 8 s; its rows are stale"),
        "{}",
        banner(&app)
    );
    app.update(Event::Tick(1_005));
    assert_eq!(beta(&app), "retrying in 3 s");
    app.update(Event::Tick(1_008));
    assert_eq!(beta(&app), "retrying", "the try is due");
    up(&mut app, B);
    assert_eq!(app.host(B).expect("beta").retry_at, None);
}

fn down(app: &mut App, host: HostId) {
    app.send(Event::Host(
        host,
        DockerEvent::Disconnected(
            ConnectError {
                kind: ConnectErrorKind::Refused,
                endpoint: format!("unix:///{}.sock", app.host_name(host)),
                detail: "no such file or directory".into(),
            },
            Duration::from_secs(8),
        ),
    ));
}

/// Issue 25.12: a host (an implicit context) whose socket never answered is listed as
/// unreachable, not as a host that went down: the header counts it and stays calm; a host
/// that was up and went down still raises the banner. In the hosts view, ENDPOINT is drawn
/// whole while STATE is short (its columns are sized to their cells).
#[test]
fn a_host_never_reached_is_unreachable_not_down_and_endpoints_are_not_cut() {
    use super::lists::drawn_at;
    let mut long = spec("gone", false);
    long.label = "unix:///var/run/user/1000/some/long/path/to/a/docker.sock".into();
    let mut app = App::new(Settings {
        size: (160, 45),
        hosts: vec![spec("alpha", false), long],
        ..Settings::default()
    });
    up(&mut app, A);
    down(&mut app, B);
    assert!(drawn_at(&app, 0, "2 hosts: 1 up, 1 unreachable").is_some());
    assert!(
        drawn_at(&app, 1, "disconnected").is_none(),
        "no banner for a host never reached"
    );
    key(&mut app, 'H');
    let y = (0..45).find(|&y| drawn_at(&app, y, "gone").is_some());
    let y = y.expect("gone's row");
    assert!(drawn_at(&app, y, "unreachable, retrying in 8 s").is_some());
    assert!(
        drawn_at(&app, y, "some/long/path/to/a/docker.sock").is_some(),
        "ENDPOINT whole"
    );
    // `y` copies where the host is (its key, "host 1", is dockpit's own).
    key(&mut app, 'G');
    let copied = app.update(Event::Key(KeyEvent::from(KeyCode::Char('y'))));
    assert!(
        copied.local.iter().any(|l| matches!(
            l,
            crate::app::effects::Local::Clipboard(t) if t.ends_with("some/long/path/to/a/docker.sock")
        )),
        "{:?}",
        copied.local
    );
    key(&mut app, 'q');
    // Once up, a host that goes down is down: the banner names it.
    up(&mut app, B);
    down(&mut app, B);
    assert!(drawn_at(&app, 0, "2 hosts: 1 up, 1 down").is_some());
    assert!(drawn_at(&app, 1, "gone disconnected").is_some());
}

/// With several hosts every question and summary names `name@host` (both hosts have a
/// `web`).
#[test]
fn questions_and_summaries_name_the_host() {
    use crate::app::dialog::Dialog;
    use crate::docker::OpError;
    let mut app = fleet(false);
    let question = |app: &App| match &app.view {
        Some(View::Dialog(Dialog::Confirm(c))) => format!("{}\n{}", c.title, c.lines.join("\n")),
        Some(View::Dialog(Dialog::Kill(k))) => k.labels.join(", "),
        other => panic!("no question: {other:?}"),
    };
    select(&mut app, "b-web");
    key(&mut app, 'd');
    assert!(
        question(&app).contains(" Remove container web@beta? "),
        "{}",
        question(&app)
    );
    app.send(Event::Key(KeyEvent::from(KeyCode::Esc)));
    key(&mut app, 'K');
    assert_eq!(question(&app), "web@beta");
    app.send(Event::Key(KeyEvent::from(KeyCode::Esc)));
    // A form on a row says where it acts too.
    key(&mut app, 'c');
    let Some(View::Dialog(Dialog::Form(form))) = &app.view else {
        panic!("the commit form");
    };
    assert_eq!(form.title(), " Commit web to an image on beta ");
    app.send(Event::Key(KeyEvent::from(KeyCode::Esc)));
    // One stop: its start and its outcome say where.
    let routed = key(&mut app, 'x');
    let [(_, Command::Op { id, .. })] = routed.as_slice() else {
        panic!("{routed:?}");
    };
    assert!(
        status(&app).starts_with("Stopping web@beta: SIGTERM sent"),
        "{}",
        status(&app)
    );
    app.send(Event::Host(
        B,
        DockerEvent::OpDone {
            id: *id,
            result: Ok("Stopped web".into()),
            elapsed: Duration::from_millis(400),
        },
    ));
    assert_eq!(status(&app), "Stopped web@beta in 0.4 s");
    // Both marked: the question and the summary's failure name each one's host.
    select(&mut app, "a-web");
    app.send(Event::Key(KeyEvent::from(KeyCode::Char(' '))));
    app.send(Event::Key(KeyEvent::from(KeyCode::Char(' '))));
    key(&mut app, 'R');
    assert!(
        question(&app).contains("web@alpha, web@beta"),
        "{}",
        question(&app)
    );
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Enter)));
    let routed = effects.docker;
    assert_eq!(routed.len(), 2, "{routed:?}");
    for (host, command) in routed {
        let Command::Op { id, .. } = command else {
            panic!("{command:?}");
        };
        let result = match host {
            A => Ok("Restarted web".into()),
            _ => Err(OpError::new("no such container")),
        };
        let elapsed = Duration::from_millis(300);
        app.send(Event::Host(
            host,
            DockerEvent::OpDone {
                id,
                result,
                elapsed,
            },
        ));
    }
    let summary = status(&app);
    assert!(
        summary.contains("1 failed: web@beta: no such container"),
        "{summary}"
    );
}

/// A host that goes down has its rows marked stale from then on; back up, they are live
/// again and its error leaves the status line.
#[test]
fn a_host_back_up_is_live_again_and_its_error_leaves_the_status_line() {
    let mut app = fleet(false);
    app.now = 100;
    app.send(Event::Host(
        B,
        DockerEvent::Dropped("the events stream: reset".into()),
    ));
    beta_refused(&mut app);
    app.now = 160;
    beta_refused(&mut app);
    let since = |app: &App| app.host(B).and_then(|h| h.stale_since());
    assert_eq!(since(&app), Some(100), "since the first failure");
    assert_eq!(
        app.host(A).and_then(|h| h.stale_since()),
        None,
        "alpha is up"
    );
    assert!(status(&app).starts_with("✗ beta: the events stream"));
    up(&mut app, B);
    assert_eq!(since(&app), None);
    assert_eq!(status(&app), "beta is back");
    // Another host's error stays.
    app.send(Event::Host(
        A,
        DockerEvent::Dropped("the events stream: reset".into()),
    ));
    beta_refused(&mut app);
    up(&mut app, B);
    assert!(
        status(&app).starts_with("✗ alpha: the events stream"),
        "{}",
        status(&app)
    );
}

#[test]
fn a_mark_on_one_host_leaves_the_same_id_on_another_unmarked() {
    // One daemon watched through two endpoints: both list container "same".
    let mut app = fleet(false);
    for host in [A, B] {
        app.send(Event::Host(
            host,
            DockerEvent::Snapshot {
                images: vec![],
                containers: vec![row("web", "same")],
            },
        ));
    }
    let at = |app: &App, host| {
        let rows = app.container_entries();
        (rows.iter())
            .position(|e| e.container().is_some_and(|c| c.host == host))
            .unwrap_or(usize::MAX)
    };
    let on_b = at(&app, B);
    app.move_to(on_b);
    assert_eq!(app.selected_container().map(|c| c.host), Some(B));
    key(&mut app, ' ');
    let marked = |app: &App, host| {
        let rows = app.container_entries();
        let c = rows
            .iter()
            .find_map(|e| e.container().filter(|c| c.host == host));
        c.is_some_and(|c| app.is_marked(c))
    };
    assert!(marked(&app, B), "B's marked");
    assert!(!marked(&app, A), "A's, the same id, is not");
    // Host A lists it again, and then lists it gone: B's mark stays.
    app.send(Event::Host(
        A,
        DockerEvent::Snapshot {
            images: vec![],
            containers: vec![],
        },
    ));
    assert!(marked(&app, B), "B's mark outlives A's row");
    assert_eq!(app.containers.marks.len(), 1);
}

/// In a fleet the panes have a HOST column: a click on its header sorts by host, a second
/// the other way round (the column is laid out as drawn, before NAME).
#[test]
fn a_click_on_the_host_header_sorts_a_pane_by_host() {
    use super::click;
    use super::lists::drawn_at;
    let mut app = fleet(false);
    let ids = |app: &App| -> Vec<String> {
        let rows = app.visible_containers();
        rows.iter().map(|c| c.id.as_str().to_string()).collect()
    };
    let header = app.areas().containers.y + 1;
    let host = drawn_at(&app, header, "HOST").expect("a HOST header");
    let name = drawn_at(&app, header, "NAME").expect("a NAME header");
    assert!(host < name, "HOST comes first");
    click(&mut app, host + 1, header);
    assert_eq!(app.container_sort().by, crate::app::lists::SortBy::Host);
    assert_eq!(ids(&app), ["a-web", "b-web"]);
    assert!(drawn_at(&app, header, "HOST ▲").is_some());
    click(&mut app, host + 1, header);
    assert_eq!(ids(&app), ["b-web", "a-web"]);
    assert!(drawn_at(&app, header, "HOST ▼").is_some());
}

fn enter(app: &mut App) -> Vec<(HostId, Command)> {
    app.update(Event::Key(KeyEvent::from(KeyCode::Enter)))
        .docker
}

/// A dialog opened on beta's row acts on beta, though alpha's row is selected by the time
/// it is answered: a prune (no container: the host is all it has), a pull typed with no
/// row, and a stop asked about one daemon's container listed through both endpoints.
#[test]
fn a_dialog_acts_on_the_host_it_was_opened_for() {
    let mut app = fleet(false);
    select(&mut app, "b-web");
    key(&mut app, 'X');
    select(&mut app, "a-web");
    assert_eq!(app.active_host(), A);
    let sent = enter(&mut app);
    assert!(
        matches!(
            &sent[..],
            [(
                B,
                Command::Op {
                    op: Op::PruneContainers { .. },
                    ..
                }
            )]
        ),
        "{sent:?}"
    );
    select(&mut app, "b-web");
    key(&mut app, 'p');
    select(&mut app, "a-web");
    for c in "busybox:1".chars() {
        key(&mut app, c);
    }
    let sent = enter(&mut app);
    assert!(
        matches!(
            &sent[..],
            [(
                B,
                Command::Op {
                    op: Op::Pull(_),
                    ..
                }
            )]
        ),
        "{sent:?}"
    );
    // Both endpoints list container "same": the question asked on beta's rows stops beta's.
    let mut app = fleet(false);
    for host in [A, B] {
        let containers = vec![row("web", "same"), row("api", "other")];
        let snapshot = DockerEvent::Snapshot {
            images: vec![],
            containers,
        };
        app.send(Event::Host(host, snapshot));
    }
    let at = |app: &App, host, name: &str| {
        let rows = app.container_entries();
        (rows.iter())
            .position(|e| {
                e.container()
                    .is_some_and(|c| c.host == host && c.name == name)
            })
            .unwrap_or(usize::MAX)
    };
    let (b_web, b_api, a_web) = (at(&app, B, "web"), at(&app, B, "api"), at(&app, A, "web"));
    app.move_to(b_web);
    key(&mut app, ' ');
    app.move_to(b_api);
    key(&mut app, ' ');
    key(&mut app, 'x');
    app.move_to(a_web);
    assert_eq!(app.selected_container().map(|c| c.host), Some(A));
    let sent = enter(&mut app);
    let hosts: Vec<HostId> = sent.iter().map(|(host, _)| *host).collect();
    assert_eq!(hosts, [B, B], "{sent:?}");
}

/// A question over a list acts on the host the list aimed at when it opened, even if the
/// list aims elsewhere by the time it is answered.
#[test]
fn a_question_over_a_list_keeps_its_host() {
    use crate::docker::host::HostAnswer;
    use crate::docker::volumes::VolumeRow;
    let mut app = fleet(false);
    let sent = key(&mut app, 'V');
    let Some((_, Command::Host { id, .. })) = sent.first() else {
        panic!("{sent:?}");
    };
    let id = *id;
    for (host, name) in [(A, "a-data"), (B, "b-data")] {
        let volume = VolumeRow {
            name: name.into(),
            driver: "local".into(),
            scope: "local".into(),
            size: None,
            users: Vec::new(),
        };
        let answer = Ok(HostAnswer::Volumes(vec![volume], None));
        app.send(Event::Host(host, DockerEvent::Host { id, result: answer }));
    }
    let Some(view) = app.view.as_mut().and_then(View::list_of_mut::<Volumes>) else {
        panic!("the volumes view");
    };
    view.room.cursor.selected = Some(crate::app::list::RowKey::new(B, "b-data").text());
    key(&mut app, 'd');
    let Some(view) = app.view.as_mut().and_then(View::list_of_mut::<Volumes>) else {
        panic!("the volumes view");
    };
    view.room.host = A;
    let sent = enter(&mut app);
    assert!(
        matches!(&sent[..], [(B, Command::Op { op: Op::RemoveVolume { name }, .. })] if name == "b-data"),
        "{sent:?}"
    );
}

/// A build asked for on beta (its form opened with beta's row selected) goes to beta, and
/// `R` in its view builds it there again with alpha's row selected by then.
#[test]
fn a_build_and_its_build_again_go_to_the_host_it_was_asked_on() {
    let mut app = fleet(false);
    select(&mut app, "b-web");
    app.open_build_form(None);
    select(&mut app, "a-web");
    for _ in 0..2 {
        app.update(Event::Key(KeyEvent::from(KeyCode::Down)));
    }
    for c in "app:1".chars() {
        key(&mut app, c);
    }
    let built = |sent: &[(HostId, Command)]| {
        sent.iter().find_map(|(host, c)| {
            matches!(
                c,
                Command::Op {
                    op: Op::Build(_),
                    ..
                }
            )
            .then_some(*host)
        })
    };
    let sent = enter(&mut app);
    assert_eq!(built(&sent), Some(B), "{sent:?}");
    assert!(matches!(&app.view, Some(View::Build(_))), "its view opens");
    assert_eq!(app.active_host(), A);
    let sent = key(&mut app, 'R');
    assert_eq!(built(&sent), Some(B), "{sent:?}");
}
