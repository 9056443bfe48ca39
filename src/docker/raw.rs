//! Answers read here rather than by bollard, each within a cap. bollard reads a whole answer
//! into memory whatever its size, buffers a whole logs frame (its header may declare 4 GiB),
//! rescans a growing events buffer for every chunk (an event that never ends costs a core),
//! and decodes a listing all or nothing (one container in a state it does not know, and the
//! host is down). So the request goes through bollard's transport (endpoint, TLS, ssh, API
//! version) as a plain body, and the body is read here: [`json`] for an answer,
//! [`json_lines`] for the events stream, `logs` for the logs framing.

use bollard::Docker;
use bytes::Bytes;
use futures::{Stream, StreamExt};
use serde::de::DeserializeOwned;

/// What an over-long or malformed body is reported as: an I/O error in bollard's type, so a
/// listing's failure is a lost connection as any other, its message naming what was over.
pub fn too_long(what: &str, max: usize) -> bollard::errors::Error {
    let size = match max {
        m if m >= 1 << 20 => format!("{} MiB", m >> 20),
        m => format!("{} KiB", m >> 10),
    };
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        format!("{what} is over {size} (a broken or hostile daemon): dropped"),
    )
    .into()
}

/// Whether `e` is [`too_long`]'s.
pub fn is_too_long(e: &bollard::errors::Error) -> bool {
    matches!(e, bollard::errors::Error::IOError { err } if err.kind() == std::io::ErrorKind::FileTooLarge)
}

/// Every byte but the unreserved ones as %XX (a query value, a path segment).
pub fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The body of `GET path_and_query` (`/containers/json?all=true`, API version added), as it
/// comes.
pub fn get(
    docker: &Docker,
    path_and_query: &str,
) -> impl Stream<Item = Result<Bytes, bollard::errors::Error>> + Unpin + use<> {
    request(docker, hyper::Method::GET, path_and_query, Vec::new())
}

/// The body of `method path_and_query` with these extra headers and no body of its own (a
/// push, whose progress lines bollard's model reads without their layer ids), as it comes.
pub fn request(
    docker: &Docker,
    method: hyper::Method,
    path_and_query: &str,
    headers: Vec<(&'static str, String)>,
) -> impl Stream<Item = Result<Bytes, bollard::errors::Error>> + Unpin + use<> {
    // A request bollard builds, sent to another path: its export of a container that cannot
    // exist (the name is not a valid one) has no query and a body read as it comes.
    const STAND_IN: &str = "dockpit-raw-request";
    let path = path_and_query.to_string();
    let docker = docker.clone().with_request_modifier(move |mut request| {
        let stand_in = format!("/containers/{STAND_IN}/export");
        let uri = request.uri().to_string().replacen(&stand_in, &path, 1);
        if let Ok(uri) = uri.parse() {
            *request.uri_mut() = uri;
        }
        *request.method_mut() = method.clone();
        for (name, value) in &headers {
            if let Ok(value) = hyper::header::HeaderValue::from_str(value) {
                request.headers_mut().insert(*name, value);
            }
        }
        request
    });
    Box::pin(docker.export_container(STAND_IN))
}

/// The JSON answer to `GET path_and_query`, at most `max` bytes (`what` names it in the
/// error).
pub async fn json<T: DeserializeOwned>(
    docker: &Docker,
    path_and_query: &str,
    max: usize,
    what: &str,
) -> Result<T, bollard::errors::Error> {
    let mut body = Vec::new();
    let mut stream = get(docker, path_and_query);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > max {
            return Err(too_long(what, max));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(serde_json::from_slice(&body)?)
}

/// Each element of the JSON array `GET path_and_query` answers, parsed and handed to `each`
/// as its bytes come, at most `max` bytes in all (`what` names it in the error): a listing
/// of thousands is never held whole, neither its bytes nor its models, only what `each`
/// keeps of them. An element that is not a `T` fails the whole answer, as a whole answer
/// that is not a `Vec<T>` would.
pub async fn json_array<T: DeserializeOwned>(
    docker: &Docker,
    path_and_query: &str,
    max: usize,
    what: &str,
    mut each: impl FnMut(T),
) -> Result<(), bollard::errors::Error> {
    let mut array = JsonArray::default();
    let mut read = 0;
    let mut failed = None;
    let mut stream = get(docker, path_and_query);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        read += chunk.len();
        if read > max {
            return Err(too_long(what, max));
        }
        let fed = array.feed(&chunk, |element| {
            if failed.is_none() {
                match serde_json::from_slice(element) {
                    Ok(item) => each(item),
                    Err(e) => failed = Some(e),
                }
            }
        });
        if let Some(e) = failed {
            return Err(e.into());
        }
        fed.map_err(|at| malformed(what, at))?;
    }
    match array.place {
        Place::Closed => Ok(()),
        _ => Err(malformed(what, read)),
    }
}

/// An answer that is not a JSON array (cut short, or another document), as serde_json would
/// report it for a whole answer.
fn malformed(what: &str, at: usize) -> bollard::errors::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("{what} is not a JSON array (at byte {at})"),
    )
    .into()
}

