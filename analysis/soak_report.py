#!/usr/bin/python3
"""A soak run's footprint against simulated time: is memory bounded, and are the results
consistent? (issue 11; run `sessionsim run scenarios/soak.toml --out DIR` first.)

Usage: python3 -m sessionsim.analysis.soak_report RUN_DIR [OUT_DIR]

Reads RUN_DIR/resources.csv (metrics.resource_sample_s) and summary.json, and writes to OUT_DIR
(default RUN_DIR): soak.png (resident memory and messages held against simulated hours),
soak.json and soak.md (the curve hour by hour; growth over the second half; the accounting
checks). Exits 1 if a check fails. The checks: every message sent is accounted for once
(delivered, failed, pending or lost), survival agrees with the message counts, and resident
memory over the last half of the run grows by less than `MAX_LATE_GROWTH` of its midpoint value.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

MAX_LATE_GROWTH = 0.25  # memory may rise by at most this share over the run's second half


def checks(summary: dict) -> dict[str, bool]:
    m, s = summary["messages"], summary["survival"]
    pending = s["pending_at_end"] + s["awaiting_recipient"]
    delivered = s["delivered"] + s["delivered_late"]
    return {
        "stored <= sent": m["stored"] <= m["sent"],
        "delivered <= sent": m["delivered"] <= m["sent"],
        "delivered + pending + lost = sent": delivered + pending + s["lost"] == m["sent"],
        "survival's delivered (on time and late) = messages delivered":
            delivered == m["delivered"],
        "onion requests ok + timeouts + errors = total":
            summary["onion_requests"]["ok"] + summary["onion_requests"]["timeouts"]
            + summary["onion_requests"]["other_errors"] == summary["onion_requests"]["total"],
    }


def report(run: Path, out: Path) -> dict:
    r = pd.read_csv(run / "resources.csv")
    summary = json.loads((run / "summary.json").read_text())
    r["hour"] = r.sim_s / 3600
    half = r.sim_s.max() / 2
    late = r[r.sim_s >= half]
    rss_mid, rss_end = float(late.rss_mib.iloc[0]), float(late.rss_mib.iloc[-1])
    growth = (rss_end - rss_mid) / rss_mid
    hourly = r[(r.sim_s % 3600) == 0]
    result = {
        "samples": len(r),
        "simulated_h": float(r.hour.max()),
        "wall_s": float(r.wall_s.max()),
        "rss_mib": {"start": float(r.rss_mib.iloc[0]), "peak": float(r.rss_mib.max()),
                    "at_half": rss_mid, "end": rss_end},
        "late_growth": round(growth, 4),
        "stored_messages": {"peak": int(r.stored_messages.max()),
                            "end": int(r.stored_messages.iloc[-1])},
        "nodes_running": {"min": int(r.nodes_running.min()), "max": int(r.nodes_running.max())},
        "events": int(r.events.iloc[-1]),
        "checks": checks(summary),
        "hourly": hourly[["hour", "rss_mib", "stored_messages", "nodes_running", "wall_s"]]
        .to_dict(orient="records"),
    }
    result["checks"][f"memory grows < {MAX_LATE_GROWTH:.0%} over the second half"] = (
        growth < MAX_LATE_GROWTH)
    out.mkdir(parents=True, exist_ok=True)
    (out / "soak.json").write_text(json.dumps(result, indent=2) + "\n")

    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(r.hour, r.rss_mib, color="tab:blue", label="resident memory (MiB)")
    ax.set_xlabel("simulated hours")
    ax.set_ylabel("resident memory, MiB", color="tab:blue")
    ax.set_ylim(bottom=0)
    ax2 = ax.twinx()
    ax2.plot(r.hour, r.stored_messages, color="tab:orange", label="message copies held")
    ax2.set_ylabel("message copies held by all nodes", color="tab:orange")
    ax2.set_ylim(bottom=0)
    ax.set_title(f"Soak: {summary['network']['clients']:,} clients, "
                 f"{summary['network']['service_nodes']} nodes with churn")
    fig.tight_layout()
    fig.savefig(out / "soak.png", dpi=120)

    lines = ["| simulated h | RSS MiB | message copies held | nodes running | wall s |",
             "|---:|---:|---:|---:|---:|"]
    for row in result["hourly"]:
        if row["hour"] % 3 == 0:
            lines.append(f"| {row['hour']:.0f} | {row['rss_mib']:.1f} | "
                         f"{row['stored_messages']:,} | {row['nodes_running']} | "
                         f"{row['wall_s']:.0f} |")
    lines += ["", f"Memory over the second half: {rss_mid:.1f} -> {rss_end:.1f} MiB "
              f"({growth:+.1%}).", ""]
    lines += [f"- {'ok' if ok else 'FAILED'}: {name}" for name, ok in result["checks"].items()]
    (out / "soak.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return result


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    run = Path(argv[1])
    result = report(run, Path(argv[2]) if len(argv) == 3 else run)
    return 0 if all(result["checks"].values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
