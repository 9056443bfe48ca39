//! The timeline (`~`, `:timeline`): every state change of every container on every host,
//! from the engine events `update` already receives, newest first, as a kind of the generic
//! list. Each moment says who asked for it: the action of dockpit's command log on that
//! container at that time, else "outside dockpit". `Enter` opens the container's logs around
//! that moment. The app keeps the last [`KEPT`] moments (no daemon is asked).
//! A run (`Op::Run`) names no container when it starts: the create's answer tells its id
//! ([`DockerEvent::RunContainer`]), and from then its create and start, whether seen
//! before or after, are credited to the run's line.

use super::App;
use super::keymap::TimelineAction;
use super::list::{Column, Hosted, Kind, List, Tone, Width, by_text};
use super::ring::Ring;
use super::room::Room;
use super::view::{Ctx, Outcome, Then, View};
use crate::docker::{ContainerId, EngineEvent, EventKind, HostId, Op, OpId};

/// The moments kept, every host together; older ones drop off.
pub const KEPT: usize = 5_000;

/// The container events that are a change of its state (`health_status: …` by its prefix).
const CHANGES: [&str; 11] = [
    "create",
    "start",
    "die",
    "stop",
    "kill",
    "oom",
    "pause",
    "unpause",
    "restart",
    "destroy",
    "health_status",
];

/// The words of a moment no action of dockpit's explains.
pub const OUTSIDE: &str = "outside dockpit";

/// An action this long (seconds) after the event it caused still counts as its cause: the
/// events stream and the action's answer arrive in either order.
const ASKED_SLACK: i64 = 2;

/// `Enter`: the logs from this long before the moment (seconds) …
pub const LOGS_BEFORE: i64 = 60;
/// … to this long after it.
pub const LOGS_AFTER: i64 = 10;

/// Up to this many moments, an open timeline follows each event at once; more, once a second.
const LIST_AT_ONCE: usize = 200;

/// The runs whose container is known, kept to credit its create and start: the last few
/// (a run's events come within seconds of its answer).
const RUNS_KEPT: usize = 64;

/// One state change of a container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moment {
    /// Unique among the moments: the order it came in ([`Moment::seq`] as text).
    pub key: String,
    /// The order it came in: events of one second keep it.
    pub seq: u64,
    /// Unix nanoseconds, as the daemon stamped it.
    pub time: i64,
    pub container: String,
    pub id: String,
    pub image: String,
    /// The event's action (`die`, `kill`, …; `health` for `health_status: …`).
    pub what: String,
    pub exit: Option<i64>,
    /// A `kill` event's signal.
    pub signal: String,
    /// A `health_status` event's state.
    pub health: String,
    /// The command log's docker line, or [`OUTSIDE`].
    pub asked: String,
}

impl Moment {
    pub fn secs(&self) -> i64 {
        self.time.div_euclid(1_000_000_000)
    }
}

/// Every host's moments, oldest first.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub moments: Ring<Hosted<Moment>>,
    next: u64,
    /// The open list shows fewer moments than there are (made again on the next tick).
    stale: bool,
    /// The last runs' containers (id) and the run (its command log entry).
    runs: Ring<(String, OpId)>,
}

impl Default for Timeline {
    fn default() -> Self {
        Self {
            moments: Ring::new(KEPT),
            next: 0,
            stale: false,
            runs: Ring::new(RUNS_KEPT),
        }
    }
}

impl Timeline {
    /// A container event that is a state change, as a moment (`asked` still to fill).
    pub fn moment(&mut self, event: &EngineEvent) -> Option<Moment> {
        let (what, health) = match event.action.split_once(": ") {
            Some((what, health)) => (what, health),
            None => (event.action.as_str(), ""),
        };
        if event.kind != EventKind::Container || !CHANGES.contains(&what) {
            return None;
        }
        // The state is in HEALTH; "health" is a shorter word than the daemon's.
        let what = what.strip_suffix("_status").unwrap_or(what);
        self.next += 1;
        Some(Moment {
            key: self.next.to_string(),
            seq: self.next,
            time: event.time,
            container: event.actor().to_string(),
            id: event.actor_id.clone(),
            image: event.attribute("image").to_string(),
            what: what.to_string(),
            exit: event.attribute("exitCode").parse().ok(),
            signal: event.attribute("signal").to_string(),
            health: health.to_string(),
            asked: String::new(),
        })
    }

