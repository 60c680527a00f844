"""Scalar multiplication for the curve kernels (all :func:`~.launch.jitable`):

* :func:`fixed_base_ct` -- k*G for secret k: 52 signed 5-bit digits over the comb table of
  :func:`.curves.comb_table`, each window's entry picked by a scan that touches all 16 entries
  and selected without a branch, so time and memory addresses do not depend on k;
* :func:`double_mul` -- u1*G + u2*Q for public scalars (verification, recovery): Straus with
  regular signed windows, 252 shared doublings, G's odd multiples from a table in device memory
  and Q's computed per thread; on secp256k1 the GLV endomorphism splits both scalars into halves
  below 2**129, four digit strings sharing 128 doublings.

Why regular windows rather than wNAF: the 32 threads of a warp run one instruction stream, so a
branch taken by any of them costs all of them. With wNAF a thread adds at about one position in
six, but some thread of 32 adds at nearly every position, and the warp pays for about 250
additions a string instead of 43. Regular windows (every digit odd and nonzero, at fixed
positions: k = sum d_i 2**(w i), |d_i| < 2**w) make every thread add at the same positions:
64 additions on Q and 43 on G for a 256-bit scalar. The C backend's AVX-512 lanes do the same
(csrc/ec/ecmult_ifma.h); ``scripts/warp_divergence.py`` counts both schemes per warp.
"""

from __future__ import annotations

from numba import int64, uint64

from .bigint import (
    bit,
    bits,
    copy,
    is_zero,
    mod_add,
    mod_neg,
    mod_sub,
    mont_mul,
    mul_shift_384,
    select,
    sub,
)
from .curves import (
    COMB_BITS,
    COMB_ENTRIES,
    COMB_WINDOWS,
    G_WNAF_WINDOW,
    MISC_GLV,
    MISC_N_MINV,
    ROW_GLV_BETA,
    ROW_GLV_G1,
    ROW_GLV_G2,
    ROW_GLV_LAMBDA,
    ROW_GLV_MB1,
    ROW_GLV_MB2,
    ROW_MISC,
    ROW_N,
    ROW_N_HALF,
    ROW_ONE,
)
from .field import fmul, fneg
from .launch import jitable
from .point import add, add_affine_ct, dbl, from_affine, select_point, set_infinity

#: Width of Q's NAF in :func:`double_mul` (odd multiples Q, 3Q, ..., 15Q).
Q_WNAF_WINDOW = 5
#: Entries of the per-thread table of Q's odd multiples.
Q_TABLE = 1 << (Q_WNAF_WINDOW - 2)
#: Bits a regular window of :func:`double_mul` takes: Q's table reaches 15Q (4 bits), G's
#: (:func:`.curves.g_wnaf_table`) (2**(G_WNAF_WINDOW - 1) - 1) G.
Q_WINDOW = Q_WNAF_WINDOW - 1
G_WINDOW = G_WNAF_WINDOW - 1


def _digit_count(bits_: int, width: int) -> int:
    """Regular digits for a scalar below 2**bits_: the top one, k >> (width (count - 1)), then
    stays below 2**width."""
    return (bits_ - 1) // width + 1


#: Digits of the strings for a 256-bit scalar on Q and on G (top digits both at bit 252).
Q_DIGITS, G_DIGITS = _digit_count(256, Q_WINDOW), _digit_count(256, G_WINDOW)
#: The same for a GLV half: a magnitude below 2**129, plus one when it was even.
Q_HALF_DIGITS, G_HALF_DIGITS = _digit_count(130, Q_WINDOW), _digit_count(130, G_WINDOW)
#: Bit positions a string spans (its digits sit at multiples of the window, zeros between, so
#: that one loop over positions serves both tables): 0 .. 252, or 0 .. 128 for a GLV half.
SPAN = max(Q_WINDOW * (Q_DIGITS - 1), G_WINDOW * (G_DIGITS - 1)) + 1
HALF_SPAN = max(Q_WINDOW * (Q_HALF_DIGITS - 1), G_WINDOW * (G_HALF_DIGITS - 1)) + 1
#: Columns of the digit scratch where :func:`_double_mul_glv` leaves its two corrections (each
#: -(sign) where a GLV half was even and recoded as k + 1, else 0); 0 without GLV.
FIX_COLUMN = max(SPAN, 2 * HALF_SPAN)
#: Shape of the digit scratch of :func:`double_mul`: a row per scalar (0: u1 on G, 1: u2 on Q),
#: holding its string, or its two GLV halves' strings side by side, then the corrections.
DIGITS_SHAPE = (2, FIX_COLUMN + 2)


