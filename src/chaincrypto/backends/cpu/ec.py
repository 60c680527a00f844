"""SM2 and ECDSA entry points on the C backend: flat numpy arrays in and out, batches split over
cores (each chunk is one C call; cffi releases the GIL around it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
_CTYPES = {np.dtype(np.uint8): "uint8_t *", np.dtype(np.uint64): "uint64_t *"}


#: The builds of the curve code (cc_ec.h): every call takes the last one this CPU runs.
CURVE_PATHS = {"base": lib.CC_EC_PATH_BASE, "adx": lib.CC_EC_PATH_ADX, "ifma": lib.CC_EC_PATH_IFMA}


def curve_paths() -> list[str]:
    """The builds of the C curve code this CPU runs: ``base`` (portable), ``adx`` (BMI2/ADX
    field arithmetic) and ``ifma`` (verification, recovery, signing and key derivation 16 rows
    at a time in AVX-512 IFMA lanes); every call takes the last of them."""
    mask = lib.cc_ec_paths()
    return [name for name, code in CURVE_PATHS.items() if mask >> code & 1]


def _c(arr: U8) -> U8:
    return np.ascontiguousarray(arr, dtype=np.uint8)


def _row(arr: np.ndarray | None, a: int) -> Any:
    """A pointer to row ``a`` of ``arr`` (its first axis counts rows), NULL for None."""
    if arr is None:
        return _NULL
    width = int(np.prod(arr.shape[1:], dtype=np.int64))
    return ptr(arr, _CTYPES[arr.dtype], a * width)


def _batch(
    fn: Callable[..., int],
    what: str,
    n: int,
    threads: int | None,
    ins: Sequence[np.ndarray | None],
    outs: Sequence[np.ndarray],
    head: Sequence[Any] = (),
    tail: Sequence[Any] = (),
) -> None:
    """``fn(*head, *ins, count, *tail, *outs)`` (the C batch entry points' argument order) over
    the ``n`` rows, in chunks across ``threads``: each chunk passes pointers to its first row
    of every array in ``ins`` and ``outs``."""

    def work(a: int, b: int) -> None:
        rows = [_row(x, a) for x in ins], [_row(x, a) for x in outs]
        check(fn(*head, *rows[0], b - a, *tail, *rows[1]), what)

    if n:
        run_chunks(n, threads, _MIN_CHUNK, work)


def _zeros(n: int, *widths: int) -> list[U8]:
    """Output arrays of ``n`` rows: ``(n, w)`` for each width, ``(n,)`` for width 0."""
    return [np.zeros((n, w) if w else n, np.uint8) for w in widths]


def pubkey_create(curve: int, sk: U8, *, threads: int | None = None) -> tuple[U8, Mask]:
    sk = _c(sk)
    pub, ok = _zeros(len(sk), 64, 0)
    _batch(
        lib.cc_ec_pubkey_create_batch,
        "public key creation",
        len(sk),
        threads,
        [sk],
        [pub, ok],
        head=[curve],
    )
    return pub, ok.astype(bool)


def _parse(
    fn: Callable[..., int],
    what: str,
    items: Items,
    widths: tuple[int, ...],
    threads: int | None,
    head: Sequence[Any] = (),
) -> list[U8]:
    """A C parser over variable-length items (flat data + offsets); every row fails when every
    item is empty (there is no data to point at)."""
    outs = _zeros(items.n, *widths)
    if len(items.data):
        data = ptr(items.data)
        _batch(fn, what, items.n, threads, [items.offsets], outs, head=[*head, data])
    return outs


def pubkey_parse(curve: int, items: Items, *, threads: int | None = None) -> tuple[U8, Mask]:
    pub, ok = _parse(
        lib.cc_ec_pubkey_parse_batch, "public key parsing", items, (64, 0), threads, head=[curve]
    )
    return pub, ok.astype(bool)


def der_sig_parse(items: Items, *, threads: int | None = None) -> tuple[U8, U8, Mask]:
    r, s, ok = _parse(
        lib.cc_der_sig_parse_batch, "DER signature parsing", items, (32, 32, 0), threads
    )
    return r, s, ok.astype(bool)


def der_sig_encode(r: U8, s: U8) -> list[bytes]:
    r, s = _c(r), _c(s)
    n = len(r)
    out, lens = _zeros(n, 72, 0)
    if n:
        check(lib.cc_der_sig_encode_batch(ptr(r), ptr(s), n, ptr(out), ptr(lens)), "DER encoding")
    # Slicing one bytes object is several times cheaper than a numpy view and copy per row.
    flat = out.tobytes()
    return [flat[72 * i : 72 * i + k] for i, k in enumerate(lens.tolist())]


def sm2_za(pub: U8, uid: bytes) -> U8:
    pub = _c(pub)
    n = len(pub)
    (out,) = _zeros(n, 32)
    if n:
        u = ffi.from_buffer(uid) if uid else _NULL
        check(lib.cc_sm2_za_batch(ptr(pub), n, u, len(uid), ptr(out)), "SM2 Z_A")
    return out


def sm2_verify(pub: U8, e: U8, r: U8, s: U8, *, threads: int | None = None) -> Mask:
    ins = [_c(pub), _c(e), _c(r), _c(s)]
    (ok,) = _zeros(len(pub), 0)
    _batch(lib.cc_sm2_verify_batch, "SM2 verification", len(ok), threads, ins, [ok])
    return ok.astype(bool)


def _signing_ins(sk: U8, e: U8, extra: U8 | None) -> list[U8 | None]:
    return [_c(sk), _c(e), None if extra is None else _c(extra)]


def sm2_sign(sk: U8, e: U8, extra: U8 | None, *, threads: int | None = None) -> tuple[U8, U8, Mask]:
    r, s, ok = _zeros(len(sk), 32, 32, 0)
    _batch(
        lib.cc_sm2_sign_batch,
        "SM2 signing",
        len(ok),
        threads,
        _signing_ins(sk, e, extra),
        [r, s, ok],
    )
    return r, s, ok.astype(bool)


def nonce(
    curve: int, sk: U8, e: U8, extra: U8 | None, *, threads: int | None = None
) -> tuple[U8, Mask]:
    """The first RFC 6979 nonce candidate the signing functions draw for each row (for signing
    on another backend), and the mask of valid keys."""
    k, ok = _zeros(len(sk), 32, 0)
    _batch(
        lib.cc_ec_nonce_batch,
        "nonce derivation",
        len(ok),
        threads,
        _signing_ins(sk, e, extra),
        [k, ok],
        head=[curve],
    )
    return k, ok.astype(bool)


def ecdsa_verify(
    curve: int, pub: U8, e: U8, r: U8, s: U8, flags: int, *, threads: int | None = None
) -> Mask:
    ins = [_c(pub), _c(e), _c(r), _c(s)]
    (ok,) = _zeros(len(pub), 0)
    _batch(
        lib.cc_ecdsa_verify_batch,
        "ECDSA verification",
        len(ok),
        threads,
        ins,
        [ok],
        head=[curve],
        tail=[flags],
    )
    return ok.astype(bool)


def ecdsa_sign(
    curve: int, sk: U8, e: U8, extra: U8 | None, *, threads: int | None = None
) -> tuple[U8, U8, U8, Mask]:
    r, s, recid, ok = _zeros(len(sk), 32, 32, 0, 0)
    _batch(
        lib.cc_ecdsa_sign_batch,
        "ECDSA signing",
        len(ok),
        threads,
        _signing_ins(sk, e, extra),
        [r, s, recid, ok],
        head=[curve],
    )
    return r, s, recid, ok.astype(bool)


def ecdsa_recover(
    curve: int, e: U8, r: U8, s: U8, recid: U8, *, threads: int | None = None
) -> tuple[U8, Mask]:
    ins = [_c(e), _c(r), _c(s), _c(recid)]
    pub, ok = _zeros(len(e), 64, 0)
    _batch(
        lib.cc_ecdsa_recover_batch, "ECDSA recovery", len(ok), threads, ins, [pub, ok], head=[curve]
    )
    return pub, ok.astype(bool)


OPS = {
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
