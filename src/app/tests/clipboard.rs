//! Every copy (`y`/`Y` anywhere) puts inert text on the clipboard: a paste into a shell can
//! never end a bracketed paste, clear the line or run what a container wrote.

use super::*;
use crate::app::Local;
use crate::docker::ContainerState;
use crate::docker::files::{Answer, Entry, Kind};
use crate::docker::logs::LogLine;

/// What a copy put on the clipboard, and the status line it left.
fn copied(app: &mut App, c: char) -> (String, String) {
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Char(c))));
    let text = match effects.local.as_slice() {
        [Local::Clipboard(text)] => text.clone(),
        other => panic!("one copy expected: {other:?}"),
    };
    let status = app.activity.status.clone().expect("status").text;
    (text, status)
}

/// Nothing a terminal or a shell acts on.
fn assert_inert(text: &str) {
    for c in text.chars() {
        assert!(
            !c.is_control() && !crate::format::is_invisible_format(c),
            "{:x} in {text:?}",
            c as u32
        );
    }
}

fn app_with(name: &str) -> App {
    let mut app = new_app(1_764_000_000, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![container(name, ContainerState::Running)],
    }));
    app.focus = Pane::Containers;
    app
}

/// The log line of the issue: an early end of bracketed paste, ^U, a command and a CR.
#[test]
fn a_copied_log_line_cannot_end_a_paste_or_run_a_command() {
    let mut app = app_with("web");
    let commands = app.send(Event::Key(KeyEvent::from(KeyCode::Char('l'))));
    let Some(Command::FollowLogs { id, .. }) = commands.first() else {
        panic!("{commands:?}");
    };
    let hostile = "GET /health 200 OK \x1b[201~\x15 touch /tmp/x\r\x15";
    app.send(docker(DockerEvent::LogLines {
        id: *id,
        lines: vec![LogLine {
            err: false,
            time: "2026-11-28T14:00:00Z".into(),
            text: hostile.into(),
            source: 0,
        }],
    }));
    let (text, status) = copied(&mut app, 'y');
    assert_inert(&text);
    assert_eq!(text, "GET /health 200 OK [201~ touch /tmp/x");
    assert!(
        status.contains("4 control or invisible characters left out"),
        "{status}"
    );
}

/// A container name with U+061C (which the old filter missed) and a bidi override.
#[test]
fn a_copied_name_carries_no_invisible_characters() {
    let mut app = app_with("web\u{61c}\u{202e}gpj");
    let (text, status) = copied(&mut app, 'Y');
    assert_eq!(text, "webgpj");
    assert!(
        status.contains("2 control or invisible characters left out"),
        "{status}"
    );
    // Plain text is copied as it is, and the status line says nothing more.
    let mut app = app_with("web");
    let (text, status) = copied(&mut app, 'Y');
    assert_eq!(
        (text.as_str(), status.as_str()),
        ("web", "copied the name: web")
    );
}

/// A file name holding an OSC 52 sequence, copied as a path from the files view.
#[test]
fn a_copied_path_cannot_set_the_clipboard_through_osc_52() {
    let mut app = app_with("web");
    let commands = app.send(Event::Key(KeyEvent::from(KeyCode::Char('f'))));
    let (id, _) = super::files::listing(&commands);
    app.send(docker(DockerEvent::Files {
        id,
        answer: Answer::Rows {
            rows: vec![Entry {
                name: "a\x1b]52;c;ZWNobyBwd24K\x07b".into(),
                kind: Kind::File,
                size: 1,
                mode: 0o644,
                link: None,
            }],
            read: 2,
        },
    }));
    let (text, status) = copied(&mut app, 'y');
    assert_inert(&text);
    assert_eq!(text, "/a]52;c;ZWNobyBwd24Kb");
    assert!(
        status.contains("2 control or invisible characters left out"),
        "{status}"
    );
}

