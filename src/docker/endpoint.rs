//! Which daemon to talk to, resolved the way the docker CLI does it:
//! `--host`, else `DOCKER_HOST`, else `DOCKER_CONTEXT` or the config's `currentContext`,
//! else the default socket.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointSource {
    Flag,
    Env,
    Context(String),
    Default,
}

/// Client certificates for a TLS connection (`DOCKER_CERT_PATH` or a context's tls folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TlsFiles {
    fn in_dir(dir: &Path) -> Self {
        Self {
            ca: dir.join("ca.pem"),
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub host: String,
    pub source: EndpointSource,
    pub tls: Option<TlsFiles>,
}

impl Endpoint {
    /// How the header names it: the context when one is in use, else the host.
    pub fn label(&self) -> String {
        match &self.source {
            EndpointSource::Context(name) => format!("{} (context {name})", self.host),
            _ => self.host.clone(),
        }
    }
}

impl Endpoint {
    /// What a docker CLI run by dockpit (a user's command) needs, besides `DOCKER_HOST`, to
    /// reach the same daemon the same way.
    pub fn docker_env(&self) -> Vec<(String, String)> {
        let Some(tls) = &self.tls else {
            return Vec::new();
        };
        let dir = tls.ca.parent().unwrap_or(Path::new("."));
        vec![
            ("DOCKER_TLS_VERIFY".into(), "1".into()),
            ("DOCKER_CERT_PATH".into(), dir.display().to_string()),
        ]
    }
}

/// The parts of the environment resolution reads, so tests need not touch the real one.
pub trait Environment {
    fn var(&self, name: &str) -> Option<String>;
    fn docker_config_dir(&self) -> Option<PathBuf> {
        self.var("DOCKER_CONFIG")
            .map(PathBuf::from)
            .or_else(|| self.var("HOME").map(|h| Path::new(&h).join(".docker")))
    }
}

pub struct ProcessEnv;

impl Environment for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("docker context \"{name}\" not found (looked in {path})")]
    ContextMissing { name: String, path: String },
    #[error("docker context \"{name}\" is unreadable: {detail}")]
    ContextInvalid { name: String, detail: String },
}

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(rename = "currentContext")]
    current_context: Option<String>,
}

#[derive(Deserialize)]
struct ContextMeta {
    #[serde(rename = "Endpoints")]
    endpoints: std::collections::HashMap<String, ContextEndpoint>,
}

#[derive(Deserialize)]
struct ContextEndpoint {
    #[serde(rename = "Host")]
    host: Option<String>,
}

pub fn resolve(flag: Option<&str>, env: &impl Environment) -> Result<Endpoint, EndpointError> {
    if let Some(host) = flag {
        return Ok(with_env_tls(host, EndpointSource::Flag, env));
    }
    if let Some(host) = env.var("DOCKER_HOST") {
        return Ok(with_env_tls(&host, EndpointSource::Env, env));
    }
    let config_dir = env.docker_config_dir();
    // A FIFO or an oversized config.json is refused here too (startup must not hang); a
    // malformed one falls back to the default, as the CLI does after its warning.
    let context = env.var("DOCKER_CONTEXT").or_else(|| {
        let path = config_dir.as_ref()?.join("config.json");
        let text = super::auth::read_small(&path, super::auth::MAX_CONFIG)
            .ok()
            .flatten()?;
        current_context(&text)
    });
    match (context, config_dir) {
        (Some(name), Some(dir)) if name != "default" => from_context(&name, &dir),
        _ => Ok(Endpoint {
            host: DEFAULT_HOST.into(),
            source: EndpointSource::Default,
            tls: None,
        }),
    }
}

fn with_env_tls(host: &str, source: EndpointSource, env: &impl Environment) -> Endpoint {
    // As the docker CLI: any non-empty value, "0" and "false" included, turns verification on.
    let tls = env.var("DOCKER_TLS_VERIFY").map(|_| {
        let dir = env
            .var("DOCKER_CERT_PATH")
            .map(PathBuf::from)
            .or_else(|| env.docker_config_dir())
            .unwrap_or_default();
        TlsFiles::in_dir(&dir)
    });
    Endpoint {
        host: host.to_string(),
        source,
        tls,
    }
}

