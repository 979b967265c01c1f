"""The guard plateau: the fraction of users with at least one compromised request (malicious
guard and destination) after C messages, guards vs fresh paths (e.g.
scenarios/guard-plateau.toml), measured with a 95% t-interval over seeds (a Wilson interval
over the users of a single run) beside the closed forms 1-(1-f)^g-style plateau and
1-(1-f^2)^C (V7, V9) that the run records."""
from __future__ import annotations

from .. import stats
from . import common


def _interval(point):
    """Over seeds when several runs have the point; over one run's users otherwise."""
    if len(point["measured"]) == 1:
        users = point["users"][0]
        return stats.wilson_ci(round(point["measured"][0] * users), users)
    return stats.mean_ci(point["measured"])


def plot(runs, out_dir):
    curves = {}
    for r in runs:
        rows = r.metric("adversary.users.by_messages")
        if not rows:
            continue
        selection = r.metric("adversary.users.path_selection", "guards")
        per_c = curves.setdefault(selection, {})
        for row in rows:
            entry = per_c.setdefault(int(row["messages"]),
                                     {"measured": [], "expected": [], "users": []})
            entry["measured"].append(row["compromised_fraction"])
            entry["users"].append(int(row.get("users", 0)))
            entry["expected"].append(row["expected"])
    if not curves:
        return []
    fig, ax = common.new_axes("Users compromised after C messages", "messages per user C",
                              "fraction of users compromised")
    runs_per = 0
    for selection, per_c in sorted(curves.items()):
        cs = sorted(per_c)
        cis = [_interval(per_c[c]) for c in cs]
        runs_per = max(runs_per, max(len(per_c[c]["measured"]) for c in cs))
        bars = ax.errorbar(cs, [c.mean for c in cis],
                           yerr=[[c.mean - c.low for c in cis], [c.high - c.mean for c in cis]],
                           marker="o", capsize=3, label=f"{selection} paths, measured")
        expected = [sum(per_c[c]["expected"]) / len(per_c[c]["expected"]) for c in cs]
        ax.plot(cs, expected, "--", color=bars.lines[0].get_color(), lw=1,
                label=f"{selection} paths, closed form")
    ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.02)
    note = ("95% Wilson interval over users (one run)" if runs_per == 1 else
            f"95% t-interval over up to {runs_per} runs")
    ax.legend(fontsize=8, title=note, title_fontsize=7)
    return common.save(fig, out_dir, "guard_plateau")


if __name__ == "__main__":
    common.main(plot, __doc__)
