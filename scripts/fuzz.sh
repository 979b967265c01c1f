#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/, -DSESSIONSIM_FUZZ=ON), seeds their corpora
# from ../shared/vectors, the scenario files and fuzz/seeds/, and runs each for SECONDS (default
# 60). Prints, per target, the inputs executed, the coverage libFuzzer reached (edges "cov",
# features "ft") and whether it found anything; a finding is saved under
# build-fuzz/findings/<target>/ and fails the script. Corpora grow in build-fuzz/corpus/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 600 storage_rpc
#   scripts/fuzz.sh 0                          build and seed the corpora only
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
shift || true
build_dir="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
"$root/scripts/setup-debian.sh"
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSESSIONSIM_FUZZ=ON -DSESSIONSIM_BUILD_TESTS=OFF -DSESSIONSIM_BUILD_BENCH=OFF \
    -DSESSIONSIM_BUILD_PYTHON=OFF >/dev/null
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(onion_entry storage_rpc onion_layer bencode_v4 mnemonic message_open scenario)
fi
cmake --build "$build_dir" -j "${JOBS:-2}" --target "${targets[@]/%/_fuzz}"
/usr/bin/python3 "$root/fuzz/seed_corpus.py" "$root/../shared/vectors" "$build_dir/corpus" >/dev/null
if [ "$seconds" = 0 ]; then exit 0; fi  # build only (CI builds early, runs later)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# One target: its run, and its line of the table in fuzz-<target>.result.
fuzz_one() {
  local t=$1 findings="$build_dir/findings/$1" log="$build_dir/fuzz-$1.log" rc execs last cov ft result
  mkdir -p "$findings"
  rm -f "$build_dir/fuzz-$t.result"  # a missing line then fails the table, never an old one
  set +e
  "$build_dir/fuzz/${t}_fuzz" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$findings/" "$build_dir/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*' || echo "?")
  ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*' || echo "?")
  if [ "$rc" -eq 0 ]; then result="no findings"; else result="FINDING (exit $rc): see $log and $findings"; fi
  printf '%-14s %10s %7s %7s %s\n' "$t" "$execs" "$cov" "$ft" "$result" >"$build_dir/fuzz-$t.result"
}
# Targets run side by side, JOBS at a time (each on one core): every target still gets its
# SECONDS, in half the wall time on two cores.
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "${JOBS:-2}" ]; then wait -n || true; running=$((running - 1)); fi
  fuzz_one "$t" &
  running=$((running + 1))
done
wait
status=0
printf '%-14s %10s %7s %7s %s\n' target execs cov ft result
for t in "${targets[@]}"; do
  cat "$build_dir/fuzz-$t.result"
  grep -q "no findings" "$build_dir/fuzz-$t.result" || status=1
done
exit "$status"
