"""SM2 and ECDSA kernels: public key derivation, signing with a given nonce, verification and
(ECDSA) public key recovery, after the C backend's ``csrc/ec/curve_impl.h`` item by item so
that both give the same answer for every input. A thread takes one item or several (up to
:data:`BATCH`), whose inversions then share one exponentiation.

Inputs and outputs are structure-of-arrays limbs (``(8, n)`` ``uint32``, see
:func:`.bigint.limbs_from_be`) so that neighbouring threads read neighbouring words, plus a
``uint8`` ok flag per item. ``K`` is the curve's constants array, ``gtab`` the generator's
table of odd multiples and ``comb`` its fixed-base comb (:mod:`.curves`), all in device memory.

Secret data (keys, nonces) only meets constant-time code: the comb, the field and Montgomery
arithmetic, and exponentiations with public exponents; the one branch that follows a
secret-derived value is the rejection of a nonce (r = 0, r + k = n, s = 0: probability about
2**-256, and the row is then signed again on the CPU).
"""

from __future__ import annotations

import numpy as np
from numba import cuda, int8, uint8, uint32, uint64

from . import bigint as B
from .curves import MISC_N_MINV, ROW_MISC, ROW_N, ROW_N_HALF, ROW_N_R2, ROW_ONE, ROW_P
from .field import EXP_TABLE, batch_inverse
from .launch import jitable, kernel
from .point import WORK_ROWS, lift_x, plus_n_below_p, to_affine_all, x_matches
from .scalarmul import DIGITS_SHAPE, Q_TABLE, double_mul, fixed_base_ct

_ONE = np.uint64(1)


# ---------------------------------------------------------------------------------------------
# Scalars mod n and per-item loads


@jitable
def load(x, A, i):  # type: ignore[no-untyped-def]
    """``x = `` item ``i`` of the limb array ``A`` (8 x n)."""
    for j in range(8):
        x[j] = A[j, i]


@jitable
def store(A, i, x):  # type: ignore[no-untyped-def]
    """Item ``i`` of ``A`` (8 x n) ``= x``."""
    for j in range(8):
        A[j, i] = x[j]


@jitable
def in_range(x, limit, t):  # type: ignore[no-untyped-def]
    """1 if ``0 < x < limit`` else 0, without a branch."""
    return (_ONE - B.is_zero(x)) & B.sub(t, x, limit)


@jitable
def reduce_n(x, K, t):  # type: ignore[no-untyped-def]
    """``x = x mod n`` for any 256-bit x (< 2n, as n > 2**255)."""
    borrow = B.sub(t, x, K[ROW_N])
    B.select(x, t, _ONE - borrow)
    return _ONE - borrow


@jitable
def nmul(r, a, b, K, t):  # type: ignore[no-untyped-def]
    """``r = a * b / R mod n`` (a Montgomery factor cancels: plain * Montgomery = plain)."""
    B.mont_mul(r, a, b, K[ROW_N], K[ROW_MISC, MISC_N_MINV], t)


@jitable
def x_mod_n_matches(P, c, K, W, t, c2):  # type: ignore[no-untyped-def]
    """1 if (affine x of Jacobian P) mod n == ``c`` (< n): x == c or x == c + n < p."""
    if x_matches(P, c, K, W, t):
        return _ONE
    if plus_n_below_p(c2, c, K, t):
        return x_matches(P, c2, K, W, t)
    return uint64(0)


# ---------------------------------------------------------------------------------------------
# A thread's items: ``first``, ``first + stride``, ... below the length of ``ok``, each step
# over all of them before the next, so that the items' inversions share one exponentiation
# (:func:`.field.batch_inverse`: about 320 products for the batch, three an item). The kernels
# below only allocate the scratch and call these, so that the tests run the very same code over
# thousands of items, with any number of items a thread, on the CPU (numba.njit).

