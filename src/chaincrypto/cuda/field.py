"""Arithmetic mod p for the curve kernels, and the exponentiations mod p and mod n (all
:func:`~.launch.jitable`).

A field element is a plain integer below p in 8 limbs, not a Montgomery form: a product is
the whole 512-bit product (:func:`.bigint.mul_wide`) reduced by the special form of the
curve's prime. Each p here is 2**256 - delta with delta short in signed 32-bit words (SM2:
2**224 + 2**96 - 2**64 + 1; P-256: 2**224 - 2**192 - 2**96 + 1; secp256k1: 2**32 + 977), so
the reduction is additions and small constant multiples: the high words fold into the low
ones through a constant matrix (row k: 2**(32k) mod p as small signed words, k = 8..15)
summed column by column in signed 64-bit accumulators, the carry left above 2**256 folds
twice more through delta, and p is subtracted once without a branch. On sm_90 that is about
430 SASS instructions a product (SM2, P-256; 384 for secp256k1) where the Montgomery loop
takes 560: benches/RESULTS.md.

Products mod n stay Montgomery (:func:`.bigint.mont_mul`): the orders have no such form. ``K``
is the curve's constants array (:mod:`.curves`); its ``MISC_CURVE`` slot picks the reduction,
a branch every thread of a launch takes the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numba import int64, uint32

from .._curve_params import CURVES
from .bigint import (
    LIMBS,
    WIDE,
    bit,
    bits,
    copy,
    limbs_int,
    mod_add,
    mod_neg,
    mod_sub,
    mont_mul,
    mont_sqr,
    mul_wide,
    select,
    sqr_wide,
    store_int,
    sub,
)
from .curves import (
    MISC_CURVE,
    MISC_N_MINV,
    ROW_MISC,
    ROW_N,
    ROW_N_INV_EXP,
    ROW_N_ONE,
    ROW_ONE,
    ROW_P,
    ROW_P_INV_EXP,
)
from .launch import jitable

_I32 = np.int64(32)
_IM32 = np.int64(0xFFFFFFFF)
_ZERO = np.uint64(0)
_ONE = np.uint64(1)


def signed_words(x: int) -> list[int]:
    """``0 <= x < 2**256`` as 8 signed base-2**32 digits in [-2**31, 2**31)."""
    out, carry = [], 0
    for j in range(LIMBS):
        w = ((x >> (32 * j)) & 0xFFFFFFFF) + carry
        carry = int(w >= 1 << 31)
        out.append(w - (carry << 32))
    if carry:
        raise ValueError("no signed-digit form below 2**256")
    return out


def fold_rows(p: int, delta: list[int]) -> list[list[int]]:
    """Row ``k - 8`` (k = 8..15): 2**(32k) mod p as 8 signed words, by folding 2**256 = delta
    (mod p) until nothing stands above word 7."""
    rows = []
    for k in range(LIMBS, 2 * LIMBS):
        v = [0] * (2 * LIMBS)
        v[k] = 1
        while any(v[LIMBS:]):
            for pos in range(2 * LIMBS - 1, LIMBS - 1, -1):
                c, v[pos] = v[pos], 0
                for j, d in enumerate(delta):
                    v[pos - LIMBS + j] += c * d
        rows.append(v[:LIMBS])
    return rows


def _check_bounds(p: int, rows: list[list[int]], delta: list[int]) -> None:
    """The reduction's two folds suffice, and no accumulator leaves int64, for this prime."""
    values = [sum(c << (32 * j) for j, c in enumerate(row)) for row in rows]
    if any(v % p != pow(2, 32 * (k + LIMBS), p) for k, v in enumerate(values)):
        raise ValueError(f"p = {p:#x}: wrong fold rows")
    hi = (1 << 256) - 1 + sum(0xFFFFFFFF * max(0, v) for v in values)
    lo = sum(0xFFFFFFFF * min(0, v) for v in values)
    carry = max(abs(hi >> 256), abs(lo >> 256))  # the carry out of the column sums
    d = sum(c << (32 * j) for j, c in enumerate(delta))
    # after one fold a carry of at most 1 remains, the second cannot carry again, and one
    # subtraction of p ends it (p > 2**255); carry * delta's words stays far inside int64
    if not ((carry + 1) * d < 1 << 255 and p > 1 << 255 and carry < 1 << 30):
        raise ValueError(f"p = {p:#x}: the special-form reduction does not apply")
    if max(sum(abs(row[j]) for row in rows) for j in range(LIMBS)) > 1 << 20:
        raise ValueError(f"p = {p:#x}: fold coefficients too large for 64-bit columns")


