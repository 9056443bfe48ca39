//! The files view: keys in, listings, reads and copies out; rows as the listing streams in.

use super::*;
use crate::app::dialog::Dialog;
use crate::app::inspect::Tab;
use crate::app::room::Overlay;
use crate::docker::files::{Answer, Entry, Kind, Request};
use crate::docker::inspect::InspectTarget;
use crate::docker::{ContainerState, OpError, StreamId};

fn app() -> App {
    let mut app = new_app(0, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![container("web", ContainerState::Exited)],
    }));
    app.focus = Pane::Containers;
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(code)))
}

fn char(app: &mut App, c: char) -> Vec<Command> {
    key(app, KeyCode::Char(c))
}

/// The listing a command list starts: its id and path.
pub(super) fn listing(commands: &[Command]) -> (StreamId, String) {
    commands
        .iter()
        .find_map(|c| match c {
            Command::Files {
                id,
                request: Request::List { container, path },
            } => {
                assert_eq!(container.id.as_str(), "id-web");
                Some((*id, path.clone()))
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no listing in {commands:?}"))
}

fn entry(name: &str, kind: Kind) -> Entry {
    Entry {
        name: name.into(),
        kind,
        size: 12,
        mode: 0o644,
        link: (kind == Kind::Link).then(|| "busybox".to_string()),
    }
}

fn answer(app: &mut App, id: StreamId, answer: Answer) -> Vec<Command> {
    app.send(docker(DockerEvent::Files { id, answer }))
}

fn view(app: &App) -> &crate::app::list::List<crate::app::files::Files> {
    match app.view.as_ref().and_then(View::list_of) {
        Some(v) => v,
        None => panic!("no files view: {:?}", app.view),
    }
}

fn names(app: &App) -> Vec<&str> {
    view(app)
        .rows
        .iter()
        .map(|r| r.row.entry.name.as_str())
        .collect()
}

/// `f` on the container, answered with a root of two folders and a file.
fn opened() -> (App, StreamId) {
    let mut app = app();
    let commands = char(&mut app, 'f');
    let (id, path) = listing(&commands);
    assert_eq!(path, "/");
    assert_eq!(commands.len(), 1, "only the listing: {commands:?}");
    answer(
        &mut app,
        id,
        Answer::Rows {
            rows: vec![entry("etc", Kind::Folder), entry("a.txt", Kind::File)],
            read: 2,
        },
    );
    answer(
        &mut app,
        id,
        Answer::Rows {
            rows: vec![entry("bin", Kind::Folder)],
            read: 30,
        },
    );
    (app, id)
}

#[test]
fn rows_arrive_as_the_listing_streams_folders_first() {
    let (mut app, id) = opened();
    // Shown while the listing still runs: folders first, each part by name.
    assert_eq!(names(&app), ["bin", "etc", "a.txt"]);
    assert!(view(&app).room.loading);
    assert_eq!(view(&app).kind.read, 30);
    answer(&mut app, id, Answer::Done { read: 31 });
    assert!(!view(&app).room.loading);
    // Keys answer at once, listing or not.
    char(&mut app, 'j');
    assert_eq!(
        view(&app).selected().map(|r| r.row.entry.name.as_str()),
        Some("etc")
    );
}

#[test]
fn enter_goes_into_a_folder_and_backspace_comes_back_to_it() {
    let (mut app, first) = opened();
    char(&mut app, 'j');
    let commands = key(&mut app, KeyCode::Enter);
    // The listing under way stops; the folder is listed under an id of its own.
    assert_eq!(commands.first(), Some(&Command::StopStream(first)));
    let (etc, path) = listing(&commands);
    assert_eq!(path, "/etc");
    assert_ne!(etc, first);
    assert_eq!(view(&app).kind.path, "/etc");
    assert!(view(&app).rows.is_empty());
    // A late answer for the folder left is dropped.
    answer(
        &mut app,
        first,
        Answer::Rows {
            rows: vec![entry("stale", Kind::File)],
            read: 99,
        },
    );
    assert!(names(&app).is_empty());
    answer(
        &mut app,
        etc,
        Answer::Rows {
            rows: vec![entry("hosts", Kind::File)],
            read: 2,
        },
    );
    assert_eq!(names(&app), ["hosts"]);
    // Up, the folder left is selected again once it is listed.
    let commands = key(&mut app, KeyCode::Backspace);
    let (root, path) = listing(&commands);
    assert_eq!(path, "/");
    answer(
        &mut app,
        root,
        Answer::Rows {
            rows: vec![
                entry("bin", Kind::Folder),
                entry("etc", Kind::Folder),
                entry("a.txt", Kind::File),
            ],
            read: 3,
        },
    );
    assert_eq!(
        view(&app).selected().map(|r| r.row.entry.name.as_str()),
        Some("etc")
    );
    // At the top, up says why it does nothing.
    assert!(
        key(&mut app, KeyCode::Left)
            .iter()
            .all(|c| !matches!(c, Command::Files { .. }))
    );
    let status = app.activity.status.clone().expect("a word");
    assert!(status.text.contains("no parent"), "{}", status.text);
}

#[test]
fn a_file_opens_in_the_reader_and_a_link_to_one_too() {
    let (mut app, id) = opened();
    char(&mut app, 'G');
    let commands = key(&mut app, KeyCode::Enter);
    let read = commands.iter().find_map(|c| match c {
        Command::Inspect { target, .. } => Some(target.clone()),
        _ => None,
    });
    assert_eq!(
        read,
        Some(InspectTarget::File {
            container: crate::docker::Target {
                id: "id-web".into(),
                name: "web".into()
            },
            path: "/a.txt".into()
        })
    );
    let Some(Overlay::Inspect(reader)) = &view(&app).room.overlay else {
        panic!("no reader");
    };
    assert_eq!(reader.tab, Tab::File);
    assert_eq!(
        app.view.as_ref().and_then(View::scope),
        Some(crate::app::keymap::Scope::Inspect)
    );
    // Esc closes the reader, not the view.
    key(&mut app, KeyCode::Esc);
    assert!(view(&app).room.overlay.is_none());

    // A link the daemon says is no folder is read instead, and its folder listed again.
    let commands = answer(&mut app, id, Answer::NotFolder("/bin/sh".into()));
    let (_, path) = listing(&commands);
    assert_eq!(path, "/bin");
    assert!(commands.iter().any(|c| matches!(
        c,
        Command::Inspect { target: InspectTarget::File { path, .. }, .. } if path == "/bin/sh"
    )));
}

#[test]
fn a_download_asks_before_it_overwrites_and_logs_docker_cp() {
    let (mut app, _) = opened();
    char(&mut app, 'G');
    char(&mut app, 's');
    let Some(Overlay::Dialog(Dialog::Form(form))) = &view(&app).room.overlay else {
        panic!("no form");
    };
    assert_eq!(form.title(), " Download web:/a.txt ");
    // Submitting looks at the destination first: nothing starts yet.
    let commands = key(&mut app, KeyCode::Enter);
    let probe = probe(&commands);
    assert!(app.activity.entries.is_empty());
    // Something is there: the user is asked.
    answer(
        &mut app,
        probe.0,
        Answer::Probed {
            op: probe.1.clone(),
            clash: Some("./a.txt exists: a file (it is replaced)".into()),
            large: None,
        },
    );
    let Some(Overlay::Dialog(Dialog::Confirm(confirm))) = &view(&app).room.overlay else {
        panic!("no question");
    };
    assert!(confirm.lines[0].contains("exists"));
    let commands = key(&mut app, KeyCode::Enter);
    let Some(Command::Op { op, .. }) = commands.first() else {
        panic!("no download in {commands:?}");
    };
    assert!(matches!(
        op,
        Op::CopyFrom {
            overwrite: true,
            ..
        }
    ));
    let entry = app.activity.entries.iter().last().expect("logged");
    assert_eq!(entry.cli, "docker cp web:/a.txt ./a.txt");

    // Nothing there: it starts at once.
    answer(
        &mut app,
        probe.0,
        Answer::Probed {
            op: probe.1,
            clash: None,
            large: None,
        },
    );
    assert_eq!(app.activity.entries.len(), 2);
}

/// A file over 1 GiB (a sparse 2 GiB file is 2 GiB written here) is asked about first.
#[test]
fn a_download_over_a_gib_is_asked_about_first() {
    let (mut app, _) = opened();
    char(&mut app, 'G');
    char(&mut app, 's');
    let commands = key(&mut app, KeyCode::Enter);
    let (id, op) = probe(&commands);
    let commands = answer(
        &mut app,
        id,
        Answer::Probed {
            op,
            clash: None,
            large: Some("/a.txt is 2.15GB: that much is written here".into()),
        },
    );
    assert!(commands.is_empty(), "nothing starts before the answer");
    let Some(Overlay::Dialog(Dialog::Confirm(confirm))) = &view(&app).room.overlay else {
        panic!("no question");
    };
    assert_eq!(confirm.title, " Download? ");
    assert!(confirm.lines[0].contains("2.15GB"), "{:?}", confirm.lines);
    let commands = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(
            commands.first(),
            Some(Command::Op {
                op: Op::CopyFrom {
                    overwrite: true,
                    ..
                },
                ..
            })
        ),
        "{commands:?}"
    );
}

#[test]
fn upload_is_a_change_refused_read_only_and_download_is_not() {
    let (mut app, _) = opened();
    app.prefs.read_only = true;
    char(&mut app, 'u');
    assert!(view(&app).room.overlay.is_none());
    let status = app.activity.status.clone().expect("refused");
    assert!(status.error && status.text.contains("read-only"));
    // A download reads the container only.
    char(&mut app, 's');
    let commands = key(&mut app, KeyCode::Enter);
    let (id, op) = probe(&commands);
    let commands = answer(
        &mut app,
        id,
        Answer::Probed {
            op,
            clash: None,
            large: None,
        },
    );
    assert!(
        matches!(commands.as_slice(), [Command::Op { .. }]),
        "{commands:?}"
    );

    // Not read-only: upload asks for the local path, then copies into the folder shown.
    app.prefs.read_only = false;
    char(&mut app, 'u');
    for c in "/tmp/notes".chars() {
        char(&mut app, c);
    }
    // It first looks here that the path is there.
    let (probe_id, op) = probe(&key(&mut app, KeyCode::Enter));
    let commands = answer(
        &mut app,
        probe_id,
        Answer::Probed {
            op,
            clash: None,
            large: None,
        },
    );
    let Some(Command::Op { id, op }) = commands.first() else {
        panic!("no upload in {commands:?}");
    };
    assert_eq!(op.cli(), "docker cp /tmp/notes web:/");
    // Once it is done, the folder is listed again.
    let commands = app.send(docker(DockerEvent::OpDone {
        id: *id,
        result: Ok("Copied".into()),
        elapsed: Default::default(),
    }));
    assert_eq!(listing(&commands).1, "/");
}

/// A download's look at its destination, and the id it answers under.
fn probe(commands: &[Command]) -> (StreamId, Op) {
    commands
        .iter()
        .find_map(|c| match c {
            Command::Files {
                id,
                request: Request::Probe(op),
            } => Some((*id, op.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no probe in {commands:?}"))
}

#[test]
fn a_failed_listing_shows_the_daemons_words_and_c_shows_the_changes() {
    let mut app = app();
    let commands = app.run_command_line(":files /nope").commands();
    let (id, path) = listing(&commands);
    assert_eq!(path, "/nope");
    answer(
        &mut app,
        id,
        Answer::Failed(OpError {
            message: "no such file or folder in web: /nope".into(),
            hint: Some("Check the path"),
        }),
    );
    let room = &view(&app).room;
    assert!(!room.loading);
    assert!(
        room.error
            .as_ref()
            .is_some_and(|e| e.message.contains("/nope"))
    );
    let commands = char(&mut app, 'c');
    assert!(commands.iter().any(|c| matches!(
        c,
        Command::Inspect { target: InspectTarget::Container(id), .. } if id.as_str() == "id-web"
    )));
    let Some(Overlay::Inspect(diff)) = &view(&app).room.overlay else {
        panic!("no changes");
    };
    assert_eq!(diff.tab, Tab::Changes);
    // q closes the changes, then the view, which stops its listing.
    char(&mut app, 'q');
    let commands = char(&mut app, 'q');
    assert!(app.view.is_none());
    assert!(matches!(commands.as_slice(), [Command::StopStream(_)]));
}

#[test]
fn a_key_while_rows_stream_in_keeps_its_row() {
    let (mut app, id) = opened();
    char(&mut app, 'j');
    answer(
        &mut app,
        id,
        Answer::Rows {
            rows: vec![entry("aaa", Kind::Folder), entry("z", Kind::File)],
            read: 40,
        },
    );
    answer(&mut app, id, Answer::Done { read: 41 });
    assert_eq!(
        view(&app).selected().map(|r| r.row.entry.name.as_str()),
        Some("etc")
    );
}

#[test]
fn a_read_only_host_refuses_an_upload_before_asking() {
    let (mut app, _) = opened();
    app.hosts[0].spec.read_only = true;
    char(&mut app, 'u');
    assert!(view(&app).room.overlay.is_none());
    let status = app.activity.status.clone().expect("refused");
    assert!(
        status.error && status.text.contains("read-only"),
        "{}",
        status.text
    );
    // Its files still download.
    char(&mut app, 's');
    assert!(view(&app).room.overlay.is_some());
}

/// The download path is pre-filled as every field is: selected, so typing replaces it
/// (it used to append: `./a.txt/tmp/x`); Ctrl-U and Ctrl-W work in it.
#[test]
fn the_download_path_is_selected_and_typing_replaces_it() {
    let (mut app, _) = opened();
    char(&mut app, 'G');
    char(&mut app, 's');
    let value = |app: &App| match &view(app).room.overlay {
        Some(Overlay::Dialog(Dialog::Form(form))) => match &form.fields[0] {
            crate::app::dialog::Field::Text { input, .. } => input.value.clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("no form: {other:?}"),
    };
    assert_eq!(value(&app), "./a.txt");
    for c in "/tmp/x y".chars() {
        char(&mut app, c);
    }
    assert_eq!(value(&app), "/tmp/x y");
    app.send(Event::Key(KeyEvent::new(
        KeyCode::Char('w'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(value(&app), "/tmp/x ");
    app.send(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(value(&app), "");
}

/// The container re-created under its name (compose up, a re-run): Ctrl-R reads the new
/// one and says so, rather than asking the daemon about the one that is gone.
#[test]
fn ctrl_r_after_the_container_was_recreated_reads_the_new_one() {
    let (mut app, _) = opened();
    app.send(docker(DockerEvent::Snapshot {
        images: vec![],
        containers: vec![crate::docker::ContainerRow {
            id: "id-web-new".into(),
            ..container("web", ContainerState::Running)
        }],
    }));
    let commands = app.send(Event::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    let read = commands.iter().find_map(|c| match c {
        Command::Files {
            request: Request::List { container, .. },
            ..
        } => Some(container.id.as_str().to_string()),
        _ => None,
    });
    assert_eq!(read.as_deref(), Some("id-web-new"), "{commands:?}");
    assert!(
        status(&app).starts_with("web was re-created: reading the new container"),
        "{}",
        status(&app)
    );
    assert_eq!(view(&app).kind.container.id.as_str(), "id-web-new");
}

/// A copy this machine refuses (no such folder to save into) opens its form again, the
/// input kept and the reason under the field; nothing runs.
#[test]
fn a_refused_download_keeps_the_form_open_with_the_reason() {
    let (mut app, _) = opened();
    char(&mut app, 'G');
    char(&mut app, 's');
    for c in "/nope/x".chars() {
        char(&mut app, c);
    }
    let commands = key(&mut app, KeyCode::Enter);
    let (id, op) = probe(&commands);
    answer(
        &mut app,
        id,
        Answer::Refused {
            op,
            why: "no folder /nope on this machine: create it first, or save somewhere else".into(),
        },
    );
    let Some(Overlay::Dialog(Dialog::Form(form))) = &view(&app).room.overlay else {
        panic!("the form again: {:?}", view(&app).room.overlay);
    };
    assert!(
        matches!(&form.fields[0], crate::app::dialog::Field::Text { input, .. } if input.value == "/nope/x")
    );
    let (field, why) = form.error.clone().expect("the reason");
    assert_eq!(field, 0);
    assert!(why.starts_with("no folder /nope"), "{why}");
    assert!(form.touched, "shown");
    assert!(app.activity.entries.is_empty(), "nothing ran");
}

/// Tab in the download's path asks this machine to complete it (a local effect); the answer
/// fills the field if it still holds what was typed, and several matches are named.
#[test]
fn tab_completes_the_download_path() {
    let (mut app, _) = opened();
    char(&mut app, 'G');
    char(&mut app, 's');
    for c in "/tm".chars() {
        char(&mut app, c);
    }
    // The footer says what Tab does here.
    let last = app.size.1 - 1;
    assert!(super::lists::drawn_at(&app, last, "Tab complete the path").is_some());
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Tab)));
    assert_eq!(
        effects.local,
        [crate::app::Local::CompletePath("/tm".into())]
    );
    app.update(Event::Completed {
        typed: "/tm".into(),
        path: "/tmp/".into(),
        names: vec!["tmp/".into()],
    });
    let value = |app: &App| match &view(app).room.overlay {
        Some(Overlay::Dialog(Dialog::Form(form))) => match &form.fields[0] {
            crate::app::dialog::Field::Text { input, .. } => input.value.clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("no form: {other:?}"),
    };
    assert_eq!(value(&app), "/tmp/");
    // A late answer for what is no longer typed changes nothing.
    app.update(Event::Completed {
        typed: "/tm".into(),
        path: "/tmpfoo".into(),
        names: vec!["tmpfoo".into(), "tmpbar".into()],
    });
    assert_eq!(value(&app), "/tmp/");
    char(&mut app, 'n');
    app.update(Event::Completed {
        typed: "/tmp/n".into(),
        path: "/tmp/notes".into(),
        names: vec!["notes.txt".into(), "notes-old.txt".into()],
    });
    assert_eq!(value(&app), "/tmp/notes");
    assert_eq!(status(&app), "notes.txt  notes-old.txt");
}
