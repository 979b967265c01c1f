"""The Python protocol toolbox gives what `sessionsim proto` prints for the same inputs, and
raises ValueError with the reason on bad input."""
import base64
import json

import pytest

import sessionsim
from conftest import ROOT, run_cli
from sessionsim import proto

SEED = bytes.fromhex("0123456789abcdef0123456789abcdef")
NODE_SEEDS = [bytes([i]) * 32 for i in range(1, 5)]


def cli_json(*args):
    return json.loads(run_cli("proto", *args).stdout)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_identity_matches_cli():
    ours = proto.identity(SEED)
    theirs = cli_json("identity", SEED.hex())
    assert ours["session_id"] == theirs["session_id"]
    assert ours["ed25519_pk"] == bytes.fromhex(theirs["ed25519_pk"])
    assert ours["x25519_pk"] == bytes.fromhex(theirs["x25519_pk"])
    assert ours["phrase"] == theirs["phrase"]
    assert ours["swarm_space"] == int(theirs["swarm_space"])
    assert proto.identity_from_phrase(ours["phrase"])["session_id"] == ours["session_id"]


def test_mnemonic_round_trip_and_checksum():
    phrase = proto.mnemonic_encode(SEED)
    assert phrase == cli_json("mnemonic", "encode", SEED.hex())["phrase"]
    assert proto.mnemonic_decode(phrase) == {"seed": SEED, "checksum": True}
    words = phrase.split()
    words[-1] = words[0] if words[-1] != words[0] else words[1]
    with pytest.raises(ValueError, match="checksum"):
        proto.mnemonic_decode(" ".join(words))


def test_swarm_functions_match_cli():
    pk = proto.identity(SEED)["session_id"]
    ids = [10, 2**63, 2**64 - 7]
    assert proto.swarm_space(pk) == int(cli_json("swarm-space", pk)["swarm_space"])
    assert proto.swarm_pick(pk, ids) == int(
        cli_json("swarm-pick", pk, "--swarms", ",".join(map(str, ids)))["swarm_id"])
    assert proto.new_swarm_id(ids) == int(
        cli_json("new-swarm-id", "--existing", ",".join(map(str, ids)))["swarm_id"])
    with pytest.raises(ValueError, match="listed twice"):
        proto.swarm_pick(pk, [5, 5])


def test_rebalance_places_unassigned_nodes():
    keys = [bytes([i]) * 32 for i in range(1, 13)]
    swarms, report = proto.swarm_rebalance({None: keys}, seed=42)
    assert report["nodes_placed"] == 12
    placed = [k for sid, members in swarms.items() if sid is not None for k in members]
    assert sorted(placed) == sorted(keys)


def node(seed: bytes):
    ident = proto.identity(seed)
    return ident["x25519_pk"], ident["ed25519_pk"]


def vector_hops():
    """The derived 3-hop vector's nodes (guard, middle, exit, destination) with secret keys."""
    doc = json.loads((ROOT.parent / "shared/vectors/onion.json").read_text())
    return [(bytes.fromhex(h["x25519_pubkey"]), bytes.fromhex(h["ed25519_pubkey"]),
             bytes.fromhex(h["x25519_secret"])) for h in doc["derived_multi_hop"][0]["hops"]]


def test_onion_build_and_peel_match_cli_hop_by_hop():
    nodes = vector_hops()
    hops, dest = [n[:2] for n in nodes[:3]], nodes[3][:2]
    payload = b'{"method":"info","params":{}}'
    ours = proto.onion_build(hops, dest, payload, seed=7)
    theirs = cli_json("onion", "build", "--hops", ",".join(f"{x.hex()}:{e.hex()}" for x, e in hops),
                      "--dest", f"{dest[0].hex()}:{dest[1].hex()}", "--payload-b64", b64(payload),
                      "--seed", "7")
    assert ours["blob"] == base64.b64decode(theirs["blob_b64"])
    assert [layer["role"] for layer in ours["layers"]] == ["guard", "middle", "exit",
                                                           "destination"]
    # Peel as each hop would; every layer names the next hop, the last holds the payload.
    step = proto.onion_peel(nodes[0][2], ours["blob"])
    assert step == proto.to_python(cli_json("onion", "peel", "--x25519-sk", nodes[0][2].hex(),
                                            "--blob-b64", b64(ours["blob"])))
    for hop in nodes[1:]:
        assert step["kind"] == "relay" and step["destination"] == hop[1]
        step = proto.onion_peel(hop[2], ciphertext=step["ciphertext"],
                                ephemeral_key=step["ephemeral_key"], enc_type=step["enc_type"])
    assert step["kind"] == "final" and step["payload"] == payload
    with pytest.raises(ValueError):
        proto.onion_peel(nodes[1][2], ours["blob"])  # not the guard's key


def test_message_hash_and_encryption_match_cli():
    recipient = proto.identity(bytes(16))["session_id"]
    pk = recipient
    assert proto.message_hash(pk, 0, b"hello") == cli_json(
        "message-hash", "--pubkey", pk, "--data-b64", b64(b"hello"))["hash"]
    ct = proto.encrypt(SEED, recipient, b"hi", deterministic=True)
    assert ct == base64.b64decode(cli_json("encrypt", "--sender-seed", SEED.hex(), "--recipient",
                                           recipient, "--plaintext-b64", b64(b"hi"),
                                           "--deterministic")["ciphertext_b64"])
    opened = proto.decrypt(bytes(16), ct)
    assert opened["plaintext"] == b"hi"
    assert opened["sender_session_id"] == proto.identity(SEED)["session_id"]
    with pytest.raises(ValueError):
        proto.decrypt(SEED, ct)  # not the recipient


def test_bad_input_raises_value_error_with_reason():
    with pytest.raises(ValueError, match="16 bytes"):
        proto.identity(b"short")
    with pytest.raises(ValueError, match="enc_type"):
        proto.onion_build([node(NODE_SEEDS[0])], node(NODE_SEEDS[1]), b"x", enc_type="rot13")


def test_version_is_the_cli_version():
    assert sessionsim.__version__ == run_cli("--version").stdout.strip()
