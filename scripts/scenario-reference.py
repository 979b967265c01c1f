#!/usr/bin/python3
"""Writes docs/scenario-reference.md, the scenario-file reference, from the simulator's own
schema (every key: type, default, range or choices, meaning). The test suite fails when the
committed page differs from what this writes, so run it after changing sim/scenario/schema.cc.

Usage: PYTHONPATH=build/python scripts/scenario-reference.py [OUT]   (default docs/scenario-reference.md)
"""
from __future__ import annotations

import sys
from pathlib import Path

HEADER = """# Scenario-file reference

Every key a scenario file (TOML) or `--set KEY=VALUE` accepts, generated from the simulator's
schema (`sim/scenario/schema.cc`) by `scripts/scenario-reference.py`. A key `table.name` is
`name` in the file's `[table]`. `sessionsim run --list-keys` prints the same list. A key outside
this list, a value of the wrong type, out of range or not among the choices stops the run with
the file, key and reason.
"""


def cell(text: str) -> str:
    return text.replace("|", "\\|")  # a pipe inside a table cell


def limits(k: dict) -> str:
    if k["choices"]:
        return ", ".join(f"`{c}`" for c in k["choices"])
    parts = []
    if k["min"] is not None:
        parts.append(f"{k['min']:g}")
    if k["max"] is not None:
        parts.append(f"{k['max']:g}")
    return " to ".join(parts) if len(parts) == 2 else ""


def render(keys: list[dict]) -> str:
    out = [HEADER]
    table = None
    for k in keys:
        name = k["key"]
        section = name.split(".", 1)[0] if "." in name else ""
        if section != table:
            table = section
            out.append(f"\n## {'[' + section + ']' if section else 'Top level'}\n")
            out.append("| key | type | default | range or choices | meaning |")
            out.append("|---|---|---|---|---|")
        out.append(f"| `{name}` | {k['type']} | `{cell(k['default'])}` | {cell(limits(k))} | "
                   f"{cell(k['meaning'])} |")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    from sessionsim import _core  # the built module (PYTHONPATH=build/python)

    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / \
        "scenario-reference.md"
    out.write_text(render(_core.scenario_keys()))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
