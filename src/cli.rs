//! Command-line flags.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

/// A live terminal dashboard for Docker.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// The config file (default: $XDG_CONFIG_HOME/dockpit/config.toml). Flags given here win
    /// over its [defaults].
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    /// Daemon to connect to: unix:///path, tcp://host:port or ssh://[user@]host[:port].
    /// Repeat it for several hosts at once; `,ro` after one changes nothing there. Default:
    /// DOCKER_HOST, then the current docker context, then the default socket.
    #[arg(short = 'H', long, value_name = "URL")]
    pub host: Vec<String>,

    /// A docker context to watch (repeat it for several).
    #[arg(long, value_name = "NAME")]
    pub context: Vec<String>,

    /// Every docker context at once.
    #[arg(long)]
    pub all_contexts: bool,

    /// Seconds between full listings while the daemon's events stream is down or lags; while
    /// it keeps up, events update the rows and a full listing is a resync every 60 s (or
    /// this, if longer). [default: 2]
    #[arg(long, value_parser = parse_interval, value_name = "SECONDS")]
    pub interval: Option<Duration>,

    /// Browse, attach read-only and watch, but change nothing on the Docker host.
    #[arg(long)]
    pub read_only: bool,

    /// Start with the CPU and MEM columns on (`U` switches them; they cost the daemon a
    /// little CPU, so they start off).
    #[arg(long)]
    pub usage: bool,

    /// Leave the mouse to the terminal (no clicks or wheel in dockpit; the terminal's own
    /// text selection works without Shift).
    #[arg(long)]
    pub no_mouse: bool,

    /// What `e` runs in a container (default: /bin/bash if present, else /bin/sh).
    #[arg(long, value_name = "COMMAND")]
    pub shell: Option<String>,

    /// The key that leaves the terminal pane for the panes (ctrl-] by default).
    #[arg(long, value_name = "KEY", value_parser = crate::app::keymap::Key::parse_ctrl)]
    pub prefix: Option<crate::app::keymap::Key>,

    /// Seconds a stop (`x`) waits for a container before it kills it.
    /// [default: 10]
    #[arg(long, value_name = "SECONDS")]
    pub stop_timeout: Option<u32>,

    /// Lines each container-logs view keeps in memory. [default: 10000]
    #[arg(long, value_name = "LINES")]
    pub log_lines: Option<usize>,

    /// Bytes each container-logs view keeps in memory (oldest lines drop first): a number,
    /// or with a unit (`16MiB`, `512KiB`, `1GiB`, `16M`). [default: 16MiB]
    #[arg(long, value_parser = parse_bytes, value_name = "SIZE")]
    pub log_bytes: Option<usize>,

    /// Where logs go (default: $XDG_STATE_HOME/dockpit/dockpit.log). Never to the screen.
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a completion script for a shell (`dockpit completions bash >
    /// /etc/bash_completion.d/dockpit`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`dockpit man > dockpit.1 && man ./dockpit.1`).
    Man,
    /// Every running container's CPU, memory, network and block I/O, busiest first, printed
    /// once (two readings a second apart) for scripts; in the dashboard, `T` shows it live.
    Top {
        /// Print the table once and exit (the live view is `T` in the dashboard).
        #[arg(long)]
        once: bool,
        /// As JSON: {"hosts": [{"name", "cpus", "memory_bytes", "containers": [...]}]}.
        #[arg(long)]
        json: bool,
    },
    /// The config file: print the default one, or check one.
    Config {
        #[command(subcommand)]
        action: ConfigCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the default config, every setting commented (`dockpit config default >
    /// ~/.config/dockpit/config.toml`).
    Default,
    /// Check a config file (default: --config, else the usual place); print each problem
    /// as file:line:column and exit 1 if there is any.
    Check {
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
}

pub(crate) fn parse_interval(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(0.1..=3600.0).contains(&secs) {
        return Err("the interval must be between 0.1 and 3600 seconds".into());
    }
    Ok(Duration::from_secs_f64(secs))
}

/// "16MiB", "512k", "1048576" → bytes (binary units; "M" and "MB" mean MiB, as in `docker
/// run --memory`).
pub(crate) fn parse_bytes(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: usize = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size: use a number, or 16MiB, 512KiB…"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?}: use KiB, MiB or GiB"
            ));
        }
    };
    let bytes = number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("{text:?} is too large"))?;
    if bytes < 64 * 1024 {
        return Err("the log budget must be at least 64KiB".into());
    }
    Ok(bytes)
}

impl Cli {
    pub fn log_path(&self) -> PathBuf {
        match &self.log_file {
            Some(path) => path.clone(),
            None => crate::paths::state_dir().join("dockpit.log"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_bytes_are_parsed_with_units() {
        assert_eq!(parse_bytes("16MiB"), Ok(16 << 20));
        assert_eq!(parse_bytes("512k"), Ok(512 << 10));
        assert_eq!(parse_bytes("1G"), Ok(1 << 30));
        assert_eq!(parse_bytes("1048576"), Ok(1 << 20));
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("5 parsecs").is_err());
        assert!(parse_bytes("1k").is_err(), "too small to hold a line");
        assert!(parse_bytes("99999999999999999999G").is_err());
    }

    #[test]
    fn interval_is_validated() {
        assert_eq!(parse_interval("0.5"), Ok(Duration::from_millis(500)));
        assert!(parse_interval("0").is_err());
        assert!(
            parse_interval("soon")
                .expect_err("rejected")
                .contains("not a number")
        );
    }
}
