//! The columns a list draws: its kind's columns ([`super::list::Column`]) sized to the rows
//! in view, by the same width rules for every list view and both panes. Drawing lays them
//! out and the mouse finds the header under a click from the same `Vec`
//! ([`crate::layout::table`]), so the two never disagree.

use ratatui::layout::Constraint;

use super::App;
use super::compose::Entry;
use super::container_list::{CPU, HEALTH, HOST, IMAGE, MEM, NAME, PORTS, RESTARTS, STATUS, UPDATE};
use super::image_list::{self, NONE};
use super::list::{Kind, Shown, Width};
use super::lists::SortBy;
use super::updates::Mark;
use crate::docker::health::Health;
use crate::docker::{ContainerRow, HostId, ImageRow};
use crate::format::{ago, created_ago};
use crate::layout::table::{self, Column, HIDDEN, column, wider, widest, widest_of};

/// A column's width by its kind's rule, over the texts of its cells in view; `sign`: cells
/// more for what the first column's cells carry (a mark, a project's indent).
pub fn sized<'a>(
    width: Width,
    header: &str,
    values: impl Iterator<Item = &'a str>,
    sign: u16,
) -> Constraint {
    let [measured] = widest_of([header], [cap(width)], values, |v| [v]);
    ruled(width, measured, sign)
}

/// The most a column sized by its content measures (none for the others).
fn cap(width: Width) -> usize {
    match width {
        Width::Content(cap) | Width::Fit(cap) => usize::from(cap),
        Width::Fixed(_) | Width::Grow(_) => 0,
    }
}

/// A column's width by its kind's rule, its widest cell `measured` (within [`cap`]).
fn ruled(width: Width, measured: u16, sign: u16) -> Constraint {
    match width {
        Width::Fixed(n) => Constraint::Length(n + sign),
        Width::Content(_) => Constraint::Length(measured + sign),
        // At least this, and whatever room the others leave.
        Width::Grow(min) => Constraint::Min(min),
        Width::Fit(_) => Constraint::Min(measured + sign),
    }
}

/// `width` when `shown`, else none at all.
fn when(shown: bool, width: Constraint) -> Constraint {
    if shown { width } else { HIDDEN }
}

impl App {
    /// The HOST column's width: its longest name with several hosts; with one it never shows.
    pub fn host_width(&self) -> Constraint {
        let names = self.hosts.iter().map(|h| h.spec.name.as_str());
        when(self.fleet(), widest("HOST", names, 20))
    }

    /// A list view's columns, HOST first (shown with several hosts), sized to the cells
    /// shown; a column whose cells are cut at its cap (a volume's 64-hex name) takes the room
    /// the others leave.
    pub fn list_columns(&self, shown: &Shown) -> Vec<Column> {
        let pane = self.areas().view.width;
        let cells =
            |i: usize| (shown.lines.iter()).filter_map(move |l| l.cells.get(i).map(String::as_str));
        let widest = |i: usize, cap: u16| widest_of([""], [usize::from(cap)], cells(i), |v| [v])[0];
        let mut columns = vec![column("HOST", when(shown.hosted, self.host_width()), 0)];
        // The columns cut at their cap, with their widest cell (measured whole only then: a
        // pass over every row stops at the cap otherwise).
        let mut cut = Vec::new();
        for (i, head) in shown.heads.iter().enumerate() {
            // Empty on every row shown: it takes no room (issue 25.1).
            let blank = !shown.lines.is_empty()
                && (shown.lines.iter()).all(|l| l.cells.get(i).is_none_or(String::is_empty));
            // The first column carries a marked row's sign: room for it, not a cut value.
            let sign = match i == 0 && shown.lines.iter().any(|l| l.marked) {
                true => 2,
                false => 0,
            };
            let cap = match head.width {
                Width::Content(cap) | Width::Fit(cap) => cap,
                Width::Fixed(_) | Width::Grow(_) => 0,
            };
            // The cells alone: the header's margin is no cell cut.
            let within = widest(i, cap);
            let header = u16::try_from(head.header.chars().count()).unwrap_or(u16::MAX);
            let width = when(
                !blank,
                ruled(head.width, within.max(header + 2).min(cap), sign),
            );
            if matches!(head.width, Width::Content(_)) && within >= cap && !blank {
                let whole = widest(i, pane);
                if whole > cap {
                    cut.push((i + 1, whole + sign));
                }
            }
            columns.push(column(head.header, width, head.priority));
        }
        if cut.is_empty() {
            return columns;
        }
        // What a growing column fills beyond its least is not free.
        let growing: u16 = (shown.heads.iter().enumerate())
            .filter(|(i, _)| columns[i + 1].width != HIDDEN)
            .map(|(i, head)| match head.width {
                Width::Grow(least) => widest(i, pane).saturating_sub(least),
                Width::Fit(cap) => widest(i, pane).saturating_sub(cap),
                Width::Content(_) | Width::Fixed(_) => 0,
            })
            .sum();
        // In the kind's order: its first columns (names) first.
        for (at, whole) in cut {
            take_free(&mut columns, at, whole, pane.saturating_sub(growing));
        }
        columns
    }

