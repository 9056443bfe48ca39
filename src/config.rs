//! The config file: `$XDG_CONFIG_HOME/dockpit/config.toml` (`--config` to choose another).
//! Sections: `[keys.<scope>]` rebinds any action of the keymap, `[theme]` picks a
//! built-in theme and changes its colours, `[defaults]` holds what the command-line flags
//! set (flags win), `[aliases]` names for the command line, `[hosts]` the hosts to watch,
//! `[[commands]]` the user's own commands.
//!
//! A problem never stops dockpit: it is reported with its line and column, and the part it
//! is in falls back to the defaults (one binding, colour, setting or alias) while the rest
//! applies.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::style::Color;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::app::Pane;
use crate::app::custom_commands::CustomCommand;
use crate::app::keymap::{Binding, Key, Keymap, Scope};
use crate::app::lists::Sort;
use crate::custom::RunIn;
use crate::ui::theme::{self, Theme};

/// The default config, every setting commented out (`dockpit config default`).
pub const DEFAULT: &str = include_str!("../assets/config.toml");

/// A config file larger than this is refused unread.
pub const MAX_BYTES: u64 = 1 << 20;

/// Everything the config file sets, with the built-in defaults where it sets nothing.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub keymap: Keymap,
    pub theme: Theme,
    pub defaults: Defaults,
    pub aliases: Aliases,
    /// `[[commands]]`, each bound in `keymap` as `PaneAction::Custom(its index)`.
    pub commands: Vec<CustomCommand>,
    pub hosts: Hosts,
    /// `[top] budget`: the share of each daemon's time the top view's readings may take.
    pub top_budget: Option<f64>,
    /// `[updates] interval`: seconds between update checks; `Some(None)`: `"off"`.
    pub update_interval: Option<Option<i64>>,
    /// `[alerts]`: the bell, notifications, and each kind's rule.
    pub alerts: crate::app::alerts::Options,
    /// `[compose]`: where Compose v2 is, and folders whose compose files to read.
    pub compose: Compose,
}

/// `[compose]`: `program` (Compose v2 when it is not where the docker CLI looks) and `dirs`
/// (folders the projects view reads compose files from, beside the start folder).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compose {
    pub program: Option<std::path::PathBuf>,
    pub dirs: Vec<std::path::PathBuf>,
}

/// `[hosts]`: the Docker hosts to watch when the command line names none (`-H`,
/// `--context`, `--all-contexts` win).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hosts {
    /// Endpoints as `-H` takes them (`ssh://deploy@build1`, `tcp://10.0.0.5:2376,ro`).
    pub endpoints: Vec<String>,
    pub contexts: Vec<String>,
    pub all_contexts: bool,
}

impl Hosts {
    pub fn is_empty(&self) -> bool {
        self.endpoints.is_empty() && self.contexts.is_empty() && !self.all_contexts
    }
}

/// `[defaults]`: what the command-line flags also set (a flag wins over the file).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Defaults {
    pub interval: Option<Duration>,
    pub usage: Option<bool>,
    pub stop_timeout: Option<u32>,
    pub log_lines: Option<usize>,
    pub log_bytes: Option<usize>,
    pub prefix: Option<Key>,
    pub shell: Option<Vec<String>>,
    /// Clicks and the wheel in dockpit (`false`: as `--no-mouse`).
    pub mouse: Option<bool>,
    /// Each list's sort and filter at start.
    pub containers_sort: Option<Sort>,
    pub images_sort: Option<Sort>,
    pub containers_filter: Option<String>,
    pub images_filter: Option<String>,
    /// All containers (`false`: running ones only, as `docker ps`).
    pub all: Option<bool>,
    /// Containers grouped under their Compose project (`C` switches).
    pub group: Option<bool>,
    /// Published ports drawn as OSC 8 hyperlinks.
    pub hyperlinks: Option<bool>,
}

/// `[aliases]`: a name the command line accepts in place of what it stands for
/// (`ps = "containers"`, `web = "containers /web"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases(pub BTreeMap<String, String>);

impl Aliases {
    /// What an alias stands for.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// One thing wrong in a config file, where it is (1-based), and what dockpit does instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub fallback: &'static str,
}

/// What a config file gave: the config (defaults where a part had problems) and the
/// problems, in file order.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub config: Config,
    pub problems: Vec<Problem>,
}

const SECTIONS: &str = "[keys.<scope>], [theme], [defaults], [aliases], [hosts], [top], [compose], [alerts], [updates] and [[commands]]";
const SETTINGS: &str = "interval, usage, stop-timeout, log-lines, log-bytes, prefix, shell, mouse, all, group, hyperlinks, containers-sort, images-sort, containers-filter and images-filter";

