"""chaincrypto: fast batched cryptography for blockchain nodes.

SM3 and SHA-256 hashing (one message or millions), with SM2, ECDSA and Merkle trees built on
them; a C backend everywhere and CUDA kernels on GPU hosts, picked per call (see
:func:`info` and :func:`use`).
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import ecdsa, sm2
from .backends import BackendUnavailableError, use
from .batch_verifier import BatchVerifier, BatchVerifierClosedError, BatchVerifierFullError
from .hashing import hash_many, sha256, sm3
from .info import info
from .merkle import (
    MerkleTree,
    ProofBatch,
    merkle_root,
    verify_consistency,
    verify_proof,
    verify_proofs,
)

__all__ = [
    "BackendUnavailableError",
    "BatchVerifier",
    "BatchVerifierClosedError",
    "BatchVerifierFullError",
    "MerkleTree",
    "ProofBatch",
    "__version__",
    "ecdsa",
    "hash_many",
    "info",
    "merkle_root",
    "sha256",
    "sm2",
    "sm3",
    "use",
    "verify_consistency",
    "verify_proof",
    "verify_proofs",
]
