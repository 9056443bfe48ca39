//! Random input for every parser of outside input, and the properties each must keep: no
//! panic, and what they answer stays safe (digests well formed, text inert, lines bounded,
//! credentials only where they may go). `examples/fuzz.rs` runs 1,000,000 inputs per target;
//! the test suite runs a short sweep of the same targets.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Map, Value};

use crate::docker::attach::SessionKind;
use crate::docker::explore::{self, Node};
use crate::docker::logs::{Frames, LineSplitter, MAX_FRAME, MAX_LINE};
use crate::docker::raw::JsonLines;
use crate::docker::registry::{self, Fetched};
use crate::docker::{auth, endpoint};
use crate::format::{clipboard_text, cut, escape_controls, inert, is_invisible_format, is_unsafe};
use crate::pty::{Session, keys};
use crate::reference;
use crate::run_spec::{self, RunFields};

/// xorshift64*: deterministic, so a failing input can be found again from the seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A string biased towards the characters these grammars care about.
    pub fn text(&mut self, max: usize) -> String {
        const SPECIAL: &[char] = &[
            ':', '/', '@', '.', '_', '-', '=', ',', '[', ']', '\'', '"', '\\', ' ', '\n', 'a', 'Z',
            '0', '9', 'é', '\u{0}', '\u{1b}', '中', '\u{301}', '\u{202e}', '\u{200b}', '\u{feff}',
            '\r', '\u{9b}', '\u{7}',
        ];
        let len = self.below(max + 1);
        (0..len)
            .map(|_| {
                if self.below(4) == 0 {
                    char::from_u32(self.below(0x11_0000) as u32).unwrap_or('x')
                } else {
                    SPECIAL[self.below(SPECIAL.len())]
                }
            })
            .collect()
    }

    /// Raw bytes biased towards escape sequences, newlines and the UTF-8 of invisible
    /// characters (whole or cut).
    pub fn bytes(&mut self, max: usize) -> Vec<u8> {
        const PIECES: &[&[u8]] = &[
            b"\x1b[",
            b"\x1b]0;",
            b"\x1b]52;c;",
            b"\x07",
            b"\x1b\\",
            b"\n",
            b"\r",
            b"\r\n",
            b"m",
            b"31",
            b";",
            b"?1049h",
            "\u{202e}".as_bytes(),
            "\u{2066}".as_bytes(),
            "\u{200b}".as_bytes(),
            "\u{feff}".as_bytes(),
            "\u{61c}".as_bytes(),
            "\u{2060}".as_bytes(),
            b"\xd8",
            b"\xe2\x80",
            b"\xe2",
            b"\xef\xbb",
            "é中".as_bytes(),
            b"2026-11-28T14:00:00.1Z ",
            b"hello ",
        ];
        let mut out = Vec::new();
        let len = self.below(max + 1);
        while out.len() < len {
            if self.below(3) == 0 {
                out.push(self.next_u64() as u8);
            } else {
                out.extend_from_slice(PIECES[self.below(PIECES.len())]);
            }
        }
        out
    }

    /// A JSON value whose keys come from `keys` (so nested fields that parsers read are
    /// reached), up to `depth` levels.
    pub fn json(&mut self, keys: &[&str], depth: usize) -> Value {
        match self.below(if depth == 0 { 5 } else { 8 }) {
            0 => Value::Null,
            1 => Value::Bool(self.below(2) == 0),
            2 => Value::from(self.next_u64() as i64 >> self.below(64)),
            3 => Value::String(self.text(40)),
            4 => Value::String(self.digestish()),
            5 | 6 => {
                let mut map = Map::new();
                for _ in 0..self.below(6) {
                    let key = if self.below(5) == 0 {
                        self.text(8)
                    } else {
                        keys[self.below(keys.len())].to_string()
                    };
                    map.insert(key, self.json(keys, depth - 1));
                }
                Value::Object(map)
            }
            _ => Value::Array(
                (0..self.below(5))
                    .map(|_| self.json(keys, depth - 1))
                    .collect(),
            ),
        }
    }

    /// A digest, well formed or nearly.
    fn digestish(&mut self) -> String {
        let hex: String = (0..64)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16)]))
            .collect();
        match self.below(4) {
            0 => format!("sha256:{hex}"),
            1 => format!("sha256:{}", &hex[..self.below(64)]),
            2 => format!("sha512:{hex}\x1b]52;c;eA==\x07"),
            _ => format!("{}{hex}", self.text(8)),
        }
    }

    /// Mostly `value` serialized, sometimes with a few bytes changed or cut short.
    fn mangled(&mut self, value: &Value) -> String {
        let mut text = value.to_string().into_bytes();
        for _ in 0..self.below(3) {
            if !text.is_empty() {
                let at = self.below(text.len());
                text[at] = self.next_u64() as u8;
            }
        }
        if self.below(4) == 0 {
            text.truncate(self.below(text.len() + 1));
        }
        String::from_utf8_lossy(&text).into_owned()
    }
}

