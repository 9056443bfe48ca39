//! `dockpit layers IMAGE`: the layers, the waste and the score as text or JSON, and with
//! `--ci` the verdict of dive's rules (`lowestEfficiency`, `highestWastedBytes`,
//! `highestUserWastedPercent`, same names and defaults), so a pipeline can swap one tool
//! for the other.

use serde_json::{Value, json};

use crate::docker::layers::analysis::Analysis;
use crate::docker::layers::read::EntryKind;
use crate::format::{cut, human_size, inert};

/// The thresholds `--ci` checks; `None` is "disabled", as dive says.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub lowest_efficiency: Option<f64>,
    pub highest_wasted_bytes: Option<u64>,
    pub highest_user_wasted_ratio: Option<f64>,
}

impl Default for Rules {
    /// dive's defaults.
    fn default() -> Self {
        Self {
            lowest_efficiency: Some(0.9),
            highest_wasted_bytes: None,
            highest_user_wasted_ratio: Some(0.1),
        }
    }
}

/// One rule's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub rule: &'static str,
    pub passed: bool,
    pub detail: String,
}

/// Each enabled rule, checked.
pub fn check(a: &Analysis, rules: &Rules) -> Vec<Verdict> {
    let mut out = Vec::new();
    if let Some(min) = rules.lowest_efficiency {
        out.push(Verdict {
            rule: "lowestEfficiency",
            passed: a.efficiency >= min,
            detail: format!("efficiency {:.4}, at least {min}", a.efficiency),
        });
    }
    if let Some(max) = rules.highest_wasted_bytes {
        out.push(Verdict {
            rule: "highestWastedBytes",
            passed: a.wasted <= max,
            detail: format!("wasted {} bytes, at most {max}", a.wasted),
        });
    }
    if let Some(max) = rules.highest_user_wasted_ratio {
        out.push(Verdict {
            rule: "highestUserWastedPercent",
            passed: a.user_wasted_ratio <= max,
            detail: format!("user wasted {:.4}, at most {max}", a.user_wasted_ratio),
        });
    }
    out
}

/// "20MB" (decimal, as dive reads it), "20MiB" (binary), "1048576" → bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size: use 20MB, 512KiB or a number of bytes"))?;
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?}: use kB, MB, GB or KiB, MiB, GiB"
            ));
        }
    };
    Ok((number * factor).round() as u64)
}

/// A threshold of `--ci`: a value, or `disabled` (dive's word).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit<T>(pub Option<T>);

fn or_disabled<T>(
    text: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Limit<T>, String> {
    if text.trim().eq_ignore_ascii_case("disabled") {
        Ok(Limit(None))
    } else {
        parse(text).map(|v| Limit(Some(v)))
    }
}

pub fn parse_size_limit(text: &str) -> Result<Limit<u64>, String> {
    or_disabled(text, parse_size)
}

pub fn parse_ratio_limit(text: &str) -> Result<Limit<f64>, String> {
    or_disabled(text, parse_ratio)
}

/// A ratio from "0.9" or "90%".
pub fn parse_ratio(text: &str) -> Result<f64, String> {
    let (number, scale) = match text.trim().strip_suffix('%') {
        Some(n) => (n, 100.0),
        None => (text.trim(), 1.0),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a ratio: use 0.9 or 90%"))?;
    let value = value / scale;
    if !(0.0..=1.0).contains(&value) {
        return Err(format!("{text:?} is not between 0 and 1 (0% and 100%)"));
    }
    Ok(value)
}

fn kind_str(kind: &EntryKind) -> &'static str {
    match kind {
        EntryKind::File => "file",
        EntryKind::Dir => "dir",
        EntryKind::Symlink(_) => "symlink",
        EntryKind::Hardlink(_) => "hardlink",
        EntryKind::Other => "other",
    }
}

/// The whole report as JSON (`--json`); `changes` adds every layer's changed paths.
pub fn json(image: &str, a: &Analysis, verdicts: &[Verdict], changes: bool) -> Value {
    let layers: Vec<Value> = a
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut layer = json!({
                "index": i,
                "id": l.id,
                "created_by": l.created_by,
                "size": l.size,
                "added": l.added,
                "changed": l.changed,
                "removed": l.removed,
            });
            if changes {
                layer["changes"] = l
                    .changes
                    .iter()
                    .map(|c| {
                        let link = match &c.entry.kind {
                            EntryKind::Symlink(t) | EntryKind::Hardlink(t) => Some(t.clone()),
                            _ => None,
                        };
                        json!({
                            "path": c.entry.path,
                            "change": c.change.as_str(),
                            "kind": kind_str(&c.entry.kind),
                            "size": c.entry.size,
                            "mode": format!("{:04o}", c.entry.mode),
                            "uid": c.entry.uid,
                            "gid": c.entry.gid,
                            "link": link,
                        })
                    })
                    .collect();
            }
            layer
        })
        .collect();
    json!({
        "image": image,
        "layers": layers,
        "total_size": a.total_size,
        "final_size": a.final_size,
        "wasted_bytes": a.wasted,
        "efficiency": a.efficiency,
        "user_wasted_percent": a.user_wasted_ratio,
        "waste": a.waste.iter().map(|w| json!({"path": w.path, "times": w.times, "wasted": w.wasted})).collect::<Vec<_>>(),
        "ci": verdicts.iter().map(|v| json!({"rule": v.rule, "passed": v.passed, "detail": v.detail})).collect::<Vec<_>>(),
    })
}

