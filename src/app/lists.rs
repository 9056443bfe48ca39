//! What the list panes show: each list's filter (`/`, over every column shown) and sort
//! (a column and a direction, natural order for names: `ux-5` before `ux-49`).

use std::cmp::Ordering;

use crossterm::event::KeyEvent;

use super::keymap::DialogAction;

use super::text_input::TextInput;
use super::{App, Pane};
use crate::docker::{ContainerId, ContainerRow, ContainerState, HostId};
use crate::format::short_id;

pub use crate::format::natural_cmp;

/// A list's filter: typed after `/`, kept after Enter, cleared by Esc.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub input: TextInput,
    /// The filter is being typed: the pane's keys go to it.
    pub editing: bool,
}

impl Filter {
    /// A filter in place, as if typed and kept.
    pub fn set(text: &str) -> Self {
        Self {
            input: TextInput::new(text),
            editing: false,
        }
    }

    pub fn text(&self) -> &str {
        self.input.value.trim()
    }

    /// A test for rows, made once per listing: no filter matches every row at no cost.
    /// `@name` words keep the rows of the hosts whose names start so (`hosts`: names by
    /// host id); the rest is looked for in the row's fields.
    pub fn matcher(&self, hosts: &[String]) -> impl Fn(HostId, &[&str]) -> bool + use<> {
        let text = self.text().to_lowercase();
        let (at, words): (Vec<&str>, Vec<&str>) =
            text.split_whitespace().partition(|w| w.starts_with('@'));
        // A name written whole means that host (`@web` beside `@web-2`); else the hosts
        // whose names start so.
        let pick = |w: &str| -> Vec<HostId> {
            let named = |exact: bool| {
                (0u16..)
                    .zip(hosts)
                    .filter(|(_, name)| !name.is_empty())
                    .filter(move |(_, name)| {
                        let name = name.to_lowercase();
                        if exact {
                            name == w
                        } else {
                            name.starts_with(w)
                        }
                    })
                    .map(|(i, _)| HostId(i))
                    .collect::<Vec<_>>()
            };
            let exact = named(true);
            if exact.is_empty() {
                named(false)
            } else {
                exact
            }
        };
        let wanted: Option<Vec<HostId>> =
            (!at.is_empty()).then(|| at.iter().flat_map(|w| pick(&w[1..])).collect());
        let needle = words.join(" ");
        move |host: HostId, fields: &[&str]| {
            wanted.as_ref().is_none_or(|w| w.contains(&host))
                && (needle.is_empty() || fields.iter().any(|f| f.to_lowercase().contains(&needle)))
        }
    }
}

/// The containers a pane shows: the all/running toggle, then the filter. A free function
/// over the fields it reads, so cursors (other fields) can follow it without copies.
pub fn visible_containers<'a>(
    containers: &'a [ContainerRow],
    show_all: bool,
    filter: &Filter,
    hosts: &[String],
) -> impl Iterator<Item = &'a ContainerRow> + use<'a> {
    let matches = filter.matcher(hosts);
    containers
        .iter()
        .filter(move |c| show_all || c.state == ContainerState::Running)
        .filter(move |c| {
            matches(
                c.host,
                &[
                    &c.name,
                    &c.image,
                    c.state.as_str(),
                    &c.status,
                    &c.ports,
                    short_id(&c.id),
                    // A project's name keeps all of its containers (and its row).
                    c.compose.as_ref().map_or("", |p| p.project.as_str()),
                ],
            )
        })
}

/// The columns a list sorts by, in the order its key cycles them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Name,
    Image,
    State,
    Created,
    Size,
    /// The order the hosts were given in (only a click on HOST sorts so).
    Host,
    /// The last reading's CPU % or memory (containers, while those columns show): the app
    /// orders by them, as readings are not in the rows.
    Cpu,
    Mem,
}

impl SortBy {
    pub fn header(self) -> &'static str {
        match self {
            SortBy::Name => "NAME",
            SortBy::Image => "IMAGE",
            SortBy::State => "STATE",
            SortBy::Created => "CREATED",
            SortBy::Size => "SIZE",
            SortBy::Host => "HOST",
            SortBy::Cpu => "CPU %",
            SortBy::Mem => "MEM",
        }
    }
}

const CONTAINER_SORTS: [SortBy; 4] = [SortBy::Name, SortBy::Image, SortBy::State, SortBy::Created];
const IMAGE_SORTS: [SortBy; 3] = [SortBy::Created, SortBy::Name, SortBy::Size];
/// The containers' while the CPU and MEM columns show.
const CONTAINER_USAGE_SORTS: [SortBy; 6] = [
    SortBy::Name,
    SortBy::Image,
    SortBy::State,
    SortBy::Created,
    SortBy::Cpu,
    SortBy::Mem,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub by: SortBy,
    pub descending: bool,
}

