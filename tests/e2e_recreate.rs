//! Recreate with the latest image (`u`), against a real engine and the local registry: a
//! container with much configuration runs `127.0.0.1:5000/dockpit-test/<unique>:1`, a new
//! image is pushed under that tag, `u` and Enter recreate it: the new container has the
//! new image and every field of the old one's configuration (compared field by field, the
//! fields that may differ listed), its volumes' data, and the old one is gone. A new image
//! whose container exits at once is rolled back: the old container, running, its name.
//! "Edit and recreate" (`u`, `e`): the run form filled from inspect, one env and one port
//! changed, everything else kept; an edit whose container exits at once rolls back.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::{
    ContainerCreateBody, DeviceMapping, EndpointIpamConfig, EndpointSettings, HealthConfig,
    HostConfig, HostConfigLogConfig, Ipam, IpamConfig, NetworkCreateRequest, NetworkingConfig,
    PortBinding, RestartPolicy, RestartPolicyNameEnum,
};
use bollard::query_parameters::RemoveImageOptions;
use common::screen::App;
use serde_json::Value;

/// The commits of runs that ended without cleaning up (their process is gone): untagged,
/// known only by a repo digest of theirs. Never an image with another name.
async fn remove_dead_commits(docker: &Docker) {
    let images = (docker.list_images(None::<bollard::query_parameters::ListImagesOptions>))
        .await
        .expect("list images");
    let dead = |name: &String| {
        let pid = name
            .split("/dockpit-test/dockpit-recreate-")
            .nth(1)
            .and_then(|rest| {
                rest.trim_start_matches("back-")
                    .split(['-', ':', '@'])
                    .next()?
                    .parse::<u32>()
                    .ok()
            });
        pid.is_some_and(|pid| {
            pid != common::run() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        })
    };
    // Its network and volume, named after its process.
    let dead_name = |name: &str| {
        let pid = name.strip_prefix("dockpit-recreate-");
        let pid = pid
            .map(|p| p.trim_start_matches("data-"))
            .and_then(|p| p.parse::<u32>().ok());
        pid.is_some_and(|pid| {
            pid != common::run() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        })
    };
    let networks = docker
        .list_networks(None::<bollard::query_parameters::ListNetworksOptions>)
        .await;
    for name in networks
        .unwrap_or_default()
        .into_iter()
        .filter_map(|n| n.name)
    {
        if dead_name(&name) {
            let _ = docker.remove_network(&name).await;
        }
    }
    let volumes = docker
        .list_volumes(None::<bollard::query_parameters::ListVolumesOptions>)
        .await;
    for volume in volumes.ok().and_then(|v| v.volumes).unwrap_or_default() {
        if dead_name(&volume.name) {
            let options = None::<bollard::query_parameters::RemoveVolumeOptions>;
            let _ = docker.remove_volume(&volume.name, options).await;
        }
    }
    for image in images {
        for tag in image.repo_tags.iter().filter(|t| dead(t)) {
            let _ = (docker.remove_image(tag, None::<RemoveImageOptions>, None)).await;
        }
        let untagged = image.repo_tags.iter().all(|t| t == "<none>:<none>");
        if untagged && !image.repo_digests.is_empty() && image.repo_digests.iter().all(dead) {
            let _ = (docker.remove_image(&image.id, None::<RemoveImageOptions>, None)).await;
        }
    }
}

/// This run's repo in the local registry: the seed image tagged and pushed as `<repo>:1`.
struct Seeded {
    name: String,
    repo: String,
    old_image: String,
    old_id: String,
}

async fn seed(docker: &Docker, test: &str) -> Seeded {
    let name = common::unique(test);
    let repo = format!("127.0.0.1:5000/dockpit-test/{name}");
    common::tag(docker, "dockpit-test/busybox:1", &repo, "1").await;
    common::push(docker, &repo, "1").await;
    let old_image = format!("{repo}:1");
    let old_id = docker
        .inspect_image(&old_image)
        .await
        .expect("image")
        .id
        .expect("id");
    Seeded {
        name,
        repo,
        old_image,
        old_id,
    }
}

/// The images a test made removed, and `repo`'s names taken off the seed image.
async fn remove_images(docker: &Docker, repo: &str, old_id: &str, images: [&str; 2]) {
    for image in images {
        let _ = (docker.remove_image(image, None::<RemoveImageOptions>, None)).await;
    }
    unname(docker, repo, old_id).await;
}

