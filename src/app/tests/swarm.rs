//! The Swarm view: found on the manager host, its rows and levels, its actions and forms,
//! task logs and a task's container reached on its node's host.

use super::hosts::{spec, up};
use super::*;
use crate::app::dialog::Dialog;
use crate::app::list::List;
use crate::app::room::Overlay;
use crate::app::swarm::Tab;
use crate::app::swarm_lists::{Nodes, Services, Stacks, SwarmKind, SwarmTasks};
use crate::docker::actions::swarm::{Availability, SwarmOp};
use crate::docker::host::{HostAnswer, HostQuery};
use crate::docker::swarm::{Membership, Mode, NodeRow, ServiceRow, SwarmListing, TaskRow, Tasks};
use crate::docker::{ContainerState, EngineEvent, EventKind, HostId, StreamId};

const MANAGER: HostId = HostId(0);
const WORKER: HostId = HostId(1);

fn member(node: &str, manager: bool) -> Option<Membership> {
    Some(Membership {
        node_id: node.into(),
        manager,
        managers: vec!["10.0.0.1:2377".into()],
    })
}

/// Two hosts, a manager ("m", node n1) and a worker ("w", node n2), each with a task's
/// container.
fn swarm_app() -> App {
    swarm_app_with(false)
}

/// The same, the manager host read-only (`-H …,ro`) if asked.
fn swarm_app_with(manager_read_only: bool) -> App {
    hosts_app(
        [spec("m", manager_read_only), spec("w", false)],
        [("n1", true, "c-web1"), ("n2", false, "c-web2")],
    )
}

/// Two hosts, each a Swarm node (id, manager or not) with one container.
fn hosts_app(specs: [crate::app::hosts::HostSpec; 2], nodes: [(&str, bool, &str); 2]) -> App {
    let mut app = App::new(Settings {
        size: (160, 45),
        hosts: specs.to_vec(),
        ..Settings::default()
    });
    for (host, (node, manager, container)) in [MANAGER, WORKER].into_iter().zip(nodes) {
        up(&mut app, host);
        app.send(Event::Host(host, DockerEvent::Swarm(member(node, manager))));
        app.send(Event::Host(
            host,
            DockerEvent::Snapshot {
                images: vec![],
                containers: vec![crate::docker::ContainerRow {
                    id: container.into(),
                    ..container_row(container)
                }],
            },
        ));
    }
    app.focus = Pane::Containers;
    app
}

fn container_row(name: &str) -> crate::docker::ContainerRow {
    container(name, ContainerState::Running)
}

fn node(id: &str, role: &str) -> NodeRow {
    NodeRow {
        id: id.into(),
        hostname: format!("host-{id}"),
        role: role.into(),
        availability: "active".into(),
        state: "ready".into(),
        manager_status: if role == "manager" { "Leader" } else { "" }.into(),
        engine: "26.1.5".into(),
        labels: String::new(),
        addr: "10.0.0.9".into(),
        tasks: 1,
    }
}

fn service(id: &str, name: &str, stack: Option<&str>, running: u64, desired: u64) -> ServiceRow {
    ServiceRow {
        id: id.into(),
        name: name.into(),
        mode: Mode::Replicated(desired),
        running,
        desired,
        image: "busybox:1".into(),
        ports: String::new(),
        updated: 0,
        update_state: None,
        update_message: None,
        stack: stack.map(str::to_string),
    }
}

fn task(id: &str, service: &str, slot: i64, node: &str, container: &str) -> TaskRow {
    TaskRow {
        id: id.into(),
        service_id: service.into(),
        name: format!("web.{slot}"),
        slot: Some(slot),
        node_id: node.into(),
        desired: "running".into(),
        state: "running".into(),
        message: String::new(),
        error: String::new(),
        since: 0,
        container: Some(container.into()),
    }
}

fn listing() -> SwarmListing {
    SwarmListing {
        nodes: vec![
            node("n1", "manager"),
            node("n2", "worker"),
            node("n3", "worker"),
        ],
        services: vec![
            service("s1", "web", Some("shop"), 2, 3),
            service("s2", "db", Some("shop"), 1, 1),
        ],
        tasks: vec![
            task("t1", "s1", 1, "n1", "c-web1"),
            task("t2", "s1", 2, "n2", "c-web2"),
            task("t3", "s1", 3, "n3", "c-web3"),
        ],
    }
}

