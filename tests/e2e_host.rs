//! End to end, the rest of the host: health and restarts in the container list, and volumes
//! and networks created, used, refused, removed, connected and disconnected from keys, with
//! the daemon (read through bollard here) agreeing.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::{ContainerCreateBody, HealthConfig, HostConfig, Mount, MountType};
use bollard::models::{RestartPolicy, RestartPolicyNameEnum};
use bollard::query_parameters::{ListNetworksOptions, ListVolumesOptions};
use common::screen::App;

const WAIT: Duration = Duration::from_secs(15);

/// Removes the volumes and networks labelled for `test` (from an earlier, failed run too).
async fn cleanup_host(docker: &Docker, test: &str) {
    common::cleanup(docker, test).await;
    let filters: HashMap<String, Vec<String>> =
        [("label".to_string(), vec![common::label_filter(test)])].into();
    let volumes = docker
        .list_volumes(Some(ListVolumesOptions {
            filters: Some(filters.clone()),
        }))
        .await
        .expect("list labelled volumes");
    for v in volumes.volumes.unwrap_or_default() {
        let _ = docker
            .remove_volume(
                &v.name,
                None::<bollard::query_parameters::RemoveVolumeOptions>,
            )
            .await;
    }
    let networks = docker
        .list_networks(Some(ListNetworksOptions {
            filters: Some(filters),
        }))
        .await
        .expect("list labelled networks");
    for n in networks {
        let id = n.id.unwrap_or_default();
        // Whatever is still attached (a failed run's pick) is let go first.
        let options = bollard::query_parameters::InspectNetworkOptions::default();
        if let Ok(inspect) = docker.inspect_network(&id, Some(options)).await {
            for container in inspect.containers.unwrap_or_default().into_keys() {
                let request = bollard::models::NetworkDisconnectRequest {
                    container,
                    force: Some(true),
                };
                let _ = docker.disconnect_network(&id, request).await;
            }
        }
        let _ = docker.remove_network(&id).await;
    }
}

/// Creates a labelled container that sleeps, with `body`'s extras; returns its id.
async fn create(docker: &Docker, test: &str, name: &str, body: ContainerCreateBody) -> String {
    let body = ContainerCreateBody {
        image: Some(common::IMAGE.into()),
        labels: Some([common::label_pair(test)].into()),
        ..body
    };
    common::create_named(docker, name, body).await
}

/// Moves the open view's cursor onto the row named `name`, checked by the view's own count.
fn select_row(app: &mut App, title: &str, name: &str) {
    // Other tests' rows come and go on the shared engine: the row is looked for again after
    // the move, and the move made again if it shifted meanwhile.
    for _ in 0..5 {
        app.wait_for_text(name);
        let index = row_index(&app.screen(), title, name);
        app.keys("g");
        app.keys(&"j".repeat(index));
        let counted = format!("{title}{}/", index + 1);
        app.wait_for(&counted, WAIT, |s| s.contains(&counted));
        if row_index(&app.screen(), title, name) == index {
            return;
        }
    }
    panic!("{name} kept moving:\n{}", app.screen());
}

/// Where the row named `name` (its first cell) is among the rows under the title `title`:
/// `bridge ` is also every bridge network's DRIVER.
fn row_index(screen: &str, title: &str, name: &str) -> usize {
    screen
        .lines()
        .skip_while(|l| !l.contains(title))
        .skip(2)
        .take_while(|l| l.starts_with('│'))
        .position(|l| l.trim_start_matches('│').starts_with(name))
        .unwrap_or_else(|| panic!("no row {name}:\n{screen}"))
}

