//! What an action is, as data: the operation model, the docker CLI line that does the same,
//! and the words the UI uses for it while it runs.

use crate::reference::Reference;
use crate::run_spec::{RunSpec, shell_quote};

/// An action's id, handed out by the app in order (its command log entry, its progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct OpId(pub u64);

impl OpId {
    /// The id after this one.
    pub fn next(self) -> Self {
        OpId(self.0 + 1)
    }
}

/// A container an action applies to: the id to call with, the name to speak of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: crate::docker::ContainerId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Pull(Reference),
    /// An image's tag to its registry (`docker image push`).
    Push(Reference),
    /// An image built from a folder (`docker build`).
    Build(Box<crate::build_spec::BuildSpec>),
    Run(Box<RunSpec>),
    Start(Target),
    Stop {
        target: Target,
        timeout: u32,
    },
    Restart(Target),
    Kill {
        target: Target,
        signal: String,
    },
    Pause(Target),
    Unpause(Target),
    RemoveContainer {
        target: Target,
        force: bool,
        volumes: bool,
    },
    /// By `repo:tag`, or by id for an untagged image.
    RemoveImage {
        name: String,
        force: bool,
    },
    Tag {
        source: String,
        target: Reference,
    },
    Commit {
        container: Target,
        image: Reference,
        message: String,
        author: String,
    },
    /// `label`: only objects with this `key=value` (what the CLI's `--filter label=` does).
    PruneContainers {
        label: Option<String>,
    },
    PruneImages {
        label: Option<String>,
    },
    /// One of the user's `[[commands]]`, run in the background on this machine.
    Custom(crate::custom::Invocation),
    CreateVolume {
        name: String,
        /// Empty: the daemon's default (`local`).
        driver: String,
        labels: Vec<(String, String)>,
    },
    RemoveVolume {
        name: String,
    },
    /// `all`: named volumes too (API 1.42+ prunes only anonymous ones unless asked; older
    /// engines prune every unused volume and know no `all` filter).
    PruneVolumes {
        label: Option<String>,
        all: bool,
    },
    CreateNetwork {
        name: String,
        driver: String,
        /// CIDR; empty: the daemon picks one.
        subnet: String,
        labels: Vec<(String, String)>,
    },
    RemoveNetwork {
        name: String,
    },
    ConnectNetwork {
        network: String,
        container: Target,
    },
    DisconnectNetwork {
        network: String,
        container: Target,
    },
    PruneNetworks {
        label: Option<String>,
    },
    PruneBuildCache,
    /// Asked of a Swarm manager.
    Swarm(super::swarm::SwarmOp),
    /// A file or folder of a container to this machine (`docker cp C:PATH DEST`);
    /// `overwrite`: the user agreed to replace what `dest` holds.
    CopyFrom {
        container: Target,
        path: String,
        dest: std::path::PathBuf,
        overwrite: bool,
    },
    /// A file or folder of this machine into a container's folder (`docker cp SOURCE C:DIR`).
    CopyTo {
        container: Target,
        source: std::path::PathBuf,
        dir: String,
    },
    /// The container made again, with the same configuration, from the image its name now
    /// names (pulled first when `pull`); `image`: that name, as the container was created
    /// with it.
    Recreate {
        target: Target,
        image: String,
        /// `false`: the image has no registry copy (built or tagged here), so it is used as
        /// it is, as `docker run`'s default `--pull missing` would.
        pull: bool,
        /// "Edit and recreate": what the form changed.
        edits: Option<Box<super::recreate::Edits>>,
    },
    /// `docker update`: limits and restart policy changed while it runs.
    Update {
        target: Target,
        limits: super::edit::Limits,
    },
    Rename {
        target: Target,
        name: String,
    },
}

