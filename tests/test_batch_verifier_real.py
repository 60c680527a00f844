"""BatchVerifier on real signatures of every algorithm, and every public function called from
16 threads at once against single-threaded results."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import chaincrypto as cc
from chaincrypto import ecdsa, sm2


def _signed(n: int) -> list[tuple[str, bytes, bytes, bytes, dict[str, object], bool]]:
    """(algorithm, public key, message, signature, options, expected) requests, a third bad."""
    out = []
    for i in range(n):
        alg = ("sm2", "secp256k1", "p256")[i % 3]
        msg = b"tx %d" % i
        uid = b"user-%d" % (i % 2)
        if alg == "sm2":
            key = sm2.PrivateKey.generate()
            sig, opts = key.sign(msg, uid=uid), {"uid": uid}
        else:
            key = ecdsa.PrivateKey.generate(alg)
            sig, opts = key.sign(msg), {}
        good = i % 4 != 1
        out.append((alg, key.public_key.to_bytes(), msg if good else msg + b"!", sig, opts, good))
    return out


def test_real_mixed_requests_from_threads() -> None:
    requests = _signed(90)
    with cc.BatchVerifier(max_batch=32, max_delay_ms=2) as v, ThreadPoolExecutor(8) as pool:
        futures = list(pool.map(lambda r: v.submit(r[0], r[1], r[2], r[3], **r[4]), requests))
        assert [f.result(timeout=30) for f in futures] == [r[5] for r in requests]


def test_malformed_request_is_false_not_an_error() -> None:
    key = sm2.PrivateKey.generate()
    with cc.BatchVerifier(max_delay_ms=1) as v:
        good = v.submit("sm2", key.public_key.to_bytes(), b"m", key.sign(b"m"))
        short_key = v.submit("sm2", b"\x04" + bytes(10), b"m", key.sign(b"m"))
        junk_sig = v.submit("sm2", key.public_key.to_bytes(), b"m", b"\x30\x00")
        assert (good.result(5), short_key.result(5), junk_sig.result(5)) == (True, False, False)


def test_sixteen_threads_of_mixed_operations_match_single_threaded() -> None:
    rng = np.random.default_rng(11)
    msgs = [bytes(m) for m in rng.integers(0, 256, (64, 48), dtype=np.uint8)]
    sm2_keys = [sm2.PrivateKey.generate() for _ in range(8)]
    k1_keys = [ecdsa.PrivateKey.generate("secp256k1") for _ in range(8)]
    leaves = rng.integers(0, 256, (300, 32), dtype=np.uint8)

    def work() -> tuple[object, ...]:
        digests = cc.hash_many(msgs, "sm3", threads=2)
        sha = [cc.sha256(m).digest() for m in msgs[:8]]
        sm2_sigs = [k.sign(m, deterministic=True) for k, m in zip(sm2_keys, msgs, strict=False)]
        k1_sigs = ecdsa.sign_batch(
            "secp256k1", [k.to_bytes() for k in k1_keys], msgs[:8], deterministic=True
        )
        ok = sm2.verify_batch([k.public_key.to_bytes() for k in sm2_keys], msgs[:8], sm2_sigs)
        ok2 = ecdsa.verify_batch(
            "secp256k1", [k.public_key.to_bytes() for k in k1_keys], msgs[:8], k1_sigs
        )
        root = cc.merkle_root(leaves, hash="sm3", scheme="chainmaker", threads=2)
        return (digests.tobytes(), sha, sm2_sigs, list(k1_sigs), ok.tolist(), ok2.tolist(), root)

    expected = work()
    assert all(expected[4]) and all(expected[5])
    barrier = threading.Barrier(16)

    def racer(_: int) -> list[tuple[object, ...]]:
        barrier.wait()
        return [work() for _ in range(3)]

    with ThreadPoolExecutor(16) as pool:
        for results in pool.map(racer, range(16)):
            assert all(r == expected for r in results)
