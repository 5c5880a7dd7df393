#!/usr/bin/env bash
# Builds Somo and runs its main job on the bundled sample course.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
exec ./build/somo inspect examples/courses/customs-clearance-basics "$@"
