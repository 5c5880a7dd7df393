#!/usr/bin/env bash
# Installs what building and testing Somo needs and is not yet on this
# Debian 12 machine. Safe to run again; installs nothing that is present.
set -euo pipefail

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# curl checks what the test LRS holds; strace counts the store's fsyncs;
# ca-certificates lets npm fetch the Node tools over HTTPS.
for p in build-essential cmake pkg-config clang libclang-rt-14-dev \
	libxml2-dev libxml2-utils libzip-dev zip unzip libjansson-dev libcurl4-openssl-dev libssl-dev \
	libmicrohttpd-dev libsqlite3-dev sqlite3 libcmocka-dev python3 chromium \
	ca-certificates curl strace; do
	have_pkg "$p" || need+=("$p")
done
# Node.js: this machine may carry a Node 20 that conflicts with Debian's npm;
# install Debian's nodejs and npm only when npm is missing altogether.
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)

if ((${#need[@]})); then
	SUDO=""
	if [[ $(id -u) -ne 0 ]]; then
		command -v sudo >/dev/null 2>&1 || {
			echo "deps: missing ${need[*]}: run this as root (or install sudo) to install them" >&2
			exit 1
		}
		SUDO=sudo
	fi
	echo "deps: installing ${need[*]}"
	$SUDO apt-get update -qq
	# env, not a prefix assignment: sudo would drop the variable.
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# Node packages for the browser tests, the LRS and the comparison benchmarks,
# pinned in tools/package.json and its lock file.
top=$(cd "$(dirname "$0")/.." && pwd)
# A copy of the lock file inside node_modules records what was installed:
# a changed lock file installs again.
stamp=$top/tools/node_modules/.somo-package-lock.json
if [[ -f $top/tools/package.json ]] && { [[ ! -d $top/tools/node_modules ]] ||
	! cmp -s "$top/tools/package-lock.json" "$stamp"; }; then
	(cd "$top/tools" && npm ci --no-audit --no-fund --loglevel=error &&
		cp package-lock.json "$stamp")
fi
