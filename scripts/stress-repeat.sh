#!/usr/bin/env bash
# Runs a test command COUNT times in a row while stress-ng keeps every core busy, and counts the
# failures: how a test that waits on real time is shown not to flake on a loaded machine.
#   scripts/stress-repeat.sh 20 ctest --test-dir build --no-tests=error -R '^ConnectionFlood\.'
# Prints one line per run and a closing "NAME: F failures in COUNT runs under stress-ng"; exit 1
# if any run failed. Logs go to $STRESS_LOG_DIR (default build/stress-repeat/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="$1"; shift
logs="${STRESS_LOG_DIR:-$root/build/stress-repeat}"
mkdir -p "$logs"
name="$(echo "$*" | tr -c 'A-Za-z0-9_.-' '_' | cut -c1-80)"
command -v stress-ng >/dev/null || { echo "stress-ng missing (Debian package stress-ng)" >&2; exit 2; }
stress-ng --cpu "$(nproc)" --cpu-method matrixprod --quiet &
stress=$!
trap 'kill $stress 2>/dev/null; wait $stress 2>/dev/null || true' EXIT
failures=0
for i in $(seq 1 "$count"); do
  start=$(date +%s.%N)
  if "$@" >"$logs/$name.$i.log" 2>&1; then result=ok; else result=FAILED; failures=$((failures + 1)); fi
  took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  printf 'run %2d: %-6s %6s s\n' "$i" "$result" "$took"
done
echo "$*: $failures failures in $count runs under stress-ng --cpu $(nproc)"
[ "$failures" -eq 0 ]
