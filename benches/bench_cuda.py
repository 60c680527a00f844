"""CUDA throughput on a GPU host: SM3 / SHA-256 of 2^20 64-byte messages (kernel only, data
already on the device; and end to end from host arrays) and Merkle roots of 2^24 leaves (leaves
on the device; and end to end), each beside the C backend on all cores in the same run.

Run ``python benches/bench_cuda.py [--json FILE] [--quick]`` (scripts/gpu_run.sh does); under
pytest (``pytest benches/bench_cuda.py``) a quick version runs, skipped without a GPU.
Targets (H100): SM3 64 B >= 5e9/s, SHA-256 64 B >= 8e9/s, Merkle root of 2^24 leaves <= 10 ms.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from chaincrypto.bench.timing import best_seconds


def _best(fn: Callable[[], Any], reps: int) -> float:
    """Best wall time of ``reps`` calls (seconds), after one warm-up call."""
    fn()
    return best_seconds(fn, reps)


def _kernel_time(fn: Callable[[], Any], reps: int) -> float:
    """Best device time of ``reps`` calls (seconds) between CUDA events, after a warm-up."""
    from numba import cuda

    fn()
    cuda.synchronize()
    best = float("inf")
    for _ in range(reps):
        start, end = cuda.event(), cuda.event()
        start.record()
        fn()
        end.record()
        end.synchronize()
        best = min(best, start.elapsed_time(end) / 1e3)
    return best


def _row(
    op: str, batch: int, kernel_s: float, e2e_s: float | None, cpu_s: float | None
) -> dict[str, Any]:
    """A table row; no end-to-end or CPU time (None) for a kernel-only row."""
    return {
        "op": op,
        "batch": batch,
        "gpu_kernel_items_per_s": batch / kernel_s,
        "gpu_end_to_end_items_per_s": batch / e2e_s if e2e_s else None,
        "cpu_all_cores_items_per_s": batch / cpu_s if cpu_s else None,
        "kernel_seconds": kernel_s,
        "end_to_end_seconds": e2e_s,
    }


def bench_hashing(algorithm: str, n: int, reps: int) -> dict[str, Any]:
    """Rates for ``n`` 64-byte messages."""
    from numba import cuda

    import chaincrypto as cc
    from chaincrypto.cuda.hashing import hash_words_device

    rows = np.random.default_rng(1).integers(0, 256, (n, 64), dtype=np.uint8)
    d_words = cuda.to_device(rows.view(np.uint32))
    d_out = cuda.device_array((n, 8), dtype=np.uint32)
    t0 = time.perf_counter()
    hash_words_device(algorithm, d_words, d_out)
    cuda.synchronize()
    compile_s = time.perf_counter() - t0
    kernel_s = _kernel_time(lambda: hash_words_device(algorithm, d_words, d_out), reps)
    e2e_s = _best(lambda: cc.hash_many(rows, algorithm, backend="cuda"), reps)
    cpu_s = _best(lambda: cc.hash_many(rows, algorithm, backend="cpu"), reps)
    got = cc.hash_many(rows[:4096], algorithm, backend="cuda")
    assert np.array_equal(got, cc.hash_many(rows[:4096], algorithm, backend="cpu"))
    return {**_row(f"{algorithm}-64B", n, kernel_s, e2e_s, cpu_s), "first_call_s": compile_s}


def bench_merkle(scheme: str, algorithm: str, n: int, reps: int) -> dict[str, Any]:
    """Rates (leaves/s) for the root of ``n`` leaves."""
    from numba import cuda

    from chaincrypto import backends
    from chaincrypto.cuda.merkle import merkle_root, root_device

    leaves = np.random.default_rng(2).integers(0, 256, (n, 32), dtype=np.uint8)
    d_nodes = cuda.to_device(leaves.view(np.uint32))
    t0 = time.perf_counter()
    root = root_device(scheme, algorithm, d_nodes)
    compile_s = time.perf_counter() - t0
    kernel_s = _best(lambda: root_device(scheme, algorithm, d_nodes), reps)
    e2e_s = _best(lambda: merkle_root(scheme, algorithm, leaves), reps)
    cpu = backends.load("cpu")[0]
    cpu_s = None
    if cpu is not None and "merkle_root" in cpu.ops:
        cpu_root = cpu.ops["merkle_root"]
        assert cpu_root(scheme, algorithm, leaves, None) == root
        cpu_s = _best(lambda: cpu_root(scheme, algorithm, leaves, None), max(1, reps // 2))
    row = _row(f"merkle-{scheme}-{algorithm}", n, kernel_s, e2e_s, cpu_s)
    return {**row, "first_call_s": compile_s, "root_ms_leaves_on_device": kernel_s * 1e3}


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Every benchmark row (smaller batches with ``quick``)."""
    n_hash, n_tree, reps = (1 << 16, 1 << 16, 3) if quick else (1 << 20, 1 << 24, 10)
    rows = [bench_hashing(alg, n_hash, reps) for alg in ("sm3", "sha256")]
    for scheme, alg in (("chainmaker", "sm3"), ("chainmaker", "sha256"), ("bitcoin", "sha256")):
        rows.append(bench_merkle(scheme, alg, n_tree, reps))
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """A short fixed-width table of the rows."""

    def rate(x: float | None) -> str:
        return f"{x:.3g}" if x else "-"

    head = (
        f"{'op':<26}{'batch':>10}{'GPU kernel/s':>14}{'GPU e2e/s':>12}{'CPU/s':>12}{'speedup':>9}"
    )
    lines = [head]
    for r in rows:
        cpu = r["cpu_all_cores_items_per_s"]
        e2e = r["gpu_end_to_end_items_per_s"]
        speed = f"{e2e / cpu:.1f}x" if cpu and e2e else "-"
        lines.append(
            f"{r['op']:<26}{r['batch']:>10}{rate(r['gpu_kernel_items_per_s']):>14}"
            f"{rate(e2e):>12}{rate(cpu):>12}{speed:>9}"
        )
    return "\n".join(lines)


def quick_test(run_fn: Callable[..., list[dict[str, Any]]]) -> None:
    """Print a quick run of ``run_fn`` under pytest; skipped without a real GPU."""
    import pytest

    pytest.importorskip("numba.cuda")
    from chaincrypto import backends

    loaded, why = backends.load("cuda")
    if loaded is None or not loaded.auto:
        pytest.skip(f"no CUDA GPU: {why}")
    print("\n" + table(run_fn(quick=True)))


def cli(run_fn: Callable[..., list[dict[str, Any]]], doc: str) -> None:
    """The command line of a CUDA benchmark script: ``[--json FILE] [--quick]``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--json", help="write the rows here")
    parser.add_argument("--quick", action="store_true", help="small batches")
    args = parser.parse_args()
    from chaincrypto import backends

    loaded, why = backends.load("cuda")
    print(f"cuda backend: {why}")
    if loaded is None or not loaded.auto:
        raise SystemExit("no CUDA GPU: nothing to benchmark")
    rows = run_fn(args.quick)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"status": why, "rows": rows}, f, indent=1)
    print(table(rows))


def test_cuda_quick() -> None:
    """Quick run under pytest; skipped without a real GPU."""
    quick_test(run)


if __name__ == "__main__":
    cli(run, __doc__ or "")
