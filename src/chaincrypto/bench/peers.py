"""The peers chaincrypto competes with, as :class:`~.timing.Contender` s to race against ours on
this machine in the same run: OpenSSL (its ``openssl speed`` command, one core; and through
pyca/cryptography and hashlib, one call per item from Python, as a node written in Python uses
it), libsecp256k1 (through coincurve), GmSSL's C library (through easy_gmssl) and gmssl (pure
Python). Each function returns None when the peer is not installed; a round in which an
installed peer fails measures 0.0 (no rate). ``round_s``: how long a round lasts
(:data:`ROUND_S`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable

from .timing import Contender, timed

ROUND_S = 1.0
"""How long a round lasts, for every contender of a race (a loop called from Python repeats to
fill it): ``openssl speed`` runs at least a second, and a round of each contender should
average over as long a stretch of the machine's noise as the others' (the best of short rounds
against one-second averages would favour the short ones)."""


def _openssl(
    args: list[str], round_s: float, parse: Callable[[str], float | None], item_bytes: int = 0
) -> Contender | None:
    exe = shutil.which("openssl")
    if exe is None:
        return None
    seconds = max(1, round(round_s))  # whole seconds only

    def sample() -> float:
        try:
            out = subprocess.run(
                [exe, "speed", "-seconds", str(seconds), *args],
                capture_output=True,
                text=True,
                timeout=seconds * 10 + 30,
            )
        except (OSError, subprocess.SubprocessError):
            return 0.0
        return parse(out.stdout) or 0.0

    return Contender(f"openssl speed {' '.join(args)}", sample, item_bytes)


def openssl_hash(algorithm: str, nbytes: int, round_s: float = ROUND_S) -> Contender | None:
    """OpenSSL's one-core rate on ``nbytes``-byte inputs (``openssl speed -evp``), a byte rate."""

    def parse(text: str) -> float | None:
        for line in text.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == algorithm and parts[1].endswith("k"):
                return float(parts[1][:-1]) * 1000 / nbytes
        return None

    return _openssl(["-evp", algorithm, "-bytes", str(nbytes)], round_s, parse, nbytes)


def openssl_signature(algorithm: str, kind: str, round_s: float = ROUND_S) -> Contender | None:
    """OpenSSL's one-core signatures (``kind`` "sign") or verifications ("verify") per second
    for ``sm2`` or ``ecdsap256`` (``openssl speed``, which times both each round)."""

    def parse(text: str) -> float | None:
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[0] == "256" and parts[1] == "bits":
                try:
                    return float(parts[-1] if kind == "verify" else parts[-2])
                except ValueError:
                    return None
        return None

    return _openssl([algorithm], round_s, parse)


def coincurve(kind: str, count: int = 500, round_s: float = ROUND_S) -> Contender | None:
    """libsecp256k1 (coincurve) on one core: ``kind`` "sign", "verify" or "recover"
    (``PublicKey.from_signature_and_message``) of 32-byte messages hashed with SHA-256, called
    once per item from Python as a node would."""
    try:
        import coincurve as cc
    except ImportError:
        return None
    keys = [cc.PrivateKey() for _ in range(count)]
    msgs = [os.urandom(32) for _ in range(count)]
    if kind == "sign":

        def work() -> object:
            return [k.sign(m) for k, m in zip(keys, msgs, strict=True)]

    elif kind == "verify":
        pubs = [k.public_key for k in keys]
        sigs = [k.sign(m) for k, m in zip(keys, msgs, strict=True)]

        def work() -> object:
            return [p.verify(s, m) for p, s, m in zip(pubs, sigs, msgs, strict=True)]

    else:
        recoverable = [k.sign_recoverable(m) for k, m in zip(keys, msgs, strict=True)]
        recover = cc.PublicKey.from_signature_and_message

        def work() -> object:
            return [recover(s, m) for s, m in zip(recoverable, msgs, strict=True)]

    return Contender("libsecp256k1 (coincurve)", timed(work, count, round_s))


