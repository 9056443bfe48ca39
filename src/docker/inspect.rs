//! `docker container inspect` / `docker image inspect` (+ `docker container top`): the raw
//! JSON, and a summary of what people look for in it.

use bollard::Docker;
use bollard::query_parameters::TopOptions;
use serde_json::Value;

use super::convert::json_text as text;

use super::actions::OpError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InspectTarget {
    Container(super::ContainerId),
    Image(String),
    Volume(String),
    /// By id.
    Network(String),
    /// A Swarm's service, node or task, by id (asked of a manager).
    Service(String),
    Node(String),
    Task(String),
    /// A file in a container, read for the files view's reader.
    File {
        container: super::Target,
        path: String,
    },
}

/// The processes of a running container: column titles and rows.
pub type Processes = (Vec<String>, Vec<Vec<String>>);

/// The most of the raw JSON kept for the view (labels and env can be large).
const MAX_JSON: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// (field, value) pairs; a field with several values has a pair per value.
    pub summary: Vec<(String, String)>,
    /// The raw JSON; for a file, the text the reader shows.
    pub json: String,
    pub top: Option<Processes>,
    /// A container's changes to its image's filesystem, as `docker diff` prints them
    /// ("A /tmp/new"); `None` for what is not a container.
    pub changes: Option<Vec<String>>,
}

pub async fn inspect(docker: &Docker, target: &InspectTarget) -> Result<Inspection, OpError> {
    // The JSON text is serialized from the API's own structure, so keys come in the order
    // the Engine API defines them (as `docker inspect` prints them), not sorted.
    let ((value, json), top) = match target {
        InspectTarget::File { container, path } => {
            return super::files::read(docker, container, path).await;
        }
        InspectTarget::Container(id) => {
            let inspect = docker.inspect_container(id, None).await?;
            let running = inspect.state.as_ref().and_then(|s| s.running) == Some(true);
            let top = match running {
                true => processes(docker, id).await,
                false => None,
            };
            (object(&inspect), top)
        }
        InspectTarget::Volume(name) => (object(&docker.inspect_volume(name).await?), None),
        InspectTarget::Network(id) => {
            let options = bollard::query_parameters::InspectNetworkOptions::default();
            (
                object(&docker.inspect_network(id, Some(options)).await?),
                None,
            )
        }
        InspectTarget::Service(id) => {
            let options = bollard::query_parameters::InspectServiceOptions::default();
            (
                object(&docker.inspect_service(id, Some(options)).await?),
                None,
            )
        }
        InspectTarget::Node(id) => (object(&docker.inspect_node(id).await?), None),
        InspectTarget::Task(id) => (object(&docker.inspect_task(id).await?), None),
        InspectTarget::Image(id) => (object(&docker.inspect_image(id).await?), None),
    };
    let summary = match target {
        InspectTarget::Container(_) => container_summary(&value),
        InspectTarget::Image(_) => image_summary(&value),
        InspectTarget::Volume(_) => volume_summary(&value),
        InspectTarget::Network(_) => network_summary(&value),
        InspectTarget::Service(_) | InspectTarget::Node(_) | InspectTarget::Task(_) => {
            swarm_summary(&value)
        }
        InspectTarget::File { .. } => Vec::new(),
    };
    // `docker diff`: stopped containers have changes too; a daemon that cannot say (a
    // driver without them) leaves the tab out rather than failing the whole view.
    let changes = match target {
        InspectTarget::Container(id) => docker.container_changes(id).await.ok().map(|c| {
            let mut lines: Vec<String> = c.unwrap_or_default().iter().map(change_line).collect();
            lines.truncate(MAX_CHANGES);
            lines
        }),
        _ => None,
    };
    Ok(Inspection {
        summary,
        json: crate::format::cut(&json, MAX_JSON),
        top,
        changes,
    })
}

/// The most changes kept for the view (a container that unpacked a tree changes a lot).
const MAX_CHANGES: usize = 100_000;

/// A change as `docker diff` prints it: C(hanged), A(dded) or D(eleted), then the path.
fn change_line(change: &bollard::models::FilesystemChange) -> String {
    use bollard::models::ChangeType;
    let kind = match change.kind {
        ChangeType::_0 => 'C',
        ChangeType::_1 => 'A',
        ChangeType::_2 => 'D',
    };
    format!("{kind} {}", crate::format::inert(&change.path))
}