const REGISTRY_KEYS: &[&str] = &[
    "schemaVersion",
    "mediaType",
    "manifests",
    "platform",
    "os",
    "architecture",
    "variant",
    "digest",
    "size",
    "config",
    "layers",
    "history",
    "created_by",
    "empty_layer",
    "created",
    "Env",
    "Labels",
    "Cmd",
    "Entrypoint",
    "ExposedPorts",
];

const CONFIG_KEYS: &[&str] = &[
    "auths",
    "auth",
    "identitytoken",
    "credsStore",
    "credHelpers",
    "currentContext",
    "https://index.docker.io/v1/",
    "reg.example.com",
    "Endpoints",
    "docker",
    "Host",
    "Name",
    "Metadata",
];

/// One line of the report per target.
pub type Report = Vec<String>;

/// Every target, `n` inputs each, from `seed`. Panics (with the input) if a property fails.
pub fn run(n: usize, seed: u64) -> Report {
    let mut rng = Rng(seed | 1);
    vec![
        references(&mut rng, n),
        run_form(&mut rng, n),
        key_encoder(&mut rng, n),
        registry_documents(&mut rng, n),
        challenges(&mut rng, n),
        log_framing(&mut rng, n),
        inert_text(&mut rng, n),
        config_files(&mut rng, n),
        // Its own stream, so adding it changed no other target's inputs.
        dockpit_config(&mut Rng((seed ^ 0xc0f1_9000_0000_0000) | 1), n),
        emulator(&mut rng, n),
        // Its own stream too.
        tar_reader(&mut Rng((seed ^ 0x7a70_0000_0000_0000) | 1), n),
        // And these.
        events_framing(&mut Rng((seed ^ 0xe7e7_0000_0000_0000) | 1), n),
        logs_frames(&mut Rng((seed ^ 0x10f5_0000_0000_0000) | 1), n),
        layer_reader(&mut Rng((seed ^ 0x1a7e_0000_0000_0000) | 1), n),
    ]
}

fn references(rng: &mut Rng, n: usize) -> String {
    let mut valid = 0;
    for _ in 0..n {
        let text = rng.text(80);
        if let Ok(r) = reference::parse(&text) {
            valid += 1;
            assert_eq!(reference::parse(&r.to_string()), Ok(r), "{text:?}");
        }
    }
    format!("reference parser:   {n} inputs, {valid} valid, no panic")
}

fn run_form(rng: &mut Rng, n: usize) -> String {
    let mut valid = 0;
    // Half the time a field gets a plausible value, so valid forms are reached too.
    let field = |rng: &mut Rng, good: &[&str], max: usize| {
        if rng.below(2) == 0 {
            good[rng.below(good.len())].to_string()
        } else {
            rng.text(max)
        }
    };
    for _ in 0..n {
        let fields = RunFields {
            image: field(rng, &["busybox", "a/b:1", "h:5000/x:tag"], 20),
            name: field(rng, &["", "web", "a_b.c-d"], 12),
            command: field(rng, &["", "sh -c 'echo hi'", "sleep 1"], 30),
            env: field(rng, &["", "A=1", "A=1\nB=x y"], 30),
            labels: field(rng, &["", "k=v", "a=1,b=2"], 20),
            ports: field(rng, &["", "80", "8080:80/udp", "[::1]:1:2"], 20),
            volumes: field(rng, &["", "/a:/b:ro", "vol:/data"], 20),
            restart: field(rng, &["", "always", "on-failure:3"], 12),
            network: field(rng, &["", "bridge", "my-net"], 12),
            entrypoint: field(rng, &["", "/bin/sh", "sh -c"], 20),
            user: field(rng, &["", "nobody", "1000:1000"], 12),
            workdir: field(rng, &["", "/srv", "rel"], 12),
            memory: field(rng, &["", "64m", "1.5g", "1k"], 8),
            cpus: field(rng, &["", "0.5", "2", "-1"], 6),
            tty: rng.below(2) == 0,
            auto_remove: rng.below(2) == 0,
        };
        if let Ok(spec) = fields.parse() {
            valid += 1;
            // The CLI line of a valid form always splits back into words.
            assert!(run_spec::split_command(&spec.cli()).is_ok(), "{fields:?}");
            // The log file's line never holds an env value.
            let logged = spec.cli_redacted();
            for e in &spec.env {
                if let Some((_, value)) = e.split_once('=')
                    && value.len() > 3
                {
                    assert!(!logged.contains(value), "{fields:?}");
                }
            }
        }
        let _ = run_spec::parse_port(&rng.text(24));
        let _ = run_spec::parse_volume(&rng.text(24));
    }
    format!("run form fields:    {n} forms (+{n} ports, +{n} volumes), {valid} valid, no panic")
}

