#!/usr/bin/env bash
# Churn soak against the test engine, long (the suite runs it short, tests/soak.rs):
# SOAK_SECS=600 by default; SOAK_SEED repeats a run's random choices.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=$(tests/engine.sh up)
export "${engine?}"
target=${CARGO_TARGET_DIR:-target}
cargo build --release --locked --bin dockpit --example soak
DOCKPIT_BIN="$target/release/dockpit" "$target/release/examples/soak"