fn key(app: &mut App, code: KeyCode) -> Vec<(HostId, Command)> {
    let effects = app.update(Event::Key(KeyEvent::from(code)));
    effects.docker
}

fn ch(app: &mut App, c: char) -> Vec<(HostId, Command)> {
    key(app, KeyCode::Char(c))
}

fn swarm_query(commands: &[(HostId, Command)]) -> (HostId, StreamId, Tasks) {
    commands
        .iter()
        .find_map(|(host, c)| match c {
            Command::Host {
                id,
                query: HostQuery::Swarm(tasks),
                ..
            } => Some((*host, *id, tasks.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no Swarm listing asked in {commands:?}"))
}

fn ops(commands: &[(HostId, Command)]) -> Vec<(HostId, Op)> {
    commands
        .iter()
        .filter_map(|(host, c)| match c {
            Command::Op { op, .. } => Some((*host, op.clone())),
            _ => None,
        })
        .collect()
}

/// The Swarm view open on the listing above; the id its requests carry.
fn open(app: &mut App) -> StreamId {
    let (host, id, tasks) = swarm_query(&ch(app, 'W'));
    assert_eq!((host, tasks), (MANAGER, Tasks::Running));
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Swarm(swarm(app).tasks.clone(), listing())),
    }));
    id
}

/// What the Swarm list open shows, whichever its kind.
struct Shown {
    /// The tab it is (a stack's services: the stacks tab).
    tab: Tab,
    /// Its rows' ids as shown.
    keys: Vec<String>,
    selected: Option<String>,
    /// A level drilled into (a stack's services, tasks).
    drill: bool,
    showing_tasks: bool,
    /// The tasks it asks for.
    tasks: Tasks,
    swarm: crate::app::swarm::Swarm,
    room: crate::app::room::Room,
}

fn shown<K: SwarmKind>(list: &List<K>, tab: Tab, drill: bool) -> Shown {
    let id = |r: &crate::app::list::Hosted<K::Row>| K::id(&r.row).to_string();
    Shown {
        tab,
        keys: list.shown(&[]).into_iter().map(id).collect(),
        selected: list.selected().map(id),
        drill,
        showing_tasks: drill && tab != Tab::Stacks,
        tasks: list.kind.tasks(),
        swarm: list.kind.swarm().clone(),
        room: list.room.clone(),
    }
}

fn swarm(app: &App) -> Shown {
    let view = app.view.as_ref().expect("a view open");
    if let Some(l) = view.list_of::<Services>() {
        return match l.kind.stack {
            Some(_) => shown(l, Tab::Stacks, true),
            None => shown(l, Tab::Services, false),
        };
    }
    if let Some(l) = view.list_of::<Stacks>() {
        return shown(l, Tab::Stacks, false);
    }
    if let Some(l) = view.list_of::<Nodes>() {
        return shown(l, Tab::Nodes, false);
    }
    match view.list_of::<SwarmTasks>() {
        Some(l) => shown(l, Tab::Services, true),
        None => panic!("no Swarm list: {view:?}"),
    }
}

fn overlay(app: &App) -> &Dialog {
    match &app
        .view
        .as_ref()
        .and_then(View::room)
        .expect("open")
        .overlay
    {
        Some(Overlay::Dialog(d)) => d,
        other => panic!("no dialog over the Swarm view: {other:?}"),
    }
}

#[test]
fn the_swarm_key_waits_for_membership_then_names_a_workers_manager() {
    let mut app = App::new(Settings {
        size: (120, 40),
        hosts: vec![spec("w", false)],
        ..Settings::default()
    });
    up(&mut app, HostId(0));
    assert!(ch(&mut app, 'W').is_empty());
    assert!(status(&app).contains("still asking"), "{}", status(&app));
    app.send(docker(DockerEvent::Swarm(member("n2", false))));
    assert!(ch(&mut app, 'W').is_empty());
    assert!(
        status(&app).contains("w is a Swarm worker") && status(&app).contains("10.0.0.1:2377"),
        "{}",
        status(&app)
    );
    app.send(docker(DockerEvent::Swarm(None)));
    ch(&mut app, 'W');
    assert!(status(&app).contains("no live host is a Swarm manager"));
    assert!(app.view.is_none());
}

