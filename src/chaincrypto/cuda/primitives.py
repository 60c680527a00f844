"""32-bit word primitives for the kernels: truncation, rotations, byte swap.

On the device these are inlined numba-cuda device functions; under the CUDA simulator
(``numba.config.ENABLE_CUDASIM``) they are plain-Python twins that work on Python ints, so that
kernel arithmetic never overflows a numpy scalar there. Kernels pass every array element they
read through :func:`u32` first: a no-op truncation on the device, an ``int`` in the simulator.
"""

from __future__ import annotations

from numba import config

from .launch import device_function

MASK32 = 0xFFFFFFFF

if config.ENABLE_CUDASIM:

    def u32(x: int) -> int:
        """``x`` modulo 2**32 (a Python int in the simulator)."""
        return int(x) & MASK32

    def rotl(x: int, n: int) -> int:
        """Rotate the 32-bit word ``x`` left by ``n`` (1 <= n <= 31)."""
        x = int(x)
        return ((x << n) | (x >> (32 - n))) & MASK32

    def rotr(x: int, n: int) -> int:
        """Rotate the 32-bit word ``x`` right by ``n`` (1 <= n <= 31)."""
        x = int(x)
        return ((x >> n) | (x << (32 - n))) & MASK32

    def bswap(x: int) -> int:
        """Reverse the four bytes of the 32-bit word ``x``."""
        return int.from_bytes((int(x) & MASK32).to_bytes(4, "little"), "big")

    def i64(x: int) -> int:
        """``x`` as a signed 64-bit index (a Python int in the simulator)."""
        return int(x)

else:
    from numba import int64, uint32

    @device_function
    def i64(x):  # type: ignore[no-untyped-def]
        """``x`` as an int64 index (offsets are uint64; mixing them with int64 would give
        float64 under numba's typing rules)."""
        return int64(x)

    @device_function
    def u32(x):  # type: ignore[no-untyped-def]
        """``x`` truncated to a uint32 (the cast lets NVVM narrow the expression to 32 bits)."""
        return uint32(x & MASK32)

    @device_function
    def rotl(x, n):  # type: ignore[no-untyped-def]
        """Rotate the 32-bit word ``x`` left by ``n`` (1 <= n <= 31); NVVM emits shf.l.wrap."""
        x = uint32(x)
        return uint32(((x << n) | (x >> (32 - n))) & MASK32)

    @device_function
    def rotr(x, n):  # type: ignore[no-untyped-def]
        """Rotate the 32-bit word ``x`` right by ``n`` (1 <= n <= 31)."""
        x = uint32(x)
        return uint32(((x >> n) | (x << (32 - n))) & MASK32)

    @device_function
    def bswap(x):  # type: ignore[no-untyped-def]
        """Reverse the four bytes of ``x`` (NVVM emits prmt)."""
        x = uint32(x)
        return uint32(((x & 0xFF) << 24) | ((x & 0xFF00) << 8) | ((x >> 8) & 0xFF00) | (x >> 24))
