//! What the worker lists, and what it lists again after the daemon's events: a container
//! event names its container, which is listed alone (an id filter: the daemon's cost is per
//! container listed); an image event lists the images, and the containers whose IMAGE
//! column it may change. At rest nothing is listed but a rare resync (see the worker).

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use bollard::Docker;
use bollard::query_parameters::{ListContainersOptions, ListImagesOptions};

use super::status::ListedAt;
use super::{ContainerId, ContainerRow, DockerEvent, EngineEvent, EventKind, ImageRow, convert};

/// The first listing at start asks for the newest this many containers: a screen's worth
/// (a tall terminal's), which the daemon answers far sooner than thousands.
pub const FIRST_ROWS: i32 = 100;

type Result<T> = std::result::Result<T, bollard::errors::Error>;

/// The daemon can emit an event (a container's "die") a moment before its listing shows the
/// change: a container is listed again with each look until this long after its last event.
pub const SETTLE: Duration = Duration::from_millis(250);
/// And once more this long after that: a busy daemon's listing can lag its events by more
/// than SETTLE (seen under load: a container that exited still listed running), and
/// nothing else would list it before the next resync.
pub const LAST_LOOK: Duration = Duration::from_secs(2);
/// Looks owed within this much of the first are taken with it: a burst the daemon spreads
/// over a second (eight starts, each with its own events) is a few looks, not one a
/// container (each owed its own SETTLE and LAST_LOOK, they were 30 listings in 2 s).
pub const GROUP: Duration = Duration::from_millis(200);

/// When a container is owed its next look, and whether that is its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owed {
    pub at: Instant,
    pub last: bool,
}

/// What events ask to be listed again.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stale {
    /// Containers by id, each until its last event's SETTLE and then its LAST_LOOK have
    /// passed.
    pub containers: HashMap<String, Owed>,
    pub images: bool,
}

impl Stale {
    pub fn is_empty(&self) -> bool {
        self.containers.is_empty() && !self.images
    }

    /// When the next look is due: GROUP after the first one owed (a container whose SETTLE
    /// ends), so the looks owed meanwhile are the same look.
    pub fn settles(&self) -> Option<Instant> {
        self.containers
            .values()
            .map(|o| o.at)
            .min()
            .map(|at| at + GROUP)
    }

    /// After a look at them: the containers whose SETTLE had passed are owed one last look
    /// (LAST_LOOK later), and those past it are done with (under steady churn the set holds
    /// only the last few seconds' containers).
    pub fn looked(&mut self, at: Instant) {
        self.containers.retain(|_, owed| owed.at > at || !owed.last);
        for owed in self.containers.values_mut() {
            if owed.at <= at {
                *owed = Owed {
                    at: at + LAST_LOOK,
                    last: true,
                };
            }
        }
    }

    fn mark(&mut self, id: String) {
        let owed = Owed {
            at: Instant::now() + SETTLE,
            last: false,
        };
        self.containers.insert(id, owed);
    }
}

/// What the app shows of each container that an image event can change: the IMAGE column
/// shows a name while it still names the container's image, else the image's short id.
#[derive(Debug, Default)]
pub struct Shown {
    images: HashMap<String, (String, String)>,
}

impl Shown {
    pub fn replace(&mut self, rows: &[ContainerRow]) {
        self.images = rows
            .iter()
            .map(|c| (c.id.to_string(), (familiar(&c.image), c.image_id.clone())))
            .collect();
    }

    /// How many containers the last listing had.
    pub fn count(&self) -> usize {
        self.images.len()
    }