#[test]
fn the_view_lists_on_the_manager_and_drills_into_a_services_tasks_and_back() {
    let mut app = swarm_app();
    let id = open(&mut app);
    // The rows in the manager's order (the Docker side sorts them), the cursor on the first.
    assert_eq!(swarm(&app).keys, ["s1", "s2"]);
    ch(&mut app, 'j');
    assert_eq!(swarm(&app).selected.as_deref(), Some("s2"));
    ch(&mut app, 'k');
    let (host, level, tasks) = swarm_query(&key(&mut app, KeyCode::Enter));
    assert_eq!((host, tasks), (MANAGER, Tasks::Service("s1".into())));
    // A level of its own, pushed over the services (an answer for them is not for it).
    assert_ne!(level, id);
    assert!(swarm(&app).showing_tasks);
    // Esc goes back to the services, on the service it left.
    key(&mut app, KeyCode::Esc);
    let view = swarm(&app);
    assert!(!view.showing_tasks);
    assert_eq!(view.selected.as_deref(), Some("s1"));
    // Esc again closes.
    key(&mut app, KeyCode::Esc);
    assert!(app.view.is_none());
}

#[test]
fn stacks_group_services_and_a_stack_is_removed_whole_after_asking() {
    let mut app = swarm_app();
    open(&mut app);
    key(&mut app, KeyCode::Tab);
    assert_eq!(swarm(&app).tab, Tab::Stacks);
    let stacks = swarm(&app).swarm.stacks();
    assert_eq!(
        (
            stacks.len(),
            stacks[0].services,
            stacks[0].running,
            stacks[0].desired
        ),
        (1, 2, 3, 4)
    );
    assert!(ch(&mut app, 'd').is_empty(), "asks first");
    let Dialog::Confirm(confirm) = overlay(&app) else {
        panic!("a confirmation");
    };
    assert!(
        confirm.lines[0].contains("2 services (web, db)"),
        "{:?}",
        confirm.lines
    );
    let sent = ops(&key(&mut app, KeyCode::Enter));
    assert!(
        matches!(&sent[..], [(MANAGER, Op::Swarm(SwarmOp::RemoveStack { stack, services }))] if stack == "shop" && services.len() == 2),
        "{sent:?}"
    );
}

#[test]
fn scale_shows_the_count_now_and_sends_the_new_one() {
    let mut app = swarm_app();
    open(&mut app);
    ch(&mut app, '=');
    let Dialog::Form(form) = overlay(&app) else {
        panic!("a form");
    };
    assert_eq!(form.title(), " Scale web (now 3) ");
    // Not a number: said at once, nothing sent.
    ch(&mut app, 'x');
    assert!(ops(&key(&mut app, KeyCode::Enter)).is_empty());
    key(&mut app, KeyCode::Backspace);
    ch(&mut app, '5');
    let sent = ops(&key(&mut app, KeyCode::Enter));
    assert!(
        matches!(&sent[..], [(MANAGER, Op::Swarm(SwarmOp::Scale { service, replicas: 5 }))] if service.name == "web"),
        "{sent:?}"
    );
}

#[test]
fn a_nodes_availability_is_picked_and_a_node_promoted_after_asking() {
    let mut app = swarm_app();
    open(&mut app);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(swarm(&app).tab, Tab::Nodes);
    ch(&mut app, 'j');
    ch(&mut app, 'a');
    ch(&mut app, 'j');
    ch(&mut app, 'j');
    // Drain moves every task: it asks first, naming the node as hostname (short id).
    assert!(ops(&key(&mut app, KeyCode::Enter)).is_empty(), "asks first");
    let Dialog::Confirm(confirm) = overlay(&app) else {
        panic!("a question before draining");
    };
    assert!(
        confirm.title.starts_with(" Drain node host-n2 (n2)?"),
        "{}",
        confirm.title
    );
    let sent = ops(&key(&mut app, KeyCode::Enter));
    assert!(
        matches!(&sent[..], [(MANAGER, Op::Swarm(SwarmOp::NodeAvailability { node, label, availability: Availability::Drain }))] if node.id == "n2" && label == "host-n2 (n2)"),
        "{sent:?}"
    );
    ch(&mut app, '+');
    let Dialog::Confirm(confirm) = overlay(&app) else {
        panic!("a confirmation");
    };
    // Two hosts: the question names the one it is about.
    assert_eq!(confirm.title, " Promote node host-n2 (n2) on m? ");
    let sent = ops(&key(&mut app, KeyCode::Enter));
    assert!(
        matches!(
            &sent[..],
            [(_, Op::Swarm(SwarmOp::NodeRole { manager: true, .. }))]
        ),
        "{sent:?}"
    );
}

