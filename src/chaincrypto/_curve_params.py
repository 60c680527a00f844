"""The curves' domain parameters, and reference affine arithmetic on them with Python integers.

The one source of these numbers for the whole project: the key classes (``_ec_keys``), the CUDA
kernels' constants and tables (:mod:`chaincrypto.cuda.curves`) and the C backend's generated
tables (csrc/ec/gen_tables.py, which loads this file by path: it runs before the package is
built). Standard library only, for that reason.

Sources: GB/T 32918.5-2017 (SM2), SEC 2 v2 (secp256k1), FIPS 186-5 / SP 800-186 (P-256); the
GLV split constants are libsecp256k1's. The tests check every G and the constants against the
C backend and the peers.
"""

from __future__ import annotations

from dataclasses import dataclass


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

Affine = tuple[int, int] | None  # None is the point at infinity


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
    """``k * point`` by double and add (tables and tests only: variable time)."""
    acc: Affine = None
    while k:
        if k & 1:
            acc = affine_add(c, acc, point)
        point = affine_add(c, point, point)
        k >>= 1
    return acc
