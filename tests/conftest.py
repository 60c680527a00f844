"""Shared test fixtures: reference digests from implementations nobody here wrote."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives import hashes


def openssl_sm3(data: bytes) -> bytes:
    """SM3 through OpenSSL (pyca/cryptography)."""
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


REFERENCE = {"sm3": openssl_sm3, "sha256": lambda b: hashlib.sha256(b).digest()}


@pytest.fixture(params=["sm3", "sha256"])
def algorithm(request: pytest.FixtureRequest) -> str:
    return request.param
