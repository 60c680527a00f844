"""Merkle trees against plain-Python references written from the scheme descriptions, with
hashlib (SHA-256) and cryptography (SM3) as the hash oracles: nothing here uses chaincrypto's own
hashing to compute an expected value."""

from __future__ import annotations

import hashlib
import pathlib
import random
import shutil
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest
from cryptography.hazmat.primitives import hashes
from hypothesis import given, settings
from hypothesis import strategies as st

import chaincrypto as cc

Hash = Callable[[bytes], bytes]


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


HASHES: dict[str, Hash] = {"sha256": sha256, "sm3": sm3}


# ---------------------------------------------------------------------------------------------
# references


def ref_dup_levels(leaves: list[bytes], node: Hash) -> tuple[list[list[bytes]], bool]:
    """Duplicate-last tree the way Bitcoin Core's ComputeMerkleRoot walks it."""
    levels = [list(leaves)]
    mutated = False
    while len(levels[-1]) > 1:
        level = list(levels[-1])
        for i in range(0, len(level) - 1, 2):
            if level[i] == level[i + 1]:
                mutated = True
        if len(level) % 2:
            level.append(level[-1])
        levels.append([node(level[i] + level[i + 1]) for i in range(0, len(level), 2)])
    return levels, mutated


def ref_dup_root(leaves: list[bytes], scheme: str, alg: str) -> tuple[bytes, bool]:
    h = HASHES[alg]
    node = (lambda m: h(h(m))) if scheme == "bitcoin" else h
    levels, mutated = ref_dup_levels(leaves, node)
    return levels[-1][0], mutated


def ref_dup_proof(leaves: list[bytes], index: int, node: Hash) -> list[bytes]:
    levels, _ = ref_dup_levels(leaves, node)
    out = []
    for level in levels[:-1]:
        sib = index ^ 1
        out.append(level[sib] if sib < len(level) else level[index])
        index >>= 1
    return out


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(leaves: list[bytes], h: Hash) -> bytes:
    """RFC 9162 2.1.1, literally."""
    n = len(leaves)
    if n == 0:
        return h(b"")
    if n == 1:
        return h(b"\x00" + leaves[0])
    k = _k(n)
    return h(b"\x01" + ref_mth(leaves[:k], h) + ref_mth(leaves[k:], h))


def ref_path(m: int, leaves: list[bytes], h: Hash) -> list[bytes]:
    """RFC 9162 2.1.3.1."""
    n = len(leaves)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*ref_path(m, leaves[:k], h), ref_mth(leaves[k:], h)]
    return [*ref_path(m - k, leaves[k:], h), ref_mth(leaves[:k], h)]


def ref_subproof(m: int, leaves: list[bytes], b: bool, h: Hash) -> list[bytes]:
    """RFC 9162 2.1.4.1."""
    n = len(leaves)
    if m == n:
        return [] if b else [ref_mth(leaves, h)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(m, leaves[:k], b, h), ref_mth(leaves[k:], h)]
    return [*ref_subproof(m - k, leaves[k:], False, h), ref_mth(leaves[:k], h)]


