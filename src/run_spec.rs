//! What the run form describes (`docker container run …`), its field parsers, and the
//! equivalent CLI line. Pure: validated here, executed by the Docker task.

use crate::reference::{self, Reference};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortMapping {
    pub host_ip: Option<String>,
    pub host_port: Option<u16>,
    pub container_port: u16,
    pub protocol: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeMount {
    /// A host path (absolute) or a named volume.
    pub source: String,
    pub target: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RestartPolicy {
    #[default]
    No,
    Always,
    UnlessStopped,
    OnFailure(u32),
}

impl RestartPolicy {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match text {
            "" | "no" => Ok(Self::No),
            "always" => Ok(Self::Always),
            "unless-stopped" => Ok(Self::UnlessStopped),
            "on-failure" => Ok(Self::OnFailure(0)),
            _ => match text.strip_prefix("on-failure:") {
                Some(n) => n
                    .parse()
                    .map(Self::OnFailure)
                    .map_err(|_| format!("{n:?} is not a retry count")),
                None => Err(format!(
                    "unknown restart policy {text:?}: use no, always, unless-stopped or on-failure[:N]"
                )),
            },
        }
    }

    pub fn as_cli(&self) -> String {
        match self {
            Self::No => "no".into(),
            Self::Always => "always".into(),
            Self::UnlessStopped => "unless-stopped".into(),
            Self::OnFailure(0) => "on-failure".into(),
            Self::OnFailure(n) => format!("on-failure:{n}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSpec {
    pub image: Reference,
    pub name: Option<String>,
    /// Empty: the image's own command.
    pub command: Vec<String>,
    pub tty: bool,
    pub auto_remove: bool,
    pub env: Vec<String>,
    /// `KEY=VALUE` labels (`--label`).
    pub labels: Vec<(String, String)>,
    pub ports: Vec<PortMapping>,
    pub volumes: Vec<VolumeMount>,
    pub restart: RestartPolicy,
    /// `--network`: the network to join instead of the default bridge.
    pub network: Option<String>,
    /// `--entrypoint`; `None`: the image's.
    pub entrypoint: Option<Vec<String>>,
    pub user: Option<String>,
    pub workdir: Option<String>,
    /// Bytes.
    pub memory: Option<i64>,
    /// Billionths of a CPU (`--cpus 0.5` is 500,000,000).
    pub nano_cpus: Option<i64>,
}

/// `[IP:]HOST:CONTAINER[/tcp|udp|sctp]` or `CONTAINER[/proto]` (publish to a random port).
pub fn parse_port(text: &str) -> Result<PortMapping, String> {
    let text = text.trim();
    let (spec, protocol) = match text.rsplit_once('/') {
        Some((spec, "tcp")) => (spec, "tcp"),
        Some((spec, "udp")) => (spec, "udp"),
        Some((spec, "sctp")) => (spec, "sctp"),
        Some((_, p)) => {
            return Err(format!(
                "unknown protocol {p:?} in {text:?}: use tcp, udp or sctp"
            ));
        }
        None => (text, "tcp"),
    };
    let port = |p: &str| -> Result<u16, String> {
        match p.parse::<u16>() {
            Ok(0) | Err(_) => Err(format!("{p:?} is not a port (1-65535) in {text:?}")),
            Ok(n) => Ok(n),
        }
    };
    // An IPv6 host address is written in brackets: [::1]:8080:80.
    let (host_ip, rest) = match spec.strip_prefix('[') {
        Some(v6) => {
            let (ip, rest) = v6
                .split_once("]:")
                .ok_or_else(|| format!("{text:?}: expected [IPv6]:HOST:CONTAINER"))?;
            (Some(ip.to_string()), rest)
        }
        None => match spec.matches(':').count() {
            2 => {
                let (ip, rest) = spec.split_once(':').unwrap_or_default();
                (Some(ip.to_string()), rest)
            }
            0 | 1 => (None, spec),
            _ => return Err(format!("{text:?}: expected [IP:]HOST:CONTAINER[/proto]")),
        },
    };
    if let Some(ip) = &host_ip
        && ip.parse::<std::net::IpAddr>().is_err()
    {
        return Err(format!("{ip:?} is not an IP address in {text:?}"));
    }
    let (host_port, container_port) = match rest.split_once(':') {
        Some(("", c)) => (None, port(c)?),
        Some((h, c)) => (Some(port(h)?), port(c)?),
        None => (None, port(rest)?),
    };
    Ok(PortMapping {
        host_ip,
        host_port,
        container_port,
        protocol,
    })
}

/// `KEY=VALUE`; the key may not be empty or hold '=' or spaces.
pub fn parse_env(text: &str) -> Result<String, String> {
    let (key, _) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: expected KEY=VALUE"))?;
    if key.is_empty() || key.chars().any(char::is_whitespace) {
        return Err(format!("{key:?} is not a variable name in {text:?}"));
    }
    Ok(text.to_string())
}

/// `HOST:CONTAINER[:ro|rw]`; HOST is an absolute path or a volume name.
pub fn parse_volume(text: &str) -> Result<VolumeMount, String> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    let (source, target, mode) = match parts.as_slice() {
        [s, t] => (*s, *t, None),
        [s, t, m] => (*s, *t, Some(*m)),
        _ => return Err(format!("{text:?}: expected HOST:CONTAINER[:ro]")),
    };
    let read_only = match mode {
        None | Some("rw") => false,
        Some("ro") => true,
        Some(m) => return Err(format!("unknown mode {m:?} in {text:?}: use ro or rw")),
    };
    if !target.starts_with('/') {
        return Err(format!("the container path {target:?} must be absolute"));
    }
    let named = source
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_alphanumeric() || (i > 0 && "_.-".contains(c)));
    if !(source.starts_with('/') || (!source.is_empty() && named)) {
        return Err(format!(
            "{source:?} is neither an absolute host path nor a volume name"
        ));
    }
    Ok(VolumeMount {
        source: source.to_string(),
        target: target.to_string(),
        read_only,
    })
}

/// Splits a command line as a POSIX shell would, respecting quotes and backslashes.
pub fn split_command(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("unclosed ' quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("unclosed \" quote".into()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("unclosed \" quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err("a trailing backslash escapes nothing".into()),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// Words as one command line the shell splits back into them.
pub fn join_command(words: &[String]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| shell_quote(w)).collect();
    quoted.join(" ")
}

/// Quotes a word for the shell only when it needs it.
/// `KEY=VALUE` as the log file shows it: `KEY=…` (values are often secrets). A bare `KEY`
/// (passed on from the environment) stays as it is.
pub fn redacted_env(e: &str) -> String {
    match e.split_once('=') {
        Some((key, _)) => format!("{key}=…"),
        None => e.to_string(),
    }
}

pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A container name as the daemon accepts it: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn validate_name(name: &str) -> Result<(), String> {
    validate_object_name(name, "container")
}

/// A container's, volume's or network's name: the daemon takes the same characters for each.
pub fn validate_object_name(name: &str, what: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if first_ok && rest_ok && name.len() >= 2 {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a valid {what} name: letters, digits, '_', '.', '-', starting with a letter or digit, at least 2 characters"
        ))
    }
}

/// A subnet as `ADDRESS/PREFIX` (IPv4 or IPv6).
pub fn validate_cidr(text: &str) -> Result<(), String> {
    let bad = || format!("{text:?} is not a subnet like 10.10.0.0/24");
    let (address, prefix) = text.split_once('/').ok_or_else(bad)?;
    let address: std::net::IpAddr = address.parse().map_err(|_| bad())?;
    let prefix: u8 = prefix.parse().map_err(|_| bad())?;
    let most = if address.is_ipv4() { 32 } else { 128 };
    if prefix > most {
        return Err(format!("{text:?}: the prefix is at most /{most}"));
    }
    Ok(())
}

/// A network's name (or `container:NAME`, `host`, `none`), as the daemon takes it.
fn validate_network(name: &str) -> Result<(), String> {
    let ok = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_.-:".contains(c))
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a network name: letters, digits, '_', '.', '-'"
        ))
    }
}

