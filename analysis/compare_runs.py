#!/usr/bin/python3
"""Session and the centralized messenger (or any runs of one scenario) side by side.

Usage: analysis/compare_runs.py OUT_DIR RESULTS_DIR...

Each RESULTS_DIR is one `sessionsim run` folder (for a sweep, its <key>=<value> folders, e.g.
results/central-vs-session/messenger=*). Writes to OUT_DIR:
- delivery_delay_cdf.png: the delay from sending to the recipient's copy, one curve per run
  (log scale: seconds for Session's polls, hours behind an outage)
- metadata.png: for each run, the share of messages whose sender and recipient the metadata
  holder links, the share of the social graph it recovers, and the share of messages it holds
  or logs -- the Session adversary's (summary.json "adversary") or the operator's ("operator")
and prints the numbers plotted.
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on a server
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def label(folder: Path) -> str:
    config = (folder / "config.toml").read_text()
    messenger = "central" if 'messenger = "central"' in config else "session"
    summary = json.loads((folder / "summary.json").read_text())
    fraction = summary.get("adversary", {}).get("fraction")
    if messenger == "central":
        return "centralized messenger"
    return f"Session, adversary f = {fraction:g}" if fraction else "Session"


def metadata(summary: dict) -> dict:
    """The metadata holder's scores: the operator's log, else the Session adversary's."""
    if "operator" in summary:
        o = summary["operator"]
        return {"pairs linked": o["relationship_linkage_rate"],
                "social graph": o["social_graph"]["fraction"],
                "messages held or logged": o["messages_seen"] / max(o["messages_sent"], 1)}
    a = summary.get("adversary")
    if not a:
        return {}
    return {"pairs linked": a["relationships"]["relationship_linkage_rate"],
            "social graph": a["relationships"]["social_graph"]["fraction"],
            "messages held or logged": a.get("storage", {}).get("held_fraction", 0.0)}


def compare(out: Path, folders: list) -> list:
    out.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6.5, 4))
    scores = {}
    for folder in folders:
        messages = pd.read_csv(folder / "messages.csv", keep_default_na=False)
        delivered = messages[messages.delivered_s != ""]
        delay = np.sort(delivered.delivered_s.astype(float) - delivered.sent_s.astype(float))
        if len(delay):
            ax.plot(delay, np.arange(1, len(delay) + 1) / len(messages),
                    label=f"{label(folder)} ({len(delay)} of {len(messages)} delivered)")
        scores[label(folder)] = metadata(json.loads((folder / "summary.json").read_text()))
    ax.set_xscale("log")
    ax.set_xlabel("delivery delay (s)")
    ax.set_ylabel("fraction of messages sent")
    ax.set_title("Delivery delay")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    written = [out / "delivery_delay_cdf.png"]
    fig.savefig(written[0], dpi=120)
    plt.close(fig)

    measured = {k: v for k, v in scores.items() if v}
    if measured:
        names = list(next(iter(measured.values())).keys())
        fig, ax = plt.subplots(figsize=(6.5, 4))
        width = 0.8 / len(measured)
        for i, (who, values) in enumerate(measured.items()):
            ax.bar(np.arange(len(names)) + i * width, [values[n] for n in names], width,
                   label=who)
        ax.set_xticks(np.arange(len(names)) + width * (len(measured) - 1) / 2)
        ax.set_xticklabels(names)
        ax.set_ylim(0, 1.3)  # room for the legend above the bars
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_ylabel("fraction")
        ax.set_title("What the metadata holder learns")
        ax.legend(fontsize=8, loc="upper center", ncol=2)
        fig.tight_layout()
        written.append(out / "metadata.png")
        fig.savefig(written[-1], dpi=120)
        plt.close(fig)
    for who, values in measured.items():
        print(f"  {who}: " + ", ".join(f"{k} {v:.4f}" for k, v in values.items()))
    return written


def main() -> None:
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    for path in compare(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]):
        print(f"  plot:       {path}")


if __name__ == "__main__":
    main()
