"""``chaincrypto keygen``, ``sign`` and ``verify``: PEM keys on files, exit status like OpenSSL's
and the coreutils checkers (0 verified, 1 not verified, 2 usage or input error)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from . import ecdsa, sm2
from ._ec_keys import PrivateKeyBase, PublicKeyBase

ALGORITHMS = ("sm2", "secp256k1", "p256")


class KeyFileError(Exception):
    """A key or signature file that cannot be used (one line for the user)."""


def _read(path: str, what: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise KeyFileError(f"{what} {path}: {exc.strerror or exc}") from None


def _write(path: str | None, data: bytes, *, secret: bool = False) -> None:
    if path is None or path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        # A private key file is created readable by its owner only.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if secret else 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise KeyFileError(f"{path}: {exc.strerror or exc}") from None


def _load_key(path: str) -> PrivateKeyBase | PublicKeyBase:
    """A private or public key, SM2 or ECDSA, from a PEM or DER file."""
    data = _read(path, "key")
    is_pem = data.lstrip().startswith(b"-----BEGIN")
    loaders: list[Any] = [sm2.PrivateKey, ecdsa.PrivateKey, sm2.PublicKey, ecdsa.PublicKey]
    for cls in loaders:
        try:
            return cls.from_pem(data) if is_pem else cls.from_der(data)
        except (ValueError, TypeError):
            continue
    raise KeyFileError(f"key {path}: not an unencrypted SM2, secp256k1 or P-256 key (PEM or DER)")


def _algorithm(key: PrivateKeyBase | PublicKeyBase) -> str:
    return str(key.curve)


def _cmd_keygen(args: argparse.Namespace) -> int:
    key: PrivateKeyBase = (
        sm2.PrivateKey.generate()
        if args.algorithm == "sm2"
        else ecdsa.PrivateKey.generate(args.algorithm)
    )
    _write(args.output, key.to_pem(), secret=True)
    if args.pubout:
        _write(args.pubout, key.public_key.to_pem())
    return 0


def _message(args: argparse.Namespace) -> bytes:
    return _read(args.file, "message")


def _options(key: PrivateKeyBase | PublicKeyBase, args: argparse.Namespace) -> dict[str, Any]:
    if _algorithm(key) == "sm2":
        return {"uid": os.fsencode(args.uid)}  # the bytes given, UTF-8 or not
    if args.uid != sm2.DEFAULT_UID.decode():
        raise KeyFileError("--uid applies to SM2 keys only")
    return {}


def _cmd_sign(args: argparse.Namespace) -> int:
    key = _load_key(args.key)
    if not isinstance(key, PrivateKeyBase):
        raise KeyFileError(f"key {args.key}: a public key cannot sign")
    sig = key.sign(_message(args), **_options(key, args))
    _write(args.output, sig if args.output else sig.hex().encode() + b"\n")
    return 0


def _signature(path: str) -> bytes:
    raw = _read(path, "signature")
    text = raw.strip()
    try:  # hex text (as `sign` prints without -o) or binary DER
        return bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return raw


def _cmd_verify(args: argparse.Namespace) -> int:
    key = _load_key(args.key)
    pub = key.public_key if isinstance(key, PrivateKeyBase) else key
    ok = pub.verify(_signature(args.signature), _message(args), **_options(key, args))
    print("Verified OK" if ok else "Verification failure")
    return 0 if ok else 1


def add_parsers(sub: Any) -> None:
    """Add the key subcommands to the ``chaincrypto`` parser."""
    p = sub.add_parser("keygen", help="make a private key (PKCS#8 PEM)")
    p.add_argument("--algorithm", "-a", choices=ALGORITHMS, default="sm2")
    p.add_argument("--output", "-o", help="private key file (mode 0600); default: stdout")
    p.add_argument("--pubout", help="also write the public key (SubjectPublicKeyInfo PEM) here")
    p.set_defaults(func=_cmd_keygen)
    for name, helptext, func in (
        ("sign", "sign FILE with a private key; prints the DER signature as hex", _cmd_sign),
        ("verify", "verify FILE's signature; exit 0 if it verifies, 1 if not", _cmd_verify),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--key", "-k", required=True, help="PEM or DER key file")
        p.add_argument(
            "--uid",
            default=sm2.DEFAULT_UID.decode(),
            help="SM2 user ID (default: 1234567812345678)",
        )
        if name == "sign":
            p.add_argument("--output", "-o", help="write the binary DER signature here")
        else:
            p.add_argument(
                "--signature", "-s", required=True, help="signature file: binary DER or hex"
            )
        p.add_argument("file", metavar="FILE", help="the message; - for stdin")
        p.set_defaults(func=func)
