#!/bin/sh
# The xAPI benchmark: Somo's parse + validate + serialise of statements of about
# 800 bytes against jansson's own parse + dump of the same statements, both in
# one run of bench-xapi (built with the project); prints statements per second
# of each, the ratio and what Somo's validation and exact numbers cost on top.
#
#   bench/xapi/run.sh [BUILD_DIR] [STATEMENTS_PER_ROUND [ROUNDS]]
#
# BUILD_DIR defaults to $SOMO_BUILD_DIR or <repo>/build (configured when absent).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
case ${1:-} in
	[0-9]*|"") ;;
	*) build=$1; shift ;;
esac
[ -f "$build/CMakeCache.txt" ] || cmake -S "$repo" -B "$build" >/dev/null
cmake --build "$build" --target bench-xapi >/dev/null
"$build/bench/bench-xapi" "${1:-4000}" "${2:-40}"
