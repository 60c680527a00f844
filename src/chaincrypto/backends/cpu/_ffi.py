"""Pointers into numpy arrays for the cffi entry points, and status-code checking."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._cpu import ffi, lib

_ERRORS = {
    lib.CC_ERR_ARG: "invalid argument",
    lib.CC_ERR_PATH: "requested SIMD path not available on this CPU",
    lib.CC_ERR_NOMEM: "out of memory",
    lib.CC_ERR_INVALID: "invalid data",
}


def ptr(arr: np.ndarray, ctype: str = "uint8_t *", offset: int = 0) -> Any:
    """A C pointer to element ``offset`` of a C-contiguous array. The pointer holds a reference
    to the array's buffer, so the buffer lives as long as the pointer. (``ffi.from_buffer`` is
    several times cheaper than numpy's ``.ctypes``: it matters on single-item calls.)"""
    p = ffi.from_buffer(ctype.replace("*", "[]"), arr)
    return p + offset if offset else p


def check(rc: int, what: str) -> None:
    if rc != lib.CC_OK:
        raise RuntimeError(f"{what} failed in the C backend: {_ERRORS.get(rc, rc)}")