/// The raw text of each form field, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunFields {
    pub image: String,
    pub name: String,
    pub command: String,
    pub tty: bool,
    pub auto_remove: bool,
    /// One `KEY=VALUE` per line (or separated by commas in the one-line field).
    pub env: String,
    /// `KEY=VALUE`, separated by commas or lines.
    pub labels: String,
    pub ports: String,
    pub volumes: String,
    pub restart: String,
    pub network: String,
    pub entrypoint: String,
    pub user: String,
    pub workdir: String,
    pub memory: String,
    pub cpus: String,
}

/// The run form's fields, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunField {
    Image,
    Name,
    Command,
    Tty,
    AutoRemove,
    Env,
    Labels,
    Ports,
    Volumes,
    Restart,
    Network,
    Entrypoint,
    User,
    Workdir,
    Memory,
    Cpus,
}

/// A field's problem, for the inline message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: RunField,
    pub message: String,
}

/// `KEY=VALUE, …` (or one per line), as `--label` takes them (run, volume and network
/// create).
pub fn parse_labels(text: &str) -> Result<Vec<(String, String)>, String> {
    (pairs(text).into_iter())
        .map(|l| {
            parse_env(l)
                .map(|_| {
                    let (k, v) = l.split_once('=').unwrap_or((l, ""));
                    (k.to_string(), v.to_string())
                })
                .map_err(|m| m.replace("variable name", "label key"))
        })
        .collect()
}

