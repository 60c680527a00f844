"""What SM2 and ECDSA share: the curve table, key objects and their encodings (SEC1, raw,
SubjectPublicKeyInfo, PKCS#8, SEC1 ``EC PRIVATE KEY``; PEM or DER via asn1crypto), signature
encodings (strict DER, raw r||s) and the batch plumbing that turns user input into the flat
arrays the backends take.

No arithmetic happens here: every point and scalar operation is a backend call.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import numpy as np
import numpy.typing as npt
from asn1crypto import core, keys, pem

from . import _single, backends
from ._curve_params import CURVES as DOMAIN
from ._inputs import Items, as_fixed, as_items, check_bytes

# asn1crypto knows secp256k1 and secp256r1 but not the SM2 curve; teach it (32-byte keys).
if "1.2.156.10197.1.301" not in keys.NamedCurve._map:
    keys.NamedCurve.register("sm2p256v1", "1.2.156.10197.1.301", 32)

U8 = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Curve:
    """One supported curve: its canonical name, backend code, named-curve OID and order."""

    name: str
    code: int
    oid: str
    asn1_name: str
    n: int
    p: int

    def __repr__(self) -> str:
        return f"Curve({self.name!r})"


def _curve(code: int, oid: str, asn1_name: str) -> Curve:
    c = DOMAIN[code]
    return Curve(c.name, code, oid, asn1_name, c.n, c.p)


SM2 = _curve(0, "1.2.156.10197.1.301", "sm2p256v1")
SECP256K1 = _curve(1, "1.3.132.0.10", "secp256k1")
P256 = _curve(2, "1.2.840.10045.3.1.7", "secp256r1")
CURVES = {c.name: c for c in (SM2, SECP256K1, P256)}
_ALIASES = {
    "sm2": SM2,
    "sm2p256v1": SM2,
    "secp256k1": SECP256K1,
    "p256": P256,
    "p-256": P256,
    "secp256r1": P256,
    "prime256v1": P256,
}
_BY_OID = {c.oid: c for c in CURVES.values()}


def curve_by_name(name: object, allowed: Sequence[Curve], arg: str = "curve") -> Curve:
    """The curve called ``name`` (aliases accepted, case-insensitive) if it is one of
    ``allowed``; ``TypeError``/``ValueError`` naming ``arg`` otherwise."""
    if isinstance(name, Curve):
        curve: Curve | None = name
    elif isinstance(name, str):
        curve = _ALIASES.get(name.lower())
    else:
        raise TypeError(f"{arg}: expected a curve name (str), got {type(name).__name__}")
    if curve is None or curve not in allowed:
        raise ValueError(
            f"{arg}: unknown or unsupported curve {name!r}; expected one of "
            f"{', '.join(c.name for c in allowed)}"
        )
    return curve


def check_choice(value: object, choices: Sequence[str], arg: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{arg}: expected one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def check_flag(value: object, arg: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{arg}: expected a bool, got {type(value).__name__}")
    return value


# ---------------------------------------------------------------------------------------------
# Backend calls (one place; every op takes and returns numpy arrays)


def op(name: str, n: int, backend: str | None) -> Any:
    return backends.select(name, n, backend).op(name)


def pubkeys_from_secrets(
    curve: Curve, secrets: U8, backend: str | None = None, threads: int | None = None
) -> tuple[U8, Mask]:
    """``(n, 64)`` X||Y of each ``(n, 32)`` secret times G, and which secrets were in range."""
    return op("ec_pubkey_create", len(secrets), backend)(curve.code, secrets, threads=threads)  # type: ignore[no-any-return]


def parse_pubkeys(
    curve: Curve, items: Items, backend: str | None = None, threads: int | None = None
) -> tuple[U8, Mask]:
    """SEC1 uncompressed/compressed or raw X||Y items to ``(n, 64)`` X||Y, fully validated."""
    return op("ec_pubkey_parse", items.n, backend)(curve.code, items, threads=threads)  # type: ignore[no-any-return]


def parse_der_sigs(
    items: Items, backend: str | None = None, threads: int | None = None
) -> tuple[U8, U8, Mask]:
    return op("der_sig_parse", items.n, backend)(items, threads=threads)  # type: ignore[no-any-return]


def encode_der_sigs(r: U8, s: U8, backend: str | None = None) -> list[bytes]:
    return op("der_sig_encode", len(r), backend)(r, s)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# Single-item encodings


def point_to_bytes(xy: bytes, format: str = "uncompressed") -> bytes:
    """Encode a raw 64-byte X||Y point as SEC1 uncompressed, SEC1 compressed or raw."""
    check_choice(format, ("uncompressed", "compressed", "raw"), "format")
    if format == "raw":
        return xy
    if format == "compressed":
        return bytes([2 | (xy[63] & 1)]) + xy[:32]
    return b"\x04" + xy


def _unarmor(data: bytes, arg: str, labels: Sequence[str]) -> bytes:
    """The DER inside a PEM block with one of ``labels``; ValueError otherwise."""
    if not pem.detect(data):
        raise ValueError(f"{arg}: not PEM (no '-----BEGIN' line)")
    seen = []
    try:
        # Skip blocks such as "EC PARAMETERS" that `openssl ecparam -genkey` writes first.
        for label, headers, der in pem.unarmor(data, multiple=True):
            if label == "ENCRYPTED PRIVATE KEY" or "ENCRYPTED" in headers.get("Proc-Type", ""):
                raise ValueError(
                    f"{arg}: encrypted private keys are not supported; decrypt it first"
                )
            if label in labels:
                return bytes(der)
            seen.append(label)
    except ValueError as exc:
        if str(exc).startswith(arg):
            raise
        raise ValueError(f"{arg}: malformed PEM ({exc})") from None
    raise ValueError(f"{arg}: expected a PEM block labelled {' or '.join(labels)}, got {seen}")


def _to_pem(der: bytes, label: str) -> bytes:
    return bytes(pem.armor(label, der))


#: What asn1crypto raises on malformed input: it parses lazily, so a bad tag or an unknown OID
#: can surface as a KeyError, IndexError or TypeError deep inside, not only as a ValueError.
_ASN1_ERRORS = (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError)


def _curve_of_params(params: Any, arg: str) -> Curve:
    if params is None or params.name != "named":
        raise ValueError(f"{arg}: only named-curve EC keys are supported")
    oid = params.chosen.dotted
    curve = _BY_OID.get(oid)
    if curve is None:
        raise ValueError(f"{arg}: unsupported curve {params.chosen.native!r} ({oid})")
    return curve


def _spki_decode(der: bytes, arg: str) -> tuple[Curve, bytes]:
    try:
        info = keys.PublicKeyInfo.load(der, strict=True)
        algo = info["algorithm"]
        if algo["algorithm"].dotted != "1.2.840.10045.2.1":
            raise ValueError(f"{arg}: not an EC public key ({algo['algorithm'].native})")
        curve = _curve_of_params(algo["parameters"], arg)
        point = bytes(info["public_key"].contents)[1:]  # BIT STRING: skip the unused-bits byte
    except _ASN1_ERRORS as exc:
        if isinstance(exc, ValueError) and str(exc).startswith(arg):
            raise
        raise ValueError(f"{arg}: malformed SubjectPublicKeyInfo ({exc})") from None
    return curve, point


def _spki_encode(curve: Curve, sec1: bytes) -> bytes:
    info = keys.PublicKeyInfo(
        {
            "algorithm": {
                "algorithm": "ec",
                "parameters": keys.ECDomainParameters(name="named", value=curve.asn1_name),
            },
            "public_key": sec1,
        }
    )
    return bytes(info.dump())


def _privkey_decode(der: bytes, arg: str) -> tuple[Curve | None, bytes, bytes | None]:
    """``(curve or None, 32-byte secret, SEC1 public point or None)`` from PKCS#8 or SEC1 DER."""
    try:
        seq = core.Sequence.load(der, strict=True)
        first = seq[0] if len(seq) else None
        if len(seq) == 2 and isinstance(first, core.Sequence):
            if isinstance(seq[1], core.BitString):  # SubjectPublicKeyInfo has the same shape
                raise ValueError(f"{arg}: a public key (SubjectPublicKeyInfo), not a private key")
            raise ValueError(f"{arg}: encrypted private keys are not supported; decrypt it first")
        curve: Curve | None = None
        if len(seq) >= 3 and isinstance(seq[1], core.Sequence):  # PKCS#8 PrivateKeyInfo
            info = keys.PrivateKeyInfo.load(der, strict=True)
            algo = info["private_key_algorithm"]
            if algo["algorithm"].dotted != "1.2.840.10045.2.1":
                raise ValueError(f"{arg}: not an EC private key ({algo['algorithm'].native})")
            curve = _curve_of_params(algo["parameters"], arg)
            ec = keys.ECPrivateKey.load(bytes(info["private_key"].contents), strict=True)
        else:
            ec = keys.ECPrivateKey.load(der, strict=True)
        if ec["version"].native != "ecPrivkeyVer1":
            raise ValueError(f"{arg}: unsupported ECPrivateKey version")
        params = ec["parameters"]
        if params.native is not None:
            inner = _curve_of_params(params, arg)
            if curve is not None and inner is not curve:
                raise ValueError(
                    f"{arg}: curve in the key ({inner.name}) differs from its algorithm"
                    f" ({curve.name})"
                )
            curve = inner
        raw = bytes(ec["private_key"].contents).lstrip(b"\x00")
        if len(raw) > 32:
            raise ValueError(f"{arg}: private key longer than 32 bytes")
        point = ec["public_key"]
        pub = bytes(point.contents)[1:] if point.native is not None else None
    except _ASN1_ERRORS as exc:
        if isinstance(exc, ValueError) and str(exc).startswith(arg):
            raise
        # The parser's own message may quote the bytes it choked on: secret, so not repeated.
        raise ValueError(
            f"{arg}: not an EC private key in PKCS#8 or SEC1 DER ({type(exc).__name__})"
        ) from None
    return curve, raw.rjust(32, b"\x00"), pub


