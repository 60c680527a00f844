/* SM3 multi-buffer body, included by sm3_avx2.c and sm3_avx512.c after they define:
 *   V, LANES, TGT (target attribute), ADD, XOR, XOR3, ROL, FF1V (majority), GG1V (select),
 *   SET1, LOADV/STOREV (unaligned vector load/store), LOAD_MSG(w, p, off) (16 big-endian
 *   message words of every lane, w[0..15]),
 *   MB_BLOCKS, MB_CONST (the function names).
 * Not a standalone header. */
#include "mb_state.h"
#include "sm3_const.h"

#define FF0V(x, y, z) XOR3(x, y, z)
#define P0V(x) XOR3(x, ROL(x, 9), ROL(x, 17))
#define P1V(x) XOR3(x, ROL(x, 15), ROL(x, 23))

#define EXPANDV(j)                                                                       \
    (w[j] = XOR3(P1V(XOR3(w[(j) - 16], w[(j) - 9], ROL(w[(j) - 3], 15))),                \
                 ROL(w[(j) - 13], 7), w[(j) - 6]))

#define RV(A, B, C, D, E, F, G, H, j, FF, GG, WJ, WPJ)                                   \
    do {                                                                                 \
        V a12 = ROL(A, 12);                                                              \
        V ss1 = ROL(ADD(ADD(a12, E), SET1(sm3_tj[j])), 7);                            \
        V tt1 = ADD(ADD(FF(A, B, C), D), ADD(XOR(ss1, a12), WPJ));                       \
        V tt2 = ADD(ADD(GG(E, F, G), H), ADD(ss1, WJ));                                  \
        B = ROL(B, 9);                                                                   \
        D = tt1;                                                                         \
        F = ROL(F, 19);                                                                  \
        H = P0V(tt2);                                                                    \
    } while (0)

/* Message words from the expanded vectors. */
#define R4M(j, FF, GG)                                                                   \
    do {                                                                                 \
        RV(a, b, c, d, e, f, g, h, (j) + 0, FF, GG, w[(j) + 0], XOR(w[(j) + 0], w[(j) + 4])); \
        RV(d, a, b, c, h, e, f, g, (j) + 1, FF, GG, w[(j) + 1], XOR(w[(j) + 1], w[(j) + 5])); \
        RV(c, d, a, b, g, h, e, f, (j) + 2, FF, GG, w[(j) + 2], XOR(w[(j) + 2], w[(j) + 6])); \
        RV(b, c, d, a, f, g, h, e, (j) + 3, FF, GG, w[(j) + 3], XOR(w[(j) + 3], w[(j) + 7])); \
    } while (0)

/* Message words broadcast from a constant schedule. */
#define R4C(j, FF, GG)                                                                   \
    do {                                                                                 \
        RV(a, b, c, d, e, f, g, h, (j) + 0, FF, GG, SET1(wc[(j) + 0]), SET1(wc[64 + (j) + 0])); \
        RV(d, a, b, c, h, e, f, g, (j) + 1, FF, GG, SET1(wc[(j) + 1]), SET1(wc[64 + (j) + 1])); \
        RV(c, d, a, b, g, h, e, f, (j) + 2, FF, GG, SET1(wc[(j) + 2]), SET1(wc[64 + (j) + 2])); \
        RV(b, c, d, a, f, g, h, e, (j) + 3, FF, GG, SET1(wc[(j) + 3]), SET1(wc[64 + (j) + 3])); \
    } while (0)

#define X4V(j) do { EXPANDV(j); EXPANDV((j) + 1); EXPANDV((j) + 2); EXPANDV((j) + 3); } while (0)

TGT void MB_BLOCKS(uint32_t *st, const uint8_t *const *p, size_t nblocks)
{
    V w[68];
    LOAD_STATE();
    for (size_t blk = 0; blk < nblocks; blk++) {
        LOAD_MSG(w, p, 64 * blk);
        V a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h;
        X4V(16);
        R4M(0, FF0V, FF0V);  X4V(20);
        R4M(4, FF0V, FF0V);  X4V(24);
        R4M(8, FF0V, FF0V);  X4V(28);
        R4M(12, FF0V, FF0V); X4V(32);
        R4M(16, FF1V, GG1V); X4V(36);
        R4M(20, FF1V, GG1V); X4V(40);
        R4M(24, FF1V, GG1V); X4V(44);
        R4M(28, FF1V, GG1V); X4V(48);
        R4M(32, FF1V, GG1V); X4V(52);
        R4M(36, FF1V, GG1V); X4V(56);
        R4M(40, FF1V, GG1V); X4V(60);
        R4M(44, FF1V, GG1V); X4V(64);
        R4M(48, FF1V, GG1V);
        R4M(52, FF1V, GG1V);
        R4M(56, FF1V, GG1V);
        R4M(60, FF1V, GG1V);
        a = XOR(a, a0); b = XOR(b, b0); c = XOR(c, c0); d = XOR(d, d0);
        e = XOR(e, e0); f = XOR(f, f0); g = XOR(g, g0); h = XOR(h, h0);
    }
    STORE_STATE();
}

TGT void MB_CONST(uint32_t *st, const uint32_t *wc)
{
    LOAD_STATE();
    V a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h;
    R4C(0, FF0V, FF0V);
    R4C(4, FF0V, FF0V);
    R4C(8, FF0V, FF0V);
    R4C(12, FF0V, FF0V);
    for (int j = 16; j < 64; j += 16) {
        R4C(j, FF1V, GG1V);
        R4C(j + 4, FF1V, GG1V);
        R4C(j + 8, FF1V, GG1V);
        R4C(j + 12, FF1V, GG1V);
    }
    a = XOR(a, a0); b = XOR(b, b0); c = XOR(c, c0); d = XOR(d, d0);
    e = XOR(e, e0); f = XOR(f, f0); g = XOR(g, g0); h = XOR(h, h0);
    STORE_STATE();
}
