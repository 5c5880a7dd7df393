#!/bin/sh
# The store benchmark: durable SCORM Commits per second (a ~2 KB run-time state
# written in its own transaction) through Somo's SQLite store, through plain
# SQLite with the same settings (WAL, synchronous=FULL) and against the disk's
# own ceiling (overwrite 2 KB + fdatasync), in one run; the fsync/fdatasync calls
# per commit of each (counted with strace -f -c); the memory and file
# descriptors one open store handle costs; and outbox enqueues per second
# (batched and one at a time) with an empty outbox and with 100,000 pending.
#
#   bench/store/run.sh [BUILD_DIR] [--commits N] [--handles M] [--dir DIR]
#
# BUILD_DIR defaults to $SOMO_BUILD_DIR or <repo>/build. DIR (default: a folder
# under BUILD_DIR) must be on a real disk: on tmpfs an fsync costs nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${SOMO_BUILD_DIR:-$repo/build}
case ${1:-} in
	--*|"") ;;
	*) build=$1; shift ;;
esac
commits=2000 handles=1000 dir=
while [ $# -gt 1 ]; do
	case $1 in
		--commits) commits=$2 ;;
		--handles) handles=$2 ;;
		--dir) dir=$2 ;;
		*) echo "usage: $0 [BUILD_DIR] [--commits N] [--handles M] [--dir DIR]" >&2; exit 2 ;;
	esac
	shift 2
done
[ -f "$build/CMakeCache.txt" ] || cmake -S "$repo" -B "$build" >/dev/null
bin=$build/bench/bench-store
if ! cmake --build "$build" --target bench-store >/dev/null 2>&1; then
	[ -x "$bin" ] || { echo "run.sh: cannot build bench-store in $build" >&2; exit 1; }
	echo "run.sh: the build failed; using the bench-store already built" >&2
fi
[ -n "$dir" ] || dir=$build/bench-store-files
mkdir -p "$dir"
out=$(mktemp)
trap 'rm -f "$out" "$out".*; rm -rf "$dir"/*.db "$dir"/*.db-* "$dir"/disk.bin' EXIT

"$bin" commits "$dir" "$commits" >>"$out"
"$bin" handles "$dir" "$handles" >>"$out"
"$bin" outbox "$dir" 0 >>"$out"
"$bin" outbox "$dir" 100000 >>"$out"

# fsync + fdatasync calls of a run with N commits minus a run with none (set-up).
syncs() { # side n
	strace -f -c -e trace=fsync,fdatasync -o "$out.strace" "$bin" "$1" "$dir" "$2" >/dev/null
	awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' "$out.strace"
}
if command -v strace >/dev/null 2>&1; then
	for side in somo sqlite; do
		base=$(syncs "$side" 0)
		total=$(syncs "$side" "$commits")
		echo "{\"side\":\"$side\",\"measure\":\"syncs\",\"commits\":$commits,\"syncs\":$((total - base))}" >>"$out"
	done
else
	echo "run.sh: strace is missing: fsyncs per commit not counted" >&2
fi

python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def get(side, key):
    for r in rows:
        if r["side"] == side and key in r:
            return r
    return None
s, q, d = get("somo", "per_second"), get("sqlite", "per_second"), get("disk", "per_second")
print("Store benchmark: %d durable commits of a ~2 KB run-time state, each its own transaction"
      % s["commits"])
print("  commits/s: Somo %.0f   plain SQLite %.0f   disk ceiling (2 KB + fdatasync) %.0f"
      % (s["per_second"], q["per_second"], d["per_second"]))
print("  ratio: Somo/plain SQLite %.2f   Somo/disk %.2f"
      % (s["per_second"] / q["per_second"], s["per_second"] / d["per_second"]))
for side in ("somo", "sqlite"):
    r = next((r for r in rows if r["side"] == side and r.get("measure") == "syncs"), None)
    if r:
        print("  fsync+fdatasync per commit: %-6s %.3f (%d for %d commits)"
              % ("Somo" if side == "somo" else "SQLite", r["syncs"] / r["commits"], r["syncs"],
                 r["commits"]))
for r in rows:
    if r.get("measure") == "outbox":
        print("  outbox enqueues/s with %s pending, %s: %.0f"
              % (format(r["pending"], ","), "one durable transaction each" if r["batch"] == 1
                 else "%d per transaction" % r["batch"], r["per_second"]))
h = get("somo", "heap_bytes_per_handle")
print("  per open handle (%d handles, each after one read): %s bytes of heap (SQLite's own: %s),"
      " %.1f file descriptors" % (h["handles"], format(int(h["heap_bytes_per_handle"]), ","),
                                  format(int(h["sqlite_bytes_per_handle"]), ","),
                                  h["fds_per_handle"]))
PY
