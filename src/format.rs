//! Human-readable figures, following the docker CLI (go-units) so numbers match `docker ps`.

/// Decimal units, as `docker image ls` prints sizes ("1.98MB").
pub fn human_size(bytes: i64) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    // The CLI prints 3 significant digits (go-units' HumanSizeWithPrecision(size, 3)).
    let text = if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    };
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}{}", UNITS[unit])
}

/// How long ago `then` was, relative to `now` (both unix seconds): "3 days ago".
pub fn ago(then: i64, now: i64) -> String {
    format!("{} ago", human_duration(now.saturating_sub(then)))
}

/// go-units' HumanDuration, which docker uses for "Up 5 minutes" and "2 hours ago".
pub fn human_duration(secs: i64) -> String {
    let secs = secs.max(0);
    let minutes = secs / 60;
    let hours = minutes / 60;
    match secs {
        s if s < 1 => "Less than a second".into(),
        1 => "1 second".into(),
        s if s < 60 => format!("{s} seconds"),
        _ if minutes == 1 => "About a minute".into(),
        _ if minutes < 60 => format!("{minutes} minutes"),
        _ if hours == 1 => "About an hour".into(),
        _ if hours < 48 => format!("{hours} hours"),
        _ if hours < 24 * 7 * 2 => format!("{} days", hours / 24),
        _ if hours < 24 * 30 * 2 => format!("{} weeks", hours / 24 / 7),
        _ if hours < 24 * 365 * 2 => format!("{} months", hours / 24 / 30),
        _ => format!("{} years", hours / 24 / 365),
    }
}

/// The 12-character id docker shows, without the `sha256:` prefix.
pub fn short_id(id: &str) -> &str {
    let id = id.strip_prefix("sha256:").unwrap_or(id);
    id.get(..12).unwrap_or(id)
}

/// Bidirectional overrides and isolates, zero-width characters and marks, and the byte
/// order mark: invisible, yet they can reorder or hide what a terminal shows (a name or an
/// error spoofed in terminals that do bidi).
pub fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{feff}')
}

/// Replaces control characters (and the invisible formatting characters of
/// [`is_invisible_format`]) so text from Docker can never drive or spoof the terminal.
pub fn inert(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_invisible_format(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// `text` cut to at most about `max` bytes (on a character boundary), with a marker that
/// says how much was left out: text from a container or a registry is bounded in bytes, not
/// only in lines.
pub fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… [{} bytes cut]", &text[..end], text.len() - end)
}

/// Shows control characters as text (caret notation: ESC is `^[`) so a log line that holds
/// escape sequences is seen for what it is and never acts on the terminal.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\u{7f}' => out.push_str("^?"),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            c if c.is_control() || is_invisible_format(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// "1 layer", "3 layers".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_the_docker_cli() {
        let cases = [
            (0, "0B"),
            (999, "999B"),
            (1_000, "1kB"),
            (1_980_000, "1.98MB"),
            (4_190_000, "4.19MB"),
            (77_800_000, "77.8MB"),
            (1_234_567_890, "1.23GB"),
            (123_456_789, "123MB"),
        ];
        for (bytes, want) in cases {
            assert_eq!(human_size(bytes), want, "{bytes} bytes");
        }
    }

    #[test]
    fn durations_match_go_units() {
        let cases = [
            (0, "Less than a second"),
            (1, "1 second"),
            (59, "59 seconds"),
            (60, "About a minute"),
            (300, "5 minutes"),
            (3_600, "About an hour"),
            (7_200, "2 hours"),
            (3 * 86_400, "3 days"),
            (15 * 86_400, "2 weeks"),
            (90 * 86_400, "3 months"),
            (800 * 86_400, "2 years"),
        ];
        for (secs, want) in cases {
            assert_eq!(human_duration(secs), want, "{secs} s");
        }
        assert_eq!(ago(100, 100 + 3 * 86_400), "3 days ago");
    }

    #[test]
    fn short_ids_drop_the_algorithm() {
        assert_eq!(short_id("sha256:047b1cacbee6aaaa"), "047b1cacbee6");
        assert_eq!(short_id("abc"), "abc");
    }

    #[test]
    fn log_lines_show_their_escapes() {
        assert_eq!(
            escape_controls("a\x1b[31mred\tb\x07\u{9b}"),
            "a^[[31mred    b^G\\u{9b}"
        );
    }

    #[test]
    fn long_text_is_cut_with_a_marker() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("abcdefghij", 4), "abcd… [6 bytes cut]");
        // Never inside a character: "é" is two bytes.
        assert_eq!(cut("aé", 2), "a… [2 bytes cut]");
    }

    #[test]
    fn control_characters_become_inert() {
        assert_eq!(inert("a\x1b]0;pwn\x07b"), "a\u{fffd}]0;pwn\u{fffd}b");
    }

    #[test]
    fn bidi_and_zero_width_characters_are_made_visible() {
        for c in [
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200b}', '\u{200f}', '\u{feff}',
        ] {
            let text = format!("web{c}gpj.exe");
            assert_eq!(inert(&text), "web\u{fffd}gpj.exe", "{:x}", c as u32);
            assert_eq!(
                escape_controls(&text),
                format!("web\\u{{{:x}}}gpj.exe", c as u32)
            );
        }
        assert_eq!(inert("ünïcödé ✓ 日本"), "ünïcödé ✓ 日本");
    }
}