/// Adds `field: value` for a scalar, a pair per item for an array, `k=v` per entry for a map.
fn add(out: &mut Vec<(String, String)>, field: &str, v: &Value) {
    match v {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                out.push((field.into(), text(item)));
            }
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (k, v) in entries {
                let value = text(v);
                let entry = if value.is_empty() || value == "{}" {
                    k.clone()
                } else {
                    format!("{k}={value}")
                };
                out.push((field.into(), entry));
            }
        }
        other => {
            let value = text(other);
            // Go's zero time is the daemon's "never" (a running container's FinishedAt).
            if !value.is_empty() && !value.starts_with("0001-01-01") {
                out.push((field.into(), value));
            }
        }
    }
}

fn container_summary(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    add(
        &mut out,
        "Name",
        &Value::String(text(&v["Name"]).trim_start_matches('/').into()),
    );
    add(&mut out, "Id", &v["Id"]);
    add(&mut out, "Image", &v["Config"]["Image"]);
    let mut command = vec![text(&v["Path"])];
    if let Value::Array(args) = &v["Args"] {
        command.extend(args.iter().map(text));
    }
    let command = crate::run_spec::join_command(&command);
    add(&mut out, "Command", &Value::String(command));
    let state = &v["State"];
    add(&mut out, "State", &state["Status"]);
    add(&mut out, "Exit code", &state["ExitCode"]);
    add(&mut out, "Health", &state["Health"]["Status"]);
    health_checks(&state["Health"], &mut out);
    add(&mut out, "Created", &v["Created"]);
    add(&mut out, "Started", &state["StartedAt"]);
    add(&mut out, "Finished", &state["FinishedAt"]);
    let policy = &v["HostConfig"]["RestartPolicy"];
    let name = text(&policy["Name"]);
    let restart = match (name.as_str(), policy["MaximumRetryCount"].as_i64()) {
        ("" | "no", _) => "no".to_string(),
        ("on-failure", Some(n)) if n > 0 => format!("on-failure:{n}"),
        (name, _) => name.to_string(),
    };
    add(&mut out, "Restart policy", &Value::String(restart));
    add(&mut out, "Env", &v["Config"]["Env"]);
    wiring(v, &mut out);
    add(&mut out, "Labels", &v["Config"]["Labels"]);
    out
}

/// The health check's last results (the daemon keeps five), newest first: exit code, when
/// it ended, and its output on one line.
fn health_checks(health: &Value, out: &mut Vec<(String, String)>) {
    if let Some(streak) = health["FailingStreak"].as_i64().filter(|n| *n > 0) {
        out.push(("Failing streak".into(), streak.to_string()));
    }
    let Value::Array(log) = &health["Log"] else {
        return;
    };
    for check in log.iter().rev() {
        let output = text(&check["Output"]);
        let output: Vec<&str> = output
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let value = format!(
            "exit {} at {}: {}",
            text(&check["ExitCode"]),
            text(&check["End"]),
            crate::format::cut(&output.join(" ⏎ "), 200)
        );
        out.push((
            "Health check".into(),
            value.trim_end_matches(": ").to_string(),
        ));
    }
}

/// Where a container connects: published ports, mounts and networks.
fn wiring(v: &Value, out: &mut Vec<(String, String)>) {
    if let Value::Object(ports) = &v["NetworkSettings"]["Ports"] {
        for (port, bindings) in ports {
            let targets: Vec<String> = bindings
                .as_array()
                .map(|b| {
                    b.iter()
                        .map(|b| format!("{}:{}", text(&b["HostIp"]), text(&b["HostPort"])))
                        .collect()
                })
                .unwrap_or_default();
            let value = if targets.is_empty() {
                port.clone()
            } else {
                format!("{} -> {port}", targets.join(", "))
            };
            out.push(("Ports".into(), value));
        }
    }
    if let Value::Array(mounts) = &v["Mounts"] {
        for m in mounts {
            let source = match text(&m["Name"]) {
                name if !name.is_empty() => name,
                _ => text(&m["Source"]),
            };
            let mode = if m["RW"] == Value::Bool(false) {
                "ro"
            } else {
                "rw"
            };
            let value = format!(
                "{} {source} -> {} ({mode})",
                text(&m["Type"]),
                text(&m["Destination"])
            );
            out.push(("Mounts".into(), value));
        }
    }
    if let Value::Object(networks) = &v["NetworkSettings"]["Networks"] {
        for (name, n) in networks {
            out.push((
                "Networks".into(),
                format!("{name} {}", text(&n["IPAddress"])),
            ));
        }
    }
}

