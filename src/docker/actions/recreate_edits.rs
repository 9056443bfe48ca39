//! "Edit and recreate": the run form, filled from the container's inspect and changed, laid
//! over the configuration `u` would recreate it with. Only the fields the form changed
//! replace the old values, so what the form has no field for (and what it shows but was
//! left alone) stays exactly as `u` keeps it.

use bollard::models::{ContainerCreateBody, EndpointSettings};

use crate::run_spec::{RunField, RunSpec, VolumeMount, shell_quote};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edits {
    /// The form as submitted: its `docker run` line is shown whole.
    pub spec: RunSpec,
    /// The fields whose value differs from what the form was filled with.
    pub changed: Vec<RunField>,
    /// The volumes the form was filled with: those it no longer lists are unmounted.
    pub shown_volumes: Vec<VolumeMount>,
}

impl Edits {
    pub fn changes(&self, field: RunField) -> bool {
        self.changed.contains(&field)
    }

    /// The new container's name: the form's, or the old one's when the form leaves it empty.
    pub fn name(&self, old: &str) -> String {
        (self.spec.name.clone()).unwrap_or_else(|| old.to_string())
    }

    /// The body `u` would send, with the changed fields in place of the old values; the
    /// run form's own conversion ([`super::create_body`]) says what each field becomes.
    pub fn apply(
        &self,
        body: &mut ContainerCreateBody,
        more_networks: &mut Vec<(String, EndpointSettings)>,
    ) {
        let new = super::create_body(&self.spec);
        let new_host = new.host_config.clone().unwrap_or_default();
        for field in &self.changed {
            let host = body.host_config.get_or_insert_with(Default::default);
            match field {
                RunField::Image => body.image = Some(self.spec.image.to_string()),
                RunField::Name => {}
                RunField::Command => body.cmd = new.cmd.clone(),
                RunField::Tty => {
                    (body.tty, body.open_stdin) = (new.tty, new.open_stdin);
                    body.attach_stdin = new.attach_stdin;
                }
                RunField::AutoRemove => host.auto_remove = new_host.auto_remove,
                RunField::Env => body.env = new.env.clone(),
                RunField::Labels => body.labels = new.labels.clone(),
                RunField::Ports => {
                    host.port_bindings = new_host.port_bindings.clone();
                    // Exposing a port that is no longer published does no harm.
                    let mut exposed = body.exposed_ports.take().unwrap_or_default();
                    for p in new.exposed_ports.iter().flatten() {
                        if !exposed.contains(p) {
                            exposed.push(p.clone());
                        }
                    }
                    body.exposed_ports = (!exposed.is_empty()).then_some(exposed);
                }
                RunField::Volumes => host.binds = Some(self.binds(host.binds.take())),
                RunField::Restart => {
                    host.restart_policy = Some(super::edit::restart_policy(self.spec.restart));
                }
                RunField::Entrypoint => body.entrypoint = new.entrypoint.clone(),
                RunField::User => body.user = new.user.clone(),
                RunField::Workdir => body.working_dir = new.working_dir.clone(),
                RunField::Memory => {
                    host.memory = new_host.memory;
                    // The old swap limit may be below the new memory: the daemon's default.
                    host.memory_swap = None;
                }
                RunField::Cpus => host.nano_cpus = new_host.nano_cpus,
                RunField::Network => {
                    host.network_mode = new_host.network_mode.clone();
                    // Another network: none of the old ones' endpoints apply.
                    body.networking_config = None;
                    more_networks.clear();
                }
            }
        }
    }

    /// The old binds without those the form showed or now mounts over, then the form's.
    fn binds(&self, old: Option<Vec<String>>) -> Vec<String> {
        let targets: Vec<&str> = (self.shown_volumes.iter().chain(&self.spec.volumes))
            .map(|v| v.target.as_str())
            .collect();
        let kept = (old.into_iter().flatten())
            .filter(|b| !b.split(':').nth(1).is_some_and(|t| targets.contains(&t)));
        let new = self.spec.volumes.iter().map(|v| {
            let ro = if v.read_only { ":ro" } else { "" };
            format!("{}:{}{ro}", v.source, v.target)
        });
        kept.chain(new).collect()
    }

