//! A container edited in place: `m` its limits and restart policy (`docker update`, a form
//! whose empty fields leave the value as it is), `n` its name (`docker rename`).

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

impl Form {
    pub fn limits(container: Target) -> Self {
        let field = |id, label| Field::text(FieldId::Limit(id), label, "");
        let fields = vec![
            field(LimitField::Memory, "memory (256m, 1g; empty: as it is)"),
            field(LimitField::Cpus, "CPUs (0.5, 2; empty: as it is)"),
            field(
                LimitField::Restart,
                "restart (no|always|unless-stopped|on-failure[:N]; empty: as it is)",
            ),
            field(
                LimitField::Pids,
                "pids limit (100, -1 unlimited; empty: as it is)",
            ),
        ];
        Self::with(FormKind::Limits { container }, fields)
    }

    pub fn rename(container: Target) -> Self {
        let name = container.name.clone();
        let fields = vec![Field::text(FieldId::Name, "new name", name)];
        Self::with(FormKind::Rename { container }, fields)
    }

    /// The `docker update` the limits form describes, or the field at fault and why.
    pub(super) fn limits_op(&self, container: &Target) -> Result<Op, (usize, String)> {
        let text = |f| self.text(FieldId::Limit(f)).trim();
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
            return Err((0, "change at least one value".into()));
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
    /// `m` or `n` on the selected container.
    pub(super) fn open_edit(&mut self, rename: bool) -> Vec<super::effects::Routed> {
        let Some(row) = self.container_or_refuse() else {
            return Vec::new();
        };
        let target = Target::from(&row);
        let form = match rename {
            true => Form::rename(target),
            false => Form::limits(target),
        };
        self.open(row.host, Dialog::Form(form));
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
        let mut form = Form::limits(web.clone());
        assert!(form.limits_op(&web).is_err(), "nothing typed");
        form.set_text(FieldId::Limit(LimitField::Memory), "128m");
        form.set_text(FieldId::Limit(LimitField::Restart), "on-failure:2");
        let op = form.limits_op(&web).expect("an update");
        assert_eq!(
            op.cli(),
            "docker container update --memory 134217728 --memory-swap 268435456 --restart on-failure:2 web"
        );
        form.set_text(FieldId::Limit(LimitField::Cpus), "many");
        assert_eq!(
            form.limits_op(&web).map_err(|e| e.0),
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
