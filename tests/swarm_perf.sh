#!/usr/bin/env bash
# Prints what the Swarm view costs the manager (not part of the test suite):
#   SWARM_SERVICES=100 SWARM_TASKS=1000 SWARM_IDLE_SECS=30 tests/swarm_perf.sh
# On the real two-node Swarm of `tests/engine.sh up swarm`: SWARM_SERVICES services
# (labelled, removed afterwards) of SWARM_TASKS tasks in all, spread over both nodes. Then
# the manager's dockerd and containerd CPU over an idle window without dockpit, and again
# while dockpit (release) watches both nodes with the Swarm view open (it lists every 2 s);
# the difference is what the view costs. Also dockpit's own CPU and RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
services=${SWARM_SERVICES:-100}
tasks=${SWARM_TASKS:-1000}
idle=${SWARM_IDLE_SECS:-30}
per=$((tasks / services))
label=dockpit.test=swarm-perf

eval "$(tests/engine.sh up swarm | sed 's/^/export /')"
cargo build --release --locked --bin dockpit >/dev/null 2>&1
manager=${DOCKPIT_SWARM_MANAGER#unix://}
export DOCKER_HOST=$DOCKPIT_SWARM_MANAGER

cleanup() {
    docker service ls -q --filter "label=$label" | xargs -r docker service rm >/dev/null || true
    tmux kill-session -t swarm-perf 2>/dev/null || true
}
trap cleanup EXIT
cleanup

echo "creating $services services × $per tasks…"
for i in $(seq 1 "$services"); do
    docker service create -q --detach --name "sp-$i" --replicas "$per" --label "$label" \
        --stop-grace-period 1s --no-resolve-image dockpit-test/busybox:1 sleep 1000000 >/dev/null 2>&1 &
    (( i % 10 == 0 )) && wait
done
wait
start=$SECONDS
until [ "$(docker service ls --filter "label=$label" --format '{{.Replicas}}' |
    awk -F/ '$1 == $2' | wc -l)" -eq "$services" ]; do
    if (( SECONDS - start > 900 )); then echo "not converged in 15 minutes" >&2; exit 1; fi
    sleep 5
done
echo "converged in $((SECONDS - start)) s: $(docker node ps -q "$(docker node ls -q | head -1)" | wc -l) tasks listed on the first node"

hz=$(getconf CLK_TCK)
dockerd=$(cat "$(dirname "$manager")/docker.pid")
pids() { echo "$dockerd" $(pgrep -P "$dockerd" containerd || true); }
ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
cpu() { awk -v t="$1" -v hz="$hz" -v s="$idle" 'BEGIN {printf "%.2f %% of a core", 100 * t / hz / s}'; }

sleep 10
before=$(ticks $(pids))
sleep "$idle"
alone=$(( $(ticks $(pids)) - before ))

tmux new-session -d -s swarm-perf -x 200 -y 50 \
    "target/release/dockpit -H $DOCKPIT_SWARM_MANAGER -H $DOCKPIT_SWARM_WORKER"
for _ in $(seq 1 100); do
    tmux capture-pane -p -t swarm-perf | grep -q "2 hosts: 2 up" && break
    sleep 0.2
done
sleep 3
tmux send-keys -t swarm-perf W
for _ in $(seq 1 100); do
    tmux capture-pane -p -t swarm-perf | grep -q "Swarm on" && break
    sleep 0.2
done
sleep 5
pid=$(pgrep -n -f "target/release/dockpit -H $DOCKPIT_SWARM_MANAGER")
before=$(ticks $(pids))
mine=$(ticks "$pid")
sleep "$idle"
watched=$(( $(ticks $(pids)) - before ))
mine=$(( $(ticks "$pid") - mine ))
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo
echo "The Swarm view on $services services, $tasks tasks, ${idle} s idle:"
echo "  manager dockerd+containerd without dockpit: $(cpu "$alone")"
echo "  manager dockerd+containerd with the view open: $(cpu "$watched")"
echo "  dockpit: $(cpu "$mine"), RSS $((rss / 1024)) MiB"