/// Where a [`JsonArray`] is in the answer.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Before its `[`.
    #[default]
    Before,
    /// Inside: between elements, or in one (its bytes so far in `element`).
    Open,
    /// After its `]`: only whitespace may follow.
    Closed,
}

/// Cuts a JSON array, however its bytes come, into its elements' bytes, each byte looked at
/// once. Only the nesting and the strings are followed (an element's own syntax is its
/// parser's to check), so an element is found without parsing it twice.
#[derive(Debug, Default)]
pub struct JsonArray {
    place: Place,
    /// The bytes of the element in progress that came in earlier pieces.
    element: Vec<u8>,
    /// Whether an element is in progress.
    inside: bool,
    depth: usize,
    string: bool,
    escaped: bool,
    /// Bytes fed before this piece, for the position of an error.
    offset: usize,
}

impl JsonArray {
    /// Hands `each` the elements `bytes` completes; `Err(position)` where the answer stops
    /// being an array.
    pub fn feed(&mut self, bytes: &[u8], mut each: impl FnMut(&[u8])) -> Result<(), usize> {
        // Where the element in progress starts in `bytes` (0 when it began in an earlier piece).
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if self.inside {
                let end = match self.step(b) {
                    Step::On => continue,
                    Step::EndsWith => i + 1,
                    Step::EndsBefore => i,
                };
                self.inside = false;
                self.emit(&bytes[start..end], &mut each);
                // A number, `true`, `false` or `null` ends at what follows it.
                if end == i && b == b']' {
                    self.place = Place::Closed;
                }
                continue;
            }
            match (self.place, b) {
                (_, b' ' | b'\n' | b'\r' | b'\t') => {}
                (Place::Before, b'[') => self.place = Place::Open,
                (Place::Open, b',') => {}
                (Place::Open, b']') => self.place = Place::Closed,
                (Place::Open, _) => {
                    self.inside = true;
                    start = i;
                    if self.step(b) != Step::On {
                        return Err(self.offset + i);
                    }
                }
                _ => return Err(self.offset + i),
            }
        }
        if self.inside {
            self.element.extend_from_slice(&bytes[start..]);
        }
        self.offset += bytes.len();
        Ok(())
    }

    /// One byte of an element: whether it ends there.
    fn step(&mut self, b: u8) -> Step {
        if self.string {
            match (self.escaped, b) {
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.string = false,
                _ => {}
            }
            return Step::On;
        }
        match b {
            b'"' => self.string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' if self.depth > 0 => {
                self.depth -= 1;
                if self.depth == 0 {
                    return Step::EndsWith;
                }
            }
            b',' | b']' if self.depth == 0 => return Step::EndsBefore,
            _ => {}
        }
        Step::On
    }

    /// Hands `each` the element that ends with `tail` (whole when nothing came before).
    fn emit(&mut self, tail: &[u8], each: &mut impl FnMut(&[u8])) {
        if self.element.is_empty() {
            each(tail);
        } else {
            self.element.extend_from_slice(tail);
            each(&self.element);
            self.element.clear();
        }
    }
}

/// What one byte does to the element in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    On,
    /// It is the element's last byte (`}`, `]`).
    EndsWith,
    /// The element ended before it (a `,` or `]` after a number or a literal).
    EndsBefore,
}

/// A piece of a stream over its cap: the stream is to be dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverCap;

/// Cuts a stream of JSON documents, one a line (`/events`), into documents of at most `max`
/// bytes; each byte is looked at once however slowly a document comes.
#[derive(Debug)]
pub struct JsonLines {
    buffer: Vec<u8>,
    /// How much of `buffer` is known to hold no newline.
    scanned: usize,
    max: usize,
}

impl JsonLines {
    pub fn new(max: usize) -> Self {
        Self {
            buffer: Vec::new(),
            scanned: 0,
            max,
        }
    }

    /// The whole lines `bytes` completes (blank ones skipped), or `Err` once a line is over
    /// the cap: the stream is then to be dropped.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Vec<u8>>, OverCap> {
        self.buffer.extend_from_slice(bytes);
        let mut lines = Vec::new();
        let mut start = 0;
        while let Some(end) = self.buffer[self.scanned..]
            .iter()
            .position(|b| *b == b'\n')
            .map(|i| self.scanned + i)
        {
            let line = &self.buffer[start..end];
            if line.len() > self.max {
                return Err(OverCap);
            }
            if !line.iter().all(u8::is_ascii_whitespace) {
                lines.push(line.to_vec());
            }
            start = end + 1;
            self.scanned = start;
        }
        self.buffer.drain(..start);
        self.scanned = self.buffer.len();
        if self.buffer.len() > self.max {
            return Err(OverCap);
        }
        Ok(lines)
    }
}

