//! A container edited in place: `m` its limits and restart policy (`docker update`, a form
//! filled from its inspect with the values as they are, of which only those changed are
//! sent), `n` its name (`docker rename`).

use super::App;
use super::dialog::{Dialog, Field, FieldId, Form, FormKind};
use crate::docker::actions::edit::Limits;
use crate::docker::{Op, Target};
use crate::run_spec::{RestartPolicy, cpus, memory};

/// The limits form's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitField {
    Memory,
    Cpus,
    Restart,
    Pids,
}

/// The limits form's hint line.
pub const HINT: &str = "Each field shows the value as it is now (docker inspect; empty: none \
     set); only those you change are sent, and one emptied is left as it is.";

/// The form's fields, in its order.
const FIELDS: [LimitField; 4] = [
    LimitField::Memory,
    LimitField::Cpus,
    LimitField::Restart,
    LimitField::Pids,
];

/// The values as inspect says they are, as the CLI writes them (`512m`, `1.5`,
/// `on-failure:3`, `100`), in [`FIELDS`]' order; empty: none set.
pub type Now = [String; 4];

/// A container's limits from its inspect, in the form's words.
pub fn now(inspect: &serde_json::Value) -> Now {
    use super::edit_recreate::{positive, restart};
    let host = &inspect["HostConfig"];
    [
        positive(&host["Memory"], crate::run_spec::memory_text),
        positive(&host["NanoCpus"], crate::run_spec::cpus_text),
        restart(&host["RestartPolicy"]),
        positive(&host["PidsLimit"], |n| n.to_string()),
    ]
}

impl Form {
    /// Filled with the values as they are: typing replaces one, and only those changed
    /// are sent.
    pub fn limits(container: Target, inspect: &serde_json::Value) -> Self {
        let now = now(inspect);
        let label = |field| match field {
            LimitField::Memory => "memory (256m, 1g)",
            LimitField::Cpus => "CPUs (0.5, 2)",
            LimitField::Restart => "restart (no|always|unless-stopped|on-failure[:N])",
            LimitField::Pids => "pids limit (100, -1 unlimited)",
        };
        let fields = (FIELDS.iter().zip(&now))
            .map(|(&f, value)| Field::text(FieldId::Limit(f), label(f), value.as_str()))
            .collect();
        let now = Box::new(now);
        Self::with(FormKind::Limits { container, now }, fields)
    }

    pub fn rename(container: Target) -> Self {
        let name = container.name.clone();
        let fields = vec![Field::text(FieldId::Name, "new name", name)];
        Self::with(FormKind::Rename { container }, fields)
    }

    /// The `docker update` the limits form describes, or the field at fault and why.
    pub(super) fn limits_op(&self, container: &Target, now: &Now) -> Result<Op, (usize, String)> {
        // A field left empty or as it was changes nothing.
        let text = |f: LimitField| match self.text(FieldId::Limit(f)).trim() {
            t if t == now[f as usize] => "",
            t => t,
        };
        let at = |f| self.position(FieldId::Limit(f)).unwrap_or(0);
        let optional = |f, parse: fn(&str) -> Result<i64, String>| match text(f) {
            "" => Ok(None),
            t => parse(t).map(Some).map_err(|e| (at(f), e)),
        };
        let limits = Limits {
            memory: optional(LimitField::Memory, memory)?,
            nano_cpus: optional(LimitField::Cpus, cpus)?,
            restart: match text(LimitField::Restart) {
                "" => None,
                t => Some(RestartPolicy::parse(t).map_err(|e| (at(LimitField::Restart), e))?),
            },
            pids: optional(LimitField::Pids, pids)?,
        };
        if limits.is_empty() {
            return Err((
                0,
                "change at least one value (each shows it as it is)".into(),
            ));
        }
        Ok(Op::Update {
            target: container.clone(),
            limits,
        })
    }

    pub(super) fn rename_op(&self, container: &Target) -> Result<Op, (usize, String)> {
        rename_op(container, self.text(FieldId::Name)).map_err(|e| (0, e))
    }
}

/// `docker rename` of `container` to `name` (typed: trimmed), or why not.
fn rename_op(container: &Target, name: &str) -> Result<Op, String> {
    let name = name.trim();
    check_name(name)?;
    if name == container.name {
        return Err("type a new name".into());
    }
    Ok(Op::Rename {
        target: container.clone(),
        name: name.into(),
    })
}

