#!/bin/sh
# The sequencing benchmark: generated activity trees of 1,000, 10,000 and
# 100,000 activities (or the sizes given), and at each size the time of
# building the tree, Start, Continue, a Choice of the last leaf and a
# report's rollup to the root (medians, in milliseconds), so the growth of
# each cost with the tree shows. The goal: under 1 ms each at 10,000.
#
#   bench/sequencing/run.sh [BUILD_DIR] [SIZE ...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
case ${1:-} in
	''|*[!0-9]*) [ $# -gt 0 ] && { build=$1; shift; } ;;
esac
[ -f "$build/CMakeCache.txt" ] || cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target bench-sequencing >/dev/null
bin=$(bench_bin bench-sequencing)
out=$("$bin" "$@")
echo "$out"
# growth of each figure from one size to the next (x10 activities)
echo "$out" | awk 'NR == 1 { next }
	{ if (prev != "") printf "%u -> %u activities: start x%.1f, continue x%.1f, choice x%.1f, rollup x%.1f, build x%.1f\n",
	      pn, $1, $6 / p6, $7 / p7, $8 / p8, $9 / p9, $4 / p4
	  prev = 1; pn = $1; p4 = $4; p6 = $6; p7 = $7; p8 = $8; p9 = $9 }'