/// The items of a field that takes several, separated by commas or lines.
pub fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// `KEY=VALUE` items, one a line or separated by commas; a comma starts a new item only
/// where `KEY=` follows it, so a value may hold commas (`NO_PROXY=a,b`, as inspect shows it).
pub fn pairs(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        for (at, _) in line.match_indices(',') {
            let rest = line[at + 1..].trim_start();
            let key = rest.split('=').next().unwrap_or_default();
            let starts_pair = rest.contains('=')
                && !key.is_empty()
                && !key.chars().any(|c| c.is_whitespace() || c == ',');
            if starts_pair {
                out.push(&line[start..at]);
                start = at + 1;
            }
        }
        out.push(&line[start..]);
    }
    out.into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

impl RunFields {
    pub fn parse(&self) -> Result<RunSpec, FieldError> {
        let err = |field, message: String| FieldError { field, message };
        let image =
            reference::parse(&self.image).map_err(|e| err(RunField::Image, e.to_string()))?;
        let name = match self.name.trim() {
            "" => None,
            n => {
                validate_name(n).map_err(|m| err(RunField::Name, m))?;
                Some(n.to_string())
            }
        };
        let command = split_command(&self.command).map_err(|m| err(RunField::Command, m))?;
        let env = (pairs(&self.env).into_iter())
            .map(parse_env)
            .collect::<Result<_, _>>()
            .map_err(|m| err(RunField::Env, m))?;
        let labels = parse_labels(&self.labels).map_err(|m| err(RunField::Labels, m))?;
        let ports = items(&self.ports)
            .map(parse_port)
            .collect::<Result<_, _>>()
            .map_err(|m| err(RunField::Ports, m))?;
        let volumes = items(&self.volumes)
            .map(parse_volume)
            .collect::<Result<_, _>>()
            .map_err(|m| err(RunField::Volumes, m))?;
        let restart = RestartPolicy::parse(&self.restart).map_err(|m| err(RunField::Restart, m))?;
        if self.auto_remove && restart != RestartPolicy::No {
            return Err(err(
                RunField::Restart,
                "--rm and a restart policy conflict: a removed container cannot restart".into(),
            ));
        }
        let network = match self.network.trim() {
            "" => None,
            n => {
                validate_network(n).map_err(|m| err(RunField::Network, m))?;
                Some(n.to_string())
            }
        };
        let more = self.parse_more()?;
        Ok(RunSpec {
            entrypoint: more.entrypoint,
            user: more.user,
            workdir: more.workdir,
            memory: more.memory,
            nano_cpus: more.nano_cpus,
            image,
            name,
            command,
            tty: self.tty,
            auto_remove: self.auto_remove,
            env,
            labels,
            ports,
            volumes,
            restart,
            network,
        })
    }
}

