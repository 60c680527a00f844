"""Partition sizes from measured throughput.

Each worker times a short calibration of the operation on its own best backend (its GPU if it
has one, else the C backend on the cores one task may use) and remembers the rate for the life
of its process. The client takes the slowest worker's rate and sizes partitions so that one task
lasts about ``target_seconds`` there (default 1 s): long enough that scheduling overhead
(~1 ms a task) is noise, short enough that a lost worker costs little to redo and that the
work spreads over every worker thread.

Operations: ``"verify"`` (the slowest of the three signature algorithms, for mixed records),
``"verify:sm2"``, ``"verify:secp256k1"``, ``"verify:p256"``, ``"hash:sm3"``, ``"hash:sha256"``
(rates per 64-byte block; ``item_bytes`` scales them to the message length).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .. import _threads, ecdsa, sm2
from ..hashing import hash_many
from ._tasks import ALGORITHMS

OPERATIONS = (
    "verify",
    *(f"verify:{a}" for a in ALGORITHMS),
    "hash:sm3",
    "hash:sha256",
)
MIN_PARTITION = 256
MAX_PARTITION = 1 << 22
_CALIBRATION_SECONDS = 0.2
_SAMPLE = 256

#: Rates measured in this process: (op, threads) -> items per second.
_RATES: dict[tuple[str, int | None], float] = {}
#: Client side: (scheduler address, op, workers) -> the per-worker rates it measured.
_CLIENT_CACHE: dict[tuple[str, str, frozenset[str]], dict[str, float]] = {}


def check_operation(op: object) -> str:
    if not isinstance(op, str) or op not in OPERATIONS:
        raise ValueError(f"op: expected one of {', '.join(OPERATIONS)}, got {op!r}")
    return op


def _verify_work(algorithm: str, threads: int | None) -> tuple[Callable[[], object], int]:
    msgs = [i.to_bytes(8, "big") for i in range(_SAMPLE)]
    if algorithm == "sm2":
        sk = sm2.PrivateKey.generate()
        pubs = [sk.public_key.to_bytes()] * _SAMPLE
        sigs = [sk.sign(m) for m in msgs]
        return lambda: sm2.verify_batch(pubs, msgs, sigs, threads=threads), _SAMPLE
    ek = ecdsa.PrivateKey.generate(algorithm)
    pubs = [ek.public_key.to_bytes()] * _SAMPLE
    sigs = [ek.sign(m) for m in msgs]
    return lambda: ecdsa.verify_batch(algorithm, pubs, msgs, sigs, threads=threads), _SAMPLE


def _hash_work(algorithm: str, threads: int | None) -> tuple[Callable[[], object], int]:
    n = 1 << 14
    data = np.zeros((n, 55), dtype=np.uint8)  # 55 bytes: one 64-byte block with padding
    return lambda: hash_many(data, algorithm, threads=threads), n


def _time(work: Callable[[], object], items: int) -> float:
    """Items per second, best of the runs within the calibration time (after one warm-up)."""
    work()
    best = math.inf
    deadline = time.perf_counter() + _CALIBRATION_SECONDS
    while True:
        t0 = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - t0)
        if time.perf_counter() > deadline:
            return items / max(best, 1e-9)


def measure(op: str, threads: int | None = None) -> float:
    """Items per second for ``op`` in this process (cached for the life of the process)."""
    op = check_operation(op)
    key = (op, threads)
    if key not in _RATES:
        if op == "verify":
            _RATES[key] = min(measure(f"verify:{a}", threads) for a in ALGORITHMS)
        else:
            kind, alg = op.split(":")
            make = _verify_work if kind == "verify" else _hash_work
            _RATES[key] = _time(*make(alg, threads))
    return _RATES[key]


def _measure_on_worker(op: str, plan: Mapping[str, int] | None) -> float:
    from ._tasks import task_threads

    return measure(op, task_threads(plan))


def thread_plan(client: Any) -> dict[str, int]:
    """Host -> cores per task: a host's cores divided among all worker threads on it."""
    info = client.scheduler_info(n_workers=-1)["workers"]
    cores = client.run(_threads.cpu_count)
    per_host: dict[str, list[int]] = {}
    for addr, w in info.items():
        per_host.setdefault(w["host"], [0, 0])
        per_host[w["host"]][0] += int(w["nthreads"])
        per_host[w["host"]][1] = max(per_host[w["host"]][1], int(cores.get(addr, 1)))
    return {host: max(1, c // max(t, 1)) for host, (t, c) in per_host.items()}


def worker_rates(op: str, client: Any, plan: Mapping[str, int] | None = None) -> dict[str, float]:
    """Each worker's measured rate for ``op`` (items/s), measured once per worker process."""
    op = check_operation(op)
    workers = frozenset(client.scheduler_info(n_workers=-1)["workers"])
    key = (client.scheduler.address, op, workers)
    if key not in _CLIENT_CACHE:
        plan = thread_plan(client) if plan is None else plan
        futures = {  # tasks, not client.run: calibration must not block a worker's event loop
            addr: client.submit(
                _measure_on_worker, op, plan, workers=[addr], allow_other_workers=False,
                pure=False,
            )
            for addr in sorted(workers)
        }  # fmt: skip
        _CLIENT_CACHE[key] = dict(zip(futures, client.gather(list(futures.values())), strict=True))
    return _CLIENT_CACHE[key]


def blocks_per_item(item_bytes: int) -> int:
    """64-byte compression blocks SM3 / SHA-256 run for one message of ``item_bytes``."""
    return (item_bytes + 8) // 64 + 1


def partition_size(
    op: str,
    client: Any = None,
    *,
    item_bytes: int | None = None,
    target_seconds: float = 1.0,
) -> int:
    """Items per partition so that one task of ``op`` lasts about ``target_seconds`` on the
    slowest worker of ``client``'s cluster (default: the current Dask client, or this process
    when there is none), clamped to [256, 4 Mi].

    Rates are measured on the workers the first time (a fraction of a second each) and cached
    per worker process and per client. ``item_bytes`` (hash operations) is the message length;
    the calibration uses one-block messages.
    """
    op = check_operation(op)
    if not target_seconds > 0:
        raise ValueError(f"target_seconds: expected a positive number, got {target_seconds!r}")
    client = default_client() if client is None else client
    if client is None:
        rate = measure(op)
    else:
        rates = worker_rates(op, client)
        rate = min(rates.values()) if rates else measure(op)
    if op.startswith("hash:") and item_bytes:
        rate /= blocks_per_item(int(item_bytes))
    return int(min(MAX_PARTITION, max(MIN_PARTITION, rate * target_seconds)))


def default_client() -> Any:
    """The current ``distributed`` client, or None (no cluster: compute in this process)."""
    try:
        from distributed import default_client as current
    except ImportError:
        return None
    try:
        return current()
    except ValueError:
        return None
