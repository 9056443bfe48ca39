//! The networks view (`N`, `:networks`): every network with its driver, scope, subnet and
//! gateway, and the containers attached; create, remove (never the predefined ones), connect
//! and disconnect a container, prune, inspect. Network events list them again.

use super::dialog::{Confirm, ConfirmKind, Dialog, Form, Picker};
use super::keymap::NetworksAction;
use super::list::{Column, Kind, List, Width, by_text};
use super::view::{Ctx, Outcome};
use crate::docker::host::{HostAnswer, HostQuery};
use crate::docker::inspect::InspectTarget;
use crate::docker::networks::{NetworkRow, PREDEFINED};
use crate::docker::{EngineEvent, EventKind, HostId, Op, Target};

/// The networks kind.
#[derive(Debug, Clone)]
pub struct Networks;

impl Kind for Networks {
    type Row = NetworkRow;
    type Action = NetworksAction;
    const TITLE: &'static str = "Networks";

    fn columns(&self) -> Vec<Column<NetworkRow>> {
        vec![
            Column::new("NAME", Width::Content(40), 0).sorts(|a, b| by_text(&a.name, &b.name)),
            Column::new("DRIVER", Width::Content(12), 2)
                .sorts(|a, b| by_text(&a.driver, &b.driver)),
            Column::new("SCOPE", Width::Fixed(6), 3).sorts(|a, b| by_text(&a.scope, &b.scope)),
            Column::new("SUBNET / GATEWAY", Width::Content(40), 1),
            Column::new("CONTAINERS", Width::Grow(12), 0)
                .sorts(|a, b| a.containers.len().cmp(&b.containers.len())),
        ]
    }

    fn id(row: &NetworkRow) -> &str {
        &row.id
    }

    fn name(row: &NetworkRow) -> &str {
        &row.name
    }

    fn cells(&self, r: &NetworkRow) -> Vec<String> {
        let attached = match r.containers.len() {
            0 => "—".to_string(),
            n => format!("{n}: {}", r.attached()),
        };
        vec![
            r.name.clone(),
            r.driver.clone(),
            r.scope.clone(),
            subnets(r),
            attached,
        ]
    }

    fn query(&self, _full: bool) -> Option<HostQuery> {
        Some(HostQuery::Networks)
    }

    fn rows(_: &List<Self>, _: HostId, answer: HostAnswer) -> Option<Vec<NetworkRow>> {
        match answer {
            HostAnswer::Networks(rows) => Some(rows),
            _ => None,
        }
    }

    fn concerns(event: &EngineEvent) -> bool {
        event.kind == EventKind::Network || super::list::container_came_or_went(event)
    }

    fn verb(list: &mut List<Self>, action: NetworksAction, cx: &mut Ctx) -> Outcome {
        let needs_row = matches!(
            action,
            NetworksAction::Connect | NetworksAction::Disconnect | NetworksAction::Inspect
        );
        let row = match needs_row {
            true => match list.aim(cx) {
                Some(rows) => rows.into_iter().next().unwrap_or_default(),
                None => return Outcome::stay(),
            },
            false => NetworkRow::default(),
        };
        match action {
            NetworksAction::Close => Outcome::close(),
            NetworksAction::Refresh => list.refresh(cx),
            NetworksAction::Create => list.create(Form::create_network(), cx),
            NetworksAction::Remove => {
                let Some(rows) = list.aim(cx) else {
                    return Outcome::stay();
                };
                let rows: Vec<&NetworkRow> = rows.iter().collect();
                match remove(&rows) {
                    Ok(confirm) => list.room.ask(Dialog::Confirm(confirm), cx),
                    Err(why) => {
                        cx.activity.refuse(why);
                        Outcome::stay()
                    }
                }
            }
            NetworksAction::Connect => list.connect(&row, cx),
            NetworksAction::Disconnect => {
                let items = row
                    .containers
                    .iter()
                    .chain(&row.stopped)
                    .map(|c| {
                        let op = Op::DisconnectNetwork {
                            network: row.name.clone(),
                            container: c.clone(),
                        };
                        (c.name.clone(), op)
                    })
                    .collect();
                list.pick(
                    format!(" Disconnect from {} ", row.name),
                    items,
                    "no container is attached",
                    cx,
                )
            }
            NetworksAction::Prune => {
                list.aim_host();
                let rows: Vec<&NetworkRow> = list.host_rows().collect();
                let confirm = prune(&rows);
                list.room.ask(Dialog::Confirm(confirm), cx)
            }
            NetworksAction::Inspect => list.room.inspect(
                format!("network {}", row.name),
                InspectTarget::Network(row.id.clone()),
            ),
        }
    }
}

/// "172.18.0.0/16 via 172.18.0.1", each IPAM config's.
pub fn subnets(r: &NetworkRow) -> String {
    let parts: Vec<String> = r
        .subnets
        .iter()
        .map(|(subnet, gateway)| match gateway.as_str() {
            "" => subnet.clone(),
            g => format!("{subnet} via {g}"),
        })
        .collect();
    parts.join(", ")
}

impl List<Networks> {
    /// `C`: picks a container of the network's host not attached yet.
    fn connect(&mut self, row: &NetworkRow, cx: &mut Ctx) -> Outcome {
        let items: Vec<(String, Op)> = cx
            .containers
            .iter()
            .map(|r| &r.row)
            // The network's host's containers only (a fleet lists every host's).
            .filter(|c| c.host == self.room.host)
            .filter(|c| {
                !row.containers
                    .iter()
                    .chain(&row.stopped)
                    .any(|a| a.id == c.id)
            })
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
        self.room.ask(Dialog::Pick(Picker::new(title, items)), cx)
    }
}

impl NetworkRow {
    /// "a, b": the names of the containers attached.
    pub fn attached(&self) -> String {
        let names: Vec<&str> = self.containers.iter().map(|c| c.name.as_str()).collect();
        names.join(", ")
    }
}

/// Asks before removing (the marked networks, or the selected one); the predefined networks
/// are refused with the reason.
fn remove(rows: &[&NetworkRow]) -> Result<Confirm, String> {
    if let Some(row) = rows.iter().find(|r| PREDEFINED.contains(&r.name.as_str())) {
        return Err(format!(
            "{} is one of the daemon's predefined networks (bridge, host, none): it cannot be removed",
            row.name
        ));
    }
    let mut lines = Vec::new();
    for row in rows {
        lines.push(format!("Removes network {} ({}).", row.name, row.driver));
        if !row.containers.is_empty() {
            lines.push(format!(
                "Attached: {}. The daemon refuses while containers are attached; disconnect them first.",
                row.attached()
            ));
        }
    }
    let title = match rows {
        [] => return Err("no network selected".into()),
        [one] => format!(" Remove network {}? ", one.name),
        many => format!(" Remove {} networks? ", many.len()),
    };
    let ops = rows
        .iter()
        .map(|r| Op::RemoveNetwork {
            name: r.name.clone(),
        })
        .collect();
    Ok(Confirm::new(title, ConfirmKind::Actions(ops), lines))
}

fn prune(rows: &[&NetworkRow]) -> Confirm {
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
    Confirm::new(
        " Prune unused networks? ",
        ConfirmKind::Actions(vec![Op::PruneNetworks { label: None }]),
        vec![line],
    )
}
