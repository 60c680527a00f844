"""No private key, nonce or chosen comb-table entry is left on the dead stack after key
derivation and signing (csrc/ec/tests/residue.c, on every build this CPU runs). A table entry
would give away one digit of the key or nonce; a few known bits of many nonces are enough for
a lattice attack. Built the way the extension is (-O3, every source)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from chaincrypto._cpu import lib

CSRC = Path(__file__).resolve().parents[1] / "csrc"
BUILDS = {"base": lib.CC_EC_PATH_BASE, "adx": lib.CC_EC_PATH_ADX, "ifma": lib.CC_EC_PATH_IFMA}

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")


@pytest.fixture(scope="module")
def residue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    exe = tmp_path_factory.mktemp("residue") / "residue"
    sources = sorted(str(p) for p in CSRC.rglob("*.c") if "tests" not in p.parts)
    subprocess.run(
        ["gcc", "-std=c11", "-O3", f"-I{CSRC}", f"-I{CSRC / 'include'}",
         str(CSRC / "ec" / "tests" / "residue.c"), *sources, "-o", str(exe)],
        check=True,
    )  # fmt: skip
    return exe


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_no_secret_left_on_the_stack(residue: Path, build: str) -> None:
    if not (lib.cc_ec_paths() >> BUILDS[build]) & 1:
        pytest.skip(f"this CPU does not run the {build} build")
    out = subprocess.run(
        [str(residue), str(BUILDS[build])], check=True, capture_output=True, text=True
    ).stdout
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["pubkey", "sign"]
    for line in lines:
        assert line.endswith("key 0 nonce 0 comb 0"), line
