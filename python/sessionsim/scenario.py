"""Scenarios from Python: load a TOML file or a dict, override keys, run in-process.

    sc = Scenario.load("scenarios/default.toml").set("network.clients", 50)
    results = sc.run("results/py-run")          # the GIL is released while ns-3 runs
    results.summary, results.messages

Keys and values are checked by the same schema as `sessionsim run --set` (ValueError naming the
file, key and reason); `sessionsim.Scenario.keys()` lists them all.
"""
from __future__ import annotations

import json
import tempfile
import tomllib
import warnings
from pathlib import Path

from . import _core
from .analysis.load import flatten
from .results import Results


def render_value(value) -> str:
    """A Python value as the TOML text `--set key=value` takes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string
    if isinstance(value, (list, tuple)):  # list-valued keys (sweep.values) are comma lists
        return json.dumps(", ".join(str(v) for v in value))
    raise ValueError(f"cannot use {type(value).__name__} {value!r} as a scenario value")


class Scenario:
    def __init__(self, path=None, overrides=None):
        self.path = str(path) if path is not None else None
        self._overrides: dict[str, str] = dict(overrides or {})
        self.resolve()  # fail now, with the file, key and reason, not at run time

    @classmethod
    def load(cls, path) -> "Scenario":
        """A scenario file (see scenarios/)."""
        return cls(path)

    @classmethod
    def default(cls) -> "Scenario":
        """The built-in default scenario (what `sessionsim run` runs without a file)."""
        return cls(None)

    @classmethod
    def from_dict(cls, values: dict, base=None) -> "Scenario":
        """Keys over the defaults (or over the file `base`), nested or dotted."""
        sc = cls(base)
        return sc.update(values)

    @staticmethod
    def keys() -> list[dict]:
        """Every key: type, default, range, choices and meaning (`sessionsim run --list-keys`)."""
        return _core.scenario_keys()

    def set(self, key: str, value) -> "Scenario":
        """Overrides one key (checked at once); returns the scenario for chaining."""
        previous = self._overrides.get(key)
        self._overrides[key] = render_value(value)
        try:
            self.resolve()
        except ValueError:
            if previous is None:
                del self._overrides[key]
            else:
                self._overrides[key] = previous
            raise
        return self

    def update(self, values: dict) -> "Scenario":
        for key, value in flatten(values, lists=True).items():
            self.set(key, value)
        return self

    @property
    def overrides(self) -> list[str]:
        """The overrides as `--set` arguments, in the order given."""
        return [f"{k}={v}" for k, v in self._overrides.items()]

    def resolve(self) -> str:
        """The fully resolved scenario (every key, defaults included) as TOML."""
        return _core.resolve_scenario(self.path, self.overrides)

    def to_dict(self) -> dict:
        return tomllib.loads(self.resolve())

    def __getitem__(self, key: str):
        node = self.to_dict()
        for part in key.split("."):
            node = node[part]
        return node

    def run(self, out=None, *, seed: int | None = None, progress: bool = False,
            shared_dir: str | None = None) -> Results:
        """Runs the scenario in this process (one simulation at a time) and returns its
        results. `out` defaults to a new temporary folder."""
        if self["sweep.key"]:
            warnings.warn(f"{self.path}: its [sweep] table ({self['sweep.key']}) is not run by "
                          "Scenario.run, which runs the base scenario once; set the key, or use "
                          "a sweep file (sessionsim.sweep)", stacklevel=2)
        overrides = self.overrides + ([f"seed={int(seed)}"] if seed is not None else [])
        folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="sessionsim-"))
        _core.run_scenario(self.path, overrides, str(folder),
                           shared_dir or _core.default_shared_dir, progress)
        return Results(folder)

    def __repr__(self) -> str:
        return f"Scenario({self.path!r}, overrides={self.overrides})"
