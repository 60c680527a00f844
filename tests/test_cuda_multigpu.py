"""The CUDA backend's multi-GPU split and its crossover under the CUDA simulator: the real
kernels split across two device contexts equal the C backend; the simulator is never calibrated.

The simulator has one GPU, so both parts enter ``cuda.gpus[0]``, each from its own thread; they
take turns, because the simulator runs a kernel by swapping module globals, which two host
threads launching at once would trample (a real GPU has no such limit)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("numba")
pytest.importorskip("numba.cuda")

from cuda_support import run_simulated, simulated

import chaincrypto as cc
from chaincrypto import backends
from chaincrypto._inputs import as_items
from chaincrypto.backends import crossover
from chaincrypto.backends.crossover import store
from chaincrypto.backends.multigpu import ROW_ARGS, Device, split


def test_simulator_run() -> None:
    run_simulated(__file__)


_turn = threading.Lock()


@contextlib.contextmanager
def _in_turn(device: Any) -> Iterator[None]:
    with _turn, device:
        yield


def _simulated_gpu() -> backends.Backend:
    loaded, status = backends.load("cuda")
    assert loaded is not None and "CUDA simulator" in status
    return loaded


@simulated
def test_one_device_means_no_split() -> None:
    from chaincrypto.backends import cuda as cuda_backend

    assert len(cuda_backend._devices()) == 1
    assert _simulated_gpu().ops["hash_many"] is cuda_backend.hash_many


@simulated
@pytest.mark.parametrize("op", ["hash_many", "rfc6962_leaf_hashes"])
def test_real_kernels_split_across_two_contexts(op: str) -> None:
    from numba import cuda

    rng = np.random.default_rng(5)
    msgs = [rng.integers(0, 256, int(k), dtype=np.uint8).tobytes() for k in rng.integers(0, 90, 33)]
    offsets = np.concatenate([[0], np.cumsum([len(m) for m in msgs])])
    items = as_items(b"".join(msgs), "messages", offsets=offsets)
    two = [Device(lambda: _in_turn(cuda.gpus[0])) for _ in range(2)]
    split_op = split(_simulated_gpu().ops[op], ROW_ARGS[op], two, min_rows_per_device=1)
    cpu, _ = backends.load("cpu")
    assert cpu is not None
    got = split_op("sm3", items) if op == "hash_many" else split_op("sm3", items, None)
    want = cpu.ops[op]("sm3", items) if op == "hash_many" else cpu.ops[op]("sm3", items, None)
    assert np.array_equal(got, want)


@simulated
def test_simulator_is_never_calibrated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHAINCRYPTO_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CHAINCRYPTO_GPU_MIN_ITEMS", raising=False)
    monkeypatch.delenv("CHAINCRYPTO_BACKEND", raising=False)
    assert backends.select("hash_many", 1 << 20).name == "cpu"
    assert cc.hash_many([b"abc"] * 300, "sm3")[0].tobytes() == cc.sm3(b"abc").digest()
    report = cc.info()["crossovers"]
    assert "simulator" in report["note"]
    assert {c["source"] for c in report["ops"].values()} == {"provisional"}
    assert crossover._resolved == {}
    assert not store.cache_file().exists()
    with pytest.raises(cc.BackendUnavailableError, match="needs a real GPU"):
        crossover.calibrate_and_store()
