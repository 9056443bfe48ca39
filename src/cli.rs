//! Command-line flags.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// A live terminal dashboard for Docker.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// Daemon to connect to (unix:///path or tcp://host:port). Default: DOCKER_HOST, then
    /// the current docker context, then the default socket.
    #[arg(short = 'H', long, value_name = "URL")]
    pub host: Option<String>,

    /// Seconds between full listings; daemon events refresh sooner.
    #[arg(long, default_value = "2", value_parser = parse_interval, value_name = "SECONDS")]
    pub interval: Duration,

    /// Browse, attach read-only and watch, but change nothing on the Docker host.
    #[arg(long)]
    pub read_only: bool,

    /// Start with the CPU and MEM columns on (`U` switches them; they cost the daemon a
    /// little CPU, so they start off).
    #[arg(long)]
    pub usage: bool,

    /// What `e` runs in a container (default: /bin/bash if present, else /bin/sh).
    #[arg(long, value_name = "COMMAND")]
    pub shell: Option<String>,

    /// The key that leaves the terminal pane for the panes (ctrl-] by default).
    #[arg(long, value_name = "KEY", value_parser = crate::app::keymap::Key::parse_ctrl)]
    pub prefix: Option<crate::app::keymap::Key>,

    /// Seconds a stop (`x`) waits for a container before it kills it.
    #[arg(long, default_value_t = crate::app::actions::STOP_TIMEOUT, value_name = "SECONDS")]
    pub stop_timeout: u32,

    /// Lines each container-logs view keeps in memory.
    #[arg(long, default_value_t = dockpit_log_lines(), value_name = "LINES")]
    pub log_lines: usize,

    /// Where logs go (default: $XDG_STATE_HOME/dockpit/dockpit.log). Never to the screen.
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
}

const fn dockpit_log_lines() -> usize {
    crate::app::logs::CAPACITY
}

fn parse_interval(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(0.1..=3600.0).contains(&secs) {
        return Err("the interval must be between 0.1 and 3600 seconds".into());
    }
    Ok(Duration::from_secs_f64(secs))
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
