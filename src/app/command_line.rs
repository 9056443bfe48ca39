//! The `:` command line, as in k9s: a view by name or alias (`:ps`, `:images`, `:events`,
//! `:log`), with arguments (`:ps /web` filters, `:logs web` opens web's logs), the selected
//! container's `:update` and `:rename [NEW]`, `:q` to quit; Tab completes a name, ↑/↓ walk
//! the history, and unknown input says what it could have meant.

use crossterm::event::KeyEvent;

use super::effects::Effects;
use super::keymap::{CommandLineAction, PaneAction};
use super::swarm::Tab;
use super::text_input::TextInput;
use super::view::{Ctx, Outcome, Then, View};
use super::{App, Pane};

/// Every command: its names (the first is the one completion writes) and what it does.
const COMMANDS: [(&[&str], Command); 16] = [
    (&["containers", "ps", "co"], Command::List(Pane::Containers)),
    (&["images", "img", "im"], Command::List(Pane::Images)),
    (&["events", "ev"], Command::Open(PaneAction::Events)),
    (&["log", "commands"], Command::Open(PaneAction::CommandLog)),
    (&["logs"], Command::Logs),
    (&["pulls"], Command::Open(PaneAction::Transfers)),
    (&["swarm", "services", "svc"], Command::Swarm(Tab::Services)),
    (&["stacks"], Command::Swarm(Tab::Stacks)),
    (&["nodes"], Command::Swarm(Tab::Nodes)),
    (&["files", "cp"], Command::Open(PaneAction::Files)),
    (&["layers"], Command::Layers),
    (&["build"], Command::Build),
    (&["update"], Command::Open(PaneAction::Limits)),
    (&["rename"], Command::Rename),
    (&["help", "h"], Command::Open(PaneAction::Help)),
    (&["quit", "q", "q!"], Command::Open(PaneAction::Quit)),
];

/// Every command: [`COMMANDS`], then each list kind's names.
fn commands() -> impl Iterator<Item = (&'static [&'static str], Command)> {
    let kinds =
        (super::kinds::KINDS.iter()).map(|k| (k.commands, Command::Open(PaneAction::List(k.name))));
    COMMANDS.into_iter().chain(kinds)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    /// Focus a list; an argument `/text` filters it.
    List(Pane),
    /// What a pane key does.
    Open(PaneAction),
    /// The Swarm view, at this tab.
    Swarm(Tab),
    /// A container's logs: the one named (`NAME` or `NAME@HOST`), else the selected one.
    Logs,
    /// An image's layers: the one named (`--remote REF`: from its registry), else the
    /// selected one.
    Layers,
    /// The build form, its context the path given.
    Build,
    /// The selected container renamed: to the name given, else from the rename form.
    Rename,
}

/// The `:` prompt.
#[derive(Debug, Clone, Default)]
pub struct CommandLineView {
    pub input: TextInput,
    /// Earlier command lines, oldest first, and where ↑/↓ are in them.
    pub history: Vec<String>,
    pub at: Option<usize>,
}

impl CommandLineView {
    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        match cx.keymap.get(key) {
            Some(CommandLineAction::Close) => return Outcome::close(),
            Some(CommandLineAction::Run) => {
                let line = self.input.value.trim().to_string();
                return Outcome {
                    then: (!line.is_empty()).then_some(Then::Command(line)),
                    ..Outcome::close()
                };
            }
            Some(CommandLineAction::Complete) => {
                if let Some(name) = complete(&self.input.value) {
                    self.input = TextInput::new(name);
                }
            }
            Some(CommandLineAction::Older) => self.walk(true),
            Some(CommandLineAction::Newer) => self.walk(false),
            None => {
                self.input.handle(key);
            }
        }
        Outcome::stay()
    }

    fn walk(&mut self, older: bool) {
        let len = self.history.len();
        let at = match (self.at, older) {
            (None, true) => len.checked_sub(1),
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i + 1 < len => Some(i + 1),
            _ => None,
        };
        self.at = at;
        let text = at
            .and_then(|i| self.history.get(i))
            .cloned()
            .unwrap_or_default();
        self.input = TextInput::new(text);
    }
}

/// The command a typed word names, by any of its names.
fn lookup(word: &str) -> Option<Command> {
    commands()
        .find(|(names, _)| names.contains(&word))
        .map(|(_, command)| command)
}

/// The first name that starts with what was typed (the first word only).
fn complete(typed: &str) -> Option<String> {
    let word = typed.trim_start();
    if word.contains(' ') || word.is_empty() {
        return None;
    }
    commands()
        .flat_map(|(names, _)| names.iter())
        .find(|name| name.starts_with(word) && **name != word)
        .map(|name| name.to_string())
}

