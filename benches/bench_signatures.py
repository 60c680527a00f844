"""SM2 and ECDSA signing, verification and public-key recovery on one core, through the public
API (messages hashed inside the call), beside every installed peer in the same run: OpenSSL
(`openssl speed` and the cryptography package), libsecp256k1 (coincurve) and gmssl.

The work is that of ``chaincrypto bench`` (the same factories, batch 2,048, one distinct key an
item); the peers are its ``--compare`` peers."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import race_peers

from chaincrypto.bench import operations, peer_contenders
from chaincrypto.bench.operations import REGISTRY

BATCH = 2048
SIGNATURE_OPS = [
    op for op in operations() if op.rpartition("-")[2] in ("sign", "verify", "recover")
]


@pytest.mark.parametrize("op", SIGNATURE_OPS)
def test_signature_op_one_core(benchmark: Any, op: str) -> None:
    work = REGISTRY[op].factory(BATCH, "cpu", 1)
    race_peers(benchmark, work.run, work.items, peer_contenders(op))


def _single_calls(op: str, n: int) -> Any:
    """A loop of ``n`` single-item calls of ``op`` (one key each, 32-byte messages): what a node
    does per transaction when it does not batch."""
    import os

    from chaincrypto import ecdsa, sm2

    alg, _, kind = op.rpartition("-")
    msgs = [os.urandom(32) for _ in range(n)]
    keys = [
        sm2.PrivateKey.generate() if alg == "sm2" else ecdsa.PrivateKey.generate(alg)
        for _ in range(n)
    ]
    pubs = [k.public_key for k in keys]
    if kind == "sign":
        return lambda: [k.sign(m) for k, m in zip(keys, msgs, strict=True)]
    if kind == "verify":
        sigs = [k.sign(m) for k, m in zip(keys, msgs, strict=True)]
        return lambda: [p.verify(s, m) for p, s, m in zip(pubs, sigs, msgs, strict=True)]
    sigs = [k.sign(m, recoverable=True) for k, m in zip(keys, msgs, strict=True)]
    return lambda: [ecdsa.PublicKey.recover(s, m, alg) for s, m in zip(sigs, msgs, strict=True)]


@pytest.mark.parametrize("op", SIGNATURE_OPS)
def test_single_item_calls_one_core(benchmark: Any, op: str) -> None:
    """One call an item (``PrivateKey.sign``, ``PublicKey.verify``, ``PublicKey.recover``),
    beside the same peers: coincurve and cryptography are called once an item from Python too,
    ``openssl speed`` loops in C."""
    n = 500
    race_peers(benchmark, _single_calls(op, n), n, peer_contenders(op))
