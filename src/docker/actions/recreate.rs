//! Recreate a container with the latest image of its name: pull, then a new container with
//! exactly its configuration (what inspect holds that create accepts), the old one stopped
//! and renamed aside, the new one started, and the old one removed only once the new one
//! runs (healthy, when it has a health check); otherwise everything is put back and the
//! reason said.

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::{
    ContainerConfig, ContainerCreateBody, ContainerInspectResponse, EndpointSettings, ImageConfig,
    ImageInspect, NetworkConnectRequest, NetworkingConfig,
};
use bollard::query_parameters::{
    CreateContainerOptions, RemoveContainerOptions, RenameContainerOptions, StopContainerOptions,
};

use super::{OpError, Progress, Target};

pub use super::recreate_edits::Edits;

/// How long a new container without a health check must keep running to count as up.
const SETTLE: Duration = Duration::from_secs(3);
/// The longest wait for a health check to pass.
const HEALTH_WAIT: Duration = Duration::from_secs(120);

/// The name the old container waits under until the new one runs.
pub fn aside(name: &str) -> String {
    format!("{name}-dockpit-old")
}

/// The docker CLI lines that do the same, for the dialog and the command log.
pub fn cli_lines(name: &str, image: &str, pull: bool) -> Vec<String> {
    let q = crate::run_spec::shell_quote;
    let old = aside(name);
    let pull = pull.then(|| format!("docker image pull {}", q(image)));
    pull.into_iter()
        .chain([
            format!("docker container stop {}", q(name)),
            format!("docker container rename {} {}", q(name), q(&old)),
            format!(
                "docker container create --name {} <the same configuration> {}",
                q(name),
                q(image)
            ),
            format!("docker container start {}", q(name)),
            format!("docker container rm {}", q(&old)),
        ])
        .collect()
}

pub async fn recreate(
    docker: &Docker,
    target: &Target,
    edits: Option<&Edits>,
    pull: bool,
    progress: &impl Fn(Progress),
) -> Result<String, OpError> {
    let old = docker.inspect_container(&target.id, None).await?;
    kept_when_stopped(&old, &target.name)?;
    let config = old.config.clone().unwrap_or_default();
    let image = config.image.clone().unwrap_or_default();
    let before = old.image.clone().unwrap_or_default();
    let old_image = docker.inspect_image(&before).await.ok();
    // An edit keeps the image it has unless the form names another.
    let (image, reference) = match edits {
        Some(e) if !e.changes(crate::run_spec::RunField::Image) => (image, None),
        Some(e) => (e.spec.image.to_string(), Some(e.spec.image.clone())),
        // Built or tagged here: nothing to pull, the local image as it is.
        None if !pull => (image, None),
        None => {
            let reference = crate::reference::parse(&image)
                .map_err(|e| OpError::new(format!("its image {image:?} cannot be pulled: {e}")))?;
            (image, Some(reference))
        }
    };
    if let Some(reference) = reference {
        progress(Progress::Line(format!("pulling {image}")));
        super::pull(docker, &reference, progress).await?;
    }
    let after = docker.inspect_image(&image).await?.id.unwrap_or_default();
    let was_running = old.state.as_ref().and_then(|s| s.running) == Some(true);
    let (mut body, mut more_networks) = create_body(&old, old_image.as_ref());
    let old_name = target.name.trim_start_matches('/').to_string();
    let name = match edits {
        Some(edits) => {
            edits.apply(&mut body, &mut more_networks);
            edits.name(&old_name)
        }
        None => old_name.clone(),
    };
    progress(Progress::Line(format!("stopping and renaming {old_name}")));
    docker
        .stop_container(&target.id, None::<StopContainerOptions>)
        .await?;
    rename(docker, &target.id, &aside(&old_name)).await?;
    match start_new(docker, &name, body, more_networks, progress).await {
        Ok(new_id) => {
            let options = RemoveContainerOptions {
                force: true,
                ..Default::default()
            };
            docker.remove_container(&target.id, Some(options)).await?;
            let short = |d: &str| crate::format::short_id(d).to_string();
            Ok(format!(
                "Recreated {name} ({}): image {} → {}",
                short(&new_id),
                short(&before),
                short(&after)
            ))
        }
        Err((why, new_id)) => {
            roll_back(docker, target, &old_name, new_id, was_running).await;
            Err(OpError::new(format!(
                "{why}; rolled back: {old_name} is the old container again{}",
                if was_running { ", running" } else { "" }
            )))
        }
    }
}

