"""SM3 (GB/T 32905) and SHA-256 (FIPS 180-4): hashlib-style objects and batched digests."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import backends
from ._cpu import ffi, lib
from ._inputs import BatchInput, as_items

ALGORITHMS = ("sm3", "sha256")
SIMD_CHOICES = ("auto", "portable", "avx2", "avx512", "shani")
_CODES = {"sm3": lib.CC_HASH_SM3, "sha256": lib.CC_HASH_SHA256}


def check_algorithm(algorithm: object, name: str = "algorithm") -> str:
    """``algorithm`` if it names a supported hash, else ``ValueError`` naming the argument."""
    if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
        raise ValueError(f"{name}: expected one of {', '.join(ALGORITHMS)}, got {algorithm!r}")
    return algorithm


class _Hash:
    """A running hash with the interface of :mod:`hashlib` objects."""

    name: str = ""
    digest_size = 32
    block_size = 64
    __slots__ = ("_ctx",)

    def __init__(self, data: bytes | bytearray | memoryview = b"", *, usedforsecurity: bool = True):
        self._ctx = ffi.new("cc_hash_ctx *")
        lib.cc_hash_init(self._ctx, _CODES[self.name])
        self.update(data)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        """Absorb ``data`` (any C-contiguous bytes-like object; ``str`` is refused)."""
        if isinstance(data, str):
            raise TypeError("data: Strings must be encoded before hashing")
        try:
            buf = ffi.from_buffer(data)
        except TypeError:
            raise TypeError(
                f"data: expected a bytes-like object, got {type(data).__name__}"
            ) from None
        lib.cc_hash_update(self._ctx, buf, len(buf))

    def digest(self) -> bytes:
        """The digest of everything absorbed so far; the object can keep absorbing."""
        out = ffi.new("uint8_t[32]")
        lib.cc_hash_final(self._ctx, out)
        return bytes(out)

    def hexdigest(self) -> str:
        return self.digest().hex()

    def copy(self) -> _Hash:
        """An independent object in the same state."""
        clone = type(self).__new__(type(self))
        clone._ctx = ffi.new("cc_hash_ctx *")
        ffi.memmove(clone._ctx, self._ctx, ffi.sizeof("cc_hash_ctx"))
        return clone

    def __repr__(self) -> str:
        return f"<chaincrypto.{self.name} hash object at {id(self):#x}>"


class sm3(_Hash):
    """SM3 (GB/T 32905-2016), e.g. ``chaincrypto.sm3(b"abc").hexdigest()``."""

    name = "sm3"
    __slots__ = ()


class sha256(_Hash):
    """SHA-256 (FIPS 180-4), the same object interface as ``hashlib.sha256``."""

    name = "sha256"
    __slots__ = ()


def hash_many(
    messages: BatchInput,
    algorithm: str = "sm3",
    *,
    offsets: Any = None,
    backend: str | None = None,
    threads: int | None = None,
    simd: str = "auto",
) -> npt.NDArray[np.uint8]:
    """Digest many messages at once; returns an ``(n, 32)`` uint8 array, row ``i`` the digest
    of message ``i``.

    ``messages`` is a sequence of bytes-like items, an ``(n, k)`` uint8 array of equal-length
    messages, or a flat uint8 buffer with ``offsets`` (``n + 1`` non-decreasing integers: message
    ``i`` is ``messages[offsets[i]:offsets[i + 1]]``). ``threads`` caps the cores used (default:
    ``CHAINCRYPTO_THREADS`` or all). ``simd`` forces one C code path (``"portable"``, ``"avx2"``,
    ``"avx512"``, ``"shani"``) for testing; ``RuntimeError`` if this CPU lacks it.
    """
    algorithm = check_algorithm(algorithm)
    if simd not in SIMD_CHOICES:
        raise ValueError(f"simd: expected one of {', '.join(SIMD_CHOICES)}, got {simd!r}")
    items = as_items(messages, "messages", offsets)
    be = backends.select("hash_many", items.n, backend)
    return be.op("hash_many")(algorithm, items, simd=simd, threads=threads)
