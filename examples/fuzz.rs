//! Throws random input at the parsers and the key encoder and counts what survives: the
//! reference parser, the run form's fields, and key → bytes. A panic fails the run.
//!   cargo run --release --example fuzz [-- INPUTS_PER_TARGET]
//! (The suite runs shorter sweeps of the same kinds of input.)

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dockpit::pty::keys;
use dockpit::reference;
use dockpit::run_spec::{self, RunFields};

/// xorshift64*: deterministic, so a failing input can be found again from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A string biased towards the characters these grammars care about.
    fn text(&mut self, max: usize) -> String {
        const SPECIAL: &[char] = &[
            ':', '/', '@', '.', '_', '-', '=', ',', '[', ']', '\'', '"', '\\', ' ', '\n', 'a', 'Z',
            '0', '9', 'é', '\u{0}', '\u{1b}', '中', '\u{301}',
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
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Rng(0x5eed_d0c4_9e17_0001);

    let mut valid = 0;
    for _ in 0..n {
        let text = rng.text(80);
        if let Ok(r) = reference::parse(&text) {
            valid += 1;
            assert_eq!(reference::parse(&r.to_string()), Ok(r), "{text:?}");
        }
    }
    println!("reference parser: {n} inputs, {valid} valid, no panic");

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
            image: field(&mut rng, &["busybox", "a/b:1", "h:5000/x:tag"], 20),
            name: field(&mut rng, &["", "web", "a_b.c-d"], 12),
            command: field(&mut rng, &["", "sh -c 'echo hi'", "sleep 1"], 30),
            env: field(&mut rng, &["", "A=1", "A=1\nB=x y"], 30),
            labels: field(&mut rng, &["", "k=v", "a=1,b=2"], 20),
            ports: field(&mut rng, &["", "80", "8080:80/udp", "[::1]:1:2"], 20),
            volumes: field(&mut rng, &["", "/a:/b:ro", "vol:/data"], 20),
            restart: field(&mut rng, &["", "always", "on-failure:3"], 12),
            tty: rng.below(2) == 0,
            auto_remove: rng.below(2) == 0,
        };
        if let Ok(spec) = fields.parse() {
            valid += 1;
            // The CLI line of a valid form always splits back into words.
            assert!(run_spec::split_command(&spec.cli()).is_ok(), "{fields:?}");
        }
        let _ = run_spec::parse_port(&rng.text(24));
        let _ = run_spec::parse_volume(&rng.text(24));
    }
    println!("run form fields:  {n} forms (+{n} ports, +{n} volumes), {valid} valid, no panic");

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
    println!("key encoder:      {n} keys (+{n} pastes), {encoded} encoded, no panic");
}
