"""scripts/validation-report.py reads the [validation] lines tests/support/validation.h prints:
a Monte Carlo estimate (with n and its standard error), an exact value, or an older bare
interval; the page counts each kind and states each check's detectable bias, W + 1.2816 se
relative to |E| (exact: W / |E|)."""
import runpy

from conftest import ROOT

report = runpy.run_path(str(ROOT / "scripts" / "validation-report.py"))

LOG = """\
7: Test command: /build/tests/sim_x "--gtest_filter=Suite.Estimate" "--gtest_also_run_disabled_tests"
7: [validation] V11 mean: measured 101, expected 100, interval +/- 4, n 400, standard error 1
7: [validation] a note that is not a check
1/3 Test  #7: Suite.Estimate .........................   Passed    0.10 sec
8: Test command: /build/tests/sim_x "--gtest_filter=Inst/Suite.Exact/Param1" "--gtest_also_run_disabled_tests"
8: [validation] entropy, bits: measured 2, expected 2, interval +/- 0.01, exact
8: [validation] difference: measured 0.001, expected 0, interval +/- 0.01, exact
2/3 Test  #8: Inst/Suite.Exact/Param1  # GetParam() = (1, 2) ....   Passed    0.10 sec
9: Test command: /build/tests/sim_x "--gtest_filter=Suite.Bare" "--gtest_also_run_disabled_tests"
9: [validation] old: measured 5, expected 4, interval +/- 0.5
3/3 Test  #9: Suite.Bare .........................***Failed    0.10 sec
"""


def test_each_kind_of_line_is_counted_and_given_its_power():
    page, checks, passed = report["render"](LOG)
    assert (checks, passed) == (4, 3)
    assert ("**3 of 4 checks within their interval**, in 3 tests: 1 Monte Carlo estimates with "
            "their sample size, 2 exact values, 1 with a bare interval") in page
    # (4 + 1.2816 x 1) / 100
    assert "| V11 | mean | 101 | 100 | ± 4 | 400 | 5.28% | yes |" in page
    assert "| | entropy, bits | 2 | 2 | ± 0.01 | exact | 0.50% | yes |" in page.replace("|  |",
                                                                                       "| |")
    assert "| difference | 0.001 | 0 | ± 0.01 | exact | 0.01 (absolute) | yes |" in page
    assert "| old | 5 | 4 | ± 0.5 | ? | ? | **no** |" in page
    assert "- a note that is not a check" in page


def test_a_parameterised_test_is_found_and_its_result_read():
    page, _, _ = report["render"](LOG)
    assert "`?` — test passed" in page  # no source file defines Suite here; the status is read
    assert "Inst/Suite.Exact/Param1" in page
    assert "test not run" not in page
