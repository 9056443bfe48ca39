//! A small client for a registry's HTTP API v2: manifests and blobs, with the anonymous
//! bearer-token flow (Docker Hub and most registries), basic or token auth from
//! `~/.docker/config.json`, plain HTTP for the loopback registries the daemon allows, a size
//! limit on every response, and the content checked against its digest.
//!
//! Hand-written rather than `oci-client`: its token flow sends the credentials to the realm a
//! challenge names (recent code requires https for it, but nothing keeps a remote registry
//! from naming a loopback, link-local or private realm), and it builds its own HTTP client,
//! so neither the rules of [`check_hop`] for redirects nor our size caps can be applied.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, WWW_AUTHENTICATE};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// No manifest or config is anywhere near this; a larger answer is refused.
const MAX_BODY: usize = 4 * 1024 * 1024;
/// The most of a registry's own error body shown on screen.
const MAX_SHOWN: usize = 300;
/// Bearer tokens are a few kB at most (JWTs); a larger answer is not forwarded.
const MAX_TOKEN: usize = 16 * 1024;
/// Redirects followed for one request (blob downloads go to a CDN once).
const MAX_REDIRECTS: usize = 5;

pub const MANIFEST_TYPES: &str = "application/vnd.docker.distribution.manifest.list.v2+json, \
    application/vnd.oci.image.index.v1+json, \
    application/vnd.docker.distribution.manifest.v2+json, \
    application/vnd.oci.image.manifest.v1+json";

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("{0}")]
    Http(String),
    #[error("the registry answered {status}: {body}")]
    Status { status: StatusCode, body: String },
    #[error("the answer is larger than {MAX_BODY} bytes; not read")]
    TooLarge,
    #[error("content does not match its digest: expected {expected}, got {actual}")]
    DigestMismatch { expected: String, actual: String },
    #[error("unreadable JSON: {0}")]
    Json(String),
    /// A token service or redirect target refused before any request is sent to it.
    #[error("{0}")]
    Refused(String),
    /// 429: the registry limits how often it is asked; `Retry-After` (seconds) when given.
    #[error("the registry answered 429 Too Many Requests{}", retry_after.map(|s| format!(" (retry after {s} s)")).unwrap_or_default())]
    RateLimited { retry_after: Option<u64> },
}

impl RegistryError {
    /// Whether the registry could not be asked at all or asked dockpit to wait (a rate limit,
    /// a 5xx, no connection): worth asking again later, after a pause, never at once.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Http(_) => true,
            Self::Status { status, .. } => status.is_server_error(),
            _ => false,
        }
    }
}

pub struct Registry {
    http: reqwest::Client,
    /// `https://registry-1.docker.io` or `http://127.0.0.1:5000`.
    base: String,
    base_url: reqwest::Url,
    repository: String,
    credentials: Option<(String, String)>,
    token: Option<String>,
}

/// A document fetched from the registry, with the digest of its exact bytes.
pub struct Fetched {
    pub json: Value,
    pub digest: String,
    pub size: usize,
    pub media_type: String,
}

