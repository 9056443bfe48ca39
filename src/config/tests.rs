use super::*;
use crate::app::Pane;
use crate::app::keymap::{Action, PaneAction};
use crate::app::lists::Sort;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn press(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn only_problem(text: &str) -> Problem {
    let parsed = parse(text);
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    parsed.problems[0].clone()
}

/// The `[keys]` part of the shipped default: every scope and action with its keys.
fn keys_section(keymap: &Keymap) -> String {
    let mut out = String::new();
    for scope in Scope::ALL {
        out.push_str(&format!("\n#[keys.{}]\n", scope.name()));
        for b in keymap.bindings.iter().filter(|b| b.scope == scope) {
            let keys: Vec<String> = b.keys.iter().map(|k| format!("{:?}", k.label())).collect();
            let value = match keys.as_slice() {
                [one] => one.clone(),
                _ => format!("[{}]", keys.join(", ")),
            };
            let line = format!("#{} = {value}", b.action.name());
            out.push_str(&format!("{line:<35} # {}\n", b.help));
        }
    }
    out
}

/// The default with every setting line (`#name = …`, `#[section]`) uncommented.
fn uncommented(text: &str) -> String {
    text.lines()
        .map(|l| match l.strip_prefix('#') {
            Some(rest) if !rest.starts_with([' ', '#']) && !rest.is_empty() => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_shipped_default_lists_every_key_of_the_keymap() {
    let expected = keys_section(&Keymap::default());
    assert!(
        DEFAULT.contains(&expected),
        "assets/config.toml's keys are out of date; its [keys] part is:\n{expected}"
    );
}

#[test]
fn the_shipped_default_spaces_its_comments_and_sections() {
    let lines: Vec<&str> = DEFAULT.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        // A setting line (`#name = value  # what`): its comment starts after a space.
        if let Some(setting) = line
            .strip_prefix('#')
            .filter(|l| !l.starts_with([' ', '#']))
            && let Some(at) = setting.find('#')
        {
            assert!(setting[..at].ends_with(' '), "line {}: {line}", i + 1);
        }
        // A section (or the comment heading it) follows a blank line.
        if line.starts_with("#[") {
            let mut top = i;
            while top > 0 && lines[top - 1].starts_with("# ") {
                top -= 1;
            }
            assert!(
                top == 0 || lines[top - 1].is_empty(),
                "line {}: {line}",
                i + 1
            );
        }
    }
}

#[test]
fn the_shipped_default_uncommented_is_the_defaults() {
    let parsed = parse(DEFAULT);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let text = uncommented(DEFAULT);
    assert_ne!(text, DEFAULT, "it has settings to uncomment");
    let parsed = parse(&text);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let c = parsed.config;
    let default = Keymap::default();
    assert_eq!(c.keymap.bindings.len(), default.bindings.len());
    for (a, b) in c.keymap.bindings.iter().zip(&default.bindings) {
        assert_eq!((a.scope, a.action, &a.keys), (b.scope, b.action, &b.keys));
    }
    assert_eq!(c.theme, Theme::dark());
    let d = c.defaults;
    assert_eq!(d.interval, Some(Duration::from_secs(2)));
    assert_eq!(d.usage, Some(false));
    assert_eq!(d.stop_timeout, Some(crate::app::actions::STOP_TIMEOUT));
    assert_eq!(d.log_lines, Some(crate::app::logs::CAPACITY));
    assert_eq!(d.log_bytes, Some(crate::app::logs::BYTE_BUDGET));
    assert_eq!(d.prefix, Key::parse_ctrl("ctrl-]").ok());
    assert_eq!(d.shell, None, "commented out: dockpit picks bash or sh");
    assert_eq!(c.aliases.get("ps"), Some("containers"));
    assert_eq!(
        c.top_budget,
        Some(crate::app::top::schedule::DEFAULT_BUDGET)
    );
    assert_eq!(
        c.update_interval,
        Some(Some(crate::app::updates::DEFAULT_INTERVAL))
    );
    assert_eq!(d.all, Some(true));
    assert_eq!(d.group, Some(true));
    assert_eq!(d.containers_sort, Some(Sort::default_for(Pane::Containers)));
    assert_eq!(d.images_sort, Some(Sort::default_for(Pane::Images)));
    assert_eq!(
        (d.containers_filter.as_deref(), d.images_filter.as_deref()),
        (Some(""), Some(""))
    );
    let rules = [("exited", crate::alerts::Rule::default())].into();
    assert_eq!(
        c.alerts,
        crate::app::alerts::Options {
            rules,
            ..Default::default()
        }
    );
    assert!(
        c.commands.is_empty(),
        "the examples are not commands until written"
    );
}

#[test]
fn the_shipped_command_examples_parse() {
    let (_, part) = DEFAULT
        .split_once("# Your own commands")
        .expect("the commands part");
    let examples: String = part
        .lines()
        .filter_map(|l| l.strip_prefix("##"))
        .map(|l| format!("{}\n", l.strip_prefix(' ').unwrap_or(l)))
        .collect();
    let parsed = parse(&examples);
    assert!(
        parsed.problems.is_empty(),
        "{:?}\n{examples}",
        parsed.problems
    );
    let names: Vec<_> = parsed
        .config
        .commands
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["processes", "layers"]);
}

#[test]
fn lists_start_sorted_and_filtered_as_the_config_says() {
    let d = parse(
        "[defaults]\ncontainers-sort = \"-created\"\nimages-sort = \"Size\"\ncontainers-filter = \" web \"\nall = false\ngroup = false\n",
    )
    .config
    .defaults;
    assert_eq!(
        d.containers_sort,
        Some(Sort {
            by: crate::app::lists::SortBy::Created,
            descending: false
        })
    );
    assert_eq!(
        d.images_sort,
        Some(Sort {
            by: crate::app::lists::SortBy::Size,
            descending: true
        })
    );
    assert_eq!(d.containers_filter.as_deref(), Some("web"));
    assert_eq!(d.all, Some(false));
    assert_eq!(d.group, Some(false));
    let p = only_problem("[defaults]\nimages-sort = \"state\"\n");
    assert_eq!(
        (p.line, p.message.as_str()),
        (
            2,
            "\"state\" is not a column to sort by: created, name, size (a leading - reverses)"
        )
    );
    let p = only_problem("[defaults]\ncontainers-filter = \"a\\nb\"\n");
    assert_eq!(p.message, "a filter is text on one line, as typed after /");
}

#[test]
fn keys_are_rebound_added_and_unbound() {
    let parsed = parse(
        r#"
[keys.containers]
stop = "Z"
remove = ["d", "ctrl-x", "Delete"]
start = ""
[keys.global]
quit = []
down = ["j", "down", "ctrl-n"]
[keys.logs]
close = "escape"
"#,
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let km = parsed.config.keymap;
    assert_eq!(
        km.pane(&press('Z'), Pane::Containers),
        Some(PaneAction::Stop)
    );
    assert_eq!(
        km.pane(&press('x'), Pane::Containers),
        None,
        "x is free now"
    );
    assert_eq!(
        km.pane(&press('s'), Pane::Containers),
        None,
        "start unbound"
    );
    assert_eq!(km.pane(&press('q'), Pane::Images), None, "quit unbound");
    let ctrl_x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL);
    assert_eq!(km.pane(&ctrl_x, Pane::Containers), Some(PaneAction::Remove));
    let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
    assert!(km.nav(&ctrl_n).is_some());
    // Help, footer and messages follow.
    assert_eq!(km.key_for(Action::Pane(PaneAction::Stop)), "Z");
    assert_eq!(km.fill("stop it ({stop})"), "stop it (Z)");
    assert!(
        km.footer(Pane::Containers, |_| false)
            .iter()
            .any(|(k, h)| k == "Z" && *h == "stop")
    );
    assert!(
        !km.footer(Pane::Containers, |_| false)
            .iter()
            .any(|(_, h)| *h == "start"),
        "an unbound action is not advertised"
    );
    let help: Vec<_> = km
        .sections()
        .into_iter()
        .flat_map(|(_, rows)| rows)
        .collect();
    assert!(help.iter().any(|b| b.keys_label() == "d/Ctrl-X/Delete"));
}

#[test]
fn an_unknown_action_and_scope_name_the_line_and_keep_the_valid_bindings() {
    let p = only_problem("[keys.containers]\n\nstpo = \"Z\"\n");
    assert_eq!((p.line, p.column), (3, 1));
    assert!(
        p.message.contains("unknown action \"stpo\""),
        "{}",
        p.message
    );
    assert!(
        p.message.contains("did you mean stop?"),
        "names the action meant: {}",
        p.message
    );
    let p = only_problem("[keys.containers]\nhalt = \"Z\"\n");
    assert!(
        p.message.contains("its actions are start, stop,"),
        "lists the actions: {}",
        p.message
    );
    assert_eq!(p.fallback, BINDING_FALLBACK);
    let parsed = parse("[keys.containers]\nstop = \"Z\"\nstpo = \"Y\"\n");
    assert_eq!(
        parsed.config.keymap.pane(&press('Z'), Pane::Containers),
        Some(PaneAction::Stop),
        "one bad binding keeps the good one"
    );
    assert_eq!(
        parsed.config.keymap.pane(&press('x'), Pane::Containers),
        None
    );
    let p = only_problem("[keys.container]\nstop = \"Z\"\n");
    assert_eq!((p.line, p.column), (1, 7));
    assert!(p.message.contains("unknown scope [keys.container]"));
}

#[test]
fn a_conflicting_binding_is_an_error_at_the_later_line() {
    let p = only_problem("[keys.containers]\nstop = \"Z\"\nstart = \"Z\"\n");
    assert_eq!(p.line, 3, "{p:?}");
    assert!(p.message.contains("Z is bound to both"), "{}", p.message);
    assert!(p.message.contains("start") && p.message.contains("stop"));
    // Against a default key of the same scope, and against a global key.
    let p = only_problem("[keys.containers]\nstop = \"s\"\n");
    assert_eq!(p.line, 2);
    let p = only_problem("[keys.containers]\nstop = \"q\"\n");
    assert!(p.message.contains("[keys.global] quit"), "{}", p.message);
    // Moving the other one away first is fine.
    assert!(
        parse("[keys.containers]\nstop = \"s\"\nstart = \"S\"\nstats = \"Z\"\n")
            .problems
            .is_empty()
    );
}

#[test]
fn each_bad_binding_is_named_and_every_valid_one_applies() {
    let parsed = parse(
        "[keys.containers]\nstop = \"Z\"\nstpo = \"Y\"\nlogs = \"F13\"\nstart = \"N\"\nkill = \"Z\"\n[keys.global]\nquit = [\"Q\", 3]\nhelp = \"ctrl-g\"\n",
    );
    let lines: Vec<_> = parsed.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [3, 4, 6, 8], "{:?}", parsed.problems);
    assert!(
        parsed
            .problems
            .iter()
            .all(|p| p.fallback == BINDING_FALLBACK),
        "{:?}",
        parsed.problems
    );
    let km = &parsed.config.keymap;
    assert_eq!(
        km.pane(&press('Z'), Pane::Containers),
        Some(PaneAction::Stop)
    );
    assert_eq!(
        km.pane(&press('N'), Pane::Containers),
        Some(PaneAction::Start)
    );
    assert_eq!(
        km.pane(&press('K'), Pane::Containers),
        Some(PaneAction::Kill),
        "the clashing line is left out: kill keeps its key"
    );
    assert_eq!(
        km.pane(&press('l'), Pane::Containers),
        Some(PaneAction::Logs)
    );
    assert_eq!(
        km.key_for(Action::Pane(PaneAction::Quit)),
        "q",
        "the bad list is left out"
    );
    assert_eq!(km.key_for(Action::Pane(PaneAction::Help)), "Ctrl-G");
}

#[test]
fn bad_keys_are_errors() {
    for (text, needle) in [
        ("[keys.global]\nquit = \"nope\"\n", "is not a key"),
        ("[keys.global]\nquit = 3\n", "not a integer"),
        ("[keys.global]\nquit = [\"q\", 3]\n", "non-empty string"),
        ("[keys.global]\nquit = \"Shift-q\"\n", "shifted character"),
        (
            "[keys.terminal]\nprefix = \"a\"\n",
            "from the program in the container",
        ),
        ("[keys]\nquit = \"q\"\n", "unknown scope [keys.quit]"),
        ("[keys.global]\n\"quit\" = { a = 1 }\n", "not a table"),
    ] {
        let p = only_problem(text);
        assert_eq!(p.line, 2, "{text}");
        assert!(p.message.contains(needle), "{text}: {}", p.message);
    }
}

#[test]
fn theme_presets_and_roles() {
    let parsed = parse(
        "[theme]\npreset = \"light\"\naccent = \"#ff8800\"\nrunning = 34\nborder = \"dark-gray\"\n",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let t = parsed.config.theme;
    assert_eq!(t.accent, Color::Rgb(0xff, 0x88, 0x00));
    assert_eq!(t.running, Color::Indexed(34));
    assert_eq!(t.border, Color::DarkGray);
    assert_eq!(t.table_header, Theme::light().table_header, "the preset's");
    let t = parse("[theme]\npreset = \"high-contrast\"\n").config.theme;
    assert_eq!(t, Theme::high_contrast());
}

#[test]
fn a_bad_colour_keeps_the_themes_own_and_the_rest_applies() {
    let parsed =
        parse("[theme]\naccent = \"#12345\"\nerror = \"blue\"\n[defaults]\nusage = true\n");
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    let p = &parsed.problems[0];
    assert_eq!((p.line, p.column), (2, 10));
    assert!(
        p.message.contains("\"#12345\" is not a colour"),
        "{}",
        p.message
    );
    assert_eq!(parsed.config.theme.accent, Theme::dark().accent);
    assert_eq!(parsed.config.theme.error, Color::Blue);
    assert_eq!(parsed.config.defaults.usage, Some(true));
    for bad in ["\"octarine\"", "256", "-1", "true", "\"\""] {
        let p = only_problem(&format!("[theme]\nstderr = {bad}\n"));
        assert!(p.message.contains("colour"), "{bad}: {}", p.message);
    }
    let p = only_problem("[theme]\npreset = \"solarized\"\n");
    assert!(p.message.contains("dark, light, high-contrast"));
    let p = only_problem("[theme]\nacent = \"red\"\n");
    assert!(p.message.contains("unknown colour role \"acent\""));
}

#[test]
fn defaults_each_stand_alone() {
    let parsed = parse(
        r#"[defaults]
interval = 5
usage = true
stop-timeout = 3
log-lines = 500
log-bytes = "1MiB"
prefix = "ctrl-a"
shell = "/bin/zsh -l"
mouse = false
"#,
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let d = parsed.config.defaults;
    assert_eq!(d.interval, Some(Duration::from_secs(5)));
    assert_eq!(d.usage, Some(true));
    assert_eq!(d.stop_timeout, Some(3));
    assert_eq!(d.log_lines, Some(500));
    assert_eq!(d.log_bytes, Some(1 << 20));
    assert_eq!(d.prefix, Key::parse_ctrl("ctrl-a").ok());
    assert_eq!(d.mouse, Some(false));
    assert_eq!(
        d.shell,
        Some(vec!["/bin/zsh".to_string(), "-l".to_string()])
    );
    let d = parse("[defaults]\ninterval = 0.5\nshell = [\"/bin/sh\"]\nlog-bytes = 1048576\n")
        .config
        .defaults;
    assert_eq!(d.interval, Some(Duration::from_millis(500)));
    assert_eq!(d.shell, Some(vec!["/bin/sh".to_string()]));
    assert_eq!(d.log_bytes, Some(1 << 20));

    let parsed = parse(
        "[defaults]\ninterval = 0\nusage = \"yes\"\nlog-lines = 100\nprefix = \"ctrl-c\"\nshell = \"\"\ncolour = 1\n",
    );
    let lines: Vec<_> = parsed.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 3, 5, 6, 7], "{:?}", parsed.problems);
    assert!(parsed.problems[2].message.contains("needed by programs"));
    assert!(
        parsed.problems[4]
            .message
            .contains("unknown setting \"colour\"")
    );
    assert_eq!(parsed.config.defaults.interval, None, "its default");
    assert_eq!(
        parsed.config.defaults.log_lines,
        Some(100),
        "the rest applies"
    );
}

#[test]
fn aliases_are_kept_and_checked() {
    let parsed = parse(
        "[aliases]\nps = \"containers\"\nweb = \"containers /web\"\n\"bad name\" = \"images\"\nempty = \"\"\n",
    );
    let a = &parsed.config.aliases;
    assert_eq!(a.get("ps"), Some("containers"));
    assert_eq!(a.get("web"), Some("containers /web"));
    assert_eq!(a.get("empty"), None);
    assert_eq!(a.iter().count(), 2);
    let lines: Vec<_> = parsed.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [4, 5]);
}

