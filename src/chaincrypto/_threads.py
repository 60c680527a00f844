"""Splitting a batch across cores. The C entry points release the GIL (cffi does so around
every call), so Python threads give real parallelism; one shared pool avoids per-call start-up."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def cpu_count() -> int:
    """Cores this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def thread_count(threads: int | None = None) -> int:
    """Threads for one batch: the ``threads`` argument, else ``CHAINCRYPTO_THREADS``, else cores."""
    if threads is not None:
        if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
            raise ValueError(f"threads: expected a positive integer, got {threads!r}")
        return threads
    env = os.environ.get("CHAINCRYPTO_THREADS", "").strip()
    if env:
        try:
            value = int(env)
        except ValueError:
            value = 0
        if value < 1:
            raise ValueError(f"CHAINCRYPTO_THREADS: expected a positive integer, got {env!r}")
        return value
    return cpu_count()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max(32, cpu_count()), thread_name_prefix="chaincrypto")
        return _pool


def run_chunks(
    n: int, threads: int | None, min_chunk: int, work: Callable[[int, int], T]
) -> list[T]:
    """Call ``work(start, stop)`` over ``range(n)`` split into at most ``thread_count(threads)``
    contiguous chunks of at least ``min_chunk`` items, in parallel; results in chunk order."""
    count = max(1, min(thread_count(threads), n // max(1, min_chunk)))
    if count == 1:
        return [work(0, n)]
    bounds = [n * i // count for i in range(count + 1)]
    futures = [_executor().submit(work, a, b) for a, b in itertools.pairwise(bounds)]
    return [f.result() for f in futures]
