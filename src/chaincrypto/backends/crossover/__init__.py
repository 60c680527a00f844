"""The CPU/GPU crossover: per op, the smallest batch that "auto" sends to the GPU.

Resolved in this order, the first that has a value for the op wins:

1. ``env``: the variable ``CHAINCRYPTO_GPU_MIN_ITEMS``: ``N`` for every op, ``op=N,...`` per
   op, or both (``8192,sm2_verify=256``);
2. ``cached``: measured earlier on this machine (:mod:`.store`, keyed by GPUs, driver,
   numba-cuda, chaincrypto, CPU model and thread count);
3. ``shipped``: the table in the package for this GPU family;
4. ``calibrated``: measured now (:mod:`.measure`, about 2 s per op, announced in a log line) and
   cached, on the first batch large enough to be worth it, on a real GPU only;
5. ``provisional``: :data:`PROVISIONAL_MIN_ITEMS` (the simulator, an op without a workload, or a
   calibration that failed).

Nothing here detects a GPU by itself: :func:`floor` decides without loading anything whether a
batch is big enough to look at the GPU at all, so small batches never import numba.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import Backend, BackendUnavailableError, load
from . import store
from .measure import BUDGET_S, SIZES, Calibration, calibrate
from .workloads import WORKLOADS

__all__ = [
    "ENV",
    "PROVISIONAL_MIN_ITEMS",
    "Calibration",
    "Crossover",
    "calibrate",
    "calibrate_and_store",
    "env_overrides",
    "floor",
    "report",
    "resolve",
]

ENV = "CHAINCRYPTO_GPU_MIN_ITEMS"
#: Used where nothing was measured: a guess from launch and transfer costs, not a measurement.
PROVISIONAL_MIN_ITEMS = 1 << 16

_log = logging.getLogger("chaincrypto")
_lock = threading.Lock()
#: Per op, what this process resolved from the cache, the shipped table or a calibration.
_resolved: dict[str, Crossover] = {}


@dataclass(frozen=True)
class Crossover:
    """The smallest batch of ``op`` that "auto" sends to the GPU (None: never) and where that
    number comes from: ``env``, ``cached``, ``shipped``, ``calibrated`` or ``provisional``."""

    op: str
    min_items: int | None
    source: str


def _bad_env(raw: str, why: str) -> ValueError:
    return ValueError(
        f"{ENV}: {why} (expected N or op=N,... with N a non-negative integer), got {raw!r}"
    )


def env_overrides() -> dict[str, int]:
    """``CHAINCRYPTO_GPU_MIN_ITEMS`` parsed: op -> N, with ``"*"`` for a bare N (every op);
    ``ValueError`` naming the variable when it is malformed or names an unknown op."""
    raw = os.environ.get(ENV, "").strip()
    found: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        op, eq, value = part.rpartition("=")
        op = op.strip() if eq else "*"
        if eq and op not in WORKLOADS:
            raise _bad_env(raw, f"unknown operation {op!r}; known: {', '.join(WORKLOADS)}")
        value = value.strip()
        if not (value.isascii() and value.isdigit()):
            raise _bad_env(raw, f"{value!r} is not a non-negative integer")
        found[op] = int(value)
    return found


def _env_value(op: str) -> int | None:
    found = env_overrides()
    return found.get(op, found.get("*"))


def floor(op: str) -> int:
    """The smallest batch of ``op`` for which "auto" looks at the GPU at all (detecting it,
    perhaps calibrating): the environment's value if set, else the smallest calibrated size."""
    override = _env_value(op)
    return SIZES[0] if override is None else override


def _known(op: str) -> Crossover | None:
    """The op's crossover from the cache or the shipped table, if either has one."""
    machine = store.this_machine()
    cached = store.load_cached(machine)
    if op in cached:
        return Crossover(op, cached[op], "cached")
    if machine.gpus:
        shipped = store.shipped_for(machine.gpus[0], store.shipped_families())
        if op in shipped:
            return Crossover(op, shipped[op], "shipped")
    return None


def _cpu() -> Backend:
    cpu, why = load("cpu")
    if cpu is None:
        raise BackendUnavailableError(f"backend 'cpu' is not available: {why}")
    return cpu