/// The fields after the network: entrypoint, user, workdir, limits.
struct More {
    entrypoint: Option<Vec<String>>,
    user: Option<String>,
    workdir: Option<String>,
    memory: Option<i64>,
    nano_cpus: Option<i64>,
}

impl RunFields {
    fn parse_more(&self) -> Result<More, FieldError> {
        let err = |field, message: String| FieldError { field, message };
        let optional = |field, text: &str, parse: fn(&str) -> Result<i64, String>| match text.trim()
        {
            "" => Ok(None),
            t => parse(t).map(Some).map_err(|m| err(field, m)),
        };
        let entrypoint =
            split_command(&self.entrypoint).map_err(|m| err(RunField::Entrypoint, m))?;
        let user = match self.user.trim() {
            "" => None,
            u if u.chars().any(char::is_whitespace) => {
                return Err(err(
                    RunField::User,
                    format!("{u:?} is not a user: NAME or UID, with :GROUP or :GID"),
                ));
            }
            u => Some(u.to_string()),
        };
        let workdir = match self.workdir.trim() {
            "" => None,
            w if w.starts_with('/') => Some(w.to_string()),
            w => {
                return Err(err(
                    RunField::Workdir,
                    format!("the working directory {w:?} must be absolute"),
                ));
            }
        };
        Ok(More {
            entrypoint: (!entrypoint.is_empty()).then_some(entrypoint),
            user,
            workdir,
            memory: optional(RunField::Memory, &self.memory, memory)?,
            nano_cpus: optional(RunField::Cpus, &self.cpus, cpus)?,
        })
    }
}

/// `256m`, `1g`, `1048576` → bytes, as `docker update --memory` reads them (at least 6 MiB,
/// the daemon's floor).
pub fn memory(text: &str) -> Result<i64, String> {
    let lower = text.to_ascii_lowercase();
    let trimmed = lower.strip_suffix('b').unwrap_or(&lower);
    let (number, shift) = match trimmed.chars().last() {
        Some('k') => (&trimmed[..trimmed.len() - 1], 10),
        Some('m') => (&trimmed[..trimmed.len() - 1], 20),
        Some('g') => (&trimmed[..trimmed.len() - 1], 30),
        _ => (trimmed, 0),
    };
    let bytes = number
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n > 0.0)
        .map(|n| (n * f64::from(1u32 << shift)) as i64)
        .ok_or_else(|| format!("{text:?} is not a size: 256m, 1g, …"))?;
    if bytes < 6 << 20 {
        return Err("the daemon's least memory limit is 6m".into());
    }
    Ok(bytes)
}

/// `0.5` → 500,000,000 nano-CPUs.
pub fn cpus(text: &str) -> Result<i64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n > 0.0 && *n <= 1024.0)
        .map(|n| (n * 1e9).round() as i64)
        .ok_or_else(|| format!("{text:?} is not a number of CPUs: 0.5, 2, …"))
}

/// Billionths of a CPU as `--cpus` takes them: 500000000 → `0.5`.
pub fn cpus_text(nano: i64) -> String {
    (nano as f64 / 1e9).to_string()
}

