"""The C backend on 64-bit architectures other than this host's: 64-bit ARM (aarch64), RISC-V
(riscv64), little-endian POWER (ppc64le) and the big-endian s390x, where only the portable C
runs (no x86 SIMD, no assembly).

``csrc/tests/replay.c`` replays calls of the C interface from text. It is built natively and
with each cross compiler (statically, so that qemu-user needs no target libraries), and fed one
corpus of hashing, Merkle, key derivation and parsing, signing, verification and recovery
calls; the cross builds run under qemu-user.
Lines whose answer an oracle gives (hashlib, OpenSSL's SM3 and ECDSA through cryptography,
libsecp256k1 through coincurve, gmssl, asn1crypto, the Merkle definitions written out below)
must match it on the native build, and every line of every cross build must equal the native
build's (which the rest of the suite checks against the oracles through the Python API).

Without the toolchains (Debian: gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu
gcc-powerpc64le-linux-gnu gcc-s390x-linux-gnu qemu-user) the tests skip; with
CHAINCRYPTO_REQUIRE_CROSS=1 (set by .ci/run, which installs them) they fail instead.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import coincurve
import pytest
from asn1crypto.algos import DSASignature
from conftest import openssl_sm3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ROOT = Path(__file__).resolve().parents[1]
CSRC = ROOT / "csrc"
TARGETS = {
    "aarch64": "aarch64-linux-gnu-gcc",
    "s390x": "s390x-linux-gnu-gcc",
    "riscv64": "riscv64-linux-gnu-gcc",
    "ppc64le": "powerpc64le-linux-gnu-gcc",
}
REQUIRED = os.environ.get("CHAINCRYPTO_REQUIRE_CROSS") == "1"

OK, INVALID = 0, -4
SM2, K1, P256 = 0, 1, 2
SM3, SHA256 = 0, 1
ORDER = {
    SM2: 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
    K1: 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
    P256: 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
}
OPENSSL_CURVE = {K1: ec.SECP256K1(), P256: ec.SECP256R1()}
HASH = {SM3: openssl_sm3, SHA256: lambda b: hashlib.sha256(b).digest()}

# A call, and what an oracle says of its output: the whole line, a check of its fields (the
# status first), or None where only the native build's answer stands for it.
Check = str | Callable[[list[str]], None] | None
Line = tuple[str, Check]


def _hex(b: bytes) -> str:
    return b.hex() if b else "-"


def _offsets(items: list[bytes]) -> str:
    at = [0]
    for item in items:
        at.append(at[-1] + len(item))
    return ",".join(map(str, at))


def _b32(x: int) -> bytes:
    return x.to_bytes(32, "big")


# --- the corpus --------------------------------------------------------------------------------


def _hash_lines(rng: random.Random) -> list[Line]:
    lines: list[Line] = []
    lengths = [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 128, 1000]
    for alg, h in HASH.items():
        for n in lengths:
            m = rng.randbytes(n)
            lines.append((f"hash {alg} {_hex(m)}", f"0 {h(m).hex()} {h(m).hex()}"))
        msgs = [rng.randbytes(rng.randrange(0, 200)) for _ in range(40)]
        want = "".join(h(m).hex() for m in msgs)
        for path in (0, 1):  # CC_PATH_AUTO, CC_PATH_PORTABLE
            lines.append(
                (f"hashv {alg} {path} {_hex(b''.join(msgs))} {_offsets(msgs)}", f"0 {want}")
            )
        fixed = [rng.randbytes(64) for _ in range(33)]
        want = "".join(h(m).hex() for m in fixed)
        lines.append((f"hashf {alg} 0 64 {_hex(b''.join(fixed))}", f"0 {want}"))
    return lines


def _dup_last_root(leaves: list[bytes], h: Callable[[bytes], bytes]) -> tuple[bytes, bool]:
    """Bitcoin's ComputeMerkleRoot: an odd level pairs its last node with itself; mutated when
    two real siblings are equal."""
    mutated = False
    while len(leaves) > 1:
        mutated |= any(leaves[i] == leaves[i + 1] for i in range(0, len(leaves) - 1, 2))
        if len(leaves) % 2:
            leaves = [*leaves, leaves[-1]]
        leaves = [h(leaves[i] + leaves[i + 1]) for i in range(0, len(leaves), 2)]
    return leaves[0], mutated


def _mth(items: list[bytes], h: Callable[[bytes], bytes]) -> bytes:
    """RFC 6962 section 2.1's Merkle tree hash."""
    if len(items) == 1:
        return h(b"\0" + items[0])
    k = 1 << ((len(items) - 1).bit_length() - 1)
    return h(b"\1" + _mth(items[:k], h) + _mth(items[k:], h))


