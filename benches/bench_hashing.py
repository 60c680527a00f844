"""Batched hashing on one core against OpenSSL's one-core rate (``openssl speed -evp``, and
hashlib one message a call for short messages), the two taking turns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import race_peers, record

import chaincrypto as cc
from chaincrypto.bench.peers import hashlib_messages, openssl_hash


@pytest.mark.parametrize("algorithm", ["sm3", "sha256"])
def test_64_byte_batch_one_core(benchmark: Any, algorithm: str) -> None:
    n = 1 << 16
    msgs = np.random.default_rng(0).integers(0, 256, (n, 64), dtype=np.uint8)
    race_peers(
        benchmark,
        lambda: cc.hash_many(msgs, algorithm, threads=1),
        n,
        [openssl_hash(algorithm, 64), hashlib_messages(algorithm, 64)],
        item_bytes=64,
    )


@pytest.mark.parametrize("algorithm", ["sm3", "sha256"])
def test_one_mib_single_stream(benchmark: Any, algorithm: str) -> None:
    msg = np.random.default_rng(1).integers(0, 256, (1, 1 << 20), dtype=np.uint8)
    # Compared in bytes: OpenSSL's rate on 16 KiB blocks, ours on one 1 MiB message.
    race_peers(
        benchmark,
        lambda: cc.hash_many(msg, algorithm, threads=1),
        1,
        [openssl_hash(algorithm, 16384)],
        item_bytes=1 << 20,
    )


@pytest.mark.parametrize("algorithm", ["sm3", "sha256"])
def test_64_byte_batch_all_cores(benchmark: Any, algorithm: str) -> None:
    n = 1 << 18
    msgs = np.random.default_rng(2).integers(0, 256, (n, 64), dtype=np.uint8)
    benchmark(cc.hash_many, msgs, algorithm)
    record(benchmark, n)
