"""What this host has: CPU features and cores now, CUDA GPUs lazily (numba-cuda is slow to
import and may be absent or broken; nothing here ever raises)."""

from __future__ import annotations

import functools
import platform
from dataclasses import dataclass, field

from ._threads import cpu_count


@dataclass(frozen=True)
class GpuInfo:
    """One CUDA device as numba-cuda reports it."""

    index: int
    name: str
    compute_capability: tuple[int, int]
    memory_bytes: int


@dataclass(frozen=True)
class GpuReport:
    """The CUDA devices found (and the driver's CUDA version), or why none can be used."""

    devices: tuple[GpuInfo, ...] = field(default_factory=tuple)
    reason: str = ""
    driver: str = ""


_FEATURE_NAMES = (
    ("avx2", 1),
    ("avx512", 2),
    ("sha_ni", 4),
    ("bmi2", 8),
    ("adx", 16),
    ("avx512ifma", 32),
)


def cpu_features() -> tuple[str, ...]:
    """The SIMD features the C backend can use on this CPU (empty if the backend is missing)."""
    try:
        from ._cpu import lib
    except ImportError:
        return ()
    mask = lib.cc_cpu_features()
    return tuple(name for name, bit in _FEATURE_NAMES if mask & bit)


@functools.lru_cache(maxsize=1)
def cpu_model() -> str:
    """The CPU's model name (Linux: /proc/cpuinfo, where ``platform.processor()`` is empty)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and value.strip():
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_summary() -> dict[str, object]:
    return {
        "machine": platform.machine(),
        "processor": cpu_model(),
        "cores": cpu_count(),
        "features": list(cpu_features()),
    }


@functools.lru_cache(maxsize=1)
def gpus() -> GpuReport:
    """Detect CUDA GPUs through numba-cuda, once per process."""
    try:
        from numba import cuda
    except Exception as exc:
        return GpuReport(reason=f"numba-cuda not importable ({type(exc).__name__}: {exc})")
    try:
        if not cuda.is_available():
            return GpuReport(reason="numba-cuda found no CUDA driver or device")
        from numba.cuda.cudadrv.driver import driver

        driver_version = ".".join(map(str, driver.get_version()))
        devices = []
        for i, dev in enumerate(cuda.list_devices()):
            with dev:
                ctx = cuda.current_context()
                _free, total = ctx.get_memory_info()
                cc = dev.compute_capability
                name = dev.name.decode() if isinstance(dev.name, bytes) else str(dev.name)
                devices.append(GpuInfo(i, name, (int(cc[0]), int(cc[1])), int(total)))
        reason = "" if devices else "no CUDA device listed"
        return GpuReport(tuple(devices), reason, driver_version)
    except Exception as exc:
        return GpuReport(reason=f"CUDA driver error ({type(exc).__name__}: {exc})")
