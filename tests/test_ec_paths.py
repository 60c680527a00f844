"""Every build of the C curve code (baseline, BMI2/ADX, AVX-512 IFMA) gives the same verdicts and
recovered keys, row for row, as the signer and as each other: random signatures, broken ones,
batch sizes that leave AVX-512 lanes idle, and the rows the IFMA lanes cannot finish (an
addition meeting its own point or its negative) that they hand back to the scalar code."""

import functools

import pytest
from chaincrypto._cpu import ffi, lib
from test_ec_c import (
    K1,
    P256,
    SM2,
    N,
    b32,
    buf,
    ecdsa_sign,
    pubkey_create,
    rnd32,
    rnd_key,
    sm2_sign,
)

PATHS = {"base": lib.CC_EC_PATH_BASE, "adx": lib.CC_EC_PATH_ADX, "ifma": lib.CC_EC_PATH_IFMA}
AVAILABLE = [name for name, p in PATHS.items() if (lib.cc_ec_paths() >> p) & 1]
ONE = b32(1)


def verify(curve, path, pubs, es, rs, ss):
    n = len(pubs)
    ok = buf(n)
    rc = lib.cc_ec_verify_path_batch(
        curve, path, b"".join(pubs), b"".join(es), b"".join(rs), b"".join(ss), n, 0, ok
    )
    assert rc == lib.CC_OK
    return list(ok)


def recover(curve, path, es, rs, ss, rids):
    n = len(es)
    out, ok = buf(64 * n), buf(n)
    rc = lib.cc_ecdsa_recover_path_batch(
        curve, path, b"".join(es), b"".join(rs), b"".join(ss), bytes(rids), n, out, ok
    )
    assert rc == lib.CC_OK
    return [bytes(out[64 * i : 64 * i + 64]) for i in range(n)], list(ok)


def top_digit(u: int, n: int, w: int, digits: int) -> int:
    """The last digit of ecmult_ifma.h's regular signed-window recoding of u (the one its lanes
    start from), to pick rows where the first addition meets its own point."""
    neg = u % 2 == 0
    k = n - u if neg else u
    for _ in range(digits - 1):
        v = k % (2 << w) - (1 << w)
        k = (k - v) >> w
    return -k if neg else k


def scalars(curve, e: bytes, r: bytes, s: bytes) -> tuple[int, int]:
    """(u1, u2) of u1 G + u2 P in verification."""
    n = N[curve]
    ri, si, ei = int.from_bytes(r, "big"), int.from_bytes(s, "big"), int.from_bytes(e, "big") % n
    if curve == SM2:
        return si, (ri + si) % n
    w = pow(si, -1, n)
    return ei * w % n, ri * w % n


def meets_itself(curve, e, r, s) -> bool:
    """With P = G: does the lanes' first addition, (top P digit) G + (top G digit) G, have two
    points of equal x?"""
    u1, u2 = scalars(curve, e, r, s)
    dg, dp = top_digit(u1, N[curve], 9, 29), top_digit(u2, N[curve], 4, 64)
    return abs(dg) == abs(dp)


def test_paths_listed():
    from chaincrypto.backends.cpu.ec import curve_paths

    assert curve_paths() == AVAILABLE and AVAILABLE[0] == "base"
    f = lib.cc_cpu_features()
    adx = lib.CC_CPU_BMI2 | lib.CC_CPU_ADX | lib.CC_CPU_AVX2
    assert ("adx" in AVAILABLE) == (f & adx == adx)
    assert ("ifma" in AVAILABLE) == (
        "adx" in AVAILABLE and bool(f & lib.CC_CPU_AVX512) and bool(f & lib.CC_CPU_IFMA)
    )
    for name, p in PATHS.items():
        ok = buf(1)
        rc = lib.cc_ec_verify_path_batch(SM2, p, ffi.NULL, ffi.NULL, ffi.NULL, ffi.NULL, 0, 0, ok)
        assert rc == (lib.CC_OK if name in AVAILABLE else lib.CC_ERR_PATH)
    for bad in (4, -1, 99):
        rc = lib.cc_ec_verify_path_batch(K1, bad, ffi.NULL, ffi.NULL, ffi.NULL, ffi.NULL, 0, 0, ok)
        assert rc == lib.CC_ERR_PATH
    args = (ffi.NULL,) * 4
    assert lib.cc_ec_verify_path_batch(7, 0, *args, 0, 0, ok) == lib.CC_ERR_ARG
    assert lib.cc_ecdsa_recover_path_batch(SM2, 0, *args, 0, ffi.NULL, ok) == lib.CC_ERR_ARG


