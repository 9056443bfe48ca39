//! Several Docker hosts at once (a fleet): each with its own connection and rows, every
//! command sent to the host of the row it is about. With one host nothing of this shows.

use super::{App, Connection, Pane};
use crate::docker::{Command, ContainerId, DockerEvent, HostId};

/// A Docker host as `dockpit` was told of it (`-H`, `--context`, the hosts view).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostSpec {
    /// Short: the context's name, or the endpoint's host ("build1", "local").
    pub name: String,
    /// How the docker CLI would be told to reach it: `--context build1` or
    /// `-H ssh://deploy@build1` (the command log writes it into each line).
    pub cli: String,
    /// The endpoint, as the header shows it while connecting.
    pub label: String,
    /// Change nothing on this host (`-H …,ro`, or `--read-only` for all).
    pub read_only: bool,
    /// Its endpoint (`{host}` in a user's command, `DOCKER_HOST` in its environment), and
    /// what else a docker CLI run by that command needs to reach it (TLS).
    pub docker_host: String,
    pub docker_env: Vec<(String, String)>,
}

impl HostSpec {
    /// A host's spec from its endpoint, its short name made unique among `taken` (`web`,
    /// `web-2`).
    pub fn new(endpoint: &crate::docker::Endpoint, read_only: bool, taken: &[&str]) -> Self {
        let base = endpoint.short_name();
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(&name.as_str()) {
            n += 1;
            name = format!("{base}-{n}");
        }
        Self {
            name,
            cli: endpoint.cli_flag(),
            label: endpoint.label(),
            read_only,
            docker_host: endpoint.host.clone(),
            docker_env: endpoint.docker_env(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Host {
    pub id: HostId,
    pub spec: HostSpec,
    pub connection: Connection,
    /// Its part in a Swarm (`None`: in none, or not known yet).
    pub swarm: Option<crate::docker::swarm::Membership>,
    /// It said its part (after its first listing).
    pub swarm_read: bool,
    /// While down: the unix second of its worker's next try.
    pub retry_at: Option<i64>,
    /// It answered once: down now, it went down (else it is unreachable, never reached).
    pub seen_up: bool,
    /// While down: the unix second it was last seen up (its rows are drawn as stale).
    pub down_since: Option<i64>,
}

impl Host {
    /// Connecting, until its worker says more.
    pub fn new(id: HostId, spec: HostSpec) -> Self {
        Self {
            id,
            connection: Connection::Connecting(spec.label.clone()),
            swarm: None,
            swarm_read: false,
            retry_at: None,
            seen_up: false,
            down_since: None,
            spec,
        }
    }

    /// For its banner while down: "retrying in 8 s", or "retrying" once the try is due.
    pub fn retrying(&self, now: i64) -> String {
        match self.retry_at.map(|at| at - now) {
            Some(secs) if secs > 0 => format!("retrying in {secs} s"),
            _ => "retrying".into(),
        }
    }

    pub fn up(&self) -> bool {
        matches!(self.connection, Connection::Up(_))
    }

    /// Since when its rows are what it last listed, not what is there: it went down.
    pub fn stale_since(&self) -> Option<i64> {
        self.down_since
            .filter(|_| matches!(self.connection, Connection::Down(_)))
    }
}

impl App {
    /// More than one host: rows show their host, lines in the command log name it.
    pub fn fleet(&self) -> bool {
        self.hosts.len() > 1
    }

    pub fn host(&self, id: HostId) -> Option<&Host> {
        self.hosts.iter().find(|h| h.id == id)
    }

    /// How the docker CLI is told `id` (`--context build1`, `-H ssh://…`) while several hosts
    /// are watched; "" with one, where the line needs no flag.
    pub fn cli_flag(&self, id: HostId) -> &str {
        match self.host(id) {
            Some(h) if self.fleet() => &h.spec.cli,
            _ => "",
        }
    }

    /// A host's short name ("" for one that is gone).
    pub fn host_name(&self, id: HostId) -> &str {
        self.host(id).map_or("", |h| h.spec.name.as_str())
    }

    /// Down, and never reached: no rows of its own to go stale (a context whose socket is
    /// gone). It is unreachable, not a host that went down.
    pub fn unreachable(&self, host: &Host) -> bool {
        matches!(host.connection, Connection::Down(_))
            && !host.seen_up
            && !self.containers.rows().any(|c| c.host == host.id)
            && !self.images.rows().any(|i| i.host == host.id)
    }

    /// A thing's name as questions and summaries give it: `name@host` while several hosts
    /// are watched (two hosts may each have a `web`), else the name alone.
    pub fn at_host(&self, name: &str, host: HostId) -> String {
        if self.fleet() {
            format!("{name}@{}", self.host_name(host))
        } else {
            name.to_string()
        }
    }

    /// The host things are done on when no row says: the selected row's, else the first
    /// one up, else the first.
    pub fn active_host(&self) -> HostId {
        let selected = match self.focus {
            Pane::Images => self.selected_image().map(|i| i.host),
            Pane::Containers => self
                .selected_container()
                .map(|c| c.host)
                .or_else(|| self.selected_project().map(|(host, _)| host)),
            Pane::Terminal => self.session().map(|s| s.host),
        };
        selected
            .filter(|h| self.host(*h).is_some())
            .or_else(|| self.hosts.iter().find(|h| h.up()).map(|h| h.id))
            .or_else(|| self.hosts.first().map(|h| h.id))
            .unwrap_or_default()
    }

    /// The hosts up now, in order; the active host when none is (its request then says
    /// why). A list of every host asks each.
    pub(super) fn live_hosts(&self) -> Vec<HostId> {
        let up: Vec<HostId> = self.hosts.iter().filter(|h| h.up()).map(|h| h.id).collect();
        match up.is_empty() {
            true => vec![self.active_host()],
            false => up,
        }
    }

    /// The host a container is on: the selected row's when it is that container (one daemon
    /// on two endpoints lists the same ids), else its row's, else the active host.
    pub fn container_host(&self, id: &ContainerId) -> HostId {
        if let Some(c) = self.selected_container().filter(|c| c.id == *id) {
            return c.host;
        }
        self.containers
            .rows()
            .find(|c| c.id == *id)
            .map(|c| c.host)
            .unwrap_or_else(|| self.active_host())
    }

    /// `command` for every host (a refresh).
    pub(super) fn to_every_host(&self, command: Command) -> Vec<super::effects::Routed> {
        (self.hosts.iter())
            .map(|h| (h.id, command.clone()))
            .collect()
    }

    /// Containers (each with the host its row is on) split by host, each host's part made
    /// into its command; `every`: a command for each host, with ids or not (a watch with
    /// none stops that host's).
    pub(super) fn split_by_host(
        &self,
        rows: &[(HostId, ContainerId)],
        every: bool,
        make: fn(Vec<ContainerId>) -> Command,
    ) -> Vec<super::effects::Routed> {
        (self.hosts.iter())
            .map(|h| {
                let mine: Vec<ContainerId> = (rows.iter())
                    .filter(|(host, _)| *host == h.id)
                    .map(|(_, id)| id.clone())
                    .collect();
                (h.id, mine)
            })
            .filter(|(_, mine)| every || !mine.is_empty())
            .map(|(host, mine)| (host, make(mine)))
            .collect()
    }

    /// Whether a host takes no changes: `--read-only`, or that host's own `,ro`.
    pub fn host_read_only(&self, host: HostId) -> bool {
        self.prefs.read_only || self.host(host).is_some_and(|h| h.spec.read_only)
    }

    /// Whether a tab's keys, pastes and size stay with dockpit: its container's host takes
    /// no changes. A command of the user's runs here, and takes them.
    pub fn session_read_only(&self, session: &crate::pty::Session) -> bool {
        !matches!(session.kind, crate::pty::SessionKind::Local(_))
            && self.host_read_only(session.host)
    }

    /// Why nothing may be changed on `host` now, if anything: it is read-only or not up.
    pub(super) fn host_refuses(&self, host: HostId, changes: bool) -> Option<String> {
        let h = self.host(host)?;
        if changes && h.spec.read_only && !self.prefs.read_only {
            return Some(format!(
                "{} is read-only: dockpit was told to change nothing there",
                h.spec.name
            ));
        }
        match &h.connection {
            Connection::Up(_) => None,
            _ if !self.fleet() => None,
            Connection::Connecting(_) => Some(format!("{} is still connecting", h.spec.name)),
            Connection::Down(e) => Some(format!(
                "{} is down ({}): dockpit reconnects by itself",
                h.spec.name, e.detail
            )),
        }
    }

    /// One host's event: its rows stamped with it, its connection kept apart from the
    /// others'.
    pub(super) fn on_host_event(&mut self, host: HostId, mut event: DockerEvent) -> super::Effects {
        // A removed host's worker may still be answering what it was asked before.
        if self.host(host).is_none() {
            return super::Effects::default();
        }
        match &mut event {
            DockerEvent::Snapshot { images, containers } => {
                stamp_images(images, host);
                stamp(containers, host);
            }
            DockerEvent::FirstRows(rows) => stamp(rows, host),
            DockerEvent::ContainersChanged { changed, .. } => stamp(changed, host),
            DockerEvent::Images(images) => stamp_images(images, host),
            DockerEvent::Connecting(endpoint) => {
                let label = endpoint.label();
                if let Some(h) = self.hosts.iter_mut().find(|h| h.id == host) {
                    // Keep showing an error until the attempt succeeds, so it does not flicker.
                    if !matches!(h.connection, Connection::Down(_)) {
                        h.connection = Connection::Connecting(label);
                    }
                }
                self.sum_up_connections();
                return super::Effects::default();
            }
            DockerEvent::Connected(info) => {
                self.set_connection(host, Connection::Up(info.clone()));
                self.retry_at(host, None);
                self.back_up(host);
                self.alert_host_up(host);
                // Restart counts are asked again: the daemon may have restarted.
                self.forget_restarts_asked();
                let mut commands = self.list_host(host);
                commands.extend(self.away_ask(host));
                return commands.into();
            }
            DockerEvent::Disconnected(error, wait) => {
                let now = self.now;
                if let Some(h) = self.hosts.iter_mut().find(|h| h.id == host) {
                    // The first failure counts: later retries fail too.
                    h.down_since.get_or_insert(now);
                }
                self.alert_host_down(host, &error.to_string());
                self.set_connection(host, Connection::Down(error.clone()));
                let wait = i64::try_from(wait.as_secs()).unwrap_or(i64::MAX);
                self.retry_at(host, Some(self.now.saturating_add(wait)));
                return super::Effects::default();
            }
            _ => {}
        }
        self.on_docker(host, event)
    }

    /// With one host, its banner's words while down ("retrying in 8 s").
    pub fn retrying(&self) -> String {
        self.hosts
            .first()
            .map_or_else(|| "retrying".into(), |h| h.retrying(self.now))
    }

    /// A host that was down answers again: its rows are live, and its error (the status
    /// line's, if it is still there) is over.
    fn back_up(&mut self, host: HostId) {
        let Some(h) = self.hosts.iter_mut().find(|h| h.id == host) else {
            return;
        };
        if h.down_since.take().is_none() {
            return;
        }
        let name = h.spec.name.clone();
        let its_error = self.activity.status.as_ref().is_some_and(|s| {
            s.error
                && (s.text.starts_with(&format!("✗ {name}: "))
                    || s.text.contains(&format!("{name} is down")))
        });
        if its_error {
            self.activity.note(format!("{name} is back"));
        }
    }

    fn retry_at(&mut self, host: HostId, at: Option<i64>) {
        if let Some(h) = self.hosts.iter_mut().find(|h| h.id == host) {
            h.retry_at = at;
        }
    }

    fn set_connection(&mut self, host: HostId, connection: Connection) {
        if let Some(h) = self.hosts.iter_mut().find(|h| h.id == host) {
            h.seen_up |= matches!(connection, Connection::Up(_));
            h.connection = connection;
        }
        self.sum_up_connections();
    }

    /// The app's one connection, for what speaks of Docker as a whole: up while any host
    /// is, down when every host is.
    fn sum_up_connections(&mut self) {
        let up = self.hosts.iter().find(|h| h.up());
        let connecting = self
            .hosts
            .iter()
            .find(|h| matches!(h.connection, Connection::Connecting(_)));
        if let Some(h) = up.or(connecting).or(self.hosts.first()) {
            self.connection = h.connection.clone();
        }
    }

    /// The host an action is for: `on`, the host of the dialog it was asked in (for a
    /// container's, when its row is there: marked rows on several hosts each go to their
    /// own); else its container's, the list view's it came from, or the active host.
    pub fn op_host(&self, op: &crate::docker::Op, on: Option<HostId>) -> HostId {
        match (op.container(), on) {
            (Some(t), Some(on)) if self.containers.rows().any(|c| c.host == on && c.id == t.id) => {
                on
            }
            (Some(target), _) => self.container_host(&target.id),
            (None, Some(on)) => on,
            (None, None) => self.view_host().unwrap_or_else(|| self.active_host()),
        }
    }
}

/// Host names by id, for filters (a removed host's is empty).
pub fn names(hosts: &[Host]) -> Vec<String> {
    let len = hosts
        .iter()
        .map(|h| usize::from(h.id.0) + 1)
        .max()
        .unwrap_or(0);
    let mut names = vec![String::new(); len];
    for h in hosts {
        names[usize::from(h.id.0)] = h.spec.name.clone();
    }
    names
}

fn stamp(rows: &mut [crate::docker::ContainerRow], host: HostId) {
    for row in rows {
        row.host = host;
    }
}

/// Image rows are keyed by id and name: the same image on two hosts is two rows.
fn stamp_images(rows: &mut [crate::docker::ImageRow], host: HostId) {
    for row in rows {
        row.host = host;
        if host != HostId::default() {
            row.key = format!("{}|{}", host.0, row.key);
        }
    }
}

/// A docker context as read at start (`docker context ls`): its endpoint, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub name: String,
    pub endpoint: Result<crate::docker::Endpoint, String>,
}

/// A row of the hosts view: a live host, or a context not watched now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostsRow {
    Live(HostId),
    Context(Context),
}

/// What the hosts view asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostChange {
    Add(Context),
    Remove(Vec<HostId>),
    Only(HostId),
    ReadOnly(HostId),
    /// Ask for an endpoint to add.
    New,
    /// Add this endpoint, as typed (`,ro` at its end: read-only).
    Typed(String),
    /// Close these local forwards.
    CloseForwards(Vec<super::forwards::ForwardId>),
}

impl App {
    /// The hosts view's rows: the live hosts, then the contexts none of them is.
    pub(super) fn hosts_rows(&self) -> Vec<HostsRow> {
        let live = self.hosts.iter().map(|h| HostsRow::Live(h.id));
        let watched = |c: &Context| {
            self.hosts.iter().any(|h| {
                h.spec.cli == format!("--context {}", c.name)
                    || c.endpoint.as_ref().is_ok_and(|e| h.spec.label == e.label())
            })
        };
        let contexts = self
            .contexts
            .iter()
            .filter(|c| !watched(c))
            .cloned()
            .map(HostsRow::Context);
        live.chain(contexts).collect()
    }

