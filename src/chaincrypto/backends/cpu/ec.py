"""SM2 and ECDSA entry points on the C backend: flat numpy arrays in and out, batches split over
cores (each chunk is one C call; cffi releases the GIL around it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from ..._cpu import ffi, lib
from ..._inputs import Items
from ..._threads import run_chunks
from ._ffi import check, ptr

U8 = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]

#: Items per thread below which splitting costs more than it saves (scalar multiplications).
_MIN_CHUNK = 32
_NULL = ffi.NULL


def _c(arr: U8) -> U8:
    return np.ascontiguousarray(arr, dtype=np.uint8)


def _rows(n: int, threads: int | None, fn: Callable[[int, int], int], what: str) -> None:
    def work(a: int, b: int) -> None:
        check(fn(a, b), what)

    if n:
        run_chunks(n, threads, _MIN_CHUNK, work)


def seckey_check(curve: int, secret: bytes) -> bool:
    buf = ffi.from_buffer(secret)
    return bool(lib.cc_ec_seckey_check(curve, buf) == lib.CC_OK)


def pubkey_create(curve: int, sk: U8, *, threads: int | None = None) -> tuple[U8, Mask]:
    sk = _c(sk)
    n = len(sk)
    pub = np.zeros((n, 64), np.uint8)
    ok = np.zeros(n, np.uint8)
    _rows(
        n,
        threads,
        lambda a, b: lib.cc_ec_pubkey_create_batch(
            curve, ptr(sk, offset=32 * a), b - a, ptr(pub, offset=64 * a), ptr(ok, offset=a)
        ),
        "public key creation",
    )
    return pub, ok.astype(bool)


def pubkey_parse(curve: int, items: Items, *, threads: int | None = None) -> tuple[U8, Mask]:
    n = items.n
    pub = np.zeros((n, 64), np.uint8)
    ok = np.zeros(n, np.uint8)
    data, offsets = items.data, items.offsets
    if len(data) == 0:  # every item empty: nothing to parse (and no pointer to take)
        return pub, ok.astype(bool)
    _rows(
        n,
        threads,
        lambda a, b: lib.cc_ec_pubkey_parse_batch(
            curve,
            ptr(data),
            ptr(offsets, "uint64_t *", a),
            b - a,
            ptr(pub, offset=64 * a),
            ptr(ok, offset=a),
        ),
        "public key parsing",
    )
    return pub, ok.astype(bool)


def der_sig_parse(items: Items, *, threads: int | None = None) -> tuple[U8, U8, Mask]:
    n = items.n
    r = np.zeros((n, 32), np.uint8)
    s = np.zeros((n, 32), np.uint8)
    ok = np.zeros(n, np.uint8)
    data, offsets = items.data, items.offsets
    if len(data) == 0:
        return r, s, ok.astype(bool)
    _rows(
        n,
        threads,
        lambda a, b: lib.cc_der_sig_parse_batch(
            ptr(data),
            ptr(offsets, "uint64_t *", a),
            b - a,
            ptr(r, offset=32 * a),
            ptr(s, offset=32 * a),
            ptr(ok, offset=a),
        ),
        "DER signature parsing",
    )
    return r, s, ok.astype(bool)


def der_sig_encode(r: U8, s: U8) -> list[bytes]:
    r, s = _c(r), _c(s)
    n = len(r)
    out = np.zeros((n, 72), np.uint8)
    lens = np.zeros(n, np.uint8)
    if n:
        check(lib.cc_der_sig_encode_batch(ptr(r), ptr(s), n, ptr(out), ptr(lens)), "DER encoding")
    return [out[i, : lens[i]].tobytes() for i in range(n)]


def sm2_za(pub: U8, uid: bytes) -> U8:
    pub = _c(pub)
    n = len(pub)
    out = np.zeros((n, 32), np.uint8)
    if n:
        u = ffi.from_buffer(uid) if uid else _NULL
        check(lib.cc_sm2_za_batch(ptr(pub), n, u, len(uid), ptr(out)), "SM2 Z_A")
    return out


def sm2_verify(pub: U8, e: U8, r: U8, s: U8, *, threads: int | None = None) -> Mask:
    pub, e, r, s = _c(pub), _c(e), _c(r), _c(s)
    n = len(pub)
    ok = np.zeros(n, np.uint8)
    _rows(
        n,
        threads,
        lambda a, b: lib.cc_sm2_verify_batch(
            ptr(pub, offset=64 * a),
            ptr(e, offset=32 * a),
            ptr(r, offset=32 * a),
            ptr(s, offset=32 * a),
            b - a,
            ptr(ok, offset=a),
        ),
        "SM2 verification",
    )
    return ok.astype(bool)


def _extra_ptr(extra: U8 | None, a: int) -> Any:
    return _NULL if extra is None else ptr(extra, offset=32 * a)


def sm2_sign(sk: U8, e: U8, extra: U8 | None, *, threads: int | None = None) -> tuple[U8, U8, Mask]:
    sk, e = _c(sk), _c(e)
    extra = None if extra is None else _c(extra)
    n = len(sk)
    r = np.zeros((n, 32), np.uint8)
    s = np.zeros((n, 32), np.uint8)
    ok = np.zeros(n, np.uint8)
    _rows(
        n,
        threads,
        lambda a, b: lib.cc_sm2_sign_batch(
            ptr(sk, offset=32 * a),
            ptr(e, offset=32 * a),
            _extra_ptr(extra, a),
            b - a,
            ptr(r, offset=32 * a),
            ptr(s, offset=32 * a),
            ptr(ok, offset=a),
        ),
        "SM2 signing",
    )
    return r, s, ok.astype(bool)


def nonce(
    curve: int, sk: U8, e: U8, extra: U8 | None, *, threads: int | None = None
) -> tuple[U8, Mask]:
    """The first RFC 6979 nonce candidate the signing functions draw for each row (for signing
    on another backend), and the mask of valid keys."""
    sk, e = _c(sk), _c(e)
    extra = None if extra is None else _c(extra)
    n = len(sk)
    k = np.zeros((n, 32), np.uint8)
    ok = np.zeros(n, np.uint8)
    _rows(
        n,
        threads,
        lambda a, b: lib.cc_ec_nonce_batch(
            curve,
            ptr(sk, offset=32 * a),
            ptr(e, offset=32 * a),
            _extra_ptr(extra, a),
            b - a,
            ptr(k, offset=32 * a),
            ptr(ok, offset=a),
        ),
        "nonce derivation",
    )
    return k, ok.astype(bool)


def ecdsa_verify(
    curve: int, pub: U8, e: U8, r: U8, s: U8, flags: int, *, threads: int | None = None
) -> Mask:
    pub, e, r, s = _c(pub), _c(e), _c(r), _c(s)
    n = len(pub)
    ok = np.zeros(n, np.uint8)
    _rows(
        n,
        threads,
        lambda a, b: lib.cc_ecdsa_verify_batch(
            curve,
            ptr(pub, offset=64 * a),
            ptr(e, offset=32 * a),
            ptr(r, offset=32 * a),
            ptr(s, offset=32 * a),
            b - a,
            flags,
            ptr(ok, offset=a),
        ),
        "ECDSA verification",
    )
    return ok.astype(bool)


def ecdsa_sign(
    curve: int, sk: U8, e: U8, extra: U8 | None, *, threads: int | None = None
) -> tuple[U8, U8, U8, Mask]:
    sk, e = _c(sk), _c(e)
    extra = None if extra is None else _c(extra)
    n = len(sk)
    r = np.zeros((n, 32), np.uint8)
    s = np.zeros((n, 32), np.uint8)
    recid = np.zeros(n, np.uint8)
    ok = np.zeros(n, np.uint8)
    _rows(
        n,
        threads,
        lambda a, b: lib.cc_ecdsa_sign_batch(
            curve,
            ptr(sk, offset=32 * a),
            ptr(e, offset=32 * a),
            _extra_ptr(extra, a),
            b - a,
            ptr(r, offset=32 * a),
            ptr(s, offset=32 * a),
            ptr(recid, offset=a),
            ptr(ok, offset=a),
        ),
        "ECDSA signing",
    )
    return r, s, recid, ok.astype(bool)


def ecdsa_recover(
    curve: int, e: U8, r: U8, s: U8, recid: U8, *, threads: int | None = None
) -> tuple[U8, Mask]:
    e, r, s, recid = _c(e), _c(r), _c(s), _c(recid)
    n = len(e)
    pub = np.zeros((n, 64), np.uint8)
    ok = np.zeros(n, np.uint8)
    _rows(
        n,
        threads,
        lambda a, b: lib.cc_ecdsa_recover_batch(
            curve,
            ptr(e, offset=32 * a),
            ptr(r, offset=32 * a),
            ptr(s, offset=32 * a),
            ptr(recid, offset=a),
            b - a,
            ptr(pub, offset=64 * a),
            ptr(ok, offset=a),
        ),
        "ECDSA recovery",
    )
    return pub, ok.astype(bool)


OPS = {
    "ec_seckey_check": seckey_check,
    "ec_pubkey_create": pubkey_create,
    "ec_pubkey_parse": pubkey_parse,
    "der_sig_parse": der_sig_parse,
    "der_sig_encode": der_sig_encode,
    "sm2_za": sm2_za,
    "sm2_verify": sm2_verify,
    "sm2_sign": sm2_sign,
    "ecdsa_verify": ecdsa_verify,
    "ecdsa_sign": ecdsa_sign,
    "ecdsa_recover": ecdsa_recover,
    "ec_nonce": nonce,
}
