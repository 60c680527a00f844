"""Batched SM3 / SHA-256 kernels: one thread per message, padding done in the kernel.

Two layouts, each a kernel per algorithm built from one template (:func:`_kernels`):

* ``bytes`` -- a flat uint8 buffer; message ``i`` is ``data[offsets[i]:offsets[i + 1]]``, or
  ``data[i * width:(i + 1) * width]`` when ``width >= 0`` (then ``offsets`` is not read). An
  optional one-byte prefix is hashed before each message (RFC 6962 leaf hashes).
* ``words`` -- equal-length messages of a multiple of 4 bytes as an ``(n, k/4)`` uint32 array
  (the host's uint8 rows reinterpreted, no copy): one 32-bit load per message word.

Outputs are ``(n, 8)`` uint32 device arrays in the device node format (memory bytes = digest).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import cuda, uint32

from .._inputs import Items, as_items
from . import sha256, sm3, streaming
from .known_answer import checked
from .launch import device_empty, digests, kernel, launch, to_device, words_view
from .message import load_block, load_block_words, load_state, n_blocks, store_digest
from .primitives import i64


@dataclass(frozen=True)
class Hash:
    """One hash function for the kernels: its compression device function, the compression of
    the constant padding block of a 64-byte message (``compress_pad64(state)``), IV and the
    size of the message-schedule scratch the compression needs."""

    name: str
    compress: Callable[..., None]
    compress_pad64: Callable[..., None]
    iv: npt.NDArray[np.uint32]
    schedule_words: int


HASHES = {
    "sm3": Hash("sm3", sm3.compress, sm3.compress_pad64, sm3.IV, sm3.SCHEDULE_WORDS),
    "sha256": Hash(
        "sha256", sha256.compress, sha256.compress_pad64, sha256.IV, sha256.SCHEDULE_WORDS
    ),
}


@dataclass(frozen=True)
class Kernels:
    """The batch kernels of one hash function."""

    bytes: Any
    words: Any


@cache
def kernels(algorithm: str) -> Kernels:
    """The (lazily compiled) batch kernels for ``algorithm``."""
    return _kernels(HASHES[algorithm])


def _kernels(h: Hash) -> Kernels:
    compress, compress_pad64, iv, wlen = h.compress, h.compress_pad64, h.iv, h.schedule_words

    @kernel
    def hash_bytes(data, offsets, width, prefix, plen, out):  # type: ignore[no-untyped-def]
        i = cuda.grid(1)
        if i >= out.shape[0]:
            return
        if width >= 0:
            start = i64(i) * i64(width)
            length = i64(width)
        else:
            start = i64(offsets[i])
            length = i64(offsets[i + 1]) - start
        state = cuda.local.array(8, uint32)
        w = cuda.local.array(wlen, uint32)
        load_state(state, iv)
        for b in range(n_blocks(length + plen)):
            load_block(w, data, start, length, prefix, plen, b)
            compress(state, w)
        store_digest(out, i, state)

    @kernel
    def hash_words(words, out):  # type: ignore[no-untyped-def]
        i = cuda.grid(1)
        if i >= out.shape[0]:
            return
        nwords = words.shape[1]
        state = cuda.local.array(8, uint32)
        w = cuda.local.array(wlen, uint32)
        load_state(state, iv)
        if nwords == 16:  # 64-byte messages: one block, then the constant padding block
            load_block_words(w, words, i, nwords, 0)
            compress(state, w)
            compress_pad64(state)
        else:
            for b in range(n_blocks(4 * nwords)):
                load_block_words(w, words, i, nwords, b)
                compress(state, w)
        store_digest(out, i, state)

    return Kernels(hash_bytes, hash_words)


_EMPTY = np.zeros(1, dtype=np.uint8)
_NO_OFFSETS = np.zeros(1, dtype=np.uint64)


def hash_words_device(
    algorithm: str, d_words: Any, d_out: Any | None = None, stream: Any = 0
) -> Any:
    """Digest the rows of a device ``(n, k)`` uint32 array (each row ``4k`` message bytes in
    memory order) into ``d_out`` (``(n, 8)`` uint32, allocated if None); returns ``d_out``."""
    n = d_words.shape[0]
    if d_out is None:
        d_out = device_empty((n, 8), np.uint32, stream)
    launch(kernels(algorithm).words, n, d_words, d_out, stream=stream)
    return d_out


def _layout(
    items: Items | npt.NDArray[np.uint8], prefix: int | None
) -> tuple[int, int | None, npt.NDArray[np.uint8], Any, npt.NDArray[np.uint32] | None]:
    """``(n, width, data, offsets, words)``: ``words`` is the ``(n, k)`` uint32 view of
    equal-length messages of a multiple of 4 bytes without a prefix (the words kernel's
    input), else None."""
    if isinstance(items, np.ndarray):
        n, width = items.shape
        data, offsets = items.reshape(-1), None
    else:
        n, width = items.n, items.width
        data, offsets = items.data, items.offsets
        if width is not None:
            data = data[: n * width]
    words = words_view(data) if n and width and width % 4 == 0 and prefix is None else None
    return n, width, data, offsets, None if words is None else words.reshape(n, -1)


def hash_items_device(
    algorithm: str,
    items: Items | npt.NDArray[np.uint8],
    *,
    prefix: int | None = None,
    stream: Any = 0,
) -> Any:
    """Digest host messages (``Items`` or a C-contiguous ``(n, k)`` uint8 array) on the device,
    each preceded by the byte ``prefix`` if given; returns the ``(n, 8)`` uint32 device array."""
    n, width, data, offsets, words = _layout(items, prefix)
    d_out = device_empty((n, 8), np.uint32, stream)
    if n == 0:
        return d_out
    if words is not None:
        return hash_words_device(algorithm, to_device(words, stream), d_out, stream)
    d_data = to_device(data if data.size else _EMPTY, stream)
    if width is not None:
        d_offsets, w = to_device(_NO_OFFSETS, stream), width
    else:
        d_offsets, w = to_device(offsets, stream), -1
    plen = 0 if prefix is None else 1
    k = kernels(algorithm).bytes
    launch(k, n, d_data, d_offsets, w, prefix or 0, plen, d_out, stream=stream)
    return d_out


#: Message lengths of the known-answer check of the bytes kernel: the padding boundaries.
CHECK_LENGTHS = (0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 200)


def check_messages(lengths: tuple[int, ...]) -> Items:
    """Fixed messages of the given lengths (bytes i, i + 1, ... for the i-th)."""
    return as_items([bytes((i + j) % 256 for j in range(k)) for i, k in enumerate(lengths)], "")


def _hash_variant(algorithm: str, items: Items | npt.NDArray[np.uint8], *_: Any) -> Any:
    """The algorithm, and which kernel the layout takes (words or bytes)."""
    return algorithm, _layout(items, None)[4] is not None


def _hash_check(variant: Any) -> tuple[Any, ...]:
    algorithm, words = variant
    return algorithm, check_messages((64,) * 7 if words else CHECK_LENGTHS)


@checked(
    "hash_many", _hash_variant, _hash_check, lambda v: f"{v[0]}, {'words' if v[1] else 'bytes'}"
)
def hash_items(
    algorithm: str, items: Items | npt.NDArray[np.uint8], *, prefix: int | None = None
) -> npt.NDArray[np.uint8]:
    """Digest host messages on the device; returns the ``(n, 32)`` uint8 digests on the host.
    Equal-length batches of more than :data:`.streaming.CHUNK_ROWS` messages go through in
    chunks on two streams (:mod:`.streaming`)."""
    n, _, _, _, words = _layout(items, prefix)
    if words is None or n <= streaming.CHUNK_ROWS:
        return digests(hash_items_device(algorithm, items, prefix=prefix).copy_to_host())
    out = np.empty((n, 8), dtype=np.uint32)

    def go(d_in: Any, d_out: Any, rows: int, stream: Any) -> None:
        hash_words_device(algorithm, d_in[0][:rows], d_out[0][:rows], stream)

    streaming.run(n, [streaming.rows_in(words)], [streaming.rows_out(out)], go)
    return digests(out)