fn key_encoder(rng: &mut Rng, n: usize) -> String {
    let mods = [
        KeyModifiers::NONE,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL | KeyModifiers::ALT,
        KeyModifiers::all(),
    ];
    let mut encoded = 0;
    for _ in 0..n {
        let code = match rng.below(6) {
            0 => KeyCode::F(rng.below(256) as u8),
            1 => KeyCode::Up,
            2 => KeyCode::PageDown,
            3 => KeyCode::Backspace,
            _ => KeyCode::Char(char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('a')),
        };
        let key = KeyEvent::new(code, mods[rng.below(mods.len())]);
        if keys::encode(&key, rng.below(2) == 0).is_some() {
            encoded += 1;
        }
        let _ = keys::paste(&rng.text(40), rng.below(2) == 0);
    }
    format!("key encoder:        {n} keys (+{n} pastes), {encoded} encoded, no panic")
}

/// Every digest a tree holds is well formed (it is copied and pulled).
fn digests_well_formed(node: &Node) -> bool {
    node.digest.as_deref().is_none_or(reference::is_digest)
        && node.children.iter().all(digests_well_formed)
}

fn registry_documents(rng: &mut Rng, n: usize) -> String {
    let mut parsed = 0;
    for _ in 0..n {
        let value = rng.json(REGISTRY_KEYS, 4);
        let text = rng.mangled(&value);
        let Ok(json) = serde_json::from_slice::<Value>(text.as_bytes()) else {
            continue;
        };
        parsed += 1;
        let fetched = Fetched {
            digest: registry::sha256(text.as_bytes()),
            size: text.len(),
            media_type: rng.text(10),
            json,
        };
        if let Some((index, entries)) = explore::index_tree(&fetched) {
            assert!(digests_well_formed(&index), "{text}");
            for (entry, digest) in entries {
                assert!(digests_well_formed(&entry), "{text}");
                assert!(digest.as_deref().is_none_or(reference::is_digest));
            }
        }
        let blob = match rng.below(3) {
            0 => None,
            1 => Some(Err(rng.text(20))),
            _ => Some(Ok(rng.json(REGISTRY_KEYS, 4))),
        };
        let node = explore::manifest_tree("m".into(), &fetched, blob);
        assert!(
            node.children
                .iter()
                .all(|c| c.digest.as_deref().is_none_or(reference::is_digest)),
            "{text}"
        );
    }
    format!("registry documents: {n} documents, {parsed} valid JSON, no panic, digests checked")
}