/// The CLI stores a context under the sha256 of its name.
fn context_dir_name(name: &str) -> String {
    Sha256::digest(name.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The docker endpoint's host in a context's `meta.json` text.
pub fn context_host(text: &str) -> Result<String, String> {
    let meta: ContextMeta = serde_json::from_str(text).map_err(|e| e.to_string())?;
    meta.endpoints
        .get("docker")
        .and_then(|e| e.host.clone())
        .ok_or_else(|| "it has no docker endpoint host".to_string())
}

/// The `currentContext` a config.json's text names, if any.
pub fn current_context(text: &str) -> Option<String> {
    serde_json::from_str::<ConfigFile>(text)
        .ok()?
        .current_context
}

fn from_context(name: &str, config_dir: &Path) -> Result<Endpoint, EndpointError> {
    let hash = context_dir_name(name);
    let meta_path = config_dir
        .join("contexts/meta")
        .join(&hash)
        .join("meta.json");
    let text = super::auth::read_small(&meta_path, super::auth::MAX_CONFIG)
        .map_err(|detail| EndpointError::ContextInvalid {
            name: name.into(),
            detail,
        })?
        .ok_or_else(|| EndpointError::ContextMissing {
            name: name.into(),
            path: meta_path.display().to_string(),
        })?;
    let host = context_host(&text).map_err(|detail| EndpointError::ContextInvalid {
        name: name.into(),
        detail,
    })?;
    let tls_dir = config_dir.join("contexts/tls").join(&hash).join("docker");
    let tls = tls_dir.is_dir().then(|| TlsFiles::in_dir(&tls_dir));
    Ok(Endpoint {
        host,
        source: EndpointSource::Context(name.into()),
        tls,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct FakeEnv(HashMap<&'static str, String>);

    impl Environment for FakeEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
    }

    fn env(pairs: &[(&'static str, &str)]) -> FakeEnv {
        FakeEnv(pairs.iter().map(|(k, v)| (*k, v.to_string())).collect())
    }

    #[test]
    fn flag_beats_environment() {
        let e = env(&[("DOCKER_HOST", "unix:///env.sock")]);
        let ep = resolve(Some("tcp://h:2375"), &e).expect("resolves");
        assert_eq!(ep.host, "tcp://h:2375");
        assert_eq!(ep.source, EndpointSource::Flag);
    }

    #[test]
    fn docker_host_with_tls_variables() {
        let e = env(&[
            ("DOCKER_HOST", "tcp://h:2376"),
            ("DOCKER_TLS_VERIFY", "1"),
            ("DOCKER_CERT_PATH", "/certs"),
        ]);
        let ep = resolve(None, &e).expect("resolves");
        assert_eq!(ep.source, EndpointSource::Env);
        let tls = ep.tls.expect("tls");
        assert_eq!(tls.ca, PathBuf::from("/certs/ca.pem"));
        assert_eq!(tls.key, PathBuf::from("/certs/key.pem"));
    }

    #[test]
    fn any_tls_verify_value_means_tls_as_in_the_cli() {
        for value in ["0", "false", "no", "1"] {
            let e = env(&[
                ("DOCKER_HOST", "tcp://h:2376"),
                ("DOCKER_TLS_VERIFY", value),
                ("DOCKER_CERT_PATH", "/certs"),
            ]);
            let ep = resolve(None, &e).expect("resolves");
            assert!(ep.tls.is_some(), "DOCKER_TLS_VERIFY={value} must mean TLS");
        }
    }

    #[test]
    fn nothing_set_means_the_default_socket() {
        let ep = resolve(None, &env(&[("HOME", "/nonexistent")])).expect("resolves");
        assert_eq!(ep.host, DEFAULT_HOST);
        assert_eq!(ep.source, EndpointSource::Default);
    }

    #[test]
    fn current_context_is_read_from_the_config() {
        let dir = std::env::temp_dir().join(format!("dockpit-ctx-{}", std::process::id()));
        let meta = dir.join("contexts/meta").join(context_dir_name("remote"));
        std::fs::create_dir_all(&meta).expect("mkdir");
        std::fs::write(dir.join("config.json"), r#"{"currentContext":"remote"}"#).expect("write");
        std::fs::write(
            meta.join("meta.json"),
            r#"{"Name":"remote","Metadata":{},"Endpoints":{"docker":{"Host":"unix:///remote.sock","SkipTLSVerify":false}}}"#,
        )
        .expect("write");
        let e = env(&[("DOCKER_CONFIG", dir.to_str().expect("utf8"))]);
        let ep = resolve(None, &e).expect("resolves");
        assert_eq!(ep.host, "unix:///remote.sock");
        assert_eq!(ep.source, EndpointSource::Context("remote".into()));
        assert_eq!(ep.label(), "unix:///remote.sock (context remote)");

        // DOCKER_CONTEXT wins over the config file, and a missing context is an error.
        let e = env(&[
            ("DOCKER_CONFIG", dir.to_str().expect("utf8")),
            ("DOCKER_CONTEXT", "gone"),
        ]);
        let err = resolve(None, &e).expect_err("missing context");
        assert!(
            err.to_string()
                .contains("docker context \"gone\" not found")
        );
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn a_fifo_as_context_meta_is_refused_not_waited_on() {
        let dir = std::env::temp_dir().join(format!("dockpit-ctx-fifo-{}", std::process::id()));
        let meta = dir.join("contexts/meta").join(context_dir_name("odd"));
        std::fs::create_dir_all(&meta).expect("mkdir");
        let made = std::process::Command::new("mkfifo")
            .arg(meta.join("meta.json"))
            .status()
            .expect("mkfifo");
        assert!(made.success());
        let e = env(&[
            ("DOCKER_CONFIG", dir.to_str().expect("utf8")),
            ("DOCKER_CONTEXT", "odd"),
        ]);
        let err = resolve(None, &e).expect_err("refused");
        assert!(err.to_string().contains("not a regular file"), "{err}");
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn context_hash_matches_the_cli() {
        // `docker context create default-ish` stores under sha256("default").
        assert_eq!(
            context_dir_name("default"),
            "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f"
        );
    }
}
