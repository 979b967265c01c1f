#!/usr/bin/python3
"""The client-profile table of docs/clients.md: each profile alone and the default mix, on the
same scenario and seed, with onion RTT and delivery-delay medians and 90th percentiles and their
distribution-free 95% intervals.

    scripts/profile-table.py [SCENARIO ...] [--out results/profiles] [--build-dir build]

SCENARIO defaults to scenarios/default.toml and scenarios/onion-latency.toml. Each run writes
OUT/<scenario>-<profile>/; the table (Markdown, one row per scenario and profile) goes to stdout.
The intervals are order statistics (the binomial ranks around the quantile's), so they assume
independent requests, which understates the spread of requests from the same client.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys

import numpy as np
import pandas as pd
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROFILES = ["composite", "desktop", "android", "ios", "libsession"]
MIX = "android=0.5 ios=0.3 desktop=0.2"  # the schema's default clients.profile_mix


def quantile_interval(values: np.ndarray, q: float, level: float = 0.95):
    """The quantile (NumPy's linear rule, as summary.json) and an order-statistic interval."""
    x = np.sort(values)
    n = len(x)
    lo_rank = int(stats.binom.ppf((1 - level) / 2, n, q))
    hi_rank = int(stats.binom.ppf(1 - (1 - level) / 2, n, q))
    return float(np.quantile(x, q)), float(x[max(lo_rank - 1, 0)]), float(x[min(hi_rank, n - 1)])


def cell(values: np.ndarray, q: float) -> str:
    v, lo, hi = quantile_interval(values, q)
    return f"{v:.0f} [{lo:.0f}, {hi:.0f}]"


def run(program: pathlib.Path, scenario: str, label: str, out: pathlib.Path) -> None:
    if label == "mix":
        # A scenario that names one client.profile must lose that line to run a mix (the
        # runner refuses both at once); docs/clients.md makes the testbed's mix the same way.
        out.mkdir(parents=True, exist_ok=True)
        text = (ROOT / scenario).read_text()
        derived = out.parent / f"{out.name}.toml"
        derived.write_text("".join(line for line in text.splitlines(keepends=True)
                                   if not line.lstrip().startswith("profile =")))
        argv = [str(derived), "--set", f"clients.profile_mix={MIX}"]
    else:
        argv = [scenario, "--set", f"client.profile={label}", "--set", "clients.profile_mix="]
    subprocess.run([str(program), "run", *argv, "--out", str(out), "--quiet"], check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL)


def row(name: str, label: str, folder: pathlib.Path) -> str:
    summary = json.loads((folder / "summary.json").read_text())
    requests = pd.read_csv(folder / "requests.csv")
    # Onion RTT: answered onion requests (hops > 0); guard tests and time checks go direct.
    answered = requests[(requests.status == 200) & (requests.probe == 0) & (requests.hops > 0)]
    rtt = answered.rtt_ms.to_numpy()
    messages = pd.read_csv(folder / "messages.csv")
    delay = ((messages.delivered_s - messages.sent_s) * 1000).dropna().to_numpy()
    # The same samples as the summary's distributions, or the table would quote other numbers.
    assert abs(np.quantile(rtt, 0.5) - summary["onion_rtt_ms"]["p50"]) < 0.01, folder
    assert abs(np.quantile(delay, 0.5) - summary["delivery_delay_ms"]["p50"]) < 0.01, folder
    load = summary["clients"]["requests_per_client_hour"]
    return (f"| {name} | {label} | {cell(rtt, 0.5)} | {cell(rtt, 0.9)} | {cell(delay, 0.5)} | "
            f"{cell(delay, 0.9)} | {load} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*",
                        default=["scenarios/default.toml", "scenarios/onion-latency.toml"])
    parser.add_argument("--out", default="results/profiles")
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("--reuse", action="store_true",
                        help="take a run folder that already has a summary.json as it is")
    args = parser.parse_args()
    program = (ROOT / args.build_dir / "bin" / "sessionsim").resolve()
    out = (ROOT / args.out).resolve()
    print("| scenario | profile | onion RTT p50 ms [95%] | p90 | delivery p50 ms [95%] | p90 | "
          "onion requests per client-hour |")
    print("|---|---|---|---|---|---|---|")
    for scenario in args.scenarios:
        name = pathlib.Path(scenario).stem
        for label in PROFILES + ["mix"]:
            folder = out / f"{name}-{label}"
            if not (args.reuse and (folder / "summary.json").exists()):
                run(program, scenario, label, folder)
            print(row(name, label, folder), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
