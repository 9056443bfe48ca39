//! The dialogs actions open: forms (pull, run, tag, commit), confirmations (remove, prune)
//! and the kill signal picker. Each turns into an [`Op`] only once its input is valid.

use crossterm::event::{KeyCode, KeyEvent};

use super::image_remove::ImageFacts;
use super::keymap::{DialogAction, Nav};
use super::text_input::TextInput;
use super::view::{Ctx, Outcome, Then};
use crate::docker::actions::swarm::SwarmOp;
use crate::docker::{HostId, Op, Target};
use crate::reference::{self, Reference};
use crate::run_spec::{RunField, RunFields};

/// Which field of which form: forms read their fields by name, never by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldId {
    /// An image reference (pull, explore).
    Reference,
    Run(RunField),
    /// The new `repository:tag` (tag, commit).
    NewName,
    Message,
    Author,
    /// A command line to exec.
    ExecCommand,
    /// A Docker endpoint to add to the live hosts.
    Endpoint,
    /// A volume's or network's name, driver, labels, subnet.
    Name,
    Driver,
    Labels,
    Subnet,
    /// A Swarm service's task count ("3", or "global" when creating one).
    Replicas,
    /// Placement constraints (`node.role==worker`, …).
    Constraints,
    /// A path on this machine (a download's destination, an upload's source, a build's
    /// context).
    LocalPath,
    Build(crate::build_spec::BuildField),
    /// A `docker update` value.
    Limit(super::edit::LimitField),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Text {
        id: FieldId,
        label: &'static str,
        input: TextInput,
        /// Enter adds a line instead of submitting (env: one KEY=VALUE per line).
        multiline: bool,
    },
    Toggle {
        id: FieldId,
        label: &'static str,
        on: bool,
    },
}

impl Field {
    /// A text field. The one rule for a pre-filled value (a reference, a count, a path):
    /// it is selected, so typing replaces it and a movement key starts editing it.
    pub(super) fn text(id: FieldId, label: &'static str, value: impl Into<String>) -> Self {
        Field::Text {
            id,
            label,
            input: TextInput::suggested(value),
            multiline: false,
        }
    }

    /// A text field that takes several lines (Enter adds one), pre-filled.
    pub(super) fn multiline(id: FieldId, label: &'static str, value: impl Into<String>) -> Self {
        Field::Text {
            id,
            label,
            input: TextInput::suggested(value),
            multiline: true,
        }
    }

    /// The environment, one `KEY=VALUE` a line (run, create service).
    fn env(value: &str) -> Self {
        Self::multiline(
            FieldId::Run(RunField::Env),
            "env (KEY=VALUE per line)",
            value,
        )
    }

    pub fn label(&self) -> &'static str {
        match self {
            Field::Text { label, .. } | Field::Toggle { label, .. } => label,
        }
    }

    pub fn id(&self) -> FieldId {
        match self {
            Field::Text { id, .. } | Field::Toggle { id, .. } => *id,
        }
    }
}

