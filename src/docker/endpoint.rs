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
    /// A short name for lists and tabs: the context's name, else the endpoint's host
    /// (`build1` for `ssh://deploy@build1:22`, the socket's folder for a unix socket other
    /// than the default one, `local` for that).
    pub fn short_name(&self) -> String {
        if let EndpointSource::Context(name) = &self.source {
            return name.clone();
        }
        let host = self.host.as_str();
        if host == DEFAULT_HOST {
            return "local".into();
        }
        if let Some(path) = host.strip_prefix("unix://") {
            let path = Path::new(path);
            let named = match path.file_name().and_then(|f| f.to_str()) {
                Some("docker.sock") | None => path.parent().and_then(|p| p.file_name()),
                Some(_) => path.file_name(),
            };
            return named
                .and_then(|n| n.to_str())
                .unwrap_or("local")
                .to_string();
        }
        let rest = host.split_once("://").map_or(host, |(_, rest)| rest);
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        let rest = rest.split('/').next().unwrap_or(rest);
        // A port after a name or an IPv4 address; an IPv6 address keeps its brackets' inside.
        let name = match rest.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None => rest.split(':').next().unwrap_or(rest),
        };
        name.to_string()
    }

    /// How the docker CLI is told to reach it: `--context NAME` or `-H URL`.
    pub fn cli_flag(&self) -> String {
        match &self.source {
            EndpointSource::Context(name) => format!("--context {name}"),
            _ => format!("-H {}", self.host),
        }
    }

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
    #[serde(rename = "Name")]
    name: Option<String>,
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
    Endpoint {
        host: host.to_string(),
        source,
        tls: env_tls(env),
    }
}

/// The client certificates `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH` ask for, if any.
pub fn env_tls(env: &impl Environment) -> Option<TlsFiles> {
    // As the docker CLI: any non-empty value, "0" and "false" included, turns verification on.
    env.var("DOCKER_TLS_VERIFY").map(|_| {
        let dir = env
            .var("DOCKER_CERT_PATH")
            .map(PathBuf::from)
            .or_else(|| env.docker_config_dir())
            .unwrap_or_default();
        TlsFiles::in_dir(&dir)
    })
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

/// Whether `host` is an endpoint dockpit can reach: `unix:///path`, `tcp://host:port` or
/// `ssh://[user@]host[:port]`; else what is wrong, with the forms that work.
pub fn check_host(host: &str) -> Result<(), String> {
    const FORMS: &str = "unix:///path/docker.sock, tcp://host:2376 or ssh://user@host";
    let Some((scheme, rest)) = host.split_once("://") else {
        return Err(format!("{host:?} is not an endpoint: write {FORMS}"));
    };
    let ok = match scheme {
        "unix" => rest.starts_with('/') && rest.len() > 1,
        "tcp" | "ssh" | "http" | "https" => {
            let authority = rest.split('/').next().unwrap_or("");
            let name = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            !name.is_empty() && !name.starts_with(':')
        }
        _ => {
            return Err(format!(
                "{scheme}:// is not a Docker endpoint dockpit knows: write {FORMS}"
            ));
        }
    };
    if scheme == "ssh" {
        ssh_destination(rest)?;
    } else if let Some(port) = tcp_port(rest)
        && !matches!(port.parse::<u16>(), Ok(p) if p > 0)
    {
        return Err(format!(
            "{port:?} in {host:?} is not a port (1 to 65535): write {FORMS}"
        ));
    }
    if ok || rest.chars().any(char::is_control) {
        if rest.chars().any(char::is_control) {
            return Err("an endpoint is one line of text".into());
        }
        Ok(())
    } else {
        Err(format!("{host:?} names no host or socket: write {FORMS}"))
    }
}

/// The port written after a `tcp://` (or `http(s)://`) endpoint's host, if any: after a
/// name or an IPv4 address, or after an IPv6 address's brackets.
fn tcp_port(rest: &str) -> Option<&str> {
    let authority = rest.split('/').next().unwrap_or(rest);
    let name = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match name.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.1.strip_prefix(':'),
        None => name.rsplit_once(':').map(|(_, port)| port),
    }
}

/// What `ssh` is given of an `ssh://` endpoint: never an option (a destination starting with
/// `-` would be one), and no port, which bollard's ssh transport does not pass on: the
/// error says where it goes instead.
fn ssh_destination(rest: &str) -> Result<(), String> {
    let authority = rest.split('/').next().unwrap_or("");
    if authority.starts_with('-') || authority.contains(" -") {
        return Err(format!(
            "ssh://{authority} would be an option to ssh, not a host"
        ));
    }
    let name = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let port = match name.strip_prefix('[') {
        Some(v6) => v6.split_once("]:"),
        None => name.rsplit_once(':'),
    };
    if let Some((host, port)) = port {
        return Err(format!(
            "ssh://{authority}: a port in an ssh:// endpoint is not passed on to ssh: give it in ~/.ssh/config (Host {host} / Port {port}) and write ssh://{}",
            authority.trim_end_matches(&format!(":{port}"))
        ));
    }
    Ok(())
}