    /// A container's moments, newest first.
    pub fn of(&self, host: HostId, id: &str) -> Vec<&Moment> {
        (self.moments.iter().rev())
            .filter(|m| m.host == host && m.row.id == id)
            .map(|m| &m.row)
            .collect()
    }
}

/// The state changes an action of dockpit's makes its container go through (a start from
/// outside just after a stop is not the stop's).
fn causes(op: &Op) -> &'static [&'static str] {
    match op {
        Op::Start(_) => &["start"],
        Op::Stop { .. } => &["kill", "die", "stop"],
        Op::Kill { .. } => &["kill", "die"],
        Op::Restart(_) => &["kill", "die", "stop", "start", "restart"],
        Op::Pause(_) => &["pause"],
        Op::Unpause(_) => &["unpause"],
        Op::RemoveContainer { .. } => &["kill", "die", "destroy"],
        // The old container stopped and removed (the new one has another id).
        Op::Recreate { .. } => &["kill", "die", "stop", "destroy"],
        // Its container, once the create's answer named it; a `run -it`'s start is its
        // attach session's, a moment after.
        Op::Run(_) => &["create", "start"],
        _ => &[],
    }
}

/// A container's inspect view's timeline tab: its moments as lines, made again as they come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineTab {
    pub host: HostId,
    pub id: String,
    pub lines: Vec<String>,
}

/// The timeline kind.
#[derive(Debug, Clone)]
pub struct TimelineList {
    /// Seconds east of UTC, for the TIME column.
    pub utc_offset: i32,
}

/// The TIME column: newest first when the list opens.
const TIME_COLUMN: usize = 5;

/// `hh:mm:ss` of a moment, in the local time.
pub fn clock(secs: i64, utc_offset: i32) -> String {
    chrono::DateTime::from_timestamp(secs + i64::from(utc_offset), 0)
        .map(|t| t.format("%H:%M:%S").to_string())
        .unwrap_or_default()
}

/// A moment's cells after its time and container: what, exit, signal, health, who asked.
pub fn said(m: &Moment) -> [String; 5] {
    [
        m.what.clone(),
        m.exit.map(|c| c.to_string()).unwrap_or_default(),
        m.signal.clone(),
        m.health.clone(),
        m.asked.clone(),
    ]
}

impl Kind for TimelineList {
    type Row = Moment;
    type Action = TimelineAction;
    const TITLE: &'static str = "Timeline";

    fn columns(&self) -> Vec<Column<Moment>> {
        vec![
            Column::new("CONTAINER", Width::Content(32), 0)
                .sorts(|a, b| by_text(&a.container, &b.container)),
            Column::new("EVENT", Width::Content(8), 0).sorts(|a, b| by_text(&a.what, &b.what)),
            Column::new("EXIT", Width::Content(4), 1).sorts(|a, b| a.exit.cmp(&b.exit)),
            Column::new("SIGNAL", Width::Content(6), 1),
            Column::new("HEALTH", Width::Content(9), 1),
            // Last of the sortable columns: `>` from the opening sort goes to CONTAINER.
            Column::new("TIME", Width::Fixed(8), 0)
                .sorts(|a, b| (a.time, a.seq).cmp(&(b.time, b.seq))),
            Column::new("ASKED BY", Width::Grow(20), 1),
        ]
    }

    fn id(row: &Moment) -> &str {
        &row.key
    }

    fn name(row: &Moment) -> &str {
        &row.container
    }

    fn cells(&self, m: &Moment) -> Vec<String> {
        let [what, exit, signal, health, asked] = said(m);
        let time = clock(m.secs(), self.utc_offset);
        vec![m.container.clone(), what, exit, signal, health, time, asked]
    }

