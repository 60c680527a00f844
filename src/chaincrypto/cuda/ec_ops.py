"""Host drivers of the SM2 and ECDSA kernels: the CUDA backend's elliptic-curve ops, with the
C backend's signatures (``(n, 32)`` big-endian rows in, rows and ok masks out).

Parsing (keys, DER) and the RFC 6979 nonces stay on the CPU: they are byte work, cheap next
to a scalar multiplication, and sharing the C code keeps the results identical. A row whose
nonce the device rejects (probability about 2**-32 per signature on SM2 and P-256, whose
orders sit below 2**256 by that margin) is signed again by the C backend, which draws the next
RFC 6979 candidate exactly as it would have.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from numba import cuda

from . import curves
from .bigint import be_from_limbs, int_limbs, limbs_from_be
from .ec_kernels import (
    ecdsa_recover_kernel,
    ecdsa_sign_kernel,
    ecdsa_verify_kernel,
    pubkey_kernel,
    sm2_sign_kernel,
    sm2_verify_kernel,
)
from .hashing import hash_items
from .launch import device_empty, launch, to_device

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
        _tables[key] = to_device(host[what](curve))
    return _tables[key]


def _in(rows: U8) -> Any:
    return to_device(limbs_from_be(rows))


def _out_limbs(n: int) -> Any:
    return device_empty((8, n), np.uint32)


def _out(arr: Any) -> U8:
    return be_from_limbs(arr.copy_to_host())


def _mask(ok: Any) -> Mask:
    return np.asarray(ok.copy_to_host(), dtype=bool)


def pubkey_create(curve: int, sk: U8, *, threads: int | None = None) -> tuple[U8, Mask]:
    """``(pub (n, 64) X||Y, ok)``: ``d*G`` of each secret key (zeros where invalid)."""
    n = len(sk)
    limit = curves.params(curve).n - (1 if curve == SM2 else 0)
    px, py, ok = _out_limbs(n), _out_limbs(n), device_empty(n, np.uint8)
    launch(
        pubkey_kernel,
        n,
        _in(sk),
        to_device(int_limbs(limit)),
        _table(curve, "K"),
        _table(curve, "comb"),
        px,
        py,
        ok,
    )
    return np.hstack([_out(px), _out(py)]) if n else np.zeros((0, 64), np.uint8), _mask(ok)


def _pub_in(pub: U8) -> tuple[Any, Any]:
    pub = np.ascontiguousarray(pub, dtype=np.uint8).reshape(-1, 64)
    return _in(pub[:, :32]), _in(pub[:, 32:])


def sm2_verify(pub: U8, e: U8, r: U8, s: U8, *, threads: int | None = None) -> Mask:
    """SM2 verification of each row (``pub`` parsed X||Y)."""
    n = len(pub)
    ok = device_empty(n, np.uint8)
    px, py = _pub_in(pub)
    launch(
        sm2_verify_kernel,
        n,
        px,
        py,
        _in(e),
        _in(r),
        _in(s),
        _table(SM2, "K"),
        _table(SM2, "gtab"),
        ok,
    )
    return _mask(ok)


def ecdsa_verify(
    curve: int, pub: U8, e: U8, r: U8, s: U8, flags: int, *, threads: int | None = None
) -> Mask:
    """ECDSA verification of each row; ``flags`` as the C backend's (CC_VERIFY_LOW_S = 1)."""
    n = len(pub)
    ok = device_empty(n, np.uint8)
    px, py = _pub_in(pub)
    launch(
        ecdsa_verify_kernel,
        n,
        px,
        py,
        _in(e),
        _in(r),
        _in(s),
        int(flags & 1),
        _table(curve, "K"),
        _table(curve, "gtab"),
        ok,
    )
    return _mask(ok)


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
    r, s, ok = _out_limbs(n), _out_limbs(n), device_empty(n, np.uint8)
    K, comb = _table(SM2, "K"), _table(SM2, "comb")
    launch(sm2_sign_kernel, n, _in(sk), _in(e), _in(k), K, comb, r, s, ok)
    r_h, s_h, ok_h = _out(r), _out(s), _mask(ok)
    redo = key_ok & ~ok_h
    if redo.any():
        idx, (r2, s2, ok2) = _redo(redo, _cpu("sm2_sign"), extra, sk, e)
        r_h[idx], s_h[idx], ok_h[idx] = r2, s2, ok2
    return r_h, s_h, ok_h


def ecdsa_sign(
    curve: int, sk: U8, e: U8, extra: U8 | None, *, threads: int | None = None
) -> tuple[U8, U8, U8, Mask]:
    """ECDSA signatures ``(r, s, recid, ok)`` with RFC 6979 nonces (HMAC-SHA256), low-S on
    secp256k1, as the C backend."""
    n = len(sk)
    k, key_ok = _nonces(curve, sk, e, extra, threads)
    r, s = _out_limbs(n), _out_limbs(n)
    recid, ok = device_empty(n, np.uint8), device_empty(n, np.uint8)
    launch(
        ecdsa_sign_kernel,
        n,
        _in(sk),
        _in(e),
        _in(k),
        int(curve == SECP256K1),
        _table(curve, "K"),
        _table(curve, "comb"),
        r,
        s,
        recid,
        ok,
    )
    r_h, s_h, recid_h, ok_h = _out(r), _out(s), recid.copy_to_host(), _mask(ok)
    redo = key_ok & ~ok_h
    if redo.any():
        idx, (r2, s2, recid2, ok2) = _redo(redo, _cpu("ecdsa_sign"), extra, sk, e, curve)
        r_h[idx], s_h[idx], recid_h[idx], ok_h[idx] = r2, s2, recid2, ok2
    return r_h, s_h, recid_h, ok_h


def ecdsa_recover(
    curve: int, e: U8, r: U8, s: U8, recid: U8, *, threads: int | None = None
) -> tuple[U8, Mask]:
    """Public keys ``(pub (n, 64), ok)`` recovered from ECDSA signatures."""
    n = len(e)
    px, py, ok = _out_limbs(n), _out_limbs(n), device_empty(n, np.uint8)
    launch(
        ecdsa_recover_kernel,
        n,
        _in(e),
        _in(r),
        _in(s),
        to_device(np.ascontiguousarray(recid, dtype=np.uint8)),
        _table(curve, "K"),
        _table(curve, "gtab"),
        px,
        py,
        ok,
    )
    return np.hstack([_out(px), _out(py)]) if n else np.zeros((0, 64), np.uint8), _mask(ok)


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
