//! "Update available": which images (and the containers on them) have a newer digest in
//! their registry. The checks run on the Docker tasks (`docker::updates`); here is when to
//! ask (every `[updates] interval`, and `Ctrl-R` in the images pane), which registries are
//! backing off, and what each image's mark is. No I/O.

use std::collections::{BTreeSet, HashMap};

use super::App;
use crate::docker::updates::{Checked, Target, Verdict};
use crate::docker::{Command, HostId};

/// Seconds between checks unless the config says otherwise: 6 h.
pub const DEFAULT_INTERVAL: i64 = 6 * 3600;
/// The first automatic check waits this long after start, so start-up asks only for what
/// the screen needs.
const FIRST_DELAY: i64 = 60;
/// A registry that refused or could not be reached is not asked again for this long,
/// doubled on each failure up to [`MAX_BACKOFF`] (longer when it says `Retry-After`).
pub const FIRST_BACKOFF: i64 = 60;
pub const MAX_BACKOFF: i64 = 6 * 3600;
/// A check with answers still missing after this long is taken as lost (its host removed
/// or gone mid-check), so it does not hold back every later one.
const LOST_AFTER: i64 = 600;

/// An image as a host uses it: (host, image id, `repo:tag`).
pub type Key = (HostId, String, String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    Current,
    /// The registry names another digest; `since`: when dockpit first saw it (unix s).
    Newer {
        digest: String,
        since: i64,
    },
    /// Built or tagged here: no registry digest to compare.
    Local,
    Unknown {
        why: String,
    },
}

/// A registry not to be asked before `until` (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    pub until: i64,
    /// The wait this backoff began with; the next failure doubles it.
    pub wait: i64,
    pub why: String,
}

#[derive(Debug, Clone, Default)]
pub struct Updates {
    /// Seconds between automatic checks; `None`: off (`[updates] interval = "off"`).
    pub interval: Option<i64>,
    /// When the next automatic check is due (unix seconds); `None` until the first listing.
    pub next: Option<i64>,
    pub marks: HashMap<Key, Mark>,
    /// By registry (`docker.io`, `127.0.0.1:5000`).
    pub backoff: HashMap<String, Backoff>,
    /// Images asked and not answered yet.
    pub in_flight: usize,
    /// When the check in flight was asked (unix seconds).
    asked_at: i64,
    /// The user asked for the check in flight: its outcome goes to the status line
    /// (automatic checks stay quiet there; the marks show them).
    user_asked: bool,
    /// This check's tally: newer, current, unknown.
    tally: (usize, usize, usize),
    /// Of its unknown, those not asked: their registry is backing off.
    held: usize,
    /// The inspect view being opened, and the image whose mark its summary gets.
    pub inspecting: Option<(crate::docker::StreamId, Key)>,
}

impl Updates {
    pub fn new(interval: Option<i64>) -> Self {
        Self {
            interval,
            ..Self::default()
        }
    }

    /// The mark of an image as `host` uses it.
    pub fn mark(&self, host: HostId, image_id: &str, name: &str) -> Option<&Mark> {
        let name = crate::docker::updates::target_name(name)?;
        self.marks.get(&(host, image_id.to_string(), name))
    }

    /// A registry's answer noted: a failure starts (or lengthens) its backoff, unless one
    /// is already running (the rest of a round share its first failure); a success ends it.
    fn note(&mut self, registry: &str, verdict: &Verdict, now: i64) {
        match verdict {
            Verdict::Current | Verdict::Newer { .. } => {
                self.backoff.remove(registry);
            }
            Verdict::Unknown {
                why,
                transient: true,
                retry_after,
            } => {
                let previous = self.backoff.get(registry);
                if previous.is_some_and(|b| b.until > now) || registry.is_empty() {
                    return;
                }
                let doubled = previous.map_or(FIRST_BACKOFF, |b| b.wait * 2);
                let asked = retry_after.map_or(0, |s| i64::try_from(s).unwrap_or(MAX_BACKOFF));
                let wait = doubled.min(MAX_BACKOFF).max(asked.min(MAX_BACKOFF));
                let backoff = Backoff {
                    until: now + wait,
                    wait,
                    why: why.clone(),
                };
                self.backoff.insert(registry.to_string(), backoff);
            }
            Verdict::Unknown { .. } | Verdict::Local => {}
        }
    }

