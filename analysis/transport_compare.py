#!/usr/bin/python3
"""The two transport levels on one scenario and seed: `sessionsim run` with
network.transport = "packet" (ns-3's TCP/IP, the reference) and "message" (modelled
connections), compared. scripts/transport-compare.sh runs both and calls this.

Usage: python3 -m sessionsim.analysis.transport_compare PACKET_DIR MESSAGE_DIR OUT_DIR

For the onion RTT of answered 3-hop requests and the delivery delay: the two-sample KS distance,
medians, 90th percentiles and their message/packet ratios. For messages delivered, messages lost
and requests answered: both proportions and whether their difference lies within its 95%
interval (two-proportion normal approximation, pooled). Targets (docs/transport.md): medians
within 3%, p90s within 5%, KS distance at most 0.05, every count within its interval. Writes
OUT_DIR/compare.json, compare.md and compare_cdf.png (the two CDFs on one figure) and prints the
table.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pandas as pd

from sessionsim.analysis.testbed_compare import (  # noqa: E402
    command_line, compare_samples, delivery_delays, onion_rtts, plot_cdfs)

MEDIAN_TARGET = 0.03
P90_TARGET = 0.05
KS_TARGET = 0.05
NAMES = ("packet", "message")


def proportions(k_packet: int, n_packet: int, k_message: int, n_message: int) -> dict:
    """Two proportions and whether their difference is within the 95% interval of a
    difference between two samples of one proportion (pooled normal approximation)."""
    p1 = k_packet / n_packet if n_packet else 0.0
    p2 = k_message / n_message if n_message else 0.0
    pooled = (k_packet + k_message) / max(n_packet + n_message, 1)
    half_width = 1.96 * math.sqrt(pooled * (1 - pooled) * (1 / max(n_packet, 1) +
                                                             1 / max(n_message, 1)))
    return {"packet": k_packet, "packet_of": n_packet, "message": k_message,
            "message_of": n_message, "difference": round(p2 - p1, 5),
            "interval_95": round(half_width, 5),
            "within": abs(p2 - p1) <= half_width + 1e-12}


def answered(folder: Path) -> tuple[int, int]:
    r = pd.read_csv(folder / "requests.csv")
    workload = r[r.probe == 0]
    return int((workload.status == 200).sum()), int(len(workload))


def counts(folder: Path) -> dict:
    summary = json.loads((folder / "summary.json").read_text())
    survival = summary.get("survival", {})
    return {"sent": int(summary["messages"]["sent"]),
            "delivered": int(survival.get("delivered", summary["messages"]["delivered"])),
            "lost": int(survival.get("lost", 0))}


def with_targets(sample: dict) -> dict:
    sample["median_within_target"] = abs(sample["median_ratio"] - 1) <= MEDIAN_TARGET
    sample["p90_within_target"] = abs(sample["p90_ratio"] - 1) <= P90_TARGET
    sample["ks_within_target"] = sample["ks_distance"] <= KS_TARGET
    return sample


def compare(packet_dir: Path, message_dir: Path, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    rtt = (onion_rtts(packet_dir), onion_rtts(message_dir))
    (delay_p, _), (delay_m, _) = delivery_delays(packet_dir), delivery_delays(message_dir)
    cp, cm = counts(packet_dir), counts(message_dir)
    (ok_p, all_p), (ok_m, all_m) = answered(packet_dir), answered(message_dir)
    result = {
        "packet": str(packet_dir), "message": str(message_dir),
        "targets": {"median_ratio": MEDIAN_TARGET, "p90_ratio": P90_TARGET,
                    "ks_distance": KS_TARGET},
        "onion_rtt": with_targets(compare_samples(*rtt, names=NAMES, target=MEDIAN_TARGET)),
        "delivery_delay": with_targets(compare_samples(delay_p, delay_m, names=NAMES,
                                                       target=MEDIAN_TARGET)),
        "delivered": proportions(cp["delivered"], cp["sent"], cm["delivered"], cm["sent"]),
        "lost": proportions(cp["lost"], cp["sent"], cm["lost"], cm["sent"]),
        "requests_answered": proportions(ok_p, all_p, ok_m, all_m),
    }
    result["all_within_targets"] = all(
        result[k][t] for k in ("onion_rtt", "delivery_delay")
        for t in ("median_within_target", "p90_within_target", "ks_within_target")) and all(
        result[k]["within"] for k in ("delivered", "lost", "requests_answered"))
    (out / "compare.json").write_text(json.dumps(result, indent=2) + "\n")

    rows = ["| metric | n packet / message | median packet / message (ratio) | "
            "p90 packet / message (ratio) | KS distance |", "|---|---:|---:|---:|---:|"]
    for key, title in (("onion_rtt", "onion RTT, ms"), ("delivery_delay", "delivery delay, ms")):
        c = result[key]
        rows.append(f"| {title} | {c['n_packet']} / {c['n_message']} | {c['median_packet_ms']} / "
                    f"{c['median_message_ms']} ({c['median_ratio']}) | {c['p90_packet_ms']} / "
                    f"{c['p90_message_ms']} ({c['p90_ratio']}) | {c['ks_distance']} |")
    rows += ["", "| count | packet | message | difference (95% interval) |", "|---|---:|---:|---:|"]
    for key, title in (("delivered", "messages delivered"), ("lost", "messages lost"),
                       ("requests_answered", "requests answered")):
        p = result[key]
        rows.append(f"| {title} | {p['packet']} of {p['packet_of']} | {p['message']} of "
                    f"{p['message_of']} | {p['difference']:+.4f} (±{p['interval_95']:.4f})"
                    f"{'' if p['within'] else ' outside'} |")
    rows.append(f"\nAll within the targets: {'yes' if result['all_within_targets'] else 'no'}.")
    table = "\n".join(rows) + "\n"
    (out / "compare.md").write_text(table)

    plot_cdfs(out / "compare_cdf.png", (("onion RTT (3 hops), ms", *rtt),
                                         ("delivery delay, ms", delay_p, delay_m)),
              ("packet level (ns-3 TCP/IP)", "message level"), styles=("-", "--"))
    print(table, end="")
    return result


if __name__ == "__main__":
    sys.exit(command_line(compare, __doc__, sys.argv[1:]))