/// Inside tmux a copy goes into tmux's buffer too: the status line says so, and once a
/// session, when tmux's `set-clipboard` is off, how to let it reach the clipboard.
#[test]
fn a_copy_inside_tmux_says_where_it_went_and_once_how_to_enable_the_clipboard() {
    use crate::app::effects::Copied;
    let mut app = app_with("web");
    let tmux = |app: &mut App, setting: &str| {
        copied(app, 'Y');
        app.update(Event::Copied(Copied::Tmux {
            set_clipboard: setting.into(),
        }));
        status(app)
    };
    let first = tmux(&mut app, "off");
    assert!(
        first.starts_with("copied the name: web, into tmux's buffer (prefix ] pastes it)"),
        "{first}"
    );
    assert!(first.contains("set -g set-clipboard external"), "{first}");
    let again = tmux(&mut app, "off");
    assert_eq!(
        again, "copied the name: web, into tmux's buffer (prefix ] pastes it)",
        "said once"
    );
    copied(&mut app, 'Y');
    app.update(Event::Copied(Copied::TmuxFailed(
        "no server running".into(),
    )));
    assert_eq!(
        status(&app),
        "✗ copied the name: web through the terminal only: tmux load-buffer failed: no server running"
    );
}

/// `b` opens a container's port and copies its URL: inside tmux the status line still says
/// which URL (it said only "copied, into tmux's buffer").
#[test]
fn an_opened_port_inside_tmux_still_names_its_url() {
    use crate::app::effects::Copied;
    let mut app = new_app(1_764_000_000, (120, 40));
    let web = crate::docker::ContainerRow {
        ports: "127.0.0.1:18080->80/tcp".into(),
        ..container("web", ContainerState::Running)
    };
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![web],
    }));
    app.focus = Pane::Containers;
    app.update(Event::Key(KeyEvent::from(KeyCode::Char('b'))));
    app.update(Event::Copied(Copied::Tmux {
        set_clipboard: "external".into(),
    }));
    assert_eq!(
        status(&app),
        "opening http://127.0.0.1:18080 (copied, into tmux's buffer (prefix ] pastes it))"
    );
    app.update(Event::Key(KeyEvent::from(KeyCode::Char('b'))));
    app.update(Event::Copied(Copied::TmuxFailed(
        "no server running".into(),
    )));
    assert_eq!(
        status(&app),
        "✗ opening http://127.0.0.1:18080 (copied through the terminal only: tmux load-buffer failed: no server running)"
    );
}

/// The panes copy through the generic list's copy: the image id and `repo:tag` (an untagged
/// image's id), the container id.
#[test]
fn the_panes_copy_ids_and_names_as_every_list_does() {
    let image = |key: &str, repository: Option<&str>| crate::docker::ImageRow {
        host: Default::default(),
        key: key.into(),
        id: format!("sha256:{key}"),
        repository: repository.map(Into::into),
        tag: repository.map(|_| "1".into()),
        size: 1,
        created: 0,
        registry_copy: false,
    };
    let mut app = new_app(1_764_000_000, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
        images: vec![image("b", Some("web")), image("a", None)],
        containers: vec![container("web", ContainerState::Running)],
    }));
    app.focus = Pane::Images;
    let selected = app.selected_image().map(|i| i.id.clone());
    assert_eq!(
        selected.as_deref(),
        Some("sha256:b"),
        "as old as each other: the named one first"
    );
    let (text, status) = copied(&mut app, 'y');
    assert_eq!(
        (text.as_str(), status.as_str()),
        ("sha256:b", "copied the image id: sha256:b")
    );
    assert_eq!(copied(&mut app, 'Y').0, "web:1");
    app.send(Event::Key(KeyEvent::from(KeyCode::Down)));
    assert_eq!(copied(&mut app, 'Y').0, "sha256:a", "untagged: its id");
    app.focus = Pane::Containers;
    let id = app.selected_container().map(|c| c.id.to_string());
    let (text, status) = copied(&mut app, 'y');
    assert_eq!(Some(text), id);
    assert!(status.starts_with("copied the container id: "), "{status}");
}