/// What a valid form leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submit {
    Op(Op),
    Explore(Reference),
    /// Run this command in the container, in a new terminal tab.
    Exec {
        container: Target,
        command: Vec<String>,
    },
    /// Watch this endpoint too (as typed, `,ro` and all).
    AddHost(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Pull,
    /// Look at any reference's structure, pulled or not.
    Explore,
    Run,
    /// Tag the image with this id (shown as `label`).
    Tag {
        source: String,
        label: String,
    },
    Commit {
        container: Target,
    },
    /// A command line to run in a running container.
    Exec {
        container: Target,
    },
    /// A Docker endpoint to watch besides the others.
    AddHost,
    CreateVolume,
    CreateNetwork,
    /// A Swarm service's replicas (it runs `now`).
    Scale {
        service: crate::docker::actions::swarm::Named,
        now: u64,
    },
    CreateService,
    /// A container's file or folder to this machine.
    Download {
        container: Target,
        path: String,
    },
    /// A file or folder of this machine into a container's folder.
    Upload {
        container: Target,
        dir: String,
    },
    /// An image built from a folder of this machine.
    Build,
    /// A container's limits and restart policy (`docker update`).
    Limits {
        container: Target,
        /// The values as they are (what the fields start with).
        now: Box<super::edit::Now>,
    },
    Rename {
        container: Target,
    },
    /// "Edit and recreate": the run form, filled with `before` (from the container's
    /// inspect); what the user changes replaces the old configuration.
    EditRecreate {
        container: Target,
        before: Box<RunFields>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// The field at fault and what is wrong, updated as the user types.
    pub error: Option<(usize, String)>,
    /// The user switched the `-it` option themselves: suggestions leave it alone.
    pub tty_chosen: bool,
    /// The user edited the image: the suggestion asked for the one the form opened with no
    /// longer applies (a late answer set `-it` on a run typed to be detached).
    image_edited: bool,
    /// The user has typed or switched something: until then no error is shown.
    pub touched: bool,
    /// The daemon's networks (the run form's network field must name one), once known.
    pub networks: Vec<String>,
    /// With several hosts: the one a pull or run goes to, named in the title.
    pub on_host: Option<String>,
    /// The host it acts on ([`Dialog::on`]).
    pub host: HostId,
}

impl Form {
    /// A form of other modules' kinds (`edit`).
    pub(super) fn with(kind: FormKind, fields: Vec<Field>) -> Self {
        Self::new(kind, fields)
    }

    fn new(kind: FormKind, fields: Vec<Field>) -> Self {
        let mut form = Self {
            kind,
            fields,
            focus: 0,
            error: None,
            tty_chosen: false,
            image_edited: false,
            touched: false,
            networks: Vec::new(),
            on_host: None,
            host: HostId::default(),
        };
        form.revalidate();
        form
    }

    pub fn explore() -> Self {
        Self::new(
            FormKind::Explore,
            vec![Field::text(FieldId::Reference, "reference", "")],
        )
    }

    pub fn pull(reference: &str) -> Self {
        Self::new(
            FormKind::Pull,
            vec![Field::text(FieldId::Reference, "reference", reference)],
        )
    }

    pub fn run(image: &str) -> Self {
        let fields = RunFields {
            image: image.into(),
            ..Default::default()
        };
        Self::new(FormKind::Run, Self::run_fields(&fields))
    }

    /// The run form's fields, filled with `values` (`r`'s and "edit and recreate"'s).
    pub(super) fn run_fields(values: &RunFields) -> Vec<Field> {
        let run = |field| FieldId::Run(field);
        let toggle = |field, label, on| Field::Toggle {
            id: run(field),
            label,
            on,
        };
        let text = |field, label, value: &str| Field::text(run(field), label, value);
        vec![
            text(RunField::Image, "image", &values.image),
            text(RunField::Name, "name", &values.name),
            text(RunField::Command, "command", &values.command),
            toggle(RunField::Tty, "interactive tty (-it)", values.tty),
            toggle(
                RunField::AutoRemove,
                "remove when it exits (--rm)",
                values.auto_remove,
            ),
            Field::env(&values.env),
            text(RunField::Labels, "labels (KEY=VALUE, …)", &values.labels),
            text(
                RunField::Ports,
                "ports ([IP:]HOST:CONTAINER, …)",
                &values.ports,
            ),
            text(
                RunField::Volumes,
                "volumes (HOST:CONTAINER[:ro], …)",
                &values.volumes,
            ),
            text(
                RunField::Restart,
                "restart (no|always|unless-stopped|on-failure[:N])",
                &values.restart,
            ),
            text(RunField::Network, "network", &values.network),
            text(
                RunField::Entrypoint,
                "entrypoint (empty: the image's)",
                &values.entrypoint,
            ),
            text(RunField::User, "user (NAME|UID[:GID])", &values.user),
            text(RunField::Workdir, "workdir", &values.workdir),
            text(RunField::Memory, "memory (256m, 1g)", &values.memory),
            text(RunField::Cpus, "CPUs (0.5, 2)", &values.cpus),
        ]
    }

    /// The run form's values as typed.
    pub(super) fn run_values(&self) -> RunFields {
        let text = |field| self.text(FieldId::Run(field)).to_string();
        RunFields {
            image: text(RunField::Image),
            name: text(RunField::Name),
            command: text(RunField::Command),
            tty: self.toggle(FieldId::Run(RunField::Tty)),
            auto_remove: self.toggle(FieldId::Run(RunField::AutoRemove)),
            env: text(RunField::Env),
            labels: text(RunField::Labels),
            ports: text(RunField::Ports),
            volumes: text(RunField::Volumes),
            restart: text(RunField::Restart),
            network: text(RunField::Network),
            entrypoint: text(RunField::Entrypoint),
            user: text(RunField::User),
            workdir: text(RunField::Workdir),
            memory: text(RunField::Memory),
            cpus: text(RunField::Cpus),
        }
    }

    /// What the run form describes, refused as `r`'s form refuses it.
    pub(super) fn run_spec(&self) -> Result<crate::run_spec::RunSpec, (usize, String)> {
        if let Some(unknown) = self.unknown_network() {
            return Err(unknown);
        }
        self.run_values().parse().map_err(|e| {
            let index = self.position(FieldId::Run(e.field)).unwrap_or(0);
            (index, e.message)
        })
    }

    pub fn tag(source: String, label: String) -> Self {
        Self::new(
            FormKind::Tag { source, label },
            vec![Field::text(
                FieldId::NewName,
                "new name (repository:tag)",
                "",
            )],
        )
    }

    pub fn commit(container: Target) -> Self {
        let fields = vec![
            Field::text(FieldId::NewName, "image (repository:tag)", ""),
            Field::text(FieldId::Message, "message", ""),
            Field::text(FieldId::Author, "author", ""),
        ];
        Self::new(FormKind::Commit { container }, fields)
    }

    pub fn create_volume() -> Self {
        Self::new(
            FormKind::CreateVolume,
            vec![
                Field::text(FieldId::Name, "name (empty: the daemon makes one up)", ""),
                Field::text(FieldId::Driver, "driver (empty: local)", ""),
                Field::text(FieldId::Labels, "labels (KEY=VALUE, …)", ""),
            ],
        )
    }

    pub fn create_network() -> Self {
        Self::new(
            FormKind::CreateNetwork,
            vec![
                Field::text(FieldId::Name, "name", ""),
                Field::text(FieldId::Driver, "driver (empty: bridge)", ""),
                Field::text(FieldId::Subnet, "subnet (CIDR, optional)", ""),
                Field::text(FieldId::Labels, "labels (KEY=VALUE, …)", ""),
            ],
        )
    }

    /// `s` in the files view: where to save `path` of the container, pre-filled with its
    /// name in the folder dockpit started in.
    pub fn download(container: Target, path: String) -> Self {
        let name = crate::docker::files::base_name(&path);
        let suggested = match name {
            "/" => "./root".to_string(),
            name => format!("./{name}"),
        };
        Self::new(
            FormKind::Download { container, path },
            vec![Field::text(
                FieldId::LocalPath,
                "save as (a path on this machine)",
                suggested,
            )],
        )
    }

    /// `u` in the files view: a local file or folder to copy into `dir`.
    pub fn upload(container: Target, dir: String) -> Self {
        Self::new(
            FormKind::Upload { container, dir },
            vec![Field::text(
                FieldId::LocalPath,
                "file or folder on this machine",
                "",
            )],
        )
    }

    /// `b`, `:build [PATH]`: the build form, its context pre-filled.
    pub fn build(context: &str) -> Self {
        use crate::build_spec::BuildField as B;
        let text = |field, label| Field::text(FieldId::Build(field), label, "");
        let toggle = |field, label| Field::Toggle {
            id: FieldId::Build(field),
            label,
            on: false,
        };
        let fields = vec![
            Field::text(
                FieldId::LocalPath,
                "context (a folder; Tab completes)",
                context,
            ),
            text(
                B::Dockerfile,
                "Dockerfile (in the context; empty: Dockerfile)",
            ),
            text(B::Tags, "tags (NAME:TAG, …)"),
            text(B::Args, "build args (KEY=VALUE, …)"),
            text(B::Target, "target stage"),
            text(B::Platform, "platform (OS/ARCH)"),
            toggle(B::NoCache, "no cache (--no-cache)"),
            toggle(B::Pull, "pull the base images (--pull)"),
            text(B::Labels, "labels (KEY=VALUE, …)"),
        ];
        Self::new(FormKind::Build, fields)
    }

    pub fn title(&self) -> String {
        let title = self.kind_title();
        match &self.on_host {
            Some(host) => format!("{} on {host} ", title.trim_end()),
            None => title,
        }
    }

    fn kind_title(&self) -> String {
        match &self.kind {
            FormKind::Pull => " Pull an image ".into(),
            FormKind::Explore => " Explore an image's structure ".into(),
            FormKind::Run => " Run a container ".into(),
            FormKind::Tag { label, .. } => format!(" Tag {label} "),
            FormKind::Commit { container } => format!(" Commit {} to an image ", container.name),
            FormKind::Exec { container } => format!(" Run a command in {} ", container.name),
            FormKind::AddHost => " Watch another Docker host ".into(),
            FormKind::CreateVolume => " Create a volume ".into(),
            FormKind::CreateNetwork => " Create a network ".into(),
            FormKind::Scale { service, now } => format!(" Scale {} (now {now}) ", service.name),
            FormKind::CreateService => " Create a Swarm service ".into(),
            FormKind::Download { container, path } => {
                format!(" Download {}:{path} ", container.name)
            }
            FormKind::Build => " Build an image ".into(),
            FormKind::Upload { container, dir } => {
                format!(" Upload into {}:{dir} ", container.name)
            }
            FormKind::Limits { container, .. } => {
                format!(" Limits of {} (docker update) ", container.name)
            }
            FormKind::Rename { container } => format!(" Rename {} ", container.name),
            FormKind::EditRecreate { container, .. } => {
                format!(" Edit and recreate {} ", container.name)
            }
        }
    }

    /// A line under the fields saying what the form does beyond them, if anything.
    pub fn hint(&self) -> Option<&'static str> {
        match self.kind {
            FormKind::EditRecreate { .. } => Some(super::edit_recreate::HINT),
            FormKind::Limits { .. } => Some(super::edit::HINT),
            _ => None,
        }
    }

    /// `n` in the hosts view: an endpoint to watch too.
    pub fn add_host() -> Self {
        Self::add_host_at("")
    }

    /// The same, with a guess to complete (a Swarm node's address).
    pub fn add_host_at(guess: &str) -> Self {
        Self::new(
            FormKind::AddHost,
            vec![Field::text(FieldId::Endpoint, "endpoint", guess)],
        )
    }

    /// `=` in the Swarm view: the count, showing the current one.
    pub fn scale(service: crate::docker::actions::swarm::Named, now: u64) -> Self {
        Self::new(
            FormKind::Scale { service, now },
            vec![Field::text(FieldId::Replicas, "replicas", now.to_string())],
        )
    }

    /// `n` in the Swarm view: the run form's fields, with replicas and constraints.
    pub fn create_service() -> Self {
        let run = |field| FieldId::Run(field);
        let fields = vec![
            Field::text(run(RunField::Image), "image", ""),
            Field::text(run(RunField::Name), "name", ""),
            Field::text(FieldId::Replicas, "replicas (a number, or global)", "1"),
            Field::text(run(RunField::Command), "command", ""),
            Field::env(""),
            Field::text(run(RunField::Labels), "labels (KEY=VALUE, …)", ""),
            Field::text(run(RunField::Ports), "ports (PUBLISHED:TARGET, …)", ""),
            Field::text(
                FieldId::Constraints,
                "constraints (node.role==worker, …)",
                "",
            ),
        ];
        Self::new(FormKind::CreateService, fields)
    }

    /// `!`: a command line for the container, pre-filled with the last one for its image.
    pub fn exec(container: Target, last: &str) -> Self {
        Self::new(
            FormKind::Exec { container },
            vec![Field::text(FieldId::ExecCommand, "command", last)],
        )
    }

    fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id() == id)
    }

    /// Where a field is in the form (for focus and messages).
    pub fn position(&self, id: FieldId) -> Option<usize> {
        self.fields.iter().position(|f| f.id() == id)
    }

    pub(super) fn text(&self, id: FieldId) -> &str {
        match self.field(id) {
            Some(Field::Text { input, .. }) => &input.value,
            _ => "",
        }
    }

    fn toggle(&self, id: FieldId) -> bool {
        matches!(self.field(id), Some(Field::Toggle { on: true, .. }))
    }

    pub fn focused_mut(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    /// Whether Tab completes the focused field (a path of this machine) rather than moving on.
    pub fn completes_path(&self) -> bool {
        matches!(
            self.fields.get(self.focus),
            Some(Field::Text {
                id: FieldId::LocalPath,
                ..
            })
        )
    }

    /// Flips the focused option, if it is one.
    pub fn flip_focused(&mut self) {
        if let Some(Field::Toggle { on, id, .. }) = self.fields.get_mut(self.focus) {
            *on = !*on;
            if *id == FieldId::Run(RunField::Tty) {
                self.tty_chosen = true;
            }
        }
    }

    /// Sets the `-it` default from the image's command (a shell means interactive), unless
    /// the user already changed it.
    pub fn suggest_tty(&mut self, image: &str, on: bool) {
        if self.kind == FormKind::Run
            && !self.tty_chosen
            && !self.image_edited
            && self.text(FieldId::Run(RunField::Image)) == image
            && let Some(Field::Toggle { on: tty, .. }) = self
                .fields
                .iter_mut()
                .find(|f| f.id() == FieldId::Run(RunField::Tty))
        {
            *tty = on;
            self.revalidate();
        }
    }

    pub fn revalidate(&mut self) {
        self.error = self.submit().err();
    }

    /// The daemon's networks arrived: the network field is checked against them.
    pub fn set_networks(&mut self, networks: Vec<String>) {
        self.networks = networks;
        self.revalidate();
    }

    /// A network the daemon does not have (with what it has), for the run form.
    fn unknown_network(&self) -> Option<(usize, String)> {
        let typed = self.text(FieldId::Run(RunField::Network)).trim();
        let known = typed.is_empty()
            || self.networks.is_empty()
            || typed.starts_with("container:")
            || self.networks.iter().any(|n| n == typed);
        (!known).then(|| {
            let at = self.position(FieldId::Run(RunField::Network)).unwrap_or(0);
            (
                at,
                format!(
                    "no network {typed:?} here: the daemon has {}",
                    self.networks.join(", ")
                ),
            )
        })
    }

    /// What submitting this form does, or the field at fault and why.
    pub fn submit(&self) -> Result<Submit, (usize, String)> {
        match &self.kind {
            FormKind::Explore => reference::parse(self.text(FieldId::Reference))
                .map(Submit::Explore)
                .map_err(|e| (0, e.to_string())),
            FormKind::Exec { container } => {
                match crate::run_spec::split_command(self.text(FieldId::ExecCommand)) {
                    Ok(command) if !command.is_empty() => Ok(Submit::Exec {
                        container: container.clone(),
                        command,
                    }),
                    Ok(_) => Err((0, "type a command to run".into())),
                    Err(e) => Err((0, e)),
                }
            }
            FormKind::AddHost => {
                let typed = self.text(FieldId::Endpoint).trim();
                let (host, _) = crate::docker::endpoint::host_flag(typed);
                crate::docker::endpoint::check_host(host)
                    .map(|()| Submit::AddHost(typed.to_string()))
                    .map_err(|e| (0, e))
            }
            _ => self.op().map(Submit::Op),
        }
    }

    /// The action this form describes, or the field at fault and why.
    pub fn op(&self) -> Result<Op, (usize, String)> {
        let name_only = |text: &str| -> Result<Reference, String> {
            let r = reference::parse(text).map_err(|e| e.to_string())?;
            if r.digest.is_some() {
                return Err("a new name takes a tag, not a digest".into());
            }
            Ok(r)
        };
        match &self.kind {
            FormKind::Explore | FormKind::Exec { .. } | FormKind::AddHost => {
                Err((0, "this form does not change the host".into()))
            }
            FormKind::Pull => reference::parse(self.text(FieldId::Reference))
                .map(Op::Pull)
                .map_err(|e| (0, e.to_string())),
            FormKind::Tag { source, .. } => name_only(self.text(FieldId::NewName))
                .map(|target| Op::Tag {
                    source: source.clone(),
                    target,
                })
                .map_err(|e| (0, e)),
            FormKind::Commit { container } => name_only(self.text(FieldId::NewName))
                .map(|image| Op::Commit {
                    container: container.clone(),
                    image,
                    message: self.text(FieldId::Message).trim().to_string(),
                    author: self.text(FieldId::Author).trim().to_string(),
                })
                .map_err(|e| (0, e)),
            FormKind::CreateVolume | FormKind::CreateNetwork => self.create_op(),
            FormKind::Limits { container, now } => self.limits_op(container, now),
            FormKind::Rename { container } => self.rename_op(container),
            FormKind::EditRecreate { container, before } => {
                self.edit_recreate_op(container, before)
            }
            FormKind::Scale { service, .. } => {
                let replicas = replicas(self.text(FieldId::Replicas), false).map_err(|e| (0, e))?;
                Ok(Op::Swarm(SwarmOp::Scale {
                    service: service.clone(),
                    replicas: replicas.unwrap_or(0),
                }))
            }
            FormKind::CreateService => self.service_op(),
            FormKind::Download { container, path } => match self.text(FieldId::LocalPath).trim() {
                "" => Err((0, "type where to save it".into())),
                dest => Ok(Op::CopyFrom {
                    container: container.clone(),
                    path: path.clone(),
                    dest: dest.into(),
                    overwrite: false,
                }),
            },
            FormKind::Upload { container, dir } => match self.text(FieldId::LocalPath).trim() {
                "" => Err((0, "type a file or folder to upload".into())),
                source => Ok(Op::CopyTo {
                    container: container.clone(),
                    source: source.into(),
                    dir: dir.clone(),
                }),
            },
            FormKind::Build => self.build_op(),
            FormKind::Run => self.run_spec().map(|spec| Op::Run(Box::new(spec))),
        }
    }
}

