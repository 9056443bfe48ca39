//! The layers view: opened from keys, rows filling in as layers are read, the tree of the
//! selected layer with its changes marked, folds, toggles, sort, filter, and `Esc`.

use crossterm::event::{KeyCode, KeyEvent};

use super::*;
use crate::app::Settings;
use crate::app::tests::{click, docker};
use crate::app::update::Event;
use crate::docker::DockerEvent;
use crate::docker::layers::Head;
use crate::docker::layers::read::{EntryKind, read_layer, tests::layer};

#[path = "../../../tests/common/layered.rs"]
mod layered;

const MB: u64 = 1 << 20;

/// The image `tests/image_layers.rs` writes: a base, a 10 MiB file, then its whiteout, an
/// opaque folder and an overwrite.
pub(crate) fn written() -> Vec<SavedLayer> {
    (layered::LAYERS.iter().enumerate())
        .map(|(i, &(step, entries))| SavedLayer {
            id: format!("sha256:{i}"),
            created_by: step.into(),
            tar: read_layer(layer(entries).as_slice()).expect("a layer"),
        })
        .collect()
}

fn heads(layers: &[SavedLayer]) -> Vec<Head> {
    (layers.iter())
        .map(|l| Head {
            id: l.id.clone(),
            created_by: l.created_by.clone(),
            size: None,
        })
        .collect()
}

