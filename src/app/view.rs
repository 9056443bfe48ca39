//! The views that open over the panes (help, command log, pulls, events, dialogs, logs,
//! inspect, stats, structure). Each handles its own keys on `&mut self` and says what should
//! happen next in an [`Outcome`]; the app never takes a view apart to route a key.

use std::path::Path;

use crossterm::event::KeyEvent;

use super::activity::Activity;
use super::dialog::Dialog;
use super::effects::{Effects, Local};
use super::inspect::InspectView;
use super::keymap::{CommandLogAction, EventsAction, Keymap, Nav, Scope, TransfersAction};
use super::logs::LogView;
use super::ring::Ring;
use super::stats::StatsView;
use super::tree::TreeView;
use crate::docker::{Command, EngineEvent, EventKind, Op};
use crate::reference::Reference;

#[derive(Debug, Clone)]
pub enum View {
    Help(HelpView),
    CommandLog(CommandLogView),
    Transfers(TransfersView),
    Events(EventsView),
    Dialog(Dialog),
    Logs(Box<LogView>),
    Inspect(Box<InspectView>),
    Stats(Box<StatsView>),
    Tree(Box<TreeView>),
    CommandLine(super::command_line::CommandLineView),
    /// A list of any kind ([`super::list::Kind`]).
    List(Box<dyn super::list::ListView>),
    Layers(Box<super::layers::LayersView>),
    /// One build's steps.
    Build(Box<super::builds::BuildView>),
}

/// What a view's key handler may read, and the status line it may write to.
pub struct Ctx<'a> {
    pub keymap: &'a Keymap,
    /// Rows a page key moves.
    pub page: usize,
    pub activity: &'a mut Activity,
    pub events: &'a Ring<EngineEvent>,
    /// Unix seconds.
    pub now: i64,
    pub save_dir: &'a Path,
    /// The daemon's platform ("linux/amd64"), when connected.
    pub platform: Option<&'a str>,
    /// Every container listed (a network's connect picker offers them).
    pub containers: &'a [super::list::Hosted<crate::docker::ContainerRow>],
    /// Why the view's host takes no change now (`--read-only`, its own `,ro`, or it is
    /// down): views refuse what would change it before asking about it.
    pub refuses: Option<String>,
    /// The live hosts and their API versions, in order (a list view's `Tab` moves on).
    pub hosts: Vec<(crate::docker::HostId, String)>,
    /// Every host's name by id (`@host` in a filter; "" for one removed).
    pub host_names: &'a [String],
}

/// What should happen after a key in a view.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    /// The view closes.
    pub close: bool,
    pub effects: Effects,
    /// Actions to run; the app starts them (or refuses them in read-only mode).
    pub ops: Vec<Op>,
    /// What only the app can do next (a confirmed quit, a view to open, …).
    pub then: Option<Then>,
    /// Where `ops` go when the view knows (a dialog: the host it was opened for); each
    /// op's own container row decides otherwise.
    pub host: Option<crate::docker::HostId>,
}

/// What a view asks the app itself to do (not the Docker host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Then {
    Quit,
    /// Open the structure of this reference.
    Explore(Reference),
    /// Close this terminal tab, ending its session.
    CloseTab(crate::pty::SessionId),
    /// Run a `:` command line.
    Command(String),
    /// Run a command in a container (on `host`), in a new terminal tab.
    Exec {
        host: crate::docker::HostId,
        container: crate::docker::Target,
        command: Vec<String>,
    },
    /// Run one of the user's commands in a new terminal tab.
    LocalTab(crate::docker::Target, crate::custom::Invocation),
    /// Edit a container's settings in a form pre-filled from its inspect, then recreate it.
    EditRecreate(crate::docker::Target),
    /// Change the live hosts (the hosts view).
    Hosts(super::hosts::HostChange),
    /// A task's logs or container (the Swarm view).
    Swarm(super::swarm::SwarmThen),
    /// Ask this over the view (pushed on the view stack; answered, the view is back).
    Ask(Dialog),
    /// A Compose run, a project's services or its rendered file (the projects view).
    Compose(super::compose_view::ComposeThen),
    /// Open the layers of this image, read from its registry by this host (the structure
    /// view's).
    Layers(Reference, crate::docker::HostId),
    /// Open this build's steps (the builds view).
    Build(crate::docker::OpId),
    /// The alerts list's `Enter`: this container selected in the containers pane.
    ShowContainer {
        host: crate::docker::HostId,
        id: crate::docker::ContainerId,
        name: String,
    },
    /// The timeline's `Enter`: this container's logs around this moment (unix nanoseconds).
    LogsAround {
        host: crate::docker::HostId,
        id: crate::docker::ContainerId,
        name: String,
        time: i64,
    },
    /// The alerts list's `d`: these alerts put away.
    DismissAlerts(Vec<super::alert_list::AlertLine>),
    /// A container key on a view's row (the top view): done as in the containers pane.
    Container {
        action: super::keymap::PaneAction,
        host: crate::docker::HostId,
        id: crate::docker::ContainerId,
        name: String,
    },
}

