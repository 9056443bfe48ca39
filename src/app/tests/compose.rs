use std::sync::Arc;

use super::*;
use crate::app::compose::Entry;
use crate::app::dialog::Dialog;
use crate::docker::compose::Compose;
use crate::docker::{ContainerRow, ContainerState, HostId};

/// A container of Compose project `project` (none: a plain one).
fn row(name: &str, project: Option<&str>, state: ContainerState) -> ContainerRow {
    ContainerRow {
        compose: project.map(|p| {
            Arc::new(Compose {
                project: p.into(),
                service: name.into(),
                working_dir: format!("/src/{p}"),
                config_files: format!("/src/{p}/compose.yml"),
                config_hash: String::new(),
            })
        }),
        ..container(name, state)
    }
}

fn listing() -> Vec<ContainerRow> {
    use ContainerState::*;
    vec![
        row("alone", None, Running),
        row("shop-db-1", Some("shop"), Running),
        row("shop-web-1", Some("shop"), Exited),
        row("zeta", None, Exited),
        row("blog-app-1", Some("blog"), Running),
    ]
}

fn app() -> App {
    let mut app = new_app(0, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
        images: Vec::new(),
        containers: listing(),
    }));
    app.focus = Pane::Containers;
    app
}

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(code)))
}

/// The pane's rows as text: "[shop 1/2]" for a project, "  name" under one.
fn rows(app: &App) -> Vec<String> {
    app.container_entries()
        .iter()
        .map(|e| match e {
            Entry::Project(p) => format!("[{} {}/{}]", p.name, p.running, p.total),
            Entry::Container { row, grouped: true } => format!("  {}", row.name),
            Entry::Container { row, .. } => row.name.clone(),
        })
        .collect()
}

/// Moves the cursor to the row whose text is `text`.
fn select(app: &mut App, text: &str) {
    let at = rows(app).iter().position(|r| r == text).expect(text);
    press(app, KeyCode::Home);
    for _ in 0..at {
        press(app, KeyCode::Down);
    }
}

#[test]
fn containers_of_a_project_sit_under_its_row_where_its_first_would() {
    let app = app();
    assert_eq!(
        rows(&app),
        [
            "alone",
            "[blog 1/1]",
            "  blog-app-1",
            "[shop 1/2]",
            "  shop-db-1",
            "  shop-web-1",
            "zeta"
        ]
    );
}

#[test]
fn a_project_folds_keeps_its_counts_under_filters_and_groups_per_host() {
    let mut app = app();
    select(&mut app, "  shop-web-1");
    // Enter on one of its containers folds the project and selects its row.
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        rows(&app),
        ["alone", "[blog 1/1]", "  blog-app-1", "[shop 1/2]", "zeta"]
    );
    assert_eq!(
        app.selected_project(),
        Some((HostId::default(), "shop".to_string()))
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(rows(&app).len(), 7, "unfolded again");
    // Running only: the project still counts its stopped container.
    press(&mut app, KeyCode::Char('A'));
    assert_eq!(
        rows(&app),
        [
            "alone",
            "[blog 1/1]",
            "  blog-app-1",
            "[shop 1/2]",
            "  shop-db-1"
        ]
    );
    press(&mut app, KeyCode::Char('A'));
    // A filter on the project's name keeps all of it.
    app.set_filter(Pane::Containers, "shop");
    assert_eq!(rows(&app), ["[shop 1/2]", "  shop-db-1", "  shop-web-1"]);
    app.set_filter(Pane::Containers, "web");
    assert_eq!(rows(&app), ["[shop 1/2]", "  shop-web-1"]);
    app.set_filter(Pane::Containers, "");
    // Sorted by state, the project comes where its running container does.
    press(&mut app, KeyCode::Char('>'));
    press(&mut app, KeyCode::Char('>'));
    assert_eq!(app.container_sort().by, crate::app::lists::SortBy::State);
    assert_eq!(
        rows(&app),
        [
            "alone",
            "[blog 1/1]",
            "  blog-app-1",
            "[shop 1/2]",
            "  shop-db-1",
            "  shop-web-1",
            "zeta"
        ]
    );
    // The same project on another host is another group.
    let mut other = row("shop-db-1", Some("shop"), ContainerState::Running);
    other.host = HostId(1);
    other.id = "id-other".into();
    (app.containers.rows).push(crate::app::list::Hosted {
        host: other.host,
        row: other,
    });
    let projects = app
        .container_entries()
        .iter()
        .filter(|e| matches!(e, Entry::Project(p) if p.name == "shop"))
        .count();
    assert_eq!(projects, 2);
}

