//! The daemon's disk usage (`/system/df`, what `docker system df` reads): per kind a count,
//! the active ones, the size and what a prune could reclaim; and each volume's size.
//!
//! bollard 0.21 models `/system/df` in the format of API 1.52 (Engine 29), which the engines
//! dockpit supports (API 1.24 to 1.51) do not answer: its typed call would come back empty.
//! So the answer is read here (`raw`).

use std::collections::HashMap;

use bollard::Docker;
use serde::Deserialize;

use super::actions::OpError;

/// The most of the answer read (it lists every image, container, volume and cache record).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// One line of `docker system df`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub total: usize,
    pub active: usize,
    pub size: i64,
    pub reclaimable: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DiskUsage {
    pub images: Usage,
    pub containers: Usage,
    pub volumes: Usage,
    pub build_cache: Usage,
    /// Each volume's size by name (`None`: the daemon does not know, as for remote drivers).
    pub volume_sizes: HashMap<String, Option<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Answer {
    layers_size: i64,
    images: Option<Vec<Image>>,
    containers: Option<Vec<Container>>,
    volumes: Option<Vec<Volume>>,
    build_cache: Option<Vec<Cache>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Image {
    size: i64,
    shared_size: i64,
    containers: i64,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Container {
    state: String,
    size_rw: i64,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Volume {
    name: String,
    usage_data: Option<VolumeUsage>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct VolumeUsage {
    size: i64,
    ref_count: i64,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Cache {
    size: i64,
    in_use: bool,
    shared: bool,
}

pub async fn disk_usage(docker: &Docker) -> Result<DiskUsage, OpError> {
    let answer: Answer = super::raw::json(docker, "/system/df", MAX_BODY, "the disk usage answer")
        .await
        .map_err(|e| OpError::new(format!("the daemon's disk usage answer: {e}")))?;
    Ok(summarize(answer))
}

/// As the docker CLI counts them (`docker system df`).
fn summarize(a: Answer) -> DiskUsage {
    let images = a.images.unwrap_or_default();
    // Used: what the images containers use take beyond what they share.
    let used: i64 = images
        .iter()
        .filter(|i| i.containers > 0 && i.shared_size >= 0)
        .map(|i| i.size - i.shared_size)
        .sum();
    let containers = a.containers.unwrap_or_default();
    let volumes = a.volumes.unwrap_or_default();
    let cache = a.build_cache.unwrap_or_default();
    let sized = |v: &Volume| {
        v.usage_data
            .as_ref()
            .filter(|u| u.size >= 0)
            .map(|u| u.size)
    };
    let in_use = |v: &Volume| v.usage_data.as_ref().is_some_and(|u| u.ref_count > 0);
    // As `docker system df` counts them: paused and restarting containers are active too.
    let active = |state: &str| matches!(state, "running" | "paused" | "restarting");
    DiskUsage {
        images: Usage {
            total: images.len(),
            active: images.iter().filter(|i| i.containers > 0).count(),
            size: a.layers_size,
            reclaimable: (a.layers_size - used).max(0),
        },
        containers: Usage {
            total: containers.len(),
            active: containers.iter().filter(|c| active(&c.state)).count(),
            size: containers.iter().map(|c| c.size_rw).sum(),
            reclaimable: containers
                .iter()
                .filter(|c| !active(&c.state))
                .map(|c| c.size_rw)
                .sum(),
        },
        volumes: Usage {
            total: volumes.len(),
            active: volumes.iter().filter(|v| in_use(v)).count(),
            size: volumes.iter().filter_map(sized).sum(),
            reclaimable: volumes
                .iter()
                .filter(|v| !in_use(v))
                .filter_map(sized)
                .sum(),
        },
        build_cache: Usage {
            total: cache.len(),
            active: cache.iter().filter(|c| c.in_use).count(),
            size: cache.iter().filter(|c| !c.shared).map(|c| c.size).sum(),
            reclaimable: cache
                .iter()
                .filter(|c| !c.shared && !c.in_use)
                .map(|c| c.size)
                .sum(),
        },
        volume_sizes: volumes.iter().map(|v| (v.name.clone(), sized(v))).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_docker_system_df_does() {
        let json = serde_json::json!({
            "LayersSize": 1000,
            "Images": [
                {"Size": 600, "SharedSize": 100, "Containers": 1},
                {"Size": 500, "SharedSize": 100, "Containers": 0}
            ],
            "Containers": [
                {"State": "running", "SizeRw": 10},
                {"State": "paused", "SizeRw": 1},
                {"State": "restarting", "SizeRw": 2},
                {"State": "exited", "SizeRw": 30}
            ],
            "Volumes": [
                {"Name": "used", "UsageData": {"Size": 7, "RefCount": 1}},
                {"Name": "free", "UsageData": {"Size": 5, "RefCount": 0}},
                {"Name": "remote", "UsageData": {"Size": -1, "RefCount": 0}}
            ],
            "BuildCache": [
                {"Size": 50, "InUse": false, "Shared": false},
                {"Size": 20, "InUse": true, "Shared": false},
                {"Size": 99, "InUse": false, "Shared": true}
            ]
        });
        let answer: Answer = serde_json::from_value(json).expect("the legacy answer");
        let df = summarize(answer);
        let usage = |total, active, size, reclaimable| Usage {
            total,
            active,
            size,
            reclaimable,
        };
        assert_eq!(df.images, usage(2, 1, 1000, 500));
        assert_eq!(
            df.containers,
            usage(4, 3, 43, 30),
            "paused and restarting are active"
        );
        assert_eq!(df.volumes, usage(3, 1, 12, 5));
        assert_eq!(df.build_cache, usage(3, 1, 70, 50));
        assert_eq!(df.volume_sizes["free"], Some(5));
        assert_eq!(df.volume_sizes["remote"], None);
        // An engine that has no build cache answers null.
        let empty: Answer = serde_json::from_str(r#"{"BuildCache": null}"#).expect("parse");
        assert_eq!(summarize(empty).build_cache, Usage::default());
    }
}