impl Outcome {
    pub fn stay() -> Self {
        Self::default()
    }

    pub fn close() -> Self {
        Self {
            close: true,
            ..Self::default()
        }
    }

    /// `command` for `host`'s task.
    pub fn to(mut self, host: crate::docker::HostId, command: Command) -> Self {
        self.effects.to(host, command);
        self
    }

    pub fn local(mut self, local: Local) -> Self {
        self.effects.local.push(local);
        self
    }

    pub fn ops(mut self, ops: Vec<Op>) -> Self {
        self.ops = ops;
        self
    }

    /// Its ops go to `host` (see [`Outcome::host`]).
    pub fn on(mut self, host: crate::docker::HostId) -> Self {
        self.host = Some(host);
        self
    }

    pub fn then(mut self, then: Then) -> Self {
        self.then = Some(then);
        self
    }
}

impl View {
    /// The list it is, of any kind.
    pub fn list(&self) -> Option<&dyn super::list::ListView> {
        match self {
            View::List(v) => Some(&**v),
            _ => None,
        }
    }

    pub fn list_mut(&mut self) -> Option<&mut dyn super::list::ListView> {
        match self {
            View::List(v) => Some(&mut **v),
            _ => None,
        }
    }

    /// The list of kind `K` it is, if it is one.
    pub fn list_of<K: super::list::Kind>(&self) -> Option<&super::list::List<K>> {
        self.list()?.as_any().downcast_ref()
    }

    pub fn list_of_mut<K: super::list::Kind>(&mut self) -> Option<&mut super::list::List<K>> {
        self.list_mut()?.as_any_mut().downcast_mut()
    }

    /// It is the top of the stack again, after the view over it closed (`now`: Unix
    /// seconds). A view that lists on the clock asks again at once: its answers went
    /// unanswered meanwhile.
    pub fn resume(&mut self, now: i64) {
        super::swarm::resume(self, now);
    }

    /// The keymap scope whose keys the footer shows while this view is open; `None` for
    /// help and the command log, which scroll and close on any other key (the footer keeps
    /// the panes' keys).
    pub fn scope(&self) -> Option<Scope> {
        Some(match self {
            View::Help(_) => return None,
            View::CommandLog(_) => Scope::CommandLog,
            View::Transfers(_) => Scope::Transfers,
            View::Events(_) => Scope::Events,
            View::Dialog(_) => Scope::Dialog,
            View::Logs(_) => Scope::Logs,
            View::Inspect(_) => Scope::Inspect,
            View::Stats(_) => Scope::Stats,
            View::Tree(_) => Scope::Tree,
            View::CommandLine(_) => Scope::CommandLine,
            View::List(v) => v.room().scope(v.scope()),
            View::Layers(_) => Scope::Layers,
            View::Build(_) => Scope::Build,
        })
    }

    /// The scopes whose keys work in this view, in the order they take a key: what help
    /// over it lists ([`Keymap::sections_for`](super::keymap::Keymap::sections_for)).
    pub fn help_scopes(&self) -> Vec<Scope> {
        let Some(scope) = self.scope() else {
            return Vec::new();
        };
        match self {
            // A list takes every list's keys first, then its own; top, the containers
            // pane's too.
            View::List(_) if scope == Scope::Top => {
                vec![Scope::List, scope, Scope::Pane(super::Pane::Containers)]
            }
            View::List(_) => vec![Scope::List, scope],
            // The layers view keeps Esc and Space (close, fold) from its list.
            View::Layers(_) => vec![scope, Scope::List],
            _ => vec![scope],
        }
    }