#[test]
fn read_only_refuses_every_change_before_asking() {
    let mut app = swarm_app();
    app.prefs.read_only = true;
    open(&mut app);
    for c in ['n', '=', 'u', 'b', 'd'] {
        assert!(ch(&mut app, c).is_empty());
        assert!(swarm(&app).room.overlay.is_none(), "{c} opened a dialog");
    }
    assert!(status(&app).contains("read-only"), "{}", status(&app));
}

#[test]
fn a_read_only_manager_refuses_changes_before_asking_and_names_itself() {
    let mut app = swarm_app_with(true);
    open(&mut app);
    assert!(ch(&mut app, '=').is_empty());
    assert!(swarm(&app).room.overlay.is_none());
    assert!(status(&app).contains("m is read-only"), "{}", status(&app));
    // Reading still works: the tasks, and their logs.
    assert!(!key(&mut app, KeyCode::Enter).is_empty());
}

#[test]
fn a_services_logs_follow_its_tasks_through_the_manager_and_close_back() {
    let mut app = swarm_app();
    open(&mut app);
    let sent = ch(&mut app, 'l');
    let followed: Vec<(HostId, String)> = sent
        .iter()
        .filter_map(|(host, c)| match c {
            Command::FollowTaskLogs { task, .. } => Some((*host, task.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        followed,
        [
            (MANAGER, "t1".into()),
            (MANAGER, "t2".into()),
            (MANAGER, "t3".into())
        ]
    );
    let Some(View::Logs(logs)) = &app.view else {
        panic!("a logs view");
    };
    assert!(logs.merged && logs.sources_are == "tasks");
    assert_eq!(logs.source_name(1), "web.2@host-n2");
    // Closing the logs stops each task's stream on the manager, and gives the Swarm view
    // back.
    let stops = ch(&mut app, 'q');
    assert_eq!(stops.len(), 3, "{stops:?}");
    assert!(
        (stops.iter()).all(|(h, c)| *h == MANAGER && matches!(c, Command::StopStream(_))),
        "{stops:?}"
    );
    assert_eq!(swarm(&app).tab, Tab::Services);
}

/// The Swarm view at a service's tasks, listed.
fn tasks_open() -> App {
    let mut app = swarm_app();
    open(&mut app);
    key(&mut app, KeyCode::Enter);
    let id = swarm(&app).room.id;
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Swarm(swarm(&app).tasks.clone(), listing())),
    }));
    app
}

#[test]
fn a_tasks_container_is_reached_on_its_nodes_host_or_its_node_offered() {
    let mut app = tasks_open();
    // web.2 runs on n2, the host w: its stats are asked of w.
    ch(&mut app, 'j');
    let sent = ch(&mut app, 'S');
    assert!(
        sent.iter().any(|(host, c)| *host == WORKER
            && matches!(c, Command::FollowStats { container, .. } if container.as_str() == "c-web2")),
        "{sent:?}"
    );
    assert!(matches!(app.view, Some(View::Stats(_))));
    assert_eq!(app.selected_container().map(|c| c.host), Some(WORKER));
    // Back to the tasks; web.3 runs on n3, which no host is.
    ch(&mut app, 'q');
    ch(&mut app, 'j');
    assert!(ch(&mut app, 'e').is_empty());
    assert!(
        status(&app).contains("web.3 runs on node host-n3 (10.0.0.9)"),
        "{}",
        status(&app)
    );
    let Dialog::Form(form) = overlay(&app) else {
        panic!("the endpoint form");
    };
    assert_eq!(form.title(), " Watch another Docker host ");
    // No TLS for typed endpoints here: the Docker port without TLS, said to be plain.
    assert!(
        matches!(&form.fields[0], crate::app::dialog::Field::Text { input, .. } if input.value == "tcp://10.0.0.9:2375")
    );
    assert!(status(&app).contains("unencrypted"), "{}", status(&app));
    // With TLS (DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, as typed endpoints use): its port.
    key(&mut app, KeyCode::Esc);
    app.typed_tls = Some(crate::docker::endpoint::TlsFiles {
        ca: "ca.pem".into(),
        cert: "cert.pem".into(),
        key: "key.pem".into(),
    });
    assert!(ch(&mut app, 'e').is_empty());
    let Dialog::Form(form) = overlay(&app) else {
        panic!("the endpoint form");
    };
    assert!(
        matches!(&form.fields[0], crate::app::dialog::Field::Text { input, .. } if input.value == "tcp://10.0.0.9:2376")
    );
    assert!(status(&app).contains("TLS"), "{}", status(&app));
}

