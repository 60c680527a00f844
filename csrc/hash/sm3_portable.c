/* SM3 compression function (GB/T 32905-2016), portable C.
 * Rounds are fully unrolled with the register names rotated instead of moved (the way OpenSSL's
 * sm3 does it): per round only B, D, F and H change. The message expansion runs ahead
 * of the rounds inside the unrolled body so that its work overlaps the round dependency chain. */
#include "hash_impl.h"
#include "sm3_const.h"

const uint32_t cc_sm3_iv[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                               0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};

static inline uint32_t p0(uint32_t x) { return x ^ cc_rotl32(x, 9) ^ cc_rotl32(x, 17); }
static inline uint32_t p1(uint32_t x) { return x ^ cc_rotl32(x, 15) ^ cc_rotl32(x, 23); }

#define FF0(x, y, z) ((x) ^ (y) ^ (z))
#define FF1(x, y, z) (((x) & (y)) | (((x) | (y)) & (z)))
#define GG1(x, y, z) ((((y) ^ (z)) & (x)) ^ (z))

#define EXPAND(j)                                                                        \
    (w[j] = p1(w[(j) - 16] ^ w[(j) - 9] ^ cc_rotl32(w[(j) - 3], 15)) ^                   \
            cc_rotl32(w[(j) - 13], 7) ^ w[(j) - 6])

/* Partial sums off the round-to-round dependency chain are formed first. */
#define R(A, B, C, D, E, F, G, H, j, FF, GG, WJ, WPJ)                                    \
    do {                                                                                 \
        uint32_t et = E + sm3_tj[j];                                                     \
        uint32_t x1 = D + (WPJ);                                                         \
        uint32_t x2 = H + (WJ);                                                          \
        uint32_t a12 = cc_rotl32(A, 12);                                                 \
        uint32_t ss1 = cc_rotl32(a12 + et, 7);                                           \
        x1 += FF(A, B, C);                                                               \
        x2 += GG(E, F, G);                                                               \
        uint32_t tt1 = x1 + (ss1 ^ a12);                                                 \
        uint32_t tt2 = x2 + ss1;                                                         \
        B = cc_rotl32(B, 9);                                                             \
        D = tt1;                                                                         \
        F = cc_rotl32(F, 19);                                                            \
        H = p0(tt2);                                                                     \
    } while (0)

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
        R4(0, FF0, FF0);  X4(20);
        R4(4, FF0, FF0);  X4(24);
        R4(8, FF0, FF0);  X4(28);
        R4(12, FF0, FF0); X4(32);
        R4(16, FF1, GG1); X4(36);
        R4(20, FF1, GG1); X4(40);
        R4(24, FF1, GG1); X4(44);
        R4(28, FF1, GG1); X4(48);
        R4(32, FF1, GG1); X4(52);
        R4(36, FF1, GG1); X4(56);
        R4(40, FF1, GG1); X4(60);
        R4(44, FF1, GG1); X4(64);
        R4(48, FF1, GG1);
        R4(52, FF1, GG1);
        R4(56, FF1, GG1);
        R4(60, FF1, GG1);
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
