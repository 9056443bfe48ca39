//! A small client for a registry's HTTP API v2: manifests and blobs, with the anonymous
//! bearer-token flow (Docker Hub and most registries), basic or token auth from
//! `~/.docker/config.json`, plain HTTP for the loopback registries the daemon allows, a size
//! limit on every response, and the content checked against its digest.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, WWW_AUTHENTICATE};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::auth::{self, Credentials};

/// No manifest or config is anywhere near this; a larger answer is refused.
const MAX_BODY: usize = 4 * 1024 * 1024;

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
}

pub struct Registry {
    http: reqwest::Client,
    /// `https://registry-1.docker.io` or `http://127.0.0.1:5000`.
    base: String,
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
    pub fn new(domain: Option<&str>, repository: &str) -> Result<Self, RegistryError> {
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
                let loopback = matches!(host, "localhost" | "127.0.0.1" | "::1");
                let scheme = if loopback { "http" } else { "https" };
                (format!("{scheme}://{d}"), repository.to_string())
            }
        };
        let credentials = match auth::lookup(domain) {
            Credentials::Found(c) => c.username.zip(c.password),
            _ => None,
        };
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| RegistryError::Http(e.to_string()))?;
        Ok(Self {
            http,
            base,
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

    /// GET with the auth dance: on 401, fetch a bearer token (or use basic auth) and retry.
    async fn get(
        &mut self,
        url: &str,
        accept: &str,
    ) -> Result<(Vec<u8>, String, Option<String>), RegistryError> {
        for attempt in 0..2 {
            let mut request = self.http.get(url).header(ACCEPT, accept);
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
                if challenge.starts_with("Bearer ") {
                    self.token = Some(self.token(&challenge).await?);
                    continue;
                }
            }
            let media_type = header(&response, "content-type");
            let digest = (!header(&response, "docker-content-digest").is_empty())
                .then(|| header(&response, "docker-content-digest"));
            let bytes = read_limited(response).await?;
            if !status.is_success() {
                return Err(status_error(status, &bytes));
            }
            return Ok((bytes, media_type, digest));
        }
        Err(RegistryError::Http("not authorized".into()))
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

    async fn token(&self, challenge: &str) -> Result<String, RegistryError> {
        let params = parse_challenge(challenge);
        let realm = params
            .iter()
            .find(|(k, _)| k == "realm")
            .map(|(_, v)| v.clone())
            .ok_or_else(|| RegistryError::Http(format!("unusable auth challenge: {challenge}")))?;
        let query: Vec<(String, String)> =
            params.into_iter().filter(|(k, _)| k != "realm").collect();
        let url = reqwest::Url::parse_with_params(&realm, &query)
            .map_err(|e| RegistryError::Http(format!("bad token realm {realm:?}: {e}")))?;
        let response = self.send(self.http.get(url)).await?;
        let status = response.status();
        let bytes = read_limited(response).await?;
        if !status.is_success() {
            return Err(status_error(status, &bytes));
        }
        let json: Value =
            serde_json::from_slice(&bytes).map_err(|e| RegistryError::Json(e.to_string()))?;
        json["token"]
            .as_str()
            .or_else(|| json["access_token"].as_str())
            .map(String::from)
            .ok_or_else(|| RegistryError::Http("the token service answered no token".into()))
    }
}

/// The registry's refusal, with the start of its own words.
fn status_error(status: StatusCode, bytes: &[u8]) -> RegistryError {
    let body = String::from_utf8_lossy(bytes).chars().take(300).collect();
    RegistryError::Status { status, body }
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
fn parse_challenge(challenge: &str) -> Vec<(String, String)> {
    let rest = challenge.trim_start_matches("Bearer ").trim();
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
        let hub = Registry::new(None, "busybox").expect("client");
        assert_eq!(
            (hub.base(), hub.repository.as_str()),
            ("https://registry-1.docker.io", "library/busybox")
        );
        let local = Registry::new(Some("127.0.0.1:5000"), "multi").expect("client");
        assert_eq!(local.base(), "http://127.0.0.1:5000");
        for d in ["[::1]", "[::1]:5000", "localhost"] {
            let r = Registry::new(Some(d), "x").expect("client");
            assert!(r.base().starts_with("http://"), "{d}");
        }
        let remote = Registry::new(Some("ghcr.io"), "o/x").expect("client");
        assert_eq!(remote.base(), "https://ghcr.io");
    }

    #[test]
    fn digests_are_sha256_of_the_bytes() {
        assert_eq!(
            sha256(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
