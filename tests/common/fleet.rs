//! The fleet engine (`tests/engine.sh up fleet`): its folder, and a client on its socket.

use bollard::Docker;

/// The fleet engine's folder (tests/engine.sh keeps its socket, pidfile, TLS files and its
/// sshd's agent there).
pub fn fleet_dir() -> String {
    std::env::var("DOCKPIT_ENGINE_FLEET_DIR").unwrap_or_else(|_| "/tmp/dockpit-engine-fleet".into())
}

/// The fleet engine; a test that cannot reach it fails.
pub async fn fleet() -> Docker {
    let socket = format!("{}/docker.sock", fleet_dir());
    let docker = Docker::connect_with_unix(&socket, 30, bollard::API_DEFAULT_VERSION)
        .unwrap_or_else(|e| panic!("cannot connect to the fleet engine at {socket}: {e}"));
    docker.ping().await.unwrap_or_else(|e| {
        panic!("the fleet engine at {socket} does not answer ({e}): tests/engine.sh up fleet")
    });
    docker
}