/// A container started with `--rm` is removed by the daemon when it stops: there would be
/// nothing to put back, so it is refused before anything changes.
fn kept_when_stopped(old: &ContainerInspectResponse, name: &str) -> Result<(), OpError> {
    if old.host_config.as_ref().and_then(|h| h.auto_remove) == Some(true) {
        return Err(OpError::new(format!(
            "{name} was started with --rm: stopping it removes it, so it cannot be kept to put back; nothing was changed"
        )));
    }
    Ok(())
}

async fn rename(docker: &Docker, id: &str, to: &str) -> Result<(), OpError> {
    let options = RenameContainerOptions { name: to.into() };
    docker.rename_container(id, options).await?;
    Ok(())
}

/// Creates, connects and starts the new container and waits for it to run; on failure, why,
/// and the new container's id if it was made.
async fn start_new(
    docker: &Docker,
    name: &str,
    body: ContainerCreateBody,
    more_networks: Vec<(String, EndpointSettings)>,
    progress: &impl Fn(Progress),
) -> Result<String, (String, Option<String>)> {
    let options = CreateContainerOptions {
        name: Some(name.into()),
        ..Default::default()
    };
    let new = docker
        .create_container(Some(options), body)
        .await
        .map_err(|e| (format!("the new container was not created: {e}"), None))?
        .id;
    let failed =
        |what: &str, e: &dyn std::fmt::Display| (format!("{what}: {e}"), Some(new.clone()));
    // The first network comes with create; an older API takes only one there.
    for (network, endpoint) in more_networks {
        let request = NetworkConnectRequest {
            container: new.clone(),
            endpoint_config: Some(endpoint),
        };
        docker
            .connect_network(&network, request)
            .await
            .map_err(|e| failed(&format!("not connected to {network}"), &e))?;
    }
    progress(Progress::Line(format!("starting the new {name}")));
    docker
        .start_container(&new, None)
        .await
        .map_err(|e| failed("the new container did not start", &e))?;
    wait_up(docker, &new)
        .await
        .map_err(|why| (why, Some(new.clone())))?;
    Ok(new)
}

/// Waits until the new container has run for [`SETTLE`], or its health check passed.
async fn wait_up(docker: &Docker, id: &str) -> Result<(), String> {
    let started = std::time::Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let inspect = docker
            .inspect_container(id, None)
            .await
            .map_err(|e| format!("the new container could not be inspected: {e}"))?;
        let state = inspect.state.unwrap_or_default();
        if state.running != Some(true) {
            return Err(format!(
                "the new container exited at once (exit code {})",
                state.exit_code.unwrap_or_default()
            ));
        }
        let health = state.health.and_then(|h| h.status).map(|s| s.to_string());
        match health.as_deref() {
            Some("healthy") => return Ok(()),
            Some("unhealthy") => return Err("the new container's health check failed".into()),
            Some("starting") if started.elapsed() > HEALTH_WAIT => {
                return Err("the new container's health check did not pass in 2 minutes".into());
            }
            Some("starting") => {}
            _ if started.elapsed() >= SETTLE => return Ok(()),
            _ => {}
        }
    }
}

/// Puts the old container back: the new one removed, the old name restored, started again
/// if it ran. Each step is tried whatever the one before did.
async fn roll_back(
    docker: &Docker,
    old: &Target,
    name: &str,
    new: Option<String>,
    was_running: bool,
) {
    if let Some(new) = new {
        let options = RemoveContainerOptions {
            force: true,
            ..Default::default()
        };
        let _ = docker.remove_container(&new, Some(options)).await;
    }
    let _ = rename(docker, &old.id, name).await;
    if was_running {
        let _ = docker.start_container(&old.id, None).await;
    }
}

