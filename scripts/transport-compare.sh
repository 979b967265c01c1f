#!/usr/bin/env bash
# The two transport levels on one scenario (issue 26): runs SCENARIO once with
# network.transport = "packet" (ns-3's TCP/IP, the reference) and once with "message" (modelled
# connections), same seed, then compares onion RTT and delivery delay (KS distance, median and
# p90 ratios) and the delivered, lost and answered counts (python3 -m
# sessionsim.analysis.transport_compare; targets in docs/transport.md).
# Results: OUT/{packet,message}/ (each run, with its console summary in console.txt) and
# OUT/{compare.json,compare.md,compare_cdf.png}.
#
# Usage: scripts/transport-compare.sh SCENARIO [OUT] [--set KEY=VALUE]...
# The default OUT is results/transport-compare/<scenario name>.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scenario="${1:?usage: scripts/transport-compare.sh SCENARIO [OUT] [--set KEY=VALUE]...}"
shift
out="results/transport-compare/$(basename "${scenario%.toml}")"
if [ $# -gt 0 ] && [ "$1" != "--set" ]; then
  out="$1"
  shift
fi
"$root/scripts/build.sh" sessionsim >/dev/null
cd "$root"
bin="${BUILD_DIR:-$root/build}/bin/sessionsim"
rm -rf "$out"
mkdir -p "$out"
for level in packet message; do
  "$bin" run "$scenario" --out "$out/$level" "$@" --set "network.transport=$level" \
    > "$out/$level.console.txt"
  mv "$out/$level.console.txt" "$out/$level/console.txt"
done
PYTHONPATH="${BUILD_DIR:-$root/build}/python" /usr/bin/python3 -m sessionsim.analysis.transport_compare \
  "$out/packet" "$out/message" "$out"