impl Sort {
    /// As `docker container ls` and `docker image ls` order them.
    pub fn default_for(pane: Pane) -> Self {
        match pane {
            Pane::Images => Self {
                by: SortBy::Created,
                descending: true,
            },
            Pane::Containers | Pane::Terminal => Self {
                by: SortBy::Name,
                descending: false,
            },
        }
    }

    /// A sort as the config writes it: a column's name (`created`), in its usual direction
    /// (times newest first, text A to Z), or `-created` the other way round.
    pub fn parse(pane: Pane, text: &str) -> Result<Self, String> {
        let order = Self::columns(pane);
        let text = text.trim().to_lowercase();
        let (reverse, name) = match text.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, text.as_str()),
        };
        let names: Vec<String> = order.iter().map(|b| b.header().to_lowercase()).collect();
        let at = names.iter().position(|n| n == name).ok_or_else(|| {
            format!(
                "{text:?} is not a column to sort by: {} (a leading - reverses)",
                names.join(", ")
            )
        })?;
        let sort = Self::natural(order[at]);
        Ok(Self {
            descending: sort.descending != reverse,
            ..sort
        })
    }

    /// The columns a pane sorts by, in the order its key cycles them.
    fn columns(pane: Pane) -> &'static [SortBy] {
        match pane {
            Pane::Images => &IMAGE_SORTS,
            Pane::Containers | Pane::Terminal => &CONTAINER_SORTS,
        }
    }

    /// Times read newest first, sizes and usage biggest first; text A to Z.
    pub(super) fn natural(by: SortBy) -> Self {
        let descending = matches!(
            by,
            SortBy::Created | SortBy::Size | SortBy::Cpu | SortBy::Mem
        );
        Self { by, descending }
    }

    fn cycle(self, pane: Pane) -> Self {
        self.cycle_in(Self::columns(pane))
    }

    fn cycle_in(self, order: &[SortBy]) -> Self {
        let at = order.iter().position(|b| *b == self.by).unwrap_or(0);
        Self::natural(order[(at + 1) % order.len()])
    }

    pub(super) fn apply(self, ordering: Ordering) -> Ordering {
        if self.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }
}

fn state_rank(state: ContainerState) -> u8 {
    match state {
        ContainerState::Running => 0,
        ContainerState::Restarting => 1,
        ContainerState::Paused => 2,
        ContainerState::Created => 3,
        ContainerState::Removing => 4,
        ContainerState::Exited => 5,
        ContainerState::Dead => 6,
        ContainerState::Unknown | ContainerState::Other(_) => 7,
    }
}

/// The order of two containers under `sort`: total (the id settles ties), so a row's place
/// is found by binary search. Under a usage sort, by name: the app then orders by readings.
pub(super) fn container_order(a: &ContainerRow, b: &ContainerRow, sort: Sort) -> Ordering {
    let primary = match sort.by {
        SortBy::Image => natural_cmp(&a.image, &b.image),
        SortBy::State => state_rank(a.state).cmp(&state_rank(b.state)),
        SortBy::Created => a.created.cmp(&b.created),
        SortBy::Host => a.host.cmp(&b.host),
        SortBy::Name | SortBy::Size | SortBy::Cpu | SortBy::Mem => Ordering::Equal,
    };
    sort.apply(primary)
        .then_with(|| natural_cmp(&a.name, &b.name))
        .then_with(|| a.id.cmp(&b.id))
}

pub fn sort_containers(rows: &mut [ContainerRow], sort: Sort) {
    rows.sort_by(|a, b| container_order(a, b, sort));
}

/// Puts `row` in its place among sorted `rows`, in place of the row with its id if there is
/// one (keeping what that knew of its status's instant). Only the rows between its old and
/// new places move: a state change under the name sort moves none.
pub fn place_container(rows: &mut Vec<ContainerRow>, mut row: ContainerRow, sort: Sort) {
    let Some(at) = rows
        .iter()
        .position(|c| c.id == row.id && c.host == row.host)
    else {
        let at = rows.partition_point(|c| container_order(c, &row, sort) == Ordering::Less);
        rows.insert(at, row);
        return;
    };
    row.keep_anchor(&rows[at]);
    rows[at] = row;
    let row = &rows[at];
    let before = rows[..at].partition_point(|c| container_order(c, row, sort) == Ordering::Less);
    if before < at {
        rows[before..=at].rotate_right(1);
        return;
    }
    let after = at
        + 1
        + rows[at + 1..].partition_point(|c| container_order(c, row, sort) == Ordering::Less);
    rows[at..after].rotate_left(1);
}

