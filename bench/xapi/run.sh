#!/bin/sh
# xAPI benchmark: Somo's parse-validate-serialise against jansson's own
# round trip, both sides in one run. Usage: bench/xapi/run.sh [BUILD_DIR]
# (default build-bench, configured RelWithDebInfo without sanitizers).
set -e
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-bench}
[ -f "$build/CMakeCache.txt" ] || cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target bench-xapi >/dev/null
"$build/bench/bench-xapi" "${XAPI_BENCH_N:-4000}" "${XAPI_BENCH_ROUNDS:-40}"