    /// Carries out what the hosts view asked; the view then shows the hosts as they are.
    pub(super) fn change_hosts(&mut self, change: HostChange) -> super::Effects {
        let effects = match change {
            HostChange::Add(context) => match context.endpoint {
                Ok(endpoint) => self.add_host(endpoint, false),
                Err(e) => {
                    self.activity
                        .refuse(format!("context {}: {e}", context.name));
                    super::Effects::default()
                }
            },
            HostChange::Remove(ids) => {
                let mut effects = super::Effects::default();
                for id in ids {
                    effects.extend(self.remove_host(id));
                }
                effects
            }
            HostChange::Only(id) => {
                let others: Vec<HostId> = self
                    .hosts
                    .iter()
                    .map(|h| h.id)
                    .filter(|h| *h != id)
                    .collect();
                let mut effects = super::Effects::default();
                for other in others {
                    effects.extend(self.remove_host(other));
                }
                effects
            }
            HostChange::ReadOnly(id) => {
                if let Some(h) = self.hosts.iter_mut().find(|h| h.id == id) {
                    h.spec.read_only = !h.spec.read_only;
                    let word = if h.spec.read_only {
                        "read-only"
                    } else {
                        "writable"
                    };
                    let note = format!("{} is {word} now", h.spec.name);
                    self.activity.note(note);
                }
                super::Effects::default()
            }
            // Over the hosts view: `Esc` or the endpoint typed gives it back.
            HostChange::New => {
                let form = super::dialog::Form::add_host();
                self.push_view(super::View::Dialog(super::dialog::Dialog::Form(form)));
                return super::Effects::default();
            }
            HostChange::Typed(text) => self.add_typed(&text),
            HostChange::CloseForwards(ids) => self.close_forwards(&ids),
        };
        self.refresh_hosts_view();
        effects
    }

