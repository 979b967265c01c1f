#!/usr/bin/env bash
# The protocol core's tests under AddressSanitizer + UndefinedBehaviorSanitizer (the "sanitize"
# CMake preset, in build-sanitize/): every unit and conformance test of models/ (label unit, the
# vectors included, and the hostile-peer tests) and the testbed's store, HTTP, peer-link and
# hostile-client tests. Any sanitizer report
# fails the run. The simulator's ns-3 tests are not in this subset: ns-3 comes uninstrumented
# from Debian, and the full set would double CI's time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${SANITIZE_BUILD_DIR:-$root/build-sanitize}"
"$root/scripts/setup-debian.sh"
cd "$root"
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake --preset sanitize -B "$build_dir" >/dev/null
fi
ninja -C "$build_dir" build.ninja >/dev/null  # re-run CMake first if a test was added
targets=$(ninja -C "$build_dir" -t targets all | grep -oE '^tests/(models_[a-z_]+_tests|testbed_(store|http_client|peer_link|hostile_clients)_tests):' | sed 's/:$//' | sort -u)
# shellcheck disable=SC2086
cmake --build "$build_dir" -j "${JOBS:-2}" --target $targets
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir "$build_dir" --output-on-failure -j "${JOBS:-2}" -L unit
ctest --test-dir "$build_dir" --output-on-failure -j "${JOBS:-2}" -R '^(SqliteStore|HttpClient|PeerLink|HostileRequests|ConnectionFlood)\.'
echo "sanitizers: no reports"
