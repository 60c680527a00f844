"""Timing: our operations on each backend, and the peers on one core in the same run."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from .. import backends
from . import peers
from .operations import REGISTRY, Work


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


@dataclass(frozen=True)
class Comparison:
    """Our one-core rate beside a peer's, same machine, same run, in ``unit``."""

    op: str
    ours: float
    peer: str
    theirs: float
    unit: str

    @property
    def ratio(self) -> float:
        return self.ours / self.theirs if self.theirs else float("nan")


def operations() -> list[str]:
    """Every benchmarked operation's name."""
    return list(REGISTRY)


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


def _check_ops(ops: Iterable[str] | None) -> list[str]:
    chosen = list(ops) if ops else operations()
    unknown = [op for op in chosen if op not in REGISTRY]
    if unknown:
        raise ValueError(
            f"ops: unknown operation(s) {', '.join(unknown)}; known: {', '.join(REGISTRY)}"
        )
    return chosen


def plan(
    ops: Iterable[str] | None = None,
    backend_names: Iterable[str] | None = None,
    sizes: Iterable[int] | None = None,
    *,
    quick: bool = False,
) -> list[tuple[str, str, int]]:
    """The (operation, backend, batch size) steps a :func:`run` with these arguments times."""
    chosen = _check_ops(ops)
    names = (
        list(backend_names)
        if backend_names
        else [n for n in backends.NAMES if backends.load(n)[0] is not None]
    )
    for name in names:
        if backends.load(name)[0] is None:
            why = backends.load(name)[1]
            raise backends.BackendUnavailableError(f"backend {name!r} is not available: {why}")
    fixed = list(sizes) if sizes else None
    steps = []
    for op in chosen:
        entry = REGISTRY[op]
        for name in names:
            loaded = backends.load(name)[0]
            if loaded is None or entry.backend_op not in loaded.ops:
                continue  # e.g. signatures on a backend without signature kernels
            steps.extend((op, name, s) for s in fixed or (entry.quick if quick else entry.full))
    return steps


def run(
    ops: Iterable[str] | None = None,
    backend_names: Iterable[str] | None = None,
    sizes: Iterable[int] | None = None,
    *,
    quick: bool = False,
    threads: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Result]:
    """Benchmark ``ops`` (default: all) on ``backend_names`` (default: every available one);
    ``progress`` is called with a label before each step of :func:`plan`."""
    min_time = 0.2 if quick else 1.0
    results = []
    for op, name, size in plan(ops, backend_names, sizes, quick=quick):
        if progress:
            progress(f"{op} on {name}, batch {size:,}")
        work = REGISTRY[op].factory(size, name, threads)
        rate = measure(work, min_time)
        results.append(Result(op, name, size, rate, rate * work.item_bytes / 1e6, threads))
    return results


_HASH_PEERS = {
    "sm3-64B": ("sm3", 64),
    "sha256-64B": ("sha256", 64),
    "sm3-1MiB": ("sm3", 16384),
    "sha256-1MiB": ("sha256", 16384),
}
_OPENSSL_SIGNATURES = {"sm2": "sm2", "p256": "ecdsap256"}


def _ours_one_core(op: str, quick: bool) -> tuple[float, Work]:
    entry = REGISTRY[op]
    work = entry.factory(entry.quick[0], "cpu", 1)
    return measure(work, 0.2 if quick else 1.0), work


def peer_rates(op: str, quick: bool = False) -> list[tuple[str, float, str]]:
    """(peer name, peer rate, unit) for each installed peer of ``op``, measured now on one core;
    items/s unless unit says MB/s."""
    seconds = 1 if quick else 3
    if op in _HASH_PEERS:
        alg, nbytes = _HASH_PEERS[op]
        rows: list[tuple[str, float, str]] = []
        rate = peers.openssl_hash(alg, nbytes, seconds)
        if rate is not None:
            rows.append((f"openssl speed -evp {alg} -bytes {nbytes}", rate * nbytes / 1e6, "MB/s"))
        if nbytes == 64:  # per-call overhead matters for short messages only
            rate = peers.hashlib_rate(alg, nbytes, min_time=0.2 if quick else 0.5)
            if rate is not None:
                rows.append((f"hashlib.new({alg!r}) per message", rate * nbytes / 1e6, "MB/s"))
        return rows
    alg, _, kind = op.rpartition("-")
    rows: list[tuple[str, float, str]] = []
    if kind != "recover" and alg in _OPENSSL_SIGNATURES:
        rates = peers.openssl_signature(_OPENSSL_SIGNATURES[alg], seconds)
        if rates:
            rows.append(
                (f"openssl speed {_OPENSSL_SIGNATURES[alg]}", rates[kind == "verify"], "/s")
            )
    if kind != "recover" and alg in ("p256", "secp256k1"):
        rates = peers.cryptography_rates(alg, min_time=0.3 if quick else 1.0)
        if rates:
            rows.append(("OpenSSL via cryptography", rates[kind == "verify"], "/s"))
    if alg == "secp256k1":
        crates = peers.coincurve_rates(min_time=0.3 if quick else 1.0)
        if crates:
            rows.append(("libsecp256k1 (coincurve)", crates[kind], "/s"))
    if op == "sm2-verify":
        rate = peers.gmssl_verify_rate(10 if quick else 40)
        if rate:
            rows.append(("gmssl (pure Python)", rate, "/s"))
    return rows


def compare(ops: Iterable[str] | None = None, quick: bool = False) -> list[Comparison]:
    """Ours on one core against each installed peer's one-core rate, in the same run."""
    rows = []
    for op in _check_ops(ops):
        peer_rows = peer_rates(op, quick)
        if not peer_rows:
            continue
        ours, work = _ours_one_core(op, quick)
        for peer, theirs, unit in peer_rows:
            value = ours * work.item_bytes / 1e6 if unit == "MB/s" else ours
            rows.append(Comparison(op, value, peer, theirs, unit))
    return rows


def as_json(results: list[Result], comparisons: list[Comparison]) -> dict[str, object]:
    """The run as a JSON-serialisable dict, with the host's ``info()``."""
    from ..info import info

    return {
        "date": time.strftime("%Y-%m-%d"),
        "host": os.uname().nodename if hasattr(os, "uname") else "",
        "info": info(),
        "results": [asdict(r) for r in results],
        "comparisons": [{**asdict(c), "ratio": c.ratio} for c in comparisons],
    }
