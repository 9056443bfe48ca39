//! `.dockerignore` as the docker CLI reads and applies it: moby's `ignorefile.ReadAll`
//! (comments, trimming, `filepath.Clean`, a leading `/` dropped) and `patternmatcher`
//! (each pattern turned into a regular expression exactly as moby turns it, `**` and all;
//! the last pattern that matches a path or one of its parents decides).
//!
//! No maintained Rust crate implements these rules (checked 2026-12: `use-dockerignore`
//! 0.0.1 only classifies lines; `buildkit-rs-ignore` 0.1.0 only reads the file into a list;
//! `microvms-app`'s `IgnoreRules` passes moby's table but is a module of a microVM control
//! plane (tokio, zip, …) and reads ` # x` as a comment and keeps a BOM, as the CLI does not;
//! gitignore's crates differ: `*` never crosses `/` here, a pattern is anchored at the
//! context's root, `[^…]` negates); this is a line-by-line port of moby's code, checked
//! against moby's own test cases below.

use regex::Regex;

/// One pattern: the path it names (one without `*?[\\`, compared as text, as moby does)
/// or its regular expression, and whether it is an exception (`!`).
#[derive(Debug, Clone)]
struct Pattern {
    matcher: Matcher,
    exclusion: bool,
}

#[derive(Debug, Clone)]
enum Matcher {
    Exact(String),
    Regex(Regex),
}

impl Pattern {
    fn is_match(&self, path: &str) -> bool {
        match &self.matcher {
            Matcher::Exact(exact) => exact == path,
            Matcher::Regex(regex) => regex.is_match(path),
        }
    }
}

/// The patterns of a `.dockerignore`, in order.
#[derive(Debug, Clone, Default)]
pub struct Ignore {
    patterns: Vec<Pattern>,
}

impl Ignore {
    /// Parses a `.dockerignore`'s text; `keep` are paths the daemon needs whatever it says
    /// (the Dockerfile and the `.dockerignore` itself, as the CLI keeps them). A pattern
    /// Docker refuses is refused with its line.
    pub fn parse(text: &str, keep: &[&str]) -> Result<Self, String> {
        let mut lines = read_all(text);
        lines.extend(keep.iter().map(|k| format!("!{}", clean(k))));
        let mut patterns = Vec::new();
        for line in &lines {
            let line = clean(line.trim());
            let (exclusion, body) = match line.strip_prefix('!') {
                Some("") => return Err("illegal exclusion pattern: \"!\"".into()),
                Some(body) => (true, body),
                None => (false, line.as_str()),
            };
            let matcher =
                match body.contains(['*', '?', '[', '\\']) {
                    false => Matcher::Exact(body.to_string()),
                    true => Matcher::Regex(Regex::new(&to_regex(body)).map_err(|_| {
                        format!("{line:?} in .dockerignore: syntax error in pattern")
                    })?),
                };
            patterns.push(Pattern { matcher, exclusion });
        }
        Ok(Self { patterns })
    }

    /// Whether any pattern is an exception (`!…`): then an excluded folder is still walked,
    /// as one of its files may be let back in.
    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// Whether `path` (relative to the context, `/`-separated) is left out of the context:
    /// moby's `MatchesOrParentMatches`.
    pub fn excludes(&self, path: &str) -> bool {
        let parent = match path.rfind('/') {
            Some(at) => &path[..at],
            None => ".",
        };
        let dirs: Vec<&str> = parent.split('/').collect();
        let mut matched = false;
        for pattern in &self.patterns {
            // An exception only matters once excluded, an exclusion only before.
            if pattern.exclusion != matched {
                continue;
            }
            let mut hit = pattern.is_match(path);
            if !hit && parent != "." {
                hit = (1..=dirs.len()).any(|n| pattern.is_match(&dirs[..n].join("/")));
            }
            if hit {
                matched = !pattern.exclusion;
            }
        }
        matched
    }
}

