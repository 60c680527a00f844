"""Splitting row-wise batches across several GPUs, with injected fake devices: each part runs in
its own thread with its device current, on a contiguous row range, and the joined result equals
the C backend's on the whole batch (hashes over Items with and without offsets, EC ops with
scalar arguments and tuple results)."""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

import chaincrypto as cc
from chaincrypto import backends
from chaincrypto._ec_keys import SECP256K1, SM2
from chaincrypto._inputs import Items, as_items
from chaincrypto.backends import Backend
from chaincrypto.backends.crossover import workloads
from chaincrypto.backends.multigpu import (
    ROW_ARGS,
    Device,
    join_rows,
    row_ranges,
    split,
    split_ops,
)

_current = threading.local()


@contextlib.contextmanager
def _fake_context(index: int) -> Iterator[None]:
    """What ``with cuda.gpus[i]:`` does, for a fake device: current in this thread only."""
    assert getattr(_current, "device", None) is None, "contexts must not nest"
    _current.device = index
    try:
        yield
    finally:
        _current.device = None


def _devices(shares: list[float]) -> list[Device]:
    return [Device(lambda i=i: _fake_context(i), s) for i, s in enumerate(shares)]


def _cpu() -> Backend:
    cpu, _ = backends.load("cpu")
    assert cpu is not None
    return cpu


def _recording(fn: Callable[..., Any], row_arg: int, calls: list[tuple[Any, ...]]) -> Any:
    """``fn``, noting for every call the device current, the thread and the rows it got."""

    def op(*args: Any, **kwargs: Any) -> Any:
        rows = args[row_arg]
        first = rows.item(0) if isinstance(rows, Items) else bytes(rows[0])
        n = rows.n if isinstance(rows, Items) else len(rows)
        calls.append((getattr(_current, "device", None), threading.get_ident(), n, first))
        return fn(*args, **kwargs)

    return op


def _variable_items(n: int) -> tuple[Items, list[bytes]]:
    rng = np.random.default_rng(1)
    msgs = [rng.integers(0, 256, int(k), dtype=np.uint8).tobytes() for k in rng.integers(0, 200, n)]
    buf = b"".join(msgs)
    offsets = np.concatenate([[0], np.cumsum([len(m) for m in msgs])])
    return as_items(buf, "messages", offsets=offsets), msgs


def test_row_ranges() -> None:
    assert row_ranges(10, [1, 1]) == [(0, 5), (5, 10)]
    assert row_ranges(12, [1, 2, 1]) == [(0, 3), (3, 9), (9, 12)]
    for n, shares in [(1001, [1, 1, 1]), (7, [0.5, 2]), (0, [1, 1]), (1, [1, 1, 1])]:
        ranges = row_ranges(n, shares)
        assert ranges[0][0] == 0 and ranges[-1][1] == n
        assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    for bad in ([], [1, 0], [1, -2]):
        with pytest.raises(ValueError, match="shares"):
            row_ranges(10, bad)


def test_items_rows_slice_and_rebase() -> None:
    items, msgs = _variable_items(50)
    part = items.rows(10, 20)
    assert part.n == 10 and int(part.offsets[0]) == 0
    assert [part.item(i) for i in range(10)] == msgs[10:20]
    assert len(part.data) == sum(map(len, msgs[10:20]))  # only its own bytes
    fixed = as_items(np.arange(40, dtype=np.uint8).reshape(10, 4), "messages")
    sub = fixed.rows(3, 5)
    assert sub.width == 4 and sub.data.tolist() == list(range(12, 20))
    assert fixed.rows(4, 4).n == 0
    with pytest.raises(ValueError, match="rows"):
        fixed.rows(5, 11)


@pytest.mark.parametrize("layout", ["offsets", "equal"])
def test_hash_many_split_in_order(layout: str) -> None:
    if layout == "offsets":
        items, msgs = _variable_items(301)
    else:
        rows = np.random.default_rng(2).integers(0, 256, (301, 64), dtype=np.uint8)
        items, msgs = as_items(rows, "messages"), [r.tobytes() for r in rows]
    calls: list[tuple[Any, ...]] = []
    op = _recording(_cpu().ops["hash_many"], 1, calls)
    split_op = split(op, ROW_ARGS["hash_many"], _devices([1, 1, 1]), min_rows_per_device=1)
    got = split_op("sm3", items, threads=1)
    assert np.array_equal(got, cc.hash_many(msgs, "sm3", backend="cpu"))
    assert sorted(c[0] for c in calls) == [0, 1, 2]
    by_device = {c[0]: c for c in calls}
    assert [by_device[i][2] for i in range(3)] == [100, 101, 100]
    assert [by_device[i][3] for i in range(3)] == [msgs[0], msgs[100], msgs[201]]
    assert threading.get_ident() not in {c[1] for c in calls}  # each part on its own thread


def test_shares_size_the_parts() -> None:
    calls: list[tuple[Any, ...]] = []
    op = _recording(_cpu().ops["rfc6962_leaf_hashes"], 1, calls)
    leaves = np.random.default_rng(3).integers(0, 256, (400, 32), dtype=np.uint8)
    split_op = split(op, ROW_ARGS["rfc6962_leaf_hashes"], _devices([3, 1]), min_rows_per_device=1)
    got = split_op("sha256", leaves, None)
    assert np.array_equal(got, _cpu().ops["rfc6962_leaf_hashes"]("sha256", leaves, None))
    assert sorted((c[0], c[2]) for c in calls) == [(0, 300), (1, 100)]


