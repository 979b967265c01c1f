#!/usr/bin/python3
"""Record a whole-run agreement of the two transport levels in docs/transport-agreement.json,
from which scripts/validation-report.py writes the agreement table of docs/validation.md.

A row is what `scripts/transport-compare.sh` (or `python3 -m
sessionsim.analysis.transport_compare`) wrote to OUT_DIR/compare.json, with the run's size,
seed and version from the two runs' config.toml and provenance.json, and what each level cost
(events, wall-clock seconds, peak RSS). A sweep gives one row per swept value. Recording a run
with the same description again replaces its row.

A change that touches only the message level can be measured against packet-level runs an
earlier version made: --packet-reused accepts them (the row keeps both versions); show that the
packet level's results are byte-identical across the two versions first.

Usage: scripts/transport-agreement-record.py OUT_DIR --run "DESCRIPTION" [--command "..."]
           [--packet-reused]
"""
from __future__ import annotations

import argparse
import datetime
import json
import pathlib
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "transport-agreement.json"
SAMPLE_FIELDS = ("n_packet", "n_message", "median_ratio", "p90_ratio", "ks_distance")
COUNT_FIELDS = ("packet", "message", "packet_of", "message_of", "difference", "interval_95",
                "within")


def level_facts(folder: pathlib.Path) -> dict:
    provenance = json.loads((folder / "provenance.json").read_text())
    return {"events": provenance["events"], "wall_clock_s": provenance["wall_clock_s"],
            "peak_rss_mib": provenance["host"]["peak_rss_mib"],
            "version": provenance["version"], "scenario": provenance["scenario"],
            "seed": provenance["seed"], "simulated_s": provenance["simulated_s"]}


def row_of(compare: dict, run: str, command: str | None, measured: str,
           packet_reused: bool = False) -> dict:
    packet, message = pathlib.Path(compare["packet"]), pathlib.Path(compare["message"])
    p, m = level_facts(packet), level_facts(message)
    if p["seed"] != m["seed"] or (p["version"] != m["version"] and not packet_reused):
        sys.exit(f"transport-agreement-record: {packet} and {message} differ in version or seed"
                 " (--packet-reused if the packet level is unchanged between them)")
    network = tomllib.loads((packet / "config.toml").read_text())["network"]
    row = {"run": run, "scenario": p["scenario"], "seed": p["seed"],
           "service_nodes": network["service_nodes"], "clients": network["clients"],
           "simulated_s": p["simulated_s"], "version": m["version"], "measured": measured,
           "targets": compare["targets"]}
    if p["version"] != m["version"]:
        row["packet_version"] = p["version"]
    if command:
        row["command"] = command
    # Every sample (it has a sample size) and every count (an interval) the comparison holds.
    for key, c in compare.items():
        if isinstance(c, dict) and "n_packet" in c:
            row[key] = {k: c[k] for k in SAMPLE_FIELDS}
        elif isinstance(c, dict) and "interval_95" in c:
            row[key] = {k: c[k] for k in COUNT_FIELDS}
    row["cost"] = {level: {k: facts[k] for k in ("events", "wall_clock_s", "peak_rss_mib")}
                   for level, facts in (("packet", p), ("message", m))}
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=pathlib.Path, help="the folder holding compare.json")
    parser.add_argument("--run", required=True, help="what the run was, in a few words")
    parser.add_argument("--command", help="the command that reproduces it")
    parser.add_argument("--table", type=pathlib.Path, default=TABLE)
    parser.add_argument("--packet-reused", action="store_true",
                        help="the packet-level runs come from an earlier version whose packet "
                             "level is unchanged")
    args = parser.parse_args()
    compare_path = args.out_dir / "compare.json"
    if not compare_path.exists():
        print(f"transport-agreement-record: {compare_path}: no such file", file=sys.stderr)
        return 2
    compare = json.loads(compare_path.read_text())
    measured = datetime.date.fromtimestamp(compare_path.stat().st_mtime).isoformat()
    rows = ([row_of(one, f"{args.run}, {value}", args.command, measured, args.packet_reused)
             for value, one in compare["sweep"].items()] if "sweep" in compare
            else [row_of(compare, args.run, args.command, measured, args.packet_reused)])
    table = json.loads(args.table.read_text()) if args.table.exists() else []
    names = {r["run"] for r in rows}
    table = [r for r in table if r["run"] not in names] + rows
    args.table.write_text(json.dumps(table, indent=1) + "\n")
    for r in rows:
        print(f"recorded: {r['run']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
