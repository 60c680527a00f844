"""Curve parameters for the elliptic-curve kernels, computed on the host with Python integers:
one constants array per curve (rows of 8 limbs, indexed by the ``ROW_*`` names below) and the
tables of multiples of the generator G in affine coordinates.

The curves themselves (domain parameters, GLV constants, affine arithmetic) come from
:mod:`chaincrypto._curve_params`.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from .._curve_params import CURVES, Affine, CurveParams, affine_add, affine_mul
from .bigint import LIMBS, int_limbs

# Rows of the constants array (module-level ints are compile-time constants in kernels).
# Field elements mod p are plain integers (:mod:`.field`); scalars mod n use the Montgomery
# domain (R = 2**256) where a row says so.
ROW_P = 0  # the field prime p
ROW_N = 1  # the group order n
ROW_N_R2 = 2  # R**2 mod n: to_mont(x) = mont_mul(x, R**2)
ROW_N_ONE = 3  # R mod n: 1 in the Montgomery domain
ROW_A = 4  # a
ROW_B = 5  # b
ROW_P_INV_EXP = 6  # p - 2: x**(p-2) = 1/x
ROW_N_INV_EXP = 7  # n - 2
ROW_P_SQRT_EXP = 8  # (p + 1) / 4: a square root, as every p here is 3 mod 4
ROW_ONE = 9  # the integer 1
ROW_N_HALF = 10  # (n - 1) / 2: the largest low-S value
ROW_MISC = 11  # [-n**-1 mod 2**32, a == -3, has an endomorphism, curve code, 0, ...]
# The GLV endomorphism (secp256k1; zero rows elsewhere): lambda (x, y) = (beta x, y), and the
# constants that split a scalar k into k1 + k2 lambda with halves of about 128 bits.
ROW_GLV_BETA = 12  # beta
ROW_GLV_LAMBDA = 13  # lambda * R mod n (a Montgomery factor, for products mod n)
ROW_GLV_G1 = 14  # g1, g2: round(2**384 b / n) of the lattice basis (plain)
ROW_GLV_G2 = 15
ROW_GLV_MB1 = 16  # -b1 * R mod n, -b2 * R mod n (Montgomery factors)
ROW_GLV_MB2 = 17
ROWS = 18
MISC_N_MINV = 0
MISC_A_IS_MINUS_3 = 1
MISC_GLV = 2
MISC_CURVE = 3  # the C backend's curve code: which reduction mod p (:mod:`.field`)

#: The generator's table in verification holds the odd multiples 1G, 3G, ..., (2**(w-1) - 1) G
#: of a width-w NAF (w = G_WNAF_WINDOW); scalarmul reads it with regular windows of w - 1 bits.
G_WNAF_WINDOW = 7
#: Digit width of the constant-time fixed-base comb in signing and key derivation: signed
#: digits of 5 bits (-15..16) in 52 windows, the top one taking the recoding's carry.
COMB_BITS = 5
COMB_WINDOWS = -(-257 // COMB_BITS)
#: Entries per comb window: the multiples 1..2**(COMB_BITS-1) of the window's base.
COMB_ENTRIES = 1 << (COMB_BITS - 1)


_R = 1 << 256


def params(curve: int) -> CurveParams:
    """The parameters of curve ``curve`` (a C backend curve code)."""
    try:
        return CURVES[curve]
    except KeyError:
        raise ValueError(f"curve: unknown curve code {curve!r}") from None


def minv(m: int) -> int:
    """``-m**-1 mod 2**32``, the Montgomery constant of an odd modulus (``bigint.mont_mul``)."""
    return (-pow(m, -1, 1 << 32)) % (1 << 32)


@functools.cache
def constants(curve: int) -> npt.NDArray[np.uint32]:
    """The ``(ROWS, 8)`` constants array of ``curve`` (rows named ``ROW_*``)."""
    c = params(curve)
    if c.a not in (0, c.p - 3) or c.p % 4 != 3:
        raise ValueError(f"curve {c.name}: the kernels need a in (0, -3) and p = 3 mod 4")
    rows = {
        ROW_P: c.p,
        ROW_N: c.n,
        ROW_N_R2: _R * _R % c.n,
        ROW_N_ONE: _R % c.n,
        ROW_A: c.a,
        ROW_B: c.b,
        ROW_P_INV_EXP: c.p - 2,
        ROW_N_INV_EXP: c.n - 2,
        ROW_P_SQRT_EXP: (c.p + 1) // 4,
        ROW_ONE: 1,
        ROW_N_HALF: (c.n - 1) // 2,
        ROW_MISC: minv(c.n) | int(c.a != 0) << 32 | int(bool(c.glv)) << 64 | curve << 96,
    }
    if c.glv is not None:
        g = c.glv
        rows[ROW_GLV_BETA] = g.beta
        rows[ROW_GLV_LAMBDA] = g.lam * _R % c.n
        rows[ROW_GLV_G1], rows[ROW_GLV_G2] = g.g1, g.g2
        rows[ROW_GLV_MB1], rows[ROW_GLV_MB2] = g.minus_b1 * _R % c.n, g.minus_b2 * _R % c.n
    out = np.zeros((ROWS, LIMBS), dtype=np.uint32)
    for row, value in rows.items():
        out[row] = int_limbs(value)
    return out


def _point_limbs(point: Affine) -> npt.NDArray[np.uint32]:
    assert point is not None  # table entries are never infinity (k < n)
    return np.stack([int_limbs(point[0]), int_limbs(point[1])])


@functools.cache
def g_wnaf_table(curve: int) -> npt.NDArray[np.uint32]:
    """``(2**(G_WNAF_WINDOW-2), 2, 8)``: the odd multiples G, 3G, 5G, ... (affine)
    for the generator's digits in verification."""
    c = params(curve)
    g: Affine = (c.gx, c.gy)
    g2 = affine_add(c, g, g)
    entries = [g]
    for _ in range((1 << (G_WNAF_WINDOW - 2)) - 1):
        entries.append(affine_add(c, entries[-1], g2))
    return np.ascontiguousarray(np.stack([_point_limbs(e) for e in entries]))


@functools.cache
def comb_table(curve: int) -> npt.NDArray[np.uint32]:
    """``(COMB_WINDOWS, COMB_ENTRIES, 2, 8)``: entry ``[w, j]`` is
    ``(j + 1) * 2**(COMB_BITS*w) * G`` (affine) for constant-time fixed-base
    multiplication."""
    c = params(curve)
    out = np.zeros((COMB_WINDOWS, COMB_ENTRIES, 2, LIMBS), dtype=np.uint32)
    base: Affine = (c.gx, c.gy)
    for w in range(COMB_WINDOWS):
        acc = base
        for j in range(COMB_ENTRIES):
            out[w, j] = _point_limbs(acc)
            acc = affine_add(c, acc, base)
        base = affine_mul(c, 1 << COMB_BITS, base)
    return out