/// An object as the API answered it: its value, and its JSON text as `docker inspect`
/// prints it.
fn object(object: &impl serde::Serialize) -> (Value, String) {
    let json = serde_json::to_string_pretty(object).unwrap_or_default();
    (serde_json::to_value(object).unwrap_or_default(), json)
}

/// A running container's processes (`docker top`), as `ps -ef` lists them.
async fn processes(docker: &Docker, id: &str) -> Option<Processes> {
    let options = TopOptions {
        ps_args: "-ef".into(),
    };
    // busybox ps has no -ef: then ask with the daemon's default arguments.
    let top = match docker.top_processes(id, Some(options)).await {
        Ok(t) => t,
        Err(_) => docker.top_processes(id, None).await.ok()?,
    };
    Some((
        top.titles.unwrap_or_default(),
        top.processes.unwrap_or_default(),
    ))
}

/// What `docker service|node inspect --pretty` leads with.
fn swarm_summary(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    add(&mut out, "ID", &v["ID"]);
    for (field, value) in [
        ("Name", &v["Spec"]["Name"]),
        ("Hostname", &v["Description"]["Hostname"]),
        ("Role", &v["Spec"]["Role"]),
        ("Availability", &v["Spec"]["Availability"]),
        ("State", &v["Status"]["State"]),
        ("Address", &v["Status"]["Addr"]),
        ("Message", &v["Status"]["Message"]),
        ("Error", &v["Status"]["Err"]),
        ("Desired state", &v["DesiredState"]),
        ("Node", &v["NodeID"]),
        ("Service", &v["ServiceID"]),
        ("Slot", &v["Slot"]),
        ("Container", &v["Status"]["ContainerStatus"]["ContainerID"]),
        (
            "Image",
            &v["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"],
        ),
        ("Image", &v["Spec"]["ContainerSpec"]["Image"]),
        ("Replicas", &v["Spec"]["Mode"]["Replicated"]["Replicas"]),
        ("Update", &v["UpdateStatus"]["State"]),
        ("Update message", &v["UpdateStatus"]["Message"]),
        ("Engine", &v["Description"]["Engine"]["EngineVersion"]),
        ("Created", &v["CreatedAt"]),
        ("Updated", &v["UpdatedAt"]),
    ] {
        if value.as_str() == Some("") {
            continue;
        }
        add(&mut out, field, value);
    }
    add(&mut out, "Labels", &v["Spec"]["Labels"]);
    out
}

fn volume_summary(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for field in ["Name", "Driver", "Scope", "Mountpoint", "CreatedAt"] {
        add(&mut out, field, &v[field]);
    }
    add(&mut out, "Options", &v["Options"]);
    add(&mut out, "Labels", &v["Labels"]);
    out
}

fn network_summary(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for field in [
        "Name",
        "Id",
        "Driver",
        "Scope",
        "Internal",
        "Attachable",
        "Created",
    ] {
        add(&mut out, field, &v[field]);
    }
    if let Value::Array(configs) = &v["IPAM"]["Config"] {
        for c in configs {
            add(&mut out, "Subnet", &c["Subnet"]);
            add(&mut out, "Gateway", &c["Gateway"]);
        }
    }
    if let Value::Object(containers) = &v["Containers"] {
        for c in containers.values() {
            let value = format!("{} {}", text(&c["Name"]), text(&c["IPv4Address"]));
            out.push(("Containers".into(), value));
        }
    }
    add(&mut out, "Options", &v["Options"]);
    add(&mut out, "Labels", &v["Labels"]);
    out
}