fn challenges(rng: &mut Rng, n: usize) -> String {
    let hub = reqwest::Url::parse("https://registry-1.docker.io").ok();
    let local = reqwest::Url::parse("http://127.0.0.1:5000").ok();
    let realms = [
        "https://auth.docker.io/token",
        "http://127.0.0.1:5000/token",
        "http://169.254.169.254/",
        "https://10.0.0.1/t",
        "https://[::1]/t",
        "https://u:p@h/t",
        "file:///etc/passwd",
    ];
    let mut accepted = 0;
    for _ in 0..n {
        let mut challenge = String::from(if rng.below(2) == 0 {
            "Bearer "
        } else {
            "bEaReR "
        });
        for _ in 0..rng.below(5) {
            let key = ["realm", "service", "scope", "error", ""][rng.below(5)];
            let value = if key == "realm" && rng.below(2) == 0 {
                realms[rng.below(realms.len())].to_string()
            } else {
                rng.text(30)
            };
            match rng.below(3) {
                0 => challenge.push_str(&format!("{key}=\"{value}\",")),
                1 => challenge.push_str(&format!("{key}={value},")),
                _ => challenge.push_str(&rng.text(10)),
            }
        }
        let params = registry::parse_challenge(&challenge);
        let Some(realm) = params.iter().find(|(k, _)| k == "realm").map(|(_, v)| v) else {
            continue;
        };
        let Ok(url) = reqwest::Url::parse(realm) else {
            continue;
        };
        for registry_url in [&hub, &local].into_iter().flatten() {
            if let Ok(with_credentials) = registry::check_hop(registry_url, &url) {
                accepted += 1;
                let same_origin = url.origin() == registry_url.origin();
                assert!(
                    !with_credentials || url.scheme() == "https" || same_origin,
                    "{challenge:?}"
                );
                assert!(
                    registry::reach(url.host_str().unwrap_or_default())
                        != registry::Reach::LinkLocal
                );
            }
        }
    }
    format!("auth challenges:    {n} challenges, {accepted} realms allowed, rules held, no panic")
}

fn log_framing(rng: &mut Rng, n: usize) -> String {
    let mut splitter = LineSplitter::default();
    let mut lines = 0;
    // The longest a cut line can be: MAX_LINE and its marker.
    let bound = MAX_LINE + 40;
    for i in 0..n {
        let piece = if rng.below(1000) == 0 {
            vec![b'x'; MAX_LINE + rng.below(MAX_LINE)]
        } else {
            rng.bytes(64)
        };
        for line in splitter.feed(rng.below(2) == 0, &piece) {
            lines += 1;
            assert!(
                line.text.len() <= bound,
                "a line of {} bytes",
                line.text.len()
            );
            // The time is drawn as it is: it must hold nothing but a time's characters.
            assert!(!line.time.chars().any(char::is_control), "{:?}", line.time);
        }
        if i % 10_000 == 0 {
            for line in std::mem::take(&mut splitter).finish() {
                assert!(line.text.len() <= bound);
            }
        }
    }
    format!("log stream lines:   {n} pieces, {lines} lines, each within {bound} bytes, no panic")
}

/// The events stream cut into documents: in whatever pieces it comes, the documents are the
/// stream's non-blank lines, in order, each within the cap; a line over the cap ends it.
fn events_framing(rng: &mut Rng, n: usize) -> String {
    const CAP: usize = 256;
    let (mut documents, mut dropped) = (0, 0);
    for _ in 0..n / 10 {
        // A stream of lines, some blank, some over the cap, sent in random pieces.
        let mut stream = Vec::new();
        for _ in 0..rng.below(8) {
            let len = match rng.below(20) {
                0 => CAP + 1 + rng.below(CAP),
                1 => 0,
                _ => rng.below(CAP),
            };
            const ALPHABET: &[u8] = b"{}ab \"x:";
            stream.extend((0..len).map(|_| ALPHABET[rng.below(ALPHABET.len())]));
            stream.push(b'\n');
        }
        let mut expected = stream
            .split(|b| *b == b'\n')
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
            .map(<[u8]>::to_vec)
            .collect::<Vec<_>>()
            .into_iter();
        let mut lines = JsonLines::new(CAP);
        let mut rest = &stream[..];
        'stream: while !rest.is_empty() {
            let cut = 1 + rng.below(rest.len().min(64));
            let (piece, after) = rest.split_at(cut);
            rest = after;
            match lines.feed(piece) {
                Ok(got) => {
                    for line in got {
                        assert!(line.len() <= CAP && !line.contains(&b'\n'));
                        assert_eq!(Some(line), expected.next(), "a document out of order");
                        documents += 1;
                    }
                }
                Err(_) => {
                    // Only a line over the cap ends the stream.
                    assert!(expected.any(|l| l.len() > CAP), "dropped without cause");
                    dropped += 1;
                    break 'stream;
                }
            }
        }
    }
    format!(
        "events framing:     {} streams, {documents} documents, {dropped} dropped at the cap, in order",
        n / 10
    )
}

