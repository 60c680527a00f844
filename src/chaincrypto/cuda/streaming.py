"""Row-wise batches through the device in chunks, copies overlapping compute.

:func:`run` takes a batch of ``n`` rows described column by column (:class:`Column`: how one
kernel argument is staged from the host rows, or stored back into the host result) and a launch
callback. A batch of at most :data:`CHUNK_ROWS` rows goes through in one piece on the default
stream. A larger one goes through in chunks of :data:`CHUNK_ROWS` rows on two streams, each
with its own pinned host staging buffers and device buffers: while one chunk's kernel runs, the
other stream copies the next chunk in and the previous results out. A streamed batch then never
needs more device memory than two chunks, however large it is.

Every device buffer has the chunk's full width, so the kernels always see the same array types
(no recompilation for a short last chunk); the launch callback gets the chunk's row count and
must bound its grid by it (the kernels read rows below their output's length only).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import cuda

from .bigint import LIMBS, be_from_limbs, limbs_from_be

#: Rows per chunk of a streamed batch (2^18: about 40 MB of pinned staging per stream for a
#: verification, and enough threads to fill any current GPU).
CHUNK_ROWS = 1 << 18

Host = npt.NDArray[Any]


@dataclass(frozen=True)
class Column:
    """One kernel argument of a row-wise batch: its device buffer for ``c`` rows has shape
    ``shape(c)`` and ``dtype``; an input has ``put(staging, a, b)`` (fill the staging buffer from
    host rows ``a:b``), an output ``take(staging, a, b)`` (store rows ``a:b`` of the result).
    A ``secret`` column's staging and device buffers are zeroed once the batch is done."""

    shape: Callable[[int], tuple[int, ...]]
    dtype: Any
    put: Callable[[Host, int, int], None] | None = None
    take: Callable[[Host, int, int], None] | None = None
    secret: bool = False


def limbs_in(rows: npt.NDArray[np.uint8], *, secret: bool = False) -> Column:
    """An input of ``(n, 32)`` big-endian integers, staged as ``(8, c)`` limbs (see
    :func:`.bigint.limbs_from_be`); ``secret`` for private keys and nonces."""
    rows = np.ascontiguousarray(rows, dtype=np.uint8).reshape(-1, 32)

    def put(buf: Host, a: int, b: int) -> None:
        buf[:, : b - a] = limbs_from_be(rows[a:b])

    return Column(lambda c: (LIMBS, c), np.uint32, put=put, secret=secret)


def rows_in(values: Host) -> Column:
    """An input staged row for row: row ``i`` of ``values`` (any shape ``(n, ...)``) is row
    ``i`` of the device buffer."""
    values = np.ascontiguousarray(values)

    def put(buf: Host, a: int, b: int) -> None:
        buf[: b - a] = values[a:b]

    return Column(lambda c: (c, *values.shape[1:]), values.dtype, put=put)


def limbs_out(result: npt.NDArray[np.uint8]) -> Column:
    """An output of ``(8, c)`` limbs stored into ``result``, ``(n, 32)`` big-endian rows."""

    def take(buf: Host, a: int, b: int) -> None:
        result[a:b] = be_from_limbs(buf[:, : b - a])

    return Column(lambda c: (LIMBS, c), np.uint32, take=take)


def rows_out(result: Host) -> Column:
    """An output stored row for row into ``result`` (C-contiguous, any shape ``(n, ...)``)."""

    def take(buf: Host, a: int, b: int) -> None:
        result[a:b] = buf[: b - a]

    return Column(lambda c: (c, *result.shape[1:]), result.dtype, take=take)


Launch = Callable[[Sequence[Any], Sequence[Any], int, Any], None]


class _Slot:
    """Staging and device buffers of ``width`` rows for every column, and a stream."""

    def __init__(self, columns: Sequence[Column], width: int, pinned: bool) -> None:
        self.stream = cuda.stream() if pinned else 0
        alloc = cuda.pinned_array if pinned else np.empty
        self.host = [alloc(c.shape(width), dtype=c.dtype) for c in columns]
        self.device = [cuda.device_array(c.shape(width), dtype=c.dtype) for c in columns]
        self.rows: tuple[int, int] | None = None  # the chunk in flight

    def sync(self, columns: Sequence[Column]) -> None:
        """Wait for the chunk in flight and store its outputs."""
        if self.rows is None:
            return
        if self.stream:
            self.stream.synchronize()
        a, b = self.rows
        for col, buf in zip(columns, self.host, strict=True):
            if col.take is not None:
                col.take(buf, a, b)
        self.rows = None

    def wipe(self, columns: Sequence[Column]) -> None:
        """Zero the staging and device buffers of the secret columns (the host ones first: they
        cannot fail)."""
        secret = [i for i, col in enumerate(columns) if col.secret]
        for i in secret:
            self.host[i].fill(0)
        for i in secret:
            self.device[i].copy_to_device(self.host[i], stream=self.stream)
        if self.stream:
            self.stream.synchronize()

    def abandon(self, columns: Sequence[Column]) -> None:
        """After a failure: drop the chunk in flight, wipe what can be wiped, raise nothing (the
        batch's own error is the one to report)."""
        self.rows = None
        with contextlib.suppress(Exception):
            if self.stream:
                self.stream.synchronize()  # nothing may still read or write the buffers
        with contextlib.suppress(Exception):
            self.wipe(columns)


def run(
    n: int,
    inputs: Sequence[Column],
    outputs: Sequence[Column],
    launch: Launch,
    chunk_rows: int | None = None,
) -> None:
    """Run ``launch(device_inputs, device_outputs, rows, stream)`` over ``n`` rows in chunks of
    ``chunk_rows`` (default :data:`CHUNK_ROWS`), staging the inputs and storing the outputs
    through the columns' ``put`` and ``take``. The secret columns' buffers are zeroed at the
    end, also when a step fails (the failure is raised once nothing is in flight)."""
    if n == 0:
        return
    chunk = chunk_rows or CHUNK_ROWS
    columns = [*inputs, *outputs]
    streamed = n > chunk
    slots = [
        _Slot(columns, chunk if streamed else n, streamed) for _ in range(2 if streamed else 1)
    ]
    try:
        for index, a in enumerate(range(0, n, chunk)):
            b = min(n, a + chunk)
            slot = slots[index % len(slots)]
            slot.sync(columns)  # its previous chunk: staging and device buffers free again
            for col, buf, dev in zip(columns, slot.host, slot.device, strict=True):
                if col.put is not None:
                    col.put(buf, a, b)
                    dev.copy_to_device(buf, stream=slot.stream)
            ins, outs = slot.device[: len(inputs)], slot.device[len(inputs) :]
            launch(ins, outs, b - a, slot.stream)
            for col, buf, dev in zip(columns, slot.host, slot.device, strict=True):
                if col.take is not None:
                    dev.copy_to_host(buf, stream=slot.stream)
            slot.rows = (a, b)
        for slot in slots:
            slot.sync(columns)
    except BaseException:
        for slot in slots:
            slot.abandon(columns)
        raise
    for slot in slots:
        slot.wipe(columns)
