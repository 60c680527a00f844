"""Invalid-curve and twist attacks, and out-of-range signatures, on the single and batch paths.

The curve constants here are the published ones (GB/T 32918.5, SEC 2), written out again on
purpose: the test does not trust the library's own tables."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import pytest
from sig_construct import ecdsa_small, sm2_small

from chaincrypto import ecdsa, sm2

CURVES = {
    # name: (p, a, b, n)
    "sm2": (
        0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF,
        0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC,
        0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93,
        0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
    ),
    "secp256k1": (
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F,
        0,
        7,
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
    ),
    "p256": (
        0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
        0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC,
        0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
        0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    ),
}
ALGS = list(CURVES)


def _b(x: int) -> bytes:
    return x.to_bytes(32, "big")


def _keys(alg: str) -> tuple[object, type]:
    if alg == "sm2":
        return sm2.PrivateKey.generate(), sm2.PublicKey
    return ecdsa.PrivateKey.generate(alg), ecdsa.PublicKey


def _from_bytes(alg: str, data: bytes) -> object:
    if alg == "sm2":
        return sm2.PublicKey.from_bytes(data)
    return ecdsa.PublicKey.from_bytes(data, curve=alg)


def _batch_ok(
    alg: str, pub: bytes, msg: bytes, sig: bytes, encoding: str = "der", prehashed: bool = False
) -> bool:
    if alg == "sm2":
        return bool(
            sm2.verify_batch([pub], [msg], [sig], encoding=encoding, prehashed=prehashed)[0]
        )
    return bool(
        ecdsa.verify_batch(alg, [pub], [msg], [sig], encoding=encoding, prehashed=prehashed)[0]
    )


def _twist_x(alg: str) -> int:
    """An x for which x^3 + ax + b is not a square mod p: no curve point has it (the point with
    that x lives on the quadratic twist)."""
    p, a, b, _ = CURVES[alg]
    x = 1
    while pow((x**3 + a * x + b) % p, (p - 1) // 2, p) != p - 1:
        x += 1
    return x


def _bad_points(alg: str) -> dict[str, bytes]:
    p = CURVES[alg][0]
    sk, _ = _keys(alg)
    good = sk.public_key.to_bytes("raw")  # type: ignore[attr-defined]
    x, y = int.from_bytes(good[:32], "big"), int.from_bytes(good[32:], "big")
    tx = _twist_x(alg)
    return {
        "off the curve": b"\x04" + _b(x) + _b((y + 1) % p),
        "twist x, compressed": b"\x02" + _b(tx),
        "twist x, any y": b"\x04" + _b(tx) + _b(1),
        "x >= p": b"\x04" + _b(x + p) + _b(y) if x + p < 2**256 else b"\x04" + _b(p) + _b(y),
        "y >= p (y + p)": b"\x04" + _b(x) + _b(y + p)
        if y + p < 2**256
        else b"\x04" + _b(x) + _b(p),
        "infinity (all zero)": b"\x04" + bytes(64),
        "infinity (SEC1 0x00)": b"\x00",
        "hybrid prefix": b"\x06" + good,
        "raw zero": bytes(64),
    }


@pytest.mark.parametrize("alg", ALGS)
def test_twist_and_off_curve_keys_refused_everywhere(alg: str) -> None:
    sk, _ = _keys(alg)
    msg = b"pay 1"
    sig = sk.sign(msg)  # type: ignore[attr-defined]
    assert _batch_ok(alg, sk.public_key.to_bytes(), msg, sig)  # type: ignore[attr-defined]
    for why, data in _bad_points(alg).items():
        with pytest.raises(ValueError):
            _from_bytes(alg, data)
        assert _batch_ok(alg, data, msg, sig) is False, why


@pytest.mark.parametrize("alg", ALGS)
def test_out_of_range_signatures(alg: str) -> None:
    _, _, _, n = CURVES[alg]
    # A valid signature with r, s < 2^256 - n, built in Python (sig_construct): a random one's
    # r + n and s + n do not fit in 32 bytes, so those cases could not be written. SM2's e
    # hashes Z_A, which hashes the key being constructed: SM2 verifies the digest (prehashed).
    rng = random.Random(f"out of range {alg}")
    if alg == "sm2":
        made = sm2_small(rng)
        msg, pre = made.e.to_bytes(32, "big"), True
    else:
        msg, pre = b"pay 2", False
        made = ecdsa_small(alg, rng, e=int.from_bytes(hashlib.sha256(msg).digest(), "big"))
    pub: Any = _from_bytes(alg, b"\x04" + made.pub)
    r, s = made.r, made.s
    assert r + n < 2**256 and s + n < 2**256  # so every case below is what its name says
    good = _b(r) + _b(s)  # the base case is accepted, on both paths
    assert pub.verify(good, msg, encoding="raw", prehashed=pre)
    assert _batch_ok(alg, pub.to_bytes(), msg, good, encoding="raw", prehashed=pre)
    cases = {
        "r = 0": _b(0) + _b(s),
        "s = 0": _b(r) + _b(0),
        "r = n": _b(n) + _b(s),
        "s = n": _b(r) + _b(n),
        "r > n": _b(n + 1) + _b(s),
        "s + n": _b(r) + _b(s + n),
        "r + n": _b(r + n) + _b(s),
        "all ones": b"\xff" * 64,
    }
    for why, bad in cases.items():
        assert pub.verify(bad, msg, encoding="raw", prehashed=pre) is False, why
        assert _batch_ok(alg, pub.to_bytes(), msg, bad, encoding="raw", prehashed=pre) is False, why
