#!/bin/sh
# somo xapi validate: exit codes and output lines.
somo="$1"
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # name expected-exit actual-exit
	if [ "$2" != "$3" ]; then echo "FAIL $1: exit $3, expected $2"; fail=1; else echo "ok $1"; fi
}

good='{"actor":{"mbox":"mailto:kai@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://example.org/c"}}'
bad='{"actor":{"mbox":"kai@example.org"},"verb":{"id":"completed"},"object":{"id":"https://example.org/c"}}'

printf '%s' "$good" > "$tmp/good.json"
"$somo" xapi validate "$tmp/good.json" > "$tmp/out" 2>&1; check "valid file" 0 $?
[ -s "$tmp/out" ] && { echo "FAIL valid file printed output"; fail=1; }

printf '%s' "$bad" | "$somo" xapi validate - > "$tmp/out"; check "invalid stdin" 1 $?
[ "$(wc -l < "$tmp/out")" -eq 2 ] || { echo "FAIL expected 2 problem lines"; cat "$tmp/out"; fail=1; }
grep -q '^\$\.actor\.mbox: ' "$tmp/out" || { echo "FAIL no \$.actor.mbox line"; fail=1; }
grep -q '^\$\.verb\.id: ' "$tmp/out" || { echo "FAIL no \$.verb.id line"; fail=1; }

printf '[%s,%s]' "$good" "$bad" | "$somo" xapi validate --xapi 1.0.3 - > "$tmp/out"; check "array" 1 $?
grep -q '^\$\[1\]\.actor\.mbox: ' "$tmp/out" || { echo "FAIL no \$[1].actor.mbox line"; fail=1; }

printf '{"actor":' | "$somo" xapi validate - > /dev/null 2>&1; check "not JSON" 2 $?
"$somo" xapi validate "$tmp/missing.json" > /dev/null 2>&1; check "missing file" 2 $?
"$somo" xapi validate --xapi 3.0 "$tmp/good.json" > /dev/null 2>&1; check "unknown version" 2 $?
exit $fail
