//! `docker container logs --follow --tail N --timestamps` (and a Swarm task's), streamed as
//! lines.

use bollard::Docker;
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use super::{DockerEvent, raw};

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

/// The largest frame accepted: the daemon frames each log message (the json-file driver cuts
/// them at 16 KiB); a header declaring more is a broken or hostile daemon (bollard buffered a
/// frame whole, 3 GiB if its header said so), and the stream is dropped.
pub const MAX_FRAME: usize = 1024 * 1024;

fn query(tail: usize) -> String {
    format!("follow=true&stdout=true&stderr=true&timestamps=true&tail={tail}")
}

/// Which container's logs, from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    pub container: super::ContainerId,
    /// The last lines to start with (all of them after `since`).
    pub tail: usize,
    /// Unix seconds with nanoseconds (`1733387400.000000001`).
    pub since: Option<String>,
    /// Up to this instant, as `since`: the lines of a past moment, read once, not followed.
    pub until: Option<String>,
}

impl Follow {
    /// Its last `tail` lines, then what it writes.
    pub fn tail(container: super::ContainerId, tail: usize) -> Self {
        Self {
            container,
            tail,
            since: None,
            until: None,
        }
    }
}

/// Follows a container's logs until the container's output ends or the task is aborted.
pub async fn follow(
    docker: Docker,
    id: LogStreamId,
    follow: Follow,
    events: UnboundedSender<DockerEvent>,
) {
    let mut query = query(follow.tail);
    if let Some(since) = &follow.since {
        query = format!(
            "follow=true&stdout=true&stderr=true&timestamps=true&since={}",
            super::raw::percent_encoded(since)
        );
    }
    if let Some(until) = &follow.until {
        query = query.replacen("follow=true", "follow=false", 1)
            + "&until="
            + &super::raw::percent_encoded(until);
    }
    let path = format!(
        "/containers/{}/logs?{query}",
        super::raw::percent_encoded(follow.container.as_str()),
    );
    lines(
        raw::get(&docker, &path),
        id,
        "the container's output ended",
        events,
    )
    .await
}

/// Follows a Swarm task's logs through a manager, wherever the task runs.
pub async fn follow_task(
    docker: Docker,
    id: LogStreamId,
    task: String,
    tail: usize,
    events: UnboundedSender<DockerEvent>,
) {
    let path = format!(
        "/tasks/{}/logs?{}",
        super::raw::percent_encoded(&task),
        query(tail)
    );
    lines(
        raw::get(&docker, &path),
        id,
        "the task's output ended",
        events,
    )
    .await
}

/// A log stream's output, as lines, until it ends (saying why).
async fn lines(
    stream: impl futures::Stream<Item = Result<bytes::Bytes, bollard::errors::Error>>,
    id: LogStreamId,
    ended: &str,
    events: UnboundedSender<DockerEvent>,
) {
    futures::pin_mut!(stream);
    let mut frames = Frames::default();
    let mut lines = LineSplitter::default();
    let reason = loop {
        match stream.next().await {
            Some(Ok(chunk)) => {
                let mut found = Vec::new();
                let fed = frames.feed(&chunk, |err, bytes| found.extend(lines.feed(err, bytes)));
                if !found.is_empty()
                    && events
                        .send(DockerEvent::LogLines { id, lines: found })
                        .is_err()
                {
                    return;
                }
                if fed.is_err() {
                    break raw::too_long("a frame of the logs", MAX_FRAME).to_string();
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

/// The logs framing (Docker's stdcopy): each frame an 8-byte header (the stream: 1 stdout, 2
/// stderr; three zeros; the length, big-endian) and its bytes. A tty container's logs come
/// unframed: a header that is not one says so, and the rest passes as it is. A frame's bytes
/// are passed on as they come, never gathered: memory does not follow what a header says.
#[derive(Debug, Default)]
pub struct Frames {
    header: Vec<u8>,
    /// Of the frame being read: from stderr, and the bytes still to come.
    frame: Option<(bool, usize)>,
    unframed: bool,
}

impl Frames {
    /// Passes each piece of output in `bytes` to `out` (from stderr, bytes); `Err` at a frame
    /// over [`MAX_FRAME`], after which the stream is to be dropped.
    pub fn feed(
        &mut self,
        mut bytes: &[u8],
        mut out: impl FnMut(bool, &[u8]),
    ) -> Result<(), raw::OverCap> {
        while !bytes.is_empty() {
            if self.unframed {
                out(false, bytes);
                return Ok(());
            }
            match &mut self.frame {
                Some((err, left)) => {
                    let n = (*left).min(bytes.len());
                    out(*err, &bytes[..n]);
                    *left -= n;
                    if *left == 0 {
                        self.frame = None;
                    }
                    bytes = &bytes[n..];
                }
                None => {
                    let n = (8 - self.header.len()).min(bytes.len());
                    self.header.extend_from_slice(&bytes[..n]);
                    bytes = &bytes[n..];
                    if self.header.len() < 8 {
                        continue;
                    }
                    let header = std::mem::take(&mut self.header);
                    if header[0] > 2 || header[1..4] != [0, 0, 0] {
                        self.unframed = true;
                        out(false, &header);
                        continue;
                    }
                    let len = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
                    let len = usize::try_from(len).unwrap_or(usize::MAX);
                    if len > MAX_FRAME {
                        return Err(raw::OverCap);
                    }
                    if len > 0 {
                        self.frame = Some((header[0] == 2, len));
                    }
                }
            }
        }
        Ok(())
    }
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
    use super::{Frames, LineSplitter};

    fn frame(stream: u8, text: &str) -> Vec<u8> {
        let mut bytes = vec![stream, 0, 0, 0];
        bytes.extend_from_slice(&u32::try_from(text.len()).unwrap_or(0).to_be_bytes());
        bytes.extend_from_slice(text.as_bytes());
        bytes
    }

    #[test]
    fn frames_pass_their_bytes_as_they_come_and_a_huge_one_is_refused() {
        let mut stream = frame(1, "out\n");
        stream.extend(frame(2, "err\n"));
        stream.extend(frame(1, ""));
        let mut frames = Frames::default();
        let mut got = Vec::new();
        for piece in stream.chunks(3) {
            let fed = frames.feed(piece, |err, bytes| got.push((err, bytes.to_vec())));
            assert!(fed.is_ok());
        }
        let text = |want: bool| -> Vec<u8> {
            got.iter()
                .filter(|(err, _)| *err == want)
                .flat_map(|(_, b)| b.clone())
                .collect()
        };
        assert_eq!(
            (text(false), text(true)),
            (b"out\n".to_vec(), b"err\n".to_vec())
        );
        // A header declaring 3 GiB: refused at once, nothing buffered.
        let mut frames = Frames::default();
        let huge = [1, 0, 0, 0, 0xC0, 0, 0, 0];
        assert!(frames.feed(&huge, |_, _| {}).is_err());
        // A tty container's logs are not framed: passed as they are.
        let mut frames = Frames::default();
        let mut got = Vec::new();
        let fed = frames.feed(b"2026-11-28T14:00:00Z hi\n", |_, b| {
            got.extend_from_slice(b)
        });
        assert!(fed.is_ok());
        assert_eq!(got, b"2026-11-28T14:00:00Z hi\n");
    }

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
