# What the benchmark scripts (bench/<area>/run.sh) share. Sourced, not run:
#
#   here=$(cd "$(dirname "$0")" && pwd)
#   . "$here/../lib.sh"
#
# sets repo (the source tree) and build ($SOMO_BUILD_DIR or <repo>/build); a
# script lets its first argument name another build folder.

repo=$(cd "$here/../.." && pwd)
build=${SOMO_BUILD_DIR:-$repo/build}

# bench_bin TARGET: the path of the built benchmark program TARGET; when it is
# missing, says how to build it and exits 1.
bench_bin() {
	if [ ! -x "$build/bench/$1" ]; then
		echo "run.sh: $build/bench/$1 is missing: cmake --build $build --target $1" >&2
		exit 1
	fi
	echo "$build/bench/$1"
}

# bench_now: wall-clock seconds, to the nanosecond.
bench_now() { date +%s.%N; }

# bench_best_of RUNS CMD...: the shortest wall time of RUNS runs of CMD, in seconds.
bench_best_of() {
	_runs=$1
	shift
	_best=""
	_i=0
	while [ $_i -lt "$_runs" ]; do
		_t0=$(bench_now)
		"$@" >/dev/null
		_t1=$(bench_now)
		_best=$(awk -v a="$_t0" -v b="$_t1" -v best="$_best" \
			'BEGIN { t = b - a; if (best == "" || t < best) best = t; printf "%.6f", best }')
		_i=$((_i + 1))
	done
	echo "$_best"
}

# bench_timed CMD...: one run under /usr/bin/time, as "wall_seconds cpu_seconds peak_kb".
bench_timed() {
	/usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1 |
		awk '{ printf "%s %.2f %s", $1, $2 + $3, $4 }'
}

# bench_min T BEST: the smaller of T and BEST (BEST "" at the first run).
bench_min() { awk -v t="$1" -v b="$2" 'BEGIN { if (b == "" || t < b) b = t; print b }'; }

# bench_ratio A B: A / B to two decimals.
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
