/* SM3 compression function (GB/T 32905-2016), portable C. */
#include "hash_impl.h"

const uint32_t cc_sm3_iv[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                               0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};

static inline uint32_t p0(uint32_t x) { return x ^ cc_rotl32(x, 9) ^ cc_rotl32(x, 17); }
static inline uint32_t p1(uint32_t x) { return x ^ cc_rotl32(x, 15) ^ cc_rotl32(x, 23); }

/* T_j rotated left by j mod 32, precomputed so that each round saves a rotation. */
static const uint32_t sm3_tj[64] = {
    0x79cc4519, 0xf3988a32, 0xe7311465, 0xce6228cb, 0x9cc45197, 0x3988a32f, 0x7311465e, 0xe6228cbc,
    0xcc451979, 0x988a32f3, 0x311465e7, 0x6228cbce, 0xc451979c, 0x88a32f39, 0x11465e73, 0x228cbce6,
    0x9d8a7a87, 0x3b14f50f, 0x7629ea1e, 0xec53d43c, 0xd8a7a879, 0xb14f50f3, 0x629ea1e7, 0xc53d43ce,
    0x8a7a879d, 0x14f50f3b, 0x29ea1e76, 0x53d43cec, 0xa7a879d8, 0x4f50f3b1, 0x9ea1e762, 0x3d43cec5,
    0x7a879d8a, 0xf50f3b14, 0xea1e7629, 0xd43cec53, 0xa879d8a7, 0x50f3b14f, 0xa1e7629e, 0x43cec53d,
    0x879d8a7a, 0x0f3b14f5, 0x1e7629ea, 0x3cec53d4, 0x79d8a7a8, 0xf3b14f50, 0xe7629ea1, 0xcec53d43,
    0x9d8a7a87, 0x3b14f50f, 0x7629ea1e, 0xec53d43c, 0xd8a7a879, 0xb14f50f3, 0x629ea1e7, 0xc53d43ce,
    0x8a7a879d, 0x14f50f3b, 0x29ea1e76, 0x53d43cec, 0xa7a879d8, 0x4f50f3b1, 0x9ea1e762, 0x3d43cec5};

#define SM3_ROUND(j, FF, GG)                                                         \
    do {                                                                             \
        uint32_t a12 = cc_rotl32(a, 12);                                             \
        uint32_t ss1 = cc_rotl32(a12 + e + sm3_tj[j], 7);                            \
        uint32_t ss2 = ss1 ^ a12;                                                    \
        uint32_t tt1 = FF(a, b, c) + d + ss2 + (w[j] ^ w[(j) + 4]);                  \
        uint32_t tt2 = GG(e, f, g) + h + ss1 + w[j];                                 \
        d = c;                                                                       \
        c = cc_rotl32(b, 9);                                                         \
        b = a;                                                                       \
        a = tt1;                                                                     \
        h = g;                                                                       \
        g = cc_rotl32(f, 19);                                                        \
        f = e;                                                                       \
        e = p0(tt2);                                                                 \
    } while (0)

#define FF0(x, y, z) ((x) ^ (y) ^ (z))
#define FF1(x, y, z) (((x) & (y)) | ((x) & (z)) | ((y) & (z)))
#define GG1(x, y, z) (((x) & (y)) | (~(x) & (z)))

void cc_sm3_compress_portable(uint32_t hv[8], const uint8_t *blocks, size_t nblocks)
{
    uint32_t w[68];
    while (nblocks--) {
        for (int j = 0; j < 16; j++)
            w[j] = cc_load32_be(blocks + 4 * j);
        for (int j = 16; j < 68; j++)
            w[j] = p1(w[j - 16] ^ w[j - 9] ^ cc_rotl32(w[j - 3], 15)) ^ cc_rotl32(w[j - 13], 7) ^
                   w[j - 6];
        uint32_t a = hv[0], b = hv[1], c = hv[2], d = hv[3];
        uint32_t e = hv[4], f = hv[5], g = hv[6], h = hv[7];
        for (int j = 0; j < 16; j++)
            SM3_ROUND(j, FF0, FF0);
        for (int j = 16; j < 64; j++)
            SM3_ROUND(j, FF1, GG1);
        hv[0] ^= a; hv[1] ^= b; hv[2] ^= c; hv[3] ^= d;
        hv[4] ^= e; hv[5] ^= f; hv[6] ^= g; hv[7] ^= h;
        blocks += 64;
    }
}
