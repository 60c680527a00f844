#!/usr/bin/env python3
"""Generate the x86-64 (baseline: mulq/adc, no BMI2) Montgomery multiplication used by
modarith_impl.h: finely integrated product scanning (FIPS), a 3-word column accumulator, so
that the multiplications pipeline instead of serialising on per-row carry chains.
Prints the asm body for the MINV != 1 and MINV == 1 variants; paste into modarith_impl.h."""


def body(minv_one):
    L = []
    e = L.append
    acc = ["%%r8", "%%r9", "%%r10"]
    q = ["%%r11", "%%r12", "%%r13", "%%r14"]

    def mac(x, y):  # acc += x * y; x: register or memory for rax, y: memory/register
        e(f"movq {x}, %%rax")
        e(f"mulq {y}")
        e(f"addq %%rax, {acc[0]}")
        e(f"adcq %%rdx, {acc[1]}")
        e(f"adcq $0, {acc[2]}")

    def shift():
        acc.append(acc.pop(0))
        e(f"xorl {acc[2]}d, {acc[2]}d".replace("%%r8d", "%%r8d"))

    for r in acc:
        e(f"xorl {r}d, {r}d")
    for i in range(4):
        for j in range(i):
            mac(f"{8*j}(%[a])", f"{8*(i-j)}(%[b])")
            mac(q[j], f"%[m{i-j}]")
        mac(f"{8*i}(%[a])", "0(%[b])")
        e(f"movq {acc[0]}, {q[i]}")
        if not minv_one:
            e(f"imulq %[minv], {q[i]}")
            mac(q[i], "%[m0]")
        else:
            # M = -1 mod 2^64 (P-256, SM2): q = acc0 and q*m0 = q*2^64 - q, so adding it
            # clears acc0 and adds q one word up: no multiplication on the critical path
            e(f"addq {q[i]}, {acc[1]}")
            e(f"adcq $0, {acc[2]}")
        shift()
    res = q  # q[j] is dead after column j + 3: column i's word goes to q[i - 4]
    for i in range(4, 8):
        for j in range(i - 3, 4):
            mac(f"{8*j}(%[a])", f"{8*(i-j)}(%[b])")
            mac(q[j], f"%[m{i-j}]")
        e(f"movq {acc[0]}, {res[i-4]}")
        if i < 7:
            shift()
    # (carry:res) < 2M: subtract M, keep res on borrow (cmov, constant time)
    cp = ["%%rax", "%%rdx", acc[0], acc[2]]
    for j in range(4):
        e(f"movq {res[j]}, {cp[j]}")
        e(f"{'subq' if j == 0 else 'sbbq'} %[m{j}], {cp[j]}")
    e(f"sbbq $0, {acc[1]}")
    for j in range(4):
        e(f"cmovncq {cp[j]}, {res[j]}")
        e(f"movq {res[j]}, {8*j}(%[r])")
    return "\n".join(f'        "{s}\\n\\t"' for s in L)


def p256_round(e, w):
    """t += q*M for the P-256 prime, q = w[0]: M = 2^256 - 2^224 + 2^192 + 2^96 - 1, so q*M + t
    clears w[0] and adds q*2^96 (shifts) and q*0xffffffff00000001*2^192 (one mulx)."""
    e(f"movq {w[0]}, %%rdx")
    e(f"movq {w[0]}, %%rax")
    e("shlq $32, %%rax")
    e(f"shrq $32, %%rdx")
    e(f"addq %%rax, {w[1]}")
    e(f"adcq %%rdx, {w[2]}")
    e(f"movq {w[0]}, %%rdx")
    e("mulxq %[m3], %%rax, %%rcx")
    e(f"adcq %%rax, {w[3]}")
    e(f"adcq %%rcx, {w[4]}")
    e(f"adcq $0, {w[5]}")


def k1_round(e, w):
    """t += q*M for M = 2^256 - c (secp256k1 prime, c = 2^32 + 977): q = w[0]*minv, q*c has
    low word w[0], so subtract its high word from w[1] (borrow up to w[5]) and add q at w[4]."""
    e(f"movq {w[0]}, %%rdx")
    e("imulq %[minv], %%rdx")
    e("mulxq %[kc], %%rax, %%rcx")
    e(f"subq %%rcx, {w[1]}")
    for j in (2, 3, 4, 5):
        e(f"sbbq $0, {w[j]}")
    e(f"addq %%rdx, {w[4]}")
    e(f"adcq $0, {w[5]}")


