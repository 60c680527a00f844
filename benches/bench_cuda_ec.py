"""CUDA throughput of SM2 and ECDSA on a GPU host: verification, signing and key derivation on
2^20 items, kernel only (inputs already on the device, CUDA events around the launch) and end to
end from host arrays (the backend op: limb conversion, copies, nonces for signing), each beside
the C backend on all cores in the same run, with the first call's time (kernel compilation).

Run ``python benches/bench_cuda_ec.py [--json FILE] [--quick]`` (scripts/gpu_run.sh does);
under pytest a quick version runs, skipped without a GPU. Targets (issue 5, one H100):
SM2 verify >= 8e6/s, SM2 sign >= 30e6/s, secp256k1 verify >= 8e6/s, P-256 verify >= 6e6/s.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from bench_cuda import _best, _kernel_time, _row, cli, quick_test

CURVES = {"sm2": 0, "secp256k1": 1, "p256": 2}
#: Distinct keys and signatures made by the C backend, tiled to the batch size.
DISTINCT = 4096


def _inputs(curve: int, n: int) -> dict[str, np.ndarray]:
    """``n`` rows of sk, pub, e, r, s (valid signatures, DISTINCT distinct ones tiled)."""
    from chaincrypto import backends

    cpu = backends.load("cpu")[0]
    assert cpu is not None
    rng = np.random.default_rng(curve)
    sk = rng.integers(0, 256, (DISTINCT, 32), dtype=np.uint8)
    sk[:, 0] &= 0x7F  # below every order
    e = rng.integers(0, 256, (DISTINCT, 32), dtype=np.uint8)
    pub, _ = cpu.op("ec_pubkey_create")(curve, sk)
    if curve == 0:
        r, s, _ = cpu.op("sm2_sign")(sk, e, None)
    else:
        r, s, _, _ = cpu.op("ecdsa_sign")(curve, sk, e, None)
    reps = -(-n // DISTINCT)
    return {k: np.tile(v, (reps, 1))[:n] for k, v in dict(sk=sk, pub=pub, e=e, r=r, s=s).items()}


def _timed(first: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    first()
    from numba import cuda

    cuda.synchronize()
    return time.perf_counter() - t0


def bench(
    op: str, curve_name: str, n: int, reps: int, per_thread: int | None = None
) -> dict[str, Any]:
    """One row: ``op`` ("verify", "sign" or "pubkey") on ``n`` items of ``curve_name``, with
    the backend's choice of items a thread (recorded in the row); with ``per_thread``, a
    kernel-only row with that many instead."""
    from numba import cuda

    from chaincrypto import backends
    from chaincrypto.cuda import ec_kernels as k
    from chaincrypto.cuda import ec_ops
    from chaincrypto.cuda.bigint import limbs_from_be
    from chaincrypto.cuda.launch import launch, launch_items
    from chaincrypto.cuda.rfc6979 import nonce_kernel

    curve = CURVES[curve_name]
    x = _inputs(curve, n)
    cpu, gpu = backends.load("cpu")[0], backends.load("cuda")[0]
    assert cpu is not None and gpu is not None
    dev = {name: cuda.to_device(limbs_from_be(v)) for name, v in x.items() if name != "pub"}
    dev["px"] = cuda.to_device(limbs_from_be(x["pub"][:, :32]))
    dev["py"] = cuda.to_device(limbs_from_be(x["pub"][:, 32:]))
    ok = cuda.device_array(n, np.uint8)
    out = [cuda.device_array((8, n), np.uint32) for _ in range(2)]
    K, gtab, comb = (ec_ops._table(curve, w) for w in ("K", "gtab", "comb"))

    def grid_launch(kern: Any, *args: Any) -> Callable[[], None]:
        return lambda: launch(kern, n, *args)

    used: dict[str, int] = {}

    def items_launch(kern: Any, *args: Any, most: int = k.BATCH) -> Callable[[], None]:
        def go() -> None:
            used["per_thread"] = ec_ops._per_thread(kern, n, per_thread, most)
            launch_items(kern, n, used["per_thread"], *args)

        return go

    if op == "verify":
        head = (dev["px"], dev["py"], dev["e"], dev["r"], dev["s"])
        if curve == 0:
            kern = items_launch(k.sm2_verify_kernel, *head, K, gtab, ok, most=1)
            args: tuple[Any, ...] = (x["pub"], x["e"], x["r"], x["s"])
            name, cpu_fn, gpu_fn = "sm2_verify", cpu.op("sm2_verify"), gpu.op("sm2_verify")
        else:
            kern = items_launch(k.ecdsa_verify_kernel, *head, 0, K, gtab, ok)
            args = (curve, x["pub"], x["e"], x["r"], x["s"], 0)
            name, cpu_fn, gpu_fn = "ecdsa_verify", cpu.op("ecdsa_verify"), gpu.op("ecdsa_verify")
    elif op == "sign":
        # kernel only = the RFC 6979 nonce kernel (hedged: extra bytes) + the signing kernel
        nonces = cuda.device_array((8, n), np.uint32)
        alg = "sm3" if curve == 0 else "sha256"
        draw = grid_launch(nonce_kernel(alg), dev["sk"], dev["e"], dev["r"], 1, n, K, nonces)
        head = (dev["sk"], dev["e"], nonces)
        extra = x["r"]  # any 32 bytes serve as the extra data
        if curve == 0:
            sign = items_launch(k.sm2_sign_kernel, *head, K, comb, *out, ok)
            args = (x["sk"], x["e"], extra)
            name, cpu_fn, gpu_fn = "sm2_sign", cpu.op("sm2_sign"), gpu.op("sm2_sign")
        else:
            recid = cuda.device_array(n, np.uint8)
            sign = items_launch(k.ecdsa_sign_kernel, *head, 0, K, comb, *out, recid, ok)
            args = (curve, x["sk"], x["e"], extra)
            name, cpu_fn, gpu_fn = "ecdsa_sign", cpu.op("ecdsa_sign"), gpu.op("ecdsa_sign")

        def kern() -> None:
            draw()
            sign()

    else:
        limit = cuda.to_device(np.full(8, 0xFFFFFFFF, np.uint32))
        kern = items_launch(k.pubkey_kernel, dev["sk"], limit, K, comb, *out, ok)
        args = (curve, x["sk"])
        name = "ec_pubkey_create"
        cpu_fn, gpu_fn = cpu.op(name), gpu.op(name)
    first_s = _timed(kern)
    kernel_s = _kernel_time(kern, reps)
    if per_thread is not None:
        return _row(f"{curve_name}-{op} {per_thread}/thread", n, kernel_s, None, None)
    e2e_s = _best(lambda: gpu_fn(*args), reps)
    cpu_s = _best(lambda: cpu_fn(*args), max(1, reps // 3))
    sample = tuple(a[:256] if isinstance(a, np.ndarray) else a for a in args)
    got, want = gpu_fn(*sample), cpu_fn(*sample)
    if not isinstance(got, tuple):
        got, want = (got,), (want,)
    for a, b in zip(got, want, strict=True):
        assert np.array_equal(a, b), f"{name}: GPU and C backend differ"
    row = _row(f"{curve_name}-{op}", n, kernel_s, e2e_s, cpu_s)
    return {**row, "first_call_s": first_s, "per_thread": used["per_thread"]}


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Every benchmark row (smaller batches with ``quick``)."""
    n, reps = (1 << 14, 2) if quick else (1 << 20, 5)
    rows = [bench("verify", c, n, reps) for c in CURVES]
    rows += [bench("sign", c, n, reps) for c in CURVES]
    rows.append(bench("pubkey", "secp256k1", n, reps))
    # kernel only, items a thread swept: where sharing the inversions pays (ec_kernels.BATCH)
    rows += [bench("sign", "sm2", n, reps, m) for m in (1, 2, 4, 8)]
    rows += [bench("verify", "secp256k1", n, reps, m) for m in (1, 8)]
    return rows


def test_cuda_ec_quick() -> None:
    """Quick run under pytest; skipped without a real GPU."""
    quick_test(run)


if __name__ == "__main__":
    cli(run, __doc__ or "")
