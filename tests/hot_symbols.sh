#!/usr/bin/env bash
# Writes .cargo/hot-symbols.txt (not part of the test suite): the functions the release binary
# runs at start and at rest, which build.rs has LLD lay out together so that the code kept
# resident is those functions' pages, not 64 KiB around each of them all over `.text`.
# Runs the release binary under valgrind's callgrind in a 160×45 pty against the test engine:
# the first listing and the full one, a filter, a few keys, 20 s at rest, quit. Needs
# valgrind and python3. Run it again after a change that moves code on or off the paths at
# rest (a name the build no longer has is skipped: a stale list costs memory, not
# correctness). A name carries its crate's hash, which differs between thin and fat LTO:
# the list kept is the union of a run on each (`DOCKPIT_BIN=` each binary, `sort -u`).
#   tests/hot_symbols.sh
set -euo pipefail
cd "$(dirname "$0")/.."
engine=$(tests/engine.sh up)
export "${engine?}"
target=${CARGO_TARGET_DIR:-target}
[ -n "${DOCKPIT_BIN:-}" ] || cargo build --release --locked --bin dockpit
bin=${DOCKPIT_BIN:-$target/release/dockpit}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
nm --defined-only "$bin" | awk '$2 ~ /^[tTwW]$/ {print $3}' >"$out/symbols"
python3 - "$out" "$bin" <<'EOF'
import fcntl, glob, os, pty, re, select, struct, sys, termios, time
out, binary = sys.argv[1], sys.argv[2]
valgrind = ["valgrind", "--tool=callgrind", "--demangle=no", "--dump-instr=no",
            f"--callgrind-out-file={out}/callgrind.%p", binary]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(valgrind[0], valgrind)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))

def read_for(secs):
    end = time.time() + secs
    while time.time() < end:
        if select.select([fd], [], [], 0.2)[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                return

# Under valgrind dockpit runs ~50 times slower: time for the full listing, then the keys.
for keys, secs in [(b"", 40), (b"/a\r", 10), (b"jjkGg", 10), (b"", 20), (b"q", 30)]:
    os.write(fd, keys)
    read_for(secs)
os.waitpid(pid, 0)
# Every function entered, as callgrind names it (`fn=(id) name` the first time), kept when
# the binary defines it. Thin LTO names a local it shares between units `NAME.llvm.N`, fat
# LTO keeps `NAME`: both are listed, so the list serves either profile.
ran = set()
for path in glob.glob(f"{out}/callgrind.*"):
    for line in open(path, errors="replace"):
        m = re.match(r"^c?fn=\(\d+\) (.*)$", line.rstrip("\n"))
        if m:
            ran.add(m.group(1))
ours = set(open(f"{out}/symbols").read().split())
found = ran & ours
hot = sorted(found | {re.sub(r"\.llvm\.\d+$", "", s) for s in found})
if len(hot) < 500:
    sys.exit(f"only {len(hot)} functions seen: did dockpit start? (valgrind's own output is above)")
open(".cargo/hot-symbols.txt", "w").write("\n".join(hot) + "\n")
print(f".cargo/hot-symbols.txt: {len(hot)} functions")
EOF
