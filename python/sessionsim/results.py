"""A results folder as Python objects: summary.json as a dict, every CSV table as a pandas
DataFrame (read when first asked for), config.toml and provenance.json as dicts."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pandas as pd


class Results:
    """One run's results folder (what `sessionsim run` or `Scenario.run` wrote).

        r = load_results("results/default")
        r.summary["messages"]["delivery_ratio"]
        r.messages          # messages.csv as a DataFrame; r.table("requests") likewise
        r.tables            # names of every table in the folder
    """

    def __init__(self, folder):
        self.folder = Path(folder)
        if not (self.folder / "summary.json").is_file():
            raise ValueError(f"{self.folder}: not a results folder (no summary.json)")
        self._frames: dict[str, pd.DataFrame] = {}

    @property
    def summary(self) -> dict:
        return json.loads((self.folder / "summary.json").read_text())

    @property
    def config(self) -> dict:
        with open(self.folder / "config.toml", "rb") as f:
            return tomllib.load(f)

    @property
    def provenance(self) -> dict:
        return json.loads((self.folder / "provenance.json").read_text())

    @property
    def tables(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.csv"))

    def table(self, name: str) -> pd.DataFrame:
        """`<name>.csv` as a DataFrame; KeyError naming the tables there if it is missing."""
        if name not in self._frames:
            path = self.folder / f"{name}.csv"
            if not path.is_file():
                raise KeyError(f"{self.folder}: no table '{name}' (has: {', '.join(self.tables)})")
            self._frames[name] = pd.read_csv(path)
        return self._frames[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.table(name)
        except KeyError as e:
            raise AttributeError(str(e)) from None

    def __repr__(self) -> str:
        return f"Results({str(self.folder)!r}, tables={self.tables})"


def load_results(folder) -> Results:
    return Results(folder)
