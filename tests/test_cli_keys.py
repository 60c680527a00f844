"""chaincrypto keygen / sign / verify on files, checked against the openssl CLI where it can."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "chaincrypto", *args], input=stdin, capture_output=True, timeout=120
    )


@pytest.mark.parametrize("algorithm", ["sm2", "secp256k1", "p256"])
def test_keygen_sign_verify_roundtrip(tmp_path: Path, algorithm: str) -> None:
    key, pub, msg = tmp_path / "key.pem", tmp_path / "pub.pem", tmp_path / "msg"
    msg.write_bytes(b"transfer 10 coins")
    out = cli("keygen", "-a", algorithm, "-o", str(key), "--pubout", str(pub))
    assert out.returncode == 0, out.stderr
    assert key.stat().st_mode & 0o077 == 0  # private key readable by its owner only
    assert key.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    signed = cli("sign", "-k", str(key), str(msg))
    assert signed.returncode == 0, signed.stderr
    sig = tmp_path / "sig.hex"
    sig.write_bytes(signed.stdout)
    ok = cli("verify", "-k", str(pub), "-s", str(sig), str(msg))
    assert (ok.returncode, ok.stdout.strip()) == (0, b"Verified OK")
    msg.write_bytes(b"transfer 99 coins")
    bad = cli("verify", "-k", str(pub), "-s", str(sig), str(msg))
    assert (bad.returncode, bad.stdout.strip()) == (1, b"Verification failure")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl CLI")
def test_sm2_signature_verifies_in_openssl_with_uid(tmp_path: Path) -> None:
    key, pub, msg, sig = (tmp_path / n for n in ("k.pem", "p.pem", "m", "s.der"))
    msg.write_bytes(b"block 7")
    assert cli("keygen", "-o", str(key), "--pubout", str(pub)).returncode == 0
    out = cli("sign", "-k", str(key), "--uid", "alice@chain", "-o", str(sig), str(msg))
    assert out.returncode == 0, out.stderr
    res = subprocess.run(
        [
            "openssl",
            "dgst",
            "-sm3",
            "-verify",
            str(pub),
            "-sigopt",
            "distid:alice@chain",
            "-signature",
            str(sig),
            str(msg),
        ],
        capture_output=True,
        timeout=60,
    )
    assert res.returncode == 0 and b"Verified OK" in res.stdout, res.stderr


def test_errors_are_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    msg = tmp_path / "m"
    msg.write_bytes(b"x")
    for args in (
        ("sign", "-k", str(junk), str(msg)),
        ("sign", "-k", str(tmp_path / "missing.pem"), str(msg)),
    ):
        out = cli(*args)
        assert out.returncode == 2
        assert out.stderr.startswith(b"chaincrypto: error:") and b"Traceback" not in out.stderr
    key, pub = tmp_path / "k.pem", tmp_path / "p.pem"
    cli("keygen", "-a", "p256", "-o", str(key), "--pubout", str(pub))
    out = cli("sign", "-k", str(pub), str(msg))
    assert out.returncode == 2 and b"public key cannot sign" in out.stderr
    out = cli("sign", "-k", str(key), "--uid", "bob", str(msg))
    assert out.returncode == 2 and b"SM2 keys only" in out.stderr


def test_sm2_uid_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """--uid takes the argument's bytes as given (os.fsencode), UTF-8 or not."""
    import os

    from chaincrypto import sm2

    key, pub, msg, sig = (tmp_path / n for n in ("k.pem", "p.pem", "m", "s.der"))
    msg.write_bytes(b"block 8")
    assert cli("keygen", "-o", str(key), "--pubout", str(pub)).returncode == 0
    uid = os.fsdecode(b"\xff\x01id")
    out = cli("sign", "-k", str(key), "--uid", uid, "-o", str(sig), str(msg))
    assert out.returncode == 0, out.stderr
    public = sm2.PublicKey.from_pem(pub.read_bytes())
    assert public.verify(sig.read_bytes(), b"block 8", uid=b"\xff\x01id")
    ok = cli("verify", "-k", str(pub), "--uid", uid, "-s", str(sig), str(msg))
    assert ok.returncode == 0, ok.stderr
