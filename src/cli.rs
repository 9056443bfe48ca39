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

    /// A folder whose compose file the Compose projects view (`J`) reads, beside the
    /// folder dockpit starts in and `[compose] dirs` (repeatable).
    #[arg(long, value_name = "DIR")]
    pub compose_dir: Vec<PathBuf>,

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
    /// An image's layers: what each adds, changes and removes, the bytes shipped for nothing
    /// and dive's efficiency score; with `--ci`, exits 1 when a threshold is crossed, as
    /// `dive --ci` does (`dockpit layers myapp:1 --ci --lowest-efficiency 0.95`).
    Layers(LayersArgs),
    /// Watch every host for alerts (a container exits non-zero, is OOM-killed or killed by a
    /// signal no one asked Docker for, goes unhealthy, restarts in a loop; a host goes down;
    /// a Swarm task fails or a service stops converging) and print each as a JSON line,
    /// without a screen (`dockpit alerts --follow`); first, with `"backlog": true`, what
    /// happened since the last run (dockpit's or this one's).
    Alerts(AlertsArgs),
    /// Every running container's CPU, memory, network and block I/O, busiest first, printed
    /// once (two readings a second apart) for scripts; in the dashboard, `T` shows it live.
    Top(TopArgs),
    /// The config file: print the default one, or check one.
    Config {
        #[command(subcommand)]
        action: ConfigCommand,
    },
}

#[derive(Debug, clap::Args)]
pub struct TopArgs {
    /// Print the table once and exit (the live view is `T` in the dashboard).
    #[arg(long)]
    pub once: bool,
    /// As JSON: {"hosts": [{"name", "cpus", "memory_bytes", "containers": [...]}]}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct LayersArgs {
    /// A local image (name, name:tag or id); with `--remote`, a reference in its registry.
    pub image: String,
    /// Read the image from its registry (this machine's platform from an index), without
    /// pulling it: the layer blobs are streamed, checked and decompressed, headers kept.
    #[arg(long)]
    pub remote: bool,
    /// Check the thresholds and exit 1 when one is crossed (0 when all pass).
    #[arg(long)]
    pub ci: bool,
    /// dive's lowestEfficiency: fail below this score (0.9, 90%, or `disabled`). [default: 0.9]
    #[arg(long, value_name = "RATIO", value_parser = crate::layers_report::parse_ratio_limit)]
    pub lowest_efficiency: Option<crate::layers_report::Limit<f64>>,
    /// dive's highestWastedBytes: fail above this many bytes wasted (20MB, 20MiB, or
    /// `disabled`). [default: disabled]
    #[arg(long, value_name = "SIZE", value_parser = crate::layers_report::parse_size_limit)]
    pub highest_wasted: Option<crate::layers_report::Limit<u64>>,
    /// dive's highestUserWastedPercent: fail above this share of the bytes the layers above
    /// the first add (0.1, 10%, or `disabled`). [default: 0.1]
    #[arg(long, value_name = "RATIO", value_parser = crate::layers_report::parse_ratio_limit)]
    pub highest_user_wasted_percent: Option<crate::layers_report::Limit<f64>>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// List every layer's changed paths too.
    #[arg(long)]
    pub changes: bool,
}

impl LayersArgs {
    /// The rules to check: dive's defaults, each replaced by its flag.
    pub fn rules(&self) -> crate::layers_report::Rules {
        let default = crate::layers_report::Rules::default();
        crate::layers_report::Rules {
            lowest_efficiency: self
                .lowest_efficiency
                .map_or(default.lowest_efficiency, |l| l.0),
            highest_wasted_bytes: self
                .highest_wasted
                .map_or(default.highest_wasted_bytes, |l| l.0),
            highest_user_wasted_ratio: self
                .highest_user_wasted_percent
                .map_or(default.highest_user_wasted_ratio, |l| l.0),
        }
    }

    /// Whether verdicts are printed: with `--ci`, or when a threshold is named.
    pub fn judged(&self) -> bool {
        self.ci
            || self.lowest_efficiency.is_some()
            || self.highest_wasted.is_some()
            || self.highest_user_wasted_percent.is_some()
    }
}

#[derive(Debug, clap::Args)]
pub struct AlertsArgs {
    /// Keep watching, printing each alert as it is raised, repeated or cleared.
    #[arg(long)]
    pub follow: bool,
    /// A command run for each alert (split into words as a shell would, not run by one),
    /// with $DOCKPIT_ALERT, $DOCKPIT_ALERT_STATE, $DOCKPIT_ALERT_MESSAGE, $DOCKPIT_HOST,
    /// $DOCKPIT_CONTAINER, $DOCKPIT_CONTAINER_ID, $DOCKPIT_IMAGE (and $DOCKPIT_EXIT_CODE) set;
    /// killed after --hook-timeout.
    #[arg(long, value_name = "COMMAND")]
    pub hook: Option<String>,
    /// Seconds a hook may run before it is killed.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub hook_timeout: u64,
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
