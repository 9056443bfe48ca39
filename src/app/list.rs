//! One list for every kind (as k9s's resource browser, bottom's `DataTable`): a kind is
//! data plus a few hooks ([`Kind`]: its row, a typed key with its host, its columns, cells
//! as text, its own keys and what they do). Everything every list does is written once here:
//! the cursor, the filter (`/`, `@host`), the sort (`>`, `<`), marks (`Space`), copy (`y`,
//! `Y`), paging, and a key it does not bind doing nothing but saying so. `ui::list` draws any
//! kind. No ratatui here.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crossterm::event::KeyEvent;

use super::effects::Routed;
use super::keymap::{ListAction, Nav, Scope, Scoped};
use super::room::Room;
use super::view::{Ctx, Outcome};
use crate::docker::host::{HostAnswer, HostQuery};
use crate::docker::{Command, EngineEvent, HostId};

/// How wide a column is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Always this wide.
    Fixed(u16),
    /// As wide as its widest cell (and header), at most this.
    Content(u16),
    /// At least this wide, and it takes what room is left.
    Grow(u16),
    /// As wide as its widest cell (and header), at most this; when that does not fit it is
    /// cut to the room left rather than left out.
    Fit(u16),
}

/// A column of a kind: its header, width rule, priority (0 shows first; the rest are left
/// out whole when the screen is narrow) and what sorting by it compares.
pub struct Column<R> {
    pub header: &'static str,
    pub width: Width,
    pub priority: u8,
    pub sort: Option<fn(&R, &R) -> Ordering>,
    /// Sorting by it starts descending (times newest first, sizes biggest first).
    pub down: bool,
    /// It sorts by what the rows do not hold, which the kind is given ([`Kind::outside`]).
    pub outside: bool,
}

impl<R> Column<R> {
    pub const fn new(header: &'static str, width: Width, priority: u8) -> Self {
        Self {
            header,
            width,
            priority,
            sort: None,
            down: false,
            outside: false,
        }
    }

    pub const fn sorts(self, by: fn(&R, &R) -> Ordering) -> Self {
        Self {
            sort: Some(by),
            ..self
        }
    }

    /// Sorting by it starts descending.
    pub const fn down(self) -> Self {
        Self { down: true, ..self }
    }

    /// It sorts by what the kind is given, not by its rows ([`Kind::outside`]).
    pub const fn sorts_outside(self) -> Self {
        Self {
            outside: true,
            ..self
        }
    }

    /// Whether a click or `>` may sort by it.
    pub fn sortable(&self) -> bool {
        self.sort.is_some() || self.outside
    }
}

/// How a cell is drawn beside the others (the theme picks the colour).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tone {
    #[default]
    Plain,
    Good,
    Dim,
    Bad,
    /// On its way to what was asked (a Swarm service converging).
    Changing,
}

/// A row's key: its host and its id there (one daemon watched twice lists the same ids).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RowKey {
    pub host: HostId,
    pub id: String,
}

impl RowKey {
    pub fn new(host: HostId, id: impl Into<String>) -> Self {
        Self {
            host,
            id: id.into(),
        }
    }

    /// The key the cursor follows.
    pub fn text(&self) -> String {
        format!("{}|{}", self.host.0, self.id)
    }
}

