"""SM3 and SHA-256 through the public API against OpenSSL / hashlib, GB/T 32905 vectors,
the three batch input forms, and bad input."""

from __future__ import annotations

import hashlib
import os
import random

import numpy as np
import pytest
from conftest import REFERENCE
from hypothesis import given, settings
from hypothesis import strategies as st

import chaincrypto as cc
from chaincrypto.backends.cpu.hashing import simd_paths

GBT_32905 = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


@pytest.mark.parametrize(("msg", "hexdigest"), GBT_32905)
def test_gbt_32905_vectors(msg: bytes, hexdigest: str) -> None:
    assert cc.sm3(msg).hexdigest() == hexdigest
    assert cc.hash_many([msg], "sm3")[0].tobytes().hex() == hexdigest


def test_fips_180_vector() -> None:
    assert cc.sha256(b"abc").hexdigest() == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_hashlib_interface(algorithm: str) -> None:
    cls = getattr(cc, algorithm)
    h = cls(b"ab")
    assert (h.name, h.digest_size, h.block_size) == (algorithm, 32, 64)
    c = h.copy()
    h.update(b"c")
    assert h.digest() == REFERENCE[algorithm](b"abc")
    assert h.digest() == h.digest()  # digest() does not finalise the object
    assert c.digest() == REFERENCE[algorithm](b"ab")  # the copy is independent
    h.update(memoryview(b"d"))
    h.update(bytearray(b"e"))
    h.update(np.frombuffer(b"f", dtype=np.uint8))
    assert h.hexdigest() == REFERENCE[algorithm](b"abcdef").hex()
    assert algorithm in repr(h)


def test_every_length_to_300(algorithm: str) -> None:
    rnd = random.Random(1)
    msgs = [rnd.randbytes(n) for n in range(301)]
    got = cc.hash_many(msgs, algorithm)
    for m, row in zip(msgs, got, strict=True):
        assert row.tobytes() == REFERENCE[algorithm](m)
        assert getattr(cc, algorithm)(m).digest() == REFERENCE[algorithm](m)


def test_random_long_lengths(algorithm: str) -> None:
    rnd = random.Random(2)
    msgs = [rnd.randbytes(rnd.randrange(100_000)) for _ in range(12)]
    got = cc.hash_many(msgs, algorithm, threads=2)
    assert [r.tobytes() for r in got] == [REFERENCE[algorithm](m) for m in msgs]


@pytest.mark.parametrize("simd", ["portable", "avx2", "avx512", "shani"])
def test_each_simd_path_through_api(algorithm: str, simd: str) -> None:
    if simd not in simd_paths(algorithm):
        pytest.skip(f"this CPU cannot run the {simd} path for {algorithm}")
    rnd = random.Random(3)
    msgs = [rnd.randbytes(n) for n in (0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 5000)] * 3
    got = cc.hash_many(msgs, algorithm, simd=simd)
    assert [r.tobytes() for r in got] == [REFERENCE[algorithm](m) for m in msgs]
    fixed = np.frombuffer(rnd.randbytes(37 * 64), dtype=np.uint8).reshape(37, 64)
    got = cc.hash_many(fixed, algorithm, simd=simd)
    assert [r.tobytes() for r in got] == [REFERENCE[algorithm](m.tobytes()) for m in fixed]


def test_unavailable_simd_path_is_an_error() -> None:
    missing = [p for p in ("avx2", "avx512", "shani") if p not in simd_paths("sm3")]
    if not missing:
        pytest.skip("this CPU runs every SM3 path")
    with pytest.raises(RuntimeError, match="not available"):
        cc.hash_many([b"x"], "sm3", simd=missing[0])


def test_three_input_forms_agree(algorithm: str) -> None:
    rnd = np.random.default_rng(4)
    arr = rnd.integers(0, 256, (50, 64), dtype=np.uint8)
    as_list = [bytes(r) for r in arr]
    offsets = np.arange(0, 51 * 64, 64)
    a = cc.hash_many(arr, algorithm)
    b = cc.hash_many(as_list, algorithm)
    c = cc.hash_many(arr.reshape(-1), algorithm, offsets=offsets)
    d = cc.hash_many(arr.tobytes(), algorithm, offsets=offsets.tolist())
    assert a.shape == (50, 32) and a.dtype == np.uint8
    assert np.array_equal(a, b) and np.array_equal(a, c) and np.array_equal(a, d)


def test_flat_buffer_with_variable_lengths(algorithm: str) -> None:
    msgs = [os.urandom(n) for n in (0, 3, 0, 70, 200, 1)]
    offsets = np.cumsum([0, *map(len, msgs)])
    got = cc.hash_many(b"".join(msgs), algorithm, offsets=offsets)
    assert [r.tobytes() for r in got] == [REFERENCE[algorithm](m) for m in msgs]


def test_offsets_need_not_start_at_zero() -> None:
    buf = b"xxabcyy"
    got = cc.hash_many(buf, "sm3", offsets=[2, 5])
    assert got[0].tobytes().hex() == GBT_32905[0][1]


def test_empty_batches(algorithm: str) -> None:
    assert cc.hash_many([], algorithm).shape == (0, 32)
    assert cc.hash_many(np.zeros((0, 64), np.uint8), algorithm).shape == (0, 32)
    assert cc.hash_many(b"", algorithm, offsets=[0]).shape == (0, 32)


def test_big_batch_split_across_threads_matches_one_thread(algorithm: str) -> None:
    arr = np.random.default_rng(5).integers(0, 256, (20_000, 64), dtype=np.uint8)
    one = cc.hash_many(arr, algorithm, threads=1)
    many = cc.hash_many(arr, algorithm, threads=4)
    assert np.array_equal(one, many)
    assert one[12345].tobytes() == REFERENCE[algorithm](arr[12345].tobytes())


