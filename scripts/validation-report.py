#!/usr/bin/python3
"""Regenerate docs/validation.md: the simulator's Monte Carlo against the closed forms.

Runs the CTest tests labelled `validation` (tests/sim/*validation*, the churn, registry and
anonymity-metric tests), which print one `[validation]` line per check ("WHAT: measured M,
expected E, interval +/- W" followed by ", n N, standard error S" for a Monte Carlo estimate or
", exact" for a deterministic value; see tests/support/validation.h) and fail when
|M - E| > W. From n and the standard error the page states each check's power. The
seeds are fixed, so the page is the same on every run of the same code; the docs test fails when
the committed page is not what this build prints.

    scripts/validation-report.py                 # rewrite docs/validation.md (minutes)
    scripts/validation-report.py --stdout        # print it instead
    scripts/validation-report.py --reuse-log     # re-render from the last run's test log (seconds;
                                                 # after recording a transport agreement)
    scripts/validation-report.py --from-ctest-log build/ctest-last-output.log
                                                 # from scripts/test-all.sh's ctest run, if it ran
                                                 # every validation test of this build
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHECK = re.compile(r"^(?P<what>.*): measured (?P<m>\S+), expected (?P<e>\S+), "
                   r"interval \+/- (?P<w>[^,\s]+)"
                   r"(?:, n (?P<n>[^,\s]+), standard error (?P<se>[^,\s]+)|, (?P<exact>exact))?$")
LINE = re.compile(r"^(?P<n>\d+): \[validation\] (?P<text>.*)$")
COMMAND = re.compile(r'^(?P<n>\d+): Test command: \S+ "--gtest_filter=(?P<name>[^"]+)"')
# A parameterised test's name is followed by "  # GetParam() = ..." before the dots.
RESULT = re.compile(r"Test\s+#(?P<n>\d+): (?P<name>\S+)(?:\s+#.*?)? \.+\**\s*(?P<status>\w+)")
V_NUMBER = re.compile(r"^(V\d+)\b\s*")
# The one-sided 90% normal quantile (tests/support/validation.h's kZPower).
Z_POWER = 1.2816

TEST_DEFINITION = r"\bTEST(?:_F|_P)?\(\s*{suite}\s*,\s*{name}\s*\)"
AGREEMENT = ROOT / "docs" / "transport-agreement.json"


def gtest_sources() -> dict[str, str]:
    """The text of every GoogleTest file under tests/, by its path from the repository root."""
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
            for p in sorted((ROOT / "tests").rglob("*.cc"))}


def source_of(test: str, sources: dict[str, str]) -> str:
    """The file that defines GoogleTest test "Suite.Name" ("?" if none does); a parameterised
    test's "Instance/Suite.Name/Parameter" is defined as TEST_P(Suite, Name)."""
    suite, _, name = test.partition(".")
    suite, name = suite.rpartition("/")[2], name.partition("/")[0]
    pattern = re.compile(TEST_DEFINITION.format(suite=re.escape(suite), name=re.escape(name)))
    return next((path for path, text in sources.items() if pattern.search(text)), "?")

HEADER = """\
# Validation: measured against closed form

Every check below runs the simulator's own code (the churn models, the registry's quorum and
credit rules, swarm formation, path selection, the adversary's observations, the anonymity
metrics and both transport levels) in a Monte Carlo experiment or an exact scenario and
compares the measured value with a closed form or a published number from the metric
specification (`shared/reference/metrics-and-validation.md`; V-numbers are its validation
targets; the formulas are in the [metrics reference](metrics.md)).
A check passes when |measured − expected| is within the interval W. For a Monte Carlo
estimate from n independent trials with standard error se (from the closed form where there is
one, else from the sample), W = z·se with z = 4 (a false alarm per check of 6.3·10⁻⁵; the seeds
are fixed, so a check that passed once passes every time), plus, where a check says so, a stated
allowance for a bounded model granularity the closed form leaves out. For an exact value (no
sampling) W is a rounding tolerance.

**Power.** The *detectable bias* column is the smallest bias b of the simulator (its measured
value's mean moved from E to E ± b) that the check catches with probability at least 0.9, as a
fraction of |E|: the check fails when |M − E| > W, and with M ~ Normal(E + b, se²),
P(fail) ≥ Φ((b − W)/se) = 0.9 when **b = W + 1.2816·se**. For an exact value se = 0, so any
bias beyond b = W fails every time. A value of 2% means a simulator that is 2% off is caught
nine times in ten; smaller is stronger. Checks whose expected value is 0 state b in absolute
terms.

To see the checks fail, bias them: `SESSIONSIM_VALIDATION_BIAS=1.1` multiplies every measured
value by 1.1 before it is judged (a simulator 10% off), and
`SESSIONSIM_VALIDATION_BIAS=1.1 ctest --test-dir build -L validation` then fails every check whose
detectable bias is under 10% (and those a little above it, some of the time; a check
whose expected value is 0 cannot be biased this way).

This page is generated; do not edit it by hand. To regenerate it (a few minutes; seeds fixed,
so the same code gives the same page):

```sh
scripts/validation-report.py
```

`ctest --test-dir build -L validation --output-on-failure` runs the same checks as tests, and the
docs test (`tests/python/test_doc_commands.py`) fails when this page is not what the build prints.
"""


