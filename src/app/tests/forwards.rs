//! `b` on a container of an ssh host: a local forward asked for, opened once up, reused,
//! listed in the hosts view, closed there, and said when ssh ends.

use super::*;
use crate::app::Local;
use crate::app::forwards::{ForwardEvent, ForwardRequest};
use crate::app::host_list::Hosts;
use crate::app::hosts::HostSpec;
use crate::docker::{ContainerState, HostId};

const SSH: HostId = HostId(0);

/// One ssh host, "build1", with web publishing 80 on the far machine's loopback and api on
/// every address.
fn app() -> App {
    let spec = HostSpec {
        name: "build1".into(),
        cli: "-H ssh://deploy@build1".into(),
        label: "ssh://deploy@build1".into(),
        read_only: false,
        docker_host: "ssh://deploy@build1".into(),
        docker_env: Vec::new(),
    };
    let mut app = App::new(Settings {
        size: (160, 45),
        hosts: vec![spec],
        now: 1_700_000_000,
        ..Settings::default()
    });
    let web = crate::docker::ContainerRow {
        ports: "53/udp, 127.0.0.1:32768->80/tcp".into(),
        ..container("web", ContainerState::Running)
    };
    let api = crate::docker::ContainerRow {
        ports: "0.0.0.0:9000->9000/tcp, [::]:9000->9000/tcp".into(),
        ..container("api", ContainerState::Running)
    };
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![web, api],
    }));
    app.focus = Pane::Containers;
    app
}

fn press(app: &mut App, code: KeyCode) -> Vec<Local> {
    app.update(Event::Key(KeyEvent::from(code))).local
}

/// `b` on `name`: the effects it gives.
fn open(app: &mut App, name: &str) -> Vec<Local> {
    app.containers.room.cursor.follow(format!("id-{name}"));
    press(app, KeyCode::Char('b'))
}

fn asked(local: &[Local]) -> Vec<ForwardRequest> {
    (local.iter())
        .filter_map(|l| match l {
            Local::Forward(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

fn opened(local: &[Local]) -> Vec<String> {
    (local.iter())
        .filter_map(|l| match l {
            Local::Open(url) => Some(url.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn b_asks_for_a_forward_opens_it_once_up_and_reuses_it() {
    let mut app = app();
    let first = open(&mut app, "web");
    let [request] = asked(&first).try_into().expect("one forward asked for");
    assert_eq!(request.destination, "deploy@build1");
    assert_eq!(request.target, "127.0.0.1:32768");
    assert!(opened(&first).is_empty(), "nothing to open before it is up");
    // A second `b` while ssh starts asks for no other.
    let again = open(&mut app, "web");
    assert!(
        asked(&again).is_empty() && opened(&again).is_empty(),
        "{again:?}"
    );
    assert!(status(&app).contains("starting"), "{}", status(&app));

    let up = app.update(Event::Forward(ForwardEvent::Up {
        id: request.id,
        local: 41000,
    }));
    assert_eq!(opened(&up.local), ["http://127.0.0.1:41000"]);
    assert!(
        up.local
            .contains(&Local::Clipboard("http://127.0.0.1:41000".into())),
        "copied: {:?}",
        up.local
    );
    let reused = open(&mut app, "web");
    assert!(asked(&reused).is_empty(), "the same forward: {reused:?}");
    assert_eq!(opened(&reused), ["http://127.0.0.1:41000"]);

    // Another container's port is a forward of its own; one published on every address is
    // reached on the far machine's loopback.
    let other = asked(&open(&mut app, "api"));
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].target, "127.0.0.1:9000");
    assert_ne!(other[0].id, request.id);
    assert_eq!(app.forwards.open.len(), 2);
}

#[test]
fn an_ssh_that_ends_says_why_and_the_next_b_starts_another() {
    let mut app = app();
    let [request] = asked(&open(&mut app, "web")).try_into().expect("asked");
    let ended = app.update(Event::Forward(ForwardEvent::Ended {
        id: request.id,
        why: "root@build1: Permission denied (publickey).\x1b[2J".into(),
    }));
    assert!(ended.is_empty(), "{ended:?}");
    let said = status(&app);
    assert!(
        said.contains("web's 127.0.0.1:32768 ended: root@build1: Permission denied (publickey)."),
        "{said}"
    );
    assert!(!said.contains('\x1b'), "ssh's words made inert: {said:?}");
    assert!(app.forwards.open.is_empty());
    let [next] = asked(&open(&mut app, "web"))
        .try_into()
        .expect("asked again");
    assert_ne!(next.id, request.id);
}

#[test]
fn the_hosts_view_lists_forwards_and_d_closes_one_without_asking() {
    let mut app = app();
    let [request] = asked(&open(&mut app, "web")).try_into().expect("asked");
    app.update(Event::Forward(ForwardEvent::Up {
        id: request.id,
        local: 41000,
    }));
    press(&mut app, KeyCode::Char('H'));
    let list = (app.view.as_ref())
        .and_then(View::list_of::<Hosts>)
        .expect("the hosts view");
    let line = (list.rows.iter())
        .map(|r| &r.row)
        .find(|r| r.forward == Some(request.id))
        .expect("the forward listed");
    assert_eq!(line.name, "build1/web");
    assert_eq!(line.endpoint, "127.0.0.1:32768 → 127.0.0.1:41000");
    assert_eq!(line.state, "forward since 22:13");

    // Other verbs on it say what it is.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('O'));
    assert!(status(&app).contains("d closes it"), "{}", status(&app));
    let closed = press(&mut app, KeyCode::Char('d'));
    assert_eq!(closed, [Local::CloseForward(request.id)]);
    assert!(matches!(app.view, Some(View::List(_))), "no question asked");
    assert!(app.forwards.open.is_empty());
    let list = (app.view.as_ref())
        .and_then(View::list_of::<Hosts>)
        .expect("the hosts view");
    assert!(list.rows.iter().all(|r| r.row.forward.is_none()));
    // Its late end, from the killed ssh, says nothing.
    app.update(Event::Forward(ForwardEvent::Ended {
        id: request.id,
        why: "killed".into(),
    }));
    assert!(!status(&app).contains("killed"), "{}", status(&app));
}

#[test]
fn a_host_removed_closes_its_forwards() {
    let mut app = app();
    let [request] = asked(&open(&mut app, "web")).try_into().expect("asked");
    // A second host first: the last one stays.
    app.change_hosts(crate::app::hosts::HostChange::Typed(
        "unix:///other.sock".into(),
    ));
    let effects = app.change_hosts(crate::app::hosts::HostChange::Remove(vec![SSH]));
    assert!(
        effects.local.contains(&Local::CloseForward(request.id)),
        "{effects:?}"
    );
    assert!(app.forwards.open.is_empty());
}

#[test]
fn b_on_a_local_host_opens_the_port_itself() {
    let mut app = new_app(0, (160, 45));
    let web = crate::docker::ContainerRow {
        ports: "127.0.0.1:32768->80/tcp".into(),
        ..container("web", ContainerState::Running)
    };
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![web],
    }));
    app.focus = Pane::Containers;
    let local = open(&mut app, "web");
    assert!(asked(&local).is_empty());
    assert_eq!(opened(&local), ["http://127.0.0.1:32768"]);
}