const KEYS_FALLBACK: &str = "the default keys are used";
const BINDING_FALLBACK: &str = "that binding is left out; the others apply";
const WHOLE_FALLBACK: &str = "the defaults are used";
const SETTING_FALLBACK: &str = "its default is used";
const IGNORED: &str = "ignored";

/// Reads a config file's text: a regular file of at most [`MAX_BYTES`], in UTF-8.
/// `Ok(None)` when there is no file there. A FIFO or a device is refused before it is
/// opened (and opened without blocking), as the docker config files are.
pub fn read(path: &Path) -> Result<Option<String>, String> {
    crate::docker::auth::read_small(path, MAX_BYTES)
}

/// `$XDG_CONFIG_HOME/dockpit/config.toml`, else `~/.config/dockpit/config.toml` (on macOS
/// too, where k9s and lazydocker users keep theirs).
pub fn default_path() -> Option<PathBuf> {
    path_from(std::env::var_os("XDG_CONFIG_HOME"), dirs::home_dir())
}

fn path_from(xdg: Option<std::ffi::OsString>, home: Option<PathBuf>) -> Option<PathBuf> {
    // The XDG spec ignores a relative XDG_CONFIG_HOME.
    let base = xdg
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(|h| h.join(".config")))?;
    Some(base.join("dockpit").join("config.toml"))
}

/// The status line's word on a config with problems: the first, what dockpit did about it,
/// and how to see them all.
pub fn summary(path: &Path, problems: &[Problem]) -> Option<String> {
    let first = problems.first()?;
    let more = match problems.len() - 1 {
        0 => String::new(),
        1 => "; 1 more problem".into(),
        n => format!("; {n} more problems"),
    };
    Some(format!(
        "config {}:{}: {}; {}{more} (dockpit config check)",
        path.display(),
        first.line,
        first.message,
        first.fallback
    ))
}

/// Parses a config file's text. Never fails: see [`Parsed`].
pub fn parse(text: &str) -> Parsed {
    let mut ctx = Ctx {
        text,
        problems: Vec::new(),
    };
    let mut config = Config::default();
    let mut commands = Vec::new();
    match DeTable::parse(text) {
        Err(e) => {
            let at = e.span().unwrap_or(0..0);
            ctx.at(at, e.message().trim().to_string(), WHOLE_FALLBACK);
        }
        Ok(root) => {
            for (name, value) in root.get_ref().iter() {
                match name.get_ref().as_ref() {
                    "keys" => {
                        if let Some(keymap) = keys(&mut ctx, value) {
                            config.keymap = keymap;
                        }
                    }
                    "theme" => config.theme = theme_section(&mut ctx, value),
                    "defaults" => config.defaults = defaults(&mut ctx, value),
                    "aliases" => config.aliases = aliases(&mut ctx, value),
                    "commands" => commands = custom_commands(&mut ctx, value),
                    "hosts" => config.hosts = hosts(&mut ctx, value),
                    "top" => config.top_budget = top(&mut ctx, value),
                    "compose" => config.compose = compose(&mut ctx, value),
                    "alerts" => config.alerts = alerts(&mut ctx, value),
                    "updates" => config.update_interval = updates(&mut ctx, value),
                    other => ctx.at(
                        name.span(),
                        format!("unknown section {other:?}; the sections are {SECTIONS}"),
                        IGNORED,
                    ),
                }
            }
        }
    }
    // Bound once the keys are known, so a clash with any of them is found.
    for (command, key_span) in commands {
        let index = u16::try_from(config.commands.len()).unwrap_or(u16::MAX);
        match config
            .keymap
            .add_custom(index, command.scope, command.key, &command.name)
        {
            Ok(()) => config.commands.push(command),
            Err(e) => ctx.at(
                key_span,
                format!("command {:?}: {e}", command.name),
                IGNORED,
            ),
        }
    }
    let mut problems = ctx.problems;
    problems.sort_by_key(|p| (p.line, p.column));
    Parsed { config, problems }
}

struct Ctx<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

type Value<'i> = Spanned<DeValue<'i>>;

impl Ctx<'_> {
    fn at(&mut self, span: Range<usize>, message: impl Into<String>, fallback: &'static str) {
        let (line, column) = position(self.text, span.start);
        self.problems.push(Problem {
            line,
            column,
            message: message.into(),
            fallback,
        });
    }

    /// A value that must be a table (a section).
    fn table<'v, 'i>(
        &mut self,
        value: &'v Value<'i>,
        what: &str,
        fallback: &'static str,
    ) -> Option<&'v DeTable<'i>> {
        let table = value.get_ref().as_table();
        if table.is_none() {
            let found = value.get_ref().type_str();
            self.at(
                value.span(),
                format!("{what} must be a table, not a {found}"),
                fallback,
            );
        }
        table
    }
}

