//! The config fixtures: every file under `tests/configs/valid` parses without a problem,
//! and every file under `tests/configs/invalid` has exactly the problems its
//! `# expect LINE:COLUMN words` comments name. `dockpit config check` reports the same.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/configs")
        .join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "fixtures in {}", dir.display());
    files
}

fn text(path: &Path) -> String {
    dockpit::config::read(path)
        .expect("readable")
        .expect("present")
}

#[test]
fn valid_configs_have_no_problem() {
    for path in fixtures("valid") {
        let parsed = dockpit::config::parse(&text(&path));
        assert!(
            parsed.problems.is_empty(),
            "{}: {:?}",
            path.display(),
            parsed.problems
        );
    }
}

#[test]
fn the_full_valid_config_applies_every_section() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs/valid/full.toml");
    let config = dockpit::config::parse(&text(&path)).config;
    assert_eq!(
        config.keymap.key_for(dockpit::app::PaneAction::Stop.into()),
        "Z"
    );
    assert_eq!(
        config.theme.accent,
        ratatui::style::Color::Rgb(0, 0x88, 0xff)
    );
    assert_eq!(config.defaults.log_lines, Some(2000));
    assert_eq!(config.aliases.get("img"), Some("images"));
    let alerts = &config.alerts;
    assert!(alerts.bell && !alerts.notify);
    assert!(alerts.rules["signal"].off);
    let exited = &alerts.rules["exited"];
    assert_eq!(exited.hook, ["notify-send", "dockpit", "{name}"]);
    assert_eq!(
        Some(&exited.pattern),
        dockpit::alerts::Pattern::parse("@prod label:tier=web")
            .ok()
            .as_ref()
    );
}

#[test]
fn invalid_configs_have_exactly_the_expected_problems() {
    for path in fixtures("invalid") {
        let text = text(&path);
        let expected: Vec<(usize, usize, String)> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect "))
            .map(|rest| {
                let (at, words) = rest.split_once(' ').unwrap_or((rest, ""));
                let (line, column) = at.split_once(':').expect("LINE:COLUMN");
                (
                    line.parse().expect("line"),
                    column.parse().expect("column"),
                    words.to_string(),
                )
            })
            .collect();
        assert!(!expected.is_empty(), "{} expects something", path.display());
        let problems = dockpit::config::parse(&text).problems;
        assert_eq!(
            problems.len(),
            expected.len(),
            "{}: {problems:#?}",
            path.display()
        );
        for (p, (line, column, words)) in problems.iter().zip(&expected) {
            assert_eq!(
                (p.line, p.column),
                (*line, *column),
                "{}: {p:?}",
                path.display()
            );
            assert!(
                p.message.contains(words.as_str()),
                "{}: {:?} does not say {words:?}",
                path.display(),
                p.message
            );
        }
    }
}

fn check(path: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dockpit"))
        .args(["config", "check"])
        .arg(path)
        .output()
        .expect("run dockpit");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn config_check_prints_file_line_and_exits_non_zero() {
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs/valid/full.toml");
    let (code, out) = check(&valid);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("full.toml: ok"), "{out}");

    let invalid = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs/invalid/conflict.toml");
    let (code, out) = check(&invalid);
    assert_eq!(code, 1, "{out}");
    let first = format!("{}:5:1: Z is bound to both", invalid.display());
    assert!(out.contains(&first), "{out}");
    assert!(
        out.contains("that binding is left out; the others apply"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 2, "{out}");

    let (code, _) = check(Path::new("/nonexistent/dockpit.toml"));
    assert_eq!(code, 2);
}

#[test]
fn config_default_prints_the_shipped_file_and_it_checks_clean() {
    let out = Command::new(env!("CARGO_BIN_EXE_dockpit"))
        .args(["config", "default"])
        .output()
        .expect("run dockpit");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert_eq!(text, dockpit::config::DEFAULT);
    assert!(text.contains("#stop = \"x\""));
    let path = std::env::temp_dir().join(format!("dockpit-default-{}.toml", std::process::id()));
    std::fs::write(&path, &text).expect("write");
    let (code, out) = check(&path);
    std::fs::remove_file(&path).expect("cleanup");
    assert_eq!(code, 0, "{out}");
}

/// A FIFO as the config file: `config check` answers at once that it is not a regular file
/// (it used to open it first, blocking until a writer came).
#[test]
fn a_fifo_config_is_refused_at_once_by_config_check() {
    let dir = std::env::temp_dir().join(format!("dockpit-config-fifo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let fifo = dir.join("config.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockpit"))
        .args(["config", "check"])
        .arg(&fifo)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run dockpit");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if started.elapsed() > std::time::Duration::from_secs(5) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let _ = std::fs::remove_dir_all(&dir);
    let status = status.expect("config check hung on a FIFO");
    assert_eq!(status.code(), Some(2));
    let mut err = String::new();
    use std::io::Read;
    if let Some(mut stderr) = child.stderr.take() {
        stderr.read_to_string(&mut err).expect("stderr");
    }
    assert!(err.contains("not a regular file"), "{err}");
}
