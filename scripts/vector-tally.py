#!/usr/bin/python3
"""The conformance-vector tally: entries the tests checked against entries the files hold.

Every test that checks shared/vectors entries records how many (tests/support/vectors.h) in
build/vector-tally/<test>.tsv: "checked PART N" or "skipped PART N CAPABILITY". This script sums
them per vector file and compares with the number of entries each file holds, counted here from
the files themselves, so a test that silently stops checking (a renamed case, an early return,
an entry added to a file and never read) fails the run.

    scripts/vector-tally.py build/vector-tally ../shared/vectors [--strict]

Exit 1 when checked + skipped differs from a file's count, or (--strict) when any entry was
skipped for a capability SESSIONSIM_REQUIRE lists. Prints the table and one summary line.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pathlib
import re
import sys


def _list(key: str):
    return lambda data: len(data[key])


def _onion(data) -> int:
    # Official entries: each cipher's ciphertext (single layer) or blob (entry request); the
    # derived 3-hop requests: each layer, the guard's request and the reply.
    cipher_field = re.compile(r"^(blob_(aes_gcm|xchacha20)|(aes_gcm|xchacha20)_ciphertext)$")
    official = sum(1 for entry in data["official"] for key in entry if cipher_field.match(key))
    derived = sum(len(v["layers_innermost_first"]) + 2 for v in data["derived_multi_hop"])
    return official + derived


def _new_swarm_id(data) -> int:
    # The sequence from empty, then the 10,000-step run's final count and its sampled ids.
    run = data["deterministic_add_remove"]
    return len(data["sequence_from_empty"]) + 1 + len(run["ids_at_index"])


def _rebalance(data) -> int:
    # Every node's swarm after every scenario.
    return sum(len(members) for scenario in data["results_swarm_id_to_member_pubkeys"].values()
               for members in scenario.values())


ENTRIES = {
    "identity.json": _list("vectors"),
    "message_hash.json": _list("vectors"),
    "mnemonic.json": _list("vectors"),
    "onion.json": _onion,
    "session_encrypt.json": _list("vectors"),
    "snode_auth_signatures.json": _list("vectors"),
    "swarm_new_id.json": _new_swarm_id,
    "swarm_rebalance_derived.json": _rebalance,
    "swarm_selection.json": _list("vectors"),
    "swarm_space.json": _list("vectors"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tally_dir", type=pathlib.Path)
    parser.add_argument("vectors_dir", type=pathlib.Path)
    parser.add_argument("--strict", action="store_true",
                        help="fail when entries were skipped for a capability SESSIONSIM_REQUIRE lists")
    args = parser.parse_args()

    checked: dict[str, int] = collections.Counter()
    skipped: dict[str, int] = collections.Counter()
    skip_reasons: dict[str, set[str]] = collections.defaultdict(set)
    parts: dict[str, int] = collections.Counter()
    for tsv in sorted(args.tally_dir.glob("*.tsv")) if args.tally_dir.is_dir() else []:
        for line in tsv.read_text().splitlines():
            kind, part, count, *capability = line.split("\t")
            file_name = part.split()[0]
            if kind == "checked":
                checked[file_name] += int(count)
                parts[part] += int(count)
            else:
                skipped[file_name] += int(count)
                skip_reasons[file_name].update(capability)

    required = set(filter(None, os.environ.get("SESSIONSIM_REQUIRE", "").split(",")))
    problems = []
    files = sorted(p.name for p in args.vectors_dir.glob("*.json"))
    print("Conformance vectors (shared/vectors): entries checked by the tests")
    print(f"  {'file':34} {'entries':>8} {'checked':>8} {'skipped':>8}")
    for name in files:
        if name not in ENTRIES:
            problems.append(f"{name}: no rule in scripts/vector-tally.py for counting its entries")
            continue
        expected = ENTRIES[name](json.loads((args.vectors_dir / name).read_text()))
        note = ""
        if skipped[name]:
            note = "  (skipped: no " + ", ".join(sorted(skip_reasons[name])) + ")"
        print(f"  {name:34} {expected:8d} {checked[name]:8d} {skipped[name]:8d}{note}")
        if checked[name] + skipped[name] != expected:
            problems.append(f"{name}: {checked[name]} checked + {skipped[name]} skipped, "
                            f"but the file holds {expected}")
        if args.strict and skip_reasons[name] & required:
            problems.append(f"{name}: {skipped[name]} skipped for want of "
                            f"{', '.join(sorted(skip_reasons[name] & required))}, which this "
                            "machine has (SESSIONSIM_REQUIRE)")
    for name in sorted(set(checked) | set(skipped)):
        if name not in files:
            problems.append(f"{name}: tests recorded entries of a file that is not in "
                            f"{args.vectors_dir}")
    total = sum(ENTRIES[n](json.loads((args.vectors_dir / n).read_text()))
                for n in files if n in ENTRIES)
    summary = (f"vectors: {sum(checked.values())} of {total} entries checked, "
               f"{sum(skipped.values())} skipped")
    for problem in problems:
        print("  MISMATCH " + problem)
    print("  " + summary + ("" if not problems else f", {len(problems)} mismatches"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