def _sec1_privkey(curve: Curve, secret: bytes, sec1_pub: bytes, with_params: bool) -> Any:
    fields: dict[str, Any] = {
        "version": "ecPrivkeyVer1",
        "private_key": int.from_bytes(secret, "big"),
    }
    if with_params:
        fields["parameters"] = keys.ECDomainParameters(name="named", value=curve.asn1_name)
    fields["public_key"] = sec1_pub
    ec = keys.ECPrivateKey(fields)
    ec.set_key_size(32)
    return ec


# ---------------------------------------------------------------------------------------------
# Key objects

_Pub = TypeVar("_Pub", bound="PublicKeyBase")
_Priv = TypeVar("_Priv", bound="PrivateKeyBase")


class PublicKeyBase:
    """An EC public key (a validated point on one curve); immutable and hashable."""

    #: The curves this class accepts; the first is the default where a curve may be omitted.
    CURVES: ClassVar[tuple[Curve, ...]] = ()
    _MODULE: ClassVar[str] = ""
    __slots__ = ("_curve", "_xy")

    _curve: Curve
    _xy: bytes

    def __init__(self) -> None:  # pragma: no cover - use the from_* constructors
        raise TypeError(f"use {type(self).__name__}.from_bytes/from_pem/from_der")

    @classmethod
    def _resolve_curve(cls, curve: object) -> Curve:
        if curve is None:
            if len(cls.CURVES) == 1:
                return cls.CURVES[0]
            raise TypeError(f"curve: required, one of {', '.join(c.name for c in cls.CURVES)}")
        return curve_by_name(curve, cls.CURVES)

    @classmethod
    def _check_key_curve(cls, found: Curve, wanted: object, arg: str) -> Curve:
        if found not in cls.CURVES:
            raise ValueError(
                f"{arg}: the key is on curve {found.name}, not one this class accepts "
                f"({', '.join(c.name for c in cls.CURVES)})"
            )
        if wanted is not None:
            expected = cls._resolve_curve(wanted)
            if expected is not found:
                raise ValueError(
                    f"{arg}: the key is on curve {found.name}, expected {expected.name}"
                )
        return found

    @classmethod
    def _new(cls: type[_Pub], curve: Curve, xy: bytes) -> _Pub:
        obj = object.__new__(cls)
        obj._curve = curve
        obj._xy = xy
        return obj

    @classmethod
    def _parse(cls: type[_Pub], curve: Curve, data: bytes, arg: str) -> _Pub:
        if len(data) not in (33, 64, 65):
            raise ValueError(
                f"{arg}: expected 65 (04||X||Y), 33 (02/03||X) or 64 (X||Y) bytes, got {len(data)}"
            )
        xy = _single.pubkey_parse(curve.code, data)
        if xy is None:
            raise ValueError(
                f"{arg}: not a valid point on {curve.name}"
                " (bad prefix, coordinate >= p, or not on the curve)"
            )
        return cls._new(curve, xy)

    @classmethod
    def from_bytes(cls: type[_Pub], data: bytes, curve: str | None = None) -> _Pub:
        """A public key from SEC1 uncompressed ``04||X||Y`` (65 bytes), SEC1 compressed
        ``02/03||X`` (33 bytes) or raw ``X||Y`` (64 bytes). The point is fully validated;
        ``ValueError`` if it is not on the curve."""
        return cls._parse(cls._resolve_curve(curve), check_bytes(data, "data"), "data")

    @classmethod
    def from_der(cls: type[_Pub], data: bytes, curve: str | None = None) -> _Pub:
        """A public key from a DER SubjectPublicKeyInfo (id-ecPublicKey with a named curve).
        If ``curve`` is given, a key on another curve is a ``ValueError``."""
        found, point = _spki_decode(check_bytes(data, "data"), "data")
        return cls._parse(cls._check_key_curve(found, curve, "data"), point, "data")

    @classmethod
    def from_pem(cls: type[_Pub], data: bytes | str, curve: str | None = None) -> _Pub:
        """A public key from a PEM ``PUBLIC KEY`` block (see :meth:`from_der`)."""
        raw = data.encode() if isinstance(data, str) else check_bytes(data, "data")
        return cls.from_der(_unarmor(raw, "data", ("PUBLIC KEY",)), curve)

    @property
    def curve(self) -> str:
        """The curve's canonical name: ``"sm2"``, ``"secp256k1"`` or ``"p256"``."""
        return self._curve.name

    def to_bytes(self, format: str = "uncompressed") -> bytes:
        """``"uncompressed"`` (65 bytes, 04||X||Y), ``"compressed"`` (33 bytes) or ``"raw"``
        (64 bytes, X||Y)."""
        return point_to_bytes(self._xy, format)

    def to_der(self) -> bytes:
        """DER SubjectPublicKeyInfo (id-ecPublicKey, named curve, uncompressed point)."""
        return _spki_encode(self._curve, b"\x04" + self._xy)

    def to_pem(self) -> bytes:
        """PEM ``PUBLIC KEY`` block of :meth:`to_der`."""
        return _to_pem(self.to_der(), "PUBLIC KEY")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, PublicKeyBase)
        return self._curve is other._curve and self._xy == other._xy

    def __hash__(self) -> int:
        return hash((self._curve.name, self._xy))

    def __repr__(self) -> str:
        point = self.to_bytes("compressed").hex()
        return f"<chaincrypto.{self._MODULE}.PublicKey curve={self._curve.name} {point}>"


