//! `docker stats` for one container: samples streamed once a second, reduced to the figures
//! the CLI shows (CPU % where 100 % is one core, memory use/limit, net and block I/O, PIDs).

use bollard::Docker;
use bollard::models::ContainerStatsResponse;
use bollard::query_parameters::StatsOptions;
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use super::DockerEvent;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Sample {
    /// 100 % = one core, as `docker stats` shows it.
    pub cpu_percent: f64,
    /// Used memory, without the page cache (as the CLI computes it).
    pub memory: u64,
    pub memory_limit: u64,
    pub net_rx: u64,
    pub net_tx: u64,
    pub block_read: u64,
    pub block_write: u64,
    pub pids: u64,
}

/// One stats response → a sample, with the CLI's arithmetic.
pub fn sample(s: &ContainerStatsResponse) -> Sample {
    let cpu = s.cpu_stats.clone().unwrap_or_default();
    let pre = s.precpu_stats.clone().unwrap_or_default();
    let total = |c: &bollard::models::ContainerCpuStats| {
        c.cpu_usage
            .as_ref()
            .and_then(|u| u.total_usage)
            .unwrap_or(0)
    };
    let cpu_delta = total(&cpu).saturating_sub(total(&pre)) as f64;
    let system_delta = cpu
        .system_cpu_usage
        .unwrap_or(0)
        .saturating_sub(pre.system_cpu_usage.unwrap_or(0)) as f64;
    let cpus = cpu.online_cpus.filter(|n| *n > 0).map_or_else(
        || {
            cpu.cpu_usage
                .as_ref()
                .and_then(|u| u.percpu_usage.as_ref())
                .map_or(1, Vec::len) as f64
        },
        f64::from,
    );
    let cpu_percent = if system_delta > 0.0 && cpu_delta > 0.0 {
        cpu_delta / system_delta * cpus * 100.0
    } else {
        0.0
    };
    let mem = s.memory_stats.clone().unwrap_or_default();
    let stats = mem.stats.unwrap_or_default();
    // cgroup v2 reports inactive_file, v1 total_inactive_file; the CLI subtracts it.
    let cache = stats
        .get("inactive_file")
        .or_else(|| stats.get("total_inactive_file"))
        .copied()
        .unwrap_or(0);
    let usage = mem.usage.unwrap_or(0);
    let memory = if cache < usage { usage - cache } else { usage };
    let (net_rx, net_tx) = s
        .networks
        .iter()
        .flatten()
        .fold((0, 0), |(rx, tx), (_, n)| {
            (rx + n.rx_bytes.unwrap_or(0), tx + n.tx_bytes.unwrap_or(0))
        });
    let io = s
        .blkio_stats
        .as_ref()
        .and_then(|b| b.io_service_bytes_recursive.clone())
        .unwrap_or_default();
    let sum = |op: &str| {
        io.iter()
            .filter(|e| e.op.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(op)))
            .filter_map(|e| e.value)
            .sum()
    };
    Sample {
        cpu_percent,
        memory,
        memory_limit: mem.limit.unwrap_or(0),
        net_rx,
        net_tx,
        block_read: sum("read"),
        block_write: sum("write"),
        pids: s.pids_stats.as_ref().and_then(|p| p.current).unwrap_or(0),
    }
}

/// One cheap reading of a container (a one-shot stats call): counters whose change between
/// two readings gives CPU % and the I/O rates, and what is in use now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reading {
    pub cpu_total: u64,
    pub system_total: u64,
    pub cpus: u32,
    pub memory: u64,
    pub memory_limit: u64,
    pub net_rx: u64,
    pub net_tx: u64,
    pub block_read: u64,
    pub block_write: u64,
    pub pids: u64,
    /// When the daemon took it (its `read`), unix milliseconds; 0 when it did not say.
    pub taken_ms: i64,
}

impl Reading {
    pub fn from_response(s: &ContainerStatsResponse) -> Self {
        let cpu = s.cpu_stats.clone().unwrap_or_default();
        let all = sample(s);
        let taken_ms = s
            .read
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map_or(0, |t| t.timestamp_millis());
        Self {
            cpu_total: cpu
                .cpu_usage
                .as_ref()
                .and_then(|u| u.total_usage)
                .unwrap_or(0),
            system_total: cpu.system_cpu_usage.unwrap_or(0),
            cpus: cpu.online_cpus.unwrap_or(1).max(1),
            memory: all.memory,
            memory_limit: all.memory_limit,
            net_rx: all.net_rx,
            net_tx: all.net_tx,
            block_read: all.block_read,
            block_write: all.block_write,
            pids: all.pids,
            taken_ms,
        }
    }

