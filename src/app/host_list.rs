//! The hosts view (`H`, `:hosts`) as a list kind: every live Docker host with its state,
//! engine and counts, then the docker contexts not watched now, then the local forwards to
//! ssh hosts' ports (`forwards`). Its rows come from the app (no daemon is asked), without a
//! HOST column; adding a context, removing a host (asking first, the marked ones too),
//! closing a forward (at once), keeping only one host (asking first), read-only on and off,
//! and a typed endpoint are its verbs.

use super::dialog::{Confirm, ConfirmKind, Dialog};
use super::hosts::{HostChange, HostsRow};
use super::keymap::HostsAction;
use super::list::{Column, Kind, List, Tone, Width, by_text};
use super::room::Room;
use super::view::{Ctx, Outcome, Then, View};
use super::{App, Connection};
use crate::docker::{ContainerState, HostId};

/// The hosts kind.
#[derive(Debug, Clone)]
pub struct Hosts;

/// A host or context as the view shows it, read from the app when it changes.
#[derive(Debug, Clone, Default)]
pub struct HostLine {
    /// `None`: a context not watched now.
    pub live: Option<HostId>,
    pub context: Option<super::hosts::Context>,
    /// A local forward to a port on an ssh host (`d` closes it).
    pub forward: Option<super::forwards::ForwardId>,
    /// Unique among the rows ("host 0", "context staging").
    pub key: String,
    pub name: String,
    pub state: String,
    /// Why it is down or unusable, in the daemon's or the system's words.
    pub why: String,
    pub tone: Tone,
    pub engine: String,
    pub os: String,
    pub running: usize,
    pub containers: usize,
    pub images: Option<usize>,
    pub swarm: String,
    pub endpoint: String,
}

impl Kind for Hosts {
    type Row = HostLine;
    type Action = HostsAction;
    const TITLE: &'static str = "Docker hosts and contexts";
    const HOSTED: bool = false;

    fn noun() -> String {
        "hosts".into()
    }

    // Sized to their cells, so a short STATE leaves its room to ENDPOINT (issue 25.12).
    fn columns(&self) -> Vec<Column<HostLine>> {
        vec![
            Column::new("NAME", Width::Content(24), 0).sorts(|a, b| by_text(&a.name, &b.name)),
            Column::new("STATE", Width::Content(32), 0).sorts(|a, b| by_text(&a.state, &b.state)),
            Column::new("ENGINE", Width::Content(28), 2)
                .sorts(|a, b| by_text(&a.engine, &b.engine)),
            Column::new("OS/ARCH", Width::Content(14), 4),
            Column::new("CONTAINERS", Width::Content(12), 1)
                .sorts(|a, b| a.containers.cmp(&b.containers)),
            Column::new("IMAGES", Width::Content(8), 3).sorts(|a, b| a.images.cmp(&b.images)),
            Column::new("SWARM", Width::Content(24), 2),
            // Before what is less telling: cut only when nothing else is left to drop.
            Column::new("ENDPOINT", Width::Fit(80), 1)
                .sorts(|a, b| by_text(&a.endpoint, &b.endpoint)),
            // Last, in the room left: a long error never pushes ENDPOINT out.
            Column::new("WHY", Width::Grow(12), 1),
        ]
    }

    fn id(row: &HostLine) -> &str {
        &row.key
    }

    fn name(row: &HostLine) -> &str {
        &row.name
    }

    /// Its key is dockpit's own ("host 1"): `y` copies where it is, as `-H` takes it.
    fn copied(row: &HostLine) -> &str {
        &row.endpoint
    }

