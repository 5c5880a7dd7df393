#!/bin/sh
# End to end through the somo binary: somo validate and somo inspect --json
# on the cmi5 and Tin Can cases of corpus_cases.txt and tincan_cases.txt
# (those that need no zip built first). Exit 77 when the corpus is absent.
# usage: somo_cli_cases.sh SOMO_BINARY SOURCE_DIR
somo=$1
src=$2
corpus=${SOMO_CORPUS_DIR:-$src/../shared/corpus}
[ -d "$corpus" ] || { echo "corpus absent: skipped"; exit 77; }
fail=0
n=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

check() { # what expected-status path
	"$somo" validate "$3" >"$out" 2>/dev/null
	rc=$?
	n=$((n + 1))
	if [ "$rc" != "$2" ]; then
		echo "FAIL $1 $3: exit $rc, expected $2"; cat "$out"; fail=$((fail + 1))
		return 1
	fi
}

while read -r rel form expect; do
	case "$rel" in ''|'#'*) continue ;; esac
	[ "$form" = lts ] && continue
	path=$corpus/$rel
	case "$expect" in
	valid*)
		check "$form" 0 "$path" || continue
		"$somo" inspect "$path" --json >"$out" 2>/dev/null
		grep -q '"standard": "cmi5"' "$out" || { echo "FAIL inspect --json $rel"; fail=$((fail + 1)); }
		;;
	error*)
		check "$form" 1 "$path" || continue
		reason=${expect#error }
		grep -qF -- "$reason" "$out" || { echo "FAIL $rel: no '$reason' in:"; cat "$out"; fail=$((fail + 1)); }
		grep -qE '^[^:]+:[0-9]+: error: ' "$out" || { echo "FAIL $rel: messages are not file:line: error: text"; fail=$((fail + 1)); }
		;;
	refused) check "$form" 2 "$path" ;;
	esac
done <"$src/tests/cmi5xml/corpus_cases.txt"

while read -r rel count href id type; do
	case "$rel" in ''|'#'*) continue ;; esac
	check tincan 0 "$corpus/$rel" || continue
	"$somo" inspect "$corpus/$rel" --json >"$out" 2>/dev/null
	grep -q '"standard": "tincan"' "$out" && grep -qF "\"url\": \"$href\"" "$out" ||
		{ echo "FAIL inspect --json $rel"; cat "$out"; fail=$((fail + 1)); }
done <"$src/tests/cmi5xml/tincan_cases.txt"

echo "$n cases, $fail failures"
[ "$fail" = 0 ]
