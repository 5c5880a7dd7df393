#!/bin/sh
# The player's benchmark: bench/player/run.sh [BUILD_DIR] [SECONDS]
#
#  1. static files: requests per second of `somo play` serving a package
#     (from its zip, and from the extracted folder) against nginx serving
#     the same extracted folder, with wrk (keep-alive, 16 connections);
#     nginx runs one worker, as the player is one thread
#  2. one SetValue from page script to C and back in headless Chromium,
#     against the same synchronous XHR to a trivial Node.js server and to
#     the least libmicrohttpd server (floor_server.c), by POST and by GET:
#     the browser's own floor; and against the same request from Node.js
#  3. time from starting `somo play` to the first byte of the launcher
#
# nginx and wrk are installed with apt-get when missing (here only, never in
# the tests). Needs chromium and tools/node_modules (npm ci in tools/).
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build}
SECS=${2:-5}
SOMO=$BUILD/somo
[ -x "$SOMO" ] || { echo "build somo first: cmake --build $BUILD --target somo_cli" >&2; exit 2; }

need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	[ -x "/usr/sbin/$1" ] && return 0
	if [ "$(id -u)" = 0 ]; then apt-get install -y "$2" >/dev/null; else sudo apt-get install -y "$2" >/dev/null; fi
}
need wrk wrk
need nginx nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/somo-bench-player-XXXXXX")
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# The package: golf Run-time Basic Calls (HTML and JPEG) from the corpus, or
# the sample course (HTML, CSS, JS) when the corpus is absent.
CORPUS=${SOMO_CORPUS_DIR:-$SRC/../shared/corpus}
GOLF=$CORPUS/scorm/packages-scorm2004/RuntimeBasicCalls_SCORM20043rdEdition
if [ -d "$GOLF" ]; then
	cp -r "$GOLF" "$TMP/pkg"
	FILES="Playing/Playing.html Playing/par.jpg shared/scormfunctions.js"
else
	cp -r "$SRC/examples/courses/customs-clearance-basics" "$TMP/pkg"
	FILES="intro/index.html shared/course.css shared/course.js"
fi
chmod -R u+w "$TMP/pkg"
(cd "$TMP/pkg" && python3 -m zipfile -c "$TMP/pkg.zip" . >/dev/null)

start_somo() { # PACKAGE PORTFILE
	"$SOMO" play "$1" --db "$TMP/$2.db" --port 0 >"$TMP/$2.url" 2>/dev/null &
	PIDS="$PIDS $!"
	for _ in $(seq 50); do [ -s "$TMP/$2.url" ] && break; sleep 0.1; done
	head -1 "$TMP/$2.url"
}
ZIPURL=$(start_somo "$TMP/pkg.zip" zip)
DIRURL=$(start_somo "$TMP/pkg" dir)

NGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$TMP/nginx"
cat >"$TMP/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $TMP/nginx/error.log;
pid $TMP/nginx/nginx.pid;
events { worker_connections 1024; }
http {
	include /etc/nginx/mime.types;
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path $TMP/nginx;
	proxy_temp_path $TMP/nginx;
	fastcgi_temp_path $TMP/nginx;
	uwsgi_temp_path $TMP/nginx;
	scgi_temp_path $TMP/nginx;
	server {
		listen 127.0.0.1:$NGPORT;
		root $TMP/pkg;
		etag on;
	}
}
CONF
"$NGINX" -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" &
PIDS="$PIDS $!"
sleep 0.5

rps() { # URL
	wrk -t2 -c16 -d"${SECS}s" "$1" 2>/dev/null | awk '/Requests\/sec/ {print $2}'
}

echo "static files, requests per second (wrk -t2 -c16 -d${SECS}s; nginx: 1 worker)"
printf '%-28s %10s %10s %10s %10s %10s %10s\n' file bytes nginx somo-dir somo-zip dir/nginx zip/nginx
for f in $FILES; do
	size=$(stat -c %s "$TMP/pkg/$f")
	n=$(rps "http://127.0.0.1:$NGPORT/$f")
	d=$(rps "${DIRURL}content/$f")
	z=$(rps "${ZIPURL}content/$f")
	printf '%-28s %10s %10s %10s %10s %10s %10s\n' "$f" "$size" "$n" "$d" "$z" \
		"$(python3 -c "print(f'{$d/$n:.2f}x')")" "$(python3 -c "print(f'{$z/$n:.2f}x')")"
done

echo
echo "SetValue round trip and startup (headless Chromium, playwright-core)"
# the least libmicrohttpd server, for the browser's floor (floor_server.c)
cc -O2 -o "$TMP/floor_server" "$SRC/bench/player/floor_server.c" \
	$(pkg-config --cflags --libs libmicrohttpd) -lpthread
"$TMP/floor_server" >"$TMP/floor.url" &
PIDS="$PIDS $!"
for _ in $(seq 50); do [ -s "$TMP/floor.url" ] && break; sleep 0.1; done
node "$SRC/bench/player/browser_bench.js" "$SOMO" "$SRC" 3000 15 "$(head -1 "$TMP/floor.url")" >"$TMP/browser.json"
python3 - "$TMP/browser.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("  SetValue page -> C -> page, median     %.3f ms (p90 %.3f ms, %d calls)"
      % (r["roundtrip_ms_median"], r["roundtrip_ms_p90"], r["roundtrip_calls"]))
print("  same sync XHR, trivial Node.js server  %.3f ms (the browser alone)" % r["floor_ms_median"])
print("  same sync XHR POST, least C/MHD server %.3f ms (the browser alone)" % r["floor_c_post_ms_median"])
print("  sync XHR GET (no body), C/MHD server   %.3f ms (another transport)" % r["floor_c_get_ms_median"])
print("  same request from Node.js, no browser  %.3f ms (the player alone)" % r["server_ms_median"])
print("  player / C floor (POST)                %.2fx"
      % (r["roundtrip_ms_median"] / r["floor_c_post_ms_median"]))
print("  somo play to first byte, median        %.1f ms (best %.1f ms)"
      % (r["startup_ms_median"], r["startup_ms_min"]))
PY
