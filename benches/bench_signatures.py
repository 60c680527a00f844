"""SM2 and ECDSA signing, verification and public-key recovery on one core, through the public
API (messages hashed inside the call), beside every installed peer in the same run: OpenSSL
(`openssl speed` and the cryptography package), libsecp256k1 (coincurve) and gmssl.

The work is that of ``chaincrypto bench`` (the same factories, batch 2,048, one distinct key an
item); the peers are its ``--compare`` peers."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import record

from chaincrypto.bench import operations, peer_rates
from chaincrypto.bench.operations import REGISTRY

BATCH = 2048
SIGNATURE_OPS = [
    op for op in operations() if op.rpartition("-")[2] in ("sign", "verify", "recover")
]


@pytest.mark.parametrize("op", SIGNATURE_OPS)
def test_signature_op_one_core(benchmark: Any, op: str) -> None:
    work = REGISTRY[op].factory(BATCH, "cpu", 1)
    benchmark.pedantic(work.run, rounds=5, warmup_rounds=1)
    record(benchmark, work.items, [(name, rate) for name, rate, _ in peer_rates(op)])
