"""BatchVerifier mechanics: batching, routing of results, limits, failure handling. The
verification itself is replaced by a recorder here; tests/test_batch_verifier_real.py runs it
on real signatures."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from chaincrypto import batch_verifier as bv
from chaincrypto.batch_verifier import (
    BatchVerifier,
    BatchVerifierClosedError,
    BatchVerifierFullError,
)


class Recorder:
    """Stands in for the batch verification: a message is valid iff it starts with b"ok"."""

    def __init__(self, delay: float = 0.0, fail_backends: tuple[Any, ...] = ()) -> None:
        self.batches: list[tuple[tuple[Any, ...], int, Any]] = []
        self.delay = delay
        self.fail_backends = fail_backends
        self.gate = threading.Event()
        self.gate.set()

    def __call__(self, key: tuple[Any, ...], reqs: list[Any], backend: Any) -> list[bool]:
        self.gate.wait()
        self.batches.append((key, len(reqs), backend))
        if backend in self.fail_backends:
            raise RuntimeError(f"device error on {backend}")
        time.sleep(self.delay)
        return [r.message.startswith(b"ok") for r in reqs]


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    rec = Recorder()
    monkeypatch.setattr(bv, "_verify_group", rec)
    return rec


def test_results_reach_their_own_futures_from_many_threads(recorder: Recorder) -> None:
    with BatchVerifier(max_batch=64, max_delay_ms=1) as v:

        def client(t: int) -> list[tuple[bool, bool]]:
            out = []
            for i in range(200):
                good = (i + t) % 3 != 0
                fut = v.submit("sm2", b"k", (b"ok" if good else b"no") + bytes([t, i]), b"s")
                out.append((good, fut))
            return [(good, fut.result(timeout=10)) for good, fut in out]

        with ThreadPoolExecutor(16) as pool:
            for rows in pool.map(client, range(16)):
                assert all(expected == got for expected, got in rows)
    assert all(size <= 64 for _, size, _ in recorder.batches)
    assert sum(size for _, size, _ in recorder.batches) == 16 * 200
    assert len(recorder.batches) < 16 * 200  # requests really were batched


def test_groups_by_algorithm_and_options(recorder: Recorder) -> None:
    with BatchVerifier(max_batch=100, max_delay_ms=50) as v:
        futs = [
            v.submit("sm2", b"k", b"ok", b"s", uid=b"alice"),
            v.submit("sm2", b"k", b"ok", b"s", uid=b"bob"),
            v.submit("secp256k1", b"k", b"no", b"s", strict_low_s=True),
            v.submit("p256", b"k", b"ok", b"s", encoding="raw"),
            v.submit("sm2", b"k", b"ok", b"s", uid=b"alice"),
        ]
        assert [f.result(timeout=5) for f in futs] == [True, True, False, True, True]
    keys = {key for key, _, _ in recorder.batches}
    assert len(keys) == 4
    assert ("sm2", ("encoding", "der"), ("prehashed", False), ("uid", b"alice")) in keys


def test_a_lone_request_waits_about_max_delay(recorder: Recorder) -> None:
    with BatchVerifier(max_batch=1000, max_delay_ms=20) as v:
        t0 = time.monotonic()
        assert v.submit("sm2", b"k", b"ok", b"s").result(timeout=5) is True
        waited = time.monotonic() - t0
    assert 0.015 <= waited < 1.0


def test_a_full_batch_starts_without_waiting(recorder: Recorder) -> None:
    with BatchVerifier(max_batch=8, max_delay_ms=5000) as v:
        t0 = time.monotonic()
        futs = [v.submit("sm2", b"k", b"ok", b"s") for _ in range(8)]
        assert all(f.result(timeout=5) for f in futs)
        assert time.monotonic() - t0 < 2.0


def test_max_pending_blocks_or_raises(recorder: Recorder) -> None:
    recorder.gate.clear()  # the worker is stuck on the first batch
    v = BatchVerifier(max_batch=1, max_delay_ms=0, max_pending=2)
    first = v.submit("sm2", b"k", b"ok", b"s")
    time.sleep(0.05)  # the worker takes it and blocks on the gate
    v.submit("sm2", b"k", b"ok", b"s")
    v.submit("sm2", b"k", b"ok", b"s")
    with pytest.raises(BatchVerifierFullError):
        v.submit("sm2", b"k", b"ok", b"s", block=False)
    with pytest.raises(BatchVerifierFullError):
        v.submit("sm2", b"k", b"ok", b"s", timeout=0.05)
    recorder.gate.set()
    assert first.result(timeout=5)
    v.close()
    assert v.pending() == 0


def test_close_drains_pending_and_refuses_new(recorder: Recorder) -> None:
    v = BatchVerifier(max_batch=1000, max_delay_ms=10_000)
    futs = [v.submit("p256", b"k", b"ok", b"s") for _ in range(10)]
    v.close()
    assert all(f.result(timeout=0) for f in futs)
    with pytest.raises(BatchVerifierClosedError):
        v.submit("p256", b"k", b"ok", b"s")
    assert "closed" in repr(v)


def test_wrong_types_raise_in_the_callers_thread(recorder: Recorder) -> None:
    with BatchVerifier() as v:
        with pytest.raises(TypeError, match="message"):
            v.submit("sm2", b"k", "text", b"s")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="public_key"):
            v.submit("sm2", 5, b"m", b"s")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="algorithm"):
            v.submit("rsa", b"k", b"m", b"s")
        with pytest.raises(TypeError, match="uid"):
            v.submit("p256", b"k", b"m", b"s", uid=b"x")
        with pytest.raises(ValueError, match="encoding"):
            v.submit("sm2", b"k", b"m", b"s", encoding="pem")
    with pytest.raises(ValueError, match="max_batch"):
        BatchVerifier(max_batch=0)


def test_bad_options_raise_in_the_callers_thread(recorder: Recorder) -> None:
    """Options the batch functions would refuse are refused by submit, before queuing: an
    unhashable or unknown hash, a uid longer than ENTL allows, bad times. The worker lives on."""
    with BatchVerifier(max_delay_ms=1) as v:
        for bad in ([], {}, "sm3", 5):
            with pytest.raises(ValueError, match="hash"):
                v.submit("secp256k1", b"k", b"m", b"s", hash=bad)
        with pytest.raises(ValueError, match="uid"):
            v.submit("sm2", b"k", b"m", b"s", uid=b"x" * 8192)
        with pytest.raises(TypeError, match="prehashed"):
            v.submit("sm2", b"k", b"m", b"s", prehashed=1)
        with pytest.raises(TypeError, match="timeout"):
            v.submit("sm2", b"k", b"m", b"s", timeout="1")  # type: ignore[arg-type]
        assert v.submit("sm2", b"k", b"ok", b"s").result(timeout=5) is True
    for bad in (float("inf"), float("nan"), -1.0):
        with pytest.raises(ValueError, match="max_delay_ms"):
            BatchVerifier(max_delay_ms=bad)
    with pytest.raises(TypeError, match="max_delay_ms"):
        BatchVerifier(max_delay_ms="2")  # type: ignore[arg-type]
    with BatchVerifier(max_delay_ms=1e300) as v:  # waits are capped at threading.TIMEOUT_MAX
        fut = v.submit("sm2", b"k", b"ok", b"s")
    assert fut.result(timeout=5) is True


def test_a_batch_raising_an_argument_error_fails_only_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An error the request itself causes is not retried (it would fail the same way on the
    CPU) and does not stop the worker."""
    calls: list[Any] = []

    def verify(key: tuple[Any, ...], reqs: list[Any], backend: Any) -> list[bool]:
        calls.append(backend)
        if reqs[0].message == b"bad":
            raise ValueError("messages[0]: nope")
        return [True] * len(reqs)

    monkeypatch.setattr(bv, "_verify_group", verify)
    with BatchVerifier(max_delay_ms=1) as v:
        with pytest.raises(ValueError, match="nope"):
            v.submit("sm2", b"k", b"bad", b"s").result(timeout=5)
        assert v.submit("sm2", b"k", b"ok", b"s").result(timeout=5) is True
    assert calls == [None, None]


