use super::*;
use crate::docker::{
    ConnectError, ConnectErrorKind, ContainerRow, ContainerState, Endpoint, EndpointSource,
    ImageRow,
};

fn image(repo: &str, created: i64) -> ImageRow {
    ImageRow {
        host: Default::default(),
        key: format!("k-{repo}"),
        id: format!("sha256:{repo}"),
        repository: Some(repo.into()),
        tag: Some("latest".into()),
        size: 1,
        created,
        registry_copy: false,
    }
}

fn snapshot(images: Vec<ImageRow>, containers: Vec<ContainerRow>) -> Event {
    docker(DockerEvent::Snapshot { images, containers })
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::from(KeyCode::Char(c)))
}

fn app() -> App {
    new_app(0, (120, 40))
}

#[test]
fn snapshots_sort_images_newest_first_and_containers_by_name() {
    let mut app = app();
    let cmds = app.send(snapshot(
        vec![image("old", 1), image("new", 9)],
        vec![
            container("web", ContainerState::Running),
            container("db", ContainerState::Exited),
        ],
    ));
    // Only the restart counts of the containers it has not seen yet.
    assert!(
        cmds.iter()
            .all(|c| matches!(c, Command::RestartCounts(ids) if ids.len() == 2)),
        "{cmds:?}"
    );
    assert!(app.loaded);
    assert_eq!(app.visible_images()[0].repository.as_deref(), Some("new"));
    assert_eq!(app.containers.rows[0].row.name, "db");
    assert_eq!(
        app.selected_image().and_then(|i| i.repository.as_deref()),
        Some("new")
    );
}

#[test]
fn selection_follows_its_container_through_updates() {
    let mut app = app();
    let rows = vec![
        container("a", ContainerState::Running),
        container("c", ContainerState::Running),
    ];
    app.send(snapshot(vec![], rows.clone()));
    assert_eq!(
        app.focus,
        Pane::Containers,
        "the containers pane has the keys at start"
    );
    app.send(key('j'));
    assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("c"));
    // A new container sorts in above it; the cursor stays on "c".
    let mut more = rows.clone();
    more.push(container("b", ContainerState::Created));
    app.send(snapshot(vec![], more));
    assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("c"));
    assert_eq!(app.containers.room.cursor.index, 2);
    // "c" is removed: the cursor lands on the nearest row.
    app.send(snapshot(vec![], rows[..1].to_vec()));
    assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("a"));
}

#[test]
fn toggle_all_hides_stopped_containers() {
    let mut app = app();
    app.send(snapshot(
        vec![],
        vec![
            container("a", ContainerState::Exited),
            container("b", ContainerState::Running),
        ],
    ));
    app.focus = Pane::Containers;
    assert_eq!(app.visible_containers().len(), 2);
    app.send(key('A'));
    assert!(!app.containers.kind.show_all);
    let names: Vec<_> = app
        .visible_containers()
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(names, ["b"]);
    assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("b"));
    // `A` means nothing in the images pane.
    app.focus = Pane::Images;
    app.send(key('A'));
    assert!(!app.containers.kind.show_all);
}

#[test]
fn paging_and_jumps_stay_in_bounds() {
    let mut app = app();
    let images: Vec<_> = (0..50)
        .map(|i| image(&format!("img{i:02}"), 100 - i))
        .collect();
    app.send(snapshot(images, vec![]));
    app.focus = Pane::Images;
    app.send(Event::Key(KeyEvent::from(KeyCode::PageDown)));
    let page = app.images.room.cursor.index;
    assert!(page > 1, "a page moves more than a row");
    app.send(key('G'));
    assert_eq!(app.images.room.cursor.index, 49);
    app.send(Event::Key(KeyEvent::from(KeyCode::PageDown)));
    assert_eq!(app.images.room.cursor.index, 49);
    app.send(key('g'));
    assert_eq!(
        (app.images.room.cursor.index, app.images.room.cursor.offset),
        (0, 0)
    );
    app.send(key('k'));
    assert_eq!(app.images.room.cursor.index, 0);
}

#[test]
fn help_opens_and_any_key_closes_it_without_acting() {
    let mut app = app();
    app.send(key('?'));
    assert!(matches!(app.view, Some(View::Help(_))));
    app.send(Event::Key(KeyEvent::from(KeyCode::Char('j'))));
    assert!(
        matches!(
            app.view,
            Some(View::Help(crate::app::view::HelpView { scroll: 1 }))
        ),
        "j scrolls"
    );
    app.send(key('q'));
    assert!(app.view.is_none());
    assert!(
        !app.should_quit,
        "the key that closes help does nothing else"
    );
    app.send(key('q'));
    assert!(app.should_quit);
}

