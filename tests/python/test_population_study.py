"""scripts/population-study.py (docs/population-study.md) on two small populations: the runs are
made and scored, the tables and figures written, a run made with the same settings is reused,
and --check refuses a study whose precision does not fall or whose entropy does not rise."""
import json
import runpy
import subprocess
import sys

from conftest import CLI, ROOT

STUDY = ROOT / "scripts" / "population-study.py"
study = runpy.run_path(str(STUDY))


def run_study(out, *extra):
    return subprocess.run([sys.executable, str(STUDY), "--sizes", "400,1600", "--duration", "12",
                           "--warmup", "4", "--program", str(CLI), "--out", str(out), *extra],
                          capture_output=True, text=True, cwd=ROOT)


def test_two_populations_are_run_scored_and_drawn(tmp_path):
    out = tmp_path / "study"
    done = run_study(out, "--figures", str(tmp_path / "img"))
    assert done.returncode == 0, done.stderr
    facts = json.loads((out / "study.json").read_text())
    rows = facts["sizes"]
    assert [r["clients"] for r in rows] == [400, 1600]
    for r in rows:
        config = (out / f"clients-{r['clients']}" / "config.toml").read_text()
        assert f"clients = {r['clients']}" in config and "fraction = 0.1" in config
        assert r["adversary_nodes"] == 200 and r["service_nodes"] == 2000
        assert 0 < r["sender_entropy_bits"] <= r["max_entropy_bits"]
        low, high = r["precision_95"]
        assert low <= r["correlator"]["precision"] <= high
        # Every answered request after the warm-up lands in one guard-load class.
        assert sum(b["requests"] for b in r["load"]["by_guard_load"]) > 0
    assert (tmp_path / "img" / "study-population.png").stat().st_size > 10_000
    assert (tmp_path / "img" / "study-rtt_by_load.png").stat().st_size > 10_000
    assert "| 1,600 |" in (out / "study.md").read_text()
    again = run_study(out, "--reuse")
    assert again.returncode == 0 and again.stdout.count("reusing") == 2


def row(clients, precision, entropy):
    return {"clients": clients, "correlator": {"precision": precision, "true_pairs": 5},
            "sender_entropy_bits": entropy, "max_entropy_bits": 20.0, "message_stores": 3}


def test_check_needs_falling_precision_and_rising_entropy():
    check = study["check"]
    assert check([row(10, 0.01, 5.0), row(100, 0.001, 8.0)]) == []
    problems = check([row(10, 0.01, 5.0), row(100, 0.02, 4.0)])
    assert len(problems) == 2
    assert "precision did not fall" in problems[0] and "entropy did not rise" in problems[1]
    assert "above log2" in check([row(10, 0.01, 21.0), row(100, 0.001, 22.0)])[0]