/// Line and column (1-based, the column in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// An unknown `[keys.NAME]`: the scopes it may mean (a typo, or a scope split in several,
/// as `swarm` became `swarm-services` and the other tabs), else every scope.
fn unknown_scope(name: &str) -> String {
    let names = Scope::ALL.iter().map(|s| s.name());
    let near: Vec<String> = (names.clone())
        .filter(|n| {
            n.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('-'))
                || crate::app::command_line::edit_distance(n, name) <= 1
        })
        .map(|n| format!("[keys.{n}]"))
        .collect();
    match near.is_empty() {
        false => format!(
            "unknown scope [keys.{name}]; did you mean {}?",
            near.join(", ")
        ),
        true => format!(
            "unknown scope [keys.{name}]; the scopes are {}",
            names.collect::<Vec<_>>().join(", ")
        ),
    }
}

/// `[keys.<scope>]`: `action = "key"`, `action = ["key", "key"]`, or `""`/`[]` to unbind.
/// A bad binding is named and left out (its action keeps its default keys); every valid
/// one applies. Only a `[keys]` that is not a table leaves the whole keymap at its defaults.
fn keys(ctx: &mut Ctx, value: &Value) -> Option<Keymap> {
    let scopes = ctx.table(value, "[keys]", KEYS_FALLBACK)?;
    let mut written: Vec<Rebind> = Vec::new();
    for (scope_name, actions) in scopes.iter() {
        let Some(scope) = Scope::from_name(scope_name.get_ref()) else {
            ctx.at(
                scope_name.span(),
                unknown_scope(scope_name.get_ref()),
                BINDING_FALLBACK,
            );
            continue;
        };
        let what = format!("[keys.{}]", scope.name());
        let Some(actions) = ctx.table(actions, &what, BINDING_FALLBACK) else {
            continue;
        };
        for (action, bound) in actions.iter() {
            let Some(keys) = key_list(ctx, bound, scope) else {
                continue;
            };
            let name = action.get_ref().as_ref();
            // Rebinding a scratch keymap checks the name and gives the message listing
            // the scope's actions.
            match Keymap::default().rebind(scope, name, keys.clone()) {
                Ok(()) => {
                    let names = Keymap::default().action_names(scope);
                    if let Some(name) = names.into_iter().find(|n| *n == name) {
                        written.push(Rebind {
                            scope,
                            name,
                            keys,
                            span: action.span(),
                        });
                    }
                }
                Err(e) => ctx.at(action.span(), e, BINDING_FALLBACK),
            }
        }
    }
    without_conflicts(ctx, written, value.span())
}

/// One valid `action = keys` line of `[keys.<scope>]`.
struct Rebind {
    scope: Scope,
    name: &'static str,
    keys: Vec<Key>,
    span: Range<usize>,
}

/// The default keymap with every rebinding applied, leaving out, one at a time, the later
/// line of each pair that binds one key twice (dropping one can end another clash).
fn without_conflicts(
    ctx: &mut Ctx,
    mut written: Vec<Rebind>,
    whole: Range<usize>,
) -> Option<Keymap> {
    loop {
        let mut keymap = Keymap::default();
        for w in &written {
            // Checked when read: the action exists.
            let _ = keymap.rebind(w.scope, w.name, w.keys.clone());
        }
        let (culprit, message) = {
            let Some((_, key, a, b)) = keymap.conflicts().into_iter().next() else {
                return Some(keymap);
            };
            let blame = |x: &Binding| {
                written
                    .iter()
                    .position(|w| w.scope == x.scope && w.name == x.action.name())
            };
            let culprit = match (blame(a), blame(b)) {
                // The later of the two lines is the one that clashes.
                (Some(x), Some(y)) => Some(if written[y].span.start > written[x].span.start {
                    y
                } else {
                    x
                }),
                (x, y) => x.or(y),
            };
            let message = format!(
                "{} is bound to both [keys.{}] {} and [keys.{}] {}{}",
                key.label(),
                a.scope.name(),
                a.action.name(),
                b.scope.name(),
                b.action.name(),
                if a.scope == b.scope {
                    ""
                } else {
                    " (in that pane the pane's key would hide the other)"
                }
            );
            (culprit, message)
        };
        match culprit {
            Some(i) => {
                let dropped = written.remove(i);
                ctx.at(dropped.span, message, BINDING_FALLBACK);
            }
            // The defaults never clash; should they, the whole section is left out.
            None => {
                ctx.at(whole, message, KEYS_FALLBACK);
                return None;
            }
        }
    }
}