    /// The CLI lines that do the same: the old one stopped and set aside, the form's
    /// `docker run` (its env values left out when `redact`, for the log file), the old one
    /// removed.
    pub fn cli_lines(&self, old_name: &str, redact: bool) -> Vec<String> {
        let q = shell_quote;
        let aside = super::recreate::aside(old_name);
        let mut lines = Vec::new();
        if self.changes(RunField::Image) {
            lines.push(format!(
                "docker image pull {}",
                q(&self.spec.image.to_string())
            ));
        }
        lines.extend([
            format!("docker container stop {}", q(old_name)),
            format!("docker container rename {} {}", q(old_name), q(&aside)),
            if redact {
                self.spec.cli_redacted()
            } else {
                self.spec.cli()
            },
            format!("docker container rm {}", q(&aside)),
        ]);
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run_spec::RunFields;
    use bollard::models::HostConfig;

    fn spec(fields: RunFields) -> RunSpec {
        fields.parse().expect("a valid form")
    }

    fn fields() -> RunFields {
        RunFields {
            image: "127.0.0.1:5000/app:1".into(),
            name: "web".into(),
            command: "sleep 600".into(),
            env: "A=1".into(),
            ports: "127.0.0.1:8080:80".into(),
            volumes: "/srv:/srv:ro, data:/data".into(),
            restart: "always".into(),
            ..Default::default()
        }
    }

    fn old_body() -> ContainerCreateBody {
        ContainerCreateBody {
            image: Some("127.0.0.1:5000/app:1".into()),
            env: Some(vec!["A=1".into()]),
            cmd: Some(vec!["sleep".into(), "600".into()]),
            user: Some("nobody".into()),
            exposed_ports: Some(vec!["80/tcp".into()]),
            host_config: Some(HostConfig {
                binds: Some(vec![
                    "/srv:/srv:ro".into(),
                    "data:/data".into(),
                    "f00d:/cache".into(),
                ]),
                memory: Some(64 << 20),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn only_the_changed_fields_replace_the_old_configuration() {
        let before = spec(fields());
        let after = spec(RunFields {
            env: "A=2".into(),
            ports: "127.0.0.1:9090:80, 53/udp".into(),
            volumes: "/srv:/srv:ro, /tmp:/data".into(),
            ..fields()
        });
        let edits = Edits {
            spec: after,
            changed: vec![RunField::Env, RunField::Ports, RunField::Volumes],
            shown_volumes: before.volumes,
        };
        let mut body = old_body();
        let mut more = vec![("back".to_string(), EndpointSettings::default())];
        edits.apply(&mut body, &mut more);
        assert_eq!(body.env, Some(vec!["A=2".to_string()]));
        assert_eq!(
            body.user.as_deref(),
            Some("nobody"),
            "not in the form: kept"
        );
        assert_eq!(body.cmd, old_body().cmd, "shown, not changed: kept");
        let host = body.host_config.clone().unwrap_or_default();
        assert_eq!(host.memory, Some(64 << 20));
        assert_eq!(
            host.binds,
            Some(vec![
                "f00d:/cache".to_string(),
                "/srv:/srv:ro".to_string(),
                "/tmp:/data".to_string()
            ]),
            "the anonymous volume the form did not show stays"
        );
        let bindings = host.port_bindings.unwrap_or_default();
        let web = bindings["80/tcp"].clone().unwrap_or_default();
        assert_eq!(web[0].host_port.as_deref(), Some("9090"));
        let mut exposed = body.exposed_ports.unwrap_or_default();
        exposed.sort();
        assert_eq!(exposed, ["53/udp", "80/tcp"]);
        assert_eq!(more.len(), 1, "the networks were not changed");
    }

    #[test]
    fn a_new_network_drops_the_old_endpoints_and_the_cli_lines_end_with_run() {
        let edits = Edits {
            spec: spec(RunFields {
                network: "front".into(),
                name: "web2".into(),
                ..fields()
            }),
            changed: vec![RunField::Network, RunField::Name],
            shown_volumes: Vec::new(),
        };
        let mut body = old_body();
        let mut more = vec![("back".to_string(), EndpointSettings::default())];
        edits.apply(&mut body, &mut more);
        let host = body.host_config.unwrap_or_default();
        assert_eq!(host.network_mode.as_deref(), Some("front"));
        assert!(more.is_empty() && body.networking_config.is_none());
        assert_eq!(edits.name("web"), "web2");
        let lines = edits.cli_lines("web", false);
        assert_eq!(
            lines[0], "docker container stop web",
            "the image is not pulled"
        );
        assert!(lines[2].starts_with("docker container run -d --name web2 "));
        assert_eq!(lines[3], "docker container rm web-dockpit-old");
        let logged = edits.cli_lines("web", true).join(" ");
        assert!(
            logged.contains("-e 'A=…'") && !logged.contains("A=1"),
            "{logged}"
        );
    }
}
