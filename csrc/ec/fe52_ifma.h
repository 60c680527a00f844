/* Field arithmetic mod p on eight elements at once, one per 64-bit lane of AVX-512 registers,
 * with the IFMA instructions (vpmadd52luq / vpmadd52huq: the low or high 52 bits of a 52 x 52-bit
 * product added to a 64-bit lane). Included by curve_impl.h in the IFMA instantiation only
 * (CC_EC_IFMA); api.c picks that one where cpuid reports AVX-512 F/VL/BW and IFMA.
 *
 * An element is five 52-bit limbs (radix 2^52), in Montgomery form with R = 2^260: a is held as
 * a * 2^260 mod p, which is 16 times the scalar code's form (R = 2^256). Invariant of every
 * stored fe52: limbs normalized (each < 2^52; normalized limbs are unique for a value) and value
 * < 2^257, not necessarily < p. fe52_mul accepts any two such operands whose product is below
 * 2^516 and returns (a b + m p) / 2^260 < 2^256 + p < 2^257, so results never need a
 * conditional subtraction; additions and subtractions fold the bits above 2^256 back with
 * 2^256 = c (mod p), c = 2^256 - p, to get below 2^257 again.
 *
 * Public data only (verification, recovery): nothing here is constant time in the values. */
#ifndef CC_EC_FE52_IFMA_H
#define CC_EC_FE52_IFMA_H
#include <immintrin.h>

#include "ec_int.h"

#define FE52_TARGET __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx512ifma")))
#define FE52_MASK ((1ULL << 52) - 1)

typedef struct { __m512i v[5]; } fe52;

/* The modulus and its derived constants, broadcast to every lane (built by fe52_ctx_init). */
typedef struct {
    fe52 p;     /* p, normalized */
    fe52 c;     /* 2^256 - p = 2^256 mod p */
    fe52 k8p;   /* 8p with limbs biased so that each exceeds 2^52: a - b + 8p limb by limb */
    fe52 one;   /* 2^260 mod p: 1 in Montgomery form */
    __m512i pinv; /* -1/p mod 2^52 */
    __m512i mask;
} fe52_ctx;

/* The five 52-bit limbs of a 256-bit value. */
static inline void fe52_split(uint64_t l[5], const u256 *a)
{
    l[0] = a->d[0] & FE52_MASK;
    l[1] = ((a->d[0] >> 52) | (a->d[1] << 12)) & FE52_MASK;
    l[2] = ((a->d[1] >> 40) | (a->d[2] << 24)) & FE52_MASK;
    l[3] = ((a->d[2] >> 28) | (a->d[3] << 36)) & FE52_MASK;
    l[4] = a->d[3] >> 16;
}

FE52_TARGET static inline void fe52_broadcast(fe52 *r, const uint64_t l[5])
{
    for (int i = 0; i < 5; i++)
        r->v[i] = _mm512_set1_epi64((long long)l[i]);
}

FE52_TARGET static inline void fe52_normalize(fe52 *a, __m512i mask)
{
    for (int i = 0; i < 4; i++) {
        a->v[i + 1] = _mm512_add_epi64(a->v[i + 1], _mm512_srli_epi64(a->v[i], 52));
        a->v[i] = _mm512_and_si512(a->v[i], mask);
    }
}

/* Normalized value below 2^312 -> normalized, below 2^257: v = lo + h 2^256 = lo + h c. */
FE52_TARGET static inline void fe52_fold(fe52 *a, const fe52_ctx *k)
{
    __m512i h = _mm512_srli_epi64(a->v[4], 48);
    a->v[4] = _mm512_and_si512(a->v[4], _mm512_set1_epi64((long long)((1ULL << 48) - 1)));
    for (int i = 0; i < 5; i++) {
        a->v[i] = _mm512_madd52lo_epu64(a->v[i], h, k->c.v[i]);
        if (i < 4)
            a->v[i + 1] = _mm512_madd52hi_epu64(a->v[i + 1], h, k->c.v[i]);
    }
    fe52_normalize(a, k->mask);
}

FE52_TARGET static void fe52_ctx_init(fe52_ctx *k, const u256 *p, uint64_t pinv64)
{
    uint64_t l[5];
    u256 c;
    u256 zero = {{0, 0, 0, 0}};
    u256_sub(&c, &zero, p); /* 2^256 - p */
    k->mask = _mm512_set1_epi64((long long)FE52_MASK);
    k->pinv = _mm512_set1_epi64((long long)(pinv64 & FE52_MASK));
    fe52_split(l, p);
    fe52_broadcast(&k->p, l);
    /* 8p: p's limbs shifted by 3 (limb 4 takes the top bits, 8p < 2^259), then 2^53 moved
     * down into every lower limb so that each is at least 2^53 - 2 > any normalized limb */
    uint64_t k8[5];
    for (int i = 0; i < 5; i++)
        k8[i] = l[i] << 3;
    k8[0] += 1ULL << 53;
    for (int i = 1; i < 4; i++)
        k8[i] += (1ULL << 53) - 2;
    k8[4] -= 2;
    fe52_broadcast(&k->k8p, k8);
    fe52_split(l, &c);
    fe52_broadcast(&k->c, l);
    /* one = 2^260 mod p = 16 c, folded */
    for (int i = 0; i < 5; i++)
        k->one.v[i] = _mm512_slli_epi64(k->c.v[i], 4);
    fe52_normalize(&k->one, k->mask);
    fe52_fold(&k->one, k);
}

