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
. "$here/../lib.sh"
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

bin=$(bench_bin bench-manifest-load)
command -v xmllint >/dev/null || { echo "run.sh: xmllint is not installed (libxml2-utils)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is not installed (time)" >&2; exit 1; }

file=${TMPDIR:-/tmp}/somo-bench-manifest-$items.xml
"$bin" generate "$file" "$items" >/dev/null

# The two sides alternate run by run so that a busy machine weighs on both
# alike; /usr/bin/time has 10 ms resolution, so each timed run is a batch of
# 10 loads, and peak memory is taken from single loads.
export bin file
"$bin" load "$file" >/dev/null
xmllint --noout "$file"
sw=""; sc=""; lw=""; lc=""; sm=0; lm=0
i=0
while [ $i -lt "$runs" ]; do
	set -- $(bench_timed sh -c 'n=0; while [ $n -lt 10 ]; do "$bin" load "$file" >/dev/null || exit 1; n=$((n + 1)); done')
	sw=$(bench_min "$1" "$sw")
	sc=$(bench_min "$2" "$sc")
	set -- $(bench_timed sh -c 'n=0; while [ $n -lt 10 ]; do xmllint --noout "$file" || exit 1; n=$((n + 1)); done')
	lw=$(bench_min "$1" "$lw")
	lc=$(bench_min "$2" "$lc")
	set -- $(bench_timed "$bin" load "$file")
	[ "$3" -gt "$sm" ] && sm=$3
	set -- $(bench_timed xmllint --noout "$file")
	[ "$3" -gt "$lm" ] && lm=$3
	i=$((i + 1))
done

"$bin" load "$file"
size=$(stat -c %s "$file")
echo "manifest: $file ($size bytes, $items items)"
echo "wall time of 10 loads (best of $runs): Somo ${sw} s, xmllint --noout ${lw} s, ratio Somo/xmllint $(bench_ratio "$sw" "$lw")"
echo "CPU time of 10 loads (best of $runs): Somo ${sc} s, xmllint --noout ${lc} s, ratio Somo/xmllint $(bench_ratio "$sc" "$lc")"
echo "peak memory of one load: Somo ${sm} KB, xmllint --noout ${lm} KB, ratio Somo/xmllint $(bench_ratio "$sm" "$lm")"
