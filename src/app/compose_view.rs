//! The Compose projects view (`J`, `:compose`) and a project's services (`Enter`), two kinds
//! of the generic list whose rows the app makes ([`super::compose_files`]). Their verbs run
//! `docker compose` in a terminal tab, asking first when they take something down or
//! recreate it (down with volumes asks twice).

use super::App;
use super::compose_files::{Drift, ProjectRow, ServiceRow, out_of_date_text};
use super::dialog::{Choice, Confirm, ConfirmKind, Dialog};
use super::keymap::{ComposeAction, ComposeServicesAction};
use super::list::{Column, Hosted, Kind, List, Tone, Width, by_text};
use super::room::Room;
use super::view::{Ctx, Outcome, Then, View};
use crate::docker::HostId;
use crate::docker::compose_file::{ProjectRef, Tool};

/// What a verb runs: `docker compose -p … -f … ARGS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Up,
    Down,
    Pull,
    Build,
    Restart,
    Stop,
    Start,
    /// `up -d --force-recreate --no-deps` of services.
    Recreate,
    /// `up -d --no-deps` of the services out of date.
    UpDrifted,
    /// `up -d --no-deps` of a service just built (its new image): offered after its build.
    Rebuilt,
}

impl Verb {
    /// Its words, with the choices switched on in its question.
    pub fn args(self, on: &[char], services: &[String]) -> Vec<String> {
        let words: &[&str] = match self {
            Verb::Up => &["up", "-d"],
            Verb::Down => &["down"],
            Verb::Pull => &["pull"],
            Verb::Build => &["build"],
            Verb::Restart => &["restart"],
            Verb::Stop => &["stop"],
            Verb::Start => &["start"],
            Verb::Recreate => &["up", "-d", "--force-recreate", "--no-deps"],
            Verb::UpDrifted | Verb::Rebuilt => &["up", "-d", "--no-deps"],
        };
        let mut args: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let choices: &[(char, &[&str])] = match self {
            Verb::Up => &[
                ('b', &["--build"]),
                ('p', &["--pull", "always"]),
                ('f', &["--force-recreate"]),
            ],
            Verb::Down => &[('v', &["--volumes"]), ('i', &["--rmi", "all"])],
            _ => &[],
        };
        for (key, words) in choices {
            if on.contains(key) {
                args.extend(words.iter().map(|w| w.to_string()));
            }
        }
        if self != Verb::Down {
            args.extend(services.iter().cloned());
        }
        args
    }

    /// Its question's choices (`Space` or the key switches one).
    fn choices(self) -> Vec<Choice> {
        let choice = |key, label| Choice {
            key,
            label,
            on: false,
        };
        match self {
            Verb::Up => vec![
                choice('b', "--build: build images first"),
                choice('p', "--pull always: pull images first"),
                choice('f', "--force-recreate: recreate every container"),
            ],
            Verb::Down => vec![
                choice('v', "--volumes: remove its volumes too (asks again)"),
                choice('i', "--rmi all: remove its images too"),
            ],
            _ => Vec::new(),
        }
    }

    /// Whether it asks first (it takes down or recreates containers, or has choices).
    fn asks(self) -> bool {
        !matches!(self, Verb::Pull | Verb::Build | Verb::Start)
    }
}

/// A `docker compose` run asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeAsk {
    pub host: HostId,
    pub project: ProjectRef,
    pub verb: Verb,
    pub services: Vec<String>,
    /// Down with volumes, asked the second time.
    pub again: bool,
    /// The other marked projects the verb runs on, each in its own tab.
    pub others: Vec<ComposeTarget>,
}

/// A project a verb runs on: its host, how it is named, the services it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeTarget {
    pub host: HostId,
    pub project: ProjectRef,
    pub services: Vec<String>,
}

impl ComposeAsk {
    /// Every project it runs on, the first one first.
    fn each(&self) -> Vec<ComposeTarget> {
        let first = ComposeTarget {
            host: self.host,
            project: self.project.clone(),
            services: self.services.clone(),
        };
        std::iter::once(first).chain(self.others.clone()).collect()
    }