/// Names close to an unknown word: what it abbreviates, or one edit away. Never a name
/// the word merely starts with (`:logss` is not the command log `:log`).
fn suggestions(word: &str) -> Vec<&'static str> {
    let near = |name: &str| name.starts_with(word) || edit_distance(name, word) <= 1;
    commands()
        .filter(|(names, _)| names.iter().any(|n| near(n)))
        .map(|(names, _)| names[0])
        .collect()
}

/// Edits from one word to the other: a character added, removed, changed, or two
/// neighbours swapped (`imgaes`).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let change = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + change);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

impl App {
    /// The container a typed `NAME` or `NAME@HOST` names, or why there is not one.
    fn container_named(&self, typed: &str) -> Result<crate::docker::ContainerRow, String> {
        let (name, host) = match typed.rsplit_once('@') {
            Some((name, host)) => (name, Some(host.to_lowercase())),
            None => (typed, None),
        };
        let name = name.trim_start_matches('/');
        let host_name = |row: &crate::docker::ContainerRow| {
            self.hosts
                .iter()
                .find(|h| h.id == row.host)
                .map(|h| h.spec.name.clone())
                .unwrap_or_default()
        };
        let found: Vec<_> = self
            .containers
            .rows()
            .filter(|c| c.name == name)
            .filter(|c| {
                host.as_ref()
                    .is_none_or(|h| host_name(c).to_lowercase().starts_with(h))
            })
            .collect();
        match found.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(format!("no container named {typed}")),
            many => {
                let at: Vec<String> = many
                    .iter()
                    .map(|c| format!("{name}@{}", host_name(c)))
                    .collect();
                Err(format!(
                    "{name} is on {} hosts: write :logs {}",
                    many.len(),
                    at.join(" or :logs ")
                ))
            }
        }
    }

    /// `:` opens the prompt, with this session's history.
    pub(super) fn open_command_line(&mut self) {
        self.view = Some(View::CommandLine(CommandLineView {
            history: self.command_history.clone(),
            ..Default::default()
        }));
    }

    /// Runs a typed command line (kept in the history, even when it fails).
    pub(super) fn run_command_line(&mut self, line: &str) -> Effects {
        if self.command_history.last().map(String::as_str) != Some(line) {
            self.command_history.push(line.to_string());
        }
        let (name, args) = self.expand_alias(line);
        let Some(command) = lookup(&name) else {
            self.refuse_unknown_command(&name);
            return Effects::default();
        };
        match command {
            // `:files /etc`: the selected container's files, from that folder.
            Command::Open(PaneAction::Files) => {
                let mut effects = self.apply(PaneAction::Files);
                let files = self
                    .view
                    .as_mut()
                    .and_then(View::list_of_mut::<super::files::Files>);
                if let (Some(path), Some(view)) = (args.first(), files) {
                    // That folder's listing in place of the top's (never sent).
                    effects.docker.clear();
                    let listing = view.go(super::files::absolute(path), None);
                    effects.extend(
                        (listing.into_iter())
                            .filter(|(_, c)| !matches!(c, crate::docker::Command::StopStream(_)))
                            .collect::<Vec<_>>(),
                    );
                }
                effects
            }
            Command::Open(action) => self.apply(action),
            // `:build ~/src/app`: the form with that context (a path may hold spaces).
            Command::Build => {
                let effects = self.apply(PaneAction::Build);
                if !args.is_empty() && matches!(&self.view, Some(View::Dialog(_))) {
                    self.open_build_form(Some(&args.join(" ")));
                }
                effects
            }
            Command::Logs => self.logs_command(&args),
            Command::Layers => self.layers_command(&args),
            Command::Rename => self.rename_command(&args),
            Command::Swarm(tab) => self.swarm_command(tab),
            Command::List(pane) => self.list_command(pane, &args),
        }
    }

    /// The command's name and its words; an alias from the config stands for a command
    /// line, whose words come first.
    fn expand_alias(&self, line: &str) -> (String, Vec<String>) {
        let mut words = line.trim_start_matches(':').split_whitespace();
        let name = words.next().unwrap_or_default();
        let args: Vec<String> = words.map(String::from).collect();
        let Some(alias) = self.prefs.aliases.get(name) else {
            return (name.to_string(), args);
        };
        let mut alias_words = alias.trim_start_matches(':').split_whitespace();
        let name = alias_words.next().unwrap_or_default().to_string();
        let mut all: Vec<String> = alias_words.map(String::from).collect();
        all.extend(args);
        (name, all)
    }

    /// No such command: the near ones, else every one.
    fn refuse_unknown_command(&mut self, name: &str) {
        let near = suggestions(name);
        let hint = match near.as_slice() {
            [] => {
                let all: Vec<&str> = commands().map(|(n, _)| n[0]).collect();
                format!("commands: {}", all.join(", "))
            }
            some => format!("did you mean :{}?", some.join(", :")),
        };
        self.activity.refuse(format!("no command :{name}; {hint}"));
    }

    /// `:logs`, `:logs NAME` (or `NAME@HOST`).
    fn logs_command(&mut self, args: &[String]) -> Effects {
        match args {
            [] => self.apply(PaneAction::Logs),
            [name] => match self.container_named(name) {
                Ok(row) => self.open_logs_of(row).into(),
                Err(why) => {
                    self.activity.refuse(why);
                    Effects::default()
                }
            },
            _ => {
                self.activity
                    .refuse("one container: :logs NAME (or NAME@HOST)".to_string());
                Effects::default()
            }
        }
    }

    /// `:rename`, `:rename NEW`.
    fn rename_command(&mut self, args: &[String]) -> Effects {
        match args {
            [] => self.apply(PaneAction::Rename),
            [name] => self.rename_to(name).into(),
            _ => {
                self.activity
                    .refuse("one new name: :rename NEW (letters, digits, '_', '.', '-')");
                Effects::default()
            }
        }
    }

    /// `:swarm`, `:nodes`, …: the Swarm view on that tab.
    fn swarm_command(&mut self, tab: Tab) -> Effects {
        let mut effects = self.apply(PaneAction::Swarm);
        let open = self.view.as_ref().is_some_and(super::swarm_lists::is_swarm);
        if open && tab != Tab::Services {
            // That tab's listing in place of the services'.
            effects.docker = self.swarm_then(super::swarm::SwarmThen::Tab(tab)).docker;
        }
        effects
    }

    /// `:containers /web @build1`: that pane, filtered; `/web` and `@build1` make one
    /// filter, as typed after `/`. A word of neither kind, or a host not known, changes
    /// nothing.
    fn list_command(&mut self, pane: Pane, args: &[String]) -> Effects {
        self.focus = pane;
        let mut filter = Vec::new();
        for arg in args {
            match (arg.strip_prefix('/'), arg.strip_prefix('@')) {
                (Some(text), _) => filter.push(text.to_string()),
                (_, Some(host)) if self.host_known(host) => filter.push(arg.clone()),
                (_, Some(host)) => {
                    let names: Vec<&str> =
                        self.hosts.iter().map(|h| h.spec.name.as_str()).collect();
                    self.activity.refuse(format!(
                        "no host named {host}; the hosts are {}",
                        names.join(", ")
                    ));
                    return Effects::default();
                }
                _ => {
                    self.activity
                        .refuse(format!("{arg}: write /{arg} to filter the list by it"));
                    return Effects::default();
                }
            }
        }
        if !filter.is_empty() {
            self.set_filter(pane, &filter.join(" "));
        }
        Effects::default()
    }

    /// Some host's name starts with `prefix` (any case), as `@prefix` in a filter matches.
    fn host_known(&self, prefix: &str) -> bool {
        let prefix = prefix.to_lowercase();
        self.hosts
            .iter()
            .any(|h| h.spec.name.to_lowercase().starts_with(&prefix))
    }
}