    /// Whether keys type text now (a form, the command line, a filter or a search being
    /// typed): then `?` is a character, not help.
    pub fn takes_text(&self) -> bool {
        let typing = |search: &super::search::Search| search.input.is_some();
        match self {
            View::Dialog(_) | View::CommandLine(_) | View::Help(_) => true,
            View::Logs(v) => typing(&v.search),
            View::Inspect(v) => typing(&v.search),
            View::Layers(v) => v.list.room.filter.editing || v.files.filter.editing,
            _ => self.filtering() || self.room().is_some_and(|r| r.overlay.is_some()),
        }
    }

    /// The dialog shown: the view itself, or the one over a view with a room.
    pub fn dialog(&self) -> Option<&Dialog> {
        let room = match self {
            View::Dialog(dialog) => return Some(dialog),
            View::List(l) => l.room(),
            _ => return None,
        };
        match &room.overlay {
            Some(super::room::Overlay::Dialog(dialog)) => Some(dialog),
            _ => None,
        }
    }

    /// The form being filled in: the view itself, or the dialog over a view with a room.
    pub fn form(&self) -> Option<&super::dialog::Form> {
        let room = match self {
            View::Dialog(Dialog::Form(form)) => return Some(form),
            View::List(l) => l.room(),
            _ => return None,
        };
        match &room.overlay {
            Some(super::room::Overlay::Dialog(Dialog::Form(form))) => Some(form),
            _ => None,
        }
    }

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        match self {
            View::Help(v) => v.on_key(key, cx),
            View::CommandLog(v) => v.on_key(key, cx),
            View::Transfers(v) => v.on_key(key, cx),
            View::Events(v) => v.on_key(key, cx),
            View::Dialog(v) => v.on_key(key, cx),
            View::Logs(v) => v.on_key(key, cx),
            View::Inspect(v) => v.on_key(key, cx),
            View::Stats(v) => v.on_key(key, cx),
            View::Tree(v) => v.on_key(key, cx),
            View::CommandLine(v) => v.on_key(key, cx),
            View::List(v) => v.on_key(key, cx),
            View::Layers(v) => v.on_key(key, cx),
            View::Build(v) => v.on_key(key, cx),
        }
    }
}

/// The keys, scrolled down by this many lines.
#[derive(Debug, Clone, Default)]
pub struct HelpView {
    pub scroll: u16,
}

impl HelpView {
    /// Movement keys scroll; any other key closes it.
    fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        // At most as far as its longest layout (one column) goes, so scrolling back up
        // answers at once; drawing clamps to the screen.
        let lines: usize = cx.keymap.sections().iter().map(|(_, b)| b.len() + 2).sum();
        let last = u16::try_from(lines).unwrap_or(u16::MAX);
        self.scroll = match cx.keymap.nav(key) {
            Some(Nav::Down) => self.scroll.saturating_add(1),
            Some(Nav::Up) => self.scroll.saturating_sub(1),
            Some(Nav::PageDown) => self.scroll.saturating_add(10),
            Some(Nav::PageUp) => self.scroll.saturating_sub(10),
            Some(Nav::Top) => 0,
            Some(Nav::Bottom) => last,
            None => return Outcome::close(),
        }
        .min(last);
        Outcome::stay()
    }
}

/// The command log, scrolled up by this many entries from the newest.
#[derive(Debug, Clone, Default)]
pub struct CommandLogView {
    pub scroll: usize,
}

impl CommandLogView {
    fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        let last = cx.activity.entries.len().saturating_sub(1);
        if cx.keymap.get(key) == Some(CommandLogAction::Copy) {
            // The newest entry shown (the view lists newest first, from `scroll`).
            let entry = cx.activity.entries.iter().rev().nth(self.scroll);
            let Some(cli) = entry.map(|e| e.cli.clone()) else {
                cx.activity.refuse("no command to copy");
                return Outcome::stay();
            };
            return super::effects::copy(cx.activity, "the command", &cli);
        }
        // Newest first, so up goes back in time.
        self.scroll = match cx.keymap.nav(key) {
            Some(Nav::Up) => (self.scroll + 1).min(last),
            Some(Nav::Down) => self.scroll.saturating_sub(1),
            Some(Nav::PageUp) => (self.scroll + 10).min(last),
            Some(Nav::PageDown) => self.scroll.saturating_sub(10),
            Some(Nav::Top) => last,
            Some(Nav::Bottom) => 0,
            None => return Outcome::close(),
        };
        Outcome::stay()
    }
}

