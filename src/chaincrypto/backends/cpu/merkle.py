"""Merkle trees on the C backend: whole levels through csrc/merkle/, split across cores.

Entry points (all inputs already validated by :mod:`chaincrypto.merkle`):

* ``merkle_root(scheme, algorithm, leaves, threads)`` -> ``(root, mutated)``
* ``merkle_levels(scheme, algorithm, leaves, threads)`` -> ``(levels, mutated)``
* ``rfc6962_leaf_hashes(algorithm, items, threads)`` -> ``(n, 32)`` uint8

``leaves`` is an ``(n, 32)`` uint8 array of nodes for the duplicate-last schemes; for
``"rfc6962"`` the raw leaf data, as :class:`~chaincrypto._inputs.Items` or a C-contiguous
``(n, k)`` uint8 array.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import numpy.typing as npt

from ..._cpu import ffi, lib
from ..._inputs import Items
from ..._threads import run_chunks, thread_count
from ._ffi import check, ptr
from .hashing import ALGORITHMS

SCHEMES = {
    "chainmaker": lib.CC_MERKLE_CHAINMAKER,
    "bitcoin": lib.CC_MERKLE_BITCOIN,
    "rfc6962": lib.CC_MERKLE_RFC6962,
}
#: Leaves per unit of thread work are 2^k leaves reduced to one node, k in this range: big
#: enough to keep the number of C calls (each with a fixed cost) low, small enough to give every
#: thread several units.
_UNIT_LOG_MIN, _UNIT_LOG_MAX = 10, 16
#: Below this many parents a level is hashed on one thread.
_MIN_PAIRS_PER_THREAD = 2048
_NULL = ffi.NULL


def _depth(n: int) -> int:
    """Levels above the leaves: ceil(log2(n)) for n >= 1."""
    return (n - 1).bit_length() if n > 1 else 0


def _count(leaves: Any) -> int:
    return leaves.n if isinstance(leaves, Items) else len(leaves)


def _leaf_args(items: Items | npt.NDArray[np.uint8], start: int) -> tuple[Any, Any, int]:
    """(data, offsets, width) pointers for the C leaf functions, from leaf ``start`` on."""
    if isinstance(items, np.ndarray):  # (n, k) uint8, C-contiguous
        width = items.shape[1]
        return ptr(items, offset=start * width), _NULL, width
    if items.width is not None:
        return ptr(items.data, offset=start * items.width), _NULL, items.width
    return ptr(items.data), ptr(items.offsets, "uint64_t *", start), 0


def _unit_log(depth: int, threads: int) -> int:
    """log2 of the leaves per thread work unit: about 4 units per thread, within bounds."""
    return max(_UNIT_LOG_MIN, min(_UNIT_LOG_MAX, depth - (4 * threads - 1).bit_length()))


def merkle_root(
    scheme: str, algorithm: str, leaves: Any, threads: int | None = None
) -> tuple[bytes, bool]:
    """The root of a non-empty tree (and the CVE-2012-2459 ``mutated`` flag), keeping beside
    the input only the C layer's block scratch and one node per work unit."""
    code, alg = SCHEMES[scheme], ALGORITHMS[algorithm]
    rfc = scheme == "rfc6962"
    n = _count(leaves)
    depth = _depth(n)
    out = np.empty((1, 32), dtype=np.uint8)
    flag = ffi.new("int32_t *")
    n_threads = thread_count(threads)
    unit_log = _unit_log(depth, n_threads)
    if n_threads == 1 or depth <= unit_log:
        if rfc:
            data, offsets, width = _leaf_args(leaves, 0)
            rc = lib.cc_merkle_rfc6962_reduce(alg, 0, data, offsets, width, n, depth, ptr(out))
        else:
            rc = lib.cc_merkle_reduce(code, alg, 0, ptr(leaves), n, depth, ptr(out), flag)
        check(rc, f"{scheme} merkle root")
        return out[0].tobytes(), bool(flag[0])

    unit = 1 << unit_log
    n_units = -(-n // unit)
    nodes = np.empty((n_units, 32), dtype=np.uint8)

    def work(a: int, b: int) -> bool:
        lo, hi = a * unit, min(b * unit, n)
        f = ffi.new("int32_t *")
        dst = ptr(nodes, offset=32 * a)
        if rfc:
            data, offsets, width = _leaf_args(leaves, lo)
            rc = lib.cc_merkle_rfc6962_reduce(alg, 0, data, offsets, width, hi - lo, unit_log, dst)
        else:
            src = ptr(leaves, offset=32 * lo)
            rc = lib.cc_merkle_reduce(code, alg, 0, src, hi - lo, unit_log, dst, f)
        check(rc, f"{scheme} merkle root")
        return bool(f[0])

    mutated = any(run_chunks(n_units, n_threads, 1, work))
    rc = lib.cc_merkle_reduce(code, alg, 0, ptr(nodes), n_units, depth - unit_log, ptr(out), flag)
    check(rc, f"{scheme} merkle root")
    return out[0].tobytes(), mutated or bool(flag[0])


def rfc6962_leaf_hashes(
    algorithm: str, items: Items | npt.NDArray[np.uint8], threads: int | None = None
) -> npt.NDArray[np.uint8]:
    """``H(0x00 || item)`` for every item (an :class:`Items` or an ``(n, k)`` uint8 array), as
    an ``(n, 32)`` array."""
    alg = ALGORITHMS[algorithm]
    n = _count(items)
    out = np.empty((n, 32), dtype=np.uint8)
    if n == 0:
        return out
    avg = max(1, (items.size if isinstance(items, np.ndarray) else len(items.data)) // n)

    def work(a: int, b: int) -> None:
        data, offsets, width = _leaf_args(items, a)
        dst = ptr(out, offset=32 * a)
        rc = lib.cc_merkle_rfc6962_leaves(alg, 0, data, offsets, width, b - a, dst)
        check(rc, "rfc6962 leaf hashes")

    run_chunks(n, threads, max(64, (1 << 16) // (avg + 1)), work)
    return out


def _level(
    code: int, alg: int, src: npt.NDArray[np.uint8], dst: npt.NDArray[np.uint8],
    threads: int | None, what: str,
) -> bool:
    count, parents = len(src), len(dst)

    def work(a: int, b: int) -> bool:
        f = ffi.new("int32_t *")
        rc = lib.cc_merkle_level(
            code, alg, 0, ptr(src, offset=64 * a), min(2 * b, count) - 2 * a,
            ptr(dst, offset=32 * a), f,
        )
        check(rc, what)
        return bool(f[0])

    return any(run_chunks(parents, threads, _MIN_PAIRS_PER_THREAD, work))


def merkle_levels(
    scheme: str, algorithm: str, leaves: Any, threads: int | None = None
) -> tuple[list[npt.NDArray[np.uint8]], bool]:
    """Every level, leaves (leaf hashes for rfc6962) first and the 1-node root level last, as
    views into one buffer of at most 2n nodes."""
    code, alg = SCHEMES[scheme], ALGORITHMS[algorithm]
    n = _count(leaves)
    sizes = [n]
    while sizes[-1] > 1:
        sizes.append((sizes[-1] + 1) // 2)
    buf = np.empty((sum(sizes), 32), dtype=np.uint8)
    levels: list[npt.NDArray[np.uint8]] = []
    start = 0
    for size in sizes:
        levels.append(buf[start : start + size])
        start += size
    if scheme == "rfc6962":
        levels[0][:] = rfc6962_leaf_hashes(algorithm, leaves, threads)
    else:
        levels[0][:] = leaves
    mutated = False
    for src, dst in itertools.pairwise(levels):
        mutated |= _level(code, alg, src, dst, threads, f"{scheme} merkle level")
    return levels, mutated


OPS = {
    "merkle_root": merkle_root,
    "merkle_levels": merkle_levels,
    "rfc6962_leaf_hashes": rfc6962_leaf_hashes,
}