    /// "shop", or "shop, blog" with marked projects.
    fn names(&self) -> String {
        let names: Vec<String> = self.each().into_iter().map(|t| t.project.name).collect();
        names.join(", ")
    }
}

/// What the projects and services views ask the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComposeThen {
    /// Ask about it (or run it, for a verb that asks nothing) unless its host or the tool
    /// refuses.
    Ask(ComposeAsk),
    /// Run it (answered: with the choices switched on).
    Run(ComposeAsk, Vec<char>),
    /// A project's services.
    Services { host: HostId, project: String },
    /// A project's rendered file in the inspect view.
    Config { host: HostId, project: String },
    /// Every file read again (Ctrl-R).
    Reread,
}

/// The projects kind; what the title says, kept as the rows are made.
#[derive(Debug, Clone, Default)]
pub struct Projects {
    pub tool: Option<Result<Tool, String>>,
    pub out_of_date: usize,
}

impl Kind for Projects {
    type Row = ProjectRow;
    type Action = ComposeAction;
    const TITLE: &'static str = "Compose projects";

    fn noun() -> String {
        "projects".into()
    }

    fn title(&self) -> String {
        let tool = match &self.tool {
            None => "looking for Compose…".to_string(),
            Some(Ok(tool)) => format!("Compose {}", tool.version),
            // Why is in each file's row and in every refusal: the title stays short.
            Some(Err(_)) => "no usable Compose v2".to_string(),
        };
        match self.out_of_date {
            0 => format!("{} — {tool}", Self::TITLE),
            n => format!("{} — {tool} — {}", Self::TITLE, out_of_date_text(n)),
        }
    }

    fn columns(&self) -> Vec<Column<ProjectRow>> {
        vec![
            Column::new("PROJECT", Width::Content(30), 0).sorts(|a, b| by_text(&a.name, &b.name)),
            Column::new("STATE", Width::Content(16), 0)
                .sorts(|a, b| (a.running, a.total).cmp(&(b.running, b.total))),
            Column::new("SERVICES", Width::Content(30), 1),
            Column::new("DRIFT", Width::Content(28), 0)
                .sorts(|a, b| a.out_of_date().cmp(&b.out_of_date())),
            Column::new("FILES", Width::Content(40), 2),
            Column::new("FOLDER", Width::Fit(40), 3).sorts(|a, b| by_text(&a.dir, &b.dir)),
            // A broken file's own error, in the room left.
            Column::new("PROBLEM", Width::Grow(12), 1),
        ]
    }

    fn id(row: &ProjectRow) -> &str {
        &row.name
    }

    fn name(row: &ProjectRow) -> &str {
        &row.name
    }

    fn cells(&self, r: &ProjectRow) -> Vec<String> {
        let services: Vec<&str> = r.services.iter().map(|s| s.name.as_str()).collect();
        let drift = match r.out_of_date() {
            0 => String::new(),
            n => out_of_date_text(n),
        };
        vec![
            r.name.clone(),
            r.state().0,
            services.join(", "),
            drift,
            r.files.clone(),
            r.dir.clone(),
            r.problem.clone().unwrap_or_default(),
        ]
    }

    fn tone(&self, row: &ProjectRow) -> Option<(usize, Tone)> {
        Some((1, row.state().1))
    }

    // The app makes its rows from the containers listed and the files read.

