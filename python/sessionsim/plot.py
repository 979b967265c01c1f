"""sessionsim plot RESULTS... : figures (PNG and PDF) and a one-page HTML report.

    python3 -m sessionsim.plot results/default              # -> results/default/plots/report.html
    python3 -m sessionsim.plot results/leakage --out figs   # a sweep: every run below the folder
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .analysis import load, report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sessionsim plot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", help="results folders (a run, a sweep, --runs)")
    parser.add_argument("--out", help="where figures and report.html go (default: "
                                      "<first results folder>/plots)")
    parser.add_argument("--title", help="the report's title")
    args = parser.parse_args(argv)
    try:
        runs = load.find_runs(args.results)
    except ValueError as e:
        print(f"sessionsim plot: {e}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(args.results[0]) / "plots"
    title = args.title or f"sessionsim: {', '.join(args.results)}"
    path = report.write_report(runs, out, title)
    figures = sorted(p.name for p in out.glob("*.png"))
    plural = "s" if len(runs) != 1 else ""
    print(f"report: {path} ({len(runs)} run{plural}, {len(figures)} figures: "
          f"{', '.join(figures)})")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `... | head` ends quietly
    sys.exit(main())
