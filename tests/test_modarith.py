"""Modular arithmetic in the C curve code against Python integers: csrc/ec/tests/modcheck.c
prints, for the field and the scalar modulus of each curve, operands (the edges and random
values) with their constant-time inverse (safegcd.h, Bernstein-Yang divsteps), their
variable-time inverse, product, square, sum, difference, half and negation, each of which must be
right mod M (inverses 0 for 0). Built as the baseline code, the portable C code (-DCC_EC_NO_ASM)
and, where the CPU has BMI2/ADX, the ADX code: the products, the sums and the Montgomery
conversions around the inversions differ between them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from chaincrypto._cpu import lib
from test_ec_c import K1, P256, SM2, N, P

TESTS = Path(__file__).resolve().parents[1] / "csrc" / "ec" / "tests"
NAMES = {SM2: "sm2", K1: "secp256k1", P256: "p256"}
BUILDS = {"base": [], "portable": ["-DCC_EC_NO_ASM"], "adx": ["-DCC_EC_ADX=1"]}

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")


@pytest.mark.parametrize("build", sorted(BUILDS))
@pytest.mark.parametrize("curve", [SM2, K1, P256], ids=["sm2", "secp256k1", "p256"])
def test_modular_arithmetic_against_integers(curve: int, build: str, tmp_path: Path) -> None:
    if build == "adx" and not (lib.cc_ec_paths() >> lib.CC_EC_PATH_ADX) & 1:
        pytest.skip("this CPU has no BMI2/ADX")
    name = NAMES[curve]
    exe = tmp_path / "modcheck"
    subprocess.run(
        ["gcc", "-std=c11", "-O2", "-I../..", "-I../../include", f"-DCURVE={name}",
         *BUILDS[build], "modcheck.c", "-o", str(exe)],
        cwd=TESTS, check=True,
    )  # fmt: skip
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    modulus = {"fe": P[curve], "sc": N[curve]}
    seen = {"fe": set(), "sc": set()}
    for line in out.splitlines():
        tag, *fields = line.split()
        a, b, ct, var, mul, sqr, add, sub, half, neg = (int(x, 16) for x in fields)
        m = modulus[tag]
        assert a < m and b < m
        want = pow(a, -1, m) if a else 0
        assert ct == want, f"{tag} inverse of {a:#x}"
        assert var == want, f"{tag} variable-time inverse of {a:#x}"
        assert mul == a * b % m, f"{tag} {a:#x} * {b:#x}"
        assert sqr == a * a % m, f"{tag} {a:#x}^2"
        assert add == (a + b) % m, f"{tag} {a:#x} + {b:#x}"
        assert sub == (a - b) % m, f"{tag} {a:#x} - {b:#x}"
        assert half == a * pow(2, -1, m) % m, f"{tag} {a:#x} / 2"
        assert neg == -a % m, f"{tag} -{a:#x}"
        seen[tag].add(a)
    for tag, m in modulus.items():  # the edges were all there
        assert {0, 1, 2, m - 1, m - 2, (m + 1) // 2, 2**255 % m} <= seen[tag]
        assert len(seen[tag]) > 2500
