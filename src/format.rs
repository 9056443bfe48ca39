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

/// Go's zero time in unix seconds: the date the daemon gives an image made without one
/// (an image config with no `created`, as some image builders write).
const GO_ZERO_TIME: i64 = -62_135_596_800;

/// An image's CREATED as `docker images` words it: blank for an image without a date (the
/// CLI's `createdAt.IsZero()`), not "2027 years ago"; else as [`ago`].
pub fn created_ago(created: i64, now: i64) -> String {
    match created {
        GO_ZERO_TIME => String::new(),
        _ => ago(created, now),
    }
}

/// go-units' HumanDuration, which docker uses for "Up 5 minutes" and "2 hours ago". Hours
/// are rounded (90 minutes is "2 hours"), years are not.
pub fn human_duration(secs: i64) -> String {
    let secs = secs.max(0);
    let minutes = secs / 60;
    let hours = rounded_hours(secs);
    match secs {
        s if s < 1 => "Less than a second".into(),
        1 => "1 second".into(),
        s if s < 60 => format!("{s} seconds"),
        _ if minutes == 1 => "About a minute".into(),
        _ if minutes < 60 => format!("{minutes} minutes"),
        _ if hours == 1 => "About an hour".into(),
        _ if hours < 48 => format!("{hours} hours"),
        _ if hours < DAYS_UNTIL => format!("{} days", hours / 24),
        _ if hours < WEEKS_UNTIL => format!("{} weeks", hours / 24 / 7),
        _ if hours < MONTHS_UNTIL => format!("{} months", hours / 24 / 30),
        _ => format!("{} years", secs / 3600 / 24 / 365),
    }
}

/// go-units' `int(d.Hours() + 0.5)`.
fn rounded_hours(secs: i64) -> i64 {
    (secs + 1800) / 3600
}

/// Where go-units' day, week and month wordings end, in rounded hours.
const DAYS_UNTIL: i64 = 24 * 7 * 2;
const WEEKS_UNTIL: i64 = 24 * 30 * 2;
const MONTHS_UNTIL: i64 = 24 * 365 * 2;

/// The elapsed seconds [from, to) that [`human_duration`] words as `text`: what a status the
/// daemon wrote tells of when its container started or stopped.
pub fn duration_range(text: &str) -> Option<(i64, i64)> {
    // Seconds from a range of rounded hours [from, to).
    let hours = |from: i64, to: i64| (from * 3600 - 1800, to * 3600 - 1800);
    let range = match text {
        "Less than a second" => (0, 1),
        "1 second" => (1, 2),
        "About a minute" => (60, 120),
        "About an hour" => (3600, 5400),
        _ => {
            let (n, unit) = text.split_once(' ')?;
            let n: i64 = n.parse().ok()?;
            // Plurals from 2, but go-units writes "1 years" for the half hour before the
            // second year's rounded hours.
            if n < 2 && !(n == 1 && unit == "years") {
                return None;
            }
            match unit {
                "seconds" if n < 60 => (n, n + 1),
                "minutes" if n < 60 => (n * 60, n * 60 + 60),
                "hours" if n < 48 => hours(n, n + 1),
                "days" if n < 14 => hours((n * 24).max(48), (n * 24 + 24).min(DAYS_UNTIL)),
                "weeks" if n < 9 => hours(n * 168, (n * 168 + 168).min(WEEKS_UNTIL)),
                "months" if n < 25 => hours(n * 720, (n * 720 + 720).min(MONTHS_UNTIL)),
                "years" => {
                    let year = 3600 * 24 * 365;
                    ((n * year).max(hours(MONTHS_UNTIL, 0).0), (n + 1) * year)
                }
                _ => return None,
            }
        }
    };
    (range.0 < range.1).then_some(range)
}

/// The 12-character id docker shows, without the `sha256:` prefix.
pub fn short_id(id: &str) -> &str {
    let id = id.strip_prefix("sha256:").unwrap_or(id);
    id.get(..12).unwrap_or(id)
}

/// Bidirectional overrides, isolates and marks (the Arabic letter mark too), zero-width
/// characters, word joiners and invisible operators, the deprecated format characters, and
/// the byte order mark: invisible, yet they can reorder or hide what a terminal shows (a
/// name or an error spoofed in terminals that do bidi).
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{61c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
    )
}