/// What a kind brings to the generic list.
pub trait Kind: Sized + Clone + std::fmt::Debug + 'static {
    type Row: Clone + std::fmt::Debug;
    /// Its own keys (a scope of the keymap: help and the footer list them).
    type Action: Scoped + PartialEq;
    /// The list's title ("Volumes").
    const TITLE: &'static str;
    /// Its rows come from several hosts (a HOST column with several; `@host` filters).
    const HOSTED: bool = true;
    /// It asks only the host its room aims at (the Swarm's manager), not every live host.
    const ONE_HOST: bool = false;
    /// Its rows' noun in messages ("no volumes selected").
    fn noun() -> String {
        Self::TITLE.to_lowercase()
    }
    /// Its rows' noun in the empty list's line ("no stacks (services deployed with docker
    /// stack deploy)"): [`Self::noun`], or more where none listed needs saying what they are.
    fn empty_noun() -> String {
        Self::noun()
    }
    /// The title drawn: [`Self::TITLE`], or more that the kind knows now (the Compose
    /// projects view: the tool's version, the services out of date).
    fn title(&self) -> String {
        Self::TITLE.to_string()
    }
    fn columns(&self) -> Vec<Column<Self::Row>>;
    /// Its key on its host.
    fn id(row: &Self::Row) -> &str;
    /// What `Y` copies and questions call it.
    fn name(row: &Self::Row) -> &str;
    /// What `y` copies, as the status line names it ("the id"; the files view's: "the path").
    fn id_noun() -> &'static str {
        "id"
    }
    /// What `y` copies: its id, unless that is dockpit's own key (a host's).
    fn copied(row: &Self::Row) -> &str {
        Self::id(row)
    }
    /// What `Y` copies: its name, or a name the kind makes (an image's `repo:tag`).
    fn copied_name(row: &Self::Row) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(Self::name(row))
    }
    /// What `Y` copies, as the status line names it ("the name"; a layer's: "the instruction").
    fn name_noun() -> &'static str {
        "name"
    }
    /// Its cells as text, one a column (the filter looks in them).
    fn cells(&self, row: &Self::Row) -> Vec<String>;
    /// A cell of the row drawn in a tone of its own (a state), if any: its column, its tone.
    fn tone(&self, _row: &Self::Row) -> Option<(usize, Tone)> {
        None
    }
    /// Every cell of the row drawn in a tone of its own (a node's STATUS and AVAILABILITY):
    /// by default the one [`Self::tone`] names.
    fn tones(&self, row: &Self::Row) -> Vec<(usize, Tone)> {
        self.tone(row).into_iter().collect()
    }
    /// What it asks each host (`full`: on open and refresh; else after an event); by
    /// default nothing: its rows come from the app (the panes' from the listings and
    /// events, the alerts', a build's, a layer's).
    fn query(&self, _full: bool) -> Option<HostQuery> {
        None
    }
    /// Its rows in a host's answer to its query (`list`: the rows it has, such as sizes a
    /// quick listing leaves out); `None` for an answer of another kind, or a kind that asks
    /// nothing.
    fn rows(_list: &List<Self>, _host: HostId, _answer: HostAnswer) -> Option<Vec<Self::Row>> {
        None
    }
    /// A host's answer to its query, taken: by default its rows, as [`Self::rows`] finds
    /// them; a kind that keeps more than rows from an answer (the top view: a host's cores
    /// and memory) takes it here.
    fn take(
        list: &mut List<Self>,
        host: HostId,
        answer: HostAnswer,
        height: usize,
        hosts: &[String],
    ) {
        if let Some(rows) = Self::rows(list, host, answer) {
            list.answer(host, rows, height, hosts);
        }
    }
    /// A daemon event that changes what it lists (it then lists again).
    fn concerns(_event: &EngineEvent) -> bool {
        false
    }
    /// What one of its own keys does.
    fn verb(list: &mut List<Self>, action: Self::Action, cx: &mut Ctx) -> Outcome;
    /// A key neither its own nor every list's (the top view: the containers pane's keys).
    fn other_key(_list: &mut List<Self>, _key: &KeyEvent, _cx: &mut Ctx) -> Option<Outcome> {
        None
    }
    /// Its rows are kept together by host, whatever the sort, a host's pinned rows (its
    /// header row) first.
    const GROUPED: bool = false;
    fn pinned(_row: &Self::Row) -> bool {
        false
    }
    /// A key for the dialog or inspect over it (the files view first looks at this machine
    /// before a copy runs).
    fn overlay_key(list: &mut List<Self>, key: &KeyEvent, cx: &mut Ctx) -> Option<Outcome> {
        list.room.overlay_key(key, cx)
    }
    /// Its rows are kept in the sort's order as they change, not sorted each time they are
    /// shown (a pane's thousands of rows, shown several times a key); they then change
    /// only through the list.
    const SORTED_ON_CHANGE: bool = false;
    /// The columns `>` steps through, in order; `None`: every sortable one (a kind whose
    /// column sorts only on a click, as the images pane's HOST, leaves it out).
    const CYCLE: Option<&'static [usize]> = None;
    /// The order of rows a column's sort finds equal, whichever its direction (the images
    /// pane: an image's tags by name).
    fn tie(_a: &Self::Row, _b: &Self::Row) -> Ordering {
        Ordering::Equal
    }
    /// The columns `>` steps through now: [`Self::CYCLE`], or what the kind knows (the
    /// containers pane's CPU % and MEM only while they show).
    fn cycle(&self) -> Option<&'static [usize]> {
        Self::CYCLE
    }
    /// Whether the filter's test (`matches`, over a row's fields) keeps a row: over its
    /// cells, or fields the kind lends without making them (thousands of rows a key).
    fn find(&self, row: &Self::Row, matches: &dyn Fn(&[&str]) -> bool) -> bool {
        let cells = self.cells(row);
        let fields: Vec<&str> = cells.iter().map(String::as_str).collect();
        matches(&fields)
    }
    /// What a row listed again keeps from the one it replaces (a container's status
    /// instant, which a listing after an event does not know).
    fn carry(_old: &Self::Row, _new: &mut Self::Row) {}
    /// How two rows compare by column `at` when it sorts by what the rows do not hold (the
    /// containers' CPU % and MEM: the last readings, which the app gives the kind), in the
    /// direction asked; the kind's [`Self::tie`] settles what it finds equal.
    fn outside(&self, _at: usize, _descending: bool, _a: &Self::Row, _b: &Self::Row) -> Ordering {
        Ordering::Equal
    }
    /// Rows the list leaves out whatever the filter (the containers pane's stopped ones
    /// while it shows running ones only).
    fn keeps(&self, _row: &Self::Row) -> bool {
        true
    }
    /// The group a row is drawn under, below a row of the group's own that folds (a
    /// container's Compose project; per host: a project on two hosts is two groups).
    fn group(_row: &Self::Row) -> Option<&str> {
        None
    }
}

/// Whether a grouping kind's rows are drawn under their groups, and which groups are folded
/// (by host and name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups {
    pub on: bool,
    pub folded: BTreeSet<(HostId, String)>,
}

impl Default for Groups {
    fn default() -> Self {
        Self {
            on: true,
            folded: BTreeSet::new(),
        }
    }
}

/// What a group's row stands for: the group's rows shown, the first of them first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group<'a, R> {
    pub host: HostId,
    pub name: &'a str,
    /// Its rows the filter and the kind let through, in their order (drawn below it unless
    /// it is folded).
    pub members: Vec<&'a Hosted<R>>,
    pub folded: bool,
}

/// A line of a list as drawn: a row, or the row of a group drawn above its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line<'a, R> {
    Group(Group<'a, R>),
    /// A row; `grouped` when it is drawn under its group's row.
    Row {
        row: &'a Hosted<R>,
        grouped: bool,
    },
}

/// What starts a group's id in its cursor key (never a row's id in a grouping kind).
const GROUP: &str = "group:";

impl<R> Line<'_, R> {
    /// The cursor's key for it.
    pub fn key<K: Kind<Row = R>>(&self) -> RowKey {
        match self {
            Line::Group(g) => group_key(g.host, g.name),
            Line::Row { row, .. } => row.key::<K>(),
        }
    }

    /// Whether it is the line of `host` and `id` (a key's parts; no key made per line).
    fn is<K: Kind<Row = R>>(&self, host: u16, id: &str) -> bool {
        match self {
            Line::Group(g) => g.host.0 == host && id.strip_prefix(GROUP) == Some(g.name),
            Line::Row { row, .. } => row.host.0 == host && K::id(&row.row) == id,
        }
    }
}

/// The cursor's key of a group's row.
pub fn group_key(host: HostId, name: &str) -> RowKey {
    RowKey::new(host, format!("{GROUP}{name}"))
}

/// A row and the host it came from (workers' answers are stamped where they arrive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosted<R> {
    pub host: HostId,
    pub row: R,
}

impl<R> Hosted<R> {
    pub fn key<K: Kind<Row = R>>(&self) -> RowKey {
        RowKey::new(self.host, K::id(&self.row))
    }
}

/// A generic list of one kind.
#[derive(Debug, Clone)]
pub struct List<K: Kind> {
    pub kind: K,
    /// The cursor, the filter, loading and errors, the dialog over it.
    pub room: Room,
    /// As the daemons listed them, each with its host.
    pub rows: Vec<Hosted<K::Row>>,
    /// The column sorted by and whether descending; `None`: as listed.
    pub sort: Option<(usize, bool)>,
    pub marks: BTreeSet<RowKey>,
    /// A grouping kind's groups ([`Kind::group`]).
    pub groups: Groups,
}

