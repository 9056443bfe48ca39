#!/usr/bin/env bash
# The real Docker engines and the registry dockpit's tests run against.
#
#   tests/engine.sh up [ENGINE]     install what is missing, start the engine and the registry,
#                                   seed images, print DOCKER_HOST=... (reuses what is up)
#   tests/engine.sh down [ENGINE]   stop it, by the pids in its pidfiles
#   tests/engine.sh env [ENGINE]    print the DOCKER_HOST line only
#   tests/engine.sh down registry   stop the registry alone
#   tests/engine.sh version ENGINE  print "Engine 26.1.5, API 1.45, overlayfs, containerd image store"
#   tests/engine.sh list            print the engines' names
#
# ENGINE is one of (default: $DOCKPIT_ENGINE, else 20.10):
#   20.10  Debian 12's docker.io (Engine 20.10, API 1.41), classic image store, on docker0;
#          under $DOCKPIT_ENGINE_DIR (default /tmp/dockpit-engine). `down` stops the registry
#          too (its files live here).
#   26     Debian 13's docker.io (Engine 26.1, API 1.45) with the containerd image store, on
#          a bridge of its own (dpk-br26, 172.26.0.0/16) and its own containerd; fetched
#          without touching the system (a private apt configuration, `apt-get download`,
#          `dpkg-deb -x`) and run with Debian 12's containerd and runc; under
#          $DOCKPIT_ENGINE26_DIR (default /tmp/dockpit-engine26).
#   28     Debian unstable's docker.io (Engine 28.5, API 1.51) and containerd 2.1, the containerd
#          image store on, on a bridge of its own (dpk-br28, 172.28.0.0/16); fetched as 26 is
#          (both are static Go programs; sid's runc needs a newer glibc, so Debian 12's runc
#          serves); under $DOCKPIT_ENGINE28_DIR (default /tmp/dockpit-engine28).
#   podman Debian 12's Podman 4.3 serving the Docker API (`podman system service`) on
#          $DOCKPIT_PODMAN_DIR/docker.sock (default /tmp/dockpit-podman), its own storage; the
#          seeded images loaded from Engine 20.10's (`docker save` | `podman load`, so they are
#          named localhost/… as well as by their tags) .
#   all    20.10, 26, 28 and podman (`up all` prints one DOCKER_HOST line per engine, each
#          after a comment).
#   fleet  a second Engine 20.10 for the fleet tests (several hosts at once), on a bridge of
#          its own (dpk-br29, 172.29.0.0/16), answering on its socket and on
#          tcp://127.0.0.1:23760 with TLS (certificates made here, under $DIR/tls: the
#          client's ca.pem, cert.pem and key.pem for DOCKER_CERT_PATH); under
#          $DOCKPIT_ENGINE_FLEET_DIR (default /tmp/dockpit-engine-fleet). Also an sshd on
#          127.0.0.1:22 whose sessions reach it (DOCKER_HOST set by the sshd), with a key
#          made here held by an agent at $DIR/ssh/agent.sock, so `ssh://root@127.0.0.1` works
#          for a client given SSH_AUTH_SOCK (the ssh transport keeps no port: 22 it is).
#          Its host key goes into ~/.ssh/known_hosts (dockpit checks host keys strictly).
#          Not in `all`: the suite runs its own tests against it (tests/fleet*.rs).
#   swarm  a real two-node Swarm: two more Engines 20.10, a manager and a worker, each on a
#          bridge of its own (dpk-br30, dpk-br31), the manager listening for the Swarm on
#          127.0.0.1:2377 and the worker on 127.0.0.1:2387; under $DOCKPIT_ENGINE_SWARM_DIR
#          (default /tmp/dockpit-engine-swarm)/manager and …/worker. `env swarm` prints
#          DOCKPIT_SWARM_MANAGER=… and DOCKPIT_SWARM_WORKER=… (their DOCKER_HOSTs). `down
#          swarm` has each leave the Swarm and stops both. Not in `all` (tests/swarm*.rs).
#   compose not an engine: Debian unstable's docker-compose 2.40 (Compose v2), fetched as 28 is,
#          under $DOCKPIT_COMPOSE_DIR (default /tmp/dockpit-compose). `up compose` and `env
#          compose` print DOCKPIT_COMPOSE=the program (the Compose-file tests run it).
# The engines share the registry on 127.0.0.1:5000.
set -euo pipefail

