/* SM3 compression function (GB/T 32905-2016), portable C.
 * Rounds are fully unrolled with the register names rotated instead of moved (the way OpenSSL's
 * sm3 does it): per round only B, D, F and H change. The message expansion runs ahead
 * of the rounds inside the unrolled body so that its work overlaps the round dependency chain. */
#include "hash_impl.h"
#include "sm3_const.h"

const uint32_t cc_sm3_iv[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                               0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};

#define EXPAND(j)                                                                        \
    (w[j] = sm3_p1(w[(j) - 16] ^ w[(j) - 9] ^ cc_rotl32(w[(j) - 3], 15)) ^               \
            cc_rotl32(w[(j) - 13], 7) ^ w[(j) - 6])

#define NO_PIN(x) ((void)0)
#define R(A, B, C, D, E, F, G, H, j, FF, GG, WJ, WPJ)                                    \
    SM3_ROUND(A, B, C, D, E, F, G, H, j, FF, GG, WJ, WPJ, NO_PIN)

/* Rounds j..j+3; round j reads w[j] and w[j + 4]. */
#define R4(j, FF, GG)                                                                    \
    do {                                                                                 \
        R(a, b, c, d, e, f, g, h, (j) + 0, FF, GG, w[(j) + 0], w[(j) + 0] ^ w[(j) + 4]); \
        R(d, a, b, c, h, e, f, g, (j) + 1, FF, GG, w[(j) + 1], w[(j) + 1] ^ w[(j) + 5]); \
        R(c, d, a, b, g, h, e, f, (j) + 2, FF, GG, w[(j) + 2], w[(j) + 2] ^ w[(j) + 6]); \
        R(b, c, d, a, f, g, h, e, (j) + 3, FF, GG, w[(j) + 3], w[(j) + 3] ^ w[(j) + 7]); \
    } while (0)

#define X4(j) do { EXPAND(j); EXPAND((j) + 1); EXPAND((j) + 2); EXPAND((j) + 3); } while (0)

void cc_sm3_compress_portable(uint32_t hv[8], const uint8_t *blocks, size_t nblocks)
{
    uint32_t w[68];
    while (nblocks--) {
        for (int j = 0; j < 16; j++)
            w[j] = cc_load32_be(blocks + 4 * j);
        uint32_t a = hv[0], b = hv[1], c = hv[2], d = hv[3];
        uint32_t e = hv[4], f = hv[5], g = hv[6], h = hv[7];
        /* Expansion stays four groups ahead of the rounds (round j needs w[j + 4]). */
        X4(16);
        R4(0, SM3_FF0, SM3_FF0);  X4(20);
        R4(4, SM3_FF0, SM3_FF0);  X4(24);
        R4(8, SM3_FF0, SM3_FF0);  X4(28);
        R4(12, SM3_FF0, SM3_FF0); X4(32);
        R4(16, SM3_FF1, SM3_GG1); X4(36);
        R4(20, SM3_FF1, SM3_GG1); X4(40);
        R4(24, SM3_FF1, SM3_GG1); X4(44);
        R4(28, SM3_FF1, SM3_GG1); X4(48);
        R4(32, SM3_FF1, SM3_GG1); X4(52);
        R4(36, SM3_FF1, SM3_GG1); X4(56);
        R4(40, SM3_FF1, SM3_GG1); X4(60);
        R4(44, SM3_FF1, SM3_GG1); X4(64);
        R4(48, SM3_FF1, SM3_GG1);
        R4(52, SM3_FF1, SM3_GG1);
        R4(56, SM3_FF1, SM3_GG1);
        R4(60, SM3_FF1, SM3_GG1);
        hv[0] ^= a; hv[1] ^= b; hv[2] ^= c; hv[3] ^= d;
        hv[4] ^= e; hv[5] ^= f; hv[6] ^= g; hv[7] ^= h;
        blocks += 64;
    }
}

void cc_sm3_expand_const(const uint8_t block[64], uint32_t wc[CC_WC_WORDS])
{
    uint32_t w[68];
    for (int j = 0; j < 16; j++)
        w[j] = cc_load32_be(block + 4 * j);
    for (int j = 16; j < 68; j++)
        EXPAND(j);
    for (int j = 0; j < 64; j++) {
        wc[j] = w[j];
        wc[64 + j] = w[j] ^ w[j + 4];
    }
}
