"""ECDSA on secp256k1 and P-256 (``"p256"``; aliases ``"secp256r1"``, ``"prime256v1"``,
``"P-256"``) with SHA-256, single and batched, plus secp256k1/P-256 public-key recovery.

``e`` is the leftmost 256 bits of SHA-256(message). With ``prehashed=True`` the message is the
digest itself, read the way SEC 1 / RFC 6979 ``bits2int`` (and OpenSSL, hence ``cryptography``)
read it: the leftmost 32 bytes of a longer digest, a shorter one taken as a smaller integer
(left-padded with zeros); an empty digest is refused.

Signing is hedged by default: ``k`` comes from RFC 6979 (HMAC-SHA256) with 32 fresh bytes from
``os.urandom`` as additional data, so a weak RNG cannot leak the key and a fault cannot repeat
``k``. ``deterministic=True`` is pure RFC 6979: the signatures equal those of libsecp256k1
(coincurve) and of ``cryptography`` with ``deterministic_signing=True``. secp256k1 signatures
are always low-S (s <= n/2).

Signatures: strict DER (``encoding="der"``), 64 bytes ``r || s`` (``"raw"``, IEEE P1363), or
with ``recoverable=True`` 65 bytes ``r || s || v`` (v = recovery id 0..3: bit 0 the parity of
R.y, bit 1 set when R.x >= n). Verification returns False for any bad signature; it raises only
for wrong argument types or unknown options. ``strict_low_s=True`` also rejects s > n/2
(Bitcoin's rule; off by default as in OpenSSL).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _ec_keys as _k
from . import _single
from ._inputs import Items, as_fixed, as_items, check_bytes, fit_left
from .hashing import hash_many

__all__ = ["CURVES", "PrivateKey", "PublicKey", "recover_batch", "sign_batch", "verify_batch"]

#: The canonical curve names this module accepts.
CURVES = ("secp256k1", "p256")
_CURVES = (_k.SECP256K1, _k.P256)
_ENCODINGS = ("der", "raw")
_HASHES = ("sha256",)
_LOW_S = 1  # CC_VERIFY_LOW_S


def _curve(curve: object) -> _k.Curve:
    return _k.curve_by_name(curve, _CURVES)


def _check_common(encoding: object, prehashed: object, hash: object) -> None:
    _k.check_choice(encoding, _ENCODINGS, "encoding")
    _k.check_flag(prehashed, "prehashed")
    _k.check_choice(hash, _HASHES, "hash")


def _digests(
    messages: Items, prehashed: bool, backend: str | None, threads: int | None
) -> tuple[_k.U8, _k.Mask]:
    if prehashed:
        return fit_left(messages, 32)
    e = hash_many(
        messages.data, "sha256", offsets=messages.offsets, backend=backend, threads=threads
    )
    return e, np.ones(messages.n, dtype=bool)


def _digest(message: bytes, prehashed: bool) -> bytes:
    """One item's e: SHA-256 of the message, or a prehashed digest read as SEC 1 reads it."""
    return _single.bits2e(message) if prehashed else _single.digest("sha256", message)


def _verify(
    curve: _k.Curve,
    pub: _k.U8,
    pub_ok: _k.Mask,
    messages: Items,
    r: _k.U8,
    s: _k.U8,
    sig_ok: _k.Mask,
    prehashed: bool,
    strict_low_s: bool,
    backend: str | None,
    threads: int | None,
) -> _k.Mask:
    e, e_ok = _digests(messages, prehashed, backend, threads)
    run = _k.op("ecdsa_verify", len(pub), backend)
    flags = _LOW_S if strict_low_s else 0
    return _k.verify_subset(
        pub_ok & e_ok & sig_ok,
        (pub, e, r, s),
        lambda *a: run(curve.code, *a, flags, threads=threads),
    )


def _sign(
    curve: _k.Curve,
    sk: _k.U8,
    messages: Items,
    prehashed: bool,
    deterministic: bool,
    backend: str | None,
    threads: int | None,
) -> tuple[_k.U8, _k.U8, _k.U8]:
    e, ok = _digests(messages, prehashed, backend, threads)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise ValueError(f"messages[{i}]: an empty digest (prehashed=True)")
    extra = _k.hedge(len(sk), deterministic)
    r, s, recid, ok = _k.op("ecdsa_sign", len(sk), backend)(
        curve.code, sk, e, extra, threads=threads
    )
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise ValueError(f"private_keys[{i}]: private key out of range")
    return r, s, recid


