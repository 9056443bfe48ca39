//! The generic list, one table of tests for every kind on it: filter, sort, mark and `Esc`
//! work; every key help lists there does something, and every other key only says it does
//! nothing.

use super::*;
use crate::app::keymap::{Key, Scope};
use crate::app::list::{Kind, List};
use crate::docker::disk::{DiskUsage, Usage};
use crate::docker::host::HostAnswer;
use crate::docker::networks::NetworkRow;
use crate::docker::volumes::VolumeRow;

/// A list kind under test: the key that opens it, an answer with rows "alpha-2",
/// "beta-10", "gamma-1" (or the disk usage's four kinds), and a word only one row has.
struct Case {
    open: char,
    scope: Scope,
    answer: fn() -> HostAnswer,
    /// A filter that keeps exactly one row, and that row's first cell.
    only: (&'static str, &'static str),
}

fn volumes() -> HostAnswer {
    let row = |name: &str, size| VolumeRow {
        name: name.into(),
        driver: "local".into(),
        scope: "local".into(),
        size: Some(size),
        users: vec![],
    };
    let rows = vec![row("beta-10", 1), row("alpha-2", 3), row("gamma-1", 2)];
    HostAnswer::Volumes(rows, Some(DiskUsage::default()))
}

fn networks() -> HostAnswer {
    let row = |name: &str| NetworkRow {
        id: format!("id-{name}"),
        name: name.into(),
        driver: "bridge".into(),
        scope: "local".into(),
        ..NetworkRow::default()
    };
    HostAnswer::Networks(vec![row("beta-10"), row("alpha-2"), row("gamma-1")])
}

fn disk() -> HostAnswer {
    let usage = |total| Usage {
        total,
        active: 0,
        size: 10,
        reclaimable: 1,
    };
    HostAnswer::DiskUsage(DiskUsage {
        images: usage(3),
        containers: usage(1),
        volumes: usage(4),
        build_cache: usage(2),
        ..DiskUsage::default()
    })
}

const CASES: [Case; 3] = [
    Case {
        open: 'V',
        scope: Scope::Volumes,
        answer: volumes,
        only: ("gamma", "gamma-1"),
    },
    Case {
        open: 'M',
        scope: Scope::Networks,
        answer: networks,
        only: ("alpha", "alpha-2"),
    },
    Case {
        open: 'F',
        scope: Scope::DiskUsage,
        answer: disk,
        only: ("cache", "Build Cache"),
    },
];

/// The first cells of the rows shown, in order.
fn shown<K: Kind>(list: &List<K>, app: &App) -> Vec<String> {
    list.shown(&app.host_names)
        .into_iter()
        .map(|r| list.kind.cells(&r.row).swap_remove(0))
        .collect()
}

/// What the open list shows: its first cells, its marks, whether a filter is set.
fn state(app: &App) -> Option<(Vec<String>, usize, String)> {
    let (rows, marks, filter) = match app.view.as_ref()? {
        View::Volumes(v) => (shown(v, app), v.marks.len(), &v.room.filter),
        View::Networks(v) => (shown(v, app), v.marks.len(), &v.room.filter),
        View::DiskUsage(v) => (shown(v, app), v.marks.len(), &v.room.filter),
        _ => return None,
    };
    Some((rows, marks, filter.text().to_string()))
}

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(code)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// An app with the case's list open and answered.
fn opened(case: &Case) -> App {
    let mut app = new_app(0, (120, 40));
    let id = press(&mut app, KeyCode::Char(case.open))
        .iter()
        .find_map(|c| match c {
            Command::Host { id, .. } => Some(*id),
            _ => None,
        })
        .expect("the list asks for its rows");
    app.send(Event::Docker(DockerEvent::Host {
        id,
        result: Ok((case.answer)()),
    }));
    app
}

#[test]
fn every_list_filters_sorts_marks_and_esc_clears_then_closes() {
    for case in &CASES {
        let mut app = opened(case);
        let (all, _, _) = state(&app).expect("a list open");
        assert!(all.len() >= 3, "{:?}: {all:?}", case.scope);
        // `/` takes the letters (none of them acts as a key), Enter keeps the filter.
        press(&mut app, KeyCode::Char('/'));
        typed(&mut app, case.only.0);
        assert!(app.view.as_ref().is_some_and(View::filtering));
        press(&mut app, KeyCode::Enter);
        let (rows, _, filter) = state(&app).expect("still open");
        assert_eq!(rows, [case.only.1], "{:?}", case.scope);
        assert_eq!(filter, case.only.0);
        // Esc clears the filter and nothing else; the view stays.
        press(&mut app, KeyCode::Esc);
        assert_eq!(state(&app).expect("still open").0, all, "{:?}", case.scope);
        // `>` sorts by the first sortable column, `<` reverses it.
        press(&mut app, KeyCode::Char('>'));
        let sorted = state(&app).expect("open").0;
        press(&mut app, KeyCode::Char('<'));
        let reversed = state(&app).expect("open").0;
        let mut back = reversed.clone();
        back.reverse();
        assert_eq!(back, sorted, "{:?}", case.scope);
        assert_ne!(sorted, reversed, "{:?}", case.scope);
        // Space marks and moves down; twice marks two.
        press(&mut app, KeyCode::Char('g'));
        press(&mut app, KeyCode::Char(' '));
        press(&mut app, KeyCode::Char(' '));
        assert_eq!(state(&app).expect("open").1, 2, "{:?}", case.scope);
        // The title counts them.
        let title = app.areas().view.y;
        let counted = super::lists::drawn_at(&app, title, ", 2 marked)");
        assert!(
            counted.is_some(),
            "{:?}: the title counts the marks",
            case.scope
        );
        // Esc without a filter closes the view.
        press(&mut app, KeyCode::Esc);
        assert!(state(&app).is_none(), "{:?} closes", case.scope);
    }
}