pub fn sha256(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

impl Registry {
    /// `domain`: None for Docker Hub. `repository`: the path, e.g. `library/busybox`.
    /// `credentials`: the stored user and password for this registry, if any (see
    /// [`super::auth::lookup`]); they are sent only to the registry itself or to the https
    /// token service it names.
    pub fn new(
        domain: Option<&str>,
        repository: &str,
        credentials: Option<(String, String)>,
    ) -> Result<Self, RegistryError> {
        // rustls needs a crypto provider chosen once per process; a second call is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let (base, repository) = match domain {
            None | Some("docker.io") | Some("index.docker.io") => {
                let repository = if repository.contains('/') {
                    repository.to_string()
                } else {
                    format!("library/{repository}")
                };
                ("https://registry-1.docker.io".to_string(), repository)
            }
            Some(d) => {
                // "[::1]:5000", "[::1]", "localhost:5000", "127.0.0.1"…
                let host = match d.strip_prefix('[') {
                    Some(v6) => v6.split(']').next().unwrap_or(v6),
                    None => d.split(':').next().unwrap_or(d),
                };
                let scheme = if reach(host) == Reach::Loopback {
                    "http"
                } else {
                    "https"
                };
                (format!("{scheme}://{d}"), repository.to_string())
            }
        };
        let base_url = reqwest::Url::parse(&base)
            .map_err(|e| RegistryError::Http(format!("bad registry address {base:?}: {e}")))?;
        let origin = base_url.clone();
        // Every hop of a redirect is held to the same rule as a token service.
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                return attempt.error("too many redirects");
            }
            match check_hop(&origin, attempt.url()) {
                Ok(_) => attempt.follow(),
                Err(why) => attempt.error(why),
            }
        });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .redirect(redirects)
            .build()
            .map_err(|e| RegistryError::Http(e.to_string()))?;
        Ok(Self {
            http,
            base,
            base_url,
            repository,
            credentials,
            token: None,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub async fn manifest(&mut self, reference: &str) -> Result<Fetched, RegistryError> {
        let url = format!("{}/v2/{}/manifests/{reference}", self.base, self.repository);
        let (bytes, media_type, header_digest) = self.get(&url, MANIFEST_TYPES).await?;
        let digest = sha256(&bytes);
        // By digest: the bytes must hash to it. By tag: to what the registry says it is.
        let expected = if reference.starts_with("sha256:") {
            Some(reference.to_string())
        } else {
            header_digest
        };
        if let Some(expected) = expected
            && expected != digest
        {
            return Err(RegistryError::DigestMismatch {
                expected,
                actual: digest,
            });
        }
        let json =
            serde_json::from_slice(&bytes).map_err(|e| RegistryError::Json(e.to_string()))?;
        Ok(Fetched {
            json,
            size: bytes.len(),
            digest,
            media_type,
        })
    }

    pub async fn blob(&mut self, digest: &str) -> Result<Fetched, RegistryError> {
        let url = format!("{}/v2/{}/blobs/{digest}", self.base, self.repository);
        let (bytes, media_type, _) = self.get(&url, "*/*").await?;
        let actual = sha256(&bytes);
        if actual != digest {
            return Err(RegistryError::DigestMismatch {
                expected: digest.into(),
                actual,
            });
        }
        let json =
            serde_json::from_slice(&bytes).map_err(|e| RegistryError::Json(e.to_string()))?;
        Ok(Fetched {
            json,
            size: bytes.len(),
            digest: actual,
            media_type,
        })
    }

    /// The digest `tag` names now, from a `HEAD` of its manifest (registries do not count a
    /// HEAD as a pull; an index or a manifest, as pull would get). A registry that sends no
    /// `Docker-Content-Digest` is asked with a GET, and the bytes hashed.
    pub async fn head_digest(&mut self, tag: &str) -> Result<String, RegistryError> {
        let url = format!("{}/v2/{}/manifests/{tag}", self.base, self.repository);
        let response = self
            .respond(reqwest::Method::HEAD, &url, MANIFEST_TYPES, None)
            .await?;
        let digest = header(&response, "docker-content-digest");
        if digest.starts_with("sha256:") && digest.len() == 71 {
            return Ok(digest);
        }
        Ok(self.manifest(tag).await?.digest)
    }

    /// GET with the auth dance, the whole answer read (within [`MAX_BODY`]).
    async fn get(
        &mut self,
        url: &str,
        accept: &str,
    ) -> Result<(Vec<u8>, String, Option<String>), RegistryError> {
        let response = self
            .respond(reqwest::Method::GET, url, accept, None)
            .await?;
        let media_type = header(&response, "content-type");
        let digest = (!header(&response, "docker-content-digest").is_empty())
            .then(|| header(&response, "docker-content-digest"));
        let bytes = read_limited(response).await?;
        Ok((bytes, media_type, digest))
    }

    /// A successful answer to a GET or HEAD, after the auth dance: on 401, fetch a bearer
    /// token (or use basic auth) and retry once. `timeout` replaces the client's for long
    /// bodies.
    async fn respond(
        &mut self,
        method: reqwest::Method,
        url: &str,
        accept: &str,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response, RegistryError> {
        for attempt in 0..2 {
            let mut request = self
                .http
                .request(method.clone(), url)
                .header(ACCEPT, accept);
            if let Some(timeout) = timeout {
                request = request.timeout(timeout);
            }
            if let Some(token) = &self.token {
                request = request.header(AUTHORIZATION, format!("Bearer {token}"));
            }
            let response = self.send(request).await?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && attempt == 0 {
                let challenge = response
                    .headers()
                    .get(WWW_AUTHENTICATE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                if challenge
                    .get(..7)
                    .is_some_and(|s| s.eq_ignore_ascii_case("bearer "))
                {
                    self.token = Some(self.token(&challenge).await?);
                    continue;
                }
            }
            if status == StatusCode::TOO_MANY_REQUESTS {
                let retry_after = header(&response, "retry-after").trim().parse().ok();
                return Err(RegistryError::RateLimited { retry_after });
            }
            if !status.is_success() {
                let bytes = read_limited(response).await.unwrap_or_default();
                return Err(status_error(status, &bytes));
            }
            return Ok(response);
        }
        Err(RegistryError::Http("not authorized".into()))
    }

    /// A blob's bytes as a stream, for a reader that checks them against the digest and
    /// size as they pass (layers are too large to hold, so [`Registry::blob`] does not do).
    pub async fn blob_stream(
        &mut self,
        digest: &str,
    ) -> Result<
        impl futures::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static,
        RegistryError,
    > {
        let url = format!("{}/v2/{}/blobs/{digest}", self.base, self.repository);
        // A layer may take long to stream; a stalled one still ends within this.
        let response = self
            .respond(
                reqwest::Method::GET,
                &url,
                "*/*",
                Some(Duration::from_secs(3600)),
            )
            .await?;
        Ok(futures::stream::unfold(
            Some(response),
            |response| async move {
                let mut response = response?;
                match response.chunk().await {
                    Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                    Ok(None) => None,
                    Err(e) => Some((Err(std::io::Error::other(describe(&e))), None)),
                }
            },
        ))
    }

    /// Sends with basic auth when credentials are stored and no token is in use.
    async fn send(
        &self,
        mut request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, RegistryError> {
        if self.token.is_none()
            && let Some((user, pass)) = &self.credentials
        {
            request = request.basic_auth(user, Some(pass));
        }
        request
            .send()
            .await
            .map_err(|e| RegistryError::Http(describe(&e)))
    }

    /// The bearer token flow, held to what a hostile registry must not get: the token
    /// service must pass [`check_hop`], the stored credentials go to it only when it is https
    /// or the registry itself, its error body is never shown, and only a plausible token is
    /// forwarded.
    async fn token(&self, challenge: &str) -> Result<String, RegistryError> {
        let params = parse_challenge(challenge);
        let realm = params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("realm"))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                RegistryError::Http(format!(
                    "unusable auth challenge: {}",
                    shown(challenge.as_bytes())
                ))
            })?;
        let query: Vec<(String, String)> = params
            .into_iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("realm"))
            .collect();
        let url = reqwest::Url::parse_with_params(&realm, &query).map_err(|e| {
            RegistryError::Refused(format!(
                "the registry named an unusable token service {}: {e}",
                shown(realm.as_bytes())
            ))
        })?;
        let with_credentials = check_hop(&self.base_url, &url).map_err(RegistryError::Refused)?;
        let mut request = self.http.get(url.clone());
        if with_credentials && let Some((user, pass)) = &self.credentials {
            request = request.basic_auth(user, Some(pass));
        }
        let response = request
            .send()
            .await
            .map_err(|e| RegistryError::Http(describe(&e)))?;
        let status = response.status();
        let bytes = read_limited(response).await?;
        let service = origin(&url);
        if !status.is_success() {
            // The body comes from another server than the registry: not shown.
            return Err(RegistryError::Http(format!(
                "the token service {service} answered {status}"
            )));
        }
        let json: Value =
            serde_json::from_slice(&bytes).map_err(|e| RegistryError::Json(e.to_string()))?;
        let token = json["token"]
            .as_str()
            .or_else(|| json["access_token"].as_str())
            .ok_or_else(|| {
                RegistryError::Http(format!("the token service {service} answered no token"))
            })?;
        if !plausible_token(token) {
            return Err(RegistryError::Refused(format!(
                "the token service {service} answered an unusable token ({} bytes); not forwarded",
                token.len()
            )));
        }
        Ok(token.to_string())
    }
}