/// The logs framing: in whatever pieces frames come, each stream's bytes are the frames'
/// payloads in order; a header over [`MAX_FRAME`] ends it before its bytes are read; a
/// stream that is not framed (a tty's) passes as it came.
fn logs_frames(rng: &mut Rng, n: usize) -> String {
    let (mut frames_seen, mut refused, mut unframed) = (0, 0, 0);
    for _ in 0..n / 10 {
        let mut wire = Vec::new();
        let mut want: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
        let mut over = false;
        let raw_tty = rng.below(10) == 0;
        if raw_tty {
            // A tty's output: its first byte is no stream number.
            wire = b"tty output\r\n".to_vec();
            wire.extend(rng.bytes(64));
            want[0] = wire.clone();
        } else {
            for _ in 0..rng.below(6) {
                let err = rng.below(2) == 1;
                let declared = if rng.below(50) == 0 {
                    MAX_FRAME + 1 + rng.below(1 << 20)
                } else {
                    rng.below(300)
                };
                let len = u32::try_from(declared).unwrap_or(u32::MAX);
                wire.extend([1 + u8::from(err), 0, 0, 0]);
                wire.extend(len.to_be_bytes());
                if declared > MAX_FRAME {
                    over = true;
                    break;
                }
                let payload = rng.bytes(declared);
                let payload = &payload[..payload.len().min(declared)];
                // rng.bytes may give fewer: pad to what the header says.
                let mut body = payload.to_vec();
                body.resize(declared, b'.');
                want[usize::from(err)].extend(&body);
                wire.extend(body);
                frames_seen += 1;
            }
        }
        let mut got: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
        let mut frames = Frames::default();
        let mut rest = &wire[..];
        let mut failed = false;
        while !rest.is_empty() {
            let cut = 1 + rng.below(rest.len().min(97));
            let (piece, after) = rest.split_at(cut);
            rest = after;
            if frames
                .feed(piece, |err, bytes| got[usize::from(err)].extend(bytes))
                .is_err()
            {
                failed = true;
                break;
            }
        }
        assert_eq!(
            failed, over,
            "refused exactly when a header is over the cap"
        );
        if over {
            refused += 1;
            // What came before the refused header was passed on, and nothing of it.
            assert!(got[0].len() <= want[0].len() && got[1].len() <= want[1].len());
        } else {
            assert_eq!(got, want, "each stream's bytes, in order");
            unframed += usize::from(raw_tty);
        }
    }
    format!(
        "logs frames:        {} streams, {frames_seen} frames, {refused} refused at the cap, {unframed} unframed passed whole",
        n / 10
    )
}

fn inert_text(rng: &mut Rng, n: usize) -> String {
    for _ in 0..n {
        let text = rng.text(60);
        let shown = inert(&text);
        assert!(!shown.chars().any(is_unsafe), "{text:?}");
        let escaped = escape_controls(&text);
        assert!(!escaped.chars().any(is_unsafe), "{text:?}");
        // The clipboard path: what a copy puts there is inert, and only characters are
        // left out, never added.
        let hostile = format!("{text}\u{1b}[201~\u{15}\u{61c}\u{2060}{text}\r");
        for text in [&text, &hostile] {
            let (copied, left_out) = clipboard_text(text);
            assert!(!copied.chars().any(is_unsafe), "{text:?}");
            assert_eq!(
                copied.chars().count() + left_out,
                text.chars().count(),
                "{text:?}"
            );
        }
        let max = rng.below(40);
        let short = cut(&text, max);
        assert!(short.len() <= max + 30 || short == text, "{text:?}");
    }
    format!(
        "inert text:         {n} strings through inert, escape_controls, cut and the clipboard's filter, no control or invisible character left"
    )
}

fn config_files(rng: &mut Rng, n: usize) -> String {
    let mut found = 0;
    for _ in 0..n {
        let mut value = rng.json(CONFIG_KEYS, 4);
        // Often a plausible auths entry, so decoding is reached.
        if rng.below(2) == 0 {
            let auth = ["dXNlcjpzZWNyZXQ=", "", "!!!", "dXNlcg=="][rng.below(4)];
            value = serde_json::json!({"auths": {"reg.example.com": {"auth": auth}}, "x": value});
        }
        let text = rng.mangled(&value);
        let registry = [None, Some("reg.example.com"), Some("docker.io")][rng.below(3)];
        if let auth::Credentials::Found(_) = auth::from_text(&text, registry) {
            found += 1;
        }
        let _ = endpoint::current_context(&text);
        let _ = endpoint::context_host(&text);
    }
    format!("config.json / meta: {n} files, {found} with credentials found, no panic")
}