#: Scratch of a thread: W (WORK_ROWS x 8) for the point formulas; v (V_ROWS x 8) with v[0] the
#: multiply scratch and v[1:] scalars; P (3 x 3 x 8): points R, E and a third (S, or Q in its
#: first two rows); X (EXP_TABLE x 8) the exponentiations' table of odd powers, apart from W so
#: that its indexing by exponent windows does not push W out of registers; Bt (BATCH_ROWS x
#: BATCH x 8) what an item keeps between the steps (verification: the first VERIFY_ROWS rows);
#: for verification and recovery also qtab (Q_TABLE x 3 x 8) and digits (DIGITS_SHAPE, int8).
V_ROWS = 7
#: Shape of Q's table in the verification and recovery scratch (the digits': DIGITS_SHAPE).
QTAB_SHAPE = (Q_TABLE, 3, 8)
#: The most items one thread takes: each shares its inversions with the others (an inversion
#: then costs about 320 / BATCH + 3 products an item instead of 320) at the price of
#: ``BATCH_ROWS * BATCH * 32`` bytes of local memory and of fewer, longer threads (the host
#: gives a thread more than one item only when the batch would otherwise more than fill the
#: device: :func:`.launch.items_per_thread`).
BATCH = 8
#: Rows of Bt: prefix products of the inversions, values inverted mod n (Montgomery form),
#: Jacobian Z (inverted mod p), and X, Y (made affine).
B_PREFIX, B_N, B_Z, B_X, B_Y = range(5)
BATCH_ROWS = 5
VERIFY_ROWS = 2


@jitable
def item_count(first, stride, n):  # type: ignore[no-untyped-def]
    """How many of ``first``, ``first + stride``, ... are below ``n``."""
    return (n - 1 - first) // stride + 1 if first < n else 0


@jitable
def _keep_point(Bt, j, R, K):  # type: ignore[no-untyped-def]
    """Item ``j``'s Jacobian ``R`` into Bt's X, Y, Z rows; returns 0 (and Z = 1, so that the
    batch's inversion stays defined) when R is infinity, else 1. Without a branch."""
    B.copy(Bt[B_X, j], R[0])
    B.copy(Bt[B_Y, j], R[1])
    B.copy(Bt[B_Z, j], R[2])
    infinity = B.is_zero(R[2])
    B.select(Bt[B_Z, j], K[ROW_ONE], infinity)
    return _ONE - infinity


@jitable
def _affine_all(Bt, count, with_y, K, W, t, X):  # type: ignore[no-untyped-def]
    """The kept points of the thread's ``count`` items made affine with one inversion."""
    to_affine_all(Bt[B_X], Bt[B_Y], Bt[B_Z], Bt[B_PREFIX], count, with_y, K, W, t, X)


@jitable
def _keep_n(Bt, j, a, valid, K, t):  # type: ignore[no-untyped-def]
    """Item ``j``'s value to invert mod n: ``a`` (plain, nonzero when ``valid``), or 1 when
    not ``valid`` so that the batch's inversion stays defined, in Montgomery form."""
    B.set_word(Bt[B_N, j], 1)
    B.select(Bt[B_N, j], a, valid)
    nmul(Bt[B_N, j], Bt[B_N, j], K[ROW_N_R2], K, t)


@jitable
def _invert_n(Bt, count, K, W, t, X):  # type: ignore[no-untyped-def]
    """Bt's values mod n replaced by their inverses (Montgomery form), with one inversion."""
    batch_inverse(Bt[B_N], Bt[B_PREFIX], count, K, 1, t, W[0], X)


@jitable
def pubkey_items(first, stride, sk, limit, K, comb, px, py, ok, W, v, P, X, Bt):  # type: ignore[no-untyped-def]
    """``(px, py) = d*G`` for ``0 < d < limit`` (n, or n - 1 for SM2 keys), else zeros, and
    ok = 0 (the host computes such a row again on the CPU, which also refuses an invalid key)."""
    t, d = v[0], v[1]
    count = item_count(first, stride, ok.shape[0])
    for j in range(count):
        i = first + j * stride
        load(d, sk, i)
        valid = in_range(d, limit, t)
        B.set_word(t, 1)
        B.select(d, t, _ONE - valid)  # an invalid key computes 1*G, then is zeroed
        fixed_base_ct(P[0], d, comb, K, W, t, P[1], P[2])
        B.scale(d, 0)
        ok[i] = uint8(valid & _keep_point(Bt, j, P[0], K))
    _affine_all(Bt, count, True, K, W, t, X)
    for j in range(count):
        i = first + j * stride
        valid = uint64(ok[i])
        B.scale(Bt[B_X, j], valid)
        B.scale(Bt[B_Y, j], valid)
        store(px, i, Bt[B_X, j])
        store(py, i, Bt[B_Y, j])


@jitable
def _load_pub(Q, px, py, i):  # type: ignore[no-untyped-def]
    """``Q`` = item ``i``'s public key (affine)."""
    load(Q[0], px, i)
    load(Q[1], py, i)


