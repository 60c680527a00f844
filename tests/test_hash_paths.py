"""Every SM3 / SHA-256 implementation path of the C backend against independent oracles
(hashlib for SHA-256, OpenSSL's SM3 through `cryptography`), through the batch entry points
(fixed length and offsets), the one-shot call and the incremental context."""

from __future__ import annotations

import hashlib
import random

import pytest
from chaincrypto._cpu import ffi, lib
from conftest import REFERENCE
from cryptography.hazmat.primitives import hashes

SM3, SHA256 = lib.CC_HASH_SM3, lib.CC_HASH_SHA256
PATH_NAMES = {
    lib.CC_PATH_AUTO: "auto",
    lib.CC_PATH_PORTABLE: "portable",
    lib.CC_PATH_AVX2: "avx2",
    lib.CC_PATH_AVX512: "avx512",
    lib.CC_PATH_SHANI: "shani",
}
ALG_NAMES = {SM3: "sm3", SHA256: "sha256"}


def ref(alg: int, msg: bytes) -> bytes:
    if alg == SHA256:
        return hashlib.sha256(msg).digest()
    h = hashes.Hash(hashes.SM3())
    h.update(msg)
    return h.finalize()


def batch(alg: int, path: int, msgs: list[bytes]) -> list[bytes]:
    data = b"".join(msgs)
    offs = [0]
    for m in msgs:
        offs.append(offs[-1] + len(m))
    out = ffi.new("uint8_t[]", 32 * max(1, len(msgs)))
    rc = lib.cc_hash_batch(
        alg, path, ffi.from_buffer(data), ffi.new("uint64_t[]", offs), len(msgs), out
    )
    assert rc == lib.CC_OK
    o = bytes(out)
    return [o[32 * i : 32 * i + 32] for i in range(len(msgs))]


def batch_fixed(alg: int, path: int, data: bytes, n: int, length: int) -> list[bytes]:
    out = ffi.new("uint8_t[]", 32 * max(1, n))
    rc = lib.cc_hash_batch_fixed(alg, path, ffi.from_buffer(data), n, length, out)
    assert rc == lib.CC_OK
    o = bytes(out)
    return [o[32 * i : 32 * i + 32] for i in range(n)]


def one_shot(alg: int, msg: bytes) -> bytes:
    out = ffi.new("uint8_t[32]")
    assert lib.cc_hash(alg, ffi.from_buffer(msg), len(msg), out) == lib.CC_OK
    return bytes(out)


@pytest.fixture(params=sorted(PATH_NAMES), ids=lambda p: PATH_NAMES[p])
def path(request):
    return request.param


@pytest.fixture(params=sorted(ALG_NAMES), ids=lambda a: ALG_NAMES[a])
def alg(request):
    return request.param


@pytest.fixture
def alg_path(alg, path):
    if path != lib.CC_PATH_AUTO and not (lib.cc_hash_paths(alg) >> path) & 1:
        pytest.skip(
            f"path {PATH_NAMES[path]} not available for {ALG_NAMES[alg]} here (CPU or algorithm)"
        )
    return alg, path


def test_paths_reported():
    for alg in ALG_NAMES:
        m = lib.cc_hash_paths(alg)
        assert (m >> lib.CC_PATH_PORTABLE) & 1
        assert not (m >> lib.CC_PATH_AUTO) & 1
    assert not (lib.cc_hash_paths(SM3) >> lib.CC_PATH_SHANI) & 1
    assert lib.cc_hash_paths(7) == 0
    f = lib.cc_cpu_features()
    m = lib.cc_hash_paths(SHA256)
    assert bool((m >> lib.CC_PATH_AVX2) & 1) == bool(f & lib.CC_CPU_AVX2)
    assert bool((m >> lib.CC_PATH_AVX512) & 1) == bool(f & lib.CC_CPU_AVX512)
    assert bool((m >> lib.CC_PATH_SHANI) & 1) == bool(f & lib.CC_CPU_SHANI)


def test_auto_path_reported():
    """cc_hash_auto_path names a path this CPU runs (or single-stream), from costs measured once:
    asked again, it answers the same."""
    assert lib.cc_hash_auto_path(7, 16, 64) == lib.CC_ERR_ARG
    for alg in ALG_NAMES:
        available = lib.cc_hash_paths(alg)
        assert lib.cc_hash_auto_path(alg, 0, 64) == lib.CC_PATH_AUTO
        grid = [(n, length) for n in (1, 2, 3, 5, 16, 17, 1000) for length in (0, 55, 64, 4096)]
        first = [lib.cc_hash_auto_path(alg, n, length) for n, length in grid]
        for code in first:
            assert code == lib.CC_PATH_AUTO or (available >> code) & 1
            assert code != lib.CC_PATH_PORTABLE
        assert [lib.cc_hash_auto_path(alg, n, length) for n, length in grid] == first
        if not available >> lib.CC_PATH_AVX2 & 1:
            assert set(first) == {lib.CC_PATH_AUTO}


