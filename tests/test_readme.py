"""The README's Python examples run as written (with sample inputs for the names they leave to
the reader), so the documentation cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

import chaincrypto as cc
from chaincrypto import ecdsa, sm2

README = Path(__file__).resolve().parents[1] / "README.md"


def _sample_inputs() -> dict[str, object]:
    sm2_keys = [sm2.PrivateKey.generate() for _ in range(4)]
    k1_keys = [ecdsa.PrivateKey.generate("secp256k1") for _ in range(4)]
    messages = [b"tx %d" % i for i in range(4)]
    leaves = cc.hash_many(messages, "sha256")
    key = sm2_keys[0]
    return {
        "transactions": messages,
        "messages": messages,
        "private_keys": [k.to_bytes() for k in sm2_keys],
        "public_keys": [k.public_key.to_bytes() for k in sm2_keys],
        "signatures": [k.sign(m) for k, m in zip(sm2_keys, messages, strict=True)],
        "signatures65": [
            k.sign(m, recoverable=True) for k, m in zip(k1_keys, messages, strict=True)
        ],
        "txids": [bytes(r) for r in leaves],
        "pubkey": key.public_key.to_bytes(),
        "message": b"m",
        "signature": key.sign(b"m"),
    }


def test_readme_python_examples_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) >= 4
    namespace: dict[str, object] = {"np": np, "cc": cc}
    for block in blocks:
        if "Client(" in block:
            continue  # needs a running Dask scheduler: tests/test_distributed.py covers the API
        namespace.update(_sample_inputs())
        if "verify_batch(public_keys" in block:
            # the secp256k1 line needs secp256k1 keys; the SM2 inputs serve the rest
            block = block.replace(
                'ecdsa.verify_batch("secp256k1", public_keys, messages, signatures)', ""
            )
        if "MerkleTree" in block:
            namespace["transactions"] = [b"tx %d" % i for i in range(8)]
        exec(compile(block, str(README), "exec"), namespace)
    assert isinstance(namespace["tree"], cc.MerkleTree)
    assert namespace["ok"] is True  # the README's proof example verifies
