"""sessionsim plot RESULTS... : figures (PNG and PDF), a one-page HTML report, and the
explorer page of the runs (explorer.html, as `sessionsim explore` writes it) linked from it.

    python3 -m sessionsim.plot results/default              # -> results/default/plots/report.html
    python3 -m sessionsim.plot results/leakage --out figs   # a sweep: every run below the folder
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from . import explore
from .analysis import load, report

# Each run adds its map, timeline and journeys to the explorer page: past this many (a sweep),
# `sessionsim explore` the runs to compare.
MAX_EXPLORED = 12


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sessionsim plot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", help="results folders (a run, a sweep, --runs)")
    parser.add_argument("--out", help="where figures and report.html go (default: "
                                      "<first results folder>/plots)")
    parser.add_argument("--title", help="the report's title")
    parser.add_argument("--no-explorer", action="store_true",
                        help="skip explorer.html (written for up to %d runs)" % MAX_EXPLORED)
    args = parser.parse_args(argv)
    try:
        runs = load.find_runs(args.results)
    except ValueError as e:
        print(f"sessionsim plot: {e}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(args.results[0]) / "plots"
    title = args.title or f"sessionsim: {', '.join(args.results)}"
    explorer = None
    if not args.no_explorer and len(runs) <= MAX_EXPLORED:
        explorer = explore.write_explorer([r.folder for r in runs], out / "explorer.html",
                                          explore.default_shared_dir())
    path = report.write_report(runs, out, title, explorer)
    figures = sorted(p.name for p in out.glob("*.png"))
    plural = "s" if len(runs) != 1 else ""
    print(f"report: {path} ({len(runs)} run{plural}, {len(figures)} figures: "
          f"{', '.join(figures)})")
    if explorer:
        print(f"explorer: {explorer}")
    elif not args.no_explorer:
        print(f"explorer: not written for {len(runs)} runs (over {MAX_EXPLORED}): "
              f"sessionsim explore RUN... for the ones to see")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `... | head` ends quietly
    sys.exit(main())