#[test]
fn syntax_errors_and_unknown_sections_name_their_place() {
    let parsed = parse("[defaults]\nusage = true\ninterval = = 3\n");
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    assert_eq!(parsed.problems[0].line, 3);
    assert_eq!(parsed.problems[0].fallback, WHOLE_FALLBACK);
    assert_eq!(
        parsed.config.defaults,
        Defaults::default(),
        "nothing applies"
    );
    let p = only_problem("\n[keyz]\n");
    assert_eq!((p.line, p.column), (2, 2));
    assert!(p.message.contains("unknown section \"keyz\""));
    let p = only_problem("a = 1\n");
    assert_eq!(p.line, 1);
    // A multi-byte character before the error: the column counts characters.
    let p = only_problem("[theme]\n\"é\" = 1\n");
    assert_eq!((p.line, p.column), (2, 1));
    let p = only_problem("[theme] # é\nerror = \"é\"\n");
    assert_eq!((p.line, p.column), (2, 9));
}

#[test]
fn the_status_line_summary_names_file_line_and_fallback() {
    let parsed = parse("[keys.containers]\nstpo = \"Z\"\n[theme]\naccent = \"x\"\n");
    let text = summary(Path::new("/c/config.toml"), &parsed.problems).expect("problems");
    assert!(
        text.starts_with("config /c/config.toml:2: unknown action \"stpo\""),
        "{text}"
    );
    assert!(
        text.contains(
            "that binding is left out; the others apply; 1 more problem (dockpit config check)"
        ),
        "{text}"
    );
    assert_eq!(summary(Path::new("x"), &[]), None);
}

