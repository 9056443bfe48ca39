//! Compose projects in the containers pane: the containers of a project listed under a
//! row of its own, which folds and unfolds; per host, so a project on two hosts is two
//! groups. The project row stands for all of its containers: lifecycle actions, removal
//! and logs act on every one of them.

use std::collections::{HashMap, HashSet};

use super::App;
use super::lists;
use crate::docker::{ContainerRow, ContainerState, HostId, Target};

/// Whether the pane groups, and which projects are folded (by host and name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    pub on: bool,
    pub folded: HashSet<(HostId, String)>,
}

impl Default for Grouping {
    fn default() -> Self {
        Self {
            on: true,
            folded: HashSet::new(),
        }
    }
}

/// A project's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project<'a> {
    pub host: HostId,
    pub name: &'a str,
    /// The cursor's key for it (never a container id: those have no ':').
    pub key: String,
    /// Of all its containers on that host, whatever the filter shows.
    pub running: usize,
    pub total: usize,
    /// Its containers the filter and the all/running switch let through.
    pub shown: usize,
    pub folded: bool,
    /// A container of it, whose labels say where the project's files are.
    pub first: &'a ContainerRow,
}

/// A row of the containers pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry<'a> {
    Project(Project<'a>),
    /// A container; `grouped` when it is listed under its project.
    Container {
        row: &'a ContainerRow,
        grouped: bool,
    },
}

impl Entry<'_> {
    /// The cursor's key for it: a project's, or a container's host and id.
    pub fn key(&self) -> String {
        match self {
            Entry::Project(p) => p.key.clone(),
            Entry::Container { row, .. } => container_key(row.host, &row.id),
        }
    }

    /// Whether the cursor's `key` names it (made with no key for each row: a pane's
    /// thousands, each key).
    pub fn is(&self, key: &str) -> bool {
        match self {
            Entry::Project(p) => p.key == key,
            Entry::Container { row, .. } => names_container(key, row),
        }
    }

    pub fn container(&self) -> Option<&ContainerRow> {
        match self {
            Entry::Container { row, .. } => Some(row),
            Entry::Project(_) => None,
        }
    }
}

/// The cursor's key for a project on a host.
pub fn project_key(host: HostId, name: &str) -> String {
    format!("compose:{}:{name}", host.0)
}

/// The cursor's key for a container: its host and id (one daemon watched through two
/// endpoints lists the same ids).
pub fn container_key(host: HostId, id: &str) -> String {
    crate::app::list::RowKey::new(host, id).text()
}

/// Whether a cursor key names a container: by host and id, or (a key made where the host
/// is not known: a container just run) by id on whichever host lists it first.
pub fn names_container(key: &str, c: &ContainerRow) -> bool {
    match key.split_once('|') {
        Some((host, id)) => id == c.id.as_str() && host.parse() == Ok(c.host.0),
        None => key == c.id.as_str(),
    }
}

/// A project's host and name from its cursor key.
fn parse_key(key: &str) -> Option<(HostId, &str)> {
    let (host, name) = key.strip_prefix("compose:")?.split_once(':')?;
    Some((HostId(host.parse().ok()?), name))
}

/// The pane's rows: `visible` (sorted, filtered) with each project's containers under its
/// row, placed where its first container would be, so every sort still orders them.
/// Containers of no project, and every row while grouping is off, stay as they are.
pub fn entries<'a>(
    all: &'a [ContainerRow],
    visible: impl Iterator<Item = &'a ContainerRow>,
    grouping: &Grouping,
) -> Vec<Entry<'a>> {
    let plain = |row| Entry::Container {
        row,
        grouped: false,
    };
    if !grouping.on {
        return visible.map(plain).collect();
    }
    let visible: Vec<&ContainerRow> = visible.collect();
    // Most hosts have no project at all: then this costs one look at each row.
    if visible.iter().all(|c| c.compose.is_none()) {
        return visible.into_iter().map(plain).collect();
    }
    let group = |c: &'a ContainerRow| c.compose.as_ref().map(|p| (c.host, p.project.as_str()));
    let mut members: HashMap<(HostId, &str), Vec<&ContainerRow>> = HashMap::new();
    for c in &visible {
        if let Some(g) = group(c) {
            members.entry(g).or_default().push(c);
        }
    }
    let mut counts: HashMap<(HostId, &str), (usize, usize)> = HashMap::new();
    for c in all {
        if let Some(g) = group(c).filter(|g| members.contains_key(g)) {
            let (running, total) = counts.entry(g).or_default();
            *running += usize::from(c.state == ContainerState::Running);
            *total += 1;
        }
    }
    let mut out = Vec::with_capacity(visible.len() + members.len());
    for c in visible {
        let Some(g) = group(c) else {
            out.push(plain(c));
            continue;
        };
        // The group comes whole at its first container; its others are already in.
        let Some(rows) = members.remove(&g) else {
            continue;
        };
        let (running, total) = counts.get(&g).copied().unwrap_or_default();
        let folded = grouping.folded.contains(&(g.0, g.1.to_string()));
        out.push(Entry::Project(Project {
            host: g.0,
            name: g.1,
            key: project_key(g.0, g.1),
            running,
            total,
            shown: rows.len(),
            folded,
            first: c,
        }));
        if !folded {
            out.extend(
                rows.into_iter()
                    .map(|row| Entry::Container { row, grouped: true }),
            );
        }
    }
    out
}

