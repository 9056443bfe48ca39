//! Whether a newer image is out for what runs: a `HEAD` of each tag's manifest (registries
//! do not count it as a pull) compared with the image's repo digests. At most one request a
//! second to a registry, from the whole process (every host's checks share the pace); a
//! registry that limits dockpit (429) or cannot be reached is not asked again in this round,
//! and the app backs off before the next (see `app::updates`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bollard::Docker;
use tokio::sync::mpsc::UnboundedSender;

use super::DockerEvent;
use super::registry::{Registry, RegistryError};
use crate::reference::{self, Reference};

/// The least time between two requests to one registry.
pub const PACE: Duration = Duration::from_secs(1);

/// An image to check: its id (whose repo digests say what this host has) and the name it
/// is used under (`repo:tag`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub image_id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The registry's digest for the tag is one this image was pulled or pushed as.
    Current,
    /// The tag names another digest now.
    Newer { digest: String },
    /// The image has no digest from this repository (built or tagged here): nothing to
    /// compare, and the registry is not asked.
    Local,
    /// Not known: why, whether it is worth asking again later (a rate limit, a registry
    /// down), and the wait the registry asked for (`Retry-After`, seconds).
    Unknown {
        why: String,
        transient: bool,
        retry_after: Option<u64>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub target: Target,
    /// The registry asked (`docker.io`, `127.0.0.1:5000`): backoffs are per registry.
    pub registry: String,
    pub verdict: Verdict,
}

/// The registry a reference's name lives in, as pacing and backoffs count them.
pub fn registry_of(reference: &Reference) -> String {
    match reference.domain.as_deref() {
        None | Some("index.docker.io") => "docker.io".to_string(),
        Some(domain) => domain.to_string(),
    }
}

/// The name an image is checked under: as written, or with the `:latest` a bare name
/// means (a container made from `busybox`); `None` for what cannot be checked.
pub fn target_name(name: &str) -> Option<String> {
    if checkable(name).is_some() {
        return Some(name.to_string());
    }
    let latest = format!("{name}:latest");
    checkable(&latest).map(|_| latest)
}

/// What may be checked: a name with a tag, not pinned by digest (a digest never moves),
/// nor an image id (`sha256:…` reads as a repository `sha256` with a tag).
pub fn checkable(name: &str) -> Option<Reference> {
    if name.starts_with("sha256:") {
        return None;
    }
    let reference = reference::parse(name).ok()?;
    (reference.digest.is_none() && reference.tag.is_some()).then_some(reference)
}

/// Checks `targets`, each registry's in turn at the shared pace, registries side by side;
/// each answer is sent as it comes.
pub async fn check(docker: Docker, targets: Vec<Target>, events: UnboundedSender<DockerEvent>) {
    let mut by_registry: HashMap<String, Vec<(Target, Reference)>> = HashMap::new();
    for target in targets {
        let Some(reference) = checkable(&target.name) else {
            continue;
        };
        by_registry
            .entry(registry_of(&reference))
            .or_default()
            .push((target, reference));
    }
    let rounds = by_registry.into_iter().map(|(registry, targets)| {
        let (docker, events) = (docker.clone(), events.clone());
        async move { check_registry(&docker, registry, targets, &events).await }
    });
    futures::future::join_all(rounds).await;
}

async fn check_registry(
    docker: &Docker,
    registry: String,
    targets: Vec<(Target, Reference)>,
    events: &UnboundedSender<DockerEvent>,
) {
    // Once the registry refused or could not be reached, the rest of its images are not
    // asked this round: they share its answer.
    let mut failed: Option<Verdict> = None;
    let domain = targets.first().and_then(|(_, r)| r.domain.clone());
    let credentials = super::auth::lookup(domain.as_deref()).await;
    for (target, reference) in targets {
        let verdict = match &failed {
            Some(verdict) => verdict.clone(),
            None => {
                let local = repo_digests(docker, &target.image_id, &reference).await;
                let verdict = match local {
                    Err(why) => Verdict::Unknown {
                        why,
                        transient: false,
                        retry_after: None,
                    },
                    Ok(local) if local.is_empty() => Verdict::Local,
                    Ok(local) => {
                        let user = credentials.user_password();
                        compare(&local, head(&registry, &reference, user).await)
                    }
                };
                if matches!(
                    verdict,
                    Verdict::Unknown {
                        transient: true,
                        ..
                    }
                ) {
                    failed = Some(verdict.clone());
                }
                verdict
            }
        };
        let checked = Checked {
            target,
            registry: registry.clone(),
            verdict,
        };
        if events.send(DockerEvent::UpdateChecked(checked)).is_err() {
            return;
        }
    }
}

/// The verdict from this host's digests of the repository and the registry's answer.
pub fn compare(local: &[String], remote: Result<String, RegistryError>) -> Verdict {
    match remote {
        Ok(digest) if local.contains(&digest) => Verdict::Current,
        Ok(digest) => Verdict::Newer { digest },
        Err(e) => Verdict::Unknown {
            transient: e.is_transient(),
            retry_after: match e {
                RegistryError::RateLimited { retry_after } => retry_after,
                _ => None,
            },
            why: e.to_string(),
        },
    }
}