@jitable
def sm2_verify_items(first, stride, px, py, e, r, s, K, gtab, ok, W, v, P, qtab, digits):  # type: ignore[no-untyped-def]
    """GB/T 32918.2 verification: t = r + s, (x1, y1) = s*G + t*P, accept iff
    (e + x1) mod n == r (x1 compared in projective form: no inversion to share)."""
    t, rr, ss, ee, tt = v[0], v[1], v[2], v[3], v[4]
    R, E, Q = P[0], P[1], P[2, 0:2]
    for j in range(item_count(first, stride, ok.shape[0])):
        i = first + j * stride
        ok[i] = 0
        load(rr, r, i)
        load(ss, s, i)
        if not (in_range(rr, K[ROW_N], t) & in_range(ss, K[ROW_N], t)):
            continue
        B.mod_add(tt, rr, ss, K[ROW_N], t)
        if B.is_zero(tt):
            continue
        _load_pub(Q, px, py, i)
        double_mul(R, ss, tt, Q, gtab, K, W, t, qtab, digits, E)
        if B.is_zero(R[2]):
            continue
        load(ee, e, i)
        reduce_n(ee, K, t)
        B.mod_sub(tt, rr, ee, K[ROW_N], t)  # x1 must be r - e mod n
        ok[i] = uint8(x_mod_n_matches(R, tt, K, W, t, ss))


@jitable
def ecdsa_verify_items(  # type: ignore[no-untyped-def]
    first, stride, px, py, e, r, s, low_s, K, gtab, ok, W, v, P, X, Bt, qtab, digits
):
    """SEC 1 / FIPS 186-5 verification: w = 1/s (the items' inversions shared),
    R = (e w) G + (r w) P, accept iff x(R) mod n == r; with ``low_s``, s > n/2 is refused."""
    t, rr, ss, ee = v[0], v[1], v[2], v[3]
    R, E, Q = P[0], P[1], P[2, 0:2]
    count = item_count(first, stride, ok.shape[0])
    for j in range(count):
        i = first + j * stride
        load(rr, r, i)
        load(ss, s, i)
        valid = in_range(rr, K[ROW_N], t) & in_range(ss, K[ROW_N], t)
        if low_s:
            valid &= _ONE - B.sub(t, K[ROW_N_HALF], ss)
        _keep_n(Bt, j, ss, valid, K, t)
        ok[i] = uint8(valid)
    _invert_n(Bt, count, K, W, t, X)
    for j in range(count):
        i = first + j * stride
        if not ok[i]:
            continue
        ok[i] = 0
        load(rr, r, i)
        load(ee, e, i)
        reduce_n(ee, K, t)
        nmul(ee, ee, Bt[B_N, j], K, t)  # u1 = e / s
        nmul(ss, rr, Bt[B_N, j], K, t)  # u2 = r / s
        _load_pub(Q, px, py, i)
        double_mul(R, ee, ss, Q, gtab, K, W, t, qtab, digits, E)
        if B.is_zero(R[2]):
            continue
        ok[i] = uint8(x_mod_n_matches(R, rr, K, W, t, ss))


@jitable
def _sign_start(i, j, sk, k, d_limit, K, comb, W, v, P, Bt):  # type: ignore[no-untyped-def]
    """First step of both signing items: v[1] = d and v[2] = k (each 1 when either is out of
    range), k*G kept as item ``j``'s point; returns 1 if d < d_limit, k is in range and k*G
    is not infinity. Constant time."""
    t, d, kk = v[0], v[1], v[2]
    load(d, sk, i)
    load(kk, k, i)
    valid = in_range(d, d_limit, t) & in_range(kk, K[ROW_N], t)
    B.set_word(t, 1)
    B.select(d, t, _ONE - valid)
    B.select(kk, t, _ONE - valid)
    fixed_base_ct(P[0], kk, comb, K, W, t, P[1], P[2])
    return valid & _keep_point(Bt, j, P[0], K)


@jitable
def _sign_reload(i, sk, e, k, K, v):  # type: ignore[no-untyped-def]
    """Start of the last step of both signing items: v[1] = d and v[2] = k again (as given:
    an invalid row's results are zeroed anyway), v[5] = e mod n."""
    load(v[1], sk, i)
    load(v[2], k, i)
    load(v[5], e, i)
    reduce_n(v[5], K, v[0])


