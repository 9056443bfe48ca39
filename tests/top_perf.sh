#!/usr/bin/env bash
# The top view's figures (not part of the test suite), on an Engine 20.10 of its own, so no
# other test's containers or load are counted: a dockerd on /tmp/dockpit-top (bridge
# dpk-brtop, 172.25.0.0/16), the busybox test image loaded from the test engine, then
# examples/top_perf.rs (300 running containers, the cost of a reading, the top view open),
# and the engine stopped and its folder removed.
#   PERF_CONTAINERS=300 PERF_IDLE_SECS=30 tests/top_perf.sh
# PERF_DTOP=path/to/dtop measures dtop the same way after dockpit (`cargo install dtop`);
# DOCKPIT_BIN=path measures that build instead of a fresh release one. PERF_ENGINE=26 (or 28)
# measures on that engine (its containerd image store) instead of 20.10, with the suite's own
# engine of that version down (they share a bridge).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${DOCKPIT_TOP_DIR:-/tmp/dockpit-top}
BRIDGE=dpk-brtop
SOCK=$DIR/docker.sock
target=${CARGO_TARGET_DIR:-target}

seed=$(tests/engine.sh env 20.10)
# dockpit as shipped; the measuring example itself is not measured (a debug build will do).
[ -n "${DOCKPIT_BIN:-}" ] || cargo build --release --locked --bin dockpit
cargo build --locked --example top_perf

stop() {
    # The containers first (a run that failed half way leaves its own), then the daemon,
    # waited for; then whatever it left mounted under its folder.
    docker -H "unix://$SOCK" ps -aq --filter label=dockpit.test | xargs -r docker -H "unix://$SOCK" rm -f >/dev/null 2>&1 || true
    if [ -f "$DIR/docker.pid" ]; then
        pid=$(cat "$DIR/docker.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 300); do [ -e "/proc/$pid" ] || break; sleep 0.2; done
    fi
    grep " $DIR" /proc/mounts | awk '{print $2}' | sort -r | xargs -r umount -l 2>/dev/null || true
    ip link del "$BRIDGE" 2>/dev/null || true
    rm -rf "$DIR"
}
trap stop EXIT

if [ -n "${PERF_ENGINE:-}" ]; then
    # Engine 26 or 28 (the containerd image store) started by tests/engine.sh in a folder of
    # its own; it takes that engine's bridge, so the suite's one must be down.
    trap 'env "DOCKPIT_ENGINE${PERF_ENGINE}_DIR=$DIR" tests/engine.sh down "$PERF_ENGINE"; rm -rf "$DIR"' EXIT
    env "DOCKPIT_ENGINE${PERF_ENGINE}_DIR=$DIR" tests/engine.sh up "$PERF_ENGINE" >/dev/null
    export DOCKER_HOST=unix://$SOCK DOCKPIT_BIN="${DOCKPIT_BIN:-$target/release/dockpit}"
    "$target/debug/examples/top_perf"
    exit 0
fi

mkdir -p "$DIR/data" "$DIR/exec"
ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add name "$BRIDGE" type bridge
ip addr add 172.25.0.1/16 dev "$BRIDGE" 2>/dev/null || true
ip link set "$BRIDGE" up
setsid dockerd --bridge="$BRIDGE" --iptables=false --ip-masq=false --data-root "$DIR/data" \
    --exec-root "$DIR/exec" -H "unix://$SOCK" --pidfile "$DIR/docker.pid" \
    >"$DIR/dockerd.log" 2>&1 </dev/null &
for _ in $(seq 100); do docker -H "unix://$SOCK" version >/dev/null 2>&1 && break; sleep 0.2; done
env "$seed" docker save dockpit-test/busybox:1 | docker -H "unix://$SOCK" load >/dev/null

export DOCKER_HOST=unix://$SOCK DOCKPIT_BIN="${DOCKPIT_BIN:-$target/release/dockpit}"
"$target/debug/examples/top_perf"
