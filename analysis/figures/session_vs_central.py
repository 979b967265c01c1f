"""Session against the centralized messenger on the same workload (scenarios/central-*.toml):
delivery and extra delay during an outage, and the share of sender-recipient relationships and
of the social graph each one's observer recovers; mean and 95% t-interval over seeds."""
from __future__ import annotations

import numpy as np

from .. import stats
from . import common


def metrics(r):
    central = r.value("messenger") == "central"
    during = r.metric("outage.during") or {}
    sent = during.get("sent") or 0
    holder = "operator" if central else "adversary.relationships"
    return {
        "outage delivery": during.get("delivered", 0) / sent if sent else None,
        "outage extra delay (h)": (r.metric("outage.mean_extra_delay_s") / 3600
                                   if r.metric("outage.mean_extra_delay_s") is not None
                                   else None),
        "relationships linked": r.metric(f"{holder}.relationship_linkage_rate"),
        "social graph recovered": r.metric(f"{holder}.social_graph.fraction"),
    }


def plot(runs, out_dir):
    kinds = {}
    for r in runs:
        kinds.setdefault("centralized" if r.value("messenger") == "central" else "Session",
                         []).append(metrics(r))
    if "centralized" not in kinds:
        return []
    names = list(next(iter(kinds.values()))[0])
    fig, axes = common.plt.subplots(1, len(names), figsize=(12, 3.6))
    for ax, name in zip(axes, names):
        labels, means, errs = [], [], []
        for kind in ("Session", "centralized"):
            ci = stats.mean_ci([m[name] for m in kinds.get(kind, []) if m[name] is not None])
            labels.append(kind)
            means.append(0 if np.isnan(ci.mean) else ci.mean)
            errs.append(0 if np.isnan(ci.half_width) else ci.half_width)
        ax.bar(labels, means, yerr=errs, capsize=4, color=["tab:blue", "tab:red"])
        ax.set_title(name, fontsize=10)
        ax.grid(True, axis="y", alpha=0.3)
    fig.suptitle("Session vs a centralized messenger (95% t-intervals over seeds)", fontsize=11)
    return common.save(fig, out_dir, "session_vs_central")


if __name__ == "__main__":
    common.main(plot, __doc__)