/// The report as text: the layers (with `changes`, each one's changed paths, marked `+`
/// added, `~` changed, `-` removed, `o` made opaque), the worst waste, the score, the
/// verdicts.
pub fn text(image: &str, a: &Analysis, verdicts: &[Verdict], changes: bool) -> String {
    let size = |b: u64| human_size(i64::try_from(b).unwrap_or(i64::MAX));
    let mut out = format!(
        "{}: {} layers, {}, efficiency {:.2} %, wasted {} ({:.1} % of what the layers above the first add)\n\n",
        inert(image),
        a.layers.len(),
        size(a.total_size),
        a.efficiency * 100.0,
        size(a.wasted),
        a.user_wasted_ratio * 100.0
    );
    out.push_str("  #      SIZE  ADDED  CHANGED  REMOVED  CREATED BY\n");
    for (i, l) in a.layers.iter().enumerate() {
        out.push_str(&format!(
            "{i:>3} {:>9} {:>6} {:>8} {:>8}  {}\n",
            size(l.size),
            l.added,
            l.changed,
            l.removed,
            cut(&inert(l.created_by.trim()), 100)
        ));
        if changes {
            for c in &l.changes {
                out.push_str(&format!(
                    "      {} {:>9}  {}\n",
                    c.change.mark(),
                    size(c.entry.size),
                    inert(&c.entry.path)
                ));
            }
        }
    }
    if !a.waste.is_empty() {
        out.push_str("\nWasted (worst first)\n  TIMES     WASTED  PATH\n");
        for w in a.waste.iter().take(20) {
            out.push_str(&format!(
                "  {:>5} {:>10}  {}\n",
                w.times,
                size(w.wasted),
                inert(&w.path)
            ));
        }
        if a.waste.len() > 20 {
            out.push_str(&format!("  … and {} more paths\n", a.waste.len() - 20));
        }
    }
    if !verdicts.is_empty() {
        out.push('\n');
        for v in verdicts {
            let word = if v.passed { "PASS" } else { "FAIL" };
            out.push_str(&format!("{word}: {} ({})\n", v.rule, v.detail));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysis(efficiency: f64, wasted: u64, user: f64) -> Analysis {
        Analysis {
            layers: Vec::new(),
            total_size: 0,
            final_size: 0,
            wasted,
            efficiency,
            user_wasted_ratio: user,
            waste: Vec::new(),
        }
    }

    #[test]
    fn each_rule_passes_at_its_threshold_and_fails_past_it() {
        let rules = Rules {
            lowest_efficiency: Some(0.9),
            highest_wasted_bytes: Some(20_000_000),
            highest_user_wasted_ratio: Some(0.1),
        };
        let passed = |a: &Analysis| {
            check(a, &rules)
                .iter()
                .map(|v| v.passed)
                .collect::<Vec<_>>()
        };
        assert_eq!(passed(&analysis(0.9, 20_000_000, 0.1)), [true, true, true]);
        assert_eq!(
            passed(&analysis(0.8999, 20_000_001, 0.1001)),
            [false, false, false]
        );
        // Disabled rules are not checked.
        assert!(
            check(
                &analysis(0.0, u64::MAX, 1.0),
                &Rules {
                    lowest_efficiency: None,
                    highest_wasted_bytes: None,
                    highest_user_wasted_ratio: None,
                }
            )
            .is_empty()
        );
    }

    #[test]
    fn sizes_and_ratios_read_as_dive_reads_them() {
        assert_eq!(parse_size("20MB"), Ok(20_000_000));
        assert_eq!(parse_size("20MiB"), Ok(20 << 20));
        assert_eq!(parse_size("1.5kB"), Ok(1500));
        assert_eq!(parse_size("123"), Ok(123));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("3 parsecs").is_err());
        assert_eq!(parse_ratio("0.9"), Ok(0.9));
        assert_eq!(parse_ratio("15%"), Ok(0.15));
        assert!(parse_ratio("1.5").is_err());
        assert!(parse_ratio("many").is_err());
    }
}
