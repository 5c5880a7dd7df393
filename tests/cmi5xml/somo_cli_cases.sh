#!/bin/sh
# End to end through the somo binary: somo validate and somo inspect --json
# on the cmi5 and Tin Can cases of corpus_cases.txt and tincan_cases.txt
# (those that need no zip built first). Exit 77 when the corpus is absent.
# usage: somo_cli_cases.sh SOMO_BINARY SOURCE_DIR
somo=$1
src=$2
corpus=${SOMO_CORPUS_DIR:-$src/../shared/corpus}
[ -d "$corpus" ] || { echo "corpus absent: skipped"; exit 77; }
[ -x "$somo" ] || { echo "$somo: not built"; exit 1; }
fail=0
n=0
out=$(mktemp)

check() { # what expected-status path
	"$somo" validate "$3" >"$out" 2>/dev/null
	rc=$?
	n=$((n + 1))
	if [ "$rc" != "$2" ]; then
		echo "FAIL $1 $3: exit $rc, expected $2"; cat "$out"; fail=$((fail + 1))
		return 1
	fi
}

# A CATAPULT LMS test source folder zipped as its build does (cmi5.xml,
# index.html, <name>.js), with Zip64 records for 102-zip64 as there.
tmpdir=$(mktemp -d)
trap 'rm -f "$out"; rm -rf "$tmpdir"' EXIT
lts_zip() {
	command -v python3 >/dev/null 2>&1 || return 1
	python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
name = os.path.basename(src)
js = os.path.join(src, name + ".js")
if not os.path.exists(js):
    js = os.path.join(src, "..", "empty.js")
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    members = [("cmi5.xml", os.path.join(src, "cmi5.xml")),
               ("index.html", os.path.join(src, "..", "index.html")),
               (name + ".js", js)]
    for arc, path in members:
        if os.path.exists(path):
            with open(path, "rb") as f, z.open(arc, "w", force_zip64=(name == "102-zip64")) as o:
                o.write(f.read())
PY
}

while read -r rel form expect; do
	case "$rel" in ''|'#'*) continue ;; esac
	path=$corpus/$rel
	if [ "$form" = lts ]; then
		lts_zip "$path" "$tmpdir/$(basename "$rel").zip" || continue
		path=$tmpdir/$(basename "$rel").zip
	fi
	case "$expect" in load*)
		# No cmi5.xml: not a package somo can read as any standard.
		n=$((n + 1))
		if "$somo" validate "$path" >"$out" 2>&1; then
			echo "FAIL $rel: accepted"; fail=$((fail + 1))
		fi
		continue ;;
	esac
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
