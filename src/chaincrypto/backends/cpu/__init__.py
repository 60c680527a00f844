"""The C backend: cffi bindings over csrc/, one module of entry points per domain."""

from __future__ import annotations

from .. import Backend


def load() -> tuple[Backend | None, str]:
    try:
        from ..._cpu import lib
    except ImportError as exc:
        return None, f"C extension failed to import ({exc}); reinstall with a C compiler"
    # The hash kernels' costs are timed once per process on first use (csrc/hash/
    # kernel_costs.c): time them here, in one thread, rather than in a first batch's threads
    # at once, which would time them against each other.
    for alg in (lib.CC_HASH_SM3, lib.CC_HASH_SHA256):
        lib.cc_hash_auto_path(alg, 1, 64)
    from . import ec, hashing, merkle

    ops = {**hashing.OPS, **merkle.OPS, **ec.OPS}
    from ...hardware import cpu_features

    feats = ", ".join(cpu_features()) or "portable code only"
    return Backend("cpu", ops), f"C extension loaded ({feats})"