def _merkle_lines(rng: random.Random) -> list[Line]:
    lines: list[Line] = []
    double = lambda b: hashlib.sha256(hashlib.sha256(b).digest()).digest()  # noqa: E731
    for n in (1, 2, 3, 7, 40):
        leaves = [rng.randbytes(32) for _ in range(n)]
        if n == 7:
            leaves[4] = leaves[5]  # a mutated tree (CVE-2012-2459)
        levels = (n - 1).bit_length()
        for scheme, alg, h in ((0, SM3, HASH[SM3]), (0, SHA256, HASH[SHA256]), (1, SHA256, double)):
            root, mutated = _dup_last_root(leaves, h)
            line = f"merkle {scheme} {alg} {levels} {_hex(b''.join(leaves))}"
            lines.append((line, f"0 {root.hex()} {int(mutated):02x}"))
        lines.append((f"merkle 0 0 1 {_hex(b''.join(leaves))}", None))  # one level only
        items = [rng.randbytes(rng.randrange(0, 80)) for _ in range(n)]
        for alg, h in HASH.items():
            line = f"rfc6962 {alg} {levels} {_hex(b''.join(items))} {_offsets(items)}"
            lines.append((line, f"0 {_mth(items, h).hex()}"))
    return lines


def _oracle_xy(curve: int, d: int) -> bytes:
    """X || Y of d G by OpenSSL (ECDSA curves) or gmssl (SM2)."""
    if curve == SM2:
        from gmssl import sm2 as gm

        g = gm.CryptSM2(private_key=_b32(d).hex(), public_key="")
        return bytes.fromhex(g._kg(d, g.ecc_table["g"]))
    pub = ec.derive_private_key(d, OPENSSL_CURVE[curve]).public_key().public_numbers()
    return _b32(pub.x) + _b32(pub.y)


def _key_lines(rng: random.Random) -> list[Line]:
    lines: list[Line] = []
    for curve, n in ORDER.items():
        top = n - 2 if curve == SM2 else n - 1
        good = [1, 2, top, *(rng.randrange(1, top) for _ in range(17))]
        secrets = [*good, 0, top + 1, 2**256 - 1]
        pubs = b"".join(_oracle_xy(curve, d) for d in good) + bytes(64 * 3)
        oks = bytes([1] * len(good) + [0] * 3)
        line = f"pubkey {curve} {_hex(b''.join(map(_b32, secrets)))}"
        lines.append((line, f"0 {pubs.hex()} {oks.hex()}"))
    for curve in OPENSSL_CURVE:
        xys = [_oracle_xy(curve, rng.randrange(1, ORDER[curve])) for _ in range(6)]
        forms = [
            *(bytes([2 + xy[63] % 2]) + xy[:32] for xy in xys[:3]),  # compressed: a square root
            *(b"\4" + xy for xy in xys[3:5]),
            xys[5],
            b"\4" + xys[5][:63] + bytes([xys[5][63] ^ 1]),  # off the curve
            b"\2" + b"\xff" * 32,  # x >= p
        ]
        want = b"".join(xys) + bytes(128)
        line = f"parse {curve} {_hex(b''.join(forms))} {_offsets(forms)}"
        lines.append((line, f"0 {want.hex()} {(bytes([1] * 6) + bytes(2)).hex()}"))
    return lines