    fn tone(&self, m: &Moment) -> Option<(usize, Tone)> {
        let died = m.what == "die" && m.exit.unwrap_or(0) != 0;
        let bad = died || m.what == "oom" || m.health == "unhealthy";
        bad.then_some((1, Tone::Bad))
    }

    // The app keeps the moments: no daemon is asked.

    fn verb(list: &mut List<Self>, action: TimelineAction, cx: &mut Ctx) -> Outcome {
        match action {
            TimelineAction::Close => Outcome::close(),
            TimelineAction::Logs => match list.selected() {
                Some(r) => Outcome::stay().then(Then::LogsAround {
                    host: r.host,
                    id: r.row.id.clone().into(),
                    name: r.row.container.clone(),
                    time: r.row.time,
                }),
                None => {
                    cx.activity.refuse("no moment selected");
                    Outcome::stay()
                }
            },
        }
    }
}

impl App {
    /// `~`, `:timeline`: every host's moments, newest first.
    pub(super) fn open_timeline(&mut self) {
        let kind = TimelineList {
            utc_offset: self.prefs.utc_offset,
        };
        let mut list = List::new(kind, Room::new(self.view_id(), self.active_host()));
        list.room.loading = false;
        list.sort = Some((TIME_COLUMN, true));
        self.view = Some(View::List(Box::new(list)));
        self.refresh_timeline();
    }

    /// A daemon event of `host`: a state change of a container goes on the timeline, with
    /// who asked for it.
    pub(super) fn timeline_event(&mut self, host: HostId, event: &EngineEvent) {
        let Some(mut moment) = self.timeline.moment(event) else {
            return;
        };
        moment.asked = self.asked(&moment);
        let id = moment.id.clone();
        self.timeline.moments.push(Hosted { host, row: moment });
        self.refresh_timeline_tab(host, &id);
        if self.timeline.moments.len() <= LIST_AT_ONCE {
            self.refresh_timeline();
        } else {
            self.timeline.stale = true;
        }
    }

