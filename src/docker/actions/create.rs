//! The run form, turned into the body of a create-container request: pure, so it is tested
//! without a daemon.

use std::collections::HashMap;

use bollard::models::{
    ContainerCreateBody, HostConfig, PortBinding, RestartPolicy as ApiRestart,
    RestartPolicyNameEnum,
};

use crate::run_spec::{RestartPolicy, RunSpec};

/// What `docker container create` sends for this spec.
pub fn body(spec: &RunSpec) -> ContainerCreateBody {
    let image = spec.image.normalized();
    let mut bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
    for p in &spec.ports {
        bindings
            .entry(format!("{}/{}", p.container_port, p.protocol))
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(PortBinding {
                host_ip: p.host_ip.clone(),
                host_port: p.host_port.map(|n| n.to_string()),
            });
    }
    let exposed: Vec<String> = bindings.keys().cloned().collect();
    let restart = match spec.restart {
        RestartPolicy::No => None,
        policy => Some(ApiRestart {
            name: Some(match policy {
                RestartPolicy::Always => RestartPolicyNameEnum::ALWAYS,
                RestartPolicy::UnlessStopped => RestartPolicyNameEnum::UNLESS_STOPPED,
                _ => RestartPolicyNameEnum::ON_FAILURE,
            }),
            maximum_retry_count: match policy {
                RestartPolicy::OnFailure(n) => Some(i64::from(n)),
                _ => None,
            },
        }),
    };
    let binds: Vec<String> = spec
        .volumes
        .iter()
        .map(|v| {
            let ro = if v.read_only { ":ro" } else { "" };
            format!("{}:{}{ro}", v.source, v.target)
        })
        .collect();
    ContainerCreateBody {
        image: Some(image.clone()),
        cmd: (!spec.command.is_empty()).then(|| spec.command.clone()),
        env: (!spec.env.is_empty()).then(|| spec.env.clone()),
        labels: (!spec.labels.is_empty()).then(|| spec.labels.iter().cloned().collect()),
        entrypoint: spec.entrypoint.clone(),
        user: spec.user.clone(),
        working_dir: spec.workdir.clone(),
        tty: Some(spec.tty),
        open_stdin: Some(spec.tty),
        attach_stdin: Some(spec.tty),
        exposed_ports: (!exposed.is_empty()).then_some(exposed),
        host_config: Some(HostConfig {
            port_bindings: (!bindings.is_empty()).then_some(bindings),
            binds: (!binds.is_empty()).then_some(binds),
            auto_remove: Some(spec.auto_remove),
            restart_policy: restart,
            network_mode: spec.network.clone(),
            memory: spec.memory,
            nano_cpus: spec.nano_cpus,
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run_spec::RunFields;

    fn spec(fields: RunFields) -> RunSpec {
        fields.parse().expect("valid form")
    }

    #[test]
    fn the_form_becomes_the_body_the_cli_would_send() {
        let body = body(&spec(RunFields {
            image: "busybox:1".into(),
            name: "web".into(),
            command: "sleep 60".into(),
            tty: true,
            env: "A=1\nB=two words".into(),
            labels: "team=core".into(),
            ports: "127.0.0.1:8080:80, 53/udp".into(),
            volumes: "/data:/srv:ro".into(),
            restart: "on-failure:3".into(),
            network: "host".into(),
            ..Default::default()
        }));
        assert_eq!(body.image.as_deref(), Some("busybox:1"));
        assert_eq!(body.cmd, Some(vec!["sleep".into(), "60".into()]));
        assert_eq!(body.env, Some(vec!["A=1".into(), "B=two words".into()]));
        assert_eq!((body.tty, body.open_stdin), (Some(true), Some(true)));
        let host = body.host_config.expect("host config");
        let bindings = host.port_bindings.expect("ports");
        let web = bindings["80/tcp"].as_ref().expect("80/tcp bound");
        assert_eq!(web[0].host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(web[0].host_port.as_deref(), Some("8080"));
        // A container port alone is published on a port the daemon picks.
        let dns = bindings["53/udp"].as_ref().expect("53/udp bound");
        assert_eq!(dns[0].host_port, None);
        let mut exposed = body.exposed_ports.expect("exposed");
        exposed.sort();
        assert_eq!(exposed, ["53/udp", "80/tcp"]);
        assert_eq!(host.binds, Some(vec!["/data:/srv:ro".into()]));
        let restart = host.restart_policy.expect("restart");
        assert_eq!(restart.name, Some(RestartPolicyNameEnum::ON_FAILURE));
        assert_eq!(restart.maximum_retry_count, Some(3));
        assert_eq!(host.network_mode.as_deref(), Some("host"));
    }

    #[test]
    fn an_empty_form_leaves_the_image_defaults() {
        let body = body(&spec(RunFields {
            image: "busybox".into(),
            ..Default::default()
        }));
        assert_eq!(body.cmd, None, "the image's own command");
        assert_eq!(
            (body.env, body.labels, body.exposed_ports),
            (None, None, None)
        );
        let host = body.host_config.expect("host config");
        assert_eq!(host.restart_policy, None);
        assert_eq!(host.auto_remove, Some(false));
    }
}