#[test]
fn grouping_switches_off_and_keeps_the_selection() {
    let mut app = app();
    select(&mut app, "  shop-web-1");
    press(&mut app, KeyCode::Char('C'));
    assert_eq!(
        rows(&app),
        ["alone", "blog-app-1", "shop-db-1", "shop-web-1", "zeta"]
    );
    assert_eq!(
        app.selected_container().map(|c| c.name.as_str()),
        Some("shop-web-1")
    );
    // Enter says why it does nothing now.
    press(&mut app, KeyCode::Enter);
    let status = app.activity.status.clone().expect("a word");
    assert!(status.text.contains("C groups them"), "{}", status.text);
    press(&mut app, KeyCode::Char('C'));
    assert_eq!(rows(&app).len(), 7);
    // Off from the config's [defaults] too.
    let app = App::new(Settings {
        group_projects: false,
        ..Settings::default()
    });
    assert!(!app.containers.groups.on);
}

#[test]
fn a_project_row_acts_on_all_its_containers_and_asks_first() {
    let mut app = app();
    select(&mut app, "[blog 1/1]");
    // Even one container: a project's action asks.
    assert!(press(&mut app, KeyCode::Char('x')).is_empty());
    let Some(View::Dialog(Dialog::Confirm(confirm))) = &app.view else {
        panic!("asks first: {:?}", app.view);
    };
    assert_eq!(confirm.title, " Stop project blog (1 container)? ");
    assert!(
        confirm
            .lines
            .contains(&"As docker compose -p blog stop.".to_string()),
        "{:?}",
        confirm.lines
    );
    press(&mut app, KeyCode::Esc);
    select(&mut app, "[shop 1/2]");
    // Start: the running one is skipped, the stopped one started.
    press(&mut app, KeyCode::Char('s'));
    let commands = press(&mut app, KeyCode::Enter);
    let lines: Vec<String> = commands
        .iter()
        .filter_map(|c| match c {
            Command::Op { op, .. } => Some(op.cli()),
            _ => None,
        })
        .collect();
    assert_eq!(lines, ["docker container start shop-web-1"]);
    // Remove: all of them, whatever is shown.
    press(&mut app, KeyCode::Char('A'));
    select(&mut app, "[shop 1/2]");
    press(&mut app, KeyCode::Char('d'));
    let Some(View::Dialog(Dialog::Confirm(confirm))) = &app.view else {
        panic!("asks first: {:?}", app.view);
    };
    assert_eq!(confirm.title, " Remove project shop (2 containers)? ");
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(commands.len(), 2, "{commands:?}");
    // A container-only key on a project's row says what the row is.
    press(&mut app, KeyCode::Char('e'));
    let status = app.activity.status.clone().expect("a word");
    assert!(
        status.text.contains("shop is a Compose project"),
        "{}",
        status.text
    );
    // Unfolding is the way to its containers only while it is folded.
    assert!(status.text.contains("rows under it"), "{}", status.text);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('e'));
    let status = app.activity.status.clone().expect("a word");
    assert!(status.text.contains("Enter unfolds it"), "{}", status.text);
}

#[test]
fn space_on_a_project_marks_its_containers() {
    let mut app = app();
    select(&mut app, "[shop 1/2]");
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.containers.marks.len(), 2);
    // One key, rows perhaps out of view: the status line says how many.
    assert_eq!(
        super::status(&app),
        "Marked 2 containers of project shop (2 marked in all)"
    );
    select(&mut app, "[shop 1/2]");
    press(&mut app, KeyCode::Char(' '));
    assert!(
        app.containers.marks.is_empty(),
        "all marked: Space unmarks them"
    );
    assert_eq!(
        super::status(&app),
        "Unmarked 2 containers of project shop (0 marked in all)"
    );
}

/// `Esc` clears the filter first, then the marks (saying how many).
#[test]
fn esc_clears_the_filter_then_the_marks() {
    let mut app = app();
    select(&mut app, "alone");
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.containers.marks.len(), 2);
    press(&mut app, KeyCode::Char('/'));
    for c in "zeta".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.containers.room.filter.text(), "");
    assert_eq!(app.containers.marks.len(), 2, "the filter went first");
    press(&mut app, KeyCode::Esc);
    assert!(app.containers.marks.is_empty());
    assert_eq!(super::status(&app), "Cleared 2 marks");
}
