#!/usr/bin/env bash
# The simulator against the testbed (issue 10): runs scenarios/testbed-compare.toml (or the
# scenario given) once in ns-3 and once as real node and client processes in Linux network
# namespaces with the same placement, keys and delays, then compares onion RTT and delivery
# delay (KS distance, median and p90 ratios) and delivery ratios. Needs root for the namespaces.
# Results: results/testbed-compare/{sim,testbed,compare.json,compare.md,compare_cdf.png}.
#
# Usage: scripts/testbed-compare.sh [--profile P] [SCENARIO] [OUT]
# --profile P runs every client as client profile P (docs/clients.md) in both: the scenario's
# [client] profile line is replaced in a copy written to OUT/scenario.toml (the testbed commands
# read scenario files only). The default OUT is then results/testbed-compare-P.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile=""
if [ "${1:-}" = "--profile" ]; then
  profile="${2:?--profile needs a profile name}"
  shift 2
fi
scenario="${1:-scenarios/testbed-compare.toml}"
out="${2:-results/testbed-compare${profile:+-$profile}}"
"$root/scripts/build.sh" >/dev/null
cd "$root"
bin="${BUILD_DIR:-$root/build}/bin/sessionsim"
rm -rf "$out"
mkdir -p "$out"
if [ -n "$profile" ]; then
  grep -q '^profile *=' "$scenario" || { echo "$scenario: no [client] profile line to replace" >&2; exit 2; }
  sed "s/^profile *=.*/profile = \"$profile\"/" "$scenario" > "$out/scenario.toml"
  scenario="$out/scenario.toml"
fi
"$bin" run "$scenario" --out "$out/sim" --quiet
"$bin" testbed up --scenario "$scenario" --netns --dir "$out/network"
trap '"$bin" testbed down --dir "$out/network"' EXIT
"$bin" testbed run --dir "$out/network" --scenario "$scenario" --out "$out/testbed"
PYTHONPATH="${BUILD_DIR:-$root/build}/python" /usr/bin/python3 -m sessionsim.analysis.testbed_compare \
  "$out/sim" "$out/testbed" "$out"