impl App {
    /// The containers the pane shows: the all/running toggle, then the filter.
    pub fn visible_containers(&self) -> Vec<&ContainerRow> {
        visible_containers(
            &self.containers,
            self.show_all,
            &self.container_filter,
            &self.host_names,
        )
        .collect()
    }

    pub fn filter(&self, pane: Pane) -> &Filter {
        match pane {
            Pane::Images => &self.images.room.filter,
            Pane::Containers | Pane::Terminal => &self.container_filter,
        }
    }

    fn filter_mut(&mut self, pane: Pane) -> &mut Filter {
        match pane {
            Pane::Images => &mut self.images.room.filter,
            Pane::Containers | Pane::Terminal => &mut self.container_filter,
        }
    }

    /// A host's containers, listed whole (the other hosts' stay), each keeping what the one
    /// before knew of its status's instant.
    pub(super) fn replace_containers(
        &mut self,
        host: crate::docker::HostId,
        mut containers: Vec<ContainerRow>,
    ) {
        let earlier: std::collections::HashMap<&str, &ContainerRow> = self
            .containers
            .iter()
            .filter(|c| c.aging.is_some())
            .map(|c| (c.id.as_str(), c))
            .collect();
        for row in &mut containers {
            if let Some(old) = earlier.get(row.id.as_str()) {
                row.keep_anchor(old);
            }
        }
        let others = self.containers.drain(..).filter(|c| c.host != host);
        containers.extend(others);
        self.containers = containers;
        sort_containers(&mut self.containers, self.container_sort);
        self.order_by_usage();
        if !self.marked.is_empty() {
            let keys: std::collections::HashSet<(HostId, &str)> = (self.containers.iter())
                .map(|c| (c.host, c.id.as_str()))
                .collect();
            self.marked
                .retain(|k| keys.contains(&(k.host, k.id.as_str())));
        }
    }

    /// Rows listed again (after events, or the first screen's worth): each in its place.
    pub(super) fn change_containers(
        &mut self,
        host: HostId,
        changed: Vec<ContainerRow>,
        removed: &[ContainerId],
    ) {
        // By host and id: one daemon watched through two endpoints lists the same ids.
        self.containers
            .retain(|c| !(c.host == host && removed.contains(&c.id)));
        self.marked
            .retain(|k| !(k.host == host && removed.iter().any(|id| id.as_str() == k.id)));
        for row in changed {
            place_container(&mut self.containers, row, self.container_sort);
        }
        self.order_by_usage();
    }

    /// Sorts the containers as chosen (after a new choice).
    pub(super) fn sort_lists(&mut self) {
        sort_containers(&mut self.containers, self.container_sort);
        self.order_by_usage();
    }

    /// The focused list sorts by its next column (`reverse`: the other way round).
    pub(super) fn change_sort(&mut self, reverse: bool) {
        let pane = self.focus;
        if pane == Pane::Images {
            let page = self.rows_in_view(pane);
            self.images.sort_next(reverse, page, &self.host_names);
            return;
        }
        let sort = self.container_sort;
        let sort = if reverse {
            Sort {
                descending: !sort.descending,
                ..sort
            }
        } else if pane != Pane::Images && self.usage.on {
            sort.cycle_in(&CONTAINER_USAGE_SORTS)
        } else {
            sort.cycle(pane)
        };
        self.set_sort(sort);
    }

    /// A list sorted by `by` (a click on its header): by it in its usual direction, or
    /// the other way round when it already was.
    pub(super) fn sort_by(&mut self, pane: Pane, by: SortBy) {
        if pane == Pane::Images {
            let page = self.rows_in_view(pane);
            let at = super::image_list::Images::column(by);
            self.images.sort_column(at, page, &self.host_names);
            return;
        }
        let now = self.container_sort;
        let sort = if now.by == by {
            Sort {
                descending: !now.descending,
                ..now
            }
        } else {
            Sort::natural(by)
        };
        self.set_sort(sort);
    }

    fn set_sort(&mut self, sort: Sort) {
        self.container_sort = sort;
        self.sort_lists();
        self.sync_cursors();
    }

    /// `/`: the focused list's filter takes the keys.
    pub(super) fn start_filter(&mut self) {
        if self.focus == Pane::Images {
            return self.images.room.start_filter();
        }
        let filter = self.filter_mut(self.focus);
        filter.editing = true;
        filter.input.selected = !filter.input.value.is_empty();
    }

