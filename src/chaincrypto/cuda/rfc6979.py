"""RFC 6979 nonces on the device (section 3.2 with the additional data of 3.6, qlen = hlen =
256): HMAC-SM3 for SM2, HMAC-SHA256 for ECDSA, after csrc/ec/rfc6979.c, so that both backends
draw the same nonce for the same key, digest and extra bytes.

:func:`nonce_kernel` writes the *first* candidate of each row, with x = the private key as
given and h1 = e mod n; a candidate outside [1, n - 1] (probability about 2**-32 on SM2 and
P-256) makes the signing kernel refuse the row, and the host signs it again with the C
backend, which draws the next candidates. Messages are packed as big-endian 32-bit words;
every length here depends only on whether extra bytes are given, so no branch or index depends
on a secret.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from numba import cuda, uint32

from .ec_kernels import reduce_n
from .hashing import HASHES, Hash
from .launch import device_function, kernel
from .message import load_state
from .primitives import u32

#: Words of the message buffer: V || sep || x || h1 || extra is at most 129 bytes, which pads to
#: three 64-byte blocks.
MSG_WORDS = 48


@device_function
def pad_message(msg, nbytes, total):  # type: ignore[no-untyped-def]
    """Merkle-Damgard padding in place after the ``nbytes`` message bytes of ``msg``, for a
    hash that has already absorbed ``total - nbytes`` bytes (the HMAC key block); returns the
    number of 64-byte blocks to compress."""
    word = nbytes >> 2
    shift = (3 - (nbytes & 3)) * 8
    keep = u32(0xFFFFFFFF << (shift + 8)) if nbytes & 3 else uint32(0)
    msg[word] = u32((u32(msg[word]) & keep) | (0x80 << shift))
    blocks = (nbytes + 8) // 64 + 1
    for j in range(word + 1, 16 * blocks):
        msg[j] = 0
    bits = total * 8
    msg[16 * blocks - 2] = u32(bits >> 32)
    msg[16 * blocks - 1] = u32(bits)
    return blocks


def _hmac_functions(h: Hash) -> tuple[Any, Any]:
    compress, iv = h.compress, h.iv

    @device_function
    def set_key(st_in, st_out, key, w):  # type: ignore[no-untyped-def]
        """The inner and outer states after the 32-byte ``key`` padded with 0x36 / 0x5c."""
        for j in range(16):
            w[j] = u32((u32(key[j]) if j < 8 else uint32(0)) ^ 0x36363636)
        load_state(st_in, iv)
        compress(st_in, w)
        for j in range(16):
            w[j] = u32((u32(key[j]) if j < 8 else uint32(0)) ^ 0x5C5C5C5C)
        load_state(st_out, iv)
        compress(st_out, w)

    @device_function
    def hmac(out, st_in, st_out, msg, nbytes, w, st):  # type: ignore[no-untyped-def]
        """``out`` = HMAC of the ``nbytes`` message bytes in ``msg`` (padded in place) under
        the key whose states are ``st_in`` / ``st_out``; ``w`` and ``st`` are scratch."""
        for k in range(8):
            st[k] = st_in[k]
        for b in range(pad_message(msg, nbytes, 64 + nbytes)):
            for j in range(16):
                w[j] = msg[16 * b + j]
            compress(st, w)
        for k in range(8):
            w[k] = st[k]
            st[k] = st_out[k]
        w[8] = 0x80000000
        for j in range(9, 15):
            w[j] = 0
        w[15] = (64 + 32) * 8
        compress(st, w)
        for k in range(8):
            out[k] = st[k]

    return set_key, hmac


@device_function
def pack(msg, v, sep, s, swords):  # type: ignore[no-untyped-def]
    """``msg`` = V (8 words) || the byte ``sep`` || the ``swords`` words of ``s``: everything
    after the separator is shifted by one byte. Returns the byte length."""
    for k in range(8):
        msg[k] = v[k]
    prev = u32(sep)  # every value uint32: numba would type a mix of widths as float64
    for k in range(swords):
        x = u32(s[k])
        msg[8 + k] = u32((prev << 24) | (x >> 8))
        prev = u32(x & 0xFF)
    msg[8 + swords] = u32(prev << 24)
    return 33 + 4 * swords


@device_function
def load_be(s, base, limbs, i):  # type: ignore[no-untyped-def]
    """``s[base:base + 8]`` = item ``i`` of the ``(8, n)`` limb array as big-endian words."""
    for j in range(8):
        s[base + j] = limbs[7 - j, i]


@cache
def nonce_kernel(algorithm: str) -> Any:
    """The kernel ``(sk, e, extra, has_extra, rows, K, out)``: the first RFC 6979 candidate of
    each of the first ``rows`` items as ``(8, n)`` limbs (``extra`` is read only when
    ``has_extra``); HMAC-SM3 for "sm3", HMAC-SHA256 for "sha256"."""
    set_key, hmac = _hmac_functions(HASHES[algorithm])

    @kernel
    def nonce(sk, e, extra, has_extra, rows, K, out):  # type: ignore[no-untyped-def]
        i = cuda.grid(1)
        if i >= rows:
            return
        v = cuda.local.array(8, uint32)
        key = cuda.local.array(8, uint32)
        st_in = cuda.local.array(8, uint32)
        st_out = cuda.local.array(8, uint32)
        st = cuda.local.array(8, uint32)
        w = cuda.local.array(16, uint32)
        msg = cuda.local.array(MSG_WORDS, uint32)
        s = cuda.local.array(24, uint32)
        h1 = cuda.local.array(8, uint32)
        t = cuda.local.array(8, uint32)
        for j in range(8):
            h1[j] = e[j, i]
        reduce_n(h1, K, t)
        load_be(s, 0, sk, i)
        for j in range(8):
            s[8 + j] = h1[7 - j]
        swords = 16
        if has_extra:
            load_be(s, 16, extra, i)
            swords = 24
        for j in range(8):
            v[j] = 0x01010101
            key[j] = 0
        set_key(st_in, st_out, key, w)
        hmac(key, st_in, st_out, msg, pack(msg, v, 0x00, s, swords), w, st)  # step d
        set_key(st_in, st_out, key, w)
        for j in range(8):
            msg[j] = v[j]
        hmac(v, st_in, st_out, msg, 32, w, st)  # step e
        hmac(key, st_in, st_out, msg, pack(msg, v, 0x01, s, swords), w, st)  # step f
        set_key(st_in, st_out, key, w)
        for j in range(8):
            msg[j] = v[j]
        hmac(v, st_in, st_out, msg, 32, w, st)  # step g
        for j in range(8):
            msg[j] = v[j]
        hmac(v, st_in, st_out, msg, 32, w, st)  # the first candidate T = V
        for j in range(8):
            out[j, i] = v[7 - j]
        # wipe the thread's copies of the key and the HMAC states
        for j in range(24):
            s[j] = 0
        for j in range(MSG_WORDS):
            msg[j] = 0
        for j in range(8):
            key[j] = 0
            st_in[j] = 0
            st_out[j] = 0
            st[j] = 0
            v[j] = 0
            h1[j] = 0

    return nonce
