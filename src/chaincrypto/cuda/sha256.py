"""SHA-256 compression (FIPS 180-4) as a device function, after csrc/hash/sha256_portable.c."""

from __future__ import annotations

import numpy as np

from .launch import device_function
from .message import working_vars
from .primitives import rotr, u32

IV = np.array(
    [
        0x6A09E667,
        0xBB67AE85,
        0x3C6EF372,
        0xA54FF53A,
        0x510E527F,
        0x9B05688C,
        0x1F83D9AB,
        0x5BE0CD19,
    ],
    dtype=np.uint32,
)
#: Message-schedule words the compression function needs in its ``w`` scratch (a rolling
#: window of 16).
SCHEDULE_WORDS = 16

K = np.array(
    [
        0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4,
        0xAB1C5ED5, 0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE,
        0x9BDC06A7, 0xC19BF174, 0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F,
        0x4A7484AA, 0x5CB0A9DC, 0x76F988DA, 0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7,
        0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967, 0x27B70A85, 0x2E1B2138, 0x4D2C6DFC,
        0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85, 0xA2BFE8A1, 0xA81A664B,
        0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070, 0x19A4C116,
        0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
        0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7,
        0xC67178F2,
    ],
    dtype=np.uint32,
)  # fmt: skip


def _schedule(block: list[int]) -> list[int]:
    """W_0..W_63 of one 16-word block (host side, Python ints)."""

    def rotr_(x: int, n: int) -> int:
        return ((x >> n) | (x << (32 - n))) & 0xFFFFFFFF

    w = list(block)
    for j in range(16, 64):
        x, y = w[j - 15], w[j - 2]
        s0 = rotr_(x, 7) ^ rotr_(x, 18) ^ (x >> 3)
        s1 = rotr_(y, 17) ^ rotr_(y, 19) ^ (y >> 10)
        w.append((w[j - 16] + s0 + w[j - 7] + s1) & 0xFFFFFFFF)
    return w


#: K_j + W_j of the block that ends every 64-byte message (0x80, zeros, bit length 512): the
#: second block of a Merkle parent, constant, so its schedule is computed once, here.
KW_PAD64 = np.array(
    [
        (int(k) + w) & 0xFFFFFFFF
        for k, w in zip(K, _schedule([1 << 31] + [0] * 14 + [512]), strict=True)
    ],
    dtype=np.uint32,
)


@device_function
def _round(a, b, c, d, e, f, g, h, kw):  # type: ignore[no-untyped-def]
    """One round with ``kw`` = K_j + W_j; returns the new (a, ..., h)."""
    s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
    ch = (e & f) ^ (~e & g)
    t1 = u32(h + s1 + u32(ch) + kw)
    s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
    t2 = u32(s0 + ((a & b) ^ (a & c) ^ (b & c)))
    return u32(t1 + t2), a, b, c, u32(d + t1), e, f, g


@device_function
def _finish(state, a, b, c, d, e, f, g, h):  # type: ignore[no-untyped-def]
    """Add the working variables into the chaining state."""
    state[0] = u32(u32(state[0]) + a)
    state[1] = u32(u32(state[1]) + b)
    state[2] = u32(u32(state[2]) + c)
    state[3] = u32(u32(state[3]) + d)
    state[4] = u32(u32(state[4]) + e)
    state[5] = u32(u32(state[5]) + f)
    state[6] = u32(u32(state[6]) + g)
    state[7] = u32(u32(state[7]) + h)


@device_function
def compress(state, w):  # type: ignore[no-untyped-def]
    """Absorb one 64-byte block: ``w[0:16]`` holds its big-endian words (overwritten: the
    schedule rolls through these 16 words), ``state`` the 8 chaining words.

    Rounds run in 4 groups of 16 so that, once the inner loop is unrolled, every index into
    ``w`` is a constant and the schedule lives in registers, not local memory."""
    a, b, c, d, e, f, g, h = working_vars(state)
    for group in range(4):
        for k in range(16):
            if group > 0:  # W_j = W_{j-16} + s0(W_{j-15}) + W_{j-7} + s1(W_{j-2})
                x = u32(w[(k + 1) & 15])
                y = u32(w[(k + 14) & 15])
                s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
                s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
                w[k] = u32(u32(w[k]) + s0 + u32(w[(k + 9) & 15]) + s1)
            kw = u32(u32(K[16 * group + k]) + u32(w[k]))
            a, b, c, d, e, f, g, h = _round(a, b, c, d, e, f, g, h, kw)
    _finish(state, a, b, c, d, e, f, g, h)


@device_function
def compress_pad64(state):  # type: ignore[no-untyped-def]
    """Absorb the padding block of a 64-byte message (:data:`KW_PAD64`): no schedule."""
    a, b, c, d, e, f, g, h = working_vars(state)
    for j in range(64):
        a, b, c, d, e, f, g, h = _round(a, b, c, d, e, f, g, h, u32(KW_PAD64[j]))
    _finish(state, a, b, c, d, e, f, g, h)
