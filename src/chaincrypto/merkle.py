"""Merkle trees: roots, stored trees, inclusion proofs and RFC 6962 consistency proofs.

Schemes (``scheme=``):

``"chainmaker"``
    ChainMaker's block TxRoot. Leaves are the given 32-byte transaction hashes (no re-hash, no
    prefix); parent = ``H(left || right)``; a level with an odd count pairs its last node with
    itself, ``H(x || x)``; one leaf is its own root; no leaves is a ``ValueError``. ``hash`` is
    ``"sm3"`` (the default) or ``"sha256"``.
``"bitcoin"``
    The same shape with double SHA-256 nodes, ``SHA256(SHA256(left || right))`` (Bitcoin's
    block merkle root over txids in internal byte order). ``hash`` must be ``"sha256"`` (the
    default for this scheme).
``"rfc6962"``
    RFC 6962 / RFC 9162 section 2.1: leaf hash ``H(0x00 || data)``, node
    ``H(0x01 || left || right)``, split at the largest power of two smaller than n, empty tree
    ``H("")``. Leaves are arbitrary byte strings: a list of bytes, an ``(n, k)`` uint8 array or a
    flat buffer with ``offsets=``. ``hash`` defaults to ``"sha256"``.

Duplicate-last trees are ambiguous: ``[a, b, c]`` and ``[a, b, c, c]`` share a root
(CVE-2012-2459). Like Bitcoin Core's ``ComputeMerkleRoot``, this module reports *mutation*: true
when two identical adjacent nodes are paired at some level. Ask for it with
``merkle_root(..., return_mutated=True)`` or read :attr:`MerkleTree.mutated`; a block whose
tree is mutated should be rejected by a node.

Every level is hashed in long batched C calls (split across cores for big levels); roots of big
inputs are computed block by block (2^16 leaves) and need only a few MiB beside the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from . import backends
from ._inputs import Items, as_items
from .hashing import check_algorithm, hash_many, sha256, sm3

SCHEMES = ("chainmaker", "bitcoin", "rfc6962")
_DEFAULT_HASH = {"chainmaker": "sm3", "bitcoin": "sha256", "rfc6962": "sha256"}
_HASHERS = {"sm3": sm3, "sha256": sha256}
_BYTES_LIKE = (bytes, bytearray, memoryview)

__all__ = [
    "SCHEMES",
    "MerkleTree",
    "ProofBatch",
    "merkle_root",
    "verify_consistency",
    "verify_proof",
    "verify_proofs",
]


# ----------------------------------------------------------------------------------------------
# argument checking


def _check(scheme: object, hash: object) -> tuple[str, str]:
    """Validated ``(scheme, hash)``; ``hash=None`` picks the scheme's default."""
    if not isinstance(scheme, str) or scheme not in SCHEMES:
        raise ValueError(f"scheme: expected one of {', '.join(SCHEMES)}, got {scheme!r}")
    alg = _DEFAULT_HASH[scheme] if hash is None else check_algorithm(hash, "hash")
    if scheme == "bitcoin" and alg != "sha256":
        raise ValueError(f"hash: the bitcoin scheme uses double SHA-256 only, got {alg!r}")
    return scheme, alg


def _check_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: expected an integer, got {type(value).__name__}")
    return int(value)


def _check_bytes(value: object, name: str) -> bytes:
    if not isinstance(value, _BYTES_LIKE):
        raise TypeError(f"{name}: expected bytes, got {type(value).__name__}")
    return bytes(value)


def _fixed_array(leaves: Any, offsets: Any) -> npt.NDArray[np.uint8] | None:
    """``leaves`` itself when it is a C-contiguous ``(n, k)`` uint8 array (no offsets array is
    built for it: that would be 8 bytes per leaf)."""
    if (
        offsets is None
        and isinstance(leaves, np.ndarray)
        and leaves.dtype == np.uint8
        and leaves.ndim == 2
        and leaves.flags.c_contiguous
    ):
        return leaves
    return None


