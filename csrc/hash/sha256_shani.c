/* SHA-256 with the SHA extensions (sha256rnds2, sha256msg1/2): one stream, and two or four
 * streams interleaved so that the others hide the latency of one stream's round instructions.
 * On Zen 4 one stream is bound by the sha256rnds2 latency (about 130 cycles a block), two or
 * four by the throughput of the SHA unit, rounds and message schedule together (about 68
 * cycles a block); a block whose schedule is precomputed (the constant padding block of a
 * fixed-length batch) needs the rounds only, and four streams then run it in about 38 cycles.
 * The chaining value lives in the ABEF/CDGH register layout the instructions use. */
#include "hash_impl.h"

#if CC_HASH_X86
#include <immintrin.h>

#define TGT __attribute__((target("sha,sse4.1")))

/* One block of NL lanes, steps interleaved lane by lane: group i is rounds 4i..4i+3 with K+W
 * in kw; with SCHED the message schedule for the next groups is updated on the way. */
#define SHANI_BODY(NL, LOADW, KWI, SCHED)                                                       \
    do {                                                                                 \
        __m128i m[NL][4], kw[NL];                                                        \
        (void)m;                                                                         \
        _Pragma("GCC unroll 16") for (int i = 0; i < 16; i++)                            \
        {                                                                                \
            for (int l = 0; l < NL; l++) {                                               \
                if (i < 4)                                                               \
                    LOADW(l, i);                                                         \
                kw[l] = KWI(l, i);                                                       \
                s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], kw[l]);                      \
            }                                                                            \
            for (int l = 0; l < NL; l++) {                                               \
                if (SCHED && i >= 3 && i <= 14) {                                                 \
                    __m128i t = _mm_alignr_epi8(m[l][i & 3], m[l][(i - 1) & 3], 4);     \
                    m[l][(i + 1) & 3] = _mm_add_epi32(m[l][(i + 1) & 3], t);             \
                    m[l][(i + 1) & 3] = _mm_sha256msg2_epu32(m[l][(i + 1) & 3], m[l][i & 3]); \
                }                                                                        \
                kw[l] = _mm_shuffle_epi32(kw[l], 0x0e);                                  \
                s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], kw[l]);                      \
                if (i >= 1 && i <= 12)                                                   \
                    m[l][(i - 1) & 3] = _mm_sha256msg1_epu32(m[l][(i - 1) & 3], m[l][i & 3]); \
            }                                                                            \
        }                                                                                \
    } while (0)

#define LOADW_P(l, i)                                                                    \
    (m[l][i] = _mm_shuffle_epi8(                                                         \
         _mm_loadu_si128((const __m128i *)(const void *)(p[l] + 64 * blk + 16 * (i))), bswap))
#define KWI_M(l, i)                                                                      \
    _mm_add_epi32(m[l][(i) & 3],                                                         \
                  _mm_loadu_si128((const __m128i *)(const void *)(cc_sha256_k + 4 * (i))))
#define LOADW_NONE(l, i) ((void)0)
#define KWI_C(l, i) _mm_loadu_si128((const __m128i *)(const void *)(wc + 4 * (i)))

/* h[8] (a..h) <-> ABEF / CDGH */
TGT static inline void to_abef(const uint32_t *abcd, const uint32_t *efgh, __m128i *s0,
                               __m128i *s1)
{
    __m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)abcd), 0xb1);
    __m128i u = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)efgh), 0x1b);
    *s0 = _mm_alignr_epi8(t, u, 8);
    *s1 = _mm_blend_epi16(u, t, 0xf0);
}

TGT static inline void from_abef(__m128i s0, __m128i s1, uint32_t *abcd, uint32_t *efgh)
{
    __m128i t = _mm_shuffle_epi32(s0, 0x1b);
    __m128i u = _mm_shuffle_epi32(s1, 0xb1);
    _mm_storeu_si128((__m128i *)(void *)abcd, _mm_blend_epi16(t, u, 0xf0));
    _mm_storeu_si128((__m128i *)(void *)efgh, _mm_alignr_epi8(u, t, 8));
}