def run_validation_tests(build_dir: pathlib.Path, reuse_log: bool) -> str:
    """The output of `ctest -L validation -V`, kept in the build folder; with `reuse_log`, the
    output kept from the last run (the checks are deterministic, so it is the same page as long
    as the tests have not changed)."""
    kept = build_dir / "validation-ctest.log"
    if reuse_log:
        if not kept.exists():
            sys.exit(f"validation-report: {kept} does not exist: run once without --reuse-log")
        return kept.read_text(encoding="utf-8")
    proc = subprocess.run(
        ["ctest", "--test-dir", str(build_dir), "-L", "validation", "-V", "-j",
         os.environ.get("JOBS", "2")],
        capture_output=True, text=True)
    if "No tests were found" in proc.stdout + proc.stderr:
        sys.exit("validation-report: no tests labelled validation (is the build configured?)")
    kept.write_text(proc.stdout, encoding="utf-8")
    return proc.stdout


def verbose_from_last_test_log(text: str, names: set[str]) -> str:
    """CTest's Testing/Temporary/LastTest.log (kept by every ctest run, with every test's whole
    output) rewritten as the `ctest -V` lines render() reads, for the tests named `names`. The
    test run of scripts/test-all.sh has already run the validation tests: the docs test reads
    their output from it instead of running them again (minutes, in CI)."""
    out = []
    blocks = re.split(r"^\d+/\d+ Testing: ", text, flags=re.M)[1:]
    for n, block in enumerate(blocks, start=1):
        # A parameterised test's name is followed by "  # GetParam() = ...".
        name = block.split("\n", 1)[0].split()[0]
        if name not in names:
            continue
        output = block.split("Output:\n", 1)[-1].split("<end of output>", 1)[0]
        out.append(f'{n}: Test command: x "--gtest_filter={name}"')
        out.extend(f"{n}: {line}" for line in output.splitlines())
        status = "Passed" if "\nTest Passed." in block else "Failed"
        out.append(f"{n}/{len(blocks)} Test #{n}: {name} ....   {status}")
    return "\n".join(out) + "\n"


def validation_test_names(build_dir: pathlib.Path) -> set[str]:
    listed = subprocess.run(["ctest", "--test-dir", str(build_dir), "-N", "-L", "validation"],
                            capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"Test +#\d+: (\S+)", listed))


