//! Update checks: what is asked and when, the marks, and the backoff of a registry that
//! refused (no request before it ends, whatever the user presses).

use super::*;
use crate::app::updates::{FIRST_BACKOFF, Mark};
use crate::docker::updates::{Checked, Target, Verdict};
use crate::docker::{ContainerState, HostId, ImageRow};

const T0: i64 = 1_000_000;

fn app() -> App {
    let mut app = new_app(T0, (120, 40));
    app.send(docker(DockerEvent::Connected(engine_info())));
    let image = |repo: &str, tag: &str, id: &str| ImageRow {
        // Pushed to the local registry; busybox:1 was tagged here.
        registry_copy: repo.starts_with("127.0.0.1:5000/"),
        ..super::image_row(repo, tag, id)
    };
    let mut web = container("web", ContainerState::Running);
    (web.image, web.image_id) = ("127.0.0.1:5000/app:1".into(), "sha256:aaa".into());
    // Made from a bare name: checked as the `:latest` it means.
    let mut bare = container("bare", ContainerState::Running);
    (bare.image, bare.image_id) = ("redis".into(), "sha256:ddd".into());
    let mut by_id = container("by-id", ContainerState::Running);
    (by_id.image, by_id.image_id) = ("sha256:ccc".into(), "sha256:ccc".into());
    let mut built = container("built", ContainerState::Running);
    (built.image, built.image_id) = ("busybox:1".into(), "sha256:bbb".into());
    app.send(docker(DockerEvent::Snapshot {
        images: vec![
            image("127.0.0.1:5000/app", "1", "sha256:aaa"),
            image("busybox", "1", "sha256:bbb"),
        ],
        containers: vec![web, bare, by_id, built],
    }));
    app.focus = Pane::Images;
    app
}

fn ctrl_r(app: &mut App) -> Vec<Target> {
    let key = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
    checks(&app.send(Event::Key(key)))
}