fn app() -> App {
    let mut app = App::new(Settings {
        endpoint: "unix:///test.sock".into(),
        size: (140, 40),
        ..Settings::default()
    });
    let image = crate::app::tests::image_row("layered", "1", "sha256:layered");
    app.update(docker(DockerEvent::Snapshot {
        images: vec![image],
        containers: vec![],
    }));
    app.focus = crate::app::Pane::Images;
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.update(Event::Key(KeyEvent::from(code))).commands()
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn hear(app: &mut App, id: StreamId, answer: Answer) {
    app.update(docker(DockerEvent::Layers { id, answer }));
}

fn view(app: &App) -> &LayersView {
    match &app.view {
        Some(View::Layers(v)) => v,
        other => panic!("not the layers view: {other:?}"),
    }
}

/// `v` on the image: the reading it asks for.
fn open(app: &mut App) -> StreamId {
    let commands = key(app, KeyCode::Char('v'));
    match commands.as_slice() {
        [Command::Layers { id, source, .. }] => {
            assert_eq!(source, &Source::Local("layered:1".into()));
            *id
        }
        other => panic!("not one reading: {other:?}"),
    }
}

/// Opened and every layer heard, then the analysis.
fn read_all(app: &mut App) -> StreamId {
    let id = open(app);
    let layers = written();
    hear(app, id, Answer::Heads(heads(&layers)));
    for (i, l) in layers.iter().enumerate() {
        let tar = l.tar.clone();
        hear(app, id, Answer::Layer { at: vec![i], tar });
    }
    let analysis = Box::new(analysis::analyse(&layers));
    hear(app, id, Answer::Done { layers, analysis });
    id
}

/// The registry reference of the one reading `commands` ask for.
fn remote(commands: &[Command]) -> &crate::reference::Reference {
    let [
        Command::Layers {
            source: Source::Remote(r),
            ..
        },
    ] = commands
    else {
        panic!("not one reading from a registry: {commands:?}");
    };
    r
}

/// The tree's rows as `mark name` (indented by depth).
fn tree(app: &App) -> Vec<String> {
    let v = view(app);
    let Some(files) = &v.tree else {
        return Vec::new();
    };
    (v.rows.iter())
        .map(|r| {
            let n = &files.nodes[r.node];
            let mark = n.change.map(|c| c.mark().to_string());
            format!(
                "{}{}{}",
                "  ".repeat(r.depth),
                mark.unwrap_or_default(),
                n.name
            )
        })
        .collect()
}

fn select_layer(app: &mut App, at: usize) {
    key(app, KeyCode::Char('g'));
    for _ in 0..at {
        key(app, KeyCode::Down);
    }
    assert_eq!(view(app).selected(), Some(at));
}

#[test]
fn rows_fill_in_as_layers_are_read_and_keys_answer_meanwhile() {
    let mut app = app();
    let id = open(&mut app);
    let layers = written();
    hear(&mut app, id, Answer::Heads(heads(&layers)));
    let v = view(&app);
    assert_eq!(v.list.rows.len(), 3);
    assert!(v.list.rows.iter().all(|r| r.row.files.is_none()));
    assert_eq!(v.list.rows[2].row.created_by, layers[2].created_by);
    assert!(v.tree.is_none(), "nothing read yet");
    // The export holds the layers in any order: the top one first.
    let top = layers[2].tar.clone();
    hear(
        &mut app,
        id,
        Answer::Layer {
            at: vec![2],
            tar: top,
        },
    );
    assert_eq!(view(&app).list.rows[2].row.files, Some(5));
    assert!(view(&app).tree.is_none(), "layer 0 is not read");
    // Keys answer while it streams: to layer 2, whose tree waits for 0 and 1.
    select_layer(&mut app, 2);
    let base = layers[0].tar.clone();
    hear(
        &mut app,
        id,
        Answer::Layer {
            at: vec![0],
            tar: base,
        },
    );
    assert!(view(&app).tree.is_none());
    let big = layers[1].tar.clone();
    hear(
        &mut app,
        id,
        Answer::Layer {
            at: vec![1],
            tar: big,
        },
    );
    assert!(tree(&app).contains(&"-big".to_string()), "{:?}", tree(&app));
    assert!(view(&app).list.rows[2].row.changes.is_none());
    let analysis = Box::new(analysis::analyse(&layers));
    hear(&mut app, id, Answer::Done { layers, analysis });
    assert_eq!(view(&app).list.rows[2].row.changes, Some([1, 1, 2]));
    assert!(!view(&app).reading());
}

#[test]
fn the_tree_marks_the_selected_layers_changes() {
    let mut app = app();
    read_all(&mut app);
    assert_eq!(
        tree(&app),
        [
            "+bin",
            "  +ash",
            "  +busybox",
            "  +sh",
            "+data",
            "  +old",
            "+etc",
            "  +conf",
        ]
    );
    select_layer(&mut app, 2);
    assert_eq!(
        tree(&app),
        [
            "-big",
            "bin",
            "  ash",
            "  busybox",
            "  sh",
            "odata",
            "  +new",
            "  -old",
            "etc",
            "  ~conf",
        ]
    );
    let v = view(&app);
    let files = v.tree.as_ref().expect("a tree");
    let node = |path: &str| files.nodes.iter().find(|n| n.path == path).expect(path);
    assert_eq!(node("/big").size, 10 * MB, "what the whiteout removed");
    assert_eq!(node("/bin").size, 4000, "a folder: the bytes under it");
    assert_eq!(node("/etc/conf").size, 400);
    let link = node("/bin/sh").entry.clone().expect("an entry");
    assert_eq!(link.kind, EntryKind::Symlink("busybox".into()));
    let analysis = v.analysis.as_ref().expect("done");
    assert_eq!(analysis.wasted, 10 * MB + 300 + 50);
    assert_eq!(analysis.waste[0].path, "/big");
}

#[test]
fn toggles_fold_sort_and_filter_the_tree() {
    let mut app = app();
    read_all(&mut app);
    select_layer(&mut app, 2);
    // Only the changes (and the folders they are in).
    keys(&mut app, "c");
    assert_eq!(
        tree(&app),
        ["-big", "odata", "  +new", "  -old", "etc", "  ~conf"]
    );
    keys(&mut app, "c");
    // Its own files: what its tar holds, and what it removed.
    keys(&mut app, "t");
    assert_eq!(
        tree(&app),
        ["-big", "odata", "  +new", "  -old", "etc", "  ~conf"]
    );
    keys(&mut app, "t");
    // Biggest first: /big's 10 MiB is removed, so /bin's 4000 bytes lead the tree.
    keys(&mut app, "s");
    let rows = tree(&app);
    assert_eq!(&rows[..2], ["-big", "bin"], "{rows:?}");
    assert_eq!(rows[2], "  busybox");
    keys(&mut app, "s");
    // Fold: to the files, onto /bin, Enter.
    key(&mut app, KeyCode::Tab);
    assert_eq!(view(&app).focus, Side::Files);
    key(&mut app, KeyCode::Down);
    assert_eq!(
        view(&app).selected_node().map(|n| n.path.as_str()),
        Some("/bin")
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(&tree(&app)[..3], ["-big", "bin", "odata"]);
    // A file does not fold.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let status = app.activity.status.clone().expect("refused");
    assert!(status.text.contains("not a folder"), "{}", status.text);
    // The filter finds under a folded folder too; Esc clears it, then closes.
    keys(&mut app, "/busy");
    key(&mut app, KeyCode::Enter);
    assert_eq!(tree(&app), ["bin", "  busybox"]);
    assert!(key(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(&tree(&app)[..3], ["-big", "bin", "odata"], "the fold stays");
    // The fold is kept from one layer to the next.
    key(&mut app, KeyCode::Tab);
    select_layer(&mut app, 0);
    assert_eq!(tree(&app)[0], "+bin");
    assert_eq!(tree(&app)[1], "+data");
}

#[test]
fn the_layers_list_sorts_and_filters_as_every_list() {
    let mut app = app();
    read_all(&mut app);
    // The rows come as `#` sorts them, so `>` steps to the size at once, biggest first:
    // the 10 MiB layer; `<` the other way round.
    keys(&mut app, ">");
    assert_eq!(shown(&app), [1, 0, 2]);
    keys(&mut app, "<");
    assert_eq!(shown(&app), [2, 0, 1]);
    keys(&mut app, "/head");
    key(&mut app, KeyCode::Enter);
    let shown = view(&app).list.shown(&[]);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].row.index, 1);
    assert_eq!(view(&app).selected(), Some(1));
    assert!(tree(&app).contains(&"+big".to_string()));
}

/// The layers listed, as shown: their indexes.
fn shown(app: &App) -> Vec<usize> {
    (view(app).list.shown(&[]).iter())
        .map(|r| r.row.index)
        .collect()
}

/// What the key put on the clipboard, and the status line after it.
fn copied(app: &mut App, c: char) -> (Vec<String>, String) {
    let effects = app.update(Event::Key(KeyEvent::from(KeyCode::Char(c))));
    let texts = (effects.local.into_iter())
        .filter_map(|l| match l {
            crate::app::effects::Local::Clipboard(t) => Some(t),
            _ => None,
        })
        .collect();
    let status = app.activity.status.clone().expect("a status");
    (texts, status.text)
}

#[test]
fn y_copies_a_layers_diff_id_and_shift_y_its_instruction() {
    let mut app = app();
    read_all(&mut app);
    select_layer(&mut app, 1);
    let layers = written();
    let (texts, status) = copied(&mut app, 'y');
    assert_eq!(texts, [layers[1].id.clone()]);
    assert!(status.contains("the diff id"), "{status}");
    let (texts, status) = copied(&mut app, 'Y');
    assert_eq!(texts, [layers[1].created_by.clone()]);
    assert!(status.contains("the instruction"), "{status}");
    // On the files, `y` is no key of theirs: it says so and copies nothing.
    key(&mut app, KeyCode::Tab);
    let (texts, status) = copied(&mut app, 'y');
    assert!(texts.is_empty(), "{texts:?}");
    assert!(
        status.contains("y does nothing in the layers view's files"),
        "it works on the layers: {status}"
    );
}

#[test]
fn space_marks_no_layer_but_opens_its_files_and_folds_a_folder_there() {
    let mut app = app();
    read_all(&mut app);
    select_layer(&mut app, 1);
    key(&mut app, KeyCode::Char(' '));
    let v = view(&app);
    assert!(v.list.marks.is_empty());
    // No verb acts on marked layers: Space goes to the layer's files, as Enter does.
    assert_eq!((v.focus, v.selected()), (Side::Files, Some(1)));
    key(&mut app, KeyCode::Down);
    assert_eq!(
        view(&app).selected_node().map(|n| n.path.as_str()),
        Some("/bin")
    );
    let open = tree(&app).len();
    key(&mut app, KeyCode::Char(' '));
    assert!(tree(&app).len() < open, "{:?}", tree(&app));
}

#[test]
fn esc_closes_and_stops_the_reading() {
    let mut app = app();
    let id = open(&mut app);
    assert_eq!(key(&mut app, KeyCode::Esc), [Command::StopStream(id)]);
    assert!(app.view.is_none());
    // A late answer finds no view and changes nothing.
    hear(&mut app, id, Answer::Heads(heads(&written())));
    assert!(app.view.is_none());
}

#[test]
fn an_error_shows_in_the_view_with_its_hint() {
    let mut app = app();
    let id = open(&mut app);
    let error = OpError {
        message: "No such image: layered:1".into(),
        hint: Some("pull it first"),
    };
    hear(&mut app, id, Answer::Failed(error.clone()));
    let v = view(&app);
    assert_eq!(v.list.room.error.as_ref(), Some(&error));
    assert!(!v.reading());
    assert!(v.tree.is_none());
}

#[test]
fn the_command_line_and_the_structure_view_open_it() {
    let mut app = app();
    app.update(Event::Key(KeyEvent::from(KeyCode::Char(':'))));
    keys(&mut app, "layers busybox:1");
    let commands = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(commands.as_slice(), [Command::Layers { source: Source::Local(i), .. }] if i == "busybox:1"),
        "{commands:?}"
    );
    key(&mut app, KeyCode::Esc);
    app.update(Event::Key(KeyEvent::from(KeyCode::Char(':'))));
    keys(&mut app, "layers --remote 127.0.0.1:5000/busybox:1");
    let commands = key(&mut app, KeyCode::Enter);
    let r = remote(&commands);
    assert_eq!(r.domain.as_deref(), Some("127.0.0.1:5000"));
    assert!(view(&app).remote);
}

#[test]
fn v_on_a_platform_in_the_structure_view_reads_it_from_the_registry() {
    use crate::docker::explore::{Node as ExploreNode, NodeKind, Tree};
    let mut app = app();
    let commands = key(&mut app, KeyCode::Enter);
    let Some(Command::Explore { id, .. }) = commands.first() else {
        panic!("{commands:?}");
    };
    let digest = format!("sha256:{}", "a".repeat(64));
    let node = |kind, label: &str, digest: Option<String>, children| ExploreNode {
        kind,
        label: label.into(),
        digest,
        size: None,
        details: vec![],
        children,
    };
    let manifest = node(
        NodeKind::Manifest,
        "linux/amd64",
        Some(digest.clone()),
        vec![],
    );
    let root = node(NodeKind::Index, "index", None, vec![manifest]);
    app.update(docker(DockerEvent::Explored {
        id: *id,
        result: Ok(Tree {
            reference: "layered:1".into(),
            root,
            notes: vec![],
        }),
    }));
    key(&mut app, KeyCode::Down);
    let commands = key(&mut app, KeyCode::Char('v'));
    let r = remote(&commands);
    assert_eq!(
        (r.digest.as_deref(), r.tag.as_deref()),
        (Some(digest.as_str()), None)
    );
    // Esc gives the structure view back.
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.view, Some(View::Tree(_))));
}

