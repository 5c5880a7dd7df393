#!/usr/bin/env bash
# Builds Somo and runs every test: the default build (-Werror), then the
# AddressSanitizer + UndefinedBehaviorSanitizer build, then a short run of
# every libFuzzer harness. Exits non-zero on any failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/deps.sh

jobs=$(nproc)
status=0

echo "== default build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs" --timeout 900) || status=1

echo "== sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSOMO_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --output-on-failure -j"$jobs" --timeout 1800 -LE no-sanitize) || status=1

echo "== libFuzzer build (clang): every harness runs its saved inputs and 2000 new ones"
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOMO_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$jobs"
for f in build-fuzz/fuzz/*/fuzz-*; do
	[[ -x $f ]] || continue
	name=${f##*/fuzz-}
	seeds=fuzz/corpus/$name
	[[ -d $seeds ]] || { echo "fuzz-$name: no saved inputs in $seeds"; status=1; continue; }
	# New inputs go to a scratch folder, never into the saved ones.
	scratch=$(mktemp -d)
	if "$f" -runs=2000 -max_total_time=120 -rss_limit_mb=2048 "$scratch" "$seeds" >"$scratch.log" 2>&1; then
		echo "fuzz-$name: ok"
	else
		echo "fuzz-$name: FAILED"; tail -n 40 "$scratch.log"; status=1
	fi
	rm -rf "$scratch" "$scratch.log"
done

if ((status)); then
	echo "tests: FAILED"
else
	echo "tests: all passed"
fi
exit $status
