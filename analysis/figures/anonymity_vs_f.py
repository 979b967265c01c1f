"""Anonymity and path compromise against the adversary's fraction f of service nodes (e.g.
scenarios/leakage-f-sweep.toml): the fraction of onion requests whose guard and destination
are both malicious beside the closed form m(m-1)/(N(N-1)) (V5), and the degree of anonymity
d = H/log2 N of senders and recipients; mean and 95% t-interval over seeds."""
from __future__ import annotations

import numpy as np

from .. import stats
from . import common


def closed_form(f, n):
    m = np.round(np.asarray(f) * n)
    return np.where(m > 1, m * (m - 1) / (n * (n - 1)), 0.0)


def plot(runs, out_dir):
    with_adversary = [r for r in runs if r.metric("adversary.onion_requests") is not None]
    if not with_adversary:
        return []
    by_f = {}
    for r in with_adversary:
        by_f.setdefault(float(r.metric("adversary.fraction")), []).append(r)
    fs = sorted(by_f)
    n = int(with_adversary[0].metric("network.service_nodes"))
    fig, (left, right) = common.plt.subplots(1, 2, figsize=(10, 4.2))

    def errorbars(ax, path, label, marker):
        cis = [stats.mean_ci([r.metric(path) for r in by_f[f]]) for f in fs]
        ax.errorbar(fs, [c.mean for c in cis], yerr=[[c.mean - c.low for c in cis],
                                                       [c.high - c.mean for c in cis]],
                    marker=marker, ls="none", capsize=3, label=label)

    errorbars(left, "adversary.onion_requests.guard_and_destination", "measured", "o")
    grid = np.linspace(0, max(fs) * 1.05 if max(fs) > 0 else 0.35, 200)
    left.plot(grid, closed_form(grid, n), "k--", lw=1, label=f"m(m-1)/(N(N-1)), N={n}")
    left.set_title("Guard and destination both malicious", fontsize=11)
    left.set_xlabel("adversary fraction f")
    left.set_ylabel("fraction of onion requests")
    errorbars(right, "adversary.relationships.sender_degree", "senders", "o")
    errorbars(right, "adversary.recipient_anonymity.degree", "recipients", "s")
    right.set_title("Degree of anonymity d = H / log2 N", fontsize=11)
    right.set_xlabel("adversary fraction f")
    right.set_ylabel("d")
    right.set_ylim(-0.02, 1.02)
    runs_per = max(len(v) for v in by_f.values())
    for ax in (left, right):
        ax.set_xlim(0, grid[-1])
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, title=f"95% t-interval over {runs_per} runs", title_fontsize=7)
    return common.save(fig, out_dir, "anonymity_vs_f")


if __name__ == "__main__":
    common.main(plot, __doc__)
