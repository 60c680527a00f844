"""SM2 and ECDSA kernels: public key derivation, signing with a given nonce, verification and
(ECDSA) public key recovery, one item per thread, after the C backend's ``csrc/ec/curve_impl.h``
item by item so that both give the same answer for every input.

Inputs and outputs are structure-of-arrays limbs (``(8, n)`` ``uint32``, see
:func:`.bigint.limbs_from_be`) so that neighbouring threads read neighbouring words, plus a
``uint8`` ok flag per item. ``K`` is the curve's constants array, ``gtab`` the generator's
NAF table and ``comb`` its fixed-base comb (:mod:`.curves`), all in device memory.

Secret data (keys, nonces) only meets constant-time code: the comb, the field and Montgomery
arithmetic, and exponentiations with public exponents; the one branch that follows a
secret-derived value is the rejection of a nonce (r = 0, r + k = n, s = 0: probability about
2**-256, and the row is then signed again on the CPU).
"""

from __future__ import annotations

import numpy as np
from numba import cuda, int8, uint8, uint32, uint64

from . import bigint as B
from .curves import (
    MISC_N_MINV,
    ROW_MISC,
    ROW_N,
    ROW_N_HALF,
    ROW_N_INV_EXP,
    ROW_N_R2,
    ROW_ONE,
    ROW_P,
)
from .field import EXP_TABLE, power
from .launch import jitable, kernel
from .point import WORK_ROWS, lift_x, plus_n_below_p, to_affine, x_matches
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
def ninv_mont(r, a, K, t, acc, tab):  # type: ignore[no-untyped-def]
    """``r = R / a mod n`` (the Montgomery form of 1/a) for plain ``a``, in constant time:
    a is taken into the Montgomery domain and raised to n - 2. ``acc`` (8 limbs) and ``tab``
    (``EXP_TABLE`` x 8) are scratch."""
    nmul(r, a, K[ROW_N_R2], K, t)
    power(r, r, K[ROW_N_INV_EXP], K, 1, t, acc, tab)


@jitable
def x_mod_n_matches(P, c, K, W, t, c2):  # type: ignore[no-untyped-def]
    """1 if (affine x of Jacobian P) mod n == ``c`` (< n): x == c or x == c + n < p."""
    if x_matches(P, c, K, W, t):
        return _ONE
    if plus_n_below_p(c2, c, K, t):
        return x_matches(P, c2, K, W, t)
    return uint64(0)


# ---------------------------------------------------------------------------------------------
# One item each: ``i`` is the item, the trailing arguments the thread's scratch (see
# :data:`SCRATCH`). The kernels below only allocate the scratch and call these, so that the
# tests run the very same code over thousands of items on the CPU (numba.njit).

#: Scratch of an item: W (WORK_ROWS x 8) for the point formulas; v (V_ROWS x 8) with v[0] the
#: multiply scratch and v[1:] scalars; P (3 x 3 x 8): points R, E and a third (S, or Q in its
#: first two rows); X (EXP_TABLE x 8) the exponentiations' table of odd powers, apart from W so
#: that its indexing by exponent windows does not push W out of registers; for verification
#: and recovery also qtab (Q_TABLE x 3 x 8) and digits (DIGITS_SHAPE, int8).
V_ROWS = 7
#: Shape of Q's table in the verification and recovery scratch (the digits': DIGITS_SHAPE).
QTAB_SHAPE = (Q_TABLE, 3, 8)


@jitable
def pubkey_item(i, sk, limit, K, comb, px, py, ok, W, v, P, X):  # type: ignore[no-untyped-def]
    """``(px, py) = d*G`` for ``0 < d < limit`` (n, or n - 1 for SM2 keys), else zeros."""
    t, d, x, y = v[0], v[1], v[2], v[3]
    load(d, sk, i)
    valid = in_range(d, limit, t)
    B.set_word(t, 1)
    B.select(d, t, _ONE - valid)  # an invalid key computes 1*G, then is zeroed
    fixed_base_ct(P[0], d, comb, K, W, t, P[1], P[2])
    to_affine(x, y, P[0], K, W, t, X)
    B.scale(x, valid)
    B.scale(y, valid)
    B.scale(d, 0)
    store(px, i, x)
    store(py, i, y)
    ok[i] = uint8(valid)


