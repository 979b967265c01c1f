#!/usr/bin/env bash
# Behaviour-preservation check for refactors and performance work: runs every scenario in
# scenarios/ and every sweep in sweeps/ with the build's sessionsim, before a change ("record")
# and after it ("check"), and compares every results file byte for byte: provenance.json apart
# from its wall-clock figures ("wall_clock_s", the "host" block) and version, and the console
# summary apart from lines that measure the machine. Prints one line per case; "check" exits 1
# if anything differs.
#
#   scripts/compare-results.sh record [DIR] [CASE_FILTER]   # before the change (default DIR:
#   scripts/compare-results.sh check  [DIR] [CASE_FILTER]   #   results/compare)
#
# The sweep runs through the build's Python module, which is why both sides come from the same
# build folder at two moments rather than from two programs. The largest scenarios run shortened
# (their overrides and the reason are in the case list) so that the whole list takes about half
# an hour on 2 cores; every other case runs exactly as committed. CASE_FILTER is a regular
# expression over case names (default: all); a filter that selects nothing is an error.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:?usage: compare-results.sh record|check [DIR] [CASE_FILTER]}"
out="$(realpath -m "${2:-$root/results/compare}")"
filter="${3:-.}"
# PROGRAM: a saved copy of the program (the Python sweep still loads the build's own module).
prog="$(realpath "${PROGRAM:-${BUILD_DIR:-$root/build}/bin/sessionsim}")"
# EVENTS_MAY_DIFFER=1: for work that removes simulator events without changing results,
# provenance.json's event count may differ (the check prints both counts); nothing else may.
# RUN_ARGS: arguments added to every "run" case, e.g. "--set network.tcp_segment_bytes=536" to
# show that a new key's earlier value reproduces the earlier program's results (config.toml
# then differs by that key's line, and nothing else may).
read -r -a run_args <<<"${RUN_ARGS:-}"
case "$mode" in record | check) ;; *) echo "compare-results: record or check, not '$mode'" >&2; exit 2 ;; esac
cd "$root"

# name | command and arguments after the program (run or sweep) | what is shortened, and why
cases=(
  "sweep-clients-by-f|sweep sweeps/clients-by-f.toml --jobs 1|"
  "default|run scenarios/default.toml|"
  "attachments|run scenarios/attachments.toml|"
  "central-outage|run scenarios/central-outage.toml|"
  "central-vs-session|run scenarios/central-vs-session.toml|"
  "churn|run scenarios/churn.toml|"
  "full-scale|run scenarios/full-scale.toml --set network.clients=1000 --set duration_s=240|100,000 clients for an hour take about 2.7 wall hours (message level, modelled crypto)"
  "full-population|run scenarios/full-population.toml --set network.clients=1000 --set duration_s=60|1,000,000 clients' first 10 s take 15 minutes and 21 GiB"
  "groups|run scenarios/groups.toml|"
  "guard-plateau|run scenarios/guard-plateau.toml --set duration_s=1010|10,000 s of sending take about 40 minutes"
  "hostile-nodes|run scenarios/hostile-nodes.toml|"
  "leakage-f-sweep|run scenarios/leakage-f-sweep.toml|"
  "onion-latency|run scenarios/onion-latency.toml|"
  "provider-outage|run scenarios/provider-outage.toml|"
  "push-vs-poll|run scenarios/push-vs-poll.toml|"
  "realistic-day|run scenarios/realistic-day.toml --set duration_s=21600|a whole day takes long; six hours cover the daily model's ramp"
  "soak|run scenarios/soak.toml --set network.clients=300 --set duration_s=1800|the soak is 24 h of 10,000 clients"
  "swarm-loss|run scenarios/swarm-loss.toml|"
  "testbed-compare|run scenarios/testbed-compare.toml|"
  "timing-correlation|run scenarios/timing-correlation.toml|"
  "uniform-check|run scenarios/uniform-check.toml|"
  "what-each-party-sees|run scenarios/what-each-party-sees.toml|"
  "built-in-default|run|"
)