@pytest.mark.parametrize("curve", [SM2, K1, P256], ids=["sm2", "secp256k1", "p256"])
def test_paths_agree(curve):
    n = N[curve]
    sign = sm2_sign if curve == SM2 else functools.partial(ecdsa_sign, curve)
    # random keys, plus the key 1 (P = G) and -1 (P = -G) where lanes meet their own point
    sks = [rnd_key(curve) for _ in range(30)] + [ONE] * 40 + [b32(n - 1)] * 8
    if curve == SM2:  # SM2 keys stop at n - 2
        sks[-8:] = [b32(n - 2)] * 8
    es = [rnd32() for _ in sks]
    es[3] = b32(0)  # ECDSA: u1 = 0
    es[4] = b32(n)  # ... and e = n, the same after reduction
    pubs, okk = pubkey_create(curve, sks)
    assert all(okk)
    sigs = sign(sks, es)
    rs, ss = [sg[0] for sg in sigs], [sg[1] for sg in sigs]
    expect = [1] * len(sks)
    for i in (5, 40, 71):  # broken signatures
        rs[i] = b32((int.from_bytes(rs[i], "big") + 1) % n)
        expect[i] = 0
    # u1 G + u2 G = infinity, P = G: SM2 t = -s (r = -2s), ECDSA e = -r. The lanes' last
    # addition meets its own negative; a lane left to finish would end on Z = 0, which compares
    # equal to any r and would accept the forgery.
    for i in (41, 42, 43, 44):
        s_i, r_i = int.from_bytes(ss[i], "big"), int.from_bytes(rs[i], "big")
        if curve == SM2:
            rs[i] = b32(-2 * s_i % n)
        else:
            es[i] = b32(-r_i % n)
        expect[i] = 0
    if curve != K1:  # secp256k1's lanes recode GLV halves, which top_digit does not follow
        hits = sum(meets_itself(curve, es[i], rs[i], ss[i]) for i in range(30, 70))
        assert hits >= 2, "no row exercises the IFMA lanes' hand-back"
    # forged signatures for P = G whose first addition meets its own point
    forged = 0
    while curve != K1 and forged < 4:
        e, r, s = rnd32(), rnd_key(curve), rnd_key(curve)
        if meets_itself(curve, e, r, s):
            sks.append(ONE)
            pubs.append(pubs[30])
            es.append(e)
            rs.append(r)
            ss.append(s)
            expect.append(0)
            forged += 1
    # idle lanes: 82 (78 for secp256k1) = 5 (4) groups of 16 + 2 (14); 9 rows; 1 row (on the
    # scalar code: few rows are cheaper there)
    for size in (len(sks), 9, 1):
        rows = slice(0, size) if size != 9 else slice(30, 39)
        want = expect[rows]
        for name in AVAILABLE:
            got = verify(curve, PATHS[name], pubs[rows], es[rows], rs[rows], ss[rows])
            assert got == want, name
    if curve == SM2:
        return
    rids = [sg[2] for sg in sigs] + [0] * forged
    base = recover(curve, PATHS["base"], es, rs, ss, rids)
    assert [base[0][i] == pubs[i] for i in range(len(sks))] == [bool(x) for x in expect]
    assert all(ok for ok, x in zip(base[1], expect, strict=True) if x)  # r + 1: maybe no point
    for name in AVAILABLE:
        assert recover(curve, PATHS[name], es, rs, ss, rids) == base, name


def sign_path(curve, path, sks, es, extras):
    n = len(sks)
    r, s, rid, ok = buf(32 * n), buf(32 * n), buf(n), buf(n)
    rc = lib.cc_ec_sign_path_batch(
        curve, path, b"".join(sks), b"".join(es), b"".join(extras), n, r, s, rid, ok
    )
    assert rc == lib.CC_OK
    rids = list(rid) if curve != SM2 else [0] * n  # SM2 leaves recid alone
    return [bytes(r), bytes(s), rids, list(ok)]