def test_unequal_shares_split_only_when_every_part_is_big_enough() -> None:
    calls: list[tuple[Any, ...]] = []
    op = _recording(_cpu().ops["rfc6962_leaf_hashes"], 1, calls)
    leaves = np.random.default_rng(4).integers(0, 256, (8, 32), dtype=np.uint8)
    split_op = split(op, ROW_ARGS["rfc6962_leaf_hashes"], _devices([3, 1]), min_rows_per_device=4)
    split_op("sha256", leaves, None)  # parts of 6 and 2: the second too small
    assert [c[2] for c in calls] == [8]
    calls.clear()
    split_op("sha256", np.vstack([leaves, leaves]), None)  # 12 and 4
    assert sorted(c[2] for c in calls) == [4, 12]


def _split_ec(name: str, devices: int = 2) -> Callable[..., Any]:
    return split(_cpu().ops[name], ROW_ARGS[name], _devices([1] * devices), min_rows_per_device=1)


def _assert_same(got: Any, want: Any) -> None:
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert np.array_equal(g, w)
    else:
        assert np.array_equal(got, want)


@pytest.mark.parametrize("name", sorted(set(ROW_ARGS) & set(workloads.WORKLOADS)))
def test_every_row_wise_op_splits_to_the_same_result(name: str) -> None:
    """The calibration workloads (valid keys, signatures, digests) through a 3-way split; the
    signing workloads are deterministic (no extra entropy), so results compare exactly."""
    cpu = _cpu()
    args = workloads.WORKLOADS[name](97, cpu)
    _assert_same(_split_ec(name, 3)(*args), cpu.ops[name](*args))


def test_invalid_rows_stay_in_their_slots() -> None:
    cpu = _cpu()
    pub, e, r, s = workloads.WORKLOADS["sm2_verify"](64, cpu)
    s = s.copy()
    s[[3, 40, 63]] ^= 1
    ok = _split_ec("sm2_verify")(pub, e, r, s, threads=1)
    assert np.flatnonzero(~ok).tolist() == [3, 40, 63]
    code, pub, e, r, s, flags = workloads.WORKLOADS["ecdsa_verify"](64, cpu)
    r = r.copy()
    r[50] = 0
    ok = _split_ec("ecdsa_verify")(code, pub, e, r, s, flags)
    assert np.flatnonzero(~ok).tolist() == [50]
    assert code == SECP256K1.code and SM2.code != code


def test_small_batches_and_keyword_rows_run_unsplit() -> None:
    calls: list[tuple[Any, ...]] = []
    op = _recording(_cpu().ops["hash_many"], 1, calls)
    split_op = split(op, ROW_ARGS["hash_many"], _devices([1, 1]), min_rows_per_device=64)
    items = as_items([b"x"] * 127, "messages")
    split_op("sm3", items)
    assert [(c[0], c[1], c[2]) for c in calls] == [(None, threading.get_ident(), 127)]
    calls.clear()
    split_op("sm3", as_items([b"x"] * 128, "messages"))
    assert sorted(c[2] for c in calls) == [64, 64]


def test_split_ops_wraps_only_row_wise_ops_and_only_for_several_devices() -> None:
    ops = _cpu().ops
    assert split_ops(ops, _devices([1])) == dict(ops)
    wrapped = split_ops(ops, _devices([1, 1]))
    for name in ("merkle_root", "merkle_levels", "der_sig_parse"):
        assert wrapped[name] is ops[name]
    for name in ROW_ARGS:
        assert wrapped[name] is not ops[name]


def test_join_rows() -> None:
    a, b = np.arange(4).reshape(2, 2), np.arange(4, 6).reshape(1, 2)
    assert join_rows([a, b]).tolist() == [[0, 1], [2, 3], [4, 5]]
    joined = join_rows([(a, np.array([True, False])), (b, np.array([True]))])
    assert joined[0].shape == (3, 2) and joined[1].tolist() == [True, False, True]
    assert join_rows([[b"a"], [b"b", b"c"]]) == [b"a", b"b", b"c"]


def test_a_failing_device_reruns_the_whole_batch_on_the_cpu() -> None:
    real = _cpu().ops["hash_many"]

    def flaky(*args: Any, **kwargs: Any) -> Any:
        if _current.device == 1:
            raise RuntimeError("CUDA_ERROR_ILLEGAL_ADDRESS on device 1")
        return real(*args, **kwargs)

    gpu = Backend("cuda", split_ops({"hash_many": flaky}, _devices([1, 1]), 1))
    items, msgs = _variable_items(40)
    with pytest.warns(RuntimeWarning, match="ran on the CPU instead") as record:
        got = gpu.op("hash_many")("sm3", items)
    assert len(record) == 1
    assert np.array_equal(got, cc.hash_many(msgs, "sm3", backend="cpu"))


def test_argument_errors_in_a_part_are_raised_as_they_are() -> None:
    def picky(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("messages: bad")

    gpu = Backend("cuda", split_ops({"hash_many": picky}, _devices([1, 1]), 1))
    with pytest.raises(ValueError, match="messages: bad"):
        gpu.op("hash_many")("sm3", as_items([b"a", b"b"], "messages"))