    pub fn update(&mut self, changed: &[ContainerRow], removed: &[ContainerId]) {
        for id in removed {
            self.images.remove(id.as_str());
        }
        for c in changed {
            let image = (familiar(&c.image), c.image_id.clone());
            self.images.insert(c.id.to_string(), image);
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.images.contains_key(id)
    }

    /// Marks what `event` makes stale; whether it made anything stale.
    pub fn note(&self, event: &EngineEvent, stale: &mut Stale) -> bool {
        // "exec_start: sh -c …", "health_status: healthy": the verb is before the colon.
        let verb = event.action.split(':').next().unwrap_or_default();
        match event.kind {
            // A commit makes an image; the others leave the row as it was.
            EventKind::Container if verb == "commit" => stale.images = true,
            EventKind::Container if QUIET.contains(&verb) || event.actor_id.is_empty() => {
                return false;
            }
            EventKind::Container => {
                stale.mark(event.actor_id.clone());
            }
            EventKind::Image if matches!(verb, "push" | "save") => return false,
            EventKind::Image => {
                stale.images = true;
                // The image's id (tag, untag, delete, load) or a name (pull; tag's "name").
                let name = event
                    .attributes
                    .iter()
                    .find(|(k, _)| k == "name")
                    .map(|(_, v)| familiar(v));
                let actor = familiar(&event.actor_id);
                let using = self.images.iter().filter(|(_, (image, image_id))| {
                    *image_id == event.actor_id || *image == actor || Some(image) == name.as_ref()
                });
                for (id, _) in using {
                    stale.mark(id.clone());
                }
            }
            _ => return false,
        }
        true
    }
}

/// Container actions that change nothing `docker ps` shows.
const QUIET: [&str; 13] = [
    "exec_create",
    "exec_start",
    "exec_die",
    "exec_detach",
    "attach",
    "detach",
    "resize",
    "top",
    "export",
    "copy",
    "archive-path",
    "extract-to-dir",
    "update",
];

/// An image reference as the daemon's events and a container's IMAGE column compare:
/// "docker.io/library/busybox" and "busybox" are "busybox:latest".
fn familiar(name: &str) -> String {
    let name = name.strip_prefix("docker.io/").unwrap_or(name);
    let name = name.strip_prefix("library/").unwrap_or(name);
    let last = name.rsplit('/').next().unwrap_or(name);
    if name.starts_with("sha256:") || last.contains(':') || last.contains('@') {
        name.to_string()
    } else {
        format!("{name}:latest")
    }
}

/// The most of one listing's answer read (~3 KB a container: 64 MiB is ~20,000).
const MAX_LISTING: usize = 64 * 1024 * 1024;

/// Lists containers (read here: see `raw`), handing `each` every one as it comes, with when
/// it was listed: the daemon wrote it between the request and its arrival. One listing is
/// one pass of the daemon over its containers, and what dockpit holds meanwhile is what
/// `each` keeps (a row, ~0.3 KB), never the whole answer (~3 KB a container in JSON, more
/// as models: 15 MB at 5,000).
pub async fn each_container(
    docker: &Docker,
    options: &ListContainersOptions,
    mut each: impl FnMut(convert::Listed, ListedAt),
) -> Result<()> {
    let sent = ListedAt::now();
    let path = format!("/containers/json?{}", query(options));
    let what = "the container listing";
    super::raw::json_array(docker, &path, MAX_LISTING, what, |listed| {
        let received = ListedAt::now();
        each(listed, ListedAt { sent, received });
    })
    .await
}

/// The rows of the containers `options` lists, with room for `expected`.
pub async fn rows(
    docker: &Docker,
    options: &ListContainersOptions,
    expected: usize,
) -> Result<Vec<ContainerRow>> {
    let mut rows = Vec::with_capacity(expected);
    each_container(docker, options, |c, at| {
        rows.push(convert::container_row(&c, at));
    })
    .await?;
    Ok(rows)
}

/// A listing's query as the Engine API reads it (`filters` as JSON).
fn query(options: &ListContainersOptions) -> String {
    let mut query = format!("all={}", options.all);
    if let Some(limit) = options.limit {
        query += &format!("&limit={limit}");
    }
    if let Some(filters) = &options.filters
        && let Ok(json) = serde_json::to_string(filters)
    {
        query += &format!("&filters={}", super::raw::percent_encoded(&json));
    }
    query
}

/// The newest [`FIRST_ROWS`] containers, for the first frame (the rest follows).
pub async fn first_rows(docker: &Docker) -> Result<DockerEvent> {
    let newest = ListContainersOptions {
        all: true,
        limit: Some(FIRST_ROWS),
        ..Default::default()
    };
    let rows = rows(docker, &newest, FIRST_ROWS as usize).await?;
    Ok(DockerEvent::FirstRows(rows))
}

pub async fn images(docker: &Docker) -> Result<Vec<ImageRow>> {
    let images = docker
        .list_images(Some(ListImagesOptions::default()))
        .await?;
    Ok(images.iter().flat_map(convert::image_rows).collect())
}

/// Lists images and all containers at once; the app filters running ones itself so the
/// all/running toggle needs no round trip. `expected`: how many containers the last listing
/// had, for the rows' room. One listing of all containers, read as it comes (see
/// [`each_container`]): it was ten pages of 500 at 5,000, each a pass of the daemon over
/// all of them (~0.8 s in all, against one pass's ~0.3 s), to hold a page's models at a
/// time; streamed, a row at a time is held.
pub async fn list(docker: &Docker, expected: usize) -> Result<DockerEvent> {
    let all = ListContainersOptions {
        all: true,
        ..Default::default()
    };
    let asked = std::time::Instant::now();
    let (images, containers) = tokio::try_join!(images(docker), rows(docker, &all, expected))?;
    let took = asked.elapsed();
    tracing::debug!(containers = containers.len(), ?took, "full listing");
    Ok(DockerEvent::Snapshot { images, containers })
}

/// The `named` containers listed again: their rows, and those of them not listed any more
/// (removed) that the app shows.
pub async fn relist(
    docker: &Docker,
    named: &HashMap<String, Owed>,
    shown: &Shown,
) -> Result<DockerEvent> {
    let filters: HashMap<String, Vec<String>> =
        [("id".to_string(), named.keys().cloned().collect())].into();
    let options = ListContainersOptions {
        all: true,
        filters: Some(filters),
        ..Default::default()
    };
    let fresh = rows(docker, &options, named.len()).await?;
    Ok(changes(named, fresh, shown))
}

/// The rows of the `named` containers from a listing of them (the id filter matches
/// prefixes too: only the named are taken); a named one not listed was removed.
fn changes(named: &HashMap<String, Owed>, fresh: Vec<ContainerRow>, shown: &Shown) -> DockerEvent {
    let changed: Vec<ContainerRow> = fresh
        .into_iter()
        .filter(|c| named.contains_key(c.id.as_str()))
        .collect();
    let removed = named
        .keys()
        .filter(|id| shown.contains(id) && !changed.iter().any(|c| c.id == id.as_str()))
        .map(|id| ContainerId::from(id.as_str()))
        .collect();
    DockerEvent::ContainersChanged { changed, removed }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, name: &str) -> convert::Listed {
        convert::Listed {
            id: id.into(),
            names: vec![format!("/{name}")],
            image: "busybox".into(),
            image_id: format!("sha256:{id}"),
            ..Default::default()
        }
    }

