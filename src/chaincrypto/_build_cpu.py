"""cffi build script for the C backend (out-of-line API mode).

The cdef is the text between the ``cdef-begin``/``cdef-end`` markers of
``csrc/include/chaincrypto.h``
and of every ``cc_*.h`` header it includes, so the C headers stay the single source of truth.
SIMD code is compiled with per-function ``target`` attributes and chosen at run time, so no
``-march`` flag is ever passed and one build runs on any CPU of its architecture.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from cffi import FFI

ROOT = Path(__file__).resolve().parents[2]
CSRC = ROOT / "csrc"
INCLUDE = CSRC / "include"
_MARKED = re.compile(r"/\* cdef-begin \*/(.*?)/\* cdef-end \*/", re.S)
_INCLUDE = re.compile(r'^#include "(cc_\w+\.h)"', re.M)


def cdef_text() -> str:
    """Collect the cffi declarations from the umbrella header and the headers it includes."""
    umbrella = (INCLUDE / "chaincrypto.h").read_text()
    parts = _MARKED.findall(umbrella)
    for name in _INCLUDE.findall(umbrella):
        parts.extend(_MARKED.findall((INCLUDE / name).read_text()))
    return "\n".join(parts)


def c_sources() -> list[str]:
    """Every .c file under csrc/, relative to the project root (setuptools wants relative paths)."""
    return sorted(str(p.relative_to(ROOT)) for p in CSRC.rglob("*.c") if "tests" not in p.parts)


def compile_args() -> list[str]:
    if sys.platform == "win32":
        return ["/O2"]
    return ["-std=c11", "-O3", "-Wall", "-Wextra", "-fno-strict-aliasing"]


ffibuilder = FFI()
ffibuilder.cdef(cdef_text())
ffibuilder.set_source(
    "chaincrypto._cpu",
    '#include "chaincrypto.h"',
    sources=c_sources(),
    include_dirs=[str(INCLUDE.relative_to(ROOT)), str(CSRC.relative_to(ROOT))],
    extra_compile_args=compile_args(),
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
