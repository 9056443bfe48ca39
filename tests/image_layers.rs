//! `dockpit layers` against the real engine: an image whose layers the test writes itself
//! (loaded with `/images/load`, so every engine and image store holds the same bytes) is read
//! back through the Engine API's export, and its changes, tree totals, waste, score and the
//! `--ci` exit codes are checked exactly against what was written.

mod common;

use std::process::Command;

use bollard::query_parameters::RemoveImageOptions;
use common::layers::MIB;
use futures::StreamExt;
use serde_json::Value;

fn layers(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dockpit"))
        .arg("layers")
        .args(args)
        .output()
        .expect("run dockpit layers");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "dockpit panicked: {stderr}");
    (
        out.status.code().expect("an exit code"),
        format!("{}{stderr}", String::from_utf8_lossy(&out.stdout)),
    )
}

fn changes(report: &Value, layer: usize) -> Vec<String> {
    report["layers"][layer]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let link = c["link"]
                .as_str()
                .map(|l| format!(" -> {l}"))
                .unwrap_or_default();
            format!(
                "{} {} {} {}{link}",
                c["change"].as_str().unwrap_or("?"),
                c["kind"].as_str().unwrap_or("?"),
                c["path"].as_str().unwrap_or("?"),
                c["size"]
            )
        })
        .collect()
}

#[tokio::test]
async fn an_images_layers_waste_and_ci_verdicts_are_what_was_written() {
    let docker = common::docker().await;
    let test = "image-layers";
    let tag = format!("dockpit-test/layers-{}:1", common::run());
    let written = common::layers::written();
    common::layers::load(
        &docker,
        common::layers::image_tar(&tag, &common::label(test), &written),
    )
    .await;

    let (code, out) = layers(&[&tag, "--json", "--changes"]);
    assert_eq!(code, 0, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let steps: Vec<&str> = report["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|l| l["created_by"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(steps, written.iter().map(|(s, _)| *s).collect::<Vec<_>>());
    assert_eq!(
        changes(&report, 0),
        [
            "added dir /bin 0",
            "added hardlink /bin/ash 0 -> /bin/busybox",
            "added file /bin/busybox 4000",
            "added symlink /bin/sh 0 -> busybox",
            "added dir /data 0",
            "added file /data/old 50",
            "added dir /etc 0",
            "added file /etc/conf 300",
        ]
    );
    assert_eq!(changes(&report, 1), ["added file /big 10485760"]);
    assert_eq!(
        changes(&report, 2),
        [
            "removed file /big 10485760",
            "opaque dir /data 0",
            "added file /data/new 7",
            "removed file /data/old 50",
            "changed file /etc/conf 400",
        ]
    );
    // Waste: the 10 MiB file removed, the first /etc/conf, /data/old hidden by the opaque folder.
    assert_eq!(report["wasted_bytes"], 10 * MIB + 300 + 50);
    assert_eq!(report["total_size"], 4000 + 300 + 50 + 10 * MIB + 7 + 400);
    assert_eq!(report["final_size"], 4000 + 7 + 400);
    assert_eq!(report["waste"][0]["path"], "/big");
    let efficiency = report["efficiency"].as_f64().expect("a score");
    // dive's rule: min sizes over all sizes seen, per path (a removal weighs what it removed).
    let want = (4000 + 300 + 50 + 10 * MIB + 7) as f64 / (4000 + 700 + 100 + 20 * MIB + 7) as f64;
    assert!((efficiency - want).abs() < 1e-9, "{efficiency} != {want}");

    // --ci: each threshold just met passes, just crossed fails (exit 1).
    let below = format!("{}", efficiency - 0.001);
    let above = format!("{}", efficiency + 0.001);
    let ci = |extra: &[&str]| {
        let mut args = vec![
            tag.as_str(),
            "--ci",
            "--highest-user-wasted-percent",
            "disabled",
        ];
        args.extend_from_slice(extra);
        layers(&args)
    };
    assert_eq!(ci(&["--lowest-efficiency", &below]).0, 0);
    let (code, out) = ci(&["--lowest-efficiency", &above]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL: lowestEfficiency"), "{out}");
    let wasted = (10 * MIB + 350).to_string();
    let less = (10 * MIB + 349).to_string();
    assert_eq!(
        ci(&[
            "--lowest-efficiency",
            "disabled",
            "--highest-wasted",
            &wasted
        ])
        .0,
        0
    );
    assert_eq!(
        ci(&["--lowest-efficiency", "disabled", "--highest-wasted", &less]).0,
        1
    );
    // dive's defaults (efficiency 0.9, user wasted 10 %) fail this image.
    assert_eq!(layers(&[&tag, "--ci"]).0, 1);

    // Bad input: a name the engine does not know, a threshold that is not one.
    let (code, out) = layers(&["dockpit-test/no-such-image:1"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.to_lowercase().contains("no such image"), "{out}");
    let (code, out) = layers(&[&tag, "--ci", "--lowest-efficiency", "lots"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("not a ratio"), "{out}");

    // The same image read from the registry (pushed there, gzipped by the engine) without
    // the daemon: the same layers, changes and figures.
    let remote_repo = "127.0.0.1:5000/dockpit-test/layers";
    let remote_tag = common::run().to_string();
    docker
        .tag_image(
            &tag,
            Some(
                bollard::query_parameters::TagImageOptionsBuilder::new()
                    .repo(remote_repo)
                    .tag(&remote_tag)
                    .build(),
            ),
        )
        .await
        .expect("tag for the registry");
    let mut pushed = docker.push_image(
        remote_repo,
        Some(
            bollard::query_parameters::PushImageOptionsBuilder::new()
                .tag(&remote_tag)
                .build(),
        ),
        Some(bollard::auth::DockerCredentials::default()),
    );
    while let Some(step) = pushed.next().await {
        let step = step.expect("the push");
        assert!(step.error_detail.is_none(), "push: {step:?}");
    }
    let remote_ref = format!("{remote_repo}:{remote_tag}");
    let (code, out) = layers(&[&remote_ref, "--remote", "--json", "--changes"]);
    assert_eq!(code, 0, "{out}");
    let mut remote: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    remote["image"] = report["image"].clone();
    assert_eq!(remote, report, "the registry's layers read as the engine's");

    for name in [tag.as_str(), remote_ref.as_str()] {
        docker
            .remove_image(name, None::<RemoveImageOptions>, None)
            .await
            .expect("remove the test's image");
    }
}