fn image_summary(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    add(&mut out, "Id", &v["Id"]);
    add(&mut out, "Tags", &v["RepoTags"]);
    add(&mut out, "Digests", &v["RepoDigests"]);
    add(&mut out, "Created", &v["Created"]);
    add(
        &mut out,
        "Size",
        &Value::String(crate::format::human_size(v["Size"].as_i64().unwrap_or(0))),
    );
    add(
        &mut out,
        "Platform",
        &Value::String(format!("{}/{}", text(&v["Os"]), text(&v["Architecture"]))),
    );
    add(&mut out, "Author", &v["Author"]);
    add(&mut out, "Comment", &v["Comment"]);
    add(&mut out, "Entrypoint", &v["Config"]["Entrypoint"]);
    add(&mut out, "Cmd", &v["Config"]["Cmd"]);
    add(&mut out, "Env", &v["Config"]["Env"]);
    add(&mut out, "Exposed ports", &v["Config"]["ExposedPorts"]);
    add(&mut out, "Labels", &v["Config"]["Labels"]);
    let layers = v["RootFS"]["Layers"].as_array().map_or(0, Vec::len);
    add(&mut out, "Layers", &Value::from(layers));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_summary_picks_what_people_look_for() {
        let v = serde_json::json!({
            "Id": "sha256:abc", "RepoTags": ["busybox:1", "busybox:latest"],
            "RepoDigests": ["busybox@sha256:def"], "Created": "2026-11-28T14:00:00Z",
            "Size": 1_980_000, "Os": "linux", "Architecture": "arm64",
            "Config": {"Cmd": ["/bin/sh"], "Env": ["PATH=/bin"], "ExposedPorts": {"80/tcp": {}},
                       "Labels": {"team": "web"}},
            "RootFS": {"Layers": ["sha256:1", "sha256:2"]}
        });
        let summary = image_summary(&v);
        let has = |k: &str, val: &str| summary.iter().any(|(a, b)| a == k && b == val);
        assert!(has("Tags", "busybox:latest"));
        assert!(has("Size", "1.98MB"));
        assert!(has("Platform", "linux/arm64"));
        assert!(has("Cmd", "/bin/sh"));
        assert!(has("Exposed ports", "80/tcp"));
        assert!(has("Labels", "team=web"));
        assert!(has("Layers", "2"));
    }

    #[test]
    fn container_summary_picks_what_people_look_for() {
        let v = serde_json::json!({
            "Name": "/web", "Id": "abc", "Path": "sh", "Args": ["-c", "echo hi there"],
            "Created": "2026-11-28T14:00:00Z",
            "State": {"Status": "running", "ExitCode": 0, "StartedAt": "2026-11-28T14:00:01Z",
                      "Health": {"Status": "unhealthy", "FailingStreak": 2, "Log": [
                          {"Start": "2026-11-28T14:00:02Z", "End": "2026-11-28T14:00:03Z",
                           "ExitCode": 0, "Output": "ok\n"},
                          {"Start": "2026-11-28T14:00:32Z", "End": "2026-11-28T14:00:33Z",
                           "ExitCode": 1, "Output": "wget: can't connect\nretry\n"}]}},
            "Config": {"Image": "busybox:1", "Env": ["A=1", "B=2"], "Labels": {"team": "web"}},
            "HostConfig": {"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3}},
            "NetworkSettings": {
                "Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}], "53/udp": null},
                "Networks": {"bridge": {"IPAddress": "172.17.0.2"}}
            },
            "Mounts": [{"Type": "volume", "Name": "data", "Destination": "/data", "RW": false}]
        });
        let summary = container_summary(&v);
        let has = |k: &str, val: &str| summary.iter().any(|(a, b)| a == k && b == val);
        assert!(has("Name", "web"));
        assert!(has("Command", "sh -c 'echo hi there'"));
        assert!(has("Env", "B=2"));
        assert!(has("Ports", "0.0.0.0:8080 -> 80/tcp"));
        assert!(has("Ports", "53/udp"));
        assert!(has("Mounts", "volume data -> /data (ro)"));
        assert!(has("Networks", "bridge 172.17.0.2"));
        assert!(has("Restart policy", "on-failure:3"));
        assert!(has("Labels", "team=web"));
        assert!(has("Health", "unhealthy"));
        assert!(has("Failing streak", "2"));
        let checks: Vec<&str> = summary
            .iter()
            .filter(|(k, _)| k == "Health check")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(
            checks,
            [
                "exit 1 at 2026-11-28T14:00:33Z: wget: can't connect ⏎ retry",
                "exit 0 at 2026-11-28T14:00:03Z: ok"
            ],
            "newest first"
        );
    }
}