    fn verb(list: &mut List<Self>, action: ComposeAction, cx: &mut Ctx) -> Outcome {
        let verb = match action {
            ComposeAction::Close => return Outcome::close(),
            ComposeAction::Refresh => {
                return Outcome::stay().then(Then::Compose(ComposeThen::Reread));
            }
            ComposeAction::Up => Verb::Up,
            ComposeAction::Down => Verb::Down,
            ComposeAction::Pull => Verb::Pull,
            ComposeAction::Build => Verb::Build,
            ComposeAction::Restart => Verb::Restart,
            ComposeAction::Stop => Verb::Stop,
            ComposeAction::Start => Verb::Start,
            ComposeAction::UpDrifted => Verb::UpDrifted,
            ComposeAction::Services | ComposeAction::Config => {
                let Some(Hosted { host, row }) = list.selected() else {
                    cx.activity.refuse("no project selected");
                    return Outcome::stay();
                };
                let (host, project) = (*host, row.name.clone());
                // A broken file says why; else its files are still being read, or elsewhere.
                let why = (row.problem.clone())
                    .or_else(|| row.no_files("'s files are not on this machine"));
                if let (ComposeAction::Config, Some(why)) = (action, why) {
                    cx.activity.refuse(why);
                    return Outcome::stay();
                }
                return Outcome::stay().then(Then::Compose(match action {
                    ComposeAction::Services => ComposeThen::Services { host, project },
                    _ => ComposeThen::Config { host, project },
                }));
            }
        };
        // The marked projects, else the selected one.
        let targets: Vec<Hosted<ProjectRow>> = list.targets().into_iter().cloned().collect();
        if targets.is_empty() {
            cx.activity.refuse("no project selected");
            return Outcome::stay();
        }
        let mut runs = Vec::new();
        for Hosted { host, row } in &targets {
            let services: Vec<String> = match verb {
                Verb::UpDrifted => row.drifted().iter().map(|s| s.name.clone()).collect(),
                _ => Vec::new(),
            };
            if verb == Verb::UpDrifted && services.is_empty() {
                continue;
            }
            if let Some(why) = refusal(row, verb) {
                cx.activity.refuse(why);
                return Outcome::stay();
            }
            runs.push((*host, row, services));
        }
        if runs.is_empty() {
            let names: Vec<&str> = targets.iter().map(|t| t.row.name.as_str()).collect();
            cx.activity
                .note(format!("{}: every service is up to date", names.join(", ")));
            return Outcome::stay();
        }
        let others = (runs.iter().skip(1))
            .map(|(host, row, services)| ComposeTarget {
                host: *host,
                project: row.target.clone(),
                services: services.clone(),
            })
            .collect();
        let (host, row, services) = runs.swap_remove(0);
        ask(host, row, verb, services, others)
    }
}

/// Why a verb cannot run on a project, as the row itself says: a broken file, a verb that
/// needs the files where they are not.
fn refusal(row: &ProjectRow, verb: Verb) -> Option<String> {
    if let Some(problem) = &row.problem {
        let what = match row.unread {
            true => "nothing run",
            false => "nothing run, its file is broken",
        };
        return Some(format!("{}: {what}: {problem}", row.name));
    }
    let needs_files = matches!(
        verb,
        Verb::Up | Verb::Pull | Verb::Build | Verb::Recreate | Verb::UpDrifted
    );
    let named = if row.files.is_empty() {
        "none"
    } else {
        &row.files
    };
    let then = format!(
        ": its files are not on this machine (labels name {named}): only stop, start, restart and down work by name"
    );
    needs_files.then(|| row.no_files(&then)).flatten()
}

/// Hands a verb to the app, which refuses a read-only or down host and a missing tool, then
/// asks or runs it.
fn ask(
    host: HostId,
    row: &ProjectRow,
    verb: Verb,
    services: Vec<String>,
    others: Vec<ComposeTarget>,
) -> Outcome {
    let run = ComposeAsk {
        host,
        project: row.target.clone(),
        verb,
        services,
        again: false,
        others,
    };
    Outcome::stay().then(Then::Compose(ComposeThen::Ask(run)))
}

/// The question before a run: what it does, and the exact line.
fn question(run: ComposeAsk) -> Confirm {
    let several = !run.others.is_empty();
    let what = match (run.verb, run.services.as_slice()) {
        (Verb::Down, _) if run.again => {
            format!("Really remove {}'s volumes and their data?", run.names())
        }
        _ if several => format!(
            "{} {} projects: {}?",
            title(run.verb),
            run.others.len() + 1,
            run.names()
        ),
        (Verb::Rebuilt, some) => format!(
            "Built {} of {}: recreate {} with the new image?",
            some.join(", "),
            run.project.name,
            if some.len() == 1 { "it" } else { "them" }
        ),
        (_, []) => format!("{} project {}?", title(run.verb), run.project.name),
        (_, some) => format!(
            "{} {} of {}?",
            title(run.verb),
            some.join(", "),
            run.project.name
        ),
    };
    // One line a project (each runs in its own tab).
    let mut lines: Vec<String> = (run.each().into_iter())
        .map(|t| {
            let args = t.project.args(&run.verb.args(&[], &t.services));
            format!("$ docker compose {}", crate::run_spec::join_command(&args))
        })
        .collect();
    if run.again {
        lines.insert(
            0,
            "Its named volumes and anonymous volumes go, with what they hold.".into(),
        );
    }
    Confirm {
        title: format!(" {what} "),
        lines,
        choices: if run.again {
            Vec::new()
        } else {
            run.verb.choices()
        },
        host: run.host,
        kind: ConfirmKind::Compose(Box::new(run)),
    }
}

