"""Verify and hash whole chain histories on a Dask cluster (``pip install chaincrypto[dask]``).

``verify_batch``, ``hash_many`` and ``merkle_roots`` take Dask collections (arrays of
fixed-width items, Bags or DataFrames of records) and return lazy Dask collections; each
partition runs on a worker with that worker's best backend (its GPU if it has one). Partitions
are sized from the workers' measured throughput (:func:`partition_size`). Tasks are pure, so a
worker lost mid-run only costs the recomputation of its partitions: the result is the same as
one process computing it all. ``read_records`` loads Parquet / CSV record files; the
``chaincrypto audit`` command verifies one on a cluster.

Dask is imported when one of these names is first used, so ``chaincrypto`` itself (and its
command line) works without it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import hash_many, merkle_roots, verify_batch
    from .records import read_records
    from .sizing import partition_size

__all__ = ["hash_many", "merkle_roots", "partition_size", "read_records", "verify_batch"]

_HOMES = {
    "hash_many": "api",
    "merkle_roots": "api",
    "verify_batch": "api",
    "read_records": "records",
    "partition_size": "sizing",
}
INSTALL_HINT = "chaincrypto.distributed needs Dask: pip install 'chaincrypto[dask]'"


def require_dask() -> None:
    """``ImportError`` with the install command when Dask is missing."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ImportError(f"{INSTALL_HINT} ({exc})") from exc


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    require_dask()
    return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
