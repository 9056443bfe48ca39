#!/usr/bin/env bash
# Runs dockpit's whole test suite against a real Docker engine and registry.
# Starts them with tests/engine.sh (installing what is missing) and stops them afterwards,
# unless they were already running before this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${DOCKPIT_ENGINE_DIR:-/tmp/dockpit-engine}
was_up=false
if curl -sf --max-time 2 --unix-socket "$DIR/docker.sock" http://localhost/_ping >/dev/null 2>&1; then
    was_up=true
fi
if ! $was_up; then
    trap 'tests/engine.sh down' EXIT
fi
# Not `eval "$(…)"`: a failed start must stop the run here (set -e does not see inside it).
engine=$(tests/engine.sh up)
export "${engine?}"

# The lint rules hold on every landing.
cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings

# Snapshots are compared, never rewritten, here.
export INSTA_UPDATE=no
cargo test --locked -- "$@"
