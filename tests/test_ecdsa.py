"""chaincrypto.ecdsa against coincurve (libsecp256k1) and pyca/cryptography (OpenSSL), both
ways: their signatures verify here, ours verify there, deterministic signatures are identical,
and recovery agrees with coincurve's."""

from __future__ import annotations

import hashlib
import os

import coincurve
import numpy as np
import pytest
from asn1crypto.algos import DSASignature
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chaincrypto as cc

E = cc.ecdsa
N = {
    "secp256k1": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
    "p256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
}
CRYPTO_CURVE = {"secp256k1": ec.SECP256K1(), "p256": ec.SECP256R1()}
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rs_of(der: bytes) -> tuple[int, int]:
    sig = DSASignature.load(der)
    return sig["r"].native, sig["s"].native


def der(r: int, s: int) -> bytes:
    return DSASignature({"r": r, "s": s}).dump()


def crypto_key(key: E.PrivateKey) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(key.to_bytes(), "big"), CRYPTO_CURVE[key.curve])


@pytest.fixture(scope="module")
def k1_keys() -> list[E.PrivateKey]:
    return [E.PrivateKey.generate("secp256k1") for _ in range(4)]


@pytest.fixture(scope="module", params=["secp256k1", "p256"])
def curve(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# --- secp256k1 with coincurve ----------------------------------------------------------------


@FAST
@given(msg=st.binary(max_size=100))
def test_coincurve_both_ways(k1_keys: list[E.PrivateKey], msg: bytes) -> None:
    key = k1_keys[0]
    theirs = coincurve.PrivateKey(key.to_bytes())
    assert key.public_key.to_bytes("compressed") == theirs.public_key.format()
    # deterministic signatures are identical (RFC 6979, low-S)
    assert key.sign(msg, deterministic=True) == theirs.sign(msg)
    assert key.sign(msg, deterministic=True, recoverable=True) == theirs.sign_recoverable(msg)
    # ours (hedged) verify there; theirs verify here
    sig = key.sign(msg)
    assert theirs.public_key.verify(sig, msg)
    assert key.public_key.verify(theirs.sign(msg), msg, strict_low_s=True)
    # recovery equals coincurve's
    rec = key.sign(msg, recoverable=True)
    assert (
        E.PublicKey.recover(rec, msg).to_bytes("compressed")
        == coincurve.PublicKey.from_signature_and_message(rec, msg).format()
    )
    assert not key.public_key.verify(sig, msg + b"\0")
    assert key.sign(msg) != key.sign(msg)  # hedged: fresh OS randomness in k


def test_coincurve_recover_batch(k1_keys: list[E.PrivateKey]) -> None:
    n = 30
    msgs = [os.urandom(i) for i in range(n)]
    sigs = [
        coincurve.PrivateKey(k1_keys[i % 4].to_bytes()).sign_recoverable(m)
        for i, m in enumerate(msgs)
    ]
    sigs[3] = sigs[3][:64] + b"\x04"  # v out of range
    sigs[5] = sigs[5][:64]  # too short
    sigs[7] = bytes(32) + sigs[7][32:]  # r = 0
    pubs, ok = E.recover_batch("secp256k1", msgs, sigs)
    assert pubs.shape == (n, 64) and pubs.dtype == np.uint8
    assert [i for i in range(n) if not ok[i]] == [3, 5, 7]
    for i in range(n):
        if ok[i]:
            want = coincurve.PublicKey.from_signature_and_message(sigs[i], msgs[i])
            assert b"\x04" + pubs[i].tobytes() == want.format(compressed=False)
        else:
            assert not pubs[i].any()
    # prehashed, (n, 65) array form, and sign_batch(recoverable=True)
    digests = [hashlib.sha256(m).digest() for m in msgs]
    arr = E.sign_batch(
        "secp256k1", [k1_keys[i % 4] for i in range(n)], digests, prehashed=True, recoverable=True
    )
    assert arr.shape == (n, 65)
    pubs2, ok2 = E.recover_batch("secp256k1", msgs, arr)
    assert ok2.all()
    assert [bytes(p) for p in pubs2] == [
        k1_keys[i % 4].public_key.to_bytes("raw") for i in range(n)
    ]
    with pytest.raises(ValueError, match="recovery id"):
        E.PublicKey.recover(sigs[3], msgs[3])
    with pytest.raises(ValueError, match="no public key"):
        E.PublicKey.recover(sigs[7], msgs[7])


def test_strict_low_s(k1_keys: list[E.PrivateKey]) -> None:
    key = k1_keys[1]
    r, s = rs_of(key.sign(b"m"))
    assert s <= N["secp256k1"] // 2  # we always sign low-S on secp256k1
    high = der(r, N["secp256k1"] - s)
    assert key.public_key.verify(high, b"m")
    assert not key.public_key.verify(high, b"m", strict_low_s=True)
    got = E.verify_batch(
        "secp256k1", [key.public_key] * 2, [b"m"] * 2, [high, der(r, s)], strict_low_s=True
    )
    assert got.tolist() == [False, True]


# --- P-256 (and secp256k1) with cryptography -------------------------------------------------


@FAST
@given(msg=st.binary(max_size=100))
def test_cryptography_both_ways(curve: str, msg: bytes) -> None:
    key = E.PrivateKey.generate(curve)
    theirs = crypto_key(key)
    pub = theirs.public_key()
    pub.verify(key.sign(msg), msg, ec.ECDSA(hashes.SHA256()))
    pub.verify(key.sign(msg, deterministic=True), msg, ec.ECDSA(hashes.SHA256()))
    their_sig = theirs.sign(msg, ec.ECDSA(hashes.SHA256()))
    assert key.public_key.verify(their_sig, msg)
    r, s = rs_of(their_sig)
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    assert key.public_key.verify(raw, msg, encoding="raw")
    with pytest.raises(InvalidSignature):
        pub.verify(key.sign(msg + b"x"), msg, ec.ECDSA(hashes.SHA256()))


def test_cryptography_deterministic_equal(curve: str) -> None:
    try:
        algo = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
    except TypeError:  # pragma: no cover - cryptography < 43
        pytest.skip("cryptography without deterministic_signing")
    for _ in range(5):
        key = E.PrivateKey.generate(curve)
        msg = os.urandom(50)
        theirs = crypto_key(key).sign(msg, algo)
        ours = key.sign(msg, deterministic=True)
        if curve == "secp256k1":  # we normalise to low-S; OpenSSL does not
            r, s = rs_of(theirs)
            theirs = der(r, min(s, N[curve] - s))
        assert ours == theirs


@pytest.mark.parametrize("h", [hashes.SHA1(), hashes.SHA224(), hashes.SHA384(), hashes.SHA512()])
def test_prehashed_other_lengths_match_openssl(curve: str, h: hashes.HashAlgorithm) -> None:
    """bits2int: leftmost 32 bytes of a longer digest, a shorter one taken as an integer."""
    key = E.PrivateKey.generate(curve)
    theirs = crypto_key(key)
    hh = hashes.Hash(h)
    hh.update(b"payload")
    digest = hh.finalize()
    algo = ec.ECDSA(utils.Prehashed(h))
    assert key.public_key.verify(theirs.sign(digest, algo), digest, prehashed=True)
    theirs.public_key().verify(key.sign(digest, prehashed=True), digest, algo)
    # bytes past the 32nd do not count; any byte within the first 32 does
    variants = [digest, digest + b"\0", bytes([digest[0] ^ 1]) + digest[1:]]
    if len(digest) > 32:
        variants[1] = digest[:32] + bytes(len(digest) - 32)
    got = E.verify_batch(
        curve, [key.public_key] * 3, variants, [theirs.sign(digest, algo)] * 3, prehashed=True
    )
    assert got.tolist() == [True, len(digest) > 32, False]


# --- properties, batches ---------------------------------------------------------------------


@FAST
@given(data=st.data())
def test_batch_equals_loop(curve: str, data: st.DataObject) -> None:
    keys = [E.PrivateKey.generate(curve) for _ in range(3)]
    n = data.draw(st.integers(1, 12))
    idx = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    msgs = data.draw(st.lists(st.binary(max_size=64), min_size=n, max_size=n))
    sks = [keys[i] for i in idx]
    sigs = E.sign_batch(curve, sks, msgs, backend="cpu", threads=2)
    det = E.sign_batch(curve, [k.to_bytes() for k in sks], msgs, deterministic=True)
    assert det == [k.sign(m, deterministic=True) for k, m in zip(sks, msgs, strict=True)]
    raw = E.sign_batch(curve, sks, msgs, encoding="raw")
    perm = data.draw(st.permutations(range(n)))
    mixed = [sigs[p] for p in perm]
    fmt = data.draw(st.sampled_from(["uncompressed", "compressed", "raw"]))
    pubs = [k.public_key.to_bytes(fmt) for k in sks]
    loop = [k.public_key.verify(s, m) for k, s, m in zip(sks, mixed, msgs, strict=True)]
    assert E.verify_batch(curve, pubs, msgs, mixed, threads=2).tolist() == loop
    assert E.verify_batch(curve, pubs, msgs, sigs).all()
    assert E.verify_batch(curve, pubs, msgs, raw, encoding="raw").all()
    for tamper in range(n):  # tamper with one slot: only that one goes False
        bad = list(msgs)
        bad[tamper] = bad[tamper] + b"!"
        got = E.verify_batch(curve, pubs, bad, sigs)
        assert got.tolist() == [i != tamper for i in range(n)]


def test_single_calls_equal_batch_rows(curve: str) -> None:
    """The single-item methods (straight into C) and the batch functions (arrays, backend
    choice) give the same bytes: deterministic signatures, verdicts and recovered keys, for
    messages and for prehashed digests of every length around 32 bytes (bits2int)."""
    keys = [E.PrivateKey.generate(curve) for _ in range(3)]
    msgs = [b"", b"x", os.urandom(1000)] + [os.urandom(n) for n in (1, 20, 31, 32, 33, 48, 64)]
    prehashed = [False] * 3 + [True] * 7
    for i, (m, pre) in enumerate(zip(msgs, prehashed, strict=True)):
        k = keys[i % 3]
        one = k.sign(m, prehashed=pre, deterministic=True, recoverable=True)
        [row] = E.sign_batch(curve, [k], [m], prehashed=pre, deterministic=True, recoverable=True)
        assert one == bytes(row)
        der = k.sign(m, prehashed=pre, deterministic=True)
        assert der == E.sign_batch(curve, [k], [m], prehashed=pre, deterministic=True)[0]
        for sig, enc in ((der, "der"), (one[:64], "raw"), (der[:-1] + b"\1", "der")):
            for other in (k, keys[(i + 1) % 3]):
                single = other.public_key.verify(sig, m, encoding=enc, prehashed=pre)
                batch = E.verify_batch(
                    curve, [other.public_key], [m], [sig], encoding=enc, prehashed=pre
                )
                assert [single] == batch.tolist()
        assert E.PublicKey.recover(one, m, curve, prehashed=pre) == k.public_key
        pubs, ok = E.recover_batch(curve, [m], [one], prehashed=pre)
        assert ok.all() and pubs[0].tobytes() == k.public_key.to_bytes("raw")
    with pytest.raises(ValueError, match="no public key"):
        E.PublicKey.recover(one, b"", curve, prehashed=True)


def test_mixed_validity_batch(curve: str) -> None:
    n = 24
    key = E.PrivateKey.generate(curve)
    other = E.PrivateKey.generate(curve)
    msgs = [b"tx %d" % i for i in range(n)]
    sigs = E.sign_batch(curve, [key] * n, msgs)
    pubs: list[bytes] = [key.public_key.to_bytes()] * n
    bad = {}
    r, s = rs_of(sigs[0])
    sigs[1] = der(0, s)
    bad[1] = "r = 0"
    sigs[2] = der(r, N[curve])
    bad[2] = "s = n"
    sigs[3] = sigs[3][:-1]
    bad[3] = "truncated DER"
    sigs[4] = b"\x30" + bytes([sigs[4][1] + 1]) + sigs[4][2:] + b"\0"
    bad[4] = "BER length"
    pubs[5] = pubs[5][:40]
    bad[5] = "short key"
    xy = bytearray(key.public_key.to_bytes("raw"))
    xy[10] ^= 4
    pubs[6] = bytes(xy)
    bad[6] = "off curve"
    pubs[7] = other.public_key.to_bytes("compressed")
    bad[7] = "other key"
    sigs[8] = der(r, s)
    bad[8] = "signature of another message"
    sigs[9] = b"\x02" * 70
    bad[9] = "garbage"
    got = E.verify_batch(curve, pubs, msgs, sigs)
    assert [i for i in range(n) if not got[i]] == sorted(bad)
    # raw encoding: wrong length and out-of-range r in their own slots
    raw = list(E.sign_batch(curve, [key] * n, msgs, encoding="raw"))
    raw = [bytes(x) for x in raw]
    raw[0] = raw[0][:63]
    raw[3] = N[curve].to_bytes(32, "big") + raw[3][32:]
    got = E.verify_batch(curve, [key.public_key] * n, msgs, raw, encoding="raw")
    assert [i for i in range(n) if not got[i]] == [0, 3]


def test_aliases_and_bad_arguments() -> None:
    for alias in ("secp256r1", "prime256v1", "P-256", "p256"):
        assert E.PrivateKey.generate(alias).curve == "p256"
    key = E.PrivateKey.generate("secp256k1")
    sig = key.sign(b"m")
    with pytest.raises(ValueError, match="unknown or unsupported curve 'ed25519'"):
        E.PrivateKey.generate("ed25519")
    with pytest.raises(ValueError, match="curve"):
        E.verify_batch("sm2", [key.public_key], [b"m"], [sig])
    with pytest.raises(TypeError, match="curve"):
        E.PublicKey.from_bytes(key.public_key.to_bytes())
    with pytest.raises(ValueError, match="hash"):
        key.sign(b"m", hash="sha512")
    with pytest.raises(ValueError, match="encoding"):
        key.public_key.verify(sig, b"m", encoding="p1363")
    with pytest.raises(TypeError, match="strict_low_s"):
        key.public_key.verify(sig, b"m", strict_low_s=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="message"):
        key.public_key.verify(sig, "m")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"public_keys\[0\]"):
        E.verify_batch("secp256k1", ["02ab"], [b"m"], [sig])
    with pytest.raises(ValueError, match="public_keys=1, messages=2, signatures=1"):
        E.verify_batch("secp256k1", [key.public_key], [b"m", b"n"], [sig])
    with pytest.raises(ValueError, match="secp256k1"):
        E.verify_batch("p256", [key.public_key], [b"m"], [sig])
    with pytest.raises(ValueError, match=r"private_keys\[0\]: private key out of range"):
        E.sign_batch("secp256k1", [N["secp256k1"].to_bytes(32, "big")], [b"m"])
    with pytest.raises(ValueError, match="65 bytes"):
        E.PublicKey.recover(sig, b"m")
    with pytest.raises(ValueError, match="empty digest"):
        key.sign(b"", prehashed=True)
    assert key.public_key.verify(sig, b"", prehashed=True) is False
    assert key.public_key.verify(b"", b"m") is False