/// Filters the containers pane to `name` and selects it.
fn select(app: &mut App, name: &str) {
    app.wait_for_text("Containers");
    app.keys("/");
    app.keys(name);
    app.keys("\r");
    app.select_container(name);
}

/// Every name of `repo` on `image` (tags and repo digests) removed: the image is the shared
/// seed image, which keeps its own names.
async fn unname(docker: &Docker, repo: &str, image: &str) {
    let Ok(i) = docker.inspect_image(image).await else {
        return;
    };
    let names = i.repo_tags.unwrap_or_default().into_iter();
    let names = names.chain(i.repo_digests.unwrap_or_default());
    for name in
        names.filter(|n| n.starts_with(&format!("{repo}:")) || n.starts_with(&format!("{repo}@")))
    {
        let _ = (docker.remove_image(&name, None::<RemoveImageOptions>, None)).await;
    }
}

async fn inspect(docker: &Docker, name: &str) -> Value {
    let i = docker
        .inspect_container(name, None)
        .await
        .expect("inspect the container");
    serde_json::to_value(i).expect("as JSON")
}

/// Starts dockpit, selects `name` in the containers pane, presses `u`, checks the question
/// shows the digests and the CLI lines, and confirms.
fn recreate_from_keys(name: &str) -> App {
    let mut app = App::start(200, 50, &["--interval", "60"]);
    select(&mut app, name);
    app.keys("u");
    app.wait_for_text(&format!("Recreate {name} with the latest image?"));
    app.wait_for_text("before: image");
    app.wait_for_text("$ docker image pull");
    app.keys("\r");
    app
}

