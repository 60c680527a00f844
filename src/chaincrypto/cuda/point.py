"""Jacobian point arithmetic for the curve kernels (all :func:`~.launch.jitable`), over the
field arithmetic of :mod:`.field`.

A field element is a plain integer below p in 8 limbs; a Jacobian point ``P`` is a ``(3, 8)``
array (X, Y, Z) standing for (X/Z**2, Y/Z**3), infinity having Z = 0; an affine point is a
``(2, 8)`` array. ``K`` is the curve's constants array (:mod:`.curves`), ``W`` a workspace of
at least :data:`WORK_ROWS` rows of 8 limbs and ``t`` 8 limbs of scratch, both private to the
thread. The curves here have a = -3 (SM2, P-256) or a = 0 (secp256k1): the doubling formula is
chosen per curve, a branch every thread of a launch takes the same way.
"""

from __future__ import annotations

import numpy as np
from numba import uint32, uint64

from .bigint import add as add_limbs
from .bigint import copy, equal, is_zero, select, sub
from .curves import (
    MISC_A_IS_MINUS_3,
    ROW_A,
    ROW_B,
    ROW_MISC,
    ROW_N,
    ROW_ONE,
    ROW_P,
    ROW_P_SQRT_EXP,
)
from .field import batch_inverse, fadd, fmul, fneg, fsqr, fsub, power
from .launch import jitable

_ONE = np.uint64(1)

#: Rows of workspace ``W`` the point functions use (rows 0-8).
WORK_ROWS = 9


@jitable
def set_infinity(R):  # type: ignore[no-untyped-def]
    """``R = infinity`` (all coordinates zero)."""
    for c in range(3):
        for i in range(8):
            R[c, i] = uint32(0)


@jitable
def from_affine(R, A, K):  # type: ignore[no-untyped-def]
    """``R = (x, y, 1)`` for the affine point ``A``."""
    copy(R[0], A[0])
    copy(R[1], A[1])
    copy(R[2], K[ROW_ONE])


@jitable
def select_point(R, P, flag):  # type: ignore[no-untyped-def]
    """``R = P`` if ``flag`` else unchanged, without a branch (both Jacobian)."""
    for c in range(3):
        select(R[c], P[c], flag)


@jitable
def dbl(R, P, K, W, t):  # type: ignore[no-untyped-def]
    """``R = 2P`` (R may alias P; uses W rows 0-5). Infinity doubles to infinity."""
    if K[ROW_MISC, MISC_A_IS_MINUS_3]:  # dbl-2001-b
        fsqr(W[0], P[2], K)  # delta = Z^2
        fsqr(W[1], P[1], K)  # gamma = Y^2
        fmul(W[2], P[0], W[1], K)  # beta = X gamma
        fsub(W[3], P[0], W[0], K, t)
        fadd(W[4], P[0], W[0], K, t)
        fmul(W[3], W[3], W[4], K)
        fadd(W[4], W[3], W[3], K, t)
        fadd(W[3], W[4], W[3], K, t)  # alpha = 3 (X - delta)(X + delta)
        fadd(W[4], P[1], P[2], K, t)
        fsqr(W[4], W[4], K)
        fsub(W[4], W[4], W[1], K, t)
        fsub(R[2], W[4], W[0], K, t)  # Z3 = (Y + Z)^2 - gamma - delta
        fadd(W[2], W[2], W[2], K, t)
        fadd(W[2], W[2], W[2], K, t)  # 4 beta
        fadd(W[5], W[2], W[2], K, t)  # 8 beta
        fsqr(W[4], W[3], K)
        fsub(R[0], W[4], W[5], K, t)  # X3 = alpha^2 - 8 beta
        fsub(W[2], W[2], R[0], K, t)
        fmul(W[2], W[3], W[2], K)
        fsqr(W[1], W[1], K)
        fadd(W[1], W[1], W[1], K, t)
        fadd(W[1], W[1], W[1], K, t)
        fadd(W[1], W[1], W[1], K, t)
        fsub(R[1], W[2], W[1], K, t)  # Y3 = alpha (4 beta - X3) - 8 gamma^2
    else:  # a = 0: dbl-2009-l
        fsqr(W[0], P[0], K)  # A = X^2
        fsqr(W[1], P[1], K)  # B = Y^2
        fsqr(W[2], W[1], K)  # C = B^2
        fadd(W[3], P[0], W[1], K, t)
        fsqr(W[3], W[3], K)
        fsub(W[3], W[3], W[0], K, t)
        fsub(W[3], W[3], W[2], K, t)
        fadd(W[3], W[3], W[3], K, t)  # D = 2 ((X + B)^2 - A - C)
        fadd(W[4], W[0], W[0], K, t)
        fadd(W[4], W[4], W[0], K, t)  # E = 3A
        fsqr(W[5], W[4], K)  # F = E^2
        fmul(R[2], P[1], P[2], K)
        fadd(R[2], R[2], R[2], K, t)  # Z3 = 2 Y Z
        fadd(W[0], W[3], W[3], K, t)
        fsub(R[0], W[5], W[0], K, t)  # X3 = F - 2D
        fsub(W[3], W[3], R[0], K, t)
        fmul(W[3], W[4], W[3], K)
        fadd(W[2], W[2], W[2], K, t)
        fadd(W[2], W[2], W[2], K, t)
        fadd(W[2], W[2], W[2], K, t)
        fsub(R[1], W[3], W[2], K, t)  # Y3 = E (D - X3) - 8C


