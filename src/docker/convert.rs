//! Engine API models → the rows the panes show. Pure, so it is tested without a daemon.

use std::collections::HashMap;

use bollard::models::{ImageDeleteResponseItem, ImageSummary};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use super::status::{Aging, ListedAt};
use super::{ContainerRow, ContainerState, EngineEvent, EventKind, ImageRow};

/// One row per name, like `docker image ls`; an untagged image gets one row without a
/// repository or tag (`<none>` on screen).
pub fn image_rows(image: &ImageSummary) -> Vec<ImageRow> {
    let names: Vec<(Option<String>, Option<String>)> = image
        .repo_tags
        .iter()
        .filter(|t| t.as_str() != "<none>:<none>")
        .map(|t| split_tag(t))
        .collect();
    let names = if names.is_empty() {
        // Pulled by digest only: docker shows the repository without a tag.
        // Engine 20.10 lists a dangling image's digests as `<none>@<none>`: no repository.
        let repo = (image.repo_digests.iter())
            .filter(|d| d.as_str() != "<none>@<none>")
            .find_map(|d| d.split_once('@'))
            .map(|(repo, _)| repo.to_string());
        vec![(repo, None)]
    } else {
        names
    };
    names
        .into_iter()
        .map(|(repository, tag)| ImageRow {
            registry_copy: registry_copy(image, repository.as_deref()),
            host: Default::default(),
            key: format!(
                "{}|{}:{}",
                image.id,
                repository.as_deref().unwrap_or_default(),
                tag.as_deref().unwrap_or_default()
            ),
            id: image.id.clone(),
            repository,
            tag,
            size: image.size,
            created: image.created,
        })
        .collect()
}

/// Whether `repository` has one of the image's repo digests (`docker.io/library/busybox`
/// and `busybox` are one).
fn registry_copy(image: &ImageSummary, repository: Option<&str>) -> bool {
    let Some(reference) = repository.and_then(|r| crate::reference::parse(r).ok()) else {
        return false;
    };
    !super::updates::digests_of(&image.repo_digests, &reference).is_empty()
}

/// "host:5000/a/b:tag" → ("host:5000/a/b", "tag"): the tag is after the last colon that
/// follows the last slash, so a registry port is not taken for a tag.
fn split_tag(reference: &str) -> (Option<String>, Option<String>) {
    let slash = reference.rfind('/').map_or(0, |i| i + 1);
    match reference[slash..].rfind(':') {
        Some(i) => (
            Some(reference[..slash + i].to_string()),
            Some(reference[slash + i + 1..].to_string()),
        ),
        None => (Some(reference.to_string()), None),
    }
}

/// The exit code in a status as the daemon writes it: "Exited (137) 5 minutes ago".
pub fn exit_code(status: &str) -> Option<i64> {
    let rest = status.strip_prefix("Exited (")?;
    rest[..rest.find(')')?].parse().ok()
}

/// The image a container shows: its name, or, once that name went to another image (or
/// away), the short id `docker ps` shows.
fn container_image(image: &str) -> String {
    match image.strip_prefix("sha256:") {
        Some(id) => id.chars().take(12).collect(),
        None => image.to_string(),
    }
}

/// A container as `/containers/json` lists it: what dockpit reads of it, each field read
/// leniently (a value of another type than the API's is left out), so one odd container (a
/// state this version does not know, a port above 65535, a protocol of its own) is shown as
/// it came and never fails the listing, as bollard's all-or-nothing model did: the host
/// went down with it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Listed {
    #[serde(deserialize_with = "lenient")]
    pub id: String,
    #[serde(deserialize_with = "lenient")]
    pub names: Vec<String>,
    #[serde(deserialize_with = "lenient")]
    pub image: String,
    #[serde(rename = "ImageID", deserialize_with = "lenient")]
    pub image_id: String,
    #[serde(deserialize_with = "lenient")]
    pub state: String,
    #[serde(deserialize_with = "lenient")]
    pub status: String,
    #[serde(deserialize_with = "lenient")]
    pub ports: Vec<ListedPort>,
    #[serde(deserialize_with = "lenient")]
    pub created: i64,
    #[serde(deserialize_with = "lenient")]
    pub labels: HashMap<String, String>,
    #[serde(deserialize_with = "lenient")]
    pub mounts: Vec<ListedMount>,
    #[serde(deserialize_with = "lenient")]
    pub network_settings: ListedNetworks,
}

