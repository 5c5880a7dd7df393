#!/bin/sh
# The package benchmark: reading every member of a generated 200 MB, 5,000-file
# package through Somo (bench-package-read: open, then somo_package_read of each
# member, inflating and checking every CRC) against `unzip -tq` (which inflates and
# checks every CRC too) on the same file, in one run on one machine. Prints the best
# of R runs of each, after one untimed run of each to warm the page cache, and the
# ratio unzip / Somo (above 1 means Somo is faster).
#
#   bench/package/run.sh [BUILD_DIR] [--runs R] [--zip FILE]
#
# BUILD_DIR defaults to $SOMO_BUILD_DIR or <repo>/build. The zip is generated once
# into $TMPDIR (default /tmp) and reused; it is never part of the repository.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
case ${1:-} in
	--*|"") ;;
	*) build=$1; shift ;;
esac
runs=5
zip=${TMPDIR:-/tmp}/somo-bench-package-5000.zip
while [ $# -gt 1 ]; do
	case $1 in
		--runs) runs=$2 ;;
		--zip) zip=$2 ;;
		*) echo "usage: $0 [BUILD_DIR] [--runs R] [--zip FILE]" >&2; exit 2 ;;
	esac
	shift 2
done

bin=$(bench_bin bench-package-read)
command -v unzip >/dev/null || { echo "run.sh: unzip is not installed" >&2; exit 1; }
if [ ! -f "$zip" ]; then
	echo "generating $zip ..."
	"$bin" generate "$zip.part"
	mv "$zip.part" "$zip"
fi

size=$(stat -c %s "$zip")
members=$(unzip -Z1 "$zip" | wc -l)
"$bin" read "$zip" >/dev/null
unzip -tq "$zip" >/dev/null
somo=$(bench_best_of "$runs" "$bin" read "$zip")
unz=$(bench_best_of "$runs" unzip -tq "$zip")
printf 'package: %s (%d bytes, %d members)\n' "$zip" "$size" "$members"
printf 'somo read all members: %.3f s (best of %d)\n' "$somo" "$runs"
printf 'unzip -tq:             %.3f s (best of %d)\n' "$unz" "$runs"
printf 'ratio unzip/somo:      %.2fx (above 1: Somo is faster)\n' \
	"$(awk -v u="$unz" -v s="$somo" 'BEGIN { printf "%.4f", u / s }')"
