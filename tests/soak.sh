#!/usr/bin/env bash
# Churn soak against the test engine (not part of the suite): SOAK_SECS=600 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=$(tests/engine.sh up)
export "${engine?}"
cargo build --release --locked --bin dockpit --example soak
DOCKPIT_BIN="$PWD/target/release/dockpit" target/release/examples/soak
