#!/bin/sh
# The manifest benchmark: loading a generated 10,000-item SCORM 2004 4th edition
# manifest (sequencing on every third item) into Somo's model
# (bench-manifest-load load: read the file, somo_manifest_parse_memory) against
# `xmllint --noout` on the same file (which parses it into libxml2's DOM), in one
# run on one machine. For each: the best wall time of R runs after one untimed
# run, and the peak resident memory (/usr/bin/time). Prints the ratios.
#
#   bench/manifest/run.sh [BUILD_DIR] [--runs R] [--items N]
#
# BUILD_DIR defaults to $SOMO_BUILD_DIR or <repo>/build. The manifest is
# generated into $TMPDIR (default /tmp); it is never part of the repository.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${SOMO_BUILD_DIR:-$repo/build}
case ${1:-} in
	--*|"") ;;
	*) build=$1; shift ;;
esac
runs=7
items=10000
while [ $# -gt 1 ]; do
	case $1 in
		--runs) runs=$2 ;;
		--items) items=$2 ;;
		*) echo "usage: $0 [BUILD_DIR] [--runs R] [--items N]" >&2; exit 2 ;;
	esac
	shift 2
done

bin=$build/bench/bench-manifest-load
if [ ! -x "$bin" ]; then
	echo "run.sh: $bin is missing: cmake --build $build --target bench-manifest-load" >&2
	exit 1
fi
command -v xmllint >/dev/null || { echo "run.sh: xmllint is not installed (libxml2-utils)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is not installed (time)" >&2; exit 1; }

file=${TMPDIR:-/tmp}/somo-bench-manifest-$items.xml
"$bin" generate "$file" "$items" >/dev/null

# One timed run of CMD...: "wall_seconds cpu_seconds peak_kb"
timed() {
	/usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1 |
		awk '{ printf "%s %.2f %s", $1, $2 + $3, $4 }'
}

# The two sides alternate run by run so that a busy machine weighs on both
# alike; /usr/bin/time has 10 ms resolution, so each timed run is a batch of
# 10 loads, and peak memory is taken from single loads.
export bin file
"$bin" load "$file" >/dev/null
xmllint --noout "$file"
sw=""; sc=""; lw=""; lc=""; sm=0; lm=0
i=0
while [ $i -lt "$runs" ]; do
	set -- $(timed sh -c 'n=0; while [ $n -lt 10 ]; do "$bin" load "$file" >/dev/null || exit 1; n=$((n + 1)); done')
	sw=$(awk -v t="$1" -v b="$sw" 'BEGIN { if (b == "" || t < b) b = t; print b }')
	sc=$(awk -v t="$2" -v b="$sc" 'BEGIN { if (b == "" || t < b) b = t; print b }')
	set -- $(timed sh -c 'n=0; while [ $n -lt 10 ]; do xmllint --noout "$file" || exit 1; n=$((n + 1)); done')
	lw=$(awk -v t="$1" -v b="$lw" 'BEGIN { if (b == "" || t < b) b = t; print b }')
	lc=$(awk -v t="$2" -v b="$lc" 'BEGIN { if (b == "" || t < b) b = t; print b }')
	set -- $(timed "$bin" load "$file")
	[ "$3" -gt "$sm" ] && sm=$3
	set -- $(timed xmllint --noout "$file")
	[ "$3" -gt "$lm" ] && lm=$3
	i=$((i + 1))
done

"$bin" load "$file"
size=$(stat -c %s "$file")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "manifest: $file ($size bytes, $items items)"
echo "wall time of 10 loads (best of $runs): Somo ${sw} s, xmllint --noout ${lw} s, ratio Somo/xmllint $(ratio "$sw" "$lw")"
echo "CPU time of 10 loads (best of $runs): Somo ${sc} s, xmllint --noout ${lc} s, ratio Somo/xmllint $(ratio "$sc" "$lc")"
echo "peak memory of one load: Somo ${sm} KB, xmllint --noout ${lm} KB, ratio Somo/xmllint $(ratio "$sm" "$lm")"