def test_fixed_every_length(alg_path):
    alg, path = alg_path
    rng = random.Random(1)
    for length in range(0, 301):
        n = (1, 7, 17, 33)[length % 4]
        data = rng.randbytes(n * length)
        got = batch_fixed(alg, path, data, n, length)
        want = [ref(alg, data[i * length : (i + 1) * length]) for i in range(n)]
        assert got == want, f"length {length}, n {n}"


def test_offsets_mixed_lengths(alg_path):
    alg, path = alg_path
    rng = random.Random(2)
    msgs = [rng.randbytes(k) for k in range(0, 301)]
    rng.shuffle(msgs)
    assert batch(alg, path, msgs) == [ref(alg, m) for m in msgs]
    for n in (1, 7, 17, 33):
        msgs = [rng.randbytes(rng.randrange(0, 600)) for _ in range(n)]
        assert batch(alg, path, msgs) == [ref(alg, m) for m in msgs], f"n {n}"
    # Equal lengths through the offsets form (the fixed-length route inside).
    msgs = [rng.randbytes(64) for _ in range(33)]
    assert batch(alg, path, msgs) == [ref(alg, m) for m in msgs]


def test_long_random_lengths(alg_path):
    alg, path = alg_path
    rng = random.Random(3)
    long_msgs = [rng.randbytes(rng.randrange(0, 100_000)) for _ in range(3)]
    short = [rng.randbytes(rng.randrange(0, 200)) for _ in range(30)]
    # A few long messages among many short ones, then the long ones alone (stragglers).
    msgs = [*short[:10], long_msgs[0], *short[10:20], *long_msgs[1:], *short[20:]]
    assert batch(alg, path, msgs) == [ref(alg, m) for m in msgs]
    assert batch(alg, path, long_msgs) == [ref(alg, m) for m in long_msgs]
    length = 100_000 - 37
    data = rng.randbytes(3 * length)
    got = batch_fixed(alg, path, data, 3, length)
    assert got == [ref(alg, data[i * length : (i + 1) * length]) for i in range(3)]


