"""Micro-batching: single signature verifications from many threads (or asyncio tasks)
gathered into batches, because the hardware is fast only on batches.

A request waits at most ``max_delay_ms`` before its batch starts; a batch holds at most
``max_batch`` requests; at most ``max_pending`` requests wait at once (``submit`` blocks, or
raises :class:`BatchVerifierFullError` when told not to block). Requests are grouped by algorithm
and options (SM2 with its uid, ECDSA per curve), each group verified with one batch call.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
import warnings
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._ec_keys import check_choice, check_flag
from ._inputs import check_bytes

ALGORITHMS = ("sm2", "secp256k1", "p256")


class BatchVerifierFullError(RuntimeError):
    """``submit(..., block=False)`` found ``max_pending`` requests already waiting."""


class BatchVerifierClosedError(RuntimeError):
    """The verifier was closed; it takes no new requests."""


@dataclass
class _Request:
    key: tuple[Any, ...]
    public_key: bytes
    message: bytes
    signature: bytes
    future: Future[bool]
    arrived: float = field(default_factory=time.monotonic)


def _options_key(algorithm: str, options: dict[str, Any]) -> tuple[Any, ...]:
    """Check a request's options in the caller's thread and make them a grouping key."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"algorithm: expected one of {', '.join(ALGORITHMS)}, got {algorithm!r}")
    allowed = {"encoding", "prehashed"}
    if algorithm == "sm2":
        allowed.add("uid")
    else:
        allowed.add("hash")
    if algorithm == "secp256k1":
        allowed.add("strict_low_s")
    unknown = set(options) - allowed
    if unknown:
        raise TypeError(f"unexpected option(s) for {algorithm}: {', '.join(sorted(unknown))}")
    normalised: dict[str, Any] = {
        "encoding": check_choice(options.get("encoding", "der"), ("der", "raw"), "encoding"),
        "prehashed": check_flag(options.get("prehashed", False), "prehashed"),
    }
    # The modules' own checks, so that a bad option raises here, in the caller's thread.
    if "uid" in options:
        from .sm2 import _check_uid

        normalised["uid"] = _check_uid(options["uid"])
    if "hash" in options:
        from .ecdsa import _HASHES

        normalised["hash"] = check_choice(options["hash"], _HASHES, "hash")
    if "strict_low_s" in options:
        normalised["strict_low_s"] = check_flag(options["strict_low_s"], "strict_low_s")
    return (algorithm, *sorted(normalised.items()))


def _verify_group(key: tuple[Any, ...], requests: list[_Request], backend: str | None) -> Any:
    from . import ecdsa, sm2

    algorithm, options = key[0], dict(key[1:])
    pubs = [r.public_key for r in requests]
    msgs = [r.message for r in requests]
    sigs = [r.signature for r in requests]
    if algorithm == "sm2":
        return sm2.verify_batch(pubs, msgs, sigs, backend=backend, **options)
    return ecdsa.verify_batch(algorithm, pubs, msgs, sigs, backend=backend, **options)