impl App {
    /// The containers pane's rows, as drawn.
    pub fn container_entries(&self) -> Vec<Entry<'_>> {
        let visible = lists::visible_containers(
            &self.containers,
            self.show_all,
            &self.container_filter,
            &self.host_names,
        );
        entries(&self.containers, visible, &self.grouping)
    }

    /// The project whose row is selected: its host and name.
    pub fn selected_project(&self) -> Option<(HostId, String)> {
        let (host, name) = parse_key(self.container_cursor.selected.as_deref()?)?;
        Some((host, name.to_string()))
    }

    /// Every container of a project on a host (stopped ones too, whatever is shown).
    pub fn project_containers(&self, host: HostId, name: &str) -> Vec<&ContainerRow> {
        self.containers
            .iter()
            .filter(|c| in_project(c, host, name))
            .collect()
    }

    /// The selected project's containers as action targets, with the project's name.
    pub(super) fn project_targets(&self) -> Option<(String, Vec<Target>)> {
        let (host, name) = self.selected_project()?;
        let targets = self
            .project_containers(host, &name)
            .into_iter()
            .map(Target::from)
            .collect();
        Some((name, targets))
    }

    /// Folds or unfolds the selected project (from one of its containers too: then the
    /// project's row is selected, as the container goes out of sight).
    pub(super) fn toggle_fold(&mut self) {
        let project = self.selected_project().or_else(|| {
            let c = self.selected_container()?;
            Some((c.host, c.compose.as_ref()?.project.clone()))
        });
        let Some((host, name)) = project else {
            let fold = self.keymap.key_for(super::PaneAction::Fold.into());
            self.activity.refuse(format!(
                "{fold} folds a Compose project: this container belongs to none"
            ));
            return;
        };
        if !self.grouping.on {
            let groups = self.keymap.key_for(super::PaneAction::ToggleGroups.into());
            self.activity.refuse(format!(
                "projects are not grouped now: {groups} groups them"
            ));
            return;
        }
        let group = (host, name);
        if !self.grouping.folded.remove(&group) {
            self.container_cursor.follow(project_key(group.0, &group.1));
            self.grouping.folded.insert(group);
        }
        self.sync_cursors();
    }

    /// Grouping on or off; the selection stays on its container (a project's row, gone,
    /// gives way to its first container).
    pub(super) fn toggle_groups(&mut self) {
        if let Some((host, name)) = self.selected_project()
            && let Some(first) = self.container_entries().iter().find_map(|e| match e {
                Entry::Container { row, .. } if in_project(row, host, &name) => {
                    Some(container_key(row.host, &row.id))
                }
                _ => None,
            })
        {
            self.container_cursor.follow(first);
        }
        self.grouping.on = !self.grouping.on;
        let what = if self.grouping.on {
            "Containers grouped by Compose project"
        } else {
            "Compose projects not grouped"
        };
        self.activity.note(what);
        self.sync_cursors();
    }

    /// Space on a project's row: marks all its containers shown, or unmarks them when all
    /// were marked.
    pub(super) fn mark_project(&mut self, host: HostId, name: &str) {
        let members: Vec<_> = lists::visible_containers(
            &self.containers,
            self.show_all,
            &self.container_filter,
            &self.host_names,
        )
        .filter(|c| in_project(c, host, name))
        .map(|c| crate::app::list::RowKey::new(c.host, c.id.as_str()))
        .collect();
        let unmark = members.iter().all(|id| self.marked.contains(id));
        let changed = members
            .iter()
            .filter(|id| self.marked.contains(*id) == unmark)
            .count();
        if unmark {
            for id in &members {
                self.marked.remove(id);
            }
        } else {
            self.marked.extend(members);
        }
        // One key changed several rows' marks, some perhaps out of view: say how many.
        let verb = if unmark { "Unmarked" } else { "Marked" };
        let noun = if changed == 1 {
            "container"
        } else {
            "containers"
        };
        let project = self.at_host(name, host);
        self.activity.note(format!(
            "{verb} {changed} {noun} of project {project} ({} marked in all)",
            self.marked.len()
        ));
    }
}

/// Whether a container is one of this host's project's.
fn in_project(c: &crate::docker::ContainerRow, host: crate::docker::HostId, name: &str) -> bool {
    c.host == host && c.compose.as_ref().is_some_and(|p| p.project == name)
}