def _der(r: int, s: int) -> bytes:
    return DSASignature({"r": r, "s": s}).dump()


def _der_lines(rng: random.Random) -> list[Line]:
    pairs = [(rng.randrange(1, 2**256), rng.randrange(1, 2**256)) for _ in range(6)]
    pairs += [(1, 2**255), (127, 128)]
    good = [_der(r, s) for r, s in pairs]
    bad = [good[0] + b"\0", b"\x30\x81" + good[1][1:], _der(-5, 7), b"", b"\x30\x00"]
    items = good + bad

    def check(fields: list[str]) -> None:
        """asn1crypto's values parsed, zeros and 0 for the malformed, the good ones encoded
        back to the same bytes."""
        rc, r, s, ok, enc, lens = fields
        k = len(good)
        assert rc == "0"
        assert r == (b"".join(_b32(x) for x, _ in pairs) + bytes(32 * len(bad))).hex()
        assert s == (b"".join(_b32(y) for _, y in pairs) + bytes(32 * len(bad))).hex()
        assert ok == bytes([1] * k + [0] * len(bad)).hex()
        assert enc[: 144 * k] == b"".join(g.ljust(72, b"\0") for g in good).hex()
        assert lens[: 2 * k] == bytes(len(g) for g in good).hex()

    return [(f"der {_hex(b''.join(items))} {_offsets(items)}", check)]


def _ecdsa_lines(rng: random.Random) -> list[Line]:
    """OpenSSL's signatures verify (also with s and n - s swapped, unless low-S is asked for),
    altered digests do not, alone and in a batch; our signatures: the native build's bytes."""
    lines: list[Line] = []
    for curve, named in OPENSSL_CURVE.items():
        n = ORDER[curve]
        batch = []
        for i in range(8):
            d = rng.randrange(1, n)
            xy = _oracle_xy(curve, d).hex()
            msg = rng.randbytes(rng.randrange(1, 100))
            e = hashlib.sha256(msg).digest()
            sig = ec.derive_private_key(d, named).sign(msg, ec.ECDSA(hashes.SHA256()))
            r, s = decode_dss_signature(sig)
            high = _der(r, max(s, n - s)).hex()
            bad_e = bytes([e[0] ^ 1]) + e[1:]
            lines += [
                (f"verify {curve} {xy} {e.hex()} {_der(r, s).hex()} 2", f"{OK}"),
                (f"verify {curve} {xy} {e.hex()} {high} 3", f"{INVALID}"),
                (f"verify {curve} {xy} {e.hex()} {high} 2", f"{OK}"),
                (f"verify {curve} {xy} {bad_e.hex()} {(_b32(r) + _b32(s)).hex()} 0", f"{INVALID}"),
                (f"sign {curve} {_b32(d).hex()} {e.hex()} - 1", None),
                (f"sign {curve} {_b32(d).hex()} {e.hex()} {rng.randbytes(32).hex()} 2", None),
            ]
            batch.append((bytes.fromhex(xy), e if i % 3 else bad_e, _b32(r), _b32(s), i % 3 != 0))
        lines.append(_verify_batch_line(curve, batch))
        secrets = b"".join(_b32(rng.randrange(1, n)) for _ in range(7)) + bytes(32)
        digests = rng.randbytes(32 * 8)
        lines.append((f"signb {curve} {secrets.hex()} {digests.hex()} -", None))
        lines.append(
            (f"signb {curve} {secrets.hex()} {digests.hex()} {rng.randbytes(256).hex()}", None)
        )
    return lines


def _verify_batch_line(curve: int, batch: list[tuple[bytes, bytes, bytes, bytes, bool]]) -> Line:
    cols = [b"".join(col).hex() for col in zip(*(row[:4] for row in batch), strict=True)]
    want = bytes(int(row[4]) for row in batch).hex()
    return (f"verifyb {curve} {' '.join(cols)} 0", f"0 {want}")


