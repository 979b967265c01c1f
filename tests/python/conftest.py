"""pytest setup: the package built in BUILD_DIR/python (default build/python), the CLI beside
it, and one small simulated run shared by the tests that need results."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("BUILD_DIR", ROOT / "build"))
sys.path.insert(0, str(BUILD / "python"))
CLI = BUILD / "bin" / "sessionsim"

# A network small enough to simulate in a couple of seconds, with an adversary so that the
# metadata figures have data.
SMALL = {"network": {"service_nodes": 40, "clients": 12}, "duration_s": 250, "warmup_s": 10,
         "adversary": {"fraction": 0.1}}


def small_overrides():
    return ["network.service_nodes=40", "network.clients=12", "duration_s=250", "warmup_s=10",
            "adversary.fraction=0.1"]


def run_cli(*args, check=True, **kwargs):
    """The sessionsim program; returns the CompletedProcess (text mode)."""
    return subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True,
                          check=check, cwd=ROOT, **kwargs)


@pytest.fixture(scope="session")
def small_run(tmp_path_factory):
    """A results folder from the CLI: the small scenario, seed 3."""
    out = tmp_path_factory.mktemp("small") / "run"
    args = ["run", "--quiet", "--seed", "3", "--out", out]
    for o in small_overrides():
        args += ["--set", o]
    run_cli(*args)
    return out
