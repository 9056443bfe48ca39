//! "Edit and recreate": `u`, `e`, Enter asks for the container's inspect; its answer opens
//! the run form filled field by field; submitting gives the recreate with only the changed
//! fields, and bad input is refused with nothing sent.

use super::*;
use crate::app::dialog::{Dialog, FieldId, Form, FormKind};
use crate::docker::ContainerState;
use crate::docker::inspect::Inspection;
use crate::run_spec::RunField;

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.send(Event::Key(KeyEvent::from(code)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// A container's inspect with a value for every field of the run form, and some it has
/// no field for.
fn inspect() -> serde_json::Value {
    serde_json::json!({
        "Id": "id-web",
        "Name": "/web",
        "Config": {
            "Image": "127.0.0.1:5000/app:1",
            "Cmd": ["sh", "-c", "echo hi; sleep 600"],
            "Entrypoint": ["/entry.sh", "--verbose"],
            "Tty": true,
            "User": "65534:65534",
            "WorkingDir": "/srv",
            "Env": ["PATH=/usr/bin:/bin", "NO_PROXY=a,b", "A=1"],
            "Labels": {"team": "web", "rule": "Host(`a`, `b`)"}
        },
        "HostConfig": {
            "AutoRemove": false,
            "Binds": ["/srv:/srv:ro", "data:/data", "/x:/x:rw,z"],
            "PortBindings": {
                "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}],
                "53/udp": [{"HostIp": "", "HostPort": ""}],
                "443/tcp": [{"HostIp": "::1", "HostPort": "8443"}],
                "9000/tcp": [{"HostIp": "0.0.0.0", "HostPort": ""}]
            },
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3},
            "NetworkMode": "front",
            "Memory": 67108864,
            "NanoCpus": 500000000,
            "CpuShares": 512
        }
    })
}

/// The app with the edit form of `web` open, as `u`, `e`, Enter and the inspect open it.
fn edit_form() -> App {
    let mut app = new_app(0, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
        images: Vec::new(),
        containers: vec![container("web", ContainerState::Running)],
    }));
    app.focus = Pane::Containers;
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('e'));
    let commands = press(&mut app, KeyCode::Enter);
    let [Command::Inspect { id, .. }] = commands.as_slice() else {
        panic!("the inspect is asked for: {commands:?}");
    };
    let commands = app.send(docker(DockerEvent::Inspected {
        id: *id,
        result: Ok(Inspection {
            summary: Vec::new(),
            json: inspect().to_string(),
            top: None,
            changes: None,
        }),
    }));
    assert!(
        matches!(commands.as_slice(), [Command::ListNetworks]),
        "the daemon's networks, for the network field: {commands:?}"
    );
    app.send(docker(DockerEvent::Networks(vec![
        "bridge".into(),
        "front".into(),
    ])));
    app
}

fn form(app: &App) -> &Form {
    match &app.view {
        Some(View::Dialog(Dialog::Form(form))) => form,
        other => panic!("no form: {other:?}"),
    }
}

#[test]
fn reading_its_settings_leaves_the_status_line_once_the_form_is_open() {
    let mut app = new_app(0, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
        images: Vec::new(),
        containers: vec![container("web", ContainerState::Running)],
    }));
    app.focus = Pane::Containers;
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(status(&app), "reading its settings…");
    let app = edit_form();
    assert!(matches!(app.view, Some(View::Dialog(Dialog::Form(_)))));
    assert_eq!(status(&app), "", "the form is open: nothing is being read");
}

#[test]
fn the_run_form_is_filled_from_the_inspect_field_by_field() {
    let app = edit_form();
    let form = form(&app);
    assert_eq!(form.title(), " Edit and recreate web ");
    assert!(matches!(form.kind, FormKind::EditRecreate { .. }));
    let text = |f| form.text(FieldId::Run(f)).to_string();
    assert_eq!(text(RunField::Image), "127.0.0.1:5000/app:1");
    assert_eq!(text(RunField::Name), "web");
    assert_eq!(text(RunField::Command), "sh -c 'echo hi; sleep 600'");
    assert_eq!(text(RunField::Env), "PATH=/usr/bin:/bin\nNO_PROXY=a,b\nA=1");
    assert_eq!(text(RunField::Labels), "rule=Host(`a`, `b`), team=web");
    assert_eq!(
        text(RunField::Ports),
        "0.0.0.0::9000/tcp, 127.0.0.1:8080:80/tcp, 53/udp, [::1]:8443:443/tcp",
        "sorted; the daemon's choice of host port kept as a choice"
    );
    assert_eq!(
        text(RunField::Volumes),
        "/srv:/srv:ro, data:/data",
        "a bind with options the form cannot write is not shown (and kept)"
    );
    assert_eq!(text(RunField::Restart), "on-failure:3");
    assert_eq!(text(RunField::Network), "front");
    assert_eq!(text(RunField::Entrypoint), "/entry.sh --verbose");
    assert_eq!(text(RunField::User), "65534:65534");
    assert_eq!(text(RunField::Workdir), "/srv");
    assert_eq!(text(RunField::Memory), "64m");
    assert_eq!(text(RunField::Cpus), "0.5");
    let values = form.run_values();
    assert!(values.tty && !values.auto_remove);
    // The fields are `r`'s, in its order.
    let ids: Vec<FieldId> = form.fields.iter().map(|f| f.id()).collect();
    let run: Vec<FieldId> = Form::run("x").fields.iter().map(|f| f.id()).collect();
    assert_eq!(ids, run);
    // Filled as it is, the form is valid, says what it keeps, and changes nothing.
    assert_eq!(form.error, None);
    assert!(form.hint().is_some_and(|h| h.contains("kept from inspect")));
    let Ok(Op::Recreate {
        edits: Some(edits), ..
    }) = form.op()
    else {
        panic!("{:?}", form.op());
    };
    assert!(edits.changed.is_empty(), "{:?}", edits.changed);
}

