//! Registry credentials from `~/.docker/config.json` (`auths`), as the docker CLI stores
//! them. Credential helpers (`credsStore`, `credHelpers`) are named, not run.

use std::collections::HashMap;
use std::path::Path;

use base64::Engine;
use bollard::auth::DockerCredentials;
use serde::Deserialize;

#[derive(Deserialize, Default)]
struct ConfigFile {
    #[serde(default)]
    auths: HashMap<String, AuthEntry>,
    #[serde(rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(rename = "credHelpers", default)]
    cred_helpers: HashMap<String, String>,
}

#[derive(Deserialize)]
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
}

/// The key the CLI stores Docker Hub under.
const HUB: &str = "https://index.docker.io/v1/";

/// The credentials the user's docker config (`$DOCKER_CONFIG` or `~/.docker`) holds for
/// `registry` (`None`: Docker Hub).
pub fn lookup(registry: Option<&str>) -> Credentials {
    use super::endpoint::{Environment, ProcessEnv};
    for_registry(ProcessEnv.docker_config_dir().as_deref(), registry)
}

pub fn for_registry(config_dir: Option<&Path>, registry: Option<&str>) -> Credentials {
    let Some(dir) = config_dir else {
        return Credentials::None;
    };
    let Ok(text) = std::fs::read_to_string(dir.join("config.json")) else {
        return Credentials::None;
    };
    let Ok(config) = serde_json::from_str::<ConfigFile>(&text) else {
        return Credentials::None;
    };
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

    fn config(json: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "dockpit-auth-{}-{}",
            std::process::id(),
            json.len()
        ));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("config.json"), json).expect("write");
        dir
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
    fn a_helper_is_named_plainly() {
        let dir = config(r#"{"auths":{},"credsStore":"desktop"}"#);
        match for_registry(Some(&dir), None) {
            Credentials::Helper(msg) => assert!(msg.contains("docker-credential-desktop")),
            other => panic!("{other:?}"),
        }
    }
}
