"""``chaincrypto bench``: throughput of each operation on each available backend, and of the
installed peers on the same machine in the same run.

Each operation registers a factory that, given a batch size, returns the work to time (a
zero-argument callable) plus its item and byte counts. Timing repeats the work until
``min_time`` has passed and keeps the best rate, since shared machines are noisy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import numpy as np

from . import backends
from .hashing import hash_many


@dataclass(frozen=True)
class Work:
    """One thing to time: ``run()`` processes ``items`` items of ``item_bytes`` bytes each."""

    run: Callable[[], object]
    items: int
    item_bytes: int


@dataclass(frozen=True)
class Result:
    """One row of the benchmark table."""

    op: str
    backend: str
    batch: int
    items_per_s: float
    mb_per_s: float
    threads: int | None = None

    def row(self) -> list[str]:
        return [
            self.op,
            self.backend,
            f"{self.batch:,}",
            "all" if self.threads is None else str(self.threads),
            f"{self.items_per_s:,.0f}",
            f"{self.mb_per_s:,.1f}" if self.mb_per_s else "-",
        ]


Factory = Callable[[int, str, int | None], Work]
_OPS: dict[str, tuple[Factory, tuple[int, ...], tuple[int, ...]]] = {}


def register(
    op: str, quick: tuple[int, ...], full: tuple[int, ...]
) -> Callable[[Factory], Factory]:
    """Declare a benchmarked operation and its batch sizes for ``--quick`` and full runs."""

    def wrap(factory: Factory) -> Factory:
        _OPS[op] = (factory, quick, full)
        return factory

    return wrap


def operations() -> list[str]:
    return list(_OPS)


def _rng() -> np.random.Generator:
    return np.random.default_rng(2026)


def _hash_factory(algorithm: str, length: int) -> Factory:
    def make(size: int, backend: str, threads: int | None) -> Work:
        msgs = _rng().integers(0, 256, (size, length), dtype=np.uint8)
        return Work(
            lambda: hash_many(msgs, algorithm, backend=backend, threads=threads), size, length
        )

    return make


for _alg in ("sm3", "sha256"):
    register(f"{_alg}-64B", (1 << 16,), (1 << 10, 1 << 14, 1 << 18))(_hash_factory(_alg, 64))
    register(f"{_alg}-1MiB", (8,), (8, 64))(_hash_factory(_alg, 1 << 20))


def measure(work: Work, min_time: float) -> float:
    """Best items per second over repeated runs lasting at least ``min_time`` in total."""
    work.run()  # warm-up: first-call costs (page faults, lazy loads) are not throughput
    best = 0.0
    spent = 0.0
    while spent < min_time or best == 0.0:
        t0 = time.perf_counter()
        work.run()
        dt = time.perf_counter() - t0
        spent += dt
        best = max(best, work.items / dt if dt > 0 else 0.0)
    return best


def run(
    ops: Iterable[str] | None = None,
    backend_names: Iterable[str] | None = None,
    sizes: Iterable[int] | None = None,
    *,
    quick: bool = False,
    threads: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Result]:
    """Benchmark ``ops`` (default: all) on ``backend_names`` (default: every available one)."""
    chosen = list(ops) if ops else operations()
    unknown = [op for op in chosen if op not in _OPS]
    if unknown:
        raise ValueError(
            f"ops: unknown operation(s) {', '.join(unknown)}; known: {', '.join(_OPS)}"
        )
    names = (
        list(backend_names)
        if backend_names
        else [n for n in backends.NAMES if backends.load(n)[0] is not None]
    )
    min_time = 0.2 if quick else 1.0
    results = []
    for op in chosen:
        factory, quick_sizes, full_sizes = _OPS[op]
        for name in names:
            loaded, why = backends.load(name)
            if loaded is None:
                raise backends.BackendUnavailableError(f"backend {name!r} is not available: {why}")
            for size in sizes or (quick_sizes if quick else full_sizes):
                if progress:
                    progress(f"{op} on {name}, batch {size:,}")
                work = factory(size, name, threads)
                rate = measure(work, min_time)
                results.append(Result(op, name, size, rate, rate * work.item_bytes / 1e6, threads))
    return results


def openssl_speed(algorithm: str, nbytes: int, seconds: int = 1) -> float | None:
    """OpenSSL's single-core rate for ``algorithm`` on ``nbytes``-byte inputs, in items/s, from
    the ``openssl speed -evp`` command (None when the command is missing or lacks it)."""
    exe = shutil.which("openssl")
    if exe is None:
        return None
    cmd = [exe, "speed", "-seconds", str(seconds), "-evp", algorithm, "-bytes", str(nbytes)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds * 10 + 30)
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == algorithm and parts[1].endswith("k"):
            return float(parts[1][:-1]) * 1000 / nbytes
    return None


@dataclass(frozen=True)
class Comparison:
    """Our rate beside a peer's (both in MB/s of input), same machine, same run."""

    op: str
    ours: float
    peer: str
    theirs: float

    @property
    def ratio(self) -> float:
        return self.ours / self.theirs if self.theirs else float("nan")


_HASH_PEERS = {
    "sm3-64B": ("sm3", 64),
    "sha256-64B": ("sha256", 64),
    "sm3-1MiB": ("sm3", 16384),
    "sha256-1MiB": ("sha256", 16384),
}


def compare(ops: Iterable[str], quick: bool = False) -> list[Comparison]:
    """One core of ours against the peers' one-core rates (``openssl speed``) in this run."""
    rows = []
    for op in ops:
        if op not in _HASH_PEERS:
            continue
        alg, nbytes = _HASH_PEERS[op]
        theirs = openssl_speed(alg, nbytes, 1 if quick else 3)
        if theirs is None:
            continue
        factory, quick_sizes, _ = _OPS[op]
        size = quick_sizes[0]
        work = factory(size, "cpu", 1)
        ours = measure(work, 0.2 if quick else 1.0) * work.item_bytes / 1e6
        peer = f"openssl speed -evp {alg} -bytes {nbytes}"
        rows.append(Comparison(op, ours, peer, theirs * nbytes / 1e6))
    return rows


def as_json(results: list[Result], comparisons: list[Comparison]) -> dict[str, object]:
    from .info import info

    return {
        "date": time.strftime("%Y-%m-%d"),
        "host": os.uname().nodename if hasattr(os, "uname") else "",
        "info": info(),
        "results": [asdict(r) for r in results],
        "comparisons": [{**asdict(c), "ratio": c.ratio} for c in comparisons],
    }
