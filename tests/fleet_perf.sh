#!/usr/bin/env bash
# Prints dockpit's figures with several hosts at once (not part of the test suite):
#   FLEET_HOSTS=10 FLEET_CONTAINERS=300 FLEET_IDLE_SECS=30 tests/fleet_perf.sh
# The three test engines (20.10, 26 and the fleet engine) each get FLEET_CONTAINERS created
# containers (labelled, removed afterwards); dockpit (release) watches FLEET_HOSTS hosts, the
# engines' sockets taken in turn (so several hosts may be one daemon, each with its own
# connection and worker, as separate hosts would be). Figures: dockpit's CPU over an idle
# window, its RSS, and each daemon's CPU over the same window.
set -euo pipefail
cd "$(dirname "$0")/.."
hosts=${FLEET_HOSTS:-10}
per=${FLEET_CONTAINERS:-300}
idle=${FLEET_IDLE_SECS:-30}
label=dockpit.test=fleet-perf

tests/engine.sh up all >/dev/null
tests/engine.sh up fleet >/dev/null
cargo build --release --locked --bin dockpit >/dev/null 2>&1
socks=(/tmp/dockpit-engine/docker.sock /tmp/dockpit-engine26/docker.sock /tmp/dockpit-engine-fleet/docker.sock)

api() { curl -sf --unix-socket "$1" "${@:2}"; }
cleanup() {
    for s in "${socks[@]}"; do
        for id in $(api "$s" "http://localhost/containers/json?all=1&filters=%7B%22label%22%3A%5B%22$label%22%5D%7D" |
            grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4); do
            api "$s" -X DELETE "http://localhost/containers/$id?force=1" >/dev/null || true
        done
    done
    tmux kill-session -t fleet-perf 2>/dev/null || true
}
trap cleanup EXIT
cleanup

echo "creating $per containers on each of ${#socks[@]} engines…"
for s in "${socks[@]}"; do
    for i in $(seq 1 "$per"); do
        api "$s" -X POST -H 'Content-Type: application/json' \
            -d "{\"Image\":\"dockpit-test/busybox:1\",\"Cmd\":[\"true\"],\"Labels\":{\"dockpit.test\":\"fleet-perf\"}}" \
            "http://localhost/containers/create?name=fp-$i-$RANDOM$RANDOM" >/dev/null &
        (( i % 20 == 0 )) && wait
    done
    wait
done

args=()
for i in $(seq 0 $((hosts - 1))); do args+=(-H "unix://${socks[$((i % ${#socks[@]}))]}"); done
daemon_pids=()
for d in /tmp/dockpit-engine /tmp/dockpit-engine26 /tmp/dockpit-engine-fleet; do daemon_pids+=("$(cat "$d/docker.pid")"); done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

tmux new-session -d -s fleet-perf -x 200 -y 50 "target/release/dockpit --interval 2 ${args[*]}"
sleep 1
pid=$(pgrep -n -f "target/release/dockpit --interval 2")
# Until every host has listed (the header counts them all).
for _ in $(seq 1 100); do
    tmux capture-pane -p -t fleet-perf | grep -q "$hosts hosts: $hosts up" && break
    sleep 0.2
done
sleep 5
before=$(ticks "$pid")
declare -a dbefore
for i in "${!daemon_pids[@]}"; do dbefore[$i]=$(ticks "${daemon_pids[$i]}"); done
sleep "$idle"
after=$(ticks "$pid")
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo
echo "dockpit watching $hosts hosts (${#socks[@]} engines × $per containers), ${idle} s idle:"
awk -v t=$((after - before)) -v hz="$hz" -v s="$idle" 'BEGIN {printf "  dockpit CPU: %.2f %% of a core\n", 100 * t / hz / s}'
echo "  dockpit RSS: $((rss / 1024)) MiB"
names=(20.10 26 fleet)
for i in "${!daemon_pids[@]}"; do
    t=$(( $(ticks "${daemon_pids[$i]}") - dbefore[i] ))
    awk -v t="$t" -v hz="$hz" -v s="$idle" -v n="${names[$i]}" \
        'BEGIN {printf "  dockerd %s CPU: %.2f %% of a core\n", n, 100 * t / hz / s}'
done
