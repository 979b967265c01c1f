"""Delivery and loss against the fraction of nodes that fail (a sweep over a churn.*fraction
key, e.g. scenarios/swarm-loss.toml), mean and 95% Student-t interval over seeds."""
from __future__ import annotations

from .. import load, stats
from . import common


def failure_key(runs):
    keys = [k for k in load.varying_keys(runs) if k.startswith("churn.") and "fraction" in k]
    return keys[0] if keys else None


def plot(runs, out_dir):
    key = failure_key(runs)
    if key is None:
        return []
    by_x = {}
    for r in runs:
        sent = r.metric("messages.sent") or 0
        if sent == 0:
            continue
        lost = r.metric("survival.lost", 0) / sent
        by_x.setdefault(float(r.value(key)), []).append((r.metric("messages.delivery_ratio"), lost))
    xs = sorted(by_x)
    fig, ax = common.new_axes("Delivery under node failures", key, "fraction of messages sent")
    for i, name in enumerate(["delivered", "lost"]):
        cis = [stats.mean_ci([v[i] for v in by_x[x]]) for x in xs]
        ax.errorbar(xs, [c.mean for c in cis], yerr=[[c.mean - c.low for c in cis],
                                                       [c.high - c.mean for c in cis]],
                    marker="o", capsize=3, label=name)
    runs_per = max(len(v) for v in by_x.values())
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=8, title=f"mean, 95% t-interval over {runs_per} runs", title_fontsize=7)
    return common.save(fig, out_dir, "delivery_vs_failure")


if __name__ == "__main__":
    common.main(plot, __doc__)