@jitable
def _load_pub(Q, px, py, i):  # type: ignore[no-untyped-def]
    """``Q`` = item ``i``'s public key (affine)."""
    load(Q[0], px, i)
    load(Q[1], py, i)


@jitable
def sm2_verify_item(i, px, py, e, r, s, K, gtab, ok, W, v, P, X, qtab, digits):  # type: ignore[no-untyped-def]
    """GB/T 32918.2 verification: t = r + s, (x1, y1) = s*G + t*P, accept iff
    (e + x1) mod n == r (x1 compared in projective form)."""
    t, rr, ss, ee, tt = v[0], v[1], v[2], v[3], v[4]
    R, E, Q = P[0], P[1], P[2, 0:2]
    ok[i] = 0
    load(rr, r, i)
    load(ss, s, i)
    if not (in_range(rr, K[ROW_N], t) & in_range(ss, K[ROW_N], t)):
        return
    B.mod_add(tt, rr, ss, K[ROW_N], t)
    if B.is_zero(tt):
        return
    _load_pub(Q, px, py, i)
    double_mul(R, ss, tt, Q, gtab, K, W, t, qtab, digits, E)
    if B.is_zero(R[2]):
        return
    load(ee, e, i)
    reduce_n(ee, K, t)
    B.mod_sub(tt, rr, ee, K[ROW_N], t)  # x1 must be r - e mod n
    ok[i] = uint8(x_mod_n_matches(R, tt, K, W, t, ss))


@jitable
def ecdsa_verify_item(i, px, py, e, r, s, low_s, K, gtab, ok, W, v, P, X, qtab, digits):  # type: ignore[no-untyped-def]
    """SEC 1 / FIPS 186-5 verification: w = 1/s, R = (e w) G + (r w) P, accept iff
    x(R) mod n == r; with ``low_s``, s > n/2 is refused."""
    t, rr, ss, ee, w = v[0], v[1], v[2], v[3], v[4]
    R, E, Q = P[0], P[1], P[2, 0:2]
    ok[i] = 0
    load(rr, r, i)
    load(ss, s, i)
    if not (in_range(rr, K[ROW_N], t) & in_range(ss, K[ROW_N], t)):
        return
    if low_s and B.sub(t, K[ROW_N_HALF], ss):
        return
    load(ee, e, i)
    reduce_n(ee, K, t)
    ninv_mont(w, ss, K, t, E[0], X)
    nmul(ee, ee, w, K, t)  # u1 = e / s
    nmul(ss, rr, w, K, t)  # u2 = r / s
    _load_pub(Q, px, py, i)
    double_mul(R, ee, ss, Q, gtab, K, W, t, qtab, digits, E)
    if B.is_zero(R[2]):
        return
    ok[i] = uint8(x_mod_n_matches(R, rr, K, W, t, ss))