def ref_rfc_levels_root(leaves: list[bytes], h: Hash) -> bytes:
    """A second, non-recursive RFC 6962 root (promote the odd last node), for big n."""
    if not leaves:
        return h(b"")
    level = [h(b"\x00" + x) for x in leaves]
    while len(level) > 1:
        nxt = [h(b"\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def rand_hashes(rng: random.Random, n: int) -> list[bytes]:
    return [rng.randbytes(32) for _ in range(n)]


def rand_items(rng: random.Random, n: int, max_len: int = 80) -> list[bytes]:
    return [rng.randbytes(rng.randrange(max_len)) for _ in range(n)]


DUP = [("chainmaker", "sm3"), ("chainmaker", "sha256"), ("bitcoin", "sha256")]
ALL = [*DUP, ("rfc6962", "sm3"), ("rfc6962", "sha256")]


# ---------------------------------------------------------------------------------------------
# roots


@pytest.mark.parametrize(("scheme", "alg"), DUP)
def test_dup_roots_all_small_n(scheme: str, alg: str) -> None:
    rng = random.Random(f"{scheme}{alg}")
    for n in range(1, 301):
        # a tiny alphabet makes identical adjacent pairs (mutation) common
        leaves = (
            rand_hashes(rng, n)
            if n % 3
            else [rng.choice(rand_hashes(random.Random(1), 3)) for _ in range(n)]
        )
        want, want_mut = ref_dup_root(leaves, scheme, alg)
        root, mut = cc.merkle_root(leaves, hash=alg, scheme=scheme, return_mutated=True)
        assert (root, mut) == (want, want_mut), n
        arr = np.frombuffer(b"".join(leaves), dtype=np.uint8).reshape(n, 32)
        assert cc.merkle_root(arr, hash=alg, scheme=scheme) == want
        tree = cc.MerkleTree(arr, hash=alg, scheme=scheme)
        assert (tree.root, tree.mutated) == (want, want_mut)


@pytest.mark.parametrize("alg", ["sm3", "sha256"])
def test_rfc6962_roots_all_small_n(alg: str) -> None:
    rng = random.Random(alg)
    h = HASHES[alg]
    for n in range(301):
        leaves = rand_items(rng, n)
        want = ref_mth(leaves, h)
        assert cc.merkle_root(leaves, hash=alg, scheme="rfc6962") == want, n
        tree = cc.MerkleTree(leaves, hash=alg, scheme="rfc6962")
        assert tree.root == want and not tree.mutated
        flat = b"".join(leaves)
        offsets = np.cumsum([0, *map(len, leaves)])
        assert cc.merkle_root(flat, offsets=offsets, hash=alg, scheme="rfc6962") == want


@pytest.mark.parametrize(("scheme", "alg"), ALL)
def test_large_random_n(scheme: str, alg: str) -> None:
    rng = random.Random(f"big{scheme}{alg}")
    h = HASHES[alg]
    for n in (3 * 4096 + 5, rng.randrange(65_537, 100_000)):  # several blocks and stages
        if scheme == "rfc6962":
            leaves = rand_items(rng, n, 40)
            want = ref_rfc_levels_root(leaves, h)
        else:
            leaves = rand_hashes(rng, n)
            leaves[n // 2 + 1] = leaves[n // 2 - 1] if n % 4 else leaves[n // 2]
            want = ref_dup_root(leaves, scheme, alg)
        got = [
            cc.merkle_root(leaves, hash=alg, scheme=scheme, threads=t, return_mutated=True)
            for t in (1, 2, 3)
        ]
        tree = cc.MerkleTree(leaves, hash=alg, scheme=scheme, threads=2)
        got.append((tree.root, tree.mutated))
        if scheme == "rfc6962":
            assert all(g == (want, False) for g in got), n
        else:
            assert all(g == want for g in got), n


def test_rfc6962_leaf_shapes() -> None:
    """(n, k) arrays, long leaves (hashed in place) mixed with short ones, empty leaves."""
    rng = random.Random(7)
    h = sha256
    arr = np.frombuffer(rng.randbytes(37 * 1000), dtype=np.uint8).reshape(1000, 37)
    want = ref_rfc_levels_root([bytes(r) for r in arr], h)
    assert cc.merkle_root(arr, scheme="rfc6962") == want
    wide = np.frombuffer(rng.randbytes(3000 * 20), dtype=np.uint8).reshape(20, 3000)
    assert cc.merkle_root(wide, scheme="rfc6962") == ref_mth([bytes(r) for r in wide], h)
    mixed = [
        rng.randbytes(rng.choice([0, 1, 63, 64, 65, 2047, 2048, 2049, 5000, 70000]))
        for _ in range(300)
    ]
    assert cc.merkle_root(mixed, scheme="rfc6962") == ref_mth(mixed, h)
    empties = np.zeros((5000, 0), dtype=np.uint8)
    assert cc.merkle_root(empties, scheme="rfc6962") == ref_rfc_levels_root([b""] * 5000, h)


def test_rfc6962_known_vectors() -> None:
    """The Certificate Transparency reference tree (Go merkle testdata / RFC 6962 examples)."""
    leaves = [
        bytes.fromhex(x)
        for x in [
            "",
            "00",
            "10",
            "2021",
            "3031",
            "40414243",
            "5051525354555657",
            "606162636465666768696a6b6c6d6e6f",
        ]
    ]
    roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
    assert cc.merkle_root([], scheme="rfc6962").hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    tree = cc.MerkleTree(leaves, scheme="rfc6962")
    for size, want in enumerate(roots, start=1):
        assert cc.merkle_root(leaves[:size], scheme="rfc6962").hex() == want
        assert tree.root_at(size).hex() == want


def test_bitcoin_block_100000() -> None:
    txids = [
        "8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87",
        "fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4",
        "6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4",
        "e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d",
    ]
    leaves = [bytes.fromhex(t)[::-1] for t in txids]  # displayed reversed
    root = cc.merkle_root(leaves, scheme="bitcoin")
    assert root[::-1].hex() == "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766"


@pytest.mark.parametrize(("scheme", "alg"), DUP)
def test_mutated_flag(scheme: str, alg: str) -> None:
    a, b, c = (bytes([i]) * 32 for i in (1, 2, 3))
    r3, m3 = cc.merkle_root([a, b, c], hash=alg, scheme=scheme, return_mutated=True)
    r4, m4 = cc.merkle_root([a, b, c, c], hash=alg, scheme=scheme, return_mutated=True)
    assert r3 == r4 and not m3 and m4
    assert cc.MerkleTree([a, b, c, c], hash=alg, scheme=scheme).mutated
    assert not cc.MerkleTree([a, b, c], hash=alg, scheme=scheme).mutated
    # a duplicate at a higher level: [a,b,a,b] pairs H(ab) with H(ab)
    assert cc.merkle_root([a, b, a, b], hash=alg, scheme=scheme, return_mutated=True)[1]
    # identical but not paired (odd positions) is not a mutation
    assert not cc.merkle_root([a, b, b, c], hash=alg, scheme=scheme, return_mutated=True)[1]
    assert cc.merkle_root([a], hash=alg, scheme=scheme, return_mutated=True) == (a, False)


def test_argument_errors() -> None:
    good = [b"\x00" * 32] * 3
    with pytest.raises(ValueError, match="at least one leaf"):
        cc.merkle_root([])
    with pytest.raises(ValueError, match="at least one leaf"):
        cc.MerkleTree(np.zeros((0, 32), dtype=np.uint8), scheme="bitcoin")
    with pytest.raises(ValueError, match=r"leaves\[2\]"):
        cc.merkle_root([*good[:2], b"\x00" * 31])
    with pytest.raises(ValueError, match=r"leaves\[0\]"):
        cc.merkle_root(np.zeros((3, 20), dtype=np.uint8), scheme="bitcoin")
    with pytest.raises(ValueError, match="hash"):
        cc.merkle_root(good, scheme="bitcoin", hash="sm3")
    with pytest.raises(ValueError, match="hash"):
        cc.merkle_root(good, hash="md5")
    with pytest.raises(ValueError, match="scheme"):
        cc.merkle_root(good, scheme="ethereum")
    with pytest.raises(TypeError, match=r"leaves\[1\]"):
        cc.merkle_root([b"\x00" * 32, "x" * 32])
    tree = cc.MerkleTree(good)
    with pytest.raises(IndexError):
        tree.proof(3)
    with pytest.raises(ValueError):
        tree.consistency_proof(1)
    with pytest.raises(ValueError):
        tree.levels[0][0, 0] = 1
    with pytest.raises(TypeError):
        cc.verify_proof("root", good[0], 0, [], n_leaves=1)
    with pytest.raises(TypeError):
        cc.verify_proof(good[0], good[0], 0, 5, n_leaves=1)
    with pytest.raises(ValueError):
        cc.verify_proof(good[0], good[0], 0, [], n_leaves=1, scheme="nope")


def test_flat_buffer_dup_leaves() -> None:
    rng = random.Random(3)
    leaves = rand_hashes(rng, 9)
    flat = b"".join(leaves)
    offsets = np.arange(0, 33 * 9, 32)[:10]
    assert cc.merkle_root(flat, offsets=offsets) == ref_dup_root(leaves, "chainmaker", "sm3")[0]


# ---------------------------------------------------------------------------------------------
# inclusion proofs


@pytest.mark.parametrize(("scheme", "alg"), ALL)
def test_every_proof_verifies(scheme: str, alg: str) -> None:
    rng = random.Random(f"proofs{scheme}{alg}")
    h = HASHES[alg]
    node = (lambda m: h(h(m))) if scheme == "bitcoin" else h
    for n in [*range(1, 41), 63, 64, 65, 100]:
        rfc = scheme == "rfc6962"
        leaves = rand_items(rng, n) if rfc else rand_hashes(rng, n)
        tree = cc.MerkleTree(leaves, hash=alg, scheme=scheme)
        batch = tree.proofs(np.arange(n))
        for i in range(n):
            proof = tree.proof(i)
            want = ref_path(i, leaves, h) if rfc else ref_dup_proof(leaves, i, node)
            assert proof == want == batch.proof(i), (n, i)
            assert cc.verify_proof(
                tree.root, leaves[i], i, proof, n_leaves=n, hash=alg, scheme=scheme
            )
            if rfc:
                assert cc.verify_proof(
                    tree.root,
                    tree.leaf_hash(i),
                    i,
                    proof,
                    n_leaves=n,
                    hash=alg,
                    scheme=scheme,
                    leaf_is_hash=True,
                )
        ok = cc.verify_proofs(
            tree.root, leaves, np.arange(n), batch, n_leaves=n, hash=alg, scheme=scheme
        )
        assert ok.dtype == bool and ok.all()
        ok = cc.verify_proofs(
            tree.root,
            leaves,
            list(range(n)),
            [batch.proof(i) for i in range(n)],
            n_leaves=n,
            hash=alg,
            scheme=scheme,
        )
        assert ok.all()
        # every other index, with the same proof, fails (distinct random leaves)
        if n <= 20:
            for i in range(n):
                for j in [*range(-1, n + 2), 2 * n, 1 << 40]:
                    if j != i:
                        assert not cc.verify_proof(
                            tree.root,
                            leaves[i],
                            j,
                            tree.proof(i),
                            n_leaves=n,
                            hash=alg,
                            scheme=scheme,
                        )
                # a tree size of another depth (sizes of the same depth may legitimately
                # share a proof: an inclusion proof does not bind the size of subtrees it skips)
                for m in (2 * n,) if n > 1 else ():
                    assert not cc.verify_proof(
                        tree.root, leaves[i], i, tree.proof(i), n_leaves=m, hash=alg, scheme=scheme
                    )


@pytest.mark.parametrize(("scheme", "alg"), ALL)
def test_tampered_proofs_fail(scheme: str, alg: str) -> None:
    """Every single-byte change of every proof (batched), and of the leaf and root."""
    rng = random.Random(f"tamper{scheme}{alg}")
    for n in (1, 2, 3, 5, 7, 8, 13, 33):
        rfc = scheme == "rfc6962"
        leaves = rand_items(rng, n) if rfc else rand_hashes(rng, n)
        tree = cc.MerkleTree(leaves, hash=alg, scheme=scheme)
        batch = tree.proofs(np.arange(n))
        sib, idx, lv, lens = [], [], [], []
        for i in range(n):
            length = int(batch.lengths[i])
            for e in range(length):
                for byte in range(32):
                    s = batch.siblings[i].copy()
                    s[e, byte] ^= 1 << rng.randrange(8)
                    sib.append(s)
                    idx.append(i)
                    lv.append(leaves[i])
                    lens.append(length)
        if sib:
            bad = cc.ProofBatch(np.stack(sib), np.array(lens))
            ok = cc.verify_proofs(tree.root, lv, idx, bad, n_leaves=n, hash=alg, scheme=scheme)
            assert not ok.any()
            for j in rng.sample(range(len(sib)), min(20, len(sib))):
                assert not cc.verify_proof(
                    tree.root, lv[j], idx[j], bad.proof(j), n_leaves=n, hash=alg, scheme=scheme
                )
        for i in range(n):
            proof = tree.proof(i)
            leaf = bytearray(leaves[i] or b"\x00")
            leaf[0] ^= 1
            root = bytearray(tree.root)
            root[5] ^= 0x80
            assert not cc.verify_proof(
                tree.root, bytes(leaf), i, proof, n_leaves=n, hash=alg, scheme=scheme
            )
            assert not cc.verify_proof(
                bytes(root), leaves[i], i, proof, n_leaves=n, hash=alg, scheme=scheme
            )
            assert not cc.verify_proof(
                tree.root,
                leaves[i],
                i,
                [*proof, proof[0] if proof else tree.root],
                n_leaves=n,
                hash=alg,
                scheme=scheme,
            )
            if proof:
                assert not cc.verify_proof(
                    tree.root, leaves[i], i, proof[:-1], n_leaves=n, hash=alg, scheme=scheme
                )


def test_dup_proof_self_sibling_is_checked() -> None:
    """The last node of an odd level must be paired with itself: another sibling is refused."""
    rng = random.Random(11)
    leaves = rand_hashes(rng, 3)
    tree = cc.MerkleTree(leaves)
    proof = tree.proof(2)
    assert proof[0] == leaves[2]
    assert cc.verify_proof(tree.root, leaves[2], 2, proof, n_leaves=3)
    assert not cc.verify_proof(tree.root, leaves[2], 2, [leaves[0], proof[1]], n_leaves=3)


_junk = st.one_of(
    st.binary(max_size=40),
    st.binary(min_size=32, max_size=32),
    st.integers(),
    st.none(),
    st.text(max_size=40),
    st.lists(st.binary(max_size=4), max_size=3),
    st.floats(),
)


@settings(max_examples=300, deadline=None)
@given(
    scheme=st.sampled_from([s for s, _ in ALL]),
    root=st.binary(max_size=40),
    leaf=st.binary(max_size=40),
    index=st.integers(min_value=-(1 << 70), max_value=1 << 70),
    n=st.integers(min_value=-(1 << 70), max_value=1 << 70),
    proof=st.lists(_junk, max_size=70),
)
def test_verify_never_raises(
    scheme: str, root: bytes, leaf: bytes, index: int, n: int, proof: list[object]
) -> None:
    alg = "sha256"
    assert cc.verify_proof(root, leaf, index, proof, n_leaves=n, hash=alg, scheme=scheme) in (
        True,
        False,
    )
    if -(1 << 62) < index < 1 << 62:
        ok = cc.verify_proofs(
            root,
            [leaf],
            [index],
            [proof],
            n_leaves=max(min(n, 1 << 62), 0),
            hash=alg,
            scheme=scheme,
        )
        assert ok.shape == (1,) and ok.dtype == bool
    assert cc.verify_consistency(root, leaf, index, n, proof, hash=alg) in (True, False)


def test_verify_proofs_mixed_batch() -> None:
    rng = random.Random(5)
    leaves = rand_hashes(rng, 10)
    tree = cc.MerkleTree(leaves)
    proofs: list[object] = [tree.proof(i) for i in range(10)]
    proofs[3] = [b"short"]
    proofs[4] = 17
    proofs[5] = [*tree.proof(5), b"\x00" * 32]
    idx = list(range(10))
    idx[6] = 99
    lv = list(leaves)
    lv[7] = b"\x00" * 31
    ok = cc.verify_proofs(tree.root, lv, idx, proofs, n_leaves=10)
    assert ok.tolist() == [True, True, True, False, False, False, False, False, True, True]


# ---------------------------------------------------------------------------------------------
# consistency proofs


@pytest.mark.parametrize("alg", ["sha256", "sm3"])
def test_consistency_all_pairs(alg: str) -> None:
    rng = random.Random(f"cons{alg}")
    h = HASHES[alg]
    leaves = rand_items(rng, 64, 12)
    tree = cc.MerkleTree(leaves, scheme="rfc6962", hash=alg)
    roots = [ref_mth(leaves[:m], h) for m in range(65)]
    for n in range(65):
        assert tree.root_at(n) == roots[n]
        for i in range(n):
            p = tree.proof(i, tree_size=n)
            assert p == ref_path(i, leaves[:n], h)
            assert cc.verify_proof(
                roots[n], leaves[i], i, p, n_leaves=n, hash=alg, scheme="rfc6962"
            )
        for m in range(n + 1):
            proof = tree.consistency_proof(m, n)
            want = [] if m in (0, n) else ref_subproof(m, leaves[:n], True, h)
            assert proof == want, (m, n)
            assert cc.verify_consistency(roots[m], roots[n], m, n, proof, hash=alg), (m, n)
            if m == n:
                continue
            # tampering: every element, the roots, the sizes, truncation and extension
            for e in range(len(proof)):
                bad = list(proof)
                bad[e] = bytes([bad[e][0] ^ 1]) + bad[e][1:]
                assert not cc.verify_consistency(roots[m], roots[n], m, n, bad, hash=alg)
            if m:  # the empty tree is consistent with every tree
                assert not cc.verify_consistency(roots[n], roots[n], m, n, proof, hash=alg)
                assert not cc.verify_consistency(roots[m], roots[m], m, n, proof, hash=alg)
            else:
                assert not cc.verify_consistency(roots[1], roots[n], m, n, proof, hash=alg)
            assert not cc.verify_consistency(roots[m], roots[n], m, n, [*proof, roots[0]], hash=alg)
            if proof:
                assert not cc.verify_consistency(roots[m], roots[n], m, n, proof[:-1], hash=alg)
                assert not cc.verify_consistency(roots[m], roots[n], m, n, proof[1:], hash=alg)
            # sizes of another shape (sizes of the same shape may share a proof: a proof does
            # not bind the sizes of subtrees it skips over)
            for m2, n2 in ((n, m), (m, 2 * n), (-1, n), (m, -1)):
                if not (m2 == 0 and not proof):
                    assert not cc.verify_consistency(roots[m], roots[n], m2, n2, proof, hash=alg), (
                        m,
                        n,
                        m2,
                        n2,
                    )
    with pytest.raises(ValueError):
        tree.consistency_proof(5, 65)
    with pytest.raises(ValueError):
        tree.consistency_proof(6, 5)


# ---------------------------------------------------------------------------------------------
# the C layer alone, under AddressSanitizer / UBSan


def test_c_checks_under_sanitizers(tmp_path: pathlib.Path) -> None:
    root = pathlib.Path(__file__).resolve().parents[1]
    cc_bin = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc_bin is None or sys.platform == "win32":
        pytest.skip("no C compiler")
    # the hash layer and what it may dispatch through (csrc/cpu.c), plus this module
    sources = [
        *sorted((root / "csrc").glob("*.c")),
        *sorted((root / "csrc/hash").glob("*.c")),
        root / "csrc/merkle/merkle.c",
        root / "csrc/merkle/tests/test_merkle_c.c",
    ]
    exe = tmp_path / "test_merkle_c"
    cmd = [
        cc_bin,
        "-std=c11",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-O1",
        "-g",
        "-fsanitize=address,undefined",
        "-fno-sanitize-recover=undefined",
        f"-I{root / 'csrc/include'}",
        f"-I{root / 'csrc'}",
        *map(str, sources),
        "-o",
        str(exe),
    ]
    build = subprocess.run(cmd, capture_output=True, text=True)
    if build.returncode != 0 and "sanitize" in build.stderr:
        pytest.skip(f"sanitizers unavailable: {build.stderr[-300:]}")
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_edge_arguments_of_trees_and_batched_proofs() -> None:
    """An empty tree's leaf_hash is an IndexError naming the index; a ProofBatch whose siblings
    are not uint8 is refused rather than wrapped mod 256; a tree size past int64 gives the
    same answers in the batch as verify_proof does one by one."""
    with pytest.raises(IndexError, match="index: 0 is out of range for a tree of 0 leaves"):
        cc.MerkleTree([], scheme="rfc6962").leaf_hash(0)
    leaves = [hashlib.sha256(bytes([i])).digest() for i in range(5)]
    tree = cc.MerkleTree(leaves, hash="sha256")
    batch = tree.proofs([3])
    assert cc.verify_proofs(tree.root, [leaves[3]], [3], batch, n_leaves=5, hash="sha256")[0]
    wide = cc.ProofBatch(batch.siblings.astype(np.int64) + 256, batch.lengths)
    with pytest.raises(ValueError, match="uint8"):
        cc.verify_proofs(tree.root, [leaves[3]], [3], wide, n_leaves=5, hash="sha256")
    floats = cc.ProofBatch(batch.siblings, batch.lengths.astype(np.float64))
    with pytest.raises(TypeError, match="lengths"):
        cc.verify_proofs(tree.root, [leaves[3]], [3], floats, n_leaves=5, hash="sha256")
    # A tree of 2^70 leaves (depth 70, no odd level): a proof built with hashlib verifies in
    # both, and a wrong sibling fails in both.
    huge, index = 2**70, 2**62 + 3  # indices stay within int64
    siblings = [hashlib.sha256(b"s%d" % d).digest() for d in range(70)]
    node = leaves[3]
    for d, sib in enumerate(siblings):
        pair = sib + node if index >> d & 1 else node + sib
        node = hashlib.sha256(pair).digest()
    for proof, want in ((siblings, True), ([leaves[0], *siblings[1:]], False)):
        one = cc.verify_proof(node, leaves[3], index, proof, n_leaves=huge, hash="sha256")
        got = cc.verify_proofs(node, [leaves[3]], [index], [proof], n_leaves=huge, hash="sha256")
        assert one is want and got.tolist() == [want]


def test_c_leaves_whose_total_size_wraps_are_refused() -> None:
    """n leaves of width bytes whose n * width wraps size_t are an argument error (it divided
    by zero for width = SIZE_MAX), in the leaf hashing and in the reduction alike."""
    from chaincrypto._cpu import ffi, lib

    out, data = ffi.new("uint8_t[64]"), ffi.new("uint8_t[1]")
    big = 2**64 - 1
    for n in (1, 2):
        for width in (big, big // 2 + 1):
            if n * width < 2**64:
                continue
            rc = lib.cc_merkle_rfc6962_leaves(
                lib.CC_HASH_SM3, lib.CC_PATH_AUTO, data, ffi.NULL, width, n, out
            )
            assert rc == lib.CC_ERR_ARG
            rc = lib.cc_merkle_rfc6962_reduce(
                lib.CC_HASH_SM3, lib.CC_PATH_AUTO, data, ffi.NULL, width, n, 1, out
            )
            assert rc == lib.CC_ERR_ARG