    /// The mark an answer gives, keeping when a newer digest was first seen.
    fn marked(&self, key: &Key, verdict: Verdict, now: i64) -> Mark {
        match verdict {
            Verdict::Current => Mark::Current,
            Verdict::Local => Mark::Local,
            Verdict::Newer { digest } => {
                let since = match self.marks.get(key) {
                    Some(Mark::Newer { digest: d, since }) if *d == digest => *since,
                    _ => now,
                };
                Mark::Newer { digest, since }
            }
            Verdict::Unknown { why, .. } => Mark::Unknown { why },
        }
    }
}

/// What the status line says as a check the user asked for starts.
fn checking_text(asked: usize, waiting: usize) -> String {
    let images = crate::format::plural(asked, "image", "images");
    match (asked, waiting) {
        (0, 0) => "nothing to check for updates: no image shown has a tag".into(),
        (0, n) => format!(
            "no image checked for updates: {n} held back while their registry backs off (inspect says how long)"
        ),
        (_, 0) => format!("checking {images} for updates"),
        (_, n) => {
            format!("checking {images} for updates; {n} held back while their registry backs off")
        }
    }
}

/// Words for a backoff: "rate limited …; not asked again for 2 minutes".
pub fn backoff_text(registry: &str, backoff: &Backoff, now: i64) -> String {
    let left = crate::format::human_duration((backoff.until - now).max(1)).to_lowercase();
    format!("{registry}: {}; not asked again for {left}", backoff.why)
}

impl App {
    /// The images to check, once per host: every named image (`all`) or those the images
    /// pane shows (its filter's), and the names containers on them were created from.
    pub(super) fn update_targets(&self, all: bool) -> BTreeSet<(HostId, Target)> {
        let images: Vec<&crate::docker::ImageRow> = match all {
            true => self.images.rows().collect(),
            false => self.visible_images(),
        };
        let named = images
            .iter()
            .filter_map(|i| Some((i.host, i.id.clone(), i.name()?)));
        // A container whose image lost its name shows the image's short id: no name.
        let containers = (self.containers.rows())
            .filter(|c| {
                all || images
                    .iter()
                    .any(|i| i.host == c.host && i.id == c.image_id)
            })
            .filter(|c| {
                !c.image_id
                    .trim_start_matches("sha256:")
                    .starts_with(&c.image)
            })
            .map(|c| (c.host, c.image_id.clone(), c.image.clone()));
        named
            .chain(containers)
            .filter(|(_, id, _)| !id.is_empty())
            .filter_map(|(host, image_id, name)| {
                let name = crate::docker::updates::target_name(&name)?;
                Some((host, Target { image_id, name }))
            })
            .collect()
    }

    /// Asks each host about its images, but those of registries backing off (their marks
    /// say why and until when). `user`: the user asked (`Ctrl-R`): the images shown, and
    /// the status line says how it went.
    pub(super) fn check_updates(&mut self, user: bool) -> Vec<super::effects::Routed> {
        let lost = self.now - self.updates.asked_at >= LOST_AFTER;
        if self.updates.in_flight > 0 && !lost {
            tracing::debug!(
                in_flight = self.updates.in_flight,
                user,
                "update check: one in flight"
            );
            if user {
                let left = self.updates.in_flight;
                self.activity.refuse(format!(
                    "already checking for updates ({left} images to go)"
                ));
            }
            return Vec::new();
        }
        let now = self.now;
        self.updates.next = self.updates.interval.map(|i| now + i);
        let mut by_host: HashMap<HostId, Vec<Target>> = HashMap::new();
        let mut waiting = 0;
        // The user's check is of what the images pane shows; the automatic one of all.
        for (host, target) in self.update_targets(!user) {
            let registry = crate::docker::updates::checkable(&target.name)
                .map(|r| crate::docker::updates::registry_of(&r))
                .unwrap_or_default();
            match self.updates.backoff.get(&registry) {
                Some(b) if b.until > now => {
                    let why = backoff_text(&registry, b, now);
                    let key = (host, target.image_id, target.name);
                    self.updates.marks.insert(key, Mark::Unknown { why });
                    waiting += 1;
                }
                _ => by_host.entry(host).or_default().push(target),
            }
        }
        let asked: usize = by_host.values().map(Vec::len).sum();
        tracing::debug!(asked, waiting, user, "update check");
        self.updates.in_flight = asked;
        self.updates.asked_at = now;
        self.updates.user_asked = user;
        self.updates.tally = (0, 0, waiting);
        self.updates.held = waiting;
        if user {
            self.activity.note(checking_text(asked, waiting));
        }
        by_host
            .into_iter()
            .map(|(host, targets)| (host, Command::CheckUpdates { host, targets }))
            .collect()
    }

