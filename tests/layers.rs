//! The layers point one way: the Docker layer and the terminal emulator never reach up into
//! the app, its drawing or the config, and the small shared modules reach into nothing
//! above them. Read from the sources, so a new `crate::…` path that breaks this fails here.

use std::path::{Path, PathBuf};

/// The crate's top modules no layer below the app may name: the app, its drawing, the
/// config, the event loop and the commands above them.
const ABOVE: &[&str] = &[
    "app",
    "ui",
    "config",
    "local",
    "forwards",
    "run",
    "cli",
    "layers_report",
    "alerts",
];

/// The files of each layer, and what each may not name besides [`ABOVE`].
const RULES: &[(&str, &[&str])] = &[
    // Everything that talks to the Engine API, a registry or a local process.
    ("src/docker", &["pty"]),
    // The emulator pane: fed by the Docker layer, drawn by the UI.
    ("src/pty", &[]),
    // The shared pieces every layer uses.
    ("src/format.rs", BASE),
    ("src/paths.rs", BASE),
    ("src/reference.rs", BASE),
    ("src/run_spec.rs", BASE),
    ("src/build_spec.rs", BASE),
    ("src/custom.rs", BASE),
    ("src/logging.rs", BASE),
    ("src/layout", BASE),
];

/// The app's state and `update`: it may name the config and what sits beside it, never its
/// drawing (the mouse finds headers and tabs with `layout`) nor the event loop above it.
const APP: (&str, &[&str]) = ("src/app", &["ui", "run", "cli"]);

/// The app's own tests draw the screen to click where a person would: they may name `ui`.
const APP_TESTS: &str = "src/app/tests";

const BASE: &[&str] = &["pty", "docker"];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .expect("read a source folder")
            .map(|e| e.expect("a folder entry").path())
            .collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// The top modules a file names: `crate::x`, and each `x` of `use crate::{x, y::z}`.
fn named_modules(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inside = group.split('}').next().unwrap_or_default();
                for item in inside.split(',') {
                    let name = item.trim().split("::").next().unwrap_or_default();
                    found.push((number + 1, name.to_string()));
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                found.push((number + 1, name));
            }
        }
    }
    found
}

#[test]
fn lower_layers_never_name_higher_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    let mut files_read = 0;
    for (layer, forbidden) in RULES {
        let (read, found) = names_in(root, layer, |m| {
            ABOVE.contains(&m) || forbidden.contains(&m)
        });
        files_read += read;
        broken.extend(found);
    }
    assert!(files_read > 40, "only {files_read} files read");
    let (layer, forbidden) = APP;
    let (read, found) = names_in(root, layer, |m| forbidden.contains(&m));
    assert!(read > 40, "only {read} files of the app read");
    let tests = root.join(APP_TESTS);
    broken.extend(
        found
            .into_iter()
            .filter(|(file, _)| !file.starts_with(&tests)),
    );
    let broken: Vec<String> = (broken.into_iter())
        .map(|(file, what)| {
            let shown = file.strip_prefix(root).unwrap_or(&file).display();
            format!("{shown}:{what}")
        })
        .collect();
    assert!(
        broken.is_empty(),
        "a lower layer names a higher one:\n{}",
        broken.join("\n")
    );
}

/// The files read under `layer`, and each place one names a module `forbidden` says no to
/// (the file, and "line names crate::module").
fn names_in(
    root: &Path,
    layer: &str,
    forbidden: impl Fn(&str) -> bool,
) -> (usize, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    rust_files(&root.join(layer), &mut files);
    assert!(
        !files.is_empty(),
        "{layer} has no sources: the rule names a layer that moved"
    );
    let mut found = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("read a source file");
        for (line, module) in named_modules(&source) {
            if forbidden(&module) {
                found.push((file.clone(), format!("{line} names crate::{module}")));
            }
        }
    }
    (files.len(), found)
}

#[test]
fn the_check_sees_both_forms_of_a_path() {
    let found = named_modules(
        "use crate::{format::cut, app::App};\nlet x = crate::ui::draw(); // crate::pty",
    );
    let names: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(names, ["format", "app", "ui"]);
}
