"""SM2 digital signatures (GB/T 32918.2-2016, GM/T 0003) with SM3, single and batched.

``e = SM3(Z_A || M)`` with ``Z_A = SM3(ENTL || ID || a || b || xG || yG || xA || yA)``; the
signer's identity ``uid`` defaults to ``b"1234567812345678"`` (GM/T 0009), the value OpenSSL's
``-sigopt distid:`` and gmssl use. ``prehashed=True`` means the message *is* ``e`` (32 bytes).

Signing is hedged by default: ``k`` comes from RFC 6979 (HMAC-SM3) over the key and ``e`` with
32 fresh bytes from ``os.urandom`` mixed in as additional data, so a weak RNG cannot leak the key
and a fault cannot repeat ``k``. ``deterministic=True`` drops the random input (pure RFC 6979:
the same key and message always give the same signature).

Signatures are strict DER ``SEQUENCE { r, s }`` (``encoding="der"``) or 64 bytes ``r || s``
(``encoding="raw"``). Verification never raises for a bad signature, key or message content;
it returns False.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _ec_keys as _k
from . import _single
from ._inputs import Items, as_items, check_bytes, fixed_width
from .hashing import hash_many

__all__ = ["DEFAULT_UID", "PrivateKey", "PublicKey", "sign_batch", "verify_batch"]

#: The default signer identity (GM/T 0009-2012).
DEFAULT_UID = b"1234567812345678"
#: ENTL is a 16-bit count of bits, so an identity is at most 8191 bytes.
MAX_UID_BYTES = 8191
_ENCODINGS = ("der", "raw")
_ZA_CHUNK = 1 << 16


def _check_uid(uid: object) -> bytes:
    raw = check_bytes(uid, "uid")
    if len(raw) > MAX_UID_BYTES:
        raise ValueError(f"uid: at most {MAX_UID_BYTES} bytes (ENTL is 16 bits), got {len(raw)}")
    return raw


def _check_common(encoding: object, prehashed: object) -> None:
    _k.check_choice(encoding, _ENCODINGS, "encoding")
    _k.check_flag(prehashed, "prehashed")


def _za(pub: _k.U8, uid: bytes, backend: str | None) -> tuple[_k.U8, npt.NDArray[np.intp]]:
    """Z_A of each distinct key once: ``(za (m, 32), inverse (n,))``, row ``i``'s Z_A being
    ``za[inverse[i]]``."""
    rows = np.ascontiguousarray(pub).view(np.dtype((np.void, 64))).reshape(-1)
    uniq, inverse = np.unique(rows, return_inverse=True)
    upub = np.ascontiguousarray(uniq).view(np.uint8).reshape(-1, 64)
    za = _k.op("sm2_za", len(upub), backend)(upub, uid)
    return za, inverse.reshape(-1)


def _digests(
    pub: _k.U8,
    messages: Items,
    uid: bytes,
    prehashed: bool,
    backend: str | None,
    threads: int | None,
) -> tuple[_k.U8, _k.Mask]:
    """``e`` per item and the mask of items that could have one (prehashed: exactly 32 bytes)."""
    n = messages.n
    if prehashed:
        return fixed_width(messages, 32)
    za, inverse = _za(pub, uid, backend)
    ok = np.ones(n, dtype=bool)
    width = messages.width
    if width is not None:  # equal-length messages: rows Z_A || M of one (n, 32 + width) array
        rows = np.empty((n, 32 + width), dtype=np.uint8)
        rows[:, :32] = za[inverse]
        rows[:, 32:] = messages.data[: n * width].reshape(n, width)
        return hash_many(rows, "sm3", backend=backend, threads=threads), ok
    # One flat buffer Z_A(0) || M0 || Z_A(1) || M1 ...: Z_A rows go to their slots, the message
    # bytes (contiguous in messages.data) fill the rest in order.
    lengths = messages.lengths().astype(np.int64) + 32
    offsets = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(lengths, out=offsets[1:])
    buf = np.empty(int(offsets[-1]), dtype=np.uint8)
    rest = np.ones(len(buf), dtype=bool)
    starts = offsets[:-1].astype(np.int64)
    for a in range(0, n, _ZA_CHUNK):  # bounded index arrays (32 int64 per item per chunk)
        zpos = (starts[a : a + _ZA_CHUNK, None] + np.arange(32)).reshape(-1)
        rest[zpos] = False
        buf[zpos] = za[inverse[a : a + _ZA_CHUNK]].reshape(-1)
    buf[rest] = messages.data[int(messages.offsets[0]) : int(messages.offsets[-1])]
    return hash_many(buf, "sm3", offsets=offsets, backend=backend, threads=threads), ok


def _digest(xy: bytes, message: bytes, uid: bytes, prehashed: bool) -> bytes:
    """One item's e: SM3(Z_A || M), or the 32-byte e itself when prehashed."""
    return message if prehashed else _single.digest("sm3", _single.sm2_za(xy, uid) + message)


