#!/usr/bin/env bash
# Prints `dockpit layers`' figures on a large image (not part of the test suite): an image of
# LAYERS_COUNT layers (24) and about LAYERS_MB MiB (1024) of random files, some removed or
# overwritten by later layers, written here as a `docker save` archive and loaded into the
# test engine; then the time and peak RSS of `dockpit layers` on it (from the engine's
# export, and from the registry with --remote after a push), beside the time of reading the
# export once (curl to /dev/null); then the dashboard's layers view on it
# (examples/layers_perf.rs: the first layer list on screen, a key while the export streams,
# the whole image on screen, peak RSS, and the reading stopped by Esc). The same image can be
# timed with dive:
#   dive dockpit-test/layers-perf:1      (or `dive --source docker-archive $work/image.tar`)
#   LAYERS_MB=256 tests/layers_perf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
engine=$(tests/engine.sh up)
export "${engine?}"
socket=${DOCKER_HOST#unix://}
target=${CARGO_TARGET_DIR:-target}
cargo build --release --locked --bin dockpit
# The measuring example itself is not measured: a debug build will do.
cargo build --locked --example layers_perf
bin="$target/release/dockpit"
count=${LAYERS_COUNT:-24}
mb=${LAYERS_MB:-1024}
image=dockpit-test/layers-perf:1
work=$(mktemp -d /tmp/dockpit-layers-perf.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Each layer: files of random bytes totalling mb/count MiB; every 4th layer removes the
# previous layer's first file (waste) and every 5th overwrites a file of the first layer.
per=$((mb / count))
diff_ids=()
history=()
layers=()
for i in $(seq 0 $((count - 1))); do
    dir="$work/l$i"
    mkdir -p "$dir/root/data/$i"
    files=8
    for f in $(seq 1 $files); do
        head -c $((per * 1024 * 1024 / files)) /dev/urandom >"$dir/root/data/$i/f$f"
    done
    if ((i > 0 && i % 4 == 0)); then
        mkdir -p "$dir/root/data/$((i - 1))"
        : >"$dir/root/data/$((i - 1))/.wh.f1"
    fi
    if ((i > 0 && i % 5 == 0)); then
        mkdir -p "$dir/root/data/0"
        head -c $((per * 1024 * 1024 / files)) /dev/urandom >"$dir/root/data/0/f2"
    fi
    tar -C "$dir/root" --numeric-owner --owner=0 --group=0 -cf "$dir/layer.tar" .
    rm -rf "$dir/root"
    diff_ids+=("\"sha256:$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)\"")
    history+=("{\"created_by\":\"RUN write layer $i\"}")
    layers+=("\"l$i/layer.tar\"")
done
join() { local IFS=,; echo "$*"; }
config="{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"dockpit.test\":\"layers-perf\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[$(join "${diff_ids[@]}")]},\"history\":[$(join "${history[@]}")]}"
echo "$config" >"$work/config.json"
echo "[{\"Config\":\"config.json\",\"RepoTags\":[\"$image\"],\"Layers\":[$(join "${layers[@]}")]}]" >"$work/manifest.json"
tar -C "$work" -cf "$work/image.tar" manifest.json config.json $(for i in $(seq 0 $((count - 1))); do echo "l$i/layer.tar"; done)
echo "image: $count layers, $(du -m "$work/image.tar" | cut -f1) MiB archive"
curl -sf --unix-socket "$socket" -X POST -H 'Content-Type: application/x-tar' \
    -T "$work/image.tar" http://localhost/images/load >/dev/null
rm -f "$work/image.tar"

measure() {
    # Prints seconds and peak RSS (MiB) of a command.
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null
    read -r secs kib <"$work/time"
    echo "$secs s, RSS $((kib / 1024)) MiB"
}
for run in 1 2 3; do
    echo "run $run: export read once (curl): $(measure curl -sf --unix-socket "$socket" -o /dev/null "http://localhost/images/$image/get")"
    echo "run $run: dockpit layers (export):   $(measure "$bin" layers "$image" --json)"
done
remote=127.0.0.1:5000/dockpit-test/layers-perf:1
docker tag "$image" "$remote"
docker push -q "$remote" >/dev/null
for run in 1 2 3; do
    echo "run $run: dockpit layers --remote:   $(measure "$bin" layers "$remote" --remote --json)"
done
"$bin" layers "$image" | head -3
echo "the dashboard's layers view (:layers $image):"
DOCKPIT_BIN="$bin" PERF_IMAGE="$image" "$target/debug/examples/layers_perf"
docker image rm -f "$image" "$remote" >/dev/null
