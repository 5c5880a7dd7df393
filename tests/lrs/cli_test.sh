#!/bin/sh
# somo lrs send, sync and status against the test LRS (tools/lrs/start-lrs.js).
# Exit 77 (skipped) without node or tools/node_modules.
set -u
somo=$1
src=${SOMO_SOURCE_DIR:?}
command -v node >/dev/null 2>&1 || { echo "skipped: no node"; exit 77; }
[ -d "$src/tools/node_modules/xapi-statements" ] || { echo "skipped: no tools/node_modules"; exit 77; }
tmp=$(mktemp -d)
lrs_pid=
cleanup() { [ -n "$lrs_pid" ] && kill "$lrs_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

node "$src/tools/lrs/start-lrs.js" 0 "$tmp/lrs" >"$tmp/ready" 2>"$tmp/lrs.log" &
lrs_pid=$!
i=0
until grep -q '^ready ' "$tmp/ready" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 600 ] || fail "the LRS did not start"
	sleep 0.1
done
url=$(sed -n 's/^ready //p' "$tmp/ready")
echo secret >"$tmp/pw"
reg=$(cat /proc/sys/kernel/random/uuid)
cat >"$tmp/s.json" <<JSON
[{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://example.org/a/1"},"context":{"registration":"$reg"}},
 {"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://example.org/a/1"},"context":{"registration":"$reg"}}]
JSON

"$somo" lrs send "$tmp/s.json" --lrs "$url" --lrs-user somo --lrs-password-file "$tmp/pw" --db "$tmp/o.db" >"$tmp/ids" || fail "send"
[ "$(wc -l <"$tmp/ids")" -eq 2 ] || fail "send printed $(cat "$tmp/ids")"
"$somo" lrs status --db "$tmp/o.db" >"$tmp/st" || fail "status after send: $(cat "$tmp/st")"
grep -qx "delivered 2" "$tmp/st" || fail "status: $(cat "$tmp/st")"

# Nobody listening: the statement waits in the outbox (exit 1), then sync delivers it.
printf '{"actor":{"mbox":"mailto:b@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://example.org/b"},"context":{"registration":"%s"}}' "$reg" >"$tmp/one.json"
"$somo" lrs send "$tmp/one.json" --lrs "http://127.0.0.1:9/xAPI/" --db "$tmp/o.db" --timeout 2 >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || fail "send to nowhere should exit 1"
"$somo" lrs status --db "$tmp/o.db" --json >"$tmp/st"
grep -q '"pending":1' "$tmp/st" || fail "status json: $(cat "$tmp/st")"
"$somo" lrs sync --lrs "$url" --lrs-user somo --lrs-password-file "$tmp/pw" --db "$tmp/o.db" || fail "sync"
"$somo" lrs status --db "$tmp/o.db" >"$tmp/st" || fail "status after sync"
grep -qx "delivered 3" "$tmp/st" || fail "status: $(cat "$tmp/st")"
# The password never shows.
! grep -q secret "$tmp/err" "$tmp/st" || fail "the password was printed"
n=$(curl -s -u somo:secret -H 'X-Experience-API-Version: 1.0.3' "${url}statements?registration=$reg" | grep -o '"registration":"'"$reg"'"' | wc -l)
[ "$n" -eq 3 ] || fail "the LRS holds $n statements of the registration, not 3"
# Unusable input is refused without touching the outbox.
echo '{"actor":' >"$tmp/bad.json"
"$somo" lrs send "$tmp/bad.json" --lrs "$url" --db "$tmp/o.db" 2>/dev/null
[ $? -eq 2 ] || fail "bad JSON should exit 2"
echo "ok"