class PrivateKeyBase:
    """An EC private key. The secret is kept as an immutable ``bytes`` object: Python cannot
    wipe it from memory, so drop references and let the process end to be rid of it. It never
    appears in ``repr``/``str`` or in exception messages; equality is constant time."""

    PUBLIC: ClassVar[type[PublicKeyBase]] = PublicKeyBase
    __slots__ = ("_public", "_secret")

    _secret: bytes
    _public: PublicKeyBase

    def __init__(self) -> None:  # pragma: no cover
        raise TypeError(f"use {type(self).__name__}.generate/from_bytes/from_pem/from_der")

    @classmethod
    def _from_secret(cls: type[_Priv], curve: Curve, secret: bytes, arg: str = "data") -> _Priv:
        if len(secret) != 32:
            raise ValueError(f"{arg}: expected a 32-byte private key, got {len(secret)} bytes")
        # The range check first: SM2 also refuses d = n - 1, whose public key exists.
        xy = (
            _single.pubkey_create(curve.code, secret)
            if _single.seckey_ok(curve.code, secret)
            else None
        )
        if xy is None:
            raise ValueError(f"{arg}: private key out of range for {curve.name}")
        obj = object.__new__(cls)
        obj._secret = secret
        obj._public = cls.PUBLIC._new(curve, xy)
        return obj

    @classmethod
    def _generate(cls: type[_Priv], curve: Curve) -> _Priv:
        for _ in range(64):  # a random 256-bit value is out of range with probability < 2^-32
            secret = os.urandom(32)
            if _single.seckey_ok(curve.code, secret):
                return cls._from_secret(curve, secret)
        raise RuntimeError("key generation failed: the backend rejects every key")

    @classmethod
    def from_bytes(cls: type[_Priv], data: bytes, curve: str | None = None) -> _Priv:
        """A private key from its 32-byte big-endian scalar; ``ValueError`` ("private key out of
        range") unless 1 <= d <= n-1 (SM2: n-2)."""
        return cls._from_secret(cls.PUBLIC._resolve_curve(curve), check_bytes(data, "data"))

    @classmethod
    def from_der(cls: type[_Priv], data: bytes, curve: str | None = None) -> _Priv:
        """A private key from unencrypted DER: PKCS#8 ``PrivateKeyInfo`` or SEC1
        ``ECPrivateKey``. Encrypted keys and keys on another curve are a ``ValueError``. A SEC1
        key without curve parameters needs ``curve`` (or a class with only one curve)."""
        found, secret, pub = _privkey_decode(check_bytes(data, "data"), "data")
        if found is None:
            found = cls.PUBLIC._resolve_curve(curve)
        else:
            found = cls.PUBLIC._check_key_curve(found, curve, "data")
        key = cls._from_secret(found, secret)
        if pub is not None and pub not in (
            key._public.to_bytes("uncompressed"),
            key._public.to_bytes("compressed"),
        ):
            raise ValueError("data: the embedded public key does not match the private key")
        return key

    @classmethod
    def from_pem(cls: type[_Priv], data: bytes | str, curve: str | None = None) -> _Priv:
        """A private key from PEM ``PRIVATE KEY`` (PKCS#8) or ``EC PRIVATE KEY`` (SEC1)."""
        raw = data.encode() if isinstance(data, str) else check_bytes(data, "data")
        der = _unarmor(raw, "data", ("PRIVATE KEY", "EC PRIVATE KEY"))
        return cls.from_der(der, curve)

    @property
    def curve(self) -> str:
        """The curve's canonical name."""
        return self._public._curve.name

    @property
    def public_key(self) -> Any:
        """The matching public key."""
        return self._public

    def to_bytes(self) -> bytes:
        """The 32-byte big-endian secret scalar."""
        return self._secret

    def to_der(self, format: str = "pkcs8") -> bytes:
        """Unencrypted DER: ``"pkcs8"`` (PrivateKeyInfo, as ``openssl genpkey`` writes) or
        ``"sec1"`` (ECPrivateKey with named-curve parameters)."""
        check_choice(format, ("pkcs8", "sec1"), "format")
        curve = self._public._curve
        sec1_pub = self._public.to_bytes("uncompressed")
        if format == "sec1":
            return bytes(_sec1_privkey(curve, self._secret, sec1_pub, True).dump())
        info = keys.PrivateKeyInfo(
            {
                "version": 0,
                "private_key_algorithm": {
                    "algorithm": "ec",
                    "parameters": keys.ECDomainParameters(name="named", value=curve.asn1_name),
                },
                "private_key": _sec1_privkey(curve, self._secret, sec1_pub, False),
            }
        )
        return bytes(info.dump())

    def to_pem(self, format: str = "pkcs8") -> bytes:
        """PEM of :meth:`to_der`: ``PRIVATE KEY`` (pkcs8) or ``EC PRIVATE KEY`` (sec1)."""
        label = "PRIVATE KEY" if format == "pkcs8" else "EC PRIVATE KEY"
        return _to_pem(self.to_der(format), label)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, PrivateKeyBase)
        return self._public._curve is other._public._curve and hmac.compare_digest(
            self._secret, other._secret
        )

    def __hash__(self) -> int:
        return hash(self._public)

    def __repr__(self) -> str:
        return (
            f"<chaincrypto.{self.PUBLIC._MODULE}.PrivateKey curve={self.curve} "
            f"public={self._public.to_bytes('compressed').hex()}>"
        )

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("private keys are not picklable; serialise with to_pem() explicitly")