impl<K: Kind> List<K> {
    pub fn new(kind: K, room: Room) -> Self {
        Self {
            kind,
            room,
            rows: Vec::new(),
            sort: None,
            marks: BTreeSet::new(),
            groups: Groups::default(),
        }
    }

    /// A pane's list (its rows come with the app's listings, not asked for), sorted and
    /// filtered as the settings say.
    pub fn pane(kind: K, sort: (usize, bool), filter: &str) -> Self {
        let room = Room::new(crate::docker::StreamId::fresh(), HostId::default());
        let mut list = Self::new(kind, room);
        list.room.loading = false;
        list.room.filter = super::lists::Filter::set(filter);
        list.sort = Some(sort);
        list
    }

    /// Its request to each of `hosts` (it lists every live host's rows at once).
    pub fn queries(&self, full: bool, hosts: &[HostId]) -> Vec<Routed> {
        let Some(query) = self.kind.query(full) else {
            return Vec::new();
        };
        let aimed = [self.room.host];
        let hosts = if K::ONE_HOST { &aimed[..] } else { hosts };
        hosts
            .iter()
            .map(|&host| {
                let query = query.clone();
                (
                    host,
                    Command::Host {
                        id: self.room.id,
                        host,
                        query,
                    },
                )
            })
            .collect()
    }

    /// `F5`: every live host's rows again.
    pub fn refresh(&mut self, cx: &Ctx) -> Outcome {
        self.room.loading = true;
        let mut hosts: Vec<HostId> = cx.hosts.iter().map(|(id, _)| *id).collect();
        if hosts.is_empty() {
            // None is up: the host it aims at says why.
            hosts.push(self.room.host);
        }
        let mut outcome = Outcome::stay();
        outcome.effects.extend(self.queries(true, &hosts));
        outcome
    }

    /// What a verb acts on (the marked rows, else the selected one), all on one host, which
    /// the room then aims at: its question names that host and its actions go there.
    /// `None`, saying why, with nothing selected or marked rows on several hosts.
    pub fn aim(&mut self, cx: &mut Ctx) -> Option<Vec<K::Row>> {
        let noun = K::noun();
        let targets = self.targets();
        let Some(host) = targets.first().map(|r| r.host) else {
            cx.activity.refuse(format!("no {noun} selected"));
            return None;
        };
        if targets.iter().any(|r| r.host != host) {
            cx.activity.refuse(format!(
                "the marked {noun} are on several hosts: mark one host's at a time"
            ));
            return None;
        }
        let rows = targets.into_iter().map(|r| r.row.clone()).collect();
        self.room.host = host;
        Some(rows)
    }

    /// The selected row's host, which the room then aims at (else the host it aims at
    /// already): where a verb that is about a host, not rows, goes (create, prune).
    pub fn aim_host(&mut self) -> HostId {
        if let Some(host) = self.selected().map(|r| r.host) {
            self.room.host = host;
        }
        self.room.host
    }

    /// `c`: a create form, for the selected row's host (which it names, with several).
    pub fn create(&mut self, mut form: super::dialog::Form, cx: &mut Ctx) -> Outcome {
        self.aim_host();
        form.on_host = self.room.fleet_host(cx);
        self.room.ask(super::dialog::Dialog::Form(form), cx)
    }

    /// The rows of the host the room aims at.
    pub fn host_rows(&self) -> impl Iterator<Item = &K::Row> {
        self.rows
            .iter()
            .filter(|r| r.host == self.room.host)
            .map(|r| &r.row)
    }

    /// "the volumes view", as messages say it.
    pub fn where_(&self) -> String {
        format!("the {} view", K::noun())
    }

    /// The rows shown: filtered, then sorted (`hosts`: host names by id, for `@host`).
    pub fn shown(&self, hosts: &[String]) -> Vec<&Hosted<K::Row>> {
        let keeps = self.keeps(hosts);
        let mut rows: Vec<&Hosted<K::Row>> = self.rows.iter().filter(|r| keeps(r)).collect();
        if !K::SORTED_ON_CHANGE
            && let Some(order) = self.order()
        {
            rows.sort_by(|a, b| order(&a.row, &b.row));
        }
        if K::GROUPED {
            // Stable: the column's order within each host stays.
            rows.sort_by_key(|r| (r.host, !K::pinned(&r.row)));
        }
        rows
    }

    /// The rows shown from `skip` on, at most `take`: a kind kept in order reads only as far
    /// as that page (what a page of thousands asks for, at each event).
    pub fn shown_page(&self, hosts: &[String], skip: usize, take: usize) -> Vec<&Hosted<K::Row>> {
        if K::SORTED_ON_CHANGE && !K::GROUPED {
            let keeps = self.keeps(hosts);
            let shown = self.rows.iter().filter(|r| keeps(r));
            return shown.skip(skip).take(take).collect();
        }
        self.shown(hosts)
            .into_iter()
            .skip(skip)
            .take(take)
            .collect()
    }