def sm2_round(e, w):
    """t += q*M for the SM2 prime, q = w[0]: M = 2^256 - 2^224 - 2^96 + 2^64 - 1, so q*M + t
    clears w[0], adds q at words 1 and 4 and subtracts q*2^96 + q*2^224 (shifts): no mulx."""
    e(f"movq {w[0]}, %%rdx")
    e("movq %%rdx, %%rax")
    e("shlq $32, %%rax")
    e("movq %%rdx, %%rcx")
    e("shrq $32, %%rcx")
    e(f"addq %%rdx, {w[1]}")
    e(f"adcq $0, {w[2]}")
    e(f"adcq $0, {w[3]}")
    e(f"adcq %%rdx, {w[4]}")
    e(f"adcq $0, {w[5]}")
    e(f"subq %%rax, {w[1]}")
    e(f"sbbq %%rcx, {w[2]}")
    e(f"sbbq %%rax, {w[3]}")
    e(f"sbbq %%rcx, {w[4]}")
    e(f"sbbq $0, {w[5]}")


def body_adx(minv_one, p256=False, k1=False, sm2=False):
    """CIOS with mulx and two carry chains (adcx: CF, adox: OF); needs BMI2 + ADX at run time."""
    L = []
    e = L.append
    R = ["%%r8", "%%r9", "%%r10", "%%r11", "%%r12", "%%r13"]
    z = "%%r14"
    for r in R[:5] + [z]:
        e(f"xorl {r}d, {r}d")
    for i in range(4):
        t = [R[(i + j) % 6] for j in range(6)]
        e(f"xorl {t[5]}d, {t[5]}d")  # also clears CF and OF
        e(f"movq {8*i}(%[b]), %%rdx")
        for j in range(4):
            e(f"mulxq {8*j}(%[a]), %%rax, %%rcx")
            e(f"adcxq %%rax, {t[j]}")
            e(f"adoxq %%rcx, {t[j+1]}")
        e(f"adcxq {z}, {t[4]}")
        e(f"adoxq {z}, {t[5]}")
        e(f"adcxq {z}, {t[5]}")
        if p256 or k1 or sm2:
            (p256_round if p256 else k1_round if k1 else sm2_round)(e, t)
            continue
        e(f"movq {t[0]}, %%rdx")
        if not minv_one:
            e("imulq %[minv], %%rdx")
        e(f"xorl %%eax, %%eax")  # clears CF and OF
        if minv_one:
            # M = -1 mod 2^64: q*m0 + t0 = q*2^64
            e(f"adoxq %%rdx, {t[1]}")
        else:
            e("mulxq %[m0], %%rax, %%rcx")
            e(f"adcxq %%rax, {t[0]}")
            e(f"adoxq %%rcx, {t[1]}")
        for j in range(1, 4):
            e(f"mulxq %[m{j}], %%rax, %%rcx")
            e(f"adcxq %%rax, {t[j]}")
            e(f"adoxq %%rcx, {t[j+1]}")
        e(f"adcxq {z}, {t[4]}")
        e(f"adoxq {z}, {t[5]}")
        e(f"adcxq {z}, {t[5]}")
    t = [R[(4 + j) % 6] for j in range(6)]
    res, carry = t[:4], t[4]
    cp = ["%%rax", "%%rcx", "%%rdx", t[5]]
    for j in range(4):
        e(f"movq {res[j]}, {cp[j]}")
        e(f"{'subq' if j == 0 else 'sbbq'} %[m{j}], {cp[j]}")
    e(f"sbbq $0, {carry}")
    for j in range(4):
        e(f"cmovncq {cp[j]}, {res[j]}")
        e(f"movq {res[j]}, {8*j}(%[r])")
    return "\n".join(f'        "{s}\\n\\t"' for s in L)


