/* Field arithmetic mod p on FE52_LANES = 16 elements at once, one per 64-bit lane of two AVX-512
 * registers a limb (two independent streams keep the multiplier busy through each product's
 * chain of dependent carries), with the IFMA instructions (vpmadd52luq / vpmadd52huq: the low
 * or high 52 bits of a 52 x 52-bit product added to a 64-bit lane). Included by curve_impl.h
 * in the IFMA instantiation only (CC_EC_IFMA); api.c picks that one where cpuid reports
 * AVX-512 F/VL/BW and IFMA.
 *
 * An element is five 52-bit limbs (radix 2^52), in Montgomery form with R = 2^260: a is held as
 * a * 2^260 mod p, which is 16 times the scalar code's form (R = 2^256). Invariant of every
 * stored fe52: limbs normalized (each < 2^52; normalized limbs are unique for a value) and value
 * < 2^257, not necessarily < p. fe52_mul and fe52_sqr accept any two such operands whose product is
 * below 2^516 and return (a b + m p) / 2^260 < 2^256 + p < 2^257, so results never need a
 * conditional subtraction; additions and subtractions fold the bits above 2^256 back with
 * 2^256 = c (mod p), c = 2^256 - p, to get below 2^257 again.
 *
 * The arithmetic, the blends and the conversions run the same instructions on the same addresses
 * whatever the values, which signing relies on (ecmult_gen_ifma.h); fe52_gather indexes memory
 * by its indices and fe52_pow (ecmult_ifma.h) branches on its exponent: public data only. */
#ifndef CC_EC_FE52_IFMA_H
#define CC_EC_FE52_IFMA_H
#include <immintrin.h>

#include "ec_int.h"

#define FE52_TARGET __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx512ifma")))
#define FE52_MASK ((1ULL << 52) - 1)

#define FE52_NV 2                /* registers a limb */
#define FE52_LANES (8 * FE52_NV)
/* Lane L = 8 w + j is lane j of register w; lane masks have bit L set. */
typedef uint32_t fe52_lanes;
typedef struct { __m512i v[5][FE52_NV]; } fe52;

/* The modulus and its derived constants, broadcast to every lane (built by fe52_ctx_init). */
typedef struct { __m512i v[5]; } fe52_const;
typedef struct {
    fe52_const p;   /* p, normalized */
    fe52_const c;   /* 2^256 - p = 2^256 mod p */
    fe52_const k8p; /* 8p with limbs biased so that each exceeds 2^52: a - b + 8p limb by limb */
    fe52 one;       /* 2^260 mod p: 1 in Montgomery form */
    __m512i pinv; /* -1/p mod 2^52 */
    __m512i mask;
} fe52_ctx;

FE52_TARGET static inline void fe52_broadcast(fe52_const *r, const uint64_t l[5])
{
    for (int i = 0; i < 5; i++)
        r->v[i] = _mm512_set1_epi64((long long)l[i]);
}

#define FE52_EACH(w) for (int w = 0; w < FE52_NV; w++)

/* The radix-2^52 limbs of p and of c = 2^256 - p (p is odd: no carry out of the low word), and
 * -1/p mod 2^52, as compile-time constants (p's words from the curve header): fe52_redc and
 * fe52_fold skip the multiplications that a zero, one or all-ones limb makes needless. */
static const uint64_t fe52_p64[4] = {EC_P};
#define FE52_NEG_WORDS_(a, b, c, d)                                                           \
    (uint64_t)0 - (a), ~(uint64_t)(b), ~(uint64_t)(c), ~(uint64_t)(d)
#define FE52_NEG_WORDS(...) FE52_NEG_WORDS_(__VA_ARGS__)
static const uint64_t fe52_c64[4] = {FE52_NEG_WORDS(EC_P)};
#define FE52_LIMB(w, j)                                                                       \
    ((j) == 0   ? (w)[0] & FE52_MASK                                                          \
     : (j) == 1 ? (((w)[0] >> 52) | ((w)[1] << 12)) & FE52_MASK                              \
     : (j) == 2 ? (((w)[1] >> 40) | ((w)[2] << 24)) & FE52_MASK                              \
     : (j) == 3 ? (((w)[2] >> 28) | ((w)[3] << 36)) & FE52_MASK                              \
                : (w)[3] >> 16)
#define FE52_P(j) FE52_LIMB(fe52_p64, j)
#define FE52_C(j) FE52_LIMB(fe52_c64, j)
#define FE52_PINV ((uint64_t)(EC_PINV) & FE52_MASK)

FE52_TARGET static inline void fe52_normalize(fe52 *a, __m512i mask)
{
    for (int i = 0; i < 4; i++)
        FE52_EACH(w) {
            a->v[i + 1][w] = _mm512_add_epi64(a->v[i + 1][w], _mm512_srli_epi64(a->v[i][w], 52));
            a->v[i][w] = _mm512_and_si512(a->v[i][w], mask);
        }
}

