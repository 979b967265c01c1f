#!/usr/bin/python3
"""Regenerate docs/validation.md: the simulator's Monte Carlo against the closed forms.

Runs the CTest tests labelled `validation` (tests/sim/*validation*, the churn, registry and
anonymity-metric tests), which print one `[validation]` line per check ("WHAT: measured M,
expected E, interval +/- W", see tests/support/validation.h) and fail when |M - E| > W. The
seeds are fixed, so the page is the same on every run of the same code; the docs test fails when
the committed page is not what this build prints.

    scripts/validation-report.py                 # rewrite docs/validation.md (about 15 s)
    scripts/validation-report.py --stdout        # print it instead
"""

from __future__ import annotations

import argparse
import collections
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHECK = re.compile(r"^(?P<what>.*): measured (?P<m>\S+), expected (?P<e>\S+), "
                   r"interval \+/- (?P<w>\S+)$")
LINE = re.compile(r"^(?P<n>\d+): \[validation\] (?P<text>.*)$")
COMMAND = re.compile(r'^(?P<n>\d+): Test command: \S+ "--gtest_filter=(?P<name>[^"]+)"')
RESULT = re.compile(r"Test\s+#(?P<n>\d+): (?P<name>\S+) \.+\**\s*(?P<status>\w+)")
V_NUMBER = re.compile(r"^(V\d+)\b\s*")

TEST_DEFINITION = r"\bTEST(?:_F|_P)?\(\s*{suite}\s*,\s*{name}\s*\)"


def gtest_sources() -> dict[str, str]:
    """The text of every GoogleTest file under tests/, by its path from the repository root."""
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
            for p in sorted((ROOT / "tests").rglob("*.cc"))}


def source_of(test: str, sources: dict[str, str]) -> str:
    """The file that defines GoogleTest test "Suite.Name" ("?" if none does)."""
    suite, _, name = test.partition(".")
    pattern = re.compile(TEST_DEFINITION.format(suite=re.escape(suite), name=re.escape(name)))
    return next((path for path, text in sources.items() if pattern.search(text)), "?")

HEADER = """\
# Validation: measured against closed form

Every check below runs the simulator's own code (the churn models, the registry's quorum and
credit rules, swarm formation, path selection, the adversary's observations and the anonymity
metrics) in a Monte Carlo experiment and compares the measured value with a closed form or a
published number from the metric specification (`shared/reference/metrics-and-validation.md`;
V-numbers are its validation targets; the formulas are in the [metrics reference](metrics.md)).
A check passes when |measured − expected| is within the interval: a 99.9% interval (z = 3.29)
for Monte Carlo estimates, a rounding tolerance for exact values.

This page is generated; do not edit it by hand. To regenerate it (about 15 s, seeds fixed, so
the same code gives the same page):

```sh
scripts/validation-report.py
```

`ctest --test-dir build -L validation --output-on-failure` runs the same checks as tests, and the
docs test (`tests/python/test_doc_commands.py`) fails when this page is not what the build prints.
"""


def run_validation_tests(build_dir: pathlib.Path) -> str:
    proc = subprocess.run(
        ["ctest", "--test-dir", str(build_dir), "-L", "validation", "-V", "-j",
         os.environ.get("JOBS", "2")],
        capture_output=True, text=True)
    if "No tests were found" in proc.stdout + proc.stderr:
        sys.exit("validation-report: no tests labelled validation (is the build configured?)")
    return proc.stdout


def render(log: str) -> tuple[str, int, int]:
    lines = collections.defaultdict(list)
    name, status = {}, {}
    for raw in log.splitlines():
        if m := LINE.match(raw):
            lines[int(m["n"])].append(m["text"])
        elif m := COMMAND.match(raw):
            name[int(m["n"])] = m["name"]
        if m := RESULT.search(raw):
            status[int(m["n"])] = m["status"]
    out = [HEADER]
    checks = passed = 0
    body = []
    summary = []
    sources = gtest_sources()
    source = {n: source_of(name.get(n, ""), sources) for n in lines}
    for n in sorted(lines, key=lambda k: (source[k], name.get(k, ""))):
        test = name.get(n, f"test {n}")
        rows, notes = [], []
        for text in lines[n]:
            m = CHECK.match(text)
            if not m:
                notes.append(text)
                continue
            what = m["what"]
            target = ""
            if v := V_NUMBER.match(what):
                target, what = v.group(1), what[v.end():]
            inside = abs(float(m["m"]) - float(m["e"])) <= float(m["w"])
            checks += 1
            passed += inside
            rows.append(f"| {target} | {what.replace('|', '¦')} | {m['m']} | {m['e']} | "
                        f"± {m['w']} | {'yes' if inside else '**no**'} |")
        summary.append((test, source[n], len(rows), status.get(n, "?")))
        body.append(f"\n## {test}\n\n`{source[n]}` — test {status.get(n, 'not run').lower()}.\n")
        if rows:
            body.append("| target | check | measured | expected | interval | within |")
            body.append("|---|---|---:|---:|---:|---|")
            body.extend(rows)
        if notes:
            body.append("")
            body.extend(f"- {note}" for note in notes)
    out.append(f"**{passed} of {checks} checks within their interval**, in {len(summary)} tests.\n")
    out.append("| test | file | checks | result |")
    out.append("|---|---|---:|---|")
    for test, source, count, result in summary:
        out.append(f"| [{test}](#{anchor(test)}) | `{source}` | {count} | {result} |")
    out.extend(body)
    return "\n".join(out) + "\n", checks, passed


def anchor(heading: str) -> str:
    """The id Python-Markdown's toc extension gives a heading."""
    slug = re.sub(r"[^\w\s-]", "", heading.lower()).strip()
    return re.sub(r"[-\s]+", "-", slug)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", type=pathlib.Path,
                        default=pathlib.Path(os.environ.get("BUILD_DIR", ROOT / "build")))
    parser.add_argument("--stdout", action="store_true", help="print the page, write nothing")
    parser.add_argument("--output", type=pathlib.Path, default=ROOT / "docs" / "validation.md")
    args = parser.parse_args()
    page, checks, passed = render(run_validation_tests(args.build_dir))
    if args.stdout:
        sys.stdout.write(page)
    else:
        args.output.write_text(page, encoding="utf-8")
        print(f"{args.output}: {passed} of {checks} checks within their interval")
    return 0 if checks and passed == checks else 1


if __name__ == "__main__":
    sys.exit(main())