def _reducer(p: int) -> Any:
    """``reduce(r, T)``: ``r = T mod p`` for a 512-bit ``T`` (16 limbs, used as scratch), for
    ``p`` of the special form above; constant time."""
    delta = signed_words((1 << 256) - p)
    rows = fold_rows(p, delta)
    _check_bounds(p, rows, delta)
    M = np.array(rows, dtype=np.int64)
    D = np.array(delta, dtype=np.int64)
    P = np.array([(p >> (32 * j)) & 0xFFFFFFFF for j in range(LIMBS)], dtype=np.uint32)

    @jitable
    def fold(T, c):  # type: ignore[no-untyped-def]
        """``T[0:8] += c * delta``; returns the signed carry out of word 7."""
        k = int64(0)
        for j in range(LIMBS):
            s = int64(T[j]) + c * D[j] + k
            T[j] = uint32(s & _IM32)
            k = s >> _I32
        return k

    @jitable
    def reduce(r, T):  # type: ignore[no-untyped-def]
        c = int64(0)
        for j in range(LIMBS):
            s = int64(T[j]) + c
            for k in range(LIMBS):
                s += M[k, j] * int64(T[LIMBS + k])
            T[j] = uint32(s & _IM32)
            c = s >> _I32
        fold(T, fold(T, c))
        borrow = sub(r, T, P)
        select(r, T, borrow)

    return reduce


_reduce_sm2, _reduce_k1, _reduce_p256 = (_reducer(CURVES[code].p) for code in (0, 1, 2))


@jitable
def _reduce(r, T, K):  # type: ignore[no-untyped-def]
    """``r = T mod p`` by the reduction of ``K``'s curve."""
    curve = K[ROW_MISC, MISC_CURVE]
    if curve == 0:
        _reduce_sm2(r, T)
    elif curve == 1:
        _reduce_k1(r, T)
    else:
        _reduce_p256(r, T)


def fmul_twin(r, a, b, K):  # type: ignore[no-untyped-def]
    """:func:`fmul` with Python integers (its simulator twin)."""
    store_int(r, limbs_int(a) * limbs_int(b) % limbs_int(K[ROW_P]))


def fsqr_twin(r, a, K):  # type: ignore[no-untyped-def]
    """:func:`fsqr` with Python integers (its simulator twin)."""
    store_int(r, limbs_int(a) ** 2 % limbs_int(K[ROW_P]))


# The 512-bit product's scratch is a thread-local array (in registers once the loops unroll):
# ``cuda.local.array`` in kernels, ``np.empty`` in CPU code, hence two bodies for each.


def _fmul_device() -> Callable[..., Any]:
    from numba import cuda

    def fmul(r, a, b, K):  # type: ignore[no-untyped-def]
        T = cuda.local.array(WIDE, uint32)
        mul_wide(T, a, b)
        _reduce(r, T, K)

    return fmul


def _fsqr_device() -> Callable[..., Any]:
    from numba import cuda

    def fsqr(r, a, K):  # type: ignore[no-untyped-def]
        T = cuda.local.array(WIDE, uint32)
        sqr_wide(T, a)
        _reduce(r, T, K)

    return fsqr


@jitable(twin=fmul_twin, device=_fmul_device)
def fmul(r, a, b, K):  # type: ignore[no-untyped-def]
    """``r = a * b mod p``; ``r`` may alias ``a`` or ``b``."""
    T = np.empty(WIDE, np.uint32)
    mul_wide(T, a, b)
    _reduce(r, T, K)


@jitable(twin=fsqr_twin, device=_fsqr_device)
def fsqr(r, a, K):  # type: ignore[no-untyped-def]
    """``r = a * a mod p`` (:func:`.bigint.sqr_wide`: 28 fewer multiply-adds than
    :func:`fmul`); ``r`` may alias ``a``."""
    T = np.empty(WIDE, np.uint32)
    sqr_wide(T, a)
    _reduce(r, T, K)


@jitable
def fadd(r, a, b, K, t):  # type: ignore[no-untyped-def]
    """``r = a + b mod p``."""
    mod_add(r, a, b, K[ROW_P], t)