def pubkey_path(curve, path, sks):
    n = len(sks)
    pub, ok = buf(64 * n), buf(n)
    assert lib.cc_ec_pubkey_create_path_batch(curve, path, b"".join(sks), n, pub, ok) == lib.CC_OK
    return bytes(pub), list(ok)


def comb_edge_keys(n: int) -> list[int]:
    """Keys whose 6-bit comb windows (ecmult_gen's recoding) sit on the digit boundaries: all 32
    (the largest positive digit), all 33 (-31 and a carry), all 63 (-1 and a carry that runs
    through every window), runs of zero windows (the accumulator at infinity, then a digit 0
    that must leave it alone), and n - 1, whose carries reach the top window."""

    def windows(v: int, count: int = 42) -> int:
        return sum(v << (6 * i) for i in range(count))

    return [
        1,
        2,
        3,
        31,
        32,
        33,
        63,
        64,
        65,
        64**10,
        2**255 % n,
        windows(32),
        windows(33),
        windows(63),
        windows(1, 32) << 60,
        (1 << 252) - (1 << 30),
        n - 1,
        n - 2,
        n - 3,
    ]


@pytest.mark.parametrize("curve", [SM2, K1, P256], ids=["sm2", "secp256k1", "p256"])
def test_paths_sign_agree(curve):
    """Key derivation and signing (RFC 6979 nonces, the comb k G of every row: 16 at a time in
    the IFMA lanes) give the same bytes on every build, and the keys are right: cryptography
    (OpenSSL) derives them for secp256k1 and P-256, affine double-and-add in Python for SM2."""
    from chaincrypto._curve_params import CURVES, affine_mul

    n, c = N[curve], CURVES[curve]
    keys = comb_edge_keys(n) + [int.from_bytes(rnd_key(curve), "big") for _ in range(12)]
    # invalid keys inside groups: 0, n, 2^256 - 1, and for SM2 n - 1
    bad = [0, n, 2**256 - 1] + ([n - 1] if curve == SM2 else [])
    for at, k in zip((3, 17, 20, 29), bad, strict=False):
        keys.insert(at, k)
    sks = [b32(k) for k in keys]
    es = [rnd32() for _ in sks]
    extras = [rnd32() for _ in sks]
    valid = [1 if 0 < k < n - (curve == SM2) else 0 for k in keys]
    if curve == SM2:
        want = [
            affine_mul(c, k, (c.gx, c.gy)) if v else None for k, v in zip(keys, valid, strict=True)
        ]
    else:
        from cryptography.hazmat.primitives.asymmetric import ec

        ec_curve = ec.SECP256K1() if curve == K1 else ec.SECP256R1()
        want = []
        for k, v in zip(keys, valid, strict=True):
            pn = ec.derive_private_key(k, ec_curve).public_key().public_numbers() if v else None
            want.append((pn.x, pn.y) if pn else None)
    expect_pub = b"".join(b32(w[0]) + b32(w[1]) if w else bytes(64) for w in want)
    # 37 rows: groups of 16, 16, 5 (lanes, 11 idle); 4 rows on the scalar comb; 5 and 1 rows
    for rows in (slice(0, len(sks)), slice(0, 4), slice(10, 15), slice(7, 8)):
        for name in AVAILABLE:
            pub, ok = pubkey_path(curve, PATHS[name], sks[rows])
            assert (pub, ok) == (expect_pub[64 * rows.start : 64 * rows.stop], valid[rows]), name
        results = {
            name: sign_path(curve, PATHS[name], sks[rows], es[rows], extras[rows])
            for name in AVAILABLE
        }
        for name in AVAILABLE:
            assert results[name] == results["base"], name
        assert results["base"][3] == valid[rows]
    # and the signatures verify against the keys derived above (on the baseline's wNAF
    # verification; the OpenSSL, coincurve and gmssl suites check the default build's signatures)
    r, s, _, _ = sign_path(curve, PATHS[AVAILABLE[-1]], sks, es, extras)
    good = [i for i, v in enumerate(valid) if v]
    pubs = [expect_pub[64 * i : 64 * i + 64] for i in good]
    rs = [r[32 * i : 32 * i + 32] for i in good]
    ss = [s[32 * i : 32 * i + 32] for i in good]
    got = verify(curve, PATHS["base"], pubs, [es[i] for i in good], rs, ss)
    assert got == [1] * len(good)
