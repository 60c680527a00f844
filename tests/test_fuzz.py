"""Property-based fuzzing of everything that parses hostile input: DER signatures, PEM / DER key
loaders, SEC1 point decoding, batch verification with malformed items, Merkle proofs.

Nothing may crash, hang or raise out of a verification or a batch; loaders raise only
ValueError / TypeError. A short run is part of the test suite; for a long run set
CHAINCRYPTO_FUZZ_EXAMPLES (e.g. 100000) and run ``pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import chaincrypto as cc
from chaincrypto import ecdsa, sm2

EXAMPLES = int(os.environ.get("CHAINCRYPTO_FUZZ_EXAMPLES", "150"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SM2_KEY = sm2.PrivateKey.from_bytes(
    bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
)
K1_KEY = ecdsa.PrivateKey.from_bytes(bytes(31) + b"\x07", curve="secp256k1")
P256_KEY = ecdsa.PrivateKey.from_bytes(bytes(31) + b"\x09", curve="p256")
MSG = b"fuzz message"
SIGS = {
    "sm2": SM2_KEY.sign(MSG, deterministic=True),
    "secp256k1": K1_KEY.sign(MSG, deterministic=True),
    "p256": P256_KEY.sign(MSG, deterministic=True),
}
PUBS = {"sm2": SM2_KEY.public_key, "secp256k1": K1_KEY.public_key, "p256": P256_KEY.public_key}


def _verify(alg: str, sig: bytes, pub: bytes | None = None, encoding: str = "der") -> bool:
    key = PUBS[alg] if pub is None else pub
    if alg == "sm2":
        if pub is None:
            return PUBS[alg].verify(sig, MSG, encoding=encoding)
        return bool(sm2.verify_batch([key], [MSG], [sig], encoding=encoding)[0])
    if pub is None:
        return PUBS[alg].verify(sig, MSG, encoding=encoding)
    return bool(ecdsa.verify_batch(alg, [key], [MSG], [sig], encoding=encoding)[0])


def _mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """Apply (kind, position, value) edits: 0 flip a byte, 1 insert, 2 delete."""
    out = bytearray(data)
    for kind, pos, value in edits:
        if kind == 0 and out:
            out[pos % len(out)] ^= value or 1
        elif kind == 1:
            out.insert(pos % (len(out) + 1), value)
        elif out:
            del out[pos % len(out)]
    return bytes(out)


edits = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 200), st.integers(0, 255)), min_size=1, max_size=4
)


@pytest.mark.parametrize("alg", ["sm2", "secp256k1", "p256"])
@fuzz
@given(edits=edits)
def test_mutated_der_signature_never_verifies(alg: str, edits: list[tuple[int, int, int]]) -> None:
    sig = _mutate(SIGS[alg], edits)
    # Strict DER: each (r, s) has exactly one encoding, so any other bytes must fail.
    assert _verify(alg, sig) is (sig == SIGS[alg])
    assert _verify(alg, sig, PUBS[alg].to_bytes()) is (sig == SIGS[alg])


@pytest.mark.parametrize("alg", ["sm2", "secp256k1", "p256"])
@fuzz
@given(sig=st.binary(max_size=80))
def test_random_signature_bytes(alg: str, sig: bytes) -> None:
    assert _verify(alg, sig) is False
    assert _verify(alg, sig, encoding="raw") is False


@pytest.mark.parametrize("alg", ["sm2", "secp256k1", "p256"])
@fuzz
@given(
    pub=st.one_of(
        st.binary(max_size=70),
        st.builds(
            lambda p, b: bytes([p]) + b,
            st.sampled_from([2, 3, 4, 6, 7]),
            st.binary(min_size=32, max_size=64),
        ),
    )
)
def test_random_public_keys(alg: str, pub: bytes) -> None:
    cls = sm2.PublicKey if alg == "sm2" else ecdsa.PublicKey
    kwargs = {} if alg == "sm2" else {"curve": alg}
    try:
        key = cls.from_bytes(pub, **kwargs)
    except ValueError:
        assert _verify(alg, SIGS[alg], pub) is False  # refused in a batch too
        return
    # A random point that parsed is valid; the signature is not its own.
    assert _verify(alg, SIGS[alg], pub) is (key == PUBS[alg])


@fuzz
@given(data=st.binary(max_size=300))
def test_key_loaders_raise_only_value_errors(data: bytes) -> None:
    loaders = [
        sm2.PrivateKey.from_der,
        sm2.PublicKey.from_der,
        sm2.PrivateKey.from_pem,
        lambda d: ecdsa.PrivateKey.from_der(d),
        lambda d: ecdsa.PublicKey.from_der(d),
        lambda d: ecdsa.PublicKey.from_pem(b"-----BEGIN PUBLIC KEY-----\n" + d),
    ]
    for load in loaders:
        with contextlib.suppress(ValueError):
            load(data)


@fuzz
@given(edits=edits)
@example(edits=[(0, 5, 0)])  # found by this test: asn1crypto's KeyError escaped the loader
def test_mutated_der_keys(edits: list[tuple[int, int, int]]) -> None:
    for der, load in (
        (SM2_KEY.to_der(), sm2.PrivateKey.from_der),
        (PUBS["p256"].to_der(), lambda d: ecdsa.PublicKey.from_der(d)),
    ):
        with contextlib.suppress(ValueError):
            load(_mutate(der, edits))


@fuzz
@given(
    bad=st.lists(
        st.tuples(
            st.integers(0, 15), st.sampled_from(["sig", "pub", "msg"]), st.binary(max_size=80)
        ),
        max_size=6,
    )
)
def test_malformed_items_spoil_only_their_slot(bad: list[tuple[int, str, bytes]]) -> None:
    keys = [sm2.PrivateKey.from_bytes(bytes(31) + bytes([i + 1])) for i in range(16)]
    msgs = [b"tx %d" % i for i in range(16)]
    sigs = [k.sign(m, deterministic=True) for k, m in zip(keys, msgs, strict=True)]
    pubs = [k.public_key.to_bytes() for k in keys]
    expected = np.ones(16, dtype=bool)
    for i, field, value in bad:
        column = {"sig": sigs, "pub": pubs, "msg": msgs}[field]
        if column[i] != value:
            column[i] = value
            expected[i] = False
    got = sm2.verify_batch(pubs, msgs, sigs)
    # A changed item could still verify only by forging; the others must be untouched.
    assert np.array_equal(got, expected)


LEAVES = np.random.default_rng(7).integers(0, 256, (37, 32), dtype=np.uint8)
TREE = cc.MerkleTree(LEAVES, hash="sm3", scheme="chainmaker")


@fuzz
@given(
    index=st.integers(-5, 60),
    n=st.integers(-3, 80),
    proof=st.lists(st.one_of(st.binary(max_size=40), st.integers(), st.none()), max_size=9),
    leaf=st.binary(max_size=40),
)
def test_merkle_proof_verification_never_raises(
    index: int, n: int, proof: list[object], leaf: bytes
) -> None:
    assert cc.verify_proof(TREE.root, leaf, index, proof, n_leaves=n) in (True, False)  # type: ignore[arg-type]


@fuzz
@given(i=st.integers(0, 36), edits=edits)
def test_mutated_merkle_proofs_fail(i: int, edits: list[tuple[int, int, int]]) -> None:
    proof = TREE.proof(i)
    flat = _mutate(b"".join(proof), edits)
    mutated = [flat[j : j + 32] for j in range(0, len(flat), 32)]
    ok = cc.verify_proof(TREE.root, LEAVES[i].tobytes(), i, mutated, n_leaves=37)
    assert ok is (mutated == proof)
