/* SHA-256 multi-buffer body, included by sha256_avx2.c and sha256_avx512.c after they define:
 *   V, LANES, TGT, ADD, XOR3, ROR, SRL, CHV (select), MAJV, SET1, LOADV/STOREV, LOAD_MSG,
 *   MB_BLOCKS, MB_CONST. Not a standalone header. */
#include "mb_state.h"

#define S0V(x) XOR3(ROR(x, 2), ROR(x, 13), ROR(x, 22))
#define S1V(x) XOR3(ROR(x, 6), ROR(x, 11), ROR(x, 25))
#define s0V(x) XOR3(ROR(x, 7), ROR(x, 18), SRL(x, 3))
#define s1V(x) XOR3(ROR(x, 17), ROR(x, 19), SRL(x, 10))

#define SCHED(j)                                                                         \
    (w[j] = ADD(ADD(w[(j) - 16], s0V(w[(j) - 15])), ADD(w[(j) - 7], s1V(w[(j) - 2]))))

#define RV(A, B, C, D, E, F, G, H, KW)                                                   \
    do {                                                                                 \
        V t1 = ADD(ADD(H, S1V(E)), ADD(CHV(E, F, G), KW));                               \
        D = ADD(D, t1);                                                                  \
        H = ADD(t1, ADD(S0V(A), MAJV(A, B, C)));                                         \
    } while (0)

#define R8(KWJ, j)                                                                       \
    do {                                                                                 \
        RV(a, b, c, d, e, f, g, h, KWJ((j) + 0));                                        \
        RV(h, a, b, c, d, e, f, g, KWJ((j) + 1));                                        \
        RV(g, h, a, b, c, d, e, f, KWJ((j) + 2));                                        \
        RV(f, g, h, a, b, c, d, e, KWJ((j) + 3));                                        \
        RV(e, f, g, h, a, b, c, d, KWJ((j) + 4));                                        \
        RV(d, e, f, g, h, a, b, c, KWJ((j) + 5));                                        \
        RV(c, d, e, f, g, h, a, b, KWJ((j) + 6));                                        \
        RV(b, c, d, e, f, g, h, a, KWJ((j) + 7));                                        \
    } while (0)

#define KWM(j) ADD(w[j], SET1(cc_sha256_k[j]))
#define KWC(j) SET1(wc[j])
#define X8(j)                                                                            \
    do {                                                                                 \
        SCHED(j); SCHED((j) + 1); SCHED((j) + 2); SCHED((j) + 3);                        \
        SCHED((j) + 4); SCHED((j) + 5); SCHED((j) + 6); SCHED((j) + 7);                  \
    } while (0)

#define ADD_STATE()                                                                      \
    do {                                                                                 \
        a = ADD(a, a0); b = ADD(b, b0); c = ADD(c, c0); d = ADD(d, d0);                  \
        e = ADD(e, e0); f = ADD(f, f0); g = ADD(g, g0); h = ADD(h, h0);                  \
    } while (0)

TGT void MB_BLOCKS(uint32_t *st, const uint8_t *const *p, size_t nblocks)
{
    V w[64];
    LOAD_STATE();
    for (size_t blk = 0; blk < nblocks; blk++) {
        LOAD_MSG(w, p, 64 * blk);
        V a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h;
        R8(KWM, 0);  X8(16);
        R8(KWM, 8);  X8(24);
        R8(KWM, 16); X8(32);
        R8(KWM, 24); X8(40);
        R8(KWM, 32); X8(48);
        R8(KWM, 40); X8(56);
        R8(KWM, 48);
        R8(KWM, 56);
        ADD_STATE();
    }
    STORE_STATE();
}

TGT void MB_CONST(uint32_t *st, const uint32_t *wc)
{
    LOAD_STATE();
    V a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h;
    for (int j = 0; j < 64; j += 16) {
        R8(KWC, j);
        R8(KWC, j + 8);
    }
    ADD_STATE();
    STORE_STATE();
}