/* The same where limbs may be negative (the value is not): arithmetic carries. */
FE52_TARGET static inline void fe52_normalize_signed(fe52 *a, __m512i mask)
{
    for (int i = 0; i < 4; i++)
        FE52_EACH(w) {
            a->v[i + 1][w] = _mm512_add_epi64(a->v[i + 1][w], _mm512_srai_epi64(a->v[i][w], 52));
            a->v[i][w] = _mm512_and_si512(a->v[i][w], mask);
        }
}

/* Limbs non-negative and below 2^60, not necessarily normalized -> normalized, below 2^257:
 * with h the bits of limb 4 from 2^256 up (h < 2^12), v = lo + h 2^256 = lo + h c, where lo <
 * 2^256 + 2^216 (the lower limbs' excess) and h c < 2^237; one carry pass at the end. A limb of
 * c that is 0, 1 or 2^52 - 1 costs no product, one below 2^40 no high half. */
FE52_TARGET static inline void fe52_fold(fe52 *a, const fe52_ctx *k)
{
    const __m512i m48 = _mm512_set1_epi64((long long)((1ULL << 48) - 1));
    FE52_EACH(w) {
        __m512i h = _mm512_srli_epi64(a->v[4][w], 48);
        a->v[4][w] = _mm512_and_si512(a->v[4][w], m48);
        for (int i = 0; i < 5; i++) {
            if (FE52_C(i) == 0)
                continue;
            if (FE52_C(i) == 1) {
                a->v[i][w] = _mm512_add_epi64(a->v[i][w], h);
            } else if (FE52_C(i) == FE52_MASK) { /* h 2^52 - h */
                a->v[i][w] = _mm512_sub_epi64(a->v[i][w], h);
                a->v[i + 1][w] = _mm512_add_epi64(a->v[i + 1][w], h);
            } else {
                a->v[i][w] = _mm512_madd52lo_epu64(a->v[i][w], h, k->c.v[i]);
                if (i < 4 && FE52_C(i) >= (1ULL << 40))
                    a->v[i + 1][w] = _mm512_madd52hi_epu64(a->v[i + 1][w], h, k->c.v[i]);
            }
        }
    }
    fe52_normalize_signed(a, k->mask);
}

FE52_TARGET static void fe52_ctx_init(fe52_ctx *k)
{
    uint64_t l[5];
    k->mask = _mm512_set1_epi64((long long)FE52_MASK);
    k->pinv = _mm512_set1_epi64((long long)FE52_PINV);
    for (int i = 0; i < 5; i++)
        l[i] = FE52_P(i);
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
    for (int i = 0; i < 5; i++)
        l[i] = FE52_C(i);
    fe52_broadcast(&k->c, l);
    /* one = 2^260 mod p = 16 c, folded */
    for (int i = 0; i < 5; i++)
        FE52_EACH(w) k->one.v[i][w] = _mm512_slli_epi64(k->c.v[i], 4);
    fe52_fold(&k->one, k);
}

/* r = t / 2^260 mod p for the ten-limb t of a product (Montgomery reduction, five rounds: m =
 * t_i (-1/p) mod 2^52, t += m p 2^(52 i) clears limb i, whose carry moves up). Where a limb of
 * p is 2^52 - 1 (SM2 has three, secp256k1 three, P-256 one, and P-256 a zero one), m (2^52 - 1)
 * is added as m one limb up less m here: limbs may then go negative, hence the arithmetic
 * shifts; their magnitudes stay below 2^59. */
FE52_TARGET static inline void fe52_redc(fe52 *r, __m512i t[10][FE52_NV], const fe52_ctx *k)
{
    const __m512i z = _mm512_setzero_si512();
    for (int i = 0; i < 5; i++)
        FE52_EACH(w) {
            __m512i m = FE52_PINV == 1 ? _mm512_and_si512(t[i][w], k->mask)
                                       : _mm512_madd52lo_epu64(z, t[i][w], k->pinv);
            for (int j = 0; j < 5; j++) {
                if (FE52_P(j) == 0)
                    continue;
                if (FE52_P(j) == FE52_MASK) {
                    t[i + j][w] = _mm512_sub_epi64(t[i + j][w], m);
                    t[i + j + 1][w] = _mm512_add_epi64(t[i + j + 1][w], m);
                    continue;
                }
                t[i + j][w] = _mm512_madd52lo_epu64(t[i + j][w], k->p.v[j], m);
                t[i + j + 1][w] = _mm512_madd52hi_epu64(t[i + j + 1][w], k->p.v[j], m);
            }
            t[i + 1][w] = _mm512_add_epi64(t[i + 1][w], _mm512_srai_epi64(t[i][w], 52));
        }
    for (int i = 0; i < 5; i++)
        FE52_EACH(w) r->v[i][w] = t[i + 5][w];
    fe52_normalize_signed(r, k->mask);
}