@jitable
def _sign_prologue(i, sk, k, d_limit, K, comb, W, v, P, X):  # type: ignore[no-untyped-def]
    """Shared start of both signing items: v[1] = d, v[2] = k (1 when invalid), (v[3], v[4])
    = affine k*G, v[5] = e mod n, with e from the caller; returns 1 if d < d_limit and k are
    in range. Constant time."""
    t, d, kk, x, y = v[0], v[1], v[2], v[3], v[4]
    load(d, sk, i)
    load(kk, k, i)
    valid = in_range(d, d_limit, t) & in_range(kk, K[ROW_N], t)
    B.set_word(t, 1)
    B.select(kk, t, _ONE - valid)
    fixed_base_ct(P[0], kk, comb, K, W, t, P[1], P[2])
    to_affine(x, y, P[0], K, W, t, X)
    return valid


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
def sm2_sign_item(i, sk, e, k, K, comb, r, s, ok, W, v, P, X):  # type: ignore[no-untyped-def]
    """GB/T 32918.2 signing with nonce k: (x1, y1) = k*G, r = (e + x1) mod n,
    s = (1 + d)**-1 (k - r d) mod n. ok = 0 (and zeros) for a key outside [1, n - 2], a nonce
    outside [1, n - 1], or a rejected nonce (the caller signs that row again)."""
    t, d, kk, x, y, ee, u = v[0], v[1], v[2], v[3], v[4], v[5], v[6]
    B.sub(u, K[ROW_N], K[ROW_ONE])  # SM2 keys stop at n - 2
    valid = _sign_prologue(i, sk, k, u, K, comb, W, v, P, X)
    reduce_n(x, K, t)
    load(ee, e, i)
    reduce_n(ee, K, t)
    B.mod_add(x, ee, x, K[ROW_N], t)  # r
    B.mod_add(y, x, kk, K[ROW_N], t)  # r + k
    valid &= (_ONE - B.is_zero(x)) & (_ONE - B.is_zero(y))
    B.add(u, d, K[ROW_ONE])  # 1 + d (< n)
    ninv_mont(y, u, K, t, ee, X)  # R / (1 + d)
    nmul(u, d, K[ROW_N_R2], K, t)  # d in the Montgomery domain
    nmul(u, x, u, K, t)  # r d
    B.mod_sub(u, kk, u, K[ROW_N], t)  # k - r d
    nmul(y, u, y, K, t)  # s
    valid &= _ONE - B.is_zero(y)
    _sign_epilogue(i, r, s, ok, valid, v)


@jitable
def ecdsa_sign_item(i, sk, e, k, low_s, K, comb, r, s, recid, ok, W, v, P, X):  # type: ignore[no-untyped-def]
    """SEC 1 signing with nonce k: R = k*G, r = x(R) mod n, s = (e + r d) / k mod n, low-S when
    asked (s > n/2 becomes n - s, flipping the recovery id's parity bit). recid = y parity |
    (x >= n) << 1. ok = 0 (and zeros) as for :func:`sm2_sign_item`."""
    t, d, kk, x, y, ee, u = v[0], v[1], v[2], v[3], v[4], v[5], v[6]
    valid = _sign_prologue(i, sk, k, K[ROW_N], K, comb, W, v, P, X)
    rid = (uint64(y[0]) & _ONE) | (reduce_n(x, K, t) << _ONE)
    valid &= _ONE - B.is_zero(x)
    load(ee, e, i)
    reduce_n(ee, K, t)
    nmul(u, d, K[ROW_N_R2], K, t)  # d in the Montgomery domain
    nmul(u, x, u, K, t)  # r d
    B.mod_add(u, u, ee, K[ROW_N], t)  # e + r d
    ninv_mont(y, kk, K, t, ee, X)  # R / k
    nmul(y, u, y, K, t)  # s
    valid &= _ONE - B.is_zero(y)
    high = B.sub(t, K[ROW_N_HALF], y) & uint64(low_s)
    B.mod_neg(u, y, K[ROW_N], t)
    B.select(y, u, high)
    recid[i] = uint8((rid ^ high) * valid)
    _sign_epilogue(i, r, s, ok, valid, v)


@jitable
def ecdsa_recover_item(i, e, r, s, recid, K, gtab, px, py, ok, W, v, P, X, qtab, digits):  # type: ignore[no-untyped-def]
    """SEC 1 public key recovery: R from x = r (+ n when recid & 2) and the parity recid & 1,
    Q = (-e/r) G + (s/r) R."""
    t, rr, ss, ee, w = v[0], v[1], v[2], v[3], v[4]
    R, E, Q = P[0], P[1], P[2, 0:2]
    ok[i] = 0
    B.set_word(t, 0)
    store(px, i, t)
    store(py, i, t)
    rid = recid[i]
    if rid > 3:
        return
    load(rr, r, i)
    load(ss, s, i)
    if not (in_range(rr, K[ROW_N], t) & in_range(ss, K[ROW_N], t)):
        return
    B.copy(w, rr)
    if rid & 2 and B.add(w, rr, K[ROW_N]):
        return
    if not B.sub(t, w, K[ROW_P]):  # x >= p
        return
    if not lift_x(Q, w, rid & 1, K, t, E, X):
        return
    load(ee, e, i)
    reduce_n(ee, K, t)
    ninv_mont(w, rr, K, t, E[2], X)  # R / r
    B.mod_neg(ee, ee, K[ROW_N], t)
    nmul(ee, ee, w, K, t)  # u1 = -e / r
    nmul(ss, ss, w, K, t)  # u2 = s / r
    double_mul(R, ee, ss, Q, gtab, K, W, t, qtab, digits, E)
    if B.is_zero(R[2]):
        return
    to_affine(ee, ss, R, K, W, t, X)
    store(px, i, ee)
    store(py, i, ss)
    ok[i] = 1


