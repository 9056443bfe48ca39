//! An action's failure as the UI shows it: the daemon's own words, plus a hint when we know
//! what to do. Hints name actions as `{start}`, `{pull}`…; the UI writes the key bound to
//! each, so a remapped key never makes a hint lie.

use bollard::errors::Error as BollardError;

/// An action's failure: the daemon's own words, plus what to do when we know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct OpError {
    pub message: String,
    pub hint: Option<&'static str>,
}

impl OpError {
    pub fn new(message: impl Into<String>) -> Self {
        let message = message.into();
        let hint = hint_for(&message);
        Self { message, hint }
    }

    pub fn with_hint(message: impl Into<String>, hint: &'static str) -> Self {
        Self {
            message: message.into(),
            hint: Some(hint),
        }
    }
}

const NO_SUCH_TAG: &str = "That tag or digest does not exist in the registry.";
const IMAGE_IN_USE: &str = "A container uses this image: remove it first, or force.";

/// The daemon's words (lower case) a hint answers, checked in this order.
const HINTS: [(&str, &str); 17] = [
    (
        "update out of sequence",
        "Someone changed it meanwhile: try again (dockpit reads it afresh).",
    ),
    (
        "not a swarm manager",
        "Ask a manager: add a manager node as a host (H), or promote this one.",
    ),
    (
        "volume is in use",
        "A container uses it (the volumes view names it): remove that container first.",
    ),
    (
        "has active endpoints",
        "Containers are attached: disconnect them first (the networks view lists them).",
    ),
    (
        "pre-defined network",
        "bridge, host and none are the daemon's own: they cannot be removed.",
    ),
    ("manifest unknown", NO_SUCH_TAG),
    ("not found: manifest", NO_SUCH_TAG),
    (
        "is already in use",
        "Choose another name, or remove the container that has it.",
    ),
    ("(must force)", IMAGE_IN_USE),
    (
        // Engine 26's words for the same.
        "(must be forced)",
        IMAGE_IN_USE,
    ),
    ("being used by", IMAGE_IN_USE),
    (
        "stop the container before",
        "It is running: stop it first, or force.",
    ),
    (
        "unauthorized",
        "Log in to the registry (docker login); dockpit reads ~/.docker/config.json.",
    ),
    (
        "connection refused",
        "The registry does not answer: check its address and that it runs.",
    ),
    (
        "no such host",
        "The daemon cannot resolve the registry's name: check it and the daemon's DNS.",
    ),
    (
        // The classic builder's words for `RUN --mount`, `COPY --link`, heredocs…
        "requires buildkit",
        "dockpit builds with the classic builder: that Dockerfile needs BuildKit (docker buildx build).",
    ),
    (
        "returned a non-zero code",
        "The step's command failed: its output is under it in the build view.",
    ),
];

fn hint_for(message: &str) -> Option<&'static str> {
    let m = message.to_lowercase();
    HINTS
        .iter()
        .find(|(needle, _)| m.contains(needle))
        .map(|(_, hint)| *hint)
        .or_else(|| {
            // Engine 26 with the containerd image store: "failed to resolve reference
            // \"r\": r: not found".
            (m.starts_with("failed to resolve reference") && m.ends_with(": not found"))
                .then_some(NO_SUCH_TAG)
        })
        .or_else(|| {
            m.contains("no such image")
                .then_some("Pull it first ({pull}), or check the name.")
        })
}

/// The daemon's own words when it answered; the whole error chain when it did not.
impl From<BollardError> for OpError {
    fn from(e: BollardError) -> Self {
        match e {
            BollardError::DockerResponseServerError { message, .. } => OpError::new(message),
            BollardError::DockerStreamError { error } => OpError::new(error),
            other => OpError::new(crate::docker::connect::describe(&other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daemon_errors_get_hints() {
        let e = OpError::new(
            "manifest for 127.0.0.1:5000/busybox:nope not found: manifest unknown: manifest unknown",
        );
        assert_eq!(
            e.hint,
            Some("That tag or digest does not exist in the registry.")
        );
        let e = OpError::new(
            "conflict: unable to remove repository reference \"x\" (must force) - container 123 is using its referenced image 456",
        );
        assert_eq!(
            e.hint,
            Some("A container uses this image: remove it first, or force.")
        );
        assert_eq!(
            OpError::new(
                "Conflict. The container name \"/web\" is already in use by container \"1\""
            )
            .hint,
            Some("Choose another name, or remove the container that has it.")
        );
    }

    /// Engine 26 (API 1.45, containerd image store) words the same failures differently.
    #[test]
    fn engine_26_errors_get_the_same_hints() {
        let e = OpError::new(
            "failed to resolve reference \"127.0.0.1:5000/busybox:nope\": 127.0.0.1:5000/busybox:nope: not found",
        );
        assert_eq!(
            e.hint,
            Some("That tag or digest does not exist in the registry.")
        );
        let e = OpError::new(
            "conflict: unable to delete 127.0.0.1:5000/layered:1 (must be forced) - container 87ebc11a98ee is using its referenced image 57ffaf2d9c44",
        );
        assert_eq!(
            e.hint,
            Some("A container uses this image: remove it first, or force.")
        );
        let e = OpError::new(
            "cannot remove container \"/web\": container is running: stop the container before removing or force remove",
        );
        assert_eq!(e.hint, Some("It is running: stop it first, or force."));
        // A registry that is not there stays a registry that is not there.
        let e = OpError::new(
            "failed to resolve reference \"127.0.0.1:1/nothing:1\": failed to do request: Head \"http://127.0.0.1:1/v2/nothing/manifests/1\": dial tcp 127.0.0.1:1: connect: connection refused",
        );
        assert_eq!(
            e.hint,
            Some("The registry does not answer: check its address and that it runs.")
        );
    }
}