/* r = a b / 2^260 mod p (Montgomery product). */
FE52_TARGET static inline void fe52_mul(fe52 *r, const fe52 *a, const fe52 *b, const fe52_ctx *k)
{
    __m512i t[10][FE52_NV];
    for (int i = 0; i < 10; i++)
        FE52_EACH(w) t[i][w] = _mm512_setzero_si512();
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            FE52_EACH(w) {
                t[i + j][w] = _mm512_madd52lo_epu64(t[i + j][w], a->v[i][w], b->v[j][w]);
                t[i + j + 1][w] = _mm512_madd52hi_epu64(t[i + j + 1][w], a->v[i][w], b->v[j][w]);
            }
    fe52_redc(r, t, k);
}

/* r = a^2 / 2^260 mod p: the ten products a_i a_j (i < j) once, doubled, then the squares. */
FE52_TARGET static inline void fe52_sqr(fe52 *r, const fe52 *a, const fe52_ctx *k)
{
    __m512i t[10][FE52_NV];
    for (int i = 0; i < 10; i++)
        FE52_EACH(w) t[i][w] = _mm512_setzero_si512();
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            FE52_EACH(w) {
                t[i + j][w] = _mm512_madd52lo_epu64(t[i + j][w], a->v[i][w], a->v[j][w]);
                t[i + j + 1][w] = _mm512_madd52hi_epu64(t[i + j + 1][w], a->v[i][w], a->v[j][w]);
            }
    for (int i = 0; i < 10; i++)
        FE52_EACH(w) t[i][w] = _mm512_add_epi64(t[i][w], t[i][w]);
    for (int i = 0; i < 5; i++)
        FE52_EACH(w) {
            t[2 * i][w] = _mm512_madd52lo_epu64(t[2 * i][w], a->v[i][w], a->v[i][w]);
            t[2 * i + 1][w] = _mm512_madd52hi_epu64(t[2 * i + 1][w], a->v[i][w], a->v[i][w]);
        }
    fe52_redc(r, t, k);
}

FE52_TARGET static inline void fe52_add(fe52 *r, const fe52 *a, const fe52 *b, const fe52_ctx *k)
{
    for (int i = 0; i < 5; i++)
        FE52_EACH(w) r->v[i][w] = _mm512_add_epi64(a->v[i][w], b->v[i][w]);
    fe52_fold(r, k);
}

/* r = a - b + 8p (every limb stays non-negative: 8p's limbs are biased), folded. */
FE52_TARGET static inline void fe52_sub(fe52 *r, const fe52 *a, const fe52 *b, const fe52_ctx *k)
{
    for (int i = 0; i < 5; i++)
        FE52_EACH(w) r->v[i][w] =
            _mm512_sub_epi64(_mm512_add_epi64(a->v[i][w], k->k8p.v[i]), b->v[i][w]);
    fe52_fold(r, k);
}

/* r = 2^s a, for s <= 3 */
FE52_TARGET static inline void fe52_shl(fe52 *r, const fe52 *a, int s, const fe52_ctx *k)
{
    for (int i = 0; i < 5; i++)
        FE52_EACH(w) r->v[i][w] = _mm512_slli_epi64(a->v[i][w], (unsigned)s);
    fe52_fold(r, k);
}

/* r = 3a */
FE52_TARGET static inline void fe52_mul3(fe52 *r, const fe52 *a, const fe52_ctx *k)
{
    for (int i = 0; i < 5; i++)
        FE52_EACH(w) r->v[i][w] = _mm512_add_epi64(a->v[i][w], _mm512_slli_epi64(a->v[i][w], 1));
    fe52_fold(r, k);
}

/* r = a in the lanes of m, else r unchanged */
FE52_TARGET static inline void fe52_blend(fe52 *r, fe52_lanes m, const fe52 *a)
{
    for (int i = 0; i < 5; i++)
        FE52_EACH(w) r->v[i][w] = _mm512_mask_blend_epi64((__mmask8)(m >> (8 * w)), r->v[i][w],
                                                          a->v[i][w]);
}

