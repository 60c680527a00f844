"""256-bit integers as 8 little-endian ``uint32`` limbs: additions, the 512-bit product, and
Montgomery products (R = 2**256) for the group orders; the field primes have their own
reduction (:mod:`.field`).

Every helper here is :func:`~.launch.jitable`: the same source runs in kernels, in CPU
``numba.njit`` code (the tests check it against Python integers over thousands of random
inputs) and, as plain Python, under the CUDA simulator. Intermediates are ``uint64`` and never
exceed 2**64 - 1 (a*b + c + d with 32-bit a, b, c, d), and subtraction adds 2**32 first, so no
step wraps and the three runs agree bit for bit.

Arrays are caller-owned (kernels allocate ``cuda.local.array``s): a result ``r`` may alias an
operand unless the function says otherwise, and ``t`` is scratch of at least 8 limbs that must
not alias anything else. Nothing branches on operand values except where a function says
"variable time" (public data only).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import uint32, uint64

from .launch import jitable

LIMBS = 8
#: Limbs of a 512-bit product (a module constant: local array shapes must be literal).
WIDE = 2 * LIMBS
_M32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_B32 = np.uint64(1 << 32)
_ONE = np.uint64(1)
_ZERO = np.uint64(0)


@jitable
def mac(a, b, c, d):  # type: ignore[no-untyped-def]
    """``a*b + c + d`` of 32-bit values as ``(low word, high word)``."""
    t = uint64(a) * uint64(b) + uint64(c) + uint64(d)
    return uint32(t & _M32), uint32(t >> _S32)


@functools.cache
def _r_inverse(m: int) -> int:
    return pow(1 << 256, -1, m)


def store_int(r, x, limbs=LIMBS):  # type: ignore[no-untyped-def]
    """``r[0:limbs] =`` the low ``limbs`` words of the Python integer ``x`` (the twins' way
    of writing a result)."""
    for i in range(limbs):
        r[i] = (x >> (32 * i)) & 0xFFFFFFFF


def add_twin(r, a, b):  # type: ignore[no-untyped-def]
    """:func:`add` with Python integers (its simulator twin)."""
    x = limbs_int(a) + limbs_int(b)
    store_int(r, x)
    return x >> 256


def sub_twin(r, a, b):  # type: ignore[no-untyped-def]
    """:func:`sub` with Python integers (its simulator twin)."""
    x = limbs_int(a) - limbs_int(b)
    store_int(r, x)
    return int(x < 0)


def select_twin(r, a, flag):  # type: ignore[no-untyped-def]
    """:func:`select` with Python integers (its simulator twin)."""
    if flag:
        store_int(r, limbs_int(a))


@jitable(twin=add_twin)
def add(r, a, b):  # type: ignore[no-untyped-def]
    """``r = a + b mod 2**256``; returns the carry out (0 or 1)."""
    c = _ZERO
    for i in range(LIMBS):
        t = uint64(a[i]) + uint64(b[i]) + c
        r[i] = uint32(t & _M32)
        c = t >> _S32
    return c


@jitable(twin=sub_twin)
def sub(r, a, b):  # type: ignore[no-untyped-def]
    """``r = a - b mod 2**256``; returns the borrow out (0 or 1)."""
    borrow = _ZERO
    for i in range(LIMBS):
        t = uint64(a[i]) + _B32 - uint64(b[i]) - borrow
        r[i] = uint32(t & _M32)
        borrow = _ONE - (t >> _S32)
    return borrow


@jitable(twin=select_twin)
def select(r, a, flag):  # type: ignore[no-untyped-def]
    """``r = a`` if ``flag`` (0 or 1) else ``r`` unchanged, without a branch."""
    mask = _M32 * uint64(flag)
    keep = mask ^ _M32
    for i in range(LIMBS):
        r[i] = uint32((uint64(a[i]) & mask) | (uint64(r[i]) & keep))


@jitable
def scale(r, flag):  # type: ignore[no-untyped-def]
    """``r = r * flag`` for ``flag`` 0 or 1 (keep or wipe), without a branch."""
    f = uint64(flag)
    for i in range(LIMBS):
        r[i] = uint32(uint64(r[i]) * f)


@jitable
def copy(r, a):  # type: ignore[no-untyped-def]
    """``r = a``."""
    for i in range(LIMBS):
        r[i] = a[i]


@jitable
def set_word(r, w):  # type: ignore[no-untyped-def]
    """``r = w`` for a 32-bit ``w``."""
    r[0] = uint32(w)
    for i in range(1, LIMBS):
        r[i] = uint32(0)


@jitable
def is_zero(a):  # type: ignore[no-untyped-def]
    """1 if ``a == 0`` else 0, without a branch."""
    acc = _ZERO
    for i in range(LIMBS):
        acc |= uint64(a[i])
    return uint64(acc == _ZERO)


@jitable
def equal(a, b):  # type: ignore[no-untyped-def]
    """1 if ``a == b`` else 0, without a branch."""
    acc = _ZERO
    for i in range(LIMBS):
        acc |= uint64(a[i]) ^ uint64(b[i])
    return uint64(acc == _ZERO)


@jitable
def less(a, b, t):  # type: ignore[no-untyped-def]
    """1 if ``a < b`` else 0 (``t``: scratch)."""
    return sub(t, a, b)


@jitable
def bit(a, i):  # type: ignore[no-untyped-def]
    """Bit ``i`` (0 = least significant) of ``a``."""
    return (uint64(a[i >> 5]) >> uint64(i & 31)) & _ONE


@jitable
def bits(a, pos, count):  # type: ignore[no-untyped-def]
    """``count`` (<= 31) bits of ``a`` from bit ``pos`` on; bits past 255 read as 0."""
    limb = pos >> 5
    lo = uint64(a[limb]) if limb < LIMBS else _ZERO
    hi = uint64(a[limb + 1]) if limb + 1 < LIMBS else _ZERO
    word = (lo | (hi << _S32)) >> uint64(pos & 31)
    return word & ((_ONE << uint64(count)) - _ONE)


@jitable
def mod_add(r, a, b, m, t):  # type: ignore[no-untyped-def]
    """``r = a + b mod m`` for ``a, b < m``; ``r`` must not alias ``t``."""
    carry = add(r, a, b)
    borrow = sub(t, r, m)
    select(r, t, carry | (_ONE - borrow))


@jitable
def mod_sub(r, a, b, m, t):  # type: ignore[no-untyped-def]
    """``r = a - b mod m`` for ``a, b < m``; ``r`` must not alias ``t``."""
    borrow = sub(r, a, b)
    add(t, r, m)
    select(r, t, borrow)


@jitable
def mod_neg(r, a, m, t):  # type: ignore[no-untyped-def]
    """``r = -a mod m`` for ``a < m`` (0 stays 0); ``r`` must not alias ``t``."""
    sub(t, m, a)
    keep = _ONE - is_zero(a)
    copy(r, t)
    scale(r, keep)


def mont_mul_twin(r, a, b, m, minv, t):  # type: ignore[no-untyped-def]
    """:func:`mont_mul` with Python integers (its simulator twin; ``t`` is left alone)."""
    mod = limbs_int(m)
    store_int(r, limbs_int(a) * limbs_int(b) * _r_inverse(mod) % mod)


@jitable(twin=mont_mul_twin)
def mont_mul(r, a, b, m, minv, t):  # type: ignore[no-untyped-def]
    """``r = a * b / 2**256 mod m`` for ``a, b < m`` (Montgomery product, CIOS; ``minv`` is
    ``-m**-1 mod 2**32``). ``r`` may alias ``a`` or ``b``; ``t`` is scratch."""
    for j in range(LIMBS):
        t[j] = uint32(0)
    top = _ZERO
    for i in range(LIMBS):
        bi = b[i]
        c = uint32(0)
        for j in range(LIMBS):
            t[j], c = mac(a[j], bi, t[j], c)
        s = top + uint64(c)
        top = s & _M32
        over = s >> _S32
        q = uint32((uint64(t[0]) * uint64(minv)) & _M32)
        _, c = mac(q, m[0], t[0], 0)
        for j in range(1, LIMBS):
            t[j - 1], c = mac(q, m[j], t[j], c)
        s = top + uint64(c)
        t[LIMBS - 1] = uint32(s & _M32)
        top = over + (s >> _S32)
    # t + top * 2**256 < 2m: subtract m once when it fits
    borrow = sub(r, t, m)
    select(r, t, borrow & (_ONE - top))


def mul_wide_twin(T, a, b):  # type: ignore[no-untyped-def]
    """:func:`mul_wide` with Python integers (its simulator twin)."""
    store_int(T, limbs_int(a) * limbs_int(b), WIDE)


@jitable(twin=mul_wide_twin)
def mul_wide(T, a, b):  # type: ignore[no-untyped-def]
    """``T = a * b``, the whole 512-bit product in 16 limbs (``T`` aliases neither operand)."""
    for k in range(LIMBS):
        T[k] = uint32(0)
    for i in range(LIMBS):
        c = uint32(0)
        for j in range(LIMBS):
            T[i + j], c = mac(a[i], b[j], T[i + j], c)
        T[i + LIMBS] = c


def sqr_wide_twin(T, a):  # type: ignore[no-untyped-def]
    """:func:`sqr_wide` with Python integers (its simulator twin)."""
    mul_wide_twin(T, a, a)


@jitable(twin=sqr_wide_twin)
def sqr_wide(T, a):  # type: ignore[no-untyped-def]
    """``T = a * a`` in 16 limbs, with 36 multiply-adds where :func:`mul_wide` takes 64: the
    28 cross products once, doubled by a shift, then the 8 squares (``T`` does not alias
    ``a``)."""
    for k in range(2 * LIMBS):
        T[k] = uint32(0)
    for i in range(LIMBS - 1):
        c = uint32(0)
        for j in range(i + 1, LIMBS):
            T[i + j], c = mac(a[i], a[j], T[i + j], c)
        T[i + LIMBS] = c
    c = _ZERO
    for k in range(2 * LIMBS):  # the cross sum is below 2**511: doubling it cannot overflow
        s = (uint64(T[k]) << _ONE) | c
        T[k] = uint32(s & _M32)
        c = s >> _S32
    c = uint32(0)
    for i in range(LIMBS):
        T[2 * i], c = mac(a[i], a[i], T[2 * i], c)
        s = uint64(T[2 * i + 1]) + uint64(c)
        T[2 * i + 1] = uint32(s & _M32)
        c = uint32(s >> _S32)


@jitable
def mont_reduce(r, T, m, minv):  # type: ignore[no-untyped-def]
    """``r = T / 2**256 mod m`` for a 512-bit ``T < m * 2**256`` (16 limbs, used as scratch):
    Montgomery's reduction, one word of ``T`` cleared per row."""
    top = _ZERO
    for i in range(LIMBS):
        q = uint32((uint64(T[i]) * uint64(minv)) & _M32)
        c = uint32(0)
        for j in range(LIMBS):
            T[i + j], c = mac(q, m[j], T[i + j], c)
        s = uint64(T[i + LIMBS]) + uint64(c) + top
        T[i + LIMBS] = uint32(s & _M32)
        top = s >> _S32
    # T[8:16] + top * 2**256 < 2m: subtract m once when it fits
    borrow = sub(r, T[LIMBS:], m)
    select(r, T[LIMBS:], borrow & (_ONE - top))