/// "3" (or "global", when `global` may be asked for: `None`).
fn replicas(text: &str, global: bool) -> Result<Option<u64>, String> {
    let text = text.trim();
    if global && text.eq_ignore_ascii_case("global") {
        return Ok(None);
    }
    match text.parse::<u64>() {
        Ok(n) if n <= 10_000 => Ok(Some(n)),
        Ok(n) => Err(format!(
            "{n} tasks: more than dockpit will ask for (10,000)"
        )),
        Err(_) if global => Err(format!("{text:?}: a number of tasks, or global")),
        Err(_) => Err(format!("{text:?}: a number of tasks")),
    }
}

impl Form {
    /// `docker build`, or the field at fault.
    fn build_op(&self) -> Result<Op, (usize, String)> {
        use crate::build_spec::{BuildField as B, BuildFields};
        let text = |field| self.text(FieldId::Build(field)).to_string();
        let fields = BuildFields {
            context: self.text(FieldId::LocalPath).to_string(),
            dockerfile: text(B::Dockerfile),
            tags: text(B::Tags),
            args: text(B::Args),
            target: text(B::Target),
            platform: text(B::Platform),
            no_cache: self.toggle(FieldId::Build(B::NoCache)),
            pull: self.toggle(FieldId::Build(B::Pull)),
            labels: text(B::Labels),
        };
        fields
            .parse()
            .map(|spec| Op::Build(Box::new(spec)))
            .map_err(|e| {
                let id = match e.field {
                    B::Context => FieldId::LocalPath,
                    other => FieldId::Build(other),
                };
                (self.position(id).unwrap_or(0), e.message)
            })
    }