/// Opens the confirmation of `key` on the row `name`, reselecting if rows moved meanwhile.
fn ask_on_row(app: &mut App, title: &str, name: &str, key: &str, dialog: &str) {
    for _ in 0..5 {
        select_row(app, title, name);
        app.keys(key);
        let start = std::time::Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            if app.screen().contains(dialog) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // Another test's row came in between: close and try again.
        app.keys("\x1b");
        app.wait_for("the dialog to close", WAIT, |s| !s.contains("? ─"));
    }
    panic!("could not open {dialog:?}:\n{}", app.screen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_restarts_show_in_the_container_list() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-health";
    let docker = common::docker().await;
    cleanup_host(&docker, test).await;
    let healthy = common::unique("e2e-healthy");
    let flaky = common::unique("e2e-flaky");
    let check = HealthConfig {
        test: Some(vec!["CMD".into(), "true".into()]),
        interval: Some(500_000_000),
        ..Default::default()
    };
    let id = create(
        &docker,
        test,
        &healthy,
        ContainerCreateBody {
            cmd: Some(vec!["sleep".into(), "600".into()]),
            healthcheck: Some(check),
            ..Default::default()
        },
    )
    .await;
    docker.start_container(&id, None).await.expect("start");
    let policy = RestartPolicy {
        name: Some(RestartPolicyNameEnum::ON_FAILURE),
        maximum_retry_count: Some(2),
    };
    let id = create(
        &docker,
        test,
        &flaky,
        ContainerCreateBody {
            cmd: Some(vec!["sh".into(), "-c".into(), "sleep 0.3; exit 3".into()]),
            host_config: Some(HostConfig {
                restart_policy: Some(policy),
                ..Default::default()
            }),
            ..Default::default()
        },
    )
    .await;
    docker.start_container(&id, None).await.expect("start");

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text(&healthy);
    app.wait_for("HEALTH and healthy", WAIT, |s| {
        s.contains("HEALTH")
            && s.lines()
                .any(|l| l.contains(&healthy) && l.contains("healthy"))
    });
    // The daemon restarts it twice: the count follows its starts, without a poll.
    let shown = app.wait_for("RESTARTS 2", WAIT, |s| {
        s.contains("RESTARTS")
            && s.lines()
                .any(|l| l.contains(&flaky) && l.split_whitespace().any(|w| w == "2"))
    });
    println!("restart count on screen after {shown:?}");
    let inspect = docker.inspect_container(&id, None).await.expect("inspect");
    assert_eq!(inspect.restart_count, Some(2), "the daemon agrees");

    // Inspect shows the health check's last results.
    app.select_container(&healthy);
    app.keys("i");
    app.wait_for_text("Health check");
    let line = app.line_with("Health check").expect("a health check line");
    assert!(line.contains("exit 0 at "), "{line}");
    app.keys("q");
    app.wait_for("inspect to close", WAIT, |s| !s.contains("Health check"));
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    cleanup_host(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volume_created_used_refused_and_removed_from_keys() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-volumes";
    let docker = common::docker().await;
    cleanup_host(&docker, test).await;
    let volume = common::unique("e2e-vol");
    let user = common::unique("e2e-vol-user");

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text("Images (");
    app.keys("V");
    app.wait_for_text("Volumes (");
    // Created from the form, labelled so the test's cleanup finds it.
    app.keys("c");
    app.wait_for_text("Create a volume");
    app.keys(&volume);
    app.keys("\t\t");
    app.keys(&common::label_filter(test));
    app.keys("\r");
    // The volume event lists it again (the form, which shows the name as typed, closed).
    app.wait_for("the volume listed", Duration::from_secs(20), |s| {
        !s.contains("Create a volume") && s.contains(&volume)
    });
    let made = docker.inspect_volume(&volume).await.expect("created");
    assert_eq!(made.labels.get(common::LABEL), Some(&common::label(test)));

    // A container that mounts it shows as its user.
    let mount = Mount {
        target: Some("/data".into()),
        source: Some(volume.clone()),
        typ: Some(MountType::VOLUME),
        ..Default::default()
    };
    create(
        &docker,
        test,
        &user,
        ContainerCreateBody {
            cmd: Some(vec!["true".into()]),
            host_config: Some(HostConfig {
                mounts: Some(vec![mount]),
                ..Default::default()
            }),
            ..Default::default()
        },
    )
    .await;
    app.wait_for("its user", WAIT, |s| {
        s.lines()
            .any(|l| l.contains(&volume) && l.contains(&format!("1: {user}")))
    });

    // Remove asks, naming the user; the daemon refuses, in its own words with a hint.
    let title = format!("Remove volume {volume}?");
    // The question is made from the row as listed when `d` is pressed: a listing asked
    // before the user was created can still be the row then (seen on Engines 26 and 28
    // under other suites' events); ask again until the row it is made from has its user.
    let used_by = format!("Used by {user}");
    let mut named = false;
    for _ in 0..5 {
        ask_on_row(&mut app, "Volumes (", &volume, "d", &title);
        let start = std::time::Instant::now();
        while start.elapsed() < Duration::from_secs(3) && !app.screen().contains(&used_by) {
            std::thread::sleep(Duration::from_millis(20));
        }
        if app.screen().contains(&used_by) {
            named = true;
            break;
        }
        app.keys("\x1b");
        app.wait_for("the question to close", WAIT, |s| !s.contains(&title));
    }
    assert!(named, "the question never named {user}:\n{}", app.screen());
    app.keys("\r");
    app.wait_for_text("volume is in use");
    app.wait_for_text("remove that container first");
    docker.inspect_volume(&volume).await.expect("still there");

    // Without its user it goes, and its row with it.
    common::remove(&docker, &user).await;
    app.wait_for("no user", WAIT, |s| {
        s.lines().any(|l| l.contains(&volume) && l.contains('—'))
    });
    ask_on_row(&mut app, "Volumes (", &volume, "d", &title);
    app.keys("\r");
    let row = format!("│{volume} ");
    app.wait_for("the row to go", WAIT, |s| {
        !s.lines().any(|l| l.starts_with(&row))
    });
    assert!(docker.inspect_volume(&volume).await.is_err(), "removed");
    app.keys("q");
    app.wait_for("the view to close", WAIT, |s| !s.contains("Volumes ("));
    app.keys("L");
    app.wait_for_text(&format!("docker volume rm {volume}"));
    app.wait_for_text(&format!(
        "docker volume create --label {} {volume}",
        common::label_filter(test)
    ));
    app.keys("q");
    app.wait_for("the log to close", WAIT, |s| !s.contains("Command log"));
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    cleanup_host(&docker, test).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_container_connected_to_a_second_network_from_keys() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-networks";
    let docker = common::docker().await;
    cleanup_host(&docker, test).await;
    let network = common::unique("e2e-net");
    let name = common::unique("e2e-net-ctr");
    let id = common::start(&docker, test, &name, &["sleep", "600"]).await;

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text("Images (");
    app.keys(":networks\r");
    app.wait_for_text("Networks (");
    // The predefined bridge is refused with the reason, before any question.
    ask_free_row_refused(&mut app);

    app.keys("c");
    app.wait_for_text("Create a network");
    app.keys(&network);
    // A subnet of this run's own: a network left behind by a failed run keeps its subnet.
    let subnet = format!("10.213.{}.0/24", std::process::id() % 250);
    app.keys(&format!("\t\t{subnet}\t"));
    app.keys(&common::label_filter(test));
    app.keys("\r");
    app.wait_for("the network with its subnet", WAIT, |s| {
        s.lines()
            .any(|l| l.contains(&network) && l.contains(&subnet))
    });

    // Connect: pick the container from the list.
    select_row(&mut app, "Networks (", &network);
    app.keys("C");
    app.wait_for_text(&format!("┌ Connect to {network}"));
    pick(&mut app, &name);
    app.keys("\r");
    app.wait_for("the container attached", WAIT, |s| {
        s.lines()
            .any(|l| l.contains(&network) && l.contains(&format!("1: {name}")))
    });
    let inspect = docker.inspect_container(&id, None).await.expect("inspect");
    let networks = inspect
        .network_settings
        .and_then(|n| n.networks)
        .unwrap_or_default();
    let ip = networks
        .get(&network)
        .and_then(|e| e.ip_address.clone())
        .unwrap_or_default();
    let prefix = subnet.trim_end_matches("0/24");
    assert!(
        ip.starts_with(prefix),
        "docker inspect agrees: {ip:?} in {subnet}"
    );
    assert!(
        networks.contains_key("bridge"),
        "still on the first network"
    );

    // Disconnect: the only attached container is offered.
    select_row(&mut app, "Networks (", &network);
    app.keys("D");
    pick(&mut app, &name);
    app.keys("\r");
    app.wait_for("the container detached", WAIT, |s| {
        s.lines().any(|l| l.contains(&network) && l.contains('—'))
    });
    let inspect = docker.inspect_container(&id, None).await.expect("inspect");
    let networks = inspect
        .network_settings
        .and_then(|n| n.networks)
        .unwrap_or_default();
    assert!(!networks.contains_key(&network), "docker inspect agrees");

    // Removed from keys.
    ask_on_row(
        &mut app,
        "Networks (",
        &network,
        "d",
        &format!("Remove network {network}?"),
    );
    app.keys("\r");
    let row = format!("│{network} ");
    app.wait_for("the row to go", WAIT, |s| {
        !s.lines().any(|l| l.starts_with(&row))
    });
    let options = bollard::query_parameters::InspectNetworkOptions::default();
    assert!(
        docker
            .inspect_network(&network, Some(options))
            .await
            .is_err()
    );
    app.keys("q");
    app.wait_for("the view to close", WAIT, |s| !s.contains("Networks ("));
    app.keys("L");
    app.wait_for_text(&format!("docker network connect {network} {name}"));
    app.wait_for_text(&format!("docker network disconnect {network} {name}"));
    app.wait_for_text(&format!("docker network rm {network}"));
    app.keys("q");
    app.wait_for("the log to close", WAIT, |s| !s.contains("Command log"));
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    cleanup_host(&docker, test).await;
}

/// Moves the open picker's mark onto `name`, waiting for each move to show (a key still
/// in flight when Enter follows would pick another row).
fn pick(app: &mut App, name: &str) {
    let marked = format!("› {name}");
    for _ in 0..50 {
        let screen = app.screen();
        if screen.contains(&marked) {
            return;
        }
        let at = |needle: &str| screen.lines().position(|l| l.contains(needle));
        let keys = match (at("│ › "), at(&format!("   {name}"))) {
            (Some(mark), Some(row)) if row > mark => "j".repeat(row - mark),
            (Some(_), Some(_)) => "k".to_string(),
            _ => "\x1b[6~".to_string(),
        };
        app.keys(&keys);
        app.wait_for("the picker to move", WAIT, |s| s != screen);
        // Let the rest of the moves land before looking again.
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{name} is not in the picker:\n{}", app.screen());
}

/// `d` on `bridge` says why not, and asks nothing.
fn ask_free_row_refused(app: &mut App) {
    for _ in 0..5 {
        select_row(app, "Networks (", "bridge ");
        app.keys("d");
        app.wait_for("an answer", WAIT, |s| {
            s.contains("predefined networks") || s.contains("Remove network")
        });
        let screen = app.screen();
        assert!(!screen.contains("Remove network bridge?"), "{screen}");
        if screen.contains("predefined networks") {
            return;
        }
        // Another test's row moved under the cursor just then: not that one.
        app.keys("\x1b");
        app.wait_for("the question gone", WAIT, |s| !s.contains("Remove network"));
    }
    panic!("bridge kept moving:\n{}", app.screen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disk_usage_reads_what_docker_system_df_reads() {
    let _exclusive = common::screen::exclusive().await;
    let docker = common::docker().await;
    let mut app = App::start(120, 30, &["--interval", "60"]);
    app.wait_for_text("Images (");
    app.keys("F");
    app.wait_for_text("Build Cache");
    // As many images as the daemon lists (`docker system df`'s TOTAL).
    let listed = docker
        .list_images(None::<bollard::query_parameters::ListImagesOptions>)
        .await
        .expect("images")
        .len();
    let screen = app.screen();
    let line = screen
        .lines()
        .find(|l| l.starts_with("│Images "))
        .unwrap_or_else(|| panic!("no images row:\n{screen}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let total: usize = words
        .iter()
        .skip_while(|w| !w.ends_with("Images"))
        .nth(1)
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no total in {line:?}"));
    assert!(
        total.abs_diff(listed) <= 2,
        "{total} images shown, {listed} listed (others' tests may pull)"
    );
    app.keys("q");
    app.wait_for("the view to close", WAIT, |s| !s.contains("Build Cache"));
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
}

/// The sequence that once removed a volume and its data: in the volumes view `/redis` then
/// Enter. `/` opens the filter, so the letters are typed into it (they once acted as keys:
/// `d` asked to remove, Enter confirmed); Enter keeps the filter. A key the view does not
/// bind says so and does nothing else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_filter_in_the_volumes_view_removes_nothing() {
    let _exclusive = common::screen::exclusive().await;
    let test = "e2e-volume-filter";
    let docker = common::docker().await;
    cleanup_host(&docker, test).await;
    let volume = common::unique("e2e-redis-data");
    // This run's label, so `cleanup_host` finds it (a bare test name was never removed).
    let labels: HashMap<String, String> = [common::label_pair(test)].into();
    let body = bollard::models::VolumeCreateRequest {
        name: Some(volume.clone()),
        labels: Some(labels),
        ..Default::default()
    };
    docker.create_volume(body).await.expect("create a volume");

    let mut app = App::start(160, 45, &["--interval", "60"]);
    app.wait_for_text("Images (");
    app.keys("V");
    app.wait_for_text("Volumes (");
    // Its own volume selected: what a key falling through would act on.
    select_row(&mut app, "Volumes (", &volume);
    app.keys("/redis");
    app.wait_for_text("/redis▏");
    app.keys("\r");
    app.wait_for("the filter kept", WAIT, |s| {
        s.contains("/redis ") && !s.contains("/redis▏") && s.contains(&volume)
    });
    assert!(!app.screen().contains("Remove volume"), "{}", app.screen());
    // Every row shown matches the filter.
    let screen = app.screen();
    let rows: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.contains("Volumes ("))
        .skip(2)
        .take_while(|l| l.starts_with('│') && !l.trim_matches(['│', ' ']).is_empty())
        .collect();
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.contains("redis")),
        "{screen}"
    );
    // A key the view does not bind: it says so and does nothing else.
    app.keys("z");
    app.wait_for_text("z does nothing in the volumes view");
    // Esc clears the filter, then closes the view.
    app.keys("\x1b");
    app.wait_for("the filter cleared", WAIT, |s| {
        s.contains("Volumes (") && !s.contains("/redis")
    });
    app.keys("\x1b");
    app.wait_for("the view to close", WAIT, |s| !s.contains("Volumes ("));
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
    // Checked through the Engine API: the volume is there still.
    docker
        .inspect_volume(&volume)
        .await
        .expect("the volume is still there");
    cleanup_host(&docker, test).await;
}

/// Issue 25.12 in a pty: beside the engine, an endpoint whose socket does not exist (as an
/// implicit context's may not). It never answered and has no rows: the header counts it as
/// unreachable and raises no banner; the hosts view says so and shows its ENDPOINT whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_that_never_answers_is_unreachable_not_down() {
    let _exclusive = common::screen::exclusive().await;
    let here = std::env::var("DOCKER_HOST").expect("DOCKER_HOST");
    let gone = format!(
        "unix:///tmp/dockpit-e2e-nowhere-{}/docker.sock",
        std::process::id()
    );
    let mut app = App::start(160, 45, &["--interval", "60", "-H", &here, "-H", &gone]);
    app.wait_for_text("2 hosts: 1 up, 1 unreachable");
    assert!(!app.screen().contains("disconnected"), "{}", app.screen());
    app.keys("H");
    app.wait_for_text("Docker hosts and contexts");
    app.wait_for("the host never reached, its endpoint whole", WAIT, |s| {
        s.lines()
            .any(|l| l.contains("unreachable, retrying") && l.contains(&gone))
    });
    app.keys("q");
    app.wait_for("the hosts view to close", WAIT, |s| {
        !s.contains("Docker hosts and contexts")
    });
    app.keys("q");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), 0);
}