    /// The command log's action on the moment's container that was running then (or had
    /// just ended): its docker line; else [`OUTSIDE`].
    fn asked(&self, m: &Moment) -> String {
        let at = m.secs();
        let on = |e: &&super::activity::Entry| {
            let end = match &e.outcome {
                super::activity::EntryState::Running => at,
                super::activity::EntryState::Done { elapsed, .. } => {
                    e.started + i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX / 2)
                }
            };
            let target = match &e.op {
                Op::Run(_) => (self.timeline.runs.iter()).any(|r| r.0 == m.id && r.1 == e.id),
                op => op.container().is_some_and(|t| t.id.as_str() == m.id),
            };
            let caused = causes(&e.op).contains(&m.what.as_str());
            target && caused && e.started - 1 <= at && at <= end + ASKED_SLACK
        };
        (self.activity.entries.iter().rev())
            .find(on)
            .map_or_else(|| OUTSIDE.to_string(), |e| e.cli.clone())
    }

    /// Run `op`'s container is `container` on `host`: its create and start seen already
    /// are the run's (those still to come are found by [`App::asked`]).
    pub(super) fn timeline_run(&mut self, host: HostId, op: OpId, container: &ContainerId) {
        let id = container.as_str().to_string();
        self.timeline.runs.push((id.clone(), op));
        let credits: Vec<(usize, String)> = (self.timeline.moments.iter().enumerate())
            .filter(|(_, m)| m.host == host && m.row.id == id && m.row.asked == OUTSIDE)
            .map(|(i, m)| (i, self.asked(&m.row)))
            .filter(|(_, asked)| asked != OUTSIDE)
            .collect();
        let credited = !credits.is_empty();
        // In order: one pass over the moments.
        let mut moments = self.timeline.moments.iter_mut().enumerate();
        for (i, asked) in credits {
            if let Some((_, m)) = moments.find(|(j, _)| *j == i) {
                m.row.asked = asked;
            }
        }
        if credited {
            self.refresh_timeline_tab(host, &id);
            self.refresh_timeline();
        }
    }

    /// The inspect view's timeline tab of container `id` on `host`: a table, newest first.
    pub(super) fn timeline_tab(&self, host: HostId, id: &str) -> TimelineTab {
        let moments = self.timeline.of(host, id);
        let lines = match moments.is_empty() {
            true => vec!["no state change seen since dockpit started".into()],
            false => {
                let titles = ["TIME", "EVENT", "EXIT", "SIGNAL", "HEALTH", "ASKED BY"];
                let rows: Vec<Vec<String>> = (moments.iter())
                    .map(|m| {
                        let mut row = vec![clock(m.secs(), self.prefs.utc_offset)];
                        row.extend(said(m));
                        row
                    })
                    .collect();
                super::inspect::table(&titles.map(String::from), &rows)
            }
        };
        TimelineTab {
            host,
            id: id.to_string(),
            lines,
        }
    }

    /// An inspect view open on the moment's container: its timeline tab follows.
    fn refresh_timeline_tab(&mut self, host: HostId, id: &str) {
        let shown = (self.view.as_ref())
            .and_then(|v| match v {
                View::Inspect(i) => i.timeline.as_ref(),
                _ => None,
            })
            .is_some_and(|t| t.host == host && t.id == id);
        if !shown {
            return;
        }
        let tab = self.timeline_tab(host, id);
        if let Some(View::Inspect(view)) = &mut self.view {
            view.timeline = Some(tab);
        }
    }

    /// Each second: a long timeline, open, made again.
    pub(super) fn timeline_tick(&mut self) {
        if std::mem::take(&mut self.timeline.stale) {
            self.refresh_timeline();
        }
    }

    /// The timeline, open or under the view open, shows every moment kept.
    fn refresh_timeline(&mut self) {
        let mut views = self.view.iter().chain(self.stack.iter());
        if !views.any(|v| v.list_of::<TimelineList>().is_some()) {
            return;
        }
        let rows: Vec<Hosted<Moment>> = self.timeline.moments.iter().cloned().collect();
        let page = crate::layout::view_page(&self.areas());
        let views = self.view.iter_mut().chain(self.stack.iter_mut());
        if let Some(list) = views.filter_map(View::list_of_mut::<TimelineList>).next() {
            list.replace(rows, page, &self.host_names);
        }
    }

    /// `Enter` on a moment: the container's logs from [`LOGS_BEFORE`] before it to
    /// [`LOGS_AFTER`] after, over the timeline.
    pub(super) fn open_logs_around(
        &mut self,
        host: crate::docker::HostId,
        id: ContainerId,
        name: &str,
        time: i64,
    ) -> Vec<super::effects::Routed> {
        let secs = time.div_euclid(1_000_000_000);
        // A removed container's logs went with it: say so rather than show "no output".
        let removed = (self.timeline.of(host, id.as_str()).into_iter())
            .find(|m| m.what == "destroy")
            .map(Moment::secs);
        if let Some(at) = removed {
            let at = clock(at, self.prefs.utc_offset);
            let name = self.at_host(name, host);
            self.activity
                .refuse(format!("{name} was removed at {at}: its logs went with it"));
            return Vec::new();
        }
        let title = format!("{name} at {}", clock(secs, self.prefs.utc_offset));
        let stream = self.view_id();
        // No container on its source: a moment's logs do not go on with a later start.
        let view = super::logs::LogView::new(stream, host, title, self.prefs.log_lines)
            .with_byte_budget(self.prefs.log_bytes);
        self.push_view(View::Logs(Box::new(view)));
        let follow = crate::docker::Command::FollowLogs {
            id: stream,
            container: id,
            tail: super::logs::TAIL,
            since: Some((secs - LOGS_BEFORE).to_string()),
            until: Some((secs + LOGS_AFTER).to_string()),
        };
        vec![(host, follow)]
    }
}
