"""Reading signature records from Parquet or CSV into a dask DataFrame.

A record file has columns ``algorithm`` (``sm2`` | ``secp256k1`` | ``p256``), ``public_key``,
``message`` (or ``digest``: the message is then the 32-byte hash, as with ``prehashed=True``),
``signature`` and optionally ``prehashed`` (per-row true/false). In CSV every binary field is
hex (``0x`` optional); in Parquet binary columns hold bytes (hex strings work too).
"""

from __future__ import annotations

import math
import os
from typing import Any

import dask.dataframe as dd
import pandas as pd

from ._tasks import COLUMNS, check_columns
from .api import PartitionSize, _resize, _target

_CSV = (".csv",)
_PARQUET = (".parquet", ".pq")
_SAMPLE_BYTES = 1 << 16


def file_format(path: str) -> str:
    """``"csv"`` or ``"parquet"`` from the name (a directory is a Parquet dataset)."""
    lower = path.lower().rstrip("/")
    if lower.endswith(_CSV):
        return "csv"
    if lower.endswith(_PARQUET) or os.path.isdir(path):
        return "parquet"
    raise ValueError(f"{path}: expected a .csv or .parquet file (or a Parquet directory)")


def normalise(
    frame: Any, *, algorithm: str | None = None, prehashed: bool = False
) -> tuple[Any, bool]:
    """Check the record columns and rename ``digest`` to ``message`` (then prehashed).

    Returns ``(frame, prehashed)``: the frame to verify and the ``prehashed`` default for rows
    without the column."""
    cols = set(frame.columns)
    if "digest" in cols:
        if "message" in cols:
            raise ValueError("records: a 'message' and a 'digest' column; keep one")
        frame = frame.rename(columns={"digest": "message"})
        prehashed = True
    check_columns(frame.columns, algorithm)
    return frame[[c for c in COLUMNS if c in frame.columns]], prehashed


def _csv_row_bytes(path: str) -> float:
    """Mean bytes per data row, from the first 64 KiB of the file."""
    with open(path, "rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)
    lines = sample.splitlines()[1:-1] or sample.splitlines()[1:]
    return max(1.0, sum(len(x) + 1 for x in lines) / max(1, len(lines)))


def read_records(
    path: str,
    *,
    algorithm: str | None = None,
    partition_size: PartitionSize = "auto",
    client: Any = None,
) -> tuple[Any, bool]:
    """The records of a Parquet or CSV file as a dask DataFrame in file order, and the
    ``prehashed`` default (True for a ``digest`` column).

    Partitions hold about ``partition_size`` rows (``"auto"``: from the workers' measured
    verification rate; None: the reader's own blocks). CSV fields are read as text; Parquet
    binary columns stay bytes.
    """
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file or directory")
    op = f"verify:{algorithm}" if algorithm else "verify"
    target = _target(partition_size, op, client)
    if file_format(path) == "csv":
        header = pd.read_csv(path, nrows=0, dtype=str).columns
        if not len(header):
            raise ValueError(f"{path}: no header row")
        blocksize: Any = "64MB"
        if target.rows is not None:
            row_bytes = _csv_row_bytes(path)
            rows = target.rows_for(math.ceil(os.path.getsize(path) / row_bytes)) or 1
            blocksize = max(1 << 16, math.ceil(rows * row_bytes))
        frame = dd.read_csv(path, dtype=str, keep_default_na=False, blocksize=blocksize)
    else:
        frame = _resize(dd.read_parquet(path), target)
    return normalise(frame, algorithm=algorithm)