@jitable
def _add_prepare(P, Q, q_affine, K, W, t):  # type: ignore[no-untyped-def]
    """First half of P + Q (add-1998-cmo-2; Z2 = 1 when ``q_affine``): W2 = U1, W3 = S1,
    W4 = H = U2 - U1, W5 = r = S2 - S1 (uses W rows 0-5)."""
    fsqr(W[0], P[2], K)  # Z1^2
    if q_affine:
        copy(W[2], P[0])
        copy(W[3], P[1])
    else:
        fsqr(W[1], Q[2], K)  # Z2^2
        fmul(W[2], P[0], W[1], K)  # U1 = X1 Z2^2
        fmul(W[3], P[1], Q[2], K)
        fmul(W[3], W[3], W[1], K)  # S1 = Y1 Z2^3
    fmul(W[4], Q[0], W[0], K)  # U2 = X2 Z1^2
    fmul(W[5], Q[1], P[2], K)
    fmul(W[5], W[5], W[0], K)  # S2 = Y2 Z1^3
    fsub(W[4], W[4], W[2], K, t)  # H
    fsub(W[5], W[5], W[3], K, t)  # r


@jitable
def _add_finish(R, P, Q, q_affine, K, W, t):  # type: ignore[no-untyped-def]
    """Second half of P + Q from :func:`_add_prepare`'s rows (uses W rows 0-8); R may alias P
    or Q."""
    fmul(W[6], P[2], W[4], K)
    if not q_affine:
        fmul(W[6], W[6], Q[2], K)  # Z3 = Z1 Z2 H
    fsqr(W[7], W[4], K)  # H^2
    fmul(W[8], W[7], W[4], K)  # H^3
    fmul(W[7], W[2], W[7], K)  # U1 H^2
    fsqr(W[0], W[5], K)
    fsub(W[0], W[0], W[8], K, t)
    fadd(W[1], W[7], W[7], K, t)
    fsub(W[0], W[0], W[1], K, t)  # X3 = r^2 - H^3 - 2 U1 H^2
    fsub(W[7], W[7], W[0], K, t)
    fmul(W[7], W[5], W[7], K)
    fmul(W[8], W[3], W[8], K)
    fsub(W[7], W[7], W[8], K, t)  # Y3 = r (U1 H^2 - X3) - S1 H^3
    copy(R[0], W[0])
    copy(R[1], W[7])
    copy(R[2], W[6])