def reusable_ctest_output(path: pathlib.Path, build_dir: pathlib.Path) -> str | None:
    """The validation tests' output from a kept LastTest.log, as `ctest -V` lines, if the log
    is newer than every test program and ran every validation test; else None (and why, on
    stderr: the tests then run)."""
    programs = list((build_dir / "tests").glob("*_tests"))
    if programs and path.stat().st_mtime < max(p.stat().st_mtime for p in programs):
        print(f"validation-report: {path} is older than the test programs: running the tests",
              file=sys.stderr)
        return None
    names = validation_test_names(build_dir)
    text = path.read_text(encoding="utf-8", errors="replace")
    ran = set(re.findall(r"^\d+/\d+ Testing: (\S+)", text, flags=re.M))
    missing = sorted(names - ran)
    if missing:
        print(f"validation-report: {path} lacks {len(missing)} validation tests (e.g. "
              f"{missing[0]}): running them", file=sys.stderr)
        return None
    return verbose_from_last_test_log(text, names)


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
    kinds = collections.Counter()
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
            kinds[kind_of(m)] += 1
            rows.append(f"| {target} | {what.replace('|', '¦')} | {m['m']} | {m['e']} | "
                        f"± {m['w']} | {sample_size(m)} | {detectable_bias(m)} | "
                        f"{'yes' if inside else '**no**'} |")
        summary.append((test, source[n], len(rows), status.get(n, "?")))
        body.append(f"\n## {test}\n\n`{source[n]}` — test {status.get(n, 'not run').lower()}.\n")
        if rows:
            body.append("| target | check | measured | expected | interval | n | "
                        "detectable bias | within |")
            body.append("|---|---|---:|---:|---:|---:|---:|---|")
            body.extend(rows)
        if notes:
            body.append("")
            body.extend(f"- {note}" for note in notes)
    out.append(f"**{passed} of {checks} checks within their interval**, in {len(summary)} tests: "
               f"{kinds['estimate']} Monte Carlo estimates with their sample size, "
               f"{kinds['exact']} exact values"
               + (f", {kinds['bare']} with a bare interval (no sample size, no power stated)"
                  if kinds["bare"] else "") + ".\n")
    out.append("| test | file | checks | result |")
    out.append("|---|---|---:|---|")
    for test, source, count, result in summary:
        out.append(f"| [{test}](#{anchor(test)}) | `{source}` | {count} | {result} |")
    out.extend(body)
    return "\n".join(out) + "\n", checks, passed


def kind_of(check: re.Match) -> str:
    """"estimate" (n and standard error given), "exact", or "bare" (an interval alone)."""
    return "estimate" if check["n"] else "exact" if check["exact"] else "bare"


def sample_size(check: re.Match) -> str:
    if check["n"]:
        return f"{float(check['n']):,.0f}"
    return "exact" if check["exact"] else "?"


def detectable_bias(check: re.Match) -> str:
    """The smallest bias caught with probability 0.9, W + 1.2816 se, relative to |E|."""
    if kind_of(check) == "bare":
        return "?"
    bias = float(check["w"]) + (Z_POWER * float(check["se"]) if check["n"] else 0)
    expected = abs(float(check["e"]))
    if expected == 0:
        return f"{bias:.3g} (absolute)"
    relative = bias / expected
    return f"{relative:.2%}" if relative >= 1e-4 else f"{relative:.1e}"


def agreement_rows() -> list[dict]:
    """The recorded agreements, the largest runs first."""
    rows = json.loads(AGREEMENT.read_text(encoding="utf-8")) if AGREEMENT.exists() else []
    return sorted(rows, key=lambda r: (-r["service_nodes"], -r["clients"], r["run"]))


AGREEMENT_HEADER = """
## Transport levels: agreement on whole runs

Each row ran one scenario and seed at both transport levels (`network.transport` = `packet`,
ns-3's TCP/IP, the reference, and `message`, the modelled connections; [transport](transport.md))
with `scripts/transport-compare.sh`, and was recorded in `docs/transport-agreement.json` by
`scripts/transport-agreement-record.py OUT --run "..."`. This page shows the record and judges it
again; it does not rerun the runs (the largest take hours: the command is in the JSON). The
version is the build's `git describe`; "-dirty" means the build had uncommitted changes, the
work of the session that made the run, committed after it (`ca32ef8-dirty` is the code of
`50d7bc4`). A row measured after a change to the message level alone may reuse the packet
level's runs of an earlier version, whose packet level gives byte-identical results: the
version column then names both. Ratios are message / packet. A row is within its targets when every median ratio is within
{median:.0%} of 1, every 90th-percentile ratio within {p90:.0%}, every KS distance at most
{ks}, and every count's difference (delivered, lost, requests answered, files) within its 95%
binomial interval. The closed forms both levels must meet exactly are the checks of
`tests/sim/transport_exact_validation_test.cc` above; a CI-sized agreement runs as
`TransportAgreementValidation`.

**{within} of {rows} whole runs within their targets.**

| run | version | onion RTT: median, p90, KS (n) | delivery delay: median, p90, KS (n) | attachments: upload, download (median, p90, KS) | delivered, lost (packet / message of n) | within | events, wall s, peak MiB (packet / message) |
|---|---|---|---|---|---|---|---|
"""


