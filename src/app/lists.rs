//! What the list panes show: each list's filter (`/`, over every column shown) and sort
//! (a column and a direction, natural order for names: `ux-5` before `ux-49`).

use super::container_list::Containers;
use super::text_input::TextInput;
use super::{App, Pane};
use crate::docker::{ContainerId, ContainerRow, HostId};

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
}

impl App {
    /// The containers the pane shows: the all/running toggle, then the filter, sorted.
    pub fn visible_containers(&self) -> Vec<&ContainerRow> {
        let shown = self.containers.shown(&self.host_names);
        shown.into_iter().map(|r| &r.row).collect()
    }

    /// The containers pane's sort, as the config names it.
    pub fn container_sort(&self) -> Sort {
        Containers::sort_of(self.containers.sort)
    }

    pub fn filter(&self, pane: Pane) -> &Filter {
        match pane {
            Pane::Images => &self.images.room.filter,
            Pane::Containers | Pane::Terminal => &self.containers.room.filter,
        }
    }

    /// A host's containers, listed whole (the other hosts' stay), each keeping what the one
    /// before knew of its status's instant.
    pub(super) fn replace_containers(&mut self, host: HostId, mut containers: Vec<ContainerRow>) {
        let earlier: std::collections::HashMap<&str, &ContainerRow> = (self.containers.rows())
            .filter(|c| c.aging.is_some())
            .map(|c| (c.id.as_str(), c))
            .collect();
        for row in &mut containers {
            if let Some(old) = earlier.get(row.id.as_str()) {
                row.keep_anchor(old);
            }
        }
        self.give_readings();
        let height = self.rows_in_view(Pane::Containers);
        (self.containers).answer(host, containers, height, &self.host_names);
    }

    /// Rows listed again (after events, or the first screen's worth): each in its place,
    /// nothing sorted.
    pub(super) fn change_containers(
        &mut self,
        host: HostId,
        changed: Vec<ContainerRow>,
        removed: &[ContainerId],
    ) {
        // The callers move the cursor after, once.
        let removed: Vec<&str> = removed.iter().map(ContainerId::as_str).collect();
        self.containers.place_all(host, changed, &removed);
    }

    /// A list sorted by its kind's column `at` (a click on its header): by it in its usual
    /// direction, or the other way round when it already was; nothing when it does not sort.
    pub(super) fn sort_column(&mut self, pane: Pane, at: usize) {
        let page = self.rows_in_view(pane);
        match pane {
            Pane::Images => self.images.sort_column(at, page, &self.host_names),
            Pane::Containers | Pane::Terminal => {
                self.containers.sort_column(at, page, &self.host_names);
                self.order_by_usage();
            }
        }
    }

    /// A filter set from outside the list (`:ps /web`).
    pub(super) fn set_filter(&mut self, pane: Pane, text: &str) {
        let page = self.rows_in_view(pane);
        match pane {
            Pane::Images => self.images.set_filter(text, page, &self.host_names),
            Pane::Containers | Pane::Terminal => {
                self.containers.set_filter(text, page, &self.host_names)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

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
}