@jitable
def fixed_base_ct(R, k, comb, K, W, t, E, S):  # type: ignore[no-untyped-def]
    """``R = k*G`` (Jacobian) for ``0 < k < n`` in constant time: k recoded into signed
    digits of :data:`~.curves.COMB_BITS` bits (-15..16, a carry into the next window for
    digits above 16), one mixed addition per window of ``sign * comb[w, |d| - 1]``. Each
    window's entry is picked by a scan that reads all of the window's entries and selects
    without a branch, so time and memory addresses do not depend on k. ``E`` (2 x 8) and ``S``
    (3 x 8) are scratch. The generic addition formula fails only when the running sum equals
    +-(the entry), which needs k to fall on a set of about 2**(5w) values out of n for window
    w: probability about 2**-240 for a uniformly random k."""
    set_infinity(R)
    empty = uint64(1)
    carry = uint64(0)
    for w in range(COMB_WINDOWS):
        v = bits(k, COMB_BITS * w, COMB_BITS) + carry  # 0 .. 2**COMB_BITS
        carry = uint64(v > uint64(COMB_ENTRIES))
        d = (uint64(1) - carry) * v + carry * ((uint64(1) << uint64(COMB_BITS)) - v)  # |digit|
        for j in range(COMB_ENTRIES):
            hit = uint64(d == uint64(j + 1))
            select(E[0], comb[w, j, 0], hit)
            select(E[1], comb[w, j, 1], hit)
        fneg(S[0], E[1], K, t)
        select(E[1], S[0], carry)  # a negative digit: -entry
        add_affine_ct(S, R, E, K, W, t)
        nonzero = uint64(d != uint64(0))
        select_point(R, S, nonzero & (empty ^ uint64(1)))
        # first nonzero digit: R = (x, y, 1) of the entry
        first = nonzero & empty
        select(R[0], E[0], first)
        select(R[1], E[1], first)
        select(R[2], K[ROW_ONE], first)
        empty &= nonzero ^ uint64(1)


@jitable
def regular(digits, row, at, span, k, neg, width, count):  # type: ignore[no-untyped-def]
    """``digits[row, at : at + span]``: the ``count`` regular signed-window digits of an odd
    ``k`` below 2**(width count) at bit positions 0, width, 2 width, ... (zeros between):
    k = sum d_i 2**(width i), each d_i odd, |d_i| < 2**width, all negated when ``neg``; an even
    k gets those of k + 1. With k_0 = k and k_(i+1) = (k_i - d_i) / 2**width, d_i = (k_i mod
    2**(width+1)) - 2**width; then k_i = (k >> (width i)) | 1 for i >= 1, so each digit reads
    width + 1 bits of k. Variable time: public scalars only."""
    for i in range(span):
        digits[row, at + i] = 0
    sign = int64(-1) if neg else int64(1)
    half = int64(1) << int64(width)
    for i in range(count - 1):
        digits[row, at + width * i] = sign * (
            int64(bits(k, width * i, width + 1) | uint64(1)) - half
        )
    top = width * (count - 1)
    digits[row, at + top] = sign * int64(bits(k, top, width) | uint64(1))


@jitable
def _add_digit(R, d, table, affine, endo, K, W, t, E):  # type: ignore[no-untyped-def]
    """``R += d * (entry)`` for an odd digit ``d`` (nothing for 0): the entry is
    ``table[(|d| - 1) / 2]`` (affine rows when ``affine``, else Jacobian), negated for d < 0
    and mapped by the endomorphism (x times beta) when ``endo``. ``E`` (3 x 8) is scratch."""
    if d == 0:
        return
    idx = (d if d > 0 else -d) >> 1
    for c in range(2 if affine else 3):
        copy(E[c], table[idx, c])
    if d < 0:
        fneg(E[1], E[1], K, t)
    if endo:
        fmul(E[0], E[0], K[ROW_GLV_BETA], K)
    add(R, R, E, affine, K, W, t)


@jitable
def _q_table(qtab, Q, K, W, t, E):  # type: ignore[no-untyped-def]
    """``qtab[i] = (2i + 1) Q`` (Jacobian) for an affine ``Q``."""
    from_affine(qtab[0], Q, K)
    dbl(E, qtab[0], K, W, t)  # 2Q
    for i in range(1, Q_TABLE):
        add(qtab[i], qtab[i - 1], E, False, K, W, t)


@jitable
def _magnitude(half, K, t):  # type: ignore[no-untyped-def]
    """A split half mod n as sign and magnitude, in place: ``(neg, fits)`` with neg = 1 when
    it stood for ``-(n - half)``, fits = 1 when the magnitude is below 2**129."""
    neg = sub(t, K[ROW_N_HALF], half)  # half > (n - 1) / 2
    if neg:
        mod_neg(half, half, K[ROW_N], t)
    small = (uint64(half[5]) | uint64(half[6]) | uint64(half[7])) == 0 and uint64(half[4]) <= 1
    return neg, uint64(small)


