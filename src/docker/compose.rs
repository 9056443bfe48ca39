//! Docker Compose's labels on a container: the project (and service) it belongs to, and
//! where that project's files are. Compose v1 and v2 both set them.

use std::collections::HashMap;
use std::sync::Arc;

pub const PROJECT: &str = "com.docker.compose.project";
pub const SERVICE: &str = "com.docker.compose.service";
pub const WORKING_DIR: &str = "com.docker.compose.project.working_dir";
pub const CONFIG_FILES: &str = "com.docker.compose.project.config_files";
pub const CONFIG_HASH: &str = "com.docker.compose.config-hash";

/// Labels Compose (v1, v2, podman-compose) sets on the containers it makes but never on the
/// images it builds, which carry the project and service too (and so does a container `docker
/// run` makes from one).
const MADE_BY_COMPOSE: [&str; 5] = [
    WORKING_DIR,
    CONFIG_FILES,
    CONFIG_HASH,
    "com.docker.compose.container-number",
    "com.docker.compose.oneoff",
];

/// A container's place in a Compose project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compose {
    pub project: String,
    pub service: String,
    pub working_dir: String,
    /// As Compose writes them: comma-separated paths.
    pub config_files: String,
    /// Compose's hash of the service's configuration when it made the container.
    pub config_hash: String,
}

impl Compose {
    /// From a container's labels; `None` for a container of no project, or one Compose did
    /// not make (its image's labels: `u` would recreate the project's service, not it).
    /// Shared (`Arc`): rows are cloned on every listing.
    pub fn from_labels(labels: &HashMap<String, String>) -> Option<Arc<Self>> {
        let project = labels.get(PROJECT).filter(|p| !p.is_empty())?;
        if !MADE_BY_COMPOSE.iter().any(|l| labels.contains_key(*l)) {
            return None;
        }
        let label = |name: &str| labels.get(name).cloned().unwrap_or_default();
        Some(Arc::new(Self {
            project: project.clone(),
            service: label(SERVICE),
            working_dir: label(WORKING_DIR),
            config_files: label(CONFIG_FILES),
            config_hash: label(CONFIG_HASH),
        }))
    }

    /// The config files as short as they can be said: relative to the working folder when
    /// they are in it ("compose.yml, compose.prod.yml").
    pub fn files(&self) -> String {
        let dir = self.working_dir.trim_end_matches('/');
        self.config_files
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(|f| {
                f.strip_prefix(dir)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .filter(|_| !dir.is_empty())
                    .unwrap_or(f)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_make_a_project_and_files_read_short() {
        let labels: HashMap<String, String> = [
            (PROJECT, "shop"),
            (SERVICE, "web"),
            (WORKING_DIR, "/src/shop"),
            (CONFIG_FILES, "/src/shop/compose.yml,/etc/extra.yml"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let compose = Compose::from_labels(&labels).expect("a project");
        assert_eq!(
            (compose.project.as_str(), compose.service.as_str()),
            ("shop", "web")
        );
        assert_eq!(compose.files(), "compose.yml, /etc/extra.yml");
        assert_eq!(Compose::from_labels(&HashMap::new()), None);
        let empty: HashMap<String, String> = [(PROJECT.to_string(), String::new())].into();
        assert_eq!(
            Compose::from_labels(&empty),
            None,
            "an empty project is none"
        );
    }

    /// `docker run` of an image Compose built: the image's labels name a project and a
    /// service, but Compose did not make the container (nor does `docker compose ps` list it).
    #[test]
    fn a_container_run_from_an_image_compose_built_is_of_no_project() {
        let image_labels = [
            (PROJECT, "shop"),
            (SERVICE, "worker"),
            ("com.docker.compose.version", "2.40.3"),
        ];
        let labels: HashMap<String, String> = (image_labels.into_iter())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(Compose::from_labels(&labels), None);
        // Compose v1 without the folder labels: its container number says it made it.
        let mut v1 = labels.clone();
        v1.insert("com.docker.compose.container-number".into(), "1".into());
        assert!(Compose::from_labels(&v1).is_some());
    }
}
