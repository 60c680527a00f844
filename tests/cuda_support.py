"""Helpers for the CUDA tests.

The CUDA simulator must be switched on (``NUMBA_ENABLE_CUDASIM=1``) before numba is first
imported, and the main test run must not be simulated (other tests check that the CUDA backend
is *unavailable* without a GPU). So each tests/test_cuda_*.py file holds:

* simulator tests (``@simulated``): they run only in a process started with the variable set;
* one driver test (:func:`run_simulated`): in the ordinary run it starts ``pytest FILE`` in a
  subprocess with ``NUMBA_ENABLE_CUDASIM=1`` and fails with its output if that run fails;
* GPU tests (``@gpu``, i.e. ``@pytest.mark.cuda``): real device, skipped without one or when
  simulated.

Everything is skipped cleanly when numba/numba-cuda are not installed (``pytest.importorskip``
at the top of each file).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pathlib
import subprocess
import sys

import numpy as np
import numpy.typing as npt
import pytest

import chaincrypto as cc

SIMULATED = os.environ.get("NUMBA_ENABLE_CUDASIM", "") not in ("", "0")

#: Tests that run only inside the simulator subprocess.
simulated = pytest.mark.skipif(
    not SIMULATED, reason="runs in the CUDA-simulator subprocess (see test_simulator_run)"
)


@functools.lru_cache(maxsize=1)
def gpu_present() -> bool:
    """A real CUDA device is usable here (never under the simulator)."""
    if SIMULATED:
        return False
    from chaincrypto.hardware import gpus

    return bool(gpus().devices)


def gpu(fn):  # type: ignore[no-untyped-def]
    """Mark a test that needs a real CUDA GPU: ``-m cuda`` selects it; skipped without one."""
    skip = pytest.mark.skipif(not gpu_present(), reason="needs a CUDA GPU (not the simulator)")
    return pytest.mark.cuda(skip(fn))


#: Marks a test that runs in the ordinary process only (it needs no simulator, or numba.njit
#: there); the simulator run skips it, and :func:`run_simulated` accepts that skip alone.
ordinary_only = pytest.mark.skipif(SIMULATED, reason="runs in the ordinary process")


def run_simulated(test_file: str) -> None:
    """Run ``test_file``'s simulator tests in a subprocess with ``NUMBA_ENABLE_CUDASIM=1``;
    skip when already simulated (that process is the subprocess), fail with its output."""
    if SIMULATED:
        pytest.skip("this is the simulator run")
    root = pathlib.Path(__file__).resolve().parent.parent
    pkg_parent = str(pathlib.Path(cc.__file__).resolve().parent.parent)
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (pkg_parent, env.get("PYTHONPATH")) if p)
    cmd = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-m", "not cuda"]
    out = subprocess.run(
        [*cmd, test_file], cwd=root, env=env, capture_output=True, text=True, timeout=600
    )
    tail = (out.stdout + out.stderr)[-6000:]
    assert out.returncode == 0, f"simulator run of {test_file} failed:\n{tail}"
    assert " passed" in out.stdout, f"simulator run of {test_file} ran nothing:\n{tail}"
    # Only this function's own skip and ordinary_only's may appear: a simulator test that
    # skipped for any other reason would otherwise pass here unseen.
    skips = [line for line in out.stdout.splitlines() if line.startswith("SKIPPED")]
    allowed = ("this is the simulator run", "runs in the ordinary process")
    other = [line for line in skips if not any(reason in line for reason in allowed)]
    assert not other, f"simulator run of {test_file} skipped tests:\n" + "\n".join(other)


def _hasher(algorithm: str):  # type: ignore[no-untyped-def]
    if algorithm == "sha256":
        return lambda b: hashlib.sha256(b).digest()
    from cryptography.hazmat.primitives import hashes

    def sm3(b: bytes) -> bytes:
        h = hashes.Hash(hashes.SM3())
        h.update(b)
        return h.finalize()

    return sm3


def reference_digest(algorithm: str, data: bytes) -> bytes:
    """``algorithm`` of ``data`` by OpenSSL (cryptography) or hashlib."""
    return _hasher(algorithm)(data)


def cpu_hash(algorithm: str, rows: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Digests of the rows of an ``(n, k)`` uint8 array on the C backend."""
    return cc.hash_many(np.ascontiguousarray(rows), algorithm, backend="cpu")


def reference_levels(
    scheme: str, algorithm: str, leaves: list[bytes]
) -> tuple[list[npt.NDArray[np.uint8]], bool]:
    """Every level of a Merkle tree (leaves or leaf hashes first) and the CVE-2012-2459
    ``mutated`` flag, level by level with the C backend's batch hash, written from the scheme
    descriptions in chaincrypto.cuda.merkle (independent of the CUDA code)."""
    if scheme == "rfc6962":
        level = np.array(
            [np.frombuffer(reference_digest(algorithm, b"\0" + x), np.uint8) for x in leaves]
        )
    else:
        level = np.array([np.frombuffer(x, np.uint8) for x in leaves]).reshape(-1, 32)
    levels, mutated = [level], False
    while len(level) > 1:
        m = len(level)
        pairs = level[: m - m % 2].reshape(-1, 64)
        if scheme != "rfc6962":
            mutated |= bool(np.any(np.all(pairs[:, :32] == pairs[:, 32:], axis=1)))
        if scheme == "rfc6962":
            msgs = np.concatenate([np.ones((len(pairs), 1), np.uint8), pairs], axis=1)
            parents = cpu_hash(algorithm, msgs)
            if m % 2:
                parents = np.concatenate([parents, level[-1:]])
        else:
            if m % 2:
                pairs = np.concatenate([pairs, np.concatenate([level[-1:], level[-1:]], axis=1)])
            parents = cpu_hash(algorithm, pairs)
            if scheme == "bitcoin":
                parents = cpu_hash(algorithm, parents)
        level = parents
        levels.append(level)
    return levels, mutated