def mont_sqr_twin(r, a, m, minv):  # type: ignore[no-untyped-def]
    """:func:`mont_sqr` with Python integers (its simulator twin)."""
    mont_mul_twin(r, a, a, m, minv, None)


def _mont_sqr_device() -> Any:
    from numba import cuda

    def mont_sqr(r, a, m, minv):  # type: ignore[no-untyped-def]
        T = cuda.local.array(WIDE, uint32)
        sqr_wide(T, a)
        mont_reduce(r, T, m, minv)

    return mont_sqr


@jitable(twin=mont_sqr_twin, device=_mont_sqr_device)
def mont_sqr(r, a, m, minv):  # type: ignore[no-untyped-def]
    """``r = a * a / 2**256 mod m``: :func:`sqr_wide` then :func:`mont_reduce`, 28 fewer
    multiply-adds than :func:`mont_mul` (the 512-bit scratch is thread-local: a
    ``cuda.local.array`` in kernels, ``np.empty`` here). ``r`` may alias ``a``."""
    T = np.empty(WIDE, np.uint32)
    sqr_wide(T, a)
    mont_reduce(r, T, m, minv)


def mul_shift_384_twin(r, a, b, T):  # type: ignore[no-untyped-def]
    """:func:`mul_shift_384` with Python integers (its simulator twin; ``T`` is left alone)."""
    store_int(r, (limbs_int(a) * limbs_int(b) + (1 << 383)) >> 384)


