"""The committed csrc/ec/tables_<curve>.h are what csrc/ec/gen_tables.py writes: nobody edited a
table by hand, and a change to the generator (a window, a curve constant) came with its output."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EC = Path(__file__).resolve().parents[1] / "csrc" / "ec"


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_tables", EC / "gen_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("curve", ["secp256k1", "p256", "sm2"])
def test_committed_tables_are_the_generators(curve: str) -> None:
    gen = _generator()
    assert (EC / f"tables_{curve}.h").read_text() == gen.gen(curve, gen.CURVES[curve])
