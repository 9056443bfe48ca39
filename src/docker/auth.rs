//! Registry credentials from `~/.docker/config.json` (`auths`), as the docker CLI stores
//! them. Credential helpers (`credsStore`, `credHelpers`) are named, not run.
//!
//! The file is read off the UI's runtime (a blocking thread), only when it is a regular file
//! of at most 1 MiB, and again only when it changed; a malformed file is a warning, as in the
//! CLI, not a silent anonymous pull. (The `docker_credential` crate reads the file whole,
//! without these checks, and runs helpers; it would undo them.)

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use base64::Engine;
use bollard::auth::DockerCredentials;
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
struct ConfigFile {
    #[serde(default)]
    auths: HashMap<String, AuthEntry>,
    #[serde(rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(rename = "credHelpers", default)]
    cred_helpers: HashMap<String, String>,
}

#[derive(Deserialize, Clone)]
struct AuthEntry {
    auth: Option<String>,
    identitytoken: Option<String>,
}

#[derive(Debug, PartialEq)]
pub enum Credentials {
    /// Nothing stored for this registry: pull anonymously.
    None,
    Found(DockerCredentials),
    /// Stored in a helper dockpit does not run; the message says which.
    Helper(String),
    /// The config file is there but unusable (malformed, too large, not a file); the
    /// message says why, and the pull goes on anonymously as the CLI's does.
    Unreadable(String),
}

impl Credentials {
    /// What to tell the user about how the registry is reached, if anything.
    pub fn note(&self) -> Option<&str> {
        match self {
            Credentials::Helper(note) | Credentials::Unreadable(note) => Some(note),
            _ => None,
        }
    }

    /// User and password for a registry's basic or token auth.
    pub fn user_password(&self) -> Option<(String, String)> {
        match self {
            Credentials::Found(c) => c.username.clone().zip(c.password.clone()),
            _ => None,
        }
    }
}

/// The largest docker config or context file read; the CLI's are a few kB.
pub const MAX_CONFIG: u64 = 1024 * 1024;

/// Reads a small configuration file: `Ok(None)` when there is none; an error (said plainly)
/// for anything but a regular file of at most `limit` bytes. A FIFO or a device is refused
/// before it is opened, and opened without blocking in case it was swapped in since.
pub fn read_small(path: &Path, limit: u64) -> Result<Option<String>, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let shown = path.display();
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{shown}: {e}")),
    };
    let check = |meta: &std::fs::Metadata| {
        if !meta.is_file() {
            Err(format!("{shown} is not a regular file; not read"))
        } else if meta.len() > limit {
            Err(format!(
                "{shown} is larger than {} kB ({} bytes); not read",
                limit / 1024,
                meta.len()
            ))
        } else {
            Ok(())
        }
    };
    check(&meta)?;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(|e| format!("{shown}: {e}"))?;
    check(&file.metadata().map_err(|e| format!("{shown}: {e}"))?)?;
    let mut bytes = Vec::new();
    file.by_ref()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{shown}: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("{shown} grew past {} kB; not read", limit / 1024));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| format!("{shown} is not UTF-8 text"))
}

/// The last config read, with the file's modification time and size when it was read.
type Cached = (PathBuf, Option<SystemTime>, u64, Result<ConfigFile, String>);
static CACHE: Mutex<Option<Cached>> = Mutex::new(None);

/// The parsed config in `dir` (default when there is none), read again only if it changed.
fn load(dir: &Path) -> Result<ConfigFile, String> {
    let path = dir.join("config.json");
    let stamp = std::fs::metadata(&path)
        .ok()
        .map(|m| (m.modified().ok(), m.len()));
    if let Some((modified, len)) = stamp
        && let Ok(cache) = CACHE.lock()
        && let Some((p, m, l, config)) = cache.as_ref()
        && (p, *m, *l) == (&path, modified, len)
    {
        return config.clone();
    }
    let config = match read_small(&path, MAX_CONFIG) {
        Ok(None) => Ok(ConfigFile::default()),
        Ok(Some(text)) => serde_json::from_str::<ConfigFile>(&text)
            .map_err(|e| format!("{} is malformed: {e}", path.display())),
        Err(e) => Err(e),
    };
    if let Some((modified, len)) = stamp
        && let Ok(mut cache) = CACHE.lock()
    {
        *cache = Some((path, modified, len, config.clone()));
    }
    config
}

/// The key the CLI stores Docker Hub under.
const HUB: &str = "https://index.docker.io/v1/";

/// The credentials the user's docker config (`$DOCKER_CONFIG` or `~/.docker`) holds for
/// `registry` (`None`: Docker Hub), read on a blocking thread, never on the UI's runtime.
pub async fn lookup(registry: Option<&str>) -> Credentials {
    use super::endpoint::{Environment, ProcessEnv};
    let dir = ProcessEnv.docker_config_dir();
    let registry = registry.map(String::from);
    tokio::task::spawn_blocking(move || for_registry(dir.as_deref(), registry.as_deref()))
        .await
        .unwrap_or(Credentials::None)
}

pub fn for_registry(config_dir: Option<&Path>, registry: Option<&str>) -> Credentials {
    let Some(dir) = config_dir else {
        return Credentials::None;
    };
    match load(dir) {
        Ok(config) => in_config(&config, registry),
        Err(e) => Credentials::Unreadable(format!(
            "WARNING: error loading the docker config: {}; pulling anonymously",
            crate::format::inert(&e)
        )),
    }
}