/// A published or exposed port, its numbers and protocol as they came.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListedPort {
    #[serde(rename = "IP", deserialize_with = "lenient")]
    pub ip: String,
    #[serde(deserialize_with = "lenient")]
    pub private_port: u64,
    #[serde(deserialize_with = "lenient")]
    pub public_port: Option<u64>,
    #[serde(rename = "Type", deserialize_with = "lenient")]
    pub typ: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListedMount {
    #[serde(rename = "Type", deserialize_with = "lenient")]
    pub typ: String,
    #[serde(deserialize_with = "lenient")]
    pub name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListedNetworks {
    /// The networks it is attached to, by name.
    #[serde(deserialize_with = "lenient")]
    pub networks: HashMap<String, ListedEndpoint>,
}

/// A container's attachment to a network: a stopped container keeps it with no endpoint.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListedEndpoint {
    #[serde(rename = "EndpointID", deserialize_with = "lenient")]
    pub endpoint_id: String,
}

/// A field's value if it is of the expected type, else its default.
fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(d: D) -> Result<T, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(serde_json::from_value(value).unwrap_or_default())
}

/// A listed container as its row; `at`: when it was listed, which its status's duration
/// counts back from.
pub fn container_row(c: &Listed, at: ListedAt) -> ContainerRow {
    let name = c
        .names
        .first()
        .map(|n| n.trim_start_matches('/').to_string())
        .unwrap_or_else(|| crate::format::short_id(&c.id).to_string());
    ContainerRow {
        host: Default::default(),
        name,
        image: container_image(&c.image),
        image_id: c.image_id.clone(),
        state: state(&c.state),
        status: c.status.clone(),
        aging: Aging::parse(&c.status, at),
        ports: ports(&c.ports),
        created: c.created,
        compose: super::compose::Compose::from_labels(&c.labels),
        id: c.id.clone().into(),
    }
}

fn state(s: &str) -> ContainerState {
    match s {
        "created" => ContainerState::Created,
        "running" => ContainerState::Running,
        "paused" => ContainerState::Paused,
        "restarting" => ContainerState::Restarting,
        "removing" => ContainerState::Removing,
        "exited" => ContainerState::Exited,
        "dead" => ContainerState::Dead,
        "" => ContainerState::Unknown,
        other => ContainerState::Other(super::StateName::new(other)),
    }
}

/// How many of the images listed as dangling before a prune it removed. The prune's answer
/// is not a count of images: the classic store adds a record per deleted layer, the
/// containerd store an "Untagged" record and one per deleted content blob.
pub fn pruned_images(dangling: &[String], deleted: &[ImageDeleteResponseItem]) -> usize {
    dangling
        .iter()
        .filter(|id| {
            deleted.iter().any(|d| {
                d.deleted.as_deref() == Some(id.as_str())
                    || d.untagged.as_deref() == Some(id.as_str())
            })
        })
        .count()
}

/// Whether a pull's layer status means the daemon has the layer's bytes. The classic store
/// goes "Downloading" → "Download complete" → "Extracting" → "Pull complete"; Engine 26's
/// containerd store ends a layer at "Download complete" (it unpacks the image afterwards,
/// without per-layer progress); both say "Already exists" for a layer they had.
pub fn layer_fetched(status: &str) -> bool {
    matches!(
        status,
        "Download complete" | "Extracting" | "Pull complete" | "Already exists"
    )
}

/// Whether the daemon keeps images in containerd (Engine 26 with the feature on, new installs
/// of Engine 29): image ids are then the digests of what was pulled (an index or a manifest),
/// not of a config.
pub fn containerd_store(info: &bollard::models::SystemInfo) -> bool {
    info.driver_status.iter().flatten().any(|pair| {
        pair.first().map(String::as_str) == Some("driver-type")
            && pair
                .get(1)
                .is_some_and(|t| t.starts_with("io.containerd.snapshotter"))
    })
}

/// A JSON value as plain text: strings without quotes, null as nothing.
pub fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Bytes kept of an event attribute's key or value, and attributes kept per event.
const MAX_ATTRIBUTE: usize = 256;
const MAX_ATTRIBUTES: usize = 64;

fn cut(text: &str, max: usize) -> String {
    crate::format::cut(text, max)
}

