#!/usr/bin/python3
"""A soak run's footprint against simulated time: is memory bounded, and are the results
consistent? (issue 11; run `sessionsim run scenarios/soak.toml --out DIR` first.)

Usage: python3 -m sessionsim.analysis.soak_report RUN_DIR [OUT_DIR]

Reads RUN_DIR/resources.csv (metrics.resource_sample_s) and summary.json, and writes to OUT_DIR
(default RUN_DIR): soak.png (resident memory and messages held against simulated hours),
soak.json and soak.md (the curve hour by hour; growth over the second half; the accounting
checks). Exits 1 if a check fails. The checks: every message sent is accounted for once
(delivered, failed, pending or lost), survival agrees with the message counts, and the memory
the network takes -- resident memory less the run's own records (records_mib: one row per
request and per message, kept for the results files, growing with the run by design) -- grows
by less than `MAX_LATE_GROWTH` of its midpoint value over the last half of the run. Without a
records_mib column (older runs) the whole resident set is checked. Also reported: how much
resident memory grew per request logged over the second half (requests.csv).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
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
    has_records = "records_mib" in r.columns
    r["state_mib"] = r.rss_mib - (r.records_mib if has_records else 0)
    half = r.sim_s.max() / 2
    late = r[r.sim_s >= half]
    rss_mid, rss_end = float(late.rss_mib.iloc[0]), float(late.rss_mib.iloc[-1])
    state_mid, state_end = float(late.state_mib.iloc[0]), float(late.state_mib.iloc[-1])
    growth = (state_end - state_mid) / state_mid
    per_request = None
    if (run / "requests.csv").exists():
        starts = np.sort(pd.read_csv(run / "requests.csv", usecols=["start_s"]).start_s)
        logged = np.searchsorted(starts, late.sim_s, side="right")
        if len(late) > 1 and logged[-1] > logged[0]:
            per_request = float(np.polyfit(logged, late.rss_mib * 1048576, 1)[0])
    hourly = r[(r.sim_s % 3600) == 0]
    result = {
        "samples": len(r),
        "simulated_h": float(r.hour.max()),
        "wall_s": float(r.wall_s.max()),
        "rss_mib": {"start": float(r.rss_mib.iloc[0]), "peak": float(r.rss_mib.max()),
                    "at_half": rss_mid, "end": rss_end},
        "state_mib": {"at_half": state_mid, "end": state_end,
                      "records_measured": bool(has_records)},
        "late_growth": round(growth, 4),
        "rss_bytes_per_request_late": None if per_request is None else round(per_request),
        "stored_messages": {"peak": int(r.stored_messages.max()),
                            "end": int(r.stored_messages.iloc[-1])},
        "nodes_running": {"min": int(r.nodes_running.min()), "max": int(r.nodes_running.max())},
        "events": int(r.events.iloc[-1]),
        "checks": checks(summary),
        "hourly": hourly[["hour", "rss_mib", "state_mib", "stored_messages", "nodes_running",
                          "wall_s"]]
        .to_dict(orient="records"),
    }
    what = "memory less the run's records" if has_records else "resident memory"
    result["checks"][f"{what} grows < {MAX_LATE_GROWTH:.0%} over the second half"] = bool(
        growth < MAX_LATE_GROWTH)
    out.mkdir(parents=True, exist_ok=True)
    (out / "soak.json").write_text(json.dumps(result, indent=2) + "\n")

    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(r.hour, r.rss_mib, color="tab:blue", label="resident memory")
    if has_records:
        ax.plot(r.hour, r.state_mib, color="tab:blue", linestyle="--",
                label="less the run's records")
        ax.legend(loc="lower right")
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

    lines = ["| simulated h | RSS MiB | of it the run's records, MiB | message copies held | "
             "nodes running | wall s |", "|---:|---:|---:|---:|---:|---:|"]
    step = 3 if result["simulated_h"] > 12 else 1
    for row in result["hourly"]:
        if row["hour"] % step == 0:
            records = f"{row['rss_mib'] - row['state_mib']:.1f}" if has_records else "-"
            lines.append(f"| {row['hour']:.0f} | {row['rss_mib']:.1f} | {records} | "
                         f"{row['stored_messages']:,} | {row['nodes_running']} | "
                         f"{row['wall_s']:.0f} |")
    lines += ["", f"Second half: resident memory {rss_mid:.1f} -> {rss_end:.1f} MiB; "
              f"{what} {state_mid:.1f} -> {state_end:.1f} MiB ({growth:+.1%})."]
    if per_request is not None:
        lines.append(f"Resident memory grew by {per_request:.0f} bytes per request logged.")
    lines.append("")
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
