"""The backend registry: the one seam through which every operation reaches an implementation.

A backend is a name, an availability check, and a table of batch entry points ("ops") that take
and return numpy arrays. Which backend runs a call is decided here, in this order: the call's
``backend=`` argument, then the innermost :func:`use` context, then ``CHAINCRYPTO_BACKEND``, then
"auto": the GPU for batches at least as large as the op's measured CPU/GPU crossover
(:mod:`.crossover`), the CPU otherwise.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

NAMES = ("cpu", "cuda")
CHOICES = (*NAMES, "auto")


class BackendUnavailableError(RuntimeError):
    """The requested backend cannot run here (the message says why)."""


@dataclass(frozen=True)
class Backend:
    """A loaded backend: its name, its batch entry points, and whether "auto" may pick it."""

    name: str
    ops: Mapping[str, Callable[..., Any]]
    auto: bool = True

    def op(self, name: str) -> Callable[..., Any]:
        """Entry point ``name``. On a backend other than the CPU, a failure of the device
        (out of memory, driver or launch error) reruns that batch on the CPU with one warning,
        so a result is never wrong or missing; argument errors are raised as they are."""
        try:
            fn = self.ops[name]
        except KeyError:
            raise BackendUnavailableError(
                f"the {self.name} backend does not implement {name!r}"
            ) from None
        if self.name == "cpu":
            return fn

        def with_cpu_fallback(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except (TypeError, ValueError):
                raise
            except Exception as exc:  # device errors of every kind
                cpu, _ = load("cpu")
                if cpu is None:
                    raise
                warnings.warn(
                    f"chaincrypto: {name} failed on the {self.name} backend "
                    f"({type(exc).__name__}: {exc}); this batch ran on the CPU instead",
                    RuntimeWarning,
                    stacklevel=2,
                )
                return cpu.op(name)(*args, **kwargs)

        return with_cpu_fallback


_choice: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "chaincrypto_backend", default=None
)


def _check_name(name: object, what: str) -> str:
    if not isinstance(name, str) or name not in CHOICES:
        raise ValueError(f"{what}: expected one of {', '.join(CHOICES)}, got {name!r}")
    return name


@contextlib.contextmanager
def use(name: str) -> Iterator[None]:
    """Run the calls in this block (this thread or task) on backend ``name`` unless a call says
    otherwise: ``with chaincrypto.use("cpu"): ...``."""
    token = _choice.set(_check_name(name, "backend"))
    try:
        yield
    finally:
        _choice.reset(token)


def _load(name: str) -> tuple[Backend | None, str]:
    if name == "cpu":
        from . import cpu

        return cpu.load()
    from . import cuda

    return cuda.load()


_cache: dict[str, tuple[Backend | None, str]] = {}
_load_lock = threading.RLock()


def load(name: str) -> tuple[Backend | None, str]:
    """The backend called ``name`` and a one-line status (why it is or is not available),
    loaded once per process however many threads ask at once."""
    found = _cache.get(name)
    if found is None:
        with _load_lock:
            found = _cache.get(name)
            if found is None:
                found = _cache[name] = _load(name)
    return found


def requested(backend: str | None = None) -> str:
    """The backend name in force for a call, by the precedence described in the module doc."""
    if backend is not None:
        return _check_name(backend, "backend")
    chosen = _choice.get()
    if chosen is not None:
        return chosen
    env = os.environ.get("CHAINCRYPTO_BACKEND", "").strip()
    if env:
        return _check_name(env, "CHAINCRYPTO_BACKEND")
    return "auto"


def _auto_gpu(op: str, n: int) -> Backend | None:
    """The GPU backend if "auto" sends this batch there: it is usable for ``op`` and ``n`` is
    at least the op's measured crossover. Batches below :func:`crossover.floor` decide without
    loading anything, so they never import numba."""
    from . import crossover
    from .cuda import NEVER_AUTO

    if op in NEVER_AUTO or n < crossover.floor(op):
        return None
    gpu, _ = load("cuda")
    if gpu is None or not gpu.auto or op not in gpu.ops:
        return None
    limit = crossover.resolve(op, gpu).min_items
    return gpu if limit is not None and n >= limit else None


def select(op: str, n: int, backend: str | None = None) -> Backend:
    """The backend that runs operation ``op`` on a batch of ``n`` items."""
    name = requested(backend)
    if name == "auto":
        gpu = _auto_gpu(op, n)
        if gpu is not None:
            return gpu
        name = "cpu"
    loaded, status = load(name)
    if loaded is None:
        raise BackendUnavailableError(f"backend {name!r} is not available: {status}")
    if op not in loaded.ops:
        raise BackendUnavailableError(f"the {name} backend does not implement {op!r}")
    return loaded


def call(op: str, n: int, backend: str | None, *args: Any, **kwargs: Any) -> Any:
    """Run ``op`` on the selected backend."""
    return select(op, n, backend).op(op)(*args, **kwargs)