def test_threads_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINCRYPTO_THREADS", "3")
    assert cc.info()["threads"] == 3
    monkeypatch.setenv("CHAINCRYPTO_THREADS", "zero")
    with pytest.raises(ValueError, match="CHAINCRYPTO_THREADS"):
        cc.hash_many([b"a"], "sm3")


@given(chunks=st.lists(st.binary(max_size=200), max_size=8))
@settings(max_examples=60, deadline=None)
def test_incremental_update_equals_one_shot(chunks: list[bytes]) -> None:
    for alg in ("sm3", "sha256"):
        h = getattr(cc, alg)()
        for c in chunks:
            h.update(c)
        assert h.digest() == REFERENCE[alg](b"".join(chunks))


@given(msgs=st.lists(st.binary(max_size=150), max_size=20))
@settings(max_examples=40, deadline=None)
def test_hash_many_equals_a_loop(msgs: list[bytes]) -> None:
    for alg in ("sm3", "sha256"):
        got = cc.hash_many(msgs, alg)
        assert [r.tobytes() for r in got] == [getattr(cc, alg)(m).digest() for m in msgs]


# ---- bad input: a clear exception naming the argument, never a crash ----


def test_str_is_refused() -> None:
    with pytest.raises(TypeError, match="data"):
        cc.sm3("abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="data"):
        cc.sha256().update("abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="messages"):
        cc.hash_many("abc", "sm3")
    with pytest.raises(TypeError, match=r"messages\[1\]"):
        cc.hash_many([b"a", "b"], "sm3")
    with pytest.raises(TypeError, match="data"):
        cc.sm3(12)  # type: ignore[arg-type]


def test_wrong_dtype_and_shape() -> None:
    with pytest.raises(TypeError, match="messages.*dtype"):
        cc.hash_many(np.zeros((3, 4), dtype=np.int32), "sm3")
    with pytest.raises(ValueError, match="messages"):
        cc.hash_many(np.zeros(12, dtype=np.uint8), "sm3")
    with pytest.raises(ValueError, match="messages"):
        cc.hash_many(np.zeros((2, 3, 4), dtype=np.uint8), "sm3")


def test_non_contiguous_arrays_are_refused() -> None:
    arr = np.zeros((8, 64), dtype=np.uint8)[::2]
    with pytest.raises(ValueError, match="messages.*contiguous"):
        cc.hash_many(arr, "sm3")
    with pytest.raises(ValueError, match="messages.*contiguous"):
        cc.hash_many(np.zeros(64, np.uint8)[::2], "sm3", offsets=[0, 4])


@pytest.mark.parametrize(
    ("offsets", "pattern"),
    [
        ([0, 5, 3], "decrease"),
        ([0, 11], "past the buffer"),
        ([-1, 3], "negative"),
        ([], "n \\+ 1"),
        ([0.0, 1.0], "integer"),
    ],
)
def test_bad_offsets(offsets: list[float], pattern: str) -> None:
    with pytest.raises((ValueError, TypeError), match=f"offsets.*{pattern}|{pattern}"):
        cc.hash_many(b"0123456789", "sm3", offsets=offsets)


def test_unknown_algorithm_backend_and_simd() -> None:
    with pytest.raises(ValueError, match="algorithm"):
        cc.hash_many([b"a"], "md5")
    with pytest.raises(ValueError, match="backend"):
        cc.hash_many([b"a"], "sm3", backend="tpu")
    with pytest.raises(ValueError, match="simd"):
        cc.hash_many([b"a"], "sm3", simd="neon")
    with pytest.raises(ValueError, match="threads"):
        cc.hash_many([b"a"], "sm3", threads=0)


def test_hashlib_agrees_on_sha256_objects() -> None:
    data = os.urandom(1000)
    assert cc.sha256(data).digest() == hashlib.sha256(data).digest()


def test_memoryview_items_count_bytes(algorithm: str) -> None:
    """A memoryview item is its bytes, as bytes() reads them (its len() counts elements of its
    first dimension): multi-byte items, several dimensions, strides. A batch verification of a
    view over a long message must not check a prefix of it."""
    from chaincrypto import ecdsa

    words = memoryview(np.arange(5, dtype=np.uint32))
    square = memoryview(np.arange(16, dtype=np.uint8).reshape(4, 4))
    strided = memoryview(b"abcdefgh")[::2]
    items = [words, square, strided, memoryview(b"plain")]
    got = cc.hash_many(items, algorithm)
    assert [bytes(d) for d in got] == [REFERENCE[algorithm](bytes(v)) for v in items]
    key = ecdsa.PrivateKey.generate("secp256k1")
    view = memoryview(np.frombuffer(b"pay 1000 to mallory", np.uint8).reshape(1, -1))
    sig = key.sign(b"p")  # len(view) == 1: the first byte alone must not verify
    assert not key.public_key.verify(sig, view)
    assert ecdsa.verify_batch("secp256k1", [key.public_key], [view], [sig]).tolist() == [False]
    assert ecdsa.verify_batch("secp256k1", [key.public_key], [view], [key.sign(bytes(view))])[0]


def test_hash_objects_take_numpy_arrays(algorithm: str) -> None:
    for data in (np.frombuffer(b"abcd", np.uint8), np.zeros(0, np.uint8)):
        assert getattr(cc, algorithm)(data).digest() == REFERENCE[algorithm](bytes(data))