    /// How two rows compare under the sort chosen (ties in the kind's order), if any.
    fn order(&self) -> Option<impl Fn(&K::Row, &K::Row) -> Ordering + '_> {
        order_of(&self.kind, self.sort)
    }

    /// A kind whose rows are kept in order: its rows sorted again (a listing, a new sort,
    /// new readings for a column sorted by them).
    pub fn reorder(&mut self) {
        if K::SORTED_ON_CHANGE
            && let Some(order) = order_of(&self.kind, self.sort)
        {
            self.rows.sort_by(|a, b| order(&a.row, &b.row));
        }
    }

    /// Whether the filter keeps a row. Without a filter no cell is made (the panes ask
    /// for their rows several times a key).
    fn keeps(&self, hosts: &[String]) -> impl Fn(&Hosted<K::Row>) -> bool + use<'_, K> {
        let matches = self.room.filter.matcher(hosts);
        let filtering = !self.room.filter.text().is_empty();
        move |r: &Hosted<K::Row>| {
            if !self.kind.keeps(&r.row) {
                return false;
            }
            if !filtering {
                return true;
            }
            self.kind
                .find(&r.row, &|fields: &[&str]| matches(r.host, fields))
        }
    }

    /// How many rows the filter keeps (nothing sorted).
    pub fn shown_count(&self, hosts: &[String]) -> usize {
        let keeps = self.keeps(hosts);
        self.rows.iter().filter(|r| keeps(r)).count()
    }

    /// The lines drawn: the rows shown, each group's rows under a row of its own placed
    /// where its first row is (so every sort still orders the groups), its rows out of
    /// sight while it is folded. Rows of no group, and every row with groups off, as shown.
    pub fn lines(&self, hosts: &[String]) -> Vec<Line<'_, K::Row>> {
        let shown = self.shown(hosts);
        let plain = |row| Line::Row {
            row,
            grouped: false,
        };
        // Most lists have no group at all: then this costs one look at each row.
        if !self.groups.on || shown.iter().all(|r| K::group(&r.row).is_none()) {
            return shown.into_iter().map(plain).collect();
        }
        fn group<K: Kind>(r: &Hosted<K::Row>) -> Option<(HostId, &str)> {
            K::group(&r.row).map(|g| (r.host, g))
        }
        let mut members: std::collections::HashMap<(HostId, &str), Vec<&Hosted<K::Row>>> =
            Default::default();
        for r in &shown {
            if let Some(g) = group::<K>(r) {
                members.entry(g).or_default().push(r);
            }
        }
        let mut lines = Vec::with_capacity(shown.len() + members.len());
        for r in shown {
            let Some((host, name)) = group::<K>(r) else {
                lines.push(plain(r));
                continue;
            };
            // The group comes whole at its first row; its others are already in.
            let Some(rows) = members.remove(&(host, name)) else {
                continue;
            };
            let folded = self.groups.folded.contains(&(host, name.to_string()));
            let members = rows.clone();
            lines.push(Line::Group(Group {
                host,
                name,
                members,
                folded,
            }));
            if !folded {
                lines.extend(rows.into_iter().map(|row| Line::Row { row, grouped: true }));
            }
        }
        lines
    }

    /// The group whose row is selected: its host and name.
    pub fn selected_group(&self) -> Option<(HostId, &str)> {
        let key = self.room.cursor.selected.as_deref()?;
        let (host, id) = key.split_once('|')?;
        Some((HostId(host.parse().ok()?), id.strip_prefix(GROUP)?))
    }

    /// Folds or unfolds a group; folding selects its row, as its rows go out of sight.
    pub fn fold(&mut self, host: HostId, name: &str, page: usize, hosts: &[String]) {
        let group = (host, name.to_string());
        if !self.groups.folded.remove(&group) {
            self.room.cursor.follow(group_key(host, name).text());
            self.groups.folded.insert(group);
        }
        self.resync(page, hosts);
    }

    /// Every row, as listed.
    pub fn rows(&self) -> impl Iterator<Item = &K::Row> + Clone {
        self.rows.iter().map(|r| &r.row)
    }

    /// The row under the cursor (by host and id; a key made where its host is not known,
    /// as a container just run, by id on the first host that lists it).
    pub fn selected(&self) -> Option<&Hosted<K::Row>> {
        let key = self.room.cursor.selected.as_deref()?;
        match key.split_once('|') {
            Some((host, id)) => {
                let host: u16 = host.parse().ok()?;
                (self.rows.iter()).find(|r| r.host.0 == host && K::id(&r.row) == id)
            }
            None => self.rows.iter().find(|r| K::id(&r.row) == key),
        }
    }

    /// What a verb acts on: the marked rows, else the selected one.
    pub fn targets(&self) -> Vec<&Hosted<K::Row>> {
        if self.marks.is_empty() {
            return self.selected().into_iter().collect();
        }
        self.rows
            .iter()
            .filter(|r| self.marks.contains(&r.key::<K>()))
            .collect()
    }

    /// A host's rows listed again (the other hosts' stay): marks of rows gone go, the
    /// cursor stays on its row.
    pub fn answer(&mut self, host: HostId, rows: Vec<K::Row>, height: usize, hosts: &[String]) {
        self.rows.retain(|r| r.host != host);
        self.rows
            .extend(rows.into_iter().map(|row| Hosted { host, row }));
        self.changed(height, hosts);
    }

    /// Every host's rows at once (a kind whose rows are made, not listed): as [`Self::answer`]
    /// for each, with one resync.
    pub fn replace(&mut self, rows: Vec<Hosted<K::Row>>, height: usize, hosts: &[String]) {
        self.rows = rows;
        self.changed(height, hosts);
    }

    /// Rows listed again after events (`changed`), and rows gone (`removed`, by id), on one
    /// host: each changed row takes the place of the row with its host and id, or is added;
    /// in a kind kept in order, where its sort puts it, moving only the rows between its old
    /// and new places (thousands of rows, an event each: nothing is sorted).
    pub fn change(
        &mut self,
        host: HostId,
        changed: Vec<K::Row>,
        removed: &[&str],
        height: usize,
        hosts: &[String],
    ) {
        self.place_all(host, changed, removed);
        self.resync(height, hosts);
    }

    /// [`Self::change`] without moving the cursor, for a caller that resyncs after (the
    /// app's panes, once for all of an event's changes).
    pub fn place_all(&mut self, host: HostId, changed: Vec<K::Row>, removed: &[&str]) {
        if !removed.is_empty() {
            self.rows
                .retain(|r| !(r.host == host && removed.contains(&K::id(&r.row))));
            self.marks
                .retain(|k| !(k.host == host && removed.contains(&k.id.as_str())));
        }
        for row in changed {
            self.place(Hosted { host, row });
        }
    }

    /// One row in place of the row with its host and id (keeping what the kind carries
    /// over), or added; in its sort's place in a kind kept in order.
    fn place(&mut self, mut row: Hosted<K::Row>) {
        let at =
            (self.rows.iter()).position(|r| r.host == row.host && K::id(&r.row) == K::id(&row.row));
        let order = match order_of(&self.kind, self.sort) {
            Some(order) if K::SORTED_ON_CHANGE => order,
            _ => {
                match at {
                    Some(at) => {
                        K::carry(&self.rows[at].row, &mut row.row);
                        self.rows[at] = row;
                    }
                    None => self.rows.push(row),
                }
                return;
            }
        };
        let before =
            |r: &Hosted<K::Row>, row: &Hosted<K::Row>| order(&r.row, &row.row) == Ordering::Less;
        let Some(at) = at else {
            let to = self.rows.partition_point(|r| before(r, &row));
            self.rows.insert(to, row);
            return;
        };
        K::carry(&self.rows[at].row, &mut row.row);
        self.rows[at] = row;
        let row = &self.rows[at];
        let to = self.rows[..at].partition_point(|r| before(r, row));
        if to < at {
            self.rows[to..=at].rotate_right(1);
            return;
        }
        let to = at + 1 + self.rows[at + 1..].partition_point(|r| before(r, row));
        self.rows[at..to].rotate_left(1);
    }

    fn changed(&mut self, height: usize, hosts: &[String]) {
        self.reorder();
        // Most listings come with nothing marked: no key is made then.
        if !self.marks.is_empty() {
            let keys: BTreeSet<RowKey> = self.rows.iter().map(Hosted::key::<K>).collect();
            self.marks.retain(|k| keys.contains(k));
        }
        self.resync(height, hosts);
    }

    /// After the rows, the filter or the sort changed: the cursor stays on its row.
    pub fn resync(&mut self, height: usize, hosts: &[String]) {
        let mut cursor = std::mem::take(&mut self.room.cursor);
        let lines = self.lines(hosts);
        // By host and id, with no key made for each row (a pane's thousands, each key).
        let find = |key: &str| match key.split_once('|') {
            Some((host, id)) => {
                let host: u16 = host.parse().ok()?;
                (lines.iter()).position(|l| l.is::<K>(host, id))
            }
            // A key made where its host is not known (a container just run): its id's
            // first row.
            None => (lines.iter())
                .position(|l| matches!(l, Line::Row { row, .. } if K::id(&row.row) == key)),
        };
        let key_at = |i: usize| lines[i].key::<K>().text();
        cursor.sync_with(lines.len(), find, key_at, height);
        self.room.cursor = cursor;
    }

    /// Selects the row shown at `at` (clamped to the last).
    pub fn select(&mut self, at: usize, page: usize, hosts: &[String]) {
        let cursor = &mut self.room.cursor;
        (cursor.index, cursor.selected, cursor.moved) = (at, None, true);
        self.resync(page, hosts);
    }

    /// Esc's second step: the marks go, and the status line says how many; whether any were.
    pub fn clear_marks(&mut self, activity: &mut super::activity::Activity) -> bool {
        if self.marks.is_empty() {
            return false;
        }
        let marks = crate::format::plural(self.marks.len(), "mark", "marks");
        activity.note(format!("Cleared {marks}"));
        self.marks.clear();
        true
    }

    /// `>`: the next column's sort; `<` (`reverse`): the same the other way round.
    pub fn sort_next(&mut self, reverse: bool, page: usize, hosts: &[String]) {
        let columns = self.kind.columns();
        let cycle: Vec<usize> = match self.kind.cycle() {
            Some(order) => order.to_vec(),
            None => (0..columns.len())
                .filter(|&i| columns[i].sortable())
                .collect(),
        };
        self.sort = next_sort(self.sort, &columns, &cycle, reverse);
        self.reorder();
        self.resync(page, hosts);
    }

    /// Sorts by column `at` (a click on its header): in its first direction, or the other
    /// way round when it already was. Nothing when that column does not sort.
    pub fn sort_column(&mut self, at: usize, page: usize, hosts: &[String]) {
        let columns = self.kind.columns();
        let Some(column) = columns.get(at).filter(|c| c.sortable()) else {
            return;
        };
        self.sort = Some(match self.sort {
            Some((now, descending)) if now == at => (at, !descending),
            _ => (at, column.down),
        });
        self.reorder();
        self.resync(page, hosts);
    }

    /// A key while the filter is typed (`false`: none is); the rows narrow as it is typed.
    pub fn filter_key(
        &mut self,
        key: &KeyEvent,
        page: usize,
        hosts: &[String],
        keymap: &super::Keymap,
    ) -> bool {
        if !self.room.filter_key(key, keymap) {
            return false;
        }
        self.resync(page, hosts);
        true
    }

    /// Esc: the filter goes, if there is one (`false` without).
    pub fn clear_filter(&mut self, page: usize, hosts: &[String]) -> bool {
        if !self.room.clear_filter() {
            return false;
        }
        self.resync(page, hosts);
        true
    }

    /// A filter set from outside the list (the config, `:ps /web`).
    pub fn set_filter(&mut self, text: &str, page: usize, hosts: &[String]) {
        self.room.filter = super::lists::Filter::set(text);
        self.resync(page, hosts);
    }

    /// A key: the dialog over the list, the filter being typed, the kind's own keys, then
    /// what every list does; any other key does nothing but say so. The panes find these
    /// keys in their own scopes and call the same steps ([`Self::move_cursor`], [`Self::esc`],
    /// [`Self::common`]).
    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        if let Some(outcome) = K::overlay_key(self, key, cx) {
            return outcome;
        }
        if self.filter_key(key, cx.page, cx.host_names, cx.keymap) {
            return Outcome::stay();
        }
        let common = cx.keymap.get::<ListAction>(key);
        // Esc's steps before the view closes.
        if common == Some(ListAction::ClearFilter) && self.esc(cx.activity, cx.page, cx.host_names)
        {
            return Outcome::stay();
        }
        if let Some(action) = cx.keymap.get::<K::Action>(key) {
            return K::verb(self, action, cx);
        }
        if let Some(action) = common {
            return self.common(action, cx);
        }
        if let Some(outcome) = K::other_key(self, key, cx) {
            return outcome;
        }
        match cx.keymap.nav(key) {
            Some(nav) => {
                self.move_cursor(nav, cx.page, cx.host_names);
                Outcome::stay()
            }
            None => super::room::unbound(key, cx, &self.where_()),
        }
    }

    /// A movement key: the cursor to the line it names (selecting clamps to the last, so
    /// the lines are not counted first: a pane's thousands, each key).
    pub fn move_cursor(&mut self, nav: Nav, page: usize, hosts: &[String]) {
        let to = nav.apply(self.room.cursor.index, usize::MAX, page);
        self.select(to, page, hosts);
    }

    /// `Esc`'s steps: the filter goes, else the marks; whether either did.
    pub fn esc(
        &mut self,
        activity: &mut super::activity::Activity,
        page: usize,
        hosts: &[String],
    ) -> bool {
        self.clear_filter(page, hosts) || self.clear_marks(activity)
    }

    /// What every list does.
    pub fn common(&mut self, action: ListAction, cx: &mut Ctx) -> Outcome {
        match action {
            ListAction::Filter => self.room.start_filter(),
            ListAction::ClearFilter => {
                cx.activity.refuse("no filter to clear");
            }
            ListAction::SortNext | ListAction::SortReverse => {
                let reverse = action == ListAction::SortReverse;
                self.sort_next(reverse, cx.page, cx.host_names);
            }
            ListAction::Mark => self.mark(cx),
            ListAction::CopyKey | ListAction::CopyName => {
                let noun = K::noun();
                let Some(row) = self.selected() else {
                    cx.activity.refuse(format!("no {noun} selected"));
                    return Outcome::stay();
                };
                let (what, text) = match action {
                    ListAction::CopyKey => (K::id_noun(), K::copied(&row.row).into()),
                    _ => (K::name_noun(), K::copied_name(&row.row)),
                };
                let text = text.into_owned();
                return super::effects::copy(cx.activity, &format!("the {what}"), &text);
            }
        }
        Outcome::stay()
    }

    /// `Space`: marks or unmarks the selected row and moves down.
    fn mark(&mut self, cx: &mut Ctx) {
        let Some(key) = self.selected().map(Hosted::key::<K>) else {
            cx.activity.refuse(format!("no {} selected", K::noun()));
            return;
        };
        if !self.marks.remove(&key) {
            self.marks.insert(key);
        }
        let to = self.room.cursor.index + 1;
        self.select(to, cx.page, cx.host_names);
    }
}

