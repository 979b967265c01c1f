"""sessionsim sweep SWEEP.toml: a parameter grid × repetitions, each run in its own results
folder with its own seed, and an index (CSV) that joins parameters to summary metrics.

A sweep file:

    scenario = "../scenarios/default.toml"   # base scenario, relative to this file (omit: defaults)
    repetitions = 3                          # independently seeded networks per point
    seed = 1                                 # first seed; run k of the sweep gets seed + k
    out = "results/my-sweep"                 # relative to the working directory
    [set]                                    # fixed overrides for every run
    duration_s = 120
    [grid]                                   # every combination of these
    "network.clients" = [100, 200]
    "adversary.fraction" = { start = 0.0, stop = 0.2, step = 0.1 }   # inclusive range

Runs go to OUT/<key>=<value>,.../rep-NN/ and OUT/index.csv. A folder is written under a
temporary name and renamed when its run finishes, so re-running the sweep skips every finished
run and redoes only interrupted ones. Execution: --jobs N worker processes on this machine
(concurrent.futures, one fresh process per run), or --mpi under mpirun/srun (mpi4py): each rank
takes every K-th pending run, then rank 0 writes the index. The same file runs either way.
"""
from __future__ import annotations

import argparse
import signal
import itertools
import json
import math
import shutil
import sys
import tomllib
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .analysis.load import flatten
from .scenario import render_value

SWEEP_KEYS = {"scenario", "repetitions", "seed", "out", "common_random_numbers", "set", "grid"}


class SweepError(ValueError):
    pass


@dataclass
class RunSpec:
    index: int          # position in the sweep (seed = first seed + index)
    point: int
    rep: int
    params: dict        # grid key -> value
    seed: int
    folder: Path

    @property
    def done(self) -> bool:
        return (self.folder / "summary.json").is_file()


@dataclass
class Sweep:
    source: Path
    scenario: str | None
    repetitions: int
    seed: int
    out: Path
    fixed: dict
    grid: dict
    common_random_numbers: bool

    def points(self) -> list[dict]:
        keys = list(self.grid)
        return [dict(zip(keys, combo)) for combo in itertools.product(*self.grid.values())]

    def runs(self) -> list[RunSpec]:
        specs = []
        for p, params in enumerate(self.points()):
            name = ",".join(f"{k}={_folder_value(v)}" for k, v in params.items()) or "base"
            for rep in range(self.repetitions):
                index = p * self.repetitions + rep
                seed = self.seed + (rep if self.common_random_numbers else index)
                specs.append(RunSpec(index, p, rep, params, seed,
                                     self.out / name / f"rep-{rep + 1:02d}"))
        return specs

    def overrides(self, spec: RunSpec) -> list[str]:
        values = {**self.fixed, **spec.params, "seed": spec.seed}
        return [f"{k}={render_value(v)}" for k, v in values.items()]


def _folder_value(v) -> str:
    return str(v).replace("/", "_").replace(" ", "")


def _range(key: str, spec: dict, where: str) -> list:
    missing = {"start", "stop", "step"} - set(spec)
    if missing or set(spec) - {"start", "stop", "step"}:
        raise SweepError(f"{where}: grid.{key}: a range is {{start, stop, step}}")
    start, stop, step = spec["start"], spec["stop"], spec["step"]
    if not step or (stop - start) / step < 0:
        raise SweepError(f"{where}: grid.{key}: step {step} never gets from {start} to {stop}")
    count = int(math.floor((stop - start) / step + 1e-9)) + 1
    values = [start + i * step for i in range(count)]
    if all(isinstance(x, int) for x in (start, stop, step)):
        return values
    return [round(v, 12) for v in values]


