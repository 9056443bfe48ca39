#!/usr/bin/env bash
# Streaming a build context (not part of the test suite): a 500 MB context (50 files of
# random bytes) sent by dockpit (release, from keys: examples/build_perf.rs) and by
# `docker build` with the classic builder, alternately, PERF_RUNS (3) times each, on the
# test engine PERF_ENGINE (20.10). Each figure is the time from Enter (or the command's
# start) to the daemon's first answer, which the classic builder sends only once it holds
# the whole context; dockpit's largest RSS meanwhile too. The docker CLI is used here only,
# to compare.
#   PERF_ENGINE=26 PERF_RUNS=5 tests/build_perf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
export "$(tests/engine.sh env "${PERF_ENGINE:-20.10}")"
cargo build --release --locked --bin dockpit
cargo build --locked --example build_perf

ctx=$(mktemp -d /tmp/dockpit-build-perf.XXXXXX)
trap 'rm -rf "$ctx"; docker rmi -f "dockpit-build-perf:cli-$$" >/dev/null 2>&1 || true' EXIT
for i in $(seq -w 1 50); do head -c 10000000 /dev/urandom >"$ctx/blob$i"; done
printf 'FROM dockpit-test/busybox:1\nRUN true\n' >"$ctx/Dockerfile"

for run in $(seq "${PERF_RUNS:-3}"); do
    DOCKPIT_BIN="$target/release/dockpit" PERF_CONTEXT="$ctx" "$target/debug/examples/build_perf"
    # The CLI: the time to its first "Step 1/" line.
    DOCKER_BUILDKIT=0 python3 - "$ctx" "dockpit-build-perf:cli-$$" <<'PY'
import subprocess, sys, time
start = time.monotonic()
p = subprocess.Popen(["docker", "build", "--tag", sys.argv[2], sys.argv[1]],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
took = None
for line in p.stdout:
    if took is None and line.startswith("Step 1/"):
        took = time.monotonic() - start
p.wait()
print(f"docker build: start to the daemon holding the context: {took:.2f} s")
PY
done