/// What is wrong with the user's docker config, if anything (malformed, too large, not a
/// file): said at start, as the CLI warns on every command, rather than silently ignored.
pub fn config_warning() -> Option<String> {
    use super::endpoint::{Environment, ProcessEnv};
    let dir = ProcessEnv.docker_config_dir()?;
    load(&dir).err().map(|e| {
        format!(
            "WARNING: error loading the docker config: {}",
            crate::format::inert(&e)
        )
    })
}

/// The credentials in a config.json's text (for the fuzz sweep; [`for_registry`] reads files).
pub fn from_text(text: &str, registry: Option<&str>) -> Credentials {
    match serde_json::from_str::<ConfigFile>(text) {
        Ok(config) => in_config(&config, registry),
        Err(e) => Credentials::Unreadable(format!("malformed: {e}")),
    }
}

fn in_config(config: &ConfigFile, registry: Option<&str>) -> Credentials {
    // Docker Hub goes by several names; the CLI stores it under HUB.
    let server = match registry {
        None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io") => HUB,
        Some(r) => r,
    };
    let entry = config.auths.iter().find(|(key, _)| {
        let key = key
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        let key = key.split('/').next().unwrap_or(key);
        let want = server
            .trim_start_matches("https://")
            .split('/')
            .next()
            .unwrap_or(server);
        key == want
    });
    if let Some((key, entry)) = entry {
        if let Some(token) = &entry.identitytoken {
            return Credentials::Found(DockerCredentials {
                identitytoken: Some(token.clone()),
                serveraddress: Some(key.clone()),
                ..Default::default()
            });
        }
        if let Some(auth) = &entry.auth
            && let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(auth)
            && let Ok(pair) = String::from_utf8(raw)
            && let Some((user, pass)) = pair.split_once(':')
        {
            return Credentials::Found(DockerCredentials {
                username: Some(user.into()),
                password: Some(pass.into()),
                serveraddress: Some(key.clone()),
                ..Default::default()
            });
        }
    }
    let helper = registry
        .and_then(|r| config.cred_helpers.get(r))
        .or(config.creds_store.as_ref());
    match helper {
        Some(helper) => Credentials::Helper(format!(
            "credentials for {server} are kept by the docker-credential-{helper} helper, which dockpit does not run; pulling anonymously"
        )),
        None => Credentials::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A docker config folder for one test, removed when the test ends.
    struct ConfigDir(std::path::PathBuf);

    impl std::ops::Deref for ConfigDir {
        type Target = std::path::Path;
        fn deref(&self) -> &std::path::Path {
            &self.0
        }
    }

    impl Drop for ConfigDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn config(json: &str) -> ConfigDir {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("dockpit-auth-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("config.json"), json).expect("write");
        ConfigDir(dir)
    }

    #[test]
    fn basic_auth_is_decoded_for_its_registry() {
        // "user:secret"
        let dir = config(r#"{"auths":{"reg.example.com:5000":{"auth":"dXNlcjpzZWNyZXQ="}}}"#);
        match for_registry(Some(&dir), Some("reg.example.com:5000")) {
            Credentials::Found(c) => {
                assert_eq!(c.username.as_deref(), Some("user"));
                assert_eq!(c.password.as_deref(), Some("secret"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            for_registry(Some(&dir), Some("other.io")),
            Credentials::None
        );
    }

    #[test]
    fn a_fifo_a_large_or_a_malformed_config_is_a_warning_not_a_hang() {
        let dir = config("{not json");
        match for_registry(Some(&dir), None) {
            Credentials::Unreadable(msg) => assert!(msg.contains("malformed"), "{msg}"),
            other => panic!("{other:?}"),
        }
        // Too large: refused without reading it all.
        let big = format!(
            r#"{{"auths":{{}},"pad":"{}"}}"#,
            "x".repeat(MAX_CONFIG as usize)
        );
        std::fs::write(dir.join("config.json"), big).expect("write");
        match for_registry(Some(&dir), None) {
            Credentials::Unreadable(msg) => assert!(msg.contains("larger than"), "{msg}"),
            other => panic!("{other:?}"),
        }
        // A FIFO: refused at once (reading it would block until a writer came).
        std::fs::remove_file(dir.join("config.json")).expect("rm");
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("config.json"))
            .status()
            .expect("mkfifo");
        assert!(made.success());
        let started = std::time::Instant::now();
        match for_registry(Some(&dir), None) {
            Credentials::Unreadable(msg) => assert!(msg.contains("not a regular file"), "{msg}"),
            other => panic!("{other:?}"),
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        drop(dir);
    }

    #[test]
    fn a_changed_config_is_read_again() {
        let dir = config(r#"{"auths":{"a.example":{"auth":"dXNlcjpzZWNyZXQ="}}}"#);
        assert!(matches!(
            for_registry(Some(&dir), Some("a.example")),
            Credentials::Found(_)
        ));
        std::fs::write(dir.join("config.json"), r#"{"auths":{}}"#).expect("write");
        assert_eq!(
            for_registry(Some(&dir), Some("a.example")),
            Credentials::None
        );
    }

    #[test]
    fn a_helper_is_named_plainly() {
        let dir = config(r#"{"auths":{},"credsStore":"desktop"}"#);
        match for_registry(Some(&dir), None) {
            Credentials::Helper(msg) => assert!(msg.contains("docker-credential-desktop")),
            other => panic!("{other:?}"),
        }
    }
}
