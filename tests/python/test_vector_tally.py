"""scripts/vector-tally.py: the tests' tally against the entries the vector files hold."""

import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "vector-tally.py"
VECTORS = ROOT.parent / "shared" / "vectors"

# What the files hold, counted by hand from shared/vectors (see the script's rules).
FULL = {
    "identity.json": 12, "message_hash.json": 7, "mnemonic.json": 13, "onion.json": 16,
    "session_encrypt.json": 5, "snode_auth_signatures.json": 7, "swarm_new_id.json": 32,
    "swarm_rebalance_derived.json": 116, "swarm_selection.json": 32, "swarm_space.json": 13,
}


def run(tally: pathlib.Path, *extra, require=""):
    env = dict(os.environ, SESSIONSIM_REQUIRE=require)
    return subprocess.run(["/usr/bin/python3", str(SCRIPT), str(tally), str(VECTORS), *extra],
                          capture_output=True, text=True, env=env)


def write(tally: pathlib.Path, counts: dict, skipped: dict | None = None):
    tally.mkdir(exist_ok=True)
    for i, (name, n) in enumerate(counts.items()):
        (tally / f"T.{i}.tsv").write_text(f"checked\t{name} (part)\t{n}\n")
    for name, n in (skipped or {}).items():
        with open(tally / "T.skips.tsv", "a") as f:
            f.write(f"skipped\t{name}\t{n}\taes-ni\n")


def test_every_entry_checked_passes(tmp_path):
    write(tmp_path / "t", FULL)
    result = run(tmp_path / "t")
    assert result.returncode == 0, result.stdout
    assert "vectors: 253 of 253 entries checked, 0 skipped" in result.stdout


def test_an_entry_short_fails_and_names_the_file(tmp_path):
    write(tmp_path / "t", dict(FULL, **{"mnemonic.json": 12}))
    result = run(tmp_path / "t")
    assert result.returncode == 1
    assert "mnemonic.json: 12 checked + 0 skipped, but the file holds 13" in result.stdout


def test_skips_count_towards_the_total_unless_the_machine_has_the_capability(tmp_path):
    write(tmp_path / "t", dict(FULL, **{"onion.json": 9}), skipped={"onion.json": 7})
    assert run(tmp_path / "t").returncode == 0
    assert run(tmp_path / "t", "--strict", require="netns").returncode == 0
    strict = run(tmp_path / "t", "--strict", require="aes-ni,netns")
    assert strict.returncode == 1
    assert "7 skipped for want of aes-ni" in strict.stdout


def test_no_tally_at_all_fails(tmp_path):
    assert run(tmp_path / "missing").returncode == 1