def _sign(
    sk: _k.U8,
    pub: _k.U8,
    messages: Items,
    uid: bytes,
    prehashed: bool,
    deterministic: bool,
    backend: str | None,
    threads: int | None,
) -> tuple[_k.U8, _k.U8]:
    e, ok = _digests(pub, messages, uid, prehashed, backend, threads)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise ValueError(f"messages[{i}]: with prehashed=True a message is a 32-byte digest e")
    extra = _k.hedge(len(sk), deterministic)
    r, s, ok = _k.op("sm2_sign", len(sk), backend)(sk, e, extra, threads=threads)
    if not ok.all():
        raise RuntimeError("SM2 signing failed in the backend")
    return r, s


def _verify(
    pub: _k.U8,
    pub_ok: _k.Mask,
    messages: Items,
    r: _k.U8,
    s: _k.U8,
    sig_ok: _k.Mask,
    uid: bytes,
    prehashed: bool,
    backend: str | None,
    threads: int | None,
) -> _k.Mask:
    e, e_ok = _digests(pub, messages, uid, prehashed, backend, threads)
    run = _k.op("sm2_verify", len(pub), backend)
    return _k.verify_subset(
        pub_ok & e_ok & sig_ok, (pub, e, r, s), lambda *a: run(*a, threads=threads)
    )


class PublicKey(_k.PublicKeyBase):
    """An SM2 public key. Construct with :meth:`from_bytes`, :meth:`from_pem`, :meth:`from_der`
    or take :attr:`PrivateKey.public_key`."""

    CURVES = (_k.SM2,)
    _MODULE = "sm2"
    __slots__ = ()

    def za(self, uid: bytes = DEFAULT_UID) -> bytes:
        """``Z_A`` of this key for identity ``uid`` (32 bytes)."""
        return _single.sm2_za(self._xy, _check_uid(uid))

    def verify(
        self,
        signature: bytes,
        message: bytes,
        *,
        uid: bytes = DEFAULT_UID,
        encoding: str = "der",
        prehashed: bool = False,
    ) -> bool:
        """True iff ``signature`` is a valid SM2 signature of ``message`` by this key for
        identity ``uid``. Bad signatures (malformed DER, wrong length, r or s out of range) give
        False; wrong argument types raise ``TypeError``, unknown options ``ValueError``."""
        _check_common(encoding, prehashed)
        uid = _check_uid(uid)
        msg = check_bytes(message, "message")
        if prehashed and len(msg) != 32:
            check_bytes(signature, "signature")
            return False
        e = _digest(self._xy, msg, uid, prehashed)
        return _k.verify_one(self._curve, self._xy, e, signature, encoding)


class PrivateKey(_k.PrivateKeyBase):
    """An SM2 private key d, 1 <= d <= n-2. See :class:`~chaincrypto._ec_keys.PrivateKeyBase`
    for how the secret is held."""

    PUBLIC = PublicKey
    __slots__ = ()

    @classmethod
    def generate(cls) -> PrivateKey:
        """A fresh key from ``os.urandom``."""
        return cls._generate(_k.SM2)

    @property
    def public_key(self) -> PublicKey:
        """The matching :class:`PublicKey`."""
        assert isinstance(self._public, PublicKey)
        return self._public

    def sign(
        self,
        message: bytes,
        *,
        uid: bytes = DEFAULT_UID,
        encoding: str = "der",
        prehashed: bool = False,
        deterministic: bool = False,
    ) -> bytes:
        """Sign ``message`` (or, with ``prehashed=True``, the 32-byte ``e``).

        Hedged RFC 6979 by default (fresh ``os.urandom`` bytes mixed into ``k``);
        ``deterministic=True`` gives pure RFC 6979 with HMAC-SM3, reproducible. Returns strict
        DER or, with ``encoding="raw"``, 64 bytes ``r || s``."""
        _check_common(encoding, prehashed)
        _k.check_flag(deterministic, "deterministic")
        uid = _check_uid(uid)
        msg = check_bytes(message, "message")
        if prehashed and len(msg) != 32:
            raise ValueError(
                f"message: with prehashed=True it is the 32-byte e, got {len(msg)} bytes"
            )
        extra = _single.hedge(deterministic)
        e = _digest(self._public._xy, msg, uid, prehashed)
        flags = _single.SIGN_DER if encoding == "der" else 0
        return _single.sign(self._public._curve.code, self._secret, e, extra, flags)