REGISTRY=127.0.0.1:5000
DIR_20=${DOCKPIT_ENGINE_DIR:-/tmp/dockpit-engine}
DIR_26=${DOCKPIT_ENGINE26_DIR:-/tmp/dockpit-engine26}
DIR_28=${DOCKPIT_ENGINE28_DIR:-/tmp/dockpit-engine28}
DIR_PODMAN=${DOCKPIT_PODMAN_DIR:-/tmp/dockpit-podman}
# The registry's files live beside the first engine's, as they always have.
REGISTRY_DIR=$DIR_20
DIR_FLEET=${DOCKPIT_ENGINE_FLEET_DIR:-/tmp/dockpit-engine-fleet}
BRIDGE_FLEET=dpk-br29
BRIDGE_FLEET_ADDR=172.29.0.1/16
FLEET_TLS=127.0.0.1:23760
DIR_SWARM=${DOCKPIT_ENGINE_SWARM_DIR:-/tmp/dockpit-engine-swarm}
DIR_COMPOSE=${DOCKPIT_COMPOSE_DIR:-/tmp/dockpit-compose}
ENGINES="20.10 26 28 podman"

log() { echo "engine${ENGINE:+ $ENGINE}: $*" >&2; }

# Selects an engine: sets ENGINE, DIR, SOCK and DOCKER_HOST.
select_engine() {
    case "$1" in
    20.10 | 20) ENGINE=20.10 DIR=$DIR_20 ;;
    26) ENGINE=26 DIR=$DIR_26 BRIDGE=dpk-br26 BRIDGE_ADDR=172.26.0.1/16 ;;
    28) ENGINE=28 DIR=$DIR_28 BRIDGE=dpk-br28 BRIDGE_ADDR=172.28.0.1/16 ;;
    podman) ENGINE=podman DIR=$DIR_PODMAN ;;
    fleet) ENGINE=fleet DIR=$DIR_FLEET ;;
    swarm-manager) ENGINE=swarm-manager DIR=$DIR_SWARM/manager BRIDGE=dpk-br30 BRIDGE_ADDR=172.30.0.1/16 ;;
    swarm-worker) ENGINE=swarm-worker DIR=$DIR_SWARM/worker BRIDGE=dpk-br31 BRIDGE_ADDR=172.31.0.1/16 ;;
    *)
        echo "unknown engine '$1' (20.10, 26, 28, podman, all, fleet or swarm)" >&2
        exit 2
        ;;
    esac
    SOCK="$DIR/docker.sock"
    export DOCKER_HOST="unix://$SOCK"
}