    /// The images pane's columns: the kind's, sized to `images`.
    pub fn image_columns(&self, images: &[&ImageRow]) -> Vec<Column> {
        let created: Vec<String> = images
            .iter()
            .map(|i| created_ago(i.created, self.now))
            .collect();
        let names: Vec<String> = (images.iter())
            .map(|i| i.name().unwrap_or_default())
            .collect();
        let signed = (images.iter().zip(&names)).any(|(i, n)| self.update_signed(i.host, &i.id, n));
        let kind = self.images.kind.columns();
        let mut columns: Vec<Column> = (kind.iter().enumerate())
            .map(|(i, c)| {
                let width = match i {
                    image_list::HOST => self.host_width(),
                    image_list::REPOSITORY => sized(
                        c.width,
                        c.header,
                        images.iter().map(|i| text(&i.repository)),
                        0,
                    ),
                    image_list::TAG => {
                        sized(c.width, c.header, images.iter().map(|i| text(&i.tag)), 0)
                    }
                    image_list::CREATED => {
                        sized(c.width, c.header, created.iter().map(String::as_str), 0)
                    }
                    image_list::UPDATE if !signed => HIDDEN,
                    _ => sized(c.width, c.header, std::iter::empty(), 0),
                };
                column(c.header, width, c.priority)
            })
            .collect();
        // A long repository gives way (down to a floor), so that CREATED and UPDATE show.
        let pane = self.areas().images.width;
        fit_names(&mut columns, image_list::REPOSITORY, false, pane, None);
        columns
    }

    /// Whether the UPDATE column has a sign for an image as `host` uses it: a screen with
    /// no news spends no room on it.
    pub fn update_signed(&self, host: HostId, image_id: &str, name: &str) -> bool {
        matches!(
            self.updates.mark(host, image_id, name),
            Some(Mark::Newer { .. } | Mark::Unknown { .. })
        )
    }

    /// The status of a row whose host is down: when it was last seen ("last seen 2 minutes
    /// ago"), as what it last listed may be long over.
    pub fn stale_status(&self, c: &ContainerRow) -> Option<String> {
        let since = self.host(c.host)?.stale_since()?;
        Some(match self.now - since {
            ..1 => "last seen just now".to_string(),
            _ => format!("last seen {}", ago(since, self.now)),
        })
    }

