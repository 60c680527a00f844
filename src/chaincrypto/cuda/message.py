"""Merkle-Damgard padding and big-endian block loading, shared by SM3 and SHA-256 (both pad a
message of L bytes with 0x80, zeros, and the 64-bit big-endian bit length L*8 to a multiple of
64 bytes).

A message here is an optional one-byte ``prefix`` (``plen`` = 0 or 1; RFC 6962 leaf and node
hashes) followed by ``length`` bytes of a data buffer from ``start`` on.
"""

from __future__ import annotations

from .launch import device_function
from .primitives import bswap, u32


def block_count(total: int) -> int:
    """64-byte blocks in the padded form of a ``total``-byte message (host twin of
    :func:`n_blocks`)."""
    return (total + 8) // 64 + 1


@device_function
def n_blocks(total):  # type: ignore[no-untyped-def]
    """64-byte blocks in the padded form of a ``total``-byte message."""
    return (total + 8) // 64 + 1


@device_function
def set_length(w, total):  # type: ignore[no-untyped-def]
    """Write the bit length of a ``total``-byte message into the last two words of the final
    block ``w[0:16]``."""
    bits = total * 8
    w[14] = u32(bits >> 32)
    w[15] = u32(bits)


@device_function
def pad_words(w, first, total):  # type: ignore[no-untyped-def]
    """Final block of a message whose data ends on the word boundary ``w[first]``
    (``first`` <= 13): 0x80 terminator, zeros, bit length of ``total`` bytes."""
    w[first] = 0x80000000
    for j in range(first + 1, 14):
        w[j] = 0
    set_length(w, total)


@device_function
def message_byte(data, start, total, prefix, plen, q):  # type: ignore[no-untyped-def]
    """Byte ``q`` of the padded message, except the length field (0 there)."""
    if q < plen:
        return u32(prefix)
    if q < total:
        return u32(data[start + q - plen])
    if q == total:
        return 0x80
    return 0


@device_function
def load_block(w, data, start, length, prefix, plen, b):  # type: ignore[no-untyped-def]
    """Fill ``w[0:16]`` with block ``b`` of the padded message (``prefix`` byte if ``plen``,
    then ``data[start:start + length]``) as big-endian words, one byte load at a time."""
    total = length + plen
    base = 64 * b
    for j in range(16):
        q = base + 4 * j
        if q >= plen and q + 4 <= total:
            p = start + q - plen
            w[j] = u32(
                (u32(data[p]) << 24)
                | (u32(data[p + 1]) << 16)
                | (u32(data[p + 2]) << 8)
                | u32(data[p + 3])
            )
        else:
            v = message_byte(data, start, total, prefix, plen, q) << 24
            v |= message_byte(data, start, total, prefix, plen, q + 1) << 16
            v |= message_byte(data, start, total, prefix, plen, q + 2) << 8
            v |= message_byte(data, start, total, prefix, plen, q + 3)
            w[j] = u32(v)
    if b == n_blocks(total) - 1:
        set_length(w, total)


@device_function
def load_block_words(w, words, row, nwords, b):  # type: ignore[no-untyped-def]
    """Fill ``w[0:16]`` with block ``b`` of the padded message ``words[row, 0:nwords]`` (native
    uint32 words whose memory bytes are the message: a multiple-of-4-byte message)."""
    total = 4 * nwords
    base = 16 * b
    for j in range(16):
        k = base + j
        if k < nwords:
            w[j] = bswap(words[row, k])
        elif k == nwords:
            w[j] = 0x80000000
        else:
            w[j] = 0
    if b == n_blocks(total) - 1:
        set_length(w, total)


@device_function
def load_state(state, iv):  # type: ignore[no-untyped-def]
    """Copy the 8 initial chaining words ``iv`` into ``state``."""
    for k in range(8):
        state[k] = iv[k]


@device_function
def working_vars(state):  # type: ignore[no-untyped-def]
    """The 8 chaining words as the compression's working variables (a, ..., h)."""
    return (
        u32(state[0]),
        u32(state[1]),
        u32(state[2]),
        u32(state[3]),
        u32(state[4]),
        u32(state[5]),
        u32(state[6]),
        u32(state[7]),
    )


@device_function
def store_digest(out, row, state):  # type: ignore[no-untyped-def]
    """Write the chaining words as a digest row of ``out`` (memory bytes = digest bytes)."""
    for k in range(8):
        out[row, k] = bswap(state[k])