/* r = a b / 2^260 mod p (Montgomery product, operand scanning: five rounds of a * b_i, then
 * m p with m = acc_0 (-1/p) mod 2^52, which clears the low limb). Lane sums stay below 2^58. */
FE52_TARGET static inline void fe52_mul(fe52 *r, const fe52 *a, const fe52 *b, const fe52_ctx *k)
{
    const __m512i z = _mm512_setzero_si512();
    __m512i t0 = z, t1 = z, t2 = z, t3 = z, t4 = z, t5;
    for (int i = 0; i < 5; i++) {
        __m512i bi = b->v[i];
        t0 = _mm512_madd52lo_epu64(t0, a->v[0], bi);
        t1 = _mm512_madd52lo_epu64(t1, a->v[1], bi);
        t2 = _mm512_madd52lo_epu64(t2, a->v[2], bi);
        t3 = _mm512_madd52lo_epu64(t3, a->v[3], bi);
        t4 = _mm512_madd52lo_epu64(t4, a->v[4], bi);
        t1 = _mm512_madd52hi_epu64(t1, a->v[0], bi);
        t2 = _mm512_madd52hi_epu64(t2, a->v[1], bi);
        t3 = _mm512_madd52hi_epu64(t3, a->v[2], bi);
        t4 = _mm512_madd52hi_epu64(t4, a->v[3], bi);
        t5 = _mm512_madd52hi_epu64(z, a->v[4], bi);
        __m512i m = _mm512_madd52lo_epu64(z, t0, k->pinv);
        t0 = _mm512_madd52lo_epu64(t0, k->p.v[0], m);
        t1 = _mm512_madd52lo_epu64(t1, k->p.v[1], m);
        t2 = _mm512_madd52lo_epu64(t2, k->p.v[2], m);
        t3 = _mm512_madd52lo_epu64(t3, k->p.v[3], m);
        t4 = _mm512_madd52lo_epu64(t4, k->p.v[4], m);
        t1 = _mm512_madd52hi_epu64(t1, k->p.v[0], m);
        t2 = _mm512_madd52hi_epu64(t2, k->p.v[1], m);
        t3 = _mm512_madd52hi_epu64(t3, k->p.v[2], m);
        t4 = _mm512_madd52hi_epu64(t4, k->p.v[3], m);
        t5 = _mm512_madd52hi_epu64(t5, k->p.v[4], m);
        /* t0 is now 0 mod 2^52: shift the accumulator down one limb, keeping its carry */
        t0 = _mm512_add_epi64(t1, _mm512_srli_epi64(t0, 52));
        t1 = t2;
        t2 = t3;
        t3 = t4;
        t4 = t5;
    }
    r->v[0] = t0;
    r->v[1] = t1;
    r->v[2] = t2;
    r->v[3] = t3;
    r->v[4] = t4;
    fe52_normalize(r, k->mask);
}

FE52_TARGET static inline void fe52_sqr(fe52 *r, const fe52 *a, const fe52_ctx *k)
{
    fe52_mul(r, a, a, k);
}

FE52_TARGET static inline void fe52_add(fe52 *r, const fe52 *a, const fe52 *b, const fe52_ctx *k)
{
    for (int i = 0; i < 5; i++)
        r->v[i] = _mm512_add_epi64(a->v[i], b->v[i]);
    fe52_normalize(r, k->mask);
    fe52_fold(r, k);
}

/* r = a - b + 8p (every limb stays non-negative: 8p's limbs are biased), folded. */
FE52_TARGET static inline void fe52_sub(fe52 *r, const fe52 *a, const fe52 *b, const fe52_ctx *k)
{
    for (int i = 0; i < 5; i++)
        r->v[i] = _mm512_sub_epi64(_mm512_add_epi64(a->v[i], k->k8p.v[i]), b->v[i]);
    fe52_normalize(r, k->mask);
    fe52_fold(r, k);
}

/* r = 2^s a, for s <= 3 */
FE52_TARGET static inline void fe52_shl(fe52 *r, const fe52 *a, int s, const fe52_ctx *k)
{
    for (int i = 0; i < 5; i++)
        r->v[i] = _mm512_slli_epi64(a->v[i], (unsigned)s);
    fe52_normalize(r, k->mask);
    fe52_fold(r, k);
}