/// Bytes as the memory field writes them (`64m`, `1g`), read back by [`memory`].
pub fn memory_text(bytes: i64) -> String {
    match bytes {
        b if b > 0 && b % (1 << 30) == 0 => format!("{}g", b >> 30),
        b if b > 0 && b % (1 << 20) == 0 => format!("{}m", b >> 20),
        b if b > 0 && b % (1 << 10) == 0 => format!("{}k", b >> 10),
        b => b.to_string(),
    }
}

impl RunSpec {
    /// The `docker container run …` line that does the same.
    pub fn cli(&self) -> String {
        self.cli_line(false)
    }

    /// The same, with each `-e KEY=VALUE` shown as `-e KEY=…` (for the log file).
    pub fn cli_redacted(&self) -> String {
        self.cli_line(true)
    }

    fn cli_line(&self, redact: bool) -> String {
        let mut args = vec!["docker".to_string(), "container".into(), "run".into()];
        args.push(if self.tty { "-it" } else { "-d" }.into());
        if self.auto_remove {
            args.push("--rm".into());
        }
        if let Some(name) = &self.name {
            args.extend(["--name".into(), shell_quote(name)]);
        }
        for e in &self.env {
            let e = if redact { redacted_env(e) } else { e.clone() };
            args.extend(["-e".into(), shell_quote(&e)]);
        }
        for (k, v) in &self.labels {
            args.extend(["--label".into(), shell_quote(&format!("{k}={v}"))]);
        }
        for p in &self.ports {
            args.extend(["-p".into(), p.cli()]);
        }
        for v in &self.volumes {
            let ro = if v.read_only { ":ro" } else { "" };
            args.extend([
                "-v".into(),
                shell_quote(&format!("{}:{}{ro}", v.source, v.target)),
            ]);
        }
        if self.restart != RestartPolicy::No {
            args.extend(["--restart".into(), self.restart.as_cli()]);
        }
        if let Some(network) = &self.network {
            args.extend(["--network".into(), shell_quote(network)]);
        }
        if let Some(entrypoint) = &self.entrypoint {
            // One word the CLI takes exactly; several, as one string.
            args.extend([
                "--entrypoint".into(),
                shell_quote(&join_command(entrypoint)),
            ]);
        }
        if let Some(user) = &self.user {
            args.extend(["--user".into(), shell_quote(user)]);
        }
        if let Some(workdir) = &self.workdir {
            args.extend(["--workdir".into(), shell_quote(workdir)]);
        }
        if let Some(m) = self.memory {
            args.extend(["--memory".into(), memory_text(m)]);
        }
        if let Some(n) = self.nano_cpus {
            args.extend(["--cpus".into(), (n as f64 / 1e9).to_string()]);
        }
        args.push(self.image.to_string());
        args.extend(self.command.iter().map(|w| shell_quote(w)));
        args.join(" ")
    }
}