def _recover(
    curve: _k.Curve,
    messages: Items,
    sig: _k.U8,
    sig_ok: _k.Mask,
    prehashed: bool,
    backend: str | None,
    threads: int | None,
) -> tuple[_k.U8, _k.Mask]:
    e, e_ok = _digests(messages, prehashed, backend, threads)
    recid = np.ascontiguousarray(sig[:, 64])
    ok = sig_ok & e_ok & (recid <= 3)
    pub = np.zeros((len(sig), 64), dtype=np.uint8)
    idx = np.flatnonzero(ok)
    if len(idx):
        rows = sig[idx]
        got, got_ok = _k.op("ecdsa_recover", len(idx), backend)(
            curve.code,
            np.ascontiguousarray(e[idx]),
            np.ascontiguousarray(rows[:, :32]),
            np.ascontiguousarray(rows[:, 32:64]),
            np.ascontiguousarray(recid[idx]),
            threads=threads,
        )
        pub[idx] = got
        ok[idx] = got_ok
        pub[~ok] = 0
    return pub, ok


class PublicKey(_k.PublicKeyBase):
    """An ECDSA public key on secp256k1 or P-256. ``from_bytes(data, curve)`` needs the curve;
    ``from_pem``/``from_der`` read it from the key (and check it if ``curve`` is given)."""

    CURVES = _CURVES
    _MODULE = "ecdsa"
    __slots__ = ()

    def verify(
        self,
        signature: bytes,
        message: bytes,
        *,
        encoding: str = "der",
        prehashed: bool = False,
        hash: str = "sha256",
        strict_low_s: bool = False,
    ) -> bool:
        """True iff ``signature`` (strict DER, or 64-byte ``r || s`` with ``encoding="raw"``)
        is a valid ECDSA signature of ``message`` by this key. Never raises for a bad
        signature; ``strict_low_s=True`` also rejects s > n/2."""
        _check_common(encoding, prehashed, hash)
        _k.check_flag(strict_low_s, "strict_low_s")
        msg = check_bytes(message, "message")
        if prehashed and not msg:
            check_bytes(signature, "signature")
            return False
        flags = _LOW_S if strict_low_s else 0
        e = _digest(msg, prehashed)
        return _k.verify_one(self._curve, self._xy, e, signature, encoding, flags)

    @classmethod
    def recover(
        cls,
        signature: bytes,
        message: bytes,
        curve: str = "secp256k1",
        *,
        prehashed: bool = False,
        hash: str = "sha256",
    ) -> PublicKey:
        """The public key that made the 65-byte recoverable ``signature`` (``r || s || v``,
        v in 0..3) of ``message``; ``ValueError`` if none does (bad length, v, r or s)."""
        c = _curve(curve)
        _check_common("raw", prehashed, hash)
        sig = check_bytes(signature, "signature")
        msg = check_bytes(message, "message")
        if len(sig) != 65:
            raise ValueError(f"signature: expected 65 bytes r||s||v, got {len(sig)}")
        if sig[64] > 3:
            raise ValueError(f"signature: recovery id v must be 0..3, got {sig[64]}")
        xy = None
        if msg or not prehashed:
            xy = _single.ecdsa_recover(c.code, _digest(msg, prehashed), sig)
        if xy is None:
            raise ValueError(
                "signature: no public key recovers from it (r or s out of range, or invalid)"
            )
        return cls._new(c, xy)


class PrivateKey(_k.PrivateKeyBase):
    """An ECDSA private key d, 1 <= d <= n-1. See
    :class:`~chaincrypto._ec_keys.PrivateKeyBase` for how the secret is held."""

    PUBLIC = PublicKey
    __slots__ = ()

    @classmethod
    def generate(cls, curve: str) -> PrivateKey:
        """A fresh key on ``curve`` (``"secp256k1"`` or ``"p256"``) from ``os.urandom``."""
        return cls._generate(_curve(curve))

    @property
    def public_key(self) -> PublicKey:
        """The matching :class:`PublicKey`."""
        assert isinstance(self._public, PublicKey)
        return self._public

    def sign(
        self,
        message: bytes,
        *,
        encoding: str = "der",
        prehashed: bool = False,
        deterministic: bool = False,
        hash: str = "sha256",
        recoverable: bool = False,
    ) -> bytes:
        """Sign ``message`` (or, with ``prehashed=True``, its digest).

        Hedged RFC 6979 by default (fresh ``os.urandom`` bytes mixed into ``k``);
        ``deterministic=True`` is pure RFC 6979, equal to coincurve's / cryptography's
        deterministic signatures. Returns strict DER, 64 bytes ``r || s`` with
        ``encoding="raw"``, or 65 bytes ``r || s || v`` with ``recoverable=True`` (then
        ``encoding`` is ignored)."""
        _check_common(encoding, prehashed, hash)
        _k.check_flag(deterministic, "deterministic")
        _k.check_flag(recoverable, "recoverable")
        msg = check_bytes(message, "message")
        if prehashed and not msg:
            raise ValueError("message: an empty digest (prehashed=True)")
        extra = _single.hedge(deterministic)
        der = _single.SIGN_DER if encoding == "der" else 0
        flags = _single.SIGN_RECID if recoverable else der
        e = _digest(msg, prehashed)
        return _single.sign(self._public._curve.code, self._secret, e, extra, flags)


