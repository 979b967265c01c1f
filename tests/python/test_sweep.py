"""`sessionsim sweep`: a 2x2 grid with 2 repetitions gives 8 runs and an 8-row index; running it
again skips them; the same sweep over MPI (2 ranks) gives the same results."""
import os
import shutil
import subprocess

import pandas as pd
import pytest

from conftest import CLI, ROOT, run_cli

SWEEP = """
repetitions = 2
seed = 11
[set]
"network.service_nodes" = 30
duration_s = 30
warmup_s = 5
[grid]
"network.clients" = [4, 6]
"workload.message_interval_s" = { start = 10, stop = 20, step = 10 }
"""


def write_sweep(tmp_path):
    path = tmp_path / "sweep.toml"
    path.write_text(SWEEP)
    return path


def test_grid_times_repetitions_and_resume(tmp_path):
    path = write_sweep(tmp_path)
    out = tmp_path / "out"
    first = run_cli("sweep", path, "--out", out, "--jobs", "2")
    index = pd.read_csv(out / "index.csv")
    assert len(index) == 8, first.stdout
    assert set(index["status"]) == {"done"}
    assert sorted(index["seed"]) == list(range(11, 19))  # every run its own seed
    assert set(index["network.clients"]) == {4, 6}
    assert set(index["workload.message_interval_s"]) == {10, 20}
    assert "messages.delivery_ratio" in index.columns
    again = run_cli("sweep", path, "--out", out)
    assert "8 already finished, 0 to run" in again.stdout
    assert pd.read_csv(out / "index.csv").equals(index)


def test_bad_sweep_file_names_the_key(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[grid]\n"network.clients" = [4, -1]\n')
    done = run_cli("sweep", path, "--out", tmp_path / "o", check=False)
    assert done.returncode == 2 and "network.clients" in done.stderr


def test_mpi_sweep_matches_the_local_one(tmp_path):
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        pytest.fail("mpirun is not installed (scripts/setup-debian.sh installs openmpi-bin)")
    path = write_sweep(tmp_path)
    # CI runs as root; OpenMPI refuses that unless told it is intended.
    env_root = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
    done = subprocess.run([mpirun, "-n", "2", "--oversubscribe", str(CLI), "sweep", str(path),
                           "--out", str(tmp_path / "mpi"), "--mpi"], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **env_root}, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rank 0: done" in done.stdout and "rank 1: done" in done.stdout
    mpi = pd.read_csv(tmp_path / "mpi" / "index.csv")
    run_cli("sweep", path, "--out", tmp_path / "local")
    local = pd.read_csv(tmp_path / "local" / "index.csv")
    assert len(mpi) == 8
    assert mpi.equals(local)  # same seeds, same folders, same metrics
