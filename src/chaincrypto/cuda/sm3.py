"""SM3 compression (GB/T 32905-2016) as a device function, after csrc/hash/sm3_portable.c."""

from __future__ import annotations

import numpy as np

from .launch import device_function
from .message import working_vars
from .primitives import rotl, u32

IV = np.array(
    [
        0x7380166F,
        0x4914B2B9,
        0x172442D7,
        0xDA8A0600,
        0xA96F30BC,
        0x163138AA,
        0xE38DEE4D,
        0xB0FB0E4E,
    ],
    dtype=np.uint32,
)
#: Message-schedule words the compression function needs in its ``w`` scratch (a rolling
#: window of 16).
SCHEDULE_WORDS = 16

#: T_j rotated left by j mod 32, so that each round saves a rotation.
TJ = np.array(
    [
        ((t << (j % 32)) | (t >> (32 - j % 32))) & 0xFFFFFFFF if j % 32 else t
        for j, t in ((j, 0x79CC4519 if j < 16 else 0x7A879D8A) for j in range(64))
    ],
    dtype=np.uint32,
)


@device_function
def p0(x):  # type: ignore[no-untyped-def]
    return u32(x ^ rotl(x, 9) ^ rotl(x, 17))


@device_function
def p1(x):  # type: ignore[no-untyped-def]
    return u32(x ^ rotl(x, 15) ^ rotl(x, 23))


def _schedule(block: list[int]) -> list[int]:
    """W_0..W_67 of one 16-word block (host side, Python ints)."""

    def rotl_(x: int, n: int) -> int:
        return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF

    def p1_(x: int) -> int:
        return x ^ rotl_(x, 15) ^ rotl_(x, 23)

    w = list(block)
    for j in range(16, 68):
        x = w[j - 16] ^ w[j - 9] ^ rotl_(w[j - 3], 15)
        w.append(p1_(x) ^ rotl_(w[j - 13], 7) ^ w[j - 6])
    return w


_PAD = _schedule([1 << 31] + [0] * 14 + [512])
#: W_j and W'_j = W_j ^ W_{j+4} of the block that ends every 64-byte message (0x80, zeros, bit
#: length 512): the second block of a Merkle parent, constant, so its schedule is computed once.
W_PAD64 = np.array(_PAD[:64], dtype=np.uint32)
W1_PAD64 = np.array([_PAD[j] ^ _PAD[j + 4] for j in range(64)], dtype=np.uint32)


@device_function
def _round(a, b, c, d, e, f, g, h, tj, wj, w1j, first):  # type: ignore[no-untyped-def]
    """One round with T_j (pre-rotated), W_j and W'_j; ``first`` for rounds 0-15 (XOR boolean
    functions); returns the new (a, ..., h)."""
    a12 = rotl(a, 12)
    ss1 = rotl(u32(a12 + e + tj), 7)
    ss2 = u32(ss1 ^ a12)
    if first:
        ff = u32(a ^ b ^ c)
        gg = u32(e ^ f ^ g)
    else:
        ff = u32((a & b) | (a & c) | (b & c))
        gg = u32((e & f) | (~e & g))
    tt1 = u32(ff + d + ss2 + w1j)
    tt2 = u32(gg + h + ss1 + wj)
    return tt1, a, rotl(b, 9), c, p0(tt2), e, rotl(f, 19), g


@device_function
def _finish(state, a, b, c, d, e, f, g, h):  # type: ignore[no-untyped-def]
    """XOR the working variables into the chaining state."""
    state[0] = u32(state[0]) ^ a
    state[1] = u32(state[1]) ^ b
    state[2] = u32(state[2]) ^ c
    state[3] = u32(state[3]) ^ d
    state[4] = u32(state[4]) ^ e
    state[5] = u32(state[5]) ^ f
    state[6] = u32(state[6]) ^ g
    state[7] = u32(state[7]) ^ h


@device_function
def compress(state, w):  # type: ignore[no-untyped-def]
    """Absorb one 64-byte block: ``w[0:16]`` holds its big-endian words (overwritten: the
    schedule rolls through these 16 words), ``state`` the 8 chaining words.

    Rounds run in 4 groups of 16 so that, once the inner loop is unrolled, every index into
    ``w`` is a constant and the schedule lives in registers, not local memory. Round j needs
    W_j and W_{j+4}; the window holds W_{j-12}..W_{j+3}, and W_{j+4} replaces W_{j-12}."""
    a, b, c, d, e, f, g, h = working_vars(state)
    for group in range(4):
        for k in range(16):
            ahead = (k + 4) & 15
            if group > 0 or k >= 12:  # W_{j+4} from W_{j-12}, W_{j-5}, W_{j+1}, W_{j-9}, W_{j-2}
                x = u32(w[ahead]) ^ u32(w[(k + 11) & 15]) ^ rotl(w[(k + 1) & 15], 15)
                w[ahead] = u32(p1(x) ^ rotl(w[(k + 7) & 15], 7) ^ u32(w[(k + 14) & 15]))
            wj = u32(w[k])
            tj = u32(TJ[16 * group + k])
            a, b, c, d, e, f, g, h = _round(
                a, b, c, d, e, f, g, h, tj, wj, u32(wj ^ u32(w[ahead])), group == 0
            )
    _finish(state, a, b, c, d, e, f, g, h)


@device_function
def compress_pad64(state):  # type: ignore[no-untyped-def]
    """Absorb the padding block of a 64-byte message (:data:`W_PAD64`): no schedule."""
    a, b, c, d, e, f, g, h = working_vars(state)
    for j in range(64):
        wj, w1j = u32(W_PAD64[j]), u32(W1_PAD64[j])
        a, b, c, d, e, f, g, h = _round(a, b, c, d, e, f, g, h, u32(TJ[j]), wj, w1j, j < 16)
    _finish(state, a, b, c, d, e, f, g, h)
