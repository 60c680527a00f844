"""Synthetic, valid inputs for each op, so that the CPU and the GPU can be timed on the same work.

A workload maps a batch size and the CPU backend (which makes keys and signatures for the EC
ops) to the op's positional arguments, in the registry's signatures. Adding an op takes one
decorated function::

    @workload("my_op")
    def _(n: int, cpu: Backend) -> Args:
        return ("sm3", _random(n, 32))

Signature inputs are made for a pool of at most :data:`POOL` distinct keys and repeated to ``n``
rows: the per-item cost of a scalar multiplication does not depend on which key it is, and the
pool keeps input generation a small part of the calibration's time budget. Hashes use SM3 and
signatures secp256k1 (ECDSA) or SM2: one representative per op, since the crossover is kept per
op, not per algorithm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..._ec_keys import SECP256K1, SM2, Curve
from ..._inputs import Items, as_items
from .. import Backend

U8 = npt.NDArray[np.uint8]
Args = tuple[Any, ...]
Workload = Callable[[int, Backend], Args]

#: Distinct keys (and signatures) made per workload; rows beyond repeat them.
POOL = 1024
#: The SM2 user ID of the Z_A workload (GB/T 32918's default).
UID = b"1234567812345678"

WORKLOADS: dict[str, Workload] = {}


def workload(op: str) -> Callable[[Workload], Workload]:
    """Register the input maker of ``op``."""

    def register(make: Workload) -> Workload:
        WORKLOADS[op] = make
        return make

    return register


def _random(n: int, width: int, seed: int = 6) -> U8:
    return np.random.default_rng(seed).integers(0, 256, (n, width), dtype=np.uint8)


def _items(n: int, width: int) -> Items:
    return as_items(_random(n, width), "messages")


def _secrets(n: int) -> U8:
    """Valid secret keys on every curve: a top byte in 1..0x7f puts them in [2^248, 2^255),
    below each curve's order (and below SM2's n - 1)."""
    sk = _random(n, 32, seed=7)
    sk[:, 0] = sk[:, 0] % 0x7F + 1
    return sk


def _tile(arr: U8, n: int) -> U8:
    """``arr``'s rows repeated in order to ``n`` rows."""
    return np.resize(arr, (n, *arr.shape[1:]))


@dataclass(frozen=True)
class Signed:
    """Secret keys, public keys, digests and signatures of one curve, ``n`` rows each."""

    sk: U8
    pub: U8
    e: U8
    r: U8
    s: U8
    recid: U8


def _signed(curve: Curve, n: int, cpu: Backend) -> Signed:
    m = min(n, POOL)
    sk, e = _secrets(m), _random(m, 32, seed=8)
    pub, _ = cpu.ops["ec_pubkey_create"](curve.code, sk)
    if curve is SM2:
        r, s, _ = cpu.ops["sm2_sign"](sk, e, None)
        recid = np.zeros(m, np.uint8)
    else:
        r, s, recid, _ = cpu.ops["ecdsa_sign"](curve.code, sk, e, None)
    return Signed(*(_tile(a, n) for a in (sk, pub, e, r, s, recid)))


@workload("hash_many")
def _hash_many(n: int, cpu: Backend) -> Args:
    return ("sm3", _items(n, 64))


@workload("rfc6962_leaf_hashes")
def _rfc6962_leaf_hashes(n: int, cpu: Backend) -> Args:
    return ("sm3", _items(n, 32))


@workload("merkle_root")
@workload("merkle_levels")
def _merkle_tree(n: int, cpu: Backend) -> Args:
    return ("chainmaker", "sm3", _random(n, 32))


@workload("ec_pubkey_create")
def _ec_pubkey_create(n: int, cpu: Backend) -> Args:
    return (SECP256K1.code, _secrets(n))


@workload("sm2_za")
def _sm2_za(n: int, cpu: Backend) -> Args:
    return (_signed(SM2, n, cpu).pub, UID)


@workload("sm2_sign")
def _sm2_sign(n: int, cpu: Backend) -> Args:
    return (_secrets(n), _random(n, 32, seed=8), None)


@workload("sm2_verify")
def _sm2_verify(n: int, cpu: Backend) -> Args:
    sig = _signed(SM2, n, cpu)
    return (sig.pub, sig.e, sig.r, sig.s)


@workload("ecdsa_sign")
def _ecdsa_sign(n: int, cpu: Backend) -> Args:
    return (SECP256K1.code, _secrets(n), _random(n, 32, seed=8), None)


@workload("ecdsa_verify")
def _ecdsa_verify(n: int, cpu: Backend) -> Args:
    sig = _signed(SECP256K1, n, cpu)
    return (SECP256K1.code, sig.pub, sig.e, sig.r, sig.s, 0)


@workload("ecdsa_recover")
def _ecdsa_recover(n: int, cpu: Backend) -> Args:
    sig = _signed(SECP256K1, n, cpu)
    return (SECP256K1.code, sig.e, sig.r, sig.s, sig.recid)
