"""Compile every CUDA kernel into numba's on-disk cache, one process per backend op in parallel.

numba compiles a kernel on its first launch, single-threaded: the SM2/ECDSA kernels take about a
minute each, which would eat most of a short GPU session if each benchmark and test compiled
them in turn. Run on a GPU host before the benchmarks and tests (scripts/gpu_run.sh does); they
then load the kernels from the cache (``cache=True``). Each process runs its op once on a few
items of the calibration workload and reports how long that first call took.

    python scripts/cuda_warm.py [--jobs N] [--items N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def first_call(op: str, items: int) -> tuple[str, float, str]:
    """``(op, seconds, error)`` of the CUDA backend's first call of ``op`` on ``items`` items."""
    from chaincrypto import backends
    from chaincrypto.backends.crossover.workloads import WORKLOADS

    cpu, gpu = backends.load("cpu")[0], backends.load("cuda")
    if cpu is None or gpu[0] is None:
        return op, 0.0, f"no CUDA backend: {gpu[1]}"
    args = WORKLOADS[op](items, cpu)
    t0 = time.perf_counter()
    try:
        gpu[0].op(op)(*args)
        from numba import cuda

        cuda.synchronize()
    except Exception as exc:
        return op, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}".splitlines()[0]
    return op, time.perf_counter() - t0, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    parser.add_argument("--items", type=int, default=64, help="batch size of each first call")
    args = parser.parse_args()
    from chaincrypto.backends.crossover.workloads import WORKLOADS

    ops = list(WORKLOADS)
    t0 = time.perf_counter()
    context = multiprocessing.get_context("spawn")  # a CUDA context does not survive fork
    with ProcessPoolExecutor(max(1, min(args.jobs, len(ops))), mp_context=context) as pool:
        results = list(pool.map(first_call, ops, [args.items] * len(ops)))
    failed = 0
    for op, seconds, error in results:
        failed += bool(error)
        print(f"{op:<22} {seconds:7.1f} s  {error or 'compiled and cached'}")
    print(f"all kernels in {time.perf_counter() - t0:.0f} s wall")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
