"""Host drivers of the SM2 and ECDSA kernels: the CUDA backend's elliptic-curve ops, with the
C backend's signatures (``(n, 32)`` big-endian rows in, rows and ok masks out).

Parsing (keys, DER) stays on the CPU, in the C backend's code. The RFC 6979 nonces are drawn on
the device (:mod:`.rfc6979`, the same HMAC construction as csrc/ec/rfc6979.c) into a device
buffer that never leaves it; private keys and nonces travel through staging and device buffers
that are zeroed once the batch is done. A row the device does not sign (an invalid key, or a
first nonce candidate outside [1, n - 1]: probability about 2**-32 on SM2 and P-256, whose
orders sit below 2**256 by that margin) is signed again by the C backend, which refuses the
same keys and draws the next candidates exactly as it would have.

Before an op first runs on a device for a curve, it runs on the fixed items of
:func:`_check_args` and is compared with the C backend (:mod:`.known_answer`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import cuda

from . import curves, streaming
from .bigint import LIMBS, int_limbs
from .ec_kernels import (
    BATCH,
    ecdsa_recover_kernel,
    ecdsa_sign_kernel,
    ecdsa_verify_kernel,
    pubkey_kernel,
    sm2_sign_kernel,
    sm2_verify_kernel,
)
from .hashing import hash_items
from .known_answer import checked, cpu_op, device_id
from .launch import items_per_thread, launch, launch_items, to_device
from .rfc6979 import nonce_kernel
from .streaming import Column, limbs_in, limbs_out, rows_in, rows_out

U8 = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]
SM2 = 0
SECP256K1 = 1

_tables: dict[tuple[int, str, int], Any] = {}


def _key_limit(curve: int) -> npt.NDArray[np.uint32]:
    """n as limbs (n - 1 for SM2, whose private keys stop at n - 2)."""
    return int_limbs(curves.params(curve).n - (1 if curve == SM2 else 0))


def _table(curve: int, what: str) -> Any:
    """Curve table ``what`` ("K", "gtab", "comb", or "key_limit": the bound a private key must
    stay below) in the current device's memory (uploaded once per device)."""
    key = (curve, what, device_id())
    if key not in _tables:
        host = {
            "K": curves.constants,
            "gtab": curves.g_wnaf_table,
            "comb": curves.comb_table,
            "key_limit": _key_limit,
        }
        table = to_device(host[what](curve))
        cuda.synchronize()  # complete before a kernel on another stream reads it
        _tables[key] = table
    return _tables[key]


def _rows(n: int) -> U8:
    return np.zeros((n, 32), dtype=np.uint8)


def _be_rows(values: list[int]) -> U8:
    return np.array([list(v.to_bytes(32, "big")) for v in values], dtype=np.uint8)


def _check_args(op: str, curve: int) -> tuple[Any, ...]:
    """Fixed inputs of ``op`` on ``curve`` for its known-answer check (:mod:`.known_answer`):
    the smallest and largest keys, one in between, an invalid key where the op takes keys; a
    valid signature of each and one with s altered where it takes signatures."""
    n = curves.params(curve).n
    keys = [1, n - 2 if curve == SM2 else n - 1, 0x5EC7E7 << 200]
    sk, e = _be_rows(keys), _be_rows([0, (1 << 256) - 1, 0xD1DE57 << 180])
    if op == "ec_pubkey_create":
        return (curve, _be_rows([*keys, 0]))
    if op == "sm2_sign":
        return (sk, e, None)
    if op == "ecdsa_sign":
        return (curve, sk, e, None)
    pub, _ = cpu_op("ec_pubkey_create")(curve, sk)
    if curve == SM2:
        r, s, _ = cpu_op("sm2_sign")(sk, e, None)
    else:
        r, s, recid, _ = cpu_op("ecdsa_sign")(curve, sk, e, None)
    s = s.copy()
    s[2, 31] ^= 1
    if op == "sm2_verify":
        return (pub, e, r, s)
    if op == "ecdsa_verify":
        return (curve, pub, e, r, s, 0)
    return (curve, e, r, s, recid)  # ecdsa_recover


def _per_thread(kern: Any, rows: int, per_thread: int | None, most: int = BATCH) -> int:
    """Items a thread of ``kern`` takes in a launch over ``rows``: ``per_thread`` where given
    (clamped to 1 to :data:`.ec_kernels.BATCH`), else :func:`.launch.items_per_thread` with at
    most ``most`` (1 for a kernel whose items share nothing)."""
    if per_thread is not None:
        return max(1, min(BATCH, per_thread))
    return items_per_thread(kern, rows, most)


