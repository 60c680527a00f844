"""Batched SM3 / SHA-256 on the C backend, split across cores."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..._cpu import lib
from ..._inputs import Items
from ..._threads import run_chunks
from ._ffi import check, ptr

ALGORITHMS = {"sm3": lib.CC_HASH_SM3, "sha256": lib.CC_HASH_SHA256}
PATHS = {
    "auto": lib.CC_PATH_AUTO,
    "portable": lib.CC_PATH_PORTABLE,
    "avx2": lib.CC_PATH_AVX2,
    "avx512": lib.CC_PATH_AVX512,
    "shani": lib.CC_PATH_SHANI,
}
#: Below this many bytes per thread, splitting costs more than it saves.
_MIN_BYTES_PER_THREAD = 1 << 16


def simd_paths(algorithm: str) -> list[str]:
    """The SIMD paths this CPU can run for ``algorithm``."""
    mask = lib.cc_hash_paths(ALGORITHMS[algorithm])
    return [name for name, code in PATHS.items() if code and mask >> code & 1]


def auto_choice(algorithm: str, n: int, length: int) -> str:
    """What ``simd="auto"`` runs a batch of ``n`` messages of ``length`` bytes on: a SIMD path's
    name, or ``"single-stream"``. The choice weighs costs measured on this CPU at first use."""
    code = lib.cc_hash_auto_path(ALGORITHMS[algorithm], n, length)
    return next((name for name, c in PATHS.items() if c == code and c), "single-stream")


def hash_many(
    algorithm: str, items: Items, *, simd: str = "auto", threads: int | None = None
) -> npt.NDArray[np.uint8]:
    alg, path = ALGORITHMS[algorithm], PATHS[simd]
    n = items.n
    out = np.empty((n, 32), dtype=np.uint8)
    if n == 0:
        return out
    avg = max(1, len(items.data) // n)
    min_chunk = max(1, _MIN_BYTES_PER_THREAD // avg)
    data, offsets, width = items.data, items.offsets, items.width

    def work(a: int, b: int) -> None:
        if width is not None:
            rc = lib.cc_hash_batch_fixed(
                alg, path, ptr(data, offset=a * width), b - a, width, ptr(out, offset=32 * a)
            )
        else:
            rc = lib.cc_hash_batch(
                alg, path, ptr(data), ptr(offsets, "uint64_t *", a), b - a, ptr(out, offset=32 * a)
            )
        check(rc, f"{algorithm} batch")

    run_chunks(n, threads, min_chunk, work)
    return out


OPS = {"hash_many": hash_many}
