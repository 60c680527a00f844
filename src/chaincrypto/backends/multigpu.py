"""Several GPUs on one host: a row-wise batch op split into contiguous row ranges, one per
device, each run in its own host thread with that device current, results joined in order.

Only row-wise ops are split: those whose output row ``i`` depends only on input row ``i``
(:data:`ROW_ARGS` names, per op, which positional arguments carry rows; the others, such as an
algorithm name, a curve code or flags, go to every part unchanged). Merkle trees are not split:
each level depends on the whole level below, so splitting would mean a partial tree per device
and a final merge on one of them, and the tree already keeps one device busy from the leaves up.

A failure on any device raises out of the wrapper once every part has finished; the registry's
``Backend.op`` then reruns the whole batch on the CPU, the same path as a one-GPU failure.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._inputs import Items

#: Per op, the positions of its row-wise positional arguments (the registry's op signatures,
#: the same on every backend). An argument that is None (an optional row array) stays None.
ROW_ARGS: dict[str, tuple[int, ...]] = {
    "hash_many": (1,),  # (algorithm, items)
    "rfc6962_leaf_hashes": (1,),  # (algorithm, items)
    "ec_pubkey_create": (1,),  # (curve, sk)
    "sm2_za": (0,),  # (pub, uid)
    "sm2_verify": (0, 1, 2, 3),  # (pub, e, r, s)
    "sm2_sign": (0, 1, 2),  # (sk, e, extra)
    "ecdsa_verify": (1, 2, 3, 4),  # (curve, pub, e, r, s, flags)
    "ecdsa_sign": (1, 2, 3),  # (curve, sk, e, extra)
    "ecdsa_recover": (1, 2, 3, 4),  # (curve, e, r, s, recid)
}

#: Below this many rows per device a split gains nothing: one launch of a few thousand threads
#: leaves most of one GPU idle already, and each part adds a host thread and a transfer.
MIN_ROWS_PER_DEVICE = 4096


@dataclass(frozen=True)
class Device:
    """One GPU as the splitter sees it: ``context()`` makes it current in the calling thread
    (numba: ``cuda.gpus[i]``, whose context is per thread), ``share`` its relative part."""

    context: Callable[[], AbstractContextManager[Any]]
    share: float = 1.0


def row_ranges(n: int, shares: Sequence[float]) -> list[tuple[int, int]]:
    """``range(n)`` cut into contiguous ``(start, stop)`` ranges proportional to ``shares``, in
    order, one per share (a range may be empty when ``n`` is small)."""
    if not shares or any(s <= 0 for s in shares):
        raise ValueError(f"shares: expected positive numbers, got {list(shares)}")
    total = float(sum(shares))
    cuts, acc = [0], 0.0
    for s in shares[:-1]:
        acc += s
        cuts.append(round(n * acc / total))
    cuts.append(n)
    return list(itertools.pairwise(cuts))


def _rows_of(value: Any) -> int:
    return value.n if isinstance(value, Items) else len(value)


def _take(value: Any, start: int, stop: int) -> Any:
    if value is None:
        return None
    if isinstance(value, Items):
        return value.rows(start, stop)
    return value[start:stop]


def join_rows(parts: Sequence[Any]) -> Any:
    """The parts' results as one: arrays concatenated along rows, lists chained, tuples joined
    element by element."""
    first = parts[0]
    if isinstance(first, tuple):
        return tuple(join_rows(column) for column in zip(*parts, strict=True))
    if isinstance(first, list):
        return [x for part in parts for x in part]
    return np.concatenate(parts)


def split(
    fn: Callable[..., Any],
    row_args: tuple[int, ...],
    devices: Sequence[Device],
    min_rows_per_device: int = MIN_ROWS_PER_DEVICE,
) -> Callable[..., Any]:
    """``fn`` with its batch split across ``devices`` when each gets at least
    ``min_rows_per_device`` rows; smaller batches (or row arguments passed by keyword) run
    unsplit on the current device."""

    def on_devices(*args: Any, **kwargs: Any) -> Any:
        if len(args) <= max(row_args):
            return fn(*args, **kwargs)
        n = _rows_of(args[row_args[0]])
        ranges = row_ranges(n, [d.share for d in devices])
        if min(b - a for a, b in ranges) < min_rows_per_device:
            return fn(*args, **kwargs)

        def part(device: Device, start: int, stop: int) -> Any:
            sliced = [_take(a, start, stop) if i in row_args else a for i, a in enumerate(args)]
            with device.context():
                return fn(*sliced, **kwargs)

        with ThreadPoolExecutor(len(devices), thread_name_prefix="chaincrypto-gpu") as pool:
            futures = [
                pool.submit(part, d, a, b) for d, (a, b) in zip(devices, ranges, strict=True)
            ]
            return join_rows([f.result() for f in futures])

    on_devices.__doc__ = fn.__doc__
    return on_devices


def split_ops(
    ops: Mapping[str, Callable[..., Any]],
    devices: Sequence[Device],
    min_rows_per_device: int = MIN_ROWS_PER_DEVICE,
) -> dict[str, Callable[..., Any]]:
    """``ops`` with every op named in :data:`ROW_ARGS` split across ``devices`` (unchanged with
    one device or none)."""
    if len(devices) < 2:
        return dict(ops)
    return {
        name: split(fn, ROW_ARGS[name], devices, min_rows_per_device) if name in ROW_ARGS else fn
        for name, fn in ops.items()
    }
