#!/usr/bin/env bash
# Runs dockpit's whole test suite: the pure and snapshot tests once, then every Docker-facing
# test (each tests/*.rs that uses tests/common, the engine helpers: the Docker task, every
# action, the structure view, the end-to-end tests) against each real engine in turn, each
# run labelled. The engines are $DOCKPIT_ENGINES (default: all that tests/engine.sh knows,
# "20.10 26 28 podman"); `DOCKPIT_ENGINES=26 tests/run.sh` runs against one. Podman runs its
# own file (tests/podman*.rs: the main paths, in Podman's words), not the Docker engines'. Starts what is not running
# with tests/engine.sh (installing and fetching what is missing) and stops afterwards what
# it started, and fetches Compose v2 (`tests/engine.sh up compose`) for the Compose-file
# tests. Then the fleet tests (tests/fleet*.rs: several hosts at once) against the first
# engine and the fleet engine (`tests/engine.sh up fleet`), which they stop and start; and
# the Swarm tests (tests/swarm*.rs) against a real two-node Swarm (`tests/engine.sh up swarm`).
# The engines' stages run at once, each in a lane of its own (DOCKPIT_SERIAL=1: in turn).
# Arguments go to the test binaries (a name filter, say).
set -euo pipefail
cd "$(dirname "$0")/.."

engines=${DOCKPIT_ENGINES:-$(tests/engine.sh list)}
# The fleet tests run beside a Docker engine (Podman cannot stand in for it).
first=$(echo "$engines" | tr ' ' '\n' | grep -vx podman | head -n1 || true)
first=${first:-20.10}
# Every engine this run needs, once each.
needed=$(echo $engines $first fleet | tr ' ' '\n' | awk '!seen[$0]++' | tr '\n' ' ')
# Snapshots are compared, never rewritten, here.
export INSTA_UPDATE=no

answers() { curl -sf --max-time 2 "$@" >/dev/null 2>&1; }
started=()
registry_was_up=true
answers http://127.0.0.1:5000/v2/ || registry_was_up=false
for e in $needed; do
    host=$(tests/engine.sh env "$e")
    answers --unix-socket "${host#DOCKER_HOST=unix://}" http://localhost/_ping || started+=("$e")
done
# The Swarm's two engines: started here if either is not up.
for node in $(tests/engine.sh env swarm | sed -n 's/^DOCKPIT_SWARM_[A-Z]*=unix:\/\///p'); do
    answers --unix-socket "$node" http://localhost/_ping || { started+=(swarm); break; }
done
stop_started() {
    # What this run started, and only that: a registry that was up before stays up.
    local keep=
    $registry_was_up && keep=1
    for e in "${started[@]}"; do
        DOCKPIT_KEEP_REGISTRY=$keep DOCKPIT_STOP_SSHD=1 tests/engine.sh down "$e"
    done
    $registry_was_up || tests/engine.sh down registry
}
trap stop_started EXIT

# Not `eval "$(…)"`: a failed start must stop the run here (set -e does not see inside it).
for e in $needed swarm; do tests/engine.sh up "$e" >/dev/null; done
# Compose v2 for the Compose-file tests (a program, nothing runs): DOCKPIT_COMPOSE=its path.
compose=$(tests/engine.sh up compose)

