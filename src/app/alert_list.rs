//! The alerts list (`!`, `:alerts`) as a list kind: every alert raised and not cleared, on
//! every host, newest first; its rows come from the app's [`super::alerts::Alerts`] (no
//! daemon is asked). `Enter` selects the alert's container in the containers pane; `d` puts
//! the selected (or marked) alerts away.

use super::App;
use super::keymap::AlertsAction;
use super::list::{Column, Hosted, Kind, List, Tone, Width, by_text};
use super::room::Room;
use super::view::{Ctx, Outcome, Then, View};
use crate::docker::{ContainerId, HostId};

/// The alerts kind.
#[derive(Debug, Clone)]
pub struct AlertList {
    /// Seconds east of UTC, for the TIME column.
    pub utc_offset: i32,
}

/// An alert as the list shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertLine {
    /// Unique among one host's rows: the container's id and the alert's kind.
    pub key: String,
    pub kind: &'static str,
    /// The container's name ("" for a host's alert), id and image.
    pub container: String,
    pub id: String,
    pub image: String,
    /// The host's name, as the alert says it.
    pub host: String,
    pub count: u32,
    /// Unix seconds: last raised.
    pub last: i64,
    pub message: String,
}

/// The TIME column: newest first when the list opens.
const TIME_COLUMN: usize = 4;

impl Kind for AlertList {
    type Row = AlertLine;
    type Action = AlertsAction;
    const TITLE: &'static str = "Alerts";

    fn columns(&self) -> Vec<Column<AlertLine>> {
        vec![
            Column::new("CONTAINER", Width::Content(32), 0)
                .sorts(|a, b| by_text(&a.container, &b.container)),
            Column::new("ALERT", Width::Content(12), 0).sorts(|a, b| by_text(a.kind, b.kind)),
            Column::new("COUNT", Width::Content(6), 2).sorts(|a, b| a.count.cmp(&b.count)),
            Column::new("IMAGE", Width::Content(28), 3).sorts(|a, b| by_text(&a.image, &b.image)),
            // Last of the sortable columns: `>` from the opening sort goes to CONTAINER.
            Column::new("TIME", Width::Fixed(8), 1).sorts(|a, b| a.last.cmp(&b.last)),
            Column::new("MESSAGE", Width::Grow(20), 1),
        ]
    }

    fn id(row: &AlertLine) -> &str {
        &row.key
    }

    fn name(row: &AlertLine) -> &str {
        &row.container
    }

    fn cells(&self, r: &AlertLine) -> Vec<String> {
        let time = chrono::DateTime::from_timestamp(r.last + i64::from(self.utc_offset), 0)
            .map(|t| t.format("%H:%M:%S").to_string())
            .unwrap_or_default();
        vec![
            r.container.clone(),
            r.kind.to_string(),
            r.count.to_string(),
            r.image.clone(),
            time,
            r.message.clone(),
        ]
    }

    fn tone(&self, _row: &AlertLine) -> Option<(usize, Tone)> {
        Some((1, Tone::Bad))
    }

    // The app keeps the alerts: no daemon is asked.

    fn verb(list: &mut List<Self>, action: AlertsAction, cx: &mut Ctx) -> Outcome {
        match action {
            AlertsAction::Close => Outcome::close(),
            AlertsAction::Dismiss => {
                let targets: Vec<(HostId, AlertLine)> = (list.targets().into_iter())
                    .map(|r| (r.host, r.row.clone()))
                    .collect();
                if targets.is_empty() {
                    cx.activity.refuse("no alert selected");
                    return Outcome::stay();
                }
                list.marks.clear();
                Outcome::stay().then(Then::DismissAlerts(
                    targets.into_iter().map(|(_, r)| r).collect(),
                ))
            }
            AlertsAction::Open => match list.selected() {
                Some(r) if !r.row.id.is_empty() => Outcome::close().then(Then::ShowContainer {
                    host: r.host,
                    id: r.row.id.clone().into(),
                    name: r.row.container.clone(),
                }),
                Some(_) => {
                    cx.activity
                        .refuse("a host's alert: it has no container to go to");
                    Outcome::stay()
                }
                None => {
                    cx.activity.refuse("no alert selected");
                    Outcome::stay()
                }
            },
        }
    }
}

impl App {
    /// `!`: the alerts, newest first.
    pub(super) fn open_alerts(&mut self) {
        let kind = AlertList {
            utc_offset: self.prefs.utc_offset,
        };
        let mut list = List::new(kind, Room::new(self.view_id(), self.active_host()));
        list.room.loading = false;
        list.sort = Some((TIME_COLUMN, true));
        self.view = Some(View::List(Box::new(list)));
        self.refresh_alert_list();
    }

    /// The alerts list, open or under the view open, shows the alerts as they are now.
    pub(super) fn refresh_alert_list(&mut self) {
        let mut views = self.view.iter().chain(self.stack.iter());
        if !views.any(|v| v.list_of::<AlertList>().is_some()) {
            return;
        }
        let rows = self.alert_lines();
        let page = crate::layout::view_page(&self.areas());
        let views = self.view.iter_mut().chain(self.stack.iter_mut());
        if let Some(list) = views.filter_map(View::list_of_mut::<AlertList>).next() {
            list.replace(rows, page, &self.host_names);
        }
    }

    fn alert_lines(&self) -> Vec<Hosted<AlertLine>> {
        (self.alerts.watch.active().into_iter())
            .filter_map(|a| {
                let host = self.alerted_host(&a.host)?;
                let row = AlertLine {
                    key: format!("{}|{}", a.id, a.kind.name()),
                    kind: a.kind.name(),
                    container: a.container.clone(),
                    id: a.id.clone(),
                    image: a.image.clone(),
                    host: a.host.clone(),
                    count: a.count,
                    last: a.last,
                    // With several hosts the HOST column names it.
                    message: a.what(),
                };
                Some(Hosted { host, row })
            })
            .collect()
    }

    /// `d` in the alerts list: those alerts put away.
    pub(super) fn dismiss_alerts(&mut self, lines: &[AlertLine]) {
        let gone = (lines.iter())
            .filter(|l| {
                (self.alerts.watch)
                    .dismiss(&l.host, &l.id, l.kind, self.now)
                    .is_some()
            })
            .count();
        self.activity.note(format!(
            "Put away {}",
            crate::format::plural(gone, "alert", "alerts")
        ));
        self.refresh_alert_list();
    }

    /// `Enter` on an alert: its container selected in the containers pane.
    pub(super) fn show_alerted(&mut self, host: HostId, id: ContainerId, name: &str) {
        if !(self.containers.rows()).any(|c| c.host == host && c.id == id) {
            self.activity
                .refuse(format!("{name} is not listed any more (removed?)"));
            return;
        }
        if !self.show_container(&id) {
            self.activity.refuse(format!(
                "{name} is hidden in the containers pane (a folded project?)"
            ));
        }
    }
}