/// `"x"`, `["x", "Delete"]`, or `""`/`[]` (no key).
fn key_list(ctx: &mut Ctx, value: &Value, scope: Scope) -> Option<Vec<Key>> {
    let one = |ctx: &mut Ctx, text: &str, span: Range<usize>| -> Option<Key> {
        match Key::from_config(text) {
            // In the terminal pane a plain character is the container's input.
            Ok(key)
                if scope == Scope::Terminal
                    && matches!(key.code, crossterm::event::KeyCode::Char(_))
                    && !key.ctrl =>
            {
                ctx.at(
                    span,
                    format!(
                        "{text:?} in [keys.terminal] would take that character from the program in the container; use a Ctrl- key"
                    ),
                    BINDING_FALLBACK,
                );
                None
            }
            Ok(key) => Some(key),
            Err(e) => {
                ctx.at(span, e, BINDING_FALLBACK);
                None
            }
        }
    };
    match value.get_ref() {
        DeValue::String(text) if text.trim().is_empty() => Some(Vec::new()),
        DeValue::String(text) => one(ctx, text, value.span()).map(|k| vec![k]),
        DeValue::Array(items) => {
            let mut keys = Vec::new();
            let mut ok = true;
            for item in items.iter() {
                match item.get_ref() {
                    DeValue::String(text) if !text.trim().is_empty() => {
                        match one(ctx, text, item.span()) {
                            Some(key) if !keys.contains(&key) => keys.push(key),
                            Some(_) => {}
                            None => ok = false,
                        }
                    }
                    _ => {
                        ctx.at(
                            item.span(),
                            "each key in a list is a non-empty string",
                            BINDING_FALLBACK,
                        );
                        ok = false;
                    }
                }
            }
            ok.then_some(keys)
        }
        other => {
            ctx.at(
                value.span(),
                format!(
                    "a binding is a key (\"x\") or a list of keys ([\"x\", \"Delete\"]), not a {}; \"\" or [] unbinds",
                    other.type_str()
                ),
                BINDING_FALLBACK,
            );
            None
        }
    }
}

/// `[theme]`: `preset = "dark" | "light" | "high-contrast"`, then any role's colour.
fn theme_section(ctx: &mut Ctx, value: &Value) -> Theme {
    let Some(table) = ctx.table(value, "[theme]", "the dark theme is used") else {
        return Theme::default();
    };
    let mut out = Theme::default();
    if let Some((_, preset)) = table.iter().find(|(k, _)| k.get_ref() == "preset") {
        match preset.get_ref().as_str().and_then(Theme::preset) {
            Some(t) => out = t,
            None => ctx.at(
                preset.span(),
                format!(
                    "unknown preset; the built-in themes are {}",
                    theme::PRESETS.join(", ")
                ),
                "the dark theme is used",
            ),
        }
    }
    for (role, color) in table.iter() {
        let role_name = role.get_ref().as_ref();
        if role_name == "preset" {
            continue;
        }
        let parsed = parse_color(color.get_ref());
        match (out.role_mut(role_name), parsed) {
            (Some(slot), Ok(c)) => *slot = c,
            (Some(_), Err(e)) => ctx.at(color.span(), e, "the theme's own colour is used"),
            (None, _) => ctx.at(
                role.span(),
                format!(
                    "unknown colour role {role_name:?}; the roles are preset, {}",
                    theme::ROLES.join(", ")
                ),
                IGNORED,
            ),
        }
    }
    out
}

