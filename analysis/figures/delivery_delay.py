"""Message delivery delay CDF (send to the recipient's poll), per configuration, with a
confidence band over runs (messages.csv)."""
from __future__ import annotations

from .. import stats
from . import common


def plot(runs, out_dir):
    samples = {}
    for label, group in common.group_runs(runs).items():
        for r in group:
            m = r.table("messages")
            if m is None or m.empty:
                continue
            d = m[m["status"] == "delivered"]
            delay = (d["delivered_s"] - d["sent_s"]).dropna().to_numpy()
            if len(delay):
                samples.setdefault(label, []).append(delay)
    if not samples:
        return []
    fig, ax = common.new_axes("Message delivery delay", "delay (s)", "CDF")
    bands = []
    for label, per_run in samples.items():
        band = stats.cdf_band(per_run)
        bands.append(band)
        common.band_plot(ax, band, label or "messages")
    common.finish_cdf(ax, bands)
    return common.save(fig, out_dir, "delivery_delay_cdf")


if __name__ == "__main__":
    common.main(plot, __doc__)