/* a - p where a >= p, limb by limb with signed borrows */
FE52_TARGET static inline void fe52_sub_p_if_ge(fe52 *a, const fe52_ctx *k)
{
    fe52 t;
    fe52_lanes ge = 0;
    FE52_EACH(w) {
        __m512i borrow = _mm512_setzero_si512();
        for (int i = 0; i < 5; i++) {
            __m512i d = _mm512_add_epi64(_mm512_sub_epi64(a->v[i][w], k->p.v[i]), borrow);
            borrow = _mm512_srai_epi64(d, 52);
            t.v[i][w] = _mm512_and_si512(d, k->mask);
        }
        /* borrow is -1 in the lanes where a < p, 0 elsewhere */
        ge |= (fe52_lanes)_mm512_cmpeq_epi64_mask(borrow, _mm512_setzero_si512()) << (8 * w);
    }
    fe52_blend(a, ge, &t);
}

/* The canonical value (< p) of a stored element: it is below 2^257 < 3p. */
FE52_TARGET static inline void fe52_canonical(fe52 *a, const fe52_ctx *k)
{
    fe52_sub_p_if_ge(a, k);
    fe52_sub_p_if_ge(a, k);
}

/* Lanes where a = 0 mod p */
FE52_TARGET static inline fe52_lanes fe52_is_zero(const fe52 *a, const fe52_ctx *k)
{
    fe52 t = *a;
    fe52_lanes z = 0;
    fe52_canonical(&t, k);
    FE52_EACH(w) {
        __m512i o = _mm512_or_si512(_mm512_or_si512(t.v[0][w], t.v[1][w]),
                                    _mm512_or_si512(_mm512_or_si512(t.v[2][w], t.v[3][w]),
                                                    t.v[4][w]));
        z |= (fe52_lanes)_mm512_cmpeq_epi64_mask(o, _mm512_setzero_si512()) << (8 * w);
    }
    return z;
}

/* From the scalar code's form: d[w][l] holds word l of a value < p (Montgomery form with R =
 * 2^256) in each lane of register w, multiplied here by 16 into this file's form. */
FE52_TARGET static inline void fe52_set_words(fe52 *r, const __m512i d[FE52_NV][4],
                                              const fe52_ctx *k)
{
    FE52_EACH(w) {
        const __m512i *a = d[w]; /* the limbs of 16 a: a's bits from -4 onwards */
        r->v[0][w] = _mm512_slli_epi64(a[0], 4);
        r->v[1][w] = _mm512_or_si512(_mm512_srli_epi64(a[0], 48), _mm512_slli_epi64(a[1], 16));
        r->v[2][w] = _mm512_or_si512(_mm512_srli_epi64(a[1], 36), _mm512_slli_epi64(a[2], 28));
        r->v[3][w] = _mm512_or_si512(_mm512_srli_epi64(a[2], 24), _mm512_slli_epi64(a[3], 40));
        r->v[4][w] = _mm512_srli_epi64(a[3], 12);
        for (int i = 0; i < 4; i++)
            r->v[i][w] = _mm512_and_si512(r->v[i][w], k->mask);
    }
    fe52_fold(r, k);
}

/* Lane L gets the u256 at words base[idx[L] .. idx[L] + 3] (scalar form, as fe52_set_words);
 * the gathers index memory by idx: public indices only. */
FE52_TARGET static inline void fe52_gather(fe52 *r, const uint64_t *base,
                                           const int64_t idx[FE52_LANES], const fe52_ctx *k)
{
    __m512i d[FE52_NV][4];
    FE52_EACH(w) {
        __m512i vi = _mm512_loadu_si512((const void *)(idx + 8 * w));
        for (int l = 0; l < 4; l++)
            d[w][l] = _mm512_i64gather_epi64(_mm512_add_epi64(vi, _mm512_set1_epi64(l)),
                                             (const void *)base, 8);
    }
    fe52_set_words(r, d, k);
}

/* Back to the scalar code's form (canonical, R = 2^256): a c / 2^260 = a / 16, then reduced;
 * lane L's value goes to out[L]. */
FE52_TARGET static inline void fe52_scatter(u256 out[FE52_LANES], const fe52 *a,
                                            const fe52_ctx *k)
{
    fe52 t, c;
    uint64_t l[5][FE52_LANES];
    for (int i = 0; i < 5; i++)
        FE52_EACH(w) c.v[i][w] = k->c.v[i];
    fe52_mul(&t, a, &c, k);
    fe52_canonical(&t, k);
    for (int i = 0; i < 5; i++)
        FE52_EACH(w) _mm512_storeu_si512((void *)(l[i] + 8 * w), t.v[i][w]);
    for (int j = 0; j < FE52_LANES; j++) {
        out[j].d[0] = l[0][j] | (l[1][j] << 52);
        out[j].d[1] = (l[1][j] >> 12) | (l[2][j] << 40);
        out[j].d[2] = (l[2][j] >> 24) | (l[3][j] << 28);
        out[j].d[3] = (l[3][j] >> 36) | (l[4][j] << 16);
    }
}

#endif
