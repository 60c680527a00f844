"""The first-use known-answer check of the CUDA ops (``chaincrypto.cuda.known_answer``), with
stand-ins for a device op and for the C backend: one check per variant and device, a failed
check refusing every later call, a check that could not run leaving no verdict."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("numba")
pytest.importorskip("numba.cuda")

from chaincrypto.cuda import known_answer as KA


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every call of the stand-ins; the C backend's answer is ``2 * x``."""
    seen: list[tuple[str, int]] = []

    def cpu(x: int) -> np.ndarray:
        seen.append(("cpu", x))
        return np.array([2 * x])

    monkeypatch.setattr(KA, "_checked", {})
    monkeypatch.setattr(KA, "cpu_op", lambda name: cpu)
    monkeypatch.setattr(KA, "device_id", lambda: 0)
    return seen


def _op(calls: list[tuple[str, int]], factor: int):  # type: ignore[no-untyped-def]
    @KA.checked("double", lambda x: x % 2, lambda parity: (10 + parity,))
    def device(x: int) -> np.ndarray:
        calls.append(("device", x))
        return np.array([factor * x])

    return device


def test_a_right_op_is_checked_once_per_variant(calls: list[tuple[str, int]]) -> None:
    op = _op(calls, 2)
    assert op(4)[0] == 8 and op(6)[0] == 12 and op(3)[0] == 6
    # even numbers checked on 10, odd ones on 11, each once, before their first real call
    assert calls == [
        ("device", 10), ("cpu", 10), ("device", 4), ("device", 6),
        ("device", 11), ("cpu", 11), ("device", 3),
    ]  # fmt: skip
    assert KA._checked == {("double", 0, 0): True, ("double", 1, 0): True}


def test_a_wrong_op_raises_on_every_call(calls: list[tuple[str, int]]) -> None:
    op = _op(calls, 3)
    for _ in range(2):
        with pytest.raises(
            RuntimeError, match=r"the CUDA double kernel failed its known-answer check \(0\)"
        ):
            op(4)
    assert calls == [("device", 10), ("cpu", 10)]  # checked once, never run for real


def test_a_check_that_cannot_run_leaves_no_verdict(
    calls: list[tuple[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_cpu(name: str) -> None:
        raise RuntimeError("no C backend")

    monkeypatch.setattr(KA, "cpu_op", no_cpu)
    with pytest.raises(RuntimeError, match="no C backend"):
        _op(calls, 2)(4)
    assert KA._checked == {}


def test_same_compares_nested_results() -> None:
    a = (np.arange(3), [b"root", np.zeros((2, 2))], True)
    assert KA.same(a, (np.arange(3), [b"root", np.zeros((2, 2))], True))
    assert not KA.same(a, (np.arange(3), [b"toor", np.zeros((2, 2))], True))
    assert not KA.same(a, (np.arange(3), [b"root", np.zeros((2, 2))], False))
    assert not KA.same((1, 2), (1, 2, 3)) and not KA.same((1,), 1)
