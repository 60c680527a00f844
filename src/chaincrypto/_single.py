"""One item at a time, straight into the C backend.

The single-item methods (``PrivateKey.sign``, ``PublicKey.verify``, ``PublicKey.recover``,
``za``, and making keys from bytes) call the C entry points here with ``bytes``, one cffi call a
step. Through the batch path a batch of one paid for item arrays, a backend choice, a thread
split and masks: about 70 us, three times the signature itself. One item is never worth a GPU
launch, so these always run on the C backend, as the hashlib-style hash objects do; the batch
functions keep the backend choice. The C code is the same either way, so the results are too.
"""

from __future__ import annotations

import hashlib
import os

from ._cpu import ffi, lib
from .backends.cpu._ffi import check

# Each call makes one output buffer and reads it back once: a cffi allocation and a copy out
# cost about 0.15 us each, a tenth of what is left around a 16 us signature.


def digest(algorithm: str, data: bytes) -> bytes:
    """SM3 or SHA-256 of ``data`` (SHA-256 through hashlib: OpenSSL's, the same bytes, and
    cheaper to call for one message than a cffi round trip)."""
    if algorithm == "sha256":
        return hashlib.sha256(data).digest()
    out = ffi.new("uint8_t[32]")
    check(lib.cc_hash(lib.CC_HASH_SM3, data, len(data), out), "hashing")
    return ffi.buffer(out)[:]


def hedge(deterministic: bool) -> bytes | None:
    """RFC 6979 section 3.6 extra data for one signature: 32 fresh OS-random bytes, or None for
    pure RFC 6979 (as :func:`._ec_keys.hedge` for a batch)."""
    return None if deterministic else os.urandom(32)


def bits2e(digest_: bytes) -> bytes:
    """A prehashed digest as the 32 bytes ECDSA reads (SEC 1 4.1.3 step 5, as
    :func:`._inputs.fit_left` does for a batch): its leftmost 32 bytes, or left-padded."""
    return digest_[:32].rjust(32, b"\0")


def seckey_ok(curve: int, secret: bytes) -> bool:
    """Whether ``secret`` (32 bytes) is a private key of ``curve``."""
    return bool(lib.cc_ec_seckey_check(curve, secret) == lib.CC_OK)


def pubkey_create(curve: int, secret: bytes) -> bytes | None:
    """X || Y of ``secret`` times G, or None when the secret is out of range."""
    buf = ffi.new("uint8_t[65]")
    check(lib.cc_ec_pubkey_create_batch(curve, secret, 1, buf, buf + 64), "public key derivation")
    raw = ffi.buffer(buf)[:]
    return raw[:64] if raw[64] else None


def pubkey_parse(curve: int, data: bytes) -> bytes | None:
    """X || Y of a SEC1 (compressed or not) or raw public key, or None when it is not a valid
    point of ``curve``."""
    offsets = ffi.new("uint64_t[2]", [0, len(data)])
    buf = ffi.new("uint8_t[65]")
    rc = lib.cc_ec_pubkey_parse_batch(curve, data, offsets, 1, buf, buf + 64)
    check(rc, "public key parsing")
    raw = ffi.buffer(buf)[:]
    return raw[:64] if raw[64] else None


def sm2_za(xy: bytes, uid: bytes) -> bytes:
    """SM2's Z_A of the public key X || Y for identity ``uid``."""
    out = ffi.new("uint8_t[32]")
    check(lib.cc_sm2_za(xy, uid, len(uid), out), "SM2 Z_A")
    return ffi.buffer(out)[:]


SIGN_DER, SIGN_RECID = lib.CC_SIGN_DER, lib.CC_SIGN_RECID
"""Flags of :func:`sign`: strict DER out; ``r || s || v`` out (ECDSA)."""


def sign(curve: int, secret: bytes, e: bytes, extra: bytes | None, flags: int) -> bytes:
    """One signature of ``e``: SM2 on the SM2 curve, else ECDSA; ``r || s``, or as ``flags``
    say. ``RuntimeError`` if the backend refuses the key (the key classes check it first)."""
    out = ffi.new("uint8_t[72]")
    rc = lib.cc_ec_sign(curve, secret, e, extra if extra is not None else ffi.NULL, flags, out)
    if rc == _INVALID:
        raise RuntimeError("signing failed in the backend: it refused the key")
    check(rc, "signing")
    n = out[1] + 2 if flags & SIGN_DER else 65 if flags & SIGN_RECID else 64
    return ffi.buffer(out, n)[:]


_OK, _INVALID = lib.CC_OK, lib.CC_ERR_INVALID
DER = lib.CC_VERIFY_DER
"""Flag of :func:`verify`: the signature is strict DER, not ``r || s``."""


def verify(curve: int, xy: bytes, e: bytes, signature: bytes, flags: int) -> bool:
    """Whether ``signature`` (``r || s``, or strict DER with :data:`DER` in ``flags``) is a valid
    signature of ``e`` by X || Y: SM2 on the SM2 curve, else ECDSA (``flags`` may add
    CC_VERIFY_LOW_S). A malformed signature is simply not valid."""
    rc = lib.cc_ec_verify(curve, xy, e, signature, len(signature), flags)
    if rc != _INVALID:
        check(rc, "verification")  # raises for anything but CC_OK
    return bool(rc == _OK)


def ecdsa_recover(curve: int, e: bytes, signature: bytes) -> bytes | None:
    """X || Y of the key that made ``signature`` (65 bytes ``r || s || v``) of ``e``, or None
    when no key does."""
    out = ffi.new("uint8_t[64]")
    rc = lib.cc_ec_recover(curve, e, signature, out)
    if rc == _INVALID:
        return None
    check(rc, "ECDSA recovery")
    return ffi.buffer(out)[:]
