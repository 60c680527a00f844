/* Montgomery arithmetic modulo a 256-bit odd modulus M with 2^255 < M < 2^256, 4x64-bit limbs.
 * Instantiate by defining MA (function prefix), MA_M (limb list, little-endian), MA_MINV
 * (-M^-1 mod 2^64), MA_R1 (2^256 mod M), MA_R2 (2^512 mod M), then including this file.
 * Values are kept fully reduced in [0, M). Every function is constant time in its data
 * (the exponent of MA_pow is public). */
#include "ec_int.h"

#define MAF(name) CC_EC_CAT(MA, name)

static const u256 MAF(_m) = {{MA_M}};
static const u256 MAF(_r1) = {{MA_R1}};
static const u256 MAF(_r2) = {{MA_R2}};

/* r = (c:a) mod M given (c:a) < 2M, c in {0,1}. */
static inline void MAF(_reduce_once)(u256 *r, const uint64_t a[4], uint64_t c)
{
    static const uint64_t m[4] = {MA_M};
    uint64_t t[4];
    unsigned char b = 0;
    t[0] = cc_sbb(a[0], m[0], &b);
    t[1] = cc_sbb(a[1], m[1], &b);
    t[2] = cc_sbb(a[2], m[2], &b);
    t[3] = cc_sbb(a[3], m[3], &b);
    (void)cc_sbb(c, 0, &b);
    uint64_t keep = (uint64_t)0 - b; /* (c:a) < M: keep a */
    for (int i = 0; i < 4; i++)
        r->d[i] = (a[i] & keep) | (t[i] & ~keep);
}

/* r[0..4] = a * b */
static inline void MAF(_row)(uint64_t r[5], const uint64_t a[4], uint64_t b)
{
    u128 p0 = (u128)a[0] * b, p1 = (u128)a[1] * b, p2 = (u128)a[2] * b, p3 = (u128)a[3] * b;
    unsigned char c = 0;
    r[0] = (uint64_t)p0;
    r[1] = cc_adc((uint64_t)p1, (uint64_t)(p0 >> 64), &c);
    r[2] = cc_adc((uint64_t)p2, (uint64_t)(p1 >> 64), &c);
    r[3] = cc_adc((uint64_t)p3, (uint64_t)(p2 >> 64), &c);
    r[4] = (uint64_t)(p3 >> 64) + c;
}

/* Montgomery multiplication (CIOS): r = a * b / 2^256 mod M. */
static inline void MAF(mul)(u256 *r, const u256 *a, const u256 *b)
{
    static const uint64_t m[4] = {MA_M};
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5, row[5];
    for (int i = 0; i < 4; i++) {
        unsigned char c = 0;
        MAF(_row)(row, a->d, b->d[i]);
        t0 = cc_adc(t0, row[0], &c);
        t1 = cc_adc(t1, row[1], &c);
        t2 = cc_adc(t2, row[2], &c);
        t3 = cc_adc(t3, row[3], &c);
        t4 = cc_adc(t4, row[4], &c);
        t5 = c;
        uint64_t q = t0 * (uint64_t)MA_MINV;
        MAF(_row)(row, m, q);
        c = 0;
        (void)cc_adc(t0, row[0], &c);
        t0 = cc_adc(t1, row[1], &c);
        t1 = cc_adc(t2, row[2], &c);
        t2 = cc_adc(t3, row[3], &c);
        t3 = cc_adc(t4, row[4], &c);
        t4 = t5 + c;
    }
    uint64_t t[4] = {t0, t1, t2, t3};
    MAF(_reduce_once)(r, t, t4);
}

