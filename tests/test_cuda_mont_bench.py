"""scripts/mont_bench.py, the A/B of the device's Montgomery product: its PTX carry chain
against Python integers through an interpreter of the PTX it uses (a mutated program must
fail, so the check is not vacuous), the timing driver under the CUDA simulator, and on a GPU
host both variants against Python integers."""

from __future__ import annotations

import importlib.util
import pathlib
import sys

import pytest

pytest.importorskip("numba")
pytest.importorskip("numba.cuda")

from cuda_support import gpu, ordinary_only, run_simulated, simulated


def _script():  # type: ignore[no-untyped-def]
    path = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "mont_bench.py"
    spec = importlib.util.spec_from_file_location("mont_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_simulator_run() -> None:
    run_simulated(__file__)


@ordinary_only  # pure Python
def test_carry_chain_program_equals_python_integers() -> None:
    mb = _script()
    mb.check_program()
    text = mb.asm_text()
    broken = [
        text.replace("madc.hi.cc.u32", "madc.lo.cc.u32", 1),  # a high half read as low
        "add.u32".join(text.rsplit("addc.u32", 1)),  # the last row's top carry dropped
        text.replace("setp.eq.u32 keep, w, 0xFFFFFFFF", "setp.eq.u32 keep, w, 0"),  # no m off
    ]
    for bad in broken:
        assert bad != text
        with pytest.raises(AssertionError):
            mb.check_program(bad, trials=50)


@simulated
@pytest.mark.parametrize("name", ["portable", "portable-square", "special-secp256k1"])
def test_timing_driver_checks_its_sample(name: str) -> None:
    assert _script().gpu_rate(name, 64, 3).endswith("sample ok")


def _names() -> list[str]:
    return list(_script().VARIANTS)


@gpu
@pytest.mark.parametrize("name", _names())
def test_variants_on_the_gpu(name: str) -> None:
    assert _script().gpu_rate(name, 1 << 16, 16).endswith("sample ok")