#[test]
fn the_view_lists_again_on_the_clock_and_on_swarm_events_only() {
    let mut app = swarm_app();
    let id = open(&mut app);
    // Within the interval nothing; after it, one listing (not another while it is asked).
    // (The alerts' look at the manager's tasks goes on the clock too: not counted.)
    let listings = |commands: Vec<Command>| {
        (commands.iter())
            .filter(|c| !matches!(c, Command::SwarmTasks { .. }))
            .count()
    };
    assert_eq!(listings(app.send(Event::Tick(1))), 0);
    assert_eq!(listings(app.send(Event::Tick(2))), 1);
    assert_eq!(listings(app.send(Event::Tick(5))), 0, "one in flight");
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Swarm(swarm(&app).tasks.clone(), listing())),
    }));
    let event = |kind, attributes: Vec<(String, String)>| {
        docker(DockerEvent::Engine(EngineEvent {
            time: 0,
            kind,
            action: "update".into(),
            actor_id: "x".into(),
            attributes,
        }))
    };
    assert!(app.send(event(EventKind::Image, vec![])).is_empty());
    assert!(app.send(event(EventKind::Container, vec![])).is_empty());
    assert_eq!(app.send(event(EventKind::Service, vec![])).len(), 1);
}

#[test]
fn the_create_form_reuses_the_run_forms_parsers() {
    let mut app = swarm_app();
    open(&mut app);
    ch(&mut app, 'n');
    let Dialog::Form(form) = overlay(&app) else {
        panic!("a form");
    };
    assert_eq!(form.title(), " Create a Swarm service ");
    for c in "busybox:1".chars() {
        ch(&mut app, c);
    }
    key(&mut app, KeyCode::Tab);
    for c in "api".chars() {
        ch(&mut app, c);
    }
    key(&mut app, KeyCode::Tab);
    for c in "global".chars() {
        ch(&mut app, c);
    }
    // Ports as the run form reads them, and an address refused as the daemon would.
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
    }
    for c in "1.2.3.4:80:80".chars() {
        ch(&mut app, c);
    }
    let Dialog::Form(form) = overlay(&app) else {
        panic!("a form");
    };
    assert!(
        form.error
            .as_ref()
            .is_some_and(|(_, e)| e.contains("no IP address")),
        "{:?}",
        form.error
    );
    for _ in 0.."1.2.3.4:".len() {
        key(&mut app, KeyCode::Home);
        key(&mut app, KeyCode::Delete);
    }
    let sent = ops(&key(&mut app, KeyCode::Enter));
    assert!(
        matches!(&sent[..], [(MANAGER, Op::Swarm(SwarmOp::CreateService { spec, replicas: None, .. }))] if spec.name.as_deref() == Some("api") && spec.ports.len() == 1),
        "{sent:?}"
    );
}

#[test]
fn back_from_a_tasks_logs_the_view_lists_again_though_its_answer_was_missed() {
    let mut app = swarm_app();
    open(&mut app);
    // A listing in flight when the logs open; its answer comes while they are open.
    let id = swarm(&app).room.id;
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    ch(&mut app, 'l');
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Swarm(Tasks::Running, listing())),
    }));
    ch(&mut app, 'q');
    assert!(!swarm(&app).room.loading);
    let routed = app.update(Event::Tick(1)).docker;
    assert_eq!(
        swarm_query(&routed).2,
        Tasks::Running,
        "listed again at once"
    );
}

