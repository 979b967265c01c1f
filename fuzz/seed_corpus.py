#!/usr/bin/python3
"""Seeds each fuzz target's corpus from the project's test vectors (../shared/vectors), the
scenario files and the hand-written seeds in fuzz/seeds/<target>/.

Usage: fuzz/seed_corpus.py VECTORS_DIR OUT_DIR    (writes OUT_DIR/<target>/<sha1 of input>)
"""
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEX = re.compile(r"^(?:[0-9a-f]{2}){8,}$")


def strings(node, key=""):
    """Every (key, string) in a JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v, key)
    elif isinstance(node, str):
        yield key, node


def vector_inputs(vectors: Path) -> dict:
    seeds = {t: [] for t in ("onion_entry", "onion_layer", "storage_rpc", "bencode_v4",
                             "mnemonic", "message_open", "scenario")}
    for path in sorted(vectors.glob("*.json")):
        for key, value in strings(json.loads(path.read_text())):
            if "words" in key or "phrase" in key:
                seeds["mnemonic"].append(value.encode())
            elif key.endswith("_utf8") and value.startswith("{"):
                seeds["storage_rpc"].append(value.encode())
                seeds["onion_layer"].append(value.encode())
            elif HEX.match(value):
                blob = bytes.fromhex(value)
                if path.stem == "session_encrypt":
                    seeds["message_open"].append(blob)
                elif path.stem == "onion":
                    seeds["onion_entry"].append(blob)
                    seeds["onion_layer"].append(blob)
    for toml in sorted((ROOT / "scenarios").glob("*.toml")):
        seeds["scenario"].append(toml.read_bytes())
    for target in seeds:
        for seed in sorted((ROOT / "fuzz" / "seeds" / target).glob("*")):
            seeds[target].append(seed.read_bytes())
    return seeds


def main(argv) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[1])
    for target, inputs in vector_inputs(Path(argv[0])).items():
        folder = out / target
        folder.mkdir(parents=True, exist_ok=True)
        for data in inputs:
            (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
        print(f"{target}: {len(set(inputs))} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
