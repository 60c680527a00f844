"""SM2 and ECDSA on the CUDA backend against the C backend, which the signature tests hold to
the standards' vectors, Wycheproof, OpenSSL, libsecp256k1 and gmssl.

Three layers, all comparing every output (values and ok flags) with the C backend's:

* the per-thread kernel code (``chaincrypto.cuda.ec_kernels.*_items``), compiled for the CPU
  with ``numba.njit`` and run over hundreds of random and edge-case items per curve, one, three
  and eight items a thread (the same source and integer typing as on the device), plus the
  field and point arithmetic against Python integers;
* the kernels themselves under the CUDA simulator, a few items per op, through the public API;
* on a GPU host (``-m cuda``), 2^20 random items per op.
"""

from __future__ import annotations

import functools
import random

import numpy as np
import pytest

pytest.importorskip("numba")
pytest.importorskip("numba.cuda")

from cuda_support import gpu, ordinary_only, run_simulated, simulated

import chaincrypto as cc
from chaincrypto import backends

CURVES = (0, 1, 2)  # SM2, secp256k1, P-256 (the C backend's codes)
NAMES = {0: "sm2", 1: "secp256k1", 2: "p256"}


def test_simulator_run() -> None:
    run_simulated(__file__)


def _cpu(op: str):  # type: ignore[no-untyped-def]
    be, _ = backends.load("cpu")
    assert be is not None
    return be.op(op)


def _be(x: int) -> np.ndarray:
    return np.frombuffer(x.to_bytes(32, "big"), np.uint8)


def _rows(values: list[int]) -> np.ndarray:
    return np.array([_be(v) for v in values], dtype=np.uint8).reshape(-1, 32)


def _int(row: np.ndarray) -> int:
    return int.from_bytes(row.tobytes(), "big")


def _keys(curve: int, n: int, rng: random.Random) -> list[int]:
    from chaincrypto.cuda.curves import params

    order = params(curve).n
    edge = [1, 2, order - 2, order - 1, 0, order, order + 1, (1 << 256) - 1]
    return edge + [rng.randrange(1, order - 1) for _ in range(n)]


# ---------------------------------------------------------------------------------------------
# Layer 1: the kernel code on the CPU (numba.njit), many items (not under the simulator)

cpu_only = ordinary_only  # numba.njit runs in the ordinary process


#: Items a thread in the layer-1 runs: one, an uneven few, and the most a kernel takes.
PER_THREAD = (1, 3, 8)


@functools.cache
def _harness():  # type: ignore[no-untyped-def]
    """numba.njit loops running each ``*_items`` function as a grid would: ``stride`` threads,
    thread ``g`` taking items ``g``, ``g + stride``, ..., each with fresh scratch filled with
    garbage (device local memory starts undefined)."""
    from numba import njit

    from chaincrypto.cuda import ec_kernels as k
    from chaincrypto.cuda.field import EXP_TABLE
    from chaincrypto.cuda.point import WORK_ROWS
    from chaincrypto.cuda.scalarmul import DIGITS_SHAPE, Q_TABLE

    junk = np.uint32(0xA5C3_5A3C)

    @njit
    def scratch(rows):  # type: ignore[no-untyped-def]
        return (
            np.full((WORK_ROWS, 8), junk, np.uint32),
            np.full((k.V_ROWS, 8), junk, np.uint32),
            np.full((3, 3, 8), junk, np.uint32),
            np.full((EXP_TABLE, 8), junk, np.uint32),
            np.full((rows, k.BATCH, 8), junk, np.uint32),
        )

    @njit
    def verify_scratch():  # type: ignore[no-untyped-def]
        return np.full((Q_TABLE, 3, 8), junk, np.uint32), np.full(DIGITS_SHAPE, 99, np.int8)

    @njit
    def pubkey(stride, sk, limit, K, comb, px, py, ok):  # type: ignore[no-untyped-def]
        for g in range(stride):
            W, v, P, X, Bt = scratch(k.BATCH_ROWS)
            k.pubkey_items(g, stride, sk, limit, K, comb, px, py, ok, W, v, P, X, Bt)

    @njit
    def sm2_sign(stride, sk, e, kk, K, comb, r, s, ok):  # type: ignore[no-untyped-def]
        for g in range(stride):
            W, v, P, X, Bt = scratch(k.BATCH_ROWS)
            k.sm2_sign_items(g, stride, sk, e, kk, K, comb, r, s, ok, W, v, P, X, Bt)

    @njit
    def ecdsa_sign(stride, sk, e, kk, low_s, K, comb, r, s, recid, ok):  # type: ignore[no-untyped-def]
        for g in range(stride):
            W, v, P, X, Bt = scratch(k.BATCH_ROWS)
            k.ecdsa_sign_items(
                g, stride, sk, e, kk, low_s, K, comb, r, s, recid, ok, W, v, P, X, Bt
            )

    @njit
    def sm2_verify(stride, px, py, e, r, s, K, gtab, ok):  # type: ignore[no-untyped-def]
        for g in range(stride):
            W, v, P, _, _ = scratch(0)
            qtab, digits = verify_scratch()
            k.sm2_verify_items(g, stride, px, py, e, r, s, K, gtab, ok, W, v, P, qtab, digits)

    @njit
    def ecdsa_verify(stride, px, py, e, r, s, low_s, K, gtab, ok):  # type: ignore[no-untyped-def]
        for g in range(stride):
            W, v, P, X, Bt = scratch(k.VERIFY_ROWS)
            qtab, digits = verify_scratch()
            k.ecdsa_verify_items(
                g, stride, px, py, e, r, s, low_s, K, gtab, ok, W, v, P, X, Bt, qtab, digits
            )

    @njit
    def recover(stride, e, r, s, recid, K, gtab, px, py, ok):  # type: ignore[no-untyped-def]
        for g in range(stride):
            W, v, P, X, Bt = scratch(k.BATCH_ROWS)
            qtab, digits = verify_scratch()
            k.ecdsa_recover_items(
                g, stride, e, r, s, recid, K, gtab, px, py, ok, W, v, P, X, Bt, qtab, digits
            )

    return {
        "pubkey": pubkey,
        "sm2_sign": sm2_sign,
        "ecdsa_sign": ecdsa_sign,
        "sm2_verify": sm2_verify,
        "ecdsa_verify": ecdsa_verify,
        "recover": recover,
    }


