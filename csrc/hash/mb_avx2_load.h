/* Message loading for the 8-lane AVX2 kernels: 16 big-endian words of each lane's block,
 * transposed so that w[i] holds word i of every lane. Included only inside CC_HASH_X86. */
#ifndef CC_MB_AVX2_LOAD_H
#define CC_MB_AVX2_LOAD_H
#include <immintrin.h>

#define CC_TGT_AVX2 __attribute__((target("avx2")))

/* Words 8*half .. 8*half+7 of the 8 lanes' blocks (bytes off .. off+31 of each). */
CC_TGT_AVX2 static inline void cc_load8x8_be(__m256i *w, const uint8_t *const *p, size_t off)
{
    const __m256i bswap = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
                                           3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
#define CC_LD(l) _mm256_loadu_si256((const __m256i *)(const void *)(p[l] + off))
    __m256i r0 = CC_LD(0), r1 = CC_LD(1), r2 = CC_LD(2), r3 = CC_LD(3);
    __m256i r4 = CC_LD(4), r5 = CC_LD(5), r6 = CC_LD(6), r7 = CC_LD(7);
#undef CC_LD
    __m256i t0 = _mm256_unpacklo_epi32(r0, r1), t1 = _mm256_unpackhi_epi32(r0, r1);
    __m256i t2 = _mm256_unpacklo_epi32(r2, r3), t3 = _mm256_unpackhi_epi32(r2, r3);
    __m256i t4 = _mm256_unpacklo_epi32(r4, r5), t5 = _mm256_unpackhi_epi32(r4, r5);
    __m256i t6 = _mm256_unpacklo_epi32(r6, r7), t7 = _mm256_unpackhi_epi32(r6, r7);
    __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
    __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
    __m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
    __m256i u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
    w[0] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(u0, u4, 0x20), bswap);
    w[1] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(u1, u5, 0x20), bswap);
    w[2] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(u2, u6, 0x20), bswap);
    w[3] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(u3, u7, 0x20), bswap);
    w[4] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(u0, u4, 0x31), bswap);
    w[5] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(u1, u5, 0x31), bswap);
    w[6] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(u2, u6, 0x31), bswap);
    w[7] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(u3, u7, 0x31), bswap);
}

CC_TGT_AVX2 static inline void cc_load16x8_be(__m256i *w, const uint8_t *const *p, size_t off)
{
    cc_load8x8_be(w, p, off);
    cc_load8x8_be(w + 8, p, off + 32);
}

#endif
