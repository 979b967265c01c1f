#!/usr/bin/env bash
# Quick start, command 2: set up, build, and run every test (GoogleTest via CTest, the
# conformance-vector tally, pytest). Tests labelled "long" run only with --long. Extra arguments
# go to CTest (e.g. -L unit); a selection that matches no test is an error, not a pass.
#
# SESSIONSIM_STRICT_SKIPS=1 (CI sets it): probe this machine for what skippable tests need
# (AES-NI, network namespaces) and fail any test, or vector entry, skipped for want of something
# the machine has (tests/support/skips.h).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
ctest_args=(--test-dir "$build_dir" --output-on-failure --no-tests=error -j "${JOBS:-2}")
if [ "${1:-}" = "--long" ]; then shift; else ctest_args+=(-LE long); fi

strict=()
if [ "${SESSIONSIM_STRICT_SKIPS:-0}" = 1 ]; then
  have=()
  grep -qw aes /proc/cpuinfo && have+=(aes-ni)
  probe="ssim-probe-$$"
  if [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null && [ -w /dev/net/tun ] &&
     ip netns add "$probe" 2>/dev/null; then
    ip netns del "$probe"
    have+=(netns)
  fi
  SESSIONSIM_REQUIRE="$(IFS=,; echo "${have[*]:-}")"
  export SESSIONSIM_REQUIRE
  echo "strict skips: this machine has [${SESSIONSIM_REQUIRE}]; a test skipped for want of them fails"
  strict=(--strict)
fi

"$root/scripts/build.sh"
rm -rf "$build_dir/vector-tally"
log="$build_dir/ctest-last.log"
set +e
ctest "${ctest_args[@]}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# Every test's whole output, kept: the docs test renders docs/validation.md from it instead of
# running the validation tests a second time (scripts/validation-report.py --from-ctest-log).
cp "$build_dir/Testing/Temporary/LastTest.log" "$build_dir/ctest-last-output.log" 2>/dev/null || true

# Every test carries one of the labels the scripts select by, so that none is left out of a
# labelled run (scripts/test-sanitizers.sh runs label by label).
labels='^(unit|layers|cli|sim|sim-validation|testbed|bench|long)$'
unlabelled=$(ctest --test-dir "$build_dir" -N -LE "$labels" | grep -E 'Test +#' || true)
if [ -n "$unlabelled" ]; then
  echo "tests without a known label (tests/CMakeLists.txt):"; echo "$unlabelled"; status=1
fi

echo
vectors_line="vectors: not run"
if /usr/bin/python3 "$root/scripts/vector-tally.py" "$build_dir/vector-tally" \
    "$root/../shared/vectors" "${strict[@]}" | tee "$build_dir/vector-tally.txt"; then :; else
  # A selection (-L/-R) that runs only some vector tests cannot match the files' totals.
  if [ $# -eq 0 ]; then status=1; fi
fi
vectors_line="$(tail -1 "$build_dir/vector-tally.txt" | sed 's/^ *//')"

pytest_line="pytest: not run"
if [ $# -eq 0 ] && compgen -G "$root/tests/python/test_*.py" >/dev/null; then
  set +e
  BUILD_DIR="$build_dir" /usr/bin/python3 -m pytest -q -rs "$root/tests/python" 2>&1 |
    tee "$build_dir/pytest-last.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  set -e
  pytest_line="pytest: $(grep -E '^=*.*(passed|failed|error)' "$build_dir/pytest-last.log" | tail -1 |
    sed -E 's/=+//g; s/^ +| +$//g')"
fi

# One closing line (CI's and a reader's verdict): CTest's counts with skips apart, then the
# vector tally and pytest. CTest counts a skipped test as passed; here it is counted apart.
total=$(grep -oE 'tests failed out of [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || echo 0)
failed=$(grep -oE '[0-9]+ tests failed out of' "$log" | grep -oE '^[0-9]+' | tail -1 || echo 0)
mapfile -t skipped < <(grep -E '\(Skipped\)$' "$log" | sed -E 's/^[[:space:]]*[0-9]+ - //; s/ \(Skipped\)$//')
passed=$(( ${total:-0} - ${failed:-0} - ${#skipped[@]} ))
echo
if [ "${#skipped[@]}" -gt 0 ]; then
  echo "skipped (reasons in $log):"
  printf '  %s\n' "${skipped[@]}"
fi
echo "ctest: ${passed} passed, ${#skipped[@]} skipped, ${failed:-0} failed of ${total:-0}; ${vectors_line}; ${pytest_line}"
exit "$status"
