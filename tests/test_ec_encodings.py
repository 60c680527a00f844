"""Key and signature encodings, checked against pyca/cryptography's serialization (OpenSSL):
SEC1 points, SubjectPublicKeyInfo, PKCS#8 and SEC1 private keys in PEM and DER, plus range
checks, wrong curves, encrypted keys and the secrecy of private keys' reprs."""

from __future__ import annotations

import pickle
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec

import chaincrypto as cc

E, S = cc.ecdsa, cc.sm2
CRYPTO_CURVE = {"secp256k1": ec.SECP256K1(), "p256": ec.SECP256R1()}
N = {
    "sm2": 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
    "secp256k1": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
    "p256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
}
PEM, DER = ser.Encoding.PEM, ser.Encoding.DER


@pytest.fixture(params=["secp256k1", "p256"])
def curve(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def theirs(curve: str) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(CRYPTO_CURVE[curve])


def secret_of(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_numbers().private_value.to_bytes(32, "big")


def test_private_keys_from_cryptography(curve: str) -> None:
    key = theirs(curve)
    for enc in (PEM, DER):
        for fmt in (ser.PrivateFormat.PKCS8, ser.PrivateFormat.TraditionalOpenSSL):
            blob = key.private_bytes(enc, fmt, ser.NoEncryption())
            ours = E.PrivateKey.from_pem(blob) if enc is PEM else E.PrivateKey.from_der(blob)
            assert ours.to_bytes() == secret_of(key)
            assert ours.curve == curve
            assert ours.public_key.to_bytes() == key.public_key().public_bytes(
                ser.Encoding.X962, ser.PublicFormat.UncompressedPoint
            )


def test_private_keys_to_cryptography(curve: str) -> None:
    ours = E.PrivateKey.generate(curve)
    for fmt, label in (("pkcs8", b"PRIVATE KEY"), ("sec1", b"EC PRIVATE KEY")):
        pem = ours.to_pem(fmt)
        assert pem.startswith(b"-----BEGIN " + label + b"-----")
        for blob, load in (
            (pem, ser.load_pem_private_key),
            (ours.to_der(fmt), ser.load_der_private_key),
        ):
            loaded = load(blob, None)
            assert isinstance(loaded, ec.EllipticCurvePrivateKey)
            assert secret_of(loaded) == ours.to_bytes()
            assert loaded.curve.name == CRYPTO_CURVE[curve].name
        assert E.PrivateKey.from_pem(pem) == ours
        assert E.PrivateKey.from_der(ours.to_der(fmt), curve) == ours
    # byte-identical to OpenSSL's own PKCS#8 encoding of the same key
    again = ser.load_der_private_key(ours.to_der(), None)
    assert again.private_bytes(DER, ser.PrivateFormat.PKCS8, ser.NoEncryption()) == ours.to_der()


def test_public_keys_both_ways(curve: str) -> None:
    key = theirs(curve).public_key()
    spki_der = key.public_bytes(DER, ser.PublicFormat.SubjectPublicKeyInfo)
    spki_pem = key.public_bytes(PEM, ser.PublicFormat.SubjectPublicKeyInfo)
    ours = E.PublicKey.from_der(spki_der)
    assert ours == E.PublicKey.from_pem(spki_pem) == E.PublicKey.from_pem(spki_pem.decode())
    assert ours.to_der() == spki_der
    assert ours.to_pem() == spki_pem
    for fmt, cfmt in (
        ("uncompressed", ser.PublicFormat.UncompressedPoint),
        ("compressed", ser.PublicFormat.CompressedPoint),
    ):
        sec1 = key.public_bytes(ser.Encoding.X962, cfmt)
        assert ours.to_bytes(fmt) == sec1
        assert E.PublicKey.from_bytes(sec1, curve) == ours
    raw = ours.to_bytes("raw")
    assert len(raw) == 64 and E.PublicKey.from_bytes(raw, curve) == ours
    assert hash(E.PublicKey.from_bytes(raw, curve)) == hash(ours)
    loaded = ser.load_der_public_key(ours.to_der())
    assert isinstance(loaded, ec.EllipticCurvePublicKey)
    assert loaded.public_numbers() == key.public_numbers()


def test_sm2_encodings_round_trip() -> None:
    key = S.PrivateKey.generate()
    assert S.PrivateKey.from_pem(key.to_pem()) == key
    assert S.PrivateKey.from_pem(key.to_pem("sec1")) == key
    assert S.PrivateKey.from_der(key.to_der("sec1")) == key
    assert S.PrivateKey.from_bytes(key.to_bytes()) == key
    pub = key.public_key
    assert S.PublicKey.from_der(pub.to_der()) == pub
    assert S.PublicKey.from_pem(pub.to_pem()) == pub
    # id-ecPublicKey with the SM2 named-curve OID 1.2.156.10197.1.301
    assert bytes.fromhex("06082a811ccf5501822d") in pub.to_der()
    for fmt in ("uncompressed", "compressed", "raw"):
        assert S.PublicKey.from_bytes(pub.to_bytes(fmt)) == pub


def test_wrong_curve_is_named() -> None:
    sm2_key = S.PrivateKey.generate()
    p256_key = E.PrivateKey.generate("p256")
    with pytest.raises(ValueError, match="curve sm2"):
        E.PrivateKey.from_pem(sm2_key.to_pem())
    with pytest.raises(ValueError, match="curve sm2"):
        E.PublicKey.from_der(sm2_key.public_key.to_der())
    with pytest.raises(ValueError, match="curve p256"):
        S.PrivateKey.from_der(p256_key.to_der())
    with pytest.raises(ValueError, match="curve p256"):
        S.PublicKey.from_pem(p256_key.public_key.to_pem())
    with pytest.raises(ValueError, match="curve p256, expected secp256k1"):
        E.PrivateKey.from_pem(p256_key.to_pem(), curve="secp256k1")
    p384 = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(ValueError, match="unsupported curve"):
        E.PublicKey.from_der(
            p384.public_key().public_bytes(DER, ser.PublicFormat.SubjectPublicKeyInfo)
        )
    with pytest.raises(ValueError, match="unsupported curve"):
        E.PrivateKey.from_der(p384.private_bytes(DER, ser.PrivateFormat.PKCS8, ser.NoEncryption()))


def test_encrypted_keys_refused(curve: str) -> None:
    key = theirs(curve)
    enc = ser.BestAvailableEncryption(b"pw")
    for fmt in (ser.PrivateFormat.PKCS8, ser.PrivateFormat.TraditionalOpenSSL):
        with pytest.raises(ValueError, match="encrypted"):
            E.PrivateKey.from_pem(key.private_bytes(PEM, fmt, enc))
    with pytest.raises(ValueError, match="encrypted"):
        E.PrivateKey.from_der(key.private_bytes(DER, ser.PrivateFormat.PKCS8, enc))
    # a public key has the same two-element shape, and is named for what it is
    spki = key.public_key().public_bytes(DER, ser.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(ValueError, match="a public key"):
        E.PrivateKey.from_der(spki)


@pytest.mark.parametrize("name", ["sm2", "secp256k1", "p256"])
def test_private_key_range(name: str) -> None:
    def make(d: int) -> object:
        raw = d.to_bytes(32, "big")
        return S.PrivateKey.from_bytes(raw) if name == "sm2" else E.PrivateKey.from_bytes(raw, name)

    top = N[name] - 2 if name == "sm2" else N[name] - 1  # SM2: d <= n-2
    make(1)
    make(top)
    for d in (0, top + 1, N[name], 2**256 - 1):
        with pytest.raises(ValueError, match="private key out of range") as info:
            make(d)
        assert f"{d:064x}" not in str(info.value)
    with pytest.raises(ValueError, match="32-byte"):
        E.PrivateKey.from_bytes(b"\1" * 31, name) if name != "sm2" else S.PrivateKey.from_bytes(
            b"\1" * 33
        )


def test_bad_public_keys(curve: str) -> None:
    pub = E.PrivateKey.generate(curve).public_key
    raw = pub.to_bytes("raw")
    with pytest.raises(ValueError, match="expected 65"):
        E.PublicKey.from_bytes(raw[:-1], curve)
    with pytest.raises(ValueError, match="not a valid point"):
        E.PublicKey.from_bytes(raw[:32] + bytes(32), curve)
    with pytest.raises(ValueError, match="not a valid point"):
        E.PublicKey.from_bytes(b"\x05" + raw[:32], curve)
    with pytest.raises(ValueError, match="not a valid point"):
        E.PublicKey.from_bytes(b"\x04" + bytes(64), curve)
    with pytest.raises(TypeError, match="data"):
        E.PublicKey.from_bytes(raw.hex(), curve)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="malformed SubjectPublicKeyInfo"):
        E.PublicKey.from_der(b"\x30\x03\x02\x01\x01")
    with pytest.raises(ValueError, match="PEM"):
        E.PublicKey.from_pem(b"not pem")
    with pytest.raises(ValueError, match="PUBLIC KEY"):
        E.PublicKey.from_pem(E.PrivateKey.generate(curve).to_pem())
    with pytest.raises(ValueError, match="format"):
        pub.to_bytes("hybrid")


def test_mismatched_embedded_public_key(curve: str) -> None:
    a, b = theirs(curve), theirs(curve)
    der_a = a.private_bytes(DER, ser.PrivateFormat.TraditionalOpenSSL, ser.NoEncryption())
    pub_a = a.public_key().public_bytes(ser.Encoding.X962, ser.PublicFormat.UncompressedPoint)
    pub_b = b.public_key().public_bytes(ser.Encoding.X962, ser.PublicFormat.UncompressedPoint)
    assert pub_a in der_a
    with pytest.raises(ValueError, match="does not match"):
        E.PrivateKey.from_der(der_a.replace(pub_a, pub_b))


def test_private_key_secrecy() -> None:
    for key in (S.PrivateKey.generate(), E.PrivateKey.generate("secp256k1")):
        secret = key.to_bytes().hex()
        for text in (repr(key), str(key), f"{key}"):
            assert secret not in text.lower()
            assert key.public_key.to_bytes("compressed").hex() in text
        same = type(key).from_bytes(key.to_bytes(), key.curve)
        assert same == key and hash(same) == hash(key)
        assert key != type(key).generate(*(() if key.curve == "sm2" else (key.curve,)))
        with pytest.raises(TypeError, match="picklable"):
            pickle.dumps(key)
    assert S.PrivateKey.from_bytes(b"\1" * 32) != E.PrivateKey.from_bytes(b"\1" * 32, "p256")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl CLI")
@pytest.mark.parametrize(("name", "ossl"), [("secp256k1", "secp256k1"), ("p256", "prime256v1")])
def test_openssl_ecparam_genkey(tmp_path: Path, name: str, ossl: str) -> None:
    """`openssl ecparam -genkey` writes an EC PARAMETERS block before the key: skipped."""
    out = subprocess.run(["openssl", "ecparam", "-name", ossl, "-genkey"], capture_output=True)
    assert out.returncode == 0
    assert out.stdout.startswith(b"-----BEGIN EC PARAMETERS-----")
    key = E.PrivateKey.from_pem(out.stdout)
    assert key.curve == name
    (tmp_path / "k.pem").write_bytes(out.stdout)
    pub = subprocess.run(
        ["openssl", "ec", "-in", str(tmp_path / "k.pem"), "-pubout"], capture_output=True
    ).stdout
    assert E.PublicKey.from_pem(pub) == key.public_key
