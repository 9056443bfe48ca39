//! Opening a connection to the daemon, and turning failures into something a person can act on.

use std::io;

use bollard::{API_DEFAULT_VERSION, ClientVersion, Docker};

use super::{Endpoint, EngineInfo};

/// Seconds a single request may take; streams (events, logs) are not bound by it.
const REQUEST_TIMEOUT: u64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectErrorKind {
    SocketMissing,
    PermissionDenied,
    Refused,
    Unreachable,
    Tls,
    ApiTooOld,
    /// The daemon's minimum API version is above what dockpit speaks.
    ApiTooNew,
    BadEndpoint,
    /// ssh refused the host: its key is not in known_hosts, or differs from the one there.
    HostKeyUnknown,
    Lost,
    Other,
}

/// Why the daemon cannot be used right now, in words for the screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot connect to Docker at {endpoint}: {detail}")]
pub struct ConnectError {
    pub kind: ConnectErrorKind,
    pub endpoint: String,
    pub detail: String,
}

impl ConnectError {
    pub fn new(kind: ConnectErrorKind, endpoint: &Endpoint, detail: impl Into<String>) -> Self {
        Self {
            kind,
            endpoint: endpoint.label(),
            detail: detail.into(),
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        let own_hint = matches!(
            self.kind,
            ConnectErrorKind::BadEndpoint | ConnectErrorKind::HostKeyUnknown
        );
        if self.endpoint.starts_with("ssh://") && !own_hint {
            return "dockpit runs your ssh, as the docker CLI does: check that `ssh USER@HOST docker version` works (your keys or agent, known hosts, docker on the remote PATH).";
        }
        match self.kind {
            ConnectErrorKind::SocketMissing => {
                "Is Docker running? Start it (e.g. `sudo systemctl start docker`), or point DOCKER_HOST or --host at a running daemon."
            }
            ConnectErrorKind::PermissionDenied => {
                "Your user may not use this socket. Add it to the docker group (`sudo usermod -aG docker $USER`, then log in again), or run as root."
            }
            ConnectErrorKind::Refused | ConnectErrorKind::Unreachable => {
                "Nothing answers there. Check that the daemon listens on that address and that DOCKER_HOST is right."
            }
            ConnectErrorKind::Tls => {
                "Check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) and DOCKER_TLS_VERIFY, or the context's TLS files."
            }
            ConnectErrorKind::ApiTooOld => {
                "This daemon is older than dockpit supports (Engine API 1.24+). Upgrade Docker."
            }
            ConnectErrorKind::ApiTooNew => {
                "This daemon is newer than dockpit speaks: upgrade dockpit, or lower the daemon's minimum (DOCKER_MIN_API_VERSION in dockerd's environment)."
            }
            ConnectErrorKind::BadEndpoint => {
                "Use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host in --host, DOCKER_HOST or the docker context."
            }
            ConnectErrorKind::HostKeyUnknown => {
                "ssh does not know this host's key, and dockpit accepts none unasked: run `ssh USER@HOST` once and check the fingerprint it shows, or add the key with `ssh-keyscan HOST >> ~/.ssh/known_hosts`. If ssh says the key changed, find out why first."
            }
            ConnectErrorKind::Lost => {
                "The daemon stopped answering. dockpit reconnects when it is back."
            }
            ConnectErrorKind::Other => {
                "Check that Docker is running and reachable from this machine."
            }
        }
    }

    /// Classifies a bollard error by the io error at the bottom of its chain.
    pub fn from_bollard(endpoint: &Endpoint, err: &bollard::errors::Error) -> Self {
        use bollard::errors::Error as B;
        let kind = match err {
            B::SocketNotFoundError(_) => ConnectErrorKind::SocketMissing,
            B::UnsupportedURISchemeError { .. } => ConnectErrorKind::BadEndpoint,
            B::CertPathError { .. }
            | B::CertMultipleKeys { .. }
            | B::CertParseError { .. }
            | B::NoNativeCertsError { .. }
            | B::LoadNativeCertsErrors { .. } => ConnectErrorKind::Tls,
            B::APIVersionParseError {} => ConnectErrorKind::ApiTooOld,
            B::RequestTimeoutError => ConnectErrorKind::Unreachable,
            B::IOError { err } => io_kind(err.kind()),
            // Engine 29 and later refuse older clients in these words.
            B::DockerResponseServerError { message, .. }
                if message.contains("Minimum supported API version") =>
            {
                ConnectErrorKind::ApiTooNew
            }
            _ => classify_chain(err),
        };
        Self::new(kind, endpoint, describe(err))
    }
}

fn classify_chain(err: &(dyn std::error::Error + 'static)) -> ConnectErrorKind {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        let text = e.to_string();
        // ssh's own words (in its log, which openssh returns as an io error), strict checking
        // on: "No ED25519 host key is known for …", "REMOTE HOST IDENTIFICATION HAS CHANGED".
        if text.contains("Host key verification failed") {
            return ConnectErrorKind::HostKeyUnknown;
        }
        if let Some(io) = e.downcast_ref::<io::Error>() {
            return io_kind(io.kind());
        }
        if text.contains("certificate") || text.contains("tls") || text.contains("TLS") {
            return ConnectErrorKind::Tls;
        }
        source = e.source();
    }
    ConnectErrorKind::Other
}

fn io_kind(kind: io::ErrorKind) -> ConnectErrorKind {
    match kind {
        io::ErrorKind::NotFound => ConnectErrorKind::SocketMissing,
        io::ErrorKind::PermissionDenied => ConnectErrorKind::PermissionDenied,
        io::ErrorKind::ConnectionRefused => ConnectErrorKind::Refused,
        io::ErrorKind::TimedOut | io::ErrorKind::HostUnreachable => ConnectErrorKind::Unreachable,
        _ => ConnectErrorKind::Other,
    }
}

/// The whole error chain in one line: bollard's top-level message alone is often vague.
pub fn describe(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = vec![err.to_string()];
    let mut source = err.source();
    while let Some(e) = source {
        parts.push(e.to_string());
        source = e.source();
    }
    plain(&parts)
}

/// An error chain in plain words: the wrappers HTTP libraries add ("error in the hyper
/// legacy client", "client error (Connect)") go, as do repeats and OS error numbers; what is
/// left reads root cause last, as the daemon's own errors do.
pub fn plain(chain: &[String]) -> String {
    const WRAPPERS: [&str; 6] = [
        "error in the hyper legacy client",
        "client error (",
        "error trying to connect",
        "tcp connect error",
        "hyper::error",
        "error sending request",
    ];
    let mut parts: Vec<String> = Vec::new();
    for part in chain {
        let lower = part.to_lowercase();
        if WRAPPERS.iter().any(|w| lower.starts_with(w)) {
            continue;
        }
        let text = match part.find(" (os error ") {
            Some(at) if part.ends_with(')') => part[..at].to_string(),
            _ => part.clone(),
        };
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    match parts.is_empty() {
        // Nothing but wrappers: the last of them is still better than nothing.
        true => chain.last().cloned().unwrap_or_default(),
        false => parts.join(": "),
    }
}

/// Connects, negotiates the API version and reads the engine's version (see [`negotiate`]);
/// the worker opens first and negotiates beside its first listing; the tests and the
/// one-shot commands (`dockpit layers`) do both at once.
pub async fn connect(endpoint: &Endpoint) -> Result<(Docker, EngineInfo), ConnectError> {
    negotiate(endpoint, open(endpoint)?).await
}

/// A client for the endpoint at bollard's newest API version (no I/O yet). It can be asked
/// things before [`negotiate`] answers: bollard 0.21 puts no version in its paths (the
/// daemon answers at its own), which the first listing, sent with `/version`, relies on.
pub fn open(endpoint: &Endpoint) -> Result<Docker, ConnectError> {
    client(endpoint, API_DEFAULT_VERSION)
}

/// Asks `/version`, which answers at any API version and says the daemon's: the client
/// then speaks the older of the daemon's and bollard's (bollard's own negotiation would
/// ask a second time, ~10 ms on a busy daemon).
pub async fn negotiate(
    endpoint: &Endpoint,
    docker: Docker,
) -> Result<(Docker, EngineInfo), ConnectError> {
    let fail = |e: bollard::errors::Error| ConnectError::from_bollard(endpoint, &e);
    let version = docker.version().await.map_err(fail)?;
    let server = version
        .api_version
        .as_deref()
        .and_then(api_version)
        .ok_or_else(|| fail(bollard::errors::Error::APIVersionParseError {}))?;
    let oldest = version.min_api_version.as_deref().and_then(api_version);
    check_range(endpoint, &server, oldest.as_ref())?;
    let docker = if server < docker.client_version() {
        client(endpoint, &server)?
    } else {
        docker
    };
    // Podman answers the Docker API too: say so where the version is shown.
    let podman = version
        .components
        .iter()
        .flatten()
        .any(|c| c.name == "Podman Engine");
    let number = version.version.unwrap_or_else(|| "?".into());
    let info = EngineInfo {
        endpoint: endpoint.clone(),
        version: match podman {
            true => format!("{number} (Podman)"),
            false => number,
        },
        api_version: docker.client_version().to_string(),
        os_arch: format!(
            "{}/{}",
            version.os.unwrap_or_default(),
            version.arch.unwrap_or_default()
        ),
    };
    Ok((docker, info))
}

/// The oldest Engine API dockpit speaks.
const OLDEST: ClientVersion = ClientVersion {
    major_version: 1,
    minor_version: 24,
};

/// Whether dockpit (API [`OLDEST`] up to bollard's newest) and a daemon speaking up to `server`,
/// and accepting nothing older than `oldest`, share a version.
fn check_range(
    endpoint: &Endpoint,
    server: &ClientVersion,
    oldest: Option<&ClientVersion>,
) -> Result<(), ConnectError> {
    let ours = API_DEFAULT_VERSION;
    if *server < OLDEST {
        return Err(ConnectError::new(
            ConnectErrorKind::ApiTooOld,
            endpoint,
            format!(
                "the daemon speaks Engine API {server} at most; dockpit needs {OLDEST} or newer"
            ),
        ));
    }
    match oldest {
        Some(min) if min > ours => Err(ConnectError::new(
            ConnectErrorKind::ApiTooNew,
            endpoint,
            format!(
                "the daemon accepts Engine API {min} to {server} only; dockpit speaks {OLDEST} to {ours}"
            ),
        )),
        _ => Ok(()),
    }
}

/// "1.41" as bollard's version type.
fn api_version(text: &str) -> Option<ClientVersion> {
    let (major, minor) = text.split_once('.')?;
    Some(ClientVersion {
        major_version: major.parse().ok()?,
        minor_version: minor.parse().ok()?,
    })
}

/// A client for the endpoint speaking API `version` (no I/O yet).
fn client(endpoint: &Endpoint, version: &ClientVersion) -> Result<Docker, ConnectError> {
    let fail = |e: bollard::errors::Error| ConnectError::from_bollard(endpoint, &e);
    let host = endpoint.host.as_str();
    let docker = if host.starts_with("unix://") {
        let path = host.trim_start_matches("unix://");
        if !std::path::Path::new(path).exists() {
            return Err(ConnectError::new(
                ConnectErrorKind::SocketMissing,
                endpoint,
                format!("socket {path} does not exist"),
            ));
        }
        Docker::connect_with_unix(host, REQUEST_TIMEOUT, version).map_err(fail)?
    } else if host.starts_with("tcp://")
        || host.starts_with("http://")
        || host.starts_with("https://")
    {
        match &endpoint.tls {
            Some(tls) => Docker::connect_with_ssl(
                host,
                &tls.key,
                &tls.cert,
                &tls.ca,
                REQUEST_TIMEOUT,
                version,
            )
            .map_err(fail)?,
            None => Docker::connect_with_http(host, REQUEST_TIMEOUT, version).map_err(fail)?,
        }
    } else if host.starts_with("ssh://") {
        // As the docker CLI: the system `ssh` (the user's config, keys and agent) runs
        // `docker system dial-stdio` on the remote host; unknown host keys are refused.
        if let Err(why) = super::endpoint::check_host(host) {
            return Err(ConnectError::new(
                ConnectErrorKind::BadEndpoint,
                endpoint,
                why,
            ));
        }
        super::ssh::client(host, REQUEST_TIMEOUT, version, None).map_err(fail)?
    } else {
        return Err(ConnectError::new(
            ConnectErrorKind::BadEndpoint,
            endpoint,
            format!("unsupported endpoint {host:?}"),
        ));
    };
    Ok(docker)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_chains_read_in_plain_words() {
        let chain = [
            "error in the hyper legacy client: client error (Connect)".to_string(),
            "client error (Connect)".to_string(),
            "Connection refused (os error 111)".to_string(),
        ];
        assert_eq!(plain(&chain), "Connection refused");
        let daemon = ["No such image: busybox:1".to_string()];
        assert_eq!(plain(&daemon), "No such image: busybox:1");
        let only = ["error in the hyper legacy client".to_string()];
        assert_eq!(plain(&only), "error in the hyper legacy client");
    }
    use crate::docker::EndpointSource;

    fn endpoint(host: &str) -> Endpoint {
        Endpoint {
            host: host.into(),
            source: EndpointSource::Flag,
            tls: None,
        }
    }

    /// ssh's words when strict checking refuses a host reach the screen as their own kind,
    /// with how to accept the key rather than the general ssh hint.
    #[test]
    fn an_unknown_ssh_host_key_says_how_to_accept_it() {
        let ssh = io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "No ED25519 host key is known for build1 and you have requested strict checking.\r\nHost key verification failed.",
        );
        assert_eq!(classify_chain(&ssh), ConnectErrorKind::HostKeyUnknown);
        let error = ConnectError::new(
            ConnectErrorKind::HostKeyUnknown,
            &endpoint("ssh://deploy@build1"),
            ssh.to_string(),
        );
        assert!(
            error
                .hint()
                .contains("ssh-keyscan HOST >> ~/.ssh/known_hosts")
        );
        assert!(error.hint().contains("`ssh USER@HOST` once"));
        let refused = io::Error::new(io::ErrorKind::ConnectionRefused, "Connection refused");
        assert_eq!(classify_chain(&refused), ConnectErrorKind::Refused);
    }

    #[test]
    fn distinct_plain_messages_for_each_kind() {
        let ep = endpoint("unix:///var/run/docker.sock");
        let io = |kind| bollard::errors::Error::IOError {
            err: io::Error::new(kind, "os says no"),
        };
        let cases = [
            (io(io::ErrorKind::NotFound), ConnectErrorKind::SocketMissing),
            (
                io(io::ErrorKind::PermissionDenied),
                ConnectErrorKind::PermissionDenied,
            ),
            (
                io(io::ErrorKind::ConnectionRefused),
                ConnectErrorKind::Refused,
            ),
            (io(io::ErrorKind::TimedOut), ConnectErrorKind::Unreachable),
            (
                bollard::errors::Error::APIVersionParseError {},
                ConnectErrorKind::ApiTooOld,
            ),
            (
                bollard::errors::Error::RequestTimeoutError,
                ConnectErrorKind::Unreachable,
            ),
        ];
        let mut hints = std::collections::HashSet::new();
        for (error, kind) in cases {
            let e = ConnectError::from_bollard(&ep, &error);
            assert_eq!(e.kind, kind, "{error}");
            hints.insert(e.hint());
        }
        // Missing, permission, refused/unreachable and too old each get their own advice.
        assert_eq!(hints.len(), 4);
        assert!(
            ConnectError::new(ConnectErrorKind::PermissionDenied, &ep, "x")
                .hint()
                .contains("docker group")
        );
    }

    /// A daemon on a unix socket of this test's that answers every request with `/version`:
    /// Engine `version`, speaking API `api` and accepting nothing older than `min`.
    async fn version_daemon(version: &str, api: &str, min: &str) -> Endpoint {
        let body = serde_json::json!({
            "Version": version, "ApiVersion": api, "MinAPIVersion": min,
            "Os": "linux", "Arch": "amd64",
        })
        .to_string();
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let name = format!("version-{version}");
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let dir = std::env::temp_dir().join(format!("dockpit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a folder for the socket");
        let path = dir.join("docker.sock");
        let listener = tokio::net::UnixListener::bind(&path).expect("bind the fake daemon");
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let answer = answer.clone();
                tokio::spawn(async move {
                    let mut request = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        endpoint(&format!("unix://{}", path.display()))
    }

    #[tokio::test]
    async fn a_daemon_that_accepts_only_newer_clients_is_named_with_its_range() {
        let ep = version_daemon("31.0.0", "1.99", "1.60").await;
        let error = connect(&ep).await.expect_err("no version in common");
        assert_eq!(error.kind, ConnectErrorKind::ApiTooNew);
        assert!(
            error.detail.contains("1.60 to 1.99") && error.detail.contains("1.24 to 1.53"),
            "{}",
            error.detail
        );
        assert!(error.hint().contains("upgrade dockpit"));
    }

    #[tokio::test]
    async fn an_engine_29_that_refuses_old_clients_is_spoken_to_at_its_version() {
        // Engine 29: API 1.52, nothing older than 1.44.
        let ep = version_daemon("29.0.0", "1.52", "1.44").await;
        let (docker, info) = connect(&ep).await.expect("a version in common");
        assert_eq!(info.api_version, "1.52");
        assert_eq!(docker.client_version().to_string(), "1.52");
        assert_eq!(info.version, "29.0.0");
    }

    #[tokio::test]
    async fn a_daemon_older_than_api_1_24_is_too_old() {
        let ep = version_daemon("1.11.0", "1.23", "1.12").await;
        let error = connect(&ep).await.expect_err("too old");
        assert_eq!(error.kind, ConnectErrorKind::ApiTooOld);
        assert!(error.detail.contains("1.23"), "{}", error.detail);
    }

    #[test]
    fn a_refusal_of_an_old_client_in_the_daemons_words_is_told_apart() {
        let refusal = bollard::errors::Error::DockerResponseServerError {
            status_code: 400,
            message: "client version 1.41 is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version".into(),
        };
        let error = ConnectError::from_bollard(&endpoint("unix:///x.sock"), &refusal);
        assert_eq!(error.kind, ConnectErrorKind::ApiTooNew);
        assert!(
            error
                .detail
                .contains("Minimum supported API version is 1.44")
        );
    }

    #[tokio::test]
    async fn tls_files_that_are_not_there_are_a_tls_error() {
        let mut ep = endpoint("tcp://127.0.0.1:9");
        ep.tls = Some(crate::docker::endpoint::TlsFiles {
            ca: "/nonexistent/ca.pem".into(),
            cert: "/nonexistent/cert.pem".into(),
            key: "/nonexistent/key.pem".into(),
        });
        let error = connect(&ep).await.expect_err("no certificates");
        assert_eq!(error.kind, ConnectErrorKind::Tls, "{}", error.detail);
        assert!(error.hint().contains("DOCKER_CERT_PATH"));
    }

    #[test]
    fn the_daemons_api_version_is_read() {
        let v = api_version("1.41").expect("a version");
        assert_eq!((v.major_version, v.minor_version), (1, 41));
        assert!(v < *API_DEFAULT_VERSION);
        assert!(api_version("1").is_none() && api_version("x.41").is_none());
    }

    #[tokio::test]
    async fn unsupported_schemes_say_what_works() {
        let error = connect(&endpoint("npipe:////./pipe/docker_engine"))
            .await
            .expect_err("a Windows pipe");
        assert_eq!(error.kind, ConnectErrorKind::BadEndpoint);
        assert!(error.hint().contains("unix:///") && error.hint().contains("ssh://"));
    }
}
