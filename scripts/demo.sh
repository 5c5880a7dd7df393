#!/usr/bin/env bash
# Builds Somo and runs its main job: the player on the bundled sample course.
# It prints the address to open in a browser; Ctrl-C stops it with everything
# committed. Extra arguments go to `somo play` (e.g. --port 8080 --open).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
exec ./build/somo play examples/courses/customs-clearance-basics "$@"
