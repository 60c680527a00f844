"""Scalar multiplication for the curve kernels (all :func:`~.launch.jitable`):

* :func:`fixed_base_ct` -- k*G for secret k: 64 windows of 4 bits over the comb table of
  :func:`.curves.comb_table`, each window's entry picked by a scan that touches all 15 entries
  and selected without a branch, so time and memory addresses do not depend on k;
* :func:`double_mul` -- u1*G + u2*Q for public scalars (verification, recovery): Straus with
  width-w NAF digits, 256 shared doublings, G's odd multiples from a table in device memory and
  Q's computed per thread.
"""

from __future__ import annotations

from numba import int64, uint64

from .bigint import bit, bits, copy, is_zero, select
from .curves import COMB_BITS, COMB_WINDOWS, G_WNAF_WINDOW, ROW_P_ONE
from .launch import jitable
from .point import add, add_affine_ct, dbl, fneg, from_affine, select_point, set_infinity

#: Width of Q's NAF in :func:`double_mul` (odd multiples Q, 3Q, ..., 15Q).
Q_WNAF_WINDOW = 5
#: Entries of the per-thread table of Q's odd multiples.
Q_TABLE = 1 << (Q_WNAF_WINDOW - 2)
#: Digits of a NAF of a 256-bit scalar.
NAF_DIGITS = 257


@jitable
def fixed_base_ct(R, k, comb, K, W, t, E, S):  # type: ignore[no-untyped-def]
    """``R = k*G`` (Jacobian) for ``0 < k < n`` in constant time. ``E`` (2 x 8) and ``S``
    (3 x 8) are scratch. The generic addition formula fails only when the running sum equals
    +-(the entry), which needs k = n - j*2**252 + (low bits): probability about 2**-250 for
    a uniformly random k."""
    set_infinity(R)
    empty = uint64(1)
    for w in range(COMB_WINDOWS):
        d = bits(k, COMB_BITS * w, COMB_BITS)
        for j in range(1, 1 << COMB_BITS):
            hit = uint64(d == uint64(j))
            select(E[0], comb[w, j, 0], hit)
            select(E[1], comb[w, j, 1], hit)
        add_affine_ct(S, R, E, K, W, t)
        nonzero = uint64(d != uint64(0))
        select_point(R, S, nonzero & (empty ^ uint64(1)))
        # first nonzero digit: R = (x, y, 1) of the entry
        first = nonzero & empty
        select(R[0], E[0], first)
        select(R[1], E[1], first)
        select(R[2], K[ROW_P_ONE], first)
        empty &= nonzero ^ uint64(1)


@jitable
def naf(digits, k, width):  # type: ignore[no-untyped-def]
    """Width-``width`` NAF of ``k`` into ``digits[0:NAF_DIGITS]`` (odd digits below
    2**(width-1) in absolute value, zero elsewhere). Variable time: public scalars only."""
    for i in range(NAF_DIGITS):
        digits[i] = 0
    carry = int64(0)
    b = 0
    while b < NAF_DIGITS:
        current = int64(bit(k, b)) if b < 256 else int64(0)
        if current == carry:
            b += 1
            continue
        now = width
        if now > NAF_DIGITS - b:
            now = NAF_DIGITS - b
        word = int64(bits(k, b, now)) + carry
        carry = (word >> (width - 1)) & 1
        word -= carry << width
        digits[b] = word
        b += now


@jitable
def _load_entry(E, table, d, rows, K, t):  # type: ignore[no-untyped-def]
    """``E[0:rows] = sign(d) * table[(|d| - 1) / 2]`` for an odd NAF digit ``d``."""
    idx = (d if d > 0 else -d) >> 1
    for c in range(rows):
        copy(E[c], table[idx, c])
    if d < 0:
        fneg(E[1], E[1], K, t)


@jitable
def double_mul(R, u1, u2, Q, gtab, K, W, t, qtab, dg, dq, E):  # type: ignore[no-untyped-def]
    """``R = u1*G + u2*Q`` (Jacobian; infinity possible) for an affine ``Q`` (2 x 8, in the
    Montgomery domain) and public
    scalars below 2**256. ``qtab`` (Q_TABLE x 3 x 8), ``dg``/``dq`` (NAF_DIGITS int8) and ``E``
    (3 x 8) are scratch. Variable time."""
    from_affine(qtab[0], Q, K)
    dbl(E, qtab[0], K, W, t)  # 2Q
    for i in range(1, Q_TABLE):
        add(qtab[i], qtab[i - 1], E, False, K, W, t)
    naf(dg, u1, G_WNAF_WINDOW)
    naf(dq, u2, Q_WNAF_WINDOW)
    set_infinity(R)
    for i in range(NAF_DIGITS - 1, -1, -1):
        if not is_zero(R[2]):
            dbl(R, R, K, W, t)
        d = int64(dq[i])
        if d != 0:
            _load_entry(E, qtab, d, 3, K, t)
            add(R, R, E, False, K, W, t)
        d = int64(dg[i])
        if d != 0:
            _load_entry(E, gtab, d, 2, K, t)
            add(R, R, E, True, K, W, t)
