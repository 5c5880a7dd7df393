#!/bin/sh
# somo play on the command line: usage errors, a package that cannot be
# opened, a bad --xapi-base or --xapi-home, a port in use, the default store under $XDG_DATA_HOME, the URL
# alone on standard output, SIGTERM and SIGINT stopping with exit status 0.
#   cli_play.sh SOMO SOURCE_DIR
set -u
SOMO=$1
SRC=$2
COURSE=$SRC/examples/courses/customs-clearance-basics
TMP=$(mktemp -d "${TMPDIR:-/tmp}/somo-cli-play-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fails=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fails=$((fails + 1)); }

"$SOMO" play >/dev/null 2>&1; [ $? -eq 2 ] && ok "no package: usage, exit 2" || bad "no package"
"$SOMO" play "$COURSE" --port >/dev/null 2>&1; [ $? -eq 2 ] && ok "an option without its value: exit 2" || bad "option without value"
"$SOMO" play "$COURSE" --port 70000 --db "$TMP/x.db" >/dev/null 2>&1; [ $? -eq 2 ] && ok "a port out of range: exit 2" || bad "port range"
"$SOMO" play "$TMP/nothing.zip" --db "$TMP/x.db" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 2 ] && grep -q "nothing.zip" "$TMP/err" && ok "a missing package: exit 2, named" || bad "missing package ($rc)"
"$SOMO" play "$COURSE" --db "$TMP/x.db" --lrs http://127.0.0.1:9/xAPI/ --lrs-password-file "$TMP/none" >/dev/null 2>&1
[ $? -eq 2 ] && ok "an unreadable password file: exit 2" || bad "password file"
for base in 'not an iri' 'https://x.example/c'; do
	"$SOMO" play "$COURSE" --db "$TMP/x.db" --xapi-base "$base" >/dev/null 2>"$TMP/err"; rc=$?
	[ $rc -eq 2 ] && grep -q "activity base" "$TMP/err" && ok "--xapi-base '$base' (not an IRI ending in / or :): exit 2, said" || bad "xapi-base '$base' ($rc)"
done
"$SOMO" play "$COURSE" --db "$TMP/x.db" --xapi-home 'not an iri' >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 2 ] && grep -q "home page" "$TMP/err" && ok "--xapi-home that is not an IRI: exit 2, said" || bad "xapi-home ($rc)"

# start one player on the default store (XDG_DATA_HOME), wait for its URL
start() { # OUTFILE ARGS...
	out=$1; shift
	XDG_DATA_HOME=$TMP/data "$SOMO" play "$COURSE" "$@" >"$out" 2>"$out.err" &
	pid=$!
	for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.05; done
}
start "$TMP/one"
url=$(cat "$TMP/one")
case "$url" in
http://127.0.0.1:*/) ok "the URL alone on standard output ($url)" ;;
*) bad "URL on standard output: '$url'" ;;
esac
[ -f "$TMP/data/somo/somo.db" ] && ok "the default store is \$XDG_DATA_HOME/somo/somo.db" || bad "default store"
port=$(echo "$url" | sed 's|.*:\([0-9]*\)/|\1|')
"$SOMO" play "$COURSE" --port "$port" --db "$TMP/y.db" >/dev/null 2>"$TMP/err2"; rc=$?
[ $rc -eq 2 ] && grep -q "cannot listen" "$TMP/err2" && ok "a port in use: exit 2, said" || bad "port in use ($rc)"
kill -TERM "$pid"; wait "$pid"; rc=$?
[ $rc -eq 0 ] && grep -q "everything committed" "$TMP/one.err" && ok "SIGTERM: exit 0, everything committed" || bad "SIGTERM ($rc)"
start "$TMP/two" --learner k-9
kill -INT "$pid"; wait "$pid"; rc=$?
[ $rc -eq 0 ] && ok "SIGINT: exit 0" || bad "SIGINT ($rc)"

[ $fails -eq 0 ] || { echo "$fails failed"; exit 1; }
echo PASS
