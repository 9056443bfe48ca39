//! Compose projects from their files as well as their containers' labels (the projects view,
//! `J`): what was read of each file (by mtime; read again when it changes, only while the
//! view is open), the rows made from that and the containers listed, each service's drift,
//! and `docker compose` runs in terminal tabs.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use super::compose_view::ComposeAsk;
use super::effects::Routed;
use super::list::{Hosted, Tone};
use super::view::View;
use super::{App, Local, Pane};
use crate::docker::compose_file::{
    ProjectFile, ProjectRef, Scan, ScanRequest, Source, Stamp, Tool,
};
use crate::docker::{Command, ContainerRow, HostId, ImageRow, Op, OpError};
use crate::pty::{SessionId, SessionKind};

/// Seconds between two looks at the files' mtimes while the view is open.
const EVERY: i64 = 2;

/// What is known of Compose on this machine.
#[derive(Debug, Clone, Default)]
pub struct ComposeFiles {
    /// `[compose] program`.
    pub configured: Option<PathBuf>,
    /// The start folder, `--compose-dir` and `[compose] dirs`.
    pub dirs: Vec<PathBuf>,
    /// `None` until the first scan.
    pub tool: Option<Result<Tool, String>>,
    pub reads: BTreeMap<Source, (Stamp, Result<Arc<ProjectFile>, String>)>,
    scanning: bool,
    /// When the last scan was asked (unix seconds); `None`: at once.
    asked: Option<i64>,
    /// `docker compose` runs in terminal tabs.
    runs: HashMap<SessionId, Run>,
}

/// A `docker compose` run in a tab: the command log's entry, its line, when it began, and
/// what is asked once it succeeds.
#[derive(Debug, Clone)]
struct Run {
    op: crate::docker::OpId,
    /// The project's host: listed again when the run ends.
    host: HostId,
    line: String,
    began: i64,
    after: Option<ComposeAsk>,
}

impl ComposeFiles {
    /// Whether the files a project's labels name are still to be read: no scan has answered
    /// for them yet (the first, one after Ctrl-R, or the next after its containers came).
    fn still_reading(&self, labels: &crate::docker::compose::Compose) -> bool {
        let source = label_source(labels);
        !files_empty(&source) && !self.reads.contains_key(&source)
    }

    pub fn new(configured: Option<PathBuf>, dirs: Vec<PathBuf>) -> Self {
        Self {
            configured,
            dirs,
            ..Self::default()
        }
    }
}

/// Why a service is out of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drift {
    /// The image its file names has a newer local digest than its container's.
    Image,
    /// Its file's configuration hash is not its container's `com.docker.compose.config-hash`.
    Config,
    /// A service of the file without a container.
    NoContainer,
    /// A container of a service the file does not have.
    NoService,
}

impl Drift {
    pub fn text(self) -> &'static str {
        match self {
            Drift::Image => "image newer",
            Drift::Config => "config changed",
            Drift::NoContainer => "no container",
            Drift::NoService => "not in the file",
        }
    }
}

/// A service as the services view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceRow {
    pub name: String,
    pub image: String,
    pub running: usize,
    /// Replicas the file wants (0: not in the file).
    pub wanted: u32,
    pub ports: String,
    pub state: String,
    pub drift: Vec<Drift>,
}

/// A project as the projects view shows it.
#[derive(Debug, Clone, Default)]
pub struct ProjectRow {
    pub name: String,
    pub running: usize,
    pub total: usize,
    pub services: Vec<ServiceRow>,
    pub files: String,
    pub dir: String,
    /// A broken file: the tool's own words (or why there is no tool to read it).
    pub problem: Option<String>,
    /// Its file could not be read for want of the tool.
    pub unread: bool,
    /// Listed from its containers' labels, the files they name not read yet.
    pub reading: bool,
    pub file: Option<Arc<ProjectFile>>,
    /// How its verbs name it.
    pub target: ProjectRef,
}

impl ProjectRow {
    /// "2/2 running", "1/2 partial", "0/2 stopped", "down", "broken file".
    pub fn state(&self) -> (String, Tone) {
        let (running, total) = (self.running, self.total);
        match () {
            _ if self.unread => ("not read".into(), Tone::Bad),
            _ if self.problem.is_some() => ("broken file".into(), Tone::Bad),
            _ if total == 0 => ("down".into(), Tone::Dim),
            _ if running == total => (format!("{running}/{total} running"), Tone::Good),
            _ if running == 0 => (format!("0/{total} stopped"), Tone::Dim),
            _ => (format!("{running}/{total} partial"), Tone::Bad),
        }
    }