/// A character text from outside must not carry to a terminal, a shell or a log file as it
/// is: a control character (C0, DEL, C1) or an invisible formatting one.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Replaces the characters of [`is_unsafe`] so text from Docker can never drive or spoof
/// the terminal.
pub fn inert(text: &str) -> String {
    text.chars()
        .map(|c| if is_unsafe(c) { '\u{fffd}' } else { c })
        .collect()
}

/// `text` as it may go on the clipboard: the characters of [`is_unsafe`] left out, so a
/// paste into a shell can never end a bracketed paste, clear the line or run a line (no
/// ESC, ^U or CR), nor hide or reorder what is pasted. Answers the text and how many
/// characters were left out.
pub fn clipboard_text(text: &str) -> (String, usize) {
    let mut left_out = 0;
    let kept = text
        .chars()
        .filter(|&c| {
            left_out += usize::from(is_unsafe(c));
            !is_unsafe(c)
        })
        .collect();
    (kept, left_out)
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
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// "1 layer", "3 layers".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Text with its digit runs compared as numbers: "ux-5" < "ux-49".
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (run(a), run(b));
                let trim = |s: &[u8]| s.iter().skip_while(|c| **c == b'0').count();
                let (da, db) = (&a[na - trim(&a[..na])..na], &b[nb - trim(&b[..nb])..nb]);
                let by_value = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
                if by_value != std::cmp::Ordering::Equal {
                    return by_value;
                }
                (a, b) = (&a[na..], &b[nb..]);
            }
            (Some(x), Some(y)) if x != y => return x.cmp(y),
            _ => (a, b) = (&a[1..], &b[1..]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_without_a_date_has_a_blank_created_as_the_cli_shows_it() {
        let now = 1_796_500_000;
        assert_eq!(created_ago(-62_135_596_800, now), "");
        assert_eq!(created_ago(now - 3 * 86_400, now), "3 days ago");
        // A reproducible build's date (SOURCE_DATE_EPOCH=0) is a date.
        assert_eq!(created_ago(0, now), "56 years ago");
    }

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
        // go-units rounds hours: 90 minutes is "2 hours", 47.5 hours "2 days".
        assert_eq!(human_duration(89 * 60 + 59), "About an hour");
        assert_eq!(human_duration(90 * 60), "2 hours");
        assert_eq!(human_duration(47 * 3600 + 1800), "2 days");
    }

    #[test]
    fn each_wording_is_read_back_as_the_seconds_it_covers() {
        // Every second of the first two hours, then samples up to 30 years with each
        // range's edges: the range holds the sample, and its ends word the same.
        let mut samples: Vec<i64> = (0..7_200).collect();
        let mut s = 7_200_i64;
        while s < 30 * 365 * 86_400 {
            samples.push(s);
            s = s * 21 / 20 + 1;
        }
        for secs in samples {
            let text = human_duration(secs);
            let (from, to) = duration_range(&text).unwrap_or_else(|| panic!("{text:?}"));
            assert!(
                from <= secs && secs < to,
                "{secs} s → {text:?} → {from}..{to}"
            );
            assert_eq!(human_duration(from), text, "{text:?} from {from}");
            assert_eq!(human_duration(to - 1), text, "{text:?} to {to}");
            assert_ne!(human_duration(to), text, "{text:?} past {to}");
        }
        for text in [
            "",
            "5",
            "0 seconds",
            "60 seconds",
            "2 fortnights",
            "about a minute",
        ] {
            assert_eq!(duration_range(text), None, "{text:?}");
        }
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

    #[test]
    fn the_clipboard_gets_only_inert_text() {
        assert_eq!(
            clipboard_text("ok \x1b[201~\x15 rm\r\u{9b}\u{7f}\u{61c}\u{202e}ü"),
            ("ok [201~ rmü".to_string(), 7)
        );
        assert_eq!(clipboard_text("plain ✓"), ("plain ✓".to_string(), 0));
    }

    /// The Arabic letter mark reorders text as the bidi marks do; word joiners and the
    /// invisible operators hide between letters as the zero-width characters do.
    #[test]
    fn the_arabic_letter_mark_and_word_joiners_are_invisible_too() {
        for c in ['\u{61c}', '\u{2060}', '\u{2064}', '\u{206a}', '\u{206f}'] {
            assert!(is_invisible_format(c), "{:x}", c as u32);
            assert_eq!(inert(&format!("a{c}b")), "a\u{fffd}b");
        }
    }
}