def short_version(described: str) -> str:
    """git describe's commit, "-dirty" if the build had uncommitted changes."""
    commit = described.split("+")[-1]
    return commit[:7] + ("-dirty" if commit.endswith("-dirty") else "")


def sample_within(sample: dict, targets: dict) -> bool:
    return (abs(sample["median_ratio"] - 1) <= targets["median_ratio"] + 1e-12
            and abs(sample["p90_ratio"] - 1) <= targets["p90_ratio"] + 1e-12
            and sample["ks_distance"] <= targets["ks_distance"] + 1e-12)


def render_agreement(rows: list[dict]) -> tuple[str, int]:
    """The agreement table of docs/transport-agreement.json, each row judged against its
    targets; returns the section and how many rows are within them."""
    if not rows:
        return "", 0
    within_rows, lines = 0, []
    for row in rows:
        targets = row["targets"]
        measured = [v for v in row.values() if isinstance(v, dict)]
        within = all(sample_within(v, targets) for v in measured if "n_packet" in v)
        within = within and all(abs(v["difference"]) <= v["interval_95"] + 1e-12
                                for v in measured if "interval_95" in v)
        within_rows += within

        def sample(key: str) -> str:
            c = row.get(key)
            if not c:
                return "-"
            n = (f"{c['n_packet']:,}" if c["n_packet"] == c["n_message"]
                 else f"{c['n_packet']:,} / {c['n_message']:,}")
            return f"{c['median_ratio']:.3f}, {c['p90_ratio']:.3f}, {c['ks_distance']:.4f} ({n})"

        files = "; ".join(f"{c['median_ratio']:.3f}, {c['p90_ratio']:.3f}, {c['ks_distance']:.4f}"
                          for c in (row.get("upload_time"), row.get("download_time")) if c)
        counts = ", ".join(f"{row[k]['packet']:,} / {row[k]['message']:,}"
                           for k in ("delivered", "lost"))
        counts += f" of {row['delivered']['packet_of']:,}"
        cost = " / ".join(f"{c['events'] / 1e6:.1f} M, {c['wall_clock_s']:,.0f}, "
                          f"{c['peak_rss_mib']:,.0f}" for c in (row["cost"]["packet"],
                                                               row["cost"]["message"]))
        version = f"`{short_version(row['version'])}`"
        if "packet_version" in row:  # a message-level change measured against earlier packet runs
            version += f" (packet: `{short_version(row['packet_version'])}`)"
        lines.append(f"| {row['run']} | {version} | {sample('onion_rtt')} | "
                     f"{sample('delivery_delay')} | {files or '-'} | {counts} | "
                     f"{'yes' if within else '**no**'} | {cost} |")
    targets = rows[0]["targets"]
    header = AGREEMENT_HEADER.format(median=targets["median_ratio"], p90=targets["p90_ratio"],
                                     ks=targets["ks_distance"], within=within_rows,
                                     rows=len(rows))
    return header + "\n".join(lines) + "\n", within_rows


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
    parser.add_argument("--reuse-log", action="store_true",
                        help="render from the test output the last run kept, without the tests")
    parser.add_argument("--from-ctest-log", type=pathlib.Path, metavar="LAST_TEST_LOG",
                        help="render from a ctest run's Testing/Temporary/LastTest.log that ran "
                             "every validation test, without the tests")
    args = parser.parse_args()
    log = None
    if args.from_ctest_log and args.from_ctest_log.exists():
        log = reusable_ctest_output(args.from_ctest_log, args.build_dir)
    if log is None:
        log = run_validation_tests(args.build_dir, args.reuse_log)
    page, checks, passed = render(log)
    rows = agreement_rows()
    agreement, agreeing = render_agreement(rows)
    page += agreement
    if args.stdout:
        sys.stdout.write(page)
    else:
        args.output.write_text(page, encoding="utf-8")
        print(f"{args.output}: {passed} of {checks} checks within their interval; "
              f"{agreeing} of {len(rows)} whole-run agreements within their targets")
    # A recorded disagreement is a finding shown on the page, not a failing check.
    return 0 if checks and passed == checks else 1


if __name__ == "__main__":
    sys.exit(main())