/// A container name as the daemon accepts it: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
pub fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    match chars.next() {
        None => Err("type a name".into()),
        Some(c) if !c.is_ascii_alphanumeric() => {
            Err(format!("{name:?}: a name starts with a letter or digit"))
        }
        _ if chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) => Ok(()),
        _ => Err(format!("{name:?}: letters, digits, '_', '.' and '-' only")),
    }
}

/// A pids limit: a positive count, or -1 for none.
pub fn pids(text: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(n) if n > 0 || n == -1 => Ok(n),
        _ => Err(format!(
            "{text:?} is not a pids limit: a count, or -1 for none"
        )),
    }
}

impl App {
    /// `m` (its inspect first, to fill the form with) or `n` on the selected container.
    pub(super) fn open_edit(&mut self, rename: bool) -> Vec<super::effects::Routed> {
        let Some(row) = self.container_or_refuse() else {
            return Vec::new();
        };
        let target = Target::from(&row);
        if !rename {
            return self.read_settings(target, super::edit_recreate::Filling::Limits);
        }
        self.open(row.host, Dialog::Form(Form::rename(target)));
        Vec::new()
    }

    /// `:rename NEW`: the selected container renamed at once (the typed line says all a
    /// form would); a bad name is refused and nothing changes.
    pub(super) fn rename_to(&mut self, name: &str) -> Vec<super::effects::Routed> {
        let Some(row) = self.container_or_refuse() else {
            return Vec::new();
        };
        match rename_op(&Target::from(&row), name) {
            Ok(op) => self.submit(vec![op]),
            Err(why) => {
                self.activity.refuse(format!("{}: {why}", row.name));
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Form {
        fn set_text(&mut self, id: FieldId, value: &str) {
            for field in &mut self.fields {
                if let Field::Text { id: at, input, .. } = field
                    && *at == id
                {
                    *input = crate::app::text_input::TextInput::new(value);
                }
            }
        }
    }

    #[test]
    fn sizes_counts_and_names_are_read_as_the_cli_reads_them() {
        assert_eq!(memory("256m"), Ok(256 << 20));
        assert_eq!(memory("1G"), Ok(1 << 30));
        assert_eq!(memory("64mb"), Ok(64 << 20));
        assert!(memory("1k").is_err(), "under the daemon's floor");
        assert!(memory("lots").is_err());
        assert_eq!(cpus("0.5"), Ok(500_000_000));
        assert!(cpus("-1").is_err());
        assert_eq!(pids("-1"), Ok(-1));
        assert!(pids("0").is_err());
        assert!(check_name("web-2.a_b").is_ok());
        assert!(check_name("-web").is_err());
        assert!(check_name("we b").is_err());
    }

    #[test]
    fn the_limits_form_changes_only_what_is_typed() {
        let web = Target {
            id: "abc".into(),
            name: "web".into(),
        };
        let inspect = serde_json::json!({"HostConfig": {
            "Memory": 536870912, "NanoCpus": 1500000000, "PidsLimit": null,
            "RestartPolicy": {"Name": "always", "MaximumRetryCount": 0}
        }});
        let now = now(&inspect);
        assert_eq!(now, ["512m", "1.5", "always", ""].map(String::from));
        let mut form = Form::limits(web.clone(), &inspect);
        let texts: Vec<&str> = FIELDS
            .iter()
            .map(|&f| form.text(FieldId::Limit(f)))
            .collect();
        assert_eq!(
            texts,
            ["512m", "1.5", "always", ""],
            "the values as they are"
        );
        assert!(form.limits_op(&web, &now).is_err(), "nothing changed");
        form.set_text(FieldId::Limit(LimitField::Cpus), "");
        assert!(form.limits_op(&web, &now).is_err(), "emptied: as it is");
        form.set_text(FieldId::Limit(LimitField::Memory), "128m");
        form.set_text(FieldId::Limit(LimitField::Restart), "on-failure:2");
        let op = form.limits_op(&web, &now).expect("an update");
        assert_eq!(
            op.cli(),
            "docker container update --memory 134217728 --memory-swap 268435456 --restart on-failure:2 web"
        );
        form.set_text(FieldId::Limit(LimitField::Cpus), "many");
        assert_eq!(
            form.limits_op(&web, &now).map_err(|e| e.0),
            Err(1),
            "the field at fault"
        );
        let mut rename = Form::rename(web.clone());
        assert!(rename.rename_op(&web).is_err(), "the same name");
        rename.set_text(FieldId::Name, "web2");
        assert_eq!(
            rename.rename_op(&web).map(|op| op.cli()),
            Ok("docker container rename web web2".into())
        );
    }
}
