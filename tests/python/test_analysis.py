"""Statistics against values worked out by hand, and figures and the report from a real run."""
import math

import numpy as np
import pytest

from sessionsim.analysis import figures, load, report, stats


def test_student_t_interval():
    ci = stats.mean_ci([1.0, 2.0, 3.0])
    # t(0.975, 2) = 4.302653; s = 1; half = 4.302653 / sqrt(3)
    assert ci.mean == 2.0 and ci.n == 3
    assert ci.half_width == pytest.approx(4.302653 / math.sqrt(3), rel=1e-6)
    assert stats.mean_ci([5.0]).low == 5.0
    assert math.isnan(stats.mean_ci([]).mean)


def test_wilson_interval_for_a_proportion_from_one_run():
    ci = stats.wilson_ci(13, 30)  # worked by hand: centre 0.44089, half-width 0.16713
    assert ci.mean == pytest.approx(13 / 30)
    assert (ci.low, ci.high) == (pytest.approx(0.2738, abs=1e-4), pytest.approx(0.6080, abs=1e-4))
    none = stats.wilson_ci(0, 10)  # stays inside [0, 1], and is not zero-width at 0
    assert none.low == 0.0 and none.high == pytest.approx(0.2775, abs=1e-4)
    assert math.isnan(stats.wilson_ci(0, 0).mean)


def test_dkw_band_and_band_over_runs():
    assert stats.dkw_epsilon(100) == pytest.approx(math.sqrt(math.log(40) / 200))
    one = stats.cdf_band([np.arange(100)])
    assert one.method == "dkw" and one.cdf[-1] == 1.0
    assert np.all(one.low <= one.cdf) and np.all(one.cdf <= one.high)
    runs = stats.cdf_band([np.arange(100), np.arange(100) + 5, np.arange(100) + 10])
    assert runs.method == "t over runs" and runs.runs == 3
    assert np.all(runs.low <= runs.cdf + 1e-12)


def test_bootstrap_is_seeded_and_brackets_the_median():
    x = np.random.default_rng(0).exponential(size=200)
    a, b = stats.bootstrap_ci(x), stats.bootstrap_ci(x)
    assert (a.low, a.high) == (b.low, b.high)
    assert a.low < np.median(x) < a.high


def test_loader_joins_config_and_summary(small_run):
    runs = load.find_runs([small_run])
    table = load.runs_table(runs)
    assert len(table) == 1 and table.loc[0, "seed"] == 3
    assert table.loc[0, "messages.sent"] == runs[0].summary["messages"]["sent"]
    assert not load.long_table(runs, "messages").empty
    with pytest.raises(ValueError, match="no results folders"):
        load.find_runs([small_run / "requests.csv"])


def test_figures_and_report_from_a_run(small_run, tmp_path):
    runs = load.find_runs([small_run])
    written = figures.plot_all(runs, tmp_path)
    # One Session run with an adversary: latency, delay, blocks, the f and plateau figures.
    assert {"onion_rtt", "delivery_delay", "swarm_health", "anonymity_vs_f", "guard_plateau"} <= set(written)
    for paths in written.values():
        assert {p.suffix for p in paths} == {".png", ".pdf"}
        assert all(p.stat().st_size > 2000 for p in paths)
    page = report.write_report(runs, tmp_path, "test").read_text()
    assert page.count("<figure") == len(written)
    assert "messages.delivery_ratio" in page


def test_figures_are_byte_identical_from_one_run_to_the_next(small_run, tmp_path):
    runs = load.find_runs([small_run])
    first = figures.plot_all(runs, tmp_path / "a")
    figures.plot_all(runs, tmp_path / "b")
    for paths in first.values():
        for p in paths:
            assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), p.name