def cryptography(
    curve: str, kind: str, count: int = 500, round_s: float = ROUND_S
) -> Contender | None:
    """OpenSSL through pyca/cryptography on one core: ECDSA with SHA-256 on ``curve`` ("p256" or
    "secp256k1"), ``kind`` "sign" or "verify", over 32-byte messages, one call per item."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError:
        return None
    named = {"p256": ec.SECP256R1, "secp256k1": ec.SECP256K1}[curve]
    alg = ec.ECDSA(hashes.SHA256())
    keys = [ec.generate_private_key(named()) for _ in range(count)]
    msgs = [os.urandom(32) for _ in range(count)]
    sigs = [k.sign(m, alg) for k, m in zip(keys, msgs, strict=True)]
    pubs = [k.public_key() for k in keys]

    def verify_all() -> None:
        for p, sig, m in zip(pubs, sigs, msgs, strict=True):
            try:
                p.verify(sig, m, alg)
            except InvalidSignature:  # pragma: no cover - the signatures are valid
                raise RuntimeError("cryptography rejected its own signature") from None

    def sign_all() -> None:
        for k, m in zip(keys, msgs, strict=True):
            k.sign(m, alg)

    return Contender(
        "OpenSSL via cryptography",
        timed(verify_all if kind == "verify" else sign_all, count, round_s),
    )


def hashlib_messages(
    algorithm: str, nbytes: int, count: int = 20000, round_s: float = ROUND_S
) -> Contender | None:
    """OpenSSL through hashlib on one core: ``algorithm`` of ``nbytes``-byte messages, one call
    per message, a byte rate (None where this OpenSSL lacks the algorithm)."""
    import hashlib

    try:
        hashlib.new(algorithm, b"")
    except ValueError:
        return None
    msgs = [os.urandom(nbytes) for _ in range(count)]
    return Contender(
        f"hashlib.new({algorithm!r}) per message",
        timed(lambda: [hashlib.new(algorithm, m).digest() for m in msgs], count, round_s),
        nbytes,
    )


def gmssl_verify(count: int = 20, round_s: float = ROUND_S) -> Contender | None:
    """gmssl's (pure Python) SM2 verifications, ``count`` a round."""
    try:
        from gmssl import sm2
    except ImportError:
        return None
    from ..sm2 import PrivateKey

    key = PrivateKey.generate()
    pub = key.public_key.to_bytes("raw").hex()
    crypt = sm2.CryptSM2(private_key=key.to_bytes().hex(), public_key=pub)
    msg = b"chaincrypto benchmark message"
    sig = crypt.sign_with_sm3(msg)
    return Contender(
        "gmssl (pure Python)",
        timed(lambda: [crypt.verify_with_sm3(sig, msg) for _ in range(count)], count, round_s),
    )


def gmssl_c(kind: str, count: int = 100, round_s: float = ROUND_S) -> Contender | None:
    """GmSSL, the C library (the build the easy_gmssl package makes from its bundled GmSSL
    source, called through its ctypes binding): SM2 ``kind`` "sign" or "verify" of 32-byte
    messages with Z_A of the default ID and SM3 inside the call, DER signatures, one call per
    item. None when easy_gmssl is not installed or cannot load its library."""
    try:
        from easy_gmssl import gmssl as gm
    except (ImportError, OSError, ValueError):  # ValueError: easy_gmssl found no library
        return None
    import ctypes

    keys = []
    for _ in range(count):
        key = gm.Sm2Key()
        key.generate_key()
        keys.append(key)
    msgs = [os.urandom(32) for _ in range(count)]

    def one(key: object, msg: bytes, sig: bytes | None) -> object:
        ctx = gm.Sm2Signature(key, gm.SM2_DEFAULT_ID, gm.DO_VERIFY if sig else gm.DO_SIGN)
        ctx.update(msg)
        return ctx.verify(sig) if sig else ctx.sign()

    sigs = [one(k, m, None) for k, m in zip(keys, msgs, strict=True)]
    to_verify = [s if kind == "verify" else None for s in sigs]  # None: sign it

    def work() -> None:
        for k, m, s in zip(keys, msgs, to_verify, strict=True):
            if one(k, m, s) is False:  # pragma: no cover - the signatures are valid
                raise RuntimeError("GmSSL rejected its own signature")

    version = gm.gmssl.gmssl_version_str
    version.restype = ctypes.c_char_p
    return Contender(f"{version().decode()} (C, easy_gmssl)", timed(work, count, round_s))