/// A build of services offers, once it succeeds, to recreate them with the new image.
fn after_build(run: &ComposeAsk) -> Option<ComposeAsk> {
    let services = run.verb == Verb::Build && !run.services.is_empty() && run.others.is_empty();
    services.then(|| ComposeAsk {
        verb: Verb::Rebuilt,
        ..run.clone()
    })
}

fn title(verb: Verb) -> &'static str {
    match verb {
        Verb::Up | Verb::UpDrifted => "Bring up",
        Verb::Down => "Take down",
        Verb::Pull => "Pull",
        Verb::Build => "Build",
        Verb::Restart => "Restart",
        Verb::Stop => "Stop",
        Verb::Start => "Start",
        Verb::Recreate | Verb::Rebuilt => "Recreate",
    }
}

/// A project's services kind.
#[derive(Debug, Clone)]
pub struct Services {
    pub host: HostId,
    pub project: String,
    pub row: ProjectRow,
}

impl Kind for Services {
    type Row = ServiceRow;
    type Action = ComposeServicesAction;
    const TITLE: &'static str = "Compose services";
    const HOSTED: bool = false;

    fn noun() -> String {
        "services".into()
    }

    fn title(&self) -> String {
        format!("Compose services of {}", self.project)
    }

    fn columns(&self) -> Vec<Column<ServiceRow>> {
        vec![
            Column::new("SERVICE", Width::Content(30), 0).sorts(|a, b| by_text(&a.name, &b.name)),
            Column::new("IMAGE", Width::Content(40), 1).sorts(|a, b| by_text(&a.image, &b.image)),
            Column::new("REPLICAS", Width::Content(9), 0),
            Column::new("PORTS", Width::Content(40), 2),
            Column::new("STATE", Width::Content(14), 0).sorts(|a, b| by_text(&a.state, &b.state)),
            Column::new("DRIFT", Width::Grow(14), 0),
        ]
    }

    fn id(row: &ServiceRow) -> &str {
        &row.name
    }

    fn name(row: &ServiceRow) -> &str {
        &row.name
    }

    fn cells(&self, r: &ServiceRow) -> Vec<String> {
        let drift: Vec<&str> = r.drift.iter().map(|d| d.text()).collect();
        vec![
            r.name.clone(),
            r.image.clone(),
            format!("{}/{}", r.running, r.wanted),
            r.ports.clone(),
            r.state.clone(),
            drift.join(", "),
        ]
    }

    fn tone(&self, row: &ServiceRow) -> Option<(usize, Tone)> {
        let tone = match row.state.as_str() {
            "running" => Tone::Good,
            "down" => Tone::Dim,
            _ => Tone::Bad,
        };
        Some((4, tone))
    }

    fn verb(list: &mut List<Self>, action: ComposeServicesAction, cx: &mut Ctx) -> Outcome {
        let verb = match action {
            ComposeServicesAction::Close => return Outcome::close(),
            ComposeServicesAction::Up => Verb::Up,
            ComposeServicesAction::Recreate => Verb::Recreate,
            ComposeServicesAction::Pull => Verb::Pull,
            ComposeServicesAction::Build => Verb::Build,
            ComposeServicesAction::Restart => Verb::Restart,
            ComposeServicesAction::Stop => Verb::Stop,
            ComposeServicesAction::Start => Verb::Start,
        };
        // The marked services, else the selected one: one run names them all.
        let services: Vec<ServiceRow> = (list.targets().into_iter())
            .map(|r| r.row.clone())
            .collect();
        if services.is_empty() {
            cx.activity.refuse("no service selected");
            return Outcome::stay();
        }
        let gone = (services.iter()).find(|s| s.drift.contains(&Drift::NoService));
        if let Some(service) = gone.filter(|_| verb != Verb::Stop) {
            cx.activity.refuse(format!(
                "{} is not in the project's file: only stop works on it",
                service.name
            ));
            return Outcome::stay();
        }
        let (host, row) = (list.kind.host, list.kind.row.clone());
        if let Some(why) = refusal(&row, verb) {
            cx.activity.refuse(why);
            return Outcome::stay();
        }
        let names = services.into_iter().map(|s| s.name).collect();
        ask(host, &row, verb, names, Vec::new())
    }
}

