//! What `docker image rm` will do, said before it is done: the daemon untags a name while the
//! image has others, deletes the image with its last name unless a container uses it (a
//! stopped one only with force; a running one never: force then only untags), and refuses
//! by id while any container uses it (a stopped one gives way to force).

use crate::format::{human_size, plural, short_id};

/// The facts the daemon decides on, read from the listing when the dialog opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFacts {
    /// The image's id, and its name when removed by name (`None`: removed by id).
    pub id: String,
    pub name: Option<String>,
    pub size: i64,
    /// Names of this image other than the one removed.
    pub other_names: usize,
    pub running_users: Vec<String>,
    pub stopped_users: Vec<String>,
}

/// The daemon's answer, predicted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prediction {
    /// Only this name goes; the image stays.
    Untag { why: String },
    /// The image (and its name, if any) and its unused layers go.
    Delete,
    /// Nothing changes; the daemon says why.
    Refused { why: String },
}

/// "container web uses", "containers a, b use".
fn users(names: &[String]) -> String {
    match names {
        [one] => format!("container {one} uses"),
        many => format!("containers {} use", many.join(", ")),
    }
}

impl ImageFacts {
    pub fn predict(&self, force: bool) -> Prediction {
        let (running, stopped) = (&self.running_users, &self.stopped_users);
        let used = !running.is_empty() || !stopped.is_empty();
        if self.name.is_some() {
            if self.other_names > 0 {
                let names = plural(self.other_names, "other name", "other names");
                return Prediction::Untag {
                    why: format!("the image stays under its {names}"),
                };
            }
            if !used {
                return Prediction::Delete;
            }
            if !force {
                let all = [running.as_slice(), stopped.as_slice()].concat();
                return Prediction::Refused {
                    why: format!("{} it; force to go ahead", users(&all)),
                };
            }
            if !running.is_empty() {
                return Prediction::Untag {
                    why: format!(
                        "running {} it, so the image stays, untagged (<none>)",
                        users(running)
                    ),
                };
            }
            return Prediction::Delete;
        }
        if !running.is_empty() {
            return Prediction::Refused {
                why: format!("running {} it (even force cannot)", users(running)),
            };
        }
        if !stopped.is_empty() && !force {
            return Prediction::Refused {
                why: format!("stopped {} it; force to go ahead", users(stopped)),
            };
        }
        Prediction::Delete
    }

    /// The dialog's lines for the force setting shown.
    pub fn lines(&self, force: bool) -> Vec<String> {
        let id = short_id(&self.id);
        let subject = self.name.clone().unwrap_or_else(|| format!("image {id}"));
        let mut lines = vec![match self.predict(force) {
            Prediction::Untag { why } => format!("Untags {subject}: {why}."),
            Prediction::Delete => format!(
                "Deletes image {id} ({}) and its unused layers{}.",
                human_size(self.size),
                if self.name.is_some() {
                    ", with its last name"
                } else {
                    ""
                }
            ),
            Prediction::Refused { why } => format!("The daemon will refuse: {why}."),
        }];
        if !force && self.predict(true) != self.predict(false) {
            lines.push(match self.predict(true) {
                Prediction::Delete => "With force: deletes it.".to_string(),
                Prediction::Untag { .. } => "With force: only untags it.".to_string(),
                Prediction::Refused { .. } => String::new(),
            });
        }
        lines.retain(|l| !l.is_empty());
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(name: Option<&str>, other: usize, running: &[&str], stopped: &[&str]) -> ImageFacts {
        ImageFacts {
            id: "sha256:abcdef0123456789".into(),
            name: name.map(String::from),
            size: 1_000_000,
            other_names: other,
            running_users: running.iter().map(|s| s.to_string()).collect(),
            stopped_users: stopped.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn predicts_what_the_daemon_does() {
        use Prediction::*;
        let name = Some("busybox:1");
        assert!(matches!(
            facts(name, 1, &["web"], &[]).predict(false),
            Untag { .. }
        ));
        assert_eq!(facts(name, 0, &[], &[]).predict(false), Delete);
        assert!(matches!(
            facts(name, 0, &["web"], &[]).predict(false),
            Refused { .. }
        ));
        // The defect seen: force on the last name of an image a running container uses
        // only untags it.
        assert!(matches!(
            facts(name, 0, &["web"], &[]).predict(true),
            Untag { .. }
        ));
        assert_eq!(facts(name, 0, &[], &["old"]).predict(true), Delete);
        assert!(matches!(
            facts(None, 0, &["web"], &[]).predict(true),
            Refused { .. }
        ));
        assert!(matches!(
            facts(None, 0, &[], &["old"]).predict(false),
            Refused { .. }
        ));
        assert_eq!(facts(None, 0, &[], &["old"]).predict(true), Delete);
    }

    #[test]
    fn the_dialog_says_what_force_changes() {
        let f = facts(Some("busybox:1"), 0, &["web"], &[]);
        assert_eq!(
            f.lines(false),
            [
                "The daemon will refuse: container web uses it; force to go ahead.",
                "With force: only untags it."
            ]
        );
        assert_eq!(
            f.lines(true),
            [
                "Untags busybox:1: running container web uses it, so the image stays, untagged (<none>)."
            ]
        );
        let f = facts(Some("busybox:1"), 2, &[], &[]);
        assert_eq!(
            f.lines(false),
            ["Untags busybox:1: the image stays under its 2 other names."]
        );
    }
}
