//! Texts that age: a container's status as the daemon words it ("Up 5 minutes", "Exited (0)
//! 2 hours ago", "Up 3 seconds (Paused)", "Restarting (1) 3 seconds ago") made here from the
//! instant it counts from, so it stays right between listings: the daemon writes it only
//! when it lists, and dockpit lists rarely while the events stream keeps it informed.

use crate::format::{duration_range, human_duration};

/// When a listing was asked for and answered (unix milliseconds): the daemon wrote its
/// statuses in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListedAt {
    pub sent: i64,
    pub received: i64,
}

impl ListedAt {
    pub fn now() -> i64 {
        chrono::Utc::now().timestamp_millis()
    }
}

/// A status whose duration grows: the words around it and the instant it counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aging {
    /// "Up ", "Exited (0) ", "Restarting (1) ".
    head: String,
    /// "", " (Paused)", " (healthy)", " (health: starting)", " ago".
    tail: String,
    /// The instant lies in [earliest, latest] (unix milliseconds). A listing tells it to the
    /// second ("Up 3 seconds", as after an event) or to the hour ("Up 5 hours"); each later
    /// listing that agrees narrows it, so a text changes when the daemon's would.
    earliest: i64,
    latest: i64,
}

impl Aging {
    /// What a status says of the instant its duration counts from; `None` for one without a
    /// duration ("Created", "Dead", "Removal In Progress"), which never changes by itself.
    pub fn parse(status: &str, at: ListedAt) -> Option<Self> {
        let (head, rest) = match status.strip_prefix("Up ") {
            Some(rest) => ("Up ", rest),
            None => {
                let end = status.find(") ")? + 2;
                let head = &status[..end];
                if !(head.starts_with("Exited (") || head.starts_with("Restarting (")) {
                    return None;
                }
                (head, &status[end..])
            }
        };
        // "Up" may end in a note ("(Paused)", "(healthy)"); the others in "ago".
        let (words, tail) = if head == "Up " {
            rest.find(" (").map_or((rest, ""), |i| rest.split_at(i))
        } else {
            (rest.strip_suffix(" ago")?, " ago")
        };
        let (from, to) = duration_range(words)?;
        Some(Self {
            head: head.to_string(),
            tail: tail.to_string(),
            earliest: at.sent - to * 1000,
            latest: at.received - from * 1000,
        })
    }

    /// The status at `now` (unix seconds), as the daemon would word it.
    pub fn text(&self, now: i64) -> String {
        let anchor = self.earliest + (self.latest - self.earliest) / 2;
        let elapsed = (now * 1000 - anchor).div_euclid(1000);
        format!("{}{}{}", self.head, human_duration(elapsed), self.tail)
    }

    /// Narrows this (a fresh listing's) by what an earlier listing said of the same status:
    /// the instant lies in both ranges. Another status (a new exit code), or ranges that do
    /// not meet (it restarted meanwhile), keep the fresh one as it is.
    pub fn narrow(&mut self, earlier: &Aging) {
        let (earliest, latest) = (
            self.earliest.max(earlier.earliest),
            self.latest.min(earlier.latest),
        );
        if self.head == earlier.head && earliest <= latest {
            (self.earliest, self.latest) = (earliest, latest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Listed at `secs` (unix seconds), answered at once.
    fn at(secs: i64) -> ListedAt {
        ListedAt {
            sent: secs * 1000,
            received: secs * 1000,
        }
    }

    #[test]
    fn every_status_with_a_duration_ages_in_the_daemons_words() {
        let cases = [
            ("Up 5 minutes", 60, "Up 6 minutes"),
            ("Up Less than a second", 3, "Up 3 seconds"),
            ("Up 59 seconds", 1, "Up About a minute"),
            ("Up 2 minutes (Paused)", 60, "Up 3 minutes (Paused)"),
            ("Up 3 seconds (healthy)", 60, "Up About a minute (healthy)"),
            (
                "Up 1 second (health: starting)",
                10,
                "Up 11 seconds (health: starting)",
            ),
            (
                "Exited (0) 2 seconds ago",
                3_600,
                "Exited (0) About an hour ago",
            ),
            (
                "Exited (137) 47 hours ago",
                3_600,
                "Exited (137) 2 days ago",
            ),
            (
                "Restarting (1) 3 seconds ago",
                2,
                "Restarting (1) 5 seconds ago",
            ),
        ];
        for (listed, later, want) in cases {
            let aging = Aging::parse(listed, at(1_000_000)).expect(listed);
            assert_eq!(aging.text(1_000_000), listed, "as listed");
            assert_eq!(aging.text(1_000_000 + later), want, "{listed} + {later} s");
        }
    }

    #[test]
    fn statuses_without_a_duration_do_not_age() {
        for status in [
            "Created",
            "Dead",
            "Removal In Progress",
            "",
            "Exited (0)",
            "Up",
            "Up soon",
            "Exited (x) 5 fortnights ago",
            "Paused (1) 3 seconds ago",
        ] {
            assert_eq!(Aging::parse(status, at(0)), None, "{status:?}");
        }
    }

    #[test]
    fn later_listings_narrow_a_coarse_instant_to_the_daemons_change() {
        // Started at t = 10,000 - 7,000 s, seen first as "Up 2 hours" (a range of an hour).
        let started = 3_000;
        let word = |now: i64| format!("Up {}", human_duration(now - started));
        let mut aging = Aging::parse(&word(10_000), at(10_000)).expect("aging");
        // A resync every 60 s; each agrees with the one before and narrows it.
        for now in (10_060..=14_000).step_by(60) {
            let mut fresh = Aging::parse(&word(now), at(now)).expect("aging");
            fresh.narrow(&aging);
            aging = fresh;
        }
        // Now the text changes within a minute of when the daemon's does.
        for now in 14_000..20_000 {
            let ours = aging.text(now);
            if ours != word(now) {
                assert!(
                    ours == word(now - 60) || ours == word(now + 60),
                    "at {now}: {ours} where the daemon says {}",
                    word(now)
                );
            }
        }
    }

    #[test]
    fn a_new_exit_replaces_the_instant() {
        let old = Aging::parse("Exited (0) 2 hours ago", at(10_000)).expect("aging");
        let mut fresh = Aging::parse("Exited (0) 3 seconds ago", at(10_060)).expect("aging");
        fresh.narrow(&old);
        assert_eq!(fresh.text(10_060), "Exited (0) 3 seconds ago");
        let mut other = Aging::parse("Exited (1) 2 hours ago", at(10_060)).expect("aging");
        let before = other.clone();
        other.narrow(&old);
        assert_eq!(other, before, "another exit code is another status");
    }
}
