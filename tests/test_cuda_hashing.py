"""CUDA SM3 / SHA-256 kernels against OpenSSL/hashlib and the C backend: under the CUDA
simulator (small batches, every layout) and, with ``-m cuda`` on a GPU host, 2^20 items."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("numba")
pytest.importorskip("numba.cuda")

from cuda_support import SIMULATED, gpu, reference_digest, run_simulated, simulated

import chaincrypto as cc
from chaincrypto import backends

ALGORITHMS = ("sm3", "sha256")
#: A few dozen lengths from 0 to 130: every padding case (55/56/63/64 bytes, two blocks, three).
LENGTHS = sorted({*range(0, 131, 5), 1, 3, 4, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 130})


def test_simulator_run() -> None:
    run_simulated(__file__)


def _messages(seed: int) -> list[bytes]:
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, n, dtype=np.uint8).tobytes() for n in LENGTHS]


def _check(algorithm: str, got: np.ndarray, messages: list[bytes]) -> None:
    assert got.shape == (len(messages), 32) and got.dtype == np.uint8
    want = [reference_digest(algorithm, m) for m in messages]
    assert [row.tobytes() for row in got] == want
    cpu = cc.hash_many(messages, algorithm, backend="cpu") if messages else got
    assert np.array_equal(got, cpu)


@simulated
def test_status_says_simulator_and_auto_skips_it() -> None:
    loaded, status = backends.load("cuda")
    assert loaded is not None and "CUDA simulator" in status
    assert {"hash_many", "merkle_root", "merkle_levels", "rfc6962_leaf_hashes"} <= set(loaded.ops)
    assert backends.select("hash_many", 1 << 40).name == "cpu"
    with cc.use("cuda"):
        assert backends.select("hash_many", 1).name == "cuda"


@simulated
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_variable_lengths_list(algorithm: str) -> None:
    msgs = _messages(1)
    _check(algorithm, cc.hash_many(msgs, algorithm, backend="cuda"), msgs)


@simulated
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_flat_buffer_with_offsets(algorithm: str) -> None:
    msgs = _messages(2)
    lead, tail = b"\xaa" * 7, b"\xbb" * 5
    buf = lead + b"".join(msgs) + tail
    offsets = np.cumsum([len(lead), *map(len, msgs)], dtype=np.uint64)
    got = cc.hash_many(np.frombuffer(buf, np.uint8), algorithm, offsets=offsets, backend="cuda")
    _check(algorithm, got, msgs)


@simulated
@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("width", [0, 1, 3, 4, 32, 55, 56, 63, 64, 65, 120, 128])
def test_equal_lengths(algorithm: str, width: int) -> None:
    rows = np.random.default_rng(width).integers(0, 256, (9, width), dtype=np.uint8)
    got = cc.hash_many(rows, algorithm, backend="cuda")
    _check(algorithm, got, [r.tobytes() for r in rows])


@simulated
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_misaligned_equal_lengths(algorithm: str) -> None:
    raw = np.random.default_rng(5).integers(0, 256, 5 * 64 + 1, dtype=np.uint8)
    rows = raw[1:].reshape(5, 64)  # C-contiguous but not 4-byte aligned: byte-load path
    _check(algorithm, cc.hash_many(rows, algorithm, backend="cuda"), [r.tobytes() for r in rows])


@simulated
def test_empty_batch() -> None:
    assert cc.hash_many([], "sm3", backend="cuda").shape == (0, 32)


@simulated
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_prefixed_leaf_hashes(algorithm: str) -> None:
    msgs = _messages(3)
    op = backends.load("cuda")[0].op("rfc6962_leaf_hashes")
    from chaincrypto._inputs import as_items

    got = op(algorithm, as_items(msgs, "items"))
    assert [r.tobytes() for r in got] == [reference_digest(algorithm, b"\0" + m) for m in msgs]


@gpu
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_gpu_million_fixed_64(algorithm: str) -> None:
    assert not SIMULATED
    rows = np.random.default_rng(7).integers(0, 256, (1 << 20, 64), dtype=np.uint8)
    got = cc.hash_many(rows, algorithm, backend="cuda")
    assert np.array_equal(got, cc.hash_many(rows, algorithm, backend="cpu"))


@gpu
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_gpu_million_variable(algorithm: str) -> None:
    rng = np.random.default_rng(8)
    lengths = rng.integers(0, 131, 1 << 20)
    offsets = np.zeros(len(lengths) + 1, dtype=np.uint64)
    np.cumsum(lengths, out=offsets[1:])
    data = rng.integers(0, 256, int(offsets[-1]), dtype=np.uint8)
    got = cc.hash_many(data, algorithm, offsets=offsets, backend="cuda")
    assert np.array_equal(got, cc.hash_many(data, algorithm, offsets=offsets, backend="cpu"))
