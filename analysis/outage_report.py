#!/usr/bin/python3
"""Messages lost and delayed during a correlated outage, beside the analytic expectation.

Usage: analysis/outage_report.py RESULTS_DIR [RESULTS_DIR ...]

Reads a results folder of `sessionsim run` with a churn.outage_group failure (node_events.csv
rows whose detail is "outage") and compares three windows: before, during and after the outage.
With a fraction f of all service nodes down and k-hop paths, an onion request needs k + 1 live
nodes (guard, relays, destination), so a request on a freshly drawn path fails with probability
1 - (1 - f)^(k+1) (metrics-and-validation.md §3.3, V15); a message is lost when all of its
`client.send_attempts` attempts fail, at most (1 - (1 - f)^(k+1))^attempts if every attempt drew
a fresh path (real clients keep paths that work, so this is an upper bound); and a stored message
is lost to storage only when its whole swarm is down, C(fN, s) / C(N, s).
"""
import json
import math
import tomllib
import sys
from pathlib import Path

import pandas as pd


def swarm_down_probability(n_nodes: int, n_down: int, size: int) -> float:
    if n_down < size:
        return 0.0
    return math.comb(n_down, size) / math.comb(n_nodes, size)


def report(folder: Path) -> dict:
    summary = json.loads((folder / "summary.json").read_text())
    config = tomllib.loads((folder / "config.toml").read_text())
    events = pd.read_csv(folder / "node_events.csv")
    messages = pd.read_csv(folder / "messages.csv")
    requests = pd.read_csv(folder / "requests.csv")

    outage = events[(events.detail == "outage")]
    downs = outage[outage.event == "down"]
    if downs.empty:
        raise SystemExit(f"{folder}: node_events.csv has no outage (churn.outage_group unset?)")
    start = downs.time_s.min()
    ups = outage[outage.event == "up"]
    end = ups.time_s.max() if not ups.empty else float("inf")
    n_nodes = summary["network"]["service_nodes"]
    f = len(downs) / n_nodes
    hops = config["onion"]["hops"]
    attempts = config["client"]["send_attempts"]

    def delays(lo, hi):
        m = messages[(messages.sent_s >= lo) & (messages.sent_s < hi)]
        d = m[m.fate.isin(["delivered", "delivered_late"])]
        return (d.delivered_s - d.sent_s).dropna()

    # "Slowed": slower than 99% of deliveries before the outage (so about 1% by chance).
    baseline = delays(0, start)
    slow_after_s = float(baseline.quantile(0.99)) if len(baseline) else float("inf")

    def window(lo, hi):
        m = messages[(messages.sent_s >= lo) & (messages.sent_s < hi)]
        r = requests[(requests.probe == 0) & (requests.start_s >= lo) & (requests.start_s < hi)]
        delay = delays(lo, hi)
        return {
            "sent": len(m),
            "lost": int(m.fate.str.startswith("lost").sum()),
            "late": int((m.fate == "delivered_late").sum()),
            "slowed": int((delay > slow_after_s).sum()),
            "request_failure": float((r.status != 200).mean()) if len(r) else float("nan"),
            "delay_p50_s": float(delay.quantile(0.5)) if len(delay) else float("nan"),
            "delay_p90_s": float(delay.quantile(0.9)) if len(delay) else float("nan"),
        }

    per_attempt = 1 - (1 - f) ** (hops + 1)
    sizes = [6, 7, 8]
    return {
        "folder": str(folder),
        "outage_s": [float(start), float(end)],
        "nodes_down": len(downs),
        "slowed_after_s": slow_after_s,
        "fraction_down": f,
        "before": window(0, start),
        "during": window(start, end),
        "after": window(end, float("inf")),
        "expected": {
            "request_failure_fresh_path": per_attempt,
            "message_loss_fresh_paths_upper_bound": per_attempt**attempts,
            "whole_swarm_down_s7": swarm_down_probability(n_nodes, len(downs), 7),
            "whole_swarm_down_s6_s8": [swarm_down_probability(n_nodes, len(downs), s)
                                       for s in sizes],
        },
    }


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for arg in sys.argv[1:]:
        r = report(Path(arg))
        e = r["expected"]
        print(f"{r['folder']}: {r['nodes_down']} of the nodes down "
              f"(f = {r['fraction_down']:.4f}) from {r['outage_s'][0]:.0f} s to "
              f"{r['outage_s'][1]:.0f} s; slowed = delivered after more than "
              f"{r['slowed_after_s']:.2f} s (the p99 before)")
        for name in ("before", "during", "after"):
            w = r[name]
            lost = w["lost"] / w["sent"] if w["sent"] else float("nan")
            late = w["late"] / w["sent"] if w["sent"] else float("nan")
            slowed = w["slowed"] / w["sent"] if w["sent"] else float("nan")
            print(f"  {name:6}: {w['sent']:5} sent, {w['lost']:3} lost ({lost:.4%}), "
                  f"{w['late']:3} late ({late:.4%}), {w['slowed']:3} slowed ({slowed:.4%}); "
                  f"requests failing {w['request_failure']:.4f}; "
                  f"delivery p50 {w['delay_p50_s']:.2f} s, p90 {w['delay_p90_s']:.2f} s")
        print(f"  expected: a request on a fresh path fails with "
              f"{e['request_failure_fresh_path']:.4f}; message loss <= "
              f"{e['message_loss_fresh_paths_upper_bound']:.2e} (every attempt a fresh path); "
              f"a swarm of 7 entirely down {e['whole_swarm_down_s7']:.2e}")


if __name__ == "__main__":
    main()