    /// CPU % between an earlier reading and this one (100 % = one core).
    pub fn cpu_percent_since(&self, earlier: &Reading) -> Option<f64> {
        let cpu = self.cpu_total.checked_sub(earlier.cpu_total)? as f64;
        let system = self.system_total.checked_sub(earlier.system_total)? as f64;
        (system > 0.0).then(|| cpu / system * f64::from(self.cpus) * 100.0)
    }
}

/// One-shot readings of a few containers, one request each, sent at once.
pub async fn read(
    docker: &Docker,
    ids: &[super::ContainerId],
) -> Vec<(super::ContainerId, Reading)> {
    let options = StatsOptions {
        stream: false,
        // API 1.41+: no second sample a second later; older daemons ignore it.
        one_shot: true,
    };
    let requests = ids.iter().map(|id| {
        let options = options.clone();
        async move {
            let mut stream = docker.stats(id, Some(options));
            match stream.next().await {
                Some(Ok(response)) => Some((id.clone(), Reading::from_response(&response))),
                _ => None,
            }
        }
    });
    futures::future::join_all(requests)
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// A one-shot reading that took longer waited for the daemon's stats collector (Engine 20.10
/// answers one at its collector's next 1 s tick): idle time, not work.
pub const COLLECTOR_WAIT_MS: u64 = 500;

/// [`read`] for the top view, timed: the readings and the milliseconds the batch took.
/// `at_once` when the daemon's own CPU tells the cost (a daemon answers a batch sent at once
/// for less: 0.62 ms a reading on Engine 26 here, against ~1.5 ms one at a time). Else one
/// request at a time, so the batch's time is the daemon's (sent at once, they are answered
/// on several of its cores and the time would understate the cost); a daemon that holds each
/// answer for its collector (Engine 20.10) is then asked for the rest at once.
pub async fn read_timed(
    docker: &Docker,
    ids: &[super::ContainerId],
    at_once: bool,
) -> (Vec<(super::ContainerId, Reading)>, u64) {
    let millis =
        |since: std::time::Instant| u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX);
    let started = std::time::Instant::now();
    if at_once {
        let readings = read(docker, ids).await;
        return (readings, millis(started));
    }
    let mut readings = Vec::with_capacity(ids.len());
    for (at, id) in ids.iter().enumerate() {
        let one = std::time::Instant::now();
        readings.extend(read(docker, std::slice::from_ref(id)).await);
        if millis(one) >= COLLECTOR_WAIT_MS {
            readings.extend(read(docker, &ids[at + 1..]).await);
            break;
        }
    }
    (readings, millis(started))
}

/// Streams samples until the container stops or the task is aborted.
pub async fn follow(
    docker: Docker,
    id: super::StreamId,
    container: super::ContainerId,
    events: UnboundedSender<DockerEvent>,
) {
    let options = StatsOptions {
        stream: true,
        one_shot: false,
    };
    let mut stream = docker.stats(&container, Some(options));
    let reason = loop {
        match stream.next().await {
            Some(Ok(response)) => {
                let sample = sample(&response);
                if events.send(DockerEvent::Stats { id, sample }).is_err() {
                    return;
                }
            }
            Some(Err(e)) => {
                break super::actions::OpError::from(e).message;
            }
            None => break "the container stopped".to_string(),
        }
    };
    let _ = events.send(DockerEvent::StreamEnded { id, reason });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_give_cpu_percent_between_them() {
        let a = Reading {
            cpu_total: 1_000,
            system_total: 10_000,
            cpus: 2,
            memory: 5,
            ..Reading::default()
        };
        let b = Reading {
            cpu_total: 2_000,
            system_total: 14_000,
            ..a
        };
        assert_eq!(b.cpu_percent_since(&a), Some(50.0));
        assert_eq!(
            a.cpu_percent_since(&b),
            None,
            "counters went backwards: restarted"
        );
    }
    use bollard::models::{ContainerCpuStats, ContainerCpuUsage, ContainerMemoryStats};

    #[test]
    fn cpu_percent_counts_one_core_as_100() {
        let cpu = |total, system| ContainerCpuStats {
            cpu_usage: Some(ContainerCpuUsage {
                total_usage: Some(total),
                ..Default::default()
            }),
            system_cpu_usage: Some(system),
            online_cpus: Some(2),
            ..Default::default()
        };
        let response = ContainerStatsResponse {
            // One core busy for the whole interval on a two-core host: 100 %.
            cpu_stats: Some(cpu(1_500, 4_000)),
            precpu_stats: Some(cpu(500, 2_000)),
            memory_stats: Some(ContainerMemoryStats {
                usage: Some(10_000),
                limit: Some(100_000),
                stats: Some([("inactive_file".to_string(), 4_000)].into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let s = sample(&response);
        assert!((s.cpu_percent - 100.0).abs() < 1e-9, "{}", s.cpu_percent);
        assert_eq!((s.memory, s.memory_limit), (6_000, 100_000));
    }
}