#[test]
fn an_answer_for_another_level_is_dropped_and_its_rows_never_shown() {
    let mut app = swarm_app();
    open(&mut app);
    let (_, id, _) = swarm_query(&key(&mut app, KeyCode::Enter));
    // The tasks of every service are not the service's: none shows, none can be acted on.
    assert!(swarm(&app).keys.is_empty());
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Swarm(Tasks::Running, listing())),
    }));
    let view = swarm(&app);
    assert!(view.keys.is_empty() && view.room.loading, "dropped");
    assert!(ch(&mut app, 'e').is_empty());
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Swarm(Tasks::Service("s1".into()), listing())),
    }));
    assert_eq!(swarm(&app).keys.len(), 3);
}

#[test]
fn with_two_managers_the_view_and_its_task_logs_stay_on_the_one_chosen() {
    let mut app = hosts_app(
        [spec("one", false), spec("two", false)],
        [("n1", true, "c-1"), ("n2", true, "c-2")],
    );
    // The second host's row selected: its Swarm is the one shown.
    app.containers.room.cursor.selected = Some("c-2".into());
    let (host, id, _) = swarm_query(&ch(&mut app, 'W'));
    assert_eq!(host, WORKER);
    app.send(Event::Host(
        WORKER,
        DockerEvent::Host {
            id,
            result: Ok(HostAnswer::Swarm(Tasks::Running, listing())),
        },
    ));
    let sent = ch(&mut app, 'l');
    assert!(
        !sent.is_empty()
            && sent
                .iter()
                .all(|(h, c)| *h == WORKER && matches!(c, Command::FollowTaskLogs { .. })),
        "{sent:?}"
    );
    // Their stops go to that manager too, whatever host is selected in the panes by then.
    app.containers.room.cursor.follow("c-1".into());
    let stops = ch(&mut app, 'q');
    assert!(
        !stops.is_empty()
            && (stops.iter()).all(|(h, c)| *h == WORKER && matches!(c, Command::StopStream(_))),
        "{stops:?}"
    );
}

#[test]
fn esc_walks_back_up_each_level_to_the_row_it_left() {
    let mut app = swarm_app();
    open(&mut app);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter); // the stack's services
    ch(&mut app, 'j');
    key(&mut app, KeyCode::Enter); // db's tasks
    assert!(swarm(&app).showing_tasks);
    key(&mut app, KeyCode::Esc);
    let view = swarm(&app);
    assert_eq!((view.drill, view.selected.as_deref()), (true, Some("s2")));
    key(&mut app, KeyCode::Esc);
    assert_eq!(swarm(&app).selected.as_deref(), Some("shop"));
    key(&mut app, KeyCode::Esc);
    assert!(app.view.is_none());
}

/// Each tab and level has its own footer: only the keys that do something there.
#[test]
fn each_tab_and_level_has_its_own_footer() {
    use crate::app::keymap::Scope;
    let mut app = swarm_app();
    open(&mut app);
    let footer = |app: &App| -> Vec<String> {
        let scope = app.view.as_ref().and_then(View::scope).expect("a view");
        assert_ne!(scope, Scope::List);
        (app.keymap.hints(scope).into_iter())
            .map(|(_, help)| help.to_string())
            .collect()
    };
    let services = footer(&app);
    assert_eq!(services[0], "its tasks", "{services:?}");
    assert!(
        services.contains(&"scale a service".to_string()),
        "{services:?}"
    );
    assert!(!services.iter().any(|h| h.starts_with("availability")));
    key(&mut app, KeyCode::Tab);
    let stacks = footer(&app);
    assert!(
        !stacks.contains(&"scale a service".to_string()),
        "{stacks:?}"
    );
    key(&mut app, KeyCode::Tab);
    let nodes = footer(&app);
    assert!(
        nodes.iter().any(|h| h.starts_with("availability")),
        "{nodes:?}"
    );
    assert!(!nodes.iter().any(|h| h == "logs"), "{nodes:?}");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    let tasks = footer(&app);
    assert!(
        tasks.contains(&"shell in its container".to_string()),
        "{tasks:?}"
    );
    assert!(
        !tasks.contains(&"create a service".to_string()),
        "{tasks:?}"
    );
    // `?` opens help over the view; closing it returns there.
    ch(&mut app, '?');
    assert!(matches!(app.view, Some(View::Help(_))), "{:?}", app.view);
    key(&mut app, KeyCode::Esc);
    assert!(swarm(&app).showing_tasks);
}