@jitable(twin=mul_shift_384_twin)
def mul_shift_384(r, a, b, T):  # type: ignore[no-untyped-def]
    """``r = round(a * b / 2**384)`` (halves round up) for any 256-bit ``a`` and ``b``; ``T``
    (2 x 8) holds the 512-bit product. ``r`` must not alias ``a`` or ``b``."""
    for i in range(2 * LIMBS):
        T[i >> 3, i & 7] = uint32(0)
    for i in range(LIMBS):
        c = uint32(0)
        for j in range(LIMBS):
            k = i + j
            T[k >> 3, k & 7], c = mac(a[i], b[j], T[k >> 3, k & 7], c)
        T[1, i] = c
    carry = uint64(T[1, 3]) >> uint64(31)  # bit 383
    for i in range(LIMBS):
        s = (uint64(T[1, i + 4]) if i < 4 else _ZERO) + carry
        r[i] = uint32(s & _M32)
        carry = s >> _S32


# ---------------------------------------------------------------------------------------------
# Host side: numpy conversions between big-endian bytes, Python ints and limb arrays.


def int_limbs(x: int) -> npt.NDArray[np.uint32]:
    """The 8 limbs of ``0 <= x < 2**256``."""
    return np.array([(x >> (32 * i)) & 0xFFFFFFFF for i in range(LIMBS)], dtype=np.uint32)


def limbs_int(limbs: npt.ArrayLike) -> int:
    """The integer whose limbs are ``limbs``."""
    return sum(int(w) << (32 * i) for i, w in enumerate(np.asarray(limbs).tolist()))


def limbs_from_be(rows: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint32]:
    """``(n, 32)`` big-endian integers as ``(8, n)`` limbs: limb ``j`` of item ``i`` at
    ``[j, i]``, so that neighbouring threads read neighbouring words."""
    words = np.ascontiguousarray(rows, dtype=np.uint8).reshape(-1, 32).view(">u4")
    return np.ascontiguousarray(words[:, ::-1].T, dtype=np.uint32)


def be_from_limbs(limbs: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint8]:
    """Inverse of :func:`limbs_from_be`: ``(8, n)`` limbs as ``(n, 32)`` big-endian bytes."""
    words = np.ascontiguousarray(np.asarray(limbs).T[:, ::-1]).astype(">u4")
    return words.view(np.uint8).reshape(-1, 32)
