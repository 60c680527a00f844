"""The peers chaincrypto competes with, timed on this machine in the same run: OpenSSL (its
``openssl speed`` command, one core; and through pyca/cryptography and hashlib, one call per
item from Python, as a node written in Python uses it), libsecp256k1 (through coincurve) and
gmssl. Each function returns a rate, or None when the peer is not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable


def _openssl(args: list[str], seconds: int) -> str | None:
    exe = shutil.which("openssl")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "speed", "-seconds", str(seconds), *args],
            capture_output=True,
            text=True,
            timeout=seconds * 10 + 30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout


def openssl_hash(algorithm: str, nbytes: int, seconds: int = 1) -> float | None:
    """OpenSSL's one-core rate in items/s for ``nbytes``-byte inputs (``openssl speed -evp``)."""
    text = _openssl(["-evp", algorithm, "-bytes", str(nbytes)], seconds)
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == algorithm and parts[1].endswith("k"):
            return float(parts[1][:-1]) * 1000 / nbytes
    return None


def openssl_signature(algorithm: str, seconds: int = 1) -> tuple[float, float] | None:
    """OpenSSL's one-core (sign/s, verify/s) for ``sm2`` or ``ecdsap256`` (``openssl speed``)."""
    text = _openssl([algorithm], seconds)
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0] == "256" and parts[1] == "bits":
            try:
                return float(parts[-2]), float(parts[-1])
            except ValueError:
                return None
    return None


def _rate(fn: Callable[[], object], count: int, min_time: float) -> float:
    best, spent = 0.0, 0.0
    while spent < min_time or best == 0.0:
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        spent += dt
        best = max(best, count / dt)
    return best


def coincurve_rates(count: int = 500, min_time: float = 0.5) -> dict[str, float] | None:
    """libsecp256k1 (coincurve) one-core rates, keyed "sign", "verify" and "recover"
    (``PublicKey.from_signature_and_message``), on 32-byte messages hashed with SHA-256, called
    once per item from Python as a node would."""
    try:
        import coincurve
    except ImportError:
        return None
    keys = [coincurve.PrivateKey() for _ in range(count)]
    msgs = [os.urandom(32) for _ in range(count)]
    sigs = [k.sign(m) for k, m in zip(keys, msgs, strict=True)]
    recoverable = [k.sign_recoverable(m) for k, m in zip(keys, msgs, strict=True)]
    pubs = [k.public_key for k in keys]
    recover = coincurve.PublicKey.from_signature_and_message
    return {
        "sign": _rate(
            lambda: [k.sign(m) for k, m in zip(keys, msgs, strict=True)], count, min_time
        ),
        "verify": _rate(
            lambda: [p.verify(s, m) for p, s, m in zip(pubs, sigs, msgs, strict=True)],
            count,
            min_time,
        ),
        "recover": _rate(
            lambda: [recover(s, m) for s, m in zip(recoverable, msgs, strict=True)],
            count,
            min_time,
        ),
    }


def cryptography_rates(
    curve: str, count: int = 500, min_time: float = 0.5
) -> tuple[float, float] | None:
    """OpenSSL through pyca/cryptography: one-core (sign/s, verify/s) of ECDSA with SHA-256 on
    ``curve`` ("p256" or "secp256k1") over 32-byte messages, one call per item."""
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

    sign = _rate(lambda: [k.sign(m, alg) for k, m in zip(keys, msgs, strict=True)], count, min_time)
    return sign, _rate(verify_all, count, min_time)


def hashlib_rate(
    algorithm: str, nbytes: int, count: int = 20000, min_time: float = 0.5
) -> float | None:
    """OpenSSL through hashlib: one-core messages/s of ``algorithm`` on ``nbytes``-byte
    messages, one call per message (None where this OpenSSL lacks the algorithm)."""
    import hashlib

    try:
        hashlib.new(algorithm, b"")
    except ValueError:
        return None
    msgs = [os.urandom(nbytes) for _ in range(count)]
    return _rate(lambda: [hashlib.new(algorithm, m).digest() for m in msgs], count, min_time)


def gmssl_verify_rate(count: int = 20) -> float | None:
    """gmssl's (pure Python) SM2 verifications per second."""
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
    return _rate(lambda: [crypt.verify_with_sm3(sig, msg) for _ in range(count)], count, 0.5)
