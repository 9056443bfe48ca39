//! The user's own commands (`[[commands]]` in the config, as k9s plugins and lazydocker's
//! custom commands): a key in a list pane runs a local command line about the selected row,
//! in a terminal tab of the pane or in the background (its output in the command log).
//!
//! The command line is split into words first and placeholders are filled in each word, so
//! a name never becomes shell syntax; the same values are in the environment
//! (`$DOCKPIT_NAME`…) for `sh -c` scripts, which should quote them.

use crate::app::Pane;
use crate::app::keymap::Key;

/// The placeholders a command line may hold, and the variables that carry the same values.
pub const PLACEHOLDERS: [(&str, &str); 4] = [
    ("{id}", "DOCKPIT_ID"),
    ("{name}", "DOCKPIT_NAME"),
    ("{image}", "DOCKPIT_IMAGE"),
    ("{host}", "DOCKER_HOST"),
];

/// Where a command's output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunIn {
    /// A terminal tab of the pane (interactive; it stays until closed).
    Tab,
    /// Nowhere on screen while it runs: its output and exit status go to the command log.
    Background,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomCommand {
    /// Its line in help, and the tab's title.
    pub name: String,
    pub key: Key,
    /// The list it acts on: containers or images.
    pub scope: Pane,
    /// Words, placeholders not yet filled.
    pub command: Vec<String>,
    pub run: RunIn,
    /// Ask before running.
    pub confirm: bool,
    /// It changes the host: refused in read-only mode.
    pub changes: bool,
}

/// The row a command is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub id: String,
    pub name: String,
    pub image: String,
    /// The Docker endpoint dockpit talks to (`unix:///var/run/docker.sock`).
    pub host: String,
}

/// A command ready to run: its words filled and its environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The command's name (help's, the tab's).
    pub name: String,
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
}

impl CustomCommand {
    /// Filled for `subject`; `docker_env` adds what else reaches the same daemon (TLS).
    pub fn invocation(&self, subject: &Subject, docker_env: &[(String, String)]) -> Invocation {
        let values = [&subject.id, &subject.name, &subject.image, &subject.host];
        let argv = self
            .command
            .iter()
            .map(|word| {
                PLACEHOLDERS
                    .iter()
                    .zip(values)
                    .fold(word.clone(), |w, ((p, _), v)| w.replace(p, v))
            })
            .collect();
        let env = PLACEHOLDERS
            .iter()
            .zip(values)
            .map(|((_, var), v)| (var.to_string(), v.clone()))
            .chain(docker_env.iter().cloned())
            .collect();
        Invocation {
            name: self.name.clone(),
            argv,
            env,
        }
    }
}

/// Output kept per background command in the command log (the last lines).
pub const OUTPUT_LINES: usize = 200;

/// Runs a background command to its end: `Ok` with its exit status, or why it failed. Each
/// line of output (stdout and stderr, as they come) goes to `line`.
pub async fn run_background(
    inv: &Invocation,
    mut line: impl FnMut(String),
) -> Result<String, String> {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let Some((program, args)) = inv.argv.split_first() else {
        return Err("the command line is empty".into());
    };
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .envs(inv.env.iter().map(|(k, v)| (k, v)))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        // Quitting dockpit ends what it started.
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    // Bytes, not text: a line that is not UTF-8 must not stop the reading (the child would
    // block on a full pipe and never end).
    let out = child.stdout.take().map(BufReader::new);
    let err = child.stderr.take().map(BufReader::new);
    if let (Some(mut out), Some(mut err)) = (out, err) {
        let (mut out_open, mut err_open) = (true, true);
        let (mut out_line, mut err_line) = (Vec::new(), Vec::new());
        while out_open || err_open {
            tokio::select! {
                read = out.read_until(b'\n', &mut out_line), if out_open => match read {
                    Ok(n) if n > 0 => line(take_line(&mut out_line)),
                    _ => out_open = false,
                },
                read = err.read_until(b'\n', &mut err_line), if err_open => match read {
                    Ok(n) if n > 0 => line(take_line(&mut err_line)),
                    _ => err_open = false,
                },
            }
        }
    }
    let status = child.wait().await.map_err(|e| format!("{program}: {e}"))?;
    match status.code() {
        Some(0) => Ok(format!("{}: exit 0", inv.name)),
        Some(code) => Err(format!("{} exited with status {code}", inv.name)),
        None => Err(format!("{} was ended by a signal", inv.name)),
    }
}

/// A line read, as text (invalid UTF-8 replaced), without its line end; the buffer is
/// emptied for the next.
fn take_line(buf: &mut Vec<u8>) -> String {
    let text = String::from_utf8_lossy(buf)
        .trim_end_matches(['\n', '\r'])
        .to_string();
    buf.clear();
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(line: &str) -> CustomCommand {
        CustomCommand {
            name: "test".into(),
            key: Key::parse("T").expect("a key"),
            scope: Pane::Containers,
            command: crate::run_spec::split_command(line).expect("words"),
            run: RunIn::Background,
            confirm: false,
            changes: false,
        }
    }

    fn subject() -> Subject {
        Subject {
            id: "abc123".into(),
            name: "web; rm -rf /".into(),
            image: "nginx:1".into(),
            host: "unix:///run/d.sock".into(),
        }
    }

    #[test]
    fn placeholders_fill_words_and_never_split_them() {
        let inv = command("docker -H {host} logs --tail 5 {id} '{name} on {image}'")
            .invocation(&subject(), &[]);
        assert_eq!(
            inv.argv,
            [
                "docker",
                "-H",
                "unix:///run/d.sock",
                "logs",
                "--tail",
                "5",
                "abc123",
                "web; rm -rf / on nginx:1"
            ]
        );
        assert!(
            inv.env
                .contains(&("DOCKPIT_NAME".to_string(), "web; rm -rf /".to_string()))
        );
        assert!(
            inv.env
                .contains(&("DOCKER_HOST".to_string(), "unix:///run/d.sock".to_string()))
        );
    }

    #[tokio::test]
    async fn a_background_command_reports_its_lines_and_status() {
        let mut lines = Vec::new();
        let ok = run_background(
            &command("sh -c 'echo out; echo err >&2; echo \"$DOCKPIT_ID\"; printf \"\\377x\\n\"'")
                .invocation(&subject(), &[]),
            |l| lines.push(l),
        )
        .await;
        assert_eq!(ok, Ok("test: exit 0".into()));
        lines.sort();
        // A line that is not UTF-8 reads with a replacement character and the rest follows.
        assert_eq!(lines, ["abc123", "err", "out", "\u{fffd}x"]);
        let failed = run_background(
            &command("sh -c 'exit 3'").invocation(&subject(), &[]),
            |_| {},
        )
        .await;
        assert_eq!(failed, Err("test exited with status 3".into()));
        let missing = run_background(
            &command("/nonexistent/dockpit-cmd").invocation(&subject(), &[]),
            |_| {},
        )
        .await;
        assert!(
            missing
                .as_ref()
                .is_err_and(|e| e.starts_with("cannot run /nonexistent/dockpit-cmd")),
            "{missing:?}"
        );
    }
}