@jitable
def _sign_epilogue(i, r_out, s_out, ok, valid, v):  # type: ignore[no-untyped-def]
    """Shared end of both signing items: store r = v[3] and s = v[4] (zeros unless
    ``valid``) and wipe the key and nonce."""
    B.scale(v[3], valid)
    B.scale(v[4], valid)
    B.scale(v[1], 0)
    B.scale(v[2], 0)
    store(r_out, i, v[3])
    store(s_out, i, v[4])
    ok[i] = uint8(valid)


@jitable
def _wipe_signing(Bt, P, X, count):  # type: ignore[no-untyped-def]
    """Zero what signing leaves in the thread's scratch that derives from keys and nonces:
    the inverses mod n and mod p with their prefix products, the exponentiations' table, and
    the Jacobian points (whose coordinates can leak nonce bits)."""
    for j in range(count):
        for row in (B_PREFIX, B_N, B_Z):
            B.scale(Bt[row, j], 0)
    for j in range(X.shape[0]):
        B.scale(X[j], 0)
    for j in range(P.shape[0]):
        for c in range(3):
            B.scale(P[j, c], 0)


@jitable
def sm2_sign_items(first, stride, sk, e, k, K, comb, r, s, ok, W, v, P, X, Bt):  # type: ignore[no-untyped-def]
    """GB/T 32918.2 signing with nonce k: (x1, y1) = k*G, r = (e + x1) mod n,
    s = (1 + d)**-1 (k - r d) mod n (the items' inversions mod p and mod n shared). ok = 0
    (and zeros) for a key outside [1, n - 2], a nonce outside [1, n - 1], or a rejected nonce
    (the caller signs that row again)."""
    t, d, kk, x, y, ee, u = v[0], v[1], v[2], v[3], v[4], v[5], v[6]
    count = item_count(first, stride, ok.shape[0])
    for j in range(count):
        i = first + j * stride
        B.sub(u, K[ROW_N], K[ROW_ONE])  # SM2 keys stop at n - 2
        valid = _sign_start(i, j, sk, k, u, K, comb, W, v, P, Bt)
        B.add(u, d, K[ROW_ONE])  # 1 + d: in [2, n - 1], as d is 1 unless valid
        _keep_n(Bt, j, u, _ONE, K, t)
        ok[i] = uint8(valid)
    _affine_all(Bt, count, False, K, W, t, X)
    _invert_n(Bt, count, K, W, t, X)  # R / (1 + d)
    for j in range(count):
        i = first + j * stride
        valid = uint64(ok[i])
        _sign_reload(i, sk, e, k, K, v)
        B.copy(x, Bt[B_X, j])
        reduce_n(x, K, t)
        B.mod_add(x, ee, x, K[ROW_N], t)  # r
        B.mod_add(y, x, kk, K[ROW_N], t)  # r + k
        valid &= (_ONE - B.is_zero(x)) & (_ONE - B.is_zero(y))
        nmul(u, d, K[ROW_N_R2], K, t)  # d in the Montgomery domain
        nmul(u, x, u, K, t)  # r d
        B.mod_sub(u, kk, u, K[ROW_N], t)  # k - r d
        nmul(y, u, Bt[B_N, j], K, t)  # s
        valid &= _ONE - B.is_zero(y)
        _sign_epilogue(i, r, s, ok, valid, v)
    _wipe_signing(Bt, P, X, count)


