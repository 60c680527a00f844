"""SM2 verification and SM3 hashing on a LocalCluster of 1 and 2 one-thread worker processes,
against the single-process library on one core in the same run.

Inputs are persisted on the workers first, so the timings are the computation plus Dask's task
overhead (not the transfer of inputs). ``python benches/bench_distributed.py`` prints a table;
under pytest (``pytest benches/bench_distributed.py --benchmark-enable``) each case is a
benchmark with ``items_per_s`` and ``ratio`` (to the one-core in-process rate) in extra_info.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from chaincrypto.bench.timing import best_seconds

distributed = pytest.importorskip("distributed")

import dask.array as da  # noqa: E402

import chaincrypto as cc  # noqa: E402
from chaincrypto import distributed as ccd  # noqa: E402

VERIFY_N = 40_000
HASH_N = 1 << 21  # 2 Mi 64-byte messages


def verify_inputs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``VERIFY_N`` raw SM2 signatures (400 distinct, tiled) as (n, k) uint8 arrays."""
    unique = 400
    sk = cc.sm2.PrivateKey.generate()
    msgs = np.random.default_rng(0).integers(0, 256, (unique, 32), dtype=np.uint8)
    sigs = np.array([list(sk.sign(m.tobytes(), encoding="raw")) for m in msgs], np.uint8)
    pubs = np.tile(np.frombuffer(sk.public_key.to_bytes(), np.uint8), (unique, 1))
    reps = VERIFY_N // unique
    return np.tile(pubs, (reps, 1)), np.tile(msgs, (reps, 1)), np.tile(sigs, (reps, 1))


def hash_inputs() -> np.ndarray:
    return np.random.default_rng(1).integers(0, 256, (HASH_N, 64), dtype=np.uint8)


def local_rates() -> dict[str, float]:
    """One-core, in-process items/s of each operation (best of 3)."""
    pubs, msgs, sigs = verify_inputs()
    data = hash_inputs()
    work: dict[str, tuple[Callable[[], object], int]] = {
        "sm2 verify": (
            lambda: cc.sm2.verify_batch(
                pubs[:4000], msgs[:4000], sigs[:4000], encoding="raw", threads=1
            ),
            4000,
        ),
        "sm3 hash_many (64 B)": (lambda: cc.hash_many(data[: 1 << 18], threads=1), 1 << 18),
    }
    return {name: n / best_seconds(fn) for name, (fn, n) in work.items()}


def _verify_one_core(pubs: np.ndarray, msgs: np.ndarray, sigs: np.ndarray) -> object:
    n = 4000
    return cc.sm2.verify_batch(pubs[:n], msgs[:n], sigs[:n], encoding="raw", threads=1)


def cluster_rates(n_workers: int, one_core: bool = False) -> dict[str, float]:
    """Items/s of each operation on a LocalCluster of ``n_workers`` one-thread processes; each
    task uses its share of the cores, or exactly one core with ``one_core``
    (``CHAINCRYPTO_THREADS=1`` on the workers)."""
    env = {"CHAINCRYPTO_THREADS": "1"} if one_core else {}
    with (
        distributed.LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=40,
            env=env,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        pubs, msgs, sigs = (a[:400] for a in verify_inputs())
        reps = VERIFY_N // 400
        arrays = [
            da.tile(da.from_array(a), (reps, 1)).rechunk((8000, -1)) for a in (pubs, msgs, sigs)
        ]
        data = da.random.default_rng(1).integers(0, 256, (HASH_N, 64), dtype=np.uint8,
                                                 chunks=(1 << 18, -1))  # fmt: skip
        arrays, data = client.persist(arrays), client.persist(data)
        distributed.wait([*arrays, data])
        verify = ccd.verify_batch(*arrays, algorithm="sm2")
        digests = ccd.hash_many(data, "sm3")

        def seconds(x: Any) -> float:
            """One run, kept on the workers rather than gathered (a second run of the same
            graph would find its results already there, so each graph is timed once; the
            workers are warm from the partition-size calibration)."""
            t0 = time.perf_counter()
            distributed.wait(client.persist(x))
            return time.perf_counter() - t0

        return {
            "sm2 verify": VERIFY_N / seconds(verify),
            "sm3 hash_many (64 B)": HASH_N / seconds(digests),
        }


def table() -> list[list[str]]:
    base = local_rates()
    rows = [[op, "in-process, 1 core", f"{r:,.0f}", "1.00x"] for op, r in base.items()]
    for one_core in (True, False):
        for n in (1, 2):
            where = f"{n} worker(s), " + ("1 core each" if one_core else "all cores")
            for op, r in cluster_rates(n, one_core).items():
                rows.append([op, where, f"{r:,.0f}", f"{r / base[op]:.2f}x"])
    return rows


@pytest.mark.parametrize("one_core", [True, False], ids=["one-core-workers", "all-cores"])
@pytest.mark.parametrize("n_workers", [1, 2])
def test_local_cluster_throughput(benchmark: Any, n_workers: int, one_core: bool) -> None:
    base = local_rates()
    rates = benchmark.pedantic(cluster_rates, args=(n_workers, one_core), rounds=1, iterations=1)
    for op, r in rates.items():
        benchmark.extra_info[op] = {"items_per_s": round(r), "ratio": round(r / base[op], 3)}
        print(f"\n{op}, {n_workers} worker(s): {r:,.0f}/s = {r / base[op]:.2f}x one core")


if __name__ == "__main__":
    for row in table():
        print(f"{row[0]:<22}{row[1]:<26}{row[2]:>14}/s  {row[3]:>6}")