impl Op {
    /// The docker CLI command that does the same: shown in the command log.
    pub fn cli(&self) -> String {
        let q = |s: &str| shell_quote(s);
        match self {
            Op::Pull(r) => format!("docker image pull {}", r),
            Op::Push(r) => format!("docker image push {}", r),
            Op::Build(spec) => spec.cli(),
            Op::Run(spec) => spec.cli(),
            Op::Start(t) => format!("docker container start {}", q(&t.name)),
            Op::Stop { target, timeout } => {
                format!("docker container stop --time {timeout} {}", q(&target.name))
            }
            Op::Restart(t) => format!("docker container restart {}", q(&t.name)),
            Op::Kill { target, signal } => {
                format!(
                    "docker container kill --signal {signal} {}",
                    q(&target.name)
                )
            }
            Op::Pause(t) => format!("docker container pause {}", q(&t.name)),
            Op::Unpause(t) => format!("docker container unpause {}", q(&t.name)),
            Op::RemoveContainer {
                target,
                force,
                volumes,
            } => {
                let mut flags = String::new();
                if *force {
                    flags.push_str("--force ");
                }
                if *volumes {
                    flags.push_str("--volumes ");
                }
                format!("docker container rm {flags}{}", q(&target.name))
            }
            Op::RemoveImage { name, force } => {
                let flag = if *force { "--force " } else { "" };
                format!("docker image rm {flag}{}", q(name))
            }
            Op::Tag { source, target } => {
                format!("docker image tag {} {}", q(source), target.normalized())
            }
            Op::Commit {
                container,
                image,
                message,
                author,
            } => {
                let mut line = String::from("docker container commit ");
                if !message.is_empty() {
                    line.push_str(&format!("--message {} ", q(message)));
                }
                if !author.is_empty() {
                    line.push_str(&format!("--author {} ", q(author)));
                }
                format!("{line}{} {}", q(&container.name), image.normalized())
            }
            Op::PruneContainers { label } => prune_cli("container", label),
            Op::PruneImages { label } => prune_cli("image", label),
            Op::Custom(inv) => crate::run_spec::join_command(&inv.argv),
            Op::CreateVolume {
                name,
                driver,
                labels,
            } => {
                // No name: the daemon makes one up, as `docker volume create` alone does.
                let name = if name.is_empty() {
                    String::new()
                } else {
                    q(name)
                };
                let line = format!(
                    "docker volume create {}{}{name}",
                    flag("--driver", driver),
                    label_flags(labels),
                );
                line.trim_end().to_string()
            }
            Op::RemoveVolume { name } => format!("docker volume rm {}", q(name)),
            Op::PruneVolumes { label, all: true } => {
                prune_cli("volume", label).replacen("prune", "prune --all", 1)
            }
            Op::PruneVolumes { label, .. } => prune_cli("volume", label),
            Op::CreateNetwork {
                name,
                driver,
                subnet,
                labels,
            } => format!(
                "docker network create {}{}{}{}",
                flag("--driver", driver),
                flag("--subnet", subnet),
                label_flags(labels),
                q(name)
            ),
            Op::RemoveNetwork { name } => format!("docker network rm {}", q(name)),
            Op::ConnectNetwork { network, container } => {
                format!(
                    "docker network connect {} {}",
                    q(network),
                    q(&container.name)
                )
            }
            Op::DisconnectNetwork { network, container } => format!(
                "docker network disconnect {} {}",
                q(network),
                q(&container.name)
            ),
            Op::PruneNetworks { label } => prune_cli("network", label),
            Op::PruneBuildCache => "docker builder prune --force".into(),
            Op::Swarm(op) => op.cli(),
            Op::CopyFrom {
                container,
                path,
                dest,
                ..
            } => format!(
                "docker cp {} {}",
                q(&format!("{}:{path}", container.name)),
                q(&dest.to_string_lossy())
            ),
            Op::CopyTo {
                container,
                source,
                dir,
            } => format!(
                "docker cp {} {}",
                q(&source.to_string_lossy()),
                q(&format!("{}:{dir}", container.name))
            ),
            Op::Recreate {
                target,
                edits: Some(edits),
                ..
            } => edits.cli_lines(&target.name, false).join(" && "),
            Op::Recreate {
                target,
                image,
                pull,
                ..
            } => super::recreate::cli_lines(&target.name, image, *pull).join(" && "),
            Op::Update { target, limits } => limits.cli(&target.name),
            Op::Rename { target, name } => {
                format!("docker container rename {} {}", q(&target.name), q(name))
            }
        }
    }