    fn id_noun() -> &'static str {
        "endpoint"
    }

    fn cells(&self, r: &HostLine) -> Vec<String> {
        let (containers, images) = match r.live {
            Some(_) => (
                format!("{}/{}", r.running, r.containers),
                r.images.map(|n| n.to_string()).unwrap_or_default(),
            ),
            None => (String::new(), String::new()),
        };
        vec![
            r.name.clone(),
            r.state.clone(),
            r.engine.clone(),
            r.os.clone(),
            containers,
            images,
            r.swarm.clone(),
            r.endpoint.clone(),
            r.why.clone(),
        ]
    }

    fn tone(&self, row: &HostLine) -> Option<(usize, Tone)> {
        Some((1, row.tone))
    }

    // The app knows its hosts: no daemon is asked.

    fn verb(list: &mut List<Self>, action: HostsAction, cx: &mut Ctx) -> Outcome {
        let row = list.selected().map(|r| r.row.clone());
        let live = row.as_ref().and_then(|r| r.live);
        let change = match (action, row, live) {
            (HostsAction::Close, _, _) => return Outcome::close(),
            (HostsAction::New, _, _) => HostChange::New,
            (HostsAction::Remove, _, _) => return remove(list, cx),
            (
                _,
                Some(HostLine {
                    forward: Some(_), ..
                }),
                _,
            ) => {
                let remove = cx.keymap.key_for(HostsAction::Remove.into());
                cx.activity
                    .refuse(format!("a forward, not a host: {remove} closes it"));
                return Outcome::stay();
            }
            (
                HostsAction::Add,
                Some(HostLine {
                    context: Some(c), ..
                }),
                _,
            ) => HostChange::Add(c),
            (HostsAction::Add, Some(_), _) => {
                cx.activity.refuse("that host is live already");
                return Outcome::stay();
            }
            (HostsAction::Only, Some(row), Some(id)) => {
                let name = row.name;
                return ask(
                    format!(" Watch only {name}? "),
                    format!(
                        "dockpit stops watching every other host; their rows go and their terminal tabs end. {name} stays."
                    ),
                    HostChange::Only(id),
                );
            }
            (HostsAction::ReadOnly, _, Some(id)) => HostChange::ReadOnly(id),
            (_, None, _) => {
                cx.activity.refuse("no host selected");
                return Outcome::stay();
            }
            (_, Some(_), None) => return not_live(cx),
        };
        Outcome::stay().then(Then::Hosts(change))
    }
}

/// `d`: closes the marked forwards, or the selected one, at once (nothing is lost: `b`
/// makes one again); asks before removing the marked live hosts, or the selected one.
fn remove(list: &List<Hosts>, cx: &mut Ctx) -> Outcome {
    let targets: Vec<&HostLine> = list.targets().into_iter().map(|r| &r.row).collect();
    let forwards: Vec<_> = targets.iter().filter_map(|r| r.forward).collect();
    if !forwards.is_empty() {
        if forwards.len() < targets.len() {
            cx.activity
                .refuse("hosts and forwards marked together: mark one kind");
            return Outcome::stay();
        }
        return Outcome::stay().then(Then::Hosts(HostChange::CloseForwards(forwards)));
    }
    let live: Vec<(HostId, &str)> = (targets.iter())
        .filter_map(|r| r.live.map(|id| (id, r.name.as_str())))
        .collect();
    if live.len() < targets.len() || live.is_empty() {
        return not_live(cx);
    }
    let names: Vec<&str> = live.iter().map(|(_, n)| *n).collect();
    let names = names.join(", ");
    let (title, its, are) = match live.as_slice() {
        [(_, one)] => (format!(" Remove host {one}? "), "its", "host itself is"),
        many => (
            format!(" Remove {} hosts? ", many.len()),
            "their",
            "hosts themselves are",
        ),
    };
    ask(
        title,
        format!(
            "dockpit stops watching {names}; {its} rows go and {its} terminal tabs end. The {are} not changed."
        ),
        HostChange::Remove(live.iter().map(|(id, _)| *id).collect()),
    )
}

/// A verb for live hosts on a context: says how to add it first.
fn not_live(cx: &mut Ctx) -> Outcome {
    let add = cx.keymap.key_for(HostsAction::Add.into());
    cx.activity
        .refuse(format!("not a live host: add it first ({add})"));
    Outcome::stay()
}