/// Where an address points, for deciding what may be sent there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// This machine: `localhost`, 127.0.0.0/8, ::1, 0.0.0.0.
    Loopback,
    /// 169.254.0.0/16 and fe80::/10 (cloud metadata services live here).
    LinkLocal,
    /// 10/8, 172.16/12, 192.168/16, 100.64/10 and fc00::/7.
    Private,
    Public,
}

/// `host` as a URL or a reference names it (IPv6 with or without brackets).
pub fn reach(host: &str) -> Reach {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let lower = host.to_ascii_lowercase();
    let lower = lower.trim_end_matches('.');
    if lower == "localhost" || lower.ends_with(".localhost") {
        return Reach::Loopback;
    }
    match lower.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => reach_v4(ip),
        Ok(IpAddr::V6(ip)) => match ip.to_ipv4_mapped() {
            Some(v4) => reach_v4(v4),
            None if ip.is_loopback() || ip.is_unspecified() => Reach::Loopback,
            None if ip.segments()[0] & 0xffc0 == 0xfe80 => Reach::LinkLocal,
            None if ip.segments()[0] & 0xfe00 == 0xfc00 => Reach::Private,
            None => Reach::Public,
        },
        Err(_) => Reach::Public,
    }
}

fn reach_v4(ip: std::net::Ipv4Addr) -> Reach {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() || ip.is_unspecified() {
        Reach::Loopback
    } else if ip.is_link_local() {
        Reach::LinkLocal
    } else if ip.is_private() || (a == 100 && (64..128).contains(&b)) {
        Reach::Private
    } else {
        Reach::Public
    }
}