    /// The containers pane's columns: the kind's, sized to the containers in `entries`
    /// (HEALTH, RESTARTS, PORTS and UPDATE only when a row in view has one, the usage
    /// columns while usage is on), NAME fitted to the pane ([`fit_names`]).
    pub fn container_columns(&self, entries: &[Entry]) -> Vec<Column> {
        let kind = self.containers.kind.columns();
        let projects = entries.iter().any(|e| matches!(e, Entry::Project(_)));
        // +2 on names for the mark a row may carry (or a project's sign), +2 more for the
        // indent under a project.
        let indent = if projects { 4 } else { 2 };
        let shown = self.optional(entries);
        let pane = self.areas().containers.width;
        // One pass over the rows for every column sized by its cells: with 10,000 rows each
        // pass is most of a frame. NAME is measured within the pane, since it takes the room
        // the others leave ([`fit_names`]), and so is PORTS, only when it shows. A project's row spans
        // the columns after STATE: it sizes none of them.
        let head = |i: usize| kind[i].header;
        let [name, image, status, ports] = widest_of(
            [head(NAME), head(IMAGE), head(STATUS), head(PORTS)],
            [
                usize::from(pane),
                cap(kind[IMAGE].width),
                cap(kind[STATUS].width),
                if shown.ports { usize::from(pane) } else { 0 },
            ],
            entries.iter(),
            |e| match e {
                Entry::Container { row: c, .. } => [&c.name, &c.image, &c.status, &c.ports],
                Entry::Project(p) => [p.name, "", "", ""],
            },
        );
        // A down host's rows say when they were last seen instead of their status.
        let stale: Vec<String> = match self.hosts.iter().any(|h| h.stale_since().is_some()) {
            true => (entries.iter().filter_map(Entry::container))
                .filter_map(|c| self.stale_status(c))
                .collect(),
            false => Vec::new(),
        };
        let [stale] = widest_of([""], [cap(kind[STATUS].width)], stale.iter(), |s| {
            [s.as_str()]
        });
        // NAME and PORTS are sized by content within their caps, unless the pane has room
        // to spare.
        let within =
            |width: u16, i: usize| width.min(u16::try_from(cap(kind[i].width)).unwrap_or(u16::MAX));
        // Sorted by one, room for the sort's arrow ("CPU % ▼").
        let sorted = self.container_sort().by;
        let arrow = |by| u16::from(sorted == by);
        let mut columns: Vec<Column> = (kind.iter().enumerate())
            .map(|(i, c)| {
                let own = |shown: bool| match shown {
                    true => sized(c.width, c.header, std::iter::empty(), 0),
                    false => HIDDEN,
                };
                let width = match i {
                    HOST => self.host_width(),
                    NAME => Constraint::Length(within(name, NAME) + indent),
                    IMAGE => ruled(c.width, image, 0),
                    STATUS => ruled(c.width, status.max(stale), 0),
                    PORTS => when(shown.ports, ruled(c.width, within(ports, PORTS), 0)),
                    HEALTH => own(shown.health),
                    RESTARTS => own(shown.restarts),
                    CPU => when(self.usage.on, wider(own(true), arrow(SortBy::Cpu))),
                    MEM => when(self.usage.on, wider(own(true), arrow(SortBy::Mem))),
                    UPDATE => own(shown.update),
                    _ => own(true),
                };
                column(c.header, width, c.priority)
            })
            .collect();
        fit_names(&mut columns, NAME, true, pane, Some(name + indent));
        // Ports cut at their cap (a container publishing several) show whole in what is left.
        if shown.ports {
            take_free(&mut columns, PORTS, ports, pane);
        }
        columns
    }

    /// HEALTH, RESTARTS, PORTS and UPDATE only when some row in view has one (most have
    /// none): an empty column would take the room STATUS needs.
    fn optional(&self, entries: &[Entry]) -> Optional {
        let height = crate::layout::table_rows(self.areas().containers);
        // The rows in view.
        let in_view = || {
            (entries.iter().skip(self.containers.room.cursor.offset))
                .take(height)
                .filter_map(Entry::container)
        };
        Optional {
            health: self.containers.kind.any_health
                && in_view().any(|c| Health::parse(&c.status).is_some()),
            restarts: self.any_restarts() && in_view().any(|c| self.restarts_of(&c.id).is_some()),
            ports: in_view().any(|c| !c.ports.is_empty()),
            update: in_view().any(|c| self.update_signed(c.host, &c.image_id, &c.image)),
        }
    }
}

/// The columns shown only when some row in view has a value for them.
struct Optional {
    health: bool,
    restarts: bool,
    ports: bool,
    update: bool,
}

