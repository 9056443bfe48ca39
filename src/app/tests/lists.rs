//! Lists that scale: filter as you type, natural order, a sort key, titles that count.

use super::*;
use crate::docker::ContainerState;

fn app_with(names: &[&str]) -> App {
    let mut app = new_app(0, (120, 40));
    let containers = names
        .iter()
        .map(|n| container(n, ContainerState::Running))
        .collect();
    app.send(docker(DockerEvent::Snapshot {
        images: Vec::new(),
        containers,
    }));
    app.focus = Pane::Containers;
    app
}

fn press(app: &mut App, code: KeyCode) {
    app.send(Event::Key(KeyEvent::from(code)));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn names(app: &App) -> Vec<String> {
    app.visible_containers()
        .iter()
        .map(|c| c.name.clone())
        .collect()
}

#[test]
fn names_sort_naturally() {
    let app = app_with(&["ux-49", "ux-5", "db", "ux-10"]);
    assert_eq!(names(&app), ["db", "ux-5", "ux-10", "ux-49"]);
}

#[test]
fn slash_filters_as_you_type_and_esc_clears() {
    let mut app = app_with(&["web-1", "web-2", "db", "cache"]);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "we");
    assert_eq!(names(&app), ["web-1", "web-2"], "narrows while typing");
    // Keys go to the filter while it is typed: `s` does not start anything.
    typed(&mut app, "b-2s");
    assert!(app.view.is_none());
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Enter);
    assert_eq!(names(&app), ["web-2"]);
    assert_eq!(
        app.selected_container().map(|c| c.name.as_str()),
        Some("web-2")
    );
    // The filter stays after Enter; keys act on the rows again.
    press(&mut app, KeyCode::Char('j'));
    assert!(!app.filter(Pane::Containers).editing);
    press(&mut app, KeyCode::Esc);
    assert_eq!(names(&app).len(), 4, "Esc clears it");
}

#[test]
fn the_filter_reads_every_column_shown() {
    let mut app = app_with(&["a", "b"]);
    app.containers.rows[1].row.status = "Exited (3) 2 minutes ago".into();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "EXITED (3)");
    assert_eq!(names(&app), ["b"], "case-insensitive, over the status too");
}

#[test]
fn a_key_cycles_the_sort_and_another_reverses_it() {
    let mut app = app_with(&["b", "a", "c"]);
    (app.containers.rows.iter_mut())
        .map(|r| &mut r.row)
        .for_each(|c| c.image = format!("img-{}", c.name));
    app.containers.rows[0].row.image = "img-z".into(); // "a"
    press(&mut app, KeyCode::Char('>'));
    assert_eq!(app.container_sort().by, crate::app::lists::SortBy::Image);
    assert_eq!(names(&app), ["b", "c", "a"]);
    press(&mut app, KeyCode::Char('<'));
    assert_eq!(names(&app), ["a", "c", "b"]);
}

#[test]
fn marks_show_in_the_status_and_clear_with_their_rows() {
    let mut app = app_with(&["a", "b", "c"]);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.containers.marks.len(), 2);
    assert_eq!(
        app.containers.room.cursor.index, 2,
        "Space marks and moves down"
    );
}

fn command(app: &mut App, line: &str) {
    press(app, KeyCode::Char(':'));
    typed(app, line);
    press(app, KeyCode::Enter);
}

/// `:images`, then `:ps /name` switches and filters; unknown input says what it could mean;
/// ↑ brings back the last command.
#[test]
fn the_command_line_switches_and_filters() {
    let mut app = app_with(&["web-1", "web-2", "db"]);
    command(&mut app, "images");
    assert_eq!(app.focus, Pane::Images);
    command(&mut app, "ps /web-2");
    assert_eq!(app.focus, Pane::Containers);
    assert_eq!(names(&app), ["web-2"]);
    command(&mut app, "imags");
    let status = app.activity.status.clone().expect("status").text;
    assert_eq!(status, "✗ no command :imags; did you mean :images?");
    press(&mut app, KeyCode::Char(':'));
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Up);
    match &app.view {
        Some(View::CommandLine(v)) => assert_eq!(v.input.value, "ps /web-2"),
        other => panic!("{other:?}"),
    }
    press(&mut app, KeyCode::Esc);
    assert!(app.view.is_none());
    command(&mut app, "q");
    assert!(app.should_quit);
}

