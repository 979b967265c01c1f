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
log="$build_dir/ctest-last.log"
set +e
ctest "${ctest_args[@]}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

echo
echo "Conformance vectors checked (shared/vectors):"
cat "$build_dir"/vector-tally/*.txt | awk '{n=$NF; $NF=""; printf "  %-70s %6d\n", $0, n; t+=n} END {printf "  %-70s %6d\n", "total", t}'

if compgen -G "$root/tests/python/test_*.py" >/dev/null; then
  BUILD_DIR="$build_dir" /usr/bin/python3 -m pytest -q "$root/tests/python" || status=1
fi

# Close with CTest's own verdict so that it is the last thing a reader (or CI) sees.
echo
grep -E "tests passed|tests failed" "$log" | tail -1
exit "$status"