# ---------------------------------------------------------------------------------------------
# Batch plumbing


def batch_length(**named: int) -> int:
    """The common length of the named batch arguments; ValueError naming them if they differ."""
    values = set(named.values())
    if len(values) > 1:
        detail = ", ".join(f"{k}={v}" for k, v in named.items())
        raise ValueError(f"batch lengths differ: {detail}")
    return values.pop() if values else 0


def _key_items(values: Any, name: str, cls: type, to_bytes: Any) -> Any:
    """Allow key objects of ``cls`` in a list of keys (replaced by their bytes)."""
    if isinstance(values, (list, tuple)) and any(isinstance(v, cls) for v in values):
        return [to_bytes(v) if isinstance(v, cls) else v for v in values]
    return values


def batch_pubkeys(
    curve: Curve, values: Any, backend: str | None, threads: int | None, cls: type[PublicKeyBase]
) -> tuple[U8, Mask]:
    """``(n, 64)`` X||Y and validity mask from a batch of public keys in any SEC1/raw form
    (mixed), or :class:`PublicKeyBase` objects (which must be on ``curve``)."""
    if isinstance(values, (list, tuple)):
        for i, v in enumerate(values):
            if isinstance(v, PublicKeyBase) and v._curve is not curve:
                raise ValueError(
                    f"public_keys[{i}]: key on curve {v._curve.name}, expected {curve.name}"
                )
    values = _key_items(values, "public_keys", cls, lambda k: k._xy)
    items = as_items(values, "public_keys")
    if items.n == 0:
        return np.zeros((0, 64), np.uint8), np.zeros(0, bool)
    return parse_pubkeys(curve, items, backend, threads)