impl PortMapping {
    pub fn cli(&self) -> String {
        let ip = match &self.host_ip {
            Some(ip) if ip.contains(':') => format!("[{ip}]:"),
            Some(ip) => format!("{ip}:"),
            None => String::new(),
        };
        let host = self.host_port.map(|p| format!("{p}:")).unwrap_or_default();
        let host = if ip.is_empty() || !host.is_empty() {
            host
        } else {
            ":".into()
        };
        format!("{ip}{host}{}/{}", self.container_port, self.protocol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports() {
        let ok = [
            ("8080:80", None, Some(8080), 80, "tcp"),
            ("80", None, None, 80, "tcp"),
            (
                "127.0.0.1:8080:80/udp",
                Some("127.0.0.1"),
                Some(8080),
                80,
                "udp",
            ),
            ("[::1]:53:53/udp", Some("::1"), Some(53), 53, "udp"),
            ("0.0.0.0::80", Some("0.0.0.0"), None, 80, "tcp"),
        ];
        for (text, ip, host, container, proto) in ok {
            let p = parse_port(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                (
                    p.host_ip.as_deref(),
                    p.host_port,
                    p.container_port,
                    p.protocol
                ),
                (ip, host, container, proto),
                "{text}"
            );
        }
        let bad = [
            ("80/icmp", "unknown protocol \"icmp\""),
            ("99999:80", "\"99999\" is not a port"),
            ("0:80", "\"0\" is not a port"),
            ("x:80", "\"x\" is not a port"),
            ("1.2.3:80:80", "\"1.2.3\" is not an IP address"),
            ("a:b:c:d", "expected [IP:]HOST:CONTAINER"),
            ("", "\"\" is not a port"),
        ];
        for (text, want) in bad {
            let e = parse_port(text).expect_err(text);
            assert!(e.contains(want), "{text}: {e}");
        }
        assert_eq!(
            parse_port("127.0.0.1:8080:80").expect("ok").cli(),
            "127.0.0.1:8080:80/tcp"
        );
    }

    #[test]
    fn env() {
        assert_eq!(parse_env("A=1"), Ok("A=1".into()));
        assert_eq!(parse_env("A="), Ok("A=".into()));
        assert_eq!(parse_env("A=b=c"), Ok("A=b=c".into()));
        assert!(
            parse_env("A")
                .expect_err("no =")
                .contains("expected KEY=VALUE")
        );
        assert!(
            parse_env("=1")
                .expect_err("no key")
                .contains("not a variable name")
        );
        assert!(
            parse_env("A B=1")
                .expect_err("space")
                .contains("not a variable name")
        );
    }

    #[test]
    fn volumes() {
        let v = parse_volume("/srv/data:/data:ro").expect("ok");
        assert_eq!(
            (v.source.as_str(), v.target.as_str(), v.read_only),
            ("/srv/data", "/data", true)
        );
        let v = parse_volume("cache:/cache").expect("named");
        assert!(!v.read_only);
        let bad = [
            ("/a", "expected HOST:CONTAINER"),
            ("/a:b", "must be absolute"),
            ("/a:/b:rx", "unknown mode \"rx\""),
            (
                "./rel:/b",
                "neither an absolute host path nor a volume name",
            ),
            (":/b", "neither"),
        ];
        for (text, want) in bad {
            let e = parse_volume(text).expect_err(text);
            assert!(e.contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn command_splitting() {
        let cases: &[(&str, &[&str])] = &[
            ("sh -c 'echo hi there'", &["sh", "-c", "echo hi there"]),
            (r#"echo "a \"b\" $c" d\ e"#, &["echo", "a \"b\" $c", "d e"]),
            ("  sleep   60 ", &["sleep", "60"]),
            ("''", &[""]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(split_command(text).expect(text), *want, "{text}");
        }
        assert!(
            split_command("echo 'x")
                .expect_err("open")
                .contains("unclosed '")
        );
        assert!(
            split_command("echo \"x")
                .expect_err("open")
                .contains("unclosed \"")
        );
        assert!(
            split_command("x\\")
                .expect_err("trailing")
                .contains("backslash")
        );
    }

    #[test]
    fn no_field_parser_panics_on_awkward_input() {
        // A short seeded sweep; `examples/fuzz.rs` runs a million.
        let alphabet = [
            ":", "/", "[", "]", "=", ",", "\n", "'", "\"", "\\", " ", "a", "0", "9", "é", "\u{0}",
        ];
        for s in crate::test_inputs::awkward_strings(&alphabet, 7, 10_000, 16) {
            let fields = RunFields {
                image: "busybox".into(),
                command: s.clone(),
                env: s.clone(),
                labels: s.clone(),
                ports: s.clone(),
                volumes: s.clone(),
                restart: s.clone(),
                ..Default::default()
            };
            // Whatever parses gives a command line that splits back into words.
            if let Ok(spec) = fields.parse() {
                assert!(split_command(&spec.cli()).is_ok(), "{s:?}");
            }
            let _ = (parse_port(&s), parse_volume(&s), parse_env(&s));
        }
    }

    #[test]
    fn a_comma_separates_env_and_labels_only_before_a_key() {
        assert_eq!(
            pairs("NO_PROXY=a,b, A=1\nB=x,y=z\n\n C=3 "),
            ["NO_PROXY=a,b", "A=1", "B=x", "y=z", "C=3"]
        );
        assert_eq!(pairs("rule=Host(`a`, `b`)"), ["rule=Host(`a`, `b`)"]);
        let labels = parse_labels("a=1,2, b=3").expect("labels");
        assert_eq!(
            labels,
            [("a".into(), "1,2".into()), ("b".into(), "3".into())]
        );
        assert!(
            parse_labels("b=1\n=2").is_err(),
            "an empty key still refused"
        );
    }

    #[test]
    fn entrypoint_user_workdir_and_limits() {
        let fields = RunFields {
            image: "busybox".into(),
            entrypoint: "/bin/sh".into(),
            user: "1000:1000".into(),
            workdir: "/srv".into(),
            memory: "1.5g".into(),
            cpus: "0.5".into(),
            ..Default::default()
        };
        let spec = fields.parse().expect("valid");
        assert_eq!(spec.entrypoint, Some(vec!["/bin/sh".to_string()]));
        assert_eq!(spec.memory, Some(3 << 29));
        assert_eq!(spec.nano_cpus, Some(500_000_000));
        assert_eq!(
            spec.cli(),
            "docker container run -d --entrypoint /bin/sh --user 1000:1000 --workdir /srv --memory 1536m --cpus 0.5 busybox"
        );
        for bytes in [64 << 20, 1 << 30, 3 << 29, 6_291_457] {
            assert_eq!(memory(&memory_text(bytes)), Ok(bytes), "{bytes}");
        }
        let bad = RunFields {
            workdir: "srv".into(),
            ..fields.clone()
        };
        assert_eq!(bad.parse().expect_err("relative").field, RunField::Workdir);
        let bad = RunFields {
            memory: "1k".into(),
            ..fields
        };
        assert_eq!(bad.parse().expect_err("small").field, RunField::Memory);
    }

    #[test]
    fn restart_policies() {
        assert_eq!(
            RestartPolicy::parse("on-failure:3"),
            Ok(RestartPolicy::OnFailure(3))
        );
        assert_eq!(RestartPolicy::parse(""), Ok(RestartPolicy::No));
        assert!(
            RestartPolicy::parse("sometimes")
                .expect_err("bad")
                .contains("unknown restart policy")
        );
    }

    #[test]
    fn form_to_spec_and_cli_line() {
        let fields = RunFields {
            image: "busybox".into(),
            name: "web".into(),
            command: "sh -c 'echo hi; sleep 60'".into(),
            tty: false,
            auto_remove: true,
            env: "A=1\nB=two words".into(),
            labels: "team=web".into(),
            ports: "8080:80".into(),
            volumes: "/tmp:/data:ro".into(),
            restart: String::new(),
            network: "backend".into(),
            ..Default::default()
        };
        let spec = fields.parse().expect("valid");
        assert_eq!(
            spec.cli(),
            "docker container run -d --rm --name web -e A=1 -e 'B=two words' --label team=web -p 8080:80/tcp -v /tmp:/data:ro --network backend busybox sh -c 'echo hi; sleep 60'"
        );
        // The log file's line leaves env values out.
        assert_eq!(
            spec.cli_redacted(),
            "docker container run -d --rm --name web -e 'A=…' -e 'B=…' --label team=web -p 8080:80/tcp -v /tmp:/data:ro --network backend busybox sh -c 'echo hi; sleep 60'"
        );
        let bad = RunFields {
            name: "-x".into(),
            ..fields.clone()
        };
        assert_eq!(bad.parse().expect_err("name").field, RunField::Name);
        let bad = RunFields {
            restart: "always".into(),
            ..fields
        };
        assert!(bad.parse().expect_err("conflict").message.contains("--rm"));
    }
}
