"""Compile every CUDA kernel for a compute capability without a GPU, and report what ptxas says
of each: registers per thread, stack (local memory) per thread, spills, and the compile time.

A GPU session has minutes on the device: this catches a kernel that fails to compile, and shows
register pressure and local-memory use, before that time is spent. It needs numba-cuda, NVRTC
(``pip install nvidia-cuda-nvrtc``: numba-cuda asks it which architectures exist) and ``ptxas``
on the PATH (a CUDA toolkit); no driver and no GPU.

    python scripts/ptx_report.py [--cc 9.0] [--only NAME,...] [--keep DIR] [--jobs N]

Exit status: 0 every kernel compiled, 1 some kernel failed, 2 no ptxas, 3 this machine cannot
compile CUDA at all (no NVVM or NVRTC).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

#: Argument types by letter: L limbs or rows (uint32, 2-D), w a 1-D uint32 array, b bytes
#: (uint8), i int64, G the generator's NAF table, C the comb, o offsets, f the Merkle flag.
_TYPES = {
    "L": "uint32[:, ::1]",
    "w": "uint32[::1]",
    "b": "uint8[::1]",
    "i": "int64",
    "G": "uint32[:, :, ::1]",
    "C": "uint32[:, :, :, ::1]",
    "o": "uint64[::1]",
    "f": "int32[::1]",
}


def _sig(letters: str) -> str:
    return "void(" + ", ".join(_TYPES[c] for c in letters) + ")"


def kernels() -> Iterator[tuple[str, Callable[..., Any], str]]:
    """(name, Python function, numba signature) of every kernel, with the argument types that
    the host drivers in ``chaincrypto.cuda`` launch them with (C-contiguous device arrays)."""
    from chaincrypto.cuda import ec_kernels as k
    from chaincrypto.cuda.hashing import kernels as hash_kernels
    from chaincrypto.cuda.merkle import SCHEMES, level_kernel
    from chaincrypto.cuda.rfc6979 import nonce_kernel

    for alg in ("sm3", "sha256"):
        h = hash_kernels(alg)
        yield f"hash_words[{alg}]", h.words.py_func, _sig("LL")
        yield f"hash_bytes[{alg}]", h.bytes.py_func, _sig("boiiiL")
    for scheme in SCHEMES:
        for alg in ("sha256",) if scheme == "bitcoin" else ("sm3", "sha256"):
            yield f"merkle_level[{scheme},{alg}]", level_kernel(scheme, alg).py_func, _sig("LiLf")
    ec = {
        "pubkey_kernel": "iLwLCLLb",
        "sm2_sign_kernel": "iLLLLCLLb",
        "ecdsa_sign_kernel": "iLLLiLCLLbb",
        "sm2_verify_kernel": "iLLLLLLGb",
        "ecdsa_verify_kernel": "iLLLLLiLGb",
        "ecdsa_recover_kernel": "iLLLbLGLLb",
    }
    for name, letters in ec.items():
        yield name, getattr(k, name).py_func, _sig(letters)
    for alg in ("sm3", "sha256"):
        yield f"rfc6979_nonce[{alg}]", nonce_kernel(alg).py_func, _sig("LLLiiLL")


def _no_device(cc: tuple[int, int]) -> None:
    """numba-cuda asks the current device for its compute capability while compiling device
    functions; answer for the target instead, since there is no device."""
    import numba.cuda.dispatcher as dispatcher

    dispatcher.get_current_device = lambda: types.SimpleNamespace(compute_capability=cc)  # type: ignore[attr-defined]


def _ptxas(ptx: Path, cc: tuple[int, int], max_registers: int | None) -> dict[str, int | str]:
    arch = f"sm_{cc[0]}{cc[1]}"
    cap = [] if max_registers is None else [f"-maxrregcount={max_registers}"]
    cubin = str(ptx.with_suffix(".cubin"))
    out = subprocess.run(
        ["ptxas", f"-arch={arch}", "-v", "-O3", *cap, str(ptx), "-o", cubin],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "ptxas failed"}
    text = out.stderr
    # the kernel's own line comes after its "Compiling entry function" line
    entry = text[text.rfind("Compiling entry function") :]

    def grab(pattern: str) -> int:
        m = re.search(pattern, entry)
        return int(m.group(1)) if m else -1

    return {
        "registers": grab(r"Used (\d+) registers"),
        "stack": grab(r"(\d+) bytes stack frame"),
        "spill_stores": grab(r"(\d+) bytes spill stores"),
        "spill_loads": grab(r"(\d+) bytes spill loads"),
    }


def _max_registers(name: str) -> int | None:
    """The register cap kernel ``name`` is compiled with (``launch.kernel(max_registers=)``),
    which the dispatcher passes to ptxas as this script does."""
    from chaincrypto.cuda import ec_kernels

    dispatcher = getattr(ec_kernels, name, None)
    options = getattr(dispatcher, "targetoptions", {})
    return options.get("max_registers")


def _probe(a):  # type: ignore[no-untyped-def]
    a[0] = 1


def report(name: str, cc: tuple[int, int], folder: str) -> str:
    """One table row for kernel ``name`` (or a line starting with ``FAILED``)."""
    from numba import cuda

    _no_device(cc)
    fn, sig = {k: (f, s) for k, f, s in kernels()}[name]
    t0 = time.perf_counter()
    try:
        ptx, _ = cuda.compile_ptx(fn, sig, cc=cc)
    except Exception as exc:
        return f"FAILED {name}: {type(exc).__name__}: {str(exc).splitlines()[0]}"
    seconds = time.perf_counter() - t0
    path = Path(folder) / (re.sub(r"[^A-Za-z0-9_]", "_", name) + ".ptx")
    path.write_text(ptx)
    r = _ptxas(path, cc, _max_registers(name))
    if "error" in r:
        return f"FAILED {name}: ptxas: {r['error']}"
    spill = int(r["spill_stores"]) + int(r["spill_loads"])
    cells = (f"{seconds:.1f}", len(ptx.splitlines()), r["registers"], r["stack"], spill)
    return f"{name:<32} " + " ".join(f"{c:>9}" for c in cells)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cc", default="9.0", help="compute capability (default 9.0: H100/H200)")
    parser.add_argument("--only", help="comma-separated kernel names (default: all)")
    parser.add_argument("--keep", help="write the PTX and cubins here")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    args = parser.parse_args()
    if shutil.which("ptxas") is None:
        print("ptxas is not on the PATH (a CUDA toolkit provides it)", file=sys.stderr)
        return 2
    cc = (int(args.cc.split(".")[0]), int(args.cc.split(".")[1]))
    from numba import cuda

    _no_device(cc)
    try:  # a trivial kernel first: failing here is this machine's toolchain, not our kernels
        cuda.compile_ptx(_probe, "void(uint32[::1])", cc=cc)
    except Exception as exc:
        print(f"cannot compile CUDA here: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        return 3
    only = set(args.only.split(",")) if args.only else None
    names = [n for n, _, _ in kernels() if not only or n in only or n.split("[")[0] in only]
    folder = Path(args.keep or tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    head = ("compile s", "PTX lines", "regs", "stack B", "spill B")
    print(f"{'kernel':<32} " + " ".join(f"{h:>9}" for h in head), flush=True)
    # the slow signature kernels first, so that the processes finish together
    names.sort(key=lambda n: "verify" not in n and "recover" not in n)
    failed = 0
    with ProcessPoolExecutor(max(1, min(args.jobs, len(names)))) as pool:
        for row in pool.map(report, names, [cc] * len(names), [str(folder)] * len(names)):
            failed += row.startswith("FAILED")
            print(row, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