def verify_batch(
    public_keys: Any,
    messages: Any,
    signatures: Any,
    *,
    uid: bytes = DEFAULT_UID,
    encoding: str = "der",
    prehashed: bool = False,
    message_offsets: Any = None,
    signature_offsets: Any = None,
    backend: str | None = None,
    threads: int | None = None,
) -> npt.NDArray[np.bool_]:
    """Verify ``n`` SM2 signatures at once; returns a bool array, True where item ``i`` verifies.

    ``public_keys``: a sequence of SEC1 uncompressed (65 bytes), compressed (33) or raw X||Y (64)
    keys, mixed freely, or :class:`PublicKey` objects, or an ``(n, k)`` uint8 array.
    ``messages``: a sequence of bytes, an ``(n, k)`` array, or a flat buffer with
    ``message_offsets`` (``n + 1`` offsets). ``signatures``: strict DER (a sequence, or a flat
    buffer with ``signature_offsets``) or, with ``encoding="raw"``, 64-byte ``r || s`` items.
    All items share one ``uid``. Z_A is computed once per distinct key.

    A malformed item (bad DER, key not on the curve, wrong length, r or s out of range) is False
    in its own slot only. Wrong argument types raise ``TypeError``; batches of different lengths
    ``ValueError``. The work is split over ``threads`` cores (default: all).
    """
    _check_common(encoding, prehashed)
    uid = _check_uid(uid)
    msgs = as_items(messages, "messages", message_offsets)
    pub, pub_ok = _k.batch_pubkeys(_k.SM2, public_keys, backend, threads, PublicKey)
    r, s, sig_ok = _k.batch_signatures(signatures, encoding, signature_offsets, backend, threads)
    n = _k.batch_length(public_keys=len(pub), messages=msgs.n, signatures=len(r))
    if n == 0:
        return np.zeros(0, dtype=bool)
    return _verify(pub, pub_ok, msgs, r, s, sig_ok, uid, prehashed, backend, threads)


def sign_batch(
    private_keys: Any,
    messages: Any,
    *,
    uid: bytes = DEFAULT_UID,
    encoding: str = "der",
    prehashed: bool = False,
    deterministic: bool = False,
    message_offsets: Any = None,
    backend: str | None = None,
    threads: int | None = None,
) -> Any:
    """Sign ``n`` messages, message ``i`` with private key ``i``.

    ``private_keys``: a sequence of 32-byte secrets or :class:`PrivateKey` objects, or an
    ``(n, 32)`` uint8 array. ``messages`` as for :func:`verify_batch`. Hedged RFC 6979 unless
    ``deterministic=True`` (see the module doc).

    Returns a ``list[bytes]`` of DER signatures, or with ``encoding="raw"`` an ``(n, 64)`` uint8
    array of ``r || s`` rows. A key out of range or a prehashed message that is not 32 bytes is a
    ``ValueError`` naming the item.
    """
    _check_common(encoding, prehashed)
    _k.check_flag(deterministic, "deterministic")
    uid = _check_uid(uid)
    sk = _k.batch_secrets(_k.SM2, private_keys, PrivateKey)
    msgs = as_items(messages, "messages", message_offsets)
    n = _k.batch_length(private_keys=len(sk), messages=msgs.n)
    if n == 0:
        return np.zeros((0, 64), np.uint8) if encoding == "raw" else []
    known = _k.known_public_keys(private_keys, PrivateKey)
    if known is not None:  # key objects: range-checked when made, public keys at hand
        pub = known
    else:
        pub, ok = _k.pubkeys_from_secrets(_k.SM2, sk, backend, threads)
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            raise ValueError(f"private_keys[{i}]: private key out of range")
    r, s = _sign(sk, pub, msgs, uid, prehashed, deterministic, backend, threads)
    return _k.encode_signatures(r, s, encoding, backend)