@pytest.mark.parametrize(
    "msg, digest",
    [
        (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
        (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
    ],
)
def test_gbt32905_vectors(path, msg, digest):
    if path != lib.CC_PATH_AUTO and not (lib.cc_hash_paths(SM3) >> path) & 1:
        pytest.skip(f"path {PATH_NAMES[path]} not available for sm3 here (CPU or algorithm)")
    d = bytes.fromhex(digest)
    assert one_shot(SM3, msg) == d
    assert batch(SM3, path, [msg] * 5) == [d] * 5
    assert batch(SM3, path, [msg, b"", msg]) == [d, ref(SM3, b""), d]
    assert batch_fixed(SM3, path, msg * 17, 17, len(msg)) == [d] * 17


def test_one_shot(alg):
    rng = random.Random(4)
    for length in [*list(range(0, 130)), 1000, 4096, 65537]:
        msg = rng.randbytes(length)
        assert one_shot(alg, msg) == ref(alg, msg)


def test_incremental_every_split(alg):
    rng = random.Random(5)
    msg = rng.randbytes(300)
    want = ref(alg, msg)
    ctx = ffi.new("cc_hash_ctx *")
    out = ffi.new("uint8_t[32]")
    for i in range(len(msg) + 1):
        assert lib.cc_hash_init(ctx, alg) == lib.CC_OK
        assert lib.cc_hash_update(ctx, ffi.from_buffer(msg[:i]), i) == lib.CC_OK
        assert lib.cc_hash_final(ctx, out) == lib.CC_OK
        assert bytes(out) == ref(alg, msg[:i])  # final leaves ctx usable
        assert lib.cc_hash_update(ctx, ffi.from_buffer(msg[i:]), len(msg) - i) == lib.CC_OK
        assert lib.cc_hash_final(ctx, out) == lib.CC_OK
        assert bytes(out) == want, f"split at {i}"
    # Byte by byte.
    assert lib.cc_hash_init(ctx, alg) == lib.CC_OK
    for i in range(len(msg)):
        assert lib.cc_hash_update(ctx, ffi.from_buffer(msg[i : i + 1]), 1) == lib.CC_OK
    assert lib.cc_hash_final(ctx, out) == lib.CC_OK
    assert bytes(out) == want


def test_incremental_long(alg):
    """A context switches to the CPU's fastest code once it has absorbed enough data."""
    rng = random.Random(6)
    msg = rng.randbytes(20_000)
    want = ref(alg, msg)
    ctx = ffi.new("cc_hash_ctx *")
    out = ffi.new("uint8_t[32]")
    for cuts in (
        [4095],
        [4096],
        [4097],
        [1, 4200, 4201],
        [63, 64 * 70 + 5, 19_999],
        list(range(0, 20_000, 777)),
    ):
        assert lib.cc_hash_init(ctx, alg) == lib.CC_OK
        prev = 0
        for c in [*cuts, len(msg)]:
            assert lib.cc_hash_update(ctx, ffi.from_buffer(msg[prev:c]), c - prev) == lib.CC_OK
            prev = c
        assert lib.cc_hash_final(ctx, out) == lib.CC_OK
        assert bytes(out) == want, f"cuts {cuts}"
    assert one_shot(alg, msg) == want


def test_errors():
    data = ffi.new("uint8_t[]", 100)
    out = ffi.new("uint8_t[]", 32 * 4)
    dec = ffi.new("uint64_t[]", [0, 10, 5, 20])
    for alg in ALG_NAMES:
        assert lib.cc_hash_batch(alg, lib.CC_PATH_AUTO, data, dec, 3, out) == lib.CC_ERR_ARG
        assert lib.cc_hash_batch(alg, lib.CC_PATH_PORTABLE, data, dec, 3, out) == lib.CC_ERR_ARG
        assert (
            lib.cc_hash_batch(alg, 99, data, ffi.new("uint64_t[]", [0, 1]), 1, out)
            == lib.CC_ERR_ARG
        )
        assert lib.cc_hash_batch_fixed(alg, -1, data, 1, 1, out) == lib.CC_ERR_ARG
        # n == 0 is a no-op.
        assert lib.cc_hash_batch(alg, lib.CC_PATH_AUTO, ffi.NULL, ffi.NULL, 0, out) == lib.CC_OK
        assert lib.cc_hash_batch_fixed(alg, lib.CC_PATH_AUTO, ffi.NULL, 0, 64, out) == lib.CC_OK
        # Empty messages may come with a NULL data pointer.
        assert lib.cc_hash_batch_fixed(alg, lib.CC_PATH_AUTO, ffi.NULL, 3, 0, out) == lib.CC_OK
        assert bytes(out)[:32] == ref(alg, b"")
        for path in PATH_NAMES:
            if path != lib.CC_PATH_AUTO and not (lib.cc_hash_paths(alg) >> path) & 1:
                assert lib.cc_hash_batch_fixed(alg, path, data, 1, 1, out) == lib.CC_ERR_PATH
                assert (
                    lib.cc_hash_batch(alg, path, data, ffi.new("uint64_t[]", [0, 1]), 1, out)
                    == lib.CC_ERR_PATH
                )
    # SM3 has no SHA-extensions path on any CPU.
    assert lib.cc_hash_batch_fixed(SM3, lib.CC_PATH_SHANI, data, 1, 1, out) == lib.CC_ERR_PATH
    for bad_alg in (-1, 2, 99):
        assert lib.cc_hash_batch_fixed(bad_alg, lib.CC_PATH_AUTO, data, 1, 1, out) == lib.CC_ERR_ARG
        assert (
            lib.cc_hash_batch(
                bad_alg, lib.CC_PATH_AUTO, data, ffi.new("uint64_t[]", [0, 1]), 1, out
            )
            == lib.CC_ERR_ARG
        )
        assert lib.cc_hash(bad_alg, data, 1, out) == lib.CC_ERR_ARG
        assert lib.cc_hash_init(ffi.new("cc_hash_ctx *"), bad_alg) == lib.CC_ERR_ARG


def test_update_with_nothing_after_a_partial_block() -> None:
    """update(NULL, 0) is a no-op wherever the context stands (no memcpy from NULL)."""
    for alg in ALG_NAMES:
        ctx = ffi.new("cc_hash_ctx *")
        assert lib.cc_hash_init(ctx, alg) == lib.CC_OK
        assert lib.cc_hash_update(ctx, b"abc", 3) == lib.CC_OK
        assert lib.cc_hash_update(ctx, ffi.NULL, 0) == lib.CC_OK
        assert lib.cc_hash_update(ctx, ffi.NULL, 1) == lib.CC_ERR_ARG
        out = ffi.new("uint8_t[32]")
        assert lib.cc_hash_final(ctx, out) == lib.CC_OK
        assert bytes(out) == REFERENCE[ALG_NAMES[alg]](b"abc")