@jitable
def glv_split(k1, k2, k, K, W, t):  # type: ignore[no-untyped-def]
    """``k = k1 + k2 lambda (mod n)`` for ``k < n``, as magnitudes ``k1``, ``k2`` and their
    signs (returned, 1 for negative), after libsecp256k1's scalar_split_lambda; returns
    ``(neg1, neg2, fits)`` where ``fits`` says both magnitudes are below 2**129 (always, by the
    bound of the split constants; the caller falls back to the plain ladder otherwise). Uses
    W rows 0-3. Variable time: public scalars only."""
    n, minv = K[ROW_N], K[ROW_MISC, MISC_N_MINV]
    mul_shift_384(W[2], k, K[ROW_GLV_G1], W[0:2])
    mul_shift_384(W[3], k, K[ROW_GLV_G2], W[0:2])
    mont_mul(W[2], W[2], K[ROW_GLV_MB1], n, minv, t)  # c1 (-b1) mod n
    mont_mul(W[3], W[3], K[ROW_GLV_MB2], n, minv, t)  # c2 (-b2) mod n
    mod_add(k2, W[2], W[3], n, t)
    mont_mul(W[2], k2, K[ROW_GLV_LAMBDA], n, minv, t)
    mod_sub(k1, k, W[2], n, t)
    neg1, fits1 = _magnitude(k1, K, t)
    neg2, fits2 = _magnitude(k2, K, t)
    return neg1, neg2, fits1 & fits2


@jitable
def _straus(R, digits, span, parts, qtab, gtab, K, W, t, E):  # type: ignore[no-untyped-def]
    """``R`` = the sum the digit strings stand for, by one shared chain of doublings: row 1 of
    ``digits`` on Q's table, row 0 on G's, each row ``parts`` strings of ``span`` positions (with
    GLV the second string is on lambda times the point), then the corrections in
    :data:`FIX_COLUMN` as one last step without a doubling, through the same call sites of the
    inlined additions. Every thread adds at the same positions; ``R`` is infinity only until the
    first addition (or where a sum meets its own negative, which :func:`.point.add` handles)."""
    set_infinity(R)
    for i in range(span - 1, -2, -1):
        last = i < 0
        if not last and not is_zero(R[2]):
            dbl(R, R, K, W, t)
        for part in range(parts):
            col = FIX_COLUMN + part if last else part * span + i
            _add_digit(R, int64(digits[1, col]), qtab, False, part == 1, K, W, t, E)
        for part in range(parts):
            col = FIX_COLUMN + part if last else part * span + i
            _add_digit(R, int64(digits[0, col]), gtab, True, part == 1, K, W, t, E)


@jitable
def _odd(k, n, t):  # type: ignore[no-untyped-def]
    """An even ``k`` < n replaced by n - k, in place (``k G = -((n - k) G)``); returns 1 when
    it was. ``t`` is scratch."""
    if bit(k, 0):
        return 0
    sub(t, n, k)
    copy(k, t)
    return 1


@jitable
def double_mul(R, u1, u2, Q, gtab, K, W, t, qtab, digits, E):  # type: ignore[no-untyped-def]
    """``R = u1*G + u2*Q`` (Jacobian; infinity possible) for an affine ``Q`` (2 x 8) and
    public scalars below n: Straus over regular signed windows, or on a curve with the GLV
    endomorphism (:func:`glv_split`) four half-length strings and half the doublings.
    ``qtab`` (Q_TABLE x 3 x 8), ``digits`` (:data:`DIGITS_SHAPE`, int8) and ``E`` (3 x 8) are
    scratch. Variable time."""
    if K[ROW_MISC, MISC_GLV] and _double_mul_glv(R, u1, u2, Q, gtab, K, W, t, qtab, digits, E):
        return
    copy(E[0], u1)
    regular(digits, 0, 0, SPAN, E[0], _odd(E[0], K[ROW_N], t), G_WINDOW, G_DIGITS)
    copy(E[0], u2)
    regular(digits, 1, 0, SPAN, E[0], _odd(E[0], K[ROW_N], t), Q_WINDOW, Q_DIGITS)
    digits[0, FIX_COLUMN] = 0
    digits[1, FIX_COLUMN] = 0
    _q_table(qtab, Q, K, W, t, E)
    _straus(R, digits, SPAN, 1, qtab, gtab, K, W, t, E)


@jitable
def _double_mul_glv(R, u1, u2, Q, gtab, K, W, t, qtab, digits, E):  # type: ignore[no-untyped-def]
    """:func:`double_mul` as ``a1 G + a2 (lambda G) + b1 Q + b2 (lambda Q)``; returns 0 (R
    untouched) if a split exceeds its digits, which the split's bound rules out. An even half
    k is recoded as k + 1 (odd), and its string's point is taken off once more at the end (the
    correction digit, -(sign) or 0, in :data:`FIX_COLUMN`)."""
    for h in range(2):
        neg1, neg2, fits = glv_split(E[0], E[1], u1 if h == 0 else u2, K, W, t)
        if not fits:
            return 0
        width = G_WINDOW if h == 0 else Q_WINDOW
        count = G_HALF_DIGITS if h == 0 else Q_HALF_DIGITS
        for part in range(2):
            neg = neg1 if part == 0 else neg2
            even = bit(E[part], 0) ^ uint64(1)
            # an even k reads as k | 1 = k + 1 in regular's first digit
            regular(digits, h, part * HALF_SPAN, HALF_SPAN, E[part], neg, width, count)
            fix = (int64(1) if neg else int64(-1)) if even else int64(0)
            digits[h, FIX_COLUMN + part] = fix
    _q_table(qtab, Q, K, W, t, E)
    _straus(R, digits, HALF_SPAN, 2, qtab, gtab, K, W, t, E)
    return 1
