"""Merkle tree throughput (pytest-benchmark; run with ``pytest benches/ --benchmark-enable``).

The tree over n leaves is n - 1 hashes of 64-byte messages, so its peer in the same run is
``hash_many`` of n 64-byte messages on the same number of threads: the target is a tree rate of
at least 0.9x that batched hashing rate (recorded as ``extra_info["tree_vs_hash"]``).
"""

from __future__ import annotations

import resource
import time

import numpy as np
import pytest

import chaincrypto as cc
from chaincrypto.bench import Contender, Race
from chaincrypto.bench.timing import timed

N20 = 1 << 20
N24 = 1 << 24


@pytest.fixture(scope="module")
def leaves20() -> np.ndarray:
    return np.random.default_rng(1).integers(0, 256, size=(N20, 32), dtype=np.uint8)


@pytest.fixture(scope="module")
def msgs20() -> np.ndarray:
    return np.random.default_rng(2).integers(0, 256, size=(N20, 64), dtype=np.uint8)


@pytest.mark.benchmark(group="merkle-2^20-1thread")
def test_root_2p20_sm3_one_thread(benchmark, leaves20: np.ndarray) -> None:
    benchmark.pedantic(
        cc.merkle_root,
        args=(leaves20,),
        kwargs={"hash": "sm3", "threads": 1},
        rounds=3,
        iterations=1,
    )


@pytest.mark.benchmark(group="merkle-2^20-1thread")
def test_hash_many_2p20_64B_one_thread(benchmark, msgs20: np.ndarray) -> None:
    benchmark.pedantic(
        cc.hash_many, args=(msgs20, "sm3"), kwargs={"threads": 1}, rounds=3, iterations=1
    )


@pytest.mark.benchmark(group="merkle-2^20-1thread")
def test_tree_vs_hash_ratio(benchmark, leaves20: np.ndarray, msgs20: np.ndarray) -> None:
    """The two race in turns (:class:`~chaincrypto.bench.Race`), so machine noise hits them
    alike; best of 3 rounds each."""

    def tree() -> object:
        return cc.merkle_root(leaves20, hash="sm3", threads=1)

    def flat() -> object:
        return cc.hash_many(msgs20, "sm3", threads=1)

    def both() -> float:
        contenders = [Contender("tree", timed(tree, N20 - 1)), Contender("hash", timed(flat, N20))]
        race = Race(contenders).run(0.0, 3)
        tree_rate, hash_rate = race.best("tree"), race.best("hash")
        benchmark.extra_info.update(
            tree_hashes_per_s=round(tree_rate),
            hash64_per_s=round(hash_rate),
            tree_vs_hash=round(tree_rate / hash_rate, 3),
        )
        return tree_rate / hash_rate

    ratio = benchmark.pedantic(both, rounds=1, iterations=1)
    print(f"\ntree/hash rate ratio (SM3, 1 thread, 2^20): {ratio:.3f}")


@pytest.mark.benchmark(group="merkle-2^20-schemes")
@pytest.mark.parametrize(
    ("scheme", "alg"), [("chainmaker", "sha256"), ("bitcoin", "sha256"), ("rfc6962", "sha256")]
)
def test_root_2p20_schemes(benchmark, leaves20: np.ndarray, scheme: str, alg: str) -> None:
    benchmark.pedantic(
        cc.merkle_root,
        args=(leaves20,),
        kwargs={"hash": alg, "scheme": scheme, "threads": 1},
        rounds=2,
        iterations=1,
    )


@pytest.mark.benchmark(group="merkle-2^20-tree")
def test_merkle_tree_2p20_all_threads(benchmark, leaves20: np.ndarray) -> None:
    tree = benchmark.pedantic(cc.MerkleTree, args=(leaves20,), rounds=2, iterations=1)
    idx = np.random.default_rng(3).integers(0, N20, size=10_000)
    t = time.perf_counter()
    batch = tree.proofs(idx)
    benchmark.extra_info["proofs_10k_s"] = round(time.perf_counter() - t, 4)
    t = time.perf_counter()
    ok = cc.verify_proofs(tree.root, leaves20[idx], idx, batch, n_leaves=N20)
    benchmark.extra_info["verify_10k_s"] = round(time.perf_counter() - t, 4)
    assert ok.all()


@pytest.mark.benchmark(group="merkle-2^24-all-threads")
def test_root_2p24_all_threads(benchmark) -> None:
    """2^24 leaves = 512 MiB of input; the root must need little memory beyond it."""
    leaves = np.empty((N24, 32), dtype=np.uint8)
    rng = np.random.default_rng(4)
    for i in range(0, N24, 1 << 20):
        leaves[i : i + (1 << 20)] = rng.integers(0, 256, size=(1 << 20, 32), dtype=np.uint8)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    benchmark.pedantic(
        cc.merkle_root, args=(leaves,), kwargs={"hash": "sm3"}, rounds=1, iterations=1
    )
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    benchmark.extra_info["peak_rss_growth_MiB"] = round(grown_kib / 1024, 1)
    benchmark.extra_info["leaves_per_s"] = round(N24 / benchmark.stats.stats.mean)
    assert grown_kib < 64 * 1024  # far below the 512 MiB input