/// A shell opened from a task returns to the tasks view when the user leaves its tab.
#[test]
fn a_shell_from_a_task_returns_to_the_tasks() {
    let mut app = tasks_open();
    ch(&mut app, 'e');
    assert_eq!(app.focus, Pane::Terminal);
    assert!(app.view.is_none(), "the shell has the screen");
    // Prefix, then Esc: back to the tasks, not to the services or the panes.
    app.send(Event::Key(KeyEvent::new(
        KeyCode::Char(']'),
        KeyModifiers::CONTROL,
    )));
    key(&mut app, KeyCode::Esc);
    assert!(swarm(&app).showing_tasks, "{:?}", app.view);
}

/// A node's AVAILABILITY is drawn in a tone as its STATUS is: a drained node dim, a paused
/// one changing (the generic list colours several cells of a row).
#[test]
fn a_nodes_availability_and_status_are_both_toned() {
    use crate::app::list::Tone;
    let mut app = swarm_app();
    open(&mut app);
    key(&mut app, KeyCode::Tab);
    let (_, id, tasks) = swarm_query(&key(&mut app, KeyCode::Tab));
    let mut listed = listing();
    listed.nodes[1].availability = "drain".into();
    listed.nodes[2].availability = "pause".into();
    listed.nodes[2].state = "down".into();
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Swarm(tasks, listed)),
    }));
    let list = app.view.as_ref().and_then(View::list).expect("the nodes");
    let tones: Vec<(String, Vec<(usize, Tone)>)> = (list.shown_lines(&[]).lines.into_iter())
        .map(|l| (l.cells[3].clone(), l.tones))
        .collect();
    assert_eq!(
        tones,
        [
            ("active".to_string(), vec![(3, Tone::Good), (4, Tone::Good)]),
            ("drain".to_string(), vec![(3, Tone::Dim), (4, Tone::Good)]),
            (
                "pause".to_string(),
                vec![(3, Tone::Changing), (4, Tone::Bad)]
            ),
        ]
    );
}

/// With no stack deployed, the stacks tab says what a stack is, not only that there is none.
#[test]
fn the_empty_stacks_tab_says_where_stacks_come_from() {
    let mut app = swarm_app();
    open(&mut app);
    let (_, id, tasks) = swarm_query(&key(&mut app, KeyCode::Tab));
    let mut listed = listing();
    for s in &mut listed.services {
        s.stack = None;
    }
    app.send(docker(DockerEvent::Host {
        id,
        result: Ok(HostAnswer::Swarm(tasks, listed)),
    }));
    assert!(swarm(&app).keys.is_empty());
    let said = "no stacks (services deployed with docker stack deploy)";
    let rows = 0..app.size.1;
    assert!(
        rows.clone()
            .any(|y| super::lists::drawn_at(&app, y, said).is_some()),
        "not drawn: {said}"
    );
    // Messages keep the plain noun.
    ch(&mut app, ' ');
    assert!(
        status(&app).ends_with(" no stacks selected"),
        "{}",
        status(&app)
    );
}

/// `Tab` on a tasks level goes to the tab after the one it was opened from, at its top: the
/// levels go (Esc then closes).
#[test]
fn tab_on_a_tasks_level_goes_to_the_next_tab() {
    let mut app = swarm_app();
    open(&mut app);
    // A service's tasks, from the services tab.
    key(&mut app, KeyCode::Enter);
    assert!(swarm(&app).showing_tasks);
    key(&mut app, KeyCode::Tab);
    let view = swarm(&app);
    assert_eq!((view.tab, view.drill), (Tab::Stacks, false));
    // A stack's service's tasks, from the stacks tab.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert!(swarm(&app).showing_tasks);
    let (_, _, tasks) = swarm_query(&key(&mut app, KeyCode::Tab));
    let view = swarm(&app);
    assert_eq!(
        (view.tab, view.drill, tasks),
        (Tab::Nodes, false, Tasks::Running)
    );
    // A node's tasks, from the nodes tab.
    key(&mut app, KeyCode::Enter);
    assert!(swarm(&app).showing_tasks);
    key(&mut app, KeyCode::Tab);
    assert_eq!(swarm(&app).tab, Tab::Services);
    key(&mut app, KeyCode::Esc);
    assert!(app.view.is_none(), "{:?}", app.view);
}