    /// [`Op::cli`] for the log file, free of secrets (the command log on screen shows the
    /// user's own command whole): env values (`-e KEY=…`, `--env KEY=…`, a custom command's
    /// too), the value of a `--password`-like flag, and a URL's password.
    pub fn log_line(&self) -> String {
        let line = match self {
            Op::Run(spec) => spec.cli_redacted(),
            Op::Build(spec) => spec.cli_redacted(),
            Op::Swarm(op) => op.log_line(),
            Op::Custom(inv) => crate::run_spec::join_command(&redacted_args(&inv.argv)),
            Op::Recreate {
                target,
                edits: Some(edits),
                ..
            } => edits.cli_lines(&target.name, true).join(" && "),
            other => other.cli(),
        };
        crate::logging::redact_url_passwords(&line)
    }

    /// Whether it only reads the Docker host (a download): allowed in read-only mode.
    pub fn reads_only(&self) -> bool {
        matches!(self, Op::CopyFrom { .. })
    }

    /// The container it acts on, if any (for "stopping…" on its row).
    pub fn container(&self) -> Option<&Target> {
        match self {
            Op::Start(t) | Op::Restart(t) | Op::Pause(t) | Op::Unpause(t) => Some(t),
            Op::Stop { target, .. }
            | Op::Kill { target, .. }
            | Op::RemoveContainer { target, .. } => Some(target),
            Op::Commit { container, .. }
            | Op::Recreate {
                target: container, ..
            }
            | Op::Update {
                target: container, ..
            }
            | Op::Rename {
                target: container, ..
            }
            | Op::CopyFrom { container, .. }
            | Op::CopyTo { container, .. } => Some(container),
            _ => None,
        }
    }

    /// The words for it, to ask ("Stop 12 containers?") and to sum up once done ("Stopped
    /// 12 containers").
    pub fn verbs(&self) -> (&'static str, &'static str) {
        match self {
            Op::Pull(_) => ("Pull", "Pulled"),
            Op::Push(_) => ("Push", "Pushed"),
            Op::Build(_) => ("Build", "Built"),
            Op::Run(_) => ("Run", "Ran"),
            Op::Start(_) => ("Start", "Started"),
            Op::Stop { .. } => ("Stop", "Stopped"),
            Op::Restart(_) => ("Restart", "Restarted"),
            Op::Kill { .. } => ("Kill", "Killed"),
            Op::Pause(_) => ("Pause", "Paused"),
            Op::Unpause(_) => ("Unpause", "Unpaused"),
            Op::RemoveContainer { .. } | Op::RemoveImage { .. } => ("Remove", "Removed"),
            Op::Tag { .. } => ("Tag", "Tagged"),
            Op::Commit { .. } => ("Commit", "Committed"),
            Op::PruneContainers { .. } | Op::PruneImages { .. } => ("Prune", "Pruned"),
            Op::Custom(_) => ("Run", "Ran"),
            Op::CreateVolume { .. } | Op::CreateNetwork { .. } => ("Create", "Created"),
            Op::RemoveVolume { .. } | Op::RemoveNetwork { .. } => ("Remove", "Removed"),
            Op::ConnectNetwork { .. } => ("Connect", "Connected"),
            Op::DisconnectNetwork { .. } => ("Disconnect", "Disconnected"),
            Op::PruneVolumes { .. } | Op::PruneNetworks { .. } | Op::PruneBuildCache => {
                ("Prune", "Pruned")
            }
            Op::Swarm(op) => op.verbs(),
            Op::CopyFrom { .. } | Op::CopyTo { .. } => ("Copy", "Copied"),
            Op::Recreate { .. } => ("Recreate", "Recreated"),
            Op::Update { .. } => ("Update", "Updated"),
            Op::Rename { .. } => ("Rename", "Renamed"),
        }
    }

    /// The word a row shows while the action runs.
    pub fn verb_ing(&self) -> &'static str {
        match self {
            Op::Pull(_) => "pulling…",
            Op::Push(_) => "pushing…",
            Op::Build(_) => "building…",
            Op::Run(_) => "starting…",
            Op::Start(_) => "starting…",
            Op::Stop { .. } => "stopping…",
            Op::Restart(_) => "restarting…",
            Op::Kill { .. } => "killing…",
            Op::Pause(_) => "pausing…",
            Op::Unpause(_) => "unpausing…",
            Op::RemoveContainer { .. } | Op::RemoveImage { .. } => "removing…",
            Op::Tag { .. } => "tagging…",
            Op::Commit { .. } => "committing…",
            Op::PruneContainers { .. } | Op::PruneImages { .. } => "pruning…",
            Op::Custom(_) => "running…",
            Op::CreateVolume { .. } | Op::CreateNetwork { .. } => "creating…",
            Op::RemoveVolume { .. } | Op::RemoveNetwork { .. } => "removing…",
            Op::ConnectNetwork { .. } => "connecting…",
            Op::DisconnectNetwork { .. } => "disconnecting…",
            Op::PruneVolumes { .. } | Op::PruneNetworks { .. } | Op::PruneBuildCache => "pruning…",
            Op::Swarm(op) => op.verb_ing(),
            Op::CopyFrom { .. } | Op::CopyTo { .. } => "copying…",
            Op::Recreate { .. } => "recreating…",
            Op::Update { .. } => "updating…",
            Op::Rename { .. } => "renaming…",
        }
    }
}