# The console summary without the lines that measure the machine (wall time, rates), with the
# two sides' folders written alike.
console_filter() {
    grep -vE "wall|events/s|sim-s per|elapsed|ETA|^\s*$" "$1" | sed -E "s#$out/(old|new)/#OUT/#g" || true
}

# Two folders agree when every file is byte-identical, provenance.json but for its wall clock.
compare_dirs() {
    local a="$1" b="$2" bad=0 n=0
    while IFS= read -r -d '' f; do
        local rel="${f#"$a"/}"
        n=$((n + 1))
        if [ ! -f "$b/$rel" ]; then
            echo "    only before: $rel"; bad=1; continue
        fi
        if [ "$(basename "$rel")" = resources.csv ]; then
            # Resident memory and wall time belong to the machine: compare the other columns.
            if ! cmp -s <(cut -d, -f1,4- "$f") <(cut -d, -f1,4- "$b/$rel"); then
                echo "    differs: $rel"; bad=1
            fi
        elif [ "$(basename "$rel")" = provenance.json ]; then
            if ! /usr/bin/python3 - "$f" "$b/$rel" <<'EOF'; then
import json, os, sys
def strip(p):
    d = json.load(open(p))
    d.pop("wall_clock_s", None); d.pop("host", None); d.pop("version", None)
    return d
a, b = strip(sys.argv[1]), strip(sys.argv[2])
if os.environ.get("EVENTS_MAY_DIFFER") == "1" and a.get("events") != b.get("events"):
    print(f"    events: {a.pop('events', None)} -> {b.pop('events', None)}")
sys.exit(0 if a == b else 1)
EOF
                echo "    differs: $rel"; bad=1
            fi
        elif [[ "$rel" == plots/* ]]; then
            continue
        elif ! cmp -s "$f" "$b/$rel"; then
            echo "    differs: $rel"; bad=1
        fi
    done < <(find "$a" -type f -print0 | sort -z)
    while IFS= read -r -d '' f; do
        local rel="${f#"$b"/}"
        [ -f "$a/$rel" ] || { echo "    only after: $rel"; bad=1; }
    done < <(find "$b" -type f -print0 | sort -z)
    echo "$n"
    return $bad
}

failed=0
selected=0
for c in "${cases[@]}"; do
    IFS='|' read -r name args why <<<"$c"
    [[ "$name" =~ $filter ]] || continue
    selected=$((selected + 1))
    read -r -a argv <<<"$args"
    verb="${argv[0]}"
    rest=("${argv[@]:1}")
    side=old; [ "$mode" = check ] && side=new
    dir="$out/$side/$name"
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    # A sweep file names its own output folder: --out points both verbs at ours.
    extra=()
    [ "$verb" = run ] && extra=("${run_args[@]}")
    "$prog" "$verb" "${rest[@]}" "${extra[@]}" --out "$dir" >"$dir.console" 2>&1 || echo "exit $?" >>"$dir.console"
    console_filter "$dir.console" >"$dir.console.kept"
    if [ "$mode" = record ]; then
        echo "recorded   $name ($(find "$dir" -type f | wc -l) files)"
        continue
    fi
    files="$(compare_dirs "$out/old/$name" "$out/new/$name")" && same=1 || same=0
    count="$(tail -1 <<<"$files")"
    if [ "$same" = 1 ] && cmp -s "$out/old/$name.console.kept" "$out/new/$name.console.kept"; then
        echo "same       $name ($count files${why:+; shortened: $why})"
        head -n -1 <<<"$files" | grep -E '^    events:' || true
    else
        echo "DIFFERENT  $name"
        head -n -1 <<<"$files"
        cmp -s "$out/old/$name.console.kept" "$out/new/$name.console.kept" ||
            diff "$out/old/$name.console.kept" "$out/new/$name.console.kept" | head -20
        failed=1
    fi
done
if [ "$selected" = 0 ]; then
    echo "compare-results: no case matches '$filter'" >&2
    exit 2
fi
exit "$failed"