/// A column as drawn: its header, width rule and priority (the kind's, without its sort).
#[derive(Debug, Clone, Copy)]
pub struct Head {
    pub header: &'static str,
    pub width: Width,
    pub priority: u8,
}

/// A row as drawn: its host, whether it is marked, its cells.
#[derive(Debug, Clone)]
pub struct ShownRow {
    pub host: HostId,
    pub marked: bool,
    pub cells: Vec<String>,
    /// The cells drawn in a tone of their own: their column, their tone.
    pub tones: Vec<(usize, Tone)>,
}

/// What a list shows now, whatever its kind: what drawing and the mouse read.
#[derive(Debug, Clone)]
pub struct Shown {
    pub title: String,
    /// Its rows' noun when none are shown ("no volumes").
    pub noun: String,
    /// A HOST column with several hosts.
    pub hosted: bool,
    pub heads: Vec<Head>,
    /// Filtered and sorted.
    pub lines: Vec<ShownRow>,
    /// The kind column sorted by, and whether descending.
    pub sort: Option<(usize, bool)>,
    /// Rows before the filter.
    pub total: usize,
    pub marked: usize,
}

/// A list of any kind, as the view stack holds it (`View::List`): the app, the mouse and
/// drawing ask it without knowing its kind, so a new kind adds no arm to them.
pub trait ListView: std::fmt::Debug {
    fn room(&self) -> &Room;
    fn room_mut(&mut self) -> &mut Room;
    /// The scope of its own keys (help, the footer).
    fn scope(&self) -> Scope;
    /// How many rows are marked (the footer says what `Esc` clears).
    fn marked(&self) -> usize;
    fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome;
    /// Its request to each of `hosts` (`full`: on open and refresh; else after an event).
    fn queries(&self, full: bool, hosts: &[HostId]) -> Vec<Routed>;
    /// A host's answer (an answer of another kind changes nothing).
    fn answer(&mut self, host: HostId, answer: HostAnswer, height: usize, hosts: &[String]);
    /// A daemon event changes what it lists.
    fn concerns(&self, event: &EngineEvent) -> bool;
    /// What it shows now (`hosts`: host names by id, for `@host`).
    fn shown_lines(&self, hosts: &[String]) -> Shown;
    /// Sorts by kind column `at` (a click on its header): ascending, or the other way round
    /// when it already was. Nothing when that column does not sort.
    fn sort_by(&mut self, at: usize, page: usize, hosts: &[String]);
    /// Selects the row shown `at` (a click on it); nothing below the last row.
    fn select_shown(&mut self, at: usize, page: usize, hosts: &[String]);
    fn clone_box(&self) -> Box<dyn ListView>;
    /// For tests and kind-specific callers: the `List<K>` itself.
    fn as_any(&self) -> &dyn std::any::Any;
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any;
}

