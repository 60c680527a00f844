/* Message loading for the 16-lane AVX-512 kernels: 16 big-endian words of each lane's block,
 * transposed so that w[i] holds word i of every lane. Included only inside CC_HASH_X86. */
#ifndef CC_MB_AVX512_LOAD_H
#define CC_MB_AVX512_LOAD_H
#include <immintrin.h>

#define CC_TGT_AVX512 __attribute__((target("avx512f,avx512vl,avx512bw")))

CC_TGT_AVX512 static inline void cc_load16x16_be(__m512i *w, const uint8_t *const *p, size_t off)
{
    const __m512i bswap = _mm512_set_epi32(
        0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203, 0x0c0d0e0f, 0x08090a0b, 0x04050607,
        0x00010203, 0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203, 0x0c0d0e0f, 0x08090a0b,
        0x04050607, 0x00010203);
    __m512i r[16], t[16], u[16];
    for (int l = 0; l < 16; l++)
        r[l] = _mm512_loadu_si512((const void *)(p[l] + off));
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
    }
    /* u[4i + k]: lanes 4i..4i+3, word 4c + k in 128-bit chunk c. */
    for (int i = 0; i < 4; i++) {
        u[4 * i + 0] = _mm512_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
        u[4 * i + 1] = _mm512_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
        u[4 * i + 2] = _mm512_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
        u[4 * i + 3] = _mm512_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
    }
    for (int k = 0; k < 4; k++) {
        __m512i x0 = _mm512_shuffle_i32x4(u[k], u[4 + k], 0x44);
        __m512i x1 = _mm512_shuffle_i32x4(u[k], u[4 + k], 0xee);
        __m512i x2 = _mm512_shuffle_i32x4(u[8 + k], u[12 + k], 0x44);
        __m512i x3 = _mm512_shuffle_i32x4(u[8 + k], u[12 + k], 0xee);
        w[k] = _mm512_shuffle_epi8(_mm512_shuffle_i32x4(x0, x2, 0x88), bswap);
        w[4 + k] = _mm512_shuffle_epi8(_mm512_shuffle_i32x4(x0, x2, 0xdd), bswap);
        w[8 + k] = _mm512_shuffle_epi8(_mm512_shuffle_i32x4(x1, x3, 0x88), bswap);
        w[12 + k] = _mm512_shuffle_epi8(_mm512_shuffle_i32x4(x1, x3, 0xdd), bswap);
    }
}

#endif
