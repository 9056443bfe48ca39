#![allow(dead_code)] // each measurement example uses part of this

//! Figures about a process from /proc, for the measurement scripts.

/// The fields of /proc/PID/stat after the command name (which may contain spaces).
pub fn stat_fields(pid: u32) -> Vec<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().map(String::from).collect())
        .unwrap_or_default()
}

/// CPU seconds (user + system) the processes have used so far.
pub fn cpu_seconds(pids: &[u32]) -> f64 {
    // utime and stime are fields 14 and 15 of stat: 12 and 13 after the command name.
    let ticks: u64 = pids
        .iter()
        .map(|pid| {
            let f = stat_fields(*pid);
            let n = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            n(11) + n(12)
        })
        .sum();
    ticks as f64 / 100.0
}

pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
