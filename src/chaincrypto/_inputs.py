"""Batch inputs: turn what users pass (lists of bytes, 2-D uint8 arrays, flat buffers with
offsets) into one flat uint8 buffer plus offsets, the only shape the backends ever see.

Wrong types raise ``TypeError`` and malformed layouts raise ``ValueError``; both name the
argument. Item *contents* are never judged here: a 31-byte public key is the backend's business
(False in its slot), not an exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

#: What a batch argument may be: a sequence of bytes-like items, an ``(n, k)`` uint8 array of
#: equal-length items, or (with ``offsets``) a flat bytes-like buffer.
BatchInput = Sequence[bytes] | npt.NDArray[np.uint8] | bytes | bytearray | memoryview

_BYTES_LIKE = (bytes, bytearray, memoryview)


@dataclass(frozen=True)
class Items:
    """``n`` byte strings in one flat buffer: item ``i`` is ``data[offsets[i]:offsets[i + 1]]``.

    ``width`` is set when every item has that same length and the items lie back to back from
    the start of ``data`` (then the backends may use their fixed-length paths).
    """

    data: npt.NDArray[np.uint8]
    offsets: npt.NDArray[np.uint64]
    width: int | None

    @property
    def n(self) -> int:
        return len(self.offsets) - 1

    def __len__(self) -> int:
        return self.n

    def item(self, i: int) -> bytes:
        return self.data[int(self.offsets[i]) : int(self.offsets[i + 1])].tobytes()

    def lengths(self) -> npt.NDArray[np.uint64]:
        return np.diff(self.offsets)

    def rows(self, start: int, stop: int) -> Items:
        """Items ``start`` to ``stop - 1`` as their own batch: a view of just their bytes, with
        offsets rebased to 0 (so a device receives only its share of the buffer)."""
        if not 0 <= start <= stop <= self.n:
            raise ValueError(f"rows: expected 0 <= start <= stop <= {self.n}, got {start}, {stop}")
        lo, hi = int(self.offsets[start]), int(self.offsets[stop])
        return Items(self.data[lo:hi], self.offsets[start : stop + 1] - np.uint64(lo), self.width)


def _fixed(data: npt.NDArray[np.uint8], n: int, width: int) -> Items:
    offsets = (
        np.arange(0, (n + 1) * width, width, dtype=np.uint64)
        if width
        else np.zeros(n + 1, dtype=np.uint64)
    )
    return Items(data.reshape(-1), offsets, width)


def _flat_buffer(value: Any, name: str) -> npt.NDArray[np.uint8]:
    if isinstance(value, np.ndarray):
        if value.dtype != np.uint8:
            raise TypeError(f"{name}: expected a uint8 array, got dtype {value.dtype}")
        if value.ndim != 1:
            raise ValueError(f"{name}: with offsets, expected a 1-D buffer, got {value.ndim}-D")
        if not value.flags.c_contiguous:
            raise ValueError(f"{name}: the array must be C-contiguous")
        return value
    if isinstance(value, _BYTES_LIKE):
        mv = memoryview(value)
        if not mv.c_contiguous:
            raise ValueError(f"{name}: the buffer must be C-contiguous")
        return np.frombuffer(mv.cast("B"), dtype=np.uint8)
    raise TypeError(
        f"{name}: expected a bytes-like buffer or uint8 array, got {type(value).__name__}"
    )


def _offsets(offsets: Any, size: int, name: str) -> npt.NDArray[np.uint64]:
    arr = np.asarray(offsets)
    if arr.ndim != 1 or len(arr) < 1:
        raise ValueError(f"{name}: expected a 1-D array of n + 1 offsets")
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name}: expected integer offsets, got dtype {arr.dtype}")
    if arr.dtype.kind == "i" and int(arr.min()) < 0:
        raise ValueError(f"{name}: offsets must not be negative")
    out = np.ascontiguousarray(arr, dtype=np.uint64)
    if len(out) > 1 and bool(np.any(out[1:] < out[:-1])):
        raise ValueError(f"{name}: offsets must not decrease")
    if int(out[-1]) > size:
        raise ValueError(
            f"{name}: the last offset {int(out[-1])} runs past the buffer ({size} bytes)"
        )
    return out


def _view_bytes(view: memoryview) -> bytes | memoryview:
    """A memoryview as a run of bytes whose len() is its size: itself when it is already one
    contiguous run of single bytes, else a copy of its bytes in C order."""
    if view.ndim == 1 and view.itemsize == 1 and view.c_contiguous:
        return view
    return view.tobytes()


def as_items(values: Any, name: str, offsets: Any = None) -> Items:
    """Normalise one batch argument named ``name`` (used in error messages) to :class:`Items`."""
    if offsets is not None:
        data = _flat_buffer(values, name)
        return Items(data, _offsets(offsets, len(data), "offsets"), None)
    if isinstance(values, np.ndarray):
        if values.dtype != np.uint8:
            raise TypeError(f"{name}: expected a uint8 array, got dtype {values.dtype}")
        if values.ndim != 2:
            raise ValueError(
                f"{name}: expected an (n, k) array of equal-length items, got shape {values.shape};"
                " pass offsets= for a flat buffer"
            )
        if not values.flags.c_contiguous:
            raise ValueError(f"{name}: the array must be C-contiguous (np.ascontiguousarray)")
        return _fixed(values, values.shape[0], values.shape[1])
    if isinstance(values, (str, *_BYTES_LIKE)):
        raise TypeError(
            f"{name}: expected a sequence of bytes-like items (or a buffer with offsets=),"
            f" got {type(values).__name__}"
        )
    if not isinstance(values, Sequence):
        raise TypeError(
            f"{name}: expected a sequence of bytes-like items, got {type(values).__name__}"
        )
    for i, v in enumerate(values):
        if not isinstance(v, _BYTES_LIKE):
            raise TypeError(f"{name}[{i}]: expected bytes, got {type(v).__name__}")
    if any(isinstance(v, memoryview) for v in values):
        # len() of a memoryview counts its first dimension's elements, not bytes: take every
        # view's bytes as bytes() does (and check_bytes, for single items).
        values = [_view_bytes(v) if isinstance(v, memoryview) else v for v in values]
    lengths = np.fromiter(map(len, values), dtype=np.uint64, count=len(values))
    data = np.frombuffer(b"".join(values), dtype=np.uint8)
    offsets_arr = np.zeros(len(values) + 1, dtype=np.uint64)
    np.cumsum(lengths, out=offsets_arr[1:])
    width = int(lengths[0]) if len(lengths) and bool(np.all(lengths == lengths[0])) else None
    return Items(data, offsets_arr, width)


def as_fixed(
    values: Any, width: int, name: str, offsets: Any = None
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_]]:
    """Items that must each be exactly ``width`` bytes (digests, raw signatures, secret keys).

    Returns an ``(n, width)`` array and a mask of the items that had the right length; a wrong
    length is a per-item failure (its row is zero), not an exception.
    """
    return fixed_width(as_items(values, name, offsets), width)


def fixed_width(items: Items, width: int) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_]]:
    """:func:`as_fixed` for items already normalised."""
    n = items.n
    if items.width == width:
        return items.data.reshape(n, width), np.ones(n, dtype=bool)
    good = items.lengths() == width
    out = np.zeros((n, width), dtype=np.uint8)
    starts = items.offsets[:-1][good].astype(np.int64)
    if len(starts):
        out[good] = items.data[starts[:, None] + np.arange(width)]
    return out, good


def fit_left(items: Items, width: int) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_]]:
    """Each item as ``width`` bytes the way SEC 1 / RFC 6979 ``bits2int`` reads a digest into an
    integer of ``8 * width`` bits: the leftmost ``width`` bytes of a longer item, a shorter one
    left-padded with zeros. The mask is False for empty items (their rows are zero)."""
    n = items.n
    lengths = items.lengths().astype(np.int64)
    if items.width == width:
        return items.data.reshape(n, width), np.ones(n, dtype=bool)
    take = np.minimum(lengths, width)
    pad = width - take
    cols = np.arange(width)
    src = items.offsets[:-1].astype(np.int64)[:, None] + (cols[None, :] - pad[:, None])
    mask = cols[None, :] >= pad[:, None]
    out = np.zeros((n, width), dtype=np.uint8)
    out[mask] = items.data[src[mask]]
    return out, lengths > 0


def check_bytes(value: Any, name: str) -> bytes:
    """A single bytes-like argument as bytes; ``TypeError`` naming it otherwise."""
    if isinstance(value, _BYTES_LIKE):
        return bytes(value)
    raise TypeError(f"{name}: expected bytes, got {type(value).__name__}")