/// The tag's digest in its registry, at the shared pace.
pub async fn head(
    registry: &str,
    reference: &Reference,
    credentials: Option<(String, String)>,
) -> Result<String, RegistryError> {
    let mut client = Registry::new(reference.domain.as_deref(), &reference.path, credentials)?;
    // A 401 and the token fetch make more requests; the pace counts the first.
    wait_turn(registry).await;
    client.head_digest(reference.tag_or_latest()).await
}

/// The image's digests from `reference`'s repository (`RepoDigests`), as `sha256:…`.
async fn repo_digests(
    docker: &Docker,
    image_id: &str,
    reference: &Reference,
) -> Result<Vec<String>, String> {
    let image = docker
        .inspect_image(image_id)
        .await
        .map_err(|e| format!("the daemon did not inspect the image: {e}"))?;
    Ok(digests_of(
        &image.repo_digests.unwrap_or_default(),
        reference,
    ))
}

/// The digests among `repo_digests` (`name@sha256:…`) that are of `reference`'s repository
/// (`busybox`, `docker.io/library/busybox` and `index.docker.io/library/busybox` are one).
pub fn digests_of(repo_digests: &[String], reference: &Reference) -> Vec<String> {
    let wanted = repository(reference);
    repo_digests
        .iter()
        .filter_map(|d| reference::parse(d).ok())
        .filter(|r| repository(r) == wanted)
        .filter_map(|r| r.digest)
        .collect()
}

/// `(registry, path)` with Docker Hub's implicit parts made explicit.
fn repository(reference: &Reference) -> (String, String) {
    let registry = registry_of(reference);
    let path = match registry.as_str() {
        "docker.io" if !reference.path.contains('/') => format!("library/{}", reference.path),
        _ => reference.path.clone(),
    };
    (registry, path)
}

/// When each registry may next be asked, for the whole process.
static NEXT: Mutex<Option<HashMap<String, Instant>>> = Mutex::new(None);

/// Waits for `registry`'s next free slot and takes it: requests to one registry are at
/// least [`PACE`] apart, whoever asks.
async fn wait_turn(registry: &str) {
    let slot = {
        let mut next = NEXT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let next = next.get_or_insert_with(HashMap::new);
        let now = Instant::now();
        let slot = next
            .get(registry)
            .copied()
            .filter(|t| *t > now)
            .unwrap_or(now);
        next.insert(registry.to_string(), slot + PACE);
        slot
    };
    tokio::time::sleep_until(slot.into()).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tags_are_checked() {
        assert!(checkable("busybox:1").is_some());
        assert!(checkable("127.0.0.1:5000/app:1").is_some());
        assert!(checkable("busybox").is_none(), "no tag: listed as <none>");
        let pinned = format!("busybox:1@sha256:{}", "a".repeat(64));
        assert!(checkable(&pinned).is_none());
        assert!(checkable("sha256:0123").is_none());
        assert_eq!(target_name("busybox").as_deref(), Some("busybox:latest"));
        assert_eq!(target_name("busybox:1").as_deref(), Some("busybox:1"));
        assert_eq!(target_name(&pinned), None);
    }

    #[test]
    fn repo_digests_of_docker_hub_match_however_written() {
        let d = format!("sha256:{}", "b".repeat(64));
        let other = format!("sha256:{}", "c".repeat(64));
        let listed = vec![
            format!("docker.io/library/busybox@{d}"),
            format!("127.0.0.1:5000/busybox@{other}"),
        ];
        let busybox = checkable("busybox:1").expect("a tag");
        assert_eq!(digests_of(&listed, &busybox), vec![d.clone()]);
        let local = checkable("127.0.0.1:5000/busybox:1").expect("a tag");
        assert_eq!(digests_of(&listed, &local), vec![other]);
        assert_eq!(registry_of(&busybox), "docker.io");
        assert_eq!(registry_of(&local), "127.0.0.1:5000");
    }

    #[test]
    fn verdicts_from_the_registry_answer() {
        let d = format!("sha256:{}", "d".repeat(64));
        let e = format!("sha256:{}", "e".repeat(64));
        assert_eq!(
            compare(std::slice::from_ref(&d), Ok(d.clone())),
            Verdict::Current
        );
        assert_eq!(
            compare(std::slice::from_ref(&d), Ok(e.clone())),
            Verdict::Newer { digest: e }
        );
        let limited = compare(
            &[d],
            Err(RegistryError::RateLimited {
                retry_after: Some(120),
            }),
        );
        assert!(matches!(
            limited,
            Verdict::Unknown {
                transient: true,
                retry_after: Some(120),
                ..
            }
        ));
    }

    #[tokio::test]
    async fn one_registry_is_asked_at_most_once_a_second() {
        let started = Instant::now();
        for _ in 0..3 {
            wait_turn("pace.test").await;
        }
        // Three turns: now, +1 s, +2 s.
        assert!(started.elapsed() >= 2 * PACE, "{:?}", started.elapsed());
        let other = Instant::now();
        wait_turn("another.test").await;
        assert!(other.elapsed() < PACE, "another registry waits for none");
    }
}