/* Montgomery squaring: 10-multiplication square, then word-by-word reduction. */
static inline void MAF(sqr)(u256 *r, const u256 *a)
{
    static const uint64_t m[4] = {MA_M};
    const uint64_t *x = a->d;
    uint64_t t[8], row[5];
    unsigned char c;
    u128 p;
    /* cross products x_i x_j, i < j, into t[1..6] */
    p = (u128)x[0] * x[1]; t[1] = (uint64_t)p;
    p = (u128)x[0] * x[2] + (uint64_t)(p >> 64); t[2] = (uint64_t)p;
    p = (u128)x[0] * x[3] + (uint64_t)(p >> 64); t[3] = (uint64_t)p; t[4] = (uint64_t)(p >> 64);
    p = (u128)x[1] * x[2] + t[3]; t[3] = (uint64_t)p;
    p = (u128)x[1] * x[3] + t[4] + (uint64_t)(p >> 64); t[4] = (uint64_t)p; t[5] = (uint64_t)(p >> 64);
    p = (u128)x[2] * x[3] + t[5]; t[5] = (uint64_t)p; t[6] = (uint64_t)(p >> 64);
    /* double */
    t[7] = t[6] >> 63;
    t[6] = (t[6] << 1) | (t[5] >> 63);
    t[5] = (t[5] << 1) | (t[4] >> 63);
    t[4] = (t[4] << 1) | (t[3] >> 63);
    t[3] = (t[3] << 1) | (t[2] >> 63);
    t[2] = (t[2] << 1) | (t[1] >> 63);
    t[1] = t[1] << 1;
    /* add the squares */
    u128 s0 = (u128)x[0] * x[0], s1 = (u128)x[1] * x[1], s2 = (u128)x[2] * x[2], s3 = (u128)x[3] * x[3];
    c = 0;
    t[0] = (uint64_t)s0;
    t[1] = cc_adc(t[1], (uint64_t)(s0 >> 64), &c);
    t[2] = cc_adc(t[2], (uint64_t)s1, &c);
    t[3] = cc_adc(t[3], (uint64_t)(s1 >> 64), &c);
    t[4] = cc_adc(t[4], (uint64_t)s2, &c);
    t[5] = cc_adc(t[5], (uint64_t)(s2 >> 64), &c);
    t[6] = cc_adc(t[6], (uint64_t)s3, &c);
    t[7] = cc_adc(t[7], (uint64_t)(s3 >> 64), &c);
    /* reduce: four rounds; the carry out of round i is folded into row[4] of round i+1
     * (row[4] <= 2^64 - 2, so this cannot overflow) */
    uint64_t pend = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t q = t[i] * (uint64_t)MA_MINV;
        MAF(_row)(row, m, q);
        row[4] += pend;
        c = 0;
        (void)cc_adc(t[i], row[0], &c);
        t[i + 1] = cc_adc(t[i + 1], row[1], &c);
        t[i + 2] = cc_adc(t[i + 2], row[2], &c);
        t[i + 3] = cc_adc(t[i + 3], row[3], &c);
        t[i + 4] = cc_adc(t[i + 4], row[4], &c);
        pend = c;
    }
    MAF(_reduce_once)(r, t + 4, pend);
}

static inline void MAF(add)(u256 *r, const u256 *a, const u256 *b)
{
    uint64_t t[4];
    unsigned char c = 0;
    t[0] = cc_adc(a->d[0], b->d[0], &c);
    t[1] = cc_adc(a->d[1], b->d[1], &c);
    t[2] = cc_adc(a->d[2], b->d[2], &c);
    t[3] = cc_adc(a->d[3], b->d[3], &c);
    MAF(_reduce_once)(r, t, c);
}

static inline void MAF(sub)(u256 *r, const u256 *a, const u256 *b)
{
    static const uint64_t m[4] = {MA_M};
    uint64_t t[4];
    unsigned char bw = 0, c = 0;
    t[0] = cc_sbb(a->d[0], b->d[0], &bw);
    t[1] = cc_sbb(a->d[1], b->d[1], &bw);
    t[2] = cc_sbb(a->d[2], b->d[2], &bw);
    t[3] = cc_sbb(a->d[3], b->d[3], &bw);
    uint64_t mask = (uint64_t)0 - bw;
    r->d[0] = cc_adc(t[0], m[0] & mask, &c);
    r->d[1] = cc_adc(t[1], m[1] & mask, &c);
    r->d[2] = cc_adc(t[2], m[2] & mask, &c);
    r->d[3] = cc_adc(t[3], m[3] & mask, &c);
}

static inline void MAF(neg)(u256 *r, const u256 *a)
{
    u256 z = {{0, 0, 0, 0}};
    MAF(sub)(r, &z, a);
}

static inline void MAF(dbl)(u256 *r, const u256 *a) { MAF(add)(r, a, a); }

static inline void MAF(to_mont)(u256 *r, const u256 *a) { MAF(mul)(r, a, &MAF(_r2)); }

static inline void MAF(from_mont)(u256 *r, const u256 *a)
{
    const u256 one = {{1, 0, 0, 0}};
    MAF(mul)(r, a, &one);
}

static inline void MAF(set_one)(u256 *r) { *r = MAF(_r1); }

/* r = a^e (Montgomery form in and out); fixed 4-bit window, e public. */
static void MAF(pow)(u256 *r, const u256 *a, const u256 *e)
{
    u256 tab[16], acc;
    tab[0] = MAF(_r1);
    tab[1] = *a;
    for (int i = 2; i < 16; i++)
        MAF(mul)(&tab[i], &tab[i - 1], a);
    acc = MAF(_r1);
    for (int i = 63; i >= 0; i--) {
        if (i != 63) {
            MAF(sqr)(&acc, &acc);
            MAF(sqr)(&acc, &acc);
            MAF(sqr)(&acc, &acc);
            MAF(sqr)(&acc, &acc);
        }
        unsigned nib = (unsigned)(e->d[i / 16] >> (4 * (i % 16))) & 15;
        MAF(mul)(&acc, &acc, &tab[nib]);
    }
    *r = acc;
    cc_wipe(tab, sizeof tab);
}

/* r = a^-1 (Montgomery form); 0 maps to 0. Constant time. */
static void MAF(inv)(u256 *r, const u256 *a)
{
    u256 e = MAF(_m);
    e.d[0] -= 2; /* M is odd and > 2: no borrow */
    MAF(pow)(r, a, &e);
}

#undef MAF
#undef MA
#undef MA_M
#undef MA_MINV
#undef MA_R1
#undef MA_R2