@jitable
def ecdsa_sign_items(first, stride, sk, e, k, low_s, K, comb, r, s, recid, ok, W, v, P, X, Bt):  # type: ignore[no-untyped-def]
    """SEC 1 signing with nonce k: R = k*G, r = x(R) mod n, s = (e + r d) / k mod n (the
    items' inversions mod p and mod n shared), low-S when asked (s > n/2 becomes n - s,
    flipping the recovery id's parity bit). recid = y parity | (x >= n) << 1. ok = 0 (and
    zeros) as for :func:`sm2_sign_items`."""
    t, d, kk, x, y, ee, u = v[0], v[1], v[2], v[3], v[4], v[5], v[6]
    count = item_count(first, stride, ok.shape[0])
    for j in range(count):
        i = first + j * stride
        valid = _sign_start(i, j, sk, k, K[ROW_N], K, comb, W, v, P, Bt)
        _keep_n(Bt, j, kk, _ONE, K, t)
        ok[i] = uint8(valid)
    _affine_all(Bt, count, True, K, W, t, X)
    _invert_n(Bt, count, K, W, t, X)  # R / k
    for j in range(count):
        i = first + j * stride
        valid = uint64(ok[i])
        _sign_reload(i, sk, e, k, K, v)
        B.copy(x, Bt[B_X, j])
        rid = (uint64(Bt[B_Y, j, 0]) & _ONE) | (reduce_n(x, K, t) << _ONE)
        valid &= _ONE - B.is_zero(x)
        nmul(u, d, K[ROW_N_R2], K, t)  # d in the Montgomery domain
        nmul(u, x, u, K, t)  # r d
        B.mod_add(u, u, ee, K[ROW_N], t)  # e + r d
        nmul(y, u, Bt[B_N, j], K, t)  # s
        valid &= _ONE - B.is_zero(y)
        high = B.sub(t, K[ROW_N_HALF], y) & uint64(low_s)
        B.mod_neg(u, y, K[ROW_N], t)
        B.select(y, u, high)
        recid[i] = uint8((rid ^ high) * valid)
        _sign_epilogue(i, r, s, ok, valid, v)
    _wipe_signing(Bt, P, X, count)


@jitable
def _recover_start(i, e, r, s, recid, K, px, py, W, v, P, X, Bt, j):  # type: ignore[no-untyped-def]
    """First step of recovery for item ``i`` (the thread's ``j``): zero outputs, R = the
    point with x = r (+ n when recid & 2) and y of parity recid & 1 kept in Bt's X and Y
    rows, r in v[1] where it returns 1 (all of that exists). Variable time (public)."""
    t, rr, ss, w = v[0], v[1], v[2], v[4]
    Q, E = P[2, 0:2], P[1]
    B.set_word(t, 0)
    store(px, i, t)
    store(py, i, t)
    rid = recid[i]
    if rid > 3:
        return 0
    load(rr, r, i)
    load(ss, s, i)
    if not (in_range(rr, K[ROW_N], t) & in_range(ss, K[ROW_N], t)):
        return 0
    B.copy(w, rr)
    if rid & 2 and B.add(w, rr, K[ROW_N]):
        return 0
    if not B.sub(t, w, K[ROW_P]):  # x >= p
        return 0
    if not lift_x(Q, w, rid & 1, K, t, E, X):
        return 0
    B.copy(Bt[B_X, j], Q[0])
    B.copy(Bt[B_Y, j], Q[1])
    return 1


@jitable
def ecdsa_recover_items(  # type: ignore[no-untyped-def]
    first, stride, e, r, s, recid, K, gtab, px, py, ok, W, v, P, X, Bt, qtab, digits
):
    """SEC 1 public key recovery: R from x = r (+ n when recid & 2) and the parity recid & 1,
    Q = (-e/r) G + (s/r) R (the items' inversions of r and of Q's Z shared)."""
    t, rr, ss, ee = v[0], v[1], v[2], v[3]
    R, E, Q = P[0], P[1], P[2, 0:2]
    count = item_count(first, stride, ok.shape[0])
    for j in range(count):
        i = first + j * stride
        valid = _recover_start(i, e, r, s, recid, K, px, py, W, v, P, X, Bt, j)
        _keep_n(Bt, j, rr, uint64(valid), K, t)  # rr: r as _recover_start loaded it
        ok[i] = uint8(valid)
    _invert_n(Bt, count, K, W, t, X)  # R / r
    for j in range(count):
        i = first + j * stride
        B.set_word(Bt[B_Z, j], 1)
        if not ok[i]:
            continue
        load(ee, e, i)
        reduce_n(ee, K, t)
        load(ss, s, i)
        B.mod_neg(ee, ee, K[ROW_N], t)
        nmul(ee, ee, Bt[B_N, j], K, t)  # u1 = -e / r
        nmul(ss, ss, Bt[B_N, j], K, t)  # u2 = s / r
        B.copy(Q[0], Bt[B_X, j])
        B.copy(Q[1], Bt[B_Y, j])
        double_mul(R, ee, ss, Q, gtab, K, W, t, qtab, digits, E)
        ok[i] = uint8(_keep_point(Bt, j, R, K))
    _affine_all(Bt, count, True, K, W, t, X)
    for j in range(count):
        i = first + j * stride
        if ok[i]:
            store(px, i, Bt[B_X, j])
            store(py, i, Bt[B_Y, j])