    /// `docker service create`: the run form's parsers for what it shares with `run`.
    fn service_op(&self) -> Result<Op, (usize, String)> {
        let at = |id| self.position(id).unwrap_or(0);
        let text = |field| self.text(FieldId::Run(field)).to_string();
        let fields = RunFields {
            image: text(RunField::Image),
            name: text(RunField::Name),
            command: text(RunField::Command),
            env: text(RunField::Env),
            labels: text(RunField::Labels),
            ports: text(RunField::Ports),
            ..Default::default()
        };
        let spec = fields
            .parse()
            .map_err(|e| (at(FieldId::Run(e.field)), e.message))?;
        let replicas =
            replicas(self.text(FieldId::Replicas), true).map_err(|e| (at(FieldId::Replicas), e))?;
        let constraints: Vec<String> = self
            .text(FieldId::Constraints)
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        if let Some(bad) = constraints
            .iter()
            .find(|c| !c.contains("==") && !c.contains("!="))
        {
            return Err((
                at(FieldId::Constraints),
                format!("{bad:?}: a constraint is ATTRIBUTE==VALUE or ATTRIBUTE!=VALUE"),
            ));
        }
        let op = SwarmOp::CreateService {
            spec: Box::new(spec),
            replicas,
            constraints,
        };
        // The daemon's refusal of an address in a port, said while typing.
        crate::docker::actions::swarm::service_spec_check(&op)
            .map_err(|e| (at(FieldId::Run(RunField::Ports)), e))?;
        Ok(Op::Swarm(op))
    }

