#!/bin/sh
# The session benchmark: memory per open session (against a bare run-time)
# and durable Commits per second through a session (against straight store
# writes), and the fsync calls one Commit costs (strace), in one run.
#
#   bench/session/run.sh [BUILD_DIR] [--sessions N] [--commits M] [--dir DIR]
#
# DIR (default: a folder under BUILD_DIR) must be on a real disk: on tmpfs an
# fsync costs nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${SOMO_BUILD_DIR:-$repo/build}
case ${1:-} in
	--*|"") ;;
	*) build=$1; shift ;;
esac
sessions=10000 commits=500 dir=
while [ $# -gt 1 ]; do
	case $1 in
		--sessions) sessions=$2 ;;
		--commits) commits=$2 ;;
		--dir) dir=$2 ;;
		*) echo "usage: $0 [BUILD_DIR] [--sessions N] [--commits M] [--dir DIR]" >&2; exit 2 ;;
	esac
	shift 2
done
[ -f "$build/CMakeCache.txt" ] || cmake -S "$repo" -B "$build" >/dev/null
cmake --build "$build" --target bench-session >/dev/null
[ -n "$dir" ] || dir=$build/bench-session-files
mkdir -p "$dir"
"$build/bench/bench-session" "$repo" "$dir" "$sessions" "$commits"

# fsync and fdatasync calls per Commit: the same process with M Commits and
# with none (opening the store and the session, the first delivery), the
# difference divided by M
syncs() {
	strace -f -c -e trace=fsync,fdatasync -o "$dir/strace.out" \
		"$build/bench/bench-session" "$repo" "$dir" 1 "$1" commits-only >/dev/null
	awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' "$dir/strace.out"
}
if command -v strace >/dev/null 2>&1; then
	with=$(syncs "$commits")
	without=$(syncs 0)
	rm -f "$dir/strace.out"
	awk -v w="$with" -v z="$without" -v m="$commits" 'BEGIN {
		printf "fsyncs: %d Commits made %d fsync/fdatasync calls beyond opening (%d with none): %.3f per Commit (goal: at most 1)\n", m, w - z, z, (w - z) / m }'
else
	echo "fsyncs: strace is not installed, not counted"
fi
