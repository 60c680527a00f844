"""Curve parameters for the elliptic-curve kernels, computed on the host with Python integers:
one constants array per curve (rows of 8 limbs, indexed by the ``ROW_*`` names below) and the
tables of multiples of the generator G in affine Montgomery form.

Sources: GB/T 32918.5-2017 (SM2), SEC 2 v2 (secp256k1), FIPS 186-5 / SP 800-186 (P-256).
The tests check every G against the C backend and the peers.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .bigint import LIMBS, int_limbs

# Rows of the constants array (module-level ints are compile-time constants in kernels).
ROW_P = 0  # the field prime p
ROW_N = 1  # the group order n
ROW_P_R2 = 2  # R**2 mod p (R = 2**256): to_mont(x) = mont_mul(x, R**2)
ROW_N_R2 = 3  # R**2 mod n
ROW_P_ONE = 4  # R mod p: 1 in the Montgomery domain
ROW_N_ONE = 5  # R mod n
ROW_A = 6  # a (Montgomery, mod p)
ROW_B = 7  # b (Montgomery, mod p)
ROW_P_INV_EXP = 8  # p - 2: x**(p-2) = 1/x
ROW_N_INV_EXP = 9  # n - 2
ROW_P_SQRT_EXP = 10  # (p + 1) / 4: a square root, as every p here is 3 mod 4
ROW_ONE = 11  # the integer 1 (from_mont(x) = mont_mul(x, 1))
ROW_N_HALF = 12  # (n - 1) / 2: the largest low-S value
ROW_MISC = 13  # [-p**-1 mod 2**32, -n**-1 mod 2**32, a == -3, has an endomorphism, 0, ...]
# The GLV endomorphism (secp256k1; zero rows elsewhere): lambda (x, y) = (beta x, y), and the
# constants that split a scalar k into k1 + k2 lambda with halves of about 128 bits.
ROW_GLV_BETA = 14  # beta (Montgomery, mod p)
ROW_GLV_LAMBDA = 15  # lambda * R mod n (a Montgomery factor, for products mod n)
ROW_GLV_G1 = 16  # g1, g2: round(2**384 b / n) of the lattice basis (plain)
ROW_GLV_G2 = 17
ROW_GLV_MB1 = 18  # -b1 * R mod n, -b2 * R mod n (Montgomery factors)
ROW_GLV_MB2 = 19
ROWS = 20
MISC_P_MINV = 0
MISC_N_MINV = 1
MISC_A_IS_MINUS_3 = 2
MISC_GLV = 3

#: wNAF window of the generator's table in verification (odd multiples 1G, 3G, ..., 63G).
G_WNAF_WINDOW = 7
#: Digit width of the constant-time fixed-base comb in signing and key derivation: signed
#: digits of 5 bits (-15..16) in 52 windows, the top one taking the recoding's carry.
COMB_BITS = 5
COMB_WINDOWS = -(-257 // COMB_BITS)
#: Entries per comb window: the multiples 1..2**(COMB_BITS-1) of the window's base.
COMB_ENTRIES = 1 << (COMB_BITS - 1)


@dataclass(frozen=True)
class Glv:
    """An efficiently computable endomorphism lambda (x, y) = (beta x, y) and the split
    constants of libsecp256k1's ``scalar_split_lambda``: ``c1 = round(k g1 / 2**384)``,
    ``c2 = round(k g2 / 2**384)``, ``k2 = c1 (-b1) + c2 (-b2)``, ``k1 = k - k2 lambda`` (mod n),
    with ``|k1|, |k2| < 2**128``."""

    beta: int
    lam: int
    g1: int
    g2: int
    minus_b1: int
    minus_b2: int


@dataclass(frozen=True)
class CurveParams:
    """Short Weierstrass curve y**2 = x**3 + a*x + b over GF(p) with generator G of order n
    (and, where it has one, the GLV endomorphism)."""

    name: str
    p: int
    a: int
    b: int
    n: int
    gx: int
    gy: int
    glv: Glv | None = None


_SM2_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
_P256_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF

#: By the C backend's curve code (CC_CURVE_SM2 = 0, CC_CURVE_SECP256K1 = 1, CC_CURVE_P256 = 2).
CURVES: dict[int, CurveParams] = {
    0: CurveParams(
        "sm2",
        _SM2_P,
        _SM2_P - 3,
        0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93,
        0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
        0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
        0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
    ),
    1: CurveParams(
        "secp256k1",
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F,
        0,
        7,
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
        0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
        0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
        Glv(
            beta=0x7AE96A2B657C07106E64479EAC3434E99CF0497512F58995C1396C28719501EE,
            lam=0x5363AD4CC05C30E0A5261C028812645A122E22EA20816678DF02967C1B23BD72,
            g1=0x3086D221A7D46BCDE86C90E49284EB153DAA8A1471E8CA7FE893209A45DBB031,
            g2=0xE4437ED6010E88286F547FA90ABFE4C4221208AC9DF506C61571B4AE8AC47F71,
            minus_b1=0xE4437ED6010E88286F547FA90ABFE4C3,
            minus_b2=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE8A280AC50774346DD765CDA83DB1562C,
        ),
    ),
    2: CurveParams(
        "p256",
        _P256_P,
        _P256_P - 3,
        0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
        0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
        0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
        0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
    ),
}

_R = 1 << 256
Affine = tuple[int, int] | None  # None is the point at infinity


def params(curve: int) -> CurveParams:
    """The parameters of curve ``curve`` (a C backend curve code)."""
    try:
        return CURVES[curve]
    except KeyError:
        raise ValueError(f"curve: unknown curve code {curve!r}") from None


def _minv(m: int) -> int:
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
        ROW_P_R2: _R * _R % c.p,
        ROW_N_R2: _R * _R % c.n,
        ROW_P_ONE: _R % c.p,
        ROW_N_ONE: _R % c.n,
        ROW_A: c.a * _R % c.p,
        ROW_B: c.b * _R % c.p,
        ROW_P_INV_EXP: c.p - 2,
        ROW_N_INV_EXP: c.n - 2,
        ROW_P_SQRT_EXP: (c.p + 1) // 4,
        ROW_ONE: 1,
        ROW_N_HALF: (c.n - 1) // 2,
        ROW_MISC: _minv(c.p) | _minv(c.n) << 32 | int(c.a != 0) << 64 | int(bool(c.glv)) << 96,
    }
    if c.glv is not None:
        g = c.glv
        rows[ROW_GLV_BETA] = g.beta * _R % c.p
        rows[ROW_GLV_LAMBDA] = g.lam * _R % c.n
        rows[ROW_GLV_G1], rows[ROW_GLV_G2] = g.g1, g.g2
        rows[ROW_GLV_MB1], rows[ROW_GLV_MB2] = g.minus_b1 * _R % c.n, g.minus_b2 * _R % c.n
    out = np.zeros((ROWS, LIMBS), dtype=np.uint32)
    for row, value in rows.items():
        out[row] = int_limbs(value)
    return out


# ---------------------------------------------------------------------------------------------
# Affine arithmetic with Python integers, for the tables (a few hundred operations per curve).


def affine_add(c: CurveParams, p1: Affine, p2: Affine) -> Affine:
    """``p1 + p2`` in affine coordinates (None is infinity)."""
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2:
        if (y1 + y2) % c.p == 0:
            return None
        lam = (3 * x1 * x1 + c.a) * pow(2 * y1, -1, c.p) % c.p
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, c.p) % c.p
    x3 = (lam * lam - x1 - x2) % c.p
    return x3, (lam * (x1 - x3) - y1) % c.p


def affine_mul(c: CurveParams, k: int, point: Affine) -> Affine:
    """``k * point`` by double and add (host tables and tests only: variable time)."""
    acc: Affine = None
    while k:
        if k & 1:
            acc = affine_add(c, acc, point)
        point = affine_add(c, point, point)
        k >>= 1
    return acc


def _mont_point(c: CurveParams, point: Affine) -> npt.NDArray[np.uint32]:
    assert point is not None  # table entries are never infinity (k < n)
    return np.stack([int_limbs(point[0] * _R % c.p), int_limbs(point[1] * _R % c.p)])


@functools.cache
def g_wnaf_table(curve: int) -> npt.NDArray[np.uint32]:
    """``(2**(G_WNAF_WINDOW-2), 2, 8)``: the odd multiples G, 3G, 5G, ... (affine Montgomery)
    for the generator's digits in verification."""
    c = params(curve)
    g: Affine = (c.gx, c.gy)
    g2 = affine_add(c, g, g)
    entries = [g]
    for _ in range((1 << (G_WNAF_WINDOW - 2)) - 1):
        entries.append(affine_add(c, entries[-1], g2))
    return np.ascontiguousarray(np.stack([_mont_point(c, e) for e in entries]))


@functools.cache
def comb_table(curve: int) -> npt.NDArray[np.uint32]:
    """``(COMB_WINDOWS, COMB_ENTRIES, 2, 8)``: entry ``[w, j]`` is
    ``(j + 1) * 2**(COMB_BITS*w) * G`` (affine Montgomery) for constant-time fixed-base
    multiplication."""
    c = params(curve)
    out = np.zeros((COMB_WINDOWS, COMB_ENTRIES, 2, LIMBS), dtype=np.uint32)
    base: Affine = (c.gx, c.gy)
    for w in range(COMB_WINDOWS):
        acc = base
        for j in range(COMB_ENTRIES):
            out[w, j] = _mont_point(c, acc)
            acc = affine_add(c, acc, base)
        base = affine_mul(c, 1 << COMB_BITS, base)
    return out