    /// A volume or network to create, or the field at fault.
    fn create_op(&self) -> Result<Op, (usize, String)> {
        let at = |id| self.position(id).unwrap_or(0);
        let name = self.text(FieldId::Name).trim().to_string();
        let network = self.kind == FormKind::CreateNetwork;
        let what = if network { "network" } else { "volume" };
        // A volume without a name gets one from the daemon; a network must be named.
        if !name.is_empty() || network {
            crate::run_spec::validate_object_name(&name, what)
                .map_err(|e| (at(FieldId::Name), e))?;
        }
        let driver = self.text(FieldId::Driver).trim().to_string();
        if driver.contains(char::is_whitespace) {
            return Err((
                at(FieldId::Driver),
                format!("{driver:?}: a driver is one word"),
            ));
        }
        let labels = crate::run_spec::parse_labels(self.text(FieldId::Labels))
            .map_err(|e| (at(FieldId::Labels), e))?;
        if !network {
            return Ok(Op::CreateVolume {
                name,
                driver,
                labels,
            });
        }
        let subnet = self.text(FieldId::Subnet).trim().to_string();
        if !subnet.is_empty() {
            crate::run_spec::validate_cidr(&subnet).map_err(|e| (at(FieldId::Subnet), e))?;
        }
        Ok(Op::CreateNetwork {
            name,
            driver,
            subnet,
            labels,
        })
    }
}

