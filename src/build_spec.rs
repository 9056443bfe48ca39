//! The build form's fields, parsed: what `docker build` would be given, and its CLI line.
//! Pure: whether the folder and the Dockerfile exist is checked where the context is read.

use std::path::PathBuf;

use crate::reference::{self, Reference};
use crate::run_spec::shell_quote;

/// A build, as the form describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BuildSpec {
    /// The context folder on this machine.
    pub context: PathBuf,
    /// The Dockerfile, relative to the context (`Dockerfile` by default).
    pub dockerfile: String,
    pub tags: Vec<Reference>,
    /// `--build-arg KEY=VALUE`, in order.
    pub args: Vec<(String, String)>,
    pub target: String,
    pub platform: String,
    pub no_cache: bool,
    pub pull: bool,
    pub labels: Vec<(String, String)>,
    /// The user agreed to send a context over [`LARGE_CONTEXT`].
    pub large_ok: bool,
}

/// A context over this many bytes is asked about first.
pub const LARGE_CONTEXT: u64 = 1 << 30;

/// The form's text, field by field.
#[derive(Debug, Clone, Default)]
pub struct BuildFields {
    pub context: String,
    pub dockerfile: String,
    pub tags: String,
    pub args: String,
    pub target: String,
    pub platform: String,
    pub no_cache: bool,
    pub pull: bool,
    pub labels: String,
}

/// Which field is at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuildField {
    Context,
    Dockerfile,
    Tags,
    Args,
    Target,
    Platform,
    NoCache,
    Pull,
    Labels,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildFieldError {
    pub field: BuildField,
    pub message: String,
}

fn fault(field: BuildField, message: impl Into<String>) -> BuildFieldError {
    BuildFieldError {
        field,
        message: message.into(),
    }
}

/// Tags: split on commas, spaces and new lines.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ' ', '\n']).filter(|w| !w.is_empty())
}

/// `KEY=VALUE` items, split on commas and new lines as the run form's labels are (a value
/// may hold spaces).
fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
}

impl BuildFields {
    pub fn parse(&self) -> Result<BuildSpec, BuildFieldError> {
        let context = self.context.trim();
        if context.is_empty() {
            return Err(fault(BuildField::Context, "type the context folder"));
        }
        let dockerfile = match self.dockerfile.trim() {
            "" => "Dockerfile".to_string(),
            d if d.starts_with('/') || d.split('/').any(|p| p == "..") => {
                return Err(fault(
                    BuildField::Dockerfile,
                    format!("{d:?}: the Dockerfile is a path inside the context"),
                ));
            }
            d => d.to_string(),
        };
        let mut tags = Vec::new();
        for word in words(&self.tags) {
            let tag = reference::parse(word)
                .map_err(|e| fault(BuildField::Tags, format!("{word:?}: {e}")))?;
            if tag.digest.is_some() {
                return Err(fault(
                    BuildField::Tags,
                    format!("{word:?}: a tag, not a digest"),
                ));
            }
            tags.push(tag);
        }
        let args = pairs(&self.args, "a build arg").map_err(|m| fault(BuildField::Args, m))?;
        let labels = pairs(&self.labels, "a label").map_err(|m| fault(BuildField::Labels, m))?;
        let target = self.target.trim().to_string();
        if target.contains(char::is_whitespace) {
            return Err(fault(BuildField::Target, "a target is one stage's name"));
        }
        let platform = self.platform.trim().to_string();
        if !platform.is_empty() && !platform.contains('/') {
            return Err(fault(
                BuildField::Platform,
                format!("{platform:?}: a platform is OS/ARCH (linux/amd64)"),
            ));
        }
        Ok(BuildSpec {
            context: PathBuf::from(context),
            dockerfile,
            tags,
            args,
            target,
            platform,
            no_cache: self.no_cache,
            pull: self.pull,
            labels,
            large_ok: false,
        })
    }
}

/// `KEY=VALUE` words (a value may be empty, as `--build-arg` allows); one without `=` is
/// refused.
fn pairs(text: &str, what: &str) -> Result<Vec<(String, String)>, String> {
    items(text)
        .map(|w| match w.split_once('=') {
            Some(("", _)) => Err(format!("{w:?}: {what} needs a name before =")),
            Some((k, v)) => Ok((k.to_string(), v.to_string())),
            None => Err(format!("{w:?}: {what} is KEY=VALUE")),
        })
        .collect()
}