/// The create body that makes the same container again with the image its name now
/// names: its own settings (what differs from its old image's defaults, so the new image's
/// defaults apply where it set none), its host config, its volumes (anonymous ones too, by
/// name, so the data stays), and its networks with aliases and static addresses (the first
/// in the body, the rest to connect before start).
pub fn create_body(
    old: &ContainerInspectResponse,
    image: Option<&ImageInspect>,
) -> (ContainerCreateBody, Vec<(String, EndpointSettings)>) {
    let c = old.config.clone().unwrap_or_default();
    let defaults = image.and_then(|i| i.config.clone()).unwrap_or_default();
    let short_id = crate::format::short_id(old.id.as_deref().unwrap_or_default()).to_string();
    let own = |mine: Option<Vec<String>>, theirs: &Option<Vec<String>>| {
        mine.filter(|m| Some(m) != theirs.as_ref())
    };
    let mut host = old.host_config.clone().unwrap_or_default();
    host.binds = Some(binds(old, host.binds.take()));
    let (networking, more) = networks(old, &short_id);
    let body = ContainerCreateBody {
        // The daemon names a container's host after its id unless told otherwise.
        hostname: c.hostname.clone().filter(|h| *h != short_id),
        domainname: c.domainname.clone(),
        user: c.user.clone().filter(|u| Some(u) != defaults.user.as_ref()),
        attach_stdin: c.attach_stdin,
        attach_stdout: c.attach_stdout,
        attach_stderr: c.attach_stderr,
        exposed_ports: minus(c.exposed_ports.clone(), &defaults.exposed_ports),
        tty: c.tty,
        open_stdin: c.open_stdin,
        stdin_once: c.stdin_once,
        env: minus(c.env.clone(), &defaults.env),
        cmd: own(c.cmd.clone(), &defaults.cmd),
        healthcheck: c
            .healthcheck
            .clone()
            .filter(|h| Some(h) != defaults.healthcheck.as_ref()),
        image: c.image.clone(),
        volumes: minus(c.volumes.clone(), &defaults.volumes),
        working_dir: c
            .working_dir
            .clone()
            .filter(|w| Some(w) != defaults.working_dir.as_ref()),
        entrypoint: own(c.entrypoint.clone(), &defaults.entrypoint),
        labels: own_labels(&c, &defaults),
        stop_signal: c
            .stop_signal
            .clone()
            .filter(|s| Some(s) != defaults.stop_signal.as_ref()),
        stop_timeout: c.stop_timeout,
        shell: own(c.shell.clone(), &defaults.shell),
        host_config: Some(host),
        networking_config: networking,
        ..Default::default()
    };
    (body, more)
}

/// `mine` without what `theirs` (the old image's defaults) holds; `None` when nothing is
/// left, so the new image's own defaults apply.
fn minus(mine: Option<Vec<String>>, theirs: &Option<Vec<String>>) -> Option<Vec<String>> {
    let theirs = theirs.as_deref().unwrap_or_default();
    let left: Vec<String> = mine?.into_iter().filter(|v| !theirs.contains(v)).collect();
    (!left.is_empty()).then_some(left)
}

fn own_labels(c: &ContainerConfig, defaults: &ImageConfig) -> Option<HashMap<String, String>> {
    let theirs = defaults.labels.clone().unwrap_or_default();
    let left: HashMap<String, String> = (c.labels.clone().unwrap_or_default().into_iter())
        .filter(|(k, v)| theirs.get(k) != Some(v))
        .collect();
    (!left.is_empty()).then_some(left)
}

/// Its binds, plus each volume mount that none of them names (anonymous volumes and those
/// of the image's `VOLUME`s) by its volume's name, so the new container gets the same data.
fn binds(old: &ContainerInspectResponse, binds: Option<Vec<String>>) -> Vec<String> {
    let mut binds = binds.unwrap_or_default();
    let mounted = old
        .host_config
        .as_ref()
        .and_then(|h| h.mounts.clone())
        .unwrap_or_default();
    for m in old.mounts.iter().flatten() {
        let (Some(name), Some(dest)) = (&m.name, &m.destination) else {
            continue;
        };
        let named = binds
            .iter()
            .any(|b| b.split(':').nth(1) == Some(dest.as_str()))
            || mounted
                .iter()
                .any(|x| x.target.as_deref() == Some(dest.as_str()));
        if m.typ.as_deref() == Some("volume") && !named {
            let ro = if m.rw == Some(false) { ":ro" } else { "" };
            binds.push(format!("{name}:{dest}{ro}"));
        }
    }
    binds
}