/// moby's `ignorefile.ReadAll`: the patterns of a file's lines.
fn read_all(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for line in text.lines() {
        // A comment is a `#` in the first column, before any trimming.
        if line.starts_with('#') {
            continue;
        }
        let mut pattern = line.trim();
        if pattern.is_empty() {
            continue;
        }
        let invert = pattern.starts_with('!');
        if invert {
            pattern = pattern[1..].trim();
        }
        let mut pattern = pattern.to_string();
        if !pattern.is_empty() {
            pattern = clean(&pattern);
            if pattern.len() > 1 && pattern.starts_with('/') {
                pattern.remove(0);
            }
        }
        out.push(if invert {
            format!("!{pattern}")
        } else {
            pattern
        });
    }
    out
}

/// Go's `filepath.Clean` on `/`-separated paths: one `/` between names, no `.`, `..`
/// resolved lexically, no trailing `/`; empty is `.`.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                // `/..` is `/`; a relative path keeps its leading `..`.
                _ if rooted => {}
                _ => parts.push(".."),
            },
            name => parts.push(name),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// moby's `Pattern.compile`: `*` is anything but `/`, `?` one character but `/`, `**` any
/// number of folders (a trailing one, anything), `\` escapes; `.` and `$` are literal;
/// everything else passes to the regular expression as it is, as moby passes it.
fn to_regex(pattern: &str) -> String {
    let mut out = String::from("^");
    let mut chars = pattern.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if chars.peek() == Some(&'/') {
                    chars.next();
                }
                out.push_str(match chars.peek() {
                    None => ".*",
                    Some(_) => "(.*/)?",
                });
            }
            '*' => out.push_str("[^/]*"),
            '?' => out.push_str("[^/]"),
            '.' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            '\\' => {
                out.push('\\');
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            _ => out.push(ch),
        }
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excludes(patterns: &str, path: &str) -> bool {
        Ignore::parse(patterns, &[])
            .expect("patterns")
            .excludes(path)
    }

    /// moby/patternmatcher's `TestMatches` table (`MatchesOrParentMatches`), and Go's
    /// `filepath.Match` cases it keeps.
    #[test]
    fn moby_match_cases() {
        let cases = [
            ("**", "file", true),
            ("**", "file/", true),
            ("**/", "file", true),
            ("**/", "file/", true),
            ("**", "/", true),
            ("**/", "/", true),
            ("**", "dir/file", true),
            ("**/", "dir/file", true),
            ("**", "dir/file/", true),
            ("**/", "dir/file/", true),
            ("**/**", "dir/file", true),
            ("**/**", "dir/file/", true),
            ("dir/**", "dir/file", true),
            ("dir/**", "dir/file/", true),
            ("dir/**", "dir/dir2/file", true),
            ("dir/**", "dir/dir2/file/", true),
            ("**/dir", "dir", true),
            ("**/dir", "dir/file", true),
            ("**/dir2/*", "dir/dir2/file", true),
            ("**/dir2/*", "dir/dir2/file/", true),
            ("**/dir2/**", "dir/dir2/dir3/file", true),
            ("**/dir2/**", "dir/dir2/dir3/file/", true),
            ("**file", "file", true),
            ("**file", "dir/file", true),
            ("**/file", "dir/file", true),
            ("**file", "dir/dir/file", true),
            ("**/file", "dir/dir/file", true),
            ("**/file*", "dir/dir/file", true),
            ("**/file*", "dir/dir/file.txt", true),
            ("**/file*txt", "dir/dir/file.txt", true),
            ("**/file*.txt", "dir/dir/file.txt", true),
            ("**/file*.txt*", "dir/dir/file.txt", true),
            ("**/**/*.txt", "dir/dir/file.txt", true),
            ("**/**/*.txt2", "dir/dir/file.txt", false),
            ("**/*.txt", "file.txt", true),
            ("**/**/*.txt", "file.txt", true),
            ("a**/*.txt", "a/file.txt", true),
            ("a**/*.txt", "a/dir/file.txt", true),
            ("a**/*.txt", "a/dir/dir/file.txt", true),
            ("a/*.txt", "a/dir/file.txt", false),
            ("a/*.txt", "a/file.txt", true),
            ("a/*.txt**", "a/file.txt", true),
            ("a[b-d]e", "ae", false),
            ("a[b-d]e", "ace", true),
            ("a[b-d]e", "aae", false),
            ("a[^b-d]e", "aze", true),
            (".*", ".foo", true),
            (".*", "foo", false),
            ("abc.def", "abcdef", false),
            ("abc.def", "abc.def", true),
            ("abc.def", "abcZdef", false),
            ("abc?def", "abcZdef", true),
            ("abc?def", "abcdef", false),
            ("a\\\\", "a\\", true),
            ("**/foo/bar", "foo/bar", true),
            ("**/foo/bar", "dir/foo/bar", true),
            ("**/foo/bar", "dir/dir2/foo/bar", true),
            ("abc/**", "abc", false),
            ("abc/**", "abc/def", true),
            ("abc/**", "abc/def/ghi", true),
            ("**/.foo", ".foo", true),
            ("**/.foo", "bar.foo", false),
            ("a(b)c/def", "a(b)c/def", true),
            ("a(b)c/def", "a(b)c/xyz", false),
            ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
            (
                "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
                "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
                true,
            ),
            ("a\\*b", "a*b", true),
            // Go's filepath.Match cases moby keeps.
            ("a*/b", "a/c/b", false),
            ("a*b?c*x", "abxbbxdbxebxczzx", true),
            ("ab[^c]", "abc", false),
            ("a?b", "a☺b", true),
            ("[a-ζ]*", "α", true),
            ("a*b", "a/b", false),
            ("[\\]a]", "]", true),
            ("[x\\-]", "-", true),
            (
                "dist/*.whl",
                "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
                true,
            ),
        ];
        for (pattern, path, want) in cases {
            let got = Ignore::parse(pattern, &[])
                .map(|i| i.excludes(path))
                .unwrap_or(false);
            assert_eq!(got, want, "{pattern:?} on {path:?}");
        }
    }

    /// moby's `TestMatchesOrParentMatches` and the CLI's reading of the file.
    #[test]
    fn parents_exceptions_and_the_file_format() {
        assert!(excludes("fileutils.go", "fileutils.go"));
        assert!(!excludes("*.go", "."));
        assert!(excludes("!fileutils.go\n*.go", "fileutils.go"));
        assert!(!excludes("*.go\n!fileutils.go", "fileutils.go"));
        assert!(!excludes("**\n!util/docker/web", "util/docker/web/foo"));
        assert!(excludes(
            "**\n!util/docker/web\nutil/docker/web/foo",
            "util/docker/web/foo"
        ));
        assert!(!excludes("docs/*\n!docs/README.md", "docs/README.md"));
        assert!(excludes("docs", "docs/README.md"));
        assert!(excludes("docs", "docs/sub/deep.md"));
        assert!(!excludes("docs\n!docs/README.md", "docs/README.md"));
        assert!(excludes("docs\n!docs/README.md", "docs/other.md"));
        assert!(excludes(
            "*.md\n!README*.md\nREADME-secret.md",
            "README-secret.md"
        ));
        assert!(!excludes(
            "*.md\nREADME-secret.md\n!README*.md",
            "README-secret.md"
        ));
        assert!(excludes("*/temp*", "somedir/temporary.txt"));
        assert!(!excludes("*/temp*", "temporary.txt"));
        assert!(excludes("temp?", "tempa"));
        // Comments only in the first column; a leading `/` and `./` mean the root.
        assert!(!excludes("# big", "# big"));
        assert!(excludes(" # big", "# big"));
        assert!(excludes("/big", "big"));
        assert!(excludes("./big/", "big"));
        assert!(excludes("\u{feff}big", "big"));
        assert!(excludes("a/../big", "big"));
        // The Dockerfile and .dockerignore are sent whatever the file says.
        let ignore = Ignore::parse("*", &["Dockerfile", ".dockerignore"]).expect("parse");
        assert!(!ignore.excludes("Dockerfile"));
        assert!(!ignore.excludes(".dockerignore"));
        assert!(ignore.excludes("big"));
        assert!(Ignore::parse("!", &[]).is_err());
        assert!(Ignore::parse("a[", &[]).is_err());
    }

    #[test]
    fn clean_is_gos() {
        for (path, want) in [
            ("", "."),
            ("a//b/", "a/b"),
            ("./a/./b", "a/b"),
            ("a/../../b", "../b"),
            ("/../a", "/a"),
            ("/", "/"),
        ] {
            assert_eq!(clean(path), want, "{path:?}");
        }
    }
}