/// `-H URL` may end in `,ro`: that host is read-only.
pub fn host_flag(value: &str) -> (&str, bool) {
    match value.strip_suffix(",ro") {
        Some(host) => (host, true),
        None => (value, false),
    }
}

/// Every host given on the command line (`-H`, `--context`, `--all-contexts`), each with
/// whether it is read-only; none given: the one the docker CLI would use.
pub fn resolve_all(
    hosts: &[String],
    contexts: &[String],
    all_contexts: bool,
    env: &impl Environment,
) -> Result<Vec<(Endpoint, bool)>, EndpointError> {
    let mut out = Vec::new();
    for value in hosts {
        let (host, ro) = host_flag(value);
        out.push((with_env_tls(host, EndpointSource::Flag, env), ro));
    }
    // Each named context must resolve; of all contexts, those that do not are skipped
    // (the hosts view lists them with why).
    let all = if all_contexts {
        context_names(env)
    } else {
        Vec::new()
    };
    let named = contexts.iter().map(|n| (n.clone(), true));
    for (name, required) in named.chain(all.into_iter().map(|n| (n, false))) {
        let endpoint = match named_context(&name, env) {
            Ok(endpoint) => endpoint,
            Err(e) if required => return Err(e),
            Err(e) => {
                tracing::warn!("context {name} skipped: {e}");
                continue;
            }
        };
        if !out.iter().any(|(e, _)| *e == endpoint) {
            out.push((endpoint, false));
        }
    }
    if out.is_empty() {
        out.push((resolve(None, env)?, false));
    }
    Ok(out)
}

/// A context by name; `default` is the default socket (or `DOCKER_HOST`), as the CLI has it.
pub fn named_context(name: &str, env: &impl Environment) -> Result<Endpoint, EndpointError> {
    if name == "default" {
        let host = env
            .var("DOCKER_HOST")
            .unwrap_or_else(|| DEFAULT_HOST.into());
        let mut endpoint = with_env_tls(&host, EndpointSource::Context("default".into()), env);
        if env.var("DOCKER_HOST").is_none() {
            endpoint.tls = None;
        }
        return Ok(endpoint);
    }
    let dir = env
        .docker_config_dir()
        .ok_or_else(|| EndpointError::ContextMissing {
            name: name.into(),
            path: "~/.docker (HOME is not set)".into(),
        })?;
    from_context(name, &dir)
}

/// The names of the docker contexts in the config folder, `default` first, the rest sorted.
pub fn context_names(env: &impl Environment) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(dir) = env.docker_config_dir()
        && let Ok(entries) = std::fs::read_dir(dir.join("contexts/meta"))
    {
        for entry in entries.flatten().take(1000) {
            let path = entry.path().join("meta.json");
            let text = super::auth::read_small(&path, super::auth::MAX_CONFIG)
                .ok()
                .flatten();
            let name = text
                .and_then(|t| serde_json::from_str::<ContextMeta>(&t).ok())
                .and_then(|m| m.name);
            if let Some(name) = name.filter(|n| n != "default") {
                names.push(name);
            }
        }
    }
    names.sort();
    names.insert(0, "default".into());
    names
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
    fn an_ssh_endpoint_is_never_an_option_and_a_port_says_where_it_goes() {
        assert_eq!(check_host("ssh://deploy@build1"), Ok(()));
        let port = check_host("ssh://u@h:2222").expect_err("a port");
        assert!(
            port.contains("~/.ssh/config") && port.contains("Port 2222"),
            "{port}"
        );
        assert!(port.contains("write ssh://u@h"), "{port}");
        let option = check_host("ssh://-oProxyCommand=touch${IFS}x").expect_err("an option");
        assert!(option.contains("option"), "{option}");
    }

    #[test]
    fn a_tcp_endpoint_with_a_port_that_is_not_one_is_refused() {
        for good in [
            "tcp://h:2376",
            "tcp://10.0.0.5:2375",
            "tcp://[::1]:2375",
            "tcp://h",
        ] {
            assert_eq!(check_host(good), Ok(()), "{good}");
        }
        for bad in [
            "tcp://nowhere:bad",
            "tcp://h:70000",
            "tcp://h:0",
            "tcp://[::1]:x",
        ] {
            let why = check_host(bad).expect_err(bad);
            assert!(why.contains("is not a port"), "{bad}: {why}");
        }
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
