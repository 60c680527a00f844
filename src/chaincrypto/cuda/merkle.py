"""Merkle trees on the device: one kernel launch per level, the tree kept on the device between
levels, only the root (or, for a whole tree, every level in one copy) brought back.

Schemes, as in :mod:`chaincrypto.merkle`: ``chainmaker`` (parent ``H(l || r)``, an odd last node
paired with itself), ``bitcoin`` (the same with ``H(H(l || r))``), ``rfc6962`` (leaf
``H(0x00 || data)``, parent ``H(0x01 || l || r)``, an odd last node promoted unchanged). The
``mutated`` flag (CVE-2012-2459) is set when two identical adjacent nodes are paired, at any
level; never for rfc6962.

Nodes are ``(m, 8)`` uint32 device arrays in the device node format (memory bytes = digest).
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import cuda, uint32

from .._inputs import Items
from .hashing import CHECK_LENGTHS, HASHES, Hash, check_messages, hash_items_device
from .known_answer import checked
from .launch import device_empty, device_function, digests, kernel, launch, to_device, words_view
from .message import load_state, pad_words, set_length, store_digest
from .primitives import bswap, u32

SCHEMES = {"chainmaker": 0, "bitcoin": 1, "rfc6962": 2}
_CHAINMAKER, _BITCOIN, _RFC6962 = 0, 1, 2


@device_function
def load_pair(w, src, left, right):  # type: ignore[no-untyped-def]
    """``w[0:16]`` = the 64-byte message ``left || right`` (two node rows of ``src``)."""
    for k in range(8):
        w[k] = bswap(src[left, k])
        w[8 + k] = bswap(src[right, k])


@device_function
def load_prefixed_pair(w, src, left, right):  # type: ignore[no-untyped-def]
    """``w[0:16]`` = the first block of ``0x01 || left || right``; returns the last byte of
    ``right``, which opens the second block."""
    prev = 0x01
    for k in range(16):
        x = bswap(src[left, k]) if k < 8 else bswap(src[right, k - 8])
        w[k] = u32((prev << 24) | (x >> 8))
        prev = x & 0xFF
    return prev


@device_function
def same_nodes(src, left, right):  # type: ignore[no-untyped-def]
    """True when node rows ``left`` and ``right`` of ``src`` are equal."""
    for k in range(8):  # noqa: SIM110 - no generators in device code
        if src[left, k] != src[right, k]:
            return False
    return True


@cache
def level_kernel(scheme: str, algorithm: str) -> Any:
    """The kernel that hashes one level of ``scheme`` with ``algorithm`` (lazily compiled)."""
    return _level_kernel(SCHEMES[scheme], HASHES[algorithm])


def _level_kernel(scheme: int, h: Hash) -> Any:
    compress, compress_pad64, iv, wlen = h.compress, h.compress_pad64, h.iv, h.schedule_words

    @kernel
    def level(src, count, dst, flag):  # type: ignore[no-untyped-def]
        i = cuda.grid(1)
        if i >= dst.shape[0]:
            return
        left = 2 * i
        right = left + 1 if left + 1 < count else left
        if right == left and scheme == _RFC6962:
            for k in range(8):
                dst[i, k] = src[left, k]
            return
        if right != left and scheme != _RFC6962 and same_nodes(src, left, right):
            flag[0] = 1
        state = cuda.local.array(8, uint32)
        w = cuda.local.array(wlen, uint32)
        load_state(state, iv)
        if scheme == _RFC6962:
            last = load_prefixed_pair(w, src, left, right)
            compress(state, w)
            w[0] = u32((last << 24) | 0x800000)
            for k in range(1, 14):
                w[k] = 0
            set_length(w, 65)
            compress(state, w)
        else:
            load_pair(w, src, left, right)
            compress(state, w)
            compress_pad64(state)
            if scheme == _BITCOIN:
                for k in range(8):
                    w[k] = state[k]
                pad_words(w, 8, 32)
                load_state(state, iv)
                compress(state, w)
        store_digest(dst, i, state)

    return level


def level_sizes(n: int) -> list[int]:
    """Node counts from the ``n`` leaves up to the 1-node root level."""
    sizes = [n]
    while sizes[-1] > 1:
        sizes.append((sizes[-1] + 1) // 2)
    return sizes


def hash_level(
    scheme: str, algorithm: str, src: Any, count: int, dst: Any, flag: Any, stream: Any = 0
) -> None:
    """Hash ``count`` nodes of device array ``src`` into the ``(count + 1) // 2`` rows of
    ``dst``; sets ``flag[0]`` on a mutated pair."""
    launch(level_kernel(scheme, algorithm), (count + 1) // 2, src, count, dst, flag, stream=stream)


def root_device(scheme: str, algorithm: str, d_nodes: Any, stream: Any = 0) -> tuple[bytes, bool]:
    """Root and ``mutated`` flag of the tree over the level-0 nodes ``d_nodes`` (an ``(n, 8)``
    uint32 device array, n >= 1), reducing in two ping-pong device buffers."""
    n = d_nodes.shape[0]
    flag = to_device(np.zeros(1, dtype=np.int32), stream)
    cur = d_nodes
    if n > 1:
        half = (n + 1) // 2
        bufs = (
            device_empty((half, 8), np.uint32, stream),
            device_empty(((half + 1) // 2, 8), np.uint32, stream),
        )
        count, k = n, 0
        while count > 1:
            parents = (count + 1) // 2
            dst = bufs[k][:parents]
            hash_level(scheme, algorithm, cur, count, dst, flag, stream)
            cur, count, k = dst, parents, k ^ 1
    root = digests(cur[:1].copy_to_host(stream=stream))[0].tobytes()
    return root, bool(flag.copy_to_host(stream=stream)[0])


def levels_device(
    scheme: str, algorithm: str, d_nodes: Any, stream: Any = 0
) -> tuple[Any, list[int], bool]:
    """Every level over the level-0 nodes ``d_nodes``: one ``(sum(sizes), 8)`` uint32 device
    buffer holding the levels back to back (leaves first), the level sizes, and ``mutated``."""
    sizes = level_sizes(d_nodes.shape[0])
    buf = device_empty((sum(sizes), 8), np.uint32, stream)
    buf[: sizes[0]].copy_to_device(d_nodes, stream=stream)
    flag = to_device(np.zeros(1, dtype=np.int32), stream)
    start = 0
    for size, parents in itertools.pairwise(sizes):
        src = buf[start : start + size]
        dst = buf[start + size : start + size + parents]
        hash_level(scheme, algorithm, src, size, dst, flag, stream)
        start += size
    return buf, sizes, bool(flag.copy_to_host(stream=stream)[0])


def leaf_nodes_device(
    scheme: str, algorithm: str, leaves: Items | npt.NDArray[np.uint8], stream: Any = 0
) -> Any:
    """Level 0 on the device: the ``(n, 32)`` leaf hashes as they are, or for rfc6962
    ``H(0x00 || item)`` of each item, hashed on the device."""
    if scheme == "rfc6962":
        return hash_items_device(algorithm, leaves, prefix=0x00, stream=stream)
    assert isinstance(leaves, np.ndarray)
    words = words_view(np.ascontiguousarray(leaves).reshape(-1))
    if words is None:
        words = np.ascontiguousarray(leaves).reshape(-1).copy().view(np.uint32)
    return to_device(words.reshape(-1, 8), stream)


def _check_tree(variant: tuple[str, str]) -> tuple[Any, ...]:
    """A 6-leaf tree whose last two leaves are equal (the ``mutated`` case of bitcoin's trees):
    raw items for rfc6962, fixed 32-byte leaf hashes otherwise."""
    scheme, algorithm = variant
    if scheme == "rfc6962":
        return scheme, algorithm, check_messages((0, 1, 55, 64, 65, 65))
    leaves = np.frombuffer(bytes(range(192)), dtype=np.uint8).reshape(6, 32).copy()
    leaves[5] = leaves[4]
    return scheme, algorithm, leaves


def _tree(op: str) -> Any:
    return checked(op, lambda scheme, algorithm, *_: (scheme, algorithm), _check_tree, ", ".join)


@_tree("merkle_root")
def merkle_root(
    scheme: str, algorithm: str, leaves: Any, threads: int | None = None
) -> tuple[bytes, bool]:
    """Root of a non-empty tree and its ``mutated`` flag (the C backend's ``merkle_root``
    signature; ``threads`` is ignored)."""
    return root_device(scheme, algorithm, leaf_nodes_device(scheme, algorithm, leaves))


@_tree("merkle_levels")
def merkle_levels(
    scheme: str, algorithm: str, leaves: Any, threads: int | None = None
) -> tuple[list[npt.NDArray[np.uint8]], bool]:
    """Every level (leaves or leaf hashes first, root last) as ``(m, 32)`` uint8 views into one
    host buffer, and ``mutated`` (the C backend's ``merkle_levels`` signature)."""
    buf, sizes, mutated = levels_device(
        scheme, algorithm, leaf_nodes_device(scheme, algorithm, leaves)
    )
    host = digests(buf.copy_to_host())
    levels, start = [], 0
    for size in sizes:
        levels.append(host[start : start + size])
        start += size
    return levels, mutated


@checked(
    "rfc6962_leaf_hashes",
    lambda algorithm, *_: algorithm,
    lambda algorithm: (algorithm, check_messages(CHECK_LENGTHS)),
)
def rfc6962_leaf_hashes(
    algorithm: str, items: Items | npt.NDArray[np.uint8], threads: int | None = None
) -> npt.NDArray[np.uint8]:
    """``H(0x00 || item)`` of every item as ``(n, 32)`` uint8 (the C backend's signature)."""
    return digests(hash_items_device(algorithm, items, prefix=0x00).copy_to_host())
