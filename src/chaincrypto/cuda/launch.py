"""Launch configuration, the kernel/device-function decorators, and device buffers.

Kernels are compiled on their first launch (never at import) and cached on disk
(``cache=True``). Under the CUDA simulator every thread is a Python thread, so blocks are kept
small there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import config, cuda

#: True when numba runs kernels in its pure-Python CUDA simulator (NUMBA_ENABLE_CUDASIM=1).
SIMULATED: bool = bool(config.ENABLE_CUDASIM)
#: Threads per block: one message (or one Merkle parent) per thread.
THREADS_PER_BLOCK = 32 if SIMULATED else 256


def kernel(fn: Callable[..., None] | None = None, *, max_registers: int | None = None) -> Any:
    """``cuda.jit`` for a kernel: compiled lazily on first launch, cached on disk; at most
    ``max_registers`` registers a thread where given (ptxas spills the rest; the simulator
    has no registers). Use as ``@kernel`` or ``@kernel(max_registers=n)``."""

    def wrap(f: Callable[..., None]) -> Any:
        if max_registers is None or SIMULATED:
            return cuda.jit(cache=True)(f)
        return cuda.jit(cache=True, max_registers=max_registers)(f)

    return wrap if fn is None else wrap(fn)


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


def resident(regs: int, size: int, regs_per_sm: int = 65536, threads_per_sm: int = 2048) -> int:
    """Threads of a kernel using ``regs`` registers a thread (allocated per warp in units of
    256) that one SM holds at once in blocks of ``size``."""
    warps = regs_per_sm // (-(-max(regs, 1) * 32 // 256) * 256)
    return min(min(warps // (size // 32), BLOCKS_PER_SM) * size, threads_per_sm)


def block_size(regs: int, regs_per_sm: int = 65536, threads_per_sm: int = 2048) -> int:
    """The size in :data:`BLOCK_SIZES` that keeps the most threads :func:`resident` on one SM,
    the larger on a tie. A signature kernel's 150-170 registers leave room for 12 or 13 warps:
    in blocks of 256 threads only 8 of them fit, in blocks of 128, 12."""
    return max(
        BLOCK_SIZES,
        key=lambda size: (resident(regs, size, regs_per_sm, threads_per_sm), size),
    )


@dataclass(frozen=True)
class Occupancy:
    """How kernel ``k`` runs on the current device: ``threads`` a block, and ``device``
    threads resident on all of its SMs at once (0 when not known)."""

    threads: int
    device: int


#: ``id(kernel) -> (kernel, occupancy)``: the kernel is kept so that its id is never reused.
_occupancy: dict[int, tuple[Any, Occupancy]] = {}


def occupancy(k: Any) -> Occupancy:
    """:class:`Occupancy` of kernel ``k``: blocks of :func:`block_size` of its register count
    once it has been compiled (its first launch compiles it at :data:`THREADS_PER_BLOCK`), for
    the current device's SMs; :data:`THREADS_PER_BLOCK` and an unknown residency under the
    simulator or when the count is not to be had."""
    unknown = Occupancy(THREADS_PER_BLOCK, 0)
    if SIMULATED:
        return unknown
    found = _occupancy.get(id(k))
    if found is None:
        try:
            regs = int(max(o.regs_per_thread for o in k.overloads.values()))
            dev = cuda.get_current_device()
            sm = (
                int(dev.MAX_REGISTERS_PER_MULTIPROCESSOR),
                int(dev.MAX_THREADS_PER_MULTIPROCESSOR),
            )
            sms = int(dev.MULTIPROCESSOR_COUNT)
        except Exception:  # not compiled yet, or a driver that will not say
            return unknown
        size = block_size(regs, *sm)
        found = _occupancy[id(k)] = (k, Occupancy(size, sms * resident(regs, size, *sm)))
    return found[1]


def threads_for(k: Any) -> int:
    """Threads per block for kernel ``k`` (:func:`occupancy`)."""
    return occupancy(k).threads


def items_per_thread(k: Any, n: int, most: int) -> int:
    """Items each thread of kernel ``k`` takes in a launch over ``n`` (at most ``most``): one
    while ``n`` threads fit on the device at once, else as many as bring the threads down to
    what fits (``ceil(n / resident)``), so that a kernel whose items share work (the curve
    kernels' inversions) shares it only where the device is full anyway; 1 while the residency
    is unknown (before the first launch, under the simulator)."""
    fits = occupancy(k).device
    if fits <= 0 or most <= 1:
        return 1
    return max(1, min(most, -(-n // fits)))


def launch(k: Any, n: int, *args: Any, stream: Any = 0) -> None:
    """Launch kernel ``k`` with one thread per item over ``n`` items (no-op for ``n == 0``), in
    blocks of :func:`threads_for` threads."""
    if n == 0:
        return
    blocks, threads = grid(n, threads_for(k))
    k[blocks, threads, stream](*args)


def launch_items(k: Any, n: int, per_thread: int, *args: Any, stream: Any = 0) -> None:
    """Launch kernel ``k(stride, *args)`` over ``n`` items, ``per_thread`` (or fewer) a thread:
    the ``stride = ceil(n / per_thread)`` threads below it take items ``thread``,
    ``thread + stride``, ... (neighbouring threads still read neighbouring items)."""
    if n == 0:
        return
    stride = -(-n // max(1, per_thread))
    blocks, threads = grid(stride, threads_for(k))
    k[blocks, threads, stream](stride, *args)


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
