#!/usr/bin/env bash
# Every test of our code under AddressSanitizer + UndefinedBehaviorSanitizer (the "sanitize" CMake
# preset, in build-sanitize/): the protocol core, the simulator, the CLI and the testbed, whose
# tests start the sanitized `sessionsim` too. Debian's ns-3, libsodium, SQLite and OpenSSL are
# not instrumented; ASan still checks every access our code makes to their memory. Any report
# fails the run; the only suppressions (tests/sanitizers/) are for findings inside Debian's
# libraries, each with its reason.
#
#   scripts/test-sanitizers.sh               # build, then run every label but "long"
#   scripts/test-sanitizers.sh --build-only  # build only (CI starts it early, at low priority)
#   scripts/test-sanitizers.sh --test-only   # run only
#   SANITIZE_LABELS="unit cli" scripts/test-sanitizers.sh --test-only   # some labels
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${SANITIZE_BUILD_DIR:-$root/build-sanitize}"
mode="${1:-all}"
cd "$root"

if [ "$mode" != "--test-only" ]; then
  "$root/scripts/setup-debian.sh"
  if [ ! -f "$build_dir/CMakeCache.txt" ]; then
    cmake --preset sanitize -B "$build_dir" >/dev/null
  fi
  cmake --build "$build_dir" -j "${JOBS:-2}"
  [ "$mode" = "--build-only" ] && exit 0
fi

supp="$root/tests/sanitizers"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
# The heaviest end-to-end runs take minutes each under ASan (seconds without): CI leaves them to
# the uninstrumented suite and names them here; SANITIZE_ALL=1 runs them too. Each drives code
# that lighter tests of the same label run under the sanitizers (the real-crypto onion path, the
# file server, churn and re-syncs, both transport levels, swarm replication).
heavy='CryptoModeEquivalence\.|EndToEnd\.ATenMegabyteAttachment|RunnerChurn\.(FailedNodesAreDecommissioned|SybilJoiners)|TransportAgreementValidation\.|DurabilityValidation\.|CentralBaselineValidation\.'
exclude=()
if [ "${SANITIZE_ALL:-0}" != 1 ]; then exclude=(-E "$heavy"); fi
status=0
summary=()
# One CTest run per label, each required to select tests (a renamed label fails here). The
# labels are every one the suite has but "long" (the population study: hours under ASan).
for label in ${SANITIZE_LABELS:-unit layers cli sim sim-validation testbed}; do
  log="$build_dir/sanitize-$label.log"
  set +e
  ctest --test-dir "$build_dir" --output-on-failure --no-tests=error -j "${JOBS:-2}" \
    -L "^${label}\$" "${exclude[@]}" >"$log" 2>&1
  rc=$?
  set -e
  counts=$(grep -E 'tests passed|tests failed' "$log" | tail -1)
  total=$(echo "$counts" | grep -oE 'out of [0-9]+' | grep -oE '[0-9]+' || echo 0)
  failed=$(echo "$counts" | grep -oE '[0-9]+ tests failed' | grep -oE '^[0-9]+' || echo "?")
  skipped=$(grep -cE '\(Skipped\)$' "$log" || true)
  left=0
  if [ ${#exclude[@]} -gt 0 ]; then
    left=$(ctest --test-dir "$build_dir" -N -L "^${label}\$" -R "$heavy" | grep -cE 'Test +#' || true)
  fi
  summary+=("$(printf '  %-15s %4s tests, %3s failed, %2s skipped, %2s heavy left out' "$label" "$total" "$failed" "$skipped" "$left")")
  if [ "$rc" -ne 0 ]; then
    status=1
    grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:|\*\*\*Failed|Failed  |Timeout' "$log" | head -20
  fi
done
echo "sanitizers (ASan + UBSan), tests per label:"
printf '%s\n' "${summary[@]}"
if [ "$status" -eq 0 ]; then echo "sanitizers: no reports"; else echo "sanitizers: FAILED (logs: $build_dir/sanitize-*.log)"; fi
exit "$status"