#[test]
fn reading_is_bounded_and_a_missing_file_is_none() {
    let dir = std::env::temp_dir().join(format!("dockpit-config-read-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    assert_eq!(read(&dir.join("none.toml")), Ok(None));
    assert!(
        read(&dir)
            .expect_err("a folder")
            .contains("not a regular file")
    );
    let big = dir.join("big.toml");
    std::fs::write(&big, vec![b'#'; MAX_BYTES as usize + 1]).expect("write");
    assert!(
        read(&big)
            .expect_err("too big")
            .contains("larger than 1024 kB")
    );
    let bin = dir.join("bin.toml");
    std::fs::write(&bin, [0xff, 0xfe]).expect("write");
    assert!(read(&bin).expect_err("binary").contains("not UTF-8"));
    let ok = dir.join("ok.toml");
    std::fs::write(&ok, "[theme]\n").expect("write");
    assert_eq!(read(&ok), Ok(Some("[theme]\n".to_string())));
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn keys_from_the_config_are_read_loosely() {
    for (text, label) in [
        ("ctrl-r", "Ctrl-R"),
        ("C-r", "Ctrl-R"),
        ("Ctrl-R", "Ctrl-R"),
        ("pagedown", "PgDn"),
        ("PgUp", "PgUp"),
        ("escape", "Esc"),
        ("shift-tab", "Shift-Tab"),
        ("Shift-PgUp", "Shift-PgUp"),
        ("space", "Space"),
        ("X", "X"),
        ("↓", "↓"),
    ] {
        assert_eq!(
            Key::from_config(text).map(|k| k.label()),
            Ok(label.into()),
            "{text}"
        );
    }
    assert!(Key::from_config("ctrl-").is_err());
    assert!(Key::from_config("F13").is_err());
}

#[test]
fn the_file_is_under_xdg_config_home_else_dot_config() {
    let home = Some(PathBuf::from("/home/u"));
    assert_eq!(
        path_from(Some("/x/conf".into()), home.clone()),
        Some(PathBuf::from("/x/conf/dockpit/config.toml"))
    );
    assert_eq!(
        path_from(Some("relative".into()), home.clone()),
        Some(PathBuf::from("/home/u/.config/dockpit/config.toml"))
    );
    assert_eq!(
        path_from(None, home),
        Some(PathBuf::from("/home/u/.config/dockpit/config.toml"))
    );
    assert_eq!(path_from(None, None), None);
}

#[test]
fn a_command_is_bound_in_its_pane_and_listed_under_its_own_heading() {
    let parsed = parse(
        r#"
[[commands]]
name = "top"
key = "Z"
command = "docker top {id}"
run = "background"
changes = false

[[commands]]
name = "history"
key = "N"
scope = "images"
command = "docker history {name}"
confirm = true
"#,
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let config = parsed.config;
    assert_eq!(config.commands.len(), 2);
    let top = &config.commands[0];
    assert_eq!(
        (top.scope, top.run, top.confirm, top.changes),
        (Pane::Containers, RunIn::Background, false, false)
    );
    assert_eq!(top.command, ["docker", "top", "{id}"]);
    let history = &config.commands[1];
    assert_eq!(
        (history.scope, history.run, history.confirm),
        (Pane::Images, RunIn::Tab, true)
    );
    let upper = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT);
    assert_eq!(
        config.keymap.pane(&upper('Z'), Pane::Containers),
        Some(PaneAction::Custom(0))
    );
    assert_eq!(
        config.keymap.pane(&upper('N'), Pane::Images),
        Some(PaneAction::Custom(1))
    );
    // Each in its own pane only.
    assert_eq!(config.keymap.pane(&upper('Z'), Pane::Images), None);
    let sections = config.keymap.sections();
    let titles: Vec<_> = sections.iter().map(|(t, _)| *t).collect();
    assert!(titles.ends_with(&[
        "Your commands: images pane",
        "Your commands: containers pane"
    ]));
    let (_, rows) = &sections[sections.len() - 1];
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].help, "top");
    // Not among the pane's own actions: `[keys]` cannot rebind it by a name.
    assert!(
        !config
            .keymap
            .action_names(Scope::Pane(Pane::Containers))
            .contains(&"command")
    );
}

#[test]
fn a_bad_command_is_skipped_with_its_line_and_the_rest_apply() {
    let p = only_problem(
        "[[commands]]\nname = \"x\"\nkey = \"Z\"\ncommand = \"true\"\nrun = \"later\"\n",
    );
    assert_eq!(
        (p.line, p.message.as_str()),
        (5, "run is \"tab\" or \"background\"")
    );
    let p = only_problem("[[commands]]\nname = \"x\"\nkey = \"Z\"\n");
    assert_eq!(
        (p.line, p.message.as_str()),
        (1, "a command needs a command")
    );
    let p = only_problem("[[commands]]\nname = \"x\"\nkey = \"Z\"\ncommand = \"true\"\nwhen = 1\n");
    assert_eq!(p.line, 5);
    assert!(
        p.message.starts_with("unknown field \"when\""),
        "{}",
        p.message
    );
    let p = only_problem("[[commands]]\nname = \"x\"\nkey = \"Z\"\ncommand = \"sh -c 'oops\"\n");
    assert_eq!(p.line, 4);
    let p = only_problem("[commands]\nname = \"x\"\n");
    assert!(p.message.contains("[[commands]]"), "{}", p.message);
    // The good one after a bad one still applies.
    let parsed = parse(
        "[[commands]]\nname = \"bad\"\nkey = \"Z\"\ncommand = \"x\"\nconfirm = \"yes\"\n\n[[commands]]\nname = \"good\"\nkey = \"Z\"\ncommand = \"true\"\n",
    );
    assert_eq!(parsed.problems.len(), 1);
    assert_eq!(parsed.problems[0].line, 5);
    assert_eq!(parsed.config.commands.len(), 1);
    assert_eq!(parsed.config.commands[0].name, "good");
    assert_eq!(
        parsed.config.keymap.pane(
            &KeyEvent::new(KeyCode::Char('Z'), KeyModifiers::SHIFT),
            Pane::Containers
        ),
        Some(PaneAction::Custom(0))
    );
}

#[test]
fn a_placeholder_in_a_shell_script_is_refused_pointing_to_its_variable() {
    let p = only_problem(
        "[[commands]]\nname = \"x\"\nkey = \"Z\"\ncommand = \"sh -c 'echo {name}'\"\n",
    );
    assert_eq!(p.line, 4);
    assert!(p.message.contains("\"$DOCKPIT_NAME\""), "{}", p.message);
    for line in [
        "/bin/bash -lc 'docker logs {id}'",
        "bash -e -c 'x={image}'",
        "zsh -c '{host}'",
    ] {
        let p = only_problem(&format!(
            "[[commands]]\nname = \"x\"\nkey = \"Z\"\ncommand = \"{line}\"\n"
        ));
        assert!(p.message.contains("sh -c"), "{line}: {}", p.message);
    }
    // A value as the script's argument, or outside any shell, stays a word of its own.
    for line in [
        "sh -c 'echo \\\"$1\\\"' sh {name}",
        "sh -c 'echo \\\"$DOCKPIT_NAME\\\"'",
        "docker logs {id}",
    ] {
        let parsed = parse(&format!(
            "[[commands]]\nname = \"x\"\nkey = \"Z\"\ncommand = \"{line}\"\n"
        ));
        assert!(parsed.problems.is_empty(), "{line}: {:?}", parsed.problems);
    }
}

#[test]
fn a_command_on_a_key_already_bound_is_refused_naming_both() {
    // `x` stops in the containers pane; `?` is help everywhere.
    let p = only_problem("[[commands]]\nname = \"mine\"\nkey = \"x\"\ncommand = \"true\"\n");
    assert_eq!(p.line, 3);
    assert_eq!(
        p.message,
        "command \"mine\": x is already [keys.containers] stop"
    );
    let p = only_problem(
        "[[commands]]\nname = \"mine\"\nkey = \"?\"\nscope = \"images\"\ncommand = \"true\"\n",
    );
    assert_eq!(
        p.message,
        "command \"mine\": ? is already [keys.global] help"
    );
    // Freed by [keys] (wherever that section is written), the key is the command's.
    let parsed = parse(
        "[[commands]]\nname = \"mine\"\nkey = \"x\"\ncommand = \"true\"\n\n[keys.containers]\nstop = \"Ctrl-X\"\n",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(
        parsed.config.keymap.pane(&press('x'), Pane::Containers),
        Some(PaneAction::Custom(0))
    );
    // Two commands on one key.
    let p = only_problem(
        "[[commands]]\nname = \"a\"\nkey = \"Z\"\ncommand = \"true\"\n[[commands]]\nname = \"b\"\nkey = \"Z\"\ncommand = \"true\"\n",
    );
    assert_eq!(p.line, 7);
    assert_eq!(
        p.message,
        "command \"b\": Z is already [keys.containers] command (\"a\")"
    );
}

#[test]
fn hosts_to_watch_come_from_the_config_and_bad_ones_are_named() {
    let parsed = parse(
        "[hosts]\nendpoints = [\"ssh://deploy@build1\", \"tcp://10.0.0.5:2376,ro\"]\ncontexts = [\"laptop\"]\nall-contexts = false\n",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let h = parsed.config.hosts;
    assert_eq!(
        h.endpoints,
        ["ssh://deploy@build1", "tcp://10.0.0.5:2376,ro"]
    );
    assert_eq!(h.contexts, ["laptop"]);
    assert!(!h.all_contexts && !h.is_empty());
    let parsed = parse("[hosts]\nendpoints = [\"ftp://x\", \"unix:///run/d.sock\"]\n");
    assert_eq!(parsed.problems.len(), 1);
    assert_eq!(parsed.problems[0].line, 2);
    assert!(
        parsed.problems[0]
            .message
            .contains("ftp:// is not a Docker endpoint")
    );
    assert_eq!(parsed.config.hosts.endpoints, ["unix:///run/d.sock"]);
    let p = only_problem("[hosts]\nwatch = []\n");
    assert!(
        p.message
            .starts_with("unknown setting \"watch\" in [hosts]"),
        "{}",
        p.message
    );
    assert!(parse("").config.hosts.is_empty());
}

/// Start-up and `config check` read through here: a FIFO is refused at once, not opened
/// (opening one for reading blocks until a writer comes).
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = std::env::temp_dir().join(format!("dockpit-config-fifo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let fifo = dir.join("config.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(read(&path));
    });
    let answer = rx.recv_timeout(std::time::Duration::from_secs(2));
    if answer.is_err() {
        // Let the blocked thread go: a writer opens the FIFO and closes it.
        let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let answer = answer.expect("reading a FIFO config blocked");
    assert!(
        answer
            .as_ref()
            .is_err_and(|e| e.contains("not a regular file")),
        "{answer:?}"
    );
}

#[test]
fn the_top_budget_is_a_share_and_a_bad_one_keeps_the_default() {
    assert_eq!(
        parse("[top]\nbudget = 0.05\n").config.top_budget,
        Some(0.05)
    );
    let parsed = parse("[top]\nbudget = 2\n");
    assert_eq!(parsed.config.top_budget, None);
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    assert!(parsed.problems[0].message.contains("at most 0.5"));
    let p = only_problem("[top]\nbugdet = 0.1\n");
    assert!(p.message.contains("the setting is budget"), "{}", p.message);
}

#[test]
fn the_update_interval_is_a_duration_or_off_and_never_under_a_minute() {
    let interval = |text: &str| parse(text).config.update_interval;
    assert_eq!(
        interval("[updates]\ninterval = \"6h\"\n"),
        Some(Some(21_600))
    );
    assert_eq!(
        interval("[updates]\ninterval = \"30m\"\n"),
        Some(Some(1_800))
    );
    assert_eq!(interval("[updates]\ninterval = \"off\"\n"), Some(None));
    let p = only_problem("[updates]\ninterval = \"5s\"\n");
    assert!(p.message.contains("at least a minute"), "{}", p.message);
    assert_eq!(interval("[updates]\ninterval = \"soon\"\n"), None);
    let p = only_problem("[updates]\nevery = \"1h\"\n");
    assert!(
        p.message.contains("the setting is interval"),
        "{}",
        p.message
    );
}

#[test]
fn a_scope_split_in_several_names_its_parts() {
    let message = super::unknown_scope("swarm");
    assert!(
        message.contains("did you mean [keys.swarm-services], [keys.swarm-stacks]"),
        "{message}"
    );
    assert!(!message.contains("[keys.images]"), "{message}");
    let typo = super::unknown_scope("volume");
    assert!(typo.contains("did you mean [keys.volumes]"), "{typo}");
}
