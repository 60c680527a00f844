"""Host drivers of the SM2 and ECDSA kernels: the CUDA backend's elliptic-curve ops, with the
C backend's signatures (``(n, 32)`` big-endian rows in, rows and ok masks out).

Parsing (keys, DER) and the RFC 6979 nonces stay on the CPU: they are byte work, cheap next
to a scalar multiplication, and sharing the C code keeps the results identical. Private keys
and nonces travel through staging and device buffers that are zeroed once the batch is done,
and the nonces' host array is zeroed after the kernel. A row whose
nonce the device rejects (probability about 2**-32 per signature on SM2 and P-256, whose
orders sit below 2**256 by that margin) is signed again by the C backend, which draws the next
RFC 6979 candidate exactly as it would have.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import cuda

from . import curves, streaming
from .bigint import int_limbs
from .ec_kernels import (
    ecdsa_recover_kernel,
    ecdsa_sign_kernel,
    ecdsa_verify_kernel,
    pubkey_kernel,
    sm2_sign_kernel,
    sm2_verify_kernel,
)
from .hashing import hash_items
from .launch import launch, to_device
from .streaming import Column, limbs_in, limbs_out, rows_in, rows_out

U8 = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]
SM2 = 0
SECP256K1 = 1

_tables: dict[tuple[int, str, int], Any] = {}


def _cpu(name: str) -> Any:
    """The C backend's op ``name`` (nonces, and the rare row signed again)."""
    from ..backends import load

    cpu, why = load("cpu")
    if cpu is None:
        raise RuntimeError(f"the CUDA backend signs with the C backend's nonces: {why}")
    return cpu.op(name)


def _device_id() -> int:
    try:
        return int(cuda.get_current_device().id)
    except Exception:  # the simulator's fake device may lack an id
        return 0


def _table(curve: int, what: str) -> Any:
    """Curve table ``what`` ("K", "gtab" or "comb") in the current device's memory (uploaded
    once per device)."""
    key = (curve, what, _device_id())
    if key not in _tables:
        host = {"K": curves.constants, "gtab": curves.g_wnaf_table, "comb": curves.comb_table}
        table = to_device(host[what](curve))
        cuda.synchronize()  # complete before a kernel on another stream reads it
        _tables[key] = table
    return _tables[key]


def _rows(n: int) -> U8:
    return np.zeros((n, 32), dtype=np.uint8)


def _run(n: int, kern: Any, consts: tuple[Any, ...], ins: list[Column], outs: list[Column]) -> None:
    """``kern(*inputs, *consts, *outputs)`` over ``n`` rows through :func:`.streaming.run`; the
    last output is the ok mask, whose length bounds the kernel's rows."""

    def go(d_in: Sequence[Any], d_out: Sequence[Any], rows: int, stream: Any) -> None:
        launch(kern, rows, *d_in, *consts, *d_out[:-1], d_out[-1][:rows], stream=stream)

    streaming.run(n, ins, outs, go)


def pubkey_create(curve: int, sk: U8, *, threads: int | None = None) -> tuple[U8, Mask]:
    """``(pub (n, 64) X||Y, ok)``: ``d*G`` of each secret key (zeros where invalid)."""
    n = len(sk)
    limit = to_device(int_limbs(curves.params(curve).n - (1 if curve == SM2 else 0)))
    cuda.synchronize()  # as for the tables
    px, py, ok = _rows(n), _rows(n), np.zeros(n, np.uint8)
    consts = (limit, _table(curve, "K"), _table(curve, "comb"))
    ins = [limbs_in(sk, secret=True)]
    _run(n, pubkey_kernel, consts, ins, [limbs_out(px), limbs_out(py), rows_out(ok)])
    return np.hstack([px, py]), ok.astype(bool)


def _pub_in(pub: U8) -> list[Column]:
    pub = np.ascontiguousarray(pub, dtype=np.uint8).reshape(-1, 64)
    return [limbs_in(pub[:, :32]), limbs_in(pub[:, 32:])]


def sm2_verify(pub: U8, e: U8, r: U8, s: U8, *, threads: int | None = None) -> Mask:
    """SM2 verification of each row (``pub`` parsed X||Y)."""
    ok = np.zeros(len(pub), np.uint8)
    ins = [*_pub_in(pub), limbs_in(e), limbs_in(r), limbs_in(s)]
    consts = (_table(SM2, "K"), _table(SM2, "gtab"))
    _run(len(pub), sm2_verify_kernel, consts, ins, [rows_out(ok)])
    return ok.astype(bool)


def ecdsa_verify(
    curve: int, pub: U8, e: U8, r: U8, s: U8, flags: int, *, threads: int | None = None
) -> Mask:
    """ECDSA verification of each row; ``flags`` as the C backend's (CC_VERIFY_LOW_S = 1)."""
    ok = np.zeros(len(pub), np.uint8)
    ins = [*_pub_in(pub), limbs_in(e), limbs_in(r), limbs_in(s)]
    consts = (int(flags & 1), _table(curve, "K"), _table(curve, "gtab"))
    _run(len(pub), ecdsa_verify_kernel, consts, ins, [rows_out(ok)])
    return ok.astype(bool)


