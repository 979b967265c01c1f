#!/usr/bin/env bash
# Quick start, command 2: set up, build, and run every test (GoogleTest via CTest; pytest when
# Python tests exist). Tests labelled "long" run only with --long.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
ctest_args=(--test-dir "$build_dir" --output-on-failure -j "${JOBS:-2}")
if [ "${1:-}" = "--long" ]; then shift; else ctest_args+=(-LE long); fi

"$root/scripts/build.sh"
rm -rf "$build_dir/vector-tally"
ctest "${ctest_args[@]}" "$@"

echo
echo "Conformance vectors checked (shared/vectors):"
cat "$build_dir"/vector-tally/*.txt | awk '{n=$NF; $NF=""; printf "  %-70s %6d\n", $0, n; t+=n} END {printf "  %-70s %6d\n", "total", t}'

if compgen -G "$root/tests/python/test_*.py" >/dev/null; then
  /usr/bin/python3 -m pytest -q "$root/tests/python"
fi
