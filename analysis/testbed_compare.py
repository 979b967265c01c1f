#!/usr/bin/python3
"""The simulator against the testbed: one scenario run by `sessionsim run` and by
`sessionsim testbed run` (scripts/testbed-compare.sh does both), compared.

Usage: python3 -m sessionsim.analysis.testbed_compare SIM_DIR TESTBED_DIR OUT_DIR

For the onion round-trip time of real 3-hop requests that were answered (requests.csv: hops 3,
status 200, not probes) and for the delivery delay (messages.csv: delivered_s - sent_s), writes
the two-sample Kolmogorov-Smirnov distance, medians, 90th percentiles and their testbed/simulator
ratios, and the delivery ratios, to OUT_DIR/compare.json and OUT_DIR/compare.md, the two CDFs to
OUT_DIR/compare_cdf.png, and prints the table. The target (issue 10) is medians within 10%.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats as sps  # noqa: E402

TARGET = 0.10  # medians within 10%


def onion_rtts(folder: Path) -> np.ndarray:
    r = pd.read_csv(folder / "requests.csv")
    keep = (r.hops == 3) & (r.status == 200) & (r.probe == 0)
    return np.sort(r.loc[keep, "rtt_ms"].astype(float).to_numpy())


def delivery_delays(folder: Path) -> tuple[np.ndarray, int]:
    m = pd.read_csv(folder / "messages.csv", keep_default_na=False)
    done = m[m.delivered_s != ""]
    delay = done.delivered_s.astype(float) - done.sent_s.astype(float)
    return np.sort(delay.to_numpy() * 1000), len(m)


def compare_samples(sim: np.ndarray, testbed: np.ndarray, names=("sim", "testbed"),
                    target: float = TARGET) -> dict:
    """KS distance, medians, p90s and their ratios (second / first) of two samples; `names`
    label the two in the keys (n_<name>, median_<name>_ms, p90_<name>_ms)."""
    first, second = names
    ks = sps.ks_2samp(sim, testbed)
    out = {f"n_{first}": int(len(sim)), f"n_{second}": int(len(testbed)),
           "ks_distance": round(float(ks.statistic), 4), "ks_p_value": float(ks.pvalue)}
    for name, q in (("median", 50), ("p90", 90)):
        s, t = float(np.percentile(sim, q)), float(np.percentile(testbed, q))
        out[f"{name}_{first}_ms"] = round(s, 1)
        out[f"{name}_{second}_ms"] = round(t, 1)
        out[f"{name}_ratio"] = round(t / s, 3)
    out["median_within_target"] = abs(out["median_ratio"] - 1) <= target
    return out


def compare(sim_dir: Path, testbed_dir: Path, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    sim_rtt, tb_rtt = onion_rtts(sim_dir), onion_rtts(testbed_dir)
    (sim_delay, sim_sent), (tb_delay, tb_sent) = delivery_delays(sim_dir), delivery_delays(testbed_dir)
    result = {
        "simulator": str(sim_dir), "testbed": str(testbed_dir), "target_median_ratio": TARGET,
        "onion_rtt": compare_samples(sim_rtt, tb_rtt),
        "delivery_delay": compare_samples(sim_delay, tb_delay),
        "delivery_ratio": {"sim": round(len(sim_delay) / max(sim_sent, 1), 4),
                           "testbed": round(len(tb_delay) / max(tb_sent, 1), 4),
                           "sent_sim": sim_sent, "sent_testbed": tb_sent},
    }
    (out / "compare.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = ["| metric | n sim / testbed | median sim / testbed (ratio) | p90 sim / testbed (ratio) "
            "| KS distance |", "|---|---:|---:|---:|---:|"]
    for key, title in (("onion_rtt", "onion RTT, ms"), ("delivery_delay", "delivery delay, ms")):
        c = result[key]
        rows.append(f"| {title} | {c['n_sim']} / {c['n_testbed']} | {c['median_sim_ms']} / "
                    f"{c['median_testbed_ms']} ({c['median_ratio']}) | {c['p90_sim_ms']} / "
                    f"{c['p90_testbed_ms']} ({c['p90_ratio']}) | {c['ks_distance']} |")
    d = result["delivery_ratio"]
    rows.append(f"\nDelivered: simulator {d['sim']:.1%} of {d['sent_sim']}, testbed "
                f"{d['testbed']:.1%} of {d['sent_testbed']}.")
    table = "\n".join(rows) + "\n"
    (out / "compare.md").write_text(table)

    plot_cdfs(out / "compare_cdf.png", (("onion RTT (3 hops), ms", sim_rtt, tb_rtt),
                                         ("delivery delay, ms", sim_delay, tb_delay)),
              ("simulator (ns-3)", "testbed (processes, namespaces)"))
    print(table, end="")
    return result


def plot_cdfs(path: Path, panels, names, styles=("-", "-")) -> None:
    """One panel per (title, first sample, second sample): the two empirical CDFs, labelled
    `names`, drawn in line `styles`."""
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.8))
    for ax, (title, a, b) in zip(axes, panels):
        for values, name, style in ((a, names[0], styles[0]), (b, names[1], styles[1])):
            ax.step(values, np.arange(1, len(values) + 1) / max(len(values), 1), where="post",
                    label=name, linestyle=style)
        ax.set_xlabel(title)
        ax.set_ylabel("fraction")
        ax.grid(alpha=0.3)
    axes[0].legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def command_line(compare_folders, doc: str, argv: list) -> int:
    """`compare_folders(FIRST, SECOND, OUT)` from the command line, or the usage (`doc`)."""
    if len(argv) != 3:
        print(doc, file=sys.stderr)
        return 2
    compare_folders(Path(argv[0]), Path(argv[1]), Path(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(command_line(compare, __doc__, sys.argv[1:]))
