"""Launch configuration: the block size that keeps the most threads of a kernel resident on an
SM, from the kernel's register count (pure arithmetic, checked against the occupancy rules),
how a kernel's launch picks it up once compiled, and how many items a thread takes."""

from __future__ import annotations

import types

import pytest

pytest.importorskip("numba")
pytest.importorskip("numba.cuda")

from cuda_support import ordinary_only

from chaincrypto.cuda import launch as L

pytestmark = ordinary_only  # no simulator needed


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


def test_resident_threads() -> None:
    assert L.resident(148, 128) == 384  # 12 warps of the 13 that fit
    assert L.resident(148, 256) == 256
    assert L.resident(32, 256) == 2048  # the SM's thread limit
    assert L.resident(40, 256, threads_per_sm=1536) == 1536


def _kernel(*regs: int) -> types.SimpleNamespace:
    overloads = {i: types.SimpleNamespace(regs_per_thread=r) for i, r in enumerate(regs)}
    return types.SimpleNamespace(overloads=overloads)


def _device(monkeypatch: pytest.MonkeyPatch, sms: int = 132) -> None:
    sm = types.SimpleNamespace(
        MAX_REGISTERS_PER_MULTIPROCESSOR=65536,
        MAX_THREADS_PER_MULTIPROCESSOR=2048,
        MULTIPROCESSOR_COUNT=sms,
    )
    monkeypatch.setattr(L.cuda, "get_current_device", lambda: sm)
    monkeypatch.setattr(L, "_occupancy", {})


def test_threads_for_a_compiled_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    _device(monkeypatch)
    assert L.threads_for(_kernel(148)) == 128
    assert L.threads_for(_kernel(40, 148)) == 128  # several signatures: the most registers
    assert L.threads_for(_kernel(40)) == 256
    assert L.occupancy(_kernel(148)) == L.Occupancy(128, 132 * 384)


def test_threads_for_an_uncompiled_kernel_or_no_device(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(L, "_occupancy", {})
    assert L.threads_for(_kernel()) == L.THREADS_PER_BLOCK  # first launch: not compiled yet
    assert L.occupancy(_kernel()).device == 0

    def no_device() -> None:
        raise RuntimeError("no CUDA driver")

    monkeypatch.setattr(L.cuda, "get_current_device", no_device)
    assert L.threads_for(_kernel(148)) == L.THREADS_PER_BLOCK
    assert L._occupancy == {}  # nothing cached from a failed lookup


def test_items_per_thread_only_once_the_device_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    _device(monkeypatch)
    k, fits = _kernel(148), 132 * 384
    assert L.items_per_thread(k, 1000, 8) == 1
    assert L.items_per_thread(k, fits, 8) == 1
    assert L.items_per_thread(k, fits + 1, 8) == 2  # one wave of two, not two waves
    assert L.items_per_thread(k, 1 << 18, 8) == 6  # a streamed chunk: 43,691 threads
    assert L.items_per_thread(k, 1 << 24, 8) == 8
    assert L.items_per_thread(k, 1 << 24, 1) == 1  # a kernel with nothing to share
    assert L.items_per_thread(_kernel(), 1 << 24, 8) == 1  # residency unknown


@pytest.mark.parametrize("n", [1, 5, 8, 9, 1000])
@pytest.mark.parametrize("per_thread", [1, 2, 3, 8])
def test_launch_items_covers_every_item_once(n: int, per_thread: int) -> None:
    """The threads launch_items starts, each taking items ``thread``, ``thread + stride``,
    ... (ec_kernels.item_count), cover the n items once each, none with more than
    ``per_thread``."""
    from chaincrypto.cuda.ec_kernels import item_count

    seen: list[int] = []

    class Fake:  # a kernel that records the items its threads take
        def __getitem__(self, config: tuple[int, int, int]):  # type: ignore[no-untyped-def]
            blocks, threads, _ = config

            def run(stride: int) -> None:
                assert blocks * threads >= stride
                for t in range(blocks * threads):
                    if t < stride:
                        count = item_count(t, stride, n)
                        assert count <= per_thread
                        seen.extend(t + j * stride for j in range(count))

            return run

    L.launch_items(Fake(), n, per_thread)
    assert sorted(seen) == list(range(n))