def _stride(n: int, per_thread: int) -> int:
    """Threads of a launch over ``n`` items, ``per_thread`` a thread (launch.launch_items)."""
    return max(1, -(-n // per_thread))


def _tables(curve: int):  # type: ignore[no-untyped-def]
    from chaincrypto.cuda import curves

    return curves.constants(curve), curves.g_wnaf_table(curve), curves.comb_table(curve)


def _limbs(rows: np.ndarray) -> np.ndarray:
    from chaincrypto.cuda.bigint import limbs_from_be

    return limbs_from_be(rows)


def _bytes(limbs: np.ndarray) -> np.ndarray:
    from chaincrypto.cuda.bigint import be_from_limbs

    return be_from_limbs(limbs)


def _int_rows(xs: list[int]) -> np.ndarray:
    """Integers as ``(n, 8)`` limb rows (one row per integer)."""
    from chaincrypto.cuda.bigint import int_limbs

    return np.stack([int_limbs(x) for x in xs])


def _out(n: int) -> np.ndarray:
    return np.zeros((8, n), np.uint32)


def _njit_pubkey(curve: int, sk: np.ndarray, per_thread: int) -> tuple[np.ndarray, np.ndarray]:
    from chaincrypto.cuda.bigint import int_limbs
    from chaincrypto.cuda.curves import params

    K, _, comb = _tables(curve)
    n = len(sk)
    px, py, ok = _out(n), _out(n), np.zeros(n, np.uint8)
    limit = int_limbs(params(curve).n - (curve == 0))
    _harness()["pubkey"](_stride(n, per_thread), _limbs(sk), limit, K, comb, px, py, ok)
    return np.hstack([_bytes(px), _bytes(py)]), ok.astype(bool)


def _njit_sign(curve: int, sk: np.ndarray, e: np.ndarray, k: np.ndarray, per_thread: int):  # type: ignore[no-untyped-def]
    K, _, comb = _tables(curve)
    n = len(sk)
    r, s, ok, recid = _out(n), _out(n), np.zeros(n, np.uint8), np.zeros(n, np.uint8)
    args = (_stride(n, per_thread), _limbs(sk), _limbs(e), _limbs(k))
    if curve == 0:
        _harness()["sm2_sign"](*args, K, comb, r, s, ok)
    else:
        _harness()["ecdsa_sign"](*args, int(curve == 1), K, comb, r, s, recid, ok)
    return _bytes(r), _bytes(s), recid, ok.astype(bool)


def _njit_verify(curve, pub, e, r, s, low_s, per_thread):  # type: ignore[no-untyped-def]
    K, gtab, _ = _tables(curve)
    ok = np.zeros(len(pub), np.uint8)
    stride = _stride(len(pub), per_thread)
    args = (stride, _limbs(pub[:, :32]), _limbs(pub[:, 32:]), _limbs(e), _limbs(r), _limbs(s))
    if curve == 0:
        _harness()["sm2_verify"](*args, K, gtab, ok)
    else:
        _harness()["ecdsa_verify"](*args, low_s, K, gtab, ok)
    return ok.astype(bool)


def _njit_recover(curve, e, r, s, recid, per_thread):  # type: ignore[no-untyped-def]
    K, gtab, _ = _tables(curve)
    n = len(e)
    px, py, ok = _out(n), _out(n), np.zeros(n, np.uint8)
    recid = np.ascontiguousarray(recid, np.uint8)
    args = (_stride(n, per_thread), _limbs(e), _limbs(r), _limbs(s), recid)
    _harness()["recover"](*args, K, gtab, px, py, ok)
    return np.hstack([_bytes(px), _bytes(py)]), ok.astype(bool)


@functools.cache
def _double_mul_harness():  # type: ignore[no-untyped-def]
    """numba.njit loop of ``scalarmul.double_mul`` then ``to_affine_all`` (``out[i, 2, 0] = 1``
    for infinity)."""
    from numba import njit

    from chaincrypto.cuda import bigint as B
    from chaincrypto.cuda import field as F
    from chaincrypto.cuda import point as P
    from chaincrypto.cuda import scalarmul as S

    @njit
    def double_mul(out, u1, u2, Q, gtab, K):  # type: ignore[no-untyped-def]
        W, t = np.zeros((P.WORK_ROWS, 8), np.uint32), np.zeros(8, np.uint32)
        E, R = np.zeros((3, 8), np.uint32), np.zeros((3, 8), np.uint32)
        qtab, digits = np.zeros((S.Q_TABLE, 3, 8), np.uint32), np.zeros(S.DIGITS_SHAPE, np.int8)
        X = np.zeros((F.EXP_TABLE, 8), np.uint32)
        pts = np.zeros((4, 1, 8), np.uint32)  # x, y, z and the inversion's prefix
        for i in range(u1.shape[0]):
            S.double_mul(R, u1[i], u2[i], Q[i], gtab, K, W, t, qtab, digits, E)
            if B.is_zero(R[2]):
                out[i, 2, 0] = 1
                continue
            for c in range(3):
                B.copy(pts[c, 0], R[c])
            P.to_affine_all(pts[0], pts[1], pts[2], pts[3], 1, True, K, W, t, X)
            B.copy(out[i, 0], pts[0, 0])
            B.copy(out[i, 1], pts[1, 0])

    return double_mul


def _check_double_mul(curve: int, K: np.ndarray, u1: list[int], u2: list[int], qs: list) -> None:
    """``u1[i] G + u2[i] Q[i]`` by the kernel code (constants ``K``) equals Python's."""
    from chaincrypto.cuda import bigint as B
    from chaincrypto.cuda import curves as C

    c = C.params(curve)
    points = np.array([[B.int_limbs(x), B.int_limbs(y)] for x, y in qs])
    out = np.zeros((len(qs), 3, 8), np.uint32)
    _double_mul_harness()(out, _int_rows(u1), _int_rows(u2), points, C.g_wnaf_table(curve), K)
    g = (c.gx, c.gy)
    for i, q in enumerate(qs):
        want = C.affine_add(c, C.affine_mul(c, u1[i], g), C.affine_mul(c, u2[i], q))
        got = None if out[i, 2, 0] else (B.limbs_int(out[i, 0]), B.limbs_int(out[i, 1]))
        assert got == want, (NAMES[curve], i)


@cpu_only
def test_field_and_points_against_python_integers() -> None:
    """Montgomery products and squares mod p and n, products and squares mod p by each prime's
    special-form reduction, and u1*G + u2*Q with the special cases (a zero scalar, a sum at
    infinity, a sum needing a doubling)."""
    from numba import njit

    from chaincrypto.cuda import bigint as B
    from chaincrypto.cuda import curves as C
    from chaincrypto.cuda import field as F

    @njit
    def products(out, a, b, m, minv):  # type: ignore[no-untyped-def]
        t = np.zeros(8, np.uint32)
        for i in range(a.shape[0]):
            B.mont_mul(out[i, 0], a[i], b[i], m, minv, t)
            B.mont_sqr(out[i, 1], a[i], m, minv)

    @njit
    def field_products(out, a, b, K):  # type: ignore[no-untyped-def]
        for i in range(a.shape[0]):
            F.fmul(out[i, 0], a[i], b[i], K)
            F.fsqr(out[i, 1], a[i], K)

    rng = random.Random(5)
    big_r = 1 << 256
    for curve in CURVES:
        c, K = C.params(curve), C.constants(curve)
        for m, minv in ((c.p, C.minv(c.p)), (c.n, C.minv(c.n))):
            xs = [rng.randrange(m) for _ in range(500)] + [0, 1, m - 1, m - 1]
            ys = [rng.randrange(m) for _ in range(500)] + [m - 1, m - 1, 1, m - 1]
            out = np.zeros((len(xs), 2, 8), np.uint32)
            products(out, _int_rows(xs), _int_rows(ys), B.int_limbs(m), minv)
            inv = pow(big_r, -1, m)
            want = [x * y * inv % m for x, y in zip(xs, ys, strict=True)]
            assert [B.limbs_int(o) for o in out[:, 0]] == want
            assert [B.limbs_int(o) for o in out[:, 1]] == [x * x * inv % m for x in xs]
        p = c.p
        # products whose 512-bit value stresses the folds: maximal halves, and the largest
        # and smallest values with each high word set
        edge = [p - 1, p - 2, 1, 0, (1 << 255) + 1, p - (1 << 224), (1 << 224) - 1, 1 << 32]
        xs = [rng.randrange(p) for _ in range(3000)] + edge + [p - 1] * len(edge)
        ys = [rng.randrange(p) for _ in range(3000)] + [p - 1] * len(edge) + edge
        out = np.zeros((len(xs), 2, 8), np.uint32)
        field_products(out, _int_rows(xs), _int_rows(ys), K)
        want = [x * y % p for x, y in zip(xs, ys, strict=True)]
        assert [B.limbs_int(o) for o in out[:, 0]] == want, NAMES[curve]
        assert [B.limbs_int(o) for o in out[:, 1]] == [x * x % p for x in xs], NAMES[curve]
        g = (c.gx, c.gy)
        qs = [C.affine_mul(c, rng.randrange(1, c.n), g) for _ in range(40)]
        u1 = [rng.randrange(c.n) for _ in qs] + [0, 5, 7, 3]
        u2 = [rng.randrange(c.n) for _ in qs] + [9, 0, c.n - 7, 3]
        qs += [qs[0], qs[0], g, g]
        _check_double_mul(curve, K, u1, u2, qs)


@cpu_only
def test_field_reduction_refuses_a_modulus_without_the_special_form() -> None:
    """The bounds checked when the reductions are built hold for the three primes and fail
    for the group orders, whose 2**256 - n has large 32-bit words."""
    from chaincrypto.cuda import curves as C
    from chaincrypto.cuda import field as F

    for curve in CURVES:
        with pytest.raises(ValueError, match="does not apply|too large"):
            F._reducer(C.params(curve).n)


@cpu_only
def test_field_reduction_carries() -> None:
    """Each prime's reduction on 512-bit values built so that the column sums land just below
    2**256 or just above 0, where the folds' carries and borrows happen (a random product
    gets there with probability about 2**-26), and on all-ones and all-zeros halves."""
    from numba import njit

    from chaincrypto.cuda import bigint as B
    from chaincrypto.cuda import curves as C
    from chaincrypto.cuda import field as F

    reducers = {0: F._reduce_sm2, 1: F._reduce_k1, 2: F._reduce_p256}
    rng = random.Random(9)
    big = 1 << 256

    def runner(reduce):  # type: ignore[no-untyped-def]
        @njit
        def run(out, T):  # type: ignore[no-untyped-def]
            for i in range(T.shape[0]):
                reduce(out[i], T[i].copy())

        return run

    for curve in CURVES:
        run = runner(reducers[curve])
        p = C.params(curve).p
        rows = F.fold_rows(p, F.signed_words(big - p))
        values = [sum(c << (32 * j) for j, c in enumerate(row)) for row in rows]
        highs = [0, big - 1] + [rng.randrange(big) for _ in range(60)]
        ts = []
        for h in highs:
            folded = sum(((h >> (32 * k)) & 0xFFFFFFFF) * v for k, v in enumerate(values))
            for target in (0, 1, 5, big - 1, big - 5, big - (1 << 200), 1 << 200):
                ts.append(h * big + (target - folded) % big)
        ts += [(1 << 512) - 1, big - 1, big * (big - 1)]
        T = np.stack([np.concatenate([B.int_limbs(x % big), B.int_limbs(x >> 256)]) for x in ts])
        out = np.zeros((len(ts), 8), np.uint32)
        run(out, T)
        assert [B.limbs_int(o) for o in out] == [x % p for x in ts], NAMES[curve]


@cpu_only
def test_exponentiation_and_glv_split_against_python_integers() -> None:
    """The sliding-window exponentiation (inversions, square roots) over the exponents the
    kernels use and awkward ones, batched inversions of 1 to 8 values, and secp256k1's GLV
    split: k = k1 + k2 lambda (mod n) with
    halves below 2**128, edge scalars included; with split constants that bound nothing, the
    double multiplication falls back to the plain ladder and stays right."""
    from numba import njit

    from chaincrypto.cuda import bigint as B
    from chaincrypto.cuda import curves as C
    from chaincrypto.cuda import field as F
    from chaincrypto.cuda import point as P
    from chaincrypto.cuda import scalarmul as S

    @njit
    def powers(out, a, e, K, mod_n):  # type: ignore[no-untyped-def]
        t, acc = np.zeros(8, np.uint32), np.zeros(8, np.uint32)
        tab = np.zeros((F.EXP_TABLE, 8), np.uint32)
        for i in range(a.shape[0]):
            F.power(out[i], a[i], e[i], K, mod_n, t, acc, tab)

    @njit
    def inverses(vals, count, K, mod_n):  # type: ignore[no-untyped-def]
        t, acc = np.zeros(8, np.uint32), np.zeros(8, np.uint32)
        tab = np.zeros((F.EXP_TABLE, 8), np.uint32)
        pref = np.full((vals.shape[1], 8), 0xFFFFFFFF, np.uint32)
        for i in range(vals.shape[0]):
            F.batch_inverse(vals[i], pref, count, K, mod_n, t, acc, tab)

    @njit
    def splits(out, signs, k, K):  # type: ignore[no-untyped-def]
        W, t = np.zeros((P.WORK_ROWS, 8), np.uint32), np.zeros(8, np.uint32)
        for i in range(k.shape[0]):
            signs[i, 0], signs[i, 1], signs[i, 2] = S.glv_split(out[i, 0], out[i, 1], k[i], K, W, t)

    rng = random.Random(8)
    big_r = 1 << 256
    for curve in CURVES:
        c, K = C.params(curve), C.constants(curve)
        # mod p on plain elements, mod n in the Montgomery domain (factor R)
        for mod_n, m, factor in ((0, c.p, 1), (1, c.n, big_r)):
            es = [m - 2, (c.p + 1) // 4, 0, 1, 2, 3, 7, 8, 1 << 255, big_r - 1]
            es += [rng.randrange(big_r) for _ in range(30)]
            xs = [rng.randrange(1, m) for _ in es[:-2]] + [0, m - 1]
            out = np.zeros((len(xs), 8), np.uint32)
            powers(out, _int_rows([x * factor % m for x in xs]), _int_rows(es), K, mod_n)
            want = [pow(x, e, m) * factor % m for x, e in zip(xs, es, strict=True)]
            assert [B.limbs_int(o) for o in out] == want, (NAMES[curve], mod_n)
            # Montgomery's trick over 1..8 values (the last row beyond count left alone)
            for count in range(1, 9):
                xs = [[rng.randrange(1, m) for _ in range(count)] + [m - 1] for _ in range(20)]
                xs[0][:count] = [1, m - 1, 2, m - 2, 3, 5, 7, 11][:count]
                vals = np.stack([_int_rows([x * factor % m for x in row]) for row in xs])
                inverses(vals, count, K, mod_n)
                for row, got in zip(xs, vals, strict=True):
                    want = [pow(x, -1, m) * factor % m for x in row[:count]]
                    want.append(row[-1] * factor % m)
                    assert [B.limbs_int(g) for g in got] == want, (NAMES[curve], mod_n, count)
    c, K = C.params(1), C.constants(1)
    glv = c.glv
    assert glv is not None
    assert pow(glv.lam, 3, c.n) == 1 and pow(glv.beta, 3, c.p) == 1
    g = (c.gx, c.gy)
    assert C.affine_mul(c, glv.lam, g) == (glv.beta * c.gx % c.p, c.gy)
    ks = [0, 1, 2, c.n - 1, c.n - 2, (c.n - 1) // 2, (c.n + 1) // 2, glv.lam, c.n - glv.lam]
    ks += [rng.randrange(c.n) for _ in range(2000)]
    out, signs = np.zeros((len(ks), 2, 8), np.uint32), np.zeros((len(ks), 3), np.int64)
    splits(out, signs, _int_rows(ks), K)
    for i, k in enumerate(ks):
        k1, k2 = (B.limbs_int(out[i, h]) * (-1 if signs[i, h] else 1) for h in range(2))
        assert (k1 + k2 * glv.lam - k) % c.n == 0, i
        assert abs(k1) < 1 << 128 and abs(k2) < 1 << 128 and signs[i, 2] == 1, i
    # zero split constants leave k whole (k1 = k): the guard must send it down the plain path
    broken = K.copy()
    broken[[C.ROW_GLV_G1, C.ROW_GLV_G2]] = 0
    qs = [C.affine_mul(c, rng.randrange(1, c.n), g) for _ in range(6)]
    u1 = [rng.randrange(1 << 200, c.n) for _ in qs]
    u2 = [rng.randrange(1 << 200, c.n) for _ in qs]
    for consts in (K, broken):
        _check_double_mul(1, consts, u1, u2, qs)


@cpu_only
@pytest.mark.parametrize("curve", (0, 1), ids=NAMES.get)
def test_signing_leaves_no_secret_derived_scratch(curve: int) -> None:
    """After a thread signs its items, the scratch holding values derived from the keys and
    nonces is zero: key and nonce, inverses and prefix products, the exponentiation table,
    the Jacobian points."""
    from numba import njit

    from chaincrypto.cuda import ec_kernels as k
    from chaincrypto.cuda.field import EXP_TABLE
    from chaincrypto.cuda.point import WORK_ROWS

    @njit
    def sign(sk, e, kk, K, comb, r, s, recid, ok, Bt, P, X, v):  # type: ignore[no-untyped-def]
        W = np.full((WORK_ROWS, 8), 5, np.uint32)
        if curve == 0:
            k.sm2_sign_items(0, 1, sk, e, kk, K, comb, r, s, ok, W, v, P, X, Bt)
        else:
            k.ecdsa_sign_items(0, 1, sk, e, kk, 1, K, comb, r, s, recid, ok, W, v, P, X, Bt)

    rng = random.Random(60 + curve)
    n = 5
    sk = _rows([rng.randrange(1, 1 << 255) for _ in range(n)])
    e = _rows([rng.randrange(1 << 256) for _ in range(n)])
    kk, _ = _cpu("ec_nonce")(curve, sk, e, None)
    K, _, comb = _tables(curve)
    Bt = np.full((k.BATCH_ROWS, k.BATCH, 8), 7, np.uint32)
    P, X = np.full((3, 3, 8), 7, np.uint32), np.full((EXP_TABLE, 8), 7, np.uint32)
    v = np.full((k.V_ROWS, 8), 7, np.uint32)
    r, s, recid, ok = _out(n), _out(n), np.zeros(n, np.uint8), np.zeros(n, np.uint8)
    sign(_limbs(sk), _limbs(e), _limbs(kk), K, comb, r, s, recid, ok, Bt, P, X, v)
    assert ok.all()
    assert not Bt[[k.B_PREFIX, k.B_N, k.B_Z], :n].any() and not P.any() and not X.any()
    assert not v[1:3].any()  # key and nonce


@cpu_only
def test_a_point_at_infinity_does_not_spoil_its_batch() -> None:
    """A thread's items keep their Jacobian points for one shared inversion: one at infinity
    (Z = 0, which would zero every inverse) is flagged and kept as Z = 1, and the others come
    out affine and right."""
    from numba import njit

    from chaincrypto.cuda import bigint as B
    from chaincrypto.cuda import curves as C
    from chaincrypto.cuda import ec_kernels as k
    from chaincrypto.cuda.field import EXP_TABLE
    from chaincrypto.cuda.point import WORK_ROWS

    @njit
    def affine(jac, K, flags, out):  # type: ignore[no-untyped-def]
        Bt = np.full((k.BATCH_ROWS, k.BATCH, 8), 7, np.uint32)
        W, t = np.zeros((WORK_ROWS, 8), np.uint32), np.zeros(8, np.uint32)
        X = np.zeros((EXP_TABLE, 8), np.uint32)
        for j in range(jac.shape[0]):
            flags[j] = k._keep_point(Bt, j, jac[j], K)
        k._affine_all(Bt, jac.shape[0], True, K, W, t, X)
        for j in range(jac.shape[0]):
            B.copy(out[j, 0], Bt[k.B_X, j])
            B.copy(out[j, 1], Bt[k.B_Y, j])

    rng = random.Random(31)
    for curve in CURVES:
        c, K = C.params(curve), C.constants(curve)
        g = (c.gx, c.gy)
        pts = [C.affine_mul(c, rng.randrange(1, c.n), g) for _ in range(5)]
        zs = [rng.randrange(1, c.p) for _ in pts]
        jac = [[x * z * z % c.p, y * z * z * z % c.p, z] for (x, y), z in zip(pts, zs, strict=True)]
        jac[2] = [1, 1, 0]  # infinity
        flags, out = np.zeros(5, np.uint64), np.zeros((5, 2, 8), np.uint32)
        affine(np.stack([_int_rows(p) for p in jac]), K, flags, out)
        assert flags.tolist() == [1, 1, 0, 1, 1]
        for j in (0, 1, 3, 4):
            assert (B.limbs_int(out[j, 0]), B.limbs_int(out[j, 1])) == pts[j], (curve, j)


@cpu_only
def test_simulator_twins_equal_the_kernel_code() -> None:
    """The Python-int twins the simulator runs (:func:`~chaincrypto.cuda.launch.jitable`)
    give the numba-compiled primitives' results, carries and borrows included."""
    from numba import njit

    from chaincrypto.cuda import bigint as B
    from chaincrypto.cuda import curves as C
    from chaincrypto.cuda import field as F

    @njit
    def wide(out, a, b, K):  # type: ignore[no-untyped-def]
        for i in range(a.shape[0]):
            F.fmul(out[i, 0], a[i], b[i], K)
            B.mul_wide(out[i, 1:3].reshape(16), a[i], b[i])
            F.fsqr(out[i, 3], a[i], K)
            B.sqr_wide(out[i, 4:6].reshape(16), a[i])

    @njit
    def real(out, flags, a, b, m, minv):  # type: ignore[no-untyped-def]
        t = np.zeros(8, np.uint32)
        for i in range(a.shape[0]):
            flags[i, 0] = B.add(out[i, 0], a[i], b[i])
            flags[i, 1] = B.sub(out[i, 1], a[i], b[i])
            B.mont_mul(out[i, 2], a[i], b[i], m, minv, t)
            B.mont_sqr(out[i, 7], a[i], m, minv)
            B.copy(out[i, 3], a[i])
            B.select(out[i, 3], b[i], flags[i, 0])
            B.mul_shift_384(out[i, 4], a[i], b[i], out[i, 5:7])

    rng = random.Random(6)
    for curve in CURVES:
        c, K = C.params(curve), C.constants(curve)
        for m, minv in ((c.p, C.minv(c.p)), (c.n, C.minv(c.n))):
            xs = [rng.randrange(m) for _ in range(300)] + [0, m - 1, m - 1, 1]
            ys = [rng.randrange(m) for _ in range(300)] + [m - 1, m - 1, 0, 1]
            a = np.stack([B.int_limbs(x) for x in xs])
            b = np.stack([B.int_limbs(y) for y in ys])
            out, flags = np.zeros((len(xs), 8, 8), np.uint32), np.zeros((len(xs), 2), np.int64)
            real(out, flags, a, b, B.int_limbs(m), minv)
            for i in range(len(xs)):
                r = np.zeros((8, 8), np.uint32)
                carry = B.add_twin(r[0], a[i], b[i])
                borrow = B.sub_twin(r[1], a[i], b[i])
                B.mont_mul_twin(r[2], a[i], b[i], B.int_limbs(m), minv, None)
                B.copy(r[3], a[i])
                B.select_twin(r[3], b[i], carry)
                B.mul_shift_384_twin(r[4], a[i], b[i], None)
                B.mont_sqr_twin(r[7], a[i], B.int_limbs(m), minv)
                r[5:7] = out[i, 5:7]  # the real one's product scratch
                assert [carry, borrow] == flags[i].tolist()
                assert np.array_equal(r, out[i]), (NAMES[curve], i)
        xs = [rng.randrange(c.p) for _ in range(300)] + [0, c.p - 1, c.p - 1, 1]
        ys = [rng.randrange(c.p) for _ in range(300)] + [c.p - 1, c.p - 1, 0, 1]
        a, b = _int_rows(xs), _int_rows(ys)
        got = np.zeros((len(xs), 6, 8), np.uint32)
        wide(got, a, b, K)
        for i in range(len(xs)):
            r = np.zeros((6, 8), np.uint32)
            F.fmul_twin(r[0], a[i], b[i], K)
            B.mul_wide_twin(r[1:3].reshape(16), a[i], b[i])
            F.fsqr_twin(r[3], a[i], K)
            B.sqr_wide_twin(r[4:6].reshape(16), a[i])
            assert np.array_equal(r, got[i]), (NAMES[curve], i)


@cpu_only
@pytest.mark.parametrize("per_thread", PER_THREAD)
@pytest.mark.parametrize("curve", CURVES, ids=NAMES.get)
def test_item_code_pubkeys_and_signatures_equal_c(curve: int, per_thread: int) -> None:
    rng = random.Random(curve)
    keys = _keys(curve, 150, rng)
    sk = _rows(keys)
    pub, ok = _njit_pubkey(curve, sk, per_thread)
    want_pub, want_ok = _cpu("ec_pubkey_create")(curve, sk)
    assert np.array_equal(ok, want_ok) and np.array_equal(pub, want_pub)
    assert not ok[4:8].any() and ok[8:].all()

    e = _rows([rng.randrange(1 << 256) for _ in sk])
    e[:3] = 0xFF  # e >= n reduces
    # a key is 1 <= d <= n - 1, and for SM2 d <= n - 2 too (1 + d must be invertible); n
    # from the published constants, not the library's tables
    from sig_construct import CURVES as PUBLISHED

    from chaincrypto.cuda.curves import params

    top = PUBLISHED[NAMES[curve]].n - (2 if curve == 0 else 1)
    want_key_ok = np.array([1 <= d <= top for d in keys])
    assert np.array_equal(ok, want_key_ok)
    for extra in (None, np.frombuffer(rng.randbytes(32 * len(sk)), np.uint8).reshape(-1, 32)):
        k, key_ok = _cpu("ec_nonce")(curve, sk, e, extra)
        assert np.array_equal(key_ok, want_key_ok)
        r, s, recid, ok = _njit_sign(curve, sk, e, k, per_thread)
        if curve == 0:
            wr, ws, wok = _cpu("sm2_sign")(sk, e, extra)
        else:
            wr, ws, wrecid, wok = _cpu("ecdsa_sign")(curve, sk, e, extra)
            assert np.array_equal(recid, wrecid)
        assert np.array_equal(ok, wok) and np.array_equal(r, wr) and np.array_equal(s, ws)
    # nonces outside [1, n - 1] are refused, as the C backend's sign-with-k
    bad_k = _rows([0, params(curve).n, (1 << 256) - 1])
    _, _, _, ok = _njit_sign(curve, sk[8:11], e[8:11], bad_k, per_thread)
    assert not ok.any()


def _signed(curve: int, n: int, rng: random.Random):  # type: ignore[no-untyped-def]
    """n valid (pub, e, r, s, recid) rows from the C backend."""
    sk = _rows([rng.randrange(1, 1 << 255) for _ in range(n)])
    pub, _ = _cpu("ec_pubkey_create")(curve, sk)
    e = _rows([rng.randrange(1 << 256) for _ in range(n)])
    if curve == 0:
        r, s, _ = _cpu("sm2_sign")(sk, e, None)
        recid = np.zeros(n, np.uint8)
    else:
        r, s, recid, _ = _cpu("ecdsa_sign")(curve, sk, e, None)
    return pub, e, r, s, recid


def _x_above_n_signature(curve: int, rng: random.Random):  # type: ignore[no-untyped-def]
    """(pub, e, r, s) valid only through the x >= n case (x(R) = r + n), built backwards
    from a point R with n <= x < p."""
    from chaincrypto.cuda import curves as C

    c = C.params(curve)
    g = (c.gx, c.gy)
    x = c.n
    while True:
        x += 1
        rhs = (x**3 + c.a * x + c.b) % c.p
        y = pow(rhs, (c.p + 1) // 4, c.p)
        if y * y % c.p == rhs:
            break
    point = (x, y)
    s = rng.randrange(1, c.n)
    if curve == 0:  # s G + (r + s) Q = R with x(R) = x, e = r - x mod n for any r
        r = rng.randrange(1, c.n)
        t_inv = pow(r + s, -1, c.n)
        q = C.affine_mul(c, t_inv, C.affine_add(c, point, C.affine_mul(c, c.n - s, g)))
        e = (r - x) % c.n
    else:  # (e/s) G + (r/s) Q = R with r = x - n: Q = (s R - e G) / r
        r, e = x - c.n, rng.randrange(c.n)
        q = C.affine_mul(
            c,
            pow(r, -1, c.n),
            C.affine_add(c, C.affine_mul(c, s, point), C.affine_mul(c, (c.n - e) % c.n, g)),
        )
    assert q is not None
    pub = np.concatenate([_be(q[0]), _be(q[1])]).reshape(1, 64)
    return pub, _rows([e]), _rows([r]), _rows([s])


@cpu_only
@pytest.mark.parametrize("per_thread", PER_THREAD)
@pytest.mark.parametrize("curve", CURVES, ids=NAMES.get)
def test_item_code_verification_equals_c(curve: int, per_thread: int) -> None:
    from chaincrypto.cuda.curves import params

    rng = random.Random(10 + curve)
    order = params(curve).n
    pub, e, r, s, _ = _signed(curve, 120, rng)
    r, s, e = r.copy(), s.copy(), e.copy()
    # tampering and every range edge, each in its own row
    e[0, 31] ^= 1
    r[1, 0] ^= 0x80
    s[2, 5] ^= 1
    pub[3] = pub[4]
    r[5], s[6], r[7], s[8] = _be(0), _be(0), _be(order), _be(order)
    r[9] = _be((_int(r[9]) + order) % (1 << 256))
    s[10] = _be(order - _int(s[10]))  # the other s: valid for ECDSA (not low-S), not for SM2
    if curve == 0:
        s[11] = _be((order - _int(r[11])) % order)  # r + s = n
    xp = _x_above_n_signature(curve, rng)
    pub, e, r, s = (np.vstack([a, b]) for a, b in zip((pub, e, r, s), xp, strict=True))
    for low_s in (0, 1) if curve else (0,):
        got = _njit_verify(curve, pub, e, r, s, low_s, per_thread)
        if curve == 0:
            want = _cpu("sm2_verify")(pub, e, r, s)
        else:
            want = _cpu("ecdsa_verify")(curve, pub, e, r, s, low_s)
        assert np.array_equal(got, want)
        assert not got[[0, 1, 2, 3, 5, 6, 7, 8, 9]].any()
        if not low_s or curve == 1:  # P-256 signatures are not low-S normalised
            assert got[4] and got[12:].all()


@cpu_only
@pytest.mark.parametrize("per_thread", PER_THREAD)
@pytest.mark.parametrize("curve", (1, 2), ids=NAMES.get)
def test_item_code_recovery_equals_c(curve: int, per_thread: int) -> None:
    rng = random.Random(20 + curve)
    pub, e, r, s, recid = _signed(curve, 100, rng)
    recid = recid.copy()
    recid[:8] = [0, 1, 2, 3, 4, 255, recid[6] ^ 1, recid[7] ^ 2]
    r = r.copy()
    r[8] = 0
    got_pub, got_ok = _njit_recover(curve, e, r, s, recid, per_thread)
    want_pub, want_ok = _cpu("ecdsa_recover")(curve, e, r, s, recid)
    assert np.array_equal(got_ok, want_ok) and np.array_equal(got_pub, want_pub)
    assert np.array_equal(got_pub[9:], pub[9:]) and got_ok[9:].all()


# ---------------------------------------------------------------------------------------------
# Layer 2: the kernels under the CUDA simulator, through the public API


def _items(curve: str, n: int):  # type: ignore[no-untyped-def]
    """n keys, messages and C-backend signatures (raw r || s) on ``curve``."""
    rng = np.random.default_rng(3)
    msgs = [rng.integers(0, 256, 20 + i, dtype=np.uint8).tobytes() for i in range(n)]
    if curve == "sm2":
        keys = [cc.sm2.PrivateKey.generate() for _ in range(n)]
        sigs = cc.sm2.sign_batch(keys, msgs, encoding="raw", deterministic=True, backend="cpu")
    else:
        keys = [cc.ecdsa.PrivateKey.generate(curve) for _ in range(n)]
        sigs = cc.ecdsa.sign_batch(
            curve, keys, msgs, encoding="raw", deterministic=True, backend="cpu"
        )
    return keys, msgs, [bytes(sig) for sig in sigs]


@simulated
@pytest.mark.parametrize("curve", ("sm2", "secp256k1", "p256"))
def test_kernels_in_the_simulator(curve: str) -> None:
    keys, msgs, sigs = _items(curve, 2)
    mod = cc.sm2 if curve == "sm2" else cc.ecdsa
    head = () if curve == "sm2" else (curve,)
    got = mod.sign_batch(*head, keys, msgs, encoding="raw", deterministic=True, backend="cuda")
    assert [bytes(sig) for sig in got] == sigs
    pubs = [k.public_key for k in keys]
    bad = bytearray(sigs[1])
    bad[40] ^= 1
    ok = mod.verify_batch(
        *head, pubs * 2, msgs * 2, [*sigs, sigs[0], bytes(bad)], encoding="raw", backend="cuda"
    )
    assert ok.tolist() == [True, True, True, False]
    secrets = np.array([np.frombuffer(k.to_bytes(), np.uint8) for k in keys])
    secrets[0] = 0
    code = {"sm2": 0, "secp256k1": 1, "p256": 2}[curve]
    got_pub, got_ok = backends.load("cuda")[0].op("ec_pubkey_create")(code, secrets)
    want_pub, want_ok = _cpu("ec_pubkey_create")(code, secrets)
    assert np.array_equal(got_pub, want_pub) and got_ok.tolist() == want_ok.tolist() == [0, 1]
    if curve != "sm2":
        recoverable = cc.ecdsa.sign_batch(
            curve, keys[:1], msgs[:1], recoverable=True, deterministic=True, backend="cpu"
        )
        got_keys, got_ok = cc.ecdsa.recover_batch(curve, msgs[:1], recoverable, backend="cuda")
        assert got_ok.tolist() == [True]
        assert bytes(got_keys[0]) == pubs[0].to_bytes("raw")
    # each op's first call ran its known-answer check, two items a thread, and passed (a
    # failure would only have sent the op to the CPU, with a warning)
    from chaincrypto.cuda import known_answer

    assert known_answer._checked and all(known_answer._checked.values())


@simulated
@pytest.mark.parametrize("curve", CURVES, ids=NAMES.get)
def test_device_nonces_equal_c(curve: int) -> None:
    """The device's first RFC 6979 candidate is the C backend's, byte for byte: with and
    without extra data, for invalid keys (0, all ones) and digests above n too."""
    from chaincrypto.cuda import curves
    from chaincrypto.cuda.launch import device_empty, launch, to_device
    from chaincrypto.cuda.rfc6979 import nonce_kernel

    rng = np.random.default_rng(50 + curve)
    sk = rng.integers(0, 256, (4, 32), dtype=np.uint8)
    sk[0], sk[1] = 0, 0xFF
    e = rng.integers(0, 256, (4, 32), dtype=np.uint8)
    e[2] = 0xFF
    for extra in (None, rng.integers(0, 256, (4, 32), dtype=np.uint8)):
        want, _ = _cpu("ec_nonce")(curve, sk, e, extra)
        out = device_empty((8, 4), np.uint32)
        d_sk, d_e = to_device(_limbs(sk)), to_device(_limbs(e))
        d_extra = d_e if extra is None else to_device(_limbs(extra))
        kern = nonce_kernel("sm3" if curve == 0 else "sha256")
        K = to_device(curves.constants(curve))
        launch(kern, 4, d_sk, d_e, d_extra, int(extra is not None), 4, K, out)
        assert np.array_equal(_bytes(out.copy_to_host()), want)


@simulated
def test_hedged_device_signatures_verify_on_the_cpu() -> None:
    keys, msgs, _ = _items("sm2", 2)
    sigs = cc.sm2.sign_batch(keys, msgs, backend="cuda")  # fresh extra bytes per signature
    pubs = [k.public_key for k in keys]
    assert cc.sm2.verify_batch(pubs, msgs, sigs, backend="cpu").all()
    keys, msgs, _ = _items("secp256k1", 2)
    sigs = cc.ecdsa.sign_batch("secp256k1", keys, msgs, backend="cuda")
    pubs = [k.public_key for k in keys]
    assert cc.ecdsa.verify_batch("secp256k1", pubs, msgs, sigs, backend="cpu").all()


@cpu_only
def test_known_answer_inputs_have_telling_answers() -> None:
    """The fixed inputs of each op's first-use check (``ec_ops._check_args``) give the C
    backend answers with both outcomes where an op has two: a refused key, a failing
    signature."""
    from chaincrypto.cuda import ec_ops
    from chaincrypto.cuda.curves import params

    for curve in CURVES:
        _, ok = _cpu("ec_pubkey_create")(*ec_ops._check_args("ec_pubkey_create", curve))
        assert ok.tolist() == [True, True, True, False]
        # the signing check runs without the C backend's redo: every row must be the device's,
        # so every first nonce candidate is in range
        sign_args = ec_ops._check_args("ecdsa_sign", curve)[1:] if curve else None
        sk, e, _ = sign_args or ec_ops._check_args("sm2_sign", 0)
        k, key_ok = _cpu("ec_nonce")(curve, sk, e, None)
        assert key_ok.all() and all(0 < _int(row) < params(curve).n for row in k)
        if curve == 0:
            ok = _cpu("sm2_verify")(*ec_ops._check_args("sm2_verify", 0))
            assert ok.tolist() == [True, True, False]
            continue
        ok = _cpu("ecdsa_verify")(*ec_ops._check_args("ecdsa_verify", curve))
        assert ok.tolist() == [True, True, False]
        args = ec_ops._check_args("ecdsa_recover", curve)
        pub, ok = _cpu("ecdsa_recover")(*args)
        want, _ = _cpu("ec_pubkey_create")(curve, ec_ops._check_args("ec_pubkey_create", curve)[1])
        assert (
            ok.all() and np.array_equal(pub[:2], want[:2]) and not np.array_equal(pub[2], want[2])
        )


@simulated
def test_a_kernel_that_fails_its_known_answer_check_leaves_the_op_to_the_cpu(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A device whose key-derivation kernel computes nothing: the op's first call checks it,
    the check fails, and that call and every later one run on the C backend, with a warning
    that names the op and the curve."""
    from numba import cuda

    from chaincrypto.cuda import ec_ops, known_answer

    @cuda.jit
    def computes_nothing(stride, sk, limit, K, comb, px, py, ok):  # type: ignore[no-untyped-def]
        pass

    monkeypatch.setattr(ec_ops, "pubkey_kernel", computes_nothing)
    monkeypatch.setattr(known_answer, "_checked", {})
    secrets = ec_ops._check_args("ec_pubkey_create", 2)[1][:2]
    want = _cpu("ec_pubkey_create")(2, secrets)
    gpu_op = backends.load("cuda")[0].op("ec_pubkey_create")
    for _ in range(2):
        with pytest.warns(
            RuntimeWarning, match=r"ec_pubkey_create kernel failed its known-answer check \(p256\)"
        ):
            got = gpu_op(2, secrets)
        assert all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))
    assert known_answer._checked == {("ec_pubkey_create", 2, 0): False}


# ---------------------------------------------------------------------------------------------
# Layer 3: a real GPU, 2^20 items per op


@gpu
@pytest.mark.parametrize("curve", CURVES, ids=NAMES.get)
def test_gpu_million_items_equal_c(curve: int) -> None:
    n = 1 << 20
    rng = np.random.default_rng(curve)
    gpu_be, _ = backends.load("cuda")
    assert gpu_be is not None
    sk = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    sk[:4] = 0xFF  # invalid keys in their slots
    pub, ok = gpu_be.op("ec_pubkey_create")(curve, sk)
    want_pub, want_ok = _cpu("ec_pubkey_create")(curve, sk)
    assert np.array_equal(ok, want_ok) and np.array_equal(pub, want_pub)
    e = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    extra = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    if curve == 0:
        got, want = gpu_be.op("sm2_sign")(sk, e, extra), _cpu("sm2_sign")(sk, e, extra)
    else:
        got = gpu_be.op("ecdsa_sign")(curve, sk, e, extra)
        want = _cpu("ecdsa_sign")(curve, sk, e, extra)
    for a, b in zip(got, want, strict=True):
        assert np.array_equal(a, b)
    r, s = want[0].copy(), want[1].copy()
    r[::7, 3] ^= 1  # every 7th signature broken
    if curve == 0:
        got_ok, want_ok = gpu_be.op("sm2_verify")(pub, e, r, s), _cpu("sm2_verify")(pub, e, r, s)
    else:
        got_ok = gpu_be.op("ecdsa_verify")(curve, pub, e, r, s, 0)
        want_ok = _cpu("ecdsa_verify")(curve, pub, e, r, s, 0)
        assert np.array_equal(got_ok, want_ok)
        rec = gpu_be.op("ecdsa_recover")(curve, e, want[0], want[1], want[2])
        want_rec = _cpu("ecdsa_recover")(curve, e, want[0], want[1], want[2])
        assert np.array_equal(rec[0], want_rec[0]) and np.array_equal(rec[1], want_rec[1])
    assert np.array_equal(got_ok, want_ok)
    assert got_ok[4:].sum() > n * 0.8


def _check_items_per_thread(curve: int, n: int) -> None:
    """Every op over ``n`` random rows at 1, 3 and 8 items a thread (the backend picks by batch
    size) gives the C backend's answer."""
    from chaincrypto.cuda import ec_ops

    rng = np.random.default_rng(40 + curve)
    sk = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    sk[0] = 0  # an invalid key in its slot
    e = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    want_pub, want_ok = _cpu("ec_pubkey_create")(curve, sk)
    sign = ec_ops.sm2_sign if curve == 0 else functools.partial(ec_ops.ecdsa_sign, curve)
    cpu_sign = _cpu("sm2_sign") if curve == 0 else functools.partial(_cpu("ecdsa_sign"), curve)
    want = cpu_sign(sk, e, None)
    for m in (1, 3, 8):
        pub, ok = ec_ops.pubkey_create(curve, sk, per_thread=m)
        assert np.array_equal(ok, want_ok) and np.array_equal(pub, want_pub), m
        got = sign(sk, e, None, per_thread=m)
        assert all(np.array_equal(a, b) for a, b in zip(got, want, strict=True)), m
        if curve == 0:
            verified = ec_ops.sm2_verify(pub, e, got[0], got[1], per_thread=m)
        else:
            verified = ec_ops.ecdsa_verify(curve, pub, e, got[0], got[1], 0, per_thread=m)
            rec, rec_ok = ec_ops.ecdsa_recover(curve, e, got[0], got[1], got[2], per_thread=m)
            assert np.array_equal(rec_ok, want_ok) and np.array_equal(rec, want_pub), m
        assert np.array_equal(verified, want_ok), m


@simulated
@pytest.mark.parametrize("curve", CURVES, ids=NAMES.get)
def test_items_per_thread_in_the_simulator(curve: int) -> None:
    _check_items_per_thread(curve, 5)


@gpu
@pytest.mark.parametrize("curve", CURVES, ids=NAMES.get)
def test_gpu_items_per_thread_agree(curve: int) -> None:
    _check_items_per_thread(curve, 1 << 15)


@cpu_only
def test_op_count_shows_the_glv_comb_and_batch_savings() -> None:
    """scripts/op_count.py runs, and its counts show the short paths taken: secp256k1
    verification (GLV, half the doublings) costs under 80% of P-256's, signing one item a
    thread stays under 1,300 products (52 comb additions of 11 and two sliding-window
    inversions of about 320; 64 additions and square-and-multiply inversions took 1,523 to
    1,671), and four items a thread sharing their inversions sign for under 70% of that."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "op_count.py"
    out = subprocess.run(
        [sys.executable, str(script), "--items", "4"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    rows = [line.split() for line in out.splitlines()[1:]]
    one = {(r[0], r[1]): float(r[2]) for r in rows}
    four = {(r[0], r[1]): float(r[3]) for r in rows}
    assert len(one) == 11
    assert one["secp256k1", "verify"] < 0.8 * one["p256", "verify"]
    for curve in NAMES.values():
        assert one[curve, "sign"] < 1300, curve
        assert four[curve, "sign"] < 0.7 * one[curve, "sign"], curve
    assert four["sm2", "verify"] == one["sm2", "verify"]  # nothing to share


@cpu_only
def test_regular_digits_against_python_integers() -> None:
    """``scalarmul.regular``: a digit every ``width`` positions and zeros between, every digit
    odd and below 2**width in magnitude, adding up to k (negated with ``neg``; k + 1 for an even
    k), for full scalars and GLV halves, nothing written outside its span."""
    from numba import njit

    from chaincrypto.cuda import scalarmul as S

    @njit
    def recode(out, ks, neg, span, width, count):  # type: ignore[no-untyped-def]
        for i in range(ks.shape[0]):
            S.regular(out, i, 1, span, ks[i], neg, width, count)

    rng = random.Random(7)
    for width, count, span, bits in (
        (S.Q_WINDOW, S.Q_DIGITS, S.SPAN, 256),
        (S.G_WINDOW, S.G_DIGITS, S.SPAN, 256),
        (S.Q_WINDOW, S.Q_HALF_DIGITS, S.HALF_SPAN, 130),
        (S.G_WINDOW, S.G_HALF_DIGITS, S.HALF_SPAN, 130),
    ):
        ks = [1, 2, 3, 2**bits - 1] + [rng.getrandbits(bits) for _ in range(200)]
        for neg in (False, True):
            out = np.full((len(ks), span + 2), 99, np.int8)
            recode(out, _int_rows(ks), neg, span, width, count)
            for k, row in zip(ks, out, strict=True):
                d = [int(x) for x in row[1 : span + 1]]
                assert row[0] == 99 and row[span + 1] == 99  # nothing written outside
                on = [x for i, x in enumerate(d) if i % width == 0 and i // width < count]
                assert len(on) == count and sum(map(abs, d)) == sum(map(abs, on))
                assert all(x % 2 and abs(x) < 2**width for x in on), (width, k)
                odd = k | 1
                assert sum(x << i for i, x in enumerate(d)) == (-odd if neg else odd)
