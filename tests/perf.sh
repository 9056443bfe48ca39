#!/usr/bin/env bash
# Prints dockpit's performance figures against the test engine (not part of the test suite):
# at each of PERF_SIZES containers (300, 1,000 and 5,000; beyond 1,000 they are created, not
# running, but 5), first frame, idle CPU and RSS, stop → shown, key → shown, and the
# daemon's CPU over an idle window (PERF_IDLE_SECS, 60) without and with dockpit.
#   PERF_SIZES="300 1000" PERF_IDLE_SECS=20 tests/perf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
engine=$(tests/engine.sh up)
export "${engine?}"
target=${CARGO_TARGET_DIR:-target}
cargo build --release --locked --bin dockpit --example perf --example flood
export DOCKPIT_BIN="$target/release/dockpit"
for n in ${PERF_SIZES:-300 1000 5000}; do
    PERF_CONTAINERS=$n "$target/release/examples/perf"
    echo
done
PERF_CONTAINERS=300 PERF_USAGE=1 "$target/release/examples/perf"
echo
"$target/release/examples/flood"
echo
echo "update + render, one frame; one event applied:"
cargo bench --locked --bench frame
echo
echo "terminal emulator throughput:"
cargo bench --locked --bench terminal
echo
echo "fuzzing the parsers and the key encoder:"
cargo run --release --locked --example fuzz