/// `:logs NAME` follows that container's logs (not the selected one's); `:logs` alone the
/// selected one's; a longer word is never sent to the shorter command it starts with.
#[test]
fn logs_on_the_command_line_opens_a_containers_logs() {
    let mut app = app_with(&["web-1", "db"]);
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "logs db");
    let commands = app.send(Event::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(
        matches!(commands.as_slice(), [Command::FollowLogs { container, .. }] if container.as_str() == "id-db"),
        "{commands:?}"
    );
    assert!(matches!(&app.view, Some(View::Logs(v)) if v.container == "db"));
    app.view = None;
    command(&mut app, "logs nope");
    assert_eq!(status(&app), "✗ no container named nope");
    assert!(app.view.is_none(), "nothing opened");
    command(&mut app, "logss");
    assert_eq!(status(&app), "✗ no command :logss; did you mean :logs?");
}

/// `:update` reads the selected container's limits to fill its form with; `:rename NEW`
/// renames it at once, a bad name is refused with nothing sent, and `:rename` alone opens
/// the rename form.
#[test]
fn update_and_rename_on_the_command_line() {
    use crate::app::dialog::{Dialog, FormKind};
    use crate::app::edit_recreate::Filling;
    let mut app = app_with(&["web"]);
    command(&mut app, "update");
    assert!(
        matches!(&app.edit_pending, Some((_, t, Filling::Limits)) if t.name == "web"),
        "{:?}",
        app.edit_pending
    );
    app.view = None;
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "rename web-2");
    let commands = app.send(Event::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(
        matches!(commands.as_slice(), [Command::Op { op: Op::Rename { target, name }, .. }]
            if target.name == "web" && name == "web-2"),
        "{commands:?}"
    );
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "rename -bad");
    let commands = app.send(Event::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(commands.is_empty(), "{commands:?}");
    assert_eq!(
        status(&app),
        "✗ web: \"-bad\": a name starts with a letter or digit"
    );
    assert!(app.view.is_none(), "nothing opened");
    command(&mut app, "rename");
    assert!(
        matches!(&app.view, Some(View::Dialog(Dialog::Form(f))) if matches!(f.kind, FormKind::Rename { .. }))
    );
}

/// `y` puts the selected container's id on the clipboard (a local effect), `Y` its name.
#[test]
fn y_copies_the_selected_id_and_y_shifted_the_name() {
    let mut app = app_with(&["web"]);
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Char('y'))));
    assert_eq!(
        effects.local,
        [crate::app::Local::Clipboard("id-web".into())]
    );
    assert!(effects.docker.is_empty());
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Char('Y'))));
    assert_eq!(effects.local, [crate::app::Local::Clipboard("web".into())]);
    let status = app.activity.status.clone().expect("status").text;
    assert_eq!(status, "copied the name: web");
}

/// A click selects the row under it and focuses its pane; the wheel scrolls the list under
/// the pointer.
#[test]
fn clicks_select_rows_and_the_wheel_scrolls() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app_with(&["a", "b", "c"]);
    app.focus = Pane::Images;
    let rect = app.areas().containers;
    let at = |row: u16| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: rect.x + 3,
        // Border and header row come first.
        row: rect.y + 2 + row,
        modifiers: KeyModifiers::NONE,
    };
    app.send(Event::Mouse(at(2)));
    assert_eq!(app.focus, Pane::Containers);
    assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("c"));
    // Below the last row: the selection stays where it is.
    app.send(Event::Mouse(at(9)));
    assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("c"));
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollUp,
        ..at(0)
    };
    app.send(Event::Mouse(wheel));
    assert_eq!(app.selected_container().map(|c| c.name.as_str()), Some("b"));
}

/// An alias from the config stands for a command line; its words come first.
#[test]
fn aliases_from_the_config_work_on_the_command_line() {
    let mut app = app_with(&["web-1", "db"]);
    app.prefs.aliases = crate::config::Aliases([("w".to_string(), "ps /web".to_string())].into());
    app.focus = Pane::Images;
    command(&mut app, "w");
    assert_eq!(app.focus, Pane::Containers);
    assert_eq!(names(&app), ["web-1"]);
}

/// Where `text` is drawn on row `y` of the app's screen, as a person would see it.
pub(super) fn drawn_at(app: &App, y: u16, text: &str) -> Option<u16> {
    let (w, h) = app.size;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("a test terminal");
    terminal
        .draw(|frame| crate::ui::render(frame, app))
        .expect("drawn");
    let buffer = terminal.backend().buffer();
    let line: String = (0..w)
        .map(|x| buffer[(x, y)].symbol().to_string())
        .collect();
    line.find(text)
        .map(|byte| line[..byte].chars().count() as u16)
}

