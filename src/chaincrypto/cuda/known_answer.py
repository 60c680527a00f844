"""A known-answer check before a device op first runs on a device.

The kernels were written and tested without a GPU (numba.njit on the CPU and numba's CUDA
simulator), so a device or compiler that computes one of them differently must not give wrong
results silently. Each op of the CUDA backend is decorated with :func:`checked`: the first time
it is called for a given variant (a curve, a hash, a tree scheme) on a device, it first runs
on a few fixed inputs and is compared with the C backend; where the answers differ, it raises
``RuntimeError`` on that device from then on, and the backend registry runs those batches on
the CPU, with a warning.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import numpy as np
from numba import cuda

#: ``(op, variant, device) -> passed``.
_checked: dict[tuple[str, Hashable, int], bool] = {}
_lock = threading.Lock()


def device_id() -> int:
    """The current device's ordinal (0 under the simulator, whose fake device may lack one)."""
    try:
        return int(cuda.get_current_device().id)
    except Exception:
        return 0


def cpu_op(name: str) -> Any:
    """The C backend's op ``name``."""
    from ..backends import load

    cpu, why = load("cpu")
    if cpu is None:
        raise RuntimeError(f"the CUDA backend checks its answers against the C backend: {why}")
    return cpu.op(name)


def same(a: Any, b: Any) -> bool:
    """Equal results: arrays element for element, tuples and lists item for item."""
    if isinstance(a, tuple | list):
        return (
            isinstance(b, tuple | list)
            and len(a) == len(b)
            and all(same(x, y) for x, y in zip(a, b, strict=True))
        )
    return bool(np.array_equal(np.asarray(a), np.asarray(b)))


def checked(
    op: str,
    variant: Callable[..., Hashable],
    inputs: Callable[[Any], tuple[Any, ...]],
    describe: Callable[[Any], str] = str,
    options: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate the device implementation of ``op`` (the C backend's op of that name takes the
    same positional arguments): ``variant(*args)`` names what a call exercises (a curve code,
    an algorithm), ``inputs(variant)`` the fixed arguments checked for it, ``describe`` names
    it in the error; ``options``, keyword arguments of the device implementation for the
    check (a launch shape that exercises more of the kernel than the few inputs would)."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            what = variant(*args)
            key = (op, what, device_id())
            if key not in _checked:  # the lock only until the key has its verdict
                with _lock:  # one check per key, however many threads ask at once
                    if key not in _checked:
                        check = inputs(what)
                        got = fn(*check, **(options or {}))
                        _checked[key] = same(got, cpu_op(op)(*check))
            if not _checked[key]:
                raise RuntimeError(
                    f"the CUDA {op} kernel failed its known-answer check ({describe(what)}) on "
                    "this device: its result differs from the C backend's"
                )
            return fn(*args, **kwargs)

        return run

    return wrap