/// Pieces of dockpit's own config file, so most inputs are TOML that reaches every section.
const DOCKPIT_CONFIG_PIECES: &[&str] = &[
    "[keys.containers]\n",
    "[keys.global]\n",
    "[keys.terminal]\n",
    "[keys.nope]\n",
    "[keys]\n",
    "[theme]\n",
    "[defaults]\n",
    "[aliases]\n",
    "[[commands]]\n",
    "name = ",
    "key = ",
    "command = ",
    "run = ",
    "scope = ",
    "confirm = ",
    "containers-sort = ",
    "images-filter = ",
    "\"background\"\n",
    "\"images\"\n",
    "\"echo {name} {id}\"\n",
    "\"-created\"\n",
    "stop = ",
    "start = ",
    "quit = ",
    "prefix = ",
    "accent = ",
    "preset = ",
    "interval = ",
    "log-bytes = ",
    "shell = ",
    "ps = ",
    "\"T\"\n",
    "\"x\"\n",
    "\"ctrl-a\"\n",
    "[\"d\", \"Delete\"]\n",
    "\"\"\n",
    "[]\n",
    "\"#ff0000\"\n",
    "\"light\"\n",
    "300\n",
    "0.5\n",
    "true\n",
    "\"16MiB\"\n",
    "{ a = 1 }\n",
    "# é 中\n",
    "\n",
    "=",
    "\"",
];

fn dockpit_config(rng: &mut Rng, n: usize) -> String {
    let mut clean = 0;
    let mut problems = 0;
    for _ in 0..n {
        let mut text = String::new();
        for _ in 0..rng.below(14) {
            if rng.below(6) == 0 {
                text.push_str(&rng.text(8));
            } else {
                text.push_str(DOCKPIT_CONFIG_PIECES[rng.below(DOCKPIT_CONFIG_PIECES.len())]);
            }
        }
        let parsed = crate::config::parse(&text);
        let lines = text.split('\n').count();
        for p in &parsed.problems {
            problems += 1;
            // Every problem points into the file.
            assert!(
                p.line >= 1 && p.line <= lines && p.column >= 1,
                "{text:?}: {p:?}"
            );
            assert!(!p.message.is_empty(), "{text:?}");
        }
        if parsed.problems.is_empty() {
            clean += 1;
            // A config without problems never leaves a key bound twice, and every
            // command of the user's is on a key.
            assert!(parsed.config.keymap.conflicts().is_empty(), "{text:?}");
            let bound = parsed
                .config
                .keymap
                .bindings
                .iter()
                .filter(|b| b.is_custom());
            assert_eq!(bound.count(), parsed.config.commands.len(), "{text:?}");
        }
    }
    format!(
        "dockpit config:     {n} files, {clean} without problems, {problems} problems placed in their file, no panic"
    )
}

fn emulator(rng: &mut Rng, n: usize) -> String {
    let new = |rows, cols| {
        Session::new(
            crate::pty::SessionId(1),
            "id".into(),
            "fuzz".into(),
            SessionKind::Attach { start: false },
            (rows, cols),
        )
    };
    let mut session = new(24, 80);
    let mut bytes = 0;
    for i in 0..n {
        let input = rng.bytes(64);
        bytes += input.len();
        session.output(&input);
        if rng.below(5_000) == 0 {
            let (rows, cols) = (1 + rng.below(60) as u16, 1 + rng.below(200) as u16);
            session.parser.screen_mut().set_size(rows, cols);
        }
        if i % 2_000 == 0 {
            let contents = session.parser.screen().contents();
            assert!(
                !contents.chars().any(is_invisible_format),
                "an invisible character reached a cell"
            );
        }
        if i % 100_000 == 0 {
            session = new(24, 80);
        }
    }
    format!(
        "emulator input:     {n} pieces ({bytes} bytes), no invisible character in a cell, no panic"
    )
}