/// The name column `name` (NAME, REPOSITORY) gives way (down to a floor), then HOST (down to
/// its own), so that the columns of priority 1 show whole (STATE and STATUS: an exit code
/// cut to `Exited (1` reads wrong), and a NAME sized to its content takes the room every
/// column leaves on a wide screen (long names show whole rather than at the cap). `pane`:
/// the pane's width, borders included; `whole`: NAME's width uncut (its widest cell and the
/// signs before it); `partial`: give way even when the
/// columns of priority 1 still do not all fit then (STATUS, which grows, takes what is given;
/// CREATED, which does not, would not show while HOST and REPOSITORY were cut for it).
fn fit_names(columns: &mut [Column], name_at: usize, partial: bool, pane: u16, whole: Option<u16>) {
    const NAME_FLOOR: u16 = 16;
    const HOST_FLOOR: u16 = 8;
    let inner = pane.saturating_sub(2);
    let (name, grows) = match columns[name_at].width {
        Constraint::Length(n) => (n, false),
        Constraint::Min(n) => (n, true),
        _ => return,
    };
    let sized = |n| match grows {
        true => Constraint::Min(n),
        false => Constraint::Length(n),
    };
    // Host, name, state and status: priority 1 and above.
    let core = need(columns, 1);
    if core > inner {
        let over = core - inner;
        let host_give = match columns[HOST].width {
            w if w == HIDDEN => 0,
            Constraint::Length(host) => host - HOST_FLOOR.min(host),
            _ => 0,
        };
        if !partial && over > name - NAME_FLOOR.min(name) + host_give {
            return;
        }
        let cut = name.saturating_sub(over).max(NAME_FLOOR.min(name));
        columns[name_at].width = sized(cut);
        let still = over - (name - cut);
        if let Constraint::Length(host) = columns[HOST].width
            && still > 0
            && columns[HOST].width != HIDDEN
        {
            let host_cut = host.saturating_sub(still).max(HOST_FLOOR.min(host));
            columns[HOST].width = Constraint::Length(host_cut);
        }
        return;
    }
    // A column that grows takes the room left already.
    if let Some(whole) = whole.filter(|_| !grows) {
        take_free(columns, name_at, whole, pane);
    }
}

/// The cells the shown columns of `priority` and above take, spacing included (a column
/// that grows: its least).
fn need(columns: &[Column], priority: u8) -> u16 {
    let widths = columns.iter().filter(|c| c.priority <= priority);
    let widths = widths.filter_map(|c| match c.width {
        w if w == HIDDEN => None,
        Constraint::Length(n) | Constraint::Min(n) => Some(n + table::SPACING),
        _ => Some(table::SPACING),
    });
    widths.sum::<u16>().saturating_sub(table::SPACING)
}

/// Column `at`, a length cut below `whole` (its widest cell), takes what room the pane
/// (`pane` wide, borders included) has left, up to `whole`.
fn take_free(columns: &mut [Column], at: usize, whole: u16, pane: u16) {
    let Constraint::Length(now) = columns[at].width else {
        return;
    };
    let free = pane
        .saturating_sub(2)
        .saturating_sub(need(columns, u8::MAX));
    if columns[at].width != HIDDEN && free > 0 && whole > now {
        columns[at].width = Constraint::Length(whole.min(now + free));
    }
}

/// A repository or tag as `docker image ls` shows it.
fn text(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or(NONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The images pane's columns in a fleet: HOST, a long REPOSITORY, TAG, CREATED (priority 1).
    fn images() -> Vec<Column> {
        vec![
            column("HOST", Constraint::Length(16), 0),
            column("REPOSITORY", Constraint::Min(30), 0),
            column("TAG", Constraint::Length(16), 0),
            column("CREATED", Constraint::Length(19), 1),
        ]
    }

    #[test]
    fn a_repository_gives_way_to_created_only_when_created_then_fits() {
        let width = |columns: &[Column], at: usize| columns[at].width;
        // 16 + 30 + 16 + 19 and spacing is 87: 9 over in 78 cells, REPOSITORY alone gives.
        let mut columns = images();
        fit_names(&mut columns, 1, false, 80, None);
        assert_eq!(width(&columns, 1), Constraint::Min(21));
        assert_eq!(width(&columns, 0), Constraint::Length(16), "HOST whole");
        // In 50 cells CREATED cannot show whatever is cut: nothing is cut for it.
        let mut columns = images();
        fit_names(&mut columns, 1, false, 52, None);
        assert_eq!(width(&columns, 1), Constraint::Min(30));
        assert_eq!(width(&columns, 0), Constraint::Length(16));
        // The containers pane's way: cut anyway (STATUS, which grows, takes what is given).
        let mut columns = images();
        fit_names(&mut columns, 1, true, 52, None);
        assert_eq!(width(&columns, 1), Constraint::Min(16));
        assert_eq!(width(&columns, 0), Constraint::Length(8));
    }
}