/// A colour: a name (`red`, `light-blue`, `dark-gray`, `reset`), `#rrggbb`, or a number
/// 0–255 (the terminal's palette).
pub fn parse_color(value: &DeValue) -> Result<Color, String> {
    const HELP: &str =
        "a colour is a name (red, light-blue, dark-gray, reset…), \"#rrggbb\" or 0–255";
    match value {
        DeValue::String(text) => {
            let text = text.trim();
            let hex_ok = text
                .strip_prefix('#')
                .is_none_or(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
            match text.parse::<Color>() {
                Ok(c) if hex_ok && !text.is_empty() => Ok(c),
                _ => Err(format!("{text:?} is not a colour: {HELP}")),
            }
        }
        DeValue::Integer(i) => integer(i)
            .and_then(|n| u8::try_from(n).ok())
            .map(Color::Indexed)
            .ok_or_else(|| format!("{} is not a colour: {HELP}", i.as_str())),
        other => Err(format!("a {} is not a colour: {HELP}", other.type_str())),
    }
}

fn integer(i: &toml::de::DeInteger) -> Option<i64> {
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

/// A whole number within `range`.
fn integer_in<T: TryFrom<i64>>(value: &DeValue, range: std::ops::RangeInclusive<i64>) -> Option<T> {
    let n = value.as_integer().and_then(integer)?;
    range.contains(&n).then(|| T::try_from(n).ok()).flatten()
}

fn number(value: &DeValue) -> Option<f64> {
    match value {
        DeValue::Integer(i) => integer(i).map(|n| n as f64),
        DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
        _ => None,
    }
}

/// `[top]`: `budget`, a share of each daemon's time (0.03 = 3 %), at most a half.
fn top(ctx: &mut Ctx, value: &Value) -> Option<f64> {
    let table = ctx.table(value, "[top]", WHOLE_FALLBACK)?;
    let mut budget = None;
    for (name, v) in table.iter() {
        if name.get_ref().as_ref() != "budget" {
            let what = format!(
                "unknown setting {:?} in [top]; the setting is budget",
                name.get_ref()
            );
            ctx.at(name.span(), what, IGNORED);
            continue;
        }
        match number(v.get_ref()).filter(|b| *b > 0.0 && *b <= 0.5) {
            Some(b) => budget = Some(b),
            None => ctx.at(
                v.span(),
                "budget is a share of the daemon's time, above 0 and at most 0.5 (0.03 = 3 %)"
                    .to_string(),
                SETTING_FALLBACK,
            ),
        }
    }
    budget
}

/// `[compose]`: `program = "PATH"`, `dirs = ["PATH", …]`; a bad setting is left out.
fn compose(ctx: &mut Ctx, value: &Value) -> Compose {
    let mut out = Compose::default();
    let Some(table) = ctx.table(value, "[compose]", WHOLE_FALLBACK) else {
        return out;
    };
    for (name, v) in table.iter() {
        let path = |v: &DeValue| {
            v.as_str()
                .filter(|p| !p.is_empty() && !p.contains('\0'))
                .map(std::path::PathBuf::from)
        };
        match name.get_ref().as_ref() {
            "program" => match path(v.get_ref()) {
                Some(p) => out.program = Some(p),
                None => ctx.at(v.span(), "program is a path".to_string(), SETTING_FALLBACK),
            },
            "dirs" => {
                let dirs = match v.get_ref() {
                    DeValue::Array(items) => items.iter().map(|i| path(i.get_ref())).collect(),
                    _ => None,
                };
                match dirs {
                    Some(dirs) => out.dirs = dirs,
                    None => ctx.at(
                        v.span(),
                        "dirs is a list of paths".to_string(),
                        SETTING_FALLBACK,
                    ),
                }
            }
            other => {
                let what = format!(
                    "unknown setting {other:?} in [compose]; the settings are program and dirs"
                );
                ctx.at(name.span(), what, IGNORED);
            }
        }
    }
    out
}

/// `[updates]`: `interval`, how often the registries are asked for newer digests: `"6h"`,
/// `"30m"`, `"1d"` (at least a minute) or `"off"`.
fn updates(ctx: &mut Ctx, value: &Value) -> Option<Option<i64>> {
    let table = ctx.table(value, "[updates]", WHOLE_FALLBACK)?;
    let mut interval = None;
    for (name, v) in table.iter() {
        if name.get_ref().as_ref() != "interval" {
            let what = format!(
                "unknown setting {:?} in [updates]; the setting is interval",
                name.get_ref()
            );
            ctx.at(name.span(), what, IGNORED);
            continue;
        }
        match v.get_ref().as_str().and_then(update_interval) {
            Some(i) => interval = Some(i),
            None => ctx.at(
                v.span(),
                "interval is a duration of at least a minute (\"6h\", \"30m\", \"1d\") or \"off\""
                    .to_string(),
                SETTING_FALLBACK,
            ),
        }
    }
    interval
}

/// `"6h"` → `Some(Some(21600))`, `"off"` → `Some(None)`; under a minute is refused, so no
/// setting makes dockpit ask the registries faster than that.
pub fn update_interval(text: &str) -> Option<Option<i64>> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("off") {
        return Some(None);
    }
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    let unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    let seconds = number.parse::<i64>().ok()?.checked_mul(unit)?;
    (seconds >= 60).then_some(Some(seconds))
}

/// `[defaults]`: each setting on its own; a bad one keeps its default.
fn defaults(ctx: &mut Ctx, value: &Value) -> Defaults {
    let mut out = Defaults::default();
    let Some(table) = ctx.table(value, "[defaults]", WHOLE_FALLBACK) else {
        return out;
    };
    for (name, v) in table.iter() {
        let result: Result<(), String> = match name.get_ref().as_ref() {
            "interval" => number(v.get_ref())
                .ok_or_else(|| "interval is a number of seconds".to_string())
                .and_then(|secs| crate::cli::parse_interval(&secs.to_string()))
                .map(|d| out.interval = Some(d)),
            "usage" => v
                .get_ref()
                .as_bool()
                .ok_or_else(|| "usage is true or false".to_string())
                .map(|b| out.usage = Some(b)),
            "stop-timeout" => integer_in(v.get_ref(), 0..=86_400)
                .ok_or_else(|| "stop-timeout is a number of seconds, 0 to 86400".to_string())
                .map(|n| out.stop_timeout = Some(n)),
            "log-lines" => integer_in(v.get_ref(), 1..=10_000_000)
                .ok_or_else(|| "log-lines is a number of lines, 1 to 10000000".to_string())
                .map(|n| out.log_lines = Some(n)),
            "log-bytes" => match v.get_ref() {
                DeValue::String(s) => crate::cli::parse_bytes(s),
                DeValue::Integer(i) => crate::cli::parse_bytes(i.as_str()),
                _ => Err("log-bytes is a size: \"16MiB\", \"512KiB\" or a number".into()),
            }
            .map(|n| out.log_bytes = Some(n)),
            "prefix" => v
                .get_ref()
                .as_str()
                .ok_or_else(|| "prefix is a key such as \"ctrl-a\"".to_string())
                .and_then(Key::parse_ctrl)
                .map(|k| out.prefix = Some(k)),
            "shell" => shell(v.get_ref()).map(|words| out.shell = Some(words)),
            "mouse" => v
                .get_ref()
                .as_bool()
                .ok_or_else(|| "mouse is true or false".to_string())
                .map(|b| out.mouse = Some(b)),
            "all" => v
                .get_ref()
                .as_bool()
                .ok_or_else(|| "all is true or false".to_string())
                .map(|b| out.all = Some(b)),
            "group" => v
                .get_ref()
                .as_bool()
                .ok_or_else(|| "group is true or false".to_string())
                .map(|b| out.group = Some(b)),
            "hyperlinks" => v
                .get_ref()
                .as_bool()
                .ok_or_else(|| "hyperlinks is true or false".to_string())
                .map(|b| out.hyperlinks = Some(b)),
            "containers-sort" => {
                sort_setting(v.get_ref(), Pane::Containers).map(|s| out.containers_sort = Some(s))
            }
            "images-sort" => {
                sort_setting(v.get_ref(), Pane::Images).map(|s| out.images_sort = Some(s))
            }
            "containers-filter" => {
                filter_setting(v.get_ref()).map(|f| out.containers_filter = Some(f))
            }
            "images-filter" => filter_setting(v.get_ref()).map(|f| out.images_filter = Some(f)),
            other => {
                ctx.at(
                    name.span(),
                    format!("unknown setting {other:?} in [defaults]; the settings are {SETTINGS}"),
                    IGNORED,
                );
                continue;
            }
        };
        if let Err(e) = result {
            ctx.at(v.span(), e, SETTING_FALLBACK);
        }
    }
    out
}

fn sort_setting(value: &DeValue, pane: Pane) -> Result<Sort, String> {
    let text = value
        .as_str()
        .ok_or("a sort is a column's name, such as \"created\" or \"-name\"")?;
    Sort::parse(pane, text)
}

/// What `/` would have typed: one line of text.
fn filter_setting(value: &DeValue) -> Result<String, String> {
    match value.as_str() {
        Some(t) if t.len() <= 256 && !t.chars().any(char::is_control) => Ok(t.trim().to_string()),
        _ => Err("a filter is text on one line, as typed after /".into()),
    }
}

/// `"/bin/zsh -l"` or `["/bin/zsh", "-l"]`.
fn shell(value: &DeValue) -> Result<Vec<String>, String> {
    let words = match value {
        DeValue::String(s) => crate::run_spec::split_command(s)?,
        DeValue::Array(items) => items
            .iter()
            .map(|i| i.get_ref().as_str().map(String::from))
            .collect::<Option<Vec<_>>>()
            .ok_or("shell is a command line or a list of words")?,
        _ => return Err("shell is a command line or a list of words".into()),
    };
    if words.is_empty() || words.iter().any(|w| w.is_empty() || w.contains('\0')) {
        return Err("shell is empty".into());
    }
    Ok(words)
}

/// `[aliases]`: `name = "what it stands for"`; a bad one is skipped.
fn aliases(ctx: &mut Ctx, value: &Value) -> Aliases {
    let mut out = Aliases::default();
    let Some(table) = ctx.table(value, "[aliases]", WHOLE_FALLBACK) else {
        return out;
    };
    for (name, target) in table.iter() {
        let n = name.get_ref().as_ref();
        let good_name = !n.is_empty()
            && n.len() <= 32
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !good_name {
            ctx.at(
                name.span(),
                format!("alias {n:?}: a name is 1 to 32 letters, digits, - or _"),
                IGNORED,
            );
            continue;
        }
        match target.get_ref().as_str().map(str::trim) {
            Some(t)
                if !t.is_empty()
                    && t.len() <= 256
                    && !t.chars().any(|c| c.is_control() || crate::format::is_invisible_format(c)) =>
            {
                out.0.insert(n.to_string(), t.to_string());
            }
            _ => ctx.at(
                target.span(),
                format!("alias {n:?} stands for a command line: a non-empty string of at most 256 characters, on one line"),
                IGNORED,
            ),
        }
    }
    out
}

/// `[hosts]`: `endpoints = [...]`, `contexts = [...]`, `all-contexts = true`; a bad entry is
/// skipped.
fn hosts(ctx: &mut Ctx, value: &Value) -> Hosts {
    let mut out = Hosts::default();
    let Some(table) = ctx.table(value, "[hosts]", WHOLE_FALLBACK) else {
        return out;
    };
    let strings = |ctx: &mut Ctx, v: &Value, what: &str| -> Vec<(String, Range<usize>)> {
        let Some(items) = v.get_ref().as_array() else {
            ctx.at(v.span(), format!("{what} is a list of strings"), IGNORED);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref().as_str() {
                Some(s) if !s.trim().is_empty() => out.push((s.trim().to_string(), item.span())),
                _ => ctx.at(
                    item.span(),
                    format!("each of {what} is a non-empty string"),
                    IGNORED,
                ),
            }
        }
        out
    };
    for (name, v) in table.iter() {
        match name.get_ref().as_ref() {
            "endpoints" => {
                for (text, span) in strings(ctx, v, "endpoints") {
                    let (host, _) = crate::docker::endpoint::host_flag(&text);
                    match crate::docker::endpoint::check_host(host) {
                        Ok(()) => out.endpoints.push(text),
                        Err(e) => ctx.at(span, e, IGNORED),
                    }
                }
            }
            "contexts" => {
                out.contexts = strings(ctx, v, "contexts").into_iter().map(|(s, _)| s).collect();
            }
            "all-contexts" => match v.get_ref().as_bool() {
                Some(b) => out.all_contexts = b,
                None => ctx.at(v.span(), "all-contexts is true or false", SETTING_FALLBACK),
            },
            other => ctx.at(
                name.span(),
                format!(
                    "unknown setting {other:?} in [hosts]; the settings are endpoints, contexts and all-contexts"
                ),
                IGNORED,
            ),
        }
    }
    out
}

/// `[alerts]`: `bell`, `notify`, and a table per kind of alert (`[alerts.exited]`) with
/// `on`, `match` (the lists' filter syntax) and `hook` (a command line, as `[[commands]]`
/// take it). A bad setting keeps its default; a bad rule setting is left out.
fn alerts(ctx: &mut Ctx, value: &Value) -> crate::app::alerts::Options {
    let mut out = crate::app::alerts::Options::default();
    let Some(table) = ctx.table(value, "[alerts]", WHOLE_FALLBACK) else {
        return out;
    };
    for (name, v) in table.iter() {
        let name_text = name.get_ref().as_ref();
        match name_text {
            "bell" | "notify" => match v.get_ref().as_bool() {
                Some(b) if name_text == "bell" => out.bell = b,
                Some(b) => out.notify = b,
                None => ctx.at(v.span(), format!("{name_text} is true or false"), SETTING_FALLBACK),
            },
            kind => match crate::alerts::ALL_KINDS.iter().find(|k| **k == kind) {
                Some(kind) => {
                    let rule = alert_rule(ctx, v, kind);
                    out.rules.insert(kind, rule);
                }
                None => ctx.at(
                    name.span(),
                    format!(
                        "unknown setting {kind:?} in [alerts]; the settings are bell and notify, and a rule per kind: [alerts.{}]",
                        crate::alerts::ALL_KINDS.join("], [alerts.")
                    ),
                    IGNORED,
                ),
            },
        }
    }
    out
}

/// One `[alerts.<kind>]` table.
fn alert_rule(ctx: &mut Ctx, value: &Value, kind: &str) -> crate::alerts::Rule {
    let mut rule = crate::alerts::Rule::default();
    let Some(table) = ctx.table(value, &format!("[alerts.{kind}]"), WHOLE_FALLBACK) else {
        return rule;
    };
    for (name, v) in table.iter() {
        let result = match name.get_ref().as_ref() {
            "on" => (v.get_ref().as_bool())
                .ok_or_else(|| "on is true or false".to_string())
                .map(|on| rule.off = !on),
            "match" => (v.get_ref().as_str())
                .ok_or_else(|| "match is a filter, as typed after / in a list".to_string())
                .and_then(crate::alerts::Pattern::parse)
                .map(|p| rule.pattern = p),
            "hook" => (v.get_ref().as_str())
                .ok_or_else(|| "hook is a command line".to_string())
                .and_then(crate::run_spec::split_command)
                .and_then(|words| match words.is_empty() {
                    true => Err("hook is empty".to_string()),
                    false => crate::custom::check(&words).map(|()| words),
                })
                .map(|words| rule.hook = words),
            other => {
                let what = format!(
                    "unknown setting {other:?} in [alerts.{kind}]; the settings are on, match and hook"
                );
                ctx.at(name.span(), what, IGNORED);
                continue;
            }
        };
        if let Err(e) = result {
            ctx.at(v.span(), e, IGNORED);
        }
    }
    rule
}

/// At most this many `[[commands]]` (each is a key and a line of help).
const MAX_COMMANDS: usize = 100;

/// `[[commands]]`: each with its key's place in the file (to blame a clash on it); a bad
/// one is skipped.
fn custom_commands(ctx: &mut Ctx, value: &Value) -> Vec<(CustomCommand, Range<usize>)> {
    let Some(items) = value.get_ref().as_array() else {
        ctx.at(
            value.span(),
            "commands are written [[commands]], one such table per command",
            IGNORED,
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        if out.len() == MAX_COMMANDS {
            ctx.at(
                item.span(),
                format!("more than {MAX_COMMANDS} commands"),
                IGNORED,
            );
            break;
        }
        if let Some(table) = ctx.table(item, "[[commands]]", IGNORED) {
            match custom_command(table, item.span()) {
                Ok(command) => out.push(command),
                Err((span, e)) => ctx.at(span, e, IGNORED),
            }
        }
    }
    out
}

const COMMAND_FIELDS: &str = "name, key, scope, command, run, confirm and changes";

/// A problem in a `[[commands]]` table: where, and what.
type Blame = (Range<usize>, String);

fn custom_command(
    table: &DeTable,
    whole: Range<usize>,
) -> Result<(CustomCommand, Range<usize>), Blame> {
    let get = |name: &str| table.iter().find(|(k, _)| k.get_ref() == name).map(|e| e.1);
    let text = |name: &str| -> Result<Option<(&str, Range<usize>)>, Blame> {
        match get(name) {
            None => Ok(None),
            Some(v) => match v.get_ref().as_str().map(str::trim) {
                Some(t) if !t.is_empty() && !t.chars().any(char::is_control) => {
                    Ok(Some((t, v.span())))
                }
                _ => Err((
                    v.span(),
                    format!("{name} is a non-empty string on one line"),
                )),
            },
        }
    };
    let flag = |name: &str| -> Result<bool, Blame> {
        match get(name) {
            None => Ok(false),
            Some(v) => v
                .get_ref()
                .as_bool()
                .ok_or_else(|| (v.span(), format!("{name} is true or false"))),
        }
    };
    if let Some((k, _)) = table.iter().find(|(k, _)| {
        ![
            "name", "key", "scope", "command", "run", "confirm", "changes",
        ]
        .contains(&k.get_ref().as_ref())
    }) {
        return Err((
            k.span(),
            format!(
                "unknown field {:?} in [[commands]]; the fields are {COMMAND_FIELDS}",
                k.get_ref()
            ),
        ));
    }
    let missing = |name: &str| (whole.clone(), format!("a command needs a {name}"));
    let name = text("name")?.ok_or_else(|| missing("name"))?.0;
    if name.chars().count() > 40 {
        return Err((whole, "a command's name is at most 40 characters".into()));
    }
    let (key_text, key_span) = text("key")?.ok_or_else(|| missing("key"))?;
    let key = Key::from_config(key_text).map_err(|e| (key_span.clone(), e))?;
    let scope = match text("scope")? {
        None | Some(("containers", _)) => Pane::Containers,
        Some(("images", _)) => Pane::Images,
        Some((_, span)) => return Err((span, "scope is \"containers\" or \"images\"".into())),
    };
    let (line, line_span) = text("command")?.ok_or_else(|| missing("command"))?;
    let command = crate::run_spec::split_command(line).map_err(|e| (line_span.clone(), e))?;
    if command.is_empty() {
        return Err((line_span, "the command is empty".into()));
    }
    crate::custom::check(&command).map_err(|e| (line_span.clone(), e))?;
    let run = match text("run")? {
        None | Some(("tab", _)) => RunIn::Tab,
        Some(("background", _)) => RunIn::Background,
        Some((_, span)) => return Err((span, "run is \"tab\" or \"background\"".into())),
    };
    let command = CustomCommand {
        name: name.to_string(),
        key,
        scope,
        command,
        run,
        confirm: flag("confirm")?,
        changes: flag("changes")?,
    };
    Ok((command, key_span))
}

#[cfg(test)]
mod tests;
