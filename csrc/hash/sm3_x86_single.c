/* SM3 single stream on x86-64 with AVX2 + BMI2: the message expansion runs four words at a time
 * in XMM registers (vector pipes), interleaved with the scalar rounds (integer pipes, rorx for
 * the rotations), so the two overlap.
 *
 * The expansion W[j] = P1(W[j-16] ^ W[j-9] ^ (W[j-3] <<< 15)) ^ (W[j-13] <<< 7) ^ W[j-6] needs
 * W[j] itself for W[j+3]; everything in it is XOR-linear, so words j..j+3 are computed with
 * W[j] taken as 0 and the last one corrected by P1(W[j] <<< 15) afterwards. */
#include "hash_impl.h"
#include "sm3_const.h"

#if CC_HASH_X86
#include <immintrin.h>

#define TGT __attribute__((target("avx2,bmi2")))

#define VROL(x, n) _mm_or_si128(_mm_slli_epi32(x, n), _mm_srli_epi32(x, 32 - (n)))
#define VP1(x) _mm_xor_si128(_mm_xor_si128(x, VROL(x, 15)), VROL(x, 23))
#define VX(x, y) _mm_xor_si128(x, y)

/* The rounds read W from memory (folded loads); without this the compiler moves the words out
 * of the vector registers with vpextrd, which costs more than the store and the loads. */
#define MEM_BARRIER() __asm__ volatile("" ::: "memory")

/* Group g (words 4g..4g+3) from X0..X3 = groups g-4..g-1; stores W and the W' group g-1. */
#define EXP(g)                                                                           \
    do {                                                                                 \
        __m128i w9 = _mm_alignr_epi8(X2, X1, 12);                                        \
        __m128i w13 = _mm_alignr_epi8(X1, X0, 12);                                       \
        __m128i w6 = _mm_alignr_epi8(X3, X2, 8);                                         \
        __m128i w3 = _mm_srli_si128(X3, 4);                                              \
        __m128i t = VP1(VX(VX(X0, w9), VROL(w3, 15)));                                   \
        t = VX(t, VX(VROL(w13, 7), w6));                                                 \
        __m128i u = VROL(_mm_slli_si128(t, 12), 15);                                     \
        t = VX(t, VP1(u));                                                               \
        _mm_store_si128((__m128i *)(void *)(w + 4 * (g)), t);                            \
        _mm_store_si128((__m128i *)(void *)(wp + 4 * ((g) - 1)), VX(X3, t));             \
        X0 = X1; X1 = X2; X2 = X3; X3 = t;                                               \
        MEM_BARRIER();                                                                   \
    } while (0)

/* Keeps the compiler from re-associating a partial sum into the dependency chain. */
#define OPAQUE(x) __asm__("" : "+r"(x))

/* The schedule words come from the w and wp arrays the vector expansion stores. */
#define R(A, B, C, D, E, F, G, H, j, FF, GG)                                             \
    SM3_ROUND(A, B, C, D, E, F, G, H, j, FF, GG, w[j], wp[j], OPAQUE)

#define R4(j, FF, GG)                                                                    \
    do {                                                                                 \
        R(a, b, c, d, e, f, g, h, (j) + 0, FF, GG);                                      \
        R(d, a, b, c, h, e, f, g, (j) + 1, FF, GG);                                      \
        R(c, d, a, b, g, h, e, f, (j) + 2, FF, GG);                                      \
        R(b, c, d, a, f, g, h, e, (j) + 3, FF, GG);                                      \
    } while (0)

TGT void cc_sm3_compress_avx2(uint32_t hv[8], const uint8_t *blocks, size_t nblocks)
{
    _Alignas(16) uint32_t w[68];
    _Alignas(16) uint32_t wp[64];
    const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    while (nblocks--) {
        __m128i X0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)blocks), bswap);
        __m128i X1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blocks + 16)), bswap);
        __m128i X2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blocks + 32)), bswap);
        __m128i X3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blocks + 48)), bswap);
        _mm_store_si128((__m128i *)(void *)(w + 0), X0);
        _mm_store_si128((__m128i *)(void *)(w + 4), X1);
        _mm_store_si128((__m128i *)(void *)(w + 8), X2);
        _mm_store_si128((__m128i *)(void *)(w + 12), X3);
        _mm_store_si128((__m128i *)(void *)(wp + 0), VX(X0, X1));
        _mm_store_si128((__m128i *)(void *)(wp + 4), VX(X1, X2));
        _mm_store_si128((__m128i *)(void *)(wp + 8), VX(X2, X3));
        MEM_BARRIER();
        uint32_t a = hv[0], b = hv[1], c = hv[2], d = hv[3];
        uint32_t e = hv[4], f = hv[5], g = hv[6], h = hv[7];
        EXP(4);
        EXP(5);
        R4(0, SM3_FF0, SM3_FF0);  EXP(6);
        R4(4, SM3_FF0, SM3_FF0);  EXP(7);
        R4(8, SM3_FF0, SM3_FF0);  EXP(8);
        R4(12, SM3_FF0, SM3_FF0); EXP(9);
        R4(16, SM3_FF1, SM3_GG1); EXP(10);
        R4(20, SM3_FF1, SM3_GG1); EXP(11);
        R4(24, SM3_FF1, SM3_GG1); EXP(12);
        R4(28, SM3_FF1, SM3_GG1); EXP(13);
        R4(32, SM3_FF1, SM3_GG1); EXP(14);
        R4(36, SM3_FF1, SM3_GG1); EXP(15);
        R4(40, SM3_FF1, SM3_GG1); EXP(16);
        R4(44, SM3_FF1, SM3_GG1);
        R4(48, SM3_FF1, SM3_GG1);
        R4(52, SM3_FF1, SM3_GG1);
        R4(56, SM3_FF1, SM3_GG1);
        R4(60, SM3_FF1, SM3_GG1);
        hv[0] ^= a; hv[1] ^= b; hv[2] ^= c; hv[3] ^= d;
        hv[4] ^= e; hv[5] ^= f; hv[6] ^= g; hv[7] ^= h;
        blocks += 64;
    }
}

#endif