/* r = 3a */
FE52_TARGET static inline void fe52_mul3(fe52 *r, const fe52 *a, const fe52_ctx *k)
{
    for (int i = 0; i < 5; i++)
        r->v[i] = _mm512_add_epi64(a->v[i], _mm512_slli_epi64(a->v[i], 1));
    fe52_normalize(r, k->mask);
    fe52_fold(r, k);
}

/* r = a where mask bit set, else r unchanged */
FE52_TARGET static inline void fe52_blend(fe52 *r, __mmask8 m, const fe52 *a)
{
    for (int i = 0; i < 5; i++)
        r->v[i] = _mm512_mask_blend_epi64(m, r->v[i], a->v[i]);
}

/* a - p where a >= p, limb by limb with signed borrows */
FE52_TARGET static inline void fe52_sub_p_if_ge(fe52 *a, const fe52_ctx *k)
{
    fe52 t;
    __m512i borrow = _mm512_setzero_si512();
    for (int i = 0; i < 5; i++) {
        __m512i d = _mm512_add_epi64(_mm512_sub_epi64(a->v[i], k->p.v[i]), borrow);
        borrow = _mm512_srai_epi64(d, 52);
        t.v[i] = _mm512_and_si512(d, k->mask);
    }
    /* borrow is -1 in the lanes where a < p, 0 elsewhere */
    __mmask8 ge = _mm512_cmpeq_epi64_mask(borrow, _mm512_setzero_si512());
    fe52_blend(a, ge, &t);
}

/* The canonical value (< p) of a stored element: it is below 2^257 < 3p. */
FE52_TARGET static inline void fe52_canonical(fe52 *a, const fe52_ctx *k)
{
    fe52_sub_p_if_ge(a, k);
    fe52_sub_p_if_ge(a, k);
}

/* Lanes where a = 0 mod p */
FE52_TARGET static inline __mmask8 fe52_is_zero(const fe52 *a, const fe52_ctx *k)
{
    fe52 t = *a;
    fe52_canonical(&t, k);
    __m512i o = _mm512_or_si512(_mm512_or_si512(t.v[0], t.v[1]),
                                _mm512_or_si512(_mm512_or_si512(t.v[2], t.v[3]), t.v[4]));
    return _mm512_cmpeq_epi64_mask(o, _mm512_setzero_si512());
}

/* From the scalar code's form: lane j gets the u256 at words base[idx_j .. idx_j + 3] (a value
 * < p, Montgomery form with R = 2^256), multiplied by 16 into this file's form. */
FE52_TARGET static inline void fe52_gather(fe52 *r, const uint64_t *base, __m512i idx,
                                           const fe52_ctx *k)
{
    const __m512i one = _mm512_set1_epi64(1);
    __m512i d0 = _mm512_i64gather_epi64(idx, (const void *)base, 8);
    idx = _mm512_add_epi64(idx, one);
    __m512i d1 = _mm512_i64gather_epi64(idx, (const void *)base, 8);
    idx = _mm512_add_epi64(idx, one);
    __m512i d2 = _mm512_i64gather_epi64(idx, (const void *)base, 8);
    idx = _mm512_add_epi64(idx, one);
    __m512i d3 = _mm512_i64gather_epi64(idx, (const void *)base, 8);
    /* limbs of 16 a: bit 4 onwards */
    r->v[0] = _mm512_slli_epi64(d0, 4);
    r->v[1] = _mm512_or_si512(_mm512_srli_epi64(d0, 48), _mm512_slli_epi64(d1, 16));
    r->v[2] = _mm512_or_si512(_mm512_srli_epi64(d1, 36), _mm512_slli_epi64(d2, 28));
    r->v[3] = _mm512_or_si512(_mm512_srli_epi64(d2, 24), _mm512_slli_epi64(d3, 40));
    r->v[4] = _mm512_srli_epi64(d3, 12);
    for (int i = 0; i < 4; i++)
        r->v[i] = _mm512_and_si512(r->v[i], k->mask);
    fe52_fold(r, k);
}

/* Back to the scalar code's form (canonical, R = 2^256): a c / 2^260 = a / 16, then reduced;
 * lane j's value goes to out[j]. */
FE52_TARGET static inline void fe52_scatter(u256 out[8], const fe52 *a, const fe52_ctx *k)
{
    fe52 t;
    uint64_t l[5][8];
    fe52_mul(&t, a, &k->c, k);
    fe52_canonical(&t, k);
    for (int i = 0; i < 5; i++)
        _mm512_storeu_si512((void *)l[i], t.v[i]);
    for (int j = 0; j < 8; j++) {
        out[j].d[0] = l[0][j] | (l[1][j] << 52);
        out[j].d[1] = (l[1][j] >> 12) | (l[2][j] << 40);
        out[j].d[2] = (l[2][j] >> 24) | (l[3][j] << 28);
        out[j].d[3] = (l[3][j] >> 36) | (l[4][j] << 16);
    }
}

#endif