pub fn engine_event(m: &bollard::models::EventMessage) -> EngineEvent {
    let actor = m.actor.clone().unwrap_or_default();
    // Attributes carry a container's labels, which an image (from any registry) sets: each
    // is cut, and only so many are kept, so 1,000 kept events stay small.
    let mut attributes: Vec<(String, String)> = actor
        .attributes
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (cut(&k, MAX_ATTRIBUTE), cut(&v, MAX_ATTRIBUTE)))
        .collect();
    attributes.sort();
    attributes.truncate(MAX_ATTRIBUTES);
    EngineEvent {
        time: m
            .time_nano
            .unwrap_or_else(|| m.time.unwrap_or_default().saturating_mul(1_000_000_000)),
        kind: EventKind::parse(&m.typ.map(|t| t.to_string()).unwrap_or_default()),
        action: m.action.clone().unwrap_or_default(),
        actor_id: actor.id.unwrap_or_default(),
        attributes,
    }
}

/// As `docker ps` prints them: "0.0.0.0:8080->80/tcp, 53/udp".
pub fn ports(list: &[ListedPort]) -> String {
    let mut items: Vec<(u64, String)> = list
        .iter()
        .map(|p| {
            let proto = if p.typ.is_empty() { "tcp" } else { &p.typ };
            let text = match p.public_port {
                Some(public) if p.ip.contains(':') => {
                    format!("[{}]:{public}->{}/{proto}", p.ip, p.private_port)
                }
                Some(public) => format!("{}:{public}->{}/{proto}", p.ip, p.private_port),
                None => format!("{}/{proto}", p.private_port),
            };
            (p.private_port, text)
        })
        .collect();
    items.sort();
    items.dedup();
    items
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_and_untagged_images_read_like_docker_ps() {
        assert_eq!(exit_code("Exited (0) 5 minutes ago"), Some(0));
        assert_eq!(exit_code("Exited (137) 2 hours ago"), Some(137));
        assert_eq!(exit_code("Up 3 seconds"), None);
        assert_eq!(container_image("busybox:1"), "busybox:1");
        assert_eq!(
            container_image(&format!("sha256:{}", "ab12".repeat(16))),
            "ab12ab12ab12"
        );
    }

    #[test]
    fn an_event_with_huge_labels_is_kept_small() {
        let attributes: std::collections::HashMap<String, String> = (0..1_000)
            .map(|i| (format!("label{i:04}"), "v".repeat(100_000)))
            .collect();
        let message = bollard::models::EventMessage {
            actor: Some(bollard::models::EventActor {
                id: Some("abc".into()),
                attributes: Some(attributes),
            }),
            ..Default::default()
        };
        let event = engine_event(&message);
        assert_eq!(event.attributes.len(), MAX_ATTRIBUTES);
        let bytes: usize = event
            .attributes
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum();
        assert!(bytes < 64 * 300, "{bytes} bytes kept");
        assert!(event.attributes[0].1.ends_with("bytes cut]"));
    }

    fn image(tags: &[&str], digests: &[&str]) -> ImageSummary {
        ImageSummary {
            id: "sha256:abc".into(),
            repo_tags: tags.iter().map(|s| s.to_string()).collect(),
            repo_digests: digests.iter().map(|s| s.to_string()).collect(),
            size: 10,
            created: 5,
            ..Default::default()
        }
    }

    #[test]
    fn a_row_has_a_registry_copy_only_with_a_digest_of_its_repository() {
        let d = format!("sha256:{}", "a".repeat(64));
        let pulled = format!("docker.io/library/busybox@{d}");
        let rows = image_rows(&image(&["busybox:1", "mine:1"], &[&pulled]));
        let copies: Vec<_> = rows.iter().map(|r| r.registry_copy).collect();
        assert_eq!(copies, [true, false], "mine:1 was tagged here");
        let built = image_rows(&image(&["app:latest"], &[]));
        assert!(!built[0].registry_copy);
    }

    #[test]
    fn one_row_per_tag_and_registry_ports_are_not_tags() {
        let rows = image_rows(&image(&["busybox:1", "127.0.0.1:5000/x/busybox:2"], &[]));
        let names: Vec<_> = rows
            .iter()
            .map(|r| (r.repository.as_deref(), r.tag.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                (Some("busybox"), Some("1")),
                (Some("127.0.0.1:5000/x/busybox"), Some("2"))
            ]
        );
        assert_ne!(rows[0].key, rows[1].key);
    }

    #[test]
    fn untagged_images_show_none() {
        let rows = image_rows(&image(&["<none>:<none>"], &[]));
        assert_eq!(
            (rows[0].repository.as_deref(), rows[0].tag.as_deref()),
            (None, None)
        );
        assert_eq!(rows[0].name(), None);
        // As Engine 20.10 lists a dangling image: a prune counts it, nothing names it.
        let rows = image_rows(&image(&["<none>:<none>"], &["<none>@<none>"]));
        assert_eq!(
            (rows[0].repository.as_deref(), rows[0].tag.as_deref()),
            (None, None)
        );
        let rows = image_rows(&image(&[], &["127.0.0.1:5000/busybox@sha256:00"]));
        assert_eq!(
            rows[0].repository.as_deref(),
            Some("127.0.0.1:5000/busybox")
        );
        assert_eq!(rows[0].tag, None);
        assert_eq!(rows[0].name(), None, "a bare repository would mean :latest");
    }

    #[test]
    fn ports_read_like_docker_ps() {
        let port = |ip: &str, private_port, public_port, typ: &str| ListedPort {
            ip: ip.into(),
            private_port,
            public_port,
            typ: typ.into(),
        };
        let list = [
            port("0.0.0.0", 80, Some(8080), "tcp"),
            port("::", 80, Some(8080), "tcp"),
            port("", 53, None, "udp"),
        ];
        assert_eq!(
            ports(&list),
            "53/udp, 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp"
        );
    }

    #[test]
    fn a_prune_counts_images_not_layers_or_blobs() {
        let item = |untagged: Option<&str>, deleted: Option<&str>| ImageDeleteResponseItem {
            untagged: untagged.map(str::to_string),
            deleted: deleted.map(str::to_string),
        };
        let dangling = ["sha256:a1".to_string()];
        // Engine 20.10 (classic store): the image, then its layer.
        let classic = [item(None, Some("sha256:a1")), item(None, Some("sha256:l1"))];
        assert_eq!(pruned_images(&dangling, &classic), 1);
        // Engine 26 (containerd store): untagged, the image, then its config blob.
        let containerd = [
            item(Some("sha256:a1"), None),
            item(None, Some("sha256:a1")),
            item(None, Some("sha256:c1")),
        ];
        assert_eq!(pruned_images(&dangling, &containerd), 1);
        assert_eq!(pruned_images(&dangling, &[]), 0);
    }

    #[test]
    fn a_layer_is_fetched_at_each_stores_last_status() {
        // Engine 26's containerd store: its last word on a layer.
        assert!(layer_fetched("Download complete"));
        // The classic store's.
        assert!(layer_fetched("Pull complete"));
        assert!(layer_fetched("Already exists"));
        for status in [
            "Pulling fs layer",
            "Waiting",
            "Downloading",
            "Verifying Checksum",
        ] {
            assert!(!layer_fetched(status), "{status}");
        }
    }

    #[test]
    fn the_image_store_is_read_from_the_driver_status() {
        let info = |status: &[[&str; 2]]| bollard::models::SystemInfo {
            driver_status: Some(
                status
                    .iter()
                    .map(|p| p.iter().map(|s| s.to_string()).collect())
                    .collect(),
            ),
            ..Default::default()
        };
        // Engine 26.1 with {"features":{"containerd-snapshotter":true}}.
        assert!(containerd_store(&info(&[[
            "driver-type",
            "io.containerd.snapshotter.v1"
        ]])));
        // Engine 20.10, overlay2.
        assert!(!containerd_store(&info(&[
            ["Backing Filesystem", "extfs"],
            ["Supports d_type", "true"]
        ])));
        assert!(!containerd_store(&bollard::models::SystemInfo::default()));
    }

    #[test]
    fn container_names_lose_the_slash() {
        let c = Listed {
            id: "0123456789abcdef".into(),
            names: vec!["/web".into()],
            state: "exited".into(),
            status: "Exited (137) 2 hours ago".into(),
            ..Default::default()
        };
        let row = container_row(&c, ListedAt::default());
        assert_eq!(row.name, "web");
        assert_eq!(row.state, ContainerState::Exited);
    }
}
