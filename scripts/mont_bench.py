"""The product mod p on the device, three ways: the portable Montgomery loop
(``chaincrypto.cuda.bigint.mont_mul``, 64-bit sums; the kernels' product mod n), one PTX carry
chain (``mad.lo.cc`` / ``madc.hi.cc`` in a single inline-asm statement, the carry flag not
being kept between statements: the variant the CUDA issue suggests), and the special-form
reduction the kernels use mod p (``chaincrypto.cuda.field.fmul``, SM2's prime).

Without a GPU it compiles a one-product kernel of each for sm_90 and prints the SASS
instruction mix (``ptxas``; ``cuobjdump`` and ``nvdisasm`` from the ``nvidia-cuda-cuobjdump``
and ``nvidia-cuda-nvdisasm`` wheels where they are on the PATH). On a GPU host it also times
chains of dependent products over 2**20 threads per variant and checks a sample of each against
Python integers. ``check_program()`` runs the PTX program through an interpreter of the
instructions it uses against Python integers (the tests call it), so that a GPU session spends
its minutes on timing, not on a wrong program.

    python scripts/mont_bench.py [--items N] [--chain K]
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from numba import cuda, uint32

from chaincrypto._curve_params import CURVES
from chaincrypto.cuda.curves import minv as curve_minv

LIMBS = 8
#: The asm statement's operands in order: ``$0..$7`` the product, then ``a``, ``b``, ``m``
#: (8 words each, least significant first) and ``minv``.
OPERANDS = (
    *(f"r{j}" for j in range(LIMBS)),
    *(f"{x}{j}" for x in "abm" for j in range(LIMBS)),
    "minv",
)
OUTPUTS = LIMBS

Instr = tuple[str, ...]  # opcode, destination, sources


def _row(out: list[Instr], x: list[str], y: str, t: list[str], fresh_top: bool) -> None:
    """``t += x * y`` over the 10 words ``t``: the low halves of ``x_j * y`` at word ``j``, then
    the high halves at ``j + 1``, each a chain that ends in the top word."""
    out.append(("mad.lo.cc.u32", t[0], x[0], y, t[0]))
    out += [("madc.lo.cc.u32", t[j], x[j], y, t[j]) for j in range(1, LIMBS)]
    out.append(("addc.cc.u32", t[8], t[8], "0"))
    # the top word is unused before a row's first chain: start it from the carry alone
    out.append(("addc.u32", t[9], "0", "0") if fresh_top else ("addc.u32", t[9], t[9], "0"))
    out.append(("mad.hi.cc.u32", t[1], x[0], y, t[1]))
    out += [("madc.hi.cc.u32", t[j + 1], x[j], y, t[j + 1]) for j in range(1, LIMBS)]
    out.append(("addc.u32", t[9], t[9], "0"))


@functools.cache
def program() -> tuple[Instr, ...]:
    """The product's instructions (CIOS, R = 2**256).

    Before each row ``t`` (words 0-8) holds less than ``a + m < 2m``; a row adds
    ``a * b_i + q * m`` (below 2**290, so 10 words hold it), its word 0 becomes zero and the
    words shift down by renaming, not by moves. After the last row ``t < 2m``: subtracting
    ``m`` borrows out of word 8 exactly when ``t < m``, and ``selp`` keeps ``t`` then."""
    a = [f"a{j}" for j in range(LIMBS)]
    b = [f"b{j}" for j in range(LIMBS)]
    m = [f"m{j}" for j in range(LIMBS)]
    t = [f"t{j}" for j in range(LIMBS + 2)]
    out: list[Instr] = [("mov.u32", t[j], "0") for j in range(LIMBS + 1)]
    for i in range(LIMBS):
        _row(out, a, b[i], t, fresh_top=True)
        out.append(("mul.lo.u32", "q", t[0], "minv"))
        _row(out, m, "q", t, fresh_top=False)
        t = t[1:] + t[:1]
    d = [f"d{j}" for j in range(LIMBS)]
    out.append(("sub.cc.u32", d[0], t[0], m[0]))
    out += [("subc.cc.u32", d[j], t[j], m[j]) for j in range(1, LIMBS)]
    out.append(("subc.u32", "w", t[8], "0"))  # all ones exactly when t < m
    out.append(("setp.eq.u32", "keep", "w", "0xFFFFFFFF"))
    out += [("selp.u32", f"r{j}", t[j], d[j], "keep") for j in range(LIMBS)]
    return tuple(out)


def asm_text() -> str:
    """:func:`program` as the body of one inline-asm statement (operands ``$k`` in the order of
    :data:`OPERANDS`, scratch registers declared in its own scope)."""
    place = {name: f"${k}" for k, name in enumerate(OPERANDS)}
    lines = [
        "{",
        f".reg .u32 t<{LIMBS + 2}>, d<{LIMBS}>, q, w;",
        ".reg .pred keep;",
    ]
    for op, *args in program():
        lines.append(f"{op} {', '.join(place.get(x, x) for x in args)};")
    lines.append("}")
    return "\n\t".join(lines)


def run_program(text: str, values: dict[str, int]) -> list[int]:
    """Interpret :func:`asm_text` on 32-bit operands ``values`` (by :data:`OPERANDS` name) as
    the PTX ISA defines the instructions it uses; returns ``r0..r7``."""
    place = {f"${k}": name for k, name in enumerate(OPERANDS)}
    regs: dict[str, int] = dict(values)
    cf = 0
    m32 = 0xFFFFFFFF

    def val(x: str) -> int:
        x = place.get(x, x)
        if x in regs:
            return regs[x]
        return int(x, 0)

    for line in text.splitlines():
        line = line.strip().rstrip(";")
        if not line or line[0] in "{}.":
            continue
        op, rest = line.split(None, 1)
        args = [a.strip() for a in rest.split(",")]
        dst, src = place.get(args[0], args[0]), [val(a) for a in args[1:]]
        parts = op.split(".")
        base, carry_out = parts[0], "cc" in parts
        if base == "mov":
            out = src[0]
        elif base == "setp":
            out = int(src[0] == src[1])
        elif base == "selp":
            out = src[0] if src[2] else src[1]
        else:
            if base in ("mul", "mad", "madc"):
                prod = src[0] * src[1]
                term = prod >> 32 if "hi" in parts else prod & m32
                full = term + (src[2] if base != "mul" else 0) + (cf if base == "madc" else 0)
            elif base in ("add", "addc"):
                full = src[0] + src[1] + (cf if base == "addc" else 0)
            elif base in ("sub", "subc"):
                full = src[0] - src[1] - (cf if base == "subc" else 0)
            else:
                raise ValueError(f"unknown instruction {op}")
            if carry_out:
                cf = int(full < 0) if base in ("sub", "subc") else full >> 32
            out = full & m32
        regs[dst] = out
    return [regs[f"r{j}"] for j in range(LIMBS)]


def check_program(text: str | None = None, trials: int = 200, seed: int = 1) -> None:
    """``text`` (default :func:`asm_text`) against Python integers for every modulus of the
    curves (random operands and the edges 0, 1, m - 1): ``AssertionError`` on a wrong
    product."""
    rng = random.Random(seed)
    text = asm_text() if text is None else text
    for c in CURVES.values():
        for m in (c.p, c.n):
            minv = curve_minv(m)
            inv = pow(1 << 256, -1, m)
            pairs = [(0, 0), (1, 1), (m - 1, m - 1), (m - 1, 1), (1 << 255, m - 1)]
            pairs += [(rng.randrange(m), rng.randrange(m)) for _ in range(trials)]
            for a, b in pairs:
                values = {"minv": minv}
                for name, x in (("a", a % m), ("b", b % m), ("m", m)):
                    values.update({f"{name}{j}": (x >> (32 * j)) & 0xFFFFFFFF for j in range(8)})
                got = run_program(text, values)
                want = (a % m) * (b % m) * inv % m
                assert sum(w << (32 * j) for j, w in enumerate(got)) == want, (c.name, a, b)


def _ptx_mont_mul() -> Any:
    """The carry chain as a device function with ``bigint.mont_mul``'s arguments (``t``
    unused): a numba-cuda intrinsic whose body is :func:`asm_text`."""
    from llvmlite import ir
    from numba import types
    from numba.cuda.extending import intrinsic

    words = types.UniTuple(types.uint32, LIMBS)

    @intrinsic
    def chain(typingctx, a, b, m, minv):  # type: ignore[no-untyped-def]
        if (a, b, m, minv) != (words, words, words, types.uint32):
            return None

        def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
            i32 = ir.IntType(32)
            ins = [builder.extract_value(args[k], j) for k in range(3) for j in range(LIMBS)]
            ins.append(args[3])
            fnty = ir.FunctionType(ir.LiteralStructType([i32] * OUTPUTS), [i32] * len(ins))
            constraints = ",".join(["=r"] * OUTPUTS + ["r"] * len(ins))
            res = builder.call(ir.InlineAsm(fnty, asm_text(), constraints), ins)
            outs = [builder.extract_value(res, j) for j in range(OUTPUTS)]
            return context.make_tuple(builder, signature.return_type, outs)

        return words(a, b, m, minv), codegen

    from chaincrypto.cuda.launch import device_function

    @device_function
    def mont_mul(r, a, b, m, minv, t):  # type: ignore[no-untyped-def]
        out = chain(
            (a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]),
            (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]),
            (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]),
            uint32(minv),
        )
        for j in range(LIMBS):
            r[j] = out[j]

    return mont_mul


def _portable() -> Any:
    from chaincrypto.cuda.bigint import mont_mul

    return mont_mul


def _portable_square() -> Any:
    """``bigint.mont_sqr`` (the kernels' squares mod n) with ``mont_mul``'s arguments."""
    from chaincrypto.cuda.bigint import mont_sqr
    from chaincrypto.cuda.launch import device_function

    @device_function
    def mul(r, a, b, m, minv, t):  # type: ignore[no-untyped-def]
        mont_sqr(r, a, m, minv)

    return mul


def _special_form(curve: int, square: bool = False) -> Any:
    """``curve``'s product mod p as the kernels compute it (``field.fmul``, or ``field.fsqr``
    with ``square``: the 512-bit product and the special-form reduction, no Montgomery factor),
    with ``bigint.mont_mul``'s arguments (``m``, ``minv`` and ``t`` unused; ``b`` too when
    squaring)."""
    from chaincrypto.cuda.curves import constants
    from chaincrypto.cuda.field import fmul, fsqr
    from chaincrypto.cuda.launch import device_function

    K = constants(curve)

    @device_function
    def mul(r, a, b, m, minv, t):  # type: ignore[no-untyped-def]
        if square:
            fsqr(r, a, K)
        else:
            fmul(r, a, b, K)

    return mul


#: The products compared: name -> a function returning the device function.
VARIANTS = {
    "portable": _portable,
    "portable-square": _portable_square,
    "ptx-chain": _ptx_mont_mul,
    **{f"special-{c.name}": functools.partial(_special_form, k) for k, c in CURVES.items()},
    "special-sm2-square": functools.partial(_special_form, 0, square=True),
}
#: The curve whose p each variant multiplies modulo (the Montgomery ones: SM2's).
CURVE_OF = {name: k for k, c in CURVES.items() for name in VARIANTS if f"-{c.name}" in name}


@functools.cache
def kernel(name: str, loop: bool = True) -> Any:
    """The kernel function (not yet ``cuda.jit``) of variant ``name``: ``chain(a, m, minv, k,
    out)``, ``k`` dependent squarings of each column of ``a``; without ``loop`` exactly one
    (``k`` ignored: the kernel whose SASS is counted)."""
    mul = VARIANTS[name]()

    def chain(a, m, minv, k, out):  # type: ignore[no-untyped-def]
        i = cuda.grid(1)
        if i < a.shape[1]:
            x = cuda.local.array(LIMBS, uint32)
            t = cuda.local.array(LIMBS, uint32)
            for j in range(LIMBS):
                x[j] = a[j, i]
            for _ in range(k if loop else 1):
                mul(x, x, x, m, minv[0], t)
            for j in range(LIMBS):
                out[j, i] = x[j]

    return chain


def sass_mix(name: str, cc: tuple[int, int] = (9, 0)) -> str:
    """One line: registers and SASS instruction counts of variant ``name``'s one-product
    kernel for ``cc`` (the kernel's loads, stores and index arithmetic included, the same for
    every variant)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ptx_report import _no_device, _ptxas

    _no_device(cc)
    sig = "void(uint32[:, ::1], uint32[::1], uint32[::1], int64, uint32[:, ::1])"
    ptx, _ = cuda.compile_ptx(kernel(name, loop=False), sig, cc=cc)
    folder = Path(tempfile.mkdtemp())
    path = folder / f"{name}.ptx"
    path.write_text(ptx)
    info = _ptxas(path, cc, None)
    if "error" in info:
        return f"{name:<18} ptxas: {info['error']}"
    line = f"{name:<18} {info['registers']:>4} registers"
    if shutil.which("cuobjdump") and shutil.which("nvdisasm"):
        sass = subprocess.run(
            ["cuobjdump", "-sass", str(path.with_suffix(".cubin"))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        ops = re.findall(r"^\s+/\*[0-9a-f]{4,}\*/\s+(?:@!?U?P\w+\s+)?([A-Z][A-Z0-9]*)", sass, re.M)
        counts = {op: ops.count(op) for op in sorted(set(ops), key=lambda o: -ops.count(o))}
        top = ", ".join(f"{op} {n}" for op, n in list(counts.items())[:6])
        line += f", {len(ops)} SASS instructions ({top})"
    return line


def gpu_rate(name: str, items: int, chain: int) -> str:
    """One line: dependent products per second of variant ``name`` (best of 3 launches after
    a warm-up), and whether a sample of 8 items equals Python's."""
    import numpy as np

    from chaincrypto.cuda.bigint import int_limbs, limbs_int

    p = CURVES[CURVE_OF.get(name, 0)].p
    minv = np.array([curve_minv(p)], np.uint32)
    a = np.random.default_rng(2).integers(0, 1 << 32, (LIMBS, items), dtype=np.uint32)
    a[LIMBS - 1] %= np.uint32(p >> 224)  # below p's top word: every column is below p
    d_a, d_m, d_minv = cuda.to_device(a), cuda.to_device(int_limbs(p)), cuda.to_device(minv)
    d_out = cuda.device_array_like(a)
    k = cuda.jit(kernel(name))
    grid = ((items + 255) // 256, 256)
    k[grid](d_a, d_m, d_minv, chain, d_out)
    cuda.synchronize()
    best = float("inf")
    for _ in range(3):
        start, stop = cuda.event(), cuda.event()
        start.record()
        k[grid](d_a, d_m, d_minv, chain, d_out)
        stop.record()
        stop.synchronize()
        best = min(best, start.elapsed_time(stop) / 1e3)
    out = d_out.copy_to_host()
    inv = 1 if name in CURVE_OF else pow(1 << 256, -1, p)
    ok = True
    for i in range(8):
        x = limbs_int(a[:, i])
        for _ in range(chain):
            x = x * x * inv % p
        ok &= limbs_int(out[:, i]) == x
    rate = items * chain / best / 1e9
    sample = "ok" if ok else "WRONG"
    return f"{name:<18} {rate:8.3f} G products/s  ({best * 1e3:.2f} ms)  sample {sample}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1 << 20, help="threads (GPU timing)")
    parser.add_argument("--chain", type=int, default=256, help="dependent products per thread")
    args = parser.parse_args()
    check_program()
    print("PTX program: equal to Python integers on every curve modulus (interpreter)")
    names = list(VARIANTS)
    if cuda.is_available():
        for name in names:
            print(gpu_rate(name, args.items, args.chain), flush=True)
        return 0
    if shutil.which("ptxas") is None:
        print("no GPU and no ptxas: nothing more to measure here")
        return 0
    for name in names:
        print(sass_mix(name), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
