"""Timing: our operations on each backend, and the peers on one core in the same run."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from .. import backends
from . import peers
from .operations import REGISTRY, Work
from .timing import Contender, Race, timed, versus

OURS = "chaincrypto"
"""Our contender's name in :func:`measure` and the races of :func:`compare`."""


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
    """Our best one-core rate beside a peer's, same machine, same run, in ``unit``; ``low`` and
    ``high`` bound the ratio of the rounds they ran in turns."""

    op: str
    ours: float
    peer: str
    theirs: float
    unit: str
    low: float
    high: float

    @property
    def ratio(self) -> float:
        """Best against best."""
        return self.ours / self.theirs


def operations() -> list[str]:
    """Every benchmarked operation's name."""
    return list(REGISTRY)


def measure(work: Work, min_time: float) -> float:
    """Best items per second over repeated runs (after one warm-up) lasting at least
    ``min_time`` in total."""
    alone = Contender(OURS, timed(work.run, work.items))
    return Race([alone]).run(min_time, 1).best(OURS)


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


def peer_contenders(op: str, round_s: float = peers.ROUND_S) -> list[Contender]:
    """Each installed peer of ``op`` as a :class:`~.timing.Contender` on one core, its rounds
    lasting ``round_s``."""
    found: list[Contender | None] = []
    if op in _HASH_PEERS:
        alg, nbytes = _HASH_PEERS[op]
        found.append(peers.openssl_hash(alg, nbytes, round_s))
        if nbytes == 64:  # per-call overhead matters for short messages only
            found.append(peers.hashlib_messages(alg, nbytes, round_s=round_s))
        return [c for c in found if c is not None]
    alg, _, kind = op.rpartition("-")
    if kind != "recover" and alg in _OPENSSL_SIGNATURES:
        found.append(peers.openssl_signature(_OPENSSL_SIGNATURES[alg], kind, round_s))
    if kind != "recover" and alg in ("p256", "secp256k1"):
        found.append(peers.cryptography(alg, kind, round_s=round_s))
    if alg == "secp256k1":
        found.append(peers.coincurve(kind, round_s=round_s))
    if alg == "sm2" and kind != "recover":
        found.append(peers.gmssl_c(kind, round_s=round_s))
    if op == "sm2-verify":
        found.append(peers.gmssl_verify(round_s=round_s))
    return [c for c in found if c is not None]


def compare(
    ops: Iterable[str] | None = None,
    quick: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[Comparison]:
    """Ours on one core against each installed peer on one core, raced in turns in the same run
    (:class:`~.timing.Race`): 3 rounds of :data:`~.peers.ROUND_S` each, or with ``quick`` 2
    rounds of 0.2 s (1 s for ``openssl speed``, its shortest). ``progress`` is called with a
    label before each operation."""
    round_s = 0.2 if quick else peers.ROUND_S
    rows = []
    for op in _check_ops(ops):
        if progress:
            progress(f"{op} against its peers")
        rivals = peer_contenders(op, round_s)
        if not rivals:
            continue
        entry = REGISTRY[op]
        work = entry.factory(entry.quick[0], "cpu", 1)
        ours = Contender(OURS, timed(work.run, work.items, round_s), work.item_bytes)
        race = Race([ours, *rivals]).run(0.0, 2 if quick else 3)
        for peer in rivals:
            rows.extend(_comparison(op, race, ours, peer))
    return rows


def _comparison(op: str, race: Race, ours: Contender, peer: Contender) -> list[Comparison]:
    in_bytes = bool(peer.item_bytes)
    scale = peer.item_bytes / ours.item_bytes if in_bytes else 1.0
    vs = versus(race.samples[ours.name], race.samples[peer.name], scale)
    if vs is None:
        return []
    unit, per = ("MB/s", ours.item_bytes / 1e6) if in_bytes else ("/s", 1.0)
    return [Comparison(op, vs.ours * per, peer.name, vs.theirs * per, unit, vs.low, vs.high)]


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
