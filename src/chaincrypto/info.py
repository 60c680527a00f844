"""``chaincrypto.info()``: what was detected and which backends can run, with reasons."""

from __future__ import annotations

import sys
from typing import Any

from . import __version__, backends
from ._threads import thread_count
from .hardware import cpu_summary, gpus


def _crossovers() -> dict[str, Any]:
    """Per operation, the smallest batch that "auto" sends to the GPU and where that number
    comes from (env, cached, shipped, calibrated, provisional); nothing is measured here."""
    from .backends import crossover

    gpu, _ = backends.load("cuda")
    if gpu is None:
        note = "no usable GPU: auto keeps every batch on the CPU"
    elif not gpu.auto:
        note = "CUDA simulator: auto never picks it"
    else:
        note = (
            "batches from min_items up go to the GPU; a provisional one is measured on first"
            " use (or by 'chaincrypto calibrate')"
        )
    return {"note": note, "ops": crossover.report(gpu)}


def info() -> dict[str, Any]:
    """Detected hardware, each backend's availability (with the reason), the backend in force
    and the thread count, as a JSON-serialisable dict."""
    report = gpus()
    status = {}
    for name in backends.NAMES:
        loaded, why = backends.load(name)
        status[name] = {
            "available": loaded is not None,
            "status": why,
            "operations": sorted(loaded.ops) if loaded else [],
        }
    try:
        from .backends.cpu.ec import curve_paths
        from .backends.cpu.hashing import auto_choice, simd_paths

        paths = {alg: simd_paths(alg) for alg in ("sm3", "sha256")}
        auto_64 = {alg: auto_choice(alg, 1024, 64) for alg in paths}
        ec_paths = curve_paths()
    except ImportError:
        paths, auto_64, ec_paths = {}, {}, []
    return {
        "version": __version__,
        "python": sys.version.split()[0],
        "cpu": cpu_summary(),
        "hash_paths": paths,
        "hash_auto_64": auto_64,
        "ec_paths": ec_paths,
        "gpus": [
            {
                "index": g.index,
                "name": g.name,
                "compute_capability": f"{g.compute_capability[0]}.{g.compute_capability[1]}",
                "memory_gib": round(g.memory_bytes / 2**30, 1),
            }
            for g in report.devices
        ],
        "gpu_status": report.reason or f"{len(report.devices)} CUDA device(s)",
        "backends": status,
        "backend_in_force": backends.requested(),
        "crossovers": _crossovers(),
        "threads": thread_count(),
    }