/// A click on a column's header sorts by it; a second click reverses it. A header that
/// does not sort (CONTAINER ID) changes nothing.
#[test]
fn a_click_on_a_header_sorts_by_its_column() {
    let mut app = app_with(&["b-run", "a-exit"]);
    app.containers.rows[1].row.state = ContainerState::Exited;
    app.focus = Pane::Images;
    let header = app.areas().containers.y + 1;
    let state = drawn_at(&app, header, "STATE").expect("a STATE header");
    click(&mut app, state + 2, header);
    assert_eq!(app.focus, Pane::Containers);
    assert_eq!(app.container_sort().by, crate::app::lists::SortBy::State);
    assert_eq!(names(&app), ["a-exit", "b-run"], "exited before running");
    let arrow = drawn_at(&app, header, "STATE ▲");
    assert!(arrow.is_some(), "the header shows the sort");
    click(&mut app, state, header);
    assert_eq!(names(&app), ["b-run", "a-exit"]);
    assert!(app.container_sort().descending);
    let id = drawn_at(&app, header, "CONTAINER ID").expect("a CONTAINER ID header");
    let before = app.container_sort();
    click(&mut app, id + 1, header);
    assert_eq!(app.container_sort(), before);
    // Images: SIZE sorts biggest first.
    let images = app.areas().images.y + 1;
    let size = drawn_at(&app, images, "SIZE").expect("a SIZE header");
    click(&mut app, size, images);
    assert_eq!(
        app.images.sort,
        Some((
            crate::app::image_list::Images::column(crate::app::lists::SortBy::Size),
            true
        ))
    );
}

/// While usage shows, a click on CPU % sorts by the last readings, busiest first, and its
/// header makes room for the arrow.
#[test]
fn a_click_on_a_usage_header_sorts_by_the_readings() {
    let mut app = app_with(&["idle", "busy"]);
    app.usage.on = true;
    let reading = |cpu| (Some(cpu), 1_000_000);
    app.usage.shown.insert("id-idle".into(), reading(0.5));
    app.usage.shown.insert("id-busy".into(), reading(50.0));
    app.containers.kind.readings = app.usage.shown.clone();
    let header = app.areas().containers.y + 1;
    let cpu = drawn_at(&app, header, "CPU %").expect("a CPU % header");
    click(&mut app, cpu + 1, header);
    assert_eq!(app.container_sort().by, crate::app::lists::SortBy::Cpu);
    assert_eq!(names(&app), ["busy", "idle"], "busiest first");
    assert!(
        drawn_at(&app, header, "CPU % ▼").is_some(),
        "room for the arrow"
    );
    click(&mut app, cpu + 1, header);
    assert_eq!(names(&app), ["idle", "busy"]);
}

/// A click on a tab's label in the terminal pane's border switches to it.
#[test]
fn a_click_on_a_tab_switches_to_it() {
    let mut app = app_with(&["api", "web"]);
    for _ in 0..2 {
        app.send(Event::Key(KeyEvent::from(KeyCode::Char('e'))));
        app.focus = Pane::Containers;
        press(&mut app, KeyCode::Down);
    }
    assert_eq!((app.terminals.sessions.len(), app.terminals.active), (2, 1));
    let top = app.areas().terminal.expect("a terminal pane").y;
    let first = drawn_at(&app, top, "1:api").expect("the first tab");
    click(&mut app, first + 1, top);
    assert_eq!((app.terminals.active, app.focus), (0, Pane::Terminal));
    let second = drawn_at(&app, top, "2:web").expect("the second tab");
    click(&mut app, second + 3, top);
    assert_eq!(app.terminals.active, 1);
    // The border between tabs is no tab.
    click(&mut app, second - 1, top);
    assert_eq!(app.terminals.active, 1);
}

/// A running container's row as listed at `listed` (unix seconds) with `status`.
fn aging_row(name: &str, status: &str, listed: i64) -> crate::docker::ContainerRow {
    let at = crate::docker::status::ListedAt {
        sent: listed * 1000,
        received: listed * 1000,
    };
    crate::docker::ContainerRow {
        host: Default::default(),
        status: status.into(),
        aging: crate::docker::status::Aging::parse(status, at),
        ..container(name, ContainerState::Running)
    }
}

