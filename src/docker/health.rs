//! Health and restarts. A container's health is in the list's status text ("Up 5 minutes
//! (healthy)"); its restart count only in `inspect`, read once per container and again when
//! it starts (a restart policy's restart is a start), never on every poll.

use bollard::Docker;
use futures::StreamExt;

use super::ContainerId;

/// Inspects at once at most this many containers (the first listing asks about them all).
const CONCURRENT: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Healthy,
    Unhealthy,
    Starting,
}

impl Health {
    /// As the daemon writes it in a status: "Up 2 minutes (healthy)", "(health: starting)".
    pub fn parse(status: &str) -> Option<Self> {
        let open = status.rfind('(')?;
        match status[open..].trim_end() {
            "(healthy)" => Some(Self::Healthy),
            "(unhealthy)" => Some(Self::Unhealthy),
            "(health: starting)" => Some(Self::Starting),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Unhealthy => "unhealthy",
            Self::Starting => "starting",
        }
    }
}

/// Each container's `RestartCount`; one that is gone (or fails to answer) is left out.
pub async fn restart_counts(docker: &Docker, ids: Vec<ContainerId>) -> Vec<(ContainerId, i64)> {
    futures::stream::iter(ids)
        .map(|id| async move {
            let inspect = docker.inspect_container(&id, None).await.ok()?;
            Some((id, inspect.restart_count.unwrap_or(0)))
        })
        .buffer_unordered(CONCURRENT)
        .filter_map(|r| async move { r })
        .collect()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_is_read_from_the_status_text() {
        assert_eq!(
            Health::parse("Up 5 minutes (healthy)"),
            Some(Health::Healthy)
        );
        assert_eq!(
            Health::parse("Up 1 second (health: starting)"),
            Some(Health::Starting)
        );
        assert_eq!(
            Health::parse("Up 2 hours (unhealthy)"),
            Some(Health::Unhealthy)
        );
        assert_eq!(Health::parse("Up 3 days (Paused)"), None);
        assert_eq!(Health::parse("Exited (0) 2 hours ago"), None);
        assert_eq!(Health::parse("Up 5 minutes"), None);
    }
}
