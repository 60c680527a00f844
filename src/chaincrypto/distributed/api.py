"""Lazy Dask versions of the batch functions: Dask collections in, Dask collections out.

Nothing is computed here except partition sizing (a short calibration on the workers, and for
DataFrames and Bags a count of their rows); the work runs when the result is computed, each
partition on whichever worker holds it, with that worker's best backend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import dask.array as da
import dask.bag as db
import dask.dataframe as dd
import numpy as np
import pandas as pd

from .. import sm2
from .._threads import cpu_count
from ..hashing import check_algorithm
from . import _tasks
from .sizing import MIN_PARTITION, default_client, partition_size, thread_plan

PartitionSize = int | Literal["auto"] | None
_ENCODINGS = ("der", "raw")
#: With automatic sizing, at least this many partitions per worker thread (when the collection
#: is big enough for partitions of 256 items), so that no worker idles at the end of a run.
PARTS_PER_THREAD = 4


def _plan(client: Any) -> dict[str, int] | None:
    return thread_plan(client) if client is not None else None


@dataclass(frozen=True)
class Target:
    """Items per partition (None: keep the collection's partitions) and, for automatic sizing,
    the fewest partitions to cut a collection into so that every worker thread gets several."""

    rows: int | None
    min_parts: int = 1

    def rows_for(self, n: int) -> int | None:
        if self.rows is None:
            return None
        spread = max(MIN_PARTITION, math.ceil(n / self.min_parts))
        return max(1, min(self.rows, spread))


def _worker_threads(client: Any) -> int:
    if client is None:
        return cpu_count()
    return sum(int(w["nthreads"]) for w in client.scheduler_info(n_workers=-1)["workers"].values())


def _target(size: PartitionSize, op: str, client: Any, item_bytes: int | None = None) -> Target:
    if size is None:
        return Target(None)
    if size == "auto":
        rows = partition_size(op, client, item_bytes=item_bytes)
        return Target(rows, PARTS_PER_THREAD * _worker_threads(client))
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(
            f"partition_size: expected a positive integer, 'auto' or None, got {size!r}"
        )
    return Target(size)


def _resize(collection: Any, target: Target) -> Any:
    """``collection`` re-split into partitions of about ``target`` items (keeping item order)."""
    if target.rows is None:
        return collection
    if isinstance(collection, da.Array):
        rows = target.rows_for(collection.shape[0])
        return collection.rechunk({0: rows, **{ax: -1 for ax in range(1, collection.ndim)}})
    if isinstance(collection, db.Bag):
        n = int(collection.count().compute())
        parts = max(1, math.ceil(n / (target.rows_for(n) or 1)))
        return collection if parts == collection.npartitions else collection.repartition(parts)
    n = len(collection)  # DataFrame / Series: Parquet answers from its metadata
    parts = max(1, math.ceil(n / (target.rows_for(n) or 1)))
    if parts == collection.npartitions:
        return collection
    return collection.repartition(npartitions=parts)


def _check_array(x: Any, name: str) -> da.Array:
    if not isinstance(x, da.Array):
        raise TypeError(f"{name}: expected a dask array, got {type(x).__name__}")
    if x.dtype != np.uint8 or x.ndim != 2:
        raise ValueError(f"{name}: expected an (n, k) uint8 dask array, got {x.dtype} {x.shape}")
    return x


def _not_dask(value: object, name: str, local: str) -> TypeError:
    return TypeError(
        f"{name}: expected a dask Array, Bag or DataFrame, got {type(value).__name__}"
        f" (for data in memory use {local})"
    )


def verify_batch(
    records: Any,
    messages: Any = None,
    signatures: Any = None,
    *,
    algorithm: str | None = None,
    uid: bytes = sm2.DEFAULT_UID,
    encoding: str | None = None,
    prehashed: bool = False,
    hash: str = "sha256",
    strict_low_s: bool = False,
    partition_size: PartitionSize = "auto",
    client: Any = None,
) -> Any:
    """Verify signatures held in a Dask collection; returns a lazy collection of bools.

    Two forms:

    * ``verify_batch(records)``: a dask DataFrame with columns ``algorithm`` (``"sm2"``,
      ``"secp256k1"``, ``"p256"``), ``public_key``, ``message``, ``signature`` and optionally
      ``prehashed`` (bytes, or hex strings), giving a bool dask Series on the same index; or a
      dask Bag of records (dicts with those keys, or tuples in that order) giving a Bag of
      bools. Algorithms may be mixed; ``algorithm=`` / ``prehashed=`` fill in records without
      them. Signatures are DER unless ``encoding="raw"``.
    * ``verify_batch(public_keys, messages, signatures, algorithm=...)``: three ``(n, k)``
      uint8 dask arrays of fixed-width items (keys 65/64/33 bytes, messages, 64-byte raw
      ``r || s`` signatures unless ``encoding="der"``), giving an ``(n,)`` bool dask array.

    A malformed record (bad hex, DER, key, unknown algorithm, missing field) is False in its
    own slot. ``uid`` is the SM2 signer identity for every SM2 record; ``hash`` and
    ``strict_low_s`` apply to ECDSA records. ``partition_size``: items per partition, ``"auto"``
    (from the workers' measured throughput, see :func:`partition_size`) or None (keep the
    collection's partitions). ``client``: the Dask client (default: the current one).
    """
    client = default_client() if client is None else client
    arrays = messages is not None or signatures is not None
    enc = encoding if encoding is not None else ("raw" if arrays else "der")
    if enc not in _ENCODINGS:
        raise ValueError(f"encoding: expected one of {', '.join(_ENCODINGS)}, got {enc!r}")
    if algorithm is not None and algorithm not in _tasks.ALGORITHMS:
        raise ValueError(
            f"algorithm: expected one of {', '.join(_tasks.ALGORITHMS)}, got {algorithm!r}"
        )
    op = f"verify:{algorithm}" if algorithm else "verify"
    opts = _tasks.VerifyOptions(
        uid=bytes(uid), encoding=enc, hash=hash, strict_low_s=bool(strict_low_s),
        algorithm=algorithm, prehashed=bool(prehashed), threads=_plan(client),
    )  # fmt: skip
    if arrays:
        if algorithm is None:
            raise ValueError("algorithm: required with dask arrays")
        pub = _check_array(records, "public_keys")
        msg = _check_array(messages, "messages")
        sig = _check_array(signatures, "signatures")
        if not pub.shape[0] == msg.shape[0] == sig.shape[0]:
            raise ValueError(
                f"public_keys, messages, signatures: lengths differ ({pub.shape[0]},"
                f" {msg.shape[0]}, {sig.shape[0]})"
            )
        rows = _target(partition_size, op, client).rows_for(pub.shape[0]) or pub.chunks[0]
        pub, msg, sig = (x.rechunk({0: rows, 1: -1}) for x in (pub, msg, sig))
        return da.map_blocks(
            _tasks.verify_block, pub, msg, sig, algorithm, bool(prehashed), opts,
            drop_axis=1, dtype=bool, chunks=(pub.chunks[0],),
        )  # fmt: skip
    rows_target = _target(partition_size, op, client)
    if isinstance(records, dd.DataFrame):
        _tasks.check_columns(records.columns, algorithm)
        records = _resize(records, rows_target)
        meta = pd.Series(dtype=bool, name="valid")
        return records.map_partitions(_tasks.verify_frame, opts, meta=meta)
    if isinstance(records, db.Bag):
        return _resize(records, rows_target).map_partitions(_tasks.verify_records, opts)
    raise _not_dask(records, "records", "chaincrypto.sm2.verify_batch / ecdsa.verify_batch")


def hash_many(
    messages: Any,
    algorithm: str = "sm3",
    *,
    item_bytes: int | None = None,
    partition_size: PartitionSize = "auto",
    client: Any = None,
) -> Any:
    """SM3 / SHA-256 digests of every item of a Dask collection, lazily.

    ``messages``: an ``(n, k)`` uint8 dask array (gives an ``(n, 32)`` uint8 dask array), a dask
    Bag of bytes (gives a Bag of 32-byte ``bytes``) or a dask Series of bytes (gives a Series of
    digests on the same index). ``item_bytes`` (typical message length) refines the automatic
    partition size for Bags and Series; arrays use their width.
    """
    algorithm = check_algorithm(algorithm)
    client = default_client() if client is None else client
    plan = _plan(client)
    op = f"hash:{algorithm}"
    if isinstance(messages, da.Array):
        x = _check_array(messages, "messages")
        rows = _target(partition_size, op, client, item_bytes=x.shape[1])
        x = _resize(x, rows)
        return da.map_blocks(
            _tasks.hash_block, x, algorithm, plan, dtype=np.uint8, chunks=(x.chunks[0], (32,))
        )
    rows = _target(partition_size, op, client, item_bytes=item_bytes)
    if isinstance(messages, db.Bag):
        return _resize(messages, rows).map_partitions(_tasks.hash_items, algorithm, plan)
    if isinstance(messages, dd.Series):
        meta = pd.Series(dtype=object, name=messages.name)
        return _resize(messages, rows).map_partitions(
            _tasks.hash_series, algorithm, plan, meta=meta
        )
    raise _not_dask(messages, "messages", "chaincrypto.hash_many")


def merkle_roots(
    blocks: Any,
    *,
    leaf: str = "leaf",
    block: str = "block",
    order: str | None = None,
    hash: str | None = None,
    scheme: str = "chainmaker",
    client: Any = None,
) -> Any:
    """The Merkle root of every block, lazily (see :func:`chaincrypto.merkle_root` for ``hash``
    and ``scheme``). A block with a malformed leaf has root None.

    ``blocks``: a dask Bag whose elements are blocks (each a sequence of leaves or an
    ``(n, 32)`` uint8 array), giving a Bag of 32-byte roots; or a dask DataFrame with one row
    per leaf (column ``leaf``) and a block id, giving a Series of roots indexed by block id.
    For a DataFrame, either ``block`` is its index with known divisions (``set_index(block,
    sorted=True)``; leaves in row order) or ``block`` is a column and ``order`` names a column
    with each leaf's position in its block (the rows are shuffled so that each block is in one
    partition). Blocks are never split, so partitions are the collection's own.
    """
    client = default_client() if client is None else client
    plan = _plan(client)
    if isinstance(blocks, db.Bag):
        return blocks.map_partitions(_tasks.roots_of_blocks, hash, scheme, plan)
    if not isinstance(blocks, dd.DataFrame):
        raise _not_dask(blocks, "blocks", "chaincrypto.merkle_root per block")
    if leaf not in blocks.columns:
        raise ValueError(f"blocks: no leaf column {leaf!r}")
    on_index = blocks.index.name == block and blocks.known_divisions
    if not on_index:
        if block not in blocks.columns:
            raise ValueError(
                f"blocks: {block!r} is neither a column nor the index (with known divisions)"
            )
        if order is None or order not in blocks.columns:
            raise ValueError(
                "order: with the block id in a column, name a column giving each leaf's position"
                " in its block (or set_index(block, sorted=True) so that row order is kept)"
            )
        blocks = blocks.shuffle(on=block)
    index_meta = blocks.index._meta if on_index else blocks[block]._meta
    meta = pd.Series(
        dtype=object, name="root", index=pd.Index([], dtype=index_meta.dtype, name=block)
    )
    return blocks.map_partitions(
        _tasks.roots_of_frame, leaf, block, order, hash, scheme, plan, meta=meta
    )
