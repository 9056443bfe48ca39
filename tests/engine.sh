#!/usr/bin/env bash
# The real Docker engine and registry dockpit's tests run against.
#
#   tests/engine.sh up     install what is missing, start dockerd + registry, seed images,
#                          print DOCKER_HOST=... (reuses whatever is already up)
#   tests/engine.sh down   stop both, by the pids in their pidfiles
#   tests/engine.sh env    print the DOCKER_HOST line only
#
# Everything lives under $DOCKPIT_ENGINE_DIR (default /tmp/dockpit-engine).
set -euo pipefail

DIR=${DOCKPIT_ENGINE_DIR:-/tmp/dockpit-engine}
SOCK="$DIR/docker.sock"
REGISTRY=127.0.0.1:5000
export DOCKER_HOST="unix://$SOCK"

log() { echo "engine: $*" >&2; }

install_missing() {
    local pkgs=()
    command -v dockerd >/dev/null || pkgs+=(docker.io)
    command -v docker-registry >/dev/null || pkgs+=(docker-registry)
    # Debian's plain `busybox` is dynamically linked and useless in a libc-less image; the
    # static one replaces it.
    dpkg -s busybox-static >/dev/null 2>&1 || pkgs+=(busybox-static)
    command -v curl >/dev/null || pkgs+=(curl)
    if [ ${#pkgs[@]} -gt 0 ]; then
        log "installing ${pkgs[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq "${pkgs[@]}" >&2
    fi
}

ping_daemon() { curl -sf --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; }
ping_registry() { curl -sf --max-time 2 "http://$REGISTRY/v2/" >/dev/null 2>&1; }

wait_for() {
    local what=$1 check=$2 tries=0
    until $check; do
        tries=$((tries + 1))
        if [ $tries -gt 150 ]; then
            log "$what did not answer within 30 s; its log:"
            tail -n 30 "$DIR/$what.log" >&2 || true
            exit 1
        fi
        sleep 0.2
    done
}

start_daemon() {
    if ping_daemon; then log "dockerd already answering on $SOCK"; return; fi
    mkdir -p "$DIR/data" "$DIR/exec"
    # A daemon still shutting down holds its pidfile: wait for it; a stale one goes.
    if [ -f "$DIR/docker.pid" ]; then
        local old
        old=$(cat "$DIR/docker.pid")
        for _ in $(seq 1 300); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
        rm -f "$DIR/docker.pid"
    fi
    log "starting dockerd on $SOCK"
    # setsid: the daemon must outlive the shell that started it (cargo test runs later).
    setsid dockerd --data-root "$DIR/data" --exec-root "$DIR/exec" -H "unix://$SOCK" \
        --pidfile "$DIR/docker.pid" >"$DIR/dockerd.log" 2>&1 </dev/null &
    wait_for dockerd ping_daemon
}

start_registry() {
    if ping_registry; then log "registry already answering on $REGISTRY"; return; fi
    mkdir -p "$DIR/registry"
    cat >"$DIR/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $DIR/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
    log "starting registry on $REGISTRY"
    setsid docker-registry serve "$DIR/registry.yml" >"$DIR/registry.log" 2>&1 </dev/null &
    echo $! >"$DIR/registry.pid"
    wait_for registry ping_registry
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

seed_images() {
    if docker image inspect dockpit-test/busybox:1 >/dev/null 2>&1 &&
        curl -sf "http://$REGISTRY/v2/layered/manifests/1" >/dev/null 2>&1 &&
        curl -sf "http://$REGISTRY/v2/multi/manifests/1" \
            -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' 2>/dev/null |
        grep -q arm64; then
        log "images already seeded"
        return
    fi
    local root
    root=$(make_rootfs)
    log "seeding images"
    tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' \
        -c 'LABEL dockpit.test=seed' - dockpit-test/busybox:1 >/dev/null
    for tag in 2 latest; do docker tag dockpit-test/busybox:1 "dockpit-test/busybox:$tag"; done
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

case "${1:-up}" in
up)
    install_missing
    mkdir -p "$DIR"
    start_daemon
    start_registry
    seed_images
    echo "DOCKER_HOST=$DOCKER_HOST"
    ;;
down)
    stop_pidfile registry "$DIR/registry.pid"
    stop_pidfile dockerd "$DIR/docker.pid"
    ;;
env)
    echo "DOCKER_HOST=$DOCKER_HOST"
    ;;
*)
    echo "usage: $0 up|down|env" >&2
    exit 2
    ;;
esac