def _recover_lines(rng: random.Random) -> list[Line]:
    """libsecp256k1's recoverable signatures give back its keys, alone and in a batch."""
    lines: list[Line] = []
    rows = []
    for _ in range(8):
        key = coincurve.PrivateKey(rng.randbytes(32))
        msg = rng.randbytes(40)
        sig = key.sign_recoverable(msg)  # r || s || recid over SHA-256(msg)
        e = hashlib.sha256(msg).digest()
        xy = key.public_key.format(compressed=False)[1:]
        lines.append((f"recover {K1} {e.hex()} {sig.hex()}", f"0 {xy.hex()}"))
        rows.append([e, sig[:32], sig[32:64], sig[64:], xy])
    rows[-1][3:] = [b"\4", bytes(64)]  # no such recovery id
    cols = [b"".join(col).hex() for col in zip(*(row[:4] for row in rows), strict=True)]
    pubs, oks = b"".join(row[4] for row in rows).hex(), bytes([1] * 7 + [0]).hex()
    lines.append((f"recoverb {K1} {' '.join(cols)}", f"0 {pubs} {oks}"))
    # P-256: OpenSSL's signature gives no recovery id; of ids 0 and 1, one gives its key back
    d = rng.randrange(1, ORDER[P256])
    msg = rng.randbytes(40)
    e = hashlib.sha256(msg).digest()
    sig = ec.derive_private_key(d, OPENSSL_CURVE[P256]).sign(msg, ec.ECDSA(hashes.SHA256()))
    r, s = (_b32(x).hex() for x in decode_dss_signature(sig))
    xy = _oracle_xy(P256, d).hex()

    def one_of_two(fields: list[str]) -> None:
        rc, pubs, _ = fields
        assert rc == "0"
        assert [pubs[:128], pubs[128:]].count(xy) == 1

    lines.append((f"recoverb {P256} {e.hex() * 2} {r * 2} {s * 2} 0001", one_of_two))
    return lines


def _sm2_lines(rng: random.Random) -> list[Line]:
    """Z_A by the standard's formula with OpenSSL's SM3; gmssl's signatures verify, with an
    altered digest they do not; our signatures: the native build's bytes."""
    from gmssl import sm2 as gm

    p = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
    b = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
    gx = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
    gy = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0
    params = b"".join(map(_b32, (p - 3, b, gx, gy)))
    lines: list[Line] = []
    batch = []
    for i in range(6):
        d = rng.randrange(1, ORDER[SM2] - 1)
        xy = _oracle_xy(SM2, d)
        uid = rng.randbytes((0, 16, 100)[i % 3])
        za = openssl_sm3((8 * len(uid)).to_bytes(2, "big") + uid + params + xy)
        lines.append((f"za {xy.hex()} {_hex(uid)}", f"0 {za.hex()}"))
        if i < 2:  # gmssl hashes Z_A with the default ID
            msg = rng.randbytes(30)
            za = openssl_sm3(b"\0\x80" + b"1234567812345678" + params + xy)
            e = openssl_sm3(za + msg)
            g = gm.CryptSM2(private_key=_b32(d).hex(), public_key=xy.hex())
            sig = bytes.fromhex(g.sign_with_sm3(msg, rng.randbytes(32).hex()))
            lines.append((f"verify {SM2} {xy.hex()} {e.hex()} {sig.hex()} 0", f"{OK}"))
            lines.append((f"verify {SM2} {xy.hex()} {e[::-1].hex()} {sig.hex()} 0", f"{INVALID}"))
            batch += [(xy, e, sig[:32], sig[32:], True), (xy, e[::-1], sig[:32], sig[32:], False)]
        e = rng.randbytes(32)
        lines.append((f"sign {SM2} {_b32(d).hex()} {e.hex()} - 0", None))
        lines.append((f"sign {SM2} {_b32(d).hex()} {e.hex()} {rng.randbytes(32).hex()} 1", None))
    lines.append(_verify_batch_line(SM2, batch))
    secrets = b"".join(_b32(rng.randrange(1, ORDER[SM2] - 1)) for _ in range(7))
    secrets += _b32(ORDER[SM2] - 1)  # SM2 refuses d = n - 1
    lines.append((f"signb {SM2} {secrets.hex()} {rng.randbytes(256).hex()} -", None))
    return lines


