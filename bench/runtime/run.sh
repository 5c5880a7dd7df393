#!/bin/sh
# The runtime benchmark: the same mixed SCORM API workload through Somo's runtime
# (bench-runtime, built with the project) and through scorm-again 3.x in Node, in one
# run on one machine; prints calls per second of each, the ratio, and the bytes one live
# runtime holds with 50 interactions.
#
#   bench/runtime/run.sh [BUILD_DIR] [--iterations N] [--runs R] [--rounds K] [--instances M]
#
# The two sides take turns K times (each turn best of R runs after a warm-up), so a change
# of load on a shared machine hits both; the figures are the best of all turns.
#
# BUILD_DIR defaults to $SOMO_BUILD_DIR or <repo>/build. scorm-again comes from
# <repo>/tools (npm ci there when node_modules is missing).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
case ${1:-} in
	--*|"") ;;
	*) build=$1; shift ;;
esac
iterations=200000 runs=2 rounds=3 instances=2000
while [ $# -gt 1 ]; do
	case $1 in
		--iterations) iterations=$2 ;;
		--runs) runs=$2 ;;
		--rounds) rounds=$2 ;;
		--instances) instances=$2 ;;
		*) echo "usage: $0 [BUILD_DIR] [--iterations N] [--runs R] [--rounds K] [--instances M]" >&2; exit 2 ;;
	esac
	shift 2
done

bin=$(bench_bin bench-runtime)
if [ ! -d "$repo/tools/node_modules/scorm-again" ]; then
	(cd "$repo/tools" && npm ci --no-audit --no-fund >/dev/null)
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
round=0
while [ "$round" -lt "$rounds" ]; do
	"$bin" --iterations "$iterations" --runs "$runs" --instances "$instances" >>"$out"
	node --expose-gc "$here/scorm_again_bench.cjs" "$repo/tools" "$iterations" "$runs" "$instances" >>"$out"
	round=$((round + 1))
done

python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def get(side, scorm, measure):
    """The best turn: most calls per second; fewest bytes."""
    mine = [r for r in rows if r["side"] == side and r["scorm"] == scorm and r["measure"] == measure]
    if not mine:
        raise SystemExit("missing result: %s %s %s" % (side, scorm, measure))
    if measure == "calls":
        return max(mine, key=lambda r: r["calls_per_second"])
    return min(mine, key=lambda r: r["heap_bytes_per_runtime"])
sa_version = next(r.get("version", "?") for r in rows if r["side"] == "scorm-again")
print("Runtime benchmark: Somo vs scorm-again %s (Node %s), %d iterations x 9 calls, best of all turns"
      % (sa_version, __import__("subprocess").run(["node", "--version"], capture_output=True,
                                                  text=True).stdout.strip(),
         get("somo", "2004", "calls")["iterations"]))
for scorm in ("2004", "1.2"):
    s, a = get("somo", scorm, "calls"), get("scorm-again", scorm, "calls")
    print("SCORM %-4s calls/s: Somo %12s  scorm-again %10s  ratio %.1fx"
          % (scorm, format(s["calls_per_second"], ","), format(a["calls_per_second"], ","),
             s["calls_per_second"] / a["calls_per_second"]))
for scorm in ("2004", "1.2"):
    s, a = get("somo", scorm, "memory"), get("scorm-again", scorm, "memory")
    print("SCORM %-4s bytes per live runtime with 50 interactions: Somo %s (malloc heap; %s allocated,"
          " somo_rt_memory %s)  scorm-again %s (V8 heap)  ratio %.1fx fewer"
          % (scorm, format(int(s["heap_bytes_per_runtime"]), ","),
             format(int(s["bytes_allocated_per_runtime"]), ","), format(int(s["somo_rt_memory"]), ","),
             format(int(a["heap_bytes_per_runtime"]), ","),
             a["heap_bytes_per_runtime"] / max(s["heap_bytes_per_runtime"], 1)))
PY