def _nonces(curve: int, sk: U8, e: U8, extra: U8 | None, threads: int | None) -> tuple[U8, Mask]:
    return _cpu("ec_nonce")(curve, sk, e, extra, threads=threads)  # type: ignore[no-any-return]


def _redo(rows: Mask, fn: Any, extra: U8 | None, sk: U8, e: U8, *head: Any) -> Any:
    """The C backend's signatures of ``rows`` (nonces the device rejected)."""
    idx = np.flatnonzero(rows)
    sub_extra = None if extra is None else np.ascontiguousarray(extra)[idx]
    return idx, fn(*head, np.ascontiguousarray(sk)[idx], np.ascontiguousarray(e)[idx], sub_extra)


def sm2_sign(sk: U8, e: U8, extra: U8 | None, *, threads: int | None = None) -> tuple[U8, U8, Mask]:
    """SM2 signatures ``(r, s, ok)`` with RFC 6979 nonces (HMAC-SM3; hedged by ``extra``)."""
    n = len(sk)
    k, key_ok = _nonces(SM2, sk, e, extra, threads)
    r, s, ok = _rows(n), _rows(n), np.zeros(n, np.uint8)
    ins = [limbs_in(sk, secret=True), limbs_in(e), limbs_in(k, secret=True)]
    consts = (_table(SM2, "K"), _table(SM2, "comb"))
    try:
        _run(n, sm2_sign_kernel, consts, ins, [limbs_out(r), limbs_out(s), rows_out(ok)])
    finally:
        k.fill(0)
    ok_h = ok.astype(bool)
    redo = key_ok & ~ok_h
    if redo.any():
        idx, (r2, s2, ok2) = _redo(redo, _cpu("sm2_sign"), extra, sk, e)
        r[idx], s[idx], ok_h[idx] = r2, s2, ok2
    return r, s, ok_h


def ecdsa_sign(
    curve: int, sk: U8, e: U8, extra: U8 | None, *, threads: int | None = None
) -> tuple[U8, U8, U8, Mask]:
    """ECDSA signatures ``(r, s, recid, ok)`` with RFC 6979 nonces (HMAC-SHA256), low-S on
    secp256k1, as the C backend."""
    n = len(sk)
    k, key_ok = _nonces(curve, sk, e, extra, threads)
    r, s, recid, ok = _rows(n), _rows(n), np.zeros(n, np.uint8), np.zeros(n, np.uint8)
    ins = [limbs_in(sk, secret=True), limbs_in(e), limbs_in(k, secret=True)]
    consts = (int(curve == SECP256K1), _table(curve, "K"), _table(curve, "comb"))
    outs = [limbs_out(r), limbs_out(s), rows_out(recid), rows_out(ok)]
    try:
        _run(n, ecdsa_sign_kernel, consts, ins, outs)
    finally:
        k.fill(0)
    ok_h = ok.astype(bool)
    redo = key_ok & ~ok_h
    if redo.any():
        idx, (r2, s2, recid2, ok2) = _redo(redo, _cpu("ecdsa_sign"), extra, sk, e, curve)
        r[idx], s[idx], recid[idx], ok_h[idx] = r2, s2, recid2, ok2
    return r, s, recid, ok_h


def ecdsa_recover(
    curve: int, e: U8, r: U8, s: U8, recid: U8, *, threads: int | None = None
) -> tuple[U8, Mask]:
    """Public keys ``(pub (n, 64), ok)`` recovered from ECDSA signatures."""
    n = len(e)
    px, py, ok = _rows(n), _rows(n), np.zeros(n, np.uint8)
    ins = [limbs_in(e), limbs_in(r), limbs_in(s), rows_in(recid)]
    consts = (_table(curve, "K"), _table(curve, "gtab"))
    _run(n, ecdsa_recover_kernel, consts, ins, [limbs_out(px), limbs_out(py), rows_out(ok)])
    return np.hstack([px, py]), ok.astype(bool)


def sm2_za(pub: U8, uid: bytes) -> U8:
    """Z_A = SM3(ENTL || ID || a || b || xG || yG || xA || yA) of each key, hashed on the
    device."""
    c = curves.params(SM2)
    head = (
        (8 * len(uid)).to_bytes(2, "big")
        + uid
        + b"".join(v.to_bytes(32, "big") for v in (c.a, c.b, c.gx, c.gy))
    )
    pub = np.ascontiguousarray(pub, dtype=np.uint8).reshape(-1, 64)
    rows = np.empty((len(pub), len(head) + 64), dtype=np.uint8)
    rows[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
    rows[:, len(head) :] = pub
    return hash_items("sm3", rows)
