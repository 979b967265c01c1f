#!/usr/bin/python3
"""Plots of one results folder of `sessionsim run`, written to RESULTS_DIR/plots/.

Usage: analysis/plot_run.py RESULTS_DIR

- onion_rtt_cdf.png: CDF of onion request round trips (client traffic, not probes)
- delivery_delay_cdf.png: CDF of the delay from sending a message to the recipient getting it
- message_fates.png: how many messages were delivered, late, pending, awaiting or lost (by reason)
- probe_rtt_by_hops.png: probe round trips by path length, when the run sent probes
Each figure's title names the scenario, seed and version from provenance.json.
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on a server
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def cdf(ax, values, label):
    v = np.sort(np.asarray(values, dtype=float))
    if len(v) == 0:
        return
    ax.plot(v, np.arange(1, len(v) + 1) / len(v), label=f"{label} (n = {len(v)})")


def plot(folder: Path) -> list:
    provenance = json.loads((folder / "provenance.json").read_text())
    caption = (f"{provenance['scenario']}, seed {provenance['seed']}, "
               f"sessionsim {provenance['version']}")
    out = folder / "plots"
    out.mkdir(exist_ok=True)
    requests = pd.read_csv(folder / "requests.csv")
    messages = pd.read_csv(folder / "messages.csv", keep_default_na=False)
    written = []

    def save(fig, name):
        fig.suptitle(caption, fontsize=8)
        fig.tight_layout()
        fig.savefig(out / name, dpi=120)
        plt.close(fig)
        written.append(out / name)

    traffic = requests[(requests.probe == 0) & (requests.status == 200)]
    if not traffic.empty:  # a centralized-baseline run has no onion requests
        fig, ax = plt.subplots(figsize=(6, 4))
        cdf(ax, traffic.rtt_ms, "answered onion requests")
        ax.set_xlabel("round trip (ms)")
        ax.set_ylabel("fraction of requests")
        ax.set_title("Onion request round trips")
        ax.grid(alpha=0.3)
        ax.legend()
        save(fig, "onion_rtt_cdf.png")

    delivered = messages[messages.delivered_s != ""]
    delay = delivered.delivered_s.astype(float) - delivered.sent_s.astype(float)
    fig, ax = plt.subplots(figsize=(6, 4))
    cdf(ax, delay, "delivered messages")
    ax.set_xlabel("send to recipient's poll (s)")
    ax.set_ylabel("fraction of messages")
    ax.set_title("Delivery delay")
    ax.grid(alpha=0.3)
    ax.legend()
    save(fig, "delivery_delay_cdf.png")

    fates = messages.fate.replace("", "not judged").value_counts()
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.barh(fates.index[::-1], fates.values[::-1])
    for y, n in enumerate(fates.values[::-1]):
        ax.annotate(str(n), (n, y), xytext=(3, 0), textcoords="offset points", va="center")
    ax.set_xlabel("messages")
    ax.set_title("What became of each message")
    save(fig, "message_fates.png")

    probes = requests[(requests.probe == 1) & (requests.status == 200)]
    if len(probes):
        fig, ax = plt.subplots(figsize=(6, 4))
        for hops, group in probes.groupby("hops"):
            cdf(ax, group.rtt_ms, "direct" if hops == 0 else f"{hops} hops")
        ax.set_xlabel("round trip (ms)")
        ax.set_ylabel("fraction of probes")
        ax.set_title("Probe round trips by path length")
        ax.grid(alpha=0.3)
        ax.legend()
        save(fig, "probe_rtt_by_hops.png")
    return written


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for path in plot(Path(sys.argv[1])):
        print(f"  plot:       {path}")


if __name__ == "__main__":
    main()
