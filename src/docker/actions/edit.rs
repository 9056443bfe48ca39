//! A container changed in place: `docker update` (memory, CPUs, restart policy, pids limit)
//! and `docker rename`.

use bollard::Docker;
use bollard::models::{ContainerUpdateBody, RestartPolicy, RestartPolicyNameEnum};
use bollard::query_parameters::RenameContainerOptions;

use super::{OpError, Target};
use crate::run_spec::{RestartPolicy as Restart, shell_quote};

/// What a `docker update` changes; `None`: left as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// Bytes.
    pub memory: Option<i64>,
    /// Billionths of a CPU (`--cpus 0.5` is 500,000,000).
    pub nano_cpus: Option<i64>,
    pub restart: Option<Restart>,
    /// `-1`: unlimited.
    pub pids: Option<i64>,
}

impl Limits {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// `docker container update --memory 67108864 --cpus 0.5 … NAME`.
    pub fn cli(&self, name: &str) -> String {
        let mut line = String::from("docker container update");
        if let Some(m) = self.memory {
            line.push_str(&format!(" --memory {m} --memory-swap {}", swap(m)));
        }
        if let Some(n) = self.nano_cpus {
            line.push_str(&format!(" --cpus {}", n as f64 / 1e9));
        }
        if let Some(r) = self.restart {
            line.push_str(&format!(" --restart {}", r.as_cli()));
        }
        if let Some(p) = self.pids {
            line.push_str(&format!(" --pids-limit {p}"));
        }
        format!("{line} {}", shell_quote(name))
    }
}

/// The swap limit set with a memory limit: twice it, as `docker run --memory` alone sets it
/// (the daemon refuses a memory limit above a swap limit already set).
fn swap(memory: i64) -> i64 {
    memory.saturating_mul(2)
}

pub async fn update(docker: &Docker, target: &Target, limits: &Limits) -> Result<String, OpError> {
    let restart_policy = limits.restart.map(restart_policy);
    let body = ContainerUpdateBody {
        memory: limits.memory,
        memory_swap: limits.memory.map(swap),
        nano_cpus: limits.nano_cpus,
        pids_limit: limits.pids,
        restart_policy,
        ..Default::default()
    };
    docker.update_container(&target.id, body).await?;
    Ok(format!("Updated {}'s limits", target.name))
}

/// A restart policy as the Engine API takes it (`no` too, so a policy can be taken away).
pub fn restart_policy(restart: Restart) -> RestartPolicy {
    let (name, count) = match restart {
        Restart::No => (RestartPolicyNameEnum::NO, None),
        Restart::Always => (RestartPolicyNameEnum::ALWAYS, None),
        Restart::UnlessStopped => (RestartPolicyNameEnum::UNLESS_STOPPED, None),
        Restart::OnFailure(n) => (RestartPolicyNameEnum::ON_FAILURE, Some(i64::from(n))),
    };
    RestartPolicy {
        name: Some(name),
        maximum_retry_count: count,
    }
}

pub async fn rename(docker: &Docker, target: &Target, name: &str) -> Result<String, OpError> {
    let options = RenameContainerOptions { name: name.into() };
    docker.rename_container(&target.id, options).await?;
    Ok(format!("Renamed {} to {name}", target.name))
}