/// Flags whose value is a secret, as the docker CLI and common tools name them.
const SECRET_FLAGS: [&str; 4] = ["--password", "--token", "--secret", "--api-key"];

/// A command's words with env values and secret flags' values left out: `-e KEY=…`,
/// `--env=KEY=…`, `--password …`, `--token=…`.
fn redacted_args(argv: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(argv.len());
    let mut previous: Option<&str> = None;
    for word in argv {
        let redacted = match previous {
            Some("-e" | "--env") => crate::run_spec::redacted_env(word),
            Some(flag) if SECRET_FLAGS.contains(&flag) => "…".into(),
            _ => match word.split_once('=') {
                Some((flag @ "--env", value)) => {
                    format!("{flag}={}", crate::run_spec::redacted_env(value))
                }
                Some((flag, _)) if SECRET_FLAGS.contains(&flag) => format!("{flag}=…"),
                _ => word.clone(),
            },
        };
        out.push(redacted);
        previous = Some(word);
    }
    out
}

fn prune_cli(kind: &str, label: &Option<String>) -> String {
    match label {
        Some(l) => format!(
            "docker {kind} prune --force --filter label={}",
            shell_quote(l)
        ),
        None => format!("docker {kind} prune --force"),
    }
}

/// `--flag value ` when there is a value.
fn flag(name: &str, value: &str) -> String {
    match value.trim() {
        "" => String::new(),
        v => format!("{name} {} ", shell_quote(v)),
    }
}

fn label_flags(labels: &[(String, String)]) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("--label {} ", shell_quote(&format!("{k}={v}"))))
        .collect()
}

