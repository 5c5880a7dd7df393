#!/usr/bin/env bash
# Builds Somo and runs its main job: the player on the bundled sample course.
# It prints the address to open in a browser; Ctrl-C stops it with everything
# committed. Extra arguments go to `somo play` (e.g. --port 8080 --open).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# Installing and building report on stderr: the first line on stdout is the
# player's address, as `somo play` prints it.
bash scripts/deps.sh >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >&2
exec ./build/somo play examples/courses/customs-clearance-basics "$@"