@jitable
def fsub(r, a, b, K, t):  # type: ignore[no-untyped-def]
    """``r = a - b mod p``."""
    mod_sub(r, a, b, K[ROW_P], t)


@jitable
def fneg(r, a, K, t):  # type: ignore[no-untyped-def]
    """``r = -a mod p``."""
    mod_neg(r, a, K[ROW_P], t)


#: Sliding-window width of :func:`power`, and its table of odd powers a, a**3, ..., a**7.
EXP_WINDOW = 3
EXP_TABLE = 1 << (EXP_WINDOW - 1)


@jitable
def _mul(r, a, b, K, mod_n, t):  # type: ignore[no-untyped-def]
    if mod_n:
        mont_mul(r, a, b, K[ROW_N], K[ROW_MISC, MISC_N_MINV], t)
    else:
        fmul(r, a, b, K)


@jitable
def _sqr(r, a, K, mod_n, t):  # type: ignore[no-untyped-def]
    if mod_n:
        mont_sqr(r, a, K[ROW_N], K[ROW_MISC, MISC_N_MINV])
    else:
        fsqr(r, a, K)


@jitable
def power(r, a, e, K, mod_n, t, acc, tab):  # type: ignore[no-untyped-def]
    """``r = a**e`` mod p (``mod_n`` 0: plain elements), or mod n in the Montgomery domain
    (``mod_n`` 1), by left-to-right sliding windows of :data:`EXP_WINDOW` bits over the odd
    powers in ``tab`` (EXP_TABLE x 8 scratch): about 256 squarings and 64 products for the
    exponents here (p - 2, n - 2, (p + 1) / 4), where plain square-and-multiply spends up to
    250 more. The windows follow the bits of ``e``, which is public; the sequence of
    operations and the table reads do not depend on ``a`` (constant time in ``a``). ``acc`` is
    scratch (8 limbs); ``r`` may alias ``a`` but neither may alias ``acc`` or ``tab``."""
    copy(tab[0], a)
    _sqr(acc, a, K, mod_n, t)
    for j in range(1, EXP_TABLE):
        _mul(tab[j], tab[j - 1], acc, K, mod_n, t)
    copy(acc, K[ROW_N_ONE] if mod_n else K[ROW_ONE])
    started = False
    i = 255
    while i >= 0:
        if bit(e, i) == _ZERO:
            if started:
                _sqr(acc, acc, K, mod_n, t)
            i -= 1
            continue
        low = i - EXP_WINDOW + 1 if i >= EXP_WINDOW - 1 else 0
        while bit(e, low) == _ZERO:
            low += 1
        window = bits(e, low, i - low + 1)
        if started:
            for _ in range(i - low + 1):
                _sqr(acc, acc, K, mod_n, t)
            _mul(acc, acc, tab[window >> _ONE], K, mod_n, t)
        else:
            copy(acc, tab[window >> _ONE])
            started = True
        i = low - 1
    copy(r, acc)


@jitable
def batch_inverse(vals, pref, count, K, mod_n, t, acc, tab):  # type: ignore[no-untyped-def]
    """``vals[j] = 1/vals[j]`` for ``j < count``, mod p (plain elements, ``mod_n`` 0) or mod n
    (Montgomery form in and out, ``mod_n`` 1), with one exponentiation for all of them
    (Montgomery's trick: the prefix products ``pref[j] = vals[0] ... vals[j]``, the inverse of
    the last, then two products an element back down): 3 (count - 1) products and one
    :func:`power` where ``count`` inversions take ``count`` powers. Every value must be nonzero:
    a zero would make every result zero. Constant time in the values (``count`` is public).
    ``pref`` has ``count`` rows; ``acc`` (8 limbs) and ``tab`` (``EXP_TABLE`` x 8) are
    scratch."""
    if count == 0:
        return
    copy(pref[0], vals[0])
    for j in range(1, count):
        _mul(pref[j], pref[j - 1], vals[j], K, mod_n, t)
    last = count - 1
    inv = pref[last]
    power(inv, inv, K[ROW_N_INV_EXP] if mod_n else K[ROW_P_INV_EXP], K, mod_n, t, acc, tab)
    for j in range(last, 0, -1):
        _mul(acc, inv, pref[j - 1], K, mod_n, t)  # 1 / vals[j]
        _mul(inv, inv, vals[j], K, mod_n, t)  # 1 / (vals[0] ... vals[j - 1])
        copy(vals[j], acc)
    copy(vals[0], inv)
