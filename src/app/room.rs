//! What the views of the rest of the host (volumes, networks, disk usage) share: rows whose
//! cursor follows its row by key, an answer that may be loading or have failed, and a dialog
//! or inspect view opened over the list, which takes the keys and, once closed, gives the
//! list back (the panes' dialogs close to the panes instead).

use crossterm::event::KeyEvent;

use super::Cursor;
use super::dialog::Dialog;
use super::effects::Routed;
use super::inspect::{InspectView, Tab};
use super::keymap::DialogAction;
use super::keymap::Scope;
use super::lists::Filter;
use super::search::Search;
use super::view::{Ctx, Outcome, View};
use crate::docker::host::HostAnswer;
use crate::docker::inspect::InspectTarget;
use crate::docker::{Command, HostId, OpError, StreamId};

#[derive(Debug, Clone)]
pub enum Overlay {
    Dialog(Dialog),
    Inspect(Box<InspectView>),
}

#[derive(Debug, Clone)]
pub struct Room {
    /// Ties answers to this view.
    pub id: StreamId,
    /// The host it shows (its requests and actions go there).
    pub host: HostId,
    pub cursor: Cursor,
    /// A request is in flight.
    pub loading: bool,
    /// It was not asked for by a key (an event, the clock): the title does not say
    /// "reading…" for it, or a view that lists every 2 s would blink.
    pub quiet: bool,
    /// Events came while it was: one more listing once it answers (a burst of events, such
    /// as 300 containers created, is one listing, not 300).
    pub again: bool,
    /// The daemon may send an event a moment before its listings show the change (Engine 26
    /// lists a network connect a little later): one more look at the next tick.
    pub settle: bool,
    pub error: Option<OpError>,
    pub overlay: Option<Overlay>,
    /// `/`: the rows shown are those it matches.
    pub filter: Filter,
}

impl Room {
    pub fn new(id: StreamId, host: HostId) -> Self {
        Self {
            id,
            host,
            cursor: Cursor::default(),
            loading: true,
            quiet: false,
            again: false,
            settle: false,
            error: None,
            overlay: None,
            filter: Filter::default(),
        }
    }

    /// A key while the filter is typed: Enter keeps it, Esc clears it, the rest edit it.
    /// `false` when no filter is being typed.
    pub fn filter_key(&mut self, key: &KeyEvent, keymap: &super::Keymap) -> bool {
        if !self.filter.editing {
            return false;
        }
        match keymap.get::<DialogAction>(key) {
            Some(DialogAction::Confirm) => self.filter.editing = false,
            Some(DialogAction::Cancel) => self.filter = Filter::default(),
            _ => {
                self.filter.input.handle(key);
            }
        }
        true
    }

    /// `/`: the filter takes the keys (what it holds is selected: typing replaces it).
    pub fn start_filter(&mut self) {
        self.filter.editing = true;
        self.filter.input.selected = !self.filter.input.value.is_empty();
    }

    /// Esc with a filter set clears it (and nothing else); `false` without one.
    pub fn clear_filter(&mut self) -> bool {
        let had = !self.filter.text().is_empty();
        self.filter = Filter::default();
        had
    }

    /// The keys of the dialog or inspect view open over the list, if any.
    pub fn overlay_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Option<Outcome> {
        let outcome = match self.overlay.as_mut()? {
            Overlay::Dialog(d) => d.on_key(key, cx),
            Overlay::Inspect(v) => v.on_key(key, cx),
        };
        if outcome.close {
            self.overlay = None;
        }
        Some(Outcome {
            close: false,
            ..outcome
        })
    }

    /// The keys the footer shows: the overlay's, else the view's own.
    pub fn scope(&self, own: Scope) -> Scope {
        match &self.overlay {
            Some(Overlay::Dialog(_)) => Scope::Dialog,
            Some(Overlay::Inspect(_)) => Scope::Inspect,
            None => own,
        }
    }

    /// A movement key among rows keyed by `keys`; any other key does nothing but say so
    /// (`view` names the view: "the volumes view").
    pub fn nav<'a>(
        &mut self,
        key: &KeyEvent,
        cx: &mut Ctx,
        keys: impl IntoIterator<Item = &'a str>,
        view: &str,
    ) -> Outcome {
        let Some(nav) = cx.keymap.nav(key) else {
            return unbound(key, cx, view);
        };
        let keys: Vec<&str> = keys.into_iter().collect();
        let to = nav.apply(self.cursor.index, keys.len(), cx.page);
        self.cursor.select(to, keys, cx.page);
        Outcome::stay()
    }

    /// After new rows: the cursor stays on its row.
    pub fn sync<'a>(&mut self, keys: impl IntoIterator<Item = &'a str>, height: usize) {
        self.cursor.sync(keys, height);
    }

    /// An answer arrived: its error, if it failed (the rows shown stay).
    pub fn answered<T>(&mut self, result: Result<T, OpError>) -> Option<T> {
        self.loading = false;
        match result {
            Ok(answer) => {
                self.error = None;
                Some(answer)
            }
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }

    /// Opens a dialog over the list, acting on the host the list aims at ([`Dialog::host`]),
    /// unless this is `--read-only` and it would change the host (then says so).
    pub fn ask(&mut self, dialog: Dialog, cx: &mut Ctx) -> Outcome {
        if let Some(why) = cx.refuses.clone() {
            cx.activity.refuse(why);
            return Outcome::stay();
        }
        let mut dialog = dialog.on(self.host);
        // With several hosts, the question says which one it is about.
        if let Dialog::Confirm(c) = &mut dialog
            && let Some(host) = self.fleet_host(cx)
        {
            c.title = on_host(&c.title, &host);
        }
        self.overlay = Some(Overlay::Dialog(dialog));
        Outcome::stay()
    }

    /// The name of the host it aims at, with several hosts (`None` with one).
    pub fn fleet_host(&self, cx: &Ctx) -> Option<String> {
        if cx.host_names.iter().filter(|n| !n.is_empty()).count() < 2 {
            return None;
        }
        let host = cx.host_names.get(usize::from(self.host.0)).cloned();
        Some(host.unwrap_or_default())
    }

    /// Inspects an object over the list; its answer comes with an id of its own.
    pub fn inspect(&mut self, title: String, target: InspectTarget) -> Outcome {
        let id = StreamId::fresh();
        self.overlay = Some(Overlay::Inspect(Box::new(InspectView {
            id,
            title,
            result: None,
            tab: Tab::Summary,
            scroll: 0,
            search: Search::default(),
            links: None,
            timeline: None,
        })));
        Outcome::stay().to(self.host, Command::Inspect { id, target })
    }
}