docker_tests=()
pure_tests=()
fleet_tests=()
swarm_tests=()
podman_tests=()
for f in tests/*.rs; do
    name=$(basename "$f" .rs)
    if [[ $name == fleet* ]]; then
        fleet_tests+=("$name")
    elif [[ $name == swarm* ]]; then
        swarm_tests+=("$name")
    elif [[ $name == podman* ]]; then
        podman_tests+=("$name")
    elif grep -q '^mod common;' "$f"; then
        docker_tests+=("$name")
    else
        pure_tests+=(--test "$name")
    fi
done

failed=()
summary=()
run() {
    local label=$1
    shift
    echo
    echo "=== dockpit tests: $label ==="
    local start=$SECONDS
    if "$@"; then
        summary+=("$label: passed in $((SECONDS - start)) s")
    else
        summary+=("$label: FAILED after $((SECONDS - start)) s")
        failed+=("$label")
    fi
}

# The lint rules hold on every landing.
run "format" cargo fmt --check
run "lints" cargo clippy --locked --all-targets -- -D warnings

# Built once up front, so each run's time is its tests' time. The Docker-facing test binaries
# are then run as they are (not through cargo, which would hold its build lock while one runs):
# `binary[NAME]` is tests/NAME.rs's.
declare -A binary
build() {
    local built
    built=$(cargo test --locked --no-run --lib --bins --examples --tests \
        --message-format=json-render-diagnostics) || return 1
    while read -r name path; do binary[$name]=$path; done < <(python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and "test" in m["target"]["kind"]:
        print(m["target"]["name"], m["executable"])
' <<<"$built")
}
run "build" build
run "pure and snapshot tests" \
    cargo test --locked --lib --bins --examples "${pure_tests[@]}" -- "$@"
run "doc tests" cargo test --locked --doc -- "$@"

# tests FILE...: those test files' binaries in turn, every one run whatever the others gave
# (cargo's --no-fail-fast), with the arguments this script was given.
tests() {
    local rc=0 name
    for name in "$@"; do
        echo
        echo "     Running tests/$name.rs (${binary[$name]})"
        "${binary[$name]}" "${args[@]}" || rc=1
    done
    return $rc
}
args=("$@")
# in_env ASSIGNMENT... -- COMMAND...: COMMAND (a function too, which `env` cannot run) with
# those variables set.
in_env() { (while [ "$1" != -- ]; do export "${1?}"; shift; done; shift; "$@"); }

# The Docker-facing stages run at once in lanes: one per engine (the fleet tests after the first
# engine's, which they use), the Swarm's in its own. Each engine is a daemon of its own and a test
# looks only at what it made, so lanes do not meet; their time is mostly waiting on daemons.
# A lane's output is printed whole when every lane has ended. DOCKPIT_SERIAL=1: one at a time.
lanes=$(mktemp -d)
trap 'rm -rf "$lanes"; stop_started' EXIT
# stage LANE LABEL COMMAND...: one stage of a lane, its output and its line of the summary kept.
stage() {
    local lane=$1 label=$2 start=$SECONDS
    shift 2
    {
        echo
        echo "=== dockpit tests: $label ==="
        if "$@"; then
            echo "$label: passed in $((SECONDS - start)) s" >>"$lanes/$lane.status"
        else
            echo "$label: FAILED after $((SECONDS - start)) s" >>"$lanes/$lane.status"
        fi
    } >>"$lanes/$lane.log" 2>&1
}
engine_lane() {
    local e=$1 lane=$2 host label
    host=$(tests/engine.sh env "$e")
    label="engine $e ($(tests/engine.sh version "$e" || echo "not answering"))"
    if [ "$e" = podman ]; then
        stage "$lane" "$label" in_env "$host" DOCKPIT_ENGINE="$e" -- tests "${podman_tests[@]}"
    else
        stage "$lane" "$label" in_env "$host" "$compose" DOCKPIT_ENGINE="$e" -- \
            tests "${docker_tests[@]}"
    fi
    [ "$e" = "$first" ] || return 0
    stage "$lane" "fleet ($first and the fleet engine)" in_env "$host" "$compose" \
        DOCKPIT_ENGINE="$first" -- tests "${fleet_tests[@]}"
}
lanes_start=$SECONDS
n=0
for e in $engines; do
    n=$((n + 1))
    if [ -n "${DOCKPIT_SERIAL:-}" ]; then engine_lane "$e" "$n"; else engine_lane "$e" "$n" & fi
done
n=$((n + 1))
if [ -n "${DOCKPIT_SERIAL:-}" ]; then
    stage "$n" "swarm (a manager and a worker)" tests "${swarm_tests[@]}"
else
    stage "$n" "swarm (a manager and a worker)" tests "${swarm_tests[@]}" &
fi
wait
for i in $(seq "$n"); do
    cat "$lanes/$i.log" 2>/dev/null || true
    [ -f "$lanes/$i.status" ] || echo "lane $i: FAILED after 0 s (it ended without a result)" >"$lanes/$i.status"
    while read -r line; do
        summary+=("$line")
        [[ $line != *": FAILED after "* ]] || failed+=("${line%%: FAILED after *}")
    done <"$lanes/$i.status"
done
summary+=("the Docker-facing lanes, at once: $((SECONDS - lanes_start)) s")

echo
echo "=== dockpit tests: summary ==="
printf '%s\n' "${summary[@]}"
[ ${#failed[@]} -eq 0 ]
