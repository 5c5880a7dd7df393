#!/bin/sh
# The LRS benchmark: statements per second delivered to the test LRS
# (tools/lrs/start-lrs.js) by Somo's outbox and client, against a plain Node
# keep-alive POST loop sending the same batches. The sides alternate for
# ROUNDS rounds, each on a fresh LRS; each side keeps its best round (the
# machine's other work only ever slows a round down). Prints both rates
# and the ratio.
#
#   bench/lrs/run.sh [BUILD_DIR] [STATEMENTS [BATCH [IN_FLIGHT [ROUNDS]]]]
#
# IN_FLIGHT: batches Somo keeps in flight (default 1, as the Node loop).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
case ${1:-} in
	[0-9]*|"") ;;
	*) build=$1; shift ;;
esac
n=${1:-20000}
batch=${2:-50}
in_flight=${3:-1}
rounds=${4:-3}
[ -f "$build/CMakeCache.txt" ] || cmake -S "$repo" -B "$build" >/dev/null
cmake --build "$build" --target bench-lrs >/dev/null
[ -d "$repo/tools/node_modules/xapi-statements" ] || { echo "run scripts/deps.sh first (tools/node_modules)"; exit 1; }
tmp=$(mktemp -d)
lrs_pid=
cleanup() { [ -n "$lrs_pid" ] && kill "$lrs_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

start_lrs() {
	rm -f "$tmp/ready"
	node "$repo/tools/lrs/start-lrs.js" 0 "$tmp/lrs" >"$tmp/ready" 2>"$tmp/lrs.log" &
	lrs_pid=$!
	i=0
	until grep -q '^ready ' "$tmp/ready" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 600 ] || { echo "the LRS did not start"; exit 1; }
		sleep 0.1
	done
	url=$(sed -n 's/^ready //p' "$tmp/ready")
}
stop_lrs() { kill "$lrs_pid"; wait "$lrs_pid" 2>/dev/null || true; lrs_pid=; }

"$build/bench/bench-lrs" gen "$n" a "$tmp/a.jsonl"
"$build/bench/bench-lrs" gen "$n" b "$tmp/b.jsonl"

best_node=0
best_somo=0
rate() { r=${1##*: }; echo "${r%/s}"; }
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	start_lrs
	line=$(node "$here/node_post.js" "$url" "$tmp/a.jsonl" "$batch")
	stop_lrs
	echo "round $r $line"
	[ "$(rate "$line")" -gt "$best_node" ] && best_node=$(rate "$line")
	start_lrs
	line=$("$build/bench/bench-lrs" send "$url" "$tmp/b.jsonl" "$batch" "$tmp/outbox.db" "$in_flight")
	stop_lrs
	echo "round $r $line"
	[ "$(rate "$line")" -gt "$best_somo" ] && best_somo=$(rate "$line")
done
echo "best: node $best_node/s, somo $best_somo/s ($n statements, batches of $batch, $in_flight in flight)"
awk -v s="$best_somo" -v n="$best_node" 'BEGIN { printf "ratio somo/node: %.3f\n", s / n }'