    /// An endpoint as typed (`,ro` at its end: read-only) becomes a live host, or the status
    /// line says why not.
    fn add_typed(&mut self, text: &str) -> super::Effects {
        let (host, read_only) = crate::docker::endpoint::host_flag(text.trim());
        if let Err(e) = crate::docker::endpoint::check_host(host) {
            self.activity.refuse(e);
            return super::Effects::default();
        }
        let endpoint = crate::docker::Endpoint {
            host: host.to_string(),
            source: crate::docker::EndpointSource::Flag,
            tls: self.typed_tls.clone(),
        };
        let plain_tls_port = endpoint.tls.is_none()
            && host.starts_with("tcp://")
            && host.trim_end_matches('/').ends_with(":2376");
        let effects = self.add_host(endpoint, read_only);
        if plain_tls_port {
            self.activity.refuse(format!(
                "{host} is Docker's TLS port, and this endpoint is plain http (no DOCKER_TLS_VERIFY and DOCKER_CERT_PATH): it will likely fail, and nothing sent is encrypted"
            ));
        }
        // The hosts view it was typed over is back (a form over another view, a Swarm
        // task's node, leaves that view open).
        if self.view.is_none() {
            self.open_hosts();
        }
        effects
    }

    /// A new live host: its task starts; its rows come as it lists them.
    fn add_host(&mut self, endpoint: crate::docker::Endpoint, read_only: bool) -> super::Effects {
        let id = HostId(self.next_host);
        self.next_host = self.next_host.saturating_add(1);
        let taken: Vec<&str> = self.hosts.iter().map(|h| h.spec.name.as_str()).collect();
        let spec = HostSpec::new(&endpoint, read_only || self.prefs.read_only, &taken);
        let name = spec.name.clone();
        // The first host keeps its plain name no more: with two, rows say their host.
        self.hosts.push(Host::new(id, spec));
        self.host_names = names(&self.hosts);
        self.activity.note(format!("added {name}; connecting…"));
        super::Local::AddHost(id, endpoint).into()
    }

    /// A host no longer watched: its task ends, its rows go, its tabs say so. The last host
    /// stays.
    fn remove_host(&mut self, id: HostId) -> super::Effects {
        if self.hosts.len() == 1 {
            let new = self.keymap.key_for(super::keymap::HostsAction::New.into());
            self.activity
                .refuse(format!("the last host stays: add another first ({new})"));
            return super::Effects::default();
        }
        let name = self.host_name(id).to_string();
        self.hosts.retain(|h| h.id != id);
        self.host_names = names(&self.hosts);
        self.containers.rows.retain(|c| c.host != id);
        self.containers.marks.retain(|k| k.host != id);
        self.images.rows.retain(|i| i.host != id);
        self.sync_images();
        for s in self
            .terminals
            .sessions
            .iter_mut()
            .filter(|s| s.host == id && s.live())
        {
            s.ended = Some(format!("{name} was removed from the live hosts"));
        }
        self.sum_up_connections();
        self.sync_cursors();
        // Its forwards go with it (closing them says so; the removal is the news).
        let mut effects = self.close_forwards(&self.forwards_of(id));
        self.activity.note(format!("removed {name}"));
        effects.local.push(super::Local::RemoveHost(id));
        effects
    }
}