def batch_secrets(curve: Curve, values: Any, cls: type[PrivateKeyBase]) -> U8:
    """``(n, 32)`` secrets from a batch of 32-byte keys or :class:`PrivateKeyBase` objects;
    ``ValueError`` naming the first item of the wrong length."""
    if isinstance(values, (list, tuple)):
        for i, v in enumerate(values):
            if isinstance(v, PrivateKeyBase) and v._public._curve is not curve:
                raise ValueError(
                    f"private_keys[{i}]: key on curve {v.curve}, expected {curve.name}"
                )
    values = _key_items(values, "private_keys", cls, lambda k: k._secret)
    arr, good = as_fixed(values, 32, "private_keys")
    if not good.all():
        i = int(np.flatnonzero(~good)[0])
        raise ValueError(f"private_keys[{i}]: expected a 32-byte private key")
    return arr


def known_public_keys(values: Any, cls: type[PrivateKeyBase]) -> U8 | None:
    """The ``(n, 64)`` X||Y rows of a batch made only of ``cls`` key objects (which hold their
    public keys), or None for any other batch (then the backend derives them)."""
    if not isinstance(values, (list, tuple)) or not values:
        return None
    if not all(isinstance(v, cls) for v in values):
        return None
    return np.frombuffer(b"".join(v._public._xy for v in values), dtype=np.uint8).reshape(-1, 64)