#[test]
fn marked_rows_are_what_remove_asks_about() {
    for case in CASES.iter().filter(|c| c.scope != Scope::DiskUsage) {
        let mut app = opened(case);
        press(&mut app, KeyCode::Char('g'));
        press(&mut app, KeyCode::Char(' '));
        press(&mut app, KeyCode::Char(' '));
        press(&mut app, KeyCode::Char('d'));
        let room = app.view.as_ref().and_then(View::room).expect("open");
        let Some(crate::app::room::Overlay::Dialog(crate::app::dialog::Dialog::Confirm(c))) =
            &room.overlay
        else {
            panic!("{:?}: remove asks first", case.scope);
        };
        assert!(c.title.contains(" 2 "), "{:?}: {}", case.scope, c.title);
        assert_eq!(c.ops().len(), 2, "{:?}", case.scope);
        // Esc answers no: nothing runs.
        let sent = press(&mut app, KeyCode::Esc);
        assert!(
            sent.iter().all(|c| !matches!(c, Command::Op { .. })),
            "{sent:?}"
        );
    }
}

/// The printable keys, and a few named ones.
fn every_key() -> Vec<KeyEvent> {
    let printable = ('!'..='~').map(KeyCode::Char);
    let named = [
        KeyCode::Enter,
        KeyCode::Tab,
        KeyCode::Backspace,
        KeyCode::F(5),
    ];
    printable.chain(named).map(KeyEvent::from).collect()
}

#[test]
fn help_lists_exactly_the_keys_that_work_in_every_list() {
    let keymap = crate::app::keymap::Keymap::default();
    for case in &CASES {
        let listed = |key: &KeyEvent| {
            keymap.bindings.iter().any(|b| {
                matches!(b.scope, s if s == case.scope || s == Scope::List)
                    && b.keys.iter().any(|k| Key::describe(key) == k.label())
            }) || keymap.nav(key).is_some()
                // `?` opens help over every view.
                || keymap.pane(key, Pane::Containers)
                    == Some(crate::app::PaneAction::Help)
        };
        for key in every_key() {
            let mut app = opened(case);
            app.activity.status = None;
            app.send(Event::Key(key));
            let said = status(&app);
            let nothing = said.contains("does nothing in");
            assert_eq!(
                !listed(&key),
                nothing,
                "{:?}: {} (help {}): {said:?}",
                case.scope,
                Key::describe(&key),
                if listed(&key) {
                    "lists it"
                } else {
                    "does not list it"
                }
            );
        }
    }
}

/// A click on a sortable header sorts by it, a second click reverses it; a header that does
/// not sort changes nothing.
#[test]
fn a_click_on_a_lists_header_sorts_by_its_column() {
    use super::lists::{click, drawn_at};
    let sorts: [(&str, &str, &[&str]); 3] = [
        ("NAME", "SCOPE", &["alpha-2", "beta-10", "gamma-1"]),
        ("NAME", "SUBNET", &["alpha-2", "beta-10", "gamma-1"]),
        (
            "TOTAL",
            "TYPE",
            &["Containers", "Build Cache", "Images", "Local Volumes"],
        ),
    ];
    for (case, (header, unsorted, order)) in CASES.iter().zip(sorts) {
        let mut app = opened(case);
        let y = app.areas().view.y + 1;
        let before = state(&app).expect("open").0;
        let x = drawn_at(&app, y, unsorted).expect("a header that does not sort");
        click(&mut app, x + 1, y);
        assert_eq!(state(&app).expect("open").0, before, "{:?}", case.scope);
        let x = drawn_at(&app, y, header).expect("a sortable header");
        click(&mut app, x + 1, y);
        assert_eq!(state(&app).expect("open").0, order, "{:?}", case.scope);
        assert!(
            drawn_at(&app, y, &format!("{header} ▲")).is_some(),
            "{:?}",
            case.scope
        );
        click(&mut app, x + 1, y);
        let mut reversed = order.to_vec();
        reversed.reverse();
        assert_eq!(state(&app).expect("open").0, reversed, "{:?}", case.scope);
    }
}