/// A list to pick one from, each with the action picking it runs (a container to connect
/// or disconnect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub title: String,
    pub items: Vec<(String, Op)>,
    pub index: usize,
    /// Items that ask first (by index): picking one opens its question instead.
    pub asks: Vec<(usize, Confirm)>,
    /// The host it acts on ([`Dialog::on`]).
    pub host: HostId,
}

impl Picker {
    /// A list asking nothing first; its host is set where it opens ([`Dialog::on`]).
    pub fn new(title: String, items: Vec<(String, Op)>) -> Self {
        Self {
            title,
            items,
            index: 0,
            asks: Vec::new(),
            host: HostId::default(),
        }
    }

    /// The question the selected item asks before it runs, if it asks one.
    fn question(&self) -> Option<Confirm> {
        let (_, question) = self.asks.iter().find(|(i, _)| *i == self.index)?;
        Some(Confirm {
            host: self.host,
            ..question.clone()
        })
    }

    fn on_key(&mut self, action: Option<DialogAction>, nav: Option<Nav>) -> Outcome {
        let last = self.items.len().saturating_sub(1);
        match (action, nav) {
            (Some(DialogAction::Confirm), _) => {
                let op = self.items.get(self.index).map(|(_, op)| op.clone());
                return Outcome::close().ops(op.into_iter().collect());
            }
            (Some(DialogAction::PrevField), _) | (_, Some(Nav::Up)) => {
                self.index = self.index.saturating_sub(1);
            }
            (Some(DialogAction::NextField), _) | (_, Some(Nav::Down)) => {
                self.index = (self.index + 1).min(last);
            }
            (_, Some(nav)) => self.index = nav.apply(self.index, self.items.len(), 10),
            _ => {}
        }
        Outcome::stay()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The key that flips it.
    pub key: char,
    pub label: &'static str,
    pub on: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmKind {
    RemoveContainers(Vec<Target>),
    /// By name or id (`target`), with what the daemon will decide on (boxed: the other
    /// questions are small).
    RemoveImage {
        target: String,
        facts: Box<ImageFacts>,
    },
    PruneContainers,
    PruneImages,
    /// The same action on several marked containers.
    Actions(Vec<Op>),
    /// Quit, ending the live sessions the dialog names.
    Quit,
    /// Close a terminal tab whose session is live.
    CloseTab(crate::pty::SessionId),
    /// One of the user's commands, in a tab about this row.
    CustomTab(Target, crate::custom::Invocation),
    /// Recreate with the latest image; with `e` on, edit the one container first.
    Recreate(Vec<Op>, Option<Target>),
    /// A change of the live hosts that drops hosts (remove one, keep only one).
    Hosts(Box<super::hosts::HostChange>),
    /// A `docker compose` run (the projects and services views).
    Compose(Box<super::compose_view::ComposeAsk>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub kind: ConfirmKind,
    pub title: String,
    /// What will happen, and anything the user should know first.
    pub lines: Vec<String>,
    pub choices: Vec<Choice>,
    /// The host it acts on ([`Dialog::on`]).
    pub host: HostId,
}

impl Confirm {
    /// A question with no choices; its host is set where it opens ([`Dialog::on`]).
    pub fn new(title: impl Into<String>, kind: ConfirmKind, lines: Vec<String>) -> Self {
        Self {
            kind,
            title: title.into(),
            lines,
            choices: Vec::new(),
            host: HostId::default(),
        }
    }

    pub fn choice(&self, key: char) -> bool {
        self.choices.iter().any(|c| c.key == key && c.on)
    }

    /// Lines that depend on the choices say what the choices shown will do.
    pub fn refresh(&mut self) {
        if let ConfirmKind::RemoveImage { facts, .. } = &self.kind {
            self.lines = facts.lines(self.choice('f'));
        }
    }

    pub fn ops(&self) -> Vec<Op> {
        match &self.kind {
            ConfirmKind::RemoveContainers(targets) => targets
                .iter()
                .map(|t| Op::RemoveContainer {
                    target: t.clone(),
                    force: self.choice('f'),
                    volumes: self.choice('v'),
                })
                .collect(),
            ConfirmKind::RemoveImage { target, .. } => vec![Op::RemoveImage {
                name: target.clone(),
                force: self.choice('f'),
            }],
            ConfirmKind::PruneContainers => vec![Op::PruneContainers { label: None }],
            ConfirmKind::PruneImages => vec![Op::PruneImages { label: None }],
            ConfirmKind::Actions(ops) => ops.clone(),
            ConfirmKind::Recreate(_, Some(_)) if self.choice('e') => Vec::new(),
            ConfirmKind::Recreate(ops, _) => ops.clone(),
            ConfirmKind::Quit
            | ConfirmKind::CloseTab(_)
            | ConfirmKind::CustomTab(..)
            | ConfirmKind::Hosts(_)
            | ConfirmKind::Compose(_) => Vec::new(),
        }
    }

    /// What the app does itself once confirmed.
    pub fn then(&self) -> Option<Then> {
        match &self.kind {
            ConfirmKind::Quit => Some(Then::Quit),
            ConfirmKind::CloseTab(id) => Some(Then::CloseTab(*id)),
            ConfirmKind::CustomTab(target, call) => {
                Some(Then::LocalTab(target.clone(), call.clone()))
            }
            ConfirmKind::Hosts(change) => Some(Then::Hosts((**change).clone())),
            ConfirmKind::Compose(run) => {
                let on = self
                    .choices
                    .iter()
                    .filter(|c| c.on)
                    .map(|c| c.key)
                    .collect();
                Some(Then::Compose(super::compose_view::ComposeThen::Run(
                    (**run).clone(),
                    on,
                )))
            }
            ConfirmKind::Recreate(_, Some(target)) if self.choice('e') => {
                Some(Then::EditRecreate(target.clone()))
            }
            _ => None,
        }
    }
}

/// Signals offered by the kill picker, default first.
pub const SIGNALS: [&str; 9] = [
    "SIGKILL", "SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGSTOP", "SIGCONT",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KillPicker {
    pub targets: Vec<Target>,
    /// The targets as the question names them (`web@beta` with several hosts).
    pub labels: Vec<String>,
    pub index: usize,
    /// The host it acts on ([`Dialog::on`]).
    pub host: HostId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    Form(Form),
    Confirm(Confirm),
    Kill(KillPicker),
    Pick(Picker),
}

impl Dialog {
    /// The host it acts on, set where it opens: the row's host, the list view's, the
    /// terminal session's, or the active host for what is typed with no row (a pull, a
    /// run). What it sends goes there, whatever is selected by the time it is answered.
    pub fn host(&self) -> HostId {
        match self {
            Dialog::Form(d) => d.host,
            Dialog::Confirm(d) => d.host,
            Dialog::Kill(d) => d.host,
            Dialog::Pick(d) => d.host,
        }
    }

    /// The same, acting on `host`.
    pub fn on(mut self, host: HostId) -> Self {
        match &mut self {
            Dialog::Form(d) => d.host = host,
            Dialog::Confirm(d) => d.host = host,
            Dialog::Kill(d) => d.host = host,
            Dialog::Pick(d) => d.host = host,
        }
        self
    }

    /// A key: what it asks for goes to [`Dialog::host`].
    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        let host = self.host();
        self.answer(key, cx).on(host)
    }

    fn answer(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        let action = cx.keymap.get(key);
        if action == Some(DialogAction::Cancel) {
            return Outcome::close();
        }
        match self {
            Dialog::Form(form) => form.on_key(key, action),
            Dialog::Confirm(confirm) => match (action, key.code) {
                (Some(DialogAction::Confirm), _) => Outcome {
                    then: confirm.then(),
                    ..Outcome::close().ops(confirm.ops())
                },
                (_, KeyCode::Char(c)) => {
                    for choice in confirm.choices.iter_mut().filter(|ch| ch.key == c) {
                        choice.on = !choice.on;
                    }
                    confirm.refresh();
                    Outcome::stay()
                }
                _ => Outcome::stay(),
            },
            Dialog::Kill(picker) => picker.on_key(action, cx.keymap.nav(key)),
            Dialog::Pick(picker) => {
                if action == Some(DialogAction::Confirm)
                    && let Some(question) = picker.question()
                {
                    *self = Dialog::Confirm(question);
                    return Outcome::stay();
                }
                picker.on_key(action, cx.keymap.nav(key))
            }
        }
    }
}

impl Form {
    /// A completion of the focused path field arrived: applied if the field still holds
    /// what was typed.
    pub fn completed(&mut self, typed: &str, path: String) -> bool {
        match self.focused_mut() {
            Some(Field::Text {
                id: FieldId::LocalPath,
                input,
                ..
            }) if input.value == typed => {
                *input = TextInput::new(path);
                self.touched = true;
                self.revalidate();
                true
            }
            _ => false,
        }
    }

    fn on_key(&mut self, key: &KeyEvent, action: Option<DialogAction>) -> Outcome {
        let count = self.fields.len();
        match action {
            // Tab in a path of this machine completes it, as a shell does.
            Some(DialogAction::NextField) if key.code == KeyCode::Tab => {
                if let Some(Field::Text {
                    id: FieldId::LocalPath,
                    input,
                    ..
                }) = self.focused_mut()
                {
                    input.selected = false;
                    let typed = input.value.clone();
                    return Outcome::stay().local(super::Local::CompletePath(typed));
                }
                self.focus = (self.focus + 1) % count;
            }
            Some(DialogAction::NextField) => self.focus = (self.focus + 1) % count,
            Some(DialogAction::PrevField) => self.focus = (self.focus + count - 1) % count,
            Some(DialogAction::Confirm) => match self.focused_mut() {
                Some(Field::Text {
                    input,
                    multiline: true,
                    ..
                }) => {
                    input.insert('\n');
                    self.revalidate();
                }
                // Invalid input stays in the form, with its message now shown; nothing is
                // sent.
                _ => {
                    self.touched = true;
                    match self.submit() {
                        Ok(Submit::Op(op)) => return Outcome::close().ops(vec![op]),
                        Ok(Submit::Explore(reference)) => {
                            return Outcome::close().then(Then::Explore(reference));
                        }
                        Ok(Submit::Exec { container, command }) => {
                            let host = self.host;
                            let then = Then::Exec {
                                host,
                                container,
                                command,
                            };
                            return Outcome::close().then(then);
                        }
                        Ok(Submit::AddHost(typed)) => {
                            let change = crate::app::hosts::HostChange::Typed(typed);
                            return Outcome::close().then(Then::Hosts(change));
                        }
                        Err(_) => {}
                    }
                }
            },
            _ => {
                let changed = match self.focused_mut() {
                    Some(Field::Toggle { .. }) if action == Some(DialogAction::Toggle) => {
                        self.flip_focused();
                        true
                    }
                    Some(Field::Text { input, .. }) if action == Some(DialogAction::ClearField) => {
                        input.clear();
                        true
                    }
                    Some(Field::Text { input, .. }) if action == Some(DialogAction::DeleteWord) => {
                        input.delete_word();
                        true
                    }
                    Some(Field::Text { input, .. }) => input.handle(key),
                    _ => false,
                };
                self.touched |= changed;
                let image = self.fields.get(self.focus).map(Field::id);
                self.image_edited |= changed && image == Some(FieldId::Run(RunField::Image));
                self.revalidate();
            }
        }
        Outcome::stay()
    }
}

impl KillPicker {
    fn on_key(&mut self, action: Option<DialogAction>, nav: Option<Nav>) -> Outcome {
        match (action, nav) {
            (Some(DialogAction::Confirm), _) => {
                let signal = SIGNALS[self.index.min(SIGNALS.len() - 1)];
                let ops = self
                    .targets
                    .iter()
                    .map(|t| Op::Kill {
                        target: t.clone(),
                        signal: signal.into(),
                    })
                    .collect();
                Outcome::close().ops(ops)
            }
            (Some(DialogAction::PrevField), _) | (_, Some(Nav::Up)) => {
                self.index = self.index.saturating_sub(1);
                Outcome::stay()
            }
            (Some(DialogAction::NextField), _) | (_, Some(Nav::Down)) => {
                self.index = (self.index + 1).min(SIGNALS.len() - 1);
                Outcome::stay()
            }
            _ => Outcome::stay(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(form: &mut Form, index: usize, value: &str) {
        if let Some(Field::Text { input, .. }) = form.fields.get_mut(index) {
            *input = TextInput::new(value);
        }
        form.revalidate();
    }

    #[test]
    fn run_form_points_at_the_bad_field() {
        let mut form = Form::run("busybox:1");
        assert_eq!(form.error, None);
        set(&mut form, 7, "8080:http");
        let (field, message) = form.error.clone().expect("invalid port");
        assert_eq!(form.fields[field].label(), "ports ([IP:]HOST:CONTAINER, …)");
        assert!(message.contains("\"http\" is not a port"), "{message}");
        set(&mut form, 7, "8080:80");
        set(&mut form, 5, "A=1\nnot-a-pair");
        assert_eq!(form.error.as_ref().map(|e| e.0), Some(5));
    }

    #[test]
    fn tag_rejects_digests_and_bad_names() {
        let mut form = Form::tag("sha256:abc".into(), "busybox:1".into());
        assert!(form.error.is_some(), "empty is invalid");
        set(&mut form, 0, "Me/Box");
        assert!(
            form.error
                .as_ref()
                .is_some_and(|e| e.1.contains("lowercase"))
        );
        set(&mut form, 0, "me/box:v2");
        match form.op() {
            Ok(Op::Tag { target, .. }) => assert_eq!(target.normalized(), "me/box:v2"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn confirm_choices_shape_the_ops() {
        let target = Target {
            id: "1".into(),
            name: "web".into(),
        };
        let mut confirm = Confirm {
            kind: ConfirmKind::RemoveContainers(vec![target.clone()]),
            title: String::new(),
            lines: vec![],
            host: HostId::default(),
            choices: vec![
                Choice {
                    key: 'f',
                    label: "force",
                    on: true,
                },
                Choice {
                    key: 'v',
                    label: "volumes",
                    on: false,
                },
            ],
        };
        assert_eq!(
            confirm.ops(),
            vec![Op::RemoveContainer {
                target: target.clone(),
                force: true,
                volumes: false
            }]
        );
        confirm.choices[1].on = true;
        assert!(matches!(
            confirm.ops()[0],
            Op::RemoveContainer { volumes: true, .. }
        ));
    }
}