    /// One image's answer: its mark, its registry's backoff, and once every image has
    /// answered a check the user asked for, the tally.
    pub(super) fn update_checked(&mut self, host: HostId, checked: Checked) {
        let now = self.now;
        let updates = &mut self.updates;
        updates.in_flight = updates.in_flight.saturating_sub(1);
        tracing::debug!(image = %checked.target.name, verdict = ?checked.verdict, "update checked");
        updates.note(&checked.registry, &checked.verdict, now);
        match &checked.verdict {
            Verdict::Newer { .. } => updates.tally.0 += 1,
            Verdict::Current => updates.tally.1 += 1,
            Verdict::Unknown { .. } => updates.tally.2 += 1,
            Verdict::Local => {}
        }
        let key = (host, checked.target.image_id, checked.target.name);
        let mut mark = updates.marked(&key, checked.verdict, now);
        if let (Mark::Unknown { why }, Some(b)) =
            (&mut mark, updates.backoff.get(&checked.registry))
        {
            *why = backoff_text(&checked.registry, b, now);
        }
        updates.marks.insert(key, mark);
        if updates.in_flight == 0 && std::mem::take(&mut updates.user_asked) {
            let (newer, current, unknown) = updates.tally;
            // The tally replaces the status that said some were held back: it says so too.
            let held = match updates.held {
                0 => String::new(),
                n => format!(" ({n} held back while their registry backs off)"),
            };
            self.activity.note(format!(
                "update check: {newer} newer, {current} current, {unknown} unknown{held}"
            ));
        }
    }

    /// The automatic check, when it is due: a minute after the first listing, then every
    /// interval.
    pub(super) fn updates_tick(&mut self) -> Vec<super::effects::Routed> {
        let Some(_) = self.updates.interval else {
            return Vec::new();
        };
        if !self.loaded || self.no_host_up() {
            return Vec::new();
        }
        match self.updates.next {
            None => {
                self.updates.next = Some(self.now + FIRST_DELAY);
                Vec::new()
            }
            Some(next) if self.now >= next => self.check_updates(false),
            Some(_) => Vec::new(),
        }
    }

    /// Whether no host is up to be asked.
    fn no_host_up(&self) -> bool {
        !self.hosts.iter().any(|h| h.up())
    }

    /// The selected image, or the selected container's, as the marks know it.
    pub(super) fn update_key(&self) -> Option<Key> {
        match self.focus {
            super::Pane::Images => {
                let i = self.selected_image()?;
                Some((i.host, i.id.clone(), i.name()?))
            }
            _ => {
                let c = self.selected_container()?;
                Some((c.host, c.image_id.clone(), c.image.clone()))
            }
        }
    }

    /// The "Update" line of the inspect summary `id` answers, if its image has a mark.
    pub(super) fn update_summary(
        &mut self,
        id: crate::docker::StreamId,
    ) -> Option<(String, String)> {
        let (asked, (host, image_id, name)) = self.updates.inspecting.take()?;
        if asked != id {
            self.updates.inspecting = Some((asked, (host, image_id, name)));
            return None;
        }
        Some(("Update".into(), self.update_line(host, &image_id, &name)?))
    }

    /// "newer digest … since …" for an image as a host uses it (inspect's summary).
    pub fn update_line(&self, host: HostId, image_id: &str, name: &str) -> Option<String> {
        Some(match self.updates.mark(host, image_id, name)? {
            Mark::Newer { digest, since } => format!(
                "newer digest {} in the registry for {name} (first seen {})",
                crate::format::short_id(digest),
                crate::format::ago(*since, self.now)
            ),
            Mark::Current => format!("{name} is the registry's current digest"),
            Mark::Local => format!("{name} has no registry digest (built or tagged here)"),
            Mark::Unknown { why } => format!("unknown: {why}"),
        })
    }
}