install_missing() {
    local pkgs=()
    # dockerd 26 runs with Debian 12's containerd, runc, tini (docker-init) and iptables,
    # which docker.io brings.
    command -v dockerd >/dev/null || pkgs+=(docker.io)
    command -v containerd >/dev/null || pkgs+=(containerd)
    command -v docker-registry >/dev/null || pkgs+=(docker-registry)
    # Debian's plain `busybox` is dynamically linked and useless in a libc-less image; the
    # static one replaces it.
    dpkg -s busybox-static >/dev/null 2>&1 || pkgs+=(busybox-static)
    command -v curl >/dev/null || pkgs+=(curl)
    # The fleet engine's ssh:// endpoint, and its TLS certificates.
    [ -x /usr/sbin/sshd ] || pkgs+=(openssh-server)
    command -v openssl >/dev/null || pkgs+=(openssl)
    # The Podman engine (its Docker API).
    command -v podman >/dev/null || pkgs+=(podman)
    # Engine 26's bridge.
    command -v ip >/dev/null || pkgs+=(iproute2)
    if [ ${#pkgs[@]} -gt 0 ]; then
        log "installing ${pkgs[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        # Installing a server must not start it (on 0.0.0.0): the fleet engine starts its own.
        local guard=
        if [ ! -e /usr/sbin/policy-rc.d ]; then
            printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
            chmod +x /usr/sbin/policy-rc.d
            guard=1
        fi
        apt-get install -y -qq "${pkgs[@]}" >&2
        [ -z "$guard" ] || rm -f /usr/sbin/policy-rc.d
    fi
}

ping_daemon() { curl -sf --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; }
ping_registry() { curl -sf --max-time 2 "http://$REGISTRY/v2/" >/dev/null 2>&1; }
ping_containerd() { ctr --address "$DIR/containerd/containerd.sock" version >/dev/null 2>&1; }

wait_for() {
    local what=$1 check=$2 logfile=$3 tries=0
    until $check; do
        tries=$((tries + 1))
        if [ $tries -gt 150 ]; then
            log "$what did not answer within 30 s; its log:"
            tail -n 30 "$logfile" >&2 || true
            exit 1
        fi
        sleep 0.2
    done
}

# A daemon still shutting down holds its pidfile: wait for it; a stale one goes.
wait_pidfile_gone() {
    local pidfile=$1
    [ -f "$pidfile" ] || return 0
    local old
    old=$(cat "$pidfile")
    for _ in $(seq 1 300); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
    rm -f "$pidfile"
}

# The Debian mirror this machine's apt uses for bookworm (trixie is on the same mirror).
debian_mirror() {
    local url=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        url=$(awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}' \
            /etc/apt/sources.list.d/debian.sources)
    fi
    if [ -z "$url" ] && [ -f /etc/apt/sources.list ]; then
        url=$(awk '$1 == "deb" && $0 ~ / bookworm / {for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) {print $i; exit}}' \
            /etc/apt/sources.list)
    fi
    echo "${url:-http://deb.debian.org/debian}"
}

# A newer Debian's packages (SUITE: trixie, sid), unpacked under $DIR/pkg/root; nothing is
# installed on the system. Sets PKG_ROOT.
fetch_debian() {
    local suite=$1
    shift
    local pkg="$DIR/pkg"
    PKG_ROOT="$pkg/root"
    # Unpacked whole or not at all (the `mv` below), so a folder there is a finished fetch.
    if [ -d "$PKG_ROOT" ]; then return; fi
    log "fetching $* from Debian $suite (private apt configuration under $pkg)"
    rm -rf "$pkg"
    mkdir -p "$pkg/lists/partial" "$pkg/cache/archives/partial" "$pkg/download"
    local signed=""
    [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] &&
        signed="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
    echo "deb ${signed}$(debian_mirror) $suite main" >"$pkg/sources.list"
    local apt=(-o "Dir::Etc::sourcelist=$pkg/sources.list" -o Dir::Etc::sourceparts=-
        -o "Dir::State::Lists=$pkg/lists" -o "Dir::Cache=$pkg/cache"
        -o APT::Sandbox::User=root -qq)
    apt-get "${apt[@]}" update >&2
    (cd "$pkg/download" && apt-get "${apt[@]}" download "$@" >&2)
    local deb
    for deb in "$pkg"/download/*.deb; do dpkg-deb -x "$deb" "$PKG_ROOT.part"; done
    # Whole or not at all: a fetch cut short is fetched again.
    mv "$PKG_ROOT.part" "$PKG_ROOT"
    # The lists and the .debs are not needed any more (~40 MB).
    rm -rf "$pkg/lists" "$pkg/cache" "$pkg/download"
    if [ -x "$PKG_ROOT/usr/sbin/dockerd" ]; then log "$("$PKG_ROOT/usr/sbin/dockerd" --version)"; fi
}

# Compose v2 (sid's docker-compose, a static Go program) for the Compose-file tests: fetched
# as Engine 28 is, nothing installed system-wide. Prints DOCKPIT_COMPOSE=the program.
COMPOSE_PLUGIN=usr/libexec/docker/cli-plugins/docker-compose
up_compose() {
    DIR=$DIR_COMPOSE
    fetch_debian sid docker-compose
    log "$("$DIR/pkg/root/$COMPOSE_PLUGIN" version)"
}
env_compose() { echo "DOCKPIT_COMPOSE=$DIR_COMPOSE/pkg/root/$COMPOSE_PLUGIN"; }

# The fleet engine's sshd on 127.0.0.1:22, and an agent with the key it accepts.
start_sshd() {
    local s="$DIR/ssh"
    mkdir -p "$s" /run/sshd
    [ -f "$s/host_key" ] || ssh-keygen -q -t ed25519 -N '' -C dockpit-test-host -f "$s/host_key"
    [ -f "$s/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C dockpit-test -f "$s/id_ed25519"
    cp "$s/id_ed25519.pub" "$s/authorized_keys"
    cat >"$s/sshd_config" <<CONF
ListenAddress 127.0.0.1:22
HostKey $s/host_key
PidFile $s/sshd.pid
AuthorizedKeysFile $s/authorized_keys
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
SetEnv DOCKER_HOST=unix://$DIR/docker.sock
CONF
    local pid
    pid=$(cat "$s/sshd.pid" 2>/dev/null || true)
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        log "starting sshd on 127.0.0.1:22"
        /usr/sbin/sshd -f "$s/sshd_config" -E "$s/sshd.log"
    fi
    if ! SSH_AUTH_SOCK="$s/agent.sock" ssh-add -l >/dev/null 2>&1; then
        rm -f "$s/agent.sock"
        setsid ssh-agent -a "$s/agent.sock" >"$s/agent.env" </dev/null
        sed -n 's/.*SSH_AGENT_PID=\([0-9]*\).*/\1/p' "$s/agent.env" >"$s/agent.pid"
        SSH_AUTH_SOCK="$s/agent.sock" ssh-add -q "$s/id_ed25519"
    fi
    # dockpit checks host keys strictly (an unknown host is refused), so the key of this
    # sshd goes into ~/.ssh/known_hosts here; an entry for 127.0.0.1 left by an earlier test
    # sshd, with another key, would stop ssh: it goes first.
    local known=~/.ssh/known_hosts ours
    ours=$(awk '{print $2}' "$s/host_key.pub")
    if [ -f "$known" ] && grep -q '^127\.0\.0\.1 ' "$known" && ! grep -q "$ours" "$known"; then
        log "forgetting a stale host key for 127.0.0.1 in $known"
        ssh-keygen -q -R 127.0.0.1 -f "$known" >/dev/null 2>&1 || true
    fi
    if ! { [ -f "$known" ] && grep -q "$ours" "$known"; }; then
        mkdir -p -m 700 ~/.ssh
        echo "127.0.0.1 $(awk '{print $1, $2}' "$s/host_key.pub")" >>"$known"
    fi
}

stop_sshd() {
    local s="$DIR/ssh"
    # Its sessions first (children of the listening sshd; they outlive it otherwise), and
    # the ssh masters clients left open to it (bollard's ssh transport starts them with
    # ControlPersist; see the note in README).
    local pid
    pid=$(cat "$s/sshd.pid" 2>/dev/null || true)
    [ -z "$pid" ] || pkill -P "$pid" 2>/dev/null || true
    pkill -f '^ssh -E [^ ]*/\.ssh-connection[^ ]*/log -S .* root@127\.0\.0\.1$' 2>/dev/null || true
    stop_pidfile sshd "$s/sshd.pid"
    stop_pidfile ssh-agent "$s/agent.pid"
    # Only the entry for our host key.
    local known=~/.ssh/known_hosts ours
    if [ -f "$known" ] && [ -f "$s/host_key.pub" ]; then
        ours=$(awk '{print $2}' "$s/host_key.pub")
        grep -v "$ours" "$known" >"$known.dockpit" || true
        cat "$known.dockpit" >"$known" && rm -f "$known.dockpit"
    fi
}

# An extra engine's own bridge: it must never take docker0 (nor --bridge=none, which
# deletes docker0).
make_bridge() {
    local name=$1 addr=$2
    if ! ip link show "$name" >/dev/null 2>&1; then
        ip link add name "$name" type bridge
    fi
    # Read whole first: `ip … | grep -q` fails under pipefail when grep stops early.
    local addrs
    addrs=$(ip addr show dev "$name")
    grep -q "inet ${addr%/*}/" <<<"$addrs" || ip addr add "$addr" dev "$name"
    ip link set "$name" up
}

# The fleet engine's TLS: a CA, a server certificate for 127.0.0.1 and a client one.
make_certs() {
    local t="$DIR/tls"
    [ -f "$t/cert.pem" ] && return
    mkdir -p "$t"
    local q=(-days 30 -sha256)
    openssl req -x509 -newkey rsa:2048 -nodes "${q[@]}" -subj /CN=dockpit-test-ca \
        -keyout "$t/ca-key.pem" -out "$t/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
        -keyout "$t/server-key.pem" -out "$t/server.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$t/server.ext"
    openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca-key.pem" \
        -CAcreateserial "${q[@]}" -extfile "$t/server.ext" -out "$t/server-cert.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj /CN=dockpit-test-client \
        -keyout "$t/key.pem" -out "$t/client.csr" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' >"$t/client.ext"
    openssl x509 -req -in "$t/client.csr" -CA "$t/ca.pem" -CAkey "$t/ca-key.pem" \
        -CAcreateserial "${q[@]}" -extfile "$t/client.ext" -out "$t/cert.pem" 2>/dev/null
}

# Engine 26's and 28's own containerd (28's is sid's containerd 2, 26's Debian 12's). Left to
# itself, dockerd would use a system containerd at /run/containerd/containerd.sock whenever
# one runs (sharing its "moby" namespace and its image store with the system's Docker) and
# start one of its own only otherwise; this one is always private.
start_containerd() {
    if ping_containerd; then return; fi
    local c="$DIR/containerd"
    mkdir -p "$c/root" "$c/state"
    wait_pidfile_gone "$c/containerd.pid"
    cat >"$c/config.toml" <<CONF
version = 2
root = "$c/root"
state = "$c/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$c/containerd.sock"
[debug]
  level = "warn"
CONF
    log "starting $(containerd --version | awk '{print $1, $3}') on $c/containerd.sock"
    setsid containerd --config "$c/config.toml" >"$c/containerd.log" 2>&1 </dev/null &
    echo $! >"$c/containerd.pid"
    wait_for containerd ping_containerd "$c/containerd.log"
}

start_daemon() {
    if ping_daemon; then log "dockerd already answering on $SOCK"; return; fi
    mkdir -p "$DIR/data" "$DIR/exec"
    wait_pidfile_gone "$DIR/docker.pid"
    if [ "$ENGINE" = podman ]; then start_podman; return; fi
    local cmd=(dockerd) env=()
    if [ "$ENGINE" = 26 ] || [ "$ENGINE" = 28 ]; then
        if [ "$ENGINE" = 26 ]; then
            fetch_debian trixie docker.io
        else
            fetch_debian sid docker.io containerd
        fi
        make_bridge "$BRIDGE" "$BRIDGE_ADDR"
        # Its programs first on PATH (dockerd, docker-proxy; for 28 containerd and its shim
        # too); runc, docker-init and what else is missing are Debian 12's.
        local path="$PKG_ROOT/usr/sbin:$PKG_ROOT/usr/bin:$PATH"
        PATH=$path start_containerd
        # The containerd image store, as new installs have it.
        echo '{"features": {"containerd-snapshotter": true}}' >"$DIR/daemon.json"
        env=(env "PATH=$path")
        cmd=("$PKG_ROOT/usr/sbin/dockerd" --config-file "$DIR/daemon.json"
            --containerd "$DIR/containerd/containerd.sock"
            --bridge="$BRIDGE" --iptables=false --ip-masq=false)
    elif [ "$ENGINE" = fleet ]; then
        make_bridge "$BRIDGE_FLEET" "$BRIDGE_FLEET_ADDR"
        make_certs
        local t="$DIR/tls"
        cmd=(dockerd --bridge="$BRIDGE_FLEET" --iptables=false --ip-masq=false
            -H "tcp://$FLEET_TLS" --tlsverify --tlscacert "$t/ca.pem"
            --tlscert "$t/server-cert.pem" --tlskey "$t/server-key.pem")
    elif [[ $ENGINE == swarm-* ]]; then
        make_bridge "$BRIDGE" "$BRIDGE_ADDR"
        # A task's image is the node's own (seeded below): no pull from a registry first.
        env=(env DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1)
        cmd=(dockerd --bridge="$BRIDGE" --iptables=false --ip-masq=false)
    fi
    log "starting dockerd on $SOCK"
    # setsid: the daemon must outlive the shell that started it (cargo test runs later).
    setsid "${env[@]}" "${cmd[@]}" --data-root "$DIR/data" --exec-root "$DIR/exec" \
        -H "unix://$SOCK" --pidfile "$DIR/docker.pid" >"$DIR/dockerd.log" 2>&1 </dev/null &
    wait_for dockerd ping_daemon "$DIR/dockerd.log"
}

# Podman's Docker API on $SOCK, with storage, networks and settings of its own under $DIR:
# containers get limits this machine's hard limits allow (podman's defaults exceed them),
# the test registry is plain http, and its default network is dpk-podman (10.89.0.0/24), not
# the podman network a system Podman would use.
start_podman() {
    if ping_daemon; then log "podman already answering on $SOCK"; return; fi
    mkdir -p "$DIR/root" "$DIR/run" "$DIR/networks" "$DIR/tmp"
    wait_pidfile_gone "$DIR/podman.pid"
    cat >"$DIR/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[network]
network_backend = "netavark"
network_config_dir = "$DIR/networks"
default_network = "dpk-podman"
default_subnet = "10.89.0.0/24"
[engine]
tmp_dir = "$DIR/tmp"
# No systemd here: cgroups by hand, and events in a file of its own (not the journal).
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$DIR/events.log"
CONF
    cat >"$DIR/registries.conf" <<CONF
unqualified-search-registries = []
short-name-mode = "disabled"
[[registry]]
location = "$REGISTRY"
insecure = true
CONF
    cat >"$DIR/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$DIR/root"
runroot = "$DIR/run"
CONF
    log "starting podman system service on $SOCK"
    setsid env CONTAINERS_CONF="$DIR/containers.conf" CONTAINERS_REGISTRIES_CONF="$DIR/registries.conf" \
        CONTAINERS_STORAGE_CONF="$DIR/storage.conf" \
        podman --root "$DIR/root" --runroot "$DIR/run" system service --time=0 "unix://$SOCK" \
        >"$DIR/podman.log" 2>&1 </dev/null &
    echo $! >"$DIR/podman.pid"
    wait_for podman ping_daemon "$DIR/podman.log"
}

start_registry() {
    if ping_registry; then log "registry already answering on $REGISTRY"; return; fi
    mkdir -p "$REGISTRY_DIR/registry"
    cat >"$REGISTRY_DIR/registry.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY
CONF
    log "starting registry on $REGISTRY"
    setsid docker-registry serve "$REGISTRY_DIR/registry.yml" >"$REGISTRY_DIR/registry.log" 2>&1 </dev/null &
    echo $! >"$REGISTRY_DIR/registry.pid"
    wait_for registry ping_registry "$REGISTRY_DIR/registry.log"
}

# A root filesystem of static busybox: enough for sh, top, vi and friends.
make_rootfs() {
    local root="$DIR/rootfs"
    rm -rf "$root"
    mkdir -p "$root/bin" "$root/tmp" "$root/etc"
    cp /bin/busybox "$root/bin/busybox"
    for app in sh ls cat echo sleep top ps env hostname vi yes head stty printf seq true kill; do
        ln -sf busybox "$root/bin/$app"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
    echo "$root"
}

registry_seeded() {
    curl -sf "http://$REGISTRY/v2/busybox/manifests/1" >/dev/null 2>&1 &&
        curl -sf "http://$REGISTRY/v2/layered/manifests/1" >/dev/null 2>&1 &&
        grep -q arm64 <<<"$(curl -sf "http://$REGISTRY/v2/multi/manifests/1" \
            -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' 2>/dev/null)"
}

# The registry's images, pushed from whichever engine comes up first.
seed_registry() {
    local root=$1
    log "seeding the registry"
    for tag in 1 latest; do
        docker tag dockpit-test/busybox:1 "$REGISTRY/busybox:$tag"
        docker push -q "$REGISTRY/busybox:$tag" >/dev/null
    done
    # A real two-platform image index (the seed's section 4.2.2).
    tar -C "$root" -c . | docker import --platform linux/amd64 -c 'CMD ["/bin/sh"]' - \
        "$REGISTRY/multi:amd64" >/dev/null
    tar -C "$root" -c . | docker import --platform linux/arm64 -c 'CMD ["/bin/sh"]' - \
        "$REGISTRY/multi:arm64" >/dev/null
    docker push -q "$REGISTRY/multi:amd64" >/dev/null
    docker push -q "$REGISTRY/multi:arm64" >/dev/null
    docker manifest rm "$REGISTRY/multi:1" >/dev/null 2>&1 || true
    docker manifest create --insecure "$REGISTRY/multi:1" \
        "$REGISTRY/multi:amd64" "$REGISTRY/multi:arm64" >/dev/null
    # A daemon without experimental features ignores `import --platform`; the index entry
    # is what names the platform, so say it there.
    docker manifest annotate --os linux --arch arm64 "$REGISTRY/multi:1" "$REGISTRY/multi:arm64"
    docker manifest push --insecure "$REGISTRY/multi:1" >/dev/null
    # An image whose layer the daemon does not have, so its pulls show real layer progress.
    mkdir -p "$root/data"
    head -c 3000000 /dev/urandom >"$root/data/blob"
    tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' - "$REGISTRY/layered:1" >/dev/null
    docker push -q "$REGISTRY/layered:1" >/dev/null
    # Only the locally built tags stay: registry copies are for real pulls.
    docker image rm "$REGISTRY/busybox:1" "$REGISTRY/busybox:latest" \
        "$REGISTRY/multi:amd64" "$REGISTRY/multi:arm64" "$REGISTRY/layered:1" >/dev/null
}

seed_images() {
    local root=""
    if docker image inspect dockpit-test/busybox:1 >/dev/null 2>&1; then
        log "busybox images already there"
    else
        root=$(make_rootfs)
        log "seeding the busybox images"
        tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' \
            -c 'LABEL dockpit.test=seed' - dockpit-test/busybox:1 >/dev/null
        for tag in 2 latest; do docker tag dockpit-test/busybox:1 "dockpit-test/busybox:$tag"; done
    fi
    if registry_seeded; then
        log "registry already seeded"
    else
        [ -n "$root" ] || root=$(make_rootfs)
        seed_registry "$root"
    fi
    # The two-platform index held locally: the containerd image store lists it under the
    # index digest, with only this host's platform present; the classic store under the
    # config digest of this host's platform.
    if ! docker image inspect "$REGISTRY/multi:1" >/dev/null 2>&1; then
        log "pulling $REGISTRY/multi:1"
        docker pull -q "$REGISTRY/multi:1" >/dev/null
    fi
}

swarm_state() { docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null; }

# Each node's docker_gwbridge (the bridge its Swarm tasks reach the host by) on a Linux bridge
# of its own: both engines share the host's network namespace, and two default ones would
# both be called docker_gwbridge. It must exist before the node inits or joins.
gwbridge() {
    local bridge=$1 subnet=$2 named
    named=$(docker network inspect docker_gwbridge \
        --format '{{index .Options "com.docker.network.bridge.name"}}' 2>/dev/null || true)
    [ "$named" = "$bridge" ] && return
    # A default one (an earlier init made it): replaced while the node is in no Swarm.
    [ -z "$named" ] || docker network rm docker_gwbridge >/dev/null
    docker network create --subnet "$subnet" \
        --opt com.docker.network.bridge.name="$bridge" \
        --opt com.docker.network.bridge.enable_icc=false \
        --opt com.docker.network.bridge.enable_ip_masquerade=false \
        docker_gwbridge >/dev/null
}

# The manager inits the Swarm, the worker joins it (each only if not already in it).
form_swarm() {
    select_engine swarm-manager
    local manager=$DOCKER_HOST
    if [ "$(swarm_state)" != active ]; then
        log "starting a Swarm on 127.0.0.1:2377"
        gwbridge dpk-gw30 10.30.0.0/24
        docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 >/dev/null
    fi
    # Workers that left without the manager hearing of it stay listed as down: gone.
    docker node ls --format '{{.ID}} {{.Status}}' | awk '$2 == "Down" {print $1}' |
        xargs -r docker node rm --force >/dev/null
    local token nodes
    token=$(docker swarm join-token -q worker)
    nodes=$(docker node ls -q)
    select_engine swarm-worker
    # Still in an older Swarm (it could not leave when it was stopped): leave it first.
    local mine
    mine=$(docker info --format '{{.Swarm.NodeID}}' 2>/dev/null)
    if [ "$(swarm_state)" = active ] && ! grep -qx "$mine" <<<"$nodes"; then
        log "leaving an older Swarm"
        docker swarm leave --force >/dev/null
    fi
    if [ "$(swarm_state)" != active ]; then
        log "joining the Swarm as a worker (127.0.0.1:2387)"
        gwbridge dpk-gw31 10.31.0.0/24
        docker swarm join --token "$token" --advertise-addr 127.0.0.1:2387 \
            --listen-addr 127.0.0.1:2387 127.0.0.1:2377 >/dev/null
    fi
    # Both nodes ready before a test schedules on them.
    DOCKER_HOST=$manager
    for _ in $(seq 1 100); do
        [ "$(docker node ls --format '{{.Status}}' 2>/dev/null | grep -c Ready)" = 2 ] && return
        sleep 0.2
    done
    log "the Swarm's two nodes were not both ready within 20 s"
    docker node ls >&2 || true
    exit 1
}

stop_pidfile() {
    local name=$1 pidfile=$2
    [ -f "$pidfile" ] || return 0
    local pid
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        log "stopping $name (pid $pid)"
        kill "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$pidfile"
}

up() {
    select_engine "$1"
    mkdir -p "$DIR"
    start_daemon
    start_registry
    seed_images
    [ "$ENGINE" != fleet ] || start_sshd
}

up_swarm() {
    (up swarm-manager)
    (up swarm-worker)
    form_swarm
}

down_swarm() {
    for e in swarm-worker swarm-manager; do
        select_engine "$e"
        if ping_daemon; then docker swarm leave --force >/dev/null 2>&1 || true; fi
        (DOCKPIT_KEEP_REGISTRY=1 down "$e")
        ip link del "$BRIDGE" 2>/dev/null || true
    done
    # The nodes' docker_gwbridge networks, made for the Swarm (and one a default init left).
    for b in dpk-gw30 dpk-gw31 docker_gwbridge; do ip link del "$b" 2>/dev/null || true; done
}

env_swarm() {
    select_engine swarm-manager
    echo "DOCKPIT_SWARM_MANAGER=$DOCKER_HOST"
    select_engine swarm-worker
    echo "DOCKPIT_SWARM_WORKER=$DOCKER_HOST"
}

down() {
    select_engine "$1"
    stop_pidfile dockerd "$DIR/docker.pid"
    if [ "$ENGINE" = 26 ] || [ "$ENGINE" = 28 ]; then
        stop_pidfile containerd "$DIR/containerd/containerd.pid"
        ip link del "$BRIDGE" 2>/dev/null || true
    elif [ "$ENGINE" = podman ]; then
        stop_pidfile podman "$DIR/podman.pid"
    elif [ "$ENGINE" = fleet ]; then
        # Its bridge stays for its next start (the fleet tests stop and start it), and so does
        # its sshd unless asked (DOCKPIT_STOP_SSHD=1, as tests/run.sh does at its end).
        [ -z "${DOCKPIT_STOP_SSHD:-}" ] || stop_sshd
    elif [ -z "${DOCKPIT_KEEP_REGISTRY:-}" ]; then
        stop_pidfile registry "$REGISTRY_DIR/registry.pid"
    fi
}

# "Engine 26.1.5, API 1.45, overlayfs, containerd image store", as the daemon reports itself
# ("Podman 4.3.1, API 1.41, overlay, …" for Podman).
version() {
    select_engine "$1"
    local v info
    v=$(curl -sf --max-time 5 --unix-socket "$SOCK" http://localhost/version)
    info=$(curl -sf --max-time 5 --unix-socket "$SOCK" http://localhost/info)
    python3 -c '
import json, sys
v, info = json.loads(sys.argv[1]), json.loads(sys.argv[2])
podman = any(c.get("Name") == "Podman Engine" for c in v.get("Components") or [])
containerd = any(p[:1] == ["driver-type"] and p[1].startswith("io.containerd.snapshotter")
                 for p in info.get("DriverStatus") or [])
print("%s %s, API %s, %s, %s" % ("Podman" if podman else "Engine", v["Version"].split("+")[0],
      v["ApiVersion"], info["Driver"], "containerd image store" if containerd else "classic image store"))
' "$v" "$info"
}

command=${1:-up}
engine=${2:-${DOCKPIT_ENGINE:-20.10}}
engines=$engine
[ "$engine" = all ] && engines=$ENGINES
case "$command:$engine" in
up:swarm)
    install_missing
    up_swarm
    env_swarm
    ;;
down:swarm) down_swarm ;;
env:swarm) env_swarm ;;
up:compose)
    ENGINE=compose
    up_compose
    env_compose
    ;;
down:compose) ;; # a program, nothing runs
env:compose) env_compose ;;
up:*)
    install_missing
    for e in $engines; do
        (up "$e")
        select_engine "$e"
        [ "$engine" = all ] && echo "# engine $ENGINE"
        echo "DOCKER_HOST=$DOCKER_HOST"
    done
    ;;
down:*)
    if [ "$engine" = registry ]; then
        # The registry alone (tests/run.sh, when it started the registry but not Engine 20.10).
        stop_pidfile registry "$REGISTRY_DIR/registry.pid"
    else
        for e in $engines; do (down "$e"); done
    fi
    ;;
env:*)
    for e in $engines; do
        select_engine "$e"
        echo "DOCKER_HOST=$DOCKER_HOST"
    done
    ;;
version:*)
    for e in $engines; do version "$e"; done
    ;;
list:*)
    echo "$ENGINES"
    ;;
*)
    echo "usage: $0 up|down|env|version|list [20.10|26|all|fleet|swarm|compose]" >&2
    exit 2
    ;;
esac