/// Whether the registry at `registry` may send dockpit to `url` (a token service or a
/// redirect), and if so whether the stored credentials may go with it. The rules: https,
/// except that a loopback registry may use plain http on loopback; a remote registry may not
/// point at loopback, a public one not at private addresses; link-local never; no credentials in
/// the URL. Credentials go only to the registry itself or to an https service.
pub fn check_hop(registry: &reqwest::Url, url: &reqwest::Url) -> Result<bool, String> {
    let registry_reach = reach(registry.host_str().unwrap_or_default());
    let target = url.host_str().unwrap_or_default();
    let target_reach = reach(target);
    let name = origin(url);
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "refused {name}: it carries credentials in its address"
        ));
    }
    let local_registry = registry_reach == Reach::Loopback;
    let refused_reach = match target_reach {
        Reach::LinkLocal => Some("link-local"),
        Reach::Loopback if !local_registry => Some("loopback"),
        // A public registry may not pivot inwards; one on a private network may name its
        // own network (a Harbor at 10.0.0.5 with its token service beside it).
        Reach::Private if !matches!(registry_reach, Reach::Loopback | Reach::Private) => {
            Some("private-network")
        }
        _ => None,
    };
    if let Some(what) = refused_reach {
        return Err(format!(
            "refused {name}: a registry may not point dockpit at a {what} address"
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if local_registry && target_reach == Reach::Loopback => {}
        _ => {
            return Err(format!(
                "refused {name}: the registry pointed to a service that is not https"
            ));
        }
    }
    let same_origin = url.scheme() == registry.scheme()
        && url.host_str() == registry.host_str()
        && url.port_or_known_default() == registry.port_or_known_default();
    Ok(same_origin || url.scheme() == "https")
}

/// `scheme://host:port` of a URL, inert, for messages.
fn origin(url: &reqwest::Url) -> String {
    crate::format::inert(&url.origin().ascii_serialization())
}

/// A bearer token as registries issue them: printable ASCII without spaces, a few kB.
fn plausible_token(token: &str) -> bool {
    !token.is_empty() && token.len() <= MAX_TOKEN && token.bytes().all(|b| b.is_ascii_graphic())
}

/// The start of text from the registry, cut and made inert for the screen.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut cut: String = text.chars().take(MAX_SHOWN).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    crate::format::inert(&cut)
}