impl Clone for Box<dyn ListView> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

impl<K: Kind> ListView for List<K> {
    fn room(&self) -> &Room {
        &self.room
    }

    fn room_mut(&mut self) -> &mut Room {
        &mut self.room
    }

    fn scope(&self) -> Scope {
        <K::Action as Scoped>::SCOPE
    }

    fn marked(&self) -> usize {
        self.marks.len()
    }

    fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        List::on_key(self, key, cx)
    }

    fn queries(&self, full: bool, hosts: &[HostId]) -> Vec<Routed> {
        List::queries(self, full, hosts)
    }

    fn answer(&mut self, host: HostId, answer: HostAnswer, height: usize, hosts: &[String]) {
        K::take(self, host, answer, height, hosts);
    }

    fn concerns(&self, event: &EngineEvent) -> bool {
        K::concerns(event)
    }

    fn shown_lines(&self, hosts: &[String]) -> Shown {
        let heads = (self.kind.columns().into_iter())
            .map(|c| Head {
                header: c.header,
                width: c.width,
                priority: c.priority,
            })
            .collect();
        let lines = (self.shown(hosts).into_iter())
            .map(|r| ShownRow {
                host: r.host,
                marked: self.marks.contains(&r.key::<K>()),
                cells: self.kind.cells(&r.row),
                tones: self.kind.tones(&r.row),
            })
            .collect();
        Shown {
            title: self.kind.title(),
            noun: K::empty_noun(),
            hosted: K::HOSTED,
            heads,
            lines,
            sort: self.sort,
            total: self.rows.len(),
            marked: self.marks.len(),
        }
    }

    fn sort_by(&mut self, at: usize, page: usize, hosts: &[String]) {
        self.sort_column(at, page, hosts);
    }

    fn select_shown(&mut self, at: usize, page: usize, hosts: &[String]) {
        if at < self.lines(hosts).len() {
            self.select(at, page, hosts);
        }
    }

    fn clone_box(&self) -> Box<dyn ListView> {
        Box::new(self.clone())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

impl super::App {
    /// Opens a list of `kind` over the panes, aimed at the active host; its request to every
    /// live host.
    pub(super) fn open_list<K: Kind>(&mut self, kind: K) -> Vec<Routed> {
        let list = List::new(kind, Room::new(self.view_id(), self.active_host()));
        let queries = list.queries(true, &self.live_hosts());
        self.view = Some(super::view::View::List(Box::new(list)));
        queries
    }
}

/// How two rows of `kind` compare under `sort` (ties in the kind's order), if it sorts.
fn order_of<K: Kind>(
    kind: &K,
    sort: Option<(usize, bool)>,
) -> Option<impl Fn(&K::Row, &K::Row) -> Ordering + '_> {
    let (at, descending) = sort?;
    let column = kind.columns().into_iter().nth(at)?;
    let (by, outside) = (column.sort, column.outside);
    if by.is_none() && !outside {
        return None;
    }
    Some(move |a: &K::Row, b: &K::Row| {
        let primary = match (by, descending) {
            _ if outside => kind.outside(at, descending, a, b),
            (Some(by), true) => by(b, a),
            (Some(by), false) => by(a, b),
            (None, _) => Ordering::Equal,
        };
        primary.then_with(|| K::tie(a, b))
    })
}