/// " Remove volume x? " asked about host `h`: " Remove volume x on h? ".
pub fn on_host(title: &str, host: &str) -> String {
    let question = title.trim_end().trim_end_matches('?');
    format!("{question} on {host}? ")
}

/// A key the view does not bind: it does nothing but say so (it never falls through to
/// another action).
pub fn unbound(key: &KeyEvent, cx: &mut Ctx, view: &str) -> Outcome {
    let key = super::keymap::Key::describe(key);
    cx.activity.refuse(format!(
        "{key} does nothing in {view} (the footer shows its keys)"
    ));
    Outcome::stay()
}

impl View {
    /// The inspect view open here, on its own or over a list.
    pub fn inspecting(&mut self) -> Option<&mut InspectView> {
        let room = match self {
            View::Inspect(v) => return Some(v),
            View::List(v) => v.room_mut(),
            _ => return None,
        };
        match &mut room.overlay {
            Some(Overlay::Inspect(v)) => Some(v),
            _ => None,
        }
    }

    /// A filter is being typed in it (the keys go there).
    pub fn filtering(&self) -> bool {
        self.room()
            .is_some_and(|r| r.filter.editing && r.overlay.is_none())
    }

    pub(super) fn room_mut(&mut self) -> Option<&mut Room> {
        match self {
            View::List(v) => Some(v.room_mut()),
            _ => None,
        }
    }

    /// The list view of the rest of the host open now.
    pub fn room(&self) -> Option<&Room> {
        match self {
            View::List(v) => Some(v.room()),
            _ => None,
        }
    }
}

impl super::App {
    /// The host of the list view open, or of the one under the view open (the Swarm view
    /// under a task's logs), if any.
    pub fn view_host(&self) -> Option<HostId> {
        self.views().find_map(|v| v.room().map(|r| r.host))
    }

    /// What a volumes, networks or disk usage view asked for, to the view still open.
    pub(super) fn host_answer(
        &mut self,
        host: HostId,
        id: StreamId,
        result: Result<HostAnswer, OpError>,
    ) -> Vec<Routed> {
        let height = crate::layout::view_page(&self.areas());
        let hosts = &self.host_names;
        let Some(view) = &mut self.view else {
            return Vec::new();
        };
        if view.room().is_none_or(|r| r.id != id) {
            return Vec::new();
        }
        let Some(room) = view.room_mut() else {
            return Vec::new();
        };
        let again = std::mem::take(&mut room.again);
        let answer = room.answered(result);
        if let (Some(answer), View::List(v)) = (answer, view) {
            v.answer(host, answer, height, hosts);
        }
        match again {
            true => self.relist(),
            false => Vec::new(),
        }
    }

    /// A host (re)connected: the open list of every host asks it too.
    pub(super) fn list_host(&mut self, host: HostId) -> Vec<Routed> {
        match self.view.as_ref() {
            Some(View::List(v)) => v.queries(true, &[host]),
            _ => Vec::new(),
        }
    }

    /// The open view's listing again, unless one is in flight: then once it answers.
    fn relist(&mut self) -> Vec<Routed> {
        let hosts = self.live_hosts();
        let queries = match self.view.as_ref() {
            Some(View::List(v)) => v.queries(false, &hosts),
            _ => return Vec::new(),
        };
        let room = match self.view.as_mut() {
            Some(View::List(v)) => v.room_mut(),
            _ => return Vec::new(),
        };
        if room.loading {
            room.again = true;
            return Vec::new();
        }
        room.loading = true;
        room.quiet = true;
        queries
    }

    /// The open view's request again, when a daemon event says what it shows changed.
    pub(super) fn relist_on(&mut self, event: &crate::docker::EngineEvent) -> Vec<Routed> {
        let Some(view) = self.view.as_ref() else {
            return Vec::new();
        };
        let concerned = match view {
            View::List(v) => v.concerns(event),
            _ => false,
        };
        if !concerned {
            return Vec::new();
        }
        if let Some(room) = self.view.as_mut().and_then(View::room_mut) {
            room.settle = true;
        }
        self.relist()
    }

    /// The clock ticked: the look an event earned, if any.
    pub(super) fn settle_room(&mut self) -> Vec<Routed> {
        let settle = self
            .view
            .as_mut()
            .and_then(View::room_mut)
            .is_some_and(|room| std::mem::take(&mut room.settle));
        match settle {
            true => self.relist(),
            false => Vec::new(),
        }
    }
}