def batch_signatures(
    values: Any, encoding: str, offsets: Any, backend: str | None, threads: int | None
) -> tuple[U8, U8, Mask]:
    """``(r, s, ok)`` from a batch of signatures: ``"der"`` (strict DER, parsed in C; may be a
    flat buffer with ``offsets``) or ``"raw"`` (64 bytes r||s)."""
    if encoding == "der":
        items = as_items(values, "signatures", offsets)
        if items.n == 0:
            z = np.zeros((0, 32), np.uint8)
            return z, z.copy(), np.zeros(0, bool)
        return parse_der_sigs(items, backend, threads)
    if offsets is not None:
        raise ValueError("signature_offsets: only with encoding='der'")
    arr, good = as_fixed(values, 64, "signatures")
    return np.ascontiguousarray(arr[:, :32]), np.ascontiguousarray(arr[:, 32:]), good


def encode_signatures(r: U8, s: U8, encoding: str, backend: str | None) -> Any:
    if encoding == "raw":
        return np.concatenate([r, s], axis=1)
    return encode_der_sigs(r, s, backend) if len(r) else []


def hedge(n: int, deterministic: bool) -> U8 | None:
    """Extra data for hedged RFC 6979: 32 fresh OS-random bytes per item (None: deterministic)."""
    return None if deterministic else np.frombuffer(os.urandom(32 * n), np.uint8).reshape(n, 32)


def verify_subset(ok: Mask, arrays: Sequence[U8], run: Any) -> Mask:
    """Run the backend verifier ``run(*arrays)`` only on rows where ``ok`` holds (rows that
    failed parsing never reach the arithmetic); result is ``ok`` with those rows' outcomes."""
    idx = np.flatnonzero(ok)
    out = np.zeros(len(ok), dtype=bool)
    if len(idx) == 0:
        return out
    if len(idx) == len(ok):
        return np.asarray(run(*arrays), dtype=bool)
    sub = [np.ascontiguousarray(a[idx]) for a in arrays]
    out[idx] = np.asarray(run(*sub), dtype=bool)
    return out


def verify_one(
    curve: Curve, xy: bytes, e: bytes, signature: Any, encoding: str, flags: int = 0
) -> bool:
    """Whether ``signature`` (one, in ``encoding``: strict DER or ``r || s``) is valid for the
    32-byte ``e`` by X || Y on ``curve``; ``flags`` adds CC_VERIFY_LOW_S. False for a malformed
    signature; ``TypeError`` for a non-bytes one."""
    sig = check_bytes(signature, "signature")
    der = _single.DER if encoding == "der" else 0
    return _single.verify(curve.code, xy, e, sig, flags | der)