def _calibrate_now(op: str, gpu: Backend) -> Crossover:
    cpu = _cpu()
    _log.warning(
        "chaincrypto: measuring where the GPU overtakes the CPU for %s (about %.0f s, once per "
        "machine; cached in %s; set %s or run 'chaincrypto calibrate' to avoid this)",
        op,
        BUDGET_S,
        store.cache_dir(),
        ENV,
    )
    try:
        found = calibrate(op, gpu, cpu)
    except Exception as exc:  # a broken device must not break the call that asked
        _log.warning("chaincrypto: calibrating %s failed (%s: %s)", op, type(exc).__name__, exc)
        return Crossover(op, PROVISIONAL_MIN_ITEMS, "provisional")
    if not found.final:
        _log.warning(
            "chaincrypto: the GPU was not faster for %s up to %d items within the budget; not"
            " cached, provisional for this process ('chaincrypto calibrate --budget' measures"
            " further)",
            op,
            found.measured_up_to,
        )
        return Crossover(op, PROVISIONAL_MIN_ITEMS, "provisional")
    try:
        store.save(store.this_machine(), {op: found.min_items})
    except OSError as exc:
        _log.warning("chaincrypto: cannot write the crossover cache (%s)", exc)
    return Crossover(op, found.min_items, "calibrated")


def resolve(op: str, gpu: Backend | None, *, calibrate_if_missing: bool = True) -> Crossover:
    """``op``'s crossover on ``gpu`` (None: no usable GPU), by the order in the module doc.

    Only a backend that "auto" may pick (a real GPU, not the simulator) is ever measured, and
    only with ``calibrate_if_missing``; what this process resolved is kept for the next call.
    """
    override = _env_value(op)
    if override is not None:
        return Crossover(op, override, "env")
    if gpu is None or not gpu.auto:
        return Crossover(op, PROVISIONAL_MIN_ITEMS, "provisional")
    found = _resolved.get(op)
    if found is not None:
        return found
    with _lock:  # one calibration per op, however many threads ask at once
        found = _resolved.get(op) or _known(op)
        if found is None and calibrate_if_missing and op in WORKLOADS:
            found = _calibrate_now(op, gpu)
        if found is None:
            found = Crossover(op, PROVISIONAL_MIN_ITEMS, "provisional")
            if op in WORKLOADS and not calibrate_if_missing:
                return found  # not final: the first large batch still measures it
        _resolved[op] = found
        return found


def report(gpu: Backend | None) -> dict[str, dict[str, int | str | None]]:
    """Every op's crossover and source as a JSON-serialisable dict, measuring nothing: the ops
    of ``gpu`` that "auto" may route, or every such op that has a workload when there is no GPU
    backend."""
    from ..cuda import NEVER_AUTO

    ops = sorted(op for op in (gpu.ops if gpu is not None else WORKLOADS) if op not in NEVER_AUTO)
    out: dict[str, dict[str, int | str | None]] = {}
    for op in ops:
        found = resolve(op, gpu, calibrate_if_missing=False)
        out[op] = {"min_items": found.min_items, "source": found.source}
    return out


def calibrate_and_store(
    ops: Iterable[str] | None = None,
    *,
    budget_s: float = BUDGET_S,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[Calibration], Path]:
    """Measure ``ops`` (default: every op "auto" may route that the GPU backend implements and
    that has a workload; ops it lacks are skipped) on this machine's GPU, cache the results
    and use them from now on (only :attr:`~.measure.Calibration.final` results: a sweep that
    the budget cut short before the GPU won is returned but not kept). Returns the measurements
    and the cache file.
    ``BackendUnavailableError`` without a real GPU (the simulator's timings mean nothing)."""
    gpu, why = load("cuda")
    if gpu is None or not gpu.auto:
        raise BackendUnavailableError(f"calibration needs a real GPU: {why}")
    cpu = _cpu()
    from ..cuda import NEVER_AUTO

    chosen = list(ops) if ops is not None else [op for op in WORKLOADS if op not in NEVER_AUTO]
    unknown = [op for op in chosen if op not in WORKLOADS]
    if unknown:
        raise ValueError(
            f"ops: unknown operation(s) {', '.join(unknown)}; known: {', '.join(WORKLOADS)}"
        )
    results = []
    for op in (op for op in chosen if op in gpu.ops):
        if progress:
            progress(op)
        results.append(calibrate(op, gpu, cpu, budget_s=budget_s))
    kept = [r for r in results if r.final]  # a sweep cut short by the budget says nothing yet
    path = store.save(store.this_machine(), {r.op: r.min_items for r in kept})
    with _lock:
        _resolved.update({r.op: Crossover(r.op, r.min_items, "calibrated") for r in kept})
    return results, path