    /// A filter set from outside the list (`:ps /web`).
    pub(super) fn set_filter(&mut self, pane: Pane, text: &str) {
        if pane == Pane::Images {
            let page = self.rows_in_view(pane);
            return self.images.set_filter(text, page, &self.host_names);
        }
        *self.filter_mut(pane) = Filter::set(text);
        self.sync_cursors();
    }

    /// `Esc`: the filter goes first; with none, the marks (they are the pane's only other
    /// selection, and easy to forget out of view).
    pub(super) fn clear_filter(&mut self) {
        if self.focus == Pane::Images {
            let page = self.rows_in_view(Pane::Images);
            self.images.clear_filter(page, &self.host_names);
            return;
        }
        if self.filter(self.focus).text().is_empty() && !self.marked.is_empty() {
            let n = self.marked.len();
            self.marked.clear();
            self.activity.note(format!("Cleared {n} marks"));
            return;
        }
        *self.filter_mut(self.focus) = Filter::default();
        self.sync_cursors();
    }

    /// A key while a filter is typed: confirm (Enter) keeps it, cancel (Esc) clears it, the
    /// rest edit it. Rows narrow as the user types.
    pub(super) fn filter_key(&mut self, key: &KeyEvent) {
        if self.focus == Pane::Images {
            let page = self.rows_in_view(Pane::Images);
            self.images
                .filter_key(key, page, &self.host_names, &self.keymap);
            return;
        }
        let action = self.keymap.get::<DialogAction>(key);
        let filter = self.filter_mut(self.focus);
        match action {
            Some(DialogAction::Confirm) => filter.editing = false,
            Some(DialogAction::Cancel) => *filter = Filter::default(),
            _ => {
                filter.input.handle(key);
            }
        }
        self.sync_cursors();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_by_value() {
        let mut names = vec!["ux-49", "ux-5", "ux-10", "ux-5a", "ux-005", "db", "ux-"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["db", "ux-", "ux-5", "ux-005", "ux-5a", "ux-10", "ux-49"]
        );
        assert_eq!(natural_cmp("a2b", "a10b"), Ordering::Less);
        assert_eq!(natural_cmp("web", "web"), Ordering::Equal);
    }

    #[test]
    fn a_row_placed_lands_where_a_full_sort_puts_it() {
        let row = |id: &str, name: &str, state, created| ContainerRow {
            host: Default::default(),
            id: id.into(),
            name: name.into(),
            image: format!("img-{}", created % 3),
            image_id: String::new(),
            state,
            status: String::new(),
            ports: String::new(),
            created,
            aging: None,
            compose: None,
        };
        let names = ["ux-5", "ux-49", "db", "web-10", "web-9", "a", "zz", "ux-50"];
        let states = [ContainerState::Running, ContainerState::Exited];
        for by in CONTAINER_SORTS {
            for descending in [false, true] {
                let sort = Sort { by, descending };
                let mut rows: Vec<ContainerRow> = names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| row(&format!("{i}"), n, states[i % 2], i as i64))
                    .collect();
                sort_containers(&mut rows, sort);
                // Each row changed (renamed, state flipped, another image), then a new one.
                for (i, n) in names.iter().enumerate() {
                    let renamed = format!("{n}-{}", 7 - i);
                    let changed = row(&format!("{i}"), &renamed, states[(i + 1) % 2], 9 - i as i64);
                    place_container(&mut rows, changed, sort);
                    let mut expected = rows.clone();
                    sort_containers(&mut expected, sort);
                    assert_eq!(rows, expected, "{sort:?} after changing {n}");
                }
                place_container(&mut rows, row("new", "m", states[0], 4), sort);
                let mut expected = rows.clone();
                sort_containers(&mut expected, sort);
                assert_eq!(rows, expected, "{sort:?} after adding one");
                assert_eq!(rows.len(), names.len() + 1);
            }
        }
    }

    #[test]
    fn sorts_cycle_and_reverse() {
        let sort = Sort::default_for(Pane::Containers);
        assert_eq!(sort.by, SortBy::Name);
        let next = sort.cycle(Pane::Containers);
        assert_eq!((next.by, next.descending), (SortBy::Image, false));
        let created = next.cycle(Pane::Containers).cycle(Pane::Containers);
        assert_eq!((created.by, created.descending), (SortBy::Created, true));
        assert_eq!(created.cycle(Pane::Containers).by, SortBy::Name);
    }
}
