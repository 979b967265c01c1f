#!/usr/bin/env bash
# Set up (Debian packages), configure and build sessionsim incrementally in build/: every target,
# or only the named ones (scripts/build.sh sessionsim builds the program and what it links).
# Environment: BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo), JOBS (default 2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"

"$root/scripts/setup-debian.sh"
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
fi
if [ $# -gt 0 ]; then
  cmake --build "$build_dir" -j "${JOBS:-2}" --target "$@"
else
  cmake --build "$build_dir" -j "${JOBS:-2}"
fi