/// The networks it is on, each with what was asked of it (aliases but the daemon's own,
/// static addresses, links): the first for create, the rest to connect.
fn networks(
    old: &ContainerInspectResponse,
    short_id: &str,
) -> (Option<NetworkingConfig>, Vec<(String, EndpointSettings)>) {
    let on = old
        .network_settings
        .as_ref()
        .and_then(|n| n.networks.clone())
        .unwrap_or_default();
    let mode = old
        .host_config
        .as_ref()
        .and_then(|h| h.network_mode.clone());
    let mut all: Vec<(String, EndpointSettings)> = on
        .into_iter()
        .map(|(network, e)| {
            let asked = EndpointSettings {
                ipam_config: e.ipam_config,
                links: e.links,
                aliases: e
                    .aliases
                    .map(|a| a.into_iter().filter(|a| a != short_id).collect()),
                driver_opts: e.driver_opts,
                ..Default::default()
            };
            (network, asked)
        })
        .collect();
    // The network its mode names goes with create, so create never picks another.
    all.sort_by_key(|(network, _)| Some(network) != mode.as_ref());
    let mut rest = all.into_iter();
    let first = rest.next().map(|(network, e)| NetworkingConfig {
        endpoints_config: Some(HashMap::from([(network, e)])),
    });
    (first, rest.collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::HostConfig;
    use serde_json::json;

    fn inspect(value: serde_json::Value) -> ContainerInspectResponse {
        serde_json::from_value(value).expect("an inspect answer")
    }

    #[test]
    fn the_body_keeps_the_containers_own_settings_and_leaves_the_images_defaults() {
        let old = inspect(json!({
            "Id": "0123456789abcdef",
            "Config": {
                "Hostname": "0123456789ab", "User": "nobody", "Image": "127.0.0.1:5000/app:1",
                "Env": ["PATH=/usr/bin", "MODE=prod"], "Cmd": ["sh"], "WorkingDir": "/srv",
                "Labels": {"from.image": "x", "mine": "y"},
                "Healthcheck": {"Test": ["CMD", "true"], "Interval": 1000000000}
            },
            "HostConfig": {
                "Binds": ["/data:/data:ro"], "NetworkMode": "front",
                "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3},
                "Memory": 67108864, "CapAdd": ["NET_ADMIN"]
            },
            "Mounts": [
                {"Type": "bind", "Source": "/data", "Destination": "/data", "RW": false},
                {"Type": "volume", "Name": "f00d", "Destination": "/cache", "RW": true}
            ],
            "NetworkSettings": {"Networks": {
                "back": {"Aliases": ["db", "0123456789ab"]},
                "front": {"Aliases": ["web"], "IPAMConfig": {"IPv4Address": "10.9.0.5"}}
            }}
        }));
        let image: ImageInspect = serde_json::from_value(json!({"Config": {
            "Env": ["PATH=/usr/bin"], "Cmd": ["sh"], "Labels": {"from.image": "x"}
        }}))
        .expect("an image");
        let (body, more) = create_body(&old, Some(&image));
        assert_eq!(body.hostname, None, "the old id is not a hostname to keep");
        assert_eq!(body.user.as_deref(), Some("nobody"));
        assert_eq!(body.env, Some(vec!["MODE=prod".to_string()]));
        assert_eq!(
            body.cmd, None,
            "the image's own command: the new image's applies"
        );
        assert_eq!(body.working_dir.as_deref(), Some("/srv"));
        let labels = body.labels.clone().unwrap_or_default();
        assert_eq!(
            labels.into_iter().collect::<Vec<_>>(),
            vec![("mine".into(), "y".into())]
        );
        assert!(body.healthcheck.is_some());
        let host: HostConfig = body.host_config.clone().unwrap_or_default();
        assert_eq!(
            host.binds,
            Some(vec![
                "/data:/data:ro".to_string(),
                "f00d:/cache".to_string()
            ])
        );
        assert_eq!(host.memory, Some(67_108_864));
        assert_eq!(host.cap_add, Some(vec!["NET_ADMIN".to_string()]));
        // Its mode's network with create, its static address and alias; the other after.
        let first = body
            .networking_config
            .and_then(|n| n.endpoints_config)
            .unwrap_or_default();
        let front = &first["front"];
        assert_eq!(front.aliases, Some(vec!["web".to_string()]));
        let ip = front
            .ipam_config
            .as_ref()
            .and_then(|c| c.ipv4_address.clone());
        assert_eq!(ip.as_deref(), Some("10.9.0.5"));
        assert_eq!(more.len(), 1);
        assert_eq!(more[0].0, "back");
        assert_eq!(
            more[0].1.aliases,
            Some(vec!["db".to_string()]),
            "not the old id"
        );
    }

    #[test]
    fn a_container_removed_when_it_stops_is_refused() {
        let rm = inspect(json!({"HostConfig": {"AutoRemove": true}}));
        let e = kept_when_stopped(&rm, "web").expect_err("--rm");
        assert!(
            e.message.contains("web was started with --rm"),
            "{}",
            e.message
        );
        assert!(kept_when_stopped(&inspect(json!({"HostConfig": {}})), "web").is_ok());
    }

    #[test]
    fn the_cli_lines_say_each_step() {
        let lines = cli_lines("web", "127.0.0.1:5000/app:1", true);
        assert_eq!(lines[0], "docker image pull 127.0.0.1:5000/app:1");
        assert_eq!(lines[2], "docker container rename web web-dockpit-old");
        assert_eq!(lines[5], "docker container rm web-dockpit-old");
        // An image built here: no pull, the rest as it was.
        let local = cli_lines("web", "app:1", false);
        assert_eq!(local[0], "docker container stop web");
        assert_eq!(local.len(), 5);
    }
}