/// The network this run's container is on, with a subnet of its own (static addresses
/// need one): 10.<200+pid%50>.<pid/50%250>.0/24.
async fn network(docker: &Docker, test: &str) -> (String, String) {
    let pid = common::run();
    let subnet = format!("10.{}.{}.0/24", 200 + pid % 50, pid / 50 % 250);
    let name = common::unique(test);
    let request = NetworkCreateRequest {
        name: name.clone(),
        ipam: Some(Ipam {
            config: Some(vec![IpamConfig {
                subnet: Some(subnet.clone()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        labels: Some([common::label_pair(test)].into()),
        ..Default::default()
    };
    docker
        .create_network(request)
        .await
        .expect("create the network");
    (name, subnet.replace(".0/24", ".9"))
}

fn body(test: &str, image: &str, network: &str, ip: &str, volume: &str) -> ContainerCreateBody {
    let endpoint = EndpointSettings {
        aliases: Some(vec!["web-alias".into()]),
        ipam_config: Some(EndpointIpamConfig {
            ipv4_address: Some(ip.into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    ContainerCreateBody {
        image: Some(image.into()),
        cmd: Some(vec![
            "sh".into(),
            "-c".into(),
            "echo kept > /cache/mark; exec sleep 600".into(),
        ]),
        env: Some(vec!["A=1".into(), "B=two words".into()]),
        labels: Some([common::label_pair(test), ("extra".into(), "yes".into())].into()),
        user: Some("65534:65534".into()),
        working_dir: Some("/tmp".into()),
        hostname: Some("upd-host".into()),
        stop_signal: Some("SIGINT".into()),
        // `sleep` as pid 1 ignores the signal: a stop would wait the default 10 s.
        stop_timeout: Some(1),
        volumes: Some(vec!["/cache".into()]),
        exposed_ports: Some(vec!["80/tcp".into()]),
        healthcheck: Some(HealthConfig {
            test: Some(vec!["CMD".into(), "true".into()]),
            interval: Some(1_000_000_000),
            retries: Some(3),
            ..Default::default()
        }),
        host_config: Some(HostConfig {
            binds: Some(vec![format!("{volume}:/data")]),
            port_bindings: Some(HashMap::from([(
                "80/tcp".to_string(),
                Some(vec![PortBinding {
                    host_ip: Some("127.0.0.1".into()),
                    host_port: Some(String::new()),
                }]),
            )])),
            restart_policy: Some(RestartPolicy {
                name: Some(RestartPolicyNameEnum::ON_FAILURE),
                maximum_retry_count: Some(3),
            }),
            memory: Some(64 * 1024 * 1024),
            cpu_shares: Some(512),
            pids_limit: Some(100),
            cap_add: Some(vec!["NET_ADMIN".into()]),
            devices: Some(vec![DeviceMapping {
                path_on_host: Some("/dev/null".into()),
                path_in_container: Some("/dev/xnull".into()),
                cgroup_permissions: Some("rwm".into()),
            }]),
            log_config: Some(HostConfigLogConfig {
                typ: Some("json-file".into()),
                config: Some(HashMap::from([("max-size".into(), "1m".into())])),
            }),
            network_mode: Some(network.into()),
            ..Default::default()
        }),
        networking_config: Some(NetworkingConfig {
            endpoints_config: Some(HashMap::from([(network.to_string(), endpoint)])),
        }),
        ..Default::default()
    }
}

/// Removes the fields that differ between two containers however alike: identity, state,
/// the daemon's files for it, its image's id, and what its network endpoint was given.
fn comparable(mut v: Value) -> Value {
    for key in [
        "Id",
        "Created",
        "State",
        "Image",
        "ResolvConfPath",
        "HostnamePath",
        "HostsPath",
        "LogPath",
        "RestartCount",
        "NetworkSettings",
        "Mounts",
        "GraphDriver",
        "Driver",
        "SizeRw",
        "SizeRootFs",
        "ExecIDs",
        "AppArmorProfile",
        "ProcessLabel",
        "MountLabel",
        "Storage",
        "ImageManifestDescriptor",
    ] {
        if let Some(o) = v.as_object_mut() {
            o.remove(key);
        }
    }
    v
}

/// What the old container asked of its network, as the new one has it.
fn endpoint(v: &Value, network: &str) -> (Value, Value) {
    let e = &v["NetworkSettings"]["Networks"][network];
    let aliases: Vec<Value> = (e["Aliases"].as_array().into_iter().flatten())
        .filter(|a| a.as_str() == Some("web-alias"))
        .cloned()
        .collect();
    (Value::from(aliases), e["IPAMConfig"]["IPv4Address"].clone())
}

fn volumes(v: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = (v["Mounts"].as_array().into_iter().flatten())
        .map(|m| {
            let name = m["Name"].as_str().unwrap_or_default().to_string();
            (
                name,
                m["Destination"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

async fn running_healthy(docker: &Docker, name: &str) -> Value {
    for _ in 0..100 {
        let v = inspect(docker, name).await;
        if v["State"]["Running"] == true && v["State"]["Health"]["Status"] == "healthy" {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{name} is not running healthy");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn u_recreates_a_container_with_the_new_image_and_all_of_its_configuration() {
    let _exclusive = common::screen::exclusive().await;
    let test = "recreate";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    remove_dead_commits(&docker).await;
    let Seeded {
        name,
        repo,
        old_image,
        old_id,
    } = seed(&docker, test).await;
    let (net, ip) = network(&docker, test).await;
    let volume = common::unique("recreate-data");
    let body = body(test, &old_image, &net, &ip, &volume);
    let id = common::create_named(&docker, &name, body).await;
    docker.start_container(&id, None).await.expect("start");
    let before = running_healthy(&docker, &name).await;
    let new_image = common::push_newer(&docker, &id, &repo, "LABEL release=2", &old_id).await;

    let mut app = recreate_from_keys(&name);
    app.wait_for("the recreate's outcome", Duration::from_secs(60), |s| {
        s.contains(&format!("Recreated {name}"))
    });
    let after = running_healthy(&docker, &name).await;
    assert_ne!(after["Id"], before["Id"], "a new container");
    assert_eq!(
        after["Image"],
        Value::from(new_image.clone()),
        "the new image"
    );
    assert!(
        docker.inspect_container(&id, None).await.is_err(),
        "the old one is gone"
    );
    // Every field of its configuration, but those listed in `comparable` and the label the
    // new image brings.
    // Binds also name its anonymous volume now: the same volume, so its data stays.
    let mut expected = comparable(before.clone());
    expected["Config"]["Labels"]["release"] = "2".into();
    let anonymous = (volumes(&before).into_iter())
        .find(|(_, dest)| dest == "/cache")
        .map(|(volume, dest)| format!("{volume}:{dest}"))
        .expect("the anonymous volume");
    if let Some(binds) = expected["HostConfig"]["Binds"].as_array_mut() {
        binds.push(anonymous.into());
    }
    assert_eq!(comparable(after.clone()), expected);
    assert_eq!(endpoint(&after, &net), endpoint(&before, &net));
    assert_eq!(
        volumes(&after),
        volumes(&before),
        "the same volumes, anonymous too"
    );
    // The command log has the CLI lines.
    app.keys("L");
    app.wait_for_text(&format!(
        "docker image pull {repo}:1 && docker container stop"
    ));
    app.keys("\x1b");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);

    common::cleanup(&docker, test).await;
    let _ = docker.remove_network(&net).await;
    remove_images(&docker, &repo, &old_id, [&old_image, &new_image]).await;
    for (volume, _) in volumes(&before) {
        let _ = (docker.remove_volume(
            &volume,
            None::<bollard::query_parameters::RemoveVolumeOptions>,
        ))
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_container_that_exits_at_once_is_rolled_back_to_the_old_one() {
    let _exclusive = common::screen::exclusive().await;
    let test = "recreate-back";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    remove_dead_commits(&docker).await;
    let Seeded {
        name,
        repo,
        old_image,
        old_id,
    } = seed(&docker, test).await;
    let body = ContainerCreateBody {
        image: Some(old_image.clone()),
        cmd: Some(vec!["sleep".into(), "600".into()]),
        labels: Some([common::label_pair(test)].into()),
        ..Default::default()
    };
    let id = common::create_named(&docker, &name, body).await;
    docker.start_container(&id, None).await.expect("start");
    // Its entrypoint the old image's (none): the new image's `false` applies, and exits.
    let new_image =
        common::push_newer(&docker, &id, &repo, r#"ENTRYPOINT ["false"]"#, &old_id).await;

    let mut app = recreate_from_keys(&name);
    app.wait_for("the roll back", Duration::from_secs(60), |s| {
        s.contains("rolled back")
    });
    let now = inspect(&docker, &name).await;
    assert_eq!(
        now["Id"],
        Value::from(id.clone()),
        "the old container has its name"
    );
    assert_eq!(now["State"]["Running"], true, "and runs");
    let ours = common::ours(&docker, test).await;
    assert_eq!(ours.len(), 1, "the new container is gone: {ours:?}");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
    remove_images(&docker, &repo, &old_id, [&old_image, &new_image]).await;
}

/// `u` on a container whose image was tagged here (the seed image: no repo digest of its
/// repository) says so and recreates it from the local image, with no pull (which would
/// ask Docker Hub for another image, or fail).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn u_on_an_image_tagged_here_recreates_from_it_without_a_pull() {
    let _exclusive = common::screen::exclusive().await;
    let test = "recreate-local";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let old = common::start(&docker, test, &name, &["sleep", "600"]).await;
    let image = inspect(&docker, &old).await["Image"].clone();

    let mut app = App::start(200, 50, &["--interval", "60"]);
    select(&mut app, &name);
    app.keys("u");
    // The containerd image store (Engine 26 and 28 here) lists a repo digest for every
    // image, its own id even for one tagged or committed here: nothing then tells a local
    // image from a pulled one, and `u` asks to pull as for any other.
    let seed = docker
        .inspect_image(common::IMAGE)
        .await
        .expect("the seed image");
    let repo = common::IMAGE.split(':').next().unwrap_or_default();
    let digests = seed.repo_digests.unwrap_or_default();
    if digests.iter().any(|d| d.starts_with(&format!("{repo}@"))) {
        app.wait_for_text(&format!("Recreate {name} with the latest image?"));
        app.wait_for_text(&format!("$ docker image pull {}", common::IMAGE));
        app.keys("\x1b");
        app.keys("q");
        assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
        common::cleanup(&docker, test).await;
        return;
    }
    app.wait_for_text(&format!("Recreate {name} from its local image?"));
    app.wait_for_text("has no registry copy");
    app.wait_for_text("(no RepoDigests), so nothing is pulled");
    app.wait_for_text(&format!("$ docker container stop {name} && "));
    assert!(
        !app.screen().contains("docker image pull"),
        "{}",
        app.screen()
    );
    app.keys("\r");
    app.wait_for("the recreate's outcome", Duration::from_secs(60), |s| {
        s.contains(&format!("Recreated {name}"))
    });
    let now = inspect(&docker, &name).await;
    assert_ne!(now["Id"], Value::from(old.clone()), "a new container");
    assert_eq!(now["Image"], image, "from the same local image");
    assert_eq!(now["State"]["Running"], true);
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m_changes_limits_live_and_n_renames() {
    let _exclusive = common::screen::exclusive().await;
    let test = "edit-limits";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let id = common::start(&docker, test, &name, &["sleep", "600"]).await;

    let mut app = App::start(200, 50, &["--interval", "60"]);
    select(&mut app, &name);
    app.keys("m");
    app.wait_for_text(&format!("Limits of {name} (docker update)"));
    for (value, next) in [
        ("128m", "\t"),
        ("0.5", "\t"),
        ("on-failure:2", "\t"),
        ("100", "\r"),
    ] {
        app.keys(value);
        app.keys(next);
    }
    app.wait_for_text(&format!("Updated {name}'s limits"));
    let host = inspect(&docker, &id).await["HostConfig"].clone();
    assert_eq!(host["Memory"], 128 * 1024 * 1024);
    assert_eq!(host["NanoCpus"], 500_000_000);
    assert_eq!(host["RestartPolicy"]["Name"], "on-failure");
    assert_eq!(host["RestartPolicy"]["MaximumRetryCount"], 2);
    assert_eq!(host["PidsLimit"], 100);
    assert_eq!(
        inspect(&docker, &id).await["State"]["Running"],
        true,
        "live"
    );
    // Opened again, the form shows the values as they are now, in the CLI's units.
    app.keys("m");
    app.wait_for("the limits as they are", Duration::from_secs(10), |s| {
        s.contains(&format!("Limits of {name} (docker update)"))
            && [
                "1g): 128m",
                "2): 0.5",
                "]): on-failure:2",
                "unlimited): 100",
            ]
            .iter()
            .all(|v| s.contains(v))
    });
    app.keys("\x1b");

    // The name is pre-filled and selected: typing replaces it.
    let renamed = format!("{name}-renamed");
    app.keys("n");
    app.wait_for_text(&format!("Rename {name}"));
    app.keys(&renamed);
    app.keys("\r");
    app.wait_for_text(&format!("Renamed {name} to {renamed}"));
    let now = inspect(&docker, &renamed).await;
    assert_eq!(now["Id"], Value::from(id.clone()));
    // A name the daemon refuses is said in the form, and nothing is sent.
    app.keys("\x1b");
    app.keys("/");
    app.keys(&renamed);
    app.keys("\r");
    app.select_container(&renamed);
    app.keys("n");
    app.keys("-bad name");
    app.wait_for_text("a name starts with a letter or digit");
    app.keys("\x1b");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    assert_eq!(inspect(&docker, &id).await["Name"], format!("/{renamed}"));
    common::cleanup(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_opens_the_published_web_port_in_the_browser() {
    let _exclusive = common::screen::exclusive().await;
    let test = "open-port";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    let name = common::unique(test);
    let body = ContainerCreateBody {
        image: Some("dockpit-test/busybox:1".into()),
        cmd: Some(vec!["sleep".into(), "600".into()]),
        labels: Some([common::label_pair(test)].into()),
        exposed_ports: Some(vec!["80/tcp".into(), "5432/tcp".into()]),
        host_config: Some(HostConfig {
            port_bindings: Some(HashMap::from(["80/tcp", "5432/tcp"].map(|p| {
                let binding = PortBinding {
                    host_ip: Some("127.0.0.1".into()),
                    host_port: Some(String::new()),
                };
                (p.to_string(), Some(vec![binding]))
            }))),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = common::create_named(&docker, &name, body).await;
    docker.start_container(&id, None).await.expect("start");
    let port = inspect(&docker, &id).await["NetworkSettings"]["Ports"]["80/tcp"][0]["HostPort"]
        .as_str()
        .expect("the published port")
        .to_string();
    // A browser that writes down what it was asked to open.
    let dir = std::env::temp_dir().join(format!("dockpit-browser-{}", common::run()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let opened = dir.join("opened");
    let script = dir.join("browser");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .expect("the script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("executable");

    let browser = script.to_string_lossy().to_string();
    let mut app = App::start_with_env(200, 50, &["--interval", "60"], &[("BROWSER", &browser)]);
    select(&mut app, &name);
    app.keys("b");
    let url = format!("http://127.0.0.1:{port}");
    app.wait_for_text(&format!("opening {url} (copied)"));
    let mut said = String::new();
    for _ in 0..100 {
        said = std::fs::read_to_string(&opened).unwrap_or_default();
        if !said.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(said.trim(), url, "the web port (80), not 5432");
    // The URL went to the clipboard too (OSC 52).
    let bytes = app.output.lock().expect("output").clone();
    let osc52 = String::from_utf8_lossy(&bytes).contains("\x1b]52;c;");
    assert!(osc52, "copied through OSC 52");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    let _ = std::fs::remove_dir_all(&dir);
    common::cleanup(&docker, test).await;
}

/// `u`, `e`, Enter: the run form filled from the container's inspect, with the `docker run`
/// line under it.
fn open_edit_form(app: &mut App, name: &str) {
    app.select_container(name);
    app.keys("u");
    app.wait_for_text("edit it in the run form first");
    app.keys("e");
    app.keys("\r");
    app.wait_for_text(&format!("Edit and recreate {name}"));
    app.wait_for_text(&format!("$ docker container stop {name}"));
}

/// Its env sorted (the daemon puts the image's first or last as it likes).
fn sorted_env(mut v: Value) -> Value {
    if let Some(env) = v["Config"]["Env"].as_array_mut() {
        env.sort_by_key(|e| e.as_str().unwrap_or_default().to_string());
    }
    v
}

/// A port nothing listens on now, on 127.0.0.1.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    listener.local_addr().expect("its address").port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_and_recreate_changes_one_env_and_one_port_and_keeps_the_rest() {
    let _exclusive = common::screen::exclusive().await;
    let test = "recreate-edit";
    let docker = common::docker().await;
    common::cleanup(&docker, test).await;
    remove_dead_commits(&docker).await;
    let name = common::unique(test);
    let (net, ip) = network(&docker, test).await;
    let volume = common::unique("recreate-data");
    let body = body(test, "dockpit-test/busybox:1", &net, &ip, &volume);
    let id = common::create_named(&docker, &name, body).await;
    docker.start_container(&id, None).await.expect("start");
    let before = running_healthy(&docker, &name).await;
    let port = free_port();

    let mut app = App::start(200, 50, &["--interval", "60"]);
    select(&mut app, &name);
    open_edit_form(&mut app, &name);
    // Image, name, command, -it, --rm, then env: its value is selected, typing replaces it.
    app.keys(&"\t".repeat(5));
    app.keys("A=2\rB=two words");
    app.keys("\t\t");
    app.keys(&format!("127.0.0.1:{port}:80"));
    app.wait_for_text(&format!("127.0.0.1:{port}:80"));
    app.keys("\r");
    app.wait_for("the recreate's outcome", Duration::from_secs(60), |s| {
        s.contains(&format!("Recreated {name}"))
    });
    let after = running_healthy(&docker, &name).await;
    assert_ne!(after["Id"], before["Id"], "a new container");
    assert_eq!(
        after["Image"], before["Image"],
        "the same image, not pulled"
    );
    // Every field of its configuration but the env and the port changed.
    let mut expected = sorted_env(comparable(before.clone()));
    for e in expected["Config"]["Env"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        if e == "A=1" {
            *e = "A=2".into();
        }
    }
    expected["HostConfig"]["PortBindings"]["80/tcp"][0]["HostPort"] = port.to_string().into();
    let anonymous = (volumes(&before).into_iter())
        .find(|(_, dest)| dest == "/cache")
        .map(|(volume, dest)| format!("{volume}:{dest}"))
        .expect("the anonymous volume");
    if let Some(binds) = expected["HostConfig"]["Binds"].as_array_mut() {
        binds.push(anonymous.into());
    }
    assert_eq!(sorted_env(comparable(after.clone())), expected);
    assert_eq!(endpoint(&after, &net), endpoint(&before, &net));
    assert_eq!(volumes(&after), volumes(&before), "the same volumes");
    let published = &after["NetworkSettings"]["Ports"]["80/tcp"][0];
    assert_eq!(published["HostIp"], "127.0.0.1");
    assert_eq!(published["HostPort"], port.to_string());

    // A command that exits at once: rolled back to the container just made, running.
    app.wait_for(
        "the old one gone from the list",
        Duration::from_secs(10),
        |s| !s.contains("-dockpit-old"),
    );
    open_edit_form(&mut app, &name);
    app.keys("\t\t");
    app.keys("false");
    app.keys("\r");
    app.wait_for("the roll back", Duration::from_secs(60), |s| {
        s.contains("rolled back")
    });
    let now = running_healthy(&docker, &name).await;
    assert_eq!(
        now["Id"], after["Id"],
        "the container before the edit has its name"
    );
    let ours = common::ours(&docker, test).await;
    assert_eq!(ours.len(), 1, "the new container is gone: {ours:?}");
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    common::cleanup(&docker, test).await;
    let _ = docker.remove_network(&net).await;
    for (volume, _) in volumes(&before) {
        let options = None::<bollard::query_parameters::RemoveVolumeOptions>;
        let _ = docker.remove_volume(&volume, options).await;
    }
}
