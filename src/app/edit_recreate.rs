//! "Edit and recreate" (`e` in `u`'s question): the run form `r` opens, filled from the
//! container's inspect; on submit the container is recreated as `u` does it, with the
//! fields the user changed in place of the old values (the Docker side:
//! `docker::actions::recreate_edits`).

use serde_json::Value;

use super::App;
use super::dialog::{Dialog, Form, FormKind};
use super::effects::Routed;
use crate::docker::inspect::{InspectTarget, Inspection};
use crate::docker::{Command, HostId, Op, OpError, StreamId, Target};
use crate::run_spec::{
    RunField, RunFields, cpus_text, memory_text, parse_port, parse_volume, shell_quote,
};

/// The form's hint line: what it does not show is not lost.
pub const HINT: &str = "What this form has no field for (health check, other limits, \
     capabilities, devices, other mounts and networks, …) is kept from inspect unchanged; \
     the image is pulled only if you change it.";
/// The status line's word while the inspect the form is filled from is read.
const READING: &str = "reading its settings…";

/// The form a container's inspect is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filling {
    /// The run form of "edit and recreate".
    Recreate,
    /// `m`'s limits (`docker update`).
    Limits,
}

impl App {
    /// The container's inspect first, to fill the form with.
    pub(super) fn ask_edit_recreate(&mut self, target: Target) -> Vec<Routed> {
        self.read_settings(target, Filling::Recreate)
    }

    /// Asks for `target`'s inspect, which opens the form `filling` says.
    pub(super) fn read_settings(&mut self, target: Target, filling: Filling) -> Vec<Routed> {
        let id = StreamId::fresh();
        let host = self.container_host(&target.id);
        let inspect = InspectTarget::Container(target.id.clone());
        self.edit_pending = Some((id, target, filling));
        self.activity.note(READING);
        vec![(
            host,
            Command::Inspect {
                id,
                target: inspect,
            },
        )]
    }

    /// Whether this inspect is the one "edit and recreate" asked for.
    pub(super) fn edit_asked(&self, id: StreamId) -> bool {
        self.edit_pending
            .as_ref()
            .is_some_and(|(asked, ..)| *asked == id)
    }

    /// The inspect asked for opens the form (or says why it cannot), and the daemon's
    /// networks (of `host`, its container's) are asked for, so its network field is checked
    /// as `r`'s is.
    pub(super) fn edit_inspected(
        &mut self,
        host: HostId,
        result: Result<Inspection, OpError>,
    ) -> Vec<Routed> {
        let Some((_, target, filling)) = self.edit_pending.take() else {
            return Vec::new();
        };
        self.activity.settled(READING);
        let parsed = result
            .map_err(|e| e.message)
            .and_then(|i| serde_json::from_str(&i.json).map_err(|e| e.to_string()));
        match (parsed, filling) {
            (Ok(json), Filling::Limits) => {
                self.open(host, Dialog::Form(Form::limits(target, &json)));
                Vec::new()
            }
            (Ok(json), Filling::Recreate) => {
                self.open(host, Dialog::Form(Form::edit_recreate(target, &json)));
                vec![(host, Command::ListNetworks)]
            }
            (Err(why), _) => {
                self.activity.refuse(format!(
                    "{}'s settings could not be read: {why}",
                    target.name
                ));
                Vec::new()
            }
        }
    }
}

