#!/usr/bin/env bash
# Prints dockpit's performance figures against the test engine (not part of the test suite).
#   PERF_CONTAINERS=300 PERF_IDLE_SECS=30 tests/perf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
engine=$(tests/engine.sh up)
export "${engine?}"
cargo build --release --locked --bin dockpit --example perf --example flood
export DOCKPIT_BIN="$PWD/target/release/dockpit"
target/release/examples/perf
echo
PERF_USAGE=1 target/release/examples/perf
echo
target/release/examples/flood
echo
echo "update + render, one frame:"
cargo bench --locked --bench frame
echo
echo "terminal emulator throughput:"
cargo bench --locked --bench terminal
echo
echo "fuzzing the parsers and the key encoder:"
cargo run --release --locked --example fuzz
