//! Image references, validated by the grammar of distribution/reference (what the daemon
//! itself accepts), so a typo is explained here and never reaches the daemon.
//!
//! `[domain[:port]/]path[:tag][@algorithm:hex]`

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Registry host (and port); `None` means Docker Hub.
    pub domain: Option<String>,
    /// Repository path, e.g. `library/busybox` or `team/app`.
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("type an image reference, e.g. busybox:latest")]
    Empty,
    #[error("the repository name must be lowercase: {0:?}")]
    Uppercase(String),
    #[error(
        "{0:?} is not a valid repository path component (lowercase letters, digits, separated by '.', '_', '__' or '-')"
    )]
    PathComponent(String),
    #[error("{0:?} is not a valid registry host")]
    Domain(String),
    #[error(
        "invalid tag {0:?}: letters, digits, '_', '.', '-', not starting with '.' or '-', at most 128 characters"
    )]
    Tag(String),
    #[error("invalid digest {0:?}: {1}")]
    Digest(String, &'static str),
    #[error("the repository name is longer than 255 characters")]
    TooLong,
}

impl Reference {
    /// The repository as the daemon wants it (`domain/path`), without tag or digest.
    pub fn name(&self) -> String {
        match &self.domain {
            Some(domain) => format!("{domain}/{}", self.path),
            None => self.path.clone(),
        }
    }

    /// What `docker pull` uses when no tag or digest is given.
    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or("latest")
    }

    /// The reference with the implicit `latest` tag made explicit (unless pinned by digest).
    pub fn normalized(&self) -> String {
        match (&self.tag, &self.digest) {
            (_, Some(digest)) => format!("{}@{digest}", self.name()),
            (tag, None) => format!("{}:{}", self.name(), tag.as_deref().unwrap_or("latest")),
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name())?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

pub fn parse(text: &str) -> Result<Reference, ReferenceError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ReferenceError::Empty);
    }
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => (rest, Some(parse_digest(digest)?)),
        None => (text, None),
    };
    // A tag is after the last ':' that follows the last '/', so "host:5000/x" has no tag.
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        validate_tag(tag)?;
    }
    if name.is_empty() {
        return Err(ReferenceError::Empty);
    }
    if name.len() > 255 {
        return Err(ReferenceError::TooLong);
    }
    let (domain, path) = split_domain(name);
    if let Some(domain) = domain {
        validate_domain(domain)?;
    }
    for component in path.split('/') {
        validate_component(component)?;
    }
    Ok(Reference {
        domain: domain.map(String::from),
        path: path.to_string(),
        tag: tag.map(String::from),
        digest,
    })
}

/// The first component is a registry when it looks like a host: it has a '.' or a ':' or
/// is `localhost` (the docker CLI's rule).
fn split_domain(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    }
}

fn validate_domain(domain: &str) -> Result<(), ReferenceError> {
    let bad = || ReferenceError::Domain(domain.to_string());
    let (host, port) = if let Some(v6) = domain.strip_prefix('[') {
        let (addr, after) = v6.split_once(']').ok_or_else(bad)?;
        if addr.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(bad());
        }
        (None, after.strip_prefix(':'))
    } else {
        match domain.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(domain), None),
        }
    };
    if let Some(port) = port
        && (port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    if let Some(host) = host {
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if !host.split('.').all(label_ok) {
            return Err(bad());
        }
    }
    Ok(())
}

/// `[a-z0-9]+` joined by `.`, `_`, `__` or runs of `-`.
fn validate_component(component: &str) -> Result<(), ReferenceError> {
    if component.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(ReferenceError::Uppercase(component.to_string()));
    }
    let bad = || ReferenceError::PathComponent(component.to_string());
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return Err(bad());
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &component[start..i];
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|b| b == b'-');
        if !ok {
            return Err(bad());
        }
    }
    Ok(())
}

fn validate_tag(tag: &str) -> Result<(), ReferenceError> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let ok = !tag.is_empty()
        && tag.len() <= 128
        && word(tag.as_bytes()[0])
        && tag.bytes().all(|b| word(b) || b == b'.' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(ReferenceError::Tag(tag.to_string()))
    }
}

/// Whether `text` is a well-formed digest (`sha256:` + 64 lowercase hex, or another
/// registered algorithm), as registries must send them.
pub fn is_digest(text: &str) -> bool {
    parse_digest(text).is_ok()
}