#define BSWAP_MASK _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL)

TGT void cc_sha256_compress_shani(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
    const __m128i bswap = BSWAP_MASK;
    const uint8_t *p[1] = {blocks};
    __m128i s0[1], s1[1];
    to_abef(h, h + 4, &s0[0], &s1[0]);
    for (size_t blk = 0; blk < nblocks; blk++) {
        __m128i save0 = s0[0], save1 = s1[0];
        SHANI_BODY(1, LOADW_P, KWI_M, 1);
        s0[0] = _mm_add_epi32(s0[0], save0);
        s1[0] = _mm_add_epi32(s1[0], save1);
    }
    from_abef(s0[0], s1[0], h, h + 4);
}

/* st is structure-of-arrays with 2 lanes: word w of lane l at st[2w + l], so the four vectors
 * hold (a0 a1 b0 b1) (c0 c1 d0 d1) (e0 e1 f0 f1) (g0 g1 h0 h1); lane l's ABEF is
 * (f e b a) from dword order, CDGH (h g d c). Shuffled in registers, no trip through memory. */
#define SHUF_PS(x, y, imm)                                                               \
    _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(x), _mm_castsi128_ps(y), imm))

TGT static inline void load2(const uint32_t *st, __m128i s0[2], __m128i s1[2])
{
    __m128i ab = _mm_loadu_si128((const __m128i *)(const void *)st);
    __m128i cd = _mm_loadu_si128((const __m128i *)(const void *)(st + 4));
    __m128i ef = _mm_loadu_si128((const __m128i *)(const void *)(st + 8));
    __m128i gh = _mm_loadu_si128((const __m128i *)(const void *)(st + 12));
    s0[0] = SHUF_PS(ef, ab, 0x22);
    s0[1] = SHUF_PS(ef, ab, 0x77);
    s1[0] = SHUF_PS(gh, cd, 0x22);
    s1[1] = SHUF_PS(gh, cd, 0x77);
}

TGT static inline void store2(uint32_t *st, const __m128i s0[2], const __m128i s1[2])
{
    __m128i ab = _mm_shuffle_epi32(_mm_unpackhi_epi32(s0[0], s0[1]), 0x4e);
    __m128i ef = _mm_shuffle_epi32(_mm_unpacklo_epi32(s0[0], s0[1]), 0x4e);
    __m128i cd = _mm_shuffle_epi32(_mm_unpackhi_epi32(s1[0], s1[1]), 0x4e);
    __m128i gh = _mm_shuffle_epi32(_mm_unpacklo_epi32(s1[0], s1[1]), 0x4e);
    _mm_storeu_si128((__m128i *)(void *)st, ab);
    _mm_storeu_si128((__m128i *)(void *)(st + 4), cd);
    _mm_storeu_si128((__m128i *)(void *)(st + 8), ef);
    _mm_storeu_si128((__m128i *)(void *)(st + 12), gh);
}

/* 4 lanes: word w of lane l at st[4w + l]; ABEF of lane l is (f e b a), CDGH (h g d c), each
 * a 4x4 transpose away from the word vectors. */
TGT static inline void transpose4(__m128i r0, __m128i r1, __m128i r2, __m128i r3, __m128i o[4])
{
    __m128i t0 = _mm_unpacklo_epi32(r0, r1), t1 = _mm_unpacklo_epi32(r2, r3);
    __m128i t2 = _mm_unpackhi_epi32(r0, r1), t3 = _mm_unpackhi_epi32(r2, r3);
    o[0] = _mm_unpacklo_epi64(t0, t1);
    o[1] = _mm_unpackhi_epi64(t0, t1);
    o[2] = _mm_unpacklo_epi64(t2, t3);
    o[3] = _mm_unpackhi_epi64(t2, t3);
}