def load_sweep(path, out_override=None) -> Sweep:
    """Reads and checks a sweep file; SweepError names the file, key and reason."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise SweepError(f"{path}: no such sweep file") from None
    except tomllib.TOMLDecodeError as e:
        raise SweepError(f"{path}: {e}") from None
    unknown = set(doc) - SWEEP_KEYS
    if unknown:
        raise SweepError(f"{path}: {sorted(unknown)[0]}: unknown key (expected one of "
                         f"{', '.join(sorted(SWEEP_KEYS))})")
    reps = doc.get("repetitions", 1)
    if not isinstance(reps, int) or reps < 1:
        raise SweepError(f"{path}: repetitions: must be an integer >= 1, got {reps!r}")
    grid = {}
    for key, values in doc.get("grid", {}).items():
        if isinstance(values, dict):
            values = _range(key, values, str(path))
        if not isinstance(values, list) or not values:
            raise SweepError(f"{path}: grid.{key}: give a non-empty list or a range")
        grid[key] = values
    scenario = doc.get("scenario")
    if scenario is not None:
        scenario = str((path.parent / scenario).resolve())
    out = Path(out_override or doc.get("out") or f"results/{path.stem}")
    sweep = Sweep(path, scenario, reps, int(doc.get("seed", 1)), out, dict(doc.get("set", {})),
                  grid, bool(doc.get("common_random_numbers", False)))
    _check_keys(sweep)
    return sweep


def _check_keys(sweep: Sweep) -> None:
    """Every fixed and grid value resolves against the scenario schema (fails before any run)."""
    from . import _core
    for params in sweep.points():
        spec = RunSpec(0, 0, 0, params, sweep.seed, sweep.out)
        try:
            _core.resolve_scenario(sweep.scenario, sweep.overrides(spec))
        except ValueError as e:
            raise SweepError(f"{sweep.source}: {e}") from None


def execute(scenario: str | None, overrides: list[str], folder: str, shared_dir: str) -> str:
    """Runs one point in this process into FOLDER.partial, then renames it to FOLDER."""
    from . import _core
    final = Path(folder)
    partial = final.with_name(final.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    _core.run_scenario(scenario, overrides, str(partial), shared_dir, False)
    if final.exists():
        shutil.rmtree(final)
    partial.rename(final)
    return folder


def write_index(sweep: Sweep, errors: dict[int, str]) -> Path:
    """OUT/index.csv: one row per run (point, rep, seed, folder, status, parameters, then every
    scalar of its summary.json), in sweep order."""
    rows = []
    for spec in sweep.runs():
        row = {"point": spec.point, "rep": spec.rep + 1, "seed": spec.seed,
               "folder": str(spec.folder.relative_to(sweep.out)),
               "status": "done" if spec.done else ("failed" if spec.index in errors else
                                                   "missing"),
               **spec.params}
        if spec.done:
            row.update(flatten(json.loads((spec.folder / "summary.json").read_text())))
        elif spec.index in errors:
            row["error"] = errors[spec.index]
        rows.append(row)
    path = sweep.out / "index.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _record(sweep: Sweep) -> None:
    sweep.out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sweep.source, sweep.out / "sweep.toml")


def _attempt(spec: RunSpec, run, errors: dict[int, str], log, who: str = "") -> None:
    """Calls `run()` for one run of the sweep; a failure is recorded and logged, the others go
    on."""
    try:
        run()
        log(f"  {who}done   {spec.folder}")
    except Exception as e:
        errors[spec.index] = str(e)
        log(f"  {who}FAILED {spec.folder}: {e}")


def _execute_spec(sweep: Sweep, spec: RunSpec, shared_dir: str) -> None:
    execute(sweep.scenario, sweep.overrides(spec), str(spec.folder), shared_dir)


def run_local(sweep: Sweep, jobs: int, shared_dir: str, log=print) -> dict[int, str]:
    runs = sweep.runs()
    pending = [s for s in runs if not s.done]
    log(f"sweep {sweep.source}: {len(sweep.points())} points x {sweep.repetitions} "
        f"repetitions = {len(runs)} runs; {len(runs) - len(pending)} already "
        f"finished, {len(pending)} to run with {jobs} worker{'s' if jobs != 1 else ''}")
    errors = {}
    if jobs <= 1:
        for spec in pending:
            _attempt(spec, lambda: _execute_spec(sweep, spec, shared_dir), errors, log)
        return errors
    # One fresh process per run: ns-3's simulator is process-wide, and memory is returned.
    with ProcessPoolExecutor(max_workers=jobs, max_tasks_per_child=1) as pool:
        futures = {pool.submit(_execute_spec, sweep, s, shared_dir): s for s in pending}
        for f in as_completed(futures):
            _attempt(futures[f], f.result, errors, log)
    return errors


def run_mpi(sweep: Sweep, shared_dir: str, log=print) -> dict[int, str] | None:
    """Each rank runs every K-th pending run in-process; rank 0 gathers errors and returns them
    (other ranks return None)."""
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    rank, size = comm.Get_rank(), comm.Get_size()
    # Rank 0 decides what is pending, so that a run another rank finishes meanwhile cannot
    # shift the partition.
    runs = sweep.runs()
    todo = comm.bcast([s.index for s in runs if not s.done] if rank == 0 else None, root=0)
    pending = [runs[i] for i in todo]
    if rank == 0:
        log(f"sweep {sweep.source}: {len(runs)} runs, {len(pending)} to run on {size} MPI ranks")
    errors = {}
    for spec in pending[rank::size]:
        _attempt(spec, lambda: _execute_spec(sweep, spec, shared_dir), errors, log,
                 f"rank {rank}: ")
    gathered = comm.gather(errors, root=0)
    if rank != 0:
        return None
    return {k: v for part in gathered for k, v in part.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sessionsim sweep", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sweep", help="sweep file (TOML)")
    parser.add_argument("--out", help="results folder (overrides the file's out)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes on this machine")
    parser.add_argument("--mpi", action="store_true", help="spread runs over MPI ranks")
    parser.add_argument("--shared-dir", default=None, help="folder holding data/")
    parser.add_argument("--dry-run", action="store_true", help="list the runs and exit")
    args = parser.parse_args(argv)
    from . import _core
    shared_dir = args.shared_dir or _core.default_shared_dir
    try:
        sweep = load_sweep(args.sweep, args.out)
    except SweepError as e:
        print(f"sessionsim sweep: {e}", file=sys.stderr)
        return 2
    if args.dry_run:
        for s in sweep.runs():
            print(f"{'done' if s.done else 'todo'}  seed {s.seed}  {s.folder}  "
                  f"{' '.join(sweep.overrides(s))}")
        return 0
    log = lambda text: print(text, flush=True)  # noqa: E731
    if args.mpi:
        from mpi4py import MPI
        if MPI.COMM_WORLD.Get_rank() == 0:
            _record(sweep)
        MPI.COMM_WORLD.Barrier()
        errors = run_mpi(sweep, shared_dir, log)
        if errors is None:
            return 0
    else:
        _record(sweep)
        errors = run_local(sweep, max(1, args.jobs), shared_dir, log)
    index = write_index(sweep, errors)
    done = sum(s.done for s in sweep.runs())
    log(f"index: {index} ({done} of {len(sweep.runs())} runs done"
        f"{f', {len(errors)} failed' if errors else ''})")
    return 1 if errors else 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `... | head` ends quietly
    sys.exit(main())
