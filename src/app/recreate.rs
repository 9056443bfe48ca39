//! `u` in the containers pane: recreate the selected (or marked) containers with the latest
//! image of their name, after a question that shows the digests before and after and the
//! docker CLI lines. A Compose service's container goes through its project instead
//! (`docker compose up -d --pull always SERVICE`, in a terminal tab as a command's).

use super::App;
use super::dialog::{Confirm, ConfirmKind, Dialog};
use super::updates::Mark;
use crate::custom::Invocation;
use crate::docker::compose::Compose;
use crate::docker::{ContainerRow, Op, Target};
use crate::format::short_id;

impl App {
    pub(super) fn ask_recreate(&mut self) -> Vec<super::effects::Routed> {
        let Some(targets) = self.targets() else {
            return Vec::new();
        };
        let rows: Vec<ContainerRow> = (self.containers.rows())
            .filter(|c| targets.iter().any(|t| t.id == c.id))
            .cloned()
            .collect();
        if let [row] = rows.as_slice()
            && let Some(compose) = row.compose.clone()
        {
            self.ask_compose_up(row, &compose);
            return Vec::new();
        }
        let mut ops = Vec::new();
        let mut lines = Vec::new();
        let mut skipped = Vec::new();
        for row in &rows {
            let label = self.label(&Target::from(row));
            if row.compose.is_some() {
                skipped.push(format!(
                    "{label} (a Compose service: {{recreate}} on it alone)"
                ));
                continue;
            }
            if crate::docker::updates::target_name(&row.image).is_none() {
                skipped.push(format!("{label} (its image has no name to pull)"));
                continue;
            }
            let pull = !self.built_here(row);
            lines.push(format!("{label}: {}", row.image));
            lines.push(format!("  {}", self.image_line(row, pull)));
            ops.push(Op::Recreate {
                target: Target::from(row),
                image: row.image.clone(),
                pull,
                edits: None,
            });
        }
        let Some(first) = rows.iter().find(|r| {
            ops.iter()
                .any(|op| op.container().is_some_and(|t| t.id == r.id))
        }) else {
            let why = skipped.join(", ");
            self.activity
                .refuse(self.keymap.fill(&format!("nothing to recreate: {why}")));
            return Vec::new();
        };
        if !skipped.is_empty() {
            let skipped = self.keymap.fill(&skipped.join(", "));
            lines.push(format!("Skipped: {skipped}."));
        }
        lines.push(
            "The old container is removed only once the new one runs (healthy, with a health check); otherwise it is put back."
                .into(),
        );
        let title = title(&ops, &first.name);
        // One container: its settings may be edited first.
        let (one, choices) = match ops.as_slice() {
            [Op::Recreate { target, .. }] => (
                Some(target.clone()),
                vec![super::dialog::Choice {
                    key: 'e',
                    label: "edit it in the run form first (no pull unless its image changes)",
                    on: false,
                }],
            ),
            _ => (None, Vec::new()),
        };
        let confirm = Confirm {
            choices,
            ..Confirm::new(title, ConfirmKind::Recreate(ops, one), lines)
        };
        self.open(first.host, Dialog::Confirm(confirm));
        Vec::new()
    }

    /// Whether the container's image has no registry copy: its row in the images pane has
    /// no digest of its name's repository (or a check found none). `docker pull` of it
    /// would fail or fetch another image of that name.
    fn built_here(&self, row: &ContainerRow) -> bool {
        let Some(name) = crate::docker::updates::target_name(&row.image) else {
            return false;
        };
        // A name with a registry's host (`127.0.0.1:5000/app:1`) is that registry's: its
        // copy may be there though none was pulled here (an image tagged, then a newer one
        // pushed), and `docker pull` of it says if it is not.
        if crate::reference::parse(&name).is_ok_and(|r| r.domain.is_some()) {
            return false;
        }
        let mark = self.updates.mark(row.host, &row.image_id, &row.image);
        matches!(mark, Some(Mark::Local))
            || (self.images.rows()).any(|i| {
                i.host == row.host
                    && i.id == row.image_id
                    && i.name().as_deref() == Some(name.as_str())
                    && !i.registry_copy
            })
    }

    /// What the new container's image will be: the registry's (pulled first), or the
    /// local one as it is.
    fn image_line(&self, row: &ContainerRow, pull: bool) -> String {
        match pull {
            true => self.digests(row),
            false => format!(
                "built or tagged here: {} has no registry copy (no RepoDigests), so nothing is pulled; the new container uses the local image {} as it is",
                row.image,
                short_id(&row.image_id)
            ),
        }
    }

    /// "image sha256:… now; the registry's: sha256:…" as far as dockpit knows.
    fn digests(&self, row: &ContainerRow) -> String {
        let before = format!("before: image {}", short_id(&row.image_id));
        let after = match self.updates.mark(row.host, &row.image_id, &row.image) {
            Some(Mark::Newer { digest, .. }) => {
                format!("after: the registry's {}", short_id(digest))
            }
            Some(Mark::Current) => "after: the same (the registry names this image)".into(),
            _ => "after: whatever the registry names now (pulled first)".into(),
        };
        format!("{before} → {after}")
    }

    /// A Compose service's container: its project brings it up again with a fresh pull, in
    /// a terminal tab, after a question naming the command.
    fn ask_compose_up(&mut self, row: &ContainerRow, compose: &Compose) {
        let env = self.host(row.host).map(|h| h.spec.docker_env.clone());
        let call = compose_up(compose, env.unwrap_or_default());
        let line = crate::run_spec::join_command(&call.argv);
        let confirm = Confirm::new(
            format!(" Recreate {} through its Compose project? ", row.name),
            ConfirmKind::CustomTab(Target::from(row), call),
            vec![
                format!("{}: {}", row.name, row.image),
                format!("  {}", self.digests(row)),
                String::new(),
                format!("$ {line}"),
            ],
        );
        self.open(row.host, Dialog::Confirm(confirm));
    }
}

/// "Recreate web with the latest image?", or "from its local image" when nothing is pulled.
fn title(ops: &[Op], first: &str) -> String {
    let from = match (ops.iter()).any(|op| matches!(op, Op::Recreate { pull: true, .. })) {
        true => "with the latest image",
        false if ops.len() == 1 => "from its local image",
        false => "from their local images",
    };
    match ops.len() {
        1 => format!(" Recreate {first} {from}? "),
        n => format!(" Recreate {n} containers {from}? "),
    }
}

/// `docker compose … up -d --pull always SERVICE` for the project a container's labels name.
pub fn compose_up(compose: &Compose, env: Vec<(String, String)>) -> Invocation {
    let mut argv: Vec<String> = ["docker", "compose", "--project-name", &compose.project]
        .map(String::from)
        .to_vec();
    if !compose.working_dir.is_empty() {
        argv.extend(["--project-directory".into(), compose.working_dir.clone()]);
    }
    for file in compose.config_files.split(',').filter(|f| !f.is_empty()) {
        argv.extend(["--file".into(), file.to_string()]);
    }
    argv.extend(["up", "-d", "--pull", "always"].map(String::from));
    argv.push(compose.service.clone());
    Invocation {
        name: format!("compose up {}", compose.service),
        argv,
        env,
    }
}
