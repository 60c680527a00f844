/* SM3 round constants T_j <<< (j mod 32), as a static table so that code indexing it with a
 * constant gets immediates, and the scalar round that the single-stream implementations share.
 * Include only where used. */
#ifndef CC_SM3_CONST_H
#define CC_SM3_CONST_H
#include <stdint.h>

#include "../common.h"

#define SM3_TJ_INIT { \
    0x79cc4519, 0xf3988a32, 0xe7311465, 0xce6228cb, 0x9cc45197, 0x3988a32f, 0x7311465e, 0xe6228cbc, \
    0xcc451979, 0x988a32f3, 0x311465e7, 0x6228cbce, 0xc451979c, 0x88a32f39, 0x11465e73, 0x228cbce6, \
    0x9d8a7a87, 0x3b14f50f, 0x7629ea1e, 0xec53d43c, 0xd8a7a879, 0xb14f50f3, 0x629ea1e7, 0xc53d43ce, \
    0x8a7a879d, 0x14f50f3b, 0x29ea1e76, 0x53d43cec, 0xa7a879d8, 0x4f50f3b1, 0x9ea1e762, 0x3d43cec5, \
    0x7a879d8a, 0xf50f3b14, 0xea1e7629, 0xd43cec53, 0xa879d8a7, 0x50f3b14f, 0xa1e7629e, 0x43cec53d, \
    0x879d8a7a, 0x0f3b14f5, 0x1e7629ea, 0x3cec53d4, 0x79d8a7a8, 0xf3b14f50, 0xe7629ea1, 0xcec53d43, \
    0x9d8a7a87, 0x3b14f50f, 0x7629ea1e, 0xec53d43c, 0xd8a7a879, 0xb14f50f3, 0x629ea1e7, 0xc53d43ce, \
    0x8a7a879d, 0x14f50f3b, 0x29ea1e76, 0x53d43cec, 0xa7a879d8, 0x4f50f3b1, 0x9ea1e762, 0x3d43cec5}

static const uint32_t sm3_tj[64] = SM3_TJ_INIT;

static inline uint32_t sm3_p0(uint32_t x) { return x ^ cc_rotl32(x, 9) ^ cc_rotl32(x, 17); }
static inline uint32_t sm3_p1(uint32_t x) { return x ^ cc_rotl32(x, 15) ^ cc_rotl32(x, 23); }

#define SM3_FF0(x, y, z) ((x) ^ (y) ^ (z))
#define SM3_FF1(x, y, z) (((x) & (y)) | (((x) | (y)) & (z)))
#define SM3_GG1(x, y, z) ((((y) ^ (z)) & (x)) ^ (z))

/* One round with the register names rotated instead of moved (only B, D, F and H change); WJ is
 * W[j], WPJ is W'[j] = W[j] ^ W[j+4]. The partial sums off the round-to-round dependency chain
 * are formed first; PIN(x) may hold them there (an empty asm barrier) where the compiler would
 * otherwise re-associate them into the chain. */
#define SM3_ROUND(A, B, C, D, E, F, G, H, j, FF, GG, WJ, WPJ, PIN)                       \
    do {                                                                                 \
        uint32_t et = E + sm3_tj[j];                                                     \
        uint32_t x1 = D + (WPJ);                                                         \
        uint32_t x2 = H + (WJ);                                                          \
        uint32_t a12 = cc_rotl32(A, 12);                                                 \
        uint32_t ss1 = cc_rotl32(a12 + et, 7);                                           \
        x1 += FF(A, B, C);                                                               \
        x2 += GG(E, F, G);                                                               \
        PIN(x1);                                                                         \
        PIN(x2);                                                                         \
        uint32_t tt1 = x1 + (ss1 ^ a12);                                                 \
        uint32_t tt2 = x2 + ss1;                                                         \
        B = cc_rotl32(B, 9);                                                             \
        D = tt1;                                                                         \
        F = cc_rotl32(F, 19);                                                            \
        H = sm3_p0(tt2);                                                                 \
    } while (0)

#endif