def test_backend_failure_retries_on_cpu_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(fail_backends=("cuda",))
    monkeypatch.setattr(bv, "_verify_group", rec)
    with (
        pytest.warns(RuntimeWarning, match="retrying on the CPU"),
        BatchVerifier(max_delay_ms=1, backend="cuda") as v,
    ):
        assert v.submit("sm2", b"k", b"ok", b"s").result(timeout=5) is True
    assert [b for _, _, b in rec.batches] == ["cuda", "cpu"]


def test_a_failed_retry_fails_only_that_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(fail_backends=("cuda", "cpu"))
    monkeypatch.setattr(bv, "_verify_group", rec)
    with pytest.warns(RuntimeWarning), BatchVerifier(max_delay_ms=1, backend="cuda") as v:
        fut = v.submit("sm2", b"k", b"ok", b"s")
        with pytest.raises(RuntimeError, match="device error"):
            fut.result(timeout=5)
    rec.fail_backends = ()
    with BatchVerifier(max_delay_ms=1, backend="cuda") as v:
        assert v.submit("sm2", b"k", b"ok", b"s").result(timeout=5)


def test_verify_async(recorder: Recorder) -> None:
    async def main(v: BatchVerifier) -> list[bool]:
        return await asyncio.gather(
            *(v.verify_async("secp256k1", b"k", b"ok" if i % 2 else b"no", b"s") for i in range(50))
        )

    with BatchVerifier(max_delay_ms=1) as v:
        results = asyncio.run(main(v))
    assert results == [bool(i % 2) for i in range(50)]
