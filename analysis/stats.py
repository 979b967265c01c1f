"""Statistics over repetitions: Student-t intervals for means, empirical CDFs with DKW bands
(one run) or with pointwise t-intervals across runs (several independently sampled networks),
and a seeded percentile bootstrap."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps


@dataclass
class Interval:
    mean: float
    low: float
    high: float
    n: int

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


def mean_ci(values, level: float = 0.95) -> Interval:
    """Mean with a Student-t interval (n-1 degrees of freedom); n = 1 gives a zero-width
    interval at the value, n = 0 NaNs."""
    x = np.asarray([v for v in values if v is not None and not _isnan(v)], dtype=float)
    n = len(x)
    if n == 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    m = float(x.mean())
    if n == 1:
        return Interval(m, m, m, 1)
    half = float(sps.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return Interval(m, m - half, m + half, n)


def wilson_ci(successes: float, trials: int, level: float = 0.95) -> Interval:
    """A proportion from one run (e.g. users compromised out of users) with the Wilson score
    interval, which stays inside [0, 1] and is sensible at 0 and at n; n = 0 gives NaNs."""
    if trials <= 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    p = successes / trials
    z = float(sps.norm.ppf(0.5 + level / 2))
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    # At p = 0 or 1 an end equals p exactly; rounding must not put p outside its interval.
    return Interval(p, min(p, max(0.0, centre - half)), max(p, min(1.0, centre + half)), 1)


def _isnan(v) -> bool:
    try:
        return math.isnan(v)
    except TypeError:
        return False


def ecdf(values):
    """(sorted values, F) with F[i] = (i+1)/n."""
    x = np.sort(np.asarray(values, dtype=float))
    return x, np.arange(1, len(x) + 1) / max(len(x), 1)


def dkw_epsilon(n: int, level: float = 0.95) -> float:
    """Dvoretzky-Kiefer-Wolfowitz: sup|F_n - F| <= eps with probability `level`."""
    return math.sqrt(math.log(2 / (1 - level)) / (2 * n)) if n > 0 else math.nan


def cdf_at(values, grid) -> np.ndarray:
    x = np.sort(np.asarray(values, dtype=float))
    return np.searchsorted(x, grid, side="right") / max(len(x), 1)


@dataclass
class CdfBand:
    grid: np.ndarray
    cdf: np.ndarray
    low: np.ndarray
    high: np.ndarray
    runs: int
    method: str  # "dkw" (one run) or "t over runs"


def cdf_band(samples_per_run, level: float = 0.95, points: int = 400) -> CdfBand:
    """The CDF of a metric with a confidence band. One run: its ECDF with a DKW band. Several
    runs: the mean of the runs' ECDFs with a pointwise Student-t interval across runs."""
    samples = [np.asarray(s, dtype=float) for s in samples_per_run if len(s) > 0]
    if not samples:
        raise ValueError("no samples to draw a CDF from")
    everything = np.concatenate(samples)
    lo, hi = float(everything.min()), float(everything.max())
    # Log-spaced points for positive data (latencies, delays are read on log axes).
    spacing = np.geomspace if lo > 0 else np.linspace
    grid = spacing(lo, hi, points) if hi > lo else np.array([lo])
    if len(samples) == 1:
        f = cdf_at(samples[0], grid)
        eps = dkw_epsilon(len(samples[0]), level)
        return CdfBand(grid, f, np.clip(f - eps, 0, 1), np.clip(f + eps, 0, 1), 1, "dkw")
    per_run = np.vstack([cdf_at(s, grid) for s in samples])
    n = len(samples)
    mean = per_run.mean(axis=0)
    half = sps.t.ppf(0.5 + level / 2, n - 1) * per_run.std(axis=0, ddof=1) / math.sqrt(n)
    return CdfBand(grid, mean, np.clip(mean - half, 0, 1), np.clip(mean + half, 0, 1), n,
                   "t over runs")


def bootstrap_ci(values, statistic=np.median, level: float = 0.95, resamples: int = 2000,
                 seed: int = 1) -> Interval:
    """Percentile bootstrap interval of `statistic` (seeded: same data, same interval)."""
    x = np.asarray(values, dtype=float)
    if len(x) == 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    rng = np.random.default_rng(seed)
    draws = np.array([statistic(rng.choice(x, len(x))) for _ in range(resamples)])
    a = (1 - level) / 2
    return Interval(float(statistic(x)), float(np.quantile(draws, a)),
                    float(np.quantile(draws, 1 - a)), len(x))