/// A line of pull progress, as the daemon reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Per-layer status: "Downloading" with bytes, "Pull complete", "Already exists"…
    Layer {
        id: String,
        status: String,
        current: Option<i64>,
        total: Option<i64>,
    },
    /// A line about the whole pull: "Digest: sha256:…", "Status: Downloaded newer image…".
    Line(String),
    /// A build's context, steps and output.
    Build(crate::docker::build::BuildProgress),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web() -> Target {
        Target {
            id: "abc".into(),
            name: "web".into(),
        }
    }

    #[test]
    fn cli_lines_match_the_docker_cli() {
        let cases = [
            (
                Op::Kill {
                    target: web(),
                    signal: "SIGKILL".into(),
                },
                "docker container kill --signal SIGKILL web",
            ),
            (
                Op::Stop {
                    target: web(),
                    timeout: 10,
                },
                "docker container stop --time 10 web",
            ),
            (
                Op::RemoveContainer {
                    target: web(),
                    force: true,
                    volumes: true,
                },
                "docker container rm --force --volumes web",
            ),
            (
                Op::Pull(crate::reference::parse("busybox").expect("ref")),
                "docker image pull busybox",
            ),
            (
                Op::Tag {
                    source: "sha256:047b1cacbee6aa".into(),
                    target: crate::reference::parse("me/box").expect("ref"),
                },
                "docker image tag sha256:047b1cacbee6aa me/box:latest",
            ),
            (
                Op::PruneImages { label: None },
                "docker image prune --force",
            ),
            (
                Op::PruneContainers {
                    label: Some("dockpit.test=x".into()),
                },
                "docker container prune --force --filter label=dockpit.test=x",
            ),
            (
                Op::CreateVolume {
                    name: "data".into(),
                    driver: "local".into(),
                    labels: vec![("team".into(), "web app".into())],
                },
                "docker volume create --driver local --label 'team=web app' data",
            ),
            (
                Op::CreateVolume {
                    name: String::new(),
                    driver: String::new(),
                    labels: vec![],
                },
                "docker volume create",
            ),
            (
                Op::PruneVolumes {
                    label: None,
                    all: true,
                },
                "docker volume prune --all --force",
            ),
            (
                Op::ConnectNetwork {
                    network: "back".into(),
                    container: web(),
                },
                "docker network connect back web",
            ),
            (
                Op::CreateNetwork {
                    name: "back".into(),
                    driver: String::new(),
                    subnet: "10.9.0.0/24".into(),
                    labels: vec![],
                },
                "docker network create --subnet 10.9.0.0/24 back",
            ),
        ];
        for (op, want) in cases {
            assert_eq!(op.cli(), want);
        }
    }

    const SECRET: &str = "hunter2-do-not-log";

    /// Every variant of `Op` (and of `SwarmOp`) with secret-looking values wherever it holds
    /// free text: env values, `--password`, a URL's password. The `match` below has no
    /// wildcard, so a new variant does not compile until it is added here.
    fn every_op() -> Vec<Op> {
        use super::super::swarm::{Availability, Named, SwarmOp};
        let url = format!("https://deploy:{SECRET}@git.example/app.git");
        let fields = crate::run_spec::RunFields {
            image: "busybox".into(),
            name: "web".into(),
            command: format!("sh -c 'git clone {url}'"),
            env: format!("DB_PASSWORD={SECRET}\nTOKEN={SECRET}"),
            labels: format!("origin={url}"),
            ..Default::default()
        };
        let spec = Box::new(fields.parse().expect("a valid run form"));
        let reference = || crate::reference::parse("busybox").expect("ref");
        let named = || Named {
            id: "n1".into(),
            name: "svc".into(),
        };
        let custom = crate::custom::Invocation {
            name: "deploy".into(),
            argv: vec![
                "docker".into(),
                "run".into(),
                "-e".into(),
                format!("API_KEY={SECRET}"),
                format!("--env=PASS={SECRET}"),
                "--password".into(),
                SECRET.into(),
                format!("--password={SECRET}"),
                url.clone(),
            ],
            env: vec![("DOCKPIT_TOKEN".into(), SECRET.into())],
        };
        let label = Some(format!("origin={url}"));
        let ops = vec![
            Op::Pull(reference()),
            Op::Push(reference()),
            Op::Build(Box::new(crate::build_spec::BuildSpec {
                context: ".".into(),
                dockerfile: "Dockerfile".into(),
                args: vec![("TOKEN".into(), SECRET.into())],
                ..Default::default()
            })),
            Op::Run(spec.clone()),
            Op::Start(web()),
            Op::Stop {
                target: web(),
                timeout: 1,
            },
            Op::Restart(web()),
            Op::Kill {
                target: web(),
                signal: "SIGKILL".into(),
            },
            Op::Pause(web()),
            Op::Unpause(web()),
            Op::RemoveContainer {
                target: web(),
                force: true,
                volumes: true,
            },
            Op::RemoveImage {
                name: "busybox".into(),
                force: false,
            },
            Op::Tag {
                source: "busybox".into(),
                target: reference(),
            },
            Op::Commit {
                container: web(),
                image: reference(),
                message: format!("pushed from {url}"),
                author: format!("ci <{url}>"),
            },
            Op::PruneContainers {
                label: label.clone(),
            },
            Op::PruneImages {
                label: label.clone(),
            },
            Op::Custom(custom),
            Op::CreateVolume {
                name: "data".into(),
                driver: "local".into(),
                labels: vec![("origin".into(), url.clone())],
            },
            Op::RemoveVolume {
                name: "data".into(),
            },
            Op::PruneVolumes {
                label: label.clone(),
                all: true,
            },
            Op::CreateNetwork {
                name: "back".into(),
                driver: String::new(),
                subnet: String::new(),
                labels: vec![("origin".into(), url.clone())],
            },
            Op::RemoveNetwork {
                name: "back".into(),
            },
            Op::ConnectNetwork {
                network: "back".into(),
                container: web(),
            },
            Op::DisconnectNetwork {
                network: "back".into(),
                container: web(),
            },
            Op::PruneNetworks { label },
            Op::PruneBuildCache,
            Op::Swarm(SwarmOp::Scale {
                service: named(),
                replicas: 2,
            }),
            Op::Swarm(SwarmOp::ForceUpdate(named())),
            Op::Swarm(SwarmOp::Rollback(named())),
            Op::Swarm(SwarmOp::RemoveService(named())),
            Op::Swarm(SwarmOp::RemoveStack {
                stack: "st".into(),
                services: vec![named()],
            }),
            Op::Swarm(SwarmOp::CreateService {
                spec,
                replicas: Some(2),
                constraints: vec!["node.role==manager".into()],
            }),
            Op::Swarm(SwarmOp::NodeAvailability {
                node: named(),
                label: "vm (3s35uu)".into(),
                availability: Availability::Drain,
            }),
            Op::Swarm(SwarmOp::NodeRole {
                node: named(),
                label: "vm (3s35uu)".into(),
                manager: true,
            }),
            Op::CopyFrom {
                container: web(),
                path: "/etc".into(),
                dest: "./etc".into(),
                overwrite: false,
            },
            Op::CopyTo {
                container: web(),
                source: "./app".into(),
                dir: "/srv".into(),
            },
            Op::Recreate {
                target: web(),
                image: "127.0.0.1:5000/app:1".into(),
                pull: true,
                edits: None,
            },
            Op::Update {
                target: web(),
                limits: super::super::edit::Limits {
                    memory: Some(64 << 20),
                    ..Default::default()
                },
            },
            Op::Rename {
                target: web(),
                name: "web2".into(),
            },
        ];
        let mut seen = std::collections::BTreeSet::new();
        for op in &ops {
            seen.insert(match op {
                Op::Pull(_) => 0,
                Op::Run(_) => 1,
                Op::Start(_) => 2,
                Op::Stop { .. } => 3,
                Op::Restart(_) => 4,
                Op::Kill { .. } => 5,
                Op::Pause(_) => 6,
                Op::Unpause(_) => 7,
                Op::RemoveContainer { .. } => 8,
                Op::RemoveImage { .. } => 9,
                Op::Tag { .. } => 10,
                Op::Commit { .. } => 11,
                Op::PruneContainers { .. } => 12,
                Op::PruneImages { .. } => 13,
                Op::Custom(_) => 14,
                Op::CreateVolume { .. } => 15,
                Op::RemoveVolume { .. } => 16,
                Op::PruneVolumes { .. } => 17,
                Op::CreateNetwork { .. } => 18,
                Op::RemoveNetwork { .. } => 19,
                Op::ConnectNetwork { .. } => 20,
                Op::DisconnectNetwork { .. } => 21,
                Op::PruneNetworks { .. } => 22,
                Op::PruneBuildCache => 23,
                Op::Swarm(op) => match op {
                    SwarmOp::Scale { .. } => 24,
                    SwarmOp::ForceUpdate(_) => 25,
                    SwarmOp::Rollback(_) => 26,
                    SwarmOp::RemoveService(_) => 27,
                    SwarmOp::RemoveStack { .. } => 28,
                    SwarmOp::CreateService { .. } => 29,
                    SwarmOp::NodeAvailability { .. } => 30,
                    SwarmOp::NodeRole { .. } => 31,
                },
                Op::CopyFrom { .. } => 32,
                Op::CopyTo { .. } => 33,
                Op::Push(_) => 34,
                Op::Build(_) => 35,
                Op::Recreate { .. } => 36,
                Op::Update { .. } => 37,
                Op::Rename { .. } => 38,
            });
        }
        assert_eq!(seen.len(), 39, "every variant once");
        ops
    }

    #[test]
    fn no_secret_of_any_op_reaches_the_log_line() {
        for op in every_op() {
            let line = op.log_line();
            assert!(!line.contains(SECRET), "{op:?} logs {line}");
        }
        // What is left says what was there.
        let ops = every_op();
        let create = ops
            .iter()
            .find(|op| {
                matches!(
                    op,
                    Op::Swarm(super::super::swarm::SwarmOp::CreateService { .. })
                )
            })
            .expect("create service");
        let line = create.log_line();
        assert!(line.contains("--env 'DB_PASSWORD=…'"), "{line}");
        assert!(
            line.contains("https://deploy:…@git.example/app.git"),
            "{line}"
        );
        // The command log on screen keeps the user's own command whole.
        assert!(create.cli().contains(SECRET));
    }
}