/// Pulls and their per-layer progress; the selected entry (from the newest).
#[derive(Debug, Clone, Default)]
pub struct TransfersView {
    pub selected: usize,
}

impl TransfersView {
    fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        let pulls: Vec<_> = cx
            .activity
            .transfers()
            .map(|e| (e.id, e.runs_on, e.running()))
            .collect();
        let last = pulls.len().saturating_sub(1);
        self.selected = self.selected.min(last);
        match cx.keymap.get(key) {
            Some(TransfersAction::Close) => return Outcome::close(),
            Some(TransfersAction::CancelPull) => {
                if let Some((id, host, true)) = pulls.get(self.selected) {
                    return Outcome::stay().to(*host, Command::Cancel(*id));
                }
            }
            Some(TransfersAction::Copy) => {
                let digest = (cx.activity.transfers().nth(self.selected))
                    .and_then(super::activity::Entry::pushed_digest);
                return match digest {
                    Some(digest) => super::effects::copy(cx.activity, "the digest", &digest),
                    None => {
                        cx.activity
                            .refuse("no pushed digest here: a push shows one once done");
                        Outcome::stay()
                    }
                };
            }
            None => match cx.keymap.nav(key) {
                Some(Nav::Up) => self.selected = self.selected.saturating_sub(1),
                Some(Nav::Down) => self.selected = (self.selected + 1).min(last),
                _ => {}
            },
        }
        Outcome::stay()
    }
}

/// The types the events view can narrow to, in the order its key cycles them.
const EVENT_FILTERS: [EventKind; 4] = [
    EventKind::Container,
    EventKind::Image,
    EventKind::Network,
    EventKind::Volume,
];

/// The daemon's events, newest first, optionally only one type.
#[derive(Debug, Clone, Default)]
pub struct EventsView {
    pub kind: Option<EventKind>,
    pub scroll: usize,
}

impl EventsView {
    /// The events shown, newest first.
    pub fn shown<'a>(
        &self,
        events: &'a Ring<EngineEvent>,
    ) -> impl Iterator<Item = &'a EngineEvent> {
        let kind = self.kind.clone();
        events
            .iter()
            .rev()
            .filter(move |e| kind.as_ref().is_none_or(|k| e.kind == *k))
    }

    fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        match cx.keymap.get(key) {
            Some(EventsAction::Close) => return Outcome::close(),
            Some(EventsAction::NextKind) => {
                let at = self
                    .kind
                    .as_ref()
                    .and_then(|k| EVENT_FILTERS.iter().position(|f| f == k));
                self.kind = match at {
                    None => Some(EVENT_FILTERS[0].clone()),
                    Some(i) => EVENT_FILTERS.get(i + 1).cloned(),
                };
                self.scroll = 0;
            }
            None => match cx.keymap.nav(key) {
                Some(Nav::Up) => self.scroll = self.scroll.saturating_sub(1),
                Some(Nav::Down) => self.scroll += 1,
                Some(Nav::Top) => self.scroll = 0,
                _ => {}
            },
        }
        self.scroll = self
            .scroll
            .min(self.shown(cx.events).count().saturating_sub(1));
        Outcome::stay()
    }
}

impl super::App {
    /// The open view, then the ones under it, nearest first.
    pub fn views(&self) -> impl Iterator<Item = &View> {
        self.view.iter().chain(self.stack.iter().rev())
    }

    /// The open view stays under the next one opened (`Esc` there gives it back).
    pub(super) fn keep_under(&mut self) {
        self.stack.extend(self.view.take());
    }

    /// Opens `view` over the one open now.
    pub(super) fn push_view(&mut self, view: View) {
        self.keep_under();
        self.view = Some(view);
    }

    /// Closes the open view: the one under it, if any, is back.
    pub(super) fn pop_view(&mut self) {
        self.view = self.stack.pop();
        if let Some(view) = &mut self.view {
            view.resume(self.now);
        }
    }
}
