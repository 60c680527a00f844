"""Valid signatures built backwards, with Python integers only, whose r and s (and, for ECDSA,
e) are small enough that r + n, s + n and e + n still fit in 256 bits.

A random signature's r and s are uniform mod n, and 2^256 - n is about 2^224 (SM2, P-256) or
2^129 (secp256k1), so r + n < 2^256 almost never happens by chance: tests that want to see
r + n or s + n refused by the range check (a verifier that reduced them mod n would accept
them) need signatures made on purpose. The curve constants are the published ones (GB/T
32918.5, SEC 2), written out again so that nothing here trusts the library's tables, and every
signature is checked by the textbook verification before it is handed out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

Point = tuple[int, int] | None  # None: the point at infinity


@dataclass(frozen=True)
class Curve:
    p: int
    a: int
    b: int
    n: int
    gx: int
    gy: int

    @property
    def g(self) -> Point:
        return (self.gx, self.gy)

    @property
    def small(self) -> int:
        """Values v with v + n < 2^256 are those below this bound."""
        return 2**256 - self.n


CURVES = {
    "sm2": Curve(
        0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF,
        0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC,
        0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93,
        0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
        0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
        0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
    ),
    "secp256k1": Curve(
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F,
        0,
        7,
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
        0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
        0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
    ),
    "p256": Curve(
        0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
        0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC,
        0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
        0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
        0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
        0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
    ),
}


def add(c: Curve, p1: Point, p2: Point) -> Point:
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % c.p == 0:
        return None
    if p1 == p2:
        lam = (3 * x1 * x1 + c.a) * pow(2 * y1, -1, c.p) % c.p
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, c.p) % c.p
    x3 = (lam * lam - x1 - x2) % c.p
    return (x3, (lam * (x1 - x3) - y1) % c.p)


def mul(c: Curve, k: int, pt: Point) -> Point:
    out: Point = None
    for bit in bin(k % c.n)[2:]:
        out = add(c, out, out)
        if bit == "1":
            out = add(c, out, pt)
    return out


def lift_x(c: Curve, x: int) -> Point:
    """A curve point with this x, or None when x^3 + ax + b is not a square mod p."""
    assert c.p % 4 == 3  # all three curves: the square root is one exponentiation
    rhs = (x**3 + c.a * x + c.b) % c.p
    y = pow(rhs, (c.p + 1) // 4, c.p)
    return (x, y) if y * y % c.p == rhs else None


def raw(pt: Point) -> bytes:
    """X || Y, 64 bytes."""
    assert pt is not None
    return pt[0].to_bytes(32, "big") + pt[1].to_bytes(32, "big")


def ecdsa_ok(c: Curve, q: Point, e: int, r: int, s: int) -> bool:
    """SEC 1 section 4.1.4 verification (e already the integer of the digest)."""
    if not (0 < r < c.n and 0 < s < c.n):
        return False
    w = pow(s, -1, c.n)
    pt = add(c, mul(c, e * w, c.g), mul(c, r * w, q))
    return pt is not None and pt[0] % c.n == r


def sm2_ok(c: Curve, q: Point, e: int, r: int, s: int) -> bool:
    """GB/T 32918.2 section 7.1 verification (e = SM3(Z_A || M) as an integer)."""
    t = (r + s) % c.n
    if not (0 < r < c.n and 0 < s < c.n) or t == 0:
        return False
    pt = add(c, mul(c, s, c.g), mul(c, t, q))
    return pt is not None and (e + pt[0]) % c.n == r


@dataclass(frozen=True)
class Signed:
    pub: bytes  # X || Y
    e: int
    r: int
    s: int
    d: int = 0  # SM2 only: the private key and nonce that sign (e, k) into (r, s)
    k: int = 0


def ecdsa_small(curve: str, rng: random.Random, e: int | None = None) -> Signed:
    """A valid ECDSA (Q, e, r, s) with r, s < 2^256 - n, and e too unless given. r is the x of
    a point R (about every other small x is); then Q = r^-1 (s R - e G) makes
    e/s G + r/s Q = R, whatever e is (ECDSA's e does not depend on Q)."""
    c = CURVES[curve]
    e = rng.randrange(1, c.small) if e is None else e
    while True:
        r = rng.randrange(1, c.small)
        big_r = lift_x(c, r)
        if big_r is None:
            continue
        s = rng.randrange(1, c.small)
        q = mul(c, pow(r, -1, c.n), add(c, mul(c, s, big_r), mul(c, -e, c.g)))
        if q is not None:
            break
    assert ecdsa_ok(c, q, e, r, s)
    return Signed(raw(q), e, r, s)


def sm2_small(rng: random.Random) -> Signed:
    """A valid SM2 (P, e, r, s) with r, s < 2^256 - n: for a nonce k, (x1, y1) = kG, e =
    r - x1 mod n gives r; s = (k - r d) / (1 + d) gives s once d = (k - s) / (r + s). SM2's e
    hashes Z_A, which hashes P: so e is free only for prehashed verification."""
    c = CURVES["sm2"]
    while True:
        r, s, k = rng.randrange(1, c.small), rng.randrange(1, c.small), rng.randrange(1, c.n)
        d = (k - s) * pow(r + s, -1, c.n) % c.n
        if 1 <= d <= c.n - 2:  # an SM2 key (1 + d invertible)
            break
    x1 = mul(c, k, c.g)[0]  # type: ignore[index]
    e = (r - x1) % c.n
    q = mul(c, d, c.g)
    assert s == pow(1 + d, -1, c.n) * (k - r * d) % c.n and sm2_ok(c, q, e, r, s)
    return Signed(raw(q), e, r, s, d, k)