def verify_batch(
    curve: str,
    public_keys: Any,
    messages: Any,
    signatures: Any,
    *,
    encoding: str = "der",
    prehashed: bool = False,
    hash: str = "sha256",
    strict_low_s: bool = False,
    message_offsets: Any = None,
    signature_offsets: Any = None,
    backend: str | None = None,
    threads: int | None = None,
) -> npt.NDArray[np.bool_]:
    """Verify ``n`` ECDSA signatures on ``curve`` at once; returns a bool array.

    Inputs as for :func:`chaincrypto.sm2.verify_batch`: public keys in any SEC1/raw form (mixed)
    or :class:`PublicKey` objects; messages as a sequence, an ``(n, k)`` array or a flat buffer
    with ``message_offsets``; signatures strict DER (optionally flat with
    ``signature_offsets``) or 64-byte ``r || s`` with ``encoding="raw"``. A malformed item is
    False in its own slot only; wrong types raise ``TypeError``, mismatched lengths
    ``ValueError``.
    """
    c = _curve(curve)
    _check_common(encoding, prehashed, hash)
    _k.check_flag(strict_low_s, "strict_low_s")
    msgs = as_items(messages, "messages", message_offsets)
    pub, pub_ok = _k.batch_pubkeys(c, public_keys, backend, threads, PublicKey)
    r, s, sig_ok = _k.batch_signatures(signatures, encoding, signature_offsets, backend, threads)
    n = _k.batch_length(public_keys=len(pub), messages=msgs.n, signatures=len(r))
    if n == 0:
        return np.zeros(0, dtype=bool)
    return _verify(c, pub, pub_ok, msgs, r, s, sig_ok, prehashed, strict_low_s, backend, threads)


def sign_batch(
    curve: str,
    private_keys: Any,
    messages: Any,
    *,
    encoding: str = "der",
    prehashed: bool = False,
    deterministic: bool = False,
    hash: str = "sha256",
    recoverable: bool = False,
    message_offsets: Any = None,
    backend: str | None = None,
    threads: int | None = None,
) -> Any:
    """Sign ``n`` messages on ``curve``, message ``i`` with private key ``i`` (32-byte secrets,
    :class:`PrivateKey` objects or an ``(n, 32)`` array). Hedged RFC 6979 unless
    ``deterministic=True``.

    Returns a ``list[bytes]`` of DER signatures; with ``encoding="raw"`` an ``(n, 64)`` uint8
    array of ``r || s`` rows; with ``recoverable=True`` an ``(n, 65)`` array of ``r || s || v``.
    A key out of range is a ``ValueError`` naming the item.
    """
    c = _curve(curve)
    _check_common(encoding, prehashed, hash)
    _k.check_flag(deterministic, "deterministic")
    _k.check_flag(recoverable, "recoverable")
    sk = _k.batch_secrets(c, private_keys, PrivateKey)
    msgs = as_items(messages, "messages", message_offsets)
    n = _k.batch_length(private_keys=len(sk), messages=msgs.n)
    if n == 0:
        return (
            np.zeros((0, 65 if recoverable else 64), np.uint8)
            if (recoverable or encoding == "raw")
            else []
        )
    r, s, recid = _sign(c, sk, msgs, prehashed, deterministic, backend, threads)
    if recoverable:
        return np.concatenate([r, s, recid.reshape(-1, 1)], axis=1)
    return _k.encode_signatures(r, s, encoding, backend)


def recover_batch(
    curve: str,
    messages: Any,
    signatures: Any,
    *,
    prehashed: bool = False,
    hash: str = "sha256",
    message_offsets: Any = None,
    backend: str | None = None,
    threads: int | None = None,
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_]]:
    """Recover the public keys of ``n`` 65-byte ``r || s || v`` signatures.

    Returns ``(public_keys, ok)``: an ``(n, 64)`` uint8 array of raw ``X || Y`` rows (prefix
    ``0x04`` for SEC1; zero rows where recovery failed) and a bool mask. A malformed item (wrong
    length, v > 3, r or s out of range) is False in its slot.
    """
    c = _curve(curve)
    _check_common("raw", prehashed, hash)
    msgs = as_items(messages, "messages", message_offsets)
    sig, sig_ok = as_fixed(signatures, 65, "signatures")
    n = _k.batch_length(messages=msgs.n, signatures=len(sig))
    if n == 0:
        return np.zeros((0, 64), np.uint8), np.zeros(0, dtype=bool)
    return _recover(c, msgs, sig, sig_ok.copy(), prehashed, backend, threads)