impl App {
    /// `:layers`, `:layers IMAGE`, `:layers --remote REF`.
    fn layers_command(&mut self, args: &[String]) -> Effects {
        use crate::docker::layers::feed::Source;
        let host = self.active_host();
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        match words.as_slice() {
            [] => self.apply(PaneAction::Layers),
            ["--remote", reference] => match crate::reference::parse(reference) {
                Ok(r) => self
                    .open_layers_of(r.normalized(), Source::Remote(r), host)
                    .into(),
                Err(e) => {
                    self.activity.refuse(format!("{reference}: {e}"));
                    Effects::default()
                }
            },
            [image] if !image.starts_with('-') => self
                .open_layers_of(image.to_string(), Source::Local(image.to_string()), host)
                .into(),
            _ => {
                self.activity
                    .refuse("one image: :layers IMAGE, or :layers --remote REFERENCE");
                Effects::default()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_complete_and_near_misses_are_suggested() {
        assert_eq!(complete("im").as_deref(), Some("images"));
        assert_eq!(complete("ev").as_deref(), Some("events"));
        assert_eq!(complete("ps /web"), None);
        assert_eq!(suggestions("imgaes"), ["images"]);
        assert_eq!(suggestions("zzz"), Vec::<&str>::new());
        assert_eq!(suggestions("imags"), ["images"]);
        assert_eq!(suggestions("contaners"), ["containers"]);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        // A longer word is not the shorter command it starts with.
        assert_eq!(lookup("logs"), Some(Command::Logs));
        assert_eq!(suggestions("logss"), ["logs"]);
        assert_eq!(suggestions("imagesfoo"), Vec::<&str>::new());
    }
}