/// Each JSON document of a stream of them, one a line, each at most `max` bytes: past the cap,
/// an error and the end of the stream. A document that is not a `T` (a newer engine's) is
/// skipped, not the end of the stream.
pub fn json_lines<T: DeserializeOwned>(
    body: impl Stream<Item = Result<Bytes, bollard::errors::Error>> + Unpin,
    max: usize,
    what: &'static str,
) -> impl Stream<Item = Result<T, bollard::errors::Error>> {
    let state = (
        body,
        JsonLines::new(max),
        std::collections::VecDeque::<Vec<u8>>::new(),
        false,
    );
    futures::stream::unfold(
        state,
        move |(mut body, mut lines, mut ready, ended)| async move {
            loop {
                if let Some(line) = ready.pop_front() {
                    let item = serde_json::from_slice::<T>(&line).map_err(Into::into);
                    let ended = ended || item.is_err();
                    return Some((item, (body, lines, ready, ended)));
                }
                if ended {
                    return None;
                }
                match body.next().await {
                    Some(Ok(chunk)) => match lines.feed(&chunk) {
                        Ok(found) => ready.extend(found),
                        Err(OverCap) => {
                            return Some((Err(too_long(what, max)), (body, lines, ready, true)));
                        }
                    },
                    Some(Err(e)) => return Some((Err(e), (body, lines, ready, true))),
                    None => return None,
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_come_whole_however_the_bytes_are_cut() {
        let mut lines = JsonLines::new(64);
        assert_eq!(
            lines.feed(b"{\"a\":").unwrap_or_default(),
            Vec::<Vec<u8>>::new()
        );
        assert_eq!(
            lines.feed(b"1}\n\n{\"b\":2}\n{").unwrap_or_default(),
            vec![b"{\"a\":1}".to_vec(), b"{\"b\":2}".to_vec()]
        );
        assert_eq!(lines.feed(b"}\n").unwrap_or_default(), vec![b"{}".to_vec()]);
    }

    /// The elements found when `body` comes cut at `cut`, or where it stopped being an array.
    fn elements(body: &[u8], cut: usize) -> Result<(Vec<String>, Place), usize> {
        let mut array = JsonArray::default();
        let mut found = Vec::new();
        for piece in body.chunks(cut.max(1)) {
            array.feed(piece, |e| {
                found.push(String::from_utf8_lossy(e).into_owned())
            })?;
        }
        Ok((found, array.place))
    }

    #[test]
    fn an_array_comes_apart_into_its_elements_however_its_bytes_are_cut() {
        let body = br#" [ {"a":"x]},\"{"} , {"b":[1,{"c":[]}]},7, "s,]" ,true,[[]],{}]
"#;
        let expected = [
            r#"{"a":"x]},\"{"}"#,
            r#"{"b":[1,{"c":[]}]}"#,
            "7",
            // A scalar ends at what follows it: the whitespace before is its parser's.
            r#""s,]" "#,
            "true",
            "[[]]",
            "{}",
        ];
        for cut in 1..=body.len() {
            let (found, place) = elements(body, cut).unwrap_or_else(|at| panic!("{cut}: {at}"));
            assert_eq!(found, expected, "cut every {cut} bytes");
            assert_eq!(place, Place::Closed);
        }
        assert_eq!(elements(b"[]", 1), Ok((vec![], Place::Closed)));
        assert_eq!(
            elements(b"[1", 1),
            Ok((vec![], Place::Open)),
            "not closed yet"
        );
    }

    #[test]
    fn an_answer_that_is_not_an_array_stops_where_it_goes_wrong() {
        assert_eq!(elements(br#"{"message":"no"}"#, 4), Err(0));
        assert_eq!(elements(b"[{}] x", 2), Err(5));
        assert_eq!(elements(b"[1]]", 1), Err(3));
    }

    #[test]
    fn a_line_that_never_ends_is_refused_at_the_cap_and_scanned_once() {
        let mut lines = JsonLines::new(1024);
        let mut fed = 0;
        let refused = loop {
            match lines.feed(b"{\"x\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") {
                Ok(found) => assert!(found.is_empty()),
                Err(OverCap) => break fed,
            }
            fed += 50;
            assert!(fed < 10_000, "never refused");
        };
        assert!(refused <= 1024, "refused after {refused} bytes");
        assert_eq!(lines.scanned, lines.buffer.len());
    }
}
