"""One module per figure; each has `plot(runs, out_dir) -> [paths]` (empty when the runs hold no
data for it) and runs as a script: `python3 -m sessionsim.analysis.figures.onion_rtt RESULTS`.
`plot_all` draws every figure the runs have data for."""
from __future__ import annotations

from pathlib import Path

from . import (anonymity_vs_f, delivery_delay, delivery_vs_failure, guard_plateau, onion_rtt,
               session_vs_central, swarm_health)

# In report order: latency, delivery, resilience, anonymity, the centralized comparison.
FIGURES = [onion_rtt, delivery_delay, delivery_vs_failure, swarm_health, anonymity_vs_f,
           guard_plateau, session_vs_central]


def plot_all(runs, out_dir) -> dict[str, list[Path]]:
    """{figure module name: written paths} for every figure with data."""
    written = {}
    for module in FIGURES:
        paths = module.plot(runs, out_dir)
        if paths:
            written[module.__name__.rsplit(".", 1)[-1]] = paths
    return written