impl App {
    /// `J`, `:compose`: the projects view; its files are read at the next look (at once).
    pub(super) fn open_projects(&mut self) {
        let mut list = List::new(
            Projects::default(),
            Room::new(self.view_id(), self.active_host()),
        );
        list.room.loading = self.compose_files.tool.is_none();
        self.view = Some(View::List(Box::new(list)));
        self.compose_look_now();
        self.refresh_compose_views();
    }

    /// A run's follow-up question (a service's build done: recreate it?).
    pub(super) fn compose_offer(&mut self, run: ComposeAsk) {
        self.push_view(View::Dialog(Dialog::Confirm(question(run))));
    }

    /// `Enter` on a project: its services, over the projects view.
    fn open_services(&mut self, host: HostId, project: String) {
        let rows = self.compose_rows();
        let Some(row) = rows
            .into_iter()
            .find(|r| r.host == host && r.row.name == project)
        else {
            return;
        };
        let kind = Services {
            host,
            project,
            row: row.row,
        };
        let mut list = List::new(kind, Room::new(self.view_id(), host));
        list.room.loading = false;
        self.push_view(View::List(Box::new(list)));
        self.refresh_compose_views();
    }

    /// What the projects and services views asked for.
    pub(super) fn compose_then(&mut self, then: ComposeThen) -> Vec<super::effects::Routed> {
        match then {
            ComposeThen::Ask(run) => {
                let refused = run
                    .each()
                    .into_iter()
                    .find_map(|t| self.compose_refuses(t.host));
                if let Some(why) = refused {
                    self.activity.refuse(why);
                    return Vec::new();
                }
                // Several projects or services at once are always asked about, naming them.
                let several = !run.others.is_empty() || run.services.len() > 1;
                if run.verb.asks() || several {
                    self.push_view(View::Dialog(Dialog::Confirm(question(run))));
                    return Vec::new();
                }
                let args = run.verb.args(&[], &run.services);
                self.compose_run(run.host, &run.project, args, after_build(&run))
            }
            ComposeThen::Run(run, on) => {
                if run.verb == Verb::Down && on.contains(&'v') && !run.again {
                    let again = ComposeAsk { again: true, ..run };
                    let mut confirm = question(again);
                    // The second answer keeps the first one's choices.
                    confirm.choices = Verb::Down
                        .choices()
                        .into_iter()
                        .map(|c| Choice {
                            on: on.contains(&c.key),
                            ..c
                        })
                        .collect();
                    self.push_view(View::Dialog(Dialog::Confirm(confirm)));
                    return Vec::new();
                }
                let mut commands = Vec::new();
                let mut after = after_build(&run);
                for t in run.each() {
                    let args = run.verb.args(&on, &t.services);
                    commands.extend(self.compose_run(t.host, &t.project, args, after.take()));
                }
                commands
            }
            ComposeThen::Services { host, project } => {
                self.open_services(host, project);
                Vec::new()
            }
            ComposeThen::Reread => {
                self.compose_reread();
                self.activity.note("reading the compose files again");
                Vec::new()
            }
            ComposeThen::Config { host, project } => {
                let file = (self.compose_rows())
                    .into_iter()
                    .find(|r| r.host == host && r.row.name == project)
                    .and_then(|r| r.row.file);
                if let Some(file) = file {
                    self.compose_config(format!("docker compose -p {project} config"), &file);
                }
                Vec::new()
            }
        }
    }
}
