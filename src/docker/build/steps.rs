//! The classic builder's progress stream read as steps: its `stream` text cut into lines
//! (a line may come in pieces), each line classified (`Step 2/7 : RUN …`, `---> Using
//! cache`, the step's image, the command's own output), and each step's Dockerfile line.

use std::time::Duration;

/// What a build reports, as the builds view needs it; `at` is the time since the build's
/// request went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildProgress {
    /// The context's bytes sent so far; `done` once the last went.
    Context { bytes: u64, done: bool },
    /// Over [`crate::build_spec::LARGE_CONTEXT`]: not sent, the user is asked first.
    Large { bytes: u64 },
    Step {
        number: usize,
        total: usize,
        instruction: String,
        /// Its line in the Dockerfile (1-based), when found.
        line: Option<usize>,
        at: Duration,
    },
    /// The current step came from the cache.
    Cached,
    /// A line the current step's command printed.
    Output(String),
    /// The current step made its image.
    StepDone { at: Duration },
    /// The build failed: the daemon's words and the command's exit code.
    Failed {
        message: String,
        code: Option<i64>,
        at: Duration,
    },
    /// The image built.
    Built { id: String },
}

/// One line of the classic builder's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classic {
    Step {
        number: usize,
        total: usize,
        instruction: String,
    },
    Cached,
    /// ` ---> 3f1c…`: the step's image (and its end).
    StepImage,
    /// `Running in …`, `Removed intermediate container …`: the builder's own chatter.
    Chatter,
    Built(String),
    Output(String),
}

/// Classifies one line (Docker's `Step 2/7 : …`, and Podman's `STEP 2/7: …`).
pub fn classify(line: &str) -> Classic {
    if let Some(step) = step(line) {
        return step;
    }
    let trimmed = line.trim();
    if let Some(rest) = trimmed.strip_prefix("---> ") {
        return match rest.trim() {
            "Using cache" => Classic::Cached,
            r if r.starts_with("Running in ") || r.starts_with("Removed intermediate") => {
                Classic::Chatter
            }
            r if !r.contains(' ') => Classic::StepImage,
            _ => Classic::Output(line.to_string()),
        };
    }
    if trimmed.starts_with("Removing intermediate container ") {
        return Classic::Chatter;
    }
    if let Some(id) = trimmed.strip_prefix("Successfully built ") {
        return Classic::Built(id.trim().to_string());
    }
    if trimmed.starts_with("Successfully tagged ") {
        return Classic::Chatter;
    }
    Classic::Output(line.to_string())
}

fn step(line: &str) -> Option<Classic> {
    let rest = line
        .strip_prefix("Step ")
        .or_else(|| line.strip_prefix("STEP "))?;
    let (counts, instruction) = rest.split_once(':')?;
    let (number, total) = counts.trim().split_once('/')?;
    Some(Classic::Step {
        number: number.parse().ok()?,
        total: total.parse().ok()?,
        instruction: instruction.trim().to_string(),
    })
}

/// The stream's text cut into whole lines.
#[derive(Debug, Default)]
pub struct Lines {
    partial: String,
}

/// A line longer than this is cut (a command may print megabytes without a newline).
const LINE_MAX: usize = 16 * 1024;

impl Lines {
    pub fn feed(&mut self, text: &str) -> Vec<String> {
        self.partial.push_str(text);
        let mut out = Vec::new();
        while let Some(at) = self.partial.find('\n') {
            let line: String = self.partial.drain(..=at).collect();
            out.push(line.trim_end_matches(['\n', '\r']).to_string());
        }
        if self.partial.len() > LINE_MAX {
            out.push(crate::format::cut(
                &std::mem::take(&mut self.partial),
                LINE_MAX,
            ));
        }
        out
    }

    /// What is left once the stream ended.
    pub fn rest(&mut self) -> Option<String> {
        let rest = std::mem::take(&mut self.partial);
        (!rest.is_empty()).then_some(rest)
    }
}

/// The line (1-based) each instruction of a Dockerfile starts on, in order: comments,
/// blank lines and the lines a `\` continues are not instructions. (The classic builder
/// counts `Step N` over these.)
pub fn instruction_lines(dockerfile: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut continued = false;
    for (i, line) in dockerfile.lines().enumerate() {
        let trimmed = line.trim();
        let comment = trimmed.starts_with('#');
        if !continued && !trimmed.is_empty() && !comment {
            out.push(i + 1);
        }
        if !comment && !trimmed.is_empty() {
            continued = trimmed.ends_with('\\');
        }
    }
    out
}

/// "The command '/bin/sh -c exit 3' returned a non-zero code: 3": the code.
pub fn exit_code(message: &str) -> Option<i64> {
    let (_, code) = message.rsplit_once("non-zero code: ")?;
    code.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_lines_are_classified() {
        assert_eq!(
            classify("Step 3/7 : RUN echo hi $X"),
            Classic::Step {
                number: 3,
                total: 7,
                instruction: "RUN echo hi $X".into()
            }
        );
        assert!(matches!(
            classify("STEP 1/2: FROM busybox"),
            Classic::Step { number: 1, .. }
        ));
        assert_eq!(classify(" ---> Using cache"), Classic::Cached);
        assert_eq!(classify(" ---> Running in fed48c7a3b34"), Classic::Chatter);
        assert_eq!(
            classify(" ---> Removed intermediate container fed48c7a3b34"),
            Classic::Chatter
        );
        assert_eq!(classify(" ---> fe8f3e88ec61"), Classic::StepImage);
        assert_eq!(
            classify("Successfully built fe8f3e88ec61"),
            Classic::Built("fe8f3e88ec61".into())
        );
        assert_eq!(classify("hi 1"), Classic::Output("hi 1".into()));
        assert_eq!(classify("Step up"), Classic::Output("Step up".into()));
    }

    #[test]
    fn lines_come_whole_however_the_stream_cuts_them() {
        let mut lines = Lines::default();
        assert_eq!(lines.feed("Step 1/4 : FROM x"), Vec::<String>::new());
        assert_eq!(lines.feed("\n"), vec!["Step 1/4 : FROM x"]);
        assert_eq!(lines.feed("a\r\nb\nc"), vec!["a", "b"]);
        assert_eq!(lines.rest().as_deref(), Some("c"));
        assert_eq!(lines.rest(), None);
    }

    #[test]
    fn each_instruction_has_its_line() {
        let dockerfile = "# syntax\nFROM busybox AS base\n\nARG X=1\nRUN echo a \\\n  && echo b\n# note\nCOPY f /f\n";
        assert_eq!(instruction_lines(dockerfile), vec![2, 4, 5, 8]);
        assert_eq!(
            exit_code("The command '/bin/sh -c exit 3' returned a non-zero code: 3"),
            Some(3)
        );
        assert_eq!(exit_code("no such image"), None);
    }
}
