//! Compose projects in the containers pane: the containers of a project listed under a
//! row of its own, which folds and unfolds; per host, so a project on two hosts is two
//! groups. The project row stands for all of its containers: lifecycle actions, removal
//! and logs act on every one of them.

use std::collections::HashMap;

use super::App;
use super::container_list::Containers;
use super::list::{Hosted, Kind, Line};
use crate::docker::{ContainerRow, ContainerState, HostId, Target};

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
    pub fn container(&self) -> Option<&ContainerRow> {
        match self {
            Entry::Container { row, .. } => Some(row),
            Entry::Project(_) => None,
        }
    }
}

/// The cursor's key for a project on a host.
pub fn project_key(host: HostId, name: &str) -> String {
    crate::app::list::group_key(host, name).text()
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

/// The pane's lines as the containers pane draws them: each project's row counts all of its
/// containers on its host (`all`), whatever the filter shows.
fn entries<'a>(
    all: &'a [Hosted<ContainerRow>],
    lines: Vec<Line<'a, ContainerRow>>,
) -> Vec<Entry<'a>> {
    let projects = lines.iter().filter(|l| matches!(l, Line::Group(_))).count();
    // Most hosts have no project at all: then nothing is counted.
    let mut counts: HashMap<(HostId, &str), (usize, usize)> = HashMap::with_capacity(projects);
    if projects > 0 {
        for l in &lines {
            if let Line::Group(g) = l {
                counts.insert((g.host, g.name), (0, 0));
            }
        }
        for c in all {
            let group = Containers::group(&c.row).map(|g| (c.host, g));
            if let Some((running, total)) = group.and_then(|g| counts.get_mut(&g)) {
                *running += usize::from(c.row.state == ContainerState::Running);
                *total += 1;
            }
        }
    }
    (lines.into_iter())
        .filter_map(|l| match l {
            Line::Row { row, grouped } => Some(Entry::Container {
                row: &row.row,
                grouped,
            }),
            Line::Group(g) => {
                let (running, total) = counts.get(&(g.host, g.name)).copied()?;
                Some(Entry::Project(Project {
                    host: g.host,
                    name: g.name,
                    key: project_key(g.host, g.name),
                    running,
                    total,
                    shown: g.members.len(),
                    folded: g.folded,
                    first: &g.members.first()?.row,
                }))
            }
        })
        .collect()
}

impl App {
    /// The containers pane's rows, as drawn.
    pub fn container_entries(&self) -> Vec<Entry<'_>> {
        let lines = self.containers.lines(&self.host_names);
        entries(&self.containers.rows, lines)
    }

    /// The project whose row is selected: its host and name.
    pub fn selected_project(&self) -> Option<(HostId, String)> {
        let (host, name) = self.containers.selected_group()?;
        Some((host, name.to_string()))
    }

    /// Every container of a project on a host (stopped ones too, whatever is shown).
    pub fn project_containers(&self, host: HostId, name: &str) -> Vec<&ContainerRow> {
        self.containers
            .rows()
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
        if !self.containers.groups.on {
            let groups = self.keymap.key_for(super::PaneAction::ToggleGroups.into());
            self.activity.refuse(format!(
                "projects are not grouped now: {groups} groups them"
            ));
            return;
        }
        let page = self.rows_in_view(super::Pane::Containers);
        (self.containers).fold(host, &name, page, &self.host_names);
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
            self.containers.room.cursor.follow(first);
        }
        self.containers.groups.on = !self.containers.groups.on;
        let what = if self.containers.groups.on {
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
        let members: Vec<_> = (self.visible_containers().into_iter())
            .filter(|c| in_project(c, host, name))
            .map(|c| crate::app::list::RowKey::new(c.host, c.id.as_str()))
            .collect();
        let unmark = members.iter().all(|id| self.containers.marks.contains(id));
        let changed = members
            .iter()
            .filter(|id| self.containers.marks.contains(*id) == unmark)
            .count();
        if unmark {
            for id in &members {
                self.containers.marks.remove(id);
            }
        } else {
            self.containers.marks.extend(members);
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
            self.containers.marks.len()
        ));
    }
}

/// Whether a container is one of this host's project's.
fn in_project(c: &crate::docker::ContainerRow, host: crate::docker::HostId, name: &str) -> bool {
    c.host == host && c.compose.as_ref().is_some_and(|p| p.project == name)
}
