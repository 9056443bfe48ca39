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
# engine and the fleet engine (`tests/engine.sh up fleet`), which they stop and start; then
# the Swarm tests (tests/swarm*.rs) against a real two-node Swarm (`tests/engine.sh up swarm`).
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
        fleet_tests+=(--test "$name")
    elif [[ $name == swarm* ]]; then
        swarm_tests+=(--test "$name")
    elif [[ $name == podman* ]]; then
        podman_tests+=(--test "$name")
    elif grep -q '^mod common;' "$f"; then
        docker_tests+=(--test "$name")
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

# Built once up front, so each run's time is its tests' time.
run "build" cargo test --locked --no-run --lib --bins --examples --tests
run "pure and snapshot tests" \
    cargo test --locked --lib --bins --examples "${pure_tests[@]}" -- "$@"
run "doc tests" cargo test --locked --doc -- "$@"
for e in $engines; do
    host=$(tests/engine.sh env "$e")
    label="engine $e ($(tests/engine.sh version "$e" || echo "not answering"))"
    tests=("${docker_tests[@]}")
    [ "$e" != podman ] || tests=("${podman_tests[@]}")
    run "$label" env "$host" "$compose" DOCKPIT_ENGINE="$e" \
        cargo test --locked --no-fail-fast "${tests[@]}" -- "$@"
done

run "fleet ($first and the fleet engine)" env "$(tests/engine.sh env "$first")" "$compose" \
    DOCKPIT_ENGINE="$first" cargo test --locked --no-fail-fast "${fleet_tests[@]}" -- "$@"
run "swarm (a manager and a worker)" \
    cargo test --locked --no-fail-fast "${swarm_tests[@]}" -- "$@"

echo
echo "=== dockpit tests: summary ==="
printf '%s\n' "${summary[@]}"
[ ${#failed[@]} -eq 0 ]