#[test]
fn ctrl_c_quits_even_over_help() {
    let mut app = app();
    app.send(key('?'));
    app.send(Event::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.should_quit);
}

#[test]
fn connection_states_and_retry() {
    let mut app = app();
    let endpoint = Endpoint {
        host: "unix:///gone.sock".into(),
        source: EndpointSource::Default,
        tls: None,
    };
    let error = ConnectError::new(ConnectErrorKind::SocketMissing, &endpoint, "no socket");
    app.send(docker(DockerEvent::Disconnected(
        error.clone(),
        std::time::Duration::from_secs(1),
    )));
    // A new attempt does not blank the error while it is under way.
    app.send(docker(DockerEvent::Connecting(endpoint)));
    assert_eq!(app.connection, Connection::Down(error));
    let cmds = app.send(Event::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(cmds, vec![Command::Refresh]);
}

#[test]
fn resize_keeps_the_selection_visible() {
    let mut app = app();
    let images: Vec<_> = (0..50)
        .map(|i| image(&format!("img{i:02}"), 100 - i))
        .collect();
    app.send(snapshot(images, vec![]));
    app.focus = Pane::Images;
    app.send(key('G'));
    app.send(Event::Resize(80, 24));
    let rows = layout::table_rows(app.areas().images);
    let c = &app.images.room.cursor;
    assert!(c.index >= c.offset && c.index < c.offset + rows);
}

/// A key that works only in the other list pane says so instead of doing nothing.
#[test]
fn a_key_of_the_other_pane_says_where_it_works() {
    let mut app = app();
    app.focus = Pane::Images;
    app.send(key('A'));
    let status = app.activity.status.clone().expect("status");
    assert_eq!(status.text, "✗ A works in the Containers pane");
    app.focus = Pane::Containers;
    app.send(key('t'));
    let status = app.activity.status.clone().expect("status");
    assert_eq!(status.text, "✗ t works in the Images pane");
}

/// The footer leads with the containers' most used keys and leaves out what is refused.
#[test]
fn the_footer_advertises_only_what_works_now() {
    let mut app = app();
    app.connection = Connection::Up(super::engine_info());
    let helps = |app: &App| -> Vec<String> {
        app.keymap
            .footer(Pane::Containers, |a| app.refuses(a))
            .into_iter()
            .map(|(_, help)| help.to_string())
            .collect()
    };
    let all = helps(&app);
    for want in [
        "start", "stop", "kill", "remove", "shell", "logs", "inspect",
    ] {
        assert!(all.iter().any(|h| h == want), "{want} in {all:?}");
    }
    app.prefs.read_only = true;
    let read_only = helps(&app);
    assert!(!read_only.iter().any(|h| h == "stop") && !read_only.iter().any(|h| h == "pull"));
    assert!(
        read_only.iter().any(|h| h == "logs"),
        "watching still works"
    );
    app.prefs.read_only = false;
    app.connection = Connection::Connecting("unix:///test.sock".into());
    let offline = helps(&app);
    assert!(!offline.iter().any(|h| h == "logs") && offline.iter().any(|h| h == "quit"));
}

/// At 80 columns the containers pane's footer leads with its most used keys (`l logs`, `q
/// quit` among them) and ends in `? more`, as it cannot show them all.
#[test]
fn the_footer_at_80_columns_shows_the_most_used_keys_and_says_there_is_more() {
    let mut app = new_app(0, (80, 24));
    app.connection = Connection::Up(super::engine_info());
    app.send(snapshot(
        vec![],
        vec![container("web", ContainerState::Running)],
    ));
    app.focus = Pane::Containers;
    let footer = app.size.1 - 1;
    let at = |text| super::lists::drawn_at(&app, footer, text);
    let (logs, quit, more) = (at("l logs"), at("q quit"), at("? more"));
    assert!(logs.is_some() && quit.is_some(), "l logs and q quit shown");
    assert!(more > quit && quit > logs, "{logs:?} {quit:?} {more:?}");
}

/// The images pane is a kind of the generic list: `/`, `Esc`, `>`/`<` and a click on a
/// header act there through the same code as in every list (`tests/list.rs`).
#[test]
fn the_images_pane_filters_sorts_and_clears_as_every_list() {
    let mut app = app();
    let mut big = image("gamma-1", 2);
    big.size = 9;
    let images = vec![image("beta-10", 3), image("alpha-2", 1), big];
    app.send(snapshot(images, vec![]));
    app.focus = Pane::Images;
    let repos = |app: &App| -> Vec<String> {
        (app.visible_images().iter())
            .map(|i| i.repository.clone().unwrap_or_default())
            .collect()
    };
    // Newest first, as `docker image ls`.
    assert_eq!(repos(&app), ["beta-10", "gamma-1", "alpha-2"]);
    app.send(key('/'));
    for c in "gam".chars() {
        app.send(key(c));
    }
    assert!(
        app.filter(Pane::Images).editing,
        "the letters went to the filter"
    );
    app.send(Event::Key(KeyEvent::from(KeyCode::Enter)));
    assert_eq!(repos(&app), ["gamma-1"]);
    assert_eq!(
        app.selected_image().and_then(|i| i.repository.as_deref()),
        Some("gamma-1")
    );
    // Esc clears the filter.
    app.send(Event::Key(KeyEvent::from(KeyCode::Esc)));
    assert_eq!(repos(&app), ["beta-10", "gamma-1", "alpha-2"]);
    // `>`: by repository (natural order), `<` the other way round, `>` again: biggest first.
    app.send(key('>'));
    assert_eq!(repos(&app), ["alpha-2", "beta-10", "gamma-1"]);
    app.send(key('<'));
    assert_eq!(repos(&app), ["gamma-1", "beta-10", "alpha-2"]);
    app.send(key('>'));
    assert_eq!(repos(&app)[0], "gamma-1");
    assert_eq!(app.images.sort.map(|(_, down)| down), Some(true));
    // A click on CREATED's header: newest first again.
    let created = crate::app::image_list::Images::column(crate::app::lists::SortBy::Created);
    app.sort_column(Pane::Images, created);
    assert_eq!(repos(&app), ["beta-10", "gamma-1", "alpha-2"]);
}

/// The containers pane, a kind kept in the panes as the images pane is: what every list
/// does works there through the list (filter, sort, marks, `Esc`, the all/running switch),
/// and an event changing one row keeps the rows in the sort's order.
#[test]
fn the_containers_pane_filters_sorts_marks_and_clears_as_every_list() {
    let mut app = app();
    let mut beta = container("beta-10", ContainerState::Exited);
    beta.created = 3;
    let mut alpha = container("alpha-2", ContainerState::Running);
    alpha.created = 1;
    let mut gamma = container("gamma-1", ContainerState::Running);
    gamma.created = 2;
    app.send(snapshot(vec![], vec![beta, alpha, gamma.clone()]));
    app.focus = Pane::Containers;
    let names = |app: &App| -> Vec<String> {
        (app.visible_containers().iter())
            .map(|c| c.name.clone())
            .collect()
    };
    // By name, as `docker container ls`.
    assert_eq!(names(&app), ["alpha-2", "beta-10", "gamma-1"]);
    app.send(key('/'));
    for c in "gam".chars() {
        app.send(key(c));
    }
    app.send(Event::Key(KeyEvent::from(KeyCode::Enter)));
    assert_eq!(names(&app), ["gamma-1"]);
    assert_eq!(
        app.selected_container().map(|c| c.name.as_str()),
        Some("gamma-1")
    );
    // Esc clears the filter; Space marks and moves down; Esc then clears the marks.
    app.send(Event::Key(KeyEvent::from(KeyCode::Esc)));
    assert_eq!(names(&app).len(), 3);
    app.send(key('g'));
    app.send(key(' '));
    assert_eq!(app.containers.marks.len(), 1);
    assert_eq!(
        app.selected_container().map(|c| c.name.as_str()),
        Some("beta-10")
    );
    app.send(Event::Key(KeyEvent::from(KeyCode::Esc)));
    assert!(app.containers.marks.is_empty());
    assert_eq!(super::status(&app), "Cleared 1 mark");
    // `<` on NAME: Z to A (it gave A to Z again while the name was only the tie), and back.
    app.send(key('<'));
    assert_eq!(names(&app), ["gamma-1", "beta-10", "alpha-2"]);
    app.send(key('<'));
    assert_eq!(names(&app), ["alpha-2", "beta-10", "gamma-1"]);
    // `>` three times: by STATE, then CREATED (newest first); `<` the other way round.
    for _ in 0..3 {
        app.send(key('>'));
    }
    assert_eq!(names(&app), ["beta-10", "gamma-1", "alpha-2"]);
    app.send(key('<'));
    assert_eq!(names(&app), ["alpha-2", "gamma-1", "beta-10"]);
    // One row changed by an event lands in its place (gamma now the oldest).
    gamma.created = 0;
    app.send(docker(DockerEvent::ContainersChanged {
        changed: vec![gamma],
        removed: vec!["id-beta-10".into()],
    }));
    assert_eq!(names(&app), ["gamma-1", "alpha-2"]);
    // `A`: running ones only, through the kind.
    app.send(docker(DockerEvent::ContainersChanged {
        changed: vec![container("delta", ContainerState::Exited)],
        removed: vec![],
    }));
    assert_eq!(names(&app).len(), 3);
    app.send(key('A'));
    assert_eq!(names(&app), ["gamma-1", "alpha-2"]);
}