# ---------------------------------------------------------------------------------------------
# Kernels: one thread per item; each allocates its scratch and calls its item.


@kernel
def pubkey_kernel(sk, limit, K, comb, px, py, ok):  # type: ignore[no-untyped-def]
    """:func:`pubkey_item` over every item."""
    i = cuda.grid(1)
    if i < ok.shape[0]:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        X = cuda.local.array((EXP_TABLE, 8), uint32)
        pubkey_item(i, sk, limit, K, comb, px, py, ok, W, v, P, X)


@kernel
def sm2_sign_kernel(sk, e, k, K, comb, r, s, ok):  # type: ignore[no-untyped-def]
    """:func:`sm2_sign_item` over every item."""
    i = cuda.grid(1)
    if i < ok.shape[0]:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        X = cuda.local.array((EXP_TABLE, 8), uint32)
        sm2_sign_item(i, sk, e, k, K, comb, r, s, ok, W, v, P, X)


@kernel
def ecdsa_sign_kernel(sk, e, k, low_s, K, comb, r, s, recid, ok):  # type: ignore[no-untyped-def]
    """:func:`ecdsa_sign_item` over every item."""
    i = cuda.grid(1)
    if i < ok.shape[0]:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        X = cuda.local.array((EXP_TABLE, 8), uint32)
        ecdsa_sign_item(i, sk, e, k, low_s, K, comb, r, s, recid, ok, W, v, P, X)


@kernel
def sm2_verify_kernel(px, py, e, r, s, K, gtab, ok):  # type: ignore[no-untyped-def]
    """:func:`sm2_verify_item` over every item."""
    i = cuda.grid(1)
    if i < ok.shape[0]:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        X = cuda.local.array((EXP_TABLE, 8), uint32)
        qtab = cuda.local.array(QTAB_SHAPE, uint32)
        digits = cuda.local.array(DIGITS_SHAPE, int8)
        sm2_verify_item(i, px, py, e, r, s, K, gtab, ok, W, v, P, X, qtab, digits)


@kernel
def ecdsa_verify_kernel(px, py, e, r, s, low_s, K, gtab, ok):  # type: ignore[no-untyped-def]
    """:func:`ecdsa_verify_item` over every item."""
    i = cuda.grid(1)
    if i < ok.shape[0]:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        X = cuda.local.array((EXP_TABLE, 8), uint32)
        qtab = cuda.local.array(QTAB_SHAPE, uint32)
        digits = cuda.local.array(DIGITS_SHAPE, int8)
        ecdsa_verify_item(i, px, py, e, r, s, low_s, K, gtab, ok, W, v, P, X, qtab, digits)


@kernel
def ecdsa_recover_kernel(e, r, s, recid, K, gtab, px, py, ok):  # type: ignore[no-untyped-def]
    """:func:`ecdsa_recover_item` over every item."""
    i = cuda.grid(1)
    if i < ok.shape[0]:
        W = cuda.local.array((WORK_ROWS, 8), uint32)
        v = cuda.local.array((V_ROWS, 8), uint32)
        P = cuda.local.array((3, 3, 8), uint32)
        X = cuda.local.array((EXP_TABLE, 8), uint32)
        qtab = cuda.local.array(QTAB_SHAPE, uint32)
        digits = cuda.local.array(DIGITS_SHAPE, int8)
        ecdsa_recover_item(i, e, r, s, recid, K, gtab, px, py, ok, W, v, P, X, qtab, digits)