def _run(
    n: int,
    kern: Any,
    consts: tuple[Any, ...],
    ins: list[Column],
    outs: list[Column],
    per_thread: int | None,
    most: int = BATCH,
) -> None:
    """``kern(stride, *inputs, *consts, *outputs)`` over ``n`` rows through
    :func:`.streaming.run`, up to ``most`` a thread (:func:`_per_thread`); the last output is the
    ok mask, whose length bounds the kernel's rows."""

    def go(d_in: Sequence[Any], d_out: Sequence[Any], rows: int, stream: Any) -> None:
        m = _per_thread(kern, rows, per_thread, most)
        args = (*d_in, *consts, *d_out[:-1], d_out[-1][:rows])
        launch_items(kern, rows, m, *args, stream=stream)

    streaming.run(n, ins, outs, go)


def _known_answer(op: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """:func:`.known_answer.checked` for an EC op: the variant is the curve (the first
    argument, except for SM2's ops); the check's 3 or 4 items go two a thread (threads of two
    items and of one: the shared inversions), with ``options`` (``redo=False`` where the op
    has the C backend make good the rows the device refuses: the check sees the device's own
    answers)."""
    return checked(
        op,
        (lambda *args: SM2) if op.startswith("sm2") else (lambda *args: int(args[0])),
        lambda curve: _check_args(op, curve),
        lambda curve: curves.params(curve).name,
        {"per_thread": 2, **options},
    )


@_known_answer("ec_pubkey_create", redo=False)
def pubkey_create(
    curve: int,
    sk: U8,
    *,
    threads: int | None = None,
    per_thread: int | None = None,
    redo: bool = True,
) -> tuple[U8, Mask]:
    """``(pub (n, 64) X||Y, ok)``: ``d*G`` of each secret key (zeros where invalid). A row the
    device does not derive (an invalid key, or k*G at infinity in its comb's formula:
    probability about 2**-240) is derived again by the C backend, which refuses the same
    keys (unless not ``redo``: the known-answer check sees the device's own answers).
    ``per_thread``: items a thread (default :func:`_per_thread`'s choice)."""
    n = len(sk)
    px, py, ok = _rows(n), _rows(n), np.zeros(n, np.uint8)
    consts = (_table(curve, "key_limit"), _table(curve, "K"), _table(curve, "comb"))
    ins = [limbs_in(sk, secret=True)]
    outs = [limbs_out(px), limbs_out(py), rows_out(ok)]
    _run(n, pubkey_kernel, consts, ins, outs, per_thread)
    pub = np.hstack([px, py])
    if redo:
        _redo((pub, ok), lambda idx: cpu_op("ec_pubkey_create")(curve, _take(sk, idx)))
    return pub, ok.astype(bool)


def _pub_in(pub: U8) -> list[Column]:
    pub = np.ascontiguousarray(pub, dtype=np.uint8).reshape(-1, 64)
    return [limbs_in(pub[:, :32]), limbs_in(pub[:, 32:])]


@_known_answer("sm2_verify")
def sm2_verify(
    pub: U8, e: U8, r: U8, s: U8, *, threads: int | None = None, per_thread: int | None = None
) -> Mask:
    """SM2 verification of each row (``pub`` parsed X||Y): one item a thread unless
    ``per_thread`` says otherwise, as it has no inversion to share."""
    ok = np.zeros(len(pub), np.uint8)
    ins = [*_pub_in(pub), limbs_in(e), limbs_in(r), limbs_in(s)]
    consts = (_table(SM2, "K"), _table(SM2, "gtab"))
    _run(len(pub), sm2_verify_kernel, consts, ins, [rows_out(ok)], per_thread, most=1)
    return ok.astype(bool)


@_known_answer("ecdsa_verify")
def ecdsa_verify(
    curve: int,
    pub: U8,
    e: U8,
    r: U8,
    s: U8,
    flags: int,
    *,
    threads: int | None = None,
    per_thread: int | None = None,
) -> Mask:
    """ECDSA verification of each row; ``flags`` as the C backend's (CC_VERIFY_LOW_S = 1)."""
    ok = np.zeros(len(pub), np.uint8)
    ins = [*_pub_in(pub), limbs_in(e), limbs_in(r), limbs_in(s)]
    consts = (int(flags & 1), _table(curve, "K"), _table(curve, "gtab"))
    _run(len(pub), ecdsa_verify_kernel, consts, ins, [rows_out(ok)], per_thread)
    return ok.astype(bool)


def _take(rows: U8 | None, idx: npt.NDArray[np.intp]) -> U8 | None:
    """Rows ``idx`` of ``rows`` (None stays None)."""
    return None if rows is None else np.ascontiguousarray(rows)[idx]


def _redo(
    results: tuple[npt.NDArray[Any], ...],
    again: Callable[[npt.NDArray[np.intp]], tuple[npt.NDArray[Any], ...]],
) -> None:
    """Compute again on the C backend the rows the device refused (ok = 0 in
    ``results[-1]``), in place in ``results`` (the op's outputs in order): ``again(idx)`` is
    the C backend's op on rows ``idx``. Those are invalid keys, which it refuses the same way,
    first nonce candidates out of range, for which it draws the next ones, and the rare rows
    whose comb formula met infinity."""
    idx = np.flatnonzero(results[-1] == 0)
    if idx.size == 0:
        return
    for arr, new in zip(results, again(idx), strict=True):
        arr[idx] = new


def _sign(
    curve: int,
    kern: Any,
    mid: tuple[Any, ...],
    sk: U8,
    e: U8,
    extra: U8 | None,
    outs: list[Column],
    per_thread: int | None,
) -> None:
    """RFC 6979 nonces, then ``kern(stride, sk, e, k, *mid, *outputs)``, on the device (items
    a thread: :func:`_per_thread`): the nonces live in a device buffer that never leaves it
    (and is zeroed afterwards). The last of ``outs`` is the ok mask."""
    has_extra = int(extra is not None)
    ins = [limbs_in(sk, secret=True), limbs_in(e)]
    if extra is not None:
        ins.append(limbs_in(extra, secret=True))
    nonces = Column(lambda c: (LIMBS, c), np.uint32, secret=True)  # neither put nor taken
    K = _table(curve, "K")
    nonce = nonce_kernel("sm3" if curve == SM2 else "sha256")

    def go(d_in: Sequence[Any], d_out: Sequence[Any], rows: int, stream: Any) -> None:
        d_sk, d_e = d_in[0], d_in[1]
        d_k = d_out[-1]
        launch(nonce, rows, d_sk, d_e, d_in[-1], has_extra, rows, K, d_k, stream=stream)
        args = (d_sk, d_e, d_k, *mid, *d_out[:-2], d_out[-2][:rows])
        launch_items(kern, rows, _per_thread(kern, rows, per_thread), *args, stream=stream)

    streaming.run(len(sk), ins, [*outs, nonces], go)


@_known_answer("sm2_sign", redo=False)
def sm2_sign(
    sk: U8,
    e: U8,
    extra: U8 | None,
    *,
    threads: int | None = None,
    per_thread: int | None = None,
    redo: bool = True,
) -> tuple[U8, U8, Mask]:
    """SM2 signatures ``(r, s, ok)`` with RFC 6979 nonces (HMAC-SM3; hedged by ``extra``);
    the rows the device refuses signed by the C backend (:func:`_redo`) when ``redo``."""
    n = len(sk)
    r, s, ok = _rows(n), _rows(n), np.zeros(n, np.uint8)
    mid = (_table(SM2, "K"), _table(SM2, "comb"))
    outs = [limbs_out(r), limbs_out(s), rows_out(ok)]
    _sign(SM2, sm2_sign_kernel, mid, sk, e, extra, outs, per_thread)
    cpu = cpu_op("sm2_sign")
    if redo:
        _redo((r, s, ok), lambda idx: cpu(_take(sk, idx), _take(e, idx), _take(extra, idx)))
    return r, s, ok.astype(bool)


@_known_answer("ecdsa_sign", redo=False)
def ecdsa_sign(
    curve: int,
    sk: U8,
    e: U8,
    extra: U8 | None,
    *,
    threads: int | None = None,
    per_thread: int | None = None,
    redo: bool = True,
) -> tuple[U8, U8, U8, Mask]:
    """ECDSA signatures ``(r, s, recid, ok)`` with RFC 6979 nonces (HMAC-SHA256), low-S on
    secp256k1, as the C backend; ``redo`` as for :func:`sm2_sign`."""
    n = len(sk)
    r, s, recid, ok = _rows(n), _rows(n), np.zeros(n, np.uint8), np.zeros(n, np.uint8)
    mid = (int(curve == SECP256K1), _table(curve, "K"), _table(curve, "comb"))
    outs = [limbs_out(r), limbs_out(s), rows_out(recid), rows_out(ok)]
    _sign(curve, ecdsa_sign_kernel, mid, sk, e, extra, outs, per_thread)
    cpu = cpu_op("ecdsa_sign")
    if redo:
        _redo(
            (r, s, recid, ok),
            lambda idx: cpu(curve, _take(sk, idx), _take(e, idx), _take(extra, idx)),
        )
    return r, s, recid, ok.astype(bool)


@_known_answer("ecdsa_recover")
def ecdsa_recover(
    curve: int,
    e: U8,
    r: U8,
    s: U8,
    recid: U8,
    *,
    threads: int | None = None,
    per_thread: int | None = None,
) -> tuple[U8, Mask]:
    """Public keys ``(pub (n, 64), ok)`` recovered from ECDSA signatures."""
    n = len(e)
    px, py, ok = _rows(n), _rows(n), np.zeros(n, np.uint8)
    ins = [limbs_in(e), limbs_in(r), limbs_in(s), rows_in(recid)]
    consts = (_table(curve, "K"), _table(curve, "gtab"))
    outs = [limbs_out(px), limbs_out(py), rows_out(ok)]
    _run(n, ecdsa_recover_kernel, consts, ins, outs, per_thread)
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
