//! Every list kind, registered once (as k9s's `registry.go`): the name its opening key is
//! bound to (`[keys.global] volumes = "V"`), its command-line names, and how it opens.
//! Everything else about a kind is in its own file ([`super::list::Kind`]) and its keys in
//! the keymap.

use super::App;
use super::disk_usage::Disk;
use super::networks::Networks;
use super::volumes::Volumes;

/// A registered list kind.
pub struct Registered {
    /// Its opening key's action name ([`super::keymap::PaneAction::List`]).
    pub name: &'static str,
    /// `:volumes`, `:vol`: the first is the one completion writes.
    pub commands: &'static [&'static str],
    /// It lists what a daemon answers (else it opens with none connected, as the hosts do).
    pub needs_docker: bool,
    /// Opens it over the panes; its requests to the hosts.
    pub open: fn(&mut App) -> Vec<super::effects::Routed>,
}

pub const KINDS: [Registered; 9] = [
    Registered {
        name: "hosts",
        commands: &["hosts", "ctx", "contexts"],
        needs_docker: false,
        open: |app| {
            app.open_hosts();
            Vec::new()
        },
    },
    Registered {
        name: "volumes",
        commands: &["volumes", "vol"],
        needs_docker: true,
        open: |app| app.open_list(Volumes),
    },
    Registered {
        name: "networks",
        commands: &["networks", "net"],
        needs_docker: true,
        open: |app| app.open_list(Networks),
    },
    Registered {
        name: "disk-usage",
        commands: &["df", "disk"],
        needs_docker: true,
        open: |app| app.open_list(Disk),
    },
    Registered {
        name: "top-view",
        commands: &["top"],
        needs_docker: true,
        open: |app| app.open_top(),
    },
    Registered {
        name: "compose",
        commands: &["compose", "projects"],
        // Projects whose files are here list without a daemon too.
        needs_docker: false,
        open: |app| {
            app.open_projects();
            Vec::new()
        },
    },
    Registered {
        name: "builds",
        commands: &["builds"],
        needs_docker: false,
        open: |app| {
            app.open_builds();
            Vec::new()
        },
    },
    Registered {
        name: "alerts",
        commands: &["alerts"],
        needs_docker: false,
        open: |app| {
            app.open_alerts();
            Vec::new()
        },
    },
    Registered {
        name: "timeline",
        commands: &["timeline"],
        needs_docker: false,
        open: |app| {
            app.open_timeline();
            Vec::new()
        },
    },
];

/// Whether the kind registered as `name` needs a connected daemon.
pub fn needs_docker(name: &str) -> bool {
    KINDS.iter().any(|k| k.name == name && k.needs_docker)
}

impl App {
    /// Opens the kind registered as `name` (a key in the keymap names no other).
    pub(super) fn open_kind(&mut self, name: &str) -> Vec<super::effects::Routed> {
        match KINDS.iter().find(|k| k.name == name) {
            Some(kind) => (kind.open)(self),
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::{Action, Keymap, PaneAction};

    /// Each kind's opening key is bound, and each bound list key opens a kind.
    #[test]
    fn every_kind_has_a_key_and_every_list_key_a_kind() {
        let keymap = Keymap::default();
        let bound: Vec<&str> = (keymap.bindings.iter())
            .filter_map(|b| match b.action {
                Action::Pane(PaneAction::List(name)) => Some(name),
                _ => None,
            })
            .collect();
        let registered: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        assert_eq!(bound, registered);
    }
}