def corpus(seed: int = 2026) -> list[Line]:
    """Every line the builds replay, reproducible from the seed."""
    rng = random.Random(seed)
    makers = (
        _hash_lines,
        _merkle_lines,
        _key_lines,
        _der_lines,
        _ecdsa_lines,
        _recover_lines,
        _sm2_lines,
    )
    return [line for make in makers for line in make(rng)]


# --- building and running ---------------------------------------------------------------------


def _sources() -> list[str]:
    """The C backend's sources, as the cffi build takes them, and the replay driver."""
    lib = sorted(p for p in CSRC.rglob("*.c") if "tests" not in p.parts)
    return [*map(str, lib), str(CSRC / "tests" / "replay.c")]


def _build(compiler: str, exe: Path, *extra: str) -> None:
    cmd = [
        compiler,
        "-std=c11",
        "-O2",
        "-Wall",
        "-Wextra",
        "-Werror",
        f"-I{CSRC}",
        f"-I{CSRC / 'include'}",
        *extra,
        *_sources(),
        "-o",
        str(exe),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{compiler}: {done.stderr[-3000:]}"


def _replay(cmd: list[str], lines: list[Line]) -> list[str]:
    text = "".join(call + "\n" for call, _ in lines)
    done = subprocess.run(cmd, input=text, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout.splitlines()
    assert len(out) == len(lines), done.stderr[-2000:]
    return out


def _missing(arch: str) -> str | None:
    tools = [TARGETS[arch], f"qemu-{arch}"]
    absent = [t for t in tools if shutil.which(t) is None]
    return f"needs {' and '.join(absent)}" if absent else None


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The replay driver built natively and for every target whose toolchain is here, at
    once (about 10 s a build)."""
    if shutil.which("gcc") is None:
        pytest.skip("needs gcc")
    where = tmp_path_factory.mktemp("replay")
    jobs = {"native": ("gcc", ())}
    for arch, compiler in TARGETS.items():
        if _missing(arch) is None:
            jobs[arch] = (compiler, ("-static",))  # qemu-user then needs no target sysroot
    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = [
            pool.submit(_build, cc, where / name, *extra) for name, (cc, extra) in jobs.items()
        ]
        for f in futures:
            f.result()
    return {name: where / name for name in jobs}


@pytest.fixture(scope="module")
def lines() -> list[Line]:
    return corpus()


@pytest.fixture(scope="module")
def native(builds: dict[str, Path], lines: list[Line]) -> list[str]:
    return _replay([str(builds["native"])], lines)


def test_the_native_build_answers_as_the_oracles(native: list[str], lines: list[Line]) -> None:
    checked = 0
    for got, (call, want) in zip(native, lines, strict=True):
        if isinstance(want, str):
            assert got == want, call[:60]
            checked += 1
        elif want is not None:
            want(got.split(" "))
            checked += 1
        else:
            assert got.split(" ")[0] == "0", call[:60]  # no oracle, but the call went through
    assert checked > len(lines) // 2


@pytest.mark.parametrize("arch", sorted(TARGETS))
def test_other_architectures_answer_as_this_one(
    arch: str, builds: dict[str, Path], native: list[str], lines: list[Line]
) -> None:
    missing = _missing(arch)
    if missing is not None:
        if REQUIRED:
            pytest.fail(f"CHAINCRYPTO_REQUIRE_CROSS=1 but {arch} {missing}")
        pytest.skip(missing)
    got = _replay([f"qemu-{arch}", str(builds[arch])], lines)
    for theirs, ours, (call, _) in zip(got, native, lines, strict=True):
        assert theirs == ours, f"{arch}: {call[:60]}"
