//! The user's own commands (`[[commands]]` in the config, as k9s plugins and lazydocker's
//! custom commands): a key in a list pane runs a local command line about the selected row,
//! in a terminal tab of the pane or in the background (its output in the command log).
//!
//! The command line is split into words first and placeholders are filled in each word, so
//! a name never becomes shell syntax; the same values are in the environment
//! (`$DOCKPIT_NAME`…) for `sh -c` scripts, which should quote them: a placeholder inside such
//! a script is refused in the config ([`check`]). A value from the daemon (a hostile one
//! names its containers as it likes) that is an option (`-…`) or holds anything a shell reads
//! as syntax is refused when the command would run ([`plain`]).

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

/// The shells whose `-c` takes a script.
const SHELLS: [&str; 7] = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash"];

/// Refuses a command line with a placeholder inside a shell's script (`sh -c 'echo {name}'`):
/// the value would be read as shell syntax there. The script reads the variable instead (or
/// takes the value as an argument after it: `sh -c 'echo "$1"' sh {name}`).
pub fn check(words: &[String]) -> Result<(), String> {
    for (i, word) in words.iter().enumerate() {
        let program = word.rsplit('/').next().unwrap_or(word);
        if !SHELLS.contains(&program) {
            continue;
        }
        // Its options, one of them with `c`: the script is the word after them.
        let options: Vec<&String> = words[i + 1..]
            .iter()
            .take_while(|w| w.starts_with('-') && !w.starts_with("--"))
            .collect();
        if !options.iter().any(|o| o.contains('c')) {
            continue;
        }
        let script = words.get(i + 1 + options.len()).map_or("", String::as_str);
        if let Some((placeholder, var)) = PLACEHOLDERS.iter().find(|(p, _)| script.contains(p)) {
            return Err(format!(
                "{placeholder} inside the script of `{program} -c` would become shell syntax: write \"${var}\" in the script instead (dockpit sets it)"
            ));
        }
    }
    Ok(())
}

/// Whether a value from the daemon may fill a word: not an option (`-…`), and only what names,
/// ids and image references are made of, nothing a shell reads as syntax.
pub fn plain(value: &str) -> bool {
    !value.starts_with('-')
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-:/@+=".contains(c))
}

/// The command `name`'s words filled for `subject`; `docker_env` adds what else reaches the
/// same daemon (TLS). `Err` (why it is not run) when a value from the daemon that fills a
/// word is not [`plain`].
pub fn invocation(
    name: &str,
    command: &[String],
    subject: &Subject,
    docker_env: &[(String, String)],
) -> Result<Invocation, String> {
    let values = [&subject.id, &subject.name, &subject.image, &subject.host];
    // The host is the user's own endpoint; the rest come from the daemon.
    for ((placeholder, _), value) in PLACEHOLDERS.iter().zip(values).take(3) {
        if !plain(value) && command.iter().any(|w| w.contains(placeholder)) {
            return Err(format!(
                "{} not run: {placeholder} would be {}, an option or shell syntax from the daemon",
                name,
                crate::format::cut(&format!("{value:?}"), 80)
            ));
        }
    }
    let argv = command
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
    Ok(Invocation {
        name: name.to_string(),
        argv,
        env,
    })
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

/// Runs an alert's hook as [`run_background`] does, its output dropped; one still running
/// at `timeout` is killed, and the error says so (the dashboard's command log, `dockpit
/// alerts`' stderr).
pub async fn run_hook(call: &Invocation, timeout: std::time::Duration) -> Result<String, String> {
    // Dropped at its timeout: the child is killed (`kill_on_drop`).
    match tokio::time::timeout(timeout, run_background(call, |_| {})).await {
        Ok(result) => result,
        Err(_) => Err(format!(
            "{} ran over {} and was killed",
            call.name,
            match timeout.as_millis() {
                ms @ 0..1_000 => format!("{ms} ms"),
                _ => format!("{} s", timeout.as_secs()),
            }
        )),
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

    /// A hook that hangs is killed at its timeout (the process, not only waited for), and
    /// the error says so.
    #[tokio::test]
    async fn a_hook_over_its_time_is_killed_and_said_so() {
        let file = std::env::temp_dir().join(format!("dockpit-hook-pid-{}", std::process::id()));
        let script = format!("echo $$ > {}; exec sleep 30", file.display());
        let call = Invocation {
            name: "the exited hook".into(),
            argv: vec!["sh".into(), "-c".into(), script],
            env: vec![],
        };
        let result = run_hook(&call, std::time::Duration::from_secs(2)).await;
        assert_eq!(
            result,
            Err("the exited hook ran over 2 s and was killed".into())
        );
        let pid = std::fs::read_to_string(&file).expect("the hook wrote its pid");
        let stat = std::path::PathBuf::from(format!("/proc/{}/stat", pid.trim()));
        // Gone, or a zombie until tokio reaps it.
        let gone = || {
            std::fs::read_to_string(&stat).map_or(true, |s| {
                s.rsplit(')')
                    .next()
                    .is_some_and(|r| r.trim_start().starts_with('Z'))
            })
        };
        let start = std::time::Instant::now();
        while !gone() {
            assert!(start.elapsed().as_secs() < 5, "the hook still runs");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let _ = std::fs::remove_file(&file);
    }

    /// A command named "test" of `line`'s words.
    struct Command(Vec<String>);

    impl Command {
        fn invocation(
            &self,
            subject: &Subject,
            env: &[(String, String)],
        ) -> Result<Invocation, String> {
            invocation("test", &self.0, subject, env)
        }
    }

    fn command(line: &str) -> Command {
        Command(crate::run_spec::split_command(line).expect("words"))
    }

    fn subject() -> Subject {
        Subject {
            id: "abc123".into(),
            name: "web_1".into(),
            image: "nginx:1".into(),
            host: "unix:///run/d.sock".into(),
        }
    }

    #[test]
    fn placeholders_fill_words_and_never_split_them() {
        let inv = command("docker -H {host} logs --tail 5 {id} '{name} on {image}'")
            .invocation(&subject(), &[])
            .expect("plain values");
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
                "web_1 on nginx:1"
            ]
        );
        assert!(
            inv.env
                .contains(&("DOCKPIT_NAME".to_string(), "web_1".to_string()))
        );
        // A daemon's name that is shell syntax or an option fills no word; in the
        // environment only, it is a value as any other.
        for name in ["web; rm -rf /", "web$(touch${IFS}/tmp/x)", "--privileged"] {
            let hostile = Subject {
                name: name.into(),
                ..subject()
            };
            let refused = command("echo {name}").invocation(&hostile, &[]);
            assert!(refused.is_err_and(|e| e.contains("not run")), "{name}");
            let inv = command("printenv DOCKPIT_NAME").invocation(&hostile, &[]);
            assert!(inv.is_ok_and(|i| i.env.contains(&("DOCKPIT_NAME".into(), name.into()))));
        }
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
                .invocation(&subject(), &[])
                .expect("plain values"),
            |l| lines.push(l),
        )
        .await;
        assert_eq!(ok, Ok("test: exit 0".into()));
        lines.sort();
        // A line that is not UTF-8 reads with a replacement character and the rest follows.
        assert_eq!(lines, ["abc123", "err", "out", "\u{fffd}x"]);
        let failed = run_background(
            &command("sh -c 'exit 3'")
                .invocation(&subject(), &[])
                .expect("plain values"),
            |_| {},
        )
        .await;
        assert_eq!(failed, Err("test exited with status 3".into()));
        let missing = run_background(
            &command("/nonexistent/dockpit-cmd")
                .invocation(&subject(), &[])
                .expect("plain values"),
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
