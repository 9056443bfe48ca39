//! `docker container logs --follow --tail N --timestamps` (and a Swarm task's), streamed as
//! lines.

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::query_parameters::LogsOptions;
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use super::DockerEvent;

pub use super::StreamId as LogStreamId;

/// The longest line kept: a longer one is shown cut, with a marker saying how much is left
/// out (a container printing 60 kB lines must not cost 60 kB a line). A line without a
/// newline is also passed on when it reaches this.
pub const MAX_LINE: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// From stderr (only known without a tty: a tty merges both).
    pub err: bool,
    /// The daemon's RFC 3339 timestamp (nanoseconds, fixed width: it sorts as text).
    pub time: String,
    pub text: String,
    /// Which of a merged view's containers wrote it (set by the app; 0 otherwise).
    pub source: u16,
}

fn options(tail: usize) -> LogsOptions {
    LogsOptions {
        follow: true,
        stdout: true,
        stderr: true,
        timestamps: true,
        tail: tail.to_string(),
        ..Default::default()
    }
}

/// Follows a container's logs until the container's output ends or the task is aborted.
pub async fn follow(
    docker: Docker,
    id: LogStreamId,
    container: super::ContainerId,
    tail: usize,
    events: UnboundedSender<DockerEvent>,
) {
    let stream = docker.logs(&container, Some(options(tail)));
    lines(stream, id, "the container's output ended", events).await
}

/// Follows a Swarm task's logs through a manager, wherever the task runs.
pub async fn follow_task(
    docker: Docker,
    id: LogStreamId,
    task: String,
    tail: usize,
    events: UnboundedSender<DockerEvent>,
) {
    let stream = docker.task_logs(&task, Some(options(tail)));
    lines(stream, id, "the task's output ended", events).await
}

/// A log stream's output, as lines, until it ends (saying why).
async fn lines(
    stream: impl futures::Stream<Item = Result<LogOutput, bollard::errors::Error>>,
    id: LogStreamId,
    ended: &str,
    events: UnboundedSender<DockerEvent>,
) {
    futures::pin_mut!(stream);
    let mut lines = LineSplitter::default();
    let reason = loop {
        match stream.next().await {
            Some(Ok(chunk)) => {
                let (err, bytes) = match chunk {
                    LogOutput::StdErr { message } => (true, message),
                    LogOutput::StdOut { message }
                    | LogOutput::Console { message }
                    | LogOutput::StdIn { message } => (false, message),
                };
                let lines = lines.feed(err, &bytes);
                if !lines.is_empty() && events.send(DockerEvent::LogLines { id, lines }).is_err() {
                    return;
                }
            }
            Some(Err(e)) => {
                break super::actions::OpError::from(e).message;
            }
            None => break ended.to_string(),
        }
    };
    let rest = lines.finish();
    if !rest.is_empty() {
        let _ = events.send(DockerEvent::LogLines { id, lines: rest });
    }
    let _ = events.send(DockerEvent::StreamEnded { id, reason });
}

/// Cuts a container's output, as the daemon sends it in pieces of any size, into lines: per
/// stream (stdout, stderr), a line may end in a later piece, and a character may be split
/// between two. A line that never ends (a progress bar on `\r`) is passed on at
/// [`MAX_LINE`] rather than held forever.
#[derive(Debug, Default)]
pub struct LineSplitter {
    partial: [Vec<u8>; 2],
}

impl LineSplitter {
    pub fn feed(&mut self, err: bool, bytes: &[u8]) -> Vec<LogLine> {
        let buffer = &mut self.partial[usize::from(err)];
        buffer.extend_from_slice(bytes);
        let mut lines = Vec::new();
        let mut start = 0;
        while let Some(end) = buffer[start..].iter().position(|b| *b == b'\n') {
            let line = &buffer[start..start + end];
            lines.push(parse_line(
                err,
                String::from_utf8_lossy(line).trim_end_matches('\r'),
            ));
            start += end + 1;
        }
        buffer.drain(..start);
        if buffer.len() > MAX_LINE {
            let line = std::mem::take(buffer);
            lines.push(parse_line(err, &String::from_utf8_lossy(&line)));
        }
        lines
    }

    /// The last lines, which had no newline.
    pub fn finish(self) -> Vec<LogLine> {
        let [out, err] = self.partial;
        [(false, out), (true, err)]
            .into_iter()
            .filter(|(_, rest)| !rest.is_empty())
            .map(|(err, rest)| parse_line(err, &String::from_utf8_lossy(&rest)))
            .collect()
    }
}

/// "2026-11-28T14:00:00.123456789Z text" → its time and text, cut to [`MAX_LINE`].
pub fn parse_line(err: bool, line: &str) -> LogLine {
    let (time, text) = match line.split_once(' ') {
        // Only a real RFC 3339 time: it is drawn as it is (the text is escaped).
        Some((time, text))
            if time.ends_with('Z')
                && time.contains('T')
                && time.len() <= 40
                && time
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"T:.-+Z".contains(&b)) =>
        {
            (time, text)
        }
        _ => ("", line),
    };
    LogLine {
        err,
        time: time.to_string(),
        text: crate::format::cut(text, MAX_LINE),
        source: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::LineSplitter;

    #[test]
    fn lines_split_across_pieces_and_characters_are_joined() {
        let mut s = LineSplitter::default();
        let text = "2026-11-28T14:00:00Z héllo\r\n2026-11-28T14:00:01Z wörld\nrest";
        let mut lines = Vec::new();
        for piece in text.as_bytes().chunks(3) {
            lines.extend(s.feed(false, piece));
        }
        lines.extend(s.finish());
        let texts: Vec<_> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["héllo", "wörld", "rest"]);
        // A line that never ends is passed on, cut, instead of growing.
        let mut s = LineSplitter::default();
        let out = s.feed(true, &vec![b'x'; super::MAX_LINE + 1]);
        assert_eq!(out.len(), 1);
        assert!(out[0].err && out[0].text.ends_with("bytes cut]"));
    }

    #[test]
    fn timestamps_are_split_off() {
        let l = super::parse_line(true, "2026-11-28T14:00:00.1Z hello world");
        assert_eq!(
            (l.time.as_str(), l.text.as_str(), l.err),
            ("2026-11-28T14:00:00.1Z", "hello world", true)
        );
        let l = super::parse_line(false, "no stamp");
        assert_eq!((l.time.as_str(), l.text.as_str()), ("", "no stamp"));
        // Container text that only looks like a time stays text (it is escaped; times are not).
        let l = super::parse_line(false, "\x1b]0;pwnT\x07Z rest");
        assert_eq!(
            (l.time.as_str(), l.text.as_str()),
            ("", "\x1b]0;pwnT\x07Z rest")
        );
        let long = format!("2026-11-28T14:00:00.1Z {}", "x".repeat(60_000));
        let l = super::parse_line(false, &long);
        assert!(l.text.len() < super::MAX_LINE + 40, "{}", l.text.len());
        assert!(
            l.text
                .ends_with(&format!("[{} bytes cut]", 60_000 - super::MAX_LINE))
        );
    }
}