fn checks(commands: &[Command]) -> Vec<Target> {
    let mut targets: Vec<Target> = (commands.iter())
        .filter_map(|c| match c {
            Command::CheckUpdates { targets, .. } => Some(targets.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    targets.sort();
    targets
}

fn answer(app: &mut App, target: &Target, registry: &str, verdict: Verdict) {
    let checked = Checked {
        target: target.clone(),
        registry: registry.into(),
        verdict,
    };
    app.send(docker(DockerEvent::UpdateChecked(checked)));
}

/// Answers a round: the local registry's image with `verdict`, Docker Hub's as current.
fn finish(app: &mut App, targets: &[Target], verdict: Verdict) {
    for t in targets {
        match t.name.starts_with("127.0.0.1:5000/") {
            true => answer(app, t, "127.0.0.1:5000", verdict.clone()),
            false => answer(app, t, "docker.io", Verdict::Current),
        }
    }
}

fn limited(retry_after: Option<u64>) -> Verdict {
    Verdict::Unknown {
        why: "the registry answered 429 Too Many Requests".into(),
        transient: true,
        retry_after,
    }
}

fn target(name: &str, id: &str) -> Target {
    Target {
        image_id: id.into(),
        name: name.into(),
    }
}

#[test]
fn ctrl_r_in_the_images_pane_asks_for_each_named_image_once() {
    let mut app = app();
    // The container on 127.0.0.1:5000/app:1 is the image's row: one target. The container
    // made from an id (no tag) is never asked about.
    assert_eq!(
        ctrl_r(&mut app),
        vec![
            target("127.0.0.1:5000/app:1", "sha256:aaa"),
            target("busybox:1", "sha256:bbb"),
        ]
    );
    assert_eq!(app.updates.in_flight, 2);
    assert!(
        status(&app).contains("checking 2 images"),
        "{}",
        status(&app)
    );
    // Asked again while the check runs: refused, nothing sent.
    assert!(ctrl_r(&mut app).is_empty());
    assert!(
        status(&app).contains("already checking"),
        "{}",
        status(&app)
    );
    // A filter narrows the check to the images shown (and their containers).
    let mut filtered = self::app();
    for key in "/busybox\r".chars() {
        let code = if key == '\r' {
            KeyCode::Enter
        } else {
            KeyCode::Char(key)
        };
        filtered.send(Event::Key(KeyEvent::from(code)));
    }
    assert_eq!(
        ctrl_r(&mut filtered),
        vec![target("busybox:1", "sha256:bbb")]
    );
    // In the containers pane Ctrl-R only refreshes.
    let mut other = self::app();
    other.focus = Pane::Containers;
    assert!(ctrl_r(&mut other).is_empty());
}

#[test]
fn a_newer_digest_marks_the_image_and_its_containers_until_current() {
    let mut app = app();
    let targets = ctrl_r(&mut app);
    let newer = Verdict::Newer {
        digest: format!("sha256:{}", "e".repeat(64)),
    };
    finish(&mut app, &targets, newer.clone());
    let mark = app
        .updates
        .mark(HostId(0), "sha256:aaa", "127.0.0.1:5000/app:1");
    assert_eq!(
        mark,
        Some(&Mark::Newer {
            digest: format!("sha256:{}", "e".repeat(64)),
            since: T0
        })
    );
    assert_eq!(
        app.updates.mark(HostId(0), "sha256:bbb", "busybox:1"),
        Some(&Mark::Current)
    );
    assert!(
        status(&app).contains("1 newer, 1 current, 0 unknown"),
        "{}",
        status(&app)
    );
    // Seen again by the automatic check a day later: still "since" the first sighting, as
    // inspect words it.
    let again = checks(&app.send(Event::Tick(T0 + 86_400)));
    finish(&mut app, &again, newer);
    let line = app.update_line(HostId(0), "sha256:aaa", "127.0.0.1:5000/app:1");
    assert!(
        line.as_deref()
            .is_some_and(|l| l.contains("newer digest") && l.contains("first seen 24 hours ago")),
        "{line:?}"
    );
}

#[test]
fn a_rate_limited_registry_is_not_asked_again_before_its_backoff_ends() {
    let mut app = app();
    let targets = ctrl_r(&mut app);
    finish(&mut app, &targets, limited(None));
    let key = (
        HostId(0),
        "sha256:aaa".to_string(),
        "127.0.0.1:5000/app:1".to_string(),
    );
    assert!(
        matches!(app.updates.marks.get(&key), Some(Mark::Unknown { why }) if why.contains("429"))
    );
    // Pressed again and again within the backoff: only docker.io is asked.
    for later in [1, 30, FIRST_BACKOFF - 1] {
        app.send(Event::Tick(T0 + later));
        let asked = ctrl_r(&mut app);
        assert_eq!(
            asked,
            vec![target("busybox:1", "sha256:bbb")],
            "at +{later} s"
        );
        let said = status(&app);
        assert!(said.contains("1 image for updates; 1 held back"), "{said}");
        answer(&mut app, &asked[0], "docker.io", Verdict::Current);
        // The tally that replaces it still says why one is unknown (the held-back status
        // lasted a few ms on the screen, and a test missed it under load).
        let said = status(&app);
        assert!(
            said.contains("0 newer, 1 current, 1 unknown (1 held back while their registry"),
            "{said}"
        );
        assert!(
            matches!(app.updates.marks.get(&key), Some(Mark::Unknown { why }) if why.contains("not asked again")),
            "{:?}",
            app.updates.marks.get(&key)
        );
    }
    // Once it ends, asked again; a second failure doubles the wait, a Retry-After longer
    // than that is honoured.
    app.send(Event::Tick(T0 + FIRST_BACKOFF));
    let asked = ctrl_r(&mut app);
    assert_eq!(asked.len(), 2);
    finish(&mut app, &asked, limited(None));
    let backoff = &app.updates.backoff["127.0.0.1:5000"];
    assert_eq!(backoff.until, T0 + FIRST_BACKOFF + 2 * FIRST_BACKOFF);
    app.send(Event::Tick(backoff.until));
    let asked = ctrl_r(&mut app);
    finish(&mut app, &asked, limited(Some(3_600)));
    let until = app.updates.backoff["127.0.0.1:5000"].until;
    assert_eq!(until, T0 + 3 * FIRST_BACKOFF + 3_600);
    // An answer ends the backoff.
    app.send(Event::Tick(until));
    let asked = ctrl_r(&mut app);
    finish(&mut app, &asked, Verdict::Current);
    assert!(app.updates.backoff.is_empty());
}

#[test]
fn the_rest_of_a_round_shares_its_registrys_first_failure() {
    let mut app = app();
    let targets = ctrl_r(&mut app);
    answer(&mut app, &targets[0], "127.0.0.1:5000", limited(None));
    app.send(Event::Tick(T0 + 5));
    // A second image of the same round, answered later: the backoff is not lengthened.
    answer(&mut app, &targets[0], "127.0.0.1:5000", limited(None));
    assert_eq!(
        app.updates.backoff["127.0.0.1:5000"].until,
        T0 + FIRST_BACKOFF
    );
}

#[test]
fn the_automatic_check_comes_a_minute_after_the_listing_then_every_interval() {
    let mut app = app();
    assert!(
        checks(&app.send(Event::Tick(T0))).is_empty(),
        "not at start"
    );
    assert!(checks(&app.send(Event::Tick(T0 + 59))).is_empty());
    // Every image and container, a bare name as the `:latest` it means.
    let asked = checks(&app.send(Event::Tick(T0 + 60)));
    assert_eq!(asked.len(), 3);
    assert!(
        asked.contains(&target("redis:latest", "sha256:ddd")),
        "{asked:?}"
    );
    // Quiet: the status line is the user's.
    assert!(!status(&app).contains("checking"), "{}", status(&app));
    for t in &asked {
        answer(&mut app, t, "docker.io", Verdict::Current);
    }
    assert!(!status(&app).contains("update check"), "{}", status(&app));
    let interval = crate::app::updates::DEFAULT_INTERVAL;
    assert!(checks(&app.send(Event::Tick(T0 + 60 + interval - 1))).is_empty());
    assert_eq!(checks(&app.send(Event::Tick(T0 + 60 + interval))).len(), 3);
    // Off: never by itself.
    let mut off = self::app();
    off.updates.interval = None;
    for t in [T0, T0 + 60, T0 + interval * 2] {
        assert!(checks(&off.send(Event::Tick(t))).is_empty());
    }
}

#[test]
fn a_check_whose_answers_never_come_does_not_hold_back_the_next_for_ever() {
    let mut app = app();
    assert_eq!(ctrl_r(&mut app).len(), 2);
    // Its host went away: no answer. Ten minutes on, a new check is asked all the same.
    app.send(Event::Tick(T0 + 599));
    assert!(ctrl_r(&mut app).is_empty());
    app.send(Event::Tick(T0 + 600));
    assert_eq!(ctrl_r(&mut app).len(), 2);
}

/// `u` on the container named `name`: its question.
fn recreate_question(name: &str) -> crate::app::dialog::Confirm {
    question_on(app(), name)
}

/// `u` on the container named `name` in `app`: its question.
fn question_on(mut app: App, name: &str) -> crate::app::dialog::Confirm {
    app.focus = Pane::Containers;
    for key in format!("/{name}").chars() {
        app.send(Event::Key(KeyEvent::from(KeyCode::Char(key))));
    }
    app.send(Event::Key(KeyEvent::from(KeyCode::Enter)));
    app.send(Event::Key(KeyEvent::from(KeyCode::Char('u'))));
    match &app.view {
        Some(View::Dialog(crate::app::dialog::Dialog::Confirm(c))) => c.clone(),
        other => panic!("u asks first: {other:?}"),
    }
}

#[test]
fn u_on_an_image_built_here_says_so_and_recreates_from_it_without_a_pull() {
    // busybox:1 has no RepoDigests here: a pull would ask Docker Hub for another image.
    let local = recreate_question("built");
    assert_eq!(local.title, " Recreate built from its local image? ");
    let text = local.lines.join("\n");
    assert!(
        text.contains("built or tagged here: busybox:1 has no registry copy (no RepoDigests), so nothing is pulled"),
        "{text}"
    );
    let ops = local.ops();
    assert!(
        matches!(ops.as_slice(), [Op::Recreate { pull: false, .. }]),
        "{ops:?}"
    );
    assert!(!ops[0].cli().contains("pull"), "{}", ops[0].cli());
    // An image from a registry is pulled first, as before.
    let pushed = recreate_question("web");
    assert_eq!(pushed.title, " Recreate web with the latest image? ");
    let ops = pushed.ops();
    assert!(
        matches!(ops.as_slice(), [Op::Recreate { pull: true, .. }]),
        "{ops:?}"
    );
    assert!(
        ops[0]
            .cli()
            .starts_with("docker image pull 127.0.0.1:5000/app:1 && ")
    );
}

/// An image named with a registry's host is that registry's even with no RepoDigests here
/// (tagged here, a newer one pushed since: clean run 33): `u` pulls it first.
#[test]
fn u_on_a_registry_named_image_with_no_digest_here_pulls_first() {
    let mut app = new_app(T0, (120, 40));
    app.send(docker(DockerEvent::Connected(engine_info())));
    let mut tagged = container("tagged", ContainerState::Running);
    (tagged.image, tagged.image_id) = ("127.0.0.1:5000/tagged:1".into(), "sha256:eee".into());
    let image = super::image_row("127.0.0.1:5000/tagged", "1", "sha256:eee");
    app.send(docker(DockerEvent::Snapshot {
        images: vec![image],
        containers: vec![tagged],
    }));
    let question = question_on(app, "tagged");
    assert_eq!(question.title, " Recreate tagged with the latest image? ");
    assert!(
        matches!(question.ops().as_slice(), [Op::Recreate { pull: true, .. }]),
        "{:?}",
        question.ops()
    );
}
