"""The C backend: cffi bindings over csrc/, one module of entry points per domain."""

from __future__ import annotations

from .. import Backend


def load() -> tuple[Backend | None, str]:
    try:
        from ..._cpu import lib  # noqa: F401 - importing proves the extension loads
    except ImportError as exc:
        return None, f"C extension failed to import ({exc}); reinstall with a C compiler"
    from . import ec, hashing, merkle

    ops = {**hashing.OPS, **ec.OPS, **merkle.OPS}
    from ...hardware import cpu_features

    feats = ", ".join(cpu_features()) or "portable code only"
    return Backend("cpu", ops), f"C extension loaded ({feats})"
