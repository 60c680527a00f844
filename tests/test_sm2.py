"""chaincrypto.sm2 against oracles nobody here wrote: the GB/T 32918 example, gmssl (pure
Python), GmSSL's C library (through easy_gmssl, where installed: .ci/run installs it and sets
CHAINCRYPTO_REQUIRE_GMSSL_C=1 so that it fails there rather than skip), the openssl CLI
(subprocess, with -sigopt distid:) and pyca/cryptography's SM3."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from asn1crypto.algos import DSASignature
from chaincrypto._cpu import ffi, lib
from cryptography.hazmat.primitives import hashes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sig_construct import sm2_small

import chaincrypto as cc

sm2 = cc.sm2
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = P - 3
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0
UID = b"1234567812345678"

# GB/T 32918.2 example (the SM2 curve, ID "1234567812345678").
GBT_D = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
GBT_K = bytes.fromhex("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21")
GBT_R = bytes.fromhex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3")
GBT_S = bytes.fromhex("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")
GBT_M = b"message digest"

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def ref_e(pub_xy: bytes, msg: bytes, uid: bytes = UID) -> bytes:
    """e = SM3(Z_A || M), Z_A by the standard's formula, with OpenSSL's SM3."""
    b32 = lambda x: x.to_bytes(32, "big")  # noqa: E731
    za = sm3((8 * len(uid)).to_bytes(2, "big") + uid + b32(A) + b32(B) + b32(GX) + b32(GY) + pub_xy)
    return sm3(za + msg)


def der(r: bytes, s: bytes) -> bytes:
    """DER by asn1crypto (an encoder nobody here wrote)."""
    return DSASignature({"r": int.from_bytes(r, "big"), "s": int.from_bytes(s, "big")}).dump()


@pytest.fixture(scope="module")
def keys() -> list[sm2.PrivateKey]:
    return [sm2.PrivateKey.generate() for _ in range(4)]


# --- GB/T 32918 example ----------------------------------------------------------------------


def test_gbt_example_sign_with_k() -> None:
    key = sm2.PrivateKey.from_bytes(GBT_D)
    e = ref_e(key.public_key.to_bytes("raw"), GBT_M)
    r, s = ffi.new("uint8_t[32]"), ffi.new("uint8_t[32]")
    assert lib.cc_sm2_sign_with_k(GBT_D, e, GBT_K, r, s) == lib.CC_OK
    assert (bytes(r), bytes(s)) == (GBT_R, GBT_S)


def test_gbt_example_verifies() -> None:
    pub = sm2.PrivateKey.from_bytes(GBT_D).public_key
    assert pub.za() == sm3(
        b"\x00\x80"
        + UID
        + b"".join(x.to_bytes(32, "big") for x in (A, B, GX, GY))
        + pub.to_bytes("raw")
    )
    assert pub.verify(GBT_R + GBT_S, GBT_M, encoding="raw")
    assert pub.verify(der(GBT_R, GBT_S), GBT_M)
    assert pub.verify(
        GBT_R + GBT_S, ref_e(pub.to_bytes("raw"), GBT_M), encoding="raw", prehashed=True
    )
    assert not pub.verify(der(GBT_R, GBT_S), GBT_M, uid=b"1234567812345679")
    assert not pub.verify(der(GBT_R, GBT_S), b"message digesT")
    ok = sm2.verify_batch([pub.to_bytes()] * 2, [GBT_M, b"x"], [der(GBT_R, GBT_S)] * 2)
    assert ok.tolist() == [True, False]


# --- gmssl -----------------------------------------------------------------------------------


def test_gmssl_both_ways(keys: list[sm2.PrivateKey]) -> None:
    from gmssl import sm2 as gm

    # gmssl takes a key in hex that starts with "04" for a prefixed one and strips it with
    # str.lstrip (any run of '0'/'4'): it gets raw X||Y, from keys whose hex does not start with
    # "04" (a random key does 1 time in 256, and gmssl then hashes a broken Z_A)
    usable = [k for k in keys if not k.public_key.to_bytes("raw").hex().startswith("04")]
    while len(usable) < 2:
        k = sm2.PrivateKey.generate()
        if not k.public_key.to_bytes("raw").hex().startswith("04"):
            usable.append(k)
    for key in usable[:2]:
        xy = key.public_key.to_bytes("raw")
        g = gm.CryptSM2(private_key=key.to_bytes().hex(), public_key=xy.hex())
        msg = os.urandom(40)
        # gmssl's sign_with_sm3 hashes Z_A (default ID 1234567812345678) || M; hex r||s.
        sig = bytes.fromhex(g.sign_with_sm3(msg, os.urandom(32).hex()))
        assert key.public_key.verify(sig, msg, encoding="raw")
        assert key.public_key.verify(der(sig[:32], sig[32:]), msg)
        ours = key.sign(msg, encoding="raw")
        assert g.verify_with_sm3(ours.hex(), msg)
        assert not g.verify_with_sm3(ours.hex(), msg + b"!")


# --- GmSSL (C) -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gmssl_c():  # type: ignore[no-untyped-def]
    """easy_gmssl's ctypes binding of the GmSSL library it builds from GmSSL's source."""
    try:
        from easy_gmssl import gmssl as gm
    except (ImportError, OSError, ValueError) as exc:  # ValueError: no library found
        if os.environ.get("CHAINCRYPTO_REQUIRE_GMSSL_C") == "1":
            pytest.fail(f"CHAINCRYPTO_REQUIRE_GMSSL_C=1 but easy_gmssl is unusable: {exc}")
        pytest.skip(f"GmSSL (C) through easy_gmssl not available: {exc}")
    return gm


@pytest.mark.parametrize("uid", [UID, b"alice@example.com"])
def test_gmssl_c_both_ways(gmssl_c, uid: bytes) -> None:  # type: ignore[no-untyped-def]
    """GmSSL's own signatures (its keys, its Z_A and SM3, DER) verify here, one at a time and in
    a batch with a tampered one, and ours verify in GmSSL; both agree on Z_A."""
    gm = gmssl_c
    pubs, msgs, sigs = [], [], []
    for _ in range(3):
        key = gm.Sm2Key()
        key.generate_key()
        xy = bytes(key.public_key.x) + bytes(key.public_key.y)
        pub = sm2.PublicKey.from_bytes(b"\x04" + xy)
        assert key.compute_z(uid.decode()) == pub.za(uid)
        msg = os.urandom(45)
        signer = gm.Sm2Signature(key, uid.decode(), gm.DO_SIGN)
        signer.update(msg)
        sig = signer.sign()
        assert pub.verify(sig, msg, uid=uid)
        assert not pub.verify(sig, msg + b"!", uid=uid)
        mine = sm2.PrivateKey.from_bytes(bytes(key.private_key)).sign(msg, uid=uid)
        checker = gm.Sm2Signature(key, uid.decode(), gm.DO_VERIFY)
        checker.update(msg)
        assert checker.verify(mine)
        checker = gm.Sm2Signature(key, uid.decode(), gm.DO_VERIFY)
        checker.update(msg + b"!")
        assert not checker.verify(mine)
        pubs.append(pub.to_bytes())
        msgs.append(msg)
        sigs.append(sig)
    msgs[1] = msgs[1] + b"!"
    ok = sm2.verify_batch(pubs, msgs, sigs, uid=uid)
    assert ok.tolist() == [True, False, True]


# --- openssl CLI -----------------------------------------------------------------------------


def _openssl_sm2() -> str | None:
    exe = shutil.which("openssl")
    if exe is None:
        return None
    r = subprocess.run(
        [exe, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2"],
        capture_output=True,
    )
    return exe if r.returncode == 0 else None


OPENSSL = _openssl_sm2()
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="openssl CLI with SM2 not available")


def run(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    assert OPENSSL is not None
    return subprocess.run([OPENSSL, *map(str, args)], capture_output=True)


@needs_openssl
@pytest.mark.parametrize("uid", [UID, b"alice@example.com"])
def test_openssl_keys_and_signatures_both_ways(tmp_path: Path, uid: bytes) -> None:
    distid = f"distid:{uid.decode()}"
    msg = tmp_path / "msg"
    msg.write_bytes(b"transaction payload " * 7)
    # openssl's key loads here, its signature verifies here.
    key_pem = tmp_path / "key.pem"
    assert (
        run(
            "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", key_pem
        ).returncode
        == 0
    )
    theirs = sm2.PrivateKey.from_pem(key_pem.read_bytes())
    pub_pem = run("pkey", "-in", key_pem, "-pubout").stdout
    assert sm2.PublicKey.from_pem(pub_pem) == theirs.public_key
    sig = tmp_path / "sig.der"
    assert (
        run("dgst", "-sm3", "-sign", key_pem, "-sigopt", distid, "-out", sig, msg).returncode == 0
    )
    assert theirs.public_key.verify(sig.read_bytes(), msg.read_bytes(), uid=uid)
    assert not theirs.public_key.verify(sig.read_bytes(), msg.read_bytes(), uid=uid + b"x")
    assert sm2.verify_batch(
        [theirs.public_key], [msg.read_bytes()], [sig.read_bytes()], uid=uid
    ).tolist() == [True]
    # Our keys (PKCS#8 and SEC1 PEM) load in openssl; our signatures verify there.
    ours = sm2.PrivateKey.generate()
    for fmt in ("pkcs8", "sec1"):
        p = tmp_path / f"ours_{fmt}.pem"
        p.write_bytes(ours.to_pem(fmt))
        out = run("pkey", "-in", p, "-pubout")
        assert out.returncode == 0, out.stderr
        assert sm2.PublicKey.from_pem(out.stdout) == ours.public_key
    our_pub = tmp_path / "ours_pub.pem"
    our_pub.write_bytes(ours.public_key.to_pem())
    for deterministic in (False, True):
        sig.write_bytes(ours.sign(msg.read_bytes(), uid=uid, deterministic=deterministic))
        res = run("dgst", "-sm3", "-verify", our_pub, "-sigopt", distid, "-signature", sig, msg)
        assert res.returncode == 0 and b"Verified OK" in res.stdout, res.stdout + res.stderr
    sig.write_bytes(ours.sign(msg.read_bytes() + b"?", uid=uid))
    res = run("dgst", "-sm3", "-verify", our_pub, "-sigopt", distid, "-signature", sig, msg)
    assert res.returncode != 0


# --- properties ------------------------------------------------------------------------------


@FAST
@given(msg=st.binary(max_size=200), uid=st.binary(max_size=40), flip=st.integers(0, 10**6))
def test_sign_verify_and_tamper(
    keys: list[sm2.PrivateKey], msg: bytes, uid: bytes, flip: int
) -> None:
    key, other = keys[0], keys[1]
    sig = key.sign(msg, uid=uid)
    pub = key.public_key
    assert pub.verify(sig, msg, uid=uid)
    raw = key.sign(msg, uid=uid, encoding="raw")
    assert len(raw) == 64 and pub.verify(raw, msg, uid=uid, encoding="raw")
    assert pub.verify(raw, ref_e(pub.to_bytes("raw"), msg, uid), encoding="raw", prehashed=True)
    # any change gives False
    bad_msg = bytearray(msg or b"\0")
    bad_msg[flip % len(bad_msg)] ^= 1 << (flip % 8)
    assert not pub.verify(sig, bytes(bad_msg) if msg else b"\0", uid=uid)
    bad_raw = bytearray(raw)
    bad_raw[flip % 64] ^= 1 << (flip % 8)
    assert not pub.verify(bytes(bad_raw), msg, uid=uid, encoding="raw")
    assert not other.public_key.verify(sig, msg, uid=uid)
    assert not pub.verify(sig, msg, uid=uid + b"\0")


@FAST
@given(msg=st.binary(max_size=64))
def test_deterministic_and_hedged(keys: list[sm2.PrivateKey], msg: bytes) -> None:
    key = keys[0]
    assert key.sign(msg, deterministic=True) == key.sign(msg, deterministic=True)
    assert key.sign(msg) != key.sign(msg)  # fresh OS randomness in k


@FAST
@given(data=st.data())
def test_batch_equals_loop(keys: list[sm2.PrivateKey], data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 12))
    idx = data.draw(st.lists(st.integers(0, len(keys) - 1), min_size=n, max_size=n))
    msgs = data.draw(st.lists(st.binary(max_size=80), min_size=n, max_size=n))
    uid = data.draw(st.binary(max_size=20))
    sks = [keys[i] for i in idx]
    sigs = sm2.sign_batch(sks, msgs, uid=uid)
    assert isinstance(sigs, list) and len(sigs) == n
    fmt = data.draw(st.sampled_from(["uncompressed", "compressed", "raw"]))
    pubs = [k.public_key.to_bytes(fmt) for k in sks]
    assert sm2.verify_batch(pubs, msgs, sigs, uid=uid).all()
    single = [k.public_key.verify(s, m, uid=uid) for k, s, m in zip(sks, sigs, msgs, strict=True)]
    assert all(single)
    # deterministic batch signatures equal single deterministic signatures
    det = sm2.sign_batch(sks, msgs, uid=uid, deterministic=True, encoding="raw")
    assert det.shape == (n, 64)
    assert [bytes(row) for row in det] == [
        k.sign(m, uid=uid, deterministic=True, encoding="raw")
        for k, m in zip(sks, msgs, strict=True)
    ]
    # shuffle signatures: the batch equals the loop
    perm = data.draw(st.permutations(range(n)))
    shuffled = [sigs[p] for p in perm]
    expect = [
        k.public_key.verify(s, m, uid=uid) for k, s, m in zip(sks, shuffled, msgs, strict=True)
    ]
    assert sm2.verify_batch(pubs, msgs, shuffled, uid=uid, threads=2).tolist() == expect


def test_single_calls_equal_batch_rows(keys: list[sm2.PrivateKey]) -> None:
    """The single-item methods (straight into C) and the batch functions give the same bytes:
    Z_A, deterministic signatures and verdicts, for several identities and prehashed e."""
    for i, uid in enumerate([sm2.DEFAULT_UID, b"", b"alice", os.urandom(300)]):
        k = keys[i % len(keys)]
        pub = k.public_key
        for m, pre in ((b"", False), (os.urandom(100), False), (os.urandom(32), True)):
            one = k.sign(m, uid=uid, prehashed=pre, deterministic=True)
            assert one == sm2.sign_batch([k], [m], uid=uid, prehashed=pre, deterministic=True)[0]
            for sig in (one, one[:-1] + bytes([one[-1] ^ 1])):
                single = pub.verify(sig, m, uid=uid, prehashed=pre)
                batch = sm2.verify_batch([pub], [m], [sig], uid=uid, prehashed=pre)
                assert [single] == batch.tolist()
        # Z_A by the standard's formula with OpenSSL's SM3
        assert sm3(pub.za(uid) + b"m") == ref_e(pub.to_bytes("raw"), b"m", uid)


def test_mixed_validity_batch(keys: list[sm2.PrivateKey]) -> None:
    n = 40
    sks = [keys[i % 3] for i in range(n)]
    msgs = [b"msg %d" % i for i in range(n)]
    sigs = sm2.sign_batch(sks, msgs)
    pubs = [
        k.public_key.to_bytes(["uncompressed", "compressed", "raw"][i % 3])
        for i, k in enumerate(sks)
    ]
    bad = {}
    r_s = [
        (
            int.from_bytes(DSASignature.load(s)["r"].contents, "big"),
            int.from_bytes(DSASignature.load(s)["s"].contents, "big"),
        )
        for s in sigs
    ]

    def enc(r: int, s: int) -> bytes:
        return DSASignature({"r": r, "s": s}).dump()

    sigs[1] = sigs[1] + b"\x00"
    bad[1] = "trailing byte"
    sigs[4] = b"\x30\x00"
    bad[4] = "empty sequence"
    sigs[7] = enc(0, r_s[7][1])
    bad[7] = "r = 0"
    sigs[9] = enc(r_s[9][0], N)
    bad[9] = "s = n"
    # r >= n written in 32 bytes, so the range check refuses it, not DER's length limit (a
    # random r + n needs 33: test_r_plus_n_and_s_plus_n_refused builds a signature for that)
    sigs[11] = enc(2**256 - 1, r_s[11][1])
    bad[11] = "r = 2^256 - 1"
    sigs[13] = b""
    bad[13] = "empty"
    pubs[16] = pubs[16][:-1]
    bad[16] = "short key"
    xy = bytearray(keys[0].public_key.to_bytes("raw"))
    xy[63] ^= 1
    pubs[19] = b"\x04" + bytes(xy)
    bad[19] = "off-curve key"
    pubs[22] = b"\x05" + pubs[22][1:] if len(pubs[22]) in (33, 65) else b"\x05" + pubs[22]
    bad[22] = "bad prefix"
    pubs[25] = b"\x04" + P.to_bytes(32, "big") + bytes(32)
    bad[25] = "x = p"
    msgs[28] = msgs[28] + b"x"
    bad[28] = "changed message"
    sigs[31] = sigs[31][:8] + bytes([sigs[31][8] ^ 0x40]) + sigs[31][9:]
    bad[31] = "flipped bit"
    got = sm2.verify_batch(pubs, msgs, sigs, threads=2)
    assert [i for i in range(n) if not got[i]] == sorted(bad), bad


def test_r_plus_n_and_s_plus_n_refused() -> None:
    """r + n and s + n below 2^256 (32-byte magnitudes that DER carries) are refused by the
    range check alone; a verifier reducing them mod n would accept them. A random signature's
    r + n does not fit in 256 bits, so one with r, s < 2^256 - n is built in Python
    (sig_construct); Z_A hashes the key being built, so e is free only prehashed."""
    made = sm2_small(random.Random(2024))
    pub = sm2.PublicKey.from_bytes(b"\x04" + made.pub)
    e, r, s = made.e.to_bytes(32, "big"), made.r, made.s

    def both(a: int, b: int) -> tuple[bytes, bytes]:
        return a.to_bytes(32, "big") + b.to_bytes(32, "big"), DSASignature({"r": a, "s": b}).dump()

    # the base case is accepted everywhere, and it is what the library signs with (d, e, k)
    for sig, encoding in zip(both(r, s), ("raw", "der"), strict=True):
        assert pub.verify(sig, e, encoding=encoding, prehashed=True)
        assert sm2.verify_batch([pub], [e], [sig], encoding=encoding, prehashed=True).all()
    rb, sb = ffi.new("uint8_t[32]"), ffi.new("uint8_t[32]")
    d, k = made.d.to_bytes(32, "big"), made.k.to_bytes(32, "big")
    assert lib.cc_sm2_sign_with_k(d, e, k, rb, sb) == lib.CC_OK
    assert bytes(rb) + bytes(sb) == both(r, s)[0]
    cases = {"r + n": (r + N, s), "s + n": (r, s + N), "r + n, s + n": (r + N, s + N)}
    for why, (a, b) in cases.items():
        assert a < 2**256 and b < 2**256, why
        raw, der_sig = both(a, b)
        # the library's DER parser takes these (the length limit is not what refuses them)
        rr, ss, ok = ffi.new("uint8_t[32]"), ffi.new("uint8_t[32]"), ffi.new("uint8_t[1]")
        offs = ffi.new("uint64_t[]", [0, len(der_sig)])
        assert lib.cc_der_sig_parse_batch(der_sig, offs, 1, rr, ss, ok) == lib.CC_OK
        assert ok[0] == 1 and bytes(rr) + bytes(ss) == raw, why
        for sig, encoding in ((raw, "raw"), (der_sig, "der")):
            assert not pub.verify(sig, e, encoding=encoding, prehashed=True), (why, encoding)
            got = sm2.verify_batch([pub], [e], [sig], encoding=encoding, prehashed=True)
            assert got.tolist() == [False], (why, encoding)


def test_input_forms_and_repeated_keys(keys: list[sm2.PrivateKey]) -> None:
    n = 10
    sks = np.stack([np.frombuffer(keys[i % 2].to_bytes(), np.uint8) for i in range(n)])
    msgs = np.frombuffer(os.urandom(16 * n), np.uint8).reshape(n, 16)
    raw = sm2.sign_batch(sks, msgs, encoding="raw")
    assert isinstance(raw, np.ndarray) and raw.shape == (n, 64) and raw.dtype == np.uint8
    pubs = np.stack([np.frombuffer(keys[i % 2].public_key.to_bytes(), np.uint8) for i in range(n)])
    assert sm2.verify_batch(pubs, msgs, raw, encoding="raw").all()
    # flat message buffer with offsets; DER signatures as a flat buffer too
    flat = [os.urandom(i * 3) for i in range(n)]
    der_sigs = sm2.sign_batch([keys[i % 2] for i in range(n)], flat)
    moff = np.cumsum([0, *map(len, flat)])
    soff = np.cumsum([0, *map(len, der_sigs)])
    ok = sm2.verify_batch(
        pubs, b"".join(flat), b"".join(der_sigs), message_offsets=moff, signature_offsets=soff
    )
    assert ok.all()
    # prehashed batch
    es = [ref_e(keys[i % 2].public_key.to_bytes("raw"), flat[i]) for i in range(n)]
    assert sm2.verify_batch(pubs, es, der_sigs, prehashed=True).all()
    sig_pre = sm2.sign_batch([keys[i % 2] for i in range(n)], es, prehashed=True)
    assert sm2.verify_batch(pubs, flat, sig_pre).all()
    assert sm2.verify_batch([], [], []).shape == (0,)


def test_long_uid(keys: list[sm2.PrivateKey]) -> None:
    uid = os.urandom(8191)
    sig = keys[0].sign(b"m", uid=uid)
    assert keys[0].public_key.verify(sig, b"m", uid=uid)
    assert sm2.verify_batch([keys[0].public_key], [b"m"], [sig], uid=uid).tolist() == [True]
    with pytest.raises(ValueError, match="uid: at most 8191"):
        keys[0].sign(b"m", uid=uid + b"x")
    with pytest.raises(ValueError, match="uid"):
        sm2.verify_batch([keys[0].public_key], [b"m"], [sig], uid=uid + b"x")


# --- bad input -------------------------------------------------------------------------------


def test_bad_arguments(keys: list[sm2.PrivateKey]) -> None:
    key = keys[0]
    pub = key.public_key
    sig = key.sign(b"m")
    with pytest.raises(TypeError, match="message"):
        key.sign("text")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="signature"):
        pub.verify(sig.hex(), b"m")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="uid"):
        pub.verify(sig, b"m", uid="1234567812345678")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="encoding"):
        pub.verify(sig, b"m", encoding="pem")
    with pytest.raises(ValueError, match="32-byte"):
        key.sign(b"short", prehashed=True)
    assert pub.verify(b"garbage", b"m") is False
    assert pub.verify(sig, b"m", prehashed=True) is False
    assert pub.verify(sig[:64], b"m", encoding="raw") is False
    with pytest.raises(TypeError, match=r"messages\[1\]"):
        sm2.verify_batch([pub, pub], [b"m", "m"], [sig, sig])
    with pytest.raises(TypeError, match="signatures"):
        sm2.verify_batch([pub], [b"m"], sig)
    with pytest.raises(ValueError, match="public_keys=2, messages=1, signatures=2"):
        sm2.verify_batch([pub, pub], [b"m"], [sig, sig])
    with pytest.raises(ValueError, match=r"private_keys\[1\]"):
        sm2.sign_batch([key.to_bytes(), bytes(32)], [b"a", b"b"])
    with pytest.raises(ValueError, match=r"private_keys\[0\]: expected a 32-byte"):
        sm2.sign_batch([b"\x01" * 31], [b"a"])
    with pytest.raises(ValueError, match="private_keys=1, messages=2"):
        sm2.sign_batch([key], [b"a", b"b"])
    with pytest.raises(ValueError, match=r"messages\[0\]"):
        sm2.sign_batch([key], [b"a"], prehashed=True)
    other = cc.ecdsa.PrivateKey.generate("p256")
    with pytest.raises(ValueError, match="p256"):
        sm2.verify_batch([other.public_key], [b"m"], [sig])


def test_sign_batch_with_key_objects_equals_raw_secrets() -> None:
    keys = [sm2.PrivateKey.generate() for _ in range(5)]
    msgs = [b"m%d" % i for i in range(5)]
    from_objects = sm2.sign_batch(keys, msgs, deterministic=True, uid=b"u")
    from_secrets = sm2.sign_batch([k.to_bytes() for k in keys], msgs, deterministic=True, uid=b"u")
    assert from_objects == from_secrets
    assert sm2.verify_batch([k.public_key for k in keys], msgs, from_objects, uid=b"u").all()
