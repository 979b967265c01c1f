#!/usr/bin/python3
"""The two transport levels on one scenario and seed: `sessionsim run` with
network.transport = "packet" (ns-3's TCP/IP, the reference) and "message" (modelled
connections), compared. scripts/transport-compare.sh runs both and calls this.

Usage: python3 -m sessionsim.analysis.transport_compare PACKET_DIR MESSAGE_DIR OUT_DIR

For the onion RTT of answered 3-hop requests and the delivery delay: the two-sample KS distance,
medians, 90th percentiles and their message/packet ratios. For messages delivered, messages lost
and requests answered: both proportions and whether their difference lies within its 95%
interval (two-proportion normal approximation, pooled). When the runs have attachments
(attachments.csv), the upload and download times of the files are compared the same way, and the
files uploaded, downloaded and intact are counted. Targets (docs/transport.md): medians within
3%, p90s within 5%, KS distance at most 0.05, every count within its interval. Writes
OUT_DIR/compare.json, compare.md and compare_cdf.png (the two CDFs on one figure) and prints the
table. For a sweep (a sweep.csv beside one folder per value) every value's pair of folders is
compared into OUT_DIR/<value folder>/, and compare.md lists them all.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
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


def attachments(folder: Path) -> tuple[dict[str, np.ndarray], dict[str, int]] | None:
    """The upload and download times of the run's files, in ms, and how many files there were,
    were uploaded, downloaded and came out intact (attachments.csv; None without it)."""
    path = folder / "attachments.csv"
    if not path.exists():
        return None
    a = pd.read_csv(path, keep_default_na=False)
    times = {}
    for phase, start, end in (("upload", "upload_start_s", "uploaded_s"),
                              ("download", "download_start_s", "downloaded_s")):
        done = a[(a[start] != "") & (a[end] != "")]
        times[phase] = np.sort((done[end].astype(float) - done[start].astype(float)).to_numpy()
                               * 1000)
    counts = {"files": len(a), "uploaded": int((a.uploaded_s != "").sum()),
              "downloaded": int((a.downloaded_s != "").sum()),
              "intact": int((a.intact.astype(str) == "1").sum())}
    return times, counts


def with_targets(sample: dict) -> dict:
    sample["median_within_target"] = abs(sample["median_ratio"] - 1) <= MEDIAN_TARGET
    sample["p90_within_target"] = abs(sample["p90_ratio"] - 1) <= P90_TARGET
    sample["ks_within_target"] = sample["ks_distance"] <= KS_TARGET
    return sample


def compare(packet_dir: Path, message_dir: Path, out: Path) -> dict:
    if (packet_dir / "sweep.csv").exists():
        return compare_sweep(packet_dir, message_dir, out)
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
    samples, proportion_keys = ["onion_rtt", "delivery_delay"], ["delivered", "lost",
                                                                  "requests_answered"]
    files_p, files_m = attachments(packet_dir), attachments(message_dir)
    panels = [("onion RTT (3 hops), ms", *rtt), ("delivery delay, ms", delay_p, delay_m)]
    if files_p and files_m:
        (times_p, fp), (times_m, fm) = files_p, files_m
        for phase in ("upload", "download"):
            if len(times_p[phase]) and len(times_m[phase]):
                result[f"{phase}_time"] = with_targets(compare_samples(
                    times_p[phase], times_m[phase], names=NAMES, target=MEDIAN_TARGET))
                samples.append(f"{phase}_time")
                panels.append((f"attachment {phase} time, ms", times_p[phase], times_m[phase]))
        for key in ("uploaded", "downloaded", "intact"):
            result[f"files_{key}"] = proportions(fp[key], fp["files"], fm[key], fm["files"])
            proportion_keys.append(f"files_{key}")
    result["all_within_targets"] = all(
        result[k][t] for k in samples
        for t in ("median_within_target", "p90_within_target", "ks_within_target")) and all(
        result[k]["within"] for k in proportion_keys)
    (out / "compare.json").write_text(json.dumps(result, indent=2) + "\n")

    rows = ["| metric | n packet / message | median packet / message (ratio) | "
            "p90 packet / message (ratio) | KS distance |", "|---|---:|---:|---:|---:|"]
    titles = {"onion_rtt": "onion RTT, ms", "delivery_delay": "delivery delay, ms",
              "upload_time": "attachment upload, ms", "download_time": "attachment download, ms"}
    for key in samples:
        c, title = result[key], titles[key]
        rows.append(f"| {title} | {c['n_packet']} / {c['n_message']} | {c['median_packet_ms']} / "
                    f"{c['median_message_ms']} ({c['median_ratio']}) | {c['p90_packet_ms']} / "
                    f"{c['p90_message_ms']} ({c['p90_ratio']}) | {c['ks_distance']} |")
    rows += ["", "| count | packet | message | difference (95% interval) |", "|---|---:|---:|---:|"]
    counted = {"delivered": "messages delivered", "lost": "messages lost",
               "requests_answered": "requests answered", "files_uploaded": "files uploaded",
               "files_downloaded": "files downloaded", "files_intact": "files intact"}
    for key in proportion_keys:
        p, title = result[key], counted[key]
        rows.append(f"| {title} | {p['packet']} of {p['packet_of']} | {p['message']} of "
                    f"{p['message_of']} | {p['difference']:+.4f} (±{p['interval_95']:.4f})"
                    f"{'' if p['within'] else ' outside'} |")
    rows.append(f"\nAll within the targets: {'yes' if result['all_within_targets'] else 'no'}.")
    table = "\n".join(rows) + "\n"
    (out / "compare.md").write_text(table)

    plot_cdfs(out / "compare_cdf.png", panels, ("packet level (ns-3 TCP/IP)", "message level"),
              styles=("-", "--"))
    print(table, end="")
    return result


def compare_sweep(packet_dir: Path, message_dir: Path, out: Path) -> dict:
    """One comparison per swept value: the folders beside sweep.csv, by name."""
    out.mkdir(parents=True, exist_ok=True)
    values = sorted(d.name for d in packet_dir.iterdir() if (d / "summary.json").exists())
    if not values:
        raise SystemExit(f"transport_compare: {packet_dir} has sweep.csv but no run folders")
    result, sections = {"sweep": {}}, []
    for value in values:
        print(f"## {value}\n")
        one = compare(packet_dir / value, message_dir / value, out / value)
        result["sweep"][value] = one
        sections.append(f"## {value}\n\n" + (out / value / "compare.md").read_text())
        print()
    result["all_within_targets"] = all(r["all_within_targets"] for r in result["sweep"].values())
    (out / "compare.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "compare.md").write_text("\n".join(sections))
    return result


if __name__ == "__main__":
    sys.exit(command_line(compare, __doc__, sys.argv[1:]))
