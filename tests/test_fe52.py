"""The AVX-512 IFMA lanes' field arithmetic (csrc/ec/fe52_ifma.h) against Python integers:
csrc/ec/tests/fe52check.c runs every operation on random and extreme operands over the whole
stored domain (normalized limbs, value below 2^257) and prints operands and results; each result
must be right mod p and stay in the domain, so that no chain of operations can overflow."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from chaincrypto._cpu import lib
from test_ec_c import K1, P256, SM2, P

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "csrc" / "ec" / "tests"
NAMES = {SM2: "sm2", K1: "secp256k1", P256: "p256"}
MASK52 = 2**52 - 1

pytestmark = pytest.mark.skipif(
    not (lib.cc_ec_paths() >> lib.CC_EC_PATH_IFMA) & 1 or shutil.which("gcc") is None,
    reason="needs a CPU with AVX-512 IFMA and gcc",
)


def value(limbs: list[int]) -> int:
    return sum(v << (52 * i) for i, v in enumerate(limbs))


def stored(limbs: list[int]) -> bool:
    """Normalized limbs and a value below 2^257: the invariant of every stored element."""
    return all(0 <= v <= MASK52 for v in limbs[:4]) and 0 <= limbs[4] < 2**49


def expected(op: str, a: int, b: int | None, rinv: int) -> int:
    """What op gives, up to multiples of p (Montgomery products carry 2^-260)."""
    if op in ("mul", "sqr"):
        return a * (a if b is None else b) * rinv
    if op == "add":
        return a + (b or 0)
    if op == "sub":
        return a - (b or 0)
    factor = {"shl1": 2, "shl2": 4, "shl3": 8, "mul3": 3, "canon": 1}
    return factor[op] * a


@pytest.mark.parametrize("curve", [SM2, K1, P256], ids=["sm2", "secp256k1", "p256"])
def test_fe52_against_integers(curve, tmp_path):
    name, p = NAMES[curve], P[curve]
    exe = tmp_path / "fe52check"
    subprocess.run(
        ["gcc", "-std=c11", "-O2", "-I../..", "-I../../include", f"-DCURVE={name}",
         "fe52check.c", f"../curve_{name}.c", "-o", str(exe)],
        cwd=TESTS, check=True,
    )  # fmt: skip
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    rinv = pow(2**260, -1, p)
    seen: dict[str, int] = {}
    for line in out.splitlines():
        op, *f = line.split()
        seen[op] = seen.get(op, 0) + 1
        if op == "convert":
            x = int("".join(f[:4]), 16)  # the scalar code's form, x R^-1 with R = 2^256
            lanes = [int(v, 16) for v in f[4:9]]
            back = int("".join(f[9:13]), 16)
            assert stored(lanes) and value(lanes) % p == 16 * x % p
            assert back == x
            continue
        if op == "iszero":
            a, z = [int(v, 16) for v in f[:5]], int(f[5])
            assert z == (value(a) % p == 0)
            continue
        v = [int(x, 16) for x in f]
        a = value(v[:5])
        if op in ("mul", "add", "sub"):
            b, r = value(v[5:10]), v[10:15]
        else:
            b, r = None, v[5:10]
        assert stored(v[:5]) and (b is None or stored(v[5:10]))
        want = expected(op, a, b, rinv)
        assert stored(r), (op, line)
        assert value(r) % p == want % p, (op, line)
        if op == "canon":
            assert value(r) < p
    assert seen["mul"] == seen["sub"] == seen["iszero"] == 400 * 16 and seen["convert"] == 50 * 16