fn parse_digest(digest: &str) -> Result<String, ReferenceError> {
    let bad = |why| ReferenceError::Digest(digest.to_string(), why);
    let (algorithm, hex) = digest
        .split_once(':')
        .ok_or_else(|| bad("expected algorithm:hex, e.g. sha256:…"))?;
    let algo_ok = !algorithm.is_empty()
        && algorithm.split(['+', '.', '_', '-']).all(|c| {
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if !algo_ok {
        return Err(bad("the algorithm must be lowercase letters and digits"));
    }
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad("the encoded part must be hexadecimal"));
    }
    match algorithm {
        "sha256" if hex.len() != 64 => Err(bad("sha256 needs exactly 64 hex digits")),
        "sha384" if hex.len() != 96 => Err(bad("sha384 needs exactly 96 hex digits")),
        "sha512" if hex.len() != 128 => Err(bad("sha512 needs exactly 128 hex digits")),
        "sha256" | "sha384" | "sha512" if hex.bytes().any(|b| b.is_ascii_uppercase()) => {
            Err(bad("the hex digits must be lowercase"))
        }
        _ if hex.len() < 32 => Err(bad("at least 32 hex digits")),
        _ => Ok(digest.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:1412f0a0e5ad9a5cff1a2d2d9f3b1b0b0c5ad9a5cff1a2d2d9f3b1b0b0153e1f";

    #[test]
    fn valid_references() {
        let cases: &[(&str, Option<&str>, &str, Option<&str>)] = &[
            ("busybox", None, "busybox", None),
            ("mysql:latest", None, "mysql", Some("latest")),
            (
                "library/ubuntu:22.04",
                None,
                "library/ubuntu",
                Some("22.04"),
            ),
            (
                "127.0.0.1:5000/busybox:1",
                Some("127.0.0.1:5000"),
                "busybox",
                Some("1"),
            ),
            ("localhost/a/b", Some("localhost"), "a/b", None),
            (
                "localhost:5000/x__y.z-w",
                Some("localhost:5000"),
                "x__y.z-w",
                None,
            ),
            (
                "ghcr.io/o/a---b:v1.2_3-rc",
                Some("ghcr.io"),
                "o/a---b",
                Some("v1.2_3-rc"),
            ),
            ("[::1]:5000/img:t", Some("[::1]:5000"), "img", Some("t")),
        ];
        for (text, domain, path, tag) in cases {
            let r = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(r.domain.as_deref(), *domain, "{text}");
            assert_eq!(r.path, *path, "{text}");
            assert_eq!(r.tag.as_deref(), *tag, "{text}");
            assert_eq!(r.to_string(), *text);
        }
        let r = parse(&format!("ubuntu@{D}")).expect("digest");
        assert_eq!(r.digest.as_deref(), Some(D));
        assert_eq!(r.normalized(), format!("ubuntu@{D}"));
        assert_eq!(parse("busybox").expect("ok").normalized(), "busybox:latest");
    }

    #[test]
    fn invalid_references_say_what_is_wrong() {
        let cases = [
            ("", "type an image reference"),
            ("Busybox", "must be lowercase: \"Busybox\""),
            (
                "busy..box",
                "\"busy..box\" is not a valid repository path component",
            ),
            ("busybox-", "not a valid repository path component"),
            ("a/_b", "not a valid repository path component"),
            ("a//b", "\"\" is not a valid repository path component"),
            ("busybox:", "invalid tag \"\""),
            ("busybox:.x", "invalid tag \".x\""),
            ("busybox:a/b", "\"busybox:a\" is not a valid registry host"),
            ("host:x/busybox", "\"host:x\" is not a valid registry host"),
            (
                "bad_host.io/busybox",
                "\"bad_host.io\" is not a valid registry host",
            ),
            ("busybox@sha256:abc", "sha256 needs exactly 64 hex digits"),
            ("busybox@md5", "expected algorithm:hex"),
            ("busybox@SHA256:00", "algorithm must be lowercase"),
            ("busybox@sha256:zz", "must be hexadecimal"),
        ];
        for (text, want) in cases {
            let err = parse(text).expect_err(text).to_string();
            assert!(err.contains(want), "{text:?}: {err}");
        }
        let long_tag = format!("busybox:{}", "a".repeat(129));
        assert!(matches!(parse(&long_tag), Err(ReferenceError::Tag(_))));
        let long_name = "a".repeat(256);
        assert_eq!(parse(&long_name), Err(ReferenceError::TooLong));
    }

    #[test]
    fn never_panics_on_arbitrary_input() {
        // A deterministic sweep of awkward inputs: no panic, and parsing is stable.
        let alphabet = [
            "a", "Z", "0", ":", "/", "@", ".", "_", "-", "[", "]", "é", "\u{0}", " ",
        ];
        for s in crate::test_inputs::awkward_strings(&alphabet, 42, 20_000, 12) {
            // Whatever parses must print back to something that parses the same.
            if let Ok(r) = parse(&s) {
                assert_eq!(parse(&r.to_string()), Ok(r), "{s:?}");
            }
        }
    }
}