/// `>`: the next column of `cycle` (in its first direction); `<` (`reverse`): the same the
/// other way round (the first column the other way round, when unsorted).
fn next_sort<R>(
    now: Option<(usize, bool)>,
    columns: &[Column<R>],
    cycle: &[usize],
    reverse: bool,
) -> Option<(usize, bool)> {
    let first = *cycle.first()?;
    let down = |at: usize| columns.get(at).is_some_and(|c| c.down);
    Some(match (now, reverse) {
        (Some((at, descending)), true) => (at, !descending),
        (None, true) => (first, !down(first)),
        (Some((at, _)), false) => {
            let next = cycle.iter().position(|&i| i == at).map_or(0, |p| p + 1);
            let at = cycle.get(next).copied().unwrap_or(first);
            (at, down(at))
        }
        (None, false) => (first, down(first)),
    })
}

/// A container created or removed (volumes and networks list who uses them).
pub fn container_came_or_went(event: &EngineEvent) -> bool {
    event.kind == crate::docker::EventKind::Container
        && matches!(event.action.as_str(), "create" | "destroy")
}

/// Text in natural order ("ux-5" before "ux-49"), for a column's sort.
pub fn by_text(a: &str, b: &str) -> Ordering {
    super::lists::natural_cmp(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kind for the list's own tests: rows `(id, value)`, sorted by id, value, or a weight
    /// given from outside; it may hide one id whatever the filter.
    #[derive(Debug, Clone, Default)]
    struct Tally {
        weights: std::collections::HashMap<String, u32>,
        hide: Option<String>,
    }

    const WEIGHT: usize = 2;

    impl Kind for Tally {
        type Row = (String, u32);
        type Action = ListAction;
        const TITLE: &'static str = "Tallies";
        const SORTED_ON_CHANGE: bool = true;

        fn columns(&self) -> Vec<Column<Self::Row>> {
            vec![
                Column::new("ID", Width::Fixed(4), 0).sorts(|a: &Self::Row, b| by_text(&a.0, &b.0)),
                Column::new("VALUE", Width::Fixed(4), 0).sorts(|a: &Self::Row, b| a.1.cmp(&b.1)),
                Column::new("WEIGHT", Width::Fixed(4), 0).sorts_outside(),
            ]
        }
        fn id(row: &Self::Row) -> &str {
            &row.0
        }
        fn name(row: &Self::Row) -> &str {
            &row.0
        }
        fn cells(&self, row: &Self::Row) -> Vec<String> {
            vec![row.0.clone(), row.1.to_string(), String::new()]
        }
        fn verb(list: &mut List<Self>, action: ListAction, cx: &mut Ctx) -> Outcome {
            list.common(action, cx)
        }
        fn tie(a: &Self::Row, b: &Self::Row) -> Ordering {
            a.0.cmp(&b.0)
        }
        fn outside(&self, _at: usize, descending: bool, a: &Self::Row, b: &Self::Row) -> Ordering {
            let (a, b) = (self.weights.get(&a.0), self.weights.get(&b.0));
            // Unweighted rows last, either way round.
            match (a, b, descending) {
                (Some(a), Some(b), false) => a.cmp(b),
                (Some(a), Some(b), true) => b.cmp(a),
                (a, b, _) => a.is_none().cmp(&b.is_none()),
            }
        }
        fn keeps(&self, row: &Self::Row) -> bool {
            self.hide.as_deref() != Some(row.0.as_str())
        }
        /// "shop/web" is in group "shop".
        fn group(row: &Self::Row) -> Option<&str> {
            row.0.split_once('/').map(|(group, _)| group)
        }
    }

    fn tallies(rows: &[(&str, u32)]) -> List<Tally> {
        let mut list = List::new(
            Tally::default(),
            Room::new(crate::docker::StreamId::fresh(), HostId(0)),
        );
        let rows = rows.iter().map(|(id, v)| (id.to_string(), *v)).collect();
        list.answer(HostId(0), rows, 10, &[]);
        list
    }

    fn ids(list: &List<Tally>) -> Vec<String> {
        list.shown(&[])
            .iter()
            .map(|r| format!("{}:{}", r.host.0, r.row.0))
            .collect()
    }

    #[test]
    fn a_row_changed_lands_where_a_full_sort_puts_it_in_a_kind_kept_in_order() {
        let start = [
            ("ux-5", 3),
            ("ux-49", 1),
            ("db", 7),
            ("web-10", 3),
            ("a", 0),
        ];
        for sort in [(0, false), (0, true), (1, false), (1, true)] {
            let mut list = tallies(&start);
            list.sort = Some(sort);
            list.reorder();
            // Each row changed (a value up or down), then a new one, then one gone.
            for (i, (id, _)) in start.iter().enumerate() {
                let row = (id.to_string(), (i as u32 * 5) % 8);
                list.change(HostId(0), vec![row], &[], 10, &[]);
                let mut expected = list.clone();
                expected.reorder();
                assert_eq!(list.rows, expected.rows, "{sort:?} after changing {id}");
            }
            list.change(HostId(0), vec![("m".into(), 4)], &["db"], 10, &[]);
            let mut expected = list.clone();
            expected.reorder();
            assert_eq!(list.rows, expected.rows, "{sort:?} after adding one");
            assert_eq!(list.rows.len(), start.len());
            assert!(!list.rows.iter().any(|r| r.row.0 == "db"), "db is gone");
        }
    }

    #[test]
    fn a_column_sorts_by_what_the_kind_is_given() {
        let mut list = tallies(&[("a", 1), ("b", 2), ("c", 3)]);
        list.kind.weights = [("a", 5), ("c", 9)].map(|(k, w)| (k.to_string(), w)).into();
        list.sort_column(WEIGHT, 10, &[]);
        assert_eq!(
            ids(&list),
            ["0:a", "0:c", "0:b"],
            "ascending, unweighted last"
        );
        list.sort_column(WEIGHT, 10, &[]);
        assert_eq!(
            ids(&list),
            ["0:c", "0:a", "0:b"],
            "descending, unweighted still last"
        );
        // New readings: the rows are ordered again.
        list.kind.weights.insert("b".into(), 99);
        list.reorder();
        assert_eq!(ids(&list), ["0:b", "0:c", "0:a"]);
        // `>` steps to it as to any column.
        list.sort = Some((1, false));
        list.sort_next(false, 10, &[]);
        assert_eq!(list.sort, Some((WEIGHT, false)));
    }

    #[test]
    fn the_kind_hides_rows_whatever_the_filter() {
        let mut list = tallies(&[("a", 1), ("b", 2), ("c", 3)]);
        list.kind.hide = Some("b".into());
        assert_eq!(ids(&list), ["0:a", "0:c"]);
        assert_eq!(list.shown_count(&[]), 2);
        list.set_filter("b", 10, &[]);
        assert_eq!(list.shown_count(&[]), 0, "the filter finds no hidden row");
    }

    #[test]
    fn rows_and_marks_are_a_hosts_own() {
        let mut list = tallies(&[("a", 1), ("b", 2)]);
        list.answer(HostId(1), vec![("a".into(), 1)], 10, &[]);
        list.marks.insert(RowKey::new(HostId(0), "a"));
        list.marks.insert(RowKey::new(HostId(1), "a"));
        // Host 1's "a" is gone: host 0's, the same id, stays with its mark.
        list.change(HostId(1), Vec::new(), &["a"], 10, &[]);
        assert_eq!(ids(&list), ["0:a", "0:b"]);
        assert_eq!(
            list.marks.iter().collect::<Vec<_>>(),
            [&RowKey::new(HostId(0), "a")]
        );
        // A row changed on host 1 is added there (unsorted: last), not put in place of
        // host 0's.
        list.change(HostId(1), vec![("a".into(), 7)], &[], 10, &[]);
        assert_eq!(ids(&list), ["0:a", "0:b", "1:a"]);
        assert_eq!(list.rows[0].row.1, 1, "host 0's a unchanged");
    }

    #[test]
    fn sorts_cycle_over_sortable_columns_and_reverse() {
        let columns: Vec<Column<u8>> = vec![
            Column::new("A", Width::Fixed(1), 0).sorts(|a, b| a.cmp(b)),
            Column::new("B", Width::Fixed(1), 0),
            Column::new("C", Width::Fixed(1), 0).sorts(|a, b| b.cmp(a)),
        ];
        let cycle = [0, 2];
        assert_eq!(next_sort(None, &columns, &cycle, false), Some((0, false)));
        assert_eq!(
            next_sort(Some((0, false)), &columns, &cycle, false),
            Some((2, false))
        );
        assert_eq!(
            next_sort(Some((2, false)), &columns, &cycle, false),
            Some((0, false))
        );
        assert_eq!(
            next_sort(Some((2, false)), &columns, &cycle, true),
            Some((2, true))
        );
        assert_eq!(next_sort(None, &columns, &[], false), None);
        // A column that starts descending does so, in the kind's own order.
        let columns: Vec<Column<u8>> = vec![
            Column::new("A", Width::Fixed(1), 0).sorts(|a, b| a.cmp(b)),
            Column::new("B", Width::Fixed(1), 0)
                .sorts(|a: &u8, b: &u8| a.cmp(b))
                .down(),
        ];
        assert_eq!(next_sort(None, &columns, &[1, 0], false), Some((1, true)));
        assert_eq!(
            next_sort(Some((1, true)), &columns, &[1, 0], false),
            Some((0, false))
        );
    }

    /// The lines drawn, as text: a group's row "+shop" (folded "+shop…"), a row under it
    /// indented.
    fn drawn(list: &List<Tally>) -> Vec<String> {
        (list.lines(&[]).iter())
            .map(|l| match l {
                Line::Group(g) => {
                    let fold = if g.folded { "…" } else { "" };
                    format!("{}:+{}{fold}({})", g.host.0, g.name, g.members.len())
                }
                Line::Row { row, grouped } => {
                    format!(
                        "{}{}:{}",
                        if *grouped { " " } else { "" },
                        row.host.0,
                        row.row.0
                    )
                }
            })
            .collect()
    }

    #[test]
    fn a_groups_rows_are_drawn_under_its_row_which_folds() {
        let mut list = tallies(&[("a", 1), ("shop/web", 2), ("b", 3), ("shop/db", 4)]);
        list.answer(HostId(1), vec![("shop/web".into(), 0)], 10, &[]);
        list.sort = Some((1, false));
        list.reorder();
        // The group where its first row is; host 1's project is a group of its own.
        assert_eq!(
            drawn(&list),
            [
                "1:+shop(1)",
                " 1:shop/web",
                "0:a",
                "0:+shop(2)",
                " 0:shop/web",
                " 0:shop/db",
                "0:b"
            ]
        );
        list.select(3, 10, &[]);
        assert_eq!(list.selected_group(), Some((HostId(0), "shop")));
        assert!(list.selected().is_none(), "a group's row is no row");
        // Folded from one of its rows: its row is selected, its rows out of sight.
        list.select(5, 10, &[]);
        list.fold(HostId(0), "shop", 10, &[]);
        assert_eq!(
            drawn(&list),
            ["1:+shop(1)", " 1:shop/web", "0:a", "0:+shop…(2)", "0:b"]
        );
        assert_eq!(list.room.cursor.index, 3);
        assert_eq!(list.selected_group(), Some((HostId(0), "shop")));
        // A row changed elsewhere: the cursor stays on the group's row.
        list.change(HostId(0), vec![("0".into(), 0)], &[], 10, &[]);
        assert_eq!(list.selected_group(), Some((HostId(0), "shop")));
        list.fold(HostId(0), "shop", 10, &[]);
        assert_eq!(drawn(&list).len(), 8, "unfolded");
        assert_eq!(list.selected_group(), Some((HostId(0), "shop")));
        // Groups off: every row as shown, the filter looks in rows only.
        list.groups.on = false;
        list.set_filter("shop", 10, &[]);
        assert_eq!(drawn(&list), ["1:shop/web", "0:shop/web", "0:shop/db"]);
    }
}