#define LD4(w) _mm_loadu_si128((const __m128i *)(const void *)(st + 4 * (w)))
#define ST4(w, v) _mm_storeu_si128((__m128i *)(void *)(st + 4 * (w)), v)

TGT static inline void load4(const uint32_t *st, __m128i s0[4], __m128i s1[4])
{
    transpose4(LD4(5), LD4(4), LD4(1), LD4(0), s0);
    transpose4(LD4(7), LD4(6), LD4(3), LD4(2), s1);
}

TGT static inline void store4(uint32_t *st, const __m128i s0[4], const __m128i s1[4])
{
    __m128i o[4];
    transpose4(s0[0], s0[1], s0[2], s0[3], o);
    ST4(5, o[0]); ST4(4, o[1]); ST4(1, o[2]); ST4(0, o[3]);
    transpose4(s1[0], s1[1], s1[2], s1[3], o);
    ST4(7, o[0]); ST4(6, o[1]); ST4(3, o[2]); ST4(2, o[3]);
}

TGT void cc_sha256_mb4_shani(uint32_t *st, const uint8_t *const *p, size_t nblocks)
{
    const __m128i bswap = BSWAP_MASK;
    __m128i s0[4], s1[4];
    load4(st, s0, s1);
    for (size_t blk = 0; blk < nblocks; blk++) {
        __m128i save0[4], save1[4];
        for (int l = 0; l < 4; l++) {
            save0[l] = s0[l];
            save1[l] = s1[l];
        }
        SHANI_BODY(4, LOADW_P, KWI_M, 1);
        for (int l = 0; l < 4; l++) {
            s0[l] = _mm_add_epi32(s0[l], save0[l]);
            s1[l] = _mm_add_epi32(s1[l], save1[l]);
        }
    }
    store4(st, s0, s1);
}

TGT void cc_sha256_mb4_shani_const(uint32_t *st, const uint32_t *wc)
{
    __m128i s0[4], s1[4], save0[4], save1[4];
    load4(st, s0, s1);
    for (int l = 0; l < 4; l++) {
        save0[l] = s0[l];
        save1[l] = s1[l];
    }
    SHANI_BODY(4, LOADW_NONE, KWI_C, 0);
    for (int l = 0; l < 4; l++) {
        s0[l] = _mm_add_epi32(s0[l], save0[l]);
        s1[l] = _mm_add_epi32(s1[l], save1[l]);
    }
    store4(st, s0, s1);
}

TGT void cc_sha256_mb2_shani(uint32_t *st, const uint8_t *const *p, size_t nblocks)
{
    const __m128i bswap = BSWAP_MASK;
    __m128i s0[2], s1[2];
    load2(st, s0, s1);
    for (size_t blk = 0; blk < nblocks; blk++) {
        __m128i save00 = s0[0], save10 = s1[0], save01 = s0[1], save11 = s1[1];
        SHANI_BODY(2, LOADW_P, KWI_M, 1);
        s0[0] = _mm_add_epi32(s0[0], save00);
        s1[0] = _mm_add_epi32(s1[0], save10);
        s0[1] = _mm_add_epi32(s0[1], save01);
        s1[1] = _mm_add_epi32(s1[1], save11);
    }
    store2(st, s0, s1);
}

TGT void cc_sha256_mb2_shani_const(uint32_t *st, const uint32_t *wc)
{
    __m128i s0[2], s1[2];
    load2(st, s0, s1);
    __m128i save00 = s0[0], save10 = s1[0], save01 = s0[1], save11 = s1[1];
    SHANI_BODY(2, LOADW_NONE, KWI_C, 0);
    s0[0] = _mm_add_epi32(s0[0], save00);
    s1[0] = _mm_add_epi32(s1[0], save10);
    s0[1] = _mm_add_epi32(s0[1], save01);
    s1[1] = _mm_add_epi32(s1[1], save11);
    store2(st, s0, s1);
}

#endif