def _node_leaves(leaves: Any, offsets: Any) -> npt.NDArray[np.uint8]:
    """Leaves of a duplicate-last scheme as a C-contiguous ``(n, 32)`` uint8 array."""
    arr = _fixed_array(leaves, offsets)
    if arr is not None and arr.shape[1] == 32:
        return arr
    items = as_items(leaves, "leaves", offsets)
    n = items.n
    if items.width == 32 and len(items.data) == 32 * n:
        return items.data.reshape(n, 32)
    lengths = items.lengths()
    bad = np.flatnonzero(lengths != 32)
    if len(bad):
        i = int(bad[0])
        raise ValueError(f"leaves[{i}]: expected a 32-byte hash, got {int(lengths[i])} bytes")
    starts = items.offsets[:-1].astype(np.int64)
    return np.ascontiguousarray(items.data[starts[:, None] + np.arange(32)])


def _prepare(scheme: str, leaves: Any, offsets: Any) -> tuple[Any, int]:
    """The backend's leaf input (nodes or :class:`Items`) and the leaf count."""
    if scheme == "rfc6962":
        arr = _fixed_array(leaves, offsets)
        if arr is not None:
            return arr, len(arr)
        items = as_items(leaves, "leaves", offsets)
        return items, items.n
    nodes = _node_leaves(leaves, offsets)
    if len(nodes) == 0:
        raise ValueError(f"leaves: a {scheme} Merkle tree needs at least one leaf")
    return nodes, len(nodes)


def _hash1(alg: str, data: bytes) -> bytes:
    return _HASHERS[alg](data).digest()


def _node(scheme: str, alg: str, left: bytes, right: bytes) -> bytes:
    if scheme == "rfc6962":
        return _hash1(alg, b"\x01" + left + right)
    h = _hash1(alg, left + right)
    return _hash1(alg, h) if scheme == "bitcoin" else h


def _depth(n: int) -> int:
    return (n - 1).bit_length() if n > 1 else 0


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


# ----------------------------------------------------------------------------------------------
# roots and trees


def merkle_root(
    leaves: Any,
    *,
    hash: str | None = None,
    scheme: str = "chainmaker",
    offsets: Any = None,
    backend: str | None = None,
    threads: int | None = None,
    return_mutated: bool = False,
) -> Any:
    """The Merkle root of ``leaves`` as 32 bytes (``(root, mutated)`` with ``return_mutated``).

    ``leaves``: for ``"chainmaker"``/``"bitcoin"`` an ``(n, 32)`` uint8 array or a sequence of
    32-byte hashes (another length is a ``ValueError`` naming ``leaves[i]``); for ``"rfc6962"``
    any batch of byte strings (sequence, ``(n, k)`` array, or flat buffer with ``offsets``).
    ``hash``: ``"sm3"`` or ``"sha256"``; default ``"sm3"`` for chainmaker, ``"sha256"`` for
    bitcoin and rfc6962. ``mutated`` is the CVE-2012-2459 flag (always False for rfc6962).
    Memory beyond the input: a few MiB of block scratch per thread. ``threads`` caps the cores
    used.
    """
    scheme, alg = _check(scheme, hash)
    data, n = _prepare(scheme, leaves, offsets)
    if n == 0:  # rfc6962 only: the empty tree
        root, mutated = _hash1(alg, b""), False
    else:
        be = backends.select("merkle_root", n, backend)
        root, mutated = be.op("merkle_root")(scheme, alg, data, threads)
    return (root, mutated) if return_mutated else root


class ProofBatch(NamedTuple):
    """Many inclusion proofs at once: proof ``j`` is ``siblings[j, :lengths[j]]`` (bottom-up);
    rows are zero past their length. For the duplicate-last schemes every length is the tree's
    depth; RFC 6962 paths skip levels where the node has no sibling."""

    siblings: npt.NDArray[np.uint8]
    lengths: npt.NDArray[np.int64]

    def proof(self, j: int) -> list[bytes]:
        """Proof ``j`` as a list of 32-byte siblings."""
        return [row.tobytes() for row in self.siblings[j, : int(self.lengths[j])]]


