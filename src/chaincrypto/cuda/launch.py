"""Launch configuration, the kernel/device-function decorators, and device buffers.

Kernels are compiled on their first launch (never at import) and cached on disk
(``cache=True``). Under the CUDA simulator every thread is a Python thread, so blocks are kept
small there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import config, cuda

#: True when numba runs kernels in its pure-Python CUDA simulator (NUMBA_ENABLE_CUDASIM=1).
SIMULATED: bool = bool(config.ENABLE_CUDASIM)
#: Threads per block: one message (or one Merkle parent) per thread.
THREADS_PER_BLOCK = 32 if SIMULATED else 256


def kernel(fn: Callable[..., None]) -> Any:
    """``cuda.jit`` for a kernel: compiled lazily on first launch, cached on disk."""
    return cuda.jit(cache=True)(fn)


def device_function(fn: Callable[..., Any]) -> Any:
    """``cuda.jit`` for an always-inlined device function (plain device function in the
    simulator, which knows no ``forceinline``)."""
    if SIMULATED:
        return cuda.jit(device=True)(fn)
    return cuda.jit(device=True, forceinline=True)(fn)


def jitable(
    fn: Callable[..., Any] | None = None,
    *,
    twin: Callable[..., Any] | None = None,
    device: Callable[[], Callable[..., Any]] | None = None,
) -> Any:
    """A helper callable from kernels *and* from CPU ``numba.njit`` code (the same typed
    integer semantics), so that the elliptic-curve arithmetic is tested over thousands of random
    inputs on a machine without a GPU. Under the simulator: the function itself, or ``twin``
    where given, a Python-int version with the same results for a hot primitive whose
    numba-typed source runs about 100x slower there (tests hold each twin to the real one).
    ``device``, where given, returns the implementation that kernels compile instead (one that
    allocates with ``cuda.local.array``, which CPU code cannot). Use as ``@jitable`` or
    ``@jitable(twin=f, device=g)``."""

    def wrap(f: Callable[..., Any]) -> Any:
        if SIMULATED:
            return twin or f
        from numba.cuda.extending import overload
        from numba.cuda.extending import register_jitable as for_cuda
        from numba.extending import register_jitable as for_cpu

        if device is None:
            return for_cpu(for_cuda(f))
        impl = device()
        overload(f, inline="never", strict=False)(lambda *args: impl)
        return for_cpu(f)

    return wrap if fn is None else wrap(fn)


def grid(n: int, threads: int = THREADS_PER_BLOCK) -> tuple[int, int]:
    """``(blocks, threads)`` covering ``n`` threads (at least one block)."""
    return max(1, -(-n // threads)), threads


#: Block sizes :func:`block_size` chooses from, and the most blocks an SM holds (sm_50 on).
BLOCK_SIZES = (THREADS_PER_BLOCK, THREADS_PER_BLOCK // 2)
BLOCKS_PER_SM = 32


def block_size(regs: int, regs_per_sm: int = 65536, threads_per_sm: int = 2048) -> int:
    """The size in :data:`BLOCK_SIZES` that keeps the most threads resident on one SM for a
    kernel using ``regs`` registers a thread (allocated per warp in units of 256), the larger
    on a tie. A signature kernel's 150-170 registers leave room for 12 or 13 warps: in blocks
    of 256 threads only 8 of them fit, in blocks of 128, 12."""
    per_warp = -(-max(regs, 1) * 32 // 256) * 256
    warps = regs_per_sm // per_warp

    def resident(size: int) -> int:
        return min(min(warps // (size // 32), BLOCKS_PER_SM) * size, threads_per_sm)

    return max(BLOCK_SIZES, key=lambda size: (resident(size), size))


#: ``id(kernel) -> (kernel, threads)``: the kernel is kept so that its id is never reused.
_threads: dict[int, tuple[Any, int]] = {}


def threads_for(k: Any) -> int:
    """Threads per block for kernel ``k``: :func:`block_size` of its register count once it
    has been compiled (its first launch compiles it at :data:`THREADS_PER_BLOCK`), for the
    current device's SMs; :data:`THREADS_PER_BLOCK` under the simulator or when the count is
    not to be had."""
    if SIMULATED:
        return THREADS_PER_BLOCK
    found = _threads.get(id(k))
    if found is None:
        try:
            regs = max(o.regs_per_thread for o in k.overloads.values())
            device = cuda.get_current_device()
            sm = (device.MAX_REGISTERS_PER_MULTIPROCESSOR, device.MAX_THREADS_PER_MULTIPROCESSOR)
        except Exception:  # not compiled yet, or a driver that will not say
            return THREADS_PER_BLOCK
        found = _threads[id(k)] = (k, block_size(int(regs), int(sm[0]), int(sm[1])))
    return found[1]


def launch(k: Any, n: int, *args: Any, stream: Any = 0) -> None:
    """Launch kernel ``k`` with one thread per item over ``n`` items (no-op for ``n == 0``), in
    blocks of :func:`threads_for` threads."""
    if n == 0:
        return
    blocks, threads = grid(n, threads_for(k))
    k[blocks, threads, stream](*args)


def to_device(arr: npt.NDArray[Any], stream: Any = 0) -> Any:
    """A device copy of a host array (contiguous first)."""
    return cuda.to_device(np.ascontiguousarray(arr), stream=stream)


def device_empty(shape: int | tuple[int, ...], dtype: Any, stream: Any = 0) -> Any:
    """An uninitialised device array."""
    return cuda.device_array(shape, dtype=dtype, stream=stream)


def words_view(data: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint32] | None:
    """``data`` (C-contiguous, length a multiple of 4) reinterpreted as native uint32 words, or
    None when that is impossible without a copy (misaligned or odd length)."""
    if data.size % 4 or not data.flags.c_contiguous or data.ctypes.data % 4:
        return None
    return data.reshape(-1).view(np.uint32)


def digests(words: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint8]:
    """``(n, 8)`` device-format node words (memory bytes = digest bytes) as ``(n, 32)`` bytes."""
    return np.ascontiguousarray(words).view(np.uint8).reshape(-1, 32)


def is_device_array(x: object) -> bool:
    """True for a numba device array (or anything exposing ``__cuda_array_interface__``)."""
    return cuda.is_cuda_array(x)
