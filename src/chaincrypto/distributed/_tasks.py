"""What runs on the workers: one pure function per partition kind.

Every function here is top-level (picklable), has no side effects and returns the same result
for the same partition wherever and however often it runs, so Dask may retry a partition whose
worker died. Each calls the library's batch functions with ``backend=None``: the worker picks
its own best backend (its GPU if it has one). ``threads`` is how many cores one task may use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import ecdsa, sm2
from ..hashing import hash_many
from ..merkle import merkle_root

#: Signature algorithms a record may name (the ``algorithm`` column).
ALGORITHMS = ("sm2", "secp256k1", "p256")
#: Record columns, in the order a tuple record lists them.
COLUMNS = ("algorithm", "public_key", "message", "signature", "prehashed")


@dataclass(frozen=True)
class VerifyOptions:
    """Settings shared by every record of one verification run."""

    uid: bytes = sm2.DEFAULT_UID
    encoding: str = "der"
    hash: str = "sha256"
    strict_low_s: bool = False
    #: For records without an algorithm (no column, no key, or a 3-field tuple).
    algorithm: str | None = None
    #: For records without a ``prehashed`` field.
    prehashed: bool = False
    #: Host -> cores per task (see :func:`task_threads`).
    threads: Mapping[str, int] | None = None


def check_columns(columns: Iterable[str], algorithm: str | None) -> None:
    """``ValueError`` naming the record columns missing from ``columns`` (``algorithm`` may be
    absent when a default algorithm is given)."""
    have = list(columns)
    needed = ["public_key", "message", "signature"] + ([] if algorithm else ["algorithm"])
    missing = [c for c in needed if c not in have]
    if missing:
        raise ValueError(
            f"records: missing column(s) {', '.join(missing)} (have {', '.join(map(str, have))})"
        )


def task_threads(plan: Mapping[str, int] | None) -> int | None:
    """Cores for this task: ``plan[host]`` for the worker's host, else the library default.

    The plan (host -> cores per task) is computed by the client from the cluster layout, so
    worker threads on one host share its cores instead of each taking all of them.
    ``CHAINCRYPTO_THREADS`` set in a worker's environment overrides it.
    """
    if not plan or os.environ.get("CHAINCRYPTO_THREADS", "").strip():
        return None  # no plan, or the worker's operator fixed the count
    try:
        from distributed import get_worker

        host = get_worker().address.rsplit(":", 1)[0].split("://")[-1]
    except (ImportError, ValueError):
        return None
    return plan.get(host)


def as_bytes(value: object) -> bytes | None:
    """A record field as bytes: bytes-like as is, ``str`` as hex (``0x`` optional); None when
    missing or not decodable (the record is then malformed, False in its slot)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        text = value.strip()
        if text[:2] in ("0x", "0X"):
            text = text[2:]
        try:
            return bytes.fromhex(text)
        except ValueError:
            return None
    return None