/// Help over the layers view lists the list keys its layers take (`>`, `y`, `Y`), and
/// Space and Esc once, as the view's own (fold, close), never as a list's mark.
#[test]
fn help_over_layers_lists_the_list_keys_it_takes_and_each_key_once() {
    let mut app = app();
    read_all(&mut app);
    let scopes = app.view.as_ref().map(View::help_scopes).unwrap_or_default();
    let help = app.keymap.sections_for(&scopes);
    let listed: Vec<(String, String)> = (help.iter().flat_map(|(_, b)| b))
        .flat_map(|b| b.keys.iter().map(|k| (k.label(), b.help.to_string())))
        .collect();
    let says = |key: &str| -> Vec<&str> {
        (listed.iter())
            .filter(|(k, _)| k == key)
            .map(|(_, help)| help.as_str())
            .collect()
    };
    for key in [">", "<", "y", "Y", "/"] {
        assert_eq!(says(key).len(), 1, "{key}: {listed:?}");
    }
    assert_eq!(says("Space"), ["fold / unfold a folder"]);
    assert_eq!(says("Esc"), ["clear the filter / close"]);
}

/// The layers are a list as any for the mouse too: a click on a header sorts by it (again:
/// the other way round), a click on a row selects that layer, and the layers' side takes
/// the keys then.
#[test]
fn a_click_on_the_layers_header_sorts_and_on_a_row_selects() {
    let mut app = app();
    read_all(&mut app);
    key(&mut app, KeyCode::Tab);
    assert_eq!(view(&app).focus, Side::Files);
    let [_, layers, _, _] = crate::layout::layers_view(app.areas().view, WASTE_LINES);
    let list: &dyn ListView = &view(&app).list;
    let columns = app.list_columns(&list.shown_lines(&[]));
    // The SIZE header: the kind's column 1, after the HOST column (never shown here).
    let x = (layers.x..layers.right())
        .find(|&x| crate::layout::table::header_index(&columns, layers, x) == Some(2))
        .expect("SIZE drawn");
    click(&mut app, x, layers.y + 1);
    assert_eq!(shown(&app), [1, 0, 2], "biggest first");
    assert_eq!(view(&app).focus, Side::Layers);
    click(&mut app, x, layers.y + 1);
    assert_eq!(shown(&app), [2, 0, 1], "the other way round");
    // The third row drawn: layer 1.
    click(&mut app, layers.x + 2, layers.y + 4);
    assert_eq!(view(&app).selected(), Some(1));
    assert!(tree(&app).contains(&"+big".to_string()), "{:?}", tree(&app));
}