#[test]
fn submitting_recreates_with_the_changed_env_and_port_and_says_the_run_line() {
    let mut app = edit_form();
    // The env field, its selected value replaced.
    let env = form(&app).position(FieldId::Run(RunField::Env));
    while Some(form(&app).focus) != env {
        press(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "A=2");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "127.0.0.1:9090:80");
    let op = form(&app).op().expect("valid");
    assert_eq!(
        op.cli(),
        "docker container stop web && docker container rename web web-dockpit-old && \
         docker container run -it --name web -e A=2 --label 'rule=Host(`a`, `b`)' \
         --label team=web -p 127.0.0.1:9090:80/tcp -v /srv:/srv:ro -v data:/data \
         --restart on-failure:3 --network front --entrypoint '/entry.sh --verbose' \
         --user 65534:65534 --workdir /srv --memory 64m --cpus 0.5 127.0.0.1:5000/app:1 \
         sh -c 'echo hi; sleep 600' && docker container rm web-dockpit-old"
    );
    let commands = press(&mut app, KeyCode::Enter);
    let [
        Command::Op {
            op:
                Op::Recreate {
                    target,
                    edits: Some(edits),
                    ..
                },
            ..
        },
    ] = commands.as_slice()
    else {
        panic!("{commands:?}");
    };
    assert_eq!(target.name, "web");
    assert_eq!(edits.changed, [RunField::Env, RunField::Ports]);
    assert_eq!(edits.spec.env, ["A=2"]);
    assert!(app.view.is_none(), "the form closed");
}

#[test]
fn bad_input_is_refused_in_the_form_and_nothing_is_sent() {
    let mut app = edit_form();
    // Each of the fields `r`'s form gained, refused as it parses them.
    for (field, typed_text, why) in [
        (
            RunField::Memory,
            "1k",
            "the daemon's least memory limit is 6m",
        ),
        (RunField::Cpus, "lots", "is not a number of CPUs"),
        (RunField::Workdir, "srv", "must be absolute"),
        (RunField::User, "a b", "is not a user"),
        (RunField::Entrypoint, "'open", "unclosed ' quote"),
        (
            RunField::Network,
            "back",
            "no network \"back\" here: the daemon has bridge, front",
        ),
    ] {
        let mut app = edit_form();
        let at = form(&app).position(FieldId::Run(field));
        while Some(form(&app).focus) != at {
            press(&mut app, KeyCode::Tab);
        }
        typed(&mut app, typed_text);
        assert!(press(&mut app, KeyCode::Enter).is_empty(), "{field:?}");
        let (at_fault, message) = form(&app).error.clone().expect("an error");
        assert_eq!(
            (Some(at_fault), message.contains(why)),
            (at, true),
            "{message}"
        );
    }
    let ports = form(&app).position(FieldId::Run(RunField::Ports));
    while Some(form(&app).focus) != ports {
        press(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "99999:80");
    let commands = press(&mut app, KeyCode::Enter);
    assert!(commands.is_empty(), "{commands:?}");
    let form = form(&app);
    let (at, why) = form.error.clone().expect("an error");
    assert_eq!(Some(at), ports);
    assert!(why.contains("\"99999\" is not a port"), "{why}");
}

/// `m` reads the container's inspect first; its answer opens the limits form with each
/// value as it is, in the CLI's units, and only a value changed is sent.
#[test]
fn m_shows_each_limit_as_it_is_and_sends_only_those_changed() {
    let mut app = new_app(0, (120, 40));
    app.send(docker(DockerEvent::Snapshot {
        images: Vec::new(),
        containers: vec![container("web", ContainerState::Running)],
    }));
    app.focus = Pane::Containers;
    let commands = press(&mut app, KeyCode::Char('m'));
    let [Command::Inspect { id, .. }] = commands.as_slice() else {
        panic!("the inspect is asked for: {commands:?}");
    };
    assert!(app.view.is_none(), "no form before the values are known");
    let mut json = inspect();
    json["HostConfig"]["PidsLimit"] = 100.into();
    let commands = app.send(docker(DockerEvent::Inspected {
        id: *id,
        result: Ok(Inspection {
            summary: Vec::new(),
            json: json.to_string(),
            top: None,
            changes: None,
        }),
    }));
    assert!(commands.is_empty(), "{commands:?}");
    assert!(matches!(form(&app).kind, FormKind::Limits { .. }));
    let texts: Vec<&str> = (form(&app).fields.iter())
        .filter_map(|f| match f {
            crate::app::dialog::Field::Text { input, .. } => Some(input.value.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["64m", "0.5", "on-failure:3", "100"]);
    assert!(
        form(&app)
            .hint()
            .is_some_and(|h| h.contains("as it is now"))
    );
    // Unchanged: refused, nothing sent.
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(form(&app).error.is_some());
    // The CPUs typed over (the value is selected: typing replaces it): only they are sent.
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "1.5");
    let commands = press(&mut app, KeyCode::Enter);
    let [Command::Op { op, .. }] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    assert_eq!(op.cli(), "docker container update --cpus 1.5 web");
}
