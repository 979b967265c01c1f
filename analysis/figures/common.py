"""What every figure shares: the matplotlib backend, saving as PNG and PDF, labels of runs, and
the command line each figure module offers (`python3 -m sessionsim.analysis.figures.NAME
RESULTS... --out DIR`)."""
from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display needed (CI, ssh, cluster nodes)
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import ticker  # noqa: E402

from .. import load  # noqa: E402


def new_axes(title: str, xlabel: str, ylabel: str, size=(6.4, 4.2)):
    fig, ax = plt.subplots(figsize=size)
    ax.set_title(title, fontsize=11)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    return fig, ax


def save(fig, out_dir, name: str) -> list[Path]:
    """Writes NAME.png and NAME.pdf; returns both paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    paths = [out_dir / f"{name}.png", out_dir / f"{name}.pdf"]
    fig.savefig(paths[0], dpi=120)
    # A fixed creation date keeps the PDF byte-identical from one run to the next.
    fig.savefig(paths[1], metadata={"CreationDate": None})
    plt.close(fig)
    return paths


def group_runs(runs: list[load.Run], ignore=("seed",)) -> dict[str, list[load.Run]]:
    """Runs grouped by their configuration apart from the seed (repetitions together), labelled
    by the keys that vary ("" when all runs share one configuration)."""
    keys = load.varying_keys(runs, ignore=ignore)
    groups: dict[str, list[load.Run]] = {}
    for r in runs:
        flat = load.flatten(r.config)
        label = ", ".join(f"{k.split('.')[-1]}={flat.get(k)}" for k in keys)
        groups.setdefault(label, []).append(r)
    return groups


def band_plot(ax, band, label: str, color=None):
    line, = ax.plot(band.grid, band.cdf, label=label, color=color, lw=1.6)
    ax.fill_between(band.grid, band.low, band.high, color=line.get_color(), alpha=0.2, lw=0)
    return line


def finish_cdf(ax, bands) -> None:
    """Log x axis, CDF y axis, and a legend that says how the bands were made."""
    ax.set_xscale("log")
    # Ticks at 1, 2, 5 per decade, written as plain numbers (0.5, 2, 500), not 10^x.
    ax.xaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1, 2, 5)))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8, title=band_note(bands), title_fontsize=7)


def band_note(bands) -> str:
    methods = {b.method for b in bands}
    if methods == {"dkw"}:
        return "bands: 95% DKW (one run each)"
    runs = max(b.runs for b in bands)
    return f"bands: 95% Student-t over up to {runs} runs"


def main(plot_function, description: str) -> None:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("results", nargs="+", help="results folders (runs, sweeps, --runs)")
    parser.add_argument("--out", default=None, help="figure folder (default: <first>/plots)")
    args = parser.parse_args()
    runs = load.find_runs(args.results)
    out = args.out or str(Path(args.results[0]) / "plots")
    written = plot_function(runs, out)
    if not written:
        print("nothing to plot: the runs hold no data for this figure")
    for p in written:
        print(p)
