"""The protocol toolbox: the same functions as `sessionsim proto`, with Python types.

Byte strings go in and come out as `bytes` (the CLI's hex and base64 fields), swarm positions and
ids as `int`; Session IDs stay hex strings, as people write them. Bad input raises ValueError
with the reason, as the CLI exits 2 with it.
"""
from __future__ import annotations

import base64

from . import _core

# CLI fields that carry bytes as hex; "*_b64" fields carry them as base64.
_HEX_FIELDS = {"seed", "ed25519_pk", "x25519_pk", "node_ed25519", "ephemeral_key",
               "destination", "sender_ed25519"}
_INT_FIELDS = {"swarm_space", "swarm_id"}


def to_python(value, hex_fields=_HEX_FIELDS):
    """A `sessionsim proto` JSON result with hex/base64 fields as bytes and ids as ints."""
    if isinstance(value, list):
        return [to_python(v, hex_fields) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, v in value.items():
        if key.endswith("_b64") and isinstance(v, str):
            out[key[:-4]] = base64.b64decode(v)
        elif key in hex_fields and isinstance(v, str) and _is_hex(v):
            out[key] = bytes.fromhex(v)
        elif key in _INT_FIELDS and isinstance(v, str):
            out[key] = int(v)
        elif key == "json":  # the routing JSON a hop read: kept as the hop saw it
            out[key] = v
        else:
            out[key] = to_python(v, hex_fields)
    return out


def _is_hex(text: str) -> bool:
    return len(text) % 2 == 0 and all(c in "0123456789abcdef" for c in text)


def identity(seed: bytes) -> dict:
    """Keys, Session ID, recovery phrase and swarm position of a 16- or 32-byte seed."""
    return to_python(_core.identity(bytes(seed)))


def identity_from_phrase(phrase: str) -> dict:
    return to_python(_core.identity_from_phrase(phrase))


def mnemonic_encode(data: bytes, checksum: bool = True) -> str:
    """Bytes (a multiple of 4) to recovery-phrase words."""
    return _core.mnemonic_encode(bytes(data), checksum)["phrase"]


def mnemonic_decode(phrase: str) -> dict:
    """{"seed": bytes, "checksum": bool}; unknown words and a wrong checksum raise ValueError."""
    return to_python(_core.mnemonic_decode(phrase))


def _pubkey_hex(pubkey) -> str:
    return pubkey.hex() if isinstance(pubkey, (bytes, bytearray)) else str(pubkey)


def swarm_space(pubkey) -> int:
    """Position of an account on the 2^64 ring; pubkey as 32/33 bytes or 64/66 hex."""
    return int(_core.swarm_space(_pubkey_hex(pubkey))["swarm_space"])


def swarm_pick(pubkey, swarm_ids) -> int:
    """The swarm (from `swarm_ids`) that stores the account."""
    return int(_core.swarm_pick(_pubkey_hex(pubkey), [int(i) for i in swarm_ids])["swarm_id"])


def new_swarm_id(existing) -> int:
    """The id a new swarm gets: the middle of the widest gap on the ring."""
    return int(_core.new_swarm_id([int(i) for i in existing])["swarm_id"])


def swarm_rebalance(swarms: dict, seed: int):
    """oxend's rebalance of {swarm_id (None: unassigned): [32-byte node keys]} with a block
    seed; returns (new swarms, report dict)."""
    return _core.swarm_rebalance(swarms, seed)


def onion_build(hops, destination, payload: bytes, enc_type: str = "xchacha20",
                seed: int | None = None) -> dict:
    """Wraps `payload` in one layer per hop. hops and destination are (x25519_pk, ed25519_pk)
    pairs of bytes; `seed` makes the ephemeral keys reproducible. Returns {"blob": entry
    request bytes, "enc_type", "layers": what each hop sees}."""
    return to_python(_core.onion_build([tuple(h) for h in hops], tuple(destination),
                                       bytes(payload), enc_type, seed))


def onion_peel(x25519_sk: bytes, blob: bytes | None = None, *, ciphertext: bytes | None = None,
               ephemeral_key: bytes | None = None, enc_type: str = "aes-gcm") -> dict:
    """Peels one layer as a hop would: the entry request (`blob`) or a later layer
    (`ciphertext` with `ephemeral_key`). kind "relay" names the next hop, "final" holds the
    request for the destination, "server" an external server's request."""
    if blob is not None:
        if ciphertext is not None or ephemeral_key is not None:
            raise ValueError("give blob, or ciphertext with ephemeral_key, not both")
        return to_python(_core.onion_peel_entry(bytes(x25519_sk), bytes(blob)))
    if ciphertext is None or ephemeral_key is None:
        raise ValueError("give blob, or ciphertext with ephemeral_key")
    return to_python(_core.onion_peel_layer(bytes(x25519_sk), bytes(ciphertext),
                                            bytes(ephemeral_key), enc_type))


def message_hash(pubkey, namespace: int, data: bytes) -> str:
    """The storage server's message hash (unpadded base64), for a 33-byte/66-hex account."""
    return _core.message_hash(_pubkey_hex(pubkey), int(namespace), bytes(data))["hash"]


def encrypt(sender_seed: bytes, recipient: str, plaintext: bytes,
            deterministic: bool = False) -> bytes:
    """Sign-then-seal `plaintext` to a 05-prefixed Session ID."""
    return to_python(_core.encrypt(bytes(sender_seed), recipient, bytes(plaintext),
                                   deterministic))["ciphertext"]


def decrypt(recipient_seed: bytes, ciphertext: bytes) -> dict:
    """{"plaintext": bytes, "sender_session_id": str, "sender_ed25519": bytes}."""
    return to_python(_core.decrypt(bytes(recipient_seed), bytes(ciphertext)))