/// A tar as a hostile or broken daemon may send one: entries named with `..`, `/`, links
/// (to a folder outside, to `..`) and entries under them, odd types and modes, then perhaps
/// bytes flipped or cut.
fn hostile_tar(rng: &mut Rng, outside: &std::path::Path) -> Vec<u8> {
    use tar::EntryType;
    const NAMES: &[&str] = &[
        "d",
        "d/",
        "d/a",
        "d/l",
        "d/l/x",
        "d/sub/",
        "d/sub/b",
        "l",
        "../e",
        "/abs",
        "d/../x",
        "./d/c",
        "d/\u{1b}]52;c;x\u{7}",
        "",
    ];
    const KINDS: &[EntryType] = &[
        EntryType::Directory,
        EntryType::Regular,
        EntryType::Symlink,
        EntryType::Link,
        EntryType::Fifo,
        EntryType::GNUSparse,
        EntryType::XGlobalHeader,
    ];
    let mut builder = tar::Builder::new(Vec::new());
    for _ in 0..rng.below(8) {
        let kind = KINDS[rng.below(KINDS.len())];
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(kind);
        header.set_mode(rng.below(0o10000) as u32);
        let body = vec![b'x'; rng.below(300)];
        header.set_size(if kind.is_file() { body.len() as u64 } else { 0 });
        let name = NAMES[rng.below(NAMES.len())];
        // The tar crate refuses some names: set the raw bytes, as a daemon could.
        let raw = &mut header.as_old_mut().name;
        let len = name.len().min(raw.len());
        raw[..len].copy_from_slice(&name.as_bytes()[..len]);
        let link = match rng.below(4) {
            0 => outside.to_string_lossy().into_owned(),
            1 => "..".to_string(),
            2 => "d/a".to_string(),
            _ => "d".to_string(),
        };
        let _ = header.set_link_name(&link);
        header.set_cksum();
        let body = if kind.is_file() { &body[..] } else { &[][..] };
        let _ = builder.append(&header, body);
    }
    let mut bytes = builder.into_inner().unwrap_or_default();
    if !bytes.is_empty() && rng.below(3) == 0 {
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len());
            bytes[at] = rng.next_u64() as u8;
        }
    }
    if rng.below(5) == 0 {
        bytes.truncate(rng.below(bytes.len() + 1));
    }
    bytes
}

