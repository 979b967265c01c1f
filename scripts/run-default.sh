#!/usr/bin/env bash
# Quick start, command 1: set up, build, and run sessionsim's default job. Extra arguments go to
# the job (e.g. --seed 2 --nodes 5000). Results land in results/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/build.sh" >/dev/null
cd "$root"
exec "${BUILD_DIR:-$root/build}/bin/sessionsim" demo --out results/demo "$@"