fn statuses(app: &App) -> Vec<String> {
    app.visible_containers()
        .iter()
        .map(|c| c.status.clone())
        .collect()
}

#[test]
fn statuses_age_with_the_clock_between_listings() {
    let mut app = new_app(1_000, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
        images: Vec::new(),
        containers: vec![
            aging_row("a", "Up 58 seconds", 1_000),
            aging_row("b", "Exited (0) 59 minutes ago", 1_000),
            aging_row("c", "Up 2 seconds (Paused)", 1_000),
            crate::docker::ContainerRow {
                host: Default::default(),
                status: "Created".into(),
                ..container("d", ContainerState::Created)
            },
        ],
    }));
    app.send(Event::Tick(1_070));
    assert_eq!(
        statuses(&app),
        [
            "Up 2 minutes",
            "Exited (0) About an hour ago",
            "Up About a minute (Paused)",
            "Created"
        ]
    );
    // The filter sees the text shown.
    app.focus = Pane::Containers;
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "2 min");
    assert_eq!(names(&app), ["a"]);
}

#[test]
fn a_resync_keeps_what_earlier_listings_knew_of_when_a_status_began() {
    // Seen as "Up 2 hours" (5,400–9,000 s) until a resync at 12,010 says "Up 3 hours".
    let mut app = new_app(10_000, (120, 40));
    let listing = |status: &str, at: i64| {
        docker(DockerEvent::Snapshot {
            images: Vec::new(),
            containers: vec![aging_row("a", status, at)],
        })
    };
    app.send(listing("Up 2 hours", 10_000));
    app.send(listing("Up 2 hours", 11_990));
    app.send(listing("Up 3 hours", 12_010));
    // Started within [2,990, 3,010]: "4 hours" from 3,000 + 12,600 on, not before 15,580.
    app.send(Event::Tick(15_570));
    assert_eq!(statuses(&app), ["Up 3 hours"]);
    app.send(Event::Tick(15_620));
    assert_eq!(statuses(&app), ["Up 4 hours"]);
}

#[test]
fn rows_listed_again_change_in_place_and_the_first_rows_remove_none() {
    let mut app = app_with(&["a", "b", "c"]);
    // The first screen's worth, before the full listing (a reconnect, say): only adds.
    app.send(docker(DockerEvent::FirstRows(vec![container(
        "bb",
        ContainerState::Exited,
    )])));
    assert_eq!(names(&app), ["a", "b", "bb", "c"]);
    // An event's listing: b stopped and renamed, c removed.
    let mut b = container("b", ContainerState::Exited);
    b.name = "z".into();
    app.send(docker(DockerEvent::ContainersChanged {
        changed: vec![b],
        removed: vec!["id-c".into()],
    }));
    assert_eq!(names(&app), ["a", "bb", "z"]);
    assert_eq!(app.containers.rows[2].row.state, ContainerState::Exited);
}

#[test]
fn the_full_listing_after_the_first_rows_keeps_the_cursors_place() {
    let mut app = new_app(0, (120, 40));
    app.focus = Pane::Containers;
    // The newest containers first: they sort last among all.
    let newest: Vec<_> = ["zz-1", "zz-2", "zz-3"]
        .iter()
        .map(|n| container(n, ContainerState::Running))
        .collect();
    app.send(docker(DockerEvent::FirstRows(newest.clone())));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.containers.room.cursor.index, 1);
    let mut all: Vec<_> = (0..100)
        .map(|i| container(&format!("a-{i}"), ContainerState::Exited))
        .collect();
    all.extend(newest);
    app.send(docker(DockerEvent::Snapshot {
        images: Vec::new(),
        containers: all,
    }));
    // Still the second row, at the top of the list, not zz-2 a hundred rows down.
    assert_eq!(app.containers.room.cursor.index, 1);
    assert_eq!(app.containers.room.cursor.offset, 0);
    assert_eq!(
        app.selected_container().map(|c| c.name.as_str()),
        Some("a-1")
    );
    // From then on the selection follows its item.
    app.send(docker(DockerEvent::ContainersChanged {
        changed: vec![container("a-0a", ContainerState::Running)],
        removed: Vec::new(),
    }));
    assert_eq!(
        app.selected_container().map(|c| c.name.as_str()),
        Some("a-1")
    );
}
