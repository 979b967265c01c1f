"""Onion round-trip time CDFs: probes by hop count (0 = direct to the node) and the runs' real
onion requests, each with a confidence band over runs (requests.csv)."""
from __future__ import annotations

from .. import stats
from . import common


def plot(runs, out_dir):
    probes, requests = {}, {}
    for label, group in common.group_runs(runs).items():
        for r in group:
            t = r.table("requests")
            if t is None or t.empty:
                continue
            ok = t[t["status"] == 200]
            if "probe" in ok:
                for hops, rows in ok[ok["probe"] == 1].groupby("hops"):
                    probes.setdefault(int(hops), []).append(rows["rtt_ms"].to_numpy())
                ok = ok[ok["probe"] == 0]
            if not ok.empty:
                requests.setdefault(label, []).append(ok["rtt_ms"].to_numpy())
    if not probes and not requests:
        return []
    fig, ax = common.new_axes("Onion round-trip time", "round-trip time (ms)", "CDF")
    bands = []
    for hops in sorted(probes):
        band = stats.cdf_band(probes[hops])
        bands.append(band)
        common.band_plot(ax, band, "direct (0 hops)" if hops == 0 else f"probe, {hops} hops")
    for label, samples in requests.items():
        band = stats.cdf_band(samples)
        bands.append(band)
        common.band_plot(ax, band, "onion requests" + (f" ({label})" if label else ""))
    common.finish_cdf(ax, bands)
    return common.save(fig, out_dir, "onion_rtt_cdf")


if __name__ == "__main__":
    common.main(plot, __doc__)
