#!/usr/bin/env bash
# Quick start, command 1: set up, build, and run sessionsim's default scenario (a few hundred
# service nodes and clients on measured Internet latencies, a few simulated minutes). Extra
# arguments go to `sessionsim run` (e.g. scenarios/uniform-check.toml, --seed 2,
# --set network.clients=500). Results land in results/default/, figures and report.html in
# results/default/plots/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Only what this command runs: the program and the Python package its plots use (the tests,
# fuzz targets and benchmarks are built by the test command, scripts/test-all.sh).
"$root/scripts/build.sh" sessionsim sessionsim_python_package >/dev/null
cd "$root"
"${BUILD_DIR:-$root/build}/bin/sessionsim" run --out results/default "$@"
# Figures and a one-page HTML report of the run (of every run below it, for a sweep or --runs).
"${BUILD_DIR:-$root/build}/bin/sessionsim" plot results/default