impl BuildSpec {
    /// The `docker build` line that does the same.
    pub fn cli(&self) -> String {
        self.line(false)
    }

    /// [`Self::cli`] for the log file: build args' values left out (they may hold tokens).
    pub fn cli_redacted(&self) -> String {
        self.line(true)
    }

    fn line(&self, redacted: bool) -> String {
        let q = |s: &str| shell_quote(s);
        let mut line = String::from("docker build");
        for tag in &self.tags {
            line.push_str(&format!(" --tag {tag}"));
        }
        if self.dockerfile != "Dockerfile" {
            let path = self.context.join(&self.dockerfile);
            line.push_str(&format!(" --file {}", q(&path.to_string_lossy())));
        }
        for (k, v) in &self.args {
            let arg = match redacted {
                true => crate::run_spec::redacted_env(&format!("{k}={v}")),
                false => format!("{k}={v}"),
            };
            line.push_str(&format!(" --build-arg {}", q(&arg)));
        }
        for (k, v) in &self.labels {
            line.push_str(&format!(" --label {}", q(&format!("{k}={v}"))));
        }
        if !self.target.is_empty() {
            line.push_str(&format!(" --target {}", q(&self.target)));
        }
        if !self.platform.is_empty() {
            line.push_str(&format!(" --platform {}", q(&self.platform)));
        }
        if self.no_cache {
            line.push_str(" --no-cache");
        }
        if self.pull {
            line.push_str(" --pull");
        }
        format!("{line} {}", q(&self.context.to_string_lossy()))
    }

    /// What the builds view and messages call it: its first tag, else its folder.
    pub fn title(&self) -> String {
        match self.tags.first() {
            Some(tag) => tag.to_string(),
            None => self.context.to_string_lossy().into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(context: &str) -> BuildFields {
        BuildFields {
            context: context.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_full_form_is_the_docker_build_line() {
        let spec = BuildFields {
            dockerfile: "build/Dockerfile.dev".into(),
            tags: "app:1, registry.local:5000/app:dev".into(),
            args: "VERSION=1.2\nEMPTY=, MSG=hello world".into(),
            target: "runtime".into(),
            platform: "linux/amd64".into(),
            no_cache: true,
            pull: true,
            labels: "team=web".into(),
            ..fields("./src app")
        }
        .parse()
        .expect("valid");
        assert_eq!(
            spec.cli(),
            "docker build --tag app:1 --tag registry.local:5000/app:dev \
             --file './src app/build/Dockerfile.dev' --build-arg VERSION=1.2 --build-arg EMPTY= --build-arg 'MSG=hello world' \
             --label team=web --target runtime --platform linux/amd64 --no-cache --pull './src app'"
        );
        assert_eq!(fields(".").parse().expect("valid").cli(), "docker build .");
    }

    #[test]
    fn bad_input_names_its_field() {
        let err = |f: BuildFields| f.parse().expect_err("refused");
        assert_eq!(err(fields(" ")).field, BuildField::Context);
        let e = err(BuildFields {
            tags: "app:1 Bad:Tag".into(),
            ..fields(".")
        });
        assert_eq!(e.field, BuildField::Tags);
        assert!(e.message.contains("Bad:Tag"), "{}", e.message);
        let e = err(BuildFields {
            args: "VERSION".into(),
            ..fields(".")
        });
        assert_eq!(
            (e.field, e.message.as_str()),
            (BuildField::Args, "\"VERSION\": a build arg is KEY=VALUE")
        );
        let e = err(BuildFields {
            dockerfile: "../Dockerfile".into(),
            ..fields(".")
        });
        assert_eq!(e.field, BuildField::Dockerfile);
        let e = err(BuildFields {
            platform: "amd64".into(),
            ..fields(".")
        });
        assert_eq!(e.field, BuildField::Platform);
        let e = err(BuildFields {
            labels: "=x".into(),
            ..fields(".")
        });
        assert_eq!(e.field, BuildField::Labels);
    }
}
