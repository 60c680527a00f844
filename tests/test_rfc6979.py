"""RFC 6979 nonces, which the C backend draws for 16 rows at once (their HMAC compressions in the
lanes of the multi-buffer hash kernels): the signatures equal pycryptodome's deterministic P-256
ECDSA and libsecp256k1's (coincurve) with and without section 3.6's additional data, and the
nonces, and the candidates after a refused one, equal the RFC's construction written out with
Python's hmac over hashlib (OpenSSL's SM3 and SHA-256), for HMAC-SM3 (SM2) and HMAC-SHA256,
whatever the batch size."""

import hashlib
import hmac
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from chaincrypto._cpu import ffi, lib
from test_ec_c import K1, P256, SM2, N, b32, buf, der_encode, ecdsa_sign, rnd32, rnd_key

CURVES = [SM2, K1, P256]
IDS = ["sm2", "secp256k1", "p256"]


def rfc6979_candidates(x: bytes, h1: bytes, hash_name: str, extra: bytes | None, count: int):
    """Section 3.2 step h: the first candidate, then for each refused one K = HMAC_K(V || 0x00),
    V = HMAC_K(V) and the next."""
    data = x + h1 + (extra or b"")
    v, k = b"\x01" * 32, b"\x00" * 32
    for sep in (b"\x00", b"\x01"):
        k = hmac.new(k, v + sep + data, hash_name).digest()
        v = hmac.new(k, v, hash_name).digest()
    out = []
    for i in range(count):
        if i:
            k = hmac.new(k, v + b"\x00", hash_name).digest()
            v = hmac.new(k, v, hash_name).digest()
        v = hmac.new(k, v, hash_name).digest()
        out.append(v)
    return out


def nonces(curve, sks, es, extras):
    n = len(sks)
    k, ok = buf(32 * n), buf(n)
    ex = b"".join(extras) if extras is not None else ffi.NULL
    rc = lib.cc_ec_nonce_batch(curve, b"".join(sks), b"".join(es), ex, n, k, ok)
    assert rc == lib.CC_OK
    return [bytes(k[32 * i : 32 * i + 32]) for i in range(n)], list(ok)


def keys_with_invalid(curve, count):
    sks = [rnd_key(curve) for _ in range(count)]
    for at, bad in ((2, 0), (17, N[curve]), (18, 2**256 - 1)):
        if at < count:
            sks[at] = b32(bad)
    return sks


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
@pytest.mark.parametrize("hedged", [False, True], ids=["deterministic", "extra"])
def test_nonces_match_the_rfc(curve, hedged):
    hash_name = "sm3" if curve == SM2 else "sha256"
    sks = keys_with_invalid(curve, 37)  # groups of 16, 16, 5
    es = [rnd32() for _ in sks]
    es[5] = b32(N[curve] + 5)  # h1 is e reduced mod n
    extras = [rnd32() for _ in sks] if hedged else None
    for rows in (slice(0, 37), slice(0, 1), slice(16, 19)):
        ex = extras[rows] if extras else None
        got, ok = nonces(curve, sks[rows], es[rows], ex)
        for i, (sk, e) in enumerate(zip(sks[rows], es[rows], strict=True)):
            valid = 0 < int.from_bytes(sk, "big") < N[curve]
            assert ok[i] == valid
            h1 = b32(int.from_bytes(e, "big") % N[curve])
            want = rfc6979_candidates(sk, h1, hash_name, ex[i] if ex else None, 1)[0]
            assert got[i] == want  # an invalid key's row too (the GPU's draws equal these)


@pytest.mark.skipif(
    "libasan" in os.environ.get("LD_PRELOAD", ""),
    reason="pycryptodome dlopens with RTLD_DEEPBIND, which AddressSanitizer refuses (.ci/sanitize)",
)
def test_p256_matches_pycryptodome():
    from Crypto.Hash import SHA256
    from Crypto.PublicKey import ECC
    from Crypto.Signature import DSS

    sks = keys_with_invalid(P256, 37)
    msgs = [rnd32() + bytes([i]) for i in range(len(sks))]
    es = [hashlib.sha256(m).digest() for m in msgs]
    sigs = ecdsa_sign(P256, sks, es)
    for sk, m, (r, s, _, ok) in zip(sks, msgs, sigs, strict=True):
        d = int.from_bytes(sk, "big")
        if not 0 < d < N[P256]:
            assert (ok, r, s) == (0, bytes(32), bytes(32))
            continue
        key = ECC.construct(curve="P-256", d=d)
        want = DSS.new(key, "deterministic-rfc6979").sign(SHA256.new(m))
        assert ok and r + s == want


def test_secp256k1_extra_matches_libsecp256k1():
    """libsecp256k1's secp256k1_nonce_function_rfc6979 takes 32 bytes of extra data as RFC 6979
    section 3.6 does (appended to x || h1); its signatures are low-S, as ours are."""
    import coincurve
    from coincurve._libsecp256k1 import ffi as cffi_
    from coincurve._libsecp256k1 import lib as clib

    sks = [rnd_key(K1) for _ in range(21)]
    es, extras = [rnd32() for _ in sks], [rnd32() for _ in sks]
    sigs = ecdsa_sign(K1, sks, es, extras)
    for sk, e, extra, (r, s, _, ok) in zip(sks, es, extras, sigs, strict=True):
        nonce = (clib.secp256k1_nonce_function_rfc6979, cffi_.new("unsigned char[32]", extra))
        der = coincurve.PrivateKey(sk).sign(e, hasher=None, custom_nonce=nonce)
        assert ok and der == der_encode(r, s)


@pytest.fixture(scope="module")
def rfc6979check(tmp_path_factory) -> Path:
    """csrc/ec/tests/rfc6979check.c, built once."""
    if shutil.which("gcc") is None:
        pytest.skip("needs gcc")
    csrc = Path(__file__).resolve().parents[1] / "csrc"
    exe = tmp_path_factory.mktemp("rfc6979") / "rfc6979check"
    sources = ["ec/tests/rfc6979check.c", "ec/rfc6979.c", "cpu.c"]
    sources += sorted(str(p.relative_to(csrc)) for p in (csrc / "hash").glob("*.c"))
    cmd = ["gcc", "-std=c11", "-O2", "-I.", "-Iinclude", *sources, "-o", str(exe)]
    subprocess.run(cmd, cwd=csrc, check=True)
    return exe


@pytest.mark.parametrize("alg", [0, 1], ids=["hmac-sm3", "hmac-sha256"])
@pytest.mark.parametrize("hedged", [False, True], ids=["deterministic", "extra"])
def test_retries_match_the_rfc(alg, hedged, rfc6979check):
    """The retry step (a refused candidate, about 2^-32 per SM2 or P-256 signature, never met by
    the suites above), through csrc/ec/tests/rfc6979check.c: three candidates a row, rows in
    groups of 16 with a partial one."""
    rows = [(rnd32(), rnd32(), rnd32() if hedged else None) for _ in range(21)]
    stdin = "".join(f"{alg} {x.hex()} {h.hex()} {e.hex() if e else '-'}\n" for x, h, e in rows)
    out = subprocess.run(
        [str(rfc6979check)], input=stdin, capture_output=True, text=True, check=True
    )
    lines = out.stdout.splitlines()
    assert len(lines) == len(rows)
    name = "sm3" if alg == 0 else "sha256"
    for line, (x, h1, extra) in zip(lines, rows, strict=True):
        want = [c.hex() for c in rfc6979_candidates(x, h1, name, extra, 3)]
        assert line.split() == want
