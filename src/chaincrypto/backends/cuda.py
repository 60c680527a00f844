"""The CUDA backend: numba-cuda kernels from :mod:`chaincrypto.cuda` behind the registry's ops.

Available when numba-cuda imports, finds a GPU and runs a probe kernel; also under the CUDA
simulator (``NUMBA_ENABLE_CUDASIM=1``, set before numba is first imported), where kernels run in
pure Python so that CI exercises the whole path, but "auto" never picks it there.

Ops (same signatures as the C backend's):

* ``hash_many(algorithm, items, *, simd="auto", threads=None) -> (n, 32) uint8``
* ``merkle_root(scheme, algorithm, leaves, threads=None) -> (root: bytes, mutated: bool)``
* ``merkle_levels(scheme, algorithm, leaves, threads=None) -> (levels, mutated)``
* ``rfc6962_leaf_hashes(algorithm, items, threads=None) -> (n, 32) uint8``
* the elliptic-curve ops of :mod:`chaincrypto.cuda.ec_ops` (key derivation, SM2/ECDSA signing
  and verification, ECDSA recovery, SM2 Z_A), and the host-side :data:`HOST_OPS`

``simd`` and ``threads`` are accepted for compatibility and ignored. With several GPUs, row-wise
ops split each large batch across all of them (:mod:`.multigpu`); Merkle trees run on one.
"auto"'s choice between this backend and the CPU is :mod:`.crossover`'s. This module imports
numba only inside :func:`load`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .._inputs import Items
from . import Backend
from .multigpu import Device, split_ops

#: Ops the CUDA backend serves with the C backend's code (parsing, encoding, nonces: byte work
#: next to the kernels), so that ``backend="cuda"`` covers whole calls; "auto" never routes
#: them here.
HOST_OPS = ("ec_pubkey_parse", "der_sig_parse", "der_sig_encode", "ec_nonce")
#: Ops that take private keys or nonces. "auto" keeps them on the C backend, whose signing is
#: checked constant time (``.ci/ctime``) and which never copies a secret off the host; they run
#: on the GPU when asked for by name (``backend="cuda"``, ``use("cuda")``,
#: ``CHAINCRYPTO_BACKEND=cuda``).
SECRET_OPS = ("ec_pubkey_create", "sm2_sign", "ecdsa_sign")
#: Ops "auto" never sends to the GPU (nor calibrates by default).
NEVER_AUTO = HOST_OPS + SECRET_OPS


def hash_many(
    algorithm: str, items: Items, *, simd: str = "auto", threads: int | None = None
) -> npt.NDArray[np.uint8]:
    """SM3 or SHA-256 of every item on the GPU (``simd``/``threads`` ignored)."""
    from ..cuda.hashing import hash_items

    return hash_items(algorithm, items)


def _ops() -> dict[str, Any]:
    from ..cuda import ec_ops, merkle
    from .cpu.ec import OPS as CPU_EC_OPS

    return {
        "hash_many": hash_many,
        "merkle_root": merkle.merkle_root,
        "merkle_levels": merkle.merkle_levels,
        "rfc6962_leaf_hashes": merkle.rfc6962_leaf_hashes,
        "ec_pubkey_create": ec_ops.pubkey_create,
        "sm2_za": ec_ops.sm2_za,
        "sm2_verify": ec_ops.sm2_verify,
        "sm2_sign": ec_ops.sm2_sign,
        "ecdsa_verify": ec_ops.ecdsa_verify,
        "ecdsa_sign": ec_ops.ecdsa_sign,
        "ecdsa_recover": ec_ops.ecdsa_recover,
        **{name: CPU_EC_OPS[name] for name in HOST_OPS},
    }


def _devices() -> list[Device]:
    """Every visible GPU, equal shares (numba makes ``cuda.gpus[i]`` current per thread)."""
    from numba import cuda

    return [Device(lambda i=i: cuda.gpus[i]) for i in range(len(cuda.gpus))]


def _backend(auto: bool = True) -> Backend:
    """The ops, row-wise ones split across the GPUs when there are several."""
    return Backend("cuda", split_ops(_ops(), _devices()), auto=auto)


def _probe() -> str:
    """Run one tiny kernel; '' if it worked, else why not (one line)."""
    try:
        from ..cuda.hashing import hash_items

        digest = hash_items("sha256", np.zeros((1, 0), dtype=np.uint8))[0].tobytes()
    except Exception as exc:
        return f"numba-cuda cannot run a kernel here ({type(exc).__name__}: {exc})".splitlines()[0]
    if digest.hex()[:8] != "e3b0c442":
        return "numba-cuda probe kernel returned a wrong SHA-256 digest"
    return ""


def load() -> tuple[Backend | None, str]:
    """The CUDA backend and a one-line status, or None and why it is unavailable."""
    try:
        from numba import config
    except Exception as exc:
        return None, f"numba is not installed ({type(exc).__name__}); pip install chaincrypto[cuda]"
    if config.ENABLE_CUDASIM:
        return _backend(auto=False), (
            "CUDA simulator (NUMBA_ENABLE_CUDASIM=1): pure-Python kernels for testing,"
            " never chosen by auto"
        )
    from ..hardware import gpus

    report = gpus()
    if not report.devices:
        return None, report.reason or "no CUDA device found"
    why = _probe()
    if why:
        return None, why
    names = ", ".join(
        f"{d.name} (sm_{d.compute_capability[0]}{d.compute_capability[1]})" for d in report.devices
    )
    split = "; batches split across them" if len(report.devices) > 1 else ""
    return _backend(), f"numba-cuda on {names}{split}"
