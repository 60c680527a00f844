"""Launch configuration: the block size that keeps the most threads of a kernel resident on an
SM, from the kernel's register count (pure arithmetic, checked against the occupancy rules),
and how a kernel's launch picks it up once compiled."""

from __future__ import annotations

import types

import pytest

pytest.importorskip("numba")
pytest.importorskip("numba.cuda")

from cuda_support import SIMULATED

from chaincrypto.cuda import launch as L

pytestmark = pytest.mark.skipif(SIMULATED, reason="the ordinary run: no simulator needed")


@pytest.mark.parametrize(
    ("regs", "threads"),
    [
        (32, 256),  # 64 warps fit either way: the larger block
        (40, 256),  # the hash kernels: 48 warps in 256s or 128s
        (54, 128),  # 36 warps fit: 4 blocks of 256 hold 32, 9 of 128 hold 36
        (128, 256),  # 16 warps: two blocks of 256
        (148, 128),  # a signature kernel: 13 warps fit, one block of 256 holds 8, three of 128 12
        (168, 128),
        (192, 256),  # 10 warps: 8 either way
        (255, 256),
    ],
)
def test_block_size_follows_the_register_file(regs: int, threads: int) -> None:
    assert L.block_size(regs) == threads


def test_block_size_respects_the_sm_thread_limit() -> None:
    # 1,536 threads an SM (sm_86, sm_89): with 40 registers 48 warps would fit, the SM holds 48
    assert L.block_size(40, threads_per_sm=1536) == 256


def _kernel(*regs: int) -> types.SimpleNamespace:
    overloads = {i: types.SimpleNamespace(regs_per_thread=r) for i, r in enumerate(regs)}
    return types.SimpleNamespace(overloads=overloads)


def test_threads_for_a_compiled_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    sm = types.SimpleNamespace(
        MAX_REGISTERS_PER_MULTIPROCESSOR=65536, MAX_THREADS_PER_MULTIPROCESSOR=2048
    )
    monkeypatch.setattr(L.cuda, "get_current_device", lambda: sm)
    monkeypatch.setattr(L, "_threads", {})
    assert L.threads_for(_kernel(148)) == 128
    assert L.threads_for(_kernel(40, 148)) == 128  # several signatures: the most registers
    assert L.threads_for(_kernel(40)) == 256


def test_threads_for_an_uncompiled_kernel_or_no_device(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(L, "_threads", {})
    assert L.threads_for(_kernel()) == L.THREADS_PER_BLOCK  # first launch: not compiled yet

    def no_device() -> None:
        raise RuntimeError("no CUDA driver")

    monkeypatch.setattr(L.cuda, "get_current_device", no_device)
    assert L.threads_for(_kernel(148)) == L.THREADS_PER_BLOCK
    assert L._threads == {}  # nothing cached from a failed lookup
