//! `docker container logs --follow --tail N --timestamps`, streamed as lines.

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::query_parameters::LogsOptions;
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use super::DockerEvent;

pub type LogStreamId = u64;

/// The longest line kept: a longer one is shown cut, with a marker saying how much is left
/// out (a container printing 60 kB lines must not cost 60 kB a line). A line without a
/// newline is also passed on when it reaches this.
pub const MAX_LINE: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// From stderr (only known without a tty: a tty merges both).
    pub err: bool,
    /// The daemon's RFC 3339 timestamp.
    pub time: String,
    pub text: String,
}

/// Follows a container's logs until the container's output ends or the task is aborted.
pub async fn follow(
    docker: Docker,
    id: LogStreamId,
    container: String,
    tail: usize,
    events: UnboundedSender<DockerEvent>,
) {
    let options = LogsOptions {
        follow: true,
        stdout: true,
        stderr: true,
        timestamps: true,
        tail: tail.to_string(),
        ..Default::default()
    };
    let mut stream = docker.logs(&container, Some(options));
    // A write may end mid-line; the rest comes with the next chunk.
    let mut partial = [String::new(), String::new()];
    let reason = loop {
        match stream.next().await {
            Some(Ok(chunk)) => {
                let (err, bytes) = match chunk {
                    LogOutput::StdErr { message } => (true, message),
                    LogOutput::StdOut { message }
                    | LogOutput::Console { message }
                    | LogOutput::StdIn { message } => (false, message),
                };
                let buffer = &mut partial[usize::from(err)];
                buffer.push_str(&String::from_utf8_lossy(&bytes));
                let mut lines = Vec::new();
                while let Some(end) = buffer.find('\n') {
                    let line: String = buffer.drain(..=end).collect();
                    lines.push(parse_line(err, line.trim_end_matches(['\n', '\r'])));
                }
                // Output that never ends a line (a progress bar on \r) must not grow forever.
                if buffer.len() > MAX_LINE {
                    lines.push(parse_line(err, &std::mem::take(buffer)));
                }
                if !lines.is_empty() && events.send(DockerEvent::LogLines { id, lines }).is_err() {
                    return;
                }
            }
            Some(Err(e)) => {
                break super::actions::OpError::from(e).message;
            }
            None => break "the container's output ended".to_string(),
        }
    };
    // The last line may have had no newline.
    let rest: Vec<LogLine> = [false, true]
        .into_iter()
        .filter(|err| !partial[usize::from(*err)].is_empty())
        .map(|err| parse_line(err, &partial[usize::from(err)]))
        .collect();
    if !rest.is_empty() {
        let _ = events.send(DockerEvent::LogLines { id, lines: rest });
    }
    let _ = events.send(DockerEvent::StreamEnded { id, reason });
}

/// "2026-11-28T14:00:00.123456789Z text" → its time and text, cut to [`MAX_LINE`].
pub fn parse_line(err: bool, line: &str) -> LogLine {
    let (time, text) = match line.split_once(' ') {
        Some((time, text)) if time.ends_with('Z') && time.contains('T') && time.len() <= 40 => {
            (time, text)
        }
        _ => ("", line),
    };
    LogLine {
        err,
        time: time.to_string(),
        text: crate::format::cut(text, MAX_LINE),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_are_split_off() {
        let l = super::parse_line(true, "2026-11-28T14:00:00.1Z hello world");
        assert_eq!(
            (l.time.as_str(), l.text.as_str(), l.err),
            ("2026-11-28T14:00:00.1Z", "hello world", true)
        );
        let l = super::parse_line(false, "no stamp");
        assert_eq!((l.time.as_str(), l.text.as_str()), ("", "no stamp"));
        let long = format!("2026-11-28T14:00:00.1Z {}", "x".repeat(60_000));
        let l = super::parse_line(false, &long);
        assert!(l.text.len() < super::MAX_LINE + 40, "{}", l.text.len());
        assert!(
            l.text
                .ends_with(&format!("[{} bytes cut]", 60_000 - super::MAX_LINE))
        );
    }
}