/// The tar reader: a listing's rows, the reader's first file and a download's unpacking of
/// hostile archives. No panic; a row is one plain name; the reader stays within its bound; a
/// download writes nothing outside its folder and never sets setuid, setgid or sticky.
fn tar_reader(rng: &mut Rng, n: usize) -> String {
    use std::os::unix::fs::PermissionsExt;
    let base = std::env::temp_dir().join(format!("dockpit-fuzz-tar-{}", std::process::id()));
    let outside = base.join("outside");
    let (mut rows, mut unpacked, mut refused) = (0, 0, 0);
    for i in 0..n {
        let bytes = if rng.below(10) == 0 {
            rng.bytes(1200)
        } else {
            hostile_tar(rng, &outside)
        };
        let stop = std::sync::atomic::AtomicBool::new(false);
        let _ = crate::docker::files::list_tar(&bytes[..], &stop, |answer| {
            if let crate::docker::files::Answer::Rows { rows: batch, .. } = answer {
                for row in batch {
                    rows += 1;
                    assert!(
                        !row.name.is_empty() && !row.name.contains('/'),
                        "{:?}",
                        row.name
                    );
                }
            }
        });
        if let Ok(head) = crate::docker::files::first_file(&bytes[..], 100) {
            assert!(head.len() <= 100);
        }
        // Unpacking writes files: every 20th input.
        if i % 20 != 0 {
            continue;
        }
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&outside).expect("a scratch folder");
        match crate::docker::files::unpack(&bytes[..], &base.join("copy"), 4096) {
            Ok(_) => unpacked += 1,
            Err(_) => refused += 1,
        }
        let outside_now = std::fs::read_dir(&outside).map_or(0, |d| d.count());
        assert_eq!(outside_now, 0, "a download wrote outside its folder");
        let beside = std::fs::read_dir(&base).map_or(0, |d| d.count());
        assert!(beside <= 2, "a download wrote beside its folder");
        let mut stack = vec![base.join("copy")];
        while let Some(at) = stack.pop() {
            let Ok(meta) = std::fs::symlink_metadata(&at) else {
                continue;
            };
            assert_eq!(meta.permissions().mode() & 0o7000, 0, "{}", at.display());
            if meta.is_dir() {
                let _ = std::fs::set_permissions(&at, std::fs::Permissions::from_mode(0o700));
                if let Ok(dir) = std::fs::read_dir(&at) {
                    stack.extend(dir.filter_map(|e| e.ok().map(|e| e.path())));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&base);
    format!(
        "tar reader:         {n} archives, {rows} rows listed; {unpacked} unpacked, {refused} refused, nothing outside the folder, no setuid, no panic"
    )
}

/// A layer for the layer reader: whiteouts, opaque folders, links and `..`, perhaps
/// gzipped, perhaps flipped or cut.
fn hostile_layer(rng: &mut Rng) -> Vec<u8> {
    use std::io::Write;
    const NAMES: &[&str] = &[
        "a",
        "d/",
        "d/b",
        "d/.wh.b",
        ".wh.a",
        "d/.wh..wh..opq",
        ".wh..wh..opq",
        "../x",
        "d/../../y",
        "./d/c",
        "/abs",
        "d",
        ".wh.d",
        "",
        ".",
        "a/",
    ];
    let mut builder = tar::Builder::new(Vec::new());
    for _ in 0..rng.below(8) {
        let mut header = tar::Header::new_gnu();
        let kind = [
            tar::EntryType::Regular,
            tar::EntryType::Directory,
            tar::EntryType::Symlink,
            tar::EntryType::Link,
            tar::EntryType::Fifo,
        ][rng.below(5)];
        header.set_entry_type(kind);
        let body = vec![b'x'; rng.below(200)];
        header.set_size(if kind.is_file() { body.len() as u64 } else { 0 });
        let name = NAMES[rng.below(NAMES.len())];
        let raw = &mut header.as_old_mut().name;
        raw[..name.len()].copy_from_slice(name.as_bytes());
        let _ = header.set_link_name(NAMES[rng.below(NAMES.len())]);
        header.set_cksum();
        let _ = builder.append(&header, if kind.is_file() { &body[..] } else { &[][..] });
    }
    let mut bytes = builder.into_inner().unwrap_or_default();
    if rng.below(3) == 0 {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let _ = gz.write_all(&bytes);
        bytes = gz.finish().unwrap_or_default();
    }
    if !bytes.is_empty() && rng.below(4) == 0 {
        let at = rng.below(bytes.len());
        bytes[at] = rng.next_u64() as u8;
    }
    if rng.below(6) == 0 {
        bytes.truncate(rng.below(bytes.len() + 1));
    }
    bytes
}

/// The layers reader and analysis: hostile layers stacked. No panic; every path of a tree
/// is absolute and never climbs; the score is a ratio; waste never exceeds what was shipped.
fn layer_reader(rng: &mut Rng, n: usize) -> String {
    use crate::docker::layers::{analysis, read};
    let (mut read_ok, mut refused) = (0, 0);
    for _ in 0..n {
        let mut layers = Vec::new();
        for i in 0..1 + rng.below(3) {
            let bytes = if rng.below(10) == 0 {
                rng.bytes(600)
            } else {
                hostile_layer(rng)
            };
            match read::read_layer(&bytes[..]) {
                Ok(tar) => {
                    read_ok += 1;
                    layers.push(read::SavedLayer {
                        id: format!("l{i}"),
                        created_by: String::new(),
                        tar,
                    });
                }
                Err(_) => refused += 1,
            }
        }
        if layers.is_empty() {
            continue;
        }
        let a = analysis::analyse(&layers);
        assert!((0.0..=1.0).contains(&a.efficiency), "{}", a.efficiency);
        assert!(a.wasted <= a.total_size && a.final_size <= a.total_size);
        for path in analysis::tree_at(&layers, layers.len() - 1).keys() {
            assert!(
                path.starts_with('/') && !path.split('/').any(|p| p == ".."),
                "{path:?}"
            );
        }
    }
    format!(
        "layer reader:       {read_ok} layers read, {refused} refused, trees inside the root, no panic"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_short_sweep_of_every_target() {
        let report = super::run(20_000, 0x5eed_d0c4_9e17_0001);
        assert_eq!(report.len(), 14);
    }
}
