//! The networks view (`N`, `:networks`): every network with its driver, scope, subnet and
//! gateway, and the containers attached; create, remove (never the predefined ones), connect
//! and disconnect a container, prune, inspect. Network events list them again.

use crossterm::event::KeyEvent;

use super::App;
use super::dialog::{Confirm, ConfirmKind, Dialog, Form, Picker};
use super::keymap::NetworksAction;
use super::room::Room;
use super::view::{Ctx, Outcome, View};
use crate::docker::host::HostQuery;
use crate::docker::inspect::InspectTarget;
use crate::docker::networks::{NetworkRow, PREDEFINED};
use crate::docker::{Command, Op, Target};

#[derive(Debug, Clone)]
pub struct NetworksView {
    pub room: Room,
    pub rows: Vec<NetworkRow>,
}

impl NetworksView {
    pub fn query(&self) -> Command {
        Command::Host {
            id: self.room.id,
            query: HostQuery::Networks,
        }
    }

    pub fn selected(&self) -> Option<&NetworkRow> {
        let id = self.room.cursor.selected.as_deref()?;
        self.rows.iter().find(|r| r.id == id)
    }

    pub fn answer(&mut self, rows: Vec<NetworkRow>, height: usize) {
        self.rows = rows;
        self.room
            .sync(self.rows.iter().map(|r| r.id.as_str()), height);
    }

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        if let Some(outcome) = self.room.overlay_key(key, cx) {
            return outcome;
        }
        let action = cx.keymap.get(key);
        let needs_row = matches!(
            action,
            Some(
                NetworksAction::Remove
                    | NetworksAction::Connect
                    | NetworksAction::Disconnect
                    | NetworksAction::Inspect
            )
        );
        let row = self.selected().cloned();
        let row = match row {
            Some(row) => row,
            None if needs_row => {
                cx.activity.refuse("no network selected");
                return Outcome::stay();
            }
            None => NetworkRow::default(),
        };
        match action {
            Some(NetworksAction::Close) => Outcome::close(),
            Some(NetworksAction::NextHost) => match self.room.next_host(cx) {
                Some(_) => {
                    self.rows.clear();
                    Outcome::stay().docker(self.query())
                }
                None => Outcome::stay(),
            },
            Some(NetworksAction::Refresh) => {
                self.room.loading = true;
                Outcome::stay().docker(self.query())
            }
            Some(NetworksAction::Create) => self.room.ask(Dialog::Form(Form::create_network()), cx),
            Some(NetworksAction::Remove) => match remove(&row) {
                Ok(confirm) => self.room.ask(Dialog::Confirm(confirm), cx),
                Err(why) => {
                    cx.activity.refuse(why);
                    Outcome::stay()
                }
            },
            Some(NetworksAction::Connect) => {
                let items: Vec<(String, Op)> = cx
                    .containers
                    .iter()
                    // The network's host's containers only (a fleet lists every host's).
                    .filter(|c| c.host == self.room.host)
                    .filter(|c| !row.containers.iter().any(|a| a.id == c.id))
                    .map(|c| {
                        let op = Op::ConnectNetwork {
                            network: row.name.clone(),
                            container: Target::from(c),
                        };
                        (c.name.clone(), op)
                    })
                    .collect();
                self.pick(
                    format!(" Connect to {} ", row.name),
                    items,
                    "every container is attached already",
                    cx,
                )
            }
            Some(NetworksAction::Disconnect) => {
                let items = row
                    .containers
                    .iter()
                    .map(|c| {
                        let op = Op::DisconnectNetwork {
                            network: row.name.clone(),
                            container: c.clone(),
                        };
                        (c.name.clone(), op)
                    })
                    .collect();
                self.pick(
                    format!(" Disconnect from {} ", row.name),
                    items,
                    "no container is attached",
                    cx,
                )
            }
            Some(NetworksAction::Prune) => {
                let confirm = prune(&self.rows);
                self.room.ask(Dialog::Confirm(confirm), cx)
            }
            Some(NetworksAction::Inspect) => self.room.inspect(
                format!("network {}", row.name),
                InspectTarget::Network(row.id.clone()),
            ),
            None => {
                let keys: Vec<String> = self.rows.iter().map(|r| r.id.clone()).collect();
                self.room.nav(key, cx, keys.iter().map(String::as_str));
                Outcome::stay()
            }
        }
    }

    fn pick(
        &mut self,
        title: String,
        items: Vec<(String, Op)>,
        none: &str,
        cx: &mut Ctx,
    ) -> Outcome {
        if items.is_empty() {
            cx.activity.refuse(format!("{}: {none}", title.trim()));
            return Outcome::stay();
        }
        let picker = Picker {
            title,
            items,
            index: 0,
        };
        self.room.ask(Dialog::Pick(picker), cx)
    }
}

impl NetworkRow {
    /// "a, b": the names of the containers attached.
    pub fn attached(&self) -> String {
        let names: Vec<&str> = self.containers.iter().map(|c| c.name.as_str()).collect();
        names.join(", ")
    }
}

/// Asks before removing; the predefined networks are refused with the reason.
fn remove(row: &NetworkRow) -> Result<Confirm, String> {
    if PREDEFINED.contains(&row.name.as_str()) {
        return Err(format!(
            "{} is one of the daemon's predefined networks (bridge, host, none): it cannot be removed",
            row.name
        ));
    }
    let mut lines = vec![format!("Removes network {} ({}).", row.name, row.driver)];
    if !row.containers.is_empty() {
        lines.push(format!(
            "Attached: {}. The daemon refuses while containers are attached; disconnect them first.",
            row.attached()
        ));
    }
    Ok(Confirm {
        title: format!(" Remove network {}? ", row.name),
        kind: ConfirmKind::Actions(vec![Op::RemoveNetwork {
            name: row.name.clone(),
        }]),
        lines,
        choices: vec![],
    })
}

fn prune(rows: &[NetworkRow]) -> Confirm {
    let unused: Vec<&str> = rows
        .iter()
        .filter(|r| r.containers.is_empty() && !PREDEFINED.contains(&r.name.as_str()))
        .map(|r| r.name.as_str())
        .collect();
    let line = match unused.as_slice() {
        [] => "No network is unused now: nothing to remove.".to_string(),
        names => format!(
            "Removes {} no container uses: {}.",
            crate::format::plural(names.len(), "network", "networks"),
            names.join(", ")
        ),
    };
    Confirm {
        title: " Prune unused networks? ".into(),
        kind: ConfirmKind::Actions(vec![Op::PruneNetworks { label: None }]),
        lines: vec![line],
        choices: vec![],
    }
}

impl App {
    pub(super) fn open_networks(&mut self) -> Vec<Command> {
        let view = NetworksView {
            room: Room::new(self.view_id(), self.active_host()),
            rows: Vec::new(),
        };
        let query = view.query();
        self.view = Some(View::Networks(Box::new(view)));
        vec![query]
    }
}