/// The registry's refusal, with the start of its own words.
fn status_error(status: StatusCode, bytes: &[u8]) -> RegistryError {
    RegistryError::Status {
        status,
        body: shown(bytes),
    }
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn describe(e: &reqwest::Error) -> String {
    super::connect::describe(e)
}

async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>, RegistryError> {
    if response
        .content_length()
        .is_some_and(|n| n as usize > MAX_BODY)
    {
        return Err(RegistryError::TooLarge);
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| RegistryError::Http(describe(&e)))?
    {
        if bytes.len() + chunk.len() > MAX_BODY {
            return Err(RegistryError::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="…"`.
pub fn parse_challenge(challenge: &str) -> Vec<(String, String)> {
    let rest = challenge.get(7..).unwrap_or_default().trim();
    let mut out = Vec::new();
    let mut chars = rest.chars().peekable();
    while chars.peek().is_some() {
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                value.push(c);
            }
            // Skip the comma after a quoted value.
            if chars.peek() == Some(&',') {
                chars.next();
            }
        } else {
            value = chars.by_ref().take_while(|c| *c != ',').collect();
        }
        let key = key.trim().to_string();
        if !key.is_empty() {
            out.push((key, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_challenges_are_parsed() {
        let c = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull""#;
        assert_eq!(
            parse_challenge(c),
            vec![
                ("realm".into(), "https://auth.docker.io/token".into()),
                ("service".into(), "registry.docker.io".into()),
                ("scope".into(), "repository:library/busybox:pull".into()),
            ]
        );
    }

    #[test]
    fn hub_names_get_library_and_loopback_gets_http() {
        let hub = Registry::new(None, "busybox", None).expect("client");
        assert_eq!(
            (hub.base(), hub.repository.as_str()),
            ("https://registry-1.docker.io", "library/busybox")
        );
        let local = Registry::new(Some("127.0.0.1:5000"), "multi", None).expect("client");
        assert_eq!(local.base(), "http://127.0.0.1:5000");
        for d in ["[::1]", "[::1]:5000", "localhost"] {
            let r = Registry::new(Some(d), "x", None).expect("client");
            assert!(r.base().starts_with("http://"), "{d}");
        }
        let remote = Registry::new(Some("ghcr.io"), "o/x", None).expect("client");
        assert_eq!(remote.base(), "https://ghcr.io");
    }

    fn url(s: &str) -> reqwest::Url {
        reqwest::Url::parse(s).expect("url")
    }

    #[test]
    fn token_services_are_held_to_the_rules() {
        let hub = url("https://registry-1.docker.io");
        let local = url("http://127.0.0.1:5000");
        let harbor = url("https://10.0.0.5");
        // (registry, token service, Ok(credentials sent) or refused)
        let cases = [
            (&hub, "https://auth.docker.io/token", Ok(true)),
            (&hub, "http://auth.docker.io/token", Err("not https")),
            (&hub, "https://127.0.0.1/token", Err("loopback")),
            (&hub, "https://localhost:8080/token", Err("loopback")),
            (&hub, "https://[::1]/token", Err("loopback")),
            (&hub, "https://169.254.169.254/latest", Err("link-local")),
            (&hub, "https://[fe80::1]/t", Err("link-local")),
            (&hub, "https://10.0.0.1/t", Err("private-network")),
            (&hub, "https://192.168.1.1/t", Err("private-network")),
            (&hub, "https://172.16.0.1/t", Err("private-network")),
            (&hub, "https://[fd00::1]/t", Err("private-network")),
            (&hub, "https://[::ffff:127.0.0.1]/t", Err("loopback")),
            (&hub, "https://user:pw@auth.docker.io/t", Err("credentials")),
            (&hub, "file:///etc/passwd", Err("not https")),
            (&hub, "http://169.254.169.254/", Err("link-local")),
            (&local, "http://127.0.0.1:5000/token", Ok(true)),
            (&local, "http://127.0.0.1:5001/token", Ok(false)),
            (&local, "http://localhost:5000/token", Ok(false)),
            (&local, "https://auth.example.com/token", Ok(true)),
            (&local, "http://auth.example.com/token", Err("not https")),
            (&local, "http://169.254.169.254/", Err("link-local")),
            (&local, "https://10.1.2.3/token", Ok(true)),
            // A registry on a private network may name its own network, not loopback.
            (&harbor, "https://10.0.0.5/service/token", Ok(true)),
            (&harbor, "https://10.0.0.6/token", Ok(true)),
            (&harbor, "https://127.0.0.1/token", Err("loopback")),
            (&harbor, "https://169.254.169.254/", Err("link-local")),
        ];
        for (registry, service, want) in cases {
            let got = check_hop(registry, &url(service));
            match (got, want) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{service} from {registry}"),
                (Err(e), Err(w)) => assert!(e.contains(w), "{service}: {e}"),
                (got, want) => panic!("{service} from {registry}: {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn only_plausible_tokens_are_forwarded() {
        assert!(plausible_token("eyJhbGciOi.J9-_.x+/="));
        assert!(!plausible_token(""));
        assert!(!plausible_token("a b"));
        assert!(!plausible_token("a\r\nX-Evil: 1"));
        assert!(!plausible_token(&"a".repeat(MAX_TOKEN + 1)));
    }

    #[test]
    fn registry_text_is_cut_and_inert() {
        let body = format!("\x1b]52;c;ZXZpbA==\x07\u{202e}{}", "x".repeat(1000));
        let shown = shown(body.as_bytes());
        assert!(!shown.contains('\x1b') && !shown.contains('\x07'));
        assert!(!shown.contains('\u{202e}'));
        assert!(shown.chars().count() <= MAX_SHOWN + 1);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn digests_are_sha256_of_the_bytes() {
        assert_eq!(
            sha256(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
