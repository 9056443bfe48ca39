//! Local forwards to the published ports of containers on ssh hosts: `b` there asks the
//! event loop for `ssh -N -L` (its children are `crate::forwards`'), and opens the local end
//! once it accepts. Here only what is open or starting, and what the hosts view lists; no I/O.

use super::App;
use super::effects::{Effects, Local};
use super::host_list::HostLine;
use super::list::Tone;
use super::ports::{Published, url_of};
use crate::docker::{ContainerId, ContainerRow, HostId};

/// A forward's number, never given twice in a session.
pub type ForwardId = u64;

/// What the event loop starts: `ssh -N -L 127.0.0.1:<free port>:<target> <destination>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardRequest {
    pub id: ForwardId,
    /// `[user@]host`, as the `ssh://` endpoint names it.
    pub destination: String,
    /// Where the port is on the far machine, as `-L` takes it (`127.0.0.1:8080`).
    pub target: String,
}

/// How a forward went, from the event loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardEvent {
    /// Its local port accepts.
    Up { id: ForwardId, local: u16 },
    /// ssh exited (or never started, or made no forward in time), in its own words.
    Ended { id: ForwardId, why: String },
}

/// A forward asked for: starting until its local port is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub id: ForwardId,
    pub host: HostId,
    pub container: ContainerId,
    /// The container's name when it was asked for.
    pub name: String,
    pub port: Published,
    pub target: String,
    /// Its local port, once it accepts.
    pub local: Option<u16>,
    /// Unix seconds it was asked for, then since it is up.
    pub since: i64,
}

/// The forwards open or starting, oldest first.
#[derive(Debug, Default)]
pub struct Forwards {
    pub open: Vec<Forward>,
    next: ForwardId,
}

/// `user@host` of an `ssh://user@host[/]` endpoint.
pub fn destination(docker_host: &str) -> Option<String> {
    let rest = docker_host.strip_prefix("ssh://")?;
    let authority = rest.split('/').next().unwrap_or(rest);
    (!authority.is_empty()).then(|| authority.to_string())
}

/// Where a published port is on its own machine, as `-L` takes it: its address, or
/// `127.0.0.1` for one published on every address.
pub fn target(port: &Published) -> String {
    match port.ip.as_str() {
        "0.0.0.0" | "::" | "" => format!("127.0.0.1:{}", port.public),
        ip if ip.contains(':') => format!("[{ip}]:{}", port.public),
        ip => format!("{ip}:{}", port.public),
    }
}

impl App {
    /// `b` on a container of an ssh host: its forward's URL opened if it is up, else one
    /// asked for.
    pub(super) fn forward_port(
        &mut self,
        row: &ContainerRow,
        docker_host: &str,
        port: Published,
    ) -> Effects {
        let Some(destination) = destination(docker_host) else {
            self.activity
                .refuse(format!("{docker_host} names no ssh host to forward from"));
            return Effects::default();
        };
        let target = target(&port);
        let same = |f: &&Forward| f.host == row.host && f.container == row.id && f.target == target;
        if let Some(open) = self.forwards.open.iter().find(same) {
            return match open.local {
                Some(local) => self.open_url(local_url(&open.port, local)),
                None => {
                    self.activity.note(format!(
                        "the forward to {}'s {target} is starting…",
                        row.name
                    ));
                    Effects::default()
                }
            };
        }
        let id = self.forwards.next;
        self.forwards.next += 1;
        self.forwards.open.push(Forward {
            id,
            host: row.host,
            container: row.id.clone(),
            name: row.name.clone(),
            port,
            target: target.clone(),
            local: None,
            since: self.now,
        });
        self.activity.note(format!(
            "forwarding {}'s {target} from {destination} over ssh…",
            row.name
        ));
        self.refresh_hosts_view();
        Local::Forward(ForwardRequest {
            id,
            destination,
            target,
        })
        .into()
    }

    /// A forward is up (its URL opened and copied) or gone (the status says why).
    pub(super) fn forward_event(&mut self, event: ForwardEvent) -> Effects {
        let effects = match event {
            ForwardEvent::Up { id, local } => {
                let Some(open) = self.forwards.open.iter_mut().find(|f| f.id == id) else {
                    return Effects::default();
                };
                open.local = Some(local);
                open.since = self.now;
                let url = local_url(&open.port, local);
                self.open_url(url)
            }
            ForwardEvent::Ended { id, why } => {
                // One closed on purpose is gone already: nothing to say.
                if let Some(gone) = self.take_forward(id) {
                    let why = crate::format::inert(&why);
                    self.activity.refuse(format!(
                        "the forward to {}'s {} ended: {why}",
                        gone.name, gone.target
                    ));
                }
                Effects::default()
            }
        };
        self.refresh_hosts_view();
        effects
    }

    /// Closes these forwards (the hosts view's `d`), or those of a host no longer watched.
    pub(super) fn close_forwards(&mut self, ids: &[ForwardId]) -> Effects {
        let mut effects = Effects::default();
        let mut names = Vec::new();
        for id in ids {
            if let Some(gone) = self.take_forward(*id) {
                names.push(format!("{}'s {}", gone.name, gone.target));
                effects.local.push(Local::CloseForward(*id));
            }
        }
        if !names.is_empty() {
            self.activity
                .note(format!("closed the forward to {}", names.join(", ")));
        }
        self.refresh_hosts_view();
        effects
    }

    /// The forwards through `host`.
    pub(super) fn forwards_of(&self, host: HostId) -> Vec<ForwardId> {
        let open = self.forwards.open.iter();
        open.filter(|f| f.host == host).map(|f| f.id).collect()
    }

    fn take_forward(&mut self, id: ForwardId) -> Option<Forward> {
        let at = self.forwards.open.iter().position(|f| f.id == id)?;
        Some(self.forwards.open.remove(at))
    }

    /// The hosts view's rows for the forwards, after the hosts and contexts: `build1/web`
    /// (as its tabs are named), "forward since 14:02", `127.0.0.1:8080 → 127.0.0.1:41000`.
    /// Cells no wider than a host's, so a forward never pushes a host's column out.
    pub(super) fn forward_lines(&self) -> Vec<HostLine> {
        (self.forwards.open.iter())
            .map(|f| {
                let (state, tone, local) = match f.local {
                    Some(port) => (
                        format!("forward since {}", self.hh_mm(f.since)),
                        Tone::Good,
                        format!("127.0.0.1:{port}"),
                    ),
                    None => ("forward starting…".to_string(), Tone::Dim, "…".to_string()),
                };
                HostLine {
                    forward: Some(f.id),
                    key: format!("forward {}", f.id),
                    name: format!("{}/{}", self.host_name(f.host), f.name),
                    state,
                    tone,
                    endpoint: format!("{} → {local}", f.target),
                    ..HostLine::default()
                }
            })
            .collect()
    }

    /// `hh:mm` of a moment, in the local time.
    fn hh_mm(&self, secs: i64) -> String {
        chrono::DateTime::from_timestamp(secs + i64::from(self.prefs.utc_offset), 0)
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default()
    }
}

/// A forward's local end as a URL: the scheme its container port suggests.
fn local_url(port: &Published, local: u16) -> String {
    let local = Published {
        ip: "127.0.0.1".into(),
        public: u64::from(local),
        private: port.private,
    };
    url_of(&local, "127.0.0.1")
}