def _seconds(value: object, name: str) -> float:
    """A finite, non-negative time argument; TypeError or ValueError naming it otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__}")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{name}: expected a finite number >= 0, got {value!r}")
    return float(value)


def _wait_time(seconds: float | None) -> float | None:
    """A condition wait no longer than the platform allows."""
    return None if seconds is None else min(max(seconds, 0.0), threading.TIMEOUT_MAX)


class BatchVerifier:
    """Verify single signatures submitted from any number of threads, in batches.

    >>> with BatchVerifier(max_batch=1024, max_delay_ms=2) as v:
    ...     fut = v.submit("sm2", public_key, message, signature, uid=b"1234567812345678")
    ...     fut.result()  # True or False

    ``algorithm`` is ``"sm2"``, ``"secp256k1"`` or ``"p256"``; options are those of the batch
    functions (``uid``, ``encoding``, ``prehashed``, ``hash``, ``strict_low_s``). A malformed
    request resolves to False; a wrong argument type raises in the caller's thread. If the
    backend fails on a batch, that batch is retried once on the CPU backend (with a warning);
    if the retry fails too, only that batch's futures carry the exception.
    """

    def __init__(
        self,
        max_batch: int = 4096,
        max_delay_ms: float = 2.0,
        max_pending: int = 1 << 16,
        *,
        backend: str | None = None,
    ) -> None:
        for name, value in (("max_batch", max_batch), ("max_pending", max_pending)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name}: expected a positive integer, got {value!r}")
        self.max_delay = _seconds(max_delay_ms, "max_delay_ms") / 1000.0
        self.max_batch = max_batch
        self.max_pending = max_pending
        self._backend = backend
        self._pending: deque[_Request] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._worker = threading.Thread(target=self._run, name="chaincrypto-batch", daemon=True)
        self._worker.start()

    # ---- submitting ----
    def submit(
        self,
        algorithm: str,
        public_key: bytes,
        message: bytes,
        signature: bytes,
        *,
        block: bool = True,
        timeout: float | None = None,
        **options: Any,
    ) -> Future[bool]:
        """Queue one verification; the future resolves to True or False."""
        key = _options_key(algorithm, options)
        if timeout is not None:
            _seconds(timeout, "timeout")
        req = _Request(
            key,
            check_bytes(public_key, "public_key"),
            check_bytes(message, "message"),
            check_bytes(signature, "signature"),
            Future(),
        )
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while len(self._pending) >= self.max_pending and not self._closed:
                if not block:
                    raise BatchVerifierFullError(f"{self.max_pending} requests already pending")
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise BatchVerifierFullError(f"still full after {timeout} s")
                self._cond.wait(_wait_time(remaining))
            if self._closed:
                raise BatchVerifierClosedError("the BatchVerifier is closed")
            self._pending.append(req)
            self._cond.notify_all()
        return req.future

    async def verify_async(
        self, algorithm: str, public_key: bytes, message: bytes, signature: bytes, **options: Any
    ) -> bool:
        """``await`` one verification from asyncio code (never blocks the event loop: a full
        queue raises :class:`BatchVerifierFullError`)."""
        fut = self.submit(algorithm, public_key, message, signature, block=False, **options)
        return await asyncio.wrap_future(fut)

    # ---- the worker ----
    def _take_batch(self) -> list[_Request] | None:
        with self._cond:
            while True:
                if self._pending:
                    age = time.monotonic() - self._pending[0].arrived
                    if (
                        len(self._pending) >= self.max_batch
                        or age >= self.max_delay
                        or self._closed
                    ):
                        count = min(self.max_batch, len(self._pending))
                        batch = [self._pending.popleft() for _ in range(count)]
                        self._cond.notify_all()  # room for blocked submitters
                        return batch
                    self._cond.wait(_wait_time(self.max_delay - age))
                elif self._closed:
                    return None
                else:
                    self._cond.wait()

    def _run(self) -> None:
        while (batch := self._take_batch()) is not None:
            groups: dict[tuple[Any, ...], list[_Request]] = {}
            for req in batch:
                groups.setdefault(req.key, []).append(req)
            for key, reqs in groups.items():
                try:
                    self._resolve(key, reqs)
                except Exception as exc:  # the worker must outlive any one batch
                    for r in reqs:
                        if not r.future.done():
                            r.future.set_exception(exc)

    def _resolve(self, key: tuple[Any, ...], reqs: list[_Request]) -> None:
        live = [r for r in reqs if r.future.set_running_or_notify_cancel()]
        if not live:
            return
        try:
            result = _verify_group(key, live, self._backend)
        except (TypeError, ValueError) as exc:  # the request's own fault: the same anywhere
            for r in live:
                r.future.set_exception(exc)
            return
        except Exception as first:  # any backend failure gets one CPU retry
            warnings.warn(
                f"chaincrypto: batch of {len(live)} failed on the "
                f"{self._backend or 'auto'} backend ({first}); retrying on the CPU",
                RuntimeWarning,
                stacklevel=1,
            )
            try:
                result = _verify_group(key, live, "cpu")
            except Exception as exc:
                for r in live:
                    r.future.set_exception(exc)
                return
        for r, ok in zip(live, np.asarray(result, dtype=bool), strict=True):
            r.future.set_result(bool(ok))

    # ---- lifetime ----
    def pending(self) -> int:
        """Requests waiting for a batch now."""
        with self._cond:
            return len(self._pending)

    def close(self, wait: bool = True) -> None:
        """Take no new requests, verify those pending, and (by default) wait until done."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if wait:
            self._worker.join()

    def __enter__(self) -> BatchVerifier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return (
            f"<BatchVerifier {state} max_batch={self.max_batch} "
            f"max_delay_ms={self.max_delay * 1000:g} pending={self.pending()}>"
        )