# ---------------------------------------------------------------------------------------------
# Kernels: threads below ``stride`` take items ``thread``, ``thread + stride``, ...; each
# allocates its scratch and calls its items.

#: Registers a thread of the curve kernels may use: 168 keeps 12 warps (three blocks of 128
#: threads) resident on an SM of 64K registers. Left alone, ptxas gives the kernels whose
#: threads loop over several items up to 237 (the loops keep every array argument live), which
#: leaves room for 8 warps; capped, only SM2 signing spills (160 B stored, 184 B loaded; sm_90,
#: scripts/ptx_report.py).
REGISTERS = 168


@kernel(max_registers=REGISTERS)
def pubkey_kernel(stride, sk, limit, K, comb, px, py, ok):  # type: ignore[no-untyped-def]
    """:func:`pubkey_items` over every item."""
    i = cuda.grid(1)
    if i < stride:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        X = cuda.local.array((EXP_TABLE, 8), uint32)
        Bt = cuda.local.array((BATCH_ROWS, BATCH, 8), uint32)
        pubkey_items(i, stride, sk, limit, K, comb, px, py, ok, W, v, P, X, Bt)


@kernel(max_registers=REGISTERS)
def sm2_sign_kernel(stride, sk, e, k, K, comb, r, s, ok):  # type: ignore[no-untyped-def]
    """:func:`sm2_sign_items` over every item."""
    i = cuda.grid(1)
    if i < stride:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        X = cuda.local.array((EXP_TABLE, 8), uint32)
        Bt = cuda.local.array((BATCH_ROWS, BATCH, 8), uint32)
        sm2_sign_items(i, stride, sk, e, k, K, comb, r, s, ok, W, v, P, X, Bt)


@kernel(max_registers=REGISTERS)
def ecdsa_sign_kernel(stride, sk, e, k, low_s, K, comb, r, s, recid, ok):  # type: ignore[no-untyped-def]
    """:func:`ecdsa_sign_items` over every item."""
    i = cuda.grid(1)
    if i < stride:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        X = cuda.local.array((EXP_TABLE, 8), uint32)
        Bt = cuda.local.array((BATCH_ROWS, BATCH, 8), uint32)
        ecdsa_sign_items(i, stride, sk, e, k, low_s, K, comb, r, s, recid, ok, W, v, P, X, Bt)


@kernel(max_registers=REGISTERS)
def sm2_verify_kernel(stride, px, py, e, r, s, K, gtab, ok):  # type: ignore[no-untyped-def]
    """:func:`sm2_verify_items` over every item."""
    i = cuda.grid(1)
    if i < stride:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        qtab = cuda.local.array(QTAB_SHAPE, uint32)
        digits = cuda.local.array(DIGITS_SHAPE, int8)
        sm2_verify_items(i, stride, px, py, e, r, s, K, gtab, ok, W, v, P, qtab, digits)


@kernel(max_registers=REGISTERS)
def ecdsa_verify_kernel(stride, px, py, e, r, s, low_s, K, gtab, ok):  # type: ignore[no-untyped-def]
    """:func:`ecdsa_verify_items` over every item."""
    i = cuda.grid(1)
    if i < stride:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        X = cuda.local.array((EXP_TABLE, 8), uint32)
        Bt = cuda.local.array((VERIFY_ROWS, BATCH, 8), uint32)
        qtab = cuda.local.array(QTAB_SHAPE, uint32)
        digits = cuda.local.array(DIGITS_SHAPE, int8)
        ecdsa_verify_items(
            i, stride, px, py, e, r, s, low_s, K, gtab, ok, W, v, P, X, Bt, qtab, digits
        )


@kernel(max_registers=REGISTERS)
def ecdsa_recover_kernel(stride, e, r, s, recid, K, gtab, px, py, ok):  # type: ignore[no-untyped-def]
    """:func:`ecdsa_recover_items` over every item."""
    i = cuda.grid(1)
    if i < stride:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        X = cuda.local.array((EXP_TABLE, 8), uint32)
        Bt = cuda.local.array((BATCH_ROWS, BATCH, 8), uint32)
        qtab = cuda.local.array(QTAB_SHAPE, uint32)
        digits = cuda.local.array(DIGITS_SHAPE, int8)
        ecdsa_recover_items(
            i, stride, e, r, s, recid, K, gtab, px, py, ok, W, v, P, X, Bt, qtab, digits
        )