def body_adx_sqr(minv_one, p256=False, k1=False, sm2=False):
    """Montgomery squaring with mulx: 6 cross products doubled + 4 squares, the high half parked
    in the output, word-by-word REDC of the low half (adcx/adox), add the high half, subtract."""
    L = []
    e = L.append
    t = ["%%r8", "%%r9", "%%r10", "%%r11", "%%r12", "%%r13", "%%r14", "%%r15"]
    e("movq 0(%[a]), %%rdx")
    e(f"mulxq 8(%[a]), {t[1]}, {t[2]}")
    e(f"mulxq 16(%[a]), %%rax, {t[3]}")
    e(f"addq %%rax, {t[2]}")
    e(f"mulxq 24(%[a]), %%rax, {t[4]}")
    e(f"adcq %%rax, {t[3]}")
    e(f"adcq $0, {t[4]}")
    e("movq 8(%[a]), %%rdx")
    e("mulxq 16(%[a]), %%rax, %%rcx")
    e(f"mulxq 24(%[a]), {t[6]}, {t[5]}")
    e(f"addq %%rax, {t[3]}")
    e(f"adcq %%rcx, {t[4]}")
    e(f"adcq $0, {t[5]}")
    e(f"addq {t[6]}, {t[4]}")
    e(f"adcq $0, {t[5]}")
    e("movq 16(%[a]), %%rdx")
    e(f"mulxq 24(%[a]), %%rax, {t[6]}")
    e(f"addq %%rax, {t[5]}")
    e(f"adcq $0, {t[6]}")
    e(f"xorl {t[7]}d, {t[7]}d")
    e(f"addq {t[1]}, {t[1]}")
    for j in range(2, 8):
        e(f"adcq {t[j]}, {t[j]}")
    e("movq 0(%[a]), %%rdx")
    e(f"mulxq %%rdx, {t[0]}, %%rax")
    e(f"addq %%rax, {t[1]}")
    for j in (1, 2, 3):
        e(f"movq {8*j}(%[a]), %%rdx")
        e("mulxq %%rdx, %%rax, %%rcx")
        e(f"adcq %%rax, {t[2*j]}")
        e(f"adcq %%rcx, {t[2*j+1]}")
    for j in range(4):
        e(f"movq {t[4+j]}, {8*j}(%[r])")
    R = t[:6]
    z = t[6]
    e(f"xorl {R[4]}d, {R[4]}d")
    e(f"xorl {z}d, {z}d")
    for i in range(4):
        w = [R[(i + j) % 6] for j in range(6)]
        e(f"xorl {w[5]}d, {w[5]}d")
        if p256 or k1 or sm2:
            (p256_round if p256 else k1_round if k1 else sm2_round)(e, w)
            continue
        e(f"movq {w[0]}, %%rdx")
        if minv_one:
            e(f"adoxq %%rdx, {w[1]}")
        else:
            e("imulq %[minv], %%rdx")
            e("xorl %%eax, %%eax")
            e("mulxq %[m0], %%rax, %%rcx")
            e(f"adcxq %%rax, {w[0]}")
            e(f"adoxq %%rcx, {w[1]}")
        for j in range(1, 4):
            e(f"mulxq %[m{j}], %%rax, %%rcx")
            e(f"adcxq %%rax, {w[j]}")
            e(f"adoxq %%rcx, {w[j+1]}")
        e(f"adcxq {z}, {w[4]}")
        e(f"adoxq {z}, {w[5]}")
        e(f"adcxq {z}, {w[5]}")
    w = [R[(4 + j) % 6] for j in range(6)]
    res, carry = w[:4], w[4]
    e(f"addq 0(%[r]), {res[0]}")
    for j in (1, 2, 3):
        e(f"adcq {8*j}(%[r]), {res[j]}")
    e(f"adcq $0, {carry}")
    cp = ["%%rax", "%%rcx", "%%rdx", w[5]]
    for j in range(4):
        e(f"movq {res[j]}, {cp[j]}")
        e(f"{'subq' if j == 0 else 'sbbq'} %[m{j}], {cp[j]}")
    e(f"sbbq $0, {carry}")
    for j in range(4):
        e(f"cmovncq {cp[j]}, {res[j]}")
        e(f"movq {res[j]}, {8*j}(%[r])")
    return "\n".join(f'        "{s}\\n\\t"' for s in L)


if __name__ == "__main__":
    print("#if CC_EC_ADX && MA_P256")
    print(body_adx(True, True))
    print("#elif CC_EC_ADX && MA_SM2")
    print(body_adx(True, sm2=True))
    print("#elif CC_EC_ADX && MA_K1")
    print(body_adx(False, k1=True))
    print("#elif CC_EC_ADX && MA_MINV == 1")
    print(body_adx(True))
    print("#elif CC_EC_ADX")
    print(body_adx(False))
    print("#elif MA_MINV == 1")
    print(body(True))
    print("#else")
    print(body(False))
    print("#endif")
    print("/* squaring (BMI2/ADX only) */")
    print("#if MA_P256")
    print(body_adx_sqr(True, True))
    print("#elif MA_SM2")
    print(body_adx_sqr(True, sm2=True))
    print("#elif MA_K1")
    print(body_adx_sqr(False, k1=True))
    print("#elif MA_MINV == 1")
    print(body_adx_sqr(True))
    print("#else")
    print(body_adx_sqr(False))
    print("#endif")
