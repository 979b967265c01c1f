"""Swarm health over time, block by block (blocks.csv): active nodes and nodes down, and swarms
below the minimum size; mean over runs with a 95% t-band, per configuration."""
from __future__ import annotations

import numpy as np

from .. import stats
from . import common


def plot(runs, out_dir):
    series = {}
    for label, group in common.group_runs(runs).items():
        for r in group:
            b = r.table("blocks")
            if b is not None and len(b) >= 2:  # one block is a point, not a course
                series.setdefault(label, []).append(b)
    if not series:
        return []
    fig, (top, bottom) = common.plt.subplots(2, 1, figsize=(6.4, 5.6), sharex=True)
    for label, tables in series.items():
        n = min(len(t) for t in tables)
        time = tables[0]["time_s"].to_numpy()[:n] / 3600
        for ax, column, name in [(top, "active", "active"), (top, "hosts_down", "down"),
                                 (bottom, "swarms_below_minimum", "swarms below minimum")]:
            values = np.vstack([t[column].to_numpy()[:n] for t in tables])
            cis = [stats.mean_ci(values[:, i]) for i in range(n)]
            line, = ax.plot(time, [c.mean for c in cis], marker="." if n < 30 else None,
                            label=f"{name} ({label})" if label else name)
            ax.fill_between(time, [c.low for c in cis], [c.high for c in cis],
                            color=line.get_color(), alpha=0.2, lw=0)
    top.set_title("Swarm health over time", fontsize=11)
    top.set_ylabel("service nodes")
    bottom.set_ylabel("swarms")
    bottom.set_xlabel("time (h)")
    for ax in (top, bottom):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    return common.save(fig, out_dir, "swarm_health")


if __name__ == "__main__":
    common.main(plot, __doc__)
