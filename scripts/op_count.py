"""Count the products (multiplications and squarings: mod p by ``field.fmul`` and
``field.fsqr``, mod n by the Montgomery ``bigint.mont_mul`` and ``bigint.mont_sqr``) that each
elliptic-curve kernel spends on one item, per curve: with one item a thread, and with a thread
of ``BATCH`` items, whose inversions share one exponentiation.

The curve kernels are bound by 32-bit multiply-adds, nearly all of them inside those
products, so this count predicts their relative cost on a GPU without one: it is
how a change to the scalar multiplication or the inversions is judged before a device session
times it. The thread code (``chaincrypto.cuda.ec_kernels.*_items``) runs as plain Python under the
CUDA simulator, with both products wrapped by counters; items are random valid ones from the C
backend, so the count is that of a typical item (verification and inversion counts depend on
public data only).

    python scripts/op_count.py [--items N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Callable
from typing import Any

os.environ["NUMBA_ENABLE_CUDASIM"] = "1"  # before numba is first imported

import numpy as np

NAMES = {0: "sm2", 1: "secp256k1", 2: "p256"}


def _counting() -> dict[str, int]:
    """Wrap ``field.fmul`` and ``field.fsqr`` (products mod p) and ``bigint.mont_mul`` and
    ``bigint.mont_sqr`` (mod n) wherever the kernel modules call them; returns the counters."""
    from chaincrypto.cuda import bigint, ec_kernels, field, point, scalarmul

    cells = {"fmul": 0, "fsqr": 0, "mont_mul": 0, "mont_sqr": 0}
    homes = (("fmul", field), ("fsqr", field), ("mont_mul", bigint), ("mont_sqr", bigint))
    for name, home in homes:
        real = getattr(home, name)

        def counted(*args: Any, _name: str = name, _real: Any = real) -> None:
            cells[_name] += 1
            _real(*args)

        for module in (bigint, field, point, scalarmul, ec_kernels):
            if getattr(module, name, None) is real:
                setattr(module, name, counted)
    return cells


def _items(curve: int, n: int, rng: random.Random) -> dict[str, Any]:
    from chaincrypto import backends
    from chaincrypto.cuda.bigint import limbs_from_be

    cpu, why = backends.load("cpu")
    if cpu is None:
        raise SystemExit(f"op_count needs the C backend: {why}")

    def rows(values: list[int]) -> Any:
        return np.array([list(v.to_bytes(32, "big")) for v in values], dtype=np.uint8)

    sk = rows([rng.randrange(1, 1 << 255) for _ in range(n)])
    e = rows([rng.randrange(1 << 256) for _ in range(n)])
    k = rows([rng.randrange(1, 1 << 255) for _ in range(n)])
    pub, _ = cpu.op("ec_pubkey_create")(curve, sk)
    if curve == 0:
        r, s, _ = cpu.op("sm2_sign")(sk, e, None)
        recid = np.zeros(n, np.uint8)
    else:
        r, s, recid, _ = cpu.op("ecdsa_sign")(curve, sk, e, None)
    named = {"sk": sk, "e": e, "k": k, "r": r, "s": s}
    limbs = {name: limbs_from_be(a) for name, a in named.items()}
    limbs["px"], limbs["py"] = limbs_from_be(pub[:, :32]), limbs_from_be(pub[:, 32:])
    limbs["recid"] = np.ascontiguousarray(recid, np.uint8)
    limbs["ok"] = np.zeros(n, np.uint8)
    return limbs


def _ops(curve: int, d: dict[str, Any]) -> dict[str, Callable[[int, int, tuple[Any, ...]], None]]:
    """Per op: ``run(first, stride, scratch)`` for one thread's items."""
    from chaincrypto.cuda import curves
    from chaincrypto.cuda import ec_kernels as k
    from chaincrypto.cuda.bigint import int_limbs

    K, gtab, comb = curves.constants(curve), curves.g_wnaf_table(curve), curves.comb_table(curve)
    n = d["e"].shape[1]
    ok, out = d["ok"], (np.zeros((8, n), np.uint32), np.zeros((8, n), np.uint32))
    limit = int_limbs(curves.params(curve).n - (curve == 0))
    verify_args = (d["px"], d["py"], d["e"], d["r"], d["s"])
    ops: dict[str, Callable[[int, int, tuple[Any, ...]], None]] = {
        "pubkey": lambda g, m, s: k.pubkey_items(g, m, d["sk"], limit, K, comb, *out, ok, *s[:5]),
    }
    if curve == 0:
        ops["sign"] = lambda g, m, s: k.sm2_sign_items(
            g, m, d["sk"], d["e"], d["k"], K, comb, *out, ok, *s[:5]
        )
        ops["verify"] = lambda g, m, s: k.sm2_verify_items(
            g, m, *verify_args, K, gtab, ok, *s[:3], *s[5:]
        )
    else:
        recid = np.zeros(n, np.uint8)
        ops["sign"] = lambda g, m, s: k.ecdsa_sign_items(
            g, m, d["sk"], d["e"], d["k"], 1, K, comb, *out, recid, ok, *s[:5]
        )
        ops["verify"] = lambda g, m, s: k.ecdsa_verify_items(g, m, *verify_args, 0, K, gtab, ok, *s)
        ops["recover"] = lambda g, m, s: k.ecdsa_recover_items(
            g, m, d["e"], d["r"], d["s"], d["recid"], K, gtab, *out, ok, *s
        )
    return ops


def _scratch() -> tuple[Any, ...]:
    from chaincrypto.cuda import ec_kernels as k
    from chaincrypto.cuda.field import EXP_TABLE

    return (
        np.zeros((k.WORK_ROWS, 8), np.uint32),
        np.zeros((k.V_ROWS, 8), np.uint32),
        np.zeros((3, 3, 8), np.uint32),
        np.zeros((EXP_TABLE, 8), np.uint32),
        np.zeros((k.BATCH_ROWS, k.BATCH, 8), np.uint32),
        np.zeros(k.QTAB_SHAPE, np.uint32),
        np.zeros(k.DIGITS_SHAPE, np.int8),
    )


def main(argv: list[str] | None = None) -> int:
    from chaincrypto.cuda.ec_kernels import BATCH

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--items", type=int, default=BATCH, help=f"items per op and curve (default {BATCH})"
    )
    args = ap.parse_args(argv)
    cells = _counting()
    rng = random.Random(7)
    most = min(BATCH, args.items)
    head = ("1 a thread", f"{most} a thread", "mod p", "of which squares", "mod n")
    print(f"{'curve':10s} {'op':8s} " + " ".join(f"{h:>{max(len(h), 8)}s}" for h in head))
    for curve, name in NAMES.items():
        data = _items(curve, args.items, rng)
        for op, run in _ops(curve, data).items():
            row = []
            for per_thread in (1, most):
                cells.update(dict.fromkeys(cells, 0))
                stride = -(-args.items // per_thread)
                for first in range(stride):
                    run(first, stride, _scratch())
                if not data["ok"].all():
                    raise SystemExit(f"{name} {op}: the item code refused a valid item")
                data["ok"][:] = 0
                sq = cells["fsqr"] / args.items
                n = (cells["mont_mul"] + cells["mont_sqr"]) / args.items
                p = cells["fmul"] / args.items + sq
                row.append(p + n)
            cells_out = (*row, p, sq, n)
            widths = [max(len(h), 8) for h in head]
            print(
                f"{name:10s} {op:8s} "
                + " ".join(f"{c:{w}.1f}" for c, w in zip(cells_out, widths, strict=True)),
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