/// Asks before a change that drops hosts: the question goes over the view, which is back
/// once it is answered.
fn ask(title: String, line: String, change: HostChange) -> Outcome {
    let confirm = Confirm::new(title, ConfirmKind::Hosts(Box::new(change)), vec![line]);
    Outcome::stay().then(Then::Ask(Dialog::Confirm(confirm)))
}

impl App {
    pub(super) fn open_hosts(&mut self) {
        let mut list = List::new(Hosts, Room::new(self.view_id(), self.active_host()));
        list.room.loading = false;
        self.view = Some(View::List(Box::new(list)));
        self.refresh_hosts_view();
    }

    /// The hosts view, open or under the view open, shows the hosts as they are now.
    pub(super) fn refresh_hosts_view(&mut self) {
        let mut views = self.view.iter().chain(self.stack.iter());
        if !views.any(|v| v.list_of::<Hosts>().is_some()) {
            return;
        }
        let lines = self.host_lines();
        let page = crate::layout::view_page(&self.areas());
        let views = self.view.iter_mut().chain(self.stack.iter_mut());
        if let Some(list) = views.filter_map(View::list_of_mut::<Hosts>).next() {
            list.answer(HostId::default(), lines, page, &self.host_names);
        }
    }

    /// The live hosts, then the contexts none of them is, then the local forwards.
    fn host_lines(&self) -> Vec<HostLine> {
        let mut lines: Vec<HostLine> = (self.hosts_rows().into_iter())
            .filter_map(|row| match row {
                HostsRow::Live(id) => self.live_line(id),
                HostsRow::Context(c) => Some(context_line(c)),
            })
            .collect();
        lines.extend(self.forward_lines());
        lines
    }

    fn live_line(&self, id: HostId) -> Option<HostLine> {
        let host = self.host(id)?;
        let mut name = host.spec.name.clone();
        if host.spec.read_only {
            name.push_str(" (ro)");
        }
        let mut line = HostLine {
            live: Some(id),
            key: format!("host {}", id.0),
            name,
            endpoint: host.spec.label.clone(),
            ..HostLine::default()
        };
        (line.state, line.tone) = match &host.connection {
            Connection::Up(info) => {
                line.engine = format!("{} · API {}", info.version, info.api_version);
                line.os = info.os_arch.clone();
                ("up".into(), Tone::Good)
            }
            Connection::Connecting(_) => ("connecting…".into(), Tone::Dim),
            // One that never answered is not a host that went down (issue 25.12).
            Connection::Down(e) if self.unreachable(host) => {
                line.why = e.detail.clone();
                (
                    format!("unreachable, {}", host.retrying(self.now)),
                    Tone::Dim,
                )
            }
            Connection::Down(e) => {
                line.why = e.detail.clone();
                (format!("down, {}", host.retrying(self.now)), Tone::Bad)
            }
        };
        let containers = self.containers.rows().filter(|c| c.host == id);
        line.running = (containers.clone())
            .filter(|c| c.state == ContainerState::Running)
            .count();
        line.containers = containers.count();
        line.images = Some(self.images.rows().filter(|i| i.host == id).count());
        // A worker names its manager: the host to add for the Swarm views.
        line.swarm = match (&host.swarm, host.swarm_read) {
            (Some(m), _) if m.manager => "manager".to_string(),
            (Some(m), _) => format!("worker of {}", m.managers.join(", ")),
            (None, true) => "—".into(),
            (None, false) => String::new(),
        };
        Some(line)
    }
}

fn context_line(c: super::hosts::Context) -> HostLine {
    let (state, endpoint, why) = match &c.endpoint {
        Ok(e) => ("not watched", e.host.clone(), String::new()),
        Err(e) => ("unusable", String::new(), e.clone()),
    };
    HostLine {
        key: format!("context {}", c.name),
        name: format!("{} (context)", c.name),
        state: state.into(),
        why,
        tone: Tone::Dim,
        endpoint,
        context: Some(c),
        ..HostLine::default()
    }
}
