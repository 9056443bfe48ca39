//! A hostile daemon (a small fake on a unix socket, serving the archive endpoints) answers a
//! download with an archive whose root is a link to the user's folder, then entries under
//! it: refused, and nothing there is written, replaced or chmodded.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};

use base64::Engine;
use bollard::Docker;
use dockpit::docker::Target;
use dockpit::docker::files::download;

/// Go's `os.ModeDir`, as the daemon's path stat gives it.
const GO_DIR: u32 = 1 << 31;

/// The archive: `d` a link to `outside`, then `d/keep` (replacing the user's file), a new
/// `d/planted` and a folder `d/sub` of mode 4777.
fn hostile_tar(outside: &Path) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Symlink);
    header.set_mode(0o777);
    header.set_size(0);
    builder
        .append_link(&mut header, "d", outside)
        .expect("link");
    for (name, body) in [("d/keep", &b"replaced"[..]), ("d/planted", &b"x"[..])] {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o4755);
        header.set_size(body.len() as u64);
        header.set_cksum();
        builder.append_data(&mut header, name, body).expect("file");
    }
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Directory);
    header.set_mode(0o4777);
    header.set_size(0);
    header.set_cksum();
    builder
        .append_data(&mut header, "d/sub/", &b""[..])
        .expect("folder");
    builder.into_inner().expect("tar")
}

/// Serves `HEAD` (the path stat: a folder) and `GET` (the archive) of
/// `/containers/*/archive` on `socket`, for as long as the test runs.
fn fake_daemon(socket: &Path, archive: Vec<u8>) {
    let listener = UnixListener::bind(socket).expect("bind the fake daemon");
    let stat = serde_json::json!({
        "name": "d", "size": 0, "mode": GO_DIR | 0o755, "mtime": "2026-12-01T00:00:00Z",
        "linkTarget": "",
    });
    let stat = base64::engine::general_purpose::STANDARD.encode(stat.to_string());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let (stat, archive) = (stat.clone(), archive.clone());
            std::thread::spawn(move || {
                let Ok(mut writer) = stream.try_clone() else {
                    return;
                };
                let mut reader = BufReader::new(stream);
                loop {
                    let mut request = String::new();
                    if reader.read_line(&mut request).unwrap_or(0) == 0 {
                        return;
                    }
                    // The headers, up to the blank line (requests here carry no body).
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let head = if request.starts_with("HEAD ") {
                        format!(
                            "HTTP/1.1 200 OK\r\nX-Docker-Container-Path-Stat: {stat}\r\nContent-Length: 0\r\n\r\n"
                        )
                    } else {
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nContent-Length: {}\r\n\r\n",
                            archive.len()
                        )
                    };
                    let _ = writer.write_all(head.as_bytes());
                    if request.starts_with("GET ") {
                        let _ = writer.write_all(&archive);
                    }
                    let _ = writer.flush();
                }
            });
        }
    });
}

/// A scratch folder with the user's own folder `precious` (0755, one file) in it.
fn scratch() -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("dockpit-files-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let precious = dir.join("precious");
    std::fs::create_dir_all(&precious).expect("scratch folder");
    std::fs::write(precious.join("keep"), "mine").expect("keep");
    std::fs::set_permissions(&precious, std::fs::Permissions::from_mode(0o755)).expect("mode");
    (dir, precious)
}

#[tokio::test]
async fn a_linked_root_with_entries_under_it_writes_nothing_through_the_link() {
    let (dir, precious) = scratch();
    let socket = dir.join("docker.sock");
    fake_daemon(&socket, hostile_tar(&precious));
    let docker =
        Docker::connect_with_unix(&socket.to_string_lossy(), 10, bollard::API_DEFAULT_VERSION)
            .expect("a client");
    let target = Target {
        id: "c0ffee".into(),
        name: "hostile".into(),
    };
    let copy = dir.join("copy");
    std::fs::create_dir(&copy).expect("copy");
    let result = download(&docker, &target, "/d", &copy, false).await;
    let mode = std::fs::metadata(&precious).map(|m| m.permissions().mode() & 0o7777);
    let keep = std::fs::read_to_string(precious.join("keep"));
    let planted = precious.join("planted").exists() || precious.join("sub").exists();
    let _ = std::fs::remove_dir_all(&dir);
    let err = result.expect_err("refused");
    assert!(err.message.contains("not a folder"), "{}", err.message);
    assert_eq!(keep.expect("keep"), "mine", "the user's file was replaced");
    assert!(!planted, "a file was written into the user's folder");
    assert_eq!(mode.expect("mode"), 0o755, "the user's folder was chmodded");
}