/// The run form's values for a container, from its inspect. Only what the form's parsers
/// take back is shown (a bind with options, a port range are not), so the filled form is
/// always valid; what is not shown is kept.
pub fn run_fields(inspect: &Value) -> RunFields {
    let config = &inspect["Config"];
    let host = &inspect["HostConfig"];
    let strings = |v: &Value| -> Vec<String> {
        (v.as_array().into_iter().flatten())
            .filter_map(|s| s.as_str().map(String::from))
            .collect()
    };
    let command: Vec<String> = (strings(&config["Cmd"]).iter())
        .map(|w| shell_quote(w))
        .collect();
    let mut labels: Vec<String> = (config["Labels"].as_object().into_iter().flatten())
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
        .collect();
    labels.sort();
    let volumes: Vec<String> = (strings(&host["Binds"]).into_iter())
        .filter(|b| parse_volume(b).is_ok())
        .collect();
    let network = match host["NetworkMode"].as_str().unwrap_or_default() {
        "default" => "",
        mode => mode,
    };
    RunFields {
        image: config["Image"].as_str().unwrap_or_default().to_string(),
        name: (inspect["Name"].as_str().unwrap_or_default())
            .trim_start_matches('/')
            .to_string(),
        command: command.join(" "),
        tty: config["Tty"].as_bool().unwrap_or_default(),
        auto_remove: host["AutoRemove"].as_bool().unwrap_or_default(),
        env: strings(&config["Env"]).join("\n"),
        labels: labels.join(", "),
        ports: ports(&host["PortBindings"]).join(", "),
        volumes: volumes.join(", "),
        restart: restart(&host["RestartPolicy"]),
        network: network.to_string(),
        entrypoint: (strings(&config["Entrypoint"]).iter())
            .map(|w| shell_quote(w))
            .collect::<Vec<_>>()
            .join(" "),
        user: config["User"].as_str().unwrap_or_default().to_string(),
        workdir: config["WorkingDir"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        memory: positive(&host["Memory"], memory_text),
        cpus: positive(&host["NanoCpus"], cpus_text),
    }
}

/// `HostConfig.PortBindings` as the ports field writes them: `[IP:]HOST:CONTAINER/PROTO`,
/// sorted.
fn ports(bindings: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (port, list) in bindings.as_object().into_iter().flatten() {
        for b in list.as_array().into_iter().flatten() {
            let ip = b["HostIp"].as_str().unwrap_or_default();
            let host = b["HostPort"].as_str().unwrap_or_default();
            let ip = match ip {
                "" => String::new(),
                v6 if v6.contains(':') => format!("[{v6}]:"),
                v4 => format!("{v4}:"),
            };
            let text = match (ip.is_empty(), host.is_empty()) {
                (true, true) => port.clone(),
                (_, false) => format!("{ip}{host}:{port}"),
                (false, true) => format!("{ip}:{port}"),
            };
            if parse_port(&text).is_ok() {
                out.push(text);
            }
        }
    }
    out.sort();
    out
}

/// A limit from inspect in the CLI's words; empty when none is set (0, -1 or absent).
pub fn positive(value: &Value, text: fn(i64) -> String) -> String {
    value
        .as_i64()
        .filter(|n| *n > 0)
        .map(text)
        .unwrap_or_default()
}

/// `HostConfig.RestartPolicy` as `--restart` takes it.
pub fn restart(policy: &Value) -> String {
    match (
        policy["Name"].as_str().unwrap_or("no"),
        policy["MaximumRetryCount"].as_i64(),
    ) {
        ("" | "no", _) => "no".to_string(),
        ("on-failure", Some(n)) if n > 0 => format!("on-failure:{n}"),
        (name, _) => name.to_string(),
    }
}

impl Form {
    /// The run form, titled as editing and recreating `container`, filled from its inspect.
    pub fn edit_recreate(container: Target, inspect: &Value) -> Self {
        let before = run_fields(inspect);
        let fields = Self::run_fields(&before);
        let kind = FormKind::EditRecreate {
            container,
            before: Box::new(before),
        };
        Self::with(kind, fields)
    }

    /// The recreate the form describes: only the fields changed from `before` replace the
    /// old configuration. Bad input is refused as `r`'s form refuses it.
    pub(super) fn edit_recreate_op(
        &self,
        container: &Target,
        before: &RunFields,
    ) -> Result<Op, (usize, String)> {
        let spec = self.run_spec()?;
        let now = self.run_values();
        let changed = changed(before, &now);
        let shown_volumes = (crate::run_spec::items(&before.volumes))
            .filter_map(|v| parse_volume(v).ok())
            .collect();
        let image = spec.image.to_string();
        let edits = crate::docker::actions::recreate::Edits {
            spec,
            changed,
            shown_volumes,
        };
        Ok(Op::Recreate {
            target: container.clone(),
            image,
            pull: true,
            edits: Some(Box::new(edits)),
        })
    }
}

/// The fields whose text (trimmed) or option differs.
fn changed(before: &RunFields, now: &RunFields) -> Vec<RunField> {
    let texts = [
        (RunField::Image, &before.image, &now.image),
        (RunField::Name, &before.name, &now.name),
        (RunField::Command, &before.command, &now.command),
        (RunField::Env, &before.env, &now.env),
        (RunField::Labels, &before.labels, &now.labels),
        (RunField::Ports, &before.ports, &now.ports),
        (RunField::Volumes, &before.volumes, &now.volumes),
        (RunField::Restart, &before.restart, &now.restart),
        (RunField::Network, &before.network, &now.network),
        (RunField::Entrypoint, &before.entrypoint, &now.entrypoint),
        (RunField::User, &before.user, &now.user),
        (RunField::Workdir, &before.workdir, &now.workdir),
        (RunField::Memory, &before.memory, &now.memory),
        (RunField::Cpus, &before.cpus, &now.cpus),
    ];
    let options = [
        (RunField::Tty, before.tty != now.tty),
        (RunField::AutoRemove, before.auto_remove != now.auto_remove),
    ];
    (texts.into_iter())
        .filter(|(_, a, b)| a.trim() != b.trim())
        .map(|(field, ..)| field)
        .chain(options.into_iter().filter(|(_, c)| *c).map(|(f, _)| f))
        .collect()
}