def as_flag(value: object) -> bool | None:
    """A ``prehashed`` field: bools and 0/1 as is, common spellings in text; None if unclear."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return {"": False, "0": False, "false": False, "1": True, "true": True}.get(
            value.strip().lower()
        )
    return None


def _verify_group(
    algorithm: str,
    pubs: list[bytes],
    msgs: list[bytes],
    sigs: list[bytes],
    prehashed: bool,
    opts: VerifyOptions,
    threads: int | None,
) -> npt.NDArray[np.bool_]:
    if algorithm == "sm2":
        return sm2.verify_batch(
            pubs,
            msgs,
            sigs,
            uid=opts.uid,
            encoding=opts.encoding,
            prehashed=prehashed,
            threads=threads,
        )
    return ecdsa.verify_batch(
        algorithm, pubs, msgs, sigs, encoding=opts.encoding, prehashed=prehashed,
        hash=opts.hash, strict_low_s=opts.strict_low_s, threads=threads,
    )  # fmt: skip


def _verify_group_safely(
    algorithm: str,
    pubs: list[bytes],
    msgs: list[bytes],
    sigs: list[bytes],
    prehashed: bool,
    opts: VerifyOptions,
    threads: int | None,
) -> npt.NDArray[np.bool_]:
    """The batch call, or (if some item made the whole batch raise) each item alone, so a
    malformed record is False in its own slot and never fails the partition."""
    try:
        return _verify_group(algorithm, pubs, msgs, sigs, prehashed, opts, threads)
    except (TypeError, ValueError):
        out = np.zeros(len(pubs), dtype=bool)
        for i, (p, m, s) in enumerate(zip(pubs, msgs, sigs, strict=True)):
            try:
                out[i] = _verify_group(algorithm, [p], [m], [s], prehashed, opts, 1)[0]
            except (TypeError, ValueError):
                out[i] = False
        return out


def verify_columns(
    algorithms: Sequence[object] | None,
    public_keys: Sequence[object],
    messages: Sequence[object],
    signatures: Sequence[object],
    prehashed: Sequence[object] | None,
    opts: VerifyOptions,
) -> npt.NDArray[np.bool_]:
    """Verify records given column by column; mixed algorithms are grouped here and each group
    goes to its batch function once. Returns one bool per record."""
    n = len(public_keys)
    ok = np.zeros(n, dtype=bool)
    if algorithms is None:
        algorithms = [opts.algorithm] * n
    threads = task_threads(opts.threads)
    pubs = [as_bytes(v) for v in public_keys]
    msgs = [as_bytes(v) for v in messages]
    sigs = [as_bytes(v) for v in signatures]
    flags = [opts.prehashed] * n if prehashed is None else [as_flag(v) for v in prehashed]
    groups: dict[tuple[str, bool], list[int]] = {}
    for i, alg in enumerate(algorithms):
        name = alg.strip().lower() if isinstance(alg, str) else None
        flag = flags[i]
        if name not in ALGORITHMS or flag is None or None in (pubs[i], msgs[i], sigs[i]):
            continue  # malformed: False
        groups.setdefault((name, flag), []).append(i)
    for (name, flag), idx in groups.items():
        ok[idx] = _verify_group_safely(
            name,
            [pubs[i] for i in idx],  # type: ignore[misc]
            [msgs[i] for i in idx],  # type: ignore[misc]
            [sigs[i] for i in idx],  # type: ignore[misc]
            flag,
            opts,
            threads,
        )
    return ok


def verify_frame(df: pd.DataFrame, opts: VerifyOptions) -> pd.Series:
    """One DataFrame partition of records -> a bool Series on the same index."""

    def column(name: str) -> list[object] | None:
        return df[name].tolist() if name in df.columns else None

    ok = verify_columns(
        column("algorithm"),
        df["public_key"].tolist(),
        df["message"].tolist(),
        df["signature"].tolist(),
        column("prehashed"),
        opts,
    )
    return pd.Series(ok, index=df.index, name="valid", dtype=bool)


def _record_columns(record: object, opts: VerifyOptions) -> tuple[object, ...]:
    defaults = (opts.algorithm, None, None, None, opts.prehashed)
    if isinstance(record, Mapping):
        return tuple(record.get(c, d) for c, d in zip(COLUMNS, defaults, strict=True))
    if isinstance(record, (tuple, list)):
        if len(record) == 3:  # (public_key, message, signature)
            return (opts.algorithm, *record, opts.prehashed)
        if len(record) in (4, 5):
            return (*record, opts.prehashed) if len(record) == 4 else tuple(record)
    return (None, None, None, None, False)  # not a record: False


def verify_records(records: Iterable[object], opts: VerifyOptions) -> list[bool]:
    """One Bag partition of records -> a list of bools. A record is a dict with the keys of
    :data:`COLUMNS` (``algorithm`` and ``prehashed`` optional, defaulting to ``opts``), a tuple
    in that order (``prehashed`` optional), or ``(public_key, message, signature)``."""
    rows = [_record_columns(r, opts) for r in records]
    if not rows:
        return []
    cols = list(zip(*rows, strict=True))
    return verify_columns(cols[0], cols[1], cols[2], cols[3], cols[4], opts).tolist()


def verify_block(
    public_keys: npt.NDArray[np.uint8],
    messages: npt.NDArray[np.uint8],
    signatures: npt.NDArray[np.uint8],
    algorithm: str,
    prehashed: bool,
    opts: VerifyOptions,
) -> npt.NDArray[np.bool_]:
    """One chunk of fixed-width dask arrays ``(c, k)`` -> a ``(c,)`` bool array."""
    return _verify_group(
        algorithm,
        np.ascontiguousarray(public_keys),  # type: ignore[arg-type]
        np.ascontiguousarray(messages),  # type: ignore[arg-type]
        np.ascontiguousarray(signatures),  # type: ignore[arg-type]
        prehashed,
        opts,
        task_threads(opts.threads),
    )


def hash_block(
    messages: npt.NDArray[np.uint8], algorithm: str, plan: Mapping[str, int] | None
) -> npt.NDArray[np.uint8]:
    """One ``(c, k)`` chunk -> its ``(c, 32)`` digests."""
    return hash_many(np.ascontiguousarray(messages), algorithm, threads=task_threads(plan))


def hash_items(
    messages: Sequence[Any], algorithm: str, plan: Mapping[str, int] | None
) -> list[bytes]:
    """One partition of bytes items -> their digests as 32-byte ``bytes``."""
    items = list(messages)
    if not items:
        return []
    digests = hash_many(items, algorithm, threads=task_threads(plan))
    return [row.tobytes() for row in digests]


def hash_series(series: pd.Series, algorithm: str, plan: Mapping[str, int] | None) -> pd.Series:
    """One Series partition of bytes -> a Series of 32-byte digests on the same index."""
    out = hash_items(series.tolist(), algorithm, plan)
    return pd.Series(out, index=series.index, name=series.name, dtype=object)


def block_root(leaves: object, hash: str | None, scheme: str, threads: int | None) -> bytes | None:
    """The Merkle root of one block, or None if a leaf is malformed (wrong length or type)."""
    if isinstance(leaves, np.ndarray):
        data: Any = np.ascontiguousarray(leaves)
    else:
        data = [as_bytes(v) for v in leaves]  # type: ignore[attr-defined]
        if None in data:
            return None
    try:
        return merkle_root(data, hash=hash, scheme=scheme, threads=threads)
    except (TypeError, ValueError):
        return None


def roots_of_blocks(
    blocks: Iterable[object], hash: str | None, scheme: str, plan: Mapping[str, int] | None
) -> list[bytes | None]:
    """One Bag partition whose elements are blocks (sequences of leaves) -> their roots."""
    threads = task_threads(plan)
    return [block_root(b, hash, scheme, threads) for b in blocks]


def roots_of_frame(
    df: pd.DataFrame,
    leaf: str,
    block: str,
    order: str | None,
    hash: str | None,
    scheme: str,
    plan: Mapping[str, int] | None,
) -> pd.Series:
    """One DataFrame partition holding whole blocks -> a Series of roots indexed by block.

    Leaves are taken in row order, or sorted by ``order`` (stable) when given."""
    threads = task_threads(plan)
    if order is not None:
        df = df.sort_values(order, kind="stable")
    keys = df.index if block == df.index.name else df[block]
    roots: dict[Any, bytes | None] = {}
    for key, rows in df.groupby(keys, sort=True)[leaf]:
        roots[key] = block_root(rows.tolist(), hash, scheme, threads)
    index = pd.Index(list(roots), name=block)
    return pd.Series(list(roots.values()), index=index, name="root", dtype=object)
