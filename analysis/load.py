"""Loads one or many results folders: finds the runs (folders with summary.json), and joins each
run's configuration and summary into one table, or its CSV tables into one long table."""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass
class Run:
    """One run's folder, its resolved configuration and its summary."""
    folder: Path
    config: dict = field(repr=False)
    summary: dict = field(repr=False)

    def value(self, key: str, default=None):
        """A config key by dotted path ("adversary.fraction")."""
        return dig(self.config, key, default)

    def metric(self, path: str, default=None):
        """A summary value by dotted path ("messages.delivery_ratio")."""
        return dig(self.summary, path, default)

    def table(self, name: str) -> pd.DataFrame | None:
        path = self.folder / f"{name}.csv"
        return pd.read_csv(path) if path.is_file() else None


def dig(tree, path: str, default=None):
    node = tree
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def read_run(folder) -> Run:
    folder = Path(folder)
    summary = json.loads((folder / "summary.json").read_text())
    config_path = folder / "config.toml"
    config = tomllib.loads(config_path.read_text()) if config_path.is_file() else {}
    return Run(folder, config, summary)


def find_runs(paths) -> list[Run]:
    """Every run folder at or below `paths` (a results folder, a sweep's or --runs' parent),
    in path order. ValueError if there is none."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    folders = []
    for p in map(Path, paths):
        if not p.exists():
            raise ValueError(f"{p}: no such results folder")
        folders += [s.parent for s in sorted(p.rglob("summary.json"))]
    if not folders:
        raise ValueError(f"no results folders (with summary.json) under {', '.join(map(str, paths))}")
    seen, runs = set(), []
    for f in folders:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            runs.append(read_run(f))
    return runs


def flatten(tree: dict, prefix: str = "", lists: bool = False) -> dict:
    """Nested dicts to dotted keys ({"a": {"b": 1}} -> {"a.b": 1}). Lists are left out unless
    `lists` (in summaries they are per-row data, not scalars)."""
    flat = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, path + ".", lists))
        elif lists or not isinstance(value, list):
            flat[path] = value
    return flat


def varying_keys(runs: list[Run], ignore=("seed",)) -> list[str]:
    """Config keys whose values differ between the runs (the parameters of a sweep)."""
    configs = [flatten(r.config) for r in runs]
    keys = sorted(set().union(*configs)) if configs else []
    return [k for k in keys if k not in ignore and len({repr(c.get(k)) for c in configs}) > 1]


def runs_table(runs: list[Run]) -> pd.DataFrame:
    """One row per run: folder, seed, the varying config keys, and every scalar in summary.json
    (dotted column names, e.g. "messages.delivery_ratio")."""
    params = varying_keys(runs)
    rows = []
    for r in runs:
        row = {"folder": str(r.folder), "seed": r.value("seed"), **_params_of(r, params)}
        row.update(flatten(r.summary))
        rows.append(row)
    return pd.DataFrame(rows)


def _params_of(run: Run, params: list[str]) -> dict:
    config = flatten(run.config)
    return {k: config.get(k) for k in params}


def long_table(runs: list[Run], name: str, params=None) -> pd.DataFrame:
    """The `<name>.csv` tables of all runs stacked, with folder, seed and the varying config
    keys as columns; an empty DataFrame when no run has the table."""
    params = varying_keys(runs) if params is None else params
    frames = []
    for r in runs:
        t = r.table(name)
        if t is None:
            continue
        t = t.assign(folder=str(r.folder), seed=r.value("seed"), **_params_of(r, params))
        frames.append(t)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