    fn row(id: &str, name: &str) -> ContainerRow {
        convert::container_row(&summary(id, name), ListedAt::default())
    }

    #[test]
    fn a_listing_of_named_containers_changes_only_their_rows() {
        let mut shown = Shown::default();
        shown.replace(&[row("a1", "web"), row("b2", "db"), row("c3", "gone")]);
        let named: HashMap<String, Owed> = ["b2", "c3", "d4"]
            .iter()
            .map(|s| {
                let owed = Owed {
                    at: Instant::now(),
                    last: false,
                };
                (s.to_string(), owed)
            })
            .collect();
        // b2 renamed, c3 removed (not listed), d4 new; e5 matched a prefix but was not named.
        let fresh = vec![row("b2", "db2"), row("d4", "new"), row("e5", "other")];
        let DockerEvent::ContainersChanged { changed, removed } = changes(&named, fresh, &shown)
        else {
            panic!("changes");
        };
        let mut names: Vec<&str> = changed.iter().map(|r| r.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["db2", "new"]);
        assert_eq!(removed, [ContainerId::from("c3")]);
    }

    fn event(kind: EventKind, action: &str, actor: &str, name: Option<&str>) -> EngineEvent {
        EngineEvent {
            time: 0,
            kind,
            action: action.into(),
            actor_id: actor.into(),
            attributes: name
                .map(|n| ("name".into(), n.into()))
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn events_name_what_to_list_again() {
        let mut shown = Shown::default();
        let mut other = row("b2", "db");
        other.image = "127.0.0.1:5000/app:2".into();
        other.image_id = "sha256:ffff".into();
        shown.replace(&[row("a1", "web"), other]);
        let stale = |e: EngineEvent| {
            let mut stale = Stale::default();
            let noted = shown.note(&e, &mut stale);
            assert_eq!(noted, !stale.is_empty());
            let mut ids: Vec<String> = stale.containers.into_keys().collect();
            ids.sort();
            (ids, stale.images)
        };
        use EventKind::{Container, Image, Network};
        assert_eq!(
            stale(event(Container, "die", "a1", None)),
            (vec!["a1".into()], false)
        );
        assert_eq!(
            stale(event(Container, "health_status: healthy", "a1", None)),
            (vec!["a1".into()], false)
        );
        for quiet in [
            "exec_start: sh -c true",
            "exec_die",
            "attach",
            "resize",
            "top",
        ] {
            assert_eq!(
                stale(event(Container, quiet, "a1", None)),
                (vec![], false),
                "{quiet}"
            );
        }
        assert_eq!(
            stale(event(Container, "commit", "a1", None)),
            (vec![], true)
        );
        assert_eq!(
            stale(event(Network, "connect", "n1", None)),
            (vec![], false)
        );
        assert_eq!(
            stale(event(Image, "push", "busybox:1", None)),
            (vec![], false)
        );
        // An untag by the image's id: the containers of that image.
        assert_eq!(
            stale(event(Image, "untag", "sha256:ffff", Some("sha256:ffff"))),
            (vec!["b2".into()], true)
        );
        // A pull by name: the containers created by that name ("busybox" is busybox:latest).
        assert_eq!(
            stale(event(Image, "pull", "busybox:latest", Some("busybox"))),
            (vec!["a1".into()], true)
        );
        // A tag names the image by id and the new name in "name".
        assert_eq!(
            stale(event(
                Image,
                "tag",
                "sha256:0000",
                Some("127.0.0.1:5000/app:2")
            )),
            (vec!["b2".into()], true)
        );
        assert_eq!(
            stale(event(Image, "load", "sha256:0000", None)),
            (vec![], true)
        );
    }

    #[test]
    fn a_container_is_looked_at_until_its_last_events_settle_passed() {
        let mut stale = Stale::default();
        stale.mark("a".into());
        let first = stale.settles().expect("a look owed") - GROUP;
        stale.looked(first - SETTLE / 2);
        assert!(
            stale.containers.contains_key("a"),
            "its settle look is still owed"
        );
        // Then one last look, LAST_LOOK later.
        stale.looked(first);
        assert!(stale.containers.contains_key("a"), "its last look is owed");
        let last = stale.settles().expect("a last look owed");
        assert_eq!(last, first + LAST_LOOK + GROUP);
        stale.looked(last);
        assert!(stale.is_empty());
        assert_eq!(stale.settles(), None);
    }

    #[test]
    fn familiar_names_compare_as_the_daemon_resolves_them() {
        assert_eq!(familiar("busybox"), "busybox:latest");
        assert_eq!(familiar("docker.io/library/busybox:1"), "busybox:1");
        assert_eq!(familiar("127.0.0.1:5000/app"), "127.0.0.1:5000/app:latest");
        assert_eq!(familiar("app@sha256:00"), "app@sha256:00");
        assert_eq!(familiar("sha256:abc"), "sha256:abc");
    }
}
