"""Timing the CPU against the GPU on the same work at growing batch sizes, within a time budget,
to find the batch size from which the GPU is faster (the crossover)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from .. import Backend, BackendUnavailableError
from .workloads import WORKLOADS

#: Batch sizes tried, in order: powers of 4 from 64 (below which no GPU launch pays; Solana's
#: GPU verifier takes only batches above 64) to 4 Mi items.
SIZES: tuple[int, ...] = tuple(4**k for k in range(3, 12))
#: Seconds of measurement per op when calibrating on first use (and ``chaincrypto calibrate``'s
#: default); the kernels' one-time compilation comes on top.
BUDGET_S = 2.0


@dataclass(frozen=True)
class Point:
    """Best wall-clock seconds of one call at ``batch`` items on each backend."""

    batch: int
    cpu_s: float
    gpu_s: float


@dataclass(frozen=True)
class Calibration:
    """What :func:`calibrate` measured for ``op``: the crossover (None: the GPU was never faster
    in the measured range), every point, smallest batch first, and whether the sweep reached
    the largest size of its range (``exhausted``)."""

    op: str
    min_items: int | None
    points: tuple[Point, ...]
    exhausted: bool = True

    @property
    def final(self) -> bool:
        """True when the result may be kept: a crossover was found, or the GPU lost up to the
        largest size. False when the budget ran out first (the GPU might win further up)."""
        return self.min_items is not None or self.exhausted

    @property
    def measured_up_to(self) -> int:
        return self.points[-1].batch if self.points else 0


def crossover_of(points: tuple[Point, ...]) -> int | None:
    """The smallest measured batch from which the GPU is faster at every larger measured batch,
    or None when it is not faster at the largest."""
    found = None
    for point in reversed(points):
        if point.gpu_s >= point.cpu_s:
            break
        found = point.batch
    return found


def _seconds(fn: Callable[..., object], args: tuple[object, ...]) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def calibrate(
    op: str,
    gpu: Backend,
    cpu: Backend,
    *,
    budget_s: float = BUDGET_S,
    sizes: tuple[int, ...] = SIZES,
    repeats: int = 3,
    confirm: int = 2,
) -> Calibration:
    """Time ``op`` on ``cpu`` (all cores) and on ``gpu`` at each of ``sizes`` and return the
    crossover (:func:`crossover_of`).

    Each size is timed ``repeats`` times per backend, alternating, keeping the best. The sweep
    stops once the GPU has won at ``confirm`` sizes in a row (it only gains with size: launch
    and transfer costs are amortised), at the last size, or before a size whose estimated cost
    (the last one's, scaled by the size ratio) would overrun ``budget_s`` seconds. One untimed
    warm-up call per backend comes first and outside the budget: it compiles the kernels, a
    one-time cost every first GPU call pays anyway.
    """
    if op not in WORKLOADS:
        raise ValueError(f"op: no calibration workload for {op!r}; known: {', '.join(WORKLOADS)}")
    for backend in (cpu, gpu):
        if op not in backend.ops:
            raise BackendUnavailableError(f"the {backend.name} backend does not implement {op!r}")
    make, run_cpu, run_gpu = WORKLOADS[op], cpu.ops[op], gpu.ops[op]
    warm = make(sizes[0], cpu)
    run_cpu(*warm)
    run_gpu(*warm)

    start = time.perf_counter()
    points: list[Point] = []
    last_cost, wins = 0.0, 0
    for size in sizes:
        if points:
            estimate = last_cost * size / points[-1].batch
            if time.perf_counter() - start + estimate > budget_s:
                break
        t0 = time.perf_counter()
        args = make(size, cpu)
        cpu_s = gpu_s = float("inf")
        for _ in range(repeats):
            cpu_s = min(cpu_s, _seconds(run_cpu, args))
            gpu_s = min(gpu_s, _seconds(run_gpu, args))
        points.append(Point(size, cpu_s, gpu_s))
        last_cost = time.perf_counter() - t0
        wins = wins + 1 if gpu_s < cpu_s else 0
        if wins >= confirm:
            break
    found = tuple(points)
    return Calibration(op, crossover_of(found), found, len(found) == len(sizes))
