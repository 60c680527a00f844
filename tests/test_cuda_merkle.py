"""CUDA Merkle levels (chainmaker, bitcoin, rfc6962) against a level-by-level reference built
on the C backend's batch hash (and against the C backend's own Merkle ops where present):
n = 1..40 leaves under the CUDA simulator, 2^20 leaves on a GPU host (``-m cuda``)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("numba")
pytest.importorskip("numba.cuda")

from cuda_support import gpu, reference_levels, run_simulated, simulated

from chaincrypto import backends
from chaincrypto._inputs import as_items

CASES = [
    ("chainmaker", "sm3"),
    ("chainmaker", "sha256"),
    ("bitcoin", "sha256"),
    ("rfc6962", "sha256"),
    ("rfc6962", "sm3"),
]


def test_simulator_run() -> None:
    run_simulated(__file__)


def _leaves(scheme: str, n: int, seed: int) -> list[bytes]:
    rng = np.random.default_rng(seed)
    if scheme == "rfc6962":
        return [
            rng.integers(0, 256, int(rng.integers(0, 70)), np.uint8).tobytes() for _ in range(n)
        ]
    return [rng.integers(0, 256, 32, np.uint8).tobytes() for _ in range(n)]


def _arg(scheme: str, leaves: list[bytes]):  # type: ignore[no-untyped-def]
    """The op's leaf argument: (n, 32) nodes, or Items of raw data for rfc6962."""
    if scheme == "rfc6962":
        return as_items(leaves, "leaves")
    return np.frombuffer(b"".join(leaves), np.uint8).reshape(-1, 32)


def _op(backend: str, name: str):  # type: ignore[no-untyped-def]
    loaded = backends.load(backend)[0]
    return loaded.ops.get(name) if loaded is not None else None


@simulated
@pytest.mark.parametrize(("scheme", "algorithm"), CASES)
def test_roots_1_to_40(scheme: str, algorithm: str) -> None:
    root_op, cpu_root = _op("cuda", "merkle_root"), _op("cpu", "merkle_root")
    for n in range(1, 41):
        leaves = _leaves(scheme, n, n)
        levels, mutated = reference_levels(scheme, algorithm, leaves)
        got = root_op(scheme, algorithm, _arg(scheme, leaves))
        assert got == (levels[-1][0].tobytes(), mutated), (scheme, algorithm, n)
        if cpu_root is not None:  # the C backend's Merkle ops, once merged
            assert got == cpu_root(scheme, algorithm, _arg(scheme, leaves), None)


@simulated
@pytest.mark.parametrize(("scheme", "algorithm"), CASES)
@pytest.mark.parametrize("n", [1, 2, 3, 7, 13])
def test_levels(scheme: str, algorithm: str, n: int) -> None:
    leaves = _leaves(scheme, n, 100 + n)
    want, mutated = reference_levels(scheme, algorithm, leaves)
    got, got_mutated = _op("cuda", "merkle_levels")(scheme, algorithm, _arg(scheme, leaves))
    assert got_mutated == mutated
    assert [level.tolist() for level in got] == [level.tolist() for level in want]


@simulated
@pytest.mark.parametrize("scheme", ["chainmaker", "bitcoin"])
def test_mutated_flag(scheme: str) -> None:
    leaves = _leaves(scheme, 6, 9)
    root_op = _op("cuda", "merkle_root")
    assert root_op(scheme, "sha256", _arg(scheme, leaves))[1] is False
    dup = [*leaves[:4], leaves[4], leaves[4]]  # an equal adjacent pair at level 0
    root, mutated = root_op(scheme, "sha256", _arg(scheme, dup))
    assert mutated is True
    assert root == root_op(scheme, "sha256", _arg(scheme, dup[:5]))[0]  # CVE-2012-2459 shape
    assert root_op("rfc6962", "sha256", as_items(dup, "leaves"))[1] is False


@simulated
def test_rfc6962_equal_length_array_leaves() -> None:
    rows = np.random.default_rng(4).integers(0, 256, (11, 40), dtype=np.uint8)
    levels, _ = reference_levels("rfc6962", "sha256", [r.tobytes() for r in rows])
    assert _op("cuda", "merkle_root")("rfc6962", "sha256", rows)[0] == levels[-1][0].tobytes()


@gpu
@pytest.mark.parametrize(("scheme", "algorithm"), CASES)
def test_gpu_million_leaves(scheme: str, algorithm: str) -> None:
    n = (1 << 20) + 3
    rng = np.random.default_rng(11)
    if scheme == "rfc6962":
        arg = rng.integers(0, 256, (n, 40), dtype=np.uint8)
        leaves = [r.tobytes() for r in arg]
    else:
        arg = rng.integers(0, 256, (n, 32), dtype=np.uint8)
        leaves = [r.tobytes() for r in arg]
    cpu_root = _op("cpu", "merkle_root")
    if cpu_root is not None:
        want = cpu_root(scheme, algorithm, arg, None)
    else:
        levels, mutated = reference_levels(scheme, algorithm, leaves)
        want = (levels[-1][0].tobytes(), mutated)
    assert _op("cuda", "merkle_root")(scheme, algorithm, arg) == want