class MerkleTree:
    """A whole tree kept in memory (all levels, at most ``2n`` nodes of 32 bytes).

    ``levels[0]`` holds the leaves (for rfc6962 the leaf hashes ``H(0x00 || data)``) and
    ``levels[-1]`` the root; each level is a read-only ``(m, 32)`` uint8 array. Arguments as
    for :func:`merkle_root`.
    """

    def __init__(
        self,
        leaves: Any,
        *,
        hash: str | None = None,
        scheme: str = "chainmaker",
        offsets: Any = None,
        backend: str | None = None,
        threads: int | None = None,
    ) -> None:
        self.scheme, self.hash = _check(scheme, hash)
        data, n = _prepare(self.scheme, leaves, offsets)
        self.n_leaves = n
        self.levels: list[npt.NDArray[np.uint8]] = []
        #: True when two identical adjacent nodes are paired at some level (CVE-2012-2459).
        self.mutated = False
        if n:
            be = backends.select("merkle_levels", n, backend)
            build = be.op("merkle_levels")
            self.levels, self.mutated = build(self.scheme, self.hash, data, threads)
            for level in self.levels:
                level.setflags(write=False)
        self.root: bytes = self.levels[-1][0].tobytes() if n else _hash1(self.hash, b"")

    def __len__(self) -> int:
        return self.n_leaves

    def __repr__(self) -> str:
        return (
            f"MerkleTree(n_leaves={self.n_leaves}, scheme={self.scheme!r}, hash={self.hash!r},"
            f" root={self.root.hex()})"
        )

    @property
    def depth(self) -> int:
        """Levels above the leaves: ``ceil(log2(n))``."""
        return _depth(self.n_leaves)

    def _index(self, index: object, size: int, name: str = "index") -> int:
        i = _check_int(index, name)
        if not 0 <= i < size:
            raise IndexError(f"{name}: {i} is out of range for a tree of {size} leaves")
        return i

    def leaf_hash(self, index: int) -> bytes:
        """The level-0 node of leaf ``index`` (the leaf itself, or ``H(0x00 || data)``)."""
        i = self._index(index, self.n_leaves)  # first: an empty tree has no level 0
        return self.levels[0][i].tobytes()

    def proof(self, index: int, tree_size: int | None = None) -> list[bytes]:
        """The inclusion proof of leaf ``index``: sibling nodes from the bottom up.

        Duplicate-last schemes: one sibling per level (the node itself where it is paired with
        itself). rfc6962: the RFC 9162 audit path, optionally within the first ``tree_size``
        leaves (an older tree head).
        """
        if tree_size is not None:
            if self.scheme != "rfc6962":
                raise ValueError("tree_size: only the rfc6962 scheme has proofs for older sizes")
            size = _check_int(tree_size, "tree_size")
            if not 0 < size <= self.n_leaves:
                raise ValueError(f"tree_size: expected 1..{self.n_leaves}, got {size}")
            return self._path(self._index(index, size), 0, size)
        batch = self.proofs([self._index(index, self.n_leaves)])
        return batch.proof(0)

    def proofs(self, indices: Any) -> ProofBatch:
        """Inclusion proofs of many leaves at once, gathered with numpy indexing."""
        idx = np.asarray(indices)
        if idx.dtype.kind not in "iu" and idx.size:
            raise TypeError(f"indices: expected integers, got dtype {idx.dtype}")
        idx = idx.astype(np.int64).reshape(-1)
        if len(idx) and (int(idx.min()) < 0 or int(idx.max()) >= self.n_leaves):
            raise IndexError(f"indices: out of range for a tree of {self.n_leaves} leaves")
        depth, k = self.depth, len(idx)
        siblings = np.zeros((k, depth, 32), dtype=np.uint8)
        lengths = np.zeros(k, dtype=np.int64)
        rows = np.arange(k)
        for level_no, level in enumerate(self.levels[:-1]):
            pos = idx >> level_no
            sib = pos ^ 1
            has = sib < len(level)
            if self.scheme == "rfc6962":
                siblings[rows[has], lengths[has]] = level[sib[has]]
                lengths += has
            else:
                siblings[:, level_no] = level[np.where(has, sib, pos)]
        if self.scheme != "rfc6962":
            lengths[:] = depth
        return ProofBatch(siblings, lengths)

    # -- RFC 6962 / 9162 helpers over arbitrary sub-ranges -------------------------------------

    def _mth(self, a: int, b: int) -> bytes:
        """MTH(D[a:b]) from the stored levels, hashing only along ragged right edges."""
        size = b - a
        if size == 0:
            return _hash1(self.hash, b"")
        level = _depth(size)
        if a % (1 << level) == 0 and (size == 1 << level or b == self.n_leaves):
            return self.levels[level][a >> level].tobytes()
        k = _split(size)
        return _node("rfc6962", self.hash, self._mth(a, a + k), self._mth(a + k, b))

    def _path(self, m: int, a: int, b: int) -> list[bytes]:
        if b - a == 1:
            return []
        k = _split(b - a)
        if m < k:
            return [*self._path(m, a, a + k), self._mth(a + k, b)]
        return [*self._path(m - k, a + k, b), self._mth(a, a + k)]

    def _subproof(self, m: int, a: int, b: int, complete: bool) -> list[bytes]:
        if m == b - a:
            return [] if complete else [self._mth(a, b)]
        k = _split(b - a)
        if m <= k:
            return [*self._subproof(m, a, a + k, complete), self._mth(a + k, b)]
        return [*self._subproof(m - k, a + k, b, False), self._mth(a, a + k)]

    def _rfc_only(self, what: str) -> None:
        if self.scheme != "rfc6962":
            raise ValueError(f"{what}: only defined for the rfc6962 scheme")

    def root_at(self, size: int) -> bytes:
        """rfc6962: the root of the first ``size`` leaves (an older tree head)."""
        self._rfc_only("root_at")
        size = _check_int(size, "size")
        if not 0 <= size <= self.n_leaves:
            raise ValueError(f"size: expected 0..{self.n_leaves}, got {size}")
        return self._mth(0, size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """rfc6962: the RFC 9162 consistency proof PROOF(old_size, D[new_size]) between the
        tree heads of sizes ``old_size <= new_size`` (default: this tree's size). Empty when
        ``old_size`` is 0 or equals ``new_size``."""
        self._rfc_only("consistency_proof")
        new = self.n_leaves if new_size is None else _check_int(new_size, "new_size")
        old = _check_int(old_size, "old_size")
        if not 0 <= new <= self.n_leaves:
            raise ValueError(f"new_size: expected 0..{self.n_leaves}, got {new}")
        if not 0 <= old <= new:
            raise ValueError(f"old_size: expected 0..{new}, got {old}")
        if old in (0, new):
            return []
        return self._subproof(old, 0, new, True)


# ----------------------------------------------------------------------------------------------
# verification


def _proof_list(proof: object) -> list[Any]:
    """The proof's elements; ``TypeError`` only when ``proof`` is not a sequence at all."""
    if isinstance(proof, np.ndarray):
        if proof.ndim == 2 and proof.dtype == np.uint8:
            return [row.tobytes() for row in proof]
        return [None]  # a malformed proof, not a type error
    if isinstance(proof, (str, *_BYTES_LIKE)) or not isinstance(proof, Sequence):
        raise TypeError(f"proof: expected a sequence of 32-byte nodes, got {type(proof).__name__}")
    return list(proof)


def _nodes32(proof: list[Any]) -> list[bytes] | None:
    out = []
    for p in proof:
        if not isinstance(p, _BYTES_LIKE):
            return None
        b = bytes(p)
        if len(b) != 32:
            return None
        out.append(b)
    return out


def verify_proof(
    root: bytes,
    leaf: bytes,
    index: int,
    proof: Sequence[bytes],
    *,
    n_leaves: int,
    hash: str | None = None,
    scheme: str = "chainmaker",
    leaf_is_hash: bool = False,
) -> bool:
    """True when ``proof`` (siblings bottom-up, as from :meth:`MerkleTree.proof`) shows that
    ``leaf`` sits at ``index`` in the tree of ``n_leaves`` leaves with root ``root``.

    ``leaf`` is the 32-byte leaf hash for chainmaker/bitcoin, and the leaf's data for rfc6962
    (hashed as ``H(0x00 || leaf)``; pass the leaf hash with ``leaf_is_hash=True``). rfc6962
    follows RFC 9162 section 2.1.3.2 exactly. A malformed proof, index, size or root is simply
    False; only wrong argument types and unknown scheme/hash raise.
    """
    scheme, alg = _check(scheme, hash)
    root_b = _check_bytes(root, "root")
    leaf_b = _check_bytes(leaf, "leaf")
    i = _check_int(index, "index")
    n = _check_int(n_leaves, "n_leaves")
    items = _proof_list(proof)
    nodes = _nodes32(items)
    if nodes is None or len(root_b) != 32 or not 0 <= i < n:
        return False
    if scheme == "rfc6962":
        if leaf_is_hash and len(leaf_b) != 32:
            return False
        r = leaf_b if leaf_is_hash else _hash1(alg, b"\x00" + leaf_b)
        fn, sn = i, n - 1
        for p in nodes:
            if sn == 0:
                return False
            if fn & 1 or fn == sn:
                r = _node(scheme, alg, p, r)
                if not fn & 1:
                    while fn and not fn & 1:
                        fn >>= 1
                        sn >>= 1
            else:
                r = _node(scheme, alg, r, p)
            fn >>= 1
            sn >>= 1
        return sn == 0 and r == root_b
    if len(leaf_b) != 32 or len(nodes) != _depth(n):
        return False
    h, pos, count = leaf_b, i, n
    for p in nodes:
        if pos == count - 1 and count % 2 == 1 and p != h:
            return False  # the last node of an odd level is paired with itself
        h = _node(scheme, alg, p, h) if pos & 1 else _node(scheme, alg, h, p)
        pos, count = pos >> 1, (count + 1) >> 1
    return h == root_b


def _maybe_nodes(proof: object) -> list[bytes] | None:
    """One proof of a batch as 32-byte nodes, or None when it is malformed in any way."""
    try:
        return _nodes32(_proof_list(proof))
    except TypeError:
        return None


def _batch_proofs(
    proofs: Any, k: int
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """``(siblings (k, D, 32), lengths (k,), well_formed (k,))`` from any accepted form."""
    if isinstance(proofs, ProofBatch):
        sib, lengths = np.asarray(proofs.siblings), np.asarray(proofs.lengths)
        if sib.ndim != 3 or sib.dtype != np.uint8 or sib.shape[2] != 32:
            raise ValueError(
                f"proofs.siblings: expected a (k, depth, 32) uint8 array, got {sib.dtype}"
                f" {sib.shape}"
            )
        if lengths.ndim != 1 or (lengths.size and lengths.dtype.kind not in "iu"):
            raise TypeError(f"proofs.lengths: expected a 1-D integer array, got {lengths.dtype}")
        lengths = lengths.astype(np.int64)
    elif isinstance(proofs, np.ndarray):
        sib = proofs
        if sib.ndim != 3 or sib.dtype != np.uint8 or sib.shape[2] != 32:
            raise ValueError(f"proofs: expected a (k, depth, 32) uint8 array, got {sib.shape}")
        lengths = np.full(len(sib), sib.shape[1], dtype=np.int64)
    elif isinstance(proofs, Sequence) and not isinstance(proofs, (str, *_BYTES_LIKE)):
        rows = [_maybe_nodes(p) for p in proofs]
        depth = max((len(r) for r in rows if r is not None), default=0)
        sib = np.zeros((len(rows), depth, 32), dtype=np.uint8)
        lengths = np.zeros(len(rows), dtype=np.int64)
        ok = np.ones(len(rows), dtype=bool)
        for j, r in enumerate(rows):
            if r is None:
                ok[j] = False
                continue
            lengths[j] = len(r)
            if r:
                sib[j, : len(r)] = np.frombuffer(b"".join(r), dtype=np.uint8).reshape(-1, 32)
        if len(rows) != k:
            raise ValueError(f"proofs: expected {k} proofs, got {len(rows)}")
        return sib, lengths, ok
    else:
        kind = type(proofs).__name__
        raise TypeError(f"proofs: expected a ProofBatch, array or list, got {kind}")
    if len(sib) != k or len(lengths) != k:
        raise ValueError(f"proofs: expected {k} proofs, got {len(sib)}")
    ok = (lengths >= 0) & (lengths <= sib.shape[1])
    return np.ascontiguousarray(sib, dtype=np.uint8), np.clip(lengths, 0, sib.shape[1]), ok


def _hash_rows(
    alg: str,
    msgs: npt.NDArray[np.uint8],
    backend: str | None,
    threads: int | None,
    double: bool = False,
) -> npt.NDArray[np.uint8]:
    out = hash_many(np.ascontiguousarray(msgs), alg, backend=backend, threads=threads)
    return hash_many(out, alg, backend=backend, threads=threads) if double else out


#: Trees of this many leaves or more are verified one proof at a time (int64 would overflow).
_HUGE_TREE = 1 << 62


def verify_proofs(
    root: bytes,
    leaves: Any,
    indices: Any,
    proofs: Any,
    *,
    n_leaves: int,
    hash: str | None = None,
    scheme: str = "chainmaker",
    offsets: Any = None,
    leaf_is_hash: bool = False,
    backend: str | None = None,
    threads: int | None = None,
) -> npt.NDArray[np.bool_]:
    """Batched :func:`verify_proof`: a bool array, slot ``j`` for leaf ``leaves[j]`` at
    ``indices[j]`` with proof ``proofs[j]``. ``proofs`` is a :class:`ProofBatch`, a
    ``(k, depth, 32)`` uint8 array, or a sequence of lists of nodes. Each level of all proofs
    is hashed in one batch. A malformed proof, leaf or index is False in its own slot."""
    scheme, alg = _check(scheme, hash)
    root_b = _check_bytes(root, "root")
    n = _check_int(n_leaves, "n_leaves")
    idx_arr = np.asarray(indices)
    if idx_arr.size and idx_arr.dtype.kind not in "iu":
        raise TypeError(f"indices: expected integers, got dtype {idx_arr.dtype}")
    idx = idx_arr.astype(np.int64).reshape(-1)
    k = len(idx)
    items: Items = as_items(leaves, "leaves", offsets)
    if items.n != k:
        raise ValueError(f"leaves: expected {k} leaves (one per index), got {items.n}")
    sib, lengths, ok = _batch_proofs(proofs, k)
    if n >= _HUGE_TREE:  # past int64 index arithmetic: one by one, as verify_proof does
        return np.array(
            [
                bool(ok[j])
                and verify_proof(
                    root_b,
                    items.item(j),
                    int(idx[j]),
                    [sib[j, d].tobytes() for d in range(int(lengths[j]))],
                    n_leaves=n,
                    hash=alg,
                    scheme=scheme,
                    leaf_is_hash=leaf_is_hash,
                )
                for j in range(k)
            ],
            dtype=bool,
        )
    ok &= (idx >= 0) & (idx < n)
    if len(root_b) != 32 or k == 0:
        return np.zeros(k, dtype=bool)
    idx = np.where(ok, idx, 0)
    if scheme == "rfc6962" and not leaf_is_hash:
        be = backends.select("rfc6962_leaf_hashes", k, backend)
        h = be.op("rfc6962_leaf_hashes")(alg, items, threads)
    else:
        lens = items.lengths()
        ok &= lens == 32
        h = np.zeros((k, 32), dtype=np.uint8)
        good = np.flatnonzero(lens == 32)
        if len(good):
            starts = items.offsets[:-1][good].astype(np.int64)
            h[good] = items.data[starts[:, None] + np.arange(32)]
    root_arr = np.frombuffer(root_b, dtype=np.uint8)
    if scheme == "rfc6962":
        return _verify_rfc6962(alg, root_arr, h, idx, n, sib, lengths, ok, backend, threads)
    depth = _depth(n)
    ok &= lengths == depth
    if sib.shape[1] < depth:
        return np.zeros(k, dtype=bool)
    count = n
    for level in range(depth):
        pos = idx >> level
        s = sib[:, level]
        last_odd = (pos == count - 1) & (count % 2 == 1)
        ok &= ~last_odd | np.all(s == h, axis=1)
        right = (pos & 1).astype(bool)[:, None]
        msgs = np.concatenate([np.where(right, s, h), np.where(right, h, s)], axis=1)
        h = _hash_rows(alg, msgs, backend, threads, double=scheme == "bitcoin")
        count = (count + 1) >> 1
    return ok & np.all(h == root_arr, axis=1)


def _ctz(x: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Trailing zero bits of positive integers."""
    return np.log2((x & -x).astype(np.float64)).astype(np.int64)


def _verify_rfc6962(
    alg: str,
    root: npt.NDArray[np.uint8],
    r: npt.NDArray[np.uint8],
    idx: npt.NDArray[np.int64],
    n: int,
    sib: npt.NDArray[np.uint8],
    lengths: npt.NDArray[np.int64],
    ok: npt.NDArray[np.bool_],
    backend: str | None,
    threads: int | None,
) -> npt.NDArray[np.bool_]:
    """RFC 9162 section 2.1.3.2, run for every proof at once (one hash batch per step)."""
    fn = idx.copy()
    sn = np.full(len(idx), max(n - 1, 0), dtype=np.int64)
    for j in range(sib.shape[1]):
        active = ok & (j < lengths)
        ok &= ~(active & (sn == 0))
        active &= sn != 0
        if not active.any():
            continue
        left = active & (((fn & 1) == 1) | (fn == sn))
        p = sib[:, j]
        first = np.where(left[:, None], p, r)
        second = np.where(left[:, None], r, p)
        prefix = np.ones((len(idx), 1), dtype=np.uint8)
        new = _hash_rows(
            alg, np.concatenate([prefix, first, second], axis=1)[active], backend, threads
        )
        r = r.copy()
        r[active] = new
        shift = left & ((fn & 1) == 0) & (fn != 0)
        if shift.any():
            tz = _ctz(fn[shift])
            fn[shift] >>= tz
            sn[shift] >>= tz
        fn = np.where(active, fn >> 1, fn)
        sn = np.where(active, sn >> 1, sn)
    return ok & (sn == 0) & np.all(r == root, axis=1)


def verify_consistency(
    old_root: bytes,
    new_root: bytes,
    old_size: int,
    new_size: int,
    proof: Sequence[bytes],
    *,
    hash: str | None = None,
) -> bool:
    """True when ``proof`` shows that the RFC 6962 tree of ``new_size`` leaves with root
    ``new_root`` extends the one of ``old_size`` leaves with root ``old_root``.

    RFC 9162 section 2.1.4.2, with the edge cases of the Certificate Transparency reference
    code: equal sizes need an empty proof and equal roots; an old size of 0 needs an empty proof
    (and, stricter, ``old_root`` equal to the empty-tree hash). Malformed input is False; only
    wrong argument types and an unknown hash raise. ``hash`` defaults to ``"sha256"``.
    """
    _, alg = _check("rfc6962", hash)
    r1, r2 = _check_bytes(old_root, "old_root"), _check_bytes(new_root, "new_root")
    m, n = _check_int(old_size, "old_size"), _check_int(new_size, "new_size")
    nodes = _nodes32(_proof_list(proof))
    if nodes is None or len(r1) != 32 or len(r2) != 32 or not 0 <= m <= n:
        return False
    if m == n:
        return not nodes and r1 == r2
    if m == 0:
        return not nodes and r1 == _hash1(alg, b"")
    if not nodes:
        return False
    if m & (m - 1) == 0:
        nodes = [r1, *nodes]
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = _node("rfc6962", alg, c, fr)
            sr = _node("rfc6962", alg, c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = _node("rfc6962", alg, sr, c)
        fn >>= 1
        sn >>= 1
    return fr == r1 and sr == r2 and sn == 0
