"""How many point additions a warp of 32 threads executes in u1 G + u2 Q, with width-w NAF digits
(the CUDA verification kernels until 2026-12-03) and with regular signed windows (since).

A warp runs one instruction stream: where one of its threads adds and the others do not, all of
them wait for that addition. So the warp's cost per digit string is the number of positions at
which any of its 32 threads has a nonzero digit, not one thread's count. This script draws
random 256-bit scalars, recodes them both ways as scalarmul.py does, and counts per thread and
per warp; op_count.py gives the products each addition and doubling costs.

    python scripts/warp_divergence.py [--warps N]
"""

from __future__ import annotations

import argparse
import random

WARP = 32


def naf(k: int, width: int, length: int = 257) -> list[int]:
    """Width-``width`` NAF of k, lowest digit first (scalarmul.naf before 2026-12-03)."""
    out = [0] * length
    b, carry = 0, 0
    while b < length:
        if ((k >> b) & 1) == carry:
            b += 1
            continue
        now = min(width, length - b)
        word = ((k >> b) & ((1 << now) - 1)) + carry
        carry = (word >> (width - 1)) & 1
        out[b] = word - (carry << width)
        b += now
    return out


def regular(k: int, width: int, count: int, n: int | None) -> list[int]:
    """Regular signed-window digits (scalarmul.regular), spread to bit positions: every one
    odd and nonzero, one every ``width`` bits. An even k becomes n - k (negated digits) for a
    full scalar, k + 1 for a GLV half (``n`` None), whose correction is one more addition,
    appended as a last position."""
    sign, fix = 1, 0
    if k % 2 == 0:
        if n is None:
            k, fix = k + 1, -1
        else:
            k, sign = n - k, -1
    out = [0] * (width * (count - 1) + 1)
    for i in range(count - 1):
        out[width * i] = sign * ((((k >> (width * i)) & ((2 << width) - 1)) | 1) - (1 << width))
    out[width * (count - 1)] = sign * ((k >> (width * (count - 1))) | 1)
    return out + ([fix] if n is None else [])


def warp_adds(strings: list[list[int]]) -> int:
    """Positions where at least one thread's string has a nonzero digit."""
    return sum(any(s[i] for s in strings) for i in range(max(len(s) for s in strings)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warps", type=int, default=50)
    args = ap.parse_args()
    n = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123  # SM2's order
    rng = random.Random(1)
    # (G's window, Q's window): wNAF widths 7 and 5 / regular windows of 6 and 4 bits, the same
    # tables (G: 32 odd multiples, Q: 8)
    rows = []
    schemes = (
        ("wNAF, 256-bit (G w=7, Q w=5)", 256, lambda k, g: naf(k, 7 if g else 5)),
        (
            "regular, 256-bit (6 / 4 bits)",
            256,
            lambda k, g: regular(k, 6 if g else 4, 43 if g else 64, n),
        ),
        ("wNAF, GLV half (130 digits)", 129, lambda k, g: naf(k, 7 if g else 5, 130)),
        (
            "regular, GLV half (22 / 33)",
            129,
            lambda k, g: regular(k, 6 if g else 4, 22 if g else 33, None),
        ),
    )
    for name, bits, recode in schemes:
        thread = {True: 0.0, False: 0.0}
        warp = {True: 0.0, False: 0.0}
        for _ in range(args.warps):
            for on_g in (True, False):
                strings = [recode(rng.randrange(1, min(n, 2**bits)), on_g) for _ in range(WARP)]
                thread[on_g] += sum(sum(d != 0 for d in s) for s in strings) / WARP
                warp[on_g] += warp_adds(strings)
        per = (thread[True], thread[False], warp[True], warp[False])
        rows.append((name, *(v / args.warps for v in per)))
    head = ("G adds/thread", "Q adds/thread", "G adds/warp", "Q adds/warp")
    print(f"{'recoding':32s} " + " ".join(f"{h:>14s}" for h in head))
    for name, tg, tq, wg, wq in rows:
        print(f"{name:32s} {tg:14.1f} {tq:14.1f} {wg:14.1f} {wq:14.1f}")
    print("(a string each: secp256k1 has two GLV halves on G and two on Q, sharing 128-130")
    print("doublings; the others one string each, sharing 252-256; every thread doubles)")


if __name__ == "__main__":
    main()
