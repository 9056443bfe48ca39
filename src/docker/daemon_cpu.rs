//! A local daemon's CPU time, read from /proc: dockerd (the process at the other end of its
//! unix socket) and the containerd it uses. The top view's pace takes what its readings
//! really cost from it: a batch's time says less, as a daemon answers on several cores at
//! once and a slow client adds its own time. A remote daemon (or one whose containerd is
//! not found) is paced by the batch's time instead.

use std::path::Path;

/// The processes whose CPU time is the daemon's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonCpu {
    pids: Vec<u32>,
}

impl DaemonCpu {
    /// For `host` a `unix://` socket on this machine: dockerd (its peer) and its containerd.
    /// `None` otherwise, or when /proc does not tell.
    pub fn of(host: &str) -> Option<Self> {
        let path = host.strip_prefix("unix://")?;
        let stream = std::os::unix::net::UnixStream::connect(path).ok()?;
        let peer = rustix::net::sockopt::socket_peercred(&stream).ok()?;
        let dockerd = u32::try_from(peer.pid.as_raw_nonzero().get()).ok()?;
        let mut pids = vec![dockerd];
        pids.extend(containerd_of(dockerd)?);
        Some(Self { pids })
    }

    /// Their CPU time so far (user and system), in milliseconds; `None` once one is gone
    /// (the daemon restarted: look again with [`Self::of`]).
    pub fn millis(&self) -> Option<u64> {
        let ticks = rustix::param::clock_ticks_per_second().max(1);
        let mut total = 0;
        for &pid in &self.pids {
            total += cpu_ticks(pid)?;
        }
        Some(total * 1000 / ticks)
    }
}

/// A process's name and `stat` fields after it (state first), from /proc/PID/stat.
fn stat(pid: u32) -> Option<(String, Vec<String>)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (head, rest) = text.rsplit_once(')')?;
    let name = head.split_once('(')?.1.to_string();
    Some((name, rest.split_whitespace().map(str::to_string).collect()))
}

/// utime + stime (the 14th and 15th fields), in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let (_, fields) = stat(pid)?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// The containerd dockerd uses: the one listening on the socket its `--containerd` names,
/// else its own child (a dockerd that starts its containerd). Empty when it has none (not a
/// Docker engine: Podman answers alone); `None` when one is named but not found.
fn containerd_of(dockerd: u32) -> Option<Vec<u32>> {
    let containerds: Vec<(u32, Option<u32>)> = std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let (name, fields) = stat(pid)?;
            let parent = fields.get(1).and_then(|p| p.parse().ok());
            (name == "containerd").then_some((pid, parent))
        })
        .collect();
    match containerd_socket(dockerd) {
        Some(socket) => {
            let inode = listening_inode(&socket)?;
            let owner = containerds
                .iter()
                .find(|(pid, _)| holds_socket(*pid, inode))?;
            Some(vec![owner.0])
        }
        None => Some(
            (containerds.iter())
                .filter(|(_, parent)| *parent == Some(dockerd))
                .map(|(pid, _)| *pid)
                .collect(),
        ),
    }
}

/// The socket dockerd's `--containerd` flag names, if it has one.
fn containerd_socket(dockerd: u32) -> Option<String> {
    let cmdline = std::fs::read(format!("/proc/{dockerd}/cmdline")).ok()?;
    let args: Vec<String> = (cmdline.split(|b| *b == 0))
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    args.iter()
        .enumerate()
        .find_map(|(i, arg)| match arg.as_str() {
            "--containerd" => args.get(i + 1).cloned(),
            _ => arg.strip_prefix("--containerd=").map(str::to_string),
        })
}

/// The inode of the unix socket listening at `path` (/proc/net/unix).
fn listening_inode(path: &str) -> Option<u64> {
    let table = std::fs::read_to_string("/proc/net/unix").ok()?;
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // Num RefCount Protocol Flags Type St Inode Path
        (fields.get(7).map(Path::new) == Some(Path::new(path)))
            .then(|| fields.get(6)?.parse().ok())
            .flatten()
    })
}

/// Whether process `pid` has socket `inode` open.
fn holds_socket(pid: u32, inode: u64) -> bool {
    let wanted = format!("socket:[{inode}]");
    std::fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
        fds.flatten().any(|fd| {
            std::fs::read_link(fd.path()).is_ok_and(|target| target.as_os_str() == wanted.as_str())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_socket_s_peer_and_its_cpu_time_are_found() {
        // This process listens: it is the peer, with no containerd of its own.
        let dir = std::env::temp_dir().join(format!("dockpit-daemon-cpu-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let socket = dir.join("d.sock");
        let _ = std::fs::remove_file(&socket);
        let listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
        let cpu = DaemonCpu::of(&format!("unix://{}", socket.display())).expect("local");
        assert_eq!(cpu.pids, vec![std::process::id()]);
        let before = cpu.millis().expect("its time");
        let spin = std::time::Instant::now();
        while spin.elapsed() < std::time::Duration::from_millis(60) {
            std::hint::black_box(0u64.wrapping_add(1));
        }
        assert!(cpu.millis().expect("its time") > before);
        assert!(listening_inode(&socket.display().to_string()).is_some());
        drop(listener);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(DaemonCpu::of("tcp://127.0.0.1:2375"), None);
    }
}
