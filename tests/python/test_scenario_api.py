"""The scenario API runs in-process and gives the same results as `sessionsim run`."""
import json
import threading
import time

import pandas as pd
import pytest

from conftest import SMALL, run_cli, small_overrides
from sessionsim import Scenario, load_results


def test_same_summary_as_the_cli_for_the_same_seed(tmp_path, small_run):
    results = Scenario.from_dict(SMALL).run(tmp_path / "py", seed=3)
    cli_summary = json.loads((small_run / "summary.json").read_text())
    assert results.summary == cli_summary
    for name in ("messages", "requests"):
        assert (tmp_path / "py" / f"{name}.csv").read_bytes() == \
            (small_run / f"{name}.csv").read_bytes()
    assert isinstance(results.messages, pd.DataFrame)
    assert len(results.messages) == cli_summary["messages"]["sent"]
    assert results.config["network"]["clients"] == 12
    assert results.provenance["seed"] == 3


def test_file_dict_and_dotted_keys(tmp_path):
    sc = Scenario.load("scenarios/default.toml").set("network.clients", 7)
    assert sc["network.clients"] == 7
    assert Scenario.from_dict({"network.clients": 7})["network.clients"] == 7
    assert "network.clients=7" in sc.overrides
    assert any(k["key"] == "network.service_nodes" for k in Scenario.keys())


def test_broken_settings_raise_value_error_naming_the_key(tmp_path):
    with pytest.raises(ValueError, match="network.clients"):
        Scenario.default().set("network.clients", -1)
    with pytest.raises(ValueError, match="no_such_key"):
        Scenario.from_dict({"no_such_key": 1})
    bad = tmp_path / "bad.toml"
    bad.write_text("[network]\nservice_nodes = 'many'\n")
    with pytest.raises(ValueError, match="bad.toml"):
        Scenario.load(bad)


def test_the_gil_is_released_while_the_simulation_runs(tmp_path):
    # Ordered by events, not timed: the simulation writes summary.json as its last act, in C++.
    # If the binding held the GIL, this thread could not run again until the simulation had
    # returned, and would find the file there; with the GIL released it wakes while the
    # simulation (about a second of work) is still running. A loaded machine only delays the
    # wake-up by milliseconds.
    scenario = Scenario.from_dict(SMALL)
    out = tmp_path / "r"
    entering = threading.Event()

    def simulate():
        entering.set()
        scenario.run(out, seed=4)

    t = threading.Thread(target=simulate)
    t.start()
    entering.wait()
    time.sleep(0.2)  # 40 GIL switch intervals (5 ms): the run is under way, far from done
    written_while_running = (out / "summary.json").exists()
    t.join()
    assert (out / "summary.json").exists()
    assert not written_while_running


def test_cli_accepts_ns3_style_key_options(tmp_path):
    out = tmp_path / "ns3"
    args = ["run", "--quiet", "--seed", "3", "--out", out] + [f"--{o}" for o in small_overrides()]
    run_cli(*args)
    assert load_results(out).summary["network"]["clients"] == 12
    bad = run_cli("run", "--no.such=1", check=False)
    assert bad.returncode == 2 and "unknown option --no.such=1" in bad.stderr