    /// Why a verb that needs its files cannot run, without them: still being read, or not
    /// on this machine (`then`: what the refusal says after its name).
    pub fn no_files(&self, then: &str) -> Option<String> {
        match (&self.file, self.reading) {
            (Some(_), _) => None,
            (None, true) => Some(format!(
                "still reading {}'s files: try again in a moment",
                self.name
            )),
            (None, false) => Some(format!("{}{then}", self.name)),
        }
    }

    /// Its services out of date that `up` can bring up (a container without a service cannot).
    pub fn drifted(&self) -> Vec<&ServiceRow> {
        (self.services.iter())
            .filter(|s| s.drift.iter().any(|d| *d != Drift::NoService))
            .collect()
    }

    pub fn out_of_date(&self) -> usize {
        self.services.iter().filter(|s| !s.drift.is_empty()).count()
    }
}

/// "2 services out of date".
pub fn out_of_date_text(n: usize) -> String {
    crate::format::plural(n, "service out of date", "services out of date")
}

/// A project's rows on every host: from its containers' labels, and from the files read
/// (a project no host runs is listed "down" on `home`, the host files are for by default).
pub fn project_rows<'a>(
    containers: impl Iterator<Item = &'a ContainerRow>,
    images: &[&ImageRow],
    files: &ComposeFiles,
    home: HostId,
) -> Vec<Hosted<ProjectRow>> {
    let mut groups: BTreeMap<(HostId, String), Vec<&ContainerRow>> = BTreeMap::new();
    for c in containers {
        if let Some(compose) = &c.compose {
            groups
                .entry((c.host, compose.project.clone()))
                .or_default()
                .push(c);
        }
    }
    let mut read: BTreeMap<String, Arc<ProjectFile>> = BTreeMap::new();
    let mut broken: Vec<(String, PathBuf, String)> = Vec::new();
    for (source, (stamp, result)) in &files.reads {
        match (result, source) {
            (Ok(file), _) => {
                read.entry(file.name.clone())
                    .or_insert_with(|| file.clone());
            }
            // No file there (a folder without one; a label's files on another machine): no
            // project, no problem.
            (Err(_), _) if stamp.values().all(Option::is_none) => {}
            (Err(why), source) => {
                let dir = match source {
                    Source::Dir(d) => d.clone(),
                    Source::Files(f) => f
                        .first()
                        .and_then(|f| f.parent())
                        .map(Into::into)
                        .unwrap_or_default(),
                };
                let name = dir
                    .file_name()
                    .map(|n| n.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                broken.push((name, dir, why.clone()));
            }
        }
    }
    for name in read.keys() {
        if !groups.keys().any(|(_, n)| n == name) {
            groups.insert((home, name.clone()), Vec::new());
        }
    }
    let mut rows: Vec<Hosted<ProjectRow>> = groups
        .into_iter()
        .map(|((host, name), group)| {
            let host_images: Vec<&ImageRow> = (images.iter().copied())
                .filter(|i| i.host == host)
                .collect();
            let mut row = project(&name, &group, read.get(&name).cloned(), &host_images);
            let labels = group.iter().find_map(|c| c.compose.as_deref());
            row.reading = row.file.is_none() && labels.is_some_and(|l| files.still_reading(l));
            Hosted { host, row }
        })
        .collect();
    for (name, dir, why) in broken {
        if rows.iter().any(|r| r.row.name == name) {
            continue;
        }
        let row = ProjectRow {
            target: ProjectRef {
                name: name.clone(),
                files: Vec::new(),
            },
            name,
            dir: dir.display().to_string(),
            problem: Some(first_line(&why)),
            unread: matches!(files.tool, Some(Err(_))),
            ..Default::default()
        };
        rows.push(Hosted { host: home, row });
    }
    rows
}

/// The tool's error on one line (it may end in a newline or wrap).
fn first_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn project(
    name: &str,
    group: &[&ContainerRow],
    file: Option<Arc<ProjectFile>>,
    images: &[&ImageRow],
) -> ProjectRow {
    let labels = group.iter().find_map(|c| c.compose.clone());
    let (files, dir, target_files) = match (&file, &labels) {
        (Some(f), _) => (
            // Short: the names alone of those in its folder.
            (f.files.iter())
                .map(|p| match p.parent() == Some(f.dir.as_path()) {
                    true => {
                        (p.file_name()).map_or_else(String::new, |n| n.to_string_lossy().into())
                    }
                    false => p.display().to_string(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            f.dir.display().to_string(),
            f.files.clone(),
        ),
        (None, Some(l)) => (l.files(), l.working_dir.clone(), Vec::new()),
        (None, None) => Default::default(),
    };
    let services = services(group, file.as_deref(), images);
    ProjectRow {
        name: name.to_string(),
        running: group.iter().filter(|c| c.state.is_running()).count(),
        total: group.len(),
        services,
        files,
        dir,
        problem: None,
        unread: false,
        reading: false,
        file,
        target: ProjectRef {
            name: name.to_string(),
            files: target_files,
        },
    }
}

/// The services of the file and of the containers, each with its drift (none for a
/// project that is down: nothing of it runs to be out of date).
fn services(
    group: &[&ContainerRow],
    file: Option<&ProjectFile>,
    images: &[&ImageRow],
) -> Vec<ServiceRow> {
    let of = |service: &str| -> Vec<&ContainerRow> {
        (group.iter().copied())
            .filter(|c| c.compose.as_ref().is_some_and(|l| l.service == service))
            .collect()
    };
    let mut rows = Vec::new();
    for spec in file.map(|f| f.services.as_slice()).unwrap_or_default() {
        let mine = of(&spec.name);
        let mut drift = Vec::new();
        if !group.is_empty() && mine.is_empty() {
            drift.push(Drift::NoContainer);
        }
        if mine.iter().any(|c| {
            let hash = c.compose.as_ref().map_or("", |l| l.config_hash.as_str());
            !hash.is_empty() && !spec.hash.is_empty() && hash != spec.hash
        }) {
            drift.push(Drift::Config);
        }
        let local = image_id(images, &spec.image);
        if local.is_some_and(|id| mine.iter().any(|c| c.image_id != id)) {
            drift.push(Drift::Image);
        }
        rows.push(ServiceRow {
            name: spec.name.clone(),
            image: spec.image.clone(),
            running: mine.iter().filter(|c| c.state.is_running()).count(),
            wanted: spec.replicas,
            // As published now (a port the daemon picked), else as the file asks.
            ports: match mine.first() {
                Some(c) if !c.ports.is_empty() => c.ports.clone(),
                _ => spec.ports.join(", "),
            },
            state: state(&mine),
            drift,
        });
    }
    // Containers of services the file does not have (or all of them, without a file).
    let mut others: BTreeMap<String, Vec<&ContainerRow>> = BTreeMap::new();
    for c in group {
        let service = c
            .compose
            .as_ref()
            .map(|l| l.service.clone())
            .unwrap_or_default();
        if !rows.iter().any(|r| r.name == service) {
            others.entry(service).or_default().push(c);
        }
    }
    for (name, mine) in others {
        rows.push(ServiceRow {
            image: mine.first().map(|c| c.image.clone()).unwrap_or_default(),
            running: mine.iter().filter(|c| c.state.is_running()).count(),
            ports: mine.first().map(|c| c.ports.clone()).unwrap_or_default(),
            state: state(&mine),
            drift: if file.is_some() {
                vec![Drift::NoService]
            } else {
                Vec::new()
            },
            name,
            wanted: 0,
        });
    }
    rows
}

/// The local image a reference names (`name` alone meaning `name:latest`).
fn image_id<'a>(images: &'a [&ImageRow], reference: &str) -> Option<&'a str> {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    let full = match last.contains(':') || reference.contains('@') {
        true => reference.to_string(),
        false => format!("{reference}:latest"),
    };
    images
        .iter()
        .find(|i| i.name().as_deref() == Some(full.as_str()))
        .map(|i| i.id.as_str())
}

/// "running", "exited", "2/3 running", "down".
fn state(mine: &[&ContainerRow]) -> String {
    let running = mine.iter().filter(|c| c.state.is_running()).count();
    match (running, mine.len()) {
        (_, 0) => "down".into(),
        (r, n) if r == n => "running".into(),
        (0, _) => mine
            .first()
            .map(|c| c.state.as_str().to_string())
            .unwrap_or_default(),
        (r, n) => format!("{r}/{n} running"),
    }
}

impl App {
    /// A projects view is open (or under the view open).
    fn projects_open(&self) -> bool {
        self.views()
            .any(|v| v.list_of::<super::compose_view::Projects>().is_some())
    }

    /// Every source to read: the folders given, and the files projects' labels name.
    fn compose_sources(&self) -> Vec<Source> {
        let mut sources: Vec<Source> = self
            .compose_files
            .dirs
            .iter()
            .cloned()
            .map(Source::Dir)
            .collect();
        for c in self.containers.rows() {
            let Some(labels) = &c.compose else { continue };
            let source = label_source(labels);
            if !files_empty(&source) && !sources.contains(&source) {
                sources.push(source);
            }
        }
        sources
    }

    /// The files' mtimes looked at, when the projects view is open and the last look is
    /// old enough (at rest, with the view closed, nothing runs).
    pub(super) fn compose_scan_due(&mut self) -> Option<Local> {
        let files = &self.compose_files;
        let due = files.asked.is_none_or(|at| self.now - at >= EVERY);
        if files.scanning || !due || !self.projects_open() {
            return None;
        }
        let sources = (self.compose_sources().into_iter())
            .map(|s| {
                let known = self
                    .compose_files
                    .reads
                    .get(&s)
                    .map(|(stamp, _)| stamp.clone());
                (s, known)
            })
            .collect();
        let files = &mut self.compose_files;
        files.scanning = true;
        files.asked = Some(self.now);
        Some(Local::ComposeScan(ScanRequest {
            configured: files.configured.clone(),
            tool: files.tool.clone().and_then(Result::ok),
            sources,
        }))
    }

    /// A scan's answer: what changed is kept, the views follow.
    pub(super) fn compose_scanned(&mut self, scan: Scan) {
        let files = &mut self.compose_files;
        files.scanning = false;
        // The next look `EVERY` seconds after this one ended (a slow read is not repeated
        // back to back).
        files.asked = files.asked.map(|_| self.now);
        files.tool = Some(scan.tool);
        for (source, stamp, result) in scan.reads {
            files.reads.insert(source, (stamp, result.map(Arc::new)));
        }
        self.refresh_compose_views();
    }

    /// Ctrl-R in the projects view: every file read again now.
    pub(super) fn compose_reread(&mut self) {
        self.compose_files.reads.clear();
        self.compose_look_now();
    }

    /// The files' mtimes looked at with the next event, not in `EVERY` seconds.
    pub(super) fn compose_look_now(&mut self) {
        self.compose_files.asked = None;
    }

    /// Every project on every host, as now known.
    pub(super) fn compose_rows(&self) -> Vec<Hosted<ProjectRow>> {
        let home = self.hosts.first().map_or_else(HostId::default, |h| h.id);
        let images: Vec<&ImageRow> = self.images.rows().collect();
        let containers = self.containers.rows();
        project_rows(containers, &images, &self.compose_files, home)
    }

    /// The projects and services views, open or under the view open, show what is known now.
    pub(super) fn refresh_compose_views(&mut self) {
        use super::compose_view::{Projects, Services};
        if !self.projects_open() {
            return;
        }
        let rows = self.compose_rows();
        let page = crate::layout::view_page(&self.areas());
        let tool = self.compose_files.tool.clone();
        let scanned = tool.is_some();
        for view in self.view.iter_mut().chain(self.stack.iter_mut()) {
            if let Some(list) = view.list_of_mut::<Projects>() {
                list.kind.tool = tool.clone();
                list.kind.out_of_date = rows.iter().map(|r| r.row.out_of_date()).sum();
                list.room.loading = !scanned;
                list.replace(rows.clone(), page, &self.host_names);
            } else if let Some(list) = view.list_of_mut::<Services>() {
                let (host, name) = (list.kind.host, list.kind.project.clone());
                let project = (rows.iter()).find(|r| r.host == host && r.row.name == name);
                let services = project.map(|r| r.row.services.clone()).unwrap_or_default();
                if let Some(project) = project {
                    list.kind.row = project.row.clone();
                }
                list.room.loading = false;
                list.replace(
                    services
                        .into_iter()
                        .map(|row| Hosted { host, row })
                        .collect(),
                    page,
                    &self.host_names,
                );
            }
        }
    }

    /// Runs `docker compose ARGS` for `project` on `host` in a terminal tab, with the host's
    /// DOCKER_HOST and TLS variables; the list it came from is back when it ends, with
    /// `after` asked if it succeeded. Refused (nothing run) on a read-only or down host,
    /// without the tool, or with a broken file.
    pub(super) fn compose_run(
        &mut self,
        host: HostId,
        project: &ProjectRef,
        verb: Vec<String>,
        after: Option<ComposeAsk>,
    ) -> Vec<super::effects::Routed> {
        if let Some(why) = self.compose_refuses(host) {
            self.activity.refuse(why);
            return Vec::new();
        }
        let Some(Ok(tool)) = self.compose_files.tool.clone() else {
            return Vec::new();
        };
        let (run, shown) = tool.argv(&project.args(&verb));
        let mut env = Vec::new();
        if let Some(h) = self.host(host) {
            if !h.spec.docker_host.is_empty() {
                env.push(("DOCKER_HOST".to_string(), h.spec.docker_host.clone()));
            }
            env.extend(h.spec.docker_env.iter().cloned());
        }
        let name = format!(
            "compose {} {}",
            project.name,
            verb.first().map_or("", String::as_str)
        );
        let line = crate::run_spec::join_command(&shown);
        let logged = crate::custom::Invocation {
            name: name.clone(),
            argv: shown,
            env: Vec::new(),
        };
        let op = self.activity.start(Op::Custom(logged), self.now);
        let call = crate::custom::Invocation {
            name: name.clone(),
            argv: run,
            env,
        };
        let target = crate::docker::Target {
            id: format!("compose:{}", project.name).as_str().into(),
            name,
        };
        // The list waits under the panes while the tab runs (its keys go to the tool).
        self.keep_under();
        // The project's host: the tab ends with it, as a container's does.
        let commands = self.open_session_on(host, target, SessionKind::Local(call));
        if let Some(session) = self.terminals.sessions.last_mut() {
            let run = Run {
                op,
                host,
                line,
                began: self.now,
                after,
            };
            self.compose_files.runs.insert(session.id, run);
        }
        commands
    }

    /// Why a `docker compose` run on `host` cannot go now: read-only (all of dockpit or the
    /// host), the host down, or no usable Compose.
    pub(super) fn compose_refuses(&self, host: HostId) -> Option<String> {
        if self.prefs.read_only {
            return Some(super::READ_ONLY.into());
        }
        if let Some(why) = self.host_refuses(host, true) {
            return Some(why);
        }
        match &self.compose_files.tool {
            Some(Ok(_)) => None,
            Some(Err(why)) => Some(format!("nothing run: {why}")),
            None => Some("Compose is still being looked for: try again in a moment".into()),
        }
    }

    /// A tab's session ended: a `docker compose` run says how, and its list is back; its
    /// host is listed again (what it returns).
    pub(super) fn compose_run_ended(&mut self, id: SessionId, reason: &str) -> Vec<Routed> {
        let Some(Run {
            op,
            host,
            line,
            began,
            after,
        }) = self.compose_files.runs.remove(&id)
        else {
            return Vec::new();
        };
        let ok = reason == "exited (code 0)";
        let elapsed = std::time::Duration::from_secs(u64::try_from(self.now - began).unwrap_or(0));
        let result = match ok {
            true => Ok(String::new()),
            false => Err(OpError::new(reason.to_string())),
        };
        self.activity.done(op, result, elapsed);
        if self.view.is_none() && self.stack.last().is_some_and(|v| v.list().is_some()) {
            self.pop_view();
            self.focus = Pane::Containers;
        }
        let text = format!("{line}: {reason}");
        match ok {
            true => self.activity.note(text),
            false => self.activity.refuse(text),
        }
        if let Some(after) = after.filter(|_| ok) {
            self.compose_offer(after);
        }
        // What it changed in the files or the containers shows at the next look.
        self.compose_look_now();
        // An image it built may come with no event to list it by (BuildKit's, on Engine
        // 20.10): the images pane would miss it until the next resync, minutes later.
        vec![(host, Command::Refresh)]
    }

    /// `c`: the rendered file in the inspect view.
    pub(super) fn compose_config(&mut self, title: String, file: &ProjectFile) {
        let inspection = crate::docker::inspect::Inspection {
            summary: vec![
                ("project".into(), file.name.clone()),
                ("folder".into(), file.dir.display().to_string()),
                (
                    "files".into(),
                    file.files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                (
                    "services".into(),
                    file.services
                        .iter()
                        .map(|s| s.name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
            json: file.json.clone(),
            top: None,
            changes: None,
        };
        let view = super::inspect::InspectView {
            id: self.view_id(),
            title,
            result: Some(Ok(inspection)),
            tab: super::inspect::Tab::Json,
            scroll: 0,
            search: Default::default(),
            links: None,
            timeline: None,
        };
        self.push_view(View::Inspect(Box::new(view)));
    }
}

/// The files a project's containers' labels name, as a source to read.
fn label_source(labels: &crate::docker::compose::Compose) -> Source {
    let files = (labels.config_files.split(','))
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .collect();
    Source::Files(files)
}

fn files_empty(source: &Source) -> bool {
    matches!(source, Source::Files(f) if f.is_empty())
}