@jitable
def add(R, P, Q, q_affine, K, W, t):  # type: ignore[no-untyped-def]
    """``R = P + Q`` for Jacobian P and Q (affine ``(2, 8)`` Q when ``q_affine``), every case
    handled: infinity, P = Q, P = -Q. Variable time: verification and recovery only (public
    data). R may alias P."""
    if is_zero(P[2]):
        if q_affine:
            from_affine(R, Q, K)
        else:
            for c in range(3):
                copy(R[c], Q[c])
        return
    if not q_affine and is_zero(Q[2]):
        for c in range(3):
            copy(R[c], P[c])
        return
    _add_prepare(P, Q, q_affine, K, W, t)
    if is_zero(W[4]):
        if is_zero(W[5]):
            dbl(R, P, K, W, t)
        else:
            set_infinity(R)
        return
    _add_finish(R, P, Q, q_affine, K, W, t)


@jitable
def add_affine_ct(R, P, A, K, W, t):  # type: ignore[no-untyped-def]
    """``R = P + A`` for Jacobian P and affine A by the generic formula, without a branch:
    correct unless P is infinity or P = +-A, cases the caller excludes or selects around
    (constant-time signing). R must not alias P."""
    _add_prepare(P, A, True, K, W, t)
    _add_finish(R, P, A, True, K, W, t)


@jitable
def to_affine_all(xs, ys, zs, pref, count, with_y, K, W, t, X):  # type: ignore[no-untyped-def]
    """Affine coordinates of the ``count`` Jacobian points ``(xs[j], ys[j], zs[j])`` (none at
    infinity), in place, with one inversion for all (:func:`.field.batch_inverse`; ``zs``
    holds the inverses afterwards, ``pref`` is its scratch); ``ys`` only ``with_y``. Constant
    time. Uses W rows 0-1; ``X`` (``EXP_TABLE`` x 8) is the inversion's scratch."""
    batch_inverse(zs, pref, count, K, 0, t, W[0], X)
    for j in range(count):
        fsqr(W[1], zs[j], K)  # Z^-2
        fmul(xs[j], xs[j], W[1], K)
        if with_y:
            fmul(W[1], W[1], zs[j], K)  # Z^-3
            fmul(ys[j], ys[j], W[1], K)


@jitable
def x_matches(P, c, K, W, t):  # type: ignore[no-untyped-def]
    """1 if the affine x of Jacobian P (not infinity) equals the plain integer ``c < p``:
    X == c * Z**2 (mod p), no inversion. Uses W rows 0-1."""
    fsqr(W[1], P[2], K)
    fmul(W[1], W[1], c, K)
    acc = uint64(0)
    for i in range(8):
        acc |= uint64(W[1, i]) ^ uint64(P[0, i])
    return uint64(acc == uint64(0))


@jitable
def plus_n_below_p(r, c, K, t):  # type: ignore[no-untyped-def]
    """``r = c + n`` and 1 if that is below p (the second x candidate when checking x mod n),
    else 0."""
    carry = add_limbs(r, c, K[ROW_N])
    return (_ONE - carry) & sub(t, r, K[ROW_P])


@jitable
def lift_x(Q, x, parity, K, t, E, tab):  # type: ignore[no-untyped-def]
    """Affine ``Q`` with x-coordinate ``x < p`` and y of the given parity; returns 0 when
    x**3 + a x + b is not a square. ``E`` (3 x 8) and ``tab`` (``EXP_TABLE`` x 8) are
    scratch. Variable time (public data)."""
    copy(Q[0], x)
    fsqr(E[0], Q[0], K)
    fadd(E[0], E[0], K[ROW_A], K, t)  # x^2 + a
    fmul(E[0], E[0], Q[0], K)
    fadd(E[0], E[0], K[ROW_B], K, t)  # x^3 + a x + b
    # p = 3 mod 4: rhs**((p+1)/4) is a square root when one exists
    power(Q[1], E[0], K[ROW_P_SQRT_EXP], K, 0, t, E[2], tab)
    fsqr(E[1], Q[1], K)
    if not equal(E[1], E[0]):
        return 0
    if (uint64(Q[1, 0]) & _ONE) != uint64(parity):
        fneg(Q[1], Q[1], K, t)
    return 1
